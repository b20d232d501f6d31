"""Where and when an event happened: the date and place a sentence states (`date_in`, `place_in`),
never a reporting date ("police said on Sunday") or the dateline, else the nearest ones around it
(`nearby_date`, `nearby_place`).
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from sitroom.model import DateExpr, Feature, Place
from sitroom.stages.events.index import dateline, index

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from sitroom.draft import Draft


#: What a web page prints before the time of its own story: "Posted: Monday, March 2, 2015",
#: "Updated 8:32 PM", "Published on", and a local dateline's "LA PORTE, Ind. (December 26, 2015) —".
_PAGE_DATE = re.compile(
    r"(?:\b(?:posted|updated|published|modified|last\s+updated|first\s+published)(?:\s+(?:on|at))?\s*:?"
    r"|\bdate\s*:"
    r"|\(\s*)\s*$",
    re.I,
)
_PAGE_DATE_AFTER = re.compile(r"^\s*\)\s*[-–—]")


def page_date(draft: Draft, d: DateExpr) -> bool:
    """Whether a date is the page's own (when the story was posted or updated), not the event's."""
    before = draft.text[max(0, d.start - 40) : d.start]
    m = _PAGE_DATE.search(before)
    if m is None:
        return False
    return not m.group(0).lstrip().startswith("(") or bool(
        _PAGE_DATE_AFTER.match(draft.text[d.end : d.end + 5])
    )


def _governing_verb(draft: Draft, d: DateExpr) -> Token | None:
    """The verb a date expression hangs on (up to three arcs up), if any."""
    if draft.doc is None:
        return None
    span = draft.doc.char_span(d.start, d.end, alignment_mode="expand")
    if span is None:
        return None
    head = span.root.head
    for _ in range(3):
        if head.pos_ in {"VERB", "AUX"}:
            return head
        if head.head is head:
            break
        head = head.head
    return None


def reporting_date(draft: Draft, d: DateExpr) -> bool:
    """ "police said on Sunday", a dateline's date, a page's "Posted: ..." date: when the news was
    told, not when it happened."""
    line = dateline(draft)
    if line and line[0] <= d.start < line[1]:
        return True
    if page_date(draft, d):
        return True
    verb = _governing_verb(draft, d)
    return verb is not None and verb.lemma_.lower() in _REPORT_VERBS


_REPORT_VERBS = frozenset(
    ["say", "tell", "report", "announce", "confirm", "state", "add", "claim", "deny", "publish", "release"]
)


#: Verbs of what follows violence: the day a suspect was charged or a victim buried is not the day
#: of the attack ("a man charged Thursday in Saturday's shooting").
_AFTERMATH = frozenset(
    """charge arrest arraign indict sentence convict identify release bury mourn plead testify detain
    book jail extradite unseal apprehend surrender remain recover search seek hunt honor
    remember""".split()
)


def aftermath_date(draft: Draft, d: DateExpr, trigger: Token) -> bool:
    """Whether a date belongs to a verb of the aftermath (charged, arrested, buried) other than the
    event's own trigger."""
    if trigger.lemma_.lower() in _AFTERMATH:
        return False
    verb = _governing_verb(draft, d)
    return verb is not None and verb.i != trigger.i and verb.lemma_.lower() in _AFTERMATH


def date_in(
    draft: Draft,
    sent: SpacySpan,
    exclude: list[tuple[int, int]] | None = None,
    trigger: Token | None = None,
) -> DateExpr | None:
    inside = [
        d
        for d in index(draft).dates.starting_in(sent.start_char, sent.end_char)
        if isinstance(d, DateExpr)
        and d.value
        and not reporting_date(draft, d)
        and not any(a <= d.start < b for a, b in exclude or [])
        and not (trigger is not None and aftermath_date(draft, d, trigger))
    ]
    if not inside:
        return None
    by_precision = {"day": 4, "week": 3, "month": 2, "year": 1}
    return max(inside, key=lambda d: (by_precision.get(str(d.precision), 0), -d.start))


#: how specific a place is: a town over a district over a province over a country
FEATURE_RANK = {
    "populated_place": 5,
    "admin2": 4,
    "admin1": 3,
    "water": 3,
    "region": 2,
    "other": 6,  # with coordinates: a camp, a crossing, or a village placed at its parent
    "country": 1,
}


