"""Identifier and code-table rules: every number and code of the dossier has the right shape,
check key and value.

The validators themselves are in ``rules/identifiers.py`` and the code tables in
``rules/codes.py``; this module only applies them to the dossier's fields. An empty field
is left to the presence rules: here, only what is written is checked.

Levels: ``error`` for the identifiers and codes the OPCO records and checks (a wrong SIRET,
NIR, UAI or code cannot be filed), and for an e-mail address no mail can reach (the OPCO and
the ASP write to it); ``warning`` for the other contact details (a wrong phone number is a
problem for the user, not a ground for refusal) and for what may be right but is unusual (a
temporary NIA/NTT, a NAF division not in the rév. 2 list, an e-mail address with an accent
before the @); ``info`` for the pending code diplôme, which the OPCO accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rules import codes, identifiers
from rules.dossier import Dossier, get_path
from rules.findings import Level
from rules.registry import Context, rule

REF_SIRENE = "INSEE, répertoire SIRENE (C. com. art. R123-220 et s.) ; notice 51649#09"
REF_NIR = "Décret n°82-103 du 22 janvier 1982 (RNIPP) ; INSEE, structure du NIR"
REF_NIR_TEMPORAIRE = "Atlas FAQ : numéros transitoires NIA et NTT"
REF_UAI = "Éducation nationale, répertoire des établissements (numéro UAI) ; notice 51649#09"
REF_CODE_DIPLOME = "Atlas FAQ : code diplôme à huit positions ; notice 51649#09"
REF_CODE_DIPLOME_ATTENTE = "Atlas FAQ : code diplôme 99999999 en attente d'attribution"
REF_RNCP = "C. trav. art. L6113-1 (RNCP) ; C. trav. art. D6224-2 1°"
REF_NUMERO_CONTRAT = "Notice 51649#09 ; générateur public du CERFA (format du n° de dépôt)"
REF_IDCC = "C. trav. art. L2261-2 ; liste officielle des IDCC (9999, 9998)"
REF_APE = "Décret n°2007-1888 du 26 décembre 2007 (nomenclature NAF rév. 2)"
REF_CODE_POSTAL = "La Poste, codes postaux à 5 chiffres ; notice 51649#09"
REF_TELEPHONE = "ARCEP, plan national de numérotation téléphonique"
REF_COURRIEL = "RFC 5322 et RFC 5321 : format d'une adresse électronique ; Cerfa 10103*14"

CheckFn = Callable[[Dossier, Context], Iterator[tuple[str | tuple[str, ...], str]]]


def _text(value: object) -> str | None:
    """A written value, or None for a missing or blank one (left to the presence rules)."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _expand(d: Dossier, pattern: str) -> list[str]:
    """The concrete paths of a pattern where "*" stands for every index of a list."""
    if "*" not in pattern:
        return [pattern]
    head, tail = pattern.split(".*", 1)
    items = get_path(d, head) or []
    return [p for i in range(len(items)) for p in _expand(d, f"{head}.{i}{tail}")]


def _after_colon(reason: str) -> str:
    """A validator's sentence placed after « Intitulé : » starts in lower case, unless its
    first word is an acronym (SIRET, UAI…)."""
    if len(reason) > 1 and reason[0].isupper() and (reason[1].islower() or reason[1] == "'"):
        return reason[0].lower() + reason[1:]
    return reason


def _register(code: str, level: Level, reference: str, doc: str, fn: CheckFn) -> None:
    fn.__doc__ = doc
    fn.__name__ = fn.__qualname__ = "rule_" + code.replace(".", "_")
    rule(code, level, reference)(fn)


def _employer_siren(d: Dossier) -> str | None:
    """The employer's SIREN, when its SIRET is valid (an invalid one proves nothing)."""
    siret = _text(d.employeur.siret)
    if siret and identifiers.check_siret(siret):
        return identifiers.compact(siret)[:9]
    return None


# -- SIRET -------------------------------------------------------------------------------

