"""rules/checks/dates.py: dates and durations, boundaries tested on both sides.

The example contract starts on 2027-09-01 (a Wednesday), is concluded on 2027-08-24, ends
on 2029-08-31; the CFA starts on 2027-09-06 and the exams end on 2029-07-03.
"""

import datetime

import pytest

from .factories import make, only, reference, run

CODES = (
    "contrat.date_conclusion.apres_debut",
    "contrat.date_debut_formation_pratique.hors_contrat",
    "contrat.date_debut_formation_pratique.delai",
    "formation.date_debut_cfa.delai",
    "formation.date_debut_cfa.avant_contrat",
    "contrat.duree",
    "contrat.date_fin.avant_epreuves",
    "contrat.date_fin.apres_epreuves",
    "formation.date_fin_epreuves.ordre",
    "contrat.date_effet_avenant.hors_contrat",
    "date_naissance.future",
    "contrat.transmission.delai",
)


@pytest.mark.parametrize("code", CODES)
def test_example_has_no_finding(code):
    assert run(code, make()) == []


class TestConclusion:
    def test_signed_after_the_start(self):
        f = only(
            run(
                "contrat.date_conclusion.apres_debut",
                make({"contrat.date_conclusion": "2027-09-02"}),
            )
        )
        assert f.level == "error"
        assert f.fields == ("contrat.date_conclusion", "contrat.date_debut_execution")
        assert "02/09/2027" in f.message
        assert "L6222-4" in f.reference and "Atlas" in f.reference

    def test_signed_on_the_first_day(self):
        assert (
            run(
                "contrat.date_conclusion.apres_debut",
                make({"contrat.date_conclusion": "2027-09-01"}),
            )
            == []
        )

    def test_avenant_is_signed_during_the_contract(self):
        d = make({"contrat.type_contrat": "36", "contrat.date_conclusion": "2028-03-01"})
        assert run("contrat.date_conclusion.apres_debut", d) == []

    def test_succession_is_checked(self):
        d = make({"contrat.type_contrat": "23", "contrat.date_conclusion": "2027-09-02"})
        assert len(run("contrat.date_conclusion.apres_debut", d)) == 1


class TestPracticalTraining:
    def test_before_the_start(self):
        f = only(
            run(
                "contrat.date_debut_formation_pratique.hors_contrat",
                make({"contrat.date_debut_formation_pratique": "2027-08-31"}),
            )
        )
        assert f.level == "error"
        assert f.fields == ("contrat.date_debut_formation_pratique", "contrat.date_debut_execution")
        assert "L6222-12" in f.reference

    def test_after_the_end(self):
        d = make(
            {
                "contrat.date_fin": "2028-02-29",
                "contrat.date_debut_formation_pratique": "2028-03-01",
            }
        )
        f = only(run("contrat.date_debut_formation_pratique.hors_contrat", d))
        assert f.fields == ("contrat.date_debut_formation_pratique", "contrat.date_fin")

    def test_three_months_boundary(self):
        late = run(
            "contrat.date_debut_formation_pratique.delai",
            make({"contrat.date_debut_formation_pratique": "2027-12-02"}),
        )
        f = only(late)
        assert f.level == "error"
        assert f.fields == ("contrat.date_debut_formation_pratique", "contrat.date_debut_execution")
        assert "01/12/2027" in f.message
        assert "L6222-12" in f.reference
        assert (
            run(
                "contrat.date_debut_formation_pratique.delai",
                make({"contrat.date_debut_formation_pratique": "2027-12-01"}),
            )
            == []
        )

    def test_an_avenant_keeps_the_contract_start(self):
        changes = {"contrat.date_debut_formation_pratique": "2027-12-02"}
        assert len(run("contrat.date_debut_formation_pratique.delai", make(changes))) == 1
        avenant = make({**changes, "contrat.type_contrat": "36"})
        assert run("contrat.date_debut_formation_pratique.delai", avenant) == []

    def test_three_months_from_the_end_of_a_month(self):
        # 30 November + 3 months = 29 February 2028 (no 30 February).
        base = {"contrat.date_debut_execution": "2027-11-30"}
        ok = make({**base, "contrat.date_debut_formation_pratique": "2028-02-29"})
        late = make({**base, "contrat.date_debut_formation_pratique": "2028-03-01"})
        assert run("contrat.date_debut_formation_pratique.delai", ok) == []
        assert len(run("contrat.date_debut_formation_pratique.delai", late)) == 1


