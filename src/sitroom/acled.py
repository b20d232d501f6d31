"""ACLED's export format: its columns, in its order, and the codes derived from an event.

An ACLED export (the API's CSV) carries, besides the event's own fields, codes derived from them:
``time_precision`` from the date's precision, ``disorder_type`` from the sub-event type,
``interaction`` from the two actors' ``inter`` codes, ``civilian_targeting``, the numeric ``iso``
code and the ``region``. This module derives them, so that a sitroom CSV loads wherever an ACLED
export loads. sitroom's own columns (status, claimants, document, event id) follow ACLED's.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from sitroom.model import DocumentInfo, Event, EventType, SubEventType

#: The columns of an ACLED export, in ACLED's order.
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
#: sitroom's columns after ACLED's: what no ACLED export has.
SITROOM_COLUMNS = ("status", "claims", "confidence", "document_id", "event_id")
COLUMNS = ACLED_COLUMNS + SITROOM_COLUMNS

_REGIONS_FILE = Path(__file__).resolve().parent / "gazetteer" / "acled_regions.tsv"


@functools.cache
def regions() -> dict[str, str]:
    """ISO alpha-2 code -> ACLED region name (our table, ``gazetteer/acled_regions.tsv``)."""
    out = {}
    for line in _REGIONS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, region = line.split("\t")
            out[code] = region
    return out


def time_precision(precision: str | None, from_publication: bool) -> int:
    """ACLED's time precision: 1 the day, 2 a week or range of days, 3 a month or vaguer.

    >>> time_precision("day", False), time_precision("week", False), time_precision("year", False)
    (1, 2, 3)
    >>> time_precision(None, True)  # no date in the text: the report's date, within days of the event
    2
    """
    if from_publication:
        return 2
    return {"day": 1, "week": 2}.get(precision or "", 3)


def disorder_type(sub: SubEventType | str) -> str:
    """ACLED's disorder type of a sub-event type.

    >>> disorder_type("Armed clash"), disorder_type("Peaceful protest"), disorder_type("Arrests")
    ('Political violence', 'Demonstrations', 'Strategic developments')
    >>> disorder_type("Excessive force against protesters")
    'Political violence; Demonstrations'
    """
    from sitroom.model import SUB_EVENT_PARENT

    sub = SubEventType(sub)
    if sub in {SubEventType.EXCESSIVE_FORCE, SubEventType.MOB_VIOLENCE}:
        return "Political violence; Demonstrations"
    parent = SUB_EVENT_PARENT[sub]
    if parent in {EventType.PROTESTS, EventType.RIOTS}:
        return "Demonstrations"
    if parent is EventType.STRATEGIC:
        return "Strategic developments"
    return "Political violence"


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: the two inter codes, lower first; a lone actor's code times ten.

    >>> interaction(1, 7), interaction(7, 1), interaction(6, None), interaction(None, None)
    (17, 17, 60, None)
    """
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    lo, hi = sorted((inter1, inter2))
    return lo * 10 + hi


@functools.cache
def iso_numeric(code: str | None) -> str:
    """The ISO 3166 numeric code of an alpha-2 code, as ACLED's ``iso`` column writes it.

    >>> iso_numeric("KE"), iso_numeric(None)
    ('404', '')
    """
    if not code:
        return ""
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper())
    return str(int(country.numeric)) if country is not None else ""


@functools.cache
def _alpha3(code: str | None) -> str:
    if not code:
        return "XXX"
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper())
    return str(country.alpha_3) if country is not None else code.upper()


def row(event: Event, document: DocumentInfo, country_name: str | None) -> dict[str, Any]:
    """One event as a row of ``COLUMNS``."""
    loc = event.location
    date = event.date.value or ""  # the record dates what can be dated (the report's own events)
    inter1 = event.actor1.inter
    inter2 = event.actor2.inter if event.actor2 else None
    civilian = event.actor2 is not None and (
        inter2 == 7 or event.event_type == EventType.VIOLENCE_AGAINST_CIVILIANS
    )
    return {
        "event_id_cnty": f"{_alpha3(loc.country)}-{document.id}-{event.id}",
        "event_date": date,
        "year": date[:4],
        "time_precision": time_precision(event.date.precision, event.date.text is None) if date else "",
        "disorder_type": disorder_type(event.sub_event_type),
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1.name,
        "assoc_actor_1": "; ".join(event.assoc_actor_1),
        "inter1": "" if inter1 is None else inter1,
        "actor2": event.actor2.name if event.actor2 else "",
        "assoc_actor_2": "; ".join(event.assoc_actor_2),
        "inter2": "" if inter2 is None else inter2,
        "interaction": interaction(inter1, inter2) or "",
        "civilian_targeting": "Civilian targeting" if civilian else "",
        "iso": iso_numeric(loc.country),
        "region": regions().get((loc.country or "").upper(), ""),
        "country": country_name or "",
        "admin1": loc.admin1 or "",
        "admin2": loc.admin2 or "",
        "admin3": "",
        "location": loc.name or "",
        "latitude": "" if loc.lat is None else loc.lat,
        "longitude": "" if loc.lon is None else loc.lon,
        "geo_precision": loc.geo_precision or "",
        "source": document.source or document.url or document.id,
        "source_scale": "",
        # ACLED's notes summarise the event; the evidence spans are our closest verbatim equivalent.
        "notes": " ".join(span.text.strip() for span in event.evidence),
        "fatalities": event.fatalities,
        "tags": "",
        "timestamp": "",
        "status": event.status,
        "claims": "; ".join(event.claims),
        "confidence": event.confidence,
        "document_id": document.id,
        "event_id": event.id,
    }
