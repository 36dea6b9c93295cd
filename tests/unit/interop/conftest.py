"""Fixtures for the exchange-file tests."""

from __future__ import annotations

import pytest

from itp_desktop.core.models.patient import Patient
from tests.unit.interop.full_patient import build_full_patient


@pytest.fixture
def full_patient() -> Patient:
    return build_full_patient()
