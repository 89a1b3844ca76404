"""Rebuild one of the reference tables bundled in rules/data from its publisher's file.

    python manage.py cerfa_table_update communes  FICHIER_OU_URL   # La Poste (HexaSmal)
    python manage.py cerfa_table_update naf-rev2  FICHIER_OU_URL   # INSEE, NAF rév. 2
    python manage.py cerfa_table_update naf-2025  FICHIER_OU_URL   # INSEE, NAF 2025
    python manage.py cerfa_table_update diplomes  FICHIER_OU_URL   # France compétences, kit
    python manage.py cerfa_table_update prefixes  FICHIER_OU_URL   # BCN, niveaux de formation
    python manage.py cerfa_table_update opco      FICHIER_OU_URL   # ministère du Travail
    python manage.py cerfa_table_update idcc     [FICHIER_OU_URL]  # DILA, base KALI

Every source is a CSV (UTF-8 or Latin-1, separated by « ; », « , », tabs or « | »: La
Poste's file is Latin-1 with « ; ») or an XLSX spreadsheet; its columns are found by
their header, not by their position, so the publisher's file and its usual copies are
both read. The old binary XLS format is not read: export it to CSV or XLSX first.
For the IDCC list, the default source is the setting ``CERFA_IDCC_SOURCE_URL``.

A table is replaced only when the new one looks whole (``--minimum`` records at least, a
bound per table below), so that a changed format or a truncated download never replaces
a good table with a poor one. ``--date`` is the date of the data (today by default),
``--origine`` and ``--licence`` what the table's header says of its source. See
docs/tables.md.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cerfa.lookups import kali
from cerfa.lookups.client import USER_AGENT
from rules import communes, diplomes, naf, opco, tabledata
from rules import idcc as idcc_list
from rules.identifiers import check_code_postal

# A batch job, not a person waiting: a generous timeout, and a bound on the size (La
# Poste's file is about 2 MB, the kit about 1 MB).
DOWNLOAD_TIMEOUT = 60
MAX_BYTES = 50_000_000
# Where the header row may be: a few title lines come before it in INSEE's and the
# ministry's spreadsheets.
HEADER_SEARCH_ROWS = 30

LICENCE_OUVERTE = "Licence Ouverte / Etalab 2.0 (éditeur public, data.gouv.fr)"

IDCC_NOTE = (
    "Liste complète des conventions collectives (IDCC, intitulé, état juridique dans la base "
    "KALI, en vigueur ou non), reconstruite par « python manage.py cerfa_table_update idcc ». "
    "Ne pas modifier à la main : relancer la commande."
)


class SourceError(ValueError):
    """The source file is not the table we know (one line of French)."""


@dataclass(frozen=True)
class Built:
    records: list[str]
    summary: str  # what was written, for the user: « 6 328 codes postaux (35 007 communes) »
    count: int  # what --minimum is compared with


@dataclass(frozen=True)
class Table:
    path: Path
    minimum: int
    origine: str
    licence: str
    build: Callable[[list[list[str]]], Built]
    unit: str  # what ``count`` counts, in French


# -- reading the source ------------------------------------------------------------------


def fetch(source: str) -> bytes:
    """The bytes of a file path or an http(s) URL, at most MAX_BYTES."""
    if not source.startswith(("http://", "https://")):
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise CommandError(f"Impossible de lire {source} : {exc.strerror}.") from None
    try:
        with requests.get(
            source, timeout=DOWNLOAD_TIMEOUT, stream=True, headers={"User-Agent": USER_AGENT}
        ) as response:
            response.raise_for_status()
            chunks, size = [], 0
            for chunk in response.iter_content(chunk_size=1 << 16):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise CommandError("Le fichier téléchargé est anormalement gros.")
                chunks.append(chunk)
    except requests.RequestException as exc:
        raise CommandError(
            f"Téléchargement impossible ({type(exc).__name__}) : vérifiez la connexion, ou "
            "téléchargez le fichier et passez son chemin."
        ) from None
    return b"".join(chunks)


def is_xlsx(content: bytes) -> bool:
    return content[:4] == b"PK\x03\x04"


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, the Latin-1 of La Poste's files."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def rows_of(content: bytes) -> list[list[str]]:
    """The rows of a CSV or XLSX source, each a list of cell texts."""
    if is_xlsx(content):
        try:
            return kali.read_xlsx_rows(content)
        except kali.KaliFormatError as exc:
            raise SourceError(str(exc)) from None
    text = decode(content)
    if "\x00" in text:
        raise SourceError("Le fichier n'est ni un CSV ni un tableur XLSX.")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t|", key=first.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def fold(name: str) -> str:
    """A header as compared: « Libellé_acheminement » → « libelle_acheminement »."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


