"""Fill the official CERFA 10103*14 with a dossier, fast and exactly.

The template is read once per process (``Template.get()``), from the description written
beside it at install time (``cerfa/pdf/template.py``): filling imports no PDF parser. The
output is the template's own bytes followed by one *incremental update* (PDF 1.7, §7.5.6)
that holds only what changes — the filled fields, their appearance streams, the AcroForm
with ``NeedAppearances`` false — and, for ``flatten``, the pages redrawn without widgets.
Every viewer shows the same thing, because every filled field carries its own appearance,
drawn here in the form's own font (Helvetica, WinAnsi encoding).

The same update carries the dossier itself (issue 11): its JSON (format v1) as an embedded
file (PDF 1.7 §7.11.4: an /EmbeddedFiles name tree in the catalog's /Names, and the file
specification in the catalog's /AF, the associated files of PDF 2.0 and PDF/A-3, with
/AFRelationship /Data). Giving the PDF back to « Reprendre » restores every value exactly,
even those no box shows (the SMC, a flattened copy), see ``cerfa/pdfimport``.

What cannot be shown faithfully is reported as a ``Finding``, never silently changed:
a character outside Windows-1252 (the only characters Helvetica/WinAnsi can draw), and a
text too wide for its box even at the smallest legible size.

Speed (issue 13, ``make bench``): per contract, only what depends on its values is done,
once. The field map is evaluated once, each text is measured once (the layout that decides
its size also says whether it fits), everything constant (widget dictionaries, checked
boxes, the frame of each appearance stream, the pages' dictionaries) was serialised when
the template was described, and every operation on a text costs in proportion to its
length: a width sum, one regular expression for what cannot be printed, table lookups to
encode and escape, running sums and a bisection for how much of a long text fits.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from pathlib import Path
from typing import Any

from cerfa.pdf import template as template_module
from cerfa.pdf.fieldmap import FIELD_MAP, MapEntry, list_index_path
from rules.findings import Finding

# The embedded dossier's name in the PDF (what a viewer's attachments panel lists).
DOSSIER_FILE = "dossier-cerfa-fa13.json"
DOSSIER_DESCRIPTION = "Dossier du contrat (format cerfa-fa13/1), relu par « Reprendre »"
FONT_SIZE = 8.0  # the form's own default appearance: "/He 8 Tf"
MIN_FONT_SIZE = 6.0  # below this, a printed and scanned contract is no longer legible
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
    width: float = field(init=False)
    height: float = field(init=False)
    checked: bytes = field(init=False, repr=False)  # the dictionary of a ticked box
    # The constant parts of a text's appearance stream: its dictionary up to /Length, and
    # its content up to the font size.
    stream_head: bytes = field(init=False, repr=False)
    content_head: bytes = field(init=False, repr=False)
    draw_at: bytes = field(init=False, repr=False)  # where a flattened page draws it

    def __post_init__(self) -> None:
        self.width = self.rect[2] - self.rect[0]
        self.height = self.rect[3] - self.rect[1]
        state = self.on_state.encode()
        self.checked = self.head + b"/V%s/AS%s>>" % (state, state)
        self.stream_head = b""
        self.content_head = b"/Tx BMC\nq\n" + b"1 1 %.2f %.2f re W n\n" % (
            self.width - 2,
            self.height - 2,
        )
        self.content_head += b"BT\n0 g\n"
        self.draw_at = b"q 1 0 0 1 %.3f %.3f cm " % (self.rect[0], self.rect[1])


@dataclass
class FlatPage:
    """A page as flattening rewrites it (see ``template.describe``)."""

    number: int
    generation: int
    body: bytes
    resources: bytes
    xobjects_open: bytes
    contents: bytes


@dataclass
class FillResult:
    pdf: bytes
    problems: list[Finding]


class Template:
    """The template: its bytes, its widgets, and the objects an update must rewrite."""

    _lock = threading.Lock()
    _cache: dict[Path, Template] = {}

    def __init__(self, data: bytes, described: dict[str, Any] | None = None):
        """``described`` is ``template.describe(data)`` (from the install-time cache);
        without it the template is verified and described here."""
        if described is None:
            described = template_module.describe(data)
        _Text.use(described)
        self.data = data
        self.size = described["size"]
        self.root = tuple(described["root"])
        self.info = tuple(described["info"])
        self.first_id = described["first_id"]
        self.startxref = described["startxref"]
        self.acroform = tuple(described["acroform"])
        self.flat_catalog = described["flat_catalog"]
        self.resources_ref = tuple(described["resources"]) if described["resources"] else None
        self.pages = [FlatPage(**page) for page in described["pages"]]
        self.widgets: dict[str, Widget] = {}
        res = b"/Resources %d %d R" % self.resources_ref if self.resources_ref else b""
        for item in described["widgets"]:
            widget = Widget(
                name=item["name"],
                number=item["number"],
                generation=item["generation"],
                page=item["page"],
                rect=tuple(item["rect"]),
                is_checkbox=item["is_checkbox"],
                on_state=item["on_state"],
                head=item["head"],
                ap_refs={state: tuple(ref) for state, ref in item["ap_refs"].items()},
            )
            widget.stream_head = b"<</Type/XObject/Subtype/Form/BBox[0 0 %.3f %.3f]%s" % (
                widget.width,
                widget.height,
                res,
            )
            self.widgets[widget.name] = widget
        self.catalogs = _catalogs(self)
        self.tail = b"/Root %d %d R/Info %d %d R/ID[<%s><" % (
            *self.root,
            *self.info,
            self.first_id.encode(),
        )

    @classmethod
    def get(cls, path: Path | None = None) -> Template:
        """The template of this process, read on first use only."""
        path = Path(path or template_module.template_path())
        with cls._lock:
            if path not in cls._cache:
                if not path.is_file():
                    raise template_module.TemplateError(
                        f"Le modèle CERFA 10103*14 est absent ({path}) : lancez « make install »."
                    )
                cls._cache[path] = cls(*template_module.load(path))
            return cls._cache[path]


def _catalogs(template: Template) -> dict[bool, bytes]:
    """The catalog, editable (with its AcroForm) and flattened (without), each open at its
    end for the embedded dossier's /Names and /AF (``_embed``)."""
    editable = (
        template.acroform[2]
        if tuple(template.acroform[:2]) == template.root
        else template.flat_catalog[:-2] + b"/AcroForm %d %d R>>" % tuple(template.acroform[:2])
    )
    found = {}
    for flatten, body in ((False, editable), (True, template.flat_catalog)):
        # The update writes these two keys: a catalog that had them would hold them twice.
        if not body.rstrip().endswith(b">>") or re.search(rb"/(Names|AF)[\s<\[/(]", body):
            raise template_module.TemplateError(
                "Le catalogue du modèle a déjà des fichiers joints : le dossier ne peut pas y "
                "être joint."
            )
        found[flatten] = body.rstrip()[:-2]
    return found


