"""Incident grouping benchmark: B-cubed over documents on GVA-dev, per half, in file order and shuffled.

Usage: python bench/incidents.py [--db DB] [--data ../shared/data/gva-dev] [--shuffle SEED]
                                 [--time] [--evaluate ../shared/tools/evaluate.py]

Without --db, ingests the articles into a temporary database first. Groups the stored reports again
in file order (and, with --shuffle, in a seeded random order) and scores the incidents against GVA's
incident of each article: B-cubed precision, recall and F1 over documents, for all articles and for
each half of the incidents (by a hash of the incident id: "tune" is where the weights and threshold
of sitroom/incidents.py were set, "test" is only scored). Putting every article alone is the
baseline. With --time, also times `sitroom ingest --no-group` against `sitroom ingest` on the
articles (two full extractions: several minutes).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _evaluator import load_evaluator

from sitroom import incidents
from sitroom.store import open_store

HERE = Path(__file__).resolve().parent
SITROOM = str(Path(sys.executable).parent / "sitroom")


def half_of(incident_id: str) -> str:
    return "tune" if int(hashlib.md5(incident_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def ingest(records: list[dict[str, Any]], db: Path, group: bool) -> float:
    """Run `sitroom ingest` on the records; seconds it took."""
    src = db.with_suffix(".jsonl")
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    args = [SITROOM, "ingest", "--db", str(db), str(src)] + ([] if group else ["--no-group"])
    t0 = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{shlex.join(args)} failed: {proc.stderr[-2000:]}")
    return time.perf_counter() - t0


def scores(ev: Any, truth: dict[str, str], assign: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in ("all", "tune", "test"):
        items = {d: i for d, i in truth.items() if part == "all" or half_of(i) == part}
        pred = {d: assign.get(d, "solo:" + d) for d in items}
        p, r, f = ev.bcubed(items, pred)
        solo = ev.bcubed(items, {d: d for d in items})[2]
        out[part] = {
            "bcubed_precision": p,
            "bcubed_recall": r,
            "bcubed_f1": f,
            "alone_f1": solo,
            "docs": len(items),
            "gold_incidents": len(set(items.values())),
            "predicted_incidents": len(set(pred.values())),
        }
    return out


def grouped(db: Path, order: list[str] | None) -> tuple[dict[str, str], float]:
    with open_store(db, create=False) as store:
        t0 = time.perf_counter()
        incidents.rebuild(store.conn, order=order)
        seconds = time.perf_counter() - t0
        assign = {d: inc.id for inc in store.incidents() for d in inc.documents}
    return assign, seconds


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--evaluate", type=Path, default=HERE.parent.parent / "shared" / "tools" / "evaluate.py")
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data" / "gva-dev")
    ap.add_argument("--db", type=Path, help="a database the articles were ingested into")
    ap.add_argument(
        "--shuffle", type=int, action="append", default=[], help="also group in this seeded order"
    )
    ap.add_argument("--time", action="store_true", help="time ingest with and without grouping")
    a = ap.parse_args(argv)
    ev = load_evaluator(a.evaluate)
    gold, records = ev.load_gva(str(a.data), 0, 0)
    truth = {r["id"]: str(g["doc"]["incident_id"]) for g, r in zip(gold, records, strict=True)}
    result: dict[str, Any] = {}
    tmp = Path(tempfile.mkdtemp(prefix="sitroom-incidents-"))
    if a.time:
        result["seconds_ingest_no_group"] = round(ingest(records, tmp / "plain.db", group=False), 1)
        result["seconds_ingest_grouped"] = round(ingest(records, tmp / "grouped.db", group=True), 1)
        a.db = a.db or tmp / "grouped.db"
    if a.db is None:
        ingest(records, tmp / "grouped.db", group=True)
        a.db = tmp / "grouped.db"
    order = [r["id"] for r in records]
    assign, seconds = grouped(a.db, order)
    result["file_order"] = scores(ev, truth, assign)
    result["seconds_regroup"] = round(seconds, 2)
    for seed in a.shuffle:
        shuffled = order[:]
        random.Random(seed).shuffle(shuffled)
        result[f"shuffled_{seed}"] = scores(ev, truth, grouped(a.db, shuffled)[0])
    grouped(a.db, order)  # leave the database grouped in file order
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
