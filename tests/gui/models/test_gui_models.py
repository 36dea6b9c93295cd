"""Every table model: qtmodeltester, then display and sort-role values cell by cell."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from itp_desktop.core.codes import (
    AgentCode,
    DoseUnit,
    Frequency,
    Phase,
    PlateletUnit,
    ResponseCode,
    Severity,
    StopReason,
)
from itp_desktop.core.models.assessment import (
    CountRef,
    CourseAssessment,
    Finding,
)
from itp_desktop.core.models.patient import (
    DoseStep,
    Patient,
    PatientSummary,
    PlateletCount,
    TherapyCourse,
)
from itp_desktop.gui.models.base import OBJECT_ROLE, SORT_ROLE, SortProxy
from itp_desktop.gui.models.count_table_model import COL_COUNT, COL_DATE, CountTableModel
from itp_desktop.gui.models.course_table_model import (
    COL_CONCURRENT,
    COL_RESPONSE,
    COL_START,
    COL_TTR,
    COL_WHY,
    CourseRow,
    CourseTableModel,
)
from itp_desktop.gui.models.registry_model import (
    COL_COUNT as REG_COUNT,
)
from itp_desktop.gui.models.registry_model import (
    COL_FINDING,
    COL_NAME,
    COL_PHASE,
    COL_THERAPY,
    HEADERS,
    PENDING,
    RegistryModel,
)
from itp_desktop.gui.models.timeline_table_model import (
    COL_KIND,
    COL_WHAT,
    KindFilterProxy,
    TimelineTableModel,
)
from itp_desktop.gui.models.worklist_model import (
    COL_DUE,
    COL_PATIENT,
    COL_STATUS,
    WorklistModel,
    WorklistProxy,
)
from itp_desktop.gui.views.timeline_data import (
    concurrent_courses,
    course_bars,
    course_lanes,
    timeline_events,
)
from itp_desktop.services.desktop_api import PatientOverview, WorklistItem
from itp_desktop.services.display import Labels

TODAY = dt.date(2026, 11, 22)


def summaries(count: int) -> list[PatientSummary]:
    return [
        PatientSummary(
            id=f"id-{i:04d}",
            mrn=f"MRN-{i:04d}",
            family_name=f"Family{i:04d}",
            given_name="Given" if i % 3 else "",
            birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=97 * i),
            archived=i % 7 == 0,
        )
        for i in range(count)
    ]


def step(day: dt.date, amount: float, unit: DoseUnit = DoseUnit.mcg_per_kg) -> DoseStep:
    return DoseStep(effective_date=day, amount=amount, unit=unit, frequency=Frequency.weekly)


def course(
    agent: AgentCode, start: dt.date, stop: dt.date | None, *amounts: float
) -> TherapyCourse:
    return TherapyCourse(
        id=f"c-{agent.value}-{start.isoformat()}",
        agent=agent,
        start_date=start,
        stop_date=stop,
        stop_reason=StopReason.no_response if stop else None,
        dose_steps=[step(start + dt.timedelta(days=7 * i), a) for i, a in enumerate(amounts)],
    )


def patient() -> Patient:
    return Patient(
        id="p1",
        mrn="M1",
        family_name="Doe",
        given_name="Jo",
        birth_date=dt.date(1970, 1, 1),
        weight_kg=70,
        platelet_counts=[
            PlateletCount(id="n1", date=dt.date(2026, 1, 1), value=12),
            PlateletCount(id="n2", date=dt.date(2026, 2, 1), value=85000, unit=PlateletUnit.per_ul),
            PlateletCount(id="n3", date=dt.date(2026, 3, 1), value=45, notes="outside lab"),
        ],
        courses=[
            course(AgentCode.romiplostim, dt.date(2026, 1, 5), dt.date(2026, 3, 1), 1, 3),
            course(AgentCode.prednisone, dt.date(2026, 2, 1), None, 20),
            course(AgentCode.romiplostim, dt.date(2026, 6, 1), None, 2),
        ],
    )


# ---------------------------------------------------------------- registry


def overview(patient_id: str) -> PatientOverview:
    finding = Finding(
        code="x",
        severity=Severity.critical,
        message="Platelets below 10 without treatment",
        why=["count 8"],
        sources=["ICR2019"],
        rule="PIT_OBS_LOW@1.0.0",
        key="x:patient",
    )
    return PatientOverview(
        patient_id=patient_id,
        phase=Phase.chronic,
        latest_count=CountRef(date=dt.date(2026, 11, 1), value=8.0),
        active_therapy=["Romiplostim 3 µg/kg weekly"],
        top_finding=finding,
        open_findings=3,
    )


def test_registry_model_passes_qtmodeltester(qtmodeltester: object) -> None:
    rows = summaries(450)
    model = RegistryModel(lambda q, offset, limit, archived: rows[offset : offset + limit])
    model.set_query("")
    assert model.rowCount() == 200  # one page until the view asks for more
    assert model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)  # type: ignore[attr-defined]  # fetches every page
    assert model.rowCount() == 450
    assert not model.canFetchMore(QModelIndex())


def test_registry_model_cells_and_lazy_summaries(qtbot: object, qapp: QApplication) -> None:
    rows = summaries(8)
    asked: list[list[str]] = []
    model = RegistryModel(
        lambda q, offset, limit, archived: rows[offset : offset + limit],
        asked.append,
        Labels(None),
        page_size=5,
    )
    model.set_query("x")
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(HEADERS))] == list(
        HEADERS
    )
    for r in range(model.rowCount()):
        row = rows[r]
        name = f"{row.family_name.upper()}, {row.given_name}".rstrip(", ")
        name += " (archived)" if row.archived else ""
        assert model.index(r, 0).data() == row.mrn
        assert model.index(r, COL_NAME).data() == name
        assert model.index(r, 2).data() == row.birth_date.isoformat()
        assert model.index(r, 2).data(SORT_ROLE) == row.birth_date
        assert model.index(r, COL_NAME).data(SORT_ROLE).startswith(row.family_name.casefold())
        assert model.index(r, 0).data(OBJECT_ROLE) == row
        # Summary cells are pending until computed; painting asks once, batched.
        assert model.index(r, COL_PHASE).data() == PENDING
        assert model.index(r, REG_COUNT).data(SORT_ROLE) is None
    qtbot.waitUntil(lambda: bool(asked))  # type: ignore[attr-defined]
    assert asked == [[r.id for r in rows[:5]]]
    with qtbot.waitSignal(model.dataChanged):  # type: ignore[attr-defined]
        model.set_overviews([overview("id-0001")])
    assert model.index(1, COL_PHASE).data() == "Chronic"
    assert model.index(1, REG_COUNT).data() == "8"
    assert model.index(1, REG_COUNT).data(SORT_ROLE) == 8.0
    assert model.index(1, 5).data() == "2026-11-01"
    assert model.index(1, COL_THERAPY).data() == "Romiplostim 3 µg/kg weekly"
    assert model.index(1, COL_FINDING).data() == (
        "Critical: Platelets below 10 without treatment (+2)"
    )
    assert model.index(1, COL_FINDING).data(SORT_ROLE) == "critical"
    assert "PIT_OBS_LOW@1.0.0" in model.index(1, COL_FINDING).data(Qt.ItemDataRole.ToolTipRole)
    model.forget(["id-0001"])
    assert model.index(1, COL_PHASE).data() == PENDING
    problem = PatientOverview(patient_id="id-0002", problem="pack broken")
    model.set_overviews([problem])
    assert model.index(2, COL_FINDING).data() == "assessment unavailable"
    assert model.index(2, COL_FINDING).data(Qt.ItemDataRole.ToolTipRole) == "pack broken"
    assert model.row_of("id-0003") == 3
    assert model.row_of("nobody") is None


# ---------------------------------------------------------------- counts


def test_count_model(qtmodeltester: object) -> None:
    model = CountTableModel(PlateletUnit.e9_per_l)
    model.set_rows(patient().platelet_counts)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    cells = [[model.index(r, c).data() for c in range(4)] for r in range(3)]
    assert cells == [
        ["2026-01-01", "12", "12 ×10⁹/L", ""],
        ["2026-02-01", "85", "85,000 /µL", ""],
        ["2026-03-01", "45", "45 ×10⁹/L", "outside lab"],
    ]
    assert model.index(1, COL_COUNT).data(SORT_ROLE) == 85.0
    assert model.index(0, COL_DATE).data(SORT_ROLE) == dt.date(2026, 1, 1)
    assert model.index(0, COL_COUNT).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(2, COL_COUNT).data(Qt.ItemDataRole.ForegroundRole) is None
    model.set_unit(PlateletUnit.per_ul)
    assert model.index(1, COL_COUNT).data() == "85,000"
    assert model.headerData(COL_COUNT, Qt.Orientation.Horizontal) == "Count (/µL)"
    proxy = SortProxy()
    proxy.setSourceModel(model)
    proxy.sort(COL_COUNT, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, COL_DATE).data() for r in range(3)] == [
        "2026-02-01",
        "2026-03-01",
        "2026-01-01",
    ]


# ---------------------------------------------------------------- courses


def course_rows_fixture() -> list[CourseRow]:
    record = patient()
    labels = Labels(None)
    results = [
        CourseAssessment(
            agent=c.agent,
            response=response,
            time_to_response_days=ttr,
            loss_of_response=False,
            adequate_trial=adequate,
            inadequacy=[],
            course_id=c.id,
            start_date=c.start_date,
            stop_date=c.stop_date,
            status="stopped" if c.stop_date else "active",
            adequacy_reasons=["28 of 28 days at ≥ 3 mcg/kg"] if adequate else [],
        )
        for c, response, ttr, adequate in zip(
            record.courses,
            (ResponseCode.NR, ResponseCode.R, ResponseCode.not_evaluable),
            (None, 9, None),
            (True, None, None),
            strict=True,
        )
    ]
    from itp_desktop.core.models.assessment import Assessment, KnowledgeBaseRef

    assessment = Assessment(
        as_of=TODAY,
        knowledge_base=KnowledgeBaseRef(id="k", version="1.0.0"),
        phase=Phase.chronic,
        latest_platelet_count=None,
        courses=results,
        steroid_dependent=False,
        multi_refractory=False,
        findings=[],
        checklists=[],
        rescue=None,
        options=[],
        monitoring=[],
    )
    from itp_desktop.gui.models.course_table_model import course_rows

    return course_rows(record, assessment, labels, TODAY)


def test_course_model(qtmodeltester: object) -> None:
    model = CourseTableModel()
    rows = course_rows_fixture()
    model.set_rows(rows)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    first = [model.index(0, c).data() for c in range(len(model.HEADERS))]
    assert first == [
        "Romiplostim",
        "2026-01-05",
        "2026-03-01",
        "3 µg/kg weekly (2 steps)",
        "Stopped",
        "No response (NR)",
        "—",
        "Adequate",
        "Prednisone",
        "Stopped: No response; 28 of 28 days at ≥ 3 mcg/kg",
    ]
    assert model.index(1, COL_RESPONSE).data() == "Response (R)"
    assert model.index(1, COL_TTR).data() == "9 days"
    assert model.index(1, COL_TTR).data(SORT_ROLE) == 9
    assert model.index(2, COL_RESPONSE).data() == "Not evaluable"
    assert model.index(2, COL_CONCURRENT).data() == "Prednisone"
    assert model.index(0, COL_START).data(SORT_ROLE) == dt.date(2026, 1, 5)
    assert model.index(0, COL_WHY).data(Qt.ItemDataRole.ToolTipRole).startswith("Stopped")
    assert model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole).splitlines() == [
        "2026-01-05: 1 µg/kg weekly",
        "2026-01-12: 3 µg/kg weekly",
    ]
    assert model.index(0, COL_RESPONSE).data(OBJECT_ROLE) == rows[0]


# ---------------------------------------------------------------- timeline


def test_timeline_data_and_model(qtmodeltester: object) -> None:
    record = patient()
    labels = Labels(None)
    events = timeline_events(record, labels, TODAY)
    assert [e.date for e in events] == sorted((e.date for e in events), reverse=True)
    kinds = {e.kind for e in events}
    assert kinds == {"count", "course", "dose", "stop"}
    per_ul = next(e for e in events if e.kind == "count" and e.date == dt.date(2026, 2, 1))
    assert per_ul.label == "85 ×10⁹/L"
    assert per_ul.detail == "(entered 85,000 /µL)"
    # The two romiplostim courses never overlap: they share a lane; prednisone gets its own.
    assert course_lanes(record.courses, TODAY) == [0, 1, 0]
    bars = course_bars(record, labels, TODAY)
    assert [(b.lane, b.amount, b.first_step) for b in bars] == [
        (0, 1, True),
        (0, 3, False),
        (1, 20, True),
        (0, 2, True),
    ]
    assert bars[1].end == dt.date(2026, 3, 1)
    assert concurrent_courses(record.courses, labels, TODAY) == [
        ["Prednisone"],
        ["Romiplostim", "Romiplostim"],
        ["Prednisone"],
    ]
    model = TimelineTableModel()
    model.set_rows(events)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    stop = next(
        r for r in range(model.rowCount()) if model.index(r, COL_KIND).data() == ("Therapy stopped")
    )
    assert model.index(stop, COL_WHAT).data() == "Romiplostim stopped"
    assert model.index(stop, 3).data() == "No response"
    proxy = KindFilterProxy(frozenset({"count"}))
    proxy.setSourceModel(model)
    assert proxy.rowCount() == 3
    proxy.set_kinds(frozenset({"stop"}))
    assert proxy.rowCount() == 1


# ---------------------------------------------------------------- worklist


def worklist_items() -> list[WorklistItem]:
    return [
        WorklistItem(
            patient_id="a",
            mrn="M-A",
            name="ALPHA, Ann",
            kind="monitoring",
            code="liver_tests",
            label="Liver tests monthly",
            due=dt.date(2026, 11, 1),
            overdue=True,
            detail="eltrombopag active",
            rule="MON_ELT@1.0.0",
        ),
        WorklistItem(
            patient_id="b",
            mrn="M-B",
            name="BETA, Bo",
            kind="vaccine",
            code="hib",
            label="Hib vaccine",
            due=dt.date(2026, 11, 29),
        ),
        WorklistItem(
            patient_id="c",
            mrn="M-C",
            name="GAMMA, Cy",
            kind="lost_to_follow_up",
            code="lost_to_follow_up",
            label="Lost to follow-up",
            due=dt.date(2026, 5, 1),
            overdue=True,
        ),
    ]


@pytest.mark.parametrize(
    ("kind", "overdue_only", "text", "expected"),
    [
        (None, False, "", ["c", "a", "b"]),
        ("vaccine", False, "", ["b"]),
        (None, True, "", ["c", "a"]),
        (None, False, "gamma", ["c"]),
        (None, False, "M-A", ["a"]),
    ],
)
def test_worklist_model_and_proxy(
    qtmodeltester: object, kind: str | None, overdue_only: bool, text: str, expected: list[str]
) -> None:
    model = WorklistModel()
    model.set_rows(worklist_items())
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert [model.index(0, c).data() for c in range(len(model.HEADERS))] == [
        "2026-11-01",
        "Overdue",
        "ALPHA, Ann",
        "M-A",
        "Liver tests monthly",
        "Monitoring",
        "eltrombopag active",
    ]
    assert model.index(1, COL_STATUS).data() == "Due"
    assert model.index(1, 5).data() == "Vaccine before splenectomy"
    assert model.index(0, COL_DUE).data(SORT_ROLE) == dt.date(2026, 11, 1)
    assert "MON_ELT@1.0.0" in model.index(0, COL_PATIENT).data(Qt.ItemDataRole.ToolTipRole)
    proxy = WorklistProxy()
    proxy.setSourceModel(model)
    proxy.set_kind(kind)
    proxy.set_overdue_only(overdue_only)
    proxy.setFilterFixedString(text)
    proxy.sort(COL_DUE, Qt.SortOrder.AscendingOrder)
    shown = [proxy.index(r, 0).data(OBJECT_ROLE).patient_id for r in range(proxy.rowCount())]
    assert shown == expected
