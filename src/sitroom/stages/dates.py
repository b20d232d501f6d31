"""Stage: dates. Finds temporal expressions and normalizes them against the publication date.

Needs ``draft.text`` and ``draft.published`` (may be None); uses ``draft.doc`` when present to tell
"May" the month from "may" the verb, to accept bare year numbers and to see future tense. Sets
``draft.dates`` and, when no publication date was given, infers one (``published_inferred``).

The grammar is a handful of regular expressions over the raw text (fast, offsets exact). Each
pattern has a handler that turns a match into a value given an anchor (the publication date) and the
latest day-precision date mentioned before it, because news narrative refers back ("the same day").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from sitroom.model import DateExpr, Precision
from sitroom.numbers import TEENS_AND_TENS, UNITS

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from sitroom.context import Context
    from sitroom.draft import Draft

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_ABBR = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}

# Full names in title or upper case; abbreviations only where a day number follows them, since
# "Mar" or "Jun" alone are too often other words.
_MON_FULL = "|".join(_MONTHS + [m.upper() for m in _MONTHS])
_MON_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MON = rf"(?:{_MON_FULL}|{_MON_ABBR})"
_WD = "|".join(_WEEKDAYS)
_DAY = r"[0-3]?\d(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]|20)\d\d"
_RANGE_SEP = r"(?:\s*[-–—]\s*|\s+(?i:to|until|till|through)\s+)"
_PART = r"(?i:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of|the\s+start\s+of)"
_NUM_WORD = "|".join(_NUMBERS)

#: Words before a month name or a bare year number that make it a date rather than a verb or a count.
_DATE_PREPS = frozenset(
    {
        "in",
        "since",
        "until",
        "till",
        "by",
        "during",
        "from",
        "before",
        "after",
        "through",
        "of",
        "last",
        "this",
        "next",
        "early",
        "late",
        "mid",
        "between",
        "around",
        "throughout",
    }
)
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "’ll"})
_FUTURE_VERBS = frozenset({"expect", "schedule", "plan", "set", "due", "slate"})

_DURATION = re.compile(
    r"^(?:about |some |nearly |almost |more than |over |at least |the past |the last |the next |"
    r"the first |the coming |another |a further )?(?:\d+|[a-z-]+) (?:hours?|days?|weeks?|months?|years?|"
    r"decades?|minutes?|seconds?)(?: old| long)?$|daily|weekly|annual|every|each",
    re.I,
)
_TEMPORAL_HEAD = re.compile(
    r"\b(?:week|month|year|quarter|season|spring|summer|autumn|fall|winter|century|decade|weekend|"
    r"recently|era|period|holiday)s?\b",
    re.I,
)


class Resolution(NamedTuple):
    """A normalized value: ``day`` is set for day precision, to anchor later back-references."""

    value: str
    precision: Precision
    until: str | None = None
    day: dt.date | None = None


@dataclass
class _Env:
    anchor: dt.date | None
    last_day: dt.date | None
    today: dt.date
    future: bool = False
    #: the latest year mentioned so far, for "that year", "the following year"
    last_year: int | None = None


_Handler = Callable[[re.Match[str], _Env], Resolution | None]


def _day(d: dt.date, until: dt.date | None = None) -> Resolution:
    return Resolution(d.isoformat(), Precision.DAY, until.isoformat() if until else None, d)


def _month_value(year: int, month: int) -> Resolution:
    return Resolution(f"{year:04d}-{month:02d}", Precision.MONTH)


def _year_value(year: int) -> Resolution:
    return Resolution(f"{year:04d}", Precision.YEAR)


def _week_value(d: dt.date) -> Resolution:
    iso = d.isocalendar()
    return Resolution(f"{iso.year:04d}-W{iso.week:02d}", Precision.WEEK)


def _month_number(word: str) -> int:
    word = word.rstrip(".").lower()
    for i, name in enumerate(_MONTHS, 1):
        if word == name.lower():
            return i
    return _ABBR[word]


def _day_number(word: str) -> int:
    return int(re.sub(r"\D", "", word))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def _pick_year(month: int, day: int, env: _Env, weekday: int | None = None) -> dt.date | None:
    """The year of a month-day written without one.

    With no anchor only a weekday pins it: the latest year, not after today, where the date falls on
    that weekday. With an anchor, the nearest candidate, future ones counted triple (news mostly
    reports the past), and only future ones when the clause is in the future tense.
    """
    if env.anchor is None:
        if weekday is None:
            return None
        for year in range(env.today.year, env.today.year - 40, -1):
            d = _safe_date(year, month, day)
            if d is not None and d <= env.today and d.weekday() == weekday:
                return d
        return None
    anchor = env.anchor
    found = [
        d
        for y in (anchor.year - 1, anchor.year, anchor.year + 1)
        if (d := _safe_date(y, month, day)) is not None
    ]
    if weekday is not None and any(d.weekday() == weekday for d in found):
        found = [d for d in found if d.weekday() == weekday]
    if env.future and any(d >= anchor for d in found):
        found = [d for d in found if d >= anchor]
    if not found:
        return None

    def cost(d: dt.date) -> int:
        gap = (d - anchor).days
        return gap * 3 if gap > 0 else -gap

    return min(found, key=cost)


def _explicit_day(
    month: int, day: int, year: str | None, env: _Env, weekday: int | None = None
) -> dt.date | None:
    if year:
        return _safe_date(int(year), month, day)
    return _pick_year(month, day, env, weekday)


# ---------------------------------------------------------------- handlers, one per pattern


def _h_iso(m: re.Match[str], env: _Env) -> Resolution | None:
    d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return _day(d) if d else None


def _h_numeric(m: re.Match[str], env: _Env) -> Resolution | None:
    month, day, year = int(m["m"]), int(m["d"]), int(m["y"])
    if month > 12 >= day:  # only a day-first date can have a first number over 12
        month, day = day, month
    if year < 100:
        year += 2000 if year <= env.today.year % 100 else 1900
    d = _safe_date(year, month, day)
    return _day(d) if d else None


def _h_range(m: re.Match[str], env: _Env) -> Resolution | None:
    month = _month_number(m["mon"])
    first = _explicit_day(month, _day_number(m["d"]), m["y"], env)
    if first is None:
        return None
    last = _safe_date(first.year, month, _day_number(m["d2"]))
    if last is None or last <= first:
        return None
    return _day(first, last)


def _h_month_day(m: re.Match[str], env: _Env) -> Resolution | None:
    d = _explicit_day(_month_number(m["mon"]), _day_number(m["d"]), m["y"], env)
    return _day(d) if d else None


def _h_pair(m: re.Match[str], env: _Env) -> Resolution | None:
    weekday = _WEEKDAYS.index(m["wd"].title())
    mon, day, year = m["mon"] or m["mon2"], m["d"] or m["d2"], m["y"] or m["y2"]
    d = _explicit_day(_month_number(mon), _day_number(day), year, env, weekday)
    return _day(d) if d else None


def _h_month(m: re.Match[str], env: _Env) -> Resolution | None:
    month = _month_number(m["mon"])
    if m["y"]:
        return _month_value(int(m["y"]), month)
    a = env.anchor
    if a is None:
        return None
    if m["yrel"]:
        shift = {"last": -1, "this": 0, "next": 1}[m["yrel"].split()[0].lower()]
        return _month_value(a.year + shift, month)
    rel = " ".join((m["rel"] or "").lower().split())
    if rel in ("last", "this past"):
        return _month_value(a.year if month < a.month else a.year - 1, month)
    if rel == "this":
        return _month_value(a.year, month)
    if rel in ("next", "this coming") or env.future:
        ahead = month > a.month if rel else month >= a.month
        return _month_value(a.year if ahead else a.year + 1, month)
    return _month_value(a.year if month <= a.month else a.year - 1, month)


def _h_year(m: re.Match[str], env: _Env) -> Resolution | None:
    return _year_value(int(m["y"]))


def _h_weekday(m: re.Match[str], env: _Env) -> Resolution | None:
    a = env.anchor
    if a is None:
        return None
    weekday = _WEEKDAYS.index(m["wd"].title())
    back = (a.weekday() - weekday) % 7
    rel = " ".join((m["rel"] or "").lower().split())
    if rel.startswith("the "):
        # "the previous Friday" counts from the story's last date, not from publication
        base = env.last_day or a
        shift = (base.weekday() - weekday) % 7 or 7
        return _day(
            base - dt.timedelta(days=shift)
            if "previous" in rel or "preceding" in rel
            else base + dt.timedelta(days=(weekday - base.weekday()) % 7 or 7)
        )
    if rel in ("last", "this past", "past"):
        return _day(a - dt.timedelta(days=back or 7))
    if rel in ("next", "this coming", "coming"):
        return _day(a + dt.timedelta(days=(weekday - a.weekday()) % 7 or 7))
    if rel == "this" or env.future:
        return _day(a + dt.timedelta(days=(weekday - a.weekday()) % 7))
    return _day(a - dt.timedelta(days=back))


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (1-based; -1 the last) given weekday of a month."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _holiday(name: str, year: int) -> dt.date | None:
    """The day of a holiday named in news in a given year (Western Easter; US holidays as the US
    keeps them)."""
    from dateutil.easter import easter

    key = " ".join(name.lower().replace("’", "'").split())
    fixed = {
        "christmas eve": (12, 24),
        "christmas": (12, 25),
        "christmas day": (12, 25),
        "boxing day": (12, 26),
        "new year's eve": (12, 31),
        "new year's day": (1, 1),
        "new year's": (1, 1),
        "halloween": (10, 31),
        "valentine's day": (2, 14),
        "fourth of july": (7, 4),
        "the fourth of july": (7, 4),
    }
    if key in fixed:
        return dt.date(year, *fixed[key])
    sunday: dt.date = easter(year)
    if key in {"easter", "easter sunday"}:
        return sunday
    if key == "good friday":
        return sunday - dt.timedelta(days=2)
    if key == "easter monday":
        return sunday + dt.timedelta(days=1)
    if key in {"thanksgiving", "thanksgiving day"}:
        return _nth_weekday(year, 11, 3, 4)
    if key == "memorial day":
        return _nth_weekday(year, 5, 0, -1)
    if key == "labor day":
        return _nth_weekday(year, 9, 0, 1)
    return None


def _h_holiday(m: re.Match[str], env: _Env) -> Resolution | None:
    """ "on Christmas Eve", "an Easter morning shooting", "last Thanksgiving": the latest such day on
    or before the publication date ("next Christmas": the first after it)."""
    if env.anchor is None:
        return None
    rel = (m["rel"] or "").lower()
    days = [
        d for y in (env.anchor.year - 1, env.anchor.year, env.anchor.year + 1) if (d := _holiday(m["h"], y))
    ]
    if rel == "next":  # a holiday names a day of the story, whatever the tense ("will serve 20 years
        # for the Easter shooting"): only "next" looks ahead
        later = [d for d in days if d >= env.anchor]
        return _day(min(later)) if later else None
    earlier = [d for d in days if d <= env.anchor]
    if rel == "last" and earlier and earlier[-1] == env.anchor:
        earlier = earlier[:-1]
    return _day(max(earlier)) if earlier else None


def _h_relative_day(m: re.Match[str], env: _Env) -> Resolution | None:
    if env.anchor is None:
        return None
    words = m.group(0).lower()
    if "before yesterday" in words:
        offset = -2
    elif "yesterday" in words or "last night" in words:
        offset = -1
    elif "tomorrow" in words:
        offset = 1
    else:
        offset = 0
    return _day(env.anchor + dt.timedelta(days=offset))


def _h_narrative_day(m: re.Match[str], env: _Env) -> Resolution | None:
    """Days told relative to the story's last date ("the day before", "later that day")."""
    base = env.last_day or env.anchor
    if base is None:
        return None
    words = m.group(0).lower()
    if any(w in words for w in ("before", "previous", "preceding", "prior")):
        return _day(base - dt.timedelta(days=1))
    if any(w in words for w in ("next", "following", "after")):
        return _day(base + dt.timedelta(days=1))
    return _day(base)


