"""The report context: everything a printed document shows, precomputed and frozen.

`build_context` turns a `Patient`, its `Assessment`, the `KnowledgePack`, the site's `SiteInfo`
and the generation time into one frozen `ReportContext` of display-ready text, dates and
numbers. The renderers (clinician plan, patient plan, wallet card, vaccination record) only lay
it out, so the same context always renders the same content, and the context itself is a
readable snapshot of what was printed. Clinical judgements are never made here: every verdict
comes from the assessment; this module only selects, formats and names what is missing.

The view models live in `itp_desktop.reports.views` and are re-exported here.

May import: core, stdlib, pydantic, the i18n catalogue, formatting helpers and the view models.
No reportlab.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Literal

from itp_desktop.core.codes import (
    CORTICOSTEROIDS,
    RESCUE_AGENTS,
    SEVERITY_ORDER,
    TPO_RAS,
    AgentCode,
    ChecklistStatus,
    DoseUnit,
    InadequacyCode,
    Phase,
    ProcedureKind,
    ResponseCode,
    StopReason,
    VerificationMark,
)
from itp_desktop.core.models.assessment import (
    Assessment,
    ChecklistItem,
    CourseAssessment,
    Option,
)
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.models.patient import Patient, TherapyCourse
from itp_desktop.core.units import fmt_count, fmt_number, round_half_up
from itp_desktop.reports.formatting import (
    PER_KG_ABSOLUTE,
    UNIT_TEXT,
    dose_history,
    fmt_amount,
    fmt_date,
    fmt_datetime,
    fmt_step,
    humanise,
    step_on,
    years_months,
)
from itp_desktop.reports.i18n import DEFAULT_LANGUAGE, Catalogue
from itp_desktop.reports.views import (
    PAPERS,
    REPORT_KINDS,
    Bar,
    CardView,
    ChecklistItemView,
    ChecklistView,
    CountPoint,
    CourseRow,
    DatedLine,
    DoseSuggestionView,
    FindingView,
    Header,
    Lane,
    Marker,
    MedicineView,
    MonitoringView,
    OptionView,
    Paper,
    PatientPlan,
    PatientView,
    ReasonView,
    ReferenceView,
    ReportContext,
    ReportKind,
    RescueView,
    SiteInfo,
    Stamp,
    StatusView,
    Timeline,
    VaccineDoseView,
    VaccineItemView,
    VaccineRecord,
)

__all__ = [
    "PAPERS",
    "REPORT_KINDS",
    "Bar",
    "CardView",
    "ChecklistItemView",
    "ChecklistView",
    "CountPoint",
    "CourseRow",
    "DatedLine",
    "DoseSuggestionView",
    "FindingView",
    "Header",
    "Lane",
    "Marker",
    "MedicineView",
    "MonitoringView",
    "OptionView",
    "Paper",
    "PatientPlan",
    "PatientView",
    "ReasonView",
    "ReferenceView",
    "ReportContext",
    "ReportKind",
    "RescueView",
    "SiteInfo",
    "Stamp",
    "StatusView",
    "Timeline",
    "VaccineDoseView",
    "VaccineItemView",
    "VaccineRecord",
    "build_context",
    "context_digest",
]

COUNT_BANDS: tuple[float, ...] = (10.0, 30.0, 50.0, 100.0)
"""Threshold lines of the timeline chart (×10⁹/L)."""

USUAL_RANGE_DAYS = 180
"""The wallet card's "usual platelet range" spans the counts of the last 180 days."""

FUTURE_DAYS = 120
"""The timeline shows planned items up to this many days after `as_of`."""

SNAPSHOT_CHARS = 12
"""Hex characters of the data-snapshot hash printed in the footer stamp."""

_UNCERTAIN = (VerificationMark.M, VerificationMark.U)

PHASE_TEXT: dict[Phase, str] = {
    Phase.newly_diagnosed: "Newly diagnosed (< 3 months)",
    Phase.persistent: "Persistent (3–12 months)",
    Phase.chronic: "Chronic (≥ 12 months)",
}
RESPONSE_TEXT: dict[ResponseCode, str] = {
    ResponseCode.CR: "CR",
    ResponseCode.R: "R",
    ResponseCode.NR: "NR",
    ResponseCode.not_evaluable: "Not evaluable",
}
INADEQUACY_TEXT: dict[InadequacyCode, str] = {
    InadequacyCode.max_dose_not_reached: "maximum dose not reached",
    InadequacyCode.duration_too_short: "duration too short",
    InadequacyCode.incomplete_course: "incomplete course",
    InadequacyCode.dose_below_standard: "dose below standard",
}
STOP_TEXT: dict[StopReason, str] = {
    StopReason.no_response: "No response",
    StopReason.loss_of_response: "Loss of response",
    StopReason.intolerance: "Intolerance",
    StopReason.remission: "Remission",
    StopReason.completed: "Completed",
    StopReason.patient_choice: "Patient choice",
    StopReason.other: "Other",
}
STATUS_TEXT: dict[ChecklistStatus, str] = {
    ChecklistStatus.done: "Done",
    ChecklistStatus.due: "Due",
    ChecklistStatus.overdue: "Overdue",
    ChecklistStatus.not_applicable: "Not applicable",
    ChecklistStatus.unknown: "Unknown",
}
PROCEDURE_TEXT: dict[ProcedureKind, str] = {
    ProcedureKind.splenectomy: "Splenectomy",
    ProcedureKind.dental_extraction: "Dental extraction",
    ProcedureKind.minor_surgery: "Minor surgery",
    ProcedureKind.major_surgery: "Major surgery",
    ProcedureKind.neurosurgery: "Neurosurgery",
    ProcedureKind.neuraxial_anaesthesia: "Neuraxial anaesthesia",
    ProcedureKind.delivery: "Delivery",
}

