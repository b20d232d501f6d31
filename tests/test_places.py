"""The places stage on hand-written sentences."""

from __future__ import annotations

import pytest

from sitroom.draft import Draft
from sitroom.gazetteer import Gazetteer
from sitroom.model import Place
from sitroom.nlp import load, model_name
from sitroom.pipeline import Context
from sitroom.stages import places


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(gazetteer=Gazetteer())


def _places(text: str, ctx: Context, parse: bool = True) -> list[Place]:
    d = Draft(text=text, id="t")
    if parse:
        d.doc = load(model_name())(text)
    places.run(d, ctx)
    for p in d.places:
        assert text[p.start : p.end] == p.text
    assert [p.start for p in d.places] == sorted(p.start for p in d.places)
    return d.places


def _one(found: list[Place], text: str) -> Place:
    hits = [p for p in found if p.text == text]
    assert hits, f"{text!r} not among {[p.text for p in found]}"
    return hits[0]


def test_places_country(ctx: Context) -> None:
    p = _one(_places("Fighting spread across Kenya last week.", ctx), "Kenya")
    assert p.country == "KE" and p.feature == "country" and not p.metonymy


def test_places_city_with_admin1(ctx: Context) -> None:
    p = _one(_places("Police shot dead two men in Kakamega on Monday.", ctx), "Kakamega")
    assert p.country == "KE" and p.admin1 == "Kakamega" and p.lat is not None


def test_places_region_qualifier(ctx: Context) -> None:
    p = _one(_places("A drone strike killed him in eastern Syria.", ctx), "eastern Syria")
    assert (p.name, p.country, p.qualifier, p.feature) == ("Syria", "SY", "eastern", "region")


def test_places_sea(ctx: Context) -> None:
    p = _one(_places("The drone was operating over the Black Sea.", ctx), "Black Sea")
    assert p.feature == "water" and p.lat is not None and abs(p.lat - 43.4) < 1


def test_places_metonymy_subject(ctx: Context) -> None:
    found = _places("Moscow denied that its jets were to blame.", ctx)
    assert _one(found, "Moscow").metonymy


def test_places_metonymy_object_of_urge(ctx: Context) -> None:
    found = _places("The general has urged Moscow to cease this reckless behaviour.", ctx)
    assert _one(found, "Moscow").metonymy


def test_places_in_moscow_is_not_metonymy(ctx: Context) -> None:
    p = _one(_places("Thousands protested in Moscow on Saturday.", ctx), "Moscow")
    assert not p.metonymy and p.country == "RU"


def test_places_metonymy_without_parse(ctx: Context) -> None:
    found = _places("Washington said the talks had failed.", ctx, parse=False)
    assert _one(found, "Washington").metonymy


def test_places_country_context_disambiguates(ctx: Context) -> None:
    assert ctx.gazetteer.best("Embu") is not None
    found = _places("Students rioted in Embu, Kenya, after exams were cancelled.", ctx)
    assert _one(found, "Embu").country == "KE"
    found = _places("A tornado hit Paris, Texas, on Monday.", ctx)
    assert _one(found, "Paris").country == "US"


def test_places_hierarchy_in_brackets(ctx: Context) -> None:
    found = _places("An IED exploded in Bembela (Ouahigouya, Yatenga) on Monday.", ctx)
    p = _one(found, "Ouahigouya")
    assert p.country == "BF" and p.admin1 == "Nord"


def test_places_demonym_is_not_a_place(ctx: Context) -> None:
    found = _places("Russian jets dropped flares near US drones.", ctx)
    assert all(p.text != "Russian" for p in found)


def test_places_unknown_word_is_not_a_place(ctx: Context) -> None:
    found = _places("The Zorblax committee met on Tuesday.", ctx, parse=False)
    assert found == []


def test_places_written_hierarchy_rules_out_a_namesake_abroad(ctx: Context) -> None:
    found = _places(
        "Residents of Agasha community in Guma LGA of Benue State said 23 people were killed.", ctx
    )
    assert _one(found, "Benue State").country == "NG"
    assert _one(found, "Guma").country is None  # the Chinese Guma is not in Benue State


def test_places_name_after_of_stands_on_its_own(ctx: Context) -> None:
    found = _places("Residents of Narok staged a demonstration on Thursday.", ctx)
    assert _one(found, "Narok").country == "KE"


def test_places_dateline_decides_the_country(ctx: Context) -> None:
    found = _places("SAN JOSE, Costa Rica (AP) — Police raided a house in San Rafael on Monday.", ctx)
    assert _one(found, "San Rafael").country == "CR"


def test_places_acronym_in_brackets_is_no_place(ctx: Context) -> None:
    found = _places("The Syrian Arab Army (SAA) advanced towards Palmyra on Monday.", ctx)
    assert not [p for p in found if p.text == "SAA"]


def test_places_another_spellings_namesake_abroad_is_no_place(ctx: Context) -> None:
    found = _places("Jihadists attacked the army camp at Boulkessi in Mali on Monday.", ctx)
    assert [p.country for p in found if p.text == "Boulkessi" and p.country not in (None, "ML")] == []


def test_places_camps_and_crossings_from_our_table(ctx: Context) -> None:
    found = _places("RSF fighters shelled the Zamzam Camp near El Fasher on Friday.", ctx)
    camp = _one(found, "Zamzam Camp")
    assert camp.country == "SD" and camp.lat is not None and camp.feature == "other"


def test_places_other_spellings_are_for_transliterated_names_only(ctx: Context) -> None:
    found = _places("Two men were shot on the South Side of Chicago on Monday.", ctx)
    assert [
        p.name for p in found if p.text == "South Side" and p.country == "US" and p.admin1 != "Illinois"
    ] == []


@pytest.mark.parametrize(
    ("text", "name", "state"),
    [
        ("Police said a man was shot in Springfield, Ill., on Monday.", "Springfield", "Illinois"),
        ("SPRINGFIELD, Ill. (AP) — Two men were shot dead on Monday.", "SPRINGFIELD", "Illinois"),
        ("A man was shot dead in Columbus, Ga., on Monday.", "Columbus", "Georgia"),
    ],
)
def test_places_ap_state_abbreviation_after_a_town(ctx: Context, text: str, name: str, state: str) -> None:
    p = _one(_places(text, ctx), name)
    assert p.country == "US" and p.admin1 == state
