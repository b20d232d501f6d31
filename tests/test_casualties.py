"""Tests of the casualties stage: killed and injured counts in hand-written news sentences."""

from __future__ import annotations

import pytest

from sitroom.model import Count
from sitroom.stages.casualties import number, tolls


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("12", Count(min=12, max=12)),
        ("1,200", Count(min=1200, max=1200)),
        ("three", Count(min=3, max=3)),
        ("Three", Count(min=3, max=3)),
        ("twenty-one", Count(min=21, max=21)),
        ("a dozen", Count(min=12, max=12)),
        ("dozens", Count(min=12, max=None)),
        ("hundreds", Count(min=100, max=None)),
        ("several", Count(min=3, max=None)),
        ("no", Count(min=0, max=0)),
    ],
)
def test_casualties_number_words(word: str, count: Count) -> None:
    assert number(word) == count


def test_casualties_number_unknown_word_is_none() -> None:
    assert number("villagers") is None


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Gunmen killed 12 people in the village.", Count(min=12, max=12)),
        ("The attack left 17 people dead.", Count(min=17, max=17)),
        ("The death toll rose to 40.", Count(min=40, max=40)),
        ("A man was shot dead in Nairobi.", Count(min=1, max=1)),
        ("Nobody was killed in the blast.", Count(min=0, max=0)),
        ("He was among 14 soldiers killed.", Count(min=14, max=14)),
    ],
)
def test_casualties_exact_counts(text: str, killed: Count) -> None:
    assert tolls(text).killed == killed


def test_casualties_at_least_is_open_ended() -> None:
    toll = tolls("At least 12 people were killed in the attack.")
    assert toll.killed == Count(min=12, max=None)


def test_casualties_more_than_is_above_the_figure() -> None:
    toll = tolls("More than 20 people were killed.")
    assert toll.killed is not None
    assert toll.killed.min > 20
    assert toll.killed.max is None


def test_casualties_vague_words_are_coded_low() -> None:
    assert tolls("Dozens were wounded in the blast.").injured == Count(min=12, max=None)
    assert tolls("Hundreds of people were injured.").injured == Count(min=100, max=None)


def test_casualties_killed_and_injured_in_one_clause() -> None:
    toll = tolls("The explosion killed at least seven people and wounded 20 others.")
    assert toll.killed == Count(min=7, max=None)
    assert toll.injured == Count(min=20, max=20)


def test_casualties_left_dead_and_injured() -> None:
    toll = tolls("The blast left two dead and 11 injured.")
    assert toll.killed == Count(min=2, max=2)
    assert toll.injured == Count(min=11, max=11)


def test_casualties_coordinated_groups_are_summed() -> None:
    toll = tolls("Two soldiers and three civilians were killed in the ambush.")
    assert toll.killed == Count(min=5, max=5)
    assert toll.civilians_killed == Count(min=3, max=3)


def test_casualties_coordinated_group_with_qualifier_is_open_ended() -> None:
    toll = tolls("Six soldiers and at least 10 militants were killed in the fighting.")
    assert toll.killed == Count(min=16, max=None)
    assert toll.civilians_killed is None


def test_casualties_civilian_victims_are_counted_as_civilians() -> None:
    toll = tolls("Militants killed 40 villagers and abducted 12 women.")
    assert toll.killed == Count(min=40, max=40)
    assert toll.civilians_killed == Count(min=40, max=40)


@pytest.mark.parametrize(
    "text",
    [
        "The gunman opened fire, killing 14-year-old Destiny Harris.",
        "Gunmen killed a 15-year-old boy.",
        "A 25-year-old man was killed.",
    ],
)
def test_casualties_age_is_not_a_count(text: str) -> None:
    assert tolls(text).killed == Count(min=1, max=1)


def test_casualties_no_civilians_killed_is_zero() -> None:
    toll = tolls("No civilians were killed in the operation.")
    assert toll.civilians_killed == Count(min=0, max=0)


