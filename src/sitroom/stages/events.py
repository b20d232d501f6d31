"""Stage: events, coded the ACLED way, linked to the claims that carry them.

Per sentence: find event triggers (a lexicon of news verbs and nouns, read with the parse), keep
the most severe as the sentence's event (ACLED's tie-break), find who acted on whom from the
dependency tree, the date and place written in the sentence, and the casualty counts. Mentions of
one event ("the strike", "Friday's strike", a later sentence with a compatible date and the same
sub-type) are merged. The attributions whose content covers an event's sentences are its claims,
and their stances give its status.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from sitroom.model import (
    SUB_EVENT_PARENT,
    Actor,
    Attribution,
    Casualties,
    Count,
    DateExpr,
    Entity,
    EntityKind,
    Event,
    EventDate,
    EventType,
    Location,
    Place,
    Span,
    Status,
)
from sitroom.model import (
    Context as EventContext,
)
from sitroom.model import (
    SubEventType as S,
)
from sitroom.nlp import dateline
from sitroom.stages.actor_names import canonical_group
from sitroom.stages.casualties import Toll, tolls

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from sitroom.draft import Draft
    from sitroom.pipeline import Context

# ---------------------------------------------------------------- the trigger lexicon

#: lemma -> sub-event type, for verbs and nouns that name an event on their own
LEXICON: dict[str, S] = {
    **dict.fromkeys(["airstrike", "airstrikes", "air-strike", "airstrike", "bombard"], S.AIR_STRIKE),
    **dict.fromkeys(
        ["shell", "shelling", "artillery", "mortar", "mortars", "rocket", "rockets", "bombardment"],
        S.SHELLING,
    ),
    **dict.fromkeys(
        [
            "ied",
            "ieds",
            "landmine",
            "landmines",
            "roadside",
            "explosive",
            "explode",
            "explosion",
            "blast",
            "detonate",
            "bomb",
            "bombing",
        ],
        S.REMOTE_EXPLOSIVE,
    ),
    **dict.fromkeys(["grenade", "grenades"], S.GRENADE),
    **dict.fromkeys(
        [
            "clash",
            "fighting",
            "fight",
            "battle",
            "gunfight",
            "shootout",
            "skirmish",
            "firefight",
            "ambush",
            "exchange",
        ],
        S.ARMED_CLASH,
    ),
    **dict.fromkeys(
        [
            "kill",
            "murder",
            "shoot",
            "stab",
            "hack",
            "behead",
            "execute",
            "massacre",
            "slaughter",
            "attack",
            "assault",
            "beat",
            "torture",
            "lynch",
            "burn",
            "injure",
            "wound",
            "gun",
            "maim",
            "assassinate",
        ],
        S.ATTACK,
    ),
    **dict.fromkeys(["kidnap", "abduct", "abduction", "kidnapping", "hostage"], S.ABDUCTION),
    **dict.fromkeys(["rape", "defile"], S.SEXUAL_VIOLENCE),
    **dict.fromkeys(
        [
            "protest",
            "demonstrate",
            "demonstration",
            "rally",
            "march",
            "picket",
            "sit-in",
            "demonstrator",
            "protester",
            "boycott",
        ],
        S.PEACEFUL_PROTEST,
    ),
    **dict.fromkeys(["riot", "rioter", "rioting", "unrest"], S.VIOLENT_DEMONSTRATION),
    **dict.fromkeys(["mob", "vigilante"], S.MOB_VIOLENCE),
    **dict.fromkeys(["arrest", "detain", "apprehend", "nab"], S.ARRESTS),
    **dict.fromkeys(["ceasefire", "truce", "agreement", "accord", "deal", "sign"], S.AGREEMENT),
    **dict.fromkeys(["deploy", "redeploy", "withdraw"], S.CHANGE_TO_GROUP),
    **dict.fromkeys(
        ["defuse", "intercept", "downing", "foil", "thwart", "seize", "confiscate", "recover"],
        S.DISRUPTED_WEAPONS_USE,
    ),
    **dict.fromkeys(["loot", "vandalize", "vandalise", "torch", "ransack", "raze", "destroy"], S.LOOTING),
    **dict.fromkeys(["harass", "flare", "buzz", "disturb"], S.OTHER),
    **dict.fromkeys(["capture", "overrun"], S.NON_STATE_OVERTAKES_TERRITORY),
    **dict.fromkeys(["recapture", "retake", "regain", "liberate"], S.GOVERNMENT_REGAINS_TERRITORY),
}
#: word forms the lemmatizer may miss
_FORMS: dict[str, S] = {
    **dict.fromkeys(["raped", "raping", "rapes"], S.SEXUAL_VIOLENCE),
    **dict.fromkeys(
        ["shooting", "shootings", "stabbing", "stabbings", "killings", "killing", "murders"], S.ATTACK
    ),
    **dict.fromkeys(["stoned", "hurled"], S.ATTACK),
    **dict.fromkeys(["demo", "demos", "protests", "protesting", "protested"], S.PEACEFUL_PROTEST),
    **dict.fromkeys(["riots", "rioted", "rioting"], S.VIOLENT_DEMONSTRATION),
    **dict.fromkeys(["defusal", "defused"], S.DISRUPTED_WEAPONS_USE),
    **dict.fromkeys(["looting", "looted"], S.LOOTING),
}
#: the ACLED tie-break: the most severe form decides; a higher number wins in one sentence
SEVERITY: dict[S, int] = {
    S.OTHER: 1,
    S.CHANGE_TO_GROUP: 2,
    S.AGREEMENT: 3,
    S.HEADQUARTERS: 3,
    S.NON_VIOLENT_TRANSFER: 3,
    S.ARRESTS: 4,
    S.DISRUPTED_WEAPONS_USE: 5,
    S.LOOTING: 6,
    S.PEACEFUL_PROTEST: 7,
    S.PROTEST_WITH_INTERVENTION: 8,
    S.VIOLENT_DEMONSTRATION: 9,
    S.MOB_VIOLENCE: 10,
    S.EXCESSIVE_FORCE: 11,
    S.ABDUCTION: 12,
    S.SEXUAL_VIOLENCE: 13,
    S.ATTACK: 14,
    S.ARMED_CLASH: 15,
    S.NON_STATE_OVERTAKES_TERRITORY: 16,
    S.GOVERNMENT_REGAINS_TERRITORY: 16,
    S.GRENADE: 17,
    S.REMOTE_EXPLOSIVE: 18,
    S.SHELLING: 18,
    S.SUICIDE_BOMB: 19,
    S.AIR_STRIKE: 19,
    S.CHEMICAL_WEAPON: 20,
}
PLOVER: dict[S, str] = {
    S.ARMED_CLASH: "ASSAULT",
    S.GOVERNMENT_REGAINS_TERRITORY: "SEIZE",
    S.NON_STATE_OVERTAKES_TERRITORY: "SEIZE",
    S.SEXUAL_VIOLENCE: "ASSAULT",
    S.ATTACK: "ASSAULT",
    S.ABDUCTION: "ASSAULT",
    S.CHEMICAL_WEAPON: "ASSAULT",
    S.AIR_STRIKE: "ASSAULT",
    S.SUICIDE_BOMB: "ASSAULT",
    S.SHELLING: "ASSAULT",
    S.REMOTE_EXPLOSIVE: "ASSAULT",
    S.GRENADE: "ASSAULT",
    S.PEACEFUL_PROTEST: "PROTEST",
    S.PROTEST_WITH_INTERVENTION: "PROTEST",
    S.EXCESSIVE_FORCE: "ASSAULT",
    S.VIOLENT_DEMONSTRATION: "PROTEST",
    S.MOB_VIOLENCE: "ASSAULT",
    S.AGREEMENT: "AGREE",
    S.ARRESTS: "ARREST",
    S.CHANGE_TO_GROUP: "MOBILIZE",
    S.DISRUPTED_WEAPONS_USE: "SEIZE",
    S.HEADQUARTERS: "MOBILIZE",
    S.LOOTING: "ASSAULT",
    S.NON_VIOLENT_TRANSFER: "CEDE",
    S.OTHER: "COERCE",
}
VIOLENT = {s for s, n in SEVERITY.items() if n >= 9 and s not in {S.ARRESTS}}
_AIR = re.compile(
    r"\b(air|drones?|warplanes?|jets?|aircraft|planes?|helicopters?|gunships?|aerial|uavs?|"
    r"reapers?|f-\d+|mq-\d+s?|bombers?|airstrikes?|air force)\b",
    re.I,
)
_AIRCRAFT_ONLY = re.compile(
    r"\b(drones?|warplanes?|jets?|aircraft|aeroplanes?|planes?|helicopters?|uavs?|"
    r"reapers?|mq-\d+s?|fighters? jets?|bombers?)\b",
    re.I,
)
_MILITARY_STRIKE = re.compile(
    r"\b(military|army|forces|troops|coalition|militias?|militants?|targets?|"
    r"positions|bases?|killing|killed|carried out|launched|conducted)\b",
    re.I,
)
_LABOUR_STRIKE = re.compile(
    r"\b(\d+-hour|hunger|general|students?|civil servants|employees|workers|teachers|"
    r"doctors|nurses|unions?|staged|observ\w+|labou?r|wages?|pay|salar\w+)\b",
    re.I,
)
_SUICIDE = re.compile(r"\bsuicide\b", re.I)
_SHELL = re.compile(r"\b(shell(s|ed|ing)?|artillery|mortars?|rockets?|missiles?|howitzers?)\b", re.I)
_IED = re.compile(
    r"\b(ieds?|roadside bombs?|landmines?|land mines?|explosive devices?|car bombs?|"
    r"improvised|bomb (?:exploded|went off|blast))\b",
    re.I,
)
_CHEM = re.compile(r"\b(chemical weapons?|chlorine|sarin|mustard gas|nerve agent)\b", re.I)
_INTERVENTION = re.compile(
    r"\b(tear ?gas|teargas|dispersed?|dispersing|water cannons?|batons?|rubber bullets|"
    r"arrested|arrests?|detained|broke up|baton|intervened?|intervention|fired (?:shots|"
    r"warning shots|in the air)|warning shots|blocked by police|prevented)\b",
    re.I,
)
_LETHAL = re.compile(r"\b(killed|shot dead|live (?:bullets|ammunition|rounds)|opened fire|died|dead)\b", re.I)
_VIOLENT_CROWD = re.compile(
    r"\b(burn(?:ed|t)? down|set fire|ransack\w*|altercation|vandal\w*|lynch\w*|stormed|"
    r"traffic was blocked|property damage|looted|destroyed|violent(?:ly)?|running battles?|clash(?:ed|es)?|"
    r"light(?:ed|ing)? fires?|lit fires?|"
    r"bonfires?|block(?:ed|ing)? (?:the )?roads?|beat(?:en)? up|stoned|stones|"
    r"pelted|threw stones|stone-throwing|hurled stones|burn(?:ed|t|ing) (?:tyres|tires|"
    r"vehicles?|cars?|buildings?|property)|barricad\w*|looted|vandali[sz]ed|clashed with "
    r"police|set ablaze|set on fire|torched|rampage)\b",
    re.I,
)
_MILITARY_TARGET = re.compile(
    r"\b(soldiers?|troops|army|military|police(?:men)?|officers?|base|barracks|"
    r"checkpoint|convoy|patrol|forces|station|post|camp|militants?|rebels?|fighters|"
    r"insurgents|jihadists|gunmen|raiders|bandits|attackers|assailants|terrorists|"
    r"reservists?|rangers?|guards?|gendarmes?|militia(?:men|s)?|vdp|volunteers|"
    r"customs|koglweogo|dozos?|vigilante group)\b",
    re.I,
)
_COLLECTIVE = re.compile(
    r"\b(residents|villagers|youths?|crowds?|mobs?|group|members|locals|people|community|"
    r"rioters|vigilantes|men|herders|farmers|students|traders|supporters)\b",
    re.I,
)
_STATE_FORCES = re.compile(
    r"\b(police(?:men)?|officers?|soldiers?|troops|army|military|security forces|gendarmes?|"
    r"guards?|customs officials|fds|vdp|"
    r"gendarmerie|kdf|gsu|defen[cs]e forces|armed forces|reservists?|rangers?)\b",
    re.I,
)
_NON_STATE_ARMED = re.compile(
    r"\b(militants?|rebels?|insurgents?|jihadists?|gunmen|raiders|bandits|attackers|"
    r"assailants|terrorists?|al[- ]shabaa?b|boko haram|islamic state|isis|jnim|ansarul|"
    r"armed (?:men|group)|militia(?:men|s)?|fighters|rustlers|shabaab)\b",
    re.I,
)
_PROTEST_WORDS = re.compile(
    r"\b(protest\w*|demonstrat\w*|demo|rioters?|riots?|rioting|march(?:ed|ers)|"
    r"picket\w*|sit-in)\b",
    re.I,
)
_DISRUPTION = re.compile(
    r"\b(defus\w+|uncover\w*|discover\w*|found|recover\w*|seiz\w+|safely detonated|"
    r"controlled explosion|intercept\w*|foil\w*|thwart\w*|disarm\w*)\b",
    re.I,
)
_TERRITORY_OBJ = re.compile(
    r"\b(town|city|village|base|area|territory|district|control|region|locality|"
    r"positions?|airport|port|capital|outpost)\b",
    re.I,
)
_PROPERTY = re.compile(
    r"\b(houses?|homes?|huts?|villages?|vehicles?|cars?|trucks?|schools?|churche?s?|mosques?|"
    r"shops?|stores?|buildings?|property|market|granar(?:y|ies)|crops|offices?|stations?|"
    r"dormitor(?:y|ies)|banners?|tyres|tires|motorcycles?|buses)\b",
    re.I,
)
#: multiword triggers the tokenizer splits ("sit-in") or that no single word carries
_PHRASES: list[tuple[re.Pattern[str], S]] = [
    (
        re.compile(
            r"\bsit-?ins?\b|\btook (?:to )?the streets?\b|\bwent on (?:a )?strike\b|\bon strike\b|"
            r"\bstrike action\b|\bwalk-?outs?\b|\bwalked out\b|\bhunger strike\b|\bpetitioned\b",
            re.I,
        ),
        S.PEACEFUL_PROTEST,
    ),
    (re.compile(r"\bmutin\w+\b|\bbarricad\w+", re.I), S.VIOLENT_DEMONSTRATION),
    (re.compile(r"\bset (?:\w+ )?(?:on fire|ablaze|alight)\b", re.I), S.LOOTING),
    (re.compile(r"\bopened fire\b", re.I), S.ATTACK),
    (
        re.compile(r"\b(?:took|taken|take|seized|gained|wrested) (?:full )?control of\b", re.I),
        S.NON_STATE_OVERTAKES_TERRITORY,
    ),
]
_ANAPHOR = re.compile(
    # a lower-case modifier only: "the deadly attack" points back, "the Jordan attack" names another
    r"\b(?i:the|this|that|the same|friday's|saturday's|sunday's|monday's|tuesday's|"
    r"wednesday's|thursday's|yesterday's|today's|last week's)\s+(?:[a-z-]+\s+)?(?i:strike|attack|"
    r"operation|raid|assault|blast|explosion|incident|bombing|shelling|shooting|clash(?:es)?|"
    r"protest|killing|ambush)\b"
)
_NEGATED_KILL = re.compile(r"\bno\s+(?:one|civilians?|casualties|deaths|injuries|people|lives)\b", re.I)

# ---------------------------------------------------------------- ACLED-style actor names

_GROUPS: list[tuple[re.Pattern[str], str, int]] = [
    (
        re.compile(
            r"\b(police(?:men|women)?|officers?|cops?|constables?|troopers?|gendarmes?|gendarmerie|"
            r"law enforcement|deputies|sheriff)\b",
            re.I,
        ),
        "Police Forces",
        1,
    ),
    (
        re.compile(
            r"\b(soldiers?|troops|army|military|armed forces|servicem[ae]n|marines|navy|air force|"
            r"air defen[cs]es?|defen[cs]e forces|forces|artillery|tanks?|"
            r"warplanes?|jets?|aircraft|aeroplanes?|planes?|drones?|helicopters?|gunships?|reapers?|"
            r"mq-\d+s?|commandos?|special forces|command|coalition)\b",
            re.I,
        ),
        "Military Forces",
        1,
    ),
    (
        re.compile(
            r"\b(protesters?|demonstrators?|marchers|supporters|activists|students|teachers|workers|"
            r"traders|residents protesting)\b",
            re.I,
        ),
        "Protesters",
        6,
    ),
    (re.compile(r"\b(rioters?|mobs?|youths?|vigilantes?|crowds?)\b", re.I), "Rioters", 5),
    (
        re.compile(
            r"\b(gunmen|assailants|attackers|bandits|unknown|unidentified|armed men|armed group|"
            r"militias?|militiamen|"
            r"militants?|jihadists?|insurgents?|terrorists?|fighters|raiders|thugs|criminals|robbers)\b",
            re.I,
        ),
        "Unidentified Armed Group",
        3,
    ),
    (
        re.compile(
            r"\b(civilians?|villagers?|residents?|people|persons?|man|woman|men|women|children|child|boys?|"
            r"girls?|farmers?|herders?|passengers?|pupils?|worshippers?|teachers?|journalists?|"
            r"traders?|family|families|motorists?|drivers?|teen(?:ager)?s?|victims?|locals?|"
            r"homes?|houses?|thief|thieves|suspects?|nurses?|marabouts?|imams?|pastors?|priests?|catechists?|"
            r"councill?ors?|chiefs?|students?|miners?|shepherds?|peasants?|worshipers?|refugees?|"
            r"displaced|wom[ae]n)\b",
            re.I,
        ),
        "Civilians",
        7,
    ),
]


def group_name(kind: str, country: str | None) -> str:
    """An ACLED-style generic actor name; without a known country the name stands alone.

    >>> group_name("Rioters", "Kenya"), group_name("Police Forces", None)
    ('Rioters (Kenya)', 'Police Forces')
    """
    if kind in {"Police Forces", "Military Forces"}:
        return f"{kind} of {country}" if country else kind
    return f"{kind} ({country})" if country else kind


@dataclass
class _Actor:
    name: str
    entity: str | None
    text: str | None
    inter: int | None
    country: str | None = None

    def public(self) -> Actor:
        return Actor(name=canonical_group(self.name), entity=self.entity, text=self.text, inter=self.inter)


@dataclass
class _Mention:
    sub: S
    trigger: Token
    sent: SpacySpan
    actor1: _Actor | None
    actor2: _Actor | None
    date: DateExpr | None
    place: Place | None
    toll: Toll
    anaphoric: bool = False
    #: told inside "after ..."/"in retaliation for ..." of another sentence's event
    background: bool = False


@dataclass
class _Event:
    sub: S
    mentions: list[_Mention] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.mentions[0].sent.start_char

    def date(self) -> DateExpr | None:
        dated = [m.date for m in self.mentions if m.date and m.date.value]
        return max(dated, key=lambda d: len(d.value or "")) if dated else None


# ---------------------------------------------------------------- span lookups in linear time


class _Spans:
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
class _Index:
    """What the events stage looks up again and again, built once per document."""

    dates: _Spans
    locative: _Spans
    mentions: _Spans
    blocked: _Spans  # attribution sources, the dateline and place names: never actors
    sources: _Spans
    sent_starts: list[int]
    sents: list[SpacySpan]


def _dateline(draft: Draft) -> tuple[int, int] | None:
    """The report's wire dateline, found once per document."""
    if "_dateline" not in draft.extra:
        draft.extra["_dateline"] = dateline(draft.text)
    found = draft.extra["_dateline"]
    return found if isinstance(found, tuple) else None


