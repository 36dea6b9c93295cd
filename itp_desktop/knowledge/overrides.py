"""Department (site) override packs applied over a base knowledge pack.

A site pack is a folder (normally ``<site_dir>/knowledge/``) of ``*.toml`` files with its own
``[meta]`` (id, version, title, status, approval_date, ...) plus the compatibility keys
``base`` and ``base_version`` naming the base pack it was reviewed against. It may change only
what a department legitimately adapts — thresholds, evaluation periods, monitoring intervals,
patient instructions, cautions, rule wording and review dates, texts and vaccine schedule
texts — never rule logic, sources or verification marks. Anything else is refused with a
`PackError` naming the file and the key. The result keeps the base pack's meta and lists the
site `PackMeta` in `KnowledgePack.overrides`, so every assessment names both.

May import: core, stdlib, pydantic, itp_desktop.knowledge.packfiles.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from itp_desktop.core.codes import AgentCode
from itp_desktop.core.models.knowledge import KnowledgePack, PackMeta, Thresholds
from itp_desktop.knowledge.packfiles import (
    Origins,
    PackError,
    problems_from_validation,
    read_toml_files,
)

SITE_PACK_SUBFOLDER = "knowledge"
# What a site pack may override, per table (documented in docs/KNOWLEDGE_PACKS.md).
AGENT_KEYS = frozenset({"evaluation_period_days", "patient_instructions", "cautions", "monitoring"})
MONITORING_KEYS = frozenset({"code", "when", "interval_days", "duration_days"})
RULE_KEYS = frozenset({"message", "fires_when", "title", "review_date"})
VACCINE_KEYS = frozenset({"code", "schedule"})
COMPAT_KEYS = ("base", "base_version")
SITE_TABLES = ("meta", "thresholds", "agents", "rules", "texts", "splenectomy_vaccines")


def is_site_pack(parsed: list[tuple[str, dict[str, Any]]]) -> bool:
    """True when the parsed files' ``[meta]`` carries a ``base`` key (a site override pack)."""
    return any(isinstance(data.get("meta"), dict) and "base" in data["meta"] for _, data in parsed)


