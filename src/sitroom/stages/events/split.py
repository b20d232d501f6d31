"""Splitting a sentence's event the way ACLED codes events: one per place named side by side ("in
Kano and Kaduna", a total toll divided evenly), and the place of each of several clauses' events."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sitroom.model import Count, Place
from sitroom.stages.casualties import tolls
from sitroom.stages.events.anchor import date_in, most_specific
from sitroom.stages.events.index import index
from sitroom.stages.events.mention import Mention

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from sitroom.draft import Draft


def coordinated_places(draft: Draft, sent: SpacySpan) -> list[Place]:
    """Towns or districts a sentence names side by side ("in Saraqeb and Ehsim", "Buenos Aires,
    Suarez and Cajibio"): ACLED codes one event per place."""
    assert draft.doc is not None
    places = [
        p
        for p in index(draft).locative.starting_in(sent.start_char, sent.end_char)
        if isinstance(p, Place) and p.feature in {"populated_place", "admin2", "admin1"} and p.country
    ]
    if len(places) < 2:
        return []
    roots = {}
    for p in places:
        span = draft.doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is not None:
            roots[p.start] = span.root
    linked = [
        p
        for p in places
        if p.start in roots
        and any(
            q.start in roots
            and q is not p
            and (
                (roots[p.start].dep_ == "conj" and roots[p.start].head == roots[q.start])
                or (roots[q.start].dep_ == "conj" and roots[q.start].head == roots[p.start])
            )
            for q in places
        )
    ]
    names = {(p.name or p.text).lower() for p in linked}
    same_level = {p.feature for p in linked}
    # "in Kano and Kaduna" lists places; "in Watamu, Dabaso, Kilifi" walks down one place's hierarchy
    listed = any(c.dep_ == "cc" for p in linked for c in roots[p.start].children)
    within = any(
        (q.admin1 or "").lower() == (p.name or p.text).lower()
        or (q.admin2 or "").lower() == (p.name or p.text).lower()
        for p in linked
        for q in linked
        if q is not p
    )
    return linked if listed and not within and len(names) == len(linked) >= 2 and len(same_level) == 1 else []


def split(count: Count | None, n: int, i: int) -> Count | None:
    """The ``i``-th of ``n`` even shares of a total (ACLED divides a total told for several places)."""
    if count is None:
        return None

    def part(total: int) -> int:
        return total // n + (1 if i < total % n else 0)

    return Count(min=part(count.min), max=None if count.max is None else part(count.max))


def per_place(draft: Draft, main: Mention) -> list[Mention]:
    """A sentence's event, once per place its own clause names side by side, its toll divided evenly."""
    toks = clause_tokens(event_verb(main.trigger))
    places = [p for p in coordinated_places(draft, main.sent) if _in_clause(draft, p, toks)]
    if len(places) < 2 or main.anaphoric:
        return [main]
    n = len(places)
    out = []
    for i, place in enumerate(places):
        toll = replace(
            main.toll,
            killed=split(main.toll.killed, n, i),
            injured=split(main.toll.injured, n, i),
            civilians_killed=split(main.toll.civilians_killed, n, i),
            civilians_injured=split(main.toll.civilians_injured, n, i),
        )
        out.append(replace(main, place=place, toll=toll, split=(i, n)))
    return out


def event_verb(tok: Token) -> Token:
    """The verb whose clause tells the event a trigger names: itself, or the nearest verb above a
    noun ("air strikes killed 42 in Saraqeb and Ehsim": killed)."""
    if tok.pos_ in {"VERB", "AUX"}:
        return tok
    return next((a for a in tok.ancestors if a.pos_ in {"VERB", "AUX"}), tok)


def clause_tokens(tok: Token) -> set[int]:
    """The tokens of the clause ``tok`` heads, without the clauses coordinated to it or subordinate
    clauses with a subject of their own ("while traders closed their shops")."""
    skip = {
        t.i
        for c in tok.children
        if c.dep_ in {"conj", "cc"}
        or (
            c.dep_ in {"advcl", "ccomp", "parataxis"}
            and any(g.dep_ in {"nsubj", "nsubjpass"} for g in c.children)
        )
        for t in c.subtree
    }
    return {t.i for t in tok.subtree if t.i not in skip}


def _in_clause(draft: Draft, place: Place, toks: set[int]) -> bool:
    assert draft.doc is not None
    span = draft.doc.char_span(place.start, place.end, alignment_mode="expand")
    return span is not None and span.root.i in toks


def in_own_clause(draft: Draft, m: Mention) -> Mention:
    """A mention of one of several events in a sentence: the place, date and toll its own clause
    names ("Rebels attacked Goma on Monday, killing 3, and the army bombed Rutshuru on Tuesday")."""
    toks = clause_tokens(event_verb(m.trigger))
    sent = m.sent
    inside = [
        p
        for p in index(draft).locative.starting_in(sent.start_char, sent.end_char)
        if isinstance(p, Place) and (p.country or p.lat) and _in_clause(draft, p, toks)
    ]
    outside = [(t.idx, t.idx + len(t)) for t in sent if t.i not in toks]
    text = "".join(" " * len(t.text_with_ws) if t.i not in toks else t.text_with_ws for t in sent)
    place = most_specific(inside) or m.place
    return replace(
        m,
        place=place,
        date=date_in(draft, sent, exclude=outside, trigger=m.trigger),
        toll=tolls(text, sent.start_char),
    )
