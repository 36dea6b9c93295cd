"""IWG 2009 disease phase from the diagnosis date (contract: Definitions → Phase).

Calendar months from the diagnosis date D (a ``YYYY-MM`` date falls back to the month's last
day, see ``Diagnosis.effective_date``): newly diagnosed while ``as_of`` < D + 3 months,
persistent while ``as_of`` < D + 12 months, chronic from D + 12 months on. Month addition
clamps to the month's end (30 Nov + 3 months = 28 Feb, or 29 Feb in a leap year). Pure
functions; may import: core, engine.timeline, stdlib.
"""

from __future__ import annotations

import datetime as dt

from itp_desktop.core.codes import Phase
from itp_desktop.core.models.patient import Patient
from itp_desktop.engine.timeline import add_months

NEWLY_DIAGNOSED_MONTHS = 3
CHRONIC_FROM_MONTHS = 12


def phase_on(diagnosis_date: dt.date, as_of: dt.date) -> Phase:
    """Phase on `as_of` of a disease diagnosed on `diagnosis_date`.

    A diagnosis dated after `as_of` (allowed input) is within 3 months of it, so the phase is
    ``newly_diagnosed``.
    """
    if as_of < add_months(diagnosis_date, NEWLY_DIAGNOSED_MONTHS):
        return Phase.newly_diagnosed
    if as_of < add_months(diagnosis_date, CHRONIC_FROM_MONTHS):
        return Phase.persistent
    return Phase.chronic


def chronic_from(patient: Patient) -> dt.date | None:
    """First date on which the patient's disease is chronic (D + 12 months), or None."""
    if patient.diagnosis is None:
        return None
    return add_months(patient.diagnosis.effective_date, CHRONIC_FROM_MONTHS)


def phase_of(patient: Patient, as_of: dt.date) -> Phase | None:
    """The patient's phase on `as_of`; None only when no diagnosis is recorded."""
    if patient.diagnosis is None:
        return None
    return phase_on(patient.diagnosis.effective_date, as_of)
