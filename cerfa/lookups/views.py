"""Small JSON endpoints for the wizard's JavaScript: one value in, dossier values out.

``GET /api/siret/?value=<siret>`` (``&role=cfa`` for a CFA or training place),
``/api/communes/?value=<code postal>``, ``/api/cfa/?value=<siret or uai>``,
``/api/diplome/?value=<code>``, ``/api/idcc/?value=<code>``. The value is in the query
string, not the path, because the access log and Django's request log (which writes every
400) print the path: what the user typed must not reach them. The body is ``LookupResult.to_dict()``: ``status``, ``values`` keyed
by the dossier's field names, ``choices``, ``details``, ``messages`` (French), ``source``.
Every outcome answers 200 with its ``status``, a value that cannot be looked up
(``invalid``) and an API down included, so the page simply lets the user type; a 4xx would
also be reported as an error in the browser's console of every user who mistypes a SIRET
(the live check of the step says what is wrong with it). Nothing is stored;
``Cache-Control: no-store`` keeps the answers out of browser and proxy caches.

Each client has its own limit of lookups (``CERFA_LOOKUP_SESSION_PER_MINUTE`` for its
session, ``CERFA_LOOKUP_ADDRESS_PER_MINUTE`` for its address, which the server takes from
the trusted proxy's headers); past it the endpoint answers 429, with the same JSON (status
``unavailable``, a French message asking to wait a moment) and ``Retry-After``. Its
address is also its key for the upstream share of the client (``requester``): no one
client may use more than half of an API's rate limit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from cerfa import lookups
from cerfa.clients import client_address, digest
from cerfa.lookups import service
from cerfa.lookups.result import INVALID, UNAVAILABLE, LookupResult, too_many
from cerfa.stats import count, names

_MAX_LENGTH = 40  # longer than any identifier: nothing longer is sent anywhere


def _respond(result: LookupResult, status: int | None = None) -> JsonResponse:
    response = JsonResponse(
        result.to_dict(),
        status=status or 200,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-store"
    return response


def _lookup(request, find: Callable[[str, Hashable], LookupResult]) -> JsonResponse:
    address = digest("address", client_address(request))
    keys = {"address": address}
    session = getattr(request, "session", None)
    session_key = None
    if session is not None:
        # Read it: a key the store does not know (a forged cookie) then reads as None,
        # and gets no allowance of its own.
        session.keys()
        session_key = session.session_key
    if session_key:
        keys["session"] = digest("session", session_key)
    wait = service.client_limiter().take(keys)
    if wait:
        response = _respond(too_many(), status=429)
        response["Retry-After"] = str(max(1, math.ceil(wait)))
        return response
    value = request.GET.get("value", "")
    if len(value) > _MAX_LENGTH:
        result = LookupResult(
            INVALID, messages=("Cette valeur est trop longue.",), reason="too long"
        )
    else:
        result = find(value, address)
        if result.status != INVALID:  # nothing was asked of an API for an invalid value
            down = result.status == UNAVAILABLE or result.api_unavailable
            api = request.resolver_match.url_name
            count(names.LOOKUP.format(api=api, outcome="indisponible" if down else "repondue"))
    return _respond(result)


@require_GET
def siret(request):
    role = "cfa" if request.GET.get("role") == "cfa" else "employeur"
    return _lookup(request, lambda value, who: lookups.siret(value, role=role, requester=who))


@require_GET
def communes(request):
    return _lookup(request, lambda value, who: lookups.communes(value, requester=who))


@require_GET
def cfa(request):
    return _lookup(request, lambda value, who: lookups.cfa(value, requester=who))


@require_GET
def diplome(request):
    return _lookup(request, lambda value, who: lookups.diplome(value, requester=who))


@require_GET
def idcc(request):
    return _lookup(request, lambda value, who: lookups.idcc(value, requester=who))
