"""Who says an event happened: its claims (the attributions whose content covers its sentences) and
the status their stances give it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitroom.model import Attribution, EntityKind, Span, Status
from sitroom.stages.events.index import Spans

if TYPE_CHECKING:
    from sitroom.draft import Draft


def event_claims(draft: Draft, evidence: list[Span]) -> list[Attribution]:
    """The attributions whose content overlaps the event's sentences."""
    spans: Spans | None = draft.extra.get("_content_index")
    if spans is None:
        spans = Spans([(a.content.start, a.content.end, a) for a in draft.attributions])
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
    if "confirms" in stances and len(parties) >= 2:
        return Status.CONFIRMED
    if any(a.source and a.source.entity not in media for a in claims):
        return Status.CLAIMED
    return Status.REPORTED
