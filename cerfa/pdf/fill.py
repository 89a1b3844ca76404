"""Fill the official CERFA 10103*14 with a dossier, fast and exactly.

The template is parsed once per process (``Template.get()``). Filling never re-parses it:
the output is the template's own bytes followed by one *incremental update* (PDF 1.7,
§7.5.6) that holds only what changes — the filled fields, their appearance streams, the
AcroForm with ``NeedAppearances`` false — and, for ``flatten``, the pages redrawn without
widgets. Every viewer shows the same thing, because every filled field carries its own
appearance, drawn here in the form's own font (Helvetica, WinAnsi encoding).

What cannot be shown faithfully is reported as a ``Finding``, never silently changed:
a character outside Windows-1252 (the only characters Helvetica/WinAnsi can draw), and a
text too wide for its box even at the smallest legible size.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)

from cerfa.pdf import template as template_module
from cerfa.pdf.fieldmap import FIELD_MAP, MapEntry, decode_field_name, list_index_path
from rules.findings import Finding

FONT_SIZE = 8.0  # the form's own default appearance: "/He 8 Tf"
MIN_FONT_SIZE = 6.0  # below this, a printed and scanned contract is no longer legible
_HELVETICA = CORE_FONT_METRICS["Helvetica"].character_widths
_ASCENT = 0.718  # Helvetica's cap height, per em
REFERENCE = "Formulaire CERFA 10103*14 (police Helvetica, codage Windows-1252)"


@dataclass
class Widget:
    """One field of the template, with what is needed to rewrite it without pypdf."""

    name: str
    number: int  # object number of the field (merged field and widget dictionary)
    generation: int
    page: int  # 0-based
    rect: tuple[float, float, float, float]
    is_checkbox: bool
    on_state: str  # "/Yes" for this form's checkboxes
    head: bytes  # the dictionary serialised without /V, /AS (and /AP for text), no ">>"
    ap_refs: dict[str, tuple[int, int]] = field(default_factory=dict)  # state → object

    @property
    def width(self) -> float:
        return self.rect[2] - self.rect[0]

    @property
    def height(self) -> float:
        return self.rect[3] - self.rect[1]


@dataclass
class FillResult:
    pdf: bytes
    problems: list[Finding]


def _serialise(obj: Any) -> bytes:
    out = io.BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()


class Template:
    """The parsed template: bytes, widgets, and the objects an update must rewrite."""

    _lock = threading.Lock()
    _cache: dict[Path, Template] = {}

    def __init__(self, data: bytes):
        reader: PdfReader = template_module.verify(data)
        self.data = data
        trailer = reader.trailer
        self.size = int(trailer["/Size"])
        self.root_ref = trailer.raw_get("/Root")
        self.info_ref = trailer.raw_get("/Info")
        match = re.search(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>", data[-2048:])
        self.first_id = match.group(1).decode() if match else hashlib.md5(data).hexdigest()
        self.startxref = int(re.findall(rb"startxref\s+(\d+)", data[-1024:])[-1])

        # Every filled field carries its appearance: viewers must show it, not redraw it.
        # The AcroForm is rewritten with NeedAppearances false, where it lives (here, inline
        # in the catalog; elsewhere it may be an object of its own).
        root = reader.trailer["/Root"]
        acroform_ref = root.raw_get("/AcroForm")
        acroform = DictionaryObject(acroform_ref.get_object())
        acroform[NameObject("/NeedAppearances")] = BooleanObject(False)
        if isinstance(acroform_ref, IndirectObject):
            target = (acroform_ref.idnum, acroform_ref.generation)
            self.acroform = (*target, _serialise(acroform))
        else:
            catalog = DictionaryObject(root)
            catalog[NameObject("/AcroForm")] = acroform
            self.acroform = (self.root_ref.idnum, self.root_ref.generation, _serialise(catalog))

        catalog = DictionaryObject(root)
        del catalog[NameObject("/AcroForm")]
        self.flat_catalog = _serialise(catalog)

        self.pages: list[tuple[int, int, DictionaryObject]] = []
        self.widgets: dict[str, Widget] = {}
        self.resources_ref: tuple[int, int] | None = None
        for index, page in enumerate(reader.pages):
            ref = page.indirect_reference
            self.pages.append((ref.idnum, ref.generation, page))
            for annot in page.get("/Annots") or []:
                widget = annot.get_object()
                if widget.get("/Subtype") != "/Widget":
                    continue
                self._add_widget(index, annot, widget)

    def _add_widget(self, page: int, ref, widget: DictionaryObject) -> None:
        name = decode_field_name(str(widget["/T"]))
        is_checkbox = widget.get("/FT") == "/Btn"
        normal = widget.get("/AP", {}).get("/N")
        ap_refs: dict[str, tuple[int, int]] = {}
        on_state = "/Yes"
        if is_checkbox and normal is not None:
            normal = normal.get_object()
            states = [str(k) for k in normal.keys() if k != "/Off"]
            on_state = states[0]  # read from the widget, as the form defines it
            for state, stream_ref in normal.items():
                ap_refs[str(state)] = (stream_ref.idnum, stream_ref.generation)
        elif normal is not None and self.resources_ref is None:
            resources = normal.get_object().raw_get("/Resources")
            if hasattr(resources, "idnum"):
                self.resources_ref = (resources.idnum, resources.generation)
        head = DictionaryObject(widget)
        for key in ("/V", "/AS") + (() if is_checkbox else ("/AP",)):
            head.pop(NameObject(key), None)
        rect = tuple(float(v) for v in widget["/Rect"])
        self.widgets[name] = Widget(
            name=name,
            number=ref.idnum,
            generation=ref.generation,
            page=page,
            rect=(
                min(rect[0], rect[2]),
                min(rect[1], rect[3]),
                max(rect[0], rect[2]),
                max(rect[1], rect[3]),
            ),
            is_checkbox=is_checkbox,
            on_state=on_state,
            head=_serialise(head)[:-2].rstrip(),
            ap_refs=ap_refs,
        )

    @classmethod
    def get(cls, path: Path | None = None) -> Template:
        """The template of this process, parsed on first use only."""
        path = Path(path or template_module.template_path())
        with cls._lock:
            if path not in cls._cache:
                if not path.is_file():
                    raise template_module.TemplateError(
                        f"Le modèle CERFA 10103*14 est absent ({path}) : lancez « make install »."
                    )
                cls._cache[path] = cls(path.read_bytes())
            return cls._cache[path]


# -- text measurement and encoding ------------------------------------------------------


def text_width(text: str, size: float) -> float:
    default = _HELVETICA.get("default", 556)
    return sum(_HELVETICA.get(ch, default) for ch in text) * size / 1000


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` that Helvetica in Windows-1252 cannot draw."""
    bad = []
    for ch in text:
        try:
            ch.encode("cp1252")
            printable = unicodedata.category(ch) != "Cc"  # a control character: no glyph
        except UnicodeEncodeError:
            printable = False
        if not printable and ch not in bad:
            bad.append(ch)
    return bad


