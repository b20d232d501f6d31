"""Stage: places. Every toponym in the text, resolved against the gazetteer.

Reads ``draft.text`` and ``draft.doc`` (may be None: then capitalised phrases are the candidates);
sets ``draft.places`` sorted by start, each with ``draft.text[start:end] == place.text``.

Mentions come from spaCy's GPE/LOC/FAC entities, from capitalised words after locative prepositions
that the gazetteer knows (spaCy often calls small towns PERSON or ORG), and from the hand-written
water and region tables. Each is resolved with a document-level country context: the countries the
text names, and those of its unambiguous places, vote; candidates in those countries win.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitroom.gazetteer import GeoEntry, normalize, tables
from sitroom.model import Feature, Place
from sitroom.nlp import dateline as find_dateline

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from sitroom.context import Context
    from sitroom.draft import Draft
    from sitroom.gazetteer import Gazetteer


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


#: verbs whose subject (or object, for the second group) is an actor, not a location
SPEECH_VERBS = _words("""
say tell deny accuse warn urge claim allege insist announce declare state confirm reject
condemn criticize criticise blame threaten demand respond reply call vow pledge promise refuse
agree dismiss argue believe think want seek push plan decide respond welcome praise protest
retaliate respond summon expel sanction recognize recognise insist suggest hope fear order
approve
""")
OBJECT_VERBS = _words("""
urge accuse warn blame condemn criticize criticise call ask press pressure sanction push tell
""")
#: nouns that make a possessive place an actor: "Tehran's response"
ACTOR_NOUNS = _words("""
response reaction decision position stance statement claim claims denial government officials
leadership foreign ministry policy demand demands refusal warning accusation accusations move
approach strategy offer proposal plan veto support opposition
""")
#: text fallback for metonymy when there is no parse: the place followed by a speech verb
_METONYMY_AFTER = re.compile(
    r"^(?:'s|’s)\s+(?:" + "|".join(sorted(ACTOR_NOUNS)) + r")\b|^\s+(?:has\s+|have\s+|had\s+|also\s+|"
    r"later\s+|quickly\s+|on\s+\w+\s+)?(?:said|says|denied|denies|accused|accuses|warned|warns|urged|"
    r"urges|claimed|claims|alleged|insisted|announced|rejected|condemned|blamed|responded|vowed|"
    r"threatened|demanded|called|dismissed|refused)\b"
)
_PREPOSITIONS = _words("""
in near at outside around from to towards toward into across between of through within inside
along via throughout over
""")
#: prepositions before which a capitalised name is probably a place
_LOCATIVE = re.compile(
    r"\b(?:in|near|at|outside|around|from|towards|toward|into|across|inside|within|through|"
    r"throughout|of|to|between|and|over|village of|town of|city of|area of)\s+(?:the\s+)?$"
)
#: a place-kind noun after a name makes it a place: "the Belgorod region", "Kakamega County"
_PLACE_NOUN_AFTER = re.compile(
    r"^\s+(?:region|province|district|county|oblast|governorate|state|city|town|village|prefecture|"
    r"municipality|department|sub-?county|division|area)\b",
    re.I,
)
_CAP_PHRASE = re.compile(
    r"\b(?:[A-Z][\w'’.-]*[\w]|[A-Z])(?:\s+(?:de|du|la|el|al|es|des|di|da|of)?\s*[A-Z][\w'’-]*\w)*"
)
#: capitalised words that start sentences or name things and are never worth a gazetteer look-up
_STOP = _words("""
the a an on in at of and but or if when while after before during since as this that these
those he she it they we you i his her their our its mr mrs ms dr gen president minister police
army monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december god allah islamic state government
according unknown some many several all most two three four five about also however meanwhile
""")
_SPECIFICITY = {
    Feature.POPULATED_PLACE.value: 6,
    Feature.ADMIN2.value: 5,
    Feature.OTHER.value: 4,
    Feature.ADMIN1.value: 3,
    Feature.REGION.value: 2,
    Feature.COUNTRY.value: 1,
    Feature.WATER.value: 0,
}


@dataclass
class _Mention:
    start: int
    end: int
    name: str
    #: from a spaCy place entity or a table match (True) or only from a capitalisation rule
    strong: bool
    qualifier: str | None = None
    span: Span | None = None
    candidates: list[GeoEntry] = field(default_factory=list)
    #: the names written right after it as its province, district or country ("Paris, Texas")
    within: set[str] = field(default_factory=set)
    #: that province's or country's country: candidates elsewhere are not this place
    within_country: str | None = None


@functools.cache
def _table_pattern() -> re.Pattern[str]:
    landmarks = {*tables.LANDMARKS, *(_capitalised(n) for n in tables.LANDMARKS)}
    names = sorted({*tables.WATER, *tables.REGIONS, *landmarks}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")


def _capitalised(name: str) -> str:
    """ "Zamzam Camp" for "Zamzam camp": news capitalises the generic word as often as not."""
    return " ".join(w[:1].upper() + w[1:] for w in name.split())


@functools.cache
def _demonym_keys() -> frozenset[str]:
    keys: set[str] = set()
    for word in tables.DEMONYMS:
        key = normalize(word)
        keys.update((key, key + "s", key + "es"))
    return frozenset(keys)


def run(draft: Draft, ctx: Context) -> None:
    """Find and resolve every toponym; see the module docstring."""
    gaz = ctx.gazetteer
    mentions = _find_mentions(draft, gaz)
    for m in mentions:
        m.candidates = gaz.lookup(m.name)[:40]
    votes = _country_votes(draft, mentions, gaz)
    names = {normalize(m.name) for m in mentions}
    provinces = _admin1_votes(mentions, votes)
    for m in mentions:
        ap = _AP_STATE.match(draft.text, m.end)
        if ap is not None:  # "Springfield, Ill.": the AP's abbreviation of a US state
            m.within = {normalize(tables.US_STATE_AP[ap.group(1)]), "US"}
            m.within_country = "US"
    for m, nxt in itertools.pairwise(mentions):
        # "Paris, Texas", "Bembela (Ouahigouya, Yatenga)", "Kitshanga in North Kivu": the next name
        # is the place's province, district or country
        if not m.within and _HIERARCHY_GAP.fullmatch(draft.text[m.end : nxt.start]) and nxt.candidates:
            top = max(nxt.candidates, key=gaz.prior)
            if top.feature in (Feature.COUNTRY.value, Feature.ADMIN1.value, Feature.ADMIN2.value):
                m.within = {normalize(nxt.name), *(c for c in [top.country] if c)}
                m.within_country = top.country
    places = [_resolve(draft, m, votes, names, gaz, provinces) for m in mentions]
    draft.places = sorted(places, key=lambda p: (p.start, p.end))


def best_place(places: list[Place]) -> Place | None:
    """The document's most specific non-metonymic resolved place, the first such in the text.

    >>> best_place([]) is None
    True
    """
    usable = [p for p in places if not p.metonymy and p.lat is not None]
    if not usable:
        return None
    top = max(_SPECIFICITY.get(str(p.feature), 0) for p in usable)
    return next(p for p in usable if _SPECIFICITY.get(str(p.feature), 0) == top)


# ---------------------------------------------------------------------- finding mentions


def _find_mentions(draft: Draft, gaz: Gazetteer) -> list[_Mention]:
    text = draft.text
    found: list[_Mention] = []
    doc = draft.doc
    if doc is not None:
        for ent in doc.ents:
            if ent.label_ not in ("GPE", "LOC", "FAC"):
                continue
            start, end = _trim(text, ent.start_char, ent.end_char)
            if end <= start:
                continue
            name = text[start:end]
            if ent.label_ == "FAC" and not gaz.knows(name):
                continue
            if _is_demonym(name, gaz):
                continue
            found.append(_Mention(start, end, name, True, span=ent))
    for match in _table_pattern().finditer(text):
        found.append(_Mention(match.start(), match.end(), match.group(), True))
    # capitalised names the entity recogniser missed or mislabelled
    for match in _CAP_PHRASE.finditer(text):
        start, end = match.start(), match.end()
        of = match.group().rfind(" of ")
        if of > 0 and not _LOCATIVE.search(text[max(0, start - 20) : start]):
            start += of + 4  # "Residents of Narok": the name after "of" stands on its own
        before = text[max(0, start - 20) : start]
        after_bracket = before.rstrip().endswith(("(", ","))
        if before.rstrip().endswith("(") and match.group().isupper() and len(match.group()) <= 6:
            continue  # "the Syrian Arab Army (SAA)": an acronym, not a place
        if not (
            _LOCATIVE.search(before)
            or after_bracket
            or doc is None
            or _PLACE_NOUN_AFTER.match(text[end : end + 20])
        ):
            continue
        for s, e in _known_prefixes(text, start, end, gaz):
            name = text[s:e]
            if _is_demonym(name, gaz) or (
                normalize(name) in _demonym_keys() and re.match(r"\s+[a-z]", text[e : e + 3])
            ):
                continue  # "the Somali border town": a nationality word before a noun
            sentence_start = not text[:s].strip() or text[:s].rstrip()[-1:] in '.!?\n"“'
            if doc is None and sentence_start and " " not in name and normalize(name) in _STOP:
                continue
            found.append(_Mention(s, e, name, False))
            break
    mentions = [m for m in _dedupe(found) if not _inside_a_name(draft, m)]
    for m in mentions:
        _attach_qualifier(text, m)
    return mentions


_ORG_WORDS = frozenset(
    [
        "Movement",
        "Front",
        "Dispatch",
        "Army",
        "Party",
        "Forces",
        "Force",
        "Union",
        "News",
        "Agency",
        "Council",
        "Committee",
        "Brigade",
        "Brigades",
        "Group",
        "Liberation",
        "Freedom",
        "Defence",
        "Defense",
        "Police",
        "Ministry",
        "Government",
        "Press",
        "Times",
        "Post",
        "Radio",
        "TV",
        "Television",
        "Company",
        "Corporation",
        "Bank",
        "Airlines",
        "Airways",
        "FC",
        "United",
        "Club",
        "Association",
        "Alliance",
        "Coalition",
        "Federation",
        "Organisation",
        "Organization",
        "Institute",
        "Foundation",
        "Fund",
        "Network",
        "Service",
        "Services",
        "Authority",
        "Commission",
        "Assembly",
        "Parliament",
        "Court",
        "Observer",
        "Herald",
        "Tribune",
        "Monitor",
        "Journal",
        "Gazette",
        "Daily",
        "Standard",
        "Mirror",
        "Express",
        "Telegraph",
        "Chronicle",
        "Weekly",
        "Review",
        "Wire",
        "Broadcasting",
        "Media",
        "Revolutionary",
        "Islamic",
        "Resistance",
        "Militia",
        "Mujahideen",
        "Battalion",
        "Regiment",
        "Command",
        "Guard",
        "Guards",
        "Declaration",
        "Accord",
        "Agreement",
        "Initiative",
        "Project",
        "Summit",
        "Conference",
        "Games",
        "Cup",
        "League",
    ]
)
_NEXT_WORD = re.compile(r"^[ \t]+([A-Z][a-z]+)")


def _inside_a_name(draft: Draft, m: _Mention) -> bool:
    """ "Sahel" in "Sahel Freedom Movement" or "Sahel Dispatch" names a group or an outlet, not a place;
    "Maseno" in "Maseno University" still says where."""
    words = re.findall(r"[A-Z][a-z]+", draft.text[m.end : m.end + 40])
    nxt = _NEXT_WORD.match(draft.text[m.end : m.end + 30])
    if nxt is None:
        return False
    # the capitalised run after the name: "Freedom Movement", "Dispatch"
    run = re.match(r"^(?:[ \t]+[A-Z][\w'-]*)+", draft.text[m.end : m.end + 60])
    following = re.findall(r"[A-Z][\w'-]*", run.group(0)) if run else words[:1]
    return any(w in _ORG_WORDS for w in following[:4])


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and a trailing possessive from an entity span."""
    for article in ("the ", "The "):
        if text.startswith(article, start):
            start += len(article)
    for poss in ("'s", "’s", "'"):
        if text.endswith(poss, start, end):
            end -= len(poss)
    return start, end


