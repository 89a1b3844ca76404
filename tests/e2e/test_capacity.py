"""Many clients, one store: nobody's contract is pushed out by anybody else's.

The server runs with a small store (500 contracts, 1,000 sessions) so that 10,000
creations — 500 clients creating 20 contracts each, the most a session may hold — fill it
many times over: past its capacity new contracts are refused with « service momentanément
saturé », and the contract already there stays whole.
"""

from __future__ import annotations

import threading

import pytest

from tests.e2e.conftest import TOKEN, Visitor
from tests.helpers import EXAMPLE
from tests.server import start_server

CONTRACTS, SESSIONS = 500, 1_000


@pytest.fixture(scope="module")
def small():
    server = start_server(
        CERFA_MAX_CONTRACTS=str(CONTRACTS),
        CERFA_MAX_SESSIONS=str(SESSIONS),
        CERFA_CONTRACTS_PER_SESSION="20",
    )
    yield server
    server.stop()


def _attack(url: str, clients: range, outcomes: dict[int, int]) -> None:
    """Fresh clients (no cookie, each its own address behind the local proxy), each
    pressing « Commencer » 20 times."""
    visitor = Visitor(url)
    for client in clients:
        visitor.http.cookies.clear()
        visitor.http.headers["X-Forwarded-For"] = f"10.{client >> 8 & 255}.{client & 255}.1"
        token = TOKEN.search(visitor.get("/").text)
        data = {"csrfmiddlewaretoken": token.group(1)} if token else {}
        for _ in range(20):
            status = visitor.post("/contrat/nouveau/", data).status_code
            outcomes[status] = outcomes.get(status, 0) + 1


def test_ten_thousand_creations_leave_an_existing_contract_intact(small):
    owner = Visitor(small.url)
    base = owner.resumed(EXAMPLE.read_bytes())
    before = owner.get(base + "dossier.json").json()

    outcomes: dict[int, int] = {}
    threads = [
        threading.Thread(target=_attack, args=(small.url, range(i, 500, 2), outcomes))
        for i in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(outcomes.values()) == 10_000
    # At most the store's room was created; the rest was refused, never by evicting.
    assert outcomes.get(302, 0) <= CONTRACTS - 1
    assert outcomes.get(302, 0) >= CONTRACTS - 1 - 2  # two racing threads may lose one each
    assert set(outcomes) <= {302, 503}, outcomes
    assert outcomes.get(503, 0) > 0
    # The owner's contract: every value still there, the wizard and downloads still work.
    assert owner.get(base + "dossier.json").json() == before
    assert owner.get(base + "recapitulatif/").status_code == 200
    pdf = owner.get(base + "cerfa.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # And the refusal a newcomer sees is the French page, not an error.
    refused = Visitor(small.url).start()
    assert refused.status_code == 503
    assert "Service momentanément saturé" in refused.text
    assert refused.headers["Retry-After"]
    assert before["apprenti"]["nom_naissance"] == "Moreau"


def test_a_get_creates_nothing_and_a_post_needs_its_csrf_token(served):
    visitor = Visitor(served.url)
    for _ in range(200):
        response = visitor.get("/contrat/nouveau/")
        assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Vos contrats en cours" not in visitor.get("/").text
    forged = Visitor(served.url)
    forged.get("/")
    assert forged.post("/contrat/nouveau/").status_code == 403
    # A token from another session is refused: the CSRF secret lives in the session.
    other = Visitor(served.url)
    stolen = other.token()
    assert forged.post("/contrat/nouveau/", {"csrfmiddlewaretoken": stolen}).status_code == 403
    assert other.post("/contrat/nouveau/", {"csrfmiddlewaretoken": stolen}).status_code == 302


def test_a_session_holds_twenty_contracts_and_says_so_in_french(served):
    visitor = Visitor(served.url)
    bases = [visitor.started() for _ in range(20)]
    assert len(set(bases)) == 20
    refused = visitor.start()
    assert refused.status_code == 409
    assert "Vous avez déjà 20 contrats en cours" in refused.text
    # The home page lists them, so that one can be finished and erased.
    home = visitor.get("/").text
    assert all(base in home for base in bases)
    token = TOKEN.search(visitor.get(bases[0] + "recapitulatif/").text).group(1)
    assert visitor.post(bases[0] + "effacer/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert visitor.start().status_code == 302


def test_one_address_cannot_start_sessions_and_contracts_without_end(served):
    """One client (one address) starts at most 30 sessions and 40 contracts at once, then
    10 a minute: past that it is told to wait, and another address is served as usual."""
    greedy = Visitor(served.url)
    greedy.http.headers["X-Forwarded-For"] = "192.0.2.50"
    sessions = []
    for _ in range(40):  # a crawler without cookies: every visit would be a new session
        greedy.http.cookies.clear()
        greedy.get("/")
        sessions.append("sessionid" in greedy.http.cookies)
    assert sessions[:30] == [True] * 30 and not any(sessions[32:])
    starter = Visitor(served.url)
    starter.http.headers["X-Forwarded-For"] = "192.0.2.51"
    codes = []
    for _ in range(3):  # three sessions of 20 contracts each: 60 asked, 40 allowed
        starter.http.cookies.clear()
        token = starter.token()
        for _ in range(20):
            codes.append(
                starter.post("/contrat/nouveau/", {"csrfmiddlewaretoken": token}).status_code
            )
    assert codes.count(302) in (40, 41), codes  # 41 if a token came back meanwhile
    refused = starter.post("/contrat/nouveau/", {"csrfmiddlewaretoken": token})
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert "patientez une minute" in refused.text
    other = Visitor(served.url)
    other.http.headers["X-Forwarded-For"] = "198.51.100.20"
    assert other.start().status_code == 302
