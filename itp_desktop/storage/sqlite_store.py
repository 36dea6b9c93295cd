"""`SqliteStore`: the embedded SQLite implementation of `PatientRepository`.

Each patient is stored as its validated JSON document plus indexed and summary columns
(`storage.derived`); every public method is one transaction (`storage.connection`), and every
change appends to the hash-chained audit log (`storage.audit`) in the same transaction, so a
failure anywhere leaves nothing half-written. Opening a store creates it, or migrates it with
Alembic after a pre-migration backup, installs or repairs the FTS name index, and takes at
most one daily backup. `SqliteStore.restore` replaces a closed store with a verified backup and
keeps the replaced store as a pre-restore backup. May import: core, stdlib, SQLAlchemy,
Alembic (through `storage.migrate`), pydantic, the other `storage` modules.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from pydantic import ValidationError
from sqlalchemy import Connection, bindparam, delete, false, func, insert, select, update
from sqlalchemy.exc import DBAPIError

from itp_desktop.core.clock import Clock, SystemClock
from itp_desktop.core.errors import (
    ConcurrentChange,
    FieldProblem,
    IntegrityProblem,
    NotFound,
    StorageError,
    ValidationFailed,
)
from itp_desktop.core.models.patient import Patient, PatientSummary
from itp_desktop.core.models.records import (
    AuditAction,
    AuditEntry,
    BackupInfo,
    CheckResult,
    Suppression,
    VerifyReport,
)
from itp_desktop.core.validation import problems_from_pydantic
from itp_desktop.storage import backups, fts, migrate, search
from itp_desktop.storage.audit import (
    DIGEST_KEY,
    GENESIS_HASH,
    LIST_FIELDS,
    PendingEntry,
    chain_rows,
    check_chain,
    diff_documents,
    entry_from_row,
    format_at,
    sha256_text,
    to_json_value,
)
from itp_desktop.storage.connection import make_engine, transaction, translate
from itp_desktop.storage.derived import derived_columns
from itp_desktop.storage.files import (
    SIDE_SUFFIXES,
    create_private_file,
    private_dir,
    secure_store_files,
)
from itp_desktop.storage.schema import (
    AUDIT_HEAD_KEY,
    HEAD_REVISION,
    KNOWN_REVISIONS,
    audit_log,
    patients,
    store_meta,
    suppressions,
)
from itp_desktop.storage.search import ParsedQuery

if TYPE_CHECKING:
    from itp_desktop.paths import AppPaths

_AUDIT_COLUMNS = (
    audit_log.c.seq,
    audit_log.c.at,
    audit_log.c.user_name,
    audit_log.c.action,
    audit_log.c.entity,
    audit_log.c.entity_id,
    audit_log.c.before,
    audit_log.c.after,
    audit_log.c.prev_hash,
    audit_log.c.hash,
)
_SUMMARY_COLUMNS = (
    patients.c.id,
    patients.c.mrn,
    patients.c.family_name,
    patients.c.given_name,
    patients.c.birth_date,
    patients.c.archived,
    patients.c.latest_count_e9,
    patients.c.latest_count_date,
    patients.c.active_agents,
)
_CHUNK = 500  # bound parameters per IN (...) lookup, well under SQLite's limit


def current_user() -> str:
    """The operating-system user name for the audit log, or ``"unknown"``."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError, ImportError):  # no login name in the environment or pwd entry
        name = ""
    return name or "unknown"


def _short_id() -> str:
    return uuid.uuid4().hex[:12]


