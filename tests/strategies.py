"""Builders and hypothesis strategies for VALID patient records.

Two halves:
- plain builders (`d`, `step`, `course`, `count`, `counts`, `bleed`, `make_patient`) that the
  unit tests use to write short, readable vignettes;
- hypothesis strategies, chiefly `patients()`, which draw any patient the pydantic models
  accept (counts in every unit, overlapping and planned courses, YYYY-MM diagnoses, missing
  weight/height, results dated after a typical as-of date). Property tests of the engine use
  them ("never raises", "a count after the window changes nothing").

Dose units are drawn from `ALLOWED_UNITS`, the units each agent allows in the default
knowledge pack, so the patients also pass `check_against_catalogue`. Imports only core and
hypothesis (never the engine), so any test tier may use it: ``from tests.strategies import …``
(pytest runs with the project root on sys.path via ``python -m pytest``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from itp_desktop.core.codes import (
    AgentCode,
    Candidacy,
    DoseUnit,
    Frequency,
    ItpType,
    MonitoringCode,
    PlateletUnit,
    ProcedureKind,
    RhD,
    Sex,
    StopReason,
    TestResult,
    VaccineCode,
    WorkupTest,
)
from itp_desktop.core.models.patient import (
    BleedingAssessment,
    Diagnosis,
    DoseStep,
    Immunization,
    MonitoringRecord,
    Patient,
    PlateletCount,
    Procedure,
    RiskFactors,
    TherapyCourse,
    WorkupResult,
)

DateLike = dt.date | str

# ---------------------------------------------------------------- plain builders


def d(value: DateLike) -> dt.date:
    """A date from ``YYYY-MM-DD`` (dates pass through)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def step(on: DateLike, amount: float, unit: str = "mg", frequency: str = "daily") -> DoseStep:
    """A dose step."""
    return DoseStep(
        effective_date=d(on), amount=amount, unit=DoseUnit(unit), frequency=Frequency(frequency)
    )


def course(
    agent: str,
    start: DateLike,
    *,
    stop: DateLike | None = None,
    steps: Sequence[DoseStep] | None = None,
    amount: float = 50,
    unit: str = "mg",
    frequency: str = "daily",
    reason: str | None = None,
    course_id: str | None = None,
) -> TherapyCourse:
    """A therapy course; without `steps`, one step of `amount` `unit` `frequency` at start."""
    stop_date = None if stop is None else d(stop)
    if reason is None and stop_date is not None:
        reason = "completed"
    return TherapyCourse(
        id=course_id,
        agent=AgentCode(agent),
        start_date=d(start),
        stop_date=stop_date,
        stop_reason=None if reason is None else StopReason(reason),
        dose_steps=list(steps) if steps is not None else [step(start, amount, unit, frequency)],
    )


def weekly_doses(
    agent: str,
    first: DateLike,
    amounts: Sequence[float],
    unit: str,
    *,
    stop: DateLike | None = None,
    frequency: str = "once",
) -> TherapyCourse:
    """One step per week (`once` infusions by default), amounts in order, stopped on the last."""
    start = d(first)
    steps = [
        step(start + dt.timedelta(days=7 * week), amount, unit, frequency)
        for week, amount in enumerate(amounts)
    ]
    end = d(stop) if stop is not None else steps[-1].effective_date
    return course(agent, start, stop=end, steps=steps)


def count(on: DateLike, value: float, unit: str = "10^9/L") -> PlateletCount:
    """A platelet count."""
    return PlateletCount(date=d(on), value=value, unit=PlateletUnit(unit))


def counts(*pairs: tuple[DateLike, float]) -> list[PlateletCount]:
    """Counts in ×10⁹/L from ``(date, value)`` pairs."""
    return [count(on, value) for on, value in pairs]


def bleed(on: DateLike, who: int | None = 1, **grades: Any) -> BleedingAssessment:
    """A bleeding assessment (WHO grade 1 unless told otherwise)."""
    return BleedingAssessment(date=d(on), who_grade=who, **grades)


