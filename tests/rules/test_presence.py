"""rules/checks/presence.py: what the CERFA requires always, and in a given case."""

import pytest

from rules.checks.presence import REQUIRED

from .factories import MAITRE_2, REPRESENTANT, make, only, reference, run


def test_example_has_no_presence_finding():
    d = make()
    for code in (
        "champs.obligatoires",
        "apprenti.nir.manquant",
        "signature.attestation_pieces",
        "apprenti.droits_rqth.manquants",
        "apprenti.representant_legal.manquant",
        "apprenti.representant_legal.majeur_protege",
        "maitres.aucun",
        "maitres.incomplet",
        "maitres.plus_de_deux",
        "contrat.numero_contrat_precedent.avenant",
        "contrat.numero_contrat_precedent.succession",
        "contrat.date_effet_avenant.manquante",
        "formation.lieu_principal.manquant",
        "formation.lieu_principal.sans_objet",
        "employeur.assurance_chomage.reponse",
    ):
        assert run(code, d) == [], code


class TestRequiredFields:
    @pytest.mark.parametrize("path", [path for path, _ in REQUIRED])
    def test_each_missing_box_is_reported_on_its_field(self, path):
        f = only(run("champs.obligatoires", make({path: None})))
        assert f.level == "error"
        assert f.fields == (path,)
        assert f.message

    def test_spaces_only_is_missing(self):
        f = only(run("champs.obligatoires", make({"employeur.denomination": "   "})))
        assert f.fields == ("employeur.denomination",)

    def test_no_is_an_answer(self):
        assert run("champs.obligatoires", make({"contrat.machines_dangereuses": False})) == []

    def test_optional_boxes_are_not_required(self):
        d = make(
            {
                "apprenti.nom_usage": None,
                "apprenti.adresse.numero": None,
                "formation.heures_distance": None,
                "contrat.duree_hebdo.minutes": None,
            }
        )
        assert run("champs.obligatoires", d) == []

    def test_reference(self):
        assert reference("champs.obligatoires") == "Cerfa 10103*14 et notice 51649#09"


class TestNir:
    @pytest.mark.parametrize("value", [None, "", " "])
    def test_missing(self, value):
        f = only(run("apprenti.nir.manquant", make({"apprenti.nir": value})))
        assert f.level == "error"
        assert f.fields == ("apprenti.nir",)
        assert "NIA" in f.message and "NTT" in f.message
        assert "Atlas" in f.reference

    def test_given(self):
        assert run("apprenti.nir.manquant", make()) == []
        assert run("champs.obligatoires", make({"apprenti.nir": None})) == []


class TestAttestationPieces:
    @pytest.mark.parametrize("value", [None, False])
    def test_not_ticked(self, value):
        f = only(
            run(
                "signature.attestation_pieces",
                make({"signature.attestation_pieces_justificatives": value}),
            )
        )
        assert f.level == "error"
        assert f.fields == ("signature.attestation_pieces_justificatives",)
        assert "D6224-1" in f.reference

    def test_ticked(self):
        assert run("signature.attestation_pieces", make()) == []


class TestRqthRights:
    def test_missing_when_rqth_is_no(self):
        found = run(
            "apprenti.droits_rqth.manquants",
            make({"apprenti.equivalence_jeunes": None, "apprenti.extension_boe": None}),
        )
        assert [f.fields for f in found] == [
            ("apprenti.equivalence_jeunes",),
            ("apprenti.extension_boe",),
        ]
        assert all(f.level == "error" for f in found)
        assert "RQTH" in reference("apprenti.droits_rqth.manquants")

    def test_not_asked_with_rqth(self):
        d = make(
            {
                "apprenti.rqth": True,
                "apprenti.equivalence_jeunes": None,
                "apprenti.extension_boe": None,
            }
        )
        assert run("apprenti.droits_rqth.manquants", d) == []

    def test_not_asked_before_rqth_is_answered(self):
        d = make({"apprenti.rqth": None, "apprenti.equivalence_jeunes": None})
        assert run("apprenti.droits_rqth.manquants", d) == []


