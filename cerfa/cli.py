"""``python manage.py cerfa check|complete|fill|calendar|bundle|opco|import``: the dossier on the
command line.

The actions live here, in plain Python; ``cerfa/management/commands/cerfa.py`` makes them a
Django command, and ``manage.py`` runs them directly (``main``) when Django's own options
are not used.

Exit status (dossier format v1): 0 fine; 1 ``check`` found at least one error; 2 the input
is unreadable or the template is missing (a one-line French message on standard error).
``fill`` also exits 2, with one line per contract, when a dossier is unreadable, when a PDF
cannot be written or when filling fails on it; in a batch the other contracts are written
all the same, each named after its apprentice (``cerfa/downloads.py``).

A spreadsheet (``.xlsx``, ``.ods``, ``.csv``, issue 10) is a batch: each row one dossier
(``rules/sheet.py``, ``cerfa/batch/``); so is a ``.zip`` of .json drafts, each one. A
malformed cell is one French line naming its row and column, its row is left out and the others go on; the status is then 2, as for any
unreadable dossier of a batch.

``import`` reads a contract back (issue 11, ``cerfa/pdfimport``): a filled CERFA .pdf of any
version from 10103*10 to *14 (ours carries its dossier), or a .json; it prints the dossier,
and exits 2 with one French line for a file it cannot read.

Speed (issue 13, ``make bench``): a command reads files, so Django's system checks (URLs,
templates, the wizard's views) are not run for it; ``check`` and ``fill`` do not even set
Django up (``PLAIN_ACTIONS``: neither needs a setting); and each action imports what it uses
only: ``complete`` alone needs the lookups (requests, urllib3), and filling reads the
template's description cached at install time instead of parsing the PDF.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from cerfa import downloads
from cerfa.checks import findings_for
from cerfa.pdf.fill import fill_dossier
from cerfa.pdf.template import TemplateError
from rules.dossier import Dossier, DossierError
from rules.findings import has_error

MAX_INPUT = 5_000_000  # a dossier is a few kB; anything this big is not one


class Unreadable(Exception):
    """Exit status 2, with a message for standard error."""


HELP = (
    "Vérifie, complète, remplit ou relit des dossiers de contrat d'apprentissage (CERFA 10103*14)."
)
# The actions that need neither Django's settings nor its apps: run without setting Django
# up (``main``). Any other action gets ``django.setup()`` first.
PLAIN_ACTIONS = {"check", "fill"}


class Output:
    """What Django's ``OutputWrapper`` does for a command: ``write`` adds the line's end."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str = "", ending: str = "\n") -> None:
        self.stream.write(text if text.endswith(ending) else text + ending)


def main(argv: list[str]) -> int | None:
    """``manage.py cerfa …`` without Django's management machinery (manage.py's fast path):
    its import alone (URLs, HTTP, the ORM) costs more than checking a dossier. Returns None
    when ``argv`` holds an option only Django's command knows (``--settings``…)."""
    parser = argparse.ArgumentParser(prog="manage.py cerfa", description=HELP)
    parser.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)
    add_arguments(parser)
    options, unknown = parser.parse_known_args(argv)
    if unknown:
        return None
    if options.action not in PLAIN_ACTIONS:
        import django

        django.setup()
    return Cerfa(Output(sys.stdout), Output(sys.stderr)).run(vars(options))


