"""Throughput benchmark (not a test): `sitroom extract` end to end against bare spaCy ``nlp.pipe``.

Every run is a fresh process timed from start to exit (loading the model included, as a user waits
for it), its output thrown away; peak memory is the largest resident set of the process and its
workers (``wait4``'s ``ru_maxrss``, which covers every process of the tree).

    .venv/bin/python bench/throughput.py                    # 300 GVA-dev articles of about 500 words
    .venv/bin/python bench/throughput.py --limit 1000 --words 100-2000 --dask   # and Dask, 1 and 2 workers
    .venv/bin/python bench/throughput.py --corpus my.jsonl  # {id, text, ...} per line

The articles are the first ones of ``../shared/data/gva-dev`` with 300 to 800 words (``--words``), in
file order.
Output: a Markdown table on stdout, progress on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GVA = ROOT.parent / "shared" / "data" / "gva-dev" / "gva_news_documents.jsonl"
PYTHON = sys.executable

SPACY = """
import sys, json
from sitroom import nlp as loader
nlp = loader.load(loader.model_name())
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
for _ in nlp.pipe(texts, batch_size=16, n_process=int(sys.argv[2])):
    pass
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def corpus(limit: int, folder: Path, low: int, high: int) -> Path:
    out = folder / f"corpus-{limit}.jsonl"
    n = 0
    with GVA.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            row = json.loads(line)
            words = len(row["content"].split())
            if not low <= words <= high:
                continue
            doc = {
                "id": row["doc_id"],
                "text": row["content"],
                "title": row["title"],
                "published": row["dct"],
            }
            dst.write(json.dumps(doc) + "\n")
            n += 1
            if n == limit:
                break
    if n < limit:
        raise SystemExit(f"only {n} articles of {low}-{high} words in {GVA}: widen --words")
    return out


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MB of a command's whole process tree."""
    log("  $ " + shlex.join(cmd))
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {shlex.join(cmd)}\n{stderr[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, help="a JSONL of {id, text} (default: GVA-dev articles)")
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--words", default="300-800", help="the articles' length in words (default 300-800)")
    parser.add_argument("--dask", action="store_true", help="also time --engine dask with 1 and 2 workers")
    args = parser.parse_args()
    sitroom = [PYTHON, "-m", "sitroom.cli", "extract", "--format", "jsonl"]
    with tempfile.TemporaryDirectory() as tmp:
        low, high = (int(w) for w in args.words.split("-"))
        path = args.corpus or corpus(args.limit, Path(tmp), low, high)
        n = sum(1 for _ in path.open(encoding="utf-8"))
        words = sum(len(json.loads(line)["text"].split()) for line in path.open(encoding="utf-8"))
        log(f"{n} articles, {words / n:.0f} words on average")
        runs: list[tuple[str, list[str], dict[str, str] | None]] = [
            ("bare spaCy nlp.pipe, n_process=1", [PYTHON, "-c", SPACY, str(path), "1"], None),
            ("bare spaCy nlp.pipe, n_process=2", [PYTHON, "-c", SPACY, str(path), "2"], None),
            ("sitroom extract --workers 1", [*sitroom, "--workers", "1", str(path)], None),
            ("sitroom extract (defaults: a worker per core)", [*sitroom, str(path)], {"SITROOM_WORKERS": ""}),
        ]
        if args.dask:
            for w in (1, 2):
                cmd = [*sitroom, "--engine", "dask", "--workers", str(w), str(path)]
                runs.append((f"sitroom extract --engine dask --workers {w}", cmd, None))
        results = {}
        for label, cmd, env in runs:
            log(label)
            results[label] = timed(cmd, env)
            seconds, mb = results[label]
            log(f"  {seconds:.1f} s, {n / seconds:.1f} articles/s, {mb:.0f} MB")
    spacy2 = results["bare spaCy nlp.pipe, n_process=2"][0]
    print(f"{n} articles of about {words / n:.0f} words, {os.cpu_count()} cores, start-up included\n")
    print("| run | seconds | articles/s | time / spaCy n_process=2 | peak MB (largest process) |")
    print("|---|---:|---:|---:|---:|")
    for label, (seconds, mb) in results.items():
        print(f"| {label} | {seconds:.1f} | {n / seconds:.1f} | {seconds / spacy2:.2f} | {mb:.0f} |")
    if args.dask:
        one = results["sitroom extract --engine dask --workers 1"][0]
        two = results["sitroom extract --engine dask --workers 2"][0]
        print(f"\nDask: 2 workers take {two / one:.2f}x the time of 1.")
    print(f"\nReproduce: `.venv/bin/python bench/throughput.py {' '.join(sys.argv[1:])}`".rstrip())


if __name__ == "__main__":
    main()
