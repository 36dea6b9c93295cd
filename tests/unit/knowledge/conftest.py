"""Fixtures for knowledge-pack tests: writable copies of the bundled pack and site packs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from itp_desktop.knowledge.loader import default_pack_folder

# The files the knowledge engineer owns; the pack must load with only these.
CORE_FILES = (
    "pack.toml",
    "citations.toml",
    "agents.toml",
    "rules-core.toml",
    "checklists.toml",
    "thresholds.toml",
    "texts.toml",
)

SITE_META = """\
[meta]
id = "st-mary-haematology"
version = "1.2.0"
title = "St Mary's haematology adaptations"
status = "approved"
approval_date = 2026-10-15
approved_by = "Dr A. Example"
base = "itp-facts"
base_version = "0.1.0"
"""


def copy_pack(target: Path, names: tuple[str, ...] | None = None) -> Path:
    """Copy the bundled pack's TOML files (all, or `names`) into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in default_pack_folder().iterdir():
        if entry.name.endswith(".toml") and (names is None or entry.name in names):
            (target / entry.name).write_bytes(entry.read_bytes())
    return target


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """A writable copy of the whole bundled pack."""
    return copy_pack(tmp_path / "pack")


@pytest.fixture
def core_pack_dir(tmp_path: Path) -> Path:
    """A writable copy of only the knowledge engineer's files (no findings/options files)."""
    return copy_pack(tmp_path / "core", CORE_FILES)


@pytest.fixture
def site_meta() -> str:
    """A valid ``[meta]`` table of a department pack over itp-facts 0.1.0."""
    return SITE_META


@pytest.fixture
def site_pack(tmp_path: Path) -> Callable[..., Path]:
    """Write a site folder whose knowledge/ holds the given files; returns the site folder."""

    def make(**files: str) -> Path:
        site = tmp_path / "site"
        folder = site / "knowledge"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / f"{name}.toml").write_text(text, encoding="utf-8")
        return site

    return make
