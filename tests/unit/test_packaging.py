"""The department configuration example that IT copies must stay valid, and the wheel must
carry every runtime asset (knowledge pack, fonts, icons, i18n, migrations)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from itp_desktop.knowledge.loader import (
    load_default_pack,
    load_with_overrides,
    validate_pack_folder,
)
from itp_desktop.settings import department_defaults

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "packaging" / "department-config-example"


def test_department_example_is_valid() -> None:
    assert validate_pack_folder(EXAMPLE / "knowledge") == []
    pack = load_with_overrides(load_default_pack(), EXAMPLE)
    assert [meta.id for meta in pack.overrides] == ["example-haematology"]
    assert pack.thresholds.procedure_targets["dental_extraction"] == 50
    settings = department_defaults(EXAMPLE)
    assert settings.site_name == "Example University Hospital"
    assert settings.backup_keep == 14


def test_runtime_assets_are_package_data() -> None:
    resources = files("itp_desktop") / "resources"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVu-LICENSE.txt"):
        assert (resources / "fonts" / name).is_file()
    assert (resources / "icons" / "itp-desktop-256.png").is_file()
    assert (resources / "i18n" / "en.json").is_file()
    assert (resources / "knowledge" / "itp-facts" / "pack.toml").is_file()
    migrations = files("itp_desktop") / "storage" / "migrations" / "versions"
    assert any(p.name.startswith("0001") for p in migrations.iterdir())
    spec = (ROOT / "packaging" / "itp_desktop.spec").read_text(encoding="utf-8")
    assert "resources/**/*" in spec
    assert "storage/migrations/**/*" in spec
