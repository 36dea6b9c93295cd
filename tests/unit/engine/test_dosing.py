"""Dose suggestions: romiplostim weekly titration and eltrombopag start dose
(reference 2.3, 5.1; LBL-Nplate, LBL-Promacta)."""

from __future__ import annotations

import datetime as dt

import pytest

from itp_desktop.core.models.patient import Patient, RiskFactors
from itp_desktop.engine import assess
from tests.strategies import counts, course, d, make_patient

AS_OF = "2026-11-22"


def run(pack, patient, as_of=AS_OF):
    return assess(patient, pack, d(as_of))


def suggestion(assessment, agent):
    found = [s for s in assessment.dose_suggestions if s.agent == agent]
    return found[0] if found else None


def romi(dose, unit="mcg/kg", *, stop=None):
    return course(
        "romiplostim", "2026-09-07", stop=stop, amount=dose, unit=unit, frequency="weekly"
    )


def titration(pack, dose, *values, unit="mcg/kg", weight=68.0):
    """Counts are weekly, the last one on as_of − 1."""
    last = d(AS_OF) - dt.timedelta(days=1)
    dated = [(last - dt.timedelta(days=7 * i), v) for i, v in enumerate(reversed(values))]
    patient = make_patient(
        courses=[romi(dose, unit)], platelet_counts=counts(*dated), weight_kg=weight
    )
    return suggestion(run(pack, patient), "romiplostim")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((30,), "increase to 4 mcg/kg weekly (272 mcg at 68 kg"),
        ((49.9,), "increase to 4 mcg/kg"),
        ((50,), "keep 3 mcg/kg weekly"),
        ((200,), "keep 3 mcg/kg weekly"),
        ((250,), "above 200 for the first week: keep 3 mcg/kg"),
        ((150, 250), "above 200 for the first week"),
        ((260, 250), "reduce to 2 mcg/kg weekly (136 mcg at 68 kg)"),
        ((400,), "above 200 for the first week"),
        ((401,), "hold romiplostim"),
    ],
)
def test_romiplostim_titration_steps(pack, ref, values, expected):
    found = titration(pack, 3, *values)
    assert expected in found.text
    assert found.rule == ref("DOSE_ROMI_TITRATION")
    assert found.sources == ["LBL-Nplate"]
    assert found.code == "weekly_titration"


def test_maximum_dose_is_10(pack):
    assert "maximum dose of 10 mcg/kg" in titration(pack, 10, 20).text
    assert "increase to 10 mcg/kg" in titration(pack, 9, 20).text


def test_absolute_mcg_doses_use_the_weight(pack):
    assert "increase to 4 mcg/kg" in titration(pack, 204, 20, unit="mcg").text


def test_per_kg_dose_without_weight_omits_the_mcg_amount(pack):
    found = titration(pack, 3, 20, weight=None)
    assert "increase to 4 mcg/kg weekly;" in found.text
    assert "mcg at" not in found.text


def test_mcg_dose_without_weight_cannot_be_titrated(pack):
    found = titration(pack, 204, 20, unit="mcg", weight=None)
    assert "record the weight" in found.text


def test_no_count_asks_for_one(pack):
    patient = make_patient(courses=[romi(3)])
    assert "No platelet count" in suggestion(run(pack, patient), "romiplostim").text


def test_stale_count_is_flagged(pack):
    patient = make_patient(courses=[romi(3)], platelet_counts=counts(("2026-11-01", 30)))
    found = suggestion(run(pack, patient), "romiplostim")
    assert "the latest count is 21 days old: check a count before the next dose" in found.why


def test_stopped_romiplostim_has_no_titration(pack):
    patient = make_patient(
        courses=[romi(3, stop="2026-11-02")], platelet_counts=counts(("2026-11-20", 30))
    )
    assert suggestion(run(pack, patient), "romiplostim") is None


# ---------------------------------------------------------------- eltrombopag start dose


def planned_elt(**extra):
    return make_patient(courses=[course("eltrombopag", "2026-12-01", amount=25)], **extra)


@pytest.mark.parametrize(
    ("extra", "dose"),
    [
        ({}, "50 mg"),
        ({"east_southeast_asian_ancestry": True}, "25 mg"),
        ({"risk_factors": RiskFactors(hepatic_impairment=True)}, "25 mg"),
        (
            {
                "east_southeast_asian_ancestry": True,
                "risk_factors": RiskFactors(hepatic_impairment=True),
            },
            "12.5 mg",
        ),
    ],
)
def test_eltrombopag_start_dose(pack, ref, extra, dose):
    found = suggestion(run(pack, planned_elt(**extra)), "eltrombopag")
    assert f"at {dose} once daily" in found.text
    assert found.rule == ref("DOSE_ELT_START")
    assert found.code == "start_dose"


def test_young_child_starts_at_25(pack):
    child = Patient.model_validate(
        {**planned_elt().model_dump(), "birth_date": dt.date(2022, 1, 1)}
    )
    assert "at 25 mg" in suggestion(run(pack, child), "eltrombopag").text


def test_proposed_eltrombopag_gets_a_start_dose(pack):
    persistent = make_patient(diagnosis="2026-05-01", platelet_counts=counts(("2026-11-15", 20)))
    found = suggestion(run(pack, persistent), "eltrombopag")
    assert any(line.startswith("option eltrombopag proposed") for line in found.why)


def test_no_eltrombopag_no_start_dose(pack):
    newly = make_patient(diagnosis="2026-10-20", platelet_counts=counts(("2026-11-15", 20)))
    assert suggestion(run(pack, newly), "eltrombopag") is None


def test_eltrombopag_far_down_the_list_gets_no_start_dose(pack):
    persistent = make_patient(
        diagnosis="2026-05-01",
        platelet_counts=counts(("2026-11-15", 20)),
        risk_factors=RiskFactors(prior_thrombosis=True),
    )
    assessment = run(pack, persistent)
    assert next(o.rank for o in assessment.options if o.code == "eltrombopag") > 3
    assert suggestion(assessment, "eltrombopag") is None