_ETABLISSEMENTS = (
    ("employeur", "de l'employeur"),
    ("formation.cfa", "du CFA"),
    ("formation.lieu_principal", "du lieu principal de formation"),
)


def _siret_rule(base: str, who: str, fault: str) -> CheckFn:
    path = f"{base}.siret"

    def check(d: Dossier, ctx: Context):
        value = _text(get_path(d, path))
        if value:
            result = identifiers.check_siret(value)
            if result.fault == fault:
                yield path, f"SIRET {who} : {_after_colon(result.reason)}"

    return check


for _base, _who in _ETABLISSEMENTS:
    _register(
        f"{_base}.siret.format",
        "error",
        REF_SIRENE,
        f"The SIRET {_who} has 14 digits (INSEE, répertoire SIRENE).",
        _siret_rule(_base, _who, "format"),
    )
    _register(
        f"{_base}.siret.luhn",
        "error",
        REF_SIRENE,
        f"The SIRET {_who} passes the Luhn key, or La Poste's digit sum rule for the "
        "establishments of SIREN 356000000 (INSEE, répertoire SIRENE).",
        _siret_rule(_base, _who, "luhn"),
    )


# -- NIR, NIA, NTT -----------------------------------------------------------------------


def _nir(d: Dossier) -> identifiers.NirResult | None:
    value = _text(d.apprenti.nir)
    return identifiers.check_nir(value, _employer_siren(d)) if value else None


@rule("apprenti.nir.format", "error", REF_NIR)
def nir_format(d: Dossier, ctx: Context):
    """The NIR has 15 characters: sex (1, 2; 7, 8 for a NIA), year, month (01-12 or the
    fictitious 20, 30-42, 50-99), département (2A/2B for Corsica), commune, order number,
    key; or it is an NTT of at most 15 characters (décret n°82-103; Atlas FAQ)."""
    nir = _nir(d)
    if nir is not None and nir.fault == "format":
        yield "apprenti.nir", nir.reason


@rule("apprenti.nir.cle", "error", REF_NIR)
def nir_key(d: Dossier, ctx: Context):
    """The NIR's key is 97 − (the first 13 characters mod 97), with 2A → 19 and 2B → 18
    (INSEE; décret n°82-103). The same key protects a NIA."""
    nir = _nir(d)
    if nir is not None and nir.fault == "cle":
        yield "apprenti.nir", nir.reason


@rule("apprenti.nir.ntt_siren", "error", REF_NIR_TEMPORAIRE)
def ntt_siren(d: Dossier, ctx: Context):
    """An NTT is 1 or 2, then the employer's SIREN, then the employer's own identifier
    (Atlas FAQ): its SIREN must be the one of the employer's SIRET."""
    nir = _nir(d)
    if nir is not None and nir.fault == "ntt_siren":
        yield ("apprenti.nir", "employeur.siret"), nir.reason


@rule("apprenti.nir.nia", "warning", REF_NIR_TEMPORAIRE)
def nir_is_nia(d: Dossier, ctx: Context):
    """A NIA (first digit 7 or 8) is accepted while the apprentice waits for a NIR; the OPCO
    needs the NIR as soon as it is known, to file the contract (Atlas FAQ)."""
    nir = _nir(d)
    if nir is not None and nir.ok and nir.kind == "nia":
        yield (
            "apprenti.nir",
            (
                "Ce numéro est un NIA (numéro d'attente, commençant par 7 ou 8) : il est accepté "
                "en attendant le numéro de sécurité sociale définitif. Dès que l'apprenti le "
                "reçoit, transmettez-le à l'OPCO, qui en a besoin pour déposer le contrat."
            ),
        )


