"""The built site in a real headless Chromium (Playwright with the system browser).

The site from ``test_site`` (built once per session) is served by ``http.server`` on
127.0.0.1 with a random port. The tests crawl every link, search with Material's own search
box, fetch the downloads and run axe-core (bundled by the ``axe-playwright-python`` package).
"""

from __future__ import annotations

import hashlib
import http.server
import threading
import urllib.error
import urllib.request
from collections import deque
from functools import partial
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_site import _build

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass


@pytest.fixture(scope="session")
def site_url():
    built = _build()
    handler = partial(_QuietHandler, directory=str(built.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def _is_page(url: str) -> bool:
    path = urlsplit(url).path
    return path.endswith("/") or path.endswith(".html")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_every_page_loads_and_no_link_is_broken(page, site_url):
    built = _build()
    seen_pages: set[str] = set()
    checked: dict[str, int] = {}
    broken: list[str] = []
    queue = deque([site_url])
    while queue:
        url = queue.popleft()
        if url in seen_pages:
            continue
        seen_pages.add(url)
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert page.errors == [], f"console errors on {url}: {page.errors}"
        ids = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            target, fragment = urldefrag(href)
            if not target.startswith(site_url):
                broken.append(f"{url}: external link {href}")
                continue
            if fragment and target == url and fragment not in ids:
                broken.append(f"{url}: no element with id '{fragment}'")
            if _is_page(target):
                if target not in seen_pages:
                    queue.append(target)
            else:
                checked.setdefault(target, _status(target))
                if checked[target] != 200:
                    broken.append(f"{url}: {href} gives HTTP {checked[target]}")
    assert broken == []
    # Every page that was built is reachable from the navigation.
    built_pages = {
        site_url + p.parent.relative_to(built.site).as_posix() + "/"
        for p in built.site.rglob("index.html")
    }
    built_pages = {u.replace("/./", "/") for u in built_pages}
    assert built_pages <= seen_pages, sorted(built_pages - seen_pages)
    assert len(seen_pages) > 30


def _search(page, site_url: str, query: str) -> list[str]:
    """The result links for ``query``, typed into Material's search box at once.

    Typing key by key races: the results of "z" or "zij" can be read before those of the
    whole query arrive. Material searches on key events, so the box is filled without them
    and the last character typed: one search, for the whole query. The list is read once it
    stays the same for half a second.
    """
    page.goto(site_url)
    page.click("input.md-search__input")
    page.fill("input.md-search__input", query[:-1])
    page.keyboard.type(query[-1])
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15000)
    hrefs: list[str] = []
    for _ in range(30):
        now = results.evaluate_all("els => els.map(e => e.href)")
        if now == hrefs:
            break
        hrefs = now
        page.wait_for_timeout(500)
    return hrefs


def test_search_finds_the_measure_page(page, site_url):
    hrefs = _search(page, site_url, "zij-instromers")
    paths = [urlsplit(h).path for h in hrefs]
    assert "/almere/maatregelen/zij-instroom/" in paths, paths
    assert page.errors == []


def test_download_links_resolve_to_the_listed_files(page, site_url):
    built = _build()
    page.goto(site_url + "almere/downloads/")
    links = page.eval_on_selector_all("a[download]", "els => els.map(e => e.href)")
    expected = {d.path: d.sha256 for d in built.downloads if d.dossier == "almere"}
    assert len(links) == len(expected) > 0
    for href in links:
        path = urlsplit(href).path.split("/downloads/", 1)[1]
        response = page.request.get(href)
        assert response.status == 200, href
        assert hashlib.sha256(response.body()).hexdigest() == expected[path]
        assert expected[path] in page.content()


def test_script_in_yaml_shows_as_text_and_never_runs(page, site_url):
    page.goto(site_url + "xss/maatregelen/zij-instroom/")
    assert page.evaluate("typeof window.__xss") == "undefined"
    body = page.inner_text("article")
    assert "<script>window.__xss = 'text'</script> & <b>vet</b> *geen nadruk*" in body
    assert "</title><script>window.__xss = 'title'</script>" in page.title()
    assert page.errors == []


PAGES_TO_SCAN = [
    "",
    "almere/",
    "almere/maatregelen/",
    "almere/maatregelen/zij-instroom/",
    "almere/partijen/",
    "almere/tijdlijn/",
    "almere/tekst-addendum-2024/",
    "almere/downloads/",
    "open-data/",
]


@pytest.mark.parametrize("path", PAGES_TO_SCAN)
def test_no_serious_accessibility_violations(page, site_url, path):
    page.goto(site_url + path)
    result = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []


def test_measure_page_screenshot(page, site_url):
    page.goto(site_url + "almere/maatregelen/zij-instroom/")
    chart = page.locator("svg.cg-chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "measure-page.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000


def test_no_page_of_the_hostile_dossier_runs_script_or_opens_a_dialog(page, site_url):
    """Markdown syntax in YAML (attribute lists, javascript: links) stays text on every page."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    seen, queue = set(), deque([site_url + "xss/"])
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        page.goto(url)
        for _ in range(5):  # focus moves through the page: an onfocus handler would fire
            page.keyboard.press("Tab")
        handlers = page.evaluate(
            """() => [...document.querySelectorAll('*')].flatMap(e =>
                [...e.attributes].filter(a => a.name.startsWith('on')).map(a => a.name))"""
        )
        assert handlers == [], (url, handlers)
        assert page.eval_on_selector_all('a[href^="javascript:"]', "els => els.length") == 0
        assert page.evaluate("typeof window.__xss") == "undefined"
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        queue.extend(
            urldefrag(link).url
            for link in links
            if urldefrag(link).url.startswith(site_url + "xss/") and _is_page(link)
        )
    assert len(seen) > 5
    assert dialogs == []
    page.goto(site_url + "xss/maatregelen/")
    assert "{: tabindex=1 autofocus onfocus=alert(9) }" in page.inner_text("article")


def _all_pages(built) -> list[str]:
    return sorted(
        p.parent.relative_to(built.site).as_posix().removeprefix(".") + "/"
        for p in built.site.rglob("index.html")
        if p.parent.name != "404"
    )


@pytest.mark.parametrize("width", [360, 390])
def test_no_page_scrolls_sideways_on_a_phone(browser, site_url, width):
    """Phones first: at 360 and 390 px every page fits; wide tables scroll inside their box."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="nl-NL")
    page = context.new_page()
    too_wide = []
    pages = _all_pages(_build())
    assert len(pages) > 30
    for path in pages:
        page.goto(site_url + path.lstrip("/"))
        page.wait_for_load_state("load")
        document_width = page.evaluate("document.documentElement.scrollWidth")
        if document_width > width:
            too_wide.append(f"{path}: {document_width} px")
        # Every table sits in a box that scrolls and that the keyboard can reach.
        unboxed = page.evaluate(
            """() => [...document.querySelectorAll('.md-typeset table')].filter(t => {
                const box = t.closest('.md-typeset__scrollwrap, .cg-scroll');
                return !box || box.getAttribute('tabindex') !== '0';
            }).length"""
        )
        assert unboxed == 0, path
    if width == 390:
        ARTIFACTS.mkdir(exist_ok=True)
        for name, path in (
            ("home-390.png", ""),
            ("measure-390.png", "almere/maatregelen/zij-instroom/"),
        ):
            page.goto(site_url + path)
            page.screenshot(path=str(ARTIFACTS / name), full_page=True)
            assert (ARTIFACTS / name).stat().st_size > 10_000
    context.close()
    assert too_wide == []


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("zij-instromers", "/almere/maatregelen/zij-instroom/"),
        ("zij-instroom", "/almere/maatregelen/zij-instroom/"),
        ("de zij-instromers", "/almere/maatregelen/zij-instroom/"),
        ('"zij-instromers"', "/almere/maatregelen/zij-instroom/"),
        ("Van de Zij-Instromers", "/almere/maatregelen/zij-instroom/"),
        ("onderwijsassistenten", "/almere/maatregelen/onderwijsassistenten/"),
        # The overview has the section on accession requests and their steps.
        ("toetreding", "/almere/"),
        ("mobiliteitstoelage", "/onderwijsregio/maatregelen/mobiliteitstoelage/"),
        # Only in "(rapportcijfer)": brackets separate words in the index.
        ("rapportcijfer", "/almere/maatregelen/ondersteuning-in-de-school/"),
    ],
)
def test_search_in_dutch_finds_the_page_first_and_reads_well(page, site_url, query, first):
    hrefs = _search(page, site_url, query)
    assert urlsplit(hrefs[0]).path == first, hrefs[:5]
    text = page.inner_text(".md-search-result")
    # Dutch stop words and the parts of a hyphenated compound are never "missing".
    assert "Ontbreekt" not in text, text[:500]
    # Chart labels are not in the index: no glued axis numbers in a snippet.
    assert "0102030" not in text and "illustratiefDoel" not in text, text[:500]
    assert page.errors == []


