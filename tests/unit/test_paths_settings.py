"""AppPaths (platformdirs or one base folder) and Settings (typed, versioned, upgradable)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from itp_desktop import settings as settings_module
from itp_desktop.core.errors import ValidationFailed
from itp_desktop.paths import ENV_DATA_DIR, ENV_SITE_DIR, AppPaths
from itp_desktop.settings import Settings, load_settings, save_settings, upgrade


def test_from_base_puts_every_folder_under_the_base(tmp_path: Path) -> None:
    paths = AppPaths.from_base(tmp_path / "b")
    assert paths.store_path == tmp_path / "b" / "itp-desktop.sqlite3"
    assert paths.settings_path == tmp_path / "b" / "config" / "settings.json"
    for folder in (paths.backup_dir, paths.log_dir, paths.cache_dir, paths.site_dir):
        assert folder.parent == tmp_path / "b"


def test_default_honours_the_environment(tmp_path: Path) -> None:
    env = {ENV_DATA_DIR: str(tmp_path / "d"), ENV_SITE_DIR: str(tmp_path / "site")}
    paths = AppPaths.default(env=env)
    assert paths.data_dir == (tmp_path / "d").resolve()
    assert paths.site_dir == tmp_path / "site"


def test_default_without_environment_uses_platform_folders() -> None:
    paths = AppPaths.default(env={})
    assert "itp-desktop" in str(paths.data_dir)
    assert paths.backup_dir == paths.data_dir / "backups"


def test_ensure_creates_owner_only_folders(tmp_path: Path) -> None:
    paths = AppPaths.from_base(tmp_path / "e")
    paths.ensure()
    assert paths.data_dir.is_dir()
    assert paths.log_dir.is_dir()
    assert not paths.site_dir.exists()  # the site folder belongs to hospital IT
    if os.name == "posix":
        assert paths.data_dir.stat().st_mode & 0o777 == 0o700


def test_missing_settings_file_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.json") == Settings()


def test_save_then_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "settings.json"
    wanted = Settings(site_name="St Mary's", backup_keep=30, paper_size="letter")
    save_settings(path, wanted)
    assert load_settings(path) == wanted
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temp file left


@pytest.mark.parametrize(
    ("content", "path"),
    [
        ({"backup_keep": 0}, "backup_keep"),
        ({"paper_size": "a3"}, "paper_size"),
        ({"bakup_keep": 3}, "bakup_keep"),
    ],
)
def test_invalid_settings_name_the_file_and_field(
    tmp_path: Path, content: dict[str, Any], path: str
) -> None:
    file = tmp_path / "settings.json"
    file.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        load_settings(file)
    assert [p.path for p in exc.value.problems] == [path]
    assert str(file) in exc.value.message


@pytest.mark.parametrize("content", ["{broken", "[1, 2]"])
def test_unreadable_settings_are_refused(tmp_path: Path, content: str) -> None:
    file = tmp_path / "settings.json"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationFailed, match=str(file)):
        load_settings(file)


def test_upgrade_functions_run_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulate a future layout: v1 renamed "large_font" → v2 "font_scale" → v3 dropped it.
    def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
        data["font_scale"] = 1.25 if data.pop("large_font", False) else 1.0
        return data

    def v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
        data["large_font"] = data.pop("font_scale") > 1.0
        return data

    monkeypatch.setattr(settings_module, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(settings_module, "_UPGRADES", {1: v1_to_v2, 2: v2_to_v3})
    assert upgrade({"schema_version": 1, "large_font": True}) == {
        "schema_version": 3,
        "large_font": True,
    }
    assert upgrade({"large_font": False}) == {"schema_version": 3, "large_font": False}


def test_current_settings_need_no_upgrade() -> None:
    data = Settings().model_dump()
    assert upgrade(dict(data)) == data
