"""`OverviewService`: the clinical summary of one registry row, from the patient's assessment.

The registry shows phase, latest count, active therapy and the most severe open finding for the
rows on screen; each comes from the same engine assessment the assessment panel shows (about
2 ms per patient), never from a rule of its own. `load_and_assess` is shared by the rescue and
worklist services. May import: core, engine, storage (protocol), services, stdlib.
"""

from __future__ import annotations

import datetime as dt

from itp_desktop.core.clock import Clock
from itp_desktop.core.codes import SEVERITY_ORDER
from itp_desktop.core.errors import ItpError, NotFound
from itp_desktop.core.models.assessment import Assessment
from itp_desktop.core.models.patient import Patient
from itp_desktop.engine.assess import assess as engine_assess
from itp_desktop.services.desktop_api import PatientOverview
from itp_desktop.services.display import Labels, dose_text
from itp_desktop.services.knowledge import KnowledgeService
from itp_desktop.services.store_handle import StoreHandle


def load_and_assess(
    store: StoreHandle, knowledge: KnowledgeService, patient_id: str, as_of: dt.date
) -> tuple[Patient, Assessment]:
    """Load a stored patient and assess them with their suppressions.

    Raises:
        NotFound: no patient has this id.
        RuleError: the knowledge pack cannot evaluate the record.
    """
    repository = store.repository()
    patient = repository.get(patient_id)
    assessment = engine_assess(
        patient, knowledge.pack(), as_of, suppressions=repository.suppressions(patient_id)
    )
    return patient, assessment


def active_therapy(patient: Patient, assessment: Assessment, labels: Labels) -> list[str]:
    """``Romiplostim 5 µg/kg weekly`` for every course active on the assessment's date."""
    lines = []
    for course, result in zip(patient.courses, assessment.courses, strict=True):
        if result.status != "active" or (
            course.stop_date is not None and course.stop_date < assessment.as_of
        ):
            continue
        steps = [s for s in course.dose_steps if s.effective_date <= assessment.as_of]
        dose = f" {dose_text(steps[-1])}" if steps else ""
        lines.append(f"{labels.agent_short(course.agent)}{dose}")
    return lines


class OverviewService:
    """Registry summaries.

    Args:
        store: the store handle.
        knowledge: the pack in use.
        clock: gives today.
    """

    def __init__(self, store: StoreHandle, knowledge: KnowledgeService, clock: Clock) -> None:
        self._store = store
        self._knowledge = knowledge
        self._clock = clock

    def overview(self, patient_id: str) -> PatientOverview:
        """Phase, latest count, active therapy and the most severe open finding.

        An assessment problem (a broken department pack) is returned in `problem` rather than
        raised, so one bad row never blanks the registry.

        Raises:
            NotFound: no patient has this id.
        """
        try:
            patient, assessment = load_and_assess(
                self._store, self._knowledge, patient_id, self._clock.today()
            )
        except NotFound:
            raise
        except ItpError as exc:
            return PatientOverview(patient_id=patient_id, problem=exc.message)
        labels = Labels(self._knowledge.pack())
        open_findings = [f for f in assessment.findings if not f.suppressed]
        top = min(open_findings, key=lambda f: SEVERITY_ORDER[f.severity], default=None)
        return PatientOverview(
            patient_id=patient_id,
            phase=assessment.phase,
            latest_count=assessment.latest_platelet_count,
            active_therapy=active_therapy(patient, assessment, labels),
            top_finding=top,
            open_findings=len(open_findings),
            rescue=assessment.rescue is not None,
        )