def add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    check = sub.add_parser("check", help="liste les anomalies du dossier")
    check.add_argument(
        "file", help="le dossier .json, un tableau .xlsx/.ods/.csv, un .zip de dossiers, ou -"
    )
    check.add_argument("--json", action="store_true", help='sortie JSON {"findings": […]}')
    complete = sub.add_parser("complete", help="affiche le dossier complété (JSON)")
    complete.add_argument(
        "file", help="le dossier .json, un tableau .xlsx/.ods/.csv, un .zip de dossiers, ou -"
    )
    complete.add_argument(
        "--json",
        action="store_true",
        help='sortie JSON {"dossier": …, "findings": […], "montants": …, "calendrier": …}',
    )
    complete.add_argument(
        "--hors-ligne",
        action="store_true",
        help="aucune recherche dans les annuaires publics (SIRET, UAI, code postal, diplôme)",
    )
    fill = sub.add_parser("fill", help="remplit le CERFA officiel (PDF)")
    fill.add_argument(
        "files",
        nargs="+",
        help="un ou plusieurs dossiers .json, tableaux .xlsx/.ods/.csv, .zip de dossiers (- : "
        "entrée standard)",
    )
    fill.add_argument(
        "-o",
        "--output",
        required=True,
        help="le fichier PDF (un dossier) ou un répertoire (un PDF par dossier)",
    )
    fill.add_argument("--flatten", action="store_true", help="PDF non modifiable")
    calendar = sub.add_parser(
        "calendar", help="écrit les dates du contrat dans un agenda (.ics, RFC 5545)"
    )
    calendar.add_argument("file", help="le dossier .json, ou - pour l'entrée standard")
    calendar.add_argument(
        "-o", "--output", required=True, help="le fichier .ics, ou - pour la sortie standard"
    )
    bundle = sub.add_parser(
        "bundle",
        help="écrit le dossier complet (.zip) : CERFA, points à vérifier, agenda, fichier "
        "d'échange OPCO et données",
    )
    bundle.add_argument("file", help="le dossier .json, ou - pour l'entrée standard")
    bundle.add_argument("-o", "--output", required=True, help="le fichier .zip")
    opco = sub.add_parser(
        "opco", help="affiche le contrat au format d'échange des OPCO (JSON, norme « API CFA »)"
    )
    opco.add_argument("file", help="le dossier .json, ou - pour l'entrée standard")
    imported = sub.add_parser(
        "import",
        help="relit un contrat : un CERFA rempli (.pdf, 10103*10 à *14) ou un dossier .json ; "
        "affiche le dossier (JSON)",
    )
    imported.add_argument("file", help="le contrat .pdf ou le dossier .json, ou -")


