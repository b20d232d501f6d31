"""Records as Parquet: a dataset folder that pandas, Dask, DuckDB, Spark and R read as one table.

``DIR/events/part-NNNNN.parquet`` holds one row per event in the CSV's columns (ACLED's, then
sitroom's), typed (numbers as numbers, an unknown as null, not as ""); ``DIR/documents/part-NNNNN.parquet``
one row per document with its metadata and its whole record as JSON. Each batch of documents writes
its own part, so that Dask workers write in parallel; a part is written to a temporary name and
renamed, so a reader never sees half of one.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from sitroom.acled import COLUMNS
from sitroom.model import DocumentInfo, Event, Record

#: columns that hold numbers (everything else is text)
_INTEGERS = frozenset({"time_precision", "inter1", "inter2", "interaction", "geo_precision", "fatalities"})
_FLOATS = frozenset({"latitude", "longitude", "confidence"})
DOCUMENT_COLUMNS = ("document_id", "url", "source", "title", "published", "language", "events", "record")


def _schemas() -> tuple[Any, Any]:
    import pyarrow as pa

    def kind(name: str) -> Any:
        return pa.int64() if name in _INTEGERS else pa.float64() if name in _FLOATS else pa.string()

    events = pa.schema([(name, kind(name)) for name in COLUMNS])
    documents = pa.schema(
        [(name, pa.int64() if name == "events" else pa.string()) for name in DOCUMENT_COLUMNS]
    )
    return events, documents


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name in COLUMNS:
        value = row.get(name)
        if name in _INTEGERS or name in _FLOATS:
            out[name] = None if value in ("", None) else value
        else:
            out[name] = "" if value is None else str(value)
    return out


def write_part(records: Sequence[Record], out: str | os.PathLike[str], part: int) -> int:
    """Write a batch's records as part ``part`` of the dataset in ``out``; the number of events."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from sitroom.export import acled_row, record_json

    events_schema, documents_schema = _schemas()
    events = [_typed(acled_row(ev, rec.document)) for rec in records for ev in rec.events]
    documents = [
        {
            "document_id": rec.document.id,
            "url": rec.document.url,
            "source": rec.document.source,
            "title": rec.document.title,
            "published": rec.document.published,
            "language": rec.document.language,
            "events": len(rec.events),
            "record": record_json(rec),
        }
        for rec in records
    ]
    for name, rows, schema in (("events", events, events_schema), ("documents", documents, documents_schema)):
        folder = Path(out) / name
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"part-{part:05d}.parquet"
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), partial)
        partial.replace(target)
    return len(events)


def write_events_table(pairs: Sequence[tuple[Event, DocumentInfo]], out: BinaryIO) -> None:
    """Events as one Parquet file (`sitroom events --format parquet > events.parquet`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from sitroom.export import acled_row

    events_schema, _ = _schemas()
    rows = [_typed(acled_row(event, document)) for event, document in pairs]
    pq.write_table(pa.Table.from_pylist(rows, schema=events_schema), out)
