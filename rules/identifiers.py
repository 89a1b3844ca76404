"""Validators of the identifiers written on the CERFA, on plain strings.

Each validator takes the value as typed and returns a ``Result``: ``ok``, and when it is not,
the French reason (what is wrong and what to do) and ``fault``, a short word saying which
part failed ("format", "cle"…) so that a rule can pick its own code. Spaces (and, for the
NIR and phone numbers, dots and dashes) are ignored, as people copy numbers in groups.

Nothing here reads a dossier: ``rules/checks/identifiers.py`` applies these validators to
the dossier's fields. Algorithms and sources: the project's reference
``cerfa-10103-14-codes-and-rules.md`` §2 and the OPCO Atlas FAQ (NIA / NTT, code diplôme
``99999999``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import luhn


@dataclass(frozen=True)
class Result:
    ok: bool
    reason: str = ""  # French; empty when ok
    fault: str = ""  # which part failed: "vide", "format", "cle"…; empty when ok

    def __bool__(self) -> bool:
        return self.ok


OK = Result(True)


def _bad(fault: str, reason: str) -> Result:
    return Result(False, reason, fault)


def compact(value: str, strip: str = " ") -> str:
    """The value without the separators in ``strip`` (and without non-breaking spaces)."""
    value = value.replace("\u00a0", " ").replace("\u202f", " ")
    return "".join(ch for ch in value if ch not in strip).strip()


def is_ascii_digits(value: str) -> bool:
    """Only the digits 0 to 9. Python's ``str.isdigit()`` (and ``\\d`` without
    ``re.ASCII``) also takes other scripts' digits ("٠٧٥") and superscripts ("²"), which
    ``int()`` reads but no registry, form or API does; every pattern here is ``re.ASCII``
    for the same reason."""
    return value.isascii() and value.isdigit()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("s" if n > 1 else "")


# -- NIR, NIA, NTT -----------------------------------------------------------------------


# Months of a NIR that are not a calendar month: INSEE writes 20, 30-42 or 50-99 when the
# civil status is incomplete (net-entreprises, reference §2.1). They are never compared
# with the birth date.
def _month_is_fictitious(mm: str) -> bool:
    n = int(mm)
    return n == 20 or 30 <= n <= 42 or n >= 50


def _month_is_allowed(mm: str) -> bool:
    return 1 <= int(mm) <= 12 or _month_is_fictitious(mm)


def nir_key(first13: str) -> str:
    """The two-digit key of a NIR or NIA: 97 − (N mod 97), N being the first 13 characters
    read as a number once Corsica's "2A" and "2B" are replaced by 19 and 18 (INSEE)."""
    number = int(first13.upper().replace("2A", "19").replace("2B", "18"))
    return f"{97 - number % 97:02d}"


@dataclass(frozen=True)
class NirResult(Result):
    """A checked NIR, NIA or NTT, and what its digits say when it is valid."""

    kind: str = ""  # "nir", "nia" or "ntt"
    number: str = ""  # the compacted value
    sexe: str | None = None  # "M" or "F", from the first digit
    annee: str | None = None  # 2 digits: the last two of the birth year (nir, nia)
    mois: str | None = None  # 2 digits, maybe fictitious (nir, nia)
    siren_verifie: bool = False  # ntt: its SIREN was compared with the employer's

    @property
    def mois_fictif(self) -> bool:
        return self.mois is not None and _month_is_fictitious(self.mois)

    @property
    def lieu(self) -> str | None:
        """Birth place part: 2 characters ("69", "2A", "99"), 3 for overseas ("971")."""
        if self.kind not in ("nir", "nia"):
            return None
        return self.number[5:8] if self.number[5:7] in ("97", "98") else self.number[5:7]


_NIR_SHAPE = re.compile(r"^\d{5}(\d{2}|2A|2B)\d{8}$", re.ASCII)
_NTT_SHAPE = re.compile(r"^[12]\d{9}[0-9A-Z]{1,5}$", re.ASCII)
_SEXE_BY_DIGIT = {"1": "M", "2": "F", "7": "M", "8": "F"}


