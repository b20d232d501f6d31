"""Tests of the events stage through `extract`: ACLED coding of hand-written news sentences."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest

from sitroom.model import SUB_EVENT_PARENT, Record, SubEventType
from sitroom.pipeline import Context, Settings, extract
from sitroom.stages import events
from sitroom.stages.events import group_name

PUB = "2024-03-10"  # a Sunday: "on Monday" is 2024-03-04


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(Settings(today=dt.date(2024, 3, 10)))


def _extract(ctx: Context, text: str, published: str | None = PUB) -> Record:
    return extract(text, published=published, ctx=ctx)


SUB_TYPES = [
    (
        "Russian warplanes carried out an air strike on a market in Syria on Monday, killing five civilians.",
        "Air/drone strike",
    ),
    ("A drone strike killed three militants in Mogadishu, Somalia, on Tuesday.", "Air/drone strike"),
    (
        "Ukrainian forces shelled the city of Donetsk on Friday, killing two people.",
        "Shelling/artillery/missile attack",
    ),
    (
        "An IED exploded near a police convoy in Mandera, Kenya, on Monday, killing three officers.",
        "Remote explosive/landmine/IED",
    ),
    ("A roadside bomb killed four soldiers near Kidal, Mali, on Sunday.", "Remote explosive/landmine/IED"),
    (
        "A suicide bomber blew himself up at a market in Maiduguri, Nigeria, on Friday, killing 12 people.",
        "Suicide bomb",
    ),
    (
        "Soldiers clashed with Al Shabaab militants in Mandera, Kenya, on Monday, "
        "leaving six militants dead.",
        "Armed clash",
    ),
    ("Gunmen attacked villagers in Zamfara, Nigeria, on Tuesday, killing 14 people.", "Attack"),
    (
        "Gunmen abducted 20 students from a school in Kaduna, Nigeria, on Thursday.",
        "Abduction/forced disappearance",
    ),
    (
        "Hundreds of teachers held a peaceful protest in Nairobi, Kenya, on Monday over unpaid salaries.",
        "Peaceful protest",
    ),
    ("Police dispersed protesters with tear gas in Nairobi on Monday.", "Protest with intervention"),
    (
        "Rioters threw stones at police and burned tyres in Kisumu, Kenya, on Tuesday.",
        "Violent demonstration",
    ),
    ("A mob lynched a suspected thief in Nairobi, Kenya, on Wednesday.", "Mob violence"),
    ("Police arrested 30 people in Nairobi, Kenya, on Friday.", "Arrests"),
    ("Soldiers defused an IED planted on a road near Kidal, Mali, on Sunday.", "Disrupted weapons use"),
    ("Attackers burned houses in the village of Dogo, Nigeria, on Saturday.", "Looting/property destruction"),
    (
        "Al Shabaab fighters overran a military base in Somalia on Saturday.",
        "Non-state actor overtakes territory",
    ),
]


@pytest.mark.parametrize(("text", "sub"), SUB_TYPES)
def test_events_sub_event_type_of_clear_reports(ctx: Context, text: str, sub: str) -> None:
    rec = _extract(ctx, text)
    assert rec.events, text
    assert rec.events[0].sub_event_type == sub


@pytest.mark.parametrize(("text", "sub"), SUB_TYPES)
def test_events_event_type_is_parent_of_sub_type(ctx: Context, text: str, sub: str) -> None:
    for ev in _extract(ctx, text).events:
        assert ev.event_type == SUB_EVENT_PARENT[SubEventType(ev.sub_event_type)]


def test_events_militants_seize_a_town(ctx: Context) -> None:
    rec = _extract(ctx, "JNIM militants seized the town of Djibo in Burkina Faso on Saturday.")
    assert [e.sub_event_type for e in rec.events] == ["Non-state actor overtakes territory"]


def test_events_rebels_killing_civilians_is_an_attack(ctx: Context) -> None:
    rec = _extract(ctx, "Rebels killed 12 civilians in Goma, the army alleged.")
    assert rec.events[0].sub_event_type == "Attack"


# ---------------------------------------------------------------- actors


def test_events_protest_actor_is_protesters_of_the_country(ctx: Context) -> None:
    ev = _extract(ctx, SUB_TYPES[9][0]).events[0]
    assert ev.actor1.name == "Protesters (Kenya)"
    assert ev.actor2 is None


def test_events_intervention_names_police_of_the_country(ctx: Context) -> None:
    ev = _extract(ctx, "Police dispersed protesters with tear gas in Nairobi on Monday.").events[0]
    assert ev.actor1.name == "Protesters (Kenya)"
    assert ev.actor2 is not None and ev.actor2.name == "Police Forces of Kenya"


def test_events_attack_on_villagers_names_civilians(ctx: Context) -> None:
    ev = _extract(ctx, SUB_TYPES[7][0]).events[0]
    assert ev.actor1.name == "Unidentified Armed Group (Nigeria)"
    assert ev.actor2 is not None and ev.actor2.name == "Civilians (Nigeria)"


def test_events_clash_names_the_armed_group(ctx: Context) -> None:
    ev = _extract(ctx, SUB_TYPES[6][0]).events[0]
    assert ev.actor1.name == "Military Forces of Kenya"
    assert ev.actor2 is not None and ev.actor2.name == "Al Shabaab"
    assert ev.actor2.entity is not None


def test_events_named_group_is_actor1(ctx: Context) -> None:
    ev = _extract(ctx, "Ansaroul Islam militants attacked a village near Djibo on Monday.").events[0]
    assert ev.actor1.name == "Ansaroul Islam"


def test_events_lynching_victim_is_a_civilian(ctx: Context) -> None:
    ev = _extract(ctx, "A mob lynched a suspected thief in Nairobi, Kenya, on Wednesday.").events[0]
    assert ev.actor1.name == "Rioters (Kenya)"
    assert ev.actor2 is not None and ev.actor2.name == "Civilians (Kenya)"


def test_events_group_name() -> None:
    assert group_name("Rioters", "Kenya") == "Rioters (Kenya)"
    assert group_name("Police Forces", None) == "Police Forces"
    assert group_name("Military Forces", "Mali") == "Military Forces of Mali"
    assert group_name("Civilians", None) == "Civilians"


def test_events_group_name_doctest() -> None:
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner()
    for test in finder.find(group_name, "group_name", globs={"group_name": group_name}):
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
    assert runner.summarize(verbose=False).attempted > 0


# ---------------------------------------------------------------- fatalities


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        ("At least 12 people were killed when gunmen attacked a bus in Nairobi on Monday.", 12),
        ("Dozens of villagers were killed when gunmen attacked Dogo, Nigeria, on Monday.", 12),
        ("Gunmen abducted 20 students from a school in Kaduna, Nigeria, on Thursday.", 0),
        ("Police arrested 30 people in Nairobi, Kenya, on Friday.", 0),
    ],
)
def test_events_fatalities_are_the_conservative_figure(ctx: Context, text: str, fatalities: int) -> None:
    assert _extract(ctx, text).events[0].fatalities == fatalities


def test_events_at_least_keeps_the_open_range(ctx: Context) -> None:
    text = "At least 12 people were killed when gunmen attacked a bus in Nairobi on Monday."
    ev = _extract(ctx, text).events[0]
    assert ev.casualties.killed is not None
    assert (ev.casualties.killed.min, ev.casualties.killed.max) == (12, None)


def test_events_conflicting_tolls_take_the_lower(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "Gunmen killed five people in Mandera, Kenya, on Monday, police said. "
        "Seven people were killed in the attack, a local official said.",
    )
    assert rec.events[0].fatalities == 5


def test_events_background_killing_is_not_the_arrests_toll(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "Police arrested three suspects in Nairobi on Wednesday after gunmen killed five "
        "people in Mandera on Monday.",
    )
    arrests = [e for e in rec.events if e.sub_event_type == "Arrests"]
    assert arrests and arrests[0].fatalities == 0


# ---------------------------------------------------------------- date and location


def test_events_date_from_the_sentence(ctx: Context) -> None:
    ev = _extract(ctx, "Gunmen killed five people in Kenya on Monday.").events[0]
    assert ev.date.value == "2024-03-04"
    assert ev.date.precision == "day"
    assert ev.date.text == "Monday"


def test_events_date_after_infinitive_is_past(ctx: Context) -> None:
    ev = _extract(ctx, "Police fired tear gas to disperse protesters in Nairobi on Monday.").events[0]
    assert ev.date.value == "2024-03-04"


def test_events_town_location_has_country_and_precision_1(ctx: Context) -> None:
    ev = _extract(ctx, "Police arrested 30 people in Nairobi, Kenya, on Friday.").events[0]
    assert ev.location.name == "Nairobi"
    assert ev.location.country == "KE"
    assert ev.location.geo_precision == 1
    assert ev.location.lat is not None and ev.location.lon is not None


def test_events_country_only_location_has_precision_3(ctx: Context) -> None:
    ev = _extract(ctx, "Protesters marched in Kenya on Monday.").events[0]
    assert ev.location.country == "KE"
    assert ev.location.geo_precision == 3


def test_events_capital_as_actor_is_not_the_location(ctx: Context) -> None:
    rec = _extract(ctx, "Moscow denied on Tuesday that Russian jets struck a hospital in Kharkiv.")
    ev = rec.events[0]
    assert ev.location.name != "Moscow"
    assert ev.location.country == "UA"
    assert ev.actor1.name == "Military Forces of Russia"


# ---------------------------------------------------------------- status and claims


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Gunmen killed five people in Kenya on Monday.", "reported"),
        ("Soldiers killed 12 militants in Borno, Nigeria, on Monday, the army said.", "claimed"),
        ("Rebels killed 12 civilians in Goma, the army alleged.", "alleged"),
        (
            "The army alleged that rebels killed 12 civilians in Goma on Monday, "
            "but the rebels denied the claim.",
            "disputed",
        ),
    ],
)
def test_events_status_from_attributions(ctx: Context, text: str, status: str) -> None:
    assert _extract(ctx, text).events[0].status == status


def test_events_own_voice_report_is_reported(ctx: Context) -> None:
    rec = _extract(ctx, "Gunmen attacked villagers in Zamfara, Nigeria, on Tuesday, killing 14 people.")
    assert rec.attributions == []
    assert rec.events[0].status == "reported"


def test_events_claims_reference_existing_attributions(ctx: Context) -> None:
    texts = [
        "Soldiers killed 12 militants in Borno, Nigeria, on Monday, the army said.",
        "The army alleged that rebels killed 12 civilians in Goma on Monday, but the rebels denied the "
        "claim.",
    ]
    for text in texts:
        rec = _extract(ctx, text)
        ids = {a.id for a in rec.attributions}
        assert rec.events[0].claims
        assert set(rec.events[0].claims) <= ids


@pytest.mark.parametrize(
    "text",
    [t for t, _ in SUB_TYPES]
    + [
        "Five killed in Mandera attack\n\n"
        "Gunmen killed five people in Mandera, Kenya, on Monday, police said.",
    ],
)
def test_events_evidence_spans_index_the_text(ctx: Context, text: str) -> None:
    for ev in _extract(ctx, text).events:
        assert ev.evidence
        for span in ev.evidence:
            assert text[span.start : span.end] == span.text


# ---------------------------------------------------------------- several events, merging


def test_events_several_events_in_text_order(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "Gunmen killed five people in Mandera, Kenya, on Monday. "
        "Police later arrested three suspects in Nairobi on Wednesday.",
    )
    assert [e.sub_event_type for e in rec.events] == ["Attack", "Arrests"]
    assert [e.id for e in rec.events] == ["ev1", "ev2"]
    assert rec.events[0].fatalities == 5
    assert rec.events[1].fatalities == 0
    assert rec.events[1].location.name == "Nairobi"


def test_events_mentions_of_one_event_are_merged(ctx: Context) -> None:
    text = (
        "Militants ambushed a police patrol in Mandera, Kenya, on Monday, killing four officers. "
        "The attack was claimed by Al Shabaab. Four officers died in the ambush, police said."
    )
    rec = _extract(ctx, text)
    assert len(rec.events) == 1
    ev = rec.events[0]
    assert ev.fatalities == 4
    assert len(ev.evidence) >= 2


def test_events_headline_and_lede_are_one_event(ctx: Context) -> None:
    text = (
        "Five killed in Mandera attack\n\n"
        "Gunmen killed five people in Mandera, Kenya, on Monday, police said."
    )
    rec = _extract(ctx, text)
    assert len(rec.events) == 1
    assert rec.events[0].fatalities == 5


def test_events_stage_without_a_doc_does_nothing(ctx: Context) -> None:
    from sitroom.draft import Draft

    draft = Draft(text="Gunmen killed five people.", id="d")
    events.run(draft, ctx)
    assert draft.events == []


def test_events_one_event_per_place_named_side_by_side(ctx: Context) -> None:
    """ACLED codes one event per location; a total told for several places is divided evenly."""
    rec = _extract(ctx, "Gunmen killed seven people in Kano and Kaduna on Monday.")
    places = sorted((e.location.name or "", e.fatalities) for e in rec.events)
    assert [p for p, _ in places] == ["Kaduna", "Kano"]
    assert sorted(f for _, f in places) == [3, 4]


def test_events_undated_event_takes_the_report_date_without_evidence(ctx: Context) -> None:
    rec = _extract(ctx, "Gunmen killed three people in Nairobi, police said.")
    date = rec.events[0].date
    assert (date.value, date.precision, date.text) == (PUB, "day", None)
    undated = _extract(ctx, "Gunmen killed three people in Nairobi.", published=None)
    assert undated.events[0].date.value is None


def test_events_nominal_event_with_its_own_place_and_day_is_its_own_event(ctx: Context) -> None:
    """ "The attack in Kaduna on Tuesday killed ..." names an event of its own, not the last one."""
    rec = _extract(
        ctx, "Gunmen killed five people in Kano on Monday. The attack in Kaduna on Tuesday killed three."
    )
    got = sorted((e.location.name, e.date.value, e.fatalities) for e in rec.events)
    assert got == [("Kaduna", "2024-03-05", 3), ("Kano", "2024-03-04", 5)]
    # without a place or day of its own, "the attack" still points back
    rec = _extract(
        ctx, "Gunmen killed five people in Kano on Monday. The attack was condemned by the governor."
    )
    assert len(rec.events) == 1


def test_events_sentence_that_only_recalls_an_earlier_event(ctx: Context) -> None:
    """ "The attack follows the killing on Monday of ..." tells an earlier event with its own day;
    it adds nothing to the report's own attack (regression: issue 5, its date went to the main event)."""
    rec = _extract(
        ctx,
        "Gunmen killed 16 people in a village on Friday, the mayor said.\n\n"
        "The attack follows the killing on Monday of 37 civilians in the same region.",
    )
    assert sorted(e.date.value or "" for e in rec.events) == ["2024-03-04", "2024-03-08"]
    assert rec.events[0].date.value == "2024-03-08" and rec.events[0].fatalities == 16


