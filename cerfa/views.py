"""Views: thin. They wire requests to rules/ and cerfa/pdf, and decide nothing."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from cerfa.wizard.upload import FIELD, MAX_BYTES


@never_cache
def home(request, upload_error: str | None = None):
    """What the service does, for whom, what it keeps; « Commencer », « Reprendre »."""
    return render(
        request,
        "home.html",
        {
            "title": "Accueil",
            "upload_error": upload_error,
            "upload_field": FIELD,
            "upload_max_kb": MAX_BYTES // 1000,
        },
    )
