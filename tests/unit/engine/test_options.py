"""Ranked options and every ordering principle of the contract (Option codes fixed;
reference 4.1–4.5)."""

from __future__ import annotations

import datetime as dt

import pytest

from itp_desktop.core.codes import Phase, ProcedureKind, RhD, TestResult, WorkupTest
from itp_desktop.core.models.patient import Patient, Procedure, RiskFactors, WorkupResult
from itp_desktop.engine import assess
from itp_desktop.engine.options import _Candidate, _enforce, not_first_before_12_months
from tests.strategies import bleed, counts, course, d, make_patient, weekly_doses

AS_OF = "2026-11-22"
TPO_CONTAINING = {
    "romiplostim",
    "eltrombopag",
    "avatrombopag",
    "switch_tpo_ra",
    "fostamatinib+tpo_ra",
    "tpo_ra+immunosuppressant+ivig",
}


def run(pack, patient, as_of=AS_OF):
    return assess(patient, pack, d(as_of))


def codes(assessment):
    return [o.code for o in assessment.options]


def option(assessment, code):
    return next(o for o in assessment.options if o.code == code)


def rank(assessment, code):
    return option(assessment, code).rank


def plus(start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=days)


def multi_refractory(
    *,
    start="2024-02-01",
    diagnosis="2024-01-15",
    candidacy="unknown",
    extra_courses=(),
    extra_counts=(),
    **risks,
):
    """Adequate NR to prednisone, romiplostim (10 mcg/kg × 5 weeks) and rituximab 375 × 4."""
    s = d(start)
    return make_patient(
        diagnosis=diagnosis,
        platelet_counts=[
            *counts(
                (s, 12),
                (plus(s, 7), 15),
                (plus(s, 14), 14),
                (plus(s, 123), 10),
                (plus(s, 137), 12),
                (plus(s, 144), 11),
                (plus(s, 214), 9),
                (plus(s, 256), 14),
                (plus(s, 284), 16),
            ),
            *extra_counts,
        ],
        courses=[
            course("prednisone", s, stop=plus(s, 21), amount=70, reason="no_response"),
            course(
                "romiplostim",
                plus(s, 123),
                stop=plus(s, 151),
                amount=10,
                unit="mcg/kg",
                frequency="weekly",
                reason="no_response",
            ),
            weekly_doses("rituximab", plus(s, 214), [375] * 4, "mg/m2"),
            *extra_courses,
        ],
        risk_factors=RiskFactors(splenectomy_candidate=candidacy, **risks),
    )


def persistent(*, courses=(), platelet_counts=None, **risks):
    """Persistent phase (diagnosed 2026-05-01), count 20, no therapy failed yet."""
    return make_patient(
        diagnosis="2026-05-01",
        platelet_counts=platelet_counts or counts(("2026-11-15", 20)),
        courses=list(courses),
        risk_factors=RiskFactors(**risks),
    )


def assert_ranked(assessment):
    assert [o.rank for o in assessment.options] == list(range(1, len(assessment.options) + 1))


# ---------------------------------------------------------------- splenectomy rank 1


def test_multi_refractory_candidate_splenectomy_first(pack, ref):
    assessment = run(pack, multi_refractory(candidacy="yes"), "2026-06-01")
    assert assessment.multi_refractory is True
    assert assessment.phase == "chronic"
    first = assessment.options[0]
    assert first.code == "splenectomy"
    assert first.rule == ref("OPT_SPLENECTOMY")
    assert "multi_refractory_splenectomy_first" in first.rationale
    assert "splenectomy_shared_decision" in first.rationale
    text = " ".join(e.text for e in first.explanations)
    assert "shared decision" in text
    assert "infection" in text
    assert "thrombosis" in text
    assert "first to consider" in text
    assert_ranked(assessment)


def test_unknown_candidacy_is_not_enough_for_rank_1(pack):
    assessment = run(pack, multi_refractory(candidacy="unknown"), "2026-06-01")
    assert "splenectomy" in codes(assessment)
    assert rank(assessment, "splenectomy") > 1


def test_splenectomy_never_first_before_12_months(pack):
    patient = multi_refractory(
        start="2025-12-08",
        diagnosis="2025-12-01",
        candidacy="yes",
        prefers_treatment_free_remission=True,
    )
    assessment = run(pack, patient)
    assert assessment.multi_refractory is True
    assert assessment.phase == "persistent"
    assert assessment.options[0].code != "splenectomy"
    if "splenectomy" in codes(assessment):
        assert "early_splenectomy" in option(assessment, "splenectomy").cautions


