"""Monitoring plan: tests due per agent (reference 3e) and before planned procedures.

The schedules come from the pack (`AgentInfo.monitoring`).
For each course the pack's schedule entries apply by their ``when``:

- ``always``: while the course is active; ``titration`` / ``stable``: while active and
  titrating / not titrating. Titrating = a dose step (the start included) dated within the last
  28 days (after `as_of` − 28 days, through `as_of`), or a count below the treatment target
  (50 ×10⁹/L) that is the latest or dated within those 28 days (stable = ≥ 50 for ≥ 4 weeks
  without a dose change, LBL-Nplate).
- ``after_stop``: from the stop date through stop + `duration_days` (e.g. weekly counts for
  2 weeks after romiplostim, 4 weeks after avatrombopag); due = last test on or after the stop
  (else the stop date) + interval, and the entry ends when that passes the duration.
- ``start``: a planned course: due on its start date unless the test was done within one
  interval before it.

Due = last done + interval, or the course start when never done (a test done long before the
course counts as never done); overdue when due < `as_of`. Platelet counts satisfy
``platelet_count`` and ``cbc``; a recorded CBC satisfies ``platelet_count`` too. One item per
agent and test (the earliest due wins); sorted by due date, then code, then agent. Pure. May
import: core, stdlib; `Situation` only for type checking.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from itp_desktop.core.codes import MonitoringCode
from itp_desktop.core.models.assessment import MonitoringItem
from itp_desktop.core.models.knowledge import MonitoringRule
from itp_desktop.core.units import fmt_count

if TYPE_CHECKING:
    from itp_desktop.engine.assess import CourseView, Situation

TITRATION_LOOKBACK_DAYS = 28
PROCEDURE_RULE = "FIND_PROCEDURE_THRESHOLD"


def _last_done(sit: Situation) -> dict[MonitoringCode, dt.date]:
    """The latest date each test was done on or before `as_of`."""
    last: dict[MonitoringCode, dt.date] = {}

    def note(code: MonitoringCode, day: dt.date) -> None:
        if code not in last or day > last[code]:
            last[code] = day

    for record in sit.patient.monitoring:
        if record.date <= sit.as_of:
            note(record.code, record.date)
            if record.code is MonitoringCode.cbc:
                note(MonitoringCode.platelet_count, record.date)
    if sit.latest is not None:
        note(MonitoringCode.platelet_count, sit.latest.date)
        note(MonitoringCode.cbc, sit.latest.date)
    return last


def _last(
    last: dict[MonitoringCode, dt.date], code: MonitoringCode, on_or_after: dt.date | None = None
) -> dt.date | None:
    day = last.get(code)
    if day is None or (on_or_after is not None and day < on_or_after):
        return None
    return day


def titration_reason(sit: Situation, view: CourseView) -> str | None:
    """Why the course counts as titrating on `as_of`, or None when it is stable."""
    since = sit.as_of - dt.timedelta(days=TITRATION_LOOKBACK_DAYS)
    steps = view.course.dose_steps
    recent = [s.effective_date for s in steps if since < s.effective_date <= sit.as_of]
    if recent:
        if recent[-1] == steps[0].effective_date:
            return f"started on {recent[-1]}"
        return f"dose changed on {recent[-1]}"
    target = sit.th.treatment_target
    if sit.latest is not None and sit.latest.value < target:
        return f"latest count {fmt_count(sit.latest.value)} is below {fmt_count(target)}"
    # Stable means ≥ target for ≥ 4 weeks without a dose change (LBL-Nplate): a count below
    # the target inside the look-back window still counts as titrating.
    low = [c for c in sit.counts if since < c.date <= sit.as_of and c.value < target]
    if low:
        return (
            f"count {fmt_count(low[-1].value)} on {low[-1].date} is below {fmt_count(target)} "
            f"within the last {TITRATION_LOOKBACK_DAYS} days"
        )
    return None


def _course_item(
    sit: Situation,
    view: CourseView,
    rule: MonitoringRule,
    dates: dict[MonitoringCode, dt.date],
) -> MonitoringItem | None:
    interval = dt.timedelta(days=rule.interval_days)
    start = view.course.start_date
    titrating = titration_reason(sit, view) if view.active else None
    when = rule.when
    if when in ("always", "titration", "stable"):
        if not view.active:
            return None
        if (when == "titration") != (titrating is not None) and when != "always":
            return None
        last = _last(dates, rule.code)
        due = max(last + interval, start) if last is not None else start
        state = f"{view.word} active since {start}"
        if titrating is not None:
            state += f", titrating ({titrating})"
    elif when == "after_stop":
        stop = view.course.stop_date
        if stop is None or stop > sit.as_of or rule.duration_days is None:
            return None
        until = stop + dt.timedelta(days=rule.duration_days)
        last = _last(dates, rule.code, on_or_after=stop)
        due = (last or stop) + interval
        if due > until or sit.as_of > until:
            return None
        state = f"{view.word} stopped on {stop}; follow-up through {until}"
    else:  # "start": the only other value the pack model allows
        if not view.planned:
            return None
        last = _last(dates, rule.code)
        if last is not None and last >= start - interval:
            return None
        due = start
        state = f"{view.word} planned to start on {start}"
    pack_rule = sit.rule(rule.rule)
    return MonitoringItem(
        code=rule.code,
        due=due,
        reason=f"{state} — {rule.label} (every {rule.interval_days} days)",
        label=rule.label,
        agent=view.agent,
        last_done=last,
        overdue=due < sit.as_of,
        sources=list(pack_rule.citations),
        rule=pack_rule.ref,
    )


def _procedure_items(sit: Situation, dates: dict[MonitoringCode, dt.date]) -> list[MonitoringItem]:
    """A platelet count the day before each planned procedure in the next 14 days."""
    horizon = sit.as_of + dt.timedelta(days=sit.th.procedure_window_days)
    rule = sit.rule(PROCEDURE_RULE)
    items = []
    for _, procedure in sit.procedures:
        if not sit.as_of < procedure.date <= horizon:
            continue
        target = sit.th.procedure_targets.get(procedure.kind)
        if target is None:
            continue
        due = max(procedure.date - dt.timedelta(days=1), sit.as_of)
        kind = procedure.kind.value.replace("_", " ")
        items.append(
            MonitoringItem(
                code=MonitoringCode.platelet_count,
                due=due,
                reason=f"{kind} planned on {procedure.date}: target {fmt_count(target)}",
                label="platelet count before the procedure",
                agent=None,
                last_done=_last(dates, MonitoringCode.platelet_count),
                overdue=False,
                sources=list(rule.citations),
                rule=rule.ref,
            )
        )
    return items


def build_monitoring(sit: Situation) -> list[MonitoringItem]:
    """Tests due for the patient on `as_of`, sorted by due date, then code, then agent.

    Args:
        sit: the patient's situation on `as_of`.

    Returns:
        One item per agent and test (earliest due) plus pre-procedure counts.
    """
    dates = _last_done(sit)
    best: dict[tuple[str, str], MonitoringItem] = {}
    for view in sit.courses:
        for rule in sit.pack.agents[view.agent].monitoring:
            item = _course_item(sit, view, rule, dates)
            if item is None:
                continue
            key = (view.agent.value, rule.code.value)
            if key not in best or item.due < best[key].due:
                best[key] = item
    items = [*best.values(), *_procedure_items(sit, dates)]
    return sorted(items, key=lambda i: (i.due, i.code, i.agent.value if i.agent else "", i.reason))
