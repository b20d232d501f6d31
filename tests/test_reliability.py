"""Issue 10's probes as tests: safe outputs, user mistakes reported as such, odd encodings and pages,
concurrent first ingests, and an ingest killed at random moments that leaves no partial or duplicate
document behind."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sitroom.export import Format, RecordWriter, json_line, write_csv_rows, write_events, write_incidents
from sitroom.model import Record

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0", "\tx", "\rx"]
SEPARATORS = "a\u2028b\u2029c\u0085d"
ROOT = Path(__file__).resolve().parent.parent


def _feed(folder: Path, n: int, prefix: str) -> Path:
    """A JSONL feed of ``n`` distinct reports made from the bundled examples."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]
    feed = folder / f"{prefix}.jsonl"
    with feed.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(
                json.dumps({"id": f"{prefix}{i}", "text": f"Report {i}. " + texts[i % len(texts)]}) + "\n"
            )
    return feed


# --- safe outputs ------------------------------------------------------------------------------------------


def test_jsonl_lines_survive_splitlines(record_factory: Callable[..., Record]) -> None:
    record = record_factory("d1", title=SEPARATORS, source=SEPARATORS)
    out = io.StringIO()
    writer = RecordWriter(Format.JSONL, out)
    writer.write(record)
    writer.write(record_factory("d2"))
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["document"]["title"] == SEPARATORS
    assert json.loads(json_line({"t": SEPARATORS}))["t"] == SEPARATORS


def test_every_csv_writer_neutralises_formulas(record_factory: Callable[..., Record], tmp_path: Path) -> None:
    from sitroom import incidents
    from sitroom.store import open_store

    for bad in HOSTILE:
        record = record_factory(f"id{HOSTILE.index(bad)}", source=bad, title=bad)
        out = io.StringIO()
        write_csv_rows([(ev, record.document) for ev in record.events], out)
        writer = RecordWriter(Format.CSV, io.StringIO())
        writer.write(record)
        for text in (out.getvalue(), writer.out.getvalue()):  # type: ignore[attr-defined]
            for row in csv.DictReader(io.StringIO(text)):
                for value in row.values():
                    assert value[:1] not in {"=", "+", "@", "\t", "\r"}, value
                    assert not (value.startswith("-") and not _number(value)), value
    db = tmp_path / "f.db"
    with open_store(db) as store:
        store.add(record_factory("=evil()", source="@evil"), "t1")
        out = io.StringIO()
        write_events(store.events(), Format.CSV, out)
        write_incidents(incidents.read(store.conn, None, None), "csv", out)  # type: ignore[arg-type]
    assert (
        "\n=evil" not in out.getvalue() and ",=evil" not in out.getvalue() and ",@evil" not in out.getvalue()
    )


def _number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


