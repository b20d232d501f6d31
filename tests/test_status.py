"""Status and claims: each test states one rule of docs/status.md on text written for it."""

from __future__ import annotations

import datetime as dt

import pytest

from sitroom.model import Event, Record
from sitroom.pipeline import Context, Settings, extract


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(Settings(today=dt.date(2024, 5, 1)))


def _extract(ctx: Context, text: str) -> Record:
    return extract(text, published="2024-05-01", ctx=ctx)


def _main(rec: Record) -> Event:
    assert rec.events, "no event"
    return rec.events[0]


def test_outlet_voice_is_reported(ctx: Context) -> None:
    assert _main(_extract(ctx, "Gunmen killed 12 villagers in Kabala on Monday.")).status == "reported"


def test_one_party_asserting_is_claimed(ctx: Context) -> None:
    rec = _extract(ctx, "Gunmen killed 12 villagers in Kabala on Monday, police said.")
    assert _main(rec).status == "claimed"


def test_hedged_outlet_voice_is_claimed_through_a_sourceless_attribution(ctx: Context) -> None:
    rec = _extract(ctx, "Ten people were reportedly killed in an airstrike on Idlib on Monday.")
    ev = _main(rec)
    assert ev.status == "claimed"
    hedge = next(a for a in rec.attributions if a.id in ev.claims)
    assert hedge.source is None and hedge.stance == "claims" and hedge.cue is not None
    assert hedge.cue.text == "reportedly"


def test_hedge_inside_a_partys_report_adds_nothing(ctx: Context) -> None:
    rec = _extract(ctx, "Police said the gunmen reportedly fled towards Kano after the attack on Monday.")
    assert [a.source.text if a.source else None for a in rec.attributions] == ["Police"]


def test_allegedly_is_alleged(ctx: Context) -> None:
    rec = _extract(ctx, "Soldiers allegedly shot three protesters in Bamako on Friday.")
    assert _main(rec).status == "alleged"


def test_calling_the_reports_false_is_a_denial(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "Russian jets shot down a drone over the Black Sea on Monday, US officials said. "
        "Moscow called the reports fabricated.",
    )
    stances = {a.source.text if a.source else None: a.stance for a in rec.attributions}
    assert stances["Moscow"] == "denies"
    assert _main(rec).status == "disputed"


def test_claims_were_baseless_is_a_denial_but_a_false_alarm_is_not(ctx: Context) -> None:
    (a,) = _extract(ctx, "The army said the claims were baseless.").attributions
    assert a.stance == "denies"
    (b,) = _extract(ctx, "Hamas said a false alarm had caused panic in the camp.").attributions
    assert b.stance == "asserts"


def test_still_holding_the_town_denies_its_capture(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "Rebels said they captured the town of Kitshanga on Thursday. "
        "The army said its troops still hold Kitshanga.",
    )
    army = next(a for a in rec.attributions if a.source and a.source.text == "The army")
    assert army.stance == "denies"
    assert _main(rec).status == "disputed"


def test_a_denial_in_a_later_paragraph_attaches_to_the_event_it_answers(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "Gunmen killed 12 villagers in Kabala on Monday, police said.\n\n"
        "Residents said the attackers arrived on motorbikes.\n\n"
        "The rebel group rejected the accusation.",
    )
    ev = _main(rec)
    denial = next(a for a in rec.attributions if a.stance == "denies")
    assert denial.id in ev.claims and ev.status == "disputed"


def test_unrelated_statement_elsewhere_is_not_a_claim(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "Gunmen killed 12 villagers in Kabala on Monday, police said.\n\n"
        "The governor said schools would reopen next month.",
    )
    ev = _main(rec)
    governor = next(a for a in rec.attributions if a.source and a.source.text == "The governor")
    assert governor.id not in ev.claims and ev.status == "claimed"


def test_each_figure_keeps_its_source(ctx: Context) -> None:
    rec = _extract(
        ctx,
        "Five people were killed in the shelling of Kharkiv on Monday, according to police. "
        "The city's hospital said nine people were killed and 20 wounded.",
    )
    ev = _main(rec)
    assert ev.casualties.killed is not None and (ev.casualties.killed.min, ev.casualties.killed.max) == (5, 9)
    reports = {(r.source, r.killed.min if r.killed else None) for r in ev.casualties.reports}
    assert reports == {("police", 5), ("The city's hospital", 9)}
    hospital = next(r for r in ev.casualties.reports if r.source == "The city's hospital")
    assert hospital.injured is not None and hospital.injured.min == 20
    assert all(r.evidence and r.claim in ev.claims for r in ev.casualties.reports)


def test_figure_in_the_outlets_voice_has_no_claim(ctx: Context) -> None:
    ev = _main(_extract(ctx, "Gunmen killed 12 villagers in Kabala on Monday."))
    (report,) = ev.casualties.reports
    assert report.claim is None and report.source is None and report.evidence[0].text.startswith("killed 12")


def test_two_voices_in_one_sentence_are_two_reports(ctx: Context) -> None:
    ev = _main(
        _extract(
            ctx,
            "Five people were killed in the attack on Kabala market on Monday, according to police, "
            "while the hospital said nine had died.",
        )
    )
    assert {(r.source, r.killed.min if r.killed else None) for r in ev.casualties.reports} == {
        ("police", 5),
        ("the hospital", 9),
    }
    assert ev.fatalities == 5 and ev.casualties.killed is not None and ev.casualties.killed.max == 9
