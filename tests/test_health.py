"""``/sante/``: the template, the store and the database, each with its French message;
200 when all is well, 503 otherwise; nothing personal; cheap enough to be probed often."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import call_command

from cerfa import health
from cerfa.pdf import template
from cerfa.store import reset_store
from tests.server import start_redis

# Every answer checks the database of the statistics (aggregates only).
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh():
    health._verified.clear()
    reset_store()
    yield
    health._verified.clear()
    reset_store()


def get(client):
    response = client.get("/sante/")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    # Exempt from nothing: the headers of every page, and no session opened.
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert not response.cookies
    body = response.json()
    # Only these keys, only these messages: no place for anything personal.
    assert set(body) == {"status", "message", "checks"}
    assert set(body["checks"]) == {"template", "store", "database"}
    assert all(set(check) == {"ok", "message", "used"} for check in body["checks"].values())
    return response.status_code, body


def test_healthy_service_answers_200(client):
    status, body = get(client)
    assert status == 200
    assert body["status"] == "ok" and body["message"] == "Le service fonctionne."
    assert body["checks"]["template"] == {
        "ok": True,
        "message": "Modèle CERFA 10103*14 en place et vérifié.",
        "used": True,
    }
    assert (
        body["checks"]["store"]["message"] == "Sessions en mémoire de ce processus : disponibles."
    )
    assert body["checks"]["database"] == {
        "ok": True,
        "message": "La base de données des statistiques répond.",
        "used": True,
    }
    assert client.head("/sante/").status_code == 200
    assert client.post("/sante/").status_code == 405


def test_missing_template_answers_503(client, monkeypatch, tmp_path):
    monkeypatch.setenv("CERFA_TEMPLATE_PATH", str(tmp_path / "absent.pdf"))
    status, body = get(client)
    assert status == 503 and body["status"] == "error"
    assert body["message"] == "Le service ne peut pas servir."
    check = body["checks"]["template"]
    assert (
        not check["ok"] and "est absent" in check["message"] and "make install" in check["message"]
    )
    assert body["checks"]["store"]["ok"]


def test_a_template_that_is_not_the_cerfa_answers_503(client, monkeypatch, tmp_path):
    fake = tmp_path / "cerfa.pdf"
    fake.write_bytes(b"<html>une page, pas le formulaire</html>")
    monkeypatch.setenv("CERFA_TEMPLATE_PATH", str(fake))
    status, body = get(client)
    assert status == 503
    assert "n'est pas un fichier PDF" in body["checks"]["template"]["message"]


def test_the_template_is_verified_once_per_file_version(client, monkeypatch, tmp_path):
    # Without the cache written at install, the template itself is verified (pypdf).
    copy = tmp_path / "cerfa.pdf"
    shutil.copyfile(template.template_path(), copy)
    monkeypatch.setenv("CERFA_TEMPLATE_PATH", str(copy))
    calls = []
    real = template.verify
    monkeypatch.setattr(template, "verify", lambda data: calls.append(len(data)) or real(data))
    for _ in range(3):
        assert get(client)[0] == 200
    assert len(calls) == 1
    # Another file in its place is verified again, and its verdict replaces the first.
    copy.write_bytes(b"%PDF-1.4 tronque")
    status, body = get(client)
    assert status == 503 and len(calls) == 2
    assert "illisible ou abîmé" in body["checks"]["template"]["message"]
    assert len(health._verified) == 1


def test_the_installed_template_with_its_cache_is_not_parsed_again(client, monkeypatch):
    assert template.cache_is_current(
        template.template_path(), template.template_path().read_bytes()
    )
    monkeypatch.setattr(template, "verify", lambda data: pytest.fail("parsed again"))
    assert get(client)[0] == 200


def test_a_template_far_too_big_is_refused_without_being_read(client, monkeypatch, tmp_path):
    big = tmp_path / "cerfa.pdf"
    with big.open("wb") as out:
        out.truncate(template.MAX_SIZE + 1)
    monkeypatch.setenv("CERFA_TEMPLATE_PATH", str(big))
    monkeypatch.setattr(type(big), "read_bytes", lambda self: pytest.fail("read"))
    status, body = get(client)
    assert status == 503 and "bien trop gros" in body["checks"]["template"]["message"]


def test_redis_up_then_down(client, settings):
    redis = start_redis()
    try:
        settings.REDIS_URL = redis.url
        reset_store()
        status, body = get(client)
        assert status == 200
        assert body["checks"]["store"] == {
            "ok": True,
            "message": "Redis répond : sessions et contrats accessibles.",
            "used": True,
        }
    finally:
        redis.stop()
    status, body = get(client)
    assert status == 503
    assert body["checks"]["store"] == {
        "ok": False,
        "message": "Redis ne répond pas : les sessions et contrats sont inaccessibles.",
        "used": True,
    }
    assert body["checks"]["template"]["ok"]


def test_a_database_without_its_table_answers_503(client):
    from django.db import connection

    # Renamed within the test's transaction, which is rolled back (SQLite and PostgreSQL
    # both undo DDL): as if « migrate » had never run.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE stats_dailycount RENAME TO stats_dailycount_away")
    status, body = get(client)
    assert status == 503
    assert body["checks"]["database"] == {
        "ok": False,
        "message": "La base de données des statistiques ne répond pas, ou n’est pas créée "
        "(lancez « make install », qui applique les migrations).",
        "used": True,
    }


def test_serve_tells_the_operator_the_health_address(monkeypatch):
    import uvicorn

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: started.append(kwargs))
    out = io.StringIO()
    call_command("serve", "--host", "127.0.0.1", "--port", "8123", stdout=out)
    assert started and started[0]["port"] == 8123
    assert "Santé du service : http://127.0.0.1:8123/sante/" in out.getvalue()
