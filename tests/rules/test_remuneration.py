"""rules/remuneration.py (the grid computed to the day) and rules/checks/remuneration.py.

Every expected grid below was worked out by hand from the law, not by running the code:
D6222-26 rates (under 18: 27/39/55 %; 18-20: 43/51/67 %; 21-25: 53/61/78 %; 26+: 100 %),
the new bracket on the first day of the month after the 18th, 21st or 26th birthday
(D6222-31), contract year k from start + (k-1) years to start + k years - 1 day, the SMIC
in force on each line's first day (1 823,03 € from 2026-01-01; 1 801,80 € from
2024-11-01; 1 766,92 € from 2024-01-01; Mayotte 1 415,05 € from 2026-01-01), and the
starting salary = line 1's rate × that base, rounded *up* to the cent.
"""

import datetime
from decimal import Decimal

import pytest

from rules.dossier import Dossier
from rules.remuneration import (
    GridError,
    GridInputs,
    basis_sentence,
    compute_grid,
    grid_for,
    grid_inputs,
    split_sentences,
    try_grid,
)
from tests.helpers import EXAMPLE

from .factories import level, make, only, reference, run

D = datetime.date
M = Decimal


def grid(birth, start, end, **kw):
    g = compute_grid(GridInputs(birth, start, end, **kw))
    return g, [(x.annee, x.periode, x.du, x.au, x.taux, x.reference) for x in g.lines]


# -- the grids the issue asks for --------------------------------------------------------


def test_minor_turning_18_in_year_1():
    # Born 15/03/2010: 17 on 01/09/2027, 18 on 15/03/2028, so 43 % from 01/04/2028.
    # Year 1 (01/09/2027-31/08/2028) splits there; year 2 is 18-20: 51 %.
    # Salary: 27 % × 1 823,03 = 492,2181 → 492,22.
    g, lines = grid(D(2010, 3, 15), D(2027, 9, 1), D(2029, 8, 31))
    assert lines == [
        (1, 1, D(2027, 9, 1), D(2028, 3, 31), 27, "SMIC"),
        (1, 2, D(2028, 4, 1), D(2028, 8, 31), 43, "SMIC"),
        (2, 1, D(2028, 9, 1), D(2029, 8, 31), 51, "SMIC"),
    ]
    assert g.salaire_brut_embauche == M("492.22")
    assert split_sentences(g) == [
        "Votre apprenti aura 18 ans le 15/03/2028 : le taux minimum passe à 43 % du SMIC à "
        "partir du 01/04/2028."
    ]


def test_18_to_20_turning_21_in_year_2():
    # Born 20/01/2007: 19 on 01/09/2026; 21 on 20/01/2028 (year 2), 61 % from 01/02/2028.
    # Salary: 43 % × 1 823,03 = 783,9029 → 783,91.
    g, lines = grid(D(2007, 1, 20), D(2026, 9, 1), D(2028, 8, 31))
    assert lines == [
        (1, 1, D(2026, 9, 1), D(2027, 8, 31), 43, "SMIC"),
        (2, 1, D(2027, 9, 1), D(2028, 1, 31), 51, "SMIC"),
        (2, 2, D(2028, 2, 1), D(2028, 8, 31), 61, "SMIC"),
    ]
    assert g.salaire_brut_embauche == M("783.91")


def test_25_turning_26_in_year_1_of_a_3_year_contract():
    # Born 10/03/2001: 25 on 01/10/2026, 26 on 10/03/2027: 100 % from 01/04/2027, then
    # 100 % every year. Salary: 53 % × 1 823,03 = 966,2059 → 966,21.
    g, lines = grid(D(2001, 3, 10), D(2026, 10, 1), D(2029, 9, 30))
    assert lines == [
        (1, 1, D(2026, 10, 1), D(2027, 3, 31), 53, "SMIC"),
        (1, 2, D(2027, 4, 1), D(2027, 9, 30), 100, "SMIC"),
        (2, 1, D(2027, 10, 1), D(2028, 9, 30), 100, "SMIC"),
        (3, 1, D(2028, 10, 1), D(2029, 9, 30), 100, "SMIC"),
    ]
    assert g.salaire_brut_embauche == M("966.21")
    assert g.lines[1].montant == M("1823.03")


def test_26_and_over():
    # Born 30/06/1999: 27 on 01/09/2026: 100 % of the SMIC both years, no split.
    g, lines = grid(D(1999, 6, 30), D(2026, 9, 1), D(2028, 8, 31))
    assert lines == [
        (1, 1, D(2026, 9, 1), D(2027, 8, 31), 100, "SMIC"),
        (2, 1, D(2027, 9, 1), D(2028, 8, 31), 100, "SMIC"),
    ]
    assert g.salaire_brut_embauche == M("1823.03")
    assert g.steps == ()


