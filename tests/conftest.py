"""Shared fixtures: hand-built records, a CLI runner, and a light pipeline for very long texts."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sitroom.model import (
    Actor,
    DocumentInfo,
    Event,
    EventDate,
    EventType,
    Location,
    Precision,
    Record,
    Span,
    SubEventType,
)


def make_event(
    id: str = "ev1",
    *,
    event_type: str = "Battles",
    sub_event_type: str = "Armed clash",
    actor1: str = "Military Forces of Kenya",
    actor2: str | None = "Al Shabaab",
    date: str | None = "2024-03-01",
    country: str | None = "KE",
    location: str | None = "Mandera",
    fatalities: int = 3,
    evidence: str = "Soldiers clashed with militants near Mandera.",
) -> Event:
    """A hand-built event, so that store and export tests do not depend on the NLP stages."""
    return Event(
        id=id,
        event_type=EventType(event_type),
        sub_event_type=SubEventType(sub_event_type),
        actor1=Actor(name=actor1),
        actor2=Actor(name=actor2) if actor2 else None,
        date=EventDate(value=date, precision=Precision.DAY),
        location=Location(
            name=location, country=country, admin1="Mandera", lat=3.94, lon=41.86, geo_precision=1
        ),
        fatalities=fatalities,
        evidence=[Span(start=0, end=len(evidence), text=evidence)],
    )


def make_record(
    doc_id: str = "doc1",
    *,
    events: list[Event] | None = None,
    url: str | None = None,
    source: str | None = "Daily Nation",
    published: str | None = "2024-03-02",
    **document: Any,
) -> Record:
    return Record(
        document=DocumentInfo(id=doc_id, url=url, source=source, published=published, **document),
        events=[make_event()] if events is None else events,
    )


@pytest.fixture
def record_factory() -> Callable[..., Record]:
    return make_record


@pytest.fixture
def event_factory() -> Callable[..., Event]:
    return make_event


@pytest.fixture
def runner() -> Any:
    from typer.testing import CliRunner

    return CliRunner()


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file under tmp_path (text as UTF-8, or raw bytes) and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return _write


@pytest.fixture(scope="session")
def light_nlp() -> Any:
    """A tokenizer-and-sentencizer pipeline: parses megabytes in seconds, for size tests only."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10_000_000
    return nlp


@pytest.fixture
def light_cli(monkeypatch: pytest.MonkeyPatch, light_nlp: Any) -> Iterator[None]:
    """Run CLI commands with the light pipeline instead of the full English model."""
    from sitroom import cli, pipeline

    monkeypatch.setattr(cli, "_make_context", lambda settings=None: pipeline.Context(settings, nlp=light_nlp))
    monkeypatch.setenv("SITROOM_WORKERS", "1")  # worker processes would load the full pipeline
    yield


#: a report that tries to run script in the page: as a title, in the text and as a link
XSS_TEXT = (
    "Gunmen killed three villagers in Kano on Monday, police said. "
    '<script>window.__pwned = 1; alert("xss")</script> '
    '<img src=x onerror="window.__pwned = 2"> <a href="javascript:window.__pwned=3">more</a>'
)
XSS_TITLE = "<script>window.__pwned = 4</script>Kano attack"


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of the bundled example reports and one hostile report, stored as `sitroom ingest`
    stores them (the normalised text kept for the document pages)."""
    from sitroom import pipeline
    from sitroom.store import open_store

    path = tmp_path_factory.mktemp("web") / "web.db"
    ctx = pipeline.Context()
    examples = sorted((Path(__file__).parent.parent / "examples").glob("*.txt"))
    items = [(p.read_text(encoding="utf-8"), p.stem, None) for p in examples]
    items.append((XSS_TEXT, "xss-report", XSS_TITLE))
    with open_store(path) as store:
        for text, doc_id, title in items:
            draft = pipeline.make_draft(text, id=doc_id, title=title, published=None, url=None, source=None)
            draft = pipeline.run_stages(draft, ctx)
            store.add(pipeline.to_record(draft), text, body=draft.text)
    return path


def run_sitroom(*args: str, cwd: Path, timeout: int = 120, **kw: Any) -> Any:
    """`python -m sitroom.cli ARGS` as a real process (stdout and stderr apart), warnings quiet."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("SITROOM_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "sitroom.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
        **kw,
    )