Column = Callable[[str], bool]


def header(
    rows: list[list[str]], wanted: dict[str, Column], optional: tuple[str, ...] = ()
) -> tuple[int, dict[str, int]]:
    """The index of the header row and, for each wanted column, its index: the first
    header cell its test accepts. The optional ones may be missing."""
    required = [name for name in wanted if name not in optional]
    for at, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        folded = [fold(cell) for cell in row]
        columns: dict[str, int] = {}
        for name, test in wanted.items():
            index = next((i for i, f in enumerate(folded) if test(f)), None)
            if index is not None:
                columns[name] = index
        if all(name in columns for name in required):
            return at, columns
    raise SourceError(
        f"Colonnes attendues introuvables ({', '.join(required)}) : le format du fichier a "
        "peut-être changé."
    )


def records_after(rows: list[list[str]], at: int, columns: dict[str, int]):
    """Each data row as a dict of the wanted columns, with its line number (from 1)."""
    for number, row in enumerate(rows[at + 1 :], start=at + 2):
        if not any(cell.strip() for cell in row):
            continue
        yield (
            number,
            {
                name: (row[index].strip() if index < len(row) else "")
                for name, index in columns.items()
            },
        )


def clean(text: str) -> str:
    """One line, single spaces, no tab: what a record field may hold."""
    return " ".join(text.split())


def digits(value: str, width: int, lost: int | None = None) -> str:
    """A code whose leading zeros a spreadsheet dropped (« 1001 » → « 01001 »), at most
    ``lost`` of them (a postal or commune code has one at most: « 750 » stays wrong)."""
    value = value.strip()
    if re.fullmatch(r"\d+\.0+", value, re.ASCII):
        value = value.split(".")[0]
    if not re.fullmatch(r"\d+", value, re.ASCII):
        return value
    return value.zfill(width) if lost is None or len(value) >= width - lost else value


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


# -- one builder per table ---------------------------------------------------------------

_INSEE = re.compile(r"\d{5}|2[AB]\d{3}", re.ASCII)
_SEPARATORS = re.compile(r"[\t|;]")


def build_communes(rows: list[list[str]]) -> Built:
    at, columns = header(
        rows,
        {
            "insee": lambda f: "insee" in f,
            "nom": lambda f: f.startswith("nom"),
            "code_postal": lambda f: "postal" in f,
            "acheminement": lambda f: "acheminement" in f,
            "ligne_5": lambda f: f.replace("_", "") == "ligne5",
        },
        optional=("ligne_5",),
    )
    by_postcode: dict[str, dict[tuple[str, str, str], set[str]]] = {}
    for number, row in records_after(rows, at, columns):
        insee, code = digits(row["insee"], 5, 1).upper(), digits(row["code_postal"], 5, 1)
        nom, acheminement = clean(row["nom"]).upper(), clean(row["acheminement"]).upper()
        lieu = clean(row.get("ligne_5", "")).upper()
        if not _INSEE.fullmatch(insee) or not check_code_postal(code):
            raise SourceError(f"Ligne {number} : code commune ou code postal mal écrit.")
        if not nom or any(_SEPARATORS.search(t) for t in (nom, acheminement, lieu)):
            raise SourceError(f"Ligne {number} : nom de commune vide ou illisible.")
        places = by_postcode.setdefault(code, {}).setdefault(
            (insee, nom, "" if acheminement == nom else acheminement), set()
        )
        if lieu:
            places.add(lieu)
    records = []
    sep = communes.FIELD_SEP
    for code in sorted(by_postcode):
        entries = sorted(by_postcode[code].items())
        records.append(
            code
            + communes.ENTRY_SEP
            + communes.ENTRY_SEP.join(
                f"{insee}{sep}{nom}{sep}{ach}{sep}{communes.PLACE_SEP.join(sorted(places))}"
                for (insee, nom, ach), places in entries
            )
        )
    towns = {insee for entries in by_postcode.values() for insee, _, _ in entries}
    count = sum(len(entries) for entries in by_postcode.values())
    return Built(
        records,
        f"{thousands(len(records))} codes postaux, {thousands(len(towns))} communes",
        count,
    )