def _index(draft: Draft) -> _Index:
    found = draft.extra.get("_events_index")
    if isinstance(found, _Index):
        return found
    assert draft.doc is not None
    locative = [p for p in draft.places if is_locative(draft, p)]
    sources = [(a.source.start, a.source.end, a) for a in draft.attributions if a.source]
    line = _dateline(draft)
    blocked = sources + [(p.start, p.end, p) for p in locative] + ([(line[0], line[1], None)] if line else [])
    sents = list(draft.doc.sents)
    ix = _Index(
        dates=_Spans([(d.start, d.end, d) for d in draft.dates]),
        locative=_Spans([(p.start, p.end, p) for p in locative]),
        mentions=_Spans([(s, e, eid) for (s, e), eid in draft.mention_index.items()]),
        blocked=_Spans(blocked),
        sources=_Spans(sources),
        sent_starts=[x.start_char for x in sents],
        sents=sents,
    )
    draft.extra["_events_index"] = ix
    return ix


# ---------------------------------------------------------------- reading one sentence


def _subtree_span(tok: Token) -> tuple[int, int]:
    toks = list(tok.subtree)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _np(tok: Token) -> tuple[int, int]:
    """The noun phrase headed by ``tok``, without relative clauses and trailing prepositions."""
    left = tok.left_edge.idx
    right_tok = tok
    for child in tok.rights:
        if child.dep_ in {"compound", "flat", "appos", "nummod"}:
            right_tok = child.right_edge
    return left, right_tok.idx + len(right_tok.text)


