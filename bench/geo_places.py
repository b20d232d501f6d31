"""Benchmark: the places stage on GeoWebNews and on ACLED Kenya / Burkina Faso notes.

    .venv/bin/python bench/geo_places.py ../shared/tools/evaluate.py ../shared/data

GeoWebNews: the shared scorer's acc161 (of recognised toponyms and end to end), recall, precision.
ACLED: for ~300 notes, the share where the document's best place (first non-metonymic, most
specific) has the gold country, admin1 and lies within 25 km of the gold point.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from _evaluator import load_evaluator

from sitroom.draft import Draft
from sitroom.gazetteer import default_gazetteer
from sitroom.nlp import load, model_name
from sitroom.pipeline import Context, parse
from sitroom.stages import places


def _run(texts: list[str], ctx: Context) -> list[Draft]:
    drafts = [Draft(text=t, id=str(i)) for i, t in enumerate(texts)]
    for d, doc in zip(drafts, parse(texts, ctx.nlp), strict=True):
        d.doc = doc
        places.run(d, ctx)
    return drafts


def geowebnews(ev: ModuleType, data: Path, ctx: Context) -> dict[str, Any]:
    docs, records = ev.load_geo(str(data / "geowebnews" / "GWN.xml"), None, 0)
    drafts = _run([r["text"] for r in records], ctx)
    out = {
        r["id"]: {"places": [p.model_dump() for p in d.places]} for r, d in zip(records, drafts, strict=True)
    }
    result: dict[str, Any] = ev.score_geo(docs, records, out)
    return result


def acled(ev: ModuleType, data: Path, ctx: Context, per_country: int) -> dict[str, Any]:
    rows: list[dict[str, str]] = []
    rng = random.Random(7)
    for name in ("acled-kenya.csv", "acled-burkina-faso.csv"):
        with (data / "acled-dev" / name).open(encoding="utf-8", newline="") as fh:
            all_rows = [r for r in csv.DictReader(fh) if r.get("notes")]
        rows.extend(rng.sample(all_rows, min(per_country, len(all_rows))))
    drafts = _run([r["notes"] for r in rows], ctx)
    gaz = ctx.gazetteer
    hits = {"country": 0, "admin1": 0, "within_25km": 0, "all_three": 0, "any_place": 0}
    for row, d in zip(rows, drafts, strict=True):
        best = places.best_place(d.places)
        if best is None or best.lat is None or best.lon is None:
            continue
        hits["any_place"] += 1
        country = best.country == gaz.country_code(row["country"])
        ga1, pa1 = ev.norm(row["admin1"]), ev.norm(best.admin1)
        admin1 = bool(ga1 and pa1 and (ga1 == pa1 or ga1 in pa1 or pa1 in ga1))
        near = ev.km(float(row["latitude"]), float(row["longitude"]), best.lat, best.lon) <= 25
        hits["country"] += country
        hits["admin1"] += admin1
        hits["within_25km"] += near
        hits["all_three"] += country and admin1 and near
    n = len(rows)
    return {k: round(v / n, 3) for k, v in hits.items()} | {"docs": n}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("evaluate", help="path of shared/tools/evaluate.py")
    ap.add_argument("data", help="path of shared/data")
    ap.add_argument("--acled-per-country", type=int, default=150)
    args = ap.parse_args(argv)
    ev = load_evaluator(args.evaluate)
    gaz = default_gazetteer()
    t0 = time.perf_counter()
    gaz.best("Nairobi")
    load_s = time.perf_counter() - t0
    ctx = Context(gazetteer=gaz, nlp=load(model_name()))
    data = Path(args.data)
    report = {
        "gazetteer_cold_load_s": round(load_s, 2),
        "geowebnews": geowebnews(ev, data, ctx),
        "acled": acled(ev, data, ctx, args.acled_per_country),
    }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
