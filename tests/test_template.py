"""The template: obtained at install time, checked, and refused when it is not CERFA 10103*14."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from cerfa.pdf import template
from cerfa.pdf.fill import Template, fill_dossier
from cerfa.pdf.template import TemplateError, install, verify


@pytest.fixture(scope="module")
def official() -> bytes:
    return template.template_path().read_bytes()


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF printing ``text`` in Helvetica, with no form: another document."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.text(72, 120, text)
    return bytes(pdf.output())


def renamed_field(data: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    widget = writer.pages[0]["/Annots"][0].get_object()
    widget[NameObject("/T")] = TextStringObject("Champ inconnu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_official_template_passes(official):
    reader = verify(official)
    assert len(reader.get_fields()) == 216


def test_another_cerfa_version_is_refused():
    with pytest.raises(TemplateError) as caught:
        verify(minimal_pdf("Contrat d'apprentissage N\xb0 10103*12"))
    assert "n'est pas le CERFA 10103*14 (on y lit : 10103*12)" in str(caught.value)


def test_a_pdf_of_another_kind_is_refused():
    with pytest.raises(TemplateError, match="aucun numéro de CERFA lisible"):
        verify(minimal_pdf("Facture"))


def test_same_number_other_fields_is_refused(official):
    with pytest.raises(TemplateError, match="ses champs ne sont pas ceux du formulaire officiel"):
        verify(renamed_field(official))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 3],
        lambda data: data[:2000] + b"\x00" * 5000 + data[7000:20000],
        lambda data: b"%PDF-1.7\n" + b"garbage" * 100,
        lambda data: b"<html>Page introuvable</html>",
    ],
    ids=["truncated", "zeroed", "garbage", "html"],
)
def test_a_corrupted_file_is_refused_in_one_line(official, damage):
    with pytest.raises(TemplateError) as caught:
        verify(damage(official))
    assert "\n" not in str(caught.value)


def test_install_copies_a_checked_file_and_is_idempotent(tmp_path, official):
    source = tmp_path / "source.pdf"
    source.write_bytes(official)
    target = tmp_path / "installed" / "cerfa.pdf"
    assert "installé" in install(str(source), target)
    assert target.read_bytes() == official
    assert "déjà en place" in install(str(source), target)


def test_install_refuses_a_wrong_file_and_keeps_nothing(tmp_path):
    source = tmp_path / "other.pdf"
    source.write_bytes(minimal_pdf("10103*13"))
    target = tmp_path / "cerfa.pdf"
    with pytest.raises(TemplateError):
        install(str(source), target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_install_names_a_missing_source(tmp_path):
    with pytest.raises(TemplateError, match="introuvable"):
        install(str(tmp_path / "absent.pdf"), tmp_path / "cerfa.pdf")


def test_install_without_network_says_what_to_do(tmp_path, monkeypatch):
    import requests

    def refuse(*args, **kwargs):
        raise requests.ConnectionError("no network in tests")

    monkeypatch.setattr(requests, "get", refuse)
    with pytest.raises(TemplateError, match="CERFA_TEMPLATE_SOURCE"):
        install("https://example.invalid/cerfa.pdf", tmp_path / "cerfa.pdf")


def test_missing_template_is_a_clear_error(tmp_path):
    with pytest.raises(TemplateError, match="make install"):
        Template.get(tmp_path / "absent.pdf")


def test_official_address_answering_a_page_says_how_to_do_without(tmp_path, monkeypatch):
    import requests

    class Page:
        content = b"<html>Formulaire en maintenance</html>"

        def raise_for_status(self):
            return None

    monkeypatch.delenv("CERFA_TEMPLATE_SOURCE", raising=False)
    monkeypatch.setattr(requests, "get", lambda *args, **kwargs: Page())
    with pytest.raises(TemplateError) as caught:
        install(None, tmp_path / "cerfa.pdf")
    message = str(caught.value)
    assert "n'est pas un fichier PDF" in message and "CERFA_TEMPLATE_SOURCE=" in message
    assert "\n" not in message
    assert not (tmp_path / "cerfa.pdf").exists()


class _Answer:
    def __init__(self, content: bytes):
        self.content = content

    def raise_for_status(self):
        return None


def test_install_replaces_a_damaged_template_instead_of_refusing_forever(
    tmp_path, monkeypatch, official
):
    """« make install » is the cure its own error message prescribes: a damaged file in
    place is fetched again, not verified and refused at every run."""
    import requests

    target = tmp_path / "cerfa.pdf"
    target.write_bytes(official[: len(official) // 2])
    monkeypatch.delenv("CERFA_TEMPLATE_SOURCE", raising=False)
    monkeypatch.setattr(requests, "get", lambda *args, **kwargs: _Answer(official))
    assert "installé" in install(None, target)
    assert target.read_bytes() == official


def test_install_with_a_template_in_place_does_not_download_again(tmp_path, monkeypatch, official):
    """Idempotent without network: with CERFA_TEMPLATE_SOURCE an address, every
    « make test » downloaded the form again, and failed offline."""
    import requests

    target = tmp_path / "cerfa.pdf"
    target.write_bytes(official)

    def refuse(*args, **kwargs):
        raise requests.ConnectionError("no network in tests")

    monkeypatch.setattr(requests, "get", refuse)
    assert "déjà en place" in install("https://example.invalid/cerfa.pdf", target)


def test_install_that_cannot_write_says_so_and_leaves_no_partial_file(
    tmp_path, monkeypatch, official
):
    source = tmp_path / "source.pdf"
    source.write_bytes(official)
    folder = tmp_path / "installed"

    def refuse(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(template.os, "replace", refuse)
    with pytest.raises(TemplateError) as caught:
        install(str(source), folder / "cerfa.pdf")
    assert "Permission denied" in str(caught.value) and "\n" not in str(caught.value)
    assert list(folder.iterdir()) == []


# -- the description cached beside the installed template ---------------------------------


def test_install_describes_the_template_beside_it(tmp_path, official):
    source = tmp_path / "source.pdf"
    source.write_bytes(official)
    target = tmp_path / "installed" / "cerfa.pdf"
    install(str(source), target)
    cache = template.cache_path(target)
    assert cache.parent == target.parent and cache.name.endswith(".cache.json")
    assert template.cache_is_current(target, official)
    data, described = template.load(target)
    assert data == official and described == template.describe(official)


def test_a_template_in_place_without_its_cache_gets_one(tmp_path, official):
    target = tmp_path / "cerfa.pdf"
    target.write_bytes(official)
    assert "déjà en place" in install(None, target)
    assert template.cache_is_current(target, official)


def _fill_from(path):
    from tests.helpers import load

    return fill_dossier(load("exemple.json"), template=Template(*template.load(path))).pdf


@pytest.mark.parametrize(
    "spoil",
    [
        lambda text: text.replace('"template_sha256": "', '"template_sha256": "0'),
        lambda text: text.replace('"format": ', '"format": 1000'),
        lambda text: text[: len(text) // 2],
        lambda text: "[]",
    ],
    ids=["other-template", "other-format", "truncated", "not-a-cache"],
)
def test_a_cache_that_is_not_this_templates_is_ignored(tmp_path, official, monkeypatch, spoil):
    target = tmp_path / "cerfa.pdf"
    target.write_bytes(official)
    install(None, target)
    expected = _fill_from(target)
    cache = template.cache_path(target)
    cache.write_text(spoil(cache.read_text()))
    assert not template.cache_is_current(target, official)
    described = []
    real = template.describe
    monkeypatch.setattr(template, "describe", lambda data: described.append(1) or real(data))
    assert _fill_from(target) == expected
    assert described == [1]  # described again, from the template itself


def test_a_changed_field_map_makes_the_cache_stale(tmp_path, official, monkeypatch):
    target = tmp_path / "cerfa.pdf"
    target.write_bytes(official)
    install(None, target)
    monkeypatch.setattr(template, "MAP_DIGEST", "0" * 64)
    assert not template.cache_is_current(target, official)


def test_a_process_fills_from_the_cache_without_pypdf(tmp_path, official):
    """What the template gives is read from the cache: no PDF parser is imported, and the
    form's text is not extracted again for the version check."""
    target = tmp_path / "cerfa.pdf"
    target.write_bytes(official)
    install(None, target)
    probe = (
        "import sys\n"
        "from cerfa.pdf.fill import fill_dossier\n"
        "from rules.dossier import Dossier\n"
        "text = open('tests/fixtures/dossiers/exemple.json', encoding='utf-8').read()\n"
        "result = fill_dossier(Dossier.from_json(text))\n"
        "print(len(result.pdf), sorted(m for m in sys.modules if m.split('.')[0] == 'pypdf'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=Path(__file__).parent.parent,
        env={**os.environ, "CERFA_TEMPLATE_PATH": str(target)},
        capture_output=True,
        text=True,
        check=True,
    )
    size, modules = done.stdout.split(" ", 1)
    assert int(size) > len(official) and modules.strip() == "[]"
