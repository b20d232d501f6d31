"""Where the pipeline runs over many inputs: in this process, in worker processes, or on a Dask cluster.

Every engine takes batches of `Item`s and gives back, batch by batch and in input order, one
`Extracted` per item: its record (compact, see sitroom.pieces), the text the record's offsets index,
its warnings, or the input error that stopped it. Only records travel back from a worker, never a
parse. A worker loads the spaCy pipeline and the gazetteer once and keeps them for every batch.
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, cast

from sitroom import pipeline
from sitroom.draft import Draft
from sitroom.errors import InputError, SitroomError
from sitroom.model import Record
from sitroom.sources import Item

#: documents parsed together (spaCy's ``nlp.pipe`` batch), and the unit of work a worker takes
BATCH_SIZE = 16
WORKERS_ENV = "SITROOM_WORKERS"


@dataclass
class Extracted:
    """What became of one input. ``body`` is None when the record indexes the input's own text."""

    record: Record | None = None
    body: str | None = None
    warnings: list[str] = field(default_factory=list)
    failure: InputError | None = None
    #: the record went to a Parquet part (see `Output`) instead of coming back
    written: bool = False


@dataclass(frozen=True)
class Output:
    """Where each batch's records go instead of coming back: a Parquet dataset folder
    (see sitroom.parquet), written by whichever process extracted the batch."""

    folder: str


@dataclass(frozen=True)
class Job:
    """What every batch of a run is extracted with (sent along with each batch to a worker)."""

    settings: pipeline.Settings
    published: dt.date | None = None
    with_text: bool = False
    output: Output | None = None


def _finish(results: list[Extracted], output: Output | None, part: int) -> list[Extracted]:
    if output is None:
        return results
    from sitroom.parquet import write_part

    records = [r.record for r in results if r.record is not None]
    if records:
        write_part(records, output.folder, part)
    for r in results:
        if r.record is not None:
            r.record, r.body, r.written = None, None, True
    return results


class WorkerBug(Exception):
    """A bug met while processing one input, in whichever process: the input's label, the error's
    type and message, and its traceback as text (so that it survives the trip back from a worker)."""

    def __init__(self, label: str, kind: str, message: str, trace: str = "") -> None:
        super().__init__(f"{label}: {kind}: {message}")
        self.label, self.kind, self.message, self.trace = label, kind, message, trace

    def __reduce__(self) -> tuple[type[WorkerBug], tuple[str, str, str, str]]:
        return (type(self), (self.label, self.kind, self.message, self.trace))

    @classmethod
    def of(cls, label: str, exc: BaseException) -> WorkerBug:
        return cls(label, type(exc).__name__, str(exc), "".join(traceback.format_exception(exc)))


def workers_setting(value: int | str | None = None) -> int:
    """How many worker processes: the value, else SITROOM_WORKERS, else the number of cores this
    process may use. 1 runs in this process."""
    raw = value if value is not None else os.environ.get(WORKERS_ENV)
    if raw is None or str(raw).strip() == "":
        cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
        return max(1, len(cores))
    try:
        n = int(str(raw).strip())
    except ValueError:
        n = 0
    if n < 1:
        raise ValueError(f"workers must be a whole number of at least 1, not {raw!r}")
    return n


def _draft(item: Item, published: dt.date | None) -> Draft:
    draft = pipeline.make_draft(
        item.text,
        published=item.published or published,
        id=item.id,
        url=item.url,
        title=item.title,
        source=item.source,
    )
    draft.extra["label"] = item.label
    return draft


def _extracted(item: Item, draft: Draft, with_text: bool) -> Extracted:
    return Extracted(
        record=pipeline.to_record(draft, with_text, compact=True),
        body=None if draft.text == item.text else draft.text,
        warnings=draft.warnings,
    )


def extract_batch(
    batch: list[Item], published: dt.date | None, ctx: pipeline.Context, with_text: bool = False
) -> list[Extracted]:
    """Run the pipeline over a batch (parsed together); when it fails, rerun it document by document
    to find the culprit. An input error fails its document alone; a setup error (no spaCy pipeline)
    propagates; a bug raises `WorkerBug` naming the input."""
    try:
        drafts = list(pipeline.extract_many([_draft(i, published) for i in batch], ctx, BATCH_SIZE))
    except InputError:
        drafts = []
    except SitroomError:
        raise  # about the setup, not about one document
    except Exception:
        drafts = []
    if drafts:
        return [_extracted(i, d, with_text) for i, d in zip(batch, drafts, strict=True)]
    out = []
    for item in batch:
        # A fresh draft: the failed batch may have left stage output on the old ones.
        try:
            (draft,) = pipeline.extract_many([_draft(item, published)], ctx, 1)
        except InputError as exc:
            out.append(Extracted(failure=exc))
            continue
        except SitroomError:
            raise
        except Exception as exc:
            raise WorkerBug.of(item.label, exc) from exc
        out.append(_extracted(item, draft, with_text))
    return out


