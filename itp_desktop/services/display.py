"""Plain-language labels for the domain's codes, shared by the desktop window and services.

A clinician never sees an internal code without its label: every enum of `itp_desktop.core.codes`
that reaches a screen has a label here, and labels that a department may reword (phase, response,
severity, checklist status) are read from the knowledge pack's ``texts`` first. Formatting only:
no clinical rule lives here. May import: core, stdlib.
"""

from __future__ import annotations

from collections.abc import Mapping

from itp_desktop.core.codes import (
    AgentCode,
    ChecklistStatus,
    DoseUnit,
    Frequency,
    InadequacyCode,
    ItpType,
    MonitoringCode,
    Phase,
    PlateletUnit,
    ProcedureKind,
    ResponseCode,
    RhD,
    Severity,
    Sex,
    StopReason,
    TestResult,
    VaccineCode,
    VerificationMark,
    WorkupTest,
)
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.models.patient import DoseStep
from itp_desktop.core.units import UNIT_LABELS, fmt_number

FREQUENCY_LABELS: dict[Frequency, str] = {
    Frequency.once: "once",
    Frequency.daily: "daily",
    Frequency.twice_daily: "twice daily",
    Frequency.three_times_daily: "three times daily",
    Frequency.four_times_daily: "four times daily",
    Frequency.weekly: "weekly",
    Frequency.twice_weekly: "twice weekly",
    Frequency.three_times_weekly: "three times weekly",
}

DOSE_UNIT_LABELS: dict[DoseUnit, str] = {
    DoseUnit.mg: "mg",
    DoseUnit.g: "g",
    DoseUnit.mcg: "µg",
    DoseUnit.mg_per_kg: "mg/kg",
    DoseUnit.g_per_kg: "g/kg",
    DoseUnit.mcg_per_kg: "µg/kg",
    DoseUnit.mg_per_m2: "mg/m²",
    DoseUnit.iu_per_kg: "IU/kg",
}

STOP_REASON_LABELS: dict[StopReason, str] = {
    StopReason.no_response: "No response",
    StopReason.loss_of_response: "Loss of response",
    StopReason.intolerance: "Side effects / intolerance",
    StopReason.remission: "Remission",
    StopReason.completed: "Course completed",
    StopReason.patient_choice: "Patient's choice",
    StopReason.other: "Other reason",
}

VACCINE_LABELS: dict[VaccineCode, str] = {
    VaccineCode.pneumococcal_conjugate: "Pneumococcal conjugate (PCV15/20/21)",
    VaccineCode.pneumococcal_polysaccharide: "Pneumococcal polysaccharide (PPSV23)",
    VaccineCode.meningococcal_acwy: "Meningococcal ACWY (MenACWY)",
    VaccineCode.meningococcal_b: "Meningococcal B (MenB)",
    VaccineCode.hib: "Haemophilus influenzae type b (Hib)",
    VaccineCode.influenza: "Influenza",
}

PROCEDURE_LABELS: dict[ProcedureKind, str] = {
    ProcedureKind.splenectomy: "Splenectomy",
    ProcedureKind.dental_extraction: "Dental extraction",
    ProcedureKind.minor_surgery: "Minor surgery",
    ProcedureKind.major_surgery: "Major surgery",
    ProcedureKind.neurosurgery: "Neurosurgery",
    ProcedureKind.neuraxial_anaesthesia: "Neuraxial (spinal/epidural) anaesthesia",
    ProcedureKind.delivery: "Delivery",
}

WORKUP_LABELS: dict[WorkupTest, str] = {
    WorkupTest.hbsag: "Hepatitis B surface antigen (HBsAg)",
    WorkupTest.anti_hbc: "Hepatitis B core antibody (anti-HBc)",
    WorkupTest.hcv: "Hepatitis C antibody",
    WorkupTest.hiv: "HIV serology",
    WorkupTest.h_pylori: "Helicobacter pylori",
    WorkupTest.ana: "Antinuclear antibodies (ANA)",
    WorkupTest.antiphospholipid: "Antiphospholipid antibodies",
    WorkupTest.immunoglobulins: "Immunoglobulin levels (IgG, IgA, IgM)",
}

TEST_RESULT_LABELS: dict[TestResult, str] = {
    TestResult.positive: "Positive / abnormal",
    TestResult.negative: "Negative / normal",
    TestResult.not_done: "Not done",
}

MONITORING_LABELS: dict[MonitoringCode, str] = {
    MonitoringCode.platelet_count: "Platelet count",
    MonitoringCode.cbc: "Full blood count",
    MonitoringCode.liver_tests: "Liver tests",
    MonitoringCode.blood_pressure: "Blood pressure",
    MonitoringCode.renal_function: "Renal function",
    MonitoringCode.drug_level: "Drug level",
    MonitoringCode.haemolysis_markers: "Haemolysis markers",
    MonitoringCode.urine_dipstick: "Urine dipstick",
}

SEX_LABELS: dict[Sex, str] = {
    Sex.female: "Female",
    Sex.male: "Male",
    Sex.other: "Other",
    Sex.unknown: "Unknown",
}

RHD_LABELS: dict[RhD, str] = {
    RhD.positive: "Rh(D) positive",
    RhD.negative: "Rh(D) negative",
    RhD.unknown: "Rh(D) unknown",
}

