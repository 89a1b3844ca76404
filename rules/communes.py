"""Postal codes and their communes, offline: La Poste's « base officielle des codes postaux ».

The table ``rules/data/communes.tsv.gz`` holds, for each postal code, the communes La Poste
delivers under it: INSEE code, name, libellé d'acheminement and the localities (ligne 5:
lieux-dits, communes déléguées) it lists. Its source and date are in its header
(``info()``, ``TABLE_DATE``); ``manage.py cerfa_table_update communes SOURCE`` rebuilds it
from La Poste's file (docs/tables.md).

What the table cannot know, and how the answers say so:

- CEDEX codes are not in it (La Poste's base lists geographic codes only): a postal code
  it lacks may be a CEDEX code, so ``postcode_exists`` is False and ``commune_matches``
  answers None for a commune written « … CEDEX »;
- communes created, merged or renamed after its date are missing or under their old
  name: every check built on it is a warning that gives the table's date.

Names are La Poste's, upper case without accents (« L ABERGEMENT CLEMENCIAT »): that is
what the CERFA gets. Comparing a typed name with them ignores case, accents, hyphens,
apostrophes and spaces, reads « ST » as « SAINT », and takes « Paris », « Paris 11e » or
« PARIS 11 » for the 11th arrondissement (La Poste names it « PARIS 11 »).

Plain Python: no Django. The table is read once per process, on first use, in a few
milliseconds (rules/tables_bench.py measures it); each lookup is a dict access.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rules import tabledata
from rules.identifiers import compact, is_ascii_digits

DATA_PATH = tabledata.DATA_DIR / "communes.tsv.gz"

# Field separators of the table: La Poste's names use only capitals, digits and spaces
# (the builder refuses anything else that could break a record).
ENTRY_SEP, FIELD_SEP, PLACE_SEP = "\t", "|", ";"


@dataclass(frozen=True)
class Commune:
    insee: str  # code officiel géographique: 5 characters, 2A/2B in Corsica, 75111…
    nom: str  # La Poste's name, upper case without accents: what the CERFA gets
    code_postal: str
    acheminement: str = ""  # La Poste's libellé d'acheminement, when it differs from nom


@dataclass(frozen=True)
class _Entry:
    insee: str
    nom: str
    acheminement: str
    lieux: tuple[str, ...]
    keys: frozenset[str]  # name_key of the name, the acheminement and each locality


_ABBREVIATIONS = {"SAINT": "ST", "SAINTE": "STE", "SAINTS": "STS", "SAINTES": "STES"}
_LIGATURES = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss"})
# An article written after the name, the INSEE way: « Abergement-Clémenciat (L') ».
_TRAILING_ARTICLE = re.compile(r"^(.+?)\s*\(\s*(l'|l’|le|la|les)\s*\)\s*$", re.IGNORECASE)
# Paris, Lyon and Marseille, with or without their arrondissement: « PARIS 11 » (La
# Poste), « Paris 11e », « Lyon 3ème arrondissement », « Paris 1er », « Marseille ».
_ARRONDISSEMENT = re.compile(
    r"(PARIS|LYON|MARSEILLE)(?:(\d{1,2})(?:E|ER|ERE|EME|IEME)?(?:ARR|ARRT|ARRONDISSEMENT)?)?",
    re.ASCII,
)


def words(text: str) -> list[str]:
    """The words of a commune's name, compared the tolerant way: upper case, no accents,
    anything but letters and digits a separator, SAINT → ST."""
    article = _TRAILING_ARTICLE.match(text)
    if article:
        text = f"{article.group(2)} {article.group(1)}"
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()
    return [_ABBREVIATIONS.get(w, w) for w in re.findall(r"[A-Z0-9]+", plain, re.ASCII)]


def name_key(text: str) -> str:
    """One string per spelling of a name: « Saint-Étienne », « ST ETIENNE » and « st
    étienne » all give STETIENNE."""
    return "".join(words(text))


def normalize_postcode(value: object) -> str | None:
    """The 5 ASCII digits of a postal code typed with spaces ("75 011"), or None."""
    if not isinstance(value, str):
        return None
    number = compact(value)
    return number if len(number) == 5 and is_ascii_digits(number) else None


class CommuneTable:
    """One postal-code table: a dict from postal code to its line, each line parsed the
    first time it is asked for (most processes ask for a handful)."""

    def __init__(self, meta: dict[str, str], by_postcode: dict[str, str]):
        self.meta = meta
        self._raw = by_postcode
        self._parsed: dict[str, tuple[_Entry, ...]] = {}

    @classmethod
    def from_file(cls, table: tabledata.TableFile) -> CommuneTable:
        by_postcode = {}
        for line in table.lines:
            code, _, rest = line.partition(ENTRY_SEP)
            by_postcode[code] = rest
        return cls(table.meta, by_postcode)

    def __len__(self) -> int:
        return len(self._raw)

    def postcodes(self) -> list[str]:
        return sorted(self._raw)

    def _entries(self, code: str) -> tuple[_Entry, ...] | None:
        found = self._parsed.get(code)
        if found is None:
            raw = self._raw.get(code)
            if raw is None:
                return None
            entries = []
            for item in raw.split(ENTRY_SEP):
                insee, nom, acheminement, lieux = item.split(FIELD_SEP)
                places = tuple(lieux.split(PLACE_SEP)) if lieux else ()
                keys = frozenset(name_key(n) for n in (nom, acheminement, *places) if n)
                entries.append(_Entry(insee, nom, acheminement, places, keys))
            # The table's size bounds this cache: one entry per postal code at most.
            found = self._parsed[code] = tuple(entries)
        return found

    def communes_for(self, code_postal: object) -> tuple[Commune, ...]:
        code = normalize_postcode(code_postal)
        entries = self._entries(code) if code else None
        if not entries:
            return ()
        seen: dict[tuple[str, str], Commune] = {}
        for e in entries:
            seen.setdefault((e.insee, e.nom), Commune(e.insee, e.nom, code, e.acheminement))
        return tuple(sorted(seen.values(), key=lambda c: (c.nom, c.insee)))

    def postcode_exists(self, code_postal: object) -> bool:
        code = normalize_postcode(code_postal)
        return code is not None and code in self._raw

    def commune_matches(self, code_postal: object, commune_name: object) -> bool | None:
        code = normalize_postcode(code_postal)
        if code is None or not isinstance(commune_name, str):
            return None
        typed = words(commune_name)
        # « 69003 Lyon »: the postal code repeated in the commune box.
        typed = [w for i, w in enumerate(typed) if not (w == code and i in (0, len(typed) - 1))]
        cedex = "CEDEX" in typed
        if cedex:
            at = typed.index("CEDEX")
            rest = typed[at + 1 :]
            while rest and is_ascii_digits(rest[0]):
                rest = rest[1:]
            typed = typed[:at] + rest
        entries = self._entries(code)
        if not typed or entries is None:
            return None
        key = "".join(typed)
        if any(key in e.keys for e in entries):
            return True
        wanted = _ARRONDISSEMENT.fullmatch(key)
        if wanted:
            for e in entries:
                listed = _ARRONDISSEMENT.fullmatch(name_key(e.nom))
                if (
                    listed
                    and listed.group(1) == wanted.group(1)
                    and (wanted.group(2) is None or int(wanted.group(2)) == int(listed.group(2)))
                ):
                    return True
        # A CEDEX code may share its digits with a geographic one: not a proof of mismatch.
        return None if cedex else False


def load(path: Path) -> CommuneTable:
    return CommuneTable.from_file(tabledata.read(path))


@functools.cache
def bundled() -> CommuneTable:
    """The table shipped in rules/data (read once per process)."""
    return load(DATA_PATH)


def communes_for(code_postal: str) -> tuple[Commune, ...]:
    """The communes La Poste delivers under a postal code, sorted by name; () when the
    code is unknown to the table (a CEDEX code, a typo) or malformed."""
    return bundled().communes_for(code_postal)


def postcode_exists(code_postal: str) -> bool:
    """Whether the table knows the postal code. False also for a CEDEX code, which La
    Poste's base does not list: say so when it matters."""
    return bundled().postcode_exists(code_postal)


def commune_matches(code_postal: str, commune_name: str) -> bool | None:
    """True when the commune typed is one La Poste delivers under the postal code (or one
    of its localities, or its libellé d'acheminement), False when it is not, None when the
    table cannot tell: a malformed or unknown postal code, an empty name, or a CEDEX
    address whose commune is not the table's."""
    return bundled().commune_matches(code_postal, commune_name)


info, __getattr__ = tabledata.header_accessors(__name__, bundled)
