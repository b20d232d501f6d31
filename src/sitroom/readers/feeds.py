"""RSS and Atom feeds (feedparser), and http(s) URLs: one document per feed entry.

An entry's text is the page it links to (main text by trafilatura, as for an .html file) when that
page can be read: over http(s), or as a local file when the feed itself is a local file (a feed from
the network never makes sitroom read local files, and a local feed only regular files in its own folder
and below). When the page cannot be fetched, the entry's own content or summary stands in, with a
warning. Title, link, date and the feed's title (the outlet) come from the feed; the page fills what
the feed leaves out. Fetches follow redirects only to http(s) addresses, and each must end within
`sitroom.sources.FETCH_DEADLINE` seconds however steadily the server trickles its answer.

A URL given as an input is fetched once: a feed is read entry by entry, any other page as one document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import stat
import time
import urllib.request
from collections.abc import Iterator
from http.client import HTTPMessage
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from sitroom.errors import InputError
from sitroom.sources import (
    HTML_SUFFIXES,
    Failed,
    Item,
    ReadOptions,
    _is_feed,
    _too_big,
    _visible_text,
    plausible_day,
    read_html,
    read_text,
)

USER_AGENT = "sitroom (news reader; +https://pypi.org/project/sitroom/)"
_PAGE_SUFFIXES = HTML_SUFFIXES | {".txt", ".text", ".pdf", ""}


class FetchError(InputError):
    """A URL could not be fetched; ``answered`` tells a server's refusal from a host that never replied."""

    def __init__(self, url: str, reason: str, answered: bool) -> None:
        super().__init__(
            "E118",
            f"cannot fetch {url} ({reason})",
            "check the address and the network (a proxy goes in http_proxy/https_proxy)",
        )
        self.reason, self.answered = reason, answered


class _Refused(Exception):
    """A fetch or a local page that sitroom will not go on with; the message says why."""


