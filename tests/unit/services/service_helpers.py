"""Helpers for service and CLI tests: valid patient records and exchange files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from itp_desktop.core.models.patient import Patient

TODAY = dt.date(2026, 11, 22)


def record(mrn: str = "M-1", family: str = "Doe", **extra: Any) -> dict[str, Any]:
    """A valid patient as exchange-file JSON data, with a count and a romiplostim course."""
    data: dict[str, Any] = {
        "mrn": mrn,
        "family_name": family,
        "given_name": "Jo",
        "birth_date": "1975-05-05",
        "weight_kg": 70,
        "diagnosis": {"date": "2025-01-10"},
        "platelet_counts": [{"date": "2026-10-01", "value": 22}],
        "courses": [
            {
                "agent": "romiplostim",
                "start_date": "2026-10-02",
                "dose_steps": [
                    {
                        "effective_date": "2026-10-02",
                        "amount": 1,
                        "unit": "mcg/kg",
                        "frequency": "weekly",
                    }
                ],
            }
        ],
    }
    data.update(extra)
    return data


def patient(mrn: str = "M-1", family: str = "Doe", **extra: Any) -> Patient:
    return Patient.model_validate(record(mrn, family, **extra))


def write_file(path: Path, *records: dict[str, Any]) -> Path:
    path.write_text(
        json.dumps({"format": "itp-desktop.patient", "version": 1, "patients": list(records)}),
        encoding="utf-8",
    )
    return path
