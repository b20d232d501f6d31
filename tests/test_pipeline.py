"""Tests of the pipeline: ids, chunking of long texts, batches, and settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.pieces import chunks as _chunks
from sitroom.pipeline import (
    CHUNK_CHARS,
    Context,
    Settings,
    document_id,
    extract,
    extract_many,
    make_draft,
    parse,
)

FRENCH = (
    "Le président a déclaré lundi que l'armée avait tué cinq combattants dans le nord du pays, "
    "selon un communiqué publié par le ministère de la Défense."
)


def test_pipeline_document_id_is_stable() -> None:
    text = "Gunmen killed five people in Mandera on Monday."
    assert document_id(text) == document_id(text)
    assert document_id(text, "https://example.com/a") == document_id(text, "https://example.com/a")
    assert len(document_id(text)) == 16
    assert all(c in "0123456789abcdef" for c in document_id(text))


def test_pipeline_document_id_is_text_and_url_sensitive() -> None:
    text = "Gunmen killed five people in Mandera on Monday."
    ids = {
        document_id(text),
        document_id(text + " "),
        document_id(text, "https://example.com/a"),
        document_id(text, "https://example.com/b"),
    }
    assert len(ids) == 4


def test_pipeline_extract_uses_document_id() -> None:
    text = "Protesters marched in Nairobi on Monday."
    rec = extract(text, published="2024-03-10", url="https://example.com/x")
    assert rec.document.id == document_id(text, "https://example.com/x")
    assert extract(text, published="2024-03-10", id="given").document.id == "given"


_PARAGRAPHS = [
    "Gunmen killed {i} people in Mandera on Monday, police said. Residents fled the town.",
    "Protesters marched in Nairobi over fuel prices; police fired tear gas.\nThe march ended at noon.",
    "A roadside bomb exploded near Kidal. No one claimed responsibility for attack number {i}.",
    "Talks between the government and the rebels resumed in Doha on day {i}.",
]


def _long_text(size: int) -> str:
    parts, i = [], 0
    while sum(len(p) for p in parts) < size:
        parts.append(_PARAGRAPHS[i % len(_PARAGRAPHS)].format(i=i) + "\n\n")
        i += 1
    return "".join(parts)[:size]


@pytest.mark.parametrize("size", [50, 1000, 5000])
def test_pipeline_chunks_join_back_and_respect_size(size: int) -> None:
    text = _long_text(23_456)
    pieces = _chunks(text, size)
    assert "".join(pieces) == text
    assert all(pieces)
    assert all(len(p) <= size for p in pieces)


def test_pipeline_chunks_cut_at_paragraphs() -> None:
    text = _long_text(20_000)
    pieces = _chunks(text, 5000)
    assert len(pieces) > 1
    assert all(p.endswith("\n\n") for p in pieces[:-1])


def test_pipeline_short_text_is_one_chunk() -> None:
    assert _chunks("Gunmen killed five people.") == ["Gunmen killed five people."]


@settings(max_examples=60, deadline=None)
@given(text=st.text(st.sampled_from("ab .\n"), max_size=400), size=st.integers(2, 60))
def test_pipeline_chunks_property(text: str, size: int) -> None:
    pieces = _chunks(text, size)
    assert "".join(pieces) == text
    assert all(len(p) <= size for p in pieces)


def test_pipeline_parse_refuses_a_text_it_would_hold_whole(light_nlp: Any) -> None:
    with pytest.raises(ValueError, match="run_stages cuts longer ones"):
        next(parse([_long_text(CHUNK_CHARS + 1)], light_nlp))


def test_pipeline_long_text_goes_piece_by_piece(light_nlp: Any) -> None:
    from sitroom.pipeline import Context, make_draft, run_stages, to_record

    text = _long_text(2 * CHUNK_CHARS + 12_345)
    draft = run_stages(make_draft(text, id="long"), Context(nlp=light_nlp))
    record = to_record(draft)
    assert draft.doc is None  # no parse of the whole text is kept
    spans = [m for e in record.entities for m in e.mentions]
    spans += [s for ev in record.events for s in ev.evidence] + [d for d in record.dates]
    spans += [a.content for a in record.attributions]
    assert spans and max(s.end for s in spans) > CHUNK_CHARS  # findings of the later pieces too
    assert all(text[s.start : s.end] == s.text for s in spans)
    for kind, items in (("e", record.entities), ("a", record.attributions), ("ev", record.events)):
        assert [i.id for i in items] == [f"{kind}{n}" for n in range(1, len(items) + 1)]
    names = [(e.name, e.kind) for e in record.entities]
    assert len(names) == len(set(names))  # one entity per name and kind across pieces
    claims = {a.id for a in record.attributions}
    assert all(c in claims for ev in record.events for c in ev.claims)
    assert record.model_validate_json(record.model_dump_json()) == record


def test_pipeline_long_text_record_is_compact_and_writes_the_same_json(tmp_path: Any) -> None:
    from pathlib import Path

    from sitroom.export import record_json
    from sitroom.pieces import CompactRecord
    from sitroom.pipeline import Context, make_draft, run_stages, to_record
    from sitroom.store import open_store

    examples = sorted((Path(__file__).parent.parent / "examples").glob("*.txt"))
    news = "\n\n".join(p.read_text(encoding="utf-8") for p in examples)
    text = (news + "\n\n") * (CHUNK_CHARS // len(news) + 1) + "Gunmen killed 2 in Kano\u2028 police said."
    draft = run_stages(make_draft(text, id="long", published=dt.date(2024, 3, 10)), Context())
    assert draft.events == [] and draft.findings is not None  # held compact, not as objects
    compact, full = to_record(draft, compact=True), to_record(draft)
    assert isinstance(compact, CompactRecord) and type(full) is not CompactRecord
    assert len(compact.events) == len(full.events) > 0 and compact.events[-1] == full.events[-1]
    for indent in (None, 2):
        assert compact.model_dump_json(indent=indent) == full.model_dump_json(indent=indent)
        assert record_json(compact, indent=indent) == record_json(full, indent=indent)
    with_text = to_record(draft, with_text=True, compact=True)
    assert with_text.model_dump_json(indent=2) == to_record(draft, with_text=True).model_dump_json(indent=2)
    assert compact.model_dump() == full.model_dump()
    # the store reads a compact record as it reads the full one
    rows = []
    for n, record in enumerate((compact, full)):
        with open_store(tmp_path / f"{n}.db") as store:
            store.add(record, text, body=text)
            rows.append(
                [
                    list(map(tuple, store.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2")))
                    for table in ("events", "entities", "mentions", "attributions", "reports")
                ]
            )
            rows[-1].append(store.conn.execute("SELECT record FROM documents").fetchone())
    assert rows[0] == rows[1]


def test_pipeline_parse_mixed_lengths_keeps_order(light_nlp: Any) -> None:
    texts = ["First short text.", "Second short text.", "Third short text."]
    docs = list(parse(texts, light_nlp))
    assert [d.text for d in docs] == texts


def test_pipeline_extract_many_keeps_order_and_ids() -> None:
    texts = [
        "Gunmen killed five people in Mandera, Kenya, on Monday.",
        FRENCH,
        "Police arrested 30 people in Nairobi, Kenya, on Friday.",
        "Protesters marched in Nairobi on Monday.",
    ]
    drafts = [make_draft(t, id=f"doc{i}", published=dt.date(2024, 3, 10)) for i, t in enumerate(texts)]
    out = list(extract_many(iter(drafts), batch_size=3))
    assert [d.id for d in out] == ["doc0", "doc1", "doc2", "doc3"]
    assert [d.text for d in out] == texts
    assert [d.language for d in out] == ["en", "fr", "en", "en"]
    assert out[1].events == []
    assert [d.events[0].sub_event_type for d in (out[0], out[2])] == ["Attack", "Arrests"]


def test_pipeline_extract_many_matches_extract() -> None:
    text = "Gunmen killed five people in Mandera, Kenya, on Monday."
    ctx = Context(Settings(today=dt.date(2024, 3, 10)))
    single = extract(text, published="2024-03-10", ctx=ctx)
    [draft] = extract_many([make_draft(text, published=dt.date(2024, 3, 10))], ctx=ctx)
    assert [e.model_dump() for e in draft.events] == [e.model_dump() for e in single.events]


def test_pipeline_settings_today_bounds_year_inference() -> None:
    text = "Gunmen killed five people in Mandera on Friday (July 7), police said."
    rec = extract(text, ctx=Context(Settings(today=dt.date(2024, 1, 15))))
    # July 7 fell on a Friday in 2023 (and 2017); 2023 is the latest not after "today"
    assert rec.document.published == "2023-07-07"
    assert rec.document.published_inferred is True
    later = extract(text, ctx=Context(Settings(today=dt.date(2017, 8, 1))))
    assert later.document.published == "2017-07-07"


def test_pipeline_given_published_is_not_inferred() -> None:
    rec = extract("Gunmen killed five people in Mandera on Monday.", published="2024-03-10")
    assert rec.document.published == "2024-03-10"
    assert rec.document.published_inferred is False


def test_pipeline_extract_with_text() -> None:
    text = "Gunmen killed five people in Mandera on Monday."
    assert extract(text, published="2024-03-10", with_text=True).document.text == text
    assert extract(text, published="2024-03-10").document.text is None
