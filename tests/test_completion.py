"""``complete_dossier`` and ``cerfa complete``: empty boxes filled from the public lookups.

The APIs' answers are replayed (tests/lookups/fixtures); ``responses`` fails any request
that was not registered, so nothing here reaches the network.
"""

import copy
import io
import json
from urllib.parse import unquote_plus

import pytest
import requests
import responses
from django.core.management import call_command

from cerfa.completion import complete_dossier
from cerfa.lookups import service
from rules.dossier import Dossier
from tests.helpers import raw
from tests.lookups.conftest import fixture, replay, run_within
from tests.upstream import DripBody, FakeUpstream

ENTREPRISES = "https://entreprises.test/search"
GEO = "https://geo.test/communes"
REFERENTIEL = "https://referentiel.test/api/v1/organismes"
CATALOGUE = "https://catalogue.test/api/v1/entity/formations"

SIRET_SIEGE = "73282932000074"  # entreprises_siege.json: BOULANGERIE DES LILAS
SIRET_FERME = "31415926000178"  # entreprises_ferme.json


def geo_params(code_postal):
    return {"codePostal": code_postal, "fields": "nom,code,codeDepartement", "format": "json"}


@pytest.fixture(autouse=True)
def fresh_client():
    # The shared client caches answers and counts calls: each test starts from nothing.
    service.reset_client()
    yield
    service.reset_client()


def dossier(data: dict) -> Dossier:
    return Dossier.from_dict(data)


def by_code(findings, code):
    return [f for f in findings if f.code == code]


def with_dates(data: dict) -> dict:
    """What the remuneration grid needs: a birth date and the contract's dates."""
    data.setdefault("apprenti", {})["date_naissance"] = "2008-05-14"
    data.setdefault("contrat", {}).update(
        {"date_debut_execution": "2027-09-01", "date_fin": "2029-08-31"}
    )
    return data


def test_the_employer_siret_alone_fills_the_employer_block(online):
    replay(
        online,
        ENTREPRISES,
        "entreprises_siege.json",
        params={"q": SIRET_SIEGE, "page": "1", "per_page": "1"},
    )
    completed, findings = complete_dossier(dossier({"employeur": {"siret": SIRET_SIEGE}}))

    e = completed.employeur
    assert e.denomination == "BOULANGERIE DES LILAS"
    assert (e.adresse.numero, e.adresse.voie, e.adresse.code_postal, e.adresse.commune) == (
        "12 bis",
        "RUE DES LILAS",
        "69002",
        "LYON",
    )
    assert (e.code_ape, e.effectif, e.code_idcc) == ("1071C", 6, "0843")
    assert (e.type_employeur, e.prive_public) == ("11", "prive")

    (filled,) = by_code(findings, "complete.recherche.employeur")
    assert filled.level == "info"
    assert set(filled.fields) == {
        "employeur.denomination",
        "employeur.adresse.numero",
        "employeur.adresse.voie",
        "employeur.adresse.code_postal",
        "employeur.adresse.commune",
        "employeur.code_ape",
        "employeur.effectif",
        "employeur.code_idcc",
        "employeur.type_employeur",
        "employeur.prive_public",
    }
    assert filled.message.startswith(
        f"Complété par recherche du SIRET {SIRET_SIEGE} : dénomination, adresse, code APE, "
        "effectif, code IDCC, type d'employeur, employeur privé ou public."
    )
    assert "Annuaire des entreprises" in filled.message and "Vérifiez" in filled.message
    (effectif,) = by_code(findings, "complete.recherche.employeur.effectif")
    assert "« 6 à 9 salariés »" in effectif.message and "effectif réel" in effectif.message
    # The employer's address came whole from the register: no postal-code lookup.
    assert [call.request.url.split("?")[0] for call in online.calls] == [ENTREPRISES]


def test_values_typed_by_the_user_are_never_overwritten(online):
    replay(online, ENTREPRISES, "entreprises_siege.json")
    typed = {
        "siret": SIRET_SIEGE,
        "denomination": "Aux Délices des Lilas",
        "adresse": {"voie": "rue des Lilas", "code_postal": "69002"},
        "code_ape": "4724Z",
        "type_employeur": "16",
    }
    completed, findings = complete_dossier(dossier({"employeur": typed}))

    e = completed.employeur
    assert e.denomination == "Aux Délices des Lilas"
    assert e.code_ape == "4724Z"
    assert e.type_employeur == "16"
    # A partly typed address is the user's: no number or commune from the register is
    # mixed into it, and its commune is left to the postal-code lookup (none replayed: La
    # Poste's table kept with the service answers).
    assert (e.adresse.numero, e.adresse.voie, e.adresse.commune) == (None, "rue des Lilas", "LYON")
    # What was empty is filled; privé/public follows the user's type, not the register's.
    assert (e.effectif, e.code_idcc, e.prive_public) == (6, "0843", "prive")
    (filled,) = by_code(findings, "complete.recherche.employeur")
    assert set(filled.fields) == {"employeur.effectif", "employeur.code_idcc"}