def test_start_mid_month_end_mid_year():
    # Start 15/09/2026, end 20/01/2028. Born 20/11/2008: 17 at the start, 18 on
    # 20/11/2026, 43 % from 01/12/2026. Year 1: 15/09/2026-14/09/2027; year 2 starts
    # 15/09/2027 and stops at the end, 20/01/2028. Salary 27 % → 492,22.
    g, lines = grid(D(2008, 11, 20), D(2026, 9, 15), D(2028, 1, 20))
    assert lines == [
        (1, 1, D(2026, 9, 15), D(2026, 11, 30), 27, "SMIC"),
        (1, 2, D(2026, 12, 1), D(2027, 9, 14), 43, "SMIC"),
        (2, 1, D(2027, 9, 15), D(2028, 1, 20), 51, "SMIC"),
    ]
    assert g.salaire_brut_embauche == M("492.22")


def test_higher_smc_at_22():
    # Born 01/05/2004: 22 on 01/09/2026. SMC 2 000 € > SMIC 1 823,03 €: the base is the SMC.
    # 53 % × 2 000 = 1 060,00; 61 % × 2 000 = 1 220,00.
    g, lines = grid(D(2004, 5, 1), D(2026, 9, 1), D(2028, 8, 31), smc=M("2000.00"))
    assert lines == [
        (1, 1, D(2026, 9, 1), D(2027, 8, 31), 53, "SMC"),
        (2, 1, D(2027, 9, 1), D(2028, 8, 31), 61, "SMC"),
    ]
    assert g.salaire_brut_embauche == M("1060.00")
    assert g.lines[1].montant == M("1220.00")


def test_lower_smc_at_22():
    # SMC 1 700 € < SMIC: the SMIC stays the base. 53 % × 1 823,03 = 966,2059 → 966,21.
    g, lines = grid(D(2004, 5, 1), D(2026, 9, 1), D(2028, 8, 31), smc=M("1700.00"))
    assert lines == [
        (1, 1, D(2026, 9, 1), D(2027, 8, 31), 53, "SMIC"),
        (2, 1, D(2027, 9, 1), D(2028, 8, 31), 61, "SMIC"),
    ]
    assert g.salaire_brut_embauche == M("966.21")


def test_public_employer_in_mayotte():
    # A commune of Mayotte (97600), apprentice born 14/02/2005: 21 at the start. Same grid
    # as a private employer (D6272-1) on Mayotte's SMIC, 1 415,05 € in 2026:
    # 53 % → 749,9765 → 749,98; 61 % → 863,1805 → 863,19.
    d = make(
        {
            "employeur.prive_public": "public",
            "employeur.type_employeur": "22",
            "employeur.adresse.code_postal": "97600",
            "employeur.adresse.commune": "Mamoudzou",
            "apprenti.date_naissance": "2005-02-14",
            "contrat.date_debut_execution": "2026-09-01",
            "contrat.date_fin": "2028-08-31",
        }
    )
    g = grid_for(d)
    assert [(x.annee, x.periode, x.du, x.au, x.taux, x.reference) for x in g.lines] == [
        (1, 1, D(2026, 9, 1), D(2027, 8, 31), 53, "SMIC"),
        (2, 1, D(2027, 9, 1), D(2028, 8, 31), 61, "SMIC"),
    ]
    assert g.salaire_brut_embauche == M("749.98")
    assert g.lines[1].montant == M("863.19")
    assert "à Mayotte" in basis_sentence(g) and "1 415,05 €" in basis_sentence(g)


def test_example_dossier():
    # Born 14/05/2008: 19 on 01/09/2027 (43 %), year 2 at 51 %, 21 on 14/05/2029 so 61 %
    # from 01/06/2029. 43 % × 1 823,03 = 783,9029: the example's 783,91 is the amount
    # rounded up, which is the rounding used here.
    d = Dossier.from_json(EXAMPLE.read_text(encoding="utf-8"))
    g = grid_for(d)
    assert [line.to_remuneration() for line in g.lines] == d.contrat.remunerations
    assert g.salaire_brut_embauche == d.contrat.salaire_brut_embauche == M("783.91")
    assert split_sentences(g) == [
        "Votre apprenti aura 21 ans le 14/05/2029 : le taux minimum passe à 61 % du SMIC à "
        "partir du 01/06/2029."
    ]


# -- the reference generator's two defects (reference-product §5.7) ----------------------


def test_start_on_a_birthday_is_not_split():
    # Born 01/09/2008, start 01/09/2026: 18 on the first day, so 43 % from the first day,
    # one line for year 1 (the reference generator wrote 1.1 and 1.2 both at 43 %).
    g, lines = grid(D(2008, 9, 1), D(2026, 9, 1), D(2028, 8, 31))
    assert lines == [
        (1, 1, D(2026, 9, 1), D(2027, 8, 31), 43, "SMIC"),
        (2, 1, D(2027, 9, 1), D(2028, 8, 31), 51, "SMIC"),
    ]
    assert split_sentences(g) == []


