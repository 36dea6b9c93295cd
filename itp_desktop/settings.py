"""User settings: one typed, versioned model stored as JSON in the config folder.

`Settings.schema_version` is bumped when the layout changes; `_UPGRADES` holds ordered upgrade
functions keyed by the version they upgrade from. Window geometry is not here (Qt keeps it in
`gui/window_state.py`). May import: core, pydantic, stdlib.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from itp_desktop.core.errors import FieldProblem, ValidationFailed
from itp_desktop.core.validation import problems_from_pydantic

SCHEMA_VERSION = 1


class Settings(BaseModel):
    """Everything a user or department can set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = SCHEMA_VERSION
    site_name: str = Field(default="", max_length=120, description="Shown on printed plans")
    department: str = Field(default="", max_length=120, description="Department or service")
    clinic_phone: str = Field(default="", max_length=60)
    platelet_display_unit: Literal["10^9/L", "10^3/uL", "/uL"] = "10^9/L"
    paper_size: Literal["a4", "letter"] = "a4"
    backup_dir: str | None = Field(default=None, description="Overrides the default folder")
    backup_keep: int = Field(default=14, ge=1, le=365)
    large_font: bool = False
    recent_patients: list[str] = Field(default_factory=list, max_length=20)


_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Apply upgrade functions in order until the data is at `SCHEMA_VERSION`."""
    version = int(data.get("schema_version", 1))
    while version < SCHEMA_VERSION:
        data = _UPGRADES[version](data)
        version += 1
        data["schema_version"] = version
    return data


def load_settings(path: Path, defaults: Settings | None = None) -> Settings:
    """Read settings from `path`; a missing file gives `defaults` (or built-in defaults).

    Raises:
        ValidationFailed: the file exists but is not valid settings JSON.
    """
    base = defaults or Settings()
    if not path.exists():
        return base
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        problem = FieldProblem("(file)", f"not readable settings JSON ({exc})")
        raise ValidationFailed([problem], context=str(path)) from None
    if not isinstance(raw, dict):
        problem = FieldProblem("(file)", "settings must be a JSON object")
        raise ValidationFailed([problem], context=str(path))
    merged = {**base.model_dump(), **upgrade(raw)}
    try:
        return Settings.model_validate(merged)
    except ValidationError as exc:
        raise ValidationFailed(problems_from_pydantic(exc), context=str(path)) from None


DEPARTMENT_FILE = "department.json"
"""Department defaults in the site configuration folder, installed by hospital IT."""

DEPARTMENT_KEYS = frozenset(
    {
        "site_name",
        "department",
        "clinic_phone",
        "platelet_display_unit",
        "paper_size",
        "backup_keep",
    }
)


def department_defaults(site_dir: Path) -> Settings:
    """Settings defaults from ``<site_dir>/department.json`` (built-in defaults without it).

    The department file may set only `DEPARTMENT_KEYS`; a user's own settings file still wins.

    Raises:
        ValidationFailed: the file exists but is malformed (names the file and the key).
    """
    path = site_dir / DEPARTMENT_FILE
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        problem = FieldProblem("(file)", f"not readable department settings JSON ({exc})")
        raise ValidationFailed([problem], context=str(path)) from None
    if not isinstance(raw, dict):
        problem = FieldProblem("(file)", "department settings must be a JSON object")
        raise ValidationFailed([problem], context=str(path))
    unknown = sorted(set(raw) - DEPARTMENT_KEYS)
    if unknown:
        problems = [FieldProblem(key, "not a department setting") for key in unknown]
        raise ValidationFailed(problems, context=str(path))
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        raise ValidationFailed(problems_from_pydantic(exc), context=str(path)) from None


def load_user_settings(paths_settings: Path, site_dir: Path) -> Settings:
    """The settings in force: department defaults overlaid by the user's own settings file."""
    return load_settings(paths_settings, department_defaults(site_dir))


def save_settings(path: Path, settings: Settings) -> None:
    """Write settings atomically (temporary file, then replace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = settings.model_dump_json(indent=2)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
