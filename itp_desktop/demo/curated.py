"""The hand-curated demo patients: 28 synthetic ITP stories built relative to a given day.

`build_demo_patients(today)` returns patients that each tell one coherent clinical story from
ITP_REFERENCE.md (newly diagnosed to multi-refractory, rescue for bleeding, a child, pregnancy,
splenectomy before and after, hepatic impairment, HBV, a lost-to-follow-up patient, ...) so that
a demo user meets every finding, checklist, rescue and option-ordering rule of the assessment
contract. Every date is computed from ``today``, so the demo stays current whenever it is built:
results (counts, bleeding, vaccines, work-up, monitoring) are never dated after ``today``; only
planned courses and procedures lie ahead. Counts carry noise from a ``random.Random`` with a fixed
seed per patient (never the global generator) and draw the same numbers whatever ``today`` is.
Names and MRNs (DEMO-0001 ...) are invented. May import: core.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Any

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

# Short names keep the patient stories below readable as one line per course.
PRED, DEX, MP = AgentCode.prednisone, AgentCode.dexamethasone, AgentCode.methylprednisolone
IVIG, ANTI_D, RTX = AgentCode.ivig, AgentCode.anti_d, AgentCode.rituximab
ROMI, ELT, AVA = AgentCode.romiplostim, AgentCode.eltrombopag, AgentCode.avatrombopag
FOSTA, AZA = AgentCode.fostamatinib, AgentCode.azathioprine
MG, G, MCG = DoseUnit.mg, DoseUnit.g, DoseUnit.mcg
MG_KG, G_KG, MCG_KG, MG_M2 = (
    DoseUnit.mg_per_kg,
    DoseUnit.g_per_kg,
    DoseUnit.mcg_per_kg,
    DoseUnit.mg_per_m2,
)
DAILY, BID, ONCE = Frequency.daily, Frequency.twice_daily, Frequency.once
WEEKLY, TIW = Frequency.weekly, Frequency.three_times_weekly
E9, E3, PER_UL = PlateletUnit.e9_per_l, PlateletUnit.e3_per_ul, PlateletUnit.per_ul
COMPLETED, NO_RESPONSE = StopReason.completed, StopReason.no_response
INTOLERANCE = StopReason.intolerance
LIVER, BP = MonitoringCode.liver_tests, MonitoringCode.blood_pressure
FEMALE, MALE = Sex.female, Sex.male

FULL_SCREEN: tuple[WorkupTest, ...] = tuple(WorkupTest)
"""Every work-up test of the contract: a patient screened with all of them has a complete
secondary-causes checklist."""

Step = tuple[int, float, DoseUnit, Frequency]
"""A dose step: (days before today, amount, unit, frequency); negative days lie ahead."""


def _years_before(day: date, years: int) -> date:
    """Return the same calendar day `years` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def ladder(start: int, doses: Sequence[float], unit: DoseUnit, frequency: Frequency) -> list[Step]:
    """Dose steps one week apart from `start` days ago, e.g. romiplostim +1 mcg/kg weekly."""
    return [(start - 7 * index, dose, unit, frequency) for index, dose in enumerate(doses)]


def infusions(first: int, number: int, amount: float, unit: DoseUnit) -> list[Step]:
    """A fixed course: `number` single administrations one week apart (contract: Fixed courses)."""
    return [(first - 7 * index, amount, unit, ONCE) for index in range(number)]


class Chart:
    """Collects one patient's entries, dated in days before `today` (negative = ahead).

    Entry ids are given when the patient is built: counts ``p1``... in date order, courses
    ``c1``... in the order written, bleeding ``b1``..., immunizations ``v1``..., procedures
    ``x1``..., work-up ``w1``... and monitoring ``m1``....
    """

    def __init__(self, today: date, seed: int) -> None:
        self.today = today
        self._rng = random.Random(seed)
        self._counts: list[tuple[date, float, PlateletUnit, str]] = []
        self._courses: list[TherapyCourse] = []
        self._bleeding: list[BleedingAssessment] = []
        self._vaccines: list[Immunization] = []
        self._procedures: list[Procedure] = []
        self._workup: list[WorkupResult] = []
        self._monitoring: list[MonitoringRecord] = []

    def day(self, ago: int) -> date:
        """Return the date `ago` days before today (after today when negative)."""
        return self.today - timedelta(days=ago)

    def count(
        self,
        ago: int,
        value: float,
        *,
        unit: PlateletUnit = E9,
        jitter: float = 0.08,
        notes: str = "",
    ) -> None:
        """Record a count near `value` ×10⁹/L (±`jitter`, relative), stored in `unit`.

        Laboratories report whole numbers; a /µL count is stored 1000× larger, rounded to the
        thousand as outside laboratories print it.
        """
        noisy = value * (1 + self._rng.uniform(-jitter, jitter)) if jitter else value
        whole = max(1, round(noisy))
        stored = float(whole * 1000) if unit is PER_UL else float(whole)
        self._counts.append((self.day(ago), stored, unit, notes))

    def counts(self, pairs: Iterable[tuple[int, float]], *, unit: PlateletUnit = E9) -> None:
        """Record several counts given as (days ago, value ×10⁹/L)."""
        for ago, value in pairs:
            self.count(ago, value, unit=unit)

    def weekly(self, start: int, values: Sequence[float]) -> None:
        """Record counts one week apart from `start` days ago (TPO-RA titration visits)."""
        self.counts((start - 7 * index, value) for index, value in enumerate(values))

    def stable(self, start: int, end: int, every: int, low: float, high: float) -> None:
        """Record routine counts from `start` to `end` days ago, about every `every` days.

        Values are drawn evenly between `low` and `high`; visit dates wander by up to two days,
        as clinic appointments do.
        """
        ago = start
        while ago >= end:
            self.count(ago, self._rng.uniform(low, high), jitter=0)
            ago -= every + self._rng.randint(-2, 2)

    def course(
        self,
        agent: AgentCode,
        steps: Sequence[Step],
        *,
        stop: int | None = None,
        reason: StopReason | None = None,
        notes: str = "",
    ) -> None:
        """Record a therapy course that starts with its first dose step."""
        self._courses.append(
            TherapyCourse(
                id=f"c{len(self._courses) + 1}",
                agent=agent,
                start_date=self.day(steps[0][0]),
                stop_date=None if stop is None else self.day(stop),
                stop_reason=reason,
                dose_steps=[
                    DoseStep(effective_date=self.day(ago), amount=amount, unit=unit, frequency=freq)
                    for ago, amount, unit, freq in steps
                ],
                notes=notes,
            )
        )

    def dex_cycle(self, start: int, *, notes: str = "") -> None:
        """Record one dexamethasone 40 mg/day × 4 days cycle (one daily step of 4 days)."""
        self.course(DEX, [(start, 40, MG, DAILY)], stop=start - 3, reason=COMPLETED, notes=notes)

    def ivig(self, ago: int, *, notes: str = "") -> None:
        """Record IVIG 1 g/kg given once."""
        self.course(IVIG, [(ago, 1.0, G_KG, ONCE)], stop=ago, reason=COMPLETED, notes=notes)

    def bleed(
        self,
        ago: int,
        who: int | None,
        *,
        skin: int | None = None,
        mucosa: int | None = None,
        organ: int | None = None,
        life_threatening: bool = False,
        notes: str = "",
    ) -> None:
        """Record a bleeding assessment: WHO grade and ITP-BAT SMOG grades."""
        self._bleeding.append(
            BleedingAssessment(
                id=f"b{len(self._bleeding) + 1}",
                date=self.day(ago),
                who_grade=who,
                itpbat_skin=skin,
                itpbat_mucosa=mucosa,
                itpbat_organ=organ,
                life_threatening=life_threatening,
                notes=notes,
            )
        )

    def vaccine(self, vaccine: VaccineCode, ago: int, product: str = "") -> None:
        """Record a vaccine dose given."""
        self._vaccines.append(
            Immunization(
                id=f"v{len(self._vaccines) + 1}",
                vaccine=vaccine,
                date=self.day(ago),
                product=product,
            )
        )

    def procedure(self, kind: ProcedureKind, ago: int, notes: str = "") -> None:
        """Record a procedure, done (in the past) or planned (ahead)."""
        self._procedures.append(
            Procedure(
                id=f"x{len(self._procedures) + 1}", kind=kind, date=self.day(ago), notes=notes
            )
        )

    def test(self, test: WorkupTest, result: TestResult, ago: int, notes: str = "") -> None:
        """Record one work-up result."""
        self._workup.append(
            WorkupResult(
                id=f"w{len(self._workup) + 1}",
                test=test,
                result=result,
                date=self.day(ago),
                notes=notes,
            )
        )

    def screen(
        self,
        ago: int,
        tests: Iterable[WorkupTest] = FULL_SCREEN,
        *,
        positive: Iterable[WorkupTest] = (),
    ) -> None:
        """Record a work-up panel: every test negative except those listed as positive."""
        positives = frozenset(positive)
        for test in tests:
            result = TestResult.positive if test in positives else TestResult.negative
            self.test(test, result, ago)

    def monitor(self, code: MonitoringCode, ago: int, result: str) -> None:
        """Record a monitoring check (liver tests, blood pressure, ...) with its result."""
        self._monitoring.append(
            MonitoringRecord(
                id=f"m{len(self._monitoring) + 1}", code=code, date=self.day(ago), result=result
            )
        )

    def build(
        self,
        *,
        number: int,
        slug: str,
        age: tuple[int, int],
        diagnosed: int | str,
        notes: str,
        diagnosis_type: ItpType = ItpType.primary,
        diagnosis_notes: str = "",
        **record: Any,
    ) -> Patient:
        """Return the patient: id ``demo-NN-slug``, MRN ``DEMO-00NN``, with every entry collected.

        Args:
            number: the patient's number in the demo (1-based).
            slug: a few words naming the scenario, used in the stable patient id.
            age: (completed years, extra days) on `today`, so ages never drift.
            diagnosed: days before today, or a ``YYYY-MM`` partial date.
            notes: one sentence describing the scenario for the demo user.
            diagnosis_type: primary or secondary ITP.
            diagnosis_notes: free text of the diagnosis.
            **record: the remaining `Patient` fields (names, sex, weight, risk factors, ...).
        """
        years, days = age
        when = diagnosed if isinstance(diagnosed, str) else self.day(diagnosed).isoformat()
        ordered = sorted(self._counts, key=lambda entry: entry[0])
        return Patient(
            id=f"demo-{number:02d}-{slug}",
            mrn=f"DEMO-{number:04d}",
            birth_date=_years_before(self.today, years) - timedelta(days=days),
            diagnosis=Diagnosis(date=when, type=diagnosis_type, notes=diagnosis_notes),
            platelet_counts=[
                PlateletCount(id=f"p{index}", date=day, value=value, unit=unit, notes=text)
                for index, (day, value, unit, text) in enumerate(ordered, start=1)
            ],
            courses=self._courses,
            bleeding=self._bleeding,
            immunizations=self._vaccines,
            procedures=self._procedures,
            workup=self._workup,
            monitoring=self._monitoring,
            notes=notes,
            **record,
        )


