"""Hand-built patients, assessments and a small knowledge pack for the report tests.

The fixtures do not depend on the engine or the default pack, so the report layer is tested
on its own: every value the documents must print is known here.
"""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from itp_desktop.core.codes import (
    AgentCode,
    ChecklistStatus,
    DoseUnit,
    Frequency,
    MechanismCategory,
    MonitoringCode,
    Phase,
    ProcedureKind,
    ResponseCode,
    Severity,
    StopReason,
    VaccineCode,
    VerificationMark,
)
from itp_desktop.core.models.assessment import (
    Assessment,
    Checklist,
    ChecklistItem,
    CountRef,
    CourseAssessment,
    Explanation,
    Finding,
    KnowledgeBaseRef,
    MonitoringItem,
    Option,
    PackRef,
    Rescue,
)
from itp_desktop.core.models.knowledge import (
    AgentInfo,
    BleedingBand,
    Citation,
    KnowledgePack,
    OptionInfo,
    PackMeta,
    ReasonText,
    RuleMeta,
    Thresholds,
    VaccineItem,
)
from itp_desktop.core.models.patient import (
    BleedingAssessment,
    Diagnosis,
    DoseStep,
    Immunization,
    Patient,
    PlateletCount,
    Procedure,
    RiskFactors,
    TherapyCourse,
)
from itp_desktop.reports import ReportContext, SiteInfo, render_report

AS_OF = dt.date(2026, 11, 22)
GENERATED = dt.datetime(2026, 11, 22, 14, 5, tzinfo=dt.UTC)
SNAPSHOT = "3f2a9c1b7d0e" + "a" * 52


def _rule(rule_id: str, mark: VerificationMark = VerificationMark.V, **kw: object) -> RuleMeta:
    data: dict[str, object] = {
        "id": rule_id,
        "version": "0.1.0",
        "title": rule_id.title(),
        "family": "test",
        "citations": ["ICR2019"],
        "verification": mark,
        "review_date": dt.date(2026, 11, 1),
        "fires_when": "test",
    }
    data.update(kw)
    return RuleMeta(**data)  # type: ignore[arg-type]


def make_pack() -> KnowledgePack:
    """A small, valid pack: every agent, a few rules, citations and texts."""
    citations = {
        key: Citation(key=key, reference=ref, locator=loc)
        for key, ref, loc in [
            (
                "ICR2019",
                "Provan D, et al. Updated international consensus report. Blood Adv 2019",
                "ashpublications",
            ),
            ("ASH2011", "Neunert C, et al. ASH 2011 guideline for ITP. Blood 2011", ""),
            ("LBL-Nplate", "Nplate (romiplostim) USPI", "drugs.com/dosage/nplate"),
            ("CDC/IAC", "Immunization Action Coalition relaying CDC/ACIP", "immunize.org"),
            ("UK-asplenia", "NHS Lothian asplenia prophylaxis", ""),
            ("Zaja2010", "Zaja F, et al. Low-dose rituximab in adult ITP. Eur J Haematol 2010", ""),
            ("DrOracle2025", "Dr.Oracle AI answer (not a guideline)", ""),
        ]
    }
    rules = {
        r.id: r
        for r in [
            _rule("DRUG_GENERIC"),
            _rule("ADQ_ROMI", citations=["LBL-Nplate"]),
            _rule("PIT_SPLEN_VACC", severity=Severity.critical),
            _rule("PIT_OBS_LOW", severity=Severity.critical),
            _rule("FIND_INADEQUATE_TRIAL", severity=Severity.warning),
            _rule("OPT_ORDER"),
            _rule("OPT_MMF", VerificationMark.S),
            _rule("CHK_SPLEN_VACCINES"),
            _rule("VAX_PCV", citations=["CDC/IAC"]),
            _rule("MON_ROMI", citations=["LBL-Nplate"]),
            _rule("RESCUE_DOSES", VerificationMark.S),
        ]
    }
    agents = {
        code: AgentInfo(
            code=code,
            name=code.value.replace("_", "-").capitalize(),
            drug_class="test",
            mechanism=MechanismCategory.production,
            allowed_units=list(DoseUnit),
            start_dose="as labelled",
            evaluation_period_days=84 if code is AgentCode.rituximab else 0,
            citations=["ICR2019"],
            verification=VerificationMark.V,
            rule="DRUG_GENERIC",
            patient_instructions=(
                "Injected under the skin once a week at the clinic."
                if code is AgentCode.romiplostim
                else ""
            ),
        )
        for code in AgentCode
    }
    return KnowledgePack(
        meta=PackMeta(id="test-pack", version="1.2.3", title="Test pack", status="draft"),
        citations=citations,
        rules=rules,
        agents=agents,
        splenectomy_vaccines=[
            VaccineItem(
                code="pneumococcal",
                label="Pneumococcal conjugate vaccine",
                accepts=[VaccineCode.pneumococcal_conjugate],
                schedule="PCV20 or PCV21 once",
                rule="VAX_PCV",
            ),
            VaccineItem(
                code="meningococcal_b",
                label="MenB",
                accepts=[VaccineCode.meningococcal_b],
                schedule="3 doses of one product at 0, 1–2 and 6 months",
                rule="VAX_PCV",
            ),
        ],
        secondary_causes=[],
        options={
            "mycophenolate": OptionInfo(
                code="mycophenolate",
                label="Mycophenolate",
                components=["mycophenolate"],
                rule="OPT_MMF",
            )
        },
        reasons={
            "mmf_trial_length": ReasonText(
                code="mmf_trial_length",
                kind="caution",
                text="The 84-day trial is DrOracle2025's; ANZ2022 expects most responses by 4–6 "
                "weeks.",
                citations=["DrOracle2025"],
                verification=VerificationMark.U,
            )
        },
        thresholds=Thresholds(
            procedure_targets={ProcedureKind.splenectomy: 50},
            bleeding_bands=[
                BleedingBand(code="B4", lower=0, upper=10, meaning="very high"),
                BleedingBand(code="B3", lower=10, upper=20, meaning="high"),
                BleedingBand(code="B2", lower=20, upper=30, meaning="moderate"),
                BleedingBand(code="B1", lower=30, upper=50, meaning="low"),
                BleedingBand(code="B0", lower=50, upper=None, meaning="very low"),
            ],
        ),
        texts={
            "disclaimer": "Supports clinical judgement; never replaces it (test disclaimer).",
            "phase.chronic": "Chronic (more than 12 months)",
            "response.NR": "No response",
        },
    )


