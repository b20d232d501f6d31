"""The SQLite store: records in, events out, one transaction per document.

The record JSON in ``documents.record`` is the source of truth (`Store.record` returns it); the other
tables are its rows spelled out for querying, written in the same transaction so that a document is
either wholly stored or absent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitroom.errors import SitroomError
from sitroom.model import DocumentInfo, Event, Incident, Record
from sitroom.store.backend import Connection, Dialect, is_postgres_url

DEFAULT_DB = "sitroom.db"
DB_ENV = "SITROOM_DB"

#: Each entry moves the schema one version up; never edit a released one, append a new one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        url TEXT,
        source TEXT,
        title TEXT,
        published TEXT,
        published_inferred INTEGER NOT NULL DEFAULT 0,
        language TEXT,
        text_hash TEXT NOT NULL,
        record TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX documents_text_hash ON documents(text_hash);
    CREATE INDEX documents_url ON documents(url);
    CREATE TABLE aliases (
        alias TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE
    );
    CREATE TABLE entities (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        country TEXT,
        role TEXT,
        PRIMARY KEY (document_id, id)
    );
    CREATE TABLE mentions (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        entity_id TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    CREATE TABLE attributions (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        source_text TEXT,
        source_entity TEXT,
        cue TEXT,
        content TEXT NOT NULL,
        stance TEXT NOT NULL,
        quote INTEGER NOT NULL,
        PRIMARY KEY (document_id, id)
    );
    CREATE TABLE events (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        event_date TEXT,
        event_type TEXT NOT NULL,
        sub_event_type TEXT NOT NULL,
        actor1 TEXT,
        actor2 TEXT,
        country TEXT,
        admin1 TEXT,
        admin2 TEXT,
        location TEXT,
        lat REAL,
        lon REAL,
        geo_precision INTEGER,
        fatalities INTEGER NOT NULL,
        status TEXT NOT NULL,
        confidence REAL,
        event TEXT NOT NULL,
        PRIMARY KEY (document_id, id)
    );
    CREATE INDEX events_date ON events(event_date);
    CREATE INDEX events_country ON events(country);
    CREATE TABLE evidence (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        event_id TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    """,
    # 2: incidents. One report key per document (what its main event says); incident_id groups them.
    """
    CREATE TABLE reports (
        document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        incident_id TEXT,
        day TEXT,
        country TEXT,
        key TEXT NOT NULL
    );
    CREATE INDEX reports_day ON reports(day);
    CREATE INDEX reports_incident ON reports(incident_id);
    CREATE TABLE report_persons (
        name TEXT NOT NULL,
        document_id TEXT NOT NULL REFERENCES reports(document_id) ON DELETE CASCADE
    );
    CREATE INDEX report_persons_name ON report_persons(name);
    CREATE TABLE report_words (word TEXT PRIMARY KEY, n INTEGER NOT NULL);
    CREATE TABLE incident_mentions (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        event_id TEXT NOT NULL,
        key TEXT NOT NULL,
        incident_id TEXT,
        PRIMARY KEY (document_id, event_id)
    );
    CREATE INDEX incident_mentions_incident ON incident_mentions(incident_id);
    """,
    # 3: full-text search over documents (title and text), for the web app's and the API's ``q``.
    """
    CREATE VIRTUAL TABLE documents_fts USING fts5(id UNINDEXED, title, text);
    INSERT INTO documents_fts (id, title, text)
        SELECT id, COALESCE(title, ''), COALESCE(json_extract(record, '$.document.text'), '') FROM documents;
    CREATE INDEX events_admin1 ON events(admin1);
    CREATE INDEX entities_name ON entities(name, kind);
    CREATE INDEX mentions_entity ON mentions(document_id, entity_id);
    """,
    # 4: provenance: the sitroom version and settings digest that made each stored record (reprocess)
    """
    ALTER TABLE documents ADD COLUMN sitroom_version TEXT;
    ALTER TABLE documents ADD COLUMN pipeline TEXT;
    CREATE INDEX documents_pipeline ON documents(pipeline);
    """,
    # 5: a text row shares its document's rowid, so that a document's text is found without a scan
    """
    CREATE VIRTUAL TABLE documents_fts_rowid USING fts5(id UNINDEXED, title, text);
    INSERT INTO documents_fts_rowid (rowid, id, title, text)
        SELECT d.rowid, f.id, f.title, f.text FROM documents_fts f JOIN documents d ON d.id = f.id;
    DROP TABLE documents_fts;
    ALTER TABLE documents_fts_rowid RENAME TO documents_fts;
    """,
)

