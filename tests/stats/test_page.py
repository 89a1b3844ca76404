"""« Statistiques »: the indicators from the aggregates, charts with their tables, CSV."""

from __future__ import annotations

import csv
import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.db import DatabaseError

from cerfa.stats.models import DailyCount

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def add(name: str, value: int, day: datetime.date | None = None) -> None:
    DailyCount.objects.create(day=day or datetime.date.today(), name=name, value=value)


def svgs(html: str) -> list[ET.Element]:
    found = []
    for part in html.split("<svg")[1:]:
        found.append(ET.fromstring("<svg" + part.split("</svg>")[0] + "</svg>"))
    return found


def test_the_page_shows_the_three_indicators_with_charts_and_tables(client):
    add("contrat.commence", 8)
    add("contrat.repris", 2)
    add("telechargement.pdf", 4)
    add("telechargement.pdf_aplati", 1)
    add("telechargement.json", 3, datetime.date.today() - datetime.timedelta(weeks=3))
    add("qualite.80-100", 3)
    add("qualite.20-40", 2)
    add("constat.employeur.siret.cle", 2)
    add("avis.satisfaction.5", 1)
    add("avis.reponses", 1)
    response = client.get("/statistiques/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    html = response.content.decode()
    assert "dossier complet) représentent 50 % des contrats commencés, repris" in html
    assert "<strong>Qualité des données</strong> : 60 % des CERFA téléchargés" in html
    assert "1 réponse(s)" in html
    # Each chart that has data is an SVG with an accessible name, followed by its table.
    charts = svgs(html)
    assert len(charts) == 6  # funnel, weeks, files, quality, findings, satisfaction
    for svg in charts:
        assert svg.get("role") == "img" and svg.get("aria-labelledby")
        assert [el.tag for el in svg.iter()][1:] and {el.tag for el in svg.iter()} <= {
            f"{SVG}svg",
            f"{SVG}text",
            f"{SVG}rect",
        }
    assert html.count("<caption>") == 11
    assert "employeur.siret.cle" in html
    assert "De 80 à 100 %" in html and "Semaine du" in html


def test_an_empty_database_says_nothing_was_counted(client):
    html = client.get("/statistiques/").content.decode()
    # The weeks' chart has its twelve weeks at zero: no bars anywhere, only tables.
    assert "<svg" not in html
    assert html.count("Rien n’a encore été compté.") == 11
    assert "représentent — des contrats" in html


def test_the_finding_messages_are_the_rules_french_summaries(client):
    from rules.docs import summary
    from rules.engine import load_rules
    from rules.registry import RULES

    load_rules()
    add("constat.champs.obligatoires", 5)
    html = client.get("/statistiques/").content.decode()
    assert summary("champs.obligatoires", RULES["champs.obligatoires"]) in html


def test_the_csv_holds_every_aggregate_and_nothing_else(client):
    add("accueil", 7, datetime.date(2026, 11, 30))
    add("accueil", 2, datetime.date(2026, 12, 1))
    add("telechargement.pdf", 1, datetime.date(2026, 12, 1))
    response = client.get("/statistiques/donnees.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["jour", "compteur", "valeur"],
        ["2026-11-30", "accueil", "7"],
        ["2026-12-01", "accueil", "2"],
        ["2026-12-01", "telechargement.pdf", "1"],
    ]


def test_a_database_that_does_not_answer_gives_a_french_503(client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr("cerfa.stats.views._totals", broken)
    response = client.get("/statistiques/")
    assert response.status_code == 503
    assert "Statistiques indisponibles" in response.content.decode()


def test_the_footer_links_the_statistics_page(client):
    html = client.get("/statistiques/").content.decode()
    assert 'href="/statistiques/" aria-current="page">Statistiques</a>' in html