def make_patient(
    *,
    platelet_counts: Iterable[PlateletCount] = (),
    courses: Iterable[TherapyCourse] = (),
    bleeding: Iterable[BleedingAssessment] = (),
    procedures: Iterable[Procedure] = (),
    weight_kg: float | None = 70.0,
    height_cm: float | None = 175.0,
    diagnosis: str | None = "2025-01-15",
    **extra: Any,
) -> Patient:
    """A valid adult patient with the given records."""
    return Patient(
        mrn="T-1",
        family_name="Test",
        given_name="Pat",
        birth_date=dt.date(1970, 6, 1),
        weight_kg=weight_kg,
        height_cm=height_cm,
        diagnosis=None if diagnosis is None else Diagnosis(date=diagnosis),
        platelet_counts=list(platelet_counts),
        courses=list(courses),
        bleeding=list(bleeding),
        procedures=list(procedures),
        **extra,
    )


def splenectomy(on: DateLike) -> Procedure:
    """A splenectomy procedure."""
    return Procedure(kind=ProcedureKind.splenectomy, date=d(on))


# ---------------------------------------------------------------- hypothesis strategies

ALLOWED_UNITS: Mapping[AgentCode, tuple[DoseUnit, ...]] = {
    AgentCode.prednisone: (DoseUnit.mg, DoseUnit.mg_per_kg),
    AgentCode.dexamethasone: (DoseUnit.mg,),
    AgentCode.methylprednisolone: (DoseUnit.mg, DoseUnit.mg_per_kg, DoseUnit.g),
    AgentCode.ivig: (DoseUnit.g_per_kg, DoseUnit.g),
    AgentCode.anti_d: (DoseUnit.mcg_per_kg, DoseUnit.iu_per_kg),
    AgentCode.rituximab: (DoseUnit.mg_per_m2, DoseUnit.mg),
    AgentCode.romiplostim: (DoseUnit.mcg_per_kg, DoseUnit.mcg),
    AgentCode.eltrombopag: (DoseUnit.mg,),
    AgentCode.avatrombopag: (DoseUnit.mg,),
    AgentCode.fostamatinib: (DoseUnit.mg,),
    AgentCode.rilzabrutinib: (DoseUnit.mg,),
    AgentCode.mycophenolate: (DoseUnit.mg, DoseUnit.g),
    AgentCode.ciclosporin: (DoseUnit.mg_per_kg, DoseUnit.mg),
    AgentCode.azathioprine: (DoseUnit.mg_per_kg, DoseUnit.mg),
    AgentCode.danazol: (DoseUnit.mg,),
    AgentCode.dapsone: (DoseUnit.mg,),
    AgentCode.cyclophosphamide: (DoseUnit.mg, DoseUnit.mg_per_kg, DoseUnit.mg_per_m2),
    AgentCode.vincristine: (DoseUnit.mg, DoseUnit.mg_per_m2),
    AgentCode.sirolimus: (DoseUnit.mg, DoseUnit.mg_per_m2),
}
"""Dose units each agent allows in the default pack (itp-facts agents.toml)."""

EVENTS_FROM = dt.date(2024, 1, 1)
EVENTS_TO = dt.date(2027, 6, 30)
"""Clinical records are drawn in this range; `as_of_dates` straddles it."""


def as_of_dates() -> st.SearchStrategy[dt.date]:
    """Assessment dates: mostly inside the records' range, sometimes before or after all."""
    return st.dates(min_value=dt.date(2023, 6, 1), max_value=dt.date(2027, 12, 31))


def event_dates(
    first: dt.date = EVENTS_FROM, last: dt.date = EVENTS_TO
) -> st.SearchStrategy[dt.date]:
    """Dates of counts, courses, bleeding and procedures."""
    return st.dates(min_value=first, max_value=last)


def _platelet_value(unit: PlateletUnit) -> st.SearchStrategy[float]:
    if unit is PlateletUnit.per_ul:
        # /µL values must be 0 or above 2000 (reference 5.4); keep them under 3,000,000.
        return st.one_of(st.just(0.0), st.integers(2001, 900_000).map(float))
    return st.one_of(
        st.integers(0, 450).map(float),
        st.floats(0, 3000, allow_nan=False, allow_infinity=False),
        st.sampled_from([10.0, 30.0, 50.0, 100.0]),
    )


