"""The OPCOs' exchange file (norme « API CFA »): cerfa/documents/opco_exchange.py, its
committed JSON Schema and its download."""

from __future__ import annotations

import json

import jsonschema
import pytest

from cerfa.documents.opco_exchange import (
    SCHEMA_PATH,
    VERSION_CERFA,
    opco_exchange,
    opco_exchange_bytes,
)
from cerfa.store import get_store
from rules.dossier import Dossier
from tests.helpers import DOSSIERS, load, raw
from tests.wizard.conftest import uploaded_contract

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def _valid(data: dict) -> None:
    errors = sorted(VALIDATOR.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def _paths(node, prefix: str = "") -> set[str]:
    """Every key path of a JSON tree, list items as « [] »."""
    found = set()
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else key
            found |= {path} | _paths(value, path)
    elif isinstance(node, list):
        for value in node:
            found |= _paths(value, prefix + "[]")
    return found


def _blanks(node, path: str = "", top: bool = True) -> list[str]:
    """The paths holding None, "" or {} (the five parts of the CERFA may be empty)."""
    if node is None or node == "" or (node == {} and not top):
        return [path]
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _blanks(value, f"{path}.{key}", top=False)
        if top:  # the parts themselves, {} for an empty draft
            found = [p for p in found if p.count(".") > 1 or not _is_part(node, p)]
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _blanks(value, f"{path}.{i}", top=False)
    return found


def _is_part(cerfa: dict, path: str) -> bool:
    return cerfa.get(path.lstrip(".")) == {}


def _schema_paths(node, prefix: str = "") -> set[str]:
    if "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    found = set()
    for key, value in node.get("properties", {}).items():
        path = f"{prefix}.{key}" if prefix else key
        found |= {path} | _schema_paths(value, path)
    if "items" in node:
        found |= _schema_paths(node["items"], prefix + "[]")
    return found


def _full() -> Dossier:
    """A dossier giving every value the exchange file can carry."""
    data = raw("deux-maitres.json")
    lieu = raw("lieu-formation-distinct.json")["formation"]
    data["formation"].update(cfa_est_lieu_principal=False, lieu_principal=lieu["lieu_principal"])
    data["formation"]["heures_distance"] = 120
    data["apprenti"]["representant_legal"] = raw("mineur-representant-legal.json")["apprenti"][
        "representant_legal"
    ]
    data["apprenti"]["representant_legal"]["adresse"]["complement"] = "Appartement 12"
    data["apprenti"]["nom_usage"] = "Moreau-Petit"
    data["employeur"]["adhesion_regime_assurance_chomage"] = True
    data["contrat"].update(
        type_derogation="11",
        numero_contrat_precedent="069202708000123",
        date_effet_avenant="2028-01-01",
        duree_hebdo={"heures": 35, "minutes": 30},
        avantages_nature={
            "nourriture_par_repas": "3.55",
            "logement_par_mois": "120",
            "autre": "Tenue fournie",
        },
    )
    return Dossier.from_dict(data)


def test_the_committed_schema_is_a_draft_2020_12_schema():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.stem)
def test_every_fixture_gives_a_file_the_schema_accepts(path):
    data = opco_exchange(load(path.name))
    _valid(data)
    assert data["cerfa"]["versionCERFA"] == VERSION_CERFA == "10103*14"
    # What the dossier does not give is left out: never null, an empty text or object.
    assert _blanks(data["cerfa"]) == []


def test_the_schema_refuses_what_we_never_write():
    good = opco_exchange(load("exemple.json"))
    _valid(good)
    wrong = [
        ("taux as text", ("contrat", "remunerationsAnnuelles", 0, "taux"), "43"),
        ("French date", ("contrat", "dateDebutContrat"), "01/09/2027"),
        ("code as number", ("apprenti", "derniereClasse"), 1),
        ("null", ("apprenti", "nomUsage"), None),
        ("empty text", ("employeur", "courriel"), ""),
        ("unknown key", ("formation", "heuresDistance"), 3),
        ("other version", ("versionCERFA",), "10103*13"),
    ]
    for what, path, value in wrong:
        data = json.loads(json.dumps(good))
        node = data["cerfa"]
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
        assert list(VALIDATOR.iter_errors(data)), what


def test_the_schema_lists_exactly_what_the_code_can_write():
    written = set()
    for dossier in [load(p.name) for p in DOSSIERS] + [_full()]:
        written |= _paths(opco_exchange(dossier))
    _valid(opco_exchange(_full()))
    assert written == _schema_paths(SCHEMA)


