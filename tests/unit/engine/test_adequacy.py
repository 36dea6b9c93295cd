"""Adequate-trial verdicts per the contract's adequacy table and the pack's AdequacyRule."""

from __future__ import annotations

import datetime as dt

import pytest

from itp_desktop.core.codes import AgentCode, DoseUnit, InadequacyCode
from itp_desktop.core.errors import RuleError
from itp_desktop.engine.adequacy import assess_adequacy, missing_basis
from tests.strategies import course, d, make_patient, step, weekly_doses

MAX = InadequacyCode.max_dose_not_reached
SHORT = InadequacyCode.duration_too_short
INCOMPLETE = InadequacyCode.incomplete_course
BELOW = InadequacyCode.dose_below_standard

# BSA 1.80 m² exactly: sqrt(162 × 72 / 3600) = sqrt(3.24).
BSA_180 = {"weight_kg": 72.0, "height_cm": 162.0}


def verdict(pack, treatment, as_of, **patient_fields):
    patient = make_patient(courses=[treatment], **patient_fields)
    return assess_adequacy(treatment, patient, pack, d(as_of))


# ---------------------------------------------------------------- romiplostim (example 10.2)


def romiplostim_titration(last_week, stop, unit="mcg"):
    """Week k at k mcg/kg from 5 Jan 2026 (68 kg: k × 68 mcg); 10 mcg/kg on 9 Mar."""
    start = dt.date(2026, 1, 5)
    steps = [
        step(
            start + dt.timedelta(days=7 * (week - 1)),
            week * (68 if unit == "mcg" else 1),
            unit,
            "weekly",
        )
        for week in range(1, last_week + 1)
    ]
    return course("romiplostim", start, stop=stop, steps=steps)


def test_romiplostim_four_weeks_at_ten_is_adequate(pack, ref):
    result = verdict(pack, romiplostim_titration(10, "2026-03-30"), "2026-04-06", weight_kg=68)
    assert (result.adequate, result.inadequacy) == (True, [])
    assert result.reasons[0] == "28 days at ≥ 10 mcg/kg per dose (28 needed)"
    assert result.rule == ref("ADQ_ROMI")


def test_romiplostim_stopped_after_three_doses_is_too_short(pack):
    result = verdict(pack, romiplostim_titration(10, "2026-03-23"), "2026-04-06", weight_kg=68)
    assert (result.adequate, result.inadequacy) == (False, [SHORT])
    assert result.reasons[0] == "21 days at ≥ 10 mcg/kg per dose (28 needed)"


def test_romiplostim_stopped_at_six_never_reached_max_dose(pack):
    result = verdict(pack, romiplostim_titration(6, "2026-02-15"), "2026-04-06", weight_kg=68)
    assert (result.adequate, result.inadequacy) == (False, [MAX])  # not duration_too_short
    assert "10 mcg/kg per dose never reached (highest dose 6 mcg/kg per dose)" in result.reasons


def test_romiplostim_ongoing_is_judged_up_to_as_of(pack):
    treatment = romiplostim_titration(10, None, unit="mcg/kg")
    done = verdict(pack, treatment, "2026-03-30", weight_kg=None)
    assert done.adequate is True
    early = verdict(pack, treatment, "2026-03-29", weight_kg=None)
    assert early.inadequacy == [SHORT]
    assert "course ongoing: judged up to 2026-03-29" in early.reasons


def test_romiplostim_in_mcg_without_weight_is_not_reached_and_says_why(pack):
    result = verdict(pack, romiplostim_titration(10, "2026-03-30"), "2026-04-06", weight_kg=None)
    assert result.inadequacy == [MAX]
    assert any("weight is missing" in reason for reason in result.reasons)


# ---------------------------------------------------------------- eltrombopag / fostamatinib


@pytest.mark.parametrize(("stop", "expected"), [("2026-01-28", []), ("2026-01-27", [SHORT])])
def test_eltrombopag_28_days_at_75(pack, stop, expected):
    treatment = course(
        "eltrombopag",
        "2025-12-01",
        stop=stop,
        steps=[step("2025-12-01", 50), step("2026-01-01", 75)],
    )
    assert verdict(pack, treatment, "2026-03-01").inadequacy == expected


def fostamatinib(days_at_100, days_at_150):
    start = dt.date(2026, 1, 1)
    steps = [step(start, 100, "mg", "twice_daily")]
    if days_at_150:
        steps.append(step(start + dt.timedelta(days=days_at_100), 150, "mg", "twice_daily"))
    stop = start + dt.timedelta(days=days_at_100 + days_at_150 - 1)
    return course("fostamatinib", start, stop=stop, steps=steps)


def test_fostamatinib_300_per_day_reached_and_84_days(pack, ref):
    result = verdict(pack, fostamatinib(28, 56), "2026-06-01")
    assert (result.adequate, result.inadequacy) == (True, [])
    assert result.reasons == ["300 mg/day reached", "course total 84 days (84 needed)"]
    assert result.rule == ref("ADQ_FOSTA")


