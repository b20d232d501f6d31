"""The document so far: what each pipeline stage reads and adds to.

A stage is a plain function ``stage(draft, ctx) -> None`` that reads the fields earlier stages set
and fills its own. Tests call a stage with a hand-built draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sitroom.model import Attribution, DateExpr, Entity, Event, PipelineInfo, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from sitroom.pieces import Findings


@dataclass
class Draft:
    """One document on its way through the pipeline."""

    text: str
    id: str
    published: dt.date | None = None
    published_inferred: bool = False
    url: str | None = None
    title: str | None = None
    source: str | None = None
    language: str = "en"
    #: what the stages add, in pipeline order
    doc: Doc | None = None
    entities: list[Entity] = field(default_factory=list)
    dates: list[DateExpr] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    #: character offset -> entity id, for every entity mention
    mention_index: dict[tuple[int, int], str] = field(default_factory=dict)
    #: what made the record (set by `sitroom.pipeline.run_stages`)
    pipeline: PipelineInfo | None = None
    #: a long text's findings, held compact instead of in the lists above (see sitroom.pieces)
    findings: Findings | None = None
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def entity(self, entity_id: str | None) -> Entity | None:
        by_id = self.extra.get("_entity_by_id")
        if not isinstance(by_id, dict) or len(by_id) != len(self.entities):
            by_id = {e.id: e for e in self.entities}
            self.extra["_entity_by_id"] = by_id
        return by_id.get(entity_id) if entity_id else None

    def entity_covering(self, start: int, end: int) -> Entity | None:
        """The entity with a mention overlapping ``[start, end)``, the longest mention first."""
        best: tuple[int, str] | None = None
        for (s, e), eid in self.mention_index.items():
            if s < end and start < e and (best is None or e - s > best[0]):
                best = (e - s, eid)
        return self.entity(best[1]) if best else None
