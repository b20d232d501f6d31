"""The command line: thin Typer commands over sources, pipeline, store and export.

Standard output carries records only; errors, warnings, progress and summaries go to standard error.
Exit codes: 0 something was processed; 1 nothing was (or --on-error stop met a bad input, or a setting
is wrong); 2 a bug (an unexpected exception; SITROOM_DEBUG=1 shows its traceback).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import os
import sys
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import click
import typer

from sitroom import engine as engines
from sitroom import pipeline, sources
from sitroom.errors import InputError, SitroomError
from sitroom.export import (
    EventFormat,
    Format,
    IncidentFormat,
    RecordWriter,
    country_code,
    write_events,
    write_incidents,
)
from sitroom.model import json_schema
from sitroom.sources import Failed, Item

app = typer.Typer(
    name="sitroom",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="News reports in, sourced conflict-event records out (see `sitroom COMMAND --help`).",
)

class OnError(StrEnum):
    SKIP = "skip"
    STOP = "stop"


class Unexpected(Exception):
    """A bug met while processing one input: reported with the input's label, exit status 2."""

    def __init__(self, label: str, error: BaseException) -> None:
        super().__init__(f"{label}: {error}")
        self.label, self.error = label, error


def _make_context(settings: pipeline.Settings | None = None) -> pipeline.Context:
    """The pipeline's services for this run (tests replace this to inject a lighter spaCy pipeline)."""
    return pipeline.Context(settings)


def _ready(ctx: pipeline.Context) -> pipeline.Context:
    """Read the run's own settings files (actor file, event typer) before any input: a bad one is
    reported once, naming it, not after the first batch of documents."""
    _ = ctx.actor_table, ctx.event_typer
    return ctx


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _error_line(label: str | None, error: SitroomError) -> str:
    where = f"{label}: " if label else ""
    return f"error: {where}{error.message}" + (f"; {error.hint}" if error.hint else "")


