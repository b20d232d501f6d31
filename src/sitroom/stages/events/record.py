"""Finishing an event: its parties named the ACLED way, its date and place (or the nearest ones), its
casualty ranges, claims and status, as the public `Event` of the record.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from sitroom.model import (
    SUB_EVENT_PARENT,
    Attribution,
    Casualties,
    CasualtyReport,
    Count,
    DateExpr,
    EntityKind,
    Event,
    EventDate,
    Location,
    Place,
    Precision,
    Span,
)
from sitroom.model import Context as EventContext
from sitroom.model import SubEventType as S
from sitroom.stages.casualties import tolls
from sitroom.stages.events.actors import actor_from, group_name
from sitroom.stages.events.anchor import nearby_date, nearby_place
from sitroom.stages.events.detect import background_clause
from sitroom.stages.events.index import dateline, index, is_locative
from sitroom.stages.events.lexicon import lexicon
from sitroom.stages.events.mention import Mention, MergedEvent, Party
from sitroom.stages.events.status import event_claims, event_status

if TYPE_CHECKING:
    from sitroom.context import Context
    from sitroom.draft import Draft


def finish(ev: MergedEvent, idx: int, draft: Draft, ctx: Context, country: str | None) -> Event:
    """The record of a merged event, ``idx`` its rank (1: the report's main event) in a report about
    ``country``."""
    first = ev.mentions[0].sent
    place = next((m.place for m in ev.mentions if m.place), None) or nearby_place(
        draft, first, country, idx == 1
    )
    sub = ev.sub
    told_in_passing = all(m.background for m in ev.mentions)
    date = ev.date() or (
        None if told_in_passing else nearby_date(draft, first, main=idx == 1, trigger=ev.mentions[0].trigger)
    )
    evidence = [Span(start=m.sent.start_char, end=m.sent.end_char, text=m.sent.text) for m in ev.mentions]
    claims = event_claims(draft, evidence)
    a1, a2 = _parties(ev, claims, draft, ctx, place.country if place else country)
    casualties = _casualties(ev)
    casualties.reports = _reports(ev, claims, draft.text)
    casualties.killed = _spanning(casualties.killed, [(r.claim, r.killed) for r in casualties.reports])
    casualties.injured = _spanning(casualties.injured, [(r.claim, r.injured) for r in casualties.reports])
    n_signals = sum(x is not None for x in (date, place, a2)) + (len(ev.mentions) > 1)
    return Event(
        id=f"ev{idx}",
        event_type=SUB_EVENT_PARENT[sub],
        sub_event_type=sub,
        plover=lexicon().plover.get(sub),
        context=_context(sub, a1),
        actor1=(a1 or Party("Unknown", None, None, None)).public(),
        actor2=a2.public() if a2 else None,
        date=_event_date(date, draft, told_in_passing),
        location=_location(place, country, ctx),
        fatalities=casualties.killed.min if casualties.killed else 0,
        casualties=casualties,
        status=event_status(claims, draft),
        claims=[a.id for a in claims],
        evidence=evidence,
        confidence=round(min(0.95, 0.4 + 0.12 * n_signals), 2),
    )


def _event_date(date: DateExpr | None, draft: Draft, told_in_passing: bool) -> EventDate:
    """The event's date as the text fixes it; for a report's own event that the text dates nowhere,
    the report's date (ACLED's rule), with no evidence text so that a reader sees it was not stated."""
    if date is not None:
        return EventDate(value=date.value, precision=date.precision, text=date.text, until=date.until)
    if told_in_passing or draft.published is None:
        return EventDate()
    return EventDate(value=draft.published.isoformat(), precision=Precision.DAY, text=None)


def _parties(
    ev: MergedEvent, claims: list[Attribution], draft: Draft, ctx: Context, loc_country: str | None
) -> tuple[Party | None, Party | None]:
    """Actor 1 and actor 2: the most specific names the mentions give, completed from the claims and
    the other actors the sentences name, then named by ACLED's conventions for the sub-type."""
    ms = [m for m in ev.mentions if not m.anaphoric] or ev.mentions
    a1 = _most_specific([m.actor1 for m in ms] + [m.actor1 for m in ev.mentions if m.anaphoric])
    a2 = _most_specific([m.actor2 for m in ms])
    sub = ev.sub
    if (a1 is None or a1.name == "Military Forces") and sub in lexicon().violent | {
        S.OTHER,
        S.DISRUPTED_WEAPONS_USE,
    }:
        claimer = _self_claimed(sub, claims, draft, ctx, loc_country)
        if claimer is not None:
            a1 = claimer
    cands = [c for c in _sentence_actors(ms, draft, ctx, loc_country) if a2 is None or c.name != a2.name]
    armed = [c for c in cands if c.inter in {1, 2, 3, 4, 8}]
    a1, a2 = _from_sentences(sub, a1, a2, armed)
    cname = ctx.gazetteer.country_name(loc_country) if loc_country else None
    a1, a2 = _by_convention(sub, a1, a2, cands, armed, cname, loc_country)
    if a2 is not None and a1 is not None and a2.name == a1.name:
        a2 = None
    return a1, a2


