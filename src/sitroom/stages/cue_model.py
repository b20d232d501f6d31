"""The learned attribution cue finder: is this verb, noun or adjective the cue of an attribution?

The rules of stages/attribution.py know the common cues ("said", "according to", "claimed") and
their content; the long tail of how news says who thinks what ("echoed", "mocked the plan",
"views on", "seems") is learned. A logistic regression over hashed features of the token as spaCy
parsed it: its lemma and tag, its dependency and head, its children's dependencies, the kind of its
subject (a person, an organisation, a pronoun) and the prepositions it governs, plus whether the
rules' lexicons know it. Trained by `make train-cues` on PolNeAR's train split (training/train_cues.py;
the dev split is only scored) and shipped as ``sitroom/models/cue_model.npz``; numpy only.

The model says only *whether* a token is a cue; where its source and content are is read from the
parse by stages/attribution.py.
"""

from __future__ import annotations

import functools
import json
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sitroom.errors import SitroomError

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

PACKAGED = Path(__file__).resolve().parent.parent / "models" / "cue_model.npz"
DIM = 1 << 18
#: the parts of speech a cue can be
POS = frozenset({"VERB", "NOUN", "ADJ"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_PRONOUNS = frozenset({"i", "we", "you", "he", "she", "they", "it"})


def _kind(tok: Token) -> str:
    """What a subject or owner is, in a few classes that carry across documents."""
    if tok.lower_ in _PRONOUNS:
        return "pron:" + tok.lower_
    if tok.ent_type_:
        return "ent:" + tok.ent_type_
    return "pos:" + tok.pos_


def has_quote(sent: Span) -> bool:
    """Whether a sentence holds a quotation mark (a feature of every candidate in it)."""
    return any(t.is_quote for t in sent)


def features(tok: Token, lexicons: Sequence[str] = (), quoted: bool | None = None) -> list[str]:
    """Feature names of a candidate cue token; ``lexicons`` names the rule lexicons that know it,
    ``quoted`` whether its sentence has quotation marks (found from the token when not given)."""
    lemma = tok.lemma_.lower()
    head = tok.head
    out = [
        "bias",
        "l=" + lemma,
        "t=" + tok.tag_,
        "lt=" + lemma + "|" + tok.tag_,
        "d=" + tok.dep_,
        "ld=" + lemma + "|" + tok.dep_,
        "hd=" + tok.dep_ + "|" + head.pos_,
        "hl=" + head.lemma_.lower() + "|" + tok.dep_,
    ]
    out += ["k=" + k for k in lexicons]
    has_subj = False
    for c in tok.children:
        dep = c.dep_
        out.append("c=" + dep)
        out.append("lc=" + lemma + "|" + dep)
        if dep in _SUBJECTS or dep == "poss":
            has_subj = True
            kind = _kind(c)
            out.append("s=" + kind)
            out.append("ls=" + lemma + "|" + kind.split(":")[0])
        elif dep in {"prep", "prt"}:
            out.append("p=" + c.lower_)
            out.append("lp=" + lemma + "|" + c.lower_)
        elif dep == "ccomp":
            marks = [m.lower_ for m in c.children if m.dep_ == "mark"]
            out.append("cm=" + (marks[0] if marks else "-"))
        elif dep == "dobj":
            out.append("o=" + _kind(c))
    if not has_subj and tok.pos_ != "VERB" and head.i != tok.i:
        # "expressed concern about": the verb it hangs on and that verb's subject
        out.append("hv=" + head.lemma_.lower())
        subj = next((c for c in head.children if c.dep_ in _SUBJECTS), None)
        if subj is not None:
            out.append("hs=" + _kind(subj))
    doc = tok.doc
    prev = doc[tok.i - 1] if tok.i > 0 else None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if prev is not None and (prev.is_punct or prev.is_quote):
        out.append("pv=" + prev.text)
    if nxt is not None and (nxt.is_punct or nxt.is_quote):
        out.append("nx=" + nxt.text)
    if has_quote(tok.sent) if quoted is None else quoted:
        out.append("q")
    return out


def hashed(names: Sequence[str]) -> np.ndarray:
    """Distinct feature slots of ``names``."""
    return np.unique(np.fromiter((zlib.crc32(n.encode()) % DIM for n in names), dtype=np.int64))


class CueModel:
    """Probability that a token is an attribution cue."""

    def __init__(self, weights: np.ndarray, bias: float, threshold: float, veto: float = 0.0) -> None:
        #: a token at or above ``threshold`` is a cue; a rule's cue verb below ``veto`` is not
        self.weights, self.bias = weights, float(bias)
        self.threshold, self.veto = float(threshold), float(veto)

    def probability(self, slots: np.ndarray) -> float:
        z = float(self.weights[slots].sum(dtype=np.float32)) + self.bias
        return float(1.0 / (1.0 + np.exp(-z)))

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float16),
            meta=json.dumps({"bias": self.bias, "threshold": self.threshold, "veto": self.veto}),
        )


def model_path(setting: str | None = None) -> Path | None:
    """The learned cue model to use: the setting (or SITROOM_CUE_MODEL), else the packaged one; None
    when the setting turns it off.

    >>> model_path("off") is None
    True
    """
    from sitroom.typer import model_file

    return model_file(setting, "SITROOM_CUE_MODEL", PACKAGED, ("E012", "cue model", "make train-cues"))


@functools.cache
def load(path: Path) -> CueModel:
    """Load a cue model once per process."""
    try:
        with np.load(path) as data:
            weights = data["weights"].astype(np.float32)
            meta = json.loads(str(data["meta"]))
        if weights.shape != (DIM,):
            raise ValueError(f"its weights have shape {weights.shape}, not ({DIM},)")
        return CueModel(weights, float(meta["bias"]), float(meta["threshold"]), float(meta.get("veto", 0.0)))
    except Exception as exc:  # numpy raises many kinds on a file that is not one of ours
        raise SitroomError(
            "E013",
            f"cannot load the cue model at {path}: {exc}",
            "run `make train-cues` to rebuild it, or set SITROOM_CUE_MODEL=off to use the rules alone",
        ) from exc


def current() -> CueModel | None:
    """The cue model the environment asks for, loaded; None when it is off or not installed."""
    path = model_path()
    return load(path) if path is not None else None
