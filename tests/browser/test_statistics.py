"""« Statistiques » and the survey in a real Chromium against the production server: the
page is reached from the footer with the keyboard alone, its charts are drawn (SVG) with
their tables, with and without JavaScript, and axe finds nothing on it nor on the survey."""

from __future__ import annotations

import time

import pytest

from tests.browser.test_legal_pages import tab_to
from tests.helpers import EXAMPLE
from tests.server import start_server

pytestmark = [pytest.mark.browser, pytest.mark.database]


@pytest.fixture(scope="module")
def counting():
    """A server of its own that writes its counts every second."""
    server = start_server(CERFA_STATS_FLUSH_SECONDS="1")
    yield server
    server.stop()


def axe_report(page) -> str:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.generate_report() if results.violations_count else ""


def use_the_service(page, url: str) -> None:
    """Resume the example draft, show the review and download the CERFA and the ZIP."""
    page.goto(url + "/")
    page.locator("#brouillon").set_input_files(str(EXAMPLE))
    with page.expect_navigation():
        page.get_by_role("button", name="Reprendre ce brouillon").click()
    assert page.url.endswith("/recapitulatif/")
    base = page.url.rsplit("/", 2)[0]
    for path in ("/cerfa.pdf", "/dossier-complet.zip", "/dossier.json"):
        assert page.request.get(base + path).status == 200


def test_the_statistics_page_has_its_charts_and_tables_and_no_violation(page, counting, shots):
    use_the_service(page, counting.url)
    page.goto(counting.url + "/")
    tab_to(page, "Statistiques")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == counting.url + "/statistiques/"
    # The counts are written within a second or so.
    for _ in range(30):
        if page.locator("svg.cerfa-chart__svg").count() >= 3:
            break
        time.sleep(0.5)
        page.reload()
    charts = page.locator("svg.cerfa-chart__svg")
    assert charts.count() >= 3
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("role") == "img"
        assert chart.bounding_box()["width"] > 300 and chart.locator("rect").count() >= 1
    funnel = page.locator("#graphique-tunnel")
    assert funnel.locator("svg rect").count() == funnel.locator("tbody tr").count()
    assert page.locator("table caption").count() == 11
    row = funnel.locator("tbody tr", has_text="Brouillons repris")
    assert row.locator("td").inner_text() == "1"
    page.screenshot(path=str(shots / "statistiques.png"), full_page=True)
    assert axe_report(page) == ""
    csv = page.request.get(counting.url + "/statistiques/donnees.csv")
    assert csv.status == 200 and "telechargement.zip" in csv.text()


def test_the_survey_has_no_violation_and_thanks_once(page, counting):
    page.goto(counting.url + "/avis/")
    assert axe_report(page) == ""
    # The DSFR draws its own radio buttons: a person clicks their labels.
    page.get_by_text("Très satisfait(e)", exact=True).click()
    page.get_by_text("Employeur", exact=True).click()
    assert page.get_by_label("Très satisfait(e)").is_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer mon avis").click()
    assert "Merci, votre avis est compté" in page.content()
    assert axe_report(page) == ""


def test_without_javascript_the_charts_are_there(nojs_context, counting):
    page = nojs_context.new_page()
    use_the_service(page, counting.url)
    for _ in range(30):
        page.goto(counting.url + "/statistiques/")
        if page.locator("svg.cerfa-chart__svg").count() >= 3:
            break
        time.sleep(0.5)
    assert page.locator("svg.cerfa-chart__svg").count() >= 3
