"""Department override packs: what may change, what is refused, and how it is reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from itp_desktop.core.codes import AgentCode, ProcedureKind, VerificationMark
from itp_desktop.knowledge.loader import (
    PackError,
    apply_override_folder,
    load_default_pack,
    load_with_overrides,
    validate_pack_folder,
)

SitePack = Callable[..., Path]

FULL_SITE = """
[thresholds]
untreated_platelets_below = 15

[thresholds.procedure_targets]
dental_extraction = 50

[agents.rituximab]
evaluation_period_days = 112
patient_instructions = "Local wording for rituximab."
cautions = ["Local caution."]

[[agents.romiplostim.monitoring]]
code = "cbc"
when = "stable"
interval_days = 14

[rules.ADQ_RTX]
message = "Local wording: low-dose rituximab has similar initial response rates (Zaja2010)."
review_date = 2027-03-01

[texts]
disclaimer = "Local disclaimer."
"clinic.phone" = "+44 20 0000 0000"

[[splenectomy_vaccines]]
code = "meningococcal_b"
schedule = "Local MenB schedule."
"""


def _refused(base_site: Path) -> PackError:
    with pytest.raises(PackError) as caught:
        load_with_overrides(load_default_pack(), base_site)
    return caught.value


def test_threshold_override_applied_and_reported(site_pack: SitePack, site_meta: str) -> None:
    base = load_default_pack()
    site = site_pack(site=site_meta + "[thresholds]\nuntreated_platelets_below = 15\n")
    pack = load_with_overrides(base, site)
    assert pack.thresholds.untreated_platelets_below == 15
    assert pack.thresholds.procedure_targets == base.thresholds.procedure_targets
    assert pack.meta == base.meta
    assert [(m.id, m.version, m.status) for m in pack.overrides] == [
        ("st-mary-haematology", "1.2.0", "approved")
    ]
    # The cached base pack is untouched.
    assert load_default_pack().thresholds.untreated_platelets_below == 10
    assert load_default_pack().overrides == []


def test_every_overridable_part(site_pack: SitePack, site_meta: str) -> None:
    base = load_default_pack()
    pack = load_with_overrides(None, site_pack(site=site_meta + FULL_SITE))
    targets = pack.thresholds.procedure_targets
    assert targets[ProcedureKind.dental_extraction] == 50
    assert targets[ProcedureKind.major_surgery] == 80
    rtx = pack.agents[AgentCode.rituximab]
    assert rtx.evaluation_period_days == 112
    assert rtx.patient_instructions == "Local wording for rituximab."
    assert rtx.cautions == ["Local caution."]
    assert rtx.adequacy == base.agents[AgentCode.rituximab].adequacy
    intervals = [(m.when, m.interval_days) for m in pack.agents[AgentCode.romiplostim].monitoring]
    assert intervals == [("titration", 7), ("stable", 14), ("after_stop", 7)]
    rule = pack.rules["ADQ_RTX"]
    assert rule.message.startswith("Local wording")
    assert rule.review_date.isoformat() == "2027-03-01"
    assert rule.verification == base.rules["ADQ_RTX"].verification
    assert rule.citations == base.rules["ADQ_RTX"].citations
    assert pack.texts["disclaimer"] == "Local disclaimer."
    assert pack.texts["clinic.phone"] == "+44 20 0000 0000"
    assert pack.texts["response.CR"] == base.texts["response.CR"]
    schedules = {v.code: v.schedule for v in pack.splenectomy_vaccines}
    assert schedules["meningococcal_b"] == "Local MenB schedule."
    assert schedules["hib"] == base.splenectomy_vaccines[3].schedule


def test_overrides_may_be_split_across_files(site_pack: SitePack, site_meta: str) -> None:
    site = site_pack(
        meta=site_meta,
        thresholds="[thresholds]\nchild_age_years = 16\n",
        texts='[texts]\ndisclaimer = "Local."\n',
    )
    pack = load_with_overrides(load_default_pack(), site)
    assert pack.thresholds.child_age_years == 16
    assert pack.texts["disclaimer"] == "Local."


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[citations.Local2026]\nreference = "x"\n', "site.toml: citations: not overridable"),
        (
            "[agents.romiplostim.adequacy]\nmin_days = 14\n",
            "agents.romiplostim.adequacy: not overridable",
        ),
        (
            '[agents.eltrombopag]\nstart_dose = "25 mg"\n',
            "agents.eltrombopag.start_dose: not overridable",
        ),
        ('[rules.ADQ_ROMI]\nverification = "M"\n', "rules.ADQ_ROMI.verification: not overridable"),
        (
            '[rules.ADQ_ROMI]\ncitations = ["IWG2009"]\n',
            "rules.ADQ_ROMI.citations: not overridable",
        ),
        ('[rules.PIT_X]\nmessage = "new rule"\n', "rules.PIT_X: unknown rule"),
        ("[agents.aspirin]\ncautions = []\n", "agents.aspirin: unknown agent"),
        ('[[secondary_causes]]\ncode = "hiv"\n', "secondary_causes: not overridable"),
        (
            '[[splenectomy_vaccines]]\ncode = "hib"\naccepts = ["hib"]\n',
            "splenectomy_vaccines[0].accepts: not overridable",
        ),
        ("[thresholds]\nsome_new_limit = 3\n", "thresholds.some_new_limit: unknown threshold"),
        (
            '[[agents.romiplostim.monitoring]]\ncode = "liver_tests"\nwhen = "stable"\n'
            "interval_days = 7\n",
            "no base monitoring entry with code='liver_tests' and when='stable'",
        ),
        (
            '[[agents.romiplostim.monitoring]]\ncode = "cbc"\nwhen = "stable"\nrule = "X"\n',
            "agents.romiplostim.monitoring[0].rule: not overridable",
        ),
    ],
)
def test_non_overridable_keys_are_refused(
    site_pack: SitePack, site_meta: str, body: str, expected: str
) -> None:
    error = _refused(site_pack(site=site_meta + body))
    assert len(error.problems) == 1
    assert error.problems[0].startswith("site.toml: ")
    assert expected in error.problems[0]


def test_mismatched_base_version_refused(site_pack: SitePack, site_meta: str) -> None:
    error = _refused(
        site_pack(site=site_meta.replace('base_version = "0.1.0"', 'base_version = "0.0.9"'))
    )
    (problem,) = error.problems
    assert problem.startswith("site.toml: meta.base: this department pack was written for")
    assert "itp-facts 0.0.9" in problem
    assert "base pack in use is itp-facts 0.1.0" in problem


def test_mismatched_base_id_refused(site_pack: SitePack, site_meta: str) -> None:
    error = _refused(site_pack(site=site_meta.replace('base = "itp-facts"', 'base = "other-pack"')))
    assert "written for other-pack 0.1.0" in error.message


def test_missing_compatibility_keys_refused(site_pack: SitePack, site_meta: str) -> None:
    meta = site_meta.replace('base_version = "0.1.0"\n', "")
    error = _refused(site_pack(site=meta + "[thresholds]\nchild_age_years = 16\n"))
    assert error.problems[0].startswith("site.toml: meta.base_version: missing")


def test_invalid_site_meta_refused(site_pack: SitePack, site_meta: str) -> None:
    error = _refused(site_pack(site=site_meta.replace('status = "approved"', 'status = "final"')))
    (problem,) = error.problems
    assert problem.startswith("site.toml: meta.status: ")


def test_overridden_values_are_validated(site_pack: SitePack, site_meta: str) -> None:
    body = '[[agents.romiplostim.monitoring]]\ncode = "cbc"\nwhen = "stable"\ninterval_days = 0\n'
    (problem,) = _refused(site_pack(site=site_meta + body)).problems
    assert problem.startswith("site.toml: agents.romiplostim.monitoring[1].interval_days: ")
    body = '[thresholds]\nuntreated_platelets_below = "low"\n'
    (problem,) = _refused(site_pack(site=site_meta + body)).problems
    assert problem.startswith("site.toml: thresholds.untreated_platelets_below: ")


def test_same_key_overridden_in_two_files(site_pack: SitePack, site_meta: str) -> None:
    site = site_pack(
        a=site_meta + "[thresholds]\nchild_age_years = 16\n",
        b="[thresholds]\nchild_age_years = 17\n",
    )
    (problem,) = _refused(site).problems
    assert problem == "b.toml: thresholds.child_age_years: already overridden in a.toml"


def test_no_site_folder_means_base_pack(tmp_path: Path) -> None:
    base = load_default_pack()
    assert load_with_overrides(base, None) is base
    assert load_with_overrides(base, tmp_path) is base
    assert load_with_overrides(None, None) is base


def test_verification_of_critical_rules_cannot_change(site_pack: SitePack, site_meta: str) -> None:
    base = load_default_pack()
    pack = load_with_overrides(base, site_pack(site=site_meta + FULL_SITE))
    for rule_id, rule in pack.rules.items():
        assert rule.verification == base.rules[rule_id].verification
        assert rule.severity == base.rules[rule_id].severity
    assert pack.rules["ADQ_RILZA"].verification is VerificationMark.U


def test_apply_override_folder_takes_the_folder_itself(site_pack: SitePack, site_meta: str) -> None:
    site = site_pack(site=site_meta + "[thresholds]\nchild_age_years = 16\n")
    pack = apply_override_folder(load_default_pack(), site / "knowledge")
    assert pack.thresholds.child_age_years == 16


def test_validate_site_folder(site_pack: SitePack, site_meta: str) -> None:
    site = site_pack(site=site_meta + FULL_SITE)
    assert validate_pack_folder(site) == []
    assert validate_pack_folder(site / "knowledge") == []
    (site / "knowledge" / "bad.toml").write_text("[citations.X]\nreference = 'x'\n", "utf-8")
    problems = validate_pack_folder(site)
    assert problems == [
        "bad.toml: citations: not overridable in a department pack (allowed tables: "
        "meta, thresholds, agents, rules, texts, splenectomy_vaccines)"
    ]