def check_nir(value: str, siren: str | None = None) -> NirResult:
    """A NIR (n° de sécurité sociale), or one of the two temporary numbers the OPCO accepts
    in its place (Atlas FAQ): a NIA (same layout as a NIR, first digit 7 for a man, 8 for a
    woman) or an NTT (1 or 2, then the employer's SIREN, then an identifier chosen by the
    employer; 15 characters at most, no spaces).

    ``siren``: the employer's SIREN, when known. An NTT is recognised by it; without it, a
    number of 11 to 14 characters starting with 1 or 2 is taken as an unverified NTT.
    """
    number = compact(value, " .-").upper()
    if not number:
        return NirResult(False, "Le numéro est vide.", "vide")
    if siren and _NTT_SHAPE.match(number) and number[1:10] == siren:
        return NirResult(
            True, kind="ntt", number=number, sexe=_SEXE_BY_DIGIT[number[0]], siren_verifie=True
        )
    if len(number) == 15:
        return _check_nir15(number)
    if number[0] in "12" and 11 <= len(number) < 15:
        # Shorter than a NIR: only an NTT can be that long.
        if not _NTT_SHAPE.match(number):
            return NirResult(
                False,
                (
                    "Un NIR compte 15 caractères ; un numéro plus court ne peut être qu'un NTT : "
                    "1 ou 2, puis les 9 chiffres du SIREN de l'employeur, puis un identifiant en "
                    "chiffres ou lettres, sans espace."
                ),
                "format",
                number=number,
            )
        if siren:
            return NirResult(
                False,
                (
                    f"Ce numéro compte {len(number)} caractères, alors qu'un numéro de sécurité "
                    "sociale (ou un NIA) en compte 15. S'il s'agit d'un NTT, il s'écrit 1 ou 2, puis "
                    f"le SIREN de l'employeur ({siren}), puis l'identifiant choisi par l'employeur ; "
                    f"or ses chiffres 2 à 10 sont {number[1:10]}. Corrigez le numéro."
                ),
                "ntt_siren",
                kind="ntt",
                number=number,
            )
        return NirResult(True, kind="ntt", number=number, sexe=_SEXE_BY_DIGIT[number[0]])
    if number[0] in "12" and len(number) > 15:
        return NirResult(
            False,
            (
                f"Le numéro compte {len(number)} caractères : un NIR en a 15, et un NTT en a 15 au "
                "plus. Retirez les caractères en trop."
            ),
            "format",
            number=number,
        )
    return NirResult(
        False,
        (
            f"Le numéro de sécurité sociale compte 15 caractères (clé comprise) ; celui-ci en "
            f"compte {len(number)}. Recopiez-le depuis la carte Vitale ou l'attestation de "
            "droits."
        ),
        "format",
        number=number,
    )


def _check_nir15(number: str) -> NirResult:
    def bad(fault: str, reason: str) -> NirResult:
        return NirResult(False, reason, fault, number=number)

    if not _NIR_SHAPE.match(number):
        return bad(
            "format",
            (
                "Le numéro de sécurité sociale ne contient que des chiffres, sauf « 2A » ou « 2B » "
                "en 6e et 7e position pour une naissance en Corse. Vérifiez les caractères saisis."
            ),
        )
    first = number[0]
    if first not in _SEXE_BY_DIGIT:
        return bad(
            "format",
            (
                f"Un numéro de sécurité sociale commence par 1 (homme) ou 2 (femme), un NIA par 7 "
                f"ou 8 : ce numéro commence par {first}. Vérifiez le premier chiffre."
            ),
        )
    if not _month_is_allowed(number[3:5]):
        return bad(
            "format",
            (
                f"Les 4e et 5e chiffres ({number[3:5]}) devraient être le mois de naissance (01 à "
                "12, ou un mois conventionnel 20, 30 à 42, 50 à 99). Vérifiez le numéro."
            ),
        )
    if number[5:7] == "00":
        return bad(
            "format",
            (
                "Les 6e et 7e chiffres (« 00 ») devraient être le département de naissance, ou 99 "
                "pour une naissance à l'étranger. Vérifiez le numéro."
            ),
        )
    if number[7:10] == "000" or number[10:13] == "000":
        return bad(
            "format",
            (
                "Les chiffres 8 à 13 (commune de naissance et numéro d'ordre) ne peuvent pas valoir "
                "000. Vérifiez le numéro."
            ),
        )
    key = nir_key(number[:13])
    if key != number[13:]:
        return bad(
            "cle",
            (
                f"Les deux derniers chiffres (la clé, {number[13:]}) ne correspondent pas aux 13 "
                "premiers : un chiffre est faux ou deux sont inversés. Recopiez le numéro depuis la "
                "carte Vitale ou l'attestation de droits."
            ),
        )
    return NirResult(
        True,
        kind="nia" if first in "78" else "nir",
        number=number,
        sexe=_SEXE_BY_DIGIT[first],
        annee=number[1:3],
        mois=number[3:5],
    )


