"""The command line end to end, in-process through `itp_desktop.app.main(argv)`.

Each test gets its own data folder; the clock is fixed at 2026-11-22 so the demo store and the
assessments are reproducible.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from itp_desktop import __version__
from itp_desktop.app import main
from itp_desktop.core.clock import FixedClock
from tests.unit.services.service_helpers import record, write_file

CLOCK = FixedClock(dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run(data: Path, *args: str | Path) -> int:
    return main(["--data-dir", str(data), *map(str, args)], clock=CLOCK)


def outputs(capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    captured = capsys.readouterr()
    return captured.out, captured.err


def import_records(data: Path, tmp_path: Path, *records: dict[str, Any]) -> None:
    assert run(data, "import", write_file(tmp_path / "seed.json", *records)) == 0


# ---------------------------------------------------------------- basics


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert outputs(capsys)[0].strip() == f"itp-desktop {__version__}"


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    assert run(data, "list", "--limit", "many") == 2
    assert "--limit: must be a whole number" in outputs(capsys)[1]
    assert run(data, "frobnicate") == 2


def test_list_without_a_store_explains_and_creates_nothing(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    assert run(data, "list") == 0
    out, err = outputs(capsys)
    assert out == ""
    assert "No patient store yet" in err
    assert "itp-desktop demo" in err
    assert not (data / "itp-desktop.sqlite3").exists()
    assert run(data, "list", "--json") == 0
    assert json.loads(outputs(capsys)[0]) == []


def test_data_dir_is_accepted_after_the_command_and_from_the_environment(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    after = tmp_path / "after"
    seed = write_file(tmp_path / "s.json", record("AFTER-1"))
    assert main(["import", str(seed), "--data-dir", str(after)], clock=CLOCK) == 0
    assert (after / "itp-desktop.sqlite3").is_file()
    env_dir = tmp_path / "env"
    monkeypatch.setenv("ITP_DESKTOP_DATA_DIR", str(env_dir))
    assert main(["import", str(seed)], clock=CLOCK) == 0
    assert (env_dir / "itp-desktop.sqlite3").is_file()
    capsys.readouterr()
    assert main(["list", "--json"], clock=CLOCK) == 0
    assert [r["mrn"] for r in json.loads(outputs(capsys)[0])] == ["AFTER-1"]


def test_schema_patient_prints_the_exchange_schema(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    assert run(data, "schema", "patient") == 0
    schema = json.loads(outputs(capsys)[0])
    assert {"ExchangeFile", "Patient", "TherapyCourse"} <= set(schema["$defs"])
    assert run(data, "schema", "assessment") == 0
    assert "findings" in json.loads(outputs(capsys)[0])["properties"]


# ---------------------------------------------------------------- demo and list


def test_demo_then_list(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    assert run(data, "demo") == 0
    out, _ = outputs(capsys)
    assert "Demo store ready" in out
    assert run(data, "list", "--json", "--limit", "0") == 0
    rows = json.loads(outputs(capsys)[0])
    assert len(rows) >= 25
    assert {"id", "mrn", "family_name", "given_name", "birth_date", "archived"} <= set(rows[0])
    assert run(data, "list", "--limit", "3") == 0
    out, _ = outputs(capsys)
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "MRN", "NAME", "BIRTH", "DATE"]
    assert len(lines) == 5
    assert lines[-1] == f"3 of {len(rows)} patients"
    # A second demo run refuses to overwrite patients without --force.
    assert run(data, "demo") == 2
    assert "--force" in outputs(capsys)[1]


def test_demo_force_keeps_the_old_store_as_a_backup(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    import_records(data, tmp_path, record("OLD-1"))
    assert run(data, "demo", "--force") == 0
    out, _ = outputs(capsys)
    assert "kept as backup" in out
    assert run(data, "list", "OLD-1", "--json") == 0
    assert json.loads(outputs(capsys)[0]) == []


def test_synthetic_store_reports_progress_on_stderr(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    assert run(data, "demo", "--patients", "30", "--seed", "7") == 0
    out, err = outputs(capsys)
    assert "30 patients" in out
    assert "30 / 30 patients" in err
    assert run(data, "list", "--json", "--limit", "0") == 0
    assert len(json.loads(outputs(capsys)[0])) == 30


# ---------------------------------------------------------------- import / export


def test_import_export_round_trip(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    source = write_file(tmp_path / "in.json", record("RT-1", "Øster", id="rt-1"), record("RT-2"))
    assert run(data, "import", source) == 0
    assert "Imported 2 patients from 1 file (2 new, 0 updated)" in outputs(capsys)[0]
    exported = tmp_path / "out.json"
    assert run(data, "export", "rt-1", "-o", exported) == 0
    assert "Exported patient rt-1" in outputs(capsys)[0]
    # Re-importing the export is an update of the same patient, not a duplicate.
    assert run(data, "import", exported) == 0
    assert "(0 new, 1 updated)" in outputs(capsys)[0]
    again = tmp_path / "again.json"
    assert run(data, "export", "RT-1", "-o", again) == 0  # by MRN
    assert exported.read_text(encoding="utf-8") == again.read_text(encoding="utf-8")
    assert json.loads(again.read_text(encoding="utf-8"))["patients"][0]["family_name"] == "Øster"


def test_import_all_or_nothing_names_file_record_and_field(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    import_records(data, tmp_path, record("KEEP-1"))
    bad = record("BAD-9")
    bad["platelet_counts"] = [{"date": "2026-10-01", "value": -5}]
    path = write_file(tmp_path / "mixed.json", record("NEW-1"), bad, record("NEW-3"))
    capsys.readouterr()
    assert run(data, "import", path) == 2
    out, err = outputs(capsys)
    assert out == ""
    assert str(path) in err
    assert "record 2 of 3 (MRN BAD-9)" in err
    assert "patients[1].platelet_counts[0].value" in err
    assert "cannot be negative" in err
    assert "Traceback" not in err
    assert run(data, "list", "--json") == 0
    assert [r["mrn"] for r in json.loads(outputs(capsys)[0])] == ["KEEP-1"]


def test_export_unknown_patient(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    import_records(data, tmp_path, record())
    assert run(data, "export", "nobody", "-o", tmp_path / "x.json") == 2
    assert "No patient with id or MRN 'nobody'" in outputs(capsys)[1]
    assert not (tmp_path / "x.json").exists()


# ---------------------------------------------------------------- backup / restore / verify


def test_backup_restore_verify(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    import_records(data, tmp_path, record("FIRST"))
    capsys.readouterr()
    assert run(data, "backup") == 0
    out, _ = outputs(capsys)
    backup = Path(out.split("Backup written: ")[1].split(" (")[0])
    assert backup.is_file()
    if os.name == "posix":
        assert backup.stat().st_mode & 0o777 == 0o600
    import_records(data, tmp_path, record("SECOND"))
    assert run(data, "restore", backup) == 0
    out, _ = outputs(capsys)
    assert "Store restored from" in out
    assert "pre-restore" in out
    assert run(data, "list", "--json") == 0
    assert [r["mrn"] for r in json.loads(outputs(capsys)[0])] == ["FIRST"]
    assert run(data, "verify") == 0
    out, _ = outputs(capsys)
    assert "All checks passed." in out
    assert "OK    audit chain" in out


def test_verify_reports_a_broken_store_with_exit_1(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    import sqlite3

    import_records(data, tmp_path, record("A"), record("B"))
    with sqlite3.connect(data / "itp-desktop.sqlite3") as conn:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'"):
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute("DELETE FROM audit_log WHERE seq = 1")
    conn.close()
    capsys.readouterr()
    assert run(data, "verify") == 1
    out, _ = outputs(capsys)
    assert "FAIL  audit chain" in out
    assert "First broken audit entry: seq 1" in out


def test_restore_of_a_bad_file_exits_2(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    import_records(data, tmp_path, record("A"))
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("junk" * 500)
    assert run(data, "restore", junk) == 2
    assert "cannot be restored" in outputs(capsys)[1]


def test_commands_needing_a_store_say_so(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    for args in (("backup",), ("verify",), ("export", "x", "-o", "y.json")):
        assert run(data, *args) == 2
        assert "No patient store" in outputs(capsys)[1]


# ---------------------------------------------------------------- errors


def test_unexpected_error_exits_70_with_the_log_path(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import_records(data, tmp_path, record())

    def broken(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("itp_desktop.services.patients.PatientService.count", broken)
    capsys.readouterr()
    assert run(data, "list") == 70
    out, err = outputs(capsys)
    assert out == ""
    assert "RuntimeError: simulated bug" in err
    log_file = data / "logs" / "itp-desktop.log"
    assert str(log_file) in err
    assert "Traceback" not in err
    assert "Traceback" in log_file.read_text(encoding="utf-8")


def test_broken_settings_file_is_named(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    settings = data / "config" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"backup_keep": 0}', encoding="utf-8")
    assert run(data, "list") == 2
    err = outputs(capsys)[1]
    assert str(settings) in err
    assert "backup_keep" in err


# ---------------------------------------------------------------- assess


def test_assess_prints_one_json_object(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    path = write_file(tmp_path / "p.json", record())
    assert run(data, "assess", path, "--as-of", "2026-11-01") == 0
    out, err = outputs(capsys)
    assessment = json.loads(out)
    assert assessment["as_of"] == "2026-11-01"
    assert assessment["knowledge_base"]["id"] == "itp-facts"
    assert [c["agent"] for c in assessment["courses"]] == ["romiplostim"]
    assert err == ""
    assert not (data / "itp-desktop.sqlite3").exists()  # assess never touches the store
    # Default as-of is the injected today; output is deterministic.
    assert run(data, "assess", path) == 0
    first = outputs(capsys)[0]
    assert json.loads(first)["as_of"] == "2026-11-22"
    assert run(data, "assess", path) == 0
    assert outputs(capsys)[0] == first


def test_assess_accepts_a_bare_patient_and_data_after_as_of(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    bare = tmp_path / "bare.json"
    later = record(
        platelet_counts=[{"date": "2026-10-01", "value": 22}, {"date": "2027-03-01", "value": 99}]
    )
    bare.write_text(json.dumps(later), encoding="utf-8")
    assert run(data, "assess", bare, "--as-of", "2026-11-01") == 0
    assert json.loads(outputs(capsys)[0])["latest_platelet_count"]["value"] == 22


def _stop_before_start() -> dict[str, Any]:
    bad = record()
    bad["courses"][0]["stop_date"] = "2026-09-30"
    return bad


def _unknown_agent() -> dict[str, Any]:
    bad = record()
    bad["courses"][0]["agent"] = "aspirin"
    return bad


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, ["no such file"]),
        ("{not json", ["(file): not valid JSON", "line 1 column 2"]),
        (record(weight_kg=4000), ["weight_kg", "less than or equal to 400", "(value: 4000)"]),
        (_unknown_agent(), ["courses[0].agent", "(value: aspirin)"]),
        (_stop_before_start(), ["courses[0].stop_date", "before the start date", "2026-09-30"]),
        (
            {"format": "itp-desktop.patient", "version": 1, "patients": [record("A"), record("B")]},
            ["patients: assess reads one patient; this file holds 2", "(value: 2)"],
        ),
    ],
    ids=["missing", "invalid-json", "out-of-range", "unknown-agent", "stop-before-start", "two"],
)
def test_assess_bad_input_exits_2_with_a_field_message(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    tmp_path: Path,
    content: Any,
    expected: list[str],
) -> None:
    path = tmp_path / "patient.json"
    if content is not None:
        text = content if isinstance(content, str) else json.dumps(content)
        path.write_text(text, encoding="utf-8")
    assert run(data, "assess", path) == 2
    out, err = outputs(capsys)
    assert out == ""
    assert err.startswith(f"error: {path}")
    for fragment in expected:
        assert fragment in err
    assert "Traceback" not in err


def test_assess_unreadable_file(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    assert run(data, "assess", tmp_path) == 2
    out, err = outputs(capsys)
    assert out == ""
    assert f"error: {tmp_path}: (file): is a folder" in err


def test_assess_bad_as_of(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path) -> None:
    path = write_file(tmp_path / "p.json", record())
    assert run(data, "assess", path, "--as-of", "2026-13-01") == 2
    out, err = outputs(capsys)
    assert out == ""
    assert "--as-of: must be a date YYYY-MM-DD, got '2026-13-01'" in err


# ---------------------------------------------------------------- kb


def test_kb_show_and_validate(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    assert run(data, "kb", "show") == 0
    assert "itp-facts" in outputs(capsys)[0]
    empty = tmp_path / "empty-pack"
    empty.mkdir()
    assert run(data, "kb", "validate", empty) == 1
    out, _ = outputs(capsys)
    assert "no *.toml files" in out
    assert "1 problem found." in out


def test_kb_test_runs_golden_files_and_fails_on_a_wrong_expectation(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "golden"
    folder.mkdir()
    patient = record(diagnosis={"date": "2026-10-01"})
    case = {
        "title": "newly diagnosed",
        "description": "Phase: as_of < D + 3 months is newly_diagnosed (contract: Phase).",
        "as_of": "2026-11-01",
        "patient": patient,
        "expected": {"phase": "newly_diagnosed"},
    }
    (folder / "g01-phase.json").write_text(json.dumps(case), encoding="utf-8")
    assert run(data, "kb", "test", folder) == 0
    out, _ = outputs(capsys)
    assert "1 passed, 0 failed" in out
    case["expected"] = {"phase": "chronic"}
    (folder / "g02-wrong.json").write_text(json.dumps(case), encoding="utf-8")
    assert run(data, "kb", "test", folder) == 1
    out, _ = outputs(capsys)
    assert "FAIL" in out
    assert "1 passed, 1 failed" in out


def test_kb_test_without_a_folder(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(data, "kb", "test") == 2
    assert "tests/data/golden does not exist here" in outputs(capsys)[1]


# ---------------------------------------------------------------- excepthook


def test_excepthook_logs_the_traceback_and_survives_a_failing_dialog(tmp_path: Path) -> None:
    import logging

    from itp_desktop.app import make_excepthook
    from itp_desktop.logging_setup import setup_logging

    handle = setup_logging(tmp_path / "logs")
    shown: list[str] = []

    def show(details: str) -> None:
        shown.append(details)
        raise RuntimeError("the dialog itself failed")

    try:
        hook = make_excepthook(handle.log_file, show)
        try:
            raise ValueError("boom in a slot")
        except ValueError as exc:
            hook(type(exc), exc, exc.__traceback__)
    finally:
        handle.close()
    assert "ValueError: boom in a slot" in shown[0]
    assert handle.log_file is not None
    text = handle.log_file.read_text(encoding="utf-8")
    assert "Unhandled exception" in text
    assert "ValueError: boom in a slot" in text
    assert "The crash dialog failed" in text
    assert not any(getattr(h, "_itp_desktop_handler", False) for h in logging.getLogger().handlers)


def test_unwritable_data_folder_is_an_environment_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    seed = write_file(tmp_path / "s.json", record())
    assert main(["--data-dir", str(blocker), "import", str(seed)], clock=CLOCK) == 2
    err = outputs(capsys)[1]
    assert f"error: cannot create or write {blocker}: File exists" in err
    # The log folder cannot exist either: log lines fall back to stderr, one line each.
    assert "Traceback" not in err


# ---------------------------------------------------------------- reports and department


def test_report_writes_an_audited_pdf_with_department_defaults(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pypdf import PdfReader

    site = tmp_path / "site"
    site.mkdir()
    (site / "department.json").write_text(
        json.dumps(
            {"site_name": "Hôpital Test", "department": "Hématologie", "clinic_phone": "123"}
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("ITP_DESKTOP_SITE_DIR", str(site))
    assert run(data, "demo") == 0
    capsys.readouterr()
    out_pdf = tmp_path / "plan.pdf"
    assert run(data, "report", "DEMO-0001", "--kind", "card", "-o", out_pdf) == 0
    assert "Wrote the card document (A4)" in outputs(capsys)[0]
    text = "".join(page.extract_text() for page in PdfReader(out_pdf).pages)
    assert "Hôpital Test" in text
    assert "123" in text
    assert run(data, "verify") == 0
    capsys.readouterr()


def test_report_for_an_unknown_patient_exits_2(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    assert run(data, "demo") == 0
    capsys.readouterr()
    assert run(data, "report", "NOPE-1", "-o", tmp_path / "x.pdf") == 2
    assert "NOPE-1" in outputs(capsys)[1]
    assert not (tmp_path / "x.pdf").exists()


def test_malformed_department_file_is_named(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "department.json").write_text('{"site_nme": "x"}', encoding="utf-8")
    monkeypatch.setenv("ITP_DESKTOP_SITE_DIR", str(site))
    assert run(data, "list") == 2
    err = outputs(capsys)[1]
    assert "department.json" in err
    assert "site_nme" in err