def test_splenectomy_never_first_without_diagnosis_date(pack):
    patient = multi_refractory(candidacy="yes").model_copy(update={"diagnosis": None})
    assessment = run(pack, Patient.model_validate(patient.model_dump()), "2026-06-01")
    assert assessment.options[0].code != "splenectomy"


# ---------------------------------------------------------------- candidacy no


def medical_order(assessment):
    return [c for c in codes(assessment) if c in ("fostamatinib", "mycophenolate", "ciclosporin")]


@pytest.mark.parametrize(
    "risks",
    [{}, {"hypertension": True}, {"prior_thrombosis": True}, {"pregnancy_or_planning": True}],
)
def test_non_candidate_gets_fostamatinib_mycophenolate_ciclosporin_in_order(pack, risks):
    assessment = run(pack, multi_refractory(candidacy="no", **risks), "2026-06-01")
    assert "splenectomy" not in codes(assessment)
    assert medical_order(assessment) == ["fostamatinib", "mycophenolate", "ciclosporin"]
    assert "splenectomy_not_candidate" in option(assessment, "mycophenolate").rationale
    assert_ranked(assessment)


def test_non_candidate_without_a_failed_mycophenolate(pack):
    mmf = course(
        "mycophenolate", "2025-01-06", stop="2025-04-07", amount=1.5, unit="g", reason="no_response"
    )
    patient = multi_refractory(
        candidacy="no",
        extra_courses=[mmf],
        extra_counts=counts(("2025-02-05", 12), ("2025-03-07", 14)),
    )
    assessment = run(pack, patient, "2026-06-01")
    assert assessment.courses[3].adequate_trial is True
    assert assessment.courses[3].response == "NR"
    assert medical_order(assessment) == ["fostamatinib", "ciclosporin"]


def test_non_candidate_without_active_ciclosporin(pack):
    csa = course("ciclosporin", "2026-05-01", amount=150, frequency="twice_daily")
    assessment = run(pack, multi_refractory(candidacy="no", extra_courses=[csa]), "2026-06-01")
    assert medical_order(assessment) == ["fostamatinib", "mycophenolate"]


def test_mycophenolate_rationale_gives_the_anz_view(pack):
    assessment = run(pack, multi_refractory(candidacy="no"), "2026-06-01")
    explanation = next(
        e for e in option(assessment, "mycophenolate").explanations if e.code == "mmf_trial_length"
    )
    assert "4–6 weeks" in explanation.text
    assert "DrOracle2025" in explanation.text
    assert explanation.verification == "S"


# ---------------------------------------------------------------- prior thrombosis


@pytest.mark.parametrize(
    ("build", "as_of"),
    [
        (lambda: persistent(prior_thrombosis=True), AS_OF),
        (lambda: multi_refractory(candidacy="yes", prior_thrombosis=True), "2026-06-01"),
        (
            lambda: persistent(
                prior_thrombosis=True, prefers_treatment_free_remission=True, needle_averse=True
            ),
            AS_OF,
        ),
    ],
)
def test_thrombosis_tpo_ra_options_below_fostamatinib(pack, build, as_of):
    assessment = run(pack, build(), as_of)
    tpo = [o for o in assessment.options if o.code in TPO_CONTAINING]
    assert tpo
    fosta = rank(assessment, "fostamatinib")
    for item in tpo:
        assert "thrombosis_risk" in item.cautions
        assert item.rank > fosta


def test_thrombosis_combination_carries_the_caution(pack):
    patient = fosta_then_tpo(prior_thrombosis=True)
    combo = option(run(pack, patient), "fostamatinib+tpo_ra")
    assert "thrombosis_risk" in combo.cautions


# ---------------------------------------------------------------- hypertension, liver, HBV


def fosta_then_tpo(**risks):
    """Fostamatinib 150 mg BID stopped for NR, then eltrombopag ongoing (persistent phase)."""
    fosta = course(
        "fostamatinib",
        "2026-06-01",
        stop="2026-08-31",
        amount=150,
        frequency="twice_daily",
        reason="no_response",
    )
    elt = course("eltrombopag", "2026-09-07", amount=50)
    return persistent(
        courses=[fosta, elt],
        platelet_counts=counts(
            ("2026-06-01", 15), ("2026-07-01", 18), ("2026-08-01", 17), ("2026-11-15", 20)
        ),
        **risks,
    )


