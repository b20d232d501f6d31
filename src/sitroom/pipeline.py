"""Stages composed in order, and the one public entry point `extract()`.

Data flows one way: text -> Draft -> stages -> Record. Each stage is ``stage(draft, ctx)``; it reads
what earlier stages set and fills its own fields (see sitroom.draft).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from sitroom import pieces
from sitroom.context import Context as Context
from sitroom.context import Settings as Settings
from sitroom.draft import Draft
from sitroom.model import DocumentInfo, Record
from sitroom.pieces import CHUNK_CHARS as CHUNK_CHARS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


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

    draft.pipeline = ctx.provenance
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
        return pieces.in_pieces(draft, ctx)
    if draft.doc is None:
        draft.doc = next(parse([draft.text], ctx.nlp))
    for stage in stages():
        stage(draft, ctx)
    return draft


def to_record(draft: Draft, with_text: bool = False, compact: bool = False) -> Record:
    """The record of a finished draft. A long text's findings are held compact (see sitroom.pieces):
    with ``compact`` they stay so (a `CompactRecord`, read one item at a time, for writers and the
    store); without, they become ordinary lists."""
    document = DocumentInfo(
        id=draft.id,
        url=draft.url,
        source=draft.source,
        title=draft.title,
        published=draft.published.isoformat() if draft.published else None,
        published_inferred=draft.published_inferred,
        language=draft.language,
        text=draft.text if with_text else None,
    )
    if draft.findings is not None:
        record = pieces.compact_record(document, draft.findings, draft.pipeline)
        return record if compact else record.full()
    return Record(
        document=document,
        pipeline=draft.pipeline,
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