def test_start_on_the_17th_birthday_splits_year_2_at_two_rates():
    # Born 01/09/2009: 17 on 01/09/2026, 18 on 01/09/2027 (first day of year 2): the new
    # rate starts on the first day of the *following* month, 01/10/2027 (D6222-31). So
    # 2.1 at 39 % for September, then 2.2 at 51 % (the reference generator wrote two
    # lines at the same rate).
    g, lines = grid(D(2009, 9, 1), D(2026, 9, 1), D(2028, 8, 31))
    assert lines == [
        (1, 1, D(2026, 9, 1), D(2027, 8, 31), 27, "SMIC"),
        (2, 1, D(2027, 9, 1), D(2027, 9, 30), 39, "SMIC"),
        (2, 2, D(2027, 10, 1), D(2028, 8, 31), 51, "SMIC"),
    ]


def test_birthday_in_the_last_month_of_a_contract_year():
    # Born 15/08/2009, start 01/09/2026, end 30/09/2027: 18 on 15/08/2027, in the last
    # month of year 1; the new rate starts on 01/09/2027, the first day of year 2. Year 1
    # stays one line at 27 %, year 2 (one month) is at 51 %. The reference generator wrote
    # a line 1.2 from 01/09/2027 to 31/08/2027.
    g, lines = grid(D(2009, 8, 15), D(2026, 9, 1), D(2027, 9, 30))
    assert lines == [
        (1, 1, D(2026, 9, 1), D(2027, 8, 31), 27, "SMIC"),
        (2, 1, D(2027, 9, 1), D(2027, 9, 30), 51, "SMIC"),
    ]
    assert all(x.du <= x.au for x in g.lines)
    assert split_sentences(g) == [
        "Votre apprenti aura 18 ans le 15/08/2027 : le taux minimum passe à 51 % du SMIC à "
        "partir du 01/09/2027, premier jour de la 2e année du contrat."
    ]


def test_birthday_in_the_last_month_of_the_contract():
    # Born 20/08/2009, end 31/08/2027: 18 on 20/08/2027 but the new rate would start on
    # 01/09/2027, after the end. One line at 27 %, and a sentence that says why.
    g, lines = grid(D(2009, 8, 20), D(2026, 9, 1), D(2027, 8, 31))
    assert lines == [(1, 1, D(2026, 9, 1), D(2027, 8, 31), 27, "SMIC")]
    assert split_sentences(g) == [
        "Votre apprenti aura 18 ans le 20/08/2027 : le nouveau taux ne s'appliquerait qu'à "
        "partir du 01/09/2027, après la fin du contrat ; la grille ne change donc pas."
    ]


# -- other cases --------------------------------------------------------------------------


def test_licence_professionnelle_gets_the_2nd_year_rate():
    # D6222-32. Born 03/03/2004: 22 on 01/09/2026, 1-year contract: 61 % instead of 53 %.
    # 61 % × 1 823,03 = 1 112,0483 → 1 112,05.
    g, lines = grid(D(2004, 3, 3), D(2026, 9, 1), D(2027, 8, 31), licence_pro=True)
    assert lines == [(1, 1, D(2026, 9, 1), D(2027, 8, 31), 61, "SMIC")]
    assert g.salaire_brut_embauche == M("1112.05")
    assert "licence professionnelle" in g.lines[0].motif


def test_licence_professionnelle_from_the_dossier():
    d = make({"formation.diplome_vise": "62"})
    assert grid_inputs(d).licence_pro is True
    assert grid_for(d).lines[0].taux == 51  # example apprentice: 18-20, 2nd-year rate


def test_each_line_uses_the_smic_in_force_on_its_first_day():
    # Born 15/03/2006: 18 on 01/09/2024. Line 1 on 1 766,92 € (2024): 43 % → 759,7756 →
    # 759,78. Line 2 starts 01/09/2025 under the 01/11/2024 SMIC, 1 801,80 €:
    # 51 % → 918,918 → 918,92.
    g, lines = grid(D(2006, 3, 15), D(2024, 9, 1), D(2026, 8, 31))
    assert lines == [
        (1, 1, D(2024, 9, 1), D(2025, 8, 31), 43, "SMIC"),
        (2, 1, D(2025, 9, 1), D(2026, 8, 31), 51, "SMIC"),
    ]
    assert g.salaire_brut_embauche == M("759.78")
    assert g.lines[1].base == M("1801.80") and g.lines[1].montant == M("918.92")


