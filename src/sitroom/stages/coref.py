"""Coreference of descriptions: the noun phrases that name an actor by what it is.

The entities stage clusters names ("Sadik Ali", "CENTCOM"). News names most actors by description
too, and a reader needs to know that those are the same parties:

- a title or an apposition beside a name is that name's ("police spokesman Sadik Ali",
  "Tito Castellanos, the local police deputy director", "another group, the 444 Brigade");
- a parenthesis renames ("Galmudug's regional paramilitary forces (Darwish)");
- a name inside the phrase decides it ("al-Shabab militants", "rebels from the M23 group");
- a definite description refers back to the nearest earlier party of its class: "the official" to
  "a local official", "the attackers" to the gunmen, "the rebels" to M23, "the group" to the
  committee; "the army" and "Venezuela's military" to the state's forces;
- unnamed attackers written bare ("Gunmen ...", "armed men ...") are one unidentified party;
- "another official", "a second source" are new parties, never the earlier one.

A cluster made of descriptions only is ``named=False``: it is a party for attribution and
coreference, but the events stage does not take its words for a name.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitroom.model import EntityKind

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Doc, Token


@dataclass
class Cluster:
    """One party: its name, kind and every mention (character offsets)."""

    kind: EntityKind
    name: str
    country: str | None = None
    role: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    acronyms: set[str] = field(default_factory=set)
    named: bool = True
    head: str | None = None  # head lemma of a description cluster ("official")
    heads: set[str] = field(default_factory=set)  # head lemmas of all its descriptions
    force: str | None = None  # "military" or "police" for a state's forces


def _lemmas(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: People named by their role or situation.
PERSON_NOUNS = _lemmas("""
general official spokesman spokeswoman spokesperson source resident witness worker doctor medic nurse
prosecutor governor mayor president minister commander leader chief director officer analyst
activist lawmaker legislator survivor villager journalist reporter correspondent protester
demonstrator student teacher farmer fisherman bursar senator ambassador envoy diplomat colonel
captain lieutenant sergeant priest imam chairman chairwoman secretary administrator councillor
councilor elder politician relative father mother brother sister son daughter wife husband
headmaster principal pilot driver guard manager owner deputy representative investigator
inspector commissioner superintendent negotiator mediator expert researcher monitor observer
""")

#: Attackers named by what they did: written bare ("Gunmen killed ..."), they are this story's
#: attackers, one unidentified party.
DOER_NOUNS = _lemmas("""
gunman gunmen attacker assailant kidnapper abductor raider perpetrator killer bomber shooter
""")

#: Attackers named by what they are: written bare ("fighting jihadists"), often the movement in
#: general; the same word again is the same party.
ATTACKER_NOUNS = DOER_NOUNS | _lemmas("""
militant insurgent terrorist jihadist rebel fighter bandit extremist separatist islamist guerrilla
guerrillas militiaman militiamen
""")

#: Bodies: groups, agencies, services.
GROUP_NOUNS = _lemmas("""
group organisation organization movement militia faction committee council agency ministry
commission mission service office authority coalition alliance union network outfit
""")

#: A state's forces: the noun and which force it is.
FORCE_NOUNS = {
    **dict.fromkeys(["army", "military", "troops", "troop", "soldier", "soldiers"], "military"),
    **dict.fromkeys(["police", "policeman", "policemen", "gendarmerie", "gendarme"], "police"),
}

_MEN_MODIFIERS = frozenset({"armed", "unknown", "unidentified", "masked", "gun-wielding", "hooded"})
_NEW_PARTY = frozenset({"another", "other", "second", "third", "different", "separate", "some"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_NP_CHILDREN = frozenset({"det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "advmod", "case"})

#: How far back (characters) a definite description looks for its antecedent.
REACH = {"person": 2500, "attacker": 3000, "group": 1500}


def _forms(tok: Token) -> set[str]:
    """The lowercase word, its lemma and its singular (a capitalised "Terrorists" keeps its plural
    as lemma)."""
    low = tok.lower_
    forms = {low, tok.lemma_.lower()}
    if low.endswith("ies"):
        forms.add(low[:-3] + "y")
    elif low.endswith("s"):
        forms.add(low[:-1])
    return forms


def _class_of(tok: Token) -> str | None:
    """Which kind of description a noun heads, if any."""
    forms = _forms(tok)
    if forms & FORCE_NOUNS.keys():
        return "force"
    if forms & ATTACKER_NOUNS:
        return "attacker"
    if forms & {"man", "men"} and any(c.lower_ in _MEN_MODIFIERS for c in tok.children):
        return "attacker"
    if forms & GROUP_NOUNS:
        return "group"
    if forms & PERSON_NOUNS:
        return "person"
    return None


def _lemma(tok: Token) -> str:
    """The singular lowercase form that names a description's head ("terrorist")."""
    forms = _forms(tok)
    for lex in (ATTACKER_NOUNS, GROUP_NOUNS, PERSON_NOUNS, FORCE_NOUNS.keys()):
        hit = sorted(forms & lex, key=len)
        if hit:
            return hit[0]
    return tok.lemma_.lower()


