"""The HTTP API (issue 10, item 4), through Django's test client: the command line's own
answers on every fixture, and a problem (RFC 9457) for every body it cannot take.

What only the served process shows (the request guard's refusals, the log, the disk, the
limit shared by several processes, schemathesis) is in tests/api/test_served.py.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from cerfa import downloads
from cerfa.api import limits
from rules.dossier import MAX_ITEMS, Dossier
from rules.schema import json_schema
from tests.helpers import DOSSIERS, EXAMPLE, raw, read_fields

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}
ENDPOINTS = ("/api/v1/check", "/api/v1/complete?hors_ligne=1", "/api/v1/fill")


@pytest.fixture(autouse=True)
def fresh_limits():
    """Each test starts with full allowances (the test client is always one client)."""
    limits.reset()
    yield
    limits.reset()


def post(client, path: str, body: bytes | str | dict, content_type="application/json", **extra):
    if isinstance(body, dict):
        body = json.dumps(body, ensure_ascii=False)
    return client.generic("POST", path, body, content_type=content_type, **extra)


def cli(*args) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("cerfa", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue()


def assert_problem(response, status: int, kind: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert set(body) == PROBLEM_KEYS
    assert body["status"] == status
    assert body["instance"] == response.wsgi_request.path
    if kind:
        assert body["type"] == f"/api/v1/#{kind}"
    assert body["detail"] and body["title"]
    assert "Set-Cookie" not in response.headers
    return body


# -- the command line's answers ----------------------------------------------------------


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.name)
def test_check_gives_the_findings_of_the_command_line(client, path):
    response = post(client, "/api/v1/check", path.read_bytes())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    _, out = cli("check", str(path), "--json")
    assert response.json() == json.loads(out)


@pytest.mark.parametrize("path", ["/api/v1/check", "/api/v1/complete?hors_ligne=1"])
def test_an_answer_about_a_dossier_is_kept_by_no_cache(client, path):
    response = post(client, path, EXAMPLE.read_bytes())
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_check_of_a_dossier_with_errors(client):
    data = raw("exemple.json")
    data["employeur"]["siret"] = "52147896600175"  # wrong Luhn key
    data["employeur"]["inconnu"] = "x"
    findings = post(client, "/api/v1/check", data).json()["findings"]
    assert any(f["level"] == "error" and "employeur.siret" in f["fields"] for f in findings)
    assert any(f["code"] == "format.cle_inconnue" for f in findings)
    assert all(set(f) == {"level", "code", "fields", "message", "reference"} for f in findings)


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.name)
def test_complete_offline_gives_the_envelope_of_the_command_line(client, path):
    response = post(client, "/api/v1/complete?hors_ligne=1", path.read_bytes())
    assert response.status_code == 200
    _, out = cli("complete", str(path), "--json", "--hors-ligne")
    assert response.json() == json.loads(out)


def test_complete_fills_the_pay_grid(client):
    data = raw("exemple.json")
    data["contrat"]["remunerations"] = []
    data["contrat"]["salaire_brut_embauche"] = None
    body = post(client, "/api/v1/complete?hors_ligne=1", data).json()
    assert (
        body["dossier"]["contrat"]["remunerations"]
        == raw("exemple.json")["contrat"]["remunerations"]
    )
    assert body["dossier"]["contrat"]["salaire_brut_embauche"]
    assert body["montants"] is not None and body["calendrier"] is not None


def test_complete_asks_the_public_sources_only_without_hors_ligne(client, online):
    data = raw("exemple.json")
    data["employeur"]["denomination"] = None  # something the register could fill
    offline = post(client, "/api/v1/complete?hors_ligne=1", data)
    assert offline.status_code == 200
    assert len(online.calls) == 0  # nothing was sent anywhere
    # Without it, the lookups are made as the command line makes them: here every fake
    # source fails, and the dossier is completed from what is left, with one info.
    response = post(client, "/api/v1/complete", data)
    assert response.status_code == 200
    assert len(online.calls) > 0
    assert all(call.request.url.startswith("https://") for call in online.calls)
    codes = [f["code"] for f in response.json()["findings"]]
    assert "complete.recherche.indisponible" in codes


@pytest.mark.parametrize("flatten", [False, True], ids=["modifiable", "aplati"])
@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.name)
def test_fill_gives_the_bytes_of_the_command_line(client, path, flatten, tmp_path):
    response = post(client, "/api/v1/fill" + ("?flatten=1" if flatten else ""), path.read_bytes())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    dossier = Dossier.from_json(path.read_bytes())
    kind = "pdf_aplati" if flatten else "pdf"
    assert response["Content-Disposition"] == downloads.content_disposition(
        downloads.display_name(dossier, kind)
    )
    out = tmp_path / "out.pdf"
    status, _ = cli("fill", str(path), "-o", str(out), *(["--flatten"] if flatten else []))
    assert status == 0
    assert response.content == out.read_bytes()


def test_the_filled_pdf_reads_back(client):
    response = post(client, "/api/v1/fill", EXAMPLE.read_bytes())
    assert response["Content-Disposition"].startswith(
        'attachment; filename="cerfa-apprentissage-MOREAU-Ines.pdf"'
    )
    values = {str(v) for v in read_fields(response.content).values() if v}
    assert "Moreau" in " ".join(values) or "MOREAU" in " ".join(values)
    assert "52147896600174" in " ".join(values)


def test_an_empty_dossier_is_a_draft_not_an_error(client):
    """A missing key, the format's version included, is « not answered »."""
    assert post(client, "/api/v1/check", {}).status_code == 200
    assert post(client, "/api/v1/complete?hors_ligne=1", {}).status_code == 200
    response = post(client, "/api/v1/fill", {})
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    without = raw("exemple.json")
    del without["format"]
    assert (
        post(client, "/api/v1/check", without).json()
        == post(client, "/api/v1/check", raw("exemple.json")).json()
    )


