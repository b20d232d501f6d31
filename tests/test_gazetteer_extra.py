"""The gazetteer beyond the bundled index: `sitroom gazetteer build/add/lookup`, on files the tests write."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitroom import cli
from sitroom.gazetteer import Gazetteer, default_gazetteer, extra


def _row(
    gid: int,
    name: str,
    alternates: str,
    lat: float,
    lon: float,
    fclass: str,
    fcode: str,
    cc: str,
    a1: str,
    a2: str,
    pop: int,
) -> str:
    cols = [
        str(gid),
        name,
        name,
        alternates,
        str(lat),
        str(lon),
        fclass,
        fcode,
        cc,
        "",
        a1,
        a2,
        "",
        "",
        str(pop),
        "",
        "300",
        "Africa/Bamako",
        "2024-01-01",
    ]
    return "\t".join(cols)


MAIN = (
    "\n".join(
        [
            _row(9000001, "Kidal Region", "", 19.0, 1.0, "A", "ADM1", "ML", "08", "", 0),
            _row(9000002, "Tessalit Cercle", "", 20.2, 1.0, "A", "ADM2", "ML", "08", "0802", 0),
            _row(9000003, "Kelbouri", "Kel Bouri", 20.21, 1.02, "P", "PPL", "ML", "08", "0802", 120),
            _row(9000004, "Ignored Peak", "", 20.0, 1.0, "T", "MT", "ML", "08", "", 0),
        ]
    )
    + "\n"
)
ALTERNATES = "1\t9000003\tfr\tQuelbouri\t\t\t\t\t\t\n2\t9000003\tlink\thttps://example.org/x\t\t\t\t\t\t\n"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "data"
    monkeypatch.setenv("SITROOM_DATA_DIR", str(folder))
    default_gazetteer.cache_clear()
    yield folder
    default_gazetteer.cache_clear()


def _run(runner: Any, *args: str | Path) -> Any:
    return runner.invoke(cli.app, [str(a) for a in args])


def _dump(tmp_path: Path) -> tuple[Path, Path]:
    main = tmp_path / "ML.zip"
    with zipfile.ZipFile(main, "w") as zf:
        zf.writestr("ML.txt", MAIN)
        zf.writestr("readme.txt", "GeoNames readme\n")
    alt = tmp_path / "alternateNamesV2.zip"
    with zipfile.ZipFile(alt, "w") as zf:
        zf.writestr("alternateNamesV2.txt", ALTERNATES)
    return main, alt


def test_build_from_geonames_files_then_lookup(runner: Any, tmp_path: Path, data_dir: Path) -> None:
    main, alt = _dump(tmp_path)
    result = _run(runner, "gazetteer", "build", main, alt)
    assert result.exit_code == 0, result.stderr
    assert (data_dir / extra.GEONAMES_DB).is_file()
    result = _run(runner, "gazetteer", "lookup", "Quelbouri", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0]["name"] == "Kelbouri" and rows[0]["country"] == "ML"
    assert rows[0]["admin1"] and rows[0]["admin2"] == "Tessalit Cercle"
    assert json.loads(_run(runner, "gazetteer", "lookup", "Ignored Peak", "--format", "json").stdout) == []
    assert json.loads(_run(runner, "gazetteer", "lookup", "https://example.org/x", "-f", "json").stdout) == []


def test_built_index_resolves_a_village_in_a_report(tmp_path: Path, data_dir: Path) -> None:
    main, _alt = _dump(tmp_path)
    extra.build([main], data_dir / extra.GEONAMES_DB)
    gaz = Gazetteer()
    entry = gaz.best("Kelbouri")
    assert entry is not None and entry.country == "ML" and entry.feature == "populated_place"
    assert Gazetteer().knows("kelbouri")
    # a small place's alternate spellings add more false friends than finds (as in the bundled index)
    assert not Gazetteer().knows("Kel Bouri")


def test_build_rejects_a_file_that_is_no_geonames_table(runner: Any, write: Any, data_dir: Path) -> None:
    bad = write("places.txt", "name,lat,lon\nX,1,2\n")
    result = _run(runner, "gazetteer", "build", bad)
    assert (
        result.exit_code == 1
        and "GeoNames table has 19" in result.stderr
        and "Traceback" not in result.stderr
    )
    assert not (data_dir / extra.GEONAMES_DB).exists()
    assert list(data_dir.glob("*.tmp")) == []


def test_build_names_a_missing_file(runner: Any, tmp_path: Path, data_dir: Path) -> None:
    result = _run(runner, "gazetteer", "build", tmp_path / "nope.zip")
    assert result.exit_code == 1 and "nope.zip" in result.stderr


def test_add_user_places_and_aliases(runner: Any, write: Any, data_dir: Path) -> None:
    places = write(
        "mine.csv",
        "name,country,lat,lon,admin1,admin2,feature,alias_of\n"
        "Camp Zeta,ML,18.1,1.3,Kidal,,other,\n"
        "Kidal town,ML,,,,,,Kidal\n",
    )
    result = _run(runner, "gazetteer", "add", places)
    assert result.exit_code == 0, result.stderr
    assert "2 new row(s)" in result.stderr
    again = _run(runner, "gazetteer", "add", places)
    assert "0 new row(s)" in again.stderr
    default_gazetteer.cache_clear()
    rows = json.loads(_run(runner, "gazetteer", "lookup", "Camp Zeta", "-f", "json").stdout)
    assert rows[0]["user"] and rows[0]["lat"] == 18.1
    rows = json.loads(_run(runner, "gazetteer", "lookup", "Kidal town", "-f", "json").stdout)
    assert rows[0]["name"] == "Kidal" and rows[0]["country"] == "ML"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("name,country,lat,lon\nCamp,ML,north,1\n", "numeric lat and lon"),
        ("name,country,lat,lon\nCamp,Mali,1,1\n", "alpha-2"),
        ("place,lat\nCamp,1\n", "header"),
        ("name,country,lat,lon,colour\nCamp,ML,1,1,red\n", "unknown column"),
    ],
)
def test_add_rejects_a_bad_file_whole(
    runner: Any, write: Any, data_dir: Path, content: str, words: str
) -> None:
    result = _run(runner, "gazetteer", "add", write("bad.csv", content))
    assert result.exit_code == 1 and words in result.stderr and "Traceback" not in result.stderr
    assert not (data_dir / extra.USER_PLACES).exists()


def test_lookup_of_an_unknown_name_says_what_to_do(runner: Any, data_dir: Path) -> None:
    result = _run(runner, "gazetteer", "lookup", "Qqqxyzzy")
    assert result.exit_code == 1 and "sitroom gazetteer add" in result.stderr
