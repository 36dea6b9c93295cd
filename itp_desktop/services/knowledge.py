"""`KnowledgeService`: the knowledge pack in use, its description, validation and golden tests.

The pack in use is the default pack shipped in the package with the department's override
pack applied (``<site_dir>/knowledge/``, or the folder given with ``--kb-dir``). It is loaded
once, on first use, so commands that never need it (``list``, ``backup``) never parse TOML.
May import: core, knowledge, stdlib.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from itp_desktop.core.codes import AgentCode, DoseUnit
from itp_desktop.core.errors import NotFound
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.knowledge import loader

if TYPE_CHECKING:
    from itp_desktop.services.golden import GoldenReport

SITE_PACK_FOLDER = "knowledge"
DEFAULT_DISCLAIMER = (
    "ITP Desktop supports, and never replaces, the judgement of the treating clinician."
)


class KnowledgeService:
    """Loads and describes the knowledge pack in use.

    Args:
        site_dir: the department configuration folder (its ``knowledge/`` subfolder holds the
            department override pack, if any).
        kb_dir: a department pack folder given on the command line; replaces the site pack.
    """

    def __init__(self, site_dir: Path | None, kb_dir: Path | None = None) -> None:
        self._site_dir = site_dir
        self._kb_dir = kb_dir
        self._pack: KnowledgePack | None = None

    @property
    def override_folder(self) -> Path | None:
        """The department pack folder applied over the default pack, or None."""
        if self._kb_dir is not None:
            # Either the pack folder itself or a site folder holding ``knowledge/``.
            nested = self._kb_dir / SITE_PACK_FOLDER
            return nested if nested.is_dir() else self._kb_dir
        if self._site_dir is None:
            return None
        folder = self._site_dir / SITE_PACK_FOLDER
        return folder if folder.is_dir() else None

    def pack(self) -> KnowledgePack:
        """The pack in use (default pack + department overrides), loaded once.

        Raises:
            NotFound: ``--kb-dir`` names a folder that does not exist.
            RuleError: the default or the department pack is malformed (names file and key).
        """
        if self._pack is None:
            base = loader.load_default_pack()
            folder = self.override_folder
            if folder is not None and not folder.is_dir():
                raise NotFound(f"Department knowledge pack folder not found: {folder}")
            self._pack = base if folder is None else loader.apply_override_folder(base, folder)
        return self._pack

    def allowed_units(self) -> Mapping[AgentCode, frozenset[DoseUnit]]:
        """Dose units each agent allows in the pack in use."""
        return self.pack().allowed_units()

    def label(self) -> str:
        """``itp-facts 0.1.0 (draft)`` plus any department packs, for status bars."""
        pack = self.pack()
        text = f"{pack.meta.id} {pack.meta.version} ({pack.meta.status})"
        for override in pack.overrides:
            text += f" + {override.id} {override.version} ({override.status})"
        return text

    def disclaimer(self) -> str:
        """The clinical-judgement disclaimer of the pack in use."""
        return self.pack().texts.get("disclaimer", DEFAULT_DISCLAIMER)

    def describe(self) -> str:
        """Text listing of the pack in use: metadata, every rule and every source."""
        return loader.describe_pack(self.pack())

    @staticmethod
    def validate_folder(folder: Path) -> list[str]:
        """Check a base pack or department override folder; an empty list means valid."""
        return loader.validate_pack_folder(folder)

    def run_golden(self, folder: Path) -> GoldenReport:
        """Run the golden patient files in `folder` against the pack in use.

        Raises:
            NotFound: the folder does not exist.
        """
        from itp_desktop.services.golden import run_golden  # only `kb test` needs it

        if not folder.is_dir():
            raise NotFound(f"Golden patient folder not found: {folder}")
        return run_golden(folder, self.pack())

    def review_due(self, today: dt.date) -> list[str]:
        """Rule ids whose review date has passed on `today` (shown by ``kb show``)."""
        return sorted(rule.ref for rule in self.pack().rules.values() if rule.review_date < today)
