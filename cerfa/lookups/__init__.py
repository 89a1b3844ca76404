"""Auto-completion from public, key-less APIs: one value typed, a block filled.

``siret``, ``communes``, ``cfa``, ``diplome`` and ``idcc`` each return a ``LookupResult``
(see ``result.py``) and never raise. The parsers and the HTTP client are plain Python;
``service.py`` wires them to the Django settings, and ``views.py`` exposes them as small
JSON endpoints for the wizard's JavaScript. When the postal-code or the diploma API
cannot answer, the tables kept with the service do (``offline.py``). Sources, what is
sent and what happens when an API is down: docs/apis.md.
"""

from cerfa.lookups.result import UNAVAILABLE_MESSAGE, LookupResult
from cerfa.lookups.service import cfa, communes, diplome, idcc, siret

__all__ = [
    "UNAVAILABLE_MESSAGE",
    "LookupResult",
    "cfa",
    "communes",
    "diplome",
    "idcc",
    "siret",
]