# Births recorded under a département that has since been divided keep the old code in the
# NIR, which is never changed: Corsica (20) was split into 2A and 2B on 1 January 1976; Seine
# (75) and Seine-et-Oise (78) into 75, 78, 91, 92, 93, 94 and 95 on 1 January 1968.
_CORSE = frozenset({"2A", "2B"})
_ILE_DE_FRANCE_1968 = frozenset({"75", "78", "91", "92", "93", "94", "95"})
# INSEE recoded three overseas territories in June 2008: Mayotte's communes went from 985xx
# to 976xx, Saint-Barthélemy from 97123 to 97701, Saint-Martin from 97127 to 97801. A NIR
# given before keeps the old code (the apprentices born there up to 2008).
_CODES_BEFORE_2008 = {"976": "985", "977": "971", "978": "971"}


def nir_matches_departement(nir: NirResult, departement: str, birth_year: int | None) -> bool:
    """Whether the birth place in a valid NIR or NIA agrees with the département de
    naissance ("99" = abroad; "971".."988" compared on 3 characters)."""
    lieu = nir.lieu
    if lieu is None:
        return True
    departement = departement.strip().upper()
    if lieu == departement:
        return True
    if birth_year is not None:
        if departement in _CORSE and lieu == "20" and birth_year < 1976:
            return True
        if departement in _ILE_DE_FRANCE_1968 and lieu in ("75", "78") and birth_year < 1968:
            return True
        if lieu == _CODES_BEFORE_2008.get(departement) and birth_year <= 2008:
            return True
    return False


# -- SIREN, SIRET ------------------------------------------------------------------------

# La Poste's establishments share the SIREN 356000000; INSEE numbered them without the
# Luhn key, with a digit sum divisible by 5 instead. Only the head office passes Luhn.
_LA_POSTE_SIREN = "356000000"
_LA_POSTE_SIEGE = "35600000000048"


def check_siren(value: str) -> Result:
    """A SIREN: 9 digits with a Luhn key (INSEE)."""
    number = compact(value)
    if not re.fullmatch(r"\d{9}", number, re.ASCII):
        return _bad(
            "format",
            (
                f"Un SIREN compte 9 chiffres ; « {value.strip()} » n'en a pas la forme. Recopiez-le "
                "depuis un extrait Kbis ou l'avis de situation INSEE."
            ),
        )
    if set(number) == {"0"}:
        return _bad("format", "Un SIREN ne peut pas être fait que de zéros.")
    if not luhn.is_valid(number):
        return _bad(
            "luhn",
            (
                "Ce SIREN n'existe pas : sa clé de contrôle est fausse (un chiffre est faux ou deux "
                "sont inversés). Recopiez-le depuis un extrait Kbis ou l'avis de situation INSEE."
            ),
        )
    return OK


