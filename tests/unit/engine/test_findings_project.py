"""The project's own findings: steroid_dependent, diagnosis_recheck, weight_missing,
diagnosis_date_missing, pregnancy_drug_risk, pregnancy_dexamethasone,
ivig_renal_thrombosis_risk, tpo_ra_stop_follow_up (reference 3g; docs/ASSESSMENT.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from itp_desktop.core.codes import VerificationMark
from itp_desktop.core.models.patient import Patient, RiskFactors
from itp_desktop.engine import assess
from tests.strategies import bleed, counts, course, d, make_patient, step, weekly_doses

AS_OF = "2026-11-22"


def run(pack, patient, as_of=AS_OF):
    return assess(patient, pack, d(as_of))


def found(assessment, code):
    return [f for f in assessment.findings if f.code == code]


def test_steroid_dependence_info(pack, ref):
    taper = course(
        "prednisone",
        "2026-01-05",
        stop="2026-03-15",
        steps=[step("2026-01-05", 70), step("2026-02-02", 40), step("2026-03-02", 20)],
    )
    patient = make_patient(platelet_counts=counts(("2026-03-20", 20)), courses=[taper])
    assessment = run(pack, patient)
    assert assessment.steroid_dependent is True
    (finding,) = found(assessment, "steroid_dependent")
    assert finding.severity == "info"
    assert finding.rule == ref("PIT_STEROID_DEP")
    assert finding.why  # the verdict's reasons


def multi_refractory_patient():
    return make_patient(
        diagnosis="2024-01-15",
        platelet_counts=counts(
            ("2024-02-01", 12),
            ("2024-02-08", 15),
            ("2024-02-15", 14),
            ("2024-06-03", 10),
            ("2024-06-17", 12),
            ("2024-06-24", 11),
            ("2024-09-02", 9),
            ("2024-10-14", 14),
            ("2024-11-11", 16),
        ),
        courses=[
            course("prednisone", "2024-02-01", stop="2024-02-22", amount=70, reason="no_response"),
            course(
                "romiplostim",
                "2024-06-03",
                stop="2024-07-01",
                amount=10,
                unit="mcg/kg",
                frequency="weekly",
                reason="no_response",
            ),
            weekly_doses("rituximab", "2024-09-02", [375] * 4, "mg/m2"),
        ],
    )


def test_diagnosis_recheck_when_multi_refractory(pack, ref):
    assessment = run(pack, multi_refractory_patient())
    assert assessment.multi_refractory is True
    (finding,) = found(assessment, "diagnosis_recheck")
    assert finding.severity == "warning"
    assert finding.rule == ref("PIT_DIAGNOSIS")
    assert "Miltiadous2020" in finding.sources


def test_no_diagnosis_recheck_otherwise(pack):
    assert not found(run(pack, make_patient()), "diagnosis_recheck")


def test_weight_missing_is_info_without_weight_based_doses(pack):
    (finding,) = found(run(pack, make_patient(weight_kg=None)), "weight_missing")
    assert finding.severity == "info"


def test_weight_missing_is_a_warning_during_rescue(pack):
    patient = make_patient(weight_kg=None, bleeding=[bleed("2026-11-21", who=3)])
    (finding,) = found(run(pack, patient), "weight_missing")
    assert finding.severity == "warning"
    assert "rescue doses (IVIG g/kg) cannot be computed" in finding.why


def test_weight_missing_is_a_warning_with_weight_based_course(pack):
    romi = course("romiplostim", "2026-11-02", amount=3, unit="mcg/kg", frequency="weekly")
    (finding,) = found(run(pack, make_patient(weight_kg=None, courses=[romi])), "weight_missing")
    assert finding.severity == "warning"


def test_diagnosis_date_missing(pack):
    assessment = run(pack, make_patient(diagnosis=None))
    assert assessment.phase is None
    assert found(assessment, "diagnosis_date_missing")[0].severity == "info"
    assert not found(run(pack, make_patient()), "diagnosis_date_missing")


def test_pregnancy_findings(pack):
    patient = make_patient(
        courses=[
            course("eltrombopag", "2026-11-01", amount=50),
            course("dexamethasone", "2026-11-25", stop="2026-11-28", amount=40),
        ],
        risk_factors=RiskFactors(pregnancy_or_planning=True),
    )
    assessment = run(pack, patient)
    (drugs,) = found(assessment, "pregnancy_drug_risk")
    assert drugs.severity == "warning"
    assert "eltrombopag" in drugs.message
    (dex,) = found(assessment, "pregnancy_dexamethasone")
    assert dex.severity == "info"


def test_no_pregnancy_findings_without_pregnancy(pack):
    patient = make_patient(courses=[course("eltrombopag", "2026-11-01", amount=50)])
    assert not found(run(pack, patient), "pregnancy_drug_risk")


def older(patient: Patient, age: int) -> Patient:
    birth = d(AS_OF).replace(year=d(AS_OF).year - age)
    return Patient.model_validate({**patient.model_dump(), "birth_date": birth})


@pytest.mark.parametrize(("age", "fires"), [(66, True), (65, False)])
def test_ivig_risk_by_age(pack, age, fires):
    ivig = course("ivig", "2026-12-01", stop="2026-12-01", amount=1, unit="g/kg", frequency="once")
    patient = older(make_patient(courses=[ivig]), age)
    assert bool(found(run(pack, patient), "ivig_renal_thrombosis_risk")) is fires


def test_ivig_risk_with_rescue_and_thrombosis(pack):
    patient = make_patient(
        bleeding=[bleed("2026-11-21", who=3)], risk_factors=RiskFactors(prior_thrombosis=True)
    )
    (finding,) = found(run(pack, patient), "ivig_renal_thrombosis_risk")
    assert "rescue IVIG for active bleeding" in finding.why


@pytest.mark.parametrize(
    ("agent", "stopped_days_ago", "fires"),
    [
        ("romiplostim", 14, True),
        ("romiplostim", 15, False),
        ("avatrombopag", 28, True),
        ("avatrombopag", 29, False),
        ("eltrombopag", 3, False),  # no after-stop schedule in the pack
    ],
)
def test_tpo_ra_stop_follow_up(pack, agent, stopped_days_ago, fires):
    stop = d(AS_OF) - dt.timedelta(days=stopped_days_ago)
    unit, frequency = ("mcg/kg", "weekly") if agent == "romiplostim" else ("mg", "daily")
    tpo = course(
        agent,
        "2026-06-01",
        stop=stop,
        amount=5 if agent == "romiplostim" else 20,
        unit=unit,
        frequency=frequency,
    )
    findings = found(run(pack, make_patient(courses=[tpo])), "tpo_ra_stop_follow_up")
    assert bool(findings) is fires
    if fires:
        assert findings[0].severity == "info"


def test_uncertain_rules_need_review_and_are_never_critical(pack):
    assessment = run(pack, multi_refractory_patient())
    for finding in assessment.findings:
        uncertain = finding.verification in (VerificationMark.M, VerificationMark.U)
        assert finding.needs_review is uncertain
        if uncertain:
            assert finding.severity != "critical"