def _self_claimed(
    sub: S, claims: list[Attribution], draft: Draft, ctx: Context, loc_country: str | None
) -> Party | None:
    """A strike claimed by a state's own command names that state's forces as the actor."""
    for a in claims:
        if a.source is None or str(a.stance) not in {"claims", "asserts", "confirms"}:
            continue
        if sub not in {S.AIR_STRIKE, S.SHELLING}:
            continue
        ent = draft.entity(a.source.entity)
        owner = ent.country if ent and ent.kind in {EntityKind.STATE, EntityKind.ORGANIZATION} else None
        if owner is None and ent is None and _OWN_FORCES.search(a.source.text) and loc_country:
            owner = loc_country  # "the army said" in a report from that country: its own army
        if owner:
            return Party(
                group_name("Military Forces", ctx.gazetteer.country_name(owner)),
                ent.id if ent else None,
                a.source.text,
                1,
                owner,
            )
    return None


def _from_sentences(
    sub: S, a1: Party | None, a2: Party | None, armed: list[Party]
) -> tuple[Party | None, Party | None]:
    """The sides of a battle, and the perpetrator of an attack on civilians, from the armed parties
    the event's sentences name when the parse found none."""
    if sub == S.ARMED_CLASH:
        if a1 is None and armed:
            a1 = armed[0]
        if a2 is None and a1 is not None:
            a2 = next((c for c in armed if c.name != a1.name), None)
    elif sub in {
        S.ATTACK,
        S.ABDUCTION,
        S.SEXUAL_VIOLENCE,
        S.AIR_STRIKE,
        S.SHELLING,
        S.REMOTE_EXPLOSIVE,
        S.SUICIDE_BOMB,
        S.GRENADE,
    } and (a1 is None or a1.inter == 7):
        named = [c for c in armed if c.inter in {2, 4} or c.entity]
        if named or armed:
            a1 = (named or armed)[0]
    return a1, a2


def _by_convention(
    sub: S,
    a1: Party | None,
    a2: Party | None,
    cands: list[Party],
    armed: list[Party],
    cname: str | None,
    loc_country: str | None,
) -> tuple[Party | None, Party | None]:
    """ACLED's actors for the sub-type: protesters (and the police who intervene), rioters, an
    unidentified armed group against civilians, a state force for a development."""
    violent = lexicon().violent
    if sub in {S.PEACEFUL_PROTEST, S.PROTEST_WITH_INTERVENTION, S.EXCESSIVE_FORCE}:
        police = a1 if a1 and a1.inter == 1 else None
        police = police or next((c for c in cands if c.inter == 1), None)
        a1 = Party(
            group_name("Protesters", cname), None, a1.text if a1 and a1.inter == 6 else None, 6, loc_country
        )
        if sub != S.PEACEFUL_PROTEST:
            a2 = police or Party(group_name("Police Forces", cname), None, None, 1, loc_country)
    elif sub in {S.VIOLENT_DEMONSTRATION, S.MOB_VIOLENCE}:
        if a1 is None or a1.inter not in {5}:
            a2 = a2 or (a1 if a1 and a1.inter in {1, 7} else None)
            a1 = Party(group_name("Rioters", cname), None, None, 5, loc_country)
        if a2 is None:
            a2 = next((c for c in cands if c.inter in {1, 7}), None)
    elif sub in {S.ATTACK, S.ABDUCTION, S.SEXUAL_VIOLENCE}:
        if a1 is None or a1.inter == 7:
            a1 = Party(group_name("Unidentified Armed Group", cname), None, None, 3, loc_country)
        if a2 is None or a2.inter not in {7}:
            a2 = Party(
                group_name("Civilians", cname),
                a2.entity if a2 else None,
                a2.text if a2 else None,
                7,
                loc_country,
            )
    elif a1 is None:
        kind = (
            "Unidentified Armed Group"
            if sub in violent
            else ("Police Forces" if sub == S.ARRESTS else "Military Forces")
        )
        a1 = (armed[0] if armed else None) or Party(
            group_name(kind, cname), None, None, 3 if sub in violent else 1, loc_country
        )
    return a1, a2