def _h_ago(m: re.Match[str], env: _Env) -> Resolution | None:
    unit = m["unit"].lower()
    base = env.last_day if unit == "day" and m["dir"].lower() != "ago" and env.last_day else env.anchor
    if base is None:
        return None
    n = _NUMBERS.get(m["n"].lower()) or int(m["n"])
    sign = 1 if m["dir"].lower() == "later" else -1
    if unit == "day":
        return _day(base + dt.timedelta(days=sign * n))
    if unit == "week":
        return _week_value(base + dt.timedelta(weeks=sign * n))
    if unit == "month":
        return _month_value(*_shift_months(base.year, base.month, sign * n))
    return _year_value(base.year + sign * n)


def _h_relative_period(m: re.Match[str], env: _Env) -> Resolution | None:
    a = env.anchor
    if a is None:
        return None
    shift = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[
        m["rel"].lower()
    ]
    unit = m["unit"].lower()
    if unit == "week":
        return _week_value(a + dt.timedelta(weeks=shift))
    if unit == "month":
        return _month_value(*_shift_months(a.year, a.month, shift))
    return _year_value(a.year + shift)


def _h_weekend(m: re.Match[str], env: _Env) -> Resolution | None:
    """ "last weekend", "over the weekend", "this weekend": the ISO week of that Saturday and Sunday.

    News reports the past: "over the weekend" in a Monday paper is the weekend just gone; "last
    weekend" in a weekend paper is the one before; "this weekend" on a Friday is the coming one.
    """
    a = env.anchor
    if a is None:
        return None
    words = m.group(0).lower()
    back_to_saturday = (a.weekday() - 5) % 7  # days since the most recent Saturday (0 on Saturday)
    saturday = a - dt.timedelta(days=back_to_saturday)
    if "last" in words or "past" in words:
        if a.weekday() >= 5:
            saturday -= dt.timedelta(days=7)
    elif ("this" in words or "coming" in words or env.future) and a.weekday() == 4:
        saturday += dt.timedelta(days=7)
    return _week_value(saturday)


