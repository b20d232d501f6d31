"""Readers beyond text, HTML and JSONL: folders, CSV/TSV, PDF, Telegram exports, RSS/Atom feeds and URLs,
WARC archives, and the `watch` command. Every input is written by the test itself; the network is a
server on 127.0.0.1 in a thread, so nothing here needs the internet."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitroom import cli, readers, sources
from sitroom.errors import SitroomError
from sitroom.readers import feeds
from sitroom.sources import Failed, Item

Write = Callable[[str, "str | bytes"], Path]

KILLING = "Gunmen killed three herders near Gao on Friday, a local official said."


def read(path: Path | str, **kwargs: Any) -> list[Item | Failed]:
    return list(sources.read_path(str(path), **kwargs))


def items(results: list[Item | Failed]) -> list[Item]:
    assert all(isinstance(r, Item) for r in results), [r for r in results if isinstance(r, Failed)]
    return [r for r in results if isinstance(r, Item)]


def failed(results: list[Item | Failed]) -> Failed:
    (failure,) = [r for r in results if isinstance(r, Failed)]
    return failure


def page(title: str, *paragraphs: str, date: str | None = None) -> str:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title>{meta}</head><body><nav>Home | World | Africa</nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>© The Wire</footer></body></html>"
    )


GAO_PAGE = page(
    "Herders killed near Gao",
    KILLING,
    "The attackers arrived on motorbikes at dawn and set fire to several huts before fleeing north.",
    "No group has claimed the attack, the third in the region this month, residents said.",
)
GOMA_PAGE = page(
    "Rebels attack Goma",
    "Rebels attacked an army base near Goma on Saturday, killing five soldiers, officials said.",
    "The fighting forced hundreds of families to flee towards the city centre, aid workers said.",
)


# --- a loopback web server ------------------------------------------------------------------------------


@dataclass
class Site:
    """Pages served on 127.0.0.1: path -> (content type, body); hits counts the requests per path;
    routes answer a path their own way (a redirect, a slow body)."""

    base: str = ""
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = field(default_factory=dict)

    def add(self, path: str, body: str | bytes, kind: str = "text/html; charset=utf-8") -> str:
        self.pages[path] = (kind, body.encode("utf-8") if isinstance(body, str) else body)
        return self.base + path


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    served = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.hits[self.path] += 1
            route = served.routes.get(self.path)
            if route is not None:
                route(self)
                return
            found = served.pages.get(self.path)
            if found is None:
                self.send_error(404)
                return
            kind, body = found
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Callable[[Path, bytes], Path]]:
    """Make a named pipe whose writer waits (never blocking) for a reader, then writes ``data``: a
    test whose reader wrongly opens or misses the pipe fails instead of hanging."""
    stop = threading.Event()
    writers: list[threading.Thread] = []

    def make(path: Path, data: bytes) -> Path:
        os.mkfifo(path)

        def write() -> None:
            while not stop.is_set():
                try:
                    fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
                except OSError:  # no reader yet
                    time.sleep(0.01)
                    continue
                os.set_blocking(fd, True)
                with contextlib.suppress(OSError), open(fd, "wb") as pipe:
                    pipe.write(data)  # a reader that stops at its cap closes the pipe early
                return

        writers.append(threading.Thread(target=write, daemon=True))
        writers[-1].start()
        return path

    yield make
    stop.set()
    for writer in writers:
        writer.join(timeout=5)


def closed_port_url(path: str = "/gone.html") -> str:
    """A loopback address where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


# --- folders ------------------------------------------------------------------------------------------------


def test_readers_folder_walks_sorted_skipping_hidden_and_unsupported(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "b.txt").write_text(KILLING)
    (tmp_path / "a.html").write_text(GAO_PAGE)
    (tmp_path / "sub" / "c.jsonl").write_text('{"text": "one"}\n{"text": "two"}\n')
    (tmp_path / "sub" / "deeper" / "d.text").write_text("four")
    (tmp_path / ".hidden.txt").write_text("hidden")
    (tmp_path / ".git" / "e.txt").write_text("hidden too")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / "README").write_text("no suffix")
    notes: list[tuple[str, str]] = []
    found = items(read(tmp_path, warn=lambda label, message: notes.append((label, message))))
    root = str(tmp_path)
    assert [i.label for i in found] == [
        f"{root}/a.html",
        f"{root}/b.txt",
        f"{root}/sub/c.jsonl:1",
        f"{root}/sub/c.jsonl:2",
        f"{root}/sub/deeper/d.text",
    ]
    assert found[0].title == "Herders killed near Gao" and KILLING in found[0].text
    (note,) = notes  # once, as a count, not as failures
    assert note[0] == root and "skipped 3 file(s)" in note[1]
    assert ".docx 1" in note[1] and ".png 1" in note[1] and "(no suffix) 1" in note[1]


def test_readers_folder_order_is_deterministic(tmp_path: Path) -> None:
    for name in ["z.txt", "a.txt", "m/b.txt", "a-b.txt", "A.txt"]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(name)
    first = [i.text for i in items(read(tmp_path))]
    assert first == [i.text for i in items(read(tmp_path))]
    assert first == ["A.txt", "a-b.txt", "a.txt", "m/b.txt", "z.txt"]


def test_readers_empty_folder_is_a_clear_failure(tmp_path: Path) -> None:
    failure = failed(read(tmp_path))
    assert failure.label == str(tmp_path)
    assert failure.error.code == "E112" and "directory" in failure.error.message
    assert ".txt" in failure.error.hint and ".pdf" in failure.error.hint
    (tmp_path / "scan.tiff").write_bytes(b"II*\x00")
    failure = failed(read(tmp_path, warn=lambda label, message: None))
    assert failure.error.code == "E112" and "1 of other types skipped" in failure.error.message