def _assign_ids(data: dict[str, Any]) -> list[FieldProblem]:
    """Give the patient and every list entry without one an id; report duplicate ids."""
    problems: list[FieldProblem] = []
    if data.get("id") is None:
        data["id"] = uuid.uuid4().hex
    for field in LIST_FIELDS:
        entries = data.get(field) or []
        taken = {entry["id"] for entry in entries if entry.get("id") is not None}
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            entry_id = entry.get("id")
            if entry_id is None:
                entry_id = _short_id()
                while entry_id in taken:
                    entry_id = _short_id()
                taken.add(entry_id)
                entry["id"] = entry_id
            elif entry_id in seen:
                problems.append(
                    FieldProblem(
                        f"{field}[{index}].id",
                        f"the id is already used by {field}[{seen[entry_id]}]; ids must be "
                        "unique so that corrections can be tracked",
                        entry_id,
                    )
                )
            seen[entry_id] = index
    return problems


class _Prepared:
    """A patient ready to be written: validated model, document text and columns."""

    __slots__ = ("columns", "context", "data", "document", "patient")

    def __init__(self, patient: Patient, context: str, today: dt.date) -> None:
        data = patient.model_dump(mode="json")
        problems = _assign_ids(data)
        if problems:
            raise ValidationFailed(problems, context=context)
        try:
            # Re-validated: a model built with model_construct or model_copy was never checked.
            self.patient = Patient.model_validate(data)
        except ValidationError as exc:
            raise ValidationFailed(problems_from_pydantic(exc), context=context) from None
        self.context = context
        self.document = self.patient.model_dump_json()
        self.data: dict[str, Any] = json.loads(self.document)
        self.columns = derived_columns(self.patient, today)

    @property
    def id(self) -> str:
        """The patient id (always set after preparation)."""
        return str(self.data["id"])


