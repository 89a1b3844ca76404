"""The one map of the PDF: ``pdf_template/field_map.json``, and how each value is written.

Each of the form's 216 fields is listed once with the dossier path it shows and a format
(see ``pdf_template/README.md``). This module turns a dossier into the value of every
field: a string for a text box, True/False for a checkbox; and back (``parse_value``, the
inverse of each format, which ``cerfa/pdfimport`` uses to read a filled CERFA, ours or
another tool's, and the older versions' maps that use the same formats).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from rules.dossier import get_path, is_blank

MAP_FILE = Path(__file__).resolve().parent.parent.parent / "pdf_template" / "field_map.json"

TEXT_FORMATS = {"text", "int", "day", "month", "year", "euros", "cents", "percent", "join"}
# Boxes of the older forms (10103*10 to *12, ``cerfa/pdfimport/maps``): a whole date in one
# box (jj/mm/aaaa), an amount in one box, an e-mail address in two or three boxes (the part
# before « @ », the part after it, and its continuation on the next line).
# "dropped": a box for a value format v1 no longer has (the 10103*10's maître NIR).
OLD_TEXT_FORMATS = {"date", "money", "email_local", "email_domain", "email_domain_more"}
CHECK_FORMATS = {"yes", "no"}  # plus "equals:VALUE"
_SELECTOR = re.compile(r"^(?P<list>[\w.]+)\[(?P<annee>\d)\.(?P<periode>\d)\]\.(?P<field>\w+)$")
_ESCAPE = re.compile(r"#([0-9A-Fa-f]{2})")
# The line breaks and tabs str.split() breaks on (not the no-break space, which prints).
_BREAKS = re.compile("[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]")


def decode_field_name(raw: str) -> str:
    """The form's names hold '#C3#A0' for 'à' (LibreOffice's escaping of UTF-8 bytes)."""
    if "#" not in raw:
        return raw
    data = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), raw)
    try:
        return data.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return raw


@dataclass(frozen=True)
class MapEntry:
    name: str  # the field's name in the template, decoded
    page: int  # 1 or 2
    path: str | tuple[str, ...] | None  # dossier path(s); None for the reserved box
    format: str
    # Derived once from the above: each contract evaluates every entry.
    is_checkbox: bool = field(init=False, repr=False, compare=False)
    paths: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _first: Any = field(init=False, repr=False, compare=False)  # how to read paths[0]

    def __post_init__(self) -> None:
        fmt = self.format
        paths = (
            () if self.path is None else (self.path,) if isinstance(self.path, str) else self.path
        )
        object.__setattr__(self, "is_checkbox", fmt in CHECK_FORMATS or fmt.startswith("equals:"))
        object.__setattr__(self, "paths", tuple(paths))
        object.__setattr__(self, "_first", _reader(paths[0]) if paths else None)

    def value(self, dossier: Any) -> str | bool | None:
        """What goes into the field: str for text, bool for a checkbox, None for nothing."""
        fmt = self.format
        if fmt in ("reserved", "dropped"):
            return None
        if fmt == "join":
            parts = [resolve(dossier, p) for p in self.paths]
            text = " ".join(str(p).strip() for p in parts if not is_blank(p))
            return format_value("text", text) if text else None
        raw = self._first(dossier)
        if self.is_checkbox:
            if fmt == "yes":
                return raw is True
            if fmt == "no":
                return raw is False
            return raw is not None and raw == fmt.split(":", 1)[1]
        if is_blank(raw):  # a text of spaces only is not answered, as for the rules
            return None
        return format_value(fmt, raw)


def format_value(fmt: str, raw: Any) -> str:
    if fmt == "text":
        # A text box holds one line: line breaks and tabs typed in a draft (the font has no
        # glyph for them) become spaces.
        text = str(raw)
        return " ".join(text.split()) if _BREAKS.search(text) else text
    if fmt == "int":
        return str(raw)
    if fmt in ("day", "month", "year"):
        assert isinstance(raw, date)
        return {"day": f"{raw.day:02d}", "month": f"{raw.month:02d}", "year": f"{raw.year:04d}"}[
            fmt
        ]
    if fmt in ("euros", "cents"):
        amount = Decimal(raw).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        euros, cents = f"{amount:.2f}".split(".")
        return euros if fmt == "euros" else cents
    if fmt == "percent":
        # French decimal comma; 43 → "43", 53.5 → "53,5".
        number = Decimal(str(raw)).normalize()
        text = f"{number:f}"
        return text.replace(".", ",")
    if fmt == "date":
        assert isinstance(raw, date)
        return f"{raw.day:02d}/{raw.month:02d}/{raw.year:04d}"
    if fmt == "money":
        amount = Decimal(raw).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"{amount:.2f}".replace(".", ",")
    if fmt in ("email_local", "email_domain"):
        local, _at, domain = str(raw).partition("@")
        return local if fmt == "email_local" else domain
    if fmt == "email_domain_more":
        return ""  # the continuation box is for what the domain box cannot hold
    raise ValueError(f"format inconnu : {fmt}")


# -- the inverse: a box's text back into a dossier value --------------------------------

