"""PatientService: validation before every save, ChangeSets, MRN clashes, search limits."""

from __future__ import annotations

import pytest

from itp_desktop.core.errors import ConcurrentChange, NotFound, ValidationFailed
from itp_desktop.services.container import Services
from tests.unit.services.service_helpers import patient, record


def test_create_assigns_ids_and_returns_a_changeset(services: Services) -> None:
    changes = services.patients.create(patient())
    (new_id,) = changes.created
    assert changes.patients == {new_id}
    stored = services.patients.get(new_id)
    assert stored.mrn == "M-1"
    assert all(c.id for c in stored.platelet_counts)  # entry ids assigned by the store
    assert services.patients.count() == 1


def test_create_accepts_raw_data_and_names_bad_fields(services: Services) -> None:
    bad = record(weight_kg=0.1)
    with pytest.raises(ValidationFailed) as exc:
        services.patients.create(bad)
    assert [p.path for p in exc.value.problems] == ["weight_kg"]
    assert services.patients.count() == 0


def test_results_dated_after_today_are_refused(services: Services) -> None:
    future = patient(platelet_counts=[{"date": "2026-11-23", "value": 40}])
    with pytest.raises(ValidationFailed) as exc:
        services.patients.create(future)
    assert exc.value.problems[0].path == "platelet_counts[0].date"
    assert "today is 2026-11-22" in exc.value.message


def test_dose_unit_the_agent_does_not_allow_is_refused(services: Services) -> None:
    data = record()
    data["courses"][0]["dose_steps"][0]["unit"] = "mg/m2"
    with pytest.raises(ValidationFailed) as exc:
        services.patients.create(data)
    assert exc.value.problems[0].path == "courses[0].dose_steps[0].unit"
    assert "not allowed for romiplostim" in exc.value.message


def test_planned_course_after_today_is_allowed(services: Services) -> None:
    data = record()
    data["courses"][0]["start_date"] = "2027-01-05"
    data["courses"][0]["dose_steps"][0]["effective_date"] = "2027-01-05"
    assert services.patients.create(data).created


def test_duplicate_mrn_is_refused_naming_the_field(services: Services) -> None:
    services.patients.create(patient("X-1", "Alpha"))
    with pytest.raises(ValidationFailed) as exc:
        services.patients.create(patient("X-1", "Beta"))
    assert exc.value.problems[0].path == "mrn"
    assert "ALPHA" in exc.value.message
    assert services.patients.count() == 1


def test_update_replaces_and_needs_an_existing_id(services: Services) -> None:
    (pid,) = services.patients.create(patient()).created
    stored = services.patients.get(pid)
    changed = stored.model_copy(update={"weight_kg": 71.5})
    assert services.patients.update(changed).patients == {pid}
    assert services.patients.get(pid).weight_kg == 71.5
    with pytest.raises(ValidationFailed, match="needs the patient's id"):
        services.patients.update(patient("Z-9"))
    with pytest.raises(NotFound):
        services.patients.update(patient("Z-9", id="nope"))


def test_create_with_a_used_id_is_refused(services: Services) -> None:
    services.patients.create(patient(id="fixed-1"))
    with pytest.raises(ValidationFailed) as exc:
        services.patients.create(patient("OTHER", id="fixed-1"))
    assert exc.value.problems[0].path == "id"


def test_archive_hides_from_search_and_unarchive_brings_back(services: Services) -> None:
    (pid,) = services.patients.create(patient()).created
    changes = services.patients.archive(pid)
    assert changes.removed == {pid}
    assert services.patients.search("Doe") == []
    assert [r.id for r in services.patients.search("Doe", include_archived=True)] == [pid]
    assert services.patients.unarchive(pid).patients == {pid}
    assert services.patients.count("doe") == 1


def test_search_by_name_mrn_and_birth_date(services: Services) -> None:
    services.patients.create(patient("AB-100", "Müller"))
    services.patients.create(patient("CD-200", "Smith", birth_date="1990-02-03"))
    assert [r.mrn for r in services.patients.search("mull")] == ["AB-100"]
    assert [r.mrn for r in services.patients.search("CD-200")] == ["CD-200"]
    assert [r.mrn for r in services.patients.search("1990-02-03")] == ["CD-200"]
    assert services.patients.find_by_mrn("AB-100") is not None
    assert services.patients.find_by_mrn("AB-10") is None


@pytest.mark.parametrize(("limit", "offset", "path"), [(0, 0, "limit"), (10, -1, "offset")])
def test_search_rejects_bad_paging(services: Services, limit: int, offset: int, path: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.patients.search("", limit=limit, offset=offset)
    assert exc.value.problems[0].path == path


def test_get_unknown_patient_is_not_found(services: Services) -> None:
    services.patients.create(patient())
    with pytest.raises(NotFound):
        services.patients.get("does-not-exist")


def test_update_from_a_stale_base_is_refused_and_keeps_the_other_change(
    services: Services,
) -> None:
    (patient_id,) = services.patients.create(patient()).created
    opened = services.patients.get(patient_id)  # the edit dialog starts from this record
    data = opened.model_dump(mode="json")
    data["platelet_counts"].append({"date": "2026-11-21", "value": 44})
    services.patients.update(data, base=opened)  # another window saves first
    edited = opened.model_copy(update={"weight_kg": 81.0})
    with pytest.raises(ConcurrentChange):
        services.patients.update(edited, base=opened)
    stored = services.patients.get(patient_id)
    assert stored.platelet_counts[-1].value == 44
    assert stored.weight_kg != 81.0