class TestCfaStart:
    def test_three_months_boundary(self):
        f = only(
            run("formation.date_debut_cfa.delai", make({"formation.date_debut_cfa": "2027-12-02"}))
        )
        assert f.level == "error"
        assert f.fields == ("formation.date_debut_cfa", "contrat.date_debut_execution")
        assert "L6222-12" in f.reference and "Atlas" in f.reference
        assert (
            run("formation.date_debut_cfa.delai", make({"formation.date_debut_cfa": "2027-12-01"}))
            == []
        )

    @pytest.mark.parametrize("avenant", ["35", "38"])
    def test_an_avenant_may_start_a_training_long_after_the_contract(self, avenant):
        # The avenant keeps the contract's start (01/09/2027); its new training starts a
        # year later: not a breach of the 3 months counted from the contract's start.
        changes = {
            "contrat.type_contrat": avenant,
            "contrat.numero_contrat_precedent": "069202708000123",
            "contrat.date_conclusion": "2028-08-20",
            "contrat.date_effet_avenant": "2028-09-01",
            "formation.date_debut_cfa": "2028-09-04",
        }
        assert run("formation.date_debut_cfa.delai", make(changes)) == []
        late = {**changes, "contrat.type_contrat": "11"}
        assert len(run("formation.date_debut_cfa.delai", make(late))) == 1

    def test_before_the_contract_without_explanation(self):
        f = only(
            run(
                "formation.date_debut_cfa.avant_contrat",
                make({"formation.date_debut_cfa": "2027-08-30"}),
            )
        )
        assert f.level == "warning"
        assert f.fields == (
            "formation.date_debut_cfa",
            "contrat.date_debut_execution",
            "apprenti.situation_avant_contrat",
        )
        assert "L6222-12-1" in f.reference

    @pytest.mark.parametrize(
        "changes",
        [
            {"apprenti.situation_avant_contrat": "4"},
            {"apprenti.situation_avant_contrat": "8"},
            {"contrat.type_contrat": "22"},
            {"contrat.type_contrat": "36"},
        ],
    )
    def test_before_the_contract_explained(self, changes):
        d = make({"formation.date_debut_cfa": "2027-03-01", **changes})
        assert run("formation.date_debut_cfa.avant_contrat", d) == []

    def test_stagiaire_for_three_months_at_most(self):
        base = {"apprenti.situation_avant_contrat": "7"}
        # 1 June + 3 months = 1 September, the start: allowed.
        assert (
            run(
                "formation.date_debut_cfa.avant_contrat",
                make({**base, "formation.date_debut_cfa": "2027-06-01"}),
            )
            == []
        )
        # 31 May + 3 months = 31 August: the contract should have started by then.
        f = only(
            run(
                "formation.date_debut_cfa.avant_contrat",
                make({**base, "formation.date_debut_cfa": "2027-05-31"}),
            )
        )
        assert "31/08/2027" in f.message

    def test_stagiaire_from_a_month_end(self):
        # From 30 November 2027, three months of stagiaire status end on 29 February 2028
        # (no 30 February): the contract may start on 1 March, not on 2 March.
        base = {
            "apprenti.situation_avant_contrat": "7",
            "formation.date_debut_cfa": "2027-11-30",
            "contrat.date_conclusion": "2028-02-20",
            "contrat.date_debut_formation_pratique": None,
        }
        code = "formation.date_debut_cfa.avant_contrat"
        on_time = make({**base, "contrat.date_debut_execution": "2028-03-01"})
        assert run(code, on_time) == []
        late = make({**base, "contrat.date_debut_execution": "2028-03-02"})
        assert "01/03/2028" in only(run(code, late)).message