def _country_in(draft: Draft, ctx: Context, start: int, end: int) -> tuple[str | None, Entity | None]:
    """The country (and its state entity) named inside a span: "Russian jets" -> RU."""
    best: Entity | None = None
    ix = _index(draft)
    for eid in ix.mentions.within(start, end):
        ent = draft.entity(str(eid))
        if ent is None:
            continue
        if ent.kind == EntityKind.STATE and any(
            _BACKED.match(draft.text[m.end : m.end + 14]) for m in ent.mentions if start <= m.start < end
        ):
            continue  # "Iran-backed militias" are not Iran's forces
        if best is None or ent.kind != EntityKind.STATE:
            best = ent
    if best is not None:
        return best.country, best
    return None, None


_SPEECH = frozenset(
    [
        "say",
        "tell",
        "state",
        "claim",
        "allege",
        "deny",
        "confirm",
        "add",
        "report",
        "announce",
        "accuse",
        "warn",
        "insist",
        "urge",
        "emphasise",
        "emphasize",
        "assess",
        "believe",
        "suggest",
        "show",
    ]
)


def _clause_subject(trigger: Token) -> Token | None:
    """The subject of the clause a trigger sits in ("Russian jets were to blame for the downing"),
    never the subject of a verb of saying that reports it. A noun trigger takes it only from a verb
    of responsibility ("were to blame for", "claimed responsibility for"): elsewhere the subject of
    "died after a shooting" is the victim."""
    if trigger.pos_ != "VERB" and not any(
        a.lemma_.lower() in {"blame", "responsible", "responsibility", "behind", "carry", "conduct", "launch"}
        for a in trigger.ancestors
    ):
        return None
    tok = trigger
    for _ in range(5):
        if tok.lemma_.lower() in _SPEECH:
            return None
        subj = next((c for c in tok.children if c.dep_ in {"nsubj"}), None)
        if subj is not None and tok is not trigger:
            return subj
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _vehicle_nationality(draft: Draft) -> dict[str, str]:
    """Whose are "the drones": the nationality most often written before the same noun in the text."""
    counts: dict[str, dict[str, int]] = {}
    doc = draft.doc
    if doc is None:
        return {}
    for (s, e), eid in draft.mention_index.items():
        ent = draft.entity(eid)
        if ent is None or ent.kind != EntityKind.STATE or not ent.country:
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        head = span.root.head
        if span.root.dep_ in {"compound", "amod", "nmod"} and head.pos_ == "NOUN":
            by = counts.setdefault(head.lemma_.lower(), {})
            by[ent.country] = by.get(ent.country, 0) + 1
    return {lemma: max(by, key=lambda c: by[c]) for lemma, by in counts.items()}


def _other_party(
    sent: SpacySpan,
    draft: Draft,
    ctx: Context,
    agent: _Actor,
    country: str | None,
    nationality: dict[str, str],
    agent_tok: Token | None = None,
) -> _Actor | None:
    """A second state or armed force named in the sentence, when the parse gave no patient."""
    sources = _index(draft).blocked  # claim sources, the dateline and place names
    line = _dateline(draft)
    same_side: set[int] = set()
    if agent_tok is not None:
        side = agent_tok.head if agent_tok.dep_ in {"amod", "compound", "poss", "nmod"} else agent_tok
        same_side = {t.i for t in side.subtree} | {t.i for c in side.conjuncts for t in c.subtree}
    for tok in sent:
        if tok.i in same_side:
            continue
        if tok.pos_ not in {"NOUN", "PROPN"} or tok.dep_ in {"compound", "amod"}:
            continue
        if (
            sources.covers(tok.idx)
            or (line and line[0] <= tok.idx < line[1])
            or (tok.dep_ in {"nsubj"} and tok.head.lemma_ in _SPEECH)
        ):
            continue
        start, end = _np(tok)
        if _country_in(draft, ctx, start, end)[0] is None and tok.lemma_.lower() not in nationality:
            continue  # only a party whose nationality the text states
        cand = actor_from(tok, draft, ctx, country, nationality)
        if (
            cand is not None
            and cand.inter in {1, 2, 3, 8}
            and cand.country
            and cand.country != agent.country
            and cand.name != agent.name
        ):
            return cand
    return None


