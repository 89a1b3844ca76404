"""R6222-48: the year added for a disabled apprentice is paid at the last year's
percentages raised by 15 points, in ``complete``'s grid and in the checks.

The example apprentice (born 14/05/2008) is 19 at the start (01/09/2027) and 21 on
14/05/2029, so the 21-25 bracket applies from 01/06/2029 (D6222-31): 43 % then 51 % and
61 % in years 1 and 2, 78 % in a 3rd year (D6222-26).
"""

import datetime

import pytest

from rules.complete import complete
from rules.remuneration import GridInputs, compute_grid, grid_for, grid_inputs

from .factories import level, make, only, reference, run

D = datetime.date
WARNING = "contrat.remunerations.majoration_handicap"
MINIMUM = "contrat.remunerations.taux_minimum"
RQTH = {"apprenti.rqth": True, "apprenti.equivalence_jeunes": None, "apprenti.extension_boe": None}
FOUR_YEARS = {
    **RQTH,
    "contrat.type_derogation": "22",
    "contrat.date_fin": "2031-08-31",
    "formation.date_fin_epreuves": "2031-07-03",
}


def rates(d):
    return [(x.annee, x.periode, x.du, x.au, x.taux) for x in grid_for(d).lines]


def year_4(taux) -> dict:
    """The example's grid, with a 3rd and a 4th year written at the given 4th-year rate."""
    return {
        "contrat.remunerations.2.au": "2029-08-31",
        "contrat.remunerations.3": {
            "annee": 3,
            "periode": 1,
            "du": "2029-09-01",
            "au": "2030-08-31",
            "taux": 78,
            "reference": "SMIC",
        },
        "contrat.remunerations.4": {
            "annee": 4,
            "periode": 1,
            "du": "2030-09-01",
            "au": "2031-08-31",
            "taux": taux,
            "reference": "SMIC",
        },
    }


class TestTheGrid:
    @pytest.mark.parametrize(
        "rights",
        [
            {"apprenti.rqth": True},
            {"apprenti.rqth": False, "apprenti.extension_boe": True},
            {"apprenti.rqth": False, "apprenti.equivalence_jeunes": True},
        ],
    )
    def test_a_fourth_year_is_the_year_added_78_plus_15(self, rights):
        d = make({**FOUR_YEARS, **rights})
        assert grid_inputs(d).majoration_handicap_depuis == D(2030, 9, 1)
        assert rates(d)[-2:] == [
            (3, 1, D(2029, 9, 1), D(2030, 8, 31), 78),
            (4, 1, D(2030, 9, 1), D(2031, 8, 31), 93),
        ]
        assert "année ajoutée en raison du handicap" in grid_for(d).lines[-1].motif

    def test_without_rqth_rights_the_fourth_year_keeps_the_third_year_rate(self):
        d = make({**FOUR_YEARS, "apprenti.rqth": False})
        assert grid_inputs(d).majoration_handicap_depuis is None
        assert rates(d)[-1][-1] == 78

    def test_a_sportif_de_haut_niveau_keeps_the_third_year_rate(self):
        # R6222-60: his 4th year is paid as the 3rd; with an RQTH too, the form does not
        # say which allowed the 4th year (a warning asks, below).
        d = make({**FOUR_YEARS, "apprenti.sportif_haut_niveau": True})
        assert rates(d)[-1][-1] == 78

    def test_26_and_over_is_raised_too(self):
        # R6222-48 raises every bracket by the same 15 points: 100 % becomes 115 %.
        g = compute_grid(
            GridInputs(
                D(1995, 1, 10),
                D(2027, 9, 1),
                D(2031, 8, 31),
                majoration_handicap_depuis=D(2030, 9, 1),
            )
        )
        assert [x.taux for x in g.lines] == [100, 100, 100, 115]

    def test_the_added_year_is_never_below_its_own_year_of_execution(self):
        # A 3-year contract whose 3rd year is the added one (avenant 34 from 01/09/2029):
        # 2nd-year 61 % + 15 = 76 %, below the 3rd year's own 78 %: 78 % stays.
        d = make(
            {
                **RQTH,
                "contrat.type_contrat": "34",
                "contrat.numero_contrat_precedent": "069202708000123",
                "contrat.date_effet_avenant": "2029-09-01",
                "contrat.date_fin": "2030-08-31",
            }
        )
        assert grid_inputs(d).majoration_handicap_depuis == D(2029, 9, 1)
        assert rates(d)[-1] == (3, 1, D(2029, 9, 1), D(2030, 8, 31), 78)

    def test_an_avenant_34_after_one_year(self):
        # One-year cycle extended by an avenant 34 from 01/09/2028: year 2 is paid at the
        # 1st year's rate + 15 points, in the bracket of each day: 43 + 15 = 58 %, then
        # 53 + 15 = 68 % from 01/06/2029 (both above the 2nd year's 51 % and 61 %).
        d = make(
            {
                **RQTH,
                "contrat.type_contrat": "34",
                "contrat.numero_contrat_precedent": "069202708000123",
                "contrat.date_effet_avenant": "2028-09-01",
            }
        )
        assert rates(d) == [
            (1, 1, D(2027, 9, 1), D(2028, 8, 31), 43),
            (2, 1, D(2028, 9, 1), D(2029, 5, 31), 58),
            (2, 2, D(2029, 6, 1), D(2029, 8, 31), 68),
        ]

    def test_complete_fills_the_added_year(self):
        done, _ = complete(make({**FOUR_YEARS, "contrat.remunerations": []}))
        assert [x.taux for x in done.contrat.remunerations if x.annee == 4] == [93]


