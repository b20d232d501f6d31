"""Who acted on whom: the agent and patient of a trigger from the dependency parse (`arguments`,
`clause_subject`, `other_party`), and the actor a noun phrase names, in ACLED's naming
(`actor_from`: "Police Forces of Kenya", "Civilians (Nigeria)", named groups).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitroom.model import Entity, EntityKind
from sitroom.stages.actor_names import canonical_group
from sitroom.stages.events.classify import AIRCRAFT_ONLY
from sitroom.stages.events.index import BACKED, dateline, index
from sitroom.stages.events.mention import Party

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from sitroom.context import Context
    from sitroom.draft import Draft

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


# ---------------------------------------------------------------- reading the parse


def subtree_span(tok: Token) -> tuple[int, int]:
    """The characters of ``tok`` and everything it governs."""
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
    ix = index(draft)
    for eid in ix.mentions.within(start, end):
        ent = draft.entity(str(eid))
        if ent is None:
            continue
        if ent.kind == EntityKind.STATE and any(
            BACKED.match(draft.text[m.end : m.end + 14]) for m in ent.mentions if start <= m.start < end
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


def clause_subject(trigger: Token) -> Token | None:
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


def vehicle_nationality(draft: Draft) -> dict[str, str]:
    """Whose are "the drones": the nationality most often written before the same noun in the text."""
    counts: dict[str, dict[str, int]] = {}
    doc = draft.doc
    if doc is None:
        return {}
    for (s, e), eid in draft.mention_index.items():
        ent = draft.entity(eid)
        if ent is None or ent.kind != EntityKind.STATE or not ent.country or not ent.named:
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        head = span.root.head
        if span.root.dep_ in {"compound", "amod", "nmod"} and head.pos_ == "NOUN":
            by = counts.setdefault(head.lemma_.lower(), {})
            by[ent.country] = by.get(ent.country, 0) + 1
    return {lemma: max(by, key=lambda c: by[c]) for lemma, by in counts.items()}


def other_party(
    sent: SpacySpan,
    draft: Draft,
    ctx: Context,
    agent: Party,
    country: str | None,
    nationality: dict[str, str],
    agent_tok: Token | None = None,
) -> Party | None:
    """A second state or armed force named in the sentence, when the parse gave no patient."""
    sources = index(draft).blocked  # claim sources, the dateline and place names
    line = dateline(draft)
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
) -> Party | None:
    """The actor a noun phrase names, in ACLED's naming where a convention applies."""
    if tok.pos_ == "PRON" or tok.lemma_.lower() in _PLACE_NOUNS:
        return None
    start, end = _np(tok)
    text = draft.text[start:end]
    cc, ent = _country_in(draft, ctx, start, end)
    if ent is None and tok.lemma_.lower() in _MEMBER_NOUNS:
        group = _group_of_members(tok, draft, ctx, start)
        if group is not None:
            return group
    if cc is None and any(c.dep_ == "poss" and c.lower_ in {"its", "their"} for c in tok.children):
        # "its forces", said by Russia's Defense Ministry: the forces of the speaker's country;
        # "its fighters", denied by Hamas: the speaker's own
        speaker = _speaker(tok, draft)
        if speaker is not None and speaker.kind == EntityKind.ARMED_GROUP:
            return Party(speaker.name, speaker.id, text, 2, speaker.country)
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
        and AIRCRAFT_ONLY.search(text)
        and not re.search(r"\b(our|army|military|air force)\b", text, re.I)
    ):
        country = None  # "drones struck a refinery in Russia": whose drones the place does not say
    where = cc or country
    cname = ctx.gazetteer.country_name(where) if where else None
    if ent is not None and ent.kind == EntityKind.MEDIA:
        return None  # an outlet reports; it does not fight
    if ent is not None and ent.kind in {EntityKind.ARMED_GROUP, EntityKind.ORGANIZATION, EntityKind.PERSON}:
        return _named_party(ent, text, ctx)
    return _generic_party(text, ent, cname, cc, country)


def _group_of_members(tok: Token, draft: Draft, ctx: Context, start: int) -> Party | None:
    """ "fighters of the Sahel Freedom Movement", "members of Al Shabaab": the group itself."""
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
        lo, hi = subtree_span(prep)
        _, group = _country_in(draft, ctx, lo, hi)
        if group is not None and group.kind in {EntityKind.ARMED_GROUP, EntityKind.ORGANIZATION}:
            return Party(group.name, group.id, draft.text[start:hi], 2, group.country)
    return None


def _named_party(ent: Entity, text: str, ctx: Context) -> Party:
    """A named group, organisation or person; a state's force named as an organisation ("French
    Operation Barkhane", "US Central Command", "Kenya Police Service") gets the state's force name."""
    kind_inter = {EntityKind.ARMED_GROUP: 2, EntityKind.PERSON: 7}.get(ent.kind)
    name = canonical_group(ent.name) if ent.kind != EntityKind.PERSON else ent.name
    if ent.kind == EntityKind.ORGANIZATION and ent.country and name == ent.name:
        if re.search(r"\b(police|gendarmerie|constabulary)\b", ent.name, re.I):
            return Party(
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
            return Party(
                group_name("Military Forces", ctx.gazetteer.country_name(ent.country)),
                ent.id,
                text,
                1,
                ent.country,
            )
    return Party(name, ent.id, text, kind_inter, ent.country)


def _generic_party(
    text: str, ent: Entity | None, cname: str | None, cc: str | None, country: str | None
) -> Party | None:
    """A party named by what it is ("gunmen", "police", "Pokot youths"), in ACLED's generic names;
    ``cc`` is the country the phrase itself names, ``country`` the one the event happens in."""
    ethnic = ent.name if ent is not None and ent.kind == EntityKind.OTHER else None
    for pattern, kind, inter in _GROUPS:
        if pattern.search(text):
            if ethnic and inter in {3, 5}:
                # "Pokot youths", "Kikuyu raiders": a communal group named by its people
                return Party(
                    group_name(f"{ethnic} Ethnic Militia", cname),
                    ent.id if ent else None,
                    text,
                    4,
                    cc or country,
                )
            return Party(group_name(kind, cname), ent.id if ent else None, text, inter, cc or country)
    if ent is not None and ent.kind == EntityKind.STATE and cname:
        return Party(group_name("Military Forces", cname), ent.id, text, 1, cc)
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
    for eid in reversed(index(draft).mentions.within(tok.idx - 600, tok.idx)):
        ent = draft.entity(str(eid))
        if ent is not None and ent.country:
            return ent.country
    return None


#: verbs whose subject undergoes the event a noun names ("died in an attack", "fell into an ambush")
_SUFFER = frozenset(["die", "perish", "fall", "suffer", "sustain", "come", "step", "drive", "walk", "run"])


def arguments(trigger: Token) -> tuple[Token | None, Token | None]:
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
        # "eight volunteers died in an attack", "a convoy fell on an IED": the subject is the victim
        suffers = head is not trigger and head.lemma_.lower() in _SUFFER
        for child in head.children:
            if child.dep_ == "nsubj" and suffers and patient is None:
                patient = child
            elif child.dep_ == "nsubj" and agent is None and not suffers:
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
