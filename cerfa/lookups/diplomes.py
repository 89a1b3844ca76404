"""Code RNCP ↔ code diplôme, title and diploma type, from the apprenticeship catalogue.

Source: the « Catalogue des formations en apprentissage » of the Réseau des Carif-Oref,
whose read routes are public and key-less: ``GET /api/v1/entity/formations?query=<JSON>``
answers ``{"formations": [...], "pagination": {...}}``. Each training offer carries its
code diplôme (``cfd``, ``cfd_outdated``, ``intitule_long``, ``niveau``) and its RNCP
certification (``rncp_code``, ``rncp_intitule``, ``rncp_eligible_apprentissage``,
``rncp_details.active_inactive`` / ``date_fin_validite_enregistrement`` /
``niveau_europe``), as France compétences and the Éducation nationale's nomenclature (BCN)
publish them. Only the code typed is sent. The catalogue lists the certifications that
some CFA offers in apprenticeship: a code absent from it is worth checking with the CFA.

The CERFA's « diplôme ou titre visé » (notice §1.8) is deduced from the code diplôme: its
first three characters are the BCN's « niveau de formation diplôme » (500 CAP, 320 BTS,
400 bac professionnel…). The prefixes of the well-known diplomas have their own code; any
other prefix gives « autre diplôme » of its level (1 bac+5 and more … 5 CAP/BEP, the old
French levels I to V). Failing a usable code, the certification's European level gives
the same « autre diplôme » codes.
"""

from __future__ import annotations

import json
import re
from typing import Any

from cerfa.lookups.adresse import _clean
from cerfa.lookups.client import LookupClient, NotFound, Unavailable
from cerfa.lookups.result import OK, LookupResult, invalid, not_found, unavailable
from rules import codes, identifiers
from rules import diplomes as kit

SOURCE = "Catalogue des formations en apprentissage (Réseau des Carif-Oref)"

# BCN « niveau de formation diplôme » (first 3 characters of a code diplôme) → CERFA *14
# diploma code: the prefixes whose meaning is certain are rules/diplomes.py's
# (``PREFIX_DIPLOME``, which the checks use too); these few more are proposals only, which
# the user checks (the BUT, absent from the BCN's 2020 table; master and ingénieur
# prefixes the rules leave to the RNCP level).
DIPLOME_PAR_PREFIXE: dict[str, str] = {
    **kit.PREFIX_DIPLOME,
    "155": "73",  # master
    "165": "75",  # diplôme d'ingénieur
    "201": "63",  # licence
    "251": "64",  # BUT
}
# First character of any other prefix: the old French level I to V → « autre diplôme ».
AUTRE_PAR_NIVEAU_BCN = {"1": "79", "2": "69", "3": "58", "4": "49", "5": "38"}
# European level (cadre national des certifications) → « autre diplôme » of that level.
AUTRE_PAR_NIVEAU_EUROPEEN = {3: "38", 4: "49", 5: "58", 6: "69", 7: "79", 8: "79"}

_FIELDS = (
    "cfd",
    "cfd_outdated",
    "intitule_long",
    "niveau",
    "diplome",
    "rncp_code",
    "rncp_intitule",
    "rncp_eligible_apprentissage",
    "rncp_details",
)


def diplome_vise(code_diplome: str | None, niveau_europeen: int | None = None) -> str | None:
    """The CERFA diploma code of a code diplôme, or of a European level; None if neither
    tells."""
    prefix = (code_diplome or "").upper()[:3]
    if len(prefix) == 3 and prefix != "999":
        if prefix in DIPLOME_PAR_PREFIXE:
            return DIPLOME_PAR_PREFIXE[prefix]
        if prefix[0] in AUTRE_PAR_NIVEAU_BCN:
            return AUTRE_PAR_NIVEAU_BCN[prefix[0]]
    return AUTRE_PAR_NIVEAU_EUROPEEN.get(niveau_europeen) if niveau_europeen else None


def lookup(value: str, *, client: LookupClient, base_url: str) -> LookupResult:
    """The certification of a code RNCP ("RNCP35908") or a code diplôme ("45020201"), as
    values of the dossier's ``formation`` block (``code_rncp``, ``code_diplome``,
    ``intitule_precis``, ``diplome_vise``)."""
    number = identifiers.compact(value or "").upper()
    if number.startswith(("RNCP", "RS")) or re.fullmatch(r"\d{1,6}", number, re.ASCII):
        code = number if number.startswith(("RNCP", "RS")) else f"RNCP{number}"
        check = identifiers.check_rncp(code)
        if not check:
            return invalid(check.reason)
        field = "rncp_code"
    else:
        check = identifiers.check_code_diplome(number)
        if not check:
            return invalid(check.reason)
        if number == identifiers.CODE_DIPLOME_EN_ATTENTE:
            return invalid(
                "99999999 tient la place d'un code diplôme pas encore attribué : "
                "cherchez plutôt la certification par son code RNCP."
            )
        code, field = number, "cfd"
    try:
        data = client.get_json(
            "catalogue",
            f"{base_url.rstrip('/')}/api/v1/entity/formations",
            {
                "query": json.dumps({field: code}),
                "select": json.dumps({name: 1 for name in _FIELDS}),
                "limit": "100",
            },
        )
    except NotFound:
        data = {"formations": []}
    except Unavailable as exc:
        return unavailable(str(exc), SOURCE)
    formations = data.get("formations") if isinstance(data, dict) else None
    if not isinstance(formations, list) or not all(isinstance(f, dict) for f in formations):
        client.log_unavailable("catalogue", "unexpected shape")
        return unavailable("unexpected shape", SOURCE)
    certifications = _certifications(formations, field, code)
    if not certifications:
        return not_found(
            f"{code} ne figure dans aucune formation du catalogue de l'apprentissage. "
            "Vérifiez-le avec le CFA ou sur francecompetences.fr.",
            SOURCE,
        )
    if field == "rncp_code":
        return _from_rncp(code, certifications)
    return _from_cfd(code, certifications)