def _is_demonym(name: str, gaz: Gazetteer) -> bool:
    """True for "Russian", "Kenyans": the word names people, not the place."""
    key = normalize(name)
    if key not in _demonym_keys():
        return False
    return not any(
        e.feature != Feature.POPULATED_PLACE.value or e.population > 100_000
        for e in gaz.lookup(name)[:3]
        if not e.alternate
    )


def _known_prefixes(text: str, start: int, end: int, gaz: Gazetteer) -> list[tuple[int, int]]:
    """Sub-phrases of a capitalised phrase the gazetteer knows, longest first, all from ``start``."""
    words = [m for m in re.finditer(r"\S+", text[start:end])]
    out = []
    for n in range(len(words), 0, -1):
        e = start + words[n - 1].end()
        name = text[start:e].rstrip(".,;:")
        e = start + len(name)
        if normalize(name) in _STOP or len(name) < 3:
            continue
        if gaz.knows(name):
            out.append((start, e))
    return out


def _dedupe(found: list[_Mention]) -> list[_Mention]:
    """One mention per stretch of text: strong before weak, then longer."""
    found.sort(key=lambda m: (not m.strong, -(m.end - m.start), m.start))
    kept: list[_Mention] = []
    for m in found:
        if any(m.start < k.end and k.start < m.end for k in kept):
            continue
        kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def _attach_qualifier(text: str, m: _Mention) -> None:
    """Extend "Syria" to "eastern Syria" when a region word precedes it."""
    before = re.search(r"([A-Za-z-]+)\s+$", text[max(0, m.start - 20) : m.start])
    if before and before.group(1).lower() in tables.QUALIFIERS:
        word = before.group(1)
        # "Eastern Cape" is a name, not a qualifier: only lower case, or capitalised at sentence start
        if word[0].islower() or not text[: m.start - len(before.group(0))].strip()[-1:].isalnum():
            m.qualifier = word.lower()
            m.start -= len(before.group(0))