def test_fostamatinib_83_days_is_too_short(pack):
    assert verdict(pack, fostamatinib(28, 55), "2026-06-01").inadequacy == [SHORT]


def test_fostamatinib_never_at_150_twice_daily(pack):
    result = verdict(pack, fostamatinib(120, 0), "2026-06-01")
    assert result.inadequacy == [MAX]


# ---------------------------------------------------------------- rituximab regimens


def rituximab(amounts, unit="mg/m2", **kwargs):
    return weekly_doses("rituximab", "2026-02-02", amounts, unit, **kwargs)


@pytest.mark.parametrize(
    ("amounts", "unit", "expected"),
    [
        ([375] * 4, "mg/m2", []),
        ([675] * 4, "mg", []),  # 375 mg/m² × 1.80 m²
        ([337.5] * 4, "mg/m2", []),  # −10 % edge
        ([607.5] * 4, "mg", []),  # −10 % edge in mg
        ([337] * 4, "mg/m2", [BELOW]),
        ([606] * 4, "mg", [BELOW]),
        ([412.5] * 4, "mg/m2", []),  # +10 % edge
        ([1000] * 2, "mg", []),
        ([900] * 2, "mg", []),
        ([1000], "mg", [INCOMPLETE]),
        ([100] * 4, "mg", [BELOW]),
        ([375] * 3, "mg/m2", [INCOMPLETE]),
        ([375, 375, 100, 100], "mg/m2-mixed", [BELOW]),
        ([375, 375, 100], "mg/m2-mixed", [INCOMPLETE, BELOW]),
    ],
)
def test_rituximab_regimens(pack, amounts, unit, expected):
    if unit == "mg/m2-mixed":
        start = dt.date(2026, 2, 2)
        steps = [
            step(
                start + dt.timedelta(days=7 * i), amount, "mg/m2" if amount == 375 else "mg", "once"
            )
            for i, amount in enumerate(amounts)
        ]
        treatment = course("rituximab", start, stop=steps[-1].effective_date, steps=steps)
    else:
        treatment = rituximab(amounts, unit)
    result = verdict(pack, treatment, "2026-06-01", **BSA_180)
    assert result.inadequacy == expected
    assert result.adequate is (not expected)


def test_rituximab_low_dose_is_named(pack):
    result = verdict(pack, rituximab([100] * 4, "mg"), "2026-06-01", **BSA_180)
    assert result.inadequacy == [BELOW]
    assert "4 administration(s) of the low-dose regimen 100 mg × 4 (±10 %)" in result.reasons


def test_rituximab_dose_above_the_range_counts_as_standard(pack):
    result = verdict(pack, rituximab([413] * 4), "2026-06-01", **BSA_180)
    assert result.adequate is True
    assert any("above the standard dose range" in reason for reason in result.reasons)


def test_rituximab_three_doses_reason(pack):
    result = verdict(pack, rituximab([375] * 3), "2026-06-01", **BSA_180)
    assert result.reasons[0] == "3 of 4 administrations at 375 mg/m² × 4 (±10 %)"


def test_rituximab_in_mg_without_height_cannot_be_compared(pack):
    result = verdict(pack, rituximab([675] * 4, "mg"), "2026-06-01", height_cm=None)
    assert result.inadequacy == [BELOW]
    assert any("body-surface area is unknown" in reason for reason in result.reasons)


def test_rituximab_weekly_step_counts_doses_in_force(pack):
    treatment = course(
        "rituximab", "2026-02-02", stop="2026-02-23", amount=375, unit="mg/m2", frequency="weekly"
    )
    assert verdict(pack, treatment, "2026-06-01").adequate is True
    shorter = course(
        "rituximab", "2026-02-02", stop="2026-02-22", amount=375, unit="mg/m2", frequency="weekly"
    )
    assert verdict(pack, shorter, "2026-06-01").inadequacy == [INCOMPLETE]


# ---------------------------------------------------------------- corticosteroids


@pytest.mark.parametrize(
    ("amount", "stop", "expected"),
    [
        (35, "2026-03-14", []),  # 0.5 mg/kg × 70 kg for 14 days
        (35, "2026-03-13", [SHORT]),  # 13 days
        (34, "2026-03-14", [BELOW]),
    ],
)
def test_prednisone_half_mg_per_kg_for_14_days(pack, amount, stop, expected):
    treatment = course("prednisone", "2026-03-01", stop=stop, amount=amount)
    result = verdict(pack, treatment, "2026-04-01", weight_kg=70)
    assert result.inadequacy == expected


def test_prednisone_in_mg_without_weight(pack):
    treatment = course("prednisone", "2026-03-01", stop="2026-03-20", amount=60)
    result = verdict(pack, treatment, "2026-04-01", weight_kg=None)
    assert result.inadequacy == [BELOW]
    assert any(reason.startswith("weight is missing") for reason in result.reasons)