def test_readers_suffix_of() -> None:
    assert readers.suffix_of(Path("a/B.WARC.GZ")) == ".warc.gz"
    assert readers.suffix_of(Path("feed.Atom")) == ".atom"
    assert {".csv", ".pdf", ".json", ".xml", ".rss", ".atom", ".warc", ".warc.gz"} <= readers.SUFFIXES


# --- CSV and TSV --------------------------------------------------------------------------------------------


def test_readers_csv_text_column_option_and_metadata(write: Write) -> None:
    table = write(
        "reports.csv",
        "ID;Headline;Report;Link;Outlet;Date\n"
        f"r1;Herders killed;{KILLING};https://example.org/gao;Sahel Wire;2024-03-10\n"
        'r2;Multi-line;"Rebels attacked Goma.\nFive soldiers died.";;;\n'
        "r3;Bad date;Police fired on protesters.;;;10/03/2024\n"
        "r4;No text;;;;2024-03-11\n"
        "r5;Too many;Text;;;2024-03-11;extra;fields\n"
        "\n"
        "r6;Last;Troops clashed with militants in Sofala.;;;2024-03-12T08:00:00Z\n",
    )
    results = read(table, text_column="report")
    good = [r for r in results if isinstance(r, Item)]
    bad = {r.label: r.error for r in results if isinstance(r, Failed)}
    assert [i.id for i in good] == ["r1", "r2", "r6"]
    first = good[0]
    assert first.label == f"{table}:2" and first.text == KILLING
    assert (first.title, first.url, first.source) == (
        "Herders killed",
        "https://example.org/gao",
        "Sahel Wire",
    )
    assert str(first.published) == "2024-03-10"
    assert good[1].text == "Rebels attacked Goma.\nFive soldiers died." and good[1].url is None
    assert good[2].label == f"{table}:8" and str(good[2].published) == "2024-03-12"
    # rows are numbered as a spreadsheet numbers them, the header being row 1
    assert set(bad) == {f"{table}:4", f"{table}:5", f"{table}:6"}
    assert bad[f"{table}:4"].code == "E108" and "'Date'" in bad[f"{table}:4"].message
    assert bad[f"{table}:5"].code == "E114" and "no text in column 'Report'" in bad[f"{table}:5"].message
    assert bad[f"{table}:6"].code == "E114" and "the header has 6" in bad[f"{table}:6"].message


def test_readers_csv_default_text_column_any_case(write: Write) -> None:
    table = write("a.csv", f'Title,BODY,publish_date\nOne,"{KILLING}",2024-03-10\n')
    (item,) = items(read(table))
    assert item.text == KILLING and item.title == "One" and str(item.published) == "2024-03-10"
    assert item.id is None


def test_readers_tsv(write: Write) -> None:
    table = write("a.tsv", f"id\tcontent\tsource\nt1\t{KILLING}, he said\tRadio Gao\n")
    (item,) = items(read(table))
    assert (item.id, item.text, item.source) == ("t1", f"{KILLING}, he said", "Radio Gao")


@pytest.mark.parametrize(
    ("header", "option", "expected"),
    [
        ("id,headline,summary", None, "has no text column: none of text, body"),
        ("id,headline,summary", "story", "has no column 'story'"),
    ],
)
def test_readers_csv_without_text_column_names_the_columns(
    write: Write, header: str, option: str | None, expected: str
) -> None:
    table = write("a.csv", f"{header}\n1,a,b\n")
    failure = failed(read(table, text_column=option))
    assert failure.label == str(table) and failure.error.code == "E113"
    assert expected in failure.error.message and "its columns: id, headline, summary" in failure.error.message
    assert "--text-column" in failure.error.hint


def test_readers_csv_long_fields_and_cap_per_row(write: Write) -> None:
    long_text = KILLING + " " + "More detail follows. " * 10_000  # over the csv module's 128 KiB default
    table = write("long.csv", f'text\n"{long_text}"\nshort row\n')
    assert [i.text for i in items(read(table))] == [long_text, "short row"]
    # over the cap: the file is streamed, the long row fails alone and the next is still read
    results = read(table, max_bytes=50_000)
    assert failed(results).label == f"{table}:2" and failed(results).error.code == "E109"
    assert [i.text for i in results if isinstance(i, Item)] == ["short row"]


def test_readers_csv_latin1_and_empty_tables(write: Write) -> None:
    table = write("latin.csv", "text\nLes forces ont arrêté trois hommes à Bamako.\n".encode("latin-1"))
    (item,) = items(read(table))
    assert "arrêté" in item.text
    assert failed(read(write("header.csv", "text,title\n"))).error.message == "has a header but no rows"


# --- PDF ----------------------------------------------------------------------------------------------------


