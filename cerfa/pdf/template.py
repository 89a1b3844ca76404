"""The official blank CERFA 10103*14: where it lives, how it is obtained, how it is checked.

The form is never committed. ``make install`` runs ``python -m cerfa.pdf.template install``,
which copies it from ``CERFA_TEMPLATE_SOURCE`` (a path or an http(s) URL) or, when that is
not set, downloads it from the official address; then it checks that the file really is
CERFA 10103*14 before putting it in place. Any other file is refused with one French line.

No Django import: the command line, the bench and ``make install`` use this module alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import sys
import tempfile
from pathlib import Path

from cerfa.pdf.fieldmap import FIELD_MAP, decode_field_name

OFFICIAL_URL = "https://www.formulaires.service-public.gouv.fr/gf/cerfa_10103.do"
PRINTED_VERSION = "10103*14"
ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_PATH = ROOT / "pdf_template" / "cerfa_10103-14.pdf"
MAX_SIZE = 20_000_000  # the official file is about 330 kB


class TemplateError(Exception):
    """The template is missing, unreadable or not CERFA 10103*14. One line of French."""


def template_path() -> Path:
    return Path(os.environ.get("CERFA_TEMPLATE_PATH") or DEFAULT_PATH)


def fingerprint(reader) -> dict[str, tuple[str, int]]:
    """Every widget of the form: decoded field name → (field type, page number from 1)."""
    found: dict[str, tuple[str, int]] = {}
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots") or []:
            widget = annot.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            name = widget.get("/T")
            kind = widget.get("/FT")
            if name is None:  # a kid of a field: the name is on the parent
                parent = widget.get("/Parent")
                name = parent.get_object().get("/T") if parent else None
                kind = kind or (parent.get_object().get("/FT") if parent else None)
            if name is not None:
                found[decode_field_name(str(name))] = (str(kind), number)
    return found


def expected_fingerprint() -> dict[str, tuple[str, int]]:
    return {e.name: ("/Btn" if e.is_checkbox else "/Tx", e.page) for e in FIELD_MAP}


def verify(data: bytes):
    """Check that ``data`` is the blank CERFA 10103*14; return the parsed reader."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF-"):
        raise TemplateError("Le modèle n'est pas un fichier PDF : le CERFA 10103*14 est attendu.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        found = fingerprint(reader)
        text = reader.pages[0].extract_text() if reader.pages else ""
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise TemplateError(
            f"Le modèle PDF est illisible ou abîmé ({type(exc).__name__}) : "
            "téléchargez de nouveau le CERFA 10103*14."
        ) from None
    versions = sorted(set(re.findall(r"10103\s*\*\s*(\d+)", text)))
    if PRINTED_VERSION.split("*")[1] not in versions:
        seen = ", ".join(f"10103*{v}" for v in versions) or "aucun numéro de CERFA lisible"
        raise TemplateError(
            f"Ce PDF n'est pas le CERFA 10103*14 (on y lit : {seen}). "
            "Seule cette version du contrat d'apprentissage est acceptée."
        )
    expected = expected_fingerprint()
    if found != expected:
        missing = sorted(set(expected) - set(found))
        extra = sorted(set(found) - set(expected))
        detail = (f"{len(missing)} champ(s) attendu(s) absent(s)" if missing else "") + (
            f", {len(extra)} champ(s) inconnu(s)" if extra else ""
        )
        raise TemplateError(
            "Ce PDF porte le numéro 10103*14 mais ses champs ne sont pas ceux du formulaire "
            f"officiel ({detail.strip(', ') or 'types ou pages différents'}) : "
            "utilisez le fichier publié sur service-public.fr."
        )
    return reader


def read_source(source: str) -> bytes:
    """The bytes of a path or of an http(s) URL."""
    if source.startswith(("http://", "https://")):
        import requests

        try:
            response = requests.get(source, timeout=(10, 60))
            response.raise_for_status()
        except requests.RequestException as exc:
            raise TemplateError(
                f"Téléchargement du CERFA impossible depuis {source} ({type(exc).__name__}). "
                "Sans réseau, indiquez un fichier local : CERFA_TEMPLATE_SOURCE=/chemin/cerfa.pdf"
            ) from None
        data = response.content
    else:
        path = Path(source).expanduser()
        if not path.is_file():
            raise TemplateError(f"Le modèle CERFA est introuvable : {path} n'existe pas.")
        if path.stat().st_size > MAX_SIZE:
            raise TemplateError(f"{path} est bien trop gros pour être le CERFA 10103*14.")
        data = path.read_bytes()
    if len(data) > MAX_SIZE:
        raise TemplateError("Le fichier reçu est bien trop gros pour être le CERFA 10103*14.")
    return data


def install(source: str | None = None, target: Path | None = None) -> str:
    """Put a verified template at ``target``; idempotent. Returns what was done, in French."""
    target = target or template_path()
    source = source or os.environ.get("CERFA_TEMPLATE_SOURCE") or None
    if target.is_file():
        current = target.read_bytes()
        try:
            verify(current)
        except TemplateError:
            pass  # damaged or replaced: fetched again below, as the error tells people to
        else:
            # A verified template is never downloaded again (every one is the same form);
            # a local source that differs from it replaces it.
            if source is None or source.startswith(("http://", "https://")):
                return f"Modèle CERFA 10103*14 déjà en place : {target}"
            if (
                Path(source).is_file()
                and hashlib.sha256(Path(source).read_bytes()).digest()
                == hashlib.sha256(current).digest()
            ):
                return f"Modèle CERFA 10103*14 déjà en place : {target}"
    data = read_source(source or OFFICIAL_URL)
    try:
        verify(data)
    except TemplateError as exc:
        if source is None:
            # The official address may one day answer with a page instead of the file.
            raise TemplateError(
                f"{exc} (reçu de {OFFICIAL_URL}) Téléchargez le PDF vous-même et indiquez-le : "
                "CERFA_TEMPLATE_SOURCE=/chemin/cerfa_10103-14.pdf"
            ) from None
        raise
    # Write beside the target then rename: a half-written template is never left in place,
    # nor a ".part" file beside it when writing fails.
    part = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".part") as tmp:
            part = tmp.name
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(part, 0o644)
        os.replace(part, target)
    except OSError as exc:
        if part is not None:
            with contextlib.suppress(OSError):
                os.unlink(part)
        raise TemplateError(
            f"Impossible d'installer le modèle dans {target} ({exc.strerror})."
        ) from None
    return f"Modèle CERFA 10103*14 vérifié et installé : {target}"


def main(argv: list[str]) -> int:
    if argv[1:] != ["install"]:
        print("usage : python -m cerfa.pdf.template install", file=sys.stderr)
        return 2
    try:
        print(install())
    except TemplateError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
