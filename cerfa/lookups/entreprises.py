"""SIRET → employer (or CFA, or training place), from the Annuaire des entreprises.

Source: the public, key-less API « Recherche d'entreprises » of the Annuaire des
entreprises (DINUM), ``GET /search?q=<siret>``, which serves the INSEE's SIRENE data
(name, address, APE, legal category, headcount band, open or closed) and the conventions
collectives that employers declare in their DSN (``liste_idcc``). Only the SIRET is sent.

The answer lists legal units (``results``), each with its head office (``siege``, every
address part separate) and the establishments matching the query
(``matching_etablissements``, whose address is one line). Shape and field names: the
API's documentation (recherche-entreprises.api.gouv.fr/docs) and its source code
(annuaire-entreprises-data-gouv-fr/search-api).
"""

from __future__ import annotations

import re
from typing import Any

from cerfa.lookups import categories
from cerfa.lookups.adresse import _clean, adresse_from_line, adresse_from_sirene
from cerfa.lookups.client import LookupClient, NotFound, Unavailable
from cerfa.lookups.result import CLOSED, OK, LookupResult, invalid, not_found, unavailable
from rules import codes, identifiers
from rules import idcc as idcc_list

SOURCE = "Annuaire des entreprises (données INSEE et DSN)"

# INSEE headcount bands (tranche d'effectif salarié, SIRENE): code → (lower bound, label).
# The CERFA wants a number: we write the band's lower bound, the only figure the band
# guarantees, and tell the user to replace it with the real headcount. A lower bound keeps
# the employer in its band for every threshold that follows one (11, 50, 250…).
TRANCHES_EFFECTIF: dict[str, tuple[int, str]] = {
    "01": (1, "1 ou 2 salariés"),
    "02": (3, "3 à 5 salariés"),
    "03": (6, "6 à 9 salariés"),
    "11": (10, "10 à 19 salariés"),
    "12": (20, "20 à 49 salariés"),
    "21": (50, "50 à 99 salariés"),
    "22": (100, "100 à 199 salariés"),
    "31": (200, "200 à 249 salariés"),
    "32": (250, "250 à 499 salariés"),
    "41": (500, "500 à 999 salariés"),
    "42": (1000, "1 000 à 1 999 salariés"),
    "51": (2000, "2 000 à 4 999 salariés"),
    "52": (5000, "5 000 à 9 999 salariés"),
    "53": (10000, "10 000 salariés et plus"),
}

_NAF = re.compile(r"^(\d{2})\.(\d{2})([A-Z])$", re.ASCII)

ROLES = ("employeur", "cfa")


class _Nonsense(Exception):
    """The answer is JSON but not of the documented shape."""


def lookup(
    value: str, *, client: LookupClient, base_url: str, role: str = "employeur"
) -> LookupResult:
    """What the Annuaire des entreprises knows of a SIRET, as dossier values for the
    employer block (``role="employeur"``) or for a CFA / training-place block (``"cfa"``)."""
    check = identifiers.check_siret(value or "")
    if not check:
        return invalid(check.reason)
    number = identifiers.compact(value)
    try:
        data = client.get_json(
            "entreprises",
            f"{base_url.rstrip('/')}/search",
            {"q": number, "page": "1", "per_page": "1"},
        )
    except NotFound:
        return _unknown()
    except Unavailable as exc:
        return unavailable(str(exc), SOURCE)
    try:
        return parse(number, data, role=role)
    except _Nonsense as exc:
        client.log_unavailable("entreprises", str(exc))
        return unavailable(str(exc), SOURCE)


def _unknown() -> LookupResult:
    return not_found(
        "Aucun établissement ne porte ce SIRET dans la base SIRENE de l'INSEE. Vérifiez-le "
        "sur un bulletin de paie ou sur annuaire-entreprises.data.gouv.fr.",
        SOURCE,
    )


def parse(number: str, data: Any, *, role: str = "employeur") -> LookupResult:
    """A ``LookupResult`` from the API's answer to ``/search?q=<number>``."""
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise _Nonsense("unexpected shape")
    if not all(isinstance(unit, dict) for unit in data["results"]):
        raise _Nonsense("unexpected shape")
    for unit in data["results"]:
        etablissement, detailed = _matching(unit, number)
        if etablissement is not None:
            return _result(number, unit, etablissement, detailed, role)
    return _unknown()


def _matching(unit: dict, number: str) -> tuple[dict | None, bool]:
    """The establishment of ``number`` in a legal unit, and whether its address is given in
    separate parts (the head office) or as one line (other matching establishments)."""
    siege = unit.get("siege")
    if isinstance(siege, dict) and siege.get("siret") == number:
        return siege, True
    matching = unit.get("matching_etablissements")
    if isinstance(matching, list):
        for etablissement in matching:
            if isinstance(etablissement, dict) and etablissement.get("siret") == number:
                return etablissement, False
    return None, False


