"""Whole-record accuracy on real conflict reports: our own gold files for conflict-news-dev.

Usage: python bench/conflict_news.py [--gold bench/gold/conflict-news]
                                     [--data ../shared/data/conflict-news-dev]
                                     [--check ../shared/tools/check_record.py] [--half tune|test|all]
                                     [--show ID] [--json FILE]

Each gold file (bench/gold/GOLD-GUIDE.md) names an article of conflict-news-dev; part-a is the tuning
half, part-b the test half that no rule or setting is tuned on. For each article the pipeline runs
with the article's publication date, and ../shared/tools/check_record.py scores the record. Prints per
half: the mean share of all checks, of the event checks alone, event recall (gold events found) and
event precision (output events that match a gold event), and the per-field pass rates of matched events.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

from _evaluator import load_module

from sitroom.pipeline import Context, extract

HERE = Path(__file__).resolve().parent
HALVES = {"part-a.jsonl": "tune", "part-b.jsonl": "test"}


def _checker(path: Path) -> ModuleType:
    return load_module(path, "sitroom_check_record")


def _articles(data: Path) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for name in HALVES:
        if not (data / name).is_file():
            raise SystemExit(
                f"cannot read {data / name}: pass --data, the conflict-news-dev folder of ../shared/data"
            )
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            out[(name, row["id"])] = row
    return out


def _kind(name: str) -> str:
    """The family of a check_record check, from its name: event, quote, attribution, date, place, ..."""
    if name.startswith("event "):
        return "event"
    if name.startswith("same entity"):
        return "same entity"
    if name.endswith("is no event location"):
        return "not a place"
    return name.split(" ", 1)[0].rstrip(":")


def score_one(check: ModuleType, gold: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    checker = check.Checker(gold, record)
    results = checker.run()
    matched = checker.match_events()
    events = [r for r in results if r[0].startswith("event ")]
    fields: dict[str, list[bool]] = defaultdict(list)
    for name, ok, detail in events:
        if detail != "event not found":
            fields[name.split(": ", 1)[1]].append(ok)
    kinds: dict[str, list[bool]] = defaultdict(list)
    for name, ok, _ in results:
        kinds[_kind(name)].append(ok)
    return {
        "checks": len(results),
        "passed": sum(ok for _, ok, _ in results),
        "event_checks": len(events),
        "event_passed": sum(ok for _, ok, _ in events),
        "gold_events": len(gold.get("events", [])),
        "found": len(matched),
        "output_events": len(record.get("events") or []),
        "fields": dict(fields),
        "kinds": dict(kinds),
        "failures": [f"{name}   got: {detail[:140]}" for name, ok, detail in results if not ok],
    }


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    if not n:
        return {}
    fields: dict[str, list[bool]] = defaultdict(list)
    for r in rows:
        for k, v in r["fields"].items():
            fields[k] += v
    out_events = sum(r["output_events"] for r in rows)
    kinds: dict[str, list[bool]] = defaultdict(list)
    for r in rows:
        for k, v in r["kinds"].items():
            kinds[k] += v
    return {
        "articles": n,
        "mean_share_of_checks": round(sum(r["passed"] / r["checks"] for r in rows) / n, 3),
        "mean_share_of_event_checks": round(
            sum(r["event_passed"] / max(1, r["event_checks"]) for r in rows) / n, 3
        ),
        "event_recall": round(sum(r["found"] for r in rows) / max(1, sum(r["gold_events"] for r in rows)), 3),
        "event_precision": round(sum(r["found"] for r in rows) / max(1, out_events), 3),
        "gold_events": sum(r["gold_events"] for r in rows),
        "output_events": out_events,
        "matched_fields": {k: round(sum(v) / len(v), 3) for k, v in sorted(fields.items())},
        "checks_by_kind": {k: f"{sum(v)}/{len(v)} = {sum(v) / len(v):.3f}" for k, v in sorted(kinds.items())},
    }


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=HERE / "gold" / "conflict-news")
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data" / "conflict-news-dev")
    ap.add_argument("--check", type=Path, default=HERE.parent.parent / "shared" / "tools" / "check_record.py")
    ap.add_argument("--half", choices=["tune", "test", "all"], default="all")
    ap.add_argument("--show", action="append", default=[], help="print the failed checks of this article id")
    ap.add_argument("--json", type=Path, help="also write the per-article scores here")
    a = ap.parse_args(argv)
    check = _checker(a.check)
    articles = _articles(a.data)
    ctx = Context()
    per_half: dict[str, list[dict[str, Any]]] = defaultdict(list)
    per_article = {}
    for path in sorted(a.gold.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        ref = gold["article"]
        half = HALVES[ref["file"]]
        if a.half != "all" and half != a.half:
            continue
        art = articles[(ref["file"], ref["id"])]
        record = extract(art["text"], published=art.get("published"), ctx=ctx).model_dump(mode="json")
        row = score_one(check, gold, record)
        per_half[half].append(row)
        per_article[ref["id"]] = row
        print(
            f"{ref['id']}: {row['passed']}/{row['checks']}  events {row['found']}/{row['gold_events']} "
            f"found, {row['output_events']} output",
            file=sys.stderr,
        )
        if ref["id"] in a.show:
            print("\n".join("   FAIL " + f for f in row["failures"]), file=sys.stderr)
    summary = {half: summarize(rows) for half, rows in sorted(per_half.items())}
    print(json.dumps(summary, indent=1))
    if a.json:
        a.json.write_text(
            json.dumps({"summary": summary, "articles": per_article}, indent=1), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
