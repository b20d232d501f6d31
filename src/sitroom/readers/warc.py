"""WARC web archives (.warc, .warc.gz; warcio): one document per archived HTML or text page.

Each ``response`` record with a 2xx status and an HTML or plain-text body is read as an .html (or
.txt) file would be; its url is the record's WARC-Target-URI. Its publication date is the page's own
when the page states one, else the WARC-Date (when it was archived: a page is never published after
it was archived). Records are read one at a time and capped one by one, so an archive may exceed
--max-size. A record warcio cannot read fails alone when it can go on, and ends the file when not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import IO, Any

from sitroom.errors import InputError
from sitroom.sources import Failed, Item, ReadOptions, _too_big, parse_published, read_html, read_text

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _corrupt(what: str, exc: BaseException) -> InputError:
    return InputError(
        "E119",
        f"{what} ({type(exc).__name__}: {exc})",
        "check that the file is a whole WARC archive (a download or copy may have been cut short)",
    )


def read_warc(stream: IO[bytes], name: str, options: ReadOptions) -> Iterator[Item | Failed]:
    """The archived pages of a WARC file, one `Item` each."""
    from warcio.archiveiterator import ArchiveIterator

    number = found = failed = 0
    try:
        for record in ArchiveIterator(stream):
            number += 1
            for result in _record(record, f"{name}#{number}", options):
                if isinstance(result, Item):
                    found += 1
                else:
                    failed += 1
                yield result
    except Exception as exc:  # warcio's own errors, zlib's and the OS's: the file cannot go on
        what = "is not a WARC archive" if number == 0 else f"cannot read past record {number}"
        yield Failed(name if number == 0 else f"{name}#{number + 1}", _corrupt(what, exc))
        return
    if not found and not failed:
        yield Failed(
            name,
            InputError(
                "E119",
                f"holds no archived HTML or text pages ({number} record(s))",
                "pass a WARC with response records of web pages (e.g. from wget --warc-file)",
            ),
        )


def _record(record: Any, label: str, options: ReadOptions) -> Iterator[Item | Failed]:
    if record.rec_type != "response" or record.http_headers is None:
        return  # requests, metadata, revisits, DNS lookups: no page
    status = str(record.http_headers.get_statuscode() or "")
    kind = str(record.http_headers.get_header("Content-Type") or "").lower()
    is_html = kind.startswith(_HTML_TYPES)
    if not status.startswith("2") or not (is_html or kind.startswith("text/plain")):
        return
    try:
        data = record.content_stream().read(options.max_bytes + 1)
    except Exception as exc:  # a damaged chunked or gzip body: this record only
        yield Failed(label, _corrupt("cannot read the archived page", exc))
        return
    if len(data) > options.max_bytes:
        yield Failed(label, _too_big("the archived page", options.max_bytes))
        return
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    archived = _archived(record.rec_headers.get_header("WARC-Date"))
    for result in (read_html if is_html else read_text)(data, label):
        if isinstance(result, Item):
            result = dataclasses.replace(
                result, url=url or result.url, published=result.published or archived
            )
        yield result


def _archived(value: Any) -> dt.date | None:
    try:
        return parse_published(str(value)) if value else None
    except InputError:
        return None
