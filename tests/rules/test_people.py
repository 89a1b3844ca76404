"""rules/checks/people.py: ages and exemptions, minors, maîtres.

The example contract starts on 2027-09-01 and is concluded on 2027-08-24. Born on
2012-09-01, one is 15 on the start; born on 2012-09-02, 14. Born on 1997-09-01, 30; on
1997-09-02, 29.
"""

import pytest

from .factories import MAITRE_2, make, only, run

MINOR = {"apprenti.date_naissance": "2011-01-10"}  # 16 at the start


CODES = (
    "apprenti.age.minimum",
    "apprenti.age.maximum",
    "apprenti.age.succession_niveau",
    "apprenti.age.succession_conditions",
    "contrat.type_derogation.age",
    "apprenti.equivalence_jeunes.age",
    "contrat.duree_hebdo.maximum",
    "contrat.duree_hebdo.mineur_derogation",
    "contrat.duree_hebdo.heures_supplementaires",
    "contrat.duree_hebdo.moyenne",
    "contrat.duree_hebdo.temps_partiel",
    "contrat.machines_dangereuses.mineur",
    "contrat.machines_dangereuses.duree_limitee",
    "maitres.age.majeur",
    "maitres.attestation",
    "maitres.niveau_diplome",
)


@pytest.mark.parametrize("code", CODES)
def test_example_has_no_finding(code):
    assert run(code, make()) == []


class TestMinimumAge:
    def test_fourteen(self):
        f = only(run("apprenti.age.minimum", make({"apprenti.date_naissance": "2012-09-02"})))
        assert f.level == "error"
        assert f.fields == ("apprenti.date_naissance", "contrat.date_debut_execution")
        assert "14 ans" in f.message and "02/09/2027" in f.message
        assert f.reference == "C. trav. art. L6222-1"

    def test_fifteen_with_college_completed(self):
        d = make({"apprenti.date_naissance": "2012-09-01", "apprenti.derniere_classe": "40"})
        assert run("apprenti.age.minimum", d) == []

    @pytest.mark.parametrize("classe", ["41", "42"])
    def test_fifteen_without_college_completed(self, classe):
        d = make({"apprenti.date_naissance": "2012-09-01", "apprenti.derniere_classe": classe})
        f = only(run("apprenti.age.minimum", d))
        assert f.fields[-1] == "apprenti.derniere_classe"
        assert "01/09/2028" in f.message  # the sixteenth birthday

    def test_sixteen_even_without_college(self):
        d = make({"apprenti.date_naissance": "2011-09-01", "apprenti.derniere_classe": "42"})
        assert run("apprenti.age.minimum", d) == []


class TestMaximumAge:
    def test_twenty_nine(self):
        assert run("apprenti.age.maximum", make({"apprenti.date_naissance": "1997-09-02"})) == []

    def test_thirty(self):
        f = only(run("apprenti.age.maximum", make({"apprenti.date_naissance": "1997-09-01"})))
        assert f.level == "error"
        assert f.fields == (
            "apprenti.date_naissance",
            "contrat.date_debut_execution",
            "contrat.type_contrat",
        )
        assert "30 ans" in f.message
        assert "L6222-2" in f.reference and "D6222-1" in f.reference

    @pytest.mark.parametrize(
        "exemption",
        [
            "apprenti.rqth",
            "apprenti.equivalence_jeunes",
            "apprenti.extension_boe",
            "apprenti.sportif_haut_niveau",
            "apprenti.projet_creation_reprise_entreprise",
        ],
    )
    def test_no_limit(self, exemption):
        d = make({"apprenti.date_naissance": "1970-01-01", exemption: True})
        assert run("apprenti.age.maximum", d) == []

    # Concluded on 2027-08-24: born 1991-08-25 is 35 that day, born 1991-08-24 is 36.
    def test_succession_up_to_thirty_five_at_conclusion(self):
        d = make({"apprenti.date_naissance": "1991-08-25", "contrat.type_contrat": "22"})
        assert run("apprenti.age.maximum", d) == []

    def test_succession_at_thirty_six(self):
        d = make({"apprenti.date_naissance": "1991-08-24", "contrat.type_contrat": "23"})
        f = only(run("apprenti.age.maximum", d))
        assert f.fields == ("apprenti.date_naissance", "contrat.date_conclusion")
        assert "36 ans" in f.message
        assert "échec à l'examen" in f.message
        assert "L6222-11" in f.reference


