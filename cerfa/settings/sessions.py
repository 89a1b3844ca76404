"""Sessions and contracts in progress: in memory only, never in a database or on disk.

The wizard's data is personal. It lives in ``cerfa.store``: the process's own memory by
default (one process), or Redis when ``REDIS_URL`` is set (several processes or hosts).
It expires after ``CERFA_SESSION_MINUTES`` minutes without activity (60 by default), and
nothing in it is ever pushed out by newer entries: when the store is full, new sessions
and new contracts are refused (« service momentanément saturé »).
"""

from django.core.exceptions import ImproperlyConfigured

from cerfa.settings.env import env_bool, env_int, env_str

REDIS_URL = env_str("REDIS_URL")
SESSION_MINUTES = env_int("CERFA_SESSION_MINUTES", 60, minimum=1)
# The same, in seconds, for tests of expiry that cannot wait for minutes.
SESSION_SECONDS = env_int("CERFA_SESSION_SECONDS", SESSION_MINUTES * 60, minimum=2)

# Room in the store. A session is a few hundred bytes, a contract a few kilobytes (at most
# some tens with every box full to its limit).
CERFA_MAX_SESSIONS = env_int("CERFA_MAX_SESSIONS", 100_000, minimum=1)
CERFA_MAX_CONTRACTS = env_int("CERFA_MAX_CONTRACTS", 20_000, minimum=1)
CERFA_CONTRACTS_PER_SESSION = env_int("CERFA_CONTRACTS_PER_SESSION", 20, minimum=1)
# What one address may start (a token bucket: this many at once, then so many a minute):
# an office behind one address — a CFA with its forty contracts in September — stays well
# within it; one client alone cannot fill the store for everyone else.
CERFA_NEW_SESSIONS_PER_MINUTE = env_int("CERFA_NEW_SESSIONS_PER_MINUTE", 10, minimum=1)
CERFA_NEW_SESSIONS_BURST = env_int("CERFA_NEW_SESSIONS_BURST", 30, minimum=1)
CERFA_NEW_CONTRACTS_PER_MINUTE = env_int("CERFA_NEW_CONTRACTS_PER_MINUTE", 10, minimum=1)
CERFA_NEW_CONTRACTS_BURST = env_int("CERFA_NEW_CONTRACTS_BURST", 40, minimum=1)
# Live checks of a step while typing (one per field left), per session: a person typing
# fast stays far below; past it the page simply checks on « Suivant ».
CERFA_LIVE_CHECKS_PER_MINUTE = env_int("CERFA_LIVE_CHECKS_PER_MINUTE", 120, minimum=1)
CERFA_LIVE_CHECKS_BURST = env_int("CERFA_LIVE_CHECKS_BURST", 60, minimum=1)
# The memory backend's budget for all entries together (Redis has its own maxmemory).
CERFA_STORE_MAX_MB = env_int("CERFA_STORE_MAX_MB", 512, minimum=1)
# How often the memory backend forgets expired entries: they leave memory within this time.
CERFA_SWEEP_SECONDS = env_int("CERFA_SWEEP_SECONDS", 30, minimum=1)
if CERFA_SWEEP_SECONDS > 60:
    raise ImproperlyConfigured(
        f"CERFA_SWEEP_SECONDS doit valoir au plus 60 (secondes), pas {CERFA_SWEEP_SECONDS}"
    )
# A Redis that writes to disk is refused at start (cerfa/startup.py) unless this is set by
# someone who has checked that its disk is as safe as memory.
CERFA_REDIS_ALLOW_PERSISTENCE = env_bool("CERFA_REDIS_ALLOW_PERSISTENCE", False)

SESSION_ENGINE = "cerfa.sessions"
SESSION_COOKIE_AGE = SESSION_SECONDS
# The 60 minutes count from the last activity: cerfa/sessions.py gives the session more
# time at each request without writing it back (which could undo another tab's change).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"

# Nothing uses Django's cache: personal data must not land in one that evicts or persists.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
