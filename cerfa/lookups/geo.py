"""Postal code → commune(s), from the API Découpage administratif (geo.api.gouv.fr).

``GET /communes?codePostal=<cp>&fields=nom,code,codeDepartement&format=json`` answers a
list of communes ``{"nom", "code" (INSEE), "codeDepartement"}``; key-less, and only the
postal code is sent. Several communes often share a postal code (01300 has a dozen): the
user then picks one. A CEDEX code belongs to no commune and finds nothing.
"""

from __future__ import annotations

from typing import Any

from cerfa.lookups.adresse import _clean
from cerfa.lookups.client import LookupClient, NotFound, Unavailable
from cerfa.lookups.result import OK, LookupResult, invalid, not_found, unavailable
from rules import identifiers

SOURCE = "API Découpage administratif (geo.api.gouv.fr)"


def lookup(value: str, *, client: LookupClient, base_url: str) -> LookupResult:
    """The communes of a postal code, as ``adresse`` values (``code_postal``, ``commune``)."""
    check = identifiers.check_code_postal(value or "")
    if not check:
        return invalid(check.reason)
    code_postal = identifiers.compact(value)
    try:
        data = client.get_json(
            "geo",
            f"{base_url.rstrip('/')}/communes",
            {"codePostal": code_postal, "fields": "nom,code,codeDepartement", "format": "json"},
        )
    except NotFound:
        data = []
    except Unavailable as exc:
        return unavailable(str(exc), SOURCE)
    communes = _communes(data)
    if communes is None:
        client.log_unavailable("geo", "unexpected shape")
        return unavailable("unexpected shape", SOURCE)
    if not communes:
        return not_found(
            f"Aucune commune n'a le code postal {code_postal}. Vérifiez-le ; s'il s'agit d'un "
            "code CEDEX, saisissez la commune vous-même.",
            SOURCE,
        )
    if len(communes) == 1:
        commune = communes[0]
        return LookupResult(
            OK,
            values={"code_postal": code_postal, "commune": commune["commune"]},
            details={"code_insee": commune["code_insee"], "departement": commune["departement"]},
            source=SOURCE,
        )
    return LookupResult(
        OK,
        values={"code_postal": code_postal},
        choices=tuple(communes),
        source=SOURCE,
        messages=(f"Plusieurs communes ont le code postal {code_postal} : choisissez la vôtre.",),
    )


def _communes(data: Any) -> list[dict[str, str]] | None:
    """The distinct communes of the answer, sorted by name; None if it is not a list of
    communes."""
    if not isinstance(data, list):
        return None
    found: dict[str, dict[str, str]] = {}
    for item in data:
        if not isinstance(item, dict):
            return None
        name = _clean(item.get("nom"))
        if not name:
            return None
        code = _clean(item.get("code"))
        found.setdefault(
            code or name,
            {
                "commune": name,
                "code_insee": code,
                "departement": _clean(item.get("codeDepartement")),
            },
        )
    return sorted(found.values(), key=lambda commune: (commune["commune"], commune["code_insee"]))
