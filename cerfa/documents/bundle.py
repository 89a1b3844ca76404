"""The whole démarche in one download: a ZIP of every file a contract gives.

« Télécharger le dossier complet (.zip) » on the review page, ``cerfa bundle DOSSIER -o
dossier.zip`` on the command line. Inside, each file under the name it has when downloaded
on its own (``cerfa/downloads.py``), made by the very function that makes it on its own:

- the CERFA, editable (``cerfa/pdf/fill.py``);
- the « points à vérifier », only when the rules find something (``cerfa/pdf/findings_pdf.py``);
- the convention de formation, pre-filled (``convention.py``);
- the « Et maintenant ? » guide to the next steps (``guide.py``);
- the contract's calendar, ``.ics`` (``calendar.py``);
- the OPCOs' exchange file, ``.json`` (``opco_exchange.py``), which we cannot send ourselves;
- the dossier itself, ``.json``, to resume the draft later;
- ``LISEZ-MOI.txt``, in French, saying what each file is for.

The archive is written in memory with the standard library's ``zipfile`` (deflate): a
contract's files are a few hundred kB, and nothing of them is ever written to disk here.
"""

from __future__ import annotations

import datetime
import io
import textwrap
import zipfile
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from cerfa import downloads
from cerfa.checks import findings_for
from cerfa.documents.calendar import calendar_bytes
from cerfa.documents.convention import convention_pdf
from cerfa.documents.guide import guide_pdf
from cerfa.documents.opco_exchange import opco_exchange_bytes
from rules.dossier import Dossier
from rules.findings import Finding
from rules.timeline import FILING_DAYS, timeline_for

README_NAME = "LISEZ-MOI.txt"
# ZIP timestamps carry no time zone: unpacking shows them as written, in French time.
PARIS = ZoneInfo("Europe/Paris")


@dataclass
class Piece:
    """One file of the archive: its name inside, what it is (in French), its bytes."""

    name: str
    title: str
    data: bytes


@dataclass
class Bundle:
    """The archive, its pieces in order, and the problems met filling the CERFA (a text too
    long for its box…), which the command line prints as ``fill`` does."""

    data: bytes
    pieces: list[Piece]
    problems: list[Finding] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [README_NAME] + [piece.name for piece in self.pieces]


def points_pdf(dossier: Dossier, findings: list[Finding] | None = None) -> bytes:
    """The « points à vérifier » of ``dossier``: the single download's and the archive's."""
    from cerfa.pdf.findings_pdf import findings_pdf

    apprenti = " ".join(p for p in (dossier.apprenti.prenom, dossier.apprenti.nom_naissance) if p)
    subject = f"Apprenti : {apprenti}" if apprenti else ""
    if findings is None:
        findings = findings_for(dossier)
    return findings_pdf(findings, subject, timeline=timeline_for(dossier))


def dossier_bytes(dossier: Dossier) -> bytes:
    """The dossier as its .json download writes it."""
    return (dossier.to_json() + "\n").encode("utf-8")


def pieces_of(
    dossier: Dossier, key: str | None = None, today: datetime.date | None = None
) -> tuple[list[Piece], list[Finding]]:
    """Every file of the contract, in the order the archive lists them, and the problems of
    filling the CERFA. ``key``: what the calendar's UIDs derive from (the contract's id on
    the site, a random value when None). Raises ``TemplateError`` without the CERFA's
    template, as its single download does."""
    from cerfa.pdf.fill import fill_dossier

    filled = fill_dossier(dossier)
    pieces = [
        Piece(
            downloads.filename(dossier, "pdf"),
            "Le contrat d'apprentissage (CERFA 10103*14) rempli, modifiable : à imprimer ou "
            "à faire signer par l'employeur, l'apprenti et, s'il est mineur, son représentant "
            "légal.",
            filled.pdf,
        )
    ]
    findings = findings_for(dossier, today=today)
    if findings:
        pieces.append(
            Piece(
                downloads.filename(dossier, "points"),
                "Les points à vérifier avant de signer : un document pour vous, qui ne "
                "s'envoie pas à l'OPCO.",
                points_pdf(dossier, findings),
            )
        )
    pieces += [
        Piece(
            downloads.filename(dossier, "convention"),
            "La convention de formation pré-remplie, à compléter par le CFA (coûts, "
            "programme) puis à signer par l'employeur et le CFA : elle accompagne le "
            "contrat envoyé à l'OPCO.",
            convention_pdf(dossier),
        ),
        Piece(
            downloads.filename(dossier, "guide"),
            "« Et maintenant ? » : qui signe quoi et dans quel ordre, la date limite d'envoi, "
            "l'OPCO, les pièces justificatives de ce contrat et les démarches d'embauche.",
            guide_pdf(dossier, today=today),
        ),
        Piece(
            downloads.filename(dossier, "ics"),
            "Les dates du contrat (date limite d'envoi, période d'essai, changements de "
            "rémunération, fin du contrat), à ouvrir avec votre agenda.",
            calendar_bytes(dossier, key=key),
        ),
        Piece(
            downloads.filename(dossier, "opco"),
            "Le contrat au format d'échange commun des OPCO (norme « API CFA »), pour le "
            "logiciel de votre CFA. Ce service ne peut pas le transmettre lui-même : les OPCO "
            "ne délivrent leurs accès qu'aux CFA. Transmettez le contrat signé à votre OPCO "
            "comme il vous l'indique.",
            opco_exchange_bytes(dossier),
        ),
        Piece(
            downloads.filename(dossier, "json"),
            "Vos données (brouillon .json) : gardez-les pour reprendre ce contrat plus tard "
            "depuis la page d'accueil du service. Nous n'en gardons aucune copie.",
            dossier_bytes(dossier),
        ),
    ]
    return pieces, filled.problems


def readme(pieces: list[Piece]) -> str:
    """``LISEZ-MOI.txt``: each file and what it is for, in French."""
    lines = [
        "Dossier complet du contrat d'apprentissage",
        "==========================================",
        "",
        "Ce dossier contient :",
        "",
    ]
    for piece in pieces:
        lines += [
            f"- {piece.name}",
            *textwrap.wrap(piece.title, 78, initial_indent="  ", subsequent_indent="  "),
            "",
        ]
    lines += textwrap.wrap(
        "Le contrat signé est à transmettre à l'OPCO de l'employeur (à la DDETS pour un "
        f"employeur public) au plus tard dans les {FILING_DAYS} jours ouvrables qui suivent "
        "son début (Code du travail, art. D6224-1 et D6275-1) : le calendrier en donne la "
        "date.",
        78,
    )
    lines.append("")
    # CRLF: the one line ending every text editor shows right, Windows' Notepad included.
    return "\r\n".join(lines)


def bundle(
    dossier: Dossier,
    key: str | None = None,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Bundle:
    """The ZIP of every file of the contract. ``now``: the files' date in the archive."""
    pieces, problems = pieces_of(dossier, key=key, today=today)
    stamp = (now or datetime.datetime.now(datetime.UTC)).astimezone(PARIS)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        members = [(README_NAME, readme(pieces).encode("utf-8"))]
        members += [(piece.name, piece.data) for piece in pieces]
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16  # a plain file, readable by all, on unpacking
            archive.writestr(info, data)
    return Bundle(buffer.getvalue(), pieces, problems)
