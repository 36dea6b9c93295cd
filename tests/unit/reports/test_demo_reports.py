"""End to end: curated demo patients → engine → real knowledge pack → the four documents.

Patients are picked by scenario (most courses, rescue now, a child, a planned splenectomy, a
splenectomy done), not by id, so the test follows the curated set as it evolves.
"""

from __future__ import annotations

import datetime as dt

import pytest

from itp_desktop.core.codes import ProcedureKind
from itp_desktop.core.models.assessment import Assessment
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.models.patient import Patient
from itp_desktop.demo.curated import build_demo_patients
from itp_desktop.engine import assess
from itp_desktop.knowledge.loader import load_default_pack
from itp_desktop.reports import REPORT_KINDS, ReportContext, SiteInfo, build_context
from tests.unit.reports.report_fixtures import pdf_text, render_bytes

TODAY = dt.date(2026, 11, 22)
GENERATED = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)
SITE = SiteInfo(name="Hôpital Saint-Éloi", department="Hématologie", phone="+33 4 67 33 00 00")


@pytest.fixture(scope="module")
def pack() -> KnowledgePack:
    return load_default_pack()


@pytest.fixture(scope="module")
def assessed(pack: KnowledgePack) -> list[tuple[Patient, Assessment]]:
    return [(p, assess(p, pack, TODAY)) for p in build_demo_patients(TODAY)]


def _pick(assessed: list[tuple[Patient, Assessment]], scenario: str) -> tuple[Patient, Assessment]:
    def splenectomy(p: Patient, planned: bool) -> bool:
        return any(
            x.kind is ProcedureKind.splenectomy and (x.date > TODAY) == planned
            for x in p.procedures
        )

    chosen = {
        "many_courses": lambda: max(assessed, key=lambda pa: len(pa[0].courses)),
        "bleeding": lambda: next(pa for pa in assessed if pa[1].rescue is not None),
        "child": lambda: next(pa for pa in assessed if pa[0].age_years(TODAY) < 18),
        "pre_splenectomy": lambda: next(pa for pa in assessed if splenectomy(pa[0], True)),
        "splenectomised": lambda: next(pa for pa in assessed if splenectomy(pa[0], False)),
    }[scenario]()
    return chosen


def _context(pair: tuple[Patient, Assessment], pack: KnowledgePack) -> ReportContext:
    return build_context(pair[0], pair[1], pack, SITE, GENERATED)


SCENARIOS = ["many_courses", "bleeding", "child", "pre_splenectomy", "splenectomised"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_document_renders_for_the_scenario(scenario, assessed, pack):
    context = _context(_pick(assessed, scenario), pack)
    # Every source the engine cites resolves in the pack's registry.
    assert all(
        r.reference != "(not in the knowledge pack's source registry)" for r in context.references
    )
    for kind in REPORT_KINDS:
        _, pages = pdf_text(render_bytes(context, kind))
        assert 1 <= len(pages) <= 12, (kind, len(pages))
        for number, page in enumerate(pages, start=1):
            flat = " ".join(page.split())
            assert context.header.mrn in flat
            assert f"Page {number} of {len(pages)}" in flat
            assert "itp-facts" in flat


def test_bleeding_patient_gets_the_rescue_box(assessed, pack):
    context = _context(_pick(assessed, "bleeding"), pack)
    text = " ".join(pdf_text(render_bytes(context, "clinician"))[1][0].split())
    assert "RESCUE: severe or life-threatening bleeding" in text


def test_child_card_has_the_weight_based_steroid_dose(assessed, pack):
    patient, assessment = _pick(assessed, "child")
    context = _context((patient, assessment), pack)
    text = " ".join(pdf_text(render_bytes(context, "card"))[1][0].split())
    assert "mg/kg IV daily (max 1,000 mg)" in text


def test_pre_splenectomy_vaccination_record(assessed, pack):
    context = _context(_pick(assessed, "pre_splenectomy"), pack)
    assert context.vaccine_record.applicable
    text = " ".join(" ".join(pdf_text(render_bytes(context, "vaccines"))[1]).split())
    assert "Splenectomy planned for" in text
    assert "Meningococcal B vaccine" in text


def test_splenectomised_card_gives_antibiotic_advice(assessed, pack):
    context = _context(_pick(assessed, "splenectomised"), pack)
    text = " ".join(pdf_text(render_bytes(context, "card"))[1][0].split())
    assert "phenoxymethylpenicillin 250 mg every 12 h" in text
