"""Incidents: the reports of one event, from many documents, grouped into one record.

Each stored document gets a *report key*: what its main event (its first event) says: the day, the
place, the type, the toll, the people it names and the words of its title and evidence. A new report
joins the incident whose reports it is most like, when it is like enough; else it starts a new one.
Grouping is incremental (a new report is compared only with reports within a few days of it, through
an index on the day) and deterministic for a given order of ingestion.

How alike two reports are (`similarity`) adds evidence: the same town, the same day, the same named
people, shared words (weighted by how rare they are among the stored reports), the same toll and
type. Another country or far places count against a pair; two towns far apart with no person in
common, or days beyond the window with no person in common, rule it out. The weights and the
threshold were set on half of the GVA development incidents (`bench/incidents.py`, part "tune");
the other half is only scored (docs/incidents.md).

The incident record (`sitroom.model.Incident`, docs/incidents.md) is built when read: its fields
merged from its reports with their provenance, the sources that are independent, and the fields on
which the reports contradict each other.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sitroom.gazetteer import km
from sitroom.model import (
    Casualties,
    Contradiction,
    Count,
    EntityKind,
    Event,
    EventDate,
    EventType,
    Incident,
    IncidentReport,
    IncidentSource,
    IncidentValue,
    Location,
    Record,
    Status,
    SubEventType,
)
from sitroom.store.backend import Connection

#: days a report may lie from another of the same incident, by how sure its date is
WINDOW_DAYS = {"day": 2, "week": 7, "published": 4, "month": 31}
#: how far apart (km) two places of one incident may be
MAX_KM = 120.0
#: how alike a report must be to an incident's closest report to join it
THRESHOLD = 2.0
#: weights of the evidence of `similarity`
W_SAME_PLACE = 2.0
W_SAME_ADMIN2 = 1.0
W_NEAR = 1.0
W_SAME_DAY = 1.0
W_NEXT_DAY = 0.5
W_PERSON = 2.5
W_WORDS = 8.0
W_SAME_TOLL = 1.0
W_OTHER_TOLL = -1.0
W_SAME_TYPE = 0.5
W_OTHER_COUNTRY = -1.5
W_FAR = -1.0
#: a report beyond the day window, tied by a person it names (a later story: a trial, a funeral)
W_LATE = -3.0

_WORD = re.compile(r"[a-z][a-z'’-]{3,}")


@functools.cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def words_of(text: str) -> set[str]:
    """Content words (four letters or more, no stop words) of a title or an evidence sentence.

    >>> sorted(words_of("Two men were shot outside the Dollar General on Main Street"))
    ['dollar', 'general', 'main', 'outside', 'shot', 'street']
    """
    return {w.strip("'’-") for w in _WORD.findall(text.lower())} - _stop_words() - {""}


@dataclass
class ReportKey:
    """What one document's main event says, for comparing it with other reports."""

    document: str
    day: str | None = None
    #: how the day is known: the event's date precision ("day", "week", "month") or "published"
    basis: str = "published"
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    #: the place is a town (ACLED geo_precision 1), not a district, province or country
    town: bool = False
    event_type: str | None = None
    killed: int | None = None
    injured: int | None = None
    persons: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> ReportKey:
        return cls(**json.loads(text))


def _count(c: Count | None) -> int | None:
    if c is None:
        return None
    return c.max if c.max is not None else c.min


def report_key(record: Record, event_index: int = 0, persons: list[str] | None = None) -> ReportKey:
    """The key of a record's event (its main event by default, whose words include the title's); a
    record with no event keys on its publication day and title alone. ``persons`` (see `_persons`)
    saves reading the record's entities again for each of its events."""
    doc = record.document
    key = ReportKey(document=doc.id, day=doc.published)
    text = (doc.title or "") if event_index == 0 else ""
    if record.events and event_index < len(record.events):
        ev = record.events[event_index]
        if ev.date.value and ev.date.precision in {"day", "week", "month"}:
            key.day, key.basis = ev.date.value[:10], str(ev.date.precision)
        loc = ev.location
        key.country, key.admin1, key.admin2 = loc.country, loc.admin1, loc.admin2
        key.place = (loc.name or "").casefold() or None
        key.lat, key.lon = loc.lat, loc.lon
        key.town = loc.geo_precision == 1
        key.event_type = str(ev.event_type)
        key.killed, key.injured = _count(ev.casualties.killed), _count(ev.casualties.injured)
        text += " " + " ".join(s.text for s in ev.evidence)
    key.persons = _persons(record) if persons is None else persons
    key.words = sorted(words_of(text))
    return key


