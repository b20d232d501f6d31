"""Writing records and stored events: json, jsonl, csv (ACLED columns) and a rich table.

>>> import io
>>> out = io.StringIO()
>>> write_csv_rows([], out)
>>> out.getvalue().split(",")[:3]
['event_id_cnty', 'event_date', 'year']
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TextIO

from sitroom import acled
from sitroom.errors import SitroomError
from sitroom.gazetteer.tables import ACLED_COUNTRY_NAMES
from sitroom.model import DocumentInfo, Event, Incident, Record

if TYPE_CHECKING:
    from sitroom.store import StoredEvent


class Format(StrEnum):
    JSON = "json"
    JSONL = "jsonl"
    TABLE = "table"
    CSV = "csv"


#: The CSV columns: ACLED's export columns in ACLED's order, then sitroom's own (see sitroom.acled).
ACLED_COLUMNS = acled.COLUMNS


_COUNTRY_ALIASES = {name.lower(): code for code, name in ACLED_COUNTRY_NAMES.items()} | {
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of the congo": "CD",
    "congo-kinshasa": "CD",
    "congo-brazzaville": "CG",
    "cote d'ivoire": "CI",
    "uk": "GB",
    "usa": "US",
    "burma": "MM",
}


@functools.cache
def country_name(code: str | None) -> str | None:
    """The English short name of an ISO 3166 alpha-2 code (as ACLED's ``country`` column spells it).

    >>> country_name("KE"), country_name(None)
    ('Kenya', None)
    """
    if not code:
        return None
    import pycountry

    if code.upper() in ACLED_COUNTRY_NAMES:
        return ACLED_COUNTRY_NAMES[code.upper()]
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def country_code(value: str) -> str:
    """The alpha-2 code for a country name or ISO code (alpha-2 or alpha-3).

    >>> country_code("Kenya"), country_code("ken"), country_code("KE")
    ('KE', 'KE', 'KE')
    """
    import pycountry

    if value.strip().lower() in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[value.strip().lower()]
    try:
        return str(pycountry.countries.lookup(value.strip()).alpha_2)
    except LookupError:
        pass
    # A part of one country's name ("Korea, Democratic" is rare; "Bolivia" is common) names it if unique.
    query = value.strip().lower()
    matches = sorted(
        {
            str(c.alpha_2)
            for c in pycountry.countries
            if len(query) > 3
            and any(
                query in str(getattr(c, attr, "")).lower()
                for attr in ("name", "common_name", "official_name")
            )
        }
    )
    if len(matches) == 1:
        return matches[0]
    hint = (
        f"it matches several: {', '.join(matches)}; pass one of these codes"
        if matches
        else "pass a country name or ISO code, e.g. --country Kenya or --country KE"
    )
    raise SitroomError("E301", f"unknown country {value!r}", hint)


def acled_row(event: Event, document: DocumentInfo) -> dict[str, Any]:
    """One event as a row of ACLED's export columns (and sitroom's after them)."""
    return acled.row(event, document, country_name(event.location.country))


def write_csv_rows(pairs: Iterable[tuple[Event, DocumentInfo]], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for event, document in pairs:
        writer.writerow(spreadsheet_safe(acled_row(event, document)))


#: line separators that JSON allows raw inside strings but line readers (Python's ``splitlines``) split on
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"})


def json_line(data: Any) -> str:
    """One JSON value on one line, newline included: non-ASCII stays readable, but U+2028, U+2029 and
    U+0085 are escaped so that no line reader splits a record.

    >>> json_line({"text": "a\u2028b"})
    '{"text": "a\\\\u2028b"}\\n'
    """
    return json.dumps(data, ensure_ascii=False).translate(_LINE_BREAKS) + "\n"


def record_json(record: Record, indent: int | None = None) -> str:
    """A record as JSON text, serialised straight from the model (no Python dict of a long report's
    record is built); ``document.text`` only when the record carries it; line separators escaped."""
    return "".join(record_json_chunks(record, indent))


def record_json_chunks(record: Record, indent: int | None = None) -> Iterator[str]:
    """`record_json` a piece at a time: a long text's record (a `CompactRecord`) item by item, so
    that writing it never holds its whole JSON."""
    from sitroom.pieces import CompactRecord

    exclude = {"document": {"text"}} if record.document.text is None else None
    if isinstance(record, CompactRecord):
        for chunk in record.json_chunks(indent=indent, exclude=exclude):
            yield chunk.translate(_LINE_BREAKS)
    else:
        yield record.model_dump_json(indent=indent, exclude=exclude).translate(_LINE_BREAKS)


def _write_record(out: TextIO, record: Record, indent: int | None = None, pad: str = "") -> None:
    for chunk in record_json_chunks(record, indent):
        out.write(chunk.replace("\n", "\n" + pad) if pad else chunk)


# --- records (sitroom extract) ---------------------------------------------------------------------------


class RecordWriter:
    """Writes records as they come: jsonl and csv stream, json waits to know one object from an array.

    ``several`` says whether the input held more than one document: json then prints an array even when
    only one record came out, so that the shape depends on the input, not on which documents failed.
    """

    def __init__(self, fmt: Format, out: TextIO) -> None:
        self.fmt, self.out = Format(fmt), out
        self._held: list[Record] = []
        self._csv: Any = None

    def write(self, record: Record) -> None:
        if self.fmt is Format.JSONL:
            _write_record(self.out, record)
            self.out.write("\n")
            self.out.flush()
        elif self.fmt is Format.CSV:
            if self._csv is None:
                self._csv = csv.DictWriter(self.out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
                self._csv.writeheader()
            for event in record.events:
                self._csv.writerow(spreadsheet_safe(acled_row(event, record.document)))
            self.out.flush()
        else:
            self._held.append(record)

    def close(self, several: bool) -> None:
        if self.fmt is Format.JSON:
            if len(self._held) == 1 and not several:
                _write_record(self.out, self._held[0], indent=2)
                self.out.write("\n")
            elif self._held or several:
                # each record's own indented JSON, one level deeper: no Python dict of a record is built
                self.out.write("[" if self._held else "[]\n")
                for n, record in enumerate(self._held):
                    self.out.write(",\n  " if n else "\n  ")
                    _write_record(self.out, record, indent=2, pad="  ")
                if self._held:
                    self.out.write("\n]\n")
        elif self.fmt is Format.TABLE:
            print_records_table(self._held, self.out)
        elif self.fmt is Format.CSV and self._csv is None:
            write_csv_rows([], self.out)


def _console(out: TextIO) -> Any:
    from rich.console import Console

    # A table piped to a file keeps a readable width instead of rich's 80-column default.
    return Console(file=out, width=None if out.isatty() else 160)


def print_records_table(records: Sequence[Record], out: TextIO) -> None:
    from rich.table import Table

    table = Table(title=f"{len(records)} document(s)")
    for column in ("document", "published", "lang", "title", "events", "main event", "location"):
        table.add_column(column, overflow="fold")
    for rec in records:
        doc, main = rec.document, rec.events[0] if rec.events else None
        table.add_row(
            doc.id,
            (doc.published or "") + (" (inferred)" if doc.published_inferred else ""),
            doc.language,
            doc.title or "",
            str(len(rec.events)),
            f"{main.sub_event_type}: {main.actor1.name}" if main else "",
            (main.location.name or "") if main else "",
        )
    _console(out).print(table)


# --- stored events (sitroom events) -----------------------------------------------------------------------


class EventFormat(StrEnum):
    """What `sitroom events` writes: `Format`'s, and GeoJSON and Parquet."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    GEOJSON = "geojson"
    PARQUET = "parquet"


