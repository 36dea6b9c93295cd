"""`ExchangeService`: import and export of patient exchange files.

Import is all-or-nothing across every file given: all files are read and every record is
validated (model, the pack's allowed dose units, no future results, no MRN clash with another
patient in the store or in the files) before one store transaction saves them all. A record
whose id already exists in the store replaces that patient (an export re-imported into the same
store is an update, audited as an import). Export writes one file atomically and records the
export in the audit log. May import: core, interop, storage (protocol), services, stdlib.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from itp_desktop import __version__
from itp_desktop.core.changes import ChangeSet
from itp_desktop.core.clock import Clock
from itp_desktop.core.errors import FieldProblem, NotFound, ValidationFailed
from itp_desktop.core.models.patient import Patient
from itp_desktop.core.validation import check_against_catalogue, check_not_in_future
from itp_desktop.interop.exchange import (
    ExchangeDocument,
    check_records,
    read_exchange_file,
    write_exchange_file,
)
from itp_desktop.services.knowledge import KnowledgeService
from itp_desktop.services.patients import PatientService
from itp_desktop.services.store_handle import StoreHandle


@dataclass(frozen=True)
class ImportResult:
    """What an import did.

    Attributes:
        changes: the change set (created and updated patient ids).
        files: the files read, in order.
        created: number of new patients.
        updated: number of existing patients replaced.
    """

    changes: ChangeSet
    files: tuple[str, ...]
    created: int
    updated: int


class ExchangeService:
    """Reads, imports and exports exchange files.

    Args:
        store: the store handle.
        patients: the patient service (MRN look-ups).
        knowledge: gives the allowed dose units of the pack in use.
        clock: gives today and the export time.
    """

    def __init__(
        self,
        store: StoreHandle,
        patients: PatientService,
        knowledge: KnowledgeService,
        clock: Clock,
    ) -> None:
        self._store = store
        self._patients = patients
        self._knowledge = knowledge
        self._clock = clock

    def read_file(self, path: Path, *, check_future: bool = True) -> ExchangeDocument:
        """Read a file and validate every record against the pack (and the clock).

        Args:
            path: the exchange file.
            check_future: refuse results dated after today (the store's rule); ``assess``
                turns it off because the contract accepts data dated after ``--as-of``.

        Raises:
            NotFound, ValidationFailed: naming file, record and field.
        """
        document = read_exchange_file(path)
        allowed = self._knowledge.allowed_units()
        today = self._clock.today()

        def check(_index: int, patient: Patient) -> list[FieldProblem]:
            problems = check_against_catalogue(patient, allowed)
            if check_future:
                problems += check_not_in_future(patient, today)
            return problems

        check_records(document, check)
        return document

    def import_files(self, paths: Sequence[Path]) -> ImportResult:
        """Import every record of every file in one transaction, or nothing.

        Raises:
            ValidationFailed: naming the file, the record (number and MRN) and the field; the
                store is unchanged.
            NotFound: a file does not exist.
        """
        if not paths:
            raise ValidationFailed([FieldProblem("FILE", "give at least one file to import")])
        documents = [self.read_file(path) for path in paths]
        self._check_across_files(documents)
        repository = self._store.repository()
        records: list[Patient] = []
        existing: set[str] = set()
        for document in documents:
            for index, patient in enumerate(document.patients):
                if patient.id is not None and self._exists(patient.id):
                    existing.add(patient.id)
                self._check_mrn_against_store(document, index, patient)
                records.append(patient)
        stored = repository.save_many(records, action="import")
        ids = frozenset(p.id for p in stored if p.id is not None)
        created = ids - existing
        return ImportResult(
            changes=ChangeSet(patients=ids, created=frozenset(created)),
            files=tuple(d.source for d in documents),
            created=len(created),
            updated=len(ids & existing),
        )

    def export_patients(self, patient_ids: Sequence[str], out: Path) -> Path:
        """Write the patients to an exchange file and audit the export.

        Raises:
            NotFound: a patient id does not exist.
            ValidationFailed: the file cannot be written.
        """
        if not patient_ids:
            raise ValidationFailed([FieldProblem("PATIENT_ID", "no patient to export")])
        repository = self._store.repository()
        patients = [repository.get(patient_id) for patient_id in patient_ids]
        path = write_exchange_file(
            out, patients, exported_at=self._clock.now(), app_version=__version__
        )
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        try:
            for patient in patients:
                repository.record_event(
                    "export", "patient", patient.id, {"file": str(path.resolve()), "sha256": digest}
                )
        except BaseException:
            # Every export must be in the audit log: without the entry, no file.
            path.unlink(missing_ok=True)
            raise
        return path

    def resolve_patient(self, id_or_mrn: str) -> str:
        """The id of the patient with this id, or else with exactly this MRN.

        Raises:
            NotFound: neither an id nor an MRN matches.
        """
        if self._exists(id_or_mrn):
            return id_or_mrn
        row = self._patients.find_by_mrn(id_or_mrn)
        if row is None:
            raise NotFound(f"No patient with id or MRN {id_or_mrn!r}")
        return row.id

    # ------------------------------------------------------------------ helpers
    def _exists(self, patient_id: str) -> bool:
        try:
            self._store.repository().get(patient_id)
        except NotFound:
            return False
        return True

    def _check_mrn_against_store(
        self, document: ExchangeDocument, index: int, patient: Patient
    ) -> None:
        holder = self._patients.find_by_mrn(patient.mrn)
        if holder is not None and holder.id != patient.id:
            path = document.record_path(index)
            raise ValidationFailed(
                [
                    FieldProblem(
                        f"{path}.mrn" if path else "mrn",
                        f"already used by another patient in the store (id {holder.id})",
                        patient.mrn,
                    )
                ],
                context=f"{document.source}: {document.record_label(index)}",
            )

    @staticmethod
    def _check_across_files(documents: Sequence[ExchangeDocument]) -> None:
        seen_mrn: dict[str, str] = {}
        seen_id: dict[str, str] = {}
        for document in documents:
            for index, patient in enumerate(document.patients):
                where = f"{document.source} {document.record_label(index)}"
                path = document.record_path(index)
                for field, key, seen in (
                    ("mrn", patient.mrn, seen_mrn),
                    ("id", patient.id, seen_id),
                ):
                    if key is None:
                        continue
                    if key in seen:
                        raise ValidationFailed(
                            [
                                FieldProblem(
                                    f"{path}.{field}" if path else field,
                                    f"same {field} as {seen[key]}",
                                    getattr(patient, field),
                                )
                            ],
                            context=where,
                        )
                    seen[key] = where