def actor_from(
    tok: Token, draft: Draft, ctx: Context, country: str | None, nationality: dict[str, str] | None = None
) -> _Actor | None:
    """The actor a noun phrase names, in ACLED's naming where a convention applies."""
    if tok.pos_ == "PRON" or tok.lemma_.lower() in _PLACE_NOUNS:
        return None
    start, end = _np(tok)
    text = draft.text[start:end]
    cc, ent = _country_in(draft, ctx, start, end)
    if ent is None and tok.lemma_.lower() in _MEMBER_NOUNS:
        # "fighters of the Sahel Freedom Movement", "members of Al Shabaab": the group itself
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
            lo, hi = _subtree_span(prep)
            _, group = _country_in(draft, ctx, lo, hi)
            if group is not None and group.kind in {EntityKind.ARMED_GROUP, EntityKind.ORGANIZATION}:
                return _Actor(group.name, group.id, draft.text[start:hi], 2, group.country)
    if cc is None and any(c.dep_ == "poss" and c.lower_ in {"its", "their"} for c in tok.children):
        # "its forces", said by Russia's Defense Ministry: the forces of the speaker's country;
        # "its fighters", denied by Hamas: the speaker's own
        speaker = _speaker(tok, draft)
        if speaker is not None and speaker.kind == EntityKind.ARMED_GROUP:
            return _Actor(speaker.name, speaker.id, text, 2, speaker.country)
        cc = speaker.country if speaker is not None and speaker.country else _speaker_country(tok, draft)
    if (
        cc is None
        and nationality
        and tok.lemma_.lower() in nationality
        and (ent is None or ent.kind not in {EntityKind.ARMED_GROUP, EntityKind.PERSON})
    ):
        cc = nationality[tok.lemma_.lower()]
        ent = None
    if (
        cc is None
        and _AIRCRAFT_ONLY.search(text)
        and not re.search(r"\b(our|army|military|air force)\b", text, re.I)
    ):
        country = None  # "drones struck a refinery in Russia": whose drones the place does not say
    where = cc or country
    cname = ctx.gazetteer.country_name(where) if where else None
    if ent is not None and ent.kind == EntityKind.MEDIA:
        return None  # an outlet reports; it does not fight
    if ent is not None and ent.kind in {EntityKind.ARMED_GROUP, EntityKind.ORGANIZATION, EntityKind.PERSON}:
        kind_inter = {EntityKind.ARMED_GROUP: 2, EntityKind.PERSON: 7}.get(ent.kind)
        name = canonical_group(ent.name) if ent.kind != EntityKind.PERSON else ent.name
        if ent.kind == EntityKind.ORGANIZATION and ent.country and name == ent.name:
            # "French Operation Barkhane", "US Central Command", "Kenya Police Service": a state's forces
            if re.search(r"\b(police|gendarmerie|constabulary)\b", ent.name, re.I):
                return _Actor(
                    group_name("Police Forces", ctx.gazetteer.country_name(ent.country)),
                    ent.id,
                    text,
                    1,
                    ent.country,
                )
            if re.search(
                r"\b(command|army|military|forces|navy|air force|operation|defen[cs]e|marines)\b",
                ent.name,
                re.I,
            ):
                return _Actor(
                    group_name("Military Forces", ctx.gazetteer.country_name(ent.country)),
                    ent.id,
                    text,
                    1,
                    ent.country,
                )
        return _Actor(name, ent.id, text, kind_inter, ent.country)
    ethnic = ent.name if ent is not None and ent.kind == EntityKind.OTHER else None
    for pattern, kind, inter in _GROUPS:
        if pattern.search(text):
            if ethnic and inter in {3, 5}:
                # "Pokot youths", "Kikuyu raiders": a communal group named by its people
                return _Actor(
                    group_name(f"{ethnic} Ethnic Militia", cname),
                    ent.id if ent else None,
                    text,
                    4,
                    cc or country,
                )
            return _Actor(group_name(kind, cname), ent.id if ent else None, text, inter, cc or country)
    if ent is not None and ent.kind == EntityKind.STATE and cname:
        return _Actor(group_name("Military Forces", cname), ent.id, text, 1, cc)
    return None


_MEMBER_NOUNS = frozenset(
    [
        "fighter",
        "fighters",
        "member",
        "members",
        "militant",
        "militants",
        "gunman",
        "gunmen",
        "supporter",
        "supporters",
        "element",
        "elements",
        "unit",
        "units",
        "cell",
        "cells",
        "commander",
        "commanders",
        "loyalist",
        "loyalists",
    ]
)
_PLACE_NOUNS = frozenset(
    [
        "city",
        "town",
        "village",
        "neighborhood",
        "neighbourhood",
        "area",
        "district",
        "region",
        "province",
        "capital",
        "suburb",
        "outskirts",
        "locality",
        "settlement",
        "county",
        "state",
        "country",
        "territory",
    ]
)


def _speaker(tok: Token, draft: Draft) -> Entity | None:
    """The entity whose statement contains ``tok``."""
    for a in draft.attributions[:200]:
        if a.source and a.content.start <= tok.idx < a.content.end:
            return draft.entity(a.source.entity)
    return None


def _speaker_country(tok: Token, draft: Draft) -> str | None:
    """Whose "its forces": the country of the speaker reporting it, else of the nearest entity
    named before ``tok`` in its sentence (or the one before)."""
    for a in draft.attributions[:200]:
        if a.source and a.content.start <= tok.idx < a.content.end:
            ent = draft.entity(a.source.entity)
            if ent is not None and ent.country:
                return ent.country
    for eid in reversed(_index(draft).mentions.within(tok.idx - 600, tok.idx)):
        ent = draft.entity(str(eid))
        if ent is not None and ent.country:
            return ent.country
    return None


def _arguments(trigger: Token) -> tuple[Token | None, Token | None]:
    """(agent, patient) heads of a trigger, from the dependency parse."""
    agent = patient = None
    head = trigger
    if trigger.pos_ == "NOUN":
        for child in trigger.children:
            if (
                child.dep_ in {"amod", "compound", "poss"}
                and child.pos_ in {"PROPN", "ADJ", "NOUN"}
                and child.ent_type_ in {"NORP", "GPE", "ORG"}
            ):
                agent = child
            if child.dep_ == "prep" and child.lower_ in {"by"}:
                agent = next((c for c in child.children if c.dep_ == "pobj"), agent)
            if child.dep_ == "prep" and child.lower_ in {"on", "against", "targeting", "of"}:
                patient = next((c for c in child.children if c.dep_ == "pobj"), patient)
            if child.dep_ == "relcl" and child.lemma_.lower() in {"kill", "wound", "injure", "target", "hit"}:
                # "a drone attack that killed three soldiers": the soldiers are its victims
                patient = next((c for c in child.children if c.dep_ == "dobj"), patient)
        # "killed in a drone strike": the clause's verb carries the arguments
        if trigger.dep_ == "pobj" and trigger.head.dep_ == "prep":
            head = trigger.head.head
        elif trigger.dep_ in {"nsubj", "dobj"}:
            head = trigger.head
        if head.lemma_.lower() in {"responsibility", "credit"} and head.head.pos_ == "VERB":
            # "X claimed responsibility for the bombing": X is the perpetrator, by its own account
            claimer = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
            return claimer, patient
        if head.pos_ == "VERB" and head.lemma_.lower() in {"blame", "accuse", "suspect"}:
            # "officials blamed al-Shabaab for the attack": the blamed party is the alleged perpetrator
            blamed = next((c for c in head.children if c.dep_ in {"dobj", "nsubjpass"}), None)
            return blamed, patient
    if head.pos_ in {"VERB", "AUX"}:
        for child in head.children:
            if child.dep_ == "nsubj" and agent is None:
                agent = child
            elif child.dep_ in {"dobj", "nsubjpass"} and patient is None:
                patient = child
            elif child.dep_ == "agent":
                agent = next((c for c in child.children if c.dep_ == "pobj"), agent)
        if agent is None and head.dep_ in {"xcomp", "advcl", "conj"} and head.head.pos_ == "VERB":
            agent = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
        if head.dep_ == "relcl" and patient is None and any(c.dep_ == "nsubjpass" for c in head.children):
            patient = head.head  # "the drones that had been harassed by ...": the drones
    return agent, patient