def _h_story_year(m: re.Match[str], env: _Env) -> Resolution | None:
    """Years told relative to the story ("that year", "the following year", "earlier in the year")."""
    words = m.group(0).lower()
    if "in the year" in words:
        return _year_value(env.anchor.year) if env.anchor else None
    if env.last_year is None:
        return None
    shift = -1 if ("previous" in words or "preceding" in words) else 1 if "following" in words else 0
    return _year_value(env.last_year + shift)


_TENS = TEENS_AND_TENS
_UNITS = UNITS


def _h_spelled_year(m: re.Match[str], env: _Env) -> Resolution | None:
    """Years as broadcast transcripts spell them: "nineteen ninety-six"."""
    rest = _TENS[m["tens"].lower()] + (_UNITS[m["unit"].lower()] if m["unit"] else 0)
    return _year_value(1900 + rest)


def _h_ordinal_day(m: re.Match[str], env: _Env) -> Resolution | None:
    a = env.anchor
    if a is None:
        return None
    day = _day_number(m["d"])
    year, month = (a.year, a.month) if day <= a.day else _shift_months(a.year, a.month, -1)
    d = _safe_date(year, month, day)
    return _day(d) if d else None


# ---------------------------------------------------------------- the grammar


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    handler: _Handler
    #: True when the match is a bare month name or year number that needs context to be a date
    ambiguous: bool = False


