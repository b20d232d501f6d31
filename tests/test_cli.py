"""The command line, through its I/O: ids, counts, exit codes, messages (never event content, which the
NLP stages decide)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.main

from sitroom import cli, pipeline
from sitroom.export import ACLED_COLUMNS
from sitroom.store import open_store

Write = Callable[[str, "str | bytes"], Path]
Factory = Callable[..., Any]

REPORT = "Police shot dead two men in Nairobi on Monday, a police spokesman said.\n"
REPORT2 = "Rebels attacked an army base near Goma on Saturday, killing five soldiers, officials said.\n"
FRENCH = (
    "Les forces de sécurité ont arrêté plusieurs manifestants dans la capitale mardi soir, a indiqué "
    "la police dans un communiqué publié mercredi.\n"
)


def run(runner: Any, *args: str | Path, **kwargs: Any) -> Any:
    return runner.invoke(cli.app, [str(a) for a in args], **kwargs)


def assert_clean(result: Any) -> None:
    """No traceback reaches the user, and the exception is handled (an exit, not a crash)."""
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


# --- help ----------------------------------------------------------------------------------------------


def test_cli_every_command_and_option_has_help() -> None:
    group: Any = typer.main.get_command(cli.app)
    assert set(group.commands) >= {"extract", "ingest", "events", "schema"}
    missing = []
    for name, command in group.commands.items():
        if not (command.help or "").strip():
            missing.append(name)
        for param in command.params:
            if not (getattr(param, "help", None) or "").strip():
                missing.append(f"{name} {param.name}")
    assert missing == []


@pytest.mark.parametrize("command", ["extract", "ingest", "events", "schema"])
def test_cli_help_for_each_command(runner: Any, command: str) -> None:
    result = run(runner, command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_cli_schema_is_valid_json(runner: Any) -> None:
    result = run(runner, "schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Record" and "document" in schema["properties"]


# --- extract: shapes and ids ---------------------------------------------------------------------------


def test_cli_extract_one_file_prints_one_object(runner: Any, write: Write) -> None:
    path = write("a.txt", REPORT)
    result = run(runner, "extract", path)
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["contract"] == 1
    assert record["document"]["id"] == pipeline.document_id(REPORT)
    assert "text" not in record["document"]


def test_cli_extract_several_files_print_an_array(runner: Any, write: Write) -> None:
    result = run(runner, "extract", write("a.txt", REPORT), write("b.txt", REPORT2), "-f", "json")
    assert result.exit_code == 0, result.stderr
    ids = [r["document"]["id"] for r in json.loads(result.stdout)]
    assert ids == [pipeline.document_id(REPORT), pipeline.document_id(REPORT2)]


def test_cli_extract_jsonl_keeps_input_ids_and_fields(runner: Any, write: Write) -> None:
    feed = write(
        "feed.jsonl",
        "\n".join(
            json.dumps(r)
            for r in [
                {
                    "id": "r1",
                    "text": REPORT,
                    "published": "2024-03-04",
                    "url": "https://x.test/1",
                    "source": "AFP",
                },
                {"id": "r2", "text": REPORT2, "title": "Attack"},
            ]
        )
        + "\n",
    )
    result = run(runner, "extract", feed, "--format", "jsonl", "--published", "2024-01-01", "--with-text")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["document"]["id"] for r in records] == ["r1", "r2"]
    assert records[0]["document"]["url"] == "https://x.test/1"
    assert records[0]["document"]["source"] == "AFP"
    assert records[0]["document"]["published"] == "2024-03-04"  # its own date wins
    assert records[1]["document"]["published"] == "2024-01-01"  # --published fills the gap
    assert records[1]["document"]["title"] == "Attack"
    assert records[0]["document"]["text"] == REPORT


def test_cli_extract_stdin(runner: Any) -> None:
    result = run(runner, "extract", "-", input=REPORT)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["document"]["id"] == pipeline.document_id(REPORT)
    result = run(runner, "extract", "-f", "jsonl", input='{"id": "s1", "text": "Troops clashed in Goma."}\n')
    assert json.loads(result.stdout)["document"]["id"] == "s1"


def test_cli_extract_html_offsets_index_main_text(runner: Any, write: Write) -> None:
    page = write(
        "page.html",
        "<html><head><title>Goma attack</title></head><body><nav>Menu</nav><article>"
        f"<p>{REPORT2.strip()}</p><p>The army said it repelled the assault.</p>"
        "</article></body></html>",
    )
    result = run(runner, "extract", page, "--with-text")
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    text = record["document"]["text"]
    assert record["document"]["title"] == "Goma attack" and "<p>" not in text
    for group in ("entities", "dates", "places"):
        for item in record[group]:
            spans = item.get("mentions", [item])
            assert all(text[s["start"] : s["end"]] == s["text"] for s in spans)


def test_cli_extract_csv_header_is_acled(runner: Any, write: Write) -> None:
    result = run(runner, "extract", write("a.txt", REPORT), write("b.txt", REPORT2), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].split(",") == list(ACLED_COLUMNS)


def test_cli_extract_table(runner: Any, write: Write) -> None:
    result = run(runner, "extract", write("a.txt", REPORT), "-f", "table")
    assert result.exit_code == 0, result.stderr
    assert pipeline.document_id(REPORT) in result.stdout


def test_cli_extract_warnings_go_to_stderr(runner: Any, write: Write) -> None:
    result = run(runner, "extract", write("fr.txt", FRENCH), write("en.txt", REPORT), "-f", "jsonl")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]  # stdout: records only
    assert len(records) == 2 and records[0]["document"]["language"] == "fr"
    assert "warning:" in result.stderr and "fr.txt" in result.stderr


# --- extract: bad inputs --------------------------------------------------------------------------------


def test_cli_extract_missing_file(runner: Any, tmp_path: Path) -> None:
    result = run(runner, "extract", tmp_path / "nope.txt")
    assert result.exit_code == 1
    assert "nope.txt: no such file" in result.stderr and "check the path" in result.stderr
    assert result.stdout == ""
    assert_clean(result)


def test_cli_extract_empty_and_binary_files(runner: Any, write: Write) -> None:
    result = run(runner, "extract", write("empty.txt", b""), write("scan.txt", bytes(range(256)) * 20))
    assert result.exit_code == 1
    assert "empty.txt: is empty: nothing to extract" in result.stderr
    assert "scan.txt: looks like a binary file" in result.stderr
    assert_clean(result)


def test_cli_extract_latin1_file_decodes(runner: Any, write: Write) -> None:
    text = "Des soldats ont été tués à Ménaka, selon l'armée malienne, qui a évoqué une attaque."
    result = run(runner, "extract", write("ml.txt", text.encode("latin-1")), "--with-text")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["document"]["text"] == text


def test_cli_extract_skip_reports_bad_line_and_goes_on(runner: Any, write: Write) -> None:
    feed = write(
        "feed.jsonl",
        '{"id": "a", "text": "Troops clashed in Goma."}\n{not json\n'
        '{"id": "c", "text": "Protesters marched in Nairobi."}\n',
    )
    result = run(runner, "extract", feed, "-f", "jsonl")
    assert result.exit_code == 0
    assert [json.loads(line)["document"]["id"] for line in result.stdout.splitlines()] == ["a", "c"]
    (line,) = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert line.startswith(f"error: {feed}:2: malformed JSON") and "; fix or remove this line" in line
    assert_clean(result)


def test_cli_extract_stop_exits_at_first_error(runner: Any, write: Write) -> None:
    feed = write(
        "feed.jsonl",
        '{"id": "a", "text": "Troops clashed in Goma."}\n{not json\n'
        '{"id": "c", "text": "Protesters marched in Nairobi."}\n',
    )
    result = run(runner, "extract", feed, "-f", "jsonl", "--on-error", "stop")
    assert result.exit_code == 1
    assert "feed.jsonl:2" in result.stderr and "--on-error stop" in result.stderr
    ids = [json.loads(line)["document"]["id"] for line in result.stdout.splitlines()]
    assert "c" not in ids
    assert_clean(result)


def test_cli_extract_bad_published_in_record_names_it(runner: Any, write: Write) -> None:
    feed = write("feed.jsonl", '{"id": "r7", "text": "Troops clashed.", "published": "last week"}\n')
    result = run(runner, "extract", feed)
    assert result.exit_code == 1
    assert "feed.jsonl:1: record 'r7': published 'last week' is not a date" in result.stderr
    assert_clean(result)


def test_cli_extract_bad_published_option(runner: Any, write: Write) -> None:
    result = run(runner, "extract", write("a.txt", REPORT), "--published", "03/04/2024")
    assert result.exit_code == 2
    assert "not a date" in result.output
    assert_clean(result)


def test_cli_extract_over_cap_rejected(runner: Any, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write("big.txt", REPORT * 100)
    result = run(runner, "extract", path, "--max-size", "1KB")
    assert result.exit_code == 1
    assert "big.txt: the file" in result.stderr and "larger than the 1,024-byte limit" in result.stderr
    assert "--max-size" in result.stderr
    monkeypatch.setenv("SITROOM_MAX_BYTES", "2000")
    result = run(runner, "extract", path)
    assert result.exit_code == 1 and "2,000-byte limit" in result.stderr
    assert_clean(result)


@pytest.mark.slow
def test_cli_extract_five_megabyte_document(runner: Any, write: Write, light_cli: None) -> None:
    # A plain paragraph: this checks the I/O layer and the pipeline's splitting, not the stages' speed.
    paragraph = (
        "The council met in the town hall to discuss the budget, the new library and the roads, "
        "and several members asked for more time to read the plans.\n\n"
    )
    text = paragraph * (5 * 1024 * 1024 // len(paragraph) + 1)
    path = write("long.txt", text)
    assert path.stat().st_size > 5 * 1024 * 1024
    result = run(runner, "extract", path, "-f", "jsonl")
    assert result.exit_code == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["document"]["id"] == pipeline.document_id(text)


def test_cli_unexpected_error_is_one_line(runner: Any, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("stage bug")

    monkeypatch.setattr(pipeline, "extract_many", broken)
    path = write("a.txt", REPORT)
    result = run(runner, "extract", path)
    assert result.exit_code == 2
    assert f"error: {path}: unexpected ZeroDivisionError: stage bug" in result.stderr
    assert "SITROOM_DEBUG=1" in result.stderr
    assert_clean(result)
    monkeypatch.setenv("SITROOM_DEBUG", "1")
    result = run(runner, "extract", path)
    assert result.exit_code == 2 and "Traceback" in result.stderr


# --- ingest and events ----------------------------------------------------------------------------------


def _summary(stderr: str) -> str:
    (line,) = [ln for ln in stderr.splitlines() if ln.startswith("ingest:")]
    return line


def test_cli_ingest_twice_stores_nothing_twice(
    runner: Any, write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "s.db"
    feed = write(
        "feed.jsonl",
        json.dumps({"id": "r1", "text": REPORT}) + "\n" + json.dumps({"id": "r2", "text": REPORT2}) + "\n",
    )
    copy = write("copy.txt", REPORT)  # the same text as r1 under another id
    result = run(runner, "ingest", feed, copy, "--db", db)
    assert result.exit_code == 0, result.stderr
    assert _summary(result.stderr).startswith("ingest: 2 stored, 1 already present, 0 failed")
    with open_store(db) as store:
        counts = store.counts()
        assert store.has("r1") and store.has("r2")
        assert store.resolve(pipeline.document_id(REPORT)) == "r1"  # the copy is an alias

    def must_not_run(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("already stored documents must be skipped before the pipeline")

    monkeypatch.setattr(pipeline, "extract_many", must_not_run)
    result = run(runner, "ingest", feed, copy, "--db", db)
    assert result.exit_code == 0, result.stderr
    assert _summary(result.stderr).startswith("ingest: 0 stored, 3 already present, 0 failed")
    with open_store(db) as store:
        assert store.counts() == counts


def test_cli_ingest_db_from_environment(
    runner: Any, write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITROOM_DB", str(tmp_path / "env.db"))
    result = run(runner, "ingest", write("a.txt", REPORT))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "env.db").exists()


def test_cli_ingest_reports_failures(runner: Any, write: Write, tmp_path: Path) -> None:
    result = run(
        runner,
        "ingest",
        write("a.txt", REPORT),
        write("empty.txt", b""),
        tmp_path / "gone.txt",
        "--db",
        tmp_path / "s.db",
    )
    assert result.exit_code == 0
    assert _summary(result.stderr).startswith("ingest: 1 stored, 0 already present, 2 failed")
    result = run(runner, "ingest", write("empty2.txt", b""), "--db", tmp_path / "s.db")
    assert result.exit_code == 1
    assert_clean(result)


def test_cli_ingest_failure_mid_write_leaves_no_document(
    runner: Any, write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitroom.store import Store

    def crash(self: Store, record: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "_insert_events", crash)
    path = write("a.txt", REPORT)
    result = run(runner, "ingest", path, "--db", tmp_path / "s.db")
    assert result.exit_code == 2
    assert f"error: {path}: unexpected RuntimeError: disk full" in result.stderr
    assert_clean(result)
    with open_store(tmp_path / "s.db") as store:
        assert not store.has(pipeline.document_id(REPORT))
        assert all(n == 0 for n in store.counts().values())


def test_cli_bad_db_paths(runner: Any, write: Write, tmp_path: Path) -> None:
    path = write("a.txt", REPORT)
    result = run(runner, "ingest", path, "--db", tmp_path)
    assert result.exit_code == 1 and "is a directory" in result.stderr
    notes = write("notes.db", "not a database\n" * 200)
    result = run(runner, "events", "--db", notes)
    assert result.exit_code == 1 and "cannot use" in result.stderr and "--db" in result.stderr
    result = run(runner, "events", "--db", tmp_path / "absent.db")
    assert result.exit_code == 1 and "no database at" in result.stderr
    assert not (tmp_path / "absent.db").exists()
    assert_clean(result)


def test_cli_newer_schema_db(runner: Any, tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "new.db"
    open_store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO schema_version (version) VALUES (999)")
    result = run(runner, "events", "--db", db)
    assert result.exit_code == 1 and "newer than this sitroom knows" in result.stderr
    assert_clean(result)


@pytest.fixture
def events_db(tmp_path: Path, record_factory: Factory, event_factory: Factory) -> Path:
    db = tmp_path / "events.db"
    with open_store(db) as store:
        store.add(
            record_factory(
                "ke",
                events=[
                    event_factory("e1", date="2024-03-01"),
                    event_factory(
                        "e2",
                        event_type="Protests",
                        sub_event_type="Peaceful protest",
                        actor1="Protesters (Kenya)",
                        actor2=None,
                        date="2024-03-05",
                    ),
                ],
            ),
            "t1",
        )
        store.add(
            record_factory(
                "sy",
                events=[
                    event_factory(
                        "e1",
                        event_type="Explosions/Remote violence",
                        sub_event_type="Air/drone strike",
                        actor1="Military Forces of Russia",
                        actor2="Civilians (Syria)",
                        date="2024-04-10",
                        country="SY",
                        location="Idlib",
                    )
                ],
            ),
            "t2",
        )
    return db


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], [("ke", "e1"), ("ke", "e2"), ("sy", "e1")]),
        (["--country", "Syria"], [("sy", "e1")]),
        (["--country", "SYR"], [("sy", "e1")]),
        (["--country", "ke"], [("ke", "e1"), ("ke", "e2")]),
        (["--type", "protests"], [("ke", "e2")]),
        (["--type", "AIR/DRONE STRIKE"], [("sy", "e1")]),
        (["--actor", "russia"], [("sy", "e1")]),
        (["--since", "2024-03-02", "--until", "2024-03-31"], [("ke", "e2")]),
    ],
)
def test_cli_events_filters(
    runner: Any, events_db: Path, args: list[str], expected: list[tuple[str, str]]
) -> None:
    result = run(runner, "events", "--db", events_db, "--format", "jsonl", *args)
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["document"]["id"], r["id"]) for r in rows] == expected


def test_cli_events_formats(runner: Any, events_db: Path) -> None:
    as_json = json.loads(run(runner, "events", "--db", events_db, "-f", "json").stdout)
    assert isinstance(as_json, list) and len(as_json) == 3
    as_csv = run(runner, "events", "--db", events_db, "-f", "csv").stdout.splitlines()
    assert as_csv[0].split(",") == list(ACLED_COLUMNS) and len(as_csv) == 4
    assert "Syria" in as_csv[3]
    table = run(runner, "events", "--db", events_db).stdout
    assert "Idlib" in table


def test_cli_events_bad_filters(runner: Any, events_db: Path) -> None:
    result = run(runner, "events", "--db", events_db, "--country", "Atlantis")
    assert result.exit_code == 1 and "unknown country 'Atlantis'" in result.stderr
    result = run(runner, "events", "--db", events_db, "--since", "yesterday")
    assert result.exit_code == 2 and "not a date" in result.output
    assert_clean(result)


# --- the real process: stdout and stderr separated --------------------------------------------------------


def test_cli_subprocess_stdout_carries_only_records(
    tmp_path: Path, write: Write, sitroom_process: Any
) -> None:
    write("en.txt", REPORT)
    write("fr.txt", FRENCH)
    write("feed.jsonl", '{"id": "j1", "text": "Troops clashed in Goma."}\n{broken\n')
    proc = sitroom_process(
        "extract", "en.txt", "fr.txt", "feed.jsonl", "missing.txt", "-f", "jsonl", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    ids = [json.loads(line)["document"]["id"] for line in proc.stdout.splitlines()]
    assert ids == [pipeline.document_id(REPORT), pipeline.document_id(FRENCH), "j1"]
    assert "warning: fr.txt" in proc.stderr
    assert "error: feed.jsonl:2: malformed JSON" in proc.stderr
    assert "error: missing.txt: no such file" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_subprocess_ingest_default_db(tmp_path: Path, write: Write, sitroom_process: Any) -> None:
    write("a.txt", REPORT)
    proc = sitroom_process("ingest", "a.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "ingest: 1 stored" in proc.stderr
    assert (tmp_path / "sitroom.db").exists()


def test_cli_extract_actors_file_renames_actors(runner: Any, write: Write) -> None:
    actors = write(
        "actors.csv", "alias,name,inter\nUnidentified Armed Group (Democratic Republic of Congo),M23,2\n"
    )
    result = run(runner, "extract", write("b.txt", REPORT2), "--actors", str(actors), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["actor1"] == "M23" and rows[0]["inter1"] == "2"
    assert rows[0]["interaction"] == "12" and rows[0]["disorder_type"] == "Political violence"


def test_cli_extract_bad_actors_file_names_it(runner: Any, write: Write) -> None:
    bad = write("actors.csv", "who,what\nx,y\n")
    result = run(runner, "extract", write("b.txt", REPORT2), "--actors", str(bad))
    assert result.exit_code != 0
    assert "actors.csv" in result.stderr and "alias,name" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_actors_file_errors_name_the_line_and_header(runner: Any, write: Write) -> None:
    bad = write("actors.csv", "Alias, Name ,inter\n\nRSF,Rapid Support Forces,9\n")
    result = run(runner, "extract", write("b.txt", REPORT2), "--actors", str(bad))
    assert result.exit_code != 0 and "line 3" in result.stderr and "inter" in result.stderr
    empty = write("empty.csv", "")
    result = run(runner, "extract", write("c.txt", REPORT2), "--actors", str(empty))
    assert result.exit_code != 0 and "empty" in result.stderr


def test_events_as_geojson_and_parquet(runner: Any, web_db: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    as_csv = list(csv.DictReader(io.StringIO(run(runner, "events", "--db", web_db, "-f", "csv").stdout)))
    geo = run(runner, "events", "--db", web_db, "-f", "geojson")
    assert geo.exit_code == 0, geo.stderr
    collection = json.loads(geo.stdout)
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["event_id"] for f in collection["features"]] == [r["event_id"] for r in as_csv]
    located = [f for f in collection["features"] if f["geometry"]]
    assert located and all(
        f["geometry"]["coordinates"] == [f["properties"]["longitude"], f["properties"]["latitude"]]
        for f in located
    )
    target = tmp_path / "events.parquet"
    with target.open("wb") as out:  # a real process: Parquet goes to stdout's binary buffer
        done = subprocess.run(
            [sys.executable, "-m", "sitroom.cli", "events", "--db", str(web_db), "-f", "parquet"],
            stdout=out,
            stderr=subprocess.PIPE,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    table = pq.read_table(target)
    assert table.column("event_id").to_pylist() == [r["event_id"] for r in as_csv]
    assert table.column("fatalities").to_pylist() == [int(r["fatalities"]) for r in as_csv]
    assert str(table.schema.field("latitude").type) == "double"
