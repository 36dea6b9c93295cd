"""Display formatting shared by the report context: dates, doses, units and short labels.

Pure functions over core types. Dates print as ``22 Nov 2026`` (day, month name, year: never
ambiguous between European and US readers); month names and word order come from the text
catalogue for patient-facing documents. May import: core, stdlib, the i18n catalogue.
"""

from __future__ import annotations

import datetime as dt

from itp_desktop.core.codes import DoseUnit, Frequency
from itp_desktop.core.models.patient import DoseStep
from itp_desktop.core.units import fmt_number, round_half_up
from itp_desktop.reports.i18n import Catalogue

ELLIPSIS = "…"

UNIT_TEXT: dict[DoseUnit, str] = {
    DoseUnit.mg: "mg",
    DoseUnit.g: "g",
    DoseUnit.mcg: "mcg",
    DoseUnit.mg_per_kg: "mg/kg",
    DoseUnit.g_per_kg: "g/kg",
    DoseUnit.mcg_per_kg: "mcg/kg",
    DoseUnit.mg_per_m2: "mg/m²",
    DoseUnit.iu_per_kg: "IU/kg",
}

# Clinician shorthand for a schedule; the patient plan uses the catalogue's plain words.
FREQUENCY_TEXT: dict[Frequency, str] = {
    Frequency.once: "once",
    Frequency.daily: "daily",
    Frequency.twice_daily: "twice daily",
    Frequency.three_times_daily: "3× daily",
    Frequency.four_times_daily: "4× daily",
    Frequency.weekly: "weekly",
    Frequency.twice_weekly: "twice weekly",
    Frequency.three_times_weekly: "3× weekly",
}

# Weight-based units and the absolute unit a per-kg amount converts to for one administration.
PER_KG_ABSOLUTE: dict[DoseUnit, DoseUnit] = {
    DoseUnit.mg_per_kg: DoseUnit.mg,
    DoseUnit.g_per_kg: DoseUnit.g,
    DoseUnit.mcg_per_kg: DoseUnit.mcg,
}


def fmt_date(value: dt.date, catalogue: Catalogue) -> str:
    """``22 Nov 2026`` (or the catalogue's order and month name)."""
    return catalogue.t(
        "format.date",
        day=value.day,
        month=catalogue.t(f"month.{value.month}"),
        year=value.year,
    )


def fmt_datetime(value: dt.datetime, catalogue: Catalogue) -> str:
    """``22 Nov 2026 14:05 UTC``; a naive time prints without a zone."""
    zone = value.tzname() if value.tzinfo is not None else None
    text = f"{fmt_date(value.date(), catalogue)} {value:%H:%M}"
    return f"{text} {zone}" if zone else text


def fmt_amount(amount: float, unit: DoseUnit) -> str:
    """``375 mg/m²``, ``0.5 mg/kg``."""
    return f"{fmt_number(round_half_up(amount, 3))} {UNIT_TEXT[unit]}"


def fmt_step(step: DoseStep) -> str:
    """One dose step in clinician shorthand, e.g. ``10 mcg/kg weekly``."""
    return f"{fmt_amount(step.amount, step.unit)} {FREQUENCY_TEXT[step.frequency]}"


def dose_history(steps: list[DoseStep], *, max_items: int = 6) -> str:
    """Titration summary of a course: ``1 → 2 → … → 10 mcg/kg weekly (10 steps)``.

    Fixed courses of ``once`` steps at one amount print as ``375 mg/m² × 4``. Consecutive
    identical steps are shown once; long histories keep the first and last few amounts with an
    explicit ellipsis so the table cell stays short.
    """
    if all(s.frequency is Frequency.once for s in steps) and (
        len({(s.amount, s.unit) for s in steps}) == 1
    ):
        first = steps[0]
        return f"{fmt_amount(first.amount, first.unit)} × {len(steps)}"
    distinct: list[DoseStep] = []
    for step in steps:
        if not distinct or (step.amount, step.unit, step.frequency) != (
            distinct[-1].amount,
            distinct[-1].unit,
            distinct[-1].frequency,
        ):
            distinct.append(step)
    same_schedule = len({(s.unit, s.frequency) for s in distinct}) == 1
    if same_schedule:
        items = [fmt_number(round_half_up(s.amount, 3)) for s in distinct]
        tail = f" {UNIT_TEXT[distinct[0].unit]} {FREQUENCY_TEXT[distinct[0].frequency]}"
    else:
        items = [fmt_step(s) for s in distinct]
        tail = ""
    if len(items) > max_items:
        keep_head = max_items // 2
        keep_tail = max_items - keep_head - 1
        items = [*items[:keep_head], ELLIPSIS, *items[len(items) - keep_tail :]]
    text = " → ".join(items) + tail
    if len(steps) > 1:
        text += f" ({len(steps)} steps)"
    return text


def step_on(steps: list[DoseStep], day: dt.date) -> DoseStep:
    """The dose step in force on `day` (the first step when `day` precedes every step)."""
    current = steps[0]
    for step in steps:
        if step.effective_date <= day:
            current = step
    return current


def humanise(code: str) -> str:
    """Fallback label of a code: ``meningococcal_acwy`` → ``Meningococcal acwy``."""
    text = code.replace("_", " ").replace(":", ": ").strip()
    return text[:1].upper() + text[1:]


def years_months(start: dt.date, end: dt.date) -> tuple[int, int]:
    """Completed years and months from `start` to `end` (0, 0 when `end` precedes `start`)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    months = max(months, 0)
    return months // 12, months % 12
