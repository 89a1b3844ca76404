"""Settings for the test suite (``DJANGO_SETTINGS_MODULE=cerfa.settings.test``).

Whatever the environment says: a fake secret key, no network lookups (tests replay
recorded answers), plain static files storage.
"""

from cerfa.settings import *  # noqa: F403

ENVIRONMENT = "test"
DEBUG = False
SECRET_KEY = "test-key-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
CERFA_LOOKUPS_ENABLED = False
SERVESTATIC_USE_FINDERS = True
SERVESTATIC_AUTOREFRESH = True
STORAGES = {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Every test of the Django client comes from one address: the limits per address are
# tested where they are set explicitly (and through the real server, tests/e2e).
CERFA_NEW_SESSIONS_PER_MINUTE = CERFA_NEW_SESSIONS_BURST = 1_000_000
CERFA_NEW_CONTRACTS_PER_MINUTE = CERFA_NEW_CONTRACTS_BURST = 1_000_000
# Counts are written when a test says so (cerfa.stats.counters.flush), never on a timer.
CERFA_STATS_FLUSH_SECONDS = 0
# SQLite's test database in a file, not in memory: as served, several connections (the
# threads of a concurrency test) then wait for its lock instead of failing at once.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"cerfa-test-{os.getpid()}.sqlite3")
    }
