"""Stage: entities, with coreference of names, titles, acronyms and descriptions.

Reads draft.doc (spaCy PERSON/ORG/GPE/NORP entities and noun chunks) and sets draft.entities and
draft.mention_index. One entity per real-world actor:

- "Grynkewich" is "Air Force Lieutenant General Alexus Grynkewich" (surname of an earlier full name;
  rank and office words become the role);
- "CENTCOM" is "US Central Command" ("X (ACR)", or an acronym made of the name's initials or
  leading syllables);
- "the ISIS leader" is "Osama al-Muhajer" (a definite description whose role noun matches an earlier
  person's title);
- "US", "U.S.", "American" and a capital used as an actor ("Moscow denied") are one state entity.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from sitroom.model import Entity, EntityKind, Span
from sitroom.stages.actor_names import canonical_group, group_pattern, is_known_group
from sitroom.stages.coref import Cluster, link

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

    from sitroom.context import Context
    from sitroom.draft import Draft

#: Words that open a person's title: "Air Force Lieutenant General", "Defence Minister", "chief".
TITLE_WORDS = frozenset(
    [
        "general",
        "gen",
        "lieutenant",
        "lt",
        "colonel",
        "col",
        "major",
        "maj",
        "captain",
        "capt",
        "commander",
        "admiral",
        "sergeant",
        "sgt",
        "corporal",
        "private",
        "brigadier",
        "marshal",
        "president",
        "vice",
        "prime",
        "minister",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "chief",
        "head",
        "leader",
        "director",
        "governor",
        "senator",
        "sen",
        "rep",
        "representative",
        "ambassador",
        "envoy",
        "king",
        "queen",
        "prince",
        "sheikh",
        "emir",
        "mayor",
        "chairman",
        "chairwoman",
        "chair",
        "deputy",
        "commissioner",
        "inspector",
        "superintendent",
        "officer",
        "police",
        "army",
        "air",
        "force",
        "navy",
        "marine",
        "marines",
        "mr",
        "mrs",
        "ms",
        "dr",
        "judge",
        "justice",
        "pope",
        "cleric",
        "imam",
        "bishop",
        "general-secretary",
        "secretary-general",
        "minister-president",
        "lawmaker",
        "mp",
    ]
)

#: Role nouns that a definite description ("the ISIS leader") shares with a person's title.
ROLE_NOUNS = frozenset(
    [
        "leader",
        "chief",
        "commander",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "president",
        "minister",
        "head",
        "governor",
        "mayor",
        "general",
        "colonel",
        "official",
        "ambassador",
        "envoy",
        "director",
        "founder",
        "emir",
        "deputy",
    ]
)

_MEDIA_RE = re.compile(
    r"\b(al jazeera|reuters|afp|agence france|associated press|\bap\b|bbc|cnn|xinhua|tass|ria novosti|"
    r"interfax|anadolu|al arabiya|bloomberg|dpa|efe|kyodo|yonhap|news|times|post|journal|gazette|"
    r"herald|tribune|radio|television|\btv\b|broadcast|press|agency|daily|telegraph|guardian|"
    r"monitor|observer|chronicle)\b",
    re.I,
)
_ARMED_RE = re.compile(
    r"\b(isis|isil|islamic state|daesh|al[- ]qaeda|al[- ]shabaa?b|boko haram|taliban|hezbollah|hamas|"
    r"houthis?|ansar|jihad|jnim|militia|militias|rebels?|brigades?|front|liberation|insurgents?|"
    r"movement|mujahideen|fighters|wagner|army|forces|military|police|command|guard|navy|air force)\b",
    re.I,
)
_NON_STATE_RE = re.compile(
    r"\b(isis|isil|islamic state|daesh|qaeda|shabaa?b|boko haram|taliban|hezbollah|hamas|houthis?|jihad|"
    r"jnim|militias?|rebels?|insurgents?|mujahideen|wagner|liberation)\b",
    re.I,
)
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.I)
_TRAILING = re.compile(r"(?:'s|’s|')$")


def clean_name(text: str) -> str:
    """A mention's text without a leading article or a trailing possessive.

    >>> clean_name("the US Central Command's")
    'US Central Command'
    """
    return _TRAILING.sub("", _LEADING.sub("", text.strip())).strip()


def _initials(words: list[str]) -> list[str]:
    return [w for w in words if w[:1].isupper() and w.lower() not in {"of", "the", "and", "for"}]


def is_acronym_of(acr: str, name: str) -> bool:
    """True when ``acr`` is made of the initials or leading syllables of ``name``'s words.

    >>> is_acronym_of("CENTCOM", "US Central Command")
    True
    >>> is_acronym_of("UN", "United Nations")
    True
    >>> is_acronym_of("NATO", "Russian Army")
    False
    """
    acr = acr.replace(".", "").lower()
    words = [w.lower() for w in _initials(name.replace("-", " ").split())]
    if len(acr) < 2 or not words:
        return False

    def match(a: str, i: int) -> bool:
        if not a:
            return i == len(words) or all(len(w) <= 3 for w in words[i:])  # trailing country codes
        if i == len(words):
            return False
        w = words[i]
        for k in range(min(len(w), len(a)), 0, -1):
            if a[:k] == w[:k] and match(a[k:], i + 1):
                return True
        # a leading country code ("US" Central Command) may be left out of the acronym
        return i == 0 and len(w) <= 3 and match(a, i + 1)

    return match(acr, 0)


def _split_title(span: SpacySpan) -> tuple[str, str | None]:
    """("Alexus Grynkewich", "Air Force Lieutenant General") from a span that starts with a title."""
    toks = [t for t in span if not t.is_punct or t.text in "-."]
    i = 0
    while i < len(toks) - 1 and (toks[i].lower_.strip(".") in TITLE_WORDS or toks[i].pos_ in {"ADJ"}):
        i += 1
    if i == 0:
        return span.text, None
    head = span.doc[toks[i].i : span.end]
    role = span.doc[span.start : toks[i].i].text
    return head.text, role


def _title_before(span: SpacySpan) -> str | None:
    """Title words written just before a person's name: "Islamic Leader [Osama al-Muhajer]"."""
    doc, i = span.doc, span.start - 1
    start = span.start
    while i >= 0 and (
        doc[i].lower_.strip(".") in TITLE_WORDS
        or (doc[i].is_title and i > 0 and doc[i - 1].lower_ in TITLE_WORDS)
    ):
        start = i
        i -= 1
    if start == span.start:
        return None
    # extend over a capitalised qualifier ("Islamic Leader", "US Central Command chief General")
    while (
        start > 0
        and doc[start - 1].is_title
        and doc[start - 1].ent_type_ in {"NORP", "ORG", "GPE", ""}
        and not doc[start - 1].is_sent_start
    ):
        start -= 1
    return doc[start : span.start].text.strip() or None