ITP_TYPE_LABELS: dict[ItpType, str] = {
    ItpType.primary: "Primary ITP",
    ItpType.secondary: "Secondary ITP",
}

_DEFAULT_TEXTS: dict[str, str] = {
    "phase.newly_diagnosed": "Newly diagnosed (less than 3 months)",
    "phase.persistent": "Persistent (3–12 months)",
    "phase.chronic": "Chronic (more than 12 months)",
    "response.CR": "Complete response",
    "response.R": "Response",
    "response.NR": "No response",
    "response.not_evaluable": "Not evaluable",
    "severity.critical": "Critical",
    "severity.warning": "Warning",
    "severity.info": "Information",
    "checklist_status.done": "Done",
    "checklist_status.due": "Due",
    "checklist_status.overdue": "Overdue",
    "checklist_status.not_applicable": "Not applicable",
    "checklist_status.unknown": "Unknown",
    "inadequacy.max_dose_not_reached": "Maximum dose not reached",
    "inadequacy.duration_too_short": "Too short at the required dose",
    "inadequacy.incomplete_course": "Course not completed",
    "inadequacy.dose_below_standard": "Dose below the standard dose",
    "verification.V": "Verified against the cited source",
    "verification.S": "Stated only by a project source document",
    "verification.M": "Standard knowledge awaiting clinician sign-off",
    "verification.U": "Uncertain: needs review",
}


class Labels:
    """Labels of the pack in use (department wording first, built-in wording otherwise).

    Args:
        pack: the knowledge pack in use, or None (built-in labels only).
    """

    def __init__(self, pack: KnowledgePack | None) -> None:
        self._pack = pack
        self._texts: Mapping[str, str] = pack.texts if pack is not None else {}

    def text(self, key: str, fallback: str) -> str:
        """A pack text by key, else the built-in text, else `fallback`."""
        return self._texts.get(key) or _DEFAULT_TEXTS.get(key) or fallback

    def phase(self, phase: Phase | None) -> str:
        """``Chronic (more than 12 months)``; ``No diagnosis date`` for None."""
        if phase is None:
            return "Phase unknown (no diagnosis date)"
        return self.text(f"phase.{phase.value}", phase.value)

    def phase_short(self, phase: Phase | None) -> str:
        """``Chronic`` (the label up to its explanation in brackets)."""
        return self.phase(phase).split(" (")[0]

    def response(self, response: ResponseCode) -> str:
        """``Complete response (CR)``; ``Not evaluable`` without a code suffix."""
        label = self.text(f"response.{response.value}", response.value)
        if response is ResponseCode.not_evaluable:
            return label
        return f"{label} ({response.value})"

    def severity(self, severity: Severity) -> str:
        """``Critical``, ``Warning``, ``Information``."""
        return self.text(f"severity.{severity.value}", severity.value)

    def checklist_status(self, status: ChecklistStatus) -> str:
        """``Due``, ``Overdue``, ``Done`` and the other statuses."""
        return self.text(f"checklist_status.{status.value}", status.value)

    def inadequacy(self, code: InadequacyCode) -> str:
        """Why a trial was not adequate, in words."""
        return self.text(f"inadequacy.{code.value}", code.value)

    def verification(self, mark: VerificationMark) -> str:
        """What a verification mark means."""
        return self.text(f"verification.{mark.value}", mark.value)

    def agent(self, agent: AgentCode) -> str:
        """The agent's name in the pack's catalogue, e.g. ``Romiplostim``."""
        if self._pack is not None and agent in self._pack.agents:
            return self._pack.agents[agent].name
        return agent.value.replace("_", " ").capitalize()

    def agent_short(self, agent: AgentCode) -> str:
        """A lane label: the name without brackets, e.g. ``Intravenous immunoglobulin``."""
        return self.agent(agent).split(" (")[0]

    def agent_lane(self, agent: AgentCode) -> str:
        """A short lane label: ``IVIG``, ``Prednisone``, ``Methylprednisolone``."""
        name = self.agent(agent)
        if " (" in name:
            head, _, bracket = name.partition(" (")
            short = bracket.rstrip(")")
            # A bracketed acronym (IVIG) is what clinicians write; "(IV)" is a route, not a name.
            if len(short) >= 3 and short.isupper():
                return short
            name = head
        return name.split(" / ")[0]

    def option(self, code: str, label: str = "") -> str:
        """An option's label (the assessment's label, else the pack's, else agent names)."""
        if label:
            return label
        if self._pack is not None and code in self._pack.options:
            return self._pack.options[code].label
        names = []
        for part in code.split("+"):
            try:
                names.append(self.agent(AgentCode(part)))
            except ValueError:
                names.append(part.replace("_", " "))
        return " + ".join(names)

    def citation(self, key: str) -> str:
        """The full reference of a citation key (the key itself when the pack lacks it)."""
        if self._pack is not None and key in self._pack.citations:
            cited = self._pack.citations[key]
            return f"{cited.reference} {cited.locator}".strip()
        return key


def dose_text(step: DoseStep) -> str:
    """``5 µg/kg weekly``."""
    return (
        f"{fmt_number(step.amount)} {DOSE_UNIT_LABELS[step.unit]} "
        f"{FREQUENCY_LABELS[step.frequency]}"
    )


def platelet_unit_label(unit: PlateletUnit) -> str:
    """``×10⁹/L``, ``×10³/µL``, ``/µL``."""
    return UNIT_LABELS[unit]
