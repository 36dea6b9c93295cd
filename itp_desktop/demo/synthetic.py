"""Deterministic synthetic patients for large stores, benchmarks and load tests.

`generate_patients(n, seed=..., today=...)` yields `n` varied, plausible and valid patients:
names drawn from small built-in lists (including accented names, for search), MRNs
``SYN<seed>-0000001``, adults and children, newly diagnosed to chronic ITP, 5–60 platelet
counts, 1–6 therapy courses with realistic agents, doses, units and titration, and now and
then bleeding assessments, vaccines, work-up results, monitoring and a splenectomy. Every
result is dated on or before `today` and every dose unit is one the agent allows, so the
patients pass the same validation as typed-in records. Everything comes from one
`random.Random(seed)`: the same arguments always give the same patients, and the first `k` of
``n`` patients equal the patients of ``n = k``. `make_heavy_patient` builds one very long record
(2,000 counts, 40 courses) for load-time benchmarks. These are not real people.
May import: core, stdlib.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from itp_desktop.core.codes import (
    AgentCode,
    DoseUnit,
    Frequency,
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
from itp_desktop.core.models.patient import Patient

FAMILY_NAMES: tuple[str, ...] = (
    "Müller", "Núñez", "Øvergaard", "Sørensen", "Dvořák", "Łukasiewicz", "Nguyễn", "Çelik",
    "Şahin", "Jiménez", "Gonçalves", "Björklund", "Ångström", "Lefèvre", "Schäfer",
    "Kovačević", "Papadopoulou", "O'Connor", "van der Berg", "García", "Fernández", "Peña",
    "Straße", "Håkansson", "Żak", "Novák", "Horváth", "Kiss", "Nagy", "Rossi", "Bianchi",
    "Esposito", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti",
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor",
    "Anderson", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris",
    "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
    "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter",
    "Phillips", "Evans", "Turner", "Torres", "Parker", "Collins", "Edwards", "Stewart",
    "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey",
    "Bell", "Kelly", "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks",
    "Bennett", "Gray", "James", "Hughes", "Price", "Sanders", "Myers", "Long", "Ross",
    "Foster", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz",
    "Dubois", "Durand", "Moreau", "Laurent", "Simon", "Michel", "Leroy", "Roux", "David",
    "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine",
    "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
    "Yılmaz", "Kaya", "Demir", "Öztürk", "Aydın", "Arslan", "Doğan", "Kılıç", "Tanaka",
    "Suzuki", "Takahashi", "Watanabe", "Itō", "Yamamoto", "Nakamura", "Kobayashi", "Kim",
    "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Wang", "Li", "Zhang", "Liu",
    "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Tran", "Le", "Pham", "Hoang", "Phan",
    "Vu", "Dang", "Bui", "Do", "Ho", "Ngo", "Duong", "Ly", "Singh", "Kumar", "Sharma",
    "Patel", "Gupta", "Khan", "Ali", "Ahmed", "Hassan", "Hussein", "Ibrahim", "Mahmoud",
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Larsen", "Johansson", "Karlsson",
    "Nilsson", "Eriksson", "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Hämäläinen",
    "Ó Briain", "MacLeod", "Ferreira", "Gonçalves", "Conceição", "Magalhães", "Araújo",
)  # fmt: skip

GIVEN_FEMALE: tuple[str, ...] = (
    "Anna", "Zoë", "Anaïs", "Chloé", "Renée", "Łucja", "Inés", "María", "Sofía", "Lucía",
    "Emma", "Olivia", "Ava", "Mia", "Amelia", "Léa", "Manon", "Camille", "Élodie", "Hélène",
    "Greta", "Jördis", "Åsa", "Ingrid", "Siobhán", "Aoife", "Małgorzata", "Zuzana", "Katarína",
    "Ayşe", "Elif", "Yuki", "Hana", "Mei", "Ji-woo", "Linh", "Priya", "Fatima", "Noor",
    "Grace", "Ruth", "Clara", "Frida", "Maja", "Aino", "Sigrún", "Beatriz", "Joana", "Irène",
)  # fmt: skip

GIVEN_MALE: tuple[str, ...] = (
    "José", "Björn", "Søren", "Jürgen", "Ólafur", "Ömer", "Iñaki", "Jean", "Luc", "François",
    "Hugo", "Noah", "Liam", "Oliver", "Elias", "Lukas", "Jonas", "Felix", "Matteo", "Luca",
    "Marco", "Piotr", "Łukasz", "Tomáš", "Jiří", "Mehmet", "Emre", "Kenji", "Hiroshi",
    "Min-jun", "Minh", "Arjun", "Omar", "Youssef", "Seán", "Eoin", "Lars", "Anders", "Mikko",
    "João", "Tiago", "André", "Stéphane", "Rémi", "Dmitri", "Ivan", "Nikolai", "Ahmed", "Ben",
)  # fmt: skip

_LONG_TERM = {
    AgentCode.romiplostim,
    AgentCode.eltrombopag,
    AgentCode.avatrombopag,
    AgentCode.fostamatinib,
    AgentCode.rilzabrutinib,
    AgentCode.mycophenolate,
    AgentCode.azathioprine,
    AgentCode.ciclosporin,
    AgentCode.danazol,
    AgentCode.dapsone,
    AgentCode.sirolimus,
}
_FIRST_LINE = (AgentCode.prednisone, AgentCode.dexamethasone, AgentCode.ivig)
_FIRST_LINE_WEIGHTS = (5, 3, 2)
_LATER = (
    AgentCode.romiplostim, AgentCode.eltrombopag, AgentCode.avatrombopag, AgentCode.rituximab,
    AgentCode.fostamatinib, AgentCode.mycophenolate, AgentCode.prednisone,
    AgentCode.dexamethasone, AgentCode.ivig, AgentCode.anti_d, AgentCode.rilzabrutinib,
    AgentCode.azathioprine, AgentCode.ciclosporin, AgentCode.danazol, AgentCode.dapsone,
    AgentCode.sirolimus, AgentCode.methylprednisolone, AgentCode.cyclophosphamide,
    AgentCode.vincristine,
)  # fmt: skip
_LATER_WEIGHTS = (8, 8, 5, 6, 4, 4, 3, 2, 3, 1, 2, 1, 1, 1, 1, 1, 1, 0.3, 0.3)
_STOP_REASONS = (
    StopReason.no_response,
    StopReason.loss_of_response,
    StopReason.intolerance,
    StopReason.remission,
    StopReason.patient_choice,
    StopReason.other,
)
_STOP_WEIGHTS = (5, 3, 2, 2, 1, 1)


@dataclass
class _Ctx:
    """What course builders need to know about the patient being generated."""

    rng: random.Random
    today: dt.date
    weight_kg: float | None
    child: bool
    reduced_dose: bool  # East/South-East Asian ancestry or hepatic impairment


Step = tuple[int, float, DoseUnit, Frequency]  # (day offset from start, amount, unit, frequency)


def _fixed(
    days: int, amount: float, unit: DoseUnit, frequency: Frequency
) -> tuple[list[Step], int]:
    return [(0, amount, unit, frequency)], days


def _titrated(
    ctx: _Ctx, doses: list[tuple[float, DoseUnit]], every: int, frequency: Frequency
) -> list[Step]:
    """Dose steps every `every` days through `doses`, stopping early at a random point."""
    last = ctx.rng.randint(0, len(doses) - 1)
    return [
        (k * every, amount, unit, frequency) for k, (amount, unit) in enumerate(doses[: last + 1])
    ]


def _prednisone(ctx: _Ctx) -> tuple[list[Step], int]:
    if ctx.weight_kg is not None and ctx.rng.random() < 0.6:
        taper = [(1.0, DoseUnit.mg_per_kg), (0.75, DoseUnit.mg_per_kg), (0.5, DoseUnit.mg_per_kg),
                 (0.25, DoseUnit.mg_per_kg)]  # fmt: skip
    else:
        taper = [(60.0, DoseUnit.mg), (40.0, DoseUnit.mg), (20.0, DoseUnit.mg), (10.0, DoseUnit.mg)]
    steps = [(k * 14, amount, unit, Frequency.daily) for k, (amount, unit) in enumerate(taper)]
    return steps, 14 * len(taper) + ctx.rng.randint(0, 14)


def _romiplostim(ctx: _Ctx) -> tuple[list[Step], int]:
    start = 3 if ctx.rng.random() < 0.3 else 1
    top = ctx.rng.randint(start, 10)
    steps = [(k * 7, float(dose), DoseUnit.mcg_per_kg, Frequency.weekly)
             for k, dose in enumerate(range(start, top + 1))]  # fmt: skip
    return steps, max(steps[-1][0] + 28, ctx.rng.randint(60, 400))


def _eltrombopag(ctx: _Ctx) -> tuple[list[Step], int]:
    first = 25.0 if ctx.reduced_dose else 50.0
    doses = [(first, DoseUnit.mg), (50.0, DoseUnit.mg), (75.0, DoseUnit.mg)]
    if first == 50.0:
        doses = doses[1:]
    return _titrated(ctx, doses, 21, Frequency.daily), ctx.rng.randint(60, 500)


def _avatrombopag(ctx: _Ctx) -> tuple[list[Step], int]:
    doses = [(20.0, DoseUnit.mg), (40.0, DoseUnit.mg)]
    return _titrated(ctx, doses, 14, Frequency.daily), ctx.rng.randint(45, 400)


def _fostamatinib(ctx: _Ctx) -> tuple[list[Step], int]:
    doses = [(100.0, DoseUnit.mg), (150.0, DoseUnit.mg)]
    return _titrated(ctx, doses, 28, Frequency.twice_daily), ctx.rng.randint(56, 300)


def _rituximab(ctx: _Ctx) -> tuple[list[Step], int]:
    if ctx.rng.random() < 0.75:
        return _fixed(21, 375.0, DoseUnit.mg_per_m2, Frequency.weekly)
    return _fixed(21, 100.0, DoseUnit.mg, Frequency.weekly)


def _ivig(ctx: _Ctx) -> tuple[list[Step], int]:
    if ctx.weight_kg is not None and ctx.rng.random() < 0.7:
        return _fixed(1, 1.0, DoseUnit.g_per_kg, Frequency.once)
    return _fixed(1, 70.0, DoseUnit.g, Frequency.once)


def _mycophenolate(ctx: _Ctx) -> tuple[list[Step], int]:
    doses = [(500.0, DoseUnit.mg), (1.0, DoseUnit.g)]
    return _titrated(ctx, doses, 14, Frequency.twice_daily), ctx.rng.randint(60, 365)


_SIMPLE: dict[AgentCode, Callable[[_Ctx], tuple[list[Step], int]]] = {
    AgentCode.prednisone: _prednisone,
    AgentCode.dexamethasone: lambda ctx: _fixed(3, 40.0, DoseUnit.mg, Frequency.daily),
    AgentCode.methylprednisolone: lambda ctx: _fixed(2, 1.0, DoseUnit.g, Frequency.daily),
    AgentCode.ivig: _ivig,
    AgentCode.anti_d: lambda ctx: _fixed(1, 75.0, DoseUnit.mcg_per_kg, Frequency.once),
    AgentCode.rituximab: _rituximab,
    AgentCode.romiplostim: _romiplostim,
    AgentCode.eltrombopag: _eltrombopag,
    AgentCode.avatrombopag: _avatrombopag,
    AgentCode.fostamatinib: _fostamatinib,
    AgentCode.rilzabrutinib: lambda ctx: _fixed(
        ctx.rng.randint(60, 300), 400.0, DoseUnit.mg, Frequency.twice_daily
    ),
    AgentCode.mycophenolate: _mycophenolate,
    AgentCode.ciclosporin: lambda ctx: _fixed(
        ctx.rng.randint(60, 300), 2.5, DoseUnit.mg_per_kg, Frequency.twice_daily
    ),
    AgentCode.azathioprine: lambda ctx: _fixed(
        ctx.rng.randint(90, 365), 2.0, DoseUnit.mg_per_kg, Frequency.daily
    ),
    AgentCode.danazol: lambda ctx: _fixed(
        ctx.rng.randint(90, 365), 200.0, DoseUnit.mg, Frequency.twice_daily
    ),
    AgentCode.dapsone: lambda ctx: _fixed(
        ctx.rng.randint(60, 300), 100.0, DoseUnit.mg, Frequency.daily
    ),
    AgentCode.sirolimus: lambda ctx: _fixed(
        ctx.rng.randint(90, 365), 2.0, DoseUnit.mg, Frequency.daily
    ),
    AgentCode.cyclophosphamide: lambda ctx: _fixed(0, 1000.0, DoseUnit.mg_per_m2, Frequency.once),
    AgentCode.vincristine: lambda ctx: _fixed(21, 1.4, DoseUnit.mg_per_m2, Frequency.weekly),
}


def _course(
    ctx: _Ctx, agent: AgentCode, start: dt.date, entry_id: str, *, last: bool, clip: bool = False
) -> tuple[dict[str, Any], dt.date, bool]:
    """One course dict, the day after which the next may start, and whether it responded.

    A course that would run past `ctx.today` is ongoing (no stop date), or with `clip` stops
    on `ctx.today`; only the `last` course of a patient may be left ongoing on purpose.
    """
    steps, days = _SIMPLE[agent](ctx)
    stop: dt.date | None = start + dt.timedelta(days=days)
    responded = ctx.rng.random() < 0.6
    if agent in _LONG_TERM and last and ctx.rng.random() < 0.5:
        stop = None
    elif stop is not None and stop > ctx.today:
        stop = ctx.today if clip else None
    last_possible = stop if stop is not None else ctx.today
    dose_steps = [
        {
            "effective_date": start + dt.timedelta(days=offset),
            "amount": amount,
            "unit": unit,
            "frequency": frequency,
        }
        for offset, amount, unit, frequency in steps
        if start + dt.timedelta(days=offset) <= max(last_possible, start)
    ]
    if stop is None:
        reason = None
    elif agent in _LONG_TERM or agent is AgentCode.prednisone:
        reason = ctx.rng.choices(_STOP_REASONS, _STOP_WEIGHTS)[0]
        if reason is StopReason.remission and not responded:
            reason = StopReason.no_response
    else:
        reason = StopReason.completed
    course = {
        "id": entry_id,
        "agent": agent,
        "start_date": start,
        "stop_date": stop,
        "stop_reason": reason,
        "dose_steps": dose_steps,
    }
    return course, (stop if stop is not None else ctx.today), responded


def _courses(
    ctx: _Ctx, first_day: dt.date, wanted: int, rh_positive: bool
) -> tuple[list[dict[str, Any]], list[tuple[dt.date, dt.date, float]]]:
    """Sequential courses from `first_day`; also (from, to, level) windows of response."""
    rng = ctx.rng
    courses: list[dict[str, Any]] = []
    windows: list[tuple[dt.date, dt.date, float]] = []
    start = first_day
    for index in range(wanted):
        if start > ctx.today:
            break
        if index == 0:
            agent = rng.choices(_FIRST_LINE, _FIRST_LINE_WEIGHTS)[0]
        else:
            agent = rng.choices(_LATER, _LATER_WEIGHTS)[0]
            if agent is AgentCode.anti_d and not rh_positive:
                agent = AgentCode.ivig
        course, end, responded = _course(
            ctx, agent, start, f"t{index + 1}", last=index == wanted - 1
        )
        courses.append(course)
        if responded:
            lag = 3 if agent in (AgentCode.ivig, AgentCode.anti_d) else 10
            windows.append(
                (
                    start + dt.timedelta(days=lag),
                    end + dt.timedelta(days=21),
                    rng.uniform(55, 260),
                )
            )
        start = end + dt.timedelta(days=rng.randint(1, 60))
    return courses, windows


def _count_value(rng: random.Random, day: dt.date, base: float, windows: list[Any]) -> float:
    level = base
    for first, last, high in windows:
        if first <= day <= last:
            level = high
            break
    return float(max(1, round(level * rng.uniform(0.75, 1.25))))


def _counts(
    ctx: _Ctx, first_day: dt.date, n: int, windows: list[Any], base: float
) -> list[dict[str, Any]]:
    rng = ctx.rng
    span = (ctx.today - first_day).days
    offsets = sorted(rng.sample(range(span + 1), min(n, span + 1)))
    counts = []
    for k, offset in enumerate(offsets):
        day = first_day + dt.timedelta(days=offset)
        value = _count_value(rng, day, base, windows)
        roll = rng.random()
        if roll < 0.05 and value >= 3:
            unit, shown = PlateletUnit.per_ul, value * 1000.0
        elif roll < 0.15:
            unit, shown = PlateletUnit.e3_per_ul, value
        else:
            unit, shown = PlateletUnit.e9_per_l, value
        counts.append({"id": f"c{k + 1}", "date": day, "unit": unit, "value": shown})
    return counts


def _body(rng: random.Random, age: int, sex: Sex) -> tuple[float | None, float | None]:
    if rng.random() < 0.1:
        return None, None
    if age < 18:
        weight = round(3.5 + 2.6 * age + rng.uniform(-2, 4), 1)
        height = round(55 + 6.5 * min(age, 16) + rng.uniform(-5, 5), 0)
        return max(weight, 3.0), min(max(height, 45.0), 200.0)
    tall = 177.0 if sex is Sex.male else 164.0
    height = round(tall + rng.gauss(0, 7), 0)
    weight = round(max(42.0, (height - 100) * rng.uniform(0.8, 1.35)), 1)
    return weight, height


def _extras(
    rng: random.Random, today: dt.date, dx: dt.date, counts: list[dict[str, Any]]
) -> dict[str, Any]:
    """Occasional bleeding assessments, vaccines, work-up results and monitoring."""
    extra: dict[str, Any] = {}
    if rng.random() < 0.3:
        days = sorted({c["date"] for c in rng.sample(counts, min(len(counts), rng.randint(1, 3)))})
        bleeding = []
        for k, day in enumerate(days):
            grade = rng.choices((0, 1, 2, 3), (3, 4, 2, 1))[0]
            item: dict[str, Any] = {"id": f"b{k + 1}", "date": day, "who_grade": grade}
            if rng.random() < 0.4:
                item["itpbat_skin"] = min(grade + rng.randint(0, 1), 5)
                item["itpbat_mucosa"] = rng.randint(0, grade)
            bleeding.append(item)
        extra["bleeding"] = bleeding
    if rng.random() < 0.2:
        vaccines = []
        for k, year in enumerate(range(max(dx.year, today.year - 3), today.year + 1)):
            day = dt.date(year, 10, rng.randint(1, 28))
            if day <= today:
                vaccines.append({"id": f"v{k + 1}", "vaccine": VaccineCode.influenza, "date": day})
        extra["immunizations"] = vaccines
    if rng.random() < 0.4:
        day = min(dx + dt.timedelta(days=rng.randint(0, 20)), today)
        tests = (WorkupTest.hbsag, WorkupTest.anti_hbc, WorkupTest.hcv, WorkupTest.hiv)
        extra["workup"] = [
            {
                "id": f"w{k + 1}",
                "test": test,
                "result": TestResult.positive if rng.random() < 0.03 else TestResult.negative,
                "date": day,
            }
            for k, test in enumerate(tests[: rng.randint(1, 4)])
        ]
    return extra


def _splenectomy(
    rng: random.Random, today: dt.date, courses: list[dict[str, Any]]
) -> dict[str, Any]:
    """A splenectomy after the last finished course, with the vaccines given before it."""
    finished = [c["stop_date"] for c in courses if c["stop_date"] is not None]
    if not finished:
        return {}
    day = max(finished) + dt.timedelta(days=rng.randint(14, 90))
    if day > today:
        return {}
    shots = (
        VaccineCode.pneumococcal_conjugate,
        VaccineCode.meningococcal_acwy,
        VaccineCode.meningococcal_b,
        VaccineCode.hib,
    )
    vaccines = [
        {"id": f"sv{k + 1}", "vaccine": shot, "date": day - dt.timedelta(days=rng.randint(14, 42))}
        for k, shot in enumerate(shots)
    ]
    return {
        "procedures": [{"id": "p1", "kind": ProcedureKind.splenectomy, "date": day}],
        "immunizations": vaccines,
    }


def _monitoring(
    rng: random.Random, courses: list[dict[str, Any]], today: dt.date
) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for course in courses:
        if (
            course["agent"] in (AgentCode.eltrombopag, AgentCode.fostamatinib)
            and rng.random() < 0.7
        ):
            day = min(course["start_date"] + dt.timedelta(days=14), today)
            code = (
                MonitoringCode.liver_tests
                if course["agent"] is AgentCode.eltrombopag
                else MonitoringCode.blood_pressure
            )
            result = f"ALT {rng.randint(12, 60)} U/L" if code is MonitoringCode.liver_tests else (
                f"{rng.randint(110, 165)}/{rng.randint(65, 100)} mmHg"
            )  # fmt: skip
            records.append(
                {"id": f"m{len(records) + 1}", "code": code, "date": day, "result": result}
            )
    return records


def _patient(rng: random.Random, index: int, seed: int, today: dt.date) -> Patient:
    sex = Sex.female if rng.random() < 0.55 else Sex.male
    child = rng.random() < 0.12
    age = rng.randint(1, 17) if child else rng.randint(18, 90)
    birth = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
    phase_roll = rng.random()
    if phase_roll < 0.2:
        since = rng.randint(14, 89)  # newly diagnosed
    elif phase_roll < 0.4:
        since = rng.randint(90, 364)  # persistent
    else:
        since = rng.randint(365, 15 * 365)  # chronic
    dx = max(today - dt.timedelta(days=since), birth + dt.timedelta(days=180))
    dx = min(dx, today - dt.timedelta(days=14))
    weight, height = _body(rng, age, sex)
    asian = rng.random() < 0.08
    hepatic = rng.random() < 0.04
    rh = rng.choices((RhD.positive, RhD.negative, RhD.unknown), (7, 2, 1))[0]
    ctx = _Ctx(rng, today, weight, child, asian or hepatic)
    wanted = rng.randint(1, 6) if since >= 365 else rng.randint(1, 2)
    courses, windows = _courses(ctx, dx + dt.timedelta(days=rng.randint(0, 7)), wanted,
                                rh is RhD.positive)  # fmt: skip
    counts = _counts(ctx, dx, rng.randint(5, 60), windows, rng.uniform(4, 45))
    partial_dx = rng.random() < 0.1 and (dx.year, dx.month) != (today.year, today.month)
    record: dict[str, Any] = {
        "id": f"{rng.getrandbits(128):032x}",
        "mrn": f"SYN{seed}-{index + 1:07d}",
        "family_name": rng.choice(FAMILY_NAMES),
        "given_name": rng.choice(GIVEN_FEMALE if sex is Sex.female else GIVEN_MALE),
        "birth_date": birth,
        "sex": sex,
        "weight_kg": weight,
        "height_cm": height,
        "east_southeast_asian_ancestry": asian,
        "rh_d": rh,
        # A tenth of the records only know the diagnosis month (an older referral letter).
        "diagnosis": {"date": dx.strftime("%Y-%m") if partial_dx else dx.isoformat()},
        "risk_factors": {
            "prior_thrombosis": rng.random() < 0.05,
            "hepatic_impairment": hepatic,
            "hypertension": (not child) and rng.random() < 0.2,
            "antithrombotic_therapy": (not child) and rng.random() < 0.05,
        },
        "platelet_counts": counts,
        "courses": courses,
        **_extras(rng, today, dx, counts),
        "monitoring": _monitoring(rng, courses, today),
    }
    if not child and since >= 730 and rng.random() < 0.05:
        spleen = _splenectomy(rng, today, courses)
        if spleen:
            record["procedures"] = spleen["procedures"]
            record["immunizations"] = record.get("immunizations", []) + spleen["immunizations"]
    return Patient.model_validate(record)


def generate_patients(n: int, *, seed: int, today: dt.date) -> Iterator[Patient]:
    """Yield `n` deterministic synthetic patients with results on or before `today`.

    Args:
        n: number of patients.
        seed: seed of the generator; it also appears in the MRNs (``SYN<seed>-0000001``), so
            stores built from different seeds never share an MRN.
        today: the latest date any result may carry.
    """
    rng = random.Random(seed)
    for index in range(n):
        yield _patient(rng, index, seed, today)


def make_heavy_patient(today: dt.date, counts: int = 2000, courses: int = 40) -> Patient:
    """One long record for benchmarks: `counts` counts every 3 days, `courses` courses."""
    rng = random.Random(2000)
    first = today - dt.timedelta(days=3 * (counts - 1))
    ctx = _Ctx(rng, today, 72.0, child=False, reduced_dose=False)
    agents = [a for a in _SIMPLE if a is not AgentCode.anti_d]
    course_list: list[dict[str, Any]] = []
    windows: list[tuple[dt.date, dt.date, float]] = []
    slot = max((today - first).days // max(courses, 1), 2)
    for k in range(courses):
        start = first + dt.timedelta(days=k * slot)
        ctx.today = min(start + dt.timedelta(days=slot - 1), today)
        course, end, responded = _course(
            ctx, agents[k % len(agents)], start, f"t{k + 1}", last=False, clip=True
        )
        course_list.append(course)
        if responded:
            windows.append((start + dt.timedelta(days=7), end, rng.uniform(60, 200)))
    ctx.today = today
    count_list = []
    for k in range(counts):
        day = first + dt.timedelta(days=3 * k)
        count_list.append(
            {"id": f"c{k + 1}", "date": day, "value": _count_value(rng, day, 25.0, windows)}
        )
    return Patient.model_validate(
        {
            "id": "heavy-patient",
            "mrn": "HEAVY-0001",
            "family_name": "Långström",
            "given_name": "Heavy",
            "birth_date": dt.date(1950, 5, 17),
            "sex": Sex.female,
            "weight_kg": 72.0,
            "height_cm": 168.0,
            "diagnosis": {"date": (first - dt.timedelta(days=30)).isoformat()},
            "platelet_counts": count_list,
            "courses": course_list,
        }
    )
