"""The site's layout on a phone and on a desktop in a real headless Chromium, under both
engines (the fixtures and the served sites of ``test_site_browser``): tables that stack, charts
legible at 390 px, the footer's service links, "Over deze site" and no cookies."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import test_site_browser as served
from test_site_browser import _all_pages_of, engine_site

# The served sites and their fixtures (one per engine), shared with test_site_browser.
engine, site_url, page = served.engine, served.site_url, served.page

pytestmark = pytest.mark.browser

DOCS_IMAGES = Path(__file__).resolve().parents[1] / "docs" / "images"
# Set to 1 to write the phone screenshot of the manual (docs/images/measure-390.png) too.
SCREENSHOT_ENV = "CONVENANTGEN_DOCS_SCREENSHOTS"


# Every cell (header or body) that shows, with the part of the screen it may use: the
# viewport, narrowed to the visible area of the box that scrolls it.
CUT_CELLS = """() => {
  const width = document.documentElement.clientWidth, out = [];
  document.querySelectorAll('.md-typeset table').forEach((table, n) => {
    const box = table.closest('.md-typeset__scrollwrap, .cg-scroll');
    const area = box ? box.getBoundingClientRect() : {left: 0, right: width};
    const left = Math.max(0, area.left), right = Math.min(width, area.right);
    table.querySelectorAll('th, td').forEach(cell => {
      const head = cell.closest('thead');
      if (head && getComputedStyle(head).position === 'absolute') return;  // screen readers
      const r = cell.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return;  // a row the filter hides
      if (r.left < left - 1 || r.right > right + 1) {
        out.push(`table ${n + 1}: '${cell.textContent.trim().slice(0, 30)}' `
                 + `${Math.round(r.left)}-${Math.round(r.right)} of ${Math.round(left)}-`
                 + `${Math.round(right)}`);
      }
    });
  });
  return out;
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_no_table_cell_is_cut_off(browser, site_url, engine, width):
    """On every page: a phone sees every cell of every table without swiping sideways (the
    rows stack), a desktop sees every column (nothing hidden in the scroll box)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    page = context.new_page()
    cut, tables = [], 0
    for path in _all_pages_of(engine_site(engine)):
        page.goto(site_url + path.lstrip("/"))
        page.wait_for_load_state("load")
        tables += page.eval_on_selector_all(".md-typeset table", "ts => ts.length")
        cut += [f"{path}: {c}" for c in page.evaluate(CUT_CELLS)]
    context.close()
    assert tables > 80
    assert cut == [], "\n".join(cut)


def test_a_stacked_row_names_each_value_by_its_column(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.goto(site_url + "almere/maatregelen/zij-instroom/")
    label = page.evaluate(
        """getComputedStyle(document.querySelector(
             'table[data-cg-stack] td[data-label="Waarde"]'), '::before').content"""
    )
    assert label == '"Waarde: "'
    assert (
        page.evaluate("getComputedStyle(document.querySelector('table[data-cg-stack] tr')).display")
        == "block"
    )
    context.close()
    # On a desktop the same table is a table.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.goto(site_url + "almere/maatregelen/zij-instroom/")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('table[data-cg-stack] tr')).display")
        == "table-row"
    )
    context.close()


FOOTER_LINKS = ["Over deze site", "Toegankelijkheid", "Open data", "Contact"]


def _footer_links(page) -> list[dict]:
    return page.eval_on_selector_all(
        ".md-footer .cg-footer-links a",
        """els => els.map(a => { const r = a.getBoundingClientRect();
            return {text: a.textContent.trim(), top: Math.round(r.top), right: r.right,
                    left: r.left, href: a.href}; })""",
    )


@pytest.mark.parametrize("path", ["", "almere/maatregelen/zij-instroom/", "over-deze-site/"])
def test_footer_links_share_a_row_on_a_desktop_and_fit_a_phone(browser, site_url, path):
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
        page = context.new_page()
        page.goto(site_url + path)
        links = _footer_links(page)
        assert [a["text"] for a in links] == FOOTER_LINKS
        assert links[-1]["href"] == site_url + "over-deze-site/#contact"
        if width == 1280:
            assert len({a["top"] for a in links}) == 1, links
        assert all(a["left"] >= 0 and a["right"] <= width for a in links), links
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()


def test_over_deze_site_is_reached_from_the_footer_and_sets_no_cookie(browser, site_url, engine):
    """Every page of the site, visited in one browser: no cookie, in the browser's jar or in
    the page's document.cookie, so "Deze site gebruikt geen cookies" is true."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.goto(site_url)
    page.click(".cg-footer-links a:text-is('Over deze site')")
    page.wait_for_url("**/over-deze-site/")
    assert page.inner_text("article h1") == "Over deze site"
    assert "Deze site gebruikt geen cookies." in page.inner_text("article")
    page.click(".cg-footer-links a:text-is('Contact')")
    assert page.evaluate("location.hash") == "#contact"
    for path in _all_pages_of(engine_site(engine)):
        page.goto(site_url + path.lstrip("/"))
        assert page.evaluate("document.cookie") == "", path
    page.goto(site_url + "zoeken/?q=Almere")
    page.wait_for_selector(".cg-search[data-state=done]", timeout=15000)
    assert context.cookies() == []
    context.close()


# Each chart text's size on the screen (its font size times the chart's scale) and where it
# and the chart end, against the viewport.
CHART_TEXT = """() => [...document.querySelectorAll('svg.cg-chart')].flatMap(svg => {
  const scale = svg.getScreenCTM().a, box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent.slice(0, 40), px: parseFloat(getComputedStyle(t).fontSize) * scale,
            left: r.left, right: r.right, svgLeft: box.left, svgRight: box.right};
  });
})"""


def test_charts_are_legible_on_a_phone(browser, site_url, engine):
    """At 390 px every chart's text is at least 12 px and inside both the chart and the
    screen, on every page that has a chart."""
    context = browser.new_context(viewport={"width": 390, "height": 900}, locale="nl-NL")
    page = context.new_page()
    small, outside, texts = [], [], 0
    for path in _all_pages_of(engine_site(engine)):
        if "/maatregelen/" not in path:
            continue
        page.goto(site_url + path.lstrip("/"))
        for t in page.evaluate(CHART_TEXT):
            texts += 1
            if t["px"] < 12:
                small.append(f"{path}: '{t['text']}' {t['px']:.1f} px")
            if t["left"] < max(0, t["svgLeft"]) - 1 or t["right"] > min(390, t["svgRight"]) + 1:
                outside.append(f"{path}: '{t['text']}' {t['left']:.0f}-{t['right']:.0f}")
    context.close()
    assert texts >= 10
    assert small == [], small[:10]
    assert outside == [], outside[:10]


def test_measure_page_on_a_phone_screenshot(browser, site_url, engine):
    """A measure page at 390 px: its tables stacked, its chart legible, the footer's links.
    With CONVENANTGEN_DOCS_SCREENSHOTS=1 the MkDocs one becomes the manual's picture."""
    context = browser.new_context(
        viewport={"width": 390, "height": 800}, locale="nl-NL", device_scale_factor=1
    )
    page = context.new_page()
    page.goto(site_url + "almere/maatregelen/zij-instroom/")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    served.ARTIFACTS.mkdir(exist_ok=True)
    target = served.ARTIFACTS / f"measure-390-{engine}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    # The manual's picture: one screen from the heading of the first stacked table.
    page.eval_on_selector(
        "table[data-cg-stack]",
        """t => { const box = t.closest('.md-typeset__scrollwrap, .cg-scroll') || t;
                  (box.previousElementSibling || box).scrollIntoView();
                  window.scrollBy(0, -64); }""",  # below the sticky header
    )
    page.wait_for_timeout(600)  # the header's title has slid to the page's
    screen = served.ARTIFACTS / f"measure-390-screen-{engine}.png"
    page.screenshot(path=str(screen))
    context.close()
    assert screen.stat().st_size > 10_000
    if os.environ.get(SCREENSHOT_ENV) == "1" and engine == "mkdocs":
        shutil.copyfile(screen, DOCS_IMAGES / "measure-390.png")
