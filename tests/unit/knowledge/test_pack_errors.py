"""Broken packs are refused with a message naming the file, the key path and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from itp_desktop.core.errors import RuleError
from itp_desktop.knowledge.loader import PackError, load_pack, validate_pack_folder

RULE = """\
[rules.ZZ_TEST_RULE]
version = "1.0.0"
title = "Test rule"
family = "finding"
citations = ["IWG2009"]
verification = "V"
review_date = 2026-11-01
fires_when = "Never; test only."
"""


def _refused(folder: Path) -> PackError:
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    return caught.value


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_valid_copy_loads_and_validates(pack_dir: Path) -> None:
    assert load_pack(pack_dir).meta.id == "itp-facts"
    assert validate_pack_folder(pack_dir) == []


def test_toml_syntax_error_names_file_and_line(pack_dir: Path) -> None:
    path = pack_dir / "rules-core.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n[rules.BROKEN\n", encoding="utf-8")
    error = _refused(pack_dir)
    assert isinstance(error, RuleError)
    assert "rules-core.toml: TOML syntax error" in error.message
    assert "line" in error.message


def test_not_utf8_is_refused(pack_dir: Path) -> None:
    (pack_dir / "texts.toml").write_bytes(b'[texts]\nx = "caf\xe9"\n')
    assert "texts.toml: not UTF-8 text" in _refused(pack_dir).message


def test_unknown_citation_names_file_and_key(pack_dir: Path) -> None:
    _write(pack_dir, "extra.toml", RULE.replace('["IWG2009"]', '["IWG2009", "Nope2020"]'))
    error = _refused(pack_dir)
    assert error.problems == (
        "extra.toml: rules.ZZ_TEST_RULE.citations: unknown citation key 'Nope2020'",
    )


def test_unknown_citation_in_agent_names_agents_file(pack_dir: Path) -> None:
    path = pack_dir / "agents.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('citations = ["LBL-Wayrilz", "LUNA3"]', 'citations = ["LUNA9"]'),
        encoding="utf-8",
    )
    (problem,) = _refused(pack_dir).problems
    assert problem.startswith("agents.toml: agents.rilzabrutinib.citations")
    assert "LUNA9" in problem


def test_duplicate_key_across_files_names_both_files(pack_dir: Path) -> None:
    _write(pack_dir, "extra.toml", RULE.replace("ZZ_TEST_RULE", "DEF_PHASE"))
    (problem,) = _refused(pack_dir).problems
    assert problem == "rules-core.toml: rules.DEF_PHASE: already defined in extra.toml"


def test_duplicate_list_item_across_files(pack_dir: Path) -> None:
    _write(
        pack_dir,
        "extra.toml",
        '[[secondary_causes]]\ncode = "hiv"\nlabel = "HIV again"\ntests = ["hiv"]\n'
        'rule = "SEC_HIV"\n',
    )
    (problem,) = _refused(pack_dir).problems
    assert "secondary_causes.hiv: already defined in" in problem
    assert "checklists.toml" in problem


def test_missing_meta(pack_dir: Path) -> None:
    (pack_dir / "pack.toml").unlink()
    error = _refused(pack_dir)
    assert error.problems == ("pack: no file defines [meta]",)
    assert "Knowledge pack pack" in error.message


def test_meta_defined_twice(pack_dir: Path) -> None:
    _write(
        pack_dir, "zz.toml", '[meta]\nid = "x"\nversion = "1.0.0"\ntitle = "x"\nstatus = "draft"\n'
    )
    assert _refused(pack_dir).problems == ("zz.toml: [meta]: already defined in pack.toml",)


def test_wrong_type_names_file_key_and_value(pack_dir: Path) -> None:
    path = pack_dir / "thresholds.toml"
    text = path.read_text(encoding="utf-8").replace(
        "procedure_window_days = 14", 'procedure_window_days = "two weeks"'
    )
    path.write_text(text, encoding="utf-8")
    (problem,) = _refused(pack_dir).problems
    assert problem.startswith("thresholds.toml: thresholds.procedure_window_days: ")
    assert "'two weeks'" in problem


def test_wrong_type_inside_agent(pack_dir: Path) -> None:
    path = pack_dir / "agents.toml"
    text = path.read_text(encoding="utf-8")
    broken = text.replace('allowed_units = ["mg", "mg/kg", "g"]', 'allowed_units = ["mg", "kg"]')
    path.write_text(broken, encoding="utf-8")
    (problem,) = _refused(pack_dir).problems
    assert problem.startswith("agents.toml: agents.methylprednisolone.allowed_units[1]: ")
    assert "'kg'" in problem


def test_missing_field_names_the_entry(pack_dir: Path) -> None:
    _write(pack_dir, "extra.toml", RULE.replace('title = "Test rule"\n', ""))
    (problem,) = _refused(pack_dir).problems
    assert problem.startswith("extra.toml: rules.ZZ_TEST_RULE.title: Field required")


def test_bad_date(pack_dir: Path) -> None:
    _write(pack_dir, "extra.toml", RULE.replace("2026-11-01", '"soon"'))
    (problem,) = _refused(pack_dir).problems
    assert problem.startswith("extra.toml: rules.ZZ_TEST_RULE.review_date: ")


def test_uncertain_rule_cannot_be_critical(pack_dir: Path) -> None:
    text = RULE.replace('verification = "V"', 'verification = "U"') + 'severity = "critical"\n'
    _write(pack_dir, "extra.toml", text)
    (problem,) = _refused(pack_dir).problems
    assert problem.startswith("extra.toml: rules.ZZ_TEST_RULE: ")
    assert "M and U facts cannot be critical" in problem


def test_id_that_contradicts_its_key(pack_dir: Path) -> None:
    _write(
        pack_dir, "extra.toml", RULE.replace('version = "1.0.0"', 'id = "OTHER"\nversion = "1.0.0"')
    )
    (problem,) = _refused(pack_dir).problems
    assert (
        problem
        == "extra.toml: rules.ZZ_TEST_RULE.id: is 'OTHER' but the table key is 'ZZ_TEST_RULE'"
    )


def test_unknown_table(pack_dir: Path) -> None:
    _write(pack_dir, "extra.toml", '[rulez.X]\ntitle = "typo"\n')
    (problem,) = _refused(pack_dir).problems
    assert problem.startswith("extra.toml: rulez: unknown table")


def test_unknown_rule_reference_names_the_agents_file(pack_dir: Path) -> None:
    path = pack_dir / "agents.toml"
    text = path.read_text(encoding="utf-8").replace('rule = "ADQ_ROMI"', 'rule = "ADQ_ROMY"')
    path.write_text(text, encoding="utf-8")
    (problem,) = _refused(pack_dir).problems
    assert problem == "agents.toml: agents.romiplostim: unknown rule id 'ADQ_ROMY'"


def test_missing_agent_is_reported(pack_dir: Path) -> None:
    path = pack_dir / "agents.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("[agents.sirolimus]")
    path.write_text(text[:start], encoding="utf-8")
    (problem,) = _refused(pack_dir).problems
    assert problem == "pack: agents: missing catalogue entries for sirolimus"


def test_several_problems_are_all_listed(pack_dir: Path) -> None:
    _write(pack_dir, "extra.toml", RULE.replace('["IWG2009"]', '["A1", "B2"]'))
    error = _refused(pack_dir)
    assert len(error.problems) == 2
    assert "2 problems" in error.message
    assert validate_pack_folder(pack_dir) == list(error.problems)


def test_empty_or_missing_folder(tmp_path: Path) -> None:
    assert "no *.toml files" in _refused(tmp_path).message
    assert "not a folder" in _refused(tmp_path / "absent").message
    assert validate_pack_folder(tmp_path / "absent") != []
