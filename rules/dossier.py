"""The dossier: every value of one CERFA FA13 n°10103*14, as typed Python objects.

Dossier format v1 (``"format": "cerfa-fa13/1"``) is the project's data contract: the
command line reads it, the wizard exports and re-imports it, batches are made of it.
The dataclasses below *are* the format: the loader, the dumper and the JSON Schema
(``docs/dossier-v1.schema.json``) are all derived from their type hints, so the three
can never disagree.

Rules of the format (see ``docs/format-dossier.md``):

- every key may be missing or ``null`` (a draft is incomplete, never unreadable);
- only a wrong *type*, an unknown ``format`` or a text longer than its box on the form
  could ever show (``rules/limits.py``) makes a file unreadable;
- unknown keys are ignored and remembered (``Dossier.ignored_keys``) so that ``check``
  can warn about them.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import math
import re
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Union

from rules import limits

FORMAT = "cerfa-fa13/1"

# A JSON number kept as it was written (43 stays 43, 43.5 stays 43.5).
Number = Union[int, float]  # noqa: UP007 - the loader dispatches on this exact alias

# RFC 8259 §6: past 2**53, JSON numbers are not read alike by all software. NaN and
# Infinity, which Python's json accepts, are not JSON at all.
MAX_NUMBER = 2**53 - 1

# ASCII digits only (Python's \d takes any script's), matched whole (``fullmatch``: a
# pattern's $ would accept a final line break).
_MONEY = re.compile(r"\d{1,9}(\.\d{1,2})?", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# Plausible years for any date of a contract (births of maîtres included). Beyond them a
# date is a typing slip, and date arithmetic near year 9999 would overflow.
MIN_YEAR, MAX_YEAR = 1900, 2199
# Items of a list (maîtres, remuneration lines): the form has room for 2 and 8, and the
# rules report the extra ones; a longer list is no dossier, and each item costs every rule
# a turn (60,000 empty lines in a 200 kB body took seconds to check).
MAX_ITEMS = 100


class DossierError(ValueError):
    """The file cannot be read as a dossier. The message is one line of plain French."""


class _UnusableNumber:
    """A number of the JSON text this service does not read (NaN, Infinity, too big).

    The parser keeps it as written; the loader refuses it where it stands, naming the key
    (in an unknown key, it is ignored like any other value).
    """

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return _short(self.text)


def _parse_int(text: str) -> int | _UnusableNumber:
    # Longer texts are not even converted: past 4300 digits Python refuses to.
    if len(text.lstrip("-")) > len(str(MAX_NUMBER)) or abs(int(text)) > MAX_NUMBER:
        return _UnusableNumber(text)
    return int(text)


def _parse_float(text: str) -> float | _UnusableNumber:
    value = float(text)
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        return _UnusableNumber(text)
    return value


class _JsonObject(dict):
    """A JSON object that remembers the keys its text wrote more than once."""

    duplicates: tuple[str, ...] = ()


def _object_pairs(pairs: list[tuple[str, Any]]) -> _JsonObject:
    # Python's json keeps the last of two equal keys, other software the first: such a
    # file does not say which value is meant.
    obj = _JsonObject(pairs)
    if len(obj) < len(pairs):
        seen: set[str] = set()
        obj.duplicates = tuple(k for k, _ in pairs if k in seen or seen.add(k))
    return obj


@dataclass
class Adresse:
    numero: str | None = None
    voie: str | None = None
    complement: str | None = None
    code_postal: str | None = None
    commune: str | None = None


@dataclass
class Employeur:
    prive_public: str | None = None
    denomination: str | None = None
    siret: str | None = None
    adresse: Adresse = field(default_factory=Adresse)
    telephone: str | None = None
    courriel: str | None = None
    type_employeur: str | None = None
    employeur_specifique: str | None = None
    code_ape: str | None = None
    effectif: int | None = None
    code_idcc: str | None = None
    adhesion_regime_assurance_chomage: bool | None = None


@dataclass
class RepresentantLegal:
    nom_naissance: str | None = None
    prenom: str | None = None
    adresse: Adresse = field(default_factory=Adresse)
    courriel: str | None = None


@dataclass
class Apprenti:
    nom_naissance: str | None = None
    nom_usage: str | None = None
    prenom: str | None = None
    nir: str | None = None
    date_naissance: datetime.date | None = None
    sexe: str | None = None
    departement_naissance: str | None = None
    commune_naissance: str | None = None
    nationalite: str | None = None
    regime_social: str | None = None
    adresse: Adresse = field(default_factory=Adresse)
    telephone: str | None = None
    courriel: str | None = None
    sportif_haut_niveau: bool | None = None
    rqth: bool | None = None
    equivalence_jeunes: bool | None = None
    extension_boe: bool | None = None
    situation_avant_contrat: str | None = None
    dernier_diplome_prepare: str | None = None
    derniere_classe: str | None = None
    intitule_dernier_diplome: str | None = None
    diplome_plus_eleve: str | None = None
    projet_creation_reprise_entreprise: bool | None = None
    representant_legal: RepresentantLegal | None = None


@dataclass
class Maitre:
    nom_naissance: str | None = None
    prenom: str | None = None
    date_naissance: datetime.date | None = None
    courriel: str | None = None
    emploi_occupe: str | None = None
    diplome_plus_eleve: str | None = None
    niveau_diplome: str | None = None


@dataclass
class DureeHebdo:
    heures: int | None = None
    minutes: int | None = None

    @property
    def total_minutes(self) -> int | None:
        """The week in minutes; None while the hours are not given."""
        if self.heures is None:
            return None
        return self.heures * 60 + (self.minutes or 0)


@dataclass
class Remuneration:
    annee: int | None = None
    periode: int | None = None
    du: datetime.date | None = None
    au: datetime.date | None = None
    taux: Number | None = None
    reference: str | None = None


@dataclass
class AvantagesNature:
    nourriture_par_repas: Decimal | None = None
    logement_par_mois: Decimal | None = None
    autre: str | None = None


@dataclass
class Contrat:
    mode_contractuel: str | None = None
    type_contrat: str | None = None
    type_derogation: str | None = None
    numero_contrat_precedent: str | None = None
    date_conclusion: datetime.date | None = None
    date_debut_execution: datetime.date | None = None
    date_debut_formation_pratique: datetime.date | None = None
    date_effet_avenant: datetime.date | None = None
    date_fin: datetime.date | None = None
    duree_hebdo: DureeHebdo = field(default_factory=DureeHebdo)
    machines_dangereuses: bool | None = None
    remunerations: list[Remuneration] = field(default_factory=list)
    smc: Decimal | None = None
    salaire_brut_embauche: Decimal | None = None
    caisse_retraite_complementaire: str | None = None
    avantages_nature: AvantagesNature = field(default_factory=AvantagesNature)


@dataclass
class Etablissement:
    """A CFA responsable or a lieu principal de formation."""

    denomination: str | None = None
    uai: str | None = None
    siret: str | None = None
    adresse: Adresse = field(default_factory=Adresse)


@dataclass
class Formation:
    cfa_entreprise: bool | None = None
    cfa: Etablissement = field(default_factory=Etablissement)
    cfa_est_lieu_principal: bool | None = None
    lieu_principal: Etablissement | None = None
    diplome_vise: str | None = None
    intitule_precis: str | None = None
    code_diplome: str | None = None
    code_rncp: str | None = None
    date_debut_cfa: datetime.date | None = None
    date_fin_epreuves: datetime.date | None = None
    duree_heures: int | None = None
    heures_distance: int | None = None


@dataclass
class Signature:
    fait_a: str | None = None
    attestation_pieces_justificatives: bool | None = None


@dataclass
class Dossier:
    employeur: Employeur = field(default_factory=Employeur)
    apprenti: Apprenti = field(default_factory=Apprenti)
    maitres: list[Maitre] = field(default_factory=list)
    attestation_maitre_eligibilite: bool | None = None
    contrat: Contrat = field(default_factory=Contrat)
    formation: Formation = field(default_factory=Formation)
    signature: Signature = field(default_factory=Signature)
    # Dotted paths of the keys the file had and the format does not know; not dumped.
    ignored_keys: list[str] = field(default_factory=list, repr=False, compare=False)

    # -- JSON --------------------------------------------------------------------------

    @classmethod
    def from_json(cls, text: str | bytes) -> Dossier:
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise DossierError(
                    "Le fichier n'est pas un texte UTF-8 : est-ce bien un dossier .json ?"
                ) from None
        try:
            data = json.loads(
                text,
                parse_int=_parse_int,
                parse_float=_parse_float,
                parse_constant=_UnusableNumber,
                object_pairs_hook=_object_pairs,
            )
        except json.JSONDecodeError as exc:
            raise DossierError(
                f"Le fichier n'est pas du JSON valide (ligne {exc.lineno}, colonne {exc.colno})."
            ) from exc
        except RecursionError:
            raise DossierError(
                "Le fichier est imbriqué bien trop profondément pour être un dossier."
            ) from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Any) -> Dossier:
        if not isinstance(data, dict):
            raise DossierError("Le dossier doit être un objet JSON { … }, pas " + _kind(data) + ".")
        for key in getattr(data, "duplicates", ()):
            if key == "format" or key in _hints(cls):
                raise DossierError(_twice(key))
        fmt = data.get("format", FORMAT)
        if fmt is None:
            fmt = FORMAT
        if fmt != FORMAT:
            raise DossierError(
                f"Format de dossier inconnu : « {_short(fmt)} ». "
                f"Ce service lit le format « {FORMAT} »."
            )
        ignored: list[str] = []
        body = {k: v for k, v in data.items() if k != "format"}
        dossier = _load_dataclass(cls, body, "", ignored)
        dossier.ignored_keys = ignored
        return dossier

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"format": FORMAT}
        out.update(_dump(self))
        return out

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


# -- generic loading / dumping, driven by the type hints -------------------------------

_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        hints = typing.get_type_hints(cls)
        _HINTS[cls] = {
            f.name: hints[f.name] for f in dataclasses.fields(cls) if f.name != "ignored_keys"
        }
    return _HINTS[cls]


def fields_of(cls: type) -> dict[str, Any]:
    """The format's keys of a dataclass, in order, with their type hints."""
    return _hints(cls)


