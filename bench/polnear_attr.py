"""PolNeAR attribution benchmark: the places, entities and attribution stages over a PolNeAR split.

Usage: python bench/polnear_attr.py [--evaluate ../shared/tools/evaluate.py]
                                    [--data ../shared/data/polnear/dev] [--limit N] [--errors K]

Prints attribution_f1, precision, recall, source_overlap_acc, source_exact_acc and cue_overlap_acc
as scored by the shared evaluator (content spans overlap; sources and cues overlap the gold ones).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from _evaluator import load_evaluator

from sitroom.draft import Draft
from sitroom.nlp import load, model_name
from sitroom.pipeline import Context
from sitroom.stages import attribution, entities, places

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--evaluate", type=Path, default=HERE.parent.parent / "shared" / "tools" / "evaluate.py")
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data" / "polnear" / "dev")
    ap.add_argument("--limit", type=int, default=0, help="score a sample of N documents (0: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--errors", type=int, default=0, help="print K unmatched gold attributions")
    ap.add_argument("--spurious", type=int, default=0, help="print K system attributions with no gold")
    ap.add_argument("--sources", type=int, default=0, help="print K matched attributions with a wrong source")
    a = ap.parse_args(argv)
    ev = load_evaluator(a.evaluate)
    docs, records = ev.load_polnear(str(a.data), a.limit, a.seed)
    nlp = load(model_name())
    ctx = Context(nlp=nlp)
    out: dict[str, dict[str, Any]] = {}
    t0 = time.perf_counter()
    for rec, doc in zip(records, nlp.pipe(r["text"] for r in records), strict=True):
        draft = Draft(text=rec["text"], id=rec["id"])
        draft.doc = doc
        for stage in (places.run, entities.run, attribution.run):  # sources resolve to entities
            stage(draft, ctx)
        out[rec["id"]] = {"attributions": [x.model_dump() for x in draft.attributions]}
    elapsed = time.perf_counter() - t0
    scores = ev.score_polnear(docs, records, out)
    scores["seconds"] = round(elapsed, 2)
    print(json.dumps(scores, indent=1))
    if a.spurious:
        shown = 0
        for d, rec in zip(docs, records, strict=True):
            for s in out[rec["id"]]["attributions"]:
                c = s["content"]
                if any(ev.overlaps(c["start"], c["end"], *g["content"]) for g in d["gold"]):
                    continue
                src, cue = (s["source"] or {}).get("text"), (s["cue"] or {}).get("text")
                print(
                    f"SPURIOUS {rec['id']}: src={src!r} cue={cue!r} q={s['quote']} content={c['text'][:90]!r}"
                )
                shown += 1
                if shown >= a.spurious:
                    break
    if a.sources:
        _wrong_sources(ev, docs, records, out, a.sources)
    if a.errors:
        shown = 0
        for d, rec in zip(docs, records, strict=True):
            text, sysa = rec["text"], out[rec["id"]]["attributions"]
            for g in d["gold"]:
                g0, g1 = g["content"]
                if any(ev.overlaps(s["content"]["start"], s["content"]["end"], g0, g1) for s in sysa):
                    continue
                src = text[g["source"][0] : g["source"][1]] if g["source"] else None
                cue = text[g["cue"][0] : g["cue"][1]] if g["cue"] else None
                print(f"MISS {rec['id']}: src={src!r} cue={cue!r} content={text[g0:g1][:90]!r}")
                shown += 1
                if shown >= a.errors:
                    return 0
    return 0


def _wrong_sources(ev: Any, docs: list[Any], records: list[Any], out: dict[str, Any], k: int) -> None:
    """Print matched attributions whose source misses the gold source (the evaluator's matching)."""
    shown = 0
    for d, rec in zip(docs, records, strict=True):
        text, sysa, used = rec["text"], out[rec["id"]]["attributions"], set()
        for g in d["gold"]:
            for i, s in enumerate(sysa):
                c = s["content"]
                if i in used or not ev.overlaps(c["start"], c["end"], *g["content"]):
                    continue
                used.add(i)
                ss = s["source"] or {}
                if g["source"] and not (ss and ev.overlaps(ss["start"], ss["end"], *g["source"])):
                    gold = text[g["source"][0] : g["source"][1]]
                    cue = (s["cue"] or {}).get("text")
                    print(f"SOURCE {rec['id']}: gold={gold!r} got={ss.get('text')!r} cue={cue!r}")
                    shown += 1
                    if shown >= k:
                        return
                break


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
