"""What a PDF holds for us, read within bounds: its form fields, the dossier it embeds.

pypdf parses (the project's PDF library, already used for the template); every pypdf bound
that matters for a hostile file is set lower for this reading (``apply_configuration``),
the field tree is walked here, iteratively, with its own bounds, and anything pypdf raises
on a broken file becomes one French sentence. Nothing is executed: a PDF whose scripts go
beyond the formatting functions of Acrobat forms (``AFDate_FormatEx``… that the older
CERFAs carry on their date boxes) is refused all the same, since no tool filling a CERFA
writes them.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import re
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cerfa.pdf.fieldmap import decode_field_name
from cerfa.pdf.fill import DOSSIER_FILE
from cerfa.pdfimport.limits import (
    MAX_FIELD_DEPTH,
    MAX_FIELDS,
    MAX_JSON_BYTES,
    MAX_OBJECTS,
    MAX_PAGES,
    MAX_STREAM_BYTES,
    MAX_VALUE_CHARS,
    Deadline,
    ImportProblem,
)

BROKEN = (
    "Ce PDF est endommagé ou incomplet (tronqué pendant l'envoi ?) et ne peut pas être lu : "
    "téléchargez-le à nouveau, ou choisissez le fichier .json du dossier."
)
ENCRYPTED = (
    "Ce PDF est protégé par un mot de passe : il ne peut pas être lu. Enregistrez-en une "
    "copie sans protection, ou choisissez le fichier .json du dossier."
)
TOO_MANY_FIELDS = (
    f"Ce PDF a bien trop de champs pour être un CERFA (plus de {MAX_FIELDS:,}) : il n'est "
    "pas lu. Choisissez le CERFA rempli (.pdf) ou le fichier .json du dossier.".replace(
        ",", "\u202f"
    )
)
SCRIPTS = (
    "Ce PDF contient des scripts (JavaScript) qu'aucun outil de remplissage du CERFA "
    "n'écrit : par prudence, il n'est pas lu. Choisissez le PDF tel que vous l'avez reçu ou "
    "rempli, ou le fichier .json du dossier."
)

# Acrobat's own form functions, the only scripts a CERFA's boxes carry (formatting a date
# or a number as it is typed): ``AFDate_FormatEx("dd/mm/yyyy");``.
_FORM_SCRIPT = re.compile(r'\s*(AF\w{1,40}\((\s*("[^"\\]{0,40}"|-?\d{1,6})\s*,?)*\)\s*;?\s*)+')
_ACTION_KEYS = ("/A", "/AA", "/OpenAction")

# pypdf's bounds, lower than its defaults (75 MB per stream, 100,000 fields or pages).
_CONFIGURATION = {
    "maximum_declared_stream_length": MAX_STREAM_BYTES,
    "zlib_maximum_output_length": MAX_STREAM_BYTES,
    "lzw_maximum_output_length": MAX_STREAM_BYTES,
    "run_length_maximum_output_length": MAX_STREAM_BYTES,
    "array_based_stream_maximum_output_length": MAX_STREAM_BYTES,
    "stream_decoding_work_maximum_length": 4 * MAX_STREAM_BYTES,
    "array_maximum_element_count": 10 * MAX_FIELDS,
    "dictionary_maximum_element_count": 10 * MAX_FIELDS,
    "page_tree_maximum_entries": 10 * MAX_PAGES,
    "page_tree_maximum_depth": MAX_FIELD_DEPTH,
    "form_fields_maximum_entries": MAX_FIELDS,
    "form_fields_maximum_depth": MAX_FIELD_DEPTH,
    "outline_maximum_entries": MAX_FIELDS,
    "outline_maximum_depth": MAX_FIELD_DEPTH,
}

# pypdf logs what it repairs (from its modules' loggers, under "pypdf"), sometimes quoting
# the file's bytes: while a file from a user is read, none of it reaches the server's logs.
_PYPDF_LOGGER = logging.getLogger("pypdf")
_quiet_lock = threading.Lock()
_quiet_readers = 0
_saved_level = logging.NOTSET


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    global _quiet_readers, _saved_level
    with _quiet_lock:
        if _quiet_readers == 0:
            _saved_level = _PYPDF_LOGGER.level
            _PYPDF_LOGGER.setLevel(logging.CRITICAL + 1)
        _quiet_readers += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_readers -= 1
            if _quiet_readers == 0:
                _PYPDF_LOGGER.setLevel(_saved_level)


@dataclass
class Box:
    """One terminal field of the form: its value as text, or ticked/not for a checkbox;
    ``unreadable`` when its value is not a text (or is too long to be one of ours)."""

    name: str
    kind: str  # "/Tx", "/Btn", "/Ch", "/Sig"
    text: str | None = None
    ticked: bool = False
    unreadable: bool = False


@dataclass
class PdfContent:
    boxes: dict[str, Box] = field(default_factory=dict)
    embedded: bytes | None = None  # our dossier's JSON, when the PDF carries it
    embedded_broken: bool = False
    page_text: Callable[[], str] = lambda: ""  # the first page's text, read on demand
    page_digest: Callable[[], str] = lambda: ""  # ``contents_digest`` of the first page


def contents_digest(page: Any) -> str:
    """SHA-256 of a page's content streams, decoded (filling fields leaves them as they
    are): tells apart two versions of the form whose fields are the same."""
    contents = page.get("/Contents")
    if contents is None:
        return ""
    contents = contents.get_object()
    streams = contents if isinstance(contents, list) else [contents]
    digest = hashlib.sha256()
    for stream in streams:
        digest.update(stream.get_object().get_data())
    return digest.hexdigest()


@contextlib.contextmanager
def _bounded() -> Iterator[None]:
    from pypdf import apply_configuration

    with _quiet(), apply_configuration(**_CONFIGURATION), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pypdf's PdfReadWarning about repairs
        yield


def read_pdf(content: bytes, deadline: Deadline) -> PdfContent:
    """The boxes and the embedded dossier of ``content``; ImportProblem for a PDF that is
    broken, encrypted, scripted or beyond a bound."""
    with _bounded():
        try:
            return _read(content, deadline)
        except ImportProblem:
            raise
        except RecursionError:
            raise ImportProblem(
                "Ce PDF est construit de façon circulaire ou bien trop imbriquée : il ne peut "
                "pas être lu."
            ) from None
        except MemoryError:
            raise ImportProblem(BROKEN) from None
        # A hostile or broken file makes pypdf raise anything (PdfReadError, KeyError,
        # TypeError, ValueError…): each is the same answer for the person who sent it.
        except Exception as exc:  # noqa: BLE001
            from pypdf.errors import LimitReachedError

            if isinstance(exc, LimitReachedError):
                raise ImportProblem(
                    "Ce PDF est bien trop gros ou trop complexe pour être un CERFA : il "
                    "n'est pas lu."
                ) from None
            raise ImportProblem(BROKEN) from None


def _read(content: bytes, deadline: Deadline) -> PdfContent:
    from pypdf import PdfReader

    if b"%PDF-" not in content[:1024]:
        raise ImportProblem(
            "Ce fichier n'est pas un PDF : choisissez le contrat (.pdf) ou le dossier (.json)."
        )
    reader = PdfReader(io.BytesIO(content), strict=False)
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                raise ImportProblem(ENCRYPTED)
        except ImportProblem:
            raise
        except Exception:  # noqa: BLE001 - no AES without the cryptography package
            raise ImportProblem(ENCRYPTED) from None
    size = reader.trailer.get("/Size")
    if not isinstance(size, int) or size > MAX_OBJECTS:
        raise ImportProblem(
            f"Ce PDF a bien trop d'objets pour être un CERFA (plus de {MAX_OBJECTS:,}) : il "
            "n'est pas lu.".replace(",", "\u202f")
        )
    deadline.check()
    root = reader.trailer["/Root"].get_object()
    pages = len(reader.pages)
    if pages > MAX_PAGES:
        raise ImportProblem(
            f"Ce PDF a {pages} pages : un CERFA 10103 en a 2 (au plus {MAX_PAGES} avec sa "
            "notice). Choisissez le contrat seul."
        )
    deadline.check()
    _refuse_scripts(root, reader, deadline)
    found = PdfContent()
    found.embedded, found.embedded_broken = _embedded_dossier(root, deadline)
    acroform = root.get("/AcroForm")
    if acroform is not None:
        found.boxes = _boxes(acroform.get_object(), deadline)

    def page_text() -> str:
        deadline.check()
        with _bounded():
            try:
                return reader.pages[0].extract_text()[:20_000]
            except Exception:  # noqa: BLE001 - the text only tells two versions apart
                return ""

    def page_digest() -> str:
        deadline.check()
        with _bounded():
            try:
                return contents_digest(reader.pages[0])
            except Exception:  # noqa: BLE001 - then the page's text decides
                return ""

    found.page_text = page_text
    found.page_digest = page_digest
    return found


def _is_form_script(action: Any) -> bool:
    """An action that is Acrobat's formatting of a box (a JavaScript string of AF calls)."""
    action = action.get_object() if hasattr(action, "get_object") else action
    if not hasattr(action, "get"):
        return False
    if action.get("/S") != "/JavaScript":
        return False
    script = action.get("/JS")
    return isinstance(script, str) and bool(_FORM_SCRIPT.fullmatch(script))