def _np_start(tok: Token) -> int:
    """First token of the phrase a head noun governs, left side only ("the local police deputy
    director"): contiguous modifiers in the same sentence, never across punctuation or a line."""
    doc = tok.doc
    first = tok.i
    i = tok.i - 1
    while i >= tok.sent.start:
        t = doc[i]
        if (
            t.is_punct
            or t.is_space
            or "\n" in t.whitespace_
            or t.pos_ in {"VERB", "AUX", "ADP", "CCONJ"}
            or not _modifies(t, tok)
            or tok.i - i > 6
        ):
            break
        first = i
        i -= 1
    return first


def _modifies(t: Token, head: Token) -> bool:
    """Whether ``t`` hangs under ``head`` through noun-phrase modifiers only."""
    cur = t
    for _ in range(6):
        if cur.dep_ not in _NP_CHILDREN:
            return False
        cur = cur.head
        if cur.i == head.i:
            return True
    return False


class _Mentions:
    """Which cluster a character span already belongs to (spans kept sorted for bisect look-ups)."""

    def __init__(self, clusters: list[Cluster]) -> None:
        self.owner: dict[tuple[int, int], Cluster] = {}
        self.spans: list[tuple[int, int]] = []
        self.longest = 0
        for c in clusters:
            for m in c.mentions:
                self._put(m, c)

    def _put(self, span: tuple[int, int], cluster: Cluster) -> None:
        if span not in self.owner:
            bisect.insort(self.spans, span)
            self.longest = max(self.longest, span[1] - span[0])
        self.owner[span] = cluster

    def at(self, start: int, end: int) -> Cluster | None:
        """The cluster of the longest span overlapping ``[start, end)``."""
        best: tuple[int, Cluster] | None = None
        hi = bisect.bisect_left(self.spans, (end, -1))
        lo = bisect.bisect_left(self.spans, (start - self.longest, -1))
        for s, e in self.spans[lo:hi]:
            if s < end and start < e and (best is None or e - s > best[0]):
                best = (e - s, self.owner[(s, e)])
        return best[1] if best else None

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        lo, hi = bisect.bisect_left(self.spans, (start, -1)), bisect.bisect_left(self.spans, (end, -1))
        return [m for m in self.spans[lo:hi] if m[1] <= end]

    def add(self, cluster: Cluster, start: int, end: int) -> None:
        cluster.mentions.append((start, end))
        self._put((start, end), cluster)


def link(doc: Doc, clusters: list[Cluster], country_of: dict[str, str]) -> list[Cluster]:
    """Add description mentions to ``clusters`` (new clusters where they name a new party) and merge
    the clusters that appositions, titles and parentheses show to be one. ``country_of`` maps a
    country code to the name a state's forces are called by ("Military Forces of Kenya"). Returns the
    clusters left after merging."""
    index = _Mentions(clusters)
    desc: dict[int, Cluster] = {}  # head token index -> its cluster
    for tok in doc:
        if tok.pos_ not in {"NOUN", "PROPN"}:
            continue
        kind = _class_of(tok)
        if kind is None:
            continue
        if tok.dep_ in {"compound", "amod"} and tok.head.pos_ == "NOUN" and not _forms(tok) & DOER_NOUNS:
            continue  # "police station", "rebel positions"; but "gunmen attacks" names the gunmen
        start_tok = _np_start(tok)
        start, end = doc[start_tok].idx, tok.idx + len(tok)
        owner = index.at(tok.idx, tok.idx + len(tok))
        if owner is not None:
            continue  # the head word is part of a name ("Rapid Support Forces")
        cluster = _place(doc, tok, kind, start_tok, clusters, index, country_of)
        if cluster is not None:
            if not any(index.owner.get(m) is cluster for m in index.within(start, tok.idx)):
                index.add(cluster, start, end)  # "Boko Haram fighters" stays the mention "Boko Haram"
            cluster.heads.add(_lemma(tok))
            desc[tok.i] = cluster
    gone = _appositions(doc, index, desc)
    return [c for c in clusters if id(c) not in gone]