class TestTheMinimumRateCheck:
    def test_boundaries_of_the_fourth_year(self):
        assert run(MINIMUM, make({**FOUR_YEARS, **year_4(93)})) == []
        f = only(run(MINIMUM, make({**FOUR_YEARS, **year_4(92)})))
        assert f.level == "error" and f.fields == ("contrat.remunerations.4.taux",)
        assert "93 %" in f.message and "handicap" in f.message


class TestTheWarning:
    LENGTHENED = {**RQTH, "contrat.type_derogation": "22"}

    def test_level_and_reference(self):
        assert level(WARNING) == "warning"
        assert "R6222-48" in reference(WARNING)

    def test_a_lengthening_within_three_years(self):
        # The example's 2-year contract, lengthened (dérogation 22) for an RQTH: if year 2
        # is the added one, 43 + 15 = 58 % then 53 + 15 = 68 %; the written 51 % and 61 %
        # are below.
        f = only(run(WARNING, make(self.LENGTHENED)))
        assert f.fields == ("contrat.remunerations.1.taux", "contrat.remunerations.2.taux")
        assert (
            "58 % du SMIC du 01/09/2028 au 31/05/2029 puis 68 % du SMIC du 01/06/2029 au "
            "31/08/2029" in f.message
        )

    def test_boundaries(self):
        paid = {"contrat.remunerations.1.taux": 58, "contrat.remunerations.2.taux": 68}
        assert run(WARNING, make({**self.LENGTHENED, **paid})) == []
        short = {**paid, "contrat.remunerations.2.taux": 67}
        f = only(run(WARNING, make({**self.LENGTHENED, **short})))
        assert f.fields == ("contrat.remunerations.2.taux",)

    def test_no_written_grid(self):
        d = make({**self.LENGTHENED, "contrat.remunerations": []})
        assert only(run(WARNING, d)).fields == ("contrat.remunerations",)

    def test_a_fourth_year_of_a_sportif_with_an_rqth(self):
        d = make({**FOUR_YEARS, "apprenti.sportif_haut_niveau": True, **year_4(78)})
        f = only(run(WARNING, d))
        assert f.fields == ("contrat.remunerations.4.taux",)
        assert "93 % du SMIC du 01/09/2030 au 31/08/2031" in f.message
        assert "sportif de haut niveau" in f.message

    def test_nothing_when_the_grid_already_applies_it_or_nothing_is_added(self):
        # 4th year certain: the grid has it, the minimum-rate error says it.
        assert run(WARNING, make({**FOUR_YEARS, **year_4(78)})) == []
        # No lengthening declared, no RQTH, or a single year.
        assert run(WARNING, make(RQTH)) == []
        assert run(WARNING, make({"contrat.type_derogation": "22"})) == []
        one_year = {**self.LENGTHENED, "contrat.date_fin": "2028-08-31"}
        assert run(WARNING, make(one_year)) == []
