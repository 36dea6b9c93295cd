"""Public entry points for knowledge packs: load, override, describe, validate.

`load_pack` reads a pack folder (every ``*.toml`` in it, merged as described in
`itp_desktop.knowledge.packfiles`) into a validated `KnowledgePack`; `load_default_pack`
loads the bundled ``itp-facts`` pack once per process; `load_with_overrides` and
`apply_override_folder` apply a department pack over a base pack; `describe_pack` and
`validate_pack_folder` back ``itp-desktop kb show`` and ``kb validate``. Every problem is a
`PackError` (a `RuleError`) whose message names the file, the key path and what is wrong.

May import: core, stdlib (tomllib, importlib.resources), pydantic, itp_desktop.knowledge.*.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.knowledge.describe import describe_pack
from itp_desktop.knowledge.overrides import (
    SITE_PACK_SUBFOLDER,
    apply_override_folder,
    is_site_pack,
)
from itp_desktop.knowledge.packfiles import PackError, build_pack, merge_files, read_toml_files

__all__ = [
    "DEFAULT_PACK_ID",
    "PackError",
    "apply_override_folder",
    "default_pack_folder",
    "describe_pack",
    "load_default_pack",
    "load_pack",
    "load_with_overrides",
    "validate_pack_folder",
]

DEFAULT_PACK_ID = "itp-facts"


def load_pack(folder: Path | Traversable) -> KnowledgePack:
    """Load and validate the knowledge pack stored in `folder` (every ``*.toml`` in it).

    Absent optional tables default to empty (``options``, ``reasons``, ``texts`` and the rule
    tables of files not written yet); ``[meta]`` and ``[thresholds]`` are required.

    Args:
        folder: the pack folder, on disk or inside the installed package.

    Returns:
        The validated pack.

    Raises:
        PackError: (a `RuleError`) naming the file, the key path and the problem.
    """
    parsed, label = read_toml_files(folder)
    merged, origins, problems = merge_files(parsed)
    if problems:
        raise PackError(label, problems)
    return build_pack(merged, origins, label)


def default_pack_folder() -> Traversable:
    """Folder of the bundled default pack ``itp-facts`` inside the installed package."""
    return files("itp_desktop") / "resources" / "knowledge" / DEFAULT_PACK_ID


@functools.cache
def load_default_pack() -> KnowledgePack:
    """Load the bundled default pack once per process (packs are immutable).

    Raises:
        PackError: the bundled pack is broken (a packaging bug; the tests guard against it).
    """
    return load_pack(default_pack_folder())


def load_with_overrides(base: KnowledgePack | None, site_dir: Path | None) -> KnowledgePack:
    """The pack in use: `base` (default: the bundled pack) with ``<site_dir>/knowledge/``.

    Args:
        base: the base pack, or None for `load_default_pack()`.
        site_dir: the department configuration folder, or None. Without a ``knowledge/``
            subfolder there is nothing to apply.

    Returns:
        The base pack itself when there is no department pack, otherwise a new pack whose
        `overrides` lists the department pack's meta.

    Raises:
        PackError: the base or the department pack is malformed or not compatible.
    """
    pack = load_default_pack() if base is None else base
    if site_dir is None:
        return pack
    folder = site_dir / SITE_PACK_SUBFOLDER
    if not folder.is_dir():
        return pack
    return apply_override_folder(pack, folder)


def validate_pack_folder(path: Path) -> list[str]:
    """Check a base pack folder or a department pack folder without using it.

    A folder whose ``[meta]`` has ``base``/``base_version`` keys is checked as a department
    pack over the bundled default pack; any other folder as a complete base pack. A site
    configuration folder (holding ``knowledge/``) is accepted too.

    Args:
        path: the folder to check.

    Returns:
        One line per problem (``file: key: problem``); an empty list means the pack is valid.
    """
    folder = path / SITE_PACK_SUBFOLDER if (path / SITE_PACK_SUBFOLDER).is_dir() else path
    try:
        parsed, _ = read_toml_files(folder)
        if is_site_pack(parsed):
            apply_override_folder(load_default_pack(), folder)
        else:
            load_pack(folder)
    except PackError as exc:
        return list(exc.problems)
    return []
