"""The HTTP API for CFA software (``/api/v1/``, cerfa/api/): its own limits.

A body over ``CERFA_API_MAX_BODY_BYTES`` is refused (413) before it is read, by the
request guard (cerfa/asgi.py) and again by the API itself. A dossier with every box of the
form full of accented letters, each written ``\\u00e9`` and indented, stays far below it
(``tests/api/test_api.py`` builds one). It may not exceed ``CERFA_MAX_BODY_BYTES``: Django
writes a larger body to a temporary file on disk, and a dossier is personal data.

Each client (its address, as ``cerfa/clients.py`` places it, known only by a keyed digest)
may make ``CERFA_API_BURST`` calls at once, given back at ``CERFA_API_PER_MINUTE``: a CFA's
forty contracts of September, each checked, completed and filled, pass in one go. The
counts live in Redis when ``REDIS_URL`` is set (shared by every process), else in this
process's memory; past them the API answers 429 with ``Retry-After``.
"""

from django.core.exceptions import ImproperlyConfigured

from cerfa.settings.base import CERFA_MAX_BODY_BYTES
from cerfa.settings.env import env_int

CERFA_API_MAX_BODY_BYTES = env_int("CERFA_API_MAX_BODY_BYTES", 200_000, minimum=10_000)
if CERFA_API_MAX_BODY_BYTES > CERFA_MAX_BODY_BYTES:
    raise ImproperlyConfigured(
        f"CERFA_API_MAX_BODY_BYTES ({CERFA_API_MAX_BODY_BYTES}) doit valoir au plus "
        f"CERFA_MAX_BODY_BYTES ({CERFA_MAX_BODY_BYTES}) : au-delà, Django écrirait le dossier "
        "reçu dans un fichier temporaire sur disque."
    )
CERFA_API_PER_MINUTE = env_int("CERFA_API_PER_MINUTE", 60, minimum=1)
CERFA_API_BURST = env_int("CERFA_API_BURST", 120, minimum=1)
