"""Step data ↔ dossier: the one conversion, tested alone."""

import pytest
from django.utils.datastructures import MultiValueDict

from cerfa.wizard import convert
from cerfa.wizard.steps import STEPS
from rules.dossier import Dossier
from tests.helpers import DOSSIERS, EXAMPLE


def _blank_to_none(node):
    """The wizard reads an empty box as "not answered": "" becomes null."""
    if isinstance(node, dict):
        return {k: _blank_to_none(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_blank_to_none(v) for v in node]
    return None if node == "" else node


def _expected(dossier: Dossier) -> dict:
    data = _blank_to_none(dossier.to_dict())
    # Blocks with nothing in them are null in the dossier the wizard makes.
    for head, key in (("apprenti", "representant_legal"), ("formation", "lieu_principal")):
        block = data[head][key]
        if block is not None and convert._empty(block):
            data[head][key] = None
    return data


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.name)
def test_every_fixture_goes_through_the_steps_unchanged(path):
    dossier = Dossier.from_json(path.read_text(encoding="utf-8"))
    built = convert.build(convert.step_data_from(dossier))
    assert built.errors == []
    assert built.dossier.to_dict() == _expected(dossier)


def test_example_dossier_round_trip_and_steps():
    dossier = Dossier.from_json(EXAMPLE.read_text(encoding="utf-8"))
    built = convert.build(convert.step_data_from(dossier))
    assert built.dossier.apprenti.prenom == "Inès"
    assert built.dossier.contrat.remunerations[2].taux == 61
    # Inès is 19 on the date of conclusion, and the CFA is the main training place.
    assert "representant-legal" not in built.active
    assert "lieu-de-formation" not in built.active
    assert built.active[0] == "contrat-en-bref" and built.active[-1] == "recapitulatif"


def _data(**steps):
    return {
        name: MultiValueDict({k: [v] for k, v in values.items()}) for name, values in steps.items()
    }


def test_legal_representative_step_follows_the_age_on_the_date_of_conclusion():
    en_bref = {"contrat__date_conclusion": "2027-08-24"}
    minor = _data(
        **{"contrat-en-bref": en_bref, "apprenti": {"apprenti__date_naissance": "2009-08-25"}}
    )
    adult = _data(
        **{"contrat-en-bref": en_bref, "apprenti": {"apprenti__date_naissance": "2009-08-24"}}
    )
    unknown = _data(**{"apprenti": {"apprenti__date_naissance": "2009-08-24"}})
    assert "representant-legal" in convert.build(minor).active
    assert "representant-legal" not in convert.build(adult).active
    assert "representant-legal" in convert.build(unknown).active  # no date: ask


def test_a_step_that_does_not_apply_contributes_nothing():
    data = _data(
        **{
            "contrat-en-bref": {"contrat__date_conclusion": "2027-08-24"},
            "apprenti": {"apprenti__date_naissance": "2000-01-01"},
            "representant-legal": {"apprenti__representant_legal__prenom": "Paul"},
        }
    )
    assert convert.build(data).dossier.apprenti.representant_legal is None
    data["apprenti"] = MultiValueDict({"apprenti__date_naissance": ["2012-01-01"]})
    assert convert.build(data).dossier.apprenti.representant_legal.prenom == "Paul"


def test_fields_hidden_by_an_earlier_answer_leave_the_dossier():
    contrat = {
        "contrat__numero_contrat_precedent": "069202409000123",
        "contrat__date_effet_avenant": "2027-10-01",
    }
    avenant = _data(**{"contrat-en-bref": {"contrat__type_contrat": "36"}, "contrat": contrat})
    initial = _data(**{"contrat-en-bref": {"contrat__type_contrat": "11"}, "contrat": contrat})
    succession = _data(**{"contrat-en-bref": {"contrat__type_contrat": "22"}, "contrat": contrat})
    assert convert.build(avenant).dossier.contrat.date_effet_avenant.isoformat() == "2027-10-01"
    assert convert.build(initial).dossier.contrat.numero_contrat_precedent is None
    assert convert.build(initial).dossier.contrat.date_effet_avenant is None
    built = convert.build(succession)
    assert built.dossier.contrat.numero_contrat_precedent == "069202409000123"
    assert built.dossier.contrat.date_effet_avenant is None


def test_unreadable_values_are_errors_and_never_reach_the_dossier():
    data = _data(
        apprenti={
            "apprenti__date_naissance": "31/02/2008",
            "apprenti__nationalite": "7",
            "apprenti__prenom": "Inès",
        },
        remuneration={"remuneration_1_1_taux": "beaucoup", "remuneration_1_1_du": "2027-09-01"},
    )
    built = convert.build(data)
    assert {(e.step, e.name) for e in built.errors} == {
        ("apprenti", "apprenti__date_naissance"),
        ("apprenti", "apprenti__nationalite"),
        ("remuneration", "remuneration_1_1_taux"),
    }
    d = built.dossier
    assert d.apprenti.date_naissance is None
    # A code outside its table is kept as typed, for the rules to name it.
    assert d.apprenti.nationalite == "7"
    assert d.apprenti.prenom == "Inès"
    assert d.contrat.remunerations[0].taux is None
    assert d.contrat.remunerations[0].du.isoformat() == "2027-09-01"


