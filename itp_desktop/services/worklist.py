"""`WorklistService`: what is due or overdue across every patient, from their assessments.

For each patient in the registry (archived patients excluded) the engine's assessment gives:

- monitoring tests due within `HORIZON_DAYS` or overdue (counts while titrating, liver tests,
  blood pressure, …; the schedule is the knowledge pack's, reference 3e);
- vaccines before a planned splenectomy (the ``splenectomy_immunizations`` checklist items that
  are due or overdue);
- other dated checklist items that are due or overdue (before rituximab, …);
- *lost to follow-up*: no platelet count for longer than the schedule allows. With an active
  platelet-count schedule that is a count overdue by more than `LOST_GRACE_DAYS`; without one,
  no count for `FOLLOW_UP_DAYS` (about six months, a routine review interval). This is the
  worklist's own rule (mark U, a design decision: it is advisory and never a hard rule).

The loop reports progress and polls a cancel callback, so the GUI runs it as a background task;
a patient whose assessment fails is listed as a problem rather than stopping the list.
May import: core, engine, storage (protocol), services, stdlib.
"""

from __future__ import annotations

import datetime as dt

from itp_desktop.core.clock import Clock
from itp_desktop.core.codes import ChecklistStatus, MonitoringCode
from itp_desktop.core.errors import ItpError
from itp_desktop.core.models.assessment import Assessment
from itp_desktop.core.models.patient import Patient
from itp_desktop.services.desktop_api import Cancelled, Progress, Worklist, WorklistItem
from itp_desktop.services.display import MONITORING_LABELS, Labels
from itp_desktop.services.knowledge import KnowledgeService
from itp_desktop.services.overview import load_and_assess
from itp_desktop.services.store_handle import StoreHandle

HORIZON_DAYS = 7
"""Monitoring due within this many days is listed (so this week's clinic can plan it)."""
LOST_GRACE_DAYS = 28
"""A scheduled platelet count overdue by more than this many days means lost to follow-up."""
FOLLOW_UP_DAYS = 183
"""Without a platelet-count schedule, no count for this long means lost to follow-up."""
PROGRESS_EVERY = 25

_COUNT_CODES = frozenset({MonitoringCode.platelet_count.value, MonitoringCode.cbc.value})
_OPEN = frozenset({ChecklistStatus.due, ChecklistStatus.overdue})


class WorklistService:
    """The cross-patient worklist.

    Args:
        store: the store handle.
        knowledge: the pack in use.
        clock: gives today.
    """

    def __init__(self, store: StoreHandle, knowledge: KnowledgeService, clock: Clock) -> None:
        self._store = store
        self._knowledge = knowledge
        self._clock = clock

    def compute(
        self, progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> Worklist:
        """Due and overdue items of every patient, most urgent first.

        Args:
            progress: called with (patients done, total) every few patients.
            cancelled: polled between patients; when it returns True the items found so far
                are returned with ``cancelled=True``.
        """
        today = self._clock.today()
        ids = self._store.repository().all_ids()
        items: list[WorklistItem] = []
        done = 0
        stopped = False
        for patient_id in ids:
            if cancelled is not None and cancelled():
                stopped = True
                break
            items += self._patient_items(patient_id, today)
            done += 1
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(ids)):
                progress(done, len(ids))
        items.sort(key=lambda i: (not i.overdue, i.due or today, i.name, i.label))
        return Worklist(as_of=today, items=items, patients_checked=done, cancelled=stopped)

    def _patient_items(self, patient_id: str, today: dt.date) -> list[WorklistItem]:
        try:
            patient, assessment = load_and_assess(self._store, self._knowledge, patient_id, today)
        except ItpError as exc:
            return [
                WorklistItem(
                    patient_id=patient_id,
                    mrn="",
                    name=patient_id,
                    kind="problem",
                    code="assessment_failed",
                    label="Assessment could not be computed",
                    detail=exc.message,
                )
            ]
        return items_for(patient, assessment, today, Labels(self._knowledge.pack()))


def items_for(
    patient: Patient, assessment: Assessment, today: dt.date, labels: Labels | None = None
) -> list[WorklistItem]:
    """The worklist items of one assessed patient (see the module docstring)."""
    labels = labels or Labels(None)
    ident = {
        "patient_id": patient.id or "",
        "mrn": patient.mrn,
        "name": patient.display_name,
    }
    items: list[WorklistItem] = []
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    for item in assessment.monitoring:
        if item.due > horizon and not item.overdue:
            continue
        label = item.label or _monitoring_label(item.code)
        last = f"; last done {item.last_done}" if item.last_done else "; never done"
        reason = item.reason
        if item.agent is not None and reason.startswith(item.agent.value):
            # The engine's reason names the agent by its code; a clinician reads its name.
            reason = labels.agent_short(item.agent) + reason[len(item.agent.value) :]
        items.append(
            WorklistItem(
                **ident,
                kind="monitoring",
                code=item.code,
                label=label,
                due=item.due,
                overdue=item.overdue,
                detail=f"{reason}{last}",
                rule=item.rule,
            )
        )
    for checklist in assessment.checklists:
        if not checklist.applicable or checklist.code == "bleeding_rescue":
            continue
        vaccine = checklist.code == "splenectomy_immunizations"
        for entry in checklist.items:
            if entry.status not in _OPEN or (entry.due_by is None and not vaccine):
                continue
            items.append(
                WorklistItem(
                    **ident,
                    kind="vaccine" if vaccine else "checklist",
                    code=entry.code,
                    label=entry.label or entry.code,
                    due=entry.due_by,
                    overdue=entry.status is ChecklistStatus.overdue,
                    detail=f"{checklist.title or checklist.code}: {entry.detail}".rstrip(": "),
                    rule=entry.rule,
                )
            )
    lost = lost_to_follow_up(patient, assessment, today)
    if lost is not None:
        items.append(lost)
    return items


def lost_to_follow_up(
    patient: Patient, assessment: Assessment, today: dt.date
) -> WorklistItem | None:
    """A lost-to-follow-up item when the latest count is older than the schedule allows."""
    if patient.diagnosis is None:
        return None
    latest = assessment.latest_platelet_count
    scheduled = [m for m in assessment.monitoring if m.code in _COUNT_CODES]
    if scheduled:
        due = min(m.due for m in scheduled)
        limit = due + dt.timedelta(days=LOST_GRACE_DAYS)
        why = f"a scheduled platelet count was due on {due}"
    else:
        since = latest.date if latest is not None else patient.diagnosis.effective_date
        due = since + dt.timedelta(days=FOLLOW_UP_DAYS)
        limit = due
        why = f"no platelet count for more than {FOLLOW_UP_DAYS} days"
    if today <= limit:
        return None
    last = f"last count {latest.value:g} ×10⁹/L on {latest.date}" if latest else "no count"
    return WorklistItem(
        patient_id=patient.id or "",
        mrn=patient.mrn,
        name=patient.display_name,
        kind="lost_to_follow_up",
        code="lost_to_follow_up",
        label="Lost to follow-up: no recent platelet count",
        due=due,
        overdue=True,
        detail=f"{why}; {last}",
    )


def _monitoring_label(code: str) -> str:
    try:
        return MONITORING_LABELS[MonitoringCode(code)]
    except ValueError:
        return code.replace("_", " ")