def test_the_example_field_by_field():
    cerfa = opco_exchange(load("exemple.json"))["cerfa"]
    assert cerfa["employeur"]["siret"] == "52147896600174"
    assert cerfa["employeur"]["typeEmployeur"] == "11"
    assert cerfa["employeur"]["employeurSpecifique"] == "0"  # a code keeps its zero
    assert cerfa["employeur"]["codeIdcc"] == "2596"
    assert cerfa["employeur"]["libelleIdcc"] == "Coiffure et professions connexes"
    assert cerfa["employeur"]["caisseComplementaire"] == "AG2R Agirc-Arrco"
    assert cerfa["employeur"]["adresse"] == {
        "adresse1": "8 place Bellecour",
        "codePostal": "69002",
        "commune": "Lyon",
    }
    apprenti = cerfa["apprenti"]
    assert apprenti["nom"] == "Moreau" and "nomUsage" not in apprenti  # blank: left out
    assert apprenti["dateNaissance"] == "2008-05-14"
    assert apprenti["derniereClasse"] == "01"
    assert apprenti["nationalite"] == "1" and apprenti["sexe"] == "F"
    assert apprenti["handicap"] is False and "responsableLegal" not in apprenti
    assert apprenti["adresse"]["adresse2"] == "Bâtiment B"
    contrat = cerfa["contrat"]
    assert contrat["dateConclusion"] == "2027-08-24"
    assert contrat["dateDebutContrat"] == "2027-09-01"
    assert contrat["dateFormationPratiqueEmployeur"] == "2027-09-01"
    assert contrat["dateFinContrat"] == "2029-08-31"
    assert contrat["typeContratApp"] == "11" and "typeDerogation" not in contrat
    assert (contrat["dureeTravailHebdoHeures"], contrat["dureeTravailHebdoMinutes"]) == (35, 0)
    assert contrat["salaireEmbauche"] == 783.91
    assert contrat["lieuSignatureContrat"] == "Lyon"
    assert contrat["remunerationsAnnuelles"] == [
        {
            "ordre": "1.1",
            "dateDebut": "2027-09-01",
            "dateFin": "2028-08-31",
            "taux": 43,
            "typeSalaire": "SMIC",
        },
        {
            "ordre": "2.1",
            "dateDebut": "2028-09-01",
            "dateFin": "2029-05-31",
            "taux": 51,
            "typeSalaire": "SMIC",
        },
        {
            "ordre": "2.2",
            "dateDebut": "2029-06-01",
            "dateFin": "2029-08-31",
            "taux": 61,
            "typeSalaire": "SMIC",
        },
    ]
    formation = cerfa["formation"]
    assert formation == {
        "rncp": "RNCP35908",
        "codeDiplome": "45020201",
        "typeDiplome": "49",
        "intituleQualification": "Brevet professionnel Coiffure",
        "dateDebutFormation": "2027-09-06",
        "dateFinFormation": "2029-07-03",
        "dureeFormation": 910,
        "nombreHeuresEnDistanciel": 0,
    }
    assert cerfa["organismeFormation"]["uaiCfa"] == "0691234S"
    assert cerfa["organismeFormation"]["lieuFormationIdentique"] is True
    assert "organismeFormationLieuFormationPrincipal" not in cerfa


def test_one_maitre_gives_maitre1_only():
    cerfa = opco_exchange(load("exemple.json"))["cerfa"]
    assert cerfa["maitre1"] == {
        "nom": "Lefèvre",
        "prenom": "Sandrine",
        "dateNaissance": "1984-02-03",
        "courriel": "sandrine.lefevre@elegance-coiffure-lyon.fr",
        "emploiOccupe": "Gérante, coiffeuse",
        "intituleDiplomeObtenu": "Brevet de maîtrise Coiffure",
        "niveauDiplomeObtenu": "5",
    }
    assert "maitre2" not in cerfa


def test_two_maitres_in_the_cerfas_order():
    cerfa = opco_exchange(load("deux-maitres.json"))["cerfa"]
    assert (cerfa["maitre1"]["nom"], cerfa["maitre2"]["nom"]) == ("Lefèvre", "Benali")
    assert cerfa["maitre2"]["dateNaissance"] == "1979-10-12"
    assert cerfa["maitre2"]["niveauDiplomeObtenu"] == "4"


def test_an_unanswered_maitre_is_not_written():
    data = raw("exemple.json")
    data["maitres"] = [None, data["maitres"][0]]  # a null first place: nobody there
    cerfa = opco_exchange(Dossier.from_dict(data))["cerfa"]
    assert cerfa["maitre1"]["nom"] == "Lefèvre" and "maitre2" not in cerfa


