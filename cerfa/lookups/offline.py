"""Answers from the tables kept with the service, for when the public APIs cannot answer.

The postal codes (La Poste) and the code diplôme ↔ RNCP kit (France compétences) are
bundled in ``rules/data`` and read by ``rules.communes`` and ``rules.diplomes`` (their
sources and dates: docs/tables.md). A lookup asks its API first, and the API's answer
wins; the table then answers:

- when the API could not (lookups disabled, API down, slow, refused by its breaker or its
  rate limit, nonsense): the table's answer, said to come from the table;
- when the API answered that it does not know the value: the table's answer if it knows
  it (the catalogue lists only the certifications some CFA offers; geo.api.gouv.fr may
  lag behind La Poste), with a word on the difference;
- when the API found it but left a value out (a certification without its code diplôme
  in the catalogue): the table fills that value only, from its rows that agree with
  everything the API said, when they name exactly one.

A value neither knows is never guessed: the API's own answer (« indisponible »,
« introuvable ») is returned as it was. Nothing here sends anything anywhere.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

from cerfa.lookups import diplomes as catalogue
from cerfa.lookups.result import NOT_FOUND, OK, UNAVAILABLE, LookupResult
from rules import communes as postcodes
from rules import diplomes as kit
from rules import identifiers

# Paris, Lyon and Marseille are split by La Poste into their arrondissements (« LYON
# 03 », INSEE 69383); the commune is the city itself (CGCT art. L2511-1), as
# geo.api.gouv.fr answers: (INSEE prefix of its arrondissements, name, INSEE code).
_ARRONDISSEMENTS = (
    ("751", "PARIS", "75056"),
    ("6938", "LYON", "69123"),
    ("132", "MARSEILLE", "13055"),
)


_MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()


def date_fr(iso: str) -> str:
    """« 1er janvier 2025 » for "2025-01-01" (a table's date, from its header)."""
    try:
        day = datetime.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{'1er' if day.day == 1 else day.day} {_MONTHS[day.month - 1]} {day.year}"


def source_communes() -> str:
    return (
        "Base officielle des codes postaux de La Poste, gardée avec le service "
        f"(communes au {date_fr(postcodes.TABLE_DATE)})"
    )


def source_diplomes() -> str:
    return (
        "Kit apprentissage de France compétences, gardé avec le service "
        f"(codes diplôme et RNCP au {date_fr(kit.TABLE_DATE)})"
    )


def _commune(commune: postcodes.Commune) -> tuple[str, str]:
    """The name and INSEE code of the commune (the city, for an arrondissement)."""
    for prefix, city, insee in _ARRONDISSEMENTS:
        if commune.insee.startswith(prefix) and commune.nom.startswith(city + " "):
            return city, insee
    return commune.nom, commune.insee


def _departement(insee: str) -> str:
    return insee[:3] if insee.startswith("97") else insee[:2]


def communes_from_table(code_postal: str) -> LookupResult | None:
    """The communes of a postal code from La Poste's table, as ``geo.lookup`` gives them;
    None when the table does not know the code (or it is malformed)."""
    code = postcodes.normalize_postcode(code_postal)
    if code is None:
        return None
    found: dict[str, dict[str, str]] = {}
    for commune in postcodes.communes_for(code):
        name, insee = _commune(commune)
        found.setdefault(
            name,
            {"commune": name, "code_insee": insee, "departement": _departement(commune.insee)},
        )
    if not found:
        return None
    communes = sorted(found.values(), key=lambda c: (c["commune"], c["code_insee"]))
    source = source_communes()
    if len(communes) == 1:
        commune = communes[0]
        return LookupResult(
            OK,
            values={"code_postal": code, "commune": commune["commune"]},
            details={"code_insee": commune["code_insee"], "departement": commune["departement"]},
            source=source,
            reason="bundled table",
            from_table=True,
        )
    return LookupResult(
        OK,
        values={"code_postal": code},
        choices=tuple(communes),
        source=source,
        messages=(f"Plusieurs communes ont le code postal {code} : choisissez la vôtre.",),
        reason="bundled table",
        from_table=True,
    )


def communes(code_postal: str, online: LookupResult) -> LookupResult:
    """The API's answer for a postal code, or the table's when the API had none."""
    if online.status not in (UNAVAILABLE, NOT_FOUND):
        return online
    return _instead(
        online,
        communes_from_table(code_postal),
        "Ce code postal figure dans la base officielle de La Poste mais pas dans l'API "
        "Découpage administratif : vérifiez la commune.",
    )


def _instead(online: LookupResult, table: LookupResult | None, note: str) -> LookupResult:
    """The table's answer in place of an API that had none (``note`` says why when the API
    did not know the value); the API's own answer when the table has none either."""
    if table is None:
        return replace(online, api_unavailable=online.status == UNAVAILABLE)
    if online.status == NOT_FOUND:
        return replace(table, messages=(*table.messages, note))
    return replace(table, api_unavailable=True)


# -- diplomas ---------------------------------------------------------------------------


def _kind(value: str) -> tuple[str, str] | None:
    """("code_rncp", "RNCP35908") or ("code_diplome", "45020201") for what was typed, as
    ``diplomes.lookup`` reads it; None when it is neither."""
    number = identifiers.compact(value or "").upper()
    if number.startswith("RNCP") or (len(number) <= 6 and identifiers.is_ascii_digits(number)):
        rncp = kit.normalize_rncp(number)
        return ("code_rncp", rncp) if rncp else None
    code = kit.normalize_code(number)
    if code and code != identifiers.CODE_DIPLOME_EN_ATTENTE:
        return "code_diplome", code
    return None


def _rows(kind: str, code: str) -> tuple[kit.Diplome, ...]:
    return kit.by_rncp(code) if kind == "code_rncp" else kit.by_code(code)


def _level(row: kit.Diplome) -> int | None:
    return int(row.niveau) if row.niveau and row.niveau.isdigit() else None


def _row_values(row: kit.Diplome) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if row.code_rncp:
        values["code_rncp"] = row.code_rncp
    values["code_diplome"] = row.code_diplome
    if row.intitule:
        values["intitule_precis"] = row.intitule
    # The same deduction as the catalogue's answers: its prefix, else its level.
    vise = catalogue.diplome_vise(row.code_diplome, _level(row))
    if vise:
        values["diplome_vise"] = vise
    return values


def _certification(row: kit.Diplome) -> dict[str, Any]:
    """A row as ``diplomes._warnings`` reads a certification."""
    return {
        "rncp": row.code_rncp,
        "cfd": row.code_diplome,
        "actif": row.actif,
        "fin_validite": row.echeance,
        "eligible": row.apprentissage,
        "cfd_perime": False,
    }


def diplome_from_table(value: str) -> LookupResult | None:
    """A certification from France compétences' kit, as ``diplomes.lookup`` gives it;
    None when the kit does not know the code (or it is neither a code diplôme nor an
    RNCP code)."""
    kind = _kind(value)
    if kind is None:
        return None
    field, code = kind
    rows = _rows(field, code)
    if not rows:
        return None
    source = source_diplomes()
    # Several rows: one RNCP, several codes diplôme (one per university, per option), or
    # one code diplôme registered under several RNCP fiches. The active ones first.
    active = [row for row in rows if row.actif] or list(rows)
    if len(active) == 1:
        row = active[0]
        values = _row_values(row)
        messages = catalogue.warnings_for(_certification(row)) + catalogue.type_message(values)
        return LookupResult(
            OK,
            values=values,
            source=source,
            messages=tuple(messages),
            reason="bundled table",
            from_table=True,
        )
    choices = tuple(_row_values(row) for row in active)
    values = {field: code}
    for key in ("code_rncp", "code_diplome", "intitule_precis", "diplome_vise"):
        common = {choice.get(key) for choice in choices}
        if len(common) == 1 and None not in common:
            values[key] = common.pop()
    if field == "code_rncp":
        message = (
            f"Plusieurs codes diplôme correspondent à {code} : choisissez celui qui figure "
            "sur la convention de formation."
        )
    else:
        message = (
            f"Plusieurs fiches RNCP correspondent au code diplôme {code} : choisissez celle "
            "qui figure sur la convention de formation."
        )
    return LookupResult(
        OK,
        values=values,
        choices=choices,
        source=source,
        messages=(message,),
        reason="bundled table",
        from_table=True,
    )


def _completed(value: str, online: LookupResult) -> LookupResult:
    """The API's certification, with what it left out taken from the kit's rows that
    agree with all it said, when exactly one does."""
    if online.choices:
        return online
    values = online.values
    missing = [k for k in ("code_rncp", "code_diplome", "diplome_vise") if not values.get(k)]
    kind = _kind(value)
    if not missing or kind is None:
        return online
    field, code = kind
    rows = [
        row
        for row in _rows(field, code)
        if (not values.get("code_rncp") or row.code_rncp == values["code_rncp"])
        and (not values.get("code_diplome") or row.code_diplome == values["code_diplome"])
    ]
    if len(rows) != 1:
        return online
    found = _row_values(rows[0])
    added = {k: found[k] for k in missing if found.get(k)}
    if not added:
        return online
    return replace(
        online,
        values={**values, **added},
        source=f"{online.source} ; complété d'après le k{source_diplomes()[1:]}",
        messages=(*online.messages, *catalogue.type_message(added)),
    )


def diplome(value: str, online: LookupResult) -> LookupResult:
    """The catalogue's answer for a code, completed or replaced by the kit's."""
    if online.status == OK:
        return _completed(value, online)
    if online.status not in (UNAVAILABLE, NOT_FOUND):
        return online
    return _instead(
        online,
        diplome_from_table(value),
        "Ce code ne figure dans aucune formation du catalogue de l'apprentissage, mais "
        "France compétences le connaît : vérifiez-le avec le CFA.",
    )
