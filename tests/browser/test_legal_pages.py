"""The pages a public service owes, in a real Chromium against the production server: each
reached from the home page's footer with the keyboard alone (Tab, then Enter), with and
without JavaScript; axe finds nothing on any of them. And /sante/ as a probe sees it."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

# The footer's links, in their order, and the h1 of the page each opens.
FOOTER = [
    ("Plan du site", "/plan-du-site/", "Plan du site"),
    ("Accessibilité : non conforme", "/accessibilite/", "Déclaration d’accessibilité"),
    ("Mentions légales", "/mentions-legales/", "Mentions légales"),
    ("Politique de confidentialité", "/confidentialite/", "Politique de confidentialité"),
]
# Every focusable element of the home page fits well within this many presses of Tab.
MAX_TABS = 60


def focused_text(page) -> str:
    focused = page.locator(":focus")
    return " ".join(focused.inner_text().split()) if focused.count() else ""


def tab_to(page, text: str) -> int:
    """Press Tab until the link reading ``text`` has the focus; how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if focused_text(page) == text:
            return presses
    raise AssertionError(f"« {text} » not reached with {MAX_TABS} presses of Tab")


def open_by_keyboard(page, live_url: str, text: str, path: str, h1: str) -> None:
    page.goto(live_url + "/")
    tab_to(page, text)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_url + path
    assert page.locator("h1").all_inner_texts() == [h1]
    assert page.locator(f'.fr-footer__bottom-link[aria-current="page"][href="{path}"]').count() == 1


def test_every_legal_page_is_reached_from_the_footer_by_keyboard_and_has_no_violation(
    page, live_url, shots
):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    reports = {}
    for text, path, h1 in FOOTER:
        open_by_keyboard(page, live_url, text, path, h1)
        page.screenshot(path=str(shots / f"pages-{path.strip('/')}.png"), full_page=True)
        results = axe.run(page)
        if results.violations_count:
            reports[path] = results.generate_report()
    assert reports == {}, "\n\n".join(f"== {k} ==\n{v}" for k, v in reports.items())


def test_the_skip_link_to_the_footer_shortens_the_way(page, live_url):
    page.goto(live_url + "/")
    long_way = tab_to(page, "Plan du site")
    page.goto(live_url + "/")
    tab_to(page, "Pied de page")
    page.keyboard.press("Enter")
    assert tab_to(page, "Plan du site") < long_way


def test_without_javascript_every_legal_page_is_reached_by_keyboard(nojs_context, live_url):
    page = nojs_context.new_page()
    for text, path, h1 in FOOTER:
        open_by_keyboard(page, live_url, text, path, h1)


def test_the_production_server_answers_its_health_check(page, live_url):
    response = page.request.get(live_url + "/sante/")
    assert response.status == 200
    assert "no-store" in response.headers["cache-control"]
    assert "content-security-policy" in response.headers
    assert json.loads(response.body())["status"] == "ok"
