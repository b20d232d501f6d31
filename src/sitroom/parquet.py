"""Records as Parquet: a dataset folder that pandas, Dask, DuckDB, Spark and R read as one table.

``DIR/events/part-NNNNN.parquet`` holds one row per event in the CSV's columns (ACLED's, then
sitroom's), typed (numbers as numbers, an unknown as null, not as ""); ``DIR/documents/part-NNNNN.parquet``
one row per document with its metadata and its whole record as JSON. Each batch of documents writes
its own part, so that Dask workers write in parallel; a part is written to a temporary name and
renamed, so a reader never sees half of one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
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


def _events_table(pairs: Iterable[tuple[Event, DocumentInfo]]) -> Any:
    import pyarrow as pa

    from sitroom.export import acled_row

    events_schema, _ = _schemas()
    return pa.Table.from_pylist([_typed(acled_row(ev, doc)) for ev, doc in pairs], schema=events_schema)


def write_part(records: Sequence[Record], out: str | os.PathLike[str], part: int) -> None:
    """Write a batch's records as part ``part`` of the dataset in ``out``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from sitroom.export import record_json

    _, documents_schema = _schemas()
    events = _events_table((ev, rec.document) for rec in records for ev in rec.events)
    documents = pa.Table.from_pylist(
        [
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
        ],
        schema=documents_schema,
    )
    for name, table in (("events", events), ("documents", documents)):
        folder = Path(out) / name
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"part-{part:05d}.parquet"
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        pq.write_table(table, partial)
        partial.replace(target)


def write_events_table(pairs: Iterable[tuple[Event, DocumentInfo]], out: BinaryIO) -> None:
    """Events as one Parquet file (`sitroom events --format parquet > events.parquet`)."""
    import pyarrow.parquet as pq

    pq.write_table(_events_table(pairs), out)