@rule("apprenti.nir.ntt", "warning", REF_NIR_TEMPORAIRE)
def nir_is_ntt(d: Dossier, ctx: Context):
    """An NTT (1 or 2, the employer's SIREN, an identifier) stands in for a NIR when the
    apprentice has neither NIR nor NIA; the OPCO needs the NIR later (Atlas FAQ)."""
    nir = _nir(d)
    if nir is not None and nir.ok and nir.kind == "ntt":
        message = (
            "Ce numéro est un NTT (numéro technique temporaire), accepté seulement quand "
            "l'apprenti n'a ni numéro de sécurité sociale ni NIA. Dès que l'apprenti reçoit son "
            "numéro définitif, transmettez-le à l'OPCO."
        )
        if not nir.siren_verifie:
            message += (
                " Vérifiez que ses chiffres 2 à 10 sont le SIREN de l'employeur : sans SIRET "
                "valide de l'employeur, ce point n'a pas pu être contrôlé."
            )
            if len(nir.number) < 15:
                message += (
                    f" Si c'est un numéro de sécurité sociale, il est incomplet : il compte "
                    f"{len(nir.number)} caractères au lieu de 15."
                )
        yield "apprenti.nir", message


_SEXE_WORD = {"M": "masculin", "F": "féminin"}


@rule("apprenti.nir.sexe", "error", REF_NIR)
def nir_sexe(d: Dossier, ctx: Context):
    """The NIR's first digit gives the sex: 1 man, 2 woman (7 and 8 for a NIA, 1 and 2 for
    an NTT; décret n°82-103; Atlas FAQ). It must agree with the box ticked."""
    nir = _nir(d)
    sexe = d.apprenti.sexe
    if nir is not None and nir.ok and sexe in _SEXE_WORD and nir.sexe != sexe:
        yield (
            ("apprenti.nir", "apprenti.sexe"),
            (
                f"Le numéro commence par {nir.number[0]}, qui désigne le sexe "
                f"{_SEXE_WORD[nir.sexe]}, alors que la case « {_SEXE_WORD[sexe]} » est cochée. "
                "Corrigez le numéro ou la case."
            ),
        )


@rule("apprenti.nir.annee", "error", REF_NIR)
def nir_annee(d: Dossier, ctx: Context):
    """The NIR's characters 2-3 are the last two digits of the birth year (décret n°82-103;
    the same holds for a NIA)."""
    nir = _nir(d)
    born = d.apprenti.date_naissance
    if nir is not None and nir.ok and nir.annee is not None and born is not None:
        if nir.annee != f"{born.year % 100:02d}":
            yield (
                ("apprenti.nir", "apprenti.date_naissance"),
                (
                    f"Les 2e et 3e chiffres du numéro ({nir.annee}) devraient être la fin de "
                    f"l'année de naissance ({born.year}). Corrigez le numéro ou la date de "
                    "naissance."
                ),
            )


@rule("apprenti.nir.mois", "error", REF_NIR)
def nir_mois(d: Dossier, ctx: Context):
    """The NIR's characters 4-5 are the birth month, unless INSEE wrote a fictitious month
    (20, 30-42, 50-99) for an incomplete civil status (décret n°82-103; net-entreprises)."""
    nir = _nir(d)
    born = d.apprenti.date_naissance
    if nir is not None and nir.ok and nir.mois is not None and born is not None:
        if not nir.mois_fictif and nir.mois != f"{born.month:02d}":
            yield (
                ("apprenti.nir", "apprenti.date_naissance"),
                (
                    f"Les 4e et 5e chiffres du numéro ({nir.mois}) devraient être le mois de "
                    f"naissance ({born.month:02d}). Corrigez le numéro ou la date de naissance."
                ),
            )


def _place(code: str) -> str:
    return "à l'étranger (99)" if code == "99" else f"dans le département {code}"


