"""The names of the files this service hands out, and their ``Content-Disposition``.

A contract gives several files, each with its own name so that one never overwrites
another in a downloads folder: the editable CERFA, the flattened one (``--flatten``,
``?version=aplatie``), the « points à vérifier », the dossier itself (.json), its
calendar (.ics), the OPCOs' exchange file (.json) and the ZIP of them all. The name
follows the apprentice (``cerfa-apprentissage-MOREAU-Ines.pdf``), folded to ASCII letters,
digits and hyphens, and cut to ``MAX_NAME_LENGTH`` whatever the name typed: an HTTP header
or a file system takes a few hundred bytes, not a whole draft.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import quote

MAX_NAME_LENGTH = 100
PREFIX = "cerfa-apprentissage"
# What follows the stem, by file.
SUFFIXES = {
    "pdf": ".pdf",
    "pdf_aplati": "-non-modifiable.pdf",
    "points": "-points-a-verifier.pdf",
    "json": ".json",
    "ics": "-calendrier.ics",
    "opco": "-echange-opco.json",
    "zip": "-dossier-complet.zip",
    "convention": "-convention-de-formation.pdf",
    "guide": "-et-maintenant.pdf",
}
# The stem leaves room for the longest suffix and for the "-2", "-3"… a batch gives to
# two apprentices of the same name.
STEM_LENGTH = MAX_NAME_LENGTH - max(len(suffix) for suffix in SUFFIXES.values()) - 8
# Letters NFKD does not decompose, as French writes them without the ligature.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_NOT_SAFE = re.compile(r"[^A-Za-z0-9]+")


def ascii_safe(text: str | None, keep: str = "") -> str:
    """``text`` in ASCII letters and digits: accents dropped, ligatures spelt out, any other
    run of characters (apostrophes, spaces, slashes, other scripts) one hyphen, none at
    either end. ``keep``: characters kept as they are (the dot of an extension)."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    pattern = _NOT_SAFE if not keep else re.compile(f"[^A-Za-z0-9{re.escape(keep)}]+")
    return pattern.sub("-", text).strip("-")


def stem(dossier: Any) -> str:
    """``cerfa-apprentissage-NOM-Prenom``, at most ``STEM_LENGTH`` characters."""
    apprenti = getattr(dossier, "apprenti", None)
    # In capitals before folding: "ß" becomes "SS", as a name in capitals is written.
    nom = ascii_safe((getattr(apprenti, "nom_naissance", None) or "").upper())
    prenom = ascii_safe(getattr(apprenti, "prenom", None))
    prenom = "-".join(part[:1].upper() + part[1:].lower() for part in prenom.split("-") if part)
    name = "-".join(part for part in (PREFIX, nom, prenom) if part)
    return name[:STEM_LENGTH].rstrip("-")


def filename(dossier: Any, kind: str = "pdf") -> str:
    """The name of one of the contract's files: ``kind`` is a key of ``SUFFIXES``."""
    return stem(dossier) + SUFFIXES[kind]


def _letters(text: str) -> str:
    # Letters and digits of any script kept, as typed; any other run (spaces, quotes,
    # slashes, control characters) one hyphen.
    return re.sub(r"[\W_]+", "-", unicodedata.normalize("NFC", text)).strip("-")


def display_name(dossier: Any, kind: str = "pdf") -> str:
    """The same name with the apprentice's accents (``…-MOREAU-Inès.pdf``), for the
    ``filename*`` of a download; as bounded as ``filename``."""
    apprenti = getattr(dossier, "apprenti", None)
    nom = _letters((getattr(apprenti, "nom_naissance", None) or "").upper())
    prenom = _letters(getattr(apprenti, "prenom", None) or "")
    prenom = "-".join(part[:1].upper() + part[1:].lower() for part in prenom.split("-") if part)
    name = "-".join(part for part in (PREFIX, nom, prenom) if part)
    return name[:STEM_LENGTH].rstrip("-") + SUFFIXES[kind]


def content_disposition(name: str) -> str:
    """``attachment`` with the name in both forms of RFC 6266: ``filename`` in ASCII for
    the clients that know no other, ``filename*`` in UTF-8 (RFC 5987), which the others
    prefer. Django's ``content_disposition_header`` writes only one of the two."""
    fallback = re.sub(r"-*\.-*", ".", ascii_safe(name, keep=".")) or "fichier"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
