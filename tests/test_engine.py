"""Engines: worker processes and a Dask cluster give the records the serial run gives, in input order;
Parquet parts; worker counts and errors."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sitroom import engine
from sitroom.errors import InputError, SitroomError
from sitroom.export import record_json
from sitroom.store import open_store

EXAMPLES = Path(__file__).parent.parent / "examples"
Run = Callable[..., Any]


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 reports (more than one batch), in a JSONL feed, with one bad line among them."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    lines = []
    for n in range(20):
        text = texts[n % len(texts)] + f"\n\n(Report {n}.)"
        lines.append(json.dumps({"id": f"r{n}", "text": text, "published": "2024-10-09"}))
    lines.insert(7, '{"id": "broken", "text": ')
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def serial(feed: Path, tmp_path_factory: pytest.TempPathFactory, sitroom_process: Run) -> str:
    done = sitroom_process(
        "extract", "-f", "jsonl", "--workers", "1", str(feed), cwd=tmp_path_factory.mktemp("s"), timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert "feed.jsonl:8" in done.stderr  # the bad line, named
    assert done.stdout.count("\n") == 20
    return str(done.stdout)


def test_worker_processes_give_the_serial_records_in_order(
    feed: Path, serial: str, sitroom_process: Run, tmp_path: Path
) -> None:
    done = sitroom_process("extract", "-f", "jsonl", "--workers", "2", str(feed), cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout == serial
    assert "feed.jsonl:8" in done.stderr


def test_dask_cluster_gives_the_serial_records_and_parquet_parts(
    feed: Path, serial: str, sitroom_process: Run, tmp_path: Path
) -> None:
    """A cluster started by the test on 127.0.0.1 (as a team's would be), reached by --scheduler."""
    import pyarrow.dataset as ds
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None, processes=True
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        args = ("extract", "--engine", "dask", "--scheduler", address)
        done = sitroom_process(*args, "-f", "jsonl", str(feed), cwd=tmp_path, timeout=600)
        assert done.returncode == 0, done.stderr
        assert done.stdout == serial
        parts = sitroom_process(*args, "--out", "data", str(feed), cwd=tmp_path, timeout=600)
        assert parts.returncode == 0, parts.stderr
        assert parts.stdout == "" and "20 records written" in parts.stderr
        ingest = ("ingest", "--engine", "dask", "--scheduler", address, "--db", "d.db", str(feed))
        stored = sitroom_process(*ingest, cwd=tmp_path, timeout=600)
        assert stored.returncode == 0 and "20 stored" in stored.stderr, stored.stderr
    with open_store(tmp_path / "d.db") as store:  # one writer stored what the workers extracted
        assert {i: json.loads(record_json(store.record(i))) for i in store.ids()} == {
            r["document"]["id"]: r for r in map(json.loads, serial.splitlines())
        }
    records = [json.loads(line) for line in serial.splitlines()]
    documents = ds.dataset(tmp_path / "data" / "documents").to_table().to_pylist()
    assert sorted(d["document_id"] for d in documents) == sorted(r["document"]["id"] for r in records)
    assert {d["document_id"]: json.loads(d["record"]) for d in documents} == {
        r["document"]["id"]: r for r in records
    }
    events = ds.dataset(tmp_path / "data" / "events").to_table()
    assert events.num_rows == sum(len(r["events"]) for r in records) > 0
    assert str(events.schema.field("fatalities").type) == "int64"
    assert str(events.schema.field("latitude").type) == "double"
    again = sitroom_process("extract", "--out", "data", str(feed), cwd=tmp_path)
    assert again.returncode == 1 and "not a new or empty folder" in again.stderr


def test_local_dask_cluster_is_started_on_loopback(
    feed: Path, serial: str, sitroom_process: Run, tmp_path: Path
) -> None:
    done = sitroom_process(
        "extract", "--engine", "dask", "--workers", "1", "-f", "jsonl", str(feed), cwd=tmp_path, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == serial


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_bad_worker_count_is_a_usage_error(value: str, sitroom_process: Run, tmp_path: Path) -> None:
    done = sitroom_process("extract", "--workers", value, "-", cwd=tmp_path)
    assert done.returncode == 2 and "--workers" in done.stderr and "Traceback" not in done.stderr


def test_workers_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(engine.WORKERS_ENV, raising=False)
    assert engine.workers_setting() >= 1
    assert engine.workers_setting(3) == 3
    monkeypatch.setenv(engine.WORKERS_ENV, "2")
    assert engine.workers_setting() == 2
    with pytest.raises(ValueError, match="at least 1"):
        engine.workers_setting("0")


def test_errors_survive_the_trip_back_from_a_worker() -> None:
    for error in (InputError("E100", "no such file", "check the path"), SitroomError("E002", "no model")):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error)
    try:
        raise KeyError("x")
    except KeyError as exc:
        bug = engine.WorkerBug.of("feed.jsonl:3", exc)
    back = pickle.loads(pickle.dumps(bug))
    assert (back.label, back.kind) == ("feed.jsonl:3", "KeyError") and "raise KeyError" in back.trace


def test_a_worker_that_cannot_start_tells_the_setup_error(
    feed: Path, sitroom_process: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITROOM_SPACY_MODEL", "no_such_pipeline")
    done = sitroom_process("extract", "--workers", "2", str(feed), cwd=tmp_path, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "cannot load the spaCy pipeline 'no_such_pipeline'" in done.stderr
    assert "Traceback" not in done.stderr and "this is a bug" not in done.stderr
