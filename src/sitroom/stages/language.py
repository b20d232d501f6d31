"""Language detection: English documents go on; others get a record with their language and no events."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitroom.context import Context
    from sitroom.draft import Draft

# Frequent English function words: a share of them decides short texts that detectors misread.
_ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "and",
        "or",
        "but",
        "was",
        "were",
        "is",
        "are",
        "has",
        "have",
        "had",
        "been",
        "be",
        "by",
        "for",
        "with",
        "from",
        "that",
        "this",
        "it",
        "its",
        "he",
        "she",
        "they",
        "them",
        "their",
        "his",
        "her",
        "said",
        "after",
        "before",
        "as",
        "who",
        "which",
        "not",
        "no",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect(text: str) -> str:
    """ISO 639-1 code of the text's language ("en" for English).

    >>> detect("Police said two people were killed in the attack.")
    'en'
    """
    words = [w.lower() for w in _WORD.findall(text[:5000])]
    if not words:
        return "en"
    share = sum(w in _ENGLISH for w in words) / len(words)
    if share >= 0.12 or (len(words) < 8 and share > 0):
        return "en"
    latin = sum(ch.isascii() for w in words for ch in w) / max(1, sum(len(w) for w in words))
    if len(words) < 8 and latin > 0.9:
        return "en"  # a headline of names and numbers ("Al-Shabaab: 5 dead") gives a detector nothing
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    DetectorFactory.seed = 0
    try:
        best = detect_langs(text[:5000])[0]
    except LangDetectException:
        return "en"
    lang = str(best.lang).split("-")[0]
    # A weak guess on a text that still reads as English is left English.
    if lang != "en" and best.prob < 0.8 and share >= 0.05:
        return "en"
    return lang


def run(draft: Draft, ctx: Context) -> None:
    draft.language = detect(draft.text)
    draft.extra["language"] = draft.language
