"""The patient exchange file: versioned JSON that `export` writes and `import`/`assess` read.

Layout (docs/EXCHANGE_FORMAT.md)::

    {"format": "itp-desktop.patient", "version": 1, "exported_at": "...", "app_version": "...",
     "patients": [Patient, ...]}

A file carries one or more patients. For hand-written files a bare `Patient` object (no
``format`` member) is accepted too. Parsing is strict and all-or-nothing: invalid JSON, duplicate
JSON keys, NaN/Infinity, unknown members, a wrong format or version, or any invalid record raise
`ValidationFailed` naming the file, the record (number and MRN) and the field path from the
file's root (``patients[1].courses[0].stop_date``). Checks that need the knowledge pack or the
clock are applied by the services through `check_records`. The JSON Schema published by
``itp-desktop schema patient`` is generated from the same pydantic models.
May import: core, stdlib, pydantic.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from itp_desktop.core.errors import FieldProblem, NotFound, ValidationFailed
from itp_desktop.core.models.patient import Patient
from itp_desktop.core.validation import problems_from_pydantic

FORMAT_ID: Final = "itp-desktop.patient"
FORMAT_VERSION: Final = 1
SCHEMA_ID = "https://itp-desktop.invalid/schemas/itp-desktop.patient.v1.json"
# A file larger than this is refused before parsing: even 2,000 counts and 40 courses take
# well under 1 MB per patient, so 200 MB means a wrong file, not a big export.
MAX_FILE_BYTES = 200_000_000


class ExchangeFile(BaseModel):
    """The exchange file wrapper (format version 1)."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        title="ITP Desktop patient exchange file",
    )

    format: Literal["itp-desktop.patient"] = Field(description="Always 'itp-desktop.patient'")
    version: Literal[1] = Field(description="Format version; this layout is version 1")
    exported_at: dt.datetime | None = Field(
        default=None, description="When the file was written (ISO 8601, UTC)"
    )
    app_version: str = Field(default="", description="ITP Desktop version that wrote the file")
    patients: list[Patient] = Field(min_length=1, description="One or more patient records")


class _Header(BaseModel):
    """The wrapper without its records: validated first so record errors can be numbered."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["itp-desktop.patient"]
    version: int
    exported_at: dt.datetime | None = None
    app_version: str = ""
    patients: list[Any] = Field(min_length=1)


@dataclass(frozen=True)
class ExchangeDocument:
    """A parsed exchange file.

    Attributes:
        source: the file name (or label) used in messages.
        patients: the validated records, in file order.
        bare: True when the file held a bare `Patient` object instead of the wrapper.
        exported_at: the wrapper's ``exported_at``, if any.
        app_version: the wrapper's ``app_version``, if any.
    """

    source: str
    patients: tuple[Patient, ...]
    bare: bool = False
    exported_at: dt.datetime | None = None
    app_version: str = ""

    def record_path(self, index: int) -> str:
        """JSON path of record `index` from the file's root (empty for a bare patient)."""
        return "" if self.bare else f"patients[{index}]"

    def record_label(self, index: int) -> str:
        """``record 2 of 3 (MRN X)`` for messages."""
        return _record_label(index, len(self.patients), self.patients[index].mrn)


def _record_label(index: int, total: int, mrn: object) -> str:
    shown = mrn if isinstance(mrn, str) and mrn.strip() else "unknown"
    return f"record {index + 1} of {total} (MRN {shown})"


def _prefixed(problems: Sequence[FieldProblem], prefix: str) -> list[FieldProblem]:
    if not prefix:
        return list(problems)
    out = []
    for problem in problems:
        path = prefix if problem.path == "(record)" else f"{prefix}.{problem.path}"
        out.append(FieldProblem(path=path, message=problem.message, value=problem.value))
    return out


