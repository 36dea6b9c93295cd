"""docs/EXCHANGE_FORMAT.md's complete example is what `export` writes and passes import checks.

Regenerate after a change to the demo data or the model:
``ITP_REGEN_DOCS=1 .venv/bin/python -m pytest tests/unit/interop/test_exchange_doc.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from itp_desktop import __version__
from itp_desktop.core.validation import validate_patient
from itp_desktop.demo.curated import build_demo_patients
from itp_desktop.interop.exchange import dump_exchange, parse_exchange
from itp_desktop.knowledge.loader import load_default_pack

DOC = Path(__file__).resolve().parents[3] / "docs" / "EXCHANGE_FORMAT.md"
TODAY = dt.date(2026, 11, 22)
EXPORTED_AT = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
EXAMPLE_PATIENT = "demo-07-"
BLOCK = re.compile(r"(<!-- example:start -->\n)(.*?)(<!-- example:end -->)", re.DOTALL)


def expected_example() -> str:
    (patient,) = [p for p in build_demo_patients(TODAY) if (p.id or "").startswith(EXAMPLE_PATIENT)]
    return dump_exchange([patient], exported_at=EXPORTED_AT, app_version=__version__)


def documented_example() -> str:
    match = BLOCK.search(DOC.read_text(encoding="utf-8"))
    assert match is not None, "docs/EXCHANGE_FORMAT.md lost its example markers"
    body = match.group(2)
    assert body.startswith("```json\n"), "the example is not a json block"
    assert body.endswith("```\n"), "the example is not a json block"
    return body.removeprefix("```json\n").removesuffix("```\n")


def test_documented_example_is_current() -> None:
    wanted = expected_example()
    if os.environ.get("ITP_REGEN_DOCS") == "1":
        text = DOC.read_text(encoding="utf-8")
        DOC.write_text(
            BLOCK.sub(lambda m: f"{m.group(1)}```json\n{wanted}```\n{m.group(3)}", text),
            encoding="utf-8",
        )
    assert documented_example() == wanted, (
        "docs/EXCHANGE_FORMAT.md example is stale; regenerate with "
        "ITP_REGEN_DOCS=1 .venv/bin/python -m pytest tests/unit/interop/test_exchange_doc.py"
    )


def test_documented_example_passes_import_validation() -> None:
    document = parse_exchange(documented_example(), source="EXCHANGE_FORMAT.md")
    pack = load_default_pack()
    for patient in document.patients:
        validate_patient(patient, allowed_units=pack.allowed_units(), today=TODAY)
    (patient,) = document.patients
    # The example shows every kind of record the file can carry.
    for member in (
        "workup",
        "platelet_counts",
        "courses",
        "bleeding",
        "immunizations",
        "procedures",
        "monitoring",
    ):
        assert getattr(patient, member), member