class TestDuration:
    def test_six_months_from_a_month_end(self):
        # From 31 August 2027, six months end on the last day of February, 29/02/2028 (a
        # period starting on the 31st ends on the last day of a shorter month).
        base = {
            "contrat.date_conclusion": "2027-08-30",
            "contrat.date_debut_execution": "2027-08-31",
            "contrat.date_debut_formation_pratique": "2027-08-31",
        }
        assert run("contrat.duree", make({**base, "contrat.date_fin": "2028-02-29"})) == []
        f = only(run("contrat.duree", make({**base, "contrat.date_fin": "2028-02-28"})))
        assert "29/02/2028" in f.message

    def test_six_months_exactly(self):
        # From 1 September 2027, six months end on 29 February 2028 (leap year).
        assert run("contrat.duree", make({"contrat.date_fin": "2028-02-29"})) == []

    def test_one_day_short_of_six_months(self):
        f = only(run("contrat.duree", make({"contrat.date_fin": "2028-02-28"})))
        assert f.level == "error"
        assert f.fields == ("contrat.date_debut_execution", "contrat.date_fin")
        assert "29/02/2028" in f.message
        assert "L6222-7-1" in f.reference

    def test_after_a_rupture_the_new_contract_may_be_shorter(self):
        # R6222-23-1: the apprentice went on at the CFA after a rupture (situation 8) and
        # finishes his cycle with a new employer in four months.
        changes = {"contrat.date_fin": "2027-12-31", "formation.date_fin_epreuves": "2027-12-15"}
        assert len(run("contrat.duree", make(changes))) == 1
        after_rupture = {
            **changes,
            "contrat.type_contrat": "23",
            "apprenti.situation_avant_contrat": "8",
        }
        assert run("contrat.duree", make(after_rupture)) == []
        assert "R6222-23-1" in reference("contrat.duree")

    def test_three_years_exactly(self):
        assert run("contrat.duree", make({"contrat.date_fin": "2030-08-31"})) == []

    def test_one_day_over_three_years(self):
        f = only(run("contrat.duree", make({"contrat.date_fin": "2030-09-01"})))
        assert "31/08/2030" in f.message
        assert "4 ans" in f.message

    @pytest.mark.parametrize(
        "changes",
        [
            {"apprenti.rqth": True},
            {"apprenti.equivalence_jeunes": True},
            {"apprenti.extension_boe": True},
            {"apprenti.sportif_haut_niveau": True},
            {"contrat.type_contrat": "33"},
            {"contrat.type_contrat": "34"},
        ],
    )
    def test_four_years(self, changes):
        assert run("contrat.duree", make({"contrat.date_fin": "2031-08-31", **changes})) == []
        f = only(run("contrat.duree", make({"contrat.date_fin": "2031-09-01", **changes})))
        assert "31/08/2031" in f.message
        assert "R6222-46" in f.reference and "R6222-60" in f.reference

    def test_end_before_start(self):
        f = only(run("contrat.duree", make({"contrat.date_fin": "2027-08-31"})))
        assert "avant la date de début" in f.message


class TestEndAndExams:
    def test_end_before_the_last_exam(self):
        f = only(run("contrat.date_fin.avant_epreuves", make({"contrat.date_fin": "2029-07-02"})))
        assert f.level == "error"
        assert f.fields == ("contrat.date_fin", "formation.date_fin_epreuves")
        assert "Atlas" in f.reference

    def test_end_on_the_last_exam(self):
        assert (
            run("contrat.date_fin.avant_epreuves", make({"contrat.date_fin": "2029-07-03"})) == []
        )

    def test_two_months_after_the_last_exam(self):
        # 3 July + 2 months = 3 September, included.
        assert (
            run("contrat.date_fin.apres_epreuves", make({"contrat.date_fin": "2029-09-03"})) == []
        )
        f = only(run("contrat.date_fin.apres_epreuves", make({"contrat.date_fin": "2029-09-04"})))
        assert f.level == "warning"
        assert f.fields == ("contrat.date_fin", "formation.date_fin_epreuves")
        assert "03/09/2029" in f.message
        assert "veille du début du cycle" in f.message
        assert f.reference == "FAQ Atlas"

    def test_two_months_from_the_end_of_june(self):
        # 30 June + 2 months = 30 August (the same day number).
        base = {"formation.date_fin_epreuves": "2029-06-30"}
        assert (
            run("contrat.date_fin.apres_epreuves", make({**base, "contrat.date_fin": "2029-08-30"}))
            == []
        )
        assert (
            len(
                run(
                    "contrat.date_fin.apres_epreuves",
                    make({**base, "contrat.date_fin": "2029-08-31"}),
                )
            )
            == 1
        )

    def test_exams_before_the_cfa_start(self):
        f = only(
            run(
                "formation.date_fin_epreuves.ordre",
                make({"formation.date_fin_epreuves": "2027-09-06"}),
            )
        )
        assert f.level == "error"
        assert f.fields == ("formation.date_fin_epreuves", "formation.date_debut_cfa")
        assert "L6222-7-1" in f.reference

    def test_exams_before_the_contract(self):
        d = make(
            {"formation.date_debut_cfa": "2026-09-01", "formation.date_fin_epreuves": "2027-08-31"}
        )
        f = only(run("formation.date_fin_epreuves.ordre", d))
        assert f.fields == ("formation.date_fin_epreuves", "contrat.date_debut_execution")

    def test_exams_on_the_first_day_of_the_contract(self):
        d = make(
            {"formation.date_debut_cfa": "2026-09-01", "formation.date_fin_epreuves": "2027-09-01"}
        )
        assert run("formation.date_fin_epreuves.ordre", d) == []