class TestSuccessionExemption:
    BASE = {
        "apprenti.date_naissance": "1995-01-01",
        "contrat.type_contrat": "21",
        "apprenti.diplome_plus_eleve": "41",
    }

    def test_same_level_as_the_diploma_obtained(self):
        f = only(
            run(
                "apprenti.age.succession_niveau",
                make({**self.BASE, "formation.diplome_vise": "49"}),
            )
        )
        assert f.level == "warning"
        assert f.fields == ("formation.diplome_vise", "apprenti.diplome_plus_eleve")
        assert "L6222-2 1°" in f.reference

    def test_higher_level(self):
        assert (
            run(
                "apprenti.age.succession_niveau",
                make({**self.BASE, "formation.diplome_vise": "54"}),
            )
            == []
        )

    def test_broken_contract_needs_no_higher_level(self):
        d = make({**self.BASE, "contrat.type_contrat": "23", "formation.diplome_vise": "49"})
        assert run("apprenti.age.succession_niveau", d) == []

    def test_under_thirty_is_not_concerned(self):
        d = make({**self.BASE, "apprenti.date_naissance": "1997-09-02"})
        assert run("apprenti.age.succession_niveau", d) == []

    def test_conditions_after_a_rupture(self):
        f = only(
            run(
                "apprenti.age.succession_conditions",
                make({**self.BASE, "contrat.type_contrat": "23"}),
            )
        )
        assert f.level == "info"
        assert f.fields == ("contrat.type_contrat",)
        assert "moins d'un an" in f.message and "rupture" in f.message
        assert "D6222-1" in f.reference

    def test_conditions_after_a_completed_contract(self):
        f = only(run("apprenti.age.succession_conditions", make(self.BASE)))
        assert "rupture" not in f.message

    def test_no_reminder_with_another_exemption(self):
        d = make({**self.BASE, "apprenti.rqth": True})
        assert run("apprenti.age.succession_conditions", d) == []


class TestDerogationCode:
    def test_fifteen_needs_code_11(self):
        d = make({"apprenti.date_naissance": "2012-09-01"})
        f = only(run("contrat.type_derogation.age", d))
        assert f.level == "error"
        assert f.fields == (
            "contrat.type_derogation",
            "apprenti.date_naissance",
            "contrat.date_debut_execution",
        )
        assert "11" in f.message
        assert "L6222-1" in f.reference and "51649#09" in f.reference

    @pytest.mark.parametrize("code", ["11", "50"])
    def test_fifteen_with_the_code(self, code):
        d = make({"apprenti.date_naissance": "2012-09-01", "contrat.type_derogation": code})
        assert run("contrat.type_derogation.age", d) == []

    def test_thirty_with_an_exemption_needs_code_12(self):
        d = make({"apprenti.date_naissance": "1997-09-01", "apprenti.rqth": True})
        f = only(run("contrat.type_derogation.age", d))
        assert "12" in f.message

    def test_thirty_with_code_12(self):
        d = make(
            {
                "apprenti.date_naissance": "1997-09-01",
                "apprenti.rqth": True,
                "contrat.type_derogation": "12",
            }
        )
        assert run("contrat.type_derogation.age", d) == []

    def test_thirty_without_any_exemption_is_said_by_the_age_rule(self):
        d = make({"apprenti.date_naissance": "1997-09-01"})
        assert run("contrat.type_derogation.age", d) == []

    def test_code_11_at_sixteen(self):
        d = make({"apprenti.date_naissance": "2011-09-01", "contrat.type_derogation": "11"})
        f = only(run("contrat.type_derogation.age", d))
        assert "16 ans" in f.message

    def test_code_12_at_twenty_nine(self):
        d = make({"apprenti.date_naissance": "1997-09-02", "contrat.type_derogation": "12"})
        f = only(run("contrat.type_derogation.age", d))
        assert "29 ans" in f.message

    def test_other_codes_are_not_about_age(self):
        assert run("contrat.type_derogation.age", make({"contrat.type_derogation": "21"})) == []


class TestEquivalenceJeunes:
    def test_outside_fifteen_to_twenty(self):
        d = make({"apprenti.date_naissance": "2006-08-31", "apprenti.equivalence_jeunes": True})
        f = only(run("apprenti.equivalence_jeunes.age", d))  # 21 at the start
        assert f.level == "warning"
        assert f.fields == ("apprenti.equivalence_jeunes",)
        assert "2023-1196" in f.reference

    def test_twenty(self):
        d = make({"apprenti.date_naissance": "2006-09-02", "apprenti.equivalence_jeunes": True})
        assert run("apprenti.equivalence_jeunes.age", d) == []


