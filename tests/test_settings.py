"""Settings from the environment: production-safe defaults, loud failures on bad values."""

import json
import os
import subprocess
import sys
from pathlib import Path

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
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("CERFA_", "DJANGO_", "REDIS"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="cerfa.settings")
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    return done.returncode, done.stdout, done.stderr


def test_production_by_default_no_debug_no_key_no_database():
    status, out, _ = settings_with()
    assert status == 0
    values = json.loads(out)
    assert values["debug"] is False
    assert values["key"] == "ImproperlyConfigured"  # no page is served without a secret key
    assert values["databases"]["default"]["ENGINE"] == "django.db.backends.dummy"
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