def test_events_subject_of_died_in_an_attack_is_the_victim(ctx: Context) -> None:
    rec = _extract(ctx, "Eight soldiers died in an attack near Gorgadji on Wednesday.")
    ev = rec.events[0]
    assert ev.actor2 is not None and "Military Forces" in ev.actor2.name
    assert "Military Forces" not in ev.actor1.name


def test_events_clause_events_keep_their_own_toll_place_and_day(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "Rebels attacked a village in Goma on Monday, killing 3 civilians, and the army bombed their "
        "camp in Rutshuru on Tuesday, killing 10 rebels.",
    )
    got = sorted((e.location.name, e.date.value, e.fatalities) for e in rec.events)
    assert got == [("Goma", "2024-03-04", 3), ("Rutshuru", "2024-03-05", 10)]


def test_events_places_listed_in_another_clause_do_not_split_the_event(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "Gunmen attacked villages in Kano on Monday, killing 7 people, while in Abuja and Lagos traders "
        "closed.",
    )
    assert [(e.location.name, e.fatalities) for e in rec.events] == [("Kano", 7)]


def test_events_unknown_village_is_kept_at_its_parent(ctx: Context) -> None:
    ev = _extract(
        ctx,
        "Gunmen killed a community leader in Okha village, Ovia South West local government area "
        "of Edo State.",
    ).events[0]
    assert ev.location.name == "Okha" and ev.location.text == "Okha village"
    assert ev.location.country == "NG" and ev.location.admin1 == "Edo" and ev.location.geo_precision == 2