class Cerfa:
    """The actions, writing to ``stdout`` and ``stderr`` (each with ``write(line)``)."""

    def __init__(self, stdout, stderr):
        self.stdout = stdout
        self.stderr = stderr

    def run(self, options: dict) -> int:
        """The exit status of the action ``options["action"]``."""
        try:
            return getattr(self, f"do_{options['action']}")(options) or 0
        except Unreadable as exc:
            self.stderr.write(f"Erreur : {exc}")
            return 2

    # -- actions -----------------------------------------------------------------------

    def do_check(self, options) -> int:
        if is_sheet(options["file"]):
            return self.check_sheet(options["file"], options["json"])
        dossier = read_dossier(options["file"])
        findings = findings_for(dossier)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"findings": [f.to_dict() for f in findings]}, ensure_ascii=False, indent=2
                )
            )
        elif findings:
            for finding in findings:
                self.stdout.write(finding.as_line())
        else:
            self.stdout.write("Aucune anomalie trouvée.")
        return 1 if has_error(findings) else 0

    def do_complete(self, options) -> int:
        from cerfa.completion import complete_dossier  # the lookups: requests, urllib3

        if is_sheet(options["file"]):
            return self.complete_sheet(options)
        dossier = read_dossier(options["file"])
        # The lookups log an unavailable source in English for the server's operators;
        # here the person reading standard error gets the French finding instead.
        with quiet_logger("cerfa.lookups"):
            completed, findings = complete_dossier(dossier, use_lookups=not options["hors_ligne"])
        if options["json"]:
            self.stdout.write(
                json.dumps(envelope(completed, findings), ensure_ascii=False, indent=2)
            )
            return 0
        self.stdout.write(completed.to_json())
        for finding in findings:
            self.stderr.write(finding.as_line())
        return 0

    def do_fill(self, options) -> int:
        files, output = options["files"], Path(options["output"])
        batch = (
            len(files) > 1
            or output.is_dir()
            or options["output"].endswith("/")
            or any(is_sheet(name) for name in files)
        )
        if batch:
            try:
                output.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise Unreadable(
                    f"impossible de créer le répertoire {output} ({exc.strerror})."
                ) from None
        failed = written = 0
        used: set[str] = set()
        for name, dossier in self.batch_items(files):
            if dossier is None:  # a spreadsheet, or a row of one, that cannot be read
                failed += 1
                continue
            # In a batch, whatever goes wrong with one dossier (unreadable, a bug met while
            # filling it, a PDF that cannot be written) is one line, and the others are
            # still written (--traceback shows a bug in full); a missing template stops
            # everything, as it would stop every one.
            try:
                target = self.fill_one(
                    name, output, batch, used, options["flatten"], dossier or None
                )
            except TemplateError as exc:
                raise Unreadable(str(exc)) from None
            except Unreadable as exc:
                if not batch:
                    raise
                failed += 1
                self.stderr.write(f"Erreur : {shown(name)} : {exc}")
                continue
            except Exception as exc:
                if options.get("traceback"):
                    raise
                message = (
                    f"{shown(name)} : le remplissage a échoué sur ce dossier "
                    f"({type(exc).__name__}), une erreur de ce service : merci de la signaler."
                )
                if not batch:
                    raise Unreadable(message) from None
                failed += 1
                self.stderr.write(f"Erreur : {message}")
                continue
            written += 1
            if batch:
                self.stdout.write(f"{shown(name)} → {shown(str(target))}")
        if batch:
            self.stdout.write(f"{written} PDF écrit(s) dans {shown(str(output))}")
        return 2 if failed else 0

    def do_calendar(self, options) -> int:
        """The contract's dates (cerfa/documents/calendar.py); without a contract id, the
        UIDs derive from a random value, new for each file."""
        from cerfa.documents.calendar import calendar_bytes

        data = calendar_bytes(read_dossier(options["file"]))
        if options["output"] == "-":
            self.stdout.write(data.decode("utf-8"), ending="")  # CRLF kept as written
            return 0
        write_output(Path(options["output"]), data)
        return 0

    def do_bundle(self, options) -> int:
        """Every file of the contract in one ZIP (cerfa/documents/bundle.py), the same as
        the review page's; an existing file is replaced, as ``fill`` replaces its PDF."""
        from cerfa.documents.bundle import bundle

        if options["output"] == "-":
            # A ZIP is binary: a terminal would show it as garbage, a pipe is rarely meant.
            raise Unreadable(
                "le dossier complet est un fichier .zip : donnez son nom après -o "
                "(par exemple -o dossier.zip)."
            )
        dossier = read_dossier(options["file"])
        try:
            archive = bundle(dossier)
        except TemplateError as exc:
            raise Unreadable(str(exc)) from None
        write_output(Path(options["output"]), archive.data)
        for problem in archive.problems:
            self.stderr.write(f"{shown(options['file'])} : {problem.as_line()}")
        return 0

    def do_opco(self, options) -> int:
        """The contract in the OPCOs' exchange standard, on standard output: this service
        cannot send it, a CFA's software can (docs/echange-opco.md)."""
        from cerfa.documents.opco_exchange import opco_exchange_bytes

        data = opco_exchange_bytes(read_dossier(options["file"]))
        self.stdout.write(data.decode("utf-8"), ending="")
        return 0

    def do_import(self, options) -> int:
        """A contract read back (cerfa/pdfimport, issue 11): the dossier on standard output,
        where it was read from and the notes (what could not be read, what the form lacks)
        on standard error."""
        from cerfa.pdfimport import MAX_PDF_BYTES, ImportProblem, read_contract_file

        name = options["file"]
        data = read_bytes(name, MAX_PDF_BYTES, "contrat")
        try:
            imported = read_contract_file(data, "" if name == "-" else name)
        except ImportProblem as exc:
            raise Unreadable(f"{shown(name)} : {exc}") from None
        self.stdout.write(json.dumps(imported.data, ensure_ascii=False, indent=2))
        self.stderr.write(f"Lu depuis : {imported.source}")
        for note in imported.notes:
            self.stderr.write(f"Note : {note}")
        return 0

    def fill_one(
        self,
        name: str,
        output: Path,
        batch: bool,
        used: set[str],
        flatten: bool,
        dossier: Dossier | None = None,
    ) -> Path:
        """Fill one dossier (read from the file ``name`` unless given) into ``output``, or
        in a batch into the folder ``output`` under the apprentice's name; the problems of
        showing it go to standard error."""
        if dossier is None:
            dossier = read_dossier(name)
        result = fill_dossier(dossier, flatten=flatten)
        target = output
        if batch:
            kind = "pdf_aplati" if flatten else "pdf"
            target = output / unique_name(downloads.filename(dossier, kind), used)
        existed = True  # until known: never remove a file that may have been there before
        try:
            existed = target.exists()
            target.write_bytes(result.pdf)
        except OSError as exc:
            if not existed:  # a disk full midway: no half contract left behind
                with suppress(OSError):
                    target.unlink()
            raise Unreadable(
                f"impossible d'écrire {shown(str(target))} ({exc.strerror or exc})."
            ) from None
        for problem in result.problems:
            self.stderr.write(f"{shown(name)} : {problem.as_line()}")
        return target

    # -- spreadsheets and ZIPs of drafts (issue 10) -------------------------------------

    def batch_items(self, files: list[str]) -> Iterator[tuple[str, Dossier | bool | None]]:
        """Each dossier to fill, with the name it is shown by: a .json file's name and
        False (it is read when filled), a spreadsheet row's « lot.xlsx, ligne 3 » (a
        draft's « lot.zip, a.json ») and its dossier; None after the French lines of a
        file or a row that cannot be read."""
        for name in files:
            if not is_sheet(name):
                yield name, False
                continue
            try:
                entries = self.read_entries(name)
            except Unreadable as exc:
                self.stderr.write(f"Erreur : {exc}")
                yield name, None
                continue
            for entry in entries:
                yield self.said(entry), entry.dossier

    def read_entries(self, name: str) -> list[Entry]:
        """The dossiers of a spreadsheet's rows or of a ZIP's drafts; the columns a
        spreadsheet ignores said on standard error."""
        from cerfa.batch import reading
        from rules.sheet import SheetError, read_table

        data = read_bytes(name, reading.MAX_FILE, "lot de dossiers")
        try:
            if reading.is_zip(name):
                return [
                    Entry(
                        shown(name),
                        f"{shown(name)}, {member}",
                        {"fichier": member},
                        dossier,
                        [f"{member} : {problem}"] if problem else [],
                        [],
                    )
                    for member, dossier, problem in reading.drafts_of(data)
                ]
            from cerfa.batch.labels import column_labels

            rows, ignored = read_table(reading.rows_of(data, name), column_labels())
        except SheetError as exc:
            raise Unreadable(f"{shown(name)} : {exc}") from None
        for message in ignored:
            self.stderr.write(f"Attention : {shown(name)} : {message}")
        return [
            Entry(
                shown(name),
                f"{shown(name)}, ligne {row.number}",
                {"ligne": row.number},
                row.dossier,
                row.problems,
                row.infos,
            )
            for row in rows
        ]

    def said(self, entry: Entry) -> str:
        """An entry's name; its problems and its infos written on standard error."""
        for problem in entry.problems:
            self.stderr.write(f"Erreur : {entry.source} : {problem}")
        for info in entry.infos:
            self.stderr.write(f"{entry.where} : {info.as_line()}")
        return entry.where

    def check_sheet(self, name: str, as_json: bool) -> int:
        status = 0
        out = []
        for entry in self.read_entries(name):
            if entry.dossier is None:
                status = 2
                if not as_json:
                    self.said(entry)
                out.append({**entry.key, "erreurs": entry.problems})
                continue
            findings = entry.infos + findings_for(entry.dossier)
            if has_error(findings) and not status:
                status = 1
            if as_json:
                out.append({**entry.key, "findings": [f.to_dict() for f in findings]})
                continue
            self.stdout.write(f"{entry.heading()} ({apprentice(entry.dossier)}) :")
            for finding in findings:
                self.stdout.write("  " + finding.as_line())
            if not findings:
                self.stdout.write("  Aucune anomalie trouvée.")
        if as_json:
            self.stdout.write(json.dumps({"lignes": out}, ensure_ascii=False, indent=2))
        return status

    def complete_sheet(self, options) -> int:
        """A JSON list of the completed dossiers read (with --json, of their envelopes,
        each with its row number or its file's name); the findings on standard error."""
        from cerfa.completion import complete_dossier

        status = 0
        out = []
        for entry in self.read_entries(options["file"]):
            where = self.said(entry)
            if entry.dossier is None:
                status = 2
                continue
            with quiet_logger("cerfa.lookups"):
                completed, findings = complete_dossier(
                    entry.dossier, use_lookups=not options["hors_ligne"]
                )
            if options["json"]:
                out.append({**entry.key, **envelope(completed, findings)})
                continue
            out.append(completed.to_dict())
            for finding in findings:
                self.stderr.write(f"{where} : {finding.as_line()}")
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
        return status


