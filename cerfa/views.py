"""Views: thin. They wire requests to rules/ and cerfa/pdf, and decide nothing."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cerfa.health import report
from cerfa.stats import count, names
from cerfa.wizard import storage
from cerfa.wizard.upload import FIELD, MAX_BYTES, MAX_PDF_BYTES


@never_cache
def home(request, upload_error: str | None = None, start_error: str | None = None, status=200):
    """What the service does, for whom, what it keeps; « Commencer », « Reprendre », and
    the contracts this browser has in progress."""
    if request.method == "GET" and status == 200:
        count(names.HOME)
    return render(
        request,
        "home.html",
        {
            "title": "Accueil",
            "upload_error": upload_error,
            "start_error": start_error,
            "upload_field": FIELD,
            "upload_max_kb": MAX_BYTES // 1000,
            "upload_max_pdf_mb": MAX_PDF_BYTES // 1_000_000,
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


# -- the pages a public service owes, and its health --------------------------------------


def _publisher() -> dict[str, str]:
    """Who publishes the service (cerfa/settings/publisher.py); an empty value is shown as
    « à compléter » by the pages."""
    contact = settings.CERFA_EDITEUR_CONTACT
    if contact.startswith(("https://", "http://")):
        contact_href = contact
    elif "@" in contact and " " not in contact:
        contact_href = "mailto:" + contact
    else:
        contact_href = ""  # a telephone or a postal address: shown as written
    return {
        "name": settings.CERFA_EDITEUR_NOM,
        "address": settings.CERFA_EDITEUR_ADRESSE,
        "contact": contact,
        "contact_href": contact_href,
        "director": settings.CERFA_DIRECTEUR_PUBLICATION,
        "host": settings.CERFA_HEBERGEUR,
    }


def _page(template: str, title: str):
    @never_cache
    @require_safe
    def view(request):
        return render(
            request,
            template,
            {
                "title": title,
                "publisher": _publisher(),
                "session_minutes": settings.SESSION_MINUTES,
                "lookups_enabled": settings.CERFA_LOOKUPS_ENABLED,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "redis_may_persist": bool(settings.REDIS_URL)
                and settings.CERFA_REDIS_ALLOW_PERSISTENCE,
                "lookup_hosts": {
                    name: urlsplit(url).netloc for name, url in settings.CERFA_LOOKUP_URLS.items()
                },
            },
        )

    return view


legal_notice = _page("pages/mentions_legales.html", "Mentions légales")
accessibility = _page("pages/accessibilite.html", "Déclaration d’accessibilité")
privacy = _page("pages/confidentialite.html", "Politique de confidentialité")
sitemap = _page("pages/plan_du_site.html", "Plan du site")


@never_cache
@require_safe
def health(request):
    """Whether this process can serve (cerfa/health.py): 200 or 503, JSON, nothing personal."""
    healthy, body = report()
    return JsonResponse(
        body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False}
    )