def _casualties(ev: MergedEvent) -> Casualties:
    """The event's casualty ranges over all its mentions; the dead are at least the civilians dead."""
    killed = _count(_precise([(m.toll.killed, "killed" in m.toll.vague) for m in ev.mentions]))
    injured = _count(_precise([(m.toll.injured, "injured" in m.toll.vague) for m in ev.mentions]))
    civ_k = _count([m.toll.civilians_killed for m in ev.mentions])
    civ_i = _count([m.toll.civilians_injured for m in ev.mentions])
    if civ_k and killed and killed.min < civ_k.min:
        killed = civ_k
    hurt = [m.toll for m in ev.mentions if m.toll.injured]
    if killed and hurt and all(t.shot is not None for t in hurt):
        # "A man was shot ... He died at the hospital": the dead are among those shot
        shot = max((t.shot for t in hurt if t.shot), key=lambda c: c.min)
        left = shot.min - killed.min
        injured = (
            Count(min=left, max=None if shot.max is None else shot.max - killed.min) if left > 0 else None
        )
    return Casualties(killed=killed, injured=injured, civilians_killed=civ_k, civilians_injured=civ_i)


def _reports(ev: MergedEvent, claims: list[Attribution], text: str) -> list[CasualtyReport]:
    """The figures of the event's sentences, each with the claim whose content holds it (none: the
    article's own voice): "5 were killed, according to police, while the hospital said nine had
    died" is two reports. A sentence whose figures one voice gives keeps its whole toll as one
    report; identical reports once."""
    by_key: dict[tuple[int, str | None], CasualtyReport] = {}
    for m in ev.mentions:
        toll = m.toll
        if not (toll.killed or toll.injured) or not toll.spans:
            continue
        groups: dict[str | None, list[tuple[int, int]]] = {}
        for s, e in toll.spans:
            holders = [a for a in claims if a.content.start <= s and e <= a.content.end]
            claim = min(holders, key=lambda a: a.content.end - a.content.start, default=None)
            groups.setdefault(claim.id if claim else None, []).append((s, e))
        for cid, spans in groups.items():
            if len(groups) == 1:
                killed, injured = toll.killed, toll.injured
            else:  # several voices in one sentence: each its own figures
                figures = [tolls(text[s:e], offset=s) for s, e in spans]
                killed = next((f.killed for f in figures if f.killed), None)
                injured = next((f.injured for f in figures if f.injured), None)
            claim = next((a for a in claims if a.id == cid), None)
            report = by_key.setdefault(
                (m.sent.start_char, cid),
                CasualtyReport(claim=cid, source=claim.source.text if claim and claim.source else None),
            )
            report.killed = report.killed or killed
            report.injured = report.injured or injured
            have = {(x.start, x.end) for x in report.evidence} | set(spans)
            report.evidence = [Span(start=a, end=b, text=text[a:b]) for a, b in sorted(have)]
    out: list[CasualtyReport] = []
    for report in by_key.values():
        if (report.killed or report.injured) and not any(_same_report(report, o) for o in out):
            out.append(report)
    return out


def _spanning(overall: Count | None, reports: list[tuple[str | None, Count | None]]) -> Count | None:
    """The range over the exact figures that different parties give ("5, according to police; 9,
    the hospital said": 5 to 9); the overall range as it is otherwise."""
    exact = [(cid, f) for cid, f in reports if cid is not None and f is not None and f.min == f.max]
    if len({cid for cid, _ in exact}) < 2 or overall is None:
        return overall
    low = min(min(f.min for _, f in exact), overall.min)
    high = None if overall.max is None else max([overall.max, *(f.min for _, f in exact)])
    return Count(min=low, max=high)


def _same_report(a: CasualtyReport, b: CasualtyReport) -> bool:
    return (a.killed, a.injured, a.claim) == (b.killed, b.injured, b.claim)


