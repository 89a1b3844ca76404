"""Which CERFA employer type (notice §1.3) an INSEE legal category suggests.

The catégorie juridique (INSEE nomenclature, 4-digit level III, as SIRENE and
recherche-entreprises give it) says what kind of person the employer is; the CERFA asks
where it is registered (répertoire des métiers, RCS, MSA…) or, for a public employer, what
kind of administration it is. The mapping below is ours, written from the nomenclature's
headings (source: INSEE, « Catégories juridiques », niveau III); it is a *suggestion*,
always shown with a "check it" message, never a check:

Public employers (box « public »):
- 71xx État and its services → 21; 7210 and 7312 communes → 22; 7220 départements → 23;
  7230 régions → 24; 7225, 7229 other territorial collectivities → 29;
- 7364, 7365 public hospitals → 25; 7331 EPLE → 26;
- 7381 chambres consulaires and 7382-7389, 7450 national public administrative bodies → 27;
- 7321-7379 local public bodies (EPCI, syndicats, CCAS, SDIS, régies…) → 28, except
  7371 offices publics de l'habitat, which are EPIC → 30;
- 4110-4150 EPIC and industrial or commercial régies → 30;
- 4160 Banque de France, 7410 GIP, 7430, 7470, 7490 → 29.

Private employers (box « privé »), in this order:
1. agricultural bodies, whose staff are under the MSA (code rural art. L722-20: SICA,
   SMIA, SAFER, coopératives agricoles, CUMA, GAEC, groupements fonciers et forestiers,
   EARL, SCEA, Crédit agricole, MSA, Groupama) → 13;
2. a company registered at the répertoire des métiers (SIRENE gives it an "activité
   principale au registre des métiers") → 11;
3. an agricultural activity (NAF divisions 01 to 03) → 13;
4. professions libérales (SEL, SPFPL, SCP, sociétés en participation de professions
   libérales, SISA, AARPI) → 14;
5. associations (9210-9230, 9260) → 15; a groupement d'employeurs (9223) also gets
   employeur spécifique 2;
6. commercial companies and other bodies registered at the RCS (5xxx, 3110, 3120, 6100,
   6210, 6220, 6411, 6901) → 12;
7. every other private legal person (sociétés civiles, mutuelles, sécurité sociale,
   syndicats, fondations, congrégations…) → 16.

An entrepreneur individuel (1000) gets 11 or 13 under rules 2 and 3, and no suggestion
otherwise (trader, craftsperson or liberal profession cannot be told apart). An unknown
category gets none.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Suggestion:
    prive_public: str  # "prive" or "public"
    type_employeur: str
    employeur_specifique: str | None = None


_AGRICOLE = frozenset(
    {
        "5430",
        "5431",
        "5432",
        "5530",
        "5531",
        "5532",
        "5630",
        "5631",
        "5632",
        "6316",
        "6317",
        "6318",
        "6532",
        "6533",
        "6534",
        "6535",
        "6536",
        "6537",
        "6538",
        "6596",
        "6597",
        "6598",
        "8140",
        "8250",
    }
)
_LIBERALE = frozenset(
    {
        "2385",
        "5370",
        "5385",
        "5470",
        "5485",
        "5570",
        "5585",
        "5670",
        "5685",
        "5770",
        "5785",
        "6511",
        "6558",
        "6585",
        "9224",
    }
) | frozenset(str(code) for code in range(6561, 6579))
_ASSOCIATION = frozenset({"9210", "9220", "9221", "9222", "9223", "9230", "9260"})
_RCS_HORS_SOCIETES = frozenset({"3110", "3120", "6100", "6210", "6220", "6411", "6901"})
_GROUPEMENT_EMPLOYEURS = "9223"
_ENTREPRENEUR_INDIVIDUEL = "1000"


def _public_type(code: str) -> str | None:
    number = int(code)
    if code.startswith("71"):
        return "21"
    fixed = {
        "7210": "22",
        "7312": "22",
        "7220": "23",
        "7230": "24",
        "7225": "29",
        "7229": "29",
        "7364": "25",
        "7365": "25",
        "7331": "26",
        "7381": "27",
        "7450": "27",
        "7371": "30",
        "4160": "29",
        "7410": "29",
        "7430": "29",
        "7470": "29",
        "7490": "29",
    }
    if code in fixed:
        return fixed[code]
    if 7382 <= number <= 7389:
        return "27"
    if 7321 <= number <= 7379:
        return "28"
    if 4110 <= number <= 4150:
        return "30"
    return None


def _agricultural_naf(code_naf: str | None) -> bool:
    return bool(code_naf) and code_naf[:2] in ("01", "02", "03")


def suggest(
    nature_juridique: str | None, *, registre_metiers: bool = False, code_naf: str | None = None
) -> Suggestion | None:
    """The employer type suggested by an INSEE legal category (see the module docstring)."""
    code = (nature_juridique or "").strip()
    if len(code) != 4 or not (code.isascii() and code.isdigit()):
        return None
    public = _public_type(code)
    if public:
        return Suggestion("public", public)
    if code.startswith("7") or code in ("0000", "3210"):
        return None  # public or foreign-State bodies of no CERFA type we can tell
    if code in _AGRICOLE:
        return Suggestion("prive", "13")
    if registre_metiers:
        return Suggestion("prive", "11")
    if _agricultural_naf(code_naf):
        return Suggestion("prive", "13")
    if code == _ENTREPRENEUR_INDIVIDUEL:
        return None
    if code in _LIBERALE:
        return Suggestion("prive", "14")
    if code in _ASSOCIATION:
        return Suggestion("prive", "15", "2" if code == _GROUPEMENT_EMPLOYEURS else None)
    if (code.startswith("5") and code != "5195") or code in _RCS_HORS_SOCIETES:
        return Suggestion("prive", "12")
    return Suggestion("prive", "16")