# ---------------------------------------------------------------- the patients
#
# Count values keep a margin from the IWG cut-offs (30, 2× baseline, 100) wider than the ±8 %
# noise, so a course's response never depends on the draw. Finished prednisone courses last
# at most 42 days (ASH2019: ≤ 6 weeks) except where prolonged use is the point of the story.
# Dates are chosen so that no two counts of a patient share a day.


def newly_diagnosed_prednisone(today: date) -> Patient:
    """Newly diagnosed adult, complete response to prednisone, taper under way."""
    c = Chart(today, 101)
    c.count(36, 11)
    c.bleed(36, 1, skin=1, mucosa=0, organ=0, notes="Scattered petechiae on both legs")
    c.screen(36, [WorkupTest.hiv, WorkupTest.hcv, WorkupTest.hbsag, WorkupTest.anti_hbc])
    c.screen(36, [WorkupTest.h_pylori])
    c.course(
        PRED,
        [(35, 60, MG, DAILY), (14, 40, MG, DAILY), (7, 20, MG, DAILY)],
        notes="About 1 mg/kg/day for 3 weeks, then taper; total course planned ≤ 6 weeks",
    )
    c.counts([(31, 38), (28, 96), (21, 168), (14, 212), (7, 174), (2, 141)])
    c.monitor(BP, 14, "BP 128/80 mmHg; fasting glucose 6.1 mmol/L")
    return c.build(
        number=1,
        slug="newly-diagnosed-prednisone",
        family_name="Fontaine",
        given_name="Amélie",
        sex=FEMALE,
        age=(34, 120),
        weight_kg=64,
        height_cm=168,
        rh_d=RhD.positive,
        haemoglobin_g_dl=12.9,
        diagnosed=36,
        notes=(
            "Newly diagnosed ITP with a complete response to prednisone 1 mg/kg, now tapering; "
            "ANA, antiphospholipid antibodies and immunoglobulins are not yet done."
        ),
    )


def newly_diagnosed_dex_ivig(today: date) -> Patient:
    """Newly diagnosed: no response to dexamethasone, transient complete response to IVIG."""
    c = Chart(today, 102)
    c.count(76, 9)
    c.bleed(76, 1, skin=2, mucosa=0, organ=0, notes="Petechiae and bruises on arms and legs")
    c.screen(76)
    c.dex_cycle(75, notes="Dexamethasone 40 mg/day for 4 days")
    c.counts([(71, 14), (68, 12), (61, 17), (54, 13), (47, 11)])
    c.ivig(45, notes="IVIG 1 g/kg once")
    c.counts([(43, 96), (40, 178), (33, 152), (26, 71), (19, 34), (12, 21), (5, 16)])
    c.course(PRED, [(-1, 80, MG, DAILY)], notes="Planned: prednisone 1 mg/kg/day from tomorrow")
    return c.build(
        number=2,
        slug="dexamethasone-nr-ivig-transient",
        family_name="Müller",
        given_name="Jürgen",
        sex=MALE,
        age=(58, 200),
        weight_kg=82,
        height_cm=178,
        rh_d=RhD.positive,
        haemoglobin_g_dl=14.1,
        diagnosed=76,
        notes=(
            "Newly diagnosed ITP: no response to one dexamethasone cycle, then a complete but "
            "transient response to IVIG; prednisone is planned to start tomorrow."
        ),
    )


def steroid_dependent(today: date) -> Patient:
    """Persistent ITP: platelets fall below 30 every time prednisone is tapered."""
    c = Chart(today, 103)
    c.count(205, 14)
    c.screen(205, positive=[WorkupTest.h_pylori])
    c.course(
        PRED,
        [
            (203, 80, MG, DAILY),
            (182, 60, MG, DAILY),
            (175, 40, MG, DAILY),
            (168, 20, MG, DAILY),
            (161, 10, MG, DAILY),
        ],
        stop=155,
        reason=COMPLETED,
        notes="Prednisone 1 mg/kg/day for 3 weeks, then taper",
    )
    c.counts([(199, 48), (196, 95), (189, 168), (182, 190), (175, 150), (168, 118)])
    c.counts([(161, 85), (155, 58), (150, 41), (146, 24)])
    c.course(
        PRED,
        [
            (145, 60, MG, DAILY),
            (131, 40, MG, DAILY),
            (117, 30, MG, DAILY),
            (103, 20, MG, DAILY),
            (89, 15, MG, DAILY),
            (75, 10, MG, DAILY),
            (60, 20, MG, DAILY),
        ],
        notes="Restarted after relapse; back up to 20 mg/day when platelets fell below 30 on 10 mg",
    )
    c.counts([(141, 64), (138, 112), (131, 160), (124, 138), (117, 121), (110, 96)])
    c.counts([(103, 88), (96, 71), (89, 63), (82, 52), (75, 44), (68, 27), (61, 22)])
    c.counts([(54, 48), (47, 71), (33, 80), (19, 66), (5, 58)])
    c.bleed(61, 1, skin=1, mucosa=1, organ=0, notes="Gum bleeding when brushing teeth")
    c.monitor(BP, 33, "BP 142/88 mmHg; HbA1c 44 mmol/mol; weight up 6 kg since diagnosis")
    return c.build(
        number=3,
        slug="steroid-dependent",
        family_name="O'Brien",
        given_name="Siobhán",
        sex=FEMALE,
        age=(45, 30),
        weight_kg=78,
        height_cm=163,
        rh_d=RhD.positive,
        haemoglobin_g_dl=12.2,
        diagnosed=205,
        diagnosis_notes="H. pylori positive at diagnosis; eradicated, without effect on platelets",
        notes=(
            "Persistent ITP, steroid-dependent: platelets fall below 30 whenever prednisone is "
            "tapered below 15 mg/day, after more than 6 months of continuous steroids."
        ),
    )