def test_born_on_29_february():
    # Born 29/02/2008: 18 on 01/03/2026 in a common year (rules/dates.py), so 43 % from
    # 01/04/2026. Start 01/09/2025 under the SMIC of 01/11/2024 (1 801,80 €):
    # 27 % → 486,486 → 486,49.
    g, lines = grid(D(2008, 2, 29), D(2025, 9, 1), D(2026, 8, 31))
    assert lines == [
        (1, 1, D(2025, 9, 1), D(2026, 3, 31), 27, "SMIC"),
        (1, 2, D(2026, 4, 1), D(2026, 8, 31), 43, "SMIC"),
    ]
    assert g.salaire_brut_embauche == M("486.49")
    assert g.lines[1].base == M("1823.03")


def test_cycle_begun_a_year_before_the_contract():
    # D6222-28-1: the training cycle began on 01/09/2026 (CFA start), the contract on
    # 01/09/2027: one year already performed, year 1 is paid at the 2nd-year rate, 51 %.
    d = make(
        {
            "formation.date_debut_cfa": "2026-09-01",
            "contrat.date_fin": "2028-08-31",
            "contrat.remunerations": [],
        }
    )
    g = grid_for(d)
    assert [(x.annee, x.du, x.au, x.taux) for x in g.lines] == [
        (1, D(2027, 9, 1), D(2028, 8, 31), 51)
    ]
    assert "cycle de formation commencé le 01/09/2026" in g.lines[0].motif


def test_cycle_begun_less_than_a_year_before_counts_no_year():
    d = make({"formation.date_debut_cfa": "2026-09-02"})
    assert grid_inputs(d).annees_accomplies == 0


def test_extension_after_an_exam_failure_keeps_the_last_year_rate():
    # D6222-28. Born 10/01/2007: 19 at the start (01/09/2026), 21 on 10/01/2028, 61 % from
    # 01/02/2028. Two-year contract extended by avenant 33 from 01/09/2028 to 31/08/2029:
    # year 3 keeps the 2nd-year rate of the 21-25 bracket, 61 % (not 78 %).
    g, lines = grid(
        D(2007, 1, 10), D(2026, 9, 1), D(2029, 8, 31), prolongation_depuis=D(2028, 9, 1)
    )
    assert lines == [
        (1, 1, D(2026, 9, 1), D(2027, 8, 31), 43, "SMIC"),
        (2, 1, D(2027, 9, 1), D(2028, 1, 31), 51, "SMIC"),
        (2, 2, D(2028, 2, 1), D(2028, 8, 31), 61, "SMIC"),
        (3, 1, D(2028, 9, 1), D(2029, 8, 31), 61, "SMIC"),
    ]


def test_avenant_33_from_the_dossier():
    d = make({"contrat.type_contrat": "33", "contrat.date_effet_avenant": "2029-09-01"})
    assert grid_inputs(d).prolongation_depuis == D(2029, 9, 1)
    assert (
        grid_inputs(make({"contrat.date_effet_avenant": "2029-09-01"})).prolongation_depuis is None
    )


def test_previous_contract_rate_is_a_floor():
    # D6222-29, rate given by the caller. Born 05/05/2007: 19 at the start, 21 on
    # 05/05/2028, 61 % from 01/06/2028. Previous rate 60 %: year 1 max(43, 60) = 60;
    # year 2 max(51, 60) = 60 then 61.
    g, lines = grid(D(2007, 5, 5), D(2026, 9, 1), D(2028, 8, 31), taux_precedent=60)
    assert lines == [
        (1, 1, D(2026, 9, 1), D(2027, 8, 31), 60, "SMIC"),
        (2, 1, D(2027, 9, 1), D(2028, 5, 31), 60, "SMIC"),
        (2, 2, D(2028, 6, 1), D(2028, 8, 31), 61, "SMIC"),
    ]


def test_a_floor_above_both_rates_gives_one_line_per_year():
    # Previous rate 70 %: year 2 is 70 % before and after the 21st birthday: one line,
    # never two lines at the same rate.
    g, lines = grid(D(2007, 5, 5), D(2026, 9, 1), D(2028, 8, 31), taux_precedent=70)
    assert lines == [
        (1, 1, D(2026, 9, 1), D(2027, 8, 31), 70, "SMIC"),
        (2, 1, D(2027, 9, 1), D(2028, 8, 31), 70, "SMIC"),
    ]
    assert split_sentences(g) == [
        "Votre apprenti aura 21 ans le 05/05/2028 : le taux minimum reste à 70 % du SMIC."
    ]