def _suggestion(ch: str) -> str:
    plain = unicodedata.normalize("NFKD", ch).encode("cp1252", "ignore").decode("cp1252")
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return plain


def _pdf_string(raw: bytes) -> bytes:
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


@dataclass
class Layout:
    size: float
    x: float
    y: float
    fits: bool


def layout(text: str, width: float, height: float) -> Layout:
    """Font size and position of a one-line value in a box of the form.

    The form's 8 pt is kept when the text fits; a longer text is set smaller, down to
    6 pt, rather than clipped. Small boxes (dates, rates, codes) are centred.
    """
    pad = 1.0 if width < 40 else 2.0
    available = width - 2 * pad
    size = FONT_SIZE
    measured = text_width(text, size)
    if measured > available:
        size = max(MIN_FONT_SIZE, FONT_SIZE * available / measured)
        measured = text_width(text, size)
    fits = measured <= available + 0.01
    x = (width - measured) / 2 if width < 40 and fits else pad
    y = (height - _ASCENT * size) / 2  # capitals and digits centred in the box
    return Layout(size=round(size, 2), x=round(x, 2), y=round(max(y, 0.5), 2), fits=fits)


def appearance(text: str, widget: Widget, resources: tuple[int, int] | None) -> tuple[bytes, bool]:
    """The appearance stream of a filled text box, and whether the text fits."""
    box = layout(text, widget.width, widget.height)
    encoded = text.encode("cp1252", errors="replace")
    content = b"".join(
        [
            b"/Tx BMC\nq\n",
            b"1 1 %.2f %.2f re W n\n" % (widget.width - 2, widget.height - 2),
            b"BT\n0 g\n/He %.2f Tf\n%.2f %.2f Td\n" % (box.size, box.x, box.y),
            _pdf_string(encoded),
            b" Tj\nET\nQ\nEMC\n",
        ]
    )
    res = b"/Resources %d %d R" % resources if resources else b""
    head = b"<</Type/XObject/Subtype/Form/BBox[0 0 %.3f %.3f]%s/Length %d>>\nstream\n" % (
        widget.width,
        widget.height,
        res,
        len(content),
    )
    return head + content + b"\nendstream", box.fits


