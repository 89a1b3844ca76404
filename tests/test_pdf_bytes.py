"""The filled PDF, byte for byte: every case gives exactly the bytes the first, slow filling
gave (issue 13). A faster filling must change nothing a reader could see, nor anything else.

The reference is not a PDF: a filled contract holds the whole official template, which is
never committed. ``tests/pdf_digests.json`` holds instead the SHA-256 of each case's output
(editable and flattened) and the problems the filling reported, as computed by the code of
the commit that added this file, before any speed work. The digests depend on the template:
with another template installed (its SHA-256 differs from ``template_sha256``) the test is
skipped and says so. Were the official form to change, the digests would be made again with
``python -m tests.test_pdf_bytes > tests/pdf_digests.json``, from a filling known to be
right (read back, rendered and looked at), never from whatever the code gives that day.

Since issue 11 a filled PDF carries its dossier (an embedded file, ``cerfa/pdf/fill.py``):
``editable`` and ``flattened`` are the digests of the PDFs as served, with the dossier, made
again by the command above once those PDFs had been checked (``qpdf --check``, poppler's
``pdfinfo``, ``pdftoppm`` and ``pdfdetach``, pypdf in strict mode: ``tests/test_pdf_embed.py``)
and looked at. ``editable_sans_dossier`` and ``flattened_sans_dossier`` are the digests of
the same filling without the embedded dossier: those are still the first, slow filling's,
unchanged, so that the embedding is shown to add to the update and change nothing else.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from cerfa.pdf.fill import fill_dossier
from cerfa.pdf.template import template_path
from rules.dossier import Dossier
from tests.helpers import DOSSIERS, EXAMPLE

DIGESTS = Path(__file__).parent / "pdf_digests.json"
SPEC_EXAMPLE = Path(__file__).resolve().parent.parent.parent / "shared/spec/example-dossier.json"

# Beyond the fixtures, what the fixtures do not reach: strings to escape (parentheses,
# backslash), Windows-1252 characters outside Latin-1 (€, —, ‰), characters the font cannot
# draw (Ł, a control character), a tab, texts set smaller than 8 pt, a text too long.
VARIANTS: dict[str, dict[str, str]] = {
    "caracteres-speciaux": {
        "employeur.denomination": "Société (Test) \\ «Élan» — 50 € ‰ ) ((",
        "employeur.adresse.commune": "Łódź",
        "apprenti.adresse.voie": "rue de la Paix\x07",
        "apprenti.commune_naissance": "Saint-Étienne\ttab",
    },
    "textes-longs": {
        "employeur.denomination": "W" * 200,
        "employeur.adresse.voie": "avenue du Maréchal de Lattre de Tassigny prolongée",
        "apprenti.nom_naissance": "M" * 60,
        "employeur.code_ape": "WWWWWW",
    },
}


def variant(changes: dict[str, str]) -> str:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for path, value in changes.items():
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node[part]
        node[last] = value
    return json.dumps(data, ensure_ascii=False)


def cases() -> dict[str, str]:
    """Case name → dossier JSON: every fixture, the spec's example, the variants."""
    found = {path.stem: path.read_text(encoding="utf-8") for path in DOSSIERS}
    if SPEC_EXAMPLE.is_file():
        found["spec:example-dossier"] = SPEC_EXAMPLE.read_text(encoding="utf-8")
    found.update({f"variante:{name}": variant(changes) for name, changes in VARIANTS.items()})
    return found


def outcome(text: str) -> dict[str, object]:
    dossier = Dossier.from_json(text)
    editable = fill_dossier(dossier)
    flattened = fill_dossier(dossier, flatten=True)
    assert flattened.problems == editable.problems
    bare = fill_dossier(dossier, embed_dossier=False)
    bare_flattened = fill_dossier(dossier, flatten=True, embed_dossier=False)
    return {
        "editable": hashlib.sha256(editable.pdf).hexdigest(),
        "flattened": hashlib.sha256(flattened.pdf).hexdigest(),
        "editable_sans_dossier": hashlib.sha256(bare.pdf).hexdigest(),
        "flattened_sans_dossier": hashlib.sha256(bare_flattened.pdf).hexdigest(),
        "problems": [p.to_dict() for p in editable.problems],
    }


def template_sha256() -> str:
    path = template_path()
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "(absent)"


def reference() -> dict:
    return json.loads(DIGESTS.read_text(encoding="utf-8"))


def test_every_case_has_a_reference():
    missing = set(cases()) - set(reference()["cases"])
    assert not missing, f"no reference digests for {sorted(missing)} (see this module's docstring)"


@pytest.mark.parametrize("name", sorted(cases()))
def test_the_bytes_are_those_of_the_reference(name):
    expected = reference()
    installed = template_sha256()
    if installed != expected["template_sha256"]:
        pytest.skip(
            f"the installed template ({installed}) is not the one the digests were made with "
            f"({expected['template_sha256']}): the filled bytes cannot be compared"
        )
    assert outcome(cases()[name]) == expected["cases"][name]


if __name__ == "__main__":
    json.dump(
        {
            "template_sha256": template_sha256(),
            "cases": {name: outcome(text) for name, text in sorted(cases().items())},
        },
        sys.stdout,
        ensure_ascii=False,
        indent=1,
    )
    sys.stdout.write("\n")