class _WebRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to another http(s) address (urllib's own goes on to ftp://)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            fp.close()
            raise _Refused(f"redirected to {newurl}; only http and https addresses are fetched")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    """urllib's handlers for http and https alone: no ftp, file or data URLs, however reached."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),  # http_proxy and https_proxy, read now: tests change them
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _WebRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _read_body(response: Any, url: str, options: ReadOptions, deadline: float) -> bytes:
    """The body up to one byte over the cap, chunk by chunk (``read1``: whatever has arrived), so that
    the deadline is checked while a slow server trickles it."""
    chunks: list[bytes] = []
    size = 0
    while size <= options.max_bytes:
        if time.monotonic() > deadline:
            raise FetchError(url, f"not all sent within {options.deadline:g} s", answered=False)
        chunk = response.read1(min(64 * 1024, options.max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def fetch(url: str, options: ReadOptions) -> tuple[bytes, str]:
    """The body and content type of an http(s) URL, read up to the size cap.

    Raises `FetchError` when the URL cannot be fetched, or its body does not arrive within
    ``options.deadline`` seconds; E109 when its body is over the cap.
    """
    import http.client
    import urllib.error

    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise FetchError(url, "only http and https addresses are fetched", answered=False)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    deadline = time.monotonic() + options.deadline
    try:
        with _opener().open(request, timeout=options.timeout) as response:
            kind = str(response.headers.get("Content-Type") or "")
            data = _read_body(response, url, options, deadline)
    except _Refused as exc:
        raise FetchError(url, str(exc), answered=True) from None
    except urllib.error.HTTPError as exc:
        raise FetchError(url, f"HTTP {exc.code} {exc.reason}", answered=True) from None
    except urllib.error.URLError as exc:
        raise FetchError(url, str(exc.reason), answered=False) from None
    except TimeoutError:
        raise FetchError(url, f"no answer in {options.timeout:g} s", answered=False) from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise FetchError(url, f"{type(exc).__name__}: {exc}", answered=False) from None
    if len(data) > options.max_bytes:
        raise _too_big(f"the response from {url}", options.max_bytes)
    return data, kind.lower()


def read_url(url: str, options: ReadOptions) -> Iterator[Item | Failed]:
    """The documents at an http(s) URL: a feed's entries, or the page itself."""
    try:
        data, kind = fetch(url, options)
    except InputError as exc:
        yield Failed(url, exc)
        return
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if _is_feed(head) or (("rss" in kind or "atom" in kind) and b"<html" not in head):
        yield from read_feed(data, url, options, base=url)
        return
    for result in _page(data, url, kind, ""):
        yield dataclasses.replace(result, url=result.url or url) if isinstance(result, Item) else result


def _page(data: bytes, label: str, kind: str, suffix: str) -> Iterator[Item | Failed]:
    """One linked page: a PDF, a plain text, or (most often) an HTML page."""
    if data.startswith(b"%PDF-"):
        from sitroom.readers.pdf import read_pdf

        yield from read_pdf(data, label)
    elif suffix in (".txt", ".text") or (
        kind.startswith("text/plain") and b"<html" not in data[:4096].lower()
    ):
        yield from read_text(data, label)
    else:
        yield from read_html(data, label)


def read_feed(
    data: bytes, label: str, options: ReadOptions, base: Path | str | None = None
) -> Iterator[Item | Failed]:
    """The entries of an RSS or Atom feed, one `Item` each.

    ``base`` is where the feed came from: its URL (relative links resolve against it) or its file
    (local links are read from its folder).
    """
    import feedparser

    headers = {"content-location": base} if isinstance(base, str) else {}
    parsed: Any = feedparser.parse(io.BytesIO(data), response_headers=headers)
    entries = list(parsed.get("entries") or [])
    if not entries:
        if not parsed.get("version"):
            why = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
            error = InputError(
                "E118",
                f"is not an RSS or Atom feed{why}",
                "pass the feed itself (a site links it as RSS or Atom); to read one article, pass its page "
                "as .html or its URL",
            )
        else:
            error = InputError(
                "E118", "the feed has no entries", "check it in a browser: it may be empty for now"
            )
        yield Failed(label, error)
        return
    source = " ".join(str(parsed.feed.get("title") or "").split()) or None
    folder = base.parent if isinstance(base, Path) else None
    silent_hosts: set[str] = set()
    for number, entry in enumerate(entries, 1):
        yield _entry(entry, f"{label}#{number}", source, folder, options, silent_hosts)


def _entry(
    entry: Any, label: str, source: str | None, folder: Path | None, options: ReadOptions, silent: set[str]
) -> Item | Failed:
    link = _local_link(_file_link(_clean(entry.get("link"))), folder)
    title = _clean(entry.get("title"))
    summary = _summary(entry)
    page: Item | None = None
    reason: str | None = None
    stored = link is not None and options.seen is not None and options.seen(None, link)
    if link and not stored:
        page, reason = _read_link(link, label, folder, options, silent)
    if page is None and reason:
        if not summary.strip():
            return Failed(
                label,
                InputError(
                    "E118",
                    f"cannot read the entry's page {link} ({reason}) and the entry has no summary",
                    "check the link, or ingest the feed again when the site answers",
                ),
            )
        options.warn(label, f"cannot read {link} ({reason}); using the entry's summary instead")
    text = page.text if page is not None else summary
    if stored and not text.strip():
        text = title or link or ""  # never extracted: the store knows the entry by its link
    if not text.strip():
        return Failed(
            label,
            InputError(
                "E101", "the entry has no text: no page to read and no summary", "skip it, or fix the feed"
            ),
        )
    return Item(
        label=label,
        text=text,
        url=link or (page.url if page else None),
        title=title or (page.title if page else None),
        source=source or (page.source if page else None),
        published=_date(entry) or (page.published if page else None),
    )


def _read_link(
    link: str, label: str, folder: Path | None, options: ReadOptions, silent: set[str]
) -> tuple[Item | None, str | None]:
    """The page an entry links to, or why it could not be read (None, None: a link not to follow)."""
    parts = urlsplit(link)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        host = parts.netloc.lower()
        if host in silent:
            return None, f"{host} did not answer for an earlier entry"
        try:
            data, kind = fetch(link, options)
        except FetchError as exc:
            if not exc.answered:
                silent.add(host)  # one timeout per host, not one per entry
            return None, exc.reason
        except InputError as exc:
            return None, exc.message
        results = list(_page(data, label, kind, ""))
    elif folder is not None and scheme in ("", "file") and parts.netloc in ("", "localhost"):
        path = Path(url2pathname(parts.path)) if scheme == "file" else folder / url2pathname(parts.path)
        suffix = path.suffix.lower()
        if suffix not in _PAGE_SUFFIXES:
            return None, f"sitroom reads linked pages as .html, .txt or .pdf, not {suffix}"
        try:
            data = _read_local(path, folder, options.max_bytes)
        except _Refused as exc:
            return None, str(exc)
        except OSError as exc:
            return None, f"cannot read {path}: {exc.strerror or exc}"
        results = list(_page(data, label, "", suffix))
    else:
        return None, None
    for result in results:
        if isinstance(result, Item):
            return result, None
    failed = next((r for r in results if isinstance(r, Failed)), None)
    return None, failed.error.message if failed else "no text"


def _read_local(path: Path, folder: Path, max_bytes: int) -> bytes:
    """A local feed's linked page: a regular file in the feed's folder or below, up to the size cap.

    Whoever wrote the feed must not make sitroom read other files of this machine (``../id_rsa``,
    ``file:///etc/passwd``), nor wait on a pipe or read an endless device (``/dev/zero``).
    """
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise _Refused("outside the feed's folder: a local feed's links are read only from its folder")
    if not resolved.is_file():
        raise _Refused(f"{path} is not a regular file" if resolved.exists() else f"no such file {path}")
    # O_NONBLOCK: should the file have become a pipe since is_file(), opening it must not wait
    with open(os.open(resolved, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise _Refused(f"{path} is not a regular file")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _Refused(_too_big("the page", max_bytes).message)
    return data


def _local_link(link: str | None, folder: Path | None) -> str | None:
    """A local feed's relative link as a file URI: the document's url names one file, wherever the
    feed lies (two folders' ``page1.html`` are two documents)."""
    if link is None or folder is None or urlsplit(link).scheme or link.startswith("//"):
        return link
    return (folder / url2pathname(urlsplit(link).path)).absolute().as_uri()


def _file_link(link: str | None) -> str | None:
    """A file link as the feed wrote it: feedparser turns ``file:///srv/a.html`` into
    ``file://srv/a.html``, taking the first folder for a host."""
    if link is None or not link.lower().startswith("file://"):
        return link
    parts = urlsplit(link)
    if parts.netloc in ("", "localhost"):
        return link
    return f"file:///{parts.netloc}{parts.path}"


def _clean(value: Any) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _summary(entry: Any) -> str:
    """The entry's own text: its longest content or summary, HTML made plain."""
    candidates: list[tuple[str, str]] = []
    for content in entry.get("content") or []:
        if isinstance(content, dict) and isinstance(content.get("value"), str):
            candidates.append((content["value"], str(content.get("type") or "")))
    if isinstance(entry.get("summary"), str):
        detail = entry.get("summary_detail") or {}
        candidates.append((entry["summary"], str(detail.get("type") or "text/html")))
    if not candidates:
        return ""
    value, kind = max(candidates, key=lambda c: len(c[0]))
    return _visible_text(value) if "html" in kind else value.strip()


def _date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value is not None:
            try:
                day = plausible_day(dt.date(value.tm_year, value.tm_mon, value.tm_mday))
            except (AttributeError, ValueError):
                continue
            if day is not None:
                return day
    return None
