"""`AssessmentService`: runs the decision engine for a stored patient or a patient file.

"Today" comes from the injected clock (the engine never reads it). A stored patient is assessed
with the finding suppressions recorded for them; adding or removing a suppression needs a
written reason, is audited by the store and returns a `ChangeSet`. ``assess_file`` serves the
``assess`` command: exactly one patient per file, checked against the pack's catalogue, and data
dated after ``as_of`` allowed (contract: Dates).
May import: core, engine, storage (protocol), services, stdlib. The engine is imported on
first use, so commands that never assess do not pay for it.
"""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path

from pydantic import ValidationError

from itp_desktop.core.changes import ChangeSet
from itp_desktop.core.clock import Clock
from itp_desktop.core.errors import FieldProblem, NotFound, ValidationFailed
from itp_desktop.core.models.assessment import Assessment
from itp_desktop.core.models.patient import Patient
from itp_desktop.core.models.records import Suppression
from itp_desktop.core.validation import problems_from_pydantic
from itp_desktop.services.exchange import ExchangeService
from itp_desktop.services.knowledge import KnowledgeService
from itp_desktop.services.store_handle import StoreHandle


def current_user() -> str:
    """The operating-system user name, or ``unknown`` when it cannot be determined."""
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError):
        # No login name and no passwd entry (some containers): still record something.
        return "unknown"


class AssessmentService:
    """Assessments and finding suppressions.

    Args:
        store: the store handle.
        knowledge: the pack in use.
        exchange: reads patient files for ``assess_file``.
        clock: gives today (the default ``as_of``) and the time of suppressions.
    """

    def __init__(
        self,
        store: StoreHandle,
        knowledge: KnowledgeService,
        exchange: ExchangeService,
        clock: Clock,
    ) -> None:
        self._store = store
        self._knowledge = knowledge
        self._exchange = exchange
        self._clock = clock

    def assess(self, patient_id: str, as_of: dt.date | None = None) -> Assessment:
        """Assess a stored patient as of a date (default today) with their suppressions.

        Raises:
            NotFound: no patient has this id.
        """
        from itp_desktop.engine.assess import assess as engine_assess  # lean CLI start-up

        repository = self._store.repository()
        patient = repository.get(patient_id)
        suppressions = repository.suppressions(patient_id)
        return engine_assess(
            patient,
            self._knowledge.pack(),
            as_of or self._clock.today(),
            suppressions=suppressions,
        )

    def assess_record(self, patient: Patient, as_of: dt.date | None = None) -> Assessment:
        """Assess a record that is not in the store (no suppressions)."""
        from itp_desktop.engine.assess import assess as engine_assess  # lean CLI start-up

        return engine_assess(patient, self._knowledge.pack(), as_of or self._clock.today())

    def assess_file(self, path: Path, as_of: dt.date | None = None) -> Assessment:
        """Assess the one patient of an exchange file.

        A file with several patients is refused rather than assessing one of them silently.

        Raises:
            NotFound: the file does not exist.
            ValidationFailed: the file or its patient is invalid (names field path and value).
        """
        document = self._exchange.read_file(path, check_future=False)
        if len(document.patients) != 1:
            raise ValidationFailed(
                [
                    FieldProblem(
                        "patients",
                        f"assess reads one patient; this file holds {len(document.patients)} "
                        f"(export the patient alone with `itp-desktop export`)",
                        str(len(document.patients)),
                    )
                ],
                context=document.source,
            )
        return self.assess_record(document.patients[0], as_of)

    def suppress(self, patient_id: str, finding_key: str, rule: str, reason: str) -> ChangeSet:
        """Suppress a finding for a patient, with a written reason (audited).

        Args:
            patient_id: the patient.
            finding_key: the finding's `key`.
            rule: the finding's ``rule-id@version``; a new rule version shows the finding again.
            reason: why (3–1000 characters), shown in the assessment and the audit log.

        Raises:
            NotFound: no patient has this id.
            ValidationFailed: naming `finding_key`, `rule` or `reason`.
        """
        repository = self._store.repository()
        repository.get(patient_id)
        problems = []
        if not finding_key.strip():
            problems.append(FieldProblem("finding_key", "is empty"))
        if "@" not in rule:
            problems.append(FieldProblem("rule", "must be rule-id@version", rule))
        try:
            suppression = Suppression(
                patient_id=patient_id,
                finding_key=finding_key.strip(),
                rule=rule.strip(),
                reason=reason.strip(),
                user=current_user(),
                at=self._clock.now(),
            )
        except ValidationError as exc:
            problems += problems_from_pydantic(exc)
        if problems:
            raise ValidationFailed(problems)
        repository.add_suppression(suppression)
        return ChangeSet(patients=frozenset({patient_id}), suppressions=True)

    def unsuppress(self, patient_id: str, finding_key: str) -> ChangeSet:
        """Remove a suppression (audited).

        Raises:
            NotFound: the patient has no suppression with this key.
        """
        repository = self._store.repository()
        if not any(s.finding_key == finding_key for s in repository.suppressions(patient_id)):
            raise NotFound(f"No suppression of {finding_key!r} for patient {patient_id}")
        repository.remove_suppression(patient_id, finding_key)
        return ChangeSet(patients=frozenset({patient_id}), suppressions=True)