# ---------------------------------------------------------------------- resolving


def _country_votes(draft: Draft, mentions: list[_Mention], gaz: Gazetteer) -> dict[str, float]:
    """How much the story is about each country: countries named, places with one country, demonyms,
    and the dateline's place (where the report was filed), which counts most."""
    votes: dict[str, float] = defaultdict(float)
    line = find_dateline(draft.text)
    for m in mentions:
        if line and line[0] <= m.start < line[1] and m.candidates:
            filed = max(m.candidates, key=gaz.prior)
            if filed.country:
                votes[filed.country] += 2.5
        exact = [c for c in m.candidates if not c.alternate]
        if exact and exact[0].feature == Feature.COUNTRY.value and exact[0].country:
            votes[exact[0].country] += 2.0 if m.strong else 1.0
            continue
        # a province outweighs the hamlets that share its name: "Texas" votes for the US
        lead = max(exact, key=gaz.prior, default=None)
        top = gaz.prior(lead) if lead is not None else 0.0
        near = {c.country for c in exact if c.country and gaz.prior(c) >= top - 2.5}
        countries = {c.country for c in exact if c.country}
        if lead is not None and lead.feature == Feature.ADMIN1.value and len(near) == 1:
            countries = near
        if len(countries) == 1 and (m.strong or len(exact) == 1):
            votes[next(iter(countries))] += 1.0
    if draft.doc is not None:
        for ent in draft.doc.ents:
            if ent.label_ == "NORP":
                cc = gaz.country_code(ent.text)
                if cc:
                    votes[cc] += 0.5
    return votes


