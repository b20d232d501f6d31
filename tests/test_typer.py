"""The learned sentence typer: settings, features, predictions, saving and loading."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sitroom import typer
from sitroom.errors import SitroomError
from sitroom.nlp import load, model_name
from sitroom.typer import EventTyper


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load(model_name())


def test_typer_setting_off_means_rules_only() -> None:
    for word in ("off", "rules", "none", "0"):
        assert typer.model_path(word) is None


def test_typer_setting_unknown_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SitroomError, match="SITROOM_EVENT_MODEL"):
        typer.model_path(str(tmp_path / "missing.npz"))


def test_typer_features_read_the_parse(nlp) -> None:  # type: ignore[no-untyped-def]
    names = typer.feature_names(nlp("Gunmen abducted six students on Sunday."))
    assert "l=abduct" in names and "a=dobj>abduct" in names
    assert "w=<num>" in names and "w=six" not in names  # numbers stand for any number
    assert "a=nsubj>abduct" in names and "e=DATE" in names


def test_typer_predicts_what_its_weights_say_and_round_trips(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    labels = ["Attack", "none"]
    weights = np.zeros((typer.DIM, 2), dtype=np.float32)
    weights[typer.hashed(["l=abduct"]), 0] = 5.0
    model = EventTyper(weights, np.zeros(2, dtype=np.float32), labels)
    probs = model.predict_spans([nlp("Gunmen abducted six students.")[:], nlp("The talks resumed.")[:]])
    assert probs[0]["Attack"] > 0.9 and probs[1]["Attack"] == pytest.approx(0.5)
    model.save(tmp_path / "t.npz")
    again = typer.load(tmp_path / "t.npz")
    assert again.labels == tuple(labels)
    assert again.predict_spans([nlp("Gunmen abducted six students.")[:]])[0]["Attack"] > 0.9


def test_typer_broken_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(SitroomError, match="make train"):
        typer.load(bad)


def test_typer_packaged_model_types_unseen_sentences(nlp) -> None:  # type: ignore[no-untyped-def]
    from sitroom.stages.events.detect import rule_features

    assert typer.model_path() == typer.PACKAGED  # shipped with the package, used by default
    model = typer.load(typer.PACKAGED)
    sents = {
        "Warplanes pounded the village overnight, killing 12 people.": "Air/drone strike",
        "The two leaders will meet in Geneva next week to discuss trade.": "none",
        "Thousands of teachers marched through the capital demanding higher pay.": "Peaceful protest",
    }
    docs = [nlp(text) for text in sents]
    probs = model.predict_spans([d[:] for d in docs], [rule_features(d[:]) for d in docs])
    assert [typer.best(p)[0] for p in probs] == list(sents.values())


def test_typer_file_that_does_not_fit_is_a_clear_error(tmp_path: Path) -> None:
    np.savez(tmp_path / "odd.npz", weights=np.zeros((3, 2)), bias=np.zeros(2), labels='["Attack", "none"]')
    with pytest.raises(SitroomError, match="do not fit"):
        typer.load(tmp_path / "odd.npz")
    np.save(tmp_path / "plain.npy", np.zeros(3))
    with pytest.raises(SitroomError, match="E011"):
        typer.load(tmp_path / "plain.npy")
