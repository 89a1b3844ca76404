"""A small spreadsheet laid out like the DILA's « Liste des conventions collectives ».

Built by hand (there is no network here): the real file is an XLSX with a few title lines,
then a header row (identifiant KALI, type, IDCC, titre, nature, état, dates, URL), then one
row per text. This one has the same layout and the cell kinds Excel writes: shared
strings, an inline string, whole numbers for IDCCs whose leading zeros Excel dropped.
"""

import io
import zipfile
from xml.sax.saxutils import escape

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# (row number, [(column, kind, value)]) — kind "s" shared string, "n" number, "i" inline.
ROWS = [
    (1, [("A", "s", "Liste des conventions collectives nationales (KALI)")]),
    (2, [("A", "s", "Mise à jour : octobre 2026")]),
    (
        4,
        [
            ("B", "s", "ID KALI"),
            ("C", "s", "Convention ou texte indépendant"),
            ("D", "s", "IDCC"),
            ("E", "s", "TITRE"),
            ("F", "s", "NATURE"),
            ("G", "s", "ETAT"),
            ("H", "s", "DEBUT"),
            ("I", "s", "FIN"),
            ("J", "s", "URL"),
        ],
    ),
    (
        5,
        [
            ("B", "s", "KALICONT000005635173"),
            ("C", "s", "IDCC"),
            ("D", "n", "1486"),
            ("E", "s", "Convention collective nationale des bureaux d'études techniques"),
            ("F", "s", "IDCC"),
            ("G", "s", "VIGUEUR_ETEN"),
        ],
    ),
    (
        6,
        [
            ("B", "s", "KALICONT000005635624"),
            ("C", "s", "IDCC"),
            ("D", "s", "0016"),
            ("E", "s", "Convention collective nationale des transports routiers"),
            ("F", "s", "IDCC"),
            ("G", "s", "VIGUEUR_ETEN"),
        ],
    ),
    (
        7,
        [
            ("B", "s", "KALICONT000005635842"),
            ("C", "s", "IDCC"),
            ("D", "n", "650"),
            (
                "E",
                "s",
                "Convention collective nationale des ingénieurs et cadres de la métallurgie",
            ),
            ("F", "s", "IDCC"),
            ("G", "s", "ABROGE"),
        ],
    ),
    (
        8,
        [
            ("B", "s", "KALICONT000018563755"),
            ("C", "s", "IDCC"),
            ("D", "i", "2596"),
            ("E", "i", "Convention collective nationale de la coiffure"),
            ("F", "s", "IDCC"),
            ("G", "s", "VIGUEUR_ETEN"),
        ],
    ),
    (
        9,
        [
            ("B", "s", "KALICONT000005635000"),
            ("C", "s", "TI"),
            ("E", "s", "Accord national interprofessionnel (texte indépendant)"),
            ("F", "s", "ACCORD"),
            ("G", "s", "VIGUEUR_NON_ETEN"),
        ],
    ),
    # An older text under the same IDCC, replaced: 1486 stays in force with its title.
    (
        10,
        [
            ("B", "s", "KALICONT000005635999"),
            ("C", "s", "IDCC"),
            ("D", "n", "1486"),
            ("E", "s", "Ancienne convention des bureaux d'études"),
            ("F", "s", "IDCC"),
            ("G", "s", "REMPLACE"),
        ],
    ),
    (
        11,
        [
            ("B", "s", "KALICONT000046993250"),
            ("C", "s", "IDCC"),
            ("D", "n", "3248.0"),
            ("E", "s", "Convention collective nationale de la métallurgie"),
            ("F", "s", "IDCC"),
            ("G", "s", "VIGUEUR_NON_ETEN"),
        ],
    ),
    (
        12,
        [
            ("B", "s", "KALICONT000099999901"),
            ("C", "s", "IDCC"),
            ("D", "n", "5021"),
            ("E", "s", "Convention signée, pas encore en vigueur"),
            ("F", "s", "IDCC"),
            ("G", "s", "VIGUEUR_DIFF"),
        ],
    ),
    (
        13,
        [
            ("B", "s", "KALICONT000099999902"),
            ("C", "s", "IDCC"),
            ("D", "n", "1234"),
            ("E", "s", "Convention sans état connu"),
            ("F", "s", "IDCC"),
        ],
    ),
]


def build_xlsx(rows=ROWS) -> bytes:
    shared: list[str] = []

    def cell(column: str, number: int, kind: str, value: str) -> str:
        ref = f"{column}{number}"
        if kind == "s":
            if value not in shared:
                shared.append(value)
            return f'<c r="{ref}" t="s"><v>{shared.index(value)}</v></c>'
        if kind == "i":
            return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
        return f'<c r="{ref}"><v>{value}</v></c>'

    body = "".join(
        f'<row r="{number}">' + "".join(cell(c, number, k, v) for c, k, v in cells) + "</row>"
        for number, cells in rows
    )
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
        f"<sheetData>{body}</sheetData></worksheet>"
    )
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" '
        f'count="{len(shared)}" uniqueCount="{len(shared)}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in shared)
        + "</sst>"
    )
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats'
            '-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_R}"><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": strings,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()
