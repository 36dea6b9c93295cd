"""Backup files of the store: naming, writing with SQLite's online backup API, rotation, checks.

A backup is a complete, self-contained SQLite file (rollback-journal mode, no -wal file) named
``<store stem>-<UTC timestamp>-<reason>[-n].sqlite3``, e.g.
``itp-desktop-20261122T101530.123456Z-daily.sqlite3``; the name carries the time and reason so
that the folder can be listed without opening any file. Backups are owner-only. `verify_file`
checks any store file (integrity, known schema revision, audit chain) without changing it,
which is what restore runs first. May import: core, stdlib, `storage.audit`, `storage.files`,
`storage.schema`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from pathlib import Path
from typing import Literal, cast, get_args

from itp_desktop.core.errors import IntegrityProblem, StorageError
from itp_desktop.core.models.records import BackupInfo, CheckResult, VerifyReport
from itp_desktop.storage.audit import check_chain
from itp_desktop.storage.files import create_private_file, private_dir, secure_file
from itp_desktop.storage.schema import AUDIT_HEAD_KEY, KNOWN_REVISIONS

BackupReason = Literal["daily", "manual", "pre-migration", "pre-restore"]
REASONS: tuple[str, ...] = get_args(BackupReason)

_STAMP = "%Y%m%dT%H%M%S"
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6})\.(?P<micro>\d{6})Z-"
    r"(?P<reason>daily|manual|pre-migration|pre-restore)(?:-(?P<n>\d+))?\.sqlite3$"
)
_AUDIT_ROWS = (
    "SELECT seq, at, user_name, action, entity, entity_id, before, after, prev_hash, hash "
    "FROM audit_log ORDER BY seq"
)


def check_reason(reason: str) -> BackupReason:
    """Return `reason` as a backup reason, or raise StorageError naming the allowed ones."""
    if reason not in REASONS:
        raise StorageError(f"Unknown backup reason {reason!r}; use one of: {', '.join(REASONS)}")
    return cast("BackupReason", reason)


def backup_name(stem: str, created: dt.datetime, reason: BackupReason, n: int = 1) -> str:
    """File name of a backup (``n`` > 1 only when two backups share a timestamp)."""
    utc = created.astimezone(dt.UTC)
    suffix = "" if n <= 1 else f"-{n}"
    return f"{stem}-{utc.strftime(_STAMP)}.{utc.microsecond:06d}Z-{reason}{suffix}.sqlite3"


def parse_backup(path: Path, stem: str) -> BackupInfo | None:
    """The `BackupInfo` of a backup file of the store named `stem`, or None for other files."""
    match = _NAME.match(path.name)
    if match is None or match.group("stem") != stem:
        return None
    created = dt.datetime.strptime(match.group("stamp"), _STAMP).replace(
        microsecond=int(match.group("micro")), tzinfo=dt.UTC
    )
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    return BackupInfo(
        path=str(path),
        created=created,
        size_bytes=size,
        reason=cast("BackupReason", match.group("reason")),
    )


def _order_key(info: BackupInfo) -> tuple[dt.datetime, int, str]:
    match = _NAME.match(Path(info.path).name)
    n = int(match.group("n")) if match is not None and match.group("n") else 1
    return info.created, n, info.path


def list_backups(backup_dir: Path, stem: str) -> list[BackupInfo]:
    """Backups of the store named `stem` in `backup_dir`, newest first."""
    if not backup_dir.is_dir():
        return []
    found = [parse_backup(path, stem) for path in backup_dir.iterdir() if path.is_file()]
    return sorted((b for b in found if b is not None), key=_order_key, reverse=True)


def copy_database(source: sqlite3.Connection, target_path: Path) -> None:
    """Copy a database into a new owner-only, self-contained file (online backup API)."""
    create_private_file(target_path)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
        # A copy must be one self-contained file: no -wal beside it that could get lost.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    secure_file(target_path)


def write_backup(
    source: sqlite3.Connection,
    backup_dir: Path,
    stem: str,
    reason: BackupReason,
    now: dt.datetime,
) -> BackupInfo:
    """Copy a live database into a new backup file with the online backup API.

    The copy is written to a ``.part`` file and renamed when complete, so a crash never leaves
    a half-written file that looks like a backup.
    """
    private_dir(backup_dir)
    n = 1
    while (backup_dir / backup_name(stem, now, reason, n)).exists():
        n += 1
    final = backup_dir / backup_name(stem, now, reason, n)
    part = final.with_name(final.name + ".part")
    with contextlib.suppress(FileNotFoundError):
        part.unlink()
    try:
        copy_database(source, part)
        os.replace(part, final)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
        raise StorageError(
            f"Could not write the backup {final.name} in {backup_dir}: {exc}", detail=repr(exc)
        ) from exc
    info = parse_backup(final, stem)
    if info is None:  # the name was built by backup_name, so it always parses
        raise StorageError(f"Backup written with an unreadable name: {final}")
    return info


def backup_file(
    store: Path, backup_dir: Path, reason: BackupReason, now: dt.datetime, *, timeout: float
) -> BackupInfo:
    """Back up a store file that the program does not hold open (restore, migration)."""
    source = sqlite3.connect(store, timeout=timeout)
    try:
        return write_backup(source, backup_dir, store.stem, reason, now)
    finally:
        source.close()


def rotate(backup_dir: Path, stem: str, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups of each reason; return the deleted files.

    Rotation is per reason so that a burst of manual backups never removes the last daily or
    pre-migration copy.
    """
    removed: list[Path] = []
    by_reason: dict[str, list[BackupInfo]] = {}
    for info in list_backups(backup_dir, stem):
        by_reason.setdefault(info.reason, []).append(info)
    for infos in by_reason.values():
        for old in infos[max(keep, 1) :]:
            with contextlib.suppress(FileNotFoundError):
                Path(old.path).unlink()
                removed.append(Path(old.path))
    return removed


