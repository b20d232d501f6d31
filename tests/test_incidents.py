"""Incidents: reports of one event from many documents grouped, merged, with sources and contradictions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitroom import cli, incidents
from sitroom.incidents import ReportKey, similarity
from sitroom.pipeline import extract
from sitroom.store import Store, open_store

DAYTON_1 = (
    "Two men were shot dead outside a bar on Main Street in Dayton, Ohio, on Saturday night, police said. "
    "Police identified the victims as Marcus Hill and Jerome Baker."
)
DAYTON_2 = (
    "Police in Dayton, Ohio, said three men were killed in a shooting outside a Main Street bar on Saturday. "
    "Marcus Hill and Jerome Baker were among the victims."
)
PORTLAND = "A woman was stabbed to death in Portland, Oregon, on Tuesday, police said."
AKRON = "A man was shot and wounded on Elm Street in Akron, Ohio, on Saturday night, police said."


def _key(**kw: Any) -> ReportKey:
    base: dict[str, Any] = {"document": "x", "day": "2016-05-01", "basis": "day", "country": "US"}
    return ReportKey(**(base | kw))


def test_similarity_rules_out_far_days_and_far_towns_unless_a_person_ties_them() -> None:
    a = _key(place="dayton", lat=39.76, lon=-84.19, town=True, words=["shot", "bar"])
    assert similarity(a, _key(place="dayton", lat=39.76, lon=-84.19, day="2016-05-20")) is None
    portland = _key(place="portland", lat=45.52, lon=-122.68, town=True)
    assert similarity(a, portland) is None  # two towns 3,000 km apart
    # a week-precise date reaches further than a day-precise one
    assert similarity(a, _key(place="dayton", day="2016-05-06", basis="week")) is not None
    # a later story (a trial) that names the same victim in the same town is tied to it
    victim = _key(place="dayton", town=True, persons=["hill"], lat=39.76, lon=-84.19)
    trial = _key(place="dayton", town=True, persons=["hill"], lat=39.76, lon=-84.19, day="2016-09-12")
    assert (similarity(victim, trial) or 0) >= incidents.THRESHOLD
    # another country counts against a pair (a place read wrongly), it does not rule it out
    same, abroad = similarity(a, _key(place="dayton")), similarity(a, _key(place="dayton", country="CA"))
    assert same is not None and abroad is not None and abroad < same


def test_similarity_adds_place_day_people_words_and_toll() -> None:
    a = _key(place="dayton", persons=["hill"], words=["shot", "bar", "main", "street"], killed=2)
    same = _key(place="dayton", persons=["hill"], words=["shot", "bar", "main"], killed=2)
    other = _key(place="dayton", words=["fire", "house"], killed=0, day="2016-05-03")
    s_same, s_other = similarity(a, same), similarity(a, other)
    assert s_same is not None and s_other is not None
    assert s_same >= incidents.THRESHOLD > s_other


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A new store on each backend (SQLite and PostgreSQL)."""
    with open_store(store_url) as s:
        yield s


def _add(
    store: Store, doc_id: str, text: str, published: str, url: str | None = None, group: bool = True
) -> bool:
    record = extract(text, published=published, id=doc_id, url=url)
    return store.add(record, text, group=group)


def _stories(store: Store, group: bool = True) -> None:
    _add(
        store,
        "d1",
        DAYTON_1,
        "2016-05-02",
        "http://web.archive.org/web/2016/http://www.daytondailynews.com/a",
        group,
    )
    _add(store, "d2", PORTLAND, "2016-05-04", "https://www.oregonlive.com/b", group)
    _add(store, "d3", DAYTON_2, "2016-05-03", "https://www.whio.com/c", group)
    _add(store, "d4", AKRON, "2016-05-02", "https://www.ohio.com/d", group)


def test_reports_of_one_shooting_become_one_incident(store: Store) -> None:
    _stories(store)
    found = {tuple(i.documents) for i in store.incidents()}
    assert found == {("d1", "d3"), ("d2",), ("d4",)}


def test_incident_merges_fields_with_sources_and_contradictions(store: Store) -> None:
    _stories(store)
    dayton = next(i for i in store.incidents() if "d1" in i.documents)
    assert dayton.location.name == "Dayton" and dayton.location.admin1 == "Ohio"
    assert dayton.date.value == "2016-04-30"
    assert dayton.first_reported == "2016-05-02" and dayton.last_reported == "2016-05-03"
    assert [r.document for r in dayton.reports] == ["d1", "d3"]
    # two killed per the first report, three per the second: a contradiction with both sides
    killed = next(c for c in dayton.contradictions if c.field == "killed")
    assert {(v.value, tuple(v.documents)) for v in killed.values} == {(2, ("d1",)), (3, ("d3",))}
    assert dayton.casualties.killed is not None and (
        dayton.casualties.killed.min,
        dayton.casualties.killed.max,
    ) == (2, 3)
    assert dayton.fatalities == 3  # the latest report's toll
    outlets = {s.name for s in dayton.sources if s.kind == "outlet"}
    assert outlets == {"daytondailynews.com", "whio.com"}  # an archive copy counts as its original outlet


