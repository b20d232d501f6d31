"""Long texts (over `CHUNK_CHARS`): parsed and processed piece by piece, their findings held compact.

A news article is parsed whole. A longer text (a report, a transcript, a file of concatenated news)
runs through the stages one piece at a time, so memory holds one piece's parse, never the whole
text's; and each piece's findings leave their Python objects as soon as they are joined: they are
kept as JSON text (`Compact`), about a tenth of the memory, and read back one item at a time. A
`CompactRecord` writes its JSON from that text without building the objects, so a 19 MB text's
record costs its JSON's size, not ten times it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from pydantic import BaseModel

from sitroom.model import Attribution, DateExpr, DocumentInfo, Entity, Event, PipelineInfo, Place, Record

if TYPE_CHECKING:
    from sitroom.context import Context
    from sitroom.draft import Draft

#: Texts longer than this are parsed in pieces split at paragraph or sentence boundaries.
CHUNK_CHARS = 100_000
#: The size of those pieces: a quarter of the longest text parsed whole, because the parse and the
#: stages of a 100,000-character piece peak near 0.8 GB and of a 25,000-character one near 0.5 GB
PIECE_CHARS = 25_000

M = TypeVar("M", bound=BaseModel)


class Compact(Sequence[M], Generic[M]):
    """Models held as their JSON text and validated one at a time when read.

    >>> from sitroom.model import Span
    >>> spans = Compact(Span)
    >>> spans.append(Span(start=0, end=3, text="Foo"))
    >>> spans[0].text, len(spans)
    ('Foo', 1)
    """

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self._json: list[str] = []

    def append(self, item: M) -> None:
        self._json.append(item.model_dump_json())

    def __len__(self) -> int:
        return len(self._json)

    @overload
    def __getitem__(self, index: int) -> M: ...
    @overload
    def __getitem__(self, index: slice) -> list[M]: ...
    def __getitem__(self, index: int | slice) -> M | list[M]:
        if isinstance(index, slice):
            return [self.model.model_validate_json(j) for j in self._json[index]]
        return self.model.model_validate_json(self._json[index])

    def __iter__(self) -> Iterator[M]:
        for j in self._json:
            yield self.model.model_validate_json(j)

    def json_items(self) -> list[str]:
        """Each item's JSON text (compact, as ``model_dump_json`` writes it)."""
        return self._json


@dataclass
class Findings:
    """A long text's findings, joined piece by piece (see `in_pieces`)."""

    entities: Compact[Entity] = field(default_factory=lambda: Compact(Entity))
    dates: Compact[DateExpr] = field(default_factory=lambda: Compact(DateExpr))
    places: Compact[Place] = field(default_factory=lambda: Compact(Place))
    attributions: Compact[Attribution] = field(default_factory=lambda: Compact(Attribution))
    events: Compact[Event] = field(default_factory=lambda: Compact(Event))


#: the record's list fields, in the order the contract writes them
LISTS = ("entities", "dates", "places", "attributions", "events")


class CompactRecord(Record):
    """A record whose lists are `Compact`: reading ``record.events`` gives one event at a time, and
    ``model_dump_json`` writes the same text as the full `Record` would, item by item. Built with
    `sitroom.pipeline.to_record(draft, compact=True)`; `full` gives the ordinary record."""

    def full(self) -> Record:
        return Record(
            contract=self.contract,
            document=self.document,
            pipeline=self.pipeline,
            **{name: list(getattr(self, name)) for name in LISTS},
        )

    def model_dump_json(  # type: ignore[override]
        self, *, indent: int | None = None, exclude: dict[str, Any] | None = None
    ) -> str:
        return "".join(self.json_chunks(indent=indent, exclude=exclude))

    def json_chunks(
        self, *, indent: int | None = None, exclude: dict[str, Any] | None = None
    ) -> Iterator[str]:
        """The record's JSON, as ``model_dump_json`` writes it, a piece at a time: a writer can send
        a long text's record on without holding its whole JSON."""
        unknown = set(exclude or {}) - {"document"}
        if unknown:
            raise ValueError(f"CompactRecord.model_dump_json excludes only document fields, not {unknown}")
        doc_exclude = (exclude or {}).get("document")
        document = self.document.model_dump_json(indent=indent, exclude=doc_exclude)
        pipeline = self.pipeline.model_dump_json(indent=indent) if self.pipeline else "null"
        if indent is None:
            yield f'{{"contract":{self.contract},"document":{document}'
            for name in LISTS:
                yield f',"{name}":['
                for n, item in enumerate(getattr(self, name).json_items()):
                    yield item if n == 0 else "," + item
                yield "]"
            yield f',"pipeline":{pipeline}}}'
            return
        pad = " " * indent
        yield "{\n" + f'{pad}"contract": {self.contract},\n{pad}"document": ' + _indented(document, pad)
        for name in LISTS:
            items = getattr(self, name)
            if not len(items):
                yield f',\n{pad}"{name}": []'
                continue
            yield f',\n{pad}"{name}": ['
            for n, item in enumerate(items):
                yield (
                    ("\n" if n == 0 else ",\n")
                    + pad * 2
                    + _indented(item.model_dump_json(indent=indent), pad * 2)
                )
            yield f"\n{pad}]"
        yield f',\n{pad}"pipeline": ' + _indented(pipeline, pad) + "\n}"

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        return self.full().model_dump(**kwargs)


