"""`sitroom reprocess`: stored documents re-extracted with the current pipeline, ids kept, changes told."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from sitroom import cli, pipeline
from sitroom.reprocess import parse_where
from sitroom.store import open_store

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(runner: Any, *args: str | Path) -> Any:
    return runner.invoke(cli.app, [str(a) for a in args])


@pytest.fixture
def rules_db(runner: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled examples ingested with the rules alone (no learned event typer): another pipeline
    than the default's, as an older sitroom's would be."""
    db = tmp_path / "s.db"
    monkeypatch.setenv("SITROOM_EVENT_MODEL", "off")
    result = run(runner, "ingest", "--db", db, *sorted(EXAMPLES.glob("*.txt")))
    assert result.exit_code == 0, result.stderr
    monkeypatch.delenv("SITROOM_EVENT_MODEL")
    with open_store(db) as store:
        store.add_alias("my-own-id", store.ids()[0])
    return db


def _state(db: Path) -> dict[str, Any]:
    with open_store(db) as store:
        conn = store.conn
        return {
            "ids": store.ids(),
            "pipelines": {r[0] for r in conn.execute("SELECT pipeline FROM documents")},
            "aliases": conn.execute("SELECT alias, document_id FROM aliases").fetchall(),
            "texts": [store.text(i) for i in store.ids()],
            "events": conn.execute("SELECT count(*) FROM events").fetchone()[0],
            "evidence": conn.execute("SELECT count(*) FROM evidence").fetchone()[0],
            "reports": conn.execute("SELECT count(*) FROM reports").fetchone()[0],
            "words": conn.execute("SELECT sum(n) FROM report_words").fetchone()[0],
            "records": [store.record(i).model_dump_json() for i in store.ids()],
            "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
        }


def test_reprocess_stale_reextracts_keeping_ids_texts_and_aliases(runner: Any, rules_db: Path) -> None:
    before = _state(rules_db)
    current = pipeline.Context().provenance.settings
    assert current not in before["pipelines"]  # the rules-only pipeline has another digest

    dry = run(runner, "reprocess", "--db", rules_db, "--stale", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "5 documents re-extracted" in dry.stderr and "would change" in dry.stderr
    assert _state(rules_db) == before  # a dry run stores nothing

    result = run(runner, "reprocess", "--db", rules_db, "--stale")
    assert result.exit_code == 0, result.stderr
    assert "5 documents re-extracted" in result.stderr and result.stdout == ""
    after = _state(rules_db)
    assert after["ids"] == before["ids"] and after["aliases"] == before["aliases"]
    assert after["texts"] == before["texts"] and after["integrity"] == "ok"
    assert after["pipelines"] == {current}
    assert after["reports"] == len(after["ids"])  # each document keyed once, none lost or doubled

    # the same as ingesting afresh with the current pipeline
    fresh = rules_db.parent / "fresh.db"
    assert run(runner, "ingest", "--db", fresh, *sorted(EXAMPLES.glob("*.txt"))).exit_code == 0
    again = _state(fresh)
    assert after["records"] == again["records"]
    assert (after["events"], after["evidence"], after["words"]) == (
        again["events"],
        again["evidence"],
        again["words"],
    )

    # nothing is stale any more; a second run changes nothing
    rerun = run(runner, "reprocess", "--db", rules_db, "--stale")
    assert "0 documents re-extracted" in rerun.stderr


def test_reprocess_where_selects_by_the_event_filters(runner: Any, rules_db: Path) -> None:
    result = run(runner, "reprocess", "--db", rules_db, "--where", "country=ML", "--dry-run")
    assert result.exit_code == 0, result.stderr
    with open_store(rules_db) as store:
        n = len(store.document_ids(parse_where(["country=ML"])))
    assert 0 < n < 5 and f"{n} documents re-extracted" in result.stderr


def test_reprocess_reports_changed_documents(runner: Any, rules_db: Path) -> None:
    copy = rules_db.parent / "copy.db"
    shutil.copy(rules_db, copy)
    with open_store(copy) as store:  # a stored record that differs from what the pipeline makes
        doc_id = store.ids()[0]
        store.conn.execute("DELETE FROM events WHERE document_id = ?", (doc_id,))
        record = store.record(doc_id)
        store.conn.execute(
            "UPDATE documents SET record = ? WHERE id = ?",
            (record.model_copy(update={"events": []}).model_dump_json(), doc_id),
        )
        store.conn.commit()
    result = run(runner, "reprocess", "--db", copy)
    assert result.exit_code == 0, result.stderr
    assert f"{doc_id}: 0 events the same" in result.stderr


@pytest.mark.parametrize(
    "bad", ["country", "colour=red", "since=yesterday", "type="], ids=["no-value", "key", "date", "empty"]
)
def test_reprocess_bad_where_is_a_usage_error(runner: Any, tmp_path: Path, bad: str) -> None:
    result = run(runner, "reprocess", "--db", tmp_path / "none.db", "--where", bad)
    assert result.exit_code == 2 and "--where" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_reprocess_missing_database_is_a_clear_error(runner: Any, tmp_path: Path) -> None:
    result = run(runner, "reprocess", "--db", tmp_path / "none.db")
    assert result.exit_code == 1 and "Traceback" not in result.stderr and "none.db" in result.stderr


def test_reprocess_an_unreadable_stored_record_fails_alone(runner: Any, rules_db: Path) -> None:
    with open_store(rules_db) as store:
        broken = store.ids()[0]
        store.conn.execute(
            "UPDATE documents SET record = ? WHERE id = ?", ('{"contract": 1, "document": {}}', broken)
        )
        store.conn.commit()
    result = run(runner, "reprocess", "--db", rules_db)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert f"the stored record of {broken} cannot be read" in result.stderr
    assert "4 documents re-extracted" in result.stderr