@dataclass
class Entry:
    """One dossier of a batch file: its file, where it is (« lot.xlsx, ligne 3 »), its key in the
    JSON output (``{"ligne": 3}`` or ``{"fichier": "a.json"}``), the dossier or None,
    the French lines of what could not be read, the info findings of reading it."""

    source: str
    where: str
    key: dict
    dossier: Dossier | None
    problems: list[str]
    infos: list

    def heading(self) -> str:
        if "ligne" in self.key:
            return f"Ligne {self.key['ligne']}"
        return f"Fichier {self.key['fichier']}"


def is_sheet(name: str) -> bool:
    from cerfa.batch.reading import is_sheet as sheet_suffix

    return name != "-" and sheet_suffix(name)


def apprentice(dossier: Dossier) -> str:
    """« MOREAU Inès », as a row of a spreadsheet is told apart from the others."""
    apprenti = dossier.apprenti
    text = " ".join(
        part for part in ((apprenti.nom_naissance or "").upper(), apprenti.prenom or "") if part
    )
    return shown(text[:80]) or "apprenti(e) sans nom"


def envelope(completed: Dossier, findings) -> dict:
    """``complete --json``: the completed dossier (format v1, unchanged) beside what the
    project derives from it for other software to show: its findings, the minimum amounts
    of each pay period (rules/costs.py) and its milestones (rules/timeline.py); null while
    the dates they need are missing."""
    from rules.timeline import timeline_for

    timeline = timeline_for(completed)
    return {
        "dossier": completed.to_dict(),
        "findings": [f.to_dict() for f in findings],
        "montants": timeline.amounts_dict() if timeline else None,
        "calendrier": timeline.to_dict() if timeline else None,
    }


