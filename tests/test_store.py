"""The store, on SQLite and on PostgreSQL (the same tests, through the `store_url` fixture): round trips,
duplicates, filters, atomic writes, schema versions."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.errors import SitroomError
from sitroom.model import (
    SUB_EVENT_PARENT,
    Actor,
    Attribution,
    DocumentInfo,
    Entity,
    EntityKind,
    Event,
    EventDate,
    Location,
    Record,
    SourceRef,
    Span,
    Stance,
)
from sitroom.store import SCHEMA_VERSION, EventFilter, Store, open_reader, open_store
from sitroom.store import sqlite as sqlite_store

Factory = Callable[..., Any]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as s:
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


def test_store_reopen_keeps_data(store_url: str, record_factory: Factory) -> None:
    with open_store(store_url) as s:
        s.add(record_factory("doc1"), "text")
    with open_store(store_url, create=False) as s:
        assert s.has("doc1")
    with open_reader(store_url) as s:
        assert s.record("doc1") == record_factory("doc1")


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


def _searchable(store: Store, record_factory: Factory) -> None:
    for doc_id, title, text in [
        ("d1", "Drone strike on Kharkiv", "A drone strike hit a power station in Kharkiv on Monday."),
        ("d2", "Shelling in Kherson", "Artillery shelling struck Kherson; no drone was seen."),
        ("d3", None, "Protesters marched in Nairobi, 50% of them students (a test?)."),
    ]:
        store.add(record_factory(doc_id, title=title), text)


def test_store_full_text_search_words_phrases_or_not_prefix(store: Store, record_factory: Factory) -> None:
    _searchable(store, record_factory)

    def found(q: str) -> set[str]:
        total, rows = store.documents(q)
        assert total == len(rows)
        return {r["id"] for r in rows}

    assert found("drone strike") == {"d1"}  # every word
    assert found("KHARKIV") == {"d1"}  # any case
    assert found('"strike hit"') == {"d1"} and found('"hit strike"') == set()  # a phrase, in order
    assert found("Kharkiv OR Nairobi") == {"d1", "d3"}
    assert found("drone NOT Kharkiv") == {"d2"}
    assert found("Kher*") == {"d2"}  # a prefix
    assert found("Shelling") == {"d2"}  # titles too
    assert [(r.document.id, r.event.id) for r in store.events(where=EventFilter(q="power station"))] == [
        ("d1", "ev1")
    ]
    assert store.count_events(EventFilter(q="drone")) == 2
    for hostile in ['"', "*", "(", "NOT", "a OR", "' OR 1=1 --", "NEAR(a b)", "^x", "-", "\\", "50%", "?"]:
        assert found(hostile) <= {"d1", "d2", "d3"}, hostile


def test_store_listings_sort_and_type_alike(
    store: Store, record_factory: Factory, event_factory: Factory
) -> None:
    person = Entity(
        id="n1",
        name="Amina Yusuf",
        kind=EntityKind.PERSON,
        mentions=[Span(start=0, end=5, text="Amina"), Span(start=10, end=15, text="Yusuf")],
    )
    said = Attribution(
        id="a1",
        source=SourceRef(start=0, end=11, text="Amina Yusuf", entity="n1"),
        content=Span(start=20, end=30, text="the attack"),
        stance=Stance.CLAIMS,
        quote=True,
    )
    claimed = event_factory("e1", date=None).model_copy(update={"claims": ["a1"]})
    store.add(
        record_factory("old", published="2024-01-01", events=[claimed]).model_copy(
            update={"entities": [person], "attributions": [said]}
        ),
        "one",
    )
    store.add(record_factory("undated", published=None, events=[event_factory(date=None)]), "two")
    store.add(record_factory("new", published="2024-02-01"), "three")
    assert [d["id"] for d in store.documents()[1]] == ["new", "old", "undated"]  # undated last
    assert [r.document.id for r in store.events()] == ["undated", "old", "new"]  # undated first
    assert [r.document.id for r in store.events(sort="-date")] == ["new", "old", "undated"]
    assert store.entities() == (
        1,
        [{"name": "Amina Yusuf", "kind": "person", "country": None, "documents": 1, "mentions": 2}],
    )
    total, rows = store.attributions(source="yusuf")
    assert total == 1 and rows[0]["quote"] is True and rows[0]["source_entity"] == "Amina Yusuf"
    assert [r.document.id for r in store.events(where=EventFilter(claimant="amina"))] == ["old"]
    assert store.events(where=EventFilter(claimant="nobody")) == []


def test_store_nul_and_odd_characters_round_trip(store: Store, record_factory: Factory) -> None:
    # PostgreSQL's text has no NUL: its rows hold U+FFFD instead (one character for one, so offsets
    # hold), the record JSON keeps the NUL as \u0000
    record = record_factory("nul\x00id", title="a\x00b", url="https://x.test/?q=%s&r=?")
    assert store.add(record, "x\x00y", body="x\x00y") is True
    assert store.record("nul\x00id") == record
    assert len(store.text("nul\x00id") or "") == 3
    # an id found through a row is the row's (U+FFFD for NUL on PostgreSQL), and names the same record
    assert store.record(store.find("other", url="https://x.test/?q=%s&r=?") or "") == record


def test_store_replace_stale_and_document_ids(
    store: Store, record_factory: Factory, event_factory: Factory
) -> None:
    store.add(record_factory("a"), "text a")
    store.add(record_factory("b", events=[event_factory(country="UA")]), "text b")
    assert store.stale("digest") == ["a", "b"]  # ingestion order
    assert store.document_ids() == ["a", "b"]
    assert store.document_ids(EventFilter(country="UA")) == ["b"]
    newer = record_factory("a", events=[event_factory("ev9", country="SY")])
    store.replace(newer)
    assert store.record("a") == newer and store.text("a") == "text a"
    assert store.document_ids(EventFilter(country="SY")) == ["a"]
    assert store.counts()["events"] == 2 and store.counts()["reports"] == 2


def test_store_document_stored_meanwhile_by_another_process(
    store_url: str, record_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(store_url) as first, open_store(store_url) as second:
        real_find = Store.find
        calls: list[str] = []

        def late_find(self: Store, doc_id: str, text: str | None = None, url: str | None = None) -> Any:
            calls.append(doc_id)
            # the second process looked before the first one stored the document
            return None if len(calls) == 1 else real_find(self, doc_id, text, url)

        # `sitroom ingest` names a document by its text: two processes ingesting one file collide on the id
        assert first.add(record_factory("doc1"), "the same report") is True
        monkeypatch.setattr(Store, "find", late_find)
        assert second.add(record_factory("doc1"), "the same report") is False
        assert second.counts()["documents"] == 1 and second.counts()["aliases"] == 0


def test_store_concurrent_writers_all_land(store_url: str, record_factory: Factory) -> None:
    import threading

    open_store(store_url).close()
    errors: list[BaseException] = []

    def ingest(part: int) -> None:
        try:
            with open_store(store_url, any_thread=True) as s:
                for n in range(8):
                    record = record_factory(f"p{part}-{n}", url=f"https://x.test/{part}/{n}")
                    s.add(record, f"text {part} {n}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ingest, args=(part,)) for part in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with open_store(store_url) as s:
        assert s.counts()["documents"] == 24 and s.counts()["reports"] == 24
        assert len(s.incidents()) >= 1


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


def test_store_replace_keeps_incidents_apart_and_in_order(
    store: Store, record_factory: Factory, event_factory: Factory
) -> None:
    """A reprocessed document that started an incident and no longer belongs to it starts another
    (not the same id as the reports it left), and regrouping keeps the documents' ingestion order."""
    for doc in ("a", "b", "c"):
        store.add(record_factory(doc), f"text {doc}")
    before = {i.id: sorted(i.documents) for i in store.incidents()}
    assert before == {"i-a": ["a", "b", "c"]}
    moved = record_factory("a", events=[event_factory(date="2019-05-01", country="BR", location="Manaus")])
    store.replace(moved)
    after = {i.id: sorted(i.documents) for i in store.incidents()}
    assert after["i-a"] == ["b", "c"] and ["a"] in after.values() and len(after) == 2
    store.replace(record_factory("a"))  # back as it was: it rejoins, and a rebuild is as before
    store.group_incidents(rebuild=True)
    assert {i.id: sorted(i.documents) for i in store.incidents()} == before


