"""Build the pool of sentences to label for the event-typing model (reproducible, seeded).

Only folders whose licence allows reuse with attribution are read: event-location (MIT),
RAMS dev (CC BY-SA 4.0), the PLOVER gold-standard records (CC BY-SA 4.0) and the PETRARCH2 validation
sentences (MIT). Never ACLED, GVA,
GVC, CASE or conflict-news-dev texts.

    python training/build_pool.py ../shared/data training/labels/pool.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from pathlib import Path

SEED = 20261201


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _detok(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([,.;:!?%)\]'])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    return text.replace(" n't", "n't").replace(" 's", "'s").replace("`` ", '"').replace(" ''", '"')


def event_location(data: Path) -> list[tuple[str, str]]:
    rows = json.loads((data / "event-location" / "labeled_text.json").read_text(encoding="utf-8"))
    return [("event-location", _clean(r["text"])) for r in rows]


def rams(data: Path) -> list[tuple[str, str]]:
    out = []
    for line in (data / "rams-dev" / "dev.jsonlines").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        out += [("rams", _clean(_detok(s))) for s in doc["sentences"]]
    return out


def plover(data: Path) -> list[tuple[str, str]]:
    raw = (data / "plover-gsr" / "PLOVER_GSR_CAMEO.txt").read_text(encoding="utf-8")
    return [
        ("plover-gsr", _clean(json.loads('"' + m + '"')))
        for m in re.findall(r'"text":\s*"((?:[^"\\]|\\.)*)"', raw)
    ]


def petrarch(data: Path) -> list[tuple[str, str]]:
    out = []
    for name in ("PETR2_GSR_validation.xml", "PETR.UnitTest.records.xml"):
        raw = (data / "petrarch-gold" / name).read_text(encoding="utf-8")
        out += [("petrarch-gold", _clean(t)) for t in re.findall(r"<Text>(.*?)</Text>", raw, flags=re.S)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, help="the shared data folder (../shared/data)")
    ap.add_argument("out", type=Path, help="pool JSONL to write")
    ap.add_argument("--event-location", type=int, default=2700)
    ap.add_argument("--rams", type=int, default=650)
    ap.add_argument("--plover", type=int, default=250)
    a = ap.parse_args()
    rng = random.Random(SEED)
    chosen: list[tuple[str, str]] = []
    seen: set[str] = set()
    for rows, n in (
        (event_location(a.data), a.event_location),
        (rams(a.data), a.rams),
        (plover(a.data), a.plover),
    ):
        uniq = []
        for src, text in rows:
            if 25 <= len(text) <= 600 and text.lower() not in seen:
                seen.add(text.lower())
                uniq.append((src, text))
        chosen += rng.sample(uniq, min(n, len(uniq)))
    rng.shuffle(chosen)
    with a.out.open("w", encoding="utf-8") as fh:
        for src, text in chosen:
            sid = hashlib.sha1(text.encode()).hexdigest()[:10]
            fh.write(json.dumps({"id": sid, "source": src, "text": text}, ensure_ascii=False) + "\n")
    print(f"{len(chosen)} sentences -> {a.out}")


if __name__ == "__main__":
    main()