def write_events(rows: Sequence[StoredEvent], fmt: Format | EventFormat, out: TextIO) -> None:
    """Stored events as a json array, jsonl, ACLED csv, a GeoJSON FeatureCollection, Parquet (the
    CSV's columns, typed; to ``out``'s binary buffer) or a table."""
    if fmt == EventFormat.GEOJSON:
        write_features([event_feature(r) for r in rows], out)
        return
    if fmt == EventFormat.PARQUET:
        from sitroom.parquet import write_events_table

        out.flush()
        write_events_table([(r.event, r.document) for r in rows], out.buffer)  # type: ignore[attr-defined]
        return
    fmt = Format(fmt)
    if fmt is Format.JSON:
        out.write(json.dumps([r.to_dict() for r in rows], indent=2, ensure_ascii=False) + "\n")
    elif fmt is Format.JSONL:
        for row in rows:
            out.write(json_line(row.to_dict()))
    elif fmt is Format.CSV:
        write_csv_rows(((r.event, r.document) for r in rows), out)
    else:
        from rich.table import Table

        table = Table(title=f"{len(rows)} event(s)")
        for column in (
            "date",
            "type",
            "sub-event",
            "actor1",
            "actor2",
            "location",
            "country",
            "fatalities",
            "status",
            "document",
        ):
            table.add_column(column, overflow="fold")
        for r in rows:
            ev = r.event
            table.add_row(
                ev.date.value or r.document.published or "",
                ev.event_type,
                ev.sub_event_type,
                ev.actor1.name,
                ev.actor2.name if ev.actor2 else "",
                ev.location.name or "",
                country_name(ev.location.country) or "",
                str(ev.fatalities),
                ev.status,
                r.document.id,
            )
        _console(out).print(table)


def write_features(features: list[dict[str, Any]], out: TextIO) -> None:
    """GeoJSON features as one FeatureCollection (line separators escaped, as in every JSON writer)."""
    collection = {"type": "FeatureCollection", "features": features}
    out.write(json.dumps(collection, ensure_ascii=False).translate(_LINE_BREAKS) + "\n")


def event_feature(row: StoredEvent) -> dict[str, Any]:
    """A GeoJSON feature of a stored event: ACLED's columns as properties (geometry null without
    coordinates)."""
    loc = row.event.location
    geometry = (
        None if loc.lat is None or loc.lon is None else {"type": "Point", "coordinates": [loc.lon, loc.lat]}
    )
    return {
        "type": "Feature",
        "id": f"{row.document.id}/{row.event.id}",
        "geometry": geometry,
        "properties": acled_row(row.event, row.document),
    }


class IncidentFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    GEOJSON = "geojson"


#: CSV columns of an incident: ACLED's names where ACLED has the field, then the incident's own.
INCIDENT_COLUMNS = (
    "incident_id",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "status",
    "documents",
    "sources",
    "contradictions",
    "first_reported",
    "last_reported",
)


def incident_row(inc: Incident) -> dict[str, Any]:
    """One CSV row of an incident (lists joined with ``;``)."""
    loc, cas = inc.location, inc.casualties
    return {
        "incident_id": inc.id,
        "event_date": inc.date.value or "",
        "event_type": inc.event_type,
        "sub_event_type": inc.sub_event_type,
        "actor1": inc.actor1 or "",
        "actor2": inc.actor2 or "",
        "country": country_name(loc.country) or "",
        "admin1": loc.admin1 or "",
        "admin2": loc.admin2 or "",
        "location": loc.name or "",
        "latitude": "" if loc.lat is None else loc.lat,
        "longitude": "" if loc.lon is None else loc.lon,
        "geo_precision": loc.geo_precision or "",
        "fatalities": inc.fatalities,
        "killed_min": cas.killed.min if cas.killed else "",
        "killed_max": "" if cas.killed is None or cas.killed.max is None else cas.killed.max,
        "injured_min": cas.injured.min if cas.injured else "",
        "injured_max": "" if cas.injured is None or cas.injured.max is None else cas.injured.max,
        "status": inc.status,
        "documents": ";".join(inc.documents),
        "sources": ";".join(s.name for s in inc.sources),
        "contradictions": ";".join(c.field for c in inc.contradictions),
        "first_reported": inc.first_reported or "",
        "last_reported": inc.last_reported or "",
    }


def incident_feature(inc: Incident) -> dict[str, Any]:
    """A GeoJSON feature of an incident (geometry null when its place has no coordinates)."""
    loc = inc.location
    geometry = (
        None if loc.lat is None or loc.lon is None else {"type": "Point", "coordinates": [loc.lon, loc.lat]}
    )
    return {"type": "Feature", "id": inc.id, "geometry": geometry, "properties": incident_row(inc)}


def write_incidents(incidents: Sequence[Incident], fmt: IncidentFormat, out: TextIO) -> None:
    """Incidents as a table, a json array, jsonl (one a line), csv or a GeoJSON FeatureCollection."""
    fmt = IncidentFormat(fmt)
    if fmt is IncidentFormat.JSON:
        out.write(
            json.dumps([i.model_dump(mode="json") for i in incidents], indent=2, ensure_ascii=False) + "\n"
        )
    elif fmt is IncidentFormat.JSONL:
        for inc in incidents:
            out.write(json_line(inc.model_dump(mode="json")))
    elif fmt is IncidentFormat.CSV:
        writer = csv.DictWriter(out, fieldnames=INCIDENT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for inc in incidents:
            writer.writerow(spreadsheet_safe(incident_row(inc)))
    elif fmt is IncidentFormat.GEOJSON:
        write_features([incident_feature(i) for i in incidents], out)
    else:
        from rich.table import Table

        table = Table(title=f"{len(incidents)} incident(s)")
        for column in (
            "date",
            "sub-event",
            "location",
            "country",
            "killed",
            "status",
            "reports",
            "contradicts",
        ):
            table.add_column(column, overflow="fold")
        for inc in incidents:
            k = inc.casualties.killed
            killed = (
                ""
                if k is None
                else str(k.min)
                if k.max == k.min
                else f"{k.min}-{k.max if k.max is not None else ''}"
            )
            table.add_row(
                inc.date.value or inc.first_reported or "",
                inc.sub_event_type,
                inc.location.name or "",
                country_name(inc.location.country) or "",
                killed,
                inc.status,
                str(len(inc.reports)),
                ", ".join(c.field for c in inc.contradictions),
            )
        _console(out).print(table)


def spreadsheet_safe(row: dict[str, Any]) -> dict[str, Any]:
    """A text cell that a spreadsheet would run as a formula (=, +, -, @, tab or a line break first)
    gets a leading quote (OWASP's CSV-injection rule); numbers stay numbers; carriage returns become
    line breaks that the writer quotes.

    >>> spreadsheet_safe({"a": "=HYPERLINK(1)", "b": -3, "c": "Kano", "d": "-1.5", "e": "-cmd"})
    {'a': "'=HYPERLINK(1)", 'b': -3, 'c': 'Kano', 'd': '-1.5', 'e': "'-cmd"}
    """
    return {k: _safe_cell(v) if isinstance(v, str) else v for k, v in row.items()}


def _safe_cell(cell: str) -> str:
    # a bare carriage return is a line break to CSV readers but not quoted by Python's csv writer
    # (lines end in "\n" here): written as "\n", the cell is quoted and stays one cell
    cell = cell.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + cell if _formula(cell) else cell


def _formula(cell: str) -> bool:
    if cell[:1] not in {"=", "+", "-", "@", "\t", "\r", "\n"}:
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False
