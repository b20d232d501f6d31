"""Choose how much say the learned typer gets beside the rules (RETYPE_AT and ADD_AT in
sitroom/stages/events/detect.py), on a dev part of the labelled train split.

    python training/tune.py          # about 3 minutes on 2 cores; prints the grid's best settings

Fits a typer on 85 % of the train split, then for the other 15 % compares the rules' sentence type
(the pipeline with the typer off) and the typer's probabilities under every setting of the grid,
scored by weighted F1 over the 26 labels. The test split is never read.
"""

from __future__ import annotations

import hashlib
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from event_typing import main_sub, scores
from labelled import NONE, load
from train import train

from sitroom.context import Context, Settings
from sitroom.stages.events.detect import rule_features


def _dev(sentence_id: str) -> bool:
    return int(hashlib.md5(sentence_id.encode()).hexdigest()[:8], 16) % 100 < 15


def decide(rules: str, probs: dict[str, float], retype: float, add: float) -> str:
    """The sentence's type under a setting. A simplification of stages/events/detect.py: the pipeline
    also keeps the rules' type where a context rule set it, in a sentence with a background event or
    a negation, and adds nothing where the rules found a planned or negated trigger."""
    label = max(probs, key=lambda k: probs[k])
    if rules != NONE:
        if label not in (NONE, rules) and probs[label] >= retype:
            return label
        return rules
    return label if label != NONE and probs[label] >= add else NONE


def main() -> None:
    rows = [s for s in load() if s.split == "train"]
    fit, dev = [s for s in rows if not _dev(s.id)], [s for s in rows if _dev(s.id)]
    print(f"fitting on {len(fit)}, tuning on {len(dev)}", file=sys.stderr)
    model = train(fit)
    rules_ctx = Context(Settings(event_model="off"))
    rules = [main_sub(s.text, rules_ctx) for s in dev]
    docs = list(rules_ctx.nlp.pipe(s.text for s in dev))
    probs = model.predict_spans([d[:] for d in docs], [rule_features(d[:]) for d in docs])
    gold = [s.label for s in dev]
    print("rules only", scores(gold, rules))
    print("model only", scores(gold, [max(p, key=lambda k: p[k]) for p in probs]))
    grid = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]
    results = []
    for retype, add in itertools.product(grid, grid):
        pred = [decide(r, p, retype, add) for r, p in zip(rules, probs, strict=True)]
        results.append((scores(gold, pred)["weighted_f1"], retype, add))
    results.sort(reverse=True)
    for row in results[:10]:
        print("weighted F1 {:.3f}  RETYPE_AT {:.2f}  ADD_AT {:.2f}".format(*row))


if __name__ == "__main__":
    main()