def test_events_place_the_actors_come_from_is_not_the_events(ctx: Context) -> None:
    ev = _extract(
        ctx, "Gunmen from Somalia kidnapped 40 people in Hullugho on Monday while they travelled to Masalani."
    ).events[0]
    assert ev.location.country != "SO"


@pytest.mark.parametrize(
    "text",
    [
        "A roadside bomb killed three soldiers in Helmand province, a spokesman said in Kabul on Monday.",
        "Speaking in Kabul, the governor said a roadside bomb killed three soldiers in Helmand province.",
    ],
)
def test_events_place_where_it_was_told_is_not_the_events(ctx: Context, text: str) -> None:
    ev = _extract(ctx, text).events[0]
    assert ev.location.name == "Helmand"


def test_events_camp_is_more_specific_than_the_town_near_it(ctx: Context) -> None:
    ev = _extract(
        ctx, "RSF fighters shelled the Zamzam camp near El Fasher on Friday, killing 40 civilians."
    ).events[0]
    assert ev.location.name == "Zamzam camp" and ev.location.country == "SD"


def test_event_date_is_never_the_pages_posted_date() -> None:
    from sitroom.pipeline import extract

    text = (
        "Four people shot in Tangelo Park Posted: Monday, March 2, 2015 12:06 AM EST\n\n"
        "Four people were shot in Tangelo Park, deputies said. The shooting happened Sunday night."
    )
    record = extract(text, published="2015-03-02")
    assert record.events and record.events[0].date.value == "2015-03-01"


