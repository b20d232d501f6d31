"""Tests of the attribution stage on hand-written sentences."""

from __future__ import annotations

import pytest
from spacy.language import Language

from sitroom.draft import Draft
from sitroom.model import Attribution, Entity, EntityKind, Span
from sitroom.nlp import load, model_name
from sitroom.pipeline import Context
from sitroom.stages import attribution


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load(model_name())


def attrs(nlp: Language, text: str, entities: list[Entity] | None = None) -> list[Attribution]:
    d = Draft(text=text, id="t")
    d.doc = nlp(text)
    for ent in entities or []:
        d.entities.append(ent)
        for m in ent.mentions:
            d.mention_index[(m.start, m.end)] = ent.id
    attribution.run(d, Context(nlp=nlp))
    for a in d.attributions:
        for span in (a.source, a.cue, a.content):
            if span is not None:
                assert text[span.start : span.end] == span.text
    return d.attributions


def entity(text: str, eid: str, name: str, kind: EntityKind) -> Entity:
    mentions = []
    start = text.find(name)
    while start != -1:
        mentions.append(Span(start=start, end=start + len(name), text=name))
        start = text.find(name, start + 1)
    return Entity(id=eid, name=name, kind=kind, mentions=mentions)


def only(found: list[Attribution], needle: str) -> Attribution:
    hits = [a for a in found if needle in a.content.text]
    assert len(hits) == 1, [(a.content.text, a.source) for a in found]
    return hits[0]


def test_attribution_reported_speech_said_that(nlp: Language) -> None:
    found = attrs(nlp, "The army said that rebels had attacked the base overnight.")
    a = only(found, "rebels had attacked the base")
    assert a.source is not None and a.source.text == "The army"
    assert a.cue is not None and a.cue.text == "said"
    assert a.stance == "asserts" and not a.quote
    assert a.id == "a1"


def test_attribution_inverted_report_after_clause(nlp: Language) -> None:
    found = attrs(nlp, "Rebels shelled the town on Monday, a local official told reporters.")
    a = only(found, "Rebels shelled the town")
    assert a.source is not None and a.source.text == "a local official"
    assert a.cue is not None and a.cue.text == "told"


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("The ministry alleged that the militia had burned the village.", "alleges"),
        ("The government accused the militia of burning the village.", "alleges"),
        ("The militia denied that its fighters had burned the village.", "denies"),
        ("Police confirmed that two people had been arrested.", "confirms"),
        ("Analysts believe that the offensive will stall before winter.", "assesses"),
        ("The group claimed that its fighters had downed a helicopter.", "claims"),
        ("The spokesman stated that the convoy was hit by a drone.", "asserts"),
    ],
)
def test_attribution_stance_from_cue(nlp: Language, sentence: str, stance: str) -> None:
    found = attrs(nlp, sentence)
    assert [a.stance for a in found] == [stance], found


def test_attribution_quote_with_speaker_after(nlp: Language) -> None:
    text = "“We will not retreat from the city,” the commander said on Sunday."
    a = only(attrs(nlp, text), "We will not retreat")
    assert a.quote
    assert a.content.text == "We will not retreat from the city"
    assert a.source is not None and a.source.text == "the commander"


def test_attribution_quote_with_speaker_before(nlp: Language) -> None:
    text = 'The mayor said: "Nobody was hurt in the blast."'
    a = only(attrs(nlp, text), "Nobody was hurt")
    assert a.quote
    assert a.content.text == "Nobody was hurt in the blast"
    assert a.source is not None and a.source.text == "The mayor"


def test_attribution_quote_inside_report_has_the_verb_subject(nlp: Language) -> None:
    text = 'The envoy has urged both sides to "stop this senseless killing."'
    a = only(attrs(nlp, text), "stop this senseless killing")
    assert a.quote
    assert a.source is not None and a.source.text == "The envoy"


def test_attribution_according_to_before_and_after(nlp: Language) -> None:
    found = attrs(
        nlp,
        "According to the health ministry, 12 people died in the strike. "
        "The road was closed, according to witnesses.",
    )
    first = only(found, "12 people died")
    assert first.source is not None and first.source.text == "the health ministry"
    assert first.cue is not None and first.cue.text == "According to"
    second = only(found, "The road was closed")
    assert second.source is not None and second.source.text == "witnesses"


