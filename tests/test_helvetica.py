"""Helvetica's widths as a committed table (cerfa/pdf/helvetica.py), instead of a private
pypdf module. The byte-for-byte fills of tests/test_pdf_bytes.py measure with it."""

from __future__ import annotations

import re
from pathlib import Path

from fpdf.fonts import CORE_FONTS_CHARWIDTHS

from cerfa.pdf import helvetica, template

ROOT = Path(__file__).resolve().parent.parent

AFM = """StartFontMetrics 4.1
Comment Copyright (c) 1997 Adobe Systems Incorporated.  All Rights Reserved.
FontName Helvetica
StartCharMetrics 4
C 32 ; WX 278 ; N space ; B 0 0 0 0 ;
C 65 ; WX 667 ; N A ; B 14 0 654 718 ;
C -1 ; WX 556 ; N eacute ; B 36 -15 530 734 ;
C -1 ; WX 944 ; N oe ; B 35 -15 902 538 ;
EndCharMetrics
EndFontMetrics
"""


def test_the_table_agrees_with_fpdf2s_metrics_of_the_same_font():
    """A second source: fpdf2 carries Helvetica's widths by Windows-1252 code. Every
    character of that code page that Helvetica draws has the same width in both."""
    widths = helvetica.widths()
    fpdf2 = CORE_FONTS_CHARWIDTHS["helvetica"]
    compared = 0
    for code in range(32, 256):
        char = bytes([code]).decode("cp1252", errors="ignore")
        if char and char in widths:
            assert widths[char] == fpdf2[chr(code)], (char, widths[char], fpdf2[chr(code)])
            compared += 1
    assert compared >= 210  # the whole printable code page but its 5 undefined codes


def test_the_table_holds_adobes_315_characters_and_a_default():
    widths = helvetica.widths()
    assert len(widths) == 315 + 1
    assert widths["default"] == helvetica.DEFAULT == 556
    assert widths["A"] == 667 and widths["œ"] == 944 and widths["€"] == 556
    assert widths["Ł"] == 556 and widths["ź"] == 500  # beyond Windows-1252: still measured


def test_the_table_says_its_source_and_keeps_adobes_notice():
    text = helvetica.PATH.read_text(encoding="utf-8")
    assert "# copyright: " + helvetica.ADOBE_NOTICE in text
    assert "# licence: " + helvetica.ADOBE_PERMISSION in text
    assert "# modification: " in text


def test_the_table_is_rebuilt_from_an_afm_file(tmp_path):
    afm = tmp_path / "Helvetica.afm"
    afm.write_text(AFM, encoding="ascii")
    found = helvetica.from_afm(afm)
    assert found == {" ": 278, "A": 667, "é": 556, "œ": 944}
    rendered = helvetica.render(found, afm.name)
    assert "0020\t278\n0041\t667\n00E9\t556\n0153\t944\n" in rendered
    assert "Helvetica.afm" in rendered


def test_the_template_tables_come_from_the_committed_table():
    tables = template.text_tables()
    assert tables["helvetica"] == helvetica.widths()
    assert tables["pdfdoc"]["é"] == 0xE9 and tables["pdfdoc"]["€"] == 0xA0


def test_no_module_imports_a_private_pypdf_module():
    pattern = re.compile(r"^\s*(from|import)\s+pypdf\._", re.MULTILINE)
    for folder in ("cerfa", "rules"):
        for path in (ROOT / folder).rglob("*.py"):
            assert not pattern.search(path.read_text(encoding="utf-8")), path
