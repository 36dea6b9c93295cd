"""Multi-refractory disease and splenectomy failure (contract: multi_refractory)."""

from __future__ import annotations

import datetime as dt

import pytest

from itp_desktop.core.codes import AgentCode, ResponseCode
from itp_desktop.core.models.assessment import CourseAssessment
from itp_desktop.engine.refractory import (
    CORTICOSTEROID,
    RITUXIMAB,
    SPLENECTOMY,
    SYK_BTK,
    TPO_RA,
    multi_refractory,
    splenectomy_failure,
)
from tests.strategies import count, counts, course, d, make_patient, splenectomy, weekly_doses

AS_OF = "2026-12-01"


def assessed(agent, *, response=ResponseCode.NR, adequate=True, loss=False):
    """A CourseAssessment as evaluate_courses would give it (only the members used here)."""
    return CourseAssessment(
        agent=AgentCode(agent),
        response=response,
        time_to_response_days=None,
        loss_of_response=loss,
        adequate_trial=adequate,
        inadequacy=[],
        start_date=dt.date(2026, 1, 1),
        status="stopped",
    )


def verdict(pack, *results, procedures=(), platelet_counts=()):
    courses = [course(result.agent.value, "2026-01-01", stop="2026-02-01") for result in results]
    patient = make_patient(courses=courses, procedures=procedures, platelet_counts=platelet_counts)
    return multi_refractory(patient, pack, d(AS_OF), list(results))


def test_corticosteroid_tpo_ra_and_rituximab(pack, ref):
    result = verdict(pack, assessed("prednisone"), assessed("eltrombopag"), assessed("rituximab"))
    assert result.value is True
    assert result.failed_classes == [CORTICOSTEROID, TPO_RA, RITUXIMAB]
    assert ref("DEF_REFRACTORY_KB") in result.rules
    assert result.why[0] == "prednisone from 2026-01-01: no response (NR) after an adequate trial"


def test_only_one_other_class_is_not_enough(pack):
    result = verdict(pack, assessed("dexamethasone"), assessed("romiplostim"))
    assert result.value is False
    assert (
        result.why[-1] == "failed adequate trials of other classes: TPO receptor agonist (2 needed)"
    )


def test_two_tpo_ras_are_one_class(pack):
    result = verdict(pack, assessed("prednisone"), assessed("romiplostim"), assessed("eltrombopag"))
    assert result.value is False
    assert result.failed_classes == [CORTICOSTEROID, TPO_RA]


def test_fostamatinib_and_rilzabrutinib_are_one_class(pack):
    one_class = verdict(
        pack, assessed("prednisone"), assessed("fostamatinib"), assessed("rilzabrutinib")
    )
    assert one_class.value is False
    with_rtx = verdict(
        pack, assessed("prednisone"), assessed("fostamatinib"), assessed("rituximab")
    )
    assert with_rtx.failed_classes == [CORTICOSTEROID, RITUXIMAB, SYK_BTK]
    assert with_rtx.value is True


def test_corticosteroid_failure_is_required(pack):
    result = verdict(pack, assessed("eltrombopag"), assessed("rituximab"), assessed("fostamatinib"))
    assert result.value is False
    assert "no failed adequate corticosteroid trial" in result.why


def test_loss_of_response_counts_as_failure(pack):
    result = verdict(
        pack,
        assessed("prednisone", response=ResponseCode.R, loss=True),
        assessed("avatrombopag"),
        assessed("rituximab", response=ResponseCode.CR, loss=True),
    )
    assert result.value is True
    assert "rituximab from 2026-01-01: loss of response after CR after an adequate trial" in (
        result.why
    )


@pytest.mark.parametrize("adequate", [False, None])
def test_inadequate_or_unjudged_trials_do_not_count(pack, adequate):
    result = verdict(
        pack,
        assessed("prednisone"),
        assessed("eltrombopag", adequate=adequate),
        assessed("rituximab"),
    )
    assert result.value is False


def test_responses_without_loss_do_not_count(pack):
    result = verdict(
        pack,
        assessed("prednisone"),
        assessed("eltrombopag", response=ResponseCode.R),
        assessed("rituximab", response=ResponseCode.not_evaluable),
    )
    assert result.value is False


