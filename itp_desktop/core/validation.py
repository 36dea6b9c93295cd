"""Pure cross-field checks reusable by services, importers and dialogs.

`parse_patient` turns raw data into a `Patient` or raises `ValidationFailed` whose problems
name field paths like ``courses[2].dose_steps[0].unit``. `check_against_catalogue` applies the
knowledge pack's allowed dose units; `check_not_in_future` rejects results dated after today
(today is passed in: this module never reads the clock).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from itp_desktop.core.codes import AgentCode, DoseUnit
from itp_desktop.core.errors import FieldProblem, ValidationFailed
from itp_desktop.core.models.patient import Patient


def loc_to_path(loc: Sequence[int | str]) -> str:
    """Render a pydantic error location as ``a.b[2].c``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "(record)"


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def problems_from_pydantic(error: ValidationError, prefix: str = "") -> list[FieldProblem]:
    """Convert a pydantic `ValidationError` into field problems with readable messages."""
    problems = []
    for item in error.errors(include_url=False):
        loc = item["loc"]
        message = str(item["msg"]).removeprefix("Value error, ")
        value = item.get("input")
        shown = "" if isinstance(value, dict | list) else _short(value)
        path = loc_to_path(loc)
        if prefix:
            path = f"{prefix}.{path}" if path != "(record)" else prefix
        problems.append(FieldProblem(path=path, message=message, value=shown))
    return problems


def parse_patient(data: Any, *, context: str = "") -> Patient:
    """Validate raw data (a dict from JSON) into a `Patient`.

    Raises:
        ValidationFailed: with one problem per invalid field.
    """
    try:
        return Patient.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(problems_from_pydantic(exc), context=context) from None


def check_against_catalogue(
    patient: Patient, allowed_units: Mapping[AgentCode, Iterable[DoseUnit]]
) -> list[FieldProblem]:
    """Check each dose step's unit against the units the agent allows in the knowledge pack."""
    problems = []
    for c_index, course in enumerate(patient.courses):
        units = frozenset(allowed_units.get(course.agent, ()))
        if not units:
            problems.append(
                FieldProblem(
                    f"courses[{c_index}].agent",
                    "agent is not in the knowledge pack's catalogue",
                    course.agent,
                )
            )
            continue
        for s_index, step in enumerate(course.dose_steps):
            if step.unit not in units:
                allowed = ", ".join(sorted(u.value for u in units))
                problems.append(
                    FieldProblem(
                        f"courses[{c_index}].dose_steps[{s_index}].unit",
                        f"unit not allowed for {course.agent} (allowed: {allowed})",
                        step.unit.value,
                    )
                )
    return problems


def check_not_in_future(patient: Patient, today: dt.date) -> list[FieldProblem]:
    """Results (counts, bleeding assessments, work-up, vaccines, monitoring) cannot be future.

    Therapy courses and procedures may be planned, so they are not checked here.
    """
    problems = []
    dated: list[tuple[str, Sequence[Any]]] = [
        ("platelet_counts", patient.platelet_counts),
        ("bleeding", patient.bleeding),
        ("immunizations", patient.immunizations),
        ("monitoring", patient.monitoring),
        ("workup", patient.workup),
    ]
    for name, entries in dated:
        for index, entry in enumerate(entries):
            when = entry.date
            if when is not None and when > today:
                problems.append(
                    FieldProblem(
                        f"{name}[{index}].date",
                        f"a result cannot be dated in the future (today is {today})",
                        str(when),
                    )
                )
    if patient.birth_date > today:
        problems.append(
            FieldProblem("birth_date", "cannot be in the future", str(patient.birth_date))
        )
    if patient.diagnosis is not None and patient.diagnosis.effective_date > today:
        # A YYYY-MM diagnosis in the current month resolves to the month's end: allow it.
        first_of_month = patient.diagnosis.effective_date.replace(day=1)
        if len(patient.diagnosis.date) != 7 or first_of_month > today:
            problems.append(
                FieldProblem("diagnosis.date", "cannot be in the future", patient.diagnosis.date)
            )
    return problems


def validate_patient(
    data: Any,
    *,
    allowed_units: Mapping[AgentCode, Iterable[DoseUnit]],
    today: dt.date | None = None,
    context: str = "",
) -> Patient:
    """Full validation: model, catalogue units and (when `today` is given) future dates.

    Raises:
        ValidationFailed: naming every invalid field.
    """
    patient = data if isinstance(data, Patient) else parse_patient(data, context=context)
    problems = check_against_catalogue(patient, allowed_units)
    if today is not None:
        problems += check_not_in_future(patient, today)
    if problems:
        raise ValidationFailed(problems, context=context)
    return patient