# -- values ------------------------------------------------------------------------------


def values_for(dossier: Any) -> dict[str, str | bool]:
    """The value of every mapped field that shows something (text, or a ticked box)."""
    values: dict[str, str | bool] = {}
    for entry in FIELD_MAP:
        value = entry.value(dossier)
        if value is None or value is False:
            continue
        values[entry.name] = value
    return values


def _finding_path(dossier: Any, entry: MapEntry) -> tuple[str, ...]:
    return tuple(list_index_path(dossier, p) for p in entry.paths)


def fit_problems(dossier: Any, template: Template | None = None) -> list[Finding]:
    """Values the form cannot show as typed: unprintable characters, text too wide."""
    template = template or Template.get()
    problems: list[Finding] = []
    for entry in FIELD_MAP:
        if entry.is_checkbox:
            continue
        value = entry.value(dossier)
        if not isinstance(value, str):
            continue
        paths = _finding_path(dossier, entry)
        bad = unprintable(value)
        if bad:
            shown = ", ".join(
                f"le caractère de contrôle U+{ord(c):04X}"
                if unicodedata.category(c) == "Cc"
                else f"« {c} »" + (f" (écrivez « {_suggestion(c)} »)" if _suggestion(c) else "")
                for c in bad
            )
            problems.append(
                Finding(
                    "error",
                    "pdf.caractere_non_imprimable",
                    paths,
                    f"Le formulaire officiel ne peut pas imprimer {shown} : sa police ne contient "
                    "pas ce caractère, qui apparaîtrait comme « ? » ou pas du tout. Remplacez-le.",
                    REFERENCE,
                )
            )
        widget = template.widgets[entry.name]
        if not layout(value, widget.width, widget.height).fits:
            keep = _max_chars(value, widget)
            problems.append(
                Finding(
                    "warning",
                    "pdf.texte_trop_long",
                    paths,
                    f"« {_quoted(value)} » est trop long pour sa case du formulaire, même en petits "
                    f"caractères : seuls les {keep} premiers caractères environ seraient "
                    "lisibles. Abrégez-le.",
                    REFERENCE,
                )
            )
    return problems