def test_casualties_shot_but_alive_are_injured() -> None:
    toll = tolls("Four people were shot on Saturday night and one was killed, police said.")
    assert toll.killed == Count(min=1, max=1)
    assert toll.injured == Count(min=3, max=3)


def test_casualties_singular_killed_and_others_wounded() -> None:
    toll = tolls("A soldier was killed and two others were wounded.")
    assert toll.killed == Count(min=1, max=1)
    assert toll.injured == Count(min=2, max=2)


@pytest.mark.parametrize(
    "text",
    [
        "Five killed in Mandera bus attack\nFive people were killed when gunmen attacked a bus in Mandera.",
        "The blast killed 5 people. Officials said five people were killed in the blast.",
        "Five people were killed in the attack. The attack left five people dead.",
    ],
)
def test_casualties_repeated_toll_is_not_doubled(text: str) -> None:
    assert tolls(text).killed == Count(min=5, max=5)


def test_casualties_evidence_spans_are_offset_into_the_document() -> None:
    prefix = "NAIROBI (Reuters) - "
    sentence = "At least 12 people were killed and dozens wounded in the shelling."
    doc = prefix + sentence
    toll = tolls(sentence, offset=len(prefix))
    assert toll.spans
    for start, end in toll.spans:
        assert len(prefix) <= start < end <= len(doc)
    covered = " ".join(doc[s:e] for s, e in toll.spans)
    assert "12" in covered
    assert "killed" in covered


def test_casualties_sentence_without_toll_is_empty() -> None:
    toll = tolls("Protesters marched peacefully through the capital on Monday.")
    assert toll.killed is None
    assert toll.injured is None
    assert toll.spans == ()


def test_casualties_shot_dead_before_count() -> None:
    assert tolls("Police shot dead two men in Nairobi on Monday.").killed == Count(min=2, max=2)


def test_casualties_shot_then_one_of_them_died() -> None:
    toll = tolls("Four people were shot on Saturday night; one of them died.")
    assert toll.killed == Count(min=1, max=1)
    assert toll.injured == Count(min=3, max=3)


def test_casualties_coordinated_clauses_with_different_verbs() -> None:
    toll = tolls("Two police officers were injured and four protesters were killed.")
    assert toll.killed == Count(min=4, max=4)
    assert toll.injured == Count(min=2, max=2)


def test_casualties_no_one_hurt_is_zero() -> None:
    toll = tolls("No one was hurt.")
    assert toll.injured in (None, Count(min=0, max=0))


def test_casualties_year_is_not_a_count() -> None:
    assert tolls("Fighting in 2019 killed 300 people.").killed == Count(min=300, max=300)


def test_casualties_including_aside() -> None:
    toll = tolls("Three people, including two children, were killed.")
    assert toll.killed == Count(min=3, max=3)


def test_casualties_named_victim_and_others_add_up() -> None:
    t = tolls("The raid killed a senior commander and three other fighters.")
    assert t.killed == Count(min=4, max=4)


def test_casualties_pluperfect_deaths() -> None:
    assert tolls("the hospital said nine had died").killed == Count(min=9, max=9)
    assert tolls("Two had been wounded").injured == Count(min=2, max=2)
    assert tolls("five have left the city").killed is None
    # the perfect tells a running total ("1,300 people have died since 2015"), not an event's toll
    assert tolls("More than 1,300 people have died since 2015").killed is None


@pytest.mark.parametrize(
    "text",
    [
        "A 15-year-old was killed Sunday in an accidental shooting.",
        "Teen killed in shooting identified",
        "Eighth grader dead after shooting at Lexington home",
        "Police say the shooting claimed the life of 17-year-old Destiny Nelson.",
        "A man was charged in the fatal shooting of Detavious Milner.",
        "The shooting that killed Brandon Crawford was an accident.",
        "He was later pronounced dead at the hospital.",
    ],
)
def test_casualties_one_person_dead_without_a_number(text: str) -> None:
    assert tolls(text).killed == Count(min=1, max=1)