def test_hypertension_every_fostamatinib_option_cautioned(pack):
    assessment = run(pack, fosta_then_tpo(hypertension=True))
    containing = [o for o in assessment.options if "fostamatinib" in o.code]
    assert [o.code for o in containing] == ["fostamatinib+tpo_ra"]
    assert all("hypertension" in o.cautions for o in containing)
    assessment = run(pack, persistent(hypertension=True))
    assert "hypertension" in option(assessment, "fostamatinib").cautions


@pytest.mark.parametrize("needle_averse", [False, True])
def test_hepatic_impairment_eltrombopag_below_romiplostim(pack, needle_averse):
    assessment = run(pack, persistent(hepatic_impairment=True, needle_averse=needle_averse))
    elt = option(assessment, "eltrombopag")
    assert "hepatotoxicity" in elt.cautions
    assert elt.rank > rank(assessment, "romiplostim")
    assert_ranked(assessment)


def test_hbv_exposure_rituximab_caution(pack):
    patient = persistent()
    patient = Patient.model_validate(
        {
            **patient.model_dump(),
            "workup": [
                WorkupResult(test=WorkupTest.anti_hbc, result=TestResult.positive).model_dump()
            ],
        }
    )
    assert "hbv_reactivation" in option(run(pack, patient), "rituximab").cautions
    assert "hbv_reactivation" not in option(run(pack, persistent()), "rituximab").cautions


# ---------------------------------------------------------------- combinations


def test_fostamatinib_tpo_ra_after_fostamatinib_nr_with_ongoing_tpo_ra(pack):
    assessment = run(pack, fosta_then_tpo())
    assert assessment.courses[0].response == "NR"
    assert "fostamatinib+tpo_ra" in codes(assessment)
    assert "eltrombopag" not in codes(assessment)  # active: not a monotherapy option


def test_fostamatinib_tpo_ra_after_tpo_ra_nr_with_ongoing_fostamatinib(pack):
    romi = course(
        "romiplostim",
        "2026-06-01",
        stop="2026-08-31",
        amount=4,
        unit="mcg/kg",
        frequency="weekly",
        reason="no_response",
    )
    fosta = course("fostamatinib", "2026-09-07", amount=100, frequency="twice_daily")
    patient = persistent(
        courses=[romi, fosta],
        platelet_counts=counts(("2026-06-01", 15), ("2026-07-01", 18), ("2026-08-01", 17)),
    )
    assert "fostamatinib+tpo_ra" in codes(run(pack, patient))


def test_fostamatinib_tpo_ra_after_nr_to_each_in_turn(pack):
    fosta = course(
        "fostamatinib",
        "2026-01-05",
        stop="2026-04-06",
        amount=150,
        frequency="twice_daily",
        reason="no_response",
    )
    elt = course("eltrombopag", "2026-05-04", stop="2026-08-03", amount=75, reason="no_response")
    patient = persistent(
        courses=[fosta, elt],
        platelet_counts=counts(
            ("2026-01-05", 10),
            ("2026-02-05", 12),
            ("2026-03-05", 14),
            ("2026-05-04", 11),
            ("2026-06-04", 13),
            ("2026-07-04", 12),
        ),
    )
    assessment = run(pack, patient)
    assert "fostamatinib+tpo_ra" in codes(assessment)
    assert "fostamatinib" not in codes(assessment)  # adequate NR: not offered again alone


def test_no_fostamatinib_tpo_ra_after_one_failure_only(pack):
    fosta = course(
        "fostamatinib",
        "2026-06-01",
        stop="2026-08-31",
        amount=150,
        frequency="twice_daily",
        reason="no_response",
    )
    patient = persistent(
        courses=[fosta],
        platelet_counts=counts(("2026-06-01", 15), ("2026-07-01", 18), ("2026-08-01", 17)),
    )
    assert "fostamatinib+tpo_ra" not in codes(run(pack, patient))


