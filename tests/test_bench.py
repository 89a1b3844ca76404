"""``make bench`` measures what it says: its pieces, checked without timing anything."""

from __future__ import annotations

import sys

import pytest

from cerfa.pdf import bench, fill
from cerfa.pdf.bench_served import WizardForm
from tests.helpers import DOSSIERS, load


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("path", DOSSIERS[:3], ids=lambda p: p.stem)
def test_the_floor_writes_the_very_update_filling_writes(path, flatten):
    dossier = load(path.name)
    update, problems = fill._update_for(dossier, flatten, fill.Template.get())
    result = fill.fill_dossier(dossier, flatten=flatten)
    assert update.write() == result.pdf and problems == result.problems


def test_a_step_is_posted_as_a_browser_posts_its_form():
    page = """
    <form method="post" action="/contrat/x/effacer/"><input name="ailleurs" value="1"></form>
    <form method="post" id="wizard-form">
      <input type="hidden" name="csrfmiddlewaretoken" value="jeton">
      <input type="text" name="nom" value="Moreau &amp; fils">
      <input type="text" name="vide">
      <input type="checkbox" name="rqth" value="1">
      <input type="checkbox" name="sportif" value="1" checked>
      <input type="radio" name="sexe" value="M"><input type="radio" name="sexe" value="F" checked>
      <input type="text" name="grise" value="x" disabled>
      <select name="type"><option value="">--</option><option value="11" selected>11</option></select>
      <select name="sans_choix"><option value="a">a</option><option value="b">b</option></select>
      <textarea name="note">deux mots</textarea>
      <button type="submit" name="wizard_goto_step" value="apprenti">Précédent</button>
    </form>"""
    assert WizardForm(page).fields == [
        ("csrfmiddlewaretoken", "jeton"),
        ("nom", "Moreau & fils"),
        ("vide", ""),
        ("sportif", "1"),
        ("sexe", "F"),
        ("type", "11"),
        ("sans_choix", "a"),
        ("note", "deux mots"),
    ]


def test_other_modules_rows_are_appended(monkeypatch):
    class Module:
        @staticmethod
        def bench_rows():
            return [("Chargement des codes postaux", "12 ms")]

    monkeypatch.setitem(sys.modules, "rules.tables_bench", Module)
    assert [(r.what, r.figure, r.met) for r in bench.extra_rows()] == [
        ("Chargement des codes postaux", "12 ms", None)
    ]
    monkeypatch.setitem(sys.modules, "rules.tables_bench", None)  # not there: nothing added
    assert bench.extra_rows() == []


def test_the_peak_memory_is_the_commands_own(tmp_path):
    """Read from the command's /proc (VmHWM), not from rusage, which gives a child forked
    from a large bench the bench's own peak."""
    done = bench._run(["check", str(bench.EXAMPLE)], peak=True)
    assert done.status in (0, 1) and done.wall > 0 and done.cpu > 0
    assert 10_000 < done.peak_kb < 1_000_000