def open_read_only(path: Path) -> sqlite3.Connection:
    """Open a database file without any chance of changing it."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def quick_check(path: Path) -> CheckResult:
    """Open a backup file and run ``PRAGMA quick_check``."""
    name = f"backup {path.name}"
    try:
        conn = open_read_only(path)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return CheckResult(name=name, ok=False, detail=f"cannot be read: {exc}")
    ok = rows == [("ok",)]
    return CheckResult(name=name, ok=ok, detail="" if ok else "; ".join(r[0] for r in rows[:5]))


def _integrity(conn: sqlite3.Connection) -> CheckResult:
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    ok = rows == [("ok",)]
    return CheckResult(
        name="database integrity", ok=ok, detail="" if ok else "; ".join(r[0] for r in rows[:5])
    )


def _revision(conn: sqlite3.Connection) -> tuple[CheckResult, str | None]:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        row = None
    revision = None if row is None else str(row[0])
    ok = revision in KNOWN_REVISIONS
    detail = (
        f"revision {revision}"
        if ok
        else f"revision {revision or 'none'} is not one this version of ITP Desktop knows"
    )
    return CheckResult(name="schema version", ok=ok, detail=detail), revision


def verify_file(path: Path) -> VerifyReport:
    """Check a store or backup file: integrity, known schema revision and the audit chain."""
    try:
        conn = open_read_only(path)
        try:
            checks = [_integrity(conn)]
            schema, revision = _revision(conn)
            checks.append(schema)
            first_broken = None
            if revision is not None and schema.ok:
                head_row = conn.execute(
                    "SELECT value FROM store_meta WHERE key = ?", (AUDIT_HEAD_KEY,)
                ).fetchone()
                chain = check_chain(
                    conn.execute(_AUDIT_ROWS), None if head_row is None else head_row[0]
                )
                first_broken = chain.first_broken_seq
                checks.append(
                    CheckResult(
                        name="audit chain",
                        ok=first_broken is None,
                        detail=chain.problem or f"{chain.entries} entries intact",
                    )
                )
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return VerifyReport(
            ok=False,
            checks=[
                CheckResult(
                    name="database integrity",
                    ok=False,
                    detail=f"not a readable ITP Desktop store: {exc}",
                )
            ],
        )
    return VerifyReport(
        ok=all(c.ok for c in checks), checks=checks, first_broken_audit_seq=first_broken
    )


def require_valid(path: Path) -> VerifyReport:
    """`verify_file`, raising IntegrityProblem that names every failed check."""
    report = verify_file(path)
    if not report.ok:
        failed = "; ".join(f"{c.name}: {c.detail}" for c in report.checks if not c.ok)
        raise IntegrityProblem(f"{path.name} cannot be restored: {failed}")
    return report
