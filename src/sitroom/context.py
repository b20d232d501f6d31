"""What a run may be told (`Settings`) and the services the stages share (`Context`).

Kept apart from `sitroom.pipeline` so that a stage can name its context without importing the
pipeline that imports the stages.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitroom import nlp as nlp_loader

if TYPE_CHECKING:
    from spacy.language import Language

    from sitroom.gazetteer import Gazetteer
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
