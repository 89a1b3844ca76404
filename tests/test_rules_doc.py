"""docs/regles.md is what rules/docs.py writes from the registry: it cannot drift."""

import pytest

from rules import docs
from rules.engine import load_rules
from rules.registry import RULES, Rule


def test_the_committed_file_is_what_the_generator_writes():
    expected = docs.render()
    committed = docs.OUTPUT.read_text(encoding="utf-8") if docs.OUTPUT.exists() else ""
    assert committed == expected, (
        f"docs/regles.md n'est pas à jour avec le registre des règles : lancez {docs.COMMAND} "
        "et validez le fichier."
    )


def test_every_rule_is_listed_once_with_its_level_and_source():
    load_rules()
    text = docs.render()
    for code, registered in RULES.items():
        rows = [line for line in text.splitlines() if line.startswith(f"| `{code}` |")]
        assert len(rows) == 1, code
        assert docs.LEVEL_LABELS[registered.level] in rows[0]
        assert docs._cell(registered.reference) in rows[0]


def test_a_rule_without_a_french_summary_stops_the_generator(monkeypatch):
    load_rules()
    ghost = Rule("contrat.fantome", "warning", "C. trav. art. L0000-0", lambda d, ctx: ())
    monkeypatch.setitem(RULES, "contrat.fantome", ghost)
    with pytest.raises(docs.DocError, match="contrat.fantome n'a pas de résumé"):
        docs.render()


def test_a_summary_without_its_rule_stops_the_generator(monkeypatch):
    monkeypatch.setitem(docs.SUMMARIES, "contrat.disparue", "Une règle retirée.")
    with pytest.raises(docs.DocError, match="contrat.disparue"):
        docs.render()


def test_families_take_the_box_or_the_person_from_the_rule():
    load_rules()
    assert docs.summary("apprenti.sexe.hors_liste", RULES["apprenti.sexe.hors_liste"]) == (
        "La case « Sexe » ne prend qu'un code de la liste de la notice."
    )
    assert "du représentant légal" in docs.summary(
        "apprenti.representant_legal.courriel.format",
        RULES["apprenti.representant_legal.courriel.format"],
    )
    # A family suffix on an unknown person is no summary.
    stray = Rule("inconnu.siret.format", "error", "INSEE", lambda d, ctx: ())
    assert docs._family_summary("inconnu.siret.format", stray) is None


def test_a_cell_is_one_line_with_its_pipes_escaped():
    assert docs._cell("a | b\n  c") == "a \\| b c"


def test_check_mode_says_the_command_when_the_file_differs(tmp_path, monkeypatch, capsys):
    target = tmp_path / "regles.md"
    monkeypatch.setattr(docs, "OUTPUT", target)
    assert docs.main(["--check"]) == 1
    assert docs.COMMAND in capsys.readouterr().err
    assert docs.main([]) == 0
    assert target.read_text(encoding="utf-8") == docs.render()
    assert docs.main(["--check"]) == 0
