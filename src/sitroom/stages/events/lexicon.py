"""The trigger lexicon: which words name which ACLED sub-event type, how severe each type is (ACLED's
tie-break) and its PLOVER code, read once from ``lexicon.toml`` beside this file.

>>> lexicon().trigger("abduct", "abducted")
<SubEventType.ABDUCTION: 'Abduction/forced disappearance'>
"""

from __future__ import annotations

import difflib
import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitroom.errors import SitroomError
from sitroom.model import SubEventType as S

LEXICON_FILE = Path(__file__).resolve().parent / "lexicon.toml"
#: field -> (type, how to say it in an error)
_FIELDS: dict[str, tuple[type, str]] = {
    "codebook": (str, "a string"),
    "severity": (int, "a whole number"),
    "plover": (str, "a string"),
    "triggers": (list, "a list of words"),
    "forms": (list, "a list of words"),
}
_REQUIRED = ("codebook", "severity", "plover")


@dataclass(frozen=True)
class Lexicon:
    """What ``lexicon.toml`` says, keyed by sub-event type."""

    #: lemma -> sub-event type, for verbs and nouns that name an event on their own
    triggers: Mapping[str, S]
    #: word forms the lemmatizer may miss
    forms: Mapping[str, S]
    #: the ACLED tie-break: the most severe form decides; a higher number wins in one sentence
    severity: Mapping[S, int]
    plover: Mapping[S, str]
    #: the ACLED codebook line each entry implements
    codebook: Mapping[S, str]
    #: the sub-types that count as violence: a violent demonstration and anything more severe
    violent: frozenset[S]

    def trigger(self, lemma: str, word: str) -> S | None:
        """The sub-event type a token names by itself: its lemma, else its lower-cased form."""
        return self.triggers.get(lemma) or self.triggers.get(word) or self.forms.get(word)


@functools.cache
def load(path: Path = LEXICON_FILE) -> Lexicon:
    """Read and check a lexicon file once per process; a broken one raises E020 naming the file."""
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise _error(path, f"cannot be read: {exc}") from exc
    known = {s.value: s for s in S}
    triggers: dict[str, S] = {}
    forms: dict[str, S] = {}
    severity: dict[S, int] = {}
    plover: dict[S, str] = {}
    codebook: dict[S, str] = {}
    for key, entry in data.items():
        sub = known.get(key)
        if sub is None:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise _error(path, f"[{key!r}] is not an ACLED sub-event type{hint}")
        _check_entry(path, key, entry)
        severity[sub], plover[sub], codebook[sub] = entry["severity"], entry["plover"], entry["codebook"]
        for word in entry.get("triggers", []):
            _add(path, triggers, word, sub, "trigger")
        for word in entry.get("forms", []):
            _add(path, forms, word, sub, "form")
    missing = [s.value for s in S if s not in severity]
    if missing:
        raise _error(path, f"no entry for {', '.join(repr(m) for m in missing)}")
    for word, sub in forms.items():
        if triggers.get(word, sub) != sub:
            raise _error(
                path, f"{word!r} is a trigger of {triggers[word].value!r} and a form of {sub.value!r}"
            )
    threshold = severity[S.VIOLENT_DEMONSTRATION]
    violent = frozenset(s for s, n in severity.items() if n >= threshold and s != S.ARRESTS)
    return Lexicon(triggers, forms, severity, plover, codebook, violent)


def lexicon() -> Lexicon:
    """The packaged lexicon."""
    return load(LEXICON_FILE)


def _check_entry(path: Path, key: str, entry: Any) -> None:
    if not isinstance(entry, dict):
        raise _error(path, f"{key!r} must be a table ([{key!r}]), not a value")
    for name in _REQUIRED:
        if name not in entry:
            raise _error(path, f"[{key!r}] has no {name}")
    for name, value in entry.items():
        if name not in _FIELDS:
            raise _error(path, f"[{key!r}] has an unknown field {name!r}")
        kind, said = _FIELDS[name]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise _error(path, f"[{key!r}] {name} must be {said}")


def _add(path: Path, into: dict[str, S], word: Any, sub: S, what: str) -> None:
    if not isinstance(word, str) or word != word.strip().lower() or not word:
        raise _error(path, f"[{sub.value!r}] {what} {word!r} must be a lower-case word")
    if into.get(word, sub) != sub:
        raise _error(path, f"{word!r} is a {what} of both {into[word].value!r} and {sub.value!r}")
    into[word] = sub


def _error(path: Path, problem: str) -> SitroomError:
    return SitroomError(
        "E020",
        f"bad event lexicon {path}: {problem}",
        "name each table for an ACLED sub-event type exactly as sitroom.model.SubEventType spells it, "
        "with a codebook line, a severity and a plover code",
    )
