"""Stable codes of the domain (../shared/specs/assessment.md "Codes").

These strings are part of the product interface: exchange files, the assessment JSON and the
knowledge packs use them. Never rename a member; add new ones only with a contract change.
"""

from __future__ import annotations

from enum import StrEnum


class AgentCode(StrEnum):
    """Therapy agents (contract: Codes → Agents)."""

    prednisone = "prednisone"
    dexamethasone = "dexamethasone"
    methylprednisolone = "methylprednisolone"
    ivig = "ivig"
    anti_d = "anti_d"
    rituximab = "rituximab"
    romiplostim = "romiplostim"
    eltrombopag = "eltrombopag"
    avatrombopag = "avatrombopag"
    fostamatinib = "fostamatinib"
    rilzabrutinib = "rilzabrutinib"
    mycophenolate = "mycophenolate"
    ciclosporin = "ciclosporin"
    azathioprine = "azathioprine"
    danazol = "danazol"
    dapsone = "dapsone"
    cyclophosphamide = "cyclophosphamide"
    vincristine = "vincristine"
    sirolimus = "sirolimus"


CORTICOSTEROIDS: frozenset[AgentCode] = frozenset(
    {AgentCode.prednisone, AgentCode.dexamethasone, AgentCode.methylprednisolone}
)
TPO_RAS: frozenset[AgentCode] = frozenset(
    {AgentCode.romiplostim, AgentCode.eltrombopag, AgentCode.avatrombopag}
)
# Counts from the start of these courses through start + 14 days never confirm another
# course's response (contract: Definitions → Confirming pair).
RESCUE_AGENTS: frozenset[AgentCode] = frozenset(
    {AgentCode.ivig, AgentCode.anti_d, AgentCode.methylprednisolone}
)


class OptionCode(StrEnum):
    """Codes of options that are not a single agent (contract: Option codes fixed)."""

    splenectomy = "splenectomy"
    fostamatinib_tpo_ra = "fostamatinib+tpo_ra"
    tpo_ra_immunosuppressant_ivig = "tpo_ra+immunosuppressant+ivig"
    rituximab_cyclophosphamide = "rituximab+cyclophosphamide"
    danazol_atra = "danazol+atra"
    switch_tpo_ra = "switch_tpo_ra"


class VaccineCode(StrEnum):
    """Vaccines (contract: Codes → Vaccines)."""

    pneumococcal_conjugate = "pneumococcal_conjugate"
    pneumococcal_polysaccharide = "pneumococcal_polysaccharide"
    meningococcal_acwy = "meningococcal_acwy"
    meningococcal_b = "meningococcal_b"
    hib = "hib"
    influenza = "influenza"


class ProcedureKind(StrEnum):
    """Procedures: splenectomy plus the planned-procedure kinds of the contract."""

    splenectomy = "splenectomy"
    dental_extraction = "dental_extraction"
    minor_surgery = "minor_surgery"
    major_surgery = "major_surgery"
    neurosurgery = "neurosurgery"
    neuraxial_anaesthesia = "neuraxial_anaesthesia"
    delivery = "delivery"


class StopReason(StrEnum):
    """Why a therapy course stopped (contract: Definitions → Fixed courses)."""

    no_response = "no_response"
    loss_of_response = "loss_of_response"
    intolerance = "intolerance"
    remission = "remission"
    completed = "completed"
    patient_choice = "patient_choice"
    other = "other"


class Frequency(StrEnum):
    """Dosing schedule of a dose step.

    Exposure rules (contract: Days at a dose): ``weekly`` counts 7 days per dose in force;
    ``once`` counts administrations, not days; every other schedule counts calendar days.
    """

    once = "once"
    daily = "daily"
    twice_daily = "twice_daily"
    three_times_daily = "three_times_daily"
    four_times_daily = "four_times_daily"
    weekly = "weekly"
    twice_weekly = "twice_weekly"
    three_times_weekly = "three_times_weekly"


# Administrations per week for each schedule (``once`` has none: it is a single administration).
ADMINISTRATIONS_PER_WEEK: dict[Frequency, int] = {
    Frequency.daily: 7,
    Frequency.twice_daily: 14,
    Frequency.three_times_daily: 21,
    Frequency.four_times_daily: 28,
    Frequency.weekly: 1,
    Frequency.twice_weekly: 2,
    Frequency.three_times_weekly: 3,
}