def _classify(tok: Token, sent_text: str) -> S | None:
    """The sub-event type a token triggers in its sentence, or None."""
    lemma, low = tok.lemma_.lower(), tok.lower_
    if tok.pos_ not in {"VERB", "NOUN", "PROPN", "ADJ"} or low in {"according", "accordance"}:
        return None
    sub = LEXICON.get(lemma) or LEXICON.get(low) or _FORMS.get(low)
    if low in {
        "strike",
        "strikes",
        "struck",
        "hit",
        "raid",
        "raids",
        "bombed",
        "bombing",
        "attack",
        "attacks",
        "attacked",
        "targeted",
        "target",
    }:
        doc = tok.doc
        window = doc[max(0, tok.i - 4) : min(len(doc), tok.i + 6)].text
        if _AIR.search(window) and not _AIRCRAFT_ONLY.fullmatch(window.strip()):
            sub = S.AIR_STRIKE
        elif _SHELL.search(window):
            sub = S.SHELLING
        elif low in {"strike", "strikes"} and re.search(
            r"\b(workers?|teachers?|doctors?|nurses?|general|"
            r"went on|go on|labou?r|unions?)\b",
            sent_text,
            re.I,
        ):
            sub = S.PEACEFUL_PROTEST
        elif low in {"raid", "raids", "attack", "attacks", "attacked", "struck", "hit", "targeted", "bombed"}:
            sub = S.ATTACK
        elif (
            low in {"strike", "strikes"}
            and tok.pos_ == "NOUN"
            and _MILITARY_STRIKE.search(sent_text)
            and not _LABOUR_STRIKE.search(sent_text)
        ):
            # "the US carried out strikes against militias": a military's bare "strike" is from the air
            sub = S.AIR_STRIKE
        else:
            sub = sub if sub else None
    if low in {"fire", "fired", "firing"} and re.search(
        r"\bopen(ed)? fire|fired (?:at|on|shots|bullets)", sent_text, re.I
    ):
        sub = S.ATTACK
    if low in {"missile", "missiles", "rocket", "rockets"} and _AIR.search(sent_text):
        sub = (
            S.AIR_STRIKE
            if re.search(r"\b(warplanes?|jets?|drones?|helicopters?|aircraft)\b", sent_text, re.I)
            else S.SHELLING
        )
    if low in {"shot", "shoot", "shooting"} and re.search(r"\bshot down\b", sent_text, re.I):
        sub = S.DISRUPTED_WEAPONS_USE
    if low in {"crashed", "crash", "downed", "downing"} and _AIRCRAFT_ONLY.search(sent_text):
        sub = S.DISRUPTED_WEAPONS_USE
    if sub is None:
        return None
    if sub in {S.ATTACK, S.REMOTE_EXPLOSIVE} and _SUICIDE.search(sent_text):
        return S.SUICIDE_BOMB
    if sub in {S.ATTACK, S.REMOTE_EXPLOSIVE} and _IED.search(sent_text):
        return S.REMOTE_EXPLOSIVE
    if sub == S.ATTACK and _CHEM.search(sent_text):
        return S.CHEMICAL_WEAPON
    if (
        sub == S.LOOTING
        and lemma == "destroy"
        and not re.search(
            r"\b(homes?|houses?|property|shops?|"
            r"buildings?|vehicles?|crops)\b",
            sent_text,
            re.I,
        )
    ):
        return None
    if lemma in {"seize", "capture", "overrun"}:
        # what was taken decides: a town is territory, a motorbike is loot
        objs = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
        taken = " ".join(tok.doc[c.left_edge.i : c.right_edge.i + 1].text for c in objs)
        if _TERRITORY_OBJ.search(taken) or (lemma == "overrun" and not objs):
            return S.NON_STATE_OVERTAKES_TERRITORY
    if (
        sub == S.DISRUPTED_WEAPONS_USE
        and lemma in {"seize", "recover", "confiscate"}
        and not re.search(
            r"\b(weapons?|arms|guns?|rifles?|ammunition|explosives?|bombs?|grenades?)\b", sent_text, re.I
        )
    ):
        return None
    if (
        sub == S.AGREEMENT
        and lemma in {"deal", "sign", "agreement"}
        and not re.search(
            r"\b(ceasefire|peace|truce|accord|prisoner|exchange|agreement|deal)\b", sent_text, re.I
        )
    ):
        return None
    if lemma in {"burn", "torch"} or low in {"burnt", "burned", "torched"}:
        if re.search(r"\b(alive|to death)\b", sent_text, re.I):
            return S.ATTACK
        if not _PROPERTY.search(sent_text):
            return None
        return S.LOOTING
    if lemma in {"exchange"} and "fire" not in sent_text.lower():
        return None
    if (
        lemma in {"fight", "battle"}
        and tok.pos_ == "VERB"
        and re.search(
            r"\b(fight against|fighting "
            r"corruption)\b",
            sent_text,
            re.I,
        )
    ):
        return None
    if lemma in {"capture", "seize"} and not _TERRITORY_OBJ.search(sent_text):
        return S.ABDUCTION if lemma == "capture" else None
    if lemma == "march" and tok.pos_ == "NOUN" and re.match(r"March", tok.text):
        return None
    if (
        tok.dep_ in {"compound", "amod", "nmod"}
        and lemma in {"riot", "protest", "bomb", "fight", "battle"}
        and tok.head.lemma_.lower()
        in {
            "gear",
            "police",
            "squad",
            "control",
            "unit",
            "shield",
            "helmet",
            "disposal",
            "jet",
            "plane",
            "aircraft",
            "permit",
            "song",
            "sign",
            "banner",
        }
    ):
        return None  # "police in riot gear", "bomb disposal squad", "fighter jets" name no event
    if lemma in {"deal", "sign"} and tok.pos_ == "NOUN":
        return None
    return sub


_POLICE_BEFORE = re.compile(r"\b(police|officers?|troops|soldiers|security forces|gendarmes?)\b", re.I)
_CROWD_BEFORE = re.compile(
    r"\b(protesters?|demonstrators?|crowds?|youths?|students|rioters?|residents|mob|"
    r"supporters|traders|they)\b",
    re.I,
)


def _crowd_violence(text: str) -> bool:
    """Stones, fires, barricades by the crowd, not "police in riot gear blocked the road"."""
    for m in _VIOLENT_CROWD.finditer(text):
        before = text[max(0, m.start() - 50) : m.start()]
        police = list(_POLICE_BEFORE.finditer(before))
        crowd = list(_CROWD_BEFORE.finditer(before))
        if (
            police
            and (not crowd or crowd[-1].start() < police[-1].start())
            and not m.group().lower().startswith(("clash", "running"))
        ):
            continue
        return True
    return False


_NEGATED_ACT = re.compile(r"\b(?:nobody|no one|none|never|not|no)\b[^.;,]{0,30}", re.I)


def _refine(sub: S, sent_text: str, agent: _Actor | None, patient: _Actor | None) -> S:
    """Adjust a sentence's sub-type with what else it says (intervention, targets, aircraft)."""
    # "Nobody threw a stone", "did not loot": a denied act is no evidence of it
    sent_text = _NEGATED_ACT.sub(" ", sent_text)
    protest_context = bool(_PROTEST_WORDS.search(sent_text))
    if sub in {S.ARMED_CLASH, S.ATTACK} and protest_context:
        lethal = bool(_LETHAL.search(sent_text))
        if _crowd_violence(sent_text):
            return S.VIOLENT_DEMONSTRATION
        if agent is not None and agent.inter == 1:
            # the police beat or shot demonstrators: an intervention, excessive when it kills
            return S.EXCESSIVE_FORCE if lethal else S.PROTEST_WITH_INTERVENTION
        if lethal and _STATE_FORCES.search(sent_text) and not _crowd_violence(sent_text):
            return S.EXCESSIVE_FORCE
        return S.VIOLENT_DEMONSTRATION
    if (
        sub in {S.REMOTE_EXPLOSIVE, S.GRENADE}
        and _DISRUPTION.search(sent_text)
        and not _LETHAL.search(sent_text)
    ):
        return S.DISRUPTED_WEAPONS_USE
    if sub == S.NON_STATE_OVERTAKES_TERRITORY and agent is not None and agent.inter == 1:
        return S.GOVERNMENT_REGAINS_TERRITORY
    if sub == S.PEACEFUL_PROTEST:
        if _crowd_violence(sent_text):
            return S.VIOLENT_DEMONSTRATION
        if _LETHAL.search(sent_text) and re.search(
            r"\b(police|security forces|soldiers|troops)\b", sent_text, re.I
        ):
            return S.EXCESSIVE_FORCE
        if _INTERVENTION.search(sent_text):
            return S.PROTEST_WITH_INTERVENTION
    if sub == S.ATTACK:
        if re.search(
            r"\b(mob|lynch\w*|vigilantes?|angry (?:youths|residents|villagers|crowd))\b", sent_text, re.I
        ):
            return S.MOB_VIOLENCE
        if agent is not None and agent.inter in {5, 7} and _COLLECTIVE.search(agent.text or ""):
            return S.MOB_VIOLENCE
        armed_target = patient is not None and (
            patient.inter in {1, 2, 3} or bool(_MILITARY_TARGET.search(patient.text or ""))
        )
        armed_agent = agent is not None and agent.inter in {1, 2, 3, 8}
        if armed_target and (armed_agent or agent is None):
            return S.ARMED_CLASH
        if _STATE_FORCES.search(sent_text) and (
            _NON_STATE_ARMED.search(sent_text) or (agent is not None and agent.inter in {2, 3, 4})
        ):
            return S.ARMED_CLASH
    if (
        sub in {S.ATTACK, S.AIR_STRIKE, S.SHELLING}
        and patient is not None
        and _AIRCRAFT_ONLY.search(patient.text or "")
        and not _LETHAL.search(sent_text)
    ):
        # aircraft against aircraft without losses: a show of force, not a strike
        return S.OTHER
    return sub


def _without_sources(draft: Draft, sent: SpacySpan) -> str:
    """The sentence with the sources of its attributions blanked: "police say" names no party."""
    text = sent.text
    for src in _index(draft).sources.starting_in(sent.start_char, sent.end_char):
        if isinstance(src, Attribution) and src.source is not None:
            a, b = src.source.start - sent.start_char, src.source.end - sent.start_char
            text = text[:a] + " " * (b - a) + text[b:]
    return text


#: verbs whose object names violence that is not an event of this report ("suspending attacks")
_NOT_AN_EVENT = frozenset(
    [
        "suspend",
        "stop",
        "halt",
        "end",
        "cease",
        "pause",
        "condemn",
        "investigate",
        "prevent",
        "avoid",
        "resume",
        "deny",
        "threaten",
        "plan",
        "warn",
    ]
)
_PLANNING = frozenset(
    [
        "plan",
        "threaten",
        "vow",
        "intend",
        "want",
        "call",
        "urge",
        "warn",
        "pledge",
        "promise",
        "prepare",
        "seek",
        "aim",
        "hope",
        "decide",
        "agree",
    ]
)