def _location(place: Place | None, country: str | None, ctx: Context) -> Location:
    """The event's place with ACLED's geo-precision, else the report's country (precision 3)."""
    if place is not None:
        precision: Literal[1, 2, 3] = (
            1
            if place.feature == "populated_place"
            else (2 if place.feature in ("admin2", "other") else 3)  # other: a village by its parent
        )
        return Location(
            name=place.name,
            country=place.country,
            admin1=place.admin1,
            admin2=place.admin2,
            lat=place.lat,
            lon=place.lon,
            geo_precision=precision,
            text=place.text,
        )
    if country:
        entry = ctx.gazetteer.best(ctx.gazetteer.country_name(country), country)
        return Location(
            name=ctx.gazetteer.country_name(country),
            country=country,
            lat=entry.lat if entry else None,
            lon=entry.lon if entry else None,
            geo_precision=3,
        )
    return Location()


def _context(sub: S, a1: Party | None) -> EventContext:
    """Political when an armed or state party acts, or the sub-type is political by nature."""
    political = {
        S.PEACEFUL_PROTEST,
        S.PROTEST_WITH_INTERVENTION,
        S.EXCESSIVE_FORCE,
        S.VIOLENT_DEMONSTRATION,
        S.AIR_STRIKE,
        S.SHELLING,
        S.AGREEMENT,
        S.OTHER,
    }
    if (a1 and a1.inter in {1, 2, 3, 8}) or sub in political:
        return EventContext.POLITICAL
    return EventContext.UNKNOWN


def _sentence_actors(ms: list[Mention], draft: Draft, ctx: Context, country: str | None) -> list[Party]:
    """Every actor named in an event's sentences, in text order (outside the sources of claims)."""
    blocked = index(draft).blocked
    out: list[Party] = []
    seen: set[str] = set()
    for m in ms:
        lo, hi = background_clause(m.trigger) if m.background else (m.sent.start_char, m.sent.end_char)
        for tok in m.sent:
            if tok.pos_ not in {"NOUN", "PROPN"} or tok.dep_ in {"compound", "amod", "poss"}:
                continue
            if not lo <= tok.idx < hi:
                continue
            if blocked.covers(tok.idx):
                continue
            cand = actor_from(tok, draft, ctx, country)
            if cand is not None and cand.name not in seen:
                seen.add(cand.name)
                out.append(cand)
    return out


def _most_specific(actors: list[Party | None]) -> Party | None:
    """Of the ways the mentions name one side, the named group before "gunmen" or "attackers"."""
    known = [a for a in actors if a is not None]
    if not known:
        return None
    generic = ("Unidentified", "Civilians", "Rioters", "Protesters")
    return min(known, key=lambda a: (a.name.startswith(generic) or a.entity is None, known.index(a)))


_OWN_FORCES = re.compile(
    r"^(?:the|a|an)?\s*(?:army|military|armed forces|air force|navy|defen[cs]e ministry|"
    r"ministry of defen[cs]e)\b",
    re.I,
)


def _precise(values: list[tuple[Count | None, bool]]) -> list[Count | None]:
    """ "Dozens killed" in a headline and "at least 40 killed" in the lede: the figure counts."""
    exact = [c for c, vague in values if c is not None and not vague]
    return list(exact) if exact else [c for c, _ in values]


def _count(values: list[Count | None]) -> Count | None:
    """Several reports of one count as one range: from the lowest figure any report gives (ACLED's
    most conservative figure, which becomes ``fatalities``) to the highest (open when one is open)."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    low = min(c.min for c in known)
    highs = [c.max if c.max is not None else None for c in known]
    high = None if any(h is None for h in highs) else max(h for h in highs if h is not None)
    top = max(c.min for c in known)
    if high is not None and high < top:
        high = top
    return Count(min=low, max=high)


def document_country(draft: Draft) -> str | None:
    """The country the report is about: the one its locative places (outside the dateline) name most."""
    votes: dict[str, float] = {}
    line = dateline(draft)
    for p in draft.places:
        if line is not None and line[0] <= p.start < line[1]:
            continue  # where the report was filed says little about whose forces acted
        if p.country and p.feature != "water" and is_locative(draft, p):
            votes[p.country] = votes.get(p.country, 0) + (1.5 if p.feature != "country" else 1)
    return max(votes, key=lambda c: votes[c]) if votes else None
