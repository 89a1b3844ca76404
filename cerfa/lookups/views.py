"""Small JSON endpoints for the wizard's JavaScript: one value in, dossier values out.

``GET /api/siret/<siret>/`` (``?role=cfa`` for a CFA or training place),
``/api/communes/<code postal>/``, ``/api/cfa/<siret or uai>/``, ``/api/diplome/<code>/``,
``/api/idcc/<code>/``. The body is ``LookupResult.to_dict()``: ``status``, ``values`` keyed
by the dossier's field names, ``choices``, ``details``, ``messages`` (French), ``source``.
A value that cannot be looked up answers 400; every other outcome, an API down included,
answers 200 with its ``status``, so the page simply lets the user type. Nothing is stored;
``Cache-Control: no-store`` keeps the answers out of browser and proxy caches.
"""

from __future__ import annotations

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


def _guard(value: str) -> LookupResult | None:
    if len(value) > _MAX_LENGTH:
        return LookupResult(INVALID, messages=("Cette valeur est trop longue.",), reason="too long")
    return None


@require_GET
def siret(request, value: str):
    role = "cfa" if request.GET.get("role") == "cfa" else "employeur"
    return _respond(_guard(value) or lookups.siret(value, role=role))


@require_GET
def communes(request, value: str):
    return _respond(_guard(value) or lookups.communes(value))


@require_GET
def cfa(request, value: str):
    return _respond(_guard(value) or lookups.cfa(value))


@require_GET
def diplome(request, value: str):
    return _respond(_guard(value) or lookups.diplome(value))


@require_GET
def idcc(request, value: str):
    return _respond(_guard(value) or lookups.idcc(value))
