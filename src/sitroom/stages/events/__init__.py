"""Stage: events, coded the ACLED way, linked to the claims that carry them.

Per sentence (`detect`): find event triggers (`lexicon.toml`, a lexicon of news verbs and nouns read
with the parse; `classify` types each in its sentence), keep the most severe as the sentence's event
(ACLED's tie-break), find who acted on whom from the dependency tree (`actors`), the date and place
written in the sentence (`anchor`), and the casualty counts. Mentions of one event ("the strike",
"Friday's strike", a later sentence with a compatible date and the same sub-type) are merged
(`merge`); a sentence's event is split per place it names side by side (`split`). Each merged
event is finished (`record`): its actors named the ACLED way, its date and
place, casualty ranges, and the attributions whose content covers its sentences as its claims, whose
stances give its status (`status`).

The modules, each reading only those above it: `lexicon`, `mention` (the working records), `index`
(span look-ups), `classify`, `actors`, `anchor`, `split`, `detect`, `merge`, `status`, `record`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitroom.model import Event
from sitroom.stages.actor_names import ActorEntry, apply_actor_table
from sitroom.stages.events import detect, lexicon, merge, record, status
from sitroom.stages.events.actors import actor_from, group_name
from sitroom.stages.events.index import is_locative

if TYPE_CHECKING:
    from sitroom.context import Context
    from sitroom.draft import Draft

__all__ = ["actor_from", "group_name", "is_locative", "run"]


def run(draft: Draft, ctx: Context) -> None:
    """Fill ``draft.events``, the report's main event first."""
    if draft.doc is None:
        return
    country = record.document_country(draft)
    mentions = detect.sentence_mentions(draft, ctx, country)
    events = [e for e in merge.merge(mentions) if not all(m.anaphoric for m in e.mentions)]
    for e in events:
        e.sub = merge.merged_type(e)
    severity = lexicon.lexicon().severity
    # salience: the report's main event first: the earliest, then the most severe and most repeated
    events.sort(key=lambda e: (e.first, all(m.background for m in e.mentions), -severity[e.sub]))
    draft.events = [record.finish(e, i, draft, ctx, country) for i, e in enumerate(events, start=1)]
    draft.events = status.link_elsewhere(draft, draft.events)
    table = ctx.actor_table
    if table:
        draft.events = [_renamed(ev, table) for ev in draft.events]


def _renamed(ev: Event, table: dict[str, ActorEntry]) -> Event:
    """An event's actors as the user's actor file names them."""
    a2 = apply_actor_table(ev.actor2, table) if ev.actor2 else None
    return ev.model_copy(update={"actor1": apply_actor_table(ev.actor1, table), "actor2": a2})