def triple_candidate(bleed_days_ago):
    ivig = course("ivig", "2026-06-01", stop="2026-06-01", amount=1, unit="g/kg", frequency="once")
    romi = course(
        "romiplostim",
        "2026-07-06",
        stop="2026-08-31",
        amount=3,
        unit="mcg/kg",
        frequency="weekly",
        reason="no_response",
    )
    return persistent(
        courses=[ivig, romi],
        platelet_counts=counts(
            ("2026-06-01", 10),
            ("2026-06-05", 12),
            ("2026-06-12", 15),
            ("2026-07-06", 11),
            ("2026-07-20", 12),
            ("2026-08-03", 14),
            ("2026-11-15", 20),
        ),
    ).model_copy(update={"bleeding": [bleed(d(AS_OF) - dt.timedelta(days=bleed_days_ago), who=2)]})


@pytest.mark.parametrize(("days_ago", "offered"), [(90, True), (91, False)])
def test_triple_combination_in_severe_disease(pack, days_ago, offered):
    assessment = run(pack, Patient.model_validate(triple_candidate(days_ago).model_dump()))
    assert [c.response for c in assessment.courses] == ["NR", "NR"]
    assert ("tpo_ra+immunosuppressant+ivig" in codes(assessment)) is offered


def test_triple_combination_in_multi_refractory_disease(pack):
    ivig = course("ivig", "2026-01-05", stop="2026-01-05", amount=1, unit="g/kg", frequency="once")
    patient = multi_refractory(
        extra_courses=[ivig],
        extra_counts=counts(("2026-01-05", 8), ("2026-01-08", 9), ("2026-01-15", 11)),
    )
    assessment = run(pack, patient, "2026-06-01")
    assert assessment.courses[3].response == "NR"
    assert "tpo_ra+immunosuppressant+ivig" in codes(assessment)


# ---------------------------------------------------------------- no repeat of a failed agent


def romiplostim_stopped(dose):
    return course(
        "romiplostim",
        "2026-06-01",
        stop="2026-07-27",
        amount=dose,
        unit="mcg/kg",
        frequency="weekly",
        reason="no_response",
    )


def nr_counts():
    return counts(("2026-06-01", 12), ("2026-06-22", 14), ("2026-07-20", 13), ("2026-11-15", 20))


def test_adequate_tpo_ra_failure_leads_to_switch(pack):
    patient = persistent(courses=[romiplostim_stopped(10)], platelet_counts=nr_counts())
    assessment = run(pack, patient)
    assert assessment.courses[0].adequate_trial is True
    assert "switch_tpo_ra" in codes(assessment)
    assert not {"romiplostim", "eltrombopag", "avatrombopag"} & set(codes(assessment))
    assert "tpo_ra_switch" in option(assessment, "switch_tpo_ra").rationale


def test_inadequate_tpo_ra_failure_may_be_completed(pack):
    patient = persistent(courses=[romiplostim_stopped(5)], platelet_counts=nr_counts())
    assessment = run(pack, patient)
    assert "switch_tpo_ra" not in codes(assessment)
    assert "complete_adequate_trial" in option(assessment, "romiplostim").rationale


def test_tpo_ra_intolerance_leads_to_switch(pack):
    elt = course("eltrombopag", "2026-06-01", stop="2026-06-20", amount=50, reason="intolerance")
    assessment = run(pack, persistent(courses=[elt]))
    assert "switch_tpo_ra" in codes(assessment)
    assert "eltrombopag" not in codes(assessment)


def test_no_rituximab_option_after_rituximab_nr(pack):
    assessment = run(pack, multi_refractory(candidacy="yes"), "2026-06-01")
    assert assessment.courses[2].response == "NR"
    assert not [c for c in codes(assessment) if "rituximab" in c]


def test_active_agent_is_not_listed_as_monotherapy(pack):
    elt = course("eltrombopag", "2026-10-01", amount=50)
    listed = codes(run(pack, persistent(courses=[elt])))
    assert not {"eltrombopag", "romiplostim", "avatrombopag", "switch_tpo_ra"} & set(listed)


# ---------------------------------------------------------------- first line and patient factors


def newly_diagnosed(value=20, **extra):
    return make_patient(
        diagnosis="2026-10-20", platelet_counts=counts(("2026-11-20", value)), **extra
    )


def test_newly_diagnosed_first_line(pack):
    assessment = run(pack, newly_diagnosed())
    assert codes(assessment)[:2] == ["prednisone", "dexamethasone"]
    assert "ivig" in codes(assessment)
    assert not {"romiplostim", "fostamatinib", "rituximab", "splenectomy"} & set(codes(assessment))
    assert "observation_first" not in option(assessment, "prednisone").cautions


