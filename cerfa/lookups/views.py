"""Small JSON endpoints for the wizard's JavaScript: one value in, dossier values out.

``GET /api/siret/?value=<siret>`` (``&role=cfa`` for a CFA or training place),
``/api/communes/?value=<code postal>``, ``/api/cfa/?value=<siret or uai>``,
``/api/diplome/?value=<code>``, ``/api/idcc/?value=<code>``. The value is in the query
string, not the path, because the access log and Django's request log (which writes every
400) print the path: what the user typed must not reach them. The body is ``LookupResult.to_dict()``: ``status``, ``values`` keyed
by the dossier's field names, ``choices``, ``details``, ``messages`` (French), ``source``.
A value that cannot be looked up answers 400; every other outcome, an API down included,
answers 200 with its ``status``, so the page simply lets the user type. Nothing is stored;
``Cache-Control: no-store`` keeps the answers out of browser and proxy caches.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from cerfa import lookups
from cerfa.lookups.result import INVALID, LookupResult

_MAX_LENGTH = 40  # longer than any identifier: nothing longer is sent anywhere


def _respond(result: LookupResult) -> JsonResponse:
    response = JsonResponse(
        result.to_dict(),
        status=400 if result.status == INVALID else 200,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-store"
    return response


def _lookup(request, find: Callable[[str], LookupResult]) -> JsonResponse:
    value = request.GET.get("value", "")
    if len(value) > _MAX_LENGTH:
        result = LookupResult(
            INVALID, messages=("Cette valeur est trop longue.",), reason="too long"
        )
    else:
        result = find(value)
    return _respond(result)


@require_GET
def siret(request):
    role = "cfa" if request.GET.get("role") == "cfa" else "employeur"
    return _lookup(request, lambda value: lookups.siret(value, role=role))


@require_GET
def communes(request):
    return _lookup(request, lookups.communes)


@require_GET
def cfa(request):
    return _lookup(request, lookups.cfa)


@require_GET
def diplome(request):
    return _lookup(request, lookups.diplome)


@require_GET
def idcc(request):
    return _lookup(request, lookups.idcc)
