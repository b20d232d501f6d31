"""What only the PostgreSQL backend has to show (the store, incident and web API tests run on both
backends): its schema in step with SQLite's, its errors, read-only readers, concurrent first opens,
texts over tsvector's limit, search queries that never break, and the commands over ``--db URL``."""

from __future__ import annotations

import json
import random
import sqlite3
import string
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitroom import cli
from sitroom.errors import SitroomError
from sitroom.model import Actor, DocumentInfo, Event, EventDate, Location, Record, Span
from sitroom.store import SCHEMA_VERSION, EventFilter, is_postgres_url, open_reader, open_store
from sitroom.store import postgres as pg
from sitroom.store import sqlite as sqlite_store

pytestmark = pytest.mark.postgresql

Factory = Callable[..., Any]
#: nothing listens on port 1 of the loopback: a connection is refused at once
UNREACHABLE = "postgresql://sitroom:hunter2@127.0.0.1:1/sitroom"

REPORT = "Police shot dead two men in Nairobi on Monday, a police spokesman said.\n"
REPORT2 = "Rebels attacked an army base near Goma on Saturday, killing five soldiers, officials said.\n"


def run(runner: Any, *args: str | Path, **kwargs: Any) -> Any:
    return runner.invoke(cli.app, [str(a) for a in args], **kwargs)


def test_postgres_urls_are_told_from_files() -> None:
    assert is_postgres_url("postgresql://localhost/x") and is_postgres_url("postgres://u@h/x")
    assert is_postgres_url("POSTGRESQL:///x")
    assert not is_postgres_url("sitroom.db") and not is_postgres_url("postgresql.db")
    assert not is_postgres_url(Path("postgresql://x"))  # a path is a file, whatever its name


def test_postgres_schema_has_every_table_and_column_of_sqlite(pg_url: str) -> None:
    assert len(pg.MIGRATIONS) == SCHEMA_VERSION == len(sqlite_store.MIGRATIONS)
    lite = sqlite3.connect(":memory:")
    for script in sqlite_store.MIGRATIONS:
        lite.executescript(script)
    tables = [
        r[0]
        for r in lite.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts_%'"
        )
    ]
    expected = {t: {r[1] for r in lite.execute(f"PRAGMA table_info({t})")} for t in tables}
    with open_store(pg_url) as store:
        found: dict[str, set[str]] = {}
        for table, column in store.conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema()"
        ):
            found.setdefault(table, set()).add(column)
    for table, columns in expected.items():
        # PostgreSQL's own additions: insertion order (SQLite's implicit rowid) and the search vector
        assert found[table] - {"rowid", "tsv"} == columns, table


def test_postgres_unreachable_server_is_a_clear_error_without_the_password(runner: Any) -> None:
    with pytest.raises(SitroomError, match="cannot connect to the database") as caught:
        open_store(UNREACHABLE)
    assert "hunter2" not in str(caught.value) and "sitroom:***@127.0.0.1:1" in str(caught.value)
    result = run(runner, "events", "--db", UNREACHABLE)
    assert result.exit_code == 1 and "cannot connect" in result.stderr
    assert "Traceback" not in result.stderr and "hunter2" not in result.stderr


def test_postgres_database_without_sitroom_tables(pg_url: str, runner: Any) -> None:
    with pytest.raises(SitroomError, match="no sitroom database"):
        open_store(pg_url, create=False)
    with pytest.raises(SitroomError, match="no sitroom database"):
        open_reader(pg_url)
    result = run(runner, "events", "--db", pg_url)
    assert result.exit_code == 1 and "no sitroom database" in result.stderr
    with pytest.raises(SitroomError, match="no sitroom database"):
        from sitroom.web.app import create_app

        create_app(pg_url)  # a read-only server refuses it up front, as it refuses a missing file


def test_postgres_newer_schema_refused(pg_url: str) -> None:
    with open_store(pg_url) as store:
        store.conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION + 5,))
    with pytest.raises(SitroomError, match="newer than this sitroom knows"):
        open_store(pg_url)
    with pytest.raises(SitroomError, match="this sitroom reads version"):
        open_reader(pg_url)


def test_postgres_reader_writes_nothing(pg_url: str, record_factory: Factory) -> None:
    with open_store(pg_url) as store:
        store.add(record_factory("doc1"), "text")
    with open_reader(pg_url) as reader:
        assert reader.count_events() == 1
        with pytest.raises(reader.conn.Error, match="read-only"):
            reader.conn.execute("DELETE FROM documents")


def test_postgres_processes_opening_a_new_database_at_once(pg_url: str) -> None:
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            open_store(pg_url).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with open_store(pg_url) as store:
        versions = [r[0] for r in store.conn.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == list(range(1, SCHEMA_VERSION + 1))


def test_postgres_text_over_the_tsvector_limit_is_stored_and_found(
    pg_url: str, record_factory: Factory
) -> None:
    # 150,000 distinct words: their tsvector passes PostgreSQL's 1 MB even without positions, so the
    # index keeps the longest beginning that fits; the text itself is kept whole
    rng = random.Random(7)
    words = ["".join(rng.choices(string.ascii_lowercase, k=9)) for _ in range(150_000)]
    text = "Gunmen attacked Zorbatown. " + " ".join(words)
    with open_store(pg_url) as store:
        assert store.add(record_factory("long"), text) is True
        assert store.text("long") == text
        assert [d["id"] for d in store.documents("zorbatown")[1]] == ["long"]
        assert store.count_events(EventFilter(q=words[10])) == 1


# --- property: record -> store -> record, and any search ----------------------------------------------

_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)