def _kind_of_org(name: str) -> EntityKind:
    if _MEDIA_RE.search(name) and not _ARMED_RE.search(name):
        return EntityKind.MEDIA
    if _NON_STATE_RE.search(name):
        return EntityKind.ARMED_GROUP
    return EntityKind.ORGANIZATION


def _country_of(name: str, ctx: Context) -> str | None:
    gaz = ctx.gazetteer
    words = name.replace("-", " ").split()
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            cc = gaz.country_code(" ".join(words[i : i + n]))
            if cc:
                return cc
    return None


def _owner_country(ent: SpacySpan, ctx: Context) -> str | None:
    """ "Russia's Defense Ministry", "the Kenyan police": the country written just before a name."""
    doc = ent.doc
    i = ent.start - 1
    if i >= 0 and doc[i].lower_ in {"the", "a"}:
        i -= 1
    if i >= 1 and doc[i].text in {"'s", "’s", "'"}:
        i -= 1
    if i < 0 or doc[i].ent_type_ not in {"GPE", "NORP"}:
        return None
    return ctx.gazetteer.country_code(doc[i].text)


def run(draft: Draft, ctx: Context) -> None:
    doc = draft.doc
    if doc is None:
        return
    clusters: list[Cluster] = []
    by_country: dict[str, Cluster] = {}
    gaz = ctx.gazetteer

    def add(cluster: Cluster, start: int, end: int) -> None:
        cluster.mentions.append((start, end))

    def find_person(name: str) -> Cluster | None:
        parts = name.split()
        for c in reversed(clusters):
            if c.kind != EntityKind.PERSON:
                continue
            cparts = c.name.split()
            if (
                name == c.name
                or (len(parts) == 1 and parts[0] in cparts)
                or (len(cparts) == 1 and cparts[0] in parts)
                or (parts and parts[-1] == cparts[-1])
            ):
                return c
        return None

    def find_org(name: str) -> Cluster | None:
        low = name.lower()
        for c in reversed(clusters):
            if c.kind in {EntityKind.PERSON, EntityKind.STATE}:
                continue
            if c.name.lower() == low or low in {a.lower() for a in c.acronyms}:
                return c
            if name.isupper() and is_acronym_of(name, c.name):
                c.acronyms.add(name)
                return c
            if c.name.isupper() and is_acronym_of(c.name, name):
                c.acronyms.add(c.name)
                c.name = name  # prefer the spelled-out name
                return c
            # "the Central Command" after "US Central Command"
            if len(low) > 6 and (c.name.lower().endswith(low) or low.endswith(c.name.lower())):
                if len(name) > len(c.name):
                    c.name = name
                return c
        return None

    def state(cc: str, start: int, end: int) -> None:
        cluster = by_country.get(cc)
        if cluster is None:
            cluster = Cluster(EntityKind.STATE, gaz.country_name(cc), country=cc)
            by_country[cc] = cluster
            clusters.append(cluster)
        add(cluster, start, end)

    # names the places stage resolved as locations are places, not actors ("in Gountourou Malfa")
    located = [(p.start, p.end) for p in draft.places if not p.metonymy and p.feature != "country"]
    for ent in doc.ents:
        label = ent.label_
        text = clean_name(ent.text)
        if not text or not any(ch.isalpha() for ch in text):
            continue
        if label in {"PERSON", "ORG", "FAC", "NORP"} and any(
            s < ent.end_char and ent.start_char < e for s, e in located
        ):
            continue
        start = ent.start_char + ent.text.find(text) if text in ent.text else ent.start_char
        end = start + len(text)
        named_country = gaz.country_code(text) if label in {"PERSON", "ORG"} else None
        if named_country:
            state(named_country, start, end)  # the recogniser's "Burkina Faso" as a person
            continue
        if label == "PERSON" or (
            label == "ORG"
            and _split_title(ent)[1]
            and len(ent) > 2
            and ent[-1].pos_ == "PROPN"
            and not _ARMED_RE.search(ent[-1].text)
        ):
            name, role = _split_title(ent) if label == "ORG" else (text, None)
            name = clean_name(name)
            role = role or _title_before(ent)
            if not name or name.lower() in TITLE_WORDS:
                continue
            found = find_person(name)
            if found is None:
                found = Cluster(EntityKind.PERSON, name, role=role)
                clusters.append(found)
            elif len(name) > len(found.name):
                found.name = name
            if role and not found.role:
                found.role = role
            if found.role and found.country is None:
                found.country = _country_of(found.role, ctx)
            add(found, start, end)
        elif label in {"GPE", "NORP"}:
            # a capital names its government only where it acts ("Moscow denied"), not "in Nairobi"
            acting = not draft.places or any(
                p.metonymy for p in draft.places if p.start < ent.end_char and ent.start_char < p.end
            )
            cc = gaz.country_code(text) or (gaz.capital_country(text) if label == "GPE" and acting else None)
            if cc:
                state(cc, start, end)
            elif label == "NORP":
                found = find_org(text)
                if found is None:
                    found = Cluster(EntityKind.OTHER, text)
                    clusters.append(found)
                add(found, start, end)
        elif label == "ORG":
            # "ISIS" and "Islamic State" are one group; "US Central Command (CENTCOM)" teaches an acronym
            found = find_org(text)
            if found is None:
                found = Cluster(_kind_of_org(text), text, country=_country_of(text, ctx))
                clusters.append(found)
            if found.country is None:
                found.country = _owner_country(ent, ctx)
            add(found, start, end)
            nxt = doc[ent.end : ent.end + 3]
            if len(nxt) == 3 and nxt[0].text == "(" and nxt[2].text == ")" and nxt[1].text.isupper():
                found.acronyms.add(nxt[1].text)

    _known_groups(draft.text, clusters)
    _mark_armed_groups(doc, clusters)
    _string_matches(draft.text, clusters)
    _link_descriptions(draft, clusters)
    names = {c.country: c.name for c in clusters if c.kind == EntityKind.STATE and c.country}
    clusters = link(doc, clusters, names)
    draft.entities = []
    draft.mention_index = {}
    for i, c in enumerate(sorted(clusters, key=lambda c: min(c.mentions)), start=1):
        eid = f"e{i}"
        spans = sorted(set(c.mentions))
        draft.entities.append(
            Entity(
                id=eid,
                name=c.name,
                kind=c.kind,
                country=c.country,
                role=c.role,
                named=c.named,
                mentions=[Span(start=s, end=e, text=draft.text[s:e]) for s, e in spans],
            )
        )
        for s, e in spans:
            draft.mention_index[(s, e)] = eid


