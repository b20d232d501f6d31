"""The SQLite store: round trips, duplicates, filters, atomic writes, schema versions."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.errors import SitroomError
from sitroom.model import SUB_EVENT_PARENT, Actor, DocumentInfo, Event, EventDate, Location, Record, Span
from sitroom.store import SCHEMA_VERSION, Store, open_store
from sitroom.store import sqlite as sqlite_store

Factory = Callable[..., Any]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "test.db") as s:
        yield s


def test_store_round_trip(store: Store, record_factory: Factory) -> None:
    record = record_factory("doc1", url="https://example.test/a", title="Clashes in Mandera")
    assert store.add(record, "text of doc1") is True
    assert store.has("doc1")
    assert store.record("doc1") == record


def test_store_uses_wal_and_records_schema_version(tmp_path: Path) -> None:
    with open_store(tmp_path / "w.db") as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION


def test_store_same_document_twice_is_stored_once(store: Store, record_factory: Factory) -> None:
    record = record_factory("doc1")
    assert store.add(record, "same text") is True
    assert store.add(record, "same text") is False
    assert store.counts()["documents"] == 1 and store.counts()["events"] == 1


def test_store_duplicate_text_becomes_alias(store: Store, record_factory: Factory) -> None:
    store.add(record_factory("doc1"), "the same report")
    assert store.add(record_factory("wire-copy-7"), "the same report") is False
    assert store.has("wire-copy-7")
    assert store.resolve("wire-copy-7") == "doc1"
    assert store.record("wire-copy-7").document.id == "doc1"
    assert store.counts()["documents"] == 1 and store.counts()["aliases"] == 1


def test_store_duplicate_url_becomes_alias(store: Store, record_factory: Factory) -> None:
    store.add(record_factory("doc1", url="https://x.test/story"), "first version")
    assert store.add(record_factory("doc2", url="https://x.test/story"), "updated version") is False
    assert store.resolve("doc2") == "doc1"


def test_store_find_before_extraction(store: Store, record_factory: Factory) -> None:
    store.add(record_factory("doc1", url="https://x.test/1"), "report text")
    assert store.find("doc1") == "doc1"
    assert store.find("other", text="report text") == "doc1"
    assert store.find("other", url="https://x.test/1") == "doc1"
    assert store.find("other", text="new text", url="https://x.test/2") is None


def test_store_failure_mid_write_leaves_no_trace(
    store: Store, record_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(self: Store, record: Record) -> None:
        raise RuntimeError("disk pulled out mid-write")

    # The documents and entities rows are written before the events: the crash comes after them.
    monkeypatch.setattr(Store, "_insert_events", crash)
    with pytest.raises(RuntimeError):
        store.add(record_factory("doc1"), "text")
    assert not store.has("doc1")
    assert all(n == 0 for n in store.counts().values())
    monkeypatch.undo()
    assert store.add(record_factory("doc1"), "text") is True


def test_store_repeated_event_id_is_a_clear_error(
    store: Store, record_factory: Factory, event_factory: Factory
) -> None:
    record = record_factory("doc1", events=[event_factory("ev1"), event_factory("ev1")])
    with pytest.raises(SitroomError, match="cannot store document doc1"):
        store.add(record, "text")
    assert not store.has("doc1")


def test_store_events_filters(store: Store, record_factory: Factory, event_factory: Factory) -> None:
    store.add(
        record_factory(
            "ke",
            events=[
                event_factory("e1", date="2024-03-01", country="KE"),
                event_factory(
                    "e2",
                    event_type="Protests",
                    sub_event_type="Peaceful protest",
                    actor1="Protesters (Kenya)",
                    actor2=None,
                    date="2024-03-05",
                    country="KE",
                ),
            ],
        ),
        "t1",
    )
    store.add(
        record_factory(
            "ua",
            events=[
                event_factory(
                    "e1",
                    event_type="Explosions/Remote violence",
                    sub_event_type="Air/drone strike",
                    actor1="Military Forces of Russia",
                    actor2="Civilians (Ukraine)",
                    date="2024-04-10",
                    country="UA",
                )
            ],
        ),
        "t2",
    )

    def ids(**kwargs: Any) -> list[tuple[str, str]]:
        return [(r.document.id, r.event.id) for r in store.events(**kwargs)]

    assert ids() == [("ke", "e1"), ("ke", "e2"), ("ua", "e1")]
    assert ids(since="2024-03-02") == [("ke", "e2"), ("ua", "e1")]
    assert ids(until="2024-03-05") == [("ke", "e1"), ("ke", "e2")]
    assert ids(country="ua") == [("ua", "e1")]
    assert ids(event_type="battles") == [("ke", "e1")]
    assert ids(event_type="air/drone strike") == [("ua", "e1")]
    assert ids(actor="russia") == [("ua", "e1")]
    assert ids(actor="CIVILIANS") == [("ua", "e1")]
    assert ids(country="KE", event_type="Protests", since="2024-03-01", until="2024-03-31") == [("ke", "e2")]
    row = store.events(country="UA")[0]
    assert row.document.source == "Daily Nation" and row.event.location.country == "UA"


def test_store_event_without_date_falls_back_to_published(
    store: Store, record_factory: Factory, event_factory: Factory
) -> None:
    store.add(record_factory("d", published="2024-05-01", events=[event_factory(date=None)]), "t")
    assert len(store.events(since="2024-05-01", until="2024-05-01")) == 1


def test_store_record_unknown_id(store: Store) -> None:
    with pytest.raises(SitroomError, match="no document 'nope'"):
        store.record("nope")


def test_store_reopen_keeps_data(tmp_path: Path, record_factory: Factory) -> None:
    with open_store(tmp_path / "a.db") as s:
        s.add(record_factory("doc1"), "text")
    with open_store(tmp_path / "a.db") as s:
        assert s.has("doc1")


def test_store_newer_schema_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION + 5,))
    with pytest.raises(SitroomError, match="newer than this sitroom knows"):
        open_store(path)


def test_store_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(SitroomError, match=r"cannot use .* as a sitroom database"):
        open_store(path)


def test_store_directory_or_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(SitroomError, match="is a directory"):
        open_store(tmp_path)
    with pytest.raises(SitroomError, match="does not exist"):
        open_store(tmp_path / "no" / "such" / "x.db")
    with pytest.raises(SitroomError, match="no database at"):
        open_store(tmp_path / "absent.db", create=False)


def test_store_migrations_are_versioned() -> None:
    assert len(sqlite_store.MIGRATIONS) == SCHEMA_VERSION


# --- property: record -> store -> record --------------------------------------------------------------

_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)
_opt_text = st.none() | _text
_dates = st.none() | st.dates().map(lambda d: d.isoformat())


@st.composite
def _events(draw: st.DrawFn, index: int) -> Event:
    sub, parent = draw(st.sampled_from(sorted(SUB_EVENT_PARENT.items())))
    evidence = draw(_text)
    return Event(
        id=f"ev{index}",
        event_type=parent,
        sub_event_type=sub,
        actor1=Actor(name=draw(_text), inter=draw(st.none() | st.integers(1, 8))),
        actor2=draw(st.none() | _text.map(lambda name: Actor(name=name))),
        date=EventDate(value=draw(_dates)),
        location=Location(
            name=draw(_opt_text),
            country=draw(st.none() | st.sampled_from(["KE", "UA", "SY"])),
            lat=draw(st.none() | st.floats(-90, 90)),
            lon=draw(st.none() | st.floats(-180, 180)),
        ),
        fatalities=draw(st.integers(0, 10_000)),
        evidence=[Span(start=0, end=len(evidence), text=evidence)],
        confidence=draw(st.floats(0, 1)),
    )


@st.composite
def _records(draw: st.DrawFn) -> Record:
    n = draw(st.integers(0, 3))
    return Record(
        document=DocumentInfo(
            id=draw(st.text(min_size=1, max_size=20, alphabet="abcdef0123456789-")),
            url=draw(_opt_text),
            title=draw(_opt_text),
            source=draw(_opt_text),
            published=draw(_dates),
            published_inferred=draw(st.booleans()),
            language=draw(st.sampled_from(["en", "fr", "ar"])),
        ),
        events=[draw(_events(i)) for i in range(n)],
    )


@settings(max_examples=60, deadline=None)
@given(record=_records(), text=_text)
def test_store_round_trip_property(record: Record, text: str) -> None:
    with open_store(":memory:") as s:
        assert s.add(record, text) is True
        assert s.record(record.document.id) == record
        assert len(s.events()) == len(record.events)