def _step(day: dt.date, amount: float, unit: DoseUnit, freq: Frequency) -> DoseStep:
    return DoseStep(effective_date=day, amount=amount, unit=unit, frequency=freq)


def make_patient(**overrides: object) -> Patient:
    """A chronic adult on romiplostim with a planned splenectomy (accented name)."""
    d = dt.date
    romi_start = d(2026, 6, 1)
    romi_steps = [
        _step(romi_start + dt.timedelta(weeks=k), 1 + k, DoseUnit.mcg_per_kg, Frequency.weekly)
        for k in range(10)
    ]
    counts = [
        PlateletCount(date=d(2025, 1, 10) + dt.timedelta(days=14 * k), value=v)
        for k, v in enumerate(
            [
                8,
                12,
                45,
                60,
                38,
                22,
                15,
                9,
                14,
                18,
                25,
                31,
                29,
                40,
                35,
                22,
                18,
                12,
                9,
                11,
                14,
                20,
                28,
                35,
                41,
                38,
                44,
                52,
                47,
                39,
                33,
                29,
                36,
                42,
                48,
                55,
                51,
                46,
                44,
                39,
                41,
                45,
                49,
            ]
        )
    ]
    data: dict[str, object] = {
        "id": "pt-1",
        "mrn": "MRN-004711",
        "family_name": "Núñez-Øster",
        "given_name": "Zoë",
        "birth_date": d(1979, 3, 14),
        "weight_kg": 68,
        "height_cm": 171,
        "diagnosis": Diagnosis(date="2024-12-02"),
        "risk_factors": RiskFactors(splenectomy_candidate="yes", hypertension=True),
        "platelet_counts": counts,
        "courses": [
            TherapyCourse(
                id="c1",
                agent=AgentCode.prednisone,
                start_date=d(2024, 12, 3),
                stop_date=d(2025, 1, 20),
                stop_reason=StopReason.loss_of_response,
                dose_steps=[
                    _step(d(2024, 12, 3), 1, DoseUnit.mg_per_kg, Frequency.daily),
                    _step(d(2024, 12, 24), 40, DoseUnit.mg, Frequency.daily),
                    _step(d(2025, 1, 7), 20, DoseUnit.mg, Frequency.daily),
                ],
            ),
            TherapyCourse(
                id="c2",
                agent=AgentCode.ivig,
                start_date=d(2025, 4, 2),
                stop_date=d(2025, 4, 2),
                stop_reason=StopReason.completed,
                dose_steps=[_step(d(2025, 4, 2), 1, DoseUnit.g_per_kg, Frequency.once)],
            ),
            TherapyCourse(
                id="c3",
                agent=AgentCode.eltrombopag,
                start_date=d(2025, 5, 1),
                stop_date=d(2025, 8, 20),
                stop_reason=StopReason.no_response,
                dose_steps=[
                    _step(d(2025, 5, 1), 50, DoseUnit.mg, Frequency.daily),
                    _step(d(2025, 5, 15), 75, DoseUnit.mg, Frequency.daily),
                ],
            ),
            TherapyCourse(
                id="c4",
                agent=AgentCode.romiplostim,
                start_date=romi_start,
                dose_steps=romi_steps,
            ),
        ],
        "bleeding": [
            BleedingAssessment(date=d(2025, 4, 1), who_grade=2, itpbat_skin=2, itpbat_mucosa=1),
            BleedingAssessment(date=d(2026, 11, 1), who_grade=1),
        ],
        "immunizations": [
            Immunization(
                vaccine=VaccineCode.pneumococcal_conjugate, date=d(2026, 10, 1), product="PCV20"
            ),
            Immunization(vaccine=VaccineCode.influenza, date=d(2025, 10, 15)),
        ],
        "procedures": [Procedure(kind=ProcedureKind.splenectomy, date=d(2026, 12, 15))],
    }
    data.update(overrides)
    return Patient(**data)  # type: ignore[arg-type]