# Citation keys behind the fixed texts of the wallet card (ITP_REFERENCE.md 3b and 3d).
CARD_SOURCES: tuple[str, ...] = ("ASH2011", "ICR2019", "UK-asplenia")


# ---------------------------------------------------------------------------- building


def build_context(
    patient: Patient,
    assessment: Assessment,
    pack: KnowledgePack,
    site: SiteInfo,
    generated_at: dt.datetime,
    language: str = DEFAULT_LANGUAGE,
) -> ReportContext:
    """Build the frozen context every document of one patient is rendered from.

    Args:
        patient: the record the assessment was made from.
        assessment: the engine's assessment of `patient` (its `as_of` is the report date).
        pack: the knowledge pack that produced the assessment (labels, citations, texts).
        site: the department printed in the header.
        generated_at: when the document is generated (printed in the footer stamp).
        language: catalogue language of the patient-facing documents.

    Returns:
        A frozen context; rendering it twice gives the same text.

    Raises:
        ReportError: when `language` has no catalogue.
    """
    cat = Catalogue(language)
    eng = Catalogue(DEFAULT_LANGUAGE)
    builder = _Builder(patient, assessment, pack, site, cat, eng)
    return builder.build(generated_at)


class _Builder:
    """Holds the inputs while the parts of the context are assembled."""

    def __init__(
        self,
        patient: Patient,
        assessment: Assessment,
        pack: KnowledgePack,
        site: SiteInfo,
        cat: Catalogue,
        eng: Catalogue,
    ) -> None:
        self.patient = patient
        self.a = assessment
        self.pack = pack
        self.site = site
        self.cat = cat
        self.eng = eng
        self.as_of = assessment.as_of
        self.missing: list[str] = []
        self.review: list[str] = []
        # Option reasons repeat across options (one TPO-RA reason on three TPO-RA options):
        # they are listed once with every option they concern.
        self.option_review: dict[str, list[str]] = {}
        self.counts = sorted(
            (CountPoint(day=c.date, value=c.value_e9) for c in patient.platelet_counts),
            key=lambda p: p.day,
        )
        self.counts = [p for p in self.counts if p.day <= self.as_of]
        self.course_pairs = _pair_courses(patient.courses, assessment.courses)
        self.splenectomy_done = sorted(
            p.date
            for p in patient.procedures
            if p.kind is ProcedureKind.splenectomy and p.date <= self.as_of
        )
        self.splenectomy_planned = sorted(
            p.date
            for p in patient.procedures
            if p.kind is ProcedureKind.splenectomy and p.date > self.as_of
        )

    # -- helpers
    def d(self, value: dt.date | None) -> str:
        return fmt_date(value, self.eng) if value is not None else "—"

    def pd(self, value: dt.date) -> str:
        return fmt_date(value, self.cat)

    def agent_name(self, code: AgentCode) -> str:
        info = self.pack.agents.get(code)
        return info.name if info is not None else humanise(code)

    def label(self, key: str, fallback: str) -> str:
        """A display label from the pack's texts (a department may override it)."""
        return self.pack.texts.get(key, fallback)

    def _adequacy_text(self, ca: CourseAssessment) -> str:
        if ca.adequate_trial is None:
            return "No adequacy rule" if ca.status != "planned" else "—"
        if ca.adequate_trial:
            return "Adequate"
        codes = ", ".join(
            self.label(f"inadequacy.{c.value}", INADEQUACY_TEXT[c]) for c in ca.inadequacy
        )
        return f"Not adequate: {codes}" if codes else "Not adequate"

    def rule_mark(self, ref: str) -> VerificationMark | None:
        rule = self.pack.rules.get(ref.split("@", 1)[0])
        return rule.verification if rule is not None else None

    # -- whole context
    def build(self, generated_at: dt.datetime) -> ReportContext:
        self.generated_at = generated_at
        patient_view = self._patient_view()
        header = self._header(patient_view)
        stamp = self._stamp(generated_at)
        status = self._status()
        rescue = self._rescue()
        timeline = self._timeline()
        courses = self._courses()
        findings, suppressed = self._findings()
        checklists = self._checklists()
        options = self._options()
        monitoring = self._monitoring()
        suggestions = self._dose_suggestions()
        self._note_missing()
        keys = _ordered_keys(
            *(f.sources for f in findings),
            *(f.sources for f in suppressed),
            *(i.sources for c in checklists for i in c.items),
            *(o.sources for o in options),
            *(r.sources for o in options for r in [*o.rationale, *o.cautions]),
            *(m.sources for m in monitoring),
            *(s.sources for s in suggestions),
            rescue.sources if rescue is not None else [],
            *(self._rule_sources(c.adequacy_rules) for c in courses),
        )
        return ReportContext(
            language=self.cat.language,
            generated_at=generated_at,
            header=header,
            stamp=stamp,
            patient=patient_view,
            status=status,
            rescue=rescue,
            timeline=timeline,
            courses=courses,
            findings=findings,
            suppressed=suppressed,
            checklists=checklists,
            options=options,
            monitoring=monitoring,
            dose_suggestions=suggestions,
            references=self._references(sorted(keys, key=str.casefold)),
            review=[*self.review, *self._option_review_lines()],
            missing=self.missing,
            patient_plan=self._patient_plan(),
            card=self._card(generated_at),
            vaccine_record=self._vaccine_record(),
        )

    # -- identification and stamp
    def _patient_view(self) -> PatientView:
        p = self.patient
        age = p.age_years(self.as_of)
        if age < 2:
            years, months = years_months(p.birth_date, self.as_of)
            age_text = f"{years * 12 + months} months"
        else:
            age_text = f"{age} years"
        weight = f"{fmt_number(p.weight_kg)} kg" if p.weight_kg is not None else "not recorded"
        height = f"{fmt_number(p.height_cm)} cm" if p.height_cm is not None else "not recorded"
        bsa = p.bsa_m2
        bsa_text = f"{fmt_number(round_half_up(bsa, 2))} m²" if bsa is not None else "—"
        hb = p.haemoglobin_g_dl
        if p.diagnosis is not None:
            diagnosis = f"{p.diagnosis.type.value.capitalize()} ITP, diagnosed " + (
                self.d(p.diagnosis.effective_date)
                if len(p.diagnosis.date) == 10
                else p.diagnosis.date
            )
        else:
            diagnosis = "Diagnosis date not recorded"
        rf = p.risk_factors
        flags = {
            "prior thrombosis": rf.prior_thrombosis,
            "hepatic impairment": rf.hepatic_impairment,
            "hypertension": rf.hypertension,
            "pregnancy or planning pregnancy": rf.pregnancy_or_planning,
            "on antiplatelet/anticoagulant": rf.antithrombotic_therapy,
            "prefers treatment-free remission": rf.prefers_treatment_free_remission,
            "needle-averse": rf.needle_averse,
            "East/South-East Asian ancestry": p.east_southeast_asian_ancestry,
        }
        risks = [name for name, on in flags.items() if on]
        risks.append(f"splenectomy candidate: {rf.splenectomy_candidate.value}")
        return PatientView(
            name=p.display_name,
            mrn=p.mrn,
            birth_text=self.d(p.birth_date),
            age_years=age,
            age_text=age_text,
            sex_text=p.sex.value,
            weight_text=weight,
            height_text=height,
            bsa_text=bsa_text,
            rh_text=f"Rh(D) {p.rh_d.value}",
            haemoglobin_text=f"{fmt_number(hb)} g/dL" if hb is not None else "not recorded",
            diagnosis_text=diagnosis,
            risk_factors=risks,
            is_child=age < self.pack.thresholds.child_age_years,
        )

    def _header(self, view: PatientView) -> Header:
        return Header(
            site_name=self.site.name,
            site_department=self.site.department,
            site_phone=self.site.phone,
            logo_png=self._logo(),
            patient_name=view.name,
            mrn=view.mrn,
            birth_text=fmt_date(self.patient.birth_date, self.cat),
            age_text=view.age_text,
        )

    def _logo(self) -> bytes | None:
        path = self.site.logo_path
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.missing.append(f"Site logo {path} could not be read ({exc.strerror}).")
            return None
        if not data.startswith(b"\x89PNG\r\n\x1a\n"):
            self.missing.append(f"Site logo {path} is not a PNG image; printed without a logo.")
            return None
        return data

    def _stamp(self, generated_at: dt.datetime) -> Stamp:
        kb = self.a.knowledge_base
        overrides = ", ".join(f"{o.id} {o.version}" for o in kb.overrides)
        snapshot = self.a.input_sha256[:SNAPSHOT_CHARS] if self.a.input_sha256 else "not recorded"
        disclaimer = (
            self.a.disclaimer or self.pack.texts.get("disclaimer", "") or self.eng.t("disclaimer")
        )
        return Stamp(
            pack=f"{kb.id} {kb.version}",
            overrides=overrides,
            as_of=self.as_of,
            as_of_text=self.d(self.as_of),
            snapshot=snapshot,
            snapshot_sha256=self.a.input_sha256,
            generated_text=fmt_datetime(generated_at, self.eng),
            engine_version=self.a.engine_version,
            disclaimer=disclaimer,
        )

    # -- status
    def _status(self) -> StatusView:
        a = self.a
        p = self.patient
        if a.phase is not None:
            phase = self.label(f"phase.{a.phase.value}", PHASE_TEXT[a.phase])
        else:
            phase = "Unknown: no diagnosis date recorded"
        detail = ""
        if p.diagnosis is not None:
            years, months = years_months(p.diagnosis.effective_date, self.as_of)
            detail = f"{years} y {months} m since diagnosis"
        latest = a.latest_platelet_count
        latest_text = (
            f"{fmt_count(latest.value)} on {self.d(latest.date)}"
            if latest is not None
            else "No platelet count recorded"
        )
        band_text = ""
        if latest is not None:
            for band in self.pack.thresholds.bleeding_bands:
                if latest.value >= band.lower and (band.upper is None or latest.value < band.upper):
                    band_text = f"{band.code}: {band.meaning}"
        active: list[str] = []
        planned: list[str] = []
        for course, ca in self.course_pairs:
            if (ca is not None and ca.status == "planned") or course.start_date > self.as_of:
                planned.append(
                    f"{self.agent_name(course.agent)} {fmt_step(course.dose_steps[0])} "
                    f"from {self.d(course.start_date)}"
                )
            elif ca is not None and ca.status == "active":
                active.append(self._active_text(course))
        bleeds = sorted(
            (b for b in p.bleeding if b.date <= self.as_of), key=lambda b: b.date, reverse=True
        )
        if bleeds:
            b = bleeds[0]
            parts = []
            if b.who_grade is not None:
                parts.append(f"WHO grade {b.who_grade}")
            smog = [
                f"{name}{grade}"
                for name, grade in (
                    ("S", b.itpbat_skin),
                    ("M", b.itpbat_mucosa),
                    ("O", b.itpbat_organ),
                )
                if grade is not None
            ]
            if smog:
                parts.append("ITP-BAT " + " ".join(smog))
            if b.life_threatening:
                parts.append("life-threatening")
            bleeding = f"{', '.join(parts)} on {self.d(b.date)}"
        else:
            bleeding = "No bleeding assessment recorded"
        return StatusView(
            phase_text=phase,
            phase_detail=detail,
            latest_count_text=latest_text,
            latest_band_text=band_text,
            active_therapy=active,
            planned_therapy=planned,
            steroid_dependent=a.steroid_dependent,
            multi_refractory=a.multi_refractory,
            asplenia_text=self._asplenia_text(),
            splenectomised=bool(self.splenectomy_done),
            latest_bleeding_text=bleeding,
        )

    def _active_text(self, course: TherapyCourse) -> str:
        name = self.agent_name(course.agent)
        step = step_on(course.dose_steps, self.as_of)
        if course.stop_date is not None and course.stop_date < self.as_of:
            return (
                f"{name} {dose_history(course.dose_steps)} (stopped {self.d(course.stop_date)}; "
                f"inside its evaluation window)"
            )
        return f"{name} {fmt_step(step)} since {self.d(course.start_date)}"

    def _asplenia_text(self) -> str:
        if self.splenectomy_done:
            return f"Asplenic: splenectomy on {self.d(self.splenectomy_done[-1])}"
        if self.splenectomy_planned:
            return f"Splenectomy planned for {self.d(self.splenectomy_planned[0])}"
        return "Spleen in place (no splenectomy recorded)"

    def _rescue(self) -> RescueView | None:
        r = self.a.rescue
        if r is None:
            return None
        ivig = f"IVIG {fmt_number(r.ivig_g_per_kg)} g/kg"
        ivig += (
            f" = {fmt_number(r.ivig_total_g)} g"
            if r.ivig_total_g is not None
            else " (total not calculated: no weight recorded)"
        )
        mp = (
            f"Methylprednisolone {fmt_number(r.methylprednisolone_mg_per_day)} mg/day × "
            f"{r.methylprednisolone_days} days"
            if r.methylprednisolone_mg_per_day is not None
            else "Methylprednisolone: dose not calculated (no weight recorded for a child)"
        )
        transfusion = (
            "Platelet transfusion INDICATED now (life-threatening bleeding): do not delay"
            if r.platelet_transfusion == "indicated"
            else "Platelet transfusion not routine (no life-threatening bleeding recorded)"
        )
        lines = [ivig, mp, transfusion]
        if r.tranexamic_acid:
            lines.append("Tranexamic acid as an adjunct")
        mark = self.rule_mark(r.rule)
        if mark in _UNCERTAIN:
            self.review.append(f"Rescue doses rest on a fact marked {mark} ({r.rule}).")
        return RescueView(
            lines=lines,
            triggered_by=list(r.triggered_by),
            notes=list(r.notes),
            sources=list(r.sources),
            rule=r.rule,
        )

    # -- timeline
    def _timeline(self) -> Timeline:
        p = self.patient
        notes: list[str] = []
        horizon = self.as_of + dt.timedelta(days=FUTURE_DAYS)
        lanes: dict[AgentCode, list[Bar]] = {}
        for course in p.courses:
            if course.start_date > horizon:
                notes.append(
                    f"{self.agent_name(course.agent)} planned from {self.d(course.start_date)} "
                    "is beyond the chart."
                )
                continue
            planned = course.start_date > self.as_of
            ongoing = not planned and (course.stop_date is None or course.stop_date > self.as_of)
            if planned:
                end = course.stop_date or course.start_date
            elif ongoing:
                end = self.as_of
            else:
                end = course.stop_date or self.as_of
            lanes.setdefault(course.agent, []).append(
                Bar(
                    start=course.start_date,
                    end=min(end, horizon),
                    ongoing=ongoing,
                    planned=planned,
                    ticks=[s.effective_date for s in course.dose_steps[1:]],
                )
            )
        lane_views = [
            Lane(label=self.agent_name(agent), group=_group(agent), bars=bars)
            for agent, bars in sorted(lanes.items(), key=lambda kv: min(b.start for b in kv[1]))
        ]
        markers: list[Marker] = []
        for b in p.bleeding:
            if b.date <= self.as_of and b.is_bleeding:
                grade = f"WHO {b.who_grade}" if b.who_grade is not None else "bleed"
                markers.append(
                    Marker(
                        day=b.date,
                        kind="bleeding",
                        label=grade,
                        strong=b.life_threatening or (b.who_grade or 0) >= 3,
                    )
                )
        markers += [
            Marker(day=i.date, kind="vaccine", label=i.vaccine.value)
            for i in p.immunizations
            if i.date <= self.as_of
        ]
        markers += [
            Marker(
                day=pr.date,
                kind="procedure",
                label=PROCEDURE_TEXT[pr.kind],
                planned=pr.date > self.as_of,
                strong=pr.kind is ProcedureKind.splenectomy,
            )
            for pr in p.procedures
            if pr.date <= horizon
        ]
        markers.sort(key=lambda m: (m.day, m.kind))
        dates = [c.day for c in self.counts]
        dates += [b.start for lane in lane_views for b in lane.bars]
        dates += [m.day for m in markers]
        if p.diagnosis is not None:
            dates.append(min(p.diagnosis.effective_date, self.as_of))
        start = min(dates, default=self.as_of - dt.timedelta(days=90))
        end = max([self.as_of, *(b.end for lane in lane_views for b in lane.bars)])
        end = max(end, *(m.day for m in markers)) if markers else end
        if (end - start).days < 60:
            start = end - dt.timedelta(days=60)
        top = max((c.value for c in self.counts), default=0.0)
        return Timeline(
            start=start,
            end=end,
            as_of=self.as_of,
            log_scale=top > 200,
            counts=self.counts,
            bands=list(COUNT_BANDS),
            lanes=lane_views,
            markers=markers,
            notes=notes,
        )

    # -- therapy history
    def _courses(self) -> list[CourseRow]:
        rows = []
        for course, ca in self.course_pairs:
            stop = self.d(course.stop_date) if course.stop_date is not None else "ongoing"
            if course.start_date > self.as_of:
                stop = "planned"
            if ca is None:
                response, ttr, adequacy = "Not assessed", "—", "Not assessed"
                reasons: list[str] = []
                rules: list[str] = []
            else:
                response = self.label(f"response.{ca.response.value}", "")
                short = RESPONSE_TEXT[ca.response]
                response = f"{response} ({short})" if response and response != short else short
                if ca.loss_of_response:
                    response += " (loss of response)"
                ttr = f"{ca.time_to_response_days} d" if ca.time_to_response_days else "—"
                adequacy = self._adequacy_text(ca)
                reasons = list(ca.adequacy_reasons)
                rules = [r for r in ca.rules if r.split("@", 1)[0].startswith("ADQ_")]
            note, review = self._adequacy_note(course, ca, rules)
            rows.append(
                CourseRow(
                    agent=self.agent_name(course.agent),
                    dates_text=f"{self.d(course.start_date)} – {stop}",
                    dose_text=dose_history(course.dose_steps),
                    response_text=response,
                    ttr_text=ttr,
                    adequacy_text=adequacy,
                    adequacy_reasons=reasons,
                    adequacy_rules=rules,
                    adequacy_note=note,
                    needs_review=review,
                    stop_text=STOP_TEXT[course.stop_reason] if course.stop_reason else "—",
                )
            )
        return rows

    def _adequacy_note(
        self, course: TherapyCourse, ca: CourseAssessment | None, refs: list[str]
    ) -> tuple[str, bool]:
        """The adequacy rule's own message where the verdict needs it, and whether to review.

        The message carries the nuance the contract requires next to a verdict (low-dose
        rituximab's similar response rates, mycophenolate's trial length); it is printed when
        the trial was judged not adequate or when the rule rests on a mark other than V.
        """
        if ca is None or ca.adequate_trial is None:
            return "", False
        notes: list[str] = []
        review = False
        for ref in refs:
            rule = self.pack.rules.get(ref.split("@", 1)[0])
            if rule is None:
                continue
            uncertain = rule.verification in _UNCERTAIN
            if rule.message and (
                not ca.adequate_trial or rule.verification is not VerificationMark.V
            ):
                notes.append(f"{rule.message} (mark {rule.verification})")
            if uncertain:
                review = True
                self.review.append(
                    f"Adequacy of the {self.agent_name(course.agent)} course from "
                    f"{self.d(course.start_date)} rests on {ref} (mark {rule.verification})."
                )
        return " ".join(notes), review

    def _rule_sources(self, refs: Iterable[str]) -> list[str]:
        keys: list[str] = []
        for ref in refs:
            rule = self.pack.rules.get(ref.split("@", 1)[0])
            if rule is not None:
                keys += rule.citations
        return keys

    # -- findings, checklists, options, monitoring
    def _findings(self) -> tuple[list[FindingView], list[FindingView]]:
        shown: list[FindingView] = []
        hidden: list[FindingView] = []
        ordered = sorted(self.a.findings, key=lambda f: SEVERITY_ORDER[f.severity])
        for f in ordered:
            review = f.needs_review or f.verification in _UNCERTAIN
            view = FindingView(
                severity=f.severity,
                message=f.message,
                why=list(f.why),
                sources=list(f.sources),
                rule=f.rule,
                mark=f.verification,
                needs_review=review,
                suppression_reason=(f.suppression_reason or "no reason recorded")
                if f.suppressed
                else None,
            )
            if f.suppressed:
                hidden.append(view)
                continue
            shown.append(view)
            if review:
                self.review.append(f"Finding ({f.rule}, mark {f.verification}): {f.message}")
        return shown, hidden

    def _checklists(self) -> list[ChecklistView]:
        views = []
        for c in self.a.checklists:
            title = c.title or self.label(f"checklist.{c.code}", humanise(c.code))
            items = []
            for item in c.items:
                items.append(
                    ChecklistItemView(
                        label=item.label or humanise(item.code),
                        status=item.status,
                        status_text=self.label(
                            f"checklist_status.{item.status.value}", STATUS_TEXT[item.status]
                        ),
                        due_text=self.d(item.due_by) if item.due_by is not None else "—",
                        detail=item.detail,
                        sources=list(item.sources),
                    )
                )
                if c.applicable and item.status is ChecklistStatus.unknown:
                    self.review.append(
                        f"Checklist {title}: {item.label or humanise(item.code)} — status unknown."
                    )
            views.append(
                ChecklistView(title=title, applicable=c.applicable, rule=c.rule, items=items)
            )
        return views

    def _option_review_lines(self) -> list[str]:
        lines = []
        for text, subjects in self.option_review.items():
            line = f"{'; '.join(subjects)}: {text}"
            lines.append(line[:1].upper() + line[1:])
        return lines

    def _option_label(self, option: Option) -> str:
        if option.label:
            return option.label
        info = self.pack.options.get(option.code)
        if info is not None:
            return info.label
        if option.code in AgentCode.__members__:
            return self.agent_name(AgentCode(option.code))
        return humanise(option.code)

    def _reason(
        self, option: Option, code: str, kind: Literal["rationale", "caution"]
    ) -> ReasonView:
        for e in option.explanations:
            if e.code == code and e.kind == kind:
                return ReasonView(text=e.text, sources=list(e.sources), mark=e.verification)
        info = self.pack.reasons.get(code)
        if info is not None:
            return ReasonView(text=info.text, sources=list(info.citations), mark=info.verification)
        return ReasonView(text=humanise(code), sources=[], mark=None)

    def _options(self) -> list[OptionView]:
        views = []
        for o in sorted(self.a.options, key=lambda o: o.rank):
            label = self._option_label(o)
            rationale = [self._reason(o, code, "rationale") for code in o.rationale]
            cautions = [self._reason(o, code, "caution") for code in o.cautions]
            rule_mark = self.rule_mark(o.rule) if o.rule else None
            uncertain = [r for r in [*rationale, *cautions] if r.mark in _UNCERTAIN]
            review = bool(uncertain) or rule_mark in _UNCERTAIN
            for r in uncertain:
                self.option_review.setdefault(f"{r.text} (mark {r.mark})", []).append(
                    f"option {o.rank} ({label})"
                )
            if rule_mark in _UNCERTAIN:
                self.option_review.setdefault(
                    f"ranking rests on {o.rule} (mark {rule_mark})", []
                ).append(f"option {o.rank} ({label})")
            views.append(
                OptionView(
                    rank=o.rank,
                    label=label,
                    rationale=rationale,
                    cautions=cautions,
                    sources=list(o.sources),
                    rule=o.rule,
                    needs_review=review,
                )
            )
        return views

    def _monitoring(self) -> list[MonitoringView]:
        views = []
        for m in sorted(self.a.monitoring, key=lambda m: (m.due, m.code)):
            views.append(
                MonitoringView(
                    due=m.due,
                    due_text=self.d(m.due),
                    label=m.label or humanise(m.code),
                    reason=m.reason,
                    last_done_text=self.d(m.last_done) if m.last_done else "—",
                    overdue=m.overdue,
                    sources=list(m.sources),
                    rule=m.rule,
                )
            )
        return views

    def _dose_suggestions(self) -> list[DoseSuggestionView]:
        return [
            DoseSuggestionView(
                agent=self.agent_name(s.agent),
                text=s.text,
                why=list(s.why),
                sources=list(s.sources),
                rule=s.rule,
            )
            for s in self.a.dose_suggestions
        ]

    def _references(self, keys: Iterable[str]) -> list[ReferenceView]:
        refs = []
        for key in keys:
            citation = self.pack.citations.get(key)
            if citation is None:
                refs.append(
                    ReferenceView(
                        key=key,
                        reference="(not in the knowledge pack's source registry)",
                        locator="",
                    )
                )
            else:
                refs.append(
                    ReferenceView(key=key, reference=citation.reference, locator=citation.locator)
                )
        return refs

    def _note_missing(self) -> None:
        p = self.patient
        if not self.counts:
            self.missing.append(
                "No platelet count on or before the assessment date: no latest count, "
                "no chart line and no usual range."
            )
        if p.weight_kg is None:
            self.missing.append(
                "No weight recorded: weight-based doses (mg/kg, mcg/kg, g/kg) are shown per kg "
                "only, and rescue IVIG totals are not calculated."
            )
        uses_bsa = any(s.unit is DoseUnit.mg_per_m2 for c in p.courses for s in c.dose_steps)
        if uses_bsa and p.bsa_m2 is None:
            self.missing.append(
                "No weight and height for body-surface area: mg/m² doses cannot be converted."
            )
        if p.diagnosis is None:
            self.missing.append("No diagnosis date recorded: the disease phase is unknown.")
        if not p.courses:
            self.missing.append("No therapy course recorded.")
        if not p.bleeding:
            self.missing.append("No bleeding assessment recorded.")

    # -- patient plan
    def _ongoing(self) -> list[TherapyCourse]:
        return [
            c
            for c in self.patient.courses
            if c.start_date <= self.as_of and (c.stop_date is None or c.stop_date >= self.as_of)
        ]

    def _count_plain(self, value: float) -> str:
        return self.cat.t(
            "count.plain",
            value=fmt_number(round_half_up(value, 1)),
            per_ul=fmt_number(round_half_up(value * 1000, 0)),
        )

    def _patient_dose(self, course: TherapyCourse) -> str:
        step = step_on(course.dose_steps, self.as_of)
        freq = self.cat.t(f"freq.{step.frequency.value}")
        text = f"{fmt_amount(step.amount, step.unit)} {freq}"
        weight = self.patient.weight_kg
        absolute = PER_KG_ABSOLUTE.get(step.unit)
        if absolute is not None:
            if weight is not None:
                total = round_half_up(step.amount * weight, 1)
                text += " " + self.cat.t(
                    "medicine.per_kg_total",
                    amount=f"{fmt_number(total)} {UNIT_TEXT[absolute]}",
                    weight=fmt_number(weight),
                )
            else:
                text += " " + self.cat.t("medicine.per_kg_no_weight")
        return text

    def _patient_plan(self) -> PatientPlan:
        cat = self.cat
        missing: list[str] = []
        latest = self.a.latest_platelet_count
        if latest is not None:
            latest_text = cat.t(
                "plan.latest", count=self._count_plain(latest.value), date=self.pd(latest.date)
            )
        else:
            latest_text = cat.t("plan.latest_none")
            missing.append(cat.t("missing.counts"))
        target = self.pack.thresholds.treatment_target
        # A target only means something while a medicine is raising the count; off treatment
        # (a child under observation, a patient in remission) the aim is to avoid bleeding.
        if any(c.agent not in RESCUE_AGENTS for c in self._ongoing()):
            target_text = cat.t("plan.target", count=self._count_plain(target))
        else:
            target_text = cat.t("plan.target_untreated")
        medicines = []
        for course in self._ongoing():
            info = self.pack.agents.get(course.agent)
            how = info.patient_instructions if info is not None else ""
            medicines.append(
                MedicineView(
                    name=self.agent_name(course.agent),
                    dose_text=self._patient_dose(course),
                    how_text=how or cat.t("medicine.how_default"),
                    since_text=cat.t("medicine.since", date=self.pd(course.start_date)),
                )
            )
        if self.patient.weight_kg is None and any(
            s.unit in PER_KG_ABSOLUTE for c in self._ongoing() for s in c.dose_steps
        ):
            missing.append(cat.t("missing.weight"))
        tests = []
        for m in sorted(self.a.monitoring, key=lambda m: (m.due, m.code)):
            text = cat.t(f"monitoring.{m.code}") if cat.has(f"monitoring.{m.code}") else m.label
            if m.agent is not None:
                text += " " + cat.t("plan.test_for", medicine=self.agent_name(m.agent))
            due = (
                cat.t("plan.overdue", date=self.pd(m.due))
                if m.overdue
                else cat.t("plan.by", date=self.pd(m.due))
            )
            tests.append(DatedLine(date_text=due, text=text, overdue=m.overdue))
        appointments = [
            DatedLine(
                date_text=self.pd(pr.date),
                text=cat.t(f"procedure.{pr.kind.value}"),
            )
            for pr in sorted(self.patient.procedures, key=lambda pr: pr.date)
            if pr.date > self.as_of
        ]
        appointments += [
            DatedLine(
                date_text=self.pd(c.start_date),
                text=cat.t("plan.start_medicine", medicine=self.agent_name(c.agent)),
            )
            for c in sorted(self.patient.courses, key=lambda c: c.start_date)
            if c.start_date > self.as_of
        ]
        plain = f"{self.patient.given_name} {self.patient.family_name}".strip()
        return PatientPlan(
            plain_name=plain,
            issued_text=self.cat.t("card.issued", date=self.pd(self.generated_at.date())),
            latest_text=latest_text,
            target_text=target_text,
            medicines=medicines,
            tests=tests,
            appointments=appointments,
            vaccines_due=self._vaccines_due(),
            splenectomised=bool(self.splenectomy_done),
            missing=missing,
        )

    def _vaccines_due(self) -> list[DatedLine]:
        lines = []
        for c in self.a.checklists:
            if c.code not in ("splenectomy_immunizations", "pre_rituximab") or not c.applicable:
                continue
            for item in c.items:
                if item.status not in (ChecklistStatus.due, ChecklistStatus.overdue):
                    continue
                if c.code == "pre_rituximab" and item.code != "vaccinations_before_rituximab":
                    continue
                lines.append(self._vaccine_line(item))
        return lines

    def _vaccine_line(self, item: ChecklistItem) -> DatedLine:
        key = f"vaccine_item.{item.code}"
        text = self.cat.t(key) if self.cat.has(key) else (item.label or humanise(item.code))
        overdue = item.status is ChecklistStatus.overdue
        if item.due_by is None:
            when = self.cat.t("plan.asap")
        elif overdue:
            when = self.cat.t("plan.overdue", date=self.pd(item.due_by))
        else:
            when = self.cat.t("plan.by", date=self.pd(item.due_by))
        return DatedLine(date_text=when, text=text, overdue=overdue)

    # -- wallet card
    def _card(self, generated_at: dt.datetime) -> CardView:
        cat = self.cat
        since = self.as_of - dt.timedelta(days=USUAL_RANGE_DAYS)
        recent = [c.value for c in self.counts if c.day > since]
        if len(recent) > 1:
            low, high = min(recent), max(recent)
            last = self.counts[-1]
            usual = cat.t(
                "card.range",
                low=fmt_number(round_half_up(low, 1)),
                high=fmt_number(round_half_up(high, 1)),
                months=USUAL_RANGE_DAYS // 30,
                latest=fmt_number(round_half_up(last.value, 1)),
                date=self.pd(last.day),
            )
        elif self.counts:
            last = self.counts[-1]
            usual = cat.t(
                "card.range_old",
                value=fmt_number(round_half_up(last.value, 1)),
                date=self.pd(last.day),
            )
        else:
            usual = cat.t("card.range_none")
        therapy = [
            f"{self.agent_name(c.agent)} {self._card_dose(c)}"
            for c in self._ongoing()
            if c.agent not in RESCUE_AGENTS
        ]
        if not therapy:
            therapy = [cat.t("card.no_therapy")]
        if self.splenectomy_done:
            asplenia = cat.t("card.asplenic", date=self.pd(self.splenectomy_done[-1]))
            antibiotic = cat.t("card.antibiotics")
        else:
            asplenia = cat.t("card.spleen_present")
            antibiotic = ""
        return CardView(
            name=self.patient.display_name,
            birth_text=fmt_date(self.patient.birth_date, cat),
            usual_range_text=usual,
            therapy_lines=therapy,
            asplenia_text=asplenia,
            antibiotic_text=antibiotic,
            rescue_lines=self._card_rescue(),
            sources_text=cat.t("card.sources", keys=", ".join(CARD_SOURCES)),
            clinic_name=" · ".join(x for x in (self.site.name, self.site.department) if x),
            clinic_phone=self.site.phone or cat.t("card.phone_missing"),
            issued_text=cat.t("card.issued", date=self.pd(generated_at.date())),
        )

    def _card_dose(self, course: TherapyCourse) -> str:
        step = step_on(course.dose_steps, self.as_of)
        return f"{fmt_amount(step.amount, step.unit)} {self.cat.t(f'freq.{step.frequency.value}')}"

    def _card_rescue(self) -> list[str]:
        cat = self.cat
        th = self.pack.thresholds
        weight = self.patient.weight_kg
        rescue = self.a.rescue
        ivig_total = rescue.ivig_total_g if rescue is not None else None
        if ivig_total is None and weight is not None:
            ivig_total = round_half_up(th.rescue_ivig_g_per_kg * weight, 1)
        ivig = cat.t("card.ivig", dose=fmt_number(th.rescue_ivig_g_per_kg))
        if ivig_total is not None and weight is not None:
            ivig += " " + cat.t(
                "card.at_weight", amount=f"{fmt_number(ivig_total)} g", weight=fmt_number(weight)
            )
        if self._is_child():
            per_kg = th.rescue_methylprednisolone_child_mg_per_kg
            mp = cat.t(
                "card.mp_child",
                per_kg=fmt_number(per_kg),
                cap=fmt_number(th.rescue_methylprednisolone_adult_mg),
                days=th.rescue_methylprednisolone_days,
            )
            if weight is not None:
                daily = min(per_kg * weight, th.rescue_methylprednisolone_adult_mg)
                mp += " " + cat.t(
                    "card.at_weight",
                    amount=f"{fmt_number(round_half_up(daily, 1))} mg",
                    weight=fmt_number(weight),
                )
        else:
            mp = cat.t(
                "card.mp_adult",
                dose=fmt_number(th.rescue_methylprednisolone_adult_mg),
                days=th.rescue_methylprednisolone_days,
            )
        return [
            ivig,
            mp,
            cat.t("card.transfusion"),
            cat.t("card.tranexamic"),
            cat.t("card.antithrombotics"),
        ]

    def _is_child(self) -> bool:
        return self.patient.age_years(self.as_of) < self.pack.thresholds.child_age_years

    # -- vaccination record
    def _vaccine_record(self) -> VaccineRecord:
        cat = self.cat
        checklist = next(
            (c for c in self.a.checklists if c.code == "splenectomy_immunizations"), None
        )
        schedules = {v.code: v for v in self.pack.splenectomy_vaccines}
        items = []
        keys: list[str] = []
        for item in checklist.items if checklist is not None else []:
            info = schedules.get(item.code)
            accepts = set(info.accepts) if info is not None else set()
            given = sorted(i.date for i in self.patient.immunizations if i.vaccine in accepts)
            key = f"vaccine_item.{item.code}"
            items.append(
                VaccineItemView(
                    label=cat.t(key) if cat.has(key) else (item.label or humanise(item.code)),
                    status=item.status,
                    status_text=cat.t(f"status.{item.status.value}"),
                    due_text=self.pd(item.due_by) if item.due_by is not None else "—",
                    doses_text=", ".join(self.pd(d) for d in given) or "—",
                    schedule=info.schedule if info is not None else "",
                    rule=item.rule or (info.rule if info is not None else ""),
                )
            )
            keys += item.sources
        if self.splenectomy_done:
            status = cat.t("vaccines.status_done", date=self.pd(self.splenectomy_done[-1]))
        elif self.splenectomy_planned:
            status = cat.t("vaccines.status_planned", date=self.pd(self.splenectomy_planned[0]))
        else:
            status = cat.t("vaccines.status_none")
        doses = [
            VaccineDoseView(
                date_text=self.pd(i.date),
                vaccine=cat.t(f"vaccine.{i.vaccine.value}"),
                product=i.product,
                notes=i.notes,
            )
            for i in sorted(self.patient.immunizations, key=lambda i: (i.date, i.vaccine))
        ]
        notes = [cat.t("vaccines.note_timing"), cat.t("vaccines.note_flu")]
        if any(c.agent is AgentCode.rituximab for c in self.patient.courses):
            notes.append(cat.t("vaccines.note_rituximab"))
        if checklist is None:
            notes.insert(0, cat.t("vaccines.no_checklist"))
        return VaccineRecord(
            applicable=checklist is not None and checklist.applicable,
            status_text=status,
            items=items,
            doses=doses,
            notes=notes,
            references=self._references(sorted(set(keys), key=str.casefold)),
        )


