"""IDCC → title of the convention collective, and whether it is still in force.

First the list kept with the project (``rules/data/idcc.json``, read by ``rules.idcc``):
offline, it answers for the most common conventions, and for all of them once
``python manage.py cerfa_idcc_update`` has rebuilt it from the official list (DILA, base
KALI), which also gives each one's legal state.

When the list does not know the code (a partial list, or a convention newer than the
complete one), the Code du travail numérique
(ministère du Travail) is asked: ``GET /api/idcc?q=<number>`` is its public, key-less
search of conventions collectives, answering Elasticsearch hits
``{"hits": {"hits": [{"_source": {"num", "title", "shortTitle", "url"…}}]}}``
(source: SocialGouv/code-du-travail-numerique). Only the number is sent. It does not say
whether the convention is still in force.
"""

from __future__ import annotations

from typing import Any

from cerfa.lookups.adresse import _clean
from cerfa.lookups.client import LookupClient, NotFound, Unavailable
from cerfa.lookups.result import CLOSED, OK, LookupResult, invalid, not_found, unavailable
from rules import idcc as idcc_list
from rules import identifiers

SOURCE_LISTE = "Liste des conventions collectives (base KALI, DILA)"
SOURCE_LISTE_PARTIELLE = "Liste des conventions collectives les plus courantes"
SOURCE_CDTN = "Code du travail numérique (ministère du Travail)"


def lookup(
    value: str,
    *,
    client: LookupClient,
    base_url: str,
    conventions: idcc_list.IdccList | None = None,
) -> LookupResult:
    """The convention of an IDCC: ``values`` gives ``code_idcc`` in its 4-digit form,
    ``details`` its title (``libelle_idcc``) and ``en_vigueur`` (true, false, or null when
    unknown). A convention no longer in force is ``closed``."""
    code = idcc_list.normalize(value)
    if code is None:
        return invalid(
            identifiers.check_idcc(str(value or "")).reason or "L'IDCC est un numéro de 4 chiffres."
        )
    known = conventions or idcc_list.bundled()
    source = SOURCE_LISTE if known.complet else SOURCE_LISTE_PARTIELLE
    found = idcc_list.find(code, known)
    if found:
        return _result(found, source)
    # Even the complete list has a date: a convention created since is not in it, so the
    # Code du travail numérique is asked whenever the list does not know the code.
    try:
        data = client.get_json("cdtn", f"{base_url.rstrip('/')}/api/idcc", {"q": str(int(code))})
    except NotFound:
        data = {"hits": {"hits": []}}
    except Unavailable as exc:
        return unavailable(str(exc), SOURCE_CDTN)
    hits = _hits(data)
    if hits is None:
        client.log_unavailable("cdtn", "unexpected shape")
        return unavailable("unexpected shape", SOURCE_CDTN)
    for hit in hits:
        if _number(hit.get("num")) == code:
            titre = _clean(hit.get("title")) or _clean(hit.get("shortTitle"))
            if titre:
                return _result(idcc_list.Convention(code, titre, None), SOURCE_CDTN)
    return not_found(
        f"Nous ne trouvons pas de convention collective avec l'IDCC {code}. "
        "Vérifiez-le sur un bulletin de paie.",
        SOURCE_CDTN,
    )


def _result(convention: idcc_list.Convention, source: str) -> LookupResult:
    details = {"libelle_idcc": convention.titre, "en_vigueur": convention.en_vigueur}
    if convention.en_vigueur is False:
        return LookupResult(
            CLOSED,
            values={"code_idcc": convention.idcc},
            details=details,
            source=source,
            reason="not in force",
            messages=(
                "Cette convention collective n'est plus en vigueur (abrogée, dénoncée, "
                "périmée ou remplacée). Vérifiez l'IDCC sur un bulletin de paie récent.",
            ),
        )
    return LookupResult(OK, values={"code_idcc": convention.idcc}, details=details, source=source)


def _hits(data: Any) -> list[dict] | None:
    hits = data.get("hits") if isinstance(data, dict) else None
    hits = hits.get("hits") if isinstance(hits, dict) else None
    if not isinstance(hits, list):
        return None
    sources = []
    for hit in hits:
        source = hit.get("_source") if isinstance(hit, dict) else None
        if not isinstance(source, dict):
            return None
        sources.append(source)
    return sources


def _number(value: Any) -> str | None:
    return idcc_list.normalize(value)
