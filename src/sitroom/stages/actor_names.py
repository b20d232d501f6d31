"""Canonical names of well-known armed groups and state forces, spelled the way ACLED names them.

News writes "JNIM", "ISGS", "the Islamic State in the Greater Sahara", "al-Shabab"; a sourced event
record should name one actor one way, so that events can be counted and compared. This is a small
table of the groups most often in the news, not a copy of any dataset: an unknown group keeps the
name the report gives it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from sitroom.errors import SitroomError
from sitroom.model import Actor

#: alias (lower case, hyphens and dots removed) -> canonical name
_GROUPS: dict[str, str] = {}


_ALIASES: list[str] = []


def _add(canonical: str, *aliases: str) -> None:
    for alias in (canonical, *aliases):
        _GROUPS[_key(alias)] = canonical
        _ALIASES.append(alias)


def _key(name: str) -> str:
    name = re.sub(r"^(?:the|a)\s+", "", name.strip(), flags=re.I)
    return re.sub(r"[\s.\-‐–’']+", " ", name.lower()).strip()


_add(
    "JNIM: Group for Support of Islam and Muslims",
    "JNIM",
    "GSIM",
    "Group for Support of Islam and Muslims",
    "Jama'at Nusrat al-Islam wal-Muslimin",
    "Jamaat Nusrat al-Islam wal-Muslimin",
    "Katiba Macina",
    "Macina Liberation Front",
    "Ansarul Islam",
)
_add(
    "Islamic State (Greater Sahara)",
    "ISGS",
    "IS-GS",
    "Islamic State in the Greater Sahara",
    "Islamic State Greater Sahara",
    "Islamic State Sahel Province",
    "IS Sahel",
    "ISSP",
)
_add("Islamic State West Africa Province", "ISWAP", "Islamic State in West Africa", "IS West Africa")
_add("Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", "Boko Haram", "JAS")
_add("Al Shabaab", "Al-Shabaab", "al Shabab", "al-Shabab", "Shabaab", "Harakat al-Shabaab al-Mujahideen")
_add("Islamic State", "ISIS", "ISIL", "IS", "Daesh", "Daish", "Islamic State group")
_add("Taliban", "the Taliban", "Afghan Taliban")
_add("Tehreek-i-Taliban Pakistan", "TTP", "Pakistani Taliban")
_add("Hamas Movement", "Hamas", "Qassam Brigades", "Izz al-Din al-Qassam Brigades", "al-Qassam Brigades")
_add("Palestinian Islamic Jihad", "Islamic Jihad", "PIJ", "Al-Quds Brigades", "Saraya al-Quds")
_add("Hezbollah", "Hizbollah", "Hizballah", "Hezbollah Movement")
_add("Ansar Allah", "Houthis", "Houthi", "Houthi rebels", "Houthi movement")
_add("Al Qaeda in the Arabian Peninsula", "AQAP")
_add("Al Qaeda in the Islamic Maghreb", "AQIM")
_add("Al Qaeda", "al-Qaeda", "al-Qaida", "Al Qaida")
_add("Hayat Tahrir al Sham", "HTS", "Hayat Tahrir al-Sham", "Tahrir al-Sham")
_add("SDF: Syrian Democratic Forces", "SDF", "Syrian Democratic Forces")
_add("PKK: Kurdistan Workers Party", "PKK", "Kurdistan Workers' Party", "Kurdistan Workers Party")
_add("Wagner Group", "Wagner", "Wagner mercenaries", "Africa Corps")
_add("M23: March 23 Movement", "M23", "March 23 Movement", "M23 rebels")
_add("ADF: Allied Democratic Forces", "ADF", "Allied Democratic Forces")
_add("CODECO: Cooperative for Development of Congo", "CODECO")
_add("RSF: Rapid Support Forces", "RSF", "Rapid Support Forces")
_add("SAF: Sudanese Armed Forces", "SAF", "Sudanese Armed Forces")
_add("TPLF: Tigray People's Liberation Front", "TPLF", "Tigray People's Liberation Front", "Tigrayan forces")
_add("Fano Militia", "Fano")
_add("OLA: Oromo Liberation Army", "OLA", "Oromo Liberation Army")
_add("OLF: Oromo Liberation Front", "OLF", "Oromo Liberation Front")
_add("Kataib Hezbollah", "Kataib Hizbollah", "Kata'ib Hezbollah")
_add("Islamic Resistance in Iraq")
_add("Koglweogo Militia", "Koglweogo")
_add(
    "VDP: Volunteers for the Defense of the Homeland",
    "VDP",
    "Volunteers for the Defense of the Homeland",
    "Volunteers for the Defence of the Homeland",
)
_add("Dozo Communal Militia", "Dozo", "Dozos")
_add("Mungiki Militia", "Mungiki", "Mungiki sect")
_add("LRA: Lord's Resistance Army", "LRA", "Lord's Resistance Army")
_add("ELN: National Liberation Army", "ELN")
_add("Ambazonian separatists", "Amba Boys", "Ambazonia Defence Forces")
_add("Arakan Army")
_add("NPA: New People's Army", "NPA", "New People's Army")


def canonical_group(name: str) -> str:
    """The canonical name of an armed group, or the name as given when it is not in the table.

    >>> canonical_group("JNIM and/or ISGS")
    'JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)'
    >>> canonical_group("Sahel Freedom Movement")
    'Sahel Freedom Movement'
    """
    parts = re.split(r"\s+(and/or|or)\s+", name.strip())
    if len(parts) > 1:
        names = [canonical_group(p) for p in parts[::2]]
        if any(n in _GROUPS.values() for n in names):
            return " and/or ".join(names)
    return _GROUPS.get(_key(name), name)


def is_known_group(name: str) -> bool:
    """Whether the table knows ``name`` (or each part of "X and/or Y")."""
    return canonical_group(name) != name or _key(name) in _GROUPS


def group_pattern() -> re.Pattern[str]:
    """A pattern that finds the table's group names in running text ("JNIM", "al-Shabab", "Houthis").

    Names of three letters or more only; each match starts with a capital (or "al-").
    """
    global _PATTERN
    if _PATTERN is None:
        aliases = {a for canonical in set(_GROUPS.values()) for a in [canonical]} | set(_ALIASES)
        names = sorted(
            (a for a in aliases if (len(a) >= 3 and a[0].isupper()) or a.lower().startswith("al")),
            key=len,
            reverse=True,
        )
        _PATTERN = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
    return _PATTERN


_PATTERN: re.Pattern[str] | None = None


# ---------------------------------------------------------------- a user's own actor table


@dataclass(frozen=True)
class ActorEntry:
    """A user's canonical name for an actor, and its ACLED ``inter`` code when given."""

    name: str
    inter: int | None = None