def test_newly_diagnosed_with_30_and_no_bleeding_may_be_observed(pack):
    assessment = run(pack, newly_diagnosed(35))
    assert "observation_first" in option(assessment, "prednisone").cautions


def test_fast_rise_for_a_procedure_puts_ivig_first(pack):
    patient = newly_diagnosed(
        20, procedures=[Procedure(kind=ProcedureKind.dental_extraction, date=d("2026-11-27"))]
    )
    assessment = run(pack, patient)
    assert assessment.options[0].code == "ivig"
    assert "fast_rise" in assessment.options[0].rationale


def test_steroid_failure_moves_newly_diagnosed_to_second_line(pack):
    pred = course("prednisone", "2026-10-20", stop="2026-11-10", amount=70, reason="no_response")
    patient = make_patient(
        diagnosis="2026-10-20",
        platelet_counts=counts(("2026-10-20", 10), ("2026-10-27", 12), ("2026-11-03", 11)),
        courses=[pred],
    )
    listed = codes(run(pack, patient))
    assert "romiplostim" in listed
    assert "prednisone" not in listed
    assert "dexamethasone" not in listed


def test_child_first_and_second_line(pack):
    child = Patient.model_validate(
        {**newly_diagnosed().model_dump(), "birth_date": dt.date(2019, 3, 1), "weight_kg": 22.0}
    )
    assessment = run(pack, child)
    assert "child_prednisone" in option(assessment, "prednisone").rationale
    assert "child_dexamethasone" in option(assessment, "dexamethasone").cautions
    older = Patient.model_validate(
        {**persistent().model_dump(), "birth_date": dt.date(2019, 3, 1), "weight_kg": 22.0}
    )
    listed = codes(run(pack, older))
    assert "fostamatinib" not in listed
    assert "rilzabrutinib" not in listed
    assert listed[0] in ("romiplostim", "eltrombopag", "avatrombopag")


def test_anti_d_only_when_eligible(pack):
    eligible = newly_diagnosed(rh_d=RhD.positive, haemoglobin_g_dl=9.0)
    anti_d = option(run(pack, eligible), "anti_d")
    assert {"anti_d_haemolysis", "anti_d_reduced_dose"} <= set(anti_d.cautions)
    assert "anti_d" not in codes(
        run(pack, newly_diagnosed(rh_d=RhD.negative, haemoglobin_g_dl=13.0))
    )


def test_pregnancy_prefers_prednisone_and_ivig(pack):
    assessment = run(pack, persistent(pregnancy_or_planning=True))
    assert codes(assessment)[:2] == ["ivig", "prednisone"]
    assert "embryo_fetal_toxicity" in option(assessment, "fostamatinib").cautions
    assert "tpo_ra_pregnancy" in option(assessment, "romiplostim").cautions


def test_treatment_free_remission_favours_rituximab(pack):
    plain = run(pack, persistent())
    wish = run(pack, persistent(prefers_treatment_free_remission=True))
    assert rank(wish, "rituximab") < rank(plain, "rituximab")
    assert "treatment_free_remission" in option(wish, "rituximab").rationale


# ---------------------------------------------------------------- structure


@pytest.mark.parametrize(
    ("patient", "as_of"),
    [
        (persistent(), AS_OF),
        (multi_refractory(candidacy="yes"), "2026-06-01"),
        (multi_refractory(candidacy="no"), "2026-06-01"),
        (newly_diagnosed(), AS_OF),
    ],
)
def test_every_code_is_explained_with_sources(pack, patient, as_of):
    assessment = run(pack, patient, as_of)
    assert 1 <= len(assessment.options) <= 8
    assert_ranked(assessment)
    for item in assessment.options:
        assert item.label
        assert item.rule.startswith("OPT_")
        explained = [e.code for e in item.explanations]
        assert explained == [*item.rationale, *item.cautions]
        for explanation in item.explanations:
            assert explanation.sources
            assert set(explanation.sources) <= set(item.sources)
            assert set(explanation.sources) <= set(pack.citations)