def build_naf(rows: list[list[str]]) -> Built:
    at, columns = header(
        rows,
        {
            "code": lambda f: f.startswith("code"),
            "libelle": lambda f: f.startswith(("libelle", "intitule")),
        },
    )
    labels: dict[str, str] = {}
    for number, row in records_after(rows, at, columns):
        code = naf.normalize(row["code"])
        if code is None:
            continue  # a section, division or group line of INSEE's list
        label = clean(row["libelle"])
        if not label or "\t" in label:
            raise SourceError(f"Ligne {number} : le code {code} n'a pas de libellé lisible.")
        if code in labels:
            raise SourceError(f"Ligne {number} : le code {code} figure deux fois.")
        labels[code] = label
    return Built(
        [f"{code}\t{labels[code]}" for code in sorted(labels)],
        f"{thousands(len(labels))} sous-classes",
        len(labels),
    )


def _level(value: str) -> str:
    found = re.search(r"\d", value, re.ASCII)
    return found.group(0) if found and "1" <= found.group(0) <= "8" else ""


def _iso(value: str) -> str:
    """« 31/12/2028 » (or an ISO date) → « 2028-12-31 »; "" when not a date."""
    value = value.strip()[:10]
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return ""


def build_diplomes(rows: list[list[str]]) -> Built:
    at, columns = header(
        rows,
        {
            "code": lambda f: f.startswith("code_diplome") or f == "cfd",
            "rncp": lambda f: "rncp" in f and f.startswith("code"),
            "intitule": lambda f: f.startswith("intitule"),
            "niveau": lambda f: f.startswith("niveau"),
            "statut": lambda f: f.startswith(("statut", "etat")),
            "acces": lambda f: f.startswith("acces"),
            "echeance": lambda f: "echeance" in f,
            "abrege": lambda f: f.startswith("abrege"),
        },
        optional=("acces", "echeance", "abrege"),
    )
    seen: dict[tuple[str, str], str] = {}
    codes_seen: set[str] = set()
    for number, row in records_after(rows, at, columns):
        code = diplomes.normalize_code(row["code"])
        raw_rncp = row["rncp"].strip().upper()
        rncp = "" if raw_rncp in ("", "NR") else diplomes.normalize_rncp(raw_rncp)
        if code is None or rncp is None:
            raise SourceError(f"Ligne {number} : code diplôme ou code RNCP mal écrit.")
        intitule, abrege = clean(row["intitule"]), clean(row.get("abrege", ""))
        if not intitule or "\t" in intitule + abrege:
            raise SourceError(f"Ligne {number} : le diplôme {code} n'a pas d'intitulé lisible.")
        actif = "1" if fold(row["statut"]) in ("active", "actif", "actived") else "0"
        acces = {"oui": "1", "non": "0"}.get(fold(row.get("acces", "")), "-")
        if (code, rncp) in seen:
            continue  # the same pair twice says nothing more
        codes_seen.add(code)
        seen[(code, rncp)] = "\t".join(
            (
                code,
                rncp,
                _level(row["niveau"]),
                actif + acces,
                _iso(row.get("echeance", "")),
                abrege,
                intitule,
            )
        )
    return Built(
        [seen[key] for key in sorted(seen)],
        f"{thousands(len(seen))} couples code diplôme ↔ RNCP ({thousands(len(codes_seen))} "
        "codes diplôme)",
        len(seen),
    )


def build_prefixes(rows: list[list[str]]) -> Built:
    at, columns = header(
        rows,
        {
            "prefixe": lambda f: f.startswith("prefixe") or f == "niveau_formation_diplome",
            "ancien": lambda f: f.startswith("niveau_interministeriel"),
            "court": lambda f: f == "libelle_court",
            "libelle": lambda f: f == "libelle" or f.startswith(("libelle_long", "libelle_1")),
        },
    )
    found: dict[str, str] = {}
    for number, row in records_after(rows, at, columns):
        prefixe = row["prefixe"].strip().upper()
        if not re.fullmatch(r"[0-9A-Z]{3}", prefixe, re.ASCII):
            raise SourceError(f"Ligne {number} : préfixe mal écrit (3 caractères attendus).")
        fields = (clean(row["ancien"]), clean(row["court"]), clean(row["libelle"]))
        if any("\t" in f for f in fields):
            raise SourceError(f"Ligne {number} : libellé illisible.")
        if prefixe in found:
            raise SourceError(f"Ligne {number} : le préfixe {prefixe} figure deux fois.")
        found[prefixe] = "\t".join((prefixe, *fields))
    return Built([found[p] for p in sorted(found)], f"{thousands(len(found))} préfixes", len(found))


