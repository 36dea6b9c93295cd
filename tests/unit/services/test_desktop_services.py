"""The desktop window's services (no Qt): records, overviews, rescue, worklist, settings."""

from __future__ import annotations

import datetime as dt

import pytest

from itp_desktop.core.clock import FixedClock
from itp_desktop.core.codes import (
    AgentCode,
    DoseUnit,
    Frequency,
    PlateletUnit,
    ResponseCode,
    StopReason,
    VaccineCode,
)
from itp_desktop.core.errors import NotFound, ValidationFailed
from itp_desktop.core.models.patient import (
    BleedingAssessment,
    DoseStep,
    Immunization,
    PlateletCount,
    TherapyCourse,
)
from itp_desktop.paths import AppPaths
from itp_desktop.services.container import Services
from itp_desktop.services.desktop import DesktopServicesImpl, build_desktop_services
from itp_desktop.services.display import Labels, dose_text
from itp_desktop.services.worklist import FOLLOW_UP_DAYS
from itp_desktop.settings import Settings, load_settings
from tests.unit.services.service_helpers import record

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def desk(services: Services) -> DesktopServicesImpl:
    return build_desktop_services(services)


def create(desk: DesktopServicesImpl, **extra: object) -> str:
    changes = desk.patients.create(record(**extra))  # type: ignore[arg-type]
    return next(iter(changes.created))


def test_add_and_correct_a_count_keeps_the_old_value_in_the_audit(
    desk: DesktopServicesImpl,
) -> None:
    pid = create(desk)
    changes = desk.records.add_count(
        pid, PlateletCount(date=TODAY, value=45, unit=PlateletUnit.e9_per_l)
    )
    assert changes.patients == frozenset({pid})
    stored = desk.patients.get(pid).platelet_counts[-1]
    assert stored.id is not None
    assert stored.value == 45
    desk.records.correct_count(pid, stored.model_copy(update={"value": 54.0}))
    assert desk.patients.get(pid).platelet_counts[-1].value == 54
    log = desk.base.store_handle.repository().audit_log(pid)
    assert log[-1].action == "update"
    assert log[-1].before["platelet_counts"][stored.id] == {"value": 45.0}
    assert log[-1].after["platelet_counts"][stored.id] == {"value": 54.0}


def test_future_count_and_unknown_course_are_refused_naming_the_field(
    desk: DesktopServicesImpl,
) -> None:
    pid = create(desk)
    with pytest.raises(ValidationFailed) as error:
        desk.records.add_count(pid, PlateletCount(date=TODAY + dt.timedelta(days=1), value=40))
    assert "platelet_counts[1].date" in error.value.message
    with pytest.raises(NotFound):
        desk.records.stop_course(pid, "nope", TODAY, StopReason.no_response)


def test_course_titration_and_stop(desk: DesktopServicesImpl) -> None:
    pid = create(desk)
    course_id = desk.patients.get(pid).courses[0].id
    assert course_id is not None
    step = DoseStep(
        effective_date=dt.date(2026, 10, 9),
        amount=2,
        unit=DoseUnit.mcg_per_kg,
        frequency=Frequency.weekly,
    )
    desk.records.change_dose(pid, course_id, step)
    assert len(desk.patients.get(pid).courses[0].dose_steps) == 2
    desk.records.stop_course(pid, course_id, TODAY, StopReason.no_response)
    stopped = desk.patients.get(pid).courses[0]
    assert stopped.stop_date == TODAY
    assert stopped.stop_reason is StopReason.no_response
    with pytest.raises(ValidationFailed, match="already stopped"):
        desk.records.stop_course(pid, course_id, TODAY, StopReason.other)


def test_course_with_a_unit_the_pack_forbids_is_refused(desk: DesktopServicesImpl) -> None:
    pid = create(desk)
    course = TherapyCourse(
        agent=AgentCode.eltrombopag,
        start_date=TODAY,
        dose_steps=[
            DoseStep(
                effective_date=TODAY, amount=50, unit=DoseUnit.mcg_per_kg, frequency=Frequency.daily
            )
        ],
    )
    with pytest.raises(ValidationFailed, match=r"courses\[1\]\.dose_steps\[0\]\.unit"):
        desk.records.add_course(pid, course)


def test_overview_gives_phase_count_therapy_and_top_finding(desk: DesktopServicesImpl) -> None:
    pid = create(desk)
    overview = desk.overview.overview(pid)
    assert overview.phase is not None
    assert overview.phase.value == "chronic"  # diagnosed 2025-01-10, more than 12 months
    assert overview.latest_count is not None
    assert overview.latest_count.value == 22
    assert overview.active_therapy == ["Romiplostim 1 µg/kg weekly"]
    assert overview.problem is None
    with pytest.raises(NotFound):
        desk.overview.overview("missing")


