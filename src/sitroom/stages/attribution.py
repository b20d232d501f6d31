"""Stage: attribution -- who says what, and according to whom.

Reads draft.doc (dependency parse), draft.text and, when present, draft.entities/mention_index;
sets draft.attributions (ids "a1", "a2", ... in text order).

Three kinds of evidence are turned into attributions:

- reported speech: a speech or cognition verb ("said", "denied", "believes") with a complement clause;
  the source is the verb's subject, the content the clause;
- nominal cues: "according to X, ...", "..., as per X";
- direct quotes (straight, curly double and curly single quotes) attached to the speech verb that
  governs them, or the nearest one in their sentence.

A media outlet named by "according to"/"as per"/"told" in a sentence that already has a speaker is a
relay: it goes into ``via`` of that sentence's attributions and is not a source of its own.
Pronoun sources ("It said ...") are resolved to the entity of the most recent earlier attribution of
a compatible kind.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sitroom.model import Attribution, EntityKind, SourceRef, Span, Stance
from sitroom.stages import coref, cue_model, entities
from sitroom.stages.events.lexicon import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from sitroom.context import Context
    from sitroom.draft import Draft
    from sitroom.model import Entity


def _words(s: str) -> list[str]:
    return s.split()


#: Cue verb lemma -> the stance it expresses. Ordinary reporting verbs assert; verbs by which a report
#: keeps its distance (claim, purport) only claim.
CUE_STANCE: dict[str, Stance] = {
    **dict.fromkeys(
        _words("""
        say state add tell announce report emphasise emphasize stress note explain declare write
        insist warn reply respond remark comment testify reveal disclose predict promise vow pledge
        urge tweet post publish inform caution reiterate repeat recount describe affirm assert
        argue suggest indicate show find signal learn hint mention observe recall
        concede agree complain cite quote brief order demand ask boast assure remind joke shout chant
        brag plead imply remember recognize recognise"""),
        Stance.ASSERTS,
    ),
    **dict.fromkeys(_words("claim purport contend maintain"), Stance.CLAIMS),
    **dict.fromkeys(_words("allege accuse blame"), Stance.ALLEGES),
    **dict.fromkeys(_words("deny reject dismiss refute rebut dispute"), Stance.DENIES),
    **dict.fromkeys(_words("confirm verify admit acknowledge"), Stance.CONFIRMS),
    **dict.fromkeys(
        _words("""assess believe estimate think expect suspect fear conclude judge feel
        doubt guess hope reckon calculate project forecast know realize realise consider deem
        speculate wonder worry"""),
        Stance.ASSESSES,
    ),
}

#: Verbs that take a stand on a thing named by their object ("cited the risks", "called for a ban",
#: "wants to leave"): PolNeAR-style attribution of positions, not only of statements.
OBJECT_CUES: dict[str, Stance] = {
    # "attack" and "blast" are left out: in conflict news they are violence, not criticism
    **dict.fromkeys(
        _words("""call cite support criticize criticise question mention condemn praise
        propose oppose endorse describe discuss want plan slam defend back favor favour
        recommend refuse decline agree announce report highlight express echo blast prefer
        denounce mock tout hail welcome applaud laud decry deplore lament rebuke chide fault
        portray embrace invoke outline seek"""),
        Stance.ASSERTS,
    ),
    **dict.fromkeys(_words("deny reject dismiss dispute"), Stance.DENIES),
    **dict.fromkeys(_words("confirm acknowledge admit"), Stance.CONFIRMS),
    **dict.fromkeys(_words("allege accuse blame"), Stance.ALLEGES),
}

#: Nouns of a casualty figure that a party puts at a number.
TOLL_NOUNS = frozenset(_words("toll figure number count tally"))

#: Nouns of a statement: "said in a statement that ...", "wrote in a post that ...".
STATEMENT_NOUNS = frozenset(
    _words(
        "statement post message interview briefing release communique communiqué tweet video letter report"
    )
)

#: Phrasal cues whose content is the object of a particle or preposition ("called for a ban").
PHRASAL_CUES: dict[str, frozenset[str]] = {
    "call": frozenset({"for", "on"}),
    "point": frozenset({"to"}),
    "speak": frozenset({"of", "about"}),
    "ask": frozenset({"about"}),
    "argue": frozenset({"for", "against"}),
    "push": frozenset({"for"}),
    "count": frozenset({"on"}),
    "yearn": frozenset({"for"}),
    "believe": frozenset({"in"}),
    "caution": frozenset({"against"}),
    "hope": frozenset({"for"}),
    "rail": frozenset({"against"}),
    "advocate": frozenset({"for"}),
    "vote": frozenset({"for", "against"}),
    "refer": frozenset({"to"}),
    "worry": frozenset({"about"}),
}

#: Verbs whose reported content is an infinitive ("urged Moscow to cease ...").
XCOMP_CUES = frozenset(
    _words("""urge ask demand warn promise vow pledge threaten call order tell advise
    want plan refuse decline agree deny admit acknowledge confirm reject claim purport seek""")
)

#: Verbs whose content may come as a prepositional phrase ("accused Russia of shelling ...").
PREP_CUES: dict[str, frozenset[str]] = {
    "accuse": frozenset({"of"}),
    "blame": frozenset({"for", "on"}),
    "warn": frozenset({"of", "about", "against"}),
    "complain": frozenset({"about", "of"}),
}

#: A speech verb that is part of the gerund "assessing reports": the nominal object carries content.
NOMINAL_CONTENT_CUES = frozenset({"assess"})

PRONOUNS: dict[str, frozenset[str] | None] = {
    "it": frozenset({EntityKind.ORGANIZATION, EntityKind.STATE, EntityKind.MEDIA, EntityKind.ARMED_GROUP}),
    "he": frozenset({EntityKind.PERSON}),
    "she": frozenset({EntityKind.PERSON}),
    "him": frozenset({EntityKind.PERSON}),
    "her": frozenset({EntityKind.PERSON}),
    "they": None,
    "them": None,
}

#: Words that make a noun phrase a news outlet ("state media", "the agency", "Kyiv Post").
MEDIA_WORDS = frozenset(
    _words("""