# --- engines ------------------------------------------------------------------------------------------


Batch = list[Item]
Submit = Callable[[Batch, int], "Future[list[Extracted]]"]


def _in_order(
    batches: Iterable[Batch], submit: Submit, window: int
) -> Iterator[tuple[Batch, list[Extracted]]]:
    """Submit batches (with their number), at most ``window`` at a time, and give their results in
    input order."""
    pending: collections.deque[tuple[Batch, Future[list[Extracted]]]] = collections.deque()
    try:
        for part, batch in enumerate(batches):
            pending.append((batch, submit(batch, part)))
            while len(pending) >= window:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        for _batch, future in pending:
            future.cancel()


class Serial:
    """Everything in this process."""

    def __init__(self, ctx: pipeline.Context, job: Job) -> None:
        self.ctx, self.job = ctx, job

    def run(self, batches: Iterable[Batch]) -> Iterator[tuple[Batch, list[Extracted]]]:
        job = self.job
        for part, batch in enumerate(batches):
            results = extract_batch(batch, job.published, self.ctx, job.with_text)
            yield batch, _finish(results, job.output, part)

    def close(self) -> None:
        pass


#: the context of a worker process (or Dask worker), made once by `_worker_context`
_WORKER: dict[str, pipeline.Context] = {}


def _worker_context(settings: pipeline.Settings) -> pipeline.Context:
    key = repr(settings)
    ctx = _WORKER.get(key)
    if ctx is None:
        ctx = _WORKER[key] = pipeline.Context(settings)
        _ = ctx.nlp, ctx.gazetteer, ctx.actor_table, ctx.event_typer  # loaded once, before any batch
    return ctx


#: a setup error met while a worker process started (no spaCy pipeline, a bad actor file): told by
#: its first batch, as the main process would tell it, instead of a broken pool
_SETUP: list[SitroomError] = []


def _init_worker(settings: pipeline.Settings, parent: int) -> None:
    _orphan_watch(parent)
    try:
        _worker_context(settings)
    except SitroomError as exc:
        _SETUP.append(exc)


def _orphan_watch(parent: int) -> None:
    """End this worker when the process that started it is gone (killed, say, with SIGKILL, which
    leaves it no chance to stop its workers): an orphan would go on parsing for nobody."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="sitroom-orphan-watch", daemon=True).start()


def run_remote(batch: Batch, part: int, job: Job) -> list[Extracted]:
    """A batch in a worker process or on a Dask worker (``part``: its number, naming its Parquet part)."""
    if _SETUP:
        raise _SETUP[0]
    results = extract_batch(batch, job.published, _worker_context(job.settings), job.with_text)
    return _finish(results, job.output, part)


class _Remote:
    """An engine whose workers are other processes: batches submitted in order, at most two per
    worker in flight."""

    workers: int
    job: Job

    def submit(self, batch: Batch, part: int) -> Future[list[Extracted]]:
        raise NotImplementedError

    def run(self, batches: Iterable[Batch]) -> Iterator[tuple[Batch, list[Extracted]]]:
        yield from _in_order(batches, self.submit, 2 * self.workers)


class Processes(_Remote):
    """Worker processes on this machine (``spawn``ed: a clean interpreter each, whatever threads this
    one runs), each with its own spaCy pipeline."""

    def __init__(self, workers: int, job: Job) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.workers, self.job = workers, job
        self.pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(job.settings, os.getpid()),
        )

    def submit(self, batch: Batch, part: int) -> Future[list[Extracted]]:
        return self.pool.submit(run_remote, batch, part, self.job)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class Dask(_Remote):
    """Batches spread over a Dask cluster: the one at ``scheduler`` (tcp://HOST:PORT), or a local one
    on 127.0.0.1 with its dashboard off. Each Dask worker keeps one sitroom context."""

    def __init__(self, scheduler: str | None, workers: int, job: Job) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - a dependency of sitroom
            raise SitroomError("E021", "Dask is not installed", "pip install 'dask[distributed]'") from None
        self.cluster: Any = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="30s")  # type: ignore[no-untyped-call]
            except (OSError, TimeoutError, ValueError) as exc:
                raise SitroomError(
                    "E022",
                    f"cannot reach the Dask scheduler {scheduler} ({exc})",
                    "check its address (tcp://HOST:PORT) and that it runs, or leave out --scheduler "
                    "to start a local cluster",
                ) from None
        else:
            self.cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=40,  # logging.ERROR: progress is sitroom's, on stderr
            )
            self.client = Client(self.cluster)  # type: ignore[no-untyped-call]
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or workers)
        self.job = job

    def submit(self, batch: Batch, part: int) -> Future[list[Extracted]]:
        # a Dask future answers result() and cancel() as a concurrent one does
        future: Any = self.client.submit(run_remote, batch, part, self.job, pure=False)
        return cast("Future[list[Extracted]]", future)

    def close(self) -> None:
        self.client.close()  # type: ignore[no-untyped-call]
        if self.cluster is not None:
            self.cluster.close()