def test_grouping_is_incremental_deterministic_and_idempotent(store: Store, tmp_path: Path) -> None:
    _stories(store)
    first = [i.model_dump() for i in store.incidents()]
    # the same texts again, under new ids: aliases, nothing stored or regrouped
    assert _add(store, "d1-copy", DAYTON_1, "2016-05-02") is False
    again = store.incidents()
    assert [i.id for i in again] == [i["id"] for i in first]
    assert "d1-copy" in next(i for i in again if "d1" in i.documents).documents
    # stored without grouping, then grouped: the same incidents
    with open_store(tmp_path / "later.db") as later:
        _stories(later, group=False)
        assert later.conn.execute("SELECT count(*) FROM reports WHERE incident_id IS NULL").fetchone()[0] == 4
        assert {tuple(i.documents) for i in later.incidents()} == {("d1", "d3"), ("d2",), ("d4",)}
        assert later.group_incidents(rebuild=True) == 4
        assert {tuple(i.documents) for i in later.incidents()} == {("d1", "d3"), ("d2",), ("d4",)}


def test_documents_stored_before_incidents_get_their_keys(store: Store) -> None:
    _stories(store)
    store.conn.execute("DELETE FROM reports")  # as in a database made before schema version 2
    store.conn.commit()
    assert {tuple(i.documents) for i in store.incidents()} == {("d1", "d3"), ("d2",), ("d4",)}


def test_a_denial_against_an_assertion_is_a_status_contradiction() -> None:
    said = extract(
        "Rebels said they shot down an army helicopter near Goma on Monday.", published="2016-05-03", id="r1"
    )
    denied = extract(
        "The army denied that rebels shot down a helicopter near Goma on Monday.",
        published="2016-05-03",
        id="r2",
    )
    inc = incidents.build("i-r1", [said, denied], {})
    assert inc.status == "disputed"
    assert any(c.field == "status" for c in inc.contradictions)


# --- the command --------------------------------------------------------------------------------------


def _ingest(runner: Any, tmp_path: Path, *extra: str) -> Path:
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "d1", "text": DAYTON_1, "published": "2016-05-02"},
        {"id": "d2", "text": PORTLAND, "published": "2016-05-04"},
        {"id": "d3", "text": DAYTON_2, "published": "2016-05-03"},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "cli.db"
    result = runner.invoke(cli.app, ["ingest", "--db", str(db), str(src), *extra])
    assert result.exit_code == 0, result.stderr
    return db


def test_cli_incidents_jsonl_lists_every_incident_with_its_documents(runner: Any, tmp_path: Path) -> None:
    db = _ingest(runner, tmp_path)
    result = runner.invoke(cli.app, ["incidents", "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(tuple(x["documents"]) for x in lines) == [("d1", "d3"), ("d2",)]
    assert all(x["id"] and "contradictions" in x and "sources" in x for x in lines)


def test_cli_incidents_formats_and_filters(runner: Any, tmp_path: Path) -> None:
    db = _ingest(runner, tmp_path, "--no-group")
    geo = json.loads(runner.invoke(cli.app, ["incidents", "--db", str(db), "-f", "geojson"]).stdout)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2
    assert all(f["geometry"]["type"] == "Point" for f in geo["features"])
    csv_out = runner.invoke(cli.app, ["incidents", "--db", str(db), "-f", "csv"]).stdout.splitlines()
    assert csv_out[0].startswith("incident_id,event_date,event_type,sub_event_type") and len(csv_out) == 3
    table = runner.invoke(cli.app, ["incidents", "--db", str(db)])
    assert table.exit_code == 0 and "2 incident(s)" in table.stdout
    later = runner.invoke(cli.app, ["incidents", "--db", str(db), "--since", "2016-05-02", "-f", "jsonl"])
    assert [json.loads(x)["documents"] for x in later.stdout.splitlines()] == [["d2"]]
    none = runner.invoke(cli.app, ["incidents", "--db", str(db), "--country", "Kenya", "-f", "jsonl"])
    assert none.exit_code == 0 and none.stdout == ""
    rebuilt = runner.invoke(cli.app, ["incidents", "--db", str(db), "--rebuild", "-f", "jsonl"])
    assert rebuilt.exit_code == 0 and "3 reports regrouped" in rebuilt.stderr


def test_cli_incidents_without_a_database_is_a_clear_error(runner: Any, tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["incidents", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no database" in result.stderr and "Traceback" not in result.stderr


def test_cli_schema_of_an_incident(runner: Any) -> None:
    schema = json.loads(runner.invoke(cli.app, ["schema", "incident"]).stdout)
    assert schema["title"] == "Incident"
    assert {"documents", "contradictions", "sources", "reports"} <= set(schema["properties"])


def test_csv_cells_never_run_as_formulas() -> None:
    from sitroom.export import spreadsheet_safe

    assert spreadsheet_safe({"a": "=cmd|' /C calc'!A0", "b": "@SUM(1)"}) == {
        "a": "'=cmd|' /C calc'!A0",
        "b": "'@SUM(1)",
    }


def test_a_story_that_recalls_an_earlier_incident_is_listed_under_mentioned_in(store: Store) -> None:
    _add(store, "d1", DAYTON_1, "2016-05-02")
    recall = (
        "A man was shot and wounded in Portland, Oregon, on Tuesday, police said. "
        "On Saturday, two men were shot dead outside a bar on Main Street in Dayton, Ohio."
    )
    _add(store, "p1", recall, "2016-05-04")
    found = {i.id: i for i in store.incidents()}
    assert {tuple(i.documents) for i in found.values()} == {("d1",), ("p1",)}
    assert found["i-d1"].mentioned_in == ["p1"] and found["i-p1"].mentioned_in == []