class DoseUnit(StrEnum):
    """Units of a dose amount, as on the product labels."""

    mg = "mg"
    g = "g"
    mcg = "mcg"
    mg_per_kg = "mg/kg"
    g_per_kg = "g/kg"
    mcg_per_kg = "mcg/kg"
    mg_per_m2 = "mg/m2"
    iu_per_kg = "IU/kg"


class PlateletUnit(StrEnum):
    """Platelet count units: 10^9/L and 10^3/uL are the same number; /uL is 1000× larger."""

    e9_per_l = "10^9/L"
    e3_per_ul = "10^3/uL"
    per_ul = "/uL"


class Sex(StrEnum):
    """Administrative sex."""

    female = "female"
    male = "male"
    other = "other"
    unknown = "unknown"


class RhD(StrEnum):
    """Rh(D) blood group status."""

    positive = "positive"
    negative = "negative"
    unknown = "unknown"


class ItpType(StrEnum):
    """Primary or secondary ITP (IWG2009)."""

    primary = "primary"
    secondary = "secondary"


class Candidacy(StrEnum):
    """Splenectomy candidacy as judged by the clinician."""

    yes = "yes"
    no = "no"
    unknown = "unknown"


class WorkupTest(StrEnum):
    """Serology and work-up tests (contract: Inputs)."""

    hbsag = "hbsag"
    anti_hbc = "anti_hbc"
    hcv = "hcv"
    hiv = "hiv"
    h_pylori = "h_pylori"
    ana = "ana"
    antiphospholipid = "antiphospholipid"
    immunoglobulins = "immunoglobulins"


class TestResult(StrEnum):
    """Result of a work-up test; for immunoglobulins ``positive`` means abnormal levels."""

    __test__ = False  # not a pytest test class

    positive = "positive"
    negative = "negative"
    not_done = "not_done"


class Phase(StrEnum):
    """IWG 2009 disease phase."""

    newly_diagnosed = "newly_diagnosed"
    persistent = "persistent"
    chronic = "chronic"


class ResponseCode(StrEnum):
    """IWG 2009 response of one course."""

    CR = "CR"
    R = "R"
    NR = "NR"
    not_evaluable = "not_evaluable"


class InadequacyCode(StrEnum):
    """Why a trial was not adequate (contract: courses[].inadequacy)."""

    max_dose_not_reached = "max_dose_not_reached"
    duration_too_short = "duration_too_short"
    incomplete_course = "incomplete_course"
    dose_below_standard = "dose_below_standard"


class Severity(StrEnum):
    """Severity of a finding."""

    info = "info"
    warning = "warning"
    critical = "critical"


SEVERITY_ORDER: dict[Severity, int] = {Severity.critical: 0, Severity.warning: 1, Severity.info: 2}


class ChecklistStatus(StrEnum):
    """Status of one checklist item."""

    done = "done"
    due = "due"
    overdue = "overdue"
    not_applicable = "not_applicable"
    unknown = "unknown"


class VerificationMark(StrEnum):
    """Verification marks of ITP_REFERENCE.md section 0.2.

    V: confirmed against the cited source. S: stated only by a project source document.
    M: standard knowledge awaiting clinician sign-off. U: uncertain. M and U never produce
    critical findings or hard stops.
    """

    V = "V"
    S = "S"
    M = "M"
    U = "U"


class MechanismCategory(StrEnum):
    """Mechanism categories of the MingotCastellano2026 framework (KB mapping, mark M)."""

    destruction = "destruction"
    production = "production"
    immune_modulation = "immune_modulation"


class MonitoringCode(StrEnum):
    """Tests and checks that monitoring schedules ask for (ITP_REFERENCE.md 3e)."""

    platelet_count = "platelet_count"
    cbc = "cbc"
    liver_tests = "liver_tests"
    blood_pressure = "blood_pressure"
    renal_function = "renal_function"
    drug_level = "drug_level"
    haemolysis_markers = "haemolysis_markers"
    urine_dipstick = "urine_dipstick"
