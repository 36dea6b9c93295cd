"""Registry search: accent-folded names, MRN prefixes, birth dates, order, paging, fallback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pytest

from itp_desktop.core.models.patient import Patient, PatientSummary
from itp_desktop.storage import fts
from itp_desktop.storage.derived import fold_text
from itp_desktop.storage.search import parse_query
from itp_desktop.storage.sqlite_store import SqliteStore

PatientFactory = Callable[..., Patient]
PEOPLE = [
    ("A-100", "Müller", "Anna", dt.date(1980, 1, 2)),
    ("A-101", "Muller", "Bernd", dt.date(1975, 6, 30)),
    ("A-200", "Núñez", "José", dt.date(1990, 12, 24)),
    ("B-300", "Øvergaard", "Søren", dt.date(1962, 3, 15)),
    ("B-301", "Smith", "John", dt.date(2001, 9, 9)),
    ("C-400", "O'Connor", "Aoife", dt.date(1980, 1, 2)),
    ("C-401", "van der Berg", "Lotte", dt.date(1955, 5, 5)),
    ("c-402", "Łukasiewicz", "Zoë", dt.date(2015, 7, 1)),
]


@pytest.fixture(params=[True, False], ids=["fts", "fallback"])
def registry(
    request: pytest.FixtureRequest, store: SqliteStore, make_patient: PatientFactory
) -> SqliteStore:
    store.save_many(
        [
            make_patient(mrn=mrn, family_name=family, given_name=given, birth_date=born)
            for mrn, family, given, born in PEOPLE
        ]
    )
    if not request.param:
        store._use_fts = False  # the code path used when SQLite lacks the trigram tokenizer
    return store


def names(rows: Sequence[PatientSummary]) -> list[str]:
    return [f"{r.family_name} {r.given_name}" for r in rows]


def test_fold_text() -> None:
    assert fold_text("  Núñez  ØVERGAARD ") == "nunez overgaard"
    assert fold_text("Łukasiewicz Zoë Straße") == "lukasiewicz zoe strasse"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Muller", ["Muller Bernd", "Müller Anna"]),
        ("müller", ["Muller Bernd", "Müller Anna"]),
        ("MÜLLER anna", ["Müller Anna"]),
        ("Müller, Anna", ["Müller Anna"]),  # as shown in lists: FAMILY, Given
        ("nunez jose", ["Núñez José"]),
        ("overgaard", ["Øvergaard Søren"]),
        ("soren", ["Øvergaard Søren"]),
        ("lukasiewicz", ["Łukasiewicz Zoë"]),
        ("o'connor", ["O'Connor Aoife"]),
        ("van der", ["van der Berg Lotte"]),
        ("mu", ["Muller Bernd", "Müller Anna"]),  # short words match name starts
        ("jo", ["Núñez José", "Smith John"]),
        ("nobody", []),
    ],
)
def test_name_search(registry: SqliteStore, query: str, expected: list[str]) -> None:
    assert sorted(names(registry.search(query))) == sorted(expected)
    assert registry.count(query) == len(expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ller", ["Muller Bernd", "Müller Anna"]),
        ("ergaa", ["Øvergaard Søren"]),
        ("asiew", ["Łukasiewicz Zoë"]),
    ],
)
def test_fragment_inside_name_with_fts(
    store: SqliteStore, make_patient: PatientFactory, query: str, expected: list[str]
) -> None:
    store.save_many(
        [make_patient(mrn=m, family_name=f, given_name=g, birth_date=b) for m, f, g, b in PEOPLE]
    )
    assert store.uses_fts
    assert sorted(names(store.search(query))) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("A-100", ["A-100"]),
        ("a-10", ["A-100", "A-101"]),
        ("C-40", ["C-400", "C-401", "c-402"]),
        ("c-402", ["c-402"]),
        ("B", ["B-300", "B-301"]),
    ],
)
def test_mrn_search(registry: SqliteStore, query: str, expected: list[str]) -> None:
    found = sorted(s.mrn for s in registry.search(query) if s.mrn.upper().startswith(query.upper()))
    assert found == expected


@pytest.mark.parametrize("query", ["1980-01-02", "02/01/1980", "02.01.1980", "2/1/1980"])
def test_birth_date_search(registry: SqliteStore, query: str) -> None:
    assert names(registry.search(query)) == ["Müller Anna", "O'Connor Aoife"]


def test_impossible_date_is_searched_as_text(registry: SqliteStore) -> None:
    assert registry.search("31/02/1980") == []


def test_order_is_folded_family_then_given_then_id(registry: SqliteStore) -> None:
    rows = registry.search("")
    keys = [(fold_text(r.family_name), fold_text(r.given_name), r.id) for r in rows]
    assert keys == sorted(keys)
    assert names(rows)[:3] == ["Łukasiewicz Zoë", "Müller Anna", "Muller Bernd"]


def test_paging_matches_full_list(registry: SqliteStore) -> None:
    full = registry.search("", limit=1000)
    pages = [registry.search("", limit=3, offset=o) for o in range(0, 9, 3)]
    assert [r for page in pages for r in page] == full
    assert registry.count() == len(full) == len(PEOPLE)
    assert registry.all_ids() == [r.id for r in full]


def test_parse_query_forms() -> None:
    assert parse_query("  ").is_empty
    assert parse_query("24.12.1990").birth_date == dt.date(1990, 12, 24)
    parsed = parse_query("Núñez,  josé ")
    assert parsed.words == ("nunez", "jose")
    assert parsed.mrn == "NÚÑEZ,  JOSÉ"


def test_store_without_trigram_support_falls_back_and_recovers(
    open_store: Callable[..., SqliteStore],
    make_patient: PatientFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = open_store()
    store.save(make_patient(mrn="1", family_name="Müller"))
    store.close()

    monkeypatch.setattr(fts, "trigram_available", lambda: False)
    degraded = open_store()
    assert not degraded.uses_fts
    degraded.save(make_patient(mrn="2", family_name="Kowalczyk"))  # triggers were removed
    assert names(degraded.search("kowal")) == ["Kowalczyk Anna"]
    assert degraded.search("walc") == []  # no substring search without the index
    degraded.close()

    monkeypatch.undo()
    repaired = open_store()
    assert repaired.uses_fts
    assert names(repaired.search("walc")) == ["Kowalczyk Anna"]  # rebuilt with the new row
    assert names(repaired.search("ller")) == ["Müller Anna"]
    assert repaired.verify().ok


def test_summary_carries_registry_hints(store: SqliteStore, make_patient: PatientFactory) -> None:
    course = {
        "agent": "romiplostim",
        "start_date": dt.date(2026, 10, 1),
        "dose_steps": [
            {
                "effective_date": dt.date(2026, 10, 1),
                "amount": 1,
                "unit": "mcg/kg",
                "frequency": "weekly",
            }
        ],
    }
    store.save(make_patient(courses=[course]))
    (row,) = store.search("Müller")
    assert row.latest_count_e9 == 35.0
    assert row.latest_count_date == dt.date(2026, 11, 1)
    assert row.active_agents == ["romiplostim"]
