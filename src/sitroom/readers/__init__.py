"""Readers for the inputs beyond one text, page or JSONL feed: folders, CSV/TSV, PDF, Telegram channel
exports, RSS/Atom feeds and URLs, and WARC archives.

`sitroom.sources.read_path` hands inputs here by their suffix (or their first bytes); each reader
keeps its conventions: it never raises for a bad input, it yields a `Failed` naming the input
(``table.csv:7``, ``result.json#412``), and the other documents of the input still go on.

>>> suffix_of(Path("crawl/2024.WARC.gz")), suffix_of(Path("notes"))
('.warc.gz', '')
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from sitroom.errors import InputError
from sitroom.sources import HTML_SUFFIXES, JSONL_SUFFIXES, Failed, Item, ReadOptions

TEXT_SUFFIXES = frozenset({".txt", ".text"})
TABLE_SUFFIXES = frozenset({".csv", ".tsv"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
WARC_SUFFIXES = frozenset({".warc", ".warc.gz"})
#: read whole, capped as a whole by --max-size
WHOLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | {".pdf", ".json"}
#: read as a stream, capped per row or record (like a JSONL feed per line)
STREAMED = TABLE_SUFFIXES | WARC_SUFFIXES
#: what a folder walk reads; other files in a folder are skipped and counted
SUFFIXES = WHOLE_SUFFIXES | JSONL_SUFFIXES | STREAMED


def suffix_of(path: Path) -> str:
    """The lowercased suffix that decides the reader; ``.warc.gz`` counts as one."""
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else Path(name).suffix


def read_stream(
    file: Path, label: str, suffix: str, options: ReadOptions, data: bytes | None = None
) -> Iterator[Item | Failed]:
    """A CSV/TSV table or a WARC archive, read from the file as it goes; ``data`` is its content when
    read already (a named pipe can be read only once)."""
    if suffix in TABLE_SUFFIXES:
        from sitroom.readers.tables import read_table

        yield from read_table(file, label, suffix, options, data)
    else:
        from sitroom.readers.warc import read_warc

        with file.open("rb") if data is None else io.BytesIO(data) as stream:
            yield from read_warc(stream, label, options)


def folder_files(
    folder: Path, on_error: Callable[[OSError], None] | None = None
) -> tuple[list[Path], Counter[str]]:
    """The files a walk of ``folder`` reads, in sorted order of their paths, and the suffixes of the
    files it skips (hidden files and folders are left out silently; symlinked folders are not followed).
    ``on_error`` hears of the subfolders that cannot be listed."""
    found: list[tuple[tuple[str, ...], Path]] = []
    skipped: Counter[str] = Counter()
    for top, dirs, names in os.walk(folder, onerror=on_error):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.startswith("."):
                continue
            path = Path(top) / name
            suffix = suffix_of(path)
            if suffix not in SUFFIXES:
                skipped[suffix or "(no suffix)"] += 1
            elif path.is_file():
                found.append((path.relative_to(folder).parts, path))
    return [path for _, path in sorted(found)], skipped


def read_folder(folder: Path, label: str, options: ReadOptions) -> Iterator[Item | Failed]:
    """Every file in a folder and its subfolders that sitroom reads, in sorted order of their paths."""
    from sitroom.sources import _read_file

    def unlisted(exc: OSError) -> None:
        options.warn(label, f"cannot list {exc.filename}: {exc.strerror or exc}; its files are skipped")

    files, skipped = folder_files(folder, unlisted)
    if skipped:
        kinds = ", ".join(f"{suffix} {n}" for suffix, n in sorted(skipped.items()))
        options.warn(label, f"skipped {sum(skipped.values())} file(s) of unsupported types ({kinds})")
    if not files:
        yield Failed(
            label,
            InputError(
                "E112",
                "is a directory with no files that sitroom reads"
                + (f" ({sum(skipped.values())} of other types skipped)" if skipped else ""),
                "put reports in it as " + ", ".join(sorted(SUFFIXES)) + ", or pass the files themselves",
            ),
        )
        return
    for path in files:
        yield from _read_file(path, os.path.join(label, *path.relative_to(folder).parts), options)
