"""Coreference of descriptions: each test states a rule of sitroom.stages.coref on text written for it."""

from __future__ import annotations

import datetime as dt

import pytest

from sitroom.model import Entity, Record
from sitroom.pipeline import Context, Settings, extract


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(Settings(today=dt.date(2024, 5, 1)))


def _extract(ctx: Context, text: str) -> Record:
    return extract(text, published="2024-05-01", ctx=ctx)


def _entity(rec: Record, mention: str) -> Entity:
    found = [e for e in rec.entities if any(mention in m.text for m in e.mentions)]
    names = [(e.name, [m.text for m in e.mentions]) for e in rec.entities]
    assert found, f"no entity has a mention {mention!r}: {names}"
    return found[0]


def _same(rec: Record, a: str, b: str) -> bool:
    return _entity(rec, a).id == _entity(rec, b).id


def test_title_before_a_name_is_a_mention_of_the_person(ctx: Context) -> None:
    rec = _extract(ctx, "Three people died in the blast, police spokesman Abdi Warsame said on Monday.")
    assert _same(rec, "Abdi Warsame", "police spokesman")


def test_apposition_after_a_name_joins_it(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "\u201cTwo people lost their lives,\u201d said Juan Ortega, the local police deputy director.",
    )
    assert _same(rec, "Juan Ortega", "deputy director")


def test_description_then_name_with_an_of_phrase(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "The spokesperson of the Civilian Joint Task Force, Musa Adamu, confirmed the attack on Friday.",
    )
    assert _same(rec, "Musa Adamu", "spokesperson")


def test_definite_description_refers_back_to_an_indefinite_one(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "A local official confirmed the ambush near the village. Cattle had been stolen on Tuesday, "
        "the official added.",
    )
    official = _entity(rec, "A local official")
    assert _same(rec, "A local official", "the official")
    assert not official.named
    source = next(a.source for a in rec.attributions if a.source and a.source.text == "the official")
    assert source.entity == official.id


def test_another_is_a_new_party(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "A security source said ten soldiers were killed. Another security source said the toll was higher.",
    )
    assert not _same(rec, "A security source", "Another security source")


def test_bare_attackers_are_one_unidentified_party_and_not_a_name(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "Gunmen abducted six students from a school in Kaduna state on Thursday. Armed men broke into "
        "the dormitory at midnight, and the assailants fled into the forest.",
    )
    assert _same(rec, "Gunmen", "Armed men") and _same(rec, "Gunmen", "the assailants")
    ev = rec.events[0]
    assert ev.actor1 is not None and ev.actor1.name.startswith("Unidentified Armed Group")


def test_definite_description_refers_to_the_named_group(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "Rebels from the M23 group seized the town of Kitshanga on Thursday. The rebels took the "
        "highway a day later.",
    )
    assert _same(rec, "M23", "The rebels") and _same(rec, "M23", "Rebels")


def test_a_states_army_is_one_party_however_written(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "Venezuelan troops clashed with an armed group near the border, the military said. "
        "Venezuela's military said two soldiers were killed.",
    )
    assert _same(rec, "Venezuelan troops", "Venezuela's military")
    assert _same(rec, "Venezuelan troops", "the military")
    forces = _entity(rec, "Venezuelan troops")
    assert forces.country == "VE" and forces.kind == "state"


def test_parenthesis_renames_a_group(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "The National Liberation Army (ELN) attacked a police station in Cauca on Monday. The ELN denied it.",
    )
    assert _same(rec, "National Liberation Army", "ELN")


def test_parenthesis_spells_out_an_acronym(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "A patrol of the VDP (Volunteers for the Defense of the Motherland) fell into an ambush on Monday.",
    )
    assert _same(rec, "VDP", "Volunteers for the Defense of the Motherland")


def test_two_named_people_in_apposition_stay_two(ctx: Context) -> None:
    rec = _extract(ctx, "The talks were led by Abiy Ahmed, Isaias Afwerki and others on Monday.")
    assert not _same(rec, "Abiy Ahmed", "Isaias Afwerki")