def romiplostim_stable_responder(today: date) -> Patient:
    """Chronic ITP on romiplostim: response at 3 mcg/kg, reduced to 2 mcg/kg, monthly counts."""
    c = Chart(today, 104)
    c.count(1100, 16)
    c.bleed(1100, 1, skin=1, mucosa=0, organ=0, notes="Petechiae on the ankles")
    c.screen(1100)
    c.course(
        PRED,
        [
            (1098, 90, MG, DAILY),
            (1077, 60, MG, DAILY),
            (1070, 30, MG, DAILY),
            (1063, 10, MG, DAILY),
        ],
        stop=1057,
        reason=COMPLETED,
    )
    c.counts([(1094, 41), (1087, 118), (1080, 152), (1073, 140), (1066, 121), (1059, 104)])
    c.counts([(1045, 62), (1020, 38), (960, 31), (880, 27), (780, 33), (690, 24), (600, 29)])
    c.counts([(520, 22), (440, 17), (427, 14)])
    c.bleed(427, 2, skin=1, mucosa=2, organ=0, notes="Recurrent epistaxis needing nasal packing")
    c.course(
        ROMI,
        [*ladder(420, [1, 2, 3], MCG_KG, WEEKLY), (196, 2, MCG_KG, WEEKLY)],
        notes="1 mcg/kg weekly, +1 mcg/kg while below 50; reduced after 2 weeks above 200",
    )
    c.weekly(420, [15, 21, 38, 66, 97, 124, 131, 118])
    c.stable(343, 220, 28, 115, 185)
    c.counts([(210, 188), (203, 226), (196, 231), (189, 172), (182, 150)])
    c.stable(161, 5, 28, 115, 180)
    return c.build(
        number=4,
        slug="romiplostim-stable",
        family_name="Kowalczyk",
        given_name="Tomasz",
        sex=MALE,
        age=(52, 45),
        weight_kg=91,
        height_cm=182,
        rh_d=RhD.positive,
        haemoglobin_g_dl=14.6,
        diagnosed=1100,
        notes=(
            "Chronic ITP on romiplostim for 14 months: complete response at 3 mcg/kg, dose "
            "reduced to 2 mcg/kg for counts above 200, monthly counts stable."
        ),
    )


def multi_refractory_candidate(today: date) -> Patient:
    """Multi-refractory chronic adult who is a splenectomy candidate."""
    c = Chart(today, 105)
    c.count(1480, 12)
    c.bleed(1480, 2, skin=2, mucosa=2, organ=0, notes="Petechiae and gum bleeding at presentation")
    c.screen(1480)
    c.course(
        PRED,
        [(1476, 70, MG, DAILY), (1455, 40, MG, DAILY), (1448, 20, MG, DAILY)],
        stop=1441,
        reason=NO_RESPONSE,
    )
    c.counts([(1472, 15), (1465, 19), (1458, 14), (1451, 21), (1444, 17), (1400, 18), (1340, 22)])
    c.course(
        RTX,
        infusions(1300, 4, 680, MG),
        stop=1279,
        reason=COMPLETED,
        notes="375 mg/m² weekly × 4 (BSA 1.82 m²: 680 mg per infusion)",
    )
    c.counts([(1300, 17), (1286, 19), (1272, 24), (1258, 21), (1244, 18), (1230, 22)])
    c.counts([(1216, 20), (1150, 16), (1060, 21)])
    c.course(
        ROMI,
        ladder(1000, [70 * dose for dose in range(1, 11)], MCG, WEEKLY),
        stop=902,
        reason=NO_RESPONSE,
        notes="1 mcg/kg weekly (70 mcg), +1 mcg/kg weekly to 10 mcg/kg (700 mcg), 6 weeks at 700",
    )
    c.weekly(1000, [15, 14, 18, 12, 16, 21, 19, 15, 22, 17, 13, 18, 16, 20, 14])
    c.bleed(958, 1, skin=0, mucosa=1, organ=0, notes="Gum bleeding")
    c.course(
        ELT,
        [(880, 50, MG, DAILY), (866, 75, MG, DAILY)],
        stop=824,
        reason=NO_RESPONSE,
        notes="Switched to eltrombopag; 75 mg/day for 6 weeks",
    )
    c.weekly(880, [16, 14, 19, 17, 22, 15, 20, 18, 16])
    c.monitor(LIVER, 880, "ALT 22 U/L, bilirubin 9 µmol/L")
    c.monitor(LIVER, 852, "ALT 25 U/L, bilirubin 10 µmol/L")
    c.monitor(LIVER, 824, "ALT 27 U/L, bilirubin 9 µmol/L")
    c.stable(790, 4, 35, 14, 27)
    c.bleed(30, 1, skin=1, mucosa=0, organ=0, notes="A few new bruises")
    c.vaccine(VaccineCode.influenza, 50, "Inactivated influenza vaccine")
    return c.build(
        number=5,
        slug="multi-refractory-splenectomy-candidate",
        family_name="Núñez",
        given_name="Lucía",
        sex=FEMALE,
        age=(41, 210),
        weight_kg=70,
        height_cm=170,
        rh_d=RhD.positive,
        haemoglobin_g_dl=12.0,
        risk_factors=RiskFactors(
            splenectomy_candidate=Candidacy.yes, prefers_treatment_free_remission=True
        ),
        diagnosed=1480,
        notes=(
            "Chronic multi-refractory ITP (adequate trials of prednisone, rituximab, romiplostim "
            "and eltrombopag all failed) in a fit adult: splenectomy is first to consider."
        ),
    )


def multi_refractory_non_candidate(today: date) -> Patient:
    """Multi-refractory 76-year-old who cannot have surgery; fostamatinib failed too."""
    c = Chart(today, 106)
    c.count(1150, 8)
    c.bleed(1150, 2, skin=2, mucosa=2, organ=0, notes="Gum bleeding and wet purpura")
    c.screen(1150)
    c.dex_cycle(1148)
    c.counts([(1144, 12), (1141, 18), (1134, 15), (1127, 11), (1120, 9), (1060, 16)])
    c.course(RTX, infusions(1000, 4, 375, MG_M2), stop=979, reason=COMPLETED)
    c.counts([(1000, 14), (986, 12), (972, 17), (958, 15), (944, 19), (930, 13), (916, 16)])
    c.vaccine(VaccineCode.pneumococcal_conjugate, 1020, "PCV20")
    c.course(AVA, [(800, 20, MG, DAILY), (786, 40, MG, DAILY)], stop=744, reason=NO_RESPONSE)
    c.weekly(800, [13, 16, 12, 18, 15, 20, 14, 17, 19])
    c.course(
        RTX,
        infusions(700, 4, 100, MG),
        stop=679,
        reason=COMPLETED,
        notes="Low-dose rituximab repeated at another hospital",
    )
    c.counts([(700, 13), (686, 15), (672, 12), (658, 17), (644, 14), (630, 16), (616, 13)])
    c.course(
        FOSTA,
        [(600, 100, MG, BID), (572, 150, MG, BID)],
        stop=500,
        reason=NO_RESPONSE,
        notes="100 mg twice daily, 150 mg twice daily from week 4; stopped after 14 weeks",
    )
    c.counts([(600, 15), (586, 17), (572, 14), (558, 19), (544, 16), (530, 21), (516, 18)])
    c.count(502, 15)
    for ago, reading in [(600, "128/78"), (586, "130/80"), (572, "134/82"), (544, "132/80")]:
        c.monitor(BP, ago, f"BP {reading} mmHg")
    c.monitor(LIVER, 572, "ALT 31 U/L")
    c.monitor(LIVER, 530, "ALT 35 U/L")
    c.stable(470, 6, 30, 13, 26)
    c.bleed(20, 1, skin=1, mucosa=0, organ=0, notes="Bruising on the forearms")
    c.vaccine(VaccineCode.influenza, 60, "Inactivated influenza vaccine")
    return c.build(
        number=6,
        slug="multi-refractory-not-candidate",
        family_name="Haugen",
        given_name="Øyvind",
        sex=MALE,
        age=(76, 15),
        weight_kg=68,
        height_cm=171,
        rh_d=RhD.positive,
        haemoglobin_g_dl=13.1,
        risk_factors=RiskFactors(splenectomy_candidate=Candidacy.no),
        diagnosed=1150,
        notes=(
            "Chronic multi-refractory ITP in a 76-year-old who is not a surgical candidate "
            "(severe COPD); rituximab was repeated in vain and fostamatinib failed as well."
        ),
    )


def splenectomy_planned(today: date) -> Patient:
    """Elective splenectomy in 3 weeks with MenB and Hib vaccines still missing."""
    c = Chart(today, 107)
    c.count(900, 13)
    c.bleed(900, 1, skin=1, mucosa=0, organ=0, notes="Petechiae")
    c.screen(900)
    c.course(
        PRED,
        [(897, 80, MG, DAILY), (876, 40, MG, DAILY), (869, 20, MG, DAILY)],
        stop=862,
        reason=NO_RESPONSE,
    )
    c.counts([(893, 16), (886, 21), (879, 18), (872, 24), (865, 19), (800, 22), (730, 19)])
    c.course(
        ELT,
        [(700, 50, MG, DAILY), (686, 75, MG, DAILY)],
        stop=650,
        reason=INTOLERANCE,
        notes="Stopped for ALT above 3× ULN",
    )
    c.weekly(700, [18, 24, 31, 52, 66, 58, 50, 48])
    for ago, result in [
        (700, "ALT 29 U/L"),
        (686, "ALT 64 U/L"),
        (672, "ALT 118 U/L"),
        (658, "ALT 152 U/L (3.8× ULN)"),
        (651, "ALT 171 U/L (4.3× ULN): eltrombopag stopped"),
        (623, "ALT 41 U/L"),
    ]:
        c.monitor(LIVER, ago, result)
    c.counts([(620, 21), (540, 17), (450, 23), (360, 19), (250, 16), (160, 20)])
    c.screen(140, [WorkupTest.hbsag, WorkupTest.anti_hbc])
    c.course(RTX, infusions(125, 4, 375, MG_M2), stop=104, reason=COMPLETED)
    c.counts([(125, 19), (111, 22), (97, 18), (83, 26), (69, 21), (55, 24), (41, 20)])
    c.counts([(27, 17), (13, 22), (3, 19)])
    c.vaccine(VaccineCode.influenza, 40, "Inactivated influenza vaccine")
    c.vaccine(VaccineCode.pneumococcal_conjugate, 12, "PCV20")
    c.vaccine(VaccineCode.meningococcal_acwy, 12, "Menveo, dose 1")
    c.procedure(ProcedureKind.splenectomy, -21, "Elective laparoscopic splenectomy")
    c.course(IVIG, [(-18, 1.0, G_KG, ONCE)], notes="Planned: IVIG 1 g/kg before surgery")
    return c.build(
        number=7,
        slug="splenectomy-planned-vaccines-incomplete",
        family_name="Haddad",
        given_name="Karim",
        sex=MALE,
        age=(38, 300),
        weight_kg=85,
        height_cm=183,
        rh_d=RhD.positive,
        haemoglobin_g_dl=14.8,
        risk_factors=RiskFactors(splenectomy_candidate=Candidacy.yes),
        diagnosed=900,
        notes=(
            "Chronic ITP with elective splenectomy in 3 weeks: MenB and Hib vaccines are still "
            "missing, and the vaccines given 3 months after rituximab may respond poorly."
        ),
    )


