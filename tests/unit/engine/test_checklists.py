"""The five fixed checklists (contract: Checklists fixed; reference 3a–3d, 3f, 10.4)."""

from __future__ import annotations

import pytest

from itp_desktop.core.codes import TestResult, VaccineCode, WorkupTest
from itp_desktop.core.models.patient import (
    BleedingAssessment,
    Immunization,
    RiskFactors,
    WorkupResult,
)
from itp_desktop.engine import assess
from tests.strategies import bleed, counts, course, d, make_patient, splenectomy, step, weekly_doses

AS_OF = "2026-11-22"
ORDER = [
    "splenectomy_immunizations",
    "pre_rituximab",
    "secondary_causes",
    "refractoriness",
    "bleeding_rescue",
]
ALL_WORKUP = [
    WorkupTest.hiv,
    WorkupTest.hcv,
    WorkupTest.hbsag,
    WorkupTest.anti_hbc,
    WorkupTest.h_pylori,
    WorkupTest.ana,
    WorkupTest.antiphospholipid,
    WorkupTest.immunoglobulins,
]


def run(pack, patient, as_of=AS_OF):
    return assess(patient, pack, d(as_of))


def checklist(assessment, code):
    return next(c for c in assessment.checklists if c.code == code)


def items(assessment, code):
    return {i.code: i for i in checklist(assessment, code).items}


def vaccine(code, on, product=""):
    return Immunization(vaccine=VaccineCode(code), date=d(on), product=product)


def result(test, value="negative", on="2026-01-10"):
    return WorkupResult(test=test, result=TestResult(value), date=None if on is None else d(on))


def test_five_checklists_always_listed_in_order(pack, ref):
    assessment = run(pack, make_patient())
    assert [c.code for c in assessment.checklists] == ORDER
    splen = checklist(assessment, "splenectomy_immunizations")
    assert splen.applicable is False
    assert splen.rule == ref("CHK_SPLEN_VACCINES")
    assert [i.code for i in splen.items] == [
        "pneumococcal",
        "meningococcal_acwy",
        "meningococcal_b",
        "hib",
    ]
    for code in ("splenectomy_immunizations", "pre_rituximab", "bleeding_rescue"):
        for item in checklist(assessment, code).items:
            assert item.status == "not_applicable"
            assert item.due_by is None


# ---------------------------------------------------------------- splenectomy_immunizations


def worked_example(pack, as_of: str, *extra_vaccines: Immunization):
    """Reference 10.4: splenectomy planned 15 Sep 2026; PCV20 on 10 Jul 2026."""
    patient = make_patient(
        procedures=[splenectomy("2026-09-15")],
        immunizations=[vaccine("pneumococcal_conjugate", "2026-07-10", "PCV20"), *extra_vaccines],
    )
    return items(run(pack, patient, as_of), "splenectomy_immunizations")


def test_worked_example_10_4(pack):
    result_items = worked_example(pack, "2026-08-20")
    assert result_items["pneumococcal"].status == "done"
    assert result_items["pneumococcal"].due_by is None
    assert "2026-07-10 (PCV20)" in result_items["pneumococcal"].detail
    for code in ("meningococcal_acwy", "meningococcal_b", "hib"):
        assert result_items[code].status == "due"
        assert result_items[code].due_by == d("2026-09-01")
        assert result_items[code].sources == ["CDC/IAC"]


@pytest.mark.parametrize(("as_of", "status"), [("2026-09-01", "due"), ("2026-09-02", "overdue")])
def test_overdue_only_after_the_due_date(pack, as_of, status):
    assert worked_example(pack, as_of)["meningococcal_b"].status == status


def test_dose_inside_the_last_14_days_still_counts(pack):
    done = worked_example(pack, "2026-09-05", vaccine("meningococcal_b", "2026-09-04"))
    assert done["meningococcal_b"].status == "done"


def test_polysaccharide_alone_does_not_complete_pneumococcal(pack):
    patient = make_patient(
        procedures=[splenectomy("2026-12-15")],
        immunizations=[vaccine("pneumococcal_polysaccharide", "2026-10-01")],
    )
    pneumo = items(run(pack, patient), "splenectomy_immunizations")["pneumococcal"]
    assert pneumo.status == "due"
    assert "conjugate" in pneumo.detail


@pytest.mark.parametrize(("as_of", "status"), [("2026-01-24", "due"), ("2026-01-25", "overdue")])
def test_done_splenectomy_without_vaccines_due_14_days_after(pack, as_of, status):
    patient = make_patient(procedures=[splenectomy("2026-01-10")])
    hib = items(run(pack, patient, as_of), "splenectomy_immunizations")["hib"]
    assert (hib.status, hib.due_by) == (status, d("2026-01-24"))