class TestWeeklyHours:
    def test_minor_above_forty(self):
        d = make({**MINOR, "contrat.duree_hebdo.heures": 40, "contrat.duree_hebdo.minutes": 15})
        f = only(run("contrat.duree_hebdo.maximum", d))
        assert f.level == "error"
        assert f.fields == ("contrat.duree_hebdo.heures",)
        assert "L3162-1" in f.reference and "L3121-20" in f.reference
        assert "L6222-25" in f.reference

    def test_minor_at_forty(self):
        d = make({**MINOR, "contrat.duree_hebdo.heures": 40})
        assert run("contrat.duree_hebdo.maximum", d) == []

    def test_adult_above_forty_eight(self):
        d = make({"contrat.duree_hebdo.heures": 48, "contrat.duree_hebdo.minutes": 30})
        assert len(run("contrat.duree_hebdo.maximum", d)) == 1
        assert run("contrat.duree_hebdo.maximum", make({"contrat.duree_hebdo.heures": 48})) == []

    def test_minor_above_thirty_five_needs_a_derogation(self):
        d = make({**MINOR, "contrat.duree_hebdo.heures": 35, "contrat.duree_hebdo.minutes": 30})
        f = only(run("contrat.duree_hebdo.mineur_derogation", d))
        assert f.level == "warning"
        assert f.fields == ("contrat.duree_hebdo.heures",)
        assert "35 h 30" in f.message
        assert "R3162-1" in f.reference

    def test_minor_at_thirty_five(self):
        assert run("contrat.duree_hebdo.mineur_derogation", make(MINOR)) == []

    def test_minor_above_forty_is_the_error_only(self):
        d = make({**MINOR, "contrat.duree_hebdo.heures": 41})
        assert run("contrat.duree_hebdo.mineur_derogation", d) == []

    def test_adult_overtime_is_information(self):
        f = only(
            run(
                "contrat.duree_hebdo.heures_supplementaires",
                make({"contrat.duree_hebdo.heures": 39}),
            )
        )
        assert f.level == "info"
        assert f.fields == ("contrat.duree_hebdo.heures",)
        assert "L3121-27" in f.reference

    def test_overtime_not_for_minors(self):
        d = make({**MINOR, "contrat.duree_hebdo.heures": 39})
        assert run("contrat.duree_hebdo.heures_supplementaires", d) == []

    def test_minor_turning_eighteen_the_day_of_the_start_is_an_adult(self):
        d = make({"apprenti.date_naissance": "2009-09-01", "contrat.duree_hebdo.heures": 39})
        assert run("contrat.duree_hebdo.mineur_derogation", d) == []
        d = make({"apprenti.date_naissance": "2009-09-02", "contrat.duree_hebdo.heures": 39})
        assert len(run("contrat.duree_hebdo.mineur_derogation", d)) == 1


def week(hours: int, minutes: int = 0, **more) -> dict:
    return {"contrat.duree_hebdo.heures": hours, "contrat.duree_hebdo.minutes": minutes, **more}


class TestAdultWeeklyLimits:
    AVERAGE = "contrat.duree_hebdo.moyenne"
    OVERTIME = "contrat.duree_hebdo.heures_supplementaires"

    def test_overtime_up_to_forty_four_hours(self):
        f = only(run(self.OVERTIME, make(week(44))))
        assert "10 h" in f.message and "L3121-18" in f.reference
        assert run(self.OVERTIME, make(week(44, 1))) == []  # the average rule says it
        assert run(self.OVERTIME, make(week(35))) == []

    def test_the_twelve_week_average_from_forty_four_hours(self):
        assert run(self.AVERAGE, make(week(44))) == []
        f = only(run(self.AVERAGE, make(week(44, 1))))
        assert f.level == "warning" and f.fields == ("contrat.duree_hebdo.heures",)
        assert "44 h 01" in f.message and "46 h" in f.message and "accord" in f.message
        assert "L3121-22" in f.reference and "L3121-23" in f.reference

    def test_an_agreement_allows_forty_six_hours_on_average_not_more(self):
        up_to_46 = only(run(self.AVERAGE, make(week(46)))).message
        assert "sauf si un accord d'entreprise ou de branche porte cette moyenne à 46 h" in up_to_46
        beyond = only(run(self.AVERAGE, make(week(46, 1)))).message
        assert "ce contrat n'est possible que si des semaines plus courtes" in beyond

    def test_forty_eight_hours_is_the_last_warning_then_the_error(self):
        assert len(run(self.AVERAGE, make(week(48)))) == 1
        assert run(self.AVERAGE, make(week(48, 1))) == []
        assert len(run("contrat.duree_hebdo.maximum", make(week(48, 1)))) == 1

    def test_minors_have_their_own_limits(self):
        assert run(self.AVERAGE, make({**MINOR, **week(45)})) == []


