"""Stage: places (being written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitroom.draft import Draft
    from sitroom.pipeline import Context


def run(draft: Draft, ctx: Context) -> None:
    return None
