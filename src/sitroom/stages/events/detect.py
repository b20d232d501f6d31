"""Reading one sentence: its event triggers, the most severe of them (ACLED's tie-break) with its
parties, date, place and toll, and what makes a trigger no event of this report (planned, negated,
habitual, told as background) or a pointer back to an event already reported ("the attack").
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from sitroom.model import Attribution, DateExpr, Place
from sitroom.model import SubEventType as S
from sitroom.stages.casualties import Toll, tolls
from sitroom.stages.events.actors import (
    actor_from,
    arguments,
    clause_subject,
    other_party,
    subtree_span,
    vehicle_nationality,
)
from sitroom.stages.events.anchor import FEATURE_RANK, date_in, place_in, reporting_date
from sitroom.stages.events.classify import PROTEST_WORDS, classify, refine
from sitroom.stages.events.index import index
from sitroom.stages.events.lexicon import lexicon
from sitroom.stages.events.mention import Mention, Party
from sitroom.stages.events.split import in_own_clause, per_place
from sitroom.typer import NONE, best

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from sitroom.context import Context
    from sitroom.draft import Draft

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


def _without_sources(draft: Draft, sent: SpacySpan) -> str:
    """The sentence with the sources of its attributions blanked: "police say" names no party."""
    text = sent.text
    for src in index(draft).sources.starting_in(sent.start_char, sent.end_char):
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


#: verbs whose object is an event that happened: "police are investigating a shooting on Saturday"
_PRESUPPOSING = frozenset(["investigate", "condemn"])


def _presupposed(draft: Draft, trigger: Token) -> bool:
    """An investigated or condemned event with its own date or place is a mention of that event."""
    return (
        trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in _PRESUPPOSING and _anchored(draft, trigger)
    )


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
    prev = tok
    for anc in tok.ancestors:
        if anc.lemma_.lower() in {"retaliation", "response", "revenge", "reprisal", "anniversary"}:
            return True  # "in retaliation for a drone attack that killed three soldiers"
        if anc.lemma_.lower() in _FOLLOWS and anc.pos_ == "VERB" and prev.dep_ == "dobj":
            return True  # "the attack follows the killing on Monday of 37 civilians"
        if anc.lower_ in {"after", "following", "since", "over", "against", "despite"} and anc.dep_ in {
            "prep",
            "mark",
            "advmod",
            "pcomp",
            "amod",
        }:
            return True
        prev = anc
    return any(c.lower_ in {"after", "following"} and c.dep_ == "mark" for c in tok.children)


#: verbs whose object is an earlier event: "the attack follows / comes after the killing of ..."
_FOLLOWS = frozenset(["follow", "succeed"])


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


#: The learned typer's say (sitroom.typer): it retypes a rule's event when it is at least this sure
#: of another type, and adds an event in a sentence the rules found nothing in when at least this
#: sure of one. Chosen on a dev part of the labelled train split (training/tune.py, 1,220 sentences:
#: weighted F1 rules 0.63, typer 0.74, both 0.71-0.72 for retype 0.6-0.9 and add 0.3-0.8) and
#: checked on ACLED notes and the tuning half of our conflict-news gold, where a veto (dropping a
#: rule's event the typer is sure is none) was also tried and dropped: it removed real events from
#: ACLED notes (no event for 15 % of Kenya notes instead of 5 %), so the typer never removes one;
#: retyping at 0.6 scored lower than at 0.8 on ACLED notes of both countries.
RETYPE_AT = 0.8
ADD_AT = 0.5


def classified(sent: SpacySpan) -> dict[int, S | None]:
    """The sub-type each token of a sentence triggers (by token index): classified once, read by both
    the rules and the typer's features."""
    text = sent.text  # once: a span builds its text anew on each call
    return {tok.i: classify(tok, text) for tok in sent}


