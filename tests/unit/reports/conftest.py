"""Fixtures of the report tests (data builders live in report_fixtures.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.reports import ReportContext, build_context
from tests.unit.reports.report_fixtures import (
    GENERATED,
    SITE,
    make_assessment,
    make_pack,
    make_patient,
    render_bytes,
)


@pytest.fixture
def pack() -> KnowledgePack:
    return make_pack()


@pytest.fixture
def context(pack: KnowledgePack) -> ReportContext:
    patient = make_patient()
    return build_context(patient, make_assessment(patient), pack, SITE, GENERATED)


@pytest.fixture
def render() -> Callable[..., bytes]:
    return render_bytes
