"""The filled CERFA carries its dossier (issue 11, item 1): an embedded JSON file, in the
editable and the flattened PDF, that every reader accepts (qpdf, poppler, pypdf strict)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from cerfa.pdf.fill import DOSSIER_FILE, fill_dossier
from rules.dossier import Dossier
from tests.helpers import DOSSIERS, load

# Debian's qpdf and poppler-utils (the Makefile's SYSTEM_PACKAGES installs them).
TOOLS = ("qpdf", "pdfinfo", "pdftoppm", "pdfdetach")


def run(
    tool: str, *args: str, data: bytes, tmp_path, after: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    assert shutil.which(tool), f"{tool} manque : make system-packages l'installe"
    path = tmp_path / "contrat.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [tool, *args, str(path), *after], capture_output=True, text=True, timeout=60, check=False
    )


def attachments(pdf: bytes) -> dict[str, list[bytes]]:
    return dict(PdfReader(io.BytesIO(pdf), strict=True).attachments)


@pytest.mark.parametrize("flatten", [False, True], ids=["modifiable", "aplati"])
@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.stem)
def test_the_pdf_carries_its_dossier_as_json(path, flatten):
    dossier = Dossier.from_json(path.read_text(encoding="utf-8"))
    files = attachments(fill_dossier(dossier, flatten=flatten).pdf)
    assert list(files) == [DOSSIER_FILE]
    (content,) = files[DOSSIER_FILE]
    assert content == dossier.to_json(indent=None).encode("utf-8")
    assert Dossier.from_json(content) == dossier


def test_without_the_dossier_nothing_is_attached():
    assert attachments(fill_dossier(load("exemple.json"), embed_dossier=False).pdf) == {}


@pytest.mark.parametrize("flatten", [False, True], ids=["modifiable", "aplati"])
def test_every_reader_accepts_the_pdf_with_its_dossier(flatten, tmp_path):
    pdf = fill_dossier(load("mineur-representant-legal.json"), flatten=flatten).pdf
    checked = run("qpdf", "--check", data=pdf, tmp_path=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr  # 3 would be warnings
    assert "No syntax or stream encoding errors" in checked.stdout
    info = run("pdfinfo", data=pdf, tmp_path=tmp_path)
    assert info.returncode == 0 and not info.stderr, info.stderr
    assert re.search(r"^Pages:\s+2$", info.stdout, re.MULTILINE), info.stdout
    listed = run("pdfdetach", "-list", data=pdf, tmp_path=tmp_path)
    assert listed.returncode == 0 and not listed.stderr, listed.stderr
    assert listed.stdout.splitlines() == ["1 embedded files", f"1: {DOSSIER_FILE}"]
    page = tmp_path / "page"
    rendered = run(
        "pdftoppm", "-r", "20", "-png", "-singlefile", data=pdf, tmp_path=tmp_path,
        after=(str(page),),
    )  # fmt: skip
    assert rendered.returncode == 0 and not rendered.stderr, rendered.stderr
    assert (tmp_path / "page.png").read_bytes().startswith(b"\x89PNG")


def test_the_attachment_is_typed_and_described():
    reader = PdfReader(io.BytesIO(fill_dossier(load("exemple.json")).pdf), strict=True)
    root = reader.trailer["/Root"]
    (spec,) = [ref.get_object() for ref in root["/AF"]]
    assert spec["/AFRelationship"] == "/Data"
    assert spec["/UF"] == DOSSIER_FILE
    stream = spec["/EF"]["/F"].get_object()
    assert stream["/Subtype"] == "/application/json"
    assert stream["/Params"]["/Size"] == len(stream.get_data())
    # The editable PDF keeps its form: the catalog gained /Names and /AF only.
    assert "/AcroForm" in root
