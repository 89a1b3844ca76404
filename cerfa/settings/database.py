"""The one database: aggregate counts for the « Statistiques » page, nothing else.

Sessions and contracts never go there (cerfa/settings/sessions.py): only per-day totals
(cerfa/stats/), which hold no identifier of a person, a session or a contract.

SQLite by default, a file in the data folder (``CERFA_DATA_DIR``, ``var/`` in the checkout
by default; ``make install`` creates it and runs ``migrate``). PostgreSQL, or any database
Django knows, when ``DATABASE_URL`` is set (``postgres://user:password@host:5432/name``),
read by dj-database-url.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from cerfa.settings.base import BASE_DIR
from cerfa.settings.env import env_int, env_str

CERFA_DATA_DIR = Path(env_str("CERFA_DATA_DIR", "") or BASE_DIR / "var")
DATABASE_URL = env_str("DATABASE_URL")

if DATABASE_URL:
    # One connection per thread kept a minute (a count flush every few seconds reuses it),
    # checked before reuse, so that a restarted database server costs one failed flush.
    try:
        _database = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    except ValueError:  # dj-database-url's UnknownSchemeError among others
        _database = {}
    if not _database.get("NAME"):
        # The address itself is not repeated: it may hold a password.
        raise ImproperlyConfigured(
            "DATABASE_URL n’est pas une adresse de base de données utilisable : écrivez-la "
            "postgres://utilisateur:motdepasse@hôte:5432/nom_de_la_base"
        )
    DATABASES = {"default": _database}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(CERFA_DATA_DIR / "statistiques.sqlite3"),
            # Several processes may flush at once: each takes the write lock when its
            # transaction starts (no lock upgrade to deadlock on) and waits for it 5 s.
            "OPTIONS": {"timeout": 5, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Counts are kept in this process's memory and written to the database every this many
# seconds, and when the process stops (cerfa/stats/counters.py): a page never waits for a
# write. What a crash loses: at most this many seconds of counts. 0: never on a timer
# (the tests write them when they choose).
CERFA_STATS_FLUSH_SECONDS = env_int("CERFA_STATS_FLUSH_SECONDS", 10, minimum=0)
# Distinct (day, counter) pairs held between two writes: past it, new counters of the
# period are dropped (and the drop is logged once per flush), so that memory stays bounded
# whatever happens to the database.
CERFA_STATS_MAX_PENDING = env_int("CERFA_STATS_MAX_PENDING", 5_000, minimum=1)

# django-dsfr's models (site settings edited in its admin, read by its context processor)
# serve nothing here: its migrations are not run, so the database holds the counts alone.
MIGRATION_MODULES = {"dsfr": None}
