"""The official list of conventions collectives (DILA, base KALI), read into an IDCC list.

The DILA publishes on data.gouv.fr, in its dataset « KALI : Conventions collectives
nationales », a spreadsheet « Liste des conventions collectives » (XLSX): one row per
text, with its KALI identifier, its IDCC, its title, its nature and its legal state
(``VIGUEUR_ETEN``, ``VIGUEUR_NON_ETEN``, ``ABROGE``, ``DENONCE``, ``PERIME``,
``REMPLACE``…). A few title lines come before the header row, so the columns are found by
their header (IDCC, TITRE, ETAT), not by their position.

The spreadsheet is read with the standard library only (an XLSX file is a zip of XML
parts): this runs once in a while, from ``python manage.py cerfa_idcc_update``, and needs
no extra dependency. Plain Python: no Django.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from xml.etree import ElementTree

from rules import idcc as idcc_list

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"

SOURCE = "Liste des conventions collectives (DILA, base KALI, data.gouv.fr)"

# Legal states of a KALI text that mean "in force": extended or not. A state "différée"
# (VIGUEUR_DIFF) is not in force yet: the CERFA has 9998 for that case.
_EN_VIGUEUR = frozenset(
    {
        "VIGUEUR",
        "VIGUEUR_ETEN",
        "VIGUEUR_NON_ETEN",
        "EN_VIGUEUR",
        "EN_VIGUEUR_ETENDUE",
        "EN_VIGUEUR_NON_ETENDUE",
    }
)


class KaliFormatError(ValueError):
    """The file is not the list we know (one line of French)."""


def _fold(text: str) -> str:
    """Upper case, without accents, spaces and dashes as underscores: "Vigueur étendue" →
    "VIGUEUR_ETENDUE"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\s\-]+", "_", plain.strip().upper())


def _column_index(reference: str) -> int:
    letters = re.match(r"[A-Z]+", reference or "")
    if not letters:
        raise KaliFormatError("Une cellule du tableur n'a pas de référence lisible.")
    index = 0
    for letter in letters.group(0):
        index = index * 26 + (ord(letter) - ord("A") + 1)
    return index - 1


def read_xlsx_rows(content: bytes) -> list[list[str]]:
    """The rows of the first sheet of an XLSX file, each a list of cell texts by column."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise KaliFormatError("Le fichier n'est pas un tableur XLSX.") from None
    with archive:
        names = set(archive.namelist())
        try:
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        except (KeyError, ElementTree.ParseError):
            raise KaliFormatError("Le tableur XLSX est incomplet ou illisible.") from None
        first = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
        if first is None:
            raise KaliFormatError("Le tableur XLSX n'a aucune feuille.")
        target = next(
            (
                rel.get("Target")
                for rel in relations.iter(f"{_PKG}Relationship")
                if rel.get("Id") == first.get(f"{_REL}id")
            ),
            None,
        )
        if not target:
            raise KaliFormatError("La première feuille du tableur est introuvable.")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        shared: list[str] = []
        try:
            if "xl/sharedStrings.xml" in names:
                strings = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
                shared = [
                    "".join(t.text or "" for t in si.iter(f"{_MAIN}t"))
                    for si in strings.iter(f"{_MAIN}si")
                ]
            sheet = ElementTree.fromstring(archive.read(path))
        except (KeyError, ElementTree.ParseError):
            raise KaliFormatError("La feuille du tableur est illisible.") from None
    rows = []
    for row in sheet.iter(f"{_MAIN}row"):
        cells: dict[int, str] = {}
        for cell in row.iter(f"{_MAIN}c"):
            cells[_column_index(cell.get("r", ""))] = _cell_text(cell, shared)
        rows.append([cells.get(i, "") for i in range(max(cells, default=-1) + 1)])
    return rows


def _cell_text(cell: ElementTree.Element, shared: list[str]) -> str:
    kind = cell.get("t")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{_MAIN}t")).strip()
    value = cell.find(f"{_MAIN}v")
    text = (value.text or "") if value is not None else ""
    if kind == "s":
        try:
            return shared[int(text)].strip()
        except (ValueError, IndexError):
            raise KaliFormatError("Le tableur renvoie à un texte partagé absent.") from None
    if kind in (None, "n") and re.fullmatch(r"\d+\.0+", text, re.ASCII):
        text = text.split(".")[0]  # a whole number written as a float: 1486.0
    return text.strip()


def parse_rows(rows: list[list[str]], today: datetime.date | None = None) -> idcc_list.IdccList:
    """The IDCC list of the spreadsheet's rows: one convention per IDCC, in force when any
    of its texts is; its title is that of a text in force, else of its first text."""
    header_at, columns = _header(rows)
    found: dict[str, idcc_list.Convention] = {}
    for row in rows[header_at + 1 :]:

        def cell(name: str, row: list[str] = row) -> str:
            index = columns[name]
            return row[index].strip() if index < len(row) else ""

        code = idcc_list.normalize(cell("idcc"))
        titre = " ".join(cell("titre").split())
        if code is None or not titre:
            continue  # a texte indépendant (no IDCC), a blank or a note line
        state = _fold(cell("etat"))
        en_vigueur = None if not state else state in _EN_VIGUEUR
        previous = found.get(code)
        if previous is None or (en_vigueur and not previous.en_vigueur):
            found[code] = idcc_list.Convention(code, titre, en_vigueur)
    if not found:
        raise KaliFormatError(
            "Le tableur ne contient aucune convention collective avec un "
            "IDCC : son format a peut-être changé."
        )
    return idcc_list.IdccList(
        found, complet=True, source=SOURCE, date=(today or datetime.date.today()).isoformat()
    )


def _header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    """The index of the header row and the columns of IDCC, TITRE and ETAT."""
    for at, row in enumerate(rows[:30]):
        folded = [_fold(text) for text in row]
        columns = {}
        for index, name in enumerate(folded):
            if name == "IDCC" and "idcc" not in columns:
                columns["idcc"] = index
            elif name.startswith("TITRE") and "titre" not in columns:
                columns["titre"] = index
            elif name.startswith("ETAT") and "etat" not in columns:
                columns["etat"] = index
        if len(columns) == 3:
            return at, columns
    raise KaliFormatError(
        "Colonnes IDCC, TITRE et ETAT introuvables dans le tableur : son format a peut-être changé."
    )


def parse_xlsx(content: bytes, today: datetime.date | None = None) -> idcc_list.IdccList:
    return parse_rows(read_xlsx_rows(content), today)