def test_vaccine_dated_after_as_of_does_not_count(pack):
    patient = make_patient(
        procedures=[splenectomy("2026-12-15")], immunizations=[vaccine("hib", "2026-11-23")]
    )
    assert items(run(pack, patient), "splenectomy_immunizations")["hib"].status == "due"


# ---------------------------------------------------------------- pre_rituximab


def test_planned_rituximab_items_due_by_its_start(pack, ref):
    patient = make_patient(courses=[weekly_doses("rituximab", "2026-12-01", [375] * 4, "mg/m2")])
    assessment = run(pack, patient)
    assert checklist(assessment, "pre_rituximab").applicable
    found = items(assessment, "pre_rituximab")
    assert list(found) == ["hbv_serology", "vaccinations_before_rituximab"]
    for item in found.values():
        assert (item.status, item.due_by) == ("due", d("2026-12-01"))
    assert found["hbv_serology"].rule == ref("RTX_HBV")


@pytest.mark.parametrize(
    ("workup", "status"),
    [
        ([result(WorkupTest.hbsag), result(WorkupTest.anti_hbc, "positive")], "done"),
        ([result(WorkupTest.hbsag)], "due"),
        ([result(WorkupTest.hbsag), result(WorkupTest.anti_hbc, "not_done")], "due"),
        ([result(WorkupTest.hbsag), result(WorkupTest.anti_hbc, on="2026-11-23")], "due"),
        ([result(WorkupTest.hbsag, on=None), result(WorkupTest.anti_hbc, on=None)], "done"),
    ],
)
def test_hbv_serology_needs_both_results(pack, workup, status):
    patient = make_patient(
        courses=[weekly_doses("rituximab", "2026-12-01", [375] * 4, "mg/m2")], workup=workup
    )
    item = items(run(pack, patient), "pre_rituximab")["hbv_serology"]
    assert item.status == status
    assert (item.due_by is None) is (status == "done")


def test_pneumococcal_conjugate_completes_vaccination_item(pack):
    patient = make_patient(
        courses=[weekly_doses("rituximab", "2026-12-01", [375] * 4, "mg/m2")],
        immunizations=[vaccine("pneumococcal_conjugate", "2026-11-02")],
    )
    assert items(run(pack, patient), "pre_rituximab")["vaccinations_before_rituximab"].status == (
        "done"
    )


def test_active_rituximab_items_have_no_due_date(pack):
    patient = make_patient(courses=[weekly_doses("rituximab", "2026-11-02", [375] * 3, "mg/m2")])
    for item in items(run(pack, patient), "pre_rituximab").values():
        assert (item.status, item.due_by) == ("due", None)


def persistent_patient(**risks):
    return make_patient(
        diagnosis="2026-05-01",
        platelet_counts=counts(("2026-11-15", 25)),
        risk_factors=RiskFactors(**risks),
    )


def test_rituximab_proposed_in_top_three_makes_it_applicable(pack):
    assessment = run(pack, persistent_patient(prefers_treatment_free_remission=True))
    rank = next(o.rank for o in assessment.options if o.code == "rituximab")
    assert rank <= 3
    assert checklist(assessment, "pre_rituximab").applicable
    assert items(assessment, "pre_rituximab")["hbv_serology"].due_by is None


def test_rituximab_ranked_below_three_does_not(pack):
    assessment = run(pack, persistent_patient())
    assert next(o.rank for o in assessment.options if o.code == "rituximab") > 3
    assert not checklist(assessment, "pre_rituximab").applicable


def test_old_stopped_rituximab_does_not_apply(pack):
    patient = make_patient(courses=[weekly_doses("rituximab", "2025-01-06", [375] * 4, "mg/m2")])
    assert not checklist(run(pack, patient), "pre_rituximab").applicable


# ---------------------------------------------------------------- secondary_causes


def test_secondary_causes_items_exactly_and_due_without_results(pack):
    found = items(run(pack, make_patient()), "secondary_causes")
    assert list(found) == [
        "hiv",
        "hcv",
        "hbv",
        "h_pylori",
        "ana",
        "antiphospholipid",
        "immunoglobulins",
    ]
    assert {i.status for i in found.values()} == {"due"}
    assert {i.due_by for i in found.values()} == {None}


def test_secondary_causes_done_with_any_result(pack):
    workup = [
        result(WorkupTest.hiv),
        result(WorkupTest.anti_hbc, "positive"),  # hbv: any HBsAg or anti-HBc result
        result(WorkupTest.hcv, "not_done"),  # "not done" is not a result
        result(WorkupTest.ana, on="2026-11-23"),  # dated after as_of: ignored
        result(WorkupTest.h_pylori, on=None),  # undated results count
    ]
    found = items(run(pack, make_patient(workup=workup)), "secondary_causes")
    status = {code: item.status for code, item in found.items()}
    assert status == {
        "hiv": "done",
        "hcv": "due",
        "hbv": "done",
        "h_pylori": "done",
        "ana": "due",
        "antiphospholipid": "due",
        "immunoglobulins": "due",
    }
    assert "anti-HBc positive (2026-01-10)" in found["hbv"].detail
    assert "secondary ITP" in found["hbv"].detail