_AP_STATE = re.compile(
    r",\s*(" + "|".join(re.escape(k) for k in sorted(tables.US_STATE_AP, key=len, reverse=True)) + r")(?!\w)"
)
_HIERARCHY_GAP = re.compile(
    r"\s*(?:(?:village|town|community|district|county|LGA|local government area|municipality|region|"
    r"province|state|area|sub-?county|department|commune)\s*)?(?:,|\(|in|of|in the|of the)\s*",
    re.I,
)


def _admin1_votes(mentions: list[_Mention], votes: dict[str, float]) -> dict[tuple[str, str], float]:
    """The provinces the story is about: those of its places that resolve to one province of a
    country the story names."""
    found: dict[tuple[str, str], float] = defaultdict(float)
    for m in mentions:
        homes = {
            (c.country, c.admin1) for c in m.candidates if c.country and c.admin1 and votes.get(c.country)
        }
        if len(homes) == 1:
            found[next(iter(homes))] += 1.0  # type: ignore[index]
    return found


def _score(
    entry: GeoEntry,
    votes: dict[str, float],
    top_vote: float,
    names: set[str],
    gaz: Gazetteer,
    provinces: dict[tuple[str, str], float] | None = None,
    within: set[str] | None = None,
) -> float:
    score = gaz.prior(entry)
    if top_vote and entry.country:
        score += 6.0 * votes.get(entry.country, 0.0) / top_vote
    if within:
        # "Paris, Texas": the name written after it is its province (+8) or its country (+4)
        if {normalize(entry.admin1 or ""), normalize(entry.admin2 or "")} & within:
            score += 8.0
        elif entry.country in within:
            score += 4.0
    if provinces and entry.country and entry.admin1:
        # a village named in several provinces: the one in the province the story is about
        score += 1.5 * min(2.0, provinces.get((entry.country, entry.admin1), 0.0))
    # hierarchy named nearby: "Bembela (Ouahigouya, Yatenga)", "Baragoi, Samburu"
    own = normalize(entry.name)
    if entry.feature in (Feature.POPULATED_PLACE.value, Feature.ADMIN2.value) and own not in (
        normalize(entry.admin1 or ""),
        normalize(entry.admin2 or ""),
    ):
        if entry.admin1 and normalize(entry.admin1) in names:
            score += 3.0
        if entry.admin2 and normalize(entry.admin2) in names and entry.feature != Feature.ADMIN2.value:
            score += 3.0
    return score


