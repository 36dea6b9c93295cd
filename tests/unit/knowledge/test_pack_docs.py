"""`describe_pack` (kb show) and the generated docs/RULES.md."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from itp_desktop.knowledge import docs
from itp_desktop.knowledge.describe import describe_adequacy
from itp_desktop.knowledge.loader import describe_pack, load_default_pack, load_with_overrides

REPO = Path(__file__).resolve().parents[3]


def test_describe_lists_every_rule_and_source() -> None:
    pack = load_default_pack()
    text = describe_pack(pack)
    assert text.startswith("Knowledge pack itp-facts 0.1.0 (draft, not approved)\n")
    for rule in pack.rules.values():
        assert f"    {rule.ref}  {rule.verification}  {rule.title}\n" in text
    for key, citation in pack.citations.items():
        assert f"  {key}: {citation.reference}" in text
    # Families come in reading order.
    assert text.index("[definition]") < text.index("[adequacy]") < text.index("[monitoring]")


def test_describe_names_department_overrides(
    site_pack: Callable[..., Path], site_meta: str
) -> None:
    site = site_pack(site=site_meta + "[thresholds]\nchild_age_years = 16\n")
    text = describe_pack(load_with_overrides(None, site))
    assert (
        "  Department override: st-mary-haematology 1.2.0 (approved, approved 2026-10-15 by "
        "Dr A. Example) — St Mary's haematology adaptations\n"
    ) in text


def test_adequacy_in_words() -> None:
    agents = load_default_pack().agents
    romi, rtx = agents["romiplostim"].adequacy, agents["rituximab"].adequacy
    assert romi is not None
    assert rtx is not None
    assert describe_adequacy(romi) == (
        "≥ 28 days at ≥ 10 mcg/kg per administration; lower dose → max_dose_not_reached; "
        "too short → duration_too_short"
    )
    assert describe_adequacy(rtx) == (
        "one of 4 × 375 mg/m2 (±10%) or 2 × 1000 mg (±10%) given; fewer administrations → "
        "incomplete_course; low dose 4 × 100 mg → dose_below_standard"
    )


def test_rules_markdown_covers_the_pack() -> None:
    pack = load_default_pack()
    text = docs.render_rules_markdown(pack)
    assert text == docs.render_rules_markdown(pack)
    for rule in pack.rules.values():
        assert f"### {rule.ref} — {rule.title}\n" in text
    for agent in pack.agents.values():
        assert f"(`{agent.code}`) — {pack.rules[agent.rule].ref}\n" in text
    for key in pack.citations:
        assert f"- `{key}` — " in text
    assert "| `dental_extraction` | ≥ 30 |" in text
    assert "| B0 | ≥ 50 |" in text


def test_module_prints_the_markdown(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    docs.main()
    printed = capsysbinary.readouterr().out.decode("utf-8")
    assert printed == docs.render_rules_markdown(load_default_pack())


def test_rules_md_is_in_sync() -> None:
    committed = (REPO / "docs" / "RULES.md").read_text(encoding="utf-8")
    rendered = docs.render_rules_markdown(load_default_pack())
    assert committed == rendered, (
        "docs/RULES.md is out of date with the knowledge pack; regenerate it with "
        f"`.venv/bin/{docs.REGENERATE}` and commit the result"
    )


def test_documented_site_pack_example_is_valid(tmp_path: Path) -> None:
    guide = (REPO / "docs" / "KNOWLEDGE_PACKS.md").read_text(encoding="utf-8")
    section = guide[guide.index("### Complete example") :]
    example = section[section.index("```toml\n") + len("```toml\n") : section.index("\n```\n")]
    folder = tmp_path / "site" / "knowledge"
    folder.mkdir(parents=True)
    (folder / "st-mary.toml").write_text(example + "\n", encoding="utf-8")
    pack = load_with_overrides(None, tmp_path / "site")
    assert [m.id for m in pack.overrides] == ["st-mary-haematology"]
    assert pack.thresholds.untreated_platelets_below == 15
    assert pack.agents["rituximab"].evaluation_period_days == 112