def make_pdf(pages: list[list[str]], title: str | None = None, created: str | None = None) -> bytes:
    """A minimal PDF by hand: one Helvetica text line per string, a correct xref table."""
    objects: dict[int, bytes] = {1: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    kids = []
    number = 3
    for lines in pages:
        ops = [b"BT /F1 12 Tf 72 720 Td 14 TL"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*".encode("latin-1"))
        stream = b"\n".join([*ops, b"ET"])
        kids.append(f"{number} 0 R")
        objects[number] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 1 0 R >> >> /Contents " + f"{number + 1} 0 R >>".encode()
        )
        objects[number + 1] = f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"
        number += 2
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode()
    catalog, number = number, number + 1
    objects[catalog] = b"<< /Type /Catalog /Pages 2 0 R >>"
    trailer = f"/Size {{size}} /Root {catalog} 0 R"
    if title or created:
        info = [f"/Title ({title})"] if title else []
        info += [f"/CreationDate (D:{created})"] if created else []
        objects[number] = f"<< {' '.join(info)} >>".encode("latin-1")
        trailer += f" /Info {number} 0 R"
        number += 1
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for n in range(1, number):
        offsets[n] = len(out)
        out += f"{n} 0 obj\n".encode() + objects[n] + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {number}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offsets[n]:010d} 00000 n \n".encode() for n in range(1, number))
    out += f"trailer\n<< {trailer.format(size=number)} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_readers_pdf_pages_title_and_date(write: Write) -> None:
    data = make_pdf(
        [["Rebels attacked Goma on Monday.", "Five soldiers were killed."], ["Aid workers said so."]],
        title="Weekly (Kivu) report",
        created="20240310120000Z",
    )
    (item,) = items(read(write("report.pdf", data)))
    pages = item.text.split("\n\n")
    assert pages == ["Rebels attacked Goma on Monday.\nFive soldiers were killed.", "Aid workers said so."]
    assert item.title == "Weekly (Kivu) report" and str(item.published) == "2024-03-10"


def test_readers_pdf_sniffed_without_suffix_and_from_stdin(write: Write) -> None:
    data = make_pdf([[KILLING]])
    assert items(read(write("report", data)))[0].text == KILLING
    (item,) = items(list(sources.read_path("-", stdin=io.BytesIO(data))))
    assert item.text == KILLING and item.label == "<stdin>"


def test_readers_pdf_scan_without_text_layer(write: Write) -> None:
    failure = failed(read(write("scan.pdf", make_pdf([[], []]))))
    assert failure.error.code == "E116"
    assert "has no text layer" in failure.error.message and "run OCR first" in failure.error.hint


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\ngarbage garbage garbage", b"%PDF-1.7\n" + bytes(range(256)) * 8, b"not a pdf at all"],
)
def test_readers_pdf_corrupt_fails_clearly(write: Write, data: bytes) -> None:
    failure = failed(read(write("broken.pdf", data)))
    assert failure.error.code == "E115" and "cannot read the PDF" in failure.error.message
    assert "pass its text as .txt" in failure.error.hint


def test_readers_pdf_truncated_never_raises(write: Write) -> None:
    data = make_pdf([[KILLING], ["Second page."]])
    for cut in (len(data) // 3, len(data) // 2, len(data) - 30):
        results = read(write("cut.pdf", data[:cut]))
        assert results and all(isinstance(r, (Item, Failed)) for r in results)


def test_readers_pdf_encrypted(write: Write) -> None:
    from pypdf import PdfReader, PdfWriter

    def encrypted(user_password: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([[KILLING]]))))
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    failure = failed(read(write("locked.pdf", encrypted("secret"))))
    assert failure.error.code == "E115" and "encrypted" in failure.error.message
    assert "unencrypted copy" in failure.error.hint
    # encrypted only against copying: the empty password opens it
    assert items(read(write("restricted.pdf", encrypted(""))))[0].text == KILLING


# --- Telegram -----------------------------------------------------------------------------------------------

TELEGRAM: dict[str, Any] = {
    "name": "Frontline Monitor",
    "type": "public_channel",
    "id": 1234567890,
    "messages": [
        {"id": 1, "type": "service", "date": "2024-03-09T10:00:00", "action": "create_channel", "text": ""},
        {
            "id": 2,
            "type": "message",
            "date": "2024-03-10T12:34:56",
            "text": "Shelling hit Kharkiv overnight, killing two civilians, officials said.",
        },
        {
            "id": 3,
            "type": "message",
            "date": "2024-03-11T08:00:00",
            "text": [
                "Drone strike near ",
                {"type": "hashtag", "text": "#Odesa"},
                " injured four, ",
                {"type": "text_link", "text": "the governor said", "href": "https://example.org"},
                ".",
            ],
        },
        {"id": 4, "type": "message", "date": "2024-03-11T09:00:00", "photo": "photos/1.jpg", "text": ""},
    ],
}


def test_readers_telegram_export_one_document_per_message(write: Write) -> None:
    export = write("result.json", json.dumps(TELEGRAM))
    found = items(read(export))
    assert [i.label for i in found] == [f"{export}#2", f"{export}#3"]
    assert found[1].text == "Drone strike near #Odesa injured four, the governor said."
    assert [i.id for i in found] == ["telegram-1234567890-2", "telegram-1234567890-3"]
    assert all(i.source == "Frontline Monitor" and i.url is None for i in found)
    assert [str(i.published) for i in found] == ["2024-03-10", "2024-03-11"]


def test_readers_telegram_url_when_the_export_names_the_username(write: Write) -> None:
    export = write("result.json", json.dumps({**TELEGRAM, "username": "@frontline_monitor"}))
    assert [i.url for i in items(read(export))] == [
        "https://t.me/frontline_monitor/2",
        "https://t.me/frontline_monitor/3",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"name": "x", "records": []}', "is a JSON dict, not a Telegram channel export"),
        ('[{"text": "a"}]', "is a JSON list, not a Telegram channel export"),
        ('{"messages": [', "is not valid JSON"),
    ],
)
def test_readers_other_json_is_not_telegram(write: Write, content: str, expected: str) -> None:
    failure = failed(read(write("data.json", content)))
    assert failure.error.code == "E117" and expected in failure.error.message
    assert "Telegram Desktop" in failure.error.hint and "JSONL" in failure.error.hint


