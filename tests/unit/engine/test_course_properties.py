"""Properties of course evaluation over any valid patient (hypothesis).

Patients come from tests/strategies.py, drawn in a narrow date range so courses, counts,
rescue courses and bleeding overlap often. Examples are derandomised (deterministic runs)
and capped at 200 so the module stays fast.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itp_desktop.core.codes import ResponseCode
from itp_desktop.engine.refractory import multi_refractory, splenectomy_failure, steroid_dependence
from itp_desktop.engine.response import evaluate_courses
from itp_desktop.engine.timeline import latest_count
from tests.strategies import as_of_dates, count, patients

FIRST, LAST = dt.date(2026, 1, 1), dt.date(2026, 9, 30)
DENSE = patients(
    min_counts=12, max_counts=40, max_courses=4, first=FIRST, last=LAST, typical_counts=True
)
AS_OF = st.dates(min_value=dt.date(2026, 1, 15), max_value=dt.date(2026, 12, 31))

PROPERTY = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(patient=DENSE, as_of=AS_OF, offset=st.integers(1, 400), value=st.floats(0, 3000))
def test_a_count_after_the_window_end_changes_nothing(pack, patient, as_of, offset, value):
    before = evaluate_courses(patient, pack, as_of)
    for index, result in enumerate(before):
        if result.window is None:
            continue
        late = count(result.window.end + dt.timedelta(days=offset), value)
        extended = patient.model_copy(update={"platelet_counts": [*patient.platelet_counts, late]})
        after = evaluate_courses(extended, pack, as_of)[index]
        assert after == result


@PROPERTY
@given(patient=patients(), as_of=as_of_dates())
def test_course_evaluation_never_raises_and_is_consistent(pack, patient, as_of):
    results = evaluate_courses(patient, pack, as_of)
    assert len(results) == len(patient.courses)
    for treatment, result in zip(patient.courses, results, strict=True):
        assert result.agent is treatment.agent
        assert (result.status == "planned") is (treatment.start_date > as_of)
        if result.status == "planned":
            assert result.response is ResponseCode.not_evaluable
            assert result.adequate_trial is None
        if result.response in (ResponseCode.CR, ResponseCode.R):
            assert result.confirmed_on is not None
            assert result.time_to_response_days is not None
            assert result.time_to_response_days >= 1
            assert result.counts_in_window >= 2
        else:
            assert result.confirmed_on is None
            assert result.time_to_response_days is None
            assert result.loss_of_response is False
        if result.response is ResponseCode.R:
            assert result.baseline is not None
        if result.window is not None:
            assert result.window.start <= result.window.end <= as_of
        assert (result.adequate_trial is False) is bool(result.inadequacy)
        assert all("@" in rule for rule in result.rules)
    steroid_dependence(patient, pack, as_of)
    splenectomy_failure(patient, pack, as_of)
    multi_refractory(patient, pack, as_of, results)
    latest = latest_count(patient, as_of)
    assert latest is None or latest.date <= as_of


@PROPERTY
@given(patient=DENSE, as_of=AS_OF)
def test_dense_patients_never_raise(pack, patient, as_of):
    results = evaluate_courses(patient, pack, as_of)
    verdict = multi_refractory(patient, pack, as_of, results)
    assert verdict.value is (
        "corticosteroid" in verdict.failed_classes and len(verdict.failed_classes) >= 3
    )
