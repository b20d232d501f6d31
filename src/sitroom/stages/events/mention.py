"""The stage's working records: a party to an event, one sentence's mention of an event, and the
mentions merged into one event. `record.finish` turns a merged event into the public `Event`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitroom.model import Actor, DateExpr, Place
from sitroom.model import SubEventType as S
from sitroom.stages.actor_names import canonical_group
from sitroom.stages.casualties import Toll

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token


@dataclass
class Party:
    """An actor as the stage sees it: the ACLED-style name, and the country it belongs to."""

    name: str
    entity: str | None
    text: str | None
    inter: int | None
    country: str | None = None

    def public(self) -> Actor:
        return Actor(name=canonical_group(self.name), entity=self.entity, text=self.text, inter=self.inter)


@dataclass
class Mention:
    sub: S
    trigger: Token
    sent: SpacySpan
    actor1: Party | None
    actor2: Party | None
    date: DateExpr | None
    place: Place | None
    toll: Toll
    anaphoric: bool = False
    #: told inside "after ..."/"in retaliation for ..." of another sentence's event
    background: bool = False
    #: (i, n): the i-th of n places the sentence names side by side, each its own event
    split: tuple[int, int] | None = None


@dataclass
class MergedEvent:
    sub: S
    mentions: list[Mention] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.mentions[0].sent.start_char

    def date(self) -> DateExpr | None:
        dated = [m.date for m in self.mentions if m.date and m.date.value]
        return max(dated, key=lambda d: len(d.value or "")) if dated else None