def place_in(draft: Draft, sent: SpacySpan) -> Place | None:
    """The most specific locative place a sentence names; a village the gazetteer lacks, written
    inside a place it knows ("in Okha village, Ovia South West, Edo State", "Baghdad's district of
    Kadhimiyah"), is kept by name at its parent's position (`village_in`)."""
    here = [
        p for p in index(draft).locative.starting_in(sent.start_char, sent.end_char) if isinstance(p, Place)
    ]
    inside = [p for p in here if p.country or p.lat is not None]
    best = most_specific(inside)
    return village_in(draft, here, best) or best


_INSIDE_GAP = re.compile(
    r"^(?:\s+(?:village|town|community|camp|area|district|neighbou?rhood|suburb|locality|junction))?"
    r"\s*(?:,|\(|\s)\s*(?:(?:in|of|near)\s+)?(?:the\s+)?(?:[\w'’-]+\s+){0,8}?$"
)
_PLACE_NOUN = re.compile(r"\s+(?:village|town|community|camp|area|district|locality)$", re.I)
_OWNER_GAP = re.compile(r"^(?:'s|’s)\s+(?:[\w-]+\s+){0,3}(?:of\s+)?$")


def village_in(draft: Draft, here: list[Place], parent: Place | None) -> Place | None:
    """An unresolved place written just before (or after "Y's") its resolved parent: the village by
    name, with the parent's country, province and coordinates (`feature` other: ACLED's precision 2)."""
    if parent is None or parent.lat is None:
        return None
    for p in here:
        if p.lat is not None or p.country or p is parent:
            continue
        between = draft.text[p.end : parent.start] if p.end <= parent.start else None
        owner = draft.text[parent.end : p.start] if parent.end <= p.start else None
        if (between is not None and len(between) < 80 and _INSIDE_GAP.match(between)) or (
            owner is not None and len(owner) < 40 and _OWNER_GAP.match(owner)
        ):
            return p.model_copy(
                update={
                    "name": _PLACE_NOUN.sub("", p.name or p.text) or p.text,
                    "country": parent.country,
                    "admin1": parent.admin1,
                    "admin2": parent.admin2 if parent.feature != "admin1" else None,
                    "lat": parent.lat,
                    "lon": parent.lon,
                    "feature": Feature.OTHER,
                }
            )
    return None


def most_specific(places: list[Place]) -> Place | None:
    """The most specific of ``places`` (a town before a district before a country), the first on a tie."""
    return max(places, key=lambda p: (FEATURE_RANK.get(str(p.feature), 0), -p.start)) if places else None


def nearby_place(draft: Draft, first: SpacySpan, country: str | None, main: bool) -> Place | None:
    """An event's place when its own sentences name none: the last place named before its ``first``
    sentence in the same paragraph, else (for the report's main event) the most specific place in the
    report's country."""
    para_start = draft.text.rfind("\n\n", 0, first.start_char) + 1
    ix = index(draft)
    before = [
        p
        for p in ix.locative.starting_in(para_start, first.start_char)
        if isinstance(p, Place) and (p.country or p.lat is not None)
    ]
    if before:
        return before[-1]
    if main:
        local = [
            p
            for p in ix.locative.starting_in(0, len(draft.text))
            if isinstance(p, Place)
            and (p.country or p.lat is not None)
            and (country is None or p.country == country)
        ]
        if local:
            return max(local, key=lambda p: (FEATURE_RANK.get(str(p.feature), 0), -p.start))
    return None


def nearby_date(draft: Draft, first: SpacySpan, main: bool, trigger: Token | None = None) -> DateExpr | None:
    """An undated event's date from the sentences after its ``first`` one: news states the time of an
    event once, often in the sentence after the headline or lede ("Police said the shooting happened
    Saturday")."""
    assert draft.doc is not None
    pub = draft.published.isoformat() if draft.published else None

    def usable(d: DateExpr) -> bool:
        return (
            d.precision == "day"
            and d.value is not None
            and (pub is None or d.value <= pub)
            and not page_date(draft, d)
            and not (trigger is not None and aftermath_date(draft, d, trigger))
        )

    ix = index(draft)
    at = bisect.bisect_left(ix.sent_starts, first.start_char)
    for s in ix.sents[at + 1 : at + 3]:
        if draft.text.count("\n\n", first.end_char, s.start_char) > 1:
            break
        found = [
            d for d in ix.dates.starting_in(s.start_char, s.end_char) if isinstance(d, DateExpr) and usable(d)
        ]
        if found:
            return found[0]
    if main:
        return next((d for d in draft.dates if usable(d)), None)
    return None
