"""Rituximab findings: rituximab_vaccine_response, rituximab_after_failure, hbv_screen_missing,
hbv_rituximab_risk (contract: Codes fixed for findings; reference 3c, 3g)."""

from __future__ import annotations

import pytest

from itp_desktop.core.codes import TestResult, VaccineCode, WorkupTest
from itp_desktop.core.models.patient import Immunization, WorkupResult
from itp_desktop.engine import assess
from tests.strategies import counts, course, d, make_patient, step, weekly_doses

AS_OF = "2026-11-22"


def run(pack, patient, as_of=AS_OF):
    return assess(patient, pack, d(as_of))


def found(assessment, code):
    return [f for f in assessment.findings if f.code == code]


def rituximab_jan():
    """375 mg/m² on 5, 12, 19 and 26 Jan 2026 (last dose 26 Jan)."""
    return weekly_doses("rituximab", "2026-01-05", [375] * 4, "mg/m2")


def vaccine(code, on, vaccine_id=None):
    return Immunization(id=vaccine_id, vaccine=VaccineCode(code), date=d(on))


def serology(**results):
    return [
        WorkupResult(test=WorkupTest(test), result=TestResult(value), date=d("2026-10-01"))
        for test, value in results.items()
    ]


# ---------------------------------------------------------------- rituximab_vaccine_response


@pytest.mark.parametrize(
    ("on", "fires"),
    [
        ("2026-07-28", True),  # 183 days after 26 Jan
        ("2026-07-29", False),  # 184 days
        ("2026-01-05", False),  # same day as the first dose: not "after" it
        ("2026-01-04", False),  # before the first dose
        ("2026-01-20", True),  # 1 day after the 19 Jan dose
    ],
)
def test_vaccine_within_183_days_after_a_dose(pack, on, fires):
    patient = make_patient(
        courses=[rituximab_jan()], immunizations=[vaccine("pneumococcal_conjugate", on)]
    )
    assert bool(found(run(pack, patient), "rituximab_vaccine_response")) is fires


@pytest.mark.parametrize(
    ("code", "fires"),
    [
        ("pneumococcal_polysaccharide", True),
        ("meningococcal_acwy", True),
        ("meningococcal_b", True),
        ("hib", True),
        ("influenza", False),
    ],
)
def test_vaccines_that_count(pack, code, fires):
    patient = make_patient(courses=[rituximab_jan()], immunizations=[vaccine(code, "2026-03-01")])
    assert bool(found(run(pack, patient), "rituximab_vaccine_response")) is fires


def test_vaccine_finding_detail(pack, ref):
    patient = make_patient(
        courses=[rituximab_jan()], immunizations=[vaccine("hib", "2026-02-25", "v3")]
    )
    (finding,) = found(run(pack, patient), "rituximab_vaccine_response")
    assert finding.severity == "warning"
    assert finding.key == "rituximab_vaccine_response:immunization:v3"
    assert finding.rule == ref("PIT_RTX_VACCINE")
    assert finding.why == [
        "hib vaccine on 2026-02-25",
        "last rituximab dose before it on 2026-01-26 (30 days earlier; limit 183 days)",
    ]
    assert "Nazi2013" in finding.sources


def test_weekly_rituximab_step_counts_each_dose(pack):
    weekly = course(
        "rituximab", "2026-01-05", stop="2026-01-26", amount=375, unit="mg/m2", frequency="weekly"
    )
    patient = make_patient(courses=[weekly], immunizations=[vaccine("hib", "2026-07-28")])
    assert found(run(pack, patient), "rituximab_vaccine_response")


def test_vaccine_after_as_of_is_ignored(pack):
    patient = make_patient(courses=[rituximab_jan()], immunizations=[vaccine("hib", "2026-03-01")])
    assert not found(run(pack, patient, "2026-02-28"), "rituximab_vaccine_response")


# ---------------------------------------------------------------- rituximab_after_failure


def rituximab_nr():
    """Rituximab Jan 2026 with two counts < 30 in its 84-day window: NR."""
    return counts(("2026-01-05", 12), ("2026-02-16", 15), ("2026-03-16", 14))


