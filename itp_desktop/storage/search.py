"""Registry search: what a query means and the SQL condition that finds it.

A query is one of:

- empty: every patient;
- a date (``YYYY-MM-DD``, ``DD/MM/YYYY`` or ``DD.MM.YYYY``): patients born that day;
- text: patients whose MRN equals or starts with the text (case-insensitive), or whose name
  contains every word of the text. Names and queries are compared case- and accent-folded
  (`derived.fold_text`), so "muller" finds "Müller". With the FTS5 trigram index a word of
  three or more characters matches anywhere in the name ("ller" finds "Müller"); shorter words,
  and every word when the index is unavailable, match the start of the family or given name
  through ordinary indexes; several words also match as the start of the family name
  ("van der").

Results are ordered by folded family name, folded given name, then id (so "Müller" sorts with
"Muller", not after "Z"). May import: core, stdlib, SQLAlchemy, `storage.derived`,
`storage.schema`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select

from itp_desktop.storage.derived import fold_mrn, fold_text
from itp_desktop.storage.schema import patient_fts, patients

MIN_TRIGRAM = 3
"""Shortest word the trigram index can match anywhere in a name."""

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_SPLIT = re.compile(r"[\s,;]+")
_TOP = "\U0010ffff"  # sorts after every other character: the upper bound of a prefix range

ORDER_BY = (patients.c.family_norm, patients.c.given_norm, patients.c.id)


@dataclass(frozen=True)
class ParsedQuery:
    """A search query split into what it can match.

    Attributes:
        birth_date: the date when the query is a date.
        words: folded name words (empty for a date or an empty query).
        mrn: the MRN prefix (trimmed, upper-case) for a text query.
    """

    birth_date: dt.date | None = None
    words: tuple[str, ...] = ()
    mrn: str = ""

    @property
    def is_empty(self) -> bool:
        """True when the query matches every patient."""
        return self.birth_date is None and not self.words and not self.mrn


def parse_date(value: str) -> dt.date | None:
    """A date written ``YYYY-MM-DD``, ``DD/MM/YYYY`` or ``DD.MM.YYYY``, or None."""
    iso = _ISO.match(value)
    dmy = _DMY.match(value)
    try:
        if iso is not None:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if dmy is not None:
            return dt.date(int(dmy.group(3)), int(dmy.group(2)), int(dmy.group(1)))
    except ValueError:  # 31/02/2000 is not a date; search it as text
        return None
    return None


def parse_query(query: str) -> ParsedQuery:
    """Classify a search box entry (see the module docstring)."""
    stripped = query.strip()
    if not stripped:
        return ParsedQuery()
    born = parse_date(stripped)
    if born is not None:
        return ParsedQuery(birth_date=born)
    words = tuple(word for word in _SPLIT.split(fold_text(stripped)) if word)
    return ParsedQuery(words=words, mrn=fold_mrn(stripped))


def _prefix(column: ColumnElement[Any], value: str) -> ColumnElement[bool]:
    # A range, not LIKE: SQLite uses an ordinary (binary) index for it, whatever its
    # case_sensitive_like setting.
    return and_(column >= value, column < value + _TOP)


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def condition(parsed: ParsedQuery, *, use_fts: bool) -> ColumnElement[bool] | None:
    """The WHERE condition for a parsed query, or None for "every patient"."""
    if parsed.birth_date is not None:
        return patients.c.birth_date == parsed.birth_date
    if parsed.is_empty:
        return None
    family, given = patients.c.family_norm, patients.c.given_norm
    name_terms: list[ColumnElement[bool]] = []
    long_words = [w for w in parsed.words if use_fts and len(w) >= MIN_TRIGRAM]
    if long_words:
        match = " AND ".join(_fts_phrase(w) for w in long_words)
        name_terms.append(
            patients.c.pk.in_(
                select(patient_fts.c.rowid).where(patient_fts.c.name_norm.match(match))
            )
        )
    for word in parsed.words:
        if word in long_words:
            continue
        name_terms.append(or_(_prefix(family, word), _prefix(given, word)))
    terms = [and_(*name_terms)] if name_terms else []
    if len(parsed.words) > 1:
        # Several words may be the start of one family name ("van der" for "van der Berg").
        terms.append(_prefix(family, " ".join(parsed.words)))
    terms.append(_prefix(patients.c.mrn_norm, parsed.mrn))
    return or_(*terms)
