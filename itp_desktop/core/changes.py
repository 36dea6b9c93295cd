"""`ChangeSet`: what a mutating service changed, so the GUI knows what to refresh."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ChangeSet(BaseModel):
    """Which records a service call changed.

    Attributes:
        patients: ids of patients whose record changed (any part of it).
        created: ids of patients created by the call.
        removed: ids of patients archived or deleted by the call.
        settings: True when settings changed.
        suppressions: True when finding suppressions changed.
    """

    model_config = ConfigDict(frozen=True)

    patients: frozenset[str] = Field(default_factory=frozenset)
    created: frozenset[str] = Field(default_factory=frozenset)
    removed: frozenset[str] = Field(default_factory=frozenset)
    settings: bool = False
    suppressions: bool = False

    def merge(self, other: ChangeSet) -> ChangeSet:
        """Union of two change sets."""
        return ChangeSet(
            patients=self.patients | other.patients,
            created=self.created | other.created,
            removed=self.removed | other.removed,
            settings=self.settings or other.settings,
            suppressions=self.suppressions or other.suppressions,
        )

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (
            self.patients or self.created or self.removed or self.settings or self.suppressions
        )