class TestLegalRepresentative:
    # Conclusion on 2027-08-24 in the example: born 2009-08-25 is 17 that day, 2009-08-24 is 18.
    def test_minor_without_representative(self):
        f = only(
            run(
                "apprenti.representant_legal.manquant",
                make({"apprenti.date_naissance": "2009-08-25"}),
            )
        )
        assert f.level == "error"
        assert f.fields == ("apprenti.representant_legal",)
        assert "17 ans" in f.message
        assert "L6222-4" in f.reference

    def test_eighteen_on_the_day_of_conclusion(self):
        assert (
            run(
                "apprenti.representant_legal.manquant",
                make({"apprenti.date_naissance": "2009-08-24"}),
            )
            == []
        )

    def test_minor_with_complete_representative(self):
        d = make(
            {"apprenti.date_naissance": "2011-01-10", "apprenti.representant_legal": REPRESENTANT}
        )
        assert run("apprenti.representant_legal.manquant", d) == []

    def test_each_missing_box_of_the_representative(self):
        d = make(
            {
                "apprenti.date_naissance": "2011-01-10",
                "apprenti.representant_legal": REPRESENTANT,
                "apprenti.representant_legal.courriel": None,
                "apprenti.representant_legal.adresse.commune": "",
            }
        )
        found = run("apprenti.representant_legal.manquant", d)
        assert [f.fields for f in found] == [
            ("apprenti.representant_legal.adresse.commune",),
            ("apprenti.representant_legal.courriel",),
        ]

    def test_no_conclusion_date_uses_the_start(self):
        d = make({"apprenti.date_naissance": "2011-01-10", "contrat.date_conclusion": None})
        assert len(run("apprenti.representant_legal.manquant", d)) == 1

    def test_adult_with_representative_is_information_never_emptied(self):
        # An adult under tutelle or curatelle has a representative who signs with him.
        f = only(
            run(
                "apprenti.representant_legal.majeur_protege",
                make({"apprenti.representant_legal": REPRESENTANT}),
            )
        )
        assert f.level == "info"
        assert f.fields == ("apprenti.representant_legal",)
        assert "tutelle" in f.message and "curatelle" in f.message
        assert "Videz" not in f.message and "vide" not in f.message
        assert (
            f.reference.startswith("C. civ. art. 425, 440, 467, 473") and "10103*14" in f.reference
        )

    def test_a_protected_adult_s_representative_with_missing_details(self):
        partial = {**REPRESENTANT, "courriel": None, "adresse": None}
        f = only(
            run(
                "apprenti.representant_legal.majeur_protege",
                make({"apprenti.representant_legal": partial}),
            )
        )
        assert f.message.endswith(
            "Indiquez alors la voie de son adresse, le code postal de son adresse, la commune "
            "de son adresse et son adresse électronique."
        )

    def test_the_day_of_the_eighteenth_birthday(self):
        # Born 24/08/2009: 18 on the date of conclusion (24/08/2027): an adult; one day
        # later born, a minor whose representative is required, not information.
        adult = {
            "apprenti.date_naissance": "2009-08-24",
            "apprenti.representant_legal": REPRESENTANT,
        }
        assert len(run("apprenti.representant_legal.majeur_protege", make(adult))) == 1
        minor = {**adult, "apprenti.date_naissance": "2009-08-25"}
        assert run("apprenti.representant_legal.majeur_protege", make(minor)) == []

    def test_minor_with_representative_is_fine(self):
        d = make(
            {"apprenti.date_naissance": "2011-01-10", "apprenti.representant_legal": REPRESENTANT}
        )
        assert run("apprenti.representant_legal.majeur_protege", d) == []

    def test_adult_without_representative(self):
        assert run("apprenti.representant_legal.majeur_protege", make()) == []


class TestMaitres:
    def test_no_maitre(self):
        f = only(run("maitres.aucun", make({"maitres": []})))
        assert f.level == "error"
        assert f.fields == ("maitres.0.nom_naissance",)
        assert "L6223-5" in f.reference

    def test_first_maitre_incomplete(self):
        f = only(run("maitres.incomplet", make({"maitres.0.courriel": None})))
        assert f.level == "error"
        assert f.fields == ("maitres.0.courriel",)
        assert "n°1" in f.message
        assert "R6222-3" in f.reference

    def test_second_maitre_partly_filled(self):
        found = run("maitres.incomplet", make({"maitres.1": {"nom_naissance": "Garnier"}}))
        assert [f.fields[0] for f in found] == [
            "maitres.1.prenom",
            "maitres.1.date_naissance",
            "maitres.1.courriel",
            "maitres.1.emploi_occupe",
            "maitres.1.diplome_plus_eleve",
            "maitres.1.niveau_diplome",
        ]
        assert all("n°2" in f.message for f in found)

    def test_second_maitre_complete_or_empty(self):
        assert run("maitres.incomplet", make({"maitres.1": MAITRE_2})) == []
        assert run("maitres.incomplet", make({"maitres.1": {"prenom": " "}})) == []

    def test_no_maitre_is_said_once(self):
        assert run("maitres.incomplet", make({"maitres": []})) == []

    def test_more_than_two(self):
        d = make({"maitres.1": MAITRE_2, "maitres.2": MAITRE_2})
        f = only(run("maitres.plus_de_deux", d))
        assert f.level == "error"
        assert f.fields == ("maitres.2",)
        assert "10103*14" in f.reference

    def test_two_is_fine(self):
        assert run("maitres.plus_de_deux", make({"maitres.1": MAITRE_2})) == []


