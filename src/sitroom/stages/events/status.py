"""Who says an event happened: its claims (the attributions whose content covers its sentences) and
the status their stances give it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitroom.model import Attribution, EntityKind, Event, Place, Span, Status
from sitroom.stages.events.index import Spans, index

if TYPE_CHECKING:
    from sitroom.draft import Draft


def event_claims(draft: Draft, evidence: list[Span]) -> list[Attribution]:
    """The attributions whose content overlaps the event's sentences (a learned stance is no claim)."""
    spans: Spans | None = draft.extra.get("_content_index")
    if spans is None:
        spans = Spans([(a.content.start, a.content.end, a) for a in draft.attributions if not a.learned])
        draft.extra["_content_index"] = spans
    longest = spans.longest
    found: dict[str, Attribution] = {}
    for ev_span in evidence:
        for a in spans.starting_in(ev_span.start - longest, ev_span.end):
            if isinstance(a, Attribution) and a.content.start < ev_span.end and ev_span.start < a.content.end:
                found[a.id] = a
    return sorted(found.values(), key=lambda a: a.content.start)


def event_status(claims: list[Attribution], draft: Draft) -> Status:
    """What the claims' stances make of an event: a denial against another party's word is disputed, a
    denial alone denied, an accusation alleged, two parties confirming confirmed, any non-media source
    claimed, else reported."""
    stances = {str(a.stance) for a in claims}
    parties = {(a.source.entity or a.source.text) for a in claims if a.source}
    media = {e.id for e in draft.entities if e.kind == EntityKind.MEDIA}
    if "denies" in stances:
        deniers = {
            (a.source.entity or a.source.text) for a in claims if a.source and str(a.stance) == "denies"
        }
        others = {
            (a.source.entity or a.source.text) for a in claims if a.source and str(a.stance) != "denies"
        } - deniers
        if others:
            return Status.DISPUTED
        if stances - {"denies"}:
            stances = stances - {"denies"}  # one party tells part of it and denies another part
        else:
            return Status.DENIED
    if "alleges" in stances:
        return Status.ALLEGED
    if any(a.source is None and str(a.stance) == "claims" for a in claims):
        return Status.CLAIMED  # the outlet's own hedge: "were reportedly killed"
    if "confirms" in stances and len(parties) >= 2:
        return Status.CONFIRMED
    if any(a.source and a.source.entity not in media for a in claims):
        return Status.CLAIMED
    return Status.REPORTED


#: Nouns by which a statement refers to an event told elsewhere ("denied the attack", "claimed
#: responsibility for the bombing", "rejected the reports").
_REFERENCE = re.compile(
    r"\b(?:attacks?|strikes?|bombings?|raids?|assaults?|ambush(?:es)?|killings?|shootings?|massacres?|"
    r"abductions?|kidnappings?|shelling|clash(?:es)?|fighting|offensive|incident|operation|explosions?|"
    r"blasts?|responsibility|involvement|claims?|reports?|allegations?|accusations?)\b",
    re.I,
)


_FIGURE = re.compile(r"\b\d+\b")


def link_elsewhere(draft: Draft, events: list[Event]) -> list[Event]:
    """Claims told away from their event's sentences: an attribution that no event's sentences hold,
    whose content names an event's place, date or parties, or refers to "the attack" it answers, is
    one of that event's claims (the best match, the nearest earlier one on a tie); its status is
    recomputed."""
    taken = {c for ev in events for c in ev.claims}
    orphans = [a for a in draft.attributions if a.id not in taken and a.source is not None and not a.learned]
    if not orphans or not events:
        return events
    by_id = {a.id: a for a in draft.attributions}
    added: dict[str, list[str]] = {}
    for a in orphans:
        best: tuple[int, int, Event] | None = None
        earlier = [ev for ev in events if ev.evidence and ev.evidence[0].end <= a.content.start]
        nearest = max(
            earlier, key=lambda ev: max(x.end for x in ev.evidence if x.end <= a.content.start), default=None
        )
        for ev in events:
            score = _match(a, ev, draft, ev is nearest)
            if score < 2:
                continue
            before = ev.evidence[0].start if ev.evidence else 0
            nearness = -abs(a.content.start - before) if before <= a.content.start else -(10**9)
            if best is None or (score, nearness) > (best[0], best[1]):
                best = (score, nearness, ev)
        if best is not None:
            added.setdefault(best[2].id, []).append(a.id)
    out = []
    for ev in events:
        if ev.id not in added:
            out.append(ev)
            continue
        ids = sorted(set(ev.claims) | set(added[ev.id]), key=lambda i: by_id[i].content.start)
        claims = [by_id[i] for i in ids]
        out.append(ev.model_copy(update={"claims": ids, "status": event_status(claims, draft)}))
    return out


def _match(a: Attribution, ev: Event, draft: Draft, nearest: bool) -> int:
    """How strongly a statement's content points at an event: its town or district (2; a country
    or province is named all over a report), its date (1), one of its parties (1), its death toll
    (1), a noun that refers to an event (a short reference that is no plain assertion: 1, or 2 when
    the event is the nearest told before, "rejected the accusation"; else 1 beside another sign)."""
    s, e = a.content.start, a.content.end
    score = 0
    told = " ".join(x.text for x in ev.evidence)
    if any(s <= p.start and p.end <= e and _same_place(p, ev, told) for p in draft.places):
        score += 2
    if (
        ev.date.text
        and ev.date.value
        and any(s <= d.start and d.end <= e and d.value == ev.date.value for d in draft.dates)
    ):
        score += 1
    parties = {x.entity for x in (ev.actor1, ev.actor2) if x is not None and x.entity}
    if parties and any(eid in parties for eid in index(draft).mentions.within(s, e)):
        score += 1
    killed = ev.casualties.killed
    if killed is not None and killed.min > 0 and str(killed.min) in _FIGURE.findall(a.content.text):
        score += 1  # "the attack that killed 14 police officers"
    said = draft.text[min(a.cue.end, s) if a.cue else s : e]  # "called [the reports] fabricated"
    if _REFERENCE.search(said):
        short = len(a.content.text.split()) <= 12 and str(a.stance) != "asserts"
        score += (2 if nearest else 1) if short else (1 if score else 0)
    return score


def _same_place(p: Place, ev: Event, told: str) -> bool:
    """A town or district of the statement is the event's: the place it was located at, or, for an
    event located no finer than its province, a name its sentences write (an unresolved village
    counts). A country or province is named all over a report and counts for nothing."""
    if p.feature in {"country", "admin1", "region", "water"}:
        return False
    loc = ev.location
    if loc.geo_precision in {1, 2}:
        return p.name is not None and p.name == loc.name
    return re.search(r"(?<!\w)" + re.escape(p.text) + r"(?!\w)", told) is not None