# --- user mistakes are usage errors, not bugs ---------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "option"),
    [
        (["extract", "--published", "2023-02-30", "r.txt"], {}, "--published"),
        (["events", "--since", "x"], {}, "--since"),
        (["events", "--until", "2024-13-01"], {}, "--until"),
        (["incidents", "--since", "yesterday"], {}, "--since"),
        (["extract", "--max-size", "abc", "r.txt"], {}, "--max-size"),
        (["extract", "r.txt"], {"SITROOM_MAX_BYTES": "0"}, "SITROOM_MAX_BYTES"),
    ],
)
def test_bad_option_values_are_usage_errors(
    args: list[str],
    env: dict[str, str],
    option: str,
    runner: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sitroom.cli import app

    (tmp_path / "r.txt").write_text("Police shot dead two men in Nairobi on Monday.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert option in result.output and "this is a bug" not in result.output


def test_closed_streams_are_reported_and_create_nothing(tmp_path: Path, sitroom_process: Any) -> None:
    (tmp_path / "r.txt").write_text("Police shot dead two men in Nairobi on Monday.", encoding="utf-8")
    closed_in = sitroom_process(
        "ingest", "-", "--db", "x.db", cwd=tmp_path, stdin=subprocess.DEVNULL, preexec_fn=lambda: os.close(0)
    )
    assert closed_in.returncode == 1 and "standard input is closed" in closed_in.stderr
    assert not (tmp_path / "x.db").exists()
    closed_out = subprocess.run(
        f"{sys.executable} -m sitroom.cli extract r.txt >&-",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert closed_out.returncode == 1 and "standard output is closed" in closed_out.stderr
    assert "this is a bug" not in closed_in.stderr + closed_out.stderr


def test_utf16_jsonl_is_read(tmp_path: Path) -> None:
    from sitroom import sources

    lines = [
        json.dumps({"id": f"u{i}", "text": f"Protesters marched in Kampala on day {i}."}) for i in range(3)
    ]
    for encoding in ("utf-16", "utf-16-be", "utf-32"):
        path = tmp_path / f"feed-{encoding}.jsonl"
        data = ("\n".join(lines) + "\n").encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        path.write_bytes(data)
        items = list(sources.read_all([str(path)]))
        assert [getattr(i, "id", None) for i in items] == ["u0", "u1", "u2"], (encoding, items)


def test_deeply_nested_html_keeps_its_text(tmp_path: Path) -> None:
    from sitroom import sources

    body = "<div>" * 320 + "<p>Police shot dead two men in Nairobi on Monday.</p>" + "</div>" * 320
    page = tmp_path / "deep.html"
    page.write_text(
        f"<html><head><title>Deep</title><script>var x = 1;</script></head><body>{body}</body></html>"
    )
    items = list(sources.read_all([str(page)]))
    assert len(items) == 1 and getattr(items[0], "text", "").startswith("Police shot dead")
    assert "var x" not in items[0].text and items[0].title == "Deep"  # type: ignore[union-attr]


# --- crash safety ----------------------------------------------------------------------------------------


def _open_at(path: str, barrier: Any, out: Any) -> None:
    from sitroom.store import open_store

    barrier.wait()
    try:
        with open_store(path) as store:
            out.put(("ok", store.counts()["documents"]))
    except Exception as exc:  # reported to the parent, which fails the test
        out.put(("error", repr(exc)))


def test_concurrent_first_opens_both_succeed(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    for attempt in range(5):
        path = str(tmp_path / f"fresh{attempt}.db")
        barrier, out = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_open_at, args=(path, barrier, out)) for _ in range(2)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        results = [out.get(timeout=10) for _ in procs]
        assert results == [("ok", 0), ("ok", 0)], (attempt, results)


def _integrity(db: Path) -> tuple[int, list[str]]:
    """(documents, problems): a document's rows must match its record exactly."""
    conn = sqlite3.connect(db)
    problems = []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    docs = conn.execute("SELECT id, record FROM documents").fetchall()
    for doc_id, record in docs:
        events = len(json.loads(record)["events"])
        stored = conn.execute("SELECT count(*) FROM events WHERE document_id = ?", (doc_id,)).fetchone()[0]
        if stored != events:
            problems.append(f"{doc_id}: {stored} event rows for {events} events")
        if not conn.execute("SELECT 1 FROM documents_fts WHERE id = ?", (doc_id,)).fetchone():
            problems.append(f"{doc_id}: no text row")
    hashes = conn.execute("SELECT count(*) - count(DISTINCT text_hash) FROM documents").fetchone()[0]
    if hashes:
        problems.append(f"{hashes} duplicate texts")
    conn.close()
    return len(docs), problems


@pytest.mark.slow
def test_ingest_killed_at_random_moments_leaves_no_partial_or_duplicate(
    tmp_path: Path, sitroom_process: Any
) -> None:
    feed = _feed(tmp_path, 60, "d")
    db = tmp_path / "k.db"
    rng = random.Random(10)
    cmd = [sys.executable, "-m", "sitroom.cli", "ingest", str(feed), "--db", str(db)]
    kills = 0
    for _ in range(5):
        proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(3.0, 9.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(60)
        if db.exists():
            _, problems = _integrity(db)
            assert problems == []
    assert kills >= 3
    done = sitroom_process("ingest", str(feed), "--db", str(db), cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    count, problems = _integrity(db)
    assert problems == [] and count == 60
    again = sitroom_process("ingest", str(feed), "--db", str(db), cwd=tmp_path, timeout=300)
    assert "0 stored, 60 already present" in again.stderr
    assert _integrity(db) == (60, [])


@pytest.mark.slow
def test_reading_while_an_ingest_writes(tmp_path: Path) -> None:
    feed = _feed(tmp_path, 30, "r")
    db = tmp_path / "r.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitroom.cli", "ingest", str(feed), "--db", str(db)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    from sitroom.store import open_store

    seen = []
    while proc.poll() is None:
        if db.exists():
            with open_store(db, create=False) as store:
                n = store.counts()["documents"]
                assert len(store.events()) >= n  # every stored document is whole: its events are there
                seen.append(n)
        time.sleep(0.3)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    assert seen == sorted(seen) and seen[-1] <= 30
    with open_store(db, create=False) as store:
        assert store.counts()["documents"] == 30


# --- long inputs ---------------------------------------------------------------------------------------


_QUIET = (
    "The committee reviewed the annual budget for water and sanitation programmes in the northern "
    "districts. Rainfall in the first quarter was above the seasonal average, and maize prices fell in "
    "most markets. School enrolment rose for the third year in a row, while the road to the coast was "
    "resurfaced ahead of the planting season. Table {i} lists the figures by district.\n\n"
)


@pytest.mark.slow
def test_five_megabyte_report_through_the_default_pipeline(tmp_path: Path) -> None:
    """A 5 MB report (long prose, a news report every twentieth paragraph) goes through the full
    pipeline piece by piece: its findings index the whole text, and memory stays bounded."""
    news = [p.read_text(encoding="utf-8") + "\n\n" for p in sorted((ROOT / "examples").glob("*.txt"))]
    parts, i = [], 0
    while sum(map(len, parts)) < 5_000_000:
        parts.append(news[i // 20 % len(news)] if i % 20 == 0 else _QUIET.format(i=i))
        i += 1
    text = "".join(parts)[:5_000_000]
    report = tmp_path / "report.txt"
    report.write_text(text, encoding="utf-8")
    # the extracting process reports its own peak as it exits: VmHWM, which starts afresh at exec
    # (ru_maxrss carries the forking parent's size over exec, and pytest's own is large by now)
    probe = (
        "import atexit, re, sys\n"
        "atexit.register(lambda: print('PEAK_KB', re.search(r'VmHWM:\\s+(\\d+)',"
        " open('/proc/self/status').read()).group(1), file=sys.stderr))\n"
        "sys.argv = ['sitroom', *sys.argv[1:]]\n"
        "from sitroom.cli import main\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, "extract", "--format", "json", str(report)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=1800,  # catches a hang, not a slow machine
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    record = json.loads(result.stdout)
    assert len(record["events"]) > 50
    assert max(ev["evidence"][0]["start"] for ev in record["events"]) > 4_000_000
    assert all(text[s["start"] : s["end"]] == s["text"] for ev in record["events"] for s in ev["evidence"])
    peak_mb = int(re.search(r"PEAK_KB (\d+)", result.stderr).group(1)) / 1024  # type: ignore[union-attr]
    print(f"5 MB report: peak {peak_mb:.0f} MB")
    assert peak_mb < 1536