@contextmanager
def quiet_logger(name: str) -> Iterator[None]:
    """Only errors of logger ``name`` while the block runs (a bug still shows)."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def shown(name: str) -> str:
    """A file name as printed: control characters, and the bytes of a name that is not
    UTF-8 (held as lone surrogates), written as escapes, so that one line stays one line
    and printing it never fails."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in name)


def unique_name(filename: str, used: set[str]) -> str:
    """Two apprentices with the same name in one batch get -2, -3… rather than overwrite."""
    stem, suffix = filename[: -len(".pdf")], ".pdf"
    candidate, n = filename, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}-{n}{suffix}"
    used.add(candidate)
    return candidate


def write_output(target: Path, data: bytes) -> None:
    """Write a file the command was asked for (an existing one is replaced); if writing
    fails midway (a disk full), no half file is left behind, and a file that was there
    before is never removed."""
    existed = True  # until known
    try:
        existed = target.exists()
        target.write_bytes(data)
    except OSError as exc:
        if not existed:
            with suppress(OSError):
                target.unlink()
        raise Unreadable(
            f"impossible d'écrire {shown(str(target))} ({exc.strerror or exc})."
        ) from None


def read_dossier(name: str) -> Dossier:
    data = read_bytes(name, MAX_INPUT, "dossier")
    try:
        return Dossier.from_json(data)
    except DossierError as exc:
        raise Unreadable(str(exc)) from None


def read_bytes(name: str, limit: int, what: str) -> bytes:
    """The bytes of the file ``name`` (``-``: standard input), ``limit`` at most."""
    try:
        if name == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            # Opened and read up to the limit whatever it is: a pipe (`<(jq … d.json)`,
            # /dev/stdin) is no regular file, and has no size to look at beforehand.
            path = Path(name)
            if path.is_dir():
                raise Unreadable(f"{shown(name)} est un répertoire, pas un {what}.")
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
    except FileNotFoundError:
        raise Unreadable(f"le fichier {shown(name)} est introuvable.") from None
    except OSError as exc:
        raise Unreadable(f"impossible de lire {shown(name)} ({exc.strerror}).") from None
    if len(data) > limit:
        raise Unreadable(
            (
                "l'entrée standard est bien trop grosse"
                if name == "-"
                else f"{shown(name)} est bien trop gros"
            )
            + f" pour être un {what} (plus de {limit // 1_000_000} Mo)."
        )
    return data