def test_store_text_found_by_rowid_after_schema_5(tmp_path: Path, record_factory: Factory) -> None:
    """A database of schema 4 (texts keyed by an unindexed column) moves to schema 5, where a text is
    found through its document's rowid, without a scan of the full-text table."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    for number, script in enumerate(sqlite_store.MIGRATIONS[:4], start=1):
        conn.executescript(script)
        conn.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))
    for doc in ("x", "y"):
        record = record_factory(doc)
        conn.execute(
            "INSERT INTO documents (id, text_hash, record, ingested_at) VALUES (?, ?, ?, '2024-01-01')",
            (doc, sqlite_store.text_hash(f"text {doc}"), record.model_dump_json()),
        )
        conn.execute("INSERT INTO documents_fts (id, title, text) VALUES (?, '', ?)", (doc, f"text {doc}"))
    conn.commit()
    conn.close()
    with open_store(path) as store:
        assert [store.text(d) for d in ("x", "y")] == ["text x", "text y"]
        store.add(record_factory("z"), "text z")
        assert store.text("z") == "text z"
        plan = " ".join(
            str(r) for r in store.conn.execute("EXPLAIN QUERY PLAN " + store.dialect.text, ("z",))
        )
        assert "SCAN documents_fts" not in plan and "SCAN d" not in plan


def test_store_locked_database_is_a_clear_error(tmp_path: Path, record_factory: Factory) -> None:
    path = tmp_path / "busy.db"
    with open_store(path) as store:
        store.conn.execute("PRAGMA busy_timeout = 100")
        other = sqlite3.connect(path)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(SitroomError, match="locked by another process"):
                store.add(record_factory("doc1"), "text")
        finally:
            other.rollback()
            other.close()
        assert store.add(record_factory("doc1"), "text") is True  # nothing half-written