def test_the_full_dossier_field_by_field():
    cerfa = opco_exchange(_full())["cerfa"]
    assert cerfa["formation"]["nombreHeuresEnDistanciel"] == 120
    assert cerfa["contrat"]["typeDerogation"] == "11"
    assert cerfa["contrat"]["dateEffetAvenant"] == "2028-01-01"
    assert cerfa["contrat"]["dureeTravailHebdoMinutes"] == 30
    assert cerfa["contrat"]["avantageNourriture"] == 3.55
    assert cerfa["contrat"]["avantageLogement"] == 120
    assert cerfa["contrat"]["autreAvantageEnNature"] is True
    assert cerfa["employeur"]["regimeSpecifique"] is True
    assert cerfa["apprenti"]["nomUsage"] == "Moreau-Petit"
    assert set(cerfa["apprenti"]["responsableLegal"]) == {"nom", "prenom", "courriel", "adresse"}
    assert cerfa["organismeFormation"]["lieuFormationIdentique"] is False
    lieu = cerfa["organismeFormationLieuFormationPrincipal"]
    assert set(lieu) == {"denomination", "siret", "uaiCfa", "adresse"}


def test_identifiers_lose_their_spaces_and_texts_stay_as_typed():
    data = raw("exemple.json")
    data["employeur"]["siret"] = "521 478 966 00174"
    data["apprenti"]["nir"] = "2 08 05 69 123 045 04"
    data["employeur"]["code_ape"] = "9602a"
    data["employeur"]["code_idcc"] = " 2596 "
    data["employeur"]["adresse"].update(numero="8 bis", voie="place  Bellecour")
    cerfa = opco_exchange(Dossier.from_dict(data))["cerfa"]
    assert cerfa["employeur"]["siret"] == "52147896600174"
    assert cerfa["apprenti"]["nir"] == "208056912304504"
    assert cerfa["employeur"]["naf"] == "9602A"
    assert cerfa["employeur"]["codeIdcc"] == "2596"
    assert cerfa["employeur"]["libelleIdcc"] == "Coiffure et professions connexes"
    assert cerfa["employeur"]["adresse"]["adresse1"] == "8 bis place Bellecour"
    assert cerfa["employeur"]["denomination"] == "Salon Élégance Coiffure"


def test_an_unknown_idcc_has_no_title_and_a_public_employer_its_regime():
    data = raw("exemple.json")
    data["employeur"]["code_idcc"] = "0001"  # not in the official list
    cerfa = opco_exchange(Dossier.from_dict(data))["cerfa"]
    assert cerfa["employeur"]["codeIdcc"] == "0001" and "libelleIdcc" not in cerfa["employeur"]
    public = opco_exchange(load("employeur-public.json"))["cerfa"]["employeur"]
    assert public["typeEmployeur"] == "22" and public["regimeSpecifique"] is True
    assert "regimeSpecifique" not in opco_exchange(load("exemple.json"))["cerfa"]["employeur"]


def test_an_empty_draft_gives_the_skeleton_only():
    data = opco_exchange(Dossier.from_dict({"format": "cerfa-fa13/1"}))
    _valid(data)
    assert data == {
        "cerfa": {
            "employeur": {},
            "apprenti": {},
            "contrat": {},
            "formation": {},
            "organismeFormation": {},
            "versionCERFA": "10103*14",
        }
    }


def test_the_file_is_utf8_json_ending_with_a_line_break():
    data = opco_exchange_bytes(load("accents-apostrophes.json"))
    assert data.endswith(b"}\n")
    assert json.loads(data.decode("utf-8")) == opco_exchange(load("accents-apostrophes.json"))
    assert "\\u00" not in data.decode("utf-8")  # accents written as they are


# -- the download ------------------------------------------------------------------------


@pytest.fixture
def _empty_store():
    get_store().clear()
    yield
    get_store().clear()


@pytest.mark.usefixtures("_empty_store")
def test_the_review_page_offers_the_exchange_file_and_says_we_cannot_send_it(client):
    base = uploaded_contract(client)
    review = client.get(base + "recapitulatif/").content.decode()
    assert f'href="{base}echange-opco.json"' in review
    assert "Télécharger le fichier d’échange pour l’OPCO (.json)" in review
    assert "Ce service ne peut pas le transmettre lui-même" in review
    response = client.get(base + "echange-opco.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    _valid(data)
    assert data == opco_exchange(load("exemple.json"))