media newspaper paper agency broadcaster outlet channel daily weekly magazine television tv radio
news times post press journal herald tribune gazette telegraph guardian network broadcasting
reuters afp ap bbc cnn xinhua tass interfax ria anadolu bloomberg jazeera aljazeera wire yonhap
kyodo irna sana dpa efe ansa nhk fox msnbc nbc abc cbs npr politico axios
""")
)
_MEDIA_PHRASE = re.compile(r"\b(associated press|al[- ]jazeera|al arabiya|state[- ]run|news agency)\b", re.I)

# A quotation: curly double, straight double, or curly single quotes whose closing mark is not an
# apostrophe ("Friday’s"). Quotes stay within one paragraph: news style reopens a quote per paragraph.
_QUOTE_RE = re.compile(
    r"“(?P<a>[^“”\n]+)”"
    r"|“(?P<f>[^“”\n]+?[,.!?])“(?=\s)"  # a closing mark typed as an opening one: “...,“ he said
    r"|\"(?P<b>[^\"\n]+)\""
    r"|''(?P<e>[^\"\n]+?)''"
    r"|(?<![\w])‘(?P<c>[^‘\n]+?)’(?!\w)"
    r"|(?<![\w'])'(?P<d>[A-Z][^'\n]+?[\w.!?,])'(?!\w)"
)

_SCARE = re.compile(r"so[- ]called\s*$", re.I)

_TRIM = " \t\n\r,.;:—–-\"'“”‘’()"


@dataclass
class _Cand:
    """One attribution before ids, entities and relays are settled."""

    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    content: tuple[int, int]
    stance: Stance
    sent_start: int
    quote: bool = False
    outlet: bool = False
    cue_token: int = -1
    via: list[str] = field(default_factory=list)
    quoted: list[tuple[int, int]] = field(default_factory=list)  # quoted stretches of the content
    learned: bool = False  # the learned cue model found the cue


def run(draft: Draft, ctx: Context) -> None:
    """Fill ``draft.attributions`` from ``draft.doc``.

    Example: for '"We will win," the minister said.' the one attribution has quote=True, source
    "the minister", cue "said" and content "We will win" (tests/test_attribution.py has more).
    """
    doc = draft.doc
    if doc is None:
        draft.attributions = []
        return
    cands, by_cue = _reported(doc)
    cands = _split_conjoined(doc, cands)
    _told_outlets(doc, cands)
    cands = _quoted(doc, draft.text, by_cue, cands)
    cands += _headline(draft.text, doc)
    cands += _colon_lines(draft.text, doc, by_cue)
    cands = _relays(cands, draft.text)
    cands.sort(key=lambda c: (c.content[0], c.cue[0] if c.cue else -1))
    draft.attributions = _finish(draft, cands)


_HEADLINE = re.compile(
    r"\A[ \t]*(?P<content>[^\n:]{12,200}?)\s*[:—–-]\s*(?P<source>[A-Za-z][\w .,'’-]{1,48}?)[ \t]*$", re.M
)
#: the last word of a headline's source: "Eight Volunteers Die in Burkina Attack: Security Source"
_HEADLINE_SOURCES = frozenset(
    _words("""source sources official officials police army military ministry witnesses witness residents
    medics doctors report reports monitor monitors group spokesman spokeswoman governor mayor un
    agency agencies media""")
)


def _headline(text: str, doc: Doc) -> list[_Cand]:
    """A headline that ends with its source ("Eight Volunteers Die in Burkina Attack: Security
    Source", "12 killed in Kabala - police"): an attribution of the headline's claim."""
    first = text.split("\n", 1)[0]
    if not first.strip() or first.rstrip().endswith((".", "!", "?", '"', "”")):
        return []
    m = _HEADLINE.match(first)
    if m is None or m.group("source").split()[-1].lower().rstrip(".,") not in _HEADLINE_SOURCES:
        return []
    cs, ce = m.span("content")
    ss, se = m.span("source")
    gap = text[m.end("content") : m.start("source")]
    at = m.end("content") + len(gap) - len(gap.lstrip())
    return [
        _Cand(
            cue=(at, at + 1),
            source=(ss, se),
            content=(cs, ce),
            stance=Stance.ASSERTS,
            sent_start=0,
        )
    ]


_COLON_LINE = re.compile(r"(?m)^(?P<label>[^\n:“”\"]{1,60}?)[ \t]*:[ \t]+(?P<rest>[^\n]*\S)")
_QUOTE_OPENERS = "\"“‘'«"


def _colon_lines(text: str, doc: Doc, by_cue: dict[int, _Cand]) -> list[_Cand]:
    """A line that a speaker opens with a colon and no quote marks: a transcript ("PENCE: We will
    ...", "Rush Limbaugh: ...") or a report whose words follow ("Scott added: the plan is dead").
    The rest of the line is the content; quoted lines are the quotes' business."""
    out: list[_Cand] = []
    for m in _COLON_LINE.finditer(text):
        rest = m.group("rest")
        if rest[0] in _QUOTE_OPENERS or len(rest.split()) < 3:
            continue
        label = doc.char_span(m.start("label"), m.end("label"), alignment_mode="expand")
        if label is None or not 1 <= len(label) <= 6:
            continue
        content = (m.start("rest"), m.end("rest"))
        colon = text.index(":", m.end("label"))
        last = label[-1]
        if last.i in by_cue and _is_cue_verb(last):
            if by_cue[last.i].content[1] > by_cue[last.i].content[0]:
                continue  # the verb already has its clause
            cand = by_cue[last.i]
            out.append(replace(cand, content=content))
            continue
        named = label.text.isupper() and any(c.isalpha() for c in label.text)
        person = any(t.ent_type_ == "PERSON" for t in label) and all(
            t.pos_ == "PROPN" or t.ent_type_ == "PERSON" for t in label
        )
        if named or person:
            out.append(
                _Cand(
                    cue=(colon, colon + 1),
                    source=(label.start_char, label.end_char),
                    content=content,
                    stance=Stance.ASSERTS,
                    sent_start=label.sent.start_char,
                )
            )
    return out


def _told_outlets(doc: Doc, cands: list[_Cand]) -> None:
    """ "X told Reuters ...", "..., Reuters reported": the outlet relays X's words (``via``); a
    report verb whose subject is an outlet is a relay like "according to Reuters"."""
    text = _doc_text(doc)
    for c in cands:
        if c.cue_token < 0:
            continue
        verb = doc[c.cue_token]
        lemma = verb.lemma_.lower()
        if lemma == "tell":
            for child in verb.children:
                if child.dep_ in {"dobj", "dative", "iobj"}:
                    lo, hi = child.left_edge.i, child.right_edge.i
                    name = text[doc[lo].idx : doc[hi].idx + len(doc[hi])]
                    if _is_outlet(name):
                        clean = re.sub(r"^(the|a|an)\s+", "", name, flags=re.I)
                        if clean not in c.via:
                            c.via.append(clean)
        elif (
            lemma in {"report", "quote"}
            and c.source
            and not c.quote
            and _is_outlet(text[c.source[0] : c.source[1]])
        ):
            c.outlet = True


def _split_conjoined(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """ "said its forces had struck X and denied targeting civilians": the parser hangs the second
    report inside the first one's content; the first content ends where the second report begins."""
    by_sentence: dict[int, list[_Cand]] = {}
    for c in cands:
        by_sentence.setdefault(c.sent_start, []).append(c)
    for group in by_sentence.values():
        for outer in group:
            for inner in group:
                if inner is outer or inner.cue is None or inner.cue_token < 0:
                    continue
                if not (outer.content[0] < inner.cue[0] < outer.content[1]):
                    continue
                verb = doc[inner.cue_token]
                if verb.dep_ != "conj" or inner.source != outer.source:
                    continue
                cut = verb.i
                while cut - 1 > 0 and doc[cut - 1].dep_ in {"cc", "punct", "aux", "advmod"}:
                    cut -= 1
                end = doc[cut - 1].idx + len(doc[cut - 1])
                if end > outer.content[0]:
                    outer.content = (outer.content[0], end)
    return cands


# --------------------------------------------------------------------------- spans


def _char_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` without surrounding blanks and punctuation; None when nothing is left."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return (start, end) if end > start else None


def _tokens_chars(doc: Doc, first: int, last: int) -> tuple[int, int]:
    return doc[first].idx, doc[last].idx + len(doc[last])


def _noun_phrase(tok: Token) -> tuple[int, int]:
    """Token range of the noun phrase headed by ``tok``: its left edge to the right modifiers that
    name it ("a spokesman for the ministry"), without relative clauses or parenthetical appositions."""
    left = tok.left_edge.i
    right = tok.i
    for child in tok.rights:
        if child.dep_ in {"compound", "flat", "prep", "nummod", "amod", "appos", "nmod", "pobj"} and not any(
            t.is_punct for t in tok.doc[right + 1 : child.i]
        ):
            right = child.right_edge.i
        else:
            break
    while right > left and tok.doc[right].is_punct:
        right -= 1
    while left < right and (tok.doc[left].is_punct or tok.doc[left].dep_ == "cc"):
        left += 1
    return left, right


#: Verbs whose subject is also the subject of their infinitive: "continued to deny".
CONTROL_VERBS = frozenset(
    _words("continue go begin start try seem appear refuse decline move decide hasten rush vow promise")
)


def _subject(verb: Token) -> tuple[Token | None, bool]:
    """The speaker of ``verb`` and whether the verb is passive (whose subject is no speaker)."""
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
    cur: Token | None = verb
    while cur is not None:
        if passive:
            for c in cur.children:
                if c.dep_ == "agent":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            return p, True
            return None, True
        for c in cur.children:
            if c.dep_ == "nsubj":
                return c, False  # a relative pronoun ("who said") is resolved in _finish
        # conjoined verbs share their subject: "X has stated ... and has urged ..."
        if cur.dep_ == "conj" and cur.head.pos_ in {"VERB", "AUX"}:
            cur = cur.head
            if not _is_cue_verb(cur):
                # a speech verb coordinated with a reported event verb is usually attached inside
                # the report by the parser ("stated that jets dropped flares ... and has urged"):
                # the speaker is the one of the report
                cue_above = next((a for a in cur.ancestors if _is_cue_verb(a)), None)
                cur = cue_above or cur
            passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in cur.children)
            continue
        if cur.dep_ == "relcl" and cur.head.pos_ in {"NOUN", "PROPN"}:
            return cur.head, False
        if cur.dep_ == "xcomp" and cur.head.lemma_.lower() in CONTROL_VERBS:
            # "continued to deny", "went on to criticise": the speaker is the controlling verb's subject
            cur = cur.head
            passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in cur.children)
            continue
        if (
            cur.dep_ == "pcomp"
            and cur.tag_ == "VBG"
            and cur.head.dep_ == "prep"
            and cur.head.head.pos_ in {"VERB", "AUX"}
        ):
            # "distanced himself by saying ...": the speaker of the verb the phrase hangs on
            cur = cur.head.head
            passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in cur.children)
            continue
        if cur.dep_ == "acl" and cur.tag_ == "VBG" and cur.head.pos_ in {"NOUN", "PROPN"}:
            return cur.head, False  # "Clinton, saying ...": the noun the participle hangs on
        if cur.dep_ in {"advcl", "xcomp"} and cur.tag_ == "VBG" and cur.head.pos_ in {"VERB", "AUX"}:
            # "MPs called for ..., saying that ...": the participle's speaker is the clause's subject
            cur = cur.head
            passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in cur.children)
            continue
        cur = None
    return None, passive


def _is_cue_verb(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    known = (
        lemma in CUE_STANCE
        or lemma in OBJECT_CUES
        or lemma in PHRASAL_CUES
        or (
            lemma in {"put", "place", "give", "raise", "revise"}
            and any(c.dep_ == "dobj" and c.lemma_.lower() in TOLL_NOUNS for c in tok.children)
        )
    )
    return known and tok.pos_ in {"VERB", "AUX"} and tok.dep_ != "amod"


def _stance(verb: Token) -> Stance:
    lemma = verb.lemma_.lower()
    stance = CUE_STANCE.get(lemma) or OBJECT_CUES.get(lemma, Stance.ASSERTS)
    if any(c.dep_ == "neg" for c in verb.children):
        # "did not deny" is a weak assertion; "did not confirm/say" leaves the content merely claimed
        return Stance.ASSERTS if stance == Stance.DENIES else Stance.CLAIMS
    return stance


#: Words that call another party's account untrue: "called the reports fabricated".
FALSITY = frozenset(
    _words("""false fabricated baseless untrue unfounded fake lie lies propaganda nonsense groundless
    fabrication fabrications disinformation misinformation fiction slander absurd ridiculous""")
)
#: Nouns of another party's account: "said the claims were false".
ACCOUNT_NOUNS = frozenset(
    _words("claim claims report reports allegation allegations accusation accusations rumour rumor")
)
_HOLD = frozenset(_words("hold control remain retain keep"))


def _denies_by_meaning(verb: Token, content: SpacySpan) -> bool:
    """A statement that contradicts another party's account is a denial, whatever its cue verb:
    "called the reports fabricated", "said the claims were baseless", "said its troops still hold
    the town"."""
    words = {t.lower_ for t in content}
    if verb.lemma_.lower() in {"call", "describe", "brand", "label", "term"} and words & FALSITY:
        return True
    for tok in content:
        if tok.lower_ in FALSITY:
            if tok.dep_ == "amod" and tok.head.lemma_.lower() in ACCOUNT_NOUNS:
                return True  # "said they were false reports"
            subj = next((c for c in tok.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            accounts = ACCOUNT_NOUNS | {"this", "that", "it"}
            if tok.dep_ in {"acomp", "attr", "oprd"} and subj is not None and subj.lemma_.lower() in accounts:
                return True
        if tok.lower_ == "still" and tok.head.lemma_.lower() in _HOLD:
            return True  # "still hold the town": against the other side's claim of taking it
        if tok.lemma_.lower() == "control" and tok.head.lower_ == "in" and "still" in words:
            return True  # "remain still in control", "are still in control of"
    return False


def _content_of_verb(verb: Token, sent: SpacySpan) -> tuple[int, int] | None:
    """Token range of what ``verb`` reports, or None when it reports nothing in this sentence."""
    lemma = verb.lemma_.lower()
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    if not comps and lemma in XCOMP_CUES:
        comps = [c for c in verb.children if c.dep_ == "xcomp"]
    if not comps and lemma in PREP_CUES:
        comps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in PREP_CUES[lemma]]
    if not comps and lemma in PHRASAL_CUES:
        comps = [
            g
            for c in verb.children
            if c.dep_ in {"prep", "prt"} and c.lower_ in PHRASAL_CUES[lemma]
            for g in c.children
            if g.dep_ in {"pobj", "pcomp"}
        ]
    if not comps:
        # "said in a statement that ...": the parser hangs the clause on the statement
        comps = [
            g
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ in {"in", "on", "via", "through"}
            for n in c.children
            if n.dep_ == "pobj" and n.lemma_.lower() in STATEMENT_NOUNS
            for g in n.children
            if g.dep_ in {"acl", "ccomp", "relcl"} and any(m.lower_ == "that" for m in g.children)
        ]
    if not comps and lemma in OBJECT_CUES:
        comps = [c for c in verb.children if c.dep_ in {"dobj", "oprd"}]
    if not comps:
        # "claimed responsibility for the bombing", "denied responsibility for the attack"
        comps = [
            c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in {"responsibility", "credit"}
        ]
    if not comps and lemma in {"put", "place", "give", "raise", "revise"}:
        # "put the death toll at 17", "giving a provisional death toll of 21": a party's figure
        comps = [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in TOLL_NOUNS]
        comps += [c for c in verb.children if comps and c.dep_ == "prep" and c.lower_ in {"at", "to"}]
    if not comps and lemma in NOMINAL_CONTENT_CUES and verb.tag_ == "VBG":
        comps = [c for c in verb.children if c.dep_ == "dobj"]
    if comps:
        return min(c.left_edge.i for c in comps), max(c.right_edge.i for c in comps)
    if verb.dep_ == "parataxis":
        # "The attack, he said, was ...": the rest of the sentence is reported
        lo, hi = verb.left_edge.i, verb.right_edge.i
        before = (sent.start, lo - 1) if lo - 1 >= sent.start else None
        after = (hi + 1, sent.end - 1) if hi + 1 <= sent.end - 1 else None
        sides = [s for s in (before, after) if s and any(not t.is_punct for t in sent.doc[s[0] : s[1] + 1])]
        if sides:
            return max(sides, key=lambda s: s[1] - s[0])
    return None


# --------------------------------------------------------------------------- reported speech


def _doc_text(doc: Doc) -> str:
    """``doc.text`` joins every token on each call; long documents need it once."""
    cached = doc.user_data.get("sitroom_text")
    if not isinstance(cached, str):
        cached = doc.text
        doc.user_data["sitroom_text"] = cached
    return cached


def _reported(doc: Doc) -> tuple[list[_Cand], dict[int, _Cand]]:
    """Attributions of cue verbs and nominal cues; also every cue verb (with or without content) by
    token index, for quotes to attach to."""
    out: list[_Cand] = []
    by_cue: dict[int, _Cand] = {}
    model = cue_model.current()
    for sent in doc.sents:
        hedges: list[_Cand] = []
        first = len(out)
        quoted = model is not None and cue_model.has_quote(sent)
        for tok in sent:
            if tok.lower_ in HEDGES and tok.dep_ == "advmod":
                hedge = _hedge(tok, sent)
                if hedge is not None:
                    hedges.append(hedge)
                continue
            cand = _nominal_cue(tok, sent) if tok.lower_ in {"according", "per"} else None
            if (
                cand is None
                and tok.pos_ == "NOUN"
                and (tok.lemma_.lower() in CUE_NOUNS or tok.lemma_.lower() in STANCE_NOUNS)
            ):
                cand = _noun_clause(tok, sent)
            if cand is None and tok.pos_ == "ADJ" and tok.dep_ == "acomp" and tok.lower_ in CUE_ADJECTIVES:
                cand = _adjective_cue(tok, sent)
            if cand is None and tok.lemma_.lower() in RAISING and tok.pos_ in {"VERB", "AUX"}:
                cand = _evidential(tok, sent)
            verb = False
            if cand is None and _is_cue_verb(tok):
                cand, verb = _verb_cue(tok, sent), True
            if cand is None:
                continue
            by_cue[tok.i] = cand
            if cand.content[1] > cand.content[0] and not (
                verb and model is not None and _vetoed(tok, model, quoted)
            ):
                out.append(cand)
        if model is not None:
            out += _learned(sent, model, by_cue, out[first:], quoted)
        sourced = [c for c in out[first:] if c.source is not None]
        for hedge in hedges:
            # "police said the man reportedly fled": the hedge is inside a party's report
            if not any(
                c.content[0] <= hedge.content[0] and hedge.content[1] <= c.content[1] for c in sourced
            ):
                out.append(hedge)
    return out, by_cue


def lexicons_of(tok: Token) -> list[str]:
    """Which of the rules' cue lexicons know ``tok`` (features of the learned cue model)."""
    lemma = tok.lemma_.lower()
    return [name for name, table in _CUE_LEXICONS if lemma in table]


#: Dependents that carry what a learned cue reports, in order of preference, and whether the content
#: is the object of the dependent (a preposition's) rather than the dependent itself.
_LEARNED_CONTENT = (
    (frozenset({"ccomp"}), False),
    (frozenset({"xcomp"}), False),
    (frozenset({"dobj", "oprd", "attr", "dative"}), False),
    (frozenset({"prep", "prt"}), True),
)


def _learned(
    sent: SpacySpan, model: cue_model.CueModel, by_cue: dict[int, _Cand], found: list[_Cand], quoted: bool
) -> list[_Cand]:
    """Attributions whose cue only the learned model knows ("echoed", "mocked the plan", "her views
    on"): the model says the token is a cue, the parse where its source and content are. A word that
    names a violent event ("attacked", "struck") is never a cue here: in conflict news it is the event."""
    out: list[_Cand] = []
    taken = [c.content for c in found]
    for tok in sent:
        if tok.pos_ not in cue_model.POS or tok.i in by_cue or _names_violence(tok):
            continue
        if tok.is_stop or not tok.is_alpha:
            continue
        if _cue_probability(model, tok, quoted) < model.threshold:
            continue
        if any(c.i in by_cue for c in tok.children) or (tok.head.i in by_cue and tok.dep_ != "conj"):
            continue  # part of a cue the rules know: "continued to insist", "expressed concern"
        cand = _learned_cue(tok, sent)
        if cand is None or cand.content in taken:
            continue
        taken.append(cand.content)
        out.append(cand)  # not in by_cue: quotes attach to the rules' cues only
    return out


def _cue_probability(model: cue_model.CueModel, tok: Token, quoted: bool) -> float:
    """The learned model's probability that ``tok`` is a cue (``quoted``: its sentence has quotes)."""
    return model.probability(cue_model.hashed(cue_model.features(tok, lexicons_of(tok), quoted)))


def _names_violence(tok: Token) -> bool:
    """Whether a word names a violent event or an armed action: in conflict news it is the event,
    never a view of one ("attacked", "launched an operation")."""
    lemma = tok.lemma_.lower()
    return lemma in lexicon().triggers or lemma in _OPERATIONS


def _vetoed(tok: Token, model: cue_model.CueModel, quoted: bool) -> bool:
    """Whether the learned model is sure that a verb of the rules' lexicons reports nothing here
    ("the video shows", "found a way", "I think that's right" in a question): the attribution is not
    kept, though a quote may still attach to the verb. Verbs that give events their status and a
    party's toll are never vetoed."""
    if model.veto <= 0.0:
        return False
    if _stance(tok) not in {Stance.ASSERTS, Stance.ASSESSES}:
        return False  # a claim, an accusation, a denial or a confirmation gives events their status
    if any(c.dep_ == "dobj" and c.lemma_.lower() in TOLL_NOUNS for c in tok.children):
        return False  # a party's toll stands
    return _cue_probability(model, tok, quoted) < model.veto


#: Nouns of armed action that the trigger lexicon leaves to the words around them.
_OPERATIONS = frozenset(_words("operation offensive incursion crackdown raid assault fire gas"))

#: Who can hold a view: people and bodies as the parser names them, and the nouns that name them.
_SPEAKER_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_SPEAKER_PRONOUNS = frozenset({"i", "we", "you", "he", "she", "they", "who", "whom"})


def _speaker(tok: Token) -> bool:
    """Whether ``tok`` (a subject or owner) names someone who can say or think something: "the
    attack" or "alarm bells" cannot, "Carson", "the senator", "critics" and "he" can."""
    if tok.ent_type_ in _SPEAKER_ENTS or tok.lower_ in _SPEAKER_PRONOUNS:
        return True
    lemma = tok.lemma_.lower()
    return (
        lemma in coref.PERSON_NOUNS
        or lemma in coref.GROUP_NOUNS
        or lemma in coref.FORCE_NOUNS
        or lemma in entities.ROLE_NOUNS
        or lemma in _HUMAN_NOUNS
    )


_HUMAN_NOUNS = frozenset(
    _words("""people critic supporter opponent voter member party campaign administration government
    lawmaker republican democrat conservative liberal poll survey study report expert ally aide
    adviser advisor staff official authority side""")
)


def _learned_cue(tok: Token, sent: SpacySpan) -> _Cand | None:
    """Source and content of a token the learned model calls a cue; None when the parse shows neither
    who holds the view nor what it is about."""
    doc = tok.doc
    text = _doc_text(doc)
    subj: Token | None = None
    if tok.pos_ == "VERB":
        subj, passive = _subject(tok)
        if passive and subj is None:
            return None
    else:
        subj = next((c for c in tok.children if c.dep_ in {"poss", "nsubj"}), None)
        if subj is None and tok.head.i != tok.i and tok.dep_ in {"dobj", "acomp", "attr", "pobj"}:
            verb = tok.head.head if tok.dep_ == "pobj" else tok.head
            if verb.pos_ in {"VERB", "AUX"}:
                subj, passive = _subject(verb)
                if passive:
                    subj = None
    if subj is None or not _speaker(subj):
        return None
    rng = _content_of_verb(tok, sent) if tok.pos_ == "VERB" else None
    if rng is None:
        for deps, via_object in _LEARNED_CONTENT:
            comps = [c for c in tok.children if c.dep_ in deps]
            if via_object:
                comps = [g for c in comps for g in c.children if g.dep_ in {"pobj", "pcomp"}]
            if any(_names_violence(c) for c in comps):
                return None  # "launched an operation", "endured attacks": an action on an event is no view
            if comps:
                rng = (min(c.left_edge.i for c in comps), max(c.right_edge.i for c in comps))
                break
    if rng is None:
        return None
    content = _char_span(text, *_tokens_chars(doc, *rng))
    lo, hi = _noun_phrase(subj)
    source = _char_span(text, *_tokens_chars(doc, lo, hi))
    if content is None or source is None:
        return None
    if text[source[1] - 2 : source[1]] in {"'s", "’s"}:
        source = (source[0], source[1] - 2)
    return _Cand(
        cue=(tok.idx, tok.idx + len(tok)),
        source=source,
        content=content,
        stance=_stance(tok) if tok.pos_ == "VERB" else Stance.ASSERTS,
        sent_start=sent.start_char,
        cue_token=tok.i,
        learned=True,
    )


#: Nouns of a statement or an attitude whose "that" clause is its content: "allegations that he
#: assaulted ...", "the army's claim that ...", "fears that the truce will collapse".
CUE_NOUNS: dict[str, Stance] = {
    **dict.fromkeys(_words("claim assertion contention"), Stance.CLAIMS),
    **dict.fromkeys(_words("allegation accusation charge"), Stance.ALLEGES),
    **dict.fromkeys(_words("denial"), Stance.DENIES),
    **dict.fromkeys(_words("confirmation admission acknowledgement acknowledgment"), Stance.CONFIRMS),
    **dict.fromkeys(
        _words("belief fear concern hope suspicion expectation assessment estimate"), Stance.ASSESSES
    ),
    **dict.fromkeys(
        _words(
            "report revelation statement announcement warning promise pledge insistence argument suggestion"
        ),
        Stance.ASSERTS,
    ),
}


#: Nouns of a stance whose object comes after a preposition ("criticism of", "opposition to").
STANCE_NOUNS: dict[str, frozenset[str]] = {
    **dict.fromkeys(["criticism", "critique", "condemnation", "praise", "endorsement"], frozenset({"of"})),
    **dict.fromkeys(["opposition", "objection", "response", "reaction"], frozenset({"to"})),
    **dict.fromkeys(["view", "complaint", "message", "warning"], frozenset({"about", "on", "of"})),
    **dict.fromkeys(["support", "call", "request", "proposal"], frozenset({"for"})),
}


def _noun_clause(noun: Token, sent: SpacySpan) -> _Cand | None:
    """ "Mr. Trump's claim that ...", "allegations by the opposition that ...": the clause is the
    content, the possessor or the "by" phrase the source (none: a report nobody in the text owns)."""
    clause = next(
        (
            c
            for c in noun.children
            if c.dep_ in {"acl", "ccomp", "relcl"}
            and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)
        ),
        None,
    )
    if clause is None and noun.lemma_.lower() in STANCE_NOUNS:
        # "Trump's criticism of the deal": the object of a stance noun, when its owner is named
        clause = next(
            (
                g
                for c in noun.children
                if c.dep_ == "prep" and c.lower_ in STANCE_NOUNS[noun.lemma_.lower()]
                for g in c.children
                if g.dep_ in {"pobj", "pcomp"}
            ),
            None,
        )
        if clause is None or not any(c.dep_ == "poss" for c in noun.children):
            return None
    if clause is None or (noun.head.dep_ == "prep" and _is_cue_verb(noun.head.head)):
        return None  # "said in a statement that ...": the verb's report
    doc = noun.doc
    text = _doc_text(doc)
    content = _char_span(text, *_tokens_chars(doc, clause.left_edge.i, clause.right_edge.i))
    if content is None:
        return None
    source = None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        agent = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        owner = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
    if owner is not None:
        lo, hi = _noun_phrase(owner)
        source = _char_span(text, *_tokens_chars(doc, lo, hi))
        if source is not None and text[source[1] - 2 : source[1]] in {"'s", "’s"}:
            source = (source[0], source[1] - 2)
    return _Cand(
        cue=(noun.idx, noun.idx + len(noun)),
        source=source,
        content=content,
        stance=CUE_NOUNS.get(noun.lemma_.lower(), Stance.ASSERTS),
        sent_start=sent.start_char,
        cue_token=noun.i,
    )


#: Adjectives of an attitude ("was critical of", "are confident that") and the prepositions that
#: bring their object.
CUE_ADJECTIVES: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ["critical", "skeptical", "sceptical", "supportive", "wary", "dismissive"], frozenset({"of"})
    ),
    **dict.fromkeys(
        ["concerned", "worried", "optimistic", "pessimistic", "adamant"], frozenset({"about", "over"})
    ),
    **dict.fromkeys(
        ["confident", "sure", "convinced", "aware", "certain", "hopeful"], frozenset({"of", "about"})
    ),
}


def _adjective_cue(adj: Token, sent: SpacySpan) -> _Cand | None:
    """ "Ruth Marcus has been critical of Mr. Trump", "officials are confident that ...": an attitude
    of the copula's subject towards the clause or object."""
    comps = [c for c in adj.children if c.dep_ == "ccomp"] or [
        g
        for c in adj.children
        if c.dep_ == "prep" and c.lower_ in CUE_ADJECTIVES[adj.lower_]
        for g in c.children
        if g.dep_ in {"pobj", "pcomp"}
    ]
    subj, passive = _subject(adj.head)
    if not comps or subj is None or passive:
        return None
    doc = adj.doc
    text = _doc_text(doc)
    content = _char_span(
        text, *_tokens_chars(doc, min(c.left_edge.i for c in comps), max(c.right_edge.i for c in comps))
    )
    lo, hi = _noun_phrase(subj)
    source = _char_span(text, *_tokens_chars(doc, lo, hi))
    if content is None or source is None:
        return None
    return _Cand(
        cue=(adj.idx, adj.idx + len(adj)),
        source=source,
        content=content,
        stance=Stance.ASSESSES,
        sent_start=sent.start_char,
        cue_token=adj.i,
    )


#: Verbs by which a clause says how it is known, with no speaker: "The attack appears to have been
#: planned", "he is believed to have fled", "ten people were said to have died". The stance each
#: gives its clause.
RAISING: dict[str, Stance] = {
    **dict.fromkeys(["seem", "appear"], Stance.ASSESSES),
    **dict.fromkeys(["believe", "think", "expect", "understand", "know", "estimate"], Stance.ASSESSES),
    **dict.fromkeys(["say", "report", "rumour", "rumor", "allege"], Stance.CLAIMS),
}

#: The rules' cue lexicons by name, for the learned model's features (`lexicons_of`).
_CUE_LEXICONS: tuple[tuple[str, Collection[str]], ...] = (
    ("stance", CUE_STANCE),
    ("object", OBJECT_CUES),
    ("phrasal", PHRASAL_CUES),
    ("xcomp", XCOMP_CUES),
    ("noun", CUE_NOUNS),
    ("stance_noun", STANCE_NOUNS),
    ("adjective", CUE_ADJECTIVES),
    ("raising", RAISING),
)


def _evidential(verb: Token, sent: SpacySpan) -> _Cand | None:
    """A raising or passive verb of knowing with an infinitive ("appears to have", "is believed to
    have"): an attribution whose content is the whole clause, sourceless unless "by X" names one."""
    lemma = verb.lemma_.lower()
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    if lemma not in {"seem", "appear"} and not passive:
        return None
    if not any(c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in verb.children):
        return None
    agent = next(
        (g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None
    )
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is None or subj.tag_ in {"WP", "WDT"}:
        return None
    lo = max(min(subj.left_edge.i, verb.i), sent.start)
    hi = min(verb.right_edge.i, sent.end - 1)
    doc = verb.doc
    content = _char_span(_doc_text(doc), *_tokens_chars(doc, lo, hi))
    if content is None:
        return None
    stance = RAISING[lemma]
    if lemma == "allege":
        stance = Stance.ALLEGES
    source = None
    if agent is not None:  # "is believed by police to have fled": police speak
        lo_a, hi_a = _noun_phrase(agent)
        source = _char_span(_doc_text(doc), *_tokens_chars(doc, lo_a, hi_a))
    return _Cand(
        cue=(verb.idx, verb.idx + len(verb)),
        source=source,
        content=content,
        stance=stance,
        sent_start=sent.start_char,
        cue_token=verb.i,
    )


#: Adverbs by which an outlet hedges its own report, and the stance they give it.
HEDGES: dict[str, Stance] = {
    "reportedly": Stance.CLAIMS,
    "purportedly": Stance.CLAIMS,
    "allegedly": Stance.ALLEGES,
}


def _hedge(tok: Token, sent: SpacySpan) -> _Cand | None:
    """ "Ten people were reportedly killed": a report in the outlet's voice that it does not vouch for,
    an attribution with no source whose content is the hedged clause."""
    head = tok.head
    lo = max(head.left_edge.i, sent.start)
    hi = min(head.right_edge.i, sent.end - 1)
    content = _char_span(_doc_text(tok.doc), *_tokens_chars(tok.doc, lo, hi))
    if content is None:
        return None
    return _Cand(
        cue=(tok.idx, tok.idx + len(tok)),
        source=None,
        content=content,
        stance=HEDGES[tok.lower_],
        sent_start=sent.start_char,
        cue_token=tok.i,
    )


def _verb_cue(verb: Token, sent: SpacySpan) -> _Cand | None:
    doc = verb.doc
    text = _doc_text(doc)
    subj, _passive = _subject(verb)
    if subj is None and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        # an infinitive with no speaker ("were to blame", "to say") reports nothing
        return None
    source = None
    if subj is not None:
        lo, hi = _noun_phrase(subj)
        source = _char_span(text, *_tokens_chars(doc, lo, hi))
    else:
        source = _trailing_source(verb, sent)
    cue = (verb.idx, verb.idx + len(verb))
    rng = _content_of_verb(verb, sent)
    stance = _stance(verb)
    if (
        rng is not None
        and stance in {Stance.ASSERTS, Stance.CLAIMS}
        and _denies_by_meaning(verb, doc[rng[0] : rng[1] + 1])
    ):
        stance = Stance.DENIES
    content = _char_span(text, *_tokens_chars(doc, *rng)) if rng else None
    if content is None:
        # kept so that a quote can attach to it ("...," she said); emitted only with a quote
        content = (cue[1], cue[1])
    return _Cand(
        cue=cue,
        source=source,
        content=content,
        stance=stance,
        sent_start=sent.start_char,
        cue_token=verb.i,
    )


def _trailing_source(verb: Token, sent: SpacySpan) -> tuple[int, int] | None:
    """ "..., witnesses and rights groups said.": the words between the last comma and a closing speech
    verb name its source even when the parser hung them elsewhere."""
    doc = verb.doc
    rest = [t for t in doc[verb.i + 1 : sent.end] if not t.is_space]
    if any(not t.is_punct for t in rest[:1]) and not (
        rest and rest[0].lower_ in {"on", "in", "at", "late", "early"}
    ):
        return None
    i = verb.i - 1
    while i > sent.start and doc[i].text != "," and verb.i - i <= 8:
        i -= 1
    if i <= sent.start or doc[i].text != ",":
        return None
    words = doc[i + 1 : verb.i]
    if not any(t.pos_ in {"NOUN", "PROPN"} for t in words):
        return None
    return _char_span(_doc_text(doc), words[0].idx, words[-1].idx + len(words[-1]))


def _nominal_cue(tok: Token, sent: SpacySpan) -> _Cand | None:
    """``according to X`` and ``as per X``: the source is X's phrase, the content the rest of the
    sentence on the longer side of the cue phrase."""
    doc = tok.doc
    text = _doc_text(doc)
    if tok.lower_ == "according":
        if tok.i + 1 >= sent.end or doc[tok.i + 1].lower_ != "to":
            return None
        prep = doc[tok.i + 1]
        cue_first = tok.i
    else:
        if tok.i == sent.start or doc[tok.i - 1].lower_ != "as":
            return None
        prep = tok
        cue_first = tok.i - 1
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    if objs:
        src_lo, src_hi = objs[0].left_edge.i, objs[0].right_edge.i
    else:
        # unparsed: the proper noun run right after the cue
        src_lo = src_hi = prep.i + 1
        if src_lo >= sent.end:
            return None
        while (
            src_hi + 1 < sent.end
            and doc[src_hi + 1].pos_ in {"PROPN", "NOUN"} | {"DET"}
            and not doc[src_hi + 1].is_punct
        ):
            src_hi += 1
    src_hi = min(src_hi, sent.end - 1)
    source = _char_span(text, *_tokens_chars(doc, src_lo, src_hi))
    before = _char_span(text, sent.start_char, doc[cue_first].idx)
    after = _char_span(text, doc[src_hi].idx + len(doc[src_hi]), sent.end_char)
    sides = [s for s in (before, after) if s]
    if not sides or source is None:
        return None
    content = max(sides, key=lambda s: s[1] - s[0])
    cue = (doc[cue_first].idx, prep.idx + len(prep))
    return _Cand(
        cue=cue,
        source=source,
        content=content,
        stance=Stance.ASSERTS,
        sent_start=sent.start_char,
        outlet=_is_outlet(text[source[0] : source[1]]),
        cue_token=tok.i,
    )


def _is_outlet(name: str) -> bool:
    """Whether a source phrase names a news outlet ("Al Jazeera", "state media", "the Kyiv Post")."""
    if _MEDIA_PHRASE.search(name):
        return True
    words = re.findall(r"[A-Za-z]+", name.lower())
    # a long phrase ("video footage released by the US") is evidence, not an outlet
    return 0 < len(words) <= 5 and any(w in MEDIA_WORDS for w in words)


# --------------------------------------------------------------------------- quotes


def _quoted(doc: Doc, text: str, by_cue: dict[int, _Cand], cands: list[_Cand]) -> list[_Cand]:
    """Direct quotes, merged into the attribution of the cue that reports them, and the reported
    speech that remains once quotes are settled.

    A quote inside a longer report ("said the plan was a "disaster"") is part of that report, not an
    attribution of its own. A cue verb inside a quote ("I think ...") belongs to the quoted speech.
    A quote followed by a dash and a name (“...” ― Jane Doe) is that person's.
    """
    quotes: list[tuple[int, int]] = []
    last: tuple[int, _Cand] | None = None  # where the last attributed quote ended, and its attribution
    for m in _QUOTE_RE.finditer(text):
        group = next(g for g in "abcdef" if m.group(g) is not None)
        span = _char_span(text, m.start(group), m.end(group))
        if span is None:
            continue
        qs, qe = span
        inner = doc.char_span(qs, qe, alignment_mode="expand")
        if inner is None or len(inner) == 0 or _is_title(text[qs:qe]):
            continue
        if len(inner) >= 4:
            quotes.append((m.start(), m.end()))
        cand = _governing_cue(inner, by_cue, m.start(), m.end())
        if cand is None:
            cand = _colon_source(doc, text, m.start()) or _dash_source(doc, text, m.end(), inner)
            if cand is not None:
                cands.append(cand)
        if cand is None:
            # '"A," she said. "B."': a quote that follows the speaker's quote in the same paragraph
            # continues it; the attribution's content runs on to its end (as annotators mark it)
            if (
                last is not None
                and len(inner) >= 3
                and 0 <= m.start() - last[0] < 160
                and "\n\n" not in text[last[0] : m.start()]
            ):
                prev = last[1]
                prev.content = (prev.content[0], max(prev.content[1], qe))
                prev.quoted.append((qs, qe))
                last = (m.end(), prev)
            elif len(inner) >= 3:
                prev_speaker = _paragraph_before(text, m.start(), cands) or _earlier_in_paragraph(
                    text, m.start(), cands
                )
                if prev_speaker is not None:
                    # a paragraph that opens with an unattributed quote goes on with the speaker
                    # of the paragraph before
                    cont = _Cand(
                        cue=prev_speaker.cue,
                        source=prev_speaker.source,
                        content=(qs, qe),
                        stance=prev_speaker.stance,
                        sent_start=inner.sent.start_char,
                        quote=True,
                        cue_token=prev_speaker.cue_token,
                    )
                    cands.append(cont)
                    last = (m.end(), cont)
            continue
        if cand.source is not None:
            last = (m.end() if cand.content[1] <= m.end() + 2 else cand.content[1], cand)
        cs, ce = cand.content
        covers_quote = cs <= qs + 2 and qe - 2 <= ce
        inside_quote = m.start() - 2 <= cs and ce <= m.end() + 2
        if ce <= cs or inside_quote or (covers_quote and (qe - qs) >= 0.6 * (ce - cs)):
            # the cue reports exactly this quote: "...," X said / X said: "..."
            cand.content = (qs, qe)
            cand.quote = True
            if cand not in cands:
                cands.append(cand)
        elif covers_quote and len(inner) >= 3 and not _SCARE.search(text[max(0, m.start() - 12) : m.start()]):
            # a partial quote: 'said the police were "doing everything possible"'; two words are
            # scare quotes ('the so-called "peace plan"')
            cand.quoted.append((qs, qe))
        elif (ce <= qs or qe <= cs) and len(inner) >= 3:
            # a quote beside the cue's report ("said that ... but forces are “assessing reports”"):
            # the same speaker's words, which the report does not cover
            cands.append(
                _Cand(
                    cue=cand.cue,
                    source=cand.source,
                    content=(qs, qe),
                    stance=cand.stance,
                    sent_start=cand.sent_start,
                    quote=True,
                    cue_token=cand.cue_token,
                )
            )
    if not quotes:
        return cands
    # a cue inside a quote is the quoted speaker's own wording, not a report of the article's
    qstarts = [q[0] for q in quotes]
    kept = []
    for c in cands:
        pos = c.cue[0] if c.cue else c.content[0]
        k = bisect.bisect_right(qstarts, pos) - 1
        if not c.quote and k >= 0 and quotes[k][0] < pos < quotes[k][1]:
            continue
        kept.append(c)
    return kept


_MINOR = frozenset(_words("a an the of and or in on at to for from with by"))


def _is_title(quoted: str) -> bool:
    """A quoted name of a show, book or operation ("Meet the Press", "Operation Iron Swords"), not
    words anybody said: a few capitalised words without end punctuation."""
    words = quoted.split()
    return (
        0 < len(words) <= 5
        and not quoted.rstrip().endswith((".", "!", "?", ","))
        and all(w[:1].isupper() or w.lower() in _MINOR or not w[:1].isalpha() for w in words)
        and words[0][:1].isupper()
    )


def _reach(c: _Cand) -> int:
    """Where an attribution ends in the text: its content or its cue, whichever is later."""
    return max(c.content[1], c.cue[1] if c.cue else 0)


def _last_sourced(cands: list[_Cand], lo: int, hi: int) -> _Cand | None:
    """The attribution with a source that ends last within ``[lo, hi]``."""
    inside = [c for c in cands if c.source is not None and lo <= _reach(c) <= hi]
    return max(inside, key=_reach, default=None)


def _earlier_in_paragraph(text: str, pos: int, cands: list[_Cand]) -> _Cand | None:
    """The last attribution with a source that ends before ``pos`` in its paragraph, within two
    sentences' reach: 'Another protester, X, called for ... "Quote."'."""
    start = max(text.rfind("\n", 0, pos) + 1, pos - 299)
    return _last_sourced(cands, start, pos)


def _paragraph_before(text: str, pos: int, cands: list[_Cand]) -> _Cand | None:
    """The last attribution with a source in the paragraph before the one that ``pos`` opens."""
    start = text.rfind("\n", 0, pos) + 1
    if text[start:pos].strip() or start == 0:
        return None
    prev_start = text.rfind("\n", 0, len(text[:start].rstrip())) + 1
    return _last_sourced(cands, prev_start, start)


def _colon_source(doc: Doc, text: str, qopen: int) -> _Cand | None:
    """He continued: “...”: any verb with a subject introduces the quote after its colon."""
    before = text[max(0, qopen - 3) : qopen].rstrip()
    if not before.endswith(":"):
        return None
    colon = doc.char_span(
        qopen - (len(text[:qopen]) - len(text[:qopen].rstrip())) - 1, qopen, alignment_mode="expand"
    )
    if colon is None or colon.start == 0:
        return None
    verb = doc[colon.start - 1]
    if verb.pos_ in {"PROPN", "NOUN"} and verb.sent == colon.sent:
        # "Blumenthal and Cohen: “...”": a name that opens its sentence and speaks after the colon
        first = verb.sent.start
        words = doc[first : verb.i + 1]
        if len(words) <= 6 and words[0].pos_ in {"PROPN", "DET", "NOUN"} and verb.pos_ == "PROPN":
            return _Cand(
                cue=(colon.start_char, colon.start_char + 1),
                source=(words[0].idx, verb.idx + len(verb)),
                content=(colon.end_char, colon.end_char),
                stance=Stance.ASSERTS,
                sent_start=verb.sent.start_char,
            )
        return None
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    subj, passive = _subject(verb)
    if subj is None or passive:
        return None
    lo, hi = _noun_phrase(subj)
    return _Cand(
        cue=(verb.idx, verb.idx + len(verb)),
        source=_tokens_chars(doc, lo, hi),
        content=(verb.idx + len(verb), verb.idx + len(verb)),
        stance=Stance.ASSERTS,
        sent_start=verb.sent.start_char,
        cue_token=verb.i,
    )


_DASH_RE = re.compile(r"\s*[―—–-]{1,2}\s*")


def _dash_source(doc: Doc, text: str, end: int, inner: SpacySpan) -> _Cand | None:
    """“...” ― Jane Doe: the name after the dash speaks the quote."""
    m = _DASH_RE.match(text, end)
    if m is None:
        return None
    name = doc.char_span(m.end(), min(len(text), m.end() + 1), alignment_mode="expand")
    if name is None or len(name) == 0 or name[0].pos_ != "PROPN":
        return None
    last = name[0].i
    while last + 1 < len(doc) and doc[last + 1].pos_ == "PROPN" and doc[last + 1].sent == name[0].sent:
        last += 1
    source = _tokens_chars(doc, name[0].i, last)
    return _Cand(
        cue=(m.start() + len(m.group()) - len(m.group().lstrip()), m.end()),
        source=source,
        content=(inner.start_char, inner.end_char),
        stance=Stance.ASSERTS,
        sent_start=inner.sent.start_char,
        quote=True,
    )


def _governing_cue(inner: SpacySpan, by_cue: dict[int, _Cand], qs: int, qe: int) -> _Cand | None:
    """The cue verb above the quote in the parse, else the nearest cue outside the quote in the
    sentences the quote touches."""
    doc = inner.doc
    outside = [i for i in by_cue if not qs <= doc[i].idx < qe]
    for tok in inner:
        for anc in tok.ancestors:
            if anc.i in by_cue and not qs <= anc.idx < qe and by_cue[anc.i].source is not None:
                return by_cue[anc.i]
    first, last = inner[0].sent, inner[-1].sent
    lo, hi = first.start, last.end
    near = [i for i in outside if lo <= i < hi and by_cue[i].source is not None]
    if not near:
        return None
    return by_cue[min(near, key=lambda i: min(abs(i - inner.start), abs(i - inner.end)))]


# --------------------------------------------------------------------------- relays, entities


def _relays(cands: list[_Cand], text: str) -> list[_Cand]:
    """Outlets named by "according to"/"as per" in a sentence with another speaker relay that
    speaker's words: they go into ``via`` (nearest first) and are not attributions of their own."""
    by_sent: dict[int, list[_Cand]] = {}
    for c in cands:
        by_sent.setdefault(c.sent_start, []).append(c)
    keep: list[_Cand] = []
    for group in by_sent.values():
        outlets = [c for c in group if c.outlet and c.source]
        others = [c for c in group if not c.outlet]
        if not outlets or not others:
            keep.extend(group)
            continue
        for c in others:
            anchor = c.cue[0] if c.cue else c.content[0]
            for o in sorted(outlets, key=lambda o: abs((o.cue or o.content)[0] - anchor)):
                assert o.source is not None
                name = re.sub(r"^(the|a|an)\s+", "", text[o.source[0] : o.source[1]], flags=re.I)
                if name not in c.via:
                    c.via.append(name)
        keep.extend(others)
    return keep


_NOBODY = re.compile(
    r"^(?:nobody|no one|none|no group|no (?:\w+ )?(?:group|organi[sz]ation|one|party))\b", re.I
)


def _finish(draft: Draft, cands: list[_Cand]) -> list[Attribution]:
    text = draft.text
    mentions = sorted(draft.mention_index.items())
    starts = [s for (s, _e), _ in mentions]
    out: list[Attribution] = []
    seen: set[tuple[tuple[int, int] | None, tuple[int, int], bool]] = set()
    resolved: list[tuple[int, Entity]] = []  # (source start, entity) of earlier attributions
    for c in cands:
        key = (c.cue, c.content, c.quote)
        if key in seen:
            continue
        seen.add(key)
        source = None
        if c.source is not None and _NOBODY.match(text[c.source[0] : c.source[1]]):
            continue  # "Nobody has claimed responsibility": no one says anything
        if c.source is not None:
            c.source = _relative(draft, c.source)
            s, e = c.source
            ent = _source_entity(draft, text, s, e, resolved, mentions, starts)
            if ent is not None:
                resolved.append((s, ent))
            source = SourceRef(start=s, end=e, text=text[s:e], entity=ent.id if ent else None)
        cue = Span(start=c.cue[0], end=c.cue[1], text=text[c.cue[0] : c.cue[1]]) if c.cue else None
        cs, ce = c.content
        out.append(
            Attribution(
                id=f"a{len(out) + 1}",
                source=source,
                cue=cue,
                content=Span(start=cs, end=ce, text=text[cs:ce]),
                stance=c.stance,
                quote=c.quote or bool(c.quoted),
                quoted=[
                    Span(start=a, end=b, text=text[a:b])
                    for a, b in sorted(set(c.quoted) | ({c.content} if c.quote else set()))
                ],
                via=c.via,
                learned=c.learned,
            )
        )
    return out


_RELATIVE = frozenset({"who", "which", "that", "whom"})


def _relative(draft: Draft, source: tuple[int, int]) -> tuple[int, int]:
    """A relative pronoun source ("the minister, who said ...") stays the source when an entity
    names its antecedent (the entity then gives the name); else the antecedent phrase speaks."""
    s, e = source
    if draft.text[s:e].lower() not in _RELATIVE or draft.doc is None:
        return source
    span = draft.doc.char_span(s, e, alignment_mode="expand")
    if span is None or span.root.head.dep_ != "relcl":
        return source
    ante = span.root.head.head
    lo, hi = _noun_phrase(ante)
    a0, a1 = _tokens_chars(draft.doc, lo, hi)
    if a1 > s:
        a1 = ante.idx + len(ante)  # the phrase without its relative clause
    if draft.entity_covering(ante.idx, ante.idx + len(ante)) is not None:
        return source
    return _char_span(draft.text, a0, a1) or source


def _source_entity(
    draft: Draft,
    text: str,
    s: int,
    e: int,
    resolved: list[tuple[int, Entity]],
    mentions: list[tuple[tuple[int, int], str]],
    starts: list[int],
) -> Entity | None:
    word = text[s:e].lower()
    if word in _RELATIVE and draft.doc is not None:
        span = draft.doc.char_span(s, e, alignment_mode="expand")
        if span is not None and span.root.head.dep_ == "relcl":
            ante = span.root.head.head
            return draft.entity_covering(ante.idx, ante.idx + len(ante))
    if word in PRONOUNS:
        kinds = PRONOUNS[word]
        for pos, ent in reversed(resolved):
            if pos < s and (kinds is None or ent.kind in kinds):
                return ent
        # no earlier speaker: the nearest earlier mention of a compatible kind
        at = bisect.bisect_left(starts, s)
        for k in range(at - 1, max(-1, at - 50), -1):
            ent2 = draft.entity(mentions[k][1])
            if ent2 is not None and (kinds is None or ent2.kind in kinds):
                return ent2
        return None
    # the head (last word) names the speaker: "CENTCOM chief General Michael Kurilla" is Kurilla
    head = re.search(r"(\w[\w.'’-]*)\W*$", text[s:e])
    found = draft.entity_covering(s + head.start(1), s + head.end(1)) if head is not None else None
    return found or draft.entity_covering(s, e)
