"""The four documents read back with pypdf: sections, values, stamp, fonts, determinism."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from itp_desktop.core.codes import AgentCode, DoseUnit, Frequency, ProcedureKind, StopReason
from itp_desktop.core.errors import ReportError
from itp_desktop.core.models.assessment import CourseAssessment
from itp_desktop.core.models.patient import DoseStep, Procedure, TherapyCourse
from itp_desktop.reports import REPORT_KINDS, ReportContext, build_context, render_report
from tests.unit.reports.report_fixtures import (
    GENERATED,
    SITE,
    make_assessment,
    make_pack,
    make_patient,
    make_rescue,
    pdf_text,
    render_bytes,
)

KINDS = list(REPORT_KINDS)


def _fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    """(BaseFont, has /FontFile2) of every font used on every page."""
    found = []
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            found.append((str(font["/BaseFont"]), "/FontFile2" in descriptor))
    return found


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_every_kind_renders_on_both_papers(context, kind, paper, size):
    reader, pages = pdf_text(render_bytes(context, kind, paper))
    assert 1 <= len(pages) <= 6
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
    for page in pages:
        # Identifiers of site and patient on every page.
        assert "NÚÑEZ-ØSTER, Zoë" in page
        assert "MRN-004711" in page
        assert "Hôpital Saint-Éloi" in page


@pytest.mark.parametrize("kind", KINDS)
def test_fonts_are_embedded_dejavu(context, kind):
    reader, _ = pdf_text(render_bytes(context, kind))
    fonts = _fonts(reader)
    assert fonts
    for base, embedded in fonts:
        assert re.fullmatch(r"/[A-Z]{6}\+DejaVuSans(-Bold|-Oblique|-BoldOblique)?", base), base
        assert embedded, base


@pytest.mark.parametrize("kind", KINDS)
def test_same_context_renders_the_same_document(context, kind):
    first = render_bytes(context, kind)
    second = render_bytes(context, kind)
    assert first == second
    assert pdf_text(first)[1] == pdf_text(second)[1]


def test_clinician_plan_sections_and_values(context):
    _, pages = pdf_text(render_bytes(context, "clinician"))
    text = " ".join(" ".join(pages).split())
    for section in (
        "Phase and current status",
        "Timeline",
        "Therapy history",
        "Findings",
        "Suppressed findings (1)",
        "Checklists",
        "Ranked options",
        "Monitoring plan",
        "References",
        "Needs clinician review",
    ):
        assert section in text, section
    assert "49 ×10⁹/L on 21 Aug 2026" in text
    assert "Chronic (more than 12 months)" in text
    assert "Romiplostim 10 mcg/kg weekly since 1 Jun 2026" in text
    assert "1 → 2 → 3 → … → 9 → 10 mcg/kg weekly" in text
    assert "Not adequate: duration too short" in text
    assert "Splenectomy planned on 15 Dec 2026: MenB vaccine not given." in text
    assert "PIT_SPLEN_VACC@0.1.0" in text
    assert "Discussed with surgeon; platelet cover planned." in text
    assert "NEEDS CLINICIAN REVIEW" in text
    assert "Overdue" in text
    # Full citation of every key used (a source only used by an option caution included).
    assert "Neunert C, et al. ASH 2011 guideline for ITP" in text
    assert "NHS Lothian asplenia prophylaxis" in text
    assert "[LBL-Nplate]" in text
    assert "Zaja2010" not in text  # in the pack but cited nowhere in this document


def test_clinician_footer_stamp_on_every_page(context):
    _, pages = pdf_text(render_bytes(context, "clinician"))
    total = len(pages)
    assert total >= 2
    for number, page in enumerate(pages, start=1):
        flat = " ".join(page.split())
        assert f"Page {number} of {total}" in flat
        assert "test-pack 1.2.3 + site-demo 2.0.0" in flat
        assert "Assessment as of 22 Nov 2026" in flat
        assert "Data snapshot 3f2a9c1b7d0e" in flat
        assert "3f2a9c1b7d0ea" not in flat  # only the short hash is printed
        assert "Generated 22 Nov 2026 14:05 UTC" in flat
        assert "never replaces it (test disclaimer)" in flat


def test_rescue_box_is_printed_when_rescue_applies(pack):
    patient = make_patient()
    assessment = make_assessment(patient, rescue=make_rescue())
    context = build_context(patient, assessment, pack, SITE, GENERATED)
    _, pages = pdf_text(render_bytes(context, "clinician"))
    assert "RESCUE: severe or life-threatening bleeding" in pages[0]
    assert "IVIG 1 g/kg = 68 g" in pages[0]
    assert "Platelet transfusion INDICATED now" in pages[0]


def test_patient_plan_content(context):
    _, pages = pdf_text(render_bytes(context, "patient"))
    text = " ".join(" ".join(pages).split())
    assert "Your ITP care plan" in text
    assert "Platelets are tiny cells in the blood" in text
    assert "×10⁹/L" in text
    assert "per microlitre" in text
    assert "Romiplostim" in text
    assert "10 mcg/kg once a week (about 680 mcg for your weight of 68 kg)" in text
    assert "Injected under the skin once a week at the clinic." in text
    assert "Overdue since 1 Oct 2026" in text
    assert "By 29 Nov 2026" in text
    assert "Operation to remove the spleen (splenectomy)" in text
    assert "Meningococcal B vaccine" in text
    assert "at 50 ×10⁹/L (50,000 platelets per microlitre) or above" in text
    assert "Get help now" in text
    assert "A head injury" in text
    assert "Your clinician" in text
    assert "Clinician's phone" in text


def _sizes_in_body(data: bytes) -> list[tuple[float, str]]:
    """Font size of every text run drawn between the header and the footer."""
    reader = PdfReader(io.BytesIO(data))
    found: list[tuple[float, str]] = []
    for page in reader.pages:
        height = float(page.mediabox.height)

        def visit(text, cm, tm, font_dict, font_size, _height=height):
            y = tm[5] * cm[3] + cm[5]
            if text.strip() and 80 < y < _height - 75:
                found.append((font_size * tm[3] * cm[3], text.strip()))

        page.extract_text(visitor_text=visit)
    return found


def test_patient_plan_is_large_print(context):
    sizes = _sizes_in_body(render_bytes(context, "patient"))
    assert sizes
    small = [(size, text) for size, text in sizes if size < 11.9]
    assert small == []
    assert max(size for size, _ in sizes) >= 14


def test_card_front_back_twice_with_marks(context):
    _, pages = pdf_text(render_bytes(context, "card"))
    assert len(pages) == 1
    text = " ".join(pages[0].split())
    assert text.count("I HAVE IMMUNE THROMBOCYTOPENIA (ITP)") == 2
    assert text.count("FOR THE EMERGENCY TEAM") == 2
    assert "39–51 ×10⁹/L in the last 6 months; latest 49 on 21 Aug 2026" in text
    assert "Romiplostim 10 mcg/kg once a week" in text
    assert "IVIG 1 g/kg IV" in text
    assert "(= 68 g at 68 kg)" in text
    assert "Methylprednisolone 1,000 mg IV daily × 3 days" in text
    assert "Platelet transfusion only for life-threatening bleeding" in text
    assert "Tranexamic acid" in text
    assert "+33 4 67 00 00 00" in text


def test_card_of_splenectomised_child_gives_antibiotic_and_child_dose(pack):
    patient = make_patient(
        birth_date=dt.date(2019, 5, 2),
        weight_kg=22,
        procedures=[Procedure(kind=ProcedureKind.splenectomy, date=dt.date(2025, 3, 3))],
    )
    context = build_context(patient, make_assessment(patient), pack, SITE, GENERATED)
    text = " ".join(pdf_text(render_bytes(context, "card"))[1][0].split())
    assert "NONE (splenectomy 3 Mar 2025)" in text
    assert "phenoxymethylpenicillin 250 mg every 12 h" in text
    assert "[UK-asplenia, V]" in text
    assert "Methylprednisolone 30 mg/kg IV daily (max 1,000 mg) × 3 days" in text
    assert "(= 660 mg at 22 kg)" in text


def test_vaccination_record_content(context):
    _, pages = pdf_text(render_bytes(context, "vaccines"))
    text = " ".join(" ".join(pages).split())
    assert "Splenectomy planned for 15 Dec 2026" in text
    assert "Pneumococcal vaccine" in text
    assert "1 Oct 2026" in text
    assert "Meningococcal B vaccine" in text
    assert "1 Dec 2026" in text
    assert "3 doses of one product at 0, 1–2 and 6 months" in text
    assert "Influenza (flu)" in text
    assert "15 Oct 2025" in text
    assert "Doses given after this record was printed" in text
    assert "[CDC/IAC] Immunization Action Coalition" in text


def _many_courses(count: int) -> list[TherapyCourse]:
    courses = []
    start = dt.date(2010, 1, 1)
    for index in range(count):
        begin = start + dt.timedelta(days=20 * index)
        courses.append(
            TherapyCourse(
                id=f"k{index}",
                agent=list(AgentCode)[index % len(AgentCode)],
                start_date=begin,
                stop_date=begin + dt.timedelta(days=14),
                stop_reason=StopReason.no_response,
                dose_steps=[
                    DoseStep(
                        effective_date=begin, amount=10, unit=DoseUnit.mg, frequency=Frequency.daily
                    )
                ],
            )
        )
    return courses


def test_bad_input_still_gives_a_readable_document(pack):
    long_family = "Wolfeschlegelsteinhausenbergerdorff-" + "Ä" * 60
    patient = make_patient(
        family_name=long_family,
        given_name="Maximiliane " * 8,
        weight_kg=None,
        height_cm=None,
        platelet_counts=[],
        bleeding=[],
        diagnosis=None,
        courses=_many_courses(200),
    )
    assessment = make_assessment(
        patient, courses=[], latest_platelet_count=None, phase=None, input_sha256=""
    )
    context = build_context(patient, assessment, pack, SITE, GENERATED)
    for kind in KINDS:
        _, pages = pdf_text(render_bytes(context, kind))
        assert 1 <= len(pages) <= 40
        for page in pages:
            assert "…" in page  # the header name is cut with an explicit ellipsis
    _, pages = pdf_text(render_bytes(context, "clinician"))
    text = " ".join(" ".join(pages).split())
    assert "No platelet count on or before the assessment date" in text
    assert "No weight recorded" in text
    assert "Unknown: no diagnosis date recorded" in text
    assert "No platelet counts recorded" in text  # inside the chart
    assert "Data snapshot not recorded" in text
    # The 200-row history splits across pages and repeats its header on each of them.
    with_header = [p for p in pages if "Doses / titration" in p]
    assert len(with_header) >= 3
    _, plan = pdf_text(render_bytes(context, "patient"))
    plan_text = " ".join(" ".join(plan).split())
    assert "We have no platelet count on record for you yet." in plan_text


def test_unassessed_course_is_shown_as_not_assessed(pack):
    patient = make_patient()
    courses = make_assessment(patient).courses[:2]
    context = build_context(
        patient, make_assessment(patient, courses=courses), pack, SITE, GENERATED
    )
    rows = {row.agent: row for row in context.courses}
    assert rows["Eltrombopag"].response_text == "Not assessed"
    assert rows["Prednisone"].response_text.startswith("R")


def test_render_to_path_and_errors(context: ReportContext, tmp_path: Path):
    target = tmp_path / "plan.pdf"
    render_report(context, "clinician", "letter", target)
    assert target.read_bytes().startswith(b"%PDF-")
    with pytest.raises(ReportError, match="kind"):
        render_report(context, "summary", "a4", io.BytesIO())  # type: ignore[arg-type]
    with pytest.raises(ReportError, match="paper"):
        render_report(context, "card", "a3", io.BytesIO())  # type: ignore[arg-type]
    with pytest.raises(ReportError, match="could not be written"):
        render_report(context, "card", "a4", tmp_path / "missing" / "x.pdf")


def test_logo_in_header_and_bad_logo_reported(tmp_path: Path):
    pack = make_pack()
    patient = make_patient()
    png = tmp_path / "logo.png"
    png.write_bytes(_tiny_png())
    site = SITE.model_copy(update={"logo_path": png})
    context = build_context(patient, make_assessment(patient), pack, site, GENERATED)
    assert context.header.logo_png is not None
    reader, _ = pdf_text(render_bytes(context, "clinician"))
    assert "/XObject" in reader.pages[0]["/Resources"]
    bad = SITE.model_copy(update={"logo_path": tmp_path / "nope.png"})
    context = build_context(patient, make_assessment(patient), pack, bad, GENERATED)
    assert context.header.logo_png is None
    assert any("nope.png" in line for line in context.missing)


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x1f\x4e\x79" * 4 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_courses_pair_by_id_not_position(pack):
    patient = make_patient()
    base = make_assessment(patient).courses
    swapped: list[CourseAssessment] = [base[1], base[0], base[2], base[3]]
    context = build_context(
        patient, make_assessment(patient, courses=swapped), pack, SITE, GENERATED
    )
    assert context.courses[0].agent == "Prednisone"
    assert context.courses[0].ttr_text == "9 d"


def test_long_disclaimer_shrinks_to_stay_inside_the_footer(pack):
    patient = make_patient()
    long_text = "Clinical judgement always prevails over this printout. " * 12
    assessment = make_assessment(patient, disclaimer=long_text)
    context = build_context(patient, assessment, pack, SITE, GENERATED)
    reader = PdfReader(io.BytesIO(render_bytes(context, "clinician")))
    lowest: list[float] = []

    def visit(text, cm, tm, font_dict, font_size):
        if "prevails" in text:
            lowest.append(tm[5] * cm[3] + cm[5])

    reader.pages[0].extract_text(visitor_text=visit)
    assert lowest
    assert min(lowest) > 10  # still above the bottom edge of the paper
    assert "prevails" in reader.pages[0].extract_text()