def test_order_constraints_hold_from_any_start():
    ranked = [_Candidate(code, float(i)) for i, code in enumerate(["csa", "mmf", "x", "fosta"])]
    constraints = [("fosta", "mmf"), ("mmf", "csa"), ("fosta", "csa"), ("absent", "x")]
    assert [c.code for c in _enforce(ranked, constraints)] == ["x", "fosta", "mmf", "csa"]
    # A cycle (never produced by the engine) does not fail: its members keep their score order.
    cycle = _enforce(ranked, [("csa", "mmf"), ("mmf", "csa")])
    assert [c.code for c in cycle] == ["x", "fosta", "csa", "mmf"]


def as_child(patient: Patient) -> Patient:
    return Patient.model_validate(
        {**patient.model_dump(), "birth_date": dt.date(2012, 3, 1), "weight_kg": 45.0}
    )


def test_multi_refractory_child_candidate_splenectomy_last(pack):
    assessment = run(pack, as_child(multi_refractory(candidacy="yes")), "2026-06-01")
    assert assessment.multi_refractory is True
    splen = option(assessment, "splenectomy")
    assert "child_splenectomy" in splen.cautions
    assert splen.rank == len(assessment.options)
    assert not {"fostamatinib", "rilzabrutinib"} & set(codes(assessment))


def test_multi_refractory_without_rituximab_nr_offers_rituximab(pack):
    # Corticosteroid + TPO-RA + fostamatinib failures (no rituximab course at all).
    fosta = course(
        "fostamatinib",
        "2025-01-06",
        stop="2025-04-07",
        amount=150,
        frequency="twice_daily",
        reason="no_response",
    )
    data = multi_refractory().model_dump()
    data["courses"] = [data["courses"][0], data["courses"][1], fosta.model_dump()]
    data["platelet_counts"] += [
        c.model_dump() for c in counts(("2025-01-06", 10), ("2025-02-06", 12), ("2025-03-06", 11))
    ]
    assessment = run(pack, Patient.model_validate(data), "2026-06-01")
    assert assessment.multi_refractory is True
    assert codes(assessment)[0] == "fostamatinib+tpo_ra"  # NR to each in turn
    assert "rituximab" in codes(assessment)
    assert "fostamatinib" not in codes(assessment)  # failed an adequate trial


def test_fostamatinib_tpo_ra_for_a_child_carries_adult_only_caution(pack):
    combo = option(run(pack, as_child(fosta_then_tpo())), "fostamatinib+tpo_ra")
    assert "adult_only_agent" in combo.cautions


def test_previous_no_response_and_intolerance_cautions(pack):
    csa = course("ciclosporin", "2025-01-06", stop="2025-03-03", amount=150, reason="no_response")
    fosta = course(
        "fostamatinib",
        "2025-04-07",
        stop="2025-04-21",
        amount=100,
        frequency="twice_daily",
        reason="intolerance",
    )
    patient = multi_refractory(
        candidacy="no",
        extra_courses=[csa, fosta],
        extra_counts=counts(("2025-01-06", 10), ("2025-02-06", 12), ("2025-03-02", 11)),
    )
    assessment = run(pack, patient, "2026-06-01")
    assert "previous_no_response" in option(assessment, "ciclosporin").cautions
    assert "previous_intolerance" in option(assessment, "fostamatinib").cautions
    assert medical_order(assessment) == ["fostamatinib", "mycophenolate", "ciclosporin"]


@pytest.mark.parametrize(
    ("patient", "observe"),
    [
        (lambda: newly_diagnosed(35, bleeding=[bleed("2026-11-10", who=2)]), False),
        (lambda: as_child(newly_diagnosed(8, bleeding=[bleed("2026-11-10", who=1)])), True),
        (
            lambda: as_child(
                newly_diagnosed(8, bleeding=[bleed("2026-11-10", who=None, itpbat_mucosa=1)])
            ),
            False,
        ),
    ],
)
def test_observation_needs_no_significant_bleeding(pack, patient, observe):
    assessment = run(pack, patient())
    assert ("observation_first" in option(assessment, "prednisone").cautions) is observe


def test_splenectomy_guard_before_12_months():
    splen, other = _Candidate("splenectomy", 0.0), _Candidate("romiplostim", 1.0)
    assert not_first_before_12_months([splen, other], Phase.persistent) == [other, splen]
    assert not_first_before_12_months([splen], None) == []
    assert not_first_before_12_months([splen, other], Phase.chronic) == [splen, other]
