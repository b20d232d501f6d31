"""Readers: every kind of input, and every way an input can be bad."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from sitroom import sources
from sitroom.errors import InputError
from sitroom.sources import Failed, Item

Write = Callable[[str, "str | bytes"], Path]


def _one(path: Path | str, **kwargs: object) -> Item | Failed:
    (result,) = list(sources.read_path(str(path), **kwargs))  # type: ignore[arg-type]
    return result


def _failed(path: Path | str, **kwargs: object) -> Failed:
    result = _one(path, **kwargs)
    assert isinstance(result, Failed), result
    return result


def test_sources_txt_keeps_text_as_is(write: Write) -> None:
    text = "Two soldiers were killed.\r\nPolice said so.\n"
    item = _one(write("a.txt", text))
    assert isinstance(item, Item)
    assert item.text == text  # offsets index the text as received: no newline cleaning
    assert item.label.endswith("a.txt")


def test_sources_missing_file() -> None:
    failed = _failed("/nonexistent/dir/report.txt")
    assert failed.label == "/nonexistent/dir/report.txt"
    assert "no such file" in failed.error.message and "check the path" in failed.error.hint


def test_sources_directory_rejected(tmp_path: Path) -> None:
    assert "directory" in _failed(tmp_path).error.message


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_sources_empty_file(write: Write, content: bytes) -> None:
    assert "is empty: nothing to extract" in _failed(write("empty.txt", content)).error.message


def test_sources_binary_file_rejected(write: Write) -> None:
    data = bytes(range(256)) * 40
    failed = _failed(write("scan.txt", data))
    assert "binary" in failed.error.message


def test_sources_pdf_like_file_rejected(write: Write) -> None:
    failed = _failed(write("report.txt", b"%PDF-1.7\n" + b"\x00\x01\x02stream\x00" * 200))
    assert "binary" in failed.error.message


def test_sources_bom_utf16(write: Write) -> None:
    text = "Rebels seized Goma, officials said."
    item = _one(write("a.txt", text.encode("utf-16")))  # with its BOM
    assert isinstance(item, Item) and item.text == text


def test_sources_bom_utf8_stripped(write: Write) -> None:
    item = _one(write("a.txt", b"\xef\xbb\xbfHello there."))
    assert isinstance(item, Item) and item.text == "Hello there."


def test_sources_latin1_decodes_correctly(write: Write) -> None:
    text = "Les forces armées ont frappé São Tomé et Bangui à l'aube; le ministère a déclaré trois morts."
    item = _one(write("fr.txt", text.encode("latin-1")))
    assert isinstance(item, Item)
    assert item.text == text


def test_sources_declared_html_charset_wins(write: Write) -> None:
    body = "\u201cWe were attacked,\u201d said the mayor of Bria \u2014 three people died in the clash."
    html = (
        '<html><head><meta charset="windows-1252"><title>Clash in Bria</title></head><body>'
        f"<article><p>{body}</p><p>{body}</p></article></body></html>"
    )
    item = _one(write("page.html", html.encode("cp1252")))
    assert isinstance(item, Item)
    assert body in item.text
    assert item.title == "Clash in Bria"


def test_sources_xml_declaration_charset() -> None:
    data = '<?xml version="1.0" encoding="iso-8859-1"?><p>Grève à Québec</p>'.encode("latin-1")
    assert "Grève à Québec" in sources.decode(data, "x.xhtml")


def test_sources_html_main_text_and_title(write: Write) -> None:
    html = (
        "<html><head><title>Shelling in Kharkiv</title></head><body><nav>Home | World | Sport</nav>"
        "<article><h1>Shelling in Kharkiv</h1><p>Russian forces shelled Kharkiv on Tuesday, killing two "
        "civilians, the regional governor said.</p><p>Emergency crews worked through the night.</p>"
        "</article><footer>Copyright 2024 Example News</footer></body></html>"
    )
    item = _one(write("page.htm", html))
    assert isinstance(item, Item)
    assert "Russian forces shelled Kharkiv" in item.text
    assert "Copyright" not in item.text and "<p>" not in item.text
    assert item.title == "Shelling in Kharkiv"


def test_sources_html_without_main_text(write: Write) -> None:
    failed = _failed(
        write("blank.html", "<html><head><title>x</title></head><body><script>1</script></body></html>")
    )
    assert "no main text" in failed.error.message


def test_sources_jsonl_fields_and_ids(write: Write) -> None:
    path = write(
        "feed.jsonl",
        '{"id": "a1", "text": "Clashes in Goma.", "published": "2024-03-02", '
        '"url": "https://x.test/1", "title": "T", "source": "AFP"}\n'
        '\n{"text": "No id here.", "published": "2024-03-02T10:00:00+00:00"}\n',
    )
    items = list(sources.read_path(str(path)))
    assert all(isinstance(i, Item) for i in items)
    first, second = items
    assert isinstance(first, Item) and isinstance(second, Item)
    assert (first.id, first.url, first.title, first.source) == ("a1", "https://x.test/1", "T", "AFP")
    assert first.published == dt.date(2024, 3, 2) and second.published == dt.date(2024, 3, 2)
    assert second.id is None
    assert first.label.endswith("feed.jsonl:1") and second.label.endswith("feed.jsonl:3")


def test_sources_jsonl_malformed_line_names_file_and_line(write: Write) -> None:
    path = write(
        "feed.jsonl", '{"id": "a", "text": "One."}\n{"id": "b", "text": \n{"id": "c", "text": "Three."}\n'
    )
    results = list(sources.read_path(str(path)))
    assert [type(r).__name__ for r in results] == ["Item", "Failed", "Item"]
    bad = results[1]
    assert isinstance(bad, Failed) and bad.label == f"{path}:2"
    assert "malformed JSON" in bad.error.message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('["a list"]', "expected a JSON object"),
        ('{"id": "a"}', '"text"'),
        ('{"id": "a", "text": 5}', '"text"'),
        ('{"id": ["x"], "text": "t"}', '"id" must be a string'),
        (
            '{"id": "r9", "text": "t", "published": "March 2"}',
            "record 'r9': published 'March 2' is not a date",
        ),
        ('{"id": "r9", "text": "t", "published": "2024-02-30"}', "is not a date"),
    ],
)
def test_sources_jsonl_bad_records(write: Write, line: str, expected: str) -> None:
    failed = _failed(write("feed.jsonl", line + "\n"))
    assert expected in failed.error.message
    assert failed.label.endswith("feed.jsonl:1")


def test_sources_jsonl_not_utf8(write: Write) -> None:
    failed = _failed(write("feed.jsonl", '{"text": "caf\u00e9"}\n'.encode("latin-1")))
    assert "UTF-8" in failed.error.message


def test_sources_size_cap_checked_before_reading(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write("big.txt", "word " * 1000)

    def boom(self: Path) -> bytes:
        raise AssertionError("an over-cap file must not be read")

    monkeypatch.setattr(Path, "read_bytes", boom)
    failed = _failed(path, max_bytes=1024)
    assert "larger than the 1,024-byte limit" in failed.error.message
    assert "--max-size" in failed.error.hint


def test_sources_size_cap_from_environment(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sources.MAX_BYTES_ENV, "1K")
    assert "limit" in _failed(write("big.txt", "word " * 1000)).error.message


def test_sources_size_cap_per_jsonl_line(write: Write) -> None:
    path = write("feed.jsonl", '{"text": "' + "x" * 3000 + '"}\n{"id": "ok", "text": "Short."}\n')
    results = list(sources.read_path(str(path), max_bytes=1024))
    assert isinstance(results[0], Failed) and "limit" in results[0].error.message
    assert isinstance(results[1], Item) and results[1].id == "ok"


def test_sources_stdin_sniffs_jsonl_html_and_text() -> None:
    jsonl = list(sources.read_path("-", stdin=io.BytesIO(b'{"id": "s1", "text": "A."}\n')))
    assert isinstance(jsonl[0], Item) and jsonl[0].id == "s1" and jsonl[0].label == "<stdin>:1"
    text = list(sources.read_path("-", stdin=io.BytesIO(b"Plain report.")))
    assert isinstance(text[0], Item) and text[0].text == "Plain report."
    empty = list(sources.read_path("-", stdin=io.BytesIO(b"")))
    assert isinstance(empty[0], Failed) and "empty" in empty[0].error.message


def test_sources_stdin_over_cap() -> None:
    (failed,) = list(sources.read_path("-", max_bytes=10, stdin=io.BytesIO(b"x" * 100)))
    assert isinstance(failed, Failed) and "limit" in failed.error.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-02", dt.date(2024, 3, 2)),
        ("2024-03-02T23:59:00Z", dt.date(2024, 3, 2)),
        ("2024-03-02 10:00:00+03:00", dt.date(2024, 3, 2)),
    ],
)
def test_sources_parse_published_accepts_iso(value: str, expected: dt.date) -> None:
    assert sources.parse_published(value) == expected


@pytest.mark.parametrize("value", ["02/03/2024", "20240302", "yesterday", "2024-3-2", ""])
def test_sources_parse_published_rejects_others(value: str) -> None:
    with pytest.raises(InputError, match="not a date"):
        sources.parse_published(value)


def test_sources_parse_size() -> None:
    assert sources.parse_size("20MB") == 20 * 1024 * 1024
    assert sources.parse_size("1000") == 1000
    with pytest.raises(InputError):
        sources.parse_size("lots")