# -- bodies it cannot take ---------------------------------------------------------------

INVALID = {
    "date-francaise": (
        {"apprenti": {"date_naissance": "14/05/2008"}},
        "« apprenti.date_naissance » doit être une date au format AAAA-MM-JJ",
    ),
    "code-en-nombre": ({"employeur": {"type_employeur": 11}}, "« employeur.type_employeur »"),
    "liste-pour-texte": ({"apprenti": {"nom_naissance": ["a"]}}, "« apprenti.nom_naissance »"),
    "objet-pour-liste": ({"maitres": {"nom_naissance": "a"}}, "« maitres » doit être une liste"),
    "date-inexistante": (
        {"contrat": {"date_fin": "2027-02-30"}},
        "« contrat.date_fin » n'est pas une date qui existe",
    ),
    "montant-a-virgule": (
        {"contrat": {"salaire_brut_embauche": "1 823,03"}},
        "« contrat.salaire_brut_embauche »",
    ),
    "taux-en-texte": (
        {"contrat": {"remunerations": [{}, {"taux": "43"}]}},
        "« contrat.remunerations.1.taux » doit être un nombre",
    ),
    "booleen-en-texte": ({"apprenti": {"rqth": "oui"}}, "« apprenti.rqth » doit être true"),
    "format-inconnu": ({"format": "cerfa-fa13/2"}, "Format de dossier inconnu"),
    "pas-un-objet": ([1, 2], "doit être un objet JSON"),
    "texte-seul": ("bonjour", "doit être un objet JSON"),
    "cle-en-double": ('{"apprenti": {}, "apprenti": {}}', "« apprenti » est écrit deux fois"),
    "nombre-trop-grand": ({"employeur": {"effectif": 2**60}}, "« employeur.effectif »"),
    "nan": ('{"employeur": {"effectif": NaN}}', "« employeur.effectif »"),
    "trop-de-maitres": (
        {"maitres": [{}] * (MAX_ITEMS + 1)},
        f"« maitres » a {MAX_ITEMS + 1} éléments, pour {MAX_ITEMS} au plus",
    ),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("case", INVALID, ids=str)
def test_an_invalid_dossier_is_a_problem_naming_its_place(client, case, endpoint):
    body, expected = INVALID[case]
    if not isinstance(body, str | dict):
        body = json.dumps(body)
    elif isinstance(body, str) and not body.startswith(("{", "[")):
        body = json.dumps(body)
    problem = assert_problem(post(client, endpoint, body), 400, "dossier-illisible")
    assert expected in problem["detail"]
    assert problem["title"] == "Dossier illisible"


def nested(levels: int, opening: str, closing: str) -> str:
    return opening * levels + closing * levels


HOSTILE = {
    "pas-du-json": (b"ceci n'est pas du JSON", 400),
    "vide": (b"", 415),  # no Content-Type either
    "json-tronque": (EXAMPLE.read_bytes()[:500], 400),
    "pas-utf8": (b'{"apprenti": {"nom_naissance": "\xff\xfe"}}', 400),
    "surrogat-seul": (b'{"apprenti": {"nom_naissance": "\\ud800"}}', 400),
    "nul-et-controle": (
        json.dumps({"apprenti": {"nom_naissance": "\x00\x07\u202e\ufeff"}}).encode(),
        200,
    ),
    "emoji-et-ecritures": (
        json.dumps({"apprenti": {"nom_naissance": "😀𝕏٠١٢", "prenom": "ﷺ" * 50}}).encode(),
        200,
    ),
    "listes-imbriquees-100000": (nested(100_000, "[", "]").encode(), 400),
    "objets-imbriques-100000": (nested(100_000, '{"a":', "}").encode(), 413),
    "objets-imbriques-30000": (('{"a":' * 30_000 + "1" + "}" * 30_000).encode(), 400),
    "texte-immense": (
        json.dumps({"apprenti": {"nom_naissance": "x" * 150_000}}).encode(),
        400,
    ),
    "texte-immense-inconnu": (
        json.dumps({"inconnu": "é" * 90_000}, ensure_ascii=False).encode(),
        200,
    ),
    "dix-mega": (b'{"a": "' + b"x" * 10_000_000 + b'"}', 413),
    "liste-immense": (("[" + ",".join(["{}"] * 60_000) + "]").encode(), 400),
    "maitres-immense": (('{"maitres": [' + ",".join(["{}"] * 60_000) + "]}").encode(), 400),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("case", HOSTILE, ids=str)
def test_a_hostile_body_gets_a_problem_never_a_server_error(client, case, endpoint):
    body, status = HOSTILE[case]
    response = post(client, endpoint, body)
    if status == 200:  # odd but well-formed: read, and answered
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        return
    kind = {413: "envoi-trop-volumineux", 415: "type-de-contenu"}.get(status, "dossier-illisible")
    assert_problem(response, status, kind)


def test_the_body_cap_is_the_setting_and_admits_every_dossier(client, settings):
    """CERFA_API_MAX_BODY_BYTES: one byte more is refused; the largest dossier the format
    allows (every text at its box's length, in accented letters escaped as \\u00e9,
    indented) is far below it."""

    def largest(node):
        node = next(a for a in node.get("anyOf", [node]) if a.get("type") != "null")
        if "const" in node:
            return node["const"]
        return {
            "object": lambda: {k: largest(v) for k, v in node["properties"].items()},
            "array": lambda: [largest(node["items"]) for _ in range(8)],
            "string": lambda: (
                "2027-09-01"
                if node.get("format") == "date"
                else "123456789.99"
                if "pattern" in node
                else "é" * node["maxLength"]
            ),
            "integer": lambda: 9007199254740991,
            "number": lambda: 43.5,
            "boolean": lambda: True,
        }[node["type"]]()

    biggest = json.dumps(largest(json_schema()), ensure_ascii=True, indent=2).encode()
    cap = settings.CERFA_API_MAX_BODY_BYTES
    assert len(biggest) < cap / 1.5
    assert post(client, "/api/v1/check", biggest).status_code == 200
    at_cap = b'{"inconnu": "' + b"a" * (cap - 15) + b'"}'
    assert len(at_cap) == cap
    assert post(client, "/api/v1/check", at_cap).status_code == 200
    problem = assert_problem(
        post(client, "/api/v1/check", at_cap[:-2] + b'a"}'), 413, "envoi-trop-volumineux"
    )
    assert f"{cap // 1000} ko" in problem["detail"]
    settings.CERFA_API_MAX_BODY_BYTES = 50_000
    assert_problem(post(client, "/api/v1/check", at_cap), 413)


def test_the_body_cap_may_not_pass_the_server_cap():
    from tests.helpers import settings_with

    status, _, err = settings_with(
        "from django.conf import settings; settings.CERFA_API_MAX_BODY_BYTES",
        CERFA_API_MAX_BODY_BYTES="400000",
        CERFA_MAX_BODY_BYTES="300000",
    )
    assert status != 0
    assert "CERFA_API_MAX_BODY_BYTES (400000) doit valoir au plus CERFA_MAX_BODY_BYTES" in err


@pytest.mark.parametrize(
    "content_type", ["text/plain", "multipart/form-data; boundary=x", "application/xml"]
)
def test_a_body_that_is_not_json_by_its_type_is_a_415(client, content_type):
    response = post(client, "/api/v1/check", EXAMPLE.read_bytes(), content_type=content_type)
    assert_problem(response, 415, "type-de-contenu")


@pytest.mark.parametrize("query", ["flatten=peut-etre", "flatten=", "flatten=2"])
def test_a_wrong_parameter_is_a_problem_naming_it(client, query):
    problem = assert_problem(
        post(client, "/api/v1/fill?" + query, EXAMPLE.read_bytes()), 400, "parametre-invalide"
    )
    assert problem["detail"].startswith("flatten : ")


def test_hors_ligne_wrong_value_is_a_problem(client):
    problem = assert_problem(
        post(client, "/api/v1/complete?hors_ligne=bof", b"{}"), 400, "parametre-invalide"
    )
    assert problem["detail"].startswith("hors_ligne : ")


def test_unknown_addresses_and_methods_are_problems(client):
    assert_problem(client.get("/api/v1/inconnu"), 404, "introuvable")
    assert_problem(post(client, "/api/v1/check/de-trop", b"{}"), 404, "introuvable")
    response = client.get("/api/v1/check")
    assert_problem(response, 405, "methode-non-permise")
    assert response["Allow"] == "POST"
    assert_problem(client.put("/api/v1/fill", b"{}"), 405)


# -- per client, cross-origin, cookies ---------------------------------------------------


def test_each_client_has_its_allowance(client, settings):
    settings.CERFA_API_BURST = 3
    settings.CERFA_API_PER_MINUTE = 1
    limits.reset()
    for endpoint in ENDPOINTS:
        assert post(client, endpoint, b"{}").status_code == 200
    response = post(client, "/api/v1/check", b"{}")
    problem = assert_problem(response, 429, "trop-de-demandes")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Retry-After" in problem["detail"]
    # Refused before its body is even read: a body too big is still a 429.
    assert post(client, "/api/v1/check", b"x" * 300_000).status_code == 429
    # Another address has its own.
    other = post(client, "/api/v1/check", b"{}", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200
    # An IPv6 client is counted by its /64: another address of the same network shares it.
    for n in range(3):
        assert post(client, "/api/v1/check", b"{}", REMOTE_ADDR=f"2001:db8::{n}").status_code == 200
    assert post(client, "/api/v1/check", b"{}", REMOTE_ADDR="2001:db8::ff").status_code == 429


def test_the_key_of_a_client_is_no_address(rf):
    request = rf.post("/api/v1/check", REMOTE_ADDR="203.0.113.9")
    key = limits.client_key(request)
    assert "203.0.113" not in key
    assert key == limits.client_key(rf.post("/api/v1/fill", REMOTE_ADDR="203.0.113.9"))
    assert key != limits.client_key(rf.post("/api/v1/fill", REMOTE_ADDR="203.0.113.10"))


@pytest.mark.parametrize("path", ["/api/v1/check", "/api/v1/complete", "/api/v1/fill"])
def test_cors_stays_closed(client, path):
    preflight = client.options(
        path,
        HTTP_ORIGIN="https://site-tiers.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert preflight.status_code == 405
    assert not any(name.lower().startswith("access-control-") for name in preflight.headers)
    response = post(client, path, b"{}", HTTP_ORIGIN="https://site-tiers.example")
    assert response.status_code == 200
    assert not any(name.lower().startswith("access-control-") for name in response.headers)


def test_no_cookie_on_any_answer_of_the_api(client, settings):
    answers = [
        post(client, "/api/v1/check", EXAMPLE.read_bytes()),
        post(client, "/api/v1/complete?hors_ligne=1", EXAMPLE.read_bytes()),
        post(client, "/api/v1/fill", EXAMPLE.read_bytes()),
        post(client, "/api/v1/check", b"nope"),
        post(client, "/api/v1/check", b"{}", content_type="text/plain"),
        client.get("/api/v1/openapi.json"),
        client.get("/api/v1/check"),
        client.get("/api/v1/inconnu"),
    ]
    settings.CERFA_API_BURST = 1
    limits.reset()
    post(client, "/api/v1/check", b"{}")
    answers.append(post(client, "/api/v1/check", b"{}"))
    assert answers[-1].status_code == 429
    for response in answers:
        assert "Set-Cookie" not in response.headers, response.wsgi_request.path
        assert response.cookies == {} or not response.cookies
    assert not client.cookies
    assert all(r["Cache-Control"] == "no-store" for r in answers if r.status_code != 200)


# -- its description and its documentation -----------------------------------------------


def test_the_openapi_description_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {"/api/v1/check", "/api/v1/complete", "/api/v1/fill"}
    dossier = {k: v for k, v in json_schema().items() if k not in ("$schema", "$id")}
    assert spec["components"]["schemas"]["Dossier"] == dossier
    for path, item in spec["paths"].items():
        operation = item["post"]
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/Dossier"}, path
        for status in ("400", "413", "415", "429"):
            assert "application/problem+json" in operation["responses"][status]["content"]
    assert "application/pdf" in spec["paths"]["/api/v1/fill"]["post"]["responses"]["200"]["content"]
    parameters = {p["name"] for p in spec["paths"]["/api/v1/fill"]["post"]["parameters"]}
    assert parameters == {"flatten"}
    parameters = {p["name"] for p in spec["paths"]["/api/v1/complete"]["post"]["parameters"]}
    assert parameters == {"hors_ligne"}


def test_the_documentation_page_is_french_and_served_here(client, settings):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    for text in (
        "POST /api/v1/check",
        "POST /api/v1/complete",
        "POST /api/v1/fill",
        "hors_ligne=1",
        "flatten=1",
        "/api/v1/openapi.json",
        f"{settings.CERFA_API_MAX_BODY_BYTES // 1000} ko",
        f"{settings.CERFA_API_BURST} d’affilée, puis {settings.CERFA_API_PER_MINUTE} par minute",
        "application/problem+json",
        "Access-Control-Allow-Origin",
        "/api/siret/",
    ):
        assert text in html, text
    from cerfa.api.problems import KINDS

    for kind in KINDS:  # every problem's type links to its explanation here
        assert f'id="{kind}"' in html
    # No third-party script: no Swagger UI.
    assert "swagger" not in html.lower() and "cdn" not in html.lower()


def test_the_documentation_is_linked_from_the_site_map(client):
    html = client.get("/plan-du-site/").content.decode()
    assert 'href="/api/v1/"' in html


def test_the_lookup_endpoints_keep_working(client):
    response = client.get("/api/communes/", {"value": "69002"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["status"] in ("ok", "unavailable", "not_found", "invalid")


def test_a_bug_is_a_problem_that_says_nothing_of_the_dossier(monkeypatch):
    """Django's 500 page becomes a problem too; its detail names no value of the body."""
    from django.test import Client

    def broken(dossier):
        raise RuntimeError(f"panne sur {dossier.apprenti.nom_naissance}")

    monkeypatch.setattr("cerfa.api.api.findings_for", broken)
    response = post(Client(raise_request_exception=False), "/api/v1/check", EXAMPLE.read_bytes())
    problem = assert_problem(response, 500, "erreur-interne")
    assert "Moreau" not in response.content.decode()
    assert problem["detail"].endswith("merci de la signaler.")


def test_no_csrf_token_is_asked():
    """Programs call the API: no CSRF token, no cookie to carry one (the wizard's forms keep
    theirs)."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    for endpoint in ENDPOINTS:
        response = post(strict, endpoint, EXAMPLE.read_bytes())
        assert response.status_code == 200, endpoint
        assert "Set-Cookie" not in response.headers
    assert strict.post("/contrat/nouveau/").status_code == 403