def test_a_public_type_typed_by_the_user_is_not_contradicted_by_the_register(online):
    replay(online, ENTREPRISES, "entreprises_siege.json")
    completed, _ = complete_dossier(
        dossier({"employeur": {"siret": SIRET_SIEGE, "prive_public": "public"}})
    )
    # The register suggests a private craft business (11): it contradicts the user's
    # "public", so no type is proposed.
    assert completed.employeur.prive_public == "public"
    assert completed.employeur.type_employeur is None
    assert completed.employeur.denomination == "BOULANGERIE DES LILAS"


def test_a_postal_code_with_one_commune_fills_it_and_one_with_several_does_not(online):
    replay(online, GEO, "geo_69002.json", params=geo_params("69002"))
    replay(online, GEO, "geo_01300.json", params=geo_params("01300"))
    data = {
        "employeur": {"adresse": {"voie": "place Bellecour", "code_postal": "69002"}},
        "formation": {"cfa": {"adresse": {"code_postal": "01300"}}},
    }
    completed, findings = complete_dossier(dossier(data))

    assert completed.employeur.adresse.commune == "Lyon"
    assert completed.formation.cfa.adresse.commune is None
    one, several = by_code(findings, "complete.recherche.commune")
    assert one.fields == ("employeur.adresse.commune",)
    assert "code postal 69002 : Lyon" in one.message and "geo.api.gouv.fr" in one.message
    assert several.fields == ("formation.cfa.adresse.commune",)
    assert "Belley, Brens, Magnieu" in several.message and "indiquez la vôtre" in several.message


def test_a_closed_establishment_is_an_error_and_fills_nothing(online):
    replay(online, ENTREPRISES, "entreprises_ferme.json")
    completed, findings = complete_dossier(dossier({"employeur": {"siret": SIRET_FERME}}))

    assert completed.employeur == dossier({"employeur": {"siret": SIRET_FERME}}).employeur
    (closed,) = by_code(findings, "complete.recherche.employeur.ferme")
    assert closed.level == "error" and closed.fields == ("employeur.siret",)
    assert closed.message.startswith(f"L'établissement de SIRET {SIRET_FERME} est fermé")
    assert not by_code(findings, "complete.recherche.employeur")


def test_a_closed_cfa_is_an_error_and_fills_nothing(online):
    replay(online, f"{REFERENTIEL}/77834512400219", "referentiel_ferme.json")
    data = {"formation": {"cfa": {"siret": "77834512400219"}}}
    completed, findings = complete_dossier(dossier(data))

    assert completed.formation.cfa.denomination is None
    assert completed.formation.cfa.adresse.code_postal is None
    (closed,) = by_code(findings, "complete.recherche.cfa.ferme")
    assert closed.level == "error" and closed.fields == ("formation.cfa.siret",)
    assert "est fermé" in closed.message


def test_the_cfa_by_uai_and_the_diploma_by_rncp(online):
    replay(
        online,
        REFERENTIEL,
        "referentiel_uai.json",
        params={"uais": "0691234S", "items_par_page": "20"},
    )
    replay(online, CATALOGUE, "catalogue_rncp.json")
    data = {"formation": {"cfa": {"uai": "0691234S"}, "code_rncp": "RNCP35908"}}
    completed, findings = complete_dossier(dossier(data))

    cfa = completed.formation.cfa
    assert (cfa.denomination, cfa.siret) == ("CFA DES METIERS DE LA COIFFURE", "77834512400219")
    assert (cfa.adresse.code_postal, cfa.adresse.commune) == ("69007", "Lyon")
    f = completed.formation
    assert (f.code_diplome, f.intitule_precis) == ("45020201", "BP - Coiffure")
    assert f.diplome_vise is not None
    (cfa_filled,) = by_code(findings, "complete.recherche.cfa")
    assert cfa_filled.message.startswith("Complété par recherche du numéro UAI 0691234S")
    (formation,) = by_code(findings, "complete.recherche.formation")
    assert set(formation.fields) == {
        "formation.code_diplome",
        "formation.intitule_precis",
        "formation.diplome_vise",
    }
    assert "Catalogue des formations en apprentissage" in formation.message


