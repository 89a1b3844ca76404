"""The pages as ``make run`` serves them: every resource loads, the DSFR's styles apply.

The pages were once served unstyled: the production storage had rewritten the DSFR's
stylesheets, the browser refused them (integrity), and no test ran that configuration.
Here every page is opened on the production server (tests/server.py) and the ``context``
fixture fails a test on any blocked or missing resource and any console error.
"""

from __future__ import annotations

import re
import uuid

import pytest
from axe_playwright_python.sync_playwright import Axe

from cerfa.pdfimport import MAX_PDF_BYTES
from cerfa.wizard.continuation import FORM_MARGIN
from tests.browser.conftest import Watch, _context
from tests.browser.test_e2e import upload_draft
from tests.helpers import EXAMPLE
from tests.server import start_server

pytestmark = pytest.mark.browser

BLUE_FRANCE = "rgb(0, 0, 145)"  # the DSFR's primary button colour, #000091


def assert_styled(page, watch: Watch) -> None:
    """The DSFR's stylesheets, scripts and font loaded, and its styles applied."""
    page.wait_for_load_state("load")
    page.evaluate("() => document.fonts.ready")
    loaded = {
        (kind, re.sub(r"\.[0-9a-f]{12}\.", ".", url.rsplit("/", 1)[-1]))
        for kind, url, _ in watch.loaded
    }
    assert ("stylesheet", "dsfr.min.css") in loaded, loaded
    assert ("stylesheet", "utility.min.css") in loaded, loaded
    assert ("stylesheet", "cerfa.css") in loaded, loaded
    assert any(kind == "font" and "Marianne" in name for kind, name in loaded), loaded
    assert ("script", "dsfr.module.min.js") in loaded, loaded
    style = page.evaluate(
        "() => ({font: getComputedStyle(document.body).fontFamily,"
        " marianne: document.fonts.check('16px Marianne'),"
        " logo: getComputedStyle(document.querySelector('.fr-logo')).textTransform,"
        " container: getComputedStyle(document.querySelector('.fr-container')).maxWidth})"
    )
    assert style["font"].startswith("Marianne"), style
    assert style["marianne"], style
    assert style["logo"] == "uppercase", style
    assert style["container"] == "1248px", style  # the DSFR's 78rem grid


def test_the_watch_sees_a_stylesheet_refused_for_its_integrity(browser, live_url):
    """The check below can fail: a stylesheet whose bytes do not match its integrity
    attribute (what happened to the DSFR's) is reported."""
    ctx = _context(browser, javascript=True)
    watch = Watch()
    ctx.on("page", watch.attach)
    page = ctx.new_page()
    page.goto(live_url + "/")
    href = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    page.evaluate(
        "href => new Promise(done => { const l = document.createElement('link');"
        " l.rel = 'stylesheet'; l.href = href + '?autre'; l.integrity = 'sha384-' + 'A'.repeat(64);"
        " l.onerror = done; l.onload = done; document.head.appendChild(l); })",
        href,
    )
    ctx.close()
    assert any("integrity" in p or "blocked stylesheet" in p for p in watch.problems), (
        watch.problems
    )


def test_home_steps_review_and_error_pages_are_styled_and_accessible(
    context, watch, live_url, shots
):
    page = context.new_page()
    axe = Axe()
    reports = {}

    def check(label: str) -> None:
        assert_styled(page, watch)
        page.screenshot(path=str(shots / f"prod-{label}.png"), full_page=True)
        results = axe.run(page)
        if results.violations_count:
            reports[label] = results.generate_report()
        watch.loaded.clear()

    page.goto(live_url + "/")
    check("accueil")

    upload_draft(page, live_url, EXAMPLE.read_bytes())
    assert page.url.endswith("/recapitulatif/")
    check("recapitulatif")
    base = page.url.removesuffix("recapitulatif/")
    for step in ("contrat-en-bref", "apprenti", "remuneration"):
        page.goto(base + step + "/")
        check(step)

    response = page.goto(f"{live_url}/contrat/{uuid.uuid4()}/apprenti/")
    assert response.status == 404 and "Ce contrat n’est plus disponible" in page.content()
    check("404-contrat")
    response = page.goto(live_url + "/page-qui-n-existe-pas/")
    assert response.status == 404
    check("404")

    # A file over the size limit (« Reprendre » takes a filled CERFA, cerfa/wizard/
    # continuation.upload_routes): the server answers 413 before reading it, in French.
    upload_draft(page, live_url, b" " * (MAX_PDF_BYTES + FORM_MARGIN + 1))
    assert "Envoi trop volumineux" in page.content()
    check("413")
    assert reports == {}, "\n\n".join(f"== {k} ==\n{v}" for k, v in reports.items())


def test_saturated_page_is_styled_and_keeps_the_contract_in_progress(context, watch, shots):
    """A store with room for one contract: the second is refused with « saturé », and the
    first is still there."""
    server = start_server(CERFA_MAX_CONTRACTS="1")
    try:
        first = context.new_page()
        upload_draft(first, server.url, EXAMPLE.read_bytes())
        review = first.url
        assert review.endswith("/recapitulatif/")

        other = context.browser.new_context(locale="fr-FR")
        other.on("page", watch.attach)
        page = other.new_page()
        page.goto(server.url + "/")
        button = page.get_by_role("button", name="Commencer")
        button.focus()
        with page.expect_navigation() as navigation:
            page.keyboard.press("Enter")
        assert navigation.value.status == 503
        assert "Service momentanément saturé" in page.content()
        assert_styled(page, watch)
        page.screenshot(path=str(shots / "prod-sature.png"), full_page=True)
        assert Axe().run(page).violations_count == 0
        other.close()

        first.reload()
        assert "MOREAU" in first.content() or "Moreau" in first.content()
    finally:
        server.stop()