class TestPartTime:
    CODE = "contrat.duree_hebdo.temps_partiel"

    def test_a_shorter_week_without_rqth_nor_sport(self):
        f = only(run(self.CODE, make(week(34, 59))))
        assert f.level == "warning"
        assert f.fields == (
            "contrat.duree_hebdo.heures",
            "apprenti.rqth",
            "apprenti.sportif_haut_niveau",
        )
        assert "34 h 59" in f.message and "temps plein" in f.message
        assert "R6222-49-1" in f.reference and "L6222-24" in f.reference

    def test_full_time_and_longer(self):
        assert run(self.CODE, make(week(35))) == []
        assert run(self.CODE, make(week(39))) == []

    @pytest.mark.parametrize(
        "status",
        [
            {"apprenti.rqth": True},
            {"apprenti.extension_boe": True},
            {"apprenti.equivalence_jeunes": True},
            {"apprenti.sportif_haut_niveau": True},
        ],
    )
    def test_lawful_for_a_disabled_apprentice_or_a_sportif_de_haut_niveau(self, status):
        assert run(self.CODE, make({**week(24), **status})) == []

    def test_an_empty_or_zero_week_is_left_to_the_other_rules(self):
        assert run(self.CODE, make(week(0))) == []
        assert run(self.CODE, make({"contrat.duree_hebdo.heures": None})) == []


class TestDangerousWork:
    def test_minor(self):
        f = only(
            run(
                "contrat.machines_dangereuses.mineur",
                make({**MINOR, "contrat.machines_dangereuses": True}),
            )
        )
        assert f.level == "warning"
        assert f.fields == ("contrat.machines_dangereuses",)
        assert "L4153-9" in f.reference

    def test_adult_or_no_dangerous_work(self):
        assert (
            run("contrat.machines_dangereuses.mineur", make({"contrat.machines_dangereuses": True}))
            == []
        )
        assert run("contrat.machines_dangereuses.mineur", make(MINOR)) == []

    def test_fixed_term(self):
        f = only(
            run(
                "contrat.machines_dangereuses.duree_limitee",
                make({"contrat.machines_dangereuses": True}),
            )
        )
        assert f.level == "info"
        assert f.fields == ("contrat.machines_dangereuses",)
        assert "D4154-1" in f.reference

    def test_cdi(self):
        d = make({"contrat.machines_dangereuses": True, "contrat.mode_contractuel": "2"})
        assert run("contrat.machines_dangereuses.duree_limitee", d) == []


class TestMaitres:
    def test_seventeen_at_the_start(self):
        d = make({"maitres.1": {**MAITRE_2, "date_naissance": "2009-09-02"}})
        f = only(run("maitres.age.majeur", d))
        assert f.level == "error"
        assert f.fields == ("maitres.1.date_naissance", "contrat.date_debut_execution")
        assert "n°2" in f.message and "17 ans" in f.message
        assert f.reference == "C. trav. art. L6223-8-1"

    def test_eighteen_at_the_start(self):
        d = make({"maitres.1": {**MAITRE_2, "date_naissance": "2009-09-01"}})
        assert run("maitres.age.majeur", d) == []

    @pytest.mark.parametrize("value", [None, False])
    def test_attestation_not_ticked(self, value):
        f = only(run("maitres.attestation", make({"attestation_maitre_eligibilite": value})))
        assert f.level == "error"
        assert f.fields == ("attestation_maitre_eligibilite",)
        assert "R6223-22" in f.reference

    @pytest.mark.parametrize("niveau", ["0", "3"])
    def test_level_below_the_diploma(self, niveau):
        # The example prepares a brevet professionnel (code 49, level 4).
        f = only(run("maitres.niveau_diplome", make({"maitres.0.niveau_diplome": niveau})))
        assert f.level == "warning"
        assert f.fields == ("maitres.0.niveau_diplome", "formation.diplome_vise")
        assert f.reference == "C. trav. art. R6223-22"

    def test_same_level(self):
        assert run("maitres.niveau_diplome", make({"maitres.0.niveau_diplome": "4"})) == []

    def test_unknown_level_or_diploma_is_left_to_the_code_checks(self):
        assert run("maitres.niveau_diplome", make({"maitres.0.niveau_diplome": "2"})) == []
        d = make({"maitres.0.niveau_diplome": "3", "formation.diplome_vise": "13"})
        assert run("maitres.niveau_diplome", d) == []