# ---------------------------------------------------------------- refractoriness


def refractory_items(pack, *courses, workup=()):
    patient = make_patient(courses=list(courses), workup=list(workup))
    return items(run(pack, patient), "refractoriness")


def test_refractoriness_items(pack, ref):
    found = refractory_items(
        pack,
        course("prednisone", "2026-01-05", stop="2026-01-25", amount=70, reason="no_response"),
        course("prednisone", "2026-03-02", stop="2026-03-05", amount=10, reason="no_response"),
        course(
            "romiplostim",
            "2026-04-06",
            stop="2026-05-04",
            amount=5,
            unit="mcg/kg",
            frequency="weekly",
            reason="no_response",
        ),
        course("ciclosporin", "2026-06-01", stop="2026-08-01", amount=150, reason="no_response"),
        course("eltrombopag", "2026-09-01", stop="2026-10-01", reason="intolerance"),
    )
    assert list(found) == [
        "adequate_trial:prednisone",
        "adequate_trial:romiplostim",
        "adequate_trial:ciclosporin",
        "secondary_causes_excluded",
    ]
    # The first prednisone course (adequate) is the one listed.
    assert found["adequate_trial:prednisone"].status == "done"
    assert found["adequate_trial:prednisone"].rule == ref("ADQ_PRED")
    assert found["adequate_trial:romiplostim"].status == "due"
    assert found["adequate_trial:ciclosporin"].status == "unknown"
    assert found["secondary_causes_excluded"].status == "due"
    assert {i.due_by for i in found.values()} == {None}


def test_refractoriness_stop_after_as_of_is_not_yet_stopped(pack):
    found = refractory_items(
        pack, course("prednisone", "2026-11-01", stop="2026-11-30", amount=70, reason="no_response")
    )
    assert list(found) == ["secondary_causes_excluded"]


def test_secondary_causes_excluded_done_when_complete(pack):
    found = refractory_items(pack, workup=[result(test) for test in ALL_WORKUP])
    assert found["secondary_causes_excluded"].status == "done"


def test_low_dose_rituximab_item_shows_zaja_nuance(pack):
    low = course(
        "rituximab",
        "2026-01-05",
        stop="2026-01-26",
        steps=[step(f"2026-01-{day:02d}", 100, "mg", "once") for day in (5, 12, 19, 26)],
        reason="no_response",
    )
    item = refractory_items(pack, low)["adequate_trial:rituximab"]
    assert item.status == "due"
    assert "Zaja2010" in item.detail
    assert "Zaja2010" in item.sources


# ---------------------------------------------------------------- bleeding_rescue


def rescue_items(pack, *, bleeding, courses=(), **risks):
    patient = make_patient(
        bleeding=bleeding, courses=list(courses), risk_factors=RiskFactors(**risks)
    )
    return items(run(pack, patient), "bleeding_rescue")


def test_bleeding_rescue_applies_while_rescue_is_active(pack):
    found = rescue_items(pack, bleeding=[bleed("2026-11-20", who=3)])
    assert list(found) == [
        "ivig",
        "methylprednisolone",
        "platelet_transfusion",
        "tranexamic_acid",
        "stop_antithrombotics",
    ]
    assert (found["ivig"].status, found["ivig"].due_by) == ("due", d(AS_OF))
    assert "70 g" in found["ivig"].detail
    assert found["methylprednisolone"].status == "due"
    assert (found["platelet_transfusion"].status, found["platelet_transfusion"].due_by) == (
        "not_applicable",
        None,
    )
    assert found["tranexamic_acid"].status == "due"
    assert found["stop_antithrombotics"].status == "not_applicable"


def test_bleeding_rescue_life_threatening_and_antithrombotics(pack):
    found = rescue_items(
        pack,
        bleeding=[BleedingAssessment(date=d("2026-11-21"), who_grade=4, life_threatening=True)],
        antithrombotic_therapy=True,
    )
    assert found["platelet_transfusion"].status == "due"
    assert found["stop_antithrombotics"].status == "due"


def test_rescue_given_after_the_bleed_is_done(pack):
    ivig = course("ivig", "2026-11-21", stop="2026-11-21", amount=1, unit="g/kg", frequency="once")
    mp_before = course(
        "methylprednisolone", "2026-11-19", stop="2026-11-21", amount=1000, frequency="daily"
    )
    found = rescue_items(pack, bleeding=[bleed("2026-11-20", who=3)], courses=[ivig, mp_before])
    assert (found["ivig"].status, found["ivig"].due_by) == ("done", None)
    assert found["methylprednisolone"].status == "due"