def test_retreatment_after_nr_fires_for_the_later_course(pack, ref):
    later = weekly_doses("rituximab", "2026-12-07", [375] * 4, "mg/m2")
    later = later.model_copy(update={"id": "rtx2"})
    patient = make_patient(platelet_counts=rituximab_nr(), courses=[rituximab_jan(), later])
    assessment = run(pack, patient)
    assert assessment.courses[0].response == "NR"
    (finding,) = found(assessment, "rituximab_after_failure")
    assert finding.key == "rituximab_after_failure:course:rtx2"
    assert finding.rule == ref("PIT_RTX_RETREAT")
    assert finding.why[0].endswith("response NR")
    assert finding.why[1].startswith("planned rituximab course started 2026-12-07")
    assert "Patel2012" in finding.sources


def test_no_retreatment_finding_after_a_response(pack):
    responded = counts(("2026-01-05", 12), ("2026-02-16", 120), ("2026-03-16", 140))
    later = weekly_doses("rituximab", "2026-12-07", [375] * 4, "mg/m2")
    patient = make_patient(platelet_counts=responded, courses=[rituximab_jan(), later])
    assert not found(run(pack, patient), "rituximab_after_failure")


def test_single_failed_course_is_not_a_retreatment(pack):
    patient = make_patient(platelet_counts=rituximab_nr(), courses=[rituximab_jan()])
    assert not found(run(pack, patient), "rituximab_after_failure")


# ---------------------------------------------------------------- HBV


def planned_rituximab():
    return weekly_doses("rituximab", "2026-12-01", [375] * 4, "mg/m2")


@pytest.mark.parametrize(
    ("workup", "missing"),
    [
        ([], "HBsAg and anti-HBc"),
        (serology(hbsag="negative"), "anti-HBc"),
        (serology(hbsag="negative", anti_hbc="not_done"), "anti-HBc"),
        (serology(hbsag="negative", anti_hbc="negative"), None),
    ],
)
def test_hbv_screen_missing(pack, ref, workup, missing):
    patient = make_patient(courses=[planned_rituximab()], workup=workup)
    findings = found(run(pack, patient), "hbv_screen_missing")
    if missing is None:
        assert not findings
        return
    (finding,) = findings
    assert finding.severity == "critical"
    assert missing in finding.message
    assert finding.rule == ref("PIT_RTX_HBV")
    assert finding.key == "hbv_screen_missing:course:[0]"


def test_hbv_screen_active_rituximab(pack):
    active = weekly_doses("rituximab", "2026-10-01", [375] * 4, "mg/m2")  # day 52 of 84
    assert found(run(pack, make_patient(courses=[active])), "hbv_screen_missing")


def test_hbv_screen_not_for_old_rituximab(pack):
    old = weekly_doses("rituximab", "2025-06-02", [375] * 4, "mg/m2")
    assert not found(run(pack, make_patient(courses=[old])), "hbv_screen_missing")


@pytest.mark.parametrize(
    ("results", "fires"),
    [
        ({"hbsag": "negative", "anti_hbc": "positive"}, True),
        ({"hbsag": "positive", "anti_hbc": "negative"}, True),
        ({"hbsag": "negative", "anti_hbc": "negative"}, False),
    ],
)
def test_hbv_rituximab_risk(pack, ref, results, fires):
    patient = make_patient(courses=[planned_rituximab()], workup=serology(**results))
    findings = found(run(pack, patient), "hbv_rituximab_risk")
    assert bool(findings) is fires
    if fires:
        assert findings[0].severity == "critical"
        assert findings[0].rule == ref("RTX_HBV")
        assert "HBV DNA" in findings[0].message


def test_hbv_positive_result_after_as_of_is_ignored(pack):
    workup = [
        WorkupResult(test=WorkupTest.anti_hbc, result=TestResult.positive, date=d("2026-11-30")),
        *serology(hbsag="negative"),
    ]
    patient = make_patient(courses=[planned_rituximab()], workup=workup)
    assessment = run(pack, patient)
    assert not found(assessment, "hbv_rituximab_risk")
    assert found(assessment, "hbv_screen_missing")  # anti-HBc not known yet on as_of


def test_low_dose_steps_are_rituximab_doses_too(pack):
    low = course(
        "rituximab",
        "2026-01-05",
        stop="2026-01-26",
        steps=[step(f"2026-01-{day:02d}", 100, "mg", "once") for day in (5, 12, 19, 26)],
    )
    patient = make_patient(courses=[low], immunizations=[vaccine("hib", "2026-02-01")])
    assert found(run(pack, patient), "rituximab_vaccine_response")