def _date_option(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return sources.parse_published(value, "date")
    except InputError as exc:
        raise typer.BadParameter(f"{exc.message}; {exc.hint}") from None


def _max_size_option(value: str | None) -> int:
    try:
        return sources.max_bytes_setting(value)
    except InputError as exc:
        raise typer.BadParameter(f"{exc.message}; {exc.hint}") from None


def _valid_date(value: str | None) -> str | None:
    """Option callback: a bad date is click's usage error naming the option (exit 2)."""
    _date_option(value)
    return value


def _valid_size(value: str | None) -> str | None:
    """Option callback: a bad size (from --max-size or SITROOM_MAX_BYTES) is a usage error."""
    _max_size_option(value)
    return value


def _valid_where(value: list[str] | None) -> list[str] | None:
    """Checks ``--where`` conditions while click parses, so a mistake is a usage error."""
    from sitroom.reprocess import parse_where

    try:
        parse_where(value or [])
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


def _parquet_folder(value: str) -> engines.Output:
    folder = Path(value)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise SitroomError(
            "E120",
            f"--out {value} is not a new or empty folder",
            "pass a new folder: parts of an earlier run would mix with this one's",
        )
    folder.mkdir(parents=True, exist_ok=True)
    return engines.Output(str(folder.resolve()))


def _shown(db: str) -> str:
    """A database as messages name it: a PostgreSQL URL without its password."""
    from sitroom.store.backend import display

    return display(db)


def _workers_option(value: str | None) -> int:
    try:
        return engines.workers_setting(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _valid_workers(value: str | None) -> str | None:
    """Option callback: a bad worker count (from --workers or SITROOM_WORKERS) is a usage error."""
    _workers_option(value)
    return value


@contextlib.contextmanager
def _guard() -> Iterator[None]:
    """Turn expected failures into one line on stderr and an exit status; never a traceback."""
    try:
        yield
    except (typer.Exit, typer.Abort, KeyboardInterrupt, click.ClickException):
        raise
    except BrokenPipeError:
        # `sitroom extract ... | head`: the reader left; stop quietly like other Unix tools.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces the closed stream for exit
        raise typer.Exit(0) from None
    except SitroomError as exc:
        _err(_error_line(None, exc))
        raise typer.Exit(1) from None
    except OSError as exc:
        target = f" {exc.filename}" if exc.filename else ""
        _err(f"error: cannot access{target}: {exc.strerror or exc}; check the path and its permissions")
        raise typer.Exit(1) from None
    except Unexpected as exc:
        _unexpected(exc.label, exc.error)
    except Exception as exc:
        _unexpected(None, exc)


def _unexpected(label: str | None, exc: BaseException) -> NoReturn:
    where = f"{label}: " if label else ""
    # a bug met in a worker carries its own type, message and traceback
    if isinstance(exc, engines.WorkerBug):
        kind, message, trace = exc.kind, exc.message, exc.trace
    else:
        kind, message, trace = type(exc).__name__, str(exc), "".join(traceback.format_exception(exc))
    _err(
        f"error: {where}unexpected {kind}: {message}; this is a bug: rerun with SITROOM_DEBUG=1 "
        "for the traceback and report it"
    )
    if os.environ.get("SITROOM_DEBUG") in ("1", "true", "yes"):
        _err(trace)
    raise typer.Exit(2)


# --- the shared run: inputs -> drafts -> pipeline -----------------------------------------------------------


class Engine(StrEnum):
    LOCAL = "local"
    DASK = "dask"


def _rate_column() -> Any:
    from rich.progress import ProgressColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        """Documents per second, once known."""

        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} docs/s" if speed else "", style="progress.data.speed")

    return Rate()


@dataclass
class Tally:
    """What happened to the inputs of a run; prints each failure as it comes."""

    on_error: OnError
    processed: int = 0
    failed: int = 0
    seen: int = 0
    labels: list[str] = field(default_factory=list)

    def fail(self, label: str, error: SitroomError) -> None:
        self.failed += 1
        _err(_error_line(label, error))
        if self.on_error is OnError.STOP:
            _err(
                "stopped at the first error (--on-error stop); pass --on-error skip to go on past bad inputs"
            )
            raise typer.Exit(1)


def process(
    items: Iterable[Item | Failed],
    tally: Tally,
    published: dt.date | None,
    ctx: pipeline.Context,
    skip: Any = None,
    *,
    with_text: bool = False,
    workers: int = 1,
    engine: Engine = Engine.LOCAL,
    scheduler: str | None = None,
    total: int | None = None,
    output: engines.Output | None = None,
) -> Iterator[tuple[Item, engines.Extracted]]:
    """Inputs through the pipeline, in batches, in input order; failures go to the tally, warnings to
    stderr. With ``workers`` > 1 the batches go to that many worker processes (started once a second
    batch is waiting: a run of one batch stays in this process); with the Dask engine, to a cluster.

    ``skip(item)`` may return True for an item that needs no processing (already stored); ``total``,
    the number of inputs when known, gives the progress bar its ETA.
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        _rate_column(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    task = progress.add_task("extract", total=total)
    started = False
    runner: Any = None

    def batches() -> Iterator[list[Item]]:
        nonlocal started
        batch: list[Item] = []
        for entry in items:
            tally.seen += 1
            if tally.seen == 2 and not started:
                progress.start()  # a bar only when there is more than one document
                started = True
            if isinstance(entry, Failed):
                tally.fail(entry.label, entry.error)
                continue
            if skip is not None and skip(entry):
                continue
            batch.append(entry)
            if len(batch) >= engines.BATCH_SIZE:
                yield batch
                batch = []
        if batch:
            yield batch

    def start(pending: Iterator[list[Item]]) -> Iterator[tuple[list[Item], list[engines.Extracted]]]:
        """The engine, chosen once two batches are known: one batch runs here, without start-up."""
        nonlocal runner
        first = next(pending, None)
        if first is None:
            return
        second = next(pending, None)
        chained = itertools.chain([first], [second] if second is not None else [], pending)
        job = engines.Job(ctx.settings, published, with_text, output)
        if engine is Engine.DASK:
            runner = engines.Dask(scheduler, workers, job)
        elif second is not None and workers > 1:
            runner = engines.Processes(workers, job)
        else:
            runner = engines.Serial(ctx, job)
        yield from runner.run(chained)

    try:
        for batch, results in start(batches()):
            for item, result in zip(batch, results, strict=True):
                progress.advance(task)
                if result.failure is not None:
                    tally.fail(item.label, result.failure)
                    continue
                for warning in result.warnings:
                    _err(f"warning: {item.label}: {warning}")
                tally.processed += 1
                yield item, result
    except engines.WorkerBug as bug:
        raise Unexpected(bug.label, bug) from None
    finally:
        if runner is not None:
            runner.close()
        if started:
            progress.stop()


# --- commands -----------------------------------------------------------------------------------------------

PathsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Inputs: files, folders (walked, sorted; unsupported files skipped), http(s) URLs of feeds "
        "or pages, or - for standard input (the default). Files: .txt, .html/.htm/.xhtml, "
        ".jsonl/.ndjson, .csv/.tsv (a document per row; see --text-column), .pdf (its text layer), "
        ".json (a Telegram channel export: a document per message), .xml/.rss/.atom (a feed: a "
        "document per entry, the text of the page it links to), .warc/.warc.gz (a document per "
        "archived page).",
        show_default=False,
    ),
]
PublishedOpt = Annotated[
    str | None,
    typer.Option(
        "--published",
        help="Publication date (YYYY-MM-DD) for inputs that do not give their own.",
        metavar="DATE",
        callback=_valid_date,
    ),
]
OnErrorOpt = Annotated[
    OnError,
    typer.Option(
        "--on-error", help="skip: report a bad input on stderr and go on; stop: exit at the first one."
    ),
]
MaxSizeOpt = Annotated[
    str | None,
    typer.Option(
        "--max-size",
        envvar=sources.MAX_BYTES_ENV,
        callback=_valid_size,
        metavar="BYTES",
        help="Refuse inputs larger than this (bytes, or e.g. 20MB; a JSONL feed is capped per line, a "
        "CSV table per row, a WARC archive per record, a fetched page as a whole). Default 20MB.",
    ),
]
ActorsOpt = Annotated[
    str | None,
    typer.Option(
        "--actors",
        envvar="SITROOM_ACTORS",
        metavar="FILE",
        help="Your actor names: a CSV with columns alias,name[,inter]; an actor whose text or name is an "
        "alias gets that name (and inter code).",
    ),
]
DbOpt = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="SITROOM_DB",
        help="SQLite database file, or a PostgreSQL database as postgresql://USER[:PASSWORD]@HOST/NAME.",
        metavar="PATH|URL",
    ),
]
TextColumnOpt = Annotated[
    str | None,
    typer.Option(
        "--text-column",
        metavar="NAME",
        help="The column of a .csv/.tsv input that holds the report (any case). Default: the first of "
        "text, body, content, article, notes. Columns id, url (or link), title (or headline), source (or "
        "outlet, publisher) and published (or date, publish_date) are read too.",
    ),
]
WorkersOpt = Annotated[
    str | None,
    typer.Option(
        "--workers",
        envvar=engines.WORKERS_ENV,
        callback=_valid_workers,
        metavar="N",
        help="Worker processes that extract in parallel (default: the number of cores; 1 runs in this "
        "process). With --engine dask and no --scheduler: the local cluster's workers.",
    ),
]
EngineOpt = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="local: this machine's worker processes; dask: a Dask cluster (--scheduler, else a local "
        "one on 127.0.0.1).",
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="The Dask scheduler of --engine dask (default: start a local cluster on 127.0.0.1).",
    ),
]
NoGroupOpt = Annotated[
    bool,
    typer.Option(
        "--no-group",
        help="Store without grouping reports into incidents (for bulk loads: group later with "
        "`sitroom incidents`, or regroup everything with `sitroom incidents --rebuild`).",
    ),
]


@app.command()
def extract(
    paths: PathsArg = None,
    published: PublishedOpt = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="json (an object, or an array for several documents), jsonl (one record "
            "a line), table, or csv (ACLED columns, one row per event).",
        ),
    ] = Format.JSON,
    with_text: Annotated[
        bool,
        typer.Option(
            "--with-text", help="Include the document text (the text the offsets index) as document.text."
        ),
    ] = False,
    on_error: OnErrorOpt = OnError.SKIP,
    max_size: MaxSizeOpt = None,
    actors: ActorsOpt = None,
    text_column: TextColumnOpt = None,
    workers: WorkersOpt = None,
    engine: EngineOpt = Engine.LOCAL,
    scheduler: SchedulerOpt = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Write the records as a Parquet dataset in this new or empty folder instead of stdout: "
            "DIR/events (one row per event, the CSV's columns) and DIR/documents (one row per document "
            "with its record as JSON), a part per batch, written by the worker that made it.",
        ),
    ] = None,
) -> None:
    """Extract sourced event records from news reports and print them to stdout (or --out DIR)."""
    with _guard():
        output = _parquet_folder(out) if out else None
        day = _date_option(published)
        limit = _max_size_option(max_size)
        tally = Tally(on_error)
        writer = RecordWriter(fmt, sys.stdout)
        try:
            items = sources.read_all(paths or [], limit, text_column=text_column)
            ctx = _ready(_make_context(pipeline.Settings(actors_file=actors)))
            run = process(
                items,
                tally,
                day,
                ctx,
                with_text=with_text,
                workers=_workers_option(workers),
                engine=engine,
                scheduler=scheduler,
                output=output,
            )
            for _item, result in run:
                if result.record is not None:
                    writer.write(result.record)
            if output is not None:
                _err(f"extract: {tally.processed} records written to {out}")
        finally:
            # What was extracted before a stop is still printed.
            if output is None:
                writer.close(several=tally.seen > 1)
        if tally.processed == 0:
            raise typer.Exit(1)


@dataclass
class Stored:
    """What an ingest did with the documents it read: newly stored, or already there."""

    stored: int = 0
    already: int = 0

    def summary(self, tally: Tally) -> str:
        return f"{self.stored} stored, {self.already} already present, {tally.failed} failed"


@dataclass(frozen=True)
class Reading:
    """The inputs of an ingest and how to read and store them."""

    paths: list[str]
    max_bytes: int
    text_column: str | None
    published: dt.date | None
    group: bool = True
    workers: int = 1
    engine: Engine = Engine.LOCAL
    scheduler: str | None = None


def ingest_into(store: Any, reading: Reading, ctx: pipeline.Context, tally: Tally, count: Stored) -> None:
    """Read the inputs, extract the documents the store lacks and store them (`ingest` and `watch`).

    A document already stored (by id, text or url) is skipped before the pipeline, and a feed entry
    whose link is stored is not fetched again. ``count`` is updated as it goes, so that a run stopped
    half-way still reports what it did.
    """

    def known(item: Item) -> bool:
        doc_id = item.id or pipeline.document_id(item.text, item.url)
        found = store.find(doc_id, item.text, item.url)
        if found is None:
            return False
        # Skipped before the pipeline: a re-run costs a lookup, not an extraction.
        store.add_alias(doc_id, found)
        count.already += 1
        return True

    def seen(doc_id: str | None, url: str | None) -> bool:
        return store.find(doc_id or "", None, url) is not None

    items = sources.read_all(reading.paths, reading.max_bytes, text_column=reading.text_column, seen=seen)
    run = process(
        items,
        tally,
        reading.published,
        ctx,
        skip=known,
        workers=reading.workers,
        engine=reading.engine,
        scheduler=reading.scheduler,
    )
    for item, result in run:
        if result.record is None:
            continue
        try:
            added = store.add(
                result.record,
                item.text,
                group=reading.group,
                body=result.body if result.body is not None else item.text,
            )
        except SitroomError as exc:
            tally.processed -= 1
            tally.fail(item.label, exc)
            continue
        except Exception as exc:
            raise Unexpected(item.label, exc) from exc
        if added:
            count.stored += 1
        else:
            count.already += 1


@app.command()
def ingest(
    paths: PathsArg = None,
    db: DbOpt = "sitroom.db",
    published: PublishedOpt = None,
    on_error: OnErrorOpt = OnError.SKIP,
    max_size: MaxSizeOpt = None,
    actors: ActorsOpt = None,
    no_group: NoGroupOpt = False,
    text_column: TextColumnOpt = None,
    workers: WorkersOpt = None,
    engine: EngineOpt = Engine.LOCAL,
    scheduler: SchedulerOpt = None,
) -> None:
    """Extract records and store them in the database; inputs already stored are skipped. Each new
    document joins the incident it reports (or starts one): see `sitroom incidents`."""
    from sitroom.store import open_store

    with _guard():
        day = _date_option(published)
        limit = _max_size_option(max_size)
        tally = Tally(on_error)
        count = Stored()
        with open_store(db) as store:
            try:
                ctx = _ready(_make_context(pipeline.Settings(actors_file=actors)))
                reading = Reading(
                    paths or [],
                    limit,
                    text_column,
                    day,
                    group=not no_group,
                    workers=_workers_option(workers),
                    engine=engine,
                    scheduler=scheduler,
                )
                ingest_into(store, reading, ctx, tally, count)
            finally:
                _err(f"ingest: {count.summary(tally)} ({_shown(db)})")
        if count.stored + count.already == 0:
            raise typer.Exit(1)


_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
#: The longest --every: a year and a day (time.sleep overflows far beyond it).
_MAX_INTERVAL_DAYS = 366


def _interval(value: str) -> float:
    """Seconds from ``90s``, ``15m``, ``2h``, ``1d`` (a bare number is seconds)."""
    import re

    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value, re.IGNORECASE)
    if not match or float(match.group(1)) <= 0:
        raise typer.BadParameter(
            f"cannot read the interval {value!r}; give a number with s, m, h or d (e.g. 15m)"
        )
    seconds = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if seconds > _MAX_INTERVAL_DAYS * 86400:
        raise typer.BadParameter(
            f"the interval {value!r} is longer than {_MAX_INTERVAL_DAYS} days; give at most "
            f"{_MAX_INTERVAL_DAYS}d (for rarer runs, schedule `sitroom watch --once` with cron)"
        )
    return seconds


def _valid_interval(value: str) -> str:
    _interval(value)
    return value


def _valid_watched(value: list[str]) -> list[str]:
    if "-" in value:
        raise typer.BadParameter(
            "watch reads its inputs again on every pass, and standard input can be read only once; "
            "pipe it to `sitroom ingest -` instead"
        )
    return value


@contextlib.contextmanager
def _sigterm_stops() -> Iterator[None]:
    """SIGTERM (how service managers stop a process) ends a watch as Ctrl-C does: with its summary."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@app.command()
def watch(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="What to read on every pass: feeds (http(s) URLs or files), folders and files, as "
            "`ingest` reads them.",
            metavar="FEED_URL|FILE",
            show_default=False,
            callback=_valid_watched,
        ),
    ],
    every: Annotated[
        str,
        typer.Option(
            "--every",
            metavar="INTERVAL",
            callback=_valid_interval,
            help="Time from the start of one pass to the start of the next: 30s, 15m, 2h or 1d "
            "(at most 366d).",
        ),
    ] = "15m",
    once: Annotated[
        bool, typer.Option("--once", help="Make one pass and exit (for cron jobs and tests).")
    ] = False,
    db: DbOpt = "sitroom.db",
    published: PublishedOpt = None,
    on_error: OnErrorOpt = OnError.SKIP,
    max_size: MaxSizeOpt = None,
    actors: ActorsOpt = None,
    no_group: NoGroupOpt = False,
    text_column: TextColumnOpt = None,
) -> None:
    """Poll feeds, folders and files and ingest what is new, pass after pass, until Ctrl-C.

    Each pass stores new documents as `ingest` does; what is already stored is skipped (a feed entry
    whose link is stored is not fetched again). A summary of each pass goes to stderr; a pass that
    fails as a whole (the database busy) is reported there too, and the next pass still runs."""
    import time

    from sitroom.store import open_store

    with _guard():
        day = _date_option(published)
        limit = _max_size_option(max_size)
        seconds = _interval(every)
        total, failed, passes = Stored(), 0, 0
        with open_store(db) as store, _sigterm_stops():
            try:
                ctx = _ready(_make_context(pipeline.Settings(actors_file=actors)))
                reading = Reading(paths, limit, text_column, day, group=not no_group)
                while True:
                    passes += 1
                    began = time.monotonic()
                    tally, count = Tally(on_error), Stored()
                    try:
                        ingest_into(store, reading, ctx, tally, count)
                    except SitroomError as exc:
                        # a pass that fails as a whole (the store busy or unreachable for a while) is
                        # reported; the next pass tries again, as a service should
                        if once:
                            raise
                        failed += 1
                        _err(_error_line(f"watch: pass {passes}", exc) + "; trying again at the next pass")
                    finally:
                        total.stored += count.stored
                        total.already += count.already
                        failed += tally.failed
                        now = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
                        _err(f"watch: pass {passes} at {now}: {count.summary(tally)} ({_shown(db)})")
                    if once:
                        break
                    time.sleep(max(0.0, seconds - (time.monotonic() - began)))
            except KeyboardInterrupt:
                _err("watch: stopped")
            finally:
                if not once:
                    _err(
                        f"watch: {passes} pass(es): {total.stored} stored, {total.already} already "
                        f"present, {failed} failed ({_shown(db)})"
                    )
        if total.stored + total.already == 0:
            raise typer.Exit(1)


