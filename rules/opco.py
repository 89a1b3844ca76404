"""The employer's OPCO from its IDCC, offline: the ministry of Labour's table of 2019.

⚠ ``rules/data/idcc_opco.tsv`` is the **table of 19 July 2019** (ministère du Travail,
DGEFP: the first assignment of the branches to the eleven OPCOs, arrêtés d'agrément of
2019; C. trav. art. L6332-1). It knows no IDCC created since (3248 Métallurgie, 3249 to
3255, 7026 to 7028…) nor any later reassignment, and France compétences' current table is
not published as a file. So:

- an IDCC the table lacks gives None, never a guess (``opco_for``);
- every answer is to be checked with the OPCO or on France compétences' « Quel est mon
  OPCO » (``OUTDATED`` is True, ``TABLE_DATE`` says from when).

``rules/data/opco.tsv`` lists the eleven OPCOs: usual name, name in the 2019 table, web
site. ``manage.py cerfa_table_update opco SOURCE`` rebuilds the IDCC table from the
ministry's spreadsheet or its CSV export (docs/tables.md).

Plain Python: no Django. Read once per process, on first use.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path

from rules import idcc as idcc_list
from rules import identifiers, tabledata
from rules.codes import TYPES_EMPLOYEUR_PUBLIC_ADMINISTRATIF
from rules.dates import format_fr
from rules.dossier import Dossier
from rules.findings import Finding

OPCO_PATH = tabledata.DATA_DIR / "opco.tsv"
IDCC_OPCO_PATH = tabledata.DATA_DIR / "idcc_opco.tsv"

# The bundled assignment is the 2019 one, older than several branches: a rule or a page
# naming an OPCO from it says that it is to be checked.
OUTDATED = True


@dataclass(frozen=True)
class Opco:
    nom: str  # usual name: « OPCO EP », « AKTO », « ATLAS »…
    site_web: str
    nom_officiel: str = ""  # the name in the 2019 table, when it differs


@dataclass(frozen=True)
class OpcoTable:
    meta: dict[str, str]  # the IDCC table's header
    opcos: dict[str, Opco]  # usual name → OPCO
    by_idcc: dict[str, str]  # IDCC (4 digits) → usual name

    def opco_for(self, idcc: object) -> Opco | None:
        code = idcc_list.normalize(idcc)
        name = self.by_idcc.get(code) if code else None
        return self.opcos[name] if name else None


def read_opcos(path: Path) -> dict[str, Opco]:
    opcos = {}
    for line in tabledata.read(path).lines:
        nom, nom_officiel, site = line.split("\t")
        opcos[nom] = Opco(nom, site, nom_officiel if nom_officiel != nom else "")
    return opcos


def load(idcc_path: Path, opco_path: Path = OPCO_PATH) -> OpcoTable:
    opcos = read_opcos(opco_path)
    table = tabledata.read(idcc_path)
    by_idcc = {}
    for line in table.lines:
        code, _, name = line.partition("\t")
        if name not in opcos:
            raise tabledata.TableFormatError(
                f"Table {idcc_path.name} : OPCO « {name} » absent de {opco_path.name}."
            )
        by_idcc[code] = name
    return OpcoTable(table.meta, opcos, by_idcc)


@functools.cache
def bundled() -> OpcoTable:
    """The tables shipped in rules/data (read once per process)."""
    return load(IDCC_OPCO_PATH)


def opco_for(idcc: object) -> Opco | None:
    """The OPCO of a convention collective in the 2019 table, or None when the table does
    not have the IDCC (a recent convention, 9999, a statut…): never a guess."""
    return bundled().opco_for(idcc)


def opcos() -> tuple[Opco, ...]:
    """The eleven OPCOs, by usual name."""
    return tuple(sorted(bundled().opcos.values(), key=lambda o: o.nom.casefold()))


FINDING_CODE = "complete.employeur.opco"
REFERENCE = (
    "C. trav. art. L6224-1, L6332-1 ; ministère du Travail, table IDCC → OPCO du 19 juillet 2019"
)


def complete_findings(dossier: Dossier) -> list[Finding]:
    """What ``complete`` says of the employer's OPCO, to which the contract is sent
    (L6224-1): its name and site from the IDCC, or that it is to be checked when the 2019
    table does not know the IDCC. Nothing without a well-formed IDCC, nor for a public
    employer other than an EPIC, which files with the State services (D6275-1)."""
    e = dossier.employeur
    value = e.code_idcc.strip() if isinstance(e.code_idcc, str) else ""
    if not value or not identifiers.check_idcc(value):
        return []
    if e.type_employeur in TYPES_EMPLOYEUR_PUBLIC_ADMINISTRATIF:
        return []
    code = idcc_list.normalize(value)
    table = bundled()
    date = format_fr(datetime.date.fromisoformat(table.meta["date"]))
    found = table.opco_for(code)
    if found is not None:
        message = (
            f"OPCO de l'employeur d'après sa convention collective (IDCC {code}) : "
            f"{found.nom} ({found.site_web}). C'est à lui que le contrat est transmis. La table "
            f"IDCC → OPCO du ministère du Travail date du {date} : vérifiez auprès de l'OPCO, "
            "un rattachement a pu changer depuis."
        )
    elif code == "9999":
        message = (
            "OPCO de l'employeur à vérifier : sans convention collective (IDCC 9999), l'OPCO "
            "dépend de l'activité de l'entreprise. Cherchez-le sur le site de France "
            "compétences (« Quel est mon OPCO ? »)."
        )
    else:
        message = (
            f"OPCO de l'employeur à vérifier : la table IDCC → OPCO du ministère du Travail "
            f"(du {date}) ne connaît pas l'IDCC {code}, une convention plus récente ou "
            "rattachée depuis. Cherchez l'OPCO sur le site de France compétences (« Quel est "
            "mon OPCO ? »)."
        )
    return [Finding("info", FINDING_CODE, ("employeur.code_idcc",), message, REFERENCE)]


info, __getattr__ = tabledata.header_accessors(__name__, bundled)
