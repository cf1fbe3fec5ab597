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
