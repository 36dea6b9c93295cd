"""A patient with every member populated, for round-trip tests of files and the store."""

from __future__ import annotations

import datetime as dt

from itp_desktop.core.codes import (
    AgentCode,
    Candidacy,
    DoseUnit,
    Frequency,
    ItpType,
    MonitoringCode,
    PlateletUnit,
    ProcedureKind,
    RhD,
    Sex,
    StopReason,
    TestResult,
    VaccineCode,
    WorkupTest,
)
from itp_desktop.core.models.patient import (
    BleedingAssessment,
    Diagnosis,
    DoseStep,
    Immunization,
    MonitoringRecord,
    Patient,
    PlateletCount,
    Procedure,
    RiskFactors,
    TherapyCourse,
    WorkupResult,
)

D = dt.date.fromisoformat


def build_full_patient() -> Patient:
    """Every member of Patient (and of each nested record) set to a non-default value."""
    return Patient(
        id="p-full",
        mrn="MRN-Ø-001",
        family_name="Núñez-Müller",
        given_name="Zoë",
        birth_date=D("1979-02-28"),
        sex=Sex.female,
        weight_kg=63.4,
        height_cm=168.5,
        east_southeast_asian_ancestry=True,
        rh_d=RhD.negative,
        haemoglobin_g_dl=11.2,
        diagnosis=Diagnosis(date="2024-03", type=ItpType.secondary, notes="After EBV infection"),
        risk_factors=RiskFactors(
            prior_thrombosis=True,
            hepatic_impairment=True,
            hypertension=True,
            pregnancy_or_planning=True,
            antithrombotic_therapy=True,
            splenectomy_candidate=Candidacy.no,
            prefers_treatment_free_remission=True,
            needle_averse=True,
        ),
        workup=[
            WorkupResult(
                id="w1",
                test=WorkupTest.hbsag,
                result=TestResult.negative,
                date=D("2024-03-20"),
                notes="ELISA",
            ),
            WorkupResult(id="w2", test=WorkupTest.immunoglobulins, result=TestResult.not_done),
        ],
        platelet_counts=[
            PlateletCount(id="k1", date=D("2024-04-01"), value=12, notes="EDTA; smear checked"),
            PlateletCount(id="k2", date=D("2024-04-08"), unit=PlateletUnit.e3_per_ul, value=48.5),
            PlateletCount(id="k3", date=D("2024-04-15"), unit=PlateletUnit.per_ul, value=91000),
        ],
        courses=[
            TherapyCourse(
                id="c1",
                agent=AgentCode.eltrombopag,
                start_date=D("2024-04-02"),
                stop_date=D("2024-06-30"),
                stop_reason=StopReason.intolerance,
                dose_steps=[
                    DoseStep(
                        effective_date=D("2024-04-02"),
                        amount=25,
                        unit=DoseUnit.mg,
                        frequency=Frequency.daily,
                        notes="Asian ancestry: start low",
                    ),
                    DoseStep(
                        effective_date=D("2024-04-16"),
                        amount=50,
                        unit=DoseUnit.mg,
                        frequency=Frequency.daily,
                    ),
                ],
                notes="ALT rose to 3× ULN",
            ),
            TherapyCourse(
                id="c2",
                agent=AgentCode.romiplostim,
                start_date=D("2024-07-01"),
                dose_steps=[
                    DoseStep(
                        effective_date=D("2024-07-01"),
                        amount=1,
                        unit=DoseUnit.mcg_per_kg,
                        frequency=Frequency.weekly,
                    )
                ],
            ),
        ],
        bleeding=[
            BleedingAssessment(
                id="b1",
                date=D("2024-04-01"),
                who_grade=2,
                itpbat_skin=2,
                itpbat_mucosa=1,
                itpbat_organ=0,
                life_threatening=False,
                notes="Epistaxis 20 min",
            ),
            BleedingAssessment(id="b2", date=D("2024-04-09"), life_threatening=True),
        ],
        immunizations=[
            Immunization(
                id="v1",
                vaccine=VaccineCode.pneumococcal_conjugate,
                date=D("2024-05-02"),
                product="PCV20",
                notes="left deltoid",
            )
        ],
        procedures=[
            Procedure(
                id="s1", kind=ProcedureKind.dental_extraction, date=D("2024-09-01"), notes="molar"
            )
        ],
        monitoring=[
            MonitoringRecord(
                id="m1", code=MonitoringCode.liver_tests, date=D("2024-06-25"), result="ALT 98 U/L"
            )
        ],
        notes="Synthetic test patient; every member populated.",
        archived=True,
    )
