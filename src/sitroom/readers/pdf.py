"""PDF reports: the text layer of every page (pypdf), pages joined by a blank line.

The title comes from the document's metadata, and its creation date is taken as the publication
date. A scan without a text layer, an encrypted file and a corrupt one each fail with what to do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
from collections.abc import Iterator
from typing import Any

from sitroom.errors import InputError
from sitroom.sources import Failed, Item, plausible_day


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """pypdf logs each repair it makes to a damaged file; the reader reports the outcome instead."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _unreadable(exc: BaseException) -> InputError:
    return InputError(
        "E115",
        f"cannot read the PDF ({type(exc).__name__}: {exc})",
        "check that the file is a whole PDF (download it again), or pass its text as .txt",
    )


def read_pdf(data: bytes, label: str) -> Iterator[Item | Failed]:
    """One document: the PDF's page texts joined by blank lines."""
    try:
        with _quiet():
            reader, pages = _pages(data)
    except InputError as exc:
        yield Failed(label, exc)
        return
    except Exception as exc:  # pypdf raises many kinds on damaged files; none may end a feed
        yield Failed(label, _unreadable(exc))
        return
    text = "\n\n".join(page for page in pages if page)
    if not text.strip():
        yield Failed(
            label,
            InputError(
                "E116",
                f"has no text layer ({len(pages)} page(s) of images: a scan?)",
                "run OCR first (e.g. `ocrmypdf in.pdf out.pdf`) and pass the result, or its text as .txt",
            ),
        )
        return
    title, published = _metadata(reader)
    yield Item(label=label, text=text, title=title, published=published)


def _pages(data: bytes) -> tuple[Any, list[str]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        # Many PDFs are encrypted only to restrict printing or copying: the empty password opens them.
        try:
            opened = bool(reader.decrypt(""))
        except Exception:  # an algorithm pypdf cannot run without the optional cryptography package
            opened = False
        if not opened:
            raise InputError(
                "E115",
                "is an encrypted PDF that needs a password",
                "open it with its password and save (or print to PDF) an unencrypted copy, then pass that",
            )
    pages = [(page.extract_text() or "").strip() for page in reader.pages]
    return reader, pages


def _metadata(reader: Any) -> tuple[str | None, dt.date | None]:
    """Title and creation date, when the document's metadata holds them (damaged metadata is none)."""
    try:
        meta = reader.metadata
    except Exception:
        return None, None
    if meta is None:
        return None, None
    title: str | None = None
    published: dt.date | None = None
    with contextlib.suppress(Exception):
        title = " ".join(str(meta.title or "").split()) or None
    with contextlib.suppress(Exception):
        created = meta.creation_date
        if created is not None:
            published = plausible_day(created.date())
    return title, published
