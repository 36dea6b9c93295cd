"""Adequacy findings: tpo_ra_failure_below_max, inadequate_trial, prolonged_corticosteroids
(contract: Codes fixed for findings and its "known tensions"; reference 3a, 3g, 10.2)."""

from __future__ import annotations

import datetime as dt

import pytest

from itp_desktop.engine import assess
from tests.strategies import course, d, make_patient, step

AS_OF = "2026-11-22"


def run(pack, patient, as_of=AS_OF):
    return assess(patient, pack, d(as_of))


def found(assessment, code):
    return [f for f in assessment.findings if f.code == code]


def romiplostim(dose, *, stop="2026-05-04", reason="no_response"):
    return course(
        "romiplostim",
        "2026-04-06",
        stop=stop,
        amount=dose,
        unit="mcg/kg",
        frequency="weekly",
        reason=reason,
    )


# ---------------------------------------------------------------- tpo_ra_failure_below_max


def test_romiplostim_stopped_below_max_dose(pack, ref):
    assessment = run(pack, make_patient(courses=[romiplostim(6)]))
    (finding,) = found(assessment, "tpo_ra_failure_below_max")
    assert finding.severity == "warning"
    assert finding.rule == ref("PIT_TPO_UNDERDOSE")
    assert "maximum dose not reached" in finding.message
    assert "not adequate: maximum dose not reached" in finding.why
    assert "LBL-Nplate" in finding.sources
    assert found(assessment, "inadequate_trial")  # the generic finding fires too


def test_duration_too_short_at_max_dose(pack):
    # 10 mcg/kg on 6, 13 and 20 April: 3 doses = 21 days at the maximum.
    assessment = run(pack, make_patient(courses=[romiplostim(10, stop="2026-04-20")]))
    (finding,) = found(assessment, "tpo_ra_failure_below_max")
    assert "too short at the required dose" in finding.message


def test_adequate_tpo_ra_failure_has_no_finding(pack):
    assessment = run(pack, make_patient(courses=[romiplostim(10)]))  # 5 doses = 35 days
    assert assessment.courses[0].adequate_trial is True
    assert not found(assessment, "tpo_ra_failure_below_max")
    assert not found(assessment, "inadequate_trial")


@pytest.mark.parametrize(
    ("reason", "stop", "as_of"),
    [
        ("intolerance", "2026-05-04", AS_OF),  # another stop reason
        ("no_response", "2026-05-04", "2026-05-03"),  # stop date after as_of: not stopped yet
    ],
)
def test_tpo_below_max_needs_a_no_response_stop(pack, reason, stop, as_of):
    assessment = run(pack, make_patient(courses=[romiplostim(6, stop=stop, reason=reason)]), as_of)
    assert not found(assessment, "tpo_ra_failure_below_max")
    assert not found(assessment, "inadequate_trial")


def test_eltrombopag_below_75_mg(pack):
    elt = course("eltrombopag", "2026-03-02", stop="2026-05-04", amount=50, reason="no_response")
    assert found(run(pack, make_patient(courses=[elt])), "tpo_ra_failure_below_max")


# ---------------------------------------------------------------- inadequate_trial


def test_one_finding_per_course(pack, ref):
    courses = [
        course("prednisone", "2026-01-05", stop="2026-01-12", amount=70, reason="no_response"),
        course("prednisone", "2026-02-02", stop="2026-02-09", amount=70, reason="no_response"),
    ]
    findings = found(run(pack, make_patient(courses=courses)), "inadequate_trial")
    assert [f.key for f in findings] == [
        "inadequate_trial:course:[0]",
        "inadequate_trial:course:[1]",
    ]
    assert findings[0].rule == ref("FIND_INADEQUATE_TRIAL")
    assert "too short at the required dose" in findings[0].message
    assert "ASH2019" in findings[0].sources  # the adequacy rule's sources are added


def test_low_dose_rituximab_message_names_zaja(pack):
    low = course(
        "rituximab",
        "2026-01-05",
        stop="2026-01-26",
        steps=[step(f"2026-01-{day:02d}", 100, "mg", "once") for day in (5, 12, 19, 26)],
        reason="no_response",
    )
    assessment = run(pack, make_patient(courses=[low]))
    assert assessment.courses[0].inadequacy == ["dose_below_standard"]
    (finding,) = found(assessment, "inadequate_trial")
    assert "dose below the standard dose" in finding.message
    assert "similar initial response rates" in finding.message
    assert "Zaja2010" in finding.message
    assert "Zaja2010" in finding.sources


def test_mycophenolate_message_gives_the_anz_view(pack):
    mmf = course(
        "mycophenolate", "2026-01-05", stop="2026-02-16", amount=1.5, unit="g", reason="no_response"
    )
    assessment = run(pack, make_patient(courses=[mmf]))
    (finding,) = found(assessment, "inadequate_trial")
    assert "DrOracle2025" in finding.message
    assert "ANZ2022" in finding.message
    assert "4–6 weeks" in finding.message
    assert {"ANZ2022", "DrOracle2025"} <= set(finding.sources)


def test_agent_without_adequacy_rule_has_no_inadequate_trial(pack):
    csa = course("ciclosporin", "2026-01-05", stop="2026-03-02", amount=150, reason="no_response")
    assessment = run(pack, make_patient(courses=[csa]))
    assert assessment.courses[0].adequate_trial is None
    assert not found(assessment, "inadequate_trial")


# ---------------------------------------------------------------- prolonged_corticosteroids


@pytest.mark.parametrize(("days", "fires"), [(42, False), (43, True)])
def test_stopped_course_longer_than_42_days(pack, ref, days, fires):
    start = d("2026-06-01")
    stop = start + dt.timedelta(days=days - 1)
    patient = make_patient(courses=[course("prednisone", start, stop=stop, amount=60)])
    findings = found(run(pack, patient), "prolonged_corticosteroids")
    assert bool(findings) is fires
    if fires:
        assert findings[0].rule == ref("PIT_STEROID_LONG")
        assert findings[0].why[1] == "43 days of treatment (stopped; limit 42 days)"


@pytest.mark.parametrize(("days_before", "fires"), [(41, False), (42, True)])
def test_ongoing_course_counts_to_as_of(pack, days_before, fires):
    start = d(AS_OF) - dt.timedelta(days=days_before)
    patient = make_patient(courses=[course("prednisone", start, amount=20)])
    assert bool(found(run(pack, patient), "prolonged_corticosteroids")) is fires


def test_two_short_courses_are_not_one_long_course(pack):
    courses = [
        course("prednisone", "2026-01-05", stop="2026-02-03", amount=60),
        course("prednisone", "2026-02-04", stop="2026-03-05", amount=40),
    ]
    assert not found(run(pack, make_patient(courses=courses)), "prolonged_corticosteroids")


def test_dexamethasone_cycle_is_short(pack):
    dex = course("dexamethasone", "2026-10-01", stop="2026-10-04", amount=40)
    assert not found(run(pack, make_patient(courses=[dex])), "prolonged_corticosteroids")


def test_non_corticosteroid_course_never_prolonged(pack):
    elt = course("eltrombopag", "2026-01-05", amount=50)
    assert not found(run(pack, make_patient(courses=[elt])), "prolonged_corticosteroids")