def _certifications(formations: list[dict], field: str, code: str) -> list[dict[str, Any]]:
    """The distinct (code diplôme, code RNCP) pairs of the offers matching ``code``."""
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for formation in formations:
        cfd = _clean(formation.get("cfd")).upper()
        rncp = _clean(formation.get("rncp_code")).upper()
        if (cfd if field == "cfd" else rncp) != code:
            continue
        details = formation.get("rncp_details")
        details = details if isinstance(details, dict) else {}
        pairs.setdefault(
            (cfd, rncp),
            {
                "cfd": cfd,
                "rncp": rncp,
                "intitule_cfd": _clean(formation.get("intitule_long")),
                "intitule_rncp": _clean(formation.get("rncp_intitule")),
                "cfd_perime": formation.get("cfd_outdated") is True,
                "eligible": formation.get("rncp_eligible_apprentissage"),
                "actif": _clean(details.get("active_inactive")).upper() != "INACTIVE",
                "fin_validite": _clean(details.get("date_fin_validite_enregistrement")),
                "niveau": _niveau(details.get("niveau_europe"), formation.get("niveau")),
            },
        )
    return sorted(pairs.values(), key=lambda c: (c["cfd"], c["rncp"]))


def _niveau(niveau_europe: Any, niveau: Any) -> int | None:
    # "niveau4" (France compétences), or "4 (BAC...)" (catalogue).
    for text in (_clean(niveau_europe), _clean(niveau)):
        match = re.search(r"([1-8])", text)
        if match:
            return int(match.group(1))
    return None


def _values(certification: dict[str, Any], with_cfd: bool, with_rncp: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if with_rncp and certification["rncp"]:
        values["code_rncp"] = certification["rncp"]
    if with_cfd and certification["cfd"]:
        values["code_diplome"] = certification["cfd"]
    intitule = certification["intitule_rncp"] or certification["intitule_cfd"]
    if intitule:
        values["intitule_precis"] = intitule
    vise = diplome_vise(certification["cfd"] if with_cfd else None, certification["niveau"])
    if vise:
        values["diplome_vise"] = vise
    return values


def warnings_for(certification: dict[str, Any]) -> list[str]:
    messages = []
    rncp = certification["rncp"]
    if rncp and not certification["actif"]:
        end = certification["fin_validite"]
        messages.append(
            f"La fiche {rncp} n'est plus active au RNCP"
            + (f" (fin de validité : {end})" if end else "")
            + " : le contrat doit viser une certification active. Vérifiez le code avec le "
            "CFA."
        )
    if rncp and certification["eligible"] is False:
        messages.append(
            f"D'après France compétences, la certification {rncp} n'est pas "
            "ouverte à l'apprentissage. Vérifiez avec le CFA."
        )
    if certification["cfd"] and certification["cfd_perime"]:
        messages.append(
            f"Le code diplôme {certification['cfd']} est périmé : demandez au CFA "
            "le code en vigueur."
        )
    return messages


def type_message(values: dict[str, Any]) -> list[str]:
    if "diplome_vise" not in values:
        return []
    label = codes.label(codes.DIPLOME, values["diplome_vise"])
    return [f"Diplôme visé déduit du code : « {label} ». Vérifiez-le."]


def _from_rncp(code: str, certifications: list[dict[str, Any]]) -> LookupResult:
    cfds = [c for c in certifications if c["cfd"]]
    current = [c for c in cfds if not c["cfd_perime"]] or cfds
    if len(current) <= 1:
        chosen = current[0] if current else certifications[0]
        values = _values(chosen, with_cfd=bool(current), with_rncp=True)
        return LookupResult(
            OK,
            values=values,
            source=SOURCE,
            messages=tuple(warnings_for(chosen) + type_message(values)),
        )
    # One certification, several codes diplôme (options, ministries): the user picks.
    first = current[0]
    values = {"code_rncp": code}
    if first["intitule_rncp"]:
        values["intitule_precis"] = first["intitule_rncp"]
    choices = tuple(_values(c, with_cfd=True, with_rncp=True) for c in current)
    return LookupResult(
        OK,
        values=values,
        choices=choices,
        source=SOURCE,
        messages=tuple(
            warnings_for(first)
            + [
                f"Plusieurs codes diplôme correspondent à {code} : choisissez celui qui figure "
                "sur la convention de formation."
            ]
        ),
    )


def _from_cfd(code: str, certifications: list[dict[str, Any]]) -> LookupResult:
    with_rncp = [c for c in certifications if c["rncp"]]
    active = [c for c in with_rncp if c["actif"]] or with_rncp
    if len(active) <= 1:
        chosen = active[0] if active else certifications[0]
        values = _values(chosen, with_cfd=True, with_rncp=bool(active))
        return LookupResult(
            OK,
            values=values,
            source=SOURCE,
            messages=tuple(warnings_for(chosen) + type_message(values)),
        )
    choices = tuple(_values(c, with_cfd=True, with_rncp=True) for c in active)
    values = {"code_diplome": code}
    vise = diplome_vise(code)
    if vise:
        values["diplome_vise"] = vise
    return LookupResult(
        OK,
        values=values,
        choices=choices,
        source=SOURCE,
        messages=(
            f"Plusieurs fiches RNCP correspondent au code diplôme {code} : choisissez "
            "celle qui figure sur la convention de formation.",
        ),
    )