class SqliteStore:
    """The patient store in one SQLite file (implements `PatientRepository`).

    Args:
        path: the store file; created (owner-only) with its folder when missing.
        backup_dir: folder for backups; default ``<store folder>/backups``.
        clock: source of time for audit entries, backups and summaries.
        user: name recorded in the audit log; default the operating-system user.
        busy_timeout: seconds to wait for another program's write lock before `StoreInUse`.
        keep_backups: backups kept per reason (daily, manual, ...) when rotating.
        daily_backup: take the day's first backup on open (off for tools and benchmarks).

    Raises:
        StorageError: the file is not an ITP Desktop store, or was written by a newer version.
        StoreInUse: a migration needed the write lock and another program held it too long.
    """

    def __init__(
        self,
        path: Path,
        *,
        backup_dir: Path | None = None,
        clock: Clock | None = None,
        user: str | None = None,
        busy_timeout: float = 5.0,
        keep_backups: int = 14,
        daily_backup: bool = True,
    ) -> None:
        self.path = Path(path)
        self.backup_dir = (
            Path(backup_dir) if backup_dir is not None else self.path.parent / "backups"
        )
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._user = user if user else current_user()
        self._busy_timeout = busy_timeout
        self._keep = keep_backups
        self._closed = False
        self._use_fts = False
        private_dir(self.path.parent)
        created = not self.path.exists()
        if created:
            create_private_file(self.path)
        self._engine = make_engine(self.path, busy_timeout)
        try:
            created = self._migrate() or created
            self._prepare_fts()
            secure_store_files(self.path)
            if daily_backup and not created:
                self._daily_backup()
        except BaseException:
            self._engine.dispose()
            raise

    # ------------------------------------------------------------------ opening

    @classmethod
    def for_paths(cls, paths: AppPaths, **options: Any) -> SqliteStore:
        """Open the store of an installation (`AppPaths.store_path`, `AppPaths.backup_dir`)."""
        return cls(paths.store_path, backup_dir=paths.backup_dir, **options)

    @contextmanager
    def _tx(self, *, write: bool) -> Iterator[Connection]:
        if self._closed:
            raise StorageError(f"The store {self.path} is closed.")
        with transaction(self._engine, self.path, write=write) as conn:
            yield conn

    def _revision(self) -> str | None:
        with self._tx(write=False) as conn:
            revision = migrate.current_revision(conn)
            if revision is None and migrate.has_user_tables(conn):
                raise StorageError(
                    f"{self.path} is a database but not an ITP Desktop store; "
                    "choose another file or folder."
                )
            return revision

    def _check_known(self, revision: str | None) -> None:
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise StorageError(
                f"The store {self.path} was written by a newer version of ITP Desktop "
                f"(schema {revision}); install that version or newer to open it. "
                "Nothing was changed."
            )

    def _migrate(self) -> bool:
        """Bring the schema to the head revision; return True when the store was created."""
        revision = self._revision()
        self._check_known(revision)
        if revision == HEAD_REVISION:
            return False
        with self._tx(write=True) as conn:
            # Re-read under the write lock: another window may have migrated meanwhile.
            revision = migrate.current_revision(conn)
            self._check_known(revision)
            if revision == HEAD_REVISION:
                return False
            backup = None
            if revision is not None:
                # The write lock is held, so this copy is exactly the data being migrated.
                backup = self._write_backup("pre-migration")
            migrate.upgrade(conn, "head", today=self._clock.today())
            if revision is not None:
                details = {"from": revision, "to": HEAD_REVISION, "backup": backup}
                self._append(conn, [PendingEntry("migrate", "store", None, None, details)])
            return revision is None

    def _prepare_fts(self) -> None:
        available = fts.trigram_available()
        with self._tx(write=False) as conn:
            needed = fts.state(conn, available=available)
        if needed == "needs_install":
            with self._tx(write=True) as conn:
                fts.install(conn)
        elif needed == "needs_disable":
            with self._tx(write=True) as conn:
                fts.disable(conn)
        self._use_fts = available

    def _daily_backup(self) -> None:
        today = self._clock.now().astimezone(dt.UTC).date()
        if any(b.reason == "daily" and b.created.date() == today for b in self.list_backups()):
            return
        self._write_backup("daily")
        backups.rotate(self.backup_dir, self.path.stem, self._keep)

    @property
    def uses_fts(self) -> bool:
        """True when name search uses the FTS5 trigram index (substring search)."""
        return self._use_fts

    def schema_revision(self) -> str | None:
        """The schema revision recorded in the store."""
        return self._revision()

    # ------------------------------------------------------------------ audit

    def _append(self, conn: Connection, pending: Sequence[PendingEntry]) -> list[dict[str, Any]]:
        """Append entries to the audit chain inside the caller's write transaction."""
        last = conn.execute(
            select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
        ).first()
        head_seq, head_hash = (0, GENESIS_HASH) if last is None else (last[0], last[1])
        rows = chain_rows(
            pending,
            head_seq=head_seq,
            head_hash=head_hash,
            at=format_at(self._clock.now()),
            user=self._user,
        )
        if not rows:
            return rows
        conn.execute(insert(audit_log), rows)
        value = f"{rows[-1]['seq']}:{rows[-1]['hash']}"
        updated = conn.execute(
            update(store_meta).where(store_meta.c.key == AUDIT_HEAD_KEY).values(value=value)
        )
        if updated.rowcount == 0:
            conn.execute(insert(store_meta).values(key=AUDIT_HEAD_KEY, value=value))
        return rows

    def record_event(
        self, action: AuditAction, entity: str, entity_id: str | None, details: Any = None
    ) -> AuditEntry:
        """Append a non-data event (export, print, report, rescue step) to the audit log."""
        pending = PendingEntry(action, entity, entity_id, None, to_json_value(details))
        with self._tx(write=True) as conn:
            row = self._append(conn, [pending])[0]
        return entry_from_row([row[c.name] for c in _AUDIT_COLUMNS])

    def audit_log(
        self, entity_id: str | None = None, *, limit: int | None = None
    ) -> list[AuditEntry]:
        """Audit entries, oldest first; with `limit`, the newest `limit` of them."""
        query = select(*_AUDIT_COLUMNS).order_by(audit_log.c.seq.desc())
        if entity_id is not None:
            query = query.where(audit_log.c.entity_id == entity_id)
        if limit is not None:
            query = query.limit(limit)
        with self._tx(write=False) as conn:
            rows = conn.execute(query).all()
        return [entry_from_row(row) for row in reversed(rows)]

    # ------------------------------------------------------------------ patients

    def get(self, patient_id: str) -> Patient:
        """Load one patient. Raises NotFound, or IntegrityProblem for an unreadable record."""
        with self._tx(write=False) as conn:
            document = conn.execute(
                select(patients.c.document).where(patients.c.id == patient_id)
            ).scalar()
        if document is None:
            raise NotFound(f"No patient with id {patient_id!r} in the store.")
        return self._load(patient_id, document)

    def _load(self, patient_id: str, document: str) -> Patient:
        try:
            return Patient.model_validate_json(document)
        except ValidationError as exc:
            failed = ValidationFailed(problems_from_pydantic(exc))
            raise IntegrityProblem(
                f"The stored record of patient {patient_id} does not validate "
                f"({failed.message}); restore a backup or export and correct it.",
                detail=str(exc),
            ) from None

    def save(
        self,
        patient: Patient,
        *,
        action: AuditAction = "update",
        expected: Patient | None = None,
    ) -> Patient:
        """Create or replace a patient in one transaction, with an audit entry.

        Assigns ids to the patient (uuid4 hex) and to list entries without one (12 hex
        characters); returns the stored record. A new patient is audited as ``create`` (or
        ``import``); saving an unchanged record writes nothing. With `expected` (the record as
        it was read before editing) the save is refused when the stored record differs from it,
        inside the same transaction: another window's change is never silently overwritten.

        Raises:
            ValidationFailed: invalid record, duplicate entry ids, or an MRN already used by
                another patient (field ``mrn``).
            ConcurrentChange: the stored record is no longer `expected`.
            StoreInUse: another program held the write lock longer than the busy timeout.
        """
        today = self._clock.today()
        prepared = [_Prepared(patient, "", today)]
        with self._tx(write=True) as conn:
            if expected is not None:
                self._check_unchanged(conn, prepared[0].id, expected)
            return self._write_patients(conn, prepared, action)[0]

    def _check_unchanged(self, conn: Connection, patient_id: str, expected: Patient) -> None:
        document = conn.execute(
            select(patients.c.document).where(patients.c.id == patient_id)
        ).scalar()
        if document is None:
            return  # a new record: nothing to overwrite
        if self._load(patient_id, document) != expected:
            raise ConcurrentChange(
                f"{expected.display_name}'s record was changed (in another window or program) "
                "after you opened it, so your change was not saved. Open the patient again "
                "and repeat your change."
            )

    def save_many(
        self, patients: Sequence[Patient], *, action: AuditAction = "import"
    ) -> list[Patient]:
        """Save several patients all-or-nothing (import); errors name ``record N``."""
        items = [(p, f"record {i + 1}") for i, p in enumerate(patients)]
        return self._save(items, action)

    def set_archived(self, patient_id: str, archived: bool) -> Patient:
        """Archive or restore a patient (records are never deleted)."""
        with self._tx(write=True) as conn:
            document = conn.execute(
                select(patients.c.document).where(patients.c.id == patient_id)
            ).scalar()
            if document is None:
                raise NotFound(f"No patient with id {patient_id!r} in the store.")
            patient = self._load(patient_id, document)
            if patient.archived == archived:
                return patient
            changed = patient.model_copy(update={"archived": archived})
            action: AuditAction = "archive" if archived else "unarchive"
            return self._write_patients(
                conn, [_Prepared(changed, "", self._clock.today())], action
            )[0]

    def _save(self, items: Sequence[tuple[Patient, str]], action: AuditAction) -> list[Patient]:
        today = self._clock.today()
        prepared = [_Prepared(patient, context, today) for patient, context in items]
        self._check_batch(prepared)
        with self._tx(write=True) as conn:
            return self._write_patients(conn, prepared, action)

    @staticmethod
    def _check_batch(prepared: Sequence[_Prepared]) -> None:
        ids: dict[str, _Prepared] = {}
        mrns: dict[str, _Prepared] = {}
        for item in prepared:
            other = ids.get(item.id)
            if other is not None:
                raise ValidationFailed(
                    [
                        FieldProblem(
                            "id", f"the same patient id is also in {other.context}", item.id
                        )
                    ],
                    context=item.context,
                )
            other = mrns.get(item.patient.mrn)
            if other is not None:
                raise ValidationFailed(
                    [
                        FieldProblem(
                            "mrn", f"the same MRN is also in {other.context}", item.patient.mrn
                        )
                    ],
                    context=item.context,
                )
            ids[item.id] = item
            mrns[item.patient.mrn] = item

    def _existing(
        self, conn: Connection, prepared: Sequence[_Prepared]
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """Stored rows of the batch's patients by id, and the owners of the batch's MRNs."""
        rows: dict[str, Any] = {}
        owners: dict[str, str] = {}
        for start in range(0, len(prepared), _CHUNK):
            chunk = prepared[start : start + _CHUNK]
            for row in conn.execute(
                select(patients.c.pk, patients.c.id, patients.c.document, patients.c.version).where(
                    patients.c.id.in_([p.id for p in chunk])
                )
            ):
                rows[row.id] = row
            for mrn, owner in conn.execute(
                select(patients.c.mrn, patients.c.id).where(
                    patients.c.mrn.in_([p.patient.mrn for p in chunk])
                )
            ):
                owners[mrn] = owner
        return rows, owners

    def _write_patients(
        self, conn: Connection, prepared: Sequence[_Prepared], action: AuditAction
    ) -> list[Patient]:
        existing, owners = self._existing(conn, prepared)
        now = format_at(self._clock.now())
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        pending: list[PendingEntry] = []
        for item in prepared:
            owner = owners.get(item.patient.mrn)
            if owner is not None and owner != item.id:
                raise ValidationFailed(
                    [
                        FieldProblem(
                            "mrn",
                            f"MRN {item.patient.mrn} is already used by another patient "
                            f"(id {owner}); each patient needs their own MRN",
                            item.patient.mrn,
                        )
                    ],
                    context=item.context,
                )
            digest = sha256_text(item.document)
            row = existing.get(item.id)
            values = {
                "mrn": item.patient.mrn,
                "family_name": item.patient.family_name,
                "given_name": item.patient.given_name,
                "birth_date": item.patient.birth_date,
                "archived": item.patient.archived,
                "updated_at": now,
                "document": item.document,
                **item.columns,
            }
            if row is None:
                inserts.append({**values, "id": item.id, "created_at": now, "version": 1})
                after = {**item.data, DIGEST_KEY: digest}
                kind: AuditAction = "import" if action == "import" else "create"
                pending.append(PendingEntry(kind, "patient", item.id, None, after))
                continue
            before, after = diff_documents(json.loads(row.document), item.data)
            if not before and not after:
                continue  # unchanged: nothing to write or audit
            after[DIGEST_KEY] = digest
            updates.append({**values, "b_pk": row.pk, "version": row.version + 1})
            pending.append(PendingEntry(action, "patient", item.id, before, after))
        if inserts:
            conn.execute(insert(patients), inserts)
        if updates:
            conn.execute(
                update(patients).where(patients.c.pk == bindparam("b_pk")),
                updates,
            )
        self._append(conn, pending)
        return [item.patient for item in prepared]

    # ------------------------------------------------------------------ registry

    def search(
        self, query: str = "", *, limit: int = 100, offset: int = 0, include_archived: bool = False
    ) -> list[PatientSummary]:
        """Patients whose name contains the words, whose MRN matches, or born on the date.

        See `itp_desktop.storage.search` for the query forms and the order of results.
        """
        stmt = select(*_SUMMARY_COLUMNS).order_by(*search.ORDER_BY).limit(limit).offset(offset)
        stmt = self._filtered(stmt, search.parse_query(query), include_archived)
        with self._tx(write=False) as conn:
            rows = conn.execute(stmt).all()
        return [
            PatientSummary(
                id=row.id,
                mrn=row.mrn,
                family_name=row.family_name,
                given_name=row.given_name,
                birth_date=row.birth_date,
                archived=row.archived,
                latest_count_e9=row.latest_count_e9,
                latest_count_date=row.latest_count_date,
                active_agents=[a for a in row.active_agents.split(",") if a],
            )
            for row in rows
        ]

    def count(self, query: str = "", *, include_archived: bool = False) -> int:
        """Number of patients `search` would return without a limit."""
        with self._tx(write=False) as conn:
            stmt = select(func.count()).select_from(patients)
            stmt = self._filtered(stmt, search.parse_query(query), include_archived)
            return int(conn.execute(stmt).scalar_one())

    def _filtered(self, stmt: Any, parsed: ParsedQuery, include_archived: bool) -> Any:
        where = search.condition(parsed, use_fts=self._use_fts)
        if where is not None:
            stmt = stmt.where(where)
        if not include_archived:
            # Written `archived = 0` so that SQLite uses the partial index ix_patients_active.
            stmt = stmt.where(patients.c.archived == false())
        return stmt

    def all_ids(self, *, include_archived: bool = False) -> list[str]:
        """Every patient id, in the order of `search`."""
        stmt = select(patients.c.id).order_by(*search.ORDER_BY)
        if not include_archived:
            stmt = stmt.where(patients.c.archived == false())
        with self._tx(write=False) as conn:
            return list(conn.execute(stmt).scalars())

    # ------------------------------------------------------------------ suppressions

    def suppressions(self, patient_id: str) -> list[Suppression]:
        """Suppressions recorded for a patient, by finding key."""
        with self._tx(write=False) as conn:
            rows = conn.execute(
                select(suppressions)
                .where(suppressions.c.patient_id == patient_id)
                .order_by(suppressions.c.finding_key)
            ).all()
        return [self._suppression(row) for row in rows]

    @staticmethod
    def _suppression(row: Any) -> Suppression:
        return Suppression(
            patient_id=row.patient_id,
            finding_key=row.finding_key,
            rule=row.rule,
            reason=row.reason,
            user=row.user_name,
            at=dt.datetime.fromisoformat(row.at),
        )

    def add_suppression(self, suppression: Suppression) -> None:
        """Record (or replace) the suppression of a finding for a patient, audited."""
        values = {
            "rule": suppression.rule,
            "reason": suppression.reason,
            "user_name": suppression.user,
            "at": format_at(suppression.at),
        }
        key = (suppressions.c.patient_id == suppression.patient_id) & (
            suppressions.c.finding_key == suppression.finding_key
        )
        with self._tx(write=True) as conn:
            exists = conn.execute(
                select(patients.c.pk).where(patients.c.id == suppression.patient_id)
            ).first()
            if exists is None:
                raise NotFound(f"No patient with id {suppression.patient_id!r} in the store.")
            old = conn.execute(select(suppressions).where(key)).first()
            if old is None:
                conn.execute(
                    insert(suppressions).values(
                        patient_id=suppression.patient_id,
                        finding_key=suppression.finding_key,
                        **values,
                    )
                )
            else:
                conn.execute(update(suppressions).where(key).values(**values))
            before = None if old is None else to_json_value(self._suppression(old))
            after = to_json_value(suppression)
            self._append(
                conn,
                [PendingEntry("suppress", "suppression", suppression.patient_id, before, after)],
            )

    def remove_suppression(self, patient_id: str, finding_key: str) -> None:
        """Remove a suppression, audited. Raises NotFound when there is none."""
        key = (suppressions.c.patient_id == patient_id) & (
            suppressions.c.finding_key == finding_key
        )
        with self._tx(write=True) as conn:
            old = conn.execute(select(suppressions).where(key)).first()
            if old is None:
                raise NotFound(
                    f"Patient {patient_id!r} has no suppression of finding {finding_key!r}."
                )
            conn.execute(delete(suppressions).where(key))
            before = to_json_value(self._suppression(old))
            self._append(
                conn, [PendingEntry("unsuppress", "suppression", patient_id, before, None)]
            )

    # ------------------------------------------------------------------ backups

    def _write_backup(self, reason: backups.BackupReason) -> str:
        raw = self._engine.raw_connection()
        try:
            source = raw.driver_connection
            info = backups.write_backup(
                source,  # type: ignore[arg-type]  # the sqlite3 connection under the pool
                self.backup_dir,
                self.path.stem,
                reason,
                self._clock.now(),
            )
        except DBAPIError as exc:
            raise translate(exc, self.path) from exc
        finally:
            raw.close()
        return info.path

    def backup(self, reason: str = "manual") -> BackupInfo:
        """Write a consistent copy of the store with SQLite's online backup API.

        A manual backup is recorded in the audit log; old backups of the same reason beyond
        `keep_backups` are removed.
        """
        checked = backups.check_reason(reason)
        if self._closed:
            raise StorageError(f"The store {self.path} is closed.")
        path = Path(self._write_backup(checked))
        if checked == "manual":
            self.record_event("backup", "store", None, {"file": path.name, "reason": checked})
        backups.rotate(self.backup_dir, self.path.stem, self._keep)
        info = backups.parse_backup(path, self.path.stem)
        if info is None:
            raise StorageError(f"The backup {path} disappeared while it was being listed.")
        return info

    def list_backups(self) -> list[BackupInfo]:
        """Backups on disk, newest first."""
        return backups.list_backups(self.backup_dir, self.path.stem)

    # ------------------------------------------------------------------ verify

    def verify(self) -> VerifyReport:
        """Check integrity, schema, audit chain, documents against the audit log, and backups.

        `first_broken_audit_seq` is the seq of the first missing or altered audit entry.
        """
        checks: list[CheckResult] = []
        with self._tx(write=False) as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
            ok = rows == ["ok"]
            checks.append(
                CheckResult(
                    name="database integrity", ok=ok, detail="; ".join(rows[:5]) if not ok else ""
                )
            )
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            checks.append(
                CheckResult(
                    name="references",
                    ok=not fk,
                    detail=f"{len(fk)} broken references" if fk else "",
                )
            )
            revision = migrate.current_revision(conn)
            checks.append(
                CheckResult(
                    name="schema version",
                    ok=revision == HEAD_REVISION,
                    detail=f"revision {revision}, expected {HEAD_REVISION}",
                )
            )
            head = conn.execute(
                select(store_meta.c.value).where(store_meta.c.key == AUDIT_HEAD_KEY)
            ).scalar()
            chain = check_chain(
                conn.execute(select(*_AUDIT_COLUMNS).order_by(audit_log.c.seq)), head
            )
            checks.append(
                CheckResult(
                    name="audit chain",
                    ok=chain.first_broken_seq is None,
                    detail=chain.problem or f"{chain.entries} entries intact",
                )
            )
            checks.append(
                self._check_documents(conn, chain.patient_digests, chain.first_broken_seq)
            )
        checks.extend(backups.quick_check(Path(b.path)) for b in self.list_backups())
        return VerifyReport(
            ok=all(c.ok for c in checks),
            checks=checks,
            first_broken_audit_seq=chain.first_broken_seq,
        )

    @staticmethod
    def _check_documents(
        conn: Connection, digests: dict[str, str], broken_seq: int | None
    ) -> CheckResult:
        name = "patient records match the audit log"
        if broken_seq is not None:
            return CheckResult(name=name, ok=False, detail="not checked: the audit chain is broken")
        mismatched = [
            patient_id
            for patient_id, document in conn.execute(select(patients.c.id, patients.c.document))
            if digests.get(patient_id) != sha256_text(document)
        ]
        if mismatched:
            shown = ", ".join(mismatched[:5]) + (" …" if len(mismatched) > 5 else "")
            return CheckResult(
                name=name,
                ok=False,
                detail=f"{len(mismatched)} record(s) changed outside ITP Desktop: {shown}",
            )
        return CheckResult(name=name, ok=True, detail=f"{len(digests)} records")

    # ------------------------------------------------------------------ closing / restore

    def close(self) -> None:
        """Release the database connections and re-apply owner-only file modes."""
        if self._closed:
            return
        self._closed = True
        self._engine.dispose()
        secure_store_files(self.path)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @classmethod
    def restore(
        cls,
        store_path: Path,
        source: Path,
        *,
        backup_dir: Path | None = None,
        clock: Clock | None = None,
        user: str | None = None,
        busy_timeout: float = 5.0,
        keep_backups: int = 14,
    ) -> BackupInfo | None:
        """Replace a closed store with a verified copy of `source`.

        The source is first copied aside and checked (integrity, known schema revision, audit
        chain); then the current store, if any, is kept as a ``pre-restore`` backup and
        replaced. Opening the restored store migrates it if it is older, and records the
        restore in its audit log.

        Returns:
            The pre-restore backup of the replaced store, or None when there was none.

        Raises:
            NotFound: `source` does not exist.
            IntegrityProblem: `source` failed a check (nothing was changed).
            StoreInUse: another window or program has the store open.
        """
        store_path, source = Path(store_path), Path(source)
        backup_dir = Path(backup_dir) if backup_dir is not None else store_path.parent / "backups"
        clock = clock if clock is not None else SystemClock()
        if not source.is_file():
            raise NotFound(f"The backup file {source} does not exist.")
        private_dir(store_path.parent)
        staging = store_path.with_name(store_path.name + ".restoring")
        try:
            _copy_for_restore(source, staging)
            backups.require_valid(staging)
            pre_restore = None
            if store_path.exists():
                # First prove nobody else has the store open (and fold its WAL in), so that
                # a refused restore leaves no stray pre-restore backup behind.
                _release_wal(store_path, busy_timeout)
                pre_restore = backups.backup_file(
                    store_path, backup_dir, "pre-restore", clock.now(), timeout=busy_timeout
                )
            os.replace(staging, store_path)
        except (DBAPIError, OSError) as exc:
            raise translate(exc, store_path) from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                staging.unlink()
        for suffix in SIDE_SUFFIXES:
            with contextlib.suppress(FileNotFoundError):
                store_path.with_name(store_path.name + suffix).unlink()
        secure_store_files(store_path)
        with cls(
            store_path,
            backup_dir=backup_dir,
            clock=clock,
            user=user,
            busy_timeout=busy_timeout,
            keep_backups=keep_backups,
            daily_backup=False,
        ) as store:
            store.record_event(
                "restore",
                "store",
                None,
                {
                    "source": str(source),
                    "pre_restore_backup": None if pre_restore is None else pre_restore.path,
                },
            )
        if pre_restore is not None:
            backups.rotate(backup_dir, store_path.stem, keep_backups)
        return pre_restore


def _copy_for_restore(source: Path, staging: Path) -> None:
    """Copy `source` to `staging` with the backup API (a consistent copy even of a live file)."""
    with contextlib.suppress(FileNotFoundError):
        staging.unlink()
    try:
        conn = backups.open_read_only(source)
        try:
            backups.copy_database(conn, staging)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise IntegrityProblem(
            f"{source.name} cannot be restored: it is not a readable ITP Desktop store ({exc})."
        ) from exc


def _release_wal(store_path: Path, busy_timeout: float) -> None:
    """Fold the WAL into the store and leave WAL mode; fails while anyone has it open."""
    conn = sqlite3.connect(store_path, timeout=busy_timeout, isolation_level=None)
    try:
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()
    except sqlite3.OperationalError as exc:
        raise translate(exc, store_path) from exc
    finally:
        conn.close()
    if mode is None or str(mode[0]).lower() != "delete":
        raise translate(sqlite3.OperationalError("database is locked"), store_path)


__all__ = ["SqliteStore", "current_user"]
