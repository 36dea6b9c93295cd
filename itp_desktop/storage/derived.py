"""Columns the store derives from a patient document: search keys and registry summaries.

`fold_text` is the one normalisation used for stored names and for search queries, so that
"Muller" finds "Müller" and "oyvind" finds "Øyvind". `derived_columns` computes the indexed
and summary columns saved next to each document. Pure functions. May import: core, stdlib.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from itp_desktop.core.models.patient import Patient

# Letters that Unicode does not decompose into a base letter plus accent.
_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "Ð": "d",
        "ı": "i",
    }
)


def fold_text(value: str) -> str:
    """Case- and accent-folded text with single spaces, e.g. ``"  Núñez  Ø"`` → ``"nunez o"``.

    Revision 0002 holds a frozen copy of this function; change both (with a new revision that
    refreshes the stored keys) or neither.
    """
    decomposed = unicodedata.normalize("NFKD", value.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def fold_mrn(value: str) -> str:
    """MRN search key: trimmed and upper-cased (MRNs are matched exactly or by prefix)."""
    return value.strip().upper()


def derived_columns(patient: Patient, today: dt.date) -> dict[str, Any]:
    """Search keys and registry summaries of one patient.

    The latest count is the one with the latest date (the later entry on a tie); its value is
    in ×10⁹/L. `active_agents` lists, comma-separated and sorted, the agents of courses running
    on `today` (the day of the save); it is a registry hint that ages, not a clinical fact.
    """
    family_norm = fold_text(patient.family_name)
    given_norm = fold_text(patient.given_name)
    latest = None
    for count in patient.platelet_counts:
        if latest is None or count.date >= latest.date:
            latest = count
    active = {
        course.agent.value
        for course in patient.courses
        if course.start_date <= today and (course.stop_date is None or course.stop_date >= today)
    }
    return {
        "family_norm": family_norm,
        "given_norm": given_norm,
        "name_norm": f"{family_norm} {given_norm}".strip(),
        "mrn_norm": fold_mrn(patient.mrn),
        "count_n": len(patient.platelet_counts),
        "latest_count_e9": None if latest is None else latest.value_e9,
        "latest_count_date": None if latest is None else latest.date,
        "active_agents": ",".join(sorted(active)),
        "summary_as_of": today,
    }