def test_attribution_according_to_outlet_alone_is_the_source(nlp: Language) -> None:
    a = only(attrs(nlp, "Three soldiers were killed in the ambush, according to Reuters."), "Three soldiers")
    assert a.source is not None and a.source.text == "Reuters"
    assert a.via == []


def test_attribution_as_per_outlet_is_a_relay(nlp: Language) -> None:
    text = "“The strike hit a school,” the governor said as per Al Jazeera."
    found = attrs(nlp, text)
    assert len(found) == 1, found
    a = found[0]
    assert a.quote and a.source is not None and a.source.text == "the governor"
    assert a.via == ["Al Jazeera"]


def test_attribution_according_to_outlet_relays_other_speaker(nlp: Language) -> None:
    text = "The army denied that its troops fired on protesters, according to state media."
    found = attrs(nlp, text)
    assert len(found) == 1, found
    assert found[0].stance == "denies" and found[0].via == ["state media"]


def test_attribution_pronoun_source_resolves_to_earlier_speaker(nlp: Language) -> None:
    text = (
        "The Defence Ministry said that the drone was shot down over the sea. "
        "General Adams said that the pilot survived. "
        "It said the debris was recovered. He added that an inquiry has begun."
    )
    ents = [
        entity(text, "e1", "The Defence Ministry", EntityKind.ORGANIZATION),
        entity(text, "e2", "General Adams", EntityKind.PERSON),
    ]
    found = attrs(nlp, text, ents)
    it = only(found, "the debris was recovered")
    assert it.source is not None and it.source.text == "It" and it.source.entity == "e1"
    he = only(found, "an inquiry has begun")
    assert he.source is not None and he.source.text == "He" and he.source.entity == "e2"


def test_attribution_source_entity_from_head_of_phrase(nlp: Language) -> None:
    text = "Army chief General Ruth Okafor said that the border crossing was reopened."
    ents = [
        entity(text, "e1", "Army", EntityKind.ORGANIZATION),
        entity(text, "e2", "Ruth Okafor", EntityKind.PERSON),
    ]
    a = only(attrs(nlp, text, ents), "border crossing")
    assert a.source is not None and a.source.entity == "e2"


def test_attribution_ids_in_text_order(nlp: Language) -> None:
    text = (
        "Officials said that the bridge collapsed. Witnesses said that a truck exploded. "
        "The police denied that anyone was arrested."
    )
    found = attrs(nlp, text)
    assert [a.id for a in found] == ["a1", "a2", "a3"]
    assert [a.content.start for a in found] == sorted(a.content.start for a in found)


def test_attribution_no_cue_no_attribution(nlp: Language) -> None:
    assert attrs(nlp, "Heavy rain fell on the capital on Tuesday.") == []


def test_attribution_scare_quotes_inside_report_are_not_quotes(nlp: Language) -> None:
    found = attrs(nlp, 'The minister said that the so-called "peace plan" had failed.')
    assert len(found) == 1 and not found[0].quote


def test_attribution_cue_inside_quote_belongs_to_quote(nlp: Language) -> None:
    found = attrs(nlp, '"I think they will attack again tomorrow," the villager said.')
    assert len(found) == 1 and found[0].quote
    assert found[0].source is not None and found[0].source.text == "the villager"


def test_attribution_empty_without_doc() -> None:
    d = Draft(text="Officials said nothing.", id="t")
    attribution.run(d, Context())
    assert d.attributions == []


def test_partial_quote_marks_the_report_as_quoted(nlp: Language) -> None:
    text = 'The police said it was "doing everything possible to free the victims" on Friday.'
    found = [a for a in attrs(nlp, text) if "doing everything possible" in a.content.text]
    assert len(found) == 1
    a = found[0]
    assert a.quote and a.source is not None and a.source.text == "The police"
    assert [q.text for q in a.quoted] == ["doing everything possible to free the victims"]