def test_readers_telegram_without_text_fails(write: Write) -> None:
    export = write("result.json", json.dumps({**TELEGRAM, "messages": TELEGRAM["messages"][3:]}))
    assert failed(read(export)).error.message == "has no messages with text"


# --- RSS and Atom -------------------------------------------------------------------------------------------


def rss(*entries: str, title: str = "Sahel Wire") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://example.org/</link>{''.join(entries)}</channel></rss>"
    )


def rss_item(
    title: str, link: str | None, summary: str = "", date: str = "Sun, 10 Mar 2024 12:00:00 GMT"
) -> str:
    link_tag = f"<link>{link}</link>" if link else ""
    return (
        f"<item><title>{title}</title>{link_tag}<pubDate>{date}</pubDate>"
        f"<description>{summary}</description></item>"
    )


def test_readers_rss_file_reads_the_linked_local_pages(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "gao.html").write_text(GAO_PAGE)
    goma = tmp_path / "goma.html"
    goma.write_text(GOMA_PAGE)
    feed = tmp_path / "feed.rss"
    feed.write_text(
        rss(
            rss_item("Herders killed near Gao", "pages/gao.html", "Short teaser."),
            rss_item("Goma", goma.as_uri(), date="Mon, 11 Mar 2024 07:00:00 GMT"),
            rss_item(
                "Summary only", None, "&lt;p&gt;Police arrested &lt;b&gt;ten&lt;/b&gt; protesters.&lt;/p&gt;"
            ),
        )
    )
    first, second, third = items(read(feed))
    assert [first.label, second.label, third.label] == [f"{feed}#1", f"{feed}#2", f"{feed}#3"]
    assert KILLING in first.text and "Short teaser" not in first.text
    assert first.title == "Herders killed near Gao" and first.source == "Sahel Wire"
    assert first.url == (tmp_path / "pages" / "gao.html").as_uri() and str(first.published) == "2024-03-10"
    assert "five soldiers" in second.text and second.url == goma.as_uri()
    assert str(second.published) == "2024-03-11"
    assert third.text == "Police arrested ten protesters." and third.url is None


def test_readers_feed_sniffed_from_content(write: Write) -> None:
    feed = rss(rss_item("One", None, KILLING))
    assert items(read(write("feed", feed)))[0].text == KILLING
    assert items(read(write("feed.txt.bak", feed)))[0].text == KILLING
    (item,) = items(list(sources.read_path("-", stdin=io.BytesIO(feed.encode()))))
    assert item.text == KILLING and item.source == "Sahel Wire"


def test_readers_atom_feed_over_loopback(site: Site) -> None:
    goma = site.add("/goma.html", GOMA_PAGE)
    feed = site.add(
        "/atom.xml",
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Kivu Monitor</title><id>urn:kivu</id><updated>2024-03-12T00:00:00Z</updated>"
        '<entry><title>Rebels attack Goma</title><link href="/goma.html"/><id>urn:kivu:1</id>'
        "<updated>2024-03-12T09:00:00Z</updated><summary>Teaser.</summary></entry></feed>",
        "application/atom+xml",
    )
    (item,) = items(read(feed))
    assert item.label == f"{feed}#1" and item.url == goma  # the relative link resolved against the feed
    assert "killing five soldiers" in item.text and "Teaser" not in item.text
    assert (item.title, item.source, str(item.published)) == (
        "Rebels attack Goma",
        "Kivu Monitor",
        "2024-03-12",
    )
    assert site.hits["/goma.html"] == 1


def test_readers_feed_unreachable_link_falls_back_to_summary(site: Site) -> None:
    gone = closed_port_url("/gone.html")
    missing = site.base + "/missing.html"
    feed = site.add(
        "/feed.xml",
        rss(
            rss_item("Gone", gone, "&lt;p&gt;Gunmen killed &lt;b&gt;three&lt;/b&gt; herders.&lt;/p&gt;"),
            rss_item("Missing", missing, "Soldiers clashed with militants."),
            rss_item("Nothing", closed_port_url("/x.html"), ""),
        ),
        "application/rss+xml",
    )
    notes: list[tuple[str, str]] = []
    results = read(feed, warn=lambda label, message: notes.append((label, message)))
    first, second, third = results
    assert isinstance(first, Item) and first.text == "Gunmen killed three herders." and first.url == gone
    assert isinstance(second, Item) and second.text == "Soldiers clashed with militants."
    assert [label for label, _ in notes] == [f"{feed}#1", f"{feed}#2"]
    assert f"cannot read {gone}" in notes[0][1] and "using the entry's summary" in notes[0][1]
    assert "HTTP 404" in notes[1][1]
    assert isinstance(third, Failed) and third.error.code == "E118" and "no summary" in third.error.message


def test_readers_remote_feed_never_reads_local_files(site: Site, tmp_path: Path) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text(page("Secret", "The launch codes are here, and this paragraph is long enough."))
    feed = site.add("/feed.xml", rss(rss_item("Trap", secret.as_uri(), "The summary.")))
    (item,) = items(read(feed))
    assert item.text == "The summary." and "launch codes" not in item.text


def test_readers_feed_entries_already_stored_are_not_fetched(site: Site) -> None:
    stored = site.add("/old.html", GAO_PAGE)
    fresh = site.add("/new.html", GOMA_PAGE)
    feed = site.add("/feed.xml", rss(rss_item("Old", stored, "Old teaser."), rss_item("New", fresh)))
    old, new = items(read(feed, seen=lambda doc_id, url: url == stored))
    assert site.hits["/old.html"] == 0 and site.hits["/new.html"] == 1
    assert old.url == stored and old.text == "Old teaser." and "five soldiers" in new.text


