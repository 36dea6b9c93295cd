"""Drug-safety findings: anti_d_contraindicated, eltrombopag_start_dose, tpo_ra_thrombosis_risk,
fostamatinib_hypertension (contract: Codes fixed for findings; reference 2.4, 3d, 3g, 4.3)."""

from __future__ import annotations

import pytest

from itp_desktop.core.codes import RhD
from itp_desktop.core.models.patient import RiskFactors
from itp_desktop.engine import assess
from tests.strategies import counts, course, d, make_patient, splenectomy, step

AS_OF = "2026-11-22"


def run(pack, patient, as_of=AS_OF):
    return assess(patient, pack, d(as_of))


def found(assessment, code):
    return [f for f in assessment.findings if f.code == code]


def anti_d(start="2026-11-10"):
    return course("anti_d", start, stop=start, amount=50, unit="mcg/kg", frequency="once")


# ---------------------------------------------------------------- anti_d_contraindicated


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"rh_d": RhD.negative, "haemoglobin_g_dl": 12.0}, "Rh(D)-negative"),
        ({"rh_d": RhD.positive, "haemoglobin_g_dl": 7.9}, "haemoglobin 7.9 g/dL (below 8 g/dL)"),
        (
            {
                "rh_d": RhD.positive,
                "haemoglobin_g_dl": 12.0,
                "procedures": [splenectomy("2025-03-01")],
            },
            "splenectomy on 2025-03-01, before the course started",
        ),
    ],
)
def test_anti_d_contraindications(pack, ref, extra, reason):
    findings = found(run(pack, make_patient(courses=[anti_d()], **extra)), "anti_d_contraindicated")
    (finding,) = findings
    assert finding.severity == "critical"
    assert finding.rule == ref("PIT_ANTID")
    assert reason in finding.why
    assert reason in finding.message
    assert finding.key == "anti_d_contraindicated:course:[0]"


@pytest.mark.parametrize(
    "extra",
    [
        {"rh_d": RhD.positive, "haemoglobin_g_dl": 8.0},
        {"rh_d": RhD.positive, "haemoglobin_g_dl": 12.0, "procedures": [splenectomy("2026-11-15")]},
    ],
)
def test_anti_d_allowed(pack, extra):
    assert not found(run(pack, make_patient(courses=[anti_d()], **extra)), "anti_d_contraindicated")


def test_past_anti_d_course_is_still_flagged(pack):
    patient = make_patient(courses=[anti_d("2025-02-03")], rh_d=RhD.negative)
    assert found(run(pack, patient), "anti_d_contraindicated")


@pytest.mark.parametrize(
    ("extra", "gap"),
    [
        ({"haemoglobin_g_dl": 11.0}, "Rh(D) status not recorded"),
        ({"rh_d": RhD.positive}, "haemoglobin not recorded"),
    ],
)
def test_anti_d_checks_incomplete_for_planned_course(pack, extra, gap):
    (finding,) = found(
        run(pack, make_patient(courses=[anti_d("2026-11-30")], **extra)), "anti_d_checks_incomplete"
    )
    assert finding.severity == "warning"
    assert gap in finding.why


# ---------------------------------------------------------------- eltrombopag_start_dose


def eltrombopag(first_mg, *, start="2026-09-01", stop=None, then=None):
    steps = [step(start, first_mg)]
    if then is not None:
        steps.append(step("2026-10-01", then))
    return course("eltrombopag", start, stop=stop, steps=steps)


@pytest.mark.parametrize(
    ("risks", "first", "fires"),
    [
        ({"east_southeast_asian_ancestry": True}, 50, True),
        ({"east_southeast_asian_ancestry": True}, 25, False),
        ({"risk_factors": RiskFactors(hepatic_impairment=True)}, 50, True),
        ({}, 50, False),
    ],
)
def test_eltrombopag_start_dose(pack, ref, risks, first, fires):
    findings = found(
        run(pack, make_patient(courses=[eltrombopag(first)], **risks)), "eltrombopag_start_dose"
    )
    assert bool(findings) is fires
    if fires:
        assert findings[0].rule == ref("PIT_ELT_ASIAN_LIVER")
        assert "first dose step 50 mg/day from 2026-09-01" in findings[0].why
        assert "25 mg" in findings[0].message