def test_report_without_quotation_has_no_quoted_words(nlp: Language) -> None:
    (a,) = attrs(nlp, "The ministry said six soldiers were killed.")
    assert not a.quote and a.quoted == []


def test_closing_mark_typed_as_an_opening_one(nlp: Language) -> None:
    text = "\u201cFourteen civilians were also killed today,\u201c he added."
    (a,) = [a for a in attrs(nlp, text) if a.quote]
    assert a.content.text.startswith("Fourteen civilians") and a.source is not None
    assert a.source.text == "he"


def test_quote_opening_a_paragraph_keeps_the_speaker_before(nlp: Language) -> None:
    text = (
        "The aid worker said dozens of people were injured in the strike.\n\n"
        "\u201cThe drones came and hovered a bit before dropping bombs.\u201d"
    )
    quotes = [a for a in attrs(nlp, text) if a.quote]
    assert len(quotes) == 1 and quotes[0].source is not None
    assert quotes[0].source.text == "The aid worker"


def test_quote_after_a_paragraph_without_speaker_stays_unattributed(nlp: Language) -> None:
    text = (
        "Fighting went on all night.\n\n\u201cThe drones came and hovered a bit before dropping bombs.\u201d"
    )
    assert [a for a in attrs(nlp, text) if a.source is not None] == []


def test_said_in_a_statement_that(nlp: Language) -> None:
    text = "The army said in a statement that six protesters had been killed in the violence."
    (a,) = attrs(nlp, text)
    assert a.source is not None and a.source.text == "The army"
    assert "six protesters had been killed" in a.content.text


def test_participle_takes_the_speaker_of_its_clause(nlp: Language) -> None:
    text = "Lawmakers called for more troops, saying that fighters are able to operate freely."
    found = [a for a in attrs(nlp, text) if "operate freely" in a.content.text]
    assert found and found[0].source is not None and found[0].source.text == "Lawmakers"


def test_announced_object_is_reported(nlp: Language) -> None:
    text = "The rebels announced their withdrawal from two captured areas in December."
    (a,) = attrs(nlp, text)
    assert a.content.text.startswith("their withdrawal") and a.stance == "asserts"


def test_claimed_to_have_reports_the_infinitive(nlp: Language) -> None:
    text = "Separatists claimed to have killed 84 fighters after three days of fighting."
    (a,) = attrs(nlp, text)
    assert "killed 84 fighters" in a.content.text and a.stance == "claims"


def test_noun_with_that_clause_is_a_cue(nlp: Language) -> None:
    (a,) = attrs(nlp, "The army's claim that it had retaken the town could not be verified.")
    assert a.stance == "claims" and a.source is not None and a.source.text == "The army"
    assert "it had retaken the town" in a.content.text


def test_allegations_without_owner_have_no_source(nlp: Language) -> None:
    found = [a for a in attrs(nlp, "He faced allegations that he ordered the killings.") if a.cue]
    (a,) = [a for a in found if a.cue is not None and a.cue.text == "allegations"]
    assert a.stance == "alleges" and a.source is None


def test_control_verb_lends_its_subject(nlp: Language) -> None:
    (a,) = attrs(nlp, "The ministry continued to deny that its forces shelled the market.")
    assert a.stance == "denies" and a.source is not None and a.source.text == "The ministry"


def test_quoted_title_is_no_quote(nlp: Language) -> None:
    found = attrs(nlp, 'The minister spoke on "Meet the Press" on Sunday.')
    assert not any(a.quote for a in found)


def test_adjective_of_attitude_is_a_cue(nlp: Language) -> None:
    (a,) = attrs(nlp, "The columnist has been critical of the ceasefire deal.")
    assert a.source is not None and a.source.text == "The columnist"
    assert a.content.text == "the ceasefire deal" and a.stance == "assesses"


def test_name_and_colon_introduce_a_quote(nlp: Language) -> None:
    found = [
        a
        for a in attrs(
            nlp, "Blumenthal and Cohen: \u201cOur data confirm that both issues were in play.\u201d"
        )
        if a.quote
    ]
    assert found and found[0].source is not None and found[0].source.text == "Blumenthal and Cohen"