def test_prednisone_in_mg_per_kg_needs_no_weight(pack):
    treatment = course("prednisone", "2026-03-01", stop="2026-03-14", amount=1, unit="mg/kg")
    assert verdict(pack, treatment, "2026-04-01", weight_kg=None).adequate is True


@pytest.mark.parametrize(
    ("stop", "amount", "expected"),
    [("2026-03-04", 40, []), ("2026-03-03", 40, [SHORT]), ("2026-03-04", 20, [BELOW])],
)
def test_dexamethasone_cycle_as_one_daily_step(pack, stop, amount, expected):
    treatment = course("dexamethasone", "2026-03-01", stop=stop, amount=amount)
    assert verdict(pack, treatment, "2026-04-01").inadequacy == expected


def test_dexamethasone_cycle_as_four_once_steps(pack, ref):
    days = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"]
    treatment = course(
        "dexamethasone", days[0], stop=days[-1], steps=[step(day, 40, "mg", "once") for day in days]
    )
    result = verdict(pack, treatment, "2026-04-01")
    assert (result.adequate, result.rule) == (True, ref("ADQ_DEX"))
    assert result.reasons[0] == "4 consecutive days at ≥ 40 mg/day (4 needed)"


# ---------------------------------------------------------------- no rule / planned


def test_agent_without_rule_is_null(pack):
    treatment = course(
        "ivig", "2026-03-01", stop="2026-03-01", amount=1, unit="g/kg", frequency="once"
    )
    result = verdict(pack, treatment, "2026-04-01")
    assert (result.adequate, result.inadequacy, result.rule) == (None, [], None)


def test_planned_course_is_null(pack):
    result = verdict(pack, course("eltrombopag", "2026-05-01", amount=75), "2026-04-01")
    assert (result.adequate, result.inadequacy) == (None, [])
    assert "planned course" in result.reasons[0]


def test_mycophenolate_in_grams_per_day(pack):
    treatment = course(
        "mycophenolate", "2026-01-01", stop="2026-03-25", amount=750, frequency="twice_daily"
    )
    assert verdict(pack, treatment, "2026-04-01").adequate is True  # 1.5 g/day × 84 days


def test_course_assessment_carries_adequacy(assess_courses, ref):
    treatment = course("prednisone", "2026-03-01", stop="2026-03-13", amount=35)
    (result,) = assess_courses(make_patient(courses=[treatment]), "2026-04-01")
    assert (result.adequate_trial, result.inadequacy) == (False, [SHORT])
    assert result.adequacy_reasons[0] == "13 days at ≥ 0.5 mg/kg/day (14 needed)"
    assert result.rules[-1] == ref("ADQ_PRED")


# ---------------------------------------------------------------- rule variants and pack errors


def with_rule(pack, agent, **changes):
    info = pack.agents[AgentCode(agent)]
    rule = info.adequacy.model_copy(update=changes)
    agents = {**pack.agents, AgentCode(agent): info.model_copy(update={"adequacy": rule})}
    return pack.model_copy(update={"agents": agents})


def test_cycle_rule_in_mg_per_kg_without_weight_says_so(pack):
    variant = with_rule(pack, "dexamethasone", dose=0.5, unit=DoseUnit.mg_per_kg)
    treatment = course("dexamethasone", "2026-03-01", stop="2026-03-04", amount=40)
    result = verdict(variant, treatment, "2026-04-01", weight_kg=None)
    assert result.inadequacy == [BELOW]
    assert result.reasons[0] == "0.5 mg/kg/day never reached: no dose could be compared"
    assert result.reasons[1].startswith("weight is missing: the dose of 40 mg from 2026-03-01")


def test_dose_rule_without_a_dose_is_a_rule_error(pack):
    variant = with_rule(pack, "eltrombopag", dose=None)
    treatment = course("eltrombopag", "2026-03-01", amount=75)
    with pytest.raises(RuleError, match="ADQ_ELT"):
        verdict(variant, treatment, "2026-04-01")


def test_regimen_rule_without_regimens_is_a_rule_error(pack):
    variant = with_rule(pack, "rituximab", regimens=[])
    with pytest.raises(RuleError, match="lists no regimens"):
        verdict(variant, rituximab([375] * 4), "2026-06-01")


def test_missing_basis_names_what_is_missing():
    patient = make_patient(weight_kg=None, height_cm=None)
    assert missing_basis(DoseUnit.mg, DoseUnit.mg_per_kg, patient) == "weight is missing"
    assert missing_basis(DoseUnit.mg, DoseUnit.mg_per_m2, patient).startswith("weight or height")
    assert missing_basis(DoseUnit.iu_per_kg, DoseUnit.mg, make_patient()) == (
        "IU/kg cannot be converted to mg"
    )
