"""Per-article casualties, date and place on GVA-dev, for each half of the incidents.

Usage: python bench/gva_halves.py [--data ../shared/data/gva-dev] [--half tune|test|all]
                                  [--evaluate ../shared/tools/evaluate.py]

Runs the pipeline on every GVA-dev article (title and text, with its publication date) and scores
it as `evaluate.py gva` does (killed, injured, date, state and city of the first event against GVA's
incident), separately for the two halves of the incidents that bench/incidents.py uses: "tune" is
where the local-news rules were looked at, "test" is only scored. About 2 minutes a half.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from _evaluator import load_evaluator
from incidents import half_of

from sitroom.pipeline import Context, extract

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--evaluate", type=Path, default=HERE.parent.parent / "shared" / "tools" / "evaluate.py")
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data" / "gva-dev")
    ap.add_argument("--half", choices=["tune", "test", "all"], default="all")
    a = ap.parse_args(argv)
    ev = load_evaluator(a.evaluate)
    gold, records = ev.load_gva(str(a.data), 0, 0)
    ctx = Context()
    result = {}
    for half in ("tune", "test") if a.half == "all" else (a.half,):
        pairs = [
            (g, r)
            for g, r in zip(gold, records, strict=True)
            if half_of(str(g["incident"]["incident_uri"])) == half
        ]
        out = {}
        for n, (_g, r) in enumerate(pairs, 1):
            record = extract(r["text"], published=r.get("published"), id=r["id"], url=r.get("url"), ctx=ctx)
            out[r["id"]] = record.model_dump(mode="json")
            if n % 100 == 0:
                print(f"{half}: {n}/{len(pairs)}", file=sys.stderr)
        result[half] = ev.score_gva([g for g, _r in pairs], [r for _g, r in pairs], out)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
