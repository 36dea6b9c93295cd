"""Assembly: determinism, byte-identical JSON, stable ordering, hashing, suppression and purity
(public API ``itp_desktop.engine.assess``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest

import itp_desktop.engine as engine
from itp_desktop.core.codes import SEVERITY_ORDER, ProcedureKind
from itp_desktop.core.errors import RuleError
from itp_desktop.core.models.patient import Patient, Procedure, RiskFactors
from itp_desktop.core.models.records import Suppression
from itp_desktop.engine import ENGINE_VERSION, assess
from tests.strategies import bleed, counts, course, d, make_patient, splenectomy, weekly_doses

AS_OF = d("2026-11-22")
ENGINE_DIR = Path(engine.__file__).parent
DOCS = ENGINE_DIR.parent.parent / "docs" / "ASSESSMENT.md"


def busy_patient() -> Patient:
    """Many rule families at once: bleeding, planned splenectomy, rituximab, TPO-RA, steroids."""
    return make_patient(
        platelet_counts=counts(("2026-09-01", 20), ("2026-10-01", 12), ("2026-11-20", 8)),
        courses=[
            course("prednisone", "2026-01-05", stop="2026-03-01", amount=70, reason="no_response"),
            course("eltrombopag", "2026-04-06", stop="2026-06-01", amount=50, reason="no_response"),
            weekly_doses("rituximab", "2026-12-07", [375] * 4, "mg/m2"),
        ],
        bleeding=[bleed("2026-11-20", who=3)],
        procedures=[splenectomy("2026-12-20")],
        risk_factors=RiskFactors(prior_thrombosis=True, hypertension=True),
        east_southeast_asian_ancestry=True,
    )


def test_public_api():
    assert engine.__all__ == ["ENGINE_VERSION", "assess"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", ENGINE_VERSION)


def test_byte_identical_json(pack):
    patient = busy_patient()
    first = assess(patient, pack, AS_OF).model_dump_json()
    again = assess(Patient.model_validate_json(patient.model_dump_json()), pack, AS_OF)
    assert again.model_dump_json() == first


def test_header_members(pack):
    assessment = assess(busy_patient(), pack, AS_OF)
    assert assessment.as_of == AS_OF
    assert assessment.engine_version == ENGINE_VERSION
    assert (assessment.knowledge_base.id, assessment.knowledge_base.version) == (
        pack.meta.id,
        pack.meta.version,
    )
    assert assessment.knowledge_base.overrides == []
    assert assessment.disclaimer == pack.texts["disclaimer"]
    assert assessment.latest_platelet_count.value == 8


def test_input_hash_is_sha256_of_canonical_json(pack):
    patient = busy_patient()
    canonical = patient.model_dump_json()
    expected = hashlib.sha256(canonical.encode()).hexdigest()
    assert assess(patient, pack, AS_OF).input_sha256 == expected
    changed = patient.model_copy(update={"weight_kg": 71.0})
    assert assess(changed, pack, AS_OF).input_sha256 != expected


def test_courses_keep_input_order(pack):
    patient = busy_patient()
    assessment = assess(patient, pack, AS_OF)
    assert [c.agent for c in assessment.courses] == [c.agent for c in patient.courses]


def test_findings_sorted_by_severity_code_key(pack):
    findings = assess(busy_patient(), pack, AS_OF).findings
    assert len(findings) >= 8
    keys = [(SEVERITY_ORDER[f.severity], f.code, f.key) for f in findings]
    assert keys == sorted(keys)
    assert findings[0].severity == "critical"


def test_every_finding_names_rule_version_and_known_sources(pack):
    for finding in assess(busy_patient(), pack, AS_OF).findings:
        rule_id, version = finding.rule.split("@")
        assert pack.rules[rule_id].version == version
        assert finding.sources
        assert set(finding.sources) <= set(pack.citations)
        assert finding.why
        assert finding.key.startswith(finding.code + ":")
        assert "{" not in finding.message  # every placeholder filled


def suppression(finding_key, rule, reason="discussed with the patient"):
    return Suppression(
        patient_id="p-1",
        finding_key=finding_key,
        rule=rule,
        reason=reason,
        user="dr.a",
        at=dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC),
    )


def test_suppression_matches_key_and_rule_version(pack):
    patient = busy_patient()
    plain = assess(patient, pack, AS_OF)
    target = next(f for f in plain.findings if f.code == "secondary_causes_incomplete")
    rule_id = target.rule.split("@")[0]
    suppressions = [
        suppression(target.key, target.rule, "work-up done at the referring hospital"),
        suppression("prolonged_corticosteroids:course:[0]", f"{rule_id}@0.9.0"),  # wrong rule
    ]
    marked = assess(patient, pack, AS_OF, suppressions=suppressions)
    by_key = {f.key: f for f in marked.findings}
    assert by_key[target.key].suppressed is True
    assert by_key[target.key].suppression_reason == "work-up done at the referring hospital"
    assert sum(f.suppressed for f in marked.findings) == 1
    # Suppressed findings stay in the list, in the same place.
    assert [f.key for f in marked.findings] == [f.key for f in plain.findings]


def test_suppression_of_an_older_rule_version_no_longer_applies(pack):
    patient = busy_patient()
    target = next(f for f in assess(patient, pack, AS_OF).findings if f.code == "active_bleeding")
    old = target.rule.split("@")[0] + "@0.0.1"
    marked = assess(patient, pack, AS_OF, suppressions=[suppression(target.key, old)])
    assert not any(f.suppressed for f in marked.findings)


def test_future_data_is_ignored_or_planned(pack):
    patient = make_patient(
        platelet_counts=counts(("2026-11-20", 40), ("2026-11-25", 5)),
        courses=[course("prednisone", "2026-11-30", amount=70)],
        bleeding=[bleed("2026-11-24", who=4)],
    )
    assessment = assess(patient, pack, AS_OF)
    assert assessment.latest_platelet_count.value == 40
    assert assessment.rescue is None
    assert assessment.courses[0].status == "planned"
    assert assessment.courses[0].response == "not_evaluable"


@pytest.mark.parametrize("module", sorted(p.name for p in ENGINE_DIR.glob("*.py")))
def test_engine_never_reads_the_clock_or_does_io(module):
    source = (ENGINE_DIR / module).read_text(encoding="utf-8")
    for forbidden in ("today(", "now(", "utcnow(", "time.time(", "open("):
        assert forbidden not in source, f"{module} uses {forbidden}"
    assert not re.search(r"^\s*(from|import) itp_desktop\.knowledge", source, re.MULTILINE)


def test_docs_name_every_code(pack):
    text = DOCS.read_text(encoding="utf-8")
    missing = [code for code in pack.reasons if f"`{code}`" not in text]
    missing += [
        rule.finding_code
        for rule in pack.rules.values()
        if rule.finding_code and f"`{rule.finding_code}`" not in text
    ]
    missing += [code for code in pack.options if code not in text]
    assert not missing, f"docs/ASSESSMENT.md does not document: {missing}"


# ---------------------------------------------------------------- pack robustness


def without(mapping, key):
    return {k: v for k, v in mapping.items() if k != key}


@pytest.mark.parametrize(
    ("table", "key", "named"),
    [
        ("rules", "PIT_OBS_LOW", "rule 'PIT_OBS_LOW'"),
        ("texts", "engine.rescue.ivig", "text 'engine.rescue.ivig'"),
        ("reasons", "fast_rise", "reasons.fast_rise"),
        ("options", "ivig", "options.ivig"),
    ],
)
def test_a_pack_missing_what_the_engine_needs_is_named(pack, table, key, named):
    broken = pack.model_copy(update={table: without(getattr(pack, table), key)})
    patient = make_patient(
        platelet_counts=counts(("2026-11-20", 8)), bleeding=[bleed("2026-11-20", who=3)]
    )
    with pytest.raises(RuleError, match=re.escape(named)):
        assess(patient, broken, AS_OF)


def test_uncertain_rule_never_gives_a_critical_finding(pack):
    # A pack cannot declare a critical M rule (RuleMeta refuses it); bypass validation to show
    # that the engine still downgrades it.
    rule = pack.rules["PIT_OBS_LOW"].model_copy(update={"verification": "M"})
    uncertain = pack.model_copy(update={"rules": {**pack.rules, "PIT_OBS_LOW": rule}})
    patient = make_patient(platelet_counts=counts(("2026-11-20", 8)))
    (finding,) = [
        f for f in assess(patient, uncertain, AS_OF).findings if f.code.startswith("platelets")
    ]
    assert (finding.severity, finding.needs_review) == ("warning", True)


@pytest.mark.parametrize(
    ("template", "shown"),
    [
        ("Count {count}; see {nowhere}.", "Count 8 ×10⁹/L; see {nowhere}."),
        ("Broken {count", "Broken {count"),
        ("Attribute {count.real}", "Attribute {count.real}"),
    ],
)
def test_department_message_templates_never_break_the_assessment(pack, template, shown):
    rule = pack.rules["PIT_OBS_LOW"].model_copy(update={"message": template})
    reworded = pack.model_copy(update={"rules": {**pack.rules, "PIT_OBS_LOW": rule}})
    patient = make_patient(platelet_counts=counts(("2026-11-20", 8)))
    (finding,) = [
        f for f in assess(patient, reworded, AS_OF).findings if f.code.startswith("platelets")
    ]
    assert finding.message == shown


def test_procedure_kind_without_a_target_is_skipped(pack):
    targets = without(pack.thresholds.procedure_targets, ProcedureKind.dental_extraction)
    thresholds = pack.thresholds.model_copy(update={"procedure_targets": targets})
    site = pack.model_copy(update={"thresholds": thresholds})
    patient = make_patient(
        platelet_counts=counts(("2026-11-20", 10)),
        procedures=[Procedure(kind=ProcedureKind.dental_extraction, date=d("2026-11-25"))],
    )
    assessment = assess(patient, site, AS_OF)
    assert not [f for f in assessment.findings if f.code.startswith("procedure")]
    assert not [m for m in assessment.monitoring if m.agent is None]
