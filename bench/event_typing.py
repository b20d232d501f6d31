"""Sub-event typing: rules only, model only and combined, on the labelled test split; and a
per-sub-type confusion table on ACLED notes.

Usage: python bench/event_typing.py [--labels training/labels]
                                    [--acled ../shared/data/acled-dev/acled-kenya.csv --limit 1000]

On the test split of training/labels/ (never trained or tuned on) each sentence is one input:
- rules: the pipeline with SITROOM_EVENT_MODEL=off, the main event's sub-type (or none);
- model: the typer's most probable label for the parsed sentence;
- combined: the default pipeline (rules and typer), the main event's sub-type (or none).
Prints weighted and macro F1 over the 26 labels, accuracy, and event-detection F1 (event or none).
With --acled, prints the confusion of ACLED's sub-event type (rows) against the main event's
(columns) for the combined pipeline.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "training"))

from labelled import LABELS, NONE, load  # noqa: E402

from sitroom import typer  # noqa: E402
from sitroom.context import Context, Settings  # noqa: E402
from sitroom.pipeline import extract  # noqa: E402


def scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    support = Counter(gold)
    weighted = macro = 0.0
    for lab in support:
        tp = sum(g == p == lab for g, p in zip(gold, pred, strict=True))
        pp = sum(p == lab for p in pred)
        prec = tp / pp if pp else 0.0
        rec = tp / support[lab]
        f = 2 * prec * rec / (prec + rec) if tp else 0.0
        weighted += f * support[lab]
        macro += f
    ev_tp = sum(g != NONE and p != NONE for g, p in zip(gold, pred, strict=True))
    ev_p = sum(p != NONE for p in pred)
    ev_g = sum(g != NONE for g in gold)
    ev_f = 2 * ev_tp / (ev_p + ev_g) if ev_p + ev_g else 0.0
    return {
        "weighted_f1": round(weighted / len(gold), 3),
        "macro_f1": round(macro / len(support), 3),
        "accuracy": round(sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold), 3),
        "event_detection_f1": round(ev_f, 3),
        "sentences": len(gold),
    }


def main_sub(text: str, ctx: Context) -> str:
    events = extract(text, published="2020-01-01", ctx=ctx).events
    return str(events[0].sub_event_type) if events else NONE


def labelled_split(labels_dir: Path) -> dict[str, dict[str, float]]:
    rows = [s for s in load(labels_dir) if s.split == "test"]
    gold = [s.label for s in rows]
    rules_ctx = Context(Settings(event_model="off"))
    combined_ctx = Context()
    out = {
        "rules": scores(gold, [main_sub(s.text, rules_ctx) for s in rows]),
        "combined": scores(gold, [main_sub(s.text, combined_ctx) for s in rows]),
    }
    model = combined_ctx.event_typer
    if model is not None:
        docs = list(combined_ctx.nlp.pipe(s.text for s in rows))
        probs = model.predict_spans([d[:] for d in docs])
        out["model"] = scores(gold, [typer.best(p)[0] for p in probs])
    return out


def acled_confusion(path: Path, limit: int, seed: int) -> tuple[list[str], dict[tuple[str, str], int]]:
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get("notes") or "").strip()]
    if limit and len(rows) > limit:
        rows = random.Random(seed).sample(rows, limit)
    ctx = Context()
    cells: Counter[tuple[str, str]] = Counter()
    for r in rows:
        cells[(r["sub_event_type"], main_sub(r["notes"], ctx))] += 1
    return [lab for lab in LABELS if any(k[0] == lab or k[1] == lab for k in cells)], dict(cells)


#: column heads of the confusion table
SHORT = {
    "Armed clash": "AC",
    "Government regains territory": "GRT",
    "Non-state actor overtakes territory": "NSO",
    "Sexual violence": "SV",
    "Attack": "ATK",
    "Abduction/forced disappearance": "ABD",
    "Chemical weapon": "CHM",
    "Air/drone strike": "AIR",
    "Suicide bomb": "SUI",
    "Shelling/artillery/missile attack": "SHL",
    "Remote explosive/landmine/IED": "IED",
    "Grenade": "GRN",
    "Peaceful protest": "PP",
    "Protest with intervention": "PWI",
    "Excessive force against protesters": "EXF",
    "Violent demonstration": "VD",
    "Mob violence": "MOB",
    "Agreement": "AGR",
    "Arrests": "ARR",
    "Change to group/activity": "CHG",
    "Disrupted weapons use": "DWU",
    "Headquarters or base established": "HQ",
    "Looting/property destruction": "LPD",
    "Non-violent transfer of territory": "NVT",
    "Other": "OTH",
    NONE: "none",
}


def confusion_markdown(labels: list[str], cells: dict[tuple[str, str], int]) -> str:
    short = {lab: SHORT[lab] for lab in labels}
    lines = ["| ACLED \\ sitroom | " + " | ".join(short[c] for c in labels) + " | rows | recall |"]
    lines.append("|---" * (len(labels) + 3) + "|")
    for g in labels:
        n = sum(cells.get((g, p), 0) for p in labels)
        if not n:
            continue
        row = [str(cells.get((g, p), "") or "") for p in labels]
        lines.append(f"| {g} | " + " | ".join(row) + f" | {n} | {cells.get((g, g), 0) / n:.2f} |")
    lines.append("")
    lines.append("Columns: " + "; ".join(f"{short[c]} = {c}" for c in labels))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, default=HERE.parent / "training" / "labels")
    ap.add_argument("--acled", type=Path, help="an ACLED CSV with notes, for the confusion table")
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip-labelled", action="store_true")
    a = ap.parse_args(argv)
    if not a.skip_labelled:
        print(json.dumps(labelled_split(a.labels), indent=1))
    if a.acled:
        labels, cells = acled_confusion(a.acled, a.limit, a.seed)
        print(confusion_markdown(labels, cells))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
