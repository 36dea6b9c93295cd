"""Comparison semantics of the golden-patients runner, independent of the real engine.

Every test writes small case files to a temporary folder and injects a fake assess function
that returns a hand-built `Assessment`, so these tests pass or fail on the runner alone.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from itp_desktop.core.codes import (
    AgentCode,
    ChecklistStatus,
    DoseUnit,
    InadequacyCode,
    MechanismCategory,
    Phase,
    ResponseCode,
    Severity,
    VerificationMark,
)
from itp_desktop.core.errors import NotFound, ValidationFailed
from itp_desktop.core.models.assessment import (
    Assessment,
    Checklist,
    ChecklistItem,
    CountRef,
    CourseAssessment,
    Finding,
    KnowledgeBaseRef,
    MonitoringItem,
    Option,
    Rescue,
)
from itp_desktop.core.models.knowledge import (
    AgentInfo,
    Citation,
    KnowledgePack,
    PackMeta,
    RuleMeta,
    Thresholds,
)
from itp_desktop.core.models.patient import Patient
from itp_desktop.services.golden import GoldenReport, load_case, run_golden

AS_OF = dt.date(2026, 9, 1)


# ---------------------------------------------------------------- builders


@pytest.fixture(scope="module")
def pack() -> KnowledgePack:
    """A minimal valid pack: every agent allows every unit except prednisone (mg only)."""
    rule = RuleMeta(
        id="DRUG_TEST",
        version="1.0.0",
        title="test",
        family="catalogue",
        citations=["SRC"],
        verification=VerificationMark.V,
        review_date=dt.date(2026, 11, 1),
        fires_when="never",
    )
    agents = {
        code: AgentInfo(
            code=code,
            name=code.value,
            drug_class="test",
            mechanism=MechanismCategory.production,
            allowed_units=[DoseUnit.mg] if code is AgentCode.prednisone else list(DoseUnit),
            start_dose="-",
            evaluation_period_days=0,
            citations=["SRC"],
            verification=VerificationMark.V,
            rule="DRUG_TEST",
        )
        for code in AgentCode
    }
    return KnowledgePack(
        meta=PackMeta(id="test-pack", version="0.0.1", title="test", status="draft"),
        citations={"SRC": Citation(key="SRC", reference="A source")},
        rules={"DRUG_TEST": rule},
        agents=agents,
        splenectomy_vaccines=[],
        secondary_causes=[],
        options={},
        reasons={},
        thresholds=Thresholds(procedure_targets={}),
    )


def patient_data(courses: int = 1) -> dict[str, Any]:
    data: dict[str, Any] = {
        "mrn": "T-1",
        "family_name": "Test",
        "birth_date": "1975-03-12",
        "weight_kg": 80,
        "diagnosis": {"date": "2025-10-01"},
        "platelet_counts": [{"date": "2026-08-31", "value": 41}],
    }
    data["courses"] = [
        {
            "id": f"elt-{index}",
            "agent": "eltrombopag",
            "start_date": "2026-08-03",
            "dose_steps": [
                {"effective_date": "2026-08-03", "amount": 50, "unit": "mg", "frequency": "daily"}
            ],
        }
        for index in range(courses)
    ]
    return data


def case_data(expected: dict[str, Any], *, courses: int = 1) -> dict[str, Any]:
    return {
        "title": "A test case",
        "description": "Checks the runner.",
        "as_of": AS_OF.isoformat(),
        "patient": patient_data(courses),
        "expected": expected,
    }


def write(folder: Path, name: str, data: Any) -> Path:
    path = folder / f"{name}.json"
    text = data if isinstance(data, str) else json.dumps(data)
    path.write_text(text, encoding="utf-8")
    return path


def course(**over: Any) -> CourseAssessment:
    base: dict[str, Any] = {
        "agent": AgentCode.eltrombopag,
        "response": ResponseCode.R,
        "time_to_response_days": 21,
        "loss_of_response": False,
        "adequate_trial": False,
        "inadequacy": [InadequacyCode.max_dose_not_reached],
        "start_date": dt.date(2026, 8, 3),
        "status": "active",
    }
    base.update(over)
    return CourseAssessment(**base)


def finding(code: str, severity: Severity, key: str = "") -> Finding:
    return Finding(
        code=code,
        severity=severity,
        message=f"{code} fired",
        why=[f"because of {code}"],
        sources=["SRC"],
        rule="X@1.0.0",
        key=key or f"{code}:patient",
    )


def option(code: str, rank: int, cautions: tuple[str, ...] = ()) -> Option:
    return Option(code=code, rank=rank, rationale=[], cautions=list(cautions), sources=[])


def item(code: str, status: ChecklistStatus, due_by: dt.date | None = None) -> ChecklistItem:
    return ChecklistItem(code=code, status=status, due_by=due_by, sources=[])


def rescue(**over: Any) -> Rescue:
    base: dict[str, Any] = {
        "ivig_total_g": 74.5,
        "methylprednisolone_mg_per_day": 1000.0,
        "platelet_transfusion": "not_routine",
    }
    base.update(over)
    return Rescue(**base)


def assessment(**over: Any) -> Assessment:
    base: dict[str, Any] = {
        "as_of": AS_OF,
        "knowledge_base": KnowledgeBaseRef(id="test-pack", version="0.0.1"),
        "phase": Phase.persistent,
        "latest_platelet_count": CountRef(date=dt.date(2026, 8, 31), value=41.0),
        "courses": [course()],
        "steroid_dependent": False,
        "multi_refractory": False,
        "findings": [],
        "checklists": [],
        "rescue": None,
        "options": [],
        "monitoring": [],
    }
    base.update(over)
    return Assessment(**base)


class FakeAssess:
    """Stands in for the engine: returns one prepared assessment and records its calls."""

    def __init__(self, result: Assessment, *, fail_first: Exception | None = None) -> None:
        self.result = result
        self.fail_first = fail_first
        self.calls: list[tuple[Patient, dt.date]] = []

    def __call__(self, patient: Patient, pack: KnowledgePack, as_of: dt.date) -> Assessment:
        self.calls.append((patient, as_of))
        if self.fail_first is not None and len(self.calls) == 1:
            raise self.fail_first
        return self.result


def fake(result: Assessment) -> FakeAssess:
    return FakeAssess(result)


def run_one(
    tmp_path: Path,
    pack: KnowledgePack,
    expected: dict[str, Any],
    result: Assessment,
    *,
    courses: int = 1,
) -> list[str]:
    write(tmp_path, "g-case", case_data(expected, courses=courses))
    report = run_golden(tmp_path, pack, assess_fn=fake(result))
    assert len(report.results) == 1
    outcome = report.results[0]
    assert outcome.passed is (not outcome.mismatches)
    return outcome.mismatches


# ---------------------------------------------------------------- passing and reporting


def test_matching_case_passes_and_the_patient_and_date_reach_assess(tmp_path, pack):
    write(
        tmp_path,
        "g01-ok",
        case_data(
            {
                "phase": "persistent",
                "latest_platelet_count": {"date": "2026-08-31", "value": 41},
                "courses": [{"response": "R", "time_to_response_days": 21}],
                "rescue": None,
            }
        ),
    )
    assess = fake(assessment())
    report = run_golden(tmp_path, pack, assess_fn=assess)
    assert (report.passed, report.failed) == (1, 0)
    assert report.render() == "PASS g01-ok — A test case\n1 passed, 0 failed"
    [(patient, as_of)] = assess.calls
    assert as_of == AS_OF
    assert patient.courses[0].id == "elt-0"


def test_report_lists_each_case_and_shortens_long_mismatch_lists(tmp_path, pack):
    write(tmp_path, "a-pass", case_data({"phase": "persistent"}))
    write(
        tmp_path,
        "b-fail",
        case_data(
            {
                "phase": "chronic",
                "steroid_dependent": True,
                "multi_refractory": True,
                "latest_platelet_count": None,
                "rescue": {"ivig_total_g": 1},
            }
        ),
    )
    report = run_golden(tmp_path, pack, assess_fn=fake(assessment()))
    assert (report.passed, report.failed) == (1, 1)
    lines = report.render().splitlines()
    assert lines[0] == "PASS a-pass — A test case"
    assert lines[1].startswith("FAIL b-fail: phase: expected 'chronic', got 'persistent'; ")
    assert lines[1].endswith("(+2 more)")
    assert lines[2] == "1 passed, 1 failed"
    assert len(report.results[1].mismatches) == 5


# ---------------------------------------------------------------- scalar members


def test_scalar_mismatches_name_path_expected_and_actual(tmp_path, pack):
    mismatches = run_one(
        tmp_path,
        pack,
        {
            "phase": "chronic",
            "steroid_dependent": True,
            "latest_platelet_count": {"date": "2026-08-30", "value": 40},
        },
        assessment(),
    )
    assert mismatches == [
        "phase: expected 'chronic', got 'persistent'",
        "steroid_dependent: expected true, got false",
        "latest_platelet_count.date: expected 2026-08-30, got 2026-08-31",
        "latest_platelet_count.value: expected 40, got 41",
    ]


def test_null_latest_count_and_null_phase_are_compared(tmp_path, pack):
    expected = {"latest_platelet_count": None, "phase": None}
    assert run_one(tmp_path, pack, expected, assessment()) == [
        "phase: expected null, got 'persistent'",
        "latest_platelet_count: expected null, got {date 2026-08-31, value 41}",
    ]
    nothing = assessment(latest_platelet_count=None, phase=None)
    assert run_one(tmp_path, pack, expected, nothing) == []
    present = {"latest_platelet_count": {"date": "2026-08-31", "value": 41}}
    assert run_one(tmp_path, pack, present, nothing) == [
        "latest_platelet_count: expected {date 2026-08-31, value 41}, got null"
    ]


def test_members_left_out_are_not_compared(tmp_path, pack):
    different = assessment(phase=Phase.chronic, steroid_dependent=True, multi_refractory=True)
    assert run_one(tmp_path, pack, {}, different) == []


def test_count_values_compare_with_float_tolerance(tmp_path, pack):
    result = assessment(latest_platelet_count=CountRef(date=dt.date(2026, 8, 31), value=0.1 + 0.2))
    expected = {"latest_platelet_count": {"date": "2026-08-31", "value": 0.3}}
    assert run_one(tmp_path, pack, expected, result) == []


# ---------------------------------------------------------------- courses


def test_course_members_are_partial_and_null_elements_skip(tmp_path, pack):
    result = assessment(
        courses=[course(), course(response=ResponseCode.NR, time_to_response_days=None)]
    )
    expected = {"courses": [None, {"response": "R", "time_to_response_days": 14}]}
    assert run_one(tmp_path, pack, expected, result, courses=2) == [
        "courses[1].response: expected 'R', got 'NR'",
        "courses[1].time_to_response_days: expected 14, got null",
    ]


def test_null_time_to_response_and_null_adequacy_are_real_expectations(tmp_path, pack):
    expected = {"courses": [{"time_to_response_days": None, "adequate_trial": None}]}
    assert run_one(tmp_path, pack, expected, assessment()) == [
        "courses[0].adequate_trial: expected null, got false",
        "courses[0].time_to_response_days: expected null, got 21",
    ]


def test_inadequacy_is_compared_as_a_set(tmp_path, pack):
    result = assessment(
        courses=[
            course(
                inadequacy=[InadequacyCode.duration_too_short, InadequacyCode.dose_below_standard]
            )
        ]
    )
    same = {"courses": [{"inadequacy": ["dose_below_standard", "duration_too_short"]}]}
    assert run_one(tmp_path, pack, same, result) == []
    fewer = {"courses": [{"inadequacy": ["duration_too_short"]}]}
    assert run_one(tmp_path, pack, fewer, result) == [
        "courses[0].inadequacy: expected ['duration_too_short'], got "
        "['dose_below_standard', 'duration_too_short']"
    ]


def test_status_and_loss_are_compared(tmp_path, pack):
    expected = {"courses": [{"status": "stopped", "loss_of_response": True}]}
    assert run_one(tmp_path, pack, expected, assessment()) == [
        "courses[0].loss_of_response: expected true, got false",
        "courses[0].status: expected 'stopped', got 'active'",
    ]


# ---------------------------------------------------------------- findings


FINDINGS = [
    finding("inadequate_trial", Severity.warning, "inadequate_trial:course:elt-0"),
    finding("inadequate_trial", Severity.warning, "inadequate_trial:course:elt-1"),
    finding("hbv_screen_missing", Severity.critical),
    finding("project_note", Severity.info),
]


TWO_COURSES = assessment(courses=[course(), course()])


def test_findings_include_exclude_and_count_pass(tmp_path, pack):
    expected = {
        "findings": {
            "include": [
                "project_note",
                {"code": "inadequate_trial", "severity": "warning", "key_contains": "elt-1"},
            ],
            "exclude": ["active_bleeding"],
            "count": {"inadequate_trial": 2, "procedure_threshold": 0},
        }
    }
    assert (
        run_one(
            tmp_path,
            pack,
            expected,
            TWO_COURSES.model_copy(update={"findings": FINDINGS}),
            courses=2,
        )
        == []
    )


def test_findings_mismatches_explain_what_fired(tmp_path, pack):
    expected = {
        "findings": {
            "include": [
                "active_bleeding",
                {"code": "hbv_screen_missing", "severity": "warning"},
                {"code": "inadequate_trial", "key_contains": "elt-9"},
            ],
            "exclude": ["hbv_screen_missing"],
            "count": {"inadequate_trial": 1},
        }
    }
    mismatches = run_one(
        tmp_path, pack, expected, TWO_COURSES.model_copy(update={"findings": FINDINGS}), courses=2
    )
    assert mismatches[0] == (
        "findings: expected 'active_bleeding', got codes "
        "['hbv_screen_missing', 'inadequate_trial', 'project_note']"
    )
    assert mismatches[1].startswith(
        "findings: expected {'code': 'hbv_screen_missing', 'severity': 'warning'}, got "
        "{severity critical"
    )
    assert "key 'inadequate_trial:course:elt-1'" in mismatches[2]
    assert mismatches[3] == (
        "findings: expected no 'hbv_screen_missing', but it fired (because of hbv_screen_missing)"
    )
    assert mismatches[4] == "findings[code=inadequate_trial].count: expected 1, got 2"
    assert len(mismatches) == 5


# ---------------------------------------------------------------- checklists


CHECKLISTS = [
    Checklist(
        code="splenectomy_immunizations",
        items=[
            item("pneumococcal", ChecklistStatus.done),
            item("meningococcal_b", ChecklistStatus.overdue, dt.date(2026, 9, 1)),
        ],
    ),
]


def test_checklist_status_and_due_by(tmp_path, pack):
    good = {
        "checklists": {
            "splenectomy_immunizations": {
                "pneumococcal": {"status": "done", "due_by": None},
                "meningococcal_b": {"status": "overdue", "due_by": "2026-09-01"},
            }
        }
    }
    assert run_one(tmp_path, pack, good, assessment(checklists=CHECKLISTS)) == []
    bad = {
        "checklists": {
            "splenectomy_immunizations": {
                "meningococcal_b": {"status": "due", "due_by": "2026-08-31"},
                "hib": {"status": "due"},
            },
            "pre_rituximab": {"hbv_serology": {"status": "done"}},
        }
    }
    assert run_one(tmp_path, pack, bad, assessment(checklists=CHECKLISTS)) == [
        "checklists.pre_rituximab: expected the checklist, got none",
        "checklists.splenectomy_immunizations.hib: expected the item, got items "
        "['meningococcal_b', 'pneumococcal']",
        "checklists.splenectomy_immunizations.meningococcal_b.status: expected 'due', "
        "got 'overdue'",
        "checklists.splenectomy_immunizations.meningococcal_b.due_by: expected 2026-08-31, "
        "got 2026-09-01",
    ]


# ---------------------------------------------------------------- options


OPTIONS = [
    option("splenectomy", 1),
    option("fostamatinib", 2, ("hypertension",)),
    option("mycophenolate", 3),
    option("romiplostim", 4, ("thrombosis_risk",)),
]


def test_options_pass(tmp_path, pack):
    expected = {
        "options": {
            "include": ["fostamatinib"],
            "exclude": ["rituximab"],
            "first": "splenectomy",
            "not_first": ["fostamatinib"],
            "order": ["fostamatinib", "romiplostim"],
            "cautions": {"romiplostim": ["thrombosis_risk"]},
        }
    }
    assert run_one(tmp_path, pack, expected, assessment(options=list(reversed(OPTIONS)))) == []


def test_options_mismatches(tmp_path, pack):
    expected = {
        "options": {
            "include": ["ciclosporin"],
            "exclude": ["mycophenolate"],
            "first": "fostamatinib",
            "not_first": ["splenectomy"],
            "order": ["romiplostim", "fostamatinib"],
            "cautions": {"fostamatinib": ["hypertension", "hepatotoxicity"], "eltrombopag": ["x"]},
        }
    }
    shown = "['splenectomy', 'fostamatinib', 'mycophenolate', 'romiplostim']"
    assert run_one(tmp_path, pack, expected, assessment(options=OPTIONS)) == [
        f"options: expected 'ciclosporin' to be offered, got {shown}",
        f"options: expected 'mycophenolate' not to be offered, got {shown}",
        "options[rank=1].code: expected 'fostamatinib', got 'splenectomy'",
        f"options[rank=1].code: expected anything but 'splenectomy', got {shown}",
        "options.order: expected ['romiplostim', 'fostamatinib'], got "
        "['fostamatinib', 'romiplostim']",
        f"options[code=eltrombopag].cautions: expected the option, got {shown}",
        "options[code=fostamatinib].cautions: expected ['hypertension', 'hepatotoxicity'] "
        "among them, got ['hypertension']",
    ]


def test_order_needs_every_code_present(tmp_path, pack):
    expected = {"options": {"order": ["fostamatinib", "ciclosporin"]}}
    mismatches = run_one(tmp_path, pack, expected, assessment(options=OPTIONS))
    assert mismatches == [
        "options.order: expected ['ciclosporin'] to be offered, got "
        "['splenectomy', 'fostamatinib', 'mycophenolate', 'romiplostim']"
    ]


def test_first_on_an_empty_option_list(tmp_path, pack):
    assert run_one(tmp_path, pack, {"options": {"first": "splenectomy"}}, assessment()) == [
        "options[rank=1].code: expected 'splenectomy', got null"
    ]


# ---------------------------------------------------------------- monitoring and rescue


def test_monitoring_include_and_exclude(tmp_path, pack):
    result = assessment(
        monitoring=[MonitoringItem(code="liver_tests", due=AS_OF, reason="eltrombopag")]
    )
    assert run_one(tmp_path, pack, {"monitoring": {"include": ["liver_tests"]}}, result) == []
    expected = {"monitoring": {"include": ["blood_pressure"], "exclude": ["liver_tests"]}}
    assert run_one(tmp_path, pack, expected, result) == [
        "monitoring: expected 'blood_pressure' to be due, got ['liver_tests']",
        "monitoring: expected no 'liver_tests', but it is listed",
    ]


def bleeding_result(plan: Rescue | None) -> Assessment:
    findings = [finding("active_bleeding", Severity.critical)] if plan else []
    return assessment(rescue=plan, findings=findings)


def test_rescue_null_and_partial(tmp_path, pack):
    assert run_one(tmp_path, pack, {"rescue": None}, bleeding_result(None)) == []
    assert run_one(tmp_path, pack, {"rescue": None}, bleeding_result(rescue())) == [
        "rescue: expected null, got a rescue plan"
    ]
    partial = {"rescue": {"ivig_total_g": 74.5, "platelet_transfusion": "not_routine"}}
    assert run_one(tmp_path, pack, partial, bleeding_result(rescue())) == []
    assert run_one(tmp_path, pack, partial, bleeding_result(None)) == [
        "rescue: expected {'ivig_total_g': 74.5, 'platelet_transfusion': 'not_routine'}, got null"
    ]


def test_rescue_members_and_null_doses(tmp_path, pack):
    result = bleeding_result(rescue(ivig_total_g=None, methylprednisolone_mg_per_day=600.0))
    expected = {
        "rescue": {
            "ivig_total_g": None,
            "methylprednisolone_mg_per_day": 1000,
            "methylprednisolone_days": 3,
            "tranexamic_acid": True,
        }
    }
    assert run_one(tmp_path, pack, expected, result) == [
        "rescue.methylprednisolone_mg_per_day: expected 1000, got 600"
    ]


# ---------------------------------------------------------------- contract invariants


def test_invariants_are_checked_on_every_case(tmp_path, pack):
    result = assessment(
        courses=[course(agent=AgentCode.romiplostim), course()],
        options=[option("fostamatinib", 1), option("mycophenolate", 1)],
        findings=[finding("hbv_screen_missing", Severity.warning)],
        checklists=[
            Checklist(
                code="pre_rituximab",
                items=[item("hbv_serology", ChecklistStatus.done, dt.date(2026, 9, 1))],
            )
        ],
        rescue=rescue(),
    )
    assert run_one(tmp_path, pack, {}, result) == [
        "invariant courses: expected one per patient course (1), got 2",
        "invariant options[].rank: expected 1..2 without ties, got [1, 1]",
        "invariant findings[code=hbv_screen_missing].severity: expected 'critical', got 'warning'",
        "invariant checklists.pre_rituximab.hbv_serology.due_by: expected null when done, "
        "got 2026-09-01",
        "invariant rescue: non-null exactly when active_bleeding fires; active_bleeding false, "
        "rescue present",
    ]


def test_invariant_course_agents_follow_the_patient(tmp_path, pack):
    result = assessment(courses=[course(agent=AgentCode.romiplostim)])
    assert run_one(tmp_path, pack, {}, result) == [
        "invariant courses[0].agent: expected 'eltrombopag', got 'romiplostim'"
    ]


def test_wrong_number_of_course_assessments_is_reported_once_per_member(tmp_path, pack):
    result = assessment(courses=[])
    assert run_one(tmp_path, pack, {"courses": [{"response": "R"}]}, result) == [
        "courses: expected 1 course assessments, got 0",
        "invariant courses: expected one per patient course (1), got 0",
    ]


# ---------------------------------------------------------------- malformed files and errors


def fail_lines(report: GoldenReport) -> dict[str, list[str]]:
    return {result.name: result.mismatches for result in report.results if not result.passed}


def test_malformed_files_fail_with_file_and_field_and_the_run_goes_on(tmp_path, pack):
    write(tmp_path, "a-json", '{"title": "x",\n  "as_of": }')
    bad_patient = case_data({})
    bad_patient["patient"]["courses"][0]["stop_date"] = "2026-08-01"
    write(tmp_path, "b-patient", bad_patient)
    write(tmp_path, "c-typo", case_data({"findings": {"exlude": ["active_bleeding"]}}))
    write(tmp_path, "d-courses", case_data({"courses": [None, None]}))
    write(tmp_path, "e-unknown-code", case_data({"findings": {"exclude": ["active_bleed"]}}))
    write(tmp_path, "f-ok", case_data({"phase": "persistent"}))
    write(tmp_path, "g-missing-title", {k: v for k, v in case_data({}).items() if k != "title"})
    report = run_golden(tmp_path, pack, assess_fn=fake(assessment()))
    assert (report.passed, report.failed) == (1, 6)
    fails = fail_lines(report)
    assert fails["a-json"] == [
        "a-json.json: (file): is not valid JSON: Expecting value at line 2 column 12"
    ]
    assert len(fails["b-patient"]) == 1
    assert fails["b-patient"][0].startswith(
        "b-patient.json: patient.courses[0].stop_date: stop date 2026-08-01 is before"
    )
    assert fails["c-typo"][0].startswith("c-typo.json: expected.findings.exlude: Extra inputs")
    assert "expected.courses has 2 entries but the patient has 1 courses" in fails["d-courses"][0]
    assert "unknown: active_bleed" in fails["e-unknown-code"][0]
    assert fails["g-missing-title"][0].startswith("g-missing-title.json: title: Field required")
    assert "FAIL a-json: a-json.json: (file): is not valid JSON" in report.render()


@pytest.mark.parametrize(
    ("expected", "fragment"),
    [
        ({"courses": [{"response": None}]}, "response cannot be null"),
        ({"steroid_dependent": None}, "steroid_dependent cannot be null"),
        ({"rescue": {"platelet_transfusion": None}}, "platelet_transfusion cannot be null"),
        ({"checklists": {"splenectomy": {}}}, "unknown checklist code 'splenectomy'"),
        ({"checklists": {"pre_rituximab": {"hbv": {"status": "due"}}}}, "unknown item code(s) hbv"),
        ({"checklists": {"pre_rituximab": {"hbv_serology": {}}}}, "give status and/or due_by"),
        ({"options": {"include": ["romiplostin"]}}, "unknown option code(s): romiplostin"),
        ({"options": {"include": ["ivig"], "exclude": ["ivig"]}}, "both required and excluded"),
        ({"findings": {"count": {"inadequate_trial": -1}}}, "count must be 0 or more"),
        ({"monitoring": {"include": ["liver"]}}, "expected.monitoring.include[0]"),
        ({"courses": [{"time_to_response_days": -1}]}, "greater than or equal to 0"),
    ],
)
def test_invalid_expectations_are_refused(tmp_path, expected, fragment):
    path = write(tmp_path, "bad", case_data(expected))
    with pytest.raises(ValidationFailed) as info:
        load_case(path)
    assert info.value.message.startswith("bad.json: ")
    assert fragment in info.value.message


def test_load_case_returns_the_validated_case(tmp_path):
    path = write(tmp_path, "g07-example", case_data({"phase": "persistent"}))
    case = load_case(path)
    assert (case.name, case.title, case.as_of) == ("g07-example", "A test case", AS_OF)
    assert case.path == path
    assert case.patient.courses[0].agent is AgentCode.eltrombopag
    assert case.expected.phase is Phase.persistent
    assert case.expected.model_fields_set == {"phase"}


def test_unreadable_file_is_a_validation_failure(tmp_path):
    path = tmp_path / "binary.json"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ValidationFailed) as info:
        load_case(path)
    assert info.value.message.startswith("binary.json: (file): cannot be read")


def test_dose_unit_not_allowed_by_the_pack_fails_the_case(tmp_path, pack):
    data = case_data({})
    data["patient"]["courses"][0]["agent"] = "prednisone"
    data["patient"]["courses"][0]["dose_steps"][0]["unit"] = "mg/kg"
    write(tmp_path, "units", data)
    report = run_golden(tmp_path, pack, assess_fn=fake(assessment()))
    assert fail_lines(report) == {
        "units": [
            "units.json: patient.courses[0].dose_steps[0].unit: unit not allowed for "
            "prednisone (allowed: mg) (value: mg/kg)"
        ]
    }


def test_engine_error_is_a_failure_of_that_case_only(tmp_path, pack):
    write(tmp_path, "a", case_data({}))
    write(tmp_path, "b", case_data({}))

    broken = FakeAssess(assessment(), fail_first=ValueError("window end before start"))
    report = run_golden(tmp_path, pack, assess_fn=broken)
    assert fail_lines(report) == {"a": ["assessment failed: ValueError: window end before start"]}
    assert report.passed == 1
    assert len(broken.calls) == 2


def test_missing_or_empty_folder_is_an_error_not_a_pass(tmp_path, pack):
    with pytest.raises(NotFound, match="not found"):
        run_golden(tmp_path / "nowhere", pack, assess_fn=fake(assessment()))
    (tmp_path / "notes.txt").write_text("not a case", encoding="utf-8")
    with pytest.raises(NotFound, match=r"No golden patient files \(\*\.json\)"):
        run_golden(tmp_path, pack, assess_fn=fake(assessment()))
