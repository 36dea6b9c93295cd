"""Procedure and work-up findings: procedure_threshold, splenectomy_vaccines_incomplete,
secondary_causes_incomplete, and the project's procedure_count_missing and
splenectomy_before_12_months (contract: Codes fixed for findings; reference 3b, 3f, 5.2)."""

from __future__ import annotations

import datetime as dt

import pytest

from itp_desktop.core.codes import ProcedureKind, TestResult, VaccineCode, WorkupTest
from itp_desktop.core.models.patient import Immunization, Procedure, WorkupResult
from itp_desktop.engine import assess
from tests.strategies import counts, d, make_patient, splenectomy

AS_OF = "2026-11-22"


def run(pack, patient, as_of=AS_OF):
    return assess(patient, pack, d(as_of))


def found(assessment, code):
    return [f for f in assessment.findings if f.code == code]


def planned(kind, days_ahead, proc_id=None):
    return Procedure(
        id=proc_id, kind=ProcedureKind(kind), date=d(AS_OF) + dt.timedelta(days=days_ahead)
    )


# ---------------------------------------------------------------- procedure_threshold


@pytest.mark.parametrize(
    ("days", "count", "fires"),
    [
        (14, 25, True),  # inside the 14-day window, below 30
        (15, 25, False),  # outside the window
        (14, 30, False),  # at the target: not below
        (0, 25, False),  # today: not "after as_of"
        (1, 29.9, True),
    ],
)
def test_dental_extraction(pack, days, count, fires):
    patient = make_patient(
        platelet_counts=counts(("2026-11-20", count)),
        procedures=[planned("dental_extraction", days)],
    )
    assert bool(found(run(pack, patient), "procedure_threshold")) is fires


@pytest.mark.parametrize(
    ("kind", "below", "at"),
    [
        ("minor_surgery", 49, 50),
        ("major_surgery", 79, 80),
        ("neurosurgery", 99, 100),
        ("neuraxial_anaesthesia", 79, 80),
        ("delivery", 49, 50),
        ("splenectomy", 49, 50),
    ],
)
def test_procedure_targets(pack, kind, below, at):
    for value, fires in ((below, True), (at, False)):
        patient = make_patient(
            platelet_counts=counts(("2026-11-20", value)), procedures=[planned(kind, 7)]
        )
        assert bool(found(run(pack, patient), "procedure_threshold")) is fires


def test_procedure_finding_detail(pack, ref):
    patient = make_patient(
        platelet_counts=counts(("2026-11-20", 25)),
        procedures=[planned("dental_extraction", 10, "px1")],
    )
    (finding,) = found(run(pack, patient), "procedure_threshold")
    assert finding.key == "procedure_threshold:procedure:px1"
    assert finding.rule == ref("FIND_PROCEDURE_THRESHOLD")
    assert finding.why == [
        "dental extraction planned on 2026-12-02 (in 10 days)",
        "latest platelet count 25 ×10⁹/L on 2026-11-20",
        "target for dental extraction: 30 ×10⁹/L",
    ]


def test_procedure_without_count(pack):
    patient = make_patient(procedures=[planned("major_surgery", 5)])
    assessment = run(pack, patient)
    assert not found(assessment, "procedure_threshold")
    (finding,) = found(assessment, "procedure_count_missing")
    assert finding.severity == "warning"
    assert finding.needs_review is True  # engineering rule, mark M


# ---------------------------------------------------------------- splenectomy_vaccines_incomplete


ALL_FOUR = [
    Immunization(vaccine=VaccineCode.pneumococcal_conjugate, date=d("2026-10-01")),
    Immunization(vaccine=VaccineCode.meningococcal_acwy, date=d("2026-10-01")),
    Immunization(vaccine=VaccineCode.meningococcal_b, date=d("2026-10-01")),
    Immunization(vaccine=VaccineCode.hib, date=d("2026-10-01")),
]


def test_planned_splenectomy_missing_vaccines(pack, ref):
    patient = make_patient(procedures=[splenectomy("2026-12-15")], immunizations=ALL_FOUR[:3])
    (finding,) = found(run(pack, patient), "splenectomy_vaccines_incomplete")
    assert finding.severity == "critical"
    assert finding.rule == ref("PIT_SPLEN_VACC")
    assert finding.key == "splenectomy_vaccines_incomplete:procedure:[0]"
    assert "Haemophilus influenzae type b vaccine (Hib): due (due by 2026-12-01)" in finding.why
    assert "do not postpone" in finding.message


def test_complete_vaccines_no_finding(pack):
    patient = make_patient(procedures=[splenectomy("2026-12-15")], immunizations=ALL_FOUR)
    assert not found(run(pack, patient), "splenectomy_vaccines_incomplete")


def test_done_splenectomy_is_not_planned(pack):
    patient = make_patient(procedures=[splenectomy("2026-01-10")])
    assert not found(run(pack, patient), "splenectomy_vaccines_incomplete")


# ---------------------------------------------------------------- secondary_causes_incomplete


def results(*tests):
    return [WorkupResult(test=t, result=TestResult.negative, date=d("2026-01-10")) for t in tests]


def test_secondary_causes_incomplete(pack, ref):
    patient = make_patient(workup=results(WorkupTest.hiv, WorkupTest.hcv))
    (finding,) = found(run(pack, patient), "secondary_causes_incomplete")
    assert finding.severity == "warning"
    assert finding.rule == ref("FIND_SECONDARY_CAUSES")
    assert finding.key == "secondary_causes_incomplete:patient"
    assert len(finding.why) == 5
    assert finding.needs_review is True  # HIV/HCV/HBV/H. pylori in the work-up are mark M


def test_secondary_causes_complete(pack):
    patient = make_patient(
        workup=results(
            WorkupTest.hiv,
            WorkupTest.hcv,
            WorkupTest.hbsag,
            WorkupTest.h_pylori,
            WorkupTest.ana,
            WorkupTest.antiphospholipid,
            WorkupTest.immunoglobulins,
        )
    )
    assert not found(run(pack, patient), "secondary_causes_incomplete")


# ---------------------------------------------------------------- splenectomy_before_12_months


@pytest.mark.parametrize(("on", "fires"), [("2027-01-14", True), ("2027-01-15", False)])
def test_splenectomy_within_12_months_of_diagnosis(pack, on, fires):
    patient = make_patient(diagnosis="2026-01-15", procedures=[splenectomy(on)])
    assert bool(found(run(pack, patient), "splenectomy_before_12_months")) is fires
