"""The documents' shared layout (cerfa/documents/pdfdoc.py) breaks and places text as
fpdf2's own ``multi_cell`` and ``table`` would, from the same lean fonts as django-dsfr's."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess

import pytest
from fontTools.ttLib import TTFont
from fpdf import FontFace
from fpdf.enums import Align, MethodReturnValue, TableBordersLayout, XPos, YPos
from pypdf import PdfReader

from cerfa.documents import pdfdoc
from cerfa.documents.pdfdoc import FAMILY, FONT_FILES, FONTS, Cell, document
from tests.server import unavailable

NBSP = "\u00a0"


def random_text(rng: random.Random) -> str:
    """Words as the documents have them: accents, « » with a no-break space, a newline,
    two spaces, now and then a word longer than any line."""
    letters = "abcdeéèfghijklmnopqrstuàâçôœvwxyzABCDÉ’0123456789,.;:()/€-"
    words = []
    for _ in range(rng.randint(0, 60)):
        roll = rng.random()
        if roll < 0.03:
            words.append("Anticonstitutionnellement" * rng.randint(2, 8))
        elif roll < 0.06:
            words.append("\n")
        elif roll < 0.08:
            words.append("")  # two spaces in a row
        elif roll < 0.11:
            words.append(f"«{NBSP}{rng.choice(letters) * 3}{NBSP}»")
        else:
            words.append("".join(rng.choice(letters) for _ in range(rng.randint(1, 14))))
    text = " ".join(words)
    return text.replace(" \n ", "\n") if rng.random() < 0.5 else text


def test_lines_are_multi_cells_lines():
    rng = random.Random(12)
    pdf = document("Essai", "Essai")
    for _ in range(400):
        style, size = rng.choice(["", "B"]), rng.choice([8, 9, 10, 13, 18])
        width = rng.uniform(40, pdf.epw)
        text = random_text(rng)
        pdf.set_font(FAMILY, style, size)
        expected = pdf.multi_cell(
            width, size * 1.35, text, dry_run=True, output=MethodReturnValue.LINES
        )
        lines = pdf.lines(text, width - 2 * pdf.c_margin, style, size)
        # multi_cell says a no-break space as a space, as our lines are written
        assert [line.replace(NBSP, " ") for line in lines] == expected, (text, width)
    pdf.output()  # which closes its font files


def words(pdf: bytes, tmp_path) -> list[tuple[int, float, float, str]]:
    """Each word pdftotext reads: its page, its left and bottom edges (to 0.1 pt), its text."""
    if shutil.which("pdftotext") is None:
        unavailable("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    found, page = [], 0
    for line in out.splitlines():
        page += "<page " in line
        m = re.search(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">(.*)</', line
        )
        if m:
            x, y = (round(float(m.group(i)), 1) for i in (1, 2))
            found.append((page, x, y, m.group(3)))
    return found


TEXTS = [
    "Le contrat commence le 01/09/2027 ; la date limite d’envoi est le 07/09/2027. " * 6,
    "Un nom très long : " + "Anticonstitutionnellement" * 12 + " puis la suite.",
    "Deux lignes\nséparées par un retour, « entre guillemets » et 750 €.",
]


def test_paragraphs_are_where_multi_cell_puts_them(tmp_path):
    """The same words, on the same pages, at the same places, page breaks included."""

    def ours():
        pdf = document("Essai", "Essai")
        for i in range(30):
            pdf.paragraph(TEXTS[i % 3], "B" if i % 4 == 0 else "", 8 + i % 3, indent=12 * (i % 2))
        return bytes(pdf.output())

    def fpdf2s():
        pdf = document("Essai", "Essai")
        for i in range(30):
            size = 8 + i % 3
            pdf.set_font(FAMILY, "B" if i % 4 == 0 else "", size)
            pdf.set_text_color(0)
            pdf.set_x(pdf.l_margin + 12 * (i % 2))
            pdf.multi_cell(
                pdf.epw - 12 * (i % 2),
                size * 1.35,
                TEXTS[i % 3],
                align=Align.L,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        return bytes(pdf.output())

    mine, theirs = words(ours(), tmp_path), words(fpdf2s(), tmp_path)
    assert len({page for page, *_ in mine}) > 1  # a page break between lines
    assert mine == theirs


def test_a_grid_is_where_fpdf2s_table_puts_it(tmp_path):
    rows = [
        ("Période", "Du", "Montant"),
        ("Année 1", "01/09/2027", "783,91 €"),
        ("Une étape au nom bien plus long que sa colonne " * 3, "02/09/2027", "1 112,05 €"),
    ] * 12  # past a page: the headings repeated

    def ours():
        pdf = document("Essai", "Essai")
        pdf.ln(500)
        pdf.grid(
            (30, 30, 40),
            [rows[0], *rows[1:], (Cell("Total", span=2, bold=True), Cell("9,00 €", bold=True))],
            ("LEFT", "LEFT", "RIGHT"),
            headings=True,
        )
        return bytes(pdf.output())

    def fpdf2s():
        pdf = document("Essai", "Essai")
        pdf.ln(500)
        pdf.set_font(FAMILY, "", 9)
        pdf.set_text_color(0)
        with pdf.table(
            col_widths=(30, 30, 40),
            text_align=("LEFT", "LEFT", "RIGHT"),
            width=pdf.epw,
            align="LEFT",
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            headings_style=FontFace(emphasis="BOLD"),
            line_height=12,
            padding=(2, 3),
        ) as table:
            for row in [rows[0], *rows[1:]]:
                table.row(row)
            row = table.row()
            row.cell("Total", colspan=2, style=FontFace(emphasis="BOLD"))
            row.cell("9,00 €", style=FontFace(emphasis="BOLD"))
        return bytes(pdf.output())

    mine, theirs = words(ours(), tmp_path), words(fpdf2s(), tmp_path)
    assert len({page for page, *_ in mine}) > 2
    assert mine == theirs


@pytest.mark.parametrize("style", FONT_FILES)
def test_the_lean_fonts_keep_every_character_and_its_glyph(style):
    with (
        TTFont(str(FONTS / f"{FAMILY}-{FONT_FILES[style]}.woff")) as original,
        TTFont(pdfdoc._fonts().paths[style]) as lean,
    ):
        assert lean.getBestCmap().keys() == original.getBestCmap().keys()
        assert not {"GSUB", "GPOS", "GDEF"} & set(lean.keys())
        for code, name in original.getBestCmap().items():
            new_name = lean.getBestCmap()[code]
            assert lean["hmtx"][new_name] == original["hmtx"][name], chr(code)
            old, new = original["glyf"][name], lean["glyf"][new_name]
            assert new.getCoordinates(lean["glyf"])[0] == old.getCoordinates(original["glyf"])[0]


def test_the_bench_times_each_pdf_alone_against_its_target():
    """``make bench``'s rows for the three PDFs (their figures are not judged here)."""
    from cerfa.documents.bench import DOCUMENT_MS, FINDINGS_MS, pdf_rows

    rows = pdf_rows(count=1, rounds=1)
    assert [row.what.split(" (")[0] for row in rows] == [
        "PDF « points à vérifier » seul",
        "PDF « points à vérifier » seul",
        "PDF convention de formation seul",
        "PDF « Et maintenant ? » seul",
    ]
    assert [row.target for row in rows] == [f"≤ {FINDINGS_MS:.0f} ms"] * 2 + [
        f"≤ {DOCUMENT_MS:.0f} ms"
    ] * 2
    assert all(isinstance(row.met, bool) and row.figure.endswith(" ms") for row in rows)
    assert "(brouillon-incomplet.json, " in rows[1].what  # the most findings


def test_without_a_temporary_directory_the_documents_read_django_dsfrs_fonts(monkeypatch):
    def refused(**kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(pdfdoc, "_LEAN", [])
    monkeypatch.setattr(pdfdoc.tempfile, "mkdtemp", refused)
    assert all(path.endswith(".woff") for path in pdfdoc._fonts().paths.values())
    pdf = document("Essai", "Essai")
    pdf.paragraph("Élève, maître, « Cœur », 5 €.")
    reader = PdfReader(io.BytesIO(bytes(pdf.output())), strict=True)
    assert "Élève, maître, « Cœur », 5 €." in reader.pages[0].extract_text()
    assert len(reader.pages[0]["/Resources"]["/Font"]) == 1  # the regular style used alone
