"""IDCC → convention collective: the list kept with the project first, then the CDTN."""

import pytest
import requests
import responses

from cerfa.lookups import conventions
from cerfa.lookups.client import LookupClient
from rules import idcc as idcc_list

from .conftest import URLS, replay

SEARCH = URLS["cdtn"] + "/api/idcc"

PARTIAL = idcc_list.IdccList(
    {"1486": idcc_list.Convention("1486", "Bureaux d'études techniques", True)},
    complet=False,
    source="test",
    date="2026-01-01",
)
COMPLETE = idcc_list.IdccList(
    {
        "1486": idcc_list.Convention("1486", "Bureaux d'études techniques", True),
        "0650": idcc_list.Convention("0650", "Métallurgie : ingénieurs et cadres", False),
    },
    complet=True,
    source="test",
    date="2026-01-01",
)


def lookup(client, code, known=None):
    return conventions.lookup(code, client=client, base_url=URLS["cdtn"], conventions=known)


def test_a_bundled_convention_answers_offline(rsps, clock):
    offline = LookupClient(enabled=False, clock=clock)
    result = lookup(offline, "2596")
    assert result.status == "ok"
    assert result.values == {"code_idcc": "2596"}
    assert result.details == {
        "libelle_idcc": "Coiffure et professions connexes",
        "en_vigueur": True,
    }
    assert len(rsps.calls) == 0


def test_leading_zeros_are_restored(client):
    assert lookup(client, "843").values == {"code_idcc": "0843"}


@pytest.mark.parametrize(
    "code, label",
    [("9999", "Sans convention collective"), ("9998", "Convention non encore en vigueur")],
)
def test_the_special_values_are_known(client, code, label):
    result = lookup(client, code, PARTIAL)
    assert result.status == "ok"
    assert result.details == {"libelle_idcc": label, "en_vigueur": None}


def test_a_convention_no_longer_in_force_is_closed(client):
    result = lookup(client, "650", COMPLETE)
    assert result.status == "closed"
    assert result.details["en_vigueur"] is False
    assert "n'est plus en vigueur" in result.messages[0]


def test_unknown_to_a_complete_list_still_asks_the_cdtn(client, rsps):
    """The complete list has a date: a convention created since is found online."""
    replay(rsps, SEARCH, "cdtn_idcc.json", params={"q": "2216"})
    result = lookup(client, "2216", COMPLETE)
    assert result.status == "ok" and "Code du travail" in result.source
    assert len(rsps.calls) == 1


def test_unknown_to_a_partial_list_asks_the_cdtn(client, rsps):
    replay(rsps, SEARCH, "cdtn_idcc.json", params={"q": "2216"})
    result = lookup(client, "2216", PARTIAL)
    assert result.status == "ok"
    assert result.values == {"code_idcc": "2216"}
    assert result.details["libelle_idcc"].startswith(
        "Convention collective nationale du commerce de détail et de gros"
    )
    assert result.details["en_vigueur"] is None
    assert "Code du travail" in result.source


def test_cdtn_hits_for_other_numbers_are_not_taken(client, rsps):
    replay(rsps, SEARCH, "cdtn_idcc.json")
    # The search answers 2216 and 2162 to any query: neither is 7777.
    assert lookup(client, "7777", PARTIAL).status == "not_found"


def test_cdtn_without_hit_is_not_found(client, rsps):
    replay(rsps, SEARCH, "cdtn_vide.json")
    assert lookup(client, "4321", PARTIAL).status == "not_found"


def test_cdtn_down_is_unavailable(client, rsps):
    rsps.add(responses.GET, SEARCH, body=requests.exceptions.ConnectionError())
    assert lookup(client, "4321", PARTIAL).status == "unavailable"


@pytest.mark.parametrize("body", [{"hits": []}, {"hits": {"hits": [1]}}, [], {"x": 1}])
def test_cdtn_answer_of_the_wrong_shape_is_unavailable(client, rsps, body):
    rsps.add(responses.GET, SEARCH, json=body)
    assert lookup(client, "4321", PARTIAL).status == "unavailable"


@pytest.mark.parametrize("value", ["", "0000", "12345", "IDCC", None])
def test_invalid_idcc(client, rsps, value):
    result = lookup(client, value)
    assert result.status == "invalid"
    assert "IDCC" in result.messages[0]
    assert len(rsps.calls) == 0