def rule_features(sent: SpacySpan, subs: dict[int, S | None] | None = None) -> list[str]:
    """What the rules see in a sentence, as features for the learned typer: every trigger's type, the
    most severe one, and whether that one is planned, negated or habitual."""
    severity = lexicon().severity
    subs = subs if subs is not None else classified(sent)
    cands = [(severity[sub], sub, tok) for tok in sent if (sub := subs[tok.i]) is not None]
    cands = cands or _phrase_triggers(sent)
    if not cands:
        return ["top=none"]
    _, top, trigger = max(cands, key=lambda c: (c[0], -c[2].i))
    feats = [f"c={sub}" for _, sub, _ in cands] + [f"top={top}"]
    if _irrealis(trigger) or _habitual(trigger):
        feats.append("top=unreal")
    if _in_background(trigger):
        feats.append("top=background")
    return feats


def _typer_views(
    ctx: Context, sents: list[SpacySpan], subs: dict[int, dict[int, S | None]]
) -> dict[int, dict[str, float]]:
    """The learned typer's probabilities for every sentence (by its first token), or none when the
    typer is off."""
    model = ctx.event_typer
    if model is None:
        return {}
    probs = model.predict_spans(sents, [rule_features(s, subs[s.start]) for s in sents])
    return {s.start: p for s, p in zip(sents, probs, strict=True)}


def _learned_trigger(sent: SpacySpan, probs: dict[str, float] | None) -> list[tuple[int, S, Token]]:
    """An event the typer is sure of in a sentence with no trigger: its type, on the sentence's main verb."""
    if not probs:
        return []
    label, p = best(probs)
    if label == NONE or p < ADD_AT:
        return []
    verbs = [t for t in sent if t.pos_ in {"VERB", "NOUN"} and not t.is_stop]
    trigger = sent.root if sent.root.pos_ in {"VERB", "NOUN"} else (verbs[0] if verbs else sent.root)
    return [(lexicon().severity[S(label)], S(label), trigger)]


def _negated(sent: SpacySpan) -> bool:
    return any(
        t.dep_ == "neg" or t.lower_ in {"nobody", "no", "none", "never", "neither", "nor"} for t in sent
    )


def _typed(sub: S, probs: dict[str, float] | None) -> S:
    """The rules' type for a sentence's event, the typer's where it is sure of another."""
    if not probs:
        return sub
    label, p = best(probs)
    if label != NONE and label != sub and p >= RETYPE_AT:
        return S(label)
    return sub


def sentence_mentions(draft: Draft, ctx: Context, country: str | None) -> list[Mention]:
    """Every sentence's mention of an event, in text order: the sentence's most severe trigger with its
    parties, date, place and toll, then the background events it recalls; a sentence with no trigger
    that points back to an event (a toll, "the attack", the party blamed for it) adds to that event.
    The learned typer (when on) retypes or adds a sentence's event where it is sure."""
    assert draft.doc is not None
    out: list[Mention] = []
    nationality = vehicle_nationality(draft)
    sents = list(draft.doc.sents)
    subs = {s.start: classified(s) for s in sents}
    views = _typer_views(ctx, sents, subs)
    for sent in sents:
        probs = views.get(sent.start)
        candidates, blamed = _triggers(draft, ctx, sent, subs[sent.start], bool(out), country, nationality)
        out.extend(blamed)
        if not candidates:
            candidates = _phrase_triggers(sent)
        if not candidates:
            # a toll or "the attack" adds to the event it speaks of before the typer may see a new one
            follow_up = _follow_up(draft, sent)
            if follow_up is not None and any(not m.anaphoric for m in out):
                out.append(follow_up)
                continue
            candidates = _learned_trigger(sent, probs)
            if not candidates and follow_up is not None:
                out.append(follow_up)
        if not candidates:
            continue
        # "deputies are investigating a shooting which killed one man": the investigated shooting is not
        # the sentence's event, the killing it tells is; a sentence whose every trigger is unreal or
        # habitual tells no event
        real = [
            c
            for c in candidates
            if not (_habitual(c[2]) or (_irrealis(c[2]) and not _presupposed(draft, c[2])))
        ]
        if not real:
            continue
        _, sub, trigger = max(real, key=lambda c: (c[0], -c[2].i))
        if _in_background(trigger):
            # every trigger is told as background ("The attack follows the killing on Monday of ..."):
            # the sentence recalls earlier events and reports none of its own
            recalled = _background_mentions(draft, ctx, sent, candidates, None, country, nationality)
            if recalled:
                out.extend(recalled)
                continue
        background = _background_mentions(draft, ctx, sent, candidates, trigger, country, nationality)
        main = _main_mention(draft, ctx, sent, sub, trigger, background, out, country, nationality)
        others = _clause_events(candidates, trigger, background)
        # the typer labels a sentence by its most severe event, background included: it retypes only
        # a sentence that tells one event, and never a type the rules set from the sentence's context
        # (aircraft against aircraft, police at a protest) or one with a negation ("nobody threw a
        # stone"), which its bag of words cannot read: those rules are precise
        if not background and not others and main.sub == sub and not _negated(sent):
            main.sub = _typed(main.sub, probs)
        if others:
            main = in_own_clause(draft, main)
        out.extend(per_place(draft, main))
        out.extend(background)
        for sub2, trigger2 in others:
            other = _main_mention(draft, ctx, sent, sub2, trigger2, background, out, country, nationality)
            out.append(in_own_clause(draft, other))
    return out


