"""Tests of language detection: English goes on, other languages get a record with no events."""

from __future__ import annotations

import pytest

from sitroom.pipeline import extract
from sitroom.stages.language import detect

FRENCH = (
    "Le président a déclaré lundi que l'armée avait tué cinq combattants dans le nord du pays, "
    "selon un communiqué publié par le ministère de la Défense."
)


@pytest.mark.parametrize(
    "text",
    [
        "Police said two people were killed in the attack.",
        "Five killed in Mandera",
        "Gunmen kill 5 in Mandera",
        "Two soldiers dead, three wounded near Gao",
        "Curfew in Gao after clashes",
        "Explosion at Kabul mosque",
        "UPDATE: death toll rises to 12",
        "Police: 3 arrested",
        "",
    ],
)
def test_language_short_english_notes_stay_english(text: str) -> None:
    assert detect(text) == "en"


def test_language_headline_with_group_name_stays_english() -> None:
    assert detect("Al-Shabaab: 5 dead") == "en"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (FRENCH, "fr"),
        (
            "Die Polizei teilte am Montag mit, dass bei dem Angriff in der Stadt "
            "fünf Menschen getötet wurden.",
            "de",
        ),
        ("Полиция сообщила в понедельник, что в результате нападения погибли пять человек.", "ru"),
    ],
)
def test_language_other_languages_are_detected(text: str, lang: str) -> None:
    assert detect(text) == lang


def test_language_extract_french_has_no_events_and_warns(capsys: pytest.CaptureFixture[str]) -> None:
    rec = extract(FRENCH, published="2024-03-10")
    assert rec.document.language == "fr"
    assert rec.events == []
    assert rec.entities == []
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "warning" in captured.err
    assert "'fr'" in captured.err
