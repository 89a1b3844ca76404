"""Core Django settings."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from cerfa.settings.env import ENVIRONMENT, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DJANGO_DEBUG", ENVIRONMENT == "development")

# Outside development and tests the key must come from the environment. Django raises
# ImproperlyConfigured on first use of an empty key, and cerfa/wsgi.py touches it at start,
# so a server never runs without one; the command line, which signs nothing, still works.
_DEV_KEY = "insecure-development-key-never-used-in-production"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_KEY if ENVIRONMENT != "production" else "")

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "[::1]"] + (["testserver"] if ENVIRONMENT != "production" else []),
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # No django.contrib.sessions: its model is a table of sessions in the database, and
    # sessions live in the store only (cerfa/sessions.py uses its base classes alone).
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "formtools",
    "dsfr",
    "cerfa",
    "cerfa.stats",
    # Django's own form templates, needed by the TemplatesSetting renderer below; last,
    # so that django-dsfr's overrides of some of them win.
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every error of the API as a problem (RFC 9457), whoever answered it.
    "cerfa.api.problems.ProblemMiddleware",
    # Static files first: they need no session. ServeStatic (WhiteNoise's fork with ASGI
    # support) serves them from memory-mapped files without blocking the event loop.
    "servestatic.middleware.ServeStaticMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "cerfa.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cerfa.urls"
ASGI_APPLICATION = "cerfa.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# The database holds aggregate counts only (cerfa/settings/database.py): nothing the user
# types is ever stored. Sessions live in the store (cerfa/settings/sessions.py), and so do
# the one-page confirmations (« Vos données ont été effacées… »): no « messages » cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# `collectstatic` writes here; CERFA_STATIC_ROOT moves it (each test run collects into a
# folder of its own, so that two runs side by side never clear each other's files).
STATIC_ROOT = Path(env_str("CERFA_STATIC_ROOT", "") or BASE_DIR / "staticfiles")
# Outside production, static files are served straight from the apps' folders, with no
# `collectstatic` (and no warning about a missing STATIC_ROOT on a fresh clone).
SERVESTATIC_USE_FINDERS = ENVIRONMENT != "production"
SERVESTATIC_AUTOREFRESH = ENVIRONMENT != "production"
STORAGES = {
    "staticfiles": {
        "BACKEND": (
            "cerfa.staticstorage.StaticStorage"
            if ENVIRONMENT == "production"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Every request body is capped before it is read (cerfa/asgi.py answers 413 past it): the
# largest is a draft upload (200 kB, cerfa/wizard/upload.py) with its form around it. It
# must arrive within CERFA_BODY_SECONDS, or the request is dropped with a 408.
# A request's line and headers: no browser sends more than a few kilobytes.
CERFA_MAX_HEADER_BYTES = 16 * 1024
CERFA_MAX_BODY_BYTES = env_int("CERFA_MAX_BODY_BYTES", 300_000, minimum=10_000)
CERFA_BODY_SECONDS = env_int("CERFA_BODY_SECONDS", 30, minimum=1)
# A batch of contracts (« Plusieurs contrats », cerfa/batch/web.py) is a larger file: its
# upload URL alone takes this much (within the reader's 5 MB, cerfa/batch/reading.py), in
# memory only, with its form around it.
CERFA_BATCH_UPLOAD_BYTES = env_int("CERFA_BATCH_UPLOAD_BYTES", 5_000_000, minimum=10_000)
# The work one request does on a batch (its progress page), in milliseconds, one row at least.
CERFA_BATCH_STEP_MS = env_int("CERFA_BATCH_STEP_MS", 1000, minimum=0)
# Well within the lock a step holds (cerfa/batch/jobs.LOCK_SECONDS, 15 s): a longer step
# would let a second request check the same rows.
if CERFA_BATCH_STEP_MS > 5000:
    raise ImproperlyConfigured(
        f"CERFA_BATCH_STEP_MS doit valoir au plus 5000, pas {CERFA_BATCH_STEP_MS}"
    )
DATA_UPLOAD_MAX_MEMORY_SIZE = CERFA_MAX_BODY_BYTES
# Django keeps a request's body in memory up to this size, then spills it to a temporary
# file: as large as the largest body the request guard lets through (a batch file and its
# form; a contract's PDF is smaller), so that none reaches the disk. cerfa/asgi.py refuses
# to start if a route of the guard takes more.
FILE_UPLOAD_MAX_MEMORY_SIZE = max(CERFA_MAX_BODY_BYTES, CERFA_BATCH_UPLOAD_BYTES + 100_000)
