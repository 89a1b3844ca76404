"""The HTTP API for CFA software (issue 10): ``POST /api/v1/check|complete|fill``.

Built on django-ninja: typed views, an OpenAPI 3 description served at
``/api/v1/openapi.json`` (its own Swagger page is off: our CSP forbids its scripts; the
French documentation is ``templates/api/documentation.html``). Each endpoint is the
command line's own action on one dossier, through the same functions:

- ``check``: ``findings_for`` (cerfa/checks.py), the findings of ``cerfa check --json``;
- ``complete``: ``complete_dossier`` (cerfa/completion.py), answered as
  ``cerfa complete --json``'s envelope; ``?hors_ligne=1`` sends nothing upstream, without
  it the public sources are asked as the command line asks them, within the same
  deadlines;
- ``fill``: ``fill_dossier`` (cerfa/pdf/fill.py), the PDF named as every download of a
  contract is (cerfa/downloads.py); ``?flatten=1`` for the flattened one.

The body is read by the dossier loader (``Dossier.from_json``), as the command line reads a
file; it is neither logged nor kept (the access log writes the method, the path and the
status). Before it is read, its client's allowance is counted and its size checked
(``cerfa/api/limits.py``). No CSRF token and no cookie: the API opens no session, and its
callers are programs; no CORS header either, so no other site's page can call it from a
browser.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from cerfa import downloads
from cerfa.api import limits
from cerfa.api.problems import CONTENT_TYPE, KINDS, Problem, problem_response
from cerfa.api.schemas import CheckOut, CompleteOut, ProblemOut
from cerfa.checks import findings_for
from cerfa.stats import count
from cerfa.stats.names import API as API_COUNT
from cerfa.stats.quality import count_download
from rules.dossier import Dossier, DossierError

JSON_TYPES = ("application/json",)


class Api(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any):
        """ninja's description, with the dossier's JSON Schema and the problem's model."""
        from rules.schema import json_schema

        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        dossier = {k: v for k, v in json_schema().items() if k not in ("$schema", "$id")}
        components["Dossier"] = dossier
        components["Problem"] = ProblemOut.model_json_schema()
        return schema


api = Api(
    title="Contrat d'apprentissage rempli juste — API",
    version="1",
    description="Vérifier, compléter et remplir un contrat d'apprentissage (CERFA 10103*14) "
    "à partir d'un dossier au format cerfa-fa13/1. Documentation en français : /api/v1/.",
    docs_url=None,
    urls_namespace="api-v1",
)


def _problem(kind: str) -> dict[str, Any]:
    return {
        "description": KINDS[kind][1],
        "content": {CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _described(success: dict[str, Any] | None = None) -> dict[str, Any]:
    """The parts of an operation's description ninja cannot infer: the dossier as body
    (read by our loader, not by ninja), and every refusal as a problem."""
    responses: dict[Any, Any] = {
        400: _problem("dossier-illisible"),
        413: _problem("envoi-trop-volumineux"),
        415: _problem("type-de-contenu"),
        429: {
            **_problem("trop-de-demandes"),
            "headers": {
                "Retry-After": {
                    "description": "secondes à attendre avant de recommencer",
                    "schema": {"type": "integer"},
                }
            },
        },
        503: _problem("service-indisponible"),
        "default": {
            "description": "toute autre erreur",
            "content": {CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        },
    }
    if success:
        responses[200] = success
    return {
        "requestBody": {
            "required": True,
            "description": "un dossier au format cerfa-fa13/1 (toute clé peut manquer)",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dossier"}}},
        },
        "responses": responses,
    }


def read_dossier(request) -> Dossier:
    """The request's dossier, after its client's allowance and its size are checked."""
    limits.take(request)
    if request.content_type not in JSON_TYPES:
        raise Problem("type-de-contenu")
    limits.check_size(request)
    try:
        return Dossier.from_json(request.body)
    except DossierError as exc:
        raise Problem("dossier-illisible", str(exc)) from None


@api.exception_handler(Problem)
def _refused(request, exc: Problem):
    return problem_response(request, exc)


@api.exception_handler(ValidationError)
def _bad_parameter(request, exc: ValidationError):
    # Only query parameters are read by ninja (the body is our loader's): name each one.
    names = sorted({str(error.get("loc", ("", "?"))[-1]) for error in exc.errors})
    return problem_response(
        request,
        Problem(
            "parametre-invalide",
            f"{', '.join(names)} : valeur attendue 1 ou 0 (ou true, false).",
        ),
    )


@api.post(
    "/check",
    response={200: CheckOut},
    summary="Vérifier un dossier",
    description="Toutes les anomalies du dossier : les mêmes que « cerfa check --json ».",
    openapi_extra=_described(),
)
def check(request):
    dossier = read_dossier(request)
    count(API_COUNT.format(call="verification"))
    return {"findings": [finding.to_dict() for finding in findings_for(dossier)]}


@api.post(
    "/complete",
    response={200: CompleteOut},
    summary="Compléter un dossier",
    description="Le dossier complété (grille de rémunération, communes, diplôme, recherches "
    "dans les annuaires publics) et ce qui a été complété : « cerfa complete --json ».",
    openapi_extra=_described(),
)
def complete(request, hors_ligne: bool = False):
    from cerfa.cli import envelope
    from cerfa.completion import complete_dossier  # the lookups: requests, urllib3

    dossier = read_dossier(request)
    completed, findings = complete_dossier(dossier, use_lookups=not hors_ligne)
    count(API_COUNT.format(call="completion"))
    return envelope(completed, findings)


@api.post(
    "/fill",
    summary="Remplir le CERFA",
    description="Le CERFA 10103*14 officiel rempli (PDF modifiable, ou non modifiable avec "
    "flatten=1) : « cerfa fill ». Un dossier incomplet donne un PDF aux cases vides.",
    openapi_extra=_described(
        {
            "description": "le CERFA rempli",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            "headers": {
                "Content-Disposition": {
                    "description": "attachment, nommé d'après l'apprenti",
                    "schema": {"type": "string"},
                }
            },
        }
    ),
)
def fill(request, flatten: bool = False):
    from cerfa.pdf.fill import fill_dossier
    from cerfa.pdf.template import TemplateError

    dossier = read_dossier(request)
    try:
        result = fill_dossier(dossier, flatten=flatten)
    except TemplateError:
        raise Problem(
            "service-indisponible", "Le modèle officiel du CERFA n'est pas installé sur ce serveur."
        ) from None
    response = HttpResponse(result.pdf, content_type="application/pdf")
    kind = "pdf_aplati" if flatten else "pdf"
    response["Content-Disposition"] = downloads.content_disposition(
        downloads.display_name(dossier, kind)
    )
    response["Cache-Control"] = "no-store"
    count(API_COUNT.format(call="remplissage"))
    count_download("api", dossier, result.problems)  # a CERFA handed out: its quality too
    return response
