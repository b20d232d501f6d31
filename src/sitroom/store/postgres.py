"""The PostgreSQL backend: the same `Store`, over psycopg, for ``--db postgresql://...``.

`Store` speaks SQLite's SQL; `PgConnection` makes psycopg answer it: ``?`` placeholders become
``%s``, ``instr`` becomes ``strpos``, ``with conn:`` is one transaction (a savepoint when nested),
taken under the database's writer lock so that writes are serialised as SQLite serialises them
(incident grouping reads what the previous writer stored). The schema (`MIGRATIONS`, one entry per
SQLite schema version) has the same tables and columns, plus what SQLite has for free: an identity
column named ``rowid`` on the tables read in insertion order, and ``documents_fts.tsv``, a tsvector
of the title and text behind a GIN index, where SQLite has FTS5. Text columns compare bytewise
(``COLLATE "C"``), as SQLite's do, whatever the server's locale. Details: docs/postgresql.md.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from sitroom.errors import SitroomError
from sitroom.store.backend import Dialect, display
from sitroom.store.sqlite import SCHEMA_VERSION, Store, fts_query

#: Each entry moves the schema one version up, in step with `sitroom.store.sqlite.MIGRATIONS`.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE documents (
        id TEXT COLLATE "C" PRIMARY KEY,
        url TEXT COLLATE "C",
        source TEXT COLLATE "C",
        title TEXT COLLATE "C",
        published TEXT COLLATE "C",
        published_inferred INTEGER NOT NULL DEFAULT 0,
        language TEXT COLLATE "C",
        text_hash TEXT COLLATE "C" NOT NULL,
        record TEXT NOT NULL,
        ingested_at TEXT COLLATE "C" NOT NULL,
        rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
    );
    CREATE INDEX documents_text_hash ON documents(text_hash);
    CREATE INDEX documents_url ON documents(url);
    CREATE TABLE aliases (
        alias TEXT COLLATE "C" PRIMARY KEY,
        document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE
    );
    CREATE TABLE entities (
        document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        id TEXT COLLATE "C" NOT NULL,
        name TEXT COLLATE "C" NOT NULL,
        kind TEXT COLLATE "C" NOT NULL,
        country TEXT COLLATE "C",
        role TEXT COLLATE "C",
        PRIMARY KEY (document_id, id)
    );
    CREATE TABLE mentions (
        document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        entity_id TEXT COLLATE "C" NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    CREATE TABLE attributions (
        document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        id TEXT COLLATE "C" NOT NULL,
        source_text TEXT COLLATE "C",
        source_entity TEXT COLLATE "C",
        cue TEXT COLLATE "C",
        content TEXT NOT NULL,
        stance TEXT COLLATE "C" NOT NULL,
        quote INTEGER NOT NULL,
        rowid BIGINT GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (document_id, id)
    );
    CREATE TABLE events (
        document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        id TEXT COLLATE "C" NOT NULL,
        ordinal INTEGER NOT NULL,
        event_date TEXT COLLATE "C",
        event_type TEXT COLLATE "C" NOT NULL,
        sub_event_type TEXT COLLATE "C" NOT NULL,
        actor1 TEXT COLLATE "C",
        actor2 TEXT COLLATE "C",
        country TEXT COLLATE "C",
        admin1 TEXT COLLATE "C",
        admin2 TEXT COLLATE "C",
        location TEXT COLLATE "C",
        lat DOUBLE PRECISION,
        lon DOUBLE PRECISION,
        geo_precision INTEGER,
        fatalities BIGINT NOT NULL,
        status TEXT COLLATE "C" NOT NULL,
        confidence DOUBLE PRECISION,
        event TEXT NOT NULL,
        PRIMARY KEY (document_id, id)
    );
    CREATE INDEX events_date ON events(event_date);
    CREATE INDEX events_country ON events(country);
    CREATE TABLE evidence (
        document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        event_id TEXT COLLATE "C" NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE reports (
        document_id TEXT COLLATE "C" PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        incident_id TEXT COLLATE "C",
        day TEXT COLLATE "C",
        country TEXT COLLATE "C",
        key TEXT NOT NULL,
        rowid BIGINT GENERATED ALWAYS AS IDENTITY
    );
    CREATE INDEX reports_day ON reports(day);
    CREATE INDEX reports_incident ON reports(incident_id);
    CREATE INDEX reports_rowid ON reports(rowid);
    CREATE TABLE report_persons (
        name TEXT COLLATE "C" NOT NULL,
        document_id TEXT COLLATE "C" NOT NULL REFERENCES reports(document_id) ON DELETE CASCADE
    );
    CREATE INDEX report_persons_name ON report_persons(name);
    CREATE INDEX report_persons_document ON report_persons(document_id);
    CREATE TABLE report_words (word TEXT COLLATE "C" PRIMARY KEY, n INTEGER NOT NULL);
    CREATE TABLE incident_mentions (
        document_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        event_id TEXT COLLATE "C" NOT NULL,
        key TEXT NOT NULL,
        incident_id TEXT COLLATE "C",
        rowid BIGINT GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (document_id, event_id)
    );
    CREATE INDEX incident_mentions_incident ON incident_mentions(incident_id);
    """,
    # 3: full-text search. A tsvector holds at most 1 MB: a text whose words overflow it (a report of
    # many megabytes) is indexed without word positions (phrases then do not match it), and failing
    # that, by its longest beginning that fits.
    """
    CREATE FUNCTION sitroom_tsvector(title TEXT, body TEXT) RETURNS tsvector
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE
        whole TEXT := COALESCE(title, '') || ' ' || COALESCE(body, '');
        size INTEGER;
    BEGIN
        BEGIN
            RETURN to_tsvector('simple', whole);
        EXCEPTION WHEN program_limit_exceeded THEN
            size := length(whole);
        END;
        LOOP
            BEGIN
                RETURN strip(to_tsvector('simple', left(whole, size)));
            EXCEPTION WHEN program_limit_exceeded THEN
                size := size / 2;
            END;
        END LOOP;
    END
    $$;
    CREATE TABLE documents_fts (
        id TEXT COLLATE "C" PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (sitroom_tsvector(title, text)) STORED
    );
    CREATE INDEX documents_fts_tsv ON documents_fts USING gin (tsv);
    INSERT INTO documents_fts (id, title, text)
        SELECT id, COALESCE(title, ''), COALESCE(record::jsonb #>> '{document,text}', '') FROM documents;
    CREATE INDEX events_admin1 ON events(admin1);
    CREATE INDEX entities_name ON entities(name, kind);
    CREATE INDEX mentions_entity ON mentions(document_id, entity_id);
    """,
    """
    ALTER TABLE documents ADD COLUMN sitroom_version TEXT COLLATE "C";
    ALTER TABLE documents ADD COLUMN pipeline TEXT COLLATE "C";
    CREATE INDEX documents_pipeline ON documents(pipeline);
    """,
    # 5: SQLite's text rows take their document's rowid; here documents_fts.id is already a key
    """
    SELECT 1;
    """,
)