def test_event_date_is_not_the_day_of_the_arrest_or_charge() -> None:
    from sitroom.pipeline import extract

    record = extract(
        "A man was charged Thursday in the fatal shooting of his neighbor on Saturday in Dayton.",
        published="2016-05-06",
    )
    assert record.events and record.events[0].date.value == "2016-04-30"
    arrest = extract("Police arrested two men on Friday in Dayton.", published="2016-05-08")
    assert arrest.events and arrest.events[0].date.value == "2016-05-06"  # the arrest's own day


def test_event_date_is_not_the_day_a_victim_remained_in_hospital() -> None:
    record = extract(
        "A boy was shot on Saturday in Dallas. He remained in critical condition on Monday.",
        published="2016-02-08",
    )
    assert record.events and record.events[0].date.value == "2016-02-06"


def test_an_investigated_shooting_with_its_own_date_is_the_event() -> None:
    record = extract(
        "1 Dead, 3 Hospitalized in Lauderhill Club Shooting\n\n"
        "Police are investigating a fatal shooting at a Lauderhill strip club early Saturday morning.",
        published="2016-11-07",
    )
    assert record.events and record.events[0].date.value == "2016-11-05"
    ev = record.events[0]
    assert ev.casualties.killed is not None and ev.casualties.killed.min == 1


def test_a_killing_told_in_an_investigated_shooting_clause_keeps_its_toll() -> None:
    record = extract(
        "Deputies are investigating a shooting which killed one man and injured three others near "
        "Bessemer on Saturday.",
        published="2016-02-21",
    )
    ev = record.events[0]
    assert ev.casualties.killed is not None and ev.casualties.killed.min == 1
    assert ev.casualties.injured is not None and ev.casualties.injured.min == 3


def test_a_headline_toll_before_any_event_joins_the_first_event() -> None:
    record = extract(
        "5 shot in west Baltimore\n\nCity police are searching for a lone gunman after a shooting in "
        "west Baltimore on Friday.",
        published="2015-10-03",
    )
    assert len(record.events) == 1
    assert record.events[0].casualties.injured is not None and record.events[0].casualties.injured.min == 5
