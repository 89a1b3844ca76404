"""rules/checks/consistency.py: answers that must agree with each other."""

import pytest

from rules.checks.consistency import contract_working_hours
from rules.engine import check, load_rules
from rules.registry import RULES

from .factories import TODAY, make, only, run

CODES = (
    "employeur.type_employeur.prive_public",
    "employeur.public.depot",
    "employeur.assurance_chomage.prive",
    "employeur.type_employeur.regime_social",
    "contrat.mode_contractuel.employeur_specifique",
    "formation.heures.valeurs",
    "formation.duree_heures.quart",
    "apprenti.nationalite.hors_ue",
    "apprenti.droits_rqth.avec_rqth",
    "contrat.type_contrat.situation_avant",
    "contrat.numero_contrat_precedent.sans_objet",
    "contrat.date_effet_avenant.sans_objet",
    "contrat.type_contrat.avenant_rqth",
    "contrat.type_derogation.convention_duree",
    "contrat.duree_hebdo.valeurs",
    "formation.cfa_entreprise.annexe",
)


@pytest.mark.parametrize("code", CODES)
def test_example_has_no_finding(code):
    assert run(code, make()) == []


MY_MODULES = {f"rules.checks.{name}" for name in ("presence", "dates", "people", "consistency")}


def test_example_has_no_finding_from_these_rules():
    """Every rule of presence, dates, people and consistency, through the engine: the
    example dossier is a valid contract and gets nothing from them, not even information."""
    load_rules()
    mine = {code for code, r in RULES.items() if r.check.__module__ in MY_MODULES}
    assert len(mine) > 50
    found = [f for f in check(make(), today=TODAY) if f.code in mine]
    assert found == []


class TestEmployerSector:
    @pytest.mark.parametrize(("sector", "type_employeur"), [("prive", "22"), ("public", "11")])
    def test_mismatch(self, sector, type_employeur):
        d = make({"employeur.prive_public": sector, "employeur.type_employeur": type_employeur})
        f = only(run("employeur.type_employeur.prive_public", d))
        assert f.level == "error"
        assert f.fields == ("employeur.prive_public", "employeur.type_employeur")
        assert "51649#09" in f.reference

    def test_epic_is_public(self):
        d = make({"employeur.prive_public": "public", "employeur.type_employeur": "30"})
        assert run("employeur.type_employeur.prive_public", d) == []

    def test_public_employer_files_with_the_state(self):
        d = make({"employeur.prive_public": "public", "employeur.type_employeur": "22"})
        f = only(run("employeur.public.depot", d))
        assert f.level == "info"
        assert f.fields == ("employeur.type_employeur",)
        assert "DDETS" in f.message
        assert "D6275-1" in f.reference

    def test_epic_files_with_its_opco(self):
        d = make({"employeur.prive_public": "public", "employeur.type_employeur": "30"})
        assert run("employeur.public.depot", d) == []

    def test_unemployment_box_ticked_by_a_private_employer(self):
        f = only(
            run(
                "employeur.assurance_chomage.prive",
                make({"employeur.adhesion_regime_assurance_chomage": True}),
            )
        )
        assert f.level == "warning"
        assert f.fields == ("employeur.adhesion_regime_assurance_chomage", "employeur.prive_public")
        assert "10103*14" in f.reference

    def test_unemployment_box_of_a_public_employer(self):
        d = make(
            {
                "employeur.prive_public": "public",
                "employeur.type_employeur": "22",
                "employeur.adhesion_regime_assurance_chomage": True,
            }
        )
        assert run("employeur.assurance_chomage.prive", d) == []

    def test_msa_employer_with_urssaf(self):
        d = make({"employeur.type_employeur": "13"})
        f = only(run("employeur.type_employeur.regime_social", d))
        assert f.level == "warning"
        assert f.fields == ("apprenti.regime_social", "employeur.type_employeur")
        assert "51649#09" in f.reference

    def test_msa_employer_with_msa(self):
        d = make({"employeur.type_employeur": "13", "apprenti.regime_social": "1"})
        assert run("employeur.type_employeur.regime_social", d) == []


