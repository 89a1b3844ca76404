"""A batch file as rows of cells: XLSX and ODS through python-calamine, CSV through the
standard csv module, as French spreadsheet programs write them.

Bounds (explicit, tested): the file is at most ``MAX_FILE`` bytes; an XLSX or ODS, a ZIP
of XML, may unpack to ``MAX_UNZIPPED`` bytes at most, checked from the ZIP's directory
before any XML is parsed (a few kilobytes that unpack to gigabytes are no spreadsheet).
The rows themselves are bounded by ``rules.sheet.MAX_ROWS``.

A ZIP of .json drafts (what the wizard exports, one per contract) is a batch too, read
member by member with the same bounds: ``MAX_FILE`` for the archive and for each draft,
``MAX_UNZIPPED`` in all, ``MAX_ROWS`` drafts.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator

from rules import sheet
from rules.dossier import Dossier, DossierError

MAX_FILE = 5_000_000
MAX_UNZIPPED = 50_000_000
SUFFIXES = (".xlsx", ".xlsm", ".ods", ".csv", ".zip")


def is_sheet(name: str) -> bool:
    """A batch file: a spreadsheet, or a ZIP of .json drafts."""
    return name.lower().endswith(SUFFIXES)


def is_zip(name: str) -> bool:
    return name.lower().endswith(".zip")


def drafts_of(data: bytes) -> list[tuple[str, Dossier | None, str | None]]:
    """Each .json draft of a ZIP, in the archive's order: its name, and its dossier or
    the French message saying why it cannot be read. SheetError for the archive."""
    if len(data) > MAX_FILE:
        raise sheet.SheetError(
            f"l'archive fait plus de {MAX_FILE // 1_000_000} Mo : partagez-la en plusieurs."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise sheet.SheetError("le fichier n'est pas une archive ZIP lisible.") from None
    with archive:
        members = [
            m
            for m in archive.infolist()
            if not m.is_dir()
            and m.filename.lower().endswith(".json")
            # What macOS adds to an archive it makes: no drafts.
            and not m.filename.startswith("__MACOSX/")
            and not m.filename.rsplit("/", 1)[-1].startswith("._")
        ]
        if not members:
            raise sheet.SheetError("l'archive ne contient aucun dossier .json.")
        if len(members) > sheet.MAX_ROWS:
            raise sheet.SheetError(
                f"l'archive contient plus de {sheet.MAX_ROWS} dossiers : partagez-la en plusieurs."
            )
        if sum(m.file_size for m in members) > MAX_UNZIPPED:
            raise sheet.SheetError(
                f"l'archive décompressée ferait plus de {MAX_UNZIPPED // 1_000_000} Mo : "
                "ce ne sont pas des dossiers."
            )
        out: list[tuple[str, Dossier | None, str | None]] = []
        for member in members:
            name = _printable(member.filename)
            if member.file_size > MAX_FILE:
                out.append(
                    (name, None, f"plus de {MAX_FILE // 1_000_000} Mo : ce n'est pas un dossier.")
                )
                continue
            try:
                # Read no further than the size the archive declares (zipfile stops there).
                text = archive.read(member)
                out.append((name, Dossier.from_json(text), None))
            except DossierError as exc:
                out.append((name, None, str(exc)))
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError):
                # A damaged member, an unknown compression, a password.
                out.append((name, None, "ce fichier de l'archive ne peut pas être extrait."))
    return out


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def rows_of(data: bytes, name: str) -> list[list[sheet.Cell]]:
    """The rows of the first sheet of ``data``, a file named ``name`` (its suffix says
    its kind). SheetError with a French message when it cannot be read."""
    if len(data) > MAX_FILE:
        raise sheet.SheetError(
            f"le fichier fait plus de {MAX_FILE // 1_000_000} Mo : partagez le tableau en "
            "plusieurs fichiers."
        )
    if name.lower().endswith(".csv"):
        text = _decoded(data)
        reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
        try:
            return _bounded(reader)
        except csv.Error:
            # The csv module's own message is English: a cell past its field size limit
            # (128 kB, far past any box), often a quote never closed.
            raise sheet.SheetError(
                f"le fichier CSV est mal formé vers sa ligne {reader.line_num} : une cellule "
                "démesurée, souvent des guillemets jamais fermés."
            ) from None
    return _workbook_rows(data, "ODS" if name.lower().endswith(".ods") else "XLSX")


def _workbook_rows(data: bytes, kind: str) -> list[list[sheet.Cell]]:
    from python_calamine import CalamineError, CalamineWorkbook

    unreadable = sheet.SheetError(
        f"le fichier n'est pas un classeur {kind} lisible : enregistrez-le de nouveau "
        "depuis votre tableur."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise unreadable from None
    if unpacked > MAX_UNZIPPED:
        raise sheet.SheetError(
            f"le classeur décompressé ferait plus de {MAX_UNZIPPED // 1_000_000} Mo : "
            "est-ce bien un tableau de contrats ?"
        )
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            if not book.sheet_names:
                raise unreadable
            return _bounded(
                [_cell(value) for value in row] for row in book.get_sheet_by_index(0).iter_rows()
            )
    except CalamineError:
        raise unreadable from None


def _cell(value: object) -> sheet.Cell:
    if isinstance(value, datetime.time | datetime.timedelta):
        return str(value)  # no value of the format is a time: its cell says what it is
    return value  # type: ignore[return-value]


def _decoded(data: bytes) -> str:
    """UTF-8 (with or without its BOM), else Windows-1252, what Excel writes in France."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise sheet.SheetError(
            "le fichier CSV n'est ni en UTF-8 ni en Windows-1252 : enregistrez-le en « CSV UTF-8 »."
        ) from None


def _delimiter(text: str) -> str:
    """``;`` (French Excel, LibreOffice) when the header line has one outside quotes,
    else ``,``. Not csv.Sniffer: French labels hold commas (« Si non, … »), which a
    ``;`` file leaves unquoted, and its guess would split them."""
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=";"), [])
    return ";" if len(first) > 1 else ","


def _bounded(rows: Iterator[list]) -> list[list[sheet.Cell]]:
    """The rows, blank ones kept as [] (the others keep their numbers), read no further
    than one row of contract past ``MAX_ROWS``: enough to say the table is too long."""
    out: list[list[sheet.Cell]] = []
    filled = 0
    for row in rows:
        cells = [None if sheet.is_blank(cell) else cell for cell in row]
        if any(cell is not None for cell in cells):
            filled += 1
            out.append(cells)
        else:
            out.append([])
        if filled > sheet.MAX_ROWS + 1:  # the header and one row too many
            break
    return out
