"""Codes diplôme (CFD) and RNCP certifications, offline.

Two tables, both in ``rules/data``:

- ``diplomes.tsv.gz``: France compétences' « kit apprentissage » (CFD ↔ RNCP, with the
  RNCP level, whether the RNCP fiche is active, whether it is open to apprenticeship and
  its end date). A CFD may have several RNCP and an RNCP several CFD (one per university
  or per option), so every lookup answers a tuple.
- ``diplome_prefixes.tsv``: the BCN's table N_NIVEAU_FORMATION_DIPLOME (Éducation
  nationale): what the first three characters of a CFD say (« 320 » BTS, « 500 » CAP…)
  and the level in the pre-2019 numbering (V to I).

Sources and dates are in the headers (``info()``); ``manage.py cerfa_table_update
diplomes | prefixes SOURCE`` rebuilds them (docs/tables.md).

The levels are those of the cadre national des certifications (décret n°2019-14, C. trav.
art. D6113-18 et s.: 3 = CAP … 8 = doctorat), as the CERFA's level codes in
``rules/codes.py``. The « diplôme ou titre visé » of a CFD is read from the kit's abrégé
and from its prefix only where the meaning is certain (``ABREGE_DIPLOME``,
``PREFIX_DIPLOME``); elsewhere it is None and no rule guesses it.

Plain Python: no Django. Read once per process, on first use.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from rules import codes, tabledata
from rules.identifiers import compact

DATA_PATH = tabledata.DATA_DIR / "diplomes.tsv.gz"
PREFIXES_PATH = tabledata.DATA_DIR / "diplome_prefixes.tsv"

# The CERFA 10103*14 « diplôme ou titre visé » code (rules/codes.py DIPLOME) of each BCN
# prefix whose meaning leaves no doubt. Mapped from the BCN's own label, not from the
# *11/*12 lists of the government generator, which differ from *14 (its 71/72/74 are
# gone, 73 is now every master, 75 the diplôme d'ingénieur). Left out on purpose: the
# « grand établissement » and « grade master » diplomas (ingénieur or école de commerce),
# the maîtrise (bac+4 but not a licence), the BEPA, the agricultural certificats de
# spécialisation (CSA, not the *14's « ex-mention complémentaire »), and every prefix
# grouping titles by their old level (TH, DIV, CNAM…), whose RNCP level the kit shows
# differs in places.
PREFIX_DIPLOME: dict[str, str] = {
    "100": "80",  # doctorat
    "125": "73",  # master recherche
    "135": "73",  # master professionnel
    "145": "73",  # master (LMD) indifférencié
    "170": "75",  # ingénieurs reconnus (CTI)
    "200": "63",  # licence des universités
    "205": "63",  # licence LMD
    "250": "62",  # licence professionnelle
    "251": "64",  # BUT: not in the 2020 BCN table; the kit names all its 85 CFD « BUT »
    "320": "54",  # BTS
    "323": "54",  # BTS agricole
    "350": "55",  # DUT
    "400": "41",  # bac professionnel
    "403": "41",  # bac professionnel agricole
    "430": "43",  # bac technologique
    "433": "43",  # bac technologique agricole
    "470": "42",  # bac général
    # Brevets professionnels (Éducation nationale, agricole, JEPS): level 4, no code of
    # their own on *14, so « autre diplôme ou titre de niveau bac ».
    "446": "49",
    "450": "49",
    "453": "49",
    "500": "33",  # CAP
    "503": "33",  # CAP agricole
    "510": "34",  # BEP
    # Mentions complémentaires, now certificats de spécialisation: « certificat de
    # spécialisation (ex-mention complémentaire) » on *14, whatever their level.
    "010": "35",
    "013": "35",
    "461": "35",  # CS de niveau 4 (not in the 2020 BCN table; the kit's « MC4 »)
    "561": "35",  # CS de niveau 3 (the kit's « MC5 »)
    "671": "25",  # diplôme national du brevet
    "672": "26",  # certificat de formation générale
}

# The level of the mentions complémentaires by prefix: 010 holds both levels.
PREFIX_CS_LEVEL = {"013": "3", "461": "4", "561": "3"}

# The kit's « abrégé » of a diploma → its *14 code, where certain (same choices as
# above; « CS » is the agricultural CSA, « DE » and « TP » span every level).
ABREGE_DIPLOME: dict[str, str] = {
    "DOCTORAT": "80",
    "MASTER": "73",
    "TITRE INGÉNIEUR": "75",
    "LICENCE": "63",
    "LICENCE PROFESSIONNELLE": "62",
    "BUT": "64",
    "BTS": "54",
    "BTSA": "54",
    "BTSMARIT": "54",
    "DUT": "55",
    "BAC PRO": "41",
    "DSP": "44",
    "BP": "49",
    "BPJEPS": "49",
    "CAP": "33",
    "CAPA": "33",
    "MC4": "35",
    "MC5": "35",
}
# Abrégés that say nothing about the type: the prefix alone decides.
_NO_ABREGE = frozenset({"", "NR"})

_RNCP = re.compile(r"RNCP(\d{3,6})", re.ASCII)


@dataclass(frozen=True)
class Diplome:
    code_diplome: str  # 8 characters
    code_rncp: str  # « RNCP38381 »; "" when the kit has none (« NR »)
    intitule: str
    niveau: str | None  # « 3 » … « 8 » (rules/codes.py NIVEAU_DIPLOME_MAITRE), or None
    diplome_vise: str | None  # rules/codes.py DIPLOME code, or None when not certain
    actif: bool  # the RNCP fiche is active
    apprentissage: bool | None = None  # open to apprenticeship (None: not said)
    echeance: str = ""  # ISO date the RNCP registration ends, when given
    abrege: str = ""  # the kit's short name of the diploma type: « BTS », « MC4 »…


@dataclass(frozen=True)
class Prefixe:
    prefixe: str
    libelle_court: str
    libelle: str
    niveau: str | None  # cadre national level, or None when not certain
    diplome_vise: str | None  # rules/codes.py DIPLOME code, or None when not certain


def normalize_code(value: object) -> str | None:
    """A code diplôme without spaces, in capitals; None when not 8 letters or digits."""
    if not isinstance(value, str):
        return None
    code = compact(value).upper()
    return code if re.fullmatch(r"[0-9A-Z]{8}", code, re.ASCII) else None


def normalize_rncp(value: object) -> str | None:
    """« rncp 35908 », « RNCP35908 », « 35908 » → « RNCP35908 »; None otherwise."""
    if not isinstance(value, str):
        return None
    code = compact(value).upper()
    if re.fullmatch(r"\d{3,6}", code, re.ASCII):
        code = "RNCP" + code
    match = _RNCP.fullmatch(code)
    # RNCP numbers are written without leading zeros on France compétences' fiches.
    return f"RNCP{int(match.group(1))}" if match else None


def vise_for(code: str, abrege: str, prefixes: dict[str, Prefixe]) -> str | None:
    """The *14 « diplôme visé » of a kit row: what its abrégé and its prefix say, when
    they agree or only one of them says; None when they disagree (the kit has a few rows
    whose abrégé is not their prefix's) or neither is certain."""
    prefix = prefixes.get(code[:3])
    from_prefix = prefix.diplome_vise if prefix else None
    if abrege.strip().upper() in _NO_ABREGE:
        return from_prefix
    from_abrege = ABREGE_DIPLOME.get(abrege.strip().upper())
    if from_abrege is None or (from_prefix is not None and from_prefix != from_abrege):
        return None
    return from_abrege


class DiplomeTable:
    """The kit, indexed by code diplôme and by RNCP. A row becomes a ``Diplome`` the first
    time it is asked for: indexing only slices each line, which keeps the first use of
    the table within a few milliseconds."""

    def __init__(self, meta: dict[str, str], lines: list[str], prefixes: dict[str, Prefixe]):
        self.meta = meta
        self.prefixes = prefixes
        self._lines = lines
        self._rows: dict[int, Diplome] = {}  # bounded by the table's size
        self._by_code: dict[str, list[int]] = {}
        self._by_rncp: dict[str, list[int]] = {}
        for at, line in enumerate(lines):
            # code (8 characters), tab, RNCP (possibly empty), tab…
            self._by_code.setdefault(line[:8], []).append(at)
            rncp = line[9 : line.index("\t", 9)]
            if rncp:
                self._by_rncp.setdefault(rncp, []).append(at)

    def _row(self, at: int) -> Diplome:
        found = self._rows.get(at)
        if found is None:
            code, rncp, niveau, flags, echeance, abrege, intitule = self._lines[at].split("\t")
            found = self._rows[at] = Diplome(
                code,
                rncp,
                intitule,
                niveau or None,
                vise_for(code, abrege, self.prefixes),
                flags[0] == "1",
                {"1": True, "0": False}.get(flags[1]),
                echeance,
                abrege,
            )
        return found

    def __len__(self) -> int:
        return len(self._lines)

    def codes(self) -> list[str]:
        return sorted(self._by_code)

    def by_code(self, code_diplome: object) -> tuple[Diplome, ...]:
        code = normalize_code(code_diplome)
        return tuple(self._row(at) for at in self._by_code.get(code, ())) if code else ()

    def by_rncp(self, code_rncp: object) -> tuple[Diplome, ...]:
        code = normalize_rncp(code_rncp)
        return tuple(self._row(at) for at in self._by_rncp.get(code, ())) if code else ()

    def prefix(self, code_diplome: object) -> Prefixe | None:
        code = normalize_code(code_diplome)
        return self.prefixes.get(code[:3]) if code else None

    def level_of_code(self, code_diplome: object) -> str | None:
        """The level of a CFD: the RNCP level the kit gives it (when all its rows agree),
        else the level its prefix certainly means; None when neither says."""
        rows = self.by_code(code_diplome)
        if rows:
            return _one({d.niveau for d in rows})
        found = self.prefix(code_diplome)
        return found.niveau if found else None

    def vise_of_code(self, code_diplome: object) -> str | None:
        """The *14 « diplôme visé » of a CFD, when certain (all its kit rows agree, or its
        prefix says when the kit lacks it)."""
        rows = self.by_code(code_diplome)
        if rows:
            return _one({d.diplome_vise for d in rows})
        found = self.prefix(code_diplome)
        return found.diplome_vise if found else None

    def level_of_rncp(self, code_rncp: object) -> str | None:
        """The level of an RNCP certification in the kit, when all its rows agree."""
        return _one({d.niveau for d in self.by_rncp(code_rncp)})


def _one(values: set[str | None]) -> str | None:
    return next(iter(values)) if len(values) == 1 else None


def read_prefixes(path: Path) -> dict[str, Prefixe]:
    """The BCN prefixes, with the *14 code and level of those whose meaning is certain
    (and the few certain ones the 2020 table lacks)."""
    found = {}
    for line in tabledata.read(path).lines:
        prefixe, _ancien, court, libelle = line.split("\t")
        found[prefixe] = (court, libelle)
    prefixes = {}
    for prefixe in sorted(set(found) | set(PREFIX_DIPLOME)):
        court, libelle = found.get(prefixe, ("", ""))
        vise = PREFIX_DIPLOME.get(prefixe)
        if vise == "35":
            level = PREFIX_CS_LEVEL.get(prefixe)
        else:
            number = codes.NIVEAU_DIPLOME_EUROPEEN.get(vise) if vise else None
            level = str(number) if number else None
        prefixes[prefixe] = Prefixe(prefixe, court, libelle, level, vise)
    return prefixes


def load(path: Path, prefixes_path: Path = PREFIXES_PATH) -> DiplomeTable:
    table = tabledata.read(path)
    return DiplomeTable(table.meta, table.lines, read_prefixes(prefixes_path))


@functools.cache
def bundled() -> DiplomeTable:
    """The tables shipped in rules/data (read once per process)."""
    return load(DATA_PATH)


def by_code(code_diplome: str) -> tuple[Diplome, ...]:
    """The kit's rows for a code diplôme (one per RNCP), () when the kit lacks it."""
    return bundled().by_code(code_diplome)


def by_rncp(code_rncp: str) -> tuple[Diplome, ...]:
    """The kit's rows for an RNCP certification (one per code diplôme), () when absent."""
    return bundled().by_rncp(code_rncp)


def prefix(code_diplome: str) -> Prefixe | None:
    """What the first three characters of a code diplôme say, or None."""
    return bundled().prefix(code_diplome)


info, __getattr__ = tabledata.header_accessors(__name__, bundled)