class _SiteMerge:
    """Collects the overrides of every file of a site pack, with their origins and problems."""

    def __init__(self, base: KnowledgePack) -> None:
        self.base = base
        self.origins = Origins()
        self._claimed: dict[tuple[str, ...], str] = {}
        self.problems: list[str] = []
        self.meta: dict[str, Any] | None = None
        self.thresholds: dict[str, Any] = {}
        self.agents: dict[str, dict[str, Any]] = {}
        self.rules: dict[str, dict[str, Any]] = {}
        self.texts: dict[str, str] = {}
        self.vaccines: dict[str, str] = {}

    def _claim(self, path: tuple[str, ...], file_name: str) -> bool:
        """Record that `file_name` sets `path`; refuse a second file setting the same key."""
        first = self._claimed.get(path)
        if first is not None:
            where = ".".join(path)
            self.problems.append(f"{file_name}: {where}: already overridden in {first}")
            return False
        self._claimed[path] = file_name
        self.origins.set(path, file_name)
        return True

    def add_file(self, file_name: str, data: dict[str, Any]) -> None:
        """Check and collect the overrides of one parsed file."""
        for table, value in data.items():
            handler = {
                "meta": self._meta,
                "thresholds": self._thresholds,
                "agents": self._agents,
                "rules": self._rules,
                "texts": self._texts,
                "splenectomy_vaccines": self._vaccines,
            }.get(table)
            if handler is None:
                allowed = ", ".join(SITE_TABLES)
                self.problems.append(
                    f"{file_name}: {table}: not overridable in a department pack "
                    f"(allowed tables: {allowed})"
                )
                continue
            handler(file_name, value)

    def _meta(self, file_name: str, value: Any) -> None:
        if not isinstance(value, dict):
            self.problems.append(f"{file_name}: meta: must be a table ([meta])")
        elif self.meta is not None:
            self.problems.append(
                f"{file_name}: [meta]: already defined in {self.origins.get(('meta',))}"
            )
        else:
            self.meta = dict(value)
            self.origins.set(("meta",), file_name)

    def _thresholds(self, file_name: str, value: Any) -> None:
        if not isinstance(value, dict):
            self.problems.append(f"{file_name}: thresholds: must be a table ([thresholds])")
            return
        for key, item in value.items():
            if key not in Thresholds.model_fields:
                self.problems.append(f"{file_name}: thresholds.{key}: unknown threshold")
            elif key == "procedure_targets" and isinstance(item, dict):
                targets = self.thresholds.setdefault(key, {})
                for kind, target in item.items():
                    if self._claim(("thresholds", key, kind), file_name):
                        targets[kind] = target
            elif self._claim(("thresholds", key), file_name):
                self.thresholds[key] = item

    def _agents(self, file_name: str, value: Any) -> None:
        if not isinstance(value, dict):
            self.problems.append(f"{file_name}: agents: must be a table of agents")
            return
        for code, entry in value.items():
            where = f"{file_name}: agents.{code}"
            if code not in self.base.agents:
                self.problems.append(f"{where}: unknown agent (not in base pack)")
                continue
            if not isinstance(entry, dict):
                self.problems.append(f"{where}: must be a table")
                continue
            refused = sorted(set(entry) - AGENT_KEYS)
            if refused:
                allowed = ", ".join(sorted(AGENT_KEYS))
                self.problems += [
                    f"{where}.{key}: not overridable (agents allow: {allowed})" for key in refused
                ]
                continue
            if "monitoring" in entry and not self._monitoring_ok(where, code, entry["monitoring"]):
                continue
            if self._claim(("agents", code), file_name):
                self.agents[code] = dict(entry)

    def _monitoring_ok(self, where: str, code: str, items: Any) -> bool:
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.problems.append(f"{where}.monitoring: must be an array of tables")
            return False
        known = {(m.code.value, m.when) for m in self.base.agents[AgentCode(code)].monitoring}
        ok = True
        for index, item in enumerate(items):
            refused = sorted(set(item) - MONITORING_KEYS)
            if refused:
                self.problems += [
                    f"{where}.monitoring[{index}].{key}: not overridable "
                    "(monitoring entries allow interval_days and duration_days, "
                    "selected by code and when)"
                    for key in refused
                ]
                ok = False
            elif (item.get("code"), item.get("when")) not in known:
                self.problems.append(
                    f"{where}.monitoring[{index}]: no base monitoring entry with "
                    f"code={item.get('code')!r} and when={item.get('when')!r}"
                )
                ok = False
        return ok

    def _rules(self, file_name: str, value: Any) -> None:
        if not isinstance(value, dict):
            self.problems.append(f"{file_name}: rules: must be a table of rules")
            return
        for rule_id, entry in value.items():
            where = f"{file_name}: rules.{rule_id}"
            if rule_id not in self.base.rules:
                self.problems.append(f"{where}: unknown rule (not in base pack)")
                continue
            if not isinstance(entry, dict):
                self.problems.append(f"{where}: must be a table")
                continue
            refused = sorted(set(entry) - RULE_KEYS)
            if refused:
                allowed = ", ".join(sorted(RULE_KEYS))
                self.problems += [
                    f"{where}.{key}: not overridable (rules allow: {allowed}; logic, sources "
                    "and verification marks come from the base pack)"
                    for key in refused
                ]
                continue
            if self._claim(("rules", rule_id), file_name):
                self.rules[rule_id] = dict(entry)

    def _texts(self, file_name: str, value: Any) -> None:
        if not isinstance(value, dict):
            self.problems.append(f"{file_name}: texts: must be a table ([texts])")
            return
        for key, text in value.items():
            if self._claim(("texts", key), file_name):
                self.texts[key] = text

    def _vaccines(self, file_name: str, value: Any) -> None:
        if not isinstance(value, list) or not all(isinstance(i, dict) for i in value):
            self.problems.append(
                f"{file_name}: splenectomy_vaccines: must be an array of tables "
                "([[splenectomy_vaccines]])"
            )
            return
        known = {item.code for item in self.base.splenectomy_vaccines}
        for index, item in enumerate(value):
            where = f"{file_name}: splenectomy_vaccines[{index}]"
            refused = sorted(set(item) - VACCINE_KEYS)
            code = item.get("code")
            if refused:
                self.problems += [
                    f"{where}.{key}: not overridable (only schedule, selected by code)"
                    for key in refused
                ]
            elif code not in known or "schedule" not in item:
                self.problems.append(
                    f"{where}: needs code (one of {', '.join(sorted(known))}) and schedule"
                )
            elif self._claim(("splenectomy_vaccines", str(code)), file_name):
                self.vaccines[str(code)] = item["schedule"]