#: the writer lock, an advisory lock on (LOCK, hashtext(current_schema())): held by every writing
#: transaction and by migrations, per schema (two sitroom databases in one PostgreSQL database do not
#: wait on each other)
LOCK = 0x517E
_LOCK_SQL = f"SELECT pg_advisory_xact_lock({LOCK}, hashtext(current_schema()))"
_LOCK_SESSION_SQL = f"SELECT pg_advisory_lock({LOCK}, hashtext(current_schema()))"
_UNLOCK_SESSION_SQL = f"SELECT pg_advisory_unlock({LOCK}, hashtext(current_schema()))"

_FTS_TOKEN = re.compile(r'"([^"]*)"(\*?)|\b(OR|AND|NOT)\b')
_TS_OPERATOR = {"OR": " | ", "AND": " & ", "NOT": " & !"}


def ts_query(text: str) -> str:
    """A user's search words as a ``to_tsquery('simple', ...)`` query that means what `fts_query`
    means to FTS5: bare words ANDed, ``OR``, ``NOT`` and quoted phrases kept, ``word*`` a prefix; every
    word quoted, so that no character can make the query fail.

    >>> ts_query('drone strike')
    "'drone' & 'strike'"
    >>> ts_query('"drone strike" OR Kharkiv* NOT Kyiv')
    "'drone strike' | 'Kharkiv':* & !'Kyiv'"
    """
    out: list[str] = []
    operator = " & "
    for phrase, star, word in _FTS_TOKEN.findall(fts_query(text)):
        if word:
            operator = _TS_OPERATOR[word]
            continue
        if not phrase:
            continue  # fts_query's empty query
        if out:
            out.append(operator)
        out.append("'" + phrase.replace("\\", "\\\\").replace("'", "''") + "'" + (":*" if star else ""))
        operator = " & "
    return "".join(out)