def make_assessment(patient: Patient | None = None, **overrides: object) -> Assessment:
    """An assessment consistent with `make_patient()` (hand-written, not from the engine)."""
    d = dt.date
    courses = [
        CourseAssessment(
            agent=AgentCode.prednisone,
            response=ResponseCode.R,
            time_to_response_days=9,
            loss_of_response=True,
            adequate_trial=True,
            inadequacy=[],
            course_id="c1",
            start_date=d(2024, 12, 3),
            stop_date=d(2025, 1, 20),
            status="stopped",
        ),
        CourseAssessment(
            agent=AgentCode.ivig,
            response=ResponseCode.not_evaluable,
            time_to_response_days=None,
            loss_of_response=False,
            adequate_trial=None,
            inadequacy=[],
            course_id="c2",
            start_date=d(2025, 4, 2),
            stop_date=d(2025, 4, 2),
            status="stopped",
        ),
        CourseAssessment(
            agent=AgentCode.eltrombopag,
            response=ResponseCode.NR,
            time_to_response_days=None,
            loss_of_response=False,
            adequate_trial=False,
            inadequacy=["duration_too_short"],
            course_id="c3",
            start_date=d(2025, 5, 1),
            stop_date=d(2025, 8, 20),
            status="stopped",
            adequacy_reasons=["21 days at ≥ 75 mg/day (28 needed)"],
            rules=["RESP_NR@0.1.0", "ADQ_ROMI@0.1.0"],
        ),
        CourseAssessment(
            agent=AgentCode.romiplostim,
            response=ResponseCode.NR,
            time_to_response_days=None,
            loss_of_response=False,
            adequate_trial=True,
            inadequacy=[],
            course_id="c4",
            start_date=d(2026, 6, 1),
            status="active",
            adequacy_reasons=["119 days at ≥ 10 mcg/kg weekly"],
            rules=["ADQ_ROMI@0.1.0"],
        ),
    ]
    data: dict[str, object] = {
        "as_of": AS_OF,
        "knowledge_base": KnowledgeBaseRef(
            id="test-pack",
            version="1.2.3",
            overrides=[PackRef(id="site-demo", version="2.0.0")],
        ),
        "phase": Phase.chronic,
        "latest_platelet_count": CountRef(date=d(2026, 8, 21), value=49),
        "courses": courses,
        "steroid_dependent": False,
        "multi_refractory": True,
        "findings": [
            Finding(
                code="inadequate_trial",
                severity=Severity.warning,
                message="Eltrombopag was stopped for no response without an adequate trial.",
                why=["21 days at ≥ 75 mg/day (28 needed)"],
                sources=["LBL-Nplate"],
                rule="FIND_INADEQUATE_TRIAL@0.1.0",
                key="c3",
            ),
            Finding(
                code="splenectomy_vaccines_incomplete",
                severity=Severity.critical,
                message="Splenectomy planned on 15 Dec 2026: MenB vaccine not given.",
                why=["meningococcal_b: no dose on record"],
                sources=["CDC/IAC"],
                rule="PIT_SPLEN_VACC@0.1.0",
                key="splen",
            ),
            Finding(
                code="procedure_threshold",
                severity=Severity.warning,
                message="Suppressed threshold message",
                why=["count 49"],
                sources=["ICR2019"],
                rule="PIT_OBS_LOW@0.1.0",
                key="proc",
                suppressed=True,
                suppression_reason="Discussed with surgeon; platelet cover planned.",
            ),
            Finding(
                code="review_me",
                severity=Severity.info,
                message="Rests on standard knowledge awaiting sign-off.",
                why=["fact M"],
                sources=["ASH2011"],
                rule="OPT_ORDER@0.1.0",
                key="m",
                verification=VerificationMark.M,
                needs_review=True,
            ),
        ],
        "checklists": [
            Checklist(
                code="splenectomy_immunizations",
                title="Splenectomy immunizations",
                rule="CHK_SPLEN_VACCINES@0.1.0",
                items=[
                    ChecklistItem(
                        code="pneumococcal",
                        status=ChecklistStatus.done,
                        due_by=None,
                        sources=["CDC/IAC"],
                        label="Pneumococcal conjugate vaccine",
                    ),
                    ChecklistItem(
                        code="meningococcal_b",
                        status=ChecklistStatus.due,
                        due_by=d(2026, 12, 1),
                        sources=["CDC/IAC"],
                        label="MenB",
                    ),
                ],
            ),
            Checklist(
                code="bleeding_rescue",
                title="Rescue for severe bleeding",
                applicable=False,
                items=[
                    ChecklistItem(
                        code="ivig",
                        status=ChecklistStatus.not_applicable,
                        due_by=None,
                        sources=[],
                    )
                ],
            ),
        ],
        "rescue": None,
        "options": [
            Option(
                code="splenectomy",
                rank=1,
                rationale=["multi_refractory_candidate"],
                cautions=["lifelong_infection_risk"],
                sources=["ICR2019"],
                label="Splenectomy",
                rule="OPT_ORDER@0.1.0",
                explanations=[
                    Explanation(
                        code="multi_refractory_candidate",
                        kind="rationale",
                        text="Multi-refractory chronic ITP in a candidate: first to consider "
                        "as a shared decision.",
                        sources=["ICR2019"],
                    ),
                    Explanation(
                        code="lifelong_infection_risk",
                        kind="caution",
                        text="Lifelong risk of overwhelming infection and thrombosis.",
                        sources=["UK-asplenia"],
                    ),
                ],
            ),
            Option(
                code="mycophenolate",
                rank=2,
                rationale=[],
                cautions=["mmf_trial_length"],
                sources=["DrOracle2025"],
                rule="OPT_MMF@0.1.0",
            ),
        ],
        "monitoring": [
            MonitoringItem(
                code=MonitoringCode.cbc,
                due=d(2026, 11, 29),
                reason="romiplostim titration",
                label="CBC incl. platelets",
                agent=AgentCode.romiplostim,
                last_done=d(2026, 8, 21),
                overdue=False,
                sources=["LBL-Nplate"],
                rule="MON_ROMI@0.1.0",
            ),
            MonitoringItem(
                code=MonitoringCode.platelet_count,
                due=d(2026, 10, 1),
                reason="lost to follow-up",
                overdue=True,
                sources=["LBL-Nplate"],
                rule="MON_ROMI@0.1.0",
            ),
        ],
        "engine_version": "0.1.0",
        "input_sha256": SNAPSHOT,
        "disclaimer": "",
    }
    data.update(overrides)
    return Assessment(**data)  # type: ignore[arg-type]


def make_rescue() -> Rescue:
    return Rescue(
        ivig_total_g=68.0,
        methylprednisolone_mg_per_day=1000,
        platelet_transfusion="indicated",
        weight_kg=68,
        age_years=47,
        triggered_by=["WHO grade 4 bleeding on 20 Nov 2026"],
        sources=["ICR2019", "ASH2011"],
        rule="RESCUE_DOSES@0.1.0",
    )


SITE = SiteInfo(name="Hôpital Saint-Éloi", department="Hématologie", phone="+33 4 67 00 00 00")


def render_bytes(context: ReportContext, kind: str, paper: str = "a4") -> bytes:
    buffer = io.BytesIO()
    render_report(context, kind, paper, buffer)  # type: ignore[arg-type]
    return buffer.getvalue()


def pdf_text(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]
