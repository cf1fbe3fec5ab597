"""The site's layout on a phone and on a desktop in a real headless Chromium, under both
engines (the fixtures and the served sites of ``test_site_browser``): tables that stack, charts
legible at 390 px, the footer's service links, "Over deze site" and no cookies."""

from __future__ import annotations

import pytest
import test_site_browser as served
from test_site_browser import _all_pages_of, engine_site

# The served sites and their fixtures (one per engine), shared with test_site_browser.
engine, site_url, page = served.engine, served.site_url, served.page

pytestmark = pytest.mark.browser


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