@app.command()
def events(
    db: DbOpt = "sitroom.db",
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Only events on or after this date (YYYY-MM-DD).",
            callback=_valid_date,
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="DATE",
            help="Only events on or before this date (YYYY-MM-DD).",
            callback=_valid_date,
        ),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country", help="Only events in this country (a name such as Kenya, or an ISO code such as KE)."
        ),
    ] = None,
    event_type: Annotated[
        str | None,
        typer.Option(
            "--type",
            help='Only this ACLED event or sub-event type, any case (e.g. Battles, "Air/drone strike").',
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option("--actor", help="Only events whose actor1 or actor2 contains this text, any case."),
    ] = None,
    fmt: Annotated[
        EventFormat,
        typer.Option(
            "--format",
            "-f",
            help="table, json (an array), jsonl (one event a line), csv (ACLED columns), geojson (a "
            "FeatureCollection) or parquet (the CSV's columns, typed; redirect it to a file).",
        ),
    ] = EventFormat.TABLE,
) -> None:
    """List stored events, filtered, with the document that reports each."""
    from sitroom.store import open_store

    with _guard():
        if fmt is EventFormat.PARQUET and sys.stdout.isatty():
            raise SitroomError(
                "E121", "Parquet is binary: not for a terminal", "redirect it: > events.parquet"
            )
        start, end = _date_option(since), _date_option(until)
        code = country_code(country) if country else None
        with open_store(db, create=False) as store:
            rows = store.events(since=start, until=end, country=code, event_type=event_type, actor=actor)
        write_events(rows, fmt, sys.stdout)


