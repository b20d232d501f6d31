"""The learned sentence event typer: one parsed sentence in, a probability for each of ACLED's 25
sub-event types and "none" out.

A linear (softmax) model over hashed features of the sentence as spaCy parsed it: words, lemmas,
lemma bigrams, dependency arcs (``a=dobj>seize``, ``a=town<dobj``) and named-entity labels, plus
what the rules see in it (stages/events/detect.rule_features).
Trained by `make train` on the project's own labelled sentences (training/labels/, guidelines in
training/GUIDELINES.md) and shipped as ``sitroom/models/event_typer.npz``; numpy only, a few
microseconds a sentence.
"""

from __future__ import annotations

import functools
import json
import os
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sitroom.errors import SitroomError

if TYPE_CHECKING:
    from spacy.tokens import Span

PACKAGED = Path(__file__).resolve().parent / "models" / "event_typer.npz"
NONE = "none"
#: settings that turn the typer off (rules only)
OFF = frozenset(["off", "none", "rules", "0", "false", "no"])
#: number of hashed feature slots
DIM = 1 << 18
_ARCS = frozenset(["nsubj", "nsubjpass", "dobj", "pobj", "agent", "compound", "amod", "prep", "acl", "advcl"])


def model_path(setting: str | None = None) -> Path | None:
    """Where the typer to use lives: the setting (or SITROOM_EVENT_MODEL), else the packaged one;
    None when the setting turns it off.

    >>> model_path("rules") is None
    True
    """
    return model_file(setting, "SITROOM_EVENT_MODEL", PACKAGED, ("E010", "event typer", "make train"))


def model_file(setting: str | None, env: str, packaged: Path, error: tuple[str, str, str]) -> Path | None:
    """Which model file a setting (else the environment variable ``env``) asks for: a path, the
    ``packaged`` one ('default' or nothing) or none ('off', 'rules', ...). ``error`` is the error code,
    what the model is, and the make target that writes one, for a path that is not a file."""
    wanted = setting if setting is not None else os.environ.get(env, "")
    if wanted.strip().lower() in OFF:
        return None
    if not wanted or wanted.strip().lower() == "default":
        return packaged if packaged.exists() else None
    path = Path(wanted).expanduser()
    if not path.is_file():
        code, what, target = error
        raise SitroomError(
            code,
            f"no {what} at {wanted!r}",
            f"set {env} to a file written by `{target}`, to 'default', or to 'off'",
        )
    return path


def feature_names(tokens: Iterable[Any]) -> list[str]:
    """The features of a sentence's tokens (spaCy tokens, or anything with the same attributes)."""
    out: list[str] = []
    prev = "<s>"
    for tok in tokens:
        if tok.is_space or tok.is_punct:
            continue
        low, lemma = tok.lower_, tok.lemma_.lower()
        if tok.like_num:
            low = lemma = "<num>"
        out.append("w=" + low)
        out.append("l=" + lemma)
        out.append("b=" + prev + "_" + lemma)
        prev = lemma
        if tok.dep_ in _ARCS and tok.head.i != tok.i:
            out.append(f"a={tok.dep_}>{tok.head.lemma_.lower()}")
            out.append(f"a={lemma}<{tok.dep_}")
        if tok.ent_type_:
            out.append("e=" + tok.ent_type_)
        if tok.dep_ == "ROOT":
            out.append("r=" + lemma)
    return out


def hashed(names: Iterable[str]) -> np.ndarray:
    """Distinct feature slots of ``names``."""
    return np.unique(np.fromiter((zlib.crc32(n.encode()) % DIM for n in names), dtype=np.int64))


class EventTyper:
    """Probabilities over the sub-event types for parsed sentences."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray, labels: Sequence[str]) -> None:
        self.weights, self.bias, self.labels = weights, bias, tuple(labels)

    def scores(self, slots: Sequence[np.ndarray]) -> np.ndarray:
        """Softmax probabilities, one row per sentence's feature slots."""
        logits = np.stack([self.weights[s].sum(axis=0, dtype=np.float32) for s in slots]) + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def predict_spans(
        self, spans: Sequence[Span], extra: Sequence[Sequence[str]] | None = None
    ) -> list[dict[str, float]]:
        """Probabilities for parsed sentences; ``extra`` adds features per sentence (the rules' view)."""
        if not spans:
            return []
        extra = extra or [()] * len(spans)
        probs = self.scores([hashed([*feature_names(s), *x]) for s, x in zip(spans, extra, strict=True)])
        return [dict(zip(self.labels, map(float, row), strict=True)) for row in probs]

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path, weights=self.weights.astype(np.float16), bias=self.bias, labels=json.dumps(self.labels)
        )


@functools.cache
def load(path: Path) -> EventTyper:
    """Load a typer once per process."""
    from sitroom.model import SubEventType

    try:
        with np.load(path) as data:
            weights = data["weights"].astype(np.float32)
            bias = data["bias"].astype(np.float32)
            labels = json.loads(str(data["labels"]))
        known = {s.value for s in SubEventType} | {NONE}
        if weights.shape != (DIM, len(labels)) or bias.shape != (len(labels),) or not set(labels) <= known:
            raise ValueError("its weights, bias and labels do not fit together or name unknown types")
        return EventTyper(weights, bias, labels)
    except Exception as exc:  # numpy raises many kinds on a file that is not one of ours
        raise SitroomError(
            "E011",
            f"cannot load the event typer at {path}: {exc}",
            "run `make train` to rebuild it, or set SITROOM_EVENT_MODEL=off to use the rules alone",
        ) from exc


def best(probs: dict[str, float]) -> tuple[str, float]:
    """The most probable label and its probability.

    >>> best({"none": 0.2, "Attack": 0.7, "Armed clash": 0.1})
    ('Attack', 0.7)
    """
    label = max(probs, key=lambda k: probs[k])
    return label, probs[label]
