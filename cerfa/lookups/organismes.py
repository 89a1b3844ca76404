"""CFA by SIRET or UAI, from the Référentiel des organismes de formation en apprentissage.

Source: the public référentiel maintained by the ONISEP (built by the Mission
interministérielle pour l'apprentissage), whose reads are key-less:

- ``GET /api/v1/organismes/<siret>`` → one organisme, or 404 « Siret inconnu »;
- ``GET /api/v1/organismes?uais=<uai>`` → ``{"organismes": [...], "pagination": {...}}``.

An organisme has ``siret``, ``uai``, ``raison_sociale``, ``enseigne``,
``etat_administratif`` ("actif" / "fermé"), ``nature`` ("responsable", "formateur",
"responsable_formateur", "inconnue") and ``adresse`` (``label``, ``code_postal``,
``localite``…). Shape: the référentiel's source (mission-apprentissage/referentiel,
collection ``organismes``). Only the SIRET or the UAI is sent.

When the référentiel does not know a SIRET, or is down, the Annuaire des entreprises is
asked instead (name and address, and the UAI when SIRENE lists exactly one).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cerfa.lookups import entreprises
from cerfa.lookups.adresse import _clean, adresse_from_line
from cerfa.lookups.client import LookupClient, NotFound, Unavailable
from cerfa.lookups.result import (
    CLOSED,
    NOT_FOUND,
    OK,
    LookupResult,
    invalid,
    not_found,
    unavailable,
)
from rules import identifiers

SOURCE = "Référentiel des organismes de formation en apprentissage (ONISEP)"

_NATURES = {
    "responsable": "responsable",
    "formateur": "formateur",
    "responsable_formateur": "responsable et formateur",
}


def lookup(value: str, *, client: LookupClient, urls: Mapping[str, str]) -> LookupResult:
    """The CFA of a SIRET (14 digits) or a UAI (7 digits and a letter), as values of the
    dossier's ``formation.cfa`` block (``denomination``, ``siret``, ``uai``, ``adresse``)."""
    number = identifiers.compact(value or "").upper()
    if re.fullmatch(r"\d{14}", number, re.ASCII):
        check = identifiers.check_siret(number)
        return _by_siret(number, client, urls) if check else invalid(check.reason)
    if re.fullmatch(r"\d{7}[A-Z]", number, re.ASCII):
        check = identifiers.check_uai(number)
        return _by_uai(number, client, urls) if check else invalid(check.reason)
    return invalid(
        "Indiquez le SIRET du CFA (14 chiffres) ou son numéro UAI (7 chiffres puis "
        "une lettre, par exemple 0561910X)."
    )


def _base(urls: Mapping[str, str]) -> str:
    return urls["referentiel"].rstrip("/") + "/api/v1/organismes"


def _by_siret(siret: str, client: LookupClient, urls: Mapping[str, str]) -> LookupResult:
    try:
        organisme = client.get_json("referentiel", f"{_base(urls)}/{siret}")
    except NotFound:
        return _from_annuaire(siret, client, urls, unknown_to_referentiel=True)
    except Unavailable:
        return _from_annuaire(siret, client, urls, unknown_to_referentiel=False)
    if not isinstance(organisme, dict) or organisme.get("siret") != siret:
        client.log_unavailable("referentiel", "unexpected shape")
        return _from_annuaire(siret, client, urls, unknown_to_referentiel=False)
    return _result(organisme)


def _from_annuaire(
    siret: str, client: LookupClient, urls: Mapping[str, str], unknown_to_referentiel: bool
) -> LookupResult:
    found = entreprises.lookup(siret, client=client, base_url=urls["entreprises"], role="cfa")
    if not unknown_to_referentiel or found.status not in (OK, CLOSED):
        return found
    note = (
        "Ce SIRET n'est pas dans le Référentiel des organismes de formation en "
        "apprentissage : vérifiez auprès du CFA qu'il s'agit bien du sien."
    )
    return LookupResult(
        found.status,
        values=found.values,
        choices=found.choices,
        details=found.details,
        messages=(note, *found.messages),
        source=found.source,
        reason=found.reason,
    )


def _by_uai(uai: str, client: LookupClient, urls: Mapping[str, str]) -> LookupResult:
    try:
        data = client.get_json("referentiel", _base(urls), {"uais": uai, "items_par_page": "20"})
    except NotFound:
        data = {"organismes": []}
    except Unavailable as exc:
        return unavailable(str(exc), SOURCE)
    organismes = data.get("organismes") if isinstance(data, dict) else None
    if not isinstance(organismes, list) or not all(isinstance(o, dict) for o in organismes):
        client.log_unavailable("referentiel", "unexpected shape")
        return unavailable("unexpected shape", SOURCE)
    if not organismes:
        return not_found(
            f"Aucun organisme du Référentiel de l'apprentissage n'a le numéro UAI "
            f"{uai}. Vérifiez-le auprès du CFA.",
            SOURCE,
        )
    if len(organismes) == 1:
        return _result(organismes[0])
    choices = []
    for organisme in organismes:
        values, nature = _values(organisme)
        choices.append({**values, "nature": nature})
    return LookupResult(
        OK,
        values={"uai": uai},
        choices=tuple(choices),
        source=SOURCE,
        messages=(
            "Plusieurs organismes ont ce numéro UAI : choisissez "
            "celui qui figure sur la convention de formation.",
        ),
    )


def _values(organisme: dict) -> tuple[dict[str, Any], str]:
    values: dict[str, Any] = {}
    # A CFA is known by its sign; its legal name may be its managing body's.
    denomination = _clean(organisme.get("enseigne")) or _clean(organisme.get("raison_sociale"))
    if denomination:
        values["denomination"] = denomination
    for key in ("siret", "uai"):
        code = _clean(organisme.get(key)).upper()
        if code:
            values[key] = code
    adresse = organisme.get("adresse")
    if isinstance(adresse, dict):
        parts = adresse_from_line(
            adresse.get("label"), adresse.get("code_postal"), adresse.get("localite")
        )
        if parts:
            values["adresse"] = parts
    return values, _NATURES.get(_clean(organisme.get("nature")), "")


def _result(organisme: dict) -> LookupResult:
    values, nature = _values(organisme)
    if "siret" not in values and "uai" not in values:
        return LookupResult(
            NOT_FOUND,
            source=SOURCE,
            reason="empty organisme",
            messages=(
                "Le référentiel ne donne rien d'utilisable pour cet "
                "organisme : saisissez ses informations vous-même.",
            ),
        )
    messages = []
    if values.get("adresse", {}).get("voie"):
        messages.append(
            "Adresse découpée automatiquement : vérifiez le numéro, la voie et le complément."
        )
    if "uai" not in values:
        messages.append(
            "Le référentiel ne connaît pas le numéro UAI de cet organisme : demandez-le au CFA."
        )
    if nature == "formateur":
        messages.append(
            "Dans le référentiel, cet organisme est seulement formateur : le CFA "
            "responsable est peut-être un autre organisme. Vérifiez la convention "
            "de formation."
        )
    status = OK
    if _clean(organisme.get("etat_administratif")).lower() in ("fermé", "ferme"):
        status = CLOSED
        messages.insert(
            0, "Cet organisme est fermé d'après le référentiel : vérifiez son SIRET auprès du CFA."
        )
    return LookupResult(
        status,
        values=values,
        details={"nature": nature} if nature else {},
        messages=tuple(messages),
        source=SOURCE,
        reason="closed" if status == CLOSED else "",
    )