def bleeding_now(today: date) -> Patient:
    """WHO grade 3 gastrointestinal bleeding 2 days ago: rescue mode."""
    c = Chart(today, 108)
    c.count(740, 19)
    c.screen(740)
    c.course(
        PRED,
        [(738, 70, MG, DAILY), (717, 40, MG, DAILY), (710, 20, MG, DAILY)],
        stop=703,
        reason=COMPLETED,
    )
    c.counts([(734, 44), (727, 86), (720, 97), (713, 78), (706, 61)])
    c.stable(670, 35, 45, 24, 40)
    c.count(3, 5, unit=E3, notes="Emergency department")
    c.bleed(
        2,
        3,
        skin=2,
        mucosa=0,
        organ=3,
        notes="Melaena with haemoglobin 7.1 g/dL; 2 units of red cells; stable after transfusion",
    )
    c.ivig(1, notes="Rescue: IVIG 1 g/kg")
    c.course(MP, [(1, 1, G, DAILY)], notes="Rescue: methylprednisolone 1 g/day for 3 days")
    c.count(1, 7, unit=E3)
    c.count(0, 18, unit=E3)
    return c.build(
        number=8,
        slug="bleeding-now-rescue",
        family_name="Schäfer",
        given_name="Margarethe",
        sex=FEMALE,
        age=(67, 80),
        weight_kg=74.5,
        height_cm=160,
        rh_d=RhD.positive,
        haemoglobin_g_dl=8.9,
        risk_factors=RiskFactors(antithrombotic_therapy=True),
        diagnosed=740,
        notes=(
            "Active bleeding: melaena needing transfusion 2 days ago with platelets 5 while on "
            "aspirin for a coronary stent; rescue with IVIG and methylprednisolone under way."
        ),
    )


def child_newly_diagnosed(today: date) -> Patient:
    """A 7-year-old girl after IVIG for epistaxis, now observed."""
    c = Chart(today, 109)
    c.count(40, 5)
    c.bleed(40, 2, skin=2, mucosa=2, organ=0, notes="Petechiae and epistaxis lasting 20 minutes")
    c.test(WorkupTest.immunoglobulins, TestResult.negative, 40, "IgG, IgA, IgM normal for age")
    c.ivig(40, notes="IVIG 1 g/kg once for mucosal bleeding")
    c.counts([(38, 48), (35, 132), (28, 165), (21, 118), (14, 64), (7, 42), (1, 38)])
    c.bleed(7, 0, skin=0, mucosa=0, organ=0, notes="No new bleeding")
    return c.build(
        number=9,
        slug="child-newly-diagnosed",
        family_name="Lindqvist",
        given_name="Maja",
        sex=FEMALE,
        age=(7, 130),
        weight_kg=22,
        height_cm=122,
        rh_d=RhD.positive,
        haemoglobin_g_dl=12.1,
        diagnosed=40,
        diagnosis_notes="Two weeks after a viral upper respiratory infection",
        notes=(
            "Child, 7 years, newly diagnosed after a viral illness: IVIG for epistaxis gave a "
            "complete response; now observed with platelets around 40 and no bleeding."
        ),
    )


def prior_thrombosis(today: date) -> Patient:
    """Secondary ITP with antiphospholipid syndrome and prior pulmonary embolism."""
    c = Chart(today, 110)
    c.count(830, 22)
    c.screen(830, positive=[WorkupTest.antiphospholipid])
    c.course(
        PRED,
        [(825, 1.0, MG_KG, DAILY), (804, 0.5, MG_KG, DAILY), (797, 0.25, MG_KG, DAILY)],
        stop=790,
        reason=COMPLETED,
    )
    c.counts([(821, 40), (814, 96), (807, 88), (800, 71), (793, 62)])
    c.counts([(760, 41), (700, 33), (640, 28), (580, 24), (520, 19)])
    c.course(
        RTX,
        [(500, 1000, MG, ONCE), (486, 1000, MG, ONCE)],
        stop=486,
        reason=COMPLETED,
        notes="1000 mg on days 1 and 15",
    )
    c.counts([(500, 18), (486, 21), (472, 33), (458, 56), (444, 63), (430, 52), (416, 49)])
    c.counts([(380, 38), (320, 31), (260, 26), (200, 22), (140, 19), (80, 21), (30, 18), (4, 17)])
    c.bleed(30, 1, skin=1, mucosa=0, organ=0, notes="Bruises at injection sites")
    c.monitor(BP, 10, "BP 126/78 mmHg")
    c.monitor(LIVER, 10, "ALT 24 U/L, bilirubin 11 µmol/L")
    c.course(
        FOSTA,
        [(-7, 100, MG, BID)],
        notes="Planned: fostamatinib rather than a TPO-RA because of prior pulmonary embolism",
    )
    return c.build(
        number=10,
        slug="prior-thrombosis-aps",
        family_name="Gómez",
        given_name="Rafael",
        sex=MALE,
        age=(49, 160),
        weight_kg=96,
        height_cm=185,
        rh_d=RhD.positive,
        haemoglobin_g_dl=15.0,
        risk_factors=RiskFactors(prior_thrombosis=True, antithrombotic_therapy=True),
        diagnosed=830,
        diagnosis_type=ItpType.secondary,
        diagnosis_notes=(
            "Antiphospholipid syndrome: lupus anticoagulant and anticardiolipin positive"
        ),
        notes=(
            "Chronic secondary ITP (antiphospholipid syndrome) with a prior pulmonary embolism, "
            "on warfarin: relapsed a year after rituximab; fostamatinib planned."
        ),
    )


def hepatic_impairment(today: date) -> Patient:
    """Compensated cirrhosis; eltrombopag prescribed at the standard 50 mg start."""
    c = Chart(today, 111)
    c.count(610, 17)
    c.screen(610)
    c.course(
        PRED,
        [(607, 80, MG, DAILY), (586, 40, MG, DAILY), (579, 20, MG, DAILY)],
        stop=572,
        reason=COMPLETED,
    )
    c.counts([(603, 46), (596, 92), (589, 85), (582, 66), (575, 51)])
    c.counts([(540, 34), (470, 29), (400, 25), (330, 27), (260, 22), (190, 24), (130, 20)])
    c.counts([(71, 24), (57, 22), (43, 25), (29, 21), (15, 19), (6, 17)])
    c.bleed(6, 1, skin=1, mucosa=0, organ=0, notes="New bruises on the arms")
    for ago, result in [
        (610, "ALT 44 U/L, bilirubin 20 µmol/L, albumin 37 g/L"),
        (400, "ALT 47 U/L, bilirubin 21 µmol/L, albumin 36 g/L"),
        (190, "ALT 49 U/L, bilirubin 22 µmol/L, albumin 36 g/L"),
        (15, "ALT 46 U/L, bilirubin 21 µmol/L, albumin 35 g/L"),
    ]:
        c.monitor(LIVER, ago, result)
    c.course(
        ELT,
        [(-5, 50, MG, DAILY)],
        notes="Prescribed by the referring clinic at the standard 50 mg start",
    )
    return c.build(
        number=11,
        slug="hepatic-impairment",
        family_name="Wiśniewski",
        given_name="Dariusz",
        sex=MALE,
        age=(63, 250),
        weight_kg=88,
        height_cm=176,
        rh_d=RhD.positive,
        haemoglobin_g_dl=13.4,
        risk_factors=RiskFactors(hepatic_impairment=True),
        diagnosed=610,
        diagnosis_notes="Compensated MASLD cirrhosis, Child-Pugh A; spleen size normal",
        notes=(
            "Chronic ITP with compensated cirrhosis (Child-Pugh A): eltrombopag is about to start "
            "at the standard 50 mg although hepatic impairment calls for 25 mg."
        ),
    )


