"""Export formats: json vs jsonl shapes, ACLED csv columns, tables."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from sitroom import export
from sitroom.errors import SitroomError
from sitroom.export import ACLED_COLUMNS, Format, RecordWriter
from sitroom.store import StoredEvent

Factory = Callable[..., Any]

ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,"
    "admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,"
    "tags,timestamp,status,claims,confidence,document_id,event_id"
)


def _write(fmt: Format, records: list[Any], several: bool) -> str:
    out = io.StringIO()
    writer = RecordWriter(fmt, out)
    for record in records:
        writer.write(record)
    writer.close(several=several)
    return out.getvalue()


def test_export_json_one_document_is_an_object(record_factory: Factory) -> None:
    data = json.loads(_write(Format.JSON, [record_factory("a")], several=False))
    assert isinstance(data, dict) and data["document"]["id"] == "a"
    assert "text" not in data["document"]  # only with --with-text


def test_export_json_several_documents_is_an_array(record_factory: Factory) -> None:
    data = json.loads(_write(Format.JSON, [record_factory("a"), record_factory("b")], several=True))
    assert [d["document"]["id"] for d in data] == ["a", "b"]
    # The shape follows the input: several inputs give an array even if only one record came out.
    assert isinstance(json.loads(_write(Format.JSON, [record_factory("a")], several=True)), list)


def test_export_jsonl_one_line_per_document(record_factory: Factory) -> None:
    lines = _write(Format.JSONL, [record_factory("a"), record_factory("b")], several=True).splitlines()
    assert [json.loads(line)["document"]["id"] for line in lines] == ["a", "b"]


def test_export_csv_acled_columns(record_factory: Factory, event_factory: Factory) -> None:
    record = record_factory(
        "doc9",
        source=None,
        url="https://news.test/9",
        events=[event_factory("e1"), event_factory("e2", actor2=None, country=None, location=None)],
    )
    text = _write(Format.CSV, [record], several=False)
    assert text.splitlines()[0] == ACLED_HEADER
    assert tuple(text.splitlines()[0].split(",")) == ACLED_COLUMNS
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2  # one row per event
    first = rows[0]
    assert first["country"] == "Kenya"  # the name, not the code
    assert first["event_type"] == "Battles" and first["sub_event_type"] == "Armed clash"
    assert first["notes"] == "Soldiers clashed with militants near Mandera."
    assert first["source"] == "https://news.test/9"
    assert (first["latitude"], first["longitude"], first["geo_precision"]) == ("3.94", "41.86", "1")
    assert first["fatalities"] == "3" and first["event_date"] == "2024-03-01"
    assert rows[1]["actor2"] == "" and rows[1]["country"] == ""


def test_export_csv_header_without_events(record_factory: Factory) -> None:
    assert _write(Format.CSV, [record_factory("a", events=[])], several=False) == ACLED_HEADER + "\n"
    assert _write(Format.CSV, [], several=False) == ACLED_HEADER + "\n"


def test_export_csv_source_falls_back_to_id(record_factory: Factory) -> None:
    rows = list(
        csv.DictReader(
            io.StringIO(_write(Format.CSV, [record_factory("only-id", source=None)], several=False))
        )
    )
    assert rows[0]["source"] == "only-id"


def test_export_table_lists_documents(record_factory: Factory) -> None:
    text = _write(Format.TABLE, [record_factory("doc-table")], several=False)
    assert "doc-table" in text and "Armed clash" in text


def test_export_events_formats(record_factory: Factory) -> None:
    record = record_factory("d1")
    rows = [StoredEvent(record.document, record.events[0])]
    out = io.StringIO()
    export.write_events(rows, Format.JSON, out)
    (event,) = json.loads(out.getvalue())
    assert event["id"] == "ev1" and event["document"]["id"] == "d1"
    out = io.StringIO()
    export.write_events(rows, Format.JSONL, out)
    assert json.loads(out.getvalue())["document"]["source"] == "Daily Nation"
    out = io.StringIO()
    export.write_events(rows, Format.CSV, out)
    assert out.getvalue().splitlines()[0] == ACLED_HEADER
    out = io.StringIO()
    export.write_events(rows, Format.TABLE, out)
    assert "Kenya" in out.getvalue()


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Kenya", "KE"),
        ("ke", "KE"),
        ("KEN", "KE"),
        ("Syria", "SY"),
        ("Syrian Arab Republic", "SY"),
        ("United Kingdom", "GB"),
    ],
)
def test_export_country_code(value: str, code: str) -> None:
    assert export.country_code(value) == code


def test_export_country_code_unknown() -> None:
    with pytest.raises(SitroomError, match="unknown country 'Atlantis'"):
        export.country_code("Atlantis")


def test_export_country_name_prefers_common_name() -> None:
    assert export.country_name("SY") == "Syria"
    assert export.country_name("XX") == "XX"


@pytest.mark.parametrize(
    ("code", "name"),
    [("CD", "Democratic Republic of Congo"), ("TR", "Turkey"), ("RU", "Russia"), ("XK", "Kosovo")],
)
def test_export_country_name_acled_spelling(code: str, name: str) -> None:
    assert export.country_name(code) == name
    assert export.country_code(name) == code