def test_eltrombopag_start_dose_past_and_planned_courses(pack):
    courses = [
        eltrombopag(50, start="2025-01-06", stop="2025-03-03"),
        eltrombopag(50, start="2026-12-01"),
        eltrombopag(25, start="2026-09-01", then=50),  # later escalation is fine
    ]
    patient = make_patient(courses=courses, east_southeast_asian_ancestry=True)
    findings = found(run(pack, patient), "eltrombopag_start_dose")
    assert [f.key for f in findings] == [
        "eltrombopag_start_dose:course:[0]",
        "eltrombopag_start_dose:course:[1]",
    ]


# ---------------------------------------------------------------- tpo_ra_thrombosis_risk


def test_thrombosis_with_active_tpo_ra(pack, ref):
    patient = make_patient(
        diagnosis="2026-10-01",  # newly diagnosed: no TPO-RA option proposed
        courses=[course("eltrombopag", "2026-10-15", amount=50)],
        risk_factors=RiskFactors(prior_thrombosis=True),
    )
    assessment = run(pack, patient)
    assert not [o for o in assessment.options if o.code in ("romiplostim", "avatrombopag")]
    (finding,) = found(assessment, "tpo_ra_thrombosis_risk")
    assert finding.rule == ref("FIND_TPO_THROMBOSIS")
    assert finding.why[:2] == [
        "prior thrombosis recorded",
        "active eltrombopag course started 2026-10-15",
    ]


def test_thrombosis_with_proposed_tpo_ra(pack):
    patient = make_patient(
        diagnosis="2026-03-01",  # persistent: TPO-RAs proposed
        platelet_counts=counts(("2026-11-15", 20)),
        risk_factors=RiskFactors(prior_thrombosis=True),
    )
    (finding,) = found(run(pack, patient), "tpo_ra_thrombosis_risk")
    label = "option Romiplostim (TPO-RA, weekly injection) proposed"
    assert any(line.startswith(label) for line in finding.why)


def test_no_thrombosis_finding_without_tpo_ra(pack):
    patient = make_patient(diagnosis="2026-10-01", risk_factors=RiskFactors(prior_thrombosis=True))
    assessment = run(pack, patient)
    assert not any("tpo" in o.code or o.code.endswith("trombopag") for o in assessment.options)
    assert not found(assessment, "tpo_ra_thrombosis_risk")


def test_no_thrombosis_no_finding(pack):
    patient = make_patient(courses=[course("eltrombopag", "2026-10-15", amount=50)])
    assert not found(run(pack, patient), "tpo_ra_thrombosis_risk")


# ---------------------------------------------------------------- fostamatinib_hypertension


def test_hypertension_with_proposed_fostamatinib(pack, ref):
    patient = make_patient(
        diagnosis="2026-03-01",
        platelet_counts=counts(("2026-11-15", 20)),
        risk_factors=RiskFactors(hypertension=True),
    )
    (finding,) = found(run(pack, patient), "fostamatinib_hypertension")
    assert finding.rule == ref("FIND_FOSTA_HTN")
    label = "option Fostamatinib (SYK inhibitor) proposed"
    assert any(line.startswith(label) for line in finding.why)


def test_hypertension_with_active_fostamatinib(pack):
    patient = make_patient(
        diagnosis="2026-10-01",
        courses=[course("fostamatinib", "2026-10-20", amount=100, frequency="twice_daily")],
        risk_factors=RiskFactors(hypertension=True),
    )
    (finding,) = found(run(pack, patient), "fostamatinib_hypertension")
    assert "active fostamatinib course started 2026-10-20" in finding.why


def test_hypertension_without_fostamatinib(pack):
    patient = make_patient(diagnosis="2026-10-01", risk_factors=RiskFactors(hypertension=True))
    assert not found(run(pack, patient), "fostamatinib_hypertension")


def test_eltrombopag_once_first_step_counts_as_a_days_dose(pack):
    once = course("eltrombopag", "2026-09-01", stop="2026-09-01", amount=50, frequency="once")
    patient = make_patient(courses=[once], east_southeast_asian_ancestry=True)
    assert found(run(pack, patient), "eltrombopag_start_dose")