def _known_groups(text: str, clusters: list[Cluster]) -> None:
    """Well-known armed groups the recogniser missed ("JNIM militants"): found by name, one entity
    per canonical group."""
    taken = [m for c in clusters for m in c.mentions]
    by_name = {canonical_group(c.name): c for c in clusters if c.kind != EntityKind.PERSON}
    for match in group_pattern().finditer(text):
        s, e = match.span()
        if any(ts < e and s < te for ts, te in taken):
            continue
        canonical = canonical_group(match.group())
        cluster = by_name.get(canonical)
        if cluster is None:
            cluster = Cluster(EntityKind.ARMED_GROUP, match.group())
            clusters.append(cluster)
            by_name[canonical] = cluster
        cluster.mentions.append((s, e))
        taken.append((s, e))


def _string_matches(text: str, clusters: list[Cluster]) -> None:
    """Every other occurrence of a name already recognised is a mention of it too: the recogniser
    misses "Boko Haram" in one sentence and finds it in the next."""
    names: dict[str, Cluster] = {}
    for c in clusters:
        if c.kind in {EntityKind.STATE, EntityKind.OTHER}:
            continue
        forms = {c.name, *c.acronyms}
        if c.kind == EntityKind.PERSON and " " in c.name:
            forms.add(c.name.split()[-1])  # the surname alone
        for form in forms:
            if len(form) >= 3 and form[0].isupper() and form not in names:
                names[form] = c
    if not names:
        return
    taken = sorted(m for c in clusters for m in c.mentions)
    starts = [m[0] for m in taken]
    pattern = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + r")(?![\w-])"
    )
    for match in pattern.finditer(text):
        s, e = match.span()
        i = bisect.bisect_right(starts, e)
        if any(ts < e and s < te for ts, te in taken[max(0, i - 3) : i]):
            continue
        names[match.group()].mentions.append((s, e))


