"""Tests of the record contract models: schema, vocabularies, and JSON round-trips."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.model import (
    CONTRACT_VERSION,
    SUB_EVENT_PARENT,
    Actor,
    Count,
    DocumentInfo,
    Event,
    EventType,
    Record,
    Span,
    SubEventType,
    json_schema,
)


def test_model_schema_has_contract_top_level_keys() -> None:
    schema = json_schema()
    props = schema["properties"]
    assert isinstance(props, dict)
    assert set(props) >= {"contract", "document", "entities", "dates", "places", "attributions", "events"}
    assert "document" in schema.get("required", [])  # type: ignore[operator]


def test_model_contract_is_1() -> None:
    assert CONTRACT_VERSION == 1
    rec = Record(document=DocumentInfo(id="d1"))
    assert rec.contract == 1
    assert rec.model_dump()["contract"] == 1


def test_model_every_sub_event_type_has_a_parent() -> None:
    assert set(SUB_EVENT_PARENT) == set(SubEventType)
    assert set(SUB_EVENT_PARENT.values()) == set(EventType)
    assert len(SubEventType) == 25
    assert len(EventType) == 6


def test_model_acled_spellings() -> None:
    assert SubEventType.AIR_STRIKE == "Air/drone strike"
    assert SubEventType.REMOTE_EXPLOSIVE == "Remote explosive/landmine/IED"
    assert SubEventType.ABDUCTION == "Abduction/forced disappearance"
    assert EventType.EXPLOSIONS == "Explosions/Remote violence"


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_count = st.builds(
    lambda lo, extra: Count(min=lo, max=None if extra is None else lo + extra),
    st.integers(0, 10_000),
    st.none() | st.integers(0, 100),
)


@settings(max_examples=50, deadline=None)
@given(
    doc_id=_text,
    title=st.none() | _text,
    sub=st.sampled_from(list(SubEventType)),
    actor=_text,
    killed=st.none() | _count,
    fatalities=st.integers(0, 10_000),
    confidence=st.floats(0.0, 1.0, allow_nan=False),
    evidence=_text,
)
def test_model_record_json_round_trip(
    doc_id: str,
    title: str | None,
    sub: SubEventType,
    actor: str,
    killed: Count | None,
    fatalities: int,
    confidence: float,
    evidence: str,
) -> None:
    event = Event(
        id="ev1",
        event_type=SUB_EVENT_PARENT[sub],
        sub_event_type=sub,
        actor1=Actor(name=actor),
        fatalities=fatalities,
        casualties={"killed": killed},
        confidence=confidence,
        evidence=[Span(start=0, end=len(evidence), text=evidence)],
    )
    rec = Record(document=DocumentInfo(id=doc_id, title=title), events=[event])
    back = Record.model_validate_json(rec.model_dump_json())
    assert back == rec
    assert back.events[0].event_type == SUB_EVENT_PARENT[SubEventType(back.events[0].sub_event_type)]
