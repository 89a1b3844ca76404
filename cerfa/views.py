"""Views: thin. They wire requests to rules/ and cerfa/pdf, and decide nothing."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from cerfa.wizard import storage
from cerfa.wizard.upload import FIELD, MAX_BYTES


@never_cache
def home(request, upload_error: str | None = None, start_error: str | None = None, status=200):
    """What the service does, for whom, what it keeps; « Commencer », « Reprendre », and
    the contracts this browser has in progress."""
    return render(
        request,
        "home.html",
        {
            "title": "Accueil",
            "upload_error": upload_error,
            "start_error": start_error,
            "upload_field": FIELD,
            "upload_max_kb": MAX_BYTES // 1000,
            "open_contracts": storage.summaries(request),
        },
        status=status,
    )


@never_cache
def saturated(request):
    """No room for a new session or contract now: say so; nothing already there is lost."""
    response = render(
        request, "saturated.html", {"title": "Service momentanément saturé"}, status=503
    )
    response["Retry-After"] = "120"
    return response
