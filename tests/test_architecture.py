"""Cheap tests that guard the project's invariants."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from cerfa.pdf import template
from cerfa.pdf.fieldmap import FIELD_MAP, MapEntry, decode_field_name
from cerfa.pdf.template import TemplateError, verify

ROOT = Path(__file__).parent.parent


def test_every_template_field_is_mapped_exactly_once():
    from pypdf import PdfReader

    reader = PdfReader(template.template_path())
    names = [decode_field_name(str(n)) for n in reader.get_fields()]
    mapped = [entry.name for entry in FIELD_MAP]
    assert len(names) == 216
    assert len(mapped) == len(set(mapped)), "a field is mapped twice"
    assert sorted(mapped) == sorted(names)


def test_a_mapped_name_missing_from_the_template_fails(monkeypatch):
    data = template.template_path().read_bytes()
    ghost = MapEntry(name="Zone de texte fantôme", page=1, path="apprenti.nom_usage", format="text")
    monkeypatch.setattr(template, "FIELD_MAP", (*FIELD_MAP, ghost))
    with pytest.raises(TemplateError, match="1 champ"):
        verify(data)


def test_checkbox_formats_match_checkbox_fields():
    expected = template.expected_fingerprint()
    found = template.fingerprint(verify(template.template_path().read_bytes()))
    assert found == expected


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path", sorted((ROOT / "rules").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_rules_import_nothing_from_django_or_cerfa(path):
    for name in _imports(path):
        assert not name.startswith(("django", "cerfa", "formtools", "dsfr")), (
            f"{path} imports {name}"
        )


def test_rules_run_without_django_loaded():
    code = (
        "import sys, rules.engine, rules.dossier;"
        "from rules.engine import check;"
        "from rules.dossier import Dossier;"
        "check(Dossier());"
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_every_rule_has_a_code_a_level_a_reference_a_docstring_and_tests():
    from rules.codes import FIELD_TABLES
    from rules.engine import load_rules
    from rules.registry import RULES

    load_rules()
    tests_text = "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py")
    )
    # One "code outside its list" rule per coded field: tests/rules/test_identifier_rules.py
    # builds a failing case for each from the same table.
    tests_text += "\n".join(f'"{p.replace(".*", "")}.hors_liste"' for p in FIELD_TABLES)
    assert len(RULES) > 100
    problems = []
    for code, registered in RULES.items():
        if not registered.reference.strip():
            problems.append(f"{code}: no reference")
        if not (registered.check.__doc__ or "").strip():
            problems.append(f"{code}: no docstring naming its source")
        if f'"{code}"' not in tests_text and f"'{code}'" not in tests_text:
            problems.append(f"{code}: never named in a test")
    assert problems == []