# -- text measurement and encoding ------------------------------------------------------


class _Text:
    """The tables writing a text needs (``template.text_tables``): from the template's
    cache when a template is loaded, else from pypdf on first use."""

    widths: dict[str, int] | None = None
    default = 556
    pdfdoc: dict[str, int] = {}

    @classmethod
    def use(cls, tables: dict[str, Any]) -> None:
        if cls.widths is None:
            cls.widths = dict(tables["helvetica"])
            cls.default = cls.widths.get("default", 556)
            cls.pdfdoc = dict(tables["pdfdoc"])

    @classmethod
    def ready(cls) -> type[_Text]:
        if cls.widths is None:
            cls.use(template_module.text_tables())
        return cls


def _widths(text: str):
    """Each character's width, per 1000 of the font size."""
    tables = _Text.ready()
    return map(tables.widths.get, text, repeat(tables.default))


def text_width(text: str, size: float) -> float:
    return sum(_widths(text)) * size / 1000


# What Helvetica in Windows-1252 can draw: every character of that code page but the
# control characters, which have no glyph (one expression finds the others, in C).
_CP1252 = [bytes([code]).decode("cp1252", "ignore") for code in range(256)]
_DRAWABLE = "".join(c for c in _CP1252 if c and unicodedata.category(c) != "Cc")
_UNPRINTABLE = re.compile("[^" + re.escape(_DRAWABLE) + "]")


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` that Helvetica in Windows-1252 cannot draw, each once,
    in the order they first appear."""
    if _UNPRINTABLE.search(text) is None:
        return []
    return list(dict.fromkeys(_UNPRINTABLE.findall(text)))


def _suggestion(ch: str) -> str:
    plain = unicodedata.normalize("NFKD", ch).encode("cp1252", "ignore").decode("cp1252")
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return plain


def _pdf_string(raw: bytes) -> bytes:
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


# A field's value as pypdf writes a text string: PDFDocEncoding when every character has a
# code there, else UTF-16BE after its byte order mark; every byte but ASCII letters, digits
# and the space as an octal escape.
_ESCAPED = [
    bytes([code]) if bytes([code]).isalnum() or code == 0x20 else b"\\%03o" % code
    for code in range(256)
]


def _value_string(text: str) -> bytes:
    try:
        raw = bytes(map(_Text.ready().pdfdoc.__getitem__, text))
    except KeyError:
        raw = b"\xfe\xff" + text.encode("utf-16be")
    return b"(" + b"".join(map(_ESCAPED.__getitem__, raw)) + b")"


@dataclass
class Layout:
    size: float
    x: float
    y: float
    fits: bool


def _layout(units: int, width: float, height: float) -> Layout:
    """``layout`` of a text whose characters' widths add up to ``units``."""
    pad = 1.0 if width < 40 else 2.0
    available = width - 2 * pad
    size = FONT_SIZE
    measured = units * size / 1000
    if measured > available:
        size = max(MIN_FONT_SIZE, FONT_SIZE * available / measured)
        measured = units * size / 1000
    fits = measured <= available + 0.01
    x = (width - measured) / 2 if width < 40 and fits else pad
    y = (height - _ASCENT * size) / 2  # capitals and digits centred in the box
    return Layout(size=round(size, 2), x=round(x, 2), y=round(max(y, 0.5), 2), fits=fits)


def layout(text: str, width: float, height: float) -> Layout:
    """Font size and position of a one-line value in a box of the form.

    The form's 8 pt is kept when the text fits; a longer text is set smaller, down to
    6 pt, rather than clipped. Small boxes (dates, rates, codes) are centred.
    """
    return _layout(sum(_widths(text)), width, height)


def appearance(text: str, widget: Widget, box: Layout | None = None) -> tuple[bytes, bool]:
    """The appearance stream of a filled text box, and whether the text fits (``box``:
    the text's layout, when already known)."""
    box = box or layout(text, widget.width, widget.height)
    content = b"".join(
        [
            widget.content_head,
            b"/He %.2f Tf\n%.2f %.2f Td\n" % (box.size, box.x, box.y),
            _pdf_string(text.encode("cp1252", errors="replace")),
            b" Tj\nET\nQ\nEMC\n",
        ]
    )
    head = widget.stream_head + b"/Length %d>>\nstream\n" % len(content)
    return head + content + b"\nendstream", box.fits


# -- values ------------------------------------------------------------------------------


def _shown(dossier: Any) -> list[tuple[MapEntry, str | bool]]:
    """Every mapped field that shows something (text, or a ticked box), with its value:
    the field map evaluated once for both the filling and its problems."""
    shown = []
    for entry in FIELD_MAP:
        value = entry.value(dossier)
        if value is None or value is False:
            continue
        shown.append((entry, value))
    return shown


def values_for(dossier: Any) -> dict[str, str | bool]:
    """The value of every mapped field that shows something (text, or a ticked box)."""
    return {entry.name: value for entry, value in _shown(dossier)}


def _finding_path(dossier: Any, entry: MapEntry) -> tuple[str, ...]:
    return tuple(list_index_path(dossier, p) for p in entry.paths)


def _problems(
    dossier: Any, entry: MapEntry, widget: Widget, value: str, box: Layout
) -> list[Finding]:
    """What the form cannot show of ``value`` laid out as ``box`` in ``widget``."""
    problems: list[Finding] = []
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
                _finding_path(dossier, entry),
                f"Le formulaire officiel ne peut pas imprimer {shown} : sa police ne contient "
                "pas ce caractère, qui apparaîtrait comme « ? » ou pas du tout. Remplacez-le.",
                REFERENCE,
            )
        )
    if not box.fits:
        keep = _max_chars(value, widget)
        problems.append(
            Finding(
                "warning",
                "pdf.texte_trop_long",
                _finding_path(dossier, entry),
                f"« {_quoted(value)} » est trop long pour sa case du formulaire, même en petits "
                f"caractères : seuls les {keep} premiers caractères environ seraient "
                "lisibles. Abrégez-le.",
                REFERENCE,
            )
        )
    return problems


def fit_problems(dossier: Any, template: Template | None = None) -> list[Finding]:
    """Values the form cannot show as typed: unprintable characters, text too wide."""
    template = template or Template.get()
    problems: list[Finding] = []
    for entry, value in _shown(dossier):
        if isinstance(value, str):
            widget = template.widgets[entry.name]
            box = layout(value, widget.width, widget.height)
            problems.extend(_problems(dossier, entry, widget, value, box))
    return problems


def _quoted(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _max_chars(text: str, widget: Widget) -> int:
    """The longest beginning of ``text`` that fits its box. A longer beginning never fits
    better, and a draft may hold a text of a million characters: a bisection over the
    running sums of the characters' widths, each beginning's width read, not re-measured."""
    sums = list(accumulate(_widths(text), initial=0))  # sums[n]: the first n characters
    low, high = 0, len(text)  # the answer is between the two
    while low < high:
        middle = (low + high + 1) // 2
        if _layout(sums[middle], widget.width, widget.height).fits:
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
        chunks = [] if t.data.endswith(b"\n") else [b"\n"]
        at = len(t.data) + len(chunks)
        offsets: dict[int, tuple[int, int]] = {}
        for number, generation, body in self.objects:
            offsets[number] = (at, generation)
            piece = b"%d %d obj\n%s\nendobj\n" % (number, generation, body)
            chunks.append(piece)
            at += len(piece)
        xref_at = at
        # The head of the free list first, as PDF writers do: some readers (pypdf in strict
        # mode) otherwise take a section starting past object 0 for a mis-numbered table.
        chunks.append(b"xref\n0 1\n0000000000 65535 f \n")
        numbers = sorted(offsets)
        start = 0
        while start < len(numbers):
            end = start
            while end + 1 < len(numbers) and numbers[end + 1] == numbers[end] + 1:
                end += 1
            chunks.append(b"%d %d\n" % (numbers[start], end - start + 1))
            chunks.extend(b"%010d %05d n \n" % offsets[n] for n in numbers[start : end + 1])
            start = end + 1
        update = b"".join(chunks)
        second_id = hashlib.md5(update).hexdigest().encode()
        trailer = b"trailer\n<</Size %d%s%s>]/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (
            self.next_number,
            t.tail,
            second_id,
            t.startxref,
            xref_at,
        )
        return b"".join((t.data, update, trailer))


def fill_dossier(
    dossier: Any,
    flatten: bool = False,
    template: Template | None = None,
    embed_dossier: bool = True,
) -> FillResult:
    """The filled CERFA as PDF bytes, with the problems of showing the dossier in it.

    An incomplete dossier gives a PDF all the same: its empty boxes stay empty. The dossier
    travels inside (``embed_dossier``; without it, the bytes are those of the filling before
    issue 11, which ``tests/test_pdf_bytes.py`` compares with the first, slow filling).
    """
    update, problems = _update_for(dossier, flatten, template or Template.get(), embed_dossier)
    return FillResult(pdf=update.write(), problems=problems)


def _update_for(
    dossier: Any, flatten: bool, template: Template, embed_dossier: bool = True
) -> tuple[_Update, list[Finding]]:
    """The update filling ``dossier`` makes, not yet written, and its problems."""
    problems: list[Finding] = []
    update = _Update(template)
    drawn: dict[int, list[tuple[Widget, int]]] = {}  # page → (widget, appearance object)
    for entry, value in _shown(dossier):
        widget = template.widgets[entry.name]
        if widget.is_checkbox:
            update.replace(widget.number, widget.generation, widget.checked)
            ap = widget.ap_refs.get(widget.on_state)
            if ap:
                drawn.setdefault(widget.page, []).append((widget, ap[0]))
            continue
        box = layout(value, widget.width, widget.height)
        problems.extend(_problems(dossier, entry, widget, value, box))
        stream, _fits = appearance(value, widget, box)
        ap_number = update.new(stream)
        body = widget.head + b"/V" + _value_string(value) + b"/AP<</N %d 0 R>>>>" % ap_number
        update.replace(widget.number, widget.generation, body)
        drawn.setdefault(widget.page, []).append((widget, ap_number))
    if flatten:
        _flatten(update, template, drawn)
    if not flatten and tuple(template.acroform[:2]) != template.root:
        update.replace(*template.acroform)  # an AcroForm of its own, NeedAppearances false
    if embed_dossier:
        _embed(update, template, dossier, flatten)
    elif not flatten:
        update.replace(*template.root, template.catalogs[False] + b">>")
    else:
        update.replace(*template.root, template.flat_catalog)
    return update, problems


def _embed(update: _Update, template: Template, dossier: Any, flatten: bool) -> None:
    """The dossier's JSON as an embedded file, named in the catalog (see the module)."""
    data = dossier.to_json(indent=None).encode("utf-8")
    stream = update.new(
        b"<</Type/EmbeddedFile/Subtype/application#2Fjson/Params<</Size %d>>/Length %d>>\n"
        b"stream\n%s\nendstream" % (len(data), len(data), data)
    )
    name = _value_string(DOSSIER_FILE)
    spec = update.new(
        b"<</Type/Filespec/F%s/UF%s/Desc%s/AFRelationship/Data/EF<</F %d 0 R/UF %d 0 R>>>>"
        % (name, name, _value_string(DOSSIER_DESCRIPTION), stream, stream)
    )
    update.replace(
        *template.root,
        template.catalogs[flatten]
        + b"/Names<</EmbeddedFiles<</Names[%s %d 0 R]>>>>/AF[%d 0 R]>>" % (name, spec, spec),
    )


def _flatten(
    update: _Update, template: Template, drawn: dict[int, list[tuple[Widget, int]]]
) -> None:
    """Draw every filled field into its page, then remove the widgets and the AcroForm."""
    prefix = template_module.FIELD_PREFIX.encode()
    save = update.new(b"<</Length 2>>\nstream\nq\nendstream")
    for index, page in enumerate(template.pages):
        items = drawn.get(index, [])
        names = b"".join(b"%s%d %d 0 R\n" % (prefix, i, ap) for i, (_w, ap) in enumerate(items))
        ops = [b"Q"]
        ops.extend(b"%s%s%d Do Q" % (w.draw_at, prefix, i) for i, (w, _ap) in enumerate(items))
        content = b"\n".join(ops)
        drawing = update.new(b"<</Length %d>>\nstream\n%s\nendstream" % (len(content), content))
        resources = page.resources.replace(
            template_module.PAGE_XOBJECTS, page.xobjects_open + names + b">>"
        )
        contents = b"[ %d 0 R%s %d 0 R ]" % (save, page.contents, drawing)
        body = page.body.replace(template_module.PAGE_CONTENTS, contents).replace(
            template_module.PAGE_RESOURCES, resources
        )
        update.replace(page.number, page.generation, body)
