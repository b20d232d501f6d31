"""Shared fixtures: hand-built records, a CLI runner, and a light pipeline for very long texts."""

from __future__ import annotations

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


@pytest.fixture
def sitroom_process() -> Callable[..., Any]:
    return run_sitroom