def _p(pattern: str, handler: _Handler, ambiguous: bool = False) -> _Pattern:
    return _Pattern(re.compile(pattern), handler, ambiguous)


_PATTERNS: tuple[_Pattern, ...] = (
    _p(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b", _h_iso),
    _p(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b", _h_numeric),
    _p(
        rf"\b(?:(?i:from)\s+)?(?P<d>{_DAY}){_RANGE_SEP}(?P<d2>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON})"
        rf"(?:,?\s+(?P<y>{_YEAR}))?\b",
        _h_range,
    ),
    _p(
        rf"\b(?:(?i:from)\s+)?(?P<mon>{_MON})\s+(?P<d>{_DAY}){_RANGE_SEP}(?P<d2>{_DAY})\b"
        rf"(?:,?\s+(?P<y>{_YEAR})\b)?",
        _h_range,
    ),
    _p(rf"\b(?P<mon>{_MON})\s+(?P<d>{_DAY})\b(?:,?\s+(?P<y>{_YEAR})\b)?", _h_month_day),
    _p(
        rf"\b(?:(?i:the)\s+)?(?P<d>{_DAY})\s+(?:(?i:of)\s+)?(?P<mon>{_MON})\b(?:,?\s+(?P<y>{_YEAR})\b)?",
        _h_month_day,
    ),
    # A weekday with its date, "Friday (July 7)" or "Thursday, 6 July": the date decides, the weekday
    # pins the year when none is written.
    _p(
        rf"\b(?P<wd>{_WD}),?\s*(?P<open>\()?\s*(?:(?P<mon>{_MON})\s+(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?"
        rf"|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<mon2>{_MON})(?:,?\s+(?P<y2>{_YEAR}))?)\b(?(open)\s*\))",
        _h_pair,
    ),
    _p(
        rf"\b(?:(?P<rel>(?i:last|this\s+coming|this\s+past|this|next))\s+)?(?:{_PART}[-\s]+)?"
        rf"(?P<mon>{_MON_FULL}|Sept\.)(?:,?\s+(?:(?i:of)\s+)?(?P<y>{_YEAR})\b"
        rf"|\s+(?P<yrel>(?i:last|this|next)\s+year)\b)?(?![\w-])",
        _h_month,
        ambiguous=True,
    ),
    _p(
        rf"\b(?:(?:{_PART})[-\s]+|(?i:fiscal(?:\s+year)?)\s+)?(?<![$#\d,.])(?P<y>{_YEAR})\b"
        r"(?!\s*(?:%|percent)|[-–]\d|[,.]\d|s\b)",
        _h_year,
        ambiguous=True,
    ),
    _p(
        rf"\b(?:(?P<rel>(?i:the\s+(?:previous|preceding|following|next)|last|this\s+coming|this\s+past|this|next|coming|past|early|late|earlier|later))"
        rf"\s+)?(?P<wd>{_WD})(?!s\b)(?:\s+(?i:morning|afternoon|evening|night))?\b",
        _h_weekday,
    ),
    _p(
        r"\b(?:(?P<rel>(?i:last|this|next))\s+)?(?P<h>Christmas(?:\s+(?:Day|Eve))?|Boxing\s+Day"
        r"|New\s+Year['’]s(?:\s+(?:Day|Eve))?|Easter(?:\s+(?:Sunday|Monday))?|Good\s+Friday"
        r"|Thanksgiving(?:\s+Day)?|Halloween|Valentine['’]s\s+Day|(?i:the\s+)?Fourth\s+of\s+July"
        r"|Memorial\s+Day|Labor\s+Day)\b(?!\s+(?:season|holidays?|break|sales?|shopping|parade|tree|"
        r"lights?|party|dinner|card|gifts?|message|address|speech|offensive|truce|ceasefire))",
        _h_holiday,
    ),
    _p(
        r"\b(?i:(?:the\s+day\s+before\s+yesterday)|(?:(?:early|late|earlier|later)\s+)?"
        r"(?:today|yesterday|tomorrow|tonight)(?:\s+(?:morning|afternoon|evening|night))?"
        r"|last\s+night|this\s+(?:morning|afternoon|evening))\b",
        _h_relative_day,
    ),
    _p(
        r"\b(?i:the\s+(?:day|night)\s+(?:before|after)(?!\s+(?:the|a|an|his|her|its|their|this|that|\w+ing)\b"
        r"|\s+[A-Z0-9])|the\s+(?:previous|preceding|next|following|same)"
        r"\s+day|(?:earlier|later)\s+(?:in\s+the|that)\s+day|that\s+same\s+day)\b",
        _h_narrative_day,
    ),
    _p(
        rf"\b(?i:(?:(?:nearly|almost|about|some|roughly|more\s+than|over|just|only)\s+)?"
        rf"(?P<n>\d{{1,3}}|{_NUM_WORD})\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>ago|earlier|later))\b",
        _h_ago,
    ),
    _p(
        r"\b(?i:(?:(?:earlier|later|early|late)\s+)?(?P<rel>last|this|next|current|previous|coming)\s+"
        r"(?P<unit>week|month|year))\b(?!-)",
        _h_relative_period,
    ),
    _p(
        r"\b(?i:(?:last|this|past|this\s+past|coming|(?:over|during|at)\s+the|the)\s+weekend)\b",
        _h_weekend,
    ),
    _p(
        r"\b(?i:that\s+(?:same\s+)?year|the\s+(?:same|previous|preceding|following)\s+year|"
        r"(?:earlier|later)\s+in\s+the\s+year)\b(?![-\w])",
        _h_story_year,
    ),
    _p(
        rf"\b(?i:nineteen[\s-]+(?P<tens>{'|'.join(_TENS)})(?:-(?P<unit>{'|'.join(_UNITS)}))?)\b",
        _h_spelled_year,
    ),
    _p(rf"(?<=\b[Oo]n\s)the\s+(?P<d>[0-3]?\d(?:st|nd|rd|th))\b(?!\s+(?:of\s+)?(?:{_MON}))", _h_ordinal_day),
)


class _Hit(NamedTuple):
    start: int
    end: int
    pattern: _Pattern
    match: re.Match[str]


def _accept(hit: _Hit, text: str, doc: Doc | None, lenient: bool) -> bool:
    """Whether a bare month name ("May", "March") or year number is meant as a date here."""
    m = hit.match
    if (
        hit.pattern.handler in (_h_relative_day, _h_relative_period)
        and not lenient
        and m.group(0)[0].isupper()
        and not _sentence_start(text, hit.start)
    ):
        return False
    if not hit.pattern.ambiguous or lenient:
        return True
    if m.group(0) != (m["mon"] if "mon" in m.re.groupindex else m["y"]):
        return True  # a modifier or a year already makes it a date
    word = m.group(0)
    before = re.findall(r"[\w-]+", text[max(0, hit.start - 30) : hit.start])
    previous = before[-1].lower() if before else ""
    if previous in _DATE_PREPS:
        return True
    if doc is not None:
        span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
        if span is None or not len(span):
            return False
        token = span[0]
        if word.isdigit():
            return any(e.label_ == "DATE" and e.start <= token.i < e.end for e in doc.ents)
        return token.tag_ != "MD" and not token.tag_.startswith("VB")
    if word.isdigit():
        return text[hit.end : hit.end + 1] in ("", ",", ".", ";", ":", ")", "!", "?")
    return word not in ("May", "March")


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n_"


def _find(text: str, doc: Doc | None = None, lenient: bool = False) -> list[_Hit]:
    """Longest non-overlapping matches of the grammar, in text order."""
    hits = [_Hit(m.start(), m.end(), p, m) for p in _PATTERNS for m in p.regex.finditer(text)]
    hits.sort(key=lambda h: (h.start - h.end, h.start))
    taken: list[_Hit] = []
    used = bytearray(len(text))  # characters already covered, so long texts stay linear
    for hit in hits:
        if any(used[hit.start : hit.end]):
            continue
        if _accept(hit, text, doc, lenient):
            taken.append(hit)
            used[hit.start : hit.end] = b"\x01" * (hit.end - hit.start)
    taken.sort(key=lambda h: h.start)
    return taken


#: past-tense verbs whose infinitive still looks ahead ("agreed to meet on Monday")
_LOOKING_AHEAD = frozenset(
    [
        "agree",
        "plan",
        "decide",
        "vow",
        "promise",
        "pledge",
        "threaten",
        "aim",
        "intend",
        "expect",
        "schedule",
        "set",
        "hope",
        "want",
        "prepare",
        "announce",
        "order",
    ]
)


def _is_future(doc: Doc | None, start: int, end: int) -> bool:
    """Whether the verb governing the expression is in the future tense ("will meet on Friday")."""
    if doc is None:
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    token = span.root
    for _ in range(6):
        if token.pos_ in ("VERB", "AUX"):
            aux = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
            if any(c.lower_ in _FUTURE_AUX for c in aux):
                return True
            # "set to resume Monday", "agreed to buy in January": an infinitive looks ahead
            if token.tag_ == "VB" and any(c.lower_ == "to" for c in aux):
                # "fired tear gas to disperse them on Monday": a purpose clause of a past event is past
                head = token.head
                return not (head.tag_ == "VBD" and head.lemma_ not in _LOOKING_AHEAD)
            return token.lemma_ in _FUTURE_VERBS and any(c.lower_ in ("is", "are") for c in aux)
        if token.head is token:
            break
        token = token.head
    return False


def _handled(hit: _Hit, env: _Env) -> Any:
    """A pattern's reading of a match; None when the arithmetic leaves the calendar (year 1 or 9999)."""
    try:
        return hit.pattern.handler(hit.match, env)
    except (OverflowError, ValueError):
        return None


def resolve(
    expr_text: str, published: dt.date | None, today: dt.date | None = None
) -> tuple[str, Precision] | None:
    """The value and precision of one temporal expression, or None when it cannot be normalized.

    >>> import datetime as dt
    >>> resolve("last Friday", dt.date(2023, 7, 8)) == ("2023-07-07", "day")
    True
    >>> resolve("in March 2019", None) == ("2019-03", "month")
    True
    """
    hits = _find(expr_text, lenient=True)
    if not hits:
        return None
    hit = max(hits, key=lambda h: h.end - h.start)
    env = _Env(anchor=published, last_day=None, today=today or published or dt.date.today())
    found = _handled(hit, env)
    return (found.value, found.precision) if found else None


def _unmatched_date_entities(doc: Doc, hits: list[_Hit]) -> list[tuple[int, int]]:
    """spaCy DATE entities the grammar missed that name a period (kept with no value), not durations."""
    spans = []
    for ent in doc.ents:
        if ent.label_ != "DATE" or any(ent.start_char < h.end and h.start < ent.end_char for h in hits):
            continue
        if _TEMPORAL_HEAD.search(ent.text) and not _DURATION.search(ent.text):
            spans.append((ent.start_char, ent.end_char))
    return spans


def run(draft: Draft, ctx: Context) -> None:
    text, doc = draft.text, draft.doc
    hits = _find(text, doc)
    today = ctx.settings.today
    futures = [_is_future(doc, h.start, h.end) for h in hits]
    if draft.published is None:
        # Only expressions that fix a day by themselves (a written year, or a weekday that pins one)
        # can date the report: the latest of them not after today.
        pins = [
            r.day
            for h in hits
            if (r := _handled(h, _Env(None, None, today))) and r.day and r.day <= today
        ]
        if pins:
            draft.published = max(pins)
            draft.published_inferred = True
    env = _Env(anchor=draft.published, last_day=None, today=today)
    dates: list[DateExpr] = []
    for hit, future in zip(hits, futures, strict=True):
        env.future = future
        found = _handled(hit, env)
        if found is not None and found.day is not None:
            env.last_day = found.day
        if found is not None:
            env.last_year = int(found.value[:4])
        dates.append(
            DateExpr(
                start=hit.start,
                end=hit.end,
                text=text[hit.start : hit.end],
                value=found.value if found else None,
                precision=found.precision if found else None,
                until=found.until if found else None,
            )
        )
    if doc is not None:
        dates.extend(DateExpr(start=s, end=e, text=text[s:e]) for s, e in _unmatched_date_entities(doc, hits))
    draft.dates = _between_ranges(text, sorted(dates, key=lambda d: d.start))


_BETWEEN = re.compile(r"\bbetween\s+$", re.I)


def _between_ranges(text: str, dates: list[DateExpr]) -> list[DateExpr]:
    """ "between Monday and Wednesday": one expression from the first day with ``until`` the last
    (two days joined by "and" alone stay two expressions)."""
    out: list[DateExpr] = []
    i = 0
    while i < len(dates):
        d = dates[i]
        nxt = dates[i + 1] if i + 1 < len(dates) else None
        if (
            nxt is not None
            and d.precision == "day"
            and nxt.precision == "day"
            and d.value
            and nxt.value
            and d.value < nxt.value
            and text[d.end : nxt.start].strip().lower() == "and"
            and _BETWEEN.search(text[max(0, d.start - 12) : d.start])
        ):
            start = d.start - len(_BETWEEN.search(text[max(0, d.start - 12) : d.start]).group())  # type: ignore[union-attr]
            out.append(
                DateExpr(
                    start=start,
                    end=nxt.end,
                    text=text[start : nxt.end],
                    value=d.value,
                    precision=d.precision,
                    until=nxt.until or nxt.value,
                )
            )
            i += 2
            continue
        out.append(d)
        i += 1
    return out
