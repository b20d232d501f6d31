"""Re-extracting stored documents with the current pipeline (`sitroom reprocess`).

A stored document keeps its id, its text and its aliases; its findings, report keys and incident
are replaced (`Store.replace`). What changed is told event by event: an event is known by what a
reader of the record would compare (type, date, place, actors, toll, status), not by its id, which
the new pipeline may number differently.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sitroom.errors import InputError, SitroomError
from sitroom.model import Event, Record
from sitroom.sources import Item
from sitroom.store import EventFilter

#: the filters ``--where`` takes (the `events` filters): name -> EventFilter field
WHERE_KEYS = {
    "since": "since",
    "until": "until",
    "country": "country",
    "admin1": "admin1",
    "type": "event_type",
    "actor": "actor",
    "status": "status",
    "claimant": "claimant",
    "q": "q",
}


def parse_where(conditions: list[str]) -> EventFilter | None:
    """An `EventFilter` from ``KEY=VALUE`` conditions (all must hold); None for none.

    >>> where = parse_where(["country=KE", "type=Battles"])
    >>> where.country, where.event_type
    ('KE', 'Battles')
    """
    if not conditions:
        return None
    fields: dict[str, str] = {}
    for condition in conditions:
        key, sep, value = condition.partition("=")
        key = key.strip().lower()
        if not sep or key not in WHERE_KEYS or not value.strip():
            raise ValueError(
                f"{condition!r} is not KEY=VALUE with KEY one of {', '.join(WHERE_KEYS)} "
                "(e.g. --where country=KE --where since=2024-01-01)"
            )
        if key in ("since", "until"):
            try:
                dt.date.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(f"{condition!r}: {key} takes a date as YYYY-MM-DD") from None
        fields[WHERE_KEYS[key]] = value.strip()
    return EventFilter(**fields)


def item_of(record: Record, text: str) -> Item:
    """The input a stored document came from, as far as the store keeps it: its id, text and metadata;
    an inferred publication date is inferred again."""
    doc = record.document
    published = None
    if doc.published and not doc.published_inferred:
        published = dt.date.fromisoformat(doc.published[:10])
    return Item(
        label=doc.id,
        text=text,
        id=doc.id,
        published=published,
        url=doc.url,
        title=doc.title,
        source=doc.source,
    )


def signature(event: Event) -> tuple[object, ...]:
    """What a reader compares two versions of an event by."""
    loc = event.location
    return (
        event.event_type,
        event.sub_event_type,
        event.date.value,
        loc.name,
        loc.country,
        event.actor1.name,
        event.actor2.name if event.actor2 else None,
        event.fatalities,
        event.status,
    )


@dataclass
class Change:
    """How one document's events changed: kept the same, added (new signatures), removed."""

    document: str
    same: int = 0
    added: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    def line(self) -> str:
        return f"{self.document}: {self.same} events the same, {self.added} new, {self.removed} gone"


def compare(old: Record, new: Record) -> Change:
    before = Counter(signature(e) for e in old.events)
    after = Counter(signature(e) for e in new.events)
    same = sum((before & after).values())
    return Change(
        old.document.id,
        same=same,
        added=sum(after.values()) - same,
        removed=sum(before.values()) - same,
    )


@dataclass
class Summary:
    documents: int = 0
    changed: int = 0
    added: int = 0
    removed: int = 0
    no_text: list[str] = dataclasses.field(default_factory=list)

    def count(self, change: Change) -> None:
        self.documents += 1
        self.changed += change.changed
        self.added += change.added
        self.removed += change.removed

    def line(self, db: str, dry_run: bool) -> str:
        verb = "would change" if dry_run else "changed"
        text = (
            f"reprocess: {self.documents} documents re-extracted, {self.changed} {verb} "
            f"({self.added} events new, {self.removed} gone)"
        )
        if self.no_text:
            text += f"; {len(self.no_text)} skipped: stored before sitroom kept texts, ingest them again"
        return text + f" ({db})"


def no_text_error(doc_id: str) -> SitroomError:
    return SitroomError(
        "E206",
        f"document {doc_id} has no stored text (stored before schema 3)",
        "ingest its source again to reprocess it",
    )


def unreadable_error(doc_id: str, exc: Exception) -> InputError:
    first = (str(exc).splitlines() or [type(exc).__name__])[0]
    return InputError(
        "E208",
        f"the stored record of {doc_id} cannot be read by this sitroom ({first})",
        "ingest its source again into a new database, or reprocess it with the sitroom that stored it",
    )
