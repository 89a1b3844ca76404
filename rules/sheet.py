"""A batch of contracts as a table: one row per dossier, one column per dossier path.

The pure part of reading a spreadsheet (issue 10): the header row → dossier paths, each
cell as people type it → the value dossier format v1 holds, each row → a ``Dossier``
through ``Dossier.from_dict``, so that a row obeys exactly the rules of a .json file.
Reading the file itself (XLSX, ODS, CSV) and the French column labels of the wizard are
the caller's (``cerfa/batch/``): here a cell is a text, a number, a boolean, a date or
None, whatever program wrote it.

A header cell is a dossier path (``apprenti.nom_naissance``, ``maitres.0.prenom``,
``contrat.remunerations.1.taux``) or one of the labels passed in. A malformed cell is
one French message naming its row and column and what is expected; its row gives no
dossier, the other rows are read all the same.

Leading zeros: a spreadsheet program turns « 0843 » into the number 843. Where a code's
length is fixed (an IDCC has 4 digits, a postal code 5, a SIRET 14, a code diplôme 8, a
French phone number 10) or where its table knows the padded code only (département
« 01 »), the zeros are put back and an info finding says so.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
import typing
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rules import codes, limits
from rules.dossier import (
    MAX_NUMBER,
    MAX_YEAR,
    MIN_YEAR,
    Dossier,
    DossierError,
    Number,
    fields_of,
    put_path,
)
from rules.dossier import unwrap_optional as _unwrap
from rules.findings import Finding

# Explicit bounds of one table (tested): a CFA's September is forty contracts, a large
# one a few hundred; 2,000 keeps any batch far below what memory and time allow.
MAX_ROWS = 2_000
# More columns than the format has paths is no table of dossiers.
MAX_COLUMNS = 500
# A cell that holds no text box (a number, a date, yes/no) is short; past this it is
# refused before any parsing (a texts' own limit is its box's, rules/limits.py).
MAX_CELL = 100

# How many items each list of the format has on the form: two maîtres, eight
# remuneration lines (four years, two periods each).
LIST_SIZES = {"maitres": 2, "contrat.remunerations": 8}

# Codes whose length is fixed (the last key of the path): digits only.
FIXED_LENGTH = {
    "code_idcc": 4,  # IDCC: 4 digits (Légifrance, conventions collectives)
    "code_postal": 5,
    "siret": 14,  # 9 of the SIREN and 5 of the establishment (INSEE)
    "code_diplome": 8,  # code formation diplôme de l'Éducation nationale
    "telephone": 10,  # French numbering plan (ARCEP): 0 and 9 digits
}

# The model spreadsheet's note row (cerfa/batch/model.py) under its header: every cell
# says the expected format and begins so. Such a row is no contract.
NOTE_PREFIX = "Format : "

_TRUE = frozenset({"oui", "vrai", "true", "1", "o", "x"})
_FALSE = frozenset({"non", "faux", "false", "0", "n"})
_FR_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?", re.ASCII)
_INT = re.compile(r"[+-]?\d+(?:[.,]0*)?", re.ASCII)
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?", re.ASCII)
_MONEY = re.compile(r"\d{1,9}(?:\.\d{1,2})?", re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)
# Inside a number people type: spaces (thousands, non-breaking or not), the euro sign.
_NUMBER_NOISE = re.compile(r"[\s\u00a0\u202f€%]")


class SheetError(ValueError):
    """The table as a whole cannot be read (header, size). One line of plain French."""


Cell = str | int | float | bool | datetime.date | datetime.datetime | None


@dataclass
class Row:
    """One row read: its number in the spreadsheet (the header is row 1), the dossier
    (None when a cell is malformed), the messages of its malformed cells, and the info
    findings of what was restored."""

    number: int
    dossier: Dossier | None
    problems: list[str] = field(default_factory=list)
    infos: list[Finding] = field(default_factory=list)


@dataclass
class Column:
    index: int
    label: str  # as the header wrote it, for the messages
    path: str
    by_label: bool = False  # named by a label, not by its dossier path


# -- the paths -------------------------------------------------------------------------


def _leaves(cls: type, base: str) -> Iterable[tuple[str, Any]]:
    for name, hint in fields_of(cls).items():
        path = f"{base}.{name}" if base else name
        inner, _ = _unwrap(hint)
        if dataclasses.is_dataclass(inner):
            yield from _leaves(inner, path)
        elif typing.get_origin(inner) is list:
            (item,) = typing.get_args(inner)
            for i in range(LIST_SIZES[path]):
                yield from _leaves(item, f"{path}.{i}")
        else:
            yield path, inner


# Every value a row may hold: dossier path → its type (str, bool, int, Number, date,
# Decimal), in the format's order.
LEAVES: dict[str, Any] = dict(_leaves(Dossier, ""))


def normalized_label(label: str) -> str:
    """A header as compared: accents, case, spaces, apostrophes and a final « * » or
    « : » do not matter (« Nom de naissance de l’apprenti(e) * »)."""
    text = re.sub(r"[\s'’`]+", " ", label.casefold())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().strip()
    return text.rstrip("*: ").strip()


def columns(header: Sequence[Cell], labels: Mapping[str, str]) -> tuple[list[Column], list[str]]:
    """The columns of a header row, and a French message for each column ignored.

    ``labels`` maps a column label to its dossier path (the wizard's, unambiguous ones).
    SheetError when the header reads a path twice or is no header at all.
    """
    if len(header) > MAX_COLUMNS:
        raise SheetError(
            f"La première ligne a {len(header)} colonnes, pour {MAX_COLUMNS} au plus : "
            "est-ce bien un tableau de dossiers ?"
        )
    by_label = {normalized_label(label): path for label, path in labels.items()}
    found: list[Column] = []
    ignored: list[str] = []
    seen: dict[str, str] = {}
    for index, cell in enumerate(header):
        text = _text(cell).strip()
        if not text:
            continue
        path = text if text in LEAVES else by_label.get(normalized_label(text))
        if path is None:
            ignored.append(
                f"Colonne « {_short(text)} » ignorée : ce n'est ni un libellé du modèle ni "
                "un chemin du format de dossier (par exemple « apprenti.nom_naissance »)."
            )
            continue
        if path in seen:
            raise SheetError(
                f"Les colonnes « {_short(seen[path])} » et « {_short(text)} » donnent toutes "
                f"deux « {path} » : gardez-en une seule."
            )
        seen[path] = text
        found.append(Column(index, text, path, by_label=text != path))
    if not found:
        raise SheetError(
            "La première ligne ne nomme aucune colonne connue : elle doit porter les "
            "libellés du modèle ou les chemins du format de dossier "
            "(« apprenti.nom_naissance »…)."
        )
    return found, ignored


# -- the cells -------------------------------------------------------------------------


class CellError(ValueError):
    """What the cell should be, in French (« une date jj/mm/aaaa »)."""


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "oui" if cell else "non"
    if isinstance(cell, float) and math.isfinite(cell) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time() else cell.isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell)


def _short(text: str) -> str:
    text = text if len(text) <= 40 else text[:40] + "…"
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def value_of(path: str, kind: Any, cell: Cell) -> tuple[Any, str | None]:
    """The format v1 value (JSON-like) of one non-blank cell at ``path``, and the code as
    read when leading zeros were put back. CellError when it cannot be one."""
    if kind is str:
        return _code_or_text(path, cell)
    if isinstance(cell, str):
        cell = cell.strip()
        if len(cell) > MAX_CELL:
            raise CellError(f"une valeur courte ({len(cell)} caractères ici)")
    if kind is bool:
        if isinstance(cell, bool):
            return cell, None
        word = _text(cell).casefold()
        if word in _TRUE:
            return True, None
        if word in _FALSE:
            return False, None
        raise CellError("oui ou non")
    if kind is datetime.date:
        return _date(cell).isoformat(), None
    if kind is int:
        text = _NUMBER_NOISE.sub("", _text(cell))
        if isinstance(cell, bool) or not _INT.fullmatch(text):
            raise CellError("un nombre entier")
        return _bounded(int(re.split(r"[.,]", text)[0])), None
    if kind == Number:
        text = _NUMBER_NOISE.sub("", _text(cell)).replace(",", ".")
        if isinstance(cell, bool) or not _NUMBER.fullmatch(text):
            raise CellError("un nombre (virgule ou point pour les décimales)")
        number = _bounded(float(text))
        return (int(number) if number.is_integer() else number), None
    if kind is Decimal:
        return _money(cell), None
    raise TypeError(kind)  # a programming error: every kind of LEAVES is handled


def _bounded(number: int | float) -> int | float:
    """A number the format can hold (``rules.dossier.MAX_NUMBER``, JSON's safe range)."""
    if abs(number) > MAX_NUMBER:
        raise CellError(f"un nombre d'au plus {len(str(MAX_NUMBER))} chiffres")
    return number


def _code_or_text(path: str, cell: Cell) -> tuple[str, str | None]:
    if isinstance(cell, float) and not cell.is_integer():
        text = repr(cell)
    else:
        text = _text(cell)
    if isinstance(cell, str):
        text = text.strip()
    table = codes.FIELD_TABLES.get(limits.generic_path(path))
    if table and " - " in text:
        # A choice of the model's drop-down, « 11 - Entreprise inscrite… »: its code.
        code = text.split(" - ", 1)[0].strip()
        if any(code == known for known, _ in table):
            return code, None
    limit = limits.max_length(path)
    if len(text) > limit:
        raise CellError(
            f"un texte de {limit} caractères au plus, ce que sa case du formulaire peut "
            f"afficher ({len(text)} ici) : abrégez-le"
        )
    if not _DIGITS.fullmatch(text):
        return text, None
    length = FIXED_LENGTH.get(path.rsplit(".", 1)[-1])
    if length and len(text) < length:
        return text.zfill(length), text
    if table:
        known = {code for code, _ in table}
        if text not in known:
            for code in known:
                if code.isdigit() and len(code) > len(text) and code.lstrip("0") == text:
                    return code, text
    return text, None


def _date(cell: Cell) -> datetime.date:
    if isinstance(cell, datetime.datetime):
        day = cell.date()
    elif isinstance(cell, datetime.date):
        day = cell
    else:
        text = _text(cell)
        try:
            if match := _FR_DATE.fullmatch(text):
                day = datetime.date(int(match[3]), int(match[2]), int(match[1]))
            elif match := _ISO_DATE.fullmatch(text):
                day = datetime.date(int(match[1]), int(match[2]), int(match[3]))
            else:
                raise CellError("une date jj/mm/aaaa")
        except ValueError as exc:
            if isinstance(exc, CellError):
                raise
            raise CellError("une date qui existe, jj/mm/aaaa") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise CellError(f"une date jj/mm/aaaa d'une année entre {MIN_YEAR} et {MAX_YEAR}")
    return day


def _money(cell: Cell) -> str:
    expected = "un montant en euros, deux décimales au plus, par exemple 1823,03"
    if isinstance(cell, bool):
        raise CellError(expected)
    # A number cell: its shortest decimal writing (1823.03, not 1823.0299999…).
    text = _text(cell) if not isinstance(cell, float) else repr(cell)
    text = _NUMBER_NOISE.sub("", text).replace(",", ".")
    if not _MONEY.fullmatch(text):
        raise CellError(expected)
    return text


# -- the rows --------------------------------------------------------------------------


def _place_remuneration_lines(data: dict[str, Any], cols: Sequence[Column]) -> None:
    """A remuneration line named by labels (« Rémunération 2ème année, période 1 : Du »)
    is a row of the CERFA's grid, as in the wizard: it gets that year and period unless
    the row says otherwise, and the grid's empty rows are no lines of the dossier. Lines
    named by their paths stay where their paths put them."""
    lines = data.get("contrat", {}).get("remunerations")
    if not lines or not any(
        c.by_label and c.path.startswith("contrat.remunerations.") for c in cols
    ):
        return
    for index, line in enumerate(lines):
        if line is not None:
            line.setdefault("annee", index // 2 + 1)
            line.setdefault("periode", index % 2 + 1)
    data["contrat"]["remunerations"] = [line for line in lines if line is not None]


def read_row(number: int, cells: Sequence[Cell], cols: Sequence[Column]) -> Row:
    """One row of the table as a dossier, or the messages of its malformed cells."""
    data: dict[str, Any] = {}
    row = Row(number, None)
    for col in cols:
        cell = cells[col.index] if col.index < len(cells) else None
        if is_blank(cell):
            continue
        try:
            value, lost = value_of(col.path, LEAVES[col.path], cell)
        except CellError as exc:
            row.problems.append(
                f"Ligne {number}, colonne « {_short(col.label)} » : "
                f"« {_short(_text(cell))} » ne convient pas, il faut {exc}."
            )
            continue
        if lost is not None:
            row.infos.append(
                Finding(
                    "info",
                    "tableur.zeros_restitues",
                    (col.path,),
                    f"Ligne {number}, colonne « {_short(col.label)} » : « {lost} » lu "
                    f"« {value} », le tableur ayant ôté les zéros en tête de ce code. "
                    "Vérifiez-le ; saisissez les codes en texte pour garder leurs zéros.",
                )
            )
        put_path(data, col.path, value)
    if row.problems:
        return row
    _place_remuneration_lines(data, cols)
    try:
        row.dossier = Dossier.from_dict(data)
    except DossierError as exc:  # a rule of the format the cells alone do not show
        row.problems.append(f"Ligne {number} : {exc}")
    return row


def read_table(
    rows: Iterable[Sequence[Cell]], labels: Mapping[str, str]
) -> tuple[list[Row], list[str]]:
    """Every non-blank row of a table whose first row is the header, and the messages of
    the columns ignored. SheetError past ``MAX_ROWS`` rows or for an unusable header."""
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        raise SheetError("Le tableau est vide : la première ligne doit nommer les colonnes.")
    cols, ignored = columns(header, labels)
    out: list[Row] = []
    for number, cells in enumerate(iterator, start=2):
        if all(is_blank(c) for c in cells) or all(
            is_blank(c) or (isinstance(c, str) and c.startswith(NOTE_PREFIX)) for c in cells
        ):
            continue
        if len(out) == MAX_ROWS:
            raise SheetError(
                f"Le tableau a plus de {MAX_ROWS} lignes de contrats : partagez-le en "
                "plusieurs fichiers."
            )
        out.append(read_row(number, cells, cols))
    if not out:
        raise SheetError("Le tableau n'a aucune ligne de contrat sous sa ligne d'en-tête.")
    return out, ignored
