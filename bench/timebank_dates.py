"""Score the dates stage on TimeBank 1.2 (DATE timexes with an ISO value, normalized against the DCT).

.venv/bin/python bench/timebank_dates.py ../shared/tools/evaluate.py ../shared/data/timebank
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from typing import Any

from _evaluator import load_evaluator

from sitroom.draft import Draft
from sitroom.nlp import load, model_name
from sitroom.pipeline import Context, Settings
from sitroom.stages import dates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("evaluate", help="path of shared/tools/evaluate.py")
    parser.add_argument("timebank", help="folder of TimeBank .tml files")
    parser.add_argument("--limit", type=int, default=0, help="score a random sample of this many docs")
    parser.add_argument("--no-doc", action="store_true", help="run the stage without the spaCy parse")
    args = parser.parse_args()
    evaluate = load_evaluator(args.evaluate)
    docs, records = evaluate.load_timeml(args.timebank, args.limit, 0)
    nlp = None if args.no_doc else load(model_name())
    ctx = Context(Settings(today=dt.date.today()))
    out: dict[str, dict[str, Any]] = {}
    elapsed = 0.0
    for rec in records:
        published = dt.date.fromisoformat(rec["published"]) if rec["published"] else None
        draft = Draft(text=rec["text"], id=rec["id"], published=published)
        if nlp is not None:
            draft.doc = nlp(rec["text"])
        began = time.perf_counter()
        dates.run(draft, ctx)
        elapsed += time.perf_counter() - began
        out[rec["id"]] = {"dates": [d.model_dump() for d in draft.dates]}
    metrics = evaluate.score_timeml(docs, records, out)
    metrics["stage_ms_per_doc"] = round(1000 * elapsed / max(len(records), 1), 2)
    print(json.dumps(metrics))


if __name__ == "__main__":
    main()
