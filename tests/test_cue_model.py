"""The learned attribution cue model: settings, features, saving and loading, and how the attribution
stage uses it (a learned stance is an attribution, never an event's claim)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from spacy.language import Language

from sitroom.errors import SitroomError
from sitroom.model import Attribution, Span
from sitroom.nlp import load, model_name
from sitroom.pipeline import extract
from sitroom.stages import attribution, cue_model
from sitroom.stages.events import status


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load(model_name())


def test_cue_model_setting_off_means_rules_only() -> None:
    for word in ("off", "rules", "none", "0"):
        assert cue_model.model_path(word) is None


def test_cue_model_unknown_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SitroomError, match="SITROOM_CUE_MODEL"):
        cue_model.model_path(str(tmp_path / "missing.npz"))


def test_cue_model_broken_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(SitroomError, match="make train-cues"):
        cue_model.load(bad)


def test_cue_model_features_read_the_parse(nlp: Language) -> None:
    doc = nlp("Carson lambasted the media's behavior.")
    names = cue_model.features(doc[1], attribution.lexicons_of(doc[1]))
    assert "l=lambast" in names and "c=dobj" in names and "s=ent:PERSON" in names
    said = nlp("The minister said the town had fallen.")[2]
    assert "k=stance" in cue_model.features(said, attribution.lexicons_of(said))  # the rules know "say"
    assert "cm=-" in cue_model.features(said, [])  # a complement clause without "that"


def test_cue_model_probability_follows_its_weights_and_round_trips(tmp_path: Path, nlp: Language) -> None:
    tok = nlp("Carson lambasted the media.")[1]
    slots = cue_model.hashed(cue_model.features(tok))
    weights = np.zeros(cue_model.DIM, dtype=np.float32)
    model = cue_model.CueModel(weights, 0.0, 0.5)
    assert model.probability(slots) == pytest.approx(0.5)
    weights[slots] = 1.0
    assert model.probability(slots) > 0.99
    model.veto = 0.1
    path = tmp_path / "cues.npz"
    model.save(path)
    back = cue_model.load(path)
    assert (back.threshold, back.veto) == (0.5, 0.1)
    assert back.probability(slots) == pytest.approx(model.probability(slots), abs=1e-3)


def _with_model(monkeypatch: pytest.MonkeyPatch, model: cue_model.CueModel | None) -> None:
    monkeypatch.setattr(cue_model, "current", lambda: model)


def test_learned_cue_is_an_attribution_with_its_source_and_content(
    monkeypatch: pytest.MonkeyPatch, nlp: Language
) -> None:
    text = "Carson lambasted the media's behavior during the campaign."
    doc = nlp(text)
    weights = np.zeros(cue_model.DIM, dtype=np.float32)
    weights[cue_model.hashed(["l=lambast"])] = 10.0  # a model that knows one cue
    _with_model(monkeypatch, cue_model.CueModel(weights, -5.0, 0.5))
    found = extract(text).attributions
    assert [(a.source.text if a.source else None, a.cue.text if a.cue else None) for a in found] == [
        ("Carson", "lambasted")
    ]
    assert found[0].learned and found[0].content.text.startswith("the media's behavior")
    _with_model(monkeypatch, None)
    assert extract(text).attributions == []  # the rules alone do not know the verb
    assert doc[1].lemma_ == "lambast"


def test_learned_cue_needs_a_speaker_and_is_never_an_action_on_an_event(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _with_model(monkeypatch, cue_model.CueModel(np.zeros(cue_model.DIM, dtype=np.float32), 20.0, 0.5))
    # a model that calls every word a cue: still no attribution without someone who holds the view
    assert not [a for a in extract("Alarm bells rang across the region.").attributions if a.learned]
    # "launched an operation" is the event itself, not a view of it
    assert not [
        a for a in extract("The army launched an operation against the rebels.").attributions if a.learned
    ]


def test_learned_attribution_is_never_an_event_claim() -> None:
    from sitroom.draft import Draft

    text = "Critics mocked the army. Soldiers killed five villagers in Kadugli."
    draft = Draft(text=text, id="t")
    span = Span(start=0, end=len(text), text=text)
    draft.attributions = [
        Attribution(id="a1", content=span, learned=True),
        Attribution(id="a2", content=span),
    ]
    claims = status.event_claims(draft, [Span(start=25, end=len(text), text=text[25:])])
    assert [a.id for a in claims] == ["a2"]


def test_veto_keeps_the_rules_status_cues(monkeypatch: pytest.MonkeyPatch) -> None:
    # a model sure that nothing is a cue vetoes the rules' plain reports, never a confirmation, a
    # denial or a party's toll
    _with_model(monkeypatch, cue_model.CueModel(np.zeros(cue_model.DIM, dtype=np.float32), -20.0, 0.5, 0.5))
    assert extract("The observatory confirmed the seizure of the town.").attributions
    assert extract("The army denied that its soldiers shot the protesters.").attributions
    assert extract("A security source put the death toll at 17.").attributions
    assert not extract("The senator highlighted the budget.").attributions
    assert not extract("The study shows that turnout fell.").attributions
    _with_model(monkeypatch, None)
    assert extract("The senator highlighted the budget.").attributions