def _raise_for_records(source: str, failures: list[tuple[str, list[FieldProblem]]]) -> None:
    """Raise one `ValidationFailed` for every failed record (label, problems)."""
    if not failures:
        return
    labels = "; ".join(label for label, _ in failures)
    problems = [problem for _, found in failures for problem in found]
    raise ValidationFailed(problems, context=f"{source}: {labels}")


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            # json.loads would silently keep the last value: a typo could hide data.
            raise ValueError(f"the key {key!r} appears twice in one JSON object")
        result[key] = value
    return result


def parse_json(text: str, *, source: str) -> Any:
    """Parse JSON strictly (no duplicate keys, no NaN/Infinity).

    Raises:
        ValidationFailed: naming the file, line and column.
    """
    try:
        return json.loads(
            text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        problem = FieldProblem(
            "(file)", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        )
        raise ValidationFailed([problem], context=source) from None
    except ValueError as exc:
        raise ValidationFailed([FieldProblem("(file)", str(exc))], context=source) from None


def parse_exchange(text: str, *, source: str) -> ExchangeDocument:
    """Parse and validate exchange-file text.

    Args:
        text: the file's content.
        source: the file name, used in every message.

    Returns:
        The validated document.

    Raises:
        ValidationFailed: naming the file, the record and the field path.
    """
    raw = parse_json(text, source=source)
    if not isinstance(raw, dict):
        problem = FieldProblem(
            "(file)", f"must be a JSON object (an exchange file or one patient), not {_kind(raw)}"
        )
        raise ValidationFailed([problem], context=source)
    if "format" not in raw:
        # A bare Patient object: convenient for hand-written files given to `assess`.
        patient = _parse_record(raw, source=source, index=0, total=1, prefix="")
        return ExchangeDocument(source=source, patients=(patient,), bare=True)
    header = _parse_header(raw, source=source)
    failures: list[tuple[str, list[FieldProblem]]] = []
    patients: list[Patient] = []
    total = len(header.patients)
    for index, record in enumerate(header.patients):
        try:
            patients.append(
                _parse_record(
                    record, source=source, index=index, total=total, prefix=f"patients[{index}]"
                )
            )
        except ValidationFailed as exc:
            mrn = record.get("mrn") if isinstance(record, dict) else None
            failures.append((_record_label(index, total, mrn), list(exc.problems)))
    _raise_for_records(source, failures)
    document = ExchangeDocument(
        source=source,
        patients=tuple(patients),
        exported_at=header.exported_at,
        app_version=header.app_version,
    )
    check_records(document, _duplicates_checker(document))
    return document


def _kind(value: object) -> str:
    return {list: "a list", str: "a string", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def _parse_header(raw: dict[str, Any], *, source: str) -> _Header:
    if raw.get("format") == FORMAT_ID and isinstance(raw.get("version"), int):
        version = raw["version"]
        if version > FORMAT_VERSION:
            problem = FieldProblem(
                "version",
                f"this file was written by a newer ITP Desktop (format version {version}); "
                f"this version reads format version {FORMAT_VERSION} — please update",
                str(version),
            )
            raise ValidationFailed([problem], context=source)
        if version < 1:
            problem = FieldProblem("version", "unknown format version", str(version))
            raise ValidationFailed([problem], context=source)
    try:
        return _Header.model_validate(raw)
    except ValidationError as exc:
        problems = problems_from_pydantic(exc)
        raise ValidationFailed(problems, context=source) from None


def _parse_record(record: Any, *, source: str, index: int, total: int, prefix: str) -> Patient:
    try:
        return Patient.model_validate(record)
    except ValidationError as exc:
        mrn = record.get("mrn") if isinstance(record, dict) else None
        problems = _prefixed(problems_from_pydantic(exc), prefix)
        if not prefix:
            context = f"{source}: {_record_label(index, total, mrn)}"
            raise ValidationFailed(problems, context=context) from None
        raise ValidationFailed(problems) from None


def _duplicates_checker(document: ExchangeDocument) -> Callable[[int, Patient], list[FieldProblem]]:
    first_mrn: dict[str, int] = {}
    first_id: dict[str, int] = {}
    for index, patient in enumerate(document.patients):
        first_mrn.setdefault(patient.mrn, index)
        if patient.id is not None:
            first_id.setdefault(patient.id, index)

    def check(index: int, patient: Patient) -> list[FieldProblem]:
        problems = []
        earlier = first_mrn[patient.mrn]
        if earlier != index:
            problems.append(
                FieldProblem("mrn", f"same MRN as record {earlier + 1} in this file", patient.mrn)
            )
        if patient.id is not None and first_id[patient.id] != index:
            problems.append(
                FieldProblem(
                    "id", f"same id as record {first_id[patient.id] + 1} in this file", patient.id
                )
            )
        return problems

    return check


def check_records(
    document: ExchangeDocument, check: Callable[[int, Patient], list[FieldProblem]]
) -> None:
    """Apply a per-record check to every record; all-or-nothing.

    Args:
        document: a parsed document.
        check: returns the problems of record (index, patient), with paths relative to the
            patient (``courses[0].agent``).

    Raises:
        ValidationFailed: naming the file, every failing record and the field paths from the
            file's root.
    """
    failures = []
    for index, patient in enumerate(document.patients):
        problems = check(index, patient)
        if problems:
            failures.append(
                (document.record_label(index), _prefixed(problems, document.record_path(index)))
            )
    _raise_for_records(document.source, failures)


def read_exchange_file(path: Path) -> ExchangeDocument:
    """Read and validate an exchange file.

    Raises:
        NotFound: the file does not exist.
        ValidationFailed: it cannot be read, is not UTF-8 JSON, or a record is invalid.
    """
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problem = FieldProblem("(file)", f"is {size:,} bytes; this is not a patient file")
            raise ValidationFailed([problem], context=source)
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"{source}: no such file") from None
    except IsADirectoryError:
        raise ValidationFailed(
            [FieldProblem("(file)", "is a folder, not a patient file")], context=source
        ) from None
    except OSError as exc:
        problem = FieldProblem("(file)", f"cannot be read: {exc.strerror or exc}")
        raise ValidationFailed([problem], context=source) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = FieldProblem("(file)", f"is not UTF-8 text (byte {exc.start})")
        raise ValidationFailed([problem], context=source) from None
    return parse_exchange(text, source=source)


def dump_exchange(
    patients: Sequence[Patient], *, exported_at: dt.datetime, app_version: str
) -> str:
    """Serialise patients to exchange-file text (deterministic: same input, same bytes).

    Every member is written, defaults included, so that a file is self-describing and an
    export → import → export round trip is byte-identical apart from ``exported_at``.
    """
    document = ExchangeFile(
        format=FORMAT_ID,
        version=FORMAT_VERSION,
        exported_at=exported_at,
        app_version=app_version,
        patients=list(patients),
    )
    return document.model_dump_json(indent=2) + "\n"


def write_exchange_file(
    path: Path, patients: Sequence[Patient], *, exported_at: dt.datetime, app_version: str
) -> Path:
    """Write an exchange file atomically, readable by the owner only (it holds patient data).

    Raises:
        ValidationFailed: the folder does not exist or cannot be written.
    """
    text = dump_exchange(patients, exported_at=exported_at, app_version=app_version)
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        problem = FieldProblem("(file)", "the folder does not exist", str(folder))
        raise ValidationFailed([problem], context=str(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".export-", suffix=".json")
    except OSError as exc:
        problem = FieldProblem("(file)", f"cannot write here: {exc.strerror or exc}")
        raise ValidationFailed([problem], context=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def exchange_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of an exchange file: the wrapper, or one bare patient."""
    adapter: TypeAdapter[ExchangeFile | Patient] = TypeAdapter(ExchangeFile | Patient)
    generated = adapter.json_schema(ref_template="#/$defs/{model}")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "ITP Desktop patient exchange file (format itp-desktop.patient, version 1)",
        "description": (
            "An exchange file: {format, version, exported_at, app_version, patients[]}. "
            "A single bare Patient object is also accepted for hand-written files. "
            "Dates are ISO 8601 (YYYY-MM-DD); see docs/EXCHANGE_FORMAT.md."
        ),
        **generated,
    }
