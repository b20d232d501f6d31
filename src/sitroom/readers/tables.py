"""CSV and TSV tables: one document per row, the report in a text column.

The text column is ``--text-column NAME``, else the first of text, body, content, article, notes
(any case). Columns id, url (or link), title (or headline), source (or outlet, publisher) and
published (or date, publish_date) fill the document's metadata. Rows are numbered as a spreadsheet
numbers them (the header is row 1), so a bad row is named ``table.csv:7`` and fails alone.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sitroom.errors import InputError
from sitroom.sources import Failed, Item, ReadOptions, _too_big, decode, parse_published

TEXT_COLUMNS = ("text", "body", "content", "article", "notes")
#: the document's fields, each from the first of its columns that a row fills
FIELD_COLUMNS = {
    "id": ("id",),
    "url": ("url", "link"),
    "title": ("title", "headline"),
    "source": ("source", "outlet", "publisher"),
    "published": ("published", "date", "publish_date"),
}
_DELIMITERS = (",", ";", "\t", "|")
# The csv module's limit is a C long: 2**31 - 1 holds on every platform.
_FIELD_LIMIT_MAX = 2**31 - 1


def _raise_field_limit(max_bytes: int) -> None:
    """Let a field be as long as the size cap allows (the csv module's default is 128 KiB). The limit
    is the process's, so it is only ever raised; each row is checked against this read's own cap."""
    wanted = min(max_bytes, _FIELD_LIMIT_MAX)
    if csv.field_size_limit() < wanted:
        csv.field_size_limit(wanted)


def _open_text(file: Path, label: str, options: ReadOptions, data: bytes | None = None) -> IO[str]:
    """The table's text: decoded whole (BOM, UTF-8, declared or detected charset) when within the
    size cap, else streamed as UTF-8 (a larger file must be UTF-8)."""
    if data is not None:
        return io.StringIO(decode(data, label), newline="")
    if file.stat().st_size <= options.max_bytes:
        return io.StringIO(decode(file.read_bytes(), label), newline="")
    return io.TextIOWrapper(file.open("rb"), encoding="utf-8-sig", newline="")


def _delimiter(header_line: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])  # ties keep the first: a comma
    return best if counts[best] else ","


def _text_column(header: list[str], wanted: str | None) -> int:
    names = [h.strip().lower() for h in header]
    shown = ", ".join(h.strip() for h in header if h.strip()) or "none"
    if wanted is not None:
        if wanted.strip().lower() in names:
            return names.index(wanted.strip().lower())
        raise InputError(
            "E113",
            f"has no column {wanted!r} (its columns: {shown})",
            "pass --text-column with one of its columns",
        )
    for name in TEXT_COLUMNS:
        if name in names:
            return names.index(name)
    raise InputError(
        "E113",
        f"has no text column: none of {', '.join(TEXT_COLUMNS)} (its columns: {shown})",
        "name the column that holds the reports with --text-column NAME",
    )


def read_table(
    file: Path, label: str, suffix: str, options: ReadOptions, data: bytes | None = None
) -> Iterator[Item | Failed]:
    """The rows of a .csv or .tsv file, one `Item` each; a bad row fails alone. ``data`` is the
    file's content when read already (from a named pipe, capped)."""
    _raise_field_limit(options.max_bytes)
    try:
        stream = _open_text(file, label, options, data)
    except InputError as exc:
        yield Failed(label, exc)
        return
    with stream:
        try:
            yield from _rows(stream, label, suffix, options)
        except UnicodeDecodeError as exc:
            yield Failed(
                label,
                InputError(
                    "E103",
                    f"is not valid UTF-8 (byte {exc.start} of a block) and too large to detect its charset",
                    "re-save the file as UTF-8",
                ),
            )


def _rows(stream: IO[str], label: str, suffix: str, options: ReadOptions) -> Iterator[Item | Failed]:
    first = stream.readline()  # the header line tells the delimiter
    reader = csv.reader(itertools.chain([first], stream), delimiter=_delimiter(first, suffix))
    header: list[str] | None = None
    columns: dict[str, int] = {}
    text_at = 0
    row_number = 0
    rows = 0
    while True:
        row_number += 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                yield Failed(
                    f"{label}:{row_number}", _too_big(f"a field of row {row_number}", options.max_bytes)
                )
            else:
                yield Failed(
                    f"{label}:{row_number}",
                    InputError("E114", f"cannot read the row ({exc})", "fix or remove this row"),
                )
            continue
        if header is None:
            if not any(cell.strip() for cell in row):
                row_number -= 1  # blank lines before the header are no rows
                continue
            header = [cell.lstrip("\ufeff") for cell in row]
            try:
                text_at = _text_column(header, options.text_column)
            except InputError as exc:
                yield Failed(label, exc)
                return
            names = [h.strip().lower() for h in header]
            columns = {name: names.index(name) for name in names if name}
            continue
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        if max(len(cell) for cell in row) > options.max_bytes:
            yield Failed(f"{label}:{row_number}", _too_big(f"a field of row {row_number}", options.max_bytes))
            continue
        try:
            yield _item(row, header, text_at, columns, f"{label}:{row_number}")
        except InputError as exc:
            yield Failed(f"{label}:{row_number}", exc)
    if header is None:
        yield Failed(label, InputError("E101", "is empty: nothing to extract", "pass a table with a header"))
    elif rows == 0:
        yield Failed(
            label, InputError("E101", "has a header but no rows", "add one row per report below the header")
        )


def _item(row: list[str], header: list[str], text_at: int, columns: dict[str, int], label: str) -> Item:
    extra = [cell for cell in row[len(header) :] if cell.strip()]
    if extra:
        raise InputError(
            "E114",
            f"has {len(row)} fields but the header has {len(header)} (an unquoted delimiter in the text?)",
            "quote the fields that hold the delimiter, or fix this row",
        )
    text = row[text_at] if text_at < len(row) else ""
    if not text.strip():
        raise InputError(
            "E114", f"has no text in column {header[text_at].strip()!r}", "fill it in, or remove the row"
        )
    fields = {name: _field(row, columns, name) for name in FIELD_COLUMNS}
    published = None
    if fields["published"] is not None:
        column, day = fields["published"]
        published = parse_published(day, f"column {header[column].strip()!r}")
    return Item(
        label=label,
        text=text,
        id=fields["id"][1] if fields["id"] else None,
        url=fields["url"][1] if fields["url"] else None,
        title=fields["title"][1] if fields["title"] else None,
        source=fields["source"][1] if fields["source"] else None,
        published=published,
    )


def _field(row: list[str], columns: dict[str, int], name: str) -> tuple[int, str] | None:
    """The column and value of a document field: the first of its columns that the row fills."""
    for column_name in FIELD_COLUMNS[name]:
        index = columns.get(column_name)
        if index is not None and index < len(row) and row[index].strip():
            return index, row[index].strip()
    return None
