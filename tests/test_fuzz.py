"""Property tests and fuzzing of the parsers and writers: no input may raise an unhandled exception.

Derandomized (a fixed seed) with a fixed budget per property, so CI runs the same inputs every time;
SITROOM_FUZZ_EXAMPLES raises the budget for a longer local run.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitroom import sources
from sitroom.errors import InputError
from sitroom.export import json_line, spreadsheet_safe
from sitroom.stages.casualties import number, tolls
from sitroom.stages.dates import resolve
from sitroom.store.sqlite import fts_query

BUDGET = int(os.environ.get("SITROOM_FUZZ_EXAMPLES", "150"))
fuzz = settings(max_examples=BUDGET, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))

#: news-like words mixed with anything: the parsers see both
_WORDS = st.sampled_from(
    "at least more than dozens several two 12 1,200 killed dead injured wounded shot people soldiers a "
    "man woman were was on Monday last week 3 March 2024 yesterday ago the police said and , . ; - ' \" ( )"
    "".split()
)
_NEWSY = st.lists(_WORDS | st.text(max_size=8), max_size=40).map(" ".join)
_ANY = st.text(max_size=300) | _NEWSY


@fuzz
@given(text=_ANY, published=st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
def test_dates_resolve_any_text(text: str, published: dt.date | None) -> None:
    found = resolve(text, published, today=dt.date(2026, 12, 1))
    if found is not None:
        value, precision = found
        assert isinstance(value, str) and precision


@fuzz
@given(text=_ANY)
def test_casualty_phrases_any_text(text: str) -> None:
    toll = tolls(text, offset=7)
    for count in (toll.killed, toll.injured, toll.civilians_killed, toll.civilians_injured):
        assert count is None or (count.min >= 0 and (count.max is None or count.max >= count.min))
    for start, end in toll.spans:
        assert 7 <= start <= end <= len(text) + 7


@fuzz
@given(word=_ANY)
def test_number_words_any_text(word: str) -> None:
    count = number(word)
    assert count is None or count.min >= 0


@fuzz
@given(value=st.text(max_size=30) | st.integers(-(10**12), 10**12).map(str))
def test_size_and_date_settings_fail_cleanly(value: str) -> None:
    for parse in (sources.parse_size, sources.parse_published):
        try:
            parse(value)
        except InputError as exc:
            assert exc.message and exc.hint


@fuzz
@given(data=st.binary(max_size=600) | _ANY.map(lambda t: t.encode("utf-8")))
def test_readers_take_any_bytes(data: bytes) -> None:
    for reader in (sources.read_text, sources.read_html):
        for item in reader(data, "fuzz"):
            assert isinstance(item, (sources.Item, sources.Failed))
    for item in sources.read_jsonl(io.BytesIO(data), "fuzz.jsonl", 10_000):
        assert isinstance(item, (sources.Item, sources.Failed))


@fuzz
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {"id": st.text(max_size=20), "text": _ANY, "published": st.none() | st.text(max_size=12)}
        ),
        max_size=4,
    ),
    junk=st.lists(st.binary(max_size=30), max_size=3),
)
def test_jsonl_reader_with_good_and_bad_lines(rows: list[dict[str, object]], junk: list[bytes]) -> None:
    data = b"".join(json.dumps(r).encode() + b"\n" for r in rows) + b"\n".join(junk)
    items = list(sources.read_jsonl(io.BytesIO(data), "f.jsonl", 10_000))
    assert all(isinstance(i, (sources.Item, sources.Failed)) for i in items)


@fuzz
@given(name=_ANY, hint=st.none() | st.sampled_from(["KE", "US", "SY", "ZZ", ""]))
def test_gazetteer_lookup_any_name(name: str, hint: str | None) -> None:
    from sitroom.gazetteer import default_gazetteer

    for entry in default_gazetteer().lookup(name, hint):
        assert entry.name


@fuzz
@given(query=_ANY)
def test_fts_query_never_breaks_fts5(query: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    conn.execute("INSERT INTO t VALUES ('police shot dead two men in Nairobi')")
    conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts_query(query),)).fetchone()


@fuzz
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=20,
    )
)
def test_json_line_is_one_line_and_round_trips(value: object) -> None:
    line = json_line(value)
    assert line.endswith("\n") and len(line.splitlines()) == 1
    assert json.loads(line) == value


@fuzz
@given(
    row=st.dictionaries(
        st.text(max_size=5), st.text(max_size=20) | st.integers() | st.floats(allow_nan=False)
    )
)
def test_spreadsheet_safe_cells(row: dict[str, object]) -> None:
    safe = spreadsheet_safe(row)
    assert safe.keys() == row.keys()
    for key, value in safe.items():
        if isinstance(value, str):
            assert "\r" not in value
            if value[:1] in {"=", "+", "-", "@", "\t", "\n"}:
                float(value)  # only a number may start so
        else:
            assert value == row[key]
