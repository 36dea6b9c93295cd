"""The append-only, hash-chained audit log: canonical JSON, entry hashes, diffs, chain checks.

Each entry's hash is SHA-256 over the canonical JSON (sorted keys, no spaces, UTF-8) of
``{seq, at, user, action, entity, entity_id, before, after, prev_hash}``; the first entry's
``prev_hash`` is 64 zeros. Changing or removing any entry breaks the chain from there on, and
`store_meta.audit_head` (seq and hash of the newest entry) also reveals removed newest entries.

Patient changes are stored compactly as a diff (`diff_documents`): ``before`` and ``after``
hold only what changed. Top-level fields map to their old/new values; list fields (counts,
courses, ...) map entry ids to the entry: an id only in ``before`` was removed, only in
``after`` was added, in both was changed (only the changed members are shown, so a corrected
count shows its old and new value). A changed order of unchanged entries is recorded under the
``"#order"`` key, and ``after["#sha256"]`` is the SHA-256 of the stored document, which lets
`verify` detect a document edited behind the program's back. A new patient's ``after`` is its
whole document. Pure functions. May import: core, pydantic, stdlib.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import to_jsonable_python

from itp_desktop.core.models.records import AuditAction, AuditEntry

GENESIS_HASH = "0" * 64
"""`prev_hash` of the first audit entry."""

LIST_FIELDS: tuple[str, ...] = (
    "workup",
    "platelet_counts",
    "courses",
    "bleeding",
    "immunizations",
    "procedures",
    "monitoring",
)
"""Patient list fields whose entries carry ids; diffs are keyed by those ids."""

DIGEST_KEY = "#sha256"
"""Key in a patient entry's ``after`` holding the SHA-256 of the stored document."""

ORDER_KEY = "#order"
"""Key in a list diff holding the ids' order when unchanged entries were reordered."""


def canonical_json(value: Any) -> str:
    """Canonical JSON text: sorted keys, no whitespace, UTF-8 characters kept, no NaN."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def to_json_value(value: Any) -> Any:
    """Plain JSON data (dicts, lists, str, numbers, bools, None) equal to `value`.

    Dates become ISO strings, models their JSON form, tuples lists, so that what is hashed is
    exactly what a later reader parses back.
    """
    return json.loads(canonical_json(to_jsonable_python(value)))


def sha256_text(text: str) -> str:
    """Hex SHA-256 of the UTF-8 encoding of `text`."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_hash(  # noqa: PLR0913 - the nine members the hash is defined over
    *,
    seq: int,
    at: str,
    user: str,
    action: str,
    entity: str,
    entity_id: str | None,
    before_json: str,
    after_json: str,
    prev_hash: str,
) -> str:
    """Hash of one entry; `before_json`/`after_json` are the canonical JSON of before/after.

    The text hashed equals ``canonical_json({...})`` of the whole entry: it is assembled with
    the keys in sorted order so that a large ``after`` is serialised once, not twice (a test
    checks the two agree).
    """

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    text = (
        f'{{"action":{dump(action)},"after":{after_json},"at":{dump(at)},'
        f'"before":{before_json},"entity":{dump(entity)},"entity_id":{dump(entity_id)},'
        f'"prev_hash":{dump(prev_hash)},"seq":{seq},"user":{dump(user)}}}'
    )
    return sha256_text(text)


@dataclass(frozen=True)
class PendingEntry:
    """An audit entry before it gets its place in the chain.

    Attributes:
        action: what happened.
        entity: kind of record (patient, suppression, store, report, ...).
        entity_id: the record's id (a patient id for suppressions), or None.
        before: JSON data before the change (None for a creation or an event).
        after: JSON data after the change, or event details.
    """

    action: AuditAction
    entity: str
    entity_id: str | None
    before: Any = None
    after: Any = None