def _inside_names(doc: Doc, tok: Token, start_tok: int, index: _Mentions) -> list[Cluster]:
    """Clusters named inside the phrase: in its modifiers, or after "of"/"from"."""
    found: list[Cluster] = []
    for t in doc[start_tok : tok.i]:
        c = index.at(t.idx, t.idx + len(t))
        if c is not None and c not in found:
            found.append(c)
    for prep in tok.rights:
        if prep.dep_ == "prep" and prep.lower_ in {"of", "from"}:
            for t in prep.subtree:
                c = index.at(t.idx, t.idx + len(t))
                if c is not None and c not in found and c.kind != EntityKind.STATE:
                    found.append(c)
    return found


def _place(
    doc: Doc,
    tok: Token,
    kind: str,
    start_tok: int,
    clusters: list[Cluster],
    index: _Mentions,
    country_of: dict[str, str],
) -> Cluster | None:
    """The cluster a description belongs to: a named one inside it, an antecedent, or a new one."""
    words = {t.lower_ for t in doc[start_tok : tok.i]}
    inside = _inside_names(doc, tok, start_tok, index)
    if kind in {"attacker", "group"}:
        for c in inside:
            if c.kind in {EntityKind.ARMED_GROUP, EntityKind.ORGANIZATION} and c.named:
                return c  # "al-Shabab militants", "rebels from the M23 group"
    if kind == "force":
        force = FORCE_NOUNS.get(tok.lower_) or FORCE_NOUNS.get(tok.lemma_.lower(), "military")
        states = [c for c in inside if c.kind == EntityKind.STATE and c.country and c.force is None]
        if states:
            return _force(clusters, states[0].country, force, country_of)
        if words & _NEW_PARTY:
            return None
        earlier = [c for c in clusters if c.force == force]
        if earlier:
            return max(earlier, key=lambda c: _last_before(c, tok.idx))
        return _force(clusters, None, force, country_of)
    if words & _NEW_PARTY:
        return _new(clusters, doc, tok, kind, start_tok)
    definite = bool(words & _DEFINITE) or doc[start_tok].lower_ in _DEFINITE
    lemma = _lemma(tok)
    if kind == "attacker":
        if definite:
            ante = _antecedent(clusters, tok.idx, REACH["attacker"], _is_attacker)
            if ante is not None:
                return ante
        if lemma in DOER_NOUNS or lemma in {"man", "men"}:
            bare = [c for c in clusters if not c.named and c.head == "attacker"]
            if bare:
                return max(bare, key=lambda c: _last_before(c, tok.idx))
        else:
            ante = _antecedent(clusters, tok.idx, REACH["attacker"], lambda c: lemma in c.heads)
            if ante is not None:
                return ante
        return _new(clusters, doc, tok, kind, start_tok)
    if not definite:
        return _new(clusters, doc, tok, kind, start_tok)
    if kind == "group":
        ante = _antecedent(
            clusters,
            tok.idx,
            REACH["group"],
            lambda c: (
                c.named
                and c.kind in {EntityKind.ARMED_GROUP, EntityKind.ORGANIZATION}
                and (
                    lemma
                    in {"group", "organisation", "organization", "movement", "militia", "faction", "outfit"}
                    or lemma in c.name.lower()
                )
            ),
        )
        return ante or _new(clusters, doc, tok, kind, start_tok)
    ante = _antecedent(
        clusters,
        tok.idx,
        REACH["person"],
        lambda c: (
            (not c.named and c.head == lemma)
            or (c.kind == EntityKind.PERSON and c.role is not None and lemma in c.role.lower())
        ),
    )
    return ante or _new(clusters, doc, tok, kind, start_tok)


def _is_attacker(c: Cluster) -> bool:
    return (not c.named and c.head == "attacker") or (c.named and c.kind == EntityKind.ARMED_GROUP)


def _last_before(c: Cluster, pos: int) -> int:
    return max((s for s, _ in c.mentions if s < pos), default=-1)


def _antecedent(
    clusters: list[Cluster], pos: int, reach: int, ok: Callable[[Cluster], bool]
) -> Cluster | None:
    best: tuple[int, Cluster] | None = None
    for c in clusters:
        last = _last_before(c, pos)
        if last >= 0 and pos - last <= reach and ok(c) and (best is None or last > best[0]):
            best = (last, c)
    return best[1] if best else None


_KIND = {
    "person": EntityKind.PERSON,
    "attacker": EntityKind.ARMED_GROUP,
    "group": EntityKind.ORGANIZATION,
}


def _new(clusters: list[Cluster], doc: Doc, tok: Token, kind: str, start_tok: int) -> Cluster:
    words = [t.text for t in doc[start_tok : tok.i + 1] if t.dep_ not in {"det", "poss", "case"}]
    name = " ".join(words) or tok.text
    cluster = Cluster(_KIND[kind], name, named=False, head="attacker" if kind == "attacker" else _lemma(tok))
    clusters.append(cluster)
    return cluster