def _resolve(
    draft: Draft,
    m: _Mention,
    votes: dict[str, float],
    names: set[str],
    gaz: Gazetteer,
    provinces: dict[tuple[str, str], float] | None = None,
) -> Place:
    text = draft.text[m.start : m.end]
    top_vote = max(votes.values(), default=0.0)
    cands = m.candidates
    if not m.strong and top_vote:
        # a capitalised word that only the preposition rule found must fit the document's countries
        cands = [
            c
            for c in cands
            if c.country is None
            or votes.get(c.country, 0.0) > 0
            or c.feature == Feature.COUNTRY.value
            or (c.population >= 100_000 and not c.alternate)
            or (c.feature == Feature.ADMIN1.value and _PLACE_NOUN_AFTER.match(draft.text[m.end : m.end + 20]))
        ] or []
    if m.within_country:
        cands = [c for c in cands if c.country in (None, m.within_country)]
    if not m.strong:
        cands = [
            c for c in cands if not c.fuzzy
        ]  # another spelling only for what the recogniser calls a place
    if top_vote and cands and all(c.alternate for c in cands):
        # only another spelling's namesakes: one in a country the story is about, or none
        cands = [c for c in cands if votes.get(c.country or "", 0.0) > 0]
    if not cands:
        return Place(
            start=m.start,
            end=m.end,
            text=text,
            name=m.name,
            qualifier=m.qualifier,
            feature=Feature.OTHER if m.strong else None,
        )
    # our own tables name seas and regions that span countries: a town sharing the name loses
    tabled = [
        c
        for c in cands
        if c.population == 0
        and c.feature in (Feature.WATER.value, Feature.REGION.value)
        and c.country is None
    ]
    best = (
        tabled[0]
        if tabled
        else max(cands, key=lambda e: _score(e, votes, top_vote, names, gaz, provinces, m.within))
    )
    lat, lon = best.lat, best.lon
    feature = best.feature
    if m.qualifier:
        dlat, dlon = tables.QUALIFIERS[m.qualifier]
        reach = {Feature.COUNTRY.value: 1.5, Feature.ADMIN1.value: 0.4}.get(best.feature, 0.1)
        lat, lon = round(lat + dlat * reach, 4), round(lon + dlon * reach, 4)
        feature = Feature.REGION.value
    populated = best.feature in (Feature.POPULATED_PLACE.value, Feature.ADMIN2.value, Feature.ADMIN1.value)
    return Place(
        start=m.start,
        end=m.end,
        text=text,
        name=best.name,
        country=best.country,
        admin1=best.admin1 if populated else None,
        admin2=best.admin2 if best.feature != Feature.ADMIN1.value else None,
        lat=lat,
        lon=lon,
        feature=Feature(feature),
        metonymy=_is_metonymy(draft, m, best, gaz),
        qualifier=m.qualifier,
    )


