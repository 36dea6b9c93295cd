"""Golden patients: hand-written expected assessments and the runner that checks the engine.

A golden case is one JSON file (docs/GOLDEN_PATIENTS.md): a title, a description citing the
contract clause or reference section it checks, an ``as_of`` date, a complete patient exchange
record and a *partial* expected assessment written by hand from the binding contract. The
runner assesses the patient with the engine and compares only the members the file lists, so a
pharmacist can add a case without predicting every message the engine prints. Besides the listed
members every case is also checked against a few contract invariants (one course assessment per
course, ranks 1..n, fixed finding severities, ``due_by`` null on done items, rescue present
exactly when ``active_bleeding`` fires).

Layer: services. May import core and (lazily, when no assess function is injected) the engine;
never PySide6. A malformed file never crashes the run: it becomes a FAIL naming file and field.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from itp_desktop.core.codes import (
    AgentCode,
    ChecklistStatus,
    InadequacyCode,
    MonitoringCode,
    OptionCode,
    Phase,
    ResponseCode,
    Severity,
)
from itp_desktop.core.errors import FieldProblem, ItpError, NotFound, ValidationFailed
from itp_desktop.core.models.assessment import Assessment, CountRef, CourseAssessment, Finding
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.models.patient import Patient
from itp_desktop.core.validation import check_against_catalogue, problems_from_pydantic

AssessFn = Callable[[Patient, KnowledgePack, dt.date], Assessment]
"""Signature of the function that assesses a patient (the engine's `assess` in production)."""

FIXED_FINDING_SEVERITIES: dict[str, Severity] = {
    "platelets_below_10_untreated": Severity.critical,
    "active_bleeding": Severity.critical,
    "rituximab_vaccine_response": Severity.warning,
    "rituximab_after_failure": Severity.warning,
    "tpo_ra_failure_below_max": Severity.warning,
    "inadequate_trial": Severity.warning,
    "hbv_screen_missing": Severity.critical,
    "hbv_rituximab_risk": Severity.critical,
    "splenectomy_vaccines_incomplete": Severity.critical,
    "eltrombopag_start_dose": Severity.warning,
    "tpo_ra_thrombosis_risk": Severity.warning,
    "fostamatinib_hypertension": Severity.warning,
    "prolonged_corticosteroids": Severity.warning,
    "anti_d_contraindicated": Severity.critical,
    "secondary_causes_incomplete": Severity.warning,
    "procedure_threshold": Severity.warning,
}
"""Finding codes and severities fixed by the contract ("Codes fixed for findings")."""

CHECKLIST_ITEMS: dict[str, frozenset[str]] = {
    "splenectomy_immunizations": frozenset(
        {"pneumococcal", "meningococcal_acwy", "meningococcal_b", "hib"}
    ),
    "pre_rituximab": frozenset({"hbv_serology", "vaccinations_before_rituximab"}),
    "secondary_causes": frozenset(
        {"hiv", "hcv", "hbv", "h_pylori", "ana", "antiphospholipid", "immunoglobulins"}
    ),
    "refractoriness": frozenset(
        {"secondary_causes_excluded", *(f"adequate_trial:{agent.value}" for agent in AgentCode)}
    ),
    "bleeding_rescue": frozenset(
        {
            "ivig",
            "methylprednisolone",
            "platelet_transfusion",
            "tranexamic_acid",
            "stop_antithrombotics",
        }
    ),
}
"""Checklist codes and the item codes the contract allows in each ("Checklists fixed")."""

OPTION_CODES: frozenset[str] = frozenset(
    {agent.value for agent in AgentCode} | {option.value for option in OptionCode}
)
"""Every option code the contract allows ("Option codes fixed")."""

_MAX_SHOWN_MISMATCHES = 3
_NON_NULL_COURSE_MEMBERS = ("agent", "response", "loss_of_response", "inadequacy", "status")
_NON_NULL_RESCUE_MEMBERS = (
    "ivig_g_per_kg",
    "methylprednisolone_days",
    "platelet_transfusion",
    "tranexamic_acid",
)


# ---------------------------------------------------------------- file format


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _refuse_nulls(model: BaseModel, names: Sequence[str]) -> None:
    """Refuse an explicit null for members that the assessment never leaves null."""
    for name in names:
        if name in model.model_fields_set and getattr(model, name) is None:
            raise ValueError(f"{name} cannot be null (leave it out to skip the comparison)")


class ExpectedCount(_Spec):
    """An expected platelet count reference ``{date, value}`` (value in ×10⁹/L)."""

    date: dt.date
    value: float


class ExpectedCourse(_Spec):
    """Expected members of one course assessment; only the members given are compared.

    ``time_to_response_days`` and ``adequate_trial`` may be null (that is a real value);
    the other members may not. ``inadequacy`` is compared as a set.
    """

    agent: AgentCode | None = None
    response: ResponseCode | None = None
    time_to_response_days: int | None = Field(default=None, ge=0)
    loss_of_response: bool | None = None
    adequate_trial: bool | None = None
    inadequacy: list[InadequacyCode] | None = None
    status: Literal["planned", "active", "stopped"] | None = None

    @model_validator(mode="after")
    def _no_impossible_nulls(self) -> Self:
        _refuse_nulls(self, _NON_NULL_COURSE_MEMBERS)
        return self


class FindingMatcher(_Spec):
    """A finding that must be present: its code and, optionally, severity and key fragment."""

    code: str = Field(min_length=1)
    severity: Severity | None = None
    key_contains: str | None = Field(default=None, min_length=1)


class ExpectedFindings(_Spec):
    """Findings that must be present (`include`), absent (`exclude`) or present n times.

    `exclude` and `count` accept only the contract's fixed finding codes: a misspelt code
    there would make a check that can never fail.
    """

    include: list[str | FindingMatcher] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    count: dict[str, int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_codes(self) -> Self:
        unknown = [
            code for code in (*self.exclude, *self.count) if code not in FIXED_FINDING_SEVERITIES
        ]
        if unknown:
            raise ValueError(
                f"exclude/count accept only the contract's fixed finding codes; unknown: "
                f"{', '.join(sorted(set(unknown)))}"
            )
        negative = [code for code, n in self.count.items() if n < 0]
        if negative:
            raise ValueError(f"count must be 0 or more (code {negative[0]})")
        return self


class ExpectedItem(_Spec):
    """Expected status and/or ``due_by`` of one checklist item (``due_by`` may be null)."""

    status: ChecklistStatus | None = None
    due_by: dt.date | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        _refuse_nulls(self, ("status",))
        if not self.model_fields_set:
            raise ValueError("give status and/or due_by")
        return self


class ExpectedOptions(_Spec):
    """Expectations on the ranked options (codes are agents, splenectomy or combinations)."""

    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    first: str | None = None
    not_first: list[str] = Field(default_factory=list)
    order: list[str] = Field(default_factory=list)
    cautions: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_codes(self) -> Self:
        codes = [*self.include, *self.exclude, *self.not_first, *self.order, *self.cautions]
        if self.first is not None:
            codes.append(self.first)
        unknown = sorted({code for code in codes if code not in OPTION_CODES})
        if unknown:
            raise ValueError(f"unknown option code(s): {', '.join(unknown)}")
        both = sorted(set(self.exclude) & {*self.include, *self.order, *self.cautions})
        if both or (self.first is not None and self.first in self.exclude):
            raise ValueError(f"option(s) both required and excluded: {', '.join(both)}")
        return self


class ExpectedMonitoring(_Spec):
    """Monitoring codes that must be present or absent."""

    include: list[MonitoringCode] = Field(default_factory=list)
    exclude: list[MonitoringCode] = Field(default_factory=list)


class ExpectedRescue(_Spec):
    """Expected members of a non-null rescue; only the members given are compared.

    ``ivig_total_g`` and ``methylprednisolone_mg_per_day`` may be null (no weight recorded).
    """

    ivig_g_per_kg: float | None = None
    ivig_total_g: float | None = None
    methylprednisolone_mg_per_day: float | None = None
    methylprednisolone_days: int | None = None
    platelet_transfusion: Literal["indicated", "not_routine"] | None = None
    tranexamic_acid: bool | None = None

    @model_validator(mode="after")
    def _no_impossible_nulls(self) -> Self:
        _refuse_nulls(self, _NON_NULL_RESCUE_MEMBERS)
        return self


class GoldenExpected(_Spec):
    """The partial expected assessment of a golden case (see docs/GOLDEN_PATIENTS.md)."""

    phase: Phase | None = None
    latest_platelet_count: ExpectedCount | None = None
    steroid_dependent: bool | None = None
    multi_refractory: bool | None = None
    courses: list[ExpectedCourse | None] | None = None
    findings: ExpectedFindings | None = None
    checklists: dict[str, dict[str, ExpectedItem]] = Field(default_factory=dict)
    options: ExpectedOptions | None = None
    monitoring: ExpectedMonitoring | None = None
    rescue: ExpectedRescue | None = None

    @model_validator(mode="after")
    def _checks(self) -> Self:
        _refuse_nulls(self, ("steroid_dependent", "multi_refractory", "courses"))
        for code, items in self.checklists.items():
            allowed = CHECKLIST_ITEMS.get(code)
            if allowed is None:
                raise ValueError(f"unknown checklist code {code!r}")
            unknown = sorted(set(items) - allowed)
            if unknown:
                raise ValueError(f"checklist {code}: unknown item code(s) {', '.join(unknown)}")
        return self


class GoldenFile(_Spec):
    """One golden case file as stored on disk."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1)
    as_of: dt.date
    patient: Patient
    expected: GoldenExpected

    @model_validator(mode="after")
    def _courses_aligned(self) -> Self:
        if self.expected.courses is not None and len(self.expected.courses) != len(
            self.patient.courses
        ):
            raise ValueError(
                f"expected.courses has {len(self.expected.courses)} entries but the patient "
                f"has {len(self.patient.courses)} courses (use null to skip a course)"
            )
        return self


@dataclass(frozen=True)
class GoldenCase:
    """A validated golden case; `name` is the file name without ``.json``."""

    name: str
    path: Path
    title: str
    description: str
    as_of: dt.date
    patient: Patient
    expected: GoldenExpected


@dataclass(frozen=True)
class GoldenCaseResult:
    """Outcome of one case; each mismatch names the member path, expected and actual."""

    name: str
    title: str
    passed: bool
    mismatches: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GoldenReport:
    """Outcome of a golden run, one result per file in name order."""

    results: list[GoldenCaseResult]

    @property
    def passed(self) -> int:
        """Number of cases that passed."""
        return sum(1 for result in self.results if result.passed)

    @property
    def failed(self) -> int:
        """Number of cases that failed (including unreadable files)."""
        return sum(1 for result in self.results if not result.passed)

    def render(self) -> str:
        """Render one line per case (PASS with title / FAIL with first mismatches) and a total."""
        lines = []
        for result in self.results:
            if result.passed:
                lines.append(f"PASS {result.name} — {result.title}")
                continue
            shown = "; ".join(result.mismatches[:_MAX_SHOWN_MISMATCHES])
            more = len(result.mismatches) - _MAX_SHOWN_MISMATCHES
            suffix = f" (+{more} more)" if more > 0 else ""
            lines.append(f"FAIL {result.name}: {shown}{suffix}")
        lines.append(f"{self.passed} passed, {self.failed} failed")
        return "\n".join(lines)


# ---------------------------------------------------------------- loading


def load_case(path: Path) -> GoldenCase:
    """Read and validate one golden case file.

    Raises:
        ValidationFailed: the file is unreadable, not JSON, or a field is invalid; every
            problem names the field path (``patient.courses[0].stop_date``) and the message
            names the file.
    """
    context = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            [FieldProblem("(file)", f"cannot be read: {exc}")], context=context
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = FieldProblem(
            "(file)", f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        )
        raise ValidationFailed([problem], context=context) from None
    try:
        spec = GoldenFile.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(problems_from_pydantic(exc), context=context) from None
    return GoldenCase(
        name=path.stem,
        path=path,
        title=spec.title,
        description=spec.description,
        as_of=spec.as_of,
        patient=spec.patient,
        expected=spec.expected,
    )


# ---------------------------------------------------------------- running

# Errors an engine bug may raise; the run records them as a FAIL of that case and goes on.
_ENGINE_ERRORS = (ItpError, ArithmeticError, AttributeError, LookupError, TypeError, ValueError)


def _engine_assess(patient: Patient, pack: KnowledgePack, as_of: dt.date) -> Assessment:
    # Imported here so that loading this module (e.g. for `kb test` start-up or the runner's
    # own tests) never depends on the engine package.
    from itp_desktop.engine import assess

    return assess(patient, pack, as_of)


def check_case(
    case: GoldenCase, pack: KnowledgePack, assess_fn: AssessFn | None = None
) -> GoldenCaseResult:
    """Assess one case's patient and compare the result with the case's expectations."""
    unit_problems = check_against_catalogue(case.patient, pack.allowed_units())
    if unit_problems:
        return GoldenCaseResult(
            case.name,
            case.title,
            passed=False,
            mismatches=[f"{case.path.name}: patient.{p.render()}" for p in unit_problems],
        )
    run = assess_fn or _engine_assess
    try:
        assessment = run(case.patient, pack, case.as_of)
    except _ENGINE_ERRORS as exc:
        return GoldenCaseResult(
            case.name,
            case.title,
            passed=False,
            mismatches=[f"assessment failed: {type(exc).__name__}: {exc}"],
        )
    mismatches = compare(case.expected, assessment, case.patient)
    return GoldenCaseResult(case.name, case.title, passed=not mismatches, mismatches=mismatches)


def run_golden(
    folder: Path, pack: KnowledgePack, *, assess_fn: AssessFn | None = None
) -> GoldenReport:
    """Run every ``*.json`` golden case in `folder` (name order) against `pack`.

    Args:
        folder: folder holding the case files.
        pack: the knowledge pack to assess with (also checks dose units).
        assess_fn: assess function to use instead of the engine (tests inject a fake).

    Raises:
        NotFound: the folder does not exist or holds no ``*.json`` file (an empty run must
            not look like a pass).
    """
    if not folder.is_dir():
        raise NotFound(f"Golden patients folder not found: {folder}")
    paths = sorted(folder.glob("*.json"))
    if not paths:
        raise NotFound(f"No golden patient files (*.json) in {folder}")
    results = []
    for path in paths:
        try:
            case = load_case(path)
        except ValidationFailed as exc:
            results.append(
                GoldenCaseResult(
                    path.stem,
                    "(invalid file)",
                    passed=False,
                    mismatches=[f"{path.name}: {p.render()}" for p in exc.problems],
                )
            )
            continue
        results.append(check_case(case, pack, assess_fn))
    return GoldenReport(results)


# ---------------------------------------------------------------- comparison


def _show(value: object) -> str:
    """Render a value the way it looks in the JSON files."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return repr(str(value.value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple | set | frozenset):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return repr(value)


def _same(expected: object, actual: object) -> bool:
    if isinstance(expected, float | int) and not isinstance(expected, bool):
        if isinstance(actual, float | int) and not isinstance(actual, bool):
            return math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-9)
        return False
    return expected == actual


def _diff(path: str, expected: object, actual: object) -> list[str]:
    if _same(expected, actual):
        return []
    return [f"{path}: expected {_show(expected)}, got {_show(actual)}"]


def compare(
    expected: GoldenExpected, assessment: Assessment, patient: Patient | None = None
) -> list[str]:
    """List every difference between a partial expectation and an assessment.

    Only members present in `expected` are compared; the contract invariants are always
    checked (`patient` enables the one-course-per-course check). An empty list means pass.
    """
    out: list[str] = []
    given = expected.model_fields_set
    for name in ("phase", "steroid_dependent", "multi_refractory"):
        if name in given:
            out += _diff(name, getattr(expected, name), getattr(assessment, name))
    if "latest_platelet_count" in given:
        out += _compare_count(expected.latest_platelet_count, assessment)
    if expected.courses is not None:
        out += _compare_courses(expected.courses, assessment.courses)
    if expected.findings is not None:
        out += _compare_findings(expected.findings, assessment.findings)
    out += _compare_checklists(expected.checklists, assessment)
    if expected.options is not None:
        out += _compare_options(expected.options, assessment)
    if expected.monitoring is not None:
        codes = {item.code for item in assessment.monitoring}
        out += [
            f"monitoring: expected {code.value!r} to be due, got {_show(sorted(codes))}"
            for code in expected.monitoring.include
            if code.value not in codes
        ]
        out += [
            f"monitoring: expected no {code.value!r}, but it is listed"
            for code in expected.monitoring.exclude
            if code.value in codes
        ]
    if "rescue" in given:
        out += _compare_rescue(expected.rescue, assessment)
    out += contract_invariants(assessment, patient)
    return out


def _compare_count(expected: ExpectedCount | None, assessment: Assessment) -> list[str]:
    actual = assessment.latest_platelet_count
    if expected is None or actual is None:
        if expected is None and actual is None:
            return []
        return [
            f"latest_platelet_count: expected {_show_count(expected)}, got {_show_count(actual)}"
        ]
    return _diff("latest_platelet_count.date", expected.date, actual.date) + _diff(
        "latest_platelet_count.value", expected.value, actual.value
    )


def _show_count(count: ExpectedCount | CountRef | None) -> str:
    if count is None:
        return "null"
    return f"{{date {count.date.isoformat()}, value {_show(count.value)}}}"


def _compare_courses(
    expected: Sequence[ExpectedCourse | None], actual: Sequence[CourseAssessment]
) -> list[str]:
    if len(expected) != len(actual):
        return [f"courses: expected {len(expected)} course assessments, got {len(actual)}"]
    out: list[str] = []
    for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
        if want is None:
            continue
        for name in sorted(want.model_fields_set):
            path = f"courses[{index}].{name}"
            if name == "inadequacy":
                want_set = {code.value for code in want.inadequacy or []}
                got_set = {code.value for code in got.inadequacy}
                out += _diff(path, sorted(want_set), sorted(got_set))
            else:
                out += _diff(path, getattr(want, name), getattr(got, name))
    return out


def _matches(matcher: FindingMatcher, finding: Finding) -> bool:
    return (
        finding.code == matcher.code
        and (matcher.severity is None or finding.severity is matcher.severity)
        and (matcher.key_contains is None or matcher.key_contains in finding.key)
    )


def _compare_findings(expected: ExpectedFindings, findings: Sequence[Finding]) -> list[str]:
    out: list[str] = []
    present = sorted({finding.code for finding in findings})
    for entry in expected.include:
        matcher = FindingMatcher(code=entry) if isinstance(entry, str) else entry
        if any(_matches(matcher, finding) for finding in findings):
            continue
        details = matcher.model_dump(mode="json", exclude_none=True)
        same_code = [f for f in findings if f.code == matcher.code]
        if same_code:
            got = ", ".join(f"{{severity {f.severity.value}, key {f.key!r}}}" for f in same_code)
            out.append(f"findings: expected {details}, got {got}")
        else:
            out.append(f"findings: expected {matcher.code!r}, got codes {_show(present)}")
    out += [
        f"findings: expected no {code!r}, but it fired ({_why(findings, code)})"
        for code in expected.exclude
        if code in present
    ]
    for code, count in sorted(expected.count.items()):
        actual = sum(1 for finding in findings if finding.code == code)
        out += _diff(f"findings[code={code}].count", count, actual)
    return out


def _why(findings: Sequence[Finding], code: str) -> str:
    first = next(finding for finding in findings if finding.code == code)
    return "; ".join(first.why) or first.message


def _compare_checklists(
    expected: dict[str, dict[str, ExpectedItem]], assessment: Assessment
) -> list[str]:
    out: list[str] = []
    by_code = {checklist.code: checklist for checklist in assessment.checklists}
    for code, items in sorted(expected.items()):
        checklist = by_code.get(code)
        if checklist is None:
            out.append(f"checklists.{code}: expected the checklist, got none")
            continue
        actual_items = {item.code: item for item in checklist.items}
        for item_code, want in sorted(items.items()):
            path = f"checklists.{code}.{item_code}"
            got = actual_items.get(item_code)
            if got is None:
                out.append(f"{path}: expected the item, got items {_show(sorted(actual_items))}")
                continue
            if "status" in want.model_fields_set:
                out += _diff(f"{path}.status", want.status, got.status)
            if "due_by" in want.model_fields_set:
                out += _diff(f"{path}.due_by", want.due_by, got.due_by)
    return out


def _compare_options(expected: ExpectedOptions, assessment: Assessment) -> list[str]:
    out: list[str] = []
    ranked = sorted(assessment.options, key=lambda option: option.rank)
    codes = [option.code for option in ranked]
    shown = _show(codes)
    out += [
        f"options: expected {code!r} to be offered, got {shown}"
        for code in expected.include
        if code not in codes
    ]
    out += [
        f"options: expected {code!r} not to be offered, got {shown}"
        for code in expected.exclude
        if code in codes
    ]
    first = codes[0] if codes else None
    if expected.first is not None:
        out += _diff("options[rank=1].code", expected.first, first)
    out += [
        f"options[rank=1].code: expected anything but {code!r}, got {shown}"
        for code in expected.not_first
        if first == code
    ]
    missing = [code for code in expected.order if code not in codes]
    if missing:
        out.append(f"options.order: expected {_show(missing)} to be offered, got {shown}")
    else:
        actual_order = sorted(expected.order, key=codes.index)
        out += _diff("options.order", expected.order, actual_order)
    by_code = {option.code: option for option in ranked}
    for code, cautions in sorted(expected.cautions.items()):
        option = by_code.get(code)
        if option is None:
            out.append(f"options[code={code}].cautions: expected the option, got {shown}")
            continue
        lacking = [caution for caution in cautions if caution not in option.cautions]
        if lacking:
            out.append(
                f"options[code={code}].cautions: expected {_show(cautions)} among them, "
                f"got {_show(option.cautions)}"
            )
    return out


def _compare_rescue(expected: ExpectedRescue | None, assessment: Assessment) -> list[str]:
    actual = assessment.rescue
    if expected is None:
        return [] if actual is None else ["rescue: expected null, got a rescue plan"]
    if actual is None:
        return [f"rescue: expected {expected.model_dump(exclude_unset=True)}, got null"]
    out: list[str] = []
    for name in sorted(expected.model_fields_set):
        out += _diff(f"rescue.{name}", getattr(expected, name), getattr(actual, name))
    return out


def contract_invariants(assessment: Assessment, patient: Patient | None = None) -> list[str]:
    """Contract rules every assessment must satisfy, whatever the patient.

    One course assessment per input course with the same agent (when `patient` is given);
    option ranks 1..n without ties; fixed finding codes carry their contract severity;
    checklist items that are done or not applicable have no ``due_by``; ``rescue`` is
    non-null exactly when an ``active_bleeding`` finding is present.
    """
    out: list[str] = []
    if patient is not None:
        if len(assessment.courses) != len(patient.courses):
            out.append(
                f"invariant courses: expected one per patient course "
                f"({len(patient.courses)}), got {len(assessment.courses)}"
            )
        else:
            for index, (course, got) in enumerate(
                zip(patient.courses, assessment.courses, strict=True)
            ):
                out += _diff(f"invariant courses[{index}].agent", course.agent, got.agent)
    ranks = [option.rank for option in assessment.options]
    if sorted(ranks) != list(range(1, len(ranks) + 1)):
        out.append(f"invariant options[].rank: expected 1..{len(ranks)} without ties, got {ranks}")
    for finding in assessment.findings:
        severity = FIXED_FINDING_SEVERITIES.get(finding.code)
        if severity is not None and finding.severity is not severity:
            out.append(
                f"invariant findings[code={finding.code}].severity: expected "
                f"{severity.value!r}, got {finding.severity.value!r}"
            )
    for checklist in assessment.checklists:
        for item in checklist.items:
            settled = item.status in (ChecklistStatus.done, ChecklistStatus.not_applicable)
            if settled and item.due_by is not None:
                out.append(
                    f"invariant checklists.{checklist.code}.{item.code}.due_by: expected null "
                    f"when {item.status.value}, got {item.due_by.isoformat()}"
                )
    bleeding = any(finding.code == "active_bleeding" for finding in assessment.findings)
    if bleeding != (assessment.rescue is not None):
        out.append(
            f"invariant rescue: non-null exactly when active_bleeding fires; active_bleeding "
            f"{_show(bleeding)}, rescue {'present' if assessment.rescue else 'null'}"
        )
    return out