#: how the web app and the API may sort events (the name a client passes -> the SQL it stands for)
EVENT_SORTS = {
    "date": "COALESCE(e.event_date, d.published) NULLS FIRST, d.id, e.ordinal",
    "-date": "COALESCE(e.event_date, d.published) DESC NULLS LAST, d.id, e.ordinal",
    "fatalities": "e.fatalities, d.id, e.ordinal",
    "-fatalities": "e.fatalities DESC, d.id, e.ordinal",
    "country": "e.country NULLS FIRST, COALESCE(e.event_date, d.published) NULLS FIRST, d.id, e.ordinal",
}


@dataclass(frozen=True)
class EventFilter:
    """What `Store.events` selects: every field optional; all given ones must hold.

    ``since``/``until`` bound the event date (inclusive; an event with no date falls back to its
    document's publication date); ``country`` is an ISO alpha-2 code; ``admin1`` matches the first-level
    region ignoring case; ``event_type`` matches the event or sub-event type ignoring case; ``actor`` and
    ``claimant`` are case-insensitive substrings (of either actor; of a source the event's claims cite);
    ``status`` is one of the contract's statuses; ``q`` is a full-text search over the documents' titles
    and texts ("drone strike", "Kharkiv OR Kherson"; `fts_query`).
    """

    since: dt.date | str | None = None
    until: dt.date | str | None = None
    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None
    actor: str | None = None
    status: str | None = None
    claimant: str | None = None
    q: str | None = None

    def where(self, dialect: Dialect | None = None) -> tuple[str, list[Any]]:
        """The WHERE clause (empty when nothing is selected) and its arguments, in ``dialect``'s SQL
        (SQLite's by default)."""
        sql = dialect or SQLITE
        where: list[str] = []
        args: list[Any] = []
        date = "COALESCE(e.event_date, d.published)"
        if self.since:
            where.append(f"substr({date}, 1, 10) >= ?")
            args.append(str(self.since))
        if self.until:
            where.append(f"substr({date}, 1, 10) <= ?")
            args.append(str(self.until))
        if self.country:
            where.append("upper(e.country) = upper(?)")
            args.append(self.country)
        if self.admin1:
            where.append("lower(e.admin1) = lower(?)")
            args.append(self.admin1)
        if self.event_type:
            where.append("(lower(e.event_type) = lower(?) OR lower(e.sub_event_type) = lower(?))")
            args += [self.event_type, self.event_type]
        if self.actor:
            where.append("(instr(lower(e.actor1), lower(?)) > 0 OR instr(lower(e.actor2), lower(?)) > 0)")
            args += [self.actor, self.actor]
        if self.status:
            where.append("lower(e.status) = lower(?)")
            args.append(self.status)
        if self.claimant:
            where.append(
                f"EXISTS (SELECT 1 FROM {sql.claims} JOIN attributions a"
                " ON a.document_id = e.document_id AND a.id = c.value"
                " LEFT JOIN entities n ON n.document_id = a.document_id AND n.id = a.source_entity"
                " WHERE instr(lower(COALESCE(a.source_text, '') || ' ' || COALESCE(n.name, '')),"
                " lower(?)) > 0)"
            )
            args.append(self.claimant)
        if self.q:
            where.append(f"d.id IN ({sql.match})")
            args.append(sql.search(self.q))
        return (" WHERE " + " AND ".join(where)) if where else "", args


