"""Postal code → commune(s) (geo.api.gouv.fr), from recorded answers."""

import pytest
import responses

from cerfa.lookups import geo

from .conftest import URLS, replay

COMMUNES = URLS["geo"] + "/communes"


def lookup(client, code):
    return geo.lookup(code, client=client, base_url=URLS["geo"])


def test_one_commune_fills_the_address(client, rsps):
    replay(
        rsps,
        COMMUNES,
        "geo_69002.json",
        params={"codePostal": "69002", "fields": "nom,code,codeDepartement", "format": "json"},
    )
    result = lookup(client, "69002")
    assert result.status == "ok"
    assert result.values == {"code_postal": "69002", "commune": "Lyon"}
    assert result.details == {"code_insee": "69123", "departement": "69"}
    assert result.choices == ()


def test_a_shared_postal_code_offers_a_choice(client, rsps):
    replay(rsps, COMMUNES, "geo_01300.json")
    result = lookup(client, "01300")
    assert result.status == "ok"
    assert result.values == {"code_postal": "01300"}  # no commune chosen for the user
    assert [c["commune"] for c in result.choices] == ["Belley", "Brens", "Magnieu"]
    assert result.choices[0] == {"commune": "Belley", "code_insee": "01034", "departement": "01"}
    assert "choisissez" in result.messages[0]


def test_no_commune_is_not_found(client, rsps):
    replay(rsps, COMMUNES, "geo_vide.json")
    result = lookup(client, "69998")
    assert result.status == "not_found"
    assert "CEDEX" in result.messages[0]


@pytest.mark.parametrize("value", ["6900", "69OO2", "99000", ""])
def test_a_malformed_postal_code_sends_nothing(client, rsps, value):
    assert lookup(client, value).status == "invalid"
    assert len(rsps.calls) == 0


@pytest.mark.parametrize("body", [{"nom": "Lyon"}, [{"code": "69123"}], ["Lyon"], [None]])
def test_json_of_the_wrong_shape_is_unavailable(client, rsps, body):
    rsps.add(responses.GET, COMMUNES, json=body)
    assert lookup(client, "69002").status == "unavailable"


def test_html_instead_of_json_is_unavailable(client, rsps):
    rsps.add(responses.GET, COMMUNES, body="<html>502 Bad Gateway</html>", status=200)
    assert lookup(client, "69002").status == "unavailable"