def test_at_most_four_years_and_eight_lines():
    # Born 15/09/2008, start 01/09/2026, end 31/08/2030 (4 years): 18 on 15/09/2026 and 21
    # on 15/09/2029, in years 1 and 4. Year 4 keeps the 3rd-year rates.
    g, lines = grid(D(2008, 9, 15), D(2026, 9, 1), D(2030, 8, 31))
    assert lines == [
        (1, 1, D(2026, 9, 1), D(2026, 9, 30), 27, "SMIC"),
        (1, 2, D(2026, 10, 1), D(2027, 8, 31), 43, "SMIC"),
        (2, 1, D(2027, 9, 1), D(2028, 8, 31), 51, "SMIC"),
        (3, 1, D(2028, 9, 1), D(2029, 8, 31), 67, "SMIC"),
        (4, 1, D(2029, 9, 1), D(2029, 9, 30), 67, "SMIC"),
        (4, 2, D(2029, 10, 1), D(2030, 8, 31), 78, "SMIC"),
    ]


@pytest.mark.parametrize(
    ("birth", "start", "end", "words"),
    [
        (D(2008, 1, 1), D(2026, 9, 1), D(2026, 8, 31), "avant sa date de début"),
        (D(2008, 1, 1), D(2026, 9, 1), D(2030, 9, 1), "plus de 4 ans"),
        (D(2027, 1, 1), D(2026, 9, 1), D(2028, 8, 31), "date de naissance"),
        (D(2000, 1, 1), D(2018, 9, 1), D(2020, 8, 31), "1er janvier 2019"),
    ],
)
def test_impossible_dates(birth, start, end, words):
    with pytest.raises(GridError, match=words):
        compute_grid(GridInputs(birth, start, end))


def test_try_grid_says_why():
    assert try_grid(make({"contrat.date_fin": None})) == (None, "")
    g, why = try_grid(make({"contrat.date_fin": "2027-08-31"}))
    assert g is None and "avant sa date de début" in why


# -- rules ------------------------------------------------------------------------------

CODES = (
    "contrat.remunerations.manquantes",
    "contrat.remunerations.grille",
    "contrat.remunerations.dates",
    "contrat.remunerations.annees",
    "contrat.remunerations.taux_minimum",
    "contrat.remunerations.base",
    "contrat.smc.manquant",
    "contrat.salaire_brut_embauche.manquant",
    "contrat.salaire_brut_embauche.minimum",
    "contrat.salaire_brut_embauche.ligne1",
    "contrat.remunerations.succession",
    "contrat.remunerations.majoration_handicap",
    "contrat.remunerations.employeur_public",
    "contrat.avantages_nature.nourriture",
    "contrat.avantages_nature.logement",
)


@pytest.mark.parametrize("code", CODES)
def test_example_has_no_finding(code):
    assert run(code, make()) == []


class TestPresence:
    def test_empty_grid(self):
        f = only(run("contrat.remunerations.manquantes", make({"contrat.remunerations": []})))
        assert (f.level, f.fields) == ("error", ("contrat.remunerations",))
        assert "R6222-4" in f.reference

    def test_line_without_rate(self):
        f = only(
            run("contrat.remunerations.manquantes", make({"contrat.remunerations.1.taux": None}))
        )
        assert f.fields == ("contrat.remunerations.1.taux",)
        assert "période 1 de l'année 2" in f.message

    def test_salary_missing_gives_the_minimum(self):
        f = only(
            run(
                "contrat.salaire_brut_embauche.manquant",
                make({"contrat.salaire_brut_embauche": None}),
            )
        )
        assert (f.level, f.fields) == ("error", ("contrat.salaire_brut_embauche",))
        assert "783,91 €" in f.message and "R6222-4" in f.reference


class TestShape:
    def test_more_than_eight_lines(self):
        line = {
            "annee": 1,
            "periode": 1,
            "du": "2027-09-01",
            "au": "2028-08-31",
            "taux": 43,
            "reference": "SMIC",
        }
        found = run("contrat.remunerations.grille", make({"contrat.remunerations": [line] * 9}))
        assert found[0].fields == ("contrat.remunerations",)
        assert "9" in found[0].message and found[0].level == "error"

    def test_year_and_period_out_of_the_form(self):
        d = make({"contrat.remunerations.1.annee": 5, "contrat.remunerations.2.periode": 3})
        fields = [f.fields for f in run("contrat.remunerations.grille", d)]
        assert ("contrat.remunerations.1.annee",) in fields
        assert ("contrat.remunerations.2.periode",) in fields

    def test_twice_the_same_period(self):
        f = only(run("contrat.remunerations.grille", make({"contrat.remunerations.2.periode": 1})))
        assert f.fields == ("contrat.remunerations.2.periode",)
        assert "deux fois" in f.message

    def test_period_2_without_period_1(self):
        f = only(run("contrat.remunerations.grille", make({"contrat.remunerations.0.periode": 2})))
        assert f.fields == ("contrat.remunerations.0.periode",)
        assert "Cerfa" in f.reference