@app.command()
def incidents(
    db: DbOpt = "sitroom.db",
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Only incidents on or after this date (YYYY-MM-DD).",
            callback=_valid_date,
        ),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country", help="Only incidents in this country (a name such as Kenya, or an ISO code)."
        ),
    ] = None,
    fmt: Annotated[
        IncidentFormat,
        typer.Option(
            "--format",
            "-f",
            help="table, json (an array), jsonl (one incident a line, every incident), csv or geojson.",
        ),
    ] = IncidentFormat.TABLE,
    rebuild: Annotated[
        bool,
        typer.Option("--rebuild", help="Forget the grouping and group every stored report again."),
    ] = False,
) -> None:
    """List incidents: the stored reports of one event grouped, with merged fields, their sources and
    the fields the reports contradict each other on. Reports not grouped yet are grouped first."""
    from sitroom.store import open_store

    with _guard():
        start = _date_option(since)
        code = country_code(country) if country else None
        with open_store(db, create=False) as store:
            if rebuild:
                n = store.group_incidents(rebuild=True, progress=_progress("grouping"))
                _err(f"incidents: {n} reports regrouped ({_shown(db)})")
            rows = store.incidents(since=start, country=code)
        write_incidents(rows, fmt, sys.stdout)


@app.command()
def reprocess(
    db: DbOpt = "sitroom.db",
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            metavar="KEY=VALUE",
            callback=_valid_where,
            help="Only documents with an event that matches (repeatable; all must hold). Keys: since, "
            "until, country, admin1, type, actor, status, claimant, q (full-text search).",
        ),
    ] = None,
    stale: Annotated[
        bool,
        typer.Option(
            "--stale", help="Only documents whose records another sitroom version or other settings made."
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would change; store nothing.")
    ] = False,
    actors: ActorsOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """Re-extract stored documents with the current pipeline, keeping their ids, texts and aliases; what
    changed is reported on stderr, one line per changed document and a summary."""
    from sitroom import reprocess as rp
    from sitroom.store import open_store

    with _guard():
        condition = rp.parse_where(where or [])
        tally, summary = Tally(OnError.SKIP), rp.Summary()
        with open_store(db, create=False) as store:
            ctx = _ready(_make_context(pipeline.Settings(actors_file=actors)))
            ids = store.document_ids(condition)
            if stale:
                current = set(store.stale(ctx.provenance.settings))
                ids = [i for i in ids if i in current]
            old: dict[str, Any] = {}

            def items() -> Iterator[Item]:
                for doc_id in ids:
                    text = store.text(doc_id)
                    if text is None:
                        summary.no_text.append(doc_id)
                        continue
                    try:
                        old[doc_id] = store.record(doc_id)
                    except ValueError as exc:  # a stored record this sitroom cannot read (pydantic's error)
                        tally.fail(doc_id, rp.unreadable_error(doc_id, exc))
                        continue
                    yield rp.item_of(old[doc_id], text)

            run = process(items(), tally, None, ctx, workers=_workers_option(workers), total=len(ids))
            for item, result in run:
                record = result.record
                if record is None:
                    continue
                change = rp.compare(old.pop(item.label), record)
                summary.count(change)
                if change.changed:
                    _err(change.line())
                if not dry_run:
                    store.replace(record)
        for doc_id in summary.no_text:
            _err(_error_line(doc_id, rp.no_text_error(doc_id)))
        _err(summary.line(_shown(db), dry_run))
        if tally.failed:
            raise typer.Exit(1)


@app.command()
def serve(
    db: DbOpt = "sitroom.db",
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; 0.0.0.0 exposes it to the network.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="SITROOM_TOKEN",
            help="Accept writes (POST /api/ingest) from requests with 'Authorization: Bearer TOKEN'; "
            "without it the server is read-only. Prefer SITROOM_TOKEN: options show in the process list.",
        ),
    ] = None,
    tiles: Annotated[
        str | None,
        typer.Option(
            "--tiles",
            metavar="URL",
            help="Online map tiles under the country outlines, e.g. "
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png (off by default: the map works offline).",
        ),
    ] = None,
) -> None:
    """Open the database as a web app and a JSON API: a map and timeline of incidents, incident and
    document pages with every field beside its evidence, a paste-a-report page, and /docs."""
    import uvicorn

    from sitroom.web.app import create_app

    with _guard():
        loopback = host in {"127.0.0.1", "localhost", "::1"}
        names = ["127.0.0.1", "localhost", "[::1]", "::1"] if loopback else None
        application = create_app(db, token or None, tiles=tiles, hosts=names)
        mode = "accepting ingests with the token" if token else "read-only"
        _err(
            f"sitroom: serving {_shown(db)} at http://{host}:{port}/ ({mode}); the API is at /docs; "
            "Ctrl-C stops"
        )
        uvicorn.run(application, host=host, port=port, log_level="warning")


