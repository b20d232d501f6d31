"""Readers: files, folders, URLs and standard input in, one `Item` per document out.

A reader never raises for a bad input: it yields a `Failed` naming the input (``feed.jsonl:12``) so
that the caller decides whether to skip it or stop, and the other documents of a feed still go on.
Plain text, HTML and JSONL are read here; folders, CSV, PDF, Telegram exports, RSS/Atom feeds, URLs
and WARC archives by `sitroom.readers`, which `read_path` hands them to.

>>> items = list(read_text(b"Two soldiers were killed.", "note.txt"))
>>> items[0].text, items[0].label
('Two soldiers were killed.', 'note.txt')
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sitroom.errors import InputError

#: Inputs larger than this are refused before being read whole (a feed is capped per line).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_BYTES_ENV = "SITROOM_MAX_BYTES"
#: Seconds to wait for a feed or a page over http(s) before giving up on it.
FETCH_TIMEOUT = 10.0
#: Seconds a whole fetch may take, body included: FETCH_TIMEOUT bounds each wait for the next bytes,
#: so a server that trickles a byte at a time would otherwise hold a fetch as long as it likes.
FETCH_DEADLINE = 30.0
#: Devices that never end: refused by name rather than read up to the size cap.
_ENDLESS_DEVICES = frozenset({"/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"})

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = (
    re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE),
    re.compile(rb"<\?xml[^>]+encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)[\"']", re.IGNORECASE),
)
# Control bytes that never occur in text (tab, newlines, form feed and escape excepted).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Item:
    """One document to extract, with what its input said about it."""

    label: str
    text: str
    id: str | None = None
    published: dt.date | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Failed:
    """An input (a file, a JSONL line) that could not be read; the label names it."""

    label: str
    error: InputError


def _warn_stderr(label: str, message: str) -> None:
    print(f"warning: {label}: {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are read: the size cap, and the choices some formats need.

    ``text_column`` names the CSV column that holds the report; ``warn(label, message)`` takes what is
    worth saying but is no failure (skipped files, a page that could not be fetched); ``seen(id, url)``
    may say that a feed entry is stored already, so that its page is not fetched again (its summary
    stands in, and the store skips it by id or url). ``timeout`` bounds each wait on a server,
    ``deadline`` a whole fetch.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    text_column: str | None = None
    warn: Callable[[str, str], None] = field(default=_warn_stderr)
    seen: Callable[[str | None, str | None], bool] | None = None
    timeout: float = FETCH_TIMEOUT
    deadline: float = FETCH_DEADLINE


def parse_size(value: str | int) -> int:
    """Bytes from ``20000000``, ``20MB``, ``512k``.

    >>> parse_size("20MB"), parse_size("512k"), parse_size(100)
    (20971520, 524288, 100)
    """
    if isinstance(value, int):
        number, unit = value, ""
    else:
        match = re.fullmatch(r"\s*(\d+)\s*([kmg]?)i?b?\s*", value, re.IGNORECASE)
        if not match:
            raise InputError(
                "E110",
                f"cannot read the size {value!r}",
                "give a number of bytes, optionally with K, M or G (e.g. 20MB)",
            )
        number, unit = int(match.group(1)), match.group(2).lower()
    size = number * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]
    if size <= 0:
        raise InputError("E110", f"the size limit must be positive, not {value!r}", "e.g. --max-size 20MB")
    return size


def max_bytes_setting(value: str | int | None = None) -> int:
    """The size cap: the given value, else SITROOM_MAX_BYTES, else 20 MB."""
    setting = value if value is not None else os.environ.get(MAX_BYTES_ENV)
    return DEFAULT_MAX_BYTES if setting is None or setting == "" else parse_size(setting)


def parse_published(value: str, where: str = "published") -> dt.date:
    """A publication date from ``YYYY-MM-DD`` or an ISO datetime.

    >>> parse_published("2024-03-02T10:00:00Z")
    datetime.date(2024, 3, 2)
    """
    text = value.strip() if isinstance(value, str) else ""
    try:
        if not _DATE.match(text):
            raise ValueError(text)
        day = plausible_day(dt.datetime.fromisoformat(text).date())
        if day is None:
            raise ValueError(text)  # a typo, and relative dates would leave the calendar
        return day
    except ValueError:
        raise InputError(
            "E108",
            f"{where} {value!r} is not a date",
            "use YYYY-MM-DD (a year from 1800 to 2200) or an ISO datetime such as 2024-03-02T10:00:00Z",
        ) from None


def plausible_day(day: dt.date) -> dt.date | None:
    """The day, when its year is one a publication date can have (1800 to 2200)."""
    return day if 1800 <= day.year <= 2200 else None


def published_or_none(value: object) -> dt.date | None:
    """A date an input's metadata gives, as `parse_published` reads it; None for a missing or odd one
    (no reason to lose the document)."""
    try:
        return parse_published(str(value)) if value else None
    except InputError:
        return None


# --- decoding -----------------------------------------------------------------------------------------


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(sample.count(bytes([b])) for b in _CONTROL)
    return controls > max(8, len(sample) // 20)


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    for pattern in _DECLARED:
        match = pattern.search(head)
        if match:
            name = match.group(1).decode("ascii", "replace")
            try:
                return codecs.lookup(name).name
            except LookupError:
                return None
    return None


def decode(data: bytes, label: str) -> str:
    """Text from bytes: a BOM, else UTF-8, else the declared charset, else a detected one.

    >>> decode("café".encode("latin-1") + b" <meta charset=latin-1>", "page.html")[:4]
    'café'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    "E103",
                    f"has a {encoding} byte-order mark but is not valid {encoding} (byte {exc.start})",
                    "re-save the file as UTF-8",
                ) from None
    if _looks_binary(data):
        raise InputError(
            "E102",
            "looks like a binary file, not text",
            "pass a .txt, .html, .jsonl, .csv or .pdf file (convert Word files to text first)",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    # Browsers read a latin-1 label as windows-1252 (WHATWG): pages so labelled use its curly quotes.
    for encoding in ["cp1252", declared] if declared == "iso8859-1" else [declared] if declared else []:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass  # the declaration lies more often than detection fails
    text = _detect(data)
    if text is not None:
        return text
    raise InputError(
        "E103",
        "cannot be decoded as text: not UTF-8 and no charset declared or detected",
        "re-save the file as UTF-8",
    )


#: Preferred among equally plausible detections: the legacy encodings most Western news text comes in.
_WESTERN = ("cp1252", "latin_1", "iso8859_15")


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    # Short texts leave several single-byte encodings tied; cp1250 would turn "à" into "ŕ".
    tied = [m for m in matches if m.chaos <= best.chaos + 0.01 and m.coherence >= best.coherence - 0.01]
    chosen = next((m for m in tied if m.encoding in _WESTERN), best)
    try:
        text = data.decode(chosen.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return text if text.count("\ufffd") <= len(text) // 100 else None


# --- readers --------------------------------------------------------------------------------------------


def _check_text(text: str, label: str) -> None:
    if not text.strip():
        raise InputError("E101", "is empty: nothing to extract", "pass a file that holds the report's text")


def read_text(data: bytes, label: str) -> Iterator[Item | Failed]:
    """A plain-text document; offsets index the decoded text as is."""
    try:
        text = decode(data, label)
        _check_text(text, label)
    except InputError as exc:
        yield Failed(label, exc)
        return
    yield Item(label=label, text=text)


def read_html(data: bytes, label: str) -> Iterator[Item | Failed]:
    """The main text of a web page (trafilatura), with its title, url and site name."""
    try:
        html = decode(data, label)
        _check_text(html, label)
    except InputError as exc:
        yield Failed(label, exc)
        return
    import trafilatura

    # Only the page's own date metadata: trafilatura's extensive search guesses from any date in the page.
    try:
        doc: Any = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # a parser crash on one odd page must not end a whole feed
        yield Failed(
            label,
            InputError(
                "E104",
                f"cannot parse the HTML page ({type(exc).__name__}: {exc})",
                "save the article's text as .txt and pass that instead",
            ),
        )
        return
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        # trafilatura gives up on some pages its parser cannot hold (300 levels of nested tags): the
        # page's visible text, paragraph by paragraph, is still the report
        text = _visible_text(html)
        doc = None
    if not text or not text.strip():
        yield Failed(
            label,
            InputError(
                "E104",
                "no main text found in the HTML page",
                "check that the page holds the article (not a login or cookie wall), "
                "or pass its text as .txt",
            ),
        )
        return
    if doc is None:
        yield Item(label=label, text=text, title=_page_title(html))
        return
    published: dt.date | None = None
    if getattr(doc, "date", None):
        try:
            published = parse_published(str(doc.date))
        except InputError:
            published = None  # a page's odd date metadata is no reason to lose the page
    yield Item(
        label=label,
        text=text,
        title=doc.title or None,
        url=doc.url or None,
        source=doc.sitename or None,
        published=published,
    )


_BLOCKS = frozenset(
    "p div br li h1 h2 h3 h4 h5 h6 tr section article header footer blockquote pre ul ol table".split()
)
_HIDDEN = frozenset("script style noscript template head svg iframe object".split())


def _visible_text(html: str) -> str:
    """The text a reader would see in a page, one paragraph per block (a parser with no depth limit)."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.hidden = 0

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in _HIDDEN:
                self.hidden += 1
            elif tag in _BLOCKS:
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in _HIDDEN:
                self.hidden = max(0, self.hidden - 1)
            elif tag in _BLOCKS:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            if not self.hidden:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n\n".join(line for line in lines if line)


def _page_title(html: str) -> str | None:
    found = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)
    return " ".join(found.group(1).split()) or None if found else None


def _jsonl_item(line: bytes, label: str) -> Item:
    try:
        obj = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(
            "E105", f"is not valid UTF-8 (byte {exc.start})", "JSONL must be UTF-8: re-save the file as UTF-8"
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            "E105",
            f"malformed JSON ({exc.msg} at column {exc.colno})",
            "fix or remove this line; each line must be one JSON object",
        ) from None
    except RecursionError:
        raise InputError(
            "E105",
            "is JSON nested too deeply to read (lists or objects inside each other, thousands deep)",
            'fix or remove this line; a record is one object with its report in "text"',
        ) from None
    if not isinstance(obj, dict):
        raise InputError(
            "E106",
            f"expected a JSON object, got {type(obj).__name__}",
            'each line must be an object such as {"id": "a1", "text": "..."}',
        )
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(
            "E107", 'has no "text" (or it is empty or not a string)', 'give each record its report in "text"'
        )
    fields: dict[str, str | None] = {}
    for key in ("id", "url", "title", "source"):
        value = obj.get(key)
        if isinstance(value, bool) or (value is not None and not isinstance(value, (str, int))):
            raise InputError(
                "E106",
                f'"{key}" must be a string, not {type(value).__name__}',
                f'fix the "{key}" of this record',
            )
        fields[key] = str(value) if value is not None and str(value).strip() else None
    record_name = f"record {fields['id']!r}" if fields["id"] else "record"
    published = obj.get("published")
    return Item(
        label=label,
        text=text,
        id=fields["id"],
        url=fields["url"],
        title=fields["title"],
        source=fields["source"],
        published=parse_published(published, f"{record_name}: published")
        if published not in (None, "")
        else None,
    )


def read_jsonl(stream: IO[bytes], name: str, max_bytes: int) -> Iterator[Item | Failed]:
    """One item per line of ``{id, text, published?, url?, title?, source?}``; bad lines fail alone.

    The file is read line by line, so a feed may exceed the size cap; a single line may not.
    """
    seen_any = False
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            break
        number += 1
        label = f"{name}:{number}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            yield Failed(label, _too_big(f"line {number}", max_bytes))
            while line and not line.endswith(b"\n"):  # skip the rest of the oversized line
                line = stream.readline(1024 * 1024)
            continue
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        if not line.strip():
            continue
        seen_any = True
        try:
            yield _jsonl_item(line, label)
        except InputError as exc:
            yield Failed(label, exc)
    if not seen_any:
        yield Failed(
            name,
            InputError("E101", "is empty: nothing to extract", "pass a JSONL file with one record per line"),
        )


def _too_big(what: str, max_bytes: int) -> InputError:
    return InputError(
        "E109",
        f"{what} is larger than the {max_bytes:,}-byte limit",
        f"raise the limit with --max-size or {MAX_BYTES_ENV}, or split the input",
    )


def _sniff(data: bytes) -> str:
    if data.startswith(b"%PDF-"):
        return "pdf"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{"):
        return "jsonl"
    if _is_feed(head):
        return "feed"
    if head.startswith(b"<") and (b"<html" in head or b"<!doctype html" in head or b"<body" in head):
        return "html"
    return "txt"


_FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")


def _is_feed(head: bytes) -> bool:
    """Whether a document's first bytes (lowercased) open an RSS, RDF or Atom feed."""
    if head.startswith(_FEED_ROOTS):
        return True
    return head.startswith(b"<?xml") and b"<html" not in head and any(r in head for r in _FEED_ROOTS)


def _read_capped(stream: IO[bytes], label: str, max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_big(label, max_bytes)
    return data


def read_path(
    path: str,
    max_bytes: int | None = None,
    stdin: IO[bytes] | None = None,
    *,
    text_column: str | None = None,
    seen: Callable[[str | None, str | None], bool] | None = None,
    warn: Callable[[str, str], None] | None = None,
) -> Iterator[Item | Failed]:
    """The documents of one input: a file, a folder (walked), an http(s) URL, or ``-`` for stdin.

    Files: .txt, .html/.htm/.xhtml, .jsonl/.ndjson, .csv/.tsv (a row each), .pdf, .json (a Telegram
    channel export), .xml/.rss/.atom (a feed: an entry each), .warc/.warc.gz (a response each); other
    files are sniffed. A URL is a feed, or else one page. Standard input is read as PDF, JSONL (starts
    with ``{``), a feed, HTML when it looks like a page, else as plain text. See `ReadOptions` for
    ``text_column``, ``seen`` and ``warn``.
    """
    limit = max_bytes if max_bytes is not None else max_bytes_setting()
    options = ReadOptions(limit, text_column, warn or _warn_stderr, seen)
    if path == "-":
        stream = stdin if stdin is not None else (sys.stdin.buffer if sys.stdin is not None else None)
        if stream is None:
            closed = InputError("E111", "standard input is closed", "pipe the text in, or give files")
            yield Failed("<stdin>", closed)
            return
        try:
            data = _read_capped(stream, "standard input", limit)
        except InputError as exc:
            yield Failed("<stdin>", exc)
            return
        kind = _sniff(data)
        if kind == "jsonl":
            import io

            yield from read_jsonl(io.BytesIO(data), "<stdin>", limit)
        elif kind in ("pdf", "feed"):
            yield from _read_data(data, "<stdin>", "." + kind, options)
        else:
            yield from (read_html if kind == "html" else read_text)(data, "<stdin>")
        return
    if path.lower().startswith(("http://", "https://")):
        from sitroom.readers import feeds

        yield from feeds.read_url(path, options)
        return
    yield from _read_file(Path(path), path, options)


def _read_file(file: Path, label: str, options: ReadOptions) -> Iterator[Item | Failed]:
    from sitroom import readers

    limit = options.max_bytes
    suffix = readers.suffix_of(file)
    try:
        if file.is_dir():
            yield from readers.read_folder(file, label, options)
            return
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):
            # a pipe (`<(cat a.txt)`) or a device: its size says nothing, so it is read whole, capped
            yield from _read_special(file, label, suffix, options, info.st_mode)
            return
        size = info.st_size
        if size == 0:
            raise InputError(
                "E101", "is empty: nothing to extract", "pass a file that holds the report's text"
            )
        if suffix in JSONL_SUFFIXES:
            with file.open("rb") as stream:
                head = stream.read(4)
                stream.seek(0)
                wide = next((enc for bom, enc in _BOMS if head.startswith(bom) and enc != "utf-8"), None)
                if wide is None:
                    yield from read_jsonl(stream, label, limit)
                    return
            # a UTF-16 or UTF-32 file (as Windows tools save "Unicode" text): read as what it is
            if size > 4 * limit:
                raise _too_big(f"the {wide} JSONL file ({size:,} bytes)", 4 * limit)
            try:
                text = file.read_bytes()[len(next(b for b, e in _BOMS if e == wide)) :].decode(wide)
            except UnicodeDecodeError as exc:
                raise InputError(
                    "E105", f"starts as {wide} but is not valid {wide} ({exc.reason})", "re-save it as UTF-8"
                ) from None
            import io

            yield from read_jsonl(io.BytesIO(text.encode("utf-8")), label, limit)
            return
        if suffix in readers.STREAMED:
            # capped per row or record, like a JSONL feed per line: exports and archives run large
            yield from readers.read_stream(file, label, suffix, options)
            return
        # Checked before reading: a stray 2 GB file must not be loaded to be refused.
        if size > limit:
            raise _too_big(f"the file ({size:,} bytes)", limit)
        data = file.read_bytes()
    except FileNotFoundError:
        yield Failed(label, InputError("E100", "no such file", "check the path"))
        return
    except InputError as exc:
        yield Failed(label, exc)
        return
    except OSError as exc:
        yield Failed(
            label,
            InputError(
                "E100", f"cannot read the file ({exc.strerror or exc})", "check the path and its permissions"
            ),
        )
        return
    yield from _read_data(data, label, suffix, options, file)


def _read_special(
    file: Path, label: str, suffix: str, options: ReadOptions, mode: int
) -> Iterator[Item | Failed]:
    """A named pipe or a device, read once up to the size cap (it cannot be sized, sought or reread)."""
    import io

    from sitroom import readers

    device = os.path.realpath(file)
    if device in _ENDLESS_DEVICES:
        raise InputError(
            "E102", f"is {device}, a device that never ends, not a document", "pass a file, a pipe or -"
        )
    kind = "pipe" if stat.S_ISFIFO(mode) else "device"
    with file.open("rb") as stream:
        data = _read_capped(stream, f"the {kind}", options.max_bytes)
    if not data:
        raise InputError("E101", "is empty: nothing to extract", "pass a file that holds the report's text")
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(io.BytesIO(data), label, options.max_bytes)
    elif suffix in readers.STREAMED:
        yield from readers.read_stream(file, label, suffix, options, data)
    else:
        # no folder of its own: a feed read from a pipe never reads local files
        yield from _read_data(data, label, suffix, options)


def _read_data(
    data: bytes, label: str, suffix: str, options: ReadOptions, file: Path | None = None
) -> Iterator[Item | Failed]:
    """The documents in a whole input's bytes, by its suffix (sniffed when it has none we know)."""
    from sitroom import readers

    if suffix not in readers.SUFFIXES:
        kind = _sniff(data)
        if kind in ("pdf", "feed"):
            suffix = "." + kind
    if suffix in HTML_SUFFIXES:
        yield from read_html(data, label)
    elif suffix in (".txt", ".text", ""):
        yield from read_text(data, label)
    elif suffix == ".pdf":
        from sitroom.readers.pdf import read_pdf

        yield from read_pdf(data, label)
    elif suffix == ".json":
        from sitroom.readers.telegram import read_telegram

        yield from read_telegram(data, label)
    elif suffix in readers.FEED_SUFFIXES or suffix == ".feed":
        from sitroom.readers.feeds import read_feed

        yield from read_feed(data, label, options, base=file)
    else:
        kind = _sniff(data)
        yield from (read_html if kind == "html" else read_text)(data, label)


def read_all(
    paths: Iterable[str],
    max_bytes: int | None = None,
    stdin: IO[bytes] | None = None,
    *,
    text_column: str | None = None,
    seen: Callable[[str | None, str | None], bool] | None = None,
    warn: Callable[[str, str], None] | None = None,
) -> Iterator[Item | Failed]:
    """The documents of every input in order; no paths means standard input (see `read_path`)."""
    paths = list(paths) or ["-"]
    for path in paths:
        yield from read_path(path, max_bytes, stdin, text_column=text_column, seen=seen, warn=warn)