def build_opco(rows: list[list[str]]) -> Built:
    at, columns = header(
        rows,
        {
            "idcc": lambda f: f == "idcc" or f.startswith(("idcc", "code_idcc", "n_idcc")),
            # The usual name when the file has both columns (a copy), else the only one.
            "opco": lambda f: f == "opco",
            "opco_any": lambda f: "opco" in f,
        },
        optional=("opco",),
    )
    names = {}
    for o in opco.read_opcos(opco.OPCO_PATH).values():
        names[fold(o.nom)] = o.nom
        if o.nom_officiel:
            names[fold(o.nom_officiel)] = o.nom
    by_idcc: dict[str, str] = {}
    unknown: set[str] = set()
    for number, row in records_after(rows, at, columns):
        code = idcc_list.normalize(digits(row["idcc"], 4))
        if code is None:
            continue  # « N.A. », « na »: a branch without IDCC
        written = row.get("opco") or row["opco_any"]
        name = names.get(fold(written))
        if name is None:
            unknown.add(clean(written))
            continue
        if by_idcc.get(code, name) != name:
            raise SourceError(f"Ligne {number} : l'IDCC {code} est rattaché à deux OPCO.")
        by_idcc[code] = name
    if unknown:
        listed = ", ".join(f"« {n} »" for n in sorted(unknown)[:5])
        raise SourceError(
            f"OPCO inconnu(s) : {listed}. Ajoutez-les à rules/data/opco.tsv (nom usuel, nom "
            "officiel, site) avant de relancer la commande."
        )
    return Built(
        [f"{code}\t{by_idcc[code]}" for code in sorted(by_idcc)],
        f"{thousands(len(by_idcc))} IDCC rattachés à {len(set(by_idcc.values()))} OPCO",
        len(by_idcc),
    )


def idcc_from_csv(rows: list[list[str]], origine: str, date: str) -> idcc_list.IdccList:
    """A list of conventions from a CSV: IDCC, short title (« libelle ») or full title
    (« titre »), and the KALI legal state(s), « | »-joined (« etat_juridique »)."""
    at, columns = header(
        rows,
        {
            "idcc": lambda f: f == "idcc" or f.startswith("idcc"),
            "libelle": lambda f: f.startswith("libelle"),
            "titre": lambda f: f.startswith("titre"),
            "etat": lambda f: f.startswith("etat"),
        },
        optional=("libelle", "titre"),
    )
    if "libelle" not in columns and "titre" not in columns:
        raise SourceError("Colonne « titre » ou « libelle » introuvable.")
    found: dict[str, idcc_list.Convention] = {}
    for number, row in records_after(rows, at, columns):
        code = idcc_list.normalize(digits(row["idcc"], 4))
        if code is None:
            raise SourceError(f"Ligne {number} : IDCC mal écrit.")
        if code in idcc_list.SPECIAL:
            continue  # 9998 and 9999 are the CERFA's own values, always known
        titre = clean(row.get("libelle") or row.get("titre") or "").strip("_ ")
        if not titre:
            raise SourceError(f"Ligne {number} : la convention {code} n'a pas d'intitulé.")
        if code in found:
            raise SourceError(f"Ligne {number} : l'IDCC {code} figure deux fois.")
        etat = "|".join(sorted({s for s in row["etat"].replace(" ", "").split("|") if s}))
        found[code] = idcc_list.Convention(code, titre, idcc_list.in_force(etat), etat)
    return idcc_list.IdccList(found, complet=True, source=origine, date=date)


TABLES: dict[str, Table] = {
    "communes": Table(
        communes.DATA_PATH,
        30_000,
        "La Poste, base officielle des codes postaux (HexaSmal), data.gouv.fr",
        "Licence Ouverte / Etalab 2.0 (La Poste, data.gouv.fr ; ODbL jusque vers 2020)",
        build_communes,
        "couples code postal ↔ commune",
    ),
    "naf-rev2": Table(
        naf.PATHS[naf.REV2],
        700,
        "INSEE, nomenclature NAF rév. 2 (2008), liste des sous-classes",
        LICENCE_OUVERTE,
        build_naf,
        "sous-classes",
    ),
    "naf-2025": Table(
        naf.PATHS[naf.NAF2025],
        700,
        "INSEE, nomenclature NAF 2025, liste des sous-classes",
        LICENCE_OUVERTE,
        build_naf,
        "sous-classes",
    ),
    "diplomes": Table(
        diplomes.DATA_PATH,
        3_000,
        "France compétences, kit apprentissage (code diplôme ↔ RNCP)",
        LICENCE_OUVERTE,
        build_diplomes,
        "couples code diplôme ↔ RNCP",
    ),
    "prefixes": Table(
        diplomes.PREFIXES_PATH,
        100,
        "Éducation nationale (DEPP), BCN, table N_NIVEAU_FORMATION_DIPLOME",
        LICENCE_OUVERTE,
        build_prefixes,
        "préfixes",
    ),
    "opco": Table(
        opco.IDCC_OPCO_PATH,
        250,
        "Ministère du Travail (DGEFP), table de correspondance IDCC → OPCO",
        LICENCE_OUVERTE,
        build_opco,
        "IDCC",
    ),
}
IDCC_MINIMUM = 300