def check_siret(value: str) -> Result:
    """A SIRET: the 9-digit SIREN (itself with a Luhn key) then the 5-digit NIC, Luhn over the
    14 digits; La Poste's establishments (SIREN 356000000, head office excepted): digit sum
    divisible by 5 instead of Luhn over the 14 digits."""
    number = compact(value)
    if not re.fullmatch(r"\d{14}", number, re.ASCII):
        digits = sum(is_ascii_digits(ch) for ch in number)
        return _bad(
            "format",
            (
                f"Un SIRET compte 14 chiffres (le SIREN de 9 chiffres puis 5 chiffres propres à "
                f"l'établissement) ; celui-ci a {_plural(digits, 'chiffre')}"
                + (" et d'autres caractères" if digits != len(number) else "")
                + ". Recopiez-le depuis un extrait Kbis, un bulletin de paie ou annuaire-entreprises"
                ".data.gouv.fr."
            ),
        )
    if set(number) == {"0"}:
        return _bad("format", "Un SIRET ne peut pas être fait que de zéros.")
    if not luhn.is_valid(number[:9]):
        return _bad(
            "luhn",
            (
                "Ce SIRET n'existe pas : ses 9 premiers chiffres (le SIREN de l'entreprise) ont une "
                "clé de contrôle fausse. Recopiez-le depuis un extrait Kbis, un bulletin de paie ou "
                "annuaire-entreprises.data.gouv.fr."
            ),
        )
    if number.startswith(_LA_POSTE_SIREN) and number != _LA_POSTE_SIEGE:
        valid = sum(int(ch) for ch in number) % 5 == 0
    else:
        valid = luhn.is_valid(number)
    if not valid:
        return _bad(
            "luhn",
            (
                "Ce SIRET n'existe pas : sa clé de contrôle est fausse (un chiffre est faux ou deux "
                "sont inversés). Recopiez-le depuis un extrait Kbis, un bulletin de paie ou "
                "annuaire-entreprises.data.gouv.fr."
            ),
        )
    return OK


# -- UAI ---------------------------------------------------------------------------------

# The check letter of a UAI: 23 letters, without I, O and Q (Éducation nationale, RAMSESE).
UAI_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ"


def uai_letter(digits: str) -> str:
    """The check letter of the 7 digits of a UAI: the letter at index (number mod 23)."""
    return UAI_ALPHABET[int(digits) % 23]


def check_uai(value: str) -> Result:
    """A UAI (numéro d'établissement): 7 digits then a check letter."""
    number = compact(value).upper()
    if not re.fullmatch(r"\d{7}[A-Z]", number, re.ASCII):
        return _bad(
            "format",
            (
                "Un numéro UAI compte 8 caractères : 7 chiffres puis une lettre (par exemple "
                "0561910X). Demandez-le au CFA : il figure sur sa convention de formation."
            ),
        )
    if number[7] != uai_letter(number[:7]):
        return _bad(
            "cle",
            (
                f"La lettre finale de ce numéro UAI ne correspond pas à ses 7 chiffres (elle "
                f"devrait être {uai_letter(number[:7])} s'ils sont justes) : un chiffre ou la "
                "lettre est faux. Vérifiez-le auprès du CFA."
            ),
        )
    return OK


# -- Formation ---------------------------------------------------------------------------

# Atlas FAQ: "99999999" stands in for a code diplôme not yet created.
CODE_DIPLOME_EN_ATTENTE = "99999999"
_CODE_DIPLOME = re.compile(r"[A-Z0-9]{3}\d{3}[A-Z0-9]{2}", re.ASCII)


def check_code_diplome(value: str) -> Result:
    """A code diplôme (code formation diplôme, CFD): 8 characters, 3 letters or digits, 3
    digits, 2 letters or digits; or "99999999" while the code is pending."""
    number = compact(value).upper()
    if number == CODE_DIPLOME_EN_ATTENTE or _CODE_DIPLOME.fullmatch(number):
        return OK
    return _bad(
        "format",
        (
            "Le code diplôme compte 8 caractères (par exemple 50022141) ; ce n'est pas le numéro "
            "RNCP. Demandez-le au CFA, ou écrivez 99999999 s'il n'a pas encore été attribué."
        ),
    )


def check_rncp(value: str) -> Result:
    """A code RNCP: "RNCP" then 3 to 5 digits."""
    number = compact(value).upper()
    if re.fullmatch(r"RNCP\d{3,5}", number, re.ASCII):
        return OK
    if re.fullmatch(r"\d{3,5}", number, re.ASCII):
        return _bad("format", f"Écrivez « RNCP » devant le numéro : RNCP{number}.")
    if re.fullmatch(r"RS\d+", number, re.ASCII):
        return _bad(
            "format",
            (
                "Ce code est celui d'une certification du Répertoire spécifique (RS) : seules les "
                "certifications du RNCP ouvrent droit au contrat d'apprentissage. Vérifiez la "
                "formation visée avec le CFA."
            ),
        )
    return _bad(
        "format",
        (
            "Le code RNCP s'écrit « RNCP » suivi de 3 à 5 chiffres (par exemple RNCP35908). "
            "Il figure sur la fiche de la certification sur francecompetences.fr."
        ),
    )


