"""Killed and injured counts in one stretch of text, as ranges with their evidence.

News language states tolls in a handful of shapes: "at least 12 people were killed", "killing
three", "left two dead", "the death toll rose to 40", "a man was shot dead", "no civilians were
killed", "dozens were wounded". Vague words become ranges the ACLED way: "dozens" is at least 12,
"hundreds" at least 100, "several" at least 3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitroom.model import Count
from sitroom.numbers import NUMBER_WORDS

_UNITS = {
    **NUMBER_WORDS,
    "no": 0, "none": 0, "zero": 0, "nobody": 0, "a": 1, "an": 1, "single": 1, "hundred": 100,
    "a dozen": 12, "dozen": 12, "both": 2, "couple": 2, "a couple of": 2, "pair": 2,
}  # fmt: skip
#: vague quantities: (min, max); ACLED codes the min ("dozens" 12, "hundreds" 100)
_VAGUE = {
    "dozens": (12, None),
    "tens": (10, None),
    "hundreds": (100, None),
    "scores": (20, None),
    "several": (3, None),
    "many": (2, None),
    "some": (2, None),
    "a few": (2, None),
    "few": (2, None),
    "numerous": (3, None),
    "multiple": (2, None),
    "thousands": (1000, None),
}
_QUALIFIER = (
    r"(?:at least|more than|over|nearly|almost|about|around|some|up to|as many as|roughly|an estimated)"
)
_NUMBER = (
    r"(?:(?:two|three|four|five|six|seven|eight|nine|ten|several|a few) dozen|\d+(?:,\d{3})*(?![\d,]*\d)|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|a dozen|a couple of|a few|"
    + "|".join(sorted((k for k in list(_UNITS) + list(_VAGUE) if " " not in k), key=len, reverse=True))
    + ")"
)
_PEOPLE = (
    r"(?:[\w-]+\s+){0,3}?(?:people|persons|civilians|residents|villagers|soldiers|troops|police(?:men)?|"
    r"officers?|militants?|fighters|rebels|insurgents|gunmen|attackers|assailants|protesters|"
    r"demonstrators|students|children|women|men|man|woman|boys?|girls?|persons?|person|members?|"
    r"workers|farmers|herders|passengers|pupils|worshippers|individuals|bystanders|teens?|"
    r"teenagers?|victims?|suspects?|others?|family members|relatives|miners|traders|"
    r"policemen|personnel|servicemen|guards|[a-z]{3,}s)"
)
_KILLED = (
    r"(?:killed|dead|died|slain|murdered|massacred|executed|lost their lives|lost his life|"
    r"lost her life|shot dead|shot and killed|burned to death|hacked to death|beaten to death|"
    r"stabbed to death|shot to death|perished|were fatally|was fatally)"
)
_INJURED = (
    r"(?:injured|wounded|hurt|hospitali[sz]ed|injuries|injury|shot and wounded|maimed|"
    r"suffering from (?:\w+\s+){0,2}(?:wounds|injuries)|in (?:critical|serious|stable) condition)"
)
_CIVILIAN = re.compile(
    r"\b(civilians?|villagers|residents|children|women|passengers|worshippers|pupils|"
    r"students|farmers|bystanders|traders)\b",
    re.I,
)

#: "six people, including a woman and her granddaughter, were wounded": a part of the group, not more
_ASIDE = r",\s*(?:including|among them)[^,.;]{1,80},"
_COUNT_BEFORE = re.compile(
    rf"\b(?P<q>{_QUALIFIER}\s+)?(?P<n>{_NUMBER})\s+(?P<who>{_PEOPLE}(?:\s+|(?={_ASIDE}))(?:(?:of|from|"
    rf"in)\s+(?:[\w-]+\s+){{1,3}}?)?)?(?:{_ASIDE}\s+)?(?:(?:were|was|"
    rf"have been|has been|had "
    rf"been|had|are|is|got|being|reportedly|reported|confirmed|also|later|allegedly|critically|seriously|badly|"
    rf"slightly|fatally|shot and|shot|left|believed|feared|to have been|to be|found)\s+)*"
    rf"(?P<what>{_KILLED}|"
    rf"{_INJURED})\b",
    re.I,
)
_COUNT_AFTER = re.compile(
    rf"\b(?:killing|killed|kills|shot dead|shooting dead|gunned down|left|leaving|wounding|injuring|injured|"
    rf"wounded|claimed the lives of|"
    rf"claiming the lives of|death toll (?:rose |rises |climbed |stands |stood |reached )?(?:to |at )?)"
    rf"\s*(?P<q>{_QUALIFIER}\s+)?(?P<n>{_NUMBER})\b(?P<rest>\s+(?:{_PEOPLE})?(?:\s+(?P<what>dead|injured|"
    rf"wounded|hurt))?)?",
    re.I,
)
_COORDINATED = re.compile(
    rf"(?:^|,\s*|\band\s+|\bincluding\s+)(?P<q>{_QUALIFIER}\s+)?(?P<n>{_NUMBER})\s+(?P<who>{_PEOPLE})(?=\s*(?:,|and\b|were\b|was\b))",
    re.I,
)
_NAMED = re.compile(
    rf"\b[A-Z][\w'-]+(?:\s+(?:[A-Z][\w'-]+|al-[\w'-]+|bin|ibn|de|van))+\s+(?:was|has been|had been)\s+"
    rf"(?:\w+\s+)?(?P<what>{_KILLED}|{_INJURED})\b"
)
_KILLS_ONE = re.compile(
    r"\b(?:kill(?:s|ed|ing)?|assassinat\w+|shot dead|gunned down|murder(?:s|ed)?|behead\w*)\s+(?:a|an|one|"
    r"the|"
    r"[A-Z][\w-]+(?:'s|’s)?)\s+(?:[\w-]+\s+){0,3}?(?P<who>general|colonel|major|commander|leader|soldier|officer|"
    r"policeman|journalist|chief|official|man|woman|boy|girl|child|teen(?:ager)?|imam|priest|teacher|"
    r"farmer|student|driver|militant|fighter|civilian|trader|lawmaker|mayor|judge)\b",
    re.I,
)
_UNKNOWN_NUMBER = re.compile(r"\s*(?:unknown|undisclosed|unspecified|unconfirmed|undetermined) number", re.I)
_AND_MORE = re.compile(
    rf"[^.;,]{{0,40}}?\band\s+(?P<n>{_NUMBER})\s+(?:of\s+(?:his|her|their)\s+|other\s+)?(?:[\w-]+\s+)?"
    rf"(?:bodyguards?|guards?|companions?|associates?|aides?|sons?|daughters?|relatives?|fighters|soldiers|"
    rf"people|others|civilians|children|wives|brothers?)\b",
    re.I,
)
_AGE = re.compile(r"[- ]?(?:years?|yrs?)[- ]old|[- ]year-old|-month-old", re.I)
_AGE_APPOSITION = re.compile(r",\s+(?:was|is|has|had|died|dies)\b", re.I)
_DEATH_OF = re.compile(
    r"\b(?:(?:shooting|stabbing|fatal|accidental|violent|tragic)\s+)?(?:death|killing|murder|"
    r"slaying) of (?:a|an|the|his|her|their|\d+-year-old|[A-Z])|\bkill(?:s|ed|ing)? "
    r"(?:him|her|them)?sel(?:f|ves)|\b(?:fatally|shot and killed|gunned down)\b"
)
_ORDINAL_DIED = re.compile(
    r"\b(?P<n>second|third|fourth|fifth|sixth)\s+(?:person|victim|man|woman)\s+(?:has\s+)?"
    r"(?:died|dies|killed)\b",
    re.I,
)
_DIED = re.compile(
    r"\b(?:a|an|the|one)\s+(?:[\w-]+\s+){0,3}?(?P<who>man|woman|boy|girl|child|teen(?:ager)?|person|"
    r"officer|soldier|policeman|civilian|victim|resident|driver|student)\b[^.;]{0,60}?\b(?:has died|died|"
    r"dies|was pronounced dead|succumbed)\b",
    re.I,
)
_SHOT = re.compile(
    rf"\b(?:(?P<q>{_QUALIFIER}\s+)?(?P<n>{_NUMBER})\s+(?P<who>{_PEOPLE})\s+(?:were|was|have been|had been|"
    rf"are|got)?\s*"
    rf"shot\b(?!\s+(?:dead|and killed|down|to death))|(?:shot|shoots|shooting)\s+(?:and\s+wounded\s+)?"
    rf"(?:a|an)\s+(?:[\w-]+\s+){{0,3}}?(?P<who2>man|woman|boy|girl|child|teen(?:ager)?|person|officer|student|"
    rf"juvenile|driver)\b)",
    re.I,
)
#: One person, named by what they are: "a man", "a 15-year-old", "an eighth grader", "the toddler".
_ONE = (
    r"(?:man|woman|boy|girl|child|teen(?:ager)?|person|officer|soldier|policeman|civilian|farmer|student|"
    r"driver|resident|victim|leader|commander|general|colonel|major|captain|journalist|chief|official|"
    r"militant|fighter|imam|priest|teacher|suspect|toddler|infant|baby|youth|juvenile|grader|motorist|"
    r"pedestrian|clerk|employee|worker|customer|neighbou?r|son|daughter|father|mother|husband|wife|"
    r"brother|sister|grandfather|grandmother|deputy|sergeant|trooper|inmate|patient|female|male|bystander|"
    r"passenger|\d{1,3}-(?:year|month)-old)"
)
_SINGLE = re.compile(
    rf"\b(?:a|an|one|the)\s+(?:[\w-]+\s+){{0,3}}?(?P<who>{_ONE})\b[^.;]{{0,60}}?\b(?:was|is|has been|"
    rf"had been|got|remained|remains)\s+(?:\w+\s+)?(?P<what>{_KILLED}|{_INJURED})\b",
    re.I,
)
#: A headline's bare subject: "Teen killed in shooting identified", "Eighth grader dead after shooting".
_HEADLINE_ONE = re.compile(
    rf"^\s*(?:[\w,.:-]+\s+){{0,4}}?(?P<who>{_ONE})(?:\s+who\s+[^.,;]{{0,50}}?)?\s+(?:(?:is|was)\s+)?"
    rf"(?P<what>killed|dead|dies|died|shot dead|shot,?\s+killed|shot and killed|slain|fatally shot|injured|"
    rf"wounded|hurt)\b",
    re.I,
)
#: "he was found dead", "she died at the hospital": one person, by a pronoun.
_PRONOUN_ONE = re.compile(
    r"\b(?:[Hh]e|[Ss]he)\s+(?:was\s+(?:later\s+)?(?:found\s+|pronounced\s+)?(?P<what>dead|killed|"
    r"fatally\s+(?:shot|wounded|injured)|shot dead)|(?:later\s+)?(?P<what2>died))\b"
)
_LIFE_OF = re.compile(
    r"\b(?:claim(?:ed|ing|s)?|took|taken|taking)\s+the\s+life\s+of\b|\bfatal\s+(?:shooting|stabbing|"
    r"beating|attack)\s+of\s+(?:a|an|the|his|her|their|\d+-year-old|[A-Z])",
    re.I,
)
#: "a double homicide", "the triple murder": the count is in the word.
_MULTIPLE = re.compile(
    r"\b(?P<n>double|triple|quadruple|quintuple)\s+(?:homicides?|murders?|killings?|slayings?|fatal\s+shootings?)\b",
    re.I,
)
_MULTIPLES = {"double": 2, "triple": 3, "quadruple": 4, "quintuple": 5}
_KILLED_NAMED = re.compile(
    r"\b(?:killed|killing|murdered|shot and killed|fatally shot)\s+(?!(?:Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b)(?:\d+-year-old\s+)?[A-Z][a-z'’-]+\s+(?:[A-Z]\.\s+)?[A-Z][a-z'’-]+"
)
#: One person shot, written without a number: "a 16-year-old boy was shot", "a teen was found shot",
#: "accidentally shot himself", "shot his younger sister".
_SHOT_ONE = re.compile(
    rf"\b(?:(?:(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?{_ONE}|[Hh]e|[Ss]he)\s+(?:who\s+)?(?:was|is|got|had been|"
    rf"has been)\s+"
    rf"(?:(?:found|accidentally|reportedly|allegedly|critically|seriously|also)\s+)*shot\b"
    rf"(?!\s+(?:dead|and killed|to death|at\b|by\s+police\s+and\s+killed))"
    rf"|(?<!fatally\s)\b(?:shot|shoots|shooting)\s+(?:him|her|them)sel(?:f|ves)\b"
    rf"|(?<!fatally\s)\b(?:shot|shoots)\s+(?:his|her|their|the)\s+(?:[\w-]+\s+){{0,2}}?(?:friend|{_ONE})\b)",
    re.I,
)


#: a headline's bare figure: "4 shot near Bessemer, one dead"
_NUMBER_SHOT = re.compile(
    r"^\s*(?P<n>\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+shot\b"
    r"(?!\s+(?:dead|and killed|to death|down))",
    re.I,
)
#: "one of them died": a death among a group already counted
_OF_THEM = re.compile(
    r"\b(?P<n>one|two|three|four|five|both)\s+of\s+(?:them|the\s+(?:\w+\s+)?(?:victims|men|women|people|"
    r"teens|teenagers|children|boys|girls))\s+(?:(?:has|have|had|later|also|since|reportedly)\s+)*"
    r"(?P<what>died|dies|was killed|were killed|succumbed|is dead|are dead|was pronounced dead)\b",
    re.I,
)
#: a headline's two victims: "Man, woman killed in Miami shooting", "Mother and son shot"
_HEADLINE_PAIR = re.compile(
    rf"^\s*(?:[\w.:-]+\s+){{0,3}}?(?P<a>{_ONE})(?:,|\s+and)\s+(?:(?:a|an|his|her)\s+)?(?P<b>{_ONE})\s+"
    rf"(?:(?:are|were)\s+)?(?P<what>killed|dead|shot dead|slain|fatally shot|injured|wounded|hurt|shot)\b"
    rf"(?!\s+(?:and killed|to death))",
    re.I,
)

_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}


_QUOTES = {ord(c): " " for c in '"“”«»'}


@dataclass(frozen=True)
class Toll:
    killed: Count | None = None
    injured: Count | None = None
    civilians_killed: Count | None = None
    civilians_injured: Count | None = None
    spans: tuple[tuple[int, int], ...] = ()
    #: counts stated only with vague words ("dozens killed"): a precise figure elsewhere wins
    vague: frozenset[str] = frozenset()
    #: the injured are only those "shot" (no word of wounds): a death told elsewhere is one of them
    shot: Count | None = None


def number(word: str) -> Count | None:
    """The count a number word or figure stands for.

    >>> number("dozens")
    Count(min=12, max=None)
    >>> number("twenty-one")
    Count(min=21, max=21)
    """
    w = word.lower().strip()
    if w.endswith(" dozen") and w != "a dozen":
        base = number(w[: -len(" dozen")])
        return Count(min=base.min * 12, max=None if base.max is None else base.max * 12) if base else None
    if w.replace(",", "").isdigit():
        n = int(w.replace(",", ""))
        return Count(min=n, max=n)
    if w in _VAGUE:
        lo, hi = _VAGUE[w]
        return Count(min=lo, max=hi)
    if w in _UNITS:
        return Count(min=_UNITS[w], max=_UNITS[w])
    if w.startswith("no ") or w in {"no one", "nobody"}:
        return Count(min=0, max=0)
    parts = re.split(r"[- ]", w)
    if len(parts) == 2 and parts[0] in _UNITS and parts[1] in _UNITS:
        n = _UNITS[parts[0]] + _UNITS[parts[1]]
        return Count(min=n, max=n)
    return None


def _qualified(count: Count, qualifier: str | None) -> Count:
    q = (qualifier or "").lower().strip()
    if q in {"at least", "more than", "over", "as many as"}:
        return Count(min=count.min + (1 if q in {"more than", "over"} else 0), max=None)
    if q in {"nearly", "almost", "up to"}:
        return Count(min=0 if q == "up to" else count.min - max(1, count.min // 10), max=count.min)
    return count


def _larger(a: Count | None, b: Count) -> Count:
    if a is None:
        return b
    return max(a, b, key=lambda c: (c.min, c.max if c.max is not None else c.min))


def _add(a: Count | None, b: Count) -> Count:
    if a is None:
        return b
    hi = None if a.max is None or b.max is None else a.max + b.max
    return Count(min=a.min + b.min, max=hi)


def tolls(text: str, offset: int = 0) -> Toll:
    """Killed and injured counts stated in ``text`` (one sentence or clause).

    >>> t = tolls("At least 12 people were killed and dozens wounded in the shelling.")
    >>> t.killed, t.injured
    (Count(min=12, max=None), Count(min=12, max=None))
    >>> tolls("No civilians were killed in the operation.").civilians_killed
    Count(min=0, max=0)
    """
    # quotation marks around a figure ("killing "dozens" of fighters") do not change it
    text = text.translate(_QUOTES)
    killed: Count | None = None
    injured: Count | None = None
    civ_k: Count | None = None
    civ_i: Count | None = None
    shot: Count | None = None
    vague_kinds: set[str] = set()
    precise_kinds: set[str] = set()
    spans: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []

    def record(m: re.Match[str], n: str, q: str | None, who: str, what: str, force: bool = False) -> None:
        nonlocal killed, injured, civ_k, civ_i
        if not force and any(s < m.end() and m.start() < e for s, e in taken):
            return
        after = (
            text[m.start("n") + len(n) : m.start("n") + len(n) + 12]
            if "n" in m.groupdict() and m.start("n") >= 0
            else ""
        )
        if _AGE.match(after) or _AGE_APPOSITION.match(after):
            n = "one"  # "killing 14-year-old Destiny": an age names one person, not a count
        if re.fullmatch(r"(?:19|20)\d\d", n):
            return  # a year: "fighting in 2019 killed 300"
        if _UNKNOWN_NUMBER.match(who) or (
            not force
            and _UNKNOWN_NUMBER.match(
                text[m.end("n") : m.end("n") + 25] if "n" in m.groupdict() and m.start("n") >= 0 else ""
            )
        ):
            return  # "an unknown number of rebels": no count at all
        n_at = m.start("n") if "n" in m.groupdict() and m.start("n") >= 0 else m.start()
        if n.lower() in {"one", "a"} and text[max(0, n_at - 3) : n_at].lower() == "no ":
            n = "no"  # "no one was hurt"
        count = number(n)
        if count is None:
            return
        count = _qualified(count, q)
        is_killed = re.match(_KILLED, what, re.I) is not None or what.lower() == "dead"
        kind = "killed" if is_killed else "injured"
        (vague_kinds if n.lower() in _VAGUE or n.lower().endswith("dozen") else precise_kinds).add(kind)
        civ = bool(_CIVILIAN.search(who))
        # coordinated groups add up; separate statements of one toll (headline, lede) do not
        join = _add if force else _larger
        if what.lower() == "shot":
            nonlocal shot
            shot = join(shot, count)
        elif is_killed:
            # "no civilians were killed" bounds the civilians, not the toll
            if not (civ and count.max == 0):
                killed = join(killed, count)
            if civ:
                civ_k = join(civ_k, count)
        else:
            if not (civ and count.max == 0):
                injured = join(injured, count)
            if civ:
                civ_i = join(civ_i, count)
        taken.append((m.start(), m.end()))
        spans.append((offset + m.start(), offset + m.end()))

    for m in _COUNT_BEFORE.finditer(text):
        # "two soldiers and three civilians were killed": each coordinated group counts
        lookback = text[max(0, m.start() - 80) : m.start()]
        cut = max((v.end() for v in re.finditer(rf"{_KILLED}|{_INJURED}", lookback, re.I)), default=0)
        parts = _COORDINATED.findall(re.sub(_ASIDE, ",", lookback[cut:] + m.group(0)))
        if len(parts) > 1 and m.group("who") is None:
            parts = []
        if len(parts) > 1:
            for q, n, who in parts:
                sub = _COUNT_BEFORE.match(f"{q}{n} {who} were {m.group('what')}")
                if sub:
                    record(m, n, q or None, who, m.group("what"), force=True)
            continue
        record(m, m.group("n"), m.group("q"), m.group("who") or "", m.group("what"))
    for m in _COUNT_AFTER.finditer(text):
        head = m.group(0).split()[0].lower()
        what = m.group("what") or (
            "injured" if head in {"wounding", "injuring", "injured", "wounded"} else "killed"
        )
        if head in {"left", "leaving"} and not m.group("what"):
            continue
        record(m, m.group("n"), m.group("q"), m.group("rest") or "", what)
    for m in _SINGLE.finditer(text):
        record(m, "one", None, m.group("who"), m.group("what"))
    for m in _NAMED.finditer(text):
        record(m, "one", None, "", m.group("what"))
    for m in _ORDINAL_DIED.finditer(text):
        if killed is None:
            killed = Count(min=_ORDINALS[m.group("n").lower()], max=_ORDINALS[m.group("n").lower()])
            spans.append((offset + m.start(), offset + m.end()))
            taken.append((m.start(), m.end()))
    for m in _KILLS_ONE.finditer(text):
        record(m, "one", None, m.group("who"), "killed")
        more = _AND_MORE.match(text, m.end())
        if (
            more is not None
            and killed is not None
            and not any(a < more.end() and more.start("n") < b for a, b in taken)
        ):
            # "killed a senior commander and three other fighters": the named one and the others
            extra = number(more.group("n"))
            if extra is not None:
                killed = _add(killed, extra)
                taken.append((more.start("n"), more.end()))
                spans.append((offset + more.start("n"), offset + more.end()))
    for m in _DIED.finditer(text):
        record(m, "one", None, m.group("who"), "died")
    for m in _HEADLINE_PAIR.finditer(text):
        what = "killed" if m.group("what").lower() == "fatally shot" else m.group("what")
        record(m, "two", None, m.group("b"), what)
    for m in _HEADLINE_ONE.finditer(text):
        what = m.group("what").lower()
        if what == "dies" or "killed" in what or what == "fatally shot":
            what = "died"
        record(m, "one", None, m.group("who"), what)
    for m in _OF_THEM.finditer(text):
        record(m, m.group("n"), None, "", "killed")
    for m in _PRONOUN_ONE.finditer(text):
        record(m, "one", None, "", m.group("what") or m.group("what2"))
    if killed is None and (m4 := _MULTIPLE.search(text)) is not None:
        n4 = _MULTIPLES[m4.group("n").lower()]
        killed = Count(min=n4, max=n4)
        spans.append((offset + m4.start(), offset + m4.end()))
        taken.append((m4.start(), m4.end()))
    if killed is None:
        for pattern in (_LIFE_OF, _KILLED_NAMED):
            m3 = pattern.search(text)
            if m3 is not None and not any(a < m3.end() and m3.start() < b for a, b in taken):
                killed = Count(min=1, max=1)
                spans.append((offset + m3.start(), offset + m3.end()))
                break
    if killed is None and _DEATH_OF.search(text):
        m2 = _DEATH_OF.search(text)
        assert m2 is not None
        killed = Count(min=1, max=1)
        spans.append((offset + m2.start(), offset + m2.end()))
    for m in _SHOT.finditer(text):
        # "two children and a woman were shot": each coordinated group counts
        parts = _COORDINATED.findall(re.sub(_ASIDE, ",", m.group(0))) if m.group("n") else []
        if len(parts) > 1:
            for q, n, who in parts:
                record(m, n, q or None, who, "shot", force=True)
            continue
        record(m, m.group("n") or "one", m.group("q"), m.group("who") or "", "shot")
    for m in _NUMBER_SHOT.finditer(text):
        record(m, m.group("n"), None, "", "shot")
    if shot is None:
        for m in _SHOT_ONE.finditer(text):
            record(m, "one", None, "", "shot")
            break
    only_shot = None
    if shot is not None and injured is None:
        # "four people were shot ... one was killed": the shot who did not die were wounded
        dead = killed.min if killed else 0
        if shot.min > dead:
            injured = Count(min=shot.min - dead, max=None if shot.max is None else shot.max - dead)
            only_shot = shot if killed is None else None
    return Toll(
        killed, injured, civ_k, civ_i, tuple(spans), frozenset(vague_kinds - precise_kinds), shot=only_shot
    )