class TestContractMode:
    def test_temporary_work_mode_without_temporary_work_employer(self):
        f = only(
            run(
                "contrat.mode_contractuel.employeur_specifique",
                make({"contrat.mode_contractuel": "3"}),
            )
        )
        assert f.level == "warning"
        assert f.fields == ("contrat.mode_contractuel", "employeur.employeur_specifique")
        assert "L6226-1" in f.reference and "L6222-5-1" in f.reference

    def test_temporary_work_mode_and_employer(self):
        d = make({"contrat.mode_contractuel": "3", "employeur.employeur_specifique": "1"})
        assert run("contrat.mode_contractuel.employeur_specifique", d) == []

    def test_seasonal_mode(self):
        assert (
            len(
                run(
                    "contrat.mode_contractuel.employeur_specifique",
                    make({"contrat.mode_contractuel": "4"}),
                )
            )
            == 1
        )
        d = make({"contrat.mode_contractuel": "4", "employeur.employeur_specifique": "3"})
        assert run("contrat.mode_contractuel.employeur_specifique", d) == []

    def test_avenant_32_needs_the_seasonal_mode(self):
        f = only(
            run(
                "contrat.mode_contractuel.employeur_specifique",
                make({"contrat.type_contrat": "32"}),
            )
        )
        assert f.fields == ("contrat.type_contrat", "contrat.mode_contractuel")
        d = make(
            {
                "contrat.type_contrat": "32",
                "contrat.mode_contractuel": "4",
                "employeur.employeur_specifique": "3",
            }
        )
        assert run("contrat.mode_contractuel.employeur_specifique", d) == []


class TestTrainingHours:
    def test_distance_above_total(self):
        f = only(run("formation.heures.valeurs", make({"formation.heures_distance": 911})))
        assert f.level == "error"
        assert f.fields == ("formation.heures_distance", "formation.duree_heures")
        assert "D6211-2" in f.reference

    def test_distance_equal_to_total(self):
        assert run("formation.heures.valeurs", make({"formation.heures_distance": 910})) == []

    def test_zero_total_and_negative_distance(self):
        found = run(
            "formation.heures.valeurs",
            make({"formation.duree_heures": 0, "formation.heures_distance": -1}),
        )
        assert [f.fields for f in found] == [
            ("formation.duree_heures",),
            ("formation.heures_distance",),
        ]

    def test_contract_working_hours(self):
        # 1 September 2027 to 31 August 2029: 731 days, 35 h a week.
        assert contract_working_hours(make()) == pytest.approx(1607 * 731 / 365.25)
        d = make({"contrat.duree_hebdo.heures": 39})
        assert contract_working_hours(d) == pytest.approx(1607 * 39 / 35 * 731 / 365.25)

    def test_quarter_boundary_at_35_hours(self):
        # 25 % of 1 607 h x 731 / 365.25 = 804.05 h: 805 h needed.
        assert run("formation.duree_heures.quart", make({"formation.duree_heures": 805})) == []
        f = only(run("formation.duree_heures.quart", make({"formation.duree_heures": 804})))
        assert f.level == "warning"
        assert f.fields == ("formation.duree_heures", "contrat.date_fin")
        assert "805 h" in f.message
        assert "3\u00a0216 h" in f.message  # the contract's working time, French digits
        assert f.reference == "C. trav. art. L6211-2, R6222-23-1"

    def test_no_quarter_after_a_rupture(self):
        # R6222-23-1: the new contract after a rupture escapes the 25 % minimum.
        short = {"formation.duree_heures": 400}
        assert len(run("formation.duree_heures.quart", make(short))) == 1
        after_rupture = make({**short, "apprenti.situation_avant_contrat": "8"})
        assert run("formation.duree_heures.quart", after_rupture) == []

    def test_quarter_follows_the_weekly_hours(self):
        # At 39 h a week the contract holds 3 583.8 h: 896 h needed.
        base = {"contrat.duree_hebdo.heures": 39}
        assert (
            run("formation.duree_heures.quart", make({**base, "formation.duree_heures": 896})) == []
        )
        assert (
            len(run("formation.duree_heures.quart", make({**base, "formation.duree_heures": 895})))
            == 1
        )


class TestNationality:
    def test_outside_the_eu(self):
        f = only(run("apprenti.nationalite.hors_ue", make({"apprenti.nationalite": "3"})))
        assert f.level == "info"
        assert f.fields == ("apprenti.nationalite",)
        assert "autorisation de travail" in f.message
        assert "18 ans" not in f.message
        assert "L5221-5" in f.reference and "Atlas" in f.reference

    def test_minor_coming_of_age_during_the_contract(self):
        d = make({"apprenti.nationalite": "3", "apprenti.date_naissance": "2011-01-10"})
        f = only(run("apprenti.nationalite.hors_ue", d))
        assert "10/01/2029" in f.message

    def test_eu(self):
        assert run("apprenti.nationalite.hors_ue", make({"apprenti.nationalite": "2"})) == []