def _irrealis(trigger: Token) -> bool:
    """ "will protest next week", "threatened to attack", "did not attack": nothing happened (yet)."""
    if trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in _NOT_AN_EVENT:
        return True
    verb = (
        trigger
        if trigger.pos_ in {"VERB", "AUX"}
        else (
            trigger.head
            if trigger.dep_ in {"dobj", "nsubj", "nsubjpass"} and trigger.head.pos_ == "VERB"
            else None
        )
    )
    if verb is None:
        return False
    for c in verb.children:
        if c.dep_ == "neg" and verb is trigger:
            return True
        if c.dep_ == "aux" and c.lower_ in {"will", "'ll", "shall", "would", "could", "might", "may"}:
            return True
        if c.dep_ == "aux" and c.lower_ == "to" and verb.head.lemma_.lower() in _PLANNING:
            return True
    return False


def _habitual(trigger: Token) -> bool:
    """ "have killed thousands since 2009": a record of past violence, not an event."""
    verb = trigger if trigger.pos_ in {"VERB", "AUX"} else trigger.head
    perfect = any(c.dep_ == "aux" and c.lower_ in {"have", "has"} for c in verb.children)
    span = verb.sent.text.lower() if len(verb.doc) < 2000 else ""
    return perfect and bool(
        re.search(
            r"\b(since (?:19|20)\d\d|since the|over the (?:past|last)|in recent "
            r"(?:years|months)|thousands|hundreds of thousands)\b",
            span or verb.doc[max(0, verb.i - 30) : verb.i + 30].text.lower(),
        )
    )


def _in_background(tok: Token) -> bool:
    """A trigger inside "after ..." / "following ..." names an earlier event given as background."""
    for anc in tok.ancestors:
        if anc.lemma_.lower() in {"retaliation", "response", "revenge", "reprisal", "anniversary"}:
            return True  # "in retaliation for a drone attack that killed three soldiers"
        if anc.lower_ in {"after", "following", "since", "over", "against", "despite"} and anc.dep_ in {
            "prep",
            "mark",
            "advmod",
            "pcomp",
            "amod",
        }:
            return True
    return any(c.lower_ in {"after", "following"} and c.dep_ == "mark" for c in tok.children)


def _responsible_for(tok: Token) -> Token | None:
    """The party a sentence holds responsible for an event it points back to: "X claimed
    responsibility for the attack", "X is suspected of carrying out the kidnapping", "officials
    blamed X for the attack"."""
    for anc in list(tok.ancestors)[:5]:
        lemma = anc.lemma_.lower()
        if lemma in {"responsibility", "credit"} and anc.dep_ == "dobj":
            verb = anc.head
            if verb.lemma_.lower() in {"claim", "take", "accept", "admit"}:
                return next((c for c in verb.children if c.dep_ == "nsubj"), None)
            return None
        if anc.pos_ != "VERB" or lemma in {
            "carry",
            "conduct",
            "launch",
            "stage",
            "mount",
            "perpetrate",
            "be",
        }:
            continue  # "suspected of carrying out the kidnapping"
        if lemma in {"blame", "accuse", "suspect"}:
            passive = next((c for c in anc.children if c.dep_ == "nsubjpass"), None)
            if passive is not None:
                return passive
            return next((c for c in anc.children if c.dep_ == "dobj"), None)
        return None  # another verb stands between: the sentence says something else about the event
    return None


def _is_anaphoric(tok: Token) -> bool:
    """ "the attack", "Friday's strike": a noun that points back to an event already reported."""
    if tok.pos_ != "NOUN" or any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
        return False
    return any(
        (c.dep_ == "det" and c.lower_ in {"the", "this", "that", "these", "those"})
        or c.dep_ == "poss"
        or c.lower_ == "same"
        for c in tok.children
    )


def _sentence_mentions(draft: Draft, ctx: Context, country: str | None) -> list[_Mention]:
    assert draft.doc is not None
    out: list[_Mention] = []
    date_spans = _index(draft).dates
    nationality = _vehicle_nationality(draft)
    for sent in draft.doc.sents:
        text = sent.text
        candidates: list[tuple[int, S, Token]] = []
        for tok in sent:
            if date_spans.covers(tok.idx):
                continue
            if out and _is_anaphoric(tok):
                blamed = _responsible_for(tok)
                if blamed is not None and blamed.pos_ != "PRON" and blamed.lower_ not in {"no", "nobody"}:
                    # "Al Shabaab militants are suspected of carrying out the kidnapping"
                    who = actor_from(blamed, draft, ctx, country, nationality)
                    if who is not None:
                        out.append(
                            _Mention(S.OTHER, tok, sent, who, None, None, None, Toll(), anaphoric=True)
                        )
                continue
            sub = _classify(tok, text)
            if sub is not None:
                if (
                    _NEGATED_KILL.search(text)
                    and sub == S.ATTACK
                    and tok.lemma_ in {"kill", "injure", "wound"}
                ):
                    continue
                candidates.append((SEVERITY[sub] - (30 if _in_background(tok) else 0), sub, tok))
        if not candidates:
            for pattern, phrase_sub in _PHRASES:
                hit = pattern.search(text)
                if hit is not None:
                    found = draft.doc.char_span(
                        sent.start_char + hit.start(), sent.start_char + hit.end(), alignment_mode="expand"
                    )
                    if found is not None:
                        candidates.append((SEVERITY[phrase_sub], phrase_sub, found.root))
                    break
        if not candidates:
            anaphor = _ANAPHOR.search(text)
            toll = tolls(text, sent.start_char)
            if anaphor or toll.killed or toll.injured or toll.civilians_killed:
                # casualty or anaphoric sentence: it adds to the event it speaks of
                out.append(
                    _Mention(
                        S.OTHER, sent[0], sent, None, None, _date_in(draft, sent), None, toll, anaphoric=True
                    )
                )
            continue
        _, sub, trigger = max(candidates, key=lambda c: (c[0], -c[2].i))
        if _habitual(trigger) or _irrealis(trigger):
            continue
        # a kill verb whose cause is named by a weapon noun ("killed in a drone strike") takes the weapon
        agent_tok, patient_tok = _arguments(trigger)
        place = _place_in(draft, sent)
        here = place.country if place and place.country else country
        if agent_tok is None:
            agent_tok = _clause_subject(trigger)
        agent = actor_from(agent_tok, draft, ctx, here, nationality) if agent_tok is not None else None
        patient = actor_from(patient_tok, draft, ctx, here, nationality) if patient_tok is not None else None
        if patient is None and agent is not None:
            patient = _other_party(sent, draft, ctx, agent, here, nationality, agent_tok)
        text = _without_sources(draft, sent)
        if sub == S.PEACEFUL_PROTEST or (sub in {S.ATTACK, S.ARMED_CLASH} and _PROTEST_WORDS.search(text)):
            # how a protest ended is often told in the next sentences ("Police intervened with teargas.")
            follow = draft.text[sent.end_char : sent.end_char + 400].split("\n\n")[0]
            ix = _index(draft)
            at = bisect.bisect_left(ix.sent_starts, sent.end_char)
            nxt = [s2.text for s2 in ix.sents[at : at + 2] if s2.start_char < sent.end_char + len(follow)]
            sub = _refine(sub, " ".join([text, *nxt[:2]]), agent, patient)
        else:
            sub = _refine(sub, text, agent, patient)
        # "Three soldiers were wounded." after a report of an attack tells that attack's toll
        toll_only = (
            trigger.lemma_.lower() in {"kill", "injure", "wound", "die", "hurt"}
            and agent is None
            and any(not m.anaphoric and m.sub in VIOLENT for m in out)
        )
        earlier = any(not m.anaphoric and m.sub in VIOLENT for m in out)
        anaphoric = (bool(_ANAPHOR.search(text)) and sub in VIOLENT and not agent and earlier) or toll_only
        background = _background_mentions(draft, ctx, sent, candidates, trigger, country, nationality)
        spans = [_background_clause(m.trigger) for m in background]
        main_text = text
        for a, b in spans:
            main_text = main_text[: a - sent.start_char] + " " * (b - a) + main_text[b - sent.start_char :]
        out.append(
            _Mention(
                sub,
                trigger,
                sent,
                agent,
                patient,
                _date_in(draft, sent, exclude=spans),
                place,
                tolls(main_text, sent.start_char),
                anaphoric=anaphoric,
            )
        )
        out.extend(background)
    return out


def _background_clause(tok: Token) -> tuple[int, int]:
    """The characters of the "after ..." / "in retaliation for ..." phrase that holds ``tok``."""
    for anc in tok.ancestors:
        if anc.lemma_.lower() in {"retaliation", "response", "revenge", "reprisal"} or (
            anc.lower_ in {"after", "following", "since"} and anc.dep_ in {"prep", "mark"}
        ):
            return _subtree_span(anc)
    return _subtree_span(tok)