def test_rescue_plan_from_a_draft_then_recorded_episode(desk: DesktopServicesImpl) -> None:
    pid = create(desk)
    draft = BleedingAssessment(date=TODAY, who_grade=3)
    plan = desk.rescue.plan(pid, draft)
    assert not plan.recorded
    assert plan.rescue is not None
    assert plan.rescue.ivig_total_g == 70.0
    assert plan.rescue.methylprednisolone_mg_per_day == 1000
    assert plan.rescue.platelet_transfusion == "not_routine"
    assert plan.checklist is not None
    assert "ICR2019" in plan.citations
    # Nothing was saved by planning.
    assert desk.patients.get(pid).bleeding == []
    heavier = desk.rescue.plan(pid, draft.model_copy(update={"life_threatening": True}), 80.0)
    assert heavier.rescue is not None
    assert heavier.rescue.ivig_total_g == 80.0
    assert heavier.rescue.platelet_transfusion == "indicated"
    desk.rescue.record_episode(pid, draft, weight_kg=72.0)
    recorded = desk.rescue.plan(pid)
    assert recorded.recorded
    assert recorded.weight_kg == 72.0
    assert recorded.bleeding is not None
    assert recorded.bleeding.who_grade == 3
    step = desk.rescue.record_step(pid, "ivig", "IVIG 1 g/kg")
    events = desk.base.store_handle.repository().audit_log(pid)
    assert events[-1].action == "rescue_step"
    assert events[-1].after == {"step": "ivig", "label": "IVIG 1 g/kg", "at": step.at.isoformat()}


def test_rescue_plan_without_a_severe_bleed_has_no_doses(desk: DesktopServicesImpl) -> None:
    pid = create(desk)
    plan = desk.rescue.plan(pid, BleedingAssessment(date=TODAY, who_grade=1))
    assert plan.rescue is None
    with pytest.raises(ValidationFailed, match="weight_kg"):
        desk.rescue.plan(pid, BleedingAssessment(date=TODAY, who_grade=3), weight_kg=900)


def test_worklist_lists_overdue_monitoring_and_lost_to_follow_up(
    desk: DesktopServicesImpl,
) -> None:
    active = create(
        desk, mrn="A-1", family="Active", platelet_counts=[{"date": "2026-11-20", "value": 30}]
    )
    old = TODAY - dt.timedelta(days=FOLLOW_UP_DAYS + 30)
    lost = create(
        desk,
        mrn="L-1",
        family="Lost",
        courses=[],
        platelet_counts=[{"date": old.isoformat(), "value": 80}],
    )
    progress: list[tuple[int, int]] = []
    worklist = desk.worklist.compute(progress=lambda d, t: progress.append((d, t)))
    assert worklist.patients_checked == 2
    assert progress[-1] == (2, 2)
    kinds = {(i.patient_id, i.kind) for i in worklist.items}
    assert (active, "monitoring") in kinds
    assert (lost, "lost_to_follow_up") in kinds
    assert (active, "lost_to_follow_up") not in kinds
    overdue = [i.overdue for i in worklist.items]
    assert overdue == sorted(overdue, reverse=True)  # overdue first
    cancelled = desk.worklist.compute(cancelled=lambda: True)
    assert cancelled.cancelled
    assert cancelled.items == []


def test_settings_save_validate_and_remember_recent(
    desk: DesktopServicesImpl, app_paths: AppPaths
) -> None:
    settings = desk.settings
    changes = settings.save(settings.current().model_copy(update={"site_name": "Ward 7"}))
    assert changes.settings
    assert load_settings(app_paths.settings_path).site_name == "Ward 7"
    with pytest.raises(ValidationFailed, match="backup_keep"):
        settings.save({**settings.current().model_dump(), "backup_keep": 0})
    for index in range(12):
        settings.remember_patient(f"p{index}")
    assert settings.current().recent_patients[:2] == ["p11", "p10"]
    assert len(settings.current().recent_patients) == 10
    assert settings.folders().store_path == str(app_paths.store_path)


def test_labels_never_show_a_bare_code(desk: DesktopServicesImpl) -> None:
    labels = Labels(desk.pack())
    assert labels.agent(AgentCode.romiplostim) == "Romiplostim"
    assert labels.response(ResponseCode.CR) == "Complete response (CR)"
    assert labels.response(ResponseCode.not_evaluable) == "Not evaluable"
    assert labels.option("fostamatinib+tpo_ra") == "Fostamatinib + TPO-RA"
    assert "Lancet 2008" in labels.citation("Kuter2008")
    assert labels.citation("NoSuchKey") == "NoSuchKey"
    assert Labels(None).phase(None).startswith("Phase unknown")
    step = DoseStep(effective_date=TODAY, amount=1000, unit=DoseUnit.mg, frequency=Frequency.daily)
    assert dose_text(step) == "1,000 mg daily"


def test_immunization_is_added(desk: DesktopServicesImpl) -> None:
    pid = create(desk)
    desk.records.add_immunization(pid, Immunization(vaccine=VaccineCode.hib, date=TODAY))
    assert desk.patients.get(pid).immunizations[0].vaccine is VaccineCode.hib


def test_store_access_backup_and_verify(desk: DesktopServicesImpl, clock: FixedClock) -> None:
    create(desk)
    info = desk.store.backup()
    assert info.reason == "manual"
    assert desk.store.list_backups()[0].path == info.path
    assert desk.store.verify().ok
    assert isinstance(load_settings(desk.base.paths.settings_path), Settings)
    assert clock.today() == TODAY
