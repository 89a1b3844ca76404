"""The "points à vérifier" PDF lists every finding, errors first, readable by any viewer."""

import io

from pypdf import PdfReader

from cerfa.pdf.findings_pdf import findings_pdf
from rules.findings import Finding


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
