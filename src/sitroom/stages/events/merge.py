"""Mentions of one event merged into one (`merge`), and the merged event's sub-type (`merged_type`):
the tests of compatible type, date, place and first actor.
"""

from __future__ import annotations

from sitroom.gazetteer import km
from sitroom.model import SUB_EVENT_PARENT, DateExpr, EventType, Place
from sitroom.model import SubEventType as S
from sitroom.stages.events.lexicon import lexicon
from sitroom.stages.events.mention import Mention, MergedEvent


def _compatible_dates(a: DateExpr | None, b: DateExpr | None) -> bool:
    """ "2024-01-28" and "2024-01" may be one day; an unknown date contradicts nothing."""
    if a is None or b is None or not a.value or not b.value:
        return True
    return a.value.startswith(b.value) or b.value.startswith(a.value)


#: sub-types that one report of an assault may switch between as it tells the story
_ASSAULT_FAMILY = {S.ATTACK, S.MOB_VIOLENCE, S.ARMED_CLASH, S.EXCESSIVE_FORCE}


#: a battle in which a side takes a place is coded as the territory change (ACLED's tie-break)
_BATTLE_FAMILY = {S.ARMED_CLASH, S.NON_STATE_OVERTAKES_TERRITORY, S.GOVERNMENT_REGAINS_TERRITORY}
#: one demonstration told in several sentences: gathering, tear gas, stones, arrests
_PROTEST_FAMILY = {
    S.PEACEFUL_PROTEST,
    S.PROTEST_WITH_INTERVENTION,
    S.EXCESSIVE_FORCE,
    S.VIOLENT_DEMONSTRATION,
}


def _same_kind(a: S, b: S) -> bool:
    """Sub-types one report of one event may move between as it tells the story."""
    return (
        a == b
        or any(a in f and b in f for f in (_ASSAULT_FAMILY, _BATTLE_FAMILY, _PROTEST_FAMILY))
        or (a in _PROTEST_FAMILY and b == S.ARRESTS)
    )


def merged_type(e: MergedEvent) -> S:
    """The sub-type of a merged event: the most severe form in a battle or a demonstration."""
    severity = lexicon().severity
    subs = [m.sub for m in e.mentions if not m.anaphoric]
    if e.sub in _PROTEST_FAMILY:
        if S.ARRESTS in subs and e.sub == S.PEACEFUL_PROTEST:
            subs.append(S.PROTEST_WITH_INTERVENTION)
        return max((x for x in subs if x in _PROTEST_FAMILY), key=lambda x: severity[x], default=e.sub)
    if e.sub in _BATTLE_FAMILY:
        return max((x for x in subs if x in _BATTLE_FAMILY), key=lambda x: severity[x], default=e.sub)
    weapons = [x for x in subs if SUB_EVENT_PARENT[x] == EventType.EXPLOSIONS]
    if e.sub in _ASSAULT_FAMILY and weapons:
        # "Israeli strike kills 30" then "an Israeli air strike ...": the weapon decides (ACLED)
        return weapons[0]
    return e.sub


_GENERIC_ATTACK = frozenset(["attack", "strike", "hit", "struck", "target", "pound", "shell", "bomb"])


def _place_key(p: Place | None) -> str | None:
    return (p.name or p.text).lower() if p is not None else None


def _compatible_places(e: MergedEvent, m: Mention) -> bool:
    """Two mentions that name different towns are different events; a town inside the region the
    other names (same country) may be the same one."""
    if m.place is not None and m.place.feature == "populated_place":
        areas = [x.place for x in e.mentions if x.place is not None]
        if areas and all(p.feature != "populated_place" and p.country == m.place.country for p in areas):
            return True
    theirs = {_place_key(x.place) for x in e.mentions if x.place is not None and x.place.feature != "country"}
    mine = _place_key(m.place) if m.place is not None and m.place.feature != "country" else None
    return mine is None or not theirs or mine in theirs or _headline_nearby(e, m)


def _headline_nearby(e: MergedEvent, m: Mention) -> bool:
    """A headline's place and the lede's are often two names for one scene ("north Sacramento park",
    "the Del Paso Heights neighborhood"): an event told only by the headline takes a mention of a place
    within 25 km of its own."""
    if not all(x.sent.start == 0 for x in e.mentions) or m.place is None or m.place.lat is None:
        return False
    return any(
        x.place is not None
        and x.place.lat is not None
        and x.place.country == m.place.country
        and km(x.place.lat, x.place.lon or 0.0, m.place.lat, m.place.lon or 0.0) <= 25
        for x in e.mentions
    )


def _compatible_actors(e: MergedEvent, m: Mention) -> bool:
    """Troops repelling the attackers is not the attackers' raid: a different first actor splits."""
    if m.actor1 is None:
        return True
    theirs = {x.actor1.name for x in e.mentions if x.actor1 is not None}
    return (
        not theirs
        or m.actor1.name in theirs
        or m.actor1.inter == 3
        or (all(n.startswith("Unidentified") for n in theirs) and m.actor1.inter not in {1})
    )


def _restates(m: Mention, e: MergedEvent) -> bool:
    """ "Its forces had struck military infrastructure in Kharkiv": a generic attack word about the
    place of an earlier violent event tells that event again (often another party's version)."""
    violent = lexicon().violent
    if e.sub not in violent or m.sub not in violent or m.trigger.lemma_.lower() not in _GENERIC_ATTACK:
        return False
    if m.place is None:
        # the next sentences' "it had targeted a command centre" are still about the last attack;
        # plural "attacks" speak of a campaign, not of this event
        last = e.mentions[-1].sent
        return m.sent.start_char - last.end_char < 400 and m.trigger.tag_ != "NNS"
    return _place_key(m.place) in {_place_key(x.place) for x in e.mentions if x.place}


def merge(mentions: list[Mention]) -> list[MergedEvent]:
    """Mentions of one event, in text order: a pointing-back mention joins the last violent event; another
    joins an earlier event of its kind whose date, place and first actor it does not contradict."""
    violent = lexicon().violent
    events: list[MergedEvent] = []
    #: tolls told before any event ("5 shot in west Baltimore" as a headline) belong to the first one
    waiting: list[Mention] = []
    for m in mentions:
        if m.anaphoric:
            pointed = [e for e in reversed(events) if e.sub in violent or e.sub == m.sub]
            pointed.sort(key=lambda e: all(x.background for x in e.mentions))
            target = pointed[0] if pointed else None
            if target is not None:
                target.mentions.append(m)
            elif not events and (m.toll.killed or m.toll.injured):
                waiting.append(m)
            continue
        if waiting and m.sub in violent:
            events.append(MergedEvent(m.sub, [*waiting, m]))
            waiting = []
            continue
        same = [
            e
            for e in reversed(events)
            if (_same_kind(e.sub, m.sub) or _restates(m, e))
            and _compatible_dates(e.date(), m.date)
            and _compatible_places(e, m)
            and (e.sub == m.sub or _compatible_actors(e, m) or e.sub in _PROTEST_FAMILY)
            and not (m.background and any(x.sent.start == m.sent.start for x in e.mentions))
        ]
        # a later mention belongs to the story's own events before the background ones
        same.sort(key=lambda e: all(x.background for x in e.mentions))
        if m.date is None:
            same = same[:1]
        elif same and same[0].date() is None and len(events) and events[-1] is not same[0]:
            same = []
        if same:
            same[0].mentions.append(m)
        else:
            events.append(MergedEvent(m.sub, [m]))
    return events
