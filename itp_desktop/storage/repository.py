"""The `PatientRepository` protocol: what services may ask of a store.

Every method is one transaction: it either completes or changes nothing. Implementations:
`itp_desktop.storage.sqlite_store.SqliteStore` (embedded default). May import: core, stdlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from itp_desktop.core.models.patient import Patient, PatientSummary
from itp_desktop.core.models.records import (
    AuditAction,
    AuditEntry,
    BackupInfo,
    Suppression,
    VerifyReport,
)


class PatientRepository(Protocol):
    """Persistence of patient records, suppressions and the audit log."""

    def get(self, patient_id: str) -> Patient:
        """Load one patient. Raises NotFound."""
        ...

    def save(
        self, patient: Patient, *, action: AuditAction = "update", expected: Patient | None = None
    ) -> Patient:
        """Create or replace a patient in one transaction, with an audit entry.

        Assigns ids to the patient and to entries without one; returns the stored record.
        With `expected`, refuses (ConcurrentChange) when the stored record differs from it.
        Raises ValidationFailed (duplicate MRN), ConcurrentChange, StoreInUse, StorageError.
        """
        ...

    def save_many(
        self, patients: Sequence[Patient], *, action: AuditAction = "import"
    ) -> list[Patient]:
        """Save several patients all-or-nothing (import)."""
        ...

    def set_archived(self, patient_id: str, archived: bool) -> Patient:
        """Archive or restore a patient (records are never deleted)."""
        ...

    def search(
        self, query: str = "", *, limit: int = 100, offset: int = 0, include_archived: bool = False
    ) -> list[PatientSummary]:
        """Patients whose name contains the fragment, whose MRN matches, or born on the date."""
        ...

    def count(self, query: str = "", *, include_archived: bool = False) -> int:
        """Number of patients `search` would return without a limit."""
        ...

    def all_ids(self, *, include_archived: bool = False) -> list[str]:
        """Every patient id, in a stable order."""
        ...

    def record_event(
        self, action: AuditAction, entity: str, entity_id: str | None, details: Any = None
    ) -> AuditEntry:
        """Append a non-data event (export, print, report, rescue step) to the audit log."""
        ...

    def audit_log(
        self, entity_id: str | None = None, *, limit: int | None = None
    ) -> list[AuditEntry]:
        """Audit entries, oldest first, optionally for one entity."""
        ...

    def suppressions(self, patient_id: str) -> list[Suppression]:
        """Suppressions recorded for a patient."""
        ...

    def add_suppression(self, suppression: Suppression) -> None:
        """Record a suppression (audited)."""
        ...

    def remove_suppression(self, patient_id: str, finding_key: str) -> None:
        """Remove a suppression (audited)."""
        ...

    def backup(self, reason: str = "manual") -> BackupInfo:
        """Write a consistent copy of the store with SQLite's online backup API."""
        ...

    def list_backups(self) -> list[BackupInfo]:
        """Backups on disk, newest first."""
        ...

    def verify(self) -> VerifyReport:
        """Check the store's integrity, its backups and the audit hash chain."""
        ...

    def close(self) -> None:
        """Release the database connection."""
        ...