@functools.cache  # read for every value of every dossier loaded: the hints never change
def unwrap_optional(hint: Any) -> tuple[Any, bool]:
    """``X | None`` → (X, True); ``X`` → (X, False). ``Number`` stays whole."""
    if hint == Number:
        return hint, False
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (Union, types.UnionType) and type(None) in args:
        rest = tuple(a for a in args if a is not type(None))
        if len(rest) == 1:
            return rest[0], True
        return Union[rest], True  # noqa: UP007
    return hint, False


def _join(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


def _load_dataclass(cls: type, data: Any, path: str, ignored: list[str]) -> Any:
    if not isinstance(data, dict):
        raise DossierError(_where(path) + f" doit être un objet {{ … }}, pas {_kind(data)}.")
    hints = _hints(cls)
    for key in getattr(data, "duplicates", ()):
        if key in hints:
            raise DossierError(_twice(_join(path, key)))
    values = {}
    for key, value in data.items():
        if key not in hints:
            ignored.append(_join(path, _printable(key)))
            continue
        values[key] = _load_value(hints[key], value, _join(path, key), ignored)
    return cls(**{k: v for k, v in values.items() if v is not None or _is_optional(hints[k])})


def _is_optional(hint: Any) -> bool:
    return unwrap_optional(hint)[1]


def _load_value(hint: Any, value: Any, path: str, ignored: list[str]) -> Any:
    inner, optional = unwrap_optional(hint)
    if value is None:
        # A null object or list reads as an empty one: "not answered".
        return None
    if isinstance(value, float) and not math.isfinite(value):
        value = _UnusableNumber(str(value))
    if isinstance(value, _UnusableNumber):
        raise DossierError(
            _where(path)
            + (
                f" : {value} n'est pas un nombre JSON ; écrivez un nombre."
                if value.text.lstrip("-+").lower() in ("nan", "infinity", "inf")
                else f" : le nombre {value} est bien trop grand (au plus {MAX_NUMBER})."
            )
        )
    if dataclasses.is_dataclass(inner):
        return _load_dataclass(inner, value, path, ignored)
    if typing.get_origin(inner) is list:
        (item,) = typing.get_args(inner)
        if not isinstance(value, list):
            raise DossierError(_where(path) + f" doit être une liste [ … ], pas {_kind(value)}.")
        if len(value) > MAX_ITEMS:
            raise DossierError(
                _where(path) + f" a {len(value)} éléments, pour {MAX_ITEMS} au plus : le "
                "formulaire en montre bien moins."
            )
        # A null object in a list is an unanswered one: it keeps its place (maître n°1
        # stays n°1), and the rules never meet a None where they expect an object.
        blank = dataclasses.is_dataclass(item)
        return [
            item() if v is None and blank else _load_value(item, v, _join(path, i), ignored)
            for i, v in enumerate(value)
        ]
    if inner is str:
        if isinstance(value, str) and not _is_unicode(value):
            raise DossierError(
                _where(path)
                + f" contient un code qui n'est pas un caractère : « {_short(value)} »."
            )
        if not isinstance(value, str):
            raise DossierError(
                _where(path)
                + f" doit être un texte entre guillemets, pas {_kind(value)}."
                + (
                    ' Les codes s\'écrivent en texte pour garder leurs zéros : "01".'
                    if isinstance(value, int) and not isinstance(value, bool)
                    else ""
                )
            )
        limit = limits.max_length(path)
        if len(value) > limit:
            raise DossierError(
                _where(path) + f" est trop long : {len(value)} caractères, pour {limit} au plus "
                "(ce que sa case du formulaire peut afficher). Abrégez-le."
            )
        return value
    if inner is bool:
        if not isinstance(value, bool):
            raise DossierError(_where(path) + f" doit être true ou false, pas {_kind(value)}.")
        return value
    if inner is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DossierError(_where(path) + f" doit être un nombre entier, pas {_kind(value)}.")
        return value
    if inner == Number:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DossierError(_where(path) + f" doit être un nombre, pas {_kind(value)}.")
        return value
    if inner is datetime.date:
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            raise DossierError(
                _where(path) + f" doit être une date au format AAAA-MM-JJ, pas {_kind(value)}."
            )
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise DossierError(
                _where(path) + f" n'est pas une date qui existe : « {value} »."
            ) from exc
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise DossierError(
                _where(path) + f" a une année invraisemblable : « {value} » "
                f"(entre {MIN_YEAR} et {MAX_YEAR})."
            )
        return day
    if inner is Decimal:
        if not isinstance(value, str) or not _MONEY.fullmatch(value):
            raise DossierError(
                _where(path)
                + f" doit être un montant en texte, avec un point et deux décimales au plus "
                f'("1823.03"), pas {_kind(value)}.'
            )
        return Decimal(value)
    raise TypeError(f"type non géré : {hint!r}")  # a programming error, never user input


def _dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _dump(getattr(value, name)) for name in _hints(type(value))}
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _where(path: str) -> str:
    return f"Dossier illisible : « {path} »" if path else "Dossier illisible : le dossier"


