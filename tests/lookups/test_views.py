"""The JSON endpoints the wizard's JavaScript calls, and the settings-driven service."""

import logging

import pytest
import responses
from django.test import Client

from cerfa import lookups
from cerfa.lookups import entreprises, service
from cerfa.lookups.result import UNAVAILABLE_MESSAGE

from .conftest import UNLISTED_POSTCODES, replay


@pytest.fixture(scope="module")
def web():
    # Django's test client (the lookups' own client fixture is named ``client`` here), one
    # per module: building its handler scans the static files, which is slow.
    return Client()


def test_lookups_are_off_in_tests_by_default(web):
    response = web.get("/api/siret/", {"value": "73282932000074"})
    assert response.status_code == 200
    assert response.json()["status"] == "unavailable"
    assert response.json()["messages"] == [UNAVAILABLE_MESSAGE]
    assert response["Cache-Control"] == "no-store"


def test_siret_endpoint_gives_dossier_values(web, online):
    replay(online, "https://entreprises.test/search", "entreprises_siege.json")
    response = web.get("/api/siret/", {"value": "73282932000074"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["values"]["denomination"] == "BOULANGERIE DES LILAS"
    assert body["values"]["adresse"]["code_postal"] == "69002"
    assert body["values"]["type_employeur"] == "11"
    assert body["source"] and body["messages"]
    assert set(body) == {"status", "values", "choices", "details", "messages", "source"}


def test_siret_endpoint_for_a_cfa(web, online):
    replay(online, "https://entreprises.test/search", "entreprises_cfa.json")
    body = web.get("/api/siret/", {"value": "77834512400219", "role": "cfa"}).json()
    assert body["values"]["uai"] == "0691234S"
    assert "type_employeur" not in body["values"]


def test_communes_endpoint_offers_a_choice(web, online):
    replay(online, "https://geo.test/communes", "geo_01300.json")
    body = web.get("/api/communes/", {"value": "01300"}).json()
    assert [c["commune"] for c in body["choices"]] == ["Belley", "Brens", "Magnieu"]


def test_cfa_and_diplome_endpoints(web, online):
    replay(online, "https://referentiel.test/api/v1/organismes", "referentiel_uai.json")
    replay(online, "https://catalogue.test/api/v1/entity/formations", "catalogue_rncp.json")
    assert web.get("/api/cfa/", {"value": "0691234S"}).json()["values"]["siret"] == "77834512400219"
    assert (
        web.get("/api/diplome/", {"value": "RNCP35908"}).json()["values"]["code_diplome"]
        == "45020201"
    )


def test_idcc_endpoint_answers_offline(web):
    body = web.get("/api/idcc/", {"value": "1979"}).json()
    assert body["status"] == "ok"
    assert "Hôtels, cafés, restaurants" in body["details"]["libelle_idcc"]


def test_an_api_down_still_answers_200_with_unavailable(web, online):
    online.add(responses.GET, "https://geo.test/communes", body="<html>oups</html>")
    # A postal code La Poste's table does not list: no table stands in for the API.
    response = web.get("/api/communes/", {"value": UNLISTED_POSTCODES[0]})
    assert response.status_code == 200
    assert response.json()["status"] == "unavailable"


def test_an_api_down_answers_from_the_table_kept_with_the_service(web, online):
    online.add(responses.GET, "https://geo.test/communes", body="<html>oups</html>")
    response = web.get("/api/communes/", {"value": "69003"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["values"] == {"code_postal": "69003", "commune": "LYON"}
    assert body["source"].startswith("Base officielle des codes postaux de La Poste")
    assert set(body) == {"status", "values", "choices", "details", "messages", "source"}


@pytest.mark.parametrize(
    "url, value",
    [
        ("/api/siret/", "123"),
        ("/api/communes/", "6900"),
        ("/api/cfa/", "bonjour"),
        ("/api/diplome/", "RNCP1"),
        ("/api/idcc/", "12345"),
        ("/api/siret/", "1" * 41),
        ("/api/communes/", None),
    ],
)
def test_values_that_cannot_be_looked_up_say_so_in_a_200(web, online, url, value):
    response = web.get(url, {} if value is None else {"value": value})
    assert response.status_code == 200
    assert response.json()["status"] == "invalid"
    assert response.json()["messages"]
    assert response["Cache-Control"] == "no-store"
    assert len(online.calls) == 0


def test_the_value_looked_up_never_reaches_the_logs(web, online, caplog):
    # Django logs every 4xx with the request's path; the access log writes the path too.
    replay(online, "https://geo.test/communes", "geo_01300.json")
    for url, value in (("/api/communes/", "01300"), ("/api/siret/", "52147896600175")):
        with caplog.at_level(logging.DEBUG):
            response = web.get(url, {"value": value})
        assert value not in response.wsgi_request.path
        assert value not in caplog.text
        assert response.json()["status"] in ("ok", "invalid")


def test_only_get_is_allowed(web):
    assert web.post("/api/siret/", {"value": "73282932000074"}).status_code == 405


def test_the_shared_client_follows_the_settings(settings):
    settings.CERFA_LOOKUPS_ENABLED = False
    first = service.get_client()
    assert first.enabled is False and service.get_client() is first
    settings.CERFA_LOOKUPS_ENABLED = True
    settings.CERFA_LOOKUP_TIMEOUT_SECONDS = 2
    second = service.get_client()
    assert second is not first and second.enabled is True and second.timeout == 2


def test_a_failing_parser_never_reaches_the_page(web, online, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise KeyError("73282932000074")

    monkeypatch.setattr(entreprises, "lookup", broken)
    result = lookups.siret("73282932000074")
    assert result.status == "unavailable"
    assert "KeyError" in caplog.text and "73282932000074" not in caplog.text
    assert web.get("/api/siret/", {"value": "73282932000074"}).json()["status"] == "unavailable"


def test_unknown_role_is_a_programming_error():
    with pytest.raises(ValueError):
        lookups.siret("73282932000074", role="maitre")
