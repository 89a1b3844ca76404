"""The API's French documentation page, rendered on the server like every other page: no
Swagger UI, whose third-party scripts the CSP forbids. Its numbers are the settings'."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cerfa.api.problems import KINDS


@require_safe
def documentation(request):
    return render(
        request,
        "api/documentation.html",
        {
            "title": "API pour les logiciels de CFA",
            "max_body_kb": settings.CERFA_API_MAX_BODY_BYTES // 1000,
            "per_minute": settings.CERFA_API_PER_MINUTE,
            "burst": settings.CERFA_API_BURST,
            "lookup_seconds": settings.CERFA_COMPLETE_LOOKUPS_SECONDS,
            "problems": [
                {"kind": kind, "status": status, "title": title, "detail": detail}
                for kind, (status, title, detail) in KINDS.items()
            ],
        },
    )