@rule("apprenti.nir.departement", "error", REF_NIR)
def nir_departement(d: Dossier, ctx: Context):
    """The NIR's characters 6-7 (6-8 overseas) are the département of birth, 99 abroad
    (décret n°82-103). Births before Corsica's split (1976) keep 20, births before the
    Paris-region split (1968) keep 75 or 78, births in Mayotte, Saint-Barthélemy and
    Saint-Martin before INSEE's 2008 recoding keep 985 or 971: the NIR is never
    renumbered."""
    nir = _nir(d)
    departement = _text(d.apprenti.departement_naissance)
    if nir is None or not nir.ok or departement is None or nir.lieu is None:
        return
    if departement not in codes.codes(codes.DEPARTEMENT_NAISSANCE):
        return  # the code itself is wrong: said by apprenti.departement_naissance.hors_liste
    born = d.apprenti.date_naissance
    if not identifiers.nir_matches_departement(nir, departement, born.year if born else None):
        yield (
            ("apprenti.nir", "apprenti.departement_naissance"),
            (
                f"Le numéro indique une naissance {_place(nir.lieu)}, mais la case « Département de "
                f"naissance » indique une naissance {_place(departement)}. Corrigez le numéro ou le "
                "département de naissance."
            ),
        )


# -- UAI ---------------------------------------------------------------------------------


def _uai_rule(base: str, who: str, fault: str) -> CheckFn:
    path = f"{base}.uai"

    def check(d: Dossier, ctx: Context):
        value = _text(get_path(d, path))
        if value:
            result = identifiers.check_uai(value)
            if result.fault == fault:
                yield path, f"Numéro UAI {who} : {_after_colon(result.reason)}"

    return check


for _base, _who in _ETABLISSEMENTS[1:]:
    _register(
        f"{_base}.uai.format",
        "error",
        REF_UAI,
        f"The UAI {_who} is 7 digits and a letter (Éducation nationale).",
        _uai_rule(_base, _who, "format"),
    )
    _register(
        f"{_base}.uai.cle",
        "error",
        REF_UAI,
        f"The UAI {_who} ends with the letter of index (7 digits mod 23) in "
        "ABCDEFGHJKLMNPRSTUVWXYZ (Éducation nationale).",
        _uai_rule(_base, _who, "cle"),
    )


# -- Formation ---------------------------------------------------------------------------


@rule("formation.code_diplome.format", "error", REF_CODE_DIPLOME)
def code_diplome_format(d: Dossier, ctx: Context):
    """The code diplôme has eight positions (Atlas FAQ): 3 letters or digits, 3 digits, 2
    letters or digits, or 99999999 while it is pending."""
    value = _text(d.formation.code_diplome)
    if value:
        result = identifiers.check_code_diplome(value)
        if not result:
            yield "formation.code_diplome", result.reason


@rule("formation.code_diplome.en_attente", "info", REF_CODE_DIPLOME_ATTENTE)
def code_diplome_pending(d: Dossier, ctx: Context):
    """99999999 is accepted while the certifier obtains a code diplôme; the real code must
    then be sent to the OPCO (Atlas FAQ)."""
    value = _text(d.formation.code_diplome)
    if value and identifiers.compact(value) == identifiers.CODE_DIPLOME_EN_ATTENTE:
        yield (
            "formation.code_diplome",
            (
                "Le code diplôme 99999999 signale un code pas encore attribué : c'est accepté. Le "
                "certificateur du diplôme le demande à diplome.apprentissage@education.gouv.fr ; "
                "transmettez le vrai code à l'OPCO dès que vous l'avez."
            ),
        )


@rule("formation.code_rncp.format", "error", REF_RNCP)
def rncp_format(d: Dossier, ctx: Context):
    """The certification is identified by its RNCP number, "RNCP" and 3 to 5 digits; only
    RNCP certifications are open to apprenticeship (L6113-1; D6224-2 1°)."""
    value = _text(d.formation.code_rncp)
    if value:
        result = identifiers.check_rncp(value)
        if not result:
            yield "formation.code_rncp", result.reason