def _indented(text: str, pad: str) -> str:
    """Indented JSON placed ``pad`` deeper: every line after the first moves right (JSON strings hold
    no raw line breaks, so every line break is the layout's)."""
    return text.replace("\n", "\n" + pad)


def compact_record(
    document: DocumentInfo, findings: Findings, pipeline: PipelineInfo | None = None
) -> CompactRecord:
    fields = {name: getattr(findings, name) for name in LISTS}
    return CompactRecord.model_construct(document=document, pipeline=pipeline, **fields)


def chunks(text: str, size: int = PIECE_CHARS) -> list[str]:
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


def in_pieces(draft: Draft, ctx: Context) -> Draft:
    """Run the stages over a long text piece by piece, cut at paragraph or sentence boundaries; the
    findings go to ``draft.findings`` (compact), with their offsets moved and their ids renumbered. An
    entity named in several pieces (same name and kind) is one entity. What a piece cannot see (a
    pronoun or "the attack" pointing into the previous piece) is lost: long texts are reports,
    transcripts and books, not news articles. ``draft.mention_index`` stays empty: it serves the
    stages, which run on the pieces."""
    from sitroom.draft import Draft
    from sitroom.pipeline import parse, stages

    joiner = _Joiner(draft.text)
    offset = 0
    for piece in chunks(draft.text):
        sub = Draft(
            text=quiet(piece),
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
        joiner.join(sub, offset)
        draft.warnings.extend(sub.warnings)
        offset += len(piece)
    draft.findings = joiner.finish()
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


def quiet(piece: str) -> str:
    """A long text's piece with every paragraph that names no violence, force or speech blanked
    (spaces of the same length, so offsets hold): the parser's time goes where events and claims can
    be. Only texts over CHUNK_CHARS are filtered; a news article is parsed whole."""
    out = []
    for para in re.split(r"(\n\s*\n)", piece):
        out.append(para if not para.strip() or _CUES.search(para) else re.sub(r"[^\n]", " ", para))
    return "".join(out)


def shifted(data: Any, offset: int, original: str) -> Any:
    """A dumped model with every span (start, end, text) moved by ``offset`` into ``original``, the
    whole text; a span that ran into a blanked paragraph (see `quiet`) ends where the text it saw
    ends."""
    if isinstance(data, list):
        return [shifted(v, offset, original) for v in data]
    if isinstance(data, dict):
        out = {k: shifted(v, offset, original) for k, v in data.items()}
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


class _Joiner:
    """Joins each piece's findings into one document's: ids renumbered, entities merged by name and
    kind (their mentions kept as offsets until `finish`), everything else made compact at once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.findings = Findings()
        self.ids = {"e": 0, "a": 0, "ev": 0}
        #: (name, kind) -> the entity's fields without mentions, and its mentions' offsets
        self.entities: dict[tuple[str, str], tuple[dict[str, Any], list[tuple[int, int]]]] = {}

    def _next(self, kind: str) -> str:
        self.ids[kind] += 1
        return f"{kind}{self.ids[kind]}"

    def join(self, sub: Draft, offset: int) -> None:
        entity_ids: dict[str, str] = {}
        for ent in sub.entities:
            data = shifted(ent.model_dump(), offset, self.text)
            spans = [(m["start"], m["end"]) for m in data.pop("mentions")]
            key = (ent.name, str(ent.kind))
            if key not in self.entities:
                data["id"] = self._next("e")
                self.entities[key] = (data, [])
            known, mentions = self.entities[key]
            mentions.extend(spans)
            entity_ids[ent.id] = known["id"]
        for d in sub.dates:
            self.findings.dates.append(DateExpr.model_validate(shifted(d.model_dump(), offset, self.text)))
        for p in sub.places:
            self.findings.places.append(Place.model_validate(shifted(p.model_dump(), offset, self.text)))
        claim_ids: dict[str, str] = {}
        for att in sub.attributions:
            data = shifted(att.model_dump(), offset, self.text)
            data["id"] = claim_ids[att.id] = self._next("a")
            if data.get("source") and data["source"].get("entity"):
                data["source"]["entity"] = entity_ids.get(data["source"]["entity"], data["source"]["entity"])
            self.findings.attributions.append(Attribution.model_validate(data))
        for ev in sub.events:
            data = shifted(ev.model_dump(), offset, self.text)
            data["id"] = self._next("ev")
            data["claims"] = [claim_ids.get(c, c) for c in data.get("claims", [])]
            for role in ("actor1", "actor2"):
                if data.get(role) and data[role].get("entity"):
                    data[role]["entity"] = entity_ids.get(data[role]["entity"], data[role]["entity"])
            for report in (data.get("casualties") or {}).get("reports", []):
                if report.get("claim"):
                    report["claim"] = claim_ids.get(report["claim"], report["claim"])
            self.findings.events.append(Event.model_validate(data))

    def finish(self) -> Findings:
        for data, spans in self.entities.values():
            data["mentions"] = [{"start": s, "end": e, "text": self.text[s:e]} for s, e in spans]
            self.findings.entities.append(Entity.model_validate(data))
        self.entities.clear()
        return self.findings