def _pair_courses(
    courses: list[TherapyCourse], assessed: list[CourseAssessment]
) -> list[tuple[TherapyCourse, CourseAssessment | None]]:
    """Match each input course to its assessment (same order by contract; ids when present)."""
    by_id = {ca.course_id: ca for ca in assessed if ca.course_id}
    pairs: list[tuple[TherapyCourse, CourseAssessment | None]] = []
    for index, course in enumerate(courses):
        ca = by_id.get(course.id) if course.id else None
        if ca is None and index < len(assessed):
            candidate = assessed[index]
            if candidate.agent is course.agent and candidate.start_date == course.start_date:
                ca = candidate
        pairs.append((course, ca))
    return pairs


def _group(agent: AgentCode) -> Literal["steroid", "tpo", "rituximab", "rescue", "other"]:
    if agent in CORTICOSTEROIDS and agent is not AgentCode.methylprednisolone:
        return "steroid"
    if agent in TPO_RAS:
        return "tpo"
    if agent is AgentCode.rituximab:
        return "rituximab"
    if agent in RESCUE_AGENTS:
        return "rescue"
    return "other"


def _ordered_keys(*groups: Iterable[str]) -> set[str]:
    return {key for group in groups for key in group}


def context_digest(context: ReportContext) -> str:
    """SHA-256 of the context's canonical JSON (what was printed, for the audit log)."""
    return hashlib.sha256(context.model_dump_json().encode("utf-8")).hexdigest()
