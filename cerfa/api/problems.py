"""Errors of the API as RFC 9457 problem details (``application/problem+json``).

Every answer of ``/api/v1/`` that is not a success is one: the API's own refusals
(``Problem``), and whatever Django or django-ninja answer on their own (a 404 for an
unknown address, a 405 for a method the endpoint does not take, a 500), which
``ProblemMiddleware`` rewrites, and the request guard's 408, 413 and 431
(``refusal``, cerfa/asgi.py). Each has ``type`` (a link to its explanation on the
documentation page), ``title``, ``status``, ``detail`` (French, naming the place of the
problem: the dossier's path, the parameter) and ``instance`` (the address called, without
its query string). A detail never holds more of the body than the loader's message quotes
(40 characters of a value, rules/dossier.py), and the body is never logged.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.utils.deprecation import MiddlewareMixin

PREFIX = "/api/v1/"
CONTENT_TYPE = "application/problem+json"
DOCUMENTATION = PREFIX  # the French documentation page, whose sections the types link to

# Each kind of problem: its status, its title and the detail given when nothing more
# precise is known. Its name is its section on the documentation page (its ``type``).
KINDS: dict[str, tuple[int, str, str]] = {
    "dossier-illisible": (
        400,
        "Dossier illisible",
        "Le corps de la demande ne peut pas être lu comme un dossier.",
    ),
    "parametre-invalide": (
        400,
        "Paramètre invalide",
        "Un paramètre de l'adresse n'a pas une valeur permise.",
    ),
    "demande-incorrecte": (
        400,
        "Demande incorrecte",
        "La demande est mal formée : vérifiez ses en-têtes (Host, Content-Length).",
    ),
    "introuvable": (
        404,
        "Adresse inconnue",
        "Cette adresse n'existe pas dans l'API : voyez la liste des points d'accès.",
    ),
    "methode-non-permise": (
        405,
        "Méthode non permise",
        "Ce point d'accès ne répond qu'à la méthode indiquée dans l'en-tête Allow.",
    ),
    "envoi-trop-lent": (
        408,
        "Envoi trop lent",
        "Le corps de la demande n'est pas arrivé à temps : renvoyez-la.",
    ),
    "envoi-trop-volumineux": (
        413,
        "Envoi trop volumineux",
        "Le corps de la demande est bien trop gros pour être un dossier.",
    ),
    "type-de-contenu": (
        415,
        "Type de contenu non pris en charge",
        "Envoyez le dossier en JSON, avec l'en-tête Content-Type: application/json.",
    ),
    "trop-de-demandes": (
        429,
        "Trop de demandes",
        "Trop de demandes venues de votre adresse : attendez le délai indiqué par "
        "l'en-tête Retry-After avant de recommencer.",
    ),
    "en-tetes-trop-volumineux": (
        431,
        "En-têtes trop volumineux",
        "Les en-têtes de la demande sont bien trop longs.",
    ),
    "erreur-interne": (
        500,
        "Erreur du service",
        "Une erreur de ce service a empêché de répondre : merci de la signaler.",
    ),
    "service-indisponible": (
        503,
        "Service indisponible",
        "Le service ne peut pas répondre pour le moment : réessayez plus tard.",
    ),
}
# The kind of an answer known by its status only (Django's, the request guard's).
BY_STATUS = {
    400: "demande-incorrecte",
    404: "introuvable",
    405: "methode-non-permise",
    408: "envoi-trop-lent",
    413: "envoi-trop-volumineux",
    415: "type-de-contenu",
    429: "trop-de-demandes",
    431: "en-tetes-trop-volumineux",
    503: "service-indisponible",
}


def kind_of(status: int) -> str:
    return BY_STATUS.get(status, "erreur-interne" if status >= 500 else "demande-incorrecte")


class Problem(Exception):
    """A refusal of the API, answered as a problem (``problem_response``)."""

    def __init__(
        self,
        kind: str,
        detail: str | None = None,
        *,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(kind)
        self.kind = kind
        self.status = status or KINDS[kind][0]
        self.detail = detail
        self.headers = headers or {}


def problem_body(
    kind: str, instance: str, detail: str | None = None, status: int | None = None
) -> dict[str, object]:
    default_status, title, default_detail = KINDS[kind]
    return {
        "type": f"{DOCUMENTATION}#{kind}",
        "title": title,
        "status": status or default_status,
        "detail": detail or default_detail,
        "instance": instance,
    }


def encode(body: dict[str, object]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def problem_response(request, problem: Problem) -> HttpResponse:
    body = problem_body(problem.kind, request.path, problem.detail, problem.status)
    response = HttpResponse(encode(body), status=problem.status, content_type=CONTENT_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    # An answer about one dossier is for its caller only: no cache keeps it.
    response["Cache-Control"] = "no-store"
    return response


def refusal(code: int, path: str) -> bytes:
    """The body of the request guard's refusal of an API request (cerfa/asgi.py)."""
    return encode(problem_body(kind_of(code), path, status=code))


class ProblemMiddleware(MiddlewareMixin):
    """Any error answer under ``/api/v1/`` that is not a problem yet becomes one, with its
    status and its headers: a client reads every error alike.

    Django's ``MiddlewareMixin`` makes it both sync and async: a sync-only middleware in the
    served (ASGI) chain would make every request hop between threads around it."""

    def process_response(self, request, response):
        if request.path.startswith(PREFIX):
            # An answer about one dossier is for its caller only: no cache keeps it.
            response["Cache-Control"] = "no-store"
        if (
            request.path.startswith(PREFIX)
            and response.status_code >= 400
            and not response.streaming
            and response.get("Content-Type", "").split(";")[0].strip() != CONTENT_TYPE
        ):
            # Rewritten in place: the headers the other middlewares added stay (CSP,
            # nosniff, Allow, Retry-After…).
            body = problem_body(
                kind_of(response.status_code), request.path, status=response.status_code
            )
            response.content = encode(body)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
            response["Content-Type"] = CONTENT_TYPE
            response["Cache-Control"] = "no-store"
        return response
