"""Tests of the events stage's trigger lexicon: `stages/events/lexicon.toml` and its loader."""

from __future__ import annotations

import doctest
import tomllib
from pathlib import Path

import pytest

from sitroom.errors import SitroomError
from sitroom.model import SubEventType
from sitroom.stages.events import lexicon as lexicon_module
from sitroom.stages.events.lexicon import LEXICON_FILE, lexicon, load


def test_event_lexicon_loads() -> None:
    lex = lexicon()
    assert lex is lexicon()  # read once per process
    assert lex.trigger("abduct", "abducted") == SubEventType.ABDUCTION
    assert lex.trigger("rape", "raped") == SubEventType.SEXUAL_VIOLENCE
    assert lex.trigger("loot", "looted") == SubEventType.LOOTING  # a form the lemmatizer may miss
    assert lex.trigger("say", "said") is None


def test_event_lexicon_keys_are_acled_sub_event_types() -> None:
    with LEXICON_FILE.open("rb") as f:
        raw = tomllib.load(f)
    assert sorted(raw) == sorted(s.value for s in SubEventType)


def test_event_lexicon_every_sub_type_has_severity_plover_and_codebook_line() -> None:
    lex = lexicon()
    for sub in SubEventType:
        assert isinstance(lex.severity[sub], int), sub
        assert lex.plover[sub].isupper(), sub
        assert lex.codebook[sub].strip(), sub


def test_event_lexicon_triggers_map_to_valid_sub_types() -> None:
    lex = lexicon()
    assert len(lex.triggers) > 100
    for word, sub in [*lex.triggers.items(), *lex.forms.items()]:
        assert isinstance(sub, SubEventType), word
        assert word == word.strip().lower(), word


def test_event_lexicon_violence_follows_severity() -> None:
    lex = lexicon()
    assert {SubEventType.ATTACK, SubEventType.AIR_STRIKE, SubEventType.VIOLENT_DEMONSTRATION} <= lex.violent
    assert not {SubEventType.PEACEFUL_PROTEST, SubEventType.ARRESTS, SubEventType.OTHER} & lex.violent


def test_event_lexicon_doctest() -> None:
    result = doctest.testmod(lexicon_module)
    assert result.attempted > 0
    assert result.failed == 0


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = LEXICON_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "lexicon.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            '["Air/drone strike"]',
            '["Air strike"]',
            "['Air strike'] is not an ACLED sub-event type (did you mean 'Air/drone strike'?)",
        ),
        ("severity = 17\n", "", "['Grenade'] has no severity"),
        (
            'triggers = ["grenade", "grenades"]',
            'triggers = ["grenade", "bomb"]',
            "'bomb' is a trigger of both",
        ),
        ('triggers = ["grenade", "grenades"]', 'triggers = ["Grenade"]', "must be a lower-case word"),
        ("severity = 17\n", 'severity = "high"\n', "['Grenade'] severity must be a whole number"),
        ('["Grenade"]', '["Grenade"', "cannot be read"),
    ],
)
def test_event_lexicon_broken_file_names_the_file(tmp_path: Path, old: str, new: str, problem: str) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(SitroomError) as info:
        load(path)
    assert info.value.code == "E020"
    assert str(path) in str(info.value)
    assert problem in str(info.value)
    assert "SubEventType" in info.value.hint


def test_event_lexicon_missing_sub_type_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text('["Grenade"]\ncodebook = "grenades thrown"\nseverity = 17\nplover = "ASSAULT"\n')
    with pytest.raises(SitroomError, match="no entry for 'Armed clash'"):
        load(path)