def east_asian_eltrombopag(today: date) -> Patient:
    """South-East Asian ancestry: eltrombopag started at 25 mg, increased to 50 mg, response."""
    c = Chart(today, 112)
    c.count(215, 16)
    c.bleed(215, 1, skin=1, mucosa=0, organ=0, notes="Petechiae")
    c.screen(215)
    c.course(
        PRED,
        [(213, 50, MG, DAILY), (192, 30, MG, DAILY), (185, 15, MG, DAILY)],
        stop=178,
        reason=COMPLETED,
    )
    c.counts([(209, 52), (202, 124), (195, 141), (188, 118), (181, 87), (160, 44), (135, 28)])
    c.count(110, 21)
    c.course(
        ELT,
        [(98, 25, MG, DAILY), (84, 50, MG, DAILY)],
        notes="25 mg start for South-East Asian ancestry; 50 mg after 2 weeks below 50",
    )
    c.weekly(98, [17, 22, 26, 44, 63, 78, 84])
    c.counts([(42, 81), (28, 72), (14, 86), (2, 79)])
    for ago, alt in [(98, 18), (84, 21), (70, 24), (56, 22), (28, 19), (2, 23)]:
        c.monitor(LIVER, ago, f"ALT {alt} U/L, bilirubin 8 µmol/L")
    return c.build(
        number=12,
        slug="east-asian-eltrombopag-25mg",
        family_name="Nguyễn",
        given_name="Thị Lan",
        sex=FEMALE,
        age=(36, 75),
        weight_kg=55,
        height_cm=160,
        east_southeast_asian_ancestry=True,
        rh_d=RhD.positive,
        haemoglobin_g_dl=12.4,
        risk_factors=RiskFactors(needle_averse=True),
        diagnosed=215,
        notes=(
            "Persistent ITP in a woman of South-East Asian ancestry: eltrombopag correctly "
            "started at 25 mg, raised to 50 mg after 2 weeks, response with platelets 60–90."
        ),
    )


def eltrombopag_failure_romiplostim(today: date) -> Patient:
    """Eltrombopag 75 mg failed an adequate trial; romiplostim titrated weekly and responding."""
    c = Chart(today, 113)
    c.count(550, 11)
    c.bleed(550, 1, skin=1, mucosa=1, organ=0, notes="Petechiae and blood blisters in the mouth")
    c.screen(550)
    c.dex_cycle(548)
    c.counts([(544, 58), (541, 126), (534, 148), (527, 88), (520, 61), (513, 37), (500, 24)])
    c.dex_cycle(498, notes="Second cycle after relapse")
    c.counts([(494, 66), (487, 104), (480, 71), (473, 38), (466, 22)])
    c.counts([(440, 19), (380, 16), (320, 21), (260, 18), (200, 14), (160, 17)])
    c.course(
        ELT,
        [(150, 50, MG, DAILY), (136, 75, MG, DAILY)],
        stop=94,
        reason=NO_RESPONSE,
        notes="75 mg/day for 6 weeks without a rise",
    )
    c.weekly(150, [15, 17, 13, 19, 16, 21, 18, 14, 17])
    for ago in (150, 136, 122, 108, 94):
        c.monitor(LIVER, ago, "ALT 26 U/L, bilirubin 12 µmol/L")
    c.counts([(87, 12), (80, 14)])
    c.course(
        ROMI,
        ladder(70, [1, 2, 3, 4, 5, 6], MCG_KG, WEEKLY),
        notes="Switched to romiplostim: +1 mcg/kg weekly while below 50; 6 mcg/kg since week 6",
    )
    c.weekly(70, [13, 16, 19, 23, 31, 44, 58, 71, 86, 79, 88])
    return c.build(
        number=13,
        slug="eltrombopag-failure-romiplostim-titration",
        family_name="Conceição",
        given_name="Mateus",
        sex=MALE,
        age=(29, 180),
        weight_kg=77,
        height_cm=180,
        rh_d=RhD.positive,
        haemoglobin_g_dl=15.2,
        diagnosed=550,
        notes=(
            "Chronic ITP: eltrombopag 75 mg for 6 weeks without response (adequate trial), "
            "then romiplostim titrated weekly and responding at 6 mcg/kg."
        ),
    )


def tpo_ra_stopped_below_max(today: date) -> Patient:
    """Romiplostim stopped for 'no response' at 5 mcg/kg: not an adequate trial."""
    c = Chart(today, 114)
    c.count(790, 15)
    c.screen(790, positive=[WorkupTest.ana])
    c.course(
        PRED,
        [(787, 1.0, MG_KG, DAILY), (766, 0.5, MG_KG, DAILY), (759, 0.25, MG_KG, DAILY)],
        stop=752,
        reason=COMPLETED,
    )
    c.counts([(783, 39), (776, 84), (769, 96), (762, 70), (755, 52)])
    c.counts([(700, 36), (620, 29), (540, 24), (460, 22), (380, 19), (300, 21), (220, 17)])
    c.count(170, 16)
    c.course(
        ROMI,
        ladder(160, [1, 2, 3, 4, 5], MCG_KG, WEEKLY),
        stop=118,
        reason=NO_RESPONSE,
        notes="Stopped by the previous clinic for 'no response' while on 5 mcg/kg",
    )
    c.weekly(160, [14, 12, 17, 15, 19, 16, 21])
    c.counts([(104, 18), (76, 20), (48, 16), (20, 19), (3, 17)])
    return c.build(
        number=14,
        slug="romiplostim-stopped-below-max",
        family_name="Lewandowska",
        given_name="Ewa",
        sex=FEMALE,
        age=(55, 20),
        weight_kg=66,
        height_cm=165,
        rh_d=RhD.positive,
        haemoglobin_g_dl=12.8,
        diagnosed=790,
        diagnosis_notes="ANA positive at low titre (1:80); no clinical features of lupus",
        notes=(
            "Chronic ITP: romiplostim was stopped for 'no response' at 5 mcg/kg after 6 weeks, "
            "below the 10 mcg/kg maximum, so it is not a true failure."
        ),
    )


def avatrombopag_responder(today: date) -> Patient:
    """Avatrombopag response within a week; reduced to 20 mg three times weekly."""
    c = Chart(today, 115)
    c.count(1290, 18)
    c.screen(1290)
    c.course(
        PRED,
        [(1288, 80, MG, DAILY), (1267, 40, MG, DAILY), (1260, 20, MG, DAILY)],
        stop=1253,
        reason=COMPLETED,
    )
    c.counts([(1284, 55), (1277, 112), (1270, 124), (1263, 96), (1256, 71)])
    c.stable(1200, 400, 60, 18, 34)
    c.count(390, 16)
    c.course(
        AVA,
        [(380, 20, MG, DAILY), (338, 20, MG, TIW)],
        notes="20 mg daily with food; one level down to 20 mg three times weekly for counts > 200",
    )
    c.weekly(380, [17, 62, 104, 146, 192, 236, 248, 189, 162])
    c.count(310, 131)
    c.stable(282, 5, 30, 112, 178)
    return c.build(
        number=15,
        slug="avatrombopag-responder",
        family_name="Lefèvre",
        given_name="Jean-Baptiste",
        sex=MALE,
        age=(47, 95),
        weight_kg=84,
        height_cm=177,
        rh_d=RhD.positive,
        haemoglobin_g_dl=14.9,
        risk_factors=RiskFactors(needle_averse=True),
        diagnosed=1290,
        notes=(
            "Chronic ITP on avatrombopag: platelets above 50 within a week, dose reduced to "
            "20 mg three times weekly for counts above 200, monthly counts stable."
        ),
    )


def avatrombopag_and_fostamatinib_failure(today: date) -> Patient:
    """No response to avatrombopag 40 mg (adequate) nor to fostamatinib 150 mg twice daily."""
    c = Chart(today, 116)
    c.count(1830, 21)
    c.screen(1830)
    c.course(
        PRED,
        [(1828, 70, MG, DAILY), (1807, 40, MG, DAILY), (1800, 20, MG, DAILY)],
        stop=1793,
        reason=COMPLETED,
    )
    c.counts([(1824, 52), (1817, 88), (1810, 96), (1803, 74), (1796, 55)])
    c.stable(1750, 320, 90, 20, 34)
    c.count(310, 18)
    c.course(AVA, [(300, 20, MG, DAILY), (286, 40, MG, DAILY)], stop=244, reason=NO_RESPONSE)
    c.weekly(300, [17, 19, 15, 22, 18, 14, 20, 17, 16])
    c.counts([(230, 15), (180, 19), (130, 17), (115, 16)])
    c.course(
        FOSTA,
        [(110, 100, MG, BID), (82, 150, MG, BID)],
        notes="100 mg twice daily; 150 mg twice daily from week 4 (count below 50)",
    )
    c.counts([(110, 16), (96, 19), (82, 14), (68, 21), (54, 18), (40, 22), (26, 17), (12, 20)])
    c.count(3, 19)
    for ago, reading in [(110, "124/76"), (96, "126/78"), (82, "128/80"), (68, "131/82")]:
        c.monitor(BP, ago, f"BP {reading} mmHg")
    c.monitor(BP, 26, "BP 125/78 mmHg")
    for ago, alt in [(110, 22), (82, 27), (54, 31), (26, 29)]:
        c.monitor(LIVER, ago, f"ALT {alt} U/L; neutrophils normal")
    return c.build(
        number=16,
        slug="avatrombopag-and-fostamatinib-nr",
        family_name="Benali",
        given_name="Fatima",
        sex=FEMALE,
        age=(61, 330),
        weight_kg=72,
        height_cm=158,
        rh_d=RhD.positive,
        haemoglobin_g_dl=12.6,
        diagnosed=1830,
        notes=(
            "Chronic ITP: no response to avatrombopag 40 mg (adequate trial) nor, after 16 "
            "weeks, to fostamatinib 150 mg twice daily: fostamatinib plus a TPO-RA is an option."
        ),
    )


