"""The text catalogue: every key the code uses exists, placeholders match, none is dead."""

from __future__ import annotations

import ast
import json
import string
from importlib import resources
from pathlib import Path

import pytest

import itp_desktop.reports
from itp_desktop.core.codes import (
    ChecklistStatus,
    Frequency,
    MonitoringCode,
    ProcedureKind,
    VaccineCode,
)
from itp_desktop.core.errors import ReportError
from itp_desktop.reports import i18n
from itp_desktop.reports.i18n import Catalogue, available_languages

REPORTS_DIR = Path(itp_desktop.reports.__file__).parent

# Keys built at run time from a code: prefix → every suffix the code can produce.
DYNAMIC: dict[str, set[str]] = {
    "freq.": {f.value for f in Frequency},
    "monitoring.": {m.value for m in MonitoringCode},
    "procedure.": {p.value for p in ProcedureKind},
    "vaccine.": {v.value for v in VaccineCode},
    "status.": {s.value for s in ChecklistStatus},
    "month.": {str(n) for n in range(1, 13)},
    # Contract item codes of the splenectomy checklist, plus the pre-rituximab vaccine item.
    "vaccine_item.": {
        "pneumococcal",
        "meningococcal_acwy",
        "meningococcal_b",
        "hib",
        "vaccinations_before_rituximab",
    },
}


# Templates filled by the page canvas, not by the call that fetches them.
DEFERRED: dict[str, tuple[str, ...]] = {"page.of": ("page", "total")}


def _english() -> dict[str, str]:
    path = resources.files("itp_desktop").joinpath("resources", "i18n", "en.json")
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _calls() -> list[tuple[str, str, set[str], str]]:
    """(key or f-string prefix, kind, keyword names, where) of every ``x.t(...)`` call."""
    found = []
    for path in sorted(REPORTS_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("t", "has")
                and node.args
            ):
                continue
            first = node.args[0]
            names = {k.arg for k in node.keywords if k.arg}
            where = f"{path.name}:{node.lineno}"
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((first.value, "literal", names, where))
            elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                found.append((str(first.values[0].value), "prefix", names, where))
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_scanner_finds_the_calls():
    calls = _calls()
    assert len(calls) > 80
    assert any(kind == "prefix" for _, kind, _, _ in calls)


def test_every_key_used_exists_with_matching_placeholders():
    english = _english()
    for key, kind, names, where in _calls():
        if kind == "literal":
            assert key in english, f"{where}: catalogue key {key!r} missing from en.json"
            # A call must fill exactly the template's fields (none left as "{date}"), except
            # templates the page canvas fills later.
            expected = set() if key in DEFERRED else names
            assert _fields(english[key]) - set(DEFERRED.get(key, ())) == expected, where
        else:
            assert key in DYNAMIC, f"{where}: dynamic key family {key!r} not listed in the test"


@pytest.mark.parametrize("prefix", sorted(DYNAMIC))
def test_dynamic_key_families_are_complete(prefix):
    english = _english()
    missing = sorted(prefix + s for s in DYNAMIC[prefix] if prefix + s not in english)
    assert missing == []


def test_no_dead_keys():
    literal = {key for key, kind, _, _ in _calls() if kind == "literal"}
    dynamic = {prefix + s for prefix, suffixes in DYNAMIC.items() for s in suffixes}
    dead = sorted(set(_english()) - literal - dynamic)
    assert dead == []


def test_catalogue_formats_and_falls_back(tmp_path, monkeypatch):
    cat = Catalogue("en")
    assert cat.t("plan.by", date="1 Dec 2026") == "By 1 Dec 2026"
    assert "en" in available_languages()
    with pytest.raises(ReportError, match="no translation for 'xx'"):
        Catalogue("xx")
    # A partial translation falls back to English key by key.
    folder = tmp_path / "i18n"
    folder.mkdir()
    (folder / "en.json").write_text(json.dumps(_english()), encoding="utf-8")
    (folder / "es.json").write_text(json.dumps({"plan.by": "Antes del {date}"}), encoding="utf-8")
    monkeypatch.setattr(i18n, "_catalogue_dir", lambda: folder)
    i18n.available_languages.cache_clear()
    i18n._load.cache_clear()
    try:
        spanish = Catalogue("es")
        assert spanish.t("plan.by", date="1 dic 2026") == "Antes del 1 dic 2026"
        assert spanish.t("plan.title") == "Your ITP care plan"
        (folder / "xx.json").write_text("[1, 2]", encoding="utf-8")
        i18n.available_languages.cache_clear()
        with pytest.raises(ReportError, match="must map text keys to strings"):
            Catalogue("xx")
    finally:
        i18n.available_languages.cache_clear()
        i18n._load.cache_clear()