POSTGRESQL = Dialect(
    name="postgresql",
    match="SELECT id FROM documents_fts WHERE tsv @@ to_tsquery('simple', ?)",
    search=ts_query,
    claims="jsonb_array_elements_text(e.event::jsonb -> 'claims') AS c(value)",
    text="SELECT text FROM documents_fts WHERE id = ?",
    add_text="INSERT INTO documents_fts (id, title, text) SELECT id, ?, ? FROM documents WHERE id = ?",
)

_SQL_TOKEN = re.compile(r"'(?:[^']|'')*'|\?|%|\binstr\(")


@functools.lru_cache(maxsize=1024)
def _translate(sql: str) -> str:
    """SQLite's SQL as psycopg's: ``?`` -> ``%s`` outside string literals, ``%`` doubled everywhere,
    ``instr(`` -> ``strpos(`` (the same arguments in the same order)."""

    def one(m: re.Match[str]) -> str:
        token = m[0]
        if token == "?":
            return "%s"
        if token == "instr(":
            return "strpos("
        return token.replace("%", "%%")

    return _SQL_TOKEN.sub(one, sql)


def _value(v: Any) -> Any:
    # PostgreSQL text cannot hold NUL; U+FFFD keeps the length, so stored offsets still index the text
    return v.replace("\x00", "\ufffd") if isinstance(v, str) and "\x00" in v else v