@st.composite
def _records(draw: st.DrawFn) -> Record:
    evidence = draw(_text)
    event = Event(
        id="ev0",
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1=Actor(name=draw(_text)),
        date=EventDate(value=draw(st.none() | st.dates().map(lambda d: d.isoformat()))),
        location=Location(name=draw(st.none() | _text), lat=draw(st.none() | st.floats(-90, 90))),
        fatalities=draw(st.integers(0, 10_000)),
        evidence=[Span(start=0, end=len(evidence), text=evidence)],
        confidence=draw(st.floats(0, 1)),
    )
    return Record(
        document=DocumentInfo(
            id=draw(st.text(min_size=1, max_size=20, alphabet="abcdef0123456789-")),
            url=draw(st.none() | _text),
            title=draw(st.none() | _text),
            published=draw(st.none() | st.dates().map(lambda d: d.isoformat())),
        ),
        events=draw(st.lists(st.just(event), max_size=1)),
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=_records(), text=_text)
def test_postgres_round_trip_property(pg_url: str, record: Record, text: str) -> None:
    with open_store(pg_url) as s:
        s.conn.execute("DELETE FROM documents")
        assert s.add(record, text) is True
        assert s.record(record.document.id) == record
        assert len(s.events()) == len(record.events)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.text(max_size=40)
    | st.lists(
        st.sampled_from(['"', "OR", "NOT", "AND", "*", "'", "\\", "a", ":", "&", "!"]), max_size=8
    ).map(" ".join)
)
def test_postgres_search_never_breaks_to_tsquery(pg_url: str, query: str) -> None:
    with open_store(pg_url) as s:
        s.conn.execute("SELECT to_tsquery('simple', ?)", (pg.ts_query(query),)).fetchone()
        s.documents(query)


# --- the commands over --db postgresql://... ------------------------------------------------------------


def test_postgres_cli_ingest_events_incidents(
    runner: Any, pg_url: str, write: Callable[[str, str], Path], light_cli: None, record_factory: Factory
) -> None:
    first, second = write("a.txt", REPORT), write("b.txt", REPORT2)
    result = run(runner, "ingest", "--db", pg_url, first, second)
    assert result.exit_code == 0, result.stderr
    again = run(runner, "ingest", "--db", pg_url, first)
    assert again.exit_code == 0 and "1 already present" in again.stderr, again.stderr
    with open_store(pg_url) as store:
        assert store.counts()["documents"] == 2
        # the light pipeline finds no events: one hand-built record gives `events` something to list
        store.add(record_factory("hand", title="Clashes in Mandera"), "Soldiers clashed near Mandera.")
        stored = set(store.ids())
    events = run(runner, "events", "--db", pg_url, "--country", "Kenya", "--actor", "shabaab", "-f", "jsonl")
    assert events.exit_code == 0, events.stderr
    assert [json.loads(line)["document"]["id"] for line in events.stdout.splitlines()] == ["hand"]
    assert run(runner, "events", "--db", pg_url, "--country", "UA", "-f", "jsonl").stdout == ""
    incidents = run(runner, "incidents", "--db", pg_url, "-f", "jsonl")
    assert incidents.exit_code == 0, incidents.stderr
    grouped = [d for line in incidents.stdout.splitlines() for d in json.loads(line)["documents"]]
    assert sorted(grouped) == sorted(stored)
    rebuilt = run(runner, "incidents", "--db", pg_url, "--rebuild", "-f", "jsonl")
    assert rebuilt.exit_code == 0 and rebuilt.stdout == incidents.stdout, rebuilt.stderr


def test_postgres_cli_reprocess(
    runner: Any, pg_url: str, write: Callable[[str, str], Path], light_cli: None, record_factory: Factory
) -> None:
    assert (
        run(runner, "ingest", "--db", pg_url, write("a.txt", REPORT), write("b.txt", REPORT2)).exit_code == 0
    )
    with open_store(pg_url) as store:
        # made by no pipeline (a hand-built record): stale, and the only one with an event to select
        store.add(record_factory("hand"), "Soldiers clashed with militants near Mandera.")
        before = {i: store.text(i) for i in store.ids()}
    only = run(runner, "reprocess", "--db", pg_url, "--where", "q=mandera", "--dry-run")
    assert only.exit_code == 0 and "1 documents re-extracted, 1 would change" in only.stderr, only.stderr
    result = run(runner, "reprocess", "--db", pg_url, "--stale")
    assert result.exit_code == 0 and "1 documents re-extracted, 1 changed" in result.stderr, result.stderr
    with open_store(pg_url) as store:
        assert {i: store.text(i) for i in store.ids()} == before  # ids and texts kept
        assert store.record("hand").events == [] and store.counts()["reports"] == 3


def test_postgres_serve_refuses_an_unreachable_server(runner: Any) -> None:
    result = run(runner, "serve", "--db", UNREACHABLE)
    assert result.exit_code == 1 and "cannot connect" in result.stderr and "Traceback" not in result.stderr
