"""The layering rules hold: import-linter's contracts, plus two independent import checks.

1. ``lint-imports`` (contracts in pyproject.toml) passes.
2. Every module outside ``gui`` and ``app`` imports with PySide6 blocked, in a fresh interpreter:
   "nothing below gui imports Qt" holds at run time too, not only in the static graph.
3. Importing every ``gui`` module loads no store, engine, knowledge loader, reports, interop or
   demo module and no SQLAlchemy: the GUI goes through the services' protocols only.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Modules that run code on import: the entry point and Alembic's environment script.
NOT_IMPORTABLE = {"itp_desktop.__main__", "itp_desktop.storage.migrations.env"}
QT_ALLOWED = ("itp_desktop.gui", "itp_desktop.app")


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "itp_desktop").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return [name for name in names if name not in NOT_IMPORTABLE]


def test_import_linter_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_module_below_gui_imports_with_pyside6_blocked() -> None:
    modules = [m for m in _modules() if not m.startswith(QT_ALLOWED)]
    assert "itp_desktop.services.container" in modules
    assert "itp_desktop.cli" in modules
    result = _python(
        f"""
        import importlib, importlib.abc, json, sys

        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6"):
                    raise ImportError("blocked for the layering test: " + name)
                return None

        sys.meta_path.insert(0, Block())
        failed = {{}}
        for name in {json.dumps(modules)}:
            try:
                importlib.import_module(name)
            except Exception as exc:
                failed[name] = repr(exc)
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
        print(json.dumps({{"failed": failed, "qt": loaded}}))
        """
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"failed": {}, "qt": []}


def test_gui_modules_load_no_storage_engine_or_knowledge() -> None:
    pytest.importorskip("PySide6.QtWidgets")
    gui_modules = [m for m in _modules() if m.startswith("itp_desktop.gui")]
    assert "itp_desktop.gui.main_window" in gui_modules
    result = _python(
        f"""
        import importlib, json, sys
        for name in {json.dumps(gui_modules)}:
            importlib.import_module(name)
        forbidden = ("itp_desktop.storage", "itp_desktop.engine", "itp_desktop.knowledge",
                     "itp_desktop.reports", "itp_desktop.interop", "itp_desktop.demo",
                     "sqlalchemy", "alembic", "reportlab")
        print(json.dumps(sorted(m for m in sys.modules if m.startswith(forbidden))))
        """
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
