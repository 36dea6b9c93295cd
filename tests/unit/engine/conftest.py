"""Fixtures of the engine's unit tests: the default knowledge pack and small helpers.

Patients are built with the plain builders of tests/strategies.py so each test reads as a
short clinical vignette. The pack is loaded once per session (the loader caches it anyway).
"""

from __future__ import annotations

import datetime as dt

import pytest

from itp_desktop.core.models.assessment import CourseAssessment
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.models.patient import Patient
from itp_desktop.engine.response import evaluate_courses
from itp_desktop.knowledge.loader import load_default_pack


@pytest.fixture(scope="session")
def pack() -> KnowledgePack:
    """The default knowledge pack (itp-facts)."""
    return load_default_pack()


@pytest.fixture
def assess_courses(pack: KnowledgePack):
    """``assess_courses(patient, as_of)`` → `evaluate_courses` with the default pack."""

    def run(patient: Patient, as_of: dt.date | str) -> list[CourseAssessment]:
        when = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)
        return evaluate_courses(patient, pack, when)

    return run


@pytest.fixture
def ref(pack: KnowledgePack):
    """``ref("RESP_R")`` → ``RESP_R@<version in the pack>``."""

    def lookup(rule_id: str) -> str:
        return pack.rules[rule_id].ref

    return lookup