class TestRqthRightsWithRqth:
    def test_rights_ticked_with_rqth(self):
        d = make({"apprenti.rqth": True, "apprenti.extension_boe": True})
        f = only(run("apprenti.droits_rqth.avec_rqth", d))
        assert f.level == "warning"
        assert f.fields == ("apprenti.extension_boe",)
        assert "10103*14" in f.reference

    def test_rights_without_rqth(self):
        assert run("apprenti.droits_rqth.avec_rqth", make({"apprenti.extension_boe": True})) == []


class TestContractType:
    @pytest.mark.parametrize("situation", ["4", "8"])
    def test_first_contract_after_an_apprenticeship(self, situation):
        f = only(
            run(
                "contrat.type_contrat.situation_avant",
                make({"apprenti.situation_avant_contrat": situation}),
            )
        )
        assert f.level == "warning"
        assert f.fields == ("contrat.type_contrat", "apprenti.situation_avant_contrat")
        assert "Atlas" in f.reference

    def test_succession_after_an_apprenticeship(self):
        d = make({"apprenti.situation_avant_contrat": "4", "contrat.type_contrat": "22"})
        assert run("contrat.type_contrat.situation_avant", d) == []

    def test_previous_number_on_a_first_contract(self):
        f = only(
            run(
                "contrat.numero_contrat_precedent.sans_objet",
                make({"contrat.numero_contrat_precedent": "069202709000123"}),
            )
        )
        assert f.level == "warning"
        assert f.fields == ("contrat.numero_contrat_precedent", "contrat.type_contrat")

    def test_previous_number_on_a_succession(self):
        d = make(
            {"contrat.numero_contrat_precedent": "069202709000123", "contrat.type_contrat": "21"}
        )
        assert run("contrat.numero_contrat_precedent.sans_objet", d) == []

    def test_avenant_date_on_a_first_contract(self):
        f = only(
            run(
                "contrat.date_effet_avenant.sans_objet",
                make({"contrat.date_effet_avenant": "2028-01-01"}),
            )
        )
        assert f.level == "warning"
        assert f.fields == ("contrat.date_effet_avenant", "contrat.type_contrat")
        assert "premier contrat" in f.message

    def test_avenant_date_on_an_avenant(self):
        d = make({"contrat.date_effet_avenant": "2028-01-01", "contrat.type_contrat": "37"})
        assert run("contrat.date_effet_avenant.sans_objet", d) == []

    def test_avenant_34_without_rqth(self):
        f = only(run("contrat.type_contrat.avenant_rqth", make({"contrat.type_contrat": "34"})))
        assert f.level == "warning"
        assert f.fields == ("contrat.type_contrat", "apprenti.rqth")
        assert "R6222-50" in f.reference

    @pytest.mark.parametrize("right", ["apprenti.rqth", "apprenti.extension_boe"])
    def test_avenant_34_with_rqth(self, right):
        d = make({"contrat.type_contrat": "34", right: True})
        assert run("contrat.type_contrat.avenant_rqth", d) == []

    @pytest.mark.parametrize("code", ["21", "22"])
    def test_duration_convention(self, code):
        f = only(
            run("contrat.type_derogation.convention_duree", make({"contrat.type_derogation": code}))
        )
        assert f.level == "info"
        assert f.fields == ("contrat.type_derogation",)
        assert "R6222-6" in f.reference and "D6224-1" in f.reference

    def test_no_duration_convention_for_age(self):
        assert (
            run("contrat.type_derogation.convention_duree", make({"contrat.type_derogation": "11"}))
            == []
        )


class TestCompanyCfa:
    def test_annex_instead_of_convention(self):
        f = only(run("formation.cfa_entreprise.annexe", make({"formation.cfa_entreprise": True})))
        assert f.level == "info"
        assert f.fields == ("formation.cfa_entreprise",)
        assert f.reference == "C. trav. art. D6224-1"

    def test_outside_cfa(self):
        assert run("formation.cfa_entreprise.annexe", make()) == []


class TestWeeklyHoursValues:
    def test_sixty_minutes(self):
        f = only(run("contrat.duree_hebdo.valeurs", make({"contrat.duree_hebdo.minutes": 60})))
        assert f.level == "error"
        assert f.fields == ("contrat.duree_hebdo.minutes",)
        assert "10103*14" in f.reference

    def test_fifty_nine_minutes(self):
        assert run("contrat.duree_hebdo.valeurs", make({"contrat.duree_hebdo.minutes": 59})) == []

    def test_zero_time(self):
        f = only(run("contrat.duree_hebdo.valeurs", make({"contrat.duree_hebdo.heures": 0})))
        assert f.fields == ("contrat.duree_hebdo.heures",)