class TestAvenantDate:
    AVENANT = {"contrat.type_contrat": "36", "contrat.numero_contrat_precedent": "069202709000123"}

    @pytest.mark.parametrize(
        ("effet", "field"),
        [
            ("2027-08-31", "contrat.date_debut_execution"),
            ("2029-09-01", "contrat.date_fin"),
        ],
    )
    def test_outside_the_contract(self, effet, field):
        f = only(
            run(
                "contrat.date_effet_avenant.hors_contrat",
                make({**self.AVENANT, "contrat.date_effet_avenant": effet}),
            )
        )
        assert f.level == "error"
        assert f.fields == ("contrat.date_effet_avenant", field)
        assert "10103*14" in f.reference

    @pytest.mark.parametrize("effet", ["2027-09-01", "2029-08-31"])
    def test_inside_the_contract(self, effet):
        d = make({**self.AVENANT, "contrat.date_effet_avenant": effet})
        assert run("contrat.date_effet_avenant.hors_contrat", d) == []

    def test_not_an_avenant(self):
        d = make({"contrat.date_effet_avenant": "2020-01-01"})
        assert run("contrat.date_effet_avenant.hors_contrat", d) == []


class TestBirthInTheFuture:
    TODAY = datetime.date(2027, 8, 25)

    def test_apprentice_born_tomorrow(self):
        f = only(
            run(
                "date_naissance.future",
                make({"apprenti.date_naissance": "2027-08-26"}),
                today=self.TODAY,
            )
        )
        assert f.level == "error"
        assert f.fields == ("apprenti.date_naissance",)
        assert "10103*14" in f.reference

    def test_born_today_is_not_in_the_future(self):
        assert (
            run(
                "date_naissance.future",
                make({"apprenti.date_naissance": "2027-08-25"}),
                today=self.TODAY,
            )
            == []
        )

    def test_maitre(self):
        f = only(
            run(
                "date_naissance.future",
                make({"maitres.0.date_naissance": "2030-01-01"}),
                today=self.TODAY,
            )
        )
        assert f.fields == ("maitres.0.date_naissance",)
        assert "n°1" in f.message


class TestFilingDeadline:
    # Start Wednesday 1 September 2027: 5 jours ouvrables (Sundays excluded) end on Tuesday 7.
    def test_on_the_last_day(self):
        assert run("contrat.transmission.delai", make(), today=datetime.date(2027, 9, 7)) == []

    def test_one_day_late(self):
        f = only(run("contrat.transmission.delai", make(), today=datetime.date(2027, 9, 8)))
        assert f.level == "warning"
        assert f.fields == ("contrat.date_debut_execution",)
        assert "07/09/2027" in f.message and "OPCO" in f.message
        assert "D6224-1" in f.reference and "D6275-1" in f.reference

    def test_public_employer_files_with_the_state(self):
        d = make({"employeur.prive_public": "public", "employeur.type_employeur": "22"})
        f = only(run("contrat.transmission.delai", d, today=datetime.date(2027, 10, 1)))
        assert "DDETS" in f.message

    def test_avenant_is_not_concerned(self):
        d = make({"contrat.type_contrat": "36"})
        assert run("contrat.transmission.delai", d, today=datetime.date(2028, 1, 1)) == []
