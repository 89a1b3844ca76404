"""The API's documentation page in a real Chromium against the production server: reached
from the site map, nothing blocked by the CSP (the watch fails on any console error or
refused resource), and axe finds nothing on it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_api_documentation_is_reached_from_the_site_map_and_has_no_violation(
    page, live_url, shots
):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(live_url + "/plan-du-site/")
    with page.expect_navigation():
        page.get_by_role("link", name="API pour les logiciels de CFA").click()
    assert page.url == live_url + "/api/v1/"
    assert page.locator("h1").all_inner_texts() == ["API pour les logiciels de CFA"]
    # Each problem's type links to its row here.
    page.goto(live_url + "/api/v1/#trop-de-demandes")
    assert page.locator("#trop-de-demandes").is_visible()
    page.screenshot(path=str(shots / "pages-api-v1.png"), full_page=True)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