@st.composite
def platelet_counts(
    draw: st.DrawFn,
    first: dt.date = EVENTS_FROM,
    last: dt.date = EVENTS_TO,
    *,
    typical: bool = False,
) -> PlateletCount:
    """A platelet count in any unit with a plausible value for that unit.

    With `typical`, values are whole numbers 0–250 ×10⁹/L, where the response thresholds
    (30, 2× baseline, 100) are crossed often.
    """
    on = draw(event_dates(first, last))
    if typical:
        return PlateletCount(date=on, value=float(draw(st.integers(0, 250))))
    unit = draw(st.sampled_from(list(PlateletUnit)))
    return PlateletCount(date=on, unit=unit, value=draw(_platelet_value(unit)))


@st.composite
def dose_steps(draw: st.DrawFn, agent: AgentCode, first: dt.date, last: dt.date) -> list[DoseStep]:
    """1–4 dose steps: the first on `first`, strictly increasing, none after `last`."""
    span = (last - first).days
    offsets = draw(st.lists(st.integers(1, max(1, span)), max_size=3, unique=True))
    later = sorted(first + dt.timedelta(days=offset) for offset in offsets if offset <= span)
    dates = [first, *later]
    units = ALLOWED_UNITS[agent]
    return [
        DoseStep(
            effective_date=on,
            amount=draw(
                st.one_of(
                    st.floats(0.01, 2000, allow_nan=False, allow_infinity=False),
                    st.sampled_from([0.5, 1.0, 10.0, 40.0, 75.0, 100.0, 150.0, 375.0, 1000.0]),
                )
            ),
            unit=draw(st.sampled_from(units)),
            frequency=draw(st.sampled_from(list(Frequency))),
        )
        for on in dates
    ]


@st.composite
def therapy_courses(
    draw: st.DrawFn, first: dt.date = EVENTS_FROM, last: dt.date = EVENTS_TO
) -> TherapyCourse:
    """A course of any agent: ongoing or stopped, possibly planned (late start)."""
    agent = draw(st.sampled_from(list(AgentCode)))
    start = draw(event_dates(first, last))
    stopped = draw(st.booleans())
    stop = start + dt.timedelta(days=draw(st.integers(0, 200))) if stopped else None
    # Open courses still get a horizon for their steps, so steps may lie after as_of.
    horizon = stop if stop is not None else start + dt.timedelta(days=draw(st.integers(0, 200)))
    reason = draw(st.sampled_from(list(StopReason))) if stopped and draw(st.booleans()) else None
    return TherapyCourse(
        id=draw(st.none() | st.sampled_from(["c1", "c2", "rtx-1", "course.9"])),
        agent=agent,
        start_date=start,
        stop_date=stop,
        stop_reason=reason,
        dose_steps=draw(dose_steps(agent, start, horizon)),
    )


def _grade(maximum: int) -> st.SearchStrategy[int | None]:
    return st.none() | st.integers(0, maximum)


@st.composite
def bleeding_assessments(
    draw: st.DrawFn, first: dt.date = EVENTS_FROM, last: dt.date = EVENTS_TO
) -> BleedingAssessment:
    """A bleeding assessment with at least one grade (or the life-threatening flag)."""
    life = draw(st.booleans())
    who = draw(_grade(4))
    skin, mucosa, organ = draw(_grade(5)), draw(_grade(5)), draw(_grade(5))
    if not life and who is None and skin is None and mucosa is None and organ is None:
        who = draw(st.integers(0, 4))
    return BleedingAssessment(
        date=draw(event_dates(first, last)),
        who_grade=who,
        itpbat_skin=skin,
        itpbat_mucosa=mucosa,
        itpbat_organ=organ,
        life_threatening=life,
    )


def procedures(
    first: dt.date = EVENTS_FROM, last: dt.date = EVENTS_TO
) -> st.SearchStrategy[Procedure]:
    """A procedure of any kind, done or planned depending on the as-of date."""
    return st.builds(
        Procedure, kind=st.sampled_from(list(ProcedureKind)), date=event_dates(first, last)
    )


