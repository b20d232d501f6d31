"""The labelled sentences of training/labels/: loading, the fixed train/test split, agreement.

Shared by training/train.py and bench/event_typing.py so both read the same split.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sitroom.model import SubEventType

LABELS_DIR = Path(__file__).resolve().parent / "labels"
NONE = "none"
LABELS = [s.value for s in SubEventType] + [NONE]
#: share of sentences held out as the test split (never trained or tuned on)
TEST_SHARE = 0.3


@dataclass(frozen=True)
class Sentence:
    id: str
    text: str
    label: str
    source: str

    @property
    def split(self) -> str:
        return split_of(self.id)


def split_of(sentence_id: str) -> str:
    """'test' or 'train', fixed by the id's hash so a sentence never changes side."""
    h = int(hashlib.sha1(sentence_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if h < TEST_SHARE else "train"


def _jsonl(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load(labels_dir: Path = LABELS_DIR) -> list[Sentence]:
    """Every labelled sentence: the pools' sentences with their first label, and the written ones."""
    pool = {r["id"]: r for path in sorted(labels_dir.glob("pool*.jsonl")) for r in _jsonl(path)}
    out: list[Sentence] = []
    for path in sorted(labels_dir.glob("labels-batch-*.jsonl")):
        for row in _jsonl(path):
            if row["id"] not in pool:
                raise ValueError(f"{path}: sentence id {row['id']!r} is in no pool*.jsonl of {labels_dir}")
            src = pool[row["id"]]
            out.append(Sentence(row["id"], src["text"], _valid(row["label"], path), src["source"]))
    written = labels_dir / "written.jsonl"
    if written.exists():
        for row in _jsonl(written):
            out.append(Sentence(row["id"], row["text"], _valid(row["label"], written), "written"))
    return out


def _valid(label: str, path: Path) -> str:
    if label not in LABELS:
        raise ValueError(f"{path}: unknown label {label!r}; use one of the labels in training/GUIDELINES.md")
    return label


def cohen_kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa of two labellings of the same items.

    >>> round(cohen_kappa(["x", "y", "x", "x"], ["x", "y", "y", "x"]), 3)
    0.5
    """
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def agreement(labels_dir: Path = LABELS_DIR) -> dict[str, float]:
    """Kappa and raw agreement between the first labellers and the independent second labeller
    on the kappa sample, on the 26 labels and on event / no event."""
    first = {}
    for path in sorted(labels_dir.glob("labels-batch-*.jsonl")):
        first.update({r["id"]: r["label"] for r in _jsonl(path)})
    second = {r["id"]: r["label"] for r in _jsonl(labels_dir / "labels-kappa-second.jsonl")}
    ids = sorted(set(first) & set(second))
    a, b = [first[i] for i in ids], [second[i] for i in ids]
    ev_a, ev_b = [x != NONE for x in a], [x != NONE for x in b]
    return {
        "items": len(ids),
        "kappa_sub_event_type": cohen_kappa(a, b),
        "agreement_sub_event_type": sum(x == y for x, y in zip(a, b, strict=True)) / len(ids),
        "kappa_event_or_none": cohen_kappa([str(x) for x in ev_a], [str(x) for x in ev_b]),
    }
