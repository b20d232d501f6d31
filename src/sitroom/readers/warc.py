"""WARC web archives (.warc, .warc.gz; warcio): one document per archived HTML or text page.

Each ``response`` record with a 2xx status and an HTML or plain-text body is read as an .html (or
.txt) file would be; its url is the record's WARC-Target-URI. Its publication date is the page's own
when the page states one, else the WARC-Date (when it was archived: a page is never published after
it was archived). Records are read one at a time and capped one by one, so an archive may exceed
--max-size. A record warcio cannot read fails alone when it can go on, and ends the file when not; an
archive cut short (a record shorter than its Content-Length, a gzip member that does not end) fails
at the record it was cut in, after the whole records before it. warcio's own complaints, which it
prints on stderr, become warnings naming the record.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any, TypeVar

from sitroom.errors import InputError
from sitroom.sources import Failed, Item, ReadOptions, _too_big, published_or_none, read_html, read_text

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_T = TypeVar("_T")
# What warcio prints on stderr: a record not followed by its blank line, and zlib's errors.
_WARCIO_SAYS = re.compile(
    r"^ *(?P<newline>WARNING: Record not followed by newline).*\n(?: *Offset: .*\n)?(?: *Remainder: .*\n)?"
    r"|^Error -?\d+ while decompressing data.*\n",
    re.MULTILINE,
)


def _corrupt(what: str, exc: BaseException) -> InputError:
    return InputError(
        "E119",
        f"{what} ({type(exc).__name__}: {exc})",
        "check that the file is a whole WARC archive (a download or copy may have been cut short)",
    )


def _cut_short(what: str) -> InputError:
    return InputError(
        "E119",
        f"the archive is cut short {what}",
        "check that the file is a whole WARC archive (a download or copy may have been cut short)",
    )


def _quietly(call: Callable[[], _T], label: str, options: ReadOptions) -> _T:
    """``call()`` with what warcio prints on stderr (unlabelled) turned into warnings naming the record.

    The redirection is process-wide while warcio reads, so it is kept to warcio's own calls, and what
    others wrote meanwhile (a progress bar) is passed on.
    """
    printed = io.StringIO()
    original = sys.stderr
    try:
        with contextlib.redirect_stderr(printed):
            return call()
    finally:
        said = printed.getvalue()
        for complaint in _WARCIO_SAYS.finditer(said):
            if complaint.group("newline"):
                options.warn(
                    label,
                    "the record is not followed by the blank line that ends a WARC record (its "
                    "Content-Length may be wrong); the records after it may be misread",
                )
            else:
                options.warn(label, f"cannot decompress part of the archive ({complaint.group().strip()})")
        others = _WARCIO_SAYS.sub("", said)
        if others and original is not None:
            original.write(others)
            original.flush()


def _unfinished(archive: Any, record: Any) -> str | None:
    """How the record just read was cut short, if it was (warcio itself reads on silently)."""
    left = getattr(record.raw_stream, "limit", 0)
    if isinstance(left, int) and left > 0:
        declared = record.length if isinstance(record.length, int) else None
        got = f"only {declared - left:,} of its {declared:,} bytes are there" if declared else "it ends early"
        return f"in this record: {got}"
    decompressor = getattr(archive.reader, "decompressor", None)
    # a gzip member not at its end, with no next record after it: the file ended inside the member
    if decompressor is not None and not decompressor.eof and not archive.next_line:
        return "in this record: its gzip member does not end"
    return None


def read_warc(stream: IO[bytes], name: str, options: ReadOptions) -> Iterator[Item | Failed]:
    """The archived pages of a WARC file, one `Item` each."""
    from warcio.archiveiterator import ArchiveIterator

    class Archive(ArchiveIterator):  # type: ignore[misc]
        """Notes, as warcio finishes, whether bytes were left that made no record."""

        leftover = False

        def close(self) -> None:
            reader = self.reader
            decompressor = getattr(reader, "decompressor", None) if reader is not None else None
            self.leftover = bool(self.next_line) or (decompressor is not None and not decompressor.eof)
            super().close()

    number = found = failed = 0
    try:
        archive = Archive(stream)
        records = iter(archive)
        while True:
            record = _quietly(lambda: next(records, None), f"{name}#{number + 1}", options)
            if record is None:
                break
            number += 1
            label = f"{name}#{number}"
            results = list(_record(record, label, options))
            _quietly(archive.read_to_end, label, options)
            cut = _unfinished(archive, record)
            if cut is not None:
                yield Failed(label, _cut_short(cut))
                return
            for result in results:
                if isinstance(result, Item):
                    found += 1
                else:
                    failed += 1
                yield result
        if archive.leftover:
            yield Failed(f"{name}#{number + 1}", _cut_short("in this record: only its start is there"))
            return
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
        data = _quietly(lambda: record.content_stream().read(options.max_bytes + 1), label, options)
    except Exception as exc:  # a damaged chunked or gzip body: this record only
        yield Failed(label, _corrupt("cannot read the archived page", exc))
        return
    if len(data) > options.max_bytes:
        yield Failed(label, _too_big("the archived page", options.max_bytes))
        return
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    archived = published_or_none(record.rec_headers.get_header("WARC-Date"))
    for result in (read_html if is_html else read_text)(data, label):
        if isinstance(result, Item):
            result = dataclasses.replace(
                result, url=url or result.url, published=result.published or archived
            )
        yield result
