"""Tests of the dates stage on hand-written sentences (with and without a spaCy parse)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sitroom.draft import Draft
from sitroom.pipeline import Context, Settings
from sitroom.stages import dates
from sitroom.stages.dates import resolve

PUB = dt.date(2023, 7, 8)  # a Saturday
SHARED = (Path(__file__).parents[1] / ".." / "shared").resolve()


def _ctx() -> Context:
    return Context(Settings(today=dt.date(2026, 11, 27)))


def _run(text: str, published: dt.date | None = PUB) -> Draft:
    draft = Draft(text=text, id="t", published=published)
    dates.run(draft, _ctx())
    return draft


def _values(text: str, published: dt.date | None = PUB) -> dict[str, tuple[str | None, str | None]]:
    return {d.text: (d.value, d.precision) for d in _run(text, published).dates}


@pytest.mark.parametrize(
    ("text", "expr", "value", "precision"),
    [
        ("Troops arrived on July 7.", "July 7", "2023-07-07", "day"),
        ("The attack came on 7 July 2023.", "7 July 2023", "2023-07-07", "day"),
        ("The attack came on July 7, 2023, at dawn.", "July 7, 2023", "2023-07-07", "day"),
        ("It was filed on 2023-07-07.", "2023-07-07", "2023-07-07", "day"),
        ("It was filed on 07/06/2023.", "07/06/2023", "2023-07-06", "day"),
        ("The town fell in March 2019.", "March 2019", "2019-03", "month"),
        ("The town fell in 2019.", "2019", "2019", "year"),
        ("The drone crashed in March.", "March", "2023-03", "month"),
        ("The drone crashed in December.", "December", "2022-12", "month"),
        ("Fighting resumed in mid-September.", "mid-September", "2022-09", "month"),
        ("Fighting resumed in early March.", "early March", "2023-03", "month"),
    ],
)
def test_dates_explicit_forms(text: str, expr: str, value: str, precision: str) -> None:
    assert _values(text)[expr] == (value, precision)


@pytest.mark.parametrize(
    ("text", "expr", "value"),
    [
        ("Rebels attacked on Wednesday.", "Wednesday", "2023-07-05"),
        ("Rebels attacked Friday.", "Friday", "2023-07-07"),
        ("Rebels attacked on Saturday.", "Saturday", "2023-07-08"),
        ("Rebels attacked last Friday.", "last Friday", "2023-07-07"),
        ("The strike on Friday (July 7) killed two.", "Friday (July 7)", "2023-07-07"),
        ("Talks opened Thursday, July 6, in Doha.", "Thursday, July 6", "2023-07-06"),
    ],
)
def test_dates_weekdays(text: str, expr: str, value: str) -> None:
    assert _values(text)[expr] == (value, "day")


@pytest.mark.parametrize(
    ("text", "expr", "value", "precision"),
    [
        ("Police said today that two died.", "today", "2023-07-08", "day"),
        ("Police said yesterday that two died.", "yesterday", "2023-07-07", "day"),
        ("Shelling continued tonight.", "tonight", "2023-07-08", "day"),
        ("Shelling continued last night.", "last night", "2023-07-07", "day"),
        ("Shelling continued this morning.", "this morning", "2023-07-08", "day"),
        ("The town was shelled three days ago.", "three days ago", "2023-07-05", "day"),
        ("Clashes erupted last week.", "last week", "2023-W26", "week"),
        ("Clashes erupted this month.", "this month", "2023-07", "month"),
        ("Clashes erupted last month.", "last month", "2023-06", "month"),
        ("Clashes erupted earlier this year.", "earlier this year", "2023", "year"),
        ("Clashes erupted this year.", "this year", "2023", "year"),
        ("Clashes erupted last year.", "last year", "2022", "year"),
        ("The convoy was hit on the 5th.", "the 5th", "2023-07-05", "day"),
    ],
)
def test_dates_relative_to_publication(text: str, expr: str, value: str, precision: str) -> None:
    assert _values(text)[expr] == (value, precision)


def test_dates_narrative_days_follow_the_last_date() -> None:
    text = (
        "Militants struck on July 2. Jets had bombed the area earlier in the day. "
        "The day before, a convoy was ambushed. Later that day, the town fell."
    )
    got = _values(text)
    assert got["earlier in the day"] == ("2023-07-02", "day")
    assert got["The day before"] == ("2023-07-01", "day")
    assert got["Later that day"] == ("2023-07-01", "day")


def test_dates_same_day_without_earlier_date_is_publication_day() -> None:
    assert _values("Two more bombs went off the same day.")["the same day"] == ("2023-07-08", "day")


def test_dates_ranges_have_until() -> None:
    for text, expr in (
        ("Talks ran from 5 to 7 July.", "from 5 to 7 July"),
        ("Talks ran July 5-7.", "July 5-7"),
    ):
        (found,) = [d for d in _run(text).dates if d.text == expr]
        assert (found.value, found.until, found.precision) == ("2023-07-05", "2023-07-07", "day")


def test_dates_two_weekdays_are_two_expressions() -> None:
    got = _run("Incidents happened on Wednesday and Thursday.").dates
    assert [(d.text, d.value, d.until) for d in got] == [
        ("Wednesday", "2023-07-05", None),
        ("Thursday", "2023-07-06", None),
    ]


def test_dates_spans_are_exact_and_sorted() -> None:
    text = "On Friday (July 7) and again “yesterday”, in March, jets struck."
    got = _run(text).dates
    assert [d.start for d in got] == sorted(d.start for d in got)
    for d in got:
        assert text[d.start : d.end] == d.text
    assert [d.text for d in got] == ["Friday (July 7)", "yesterday", "March"]


def test_dates_durations_and_times_are_omitted() -> None:
    assert _run("The encounter lasted almost two hours, within 24 hours of the raid.").dates == []


def test_dates_may_the_verb_is_not_a_month() -> None:
    assert _run("May officials say the strike may continue.").dates == []
    assert _values("The ceasefire collapsed in May.")["May"] == ("2023-05", "month")


def test_dates_year_inferred_from_weekday_pair() -> None:
    draft = _run("Jets struck on Friday (July 7). Drones flew on Wednesday.", published=None)
    assert draft.published == dt.date(2023, 7, 7)
    assert draft.published_inferred
    assert [(d.text, d.value) for d in draft.dates] == [
        ("Friday (July 7)", "2023-07-07"),
        ("Wednesday", "2023-07-05"),
    ]


def test_dates_publication_is_latest_fixed_date() -> None:
    draft = _run(
        "The raid of 3 March 2021 followed talks on February 2, 2021. It ended yesterday.", published=None
    )
    assert draft.published == dt.date(2021, 3, 3)
    assert draft.published_inferred
    assert _values("It ended yesterday.", draft.published)["yesterday"] == ("2021-03-02", "day")


def test_dates_no_fixed_date_leaves_relative_values_null() -> None:
    draft = _run(
        "Gunmen attacked a village on Tuesday, and again yesterday. Talks failed in 2019.", published=None
    )
    assert draft.published is None
    assert not draft.published_inferred
    got = {d.text: d.value for d in draft.dates}
    assert got == {"Tuesday": None, "yesterday": None, "2019": "2019"}


def test_dates_future_tense_with_parse() -> None:
    from sitroom.nlp import load, model_name

    text = "The leaders will meet on Monday. Elections are expected in January."
    draft = Draft(text=text, id="t", published=PUB)
    draft.doc = load(model_name())(text)
    dates.run(draft, _ctx())
    got = {d.text: d.value for d in draft.dates}
    assert got["Monday"] == "2023-07-10"
    assert got["January"] == "2024-01"


def test_dates_resolve_helper() -> None:
    assert resolve("last year", PUB) == ("2022", "year")
    assert resolve("mid-September 2019", None) == ("2019-09", "month")
    assert resolve("yesterday", None) is None
    assert resolve("recently", PUB) is None


@pytest.mark.parametrize("published", [PUB, None])
@pytest.mark.parametrize("with_parse", [True, False])
def test_dates_seed_article_gold(published: dt.date | None, with_parse: bool) -> None:
    if not (SHARED / "gold" / "seed-article.txt").exists():
        pytest.skip(f"shared reference material not found at {SHARED}")
    text = (SHARED / "gold" / "seed-article.txt").read_text(encoding="utf-8")
    gold = json.loads((SHARED / "gold" / "seed-article.gold.json").read_text(encoding="utf-8"))
    draft = Draft(text=text, id="seed", published=published)
    if with_parse:
        from sitroom.nlp import load, model_name

        draft.doc = load(model_name())(text)
    dates.run(draft, _ctx())
    if published is None:
        assert draft.published is not None and draft.published.year == gold["document"]["inferred_year"]
    for g in gold["dates"]:
        same = [d for d in draft.dates if g["text"].lower() in d.text.lower()]
        found = same[g.get("occurrence", 1) - 1]
        assert (found.value, found.precision) == (g["value"], g["precision"]), g


@pytest.mark.parametrize(
    ("phrase", "published", "week"),
    [
        ("last weekend", dt.date(2024, 2, 3), "2024-W04"),  # a Saturday paper: the weekend before
        ("last weekend", dt.date(2024, 2, 5), "2024-W05"),  # a Monday paper: the weekend just gone
        ("over the weekend", dt.date(2024, 2, 5), "2024-W05"),
        ("this weekend", dt.date(2024, 2, 9), "2024-W06"),  # a Friday paper: the coming weekend
    ],
)
def test_dates_weekend_is_the_iso_week_of_that_saturday(phrase: str, published: dt.date, week: str) -> None:
    assert resolve(phrase, published) == (week, "week")


def test_dates_between_two_days_is_one_range() -> None:
    from sitroom.pipeline import extract

    rec = extract("Fighting raged between Monday and Wednesday in Goma.", published="2024-05-08")
    (d,) = rec.dates
    assert (d.text, d.value, d.until) == ("between Monday and Wednesday", "2024-05-06", "2024-05-08")
    assert rec.events[0].date.until == "2024-05-08"
    two = extract("Police shot two men in Kisumu on Monday and Tuesday.", published="2024-05-08").dates
    assert [x.until for x in two] == [None, None]


@pytest.mark.parametrize(
    ("text", "published", "expr", "value"),
    [
        ("The Easter morning homicide of a girl is unsolved.", dt.date(2016, 4, 7), "Easter", "2016-03-27"),
        ("A New Year's Eve shooting left one dead.", dt.date(2017, 1, 3), "New Year's Eve", "2016-12-31"),
        ("He was shot on Christmas Day.", dt.date(2015, 12, 30), "Christmas Day", "2015-12-25"),
        (
            "The club shooting on Thanksgiving killed one.",
            dt.date(2016, 11, 28),
            "Thanksgiving",
            "2016-11-24",
        ),
        (
            "Fireworks on the Fourth of July hurt two.",
            dt.date(2016, 7, 6),
            "the Fourth of July",
            "2016-07-04",
        ),
        ("Two were shot over Labor Day weekend.", dt.date(2016, 9, 8), "Labor Day", "2016-09-05"),
        ("The truce holds until next Christmas.", dt.date(2016, 3, 1), "next Christmas", "2016-12-25"),
        ("He will serve 20 years for the Easter shooting.", dt.date(2016, 8, 30), "Easter", "2016-03-27"),
    ],
)
def test_dates_holidays(text: str, published: dt.date, expr: str, value: str) -> None:
    assert _values(text, published)[expr] == (value, "day")


def test_dates_holiday_words_that_name_no_day() -> None:
    found = _values("The Christmas season and the Easter holidays were quiet.", dt.date(2016, 4, 7))
    assert all(value is None for value, _precision in found.values())