def test_splenectomy_failure_is_a_class(pack):
    result = verdict(
        pack,
        assessed("prednisone"),
        assessed("romiplostim"),
        procedures=[splenectomy("2026-06-01")],
        platelet_counts=counts(("2026-11-20", 18)),
    )
    assert result.value is True
    assert result.failed_classes == [CORTICOSTEROID, TPO_RA, SPLENECTOMY]


# ---------------------------------------------------------------- splenectomy failure


@pytest.mark.parametrize(
    ("operated", "latest", "expected"),
    [
        ("2026-11-01", 20, True),  # exactly 30 days before as_of
        ("2026-11-02", 20, False),  # 29 days
        ("2026-06-01", 29.9, True),
        ("2026-06-01", 30, False),
    ],
)
def test_splenectomy_failure(pack, ref, operated, latest, expected):
    patient = make_patient(
        procedures=[splenectomy(operated)], platelet_counts=counts(("2026-11-25", latest))
    )
    result = splenectomy_failure(patient, pack, d(AS_OF))
    assert result.value is expected
    assert result.failed_classes == ([SPLENECTOMY] if expected else [])
    assert result.rules == [ref("DEF_SPLEN_FAILURE")]


def test_splenectomy_failure_with_only_a_preoperative_count_is_flagged_in_why(pack):
    # Contract: "a splenectomy done ≥ 30 days before as_of with the latest count < 30".
    patient = make_patient(
        procedures=[splenectomy("2026-06-01")], platelet_counts=counts(("2026-05-30", 8))
    )
    result = splenectomy_failure(patient, pack, d(AS_OF))
    assert result.value is True
    assert result.why[-1] == (
        "the latest count predates the splenectomy: confirm with a post-operative count"
    )


def test_splenectomy_without_any_count_is_not_a_failure(pack):
    patient = make_patient(procedures=[splenectomy("2026-06-01")])
    result = splenectomy_failure(patient, pack, d(AS_OF))
    assert result.value is False
    assert result.why == ["splenectomy on 2026-06-01; no platelet count recorded"]


def test_planned_splenectomy_is_not_a_failure(pack):
    patient = make_patient(
        procedures=[splenectomy("2027-01-10")], platelet_counts=counts(("2026-11-25", 8))
    )
    assert splenectomy_failure(patient, pack, d(AS_OF)).why == ["no splenectomy done"]


def test_latest_count_decides_not_the_lowest(pack):
    patient = make_patient(
        procedures=[splenectomy("2026-06-01")],
        platelet_counts=[count("2026-07-01", 10), count("2026-11-25", 45)],
    )
    assert splenectomy_failure(patient, pack, d(AS_OF)).value is False


# ---------------------------------------------------------------- end to end


def test_multi_refractory_from_evaluated_courses(pack, assess_courses):
    prednisone = course("prednisone", "2025-01-01", stop="2025-01-21", amount=40)
    eltrombopag = course("eltrombopag", "2025-03-01", stop="2025-04-15", amount=75)
    rtx = weekly_doses("rituximab", "2025-06-02", [375] * 4, "mg/m2")
    patient = make_patient(
        courses=[prednisone, eltrombopag, rtx],
        platelet_counts=counts(
            ("2025-01-01", 12),
            ("2025-01-08", 14),
            ("2025-01-15", 16),
            ("2025-03-01", 10),
            ("2025-03-20", 12),
            ("2025-04-10", 11),
            ("2025-06-02", 9),
            ("2025-07-07", 12),
            ("2025-08-11", 14),
        ),
    )
    results = assess_courses(patient, "2025-10-01")
    assert [(r.response, r.adequate_trial) for r in results] == [(ResponseCode.NR, True)] * 3
    verdict_ = multi_refractory(patient, pack, d("2025-10-01"), results)
    assert verdict_.value is True
    # One class fewer (an eltrombopag dose never at 75 mg) → not multi-refractory.
    low = course("eltrombopag", "2025-03-01", stop="2025-04-15", amount=50)
    patient_low = patient.model_copy(update={"courses": [prednisone, low, rtx]})
    results_low = assess_courses(patient_low, "2025-10-01")
    assert multi_refractory(patient_low, pack, d("2025-10-01"), results_low).value is False


def test_agents_outside_the_classes_do_not_count(pack):
    result = verdict(
        pack, assessed("prednisone"), assessed("mycophenolate"), assessed("eltrombopag")
    )
    assert result.value is False
    assert result.failed_classes == [CORTICOSTEROID, TPO_RA]