_INT = re.compile(r"\d{1,9}", re.ASCII)
_AMOUNT = re.compile(r"(?P<euros>\d{1,9})(?:[.,](?P<cents>\d{1,2}))?", re.ASCII)
_DATE_TEXT = re.compile(
    r"(?P<d>\d{1,2})[/.\- ](?P<m>\d{1,2})[/.\- ](?P<y>\d{4})|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})",
    re.ASCII,
)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def parse_value(fmt: str, text: str) -> Any:
    """What a box of format ``fmt`` showing ``text`` says, as a JSON value of the dossier
    (format v1: dates ISO, amounts "1823.03"); ``day``/``month``/``year`` and
    ``euros``/``cents`` give their part (an int, a text of digits), which the reader puts
    together. Raises ValueError when the text is not what the format writes."""
    text = text.strip()
    if fmt in ("text", "join", "email_local", "email_domain", "email_domain_more"):
        return " ".join(text.split()) if _BREAKS.search(text) else text
    compact = _SPACES.sub("", text)
    if fmt in ("int", "day", "month", "year"):
        if not _INT.fullmatch(compact):
            raise ValueError(text)
        return int(compact)
    if fmt == "euros":
        if not _INT.fullmatch(compact):
            raise ValueError(text)
        return compact
    if fmt == "cents":
        # Two digits, as the form's box says: "5" could be 05 or 50, never guessed.
        if not re.fullmatch(r"\d{2}", compact, re.ASCII):
            raise ValueError(text)
        return compact
    if fmt in ("percent",):
        number = compact.removesuffix("%").replace(",", ".")
        if not re.fullmatch(r"\d{1,3}(\.\d{1,2})?", number, re.ASCII):
            raise ValueError(text)
        value = Decimal(number)
        return int(value) if value == value.to_integral_value() else float(value)
    if fmt == "money":
        amount = _AMOUNT.fullmatch(compact.removesuffix("€").removesuffix("EUR"))
        if not amount:
            raise ValueError(text)
        return f"{int(amount['euros'])}.{(amount['cents'] or '0').ljust(2, '0')}"
    if fmt == "date":
        found = _DATE_TEXT.fullmatch(text)
        if not found:
            raise ValueError(text)
        if found["iy"]:
            parts = int(found["iy"]), int(found["im"]), int(found["id"])
        else:
            parts = int(found["y"]), int(found["m"]), int(found["d"])
        return date(*parts).isoformat()  # ValueError for 31/02
    raise ValueError(f"format inconnu : {fmt}")


def resolve(dossier: Any, path: str) -> Any:
    """A dotted path, or a remuneration line picked by contract year and period:
    ``contrat.remunerations[2.1].du`` is the line of year 2, period 1, wherever it stands
    in the list (the grid on the form is positional by year and period)."""
    return _reader(path)(dossier)


def _reader(path: str) -> Any:
    """``resolve`` for one path, its selector parsed once."""
    match = _SELECTOR.match(path)
    if not match:
        return lambda dossier: get_path(dossier, path)
    list_path, name = match["list"], match["field"]
    annee, periode = int(match["annee"]), int(match["periode"])

    def read(dossier: Any) -> Any:
        for line in get_path(dossier, list_path) or []:
            if line.annee == annee and line.periode == periode:
                return getattr(line, name)
        return None

    return read


def list_index_path(dossier: Any, path: str) -> str:
    """The selector path as a plain dossier path with its list index (for findings)."""
    match = _SELECTOR.match(path)
    if not match:
        return path
    lines = get_path(dossier, match["list"]) or []
    for index, line in enumerate(lines):
        if line.annee == int(match["annee"]) and line.periode == int(match["periode"]):
            return f"{match['list']}.{index}.{match['field']}"
    return path


def load_map(path: Path = MAP_FILE, old_formats: bool = False) -> tuple[MapEntry, ...]:
    """A field map file: this form's (``field_map.json``), or with ``old_formats`` an older
    version's (``cerfa/pdfimport/maps``), whose boxes may use ``OLD_TEXT_FORMATS`` too."""
    data = json.loads(path.read_bytes().decode("utf-8"))
    entries = []
    for item in data["fields"]:
        raw_path = item["path"]
        entry = MapEntry(
            name=item["name"],
            page=int(item["page"]),
            path=tuple(raw_path) if isinstance(raw_path, list) else raw_path,
            format=item["format"],
        )
        if not (
            entry.format in TEXT_FORMATS
            or (old_formats and entry.format in OLD_TEXT_FORMATS)
            or entry.is_checkbox
            or (entry.format == "reserved" and entry.path is None)
            or (old_formats and entry.format == "dropped" and entry.path is None)
        ):
            raise ValueError(f"{path}: format inconnu pour {entry.name}: {entry.format}")
        entries.append(entry)
    return tuple(entries)


FIELD_MAP: tuple[MapEntry, ...] = load_map()
# The template's cache is valid for one field map (it records that the form's fields are
# the map's): a changed map makes it stale.
MAP_DIGEST = hashlib.sha256(MAP_FILE.read_bytes()).hexdigest()