def _background_mentions(
    draft: Draft,
    ctx: Context,
    sent: SpacySpan,
    candidates: list[tuple[int, S, Token]],
    main: Token,
    country: str | None,
    nationality: dict[str, str],
) -> list[_Mention]:
    """Earlier violence a sentence gives as background ("in retaliation for a drone attack that killed
    three soldiers in Jordan last weekend") is an event of its own when it has its own date or place."""
    out: list[_Mention] = []
    seen: set[tuple[int, int]] = set()
    for _, sub, tok in candidates:
        if tok is main or sub not in VIOLENT or not _in_background(tok):
            continue
        lo, hi = _background_clause(tok)
        if (lo, hi) in seen or lo <= main.idx < hi:
            continue
        dates = [
            d
            for d in _index(draft).dates.starting_in(lo, hi)
            if isinstance(d, DateExpr) and d.value and not _reporting_date(draft, d)
        ]
        places = [p for p in _index(draft).locative.starting_in(lo, hi) if isinstance(p, Place) and p.country]
        if not dates and not places:
            continue
        seen.add((lo, hi))
        agent_tok, patient_tok = _arguments(tok)
        here = places[0].country if places else country
        agent = actor_from(agent_tok, draft, ctx, here, nationality) if agent_tok is not None else None
        patient = actor_from(patient_tok, draft, ctx, here, nationality) if patient_tok is not None else None
        clause = draft.text[lo:hi]
        out.append(
            _Mention(
                _refine(sub, clause, agent, patient),
                tok,
                sent,
                agent,
                patient,
                dates[0] if dates else None,
                max(places, key=lambda p: _FEATURE_RANK.get(str(p.feature), 0)) if places else None,
                tolls(clause, lo),
                background=True,
            )
        )
    return out


def _reporting_date(draft: Draft, d: DateExpr) -> bool:
    """ "police said on Sunday", a dateline's date: when the news was told, not when it happened."""
    line = _dateline(draft)
    if line and line[0] <= d.start < line[1]:
        return True
    if draft.doc is None:
        return False
    span = draft.doc.char_span(d.start, d.end, alignment_mode="expand")
    if span is None:
        return False
    head = span.root.head
    for _ in range(3):
        if head.pos_ in {"VERB", "AUX"}:
            return head.lemma_.lower() in _REPORT_VERBS
        if head.head is head:
            break
        head = head.head
    return False


_REPORT_VERBS = frozenset(
    ["say", "tell", "report", "announce", "confirm", "state", "add", "claim", "deny", "publish", "release"]
)


def _date_in(draft: Draft, sent: SpacySpan, exclude: list[tuple[int, int]] | None = None) -> DateExpr | None:
    inside = [
        d
        for d in _index(draft).dates.starting_in(sent.start_char, sent.end_char)
        if isinstance(d, DateExpr)
        and d.value
        and not _reporting_date(draft, d)
        and not any(a <= d.start < b for a, b in exclude or [])
    ]
    if not inside:
        return None
    by_precision = {"day": 4, "week": 3, "month": 2, "year": 1}
    return max(inside, key=lambda d: (by_precision.get(str(d.precision), 0), -d.start))


_FEATURE_RANK = {
    "populated_place": 5,
    "admin2": 4,
    "admin1": 3,
    "water": 3,
    "region": 2,
    "other": 2,
    "country": 1,
}


_ACTOR_HEAD = re.compile(
    r"^(military|forces?|troops|soldiers?|police|government|officials?|authorities|drones?|jets?|aircraft|"
    r"planes?|warplanes?|president|minister|army|navy|embassy|citizens?|nationals?|leaders?|spokes\w+|"
    r"commanders?|media|officers?|diplomats?|envoy|ambassador|delegation|administration|side|counterpart|"
    r"intelligence|air|regime|team|players?|companies|company|firms?|interests?|people|opposition)$",
    re.I,
)


_BACKED = re.compile(
    r"^[-‐–]\s?(?:backed|led|based|aligned|allied|funded|supported|linked|affiliated|"
    r"sponsored|controlled|held|occupied|annexed)\b",
    re.I,
)


def is_locative(draft: Draft, place: Place) -> bool:
    """False for a place name used as a nationality or an actor: "US drones", "Kenya's police",
    "Syria said", "Iran-backed militias". Such names are resolved as places but never give an
    event its location."""
    if place.metonymy or _BACKED.match(draft.text[place.end : place.end + 14]):
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
    return not (root.dep_ in {"nsubj"} and root.head.pos_ == "VERB")


def _place_in(draft: Draft, sent: SpacySpan) -> Place | None:
    inside = [
        p
        for p in _index(draft).locative.starting_in(sent.start_char, sent.end_char)
        if isinstance(p, Place) and (p.country or p.lat is not None)
    ]
    if not inside:
        return None
    return max(inside, key=lambda p: (_FEATURE_RANK.get(str(p.feature), 0), -p.start))


# ---------------------------------------------------------------- merging and finishing


def _sentence_actors(ms: list[_Mention], draft: Draft, ctx: Context, country: str | None) -> list[_Actor]:
    """Every actor named in an event's sentences, in text order (outside the sources of claims)."""
    blocked = _index(draft).blocked
    out: list[_Actor] = []
    seen: set[str] = set()
    for m in ms:
        lo, hi = _background_clause(m.trigger) if m.background else (m.sent.start_char, m.sent.end_char)
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


def _nearby_place(draft: Draft, ev: _Event, country: str | None, main: bool) -> Place | None:
    """An event's place when its own sentences name none: the last place named before it in the same
    paragraph, else (for the report's main event) the most specific place in the report's country."""
    first = ev.mentions[0].sent
    para_start = draft.text.rfind("\n\n", 0, first.start_char) + 1
    ix = _index(draft)
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
            return max(local, key=lambda p: (_FEATURE_RANK.get(str(p.feature), 0), -p.start))
    return None


def _nearby_date(draft: Draft, ev: _Event, main: bool) -> DateExpr | None:
    """An undated event's date from the sentences around it: news states the time of an event once,
    often in the sentence after the headline or lede ("Police said the shooting happened Saturday")."""
    assert draft.doc is not None
    pub = draft.published.isoformat() if draft.published else None

    def usable(d: DateExpr) -> bool:
        return d.precision == "day" and d.value is not None and (pub is None or d.value <= pub)

    first = ev.mentions[0].sent
    ix = _index(draft)
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


def _compatible_dates(a: DateExpr | None, b: DateExpr | None) -> bool:
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
    return (
        a == b
        or any(a in f and b in f for f in (_ASSAULT_FAMILY, _BATTLE_FAMILY, _PROTEST_FAMILY))
        or (a in _PROTEST_FAMILY and b == S.ARRESTS)
    )


def _merged_type(e: _Event) -> S:
    """The sub-type of a merged event: the most severe form in a battle or a demonstration."""
    subs = [m.sub for m in e.mentions if not m.anaphoric]
    if e.sub in _PROTEST_FAMILY:
        if S.ARRESTS in subs and e.sub == S.PEACEFUL_PROTEST:
            subs.append(S.PROTEST_WITH_INTERVENTION)
        return max((x for x in subs if x in _PROTEST_FAMILY), key=lambda x: SEVERITY[x], default=e.sub)
    if e.sub in _BATTLE_FAMILY:
        return max((x for x in subs if x in _BATTLE_FAMILY), key=lambda x: SEVERITY[x], default=e.sub)
    weapons = [x for x in subs if SUB_EVENT_PARENT[x] == EventType.EXPLOSIONS]
    if e.sub in _ASSAULT_FAMILY and weapons:
        # "Israeli strike kills 30" then "an Israeli air strike ...": the weapon decides (ACLED)
        return weapons[0]
    return e.sub


_GENERIC_ATTACK = frozenset(["attack", "strike", "hit", "struck", "target", "pound", "shell", "bomb"])


def _place_key(p: Place | None) -> str | None:
    return (p.name or p.text).lower() if p is not None else None


def _compatible_places(e: _Event, m: _Mention) -> bool:
    """Two mentions that name different towns are different events; a town inside the region the
    other names (same country) may be the same one."""
    if m.place is not None and m.place.feature == "populated_place":
        areas = [x.place for x in e.mentions if x.place is not None]
        if areas and all(p.feature != "populated_place" and p.country == m.place.country for p in areas):
            return True
    theirs = {_place_key(x.place) for x in e.mentions if x.place is not None and x.place.feature != "country"}
    mine = _place_key(m.place) if m.place is not None and m.place.feature != "country" else None
    return mine is None or not theirs or mine in theirs


def _compatible_actors(e: _Event, m: _Mention) -> bool:
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


def _restates(m: _Mention, e: _Event) -> bool:
    """ "Its forces had struck military infrastructure in Kharkiv": a generic attack word about the
    place of an earlier violent event tells that event again (often another party's version)."""
    if e.sub not in VIOLENT or m.sub not in VIOLENT or m.trigger.lemma_.lower() not in _GENERIC_ATTACK:
        return False
    if m.place is None:
        # the next sentences' "it had targeted a command centre" are still about the last attack;
        # plural "attacks" speak of a campaign, not of this event
        last = e.mentions[-1].sent
        return m.sent.start_char - last.end_char < 400 and m.trigger.tag_ != "NNS"
    return _place_key(m.place) in {_place_key(x.place) for x in e.mentions if x.place}