def fts_query(text: str) -> str:
    """A user's search words as an FTS5 query: bare words are ANDed, ``OR`` and quoted phrases kept, and
    no character can make FTS5's own syntax fail.

    >>> fts_query('drone strike')
    '"drone" "strike"'
    >>> fts_query('"drone strike" OR Kharkiv*')
    '"drone strike" OR "Kharkiv"*'
    """
    out: list[str] = []
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)  # FTS5 strings end at a NUL
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', text):
        if phrase:
            cleaned = phrase.replace('"', " ").strip()
            if cleaned:
                out.append(f'"{cleaned}"')
        elif word in {"OR", "AND", "NOT"}:
            if out and out[-1] in {"AND"} and word == "NOT":
                out[-1] = "NOT"  # "a AND NOT b" is FTS5's "a NOT b"
            elif out and out[-1] not in {"OR", "AND", "NOT"}:
                out.append(word)
            elif not out and word == "NOT":
                out.append('"NOT"')  # nothing to subtract from: the word itself
        else:
            prefix = word.endswith("*")
            cleaned = re.sub(r"[^\w'-]+", " ", word).strip()
            for part in cleaned.split():
                out.append(f'"{part}"' + ("*" if prefix else ""))
    while out and out[-1] in {"OR", "AND", "NOT"}:
        out.pop()
    return " ".join(out) or '""'


SQLITE = Dialect(
    name="sqlite",
    match="SELECT id FROM documents_fts WHERE documents_fts MATCH ?",
    search=fts_query,
    claims="json_each(e.event, '$.claims') c",
    # FTS5 indexes no column but its rowid, so a text row shares its document's rowid (schema 5)
    text="SELECT f.text FROM documents d JOIN documents_fts f ON f.rowid = d.rowid WHERE d.id = ?",
    add_text="INSERT INTO documents_fts (rowid, id, title, text)"
    " SELECT rowid, id, ?, ? FROM documents WHERE id = ?",
)

SCHEMA_VERSION = len(MIGRATIONS)