def _progress(label: str) -> Any:
    """A progress callback (done, total) that draws a bar on standard error for long work, on a
    terminal only, as `process` does."""
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(transient=True, console=Console(stderr=True))
    state: dict[str, Any] = {}

    def step(done: int, total: int) -> None:
        if total < 200 or not bar.console.is_terminal:
            return
        if "task" not in state:
            bar.start()
            state["task"] = bar.add_task(label, total=total)
        bar.update(state["task"], completed=done)
        if done >= total:
            bar.stop()

    return step


class SchemaKind(StrEnum):
    RECORD = "record"
    INCIDENT = "incident"


@app.command()
def schema(
    kind: Annotated[
        SchemaKind, typer.Argument(help="record (contract 1, what extract prints) or incident.")
    ] = SchemaKind.RECORD,
) -> None:
    """Print the JSON Schema of one record (the record contract) or of one incident."""
    with _guard():
        sys.stdout.write(json.dumps(json_schema(str(kind)), indent=2) + "\n")


gazetteer_app = typer.Typer(
    no_args_is_help=True,
    help="The offline gazetteer: look a name up, add your own places, build a GeoNames index.",
)
app.add_typer(gazetteer_app, name="gazetteer")


class LookupFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@gazetteer_app.command("lookup")
def gazetteer_lookup(
    name: Annotated[str, typer.Argument(help="A place name as a report writes it.")],
    country: Annotated[
        str | None, typer.Option("--country", "-c", help="ISO alpha-2 code that the story is about.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many candidates to show.")] = 10,
    fmt: Annotated[LookupFormat, typer.Option("--format", "-f", help="table or json")] = LookupFormat.TABLE,
) -> None:
    """Show the candidates for NAME, most plausible first, with their prior score."""
    from sitroom.gazetteer import default_gazetteer

    with _guard():
        gaz = default_gazetteer()
        found = gaz.lookup(name, country)[:limit]
        rows = [
            {
                "name": e.name,
                "country": e.country,
                "admin1": e.admin1,
                "admin2": e.admin2,
                "lat": round(e.lat, 5),
                "lon": round(e.lon, 5),
                "feature": e.feature,
                "population": e.population,
                "alternate_spelling": e.alternate,
                "user": e.user,
                "prior": round(gaz.hinted_prior(e, country), 2),
            }
            for e in found
        ]
        if fmt == LookupFormat.JSON:
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
            return
        if not rows:
            _err(f"no place named {name!r} in the gazetteer; add it with `sitroom gazetteer add FILE.csv`")
            raise typer.Exit(1)
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"candidates for {name!r}")
        cols = ("name", "country", "admin1", "admin2", "lat", "lon", "feature", "population", "prior")
        for col in cols:
            table.add_column(col)
        for r in rows:
            table.add_row(*(str(r[c]) if r[c] is not None else "" for c in cols))
        Console(file=sys.stdout, width=160).print(table)