def _persons(record: Record) -> list[str]:
    """The surnames of the people a record names, which every key of the record carries."""
    return sorted(
        {
            e.name.split()[-1].casefold()
            for e in record.entities
            if e.kind == EntityKind.PERSON and e.named and len(e.name.split()[-1]) >= 3
        }
    )


def side_keys(record: Record) -> list[tuple[str, ReportKey]]:
    """The keys of a record's other events (an earlier attack a story recalls), by event id."""
    persons = _persons(record)
    return [(ev.id, report_key(record, n, persons)) for n, ev in enumerate(record.events) if n > 0]


def _days(a: str, b: str) -> int | None:
    try:
        return abs((dt.date.fromisoformat(a[:10]) - dt.date.fromisoformat(b[:10])).days)
    except ValueError:
        return None


def _km(a: ReportKey, b: ReportKey) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    return km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]


def similarity(a: ReportKey, b: ReportKey, weight: Callable[[str], float] | None = None) -> float | None:
    """How much evidence says two reports tell one incident; None when nothing ties them (no shared
    person, and days too far apart for the dates' precision).

    Another country, places far apart, or days beyond the window count against a pair rather than
    rule it out: in local news they are mostly a place or date read wrongly, and two reports that
    name the same victim in the same town are one incident whatever else they say.

    >>> x = ReportKey("a", day="2016-05-01", basis="day", country="US", place="dayton", words=["shot"])
    >>> similarity(x, ReportKey("b", day="2016-05-01", basis="day", country="US", place="dayton")) > 2
    True
    >>> similarity(x, ReportKey("c", day="2016-05-29", basis="day", country="US", place="dayton")) is None
    True
    """
    shared = len(set(a.persons) & set(b.persons))
    score = W_PERSON * min(shared, 2)
    if a.day and b.day:
        gap = _days(a.day, b.day)
        window = max(WINDOW_DAYS.get(a.basis, 4), WINDOW_DAYS.get(b.basis, 4))
        if gap is None or gap > window:
            if not shared:
                return None
            score += W_LATE
        elif a.basis == b.basis == "day":
            score += W_SAME_DAY if gap == 0 else W_NEXT_DAY if gap == 1 else 0.0
    if a.country and b.country and a.country != b.country:
        score += W_OTHER_COUNTRY
    dist = _km(a, b)
    if dist is not None and dist > MAX_KM:
        if not shared and a.town and b.town and a.place != b.place:
            return None  # two towns far apart, no one in common: two incidents
        score += W_FAR
    if a.place and a.place == b.place:
        score += W_SAME_PLACE
    elif a.admin2 and a.admin2 == b.admin2:
        score += W_SAME_ADMIN2
    if dist is not None and dist <= 15.0:
        score += W_NEAR
    wa, wb = set(a.words), set(b.words)
    if wa and wb:
        # weighted Jaccard: a word many stored reports use ("police", "saturday") counts for little
        if weight is None:
            score += W_WORDS * len(wa & wb) / len(wa | wb)
        else:
            score += W_WORDS * sum(map(weight, wa & wb)) / sum(map(weight, wa | wb))
    if a.killed is not None and b.killed is not None and (a.killed or b.killed):
        score += W_SAME_TOLL if a.killed == b.killed else W_OTHER_TOLL
    if a.event_type and a.event_type == b.event_type:
        score += W_SAME_TYPE
    return score


# --------------------------------------------------------------------------- grouping in the store