def test_casualties_a_name_after_killed_is_not_a_weekday() -> None:
    assert tolls("Gunmen killed Tuesday Morning shoppers.").killed is None


def test_casualties_shot_then_died_in_another_sentence_is_one_person() -> None:
    from sitroom.pipeline import extract

    record = extract(
        "A man was shot in Dayton on Monday, police said. He was later pronounced dead at the hospital.",
        published="2016-05-03",
    )
    cas = record.events[0].casualties
    assert cas.killed == Count(min=1, max=1) and cas.injured is None


@pytest.mark.parametrize(
    "text",
    [
        "A 16-year-old boy was taken to the hospital after he was shot Thursday night.",
        "A teenage boy was found shot.",
        "A 4-year-old found a gun and accidentally shot himself.",
        "A man accidentally shot the friend in the leg.",
        "The 10-year-old daughter shot her younger sister Friday.",
    ],
)
def test_casualties_one_person_shot_without_a_number_is_injured(text: str) -> None:
    toll = tolls(text)
    assert toll.injured == Count(min=1, max=1) and toll.killed is None


def test_casualties_shot_dead_is_not_injured() -> None:
    toll = tolls("He was shot dead outside his home.")
    assert toll.killed == Count(min=1, max=1) and toll.injured is None


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Officials said four people were found shot dead at an apartment.", 4),
        ("Deputies arrested two people in connection with a double homicide.", 2),
        ("The triple murder shocked the town.", 3),
        ("Otter Tail County Boy Dies After Being Accidentally Shot", 1),
        ("Hope, AR man dies in reported accidental shooting", 1),
        ("Fresno County deputy dies in accidental shooting", 1),
        ("Police ID teen fatally shot in SW Houston", 1),
        ("Coroner: 12-year-old boy dead in what police say was an accident", 1),
    ],
)
def test_casualties_counts_written_as_words_of_their_own(text: str, killed: int) -> None:
    toll = tolls(text)
    assert toll.killed == Count(min=killed, max=killed) and toll.injured is None


@pytest.mark.parametrize(
    "text",
    [
        "A 5-year-old boy remained in critical condition Sunday night.",
        "A 16-year-old female was found shot in the leg.",
        "Officer Mike Flamion was critically injured during a shooting.",
    ],
)
def test_casualties_one_person_hurt_in_other_words(text: str) -> None:
    toll = tolls(text)
    assert toll.injured == Count(min=1, max=1) and toll.killed is None


def test_casualties_including_aside_is_part_of_the_group_not_more() -> None:
    toll = tolls("Six people, including an elderly woman and her granddaughter, were wounded on Sunday.")
    assert toll.injured == Count(min=6, max=6)
    toll = tolls("One man died and four others, including one woman, were injured in the shooting.")
    assert (toll.killed, toll.injured) == (Count(min=1, max=1), Count(min=4, max=4))


def test_casualties_coordinated_groups_shot_add_up() -> None:
    toll = tolls("Two children and a woman were shot Sunday at a park.")
    assert toll.injured == Count(min=3, max=3)


def test_casualties_headline_figures_and_pairs() -> None:
    toll = tolls("4 shot near Bessemer, one dead")
    assert (toll.killed, toll.injured) == (Count(min=1, max=1), Count(min=3, max=3))
    assert tolls("Man, woman killed in Miami shooting").killed == Count(min=2, max=2)
    assert tolls("17-year-old shot, killed inside house").killed == Count(min=1, max=1)
    toll = tolls("4-year-old who accidentally shot himself dies")
    assert (toll.killed, toll.injured) == (Count(min=1, max=1), None)


def test_casualties_shot_to_death() -> None:
    toll = tolls("Three people were found shot to death and a fourth person was injured.")
    assert (toll.killed, toll.injured) == (Count(min=3, max=3), Count(min=1, max=1))


def test_casualties_fired_a_shot_is_no_victim() -> None:
    toll = tolls("The officer fired a shot into the air and two shots hit a car.")
    assert (toll.killed, toll.injured) == (None, None)
