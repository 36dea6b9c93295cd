"""The patient exchange file: loss-less round trip, strict parsing, messages naming the field."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel

from itp_desktop.core.errors import FieldProblem, NotFound, ValidationFailed
from itp_desktop.core.models.patient import Patient
from itp_desktop.interop.exchange import (
    FORMAT_ID,
    ExchangeFile,
    check_records,
    dump_exchange,
    exchange_json_schema,
    parse_exchange,
    read_exchange_file,
    write_exchange_file,
)
from tests.strategies import patients

AT = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)


def member_states(model: BaseModel, path: str = "") -> dict[str, bool]:
    """Generic member paths (``courses[].notes``) -> populated somewhere in the tree."""
    states: dict[str, bool] = {}

    def note(where: str, populated: bool) -> None:
        states[where] = states.get(where, False) or populated

    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        where = f"{path}.{name}" if path else name
        if isinstance(value, BaseModel):
            note(where, True)
            for key, populated in member_states(value, where).items():
                note(key, populated)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            note(where, True)
            for item in value:
                for key, populated in member_states(item, f"{where}[]").items():
                    note(key, populated)
        else:
            default = None if field.is_required() else field.get_default(call_default_factory=True)
            note(where, value not in (None, "", []) and value != default)
    return states


def wrapper(*records: Any, **extra: Any) -> str:
    data = {"format": FORMAT_ID, "version": 1, "patients": list(records), **extra}
    return json.dumps(data)


def minimal(mrn: str = "A-1", **extra: Any) -> dict[str, Any]:
    return {"mrn": mrn, "family_name": "Doe", "birth_date": "1980-01-01", **extra}


def problem_paths(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [p.path for p in exc.value.problems]


# ---------------------------------------------------------------- round trip


def test_full_patient_fixture_populates_every_member(full_patient: Patient) -> None:
    # Every member of every record type holds a non-default value in at least one entry, so
    # the round trip below exercises all of them.
    states = member_states(full_patient)
    assert "courses[].dose_steps[].notes" in states
    assert [path for path, populated in states.items() if not populated] == []


def test_round_trip_of_a_full_patient_is_lossless_and_byte_identical(
    full_patient: Patient,
) -> None:
    text = dump_exchange([full_patient], exported_at=AT, app_version="0.1.0")
    document = parse_exchange(text, source="full.json")
    assert document.patients == (full_patient,)
    assert document.exported_at == AT
    assert document.app_version == "0.1.0"
    again = dump_exchange(list(document.patients), exported_at=AT, app_version="0.1.0")
    assert again == text
    # Entered values are kept as entered: the /uL count stays 91000 /uL.
    assert '"value": 91000.0' in text
    assert '"unit": "/uL"' in text
    assert "Núñez-Müller" in text  # UTF-8, not \u escapes


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patients())
def test_round_trip_of_any_valid_patient(patient: Patient) -> None:
    text = dump_exchange([patient], exported_at=AT, app_version="x")
    assert parse_exchange(text, source="p.json").patients == (patient,)


def test_several_patients_keep_their_order(full_patient: Patient) -> None:
    other = Patient.model_validate(minimal("B-2"))
    text = dump_exchange([other, full_patient], exported_at=AT, app_version="x")
    assert parse_exchange(text, source="two.json").patients == (other, full_patient)


def test_bare_patient_object_is_accepted() -> None:
    document = parse_exchange(json.dumps(minimal()), source="bare.json")
    assert document.bare
    assert document.patients[0].mrn == "A-1"
    assert document.record_path(0) == ""


def test_write_is_owner_only_and_leaves_no_temporary_file(
    tmp_path: Path, full_patient: Patient
) -> None:
    out = write_exchange_file(
        tmp_path / "out.json", [full_patient], exported_at=AT, app_version="x"
    )
    assert read_exchange_file(out).patients == (full_patient,)
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    if os.name == "posix":
        assert out.stat().st_mode & 0o777 == 0o600


def test_write_into_missing_folder_names_the_folder(tmp_path: Path, full_patient: Patient) -> None:
    with pytest.raises(ValidationFailed, match="folder does not exist"):
        write_exchange_file(
            tmp_path / "nope" / "out.json", [full_patient], exported_at=AT, app_version="x"
        )


# ---------------------------------------------------------------- strict parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{", "not valid JSON: Expecting property name enclosed in double quotes at line 1"),
        ('{"mrn": "A", "mrn": "B"}', "the key 'mrn' appears twice"),
        ('{"weight_kg": NaN}', "NaN is not a number JSON allows"),
        ("[1, 2]", "must be a JSON object (an exchange file or one patient), not a list"),
        ("null", "not null"),
    ],
)
def test_malformed_files_name_the_file_and_the_problem(text: str, expected: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_exchange(text, source="bad.json")
    assert exc.value.message.startswith("bad.json: (file): ")
    assert expected in exc.value.message


def test_invalid_record_names_file_record_mrn_and_field_path() -> None:
    bad = minimal(
        "DEMO-0002",
        courses=[
            {
                "agent": "romiplostim",
                "start_date": "2026-03-01",
                "stop_date": "2026-02-01",
                "dose_steps": [
                    {
                        "effective_date": "2026-03-01",
                        "amount": 1,
                        "unit": "mcg/kg",
                        "frequency": "weekly",
                    }
                ],
            }
        ],
    )
    with pytest.raises(ValidationFailed) as exc:
        parse_exchange(wrapper(minimal("DEMO-0001"), bad), source="in.json")
    message = exc.value.message
    assert message.startswith("in.json: record 2 of 2 (MRN DEMO-0002): ")
    assert "patients[1].courses[0].stop_date" in message
    assert "before the start date 2026-03-01" in message
    assert "(value: 2026-02-01)" in message


def test_every_bad_record_is_reported() -> None:
    text = wrapper(minimal("A", weight_kg=900), minimal("B"), minimal("C", sex="x"))
    with pytest.raises(ValidationFailed) as exc:
        parse_exchange(text, source="f.json")
    assert "record 1 of 3 (MRN A)" in exc.value.context
    assert "record 3 of 3 (MRN C)" in exc.value.context
    assert problem_paths(exc) == ["patients[0].weight_kg", "patients[2].sex"]


def test_unknown_member_is_an_error_not_dropped_data() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_exchange(wrapper(minimal(wieght_kg=70)), source="typo.json")
    assert problem_paths(exc) == ["patients[0].wieght_kg"]


def test_unknown_agent_code_is_named_with_its_value() -> None:
    record = minimal(
        courses=[
            {
                "agent": "unobtainium",
                "start_date": "2026-01-01",
                "dose_steps": [
                    {
                        "effective_date": "2026-01-01",
                        "amount": 1,
                        "unit": "mg",
                        "frequency": "daily",
                    }
                ],
            }
        ]
    )
    with pytest.raises(ValidationFailed) as exc:
        parse_exchange(json.dumps(record), source="bare.json")
    assert problem_paths(exc) == ["courses[0].agent"]
    assert exc.value.problems[0].value == "unobtainium"
    assert exc.value.context == "bare.json: record 1 of 1 (MRN A-1)"


def test_platelet_value_in_the_wrong_unit_says_so() -> None:
    record = minimal(platelet_counts=[{"date": "2026-01-01", "value": 45000, "unit": "10^9/L"}])
    with pytest.raises(ValidationFailed) as exc:
        parse_exchange(json.dumps(record), source="u.json")
    assert problem_paths(exc) == ["platelet_counts[0].value"]
    assert "looks like a count in /µL" in exc.value.message


def test_duplicate_mrn_or_id_inside_one_file_is_refused() -> None:
    text = wrapper(minimal("A", id="x1"), minimal("A", id="x1"))
    with pytest.raises(ValidationFailed) as exc:
        parse_exchange(text, source="dup.json")
    assert problem_paths(exc) == ["patients[1].mrn", "patients[1].id"]
    assert "same MRN as record 1" in exc.value.message


@pytest.mark.parametrize(
    ("extra", "path", "fragment"),
    [
        ({"format": "other"}, "format", "itp-desktop.patient"),
        ({"version": 2}, "version", "newer ITP Desktop (format version 2)"),
        ({"version": 0}, "version", "unknown format version"),
        ({"patients": []}, "patients", "at least 1"),
        ({"extra": 1}, "extra", "Extra inputs are not permitted"),
    ],
)
def test_wrapper_problems_name_the_member(extra: dict[str, Any], path: str, fragment: str) -> None:
    data = {"format": FORMAT_ID, "version": 1, "patients": [minimal()], **extra}
    with pytest.raises(ValidationFailed) as exc:
        parse_exchange(json.dumps(data), source="w.json")
    assert problem_paths(exc) == [path]
    assert fragment in exc.value.message


def test_check_records_prefixes_paths_and_names_records() -> None:
    document = parse_exchange(wrapper(minimal("A"), minimal("B")), source="c.json")

    def check(index: int, patient: Patient) -> list[FieldProblem]:
        return [FieldProblem("courses[0].agent", "no", "x")] if patient.mrn == "B" else []

    with pytest.raises(ValidationFailed) as exc:
        check_records(document, check)
    assert exc.value.context == "c.json: record 2 of 2 (MRN B)"
    assert problem_paths(exc) == ["patients[1].courses[0].agent"]


# ---------------------------------------------------------------- files


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no such file"):
        read_exchange_file(tmp_path / "missing.json")


def test_folder_and_non_utf8_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="is a folder"):
        read_exchange_file(tmp_path)
    latin = tmp_path / "latin1.json"
    latin.write_bytes('{"family_name": "Müller"}'.encode("latin-1"))
    with pytest.raises(ValidationFailed, match="not UTF-8"):
        read_exchange_file(latin)


def test_utf8_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(minimal()).encode())
    assert read_exchange_file(path).patients[0].mrn == "A-1"


# ---------------------------------------------------------------- schema


def test_schema_describes_the_wrapper_and_the_patient() -> None:
    schema = exchange_json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    refs = {option["$ref"] for option in schema["anyOf"]}
    assert refs == {"#/$defs/ExchangeFile", "#/$defs/Patient"}
    wrapper_schema = schema["$defs"]["ExchangeFile"]
    assert wrapper_schema["properties"]["format"]["const"] == FORMAT_ID
    assert set(wrapper_schema["required"]) == {"format", "version", "patients"}
    patient = schema["$defs"]["Patient"]
    assert patient["additionalProperties"] is False
    assert {"platelet_counts", "courses", "bleeding", "risk_factors"} <= set(patient["properties"])
    json.dumps(schema)  # serialisable as published


def test_schema_matches_the_model_members() -> None:
    schema = exchange_json_schema()
    assert set(schema["$defs"]["ExchangeFile"]["properties"]) == set(ExchangeFile.model_fields)
    assert set(schema["$defs"]["Patient"]["properties"]) == set(Patient.model_fields)