class TestDates:
    def test_first_line_not_on_the_start(self):
        f = only(
            run("contrat.remunerations.dates", make({"contrat.remunerations.0.du": "2027-09-02"}))
        )
        assert (f.level, f.fields) == ("error", ("contrat.remunerations.0.du",))
        assert "01/09/2027" in f.message and "Atlas" in f.reference

    def test_gap(self):
        f = only(
            run("contrat.remunerations.dates", make({"contrat.remunerations.1.du": "2028-09-03"}))
        )
        assert f.fields == ("contrat.remunerations.0.au", "contrat.remunerations.1.du")
        assert "du 01/09/2028 au 02/09/2028" in f.message

    def test_overlap(self):
        f = only(
            run("contrat.remunerations.dates", make({"contrat.remunerations.2.du": "2029-05-31"}))
        )
        assert f.fields == ("contrat.remunerations.1.au", "contrat.remunerations.2.du")

    def test_last_line_not_on_the_end(self):
        f = only(
            run("contrat.remunerations.dates", make({"contrat.remunerations.2.au": "2029-07-31"}))
        )
        assert f.fields == ("contrat.remunerations.2.au",)
        assert "31/08/2029" in f.message

    def test_line_ending_before_it_starts(self):
        f = only(
            run("contrat.remunerations.dates", make({"contrat.remunerations.2.au": "2029-05-01"}))
        )
        assert f.fields == ("contrat.remunerations.2.du", "contrat.remunerations.2.au")


class TestYears:
    def test_wrong_year_number(self):
        f = only(
            run(
                "contrat.remunerations.annees",
                make({"contrat.remunerations.1.annee": 1, "contrat.remunerations.1.periode": 2}),
            )
        )
        assert (f.level, f.fields) == ("warning", ("contrat.remunerations.1.annee",))
        assert "l'année 2" in f.message and "R6222-4" in f.reference

    def test_line_running_into_the_next_year(self):
        d = make(
            {"contrat.remunerations.0.au": "2028-09-30", "contrat.remunerations.1.du": "2028-10-01"}
        )
        f = only(run("contrat.remunerations.annees", d))
        assert f.fields == ("contrat.remunerations.0.au",)
        assert "31/08/2028" in f.message


class TestRate:
    def test_below_minimum(self):
        f = only(
            run("contrat.remunerations.taux_minimum", make({"contrat.remunerations.0.taux": 40}))
        )
        assert (f.level, f.fields) == ("error", ("contrat.remunerations.0.taux",))
        assert "40 %" in f.message and "43 %" in f.message
        assert "D6222-26" in f.reference

    def test_above_minimum_is_kept(self):
        assert (
            run("contrat.remunerations.taux_minimum", make({"contrat.remunerations.0.taux": 45.5}))
            == []
        )

    def test_year_left_unsplit_across_the_21st_birthday(self):
        d = make({"contrat.remunerations.1.au": "2029-08-31"})
        d.contrat.remunerations.pop()
        f = only(run("contrat.remunerations.taux_minimum", d))
        assert f.fields == ("contrat.remunerations.1.taux",)
        assert "du 01/06/2029 au 31/08/2029" in f.message
        assert "14/05/2029" in f.message and "31/05/2029" in f.message
        assert "61 %" in f.message

    def test_split_a_month_too_late(self):
        d = make(
            {"contrat.remunerations.1.au": "2029-06-30", "contrat.remunerations.2.du": "2029-07-01"}
        )
        f = only(run("contrat.remunerations.taux_minimum", d))
        assert f.fields == ("contrat.remunerations.1.taux",)
        assert "du 01/06/2029 au 30/06/2029" in f.message

    def test_split_on_the_birthday_is_more_favourable(self):
        d = make(
            {"contrat.remunerations.1.au": "2029-05-13", "contrat.remunerations.2.du": "2029-05-14"}
        )
        assert run("contrat.remunerations.taux_minimum", d) == []

    def test_licence_professionnelle(self):
        f = only(run("contrat.remunerations.taux_minimum", make({"formation.diplome_vise": "62"})))
        assert f.fields == ("contrat.remunerations.0.taux",)
        assert "51 %" in f.message and "licence professionnelle" in f.message

    def test_no_dates_matches_the_computed_line(self):
        d = make(
            {
                "contrat.remunerations.0.du": None,
                "contrat.remunerations.0.au": None,
                "contrat.remunerations.0.taux": 30,
            }
        )
        f = only(run("contrat.remunerations.taux_minimum", d))
        assert f.fields == ("contrat.remunerations.0.taux",)


