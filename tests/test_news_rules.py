"""Regression tests of news-writing conventions: datelines, "police said on Sunday", one protest told over
several sentences, claims and denials, background and future statements, casualty ranges, coreference by
name, the gazetteer's disk cache, and headlines of names only.

Each test feeds `extract` a hand-written report, mostly with invented names, and checks what an analyst
reading the record would check.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.gazetteer import Gazetteer
from sitroom.model import Event, Record
from sitroom.nlp import dateline
from sitroom.pipeline import extract

PUB = "2024-03-10"  # a Sunday: "on Saturday" is 2024-03-09, "on Tuesday" 2024-03-05

TERRITORY = {
    "Non-state actor overtakes territory",
    "Government regains territory",
    "Non-violent transfer of territory",
}


def _extract(text: str, published: str = PUB) -> Record:
    return extract(text, published=published)


def _only_event(rec: Record) -> Event:
    assert len(rec.events) == 1, [(e.event_type, e.sub_event_type) for e in rec.events]
    return rec.events[0]


# ------------------------------------------------------------------ 1. datelines


def test_nlp_dateline_wire_form() -> None:
    text = "KYIV, Ukraine (AP) — Russian missiles hit the city."
    span = dateline(text)
    assert span is not None
    assert text[span[0] : span[1]] == "KYIV, Ukraine (AP) — "


def test_nlp_dateline_after_a_headline_line() -> None:
    text = "Missiles strike the capital overnight\nKALVARA, Ukraine (AP) — Russian missiles hit the city."
    span = dateline(text)
    assert span is not None
    assert text[span[0] : span[1]] == "KALVARA, Ukraine (AP) — "


def test_nlp_dateline_with_full_date_and_outlet() -> None:
    text = "KALVARA, Ukraine, March 7, 2024 (Reuters) — Drones struck a fuel depot on Tuesday."
    span = dateline(text)
    assert span is not None
    assert text[span[0] : span[1]] == "KALVARA, Ukraine, March 7, 2024 (Reuters) — "


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed five villagers in Dankoro late on Saturday, police said on Sunday.",
        "Gunmen — some of them on motorbikes — killed five villagers in Dankoro on Saturday.",
        "Police said on Sunday that the curfew would be lifted.",
    ],
)
def test_nlp_dateline_absent_from_plain_text(text: str) -> None:
    assert dateline(text) is None


def test_pipeline_dateline_country_is_not_an_actor() -> None:
    text = (
        "KALVARA, Ukraine (AP) — Russian missiles hit a power plant in Odesa on Tuesday, killing three "
        "workers, officials said."
    )
    rec = _extract(text, published="2024-03-07")
    start, end = dateline(text) or (0, 0)
    in_dateline = {
        ent.id for ent in rec.entities if all(start <= m.start and m.end <= end for m in ent.mentions)
    }
    ev = _only_event(rec)
    assert ev.actor1.name == "Military Forces of Russia"
    for event in rec.events:
        for actor in (event.actor1, event.actor2):
            if actor is None:
                continue
            assert actor.entity not in in_dateline, actor
            assert not actor.name.endswith("of Ukraine"), actor  # the state the dateline names
            if actor.text is not None:
                assert actor.text not in text[start:end], actor


@pytest.mark.parametrize(
    "lede",
    [
        "Drones struck an oil refinery on Tuesday, officials said.",
        "Soldiers opened fire on villagers on Tuesday, killing three, officials said.",
    ],
)
def test_pipeline_dateline_country_does_not_arm_unnamed_attackers(lede: str) -> None:
    plain = _extract(lede, published="2024-03-07")
    datelined = _extract("MOSCOW, Russia (AP) — " + lede, published="2024-03-07")
    assert plain.events and datelined.events
    # the attacker's nationality never comes from the dateline (the victims may be located by it)
    assert [e.actor1.name for e in datelined.events] == [e.actor1.name for e in plain.events]


def test_dates_dateline_date_is_not_the_event_date() -> None:
    text = (
        "KALVARA, Ukraine, March 7, 2024 (AP) — Russian drones struck a port warehouse in Odesa on "
        "Tuesday, killing two workers, officials said."
    )
    rec = _extract(text, published="2024-03-07")
    assert rec.events
    for ev in rec.events:
        assert ev.date.value == "2024-03-05"
        assert ev.date.text == "Tuesday"


# ------------------------------------------------------------------ 2. "police said on Sunday"


def test_dates_reporting_day_is_not_the_event_day() -> None:
    rec = _extract("Gunmen killed five villagers in Dankoro late on Saturday, police said on Sunday.")
    ev = _only_event(rec)
    assert ev.date.value == "2024-03-09"
    assert ev.date.text == "Saturday"


# ------------------------------------------------------------------ 3. one demonstration, several sentences

_MARCH = (
    "Hundreds of people gathered in central Nairobi on Tuesday to protest against a new finance bill. "
    "The protesters marched toward parliament chanting slogans. "
)


def test_events_protest_told_over_sentences_is_one_intervened_protest() -> None:
    rec = _extract(
        _MARCH + "Police in riot gear fired tear gas to disperse the crowd and arrested 30 "
        "protesters. Nobody threw a stone.",
        published="2024-06-19",
    )
    ev = _only_event(rec)
    assert ev.event_type == "Protests"
    assert ev.sub_event_type == "Protest with intervention"
    assert ev.actor1.name == "Protesters (Kenya)"
    assert ev.actor2 is not None and ev.actor2.name == "Police Forces of Kenya"
    assert ev.date.value == "2024-06-18"
    assert ev.location.name == "Nairobi"


def test_events_arrests_in_their_own_sentence_stay_part_of_the_protest() -> None:
    rec = _extract(
        _MARCH + "Police in riot gear fired tear gas to disperse the crowd. Nobody threw a stone. "
        "Police arrested 30 people, a spokesman said.",
        published="2024-06-19",
    )
    ev = _only_event(rec)
    assert ev.sub_event_type == "Protest with intervention"
    assert ev.actor1.name == "Protesters (Kenya)"


@pytest.mark.parametrize(
    "text",
    [
        "Police in riot gear watched as hundreds of teachers marched through Nairobi on Monday to demand "
        "higher pay.",
        "Hundreds of teachers marched through Nairobi on Monday to demand higher pay. Nobody threw a stone.",
        "Hundreds of teachers marched through Nairobi on Monday to demand higher pay. "
        "Police in riot gear lined "
        "the route. Nobody threw a stone, and the march ended peacefully.",
    ],
)
def test_events_riot_gear_and_unthrown_stones_leave_a_peaceful_protest(text: str) -> None:
    ev = _only_event(_extract(text))
    assert ev.event_type == "Protests"
    assert ev.sub_event_type == "Peaceful protest"
    assert ev.actor1.name == "Protesters (Kenya)"


# ------------------------------------------------------------------ 4-7. claims, blame, denials


def test_attribution_claim_of_responsibility_names_the_bomber() -> None:
    rec = _extract(
        "The Kesra Liberation Front claimed responsibility for the bombing, which killed 12 people."
    )
    ev = _only_event(rec)
    assert ev.event_type == "Explosions/Remote violence"
    assert ev.actor1.name == "Kesra Liberation Front"
    assert ev.fatalities == 12
    assert ev.status == "claimed"
    claims = [a for a in rec.attributions if a.stance == "claims"]
    assert len(claims) == 1
    assert claims[0].source is not None and "Kesra Liberation Front" in claims[0].source.text
    assert claims[0].id in ev.claims


def test_attribution_blame_makes_the_named_group_actor1_alleged() -> None:
    rec = _extract("Officials blamed the Kesra Liberation Front for the attack, which killed nine soldiers.")
    ev = _only_event(rec)
    assert ev.actor1.name == "Kesra Liberation Front"
    assert ev.status == "alleged"
    assert ev.fatalities == 9


def test_attribution_said_and_denied_by_one_source_is_not_disputed() -> None:
    text = (
        "Russia's Defense Ministry said its forces had struck military infrastructure in Kharkiv and "
        "denied targeting civilians."
    )
    rec = _extract(text)
    by_stance = {a.stance: a for a in rec.attributions}
    assert sorted(by_stance) == ["asserts", "denies"], [(a.stance, a.content.text) for a in rec.attributions]
    asserted, denied = by_stance["asserts"], by_stance["denies"]
    assert asserted.source is not None and denied.source is not None
    assert asserted.source.text == denied.source.text
    assert "Kharkiv" in asserted.content.text
    assert "denied" not in asserted.content.text and "civilians" not in asserted.content.text
    assert "targeting civilians" in denied.content.text
    ev = _only_event(rec)
    assert ev.actor1.name == "Military Forces of Russia"
    assert ev.status != "disputed"
    assert ev.location.name == "Kharkiv"


def test_attribution_denial_alone_makes_a_denied_event() -> None:
    rec = _extract("The Kesra Liberation Front denied that its fighters had attacked the village.")
    ev = _only_event(rec)
    assert ev.actor1.name == "Kesra Liberation Front"
    assert ev.status == "denied"
    assert [a.stance for a in rec.attributions] == ["denies"]


# ------------------------------------------------------------------ 8. background and future statements


@pytest.mark.parametrize(
    "text",
    [
        "The Kesra Liberation Front has killed thousands of people in the northeast since 2009.",
        "Boko Haram has killed thousands of people in the northeast since 2009.",
        "The alliance said it would hold another protest next week.",
    ],
)
def test_events_background_and_future_statements_are_not_events(text: str) -> None:
    assert _extract(text).events == []


# ------------------------------------------------------------------ 9-10. territory


def test_events_seizing_a_motorbike_is_not_a_territory_change() -> None:
    rec = _extract("Militants executed a nurse and seized his motorbike in the village of Tarkoumi.")
    assert rec.events
    assert not [e.sub_event_type for e in rec.events if e.sub_event_type in TERRITORY]
    assert rec.events[0].event_type == "Violence against civilians"


def test_places_group_name_is_not_a_place_and_the_town_is_taken() -> None:
    text = "Fighters of the Sahel Freedom Movement seized the town of Bourem in northern Mali."
    rec = _extract(text)
    group_start = text.index("Sahel Freedom Movement")
    group_end = group_start + len("Sahel Freedom Movement")
    assert not [p for p in rec.places if p.text == "Sahel"]
    assert not [p for p in rec.places if p.start < group_end and group_start < p.end]
    ev = _only_event(rec)
    assert ev.sub_event_type == "Non-state actor overtakes territory"
    assert ev.location.name == "Bourem"
    assert ev.location.country == "ML"


# ------------------------------------------------------------------ 11. casualty ranges


def test_casualties_range_across_sentences_keeps_the_lowest_figure() -> None:
    rec = _extract(
        "Five people were killed in the attack, police said. A local official said seven people died."
    )
    ev = _only_event(rec)
    assert ev.fatalities == 5
    killed = ev.casualties.killed
    assert killed is not None
    assert (killed.min, killed.max) == (5, 7)


# ------------------------------------------------------------------ 12. "Nobody has claimed"


@pytest.mark.parametrize(
    "text",
    [
        "Nobody has claimed responsibility for the attack.",
        "A bomb exploded at a bus station in Dankoro on Monday, killing four people. Nobody has claimed "
        "responsibility for the attack.",
    ],
)
def test_attribution_nobody_is_not_a_source(text: str) -> None:
    rec = _extract(text)
    sources = [a.source.text for a in rec.attributions if a.source is not None]
    assert not [s for s in sources if s.lower().startswith("nobody")], sources
    assert not [a for a in rec.attributions if a.stance == "claims"]
    assert all(e.status != "claimed" for e in rec.events)


# ------------------------------------------------------------------ 13. coreference by name


def test_entities_repeated_group_name_is_one_entity_with_exact_mentions() -> None:
    text = (
        "Kesra Liberation Front fighters attacked the village of Gubdori on Monday. Residents said the "
        "Kesra Liberation Front had burned houses."
    )
    rec = _extract(text)
    groups = [e for e in rec.entities if e.name == "Kesra Liberation Front"]
    assert len(groups) == 1
    assert [m.text for m in groups[0].mentions] == ["Kesra Liberation Front"] * 2
    assert len({m.start for m in groups[0].mentions}) == 2
    for entity in rec.entities:
        for m in entity.mentions:
            assert text[m.start : m.end] == m.text
    assert rec.events and all(e.actor1.entity == groups[0].id for e in rec.events)


def test_entities_real_group_name_twice_is_one_entity() -> None:
    text = (
        "Boko Haram fighters attacked the village of Gubdori on Monday. Residents said Boko Haram had "
        "burned houses."
    )
    rec = _extract(text)
    groups = [e for e in rec.entities if e.name == "Boko Haram"]
    assert len(groups) == 1
    assert [text[m.start : m.end] for m in groups[0].mentions] == ["Boko Haram", "Boko Haram"]


# ------------------------------------------------------------------ 14. gazetteer disk cache


@pytest.mark.slow
def test_gazetteer_disk_cache_is_written_once_reused_and_can_be_turned_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SITROOM_CACHE_DIR", str(cache))
    first = Gazetteer()
    assert not cache.exists() or not list(cache.iterdir())  # construction does no I/O
    nairobi = first.best("Nairobi")
    assert nairobi is not None and nairobi.country == "KE"
    assert len(list(cache.glob("*.pickle"))) == 1
    assert [p.suffix for p in cache.iterdir()] == [".pickle"]  # no temporary file left behind

    def no_rebuild(self: Gazetteer) -> None:
        raise AssertionError("the gazetteer was rebuilt although a cache file was there")

    with monkeypatch.context() as patch:
        patch.setattr(Gazetteer, "_build", no_rebuild)
        assert Gazetteer().best("Nairobi") == nairobi

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("SITROOM_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("HOME", str(home))
    before = sorted(cache.iterdir())
    assert Gazetteer().best("Nairobi") == nairobi
    assert sorted(cache.iterdir()) == before
    assert list(home.rglob("*")) == []


# ------------------------------------------------------------------ 15. headlines of names only


@pytest.mark.parametrize(
    "text",
    [
        "Al-Shabaab: 5 dead",
        "Harakat al-Nasr: 5 dead",
        "Jamaat Nusrat al-Wadi: 5 dead",
        "Harakat al-Nasr al-Kesri: 5 dead",
    ],
)
def test_language_headline_of_names_stays_english(text: str) -> None:
    rec = _extract(text)
    assert rec.document.language == "en"


def test_events_background_violence_with_its_own_place_is_its_own_event() -> None:
    text = (
        "The army carried out strikes against militants in Kalvara province on Friday, killing at least "
        "18 fighters, in retaliation for a bomb attack that killed three soldiers in Bourem, Mali, on "
        "Tuesday."
    )
    rec = _extract(text, published="2024-02-03")
    assert len(rec.events) == 2
    main, background = rec.events
    assert main.date.value == "2024-02-02"
    assert main.fatalities == 18  # the background attack's three dead are not this event's
    assert background.date.value == "2024-01-30"
    assert background.location.name == "Bourem"
    assert background.fatalities == 3


def test_attribution_following_quote_continues_the_speakers_quote() -> None:
    text = '"They came at night," said Amina Bello, a farmer. "They burned everything we had."'
    rec = _extract(text)
    quotes = [a for a in rec.attributions if a.quote]
    assert len(quotes) == 1
    assert quotes[0].source is not None and "Amina Bello" in quotes[0].source.text
    assert "burned everything" in quotes[0].content.text
    assert text[quotes[0].content.start : quotes[0].content.end] == quotes[0].content.text


def test_entities_group_and_body_descriptions_corefer() -> None:
    text = (
        "Al Shabaab fighters attacked a military base in Lamu on Monday. The militant group said it killed "
        "12 soldiers. The Kenyan Defence Ministry denied the claim, and the ministry said two soldiers were "
        "wounded."
    )
    rec = _extract(text)
    by_name = {e.name: [m.text for m in e.mentions] for e in rec.entities}
    assert "The militant group" in by_name["Al Shabaab"]
    assert "the ministry" in by_name["Kenyan Defence Ministry"]