# -- Numéro du contrat précédent --------------------------------------------------------

# The registration number (n° de dépôt) of a contract: 15 characters, département on 3
# ("075", "02B", "974"), year on 4, month on 2, "NC" or 2 digits, then 4 digits. Layout
# from the government generator's input mask (reference §2.12), not from a legal text.
_NUMERO_CONTRAT = re.compile(r"^[09]\d[0-9AB]\d{4}(0[1-9]|1[0-2])(NC|\d{2})\d{4}$", re.ASCII)


def check_numero_contrat(value: str) -> Result:
    """A contract's registration number (numéro de dépôt), as the OPCO or the DDETS gave it."""
    number = compact(value).upper()
    if _NUMERO_CONTRAT.match(number):
        return OK
    return _bad(
        "format",
        (
            "Un numéro de contrat enregistré compte 15 caractères : le département sur 3 "
            "caractères (069, 02B, 974), l'année et le mois de dépôt (202409), puis 6 caractères "
            "(par exemple 069202409000123). Recopiez-le depuis la décision d'enregistrement du "
            "contrat précédent, que l'apprenti ou son CFA détient."
        ),
    )


# -- Employeur ---------------------------------------------------------------------------

IDCC_SANS_CONVENTION = "9999"
IDCC_NON_EN_VIGUEUR = "9998"


def check_idcc(value: str) -> Result:
    """An IDCC: 4 digits, with leading zeros; 9999 = no convention, 9998 = a convention not
    yet in force."""
    number = compact(value)
    if re.fullmatch(r"\d{4}", number, re.ASCII) and number != "0000":
        return OK
    if re.fullmatch(r"\d{1,3}", number, re.ASCII) and int(number) > 0:
        return _bad(
            "format",
            (f"L'IDCC s'écrit sur 4 chiffres, avec des zéros devant : « {number.zfill(4)} »."),
        )
    return _bad(
        "format",
        (
            "L'IDCC est le numéro de la convention collective, en 4 chiffres (il figure sur les "
            "bulletins de paie). Sans convention collective, écrivez 9999."
        ),
    )


_APE = re.compile(r"^(\d{2})\.?(\d{2})([A-Z])$", re.ASCII)
# The 88 divisions (2 first digits) of the NAF rév. 2 (décret n°2007-1888).
_NAF_DIVISIONS = frozenset(
    ["01", "02", "03"]
    + [f"{n:02d}" for n in range(5, 34)]
    + ["35", "36", "37", "38", "39"]
    + ["41", "42", "43", "45", "46", "47", "49", "50", "51", "52", "53", "55", "56"]
    + [f"{n:02d}" for n in range(58, 67)]
    + ["68"]
    + [f"{n:02d}" for n in range(69, 76)]
    + [f"{n:02d}" for n in range(77, 83)]
    + ["84", "85", "86", "87", "88"]
    + [f"{n:02d}" for n in range(90, 100)]
)


def check_ape(value: str) -> Result:
    """A code APE (NAF): 4 digits then a letter, a dot allowed after the first two."""
    number = compact(value).upper()
    if not _APE.match(number):
        return _bad(
            "format",
            (
                "Le code APE compte 4 chiffres puis une lettre (par exemple 9602A ou 96.02A). Il "
                "figure sur l'avis de situation INSEE et sur annuaire-entreprises.data.gouv.fr."
            ),
        )
    return OK


def ape_division_known(value: str) -> bool:
    """Whether the first two digits of a well-formed code APE are a NAF rév. 2 division."""
    match = _APE.match(compact(value).upper())
    return bool(match) and match.group(1) in _NAF_DIVISIONS


# -- Coordonnées -------------------------------------------------------------------------