def _actions(holder: Any) -> Iterator[Any]:
    for key in _ACTION_KEYS:
        value = holder.get(key)
        if value is None:
            continue
        value = value.get_object()
        if key == "/AA" and hasattr(value, "values"):
            yield from (v.get_object() for v in value.values())
        elif hasattr(value, "get"):  # an /OpenAction array is a destination, not an action
            yield value


def _refuse_scripts(root: Any, reader: Any, deadline: Deadline) -> None:
    """Refuse a document, page or field action that is a script or a launch (``SCRIPTS``);
    a box's Acrobat formatting functions are allowed (see the module)."""
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        raise ImportProblem(SCRIPTS)
    for action in _actions(root):
        if action.get("/S") in ("/JavaScript", "/Launch", "/ImportData", "/Rendition"):
            raise ImportProblem(SCRIPTS)
    annotations = 0
    for page in reader.pages:
        deadline.check()
        annots = page.get("/Annots")
        annots = annots.get_object() if annots is not None else []
        annotations += len(annots)
        if annotations > MAX_FIELDS:
            raise ImportProblem(TOO_MANY_FIELDS)
        for action in _actions(page):
            if action.get("/S") in ("/JavaScript", "/Launch"):
                raise ImportProblem(SCRIPTS)
        for annot in annots:
            annot = annot.get_object()
            for action in _actions(annot):
                if action.get("/S") == "/Launch":
                    raise ImportProblem(SCRIPTS)
                if action.get("/S") == "/JavaScript" and not _is_form_script(action):
                    raise ImportProblem(SCRIPTS)


