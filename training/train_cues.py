"""Train the learned attribution cue model on PolNeAR's train split and install it into the package.

    python training/train_cues.py          # `make train-cues`: about 6 minutes on 2 cores

Parses PolNeAR train (../shared/data/polnear/train) with the small English pipeline, labels every
verb, noun and adjective by whether it lies inside a gold cue span, and fits a logistic regression
over the hashed features of sitroom.stages.cue_model.features with Adam, in numpy. The decision
threshold is the one that gives the best attribution F1 of the whole attribution stage on a held-out
tenth of the train documents; the model is then refitted on all of train. PolNeAR dev is never
seen here (bench/polnear_attr.py scores it). Writes src/sitroom/models/cue_model.npz.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "bench"))

from _evaluator import load_evaluator  # noqa: E402

from sitroom.draft import Draft  # noqa: E402
from sitroom.nlp import load as load_nlp  # noqa: E402
from sitroom.nlp import model_name  # noqa: E402
from sitroom.pipeline import Context  # noqa: E402
from sitroom.stages import attribution, cue_model, entities, places  # noqa: E402

SHARED = HERE.parent.parent / "shared"
#: every tenth train document (by sorted name) is held out to choose the threshold
HOLD_EVERY = 10
THRESHOLDS = (1.0, 0.4, 0.5, 0.6, 0.7)  # 1.0: the rules alone
VETOES = (0.0, 0.05, 0.1, 0.2)  # 0.0: every rule cue is kept


def parse(records: list[dict[str, Any]], cache: Path | None) -> list[Any]:
    """The parsed documents, from ``cache`` (a DocBin) when it is there."""
    from spacy.tokens import DocBin

    nlp = load_nlp(model_name())
    if cache is not None and cache.exists():
        return list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    docs = list(nlp.pipe((r["text"] for r in records), batch_size=16))
    if cache is not None:
        bin_ = DocBin()
        for d in docs:
            bin_.add(d)
        bin_.to_disk(cache)
    return docs


def examples(gold: list[dict[str, Any]], docs: list[Any]) -> tuple[list[np.ndarray], np.ndarray]:
    """Feature slots and 0/1 labels of every candidate token."""
    slots, labels = [], []
    for g, doc in zip(gold, docs, strict=True):
        spans = [a["cue"] for a in g["gold"] if a["cue"]]
        for tok in doc:
            if tok.pos_ not in cue_model.POS or tok.is_stop or not tok.is_alpha:
                continue
            inside = any(s <= tok.idx < e for s, e in spans)
            slots.append(cue_model.hashed(cue_model.features(tok, attribution.lexicons_of(tok))))
            labels.append(inside)
    return slots, np.array(labels, dtype=np.float32)


def fit(
    slots: list[np.ndarray], y: np.ndarray, epochs: int = 6, lr: float = 0.02, seed: int = 7
) -> tuple[np.ndarray, float]:
    """Binary logistic regression over sparse binary features, minibatch Adam."""
    rng = np.random.default_rng(seed)
    w = np.zeros(cue_model.DIM, dtype=np.float32)
    m, v = np.zeros_like(w), np.zeros_like(w)
    b, mb, vb = 0.0, 0.0, 0.0
    beta1, beta2, eps, step = 0.9, 0.999, 1e-8, 0
    for _ in range(epochs):
        order = rng.permutation(len(slots))
        for start in range(0, len(order), 64):
            batch = order[start : start + 64]
            step += 1
            z = np.array([w[slots[i]].sum() for i in batch]) + b
            g = (1.0 / (1.0 + np.exp(-z)) - y[batch]) / len(batch)
            rows = np.concatenate([slots[i] for i in batch])
            grads = np.concatenate(
                [np.full(len(slots[i]), g[k], dtype=np.float32) for k, i in enumerate(batch)]
            )
            uniq, inv = np.unique(rows, return_inverse=True)
            gw = np.zeros(len(uniq), dtype=np.float32)
            np.add.at(gw, inv, grads)
            m[uniq] = beta1 * m[uniq] + (1 - beta1) * gw
            v[uniq] = beta2 * v[uniq] + (1 - beta2) * gw * gw
            corr = np.sqrt(1 - beta2**step) / (1 - beta1**step)
            w[uniq] -= lr * corr * m[uniq] / (np.sqrt(v[uniq]) + eps)
            gb = float(g.sum())
            mb = beta1 * mb + (1 - beta1) * gb
            vb = beta2 * vb + (1 - beta2) * gb * gb
            b -= lr * corr * mb / (np.sqrt(vb) + eps)
    return w, b


def stage_f1(
    ev: Any, gold: list[dict[str, Any]], records: list[dict[str, Any]], docs: list[Any]
) -> dict[str, Any]:
    """PolNeAR scores of the attribution stage (with the model now installed) on parsed documents."""
    ctx = Context(nlp=None)
    out = {}
    for rec, doc in zip(records, docs, strict=True):
        draft = Draft(text=rec["text"], id=rec["id"])
        draft.doc = doc
        for stage in (places.run, entities.run, attribution.run):
            stage(draft, ctx)
        out[rec["id"]] = {"attributions": [x.model_dump() for x in draft.attributions]}
    return ev.score_polnear(gold, records, out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED / "data" / "polnear" / "train")
    ap.add_argument("--evaluate", type=Path, default=SHARED / "tools" / "evaluate.py")
    ap.add_argument("--out", type=Path, default=cue_model.PACKAGED)
    ap.add_argument("--cache", type=Path, default=None, help="DocBin file to keep the parses in between runs")
    ap.add_argument("--epochs", type=int, default=6)
    a = ap.parse_args()
    if not a.data.is_dir():
        raise SystemExit(
            f"no PolNeAR train split at {a.data}: pass --data with its folder (text/ and attributions/)"
        )
    ev = load_evaluator(a.evaluate)
    gold, records = ev.load_polnear(str(a.data), 0, 1)
    t0 = time.perf_counter()
    docs = parse(records, a.cache)
    print(f"{len(docs)} documents parsed in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    held = [i for i in range(len(docs)) if i % HOLD_EVERY == 0]
    fitted = [i for i in range(len(docs)) if i % HOLD_EVERY != 0]
    slots, y = examples([gold[i] for i in fitted], [docs[i] for i in fitted])
    print(f"{len(y)} candidate tokens, {int(y.sum())} inside a cue", file=sys.stderr)
    w, b = fit(slots, y, a.epochs)
    best: tuple[float, float, float, float] = (
        -1.0,
        -1.0,
        0.5,
        0.0,
    )  # F1 to 3 places, recall, threshold, veto
    for threshold in THRESHOLDS:
        for veto in VETOES:
            model = cue_model.CueModel(w, b, threshold, veto)
            cue_model.current = lambda model=model: model  # type: ignore[assignment]
            scores = stage_f1(
                ev, [gold[i] for i in held], [records[i] for i in held], [docs[i] for i in held]
            )
            print(f"threshold {threshold} veto {veto}: {scores}", file=sys.stderr)
            best = max(best, (round(scores["attribution_f1"], 3), scores["recall"], threshold, veto))
    slots, y = examples(gold, docs)
    w, b = fit(slots, y, a.epochs)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    cue_model.CueModel(w, b, best[2], best[3]).save(a.out)
    print(
        f"cue model written to {a.out} (threshold {best[2]}, veto {best[3]}, held-out F1 {best[0]})",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
