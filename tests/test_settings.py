"""Settings from the environment: production-safe defaults, loud failures on bad values."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import settings_with as probe_settings

ROOT = Path(__file__).parent.parent
PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "key = None\n"
    "try:\n    key = bool(settings.SECRET_KEY)\n"
    "except Exception as exc:\n    key = type(exc).__name__\n"
    "print(json.dumps({'debug': settings.DEBUG, 'key': key,"
    " 'redis': settings.REDIS_URL, 'session': settings.SESSION_ENGINE,"
    " 'age': settings.SESSION_COOKIE_AGE, 'databases': settings.DATABASES}))"
)


def settings_with(**env):
    return probe_settings(PROBE, **env)


def test_production_by_default_no_debug_no_key_statistics_in_sqlite():
    status, out, _ = settings_with()
    assert status == 0
    values = json.loads(out)
    assert values["debug"] is False
    assert values["key"] == "ImproperlyConfigured"  # no page is served without a secret key
    # The aggregates only (cerfa/stats/), in the checkout's var/ folder.
    assert values["databases"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["databases"]["default"]["NAME"] == str(ROOT / "var" / "statistiques.sqlite3")
    assert values["session"] == "cerfa.sessions"
    assert values["redis"] == ""  # the process's memory
    assert values["age"] == 3600


def test_redis_when_redis_url_is_set_and_session_length_is_configurable():
    status, out, _ = settings_with(
        REDIS_URL="redis://127.0.0.1:6379/0", CERFA_SESSION_MINUTES="20", DJANGO_SECRET_KEY="x"
    )
    values = json.loads(out)
    assert values["redis"] == "redis://127.0.0.1:6379/0"
    assert values["age"] == 1200 and values["key"]


def test_bad_values_fail_loudly():
    status, _, err = settings_with(CERFA_ENV="prod")
    assert status != 0 and "CERFA_ENV" in err
    status, _, err = settings_with(CERFA_SESSION_MINUTES="une heure")
    assert status != 0 and "CERFA_SESSION_MINUTES" in err
    status, _, err = settings_with(CERFA_SESSION_MINUTES="-5")
    assert status != 0 and "au moins 1" in err
    status, _, err = settings_with(CERFA_SWEEP_SECONDS="600")
    assert status != 0 and "CERFA_SWEEP_SECONDS doit valoir au plus 60" in err
    status, _, err = settings_with(CERFA_MAX_BODY_BYTES="1000")
    assert status != 0 and "au moins 10000" in err


def _documented_production_variables() -> dict[str, str]:
    """The « En production » block of the README, evaluated as a shell would."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### En production", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    done = subprocess.run(
        ["bash", "-c", block + "\nenv -0"],
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=True,
    )
    names = {
        line.split("=", 1)[0].removeprefix("export ") for line in block.split("\n") if "=" in line
    }
    pairs = (item.split("=", 1) for item in done.stdout.split("\0") if "=" in item)
    return {k: v for k, v in pairs if k in names}


def _check_deploy(variables: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("CERFA_", "DJANGO_", "REDIS"))
    }
    clean.update(variables, CERFA_ENV="production", DJANGO_SETTINGS_MODULE="cerfa.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_check_deploy_says_nothing_with_the_documented_production_variables():
    variables = _documented_production_variables()
    assert {"DJANGO_SECRET_KEY", "DJANGO_SECURE_HSTS_SECONDS", "DJANGO_SECURE_SSL_REDIRECT"} <= set(
        variables
    )
    done = _check_deploy(variables)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
    # And without one of them, Django does warn: the check above can fail.
    del variables["DJANGO_SECURE_HSTS_SECONDS"]
    done = _check_deploy(variables)
    assert done.returncode != 0 and "security.W004" in done.stderr + done.stdout


def test_the_statistics_database_follows_cerfa_data_dir_or_database_url(tmp_path):
    status, out, _ = settings_with(CERFA_DATA_DIR=str(tmp_path))
    assert status == 0
    assert json.loads(out)["databases"]["default"]["NAME"] == str(tmp_path / "statistiques.sqlite3")
    status, out, _ = settings_with(DATABASE_URL="postgres://cerfa:secret@db.example:5433/stats")
    assert status == 0
    database = json.loads(out)["databases"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.example", 5433, "stats")
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize("url", ["nimporte-quoi", "mysqlx://hote/base", "postgres://hote-seul"])
def test_an_unusable_database_url_is_refused_in_french_without_repeating_it(url):
    status, _, err = settings_with(DATABASE_URL=url)
    assert status != 0
    assert "DATABASE_URL n’est pas une adresse de base de données utilisable" in err
    assert url not in err.replace("DATABASE_URL", "")


def test_every_middleware_served_runs_in_the_event_loop():
    """Served under ASGI (uvicorn), a middleware that is not async-capable makes every
    request hop to a thread and back around it: each must be."""
    code = (
        "import django, json; django.setup(); from django.conf import settings;"
        "from django.utils.module_loading import import_string;"
        "print(json.dumps([m for m in settings.MIDDLEWARE"
        " if not getattr(import_string(m), 'async_capable', False)]))"
    )
    status, out, err = probe_settings(code, CERFA_ENV="production", DJANGO_SECRET_KEY="x" * 50)
    assert status == 0, err
    assert json.loads(out) == []
