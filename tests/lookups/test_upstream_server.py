"""The fake server of tests/upstream.py: the real paths of each API reach the recorded
answers, a service started as a subprocess can be pointed at it, and it stops at once
even with hanging or dripping requests in flight."""

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cerfa import lookups
from cerfa.lookups import conventions, service
from cerfa.lookups.client import LookupClient
from rules import idcc as idcc_list
from tests.upstream import DripBody, DripHeaders, FakeUpstream, Hang, Silent

ROOT = Path(__file__).parent.parent.parent


@pytest.fixture
def live(settings, fake_upstream):
    settings.CERFA_LOOKUPS_ENABLED = True
    settings.CERFA_LOOKUP_URLS = fake_upstream.urls
    return fake_upstream


def test_each_lookup_reaches_its_recorded_answer_by_its_real_path(live):
    siege = lookups.siret("73282932000074")
    assert siege.values["denomination"] == "BOULANGERIE DES LILAS"
    assert lookups.siret("40123456200171").status == "ok"
    assert lookups.siret("31415926000178").status == "closed"
    assert lookups.siret("52147896600174").status == "not_found"  # any other SIRET
    assert [c["commune"] for c in lookups.communes("01300").choices] == [
        "Belley",
        "Brens",
        "Magnieu",
    ]
    assert lookups.communes("69998").status == "not_found"
    assert lookups.cfa("0691234S").values["siret"] == "77834512400219"  # ?uais=
    assert lookups.cfa("77834512400219").source.startswith("Référentiel")  # /<siret>
    assert lookups.diplome("RNCP35908").values["code_diplome"] == "45020201"
    assert lookups.diplome("32031213").status == "ok"
    partial = idcc_list.IdccList({}, complet=False, source="", date="")
    found = conventions.lookup(
        "2216", client=service.get_client(), base_url=live.urls["cdtn"], conventions=partial
    )
    assert found.status == "ok"
    paths = {path for path, _ in live.requests}
    assert paths == {
        "/entreprises/search",
        "/geo/communes",
        "/referentiel/api/v1/organismes",
        "/referentiel/api/v1/organismes/77834512400219",
        "/catalogue/api/v1/entity/formations",
        "/cdtn/api/idcc",
    }


def test_an_unknown_cfa_siret_is_a_404_and_the_annuaire_answers(live):
    result = lookups.cfa("40123456200171")
    assert result.status == "ok" and "Annuaire" in result.source
    assert ("/referentiel/api/v1/organismes/40123456200171", "") in live.requests


def test_it_stops_at_once_with_requests_hanging_or_dripping_in_flight():
    upstream = FakeUpstream()
    upstream.route("/geo/a", Hang(60))
    upstream.route("/geo/b", DripBody(0.5))
    upstream.route("/geo/c", DripHeaders(0.5))
    upstream.route("/geo/d", Silent())
    ended = []

    def ask(path):
        conn = http.client.HTTPConnection("127.0.0.1", int(upstream.base_url.rsplit(":", 1)[1]))
        try:
            conn.request("GET", path)
            conn.getresponse().read()
        except (OSError, http.client.HTTPException):
            pass
        finally:
            conn.close()
            ended.append(path)

    threads = [threading.Thread(target=ask, args=(f"/geo/{x}",), daemon=True) for x in "abcd"]
    for thread in threads:
        thread.start()
    waiting = time.monotonic() + 5
    while upstream.in_flight() < 4 and time.monotonic() < waiting:
        time.sleep(0.01)
    assert upstream.in_flight() == 4
    start = time.monotonic()
    upstream.stop()
    assert time.monotonic() - start < 2.0
    for thread in threads:
        thread.join(1.0)
    assert sorted(ended) == ["/geo/a", "/geo/b", "/geo/c", "/geo/d"]
    assert upstream.in_flight() == 0 and upstream.wait_idle(0)


def test_it_stops_by_itself_after_its_lifetime():
    upstream = FakeUpstream(lifetime=0.2)
    time.sleep(0.5)
    with pytest.raises(OSError):
        LookupClient(timeout=1).session.get(upstream.base_url + "/geo/communes", timeout=1)


def test_a_service_subprocess_pointed_at_it_by_its_environment(fake_upstream, tmp_path):
    dossier = tmp_path / "dossier.json"
    dossier.write_text(json.dumps({"employeur": {"siret": "73282932000074"}}), "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CERFA_", "DJANGO_"))}
    env.update(fake_upstream.environ(), CERFA_ENV="development", CERFA_LOOKUP_TIMEOUT_SECONDS="1")
    done = subprocess.run(
        [sys.executable, "manage.py", "cerfa", "complete", str(dossier)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["employeur"]["denomination"] == "BOULANGERIE DES LILAS"
    assert fake_upstream.requests_to("/entreprises") == [
        ("/entreprises/search", "q=73282932000074&page=1&per_page=1")
    ]