@rule("contrat.numero_contrat_precedent.format", "warning", REF_NUMERO_CONTRAT)
def numero_contrat_format(d: Dossier, ctx: Context):
    """The previous contract's number is its 15-character registration number (n° de dépôt:
    département, year and month of filing, then 6 characters), as the government's
    generator enforces it. A warning: the layout is not in a published text, and the Atlas
    FAQ says the number is not compulsory for the transmission."""
    value = _text(d.contrat.numero_contrat_precedent)
    if value:
        result = identifiers.check_numero_contrat(value)
        if not result:
            yield "contrat.numero_contrat_precedent", result.reason


# -- Employeur ---------------------------------------------------------------------------


@rule("employeur.code_idcc.format", "error", REF_IDCC)
def idcc_format(d: Dossier, ctx: Context):
    """The IDCC of the convention collective applied (L2261-2) has 4 digits; 9999 means no
    convention, 9998 a convention not yet in force (official IDCC list)."""
    value = _text(d.employeur.code_idcc)
    if value:
        result = identifiers.check_idcc(value)
        if not result:
            yield "employeur.code_idcc", result.reason


@rule("employeur.code_ape.format", "error", REF_APE)
def ape_format(d: Dossier, ctx: Context):
    """The code APE is a NAF rév. 2 sub-class: 4 digits and a letter (décret n°2007-1888)."""
    value = _text(d.employeur.code_ape)
    if value:
        result = identifiers.check_ape(value)
        if not result:
            yield "employeur.code_ape", result.reason


@rule("employeur.code_ape.division", "warning", REF_APE)
def ape_division(d: Dossier, ctx: Context):
    """The first two digits of the code APE are one of the 88 NAF rév. 2 divisions (décret
    n°2007-1888). A warning only: the NAF 2025 may bring codes this list does not know."""
    value = _text(d.employeur.code_ape)
    if value and identifiers.check_ape(value) and not identifiers.ape_division_known(value):
        yield (
            "employeur.code_ape",
            (
                f"Le code APE {value} ne correspond à aucune activité de la nomenclature NAF : ses "
                "deux premiers chiffres n'existent pas. Vérifiez-le sur l'avis de situation INSEE."
            ),
        )


# -- Coordonnées -------------------------------------------------------------------------

_ADRESSES = (
    ("employeur.adresse", "de l'employeur"),
    ("apprenti.adresse", "de l'apprenti"),
    ("apprenti.representant_legal.adresse", "du représentant légal"),
    ("formation.cfa.adresse", "du CFA"),
    ("formation.lieu_principal.adresse", "du lieu principal de formation"),
)


def _format_rule(
    path: str,
    intro: str | Callable[[str], str],
    validate: Callable[[str], identifiers.Result],
    faults: frozenset[str] | None = None,
) -> CheckFn:
    """A rule reporting what ``validate`` refuses, or only its ``faults`` when given."""

    def check(d: Dossier, ctx: Context):
        for concrete in _expand(d, path):
            value = _text(get_path(d, concrete))
            if value:
                result = validate(value)
                if not result and (faults is None or result.fault in faults):
                    who = intro(concrete) if callable(intro) else intro
                    yield concrete, f"{who} : {_after_colon(result.reason)}"

    return check


for _base, _who in _ADRESSES:
    _register(
        f"{_base}.code_postal.format",
        "error",
        REF_CODE_POSTAL,
        f"The postal code in the address {_who} has 5 digits and a prefix La Poste uses "
        "(01-95, 97 overseas, 98 Monaco and the Pacific).",
        _format_rule(f"{_base}.code_postal", f"Code postal {_who}", identifiers.check_code_postal),
    )

for _path, _who in (
    ("employeur.telephone", "de l'employeur"),
    ("apprenti.telephone", "de l'apprenti"),
):
    _register(
        f"{_path}.format",
        "warning",
        REF_TELEPHONE,
        f"The phone number {_who} is a French number (10 digits, or +33) or an "
        "international one (+ and the country code): ARCEP numbering plan.",
        _format_rule(_path, f"Téléphone {_who}", identifiers.check_telephone),
    )


def _maitre_label(path: str) -> str:
    return f"Courriel du maître d'apprentissage n°{int(path.split('.')[1]) + 1}"