def test_french_amounts_and_rates_are_read():
    data = _data(
        remuneration={
            "contrat__salaire_brut_embauche": "1 783,91 €",
            "remuneration_2_1_taux": "53,5",
            "remuneration_2_1_reference": "SMC",
        }
    )
    built = convert.build(data)
    assert built.errors == []
    assert str(built.dossier.contrat.salaire_brut_embauche) == "1783.91"
    line = built.dossier.contrat.remunerations[0]
    assert (line.annee, line.periode, line.taux, line.reference) == (2, 1, 53.5, "SMC")


def test_second_maitre_alone_keeps_its_position():
    data = _data(maitres={"maitres__1__prenom": "Karim"})
    maitres = convert.build(data).dossier.maitres
    assert len(maitres) == 2 and maitres[0].prenom is None and maitres[1].prenom == "Karim"
    assert (
        convert.build(_data(maitres={"maitres__0__prenom": "Ana"})).dossier.maitres[0].prenom
        == "Ana"
    )
    assert len(convert.build(_data(maitres={"maitres__0__prenom": "Ana"})).dossier.maitres) == 1


def test_remuneration_lines_without_year_or_with_a_taken_row_get_a_free_row():
    dossier = Dossier.from_dict(
        {
            "contrat": {
                "remunerations": [
                    {"annee": 1, "periode": 1, "taux": 27},
                    {"taux": 39},
                    {"annee": 1, "periode": 1, "taux": 43},
                ]
            }
        }
    )
    assert convert.remuneration_slots(dossier) == [(1, 1), (1, 2), (2, 1)]
    data = convert.step_data_from(dossier)["remuneration"]
    assert data["remuneration_1_2_taux"] == ["39"] and data["remuneration_2_1_taux"] == ["43"]


def test_anchor_of_every_field_path():
    dossier = Dossier.from_json(EXAMPLE.read_text(encoding="utf-8"))
    for step in STEPS:
        for name in step.form.base_fields:
            if name.startswith("remuneration_"):
                continue
            assert convert.anchor(convert.path_of(name), dossier) == (step.name, name)
    assert convert.anchor("contrat.remunerations.2.taux", dossier) == (
        "remuneration",
        "remuneration_2_2_taux",
    )
    assert convert.anchor("maitres.1", dossier) == ("maitres", "maitres__1__nom_naissance")
    assert convert.anchor("formation.lieu_principal", dossier) == (
        "lieu-de-formation",
        "formation__lieu_principal__denomination",
    )
    assert convert.anchor("contrat.duree_hebdo", dossier) == (
        "contrat",
        "contrat__duree_hebdo__heures",
    )
    assert convert.anchor("format.inconnu", dossier) is None


def test_every_dossier_key_has_a_field():
    """Each value of the format can be typed somewhere in the wizard."""
    import dataclasses

    from rules.dossier import fields_of, unwrap_optional

    paths = []

    def walk(cls, prefix):
        for key, hint in fields_of(cls).items():
            inner, _ = unwrap_optional(hint)
            path = f"{prefix}{key}"
            if dataclasses.is_dataclass(inner):
                walk(inner, path + ".")
            elif key in ("maitres", "remunerations"):
                continue
            else:
                paths.append(path)

    walk(Dossier, "")
    names = {n for step in STEPS for n in step.form.base_fields}
    missing = [p for p in paths if p.replace(".", "__") not in names]
    assert missing == []
    for key in (
        "nom_naissance",
        "prenom",
        "date_naissance",
        "courriel",
        "emploi_occupe",
        "diplome_plus_eleve",
        "niveau_diplome",
    ):
        assert f"maitres__0__{key}" in names and f"maitres__1__{key}" in names


def test_a_year_typed_wrong_is_an_error_not_a_crash_of_the_rules():
    data = _data(**{"contrat-en-bref": {"contrat__date_fin": "9999-08-31"}})
    built = convert.build(data)
    errors = [e for e in built.errors if e.name == "contrat__date_fin"]
    assert errors and "faute de frappe" in errors[0].message
    assert built.dossier.contrat.date_fin is None


def test_a_form_that_reads_its_context_says_so():
    """convert.build makes a step's context only for the forms that declare they read it
    (and for conditions): a form reading it undeclared would get an empty dossier."""
    import inspect

    from cerfa.wizard.forms import StepForm

    for step in STEPS:
        adapt = step.form.adapt
        if adapt is StepForm.adapt:
            continue
        reads = "context." in inspect.getsource(adapt)
        assert reads <= step.form.uses_context, step.name


def test_a_context_made_on_first_use_is_the_steps_before():
    from tests.helpers import load

    data = convert.step_data_from(load("exemple.json"))
    full = convert.build(data)
    for step in STEPS:
        lazy = full.upto(step.name)
        direct = convert.build(data, upto=step.name)
        assert lazy.dossier == direct.dossier, step.name
        assert lazy.active == direct.active and lazy.errors == direct.errors, step.name