def _subject(tok: Token) -> Token | None:
    return next((c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ != "PRON"), None)


def _clause_events(
    candidates: list[tuple[int, S, Token]], main: Token, background: list[Mention]
) -> list[tuple[S, Token]]:
    """Other events a sentence tells in clauses of their own: a violent trigger that heads a
    coordinated or subordinate clause with a subject of its own, another than the main event's
    ("Rebels attacked the base, and the army shelled their positions")."""
    violent = lexicon().violent
    taken = {m.trigger.i for m in background}
    main_subject = _subject(main)
    out: list[tuple[S, Token]] = []
    for _, sub, tok in candidates:
        if tok is main or tok.i in taken or sub not in violent or tok.pos_ != "VERB":
            continue
        if tok.dep_ not in {"ROOT", "conj", "advcl", "ccomp"} or _in_background(tok):
            continue
        subject = _subject(tok)
        if subject is None or main_subject is None or subject.lemma_.lower() == main_subject.lemma_.lower():
            continue
        if not (_irrealis(tok) or _habitual(tok)) and all(t is not tok for _, t in out):
            out.append((sub, tok))
    return out


def _anchored(draft: Draft, tok: Token) -> bool:
    """ "the attack in Kumbo on Saturday": an event noun whose own phrase names a place or a date is a
    mention in its own right (merging decides whether it is an event already told), not a pointer."""
    lo, hi = subtree_span(tok)
    ix = index(draft)
    return any(isinstance(p, Place) for p in ix.locative.starting_in(lo, hi)) or any(
        isinstance(d, DateExpr) and d.value for d in ix.dates.starting_in(lo, hi)
    )


def _anchored_phrase(draft: Draft, sent: SpacySpan, pointer: re.Match[str]) -> bool:
    """Whether the event noun that ``pointer`` found in ``sent`` names its own place or date."""
    span = sent.doc.char_span(
        sent.start_char + pointer.start(), sent.start_char + pointer.end(), alignment_mode="expand"
    )
    return span is not None and _anchored(draft, span.root)