def _window(key: ReportKey) -> tuple[str, str] | None:
    if not key.day:
        return None
    try:
        day = dt.date.fromisoformat(key.day[:10])
    except ValueError:
        return None
    reach = max(WINDOW_DAYS.values())
    return (day - dt.timedelta(days=reach)).isoformat(), (day + dt.timedelta(days=reach)).isoformat()


def store_keys(conn: Connection, record: Record) -> ReportKey:
    """Store the report key of a newly stored record's main event (and the keys of its other events),
    not yet grouped (part of the caller's transaction); the main key. A document gets its keys once:
    when it is stored, or when a database from before incidents is first grouped."""
    key = report_key(record)
    conn.executemany(
        "INSERT INTO incident_mentions (document_id, event_id, key, incident_id) VALUES (?, ?, ?, NULL)",
        [(key.document, event_id, side.to_json()) for event_id, side in side_keys(record)],
    )
    conn.executemany(
        "INSERT INTO report_words (word, n) VALUES (?, 1)"
        " ON CONFLICT(word) DO UPDATE SET n = report_words.n + 1",
        [(w,) for w in key.words],
    )
    conn.execute(
        "INSERT INTO reports (document_id, incident_id, day, country, key) VALUES (?, NULL, ?, ?, ?)",
        (key.document, (key.day or "")[:10] or None, key.country, key.to_json()),
    )
    conn.executemany(
        "INSERT INTO report_persons (name, document_id) VALUES (?, ?)",
        [(p, key.document) for p in key.persons],
    )
    return key


def forget(conn: Connection, document_id: str) -> None:
    """Remove a document's report keys (part of the caller's transaction), as before `store_keys`:
    its words leave the frequency table, and its incident keeps its other reports."""
    row = conn.execute("SELECT key FROM reports WHERE document_id = ?", (document_id,)).fetchone()
    if row is not None:
        conn.executemany(
            "UPDATE report_words SET n = n - 1 WHERE word = ?",
            [(w,) for w in ReportKey.from_json(row[0]).words],
        )
        conn.execute("DELETE FROM report_words WHERE n <= 0")
    conn.execute("DELETE FROM report_persons WHERE document_id = ?", (document_id,))
    conn.execute("DELETE FROM reports WHERE document_id = ?", (document_id,))
    conn.execute("DELETE FROM incident_mentions WHERE document_id = ?", (document_id,))