def hypertension_fostamatinib(today: date) -> Patient:
    """Hypertension on fostamatinib: responding, dose reduced for blood pressure."""
    c = Chart(today, 117)
    c.count(975, 19)
    c.screen(975)
    c.course(
        PRED,
        [(972, 1.0, MG_KG, DAILY), (951, 0.5, MG_KG, DAILY), (944, 0.25, MG_KG, DAILY)],
        stop=937,
        reason=COMPLETED,
    )
    c.counts([(968, 44), (961, 81), (954, 93), (947, 66), (940, 43)])
    c.stable(900, 170, 75, 18, 32)
    c.count(160, 21)
    c.course(
        FOSTA,
        [(150, 100, MG, BID), (122, 150, MG, BID), (94, 100, MG, BID)],
        notes="150 mg twice daily from week 4; back to 100 mg twice daily for BP 162/98 mmHg",
    )
    c.counts([(150, 20), (136, 26), (122, 33), (108, 58), (94, 76), (80, 81), (66, 72)])
    c.counts([(52, 84), (38, 78), (24, 86), (10, 79)])
    for ago, reading, comment in [
        (150, "136/84", ""),
        (136, "144/88", ""),
        (122, "146/90", ""),
        (108, "158/96", "; amlodipine 5 mg started"),
        (94, "162/98", "; fostamatinib reduced to 100 mg twice daily"),
        (80, "142/88", ""),
        (66, "138/86", ""),
        (38, "134/82", ""),
        (10, "132/80", ""),
    ]:
        c.monitor(BP, ago, f"BP {reading} mmHg{comment}")
    for ago, alt in [(122, 28), (94, 34), (66, 31), (38, 27), (10, 30)]:
        c.monitor(LIVER, ago, f"ALT {alt} U/L")
    return c.build(
        number=17,
        slug="hypertension-fostamatinib",
        family_name="Ibáñez",
        given_name="Sebastián",
        sex=MALE,
        age=(57, 140),
        weight_kg=98,
        height_cm=179,
        rh_d=RhD.positive,
        haemoglobin_g_dl=15.3,
        risk_factors=RiskFactors(hypertension=True),
        diagnosed=975,
        notes=(
            "Chronic ITP with hypertension on fostamatinib: responding, but blood pressure rose "
            "to 162/98 on 150 mg twice daily, so the dose was reduced and amlodipine started."
        ),
    )


def rituximab_planned_hbv_missing(today: date) -> Patient:
    """Rituximab planned in 10 days, but anti-HBc was never tested."""
    c = Chart(today, 118)
    c.count(150, 13)
    c.bleed(150, 1, skin=1, mucosa=1, organ=0, notes="Petechiae and gum bleeding")
    c.screen(150, [WorkupTest.h_pylori, WorkupTest.ana, WorkupTest.antiphospholipid])
    c.screen(150, [WorkupTest.immunoglobulins])
    c.course(
        PRED,
        [(148, 60, MG, DAILY), (127, 40, MG, DAILY), (120, 20, MG, DAILY), (113, 10, MG, DAILY)],
        stop=107,
        reason=COMPLETED,
    )
    c.counts([(144, 49), (141, 97), (134, 158), (127, 174), (120, 131), (113, 104)])
    c.counts([(106, 82), (99, 61), (85, 33), (71, 24), (64, 19)])
    c.dex_cycle(62, notes="Dexamethasone 40 mg/day for 4 days after relapse")
    c.counts([(58, 51), (55, 84), (48, 92), (41, 63), (34, 41), (27, 28), (20, 22), (6, 18)])
    c.screen(20, [WorkupTest.hbsag, WorkupTest.hiv, WorkupTest.hcv])
    c.vaccine(VaccineCode.influenza, 30, "Inactivated influenza vaccine")
    c.vaccine(VaccineCode.pneumococcal_conjugate, 9, "PCV20, before rituximab")
    c.course(
        RTX,
        infusions(-10, 4, 375, MG_M2),
        notes="Planned: rituximab 375 mg/m² weekly × 4",
    )
    return c.build(
        number=18,
        slug="rituximab-planned-hbv-missing",
        family_name="Bianchi",
        given_name="Chiara",
        sex=FEMALE,
        age=(32, 55),
        weight_kg=60,
        height_cm=165,
        rh_d=RhD.positive,
        haemoglobin_g_dl=12.7,
        risk_factors=RiskFactors(prefers_treatment_free_remission=True),
        diagnosed=150,
        notes=(
            "Persistent ITP relapsing after prednisone and dexamethasone: rituximab is planned in "
            "10 days, but anti-HBc has not been tested (HBV screening incomplete)."
        ),
    )


def hbv_exposed_rituximab(today: date) -> Patient:
    """Resolved hepatitis B (anti-HBc positive) on low-dose rituximab with entecavir."""
    c = Chart(today, 119)
    c.count(430, 14)
    c.screen(430, [WorkupTest.h_pylori, WorkupTest.ana, WorkupTest.antiphospholipid])
    c.screen(430, [WorkupTest.immunoglobulins])
    c.course(
        PRED,
        [(428, 80, MG, DAILY), (407, 40, MG, DAILY), (400, 20, MG, DAILY)],
        stop=393,
        reason=COMPLETED,
    )
    c.counts([(424, 41), (417, 88), (410, 104), (403, 97), (396, 72), (380, 44), (330, 31)])
    c.counts([(270, 26), (210, 22), (150, 19), (95, 21), (60, 18)])
    c.screen(
        95,
        [WorkupTest.hbsag, WorkupTest.anti_hbc, WorkupTest.hiv, WorkupTest.hcv],
        positive=[WorkupTest.anti_hbc],
    )
    c.monitor(LIVER, 80, "ALT 31 U/L; HBV DNA not detected; entecavir started")
    c.course(
        RTX,
        infusions(50, 4, 100, MG),
        stop=29,
        reason=COMPLETED,
        notes="Low-dose rituximab 100 mg weekly × 4 with entecavir prophylaxis",
    )
    c.counts([(50, 18), (43, 20), (36, 26), (29, 35), (22, 46), (15, 54), (8, 61), (1, 58)])
    c.monitor(LIVER, 22, "ALT 28 U/L; HBV DNA not detected")
    return c.build(
        number=19,
        slug="hbv-anti-hbc-positive-rituximab",
        family_name="Rahimi",
        given_name="Abdullah",
        sex=MALE,
        age=(66, 10),
        weight_kg=80,
        height_cm=172,
        rh_d=RhD.positive,
        haemoglobin_g_dl=13.8,
        diagnosed=430,
        notes=(
            "Chronic ITP on low-dose rituximab (100 mg weekly × 4) with resolved hepatitis B "
            "(anti-HBc positive, HBsAg negative): entecavir and HBV DNA monitoring."
        ),
    )


def dental_extraction_low_count(today: date) -> Patient:
    """Observed chronic ITP with a dental extraction in 9 days and platelets 24."""
    c = Chart(today, 120)
    c.count(2200, 23)
    c.screen(2200, positive=[WorkupTest.anti_hbc])
    c.course(
        PRED,
        [(2195, 60, MG, DAILY), (2174, 30, MG, DAILY), (2167, 15, MG, DAILY)],
        stop=2160,
        reason=COMPLETED,
    )
    c.counts([(2191, 64), (2184, 118), (2177, 134), (2170, 102), (2163, 81)])
    c.stable(2100, 100, 90, 22, 38)
    c.counts([(95, 27), (50, 26), (6, 24)])
    c.bleed(6, 0, skin=0, mucosa=0, organ=0, notes="No bleeding")
    c.procedure(ProcedureKind.dental_extraction, -9, "Simple extraction of two lower molars")
    return c.build(
        number=20,
        slug="dental-extraction-low-count",
        family_name="Dąbrowska",
        given_name="Agnieszka",
        sex=FEMALE,
        age=(71, 200),
        weight_kg=62,
        height_cm=158,
        rh_d=RhD.positive,
        haemoglobin_g_dl=12.3,
        diagnosed=2200,
        diagnosis_notes="Resolved hepatitis B: anti-HBc positive, HBsAg negative",
        notes=(
            "Chronic ITP under observation (platelets 20–35, no bleeding) with a dental "
            "extraction in 9 days: the latest count of 24 is below the target of 30."
        ),
    )