def _triggers(
    draft: Draft,
    ctx: Context,
    sent: SpacySpan,
    subs: dict[int, S | None],
    after_event: bool,
    country: str | None,
    nationality: dict[str, str],
) -> tuple[list[tuple[int, S, Token]], list[Mention]]:
    """The sentence's triggers as (severity, sub-type, token), those told as background ranked last;
    and, once an event has been reported (``after_event``), the parties the sentence blames for it."""
    text = sent.text
    date_spans = index(draft).dates
    severity = lexicon().severity
    candidates: list[tuple[int, S, Token]] = []
    blamed_mentions: list[Mention] = []
    for tok in sent:
        if date_spans.covers(tok.idx):
            continue
        if after_event and _is_anaphoric(tok) and not _anchored(draft, tok):
            blamed = _responsible_for(tok)
            if blamed is not None and blamed.pos_ != "PRON" and blamed.lower_ not in {"no", "nobody"}:
                # "Al Shabaab militants are suspected of carrying out the kidnapping"
                who = actor_from(blamed, draft, ctx, country, nationality)
                if who is not None:
                    blamed_mentions.append(
                        Mention(S.OTHER, tok, sent, who, None, None, None, Toll(), anaphoric=True)
                    )
            continue
        sub = subs[tok.i]
        if sub is not None:
            if _NEGATED_KILL.search(text) and sub == S.ATTACK and tok.lemma_ in {"kill", "injure", "wound"}:
                continue
            candidates.append((severity[sub] - (30 if _in_background(tok) else 0), sub, tok))
    return candidates, blamed_mentions


def _phrase_triggers(sent: SpacySpan) -> list[tuple[int, S, Token]]:
    """The first multiword trigger of a sentence no single word triggers ("took to the streets")."""
    for pattern, sub in _PHRASES:
        hit = pattern.search(sent.text)
        if hit is not None:
            found = sent.doc.char_span(
                sent.start_char + hit.start(), sent.start_char + hit.end(), alignment_mode="expand"
            )
            return [(lexicon().severity[sub], sub, found.root)] if found is not None else []
    return []


def _follow_up(draft: Draft, sent: SpacySpan) -> Mention | None:
    """A sentence with no trigger that adds to the event it speaks of: a toll, or "the attack"."""
    text = sent.text
    anaphor = _ANAPHOR.search(text)
    toll = tolls(text, sent.start_char)
    if anaphor or toll.killed or toll.injured or toll.civilians_killed:
        return Mention(S.OTHER, sent[0], sent, None, None, date_in(draft, sent), None, toll, anaphoric=True)
    return None


def _main_mention(
    draft: Draft,
    ctx: Context,
    sent: SpacySpan,
    sub: S,
    trigger: Token,
    background: list[Mention],
    before: list[Mention],
    country: str | None,
    nationality: dict[str, str],
) -> Mention:
    """A sentence's own event: its parties, its sub-type refined by what the sentence says, and the
    date and toll outside the clauses that tell ``background`` events; a toll or "the attack" with no
    agent of its own after a violent event (in ``before``) points back to that event."""
    violent = lexicon().violent
    place = place_in(draft, sent)
    here = place.country if place and place.country else country
    agent, patient = _parties(draft, ctx, sent, trigger, here, nationality)
    text = _without_sources(draft, sent)
    sub = refine(sub, _refining_text(draft, sent, sub, text), agent, patient)
    earlier = any(not m.anaphoric and m.sub in violent for m in before)
    # "Three soldiers were wounded." after a report of an attack tells that attack's toll
    toll_only = (
        trigger.lemma_.lower() in {"kill", "injure", "wound", "die", "hurt"} and agent is None and earlier
    )
    pointer = _ANAPHOR.search(text)
    anaphoric = (
        pointer is not None
        and sub in violent
        and not agent
        and earlier
        and not _anchored_phrase(draft, sent, pointer)
    ) or toll_only
    spans = [background_clause(m.trigger) for m in background]
    main_text = text
    for a, b in spans:
        main_text = main_text[: a - sent.start_char] + " " * (b - a) + main_text[b - sent.start_char :]
    return Mention(
        sub,
        trigger,
        sent,
        agent,
        patient,
        date_in(draft, sent, exclude=spans, trigger=trigger),
        place,
        tolls(main_text, sent.start_char),
        anaphoric=anaphoric,
    )