def _is_unicode(text: str) -> bool:
    """False for a text holding a lone surrogate (JSON's "\\ud800"), which can be neither
    printed nor saved as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _twice(path: str) -> str:
    return (
        f"Dossier illisible : « {path} » est écrit deux fois : gardez une seule des deux "
        "valeurs (chaque clé une seule fois par objet)."
    )


def _short(value: Any) -> str:
    """A value quoted in a message: 40 characters at most, on one line (a line break or
    any other control character written as its escape, ``\\n``)."""
    text = str(value)
    return _printable(text if len(text) <= 40 else text[:40] + "…")


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "un booléen (" + ("true" if value else "false") + ")"
    if isinstance(value, int | float | _UnusableNumber):
        return f"le nombre {value}"
    if isinstance(value, str):
        return f"le texte « {_short(value)} »"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "un objet"
    return type(value).__name__


# -- paths -----------------------------------------------------------------------------


def is_blank(value: Any) -> bool:
    """Not answered: None, or a text holding only spaces (a draft may leave any box so)."""
    return value is None or (isinstance(value, str) and not value.strip())


def get_path(dossier: Any, path: str) -> Any:
    """The value at a dotted path ("maitres.0.prenom"); None where any step is missing."""
    node = dossier
    for part in path.split("."):
        if node is None:
            return None
        if isinstance(node, list):
            # ASCII digits only: int() would take "٣" and crash on "²", both digits
            # to str.isdigit().
            if not (part.isascii() and part.isdigit()) or int(part) >= len(node):
                return None
            node = node[int(part)]
        else:
            node = getattr(node, part, None)
    return node


def put_path(tree: dict, path: str, value: Any) -> None:
    """Write ``value`` at a dotted path (``maitres.0.prenom``) of a dossier's JSON tree,
    creating the objects and list places that are missing (the wizard's steps and a
    spreadsheet's rows are written this way before ``Dossier.from_dict``)."""
    parts = path.split(".")
    node: Any = tree
    for part, following in zip(parts, parts[1:], strict=False):
        nxt: Any = [] if following.isdigit() else {}
        if isinstance(node, list):
            index = int(part)
            while len(node) <= index:
                node.append(None)
            if node[index] is None:
                node[index] = nxt
            node = node[index]
        else:
            node = node.setdefault(part, nxt)
    last = parts[-1]
    if isinstance(node, list):
        index = int(last)
        while len(node) <= index:
            node.append(None)
        node[index] = value
    else:
        node[last] = value