def text_hash(text: str) -> str:
    """The hash that finds a text already stored under another id.

    >>> text_hash("abc")[:12]
    'ba7816bf8f01'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_path(value: str | os.PathLike[str] | None = None) -> Path:
    """The database: the given path, else SITROOM_DB, else ./sitroom.db."""
    return Path(value or os.environ.get(DB_ENV) or DEFAULT_DB)


@dataclass(frozen=True)
class StoredEvent:
    """One stored event with the document that reports it."""

    document: DocumentInfo
    event: Event

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.event.model_dump(mode="json"),
            "document": self.document.model_dump(mode="json", exclude={"text"}),
        }


#: the columns of a document's row that its record gives (see `_document_values`)
_DOCUMENT_COLUMNS = (
    "url",
    "source",
    "title",
    "published",
    "published_inferred",
    "language",
    "record",
    "sitroom_version",
    "pipeline",
)


def _document_values(record: Record) -> tuple[Any, ...]:
    doc, made = record.document, record.pipeline
    return (
        doc.url,
        doc.source,
        doc.title,
        doc.published,
        int(doc.published_inferred),
        doc.language,
        record.model_dump_json(),
        made.version if made else None,
        made.settings if made else None,
    )


class Store:
    """A sitroom database. Use `open_store`; close it (or use ``with``) when done.

    The SQL is SQLite's; a PostgreSQL ``conn`` translates it (`sitroom.store.postgres`), and
    ``dialect`` gives what differs beyond translation. ``path`` names the database in messages.
    """

    def __init__(self, conn: Connection, path: str, dialect: Dialect | None = None) -> None:
        self.conn = conn
        self.path = path
        self.dialect = dialect or SQLITE

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # --- looking up ------------------------------------------------------------------------------------

    def resolve(self, doc_id: str) -> str | None:
        """The stored id that ``doc_id`` names (itself, or the document it is an alias of)."""
        row = self.conn.execute("SELECT id FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row:
            return str(row[0])
        row = self.conn.execute("SELECT document_id FROM aliases WHERE alias = ?", (doc_id,)).fetchone()
        return str(row[0]) if row else None

    def has(self, doc_id: str) -> bool:
        """Whether a document is stored under this id or has it as an alias."""
        return self.resolve(doc_id) is not None

    def find(self, doc_id: str, text: str | None = None, url: str | None = None) -> str | None:
        """The stored id of a document with this id, or this text, or this url; None when new."""
        found = self.resolve(doc_id)
        if found is None and text is not None:
            row = self.conn.execute(
                "SELECT id FROM documents WHERE text_hash = ? ORDER BY ingested_at, id", (text_hash(text),)
            ).fetchone()
            found = str(row[0]) if row else None
        if found is None and url:
            row = self.conn.execute(
                "SELECT id FROM documents WHERE url = ? ORDER BY ingested_at, id", (url,)
            ).fetchone()
            found = str(row[0]) if row else None
        return found

    def add_alias(self, alias: str, doc_id: str) -> None:
        """Record that ``alias`` names the stored document ``doc_id`` (a duplicate's own id)."""
        if alias == doc_id:
            return
        with self.conn:
            self.conn.execute(
                "INSERT INTO aliases (alias, document_id) VALUES (?, ?) ON CONFLICT (alias) DO NOTHING",
                (alias, doc_id),
            )

    def record(self, doc_id: str) -> Record:
        """The stored record of a document (by its id or an alias)."""
        stored = self.resolve(doc_id)
        if stored is None:
            raise SitroomError(
                "E204",
                f"no document {doc_id!r} in {self.path}",
                "list stored documents with `sitroom events`, or ingest it first",
            )
        row = self.conn.execute("SELECT record FROM documents WHERE id = ?", (stored,)).fetchone()
        return Record.model_validate_json(row[0])

    def text(self, doc_id: str) -> str | None:
        """The text a stored document's offsets index; None for a document stored before sitroom kept
        texts (schema version 3)."""
        stored = self.resolve(doc_id)
        row = self.conn.execute(self.dialect.text, (stored,)).fetchone()
        return str(row[0]) if row and row[0] else None

    def ids(self) -> list[str]:
        return [str(r[0]) for r in self.conn.execute("SELECT id FROM documents ORDER BY id")]

    def events(
        self,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        country: str | None = None,
        event_type: str | None = None,
        actor: str | None = None,
        *,
        where: EventFilter | None = None,
        sort: str = "date",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[StoredEvent]:
        """Stored events, oldest first, filtered (the keywords, or a whole `EventFilter` as ``where``);
        ``sort`` is a key of `EVENT_SORTS`; ``limit``/``offset`` page through them."""
        flt = where or EventFilter(since, until, country, None, event_type, actor)
        clause, args = flt.where(self.dialect)
        sql = (
            "SELECT e.event, d.record FROM events e JOIN documents d ON d.id = e.document_id"
            f"{clause} ORDER BY {EVENT_SORTS[sort]}"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args = [*args, limit, offset]
        out = []
        for event_json, record_json in self.conn.execute(sql, args):
            document = json.loads(record_json)["document"]
            document.pop("text", None)
            out.append(
                StoredEvent(DocumentInfo.model_validate(document), Event.model_validate_json(event_json))
            )
        return out

    def count_events(self, where: EventFilter | None = None) -> int:
        """How many stored events `events` would give for this filter (without paging)."""
        clause, args = (where or EventFilter()).where(self.dialect)
        sql = f"SELECT count(*) FROM events e JOIN documents d ON d.id = e.document_id{clause}"
        return int(self.conn.execute(sql, args).fetchone()[0])

    def documents(
        self, q: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[int, list[dict[str, Any]]]:
        """Stored documents, newest published first (``q``: a full-text search): (total, page)."""
        where, args = "", []
        if q:
            where = f" WHERE id IN ({self.dialect.match})"
            args.append(self.dialect.search(q))
        total = int(self.conn.execute(f"SELECT count(*) FROM documents{where}", args).fetchone()[0])
        rows = self.conn.execute(
            "SELECT id, url, source, title, published, language,"
            " (SELECT count(*) FROM events e WHERE e.document_id = documents.id) AS events"
            f" FROM documents{where} ORDER BY published DESC NULLS LAST, id LIMIT ? OFFSET ?",
            [*args, limit, offset],
        )
        keys = ("id", "url", "source", "title", "published", "language", "events")
        return total, [dict(zip(keys, row, strict=True)) for row in rows]

    def entities(
        self, q: str | None = None, kind: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[int, list[dict[str, Any]]]:
        """Named entities across documents, most reported first: (total, page) of
        {name, kind, country, documents, mentions}."""
        where, args = [], []
        if q:
            where.append("instr(lower(n.name), lower(?)) > 0")
            args.append(q)
        if kind:
            where.append("lower(n.kind) = lower(?)")
            args.append(kind)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        grouped = (
            "SELECT n.name, n.kind, max(n.country) AS country, count(DISTINCT n.document_id) AS documents,"
            " CAST(COALESCE(sum(m.c), 0) AS INTEGER) AS mentions FROM entities n LEFT JOIN"
            " (SELECT document_id, entity_id, count(*) AS c FROM mentions GROUP BY document_id, entity_id) m"
            f" ON m.document_id = n.document_id AND m.entity_id = n.id{clause} GROUP BY n.name, n.kind"
        )
        total = int(self.conn.execute(f"SELECT count(*) FROM ({grouped}) AS g", args).fetchone()[0])
        rows = self.conn.execute(
            f"{grouped} ORDER BY documents DESC, n.name LIMIT ? OFFSET ?", [*args, limit, offset]
        )
        keys = ("name", "kind", "country", "documents", "mentions")
        return total, [dict(zip(keys, row, strict=True)) for row in rows]

    def attributions(
        self,
        source: str | None = None,
        stance: str | None = None,
        document: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[dict[str, Any]]]:
        """Who said what, across documents: (total, page) of attribution rows with their document."""
        where, args = [], []
        if source:
            where.append(
                "instr(lower(COALESCE(a.source_text, '') || ' ' || COALESCE(n.name, '')), lower(?)) > 0"
            )
            args.append(source)
        if stance:
            where.append("lower(a.stance) = lower(?)")
            args.append(stance)
        if document:
            where.append("a.document_id = ?")
            args.append(self.resolve(document) or document)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        base = (
            " FROM attributions a LEFT JOIN entities n ON n.document_id = a.document_id"
            f" AND n.id = a.source_entity{clause}"
        )
        total = int(self.conn.execute(f"SELECT count(*){base}", args).fetchone()[0])
        rows = self.conn.execute(
            "SELECT a.document_id, a.id, a.source_text, n.name, a.cue, a.content, a.stance, a.quote"
            f"{base} ORDER BY a.document_id, a.rowid LIMIT ? OFFSET ?",
            [*args, limit, offset],
        )
        keys = ("document", "id", "source", "source_entity", "cue", "content", "stance", "quote")
        return total, [
            {**dict(zip(keys, row, strict=True)), "quote": bool(row[7])} for row in rows
        ]

    # --- writing ---------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _writing(self, doc_id: str) -> Iterator[None]:
        """A write that finds the database locked by another process past the busy timeout is the
        user's to retry, not a bug."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise SitroomError(
                "E207",
                f"cannot store document {doc_id}: {self.path} is locked by another process ({exc})",
                "run it again when the other writer is done (a re-run stores only what is missing)",
            ) from None

    def add(self, record: Record, text: str, group: bool = True, body: str | None = None) -> bool:
        """Store a record (and the text it came from); False when it, its text or url is already there.

        A duplicate under another id is kept as an alias of the stored document, never stored twice.
        With ``group``, the document joins its incident (or starts one) in the same transaction;
        without, it waits for `group_incidents`. ``body`` is the text the record's offsets index
        (the pipeline's normalised text; ``text`` when not given): `text` gives it back.
        """
        from sitroom import incidents

        doc = record.document
        stored = self.find(doc.id, text, doc.url)
        if stored is not None:
            self.add_alias(doc.id, stored)
            return False
        # One transaction: a failure anywhere below leaves no trace of this document.
        try:
            with self._writing(doc.id), self.conn:
                self._insert(record, text, body if body is not None else text)
                key = incidents.store_keys(self.conn, record)
                if group:
                    incidents.assign(self.conn, key)
        except self.conn.IntegrityError as exc:
            stored = self.find(doc.id, text, doc.url)
            if stored is not None:  # another process stored it since `find` above
                self.add_alias(doc.id, stored)
                return False
            raise SitroomError(
                "E205",
                f"cannot store document {doc.id} ({exc})",
                "its record repeats an entity, attribution or event id; report it as a bug",
            ) from None
        return True

    def _insert(self, record: Record, text: str, body: str) -> None:
        doc, conn, did = record.document, self.conn, record.document.id
        conn.execute(
            f"INSERT INTO documents ({', '.join(_DOCUMENT_COLUMNS)}, id, text_hash, ingested_at)"
            f" VALUES ({', '.join('?' * (len(_DOCUMENT_COLUMNS) + 3))})",
            (
                *_document_values(record),
                did,
                text_hash(text),
                dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            ),
        )
        conn.execute(self.dialect.add_text, (doc.title or "", body, did))
        self._insert_findings(record)

    def _insert_findings(self, record: Record) -> None:
        conn, did = self.conn, record.document.id
        conn.executemany(
            "INSERT INTO entities (document_id, id, name, kind, country, role) VALUES (?, ?, ?, ?, ?, ?)",
            [(did, e.id, e.name, e.kind, e.country, e.role) for e in record.entities],
        )
        conn.executemany(
            'INSERT INTO mentions (document_id, entity_id, start, "end", text) VALUES (?, ?, ?, ?, ?)',
            [(did, e.id, m.start, m.end, m.text) for e in record.entities for m in e.mentions],
        )
        conn.executemany(
            "INSERT INTO attributions (document_id, id, source_text, source_entity, cue, content, stance,"
            " quote) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    did,
                    a.id,
                    a.source.text if a.source else None,
                    a.source.entity if a.source else None,
                    a.cue.text if a.cue else None,
                    a.content.text,
                    a.stance,
                    int(a.quote),
                )
                for a in record.attributions
            ],
        )
        self._insert_events(record)

    def _insert_events(self, record: Record) -> None:
        did = record.document.id
        for ordinal, ev in enumerate(record.events):
            loc = ev.location
            self.conn.execute(
                "INSERT INTO events (document_id, id, ordinal, event_date, event_type, sub_event_type,"
                " actor1, actor2, country, admin1, admin2, location, lat, lon, geo_precision, fatalities,"
                " status, confidence, event) VALUES (" + ", ".join("?" * 19) + ")",
                (
                    did,
                    ev.id,
                    ordinal,
                    ev.date.value,
                    ev.event_type,
                    ev.sub_event_type,
                    ev.actor1.name,
                    ev.actor2.name if ev.actor2 else None,
                    loc.country,
                    loc.admin1,
                    loc.admin2,
                    loc.name,
                    loc.lat,
                    loc.lon,
                    loc.geo_precision,
                    ev.fatalities,
                    ev.status,
                    ev.confidence,
                    ev.model_dump_json(),
                ),
            )
            self.conn.executemany(
                'INSERT INTO evidence (document_id, event_id, start, "end", text) VALUES (?, ?, ?, ?, ?)',
                [(did, ev.id, s.start, s.end, s.text) for s in ev.evidence],
            )

    def replace(self, record: Record, group: bool = True) -> None:
        """Store a new record for an already stored document (same id and text: `sitroom reprocess`),
        in one transaction: its findings, report keys and incident are replaced, its aliases, text and
        ingestion time kept."""
        from sitroom import incidents

        did = record.document.id
        if self.resolve(did) != did:
            raise SitroomError("E204", f"no document {did!r} in {self.path}", "ingest it first")
        with self._writing(did), self.conn:
            incidents.forget(self.conn, did)
            for table in ("evidence", "events", "attributions", "mentions", "entities"):
                self.conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (did,))
            self.conn.execute(
                f"UPDATE documents SET {', '.join(c + ' = ?' for c in _DOCUMENT_COLUMNS)} WHERE id = ?",
                (*_document_values(record), did),
            )
            self._insert_findings(record)
            key = incidents.store_keys(self.conn, record)
            if group:
                incidents.assign(self.conn, key)

    def stale(self, settings: str) -> list[str]:
        """The ids of documents whose records another pipeline made (another settings digest, or one
        stored before sitroom recorded it)."""
        rows = self.conn.execute(
            "SELECT id FROM documents WHERE pipeline IS NULL OR pipeline != ? ORDER BY rowid", (settings,)
        )
        return [str(r[0]) for r in rows]

    def document_ids(self, where: EventFilter | None = None) -> list[str]:
        """The ids of documents with an event that ``where`` selects (every document without it), in
        ingestion order."""
        if where is None:
            return [str(r[0]) for r in self.conn.execute("SELECT id FROM documents ORDER BY rowid")]
        sql, args = where.where(self.dialect)
        rows = self.conn.execute(
            "SELECT d.id FROM documents d WHERE d.id IN (SELECT e.document_id FROM events e"
            f" JOIN documents d ON d.id = e.document_id{sql}) ORDER BY d.rowid",
            args,
        )
        return [str(r[0]) for r in rows]

    def group_incidents(self, rebuild: bool = False, progress: Any = None) -> int:
        """Group the reports not grouped yet (all of them again with ``rebuild``); how many."""
        from sitroom import incidents

        if rebuild:
            return incidents.rebuild(self.conn, progress)
        return incidents.group_pending(self.conn, progress)

    def incidents(self, since: dt.date | str | None = None, country: str | None = None) -> list[Incident]:
        """Every incident, oldest first (``since``: on or after that day; ``country``: ISO alpha-2)."""
        from sitroom import incidents

        self.group_incidents()
        return incidents.read(self.conn, str(since) if since else None, country)

    def counts(self) -> dict[str, int]:
        """Rows per table (for summaries and tests)."""
        tables = (
            "documents",
            "aliases",
            "entities",
            "mentions",
            "attributions",
            "events",
            "evidence",
            "reports",
        )
        return {t: int(self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}


def _schema_version(conn: sqlite3.Connection) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _statements(script: str) -> Iterator[str]:
    """The statements of a migration script, one by one (so that they run in the caller's transaction;
    ``executescript`` would commit first)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer
            buffer = ""
    if buffer.strip():
        yield buffer


def _migrate(conn: sqlite3.Connection, path: str) -> None:
    """Bring the schema up to date under a write lock (``BEGIN IMMEDIATE``): two processes opening a
    new database at once both succeed, one creating the schema while the other waits for it."""
    saved = conn.isolation_level
    conn.isolation_level = None  # transactions by hand: DDL and the version rows commit together
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = _schema_version(conn)
            if version > SCHEMA_VERSION:
                raise SitroomError(
                    "E203",
                    f"{path} has schema version {version}, newer than this sitroom knows ({SCHEMA_VERSION})",
                    "upgrade sitroom (pip install -U sitroom), or pass --db to use another database",
                )
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in _statements(script):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.isolation_level = saved


def _wal(conn: sqlite3.Connection) -> None:
    """Switch to write-ahead logging (readers never block the writer). Switching needs the database to
    itself for a moment, and SQLite does not wait for that, so a busy database is asked again."""
    deadline = time.monotonic() + 30
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def open_reader(path: str | os.PathLike[str], any_thread: bool = False) -> Store:
    """Open an existing, current database only to read it: no schema change, no journal switch, so a
    database on a read-only disk (or in a folder one cannot write) is served as it is. A
    ``postgresql://`` URL opens a PostgreSQL database read-only (`sitroom.store.postgres`)."""
    name = str(path)
    if is_postgres_url(name):
        from sitroom.store import postgres

        return postgres.open_reader(name)
    if not Path(name).is_file():
        raise SitroomError("E201", f"no database at {name}", "run `sitroom ingest` first, or pass --db")
    uri = Path(name).resolve().as_uri()
    conn = None
    for mode in ("mode=ro", "immutable=1"):
        try:
            conn = sqlite3.connect(f"{uri}?{mode}", uri=True, timeout=30, check_same_thread=not any_thread)
            version = _schema_version_read(conn)
            break
        except sqlite3.Error:
            if conn is not None:
                conn.close()
            conn = None
    if conn is None:
        raise SitroomError(
            "E202", f"cannot read {name} as a sitroom database", "check the path and its permissions"
        )
    if version != SCHEMA_VERSION:
        conn.close()
        raise SitroomError(
            "E203",
            f"{name} has schema version {version}, this sitroom reads version {SCHEMA_VERSION}",
            f"run `sitroom incidents --db {name}` once to upgrade it"
            if version < SCHEMA_VERSION
            else "upgrade sitroom",
        )
    return Store(conn, name)


def _schema_version_read(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def open_store(
    path: str | os.PathLike[str] | None = None, *, create: bool = True, any_thread: bool = False
) -> Store:
    """Open (and create or migrate) a sitroom database; ``":memory:"`` for a throwaway one, a
    ``postgresql://`` URL for one in PostgreSQL (`sitroom.store.postgres`; the database must exist).
    ``any_thread``: the connection may be used (one thread at a time) from threads other than
    this one, as a web server's worker threads do.

    >>> with open_store(":memory:") as store:
    ...     store.has("abc")
    False
    """
    name = str(path if path is not None else os.environ.get(DB_ENV) or DEFAULT_DB)
    if is_postgres_url(name):
        from sitroom.store import postgres

        return postgres.open_store(name, create=create)
    if name != ":memory:":
        file = Path(name)
        if file.is_dir():
            raise SitroomError(
                "E201",
                f"cannot open the database {name}: it is a directory",
                "pass --db with a file path, e.g. --db events.db",
            )
        if not file.exists():
            if not create:
                raise SitroomError(
                    "E201",
                    f"no database at {name}",
                    "run `sitroom ingest` first, or pass --db (or SITROOM_DB) to an existing one",
                )
            if not file.parent.exists():
                raise SitroomError(
                    "E201",
                    f"cannot create the database {name}: the folder {file.parent} does not exist",
                    "create it, or pass another --db",
                )
    try:
        conn = sqlite3.connect(name, timeout=30, check_same_thread=not any_thread)
    except sqlite3.Error as exc:
        raise SitroomError(
            "E201",
            f"cannot open the database {name} ({exc})",
            "check the path and its permissions, or pass another --db",
        ) from None
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn, name)
        if name != ":memory:":
            _wal(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise SitroomError(
            "E202",
            f"cannot use {name} as a sitroom database ({exc})",
            "pass --db with a sitroom database or a new file name",
        ) from None
    except BaseException:
        conn.close()
        raise
    return Store(conn, name)


def iter_records(store: Store) -> Iterator[Record]:
    """Every stored record, by id."""
    for doc_id in store.ids():
        yield store.record(doc_id)