def test_apis_down_give_one_finding_and_the_grid_is_still_computed(online):
    online.add(responses.GET, ENTREPRISES, status=500)
    online.add(responses.GET, GEO, body=requests.exceptions.ReadTimeout())
    data = with_dates(
        {
            "employeur": {"siret": SIRET_SIEGE},
            "formation": {
                "cfa": {"adresse": {"code_postal": "69007"}},
                "lieu_principal": {"adresse": {"code_postal": "69003"}},
            },
        }
    )
    completed, findings = complete_dossier(dossier(data))

    # The communes come from La Poste's table kept with the service; the SIRET has none.
    assert sorted(f.code for f in findings) == [
        "complete.recherche.commune",
        "complete.recherche.commune",
        "complete.recherche.indisponible",
    ]
    (down,) = by_code(findings, "complete.recherche.indisponible")
    assert down.level == "info"
    assert down.fields == ("employeur.siret",)
    assert "Saisissez vous-même" in down.message
    assert completed.formation.cfa.adresse.commune == "LYON"
    # The API timed out once: the second postal code was not asked of it.
    assert [c.request.url.split("?")[0] for c in online.calls].count(GEO) == 1
    assert completed.employeur.denomination is None
    assert len(completed.contrat.remunerations) == 3
    assert completed.contrat.salaire_brut_embauche is not None
    # A 500 is retried once; a timeout is not, and the second postal code is not asked of
    # an API that just timed out.
    assert [call.request.url.split("?")[0] for call in online.calls] == [
        ENTREPRISES,
        ENTREPRISES,
        GEO,
    ]


def test_no_lookup_when_they_are_disabled_in_the_settings(online, settings):
    settings.CERFA_LOOKUPS_ENABLED = False
    completed, findings = complete_dossier(
        dossier(with_dates({"employeur": {"siret": SIRET_SIEGE}}))
    )
    assert len(online.calls) == 0
    assert findings == []
    assert completed.employeur.denomination is None
    assert len(completed.contrat.remunerations) == 3


def test_a_filled_postal_code_in_mayotte_gives_the_mayotte_grid(online):
    # The grid depends on the employer's postal code: the lookups run before it.
    body = copy.deepcopy(fixture("entreprises_siege.json")["body"])
    siege = body["results"][0]["siege"]
    siege.update({"code_postal": "97600", "libelle_commune": "MAMOUDZOU"})
    online.add(responses.GET, ENTREPRISES, json=body)
    online_grid, _ = complete_dossier(dossier(with_dates({"employeur": {"siret": SIRET_SIEGE}})))
    offline_grid, _ = complete_dossier(
        dossier(with_dates({"employeur": {"siret": SIRET_SIEGE}})), use_lookups=False
    )
    assert online_grid.employeur.adresse.code_postal == "97600"
    assert online_grid.contrat.salaire_brut_embauche < offline_grid.contrat.salaire_brut_embauche


# -- what is sent ------------------------------------------------------------------------


def test_nothing_about_the_apprentice_is_ever_sent(online):
    replay(online, ENTREPRISES, "entreprises_siege.json")
    replay(online, REFERENTIEL, "referentiel_uai.json")
    replay(online, f"{REFERENTIEL}/77834512400219", "referentiel_organisme.json")
    replay(online, CATALOGUE, "catalogue_rncp.json")
    data = raw("mineur-representant-legal.json")
    data["employeur"] = {"siret": SIRET_SIEGE}
    data["formation"]["cfa"] = {"uai": "0691234S"}
    data["formation"]["cfa_est_lieu_principal"] = False
    data["formation"]["lieu_principal"] = {"siret": "77834512400219"}
    data["formation"].update({"code_rncp": "RNCP35908", "code_diplome": None})
    data["formation"]["intitule_precis"] = None
    # Addresses of people with a postal code and no commune: still nothing is asked.
    data["apprenti"]["adresse"]["commune"] = None
    data["apprenti"]["representant_legal"]["adresse"]["commune"] = None
    completed, _ = complete_dossier(dossier(data))

    urls = [unquote_plus(call.request.url) for call in online.calls]
    assert len(urls) == 4  # employer, CFA, training place, diploma: the test can fail
    apprenti = data["apprenti"]
    personal = [
        apprenti["nom_naissance"],
        apprenti["prenom"],
        apprenti["nir"],
        apprenti["date_naissance"],
        apprenti["courriel"],
        apprenti["telephone"],
        apprenti["commune_naissance"],
        apprenti["adresse"]["voie"],
        apprenti["adresse"]["code_postal"],
        apprenti["representant_legal"]["nom_naissance"],
        apprenti["representant_legal"]["prenom"],
        apprenti["representant_legal"]["adresse"]["code_postal"],
        *(m["nom_naissance"] for m in data["maitres"]),
        *(m["prenom"] for m in data["maitres"]),
    ]
    personal = [value for value in personal if value]
    assert len(personal) >= 10
    for url in urls:
        for value in personal:
            assert value.lower() not in url.lower(), f"{value!r} sent in {url}"
    # The people's communes come from La Poste's table kept with the service: nothing sent.
    assert completed.apprenti.adresse.commune == "VILLEURBANNE"


