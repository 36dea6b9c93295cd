"""The golden patients (tests/data/golden/*.json) against the real engine and default pack.

Each case file is one test, so a failure names the case and lists every mismatch (member
path, expected, actual). Expectations are written by hand from the binding contract; when a
case fails, re-derive it from the contract before touching either side (docs/GOLDEN_PATIENTS.md).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from itp_desktop.core.codes import AgentCode, ProcedureKind
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.validation import check_not_in_future
from itp_desktop.services.golden import (
    FIXED_FINDING_SEVERITIES,
    AssessFn,
    check_case,
    load_case,
    run_golden,
)

GOLDEN_DIR = Path(__file__).parents[2] / "data" / "golden"
CASE_FILES = sorted(GOLDEN_DIR.glob("*.json"))
STORE_TODAY = dt.date(2026, 11, 22)
"""The store refuses results dated after today; golden data must stay importable on this date."""


@pytest.fixture(scope="module")
def pack() -> KnowledgePack:
    from itp_desktop.knowledge.loader import load_default_pack

    return load_default_pack()


@pytest.fixture(scope="module")
def engine_assess() -> AssessFn:
    from itp_desktop.engine import assess

    return assess


@pytest.mark.parametrize("path", CASE_FILES, ids=[path.stem for path in CASE_FILES])
def test_golden_case(path: Path, pack: KnowledgePack, engine_assess: AssessFn) -> None:
    case = load_case(path)
    result = check_case(case, pack, engine_assess)
    assert result.passed, f"{case.name} — {case.title}:\n  " + "\n  ".join(result.mismatches)


def test_whole_folder_passes_through_the_runner(pack: KnowledgePack) -> None:
    report = run_golden(GOLDEN_DIR, pack)
    assert report.failed == 0, report.render()
    assert report.passed == len(CASE_FILES)


# ---------------------------------------------------------------- the data itself (no engine)


def test_suite_is_large_and_named_consistently() -> None:
    assert len(CASE_FILES) >= 32
    for index, path in enumerate(CASE_FILES, start=1):
        assert path.stem.startswith(f"g{index:02d}-"), path.name


@pytest.mark.parametrize("path", CASE_FILES, ids=[path.stem for path in CASE_FILES])
def test_case_data_is_valid_and_importable(path: Path) -> None:
    case = load_case(path)
    assert check_not_in_future(case.patient, STORE_TODAY) == []
    assert case.as_of <= dt.date(2026, 12, 31)
    assert all(course.id for course in case.patient.courses), "every course needs an id"
    assert len({course.id for course in case.patient.courses}) == len(case.patient.courses)
    # A case must assert something beyond the always-on invariants.
    assert case.expected.model_fields_set, "expected is empty"


def test_every_case_is_listed_in_the_docs() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "GOLDEN_PATIENTS.md").read_text(encoding="utf-8")
    missing = [path.stem for path in CASE_FILES if f"`{path.stem}`" not in doc]
    assert not missing, f"add these cases to the table in docs/GOLDEN_PATIENTS.md: {missing}"


def test_suite_covers_the_contract() -> None:
    cases = [load_case(path) for path in CASE_FILES]
    fired: set[str] = set()
    excluded: set[str] = set()
    for case in cases:
        findings = case.expected.findings
        if findings is None:
            continue
        fired |= {f if isinstance(f, str) else f.code for f in findings.include}
        fired |= {code for code, n in findings.count.items() if n > 0}
        excluded |= set(findings.exclude)
    assert set(FIXED_FINDING_SEVERITIES) <= fired, "a fixed finding code is never seen firing"
    assert set(FIXED_FINDING_SEVERITIES) <= excluded, "a fixed finding code is never ruled out"
    agents = {course.agent for case in cases for course in case.patient.courses}
    for agent in (
        AgentCode.prednisone,
        AgentCode.dexamethasone,
        AgentCode.ivig,
        AgentCode.anti_d,
        AgentCode.rituximab,
        AgentCode.romiplostim,
        AgentCode.eltrombopag,
        AgentCode.avatrombopag,
        AgentCode.fostamatinib,
    ):
        assert agent in agents, f"no golden case has a {agent} course"
    procedures = {p.kind for case in cases for p in case.patient.procedures}
    assert {ProcedureKind.splenectomy, ProcedureKind.dental_extraction} <= procedures
    checklists = {code for case in cases for code in case.expected.checklists}
    assert checklists == {
        "splenectomy_immunizations",
        "pre_rituximab",
        "secondary_causes",
        "refractoriness",
        "bleeding_rescue",
    }
    assert any(case.patient.age_years(case.as_of) < 18 for case in cases)
    assert any(case.expected.rescue is not None for case in cases)