def _quoted(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _max_chars(text: str, widget: Widget) -> int:
    """The longest beginning of ``text`` that fits its box. A binary search: a longer
    beginning never fits better, and a draft may hold a text of a million characters."""
    low, high = 0, len(text)  # the answer is between the two
    while low < high:
        middle = (low + high + 1) // 2
        if layout(text[:middle], widget.width, widget.height).fits:
            low = middle
        else:
            high = middle - 1
    return low


# -- the incremental update ---------------------------------------------------------------


class _Update:
    """Collects new and rewritten objects, then writes them after the template's bytes."""

    def __init__(self, template: Template):
        self.template = template
        self.next_number = template.size
        self.objects: list[tuple[int, int, bytes]] = []

    def new(self, body: bytes) -> int:
        number = self.next_number
        self.next_number += 1
        self.objects.append((number, 0, body))
        return number

    def replace(self, number: int, generation: int, body: bytes) -> None:
        self.objects.append((number, generation, body))

    def write(self) -> bytes:
        t = self.template
        out = io.BytesIO()
        out.write(t.data)
        if not t.data.endswith(b"\n"):
            out.write(b"\n")
        offsets: dict[int, tuple[int, int]] = {}
        for number, generation, body in self.objects:
            offsets[number] = (out.tell(), generation)
            out.write(b"%d %d obj\n" % (number, generation))
            out.write(body)
            out.write(b"\nendobj\n")
        xref_at = out.tell()
        # The head of the free list first, as PDF writers do: some readers (pypdf in strict
        # mode) otherwise take a section starting past object 0 for a mis-numbered table.
        out.write(b"xref\n0 1\n0000000000 65535 f \n")
        numbers = sorted(offsets)
        start = 0
        while start < len(numbers):
            end = start
            while end + 1 < len(numbers) and numbers[end + 1] == numbers[end] + 1:
                end += 1
            out.write(b"%d %d\n" % (numbers[start], end - start + 1))
            for n in numbers[start : end + 1]:
                offset, generation = offsets[n]
                out.write(b"%010d %05d n \n" % (offset, generation))
            start = end + 1
        second_id = hashlib.md5(out.getbuffer()[len(t.data) :]).hexdigest()
        out.write(
            b"trailer\n<</Size %d/Root %d %d R/Info %d %d R/ID[<%s><%s>]/Prev %d>>\n"
            % (
                self.next_number,
                t.root_ref.idnum,
                t.root_ref.generation,
                t.info_ref.idnum,
                t.info_ref.generation,
                t.first_id.encode(),
                second_id.encode(),
                t.startxref,
            )
        )
        out.write(b"startxref\n%d\n%%%%EOF\n" % xref_at)
        return out.getvalue()


def fill_dossier(
    dossier: Any, flatten: bool = False, template: Template | None = None
) -> FillResult:
    """The filled CERFA as PDF bytes, with the problems of showing the dossier in it.

    An incomplete dossier gives a PDF all the same: its empty boxes stay empty.
    """
    template = template or Template.get()
    problems = fit_problems(dossier, template)
    values = values_for(dossier)
    update = _Update(template)
    drawn: dict[int, list[tuple[Widget, int]]] = {}  # page → (widget, appearance object)
    for name, value in values.items():
        widget = template.widgets[name]
        if widget.is_checkbox:
            state = widget.on_state.encode()
            body = widget.head + b"/V%s/AS%s>>" % (state, state)
            update.replace(widget.number, widget.generation, body)
            ap = widget.ap_refs.get(widget.on_state)
            if ap:
                drawn.setdefault(widget.page, []).append((widget, ap[0]))
            continue
        stream, _fits = appearance(value, widget, template.resources_ref)
        ap_number = update.new(stream)
        body = (
            widget.head
            + b"/V"
            + _serialise(TextStringObject(value))
            + b"/AP<</N %d 0 R>>>>" % ap_number
        )
        update.replace(widget.number, widget.generation, body)
        drawn.setdefault(widget.page, []).append((widget, ap_number))
    if flatten:
        _flatten(update, template, drawn)
    else:
        number, generation, body = template.acroform
        update.replace(number, generation, body)
    return FillResult(pdf=update.write(), problems=problems)


def _flatten(
    update: _Update, template: Template, drawn: dict[int, list[tuple[Widget, int]]]
) -> None:
    """Draw every filled field into its page, then remove the widgets and the AcroForm."""
    save = update.new(b"<</Length 2>>\nstream\nq\nendstream")
    for index, (number, generation, page) in enumerate(template.pages):
        items = drawn.get(index, [])
        resources = DictionaryObject(page["/Resources"].get_object())
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()))
        ops = [b"Q"]
        for i, (widget, ap_number) in enumerate(items):
            name = f"/CerfaChamp{i}"
            xobjects[NameObject(name)] = _ref(ap_number)
            ops.append(
                b"q 1 0 0 1 %.3f %.3f cm %s Do Q" % (widget.rect[0], widget.rect[1], name.encode())
            )
        resources[NameObject("/XObject")] = xobjects
        content = b"\n".join(ops)
        drawing = update.new(b"<</Length %d>>\nstream\n%s\nendstream" % (len(content), content))
        contents = page.raw_get("/Contents")
        originals = list(contents) if isinstance(contents, ArrayObject) else [contents]
        new_page = DictionaryObject(page)
        new_page.pop(NameObject("/Annots"), None)
        new_page[NameObject("/Resources")] = resources
        new_page[NameObject("/Contents")] = ArrayObject([_ref(save), *originals, _ref(drawing)])
        update.replace(number, generation, _serialise(new_page))
    root = template.root_ref
    update.replace(root.idnum, root.generation, template.flat_catalog)


def _ref(number: int) -> IndirectObject:
    return IndirectObject(number, 0, None)  # type: ignore[arg-type]
