"""Stages composed in order, and the one public entry point `extract()`.

Data flows one way: text -> Draft -> stages -> Record. Each stage is ``stage(draft, ctx)``; it reads
what earlier stages set and fills its own fields (see sitroom.draft).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from sitroom.context import Context as Context
from sitroom.context import Settings as Settings
from sitroom.draft import Draft
from sitroom.model import Attribution, DateExpr, DocumentInfo, Entity, Event, Place, Record, Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Texts longer than this are parsed in pieces split at paragraph or sentence boundaries.
CHUNK_CHARS = 100_000


Stage = Callable[[Draft, Context], None]


@functools.cache
def stages() -> tuple[Stage, ...]:
    """The stages after parsing, in order."""
    from sitroom.stages import attribution, dates, entities, events, places

    return (dates.run, places.run, entities.run, attribution.run, events.run)


def document_id(text: str, url: str | None = None) -> str:
    """Stable id: the same text (and url) give the same id."""
    digest = hashlib.sha1(((url or "") + "\x00" + text).encode("utf-8")).hexdigest()
    return digest[:16]


def _chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Split ``text`` into pieces of about ``size`` characters that join back to exactly ``text``."""
    pieces, start = [], 0
    while len(text) - start > size:
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            cut = text.rfind(sep, start + size // 2, start + size)
            if cut != -1:
                cut += len(sep)
                break
        if cut == -1:
            cut = start + size
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def parse(texts: Iterable[str], nlp: Language, batch_size: int = 16) -> Iterator[Doc]:
    """spaCy docs for ``texts`` (each at most CHUNK_CHARS long: `run_stages` takes longer texts in pieces)."""
    texts = list(texts)
    if any(len(t) > CHUNK_CHARS for t in texts):
        raise ValueError(
            f"parse takes texts of at most {CHUNK_CHARS} characters; run_stages cuts longer ones"
        )
    yield from nlp.pipe(texts, batch_size=batch_size)


def run_stages(draft: Draft, ctx: Context) -> Draft:
    """Run language detection, then (for English) parsing and every stage."""
    from sitroom.stages import language

    if "language" not in draft.extra:
        language.run(draft, ctx)
    if draft.language != "en":
        message = (
            f"document {draft.id}: language {draft.language!r} is not English; "
            "recorded with no entities or events"
        )
        draft.warnings.append(message)
        return draft
    if draft.doc is None and len(draft.text) > CHUNK_CHARS:
        return _in_pieces(draft, ctx)
    if draft.doc is None:
        draft.doc = next(parse([draft.text], ctx.nlp))
    for stage in stages():
        stage(draft, ctx)
    return draft


def _in_pieces(draft: Draft, ctx: Context) -> Draft:
    """A long text (over CHUNK_CHARS) runs through the stages piece by piece, cut at paragraph or
    sentence boundaries, so memory holds one piece's parse at a time, never the whole text's. Each
    piece's findings join the document's with their offsets moved and their ids renumbered; an
    entity named in several pieces (same name and kind) is one entity. What a piece cannot see (a
    pronoun or "the attack" pointing into the previous piece) is lost: long texts are reports,
    transcripts and books, not news articles."""
    offset = 0
    ids = {"e": 0, "a": 0, "ev": 0}
    entity_by_key: dict[tuple[str, str], Entity] = {}
    for piece in _chunks(draft.text):
        sub = Draft(
            text=_quiet(piece),
            id=draft.id,
            published=draft.published,
            url=draft.url,
            title=draft.title,
            source=draft.source,
            published_inferred=draft.published_inferred,
        )
        sub.language, sub.extra["language"] = "en", "en"
        sub.doc = next(parse([sub.text], ctx.nlp))
        for stage in stages():
            stage(sub, ctx)
        sub.doc = None
        _join_piece(draft, sub, offset, ids, entity_by_key)
        draft.warnings.extend(sub.warnings)
        offset += len(piece)
    return draft


#: words without which a paragraph can hold neither an event nor a claim (news language, not any
#: corpus's vocabulary): violence, protest, force, displacement, and reporting verbs
_CUES = re.compile(
    r"\b(?:kill|attack|assault|clash|fight|battl|shell|bomb|strik|struck|shot|shoot|gun|fire|wound|injur|"
    r"dead|death|die|died|massacr|explo|blast|raid|ambush|abduct|kidnap|hostage|arrest|detain|seiz|captur|"
    r"loot|burn|torch|destroy|displac|flee|fled|protest|riot|march|demonstrat|rall|unrest|"
    r"troops|soldier|militant|rebel|insurgen|army|police|militia|forces|drone|missile|rocket|artillery|"
    r"said|says|say|told|tells|according|claim|den[iy]|accus|alleg|confirm|report|stat(?:ed|es)|announc)",
    re.I,
)


def _quiet(piece: str) -> str:
    """A long text's piece with every paragraph that names no violence, force or speech blanked
    (spaces of the same length, so offsets hold): the parser's time goes where events and claims can
    be. Only texts over CHUNK_CHARS are filtered; a news article is parsed whole."""
    out = []
    for para in re.split(r"(\n\s*\n)", piece):
        out.append(para if not para.strip() or _CUES.search(para) else re.sub(r"[^\n]", " ", para))
    return "".join(out)


def _shifted(data: Any, offset: int, original: str) -> Any:
    """A dumped model with every span (start, end, text) moved by ``offset`` into ``original``, the
    whole text; a span that ran into a blanked paragraph (see `_quiet`) ends where the text it saw
    ends."""
    if isinstance(data, list):
        return [_shifted(v, offset, original) for v in data]
    if isinstance(data, dict):
        out = {k: _shifted(v, offset, original) for k, v in data.items()}
        if isinstance(out.get("start"), int) and isinstance(out.get("end"), int) and "text" in out:
            start, end, seen = out["start"] + offset, out["end"] + offset, out["text"]
            real = original[start:end]
            if real != seen:
                same = next(
                    (k for k, (a, b) in enumerate(zip(seen, real, strict=False)) if a != b), len(seen)
                )
                seen = seen[:same].rstrip()
                end = start + len(seen)
            out["start"], out["end"], out["text"] = start, end, original[start:end]
        return out
    return data


def _join_piece(
    draft: Draft, sub: Draft, offset: int, ids: dict[str, int], entity_by_key: dict[tuple[str, str], Entity]
) -> None:
    entity_ids: dict[str, str] = {}
    for ent in sub.entities:
        data = _shifted(ent.model_dump(), offset, draft.text)
        key = (ent.name, str(ent.kind))
        if key in entity_by_key:
            known = entity_by_key[key]
            known.mentions.extend(Span.model_validate(m) for m in data["mentions"])
            entity_ids[ent.id] = known.id
            continue
        ids["e"] += 1
        data["id"] = entity_ids[ent.id] = f"e{ids['e']}"
        new = Entity.model_validate(data)
        entity_by_key[key] = new
        draft.entities.append(new)
    for (start, end), eid in sub.mention_index.items():
        draft.mention_index[(start + offset, end + offset)] = entity_ids.get(eid, eid)
    draft.dates.extend(
        DateExpr.model_validate(_shifted(d.model_dump(), offset, draft.text)) for d in sub.dates
    )
    draft.places.extend(
        Place.model_validate(_shifted(p.model_dump(), offset, draft.text)) for p in sub.places
    )
    claim_ids: dict[str, str] = {}
    for att in sub.attributions:
        data = _shifted(att.model_dump(), offset, draft.text)
        ids["a"] += 1
        data["id"] = claim_ids[att.id] = f"a{ids['a']}"
        if data.get("source") and data["source"].get("entity"):
            data["source"]["entity"] = entity_ids.get(data["source"]["entity"], data["source"]["entity"])
        draft.attributions.append(Attribution.model_validate(data))
    for ev in sub.events:
        data = _shifted(ev.model_dump(), offset, draft.text)
        ids["ev"] += 1
        data["id"] = f"ev{ids['ev']}"
        data["claims"] = [claim_ids.get(c, c) for c in data.get("claims", [])]
        for role in ("actor1", "actor2"):
            if data.get(role) and data[role].get("entity"):
                data[role]["entity"] = entity_ids.get(data[role]["entity"], data[role]["entity"])
        for report in (data.get("casualties") or {}).get("reports", []):
            if report.get("claim"):
                report["claim"] = claim_ids.get(report["claim"], report["claim"])
        draft.events.append(Event.model_validate(data))


def to_record(draft: Draft, with_text: bool = False) -> Record:
    return Record(
        document=DocumentInfo(
            id=draft.id,
            url=draft.url,
            source=draft.source,
            title=draft.title,
            published=draft.published.isoformat() if draft.published else None,
            published_inferred=draft.published_inferred,
            language=draft.language,
            text=draft.text if with_text else None,
        ),
        entities=draft.entities,
        dates=draft.dates,
        places=draft.places,
        attributions=draft.attributions,
        events=draft.events,
    )


def make_draft(
    text: str,
    *,
    published: dt.date | None = None,
    id: str | None = None,
    url: str | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Draft:
    return Draft(
        text=text, id=id or document_id(text, url), published=published, url=url, title=title, source=source
    )


def extract(
    text: str,
    *,
    published: dt.date | str | None = None,
    id: str | None = None,
    url: str | None = None,
    title: str | None = None,
    source: str | None = None,
    ctx: Context | None = None,
    with_text: bool = False,
) -> Record:
    """Extract the sourced event record of one news report.

    >>> rec = extract("Police shot dead two men in Nairobi on Monday.", published="2020-05-06")
    >>> rec.events[0].event_type
    'Violence against civilians'
    """
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    ctx = ctx or Context()
    draft = run_stages(make_draft(text, published=published, id=id, url=url, title=title, source=source), ctx)
    for warning in draft.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return to_record(draft, with_text)


def extract_many(
    drafts: Iterable[Draft], ctx: Context | None = None, batch_size: int = 16
) -> Iterator[Draft]:
    """Run the pipeline over many drafts, parsing English ones in batches with ``nlp.pipe``."""
    from sitroom.stages import language

    ctx = ctx or Context()
    batch: list[Draft] = []

    def flush() -> Iterator[Draft]:
        english = []
        for d in batch:
            language.run(d, ctx)
            if d.language == "en":
                english.append(d)
        short = [d for d in english if len(d.text) <= CHUNK_CHARS]  # longer ones go piece by piece
        for d, doc in zip(short, parse([d.text for d in short], ctx.nlp, batch_size), strict=True):
            d.doc = doc
        for d in batch:
            yield run_stages(d, ctx)
        batch.clear()

    for draft in drafts:
        batch.append(draft)
        if len(batch) >= batch_size:
            yield from flush()
    yield from flush()
