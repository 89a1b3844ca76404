"""Sessions: in memory only, never in a database or on disk.

The wizard's data is personal. It lives in the cache, which is the process's own memory
by default (one process) or Redis when ``REDIS_URL`` is set (several processes or hosts).
It expires after ``CERFA_SESSION_MINUTES`` minutes without activity (60 by default).
"""

from cerfa.settings.env import env_int, env_str

REDIS_URL = env_str("REDIS_URL")
SESSION_MINUTES = env_int("CERFA_SESSION_MINUTES", 60, minimum=1)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cerfa-sessions",
            # Sessions and contracts share it: room for a busy September, a few kB each.
            # Past this, the least recently used contract is forgotten first.
            "OPTIONS": {"MAX_ENTRIES": env_int("CERFA_CACHE_MAX_ENTRIES", 20_000, minimum=100)},
        }
    }

SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_COOKIE_AGE = SESSION_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # the 60 minutes count from the last activity
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