def test_readers_url_of_a_page_is_one_document(site: Site) -> None:
    url = site.add("/story.html", GOMA_PAGE)
    (item,) = items(read(url))
    assert item.label == url and item.url == url and item.title == "Rebels attack Goma"


def test_readers_unreachable_feed_url_fails(site: Site) -> None:
    url = closed_port_url("/feed.xml")
    failure = failed(read(url))
    assert failure.label == url and failure.error.code == "E118" and "cannot fetch" in failure.error.message
    failure = failed(read(site.base + "/nothing.xml"))
    assert "HTTP 404" in failure.error.message


def test_readers_fetch_is_capped(site: Site) -> None:
    url = site.add("/big.html", GOMA_PAGE + "<!--" + "x" * 5000 + "-->")
    failure = failed(read(url, max_bytes=2000))
    assert failure.error.code == "E109"


@pytest.mark.parametrize(
    "content",
    [
        '<?xml version="1.0"?><urlset><url><loc>https://example.org/</loc></url></urlset>',
        "just some words",
    ],
)
def test_readers_xml_that_is_no_feed(write: Write, content: str) -> None:
    failure = failed(read(write("sitemap.xml", content)))
    assert failure.error.code == "E118" and "is not an RSS or Atom feed" in failure.error.message


def test_readers_feed_without_entries(write: Write) -> None:
    failure = failed(read(write("empty.rss", rss())))
    assert failure.error.code == "E118" and failure.error.message == "the feed has no entries"


def test_readers_local_feed_reads_only_regular_files_in_its_folder(
    tmp_path: Path, fifo: Callable[[Path, bytes], Path]
) -> None:
    # regression: a feed's links read ../secretdir/id_key, file:///etc/passwd, and waited on a FIFO
    (tmp_path / "secretdir").mkdir()
    secret = tmp_path / "secretdir" / "id_key"
    secret.write_text("-----BEGIN OPENSSH PRIVATE KEY----- the key itself, long enough to be a page")
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "gao.html").write_text(GAO_PAGE)
    (folder / "key.html").symlink_to(secret)
    fifo(folder / "pipe.html", GOMA_PAGE.encode())
    feed = folder / "feed.rss"
    links = ["gao.html", "../secretdir/id_key", secret.as_uri(), "key.html", "pipe.html"]
    feed.write_text(rss(*(rss_item(f"Entry {n}", link, f"Summary {n}.") for n, link in enumerate(links))))
    notes: list[tuple[str, str]] = []
    results = items(read(feed, warn=lambda label, message: notes.append((label, message))))
    assert KILLING in results[0].text  # a page in the feed's folder is still read
    assert [r.text for r in results[1:]] == ["Summary 1.", "Summary 2.", "Summary 3.", "Summary 4."]
    assert all("PRIVATE KEY" not in r.text and "five soldiers" not in r.text for r in results)
    assert [label for label, _ in notes] == [f"{feed}#{n}" for n in (2, 3, 4, 5)]
    assert all("outside the feed's folder" in message for _, message in notes[:3])
    assert "pipe.html is not a regular file" in notes[3][1]


def test_readers_local_feed_link_read_up_to_the_cap(tmp_path: Path) -> None:
    (tmp_path / "big.html").write_text(GAO_PAGE + "<!--" + "x" * 5000 + "-->")
    feed = tmp_path / "feed.rss"
    feed.write_text(rss(rss_item("Big", "big.html", "The summary.")))
    notes: list[str] = []
    (item,) = items(read(feed, max_bytes=3000, warn=lambda label, message: notes.append(message)))
    assert item.text == "The summary." and "larger than the 3,000-byte limit" in notes[0]


