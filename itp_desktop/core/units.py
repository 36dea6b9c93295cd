"""Unit conversion and normalisation (ITP_REFERENCE.md 5.4 and worked example 10.6).

Pure functions. Platelet counts are stored as entered (value + unit) and normalised to
×10⁹/L for every rule. Doses are normalised against weight (kg) and body-surface area (m²).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from itp_desktop.core.codes import ADMINISTRATIONS_PER_WEEK, DoseUnit, Frequency, PlateletUnit

PLATELET_MAX_E9 = 3000.0
"""Hard upper bound of a platelet count in ×10⁹/L (engineering proposal, reference 5.4)."""

PLATELET_VERIFY_E9 = 1000.0
"""Counts above this (×10⁹/L) prompt the user to verify (reference 5.4)."""

PER_UL_MIN_CONVERTIBLE = 2000.0
"""A value labelled /µL must exceed this to be divided by 1000 (reference 5.4, example 10.6)."""

UNIT_LABELS: dict[PlateletUnit, str] = {
    PlateletUnit.e9_per_l: "×10⁹/L",
    PlateletUnit.e3_per_ul: "×10³/µL",
    PlateletUnit.per_ul: "/µL",
}


def platelet_to_e9(value: float, unit: PlateletUnit) -> float:
    """Convert a platelet count to ×10⁹/L without validating it."""
    if unit is PlateletUnit.per_ul:
        return value / 1000.0
    return value


def platelet_problem(value: float, unit: PlateletUnit) -> str | None:
    """Return why a platelet count is implausible, or None when it is acceptable.

    Rules (reference 5.4): negative values are rejected; after normalisation a count must be
    0–3000 ×10⁹/L; a value in ×10⁹/L (or ×10³/µL) above 3000 looks like a /µL value; a value
    labelled /µL between 0 and 2000 looks like a ×10⁹/L value (it would mean fewer than
    2 ×10⁹/L) and must be re-entered with the right unit.
    """
    if not math.isfinite(value):
        return "a platelet count must be a number"
    if value < 0:
        return "a platelet count cannot be negative"
    label = UNIT_LABELS[unit]
    if unit is PlateletUnit.per_ul:
        if 0 < value <= PER_UL_MIN_CONVERTIBLE:
            return (
                f"{fmt_number(value)} /µL would be {fmt_number(value / 1000)} ×10⁹/L; this looks "
                f"like a value in ×10⁹/L — enter it with unit 10^9/L (or 10^3/uL) instead"
            )
        if value / 1000.0 > PLATELET_MAX_E9:
            return f"{fmt_number(value)} /µL is above the plausible maximum of 3,000,000 /µL"
        return None
    if value > PLATELET_MAX_E9:
        if value / 1000.0 <= PLATELET_MAX_E9:
            return (
                f"{fmt_number(value)} {label} is above the plausible maximum of 3000; this looks "
                f"like a count in /µL ({fmt_number(value / 1000)} ×10⁹/L) — enter it with "
                f"unit /uL instead"
            )
        return f"{fmt_number(value)} {label} is above the plausible maximum of 3000"
    return None


def fmt_number(value: float) -> str:
    """Format a number without a trailing ``.0`` and with thousands separators."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def fmt_count(value_e9: float) -> str:
    """Format a count in ×10⁹/L for display, e.g. ``23 ×10⁹/L``."""
    return f"{fmt_number(round_half_up(value_e9, 1))} ×10⁹/L"


def round_half_up(value: float, places: int = 1) -> float:
    """Round half up (contract: Rounding), e.g. 74.45 → 74.5 at one decimal."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def bsa_mosteller(weight_kg: float, height_cm: float) -> float:
    """Body-surface area in m² by Mosteller: sqrt(height cm × weight kg / 3600)."""
    return math.sqrt(height_cm * weight_kg / 3600.0)


def per_administration(
    amount: float,
    unit: DoseUnit,
    target: DoseUnit,
    *,
    weight_kg: float | None,
    bsa_m2: float | None,
) -> float | None:
    """Convert one administration's amount from `unit` to `target`.

    Mass units convert among themselves (g, mg, mcg); weight-based units (mg/kg, g/kg,
    mcg/kg) need `weight_kg` to convert to or from absolute mass; mg/m2 needs `bsa_m2`.
    IU/kg converts only to itself (5 IU = 1 mcg is anti-D specific and is not applied here).

    Returns:
        The amount in `target`, or None when the conversion needs a missing weight/BSA or is
        not defined.
    """
    if unit is target:
        return amount
    mcg = _to_mcg_absolute(amount, unit, weight_kg=weight_kg, bsa_m2=bsa_m2)
    if mcg is None:
        return None
    return _from_mcg_absolute(mcg, target, weight_kg=weight_kg, bsa_m2=bsa_m2)


_MASS_IN_MCG: dict[DoseUnit, float] = {DoseUnit.mcg: 1.0, DoseUnit.mg: 1e3, DoseUnit.g: 1e6}
_PER_KG_IN_MCG: dict[DoseUnit, float] = {
    DoseUnit.mcg_per_kg: 1.0,
    DoseUnit.mg_per_kg: 1e3,
    DoseUnit.g_per_kg: 1e6,
}


def _to_mcg_absolute(
    amount: float, unit: DoseUnit, *, weight_kg: float | None, bsa_m2: float | None
) -> float | None:
    if unit in _MASS_IN_MCG:
        return amount * _MASS_IN_MCG[unit]
    if unit in _PER_KG_IN_MCG:
        return None if weight_kg is None else amount * _PER_KG_IN_MCG[unit] * weight_kg
    if unit is DoseUnit.mg_per_m2:
        return None if bsa_m2 is None else amount * 1e3 * bsa_m2
    return None


def _from_mcg_absolute(
    mcg: float, target: DoseUnit, *, weight_kg: float | None, bsa_m2: float | None
) -> float | None:
    if target in _MASS_IN_MCG:
        return mcg / _MASS_IN_MCG[target]
    if target in _PER_KG_IN_MCG:
        if not weight_kg:
            return None
        return mcg / _PER_KG_IN_MCG[target] / weight_kg
    if target is DoseUnit.mg_per_m2:
        return None if not bsa_m2 else mcg / 1e3 / bsa_m2
    return None


def per_day(
    amount: float,
    unit: DoseUnit,
    frequency: Frequency,
    target: DoseUnit,
    *,
    weight_kg: float | None,
    bsa_m2: float | None,
) -> float | None:
    """Average daily amount in `target` units (e.g. 150 mg twice daily → 300 mg/day).

    A ``once`` step has no daily rate and returns None.
    """
    if frequency is Frequency.once:
        return None
    single = per_administration(amount, unit, target, weight_kg=weight_kg, bsa_m2=bsa_m2)
    if single is None:
        return None
    return single * ADMINISTRATIONS_PER_WEEK[frequency] / 7.0


def per_week(
    amount: float,
    unit: DoseUnit,
    frequency: Frequency,
    target: DoseUnit,
    *,
    weight_kg: float | None,
    bsa_m2: float | None,
) -> float | None:
    """Weekly amount in `target` units (e.g. 680 mcg weekly at 68 kg → 10 mcg/kg/week)."""
    daily = per_day(amount, unit, frequency, target, weight_kg=weight_kg, bsa_m2=bsa_m2)
    return None if daily is None else daily * 7.0
