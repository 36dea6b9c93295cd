"""Property tests: `assess` never raises on a valid patient, and its output keeps the contract's
structural invariants (ranks, sorting, checklist shape, M/U never critical)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itp_desktop.core.codes import SEVERITY_ORDER, ChecklistStatus, VerificationMark
from itp_desktop.engine import assess
from itp_desktop.knowledge.loader import load_default_pack
from tests.strategies import as_of_dates, patients

PACK = load_default_pack()
CHECKLISTS = [
    "splenectomy_immunizations",
    "pre_rituximab",
    "secondary_causes",
    "refractoriness",
    "bleeding_rescue",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patient=patients(), as_of=as_of_dates())
def test_assess_never_raises_and_keeps_invariants(patient, as_of):
    assessment = assess(patient, PACK, as_of)

    assert [o.rank for o in assessment.options] == list(range(1, len(assessment.options) + 1))
    assert len({o.code for o in assessment.options}) == len(assessment.options)

    keys = [(SEVERITY_ORDER[f.severity], f.code, f.key) for f in assessment.findings]
    assert keys == sorted(keys)
    for finding in assessment.findings:
        if finding.verification in (VerificationMark.M, VerificationMark.U):
            assert finding.severity != "critical"
            assert finding.needs_review

    assert [c.code for c in assessment.checklists] == CHECKLISTS
    for checklist in assessment.checklists:
        for item in checklist.items:
            if item.status in (ChecklistStatus.done, ChecklistStatus.not_applicable):
                assert item.due_by is None
            if not checklist.applicable:
                assert item.status == ChecklistStatus.not_applicable

    bleeding = [f for f in assessment.findings if f.code == "active_bleeding"]
    assert bool(bleeding) is (assessment.rescue is not None)

    dues = [(m.due, m.code) for m in assessment.monitoring]
    assert dues == sorted(dues)
    assert len(assessment.courses) == len(patient.courses)


@settings(max_examples=50, deadline=None)
@given(patient=patients(max_courses=4), as_of=as_of_dates(), data=st.data())
def test_same_input_same_json(patient, as_of, data):
    del data
    assert (
        assess(patient, PACK, as_of).model_dump_json()
        == assess(patient, PACK, as_of).model_dump_json()
    )
