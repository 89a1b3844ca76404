"""The "points à vérifier" PDF lists every finding, errors first, readable by any viewer."""

import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import BooleanObject

from cerfa.checks import findings_for
from cerfa.pdf.findings_pdf import MARGIN, findings_pdf
from rules.findings import Finding
from rules.timeline import timeline_for
from tests.helpers import load
from tests.server import unavailable


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_lists_findings_by_level_with_fields_and_sources():
    findings = [
        Finding(
            "info",
            "a.b",
            ("formation.code_diplome",),
            "Le code diplôme est « en attente ».",
            "Notice",
        ),
        Finding(
            "error", "c.d", ("apprenti.nir",), "La clé du NIR ne correspond pas.", "C. séc. soc."
        ),
    ]
    text = text_of(findings_pdf(findings, "Inès Moreau"))
    assert "Inès Moreau" in text
    assert text.index("À corriger avant l’envoi (1)") < text.index("Pour information (1)")
    assert "La clé du NIR ne correspond pas." in text
    assert "apprenti.nir — C. séc. soc." in text
    assert "« en attente »" in text


def test_many_findings_flow_onto_numbered_pages():
    findings = [Finding("warning", f"w{i}", ("x",), "Un point " * 30, "") for i in range(60)]
    reader = PdfReader(io.BytesIO(findings_pdf(findings)))
    count = len(reader.pages)
    assert count > 1
    assert f"Page {count} / {count}" in reader.pages[-1].extract_text()


def test_no_finding_says_so():
    assert "Aucun point à vérifier" in text_of(findings_pdf([]))


# -- what any reader gets: the page box, the language, the typeface --------------------------


def words_of(pdf: bytes, folder: Path) -> list[tuple[float, float, float, float, float, str]]:
    """Each word pdftotext reads, with its page's width and its box (x and y, min and max)."""
    if shutil.which("pdftotext") is None:
        unavailable("pdftotext (poppler-utils) is not installed")
    path = folder / "points.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    found = []
    for page in ET.fromstring(html).iter("{http://www.w3.org/1999/xhtml}page"):
        width = float(page.get("width"))
        for word in page.iter("{http://www.w3.org/1999/xhtml}word"):
            box = [float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            found.append((width, *box, word.text))
    return found


def assert_within_margins(pdf: bytes, folder: Path) -> list[str]:
    found = words_of(pdf, folder)
    for width, x_min, _, x_max, _, text in found:
        assert MARGIN - 1 <= x_min and x_max <= width - MARGIN + 1, text
    return [text for *_, text in found]


def test_a_word_longer_than_a_line_is_cut_within_the_margins(tmp_path):
    word = "Anticonstitutionnellement" * 12  # 300 characters
    assert len(word) == 300
    finding = Finding("warning", "long", ("apprenti.nom",), f"Le nom {word} est long.", "")
    pdf = findings_pdf([finding], f"Apprenti : {word}")
    words = assert_within_margins(pdf, tmp_path)
    assert "".join(words).count(word) == 2  # every letter kept, in order, in the subject too
    assert len([w for w in words if w.startswith("Anticonstitution")]) > 2  # cut in lines


def test_every_word_of_the_example_is_inside_the_page(tmp_path):
    d = load("exemple.json")
    pdf = findings_pdf(findings_for(d), "Apprenti : Inès Moreau", timeline=timeline_for(d))
    words = assert_within_margins(pdf, tmp_path)
    assert "Total" in words and "Inès" in words


def test_says_its_language_and_title_and_lists_its_headings():
    findings = [
        Finding("error", "a", (), "Un point.", ""),
        Finding("info", "b", (), "Un autre.", ""),
    ]
    reader = PdfReader(io.BytesIO(findings_pdf(findings)), strict=True)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr-FR"
    assert reader.metadata.title == "Points à vérifier sur le contrat d’apprentissage"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(
        True
    )  # the title, not the file
    assert root["/PageMode"] == "/UseOutlines"
    [title, headings] = reader.outline
    assert title.title == reader.metadata.title
    assert [h.title for h in headings] == ["À corriger avant l’envoi (1)", "Pour information (1)"]


def test_french_typography_is_printed_and_extractable(tmp_path):
    message = "L’œuvre « Cœur » coûte 5 € ; Élève, maître, garçon, âgé."
    pdf = findings_pdf([Finding("warning", "t", (), message, "")])
    assert message in text_of(pdf)
    assert message in " ".join(assert_within_margins(pdf, tmp_path))


def test_a_character_the_typeface_lacks_is_said_with_one_it_has():
    reference = "kit apprentissage (code diplôme ↔ RNCP) ☃"
    text = text_of(findings_pdf([Finding("info", "t", ("x",), "Un point.", reference)]))
    assert "x — kit apprentissage (code diplôme / RNCP) ?" in text


def test_fonts_are_embedded_as_the_truetype_programs_they_declare():
    """A CFF typeface (as Marianne) would be embedded as TrueType by fpdf2: broken for
    Poppler. Every font program here is a TrueType one, as its /FontFile2 entry says."""
    reader = PdfReader(io.BytesIO(findings_pdf([Finding("info", "t", ("x",), "Point.", "Y")])))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert len(fonts) == 2  # regular and bold
    for font in fonts.values():
        [descendant] = font.get_object()["/DescendantFonts"]
        descriptor = descendant.get_object()["/FontDescriptor"]
        assert descendant.get_object()["/Subtype"] == "/CIDFontType2"
        assert descriptor["/FontFile2"].get_object().get_data()[:4] == b"\x00\x01\x00\x00"