def redirect_to(target: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", target)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def test_readers_redirects_followed_only_to_http(site: Site) -> None:
    # regression: urllib's default opener followed a redirect to ftp:// (or file://)
    good = site.add("/goma.html", GOMA_PAGE)
    site.routes["/moved.html"] = redirect_to(good)
    site.routes["/to-ftp.html"] = redirect_to("ftp://127.0.0.1/pub/secret.html")
    site.routes["/to-file.html"] = redirect_to("file:///etc/passwd")
    (moved,) = items(read(site.base + "/moved.html"))
    assert "five soldiers" in moved.text
    failure = failed(read(site.base + "/to-ftp.html"))
    assert failure.error.code == "E118"
    assert "redirected to ftp://127.0.0.1/pub/secret.html; only http and https" in failure.error.message
    assert failed(read(site.base + "/to-file.html")).error.code == "E118"
    feed = site.add(
        "/feed.xml",
        rss(rss_item("Ftp", site.base + "/to-ftp.html", "The summary."), rss_item("Moved", good)),
        "application/rss+xml",
    )
    notes: list[str] = []
    first, second = items(read(feed, warn=lambda label, message: notes.append(message)))
    assert first.text == "The summary." and "redirected to ftp://" in notes[0]
    assert "five soldiers" in second.text  # the server answered: its other pages are still fetched


def trickle(handler: BaseHTTPRequestHandler) -> None:
    """A body promised whole and sent a byte every 50 ms: each read is quick, the whole is not."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "10000")
    handler.end_headers()
    with contextlib.suppress(OSError):
        for _ in range(100):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(0.05)


def test_readers_fetch_has_a_total_deadline(site: Site) -> None:
    # regression: the timeout was per socket read, so a trickling server held a fetch indefinitely
    site.routes["/slow.html"] = trickle
    options = sources.ReadOptions(deadline=0.5, timeout=5)
    began = time.monotonic()
    (failure,) = feeds.read_url(site.base + "/slow.html", options)
    assert time.monotonic() - began < 3
    assert isinstance(failure, Failed) and failure.error.code == "E118"
    assert "not all sent within 0.5 s" in failure.error.message
    feed = site.add("/feed.xml", rss(rss_item("Slow", site.base + "/slow.html", "The summary.")))
    notes: list[str] = []
    options = sources.ReadOptions(deadline=0.5, timeout=5, warn=lambda label, message: notes.append(message))
    (item,) = items(list(feeds.read_url(feed, options)))
    assert item.text == "The summary." and "not all sent within 0.5 s" in notes[0]
    assert sources.FETCH_DEADLINE == sources.ReadOptions().deadline == 30


def test_readers_deeply_nested_json_fails_alone(write: Write) -> None:
    # regression: RecursionError ended the whole run as a bug
    deep = write("deep.json", "[" * 200_000)
    note = write("a.txt", KILLING)
    results = list(sources.read_all([str(note), str(deep)]))
    assert isinstance(results[0], Item) and results[0].text == KILLING
    failure = failed(results)
    assert failure.label == str(deep) and failure.error.code == "E117"
    assert "nested too deeply" in failure.error.message
    lines = write("deep.jsonl", '{"text": ' + "[" * 100_000 + "\n" + json.dumps({"text": KILLING}) + "\n")
    results = read(lines)
    assert failed(results).label == f"{lines}:1" and failed(results).error.code == "E105"
    assert "nested too deeply" in failed(results).error.message
    assert [r.text for r in results if isinstance(r, Item)] == [KILLING]


# --- pipes and devices --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report", KILLING),
        ("records.jsonl", json.dumps({"id": "a1", "text": KILLING}) + "\n"),
        ("table.csv", f'id,text\na1,"{KILLING}"\n'),
    ],
)
def test_readers_named_pipe_is_read(
    tmp_path: Path, fifo: Callable[[Path, bytes], Path], name: str, content: str
) -> None:
    # regression: `sitroom extract <(cat a.txt)` said "is empty" (a pipe's size is 0)
    pipe = fifo(tmp_path / name, content.encode())
    (item,) = items(read(pipe))
    assert item.text == KILLING


def test_readers_named_pipe_is_capped(tmp_path: Path, fifo: Callable[[Path, bytes], Path]) -> None:
    pipe = fifo(tmp_path / "endless", KILLING.encode() * 200)
    failure = failed(read(pipe, max_bytes=1000))
    assert failure.error.code == "E109" and "the pipe is larger than" in failure.error.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/null and /dev/zero")
def test_readers_devices() -> None:
    assert failed(read("/dev/null")).error.code == "E101"
    failure = failed(read("/dev/zero"))
    assert failure.error.code == "E102" and "never ends" in failure.error.message


# --- WARC ---------------------------------------------------------------------------------------------------


def make_warc(records: list[tuple[str, str, str, bytes]], gz: bool = False) -> bytes:
    """A WARC of (record type, url, content type, body) records, each a 200 response unless the url
    ends in /404."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for kind, url, content_type, body in records:
        status = "404 Not Found" if url.endswith("/404") else "200 OK"
        http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        if kind == "request":
            http = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "example.org")], is_http_request=True)
        record = writer.create_warc_record(
            url,
            kind,
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2024-03-15T10:00:00Z"},
        )
        writer.write_record(record)
    return out.getvalue()


WARC_RECORDS = [
    ("request", "https://example.org/gao", "", b""),
    ("response", "https://example.org/gao", "text/html; charset=utf-8", GAO_PAGE.encode()),
    ("response", "https://example.org/logo.png", "image/png", b"\x89PNG\r\n"),
    ("response", "https://example.org/404", "text/html", page("Not found", "Nothing here.").encode()),
    (
        "response",
        "https://example.org/goma",
        "text/html",
        page("Goma", "Rebels attacked Goma.", date="2024-03-09").encode(),
    ),
    ("response", "https://example.org/note.txt", "text/plain", KILLING.encode()),
]


@pytest.mark.parametrize("gz", [False, True])
def test_readers_warc_response_records(write: Write, gz: bool) -> None:
    archive = write("crawl.warc.gz" if gz else "crawl.warc", make_warc(WARC_RECORDS, gz=gz))
    gao, goma, note = items(read(archive))
    assert [gao.label, goma.label, note.label] == [f"{archive}#2", f"{archive}#5", f"{archive}#6"]
    assert (
        gao.url == "https://example.org/gao"
        and KILLING in gao.text
        and gao.title == "Herders killed near Gao"
    )
    assert str(gao.published) == "2024-03-15"  # archived that day; the page gives no date of its own
    assert goma.url == "https://example.org/goma" and str(goma.published) == "2024-03-09"
    assert note.text == KILLING and note.url == "https://example.org/note.txt"


def test_readers_warc_capped_per_record(write: Write) -> None:
    archive = write("crawl.warc", make_warc(WARC_RECORDS))
    results = read(archive, max_bytes=len(GAO_PAGE) - 1)  # smaller than one page, not than the file
    assert failed([r for r in results if r.label.endswith("#2")]).error.code == "E109"
    assert [r.label for r in results if isinstance(r, Item)] == [f"{archive}#5", f"{archive}#6"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("junk.warc", b"junk\n" * 10),
        ("junk.warc.gz", gzip.compress(b"no archive here\n" * 10)),
        ("half.warc", make_warc(WARC_RECORDS)[:100]),
    ],
)
def test_readers_warc_corrupt_fails_clearly(write: Write, name: str, data: bytes) -> None:
    failure = failed(read(write(name, data)))
    assert failure.error.code == "E119" and "whole WARC archive" in failure.error.hint