@pytest.fixture(scope="session")
def sitroom_process() -> Callable[..., Any]:
    return run_sitroom


# --- PostgreSQL ------------------------------------------------------------------------------------------
# The PostgreSQL tests use the server at SITROOM_TEST_PG (.ci/run sets it), by default the local one
# over its Unix socket; each test gets a schema of its own, dropped afterwards. A local server that is
# down is started, and the default URL's role and database created (as root). Under CI=true a server
# that cannot be reached fails these tests; elsewhere they are skipped with the reason.

PG_ENV = "SITROOM_TEST_PG"
PG_DEFAULT = "postgresql:///sitroom_test"


def _pg_connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=5)


def _pg_local(url: str) -> bool:
    from psycopg.conninfo import conninfo_to_dict

    host = str(conninfo_to_dict(url).get("host") or "")
    return host in {"", "localhost", "127.0.0.1", "::1"} or host.startswith("/")


def _pg_fix(url: str, error: str) -> bool:
    """Start the local clusters that are down, or create the role or database that ``url`` lacks;
    whether something was done (and the connection is worth trying again)."""
    import getpass
    import shutil
    import subprocess

    from psycopg.conninfo import conninfo_to_dict

    if not _pg_local(url) or os.geteuid() != 0:
        return False
    if ("No such file" in error or "Connection refused" in error) and shutil.which("pg_lsclusters"):
        listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=False)
        down = [line.split()[:2] for line in listing.stdout.splitlines() if " down " in line]
        for version, name in down:
            subprocess.run(["pg_ctlcluster", version, name, "start"], capture_output=True, check=False)
        return bool(down)
    params = conninfo_to_dict(url)
    user = str(params.get("user") or getpass.getuser())
    if f'role "{user}" does not exist' in error:
        sql = f'CREATE ROLE "{user}" SUPERUSER LOGIN'
    elif "database" in error and "does not exist" in error:
        sql = f'CREATE DATABASE "{params.get("dbname") or user}" OWNER "{user}"'
    else:
        return False
    done = subprocess.run(
        ["runuser", "-u", "postgres", "--", "psql", "-q", "-c", sql], capture_output=True, check=False
    )
    return done.returncode == 0


def _pg_problem(url: str) -> str | None:
    """Why the server at ``url`` cannot be used (None when it can), after trying to fix it."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed: run `make setup`"
    error = ""
    for _attempt in range(4):
        try:
            _pg_connect(url).close()
            return None
        except psycopg.Error as exc:
            error = str(exc).strip() or type(exc).__name__
        if not _pg_fix(url, error):
            break
    return " ".join(error.split())


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The URL of a reachable PostgreSQL database for tests (see above)."""
    url = os.environ.get(PG_ENV) or PG_DEFAULT
    problem = _pg_problem(url)
    if problem is not None:
        why = f"no PostgreSQL at {url} ({problem}); set {PG_ENV}, or run .ci/run"
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    return url


@contextlib.contextmanager
def pg_schema(server: str) -> Iterator[str]:
    """A URL of a new, empty schema in the test database (its tables land there), dropped after."""
    import uuid

    name = f"sitroom_test_{uuid.uuid4().hex[:12]}"
    with _pg_connect(server) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{name}"
    finally:
        with _pg_connect(server) as conn:
            conn.execute(f'DROP SCHEMA "{name}" CASCADE')


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A new, empty PostgreSQL database (a schema of its own) as a ``--db`` URL."""
    with pg_schema(pg_server) as url:
        yield url


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database on each backend, as ``--db`` takes it: a SQLite file, a PostgreSQL URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
    else:
        with pg_schema(request.getfixturevalue("pg_server")) as url:
            yield url


@pytest.fixture(scope="session")
def web_pg(web_db: Path, pg_server: str) -> Iterator[str]:
    """`web_db` copied into PostgreSQL (the same records and texts, in the same order) as a URL."""
    from sitroom.store import open_store

    with pg_schema(pg_server) as url, open_store(web_db) as source, open_store(url) as target:
        for doc_id in source.document_ids():
            text = source.text(doc_id) or ""
            target.add(source.record(doc_id), text, body=text)
        yield url