def _result(
    number: str, unit: dict, etablissement: dict, detailed: bool, role: str
) -> LookupResult:
    values: dict[str, Any] = {"siret": number}
    details: dict[str, Any] = {}
    messages: list[str] = []
    choices: tuple[dict[str, Any], ...] = ()

    diffusible = unit.get("statut_diffusion") in (None, "O")
    denomination = _denomination(unit, etablissement, role)
    if denomination:
        values["denomination"] = denomination
    if detailed:
        adresse = adresse_from_sirene(etablissement)
    else:
        adresse = adresse_from_line(
            etablissement.get("adresse"),
            etablissement.get("code_postal"),
            etablissement.get("libelle_commune"),
        )
    if adresse:
        values["adresse"] = adresse
        if not detailed and adresse.get("voie"):
            messages.append(
                "Adresse découpée automatiquement : vérifiez le numéro, la voie et le complément."
            )
    if not diffusible:
        messages.append(
            "Cette entreprise a demandé que ses informations ne soient pas "
            "diffusées : saisissez vous-même ce qui manque (dénomination, "
            "adresse)."
        )

    if role == "employeur":
        choices = _employer_values(unit, etablissement, values, details, messages)
    else:
        uais = _codes(etablissement.get("liste_uai"))
        if len(uais) == 1:
            values["uai"] = uais[0]

    status = OK
    if etablissement.get("etat_administratif") == "F" or unit.get("etat_administratif") == "C":
        status = CLOSED
        messages.insert(
            0,
            (
                "Cet établissement est fermé d'après l'INSEE. Indiquez le SIRET de l'établissement "
                "en activité où l'apprenti travaillera."
                if role == "employeur"
                else "Cet établissement est fermé d'après l'INSEE : vérifiez le SIRET auprès du CFA."
            ),
        )
    return LookupResult(
        status,
        values=values,
        choices=choices,
        details=details,
        messages=tuple(messages),
        source=SOURCE,
        reason="closed" if status == CLOSED else "",
    )


def _denomination(unit: dict, etablissement: dict, role: str) -> str:
    # The employer is the legal person: its registered name (for an entrepreneur
    # individuel, SIRENE's full name). A CFA is known by its sign (a CFA run by a chamber
    # of commerce is registered under the chamber's name).
    legal = _clean(unit.get("nom_raison_sociale")) or _clean(unit.get("nom_complet"))
    if role == "employeur":
        return legal
    enseignes = etablissement.get("liste_enseignes")
    first = _clean(enseignes[0]) if isinstance(enseignes, list) and enseignes else ""
    return first or _clean(etablissement.get("nom_commercial")) or legal


def _employer_values(
    unit: dict, etablissement: dict, values: dict, details: dict, messages: list[str]
) -> tuple[dict[str, Any], ...]:
    naf = _clean(unit.get("activite_principale")) or _clean(
        etablissement.get("activite_principale")
    )
    match = _NAF.match(naf)
    if match:
        values["code_ape"] = "".join(match.groups())

    tranche = _clean(unit.get("tranche_effectif_salarie"))
    year = _clean(unit.get("annee_tranche_effectif_salarie"))
    if tranche in TRANCHES_EFFECTIF:
        lower, label = TRANCHES_EFFECTIF[tranche]
        values["effectif"] = lower
        details["tranche_effectif"] = label
        messages.append(
            f"Effectif estimé d'après la tranche INSEE « {label} »"
            + (f" ({year})" if year else "")
            + f" : nous avons indiqué {lower}, le bas de la tranche. Remplacez-le par "
            "l'effectif réel de toute l'entreprise."
        )
    else:
        messages.append(
            "L'INSEE ne donne pas d'effectif salarié pour cette entreprise : "
            "indiquez l'effectif de toute l'entreprise."
        )

    siege = unit.get("siege") if isinstance(unit.get("siege"), dict) else {}
    nature = _clean(unit.get("nature_juridique"))
    suggestion = categories.suggest(
        nature,
        registre_metiers=bool(_clean(siege.get("activite_principale_registre_metier"))),
        code_naf=values.get("code_ape"),
    )
    if suggestion:
        values["prive_public"] = suggestion.prive_public
        values["type_employeur"] = suggestion.type_employeur
        label = codes.label(codes.TYPE_EMPLOYEUR, suggestion.type_employeur)
        messages.append(
            f"Type d'employeur proposé d'après la catégorie juridique INSEE "
            f"{nature} : « {label} ». Vérifiez-le et corrigez-le si besoin."
        )
        if suggestion.employeur_specifique:
            values["employeur_specifique"] = suggestion.employeur_specifique
            messages.append("Employeur spécifique proposé : groupement d'employeurs.")
    elif nature:
        messages.append(
            "Choisissez vous-même le type d'employeur : la catégorie juridique "
            "de l'entreprise ne suffit pas à le déduire."
        )

    conventions = _codes(etablissement.get("liste_idcc"), normalize=idcc_list.normalize)
    if len(conventions) == 1:
        values["code_idcc"] = conventions[0]
        found = idcc_list.find(conventions[0])
        if found:
            details["libelle_idcc"] = found.titre
        return ()
    if len(conventions) > 1:
        messages.append(
            "Plusieurs conventions collectives sont déclarées pour cet "
            "établissement : choisissez celle que vous appliquez (en principe, "
            "celle de l'activité principale de l'entreprise)."
        )
        return tuple(
            {"code_idcc": code, "libelle": found.titre if (found := idcc_list.find(code)) else ""}
            for code in conventions
        )
    messages.append(
        "Aucune convention collective n'est déclarée pour cet établissement : "
        "indiquez la vôtre (son IDCC figure sur les bulletins de paie)."
    )
    return ()


def _codes(raw: Any, normalize=None) -> list[str]:
    """The distinct non-empty codes of a list from the API, in their order."""
    if not isinstance(raw, list):
        return []
    seen: list[str] = []
    for item in raw:
        code = normalize(item) if normalize else (_clean(item).upper() or None)
        if code and code not in seen:
            seen.append(code)
    return seen