_FIGHTER_NOUNS = frozenset(
    [
        "militant",
        "militants",
        "fighter",
        "fighters",
        "rebel",
        "rebels",
        "jihadist",
        "jihadists",
        "insurgent",
        "insurgents",
        "militia",
        "militiamen",
        "gunmen",
        "combatants",
        "elements",
        "members",
    ]
)


def _mark_armed_groups(doc: Doc, clusters: list[Cluster]) -> None:
    """A name written before "militants" or "fighters" ("JNIM militants") is an armed group;
    so is a known group's name that the recogniser took for a person ("Boko Haram")."""
    for c in clusters:
        if (
            c.kind in {EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.OTHER}
            and not c.role
            and (is_known_group(c.name) or (c.kind == EntityKind.PERSON and _NON_STATE_RE.search(c.name)))
        ):
            c.kind = EntityKind.ARMED_GROUP
            continue
        if c.kind not in {EntityKind.ORGANIZATION, EntityKind.OTHER, EntityKind.PERSON}:
            continue
        for start, end in c.mentions:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None and span.end < len(doc) and doc[span.end].lower_ in _FIGHTER_NOUNS:
                c.kind = EntityKind.ARMED_GROUP
                break


_DESCRIPTION = re.compile(
    r"\b(?:the|this|that)\s+((?:[A-Z][\w.-]*\s+){0,3})(" + "|".join(sorted(ROLE_NOUNS)) + r")\b"
)


def _link_descriptions(draft: Draft, clusters: list[Cluster]) -> None:
    """Attach "the ISIS leader" to the earlier person whose title carries the same role noun."""
    taken = {m for c in clusters for m in c.mentions}
    for match in _DESCRIPTION.finditer(draft.text):
        start, end = match.start(), match.end()
        if any(s < match.end(2) and match.start(2) < e for s, e in taken):
            continue
        noun = match.group(2).lower()
        earlier = [c for c in clusters if c.kind == EntityKind.PERSON and min(c.mentions)[0] < start]
        same_role = [c for c in earlier if c.role and noun in c.role.lower()]
        if same_role:
            target = max(same_role, key=lambda c: max(m[0] for m in c.mentions if m[0] < start))
            target.mentions.append((start, end))
            taken.add((start, end))
    _link_group_descriptions(draft.text, clusters, taken)


_GROUP_DESCRIPTION = re.compile(
    r"\b(?:the|The)\s+(?:(?:militant|armed|rebel|jihadist|extremist|insurgent|islamist|separatist|"
    r"paramilitary|terrorist|Islamist)\s+)?(group|militia|movement|faction|outfit|organi[sz]ation)\b"
)
_BODY_DESCRIPTION = re.compile(r"\b(?:the|The)\s+(ministry|agency|commission|council|committee|command)\b")


def _link_group_descriptions(text: str, clusters: list[Cluster], taken: set[tuple[int, int]]) -> None:
    """ "the militant group" after "Al Shabaab" is Al Shabaab; "the ministry" after "the Gaza health
    ministry" is that ministry: the nearest earlier group or body of that kind, within a few sentences."""
    for pattern, kinds in (
        (_GROUP_DESCRIPTION, {EntityKind.ARMED_GROUP}),
        (_BODY_DESCRIPTION, {EntityKind.ORGANIZATION}),
    ):
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            noun = match.group(1).lower()
            best: tuple[int, Cluster] | None = None
            for c in clusters:
                if c.kind not in kinds or (pattern is _BODY_DESCRIPTION and noun not in c.name.lower()):
                    continue
                before = [m[1] for m in c.mentions if m[1] <= start and start - m[1] < 600]
                if before and (best is None or max(before) > best[0]):
                    best = (max(before), c)
            if best is not None:
                best[1].mentions.append((start, end))
                taken.add((start, end))