def _embedded_dossier(root: Any, deadline: Deadline) -> tuple[bytes | None, bool]:
    """Our dossier file in the /EmbeddedFiles name tree, if any, and whether it was there
    but could not be read."""
    names = root.get("/Names")
    tree = names.get_object().get("/EmbeddedFiles") if names is not None else None
    if tree is None:
        return None, False
    stack, seen = [(tree, 0)], 0
    while stack:
        node, depth = stack.pop()
        node = node.get_object()
        seen += 1
        if seen > MAX_FIELDS or depth > MAX_FIELD_DEPTH:
            return None, True
        deadline.check()
        pairs = node.get("/Names") or []
        for index in range(0, len(pairs) - 1, 2):
            if str(pairs[index]) != DOSSIER_FILE:
                continue
            try:
                stream = pairs[index + 1].get_object()["/EF"]["/F"].get_object()
            except (KeyError, TypeError, AttributeError):
                return None, True  # a file specification without its file: read the boxes
            declared = stream.get("/Length")
            if isinstance(declared, int) and declared > MAX_JSON_BYTES:
                return None, True
            try:
                data = stream.get_data()
            except Exception:  # noqa: BLE001 - a damaged stream: read the boxes instead
                return None, True
            return (data, False) if len(data) <= MAX_JSON_BYTES else (None, True)
        stack.extend((kid, depth + 1) for kid in node.get("/Kids") or [])
    return None, False


def _boxes(acroform: Any, deadline: Deadline) -> dict[str, Box]:
    """Every terminal field, by its full name (decoded as the field map writes names),
    walked iteratively: a loop in /Kids is met once, a deep or huge tree is refused."""
    boxes: dict[str, Box] = {}
    visited: set[int] = set()
    count = 0
    # (reference, parent's full name, inherited type, inherited value, depth)
    stack = [(ref, "", None, None, 0) for ref in reversed(acroform.get("/Fields") or [])]
    while stack:
        ref, parent, kind, value, depth = stack.pop()
        number = getattr(ref, "idnum", None)
        if number is not None:
            if number in visited:
                continue  # a field listed twice, or a loop back to an ancestor
            visited.add(number)
        count += 1
        if count > MAX_FIELDS:
            raise ImportProblem(TOO_MANY_FIELDS)
        if depth > MAX_FIELD_DEPTH:
            raise ImportProblem(
                "Les champs de ce PDF sont imbriqués bien trop profondément pour être ceux d'un "
                "CERFA : il n'est pas lu."
            )
        if count % 50 == 0:
            deadline.check()
        node = ref.get_object()
        if not hasattr(node, "get"):
            continue
        partial = node.get("/T")
        name = parent if partial is None else (f"{parent}.{partial}" if parent else str(partial))
        kind = node.get("/FT", kind)
        value = node.get("/V", value)
        kids = node.get("/Kids") or []
        named_kids = [k for k in kids if hasattr(k.get_object(), "get") and "/T" in k.get_object()]
        if named_kids:
            stack.extend((k, name, kind, value, depth + 1) for k in reversed(named_kids))
            continue
        if not name:
            continue
        boxes[decode_field_name(name)] = _box(decode_field_name(name), node, kids, kind, value)
    return boxes


def _box(name: str, node: Any, widgets: list, kind: Any, value: Any) -> Box:
    box = Box(name=name, kind=str(kind) if kind is not None else "")
    if box.kind == "/Btn":
        if value is not None:
            box.ticked = str(value) not in ("/Off", "Off", "")
        else:  # a tool may set only the widgets' appearance state
            states = [w.get_object().get("/AS") for w in widgets or [node]]
            box.ticked = any(s is not None and str(s) not in ("/Off", "Off", "") for s in states)
        return box
    if value is None:
        return box
    if hasattr(value, "get_object"):
        value = value.get_object()
    if isinstance(value, list):  # a list box allowing several choices: one text
        value = " ".join(str(v) for v in value)
    if isinstance(value, bytes):  # a string pypdf could not decode as text
        box.unreadable = True
        return box
    text = str(value)
    if len(text) > MAX_VALUE_CHARS:
        box.unreadable = True
        return box
    box.text = text
    return box