def test_readers_warc_cut_short_keeps_the_records_before(write: Write) -> None:
    data = make_warc(WARC_RECORDS, gz=True)
    results = read(write("cut.warc.gz", data[:-200] + b"\x00garbage"))
    assert all(isinstance(r, (Item, Failed)) for r in results)
    assert [r.url for r in results if isinstance(r, Item)][:2] == [
        "https://example.org/gao",
        "https://example.org/goma",
    ]


@pytest.mark.parametrize("gz", [False, True])
def test_readers_warc_truncated_fails_after_the_whole_records(
    write: Write, gz: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    # regression: a WARC cut to 85% of its size silently lost its last record
    data = make_warc(WARC_RECORDS, gz=gz)
    archive = write("cut.warc.gz" if gz else "cut.warc", data[: len(data) * 85 // 100])
    results = read(archive)
    assert [r.url for r in results if isinstance(r, Item)] == ["https://example.org/gao"]
    assert results[-1].label == f"{archive}#5"
    assert isinstance(results[-1], Failed) and results[-1].error.code == "E119"
    assert results[-1].error.message.startswith("the archive is cut short in this record")
    whole = read(write("whole.warc.gz" if gz else "whole.warc", data))
    assert all(isinstance(r, Item) for r in whole) and len(whole) == 3
    assert capsys.readouterr().err == ""


def test_readers_warc_reader_complaints_become_warnings(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    # warcio printed "WARNING: Record not followed by newline" on stderr, naming no input
    data = make_warc(WARC_RECORDS).replace(b"Content-Length: 516", b"Content-Length: 500", 1)
    archive = write("odd.warc", data)
    notes: list[tuple[str, str]] = []
    results = read(archive, warn=lambda label, message: notes.append((label, message)))
    assert capsys.readouterr().err == ""
    assert [label for label, _ in notes] == [f"{archive}#2"]
    assert "not followed by the blank line" in notes[0][1]
    assert [r.url for r in results if isinstance(r, Item)][-2:] == [
        "https://example.org/goma",
        "https://example.org/note.txt",
    ]


def test_readers_warc_without_pages(write: Write) -> None:
    archive = write("images.warc", make_warc([WARC_RECORDS[2]]))
    failure = failed(read(archive))
    assert failure.error.code == "E119" and "no archived HTML or text pages" in failure.error.message


# --- the command line ---------------------------------------------------------------------------------------


def run(runner: Any, *args: str | Path, **kwargs: Any) -> Any:
    return runner.invoke(cli.app, [str(a) for a in args], **kwargs)


def test_cli_readers_extract_a_mixed_folder(runner: Any, tmp_path: Path, light_cli: None) -> None:
    (tmp_path / "csv").mkdir()
    (tmp_path / "csv" / "rows.csv").write_text(
        f'key,story,url\nrow-1,"{KILLING}",https://example.org/1\nrow-2,,\n'
    )
    (tmp_path / "result.json").write_text(json.dumps(TELEGRAM))
    (tmp_path / "report.pdf").write_bytes(make_pdf([[KILLING]], title="Situation report"))
    (tmp_path / "slides.pptx").write_bytes(b"PK")
    result = run(runner, "extract", "--format", "jsonl", "--text-column", "Story", tmp_path)
    assert result.exit_code == 0, result.stderr
    docs = [json.loads(line)["document"] for line in result.stdout.splitlines()]
    assert [d.get("url") for d in docs] == ["https://example.org/1", None, None, None]
    assert docs[1]["title"] == "Situation report"
    assert [d["id"] for d in docs[2:]] == ["telegram-1234567890-2", "telegram-1234567890-3"]
    assert docs[2]["source"] == "Frontline Monitor" and docs[2]["published"] == "2024-03-10"
    assert f"error: {tmp_path}/csv/rows.csv:3: has no text in column 'story'" in result.stderr
    assert "skipped 1 file(s) of unsupported types (.pptx 1)" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_readers_csv_without_text_column(runner: Any, tmp_path: Path, light_cli: None) -> None:
    table = tmp_path / "a.csv"
    table.write_text("id,headline\n1,Something\n")
    result = run(runner, "extract", table)
    assert result.exit_code == 1 and result.stdout == ""
    assert "has no text column" in result.stderr and "its columns: id, headline" in result.stderr


def test_cli_watch_once_ingests_new_entries_only(
    runner: Any, site: Site, tmp_path: Path, light_cli: None
) -> None:
    first = site.add("/a.html", GAO_PAGE)
    feed_body = rss(rss_item("Gao", first, "Teaser."))
    feed = site.add("/feed.xml", feed_body, "application/rss+xml")
    db = tmp_path / "w.db"
    result = run(runner, "watch", "--once", "--db", db, feed)
    assert result.exit_code == 0, result.stderr
    assert "watch: pass 1 at " in result.stderr and ": 1 stored, 0 already present, 0 failed" in result.stderr
    # a new entry appears: only it is fetched and stored
    second = site.add("/b.html", GOMA_PAGE)
    site.add("/feed.xml", rss(rss_item("Goma", second), rss_item("Gao", first, "Teaser.")))
    result = run(runner, "watch", "--once", "--db", db, feed)
    assert result.exit_code == 0, result.stderr
    assert ": 1 stored, 1 already present, 0 failed" in result.stderr
    assert site.hits["/a.html"] == 1 and site.hits["/b.html"] == 1
    result = run(runner, "ingest", "--db", db, feed)
    assert "ingest: 0 stored, 2 already present, 0 failed" in result.stderr
    assert site.hits["/a.html"] == 1


def test_cli_watch_polls_until_interrupted(
    runner: Any, tmp_path: Path, light_cli: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(KILLING)
    naps: list[float] = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 2:
            raise KeyboardInterrupt
        (tmp_path / "in" / "b.txt").write_text("Soldiers clashed with militants in Sofala on Monday.")

    monkeypatch.setattr(time, "sleep", nap)
    result = run(runner, "watch", "--every", "2m", "--db", tmp_path / "w.db", tmp_path / "in")
    assert result.exit_code == 0, result.stderr
    assert len(naps) == 2 and all(100 < n <= 120 for n in naps)
    passes = [line for line in result.stderr.splitlines() if line.startswith("watch: pass")]
    assert len(passes) == 2
    assert passes[0].endswith(f"1 stored, 0 already present, 0 failed ({tmp_path / 'w.db'})")
    assert "1 stored, 1 already present" in passes[1]
    assert "watch: stopped" in result.stderr
    assert "watch: 2 pass(es): 2 stored, 1 already present, 0 failed" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--every", "soon", "feed.xml"], "cannot read the interval 'soon'"),
        (["--every", "0m", "feed.xml"], "cannot read the interval '0m'"),
        (["-"], "standard input can be read only once"),
        # regression: an interval too long for time.sleep crashed after the first pass
        (["--every", "999999999999999d", "feed.xml"], "366 days"),
        (["--every", "367d", "feed.xml"], "366 days"),
    ],
)
def test_cli_watch_bad_arguments(runner: Any, tmp_path: Path, args: list[str], expected: str) -> None:
    result = run(runner, "watch", "--once", "--db", tmp_path / "w.db", *args)
    assert result.exit_code == 2 and expected in result.stderr
    assert not (tmp_path / "w.db").exists()


def test_cli_watch_interval_bound_names_the_option(runner: Any, tmp_path: Path) -> None:
    result = run(runner, "watch", "--every", "999999999999999d", "--db", tmp_path / "w.db", "feed.xml")
    assert result.exit_code == 2 and "--every" in result.stderr and "Overflow" not in result.stderr
    assert cli._interval("366d") == 366 * 86400


def test_cli_watch_pass_that_fails_is_reported_and_the_next_runs(
    runner: Any, tmp_path: Path, light_cli: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a failure outside the per-document handling (the store busy) must not end the watch
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(KILLING)
    real = cli.ingest_into
    calls: list[int] = []

    def flaky(*args: Any) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise SitroomError("E130", "database is locked", "try again when the other writer is done")
        real(*args)

    def nap(seconds: float) -> None:
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(cli, "ingest_into", flaky)
    monkeypatch.setattr(time, "sleep", nap)
    result = run(runner, "watch", "--every", "1m", "--db", tmp_path / "w.db", tmp_path / "in")
    assert result.exit_code == 0, result.stderr
    assert "error: watch: pass 1: database is locked; try again when" in result.stderr
    assert "trying again at the next pass" in result.stderr
    passes = [line for line in result.stderr.splitlines() if line.startswith("watch: pass")]
    assert len(passes) == 2 and "1 stored" in passes[1]
    assert "watch: 2 pass(es): 1 stored, 0 already present, 1 failed" in result.stderr
    assert "bug" not in result.stderr
    calls.clear()
    result = run(runner, "watch", "--once", "--db", tmp_path / "w2.db", tmp_path / "in")
    assert result.exit_code == 1 and "error: database is locked" in result.stderr


def test_cli_extract_survives_deeply_nested_json(runner: Any, tmp_path: Path, light_cli: None) -> None:
    # regression: `sitroom extract a.txt deep.json` ended with "unexpected RecursionError ... bug"
    (tmp_path / "a.txt").write_text(KILLING)
    (tmp_path / "deep.json").write_text("[" * 200_000)
    result = run(runner, "extract", "--format", "jsonl", tmp_path / "a.txt", tmp_path / "deep.json")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1
    assert "nested too deeply" in result.stderr and "bug" not in result.stderr


# --- never a traceback --------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), text=st.text(max_size=400))
def test_readers_never_raise_on_arbitrary_input(data: bytes, text: str) -> None:
    import tempfile

    from sitroom.readers.feeds import read_feed
    from sitroom.readers.pdf import read_pdf
    from sitroom.readers.telegram import read_telegram
    from sitroom.readers.warc import read_warc

    # seen() says every link is stored: a fuzzed feed never reaches the network
    options = sources.ReadOptions(max_bytes=100_000, warn=lambda label, message: None, seen=lambda i, u: True)
    outputs = [
        *read_pdf(b"%PDF-1.4\n" + data, "f.pdf"),
        *read_telegram(data, "result.json"),
        *read_telegram(('{"messages": ' + text + "}").encode(), "result.json"),
        *read_feed(data, "feed.xml", options),
        *read_feed(("<rss><channel><item>" + text).encode(), "feed.xml", options),
        *read_warc(io.BytesIO(data), "a.warc", options),
    ]
    with tempfile.TemporaryDirectory() as folder:
        for name, content in (("a.csv", text.encode()), ("b.tsv", b"text\t" + data), ("c.csv", data)):
            path = Path(folder) / name
            path.write_bytes(content)
            outputs += read(path, warn=lambda label, message: None)
    assert all(isinstance(r, (Item, Failed)) for r in outputs)
