"""The contract's timeline in a real Chromium, on the review page of the production server:
drawn with its labels apart, readable at 200 % zoom and in black and white (screenshots in
the shots folder, looked at), and no accessibility violation on the page."""

from __future__ import annotations

import pytest

from tests.browser.test_e2e import upload_draft
from tests.helpers import EXAMPLE

pytestmark = pytest.mark.browser

# The label of each period and milestone: the box around its lines of text, on the page.
TEXT_BOXES = """svg => [...svg.querySelectorAll('g[data-type]')].map(g => {
  const rs = [...g.querySelectorAll('text')].map(t => t.getBoundingClientRect());
  return {
    text: g.querySelector('text').textContent,
    left: Math.min(...rs.map(r => r.left)), right: Math.max(...rs.map(r => r.right)),
    top: Math.min(...rs.map(r => r.top)), bottom: Math.max(...rs.map(r => r.bottom)),
  };
})"""


def _overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if (
                a["left"] < b["right"] - 0.5
                and b["left"] < a["right"] - 0.5
                and a["top"] < b["bottom"] - 0.5
                and b["top"] < a["bottom"] - 0.5
            ):
                found.append((a["text"], b["text"]))
    return found


def _open_review(page, live_url) -> None:
    upload_draft(page, live_url, EXAMPLE.read_bytes())
    assert page.url.endswith("/recapitulatif/")
    page.locator("#frise svg").wait_for()


def _figure_checks(page) -> dict:
    svg = page.locator("#frise svg")
    boxes = svg.evaluate(TEXT_BOXES)
    assert len(boxes) == 11
    assert _overlaps(boxes) == []
    frame = page.locator(".cerfa-timeline__figure").bounding_box()
    drawn = svg.bounding_box()
    # Every text is inside the drawing (none cut off at its edges).
    for box in boxes:
        assert drawn["x"] - 1 <= box["left"] and box["right"] <= drawn["x"] + drawn["width"] + 1
    # The page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    return {"frame": frame, "drawn": drawn, "font": svg.evaluate(FONT_SIZE)}


# The text's size on screen, in CSS pixels: its font size scaled as the drawing is.
FONT_SIZE = """svg => {
  const t = svg.querySelector('text');
  return parseFloat(getComputedStyle(t).fontSize) * svg.getBoundingClientRect().width
    / svg.viewBox.baseVal.width;
}"""


def test_review_page_draws_the_timeline_readable_zoomed_and_accessible(page, live_url, shots):
    from axe_playwright_python.sync_playwright import Axe

    _open_review(page, live_url)
    page.locator("#frise").screenshot(path=str(shots / "frise-recapitulatif.png"))
    page.locator("#frise svg").screenshot(path=str(shots / "frise-dessin.png"))
    normal = _figure_checks(page)
    # One group per period and per milestone, each visible.
    assert page.locator("#frise svg g[data-type=periode]").count() == 3
    assert page.locator("#frise svg g[data-type=jalon]").count() == 8
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    # 200 % zoom of the same 1280 × 900 window: half as many CSS pixels, each twice as big.
    zoomed_context = page.context.browser.new_context(
        locale="fr-FR", viewport={"width": 640, "height": 450}, device_scale_factor=2
    )
    try:
        zoomed = zoomed_context.new_page()
        _open_review(zoomed, live_url)
        zoomed.locator("#frise").screenshot(path=str(shots / "frise-recapitulatif-200.png"))
        zoomed.locator("#frise svg").screenshot(path=str(shots / "frise-dessin-200.png"))
        big = _figure_checks(zoomed)
    finally:
        zoomed_context.close()
    # On screen the text is at least 1.6 times as big as unzoomed (2 × device pixels, the
    # drawing taking the narrower column's width), never smaller than 11 CSS pixels.
    assert big["font"] * 2 >= 1.6 * normal["font"]
    assert big["font"] >= 11


def test_timeline_reads_in_black_and_white(browser, live_url, shots):
    # Playwright may add a style to a page only past its Content-Security-Policy.
    grey = browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    try:
        page = grey.new_page()
        _open_review(page, live_url)
        page.add_style_tag(content="html { filter: grayscale(1); }")
        page.locator("#frise svg").screenshot(path=str(shots / "frise-noir-et-blanc.png"))
        # Each period but the first is hatched, and two periods side by side never share
        # both their shade and their hatching.
        bars = page.locator("#frise svg g[data-type=periode]")
        kinds = [
            (
                bars.nth(i).locator(".cerfa-tl__bar").get_attribute("class"),
                bars.nth(i).locator(".cerfa-tl__pattern").count()
                and bars.nth(i).locator(".cerfa-tl__pattern").get_attribute("fill"),
            )
            for i in range(bars.count())
        ]
        assert all(a != b for a, b in zip(kinds, kinds[1:], strict=False))
        # The estimated milestone says so in words, not only by its dashed line.
        estimate = page.locator("#frise svg g[data-jalon=fin_essai]")
        assert "estimation" in estimate.locator("text").all_text_contents()[-1]
    finally:
        grey.close()
