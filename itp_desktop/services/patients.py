"""`PatientService`: the patient registry and record saves.

Every save validates the whole record first (model rules, the dose units the knowledge pack
allows for each agent, and no results dated after the clock's today) and is then one store
transaction with its audit entry. Mutations return a `ChangeSet`.
May import: core, storage (protocol), services, stdlib.
"""

from __future__ import annotations

from typing import Any

from itp_desktop.core.changes import ChangeSet
from itp_desktop.core.clock import Clock
from itp_desktop.core.errors import FieldProblem, NotFound, StorageError, ValidationFailed
from itp_desktop.core.models.patient import Patient, PatientSummary
from itp_desktop.core.validation import validate_patient
from itp_desktop.services.knowledge import KnowledgeService
from itp_desktop.services.store_handle import StoreHandle

MAX_PAGE = 10_000


class PatientService:
    """Create, read, search, update and archive patients.

    Args:
        store: the store handle.
        knowledge: gives the allowed dose units of the pack in use.
        clock: gives today (results dated after it are refused).
    """

    def __init__(self, store: StoreHandle, knowledge: KnowledgeService, clock: Clock) -> None:
        self._store = store
        self._knowledge = knowledge
        self._clock = clock

    # ------------------------------------------------------------------ queries
    def get(self, patient_id: str) -> Patient:
        """Load one patient.

        Raises:
            NotFound: no patient has this id.
        """
        return self._store.repository().get(patient_id)

    def search(
        self,
        query: str = "",
        *,
        limit: int = 100,
        offset: int = 0,
        include_archived: bool = False,
    ) -> list[PatientSummary]:
        """Patients matching a name fragment, an MRN or a birth date, in registry order.

        Raises:
            ValidationFailed: `limit` or `offset` out of range.
        """
        problems = []
        if not 1 <= limit <= MAX_PAGE:
            problems.append(FieldProblem("limit", f"must be 1–{MAX_PAGE:,}", str(limit)))
        if offset < 0:
            problems.append(FieldProblem("offset", "cannot be negative", str(offset)))
        if problems:
            raise ValidationFailed(problems)
        return self._store.repository().search(
            query.strip(), limit=limit, offset=offset, include_archived=include_archived
        )

    def count(self, query: str = "", *, include_archived: bool = False) -> int:
        """Number of patients `search` would return without a limit."""
        return self._store.repository().count(query.strip(), include_archived=include_archived)

    def find_by_mrn(self, mrn: str) -> PatientSummary | None:
        """The patient (archived or not) whose MRN is exactly `mrn`, if any.

        The search also returns MRNs that merely start with `mrn`; past the first 1,000 of
        those the store's unique MRN check remains the guard (it names the field too).
        """
        wanted = mrn.strip()
        if not wanted:
            return None
        for row in self._store.repository().search(wanted, limit=1000, include_archived=True):
            if row.mrn == wanted:
                return row
        return None

    # ------------------------------------------------------------------ validation
    def validate(self, data: Patient | dict[str, Any], *, context: str = "") -> Patient:
        """Full validation of a record as the store would accept it.

        Raises:
            ValidationFailed: naming every invalid field.
        """
        return validate_patient(
            data,
            allowed_units=self._knowledge.allowed_units(),
            today=self._clock.today(),
            context=context,
        )

    # ------------------------------------------------------------------ mutations
    def create(self, data: Patient | dict[str, Any]) -> ChangeSet:
        """Validate and store a new patient; the store assigns missing ids.

        Raises:
            ValidationFailed: invalid record, an id already used, or an MRN already used.
        """
        patient = self.validate(data)
        repository = self._store.repository()
        if patient.id is not None and self._exists(patient.id):
            raise ValidationFailed(
                [FieldProblem("id", "a patient with this id already exists", patient.id)]
            )
        self._check_mrn_free(patient)
        stored = repository.save(patient, action="create")
        if stored.id is None:  # the store contract assigns ids; never trust it blindly
            raise StorageError("The store did not assign an id to the new patient")
        return ChangeSet(patients=frozenset({stored.id}), created=frozenset({stored.id}))

    def update(self, data: Patient | dict[str, Any], *, base: Patient | None = None) -> ChangeSet:
        """Validate and replace an existing patient's record.

        Args:
            data: the edited record.
            base: the record as it was read before editing; when given, the save is refused if
                the stored record has changed since (no lost update between two windows).

        Raises:
            ValidationFailed: invalid record, no id, or an MRN used by another patient.
            NotFound: no patient has this id.
            ConcurrentChange: the record changed in the store after `base` was read.
        """
        patient = self.validate(data)
        if patient.id is None:
            raise ValidationFailed([FieldProblem("id", "an update needs the patient's id")])
        self._store.repository().get(patient.id)  # raises NotFound
        self._check_mrn_free(patient)
        self._store.repository().save(patient, action="update", expected=base)
        return ChangeSet(patients=frozenset({patient.id}))

    def archive(self, patient_id: str) -> ChangeSet:
        """Archive a patient: hidden from the registry, never deleted.

        Raises:
            NotFound: no patient has this id.
        """
        self._store.repository().set_archived(patient_id, True)
        return ChangeSet(patients=frozenset({patient_id}), removed=frozenset({patient_id}))

    def unarchive(self, patient_id: str) -> ChangeSet:
        """Bring an archived patient back into the registry.

        Raises:
            NotFound: no patient has this id.
        """
        self._store.repository().set_archived(patient_id, False)
        return ChangeSet(patients=frozenset({patient_id}))

    # ------------------------------------------------------------------ helpers
    def _exists(self, patient_id: str) -> bool:
        try:
            self._store.repository().get(patient_id)
        except NotFound:
            return False
        return True

    def _check_mrn_free(self, patient: Patient) -> None:
        # The store's unique index is the final guard; this check names the field early.
        holder = self.find_by_mrn(patient.mrn)
        if holder is not None and holder.id != patient.id:
            raise ValidationFailed(
                [
                    FieldProblem(
                        "mrn",
                        f"already used by another patient ({holder.family_name.upper()}, "
                        f"{holder.given_name}, id {holder.id})",
                        patient.mrn,
                    )
                ]
            )