def pregnancy(today: date) -> Patient:
    """Pregnant at 26 weeks: platelets fell to 26, prednisolone 20 mg/day started."""
    c = Chart(today, 121)
    c.count(1500, 18)
    c.screen(1500)
    c.course(
        PRED,
        [(1498, 70, MG, DAILY), (1477, 40, MG, DAILY), (1470, 20, MG, DAILY)],
        stop=1463,
        reason=COMPLETED,
    )
    c.counts([(1494, 61), (1487, 128), (1480, 156), (1473, 141), (1466, 118)])
    c.stable(1400, 200, 90, 70, 110)
    c.counts([(180, 88), (150, 74), (120, 61), (90, 52), (60, 41), (30, 33), (16, 24)])
    c.bleed(16, 0, skin=0, mucosa=0, organ=0, notes="No bleeding")
    c.course(PRED, [(15, 20, MG, DAILY)], notes="Prednisolone 20 mg/day in pregnancy")
    c.counts([(8, 60), (1, 68)])
    c.procedure(ProcedureKind.delivery, -98, "Planned delivery at term")
    return c.build(
        number=21,
        slug="pregnancy",
        family_name="Okafor",
        given_name="Ngozi",
        sex=FEMALE,
        age=(31, 60),
        weight_kg=68,
        height_cm=166,
        rh_d=RhD.positive,
        haemoglobin_g_dl=11.2,
        risk_factors=RiskFactors(pregnancy_or_planning=True),
        diagnosed=1500,
        notes=(
            "Pregnant (26 weeks) with chronic ITP: platelets fell to 24, prednisolone 20 mg/day "
            "brought them back above 50, the count needed for delivery at term."
        ),
    )


def lost_to_follow_up(today: date) -> Patient:
    """On eltrombopag, last count and liver tests 5 months ago."""
    c = Chart(today, 122)
    c.count(1120, 15)
    c.screen(1120)
    c.course(
        PRED,
        [(1118, 80, MG, DAILY), (1097, 40, MG, DAILY), (1090, 20, MG, DAILY)],
        stop=1083,
        reason=NO_RESPONSE,
    )
    c.counts([(1114, 19), (1107, 24), (1100, 21), (1093, 18), (1040, 17), (960, 22)])
    c.counts([(880, 19), (800, 21), (720, 16), (640, 20), (560, 18), (480, 15), (410, 14)])
    c.course(ELT, [(400, 50, MG, DAILY)], notes="Eltrombopag 50 mg daily")
    c.weekly(400, [14, 21, 38, 55, 71, 82, 76])
    c.stable(330, 180, 30, 55, 90)
    c.count(152, 62, notes="Last visit")
    for ago in (400, 386, 372, 358, 330, 270, 210, 152):
        c.monitor(LIVER, ago, "ALT 26 U/L, bilirubin 11 µmol/L")
    return c.build(
        number=22,
        slug="lost-to-follow-up",
        family_name="Volkov",
        given_name="Dmitri",
        sex=MALE,
        age=(44, 190),
        weight_kg=79,
        height_cm=175,
        rh_d=RhD.positive,
        haemoglobin_g_dl=14.4,
        diagnosed=1120,
        notes=(
            "Chronic ITP on eltrombopag 50 mg: lost to follow-up, with the last count and liver "
            "tests 5 months ago while still on therapy."
        ),
    )


def remission_after_rituximab(today: date) -> Patient:
    """Sustained complete remission for 2 years after rituximab, off therapy."""
    c = Chart(today, 123)
    c.count(1100, 9)
    c.bleed(1100, 2, skin=2, mucosa=1, organ=0, notes="Petechiae, bruises and gum bleeding")
    c.screen(1100, [t for t in FULL_SCREEN if t not in (WorkupTest.hbsag, WorkupTest.anti_hbc)])
    c.course(
        PRED,
        [
            (1099, 60, MG, DAILY),
            (1078, 40, MG, DAILY),
            (1071, 20, MG, DAILY),
            (1064, 10, MG, DAILY),
        ],
        stop=1058,
        reason=COMPLETED,
    )
    c.counts([(1095, 42), (1088, 116), (1081, 148), (1074, 129), (1067, 104), (1060, 72)])
    c.counts([(1046, 41), (1020, 26), (990, 22), (950, 24), (880, 19), (820, 21), (785, 17)])
    c.screen(790, [WorkupTest.hbsag, WorkupTest.anti_hbc])
    c.vaccine(VaccineCode.pneumococcal_conjugate, 780, "PCV20, before rituximab")
    c.course(RTX, infusions(760, 4, 375, MG_M2), stop=739, reason=COMPLETED)
    c.counts([(760, 16), (746, 29), (732, 71), (718, 128), (704, 162), (690, 171), (676, 186)])
    c.stable(640, 10, 91, 175, 260)
    c.vaccine(VaccineCode.influenza, 420, "Inactivated influenza vaccine")
    c.vaccine(VaccineCode.influenza, 55, "Inactivated influenza vaccine")
    return c.build(
        number=23,
        slug="remission-after-rituximab",
        family_name="Weiß",
        given_name="Hannah",
        sex=FEMALE,
        age=(27, 220),
        weight_kg=58,
        height_cm=168,
        rh_d=RhD.positive,
        haemoglobin_g_dl=13.2,
        risk_factors=RiskFactors(prefers_treatment_free_remission=True),
        diagnosed=1100,
        notes=(
            "Chronic ITP in sustained complete remission for 2 years after rituximab "
            "375 mg/m² × 4; off all therapy, counts every 3 months."
        ),
    )


def splenectomised_long_ago(today: date) -> Patient:
    """Splenectomy 7 years ago, fully vaccinated with boosters; durable remission."""
    c = Chart(today, 124)
    diagnosed = c.day(3300)
    c.count(3290, 12)
    c.screen(3290)
    c.course(
        PRED,
        [(3285, 80, MG, DAILY), (3264, 40, MG, DAILY), (3257, 20, MG, DAILY)],
        stop=3250,
        reason=NO_RESPONSE,
    )
    c.counts([(3281, 16), (3274, 22), (3267, 19), (3260, 24), (3180, 17)])
    c.course(
        AZA,
        [(3100, 100, MG, DAILY)],
        stop=2980,
        reason=NO_RESPONSE,
        notes="Azathioprine 100 mg/day for 4 months (TPMT normal)",
    )
    c.counts([(3100, 18), (3070, 21), (3040, 17), (3010, 23), (2980, 20), (2800, 16), (2640, 19)])
    c.vaccine(VaccineCode.pneumococcal_conjugate, 2590, "Prevenar 13")
    c.vaccine(VaccineCode.meningococcal_acwy, 2590, "Menveo, dose 1")
    c.vaccine(VaccineCode.meningococcal_b, 2590, "Bexsero, dose 1")
    c.vaccine(VaccineCode.hib, 2590, "Hib conjugate")
    c.ivig(2565, notes="IVIG 1 g/kg before surgery")
    c.count(2566, 21)
    c.procedure(ProcedureKind.splenectomy, 2560, "Laparoscopic splenectomy")
    c.counts([(2562, 96), (2556, 188), (2549, 346), (2535, 402), (2505, 281)])
    c.vaccine(VaccineCode.pneumococcal_polysaccharide, 2530, "Pneumovax 23")
    c.vaccine(VaccineCode.meningococcal_acwy, 2530, "Menveo, dose 2")
    c.vaccine(VaccineCode.meningococcal_b, 2530, "Bexsero, dose 2")
    c.vaccine(VaccineCode.meningococcal_b, 2165, "Bexsero booster")
    c.vaccine(VaccineCode.meningococcal_acwy, 1700, "Menveo booster")
    c.vaccine(VaccineCode.meningococcal_b, 1260, "Bexsero booster")
    c.vaccine(VaccineCode.pneumococcal_conjugate, 400, "PCV20, 5 years after Pneumovax 23")
    c.vaccine(VaccineCode.meningococcal_b, 360, "Bexsero booster")
    c.vaccine(VaccineCode.influenza, 45, "Inactivated influenza vaccine")
    c.stable(2400, 20, 180, 190, 320)
    return c.build(
        number=24,
        slug="splenectomised-vaccinated",
        family_name="Bjørnstad",
        given_name="Henrik",
        sex=MALE,
        age=(53, 280),
        weight_kg=83,
        height_cm=180,
        rh_d=RhD.positive,
        haemoglobin_g_dl=15.1,
        diagnosed=f"{diagnosed.year:04d}-{diagnosed.month:02d}",
        diagnosis_notes="Diagnosis month from the referral letter; day not recorded",
        notes=(
            "Splenectomy 7 years ago for chronic ITP, fully vaccinated with boosters up to date: "
            "durable complete remission without therapy; penicillin prophylaxis and alert card."
        ),
    )


