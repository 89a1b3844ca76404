"""The API as served (``manage.py serve``, tests/server.py): the request guard's refusals
written as problems, the log and the disk left without a body, one allowance per client
shared by every process, and schemathesis against the description the server serves."""

from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import pytest
import requests

from tests.helpers import EXAMPLE
from tests.server import start_redis, start_server

SENTINEL = "Zorglubinette"  # a name that no log line, file or answer header may hold


@pytest.fixture(scope="module")
def server():
    # Allowances out of the way: schemathesis alone sends hundreds of calls.
    served = start_server(CERFA_API_BURST="1000000", CERFA_API_PER_MINUTE="1000000")
    yield served
    served.stop()


def post(server, path: str, body: bytes, **headers) -> requests.Response:
    return requests.post(
        server.url + path,
        data=body,
        headers={"Content-Type": "application/json", **headers},
        timeout=60,
    )


def assert_problem(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, response.text[:300]
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "instance"}
    assert body["status"] == status
    assert "Set-Cookie" not in response.headers
    return body


def raw_request(server, head: bytes, body: bytes = b"") -> bytes:
    """Bytes sent as they are (a declared length, chunks), the answer's bytes read back."""
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(head + body)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_each_endpoint_answers_as_served(server):
    body = EXAMPLE.read_bytes()
    check = post(server, "/api/v1/check", body)
    assert check.status_code == 200 and "findings" in check.json()
    complete = post(server, "/api/v1/complete?hors_ligne=1", body)
    assert complete.status_code == 200 and complete.json()["dossier"]["format"] == "cerfa-fa13/1"
    fill = post(server, "/api/v1/fill?flatten=1", body)
    assert fill.status_code == 200 and fill.content.startswith(b"%PDF-")
    assert "non-modifiable.pdf" in fill.headers["Content-Disposition"]
    for response in (check, complete, fill):
        assert "Set-Cookie" not in response.headers
        assert "Access-Control-Allow-Origin" not in response.headers


def test_ten_megabytes_are_refused_by_the_guard_as_a_problem(server):
    big = b'{"a": "' + b"x" * 10_000_000 + b'"}'
    problem = assert_problem(post(server, "/api/v1/check", big), 413)
    assert problem["instance"] == "/api/v1/check"
    assert problem["type"] == "/api/v1/#envoi-trop-volumineux"
    # Without a declared length, as the bytes arrive (chunked): the same answer.
    head = (
        b"POST /api/v1/fill HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    # Just past the cap, so that the guard has read all of it when it answers and closes.
    chunk = b"x" * 50_025
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(4)) + b"0\r\n\r\n"
    answer = raw_request(server, head, chunks)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"content-type: application/problem+json" in answer.lower()
    assert b'"status": 413' in answer
    # Elsewhere on the site, the guard's refusal is still its French page.
    page = requests.post(server.url + "/contrat/nouveau/", data=big, timeout=60)
    assert page.status_code == 413 and page.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 30_000 + b"1" + b"}" * 30_000,
        b"\xff\xfe\x00 pas du json",
        json.dumps({"apprenti": {"nom_naissance": "\ud800"}}).encode(),
        b'{"maitres": [' + b",".join([b"{}"] * 60_000) + b"]}",
    ],
    ids=["listes", "objets", "octets", "surrogat", "liste-immense"],
)
def test_hostile_bodies_as_served_are_problems(server, body):
    for path in ("/api/v1/check", "/api/v1/complete", "/api/v1/fill"):
        assert_problem(post(server, path, body), 400)


def test_no_body_reaches_the_log_or_the_disk(server):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["apprenti"]["nom_naissance"] = SENTINEL
    good = json.dumps(data, ensure_ascii=False).encode()
    data["apprenti"]["date_naissance"] = SENTINEL
    bad = json.dumps(data, ensure_ascii=False).encode()
    for path in ("/api/v1/check", "/api/v1/complete?hors_ligne=1", "/api/v1/fill"):
        assert post(server, path, good).status_code == 200
        problem = assert_problem(post(server, path, bad), 400)
        assert "apprenti.date_naissance" in problem["detail"]
        assert_problem(post(server, path, good + b"x" * 300_000), 413)
        assert_problem(post(server, path, good, **{"Content-Type": "text/plain"}), 415)
    log = server.log()
    assert "/api/v1/check" in log  # the access log was written
    assert SENTINEL not in log
    assert list(server.tmpdir.iterdir()) == []


def test_cors_preflight_as_served(server):
    response = requests.options(
        server.url + "/api/v1/check",
        headers={
            "Origin": "https://site-tiers.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=30,
    )
    assert_problem(response, 405)
    assert not [h for h in response.headers if h.lower().startswith("access-control-")]


def test_one_allowance_for_a_client_across_processes():
    """Two server processes sharing one Redis: the client's calls are counted once. Each
    call comes on a connection of its own, so the processes take turns answering; were
    the counts per process, more calls would pass."""
    redis = start_redis()
    served = start_server(
        REDIS_URL=redis.url, WEB_CONCURRENCY="2", CERFA_API_BURST="4", CERFA_API_PER_MINUTE="1"
    )
    try:
        statuses = []
        for _ in range(10):
            with requests.Session() as fresh:
                response = fresh.post(
                    served.url + "/api/v1/check",
                    data=b"{}",
                    headers={"Content-Type": "application/json", "Connection": "close"},
                    timeout=30,
                )
            statuses.append(response.status_code)
            if response.status_code == 429:
                assert int(response.headers["Retry-After"]) >= 1
                assert response.headers["Content-Type"] == "application/problem+json"
        assert statuses == [200] * 4 + [429] * 6
        assert len(served.worker_pids()) == 2
        keys = [key.decode() for key in redis.client().keys("*")]
        limit_keys = [key for key in keys if key.startswith("cerfa-api-limite:")]
        assert len(limit_keys) == 1
        assert not [key for key in keys if "127.0.0.1" in key]
        assert "127.0.0.1" not in json.dumps(
            {k: redis.client().hgetall(k).__repr__() for k in limit_keys}
        )
    finally:
        served.stop()
        redis.stop()


def test_schemathesis_finds_no_server_error(server):
    """Requests generated from the description the server serves, valid and not: no 5xx,
    every status, content type, header and body as described. Bounded: a few dozen
    examples per endpoint and mode, no example database written to disk."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.generation import GenerationMode

    # Every check but one: schema-valid data may still be an unreadable dossier, since the
    # loader refuses what JSON Schema does not say (a date that does not exist, a year
    # before 1900, a number past 2**53): a 400 there is the format's answer, not a fault.
    config = schemathesis.Config.from_dict(
        {"checks": {"positive_data_acceptance": {"enabled": False}}}
    )
    schema = schemathesis.openapi.from_url(server.url + "/api/v1/openapi.json", config=config)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} == {"/api/v1/check", "/api/v1/complete", "/api/v1/fill"}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=50,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                case.call_and_validate(base_url=server.url, timeout=60)

            run()