def _site_meta(merge: _SiteMerge, label: str) -> PackMeta:
    base_meta = merge.base.meta
    if merge.meta is None:
        raise PackError(label, [f"{label}: no file defines [meta]"])
    file_name = merge.origins.get(("meta",)) or label
    raw = dict(merge.meta)
    compat = {key: raw.pop(key, None) for key in COMPAT_KEYS}
    missing = [key for key, value in compat.items() if value is None]
    if missing:
        raise PackError(
            label,
            [
                f"{file_name}: meta.{key}: missing (a department pack names the base pack "
                f'it was reviewed against, e.g. base = "{base_meta.id}", '
                f'base_version = "{base_meta.version}")'
                for key in missing
            ],
        )
    if compat["base"] != base_meta.id or compat["base_version"] != base_meta.version:
        raise PackError(
            label,
            [
                f"{file_name}: meta.base: this department pack was written for "
                f"{compat['base']} {compat['base_version']}, but the base pack in use is "
                f"{base_meta.id} {base_meta.version}; review the overrides against the new "
                "base pack and update base/base_version"
            ],
        )
    try:
        return PackMeta.model_validate(raw)
    except ValidationError as exc:
        origins = Origins()
        origins.set(("meta",), file_name)
        raise PackError(
            label, problems_from_validation(exc, origins, fallback=file_name, prefix=("meta",))
        ) from None


def _apply(merge: _SiteMerge) -> dict[str, Any]:
    raw = merge.base.model_dump()
    thresholds = raw["thresholds"]
    for key, value in merge.thresholds.items():
        if key == "procedure_targets":
            thresholds[key] = {**thresholds[key], **value}
        else:
            thresholds[key] = value
    for code, entry in merge.agents.items():
        agent = raw["agents"][code]
        for key, value in entry.items():
            if key != "monitoring":
                agent[key] = value
                continue
            for change in value:
                for item in agent["monitoring"]:
                    if (item["code"], item["when"]) == (change["code"], change["when"]):
                        item.update({k: v for k, v in change.items() if k not in ("code", "when")})
    for rule_id, entry in merge.rules.items():
        raw["rules"][rule_id].update(entry)
    raw["texts"].update(merge.texts)
    for item in raw["splenectomy_vaccines"]:
        if item["code"] in merge.vaccines:
            item["schedule"] = merge.vaccines[item["code"]]
    return raw


def apply_override_folder(base: KnowledgePack, folder: Path | Traversable) -> KnowledgePack:
    """Apply the department pack stored in `folder` over `base`.

    Args:
        base: the validated base pack.
        folder: the site pack folder itself (``*.toml`` files with ``[meta]`` base keys).

    Returns:
        A new pack: base meta, the site `PackMeta` appended to `overrides`, values replaced.

    Raises:
        PackError: a file is malformed, overrides something not overridable (named
            "not overridable"), targets another base pack or version, or the result is invalid.
    """
    parsed, label = read_toml_files(folder)
    merge = _SiteMerge(base)
    for file_name, data in parsed:
        merge.add_file(file_name, data)
    if merge.problems:
        raise PackError(label, merge.problems)
    site_meta = _site_meta(merge, label)
    raw = _apply(merge)
    raw["overrides"] = [*raw["overrides"], site_meta.model_dump()]
    try:
        return KnowledgePack.model_validate(raw)
    except ValidationError as exc:
        problems = problems_from_validation(exc, merge.origins, fallback=label)
        raise PackError(label, problems) from None
