"""Span look-ups in linear time: the dates, locative places, entity mentions and claim sources the
stage looks up again and again, sorted once per document.

Which place names count as locative (`is_locative`) and where the wire dateline is (`dateline`)
decide what goes into the index, so they live here too.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitroom.model import Place
from sitroom.nlp import dateline as find_dateline

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan

    from sitroom.draft import Draft


class Spans:
    """Spans sorted by start, for "which spans start inside [a, b)" and "does any span cover i"."""

    def __init__(self, spans: Sequence[tuple[int, int, object]]) -> None:
        self.items = sorted(spans, key=lambda x: (x[0], x[1]))
        self.starts = [x[0] for x in self.items]
        self.longest = max((e - s for s, e, _ in self.items), default=0)

    def starting_in(self, a: int, b: int) -> list[object]:
        lo, hi = bisect.bisect_left(self.starts, a), bisect.bisect_left(self.starts, b)
        return [x[2] for x in self.items[lo:hi]]

    def within(self, a: int, b: int) -> list[object]:
        lo, hi = bisect.bisect_left(self.starts, a), bisect.bisect_left(self.starts, b)
        return [x[2] for x in self.items[lo:hi] if x[1] <= b]

    def covers(self, i: int) -> bool:
        hi = bisect.bisect_right(self.starts, i)
        lo = bisect.bisect_left(self.starts, i - self.longest)
        return any(s <= i < e for s, e, _ in self.items[lo:hi])


@dataclass
class Index:
    """What the events stage looks up again and again, built once per document."""

    dates: Spans
    locative: Spans
    mentions: Spans
    blocked: Spans  # attribution sources, the dateline and place names: never actors
    sources: Spans
    sent_starts: list[int]
    sents: list[SpacySpan]


def dateline(draft: Draft) -> tuple[int, int] | None:
    """The report's wire dateline, found once per document."""
    if "_dateline" not in draft.extra:
        draft.extra["_dateline"] = find_dateline(draft.text)
    found = draft.extra["_dateline"]
    return found if isinstance(found, tuple) else None


def _named(draft: Draft, eid: str) -> bool:
    """Whether an entity has a name: a party known only by descriptions ("gunmen") names no actor."""
    ent = draft.entity(eid)
    return ent is None or ent.named


def index(draft: Draft) -> Index:
    found = draft.extra.get("_events_index")
    if isinstance(found, Index):
        return found
    assert draft.doc is not None
    locative = [p for p in draft.places if is_locative(draft, p)]
    sources = [(a.source.start, a.source.end, a) for a in draft.attributions if a.source]
    line = dateline(draft)
    blocked = sources + [(p.start, p.end, p) for p in locative] + ([(line[0], line[1], None)] if line else [])
    sents = list(draft.doc.sents)
    ix = Index(
        dates=Spans([(d.start, d.end, d) for d in draft.dates]),
        locative=Spans([(p.start, p.end, p) for p in locative]),
        mentions=Spans([(s, e, eid) for (s, e), eid in draft.mention_index.items() if _named(draft, eid)]),
        blocked=Spans(blocked),
        sources=Spans(sources),
        sent_starts=[x.start_char for x in sents],
        sents=sents,
    )
    draft.extra["_events_index"] = ix
    return ix


_ACTOR_HEAD = re.compile(
    r"^(military|forces?|troops|soldiers?|police|government|officials?|authorities|drones?|jets?|aircraft|"
    r"planes?|warplanes?|president|minister|army|navy|embassy|citizens?|nationals?|leaders?|spokes\w+|"
    r"commanders?|media|officers?|diplomats?|envoy|ambassador|delegation|administration|side|counterpart|"
    r"intelligence|air|regime|team|players?|companies|company|firms?|interests?|people|opposition)$",
    re.I,
)


#: verbs of telling, and those they tell: a place where news was told is not where it happened
_TELLING = frozenset(
    """say tell speak announce report brief address state add confirm deny claim write post tweet
    comment testify explain""".split()
)
_AUDIENCE = frozenset("reporter journalist press conference briefing meeting audience crowd media".split())


#: "-backed", "-led" after a place name: "Iran-backed militias" are not Iran's
BACKED = re.compile(
    r"^[-‐–]\s?(?:backed|led|based|aligned|allied|funded|supported|linked|affiliated|"
    r"sponsored|controlled|held|occupied|annexed)\b",
    re.I,
)


def is_locative(draft: Draft, place: Place) -> bool:
    """False for a place name used as a nationality, an actor or an origin: "US drones",
    "Kenya's police", "Syria said", "Iran-backed militias", "gunmen from Somalia". Such names are
    resolved as places but never give an event its location."""
    if place.metonymy or BACKED.match(draft.text[place.end : place.end + 14]):
        return False
    if draft.doc is None:
        return True
    span = draft.doc.char_span(place.start, place.end, alignment_mode="expand")
    if span is None:
        return True
    root = span.root
    if (
        root.dep_ in {"compound", "amod", "poss", "nmod"}
        and root.head.pos_ in {"NOUN", "PROPN"}
        and root.head.i >= span.end
        and _ACTOR_HEAD.search(root.head.text)
    ):
        return False
    prep = root.head if root.dep_ == "pobj" else None
    if prep is not None and prep.lower_ == "from" and prep.head.pos_ in {"NOUN", "PROPN"}:
        return False  # "al Shabaab militia from Somalia": where the actors come from
    if prep is not None and prep.lower_ in {"in", "at", "from"}:
        head = prep.head
        if head.lemma_.lower() in _TELLING or (
            head.pos_ == "NOUN" and head.lemma_.lower() in _AUDIENCE and head.head.lemma_.lower() in _TELLING
        ):
            return False  # "a spokesman said in Kabul", "told reporters in Lagos": where it was told
    return not (root.dep_ in {"nsubj"} and root.head.pos_ == "VERB")
