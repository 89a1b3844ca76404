"""The contract's timeline and amounts where they show: the review page and the pay step
(Django test client), the « points à vérifier » PDF, and ``cerfa complete --json``.

The picture is parsed as XML (it must be valid SVG on its own), and its elements are
compared with the tables beside it: both must say the same thing.
"""

import datetime
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from cerfa.pdf.findings_pdf import findings_pdf
from cerfa.wizard.timeline import GAP, _place
from rules.timeline import timeline_for
from tests.helpers import EXAMPLE, load

from .conftest import example_json, uploaded_contract

SVG = "{http://www.w3.org/2000/svg}"
CSS = Path(__file__).parent.parent.parent / "static" / "css" / "cerfa.css"
# The SVG 1.1 elements the picture may use, and the attributes that hold numbers.
ELEMENTS = {"svg", "title", "desc", "defs", "pattern", "g", "line", "rect", "circle", "polygon"}
ELEMENTS |= {"text"}
NUMBERS = {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height"}


def _section(html: str) -> ET.Element:
    """The timeline's section of a page, parsed as XML (the template writes it so)."""
    match = re.search(r'<section class="cerfa-timeline.*?</section>', html, re.S)
    assert match, "no timeline on the page"
    return ET.fromstring(match.group(0))


def _svg(html: str) -> ET.Element:
    match = re.search(r"<svg .*?</svg>", html, re.S)
    assert match
    return ET.fromstring(match.group(0))  # well-formed XML, or this raises


def _texts(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(SVG + "text")]


def _cells(row: ET.Element) -> list[str]:
    return [" ".join("".join(c.itertext()).split()) for c in row if c.tag in ("td", "th")]


def _review(client, content: bytes | None = None) -> str:
    base = uploaded_contract(client, content)
    response = client.get(base + "recapitulatif/")
    assert response.status_code == 200
    return response.content.decode()


def _with(**changes) -> bytes:
    data = json.loads(example_json())
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = data
        for key in parents:
            node = node[key]
        node[last] = value
    return json.dumps(data).encode()


# -- the picture -------------------------------------------------------------------------


def test_the_review_page_draws_a_valid_svg_with_a_title_and_a_description(client):
    svg = _svg(_review(client))
    assert svg.tag == SVG + "svg" and svg.get("role") == "img"
    ids = svg.get("aria-labelledby").split()
    title, desc = svg.find(SVG + "title"), svg.find(SVG + "desc")
    assert ids == [title.get("id"), desc.get("id")]
    assert title.text == "Frise du contrat, du 01/09/2027 au 31/08/2029"
    assert "3 périodes de rémunération" in desc.text and "8 dates clés" in desc.text
    width, height = (float(v) for v in svg.get("viewBox").split()[2:])
    for element in svg.iter():
        name = element.tag.removeprefix(SVG)
        assert name in ELEMENTS, name
        assert "style" not in element.attrib  # the CSP forbids style attributes
        for attribute in NUMBERS & element.attrib.keys():
            value = element.get(attribute)
            if attribute in ("width", "height") and name == "pattern":
                continue
            number = float(value)  # a French « 30,1 » would fail here
            assert -1 <= number <= max(width, height) + 1, (name, attribute, value)
        for point in (element.get("points") or "").split():
            x, y = (float(v) for v in point.split(","))
            assert 0 <= x <= width and 0 <= y <= height


def test_one_element_per_period_and_per_milestone_each_with_its_date(client):
    svg = _svg(_review(client))
    d = load("exemple.json")
    timeline = timeline_for(d)
    periods = svg.findall(f".//{SVG}g[@data-type='periode']")
    milestones = svg.findall(f".//{SVG}g[@data-type='jalon']")
    assert [(g.get("data-du"), g.get("data-au")) for g in periods] == [
        (p.line.du.isoformat(), p.line.au.isoformat()) for p in timeline.periods
    ]
    assert [(g.get("data-jalon"), g.get("data-date")) for g in milestones] == [
        (m.kind, m.day.isoformat()) for m in timeline.milestones
    ]
    for g in periods + milestones:
        assert g.find(SVG + "title").text  # a tooltip that says it all
    assert _texts(periods[2]) == [
        "Année 2, période 2",
        "61 % du SMIC",
        "1 112,05 € par mois",
        "01/06/2029 – 31/08/2029",
    ]
    trial = next(g for g in milestones if g.get("data-jalon") == "fin_essai")
    assert _texts(trial) == ["15/10/2027", "Fin de la période d'essai (estimation)"]
    assert "L6222-18" in trial.find(SVG + "title").text
    # Told apart without colour: each period but the first has a hatching, each kind of
    # milestone a marker shape, the estimate a dashed line.
    assert [len(g.findall(f"{SVG}rect[@class='cerfa-tl__pattern']")) for g in periods] == [0, 1, 1]
    assert (
        trial.find(f"{SVG}line[@class='cerfa-tl__leader cerfa-tl__leader--estimate']") is not None
    )


def test_the_tables_say_what_the_picture_says(client):
    html = _review(client)
    svg, section = _svg(html), _section(html)
    tables = {t.get("id"): t for t in section.iter("div") if t.get("id")}
    rows = tables["frise-dates"].findall(".//tbody/tr")
    marks = svg.findall(f".//{SVG}g[@data-type='jalon']")
    assert len(rows) == len(marks) == 8
    for row, mark in zip(rows, marks, strict=True):
        date, label, detail = _cells(row)
        assert (row.get("data-jalon"), row.get("data-date")) == (
            mark.get("data-jalon"),
            mark.get("data-date"),
        )
        texts = _texts(mark)
        assert texts[0] == date
        assert " ".join(texts[1:]) == label == mark.get("data-libelle")
        assert detail in mark.find(SVG + "title").text
    rows = tables["frise-montants"].findall(".//tbody/tr")
    bars = svg.findall(f".//{SVG}g[@data-type='periode']")
    assert len(rows) == len(bars) == 3
    for row, bar in zip(rows, bars, strict=True):
        name, dates, taux, mensuel, total, reason = _cells(row)
        texts = _texts(bar)
        assert (row.get("data-du"), row.get("data-au")) == (bar.get("data-du"), bar.get("data-au"))
        assert texts[0] == name == bar.get("data-nom")
        assert texts[1] == taux == bar.get("data-taux")
        assert texts[2] == f"{mensuel} par mois" and mensuel == bar.get("data-mensuel")
        du, au = texts[3].split(" – ")
        assert dates == f"du {du} au {au}"
        assert reason in bar.find(SVG + "title").text and total
    total = _cells(tables["frise-montants"].find(".//tfoot/tr"))
    assert total[:2] == ["Total brut minimum sur tout le contrat", "21 110,82 €"]


def test_every_class_of_the_picture_has_its_style_in_dsfr_colours(client):
    svg = _svg(_review(client))
    css = CSS.read_text(encoding="utf-8")
    classes = {c for e in svg.iter() for c in (e.get("class") or "").split()}
    assert {"cerfa-tl", "cerfa-tl__bar--a", "cerfa-tl__bar--b", "cerfa-tl__marker"} <= classes
    styled = set(re.findall(r"\.(cerfa-tl[\w-]*)", css))
    # Every shape and text is drawn by a rule of the stylesheet (a hatching's overlay by
    # its pattern), never by a colour written in the page.
    for element in svg.iter():
        name = element.tag.removeprefix(SVG)
        if name in ("line", "rect", "circle", "polygon", "text") and not element.get("fill"):
            assert set((element.get("class") or "").split()) & styled, (name, element.attrib)
        assert "fill" not in element.attrib or element.get("fill").startswith("url(#frise-")
        assert "stroke" not in element.attrib
    rules = re.findall(r"\.cerfa-tl[^{]*\{([^}]*)\}", css)
    colours = [v for r in rules for v in re.findall(r"(?:fill|stroke):\s*([^;]+)", r)]
    assert colours and all(v.startswith("var(--") for v in colours), colours


def test_the_timeline_section_has_no_script_and_no_style_attribute(client):
    html = _review(client)
    match = re.search(r'<section class="cerfa-timeline.*?</section>', html, re.S)
    assert "<script" not in match.group(0) and "style=" not in match.group(0)


def test_labels_never_overlap_when_milestones_crowd():
    tops = _place([(10, 34), (12, 34), (12, 51), (400, 34)])
    assert tops == [10, 10 + 34 + GAP, 10 + 2 * (34 + GAP), 400]


# -- the amounts on the pages ------------------------------------------------------------


def test_the_review_page_shows_each_period_s_amounts_and_the_total(client):
    html = _review(client)
    section = _section(html)
    rows = [_cells(r) for r in section.findall(".//div[@id='frise-montants']//tbody/tr")]
    assert [r[:5] for r in rows] == [
        ["Année 1", "du 01/09/2027 au 31/08/2028", "43 % du SMIC", "783,91 €", "9 406,92 €"],
        ["Année 2", "du 01/09/2028 au 31/05/2029", "51 % du SMIC", "929,75 €", "8 367,75 €"],
        [
            "Année 2, période 2",
            "du 01/06/2029 au 31/08/2029",
            "61 % du SMIC",
            "1 112,05 €",
            "3 336,15 €",
        ],
    ]
    notes = [" ".join("".join(li.itertext()).split()) for li in section.iter("li")]
    assert notes[0] == "Montants calculés pour 35 heures par semaine."


def test_a_smic_revaluation_inside_a_period_shows_both_amounts(client):
    content = _with(
        apprenti__date_naissance="2006-03-15",
        contrat__date_conclusion="2024-08-20",
        contrat__date_debut_execution="2024-09-01",
        contrat__date_debut_formation_pratique="2024-09-01",
        contrat__date_fin="2026-08-31",
        formation__date_debut_cfa="2024-09-06",
        formation__date_fin_epreuves="2026-07-03",
        contrat__remunerations=[],
        contrat__salaire_brut_embauche=None,
    )
    section = _section(_review(client, content))
    first = _cells(section.find(".//div[@id='frise-montants']//tbody/tr"))
    assert first[3] == "759,78 €, puis 774,78 € à partir du 01/11/2024"
    assert first[4] == "9 267,36 €"
    notes = " ".join(" ".join(li.itertext()) for li in section.iter("li"))
    assert "Le SMIC est revalorisé le 01/11/2024" in notes and "L3231-5" in notes


def test_the_pay_step_shows_the_timeline_and_the_amounts(client):
    base = uploaded_contract(client)
    html = client.get(base + "remuneration/").content.decode()
    svg = _svg(html)
    assert len(svg.findall(f".//{SVG}g[@data-type='periode']")) == 3
    section = _section(html)
    assert "21 110,82 €" in "".join(section.find(".//div[@id='frise-montants']").itertext())
    # The step's own content is all still there, before the picture.
    assert html.index("Rémunération, année par année") < html.index('id="frise"')
    assert 'name="contrat__salaire_brut_embauche"' in html


def test_without_dates_the_timeline_says_what_it_waits_for(client):
    html = _review(client, _with(contrat__date_fin=None))
    assert "La frise du contrat s’affichera quand ses dates de début et de fin" in html
    assert "<svg" not in html
    html = _review(client, _with(apprenti__date_naissance=None))
    assert _svg(html) is not None  # the dates are drawn
    assert "s’afficheront quand la date de naissance de l’apprenti sera renseignée" in html


# -- the « points à vérifier » PDF ---------------------------------------------------------


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_findings_pdf_lists_the_key_dates_and_the_amounts(client):
    base = uploaded_contract(client)
    response = client.get(base + "points-a-verifier.pdf")
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert "Les dates clés du contrat" in text
    assert "15/10/2027" in text and "Fin de la période d'essai (estimation)" in text
    assert "Ce que coûte le contrat au minimum (salaire brut)" in text
    for amount in ("783,91 €", "9 406,92 €", "929,75 €", "1 112,05 €", "3 336,15 €"):
        assert amount in text
    assert re.search(r"Total brut minimum sur tout le contrat\s*21 110,82 €", text)


def test_the_findings_pdf_says_each_revaluation_and_still_works_without_a_timeline():
    d = load("exemple.json")
    d.contrat.date_debut_execution = d.contrat.date_debut_formation_pratique = None
    assert "Les dates clés" not in _pdf_text(findings_pdf([], timeline=timeline_for(d)))
    d = load("exemple.json")
    d.apprenti.date_naissance = datetime.date(2006, 3, 15)
    d.contrat.date_debut_execution = datetime.date(2024, 9, 1)
    d.contrat.date_fin = datetime.date(2026, 8, 31)
    text = _pdf_text(findings_pdf([], timeline=timeline_for(d)))
    assert "puis 774,78 € dès le 01/11/2024" in text
    assert "Le SMIC est revalorisé le 01/11/2024" in " ".join(text.split())


# -- cerfa complete --json ----------------------------------------------------------------


@pytest.mark.parametrize("flag", [[], ["--json"]])
def test_complete_json_puts_the_amounts_beside_the_dossier(flag):
    out, err = io.StringIO(), io.StringIO()
    call_command("cerfa", "complete", "--hors-ligne", *flag, str(EXAMPLE), stdout=out, stderr=err)
    data = json.loads(out.getvalue())
    if not flag:  # format v1 as before: the dossier itself
        assert data["format"] == "cerfa-fa13/1" and "montants" not in data
        return
    assert set(data) == {"dossier", "findings", "montants", "calendrier"}
    assert data["dossier"]["format"] == "cerfa-fa13/1"
    montants = data["montants"]
    assert montants["total_brut_minimum"] == "21110.82"
    assert [p["salaire_brut_mensuel_minimum"] for p in montants["periodes"]] == [
        "783.91",
        "929.75",
        "1112.05",
    ]
    assert montants["periodes"][2]["raison"].startswith("21 ans le 14/05/2029")
    jalons = data["calendrier"]["jalons"]
    assert {"type": "fin_essai", "date": "2027-10-15"}.items() <= jalons[5].items()
    assert jalons[5]["estimation"] is True
