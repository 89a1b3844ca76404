"""A full store refuses newcomers in French and keeps everyone already there."""

from __future__ import annotations

import pytest

from cerfa import store
from tests.wizard.conftest import example_json, started_contract, uploaded_contract


@pytest.fixture
def small_store(settings):
    settings.CERFA_MAX_SESSIONS = 2
    settings.CERFA_MAX_CONTRACTS = 2
    store.reset_store()
    yield
    store.reset_store()


def test_no_room_for_a_new_session_gives_the_saturated_page(client, small_store):
    from django.test import Client

    first = Client()
    base = uploaded_contract(first)
    Client().get("/")  # the second session: the store is now full of sessions
    newcomer = Client().get("/")
    assert newcomer.status_code == 503
    assert "Service momentanément saturé" in newcomer.content.decode()
    assert newcomer["Retry-After"] == "120"
    assert first.get(base + "recapitulatif/").status_code == 200


def test_no_room_for_a_new_contract_keeps_the_user_and_the_others(client, small_store):
    base = uploaded_contract(client)
    started_contract(client)
    refused = client.post("/contrat/nouveau/")
    assert refused.status_code == 503
    assert "Les contrats déjà commencés ne sont pas touchés" in refused.content.decode()
    upload = client.post("/contrat/reprendre/", {"dossier": _file()})
    assert upload.status_code == 503
    assert client.get(base + "apprenti/").status_code == 200


def test_twenty_contracts_per_session_then_a_french_message(client, settings):
    settings.CERFA_CONTRACTS_PER_SESSION = 3
    bases = [started_contract(client) for _ in range(3)]
    refused = client.post("/contrat/nouveau/")
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Vous avez déjà 3 contrats en cours" in text
    assert all(base in text for base in bases)  # listed, to finish one
    client.post(bases[0] + "effacer/")
    assert client.post("/contrat/nouveau/").status_code == 302


def test_an_expired_contract_does_not_count_against_the_session(client, settings):
    settings.CERFA_CONTRACTS_PER_SESSION = 1
    base = started_contract(client)
    store.get_store().delete(
        next(
            k
            for k in store.get_store().keys()
            if base.strip("/").split("/")[-1].replace("-", "") in k
        )
    )
    assert client.post("/contrat/nouveau/").status_code == 302


def _file():
    import io

    file = io.BytesIO(example_json())
    file.name = "dossier.json"
    return file


def test_the_first_contract_gives_the_session_a_new_key(client):
    client.get("/")
    planted = client.cookies["sessionid"].value
    started_contract(client)
    assert client.cookies["sessionid"].value != planted
    second = client.cookies["sessionid"].value
    started_contract(client)  # not at the second: its contracts are keyed by it
    assert client.cookies["sessionid"].value == second