class TestBase:
    def test_smic_written_where_a_higher_smc_is_due(self):
        f = only(run("contrat.remunerations.base", make({"contrat.smc": "2000.00"})))
        assert (f.level, f.fields) == ("error", ("contrat.remunerations.2.reference",))
        assert "2 000,00 €" in f.message and "SMC" in f.message
        assert "D6222-26" in f.reference

    def test_a_rate_high_enough_on_the_smic_is_accepted(self):
        # 67 % × 1 823,03 = 1 221,43 € ≥ 61 % × 2 000 = 1 220 €.
        d = make({"contrat.smc": "2000.00", "contrat.remunerations.2.taux": 67})
        assert run("contrat.remunerations.base", d) == []

    def test_smc_written_but_lower_than_the_smic(self):
        d = make({"contrat.smc": "1700.00", "contrat.remunerations.2.reference": "SMC"})
        f = only(run("contrat.remunerations.base", d))
        assert f.fields == ("contrat.remunerations.2.reference", "contrat.smc")
        assert "1 700,00 €" in f.message

    def test_higher_smc_before_21_is_more_favourable(self):
        d = make(
            {
                "contrat.smc": "2000.00",
                "contrat.remunerations.0.reference": "SMC",
                "contrat.remunerations.2.reference": "SMC",
            }
        )
        assert run("contrat.remunerations.base", d) == []

    def test_smc_base_without_amount(self):
        f = only(run("contrat.smc.manquant", make({"contrat.remunerations.2.reference": "SMC"})))
        assert f.level == "warning"
        assert f.fields == ("contrat.smc", "contrat.remunerations.2.reference")

    def test_smc_to_check_from_21(self):
        f = only(run("contrat.smc.a_verifier", make()))
        assert (f.level, f.fields) == ("info", ("contrat.smc",))
        assert "01/06/2029" in f.message and "2596" in f.message
        assert "D6222-26" in f.reference

    @pytest.mark.parametrize(
        "changes",
        [
            {"contrat.smc": "1900.00"},
            {"employeur.code_idcc": "9999"},
            {"contrat.date_fin": "2029-05-31"},
        ],
    )
    def test_smc_not_to_check(self, changes):
        assert run("contrat.smc.a_verifier", make(changes)) == []


class TestSalary:
    def test_below_the_minimum(self):
        f = only(
            run(
                "contrat.salaire_brut_embauche.minimum",
                make({"contrat.salaire_brut_embauche": "783.89"}),
            )
        )
        assert (f.level, f.fields) == ("error", ("contrat.salaire_brut_embauche",))
        assert "783,91 €" in f.message and "43 %" in f.message

    def test_less_than_a_cent_is_rounding(self):
        # 43 % × 1 823,03 = 783,9029 €: 783,90 € is the amount rounded down.
        assert (
            run(
                "contrat.salaire_brut_embauche.minimum",
                make({"contrat.salaire_brut_embauche": "783.90"}),
            )
            == []
        )

    def test_shorter_week_in_proportion(self):
        # 30 h: 783,9029 × 30 / 35 = 671,9168 €.
        d = make({"contrat.duree_hebdo.heures": 30, "contrat.salaire_brut_embauche": "671.91"})
        assert run("contrat.salaire_brut_embauche.minimum", d) == []
        d = make({"contrat.duree_hebdo.heures": 30, "contrat.salaire_brut_embauche": "671.90"})
        assert "671,92 €" in only(run("contrat.salaire_brut_embauche.minimum", d)).message

    def test_not_matching_line_1(self):
        f = only(
            run(
                "contrat.salaire_brut_embauche.ligne1",
                make({"contrat.salaire_brut_embauche": "800.00"}),
            )
        )
        assert f.level == "warning"
        assert f.fields == ("contrat.salaire_brut_embauche", "contrat.remunerations.0.taux")
        assert "783,91 €" in f.message and "R6222-4" in f.reference

    def test_line_1_raised_but_salary_not(self):
        # 45 % × 1 823,03 = 820,3635 €; 783,91 € is legal but does not match.
        d = make({"contrat.remunerations.0.taux": 45})
        assert "820,37 €" in only(run("contrat.salaire_brut_embauche.ligne1", d)).message
        assert run("contrat.salaire_brut_embauche.minimum", d) == []

    def test_longer_week_may_add_overtime(self):
        d = make({"contrat.duree_hebdo.heures": 39, "contrat.salaire_brut_embauche": "880.00"})
        assert run("contrat.salaire_brut_embauche.ligne1", d) == []

    def test_below_the_minimum_is_reported_once(self):
        d = make({"contrat.salaire_brut_embauche": "700.00"})
        assert run("contrat.salaire_brut_embauche.ligne1", d) == []


