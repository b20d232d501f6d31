"""Which of a sentence's places is the event's: our choice against event-location's gold.

Usage: python bench/event_location.py [--data ../shared/data/event-location/labeled_text.json]
                                      [--limit N] [--seed S] [--errors K]

event-location (Halterman, "Geolocating Political Events in Text", MIT) marks, for one event verb in a
sentence, the place where that event happened. For each sentence that has a gold place and in which
our places stage finds at least two places (so that the choice matters), the pipeline runs on the
sentence alone and the event mention whose trigger is the gold verb (else the sentence's first one)
gives its place. Prints the accuracy of the chosen place (its span overlaps the gold place), the
share of sentences where no place was chosen, and, over every sentence with a gold place, the share
where the chosen place is the gold one.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from sitroom.pipeline import Context, make_draft, run_stages
from sitroom.stages.events import detect
from sitroom.stages.events.record import document_country

HERE = Path(__file__).resolve().parent


def _span(item: dict[str, Any], span: dict[str, Any]) -> tuple[int, int] | None:
    """A gold span's characters: from its tokens where it names them (some character offsets in the
    file are off), else its own offsets."""
    tokens = item.get("tokens") or []
    first, last = span.get("token_start"), span.get("token_end")
    if first is not None and last is not None and 0 <= first <= last < len(tokens):
        return tokens[first]["start"], tokens[last]["end"]
    text = item["text"][span["start"] : span["end"]]
    return (span["start"], span["end"]) if text.strip() else None


def _gold(item: dict[str, Any]) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    verb = next((_span(item, s) for s in item["spans"] if s["label"] == "VERB"), None)
    loc = next((_span(item, s) for s in item["spans"] if s["label"] == "LOCATION"), None)
    return verb, loc


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = HERE.parent.parent / "shared" / "data" / "event-location" / "labeled_text.json"
    ap.add_argument("--data", type=Path, default=default)
    ap.add_argument("--limit", type=int, default=1500, help="sentences to read (0: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--errors", type=int, default=0, help="print K wrong choices")
    a = ap.parse_args(argv)
    try:
        items = json.loads(a.data.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SystemExit(
            f"cannot read {a.data}: {exc}; pass --data, event-location's labeled_text.json"
        ) from None
    items = [x for x in items if x.get("answer") in (None, "accept") and _gold(x)[1] is not None]
    random.Random(a.seed).shuffle(items)
    if a.limit:
        items = items[: a.limit]
    ctx = Context()
    n_all = right_all = n_choice = right = none = 0
    shown = 0
    t0 = time.perf_counter()
    for item in items:
        verb, loc = _gold(item)
        assert loc is not None
        draft = run_stages(make_draft(item["text"]), ctx)
        if draft.doc is None:
            continue
        n_all += 1
        mentions = detect.sentence_mentions(draft, ctx, document_country(draft))
        pick = next((m for m in mentions if verb and verb[0] <= m.trigger.idx < verb[1]), None)
        pick = pick or (mentions[0] if mentions else None)
        place = pick.place if pick else None
        ok = place is not None and place.start < loc[1] and loc[0] < place.end
        right_all += ok
        located = [p for p in draft.places if p.lat is not None]
        if len(located) < 2:
            continue
        n_choice += 1
        right += ok
        none += place is None
        if not ok and shown < a.errors:
            shown += 1
            got = place.text if place else None
            print(
                f"WRONG gold={item['text'][loc[0] : loc[1]]!r} got={got!r}: {item['text'][:160]}",
                file=sys.stderr,
            )
    print(
        json.dumps(
            {
                "sentences_with_gold_place": n_all,
                "chosen_is_gold_of_all": round(right_all / max(1, n_all), 4),
                "sentences_with_2_or_more_places": n_choice,
                "choice_accuracy": round(right / max(1, n_choice), 4),
                "no_place_chosen": round(none / max(1, n_choice), 4),
                "seconds": round(time.perf_counter() - t0, 1),
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
