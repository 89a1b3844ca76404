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