for _path, _who in (
    ("employeur.courriel", "Courriel de l'employeur"),
    ("apprenti.courriel", "Courriel de l'apprenti"),
    ("apprenti.representant_legal.courriel", "Courriel du représentant légal"),
    ("maitres.*.courriel", _maitre_label),
):
    _register(
        f"{_path.replace('.*', '')}.format",
        "error",
        REF_COURRIEL,
        "The e-mail address can receive mail: one @, something before it, a domain with an "
        "extension after it, no space (RFC 5322 and 5321). An error: the OPCO and the ASP "
        "write to these addresses (the contract's decision, the aid to the employer).",
        _format_rule(_path, _who, identifiers.check_courriel, identifiers.COURRIEL_UNDELIVERABLE),
    )
    _register(
        f"{_path.replace('.*', '')}.inhabituel",
        "warning",
        REF_COURRIEL,
        "The part of the e-mail address before the @ has only the characters the usual "
        "messageries accept (RFC 5322: no accent, no comma, no double dot). A warning: a "
        "server accepting internationalised addresses (RFC 6531) may still deliver it.",
        _format_rule(_path, _who, identifiers.check_courriel, frozenset({"local"})),
    )


# -- Code tables -------------------------------------------------------------------------

# The notice's name of each coded box, as the user reads it on the form.
_BOX_NAMES = {
    "employeur.prive_public": "Employeur privé ou public",
    "employeur.type_employeur": "Type d'employeur",
    "employeur.employeur_specifique": "Employeur spécifique",
    "apprenti.sexe": "Sexe",
    "apprenti.departement_naissance": "Département de naissance",
    "apprenti.nationalite": "Nationalité",
    "apprenti.regime_social": "Régime social",
    "apprenti.situation_avant_contrat": "Situation avant ce contrat",
    "apprenti.dernier_diplome_prepare": "Dernier diplôme ou titre préparé",
    "apprenti.derniere_classe": "Dernière classe / année suivie",
    "apprenti.diplome_plus_eleve": "Diplôme ou titre le plus élevé obtenu",
    "maitres.*.niveau_diplome": "Niveau de diplôme ou titre le plus élevé obtenu du maître",
    "contrat.mode_contractuel": "Mode contractuel de l'apprentissage",
    "contrat.type_contrat": "Type de contrat ou d'avenant",
    "contrat.type_derogation": "Type de dérogation",
    "contrat.remunerations.*.reference": "Rémunération : SMIC ou SMC",
    "formation.diplome_vise": "Diplôme ou titre visé par l'apprenti",
}


def _suggestion(value: str, valid: frozenset[str]) -> str | None:
    """The code the user probably meant: without spaces, in capitals, or with its zero."""
    stripped = value.strip()
    for candidate in (stripped, stripped.upper(), stripped.zfill(2), stripped.lower()):
        if candidate in valid:
            return candidate
    return None


def _table_rule(pattern: str, table: codes.Choices, box: str) -> CheckFn:
    valid = codes.codes(table)

    def check(d: Dossier, ctx: Context):
        for path in _expand(d, pattern):
            value = get_path(d, path)
            if not isinstance(value, str) or value == "" or value in valid:
                continue
            hint = _suggestion(value, valid)
            if hint is not None:
                advice = f"écrivez « {hint} » ({codes.label(table, hint)})."
            else:
                advice = "choisissez l'une des valeurs de la liste de la notice."
            yield path, f"« {value} » n'est pas un code de la liste « {box} » : {advice}"

    return check


for _pattern, _table in codes.FIELD_TABLES.items():
    _box = _BOX_NAMES[_pattern]
    _register(
        f"{_pattern.replace('.*', '')}.hors_liste",
        "error",
        f"Notice 51649#09 (CERFA 10103*14), liste « {_box} »",
        f"The box « {_box} » takes only a code of its notice table (rules/codes.py); "
        "any other value cannot be filed.",
        _table_rule(_pattern, _table, _box),
    )
