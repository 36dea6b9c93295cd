"""Reading, merging and validating the TOML files of a knowledge pack folder.

A pack is a folder of ``*.toml`` files that together describe one `KnowledgePack`
(itp_desktop.core.models.knowledge). Files are merged: tables keyed by id (citations, rules,
agents, options, reasons, texts) merge key-wise and a key defined in two files is an error that
names both files; list tables (splenectomy_vaccines, secondary_causes) concatenate in file-name
order; ``[meta]`` and ``[thresholds]`` must come from exactly one file. Ids are injected from the
table keys (``[rules.PIT_OBS_LOW]`` gets ``id = "PIT_OBS_LOW"``), so files never repeat them.
Every problem becomes a `PackError` (a `RuleError`) whose message names the file, the key path
and what is wrong. The public entry points are in `itp_desktop.knowledge.loader`.

May import: core, stdlib (tomllib, importlib.resources), pydantic.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from itp_desktop.core.errors import RuleError
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.validation import loc_to_path

# Tables keyed by id, and the field each entry's key is injected into (None: plain values).
KEYED_TABLES: dict[str, str | None] = {
    "citations": "key",
    "rules": "id",
    "agents": "code",
    "options": "code",
    "reasons": "code",
    "texts": None,
}
# Array-of-tables sections; entries are identified by their ``code`` in messages.
LIST_TABLES: tuple[str, ...] = ("splenectomy_vaccines", "secondary_causes")
# Sections that exactly one file of the pack must define.
SINGLE_TABLES: tuple[str, ...] = ("meta", "thresholds")

# A path inside a pack as a tuple, e.g. ("rules", "PIT_OBS_LOW") or ("splenectomy_vaccines", 2).
KeyPath = tuple[str | int, ...]


class PackError(RuleError):
    """A knowledge pack is malformed; `problems` lists each problem as ``file: key: text``."""

    def __init__(self, pack: str, problems: Sequence[str]) -> None:
        self.pack = pack
        self.problems = tuple(problems)
        if len(self.problems) == 1:
            message = f"Knowledge pack {pack}: {self.problems[0]}"
        else:
            listed = "\n".join(f"  - {p}" for p in self.problems)
            message = f"Knowledge pack {pack}: {len(self.problems)} problems:\n{listed}"
        super().__init__(message)


class Origins:
    """Remembers which file defined each part of a merged pack, to name it in errors."""

    def __init__(self) -> None:
        self._by_path: dict[KeyPath, str] = {}

    def set(self, path: KeyPath, file_name: str) -> None:
        """Record that `file_name` defined the value at `path`."""
        self._by_path[path] = file_name

    def get(self, path: KeyPath) -> str | None:
        """Return the file of the longest recorded prefix of `path`, or None."""
        for end in range(len(path), 0, -1):
            found = self._by_path.get(path[:end])
            if found is not None:
                return found
        return None

    def files(self) -> list[str]:
        """All file names recorded, sorted."""
        return sorted(set(self._by_path.values()))


def read_toml_files(folder: Path | Traversable) -> tuple[list[tuple[str, dict[str, Any]]], str]:
    """Parse every ``*.toml`` file of `folder`, sorted by name.

    Returns:
        The (file name, parsed data) pairs and a label of the folder for messages.

    Raises:
        PackError: the folder is missing or empty, or a file is not valid UTF-8 TOML (the
            message names the file and, for syntax errors, the line).
    """
    label = getattr(folder, "name", str(folder)) or str(folder)
    if not folder.is_dir():
        raise PackError(label, [f"{folder}: not a folder"])
    entries = sorted(
        (item for item in folder.iterdir() if item.name.endswith(".toml") and item.is_file()),
        key=lambda item: item.name,
    )
    if not entries:
        raise PackError(label, [f"{folder}: no *.toml files in the pack folder"])
    parsed: list[tuple[str, dict[str, Any]]] = []
    problems: list[str] = []
    for entry in entries:
        try:
            text = entry.read_bytes().decode("utf-8")
            parsed.append((entry.name, tomllib.loads(text)))
        except UnicodeDecodeError as exc:
            problems.append(f"{entry.name}: not UTF-8 text ({exc.reason} at byte {exc.start})")
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"{entry.name}: TOML syntax error: {exc}")
        except OSError as exc:
            problems.append(f"{entry.name}: cannot be read: {exc.strerror or exc}")
    if problems:
        raise PackError(label, problems)
    return parsed, label


def _merge_keyed(
    table: str,
    key_field: str | None,
    file_name: str,
    value: Any,
    merged: dict[str, Any],
    origins: Origins,
) -> list[str]:
    if not isinstance(value, dict):
        return [f"{file_name}: {table}: must be a table of entries, not {type(value).__name__}"]
    target: dict[str, Any] = merged.setdefault(table, {})
    problems: list[str] = []
    for key, entry in value.items():
        where = f"{table}.{key}"
        first = origins.get((table, key)) if key in target else None
        if first is not None:
            problems.append(f"{file_name}: {where}: already defined in {first}")
            continue
        if key_field is not None:
            if not isinstance(entry, dict):
                problems.append(
                    f"{file_name}: {where}: must be a table, not {type(entry).__name__}"
                )
                continue
            given = entry.get(key_field, key)
            if given != key:
                problems.append(
                    f"{file_name}: {where}.{key_field}: is {given!r} but the table key is {key!r}"
                )
                continue
            entry = {key_field: key, **entry}
        target[key] = entry
        origins.set((table, key), file_name)
    return problems


def _merge_list(
    table: str, file_name: str, value: Any, merged: dict[str, Any], origins: Origins
) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return [f"{file_name}: {table}: must be an array of tables ([[{table}]])"]
    target: list[Any] = merged.setdefault(table, [])
    seen = {item.get("code"): index for index, item in enumerate(target)}
    problems: list[str] = []
    for item in value:
        code = item.get("code")
        if code is not None and code in seen:
            first = origins.get((table, seen[code]))
            problems.append(f"{file_name}: {table}.{code}: already defined in {first}")
            continue
        origins.set((table, len(target)), file_name)
        if isinstance(code, str):
            origins.set((table, code), file_name)
            seen[code] = len(target)
        target.append(item)
    return problems


def merge_files(
    parsed: Iterable[tuple[str, Mapping[str, Any]]],
) -> tuple[dict[str, Any], Origins, list[str]]:
    """Merge parsed pack files into one raw dict (no validation yet).

    Args:
        parsed: (file name, data) pairs. ``[meta]`` is copied as is, so a site pack's
            ``base``/``base_version`` keys reach the caller, which strips them.

    Returns:
        The merged data, where each part came from, and the problems found while merging.
    """
    merged: dict[str, Any] = {}
    origins = Origins()
    problems: list[str] = []
    for file_name, data in parsed:
        for table, value in data.items():
            if table in KEYED_TABLES:
                problems += _merge_keyed(
                    table, KEYED_TABLES[table], file_name, value, merged, origins
                )
            elif table in LIST_TABLES:
                problems += _merge_list(table, file_name, value, merged, origins)
            elif table in SINGLE_TABLES:
                first = origins.get((table,))
                if first is not None:
                    problems.append(f"{file_name}: [{table}]: already defined in {first}")
                elif not isinstance(value, dict):
                    problems.append(f"{file_name}: {table}: must be a table ([{table}])")
                else:
                    merged[table] = dict(value)
                    origins.set((table,), file_name)
            else:
                known = ", ".join([*SINGLE_TABLES, *KEYED_TABLES, *LIST_TABLES])
                problems.append(f"{file_name}: {table}: unknown table (known: {known})")
    return merged, origins, problems


def _origin_of_message_path(text: str, origins: Origins) -> str | None:
    """Find the file behind a model-validator message that starts with a dotted path."""
    head = re.match(r"^([A-Za-z_][\w-]*)(?:\.([\w@+.-]+?))?(?:[.:\s]|$)", text)
    if head is None:
        return None
    table, key = head.group(1), head.group(2)
    if key is not None:
        found = origins.get((table, key))
        if found is not None:
            return found
    return origins.get((table,))


def problems_from_validation(
    error: ValidationError, origins: Origins, *, fallback: str, prefix: KeyPath = ()
) -> list[str]:
    """Turn a pydantic error on a merged pack into ``file: key.path: problem`` lines.

    Field errors are mapped through `origins`; the pack-level cross-reference check reports
    ``table.key...: text`` items joined by ``; `` which are mapped the same way.
    """
    problems: list[str] = []
    for item in error.errors(include_url=False):
        loc: KeyPath = (*prefix, *item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing" and len(loc) >= 1:
            # A missing field belongs to the entry that lacks it.
            file_name = origins.get(loc[:-1]) or origins.get(loc) or fallback
        else:
            file_name = origins.get(loc) or fallback
        if loc:
            value = item.get("input")
            shown = ""
            if not isinstance(value, dict | list) and item["type"] != "missing":
                shown = f" (value: {value!r})"
            problems.append(f"{file_name}: {loc_to_path(loc)}: {message}{shown}")
            continue
        for part in message.split("; "):
            where = _origin_of_message_path(part, origins) or fallback
            problems.append(f"{where}: {part}")
    return problems


def _fill_defaults(merged: dict[str, Any]) -> None:
    # Rule, option and reason tables may come from files that are not written yet (other
    # owners); an absent table is empty, so a partial pack still loads.
    for table in KEYED_TABLES:
        merged.setdefault(table, {})
    for table in LIST_TABLES:
        merged.setdefault(table, [])


def build_pack(merged: dict[str, Any], origins: Origins, label: str) -> KnowledgePack:
    """Validate a merged raw pack, mapping every error back to the file that caused it.

    Raises:
        PackError: naming file, key path and problem for every invalid entry.
    """
    problems = [
        f"{label}: no file defines [{table}]" for table in SINGLE_TABLES if table not in merged
    ]
    if problems:
        raise PackError(label, problems)
    _fill_defaults(merged)
    try:
        return KnowledgePack.model_validate(merged)
    except ValidationError as exc:
        raise PackError(label, problems_from_validation(exc, origins, fallback=label)) from None
