"""`RescueService`: the bleeding-rescue screen's plan, its timestamped steps and the episode.

The doses, the transfusion rule and the checklist always come from the engine's assessment
(contract: rescue; reference 3d): when the record already holds a qualifying bleeding assessment
(WHO grade ≥ 3 or life-threatening, within the last 7 days) the plan is that assessment's rescue
block; when it does not yet, the same engine assesses the stored record plus the draft bleeding
assessment the screen is filling in, so the doses are on screen before anything is saved. A
newly measured weight is applied the same way. Each ticked step is written to the audit log with
the clock's time (action ``rescue_step``); the episode itself is saved as a bleeding assessment.
May import: core, engine, storage (protocol), services, stdlib.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from itp_desktop.core.changes import ChangeSet
from itp_desktop.core.clock import Clock
from itp_desktop.core.models.assessment import Assessment
from itp_desktop.core.models.patient import BleedingAssessment, Patient
from itp_desktop.core.validation import parse_patient
from itp_desktop.engine.assess import assess as engine_assess
from itp_desktop.services.desktop_api import RescuePlan, RescueStepRecord
from itp_desktop.services.knowledge import KnowledgeService
from itp_desktop.services.records import RecordService
from itp_desktop.services.store_handle import StoreHandle

RESCUE_CHECKLIST = "bleeding_rescue"


class RescueService:
    """Bleeding rescue for one patient.

    Args:
        store: the store handle (patient, suppressions, audit log).
        knowledge: the pack in use.
        records: saves the episode's bleeding assessment and weight.
        clock: today, and the time stamped on each step.
    """

    def __init__(
        self,
        store: StoreHandle,
        knowledge: KnowledgeService,
        records: RecordService,
        clock: Clock,
    ) -> None:
        self._store = store
        self._knowledge = knowledge
        self._records = records
        self._clock = clock

    def plan(
        self,
        patient_id: str,
        draft: BleedingAssessment | None = None,
        weight_kg: float | None = None,
    ) -> RescuePlan:
        """The rescue plan now.

        Args:
            patient_id: the patient.
            draft: the bleeding assessment being entered; used only when the record holds no
                qualifying assessment yet.
            weight_kg: a weight measured now; used when it differs from the recorded one.

        Raises:
            NotFound: no patient has this id.
            ValidationFailed: the weight is outside 0.5–400 kg.
        """
        repository = self._store.repository()
        stored = repository.get(patient_id)
        today = self._clock.today()
        pack = self._knowledge.pack()
        suppressions = repository.suppressions(patient_id)
        assessment = engine_assess(stored, pack, today, suppressions=suppressions)
        recorded = assessment.rescue is not None
        changes: dict[str, Any] = {}
        if weight_kg is not None and weight_kg != stored.weight_kg:
            changes["weight_kg"] = weight_kg
        if not recorded and draft is not None:
            changes["bleeding"] = [
                *(b.model_dump(mode="json") for b in stored.bleeding),
                draft.model_dump(mode="json"),
            ]
        patient = stored
        if changes:
            # Validated like a save would be, so a typo in the weight is refused here too.
            patient = parse_patient({**stored.model_dump(mode="json"), **changes})
            assessment = engine_assess(patient, pack, today, suppressions=suppressions)
        return self._plan(patient, assessment, recorded=recorded, draft=draft)

    def record_step(self, patient_id: str, step: str, label: str) -> RescueStepRecord:
        """Write a ticked step with the clock's time to the audit log.

        Raises:
            NotFound: no patient has this id.
        """
        repository = self._store.repository()
        repository.get(patient_id)
        at = self._clock.now()
        repository.record_event(
            "rescue_step",
            "patient",
            patient_id,
            {"step": step, "label": label, "at": at.isoformat()},
        )
        return RescueStepRecord(patient_id=patient_id, step=step, label=label, at=at)

    def record_episode(
        self, patient_id: str, bleeding: BleedingAssessment, weight_kg: float | None = None
    ) -> ChangeSet:
        """Save the episode's bleeding assessment (and a newly measured weight) in one save.

        Raises:
            NotFound: no patient has this id.
            ValidationFailed: the assessment or the weight is invalid.
        """

        def change(record: dict[str, Any]) -> None:
            record.setdefault("bleeding", []).append(bleeding.model_dump(mode="json"))
            if weight_kg is not None:
                record["weight_kg"] = weight_kg

        changes = self._records.apply(patient_id, change)
        self.record_step(patient_id, "episode_recorded", "Bleeding episode recorded")
        return changes

    # ------------------------------------------------------------------ helpers
    def _plan(
        self,
        patient: Patient,
        assessment: Assessment,
        *,
        recorded: bool,
        draft: BleedingAssessment | None,
    ) -> RescuePlan:
        pack = self._knowledge.pack()
        checklist = next(
            (c for c in assessment.checklists if c.code == RESCUE_CHECKLIST and c.applicable),
            None,
        )
        keys: set[str] = set()
        if assessment.rescue is not None:
            keys.update(assessment.rescue.sources)
        if checklist is not None:
            for item in checklist.items:
                keys.update(item.sources)
        citations = {
            key: f"{pack.citations[key].reference} {pack.citations[key].locator}".strip()
            for key in sorted(keys)
            if key in pack.citations
        }
        return RescuePlan(
            patient_id=patient.id or "",
            computed_at=self._clock.now(),
            recorded=recorded,
            bleeding=_qualifying(patient, assessment.as_of) if recorded else draft,
            rescue=assessment.rescue,
            checklist=checklist,
            weight_kg=patient.weight_kg,
            latest_count=assessment.latest_platelet_count,
            citations=citations,
        )


def _qualifying(patient: Patient, as_of: dt.date) -> BleedingAssessment | None:
    """The latest bleeding assessment on or before `as_of` that is severe or life-threatening."""
    severe = [
        b
        for b in patient.bleeding
        if b.date <= as_of and (b.life_threatening or (b.who_grade or 0) >= 3)
    ]
    return max(severe, key=lambda b: b.date, default=None)