def test_phrasal_stance_verbs(nlp: Language) -> None:
    (a,) = attrs(nlp, "Several lawmakers cautioned against drawing lessons from the vote.")
    assert a.source is not None and a.source.text == "Several lawmakers"
    assert a.content.text.startswith("drawing lessons")


def test_stance_noun_with_owner(nlp: Language) -> None:
    found = attrs(nlp, "The minister's criticism of the peace deal angered the rebels.")
    (a,) = [a for a in found if a.cue is not None and a.cue.text == "criticism"]
    assert a.source is not None and a.source.text == "The minister" and a.content.text == "the peace deal"


def test_putting_the_toll_at_a_figure_is_a_report(nlp: Language) -> None:
    (a,) = attrs(nlp, "A security source confirmed the attack and put the death toll at 17.")[-1:]
    assert a.source is not None and a.source.text == "A security source"
    assert "death toll at 17" in a.content.text


def test_claiming_responsibility_keeps_the_word(nlp: Language) -> None:
    found = attrs(
        nlp, "A blast killed three people, with the group al Shabaab claiming responsibility for the attack."
    )
    (a,) = [a for a in found if a.cue is not None and a.cue.text == "claiming"]
    assert a.content.text == "responsibility for the attack" and a.stance == "claims"


def test_cueless_quote_after_a_speaker_in_its_paragraph(nlp: Language) -> None:
    text = (
        "Marckenson, another protester, said the prime minister must resign. "
        "\u201cHe does not have the dignity to open the schools.\u201d"
    )
    quotes = [a for a in attrs(nlp, text) if a.quote]
    assert quotes and quotes[0].source is not None and "Marckenson" in quotes[0].source.text


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("The attack appears to have been planned for weeks.", "assesses"),
        ("The gunman is believed to have fled to the border.", "assesses"),
        ("Ten people were said to have died in the raid.", "claims"),
    ],
)
def test_evidential_verbs_give_a_sourceless_attribution(nlp: Language, text: str, stance: str) -> None:
    (a,) = attrs(nlp, text)
    assert a.source is None and a.stance == stance and a.content.text == text.rstrip(".")


def test_evidential_with_an_agent_is_not_sourceless(nlp: Language) -> None:
    (a,) = attrs(nlp, "The gunman is believed by police to have fled to the border.")
    assert a.source is not None and a.source.text == "police" and "fled to the border" in a.content.text


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Eight Volunteers Die in Burkina Attack: Security Source\n\nEight members died.", "Security Source"),
        ("Gunmen kill 12 in Kabala - police\n\nGunmen killed 12 villagers.", "police"),
    ],
)
def test_headline_that_names_its_source(nlp: Language, text: str, source: str) -> None:
    found = [a for a in attrs(nlp, text) if a.content.start == 0]
    assert found and found[0].source is not None and found[0].source.text == source


def test_headline_with_a_place_before_the_colon_is_no_attribution(nlp: Language) -> None:
    assert [
        a for a in attrs(nlp, "Kenya: Protests Turn Violent\n\nProtests turned violent.") if a.source
    ] == []


def test_attribution_transcript_lines_with_a_speaker_label(nlp: Language) -> None:
    text = "The debate began.\nPENCE: We will never accept that deal.\nKAINE: That is simply not true at all."
    found = attrs(nlp, text)
    pence = only(found, "never accept")
    assert pence.source is not None and pence.source.text == "PENCE"
    assert pence.cue is not None and pence.cue.text == ":"
    kaine = only(found, "not true")
    assert kaine.source is not None and kaine.source.text == "KAINE"


def test_attribution_report_verb_with_its_words_after_a_colon(nlp: Language) -> None:
    found = attrs(nlp, "The minister spoke on Monday.\nScott added: the plan is dead and everyone knows it.")
    a = only(found, "the plan is dead")
    assert a.source is not None and a.source.text == "Scott" and a.cue is not None and a.cue.text == "added"


def test_attribution_colon_label_that_is_no_speaker(nlp: Language) -> None:
    assert attrs(nlp, "Editor’s note: This story was updated on Monday with new figures.") == []
    assert attrs(nlp, "Correction: An earlier version misspelled the town's name.") == []
