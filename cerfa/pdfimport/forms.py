"""A filled CERFA's boxes back into a dossier, through a field map: the inverse of each
format of ``cerfa/pdf/fieldmap.py`` (``parse_value``), for the 10103*14's own map and for
the older versions' maps (``maps/``, same formats, see their README).

What a box cannot say for sure is never guessed: it is left out, and a note names it by
its label. A form that has no box for a value of format v1 says so in a note too, as does
a code read on an older form whose list has changed since.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cerfa.pdf.fieldmap import FIELD_MAP, MapEntry, load_map, parse_value
from cerfa.pdfimport.pdf import Box
from rules.dossier import put_path

MAPS = Path(__file__).resolve().parent / "maps"
_SELECTOR = re.compile(r"^(?P<list>[\w.]+)\[(?P<annee>\d)\.(?P<periode>\d)\]\.(?P<field>\w+)$")
_SHOWN = 40  # characters of an unreadable value quoted in its note

# What each format expects, said to the user when a box does not hold it.
EXPECTED = {
    "int": "un nombre entier",
    "date": "une date jj/mm/aaaa",
    "money": "un montant en euros",
    "percent": "un pourcentage",
}

# Code lists that changed after the older forms (../shared/reference/cerfa-10103-14-codes-
# and-rules.md §0.1, from the government generator's *12 lists and the *14 notice): a code
# read on such a form is kept, with a note when it is one whose meaning changed or that no
# longer exists.
_DIPLOMAS_GONE = {"61", "71", "72", "74"}
_DIPLOMA_PATHS = (
    "apprenti.dernier_diplome_prepare",
    "apprenti.diplome_plus_eleve",
    "formation.diplome_vise",
)


def _diploma_note(code: str) -> str | None:
    if code in _DIPLOMAS_GONE:
        return (
            f"le code « {code} » n'existe plus dans la liste du CERFA 10103*14 (les masters "
            "sont désormais 73, les diplômes d'ingénieur 75, d'école de commerce 76) : "
            "choisissez le code actuel"
        )
    if code == "35":
        return (
            "le code « 35 » (« Mention complémentaire » sur les anciens formulaires) désigne "
            "désormais un « Certificat de spécialisation » : vérifiez-le"
        )
    return None


def _contract_type_note(code: str) -> str | None:
    if code == "35":
        return (
            "le type « 35 » était « Modification du diplôme préparé » sur les anciens "
            "formulaires ; il désigne désormais un diplôme supplémentaire préparé "
            "(C. trav. art. L6222-22-1) : vérifiez-le"
        )
    return None


OLD_CODE_CHANGES = {
    **dict.fromkeys(_DIPLOMA_PATHS, _diploma_note),
    "contrat.type_contrat": _contract_type_note,
}


@dataclass(frozen=True)
class Version:
    """One version of the form, its map, and how to tell it from the others."""

    source: str  # what ``Imported.source`` says: "CERFA 10103*13"
    entries: tuple[MapEntry, ...]
    printed: str | None = None  # the number printed on page 1, when maps are shared
    code_changes: dict[str, Any] = field(default_factory=dict)
    page_digest: str = ""  # its blank form's ``pdf.contents_digest`` of page 1, if shared

    @functools.cached_property
    def names(self) -> frozenset[str]:
        return frozenset(e.name for e in self.entries)


@functools.cache
def versions() -> tuple[Version, ...]:
    modif_file = MAPS / "cerfa_10103-11-12_modif.json"
    modif = load_map(modif_file, old_formats=True)
    digests = json.loads(modif_file.read_text(encoding="utf-8"))["page_1_contents_sha256"]
    return (
        Version("CERFA 10103*14", FIELD_MAP),
        Version(
            "CERFA 10103*13",
            load_map(MAPS / "cerfa_10103-13.json", old_formats=True),
            code_changes={p: _diploma_note for p in _DIPLOMA_PATHS},
        ),
        Version("CERFA 10103*12", modif, "12", OLD_CODE_CHANGES, digests["CERFA 10103*12"]),
        Version("CERFA 10103*11", modif, "11", OLD_CODE_CHANGES, digests["CERFA 10103*11"]),
        Version(
            "CERFA 10103*10",
            load_map(MAPS / "cerfa_10103-10.json", old_formats=True),
            code_changes=OLD_CODE_CHANGES,
        ),
    )


def identify(boxes: dict[str, Box], page_text, page_digest=lambda: "") -> Version | None:
    """The version whose fields these are (nearly all the names of one map, and few
    others), or None. Two versions with the same fields are told apart by their first
    page (its content, as on the blank form, else the form number printed on it)."""
    names = {name for name, box in boxes.items() if box.kind != "/Sig"}
    if not names:
        return None
    best, score = [], 0.0
    for version in versions():
        mapped = {e.name for e in version.entries}
        overlap = len(names & mapped) / len(names | mapped)
        if overlap > score + 1e-9:
            best, score = [version], overlap
        elif abs(overlap - score) <= 1e-9:
            best.append(version)
    if score < 0.9:
        return None
    if len(best) == 1:
        return best[0]
    digest = page_digest()
    for version in best:
        if digest and version.page_digest == digest:
            return version
    numbers = set(re.findall(r"10103\s*\*\s*(\d{2})", page_text()))
    for version in best:
        if version.printed in numbers:
            return version
    return best[0]


# -- labels ---------------------------------------------------------------------------


@functools.cache
def _labels() -> dict[str, str]:
    from cerfa.batch.labels import path_labels  # the wizard's own labels

    return path_labels()


def _line_index(annee: int, periode: int) -> int:
    return (annee - 1) * 2 + (periode - 1)  # the wizard's order of the grid's lines


def label(path: str) -> str:
    """The French label of a dossier path (a grid selector named by its year and period)."""
    match = _SELECTOR.match(path)
    if match:
        annee, periode = int(match["annee"]), int(match["periode"])
        indexed = f"{match['list']}.{_line_index(annee, periode)}.{match['field']}"
        return _labels().get(indexed, f"Rémunération, année {annee}, période {periode}")
    found = _labels().get(path)
    if found:
        return found
    if path.startswith("maitres."):
        _m, index, rest = path.split(".", 2)
        return f"Maître d'apprentissage n°{int(index) + 1} : {label_tail(rest)}"
    return path


def label_tail(name: str) -> str:
    return name.replace("_", " ")


def _quoted(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


# -- the inverse ----------------------------------------------------------------------


@dataclass
class Reading:
    """A form read through a map: the value of each path (selectors for the grid), and
    the notes."""

    values: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # paths left out


def read_boxes(entries: tuple[MapEntry, ...], boxes: dict[str, Box]) -> Reading:
    """Every path the map's boxes answer, each format inverted (``parse_value``), the
    parts of a value (a date's three boxes, an amount's two, a yes/no pair, the boxes of
    one code, an e-mail's parts) put together."""
    reading = Reading()
    groups: dict[str, list[tuple[MapEntry, Box | None]]] = {}
    for entry in entries:
        if entry.format == "reserved":
            box = boxes.get(entry.name)
            if box is not None and box.text and box.text.strip():
                reading.notes.append(
                    "Le cadre réservé à l'organisme en charge du dépôt porte « "
                    f"{_quoted(box.text.strip())} » : il n'est pas repris (s'il s'agit du "
                    "numéro de dépôt du contrat, c'est le « numéro du contrat précédent » "
                    "d'un avenant)."
                )
            continue
        if entry.format == "dropped":
            box = boxes.get(entry.name)
            if box is not None and box.text and box.text.strip():
                reading.notes.append(
                    f"La case « {entry.name} » de ce formulaire n'existe plus sur le CERFA "
                    "10103*14 : sa valeur n'est pas reprise."
                )
            continue
        groups.setdefault(entry.paths[0], []).append((entry, boxes.get(entry.name)))
    for path, members in groups.items():
        _read_group(path, members, reading)
    return reading


def _unreadable(reading: Reading, path: str, shown: str, expected: str) -> None:
    reading.unreadable.append(path)
    reading.notes.append(
        f"« {label(path)} » n'a pas pu être lu"
        + (f" (« {_quoted(shown)} » n'est pas {expected})" if shown else f" ({expected})")
        + " : saisissez-le à nouveau."
    )


# How the boxes of one value are put together, each kind with what its boxes show when
# they cannot be read, and what was expected.
_DATE_PARTS = ("day", "month", "year")
_AMOUNT_PARTS = ("euros", "cents")
_EMAIL_PARTS = ("email_local", "email_domain", "email_domain_more")


def _date(texts: dict[str, str]) -> str:
    day, month, year = (parse_value(p, texts.get(p, "")) for p in _DATE_PARTS)
    return date(year, month, day).isoformat()  # ValueError for 31/02


def _amount(texts: dict[str, str]) -> str:
    # No cents written is whole euros; cents without euros say nothing.
    cents = parse_value("cents", texts["cents"]) if texts.get("cents") else "00"
    return f"{int(parse_value('euros', texts.get('euros', '')))}.{cents}"


def _email(texts: dict[str, str]) -> str:
    local, domain = texts.get("email_local", ""), texts.get("email_domain", "")
    domain += texts.get("email_domain_more", "")
    if not local or not domain:
        raise ValueError("incomplete")
    return f"{local}@{domain}"


_KINDS = (
    (_DATE_PARTS, _date, " / ", "une date valide"),
    (_AMOUNT_PARTS, _amount, ",", "un montant en euros et centimes"),
    (_EMAIL_PARTS, _email, "@", "une adresse électronique complète"),
)


def _read_group(path: str, members: list[tuple[MapEntry, Box | None]], reading: Reading) -> None:
    """The value at ``path`` from the boxes that show it (``members``)."""
    present = [(e, b) for e, b in members if b is not None]
    if not present:
        return
    if any(box.unreadable for _e, box in present):
        _unreadable(reading, path, "", "sa valeur n'est pas un texte lisible")
        return
    if all(e.is_checkbox for e, _b in present):
        _read_ticks(path, present, reading)
        return
    texts = {e.format: (b.text or "").strip() for e, b in present}
    if not any(texts.values()):
        return
    formats = set(texts)
    for parts, combine, joint, expected in _KINDS:
        if formats & set(parts):
            try:
                reading.values[path] = combine(texts)
            except ValueError:
                shown = joint.join(texts[f] for f in parts if f in texts)
                _unreadable(reading, path, shown, expected)
            return
    (entry, _box), *_ = present
    try:
        value = parse_value(entry.format, texts[entry.format])
    except ValueError:
        _unreadable(reading, path, texts[entry.format], EXPECTED.get(entry.format, "lisible"))
        return
    if entry.format == "join":
        reading.notes.append(
            f"« {_quoted(value)} » est écrit dans une seule case pour "
            + " et ".join(f"« {label(p)} »" for p in entry.paths)
            + f" : il est repris comme « {label(entry.paths[0])} », séparez-les."
        )
    reading.values[path] = value


def _read_ticks(path: str, present: list[tuple[MapEntry, Box]], reading: Reading) -> None:
    ticked = [e for e, b in present if b.ticked]
    if not ticked:
        # An unticked lone box (« Oui » only) is not a « Non »: not answered.
        return
    answers = set()
    for entry in ticked:
        if entry.format == "yes":
            answers.add(True)
        elif entry.format == "no":
            answers.add(False)
        else:
            answers.add(entry.format.split(":", 1)[1])
    if len(answers) > 1:
        _unreadable(reading, path, "", "plusieurs cases contraires sont cochées")
        return
    (reading.values[path],) = answers


def to_tree(values: dict[str, Any]) -> dict[str, Any]:
    """The dossier JSON tree of the values read (format v1), the grid's lines in order."""
    tree: dict[str, Any] = {}
    lines: dict[tuple[int, int], dict[str, Any]] = {}
    for path, value in values.items():
        match = _SELECTOR.match(path)
        if match:
            key = (int(match["annee"]), int(match["periode"]))
            lines.setdefault(key, {"annee": key[0], "periode": key[1]})[match["field"]] = value
        else:
            put_path(tree, path, value)
    if lines:
        put_path(tree, "contrat.remunerations", [lines[k] for k in sorted(lines)])
    maitres = tree.get("maitres")
    if isinstance(maitres, list):
        # A second maître without a first (an old form filled from its right column).
        tree["maitres"] = [m if m is not None else {} for m in maitres]
    representant = tree.get("apprenti", {}).get("representant_legal")
    if representant is not None and not isinstance(representant, dict):
        del tree["apprenti"]["representant_legal"]
    return tree


def missing_notes(version: Version, reading: Reading) -> list[str]:
    """What the older form has no box for, and the codes whose lists changed since."""
    notes = []
    if version.entries is not FIELD_MAP:
        mapped = {p for e in version.entries for p in e.paths}
        absent = []
        for entry in FIELD_MAP:
            for path in entry.paths:
                if path not in mapped and path not in absent:
                    absent.append(path)
        if absent:
            notes.append(
                f"Le {version.source} n'a pas de case pour : "
                + ", ".join(f"« {label(p)} »" for p in absent)
                + ". Complétez-les : le CERFA 10103*14 les demande."
            )
    for path, explain in version.code_changes.items():
        value = reading.values.get(path)
        if isinstance(value, str):
            said = explain(value)
            if said:
                notes.append(f"« {label(path)} » ({version.source}) : {said}.")
    return notes