class TestContractTypes:
    def test_succession_same_employer(self):
        f = only(run("contrat.remunerations.succession", make({"contrat.type_contrat": "21"})))
        assert (f.level, f.fields) == ("info", ("contrat.remunerations",))
        assert "percevait" in f.message and "D6222-29" in f.reference

    def test_succession_other_employer(self):
        f = only(run("contrat.remunerations.succession", make({"contrat.type_contrat": "22"})))
        assert "avait droit" in f.message

    def test_public_employer(self):
        public = {"employeur.prive_public": "public", "employeur.type_employeur": "22"}
        # The example prepares a BP (level 4): the 10-point option only.
        f = only(run("contrat.remunerations.employeur_public", make(public)))
        assert f.level == "info" and "D6272-2" in f.reference
        assert "10 points" in f.message and "20 points" not in f.message
        licence = make({**public, "formation.diplome_vise": "62"})
        message = only(run("contrat.remunerations.employeur_public", licence)).message
        assert "niveau 6" in message and "20 points" in message and "10 points" not in message
        unknown = make({**public, "formation.diplome_vise": None})
        message = only(run("contrat.remunerations.employeur_public", unknown)).message
        assert "10 points" in message and "20 points" in message
        cap = make({**public, "formation.diplome_vise": "33"})
        assert run("contrat.remunerations.employeur_public", cap) == []
        assert (
            run(
                "contrat.remunerations.employeur_public",
                make({"employeur.prive_public": "public", "employeur.type_employeur": "30"}),
            )
            == []
        )


class TestAvantagesNature:
    # Example contract starts in 2027: the last flat rates known are those of 2026
    # (meal 5,50 €: 75 % = 4,125 → 4,13 €; one-room housing 79,70 €: 75 % = 59,775 → 59,78 €).

    def test_meal_limit(self):
        assert (
            run(
                "contrat.avantages_nature.nourriture",
                make({"contrat.avantages_nature.nourriture_par_repas": "4.13"}),
            )
            == []
        )
        f = only(
            run(
                "contrat.avantages_nature.nourriture",
                make({"contrat.avantages_nature.nourriture_par_repas": "4.14"}),
            )
        )
        assert f.level == "warning"
        assert f.fields == ("contrat.avantages_nature.nourriture_par_repas",)
        assert "4,13 €" in f.message and "D6222-33" in f.reference

    @pytest.mark.parametrize(
        "changes", [{"employeur.code_idcc": "1979"}, {"employeur.code_ape": "5610A"}]
    )
    def test_meal_limit_in_hotels_cafes_restaurants(self, changes):
        # One minimum garanti per meal: 4,25 € × 75 % = 3,1875 → 3,19 €.
        ok = make({**changes, "contrat.avantages_nature.nourriture_par_repas": "3.19"})
        assert run("contrat.avantages_nature.nourriture", ok) == []
        high = make({**changes, "contrat.avantages_nature.nourriture_par_repas": "3.20"})
        assert "3,19 €" in only(run("contrat.avantages_nature.nourriture", high)).message

    def test_housing_limit(self):
        assert (
            run(
                "contrat.avantages_nature.logement",
                make({"contrat.avantages_nature.logement_par_mois": "59.78"}),
            )
            == []
        )
        f = only(
            run(
                "contrat.avantages_nature.logement",
                make({"contrat.avantages_nature.logement_par_mois": "59.79"}),
            )
        )
        assert f.fields == ("contrat.avantages_nature.logement_par_mois",)
        assert "59,78 €" in f.message and "31,95 €" in f.message

    def test_housing_limit_only_in_the_first_pay_bracket(self):
        d = make(
            {
                "contrat.avantages_nature.logement_par_mois": "90.00",
                "contrat.salaire_brut_embauche": "2100.00",
            }
        )
        assert run("contrat.avantages_nature.logement", d) == []


CYCLE = "contrat.remunerations.cycle_commence"


def test_cycle_begun_before_the_contract_warns_at_the_cycle_anniversary():
    # Cycle started 07/09/2026; contract 01/09/2027 → 31/08/2029: the 2nd year of the cycle
    # starts 07/09/2027, inside the contract's first year.
    dossier = make({"formation.date_debut_cfa": "2026-09-07"})
    finding = only(run(CYCLE, dossier))
    assert finding.level == "warning" == level(CYCLE)
    assert finding.fields == ("contrat.remunerations",)
    assert "07/09/2027" in finding.message and "2e année de formation" in finding.message
    assert finding.reference == reference(CYCLE) and "D6222-28-1" in finding.reference


def test_no_warning_when_the_cycle_starts_with_the_contract_or_turns_with_it():
    assert run(CYCLE, make({"formation.date_debut_cfa": "2027-09-06"})) == []
    # Cycle exactly one year before: its anniversaries are the contract's own.
    assert run(CYCLE, make({"formation.date_debut_cfa": "2026-09-01"})) == []
