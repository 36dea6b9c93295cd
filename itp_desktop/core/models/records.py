"""Records the store keeps besides patients: audit entries, suppressions, backups, checks."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

AuditAction = Literal[
    "create",
    "update",
    "archive",
    "unarchive",
    "import",
    "export",
    "print",
    "report",
    "suppress",
    "unsuppress",
    "restore",
    "backup",
    "migrate",
    "rescue_step",
]


class _Rec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AuditEntry(_Rec):
    """One entry of the append-only, hash-chained audit log.

    `hash` = SHA-256 over the canonical JSON of every other member including `prev_hash`,
    so changing or removing any earlier entry breaks the chain from that entry on.
    """

    seq: int
    at: dt.datetime
    user: str
    action: AuditAction
    entity: str = Field(description="patient, report, store, suppression, …")
    entity_id: str | None
    before: Any = None
    after: Any = None
    prev_hash: str
    hash: str


class Suppression(_Rec):
    """A finding suppressed for one patient with a written reason.

    The suppression matches a finding by `finding_key` and `rule` (``rule-id@version``); when
    the rule's version changes the finding shows again.
    """

    patient_id: str
    finding_key: str
    rule: str
    reason: str = Field(min_length=3, max_length=1000)
    user: str
    at: dt.datetime


class BackupInfo(_Rec):
    """A backup file of the store."""

    path: str
    created: dt.datetime
    size_bytes: int
    reason: Literal["daily", "manual", "pre-migration", "pre-restore"]


class CheckResult(_Rec):
    """One line of `verify`: what was checked and whether it passed."""

    name: str
    ok: bool
    detail: str = ""


class VerifyReport(_Rec):
    """Result of an integrity check of store, backups and audit chain."""

    ok: bool
    checks: list[CheckResult]
    first_broken_audit_seq: int | None = None
