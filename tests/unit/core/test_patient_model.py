import datetime as dt

import pytest

from itp_desktop.core.codes import AgentCode, DoseUnit, PlateletUnit
from itp_desktop.core.errors import ValidationFailed
from itp_desktop.core.models.patient import PlateletCount, resolve_partial_date
from itp_desktop.core.validation import check_against_catalogue, parse_patient


def base(**extra):
    data = {"mrn": "A1", "family_name": "Doe", "birth_date": "1980-05-01"}
    data.update(extra)
    return data


def course(**extra):
    data = {
        "agent": "romiplostim",
        "start_date": "2026-01-05",
        "dose_steps": [
            {"effective_date": "2026-01-05", "amount": 1, "unit": "mcg/kg", "frequency": "weekly"}
        ],
    }
    data.update(extra)
    return data


def problem_paths(exc: ValidationFailed) -> list[str]:
    return [p.path for p in exc.problems]


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (23, "10^9/L", 23),
        (23, "10^3/uL", 23),
        (23000, "/uL", 23),
        (0, "/uL", 0),
        (3000, "10^9/L", 3000),
    ],
)
def test_platelet_units_normalise(value, unit, expected):
    count = PlateletCount(date=dt.date(2026, 1, 1), value=value, unit=PlateletUnit(unit))
    assert count.value_e9 == expected


@pytest.mark.parametrize(
    ("value", "unit", "fragment"),
    [
        (23000, "10^9/L", "looks like a count in /µL"),
        (23, "/uL", "looks like a value in ×10⁹/L"),
        (-1, "10^9/L", "cannot be negative"),
        (3_500_000, "/uL", "plausible maximum"),
        (9_000_000, "10^3/uL", "plausible maximum"),
    ],
)
def test_implausible_platelet_values_name_the_field(value, unit, fragment):
    with pytest.raises(ValidationFailed) as info:
        parse_patient(base(platelet_counts=[{"date": "2026-01-01", "value": value, "unit": unit}]))
    assert problem_paths(info.value) == ["platelet_counts[0].value"]
    assert fragment in info.value.message


def test_stop_before_start_is_rejected():
    with pytest.raises(ValidationFailed) as info:
        parse_patient(base(courses=[course(stop_date="2026-01-01")]))
    assert problem_paths(info.value) == ["courses[0].stop_date"]
    assert "before the start date" in info.value.message


def test_dose_amount_must_be_positive_and_agent_known():
    bad = course(agent="romiplo")
    bad["dose_steps"][0]["amount"] = 0
    with pytest.raises(ValidationFailed) as info:
        parse_patient(base(courses=[bad]))
    assert problem_paths(info.value) == ["courses[0].agent", "courses[0].dose_steps[0].amount"]


def test_weight_range():
    with pytest.raises(ValidationFailed) as info:
        parse_patient(base(weight_kg=401))
    assert problem_paths(info.value) == ["weight_kg"]


def test_unit_must_be_allowed_by_catalogue():
    patient = parse_patient(base(courses=[course()]))
    assert check_against_catalogue(patient, {AgentCode.romiplostim: [DoseUnit.mcg_per_kg]}) == []
    problems = check_against_catalogue(patient, {AgentCode.romiplostim: [DoseUnit.mg]})
    assert [p.path for p in problems] == ["courses[0].dose_steps[0].unit"]


def test_partial_diagnosis_date_resolves_to_month_end():
    assert resolve_partial_date("2024-02") == dt.date(2024, 2, 29)
    assert resolve_partial_date("2025-11-03") == dt.date(2025, 11, 3)


def test_extra_fields_are_rejected():
    with pytest.raises(ValidationFailed) as info:
        parse_patient(base(weigth_kg=70))
    assert problem_paths(info.value) == ["weigth_kg"]


def test_bsa_mosteller():
    patient = parse_patient(base(weight_kg=64, height_cm=180))
    assert patient.bsa_m2 == pytest.approx(1.7889, abs=1e-4)
