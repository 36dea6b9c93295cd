"""The bundled itp-facts pack: coverage, sources, marks and the contract's numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from itp_desktop.core.codes import (
    AgentCode,
    DoseUnit,
    InadequacyCode,
    ProcedureKind,
    Severity,
    VaccineCode,
    VerificationMark,
    WorkupTest,
)
from itp_desktop.core.models.knowledge import AdequacyRegimen, KnowledgePack
from itp_desktop.knowledge.loader import load_default_pack, load_pack

# ITP_REFERENCE.md section 0.4 (every key must be in the registry with a full reference).
REFERENCE_KEYS = [
    "IWG2009",
    "ITPBAT2013",
    "ASH2011",
    "ASH2019",
    "ICR2019",
    "ICIS-RefDef2023",
    "PedsRef2024",
    "ANZ2022",
    "HowITreat2016",
    "Miltiadous2020",
    "LBL-Nplate",
    "LBL-Promacta",
    "LBL-Alvaiz",
    "LBL-Doptelet",
    "LBL-Tavalisse",
    "LBL-Wayrilz",
    "LBL-Rituxan",
    "LBL-WinRho",
    "LBL-IVIG",
    "CDC/IAC",
    "SOAP2021",
    "Lee2017",
    "Kojouri2004",
    "Patel2012",
    "Zaja2010",
    "Gudbrandsdottir2013",
    "Nazi2013",
    "FIT2018",
    "FIT-OLE2019",
    "EXTEND2017",
    "Khellaf2013",
    "AlSamkari-ava",
    "Jurczak2018",
    "Kuter2008",
    "LUNA3",
    "ADVANCE",
    "Michel2020",
    "Rottenstreich2023",
    "Hato2020",
    "Neunert2015",
    "ICIS2008",
    "Kuhne2003",
    "Buchanan2002",
    "WHO-bleed",
    "UK-asplenia",
    "HL7",
    "MingotCastellano2026",
    "Gudbrandsdottir2020",
    "DrOracle2025",
]

# docs/dev/RULE_IDS.md: the ids whose metas the knowledge files define.
KNOWLEDGE_RULE_IDS = [
    "DEF_PHASE",
    "DEF_STEROID_DEP",
    "DEF_REFRACTORY_KB",
    "DEF_SPLEN_FAILURE",
    "RESP_CR",
    "RESP_R",
    "RESP_NR",
    "RESP_LOSS",
    "RESP_TTR",
    "RESP_RESCUE_EXCLUSION",
    "RESP_WINDOW",
    "ADQ_ROMI",
    "ADQ_ELT",
    "ADQ_AVA",
    "ADQ_FOSTA",
    "ADQ_RTX",
    "ADQ_PRED",
    "ADQ_DEX",
    "ADQ_MMF",
    "ADQ_RILZA",
    "DRUG_PRED",
    "DRUG_DEX",
    "DRUG_MP",
    "DRUG_IVIG",
    "DRUG_ANTID",
    "DRUG_RTX",
    "DRUG_ROMI",
    "DRUG_ELT",
    "DRUG_AVA",
    "DRUG_FOSTA",
    "DRUG_RILZA",
    "DRUG_MMF",
    "DRUG_CSA",
    "DRUG_AZA",
    "DRUG_DAN",
    "DRUG_DAP",
    "DRUG_CYC",
    "DRUG_VCR",
    "DRUG_SIRO",
    "MON_ROMI",
    "MON_ELT",
    "MON_AVA",
    "MON_FOSTA",
    "MON_RTX",
    "MON_CSA",
    "MON_MMF",
    "MON_AZA",
    "MON_DAP",
    "MON_IVIG",
    "MON_ANTID",
    "MON_TPO_STOP",
    "MON_STEROID",
    "CHK_SPLEN_VACCINES",
    "CHK_PRE_RTX",
    "CHK_SECONDARY_CAUSES",
    "CHK_REFRACTORINESS",
    "CHK_BLEEDING_RESCUE",
    "VAX_PCV",
    "VAX_MENACWY",
    "VAX_MENB",
    "VAX_HIB",
    "SEC_HIV",
    "SEC_HCV",
    "SEC_HBV",
    "SEC_HP",
    "SEC_SLE_APS",
    "SEC_CVID",
]

U = DoseUnit
A = AgentCode
I = InadequacyCode  # noqa: E741

ALLOWED_UNITS: dict[AgentCode, set[DoseUnit]] = {
    A.prednisone: {U.mg, U.mg_per_kg},
    A.dexamethasone: {U.mg},
    A.methylprednisolone: {U.mg, U.mg_per_kg, U.g},
    A.ivig: {U.g_per_kg, U.g},
    A.anti_d: {U.mcg_per_kg, U.iu_per_kg},
    A.rituximab: {U.mg_per_m2, U.mg},
    A.romiplostim: {U.mcg_per_kg, U.mcg},
    A.eltrombopag: {U.mg},
    A.avatrombopag: {U.mg},
    A.fostamatinib: {U.mg},
    A.rilzabrutinib: {U.mg},
    A.danazol: {U.mg},
    A.dapsone: {U.mg},
    A.mycophenolate: {U.mg, U.g},
    A.ciclosporin: {U.mg_per_kg, U.mg},
    A.azathioprine: {U.mg_per_kg, U.mg},
    A.cyclophosphamide: {U.mg, U.mg_per_kg, U.mg_per_m2},
    A.vincristine: {U.mg, U.mg_per_m2},
    A.sirolimus: {U.mg, U.mg_per_m2},
}

# Assessment contract "Evaluation window": evaluation periods of the default pack.
EVALUATION_PERIODS = {
    A.rituximab: 84,
    A.ivig: 28,
    A.anti_d: 28,
    A.dexamethasone: 28,
    A.methylprednisolone: 14,
}

# Assessment contract "Adequacy rules", value by value:
# (rule, kind, dose, unit, per, min_days, below_dose_code).
ADEQUACY = {
    A.romiplostim: (
        "ADQ_ROMI",
        "days_at_dose",
        10,
        U.mcg_per_kg,
        "administration",
        28,
        I.max_dose_not_reached,
    ),
    A.eltrombopag: ("ADQ_ELT", "days_at_dose", 75, U.mg, "day", 28, I.max_dose_not_reached),
    A.avatrombopag: ("ADQ_AVA", "days_at_dose", 40, U.mg, "day", 28, I.max_dose_not_reached),
    A.fostamatinib: (
        "ADQ_FOSTA",
        "dose_reached_and_total_days",
        300,
        U.mg,
        "day",
        84,
        I.max_dose_not_reached,
    ),
    A.prednisone: ("ADQ_PRED", "days_at_dose", 0.5, U.mg_per_kg, "day", 14, I.dose_below_standard),
    A.dexamethasone: ("ADQ_DEX", "cycle", 40, U.mg, "day", 4, I.dose_below_standard),
    A.mycophenolate: ("ADQ_MMF", "days_at_dose", 1.5, U.g, "day", 84, I.dose_below_standard),
    A.rilzabrutinib: ("ADQ_RILZA", "days_at_dose", 800, U.mg, "day", 84, I.dose_below_standard),
}


@pytest.fixture(scope="module")
def pack() -> KnowledgePack:
    return load_default_pack()


def test_meta(pack: KnowledgePack) -> None:
    assert (pack.meta.id, pack.meta.version, pack.meta.status) == ("itp-facts", "0.1.0", "draft")
    assert pack.meta.title
    assert pack.meta.description
    assert pack.overrides == []


def test_default_pack_is_cached() -> None:
    assert load_default_pack() is load_default_pack()


def test_loads_with_only_the_knowledge_files(core_pack_dir: Path) -> None:
    # rules-findings.toml and options.toml are written by other engineers; absent tables
    # default to empty so the pack still loads.
    pack = load_pack(core_pack_dir)
    assert pack.options == {}
    assert pack.reasons == {}
    assert set(pack.agents) == set(AgentCode)


def test_every_agent_is_catalogued(pack: KnowledgePack) -> None:
    assert set(pack.agents) == set(AgentCode)
    for code, agent in pack.agents.items():
        assert agent.code == code
        assert agent.name
        assert agent.start_dose
        assert agent.patient_instructions, code
        assert agent.cautions, code
        assert pack.rules[agent.rule].family == "catalogue"
        assert agent.rule.startswith("DRUG_")


def test_allowed_units(pack: KnowledgePack) -> None:
    assert {code: set(units) for code, units in pack.allowed_units().items()} == ALLOWED_UNITS


def test_evaluation_periods_match_contract(pack: KnowledgePack) -> None:
    for code, agent in pack.agents.items():
        assert agent.evaluation_period_days == EVALUATION_PERIODS.get(code, 0), code


def test_adequacy_rules_match_contract(pack: KnowledgePack) -> None:
    expected_with_rule = {*ADEQUACY, A.rituximab}
    assert {c for c, a in pack.agents.items() if a.adequacy is not None} == expected_with_rule
    for code, (rule, kind, dose, unit, per, min_days, below) in ADEQUACY.items():
        adequacy = pack.agents[code].adequacy
        assert adequacy is not None
        actual = (
            adequacy.rule,
            adequacy.kind,
            adequacy.dose,
            adequacy.unit,
            adequacy.per,
            adequacy.min_days,
            adequacy.below_dose_code,
        )
        assert actual == (rule, kind, dose, unit, per, min_days, below), code
        assert adequacy.regimens == []
        assert adequacy.low_dose is None
        assert pack.rules[rule].family == "adequacy"


def test_rituximab_adequacy_regimens(pack: KnowledgePack) -> None:
    adequacy = pack.agents[A.rituximab].adequacy
    assert adequacy is not None
    assert (adequacy.rule, adequacy.kind) == ("ADQ_RTX", "regimen")
    assert adequacy.regimens == [
        AdequacyRegimen(dose=375, unit=U.mg_per_m2, administrations=4, tolerance=0.10),
        AdequacyRegimen(dose=1000, unit=U.mg, administrations=2, tolerance=0.10),
    ]
    assert adequacy.low_dose == AdequacyRegimen(dose=100, unit=U.mg, administrations=4)
    assert adequacy.below_dose_code is I.dose_below_standard


def test_contract_nuances_are_in_the_messages(pack: KnowledgePack) -> None:
    rtx = pack.rules["ADQ_RTX"].message
    assert "Zaja2010" in rtx
    assert "similar initial response" in rtx
    mmf = pack.rules["ADQ_MMF"]
    assert "DrOracle2025" in mmf.message
    assert "ANZ2022" in mmf.message
    assert "4–6 weeks" in mmf.message
    assert mmf.verification is VerificationMark.S
    assert pack.rules["ADQ_RILZA"].verification is VerificationMark.U


def test_every_knowledge_rule_id_exists(pack: KnowledgePack) -> None:
    missing = sorted(set(KNOWLEDGE_RULE_IDS) - set(pack.rules))
    assert missing == []
    for rule_id in KNOWLEDGE_RULE_IDS:
        rule = pack.rules[rule_id]
        assert rule.review_date == dt.date(2026, 11, 1), rule_id
        assert rule.fires_when, rule_id


def test_every_citation_resolves(pack: KnowledgePack) -> None:
    cited = {key for rule in pack.rules.values() for key in rule.citations}
    cited |= {key for agent in pack.agents.values() for key in agent.citations}
    cited |= {key for reason in pack.reasons.values() for key in reason.citations}
    assert cited <= set(pack.citations)


def test_registry_has_every_reference_key(pack: KnowledgePack) -> None:
    assert set(REFERENCE_KEYS) <= set(pack.citations)
    for key in REFERENCE_KEYS:
        citation = pack.citations[key]
        assert citation.key == key
        assert len(citation.reference) > 10, key
        assert citation.locator, key


def test_no_uncertain_rule_is_critical(pack: KnowledgePack) -> None:
    for rule in pack.rules.values():
        if rule.verification in (VerificationMark.M, VerificationMark.U):
            assert rule.severity is not Severity.critical, rule.id


def test_split_marks_are_explained(pack: KnowledgePack) -> None:
    # A rule stored with a weaker letter than V must say why (which part is weaker).
    for rule_id in KNOWLEDGE_RULE_IDS:
        rule = pack.rules[rule_id]
        if rule.verification is not VerificationMark.V and len(rule.citations) > 1:
            assert rule.verification_note, rule_id


def test_monitoring_rules_are_monitoring_family(pack: KnowledgePack) -> None:
    for agent in pack.agents.values():
        for item in agent.monitoring:
            assert pack.rules[item.rule].family == "monitoring"
            if item.when == "after_stop":
                assert item.duration_days is not None
    after_stop = {
        code: item.duration_days
        for code, agent in pack.agents.items()
        for item in agent.monitoring
        if item.when == "after_stop"
    }
    assert after_stop == {A.romiplostim: 14, A.avatrombopag: 28}


def test_eltrombopag_patient_instructions(pack: KnowledgePack) -> None:
    text = pack.agents[A.eltrombopag].patient_instructions
    for phrase in ("empty stomach", "low in calcium", "2 hours before", "4 hours after"):
        assert phrase in text
    for mineral in ("calcium", "iron", "magnesium", "zinc", "dairy"):
        assert mineral in text


def test_splenectomy_vaccines(pack: KnowledgePack) -> None:
    items = {v.code: v for v in pack.splenectomy_vaccines}
    assert list(items) == ["pneumococcal", "meningococcal_acwy", "meningococcal_b", "hib"]
    assert items["pneumococcal"].accepts == [VaccineCode.pneumococcal_conjugate]
    assert "PCV20 or PCV21" in items["pneumococcal"].schedule
    assert "PCV15 then PPSV23 ≥ 8 weeks later" in items["pneumococcal"].schedule
    assert "2 doses ≥ 8 weeks apart" in items["meningococcal_acwy"].schedule
    assert "every 5 years" in items["meningococcal_acwy"].schedule
    assert "one manufacturer" in items["meningococcal_b"].schedule
    assert "1 dose" in items["hib"].schedule
    assert [v.rule for v in items.values()] == ["VAX_PCV", "VAX_MENACWY", "VAX_MENB", "VAX_HIB"]


def test_secondary_causes_exactly(pack: KnowledgePack) -> None:
    w = WorkupTest
    assert [(s.code, s.tests) for s in pack.secondary_causes] == [
        ("hiv", [w.hiv]),
        ("hcv", [w.hcv]),
        ("hbv", [w.hbsag, w.anti_hbc]),
        ("h_pylori", [w.h_pylori]),
        ("ana", [w.ana]),
        ("antiphospholipid", [w.antiphospholipid]),
        ("immunoglobulins", [w.immunoglobulins]),
    ]


def test_thresholds(pack: KnowledgePack) -> None:
    t = pack.thresholds
    p = ProcedureKind
    assert t.procedure_targets == {
        p.dental_extraction: 30,
        p.minor_surgery: 50,
        p.major_surgery: 80,
        p.neurosurgery: 100,
        p.neuraxial_anaesthesia: 80,
        p.delivery: 50,
        p.splenectomy: 50,
    }
    assert (t.untreated_platelets_below, t.procedure_window_days) == (10, 14)
    assert t.prolonged_corticosteroid_days == 42
    assert t.rituximab_vaccine_window_days == 183
    assert (t.rescue_ivig_g_per_kg, t.rescue_methylprednisolone_adult_mg) == (1.0, 1000)
    assert (t.rescue_methylprednisolone_child_mg_per_kg, t.child_age_years) == (30, 18)
    assert t.anti_d_min_haemoglobin_g_dl == 8.0


def test_bleeding_bands_cover_all_counts(pack: KnowledgePack) -> None:
    bands = sorted(pack.thresholds.bleeding_bands, key=lambda b: b.lower)
    assert [b.code for b in bands] == ["B4", "B3", "B2", "B1", "B0"]
    assert [(b.lower, b.upper) for b in bands] == [
        (0, 10),
        (10, 20),
        (20, 30),
        (30, 50),
        (50, None),
    ]


def test_texts(pack: KnowledgePack) -> None:
    disclaimer = pack.texts["disclaimer"]
    assert "never replaces" in disclaimer
    assert "haematologist" in disclaimer
    for code in InadequacyCode:
        assert pack.texts[f"inadequacy.{code}"]
    for mark in VerificationMark:
        assert pack.texts[f"verification.{mark}"]