def test_register_sorts_and_filters_on_a_phone(browser, site_url):
    """The home page's register at 390 px: filter by typing, sort by a column, no sideways
    scroll; each row shows its column names (cards)."""
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="nl-NL")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url)
    page.wait_for_load_state("load")
    rows = ".cg-register tbody tr"

    def visible_dossiers() -> list[str]:
        return page.eval_on_selector_all(
            rows,
            "rs => rs.filter(r => !r.hidden).map(r => r.cells[0].querySelector('a')"
            ".getAttribute('href'))",
        )

    assert len(visible_dossiers()) == 6
    page.fill(".cg-register-filter input", "afgelopen")
    assert visible_dossiers() == [
        "dierziekten-lnv/",
        "vervangingspool-twente/",
        "zoetwater-ijsselmeergebied/",
    ]
    assert page.inner_text(".cg-register-count") == "3 van 6 dossiers"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill(".cg-register-filter input", "")
    # By next deadline: the earliest first, dossiers without one last.
    page.click(".cg-register th:nth-child(4) button.cg-sort")
    order = visible_dossiers()
    assert order[:3] == ["almere/", "xss/", "onderwijsregio/"], order
    assert page.get_attribute(".cg-register th:nth-child(4)", "aria-sort") == "ascending"
    page.click(".cg-register th:nth-child(4) button.cg-sort")
    # Descending: the latest first; still without a deadline last, in the page's order.
    assert visible_dossiers() == [
        "onderwijsregio/",
        "almere/",
        "xss/",
        "dierziekten-lnv/",
        "vervangingspool-twente/",
        "zoetwater-ijsselmeergebied/",
    ]
    assert page.get_attribute(".cg-register th:nth-child(4)", "aria-sort") == "descending"
    # By number of parties, descending after a second click: 16 (Almere and its copy) first.
    page.click(".cg-register th:nth-child(7) button.cg-sort")
    page.click(".cg-register th:nth-child(7) button.cg-sort")
    assert visible_dossiers()[:2] == ["almere/", "xss/"]
    label = page.evaluate(
        "getComputedStyle(document.querySelector('.cg-register tbody td:nth-child(2)'),"
        " '::before').content"
    )
    assert "Penvoerder" in label
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
    context.close()
