"""The completed dossier: what rules derive, and what public sources say of its identifiers.

``complete_dossier`` is what ``cerfa complete`` prints and what the wizard can show. It
asks the public lookups (``cerfa.lookups``, docs/apis.md) about the dossier's identifiers,
fills only the boxes that are still empty, then lets ``rules.complete`` add the legal
remuneration grid and the other pure deductions.

Order matters: the lookups run first because the grid depends on what they may fill (an
employer's postal code in Mayotte has its own SMIC; a licence professionnelle has its own
rates), and ``rules.complete`` fills nothing a lookup reads (SIRET, UAI, postal codes,
diploma codes), so one pass of each is enough.

What is sent: only the employer's, the CFA's and the training place's SIRET or UAI, the
postal code of one of their addresses whose commune is missing, and the diploma codes.
Nothing about a person (apprentice, maîtres, legal representative), not even a postal
code: the people of the dossier stay in the dossier. Their communes come from La Poste's
table kept with the service, which sends nothing.

Without the APIs (``--hors-ligne``, ``CERFA_LOOKUPS_ENABLED`` false, or an API down) the
tables kept with the service still answer (``cerfa.lookups.offline``): every commune
from its postal code, and the diploma's codes, title and type from one another. A SIRET
or a UAI has no such table: its block is left as it is.

Each filled value is named in an ``info`` finding with its public source, since a
register can be out of date; a closed establishment is an ``error`` and fills nothing; a
source that is down costs one ``info`` finding, not one per lookup.

It always ends: each lookup ends within its own deadline (twice
``CERFA_LOOKUP_TIMEOUT_SECONDS``), and all of them together within
``CERFA_COMPLETE_LOOKUPS_SECONDS``; a lookup the time left does not allow is not made,
and is reported with the sources that were down.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings

from cerfa import lookups
from cerfa.lookups import offline
from cerfa.lookups.result import CLOSED, OK, UNAVAILABLE, LookupResult
from rules.complete import complete
from rules.dossier import Adresse, Dossier, Etablissement, get_path, is_blank
from rules.findings import Finding, sort_findings

ADRESSE_KEYS = ("numero", "voie", "complement", "code_postal", "commune")

# How a filled value is named in a message: the CERFA's own words.
LABELS = {
    "denomination": "dénomination",
    "adresse": "adresse",
    "siret": "SIRET",
    "uai": "numéro UAI",
    "code_ape": "code APE",
    "effectif": "effectif",
    "prive_public": "employeur privé ou public",
    "type_employeur": "type d'employeur",
    "employeur_specifique": "employeur spécifique",
    "code_idcc": "code IDCC",
    "code_diplome": "code diplôme",
    "code_rncp": "code RNCP",
    "intitule_precis": "intitulé précis",
    "diplome_vise": "diplôme ou titre visé",
}

# The addresses whose commune is looked up from the postal code: the organisations'.
# The apprentice's and the legal representative's stay out: where a person lives is
# personal data, and docs/apis.md promises that nothing of the apprentice is sent.
ADRESSE_PATHS = (
    "employeur.adresse",
    "formation.cfa.adresse",
    "formation.lieu_principal.adresse",
)
# The people's addresses: their communes come from the table kept with the service only.
PERSON_ADRESSE_PATHS = ("apprenti.adresse", "apprenti.representant_legal.adresse")

UNAVAILABLE_TEXT = (
    "Les recherches automatiques n'ont pas abouti (service public injoignable ou trop "
    "lent) : rien n'a été complété d'après ces valeurs. Saisissez vous-même les "
    "informations manquantes, ou réessayez plus tard."
)


def complete_dossier(
    dossier: Dossier, use_lookups: bool = True, lookup_seconds: float | None = None
) -> tuple[Dossier, list[Finding]]:
    """A completed copy of ``dossier`` and the findings about what was filled or corrected.

    ``use_lookups=False`` (``cerfa complete --hors-ligne``), like ``CERFA_LOOKUPS_ENABLED``
    false, sends nothing anywhere: the communes and the diploma come from the tables kept
    with the service, then the pure deductions of ``rules.complete``. The lookups all end
    within ``lookup_seconds`` (``CERFA_COMPLETE_LOOKUPS_SECONDS`` by default).
    """
    out = copy.deepcopy(dossier)
    online = use_lookups and settings.CERFA_LOOKUPS_ENABLED
    if lookup_seconds is None:
        lookup_seconds = settings.CERFA_COMPLETE_LOOKUPS_SECONDS
    findings = _Lookups(out, lookup_seconds, online=online).run()
    completed, corrections = complete(out)
    return completed, sort_findings(findings + corrections)


def _adresse_blank(adresse: Adresse) -> bool:
    return all(is_blank(getattr(adresse, key)) for key in ADRESSE_KEYS)


def _labels(paths: Iterable[str], base: str) -> str:
    """ "dénomination, adresse, code APE" for the paths filled in the block ``base``."""
    names: list[str] = []
    for path in paths:
        key = path[len(base) + 1 :].split(".")[0]
        name = LABELS.get(key, key)
        if name not in names:
            names.append(name)
    return ", ".join(names)


def _filled_message(what: str, paths: list[str], base: str, source: str) -> str:
    return (
        f"Complété par recherche {what} : {_labels(paths, base)}. "
        + (f"Source : {source}. " if source else "")
        + "Vérifiez ces valeurs."
    )


class _Lookups:
    """One pass of lookups over one dossier (modified in place)."""

    def __init__(self, dossier: Dossier, seconds: float, online: bool = True):
        self.d = dossier
        self.online = online
        self.ends = time.monotonic() + seconds
        self.findings: list[Finding] = []
        # Identifier paths whose lookup found its source down, and the kinds of lookup
        # (one per public API, mostly) not to ask again: a slow API stays slow, and each
        # attempt may cost seconds.
        self.unavailable: list[str] = []
        self.down: set[str] = set()

    def run(self) -> list[Finding]:
        if self.online:
            self.employeur()
            self.etablissement("formation.cfa", "CFA")
            lieu = self.d.formation.lieu_principal
            if lieu is not None and self.d.formation.cfa_est_lieu_principal is not True:
                self.etablissement("formation.lieu_principal", "lieu principal de formation")
        self.diplome()
        # Last: an address filled from a SIRET or a UAI already has its commune.
        for path in ADRESSE_PATHS:
            self.commune(path)
        for path in PERSON_ADRESSE_PATHS:
            self.commune(path, send=False)
        if self.unavailable:
            self.findings.append(
                Finding(
                    "info",
                    "complete.recherche.indisponible",
                    tuple(self.unavailable),
                    UNAVAILABLE_TEXT,
                )
            )
        return self.findings

    # -- asking --------------------------------------------------------------------------

    def ask(
        self,
        kind: str,
        path: str,
        call: Callable[[float], LookupResult],
        table: Callable[[], LookupResult | None] | None = None,
    ) -> LookupResult | None:
        """The lookup's result; when lookups are off, its source is already known to be
        down or no time is left, the answer of the table kept with the service (``table``),
        if there is one and it knows the value, else None. ``call`` gets the seconds left,
        which its lookup must not exceed."""
        left = self.ends - time.monotonic()
        if not self.online or kind in self.down or left <= 0:
            found = table() if table is not None else None
            if found is not None and found.status == OK:
                return found
            if self.online:
                self.unavailable.append(path)
            return None
        result = call(left)
        if result.api_unavailable or result.status == UNAVAILABLE:
            # A slow API stays slow: the table answers the next ones at once.
            self.down.add(kind)
        if result.status == UNAVAILABLE:
            self.unavailable.append(path)
        return result

    def info(self, code: str, fields: Iterable[str], message: str) -> None:
        self.findings.append(Finding("info", code, tuple(fields), message))

    # -- filling -------------------------------------------------------------------------

    def fill(self, block: Any, base: str, values: dict[str, Any], keys: Iterable[str]) -> list[str]:
        """Set each of ``keys`` that is empty in ``block`` and found in ``values``."""
        filled = []
        for key in keys:
            value = values.get(key)
            if is_blank(value) or not is_blank(getattr(block, key)):
                continue
            setattr(block, key, value)
            filled.append(f"{base}.{key}")
        return filled

    def fill_adresse(self, block: Any, base: str, found: Any) -> list[str]:
        # An address is filled whole or not at all: the user's street with a register's
        # number would describe a place that does not exist.
        if not isinstance(found, dict) or not _adresse_blank(block.adresse):
            return []
        return self.fill(block.adresse, f"{base}.adresse", found, ADRESSE_KEYS)

    # -- the employer --------------------------------------------------------------------

    def employeur(self) -> None:
        e = self.d.employeur
        if is_blank(e.siret):
            return
        fillable = ("denomination", "code_ape", "effectif", "code_idcc", "type_employeur")
        if not any(is_blank(getattr(e, key)) for key in fillable) and not _adresse_blank(e.adresse):
            return  # nothing the register could add: nothing is asked
        result = self.ask(
            "siret", "employeur.siret", lambda s: lookups.siret(e.siret, "employeur", max_seconds=s)
        )
        if result is None:
            return
        if result.status == CLOSED:
            self.findings.append(
                Finding(
                    "error",
                    "complete.recherche.employeur.ferme",
                    ("employeur.siret",),
                    f"L'établissement de SIRET {e.siret} est fermé d'après l'INSEE. Indiquez le "
                    "SIRET de l'établissement en activité où l'apprenti travaillera. Rien n'a "
                    "été complété d'après ce SIRET.",
                )
            )
            return
        if result.status != OK:
            return
        values = result.values
        filled = self.fill(e, "employeur", values, ("denomination",))
        filled += self.fill_adresse(e, "employeur", values.get("adresse"))
        filled += self.fill(e, "employeur", values, ("code_ape", "effectif", "code_idcc"))
        # The legal category suggests a type d'employeur, and with it privé or public. It
        # is used only where the user chose neither, or chose the same side.
        suggested = values.get("prive_public")
        if is_blank(e.type_employeur) and (is_blank(e.prive_public) or e.prive_public == suggested):
            filled += self.fill(
                e,
                "employeur",
                values,
                ("type_employeur", "prive_public", "employeur_specifique"),
            )
        if filled:
            self.info(
                "complete.recherche.employeur",
                filled,
                _filled_message(f"du SIRET {e.siret}", filled, "employeur", result.source),
            )
        tranche = result.details.get("tranche_effectif")
        if "employeur.effectif" in filled and tranche:
            self.info(
                "complete.recherche.employeur.effectif",
                ("employeur.effectif",),
                f"Effectif estimé d'après la tranche INSEE « {tranche} » : nous avons indiqué "
                f"{e.effectif}, le bas de la tranche. Remplacez-le par l'effectif réel de "
                "toute l'entreprise.",
            )
        if is_blank(e.code_idcc) and result.choices:
            offered = ", ".join(
                f"{c['code_idcc']} ({c['libelle']})" if c.get("libelle") else c["code_idcc"]
                for c in result.choices
                if c.get("code_idcc")
            )
            self.info(
                "complete.recherche.employeur.idcc",
                ("employeur.code_idcc",),
                f"Plusieurs conventions collectives sont déclarées pour cet établissement : "
                f"IDCC {offered}. Indiquez celle que vous appliquez (son IDCC figure sur les "
                "bulletins de paie).",
            )

    # -- the CFA and the training place --------------------------------------------------

    def etablissement(self, base: str, name: str) -> None:
        block: Etablissement = get_path(self.d, base)
        keys = ("denomination", "siret", "uai")
        if not any(is_blank(getattr(block, key)) for key in keys) and not _adresse_blank(
            block.adresse
        ):
            return
        # The UAI first: the référentiel of apprenticeship knows a CFA by it, and a CFA's
        # SIRET is often its managing body's.
        if not is_blank(block.uai):
            key, ident = "uai", f"numéro UAI {block.uai}"
        elif not is_blank(block.siret):
            key, ident = "siret", f"SIRET {block.siret}"
        else:
            return
        code = "complete.recherche." + base.split(".")[-1]
        result = self.ask(
            "cfa", f"{base}.{key}", lambda s: lookups.cfa(getattr(block, key), max_seconds=s)
        )
        if result is None:
            return
        if result.status == CLOSED:
            self.findings.append(
                Finding(
                    "error",
                    f"{code}.ferme",
                    (f"{base}.{key}",),
                    f"L'établissement indiqué comme {name} ({ident}) est fermé"
                    + (f" d'après la source consultée ({result.source})" if result.source else "")
                    + ". Vérifiez ce numéro auprès du CFA : rien n'a été complété d'après lui.",
                )
            )
            return
        if result.status != OK:
            return
        values = result.values
        if result.choices:
            # One UAI, several organismes: the SIRET typed, if any, says which one.
            mine = [c for c in result.choices if c.get("siret") == _compact(block.siret)]
            if len(mine) != 1:
                self.info(code, (f"{base}.{key}",), " ".join(result.messages))
                return
            values = mine[0]
        filled = self.fill(block, base, values, keys)
        filled += self.fill_adresse(block, base, values.get("adresse"))
        if filled:
            self.info(code, filled, _filled_message(f"du {ident}", filled, base, result.source))

    # -- the diploma ---------------------------------------------------------------------

    def diplome(self) -> None:
        f = self.d.formation
        keys = ("code_rncp", "code_diplome", "intitule_precis", "diplome_vise")
        if not any(is_blank(getattr(f, k)) for k in keys):
            return
        # The RNCP first: its title is the certification's, and one RNCP names one
        # certification where a code diplôme may have been re-registered several times.
        if not is_blank(f.code_rncp):
            key, other, what = "code_rncp", "code_diplome", f"du code RNCP {f.code_rncp}"
        elif not is_blank(f.code_diplome):
            key, other, what = "code_diplome", "code_rncp", f"du code diplôme {f.code_diplome}"
        else:
            return
        result = self.ask(
            "diplome",
            f"formation.{key}",
            lambda s: lookups.diplome(getattr(f, key), max_seconds=s),
            lambda: offline.diplome_from_table(getattr(f, key)),
        )
        if result is None or result.status != OK:
            return
        values = result.values
        if result.choices:
            # Several certifications behind one code: the other code, if typed, says which.
            typed = _compact(getattr(f, other))
            mine = [c for c in result.choices if typed and c.get(other) == typed]
            if len(mine) == 1:
                values = mine[0]
            else:
                self.info(
                    "complete.recherche.formation",
                    (f"formation.{other}",),
                    " ".join(result.messages),
                )
        filled = self.fill(f, "formation", values, ("code_rncp", "code_diplome", "intitule_precis"))
        # The diploma type is read from the code diplôme's first characters: taken only
        # when the answer's code is the dossier's, or neither has one.
        if _compact(values.get("code_diplome")) == _compact(f.code_diplome):
            filled += self.fill(f, "formation", values, ("diplome_vise",))
        if filled:
            self.info(
                "complete.recherche.formation",
                filled,
                _filled_message(what, filled, "formation", result.source),
            )

    # -- communes ------------------------------------------------------------------------

    def commune(self, path: str, send: bool = True) -> None:
        """Fill the commune of the address at ``path`` from its postal code; with
        ``send`` false (a person's address), from the table kept with the service only."""
        adresse = get_path(self.d, path)
        if adresse is None or is_blank(adresse.code_postal) or not is_blank(adresse.commune):
            return
        code_postal = adresse.code_postal.strip()
        if send:
            result = self.ask(
                "communes",
                f"{path}.code_postal",
                lambda s: lookups.communes(code_postal, max_seconds=s),
                lambda: offline.communes_from_table(code_postal),
            )
        else:
            result = offline.communes_from_table(code_postal)
        if result is None or result.status != OK:
            return
        if self.fill(adresse, path, result.values, ("commune",)):
            self.info(
                "complete.recherche.commune",
                (f"{path}.commune",),
                f"Commune complétée d'après le code postal {code_postal} : {adresse.commune}. "
                + (f"Source : {result.source}. " if result.source else "")
                + "Vérifiez-la.",
            )
        elif result.choices:
            names = ", ".join(c["commune"] for c in result.choices if c.get("commune"))
            self.info(
                "complete.recherche.commune",
                (f"{path}.commune",),
                f"Plusieurs communes ont le code postal {code_postal} ({names}) : indiquez la "
                "vôtre.",
            )


def _compact(value: object) -> str:
    return "".join(value.split()).upper() if isinstance(value, str) else ""