def _parties(
    draft: Draft, ctx: Context, sent: SpacySpan, trigger: Token, here: str | None, nationality: dict[str, str]
) -> tuple[Party | None, Party | None]:
    """Agent and patient of a trigger: from the parse, else the clause's subject for the agent and a
    second force of another nationality named in the sentence for the patient."""
    agent_tok, patient_tok = arguments(trigger)
    if agent_tok is None:
        agent_tok = clause_subject(trigger)
    agent = actor_from(agent_tok, draft, ctx, here, nationality) if agent_tok is not None else None
    patient = actor_from(patient_tok, draft, ctx, here, nationality) if patient_tok is not None else None
    if patient is None and agent is not None:
        patient = other_party(sent, draft, ctx, agent, here, nationality, agent_tok)
    return agent, patient


def _refining_text(draft: Draft, sent: SpacySpan, sub: S, text: str) -> str:
    """What a sentence's sub-type is refined with: the sentence (``text``, its sources blanked), and
    for a protest the next sentences of the paragraph, which often tell how it ended ("Police
    intervened with teargas.")."""
    if sub == S.PEACEFUL_PROTEST or (sub in {S.ATTACK, S.ARMED_CLASH} and PROTEST_WORDS.search(text)):
        follow = draft.text[sent.end_char : sent.end_char + 400].split("\n\n")[0]
        ix = index(draft)
        at = bisect.bisect_left(ix.sent_starts, sent.end_char)
        nxt = [s2.text for s2 in ix.sents[at : at + 2] if s2.start_char < sent.end_char + len(follow)]
        return " ".join([text, *nxt[:2]])
    return text


def background_clause(tok: Token) -> tuple[int, int]:
    """The characters of the "after ..." / "in retaliation for ..." phrase that holds ``tok``."""
    prev = tok
    for anc in tok.ancestors:
        if anc.lemma_.lower() in {"retaliation", "response", "revenge", "reprisal"} or (
            anc.lower_ in {"after", "following", "since"} and anc.dep_ in {"prep", "mark"}
        ):
            return subtree_span(anc)
        if anc.lemma_.lower() in _FOLLOWS and anc.pos_ == "VERB" and prev.dep_ == "dobj":
            return subtree_span(prev)
        prev = anc
    return subtree_span(tok)


def _background_mentions(
    draft: Draft,
    ctx: Context,
    sent: SpacySpan,
    candidates: list[tuple[int, S, Token]],
    main: Token | None,
    country: str | None,
    nationality: dict[str, str],
) -> list[Mention]:
    """Earlier violence a sentence gives as background ("in retaliation for a drone attack that killed
    three soldiers in Jordan last weekend") is an event of its own when it has its own date or place."""
    violent = lexicon().violent
    out: list[Mention] = []
    seen: set[tuple[int, int]] = set()
    for _, sub, tok in candidates:
        if tok is main or sub not in violent or not _in_background(tok):
            continue
        lo, hi = background_clause(tok)
        if (lo, hi) in seen or (main is not None and lo <= main.idx < hi):
            continue
        dates = [
            d
            for d in index(draft).dates.starting_in(lo, hi)
            if isinstance(d, DateExpr) and d.value and not reporting_date(draft, d)
        ]
        places = [p for p in index(draft).locative.starting_in(lo, hi) if isinstance(p, Place) and p.country]
        if not dates and not places:
            continue
        seen.add((lo, hi))
        agent_tok, patient_tok = arguments(tok)
        here = places[0].country if places else country
        agent = actor_from(agent_tok, draft, ctx, here, nationality) if agent_tok is not None else None
        patient = actor_from(patient_tok, draft, ctx, here, nationality) if patient_tok is not None else None
        clause = draft.text[lo:hi]
        out.append(
            Mention(
                refine(sub, clause, agent, patient),
                tok,
                sent,
                agent,
                patient,
                dates[0] if dates else None,
                max(places, key=lambda p: FEATURE_RANK.get(str(p.feature), 0)) if places else None,
                tolls(clause, lo),
                background=True,
            )
        )
    return out
