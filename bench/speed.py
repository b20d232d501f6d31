"""Speed benchmark (not a test): sitroom's articles/s against bare spaCy ``nlp.pipe`` on the same texts.

Both sides use the spaCy pipeline sitroom loads (``sitroom.nlp.load(model_name())``), so the ratio
shows what sitroom's own stages (language detection, entities, dates, places, attribution, events,
building the record and serialising it to JSON) cost on top of parsing.

    .venv/bin/python bench/speed.py                      # gva-dev if ../shared has it, else examples
    .venv/bin/python bench/speed.py --source examples --limit 100
    .venv/bin/python bench/speed.py --source acled --limit 300 --repeat 3
    .venv/bin/python bench/speed.py path/to/documents.jsonl   # or an ACLED-style .csv with `notes`

The result is a Markdown table on stdout; progress goes to stderr. It only times the stages, it
checks nothing they return.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import shlex
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED_DATA = ROOT.parent / "shared" / "data"
GVA = SHARED_DATA / "gva-dev" / "gva_news_documents.jsonl"
ACLED = SHARED_DATA / "acled-dev" / "acled-kenya.csv"
DEFAULT_LIMIT = {"examples": 100, "gva": 200, "acled": 200}

Item = tuple[str, dt.date | None]

_DATELINE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(\d{1,2}),\s+(\d{4})"
)
_ACLED_DATE_FORMATS = ("%d %B %Y", "%d-%m-%y", "%Y-%m-%d", "%d-%B-%Y", "%d/%m/%Y")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def dateline_date(text: str) -> dt.date | None:
    """The publication date in a dateline such as ``MOKHA, Yemen, March 14, 2024 (Wire) —``."""
    match = _DATELINE.search(text[:300])
    if not match:
        return None
    try:
        return dt.datetime.strptime(" ".join(match.groups()), "%B %d %Y").date()
    except ValueError:
        return None


def iso_date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def acled_date(value: str) -> dt.date | None:
    for fmt in _ACLED_DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def example_texts(limit: int) -> list[Item]:
    """The bundled examples, repeated (in order) until there are ``limit`` texts."""
    files = sorted(EXAMPLES.glob("*.txt"))
    if not files:
        raise SystemExit(f"no example reports in {EXAMPLES}")
    base = [(text, dateline_date(text)) for text in (f.read_text(encoding="utf-8") for f in files)]
    return [base[i % len(base)] for i in range(limit)]


def gva_texts(path: Path, limit: int) -> list[Item]:
    """The first ``limit`` documents of a GVA-style JSONL file: title + blank line + content."""
    items: list[Item] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if len(items) >= limit:
                break
            if not line.strip():
                continue
            row = json.loads(line)
            title = (row.get("title") or "").strip()
            content = row.get("content") or row.get("text") or ""
            text = f"{title}\n\n{content}" if title else content
            if text.strip():
                items.append((text, iso_date(row.get("dct") or row.get("published") or "")))
    return items


def acled_texts(path: Path, limit: int) -> list[Item]:
    """The ``notes`` of the first ``limit`` rows of an ACLED export, dated by ``event_date``."""
    items: list[Item] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if len(items) >= limit:
                break
            notes = (row.get("notes") or "").strip()
            if notes:
                items.append((notes, acled_date(row.get("event_date") or "")))
    return items


def load_texts(source: str, path: Path | None, limit: int) -> list[Item]:
    if source == "examples":
        return example_texts(limit)
    if source == "gva":
        return gva_texts(path or GVA, limit)
    return acled_texts(path or ACLED, limit)


def time_best(label: str, fn: Callable[[], int], repeat: int) -> tuple[float, float]:
    """Best wall time and best process CPU time over ``repeat`` runs of ``fn``.

    ``fn`` returns how many articles it consumed. CPU time is reported too because wall time on a
    shared machine also counts other people's work.
    """
    best_wall = best_cpu = float("inf")
    for i in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        n = fn()
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        log(f"  {label} run {i + 1}/{repeat}: {n} articles in {wall:.2f} s wall, {cpu:.2f} s CPU")
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
    return best_wall, best_cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        help="a GVA-style .jsonl (title/content/dct) or an ACLED .csv (notes/event_date); "
        f"default {GVA.relative_to(ROOT.parent)} or {ACLED.relative_to(ROOT.parent)}",
    )
    parser.add_argument(
        "--source",
        choices=("examples", "gva", "acled"),
        help="where the texts come from (default: from PATH's extension, else gva when "
        "../shared has it, else examples)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="number of texts: the first N documents or rows, or the examples repeated to N "
        "(default: 200 for gva and acled, 100 for examples)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="R",
        help="time each side R times and keep the best (default 1)",
    )
    parser.add_argument("--batch-size", type=int, default=16, help="batch size for both sides (default 16)")
    args = parser.parse_args(argv)

    source = args.source
    if source is None:
        if args.path is not None:
            source = "acled" if args.path.suffix.lower() == ".csv" else "gva"
        else:
            source = "gva" if GVA.is_file() else "examples"
    if args.path is not None and source == "examples":
        parser.error("a PATH goes with --source gva or --source acled")
    if args.path is not None and not args.path.is_file():
        parser.error(f"no such file: {args.path}")
    if args.path is None and source in ("gva", "acled") and not (GVA if source == "gva" else ACLED).is_file():
        parser.error(f"--source {source} needs ../shared/data (or a PATH); try --source examples")
    limit = args.limit if args.limit is not None else DEFAULT_LIMIT[source]
    if limit < 1 or args.repeat < 1 or args.batch_size < 1:
        parser.error("--limit, --repeat and --batch-size must be at least 1")

    items = load_texts(source, args.path, limit)
    if not items:
        log("no texts to time")
        return 1
    texts = [text for text, _ in items]
    total_chars = sum(len(t) for t in texts)
    log(f"{len(texts)} texts from {source}, {total_chars:,} characters")

    from sitroom.nlp import load, model_name
    from sitroom.pipeline import Context, extract_many, make_draft, to_record

    # Warm-up, outside the timing: the spaCy pipeline, the gazetteer, lazy imports in the stages.
    name = model_name()
    log(f"loading spaCy pipeline {name} ...")
    nlp = load(name)
    ctx = Context(nlp=nlp)
    log("loading the gazetteer ...")
    _ = ctx.gazetteer
    for _doc in nlp.pipe(texts[:1], batch_size=args.batch_size):
        pass

    def run_spacy() -> int:
        n = 0
        for _doc in nlp.pipe(texts, batch_size=args.batch_size):
            n += 1
        return n

    def run_sitroom() -> int:
        n = 0
        drafts = (make_draft(text, published=published) for text, published in items)
        for draft in extract_many(drafts, ctx, batch_size=args.batch_size):
            to_record(draft).model_dump_json()
            n += 1
        return n

    sitroom_error: str | None = None
    try:
        log("warming up sitroom on one document ...")
        for draft in extract_many([make_draft(texts[0], published=items[0][1])], ctx):
            to_record(draft).model_dump_json()
    except Exception as exc:  # the stages are work in progress; still report spaCy
        traceback.print_exc()
        sitroom_error = f"{type(exc).__name__}: {exc}"

    log("timing bare spaCy nlp.pipe ...")
    spacy_s, spacy_cpu = time_best("spaCy", run_spacy, args.repeat)
    sitroom_s: float | None = None
    sitroom_cpu = 0.0
    if sitroom_error is None:
        log("timing sitroom extract_many + to_record + JSON ...")
        try:
            sitroom_s, sitroom_cpu = time_best("sitroom", run_sitroom, args.repeat)
        except Exception as exc:
            traceback.print_exc()
            sitroom_error = f"{type(exc).__name__}: {exc}"

    n = len(texts)
    spacy_rate = n / spacy_s
    command = ["bench/speed.py"]
    if args.path is not None:
        command.append(str(args.path))
    command += ["--source", source, "--limit", str(limit), "--repeat", str(args.repeat)]
    if args.batch_size != 16:
        command += ["--batch-size", str(args.batch_size)]

    print(
        f"Speed: sitroom vs bare spaCy `nlp.pipe` ({name}, batch size {args.batch_size}, "
        f"{os.cpu_count()} CPUs, best of {args.repeat})"
    )
    print()
    print("| texts | total chars | spaCy articles/s | sitroom articles/s | ratio sitroom/spaCy |")
    print("|---:|---:|---:|---:|---:|")
    if sitroom_s is not None:
        sitroom_rate = n / sitroom_s
        print(
            f"| {n} | {total_chars:,} | {spacy_rate:.1f} | {sitroom_rate:.1f} | "
            f"{sitroom_rate / spacy_rate:.2f} |"
        )
    else:
        print(f"| {n} | {total_chars:,} | {spacy_rate:.1f} | error | n/a |")
    print()
    cpu_line = f"Seconds, best run: spaCy {spacy_s:.2f} wall / {spacy_cpu:.2f} CPU"
    if sitroom_s is not None:
        cpu_line += (
            f"; sitroom {sitroom_s:.2f} wall / {sitroom_cpu:.2f} CPU "
            f"(CPU ratio sitroom/spaCy {spacy_cpu / max(sitroom_cpu, 1e-9):.2f})"
        )
    print(cpu_line + ".")
    print()
    if sitroom_error is not None:
        print(f"sitroom failed: {sitroom_error}")
        print()
    print(f"Reproduce: `.venv/bin/python {shlex.join(command)}`")
    return 0 if sitroom_error is None else 1


if __name__ == "__main__":
    sys.exit(main())
