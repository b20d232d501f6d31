"""Train the sentence event typer on training/labels/ and install it into the package.

    python training/train.py            # `make train`: about 2 minutes on 2 cores

Parses the train split's sentences with the small English pipeline, hashes their features
(sitroom.typer.feature_names, and what the rules see: detect.rule_features) and fits a softmax
regression with Adam, all in numpy. Writes src/sitroom/models/event_typer.npz. The test split
(training/labelled.py) is never seen here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from labelled import LABELS, LABELS_DIR, Sentence, load

from sitroom import typer
from sitroom.nlp import load as load_nlp
from sitroom.nlp import model_name


def featurize(sentences: list[Sentence], spacy_model: str | None = None) -> list[np.ndarray]:
    """Feature slots of each sentence, parsed as the pipeline parses a report's sentences."""
    from sitroom.stages.events.detect import rule_features

    nlp = load_nlp(model_name(spacy_model))
    docs = nlp.pipe((s.text for s in sentences), batch_size=64)
    return [typer.hashed([*typer.feature_names(doc), *rule_features(doc[:])]) for doc in docs]


def fit(
    slots: list[np.ndarray],
    y: np.ndarray,
    n_labels: int,
    epochs: int = 15,
    lr: float = 0.01,
    l2: float = 0.0,
    seed: int = 13,
) -> tuple[np.ndarray, np.ndarray]:
    """Softmax regression over sparse binary features, minibatch Adam with lazy L2."""
    rng = np.random.default_rng(seed)
    w = np.zeros((typer.DIM, n_labels), dtype=np.float32)
    b = np.zeros(n_labels, dtype=np.float32)
    mw, vw = np.zeros_like(w), np.zeros_like(w)
    mb, vb = np.zeros_like(b), np.zeros_like(b)
    beta1, beta2, eps, step = 0.9, 0.999, 1e-8, 0
    # classes weighted by the inverse square root of their frequency: rare types are not drowned
    counts = np.bincount(y, minlength=n_labels).astype(np.float32)
    cw = 1.0 / np.sqrt(np.maximum(counts, 1.0))
    cw *= len(y) / float((cw[y]).sum())
    for _ in range(epochs):
        order = rng.permutation(len(slots))
        for start in range(0, len(order), 32):
            batch = order[start : start + 32]
            step += 1
            logits = np.stack([w[slots[i]].sum(axis=0) for i in batch]) + b
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(batch)), y[batch]] -= 1.0
            p *= cw[y[batch]][:, None] / len(batch)
            rows = np.concatenate([slots[i] for i in batch])
            grads = np.concatenate(
                [np.repeat(p[k][None, :], len(slots[i]), axis=0) for k, i in enumerate(batch)]
            )
            uniq, inv = np.unique(rows, return_inverse=True)
            gw = np.zeros((len(uniq), n_labels), dtype=np.float32)
            np.add.at(gw, inv, grads)
            gw += l2 * w[uniq]
            gb = p.sum(axis=0)
            mw[uniq] = beta1 * mw[uniq] + (1 - beta1) * gw
            vw[uniq] = beta2 * vw[uniq] + (1 - beta2) * gw * gw
            corr = np.sqrt(1 - beta2**step) / (1 - beta1**step)
            w[uniq] -= lr * corr * mw[uniq] / (np.sqrt(vw[uniq]) + eps)
            mb = beta1 * mb + (1 - beta1) * gb
            vb = beta2 * vb + (1 - beta2) * gb * gb
            b -= lr * corr * mb / (np.sqrt(vb) + eps)
    return w, b


def train(sentences: list[Sentence], epochs: int = 15) -> typer.EventTyper:
    slots = featurize(sentences)
    y = np.array([LABELS.index(s.label) for s in sentences])
    w, b = fit(slots, y, len(LABELS), epochs=epochs)
    return typer.EventTyper(w, b, LABELS)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", type=Path, default=LABELS_DIR, help="folder of labelled sentences")
    ap.add_argument("--out", type=Path, default=typer.PACKAGED)
    ap.add_argument("--epochs", type=int, default=15)
    a = ap.parse_args()
    rows = [s for s in load(a.labels) if s.split == "train"]
    print(f"training on {len(rows)} sentences", file=sys.stderr)
    model = train(rows, a.epochs)
    a.out = a.out.with_suffix(".npz")  # numpy adds the suffix anyway
    a.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(a.out)
    print(f"event typer written to {a.out} ({a.out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