def _is_metonymy(draft: Draft, m: _Mention, entry: GeoEntry, gaz: Gazetteer) -> bool:
    """A country or capital used as an actor: "Moscow denied", "urged Moscow", "Tehran's response"."""
    if m.qualifier:
        return False
    is_capital = (
        entry.feature == Feature.POPULATED_PLACE.value and gaz.capital_country(entry.name) == entry.country
    )
    if entry.feature != Feature.COUNTRY.value and not is_capital:
        return False
    if draft.doc is not None:
        span = m.span or draft.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            return _actor_by_parse(span.root)
    before = draft.text[max(0, m.start - 15) : m.start].split()
    if before and before[-1].lower() in _PREPOSITIONS:
        return False
    return bool(_METONYMY_AFTER.search(draft.text[m.end : m.end + 40]))


#: verbs whose subject is a place that things happen in, not a government that acts
_NON_AGENTIVE = _words("""
be have see experience suffer witness host remain become lie border face hit rock shake record report
register count include contain receive get go fall sit stand
""")


def _actor_by_parse(root: Token) -> bool:
    head = root.head
    if root.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in SPEECH_VERBS:
        return True
    if root.dep_ == "nsubj" and head.pos_ == "VERB" and head.lemma_.lower() not in _NON_AGENTIVE:
        return True  # "Moscow pressed its offensive", "Washington imposed sanctions"
    if (
        root.dep_ == "pobj"
        and head.lower_ in {"on", "against"}
        and head.head.lemma_.lower() in {"sanction", "sanctions", "pressure", "embargo", "demand", "call"}
    ):
        return True  # "sanctions on Tehran"
    if root.dep_ == "dobj" and head.lemma_.lower() in OBJECT_VERBS:
        return True
    if root.dep_ == "poss" and head.lemma_.lower() in ACTOR_NOUNS:
        return True
    # "Moscow, which denied ..." / conjoined subjects: "Washington and Kyiv said"
    if root.dep_ == "conj" and root.head is not root:
        return _actor_by_parse(root.head) if root.head.dep_ != "conj" else False
    return False