def outside_lab_per_microlitre(today: date) -> Patient:
    """Counts reported per µL by an outside laboratory; now 8,000 /µL and untreated."""
    c = Chart(today, 125)
    c.counts([(155, 42), (120, 38), (90, 33), (60, 27), (30, 19), (9, 12), (2, 8)], unit=PER_UL)
    c.bleed(2, 1, skin=1, mucosa=0, organ=0, notes="New petechiae on the legs")
    c.test(WorkupTest.h_pylori, TestResult.positive, 150, "Stool antigen; eradication completed")
    c.test(WorkupTest.hiv, TestResult.negative, 150)
    return c.build(
        number=25,
        slug="outside-lab-per-microlitre",
        family_name="Moradi",
        given_name="Leila",
        sex=FEMALE,
        age=(39, 35),
        weight_kg=71,
        height_cm=171,
        rh_d=RhD.positive,
        haemoglobin_g_dl=12.9,
        diagnosed=155,
        notes=(
            "Referred with counts from an outside laboratory in /µL (8,000 /µL = 8 ×10⁹/L): "
            "falling on observation, now below 10 with no treatment and new petechiae."
        ),
    )


def anti_d_low_haemoglobin(today: date) -> Patient:
    """Anti-D booked for tomorrow although haemoglobin is 7.8 g/dL."""
    c = Chart(today, 126)
    c.count(125, 12)
    c.bleed(125, 1, skin=1, mucosa=0, organ=0, notes="Petechiae")
    c.screen(125)
    c.course(
        PRED,
        [(124, 60, MG, DAILY), (103, 40, MG, DAILY), (96, 20, MG, DAILY), (89, 10, MG, DAILY)],
        stop=83,
        reason=COMPLETED,
    )
    c.counts([(120, 44), (117, 91), (110, 126), (103, 142), (96, 118), (89, 86), (82, 57)])
    c.counts([(68, 34), (54, 26), (40, 21), (26, 17), (12, 15), (5, 13)])
    c.bleed(
        5, 2, skin=1, mucosa=2, organ=0, notes="Heavy menstrual bleeding for 9 days; Hb 7.8 g/dL"
    )
    c.course(ANTI_D, [(-1, 50, MCG_KG, ONCE)], notes="Booked: anti-D 50 mcg/kg")
    return c.build(
        number=26,
        slug="anti-d-low-haemoglobin",
        family_name="Castillo",
        given_name="Sofía",
        sex=FEMALE,
        age=(24, 150),
        weight_kg=57,
        height_cm=164,
        rh_d=RhD.positive,
        haemoglobin_g_dl=7.8,
        diagnosed=125,
        notes=(
            "Persistent ITP with heavy menstrual bleeding and haemoglobin 7.8 g/dL: the anti-D "
            "booked for tomorrow is contraindicated below 8 g/dL."
        ),
    )


def triple_combination_candidate(today: date) -> Patient:
    """No response to prednisone, romiplostim 10 mcg/kg or IVIG, with recent epistaxis."""
    c = Chart(today, 127)
    c.count(800, 14)
    c.screen(800)
    c.course(
        PRED,
        [(798, 80, MG, DAILY), (777, 40, MG, DAILY), (770, 20, MG, DAILY)],
        stop=763,
        reason=NO_RESPONSE,
    )
    c.counts([(794, 17), (787, 21), (780, 16), (773, 22), (766, 19)])
    c.counts([(720, 18), (640, 15), (560, 19), (480, 16), (420, 13), (405, 12)])
    c.course(
        ROMI,
        ladder(400, list(range(1, 11)), MCG_KG, WEEKLY),
        stop=302,
        reason=NO_RESPONSE,
        notes="+1 mcg/kg weekly to 10 mcg/kg; 6 weeks at 10 mcg/kg without a rise",
    )
    c.weekly(400, [12, 14, 11, 16, 13, 18, 15, 12, 17, 14, 19, 13, 16, 12, 15])
    c.counts([(280, 14), (220, 11), (160, 13), (100, 12), (70, 10), (59, 6)])
    c.bleed(59, 2, skin=1, mucosa=2, organ=0, notes="Epistaxis for 45 minutes needing packing")
    c.ivig(58, notes="IVIG 1 g/kg for epistaxis")
    c.counts([(56, 11), (52, 14), (45, 9), (38, 12)])
    c.course(
        ELT,
        [(30, 50, MG, DAILY), (16, 75, MG, DAILY)],
        notes="Switched to eltrombopag; 75 mg after 2 weeks below 50",
    )
    c.weekly(30, [10, 12, 15, 13, 14])
    for ago, alt in [(30, 21), (16, 24), (2, 22)]:
        c.monitor(LIVER, ago, f"ALT {alt} U/L")
    return c.build(
        number=27,
        slug="triple-combination-candidate",
        family_name="Brandt",
        given_name="Tobias",
        sex=MALE,
        age=(34, 240),
        weight_kg=81,
        height_cm=184,
        rh_d=RhD.positive,
        haemoglobin_g_dl=13.6,
        diagnosed=800,
        notes=(
            "Chronic ITP with recent epistaxis: no response to prednisone, romiplostim "
            "10 mcg/kg (adequate trial) or IVIG; now on eltrombopag 75 mg."
        ),
    )


def refractory_before_twelve_months(today: date) -> Patient:
    """Multi-refractory at 9 months from diagnosis: splenectomy is deferred."""
    c = Chart(today, 128)
    c.count(270, 9)
    c.bleed(270, 2, skin=2, mucosa=2, organ=0, notes="Wet purpura and gum bleeding")
    c.screen(270)
    c.dex_cycle(268)
    c.counts([(264, 13), (261, 17), (254, 12), (247, 15), (240, 11)])
    c.vaccine(VaccineCode.pneumococcal_conjugate, 240, "PCV20, before rituximab")
    c.course(RTX, infusions(235, 4, 375, MG_M2), stop=214, reason=COMPLETED)
    c.counts([(235, 12), (221, 14), (207, 18), (193, 13), (179, 16), (165, 19), (151, 15)])
    c.course(
        ROMI,
        ladder(150, list(range(1, 11)), MCG_KG, WEEKLY),
        stop=52,
        reason=NO_RESPONSE,
        notes="+1 mcg/kg weekly to 10 mcg/kg; 6 weeks at 10 mcg/kg without a rise",
    )
    c.weekly(150, [14, 12, 16, 13, 17, 11, 15, 18, 13, 16, 12, 19, 14, 17, 15])
    c.counts([(38, 16), (24, 13), (10, 18), (3, 15)])
    c.bleed(24, 1, skin=1, mucosa=0, organ=0, notes="Petechiae on the legs")
    return c.build(
        number=28,
        slug="refractory-before-12-months",
        family_name="Mensah",
        given_name="Kwame",
        sex=MALE,
        age=(45, 100),
        weight_kg=88,
        height_cm=181,
        rh_d=RhD.positive,
        haemoglobin_g_dl=14.2,
        risk_factors=RiskFactors(splenectomy_candidate=Candidacy.yes),
        diagnosed=270,
        notes=(
            "Persistent ITP, 9 months from diagnosis and already refractory to dexamethasone, "
            "rituximab and romiplostim 10 mcg/kg: splenectomy waits until 12 months."
        ),
    )


BUILDERS: tuple[Callable[[date], Patient], ...] = (
    newly_diagnosed_prednisone,
    newly_diagnosed_dex_ivig,
    steroid_dependent,
    romiplostim_stable_responder,
    multi_refractory_candidate,
    multi_refractory_non_candidate,
    splenectomy_planned,
    bleeding_now,
    child_newly_diagnosed,
    prior_thrombosis,
    hepatic_impairment,
    east_asian_eltrombopag,
    eltrombopag_failure_romiplostim,
    tpo_ra_stopped_below_max,
    avatrombopag_responder,
    avatrombopag_and_fostamatinib_failure,
    hypertension_fostamatinib,
    rituximab_planned_hbv_missing,
    hbv_exposed_rituximab,
    dental_extraction_low_count,
    pregnancy,
    lost_to_follow_up,
    remission_after_rituximab,
    splenectomised_long_ago,
    outside_lab_per_microlitre,
    anti_d_low_haemoglobin,
    triple_combination_candidate,
    refractory_before_twelve_months,
)
"""One builder per demo patient, in demo order (patient numbers 1, 2, ...)."""


def build_demo_patients(today: date) -> list[Patient]:
    """Build the curated demo patients with every date relative to `today`.

    Results (counts, bleeding assessments, vaccines, work-up, monitoring) are dated on or before
    `today`; planned courses and procedures may lie ahead. The same `today` always gives the
    same patients, and another `today` gives the same stories shifted in time.

    Args:
        today: the day the demo is built for (injected: this module never reads the clock).

    Returns:
        The demo patients in demo order, each with a stable id ``demo-NN-...`` and an MRN
        ``DEMO-00NN``.
    """
    return [build(today) for build in BUILDERS]