class TestPreviousContract:
    @pytest.mark.parametrize("type_contrat", ["31", "36", "38"])
    def test_avenant_needs_the_number(self, type_contrat):
        f = only(
            run(
                "contrat.numero_contrat_precedent.avenant",
                make({"contrat.type_contrat": type_contrat}),
            )
        )
        assert f.level == "error"
        assert f.fields == ("contrat.numero_contrat_precedent",)
        assert "51649#09" in f.reference

    def test_avenant_with_number(self):
        d = make(
            {"contrat.type_contrat": "36", "contrat.numero_contrat_precedent": "069202709000123"}
        )
        assert run("contrat.numero_contrat_precedent.avenant", d) == []

    def test_succession_without_number_is_information(self):
        f = only(
            run("contrat.numero_contrat_precedent.succession", make({"contrat.type_contrat": "22"}))
        )
        assert f.level == "info"
        assert f.fields == ("contrat.numero_contrat_precedent",)
        assert f.reference == "FAQ Atlas"

    def test_succession_with_number_and_first_contract(self):
        d = make(
            {"contrat.type_contrat": "22", "contrat.numero_contrat_precedent": "069202709000123"}
        )
        assert run("contrat.numero_contrat_precedent.succession", d) == []
        assert run("contrat.numero_contrat_precedent.succession", make()) == []


class TestAvenantDate:
    def test_missing_for_avenant_38(self):
        f = only(run("contrat.date_effet_avenant.manquante", make({"contrat.type_contrat": "38"})))
        assert f.level == "error"
        assert f.fields == ("contrat.date_effet_avenant",)
        assert "10103*14" in f.reference

    def test_given(self):
        d = make({"contrat.type_contrat": "38", "contrat.date_effet_avenant": "2028-01-15"})
        assert run("contrat.date_effet_avenant.manquante", d) == []


class TestTrainingPlace:
    def test_missing_when_cfa_is_not_the_main_place(self):
        found = run(
            "formation.lieu_principal.manquant", make({"formation.cfa_est_lieu_principal": False})
        )
        assert [f.fields[0] for f in found] == [
            "formation.lieu_principal.denomination",
            "formation.lieu_principal.siret",
            "formation.lieu_principal.adresse.voie",
            "formation.lieu_principal.adresse.code_postal",
            "formation.lieu_principal.adresse.commune",
        ]
        assert all(f.level == "error" for f in found)
        assert "lieu principal" in reference("formation.lieu_principal.manquant")

    def test_given(self):
        lieu = {
            "denomination": "Lycée des métiers",
            "siret": "19690001500018",
            "adresse": {"voie": "rue X", "code_postal": "69008", "commune": "Lyon"},
        }
        d = make({"formation.cfa_est_lieu_principal": False, "formation.lieu_principal": lieu})
        assert run("formation.lieu_principal.manquant", d) == []

    def test_filled_although_the_cfa_is_the_main_place(self):
        d = make({"formation.lieu_principal": {"denomination": "Lycée des métiers"}})
        f = only(run("formation.lieu_principal.sans_objet", d))
        assert f.level == "warning"
        assert f.fields == ("formation.lieu_principal",)


class TestPublicUnemploymentBox:
    def test_public_employer_must_answer(self):
        f = only(
            run(
                "employeur.assurance_chomage.reponse",
                make({"employeur.prive_public": "public", "employeur.type_employeur": "22"}),
            )
        )
        assert f.level == "warning"
        assert f.fields == ("employeur.adhesion_regime_assurance_chomage",)
        assert "public" in f.reference

    def test_answered_no(self):
        d = make(
            {
                "employeur.prive_public": "public",
                "employeur.adhesion_regime_assurance_chomage": False,
            }
        )
        assert run("employeur.assurance_chomage.reponse", d) == []

    def test_private_employer_is_not_asked(self):
        assert run("employeur.assurance_chomage.reponse", make()) == []
