"""``read_contract_file``: a dossier from a .json draft or from a filled CERFA PDF.

- **.json**: the dossier format v1, read by ``Dossier.from_json`` as every other reader of
  drafts (the wizard's « Reprendre » before issue 11, the command line).
- **Our PDF** (editable or flattened) carries its dossier as an embedded file
  (``cerfa/pdf/fill.py``): it is read as a .json is, so every value comes back exactly.
  If the boxes of an editable copy were changed afterwards in a PDF reader, the boxes win
  for what they show, and a note says which.
- **A 10103*14 filled by any tool**: its boxes read through ``pdf_template/field_map.json``
  (``forms.py``). **An older 10103*13, *12, *11 or *10**: the same through that version's
  map (``maps/``), with notes on what it has no box for and on codes whose lists changed.
- **A PDF without fields** (printed and scanned, or flattened by another tool): a French
  explanation, as for anything unreadable (``ImportProblem``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cerfa.pdf.fieldmap import FIELD_MAP, resolve
from cerfa.pdfimport import forms
from cerfa.pdfimport.limits import (
    MAX_JSON_BYTES,
    MAX_PDF_BYTES,
    Deadline,
    ImportProblem,
)
from cerfa.pdfimport.pdf import Box, read_pdf
from rules.dossier import Dossier, DossierError

EMBEDDED = "dossier intégré"
JSON_SOURCE = "dossier .json"

NO_FIELDS = (
    "Ce PDF n'a pas de champs de formulaire : il a sans doute été imprimé puis scanné, ou "
    "aplati par un autre outil, et ses valeurs ne peuvent pas être lues. Choisissez le PDF "
    "modifiable, le PDF téléchargé depuis ce service (il contient son dossier) ou le fichier "
    ".json."
)
UNKNOWN_FORM = (
    "Ce PDF a des champs de formulaire, mais ce ne sont pas ceux d'un CERFA 10103 (contrat "
    "d'apprentissage, versions *10 à *14) : il ne peut pas être lu. Choisissez le CERFA "
    "rempli (.pdf) ou le fichier .json du dossier."
)


@dataclass
class Imported:
    """A contract read back: its dossier (format v1), what to tell the user, from what."""

    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    source: str = JSON_SOURCE
    # The top-level keys of the .json or of the embedded dossier that format v1 does not
    # know (the hand-over record, ``rules/handover.py``), as they were: for whoever reads
    # them, without reading the file again.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def dossier(self) -> Dossier:
        return Dossier.from_dict(self.data)


def _kb(limit: int) -> str:
    return f"{limit // 1000} ko" if limit < 1_000_000 else f"{limit // 1_000_000} Mo"


def read_contract_file(content: bytes, filename: str = "") -> Imported:
    """The contract in ``content`` (a .json dossier or a filled CERFA PDF, told apart by
    their first bytes, the name only helping the message); ImportProblem otherwise."""
    if not content:
        raise ImportProblem(
            "Le fichier est vide : choisissez le contrat (.pdf) ou le dossier (.json)."
        )
    head = content[:1024].lstrip()
    is_pdf = b"%PDF-" in content[:1024] or filename.lower().endswith(".pdf")
    if is_pdf:
        if len(content) > MAX_PDF_BYTES:
            raise ImportProblem(
                f"Le PDF est trop gros (plus de {_kb(MAX_PDF_BYTES)}) : un CERFA rempli en fait "
                "moins de 1 Mo. Choisissez le contrat seul."
            )
        return _read_pdf(content)
    if len(content) > MAX_JSON_BYTES:
        raise ImportProblem(
            f"Le fichier est trop gros (plus de {_kb(MAX_JSON_BYTES)}) : un dossier .json en "
            "fait quelques-uns. Choisissez le fichier .json téléchargé depuis ce service ou "
            "le contrat .pdf."
        )
    if not head.startswith((b"{", b"\xef\xbb\xbf")) and not filename.lower().endswith(".json"):
        raise ImportProblem(
            "Ce fichier n'est ni un contrat PDF ni un dossier .json : choisissez le CERFA "
            "rempli (.pdf) ou le fichier .json téléchargé depuis ce service."
        )
    dossier = _dossier(content)
    return Imported(
        data=dossier.to_dict(),
        source=JSON_SOURCE,
        notes=_ignored(dossier),
        extra=_extra(content),
    )


def _extra(content: bytes) -> dict[str, Any]:
    """``Imported.extra`` of a JSON text that ``Dossier.from_json`` has read already (so
    it is valid, within bounds)."""
    tree = json.loads(content.decode("utf-8-sig") if isinstance(content, bytes) else content)
    known = set(Dossier.__dataclass_fields__) - {"ignored_keys"} | {"format"}
    return {k: v for k, v in tree.items() if k not in known} if isinstance(tree, dict) else {}


def _dossier(content: bytes) -> Dossier:
    try:
        return Dossier.from_json(content)
    except DossierError as exc:
        raise ImportProblem(str(exc)) from None
    except (ValueError, RecursionError):
        raise ImportProblem(
            "Le fichier n'a pas pu être lu comme un dossier : est-ce bien le fichier .json "
            "téléchargé depuis ce service ?"
        ) from None


def _ignored(dossier: Dossier) -> list[str]:
    """Keys the format does not know, which the rules report too (``ignored_keys``)."""
    keys = dossier.ignored_keys
    if not keys:
        return []
    return [
        "Ces informations du fichier ne font pas partie du format du dossier et sont "
        "ignorées : " + ", ".join(keys[:20]) + ("…" if len(keys) > 20 else "") + "."
    ]


def _read_pdf(content: bytes) -> Imported:
    deadline = Deadline()
    found = read_pdf(content, deadline)
    version = (
        forms.identify(found.boxes, found.page_text, found.page_digest) if found.boxes else None
    )
    if found.embedded is not None:
        try:
            dossier = Dossier.from_json(found.embedded)
        except (DossierError, ValueError, RecursionError):
            dossier = None
        if dossier is not None:
            imported = _with_edits(dossier, found.boxes if version is not None else {}, version)
            imported.extra = _extra(found.embedded)
            return imported
    if not found.boxes:
        raise ImportProblem(NO_FIELDS)
    if version is None:
        raise ImportProblem(UNKNOWN_FORM)
    deadline.check()
    reading = forms.read_boxes(version.entries, found.boxes)
    notes = []
    if found.embedded is not None or found.embedded_broken:
        notes.append(
            "Le dossier joint à ce PDF n'a pas pu être lu : les valeurs sont reprises des "
            "cases du formulaire."
        )
    notes += forms.missing_notes(version, reading) + reading.notes
    try:
        dossier = Dossier.from_dict(forms.to_tree(reading.values))
    except DossierError as exc:  # a value the boxes hold but the format refuses
        raise ImportProblem(str(exc)) from None
    if not any(reading.values.values()):
        notes.insert(0, f"Ce {version.source} est vide : aucune case n'est remplie.")
    return Imported(data=dossier.to_dict(), notes=notes, source=version.source)


def _shows(entry, dossier: Dossier, box: Box) -> bool:
    """Whether ``box`` shows what the filling wrote for ``dossier`` there."""
    expected = entry.value(dossier)
    if entry.is_checkbox:
        return box.ticked == (expected is True)
    return (box.text or "").strip() == (expected or "").strip()


def _with_edits(dossier: Dossier, boxes: dict[str, Box], version) -> Imported:
    """Our embedded dossier, and what the boxes of the editable copy show differently
    (typed into them in a PDF reader after the download): the boxes win there."""
    if version is None or version.entries is not FIELD_MAP or not boxes:
        return Imported(data=dossier.to_dict(), source=EMBEDDED)
    changed = [
        entry
        for entry in FIELD_MAP
        if entry.format != "reserved"
        and entry.name in boxes
        and not _shows(entry, dossier, boxes[entry.name])
    ]
    if not changed:
        return Imported(data=dossier.to_dict(), source=EMBEDDED)
    reading = forms.read_boxes(FIELD_MAP, boxes)
    paths = list(dict.fromkeys(p for e in changed for p in e.paths))
    # The embedded dossier holds what no box shows (the SMC…): start from it, and put
    # what the changed boxes now say (null for a box emptied or unreadable).
    tree = dossier.to_dict()
    for path in paths:
        if "[" not in path:
            _put(tree, path, reading.values.get(path))
    if any("[" in p for p in paths):
        grid = {}
        for entry in FIELD_MAP:
            for path in entry.paths:
                if "[" in path:
                    value = (
                        reading.values.get(path) if path in paths else _json(resolve(dossier, path))
                    )
                    if value is not None:
                        grid[path] = value
        tree["contrat"]["remunerations"] = (
            forms.to_tree(grid).get("contrat", {}).get("remunerations", [])
        )
    try:
        result = Dossier.from_dict(tree)
    except DossierError as exc:
        raise ImportProblem(str(exc)) from None
    labels = [f"« {forms.label(p)} »" for p in paths]
    notes = [
        "Des cases de ce PDF ont été modifiées après son téléchargement depuis ce service : "
        "leur nouvelle valeur est reprise pour " + ", ".join(labels) + "."
    ] + [n for n in reading.notes if any(lab in n for lab in labels)]
    return Imported(data=result.to_dict(), notes=notes, source=EMBEDDED)


def _put(tree: dict, path: str, value: Any) -> None:
    """``value`` at a plain dotted path of a dossier tree, making the objects and list
    places on the way (a null representant légal, a second maître not yet there)."""
    node: Any = tree
    *parents, last = path.split(".")
    for part, following in zip(parents, [*parents[1:], last], strict=True):
        if isinstance(node, list):
            index = int(part)
            while len(node) <= index:
                node.append({})
            if not isinstance(node[index], dict):
                node[index] = {}
            node = node[index]
        else:
            if not isinstance(node.get(part), dict | list):
                node[part] = [] if following.isdigit() else {}
            node = node[part]
    node[last] = value


def _json(value: Any) -> Any:
    """A dossier value as its JSON (format v1) form."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str))
