"""What a run may be told (`Settings`) and the services the stages share (`Context`).

Kept apart from `sitroom.pipeline` so that a stage can name its context without importing the
pipeline that imports the stages.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sitroom import nlp as nlp_loader

if TYPE_CHECKING:
    from pathlib import Path

    from spacy.language import Language

    from sitroom.gazetteer import Gazetteer
    from sitroom.model import PipelineInfo
    from sitroom.stages.actor_names import ActorEntry
    from sitroom.typer import EventTyper


@dataclass
class Settings:
    """What a run may be told; the same text and settings give the same record."""

    spacy_model: str | None = None
    #: "today" for inferring a publication date: never infer one after it
    today: dt.date = field(default_factory=dt.date.today)
    #: which learned sentence typer to use: None or "default" = the packaged one, "off" = the rules
    #: only, or the path of one written by `make train` (None defers to SITROOM_EVENT_MODEL)
    event_model: str | None = None
    #: a user's actor file (CSV alias,name,inter; see stages/actor_names.py); None defers to SITROOM_ACTORS
    actors_file: str | None = None


class Context:
    """Services the stages share. Nothing loads until a stage asks for it."""

    def __init__(
        self,
        settings: Settings | None = None,
        gazetteer: Gazetteer | None = None,
        nlp: Language | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self._gazetteer = gazetteer
        self._nlp = nlp

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = nlp_loader.load(nlp_loader.model_name(self.settings.spacy_model))
        return self._nlp

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            from sitroom.gazetteer import default_gazetteer

            self._gazetteer = default_gazetteer()
        return self._gazetteer

    @functools.cached_property
    def actor_table(self) -> dict[str, ActorEntry]:
        """The user's actor file (``settings.actors_file`` or SITROOM_ACTORS), loaded on first use;
        empty when none is set."""
        from sitroom.stages.actor_names import load_actor_table

        path = self.settings.actors_file or os.environ.get("SITROOM_ACTORS")
        return load_actor_table(path) if path else {}

    @functools.cached_property
    def event_typer(self) -> EventTyper | None:
        """The learned sentence typer that ``settings.event_model`` names, loaded on first use;
        None when the setting turns it off (or no packaged typer is installed)."""
        from sitroom import typer

        path = typer.model_path(self.settings.event_model)
        return typer.load(path) if path is not None else None

    @functools.cached_property
    def provenance(self) -> PipelineInfo:
        """The sitroom version and a digest of what changes a record: the spaCy pipeline (name and
        version), the event typer and cue model files, the actor file and the gazetteer's additions
        (the user's places and GeoNames index).
        ``today`` is left out: it only bounds the year inferred for an undated report."""
        import hashlib
        import json
        from pathlib import Path

        from sitroom import __version__, typer
        from sitroom.gazetteer import extra
        from sitroom.model import PipelineInfo
        from sitroom.stages import cue_model

        meta = self._nlp.meta if self._nlp is not None else _installed_meta(self.settings.spacy_model)
        if meta is None:
            meta = self.nlp.meta  # a pipeline from a folder: its meta comes with loading it
        spacy_model = f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}"
        folder = extra.data_dir()
        actors = self.settings.actors_file or os.environ.get("SITROOM_ACTORS")
        parts = {
            "version": __version__,
            "spacy": spacy_model,
            "event_typer": _digest(typer.model_path(self.settings.event_model)),
            "cue_model": _digest(cue_model.model_path()),
            "actors": _digest(Path(actors)) if actors else None,
            "places": _digest(folder / extra.USER_PLACES),
            "geonames": _digest(
                Path(os.environ.get("SITROOM_GEONAMES") or folder / extra.GEONAMES_DB), whole=False
            ),
        }
        settings = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]
        return PipelineInfo(version=__version__, settings=settings, spacy_model=spacy_model)


def _installed_meta(setting: str | None) -> dict[str, Any] | None:
    """The meta of the installed spaCy package a setting names, read without loading the pipeline
    (a main process that hands extraction to workers never needs it); None for a pipeline in a folder."""
    from spacy import util

    try:
        return dict(util.load_meta(util.get_package_path(nlp_loader.model_name(setting)) / "meta.json"))
    except Exception:  # not an installed package: the caller loads it
        return None


def _digest(path: Path | None, whole: bool = True) -> str | None:
    """A file's SHA-256 (``whole``), or its size and modification time (a large index); None when
    there is no such file."""
    import hashlib

    if path is None or not path.is_file():
        return None
    if not whole:
        stat = path.stat()
        return f"{stat.st_size}-{stat.st_mtime_ns}"
    return hashlib.sha256(path.read_bytes()).hexdigest()