def load_actor_table(path: str | Path) -> dict[str, ActorEntry]:
    """A user's actor file: CSV with the columns ``alias,name`` and optionally ``inter`` (1-8). Each
    alias (and each name) then maps to that name, so that "the RSF", "Rapid Support Forces" and
    "Janjaweed successors" can be one actor of the user's choosing.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
    ...     _ = fh.write("alias,name,inter\\nRSF,Rapid Support Forces,3\\n")
    >>> load_actor_table(fh.name)["rsf"]
    ActorEntry(name='Rapid Support Forces', inter=3)
    >>> os.unlink(fh.name)
    """
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SitroomError(
            "E030", f"cannot read the actor file {source}: {exc}", "pass a UTF-8 CSV file to --actors"
        ) from exc
    if not text.strip():
        raise SitroomError(
            "E031", f"the actor file {source} is empty", "write a header `alias,name,inter` and rows"
        )
    reader = csv.DictReader(io.StringIO(text))
    reader.fieldnames = [(f or "").strip().lower() for f in reader.fieldnames or []]
    if not {"alias", "name"} <= set(reader.fieldnames):
        raise SitroomError(
            "E031",
            f"{source}: the actor file needs the columns alias,name (and optionally inter); "
            f"its header is {','.join(reader.fieldnames)!r}",
            "write a header line such as `alias,name,inter`",
        )
    table: dict[str, ActorEntry] = {}
    for row in reader:
        line = reader.line_num
        alias, name = (row.get("alias") or "").strip(), (row.get("name") or "").strip()
        inter = row.get("inter")
        if not alias or not name:
            raise SitroomError("E032", f"{source}, line {line}: empty alias or name", "fill in both columns")
        code: int | None = None
        if inter and inter.strip():
            if not inter.strip().isdecimal() or not 1 <= int(inter) <= 8:
                raise SitroomError(
                    "E033",
                    f"{source}, line {line}: inter {inter!r} is not an ACLED interaction code",
                    "use 1 to 8 (1 state forces ... 8 external/other forces) or leave it empty",
                )
            code = int(inter)
        entry = ActorEntry(name, code)
        table[_key(alias)] = entry
        table.setdefault(_key(name), entry)
    return table


def apply_actor_table(actor: Actor, table: dict[str, ActorEntry]) -> Actor:
    """The actor as the user's table names it: matched by its text in the report, then its name."""
    for key in (actor.text, actor.name):
        entry = table.get(_key(key)) if key else None
        if entry is not None:
            return actor.model_copy(update={"name": entry.name, "inter": entry.inter or actor.inter})
    return actor
