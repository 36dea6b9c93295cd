"""Typed domain errors shared by every layer.

`ItpError` carries a user-facing message (plain language, names the field or file) and an
optional technical detail. The GUI maps these to one error dialog; the CLI prints the message
and exits with code 2. Environment problems (disk full, locked store, permissions) are
`EnvironmentProblem` subclasses so the GUI can tell them from bugs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """One invalid field.

    Attributes:
        path: dotted/indexed path of the field, e.g. ``courses[2].dose_steps[0].unit``.
        message: what is wrong, in plain language.
        value: the offending value rendered as text (may be empty).
    """

    path: str
    message: str
    value: str = ""

    def render(self) -> str:
        """Return ``path: message (value: ...)`` for display."""
        shown = f" (value: {self.value})" if self.value else ""
        return f"{self.path}: {self.message}{shown}"


class ItpError(Exception):
    """Base of all expected errors; `message` is safe to show to a clinician."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class ValidationFailed(ItpError):
    """Input failed validation; `problems` lists every invalid field with its path."""

    def __init__(
        self,
        problems: Sequence[FieldProblem],
        *,
        context: str = "",
        detail: str = "",
    ) -> None:
        self.problems = tuple(problems)
        self.context = context
        lines = [p.render() for p in self.problems]
        head = f"{context}: " if context else ""
        if len(lines) == 1:
            message = f"{head}{lines[0]}"
        else:
            message = f"{head}{len(lines)} problems:\n" + "\n".join(f"  - {x}" for x in lines)
        super().__init__(message, detail)

    def with_context(self, context: str) -> ValidationFailed:
        """Return the same problems with a prefix (file name, record number)."""
        joined = f"{context}: {self.context}" if self.context else context
        return ValidationFailed(self.problems, context=joined, detail=self.detail)


class NotFound(ItpError):
    """A patient, course or file that was asked for does not exist."""


class RuleError(ItpError):
    """A knowledge pack is malformed or a rule cannot be evaluated."""


class ReportError(ItpError):
    """A report could not be rendered or written."""


class StorageError(ItpError):
    """The store could not complete an operation (nothing was written)."""


class EnvironmentProblem(ItpError):
    """Known environment problem (disk full, permission denied, store locked)."""


class StoreInUse(EnvironmentProblem):
    """Another program holds the store's write lock for too long."""


class ConcurrentChange(StorageError):
    """The record changed in the store since it was read (another window saved it first)."""


class IntegrityProblem(StorageError):
    """The store, a backup or the audit chain failed an integrity check."""
