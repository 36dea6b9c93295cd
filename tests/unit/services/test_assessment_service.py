"""AssessmentService: stored patients with suppressions, files, and "today" from the clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from itp_desktop.core.errors import NotFound, ValidationFailed
from itp_desktop.services.container import Services
from tests.unit.services.service_helpers import record, write_file

LOW_UNTREATED = record(
    "LOW-1",
    platelet_counts=[{"date": "2026-11-20", "value": 6}],
    courses=[],
)


def test_assess_uses_the_clock_today_by_default(services: Services) -> None:
    (pid,) = services.patients.create(record()).created
    assessment = services.assessment.assess(pid)
    assert assessment.as_of == dt.date(2026, 11, 22)
    assert services.assessment.assess(pid, dt.date(2026, 10, 15)).as_of == dt.date(2026, 10, 15)
    assert assessment.knowledge_base.id == services.knowledge.pack().meta.id


def test_suppression_is_applied_then_removed(services: Services) -> None:
    (pid,) = services.patients.create(LOW_UNTREATED).created
    finding = next(
        f
        for f in services.assessment.assess(pid).findings
        if f.code == "platelets_below_10_untreated"
    )
    assert not finding.suppressed
    changes = services.assessment.suppress(
        pid, finding.key, finding.rule, "Count repeated: clumped sample, true count 85"
    )
    assert changes.suppressions
    assert changes.patients == {pid}
    again = next(f for f in services.assessment.assess(pid).findings if f.key == finding.key)
    assert again.suppressed
    assert again.suppression_reason == "Count repeated: clumped sample, true count 85"
    services.assessment.unsuppress(pid, finding.key)
    assert not next(
        f for f in services.assessment.assess(pid).findings if f.key == finding.key
    ).suppressed
    actions = [e.action for e in services.store_handle.repository().audit_log(pid)]
    assert actions[-2:] == ["suppress", "unsuppress"]


def test_suppression_needs_a_reason_and_a_rule(services: Services) -> None:
    (pid,) = services.patients.create(LOW_UNTREATED).created
    with pytest.raises(ValidationFailed) as exc:
        services.assessment.suppress(pid, " ", "PIT_OBS_LOW", "ok")
    assert [p.path for p in exc.value.problems] == ["finding_key", "rule", "reason"]
    with pytest.raises(NotFound):
        services.assessment.suppress("nobody", "k", "R@1.0.0", "a reason")
    with pytest.raises(NotFound):
        services.assessment.unsuppress(pid, "never-suppressed")


def test_assess_file_allows_data_after_as_of_but_checks_the_catalogue(
    services: Services, tmp_path: Path
) -> None:
    later = record(platelet_counts=[{"date": "2027-02-01", "value": 150}])
    path = write_file(tmp_path / "later.json", later)
    assessment = services.assessment.assess_file(path, dt.date(2026, 11, 1))
    assert assessment.latest_platelet_count is None  # the 2027 count is after as_of
    bad_unit = record()
    bad_unit["courses"][0]["dose_steps"][0]["unit"] = "IU/kg"
    with pytest.raises(ValidationFailed) as exc:
        services.assessment.assess_file(write_file(tmp_path / "u.json", bad_unit))
    assert exc.value.problems[0].path == "patients[0].courses[0].dose_steps[0].unit"
    assert not services.store.exists  # files are assessed without opening the store