def chain_rows(
    pending: Sequence[PendingEntry], *, head_seq: int, head_hash: str, at: str, user: str
) -> list[dict[str, Any]]:
    """Rows for the `audit_log` table continuing a chain whose newest entry is the head."""
    rows = []
    seq, prev = head_seq, head_hash
    for entry in pending:
        seq += 1
        before_json = canonical_json(entry.before)
        after_json = canonical_json(entry.after)
        digest = entry_hash(
            seq=seq,
            at=at,
            user=user,
            action=entry.action,
            entity=entry.entity,
            entity_id=entry.entity_id,
            before_json=before_json,
            after_json=after_json,
            prev_hash=prev,
        )
        rows.append(
            {
                "seq": seq,
                "at": at,
                "user_name": user,
                "action": entry.action,
                "entity": entry.entity,
                "entity_id": entry.entity_id,
                "before": before_json,
                "after": after_json,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    return rows


def format_at(instant: dt.datetime) -> str:
    """The audit timestamp text: ISO 8601 in UTC with microseconds."""
    aware = instant if instant.tzinfo is not None else instant.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat(timespec="microseconds")


def entry_from_row(row: Sequence[Any]) -> AuditEntry:
    """An `AuditEntry` from an `audit_log` row (columns in `check_chain`'s order)."""
    seq, at, user, action, entity, entity_id, before, after, prev_hash, digest = row
    return AuditEntry(
        seq=seq,
        at=dt.datetime.fromisoformat(at),
        user=user,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=json.loads(before),
        after=json.loads(after),
        prev_hash=prev_hash,
        hash=digest,
    )


def _diff_list(old: list[Any], new: list[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    old_by_id = {entry["id"]: entry for entry in old}
    new_by_id = {entry["id"]: entry for entry in new}
    for entry_id, entry in old_by_id.items():
        if entry_id not in new_by_id:
            before[entry_id] = entry
    for entry_id, entry in new_by_id.items():
        previous = old_by_id.get(entry_id)
        if previous is None:
            after[entry_id] = entry
        elif previous != entry:
            keys = sorted(set(previous) | set(entry))
            before[entry_id] = {k: previous.get(k) for k in keys if previous.get(k) != entry.get(k)}
            after[entry_id] = {k: entry.get(k) for k in keys if previous.get(k) != entry.get(k)}
    kept_old = [entry_id for entry_id in old_by_id if entry_id in new_by_id]
    kept_new = [entry_id for entry_id in new_by_id if entry_id in old_by_id]
    if kept_old != kept_new:
        before[ORDER_KEY] = kept_old
        after[ORDER_KEY] = kept_new
    return before, after


def diff_documents(
    old: dict[str, Any], new: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What changed between two patient documents (JSON data), as ``(before, after)``.

    Both are empty when nothing changed. See the module docstring for the layout.
    """
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in sorted(set(old) | set(new)):
        old_value, new_value = old.get(key), new.get(key)
        if old_value == new_value:
            continue
        if key in LIST_FIELDS and isinstance(old_value, list) and isinstance(new_value, list):
            list_before, list_after = _diff_list(old_value, new_value)
            if list_before:
                before[key] = list_before
            if list_after:
                after[key] = list_after
        else:
            before[key] = old_value
            after[key] = new_value
    return before, after


@dataclass
class ChainCheck:
    """Outcome of walking the audit chain.

    Attributes:
        first_broken_seq: seq of the first entry that is missing, altered or out of place.
        problem: what was wrong with it, in plain language.
        entries: number of entries read.
        patient_digests: for each patient id, the document SHA-256 of its newest entry.
    """

    first_broken_seq: int | None = None
    problem: str = ""
    entries: int = 0
    patient_digests: dict[str, str] = field(default_factory=dict)


def _row_problem(row: Sequence[Any], expected_seq: int, prev_hash: str) -> tuple[int, str] | None:
    seq, at, user, action, entity, entity_id, before, after, row_prev, digest = row
    if seq != expected_seq:
        return expected_seq, f"entry {expected_seq} is missing (next entry found is {seq})"
    if row_prev != prev_hash:
        return seq, f"entry {seq} does not follow entry {seq - 1} (prev_hash differs)"
    try:
        before_json = canonical_json(json.loads(before))
        after_json = canonical_json(json.loads(after))
    except (TypeError, ValueError):
        return seq, f"entry {seq} holds unreadable data"
    expected = entry_hash(
        seq=seq,
        at=at,
        user=user,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before_json=before_json,
        after_json=after_json,
        prev_hash=row_prev,
    )
    if expected != digest:
        return seq, f"entry {seq} was altered (its hash does not match its content)"
    return None


def check_chain(rows: Iterable[Sequence[Any]], head: str | None) -> ChainCheck:
    """Walk the audit rows in seq order and report the first broken entry.

    Args:
        rows: ``(seq, at, user, action, entity, entity_id, before, after, prev_hash, hash)``
            ordered by seq.
        head: the ``store_meta`` value ``"<seq>:<hash>"`` of the newest entry, or None.
    """
    result = ChainCheck()
    expected_seq, prev_hash = 1, GENESIS_HASH
    for row in rows:
        result.entries += 1
        problem = _row_problem(row, expected_seq, prev_hash)
        if problem is not None:
            result.first_broken_seq, result.problem = problem
            return result
        if row[4] == "patient" and row[5] is not None:
            after = json.loads(row[7])
            if isinstance(after, dict) and isinstance(after.get(DIGEST_KEY), str):
                result.patient_digests[row[5]] = after[DIGEST_KEY]
        expected_seq, prev_hash = row[0] + 1, row[9]
    last_seq = expected_seq - 1
    if head is None and last_seq == 0:
        return result
    if head == f"{last_seq}:{prev_hash}":
        return result
    head_part = (head or "").split(":", 1)[0]
    head_seq = int(head_part) if head_part.isdigit() else 0
    if head_seq > last_seq:
        result.first_broken_seq = last_seq + 1
        result.problem = f"entries {last_seq + 1} to {head_seq} are missing"
    elif head_seq < last_seq:
        result.first_broken_seq = head_seq + 1
        result.problem = f"entries after {head_seq} were not written by ITP Desktop"
    else:
        result.first_broken_seq = last_seq
        result.problem = f"entry {last_seq} differs from the recorded newest entry"
    return result
