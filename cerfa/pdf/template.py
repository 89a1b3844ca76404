"""The official blank CERFA 10103*14: where it lives, how it is obtained, how it is checked.

The form is never committed. ``make install`` runs ``python -m cerfa.pdf.template install``,
which copies it from ``CERFA_TEMPLATE_SOURCE`` (a path or an http(s) URL) or, when that is
not set, downloads it from the official address; then it checks that the file really is
CERFA 10103*14 before putting it in place. Any other file is refused with one French line.

Install also writes, beside the template, what the filling needs from it (``describe``: the
widget table, the objects an update rewrites, already serialised) keyed by the template's
SHA-256: ``cerfa_10103-14.pdf.cache.json``, ignored by git like the template, whose content
it partly holds. A process then fills without importing pypdf's parser and without reading
the form's text again for the version check (the check was done for these very bytes).
Without a cache matching the template, ``load`` verifies and describes it in process.

No Django import: the command line, the bench and ``make install`` use this module alone;
pypdf is imported only where a template is parsed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from cerfa.pdf.fieldmap import FIELD_MAP, MAP_DIGEST, decode_field_name

OFFICIAL_URL = "https://www.formulaires.service-public.gouv.fr/gf/cerfa_10103.do"
PRINTED_VERSION = "10103*14"
ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_PATH = ROOT / "pdf_template" / "cerfa_10103-14.pdf"
MAX_SIZE = 20_000_000  # the official file is about 330 kB
# Bumped whenever ``describe`` changes what it writes: an older cache is then ignored.
CACHE_FORMAT = 1
# Names standing for what each flattened page gets (found once each, then replaced).
PAGE_RESOURCES = b"/CerfaGabaritRessources"
PAGE_CONTENTS = b"/CerfaGabaritContenus"
PAGE_XOBJECTS = b"/CerfaGabaritXObjets"
FIELD_PREFIX = "/CerfaChamp"  # the flattened fields' names in a page's /XObject


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


def _serialise(obj: Any) -> bytes:
    out = io.BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()


def describe(data: bytes, reader=None) -> dict[str, Any]:
    """What filling needs from the verified template ``data``, as plain values (bytes for
    every serialised PDF object): built with pypdf here, used without it by the filling.

    Every filled field carries its appearance, so the AcroForm is rewritten with
    NeedAppearances false (inline in this form's catalog; elsewhere it may be an object of
    its own). A flattened page is the page without its widgets, whose resources and
    contents take the drawn fields: its dictionary is serialised here with a placeholder
    name for each of the two, replaced when filling.
    """
    reader = reader or verify(data)
    from pypdf.generic import BooleanObject, DictionaryObject, IndirectObject, NameObject

    trailer = reader.trailer
    root = trailer["/Root"]
    root_ref, info_ref = trailer.raw_get("/Root"), trailer.raw_get("/Info")
    match = re.search(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>", data[-2048:])
    acroform_ref = root.raw_get("/AcroForm")
    acroform = DictionaryObject(acroform_ref.get_object())
    acroform[NameObject("/NeedAppearances")] = BooleanObject(False)
    if isinstance(acroform_ref, IndirectObject):
        rewritten = [acroform_ref.idnum, acroform_ref.generation, _serialise(acroform)]
    else:
        catalog = DictionaryObject(root)
        catalog[NameObject("/AcroForm")] = acroform
        rewritten = [root_ref.idnum, root_ref.generation, _serialise(catalog)]
    flat_catalog = DictionaryObject(root)
    del flat_catalog[NameObject("/AcroForm")]

    pages, widgets, resources_ref = [], [], None
    for index, page in enumerate(reader.pages):
        pages.append(_flat_page(page))
        for annot in page.get("/Annots") or []:
            widget = annot.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            described = _widget(index, annot, widget)
            widgets.append(described)
            normal = widget.get("/AP", {}).get("/N")
            if not described["is_checkbox"] and normal is not None and resources_ref is None:
                resources = normal.get_object().raw_get("/Resources")
                if hasattr(resources, "idnum"):
                    resources_ref = [resources.idnum, resources.generation]

    return {
        "size": int(trailer["/Size"]),
        "root": [root_ref.idnum, root_ref.generation],
        "info": [info_ref.idnum, info_ref.generation],
        "first_id": match.group(1).decode() if match else hashlib.md5(data).hexdigest(),
        "startxref": int(re.findall(rb"startxref\s+(\d+)", data[-1024:])[-1]),
        "acroform": rewritten,
        "flat_catalog": _serialise(flat_catalog),
        "resources": resources_ref,
        "pages": pages,
        "widgets": widgets,
        **text_tables(),
    }


def text_tables() -> dict[str, dict[str, int]]:
    """What writing a text needs: Helvetica's width of each character (per 1000 of the
    size; "default" for the others), from Adobe's metrics committed as a small table
    (``cerfa/pdf/helvetica.py``), and PDFDocEncoding's code of each character it has (the
    encoding of a field's /V when it suffices, else UTF-16), from pypdf's public functions."""
    from pypdf.generic import decode_pdfdocencoding, encode_pdfdocencoding

    from cerfa.pdf import helvetica

    pdfdoc: dict[str, int] = {}
    for code in range(256):
        try:
            char = decode_pdfdocencoding(bytes([code]))
            pdfdoc[char] = encode_pdfdocencoding(char)[0]
        except (UnicodeDecodeError, UnicodeEncodeError):
            continue  # a code PDFDocEncoding leaves undefined
    return {
        "helvetica": dict(helvetica.widths()),
        "pdfdoc": pdfdoc,
    }


def _flat_page(page) -> dict[str, Any]:
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    ref = page.indirect_reference
    resources = DictionaryObject(page["/Resources"].get_object())
    xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()))
    if any(str(key).startswith(FIELD_PREFIX) for key in xobjects):
        raise TemplateError("Le modèle porte déjà des objets nommés comme les champs aplatis.")
    resources[NameObject("/XObject")] = NameObject(PAGE_XOBJECTS.decode())
    contents = page.raw_get("/Contents")
    originals = list(contents) if isinstance(contents, ArrayObject) else [contents]
    flat = DictionaryObject(page)
    flat.pop(NameObject("/Annots"), None)
    flat[NameObject("/Resources")] = NameObject(PAGE_RESOURCES.decode())
    flat[NameObject("/Contents")] = NameObject(PAGE_CONTENTS.decode())
    body, resources_bytes = _serialise(flat), _serialise(resources)
    for name, where in (
        (PAGE_RESOURCES, body),
        (PAGE_CONTENTS, body),
        (PAGE_XOBJECTS, resources_bytes),
    ):
        if where.count(name) != 1:
            raise TemplateError("Le modèle contient déjà les noms réservés au remplissage.")
    return {
        "number": ref.idnum,
        "generation": ref.generation,
        "body": body,  # PAGE_RESOURCES and PAGE_CONTENTS stand where the two go
        "resources": resources_bytes,  # PAGE_XOBJECTS stands where the page's XObjects go
        "xobjects_open": _serialise(xobjects)[: -len(b">>")],  # the new names go before >>
        "contents": b"".join(b" " + _serialise(o) for o in originals),
    }


def _widget(page: int, ref, widget) -> dict[str, Any]:
    from pypdf.generic import DictionaryObject, NameObject

    name = decode_field_name(str(widget["/T"]))
    is_checkbox = widget.get("/FT") == "/Btn"
    normal = widget.get("/AP", {}).get("/N")
    ap_refs: dict[str, list[int]] = {}
    on_state = "/Yes"
    if is_checkbox and normal is not None:
        normal = normal.get_object()
        on_state = [str(k) for k in normal.keys() if k != "/Off"][0]  # as the form defines it
        for state, stream_ref in normal.items():
            ap_refs[str(state)] = [stream_ref.idnum, stream_ref.generation]
    head = DictionaryObject(widget)
    for key in ("/V", "/AS") + (() if is_checkbox else ("/AP",)):
        head.pop(NameObject(key), None)
    rect = [float(v) for v in widget["/Rect"]]
    return {
        "name": name,
        "number": ref.idnum,
        "generation": ref.generation,
        "page": page,
        "rect": [
            min(rect[0], rect[2]),
            min(rect[1], rect[3]),
            max(rect[0], rect[2]),
            max(rect[1], rect[3]),
        ],
        "is_checkbox": is_checkbox,
        "on_state": on_state,
        "head": _serialise(head)[:-2].rstrip(),  # without its closing >>
        "ap_refs": ap_refs,
    }


# -- the cache beside the installed template ---------------------------------------------


def cache_path(template: Path) -> Path:
    return template.with_name(template.name + ".cache.json")


def _key(data: bytes) -> dict[str, Any]:
    return {
        "format": CACHE_FORMAT,
        "template_sha256": hashlib.sha256(data).hexdigest(),
        "field_map_sha256": MAP_DIGEST,
    }


def _to_json(value: Any) -> Any:
    # Bytes as Latin-1 text: one character per byte, read back exactly.
    if isinstance(value, bytes):
        return {"latin1": value.decode("latin-1")}
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_json(v) for v in value]
    return value


def _from_json(item: dict[str, Any]) -> Any:
    if len(item) == 1 and "latin1" in item:
        return item["latin1"].encode("latin-1")
    return item


def _pypdf_version() -> str:
    from importlib.metadata import version

    return version("pypdf")


def _read_cache(path: Path, data: bytes) -> dict[str, Any] | None:
    """The cached description of ``data``, or None when absent, unreadable or stale."""
    try:
        cached = json.loads(cache_path(path).read_bytes(), object_hook=_from_json)
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or cached.get("key") != _key(data):
        return None
    return cached.get("description")


def write_cache(path: Path, data: bytes, reader=None) -> None:
    """Describe the template ``data`` installed at ``path`` and write that beside it."""
    description = describe(data, reader)
    payload = {"key": _key(data), "pypdf": _pypdf_version(), "description": description}
    target = cache_path(path)
    part = None
    try:
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".part") as tmp:
            part = tmp.name
            tmp.write(json.dumps(_to_json(payload), ensure_ascii=True).encode())
        os.chmod(part, 0o644)
        os.replace(part, target)
    finally:
        if part is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(part)


def cache_is_current(path: Path, data: bytes) -> bool:
    """A cache for these very bytes, this field map and this pypdf (whose serialisation and
    metrics the cached bytes are): install then has nothing to do."""
    try:
        cached = json.loads(cache_path(path).read_bytes())
    except (OSError, ValueError):
        return False
    return (
        isinstance(cached, dict)
        and cached.get("key") == _key(data)
        and cached.get("pypdf") == _pypdf_version()
    )


def load(path: Path) -> tuple[bytes, dict[str, Any]]:
    """The template's bytes and their description: from the cache written at install when
    it matches these bytes, else verified and described here (pypdf, some 100 ms)."""
    data = path.read_bytes()
    described = _read_cache(path, data)
    if described is None:
        described = describe(data)
    return data, described


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
    """Put a verified template at ``target``, and its description beside it; idempotent.
    Returns what was done, in French."""
    target = target or template_path()
    source = source or os.environ.get("CERFA_TEMPLATE_SOURCE") or None
    if target.is_file():
        current = target.read_bytes()
        # A current cache was written for these very bytes once they were verified.
        verified = cache_is_current(target, current)
        reader = None
        if not verified:
            try:
                reader = verify(current)
                verified = True
            except TemplateError:
                pass  # damaged or replaced: fetched again below, as the error tells people to
        # A verified template is never downloaded again (every one is the same form); a
        # local source that differs from it replaces it.
        if verified and (
            source is None
            or source.startswith(("http://", "https://"))
            or (
                Path(source).is_file()
                and hashlib.sha256(Path(source).read_bytes()).digest()
                == hashlib.sha256(current).digest()
            )
        ):
            if reader is not None:  # verified now: the cache was not current
                _write_cache_or_say(target, current, reader)
            return f"Modèle CERFA 10103*14 déjà en place : {target}"
    data = read_source(source or OFFICIAL_URL)
    try:
        reader = verify(data)
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
    _write_cache_or_say(target, data, reader)
    return f"Modèle CERFA 10103*14 vérifié et installé : {target}"


def _write_cache_or_say(target: Path, data: bytes, reader=None) -> None:
    try:
        write_cache(target, data, reader)
    except OSError as exc:
        raise TemplateError(
            f"Impossible d'écrire {cache_path(target)} ({exc.strerror or exc})."
        ) from None


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