# -- the command line --------------------------------------------------------------------


def run_complete(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("cerfa", "complete", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, data):
    path = tmp_path / "dossier.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_cli_complete_uses_the_lookups(online, tmp_path):
    replay(online, ENTREPRISES, "entreprises_siege.json")
    path = write(tmp_path, with_dates({"employeur": {"siret": SIRET_SIEGE}}))
    out, err = run_complete(path)
    completed = json.loads(out)
    assert completed["employeur"]["denomination"] == "BOULANGERIE DES LILAS"
    assert len(completed["contrat"]["remunerations"]) == 3
    assert "Information (complete.recherche.employeur) employeur.denomination" in err
    assert len(online.calls) == 1


def test_cli_hors_ligne_sends_no_request(online, tmp_path):
    replay(online, ENTREPRISES, "entreprises_siege.json")
    path = write(tmp_path, with_dates({"employeur": {"siret": SIRET_SIEGE}}))
    out, err = run_complete(path, "--hors-ligne")
    assert len(online.calls) == 0
    completed = json.loads(out)
    assert completed["employeur"]["denomination"] is None
    assert len(completed["contrat"]["remunerations"]) == 3  # the pure completion still runs
    assert err == ""


def test_cli_an_api_down_is_one_french_line_on_standard_error(online, tmp_path):
    online.add(responses.GET, ENTREPRISES, body=requests.exceptions.ConnectTimeout())
    path = write(tmp_path, {"employeur": {"siret": SIRET_SIEGE}})
    out, err = run_complete(path)
    assert json.loads(out)["employeur"]["siret"] == SIRET_SIEGE
    assert err.count("\n") == 1
    assert err.startswith("Information (complete.recherche.indisponible) employeur.siret : ")
    assert "lookup" not in err  # the operators' English log line stays out


# -- always ending -----------------------------------------------------------------------


def every_lookup(data=None):
    """A dossier that asks every API: employer, CFA, training place, diploma, communes."""
    return {
        "employeur": {"siret": SIRET_SIEGE},
        "formation": {
            "cfa": {"uai": "0691234S", "adresse": {"code_postal": "69007"}},
            "cfa_est_lieu_principal": False,
            "lieu_principal": {"siret": "77834512400219"},
            "code_rncp": "RNCP35908",
        },
        **(data or {}),
    }


@pytest.fixture
def dripping(settings):
    """Every API of the fake server drips its answers one byte at a time, for ever."""
    with FakeUpstream() as upstream:
        settings.CERFA_LOOKUPS_ENABLED = True
        settings.CERFA_LOOKUP_URLS = upstream.urls
        settings.CERFA_LOOKUP_TIMEOUT_SECONDS = 1  # each lookup: 2 s at most
        upstream.route("/", DripBody(0.2))
        yield upstream


def test_cli_complete_against_dripping_apis_ends_within_its_bound(dripping, settings, tmp_path):
    # Four APIs, each lookup 2 s: 8 s if each took its whole deadline. The bound of the
    # whole is 3 s.
    settings.CERFA_COMPLETE_LOOKUPS_SECONDS = 3
    path = write(tmp_path, every_lookup())
    timed = run_within(3 + 1, run_complete, path)

    assert timed.ended, "cerfa complete outlived its bound"
    assert timed.error is None
    out, err = timed.value
    assert json.loads(out)["employeur"]["denomination"] is None
    (down,) = [line for line in err.splitlines() if "complete.recherche.indisponible" in line]
    assert down.startswith("Information (complete.recherche.indisponible) employeur.siret, ")
    # Not asked in time, answered by the tables kept with the service: the diploma's
    # choices and the CFA's commune.
    assert "formation.code_rncp" not in down
    assert "(complete.recherche.formation)" in err and "(complete.recherche.commune)" in err
    assert dripping.requests  # the lookups were made, and cut off


def test_each_lookup_gets_no_more_than_the_time_left(online, settings, monkeypatch):
    given = []

    def siret(value, role, *, max_seconds=None):
        given.append(max_seconds)
        return service.siret(value, role, max_seconds=max_seconds)

    monkeypatch.setattr("cerfa.completion.lookups.siret", siret)
    replay(online, ENTREPRISES, "entreprises_siege.json")
    complete_dossier(dossier({"employeur": {"siret": SIRET_SIEGE}}), lookup_seconds=5)
    assert len(given) == 1 and 4 < given[0] <= 5