def _idf(conn: Connection, words: set[str]) -> Callable[[str], float]:
    """Inverse document frequency of words over the stored reports (smoothed: never below 1)."""
    total = int(conn.execute("SELECT count(*) FROM reports").fetchone()[0])
    known: dict[str, int] = {}
    listed = sorted(words)
    for start in range(0, len(listed), 500):
        chunk = listed[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        known.update(
            conn.execute(f"SELECT word, n FROM report_words WHERE word IN ({marks})", chunk).fetchall()
        )
    return lambda w: math.log((total + 1) / (known.get(w, 0) + 1)) + 1.0


def _best(conn: Connection, key: ReportKey, exclude: str | None = None) -> str | None:
    """The incident (other than ``exclude``) whose closest report is most like ``key``, when it is
    like enough."""
    span = _window(key)
    rows = []
    if span is not None:
        rows = conn.execute(
            "SELECT incident_id, key FROM reports WHERE day BETWEEN ? AND ? AND incident_id IS NOT NULL"
            " AND document_id != ?",
            (span[0], span[1], key.document),
        ).fetchall()
    if key.persons:
        marks = ", ".join("?" * len(key.persons))
        rows += conn.execute(
            "SELECT r.incident_id, r.key FROM report_persons p"
            " JOIN reports r ON r.document_id = p.document_id"
            f" WHERE p.name IN ({marks}) AND r.incident_id IS NOT NULL AND r.document_id != ?",
            (*key.persons, key.document),
        ).fetchall()
    others = [(i, ReportKey.from_json(k)) for i, k in rows if i != exclude]
    if not others:
        return None
    weight = _idf(conn, {w for _i, k in others for w in k.words} | set(key.words))
    per_incident: dict[str, float] = {}
    for incident_id, other in others:
        score = similarity(key, other, weight)
        if score is not None and score > per_incident.get(incident_id, -math.inf):
            per_incident[incident_id] = score
    best: tuple[float, str] | None = None
    for incident_id, score in sorted(per_incident.items()):
        if score >= THRESHOLD and (best is None or score > best[0]):
            best = (score, incident_id)
    return best[1] if best else None


def _new_id(conn: Connection, document_id: str) -> str:
    """The id of an incident a document starts: ``i-`` and its id, unless other reports hold that id
    (a reprocessed document that started an incident and no longer belongs to it)."""
    base = incident_id = "i-" + document_id
    n = 1
    while conn.execute(
        "SELECT 1 FROM reports WHERE incident_id = ? AND document_id != ?", (incident_id, document_id)
    ).fetchone():
        n += 1
        incident_id = f"{base}-{n}"
    return incident_id


def assign(conn: Connection, key: ReportKey) -> str:
    """Put a stored, ungrouped report into the incident it is most like (or a new one); its id. The
    document's other events that are like another incident make it one of that incident's
    ``mentioned_in``."""
    incident_id = _best(conn, key) or _new_id(conn, key.document)
    conn.execute("UPDATE reports SET incident_id = ? WHERE document_id = ?", (incident_id, key.document))
    for event_id, side in conn.execute(
        "SELECT event_id, key FROM incident_mentions WHERE document_id = ?", (key.document,)
    ).fetchall():
        other = _best(conn, ReportKey.from_json(side), exclude=incident_id)
        conn.execute(
            "UPDATE incident_mentions SET incident_id = ? WHERE document_id = ? AND event_id = ?",
            (other, key.document, event_id),
        )
    return incident_id


def group_pending(conn: Connection, progress: Any = None, order: Sequence[str] | None = None) -> int:
    """Group every stored report that has no incident yet, in ingestion order (or in ``order``, a list
    of document ids: benchmarks use it to measure how much the order matters); how many were grouped.
    Documents stored before incidents existed get their report keys first."""
    missing = conn.execute(
        "SELECT d.id, d.record FROM documents d LEFT JOIN reports r ON r.document_id = d.id"
        " WHERE r.document_id IS NULL ORDER BY d.rowid"
    ).fetchall()
    with conn:
        for _doc_id, record_json in missing:
            store_keys(conn, Record.model_validate_json(record_json))
    # in the documents' ingestion order (a reprocessed document keeps its place)
    pending = conn.execute(
        "SELECT r.key FROM reports r JOIN documents d ON d.id = r.document_id"
        " WHERE r.incident_id IS NULL ORDER BY d.rowid"
    ).fetchall()
    if order is not None:
        rank = {doc: n for n, doc in enumerate(order)}
        keyed = [(row, ReportKey.from_json(row[0]).document) for row in pending]
        pending = [row for row, doc in sorted(keyed, key=lambda x: rank.get(x[1], len(rank)))]
    with conn:
        for n, (key_json,) in enumerate(pending, 1):
            assign(conn, ReportKey.from_json(key_json))
            if progress is not None:
                progress(n, len(pending))
    return len(pending)


def rebuild(conn: Connection, progress: Any = None, order: Sequence[str] | None = None) -> int:
    """Forget every grouping and group all reports again, in ingestion order (or ``order``)."""
    with conn:
        conn.execute("UPDATE reports SET incident_id = NULL")
        conn.execute("UPDATE incident_mentions SET incident_id = NULL")
    return group_pending(conn, progress, order)


# --------------------------------------------------------------------------- the incident record


def outlet_of(url: str | None, source: str | None) -> str | None:
    """The outlet of a document: its ``source`` field, else its URL's host (an archive copy's
    original host).

    >>> outlet_of("http://web.archive.org/web/2017/http://www.star-telegram.com/news/x.html", None)
    'star-telegram.com'
    """
    if source:
        return source
    if not url:
        return None
    inner = re.search(r"/web/\d+[a-z_]*/(https?://.+)$", url)
    host = urlsplit(inner.group(1) if inner else url).hostname or ""
    host = host.removeprefix("www.")
    return host or None


def _majority(values: Iterable[Any]) -> Any:
    counted = Counter(v for v in values if v not in (None, ""))
    if not counted:
        return None
    top = max(counted.values())
    return next(v for v in counted if counted[v] == top)  # first seen among the most common


def _contradiction(name: str, reports: Sequence[IncidentReport], value_of: Any) -> Contradiction | None:
    groups: dict[Any, list[IncidentReport]] = defaultdict(list)
    for r in reports:
        v = value_of(r)
        if v is not None:
            groups[v].append(r)
    if len(groups) < 2:
        return None
    return Contradiction(
        field=name,
        values=[
            IncidentValue(
                value=v,
                documents=[r.document for r in rs],
                sources=sorted({s for r in rs for s in (r.speakers or ([r.outlet] if r.outlet else []))}),
            )
            for v, rs in groups.items()
        ],
    )


def _speakers(rec: Record, ev: Event) -> list[str]:
    """Who a document says gives its account of its main event: its claims' sources, by entity name."""
    names = {e.id: e.name for e in rec.entities}
    by_id = {a.id: a for a in rec.attributions}
    out: list[str] = []
    for cid in ev.claims:
        a = by_id.get(cid)
        if a is not None and a.source is not None:
            name = names.get(a.source.entity or "", a.source.text)
            if name not in out:
                out.append(name)
    return out


def build(
    incident_id: str,
    records: Sequence[Record],
    aliases: dict[str, list[str]],
    mentioned_in: Sequence[str] = (),
) -> Incident:
    """The incident record of grouped documents' records (in ingestion order)."""
    reports: list[IncidentReport] = []
    for rec in records:
        doc = rec.document
        ev = rec.events[0] if rec.events else None
        reports.append(
            IncidentReport(
                document=doc.id,
                published=doc.published,
                title=doc.title,
                url=doc.url,
                outlet=outlet_of(doc.url, doc.source),
                event=ev.id if ev else None,
                sub_event_type=ev.sub_event_type if ev else None,
                date=ev.date.value if ev else None,
                location=(ev.location.name if ev else None),
                killed=ev.casualties.killed if ev else None,
                injured=ev.casualties.injured if ev else None,
                status=ev.status if ev else Status.REPORTED,
                speakers=_speakers(rec, ev) if ev else [],
            )
        )
    reports.sort(key=lambda r: (r.published or "9999", r.document))
    main = [rec.events[0] for rec in records if rec.events]
    sub = _majority(ev.sub_event_type for ev in main)
    chosen = next((ev for ev in main if ev.sub_event_type == sub), None)
    date_value = _majority(ev.date.value for ev in main if ev.date.precision == "day") or _majority(
        ev.date.value for ev in main
    )
    date = next((ev.date for ev in main if ev.date.value == date_value), EventDate())
    precise = sorted(
        (ev for ev in main if ev.location.name),
        key=lambda ev: ev.location.geo_precision or 3,
    )
    place = _majority(ev.location.name for ev in precise)
    location = next((ev.location for ev in precise if ev.location.name == place), Location())
    killed = [ev.casualties.killed for ev in main if ev.casualties.killed is not None]
    injured = [ev.casualties.injured for ev in main if ev.casualties.injured is not None]
    latest_toll = next(
        (r.killed for r in reversed(reports) if r.killed is not None), None
    )  # tolls rise as the reports come in
    contradictions = [
        c
        for c in (
            _contradiction("killed", reports, lambda r: _count(r.killed)),
            _contradiction("injured", reports, lambda r: _count(r.injured)),
            _contradiction("date", reports, lambda r: r.date),
            _contradiction("location", reports, lambda r: r.location),
            _contradiction("sub_event_type", reports, lambda r: r.sub_event_type),
        )
        if c is not None
    ]
    statuses = {str(r.status) for r in reports if r.event}
    if statuses & {"denied", "disputed"} and statuses - {"denied"}:
        # one report's party denies what another's asserts ("reported" and "claimed" do not clash)
        clash = _contradiction("status", reports, lambda r: str(r.status) if r.event else None)
        if clash is not None:
            contradictions.append(clash)
    if ("denied" in statuses and statuses - {"denied"}) or "disputed" in statuses:
        status = Status.DISPUTED
    elif statuses == {"denied"}:
        status = Status.DENIED
    elif "confirmed" in statuses:
        status = Status.CONFIRMED
    else:
        status = Status(_majority(str(r.status) for r in reports if r.event) or "reported")
    sources: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in reports:
        if r.outlet:
            sources[(r.outlet, "outlet")].append(r.document)
        for s in r.speakers:
            sources[(s, "speaker")].append(r.document)
    documents = [d for rec in records for d in (rec.document.id, *aliases.get(rec.document.id, []))]
    return Incident(
        id=incident_id,
        documents=documents,
        mentioned_in=list(mentioned_in),
        event_type=chosen.event_type if chosen else EventType.STRATEGIC,
        sub_event_type=chosen.sub_event_type if chosen else SubEventType.OTHER,
        actor1=chosen.actor1.name if chosen else None,
        actor2=chosen.actor2.name if chosen and chosen.actor2 else None,
        date=date,
        location=location,
        fatalities=_count(latest_toll) or 0,
        casualties=Casualties(
            killed=_span(killed),
            injured=_span(injured),
        ),
        status=status,
        sources=[
            IncidentSource(name=name, kind=kind, documents=sorted(set(docs)))  # type: ignore[arg-type]
            for (name, kind), docs in sorted(sources.items())
        ],
        contradictions=contradictions,
        first_reported=reports[0].published if reports else None,
        last_reported=reports[-1].published if reports else None,
        reports=reports,
    )


def _span(counts: list[Count]) -> Count | None:
    """The range the reports' figures cover: the lowest minimum to the highest maximum (open when
    any figure is open-ended: "at least 5")."""
    if not counts:
        return None
    high = None if any(c.max is None for c in counts) else max(c.max for c in counts if c.max is not None)
    return Count(min=min(c.min for c in counts), max=high)


def read(conn: Connection, since: str | None = None, country: str | None = None) -> list[Incident]:
    """Every incident in the store (grouping what is not grouped yet), oldest first."""
    out = _built(conn, None)
    if since:
        out = [i for i in out if (i.date.value or i.first_reported or "") >= since]
    if country:
        out = [i for i in out if (i.location.country or "").upper() == country.upper()]
    out.sort(key=lambda i: (i.date.value or i.first_reported or "9999", i.id))
    return out


def read_one(conn: Connection, incident_id: str) -> Incident | None:
    """One incident, built from its own documents only; None when there is no such incident."""
    found = _built(conn, incident_id)
    return found[0] if found else None


def _built(conn: Connection, incident_id: str | None) -> list[Incident]:
    where, args = ("r.incident_id = ?", [incident_id]) if incident_id else ("r.incident_id IS NOT NULL", [])
    rows = conn.execute(
        "SELECT r.incident_id, d.id, d.record FROM reports r JOIN documents d ON d.id = r.document_id"
        f" WHERE {where} ORDER BY d.rowid",
        args,
    ).fetchall()
    aliases: dict[str, list[str]] = defaultdict(list)
    for alias, doc_id in conn.execute("SELECT alias, document_id FROM aliases ORDER BY alias"):
        aliases[doc_id].append(alias)
    members: dict[str, list[Record]] = defaultdict(list)
    for found_id, _doc_id, record_json in rows:
        members[found_id].append(Record.model_validate_json(record_json))
    mentioned: dict[str, list[str]] = defaultdict(list)
    for doc_id, found_id in conn.execute(
        "SELECT m.document_id, m.incident_id FROM incident_mentions m"
        " JOIN documents d ON d.id = m.document_id"
        f" WHERE m.incident_id {'= ?' if incident_id else 'IS NOT NULL'} ORDER BY d.rowid, m.rowid",
        args,
    ):
        if doc_id not in mentioned[found_id]:
            mentioned[found_id].append(doc_id)
    return [build(i, recs, aliases, mentioned.get(i, [])) for i, recs in members.items()]