def check_code_postal(value: str) -> Result:
    """A French postal code: 5 digits; 01 to 95 in mainland France (Corsica 20), 97 overseas,
    98 for Monaco and the Pacific collectivities."""
    number = compact(value)
    if not re.fullmatch(r"\d{5}", number, re.ASCII):
        return _bad("format", "Un code postal compte 5 chiffres (par exemple 69002).")
    if number[:2] in ("00", "96", "99"):
        return _bad(
            "format",
            (f"Aucun code postal ne commence par {number[:2]}. Vérifiez-le sur laposte.fr."),
        )
    return OK


def check_telephone(value: str) -> Result:
    """A phone number: French (10 digits from 0, or +33 and 9 digits) or international
    (+ and the country code, 8 to 15 digits, overseas France included)."""
    number = compact(value, " .-()/")
    if number.startswith("00"):
        number = "+" + number[2:]
    if re.fullmatch(r"0[1-9]\d{8}", number, re.ASCII) or re.fullmatch(
        r"\+33[1-9]\d{8}", number, re.ASCII
    ):
        return OK
    if re.fullmatch(r"\+330\d{9}", number, re.ASCII):
        return _bad("format", "Après +33, ne mettez pas le 0 : +33 6 12 34 56 78.")
    if re.fullmatch(r"\+(?!33)\d{8,15}", number, re.ASCII):
        return OK
    return _bad(
        "format",
        (
            "Un numéro de téléphone français compte 10 chiffres et commence par 0 (06 12 34 56 78) ; "
            "un numéro étranger commence par + et l'indicatif du pays."
        ),
    )


_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")


def _domain_label_ok(label: str) -> bool:
    return (
        0 < len(label) <= 63
        and not label.startswith("-")
        and not label.endswith("-")
        and all(ch.isalnum() or ch == "-" for ch in label)
    )


# Faults of an address no mail can reach (no @, no routable domain, a space, over the
# 254 characters of RFC 5321): the OPCO and the ASP write to it. A local part with a
# character the usual messageries refuse ("local") may still be delivered by a server
# that accepts it (internationalised addresses, RFC 6531).
COURRIEL_UNDELIVERABLE = frozenset({"espace", "arobase", "domaine", "extension", "longueur"})


def check_courriel(value: str) -> Result:
    """An e-mail address: one @, a usual local part, a domain with a dot and a real
    extension (the syntax of RFC 5322, as mail services accept it). ``fault`` is in
    ``COURRIEL_UNDELIVERABLE`` when no mail could reach it, "local" when only its local
    part is unusual."""
    address = value.strip()
    example = " Exemple d'adresse valide : prenom.nom@exemple.fr."
    if any(ch.isspace() for ch in address):
        return _bad("espace", "L'adresse électronique contient une espace." + example)
    if address.count("@") != 1:
        return _bad(
            "arobase",
            (
                "L'adresse électronique doit contenir un seul @."
                if "@" in address
                else "Il manque le @ dans l'adresse électronique."
            )
            + example,
        )
    local, domain = address.split("@")
    if not local:
        return _bad("arobase", "Il manque la partie avant le @." + example)
    if len(address) > 254:
        return _bad("longueur", "L'adresse électronique est trop longue (254 caractères au plus).")
    labels = domain.split(".")
    if len(labels) < 2 or not all(_domain_label_ok(lbl) for lbl in labels):
        return _bad(
            "domaine",
            (
                f"Après le @, « {domain} » n'est pas un nom de domaine (il faut par exemple "
                "exemple.fr ou gmail.com)." + example
            ),
        )
    tld = labels[-1]
    if len(tld) < 2 or not (tld.isalpha() or tld.lower().startswith("xn--")):
        return _bad(
            "extension",
            (
                f"L'extension « .{tld} » n'existe pas : elle compte au moins 2 lettres (.fr, "
                ".com…)." + example
            ),
        )
    if not _LOCAL.match(local) or len(local) > 64:
        return _bad(
            "local",
            (
                "La partie avant le @ contient un caractère que les messageries refusent (accent, "
                "virgule, point en double ou en bout…)." + example
            ),
        )
    return OK