def immunizations() -> st.SearchStrategy[Immunization]:
    """A vaccine dose."""
    return st.builds(Immunization, vaccine=st.sampled_from(list(VaccineCode)), date=event_dates())


def workup_results() -> st.SearchStrategy[WorkupResult]:
    """A work-up result, dated or not."""
    return st.builds(
        WorkupResult,
        test=st.sampled_from(list(WorkupTest)),
        result=st.sampled_from(list(TestResult)),
        date=st.none() | event_dates(),
    )


def monitoring_records() -> st.SearchStrategy[MonitoringRecord]:
    """A monitoring test done."""
    return st.builds(
        MonitoringRecord, code=st.sampled_from(list(MonitoringCode)), date=event_dates()
    )


def risk_factors() -> st.SearchStrategy[RiskFactors]:
    """Any combination of risk factors."""
    return st.builds(
        RiskFactors,
        prior_thrombosis=st.booleans(),
        hepatic_impairment=st.booleans(),
        hypertension=st.booleans(),
        pregnancy_or_planning=st.booleans(),
        antithrombotic_therapy=st.booleans(),
        splenectomy_candidate=st.sampled_from(list(Candidacy)),
        prefers_treatment_free_remission=st.booleans(),
        needle_averse=st.booleans(),
    )


@st.composite
def diagnoses(draw: st.DrawFn) -> Diagnosis:
    """A diagnosis dated YYYY-MM-DD or YYYY-MM (after every birth date `patients` draws)."""
    on = draw(st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2027, 6, 30)))
    text = on.isoformat()[:7] if draw(st.booleans()) else on.isoformat()
    return Diagnosis(date=text, type=draw(st.sampled_from(list(ItpType))))


@st.composite
def patients(
    draw: st.DrawFn,
    *,
    max_counts: int = 25,
    min_counts: int = 0,
    max_courses: int = 6,
    max_bleeding: int = 4,
    first: dt.date = EVENTS_FROM,
    last: dt.date = EVENTS_TO,
    typical_counts: bool = False,
) -> Patient:
    """Any valid patient: every field the engine reads, in every combination.

    Args:
        draw: hypothesis draw function (supplied by ``@st.composite``).
        max_counts: at most this many platelet counts.
        min_counts: at least this many platelet counts.
        max_courses: at most this many therapy courses.
        max_bleeding: at most this many bleeding assessments.
        first: earliest date of counts, course starts, bleeding and procedures.
        last: latest such date (a narrow range gives dense, overlapping records).
        typical_counts: draw counts as whole numbers 0–250 ×10⁹/L (see `platelet_counts`).
    """
    counts_strategy = platelet_counts(first, last, typical=typical_counts)
    return Patient(
        id=draw(st.none() | st.just("p-1")),
        mrn="H-1",
        family_name="Hypothesis",
        given_name=draw(st.sampled_from(["", "Alex"])),
        birth_date=draw(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2015, 12, 31))),
        sex=draw(st.sampled_from(list(Sex))),
        weight_kg=draw(st.none() | st.floats(3, 180, allow_nan=False)),
        height_cm=draw(st.none() | st.floats(50, 210, allow_nan=False)),
        east_southeast_asian_ancestry=draw(st.booleans()),
        rh_d=draw(st.sampled_from(list(RhD))),
        haemoglobin_g_dl=draw(st.none() | st.floats(4, 18, allow_nan=False)),
        diagnosis=draw(st.none() | diagnoses()),
        risk_factors=draw(risk_factors()),
        workup=draw(st.lists(workup_results(), max_size=4)),
        platelet_counts=draw(st.lists(counts_strategy, min_size=min_counts, max_size=max_counts)),
        courses=draw(st.lists(therapy_courses(first, last), max_size=max_courses)),
        bleeding=draw(st.lists(bleeding_assessments(first, last), max_size=max_bleeding)),
        immunizations=draw(st.lists(immunizations(), max_size=3)),
        procedures=draw(st.lists(procedures(first, last), max_size=2)),
        monitoring=draw(st.lists(monitoring_records(), max_size=3)),
    )
