"""The model spreadsheet of a batch (issue 10): one column per value of the dossier,
headed by its French label (its dossier path where it has none of its own), a note row
under the header saying the expected format with an example, and each code list as a
drop-down of « code - libellé » (read back as the code, ``rules/sheet.py``).

Generated from the dossier format itself (``rules.sheet.LEAVES``) and the wizard's
labels, so a new key of the format is a new column without anyone writing it here.
Written with openpyxl, the usual XLSX writer; python-calamine, which reads it back,
writes nothing.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cerfa.batch.labels import path_labels
from rules import codes, limits, sheet
from rules.dossier import Number


def model_columns() -> list[tuple[str, str]]:
    """(dossier path, column header) of every column of the model, in the format's order.

    A remuneration line's year and period are not columns: its columns name its row of
    the CERFA grid (« Rémunération 2ème année, période 1 : Du »), which says them.
    """
    labels = path_labels()
    return [
        (path, labels.get(path, path))
        for path in sheet.LEAVES
        if not (path.startswith("contrat.remunerations.") and path.endswith(("annee", "periode")))
    ]


def note(path: str) -> str:
    """The expected format of a column, with an example, as the note row says it."""
    kind = sheet.LEAVES[path]
    key = path.rsplit(".", 1)[-1]
    if kind is datetime.date:
        text = "date jj/mm/aaaa, par exemple 01/09/2026"
    elif kind is bool:
        text = "oui ou non"
    elif kind is int:
        text = "nombre entier, par exemple 35"
    elif kind == Number:
        text = "nombre, par exemple 53 ou 53,5"
    elif kind is Decimal:
        text = "montant en euros, par exemple 1823,03"
    elif limits.generic_path(path) in codes.FIELD_TABLES:
        table = codes.FIELD_TABLES[limits.generic_path(path)]
        text = f"un code de la liste, par exemple {table[0][0]} ({table[0][1]})"
    elif key in sheet.FIXED_LENGTH:
        length = sheet.FIXED_LENGTH[key]
        text = f"{length} chiffres, en texte pour garder les zéros, par exemple {'0' * length}"
    else:
        text = f"texte, {limits.max_length(path)} caractères au plus"
    return sheet.NOTE_PREFIX + text


def model_workbook() -> bytes:
    """The model as an XLSX file, ready for ``MAX_ROWS`` contracts."""
    book = Workbook()
    page = book.active
    page.title = "Contrats"
    lists = book.create_sheet("Listes")
    lists.sheet_state = "hidden"
    columns = model_columns()
    page.append([header for _, header in columns])
    page.append([note(path) for path, _ in columns])
    page.freeze_panes = "A3"
    tables: dict[str, str] = {}  # a code table's cells on the hidden sheet, by table path
    last_row = sheet.MAX_ROWS + 2
    for index, (path, _) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        page.column_dimensions[letter].width = 24
        generic = limits.generic_path(path)
        table = codes.FIELD_TABLES.get(generic)
        if table is None:
            continue
        if generic not in tables:
            column = get_column_letter(len(tables) + 1)
            for row, (code, label) in enumerate(table, start=1):
                lists[f"{column}{row}"] = f"{code} - {label}"
            tables[generic] = f"Listes!${column}$1:${column}${len(table)}"
        check = DataValidation(
            type="list",
            formula1=tables[generic],
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Code inconnu",
            error="Choisissez un code de la liste.",
        )
        check.add(f"{letter}3:{letter}{last_row}")
        page.add_data_validation(check)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