def write_idcc(idcc: idcc_list.IdccList, output: Path, minimum: int, note: str) -> str:
    """Write an IDCC list when it is whole enough; the line to print."""
    count = len(idcc.conventions)
    if count < minimum:
        raise CommandError(
            f"Seulement {count} conventions lues (au moins {minimum} attendues) : la liste "
            "actuelle est conservée. Vérifiez la source."
        )
    tabledata.write_text(output, idcc_list.dumps(idcc, note))
    in_force = sum(1 for c in idcc.conventions.values() if c.en_vigueur)
    return f"{count} conventions collectives ({in_force} en vigueur) écrites dans {output}."


class Command(BaseCommand):
    help = "Reconstruit une table de référence de rules/data depuis le fichier de son éditeur."

    def add_arguments(self, parser):
        parser.add_argument("table", choices=[*TABLES, "idcc"], help="La table à reconstruire.")
        parser.add_argument(
            "source",
            nargs="?",
            default=None,
            help="Fichier CSV ou XLSX, ou adresse web (pour idcc, CERFA_IDCC_SOURCE_URL par "
            "défaut).",
        )
        parser.add_argument(
            "--output",
            default=None,
            help="Fichier à écrire (par défaut : la table livrée dans rules/data).",
        )
        parser.add_argument(
            "--minimum",
            type=int,
            default=None,
            help="Nombre minimal d'enregistrements pour remplacer la table.",
        )
        parser.add_argument(
            "--date", default=None, help="Date des données, AAAA-MM-JJ (par défaut : aujourd'hui)."
        )
        parser.add_argument("--origine", default=None, help="Source écrite dans l'en-tête.")
        parser.add_argument("--licence", default=None, help="Licence écrite dans l'en-tête.")
        parser.add_argument("--note", default=None, help="Réserves écrites dans l'en-tête.")

    def handle(self, *args, table, source=None, output=None, minimum=None, **options):
        date = options.get("date") or datetime.date.today().isoformat()
        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            raise CommandError(f"Date illisible : « {date} » (AAAA-MM-JJ attendu).") from None
        if table == "idcc":
            source = source or settings.CERFA_IDCC_SOURCE_URL
            self.stdout.write(self._idcc(source, output, minimum, date, options))
            return
        if not source:
            raise CommandError(f"Indiquez le fichier ou l'adresse de la table « {table} ».")
        spec = TABLES[table]
        try:
            built = spec.build(rows_of(fetch(source)))
        except SourceError as exc:
            raise CommandError(str(exc)) from None
        needed = spec.minimum if minimum is None else minimum
        if built.count < needed:
            raise CommandError(
                f"Seulement {thousands(built.count)} {spec.unit} lus (au moins "
                f"{thousands(needed)} attendus) : la table actuelle est conservée. Vérifiez "
                "la source."
            )
        meta = {
            "table": table,
            "source": options.get("origine") or spec.origine,
            "fichier": Path(source).name if "://" not in source else source,
            "date": date,
            "licence": options.get("licence") or spec.licence,
        }
        if options.get("note"):
            meta["note"] = options["note"]
        target = Path(output) if output else spec.path
        tabledata.write(target, meta, built.records)
        self.stdout.write(f"{built.summary} écrits dans {target}.")

    def _idcc(self, source, output, minimum, date, options) -> str:
        content = fetch(source)
        try:
            if is_xlsx(content):
                parsed = kali.parse_xlsx(content, today=datetime.date.fromisoformat(date))
                if options.get("origine"):
                    parsed = idcc_list.IdccList(
                        parsed.conventions, parsed.complet, options["origine"], parsed.date
                    )
            else:
                parsed = idcc_from_csv(
                    rows_of(content), options.get("origine") or kali.SOURCE, date
                )
        except (kali.KaliFormatError, SourceError) as exc:
            raise CommandError(str(exc)) from None
        note = IDCC_NOTE + (f" {options['note']}" if options.get("note") else "")
        return write_idcc(
            parsed,
            Path(output) if output else idcc_list.DATA_PATH,
            IDCC_MINIMUM if minimum is None else minimum,
            note,
        )