def _values(parameters: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(map(_value, parameters))


class PgConnection:
    """A psycopg connection (in autocommit mode) that answers the store's SQLite SQL: see the module."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.raw = conn
        self._open: list[contextlib.AbstractContextManager[Any]] = []

    @property
    def IntegrityError(self) -> type[Exception]:
        return psycopg.IntegrityError

    @property
    def Error(self) -> type[Exception]:
        return psycopg.Error

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> psycopg.Cursor[Any]:
        return self.raw.execute(_translate(sql), _values(parameters))

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> psycopg.Cursor[Any]:
        cursor = self.raw.cursor()
        rows = [_values(p) for p in parameters]
        if rows:
            cursor.executemany(_translate(sql), rows)
        return cursor

    def commit(self) -> None:
        """Nothing to do: a statement outside ``with conn:`` commits by itself."""

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> PgConnection:
        transaction = self.raw.transaction()
        transaction.__enter__()
        self._open.append(transaction)
        if len(self._open) == 1:
            try:
                self.raw.execute(_LOCK_SQL)
            except BaseException as exc:
                self._open.pop().__exit__(type(exc), exc, exc.__traceback__)
                raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
        /,
    ) -> bool:
        return bool(self._open.pop().__exit__(exc_type, exc, tb))


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _connect(url: str, shown: str, read_only: bool) -> psycopg.Connection[Any]:
    try:
        params = conninfo_to_dict(url)
    except psycopg.Error as exc:
        raise SitroomError(
            "E201",
            f"cannot read the database URL {shown} ({_first_line(exc)})",
            "write it as postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE",
        ) from None
    defaults: dict[str, str | int] = {"connect_timeout": 10, "application_name": "sitroom"}
    try:
        conn = psycopg.connect(
            make_conninfo(url, **{k: v for k, v in defaults.items() if k not in params}), autocommit=True
        )
    except psycopg.Error as exc:
        raise SitroomError(
            "E201",
            f"cannot connect to the database {shown} ({_first_line(exc)})",
            "check that PostgreSQL is running and the URL's user, password and database "
            "(create the database with `createdb NAME`), or pass another --db",
        ) from None
    try:
        # notices ("relation already exists, skipping") are not for sitroom's users
        conn.execute("SET client_min_messages = warning")
        if read_only:
            conn.execute("SET default_transaction_read_only = on")
    except BaseException:
        conn.close()
        raise
    return conn


def _version(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _migrate(conn: psycopg.Connection[Any], shown: str, create: bool) -> None:
    """Bring the schema up to date under the writer lock: two processes opening a new database at
    once both succeed, one creating the schema while the other waits for it. The lock is taken before
    the transaction begins, so that the transaction sees the tables another process just created."""
    if _version(conn) == SCHEMA_VERSION:
        return
    conn.execute(_LOCK_SESSION_SQL)
    _migrate_locked(conn, shown, create)  # when it fails, the caller closes the connection: unlocked
    conn.execute(_UNLOCK_SESSION_SQL)


def _migrate_locked(conn: psycopg.Connection[Any], shown: str, create: bool) -> None:
    with conn.transaction():
        version = _version(conn)
        if version == 0 and not create:
            raise SitroomError(
                "E201",
                f"no sitroom database at {shown}",
                "run `sitroom ingest --db URL FILES` first, or pass --db (or SITROOM_DB) to another one",
            )
        if version > SCHEMA_VERSION:
            raise SitroomError(
                "E203",
                f"{shown} has schema version {version}, newer than this sitroom knows ({SCHEMA_VERSION})",
                "upgrade sitroom (pip install -U sitroom), or pass --db to use another database",
            )
        if version == 0:
            conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            conn.execute(script)
            conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (number,))


def open_store(url: str, *, create: bool = True) -> Store:
    """Open a sitroom database in PostgreSQL, creating or upgrading its tables (the database itself
    must exist; a ``?options=-csearch_path%3DNAME`` in the URL puts the tables in schema NAME)."""
    shown = display(url)
    conn = _connect(url, shown, read_only=False)
    try:
        _migrate(conn, shown, create)
    except psycopg.Error as exc:
        conn.close()
        raise SitroomError(
            "E202",
            f"cannot use {shown} as a sitroom database ({_first_line(exc)})",
            "check that the URL's user may create tables there, or pass another --db",
        ) from None
    except BaseException:
        conn.close()
        raise
    return Store(PgConnection(conn), shown, POSTGRESQL)


def open_reader(url: str) -> Store:
    """Open an existing, current sitroom database in PostgreSQL only to read it (its transactions are
    read-only: nothing is created or upgraded)."""
    shown = display(url)
    conn = _connect(url, shown, read_only=True)
    try:
        version = _version(conn)
    except psycopg.Error as exc:
        conn.close()
        raise SitroomError(
            "E202", f"cannot read {shown} as a sitroom database ({_first_line(exc)})", "check the URL"
        ) from None
    if version != SCHEMA_VERSION:
        conn.close()
        if version == 0:
            raise SitroomError("E201", f"no sitroom database at {shown}", "run `sitroom ingest` first")
        raise SitroomError(
            "E203",
            f"{shown} has schema version {version}, this sitroom reads version {SCHEMA_VERSION}",
            f"run `sitroom incidents --db {shown}` once to upgrade it"
            if version < SCHEMA_VERSION
            else "upgrade sitroom",
        )
    return Store(PgConnection(conn), shown, POSTGRESQL)