def _merge(mentions: list[_Mention]) -> list[_Event]:
    events: list[_Event] = []
    for m in mentions:
        if m.anaphoric:
            pointed = [e for e in reversed(events) if e.sub in VIOLENT or e.sub == m.sub]
            pointed.sort(key=lambda e: all(x.background for x in e.mentions))
            target = pointed[0] if pointed else None
            if target is not None:
                target.mentions.append(m)
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
            events.append(_Event(m.sub, [m]))
    return events


def _most_specific(actors: list[_Actor | None]) -> _Actor | None:
    """Of the ways the mentions name one side, the named group before "gunmen" or "attackers"."""
    known = [a for a in actors if a is not None]
    if not known:
        return None
    generic = ("Unidentified", "Civilians", "Rioters", "Protesters")
    return min(known, key=lambda a: (a.name.startswith(generic) or a.entity is None, known.index(a)))


def _claims(draft: Draft, evidence: list[Span]) -> list[Attribution]:
    """The attributions whose content overlaps the event's sentences."""
    spans: _Spans | None = draft.extra.get("_content_index")
    if spans is None:
        spans = _Spans([(a.content.start, a.content.end, a) for a in draft.attributions])
        draft.extra["_content_index"] = spans
    longest = spans.longest
    found: dict[str, Attribution] = {}
    for ev_span in evidence:
        for a in spans.starting_in(ev_span.start - longest, ev_span.end):
            if isinstance(a, Attribution) and a.content.start < ev_span.end and ev_span.start < a.content.end:
                found[a.id] = a
    return sorted(found.values(), key=lambda a: a.content.start)


def _status(claims: list[Attribution], draft: Draft) -> Status:
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


def _document_country(draft: Draft) -> str | None:
    votes: dict[str, float] = {}
    line = _dateline(draft)
    for p in draft.places:
        if line is not None and line[0] <= p.start < line[1]:
            continue  # where the report was filed says little about whose forces acted
        if p.country and p.feature != "water" and is_locative(draft, p):
            votes[p.country] = votes.get(p.country, 0) + (1.5 if p.feature != "country" else 1)
    return max(votes, key=lambda c: votes[c]) if votes else None


def _finish(ev: _Event, idx: int, draft: Draft, ctx: Context, country: str | None) -> Event:
    ms = [m for m in ev.mentions if not m.anaphoric] or ev.mentions
    a1 = _most_specific([m.actor1 for m in ms] + [m.actor1 for m in ev.mentions if m.anaphoric])
    a2 = _most_specific([m.actor2 for m in ms])
    place = next((m.place for m in ev.mentions if m.place), None) or _nearby_place(
        draft, ev, country, idx == 1
    )
    sub = ev.sub
    told_in_passing = all(m.background for m in ev.mentions)
    date = ev.date() or (None if told_in_passing else _nearby_date(draft, ev, main=idx == 1))
    loc_country = place.country if place else country
    cname = ctx.gazetteer.country_name(loc_country) if loc_country else None
    evidence = [Span(start=m.sent.start_char, end=m.sent.end_char, text=m.sent.text) for m in ev.mentions]
    claims = _claims(draft, evidence)
    # a strike claimed by a state's own command names that state as the actor
    if (a1 is None or a1.name == "Military Forces") and sub in VIOLENT | {S.OTHER, S.DISRUPTED_WEAPONS_USE}:
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
                a1 = _Actor(
                    group_name("Military Forces", ctx.gazetteer.country_name(owner)),
                    ent.id if ent else None,
                    a.source.text,
                    1,
                    owner,
                )
                break
    cands = [c for c in _sentence_actors(ms, draft, ctx, loc_country) if a2 is None or c.name != a2.name]
    armed = [c for c in cands if c.inter in {1, 2, 3, 4, 8}]
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
    if sub in {S.PEACEFUL_PROTEST, S.PROTEST_WITH_INTERVENTION, S.EXCESSIVE_FORCE}:
        police = a1 if a1 and a1.inter == 1 else None
        police = police or next((c for c in cands if c.inter == 1), None)
        a1 = _Actor(
            group_name("Protesters", cname), None, a1.text if a1 and a1.inter == 6 else None, 6, loc_country
        )
        if sub != S.PEACEFUL_PROTEST:
            a2 = police or _Actor(group_name("Police Forces", cname), None, None, 1, loc_country)
    elif sub in {S.VIOLENT_DEMONSTRATION, S.MOB_VIOLENCE}:
        if a1 is None or a1.inter not in {5}:
            a2 = a2 or (a1 if a1 and a1.inter in {1, 7} else None)
            a1 = _Actor(group_name("Rioters", cname), None, None, 5, loc_country)
        if a2 is None:
            a2 = next((c for c in cands if c.inter in {1, 7}), None)
    elif sub in {S.ATTACK, S.ABDUCTION, S.SEXUAL_VIOLENCE}:
        if a1 is None or a1.inter == 7:
            a1 = _Actor(group_name("Unidentified Armed Group", cname), None, None, 3, loc_country)
        if a2 is None or a2.inter not in {7}:
            a2 = _Actor(
                group_name("Civilians", cname),
                a2.entity if a2 else None,
                a2.text if a2 else None,
                7,
                loc_country,
            )
    elif a1 is None:
        kind = (
            "Unidentified Armed Group"
            if sub in VIOLENT
            else ("Police Forces" if sub == S.ARRESTS else "Military Forces")
        )
        a1 = (armed[0] if armed else None) or _Actor(
            group_name(kind, cname), None, None, 3 if sub in VIOLENT else 1, loc_country
        )
    if a2 is not None and a1 is not None and a2.name == a1.name:
        a2 = None
    killed = _count(_precise([(m.toll.killed, "killed" in m.toll.vague) for m in ev.mentions]))
    injured = _count(_precise([(m.toll.injured, "injured" in m.toll.vague) for m in ev.mentions]))
    civ_k = _count([m.toll.civilians_killed for m in ev.mentions])
    civ_i = _count([m.toll.civilians_injured for m in ev.mentions])
    if civ_k and killed and killed.min < civ_k.min:
        killed = civ_k
    location = Location()
    if place is not None:
        precision: Literal[1, 2, 3] = (
            1 if place.feature == "populated_place" else (2 if place.feature == "admin2" else 3)
        )
        location = Location(
            name=place.name,
            country=place.country,
            admin1=place.admin1,
            admin2=place.admin2,
            lat=place.lat,
            lon=place.lon,
            geo_precision=precision,
            text=place.text,
        )
    elif country:
        entry = ctx.gazetteer.best(ctx.gazetteer.country_name(country), country)
        location = Location(
            name=ctx.gazetteer.country_name(country),
            country=country,
            lat=entry.lat if entry else None,
            lon=entry.lon if entry else None,
            geo_precision=3,
        )
    context = (
        EventContext.POLITICAL
        if (a1 and a1.inter in {1, 2, 3, 8})
        or sub
        in {
            S.PEACEFUL_PROTEST,
            S.PROTEST_WITH_INTERVENTION,
            S.EXCESSIVE_FORCE,
            S.VIOLENT_DEMONSTRATION,
            S.AIR_STRIKE,
            S.SHELLING,
            S.AGREEMENT,
            S.OTHER,
        }
        else EventContext.UNKNOWN
    )
    n_signals = sum(x is not None for x in (date, place, a2)) + (len(ev.mentions) > 1)
    return Event(
        id=f"ev{idx}",
        event_type=SUB_EVENT_PARENT[sub],
        sub_event_type=sub,
        plover=PLOVER.get(sub),
        context=context,
        actor1=(a1 or _Actor("Unknown", None, None, None)).public(),
        actor2=a2.public() if a2 else None,
        date=EventDate(value=date.value, precision=date.precision, text=date.text) if date else EventDate(),
        location=location,
        fatalities=killed.min if killed else 0,
        casualties=Casualties(
            killed=killed, injured=injured, civilians_killed=civ_k, civilians_injured=civ_i
        ),
        status=_status(claims, draft),
        claims=[a.id for a in claims],
        evidence=evidence,
        confidence=round(min(0.95, 0.4 + 0.12 * n_signals), 2),
    )


def run(draft: Draft, ctx: Context) -> None:
    if draft.doc is None:
        return
    country = _document_country(draft)
    mentions = _sentence_mentions(draft, ctx, country)
    events = [e for e in _merge(mentions) if not all(m.anaphoric for m in e.mentions)]
    for e in events:
        e.sub = _merged_type(e)
    # salience: the report's main event first: the earliest, then the most severe and most repeated
    events.sort(key=lambda e: (e.first, all(m.background for m in e.mentions), -SEVERITY[e.sub]))
    draft.events = [_finish(e, i, draft, ctx, country) for i, e in enumerate(events, start=1)]
