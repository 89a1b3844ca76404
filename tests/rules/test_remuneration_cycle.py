"""D6222-28-1: a contract shorter than the training cycle pays the years deemed done.

The example apprentice (born 14/05/2008) is 19 at the start (01/09/2027), in the 18-20
bracket: 43 % in a 1st year, 51 % in a 2nd, 67 % in a 3rd (D6222-26). She prepares a BP
(diplôme visé 49). Here the contract covers one year, to 31/08/2028, of a longer cycle.
"""

import datetime

import pytest

from rules.complete import complete
from rules.remuneration import grid_for, grid_inputs

from .factories import level, make, only, reference, run

D = datetime.date
REDUCED = "contrat.remunerations.duree_reduite"
MINIMUM = "contrat.remunerations.taux_minimum"

ONE_YEAR = {
    "contrat.date_fin": "2028-08-31",
    "formation.date_fin_epreuves": "2028-07-03",
    "formation.duree_heures": 455,
}
# The last diploma prepared is the BP itself; « dernière classe » says how far she went.
SAME_BP = {"apprenti.dernier_diplome_prepare": "49", "apprenti.intitule_dernier_diplome": "BP"}


def reduced(classe: str, **more) -> dict:
    return {
        **ONE_YEAR,
        **SAME_BP,
        "contrat.type_derogation": "21",
        "apprenti.derniere_classe": classe,
        **more,
    }


def one_line(taux) -> dict:
    return {
        "contrat.remunerations": [
            {
                "annee": 1,
                "periode": 1,
                "du": "2027-09-01",
                "au": "2028-08-31",
                "taux": taux,
                "reference": "SMIC",
            }
        ]
    }


@pytest.mark.parametrize(
    ("classe", "done", "taux"),
    [
        ("11", 1, 51),  # 1st year followed and validated: the contract is the 2nd year
        ("12", 0, 43),  # 1st year not validated: she takes it again
        ("21", 2, 67),  # 2nd year validated: the contract is the 3rd year
        ("22", 1, 51),  # 2nd year not validated: she takes it again
        ("01", 0, 43),  # she obtained the diploma: nothing of this cycle to count
    ],
)
def test_a_reduced_contract_counts_the_years_of_the_cycle_already_followed(classe, done, taux):
    d = make(reduced(classe))
    assert grid_inputs(d).annees_accomplies == done
    g = grid_for(d)
    assert [(x.annee, x.du, x.au, x.taux) for x in g.lines] == [
        (1, D(2027, 9, 1), D(2028, 8, 31), taux)
    ]
    if done:
        assert "durée réduite" in g.lines[0].motif


def test_the_years_followed_count_only_for_this_diploma_and_a_reduced_duration():
    # Another diploma last prepared (a CAP, 33): its years are not this cycle's.
    assert (
        grid_inputs(
            make(reduced("11", **{"apprenti.dernier_diplome_prepare": "33"}))
        ).annees_accomplies
        == 0
    )
    # No reduction declared: the grid does not presume one (a warning asks, below).
    no_derogation = {**ONE_YEAR, **SAME_BP, "apprenti.derniere_classe": "11"}
    assert grid_inputs(make(no_derogation)).annees_accomplies == 0


def test_the_cycle_start_date_and_the_class_take_the_larger():
    # Cycle begun two years before (situation 8 after a rupture) and 1st year validated:
    # two years done, and the sentence names the cycle's start.
    d = make(reduced("11", **{"formation.date_debut_cfa": "2025-09-01"}))
    assert grid_inputs(d).annees_accomplies == 2
    assert "cycle de formation commencé le 01/09/2025" in grid_for(d).lines[0].motif


def test_the_minimum_rate_check_uses_the_years_deemed_done():
    # Boundary: 51 % passes, 50 % is below the 2nd-year minimum.
    assert run(MINIMUM, make({**reduced("11"), **one_line(51)})) == []
    f = only(run(MINIMUM, make({**reduced("11"), **one_line(50)})))
    assert f.level == "error" and "51 %" in f.message
    assert "durée réduite" in f.message


def test_complete_fills_the_rate_of_the_years_deemed_done():
    done, _ = complete(
        make({**reduced("21"), "contrat.remunerations": [], "contrat.salaire_brut_embauche": None})
    )
    assert [(x.annee, x.taux) for x in done.contrat.remunerations] == [(1, 67)]
    # 67 % × 1 823,03 € = 1 221,4301 € → rounded up to the cent.
    assert str(done.contrat.salaire_brut_embauche) == "1221.44"


class TestReducedDurationWarning:
    def test_level_and_reference(self):
        assert level(REDUCED) == "warning"
        assert "D6222-28-1" in reference(REDUCED)

    def test_a_reduction_the_form_cannot_measure(self):
        # Dérogation 21, nothing says which years were done (a CAP in one year after a bac,
        # say): the 2nd-year rate is due for a cycle one year longer than the contract.
        base = {**ONE_YEAR, "contrat.type_derogation": "21"}
        f = only(run(REDUCED, make({**base, **one_line(43)})))
        assert f.fields == ("contrat.remunerations.0.taux", "contrat.type_derogation")
        assert "51 % du SMIC dès le 01/09/2027" in f.message
        assert "Dernière classe" in f.message
        # Boundary: a line at 51 % already pays it.
        assert run(REDUCED, make({**base, **one_line(51)})) == []
        assert run(REDUCED, make({**base, **one_line(50)})) != []

    def test_no_written_grid_gets_the_warning_too(self):
        d = make({**ONE_YEAR, "contrat.type_derogation": "21", "contrat.remunerations": []})
        assert only(run(REDUCED, d)).fields == ("contrat.remunerations", "contrat.type_derogation")

    def test_a_cumul_of_derogations_may_include_a_reduction(self):
        d = make({**ONE_YEAR, "contrat.type_derogation": "50", **one_line(43)})
        assert only(run(REDUCED, d)).message.startswith("Si la durée du contrat est réduite")

    def test_years_followed_without_a_reduction_declared(self):
        d = make({**ONE_YEAR, **SAME_BP, "apprenti.derniere_classe": "11", **one_line(43)})
        f = only(run(REDUCED, d))
        assert "apprenti.derniere_classe" in f.fields
        assert "1 année du cycle" in f.message and "dérogation 21" in f.message
        assert "51 %" in f.message

    def test_nothing_when_the_grid_already_counts_the_years(self):
        assert run(REDUCED, make({**reduced("11"), **one_line(43)})) == []
        cycle_before = {
            **ONE_YEAR,
            "contrat.type_derogation": "21",
            "formation.date_debut_cfa": "2026-09-01",
        }
        assert run(REDUCED, make({**cycle_before, **one_line(43)})) == []

    def test_nothing_for_a_full_length_contract(self):
        assert run(REDUCED, make()) == []
        assert run(REDUCED, make({"contrat.type_derogation": "22"})) == []