def _force(clusters: list[Cluster], country: str | None, force: str, country_of: dict[str, str]) -> Cluster:
    """The one cluster of a state's military or police; a country-less one takes the first country
    that later names it."""
    for c in clusters:
        if c.force == force and c.country == country:
            return c
    if country is not None:
        loose = [c for c in clusters if c.force == force and c.country is None]
        if len(loose) == 1:
            loose[0].country = country
            loose[0].name = _force_name(force, country, country_of)
            return loose[0]
    name = _force_name(force, country, country_of)
    cluster = Cluster(EntityKind.STATE, name, country=country, named=False, force=force)
    clusters.append(cluster)
    return cluster


def _force_name(force: str, country: str | None, country_of: dict[str, str]) -> str:
    label = "Military Forces" if force == "military" else "Police Forces"
    name = country_of.get(country or "", "")
    return f"{label} of {name}" if name else label


_OF_PHRASE = re.compile(r",? (?:of|at|for|in) [^,.;()\n]{1,60}, ")
_PAREN_NAME = re.compile(r"\s?\((?P<in>[A-Z][\w'’-]*(?: (?:[A-Z][\w'’-]*|of|the|for|and|de|du|des))*)\)")


def _appositions(doc: Doc, index: _Mentions, desc: dict[int, Cluster]) -> set[int]:
    """Merge what appositions, titles and parentheses show to be one party; returns the ids of
    merged-away clusters."""
    text = doc.text
    gone: set[int] = set()
    merged: dict[int, Cluster] = {}

    def find(c: Cluster) -> Cluster:
        while id(c) in merged:
            c = merged[id(c)]
        return c

    def merge(a: Cluster, b: Cluster, renames: bool = False) -> None:
        a, b = find(a), find(b)
        if a is b or a.force or b.force:
            return  # "the army, the country's largest employer": not worth the risk
        if a.named and b.named and (not renames or {a.kind, b.kind} & {EntityKind.PERSON, EntityKind.STATE}):
            return
        keep, drop = (a, b) if a.named or not b.named else (b, a)
        if keep.kind == EntityKind.PERSON and drop.kind != EntityKind.PERSON and drop.head != "attacker":
            return
        if keep.kind != EntityKind.PERSON and drop.kind == EntityKind.PERSON and drop.named:
            return
        if keep.named and drop.named and keep.name.isupper() and not drop.name.isupper():
            keep, drop = drop, keep  # the spelled-out name over its acronym
        keep.mentions.extend(drop.mentions)
        keep.acronyms |= drop.acronyms
        keep.heads |= drop.heads
        if keep.kind == EntityKind.PERSON and not keep.role and drop.kind == EntityKind.PERSON:
            keep.role = drop.name
        for m in drop.mentions:
            index.owner[m] = keep
        merged[id(drop)] = keep
        gone.add(id(drop))

    def cluster_of(tok: Token) -> Cluster | None:
        c = desc.get(tok.i) or index.at(tok.idx, tok.idx + len(tok))
        return find(c) if c is not None else None

    for tok in doc:
        if tok.dep_ == "appos" or (
            tok.dep_ == "compound" and tok.head.ent_type_ == "PERSON" and tok.i in desc
        ):
            a, b = cluster_of(tok.head), cluster_of(tok)
            if a is not None and b is not None:
                merge(a, b)
    # the same, read from punctuation where the parser hung the apposition elsewhere:
    # "Tito Castellanos, the local police deputy director", "The spokesperson of the Task Force,
    # Danbatta Bello", "the VDP (Volunteers for the Defense of the Motherland)"
    spans = sorted(index.owner)
    for k, (s1, e1) in enumerate(spans):
        for s2, e2 in spans[k + 1 : k + 6]:
            if s2 < e1 or s2 - e1 > 70:
                continue
            gap = text[e1:s2]
            a, b = find(index.owner[(s1, e1)]), find(index.owner[(s2, e2)])
            apposed = gap in {", ", ","} and text[e2 : e2 + 1] in {",", ".", ";", "\n", ""}
            of_phrase = _OF_PHRASE.fullmatch(gap) and not a.named and a.kind == EntityKind.PERSON
            if apposed or of_phrase:
                merge(a, b)
            elif gap.strip() == "(" and text[e2 : e2 + 1] == ")":
                merge(a, b, renames=True)
    for s1, e1 in spans:
        owner = find(index.owner[(s1, e1)])
        if not owner.named or owner.kind not in {EntityKind.ARMED_GROUP, EntityKind.ORGANIZATION}:
            continue
        m = _PAREN_NAME.match(text, e1)
        if m is not None and index.at(m.start("in"), m.end("in")) is None and len(m.group("in")) > 3:
            index.add(owner, m.start("in"), m.end("in"))  # "VDP (Volunteers for the Defense ...)"
    return gone
