"""KnowledgeService: the pack in use is the default pack plus the department override."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from itp_desktop.core.errors import NotFound, RuleError
from itp_desktop.knowledge.loader import load_default_pack
from itp_desktop.services.knowledge import KnowledgeService

SITE = """\
[meta]
id = "st-mary-haematology"
version = "1.2.0"
title = "St Mary's haematology adaptations"
status = "approved"
approval_date = 2026-10-15
approved_by = "Dr A. Example"
base = "itp-facts"
base_version = "0.1.0"

[thresholds]
untreated_platelets_below = 15
"""


def site_folder(root: Path, text: str = SITE) -> Path:
    folder = root / "knowledge"
    folder.mkdir(parents=True)
    (folder / "site.toml").write_text(text, encoding="utf-8")
    return root


def test_without_a_site_pack_the_default_pack_is_used(tmp_path: Path) -> None:
    service = KnowledgeService(tmp_path / "no-site")
    assert service.override_folder is None
    assert service.pack() is load_default_pack()
    meta = load_default_pack().meta
    assert service.label() == f"{meta.id} {meta.version} ({meta.status})"
    assert service.disclaimer()


def test_site_dir_override_is_applied_and_named(tmp_path: Path) -> None:
    service = KnowledgeService(site_folder(tmp_path / "site"))
    assert service.pack().thresholds.untreated_platelets_below == 15
    assert service.label().endswith("+ st-mary-haematology 1.2.0 (approved)")
    assert service.pack() is service.pack()  # loaded once


@pytest.mark.parametrize("nested", [True, False])
def test_kb_dir_accepts_the_pack_folder_or_a_site_folder(tmp_path: Path, nested: bool) -> None:
    site = site_folder(tmp_path / "dept")
    kb_dir = site if nested else site / "knowledge"
    service = KnowledgeService(tmp_path / "ignored", kb_dir)
    assert service.override_folder == site / "knowledge"
    assert service.pack().overrides[0].id == "st-mary-haematology"


def test_missing_kb_dir_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="not found"):
        KnowledgeService(None, tmp_path / "missing").pack()


def test_broken_site_pack_names_file_and_key(tmp_path: Path) -> None:
    broken = site_folder(tmp_path / "site", SITE + "\n[options.prednisone]\nlabel = 'x'\n")
    with pytest.raises(RuleError, match=r"site\.toml") as exc:
        KnowledgeService(broken).pack()
    assert "options" in exc.value.message


def test_describe_and_validate(tmp_path: Path) -> None:
    service = KnowledgeService(None)
    text = service.describe()
    assert load_default_pack().meta.id in text
    assert all(rule_id in text for rule_id in list(load_default_pack().rules)[:5])
    assert service.validate_folder(site_folder(tmp_path / "ok")) == []
    problems = service.validate_folder(site_folder(tmp_path / "bad", SITE.replace("0.1.0", "9")))
    assert problems


def test_run_golden_needs_an_existing_folder(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="Golden patient folder not found"):
        KnowledgeService(None).run_golden(tmp_path / "none")


def test_review_due_lists_rules_past_their_review_date() -> None:
    service = KnowledgeService(None)
    rules = load_default_pack().rules.values()
    latest = max(rule.review_date for rule in rules)
    assert service.review_due(latest) == sorted(r.ref for r in rules if r.review_date < latest)
    assert len(service.review_due(latest + dt.timedelta(days=1))) == len(list(rules))
