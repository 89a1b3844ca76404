"""WSGI entry point for gunicorn."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cerfa.settings")
application = get_wsgi_application()
# Refuse to serve without a secret key (raises ImproperlyConfigured when it is empty).
settings.SECRET_KEY  # noqa: B018