@gazetteer_app.command("add")
def gazetteer_add(
    places: Annotated[
        Path, typer.Argument(help="CSV: name,country,lat,lon[,admin1,admin2,feature,alias_of].")
    ],
) -> None:
    """Add your own places and aliases (CSV with a header) to the gazetteer's data folder.

    A row with lat, lon and country is a new place; a row with alias_of is another name of an
    existing place ("Kidal camp,ML,,,,,,Kidal"). The whole file is checked before anything is kept;
    adding the same rows twice keeps them once."""
    from sitroom.gazetteer import extra

    with _guard():
        added, target = extra.add_places(places)
        _err(f"{added} new row(s) added to {target}")


@gazetteer_app.command("build")
def gazetteer_build(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="GeoNames files: allCountries.zip, cities500.zip, a country .zip or .txt, "
            "alternateNamesV2.zip"
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Where to write the index (default: the data folder).")
    ] = None,
) -> None:
    """Build a full GeoNames index from dump files you downloaded (every village, offline after)."""
    from sitroom.gazetteer import extra

    with _guard():
        target = out or extra.data_dir() / extra.GEONAMES_DB
        for f in files:
            if not f.is_file():
                raise InputError(
                    "E045", f"no such file: {f}", "download it from the GeoNames dump and pass its path"
                )
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("reading GeoNames rows", total=None)
            stats = extra.build(files, target, progress=lambda n: bar.update(task, completed=n))
        _err(
            f"built {target}: {stats.places} places, {stats.names + stats.alternate_names} names "
            f"from {stats.files} file(s); sitroom uses it from now on"
        )


#: commands whose records go to standard output
_WRITES_RECORDS = frozenset(["extract", "events", "incidents", "schema", "gazetteer"])


def _check_streams(args: list[str]) -> None:
    """A closed standard stream is the user's setup, not a bug: say which and what to do, before any
    database is created."""
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    command = next((a for a in args if not a.startswith("-")), None)
    if sys.stdin is None:
        if "-" in args:
            _err(
                "error: standard input is closed, so '-' has nothing to read; pipe the text in, or give files"
            )
            raise SystemExit(1)
        sys.stdin = open(os.devnull)  # noqa: SIM115 - nothing reads it
    if sys.stdout is None:
        if command in _WRITES_RECORDS and "--help" not in args:
            _err(
                f"error: standard output is closed, and `sitroom {command}` writes its records there; "
                "redirect it to a file, e.g. > records.jsonl"
            )
            raise SystemExit(1)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing useful is printed there


def main() -> None:
    """Console-script entry point (`sitroom`)."""
    _check_streams(sys.argv[1:])
    app()


if __name__ == "__main__":
    main()
