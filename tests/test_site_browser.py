"""The built site in a real headless Chromium (Playwright with the system browser), under
both engines: every test here runs on the site MkDocs built and on the one Zensical built.

The site from ``test_site`` (built once per session, and once more with Zensical) is served
by ``http.server`` on 127.0.0.1 with a random port. The tests crawl every link, type Dutch
queries into the search box (Pagefind, the same for both engines), fetch the downloads, walk
the page with the keyboard and run axe-core (bundled by ``axe-playwright-python``) on every
page at 390 and 1280 px.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import http.server
import re
import shutil
import tempfile
import threading
import urllib.error
import urllib.request
from collections import deque
from functools import partial
from pathlib import Path
from urllib.parse import quote, urldefrag, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_site import _build, _fake_downloads

from convenantgen.model.citations import BASE_URL
from convenantgen.site.engine import ENGINES, build_site

pytestmark = pytest.mark.browser
# A citation's page on zoek.officielebekendmakingen.nl: the one link that leaves the site.
OFFICIAL_PAGE = re.compile(re.escape(BASE_URL) + r"/(stcrt|stb|trb|kst)-[0-9A-Z-]+\.html")

ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass


@functools.cache
def zensical_site() -> Path:
    """The Markdown of ``test_site`` built with Zensical (once per process)."""
    built = _build()
    work = Path(tempfile.mkdtemp(prefix="convenantgen-zensical-"))
    atexit.register(shutil.rmtree, work, True)
    docs = work / "docs"
    shutil.copytree(built.docs, docs)
    # Zensical checks the download links too: the files are in place before it runs.
    for entry in _fake_downloads(work, list(dict.fromkeys(d.dossier for d in built.downloads))):
        target = docs / "downloads" / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(entry["_data"])
    build_site(docs, work / "site", engine="zensical")
    return work / "site"


def engine_site(engine: str) -> Path:
    return _build().site if engine == "mkdocs" else zensical_site()


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def site_url(engine):
    handler = partial(_QuietHandler, directory=str(engine_site(engine)))
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


def test_every_page_loads_and_no_link_is_broken(page, site_url, engine):
    site = engine_site(engine)
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
                # The one way out: a citation's official page (not fetched: no network).
                if not OFFICIAL_PAGE.fullmatch(href):
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
        site_url + p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
    }
    built_pages = {u.replace("/./", "/") for u in built_pages}
    assert built_pages <= seen_pages, sorted(built_pages - seen_pages)
    assert len(seen_pages) > 30


def _search(page, site_url: str, query: str) -> list[str]:
    """The result links for ``query``, typed into the search box of the home page as a
    visitor does: the query goes to the search page, which lists the hits when it is done."""
    page.goto(site_url)
    page.fill("#cg-search-input", query)
    page.press("#cg-search-input", "Enter")
    page.wait_for_url("**/zoeken/**")
    page.wait_for_selector(".cg-search[data-state=done]", timeout=15000)
    return page.eval_on_selector_all(".cg-search-list a", "els => els.map(e => e.href)")


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
    # The checksums are not on the page but in the open data, one sha256sum line per file.
    assert not [d for d in expected.values() if d in page.content()]
    sums = page.request.get(site_url + "open-data/controlegetallen.txt")
    assert sums.status == 200
    lines = set(sums.text().splitlines())
    assert {f"{digest}  {path}" for path, digest in expected.items()} <= lines


def test_script_in_yaml_shows_as_text_and_never_runs(page, site_url):
    page.goto(site_url + "xss/maatregelen/zij-instroom/")
    assert page.evaluate("typeof window.__xss") == "undefined"
    body = page.inner_text("article")
    assert "<script>window.__xss = 'text'</script> & <b>vet</b> *geen nadruk*" in body
    assert "</title><script>window.__xss = 'title'</script>" in page.title()
    assert page.errors == []


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


def _all_pages_of(site: Path) -> list[str]:
    return sorted(
        p.parent.relative_to(site).as_posix().removeprefix(".") + "/"
        for p in site.rglob("index.html")
        if p.parent.name != "404"
    )


@pytest.mark.parametrize("width", [360, 390])
def test_no_page_scrolls_sideways_on_a_phone(browser, site_url, engine, width):
    """Phones first: at 360 and 390 px every page fits; wide tables scroll inside their box."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="nl-NL")
    page = context.new_page()
    too_wide = []
    pages = _all_pages_of(engine_site(engine))
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


# The copy of Almere (xss) has the same parties: its parties page is as right.
PARTIES = {f"/{d}/partijen/" for d in ("almere", "xss", "onderwijsregio", "vervangingspool-twente")}


@pytest.mark.parametrize(
    ("query", "first"),
    [
        # Place names lead to the dossier, not to the downloads page full of file names.
        ("Almere", {"/almere/"}),
        ("dierziekten", {"/dierziekten-lnv/"}),
        ("Twente", {"/vervangingspool-twente/"}),
        ("zoetwater", {"/zoetwater-ijsselmeergebied/"}),
        # A Dutch stop word on its own, and a compound with it.
        ("zij", {"/almere/maatregelen/zij-instroom/"}),
        ("zij-instromers", {"/almere/maatregelen/zij-instroom/"}),
        ("de zij-instromers", {"/almere/maatregelen/zij-instroom/"}),
        # A typo of "schoolbesturen"; a letter left out; "ij" for "ei".
        ("schoolbestuuren", PARTIES),
        ("onderwijsasistenten", {"/almere/maatregelen/onderwijsassistenten/"}),
        ("mobilitijtstoelage", {"/onderwijsregio/maatregelen/mobiliteitstoelage/"}),
        # Parties by name: their organisation page.
        ("Kentalis", {"/organisaties/kentalis/"}),
        ("Windesheim", {"/organisaties/windesheim-almere/"}),
        # Measures.
        ("onderwijsassistenten", {"/almere/maatregelen/onderwijsassistenten/"}),
        ("mobiliteitstoelage", {"/onderwijsregio/maatregelen/mobiliteitstoelage/"}),
        ("rapportcijfer", {"/almere/maatregelen/ondersteuning-in-de-school/"}),
        # The overview has the section on accession requests and their steps.
        ("toetreding", {"/almere/"}),
    ],
)
def test_search_in_dutch_finds_the_page_first(page, site_url, query, first):
    hrefs = _search(page, site_url, query)
    paths = [urlsplit(h).path for h in hrefs]
    assert paths and paths[0] in first, paths[:5]
    # No service page (downloads, open data, accessibility, search) is ever a hit.
    assert not [p for p in paths if p.endswith(("/downloads/", "/open-data/", "/zoeken/"))]
    status = page.inner_text(".cg-search-status")
    assert "gevonden voor" in status, status
    text = page.inner_text(".cg-search")
    # Dutch, not the engine's English ("12 results", "No results").
    assert not re.search(r"\bresults?\b", text, re.I), text[:300]
    # Chart labels are not in the index: no glued axis numbers in a snippet.
    assert "0102030" not in text and "illustratiefDoel" not in text, text[:500]
    assert page.errors == []


def test_search_says_what_it_corrected_and_when_nothing_is_found(page, site_url):
    _search(page, site_url, "onderwijsasistenten")
    status = page.inner_text(".cg-search-status")
    assert "U zocht ‘onderwijsasistenten’" in status and "‘onderwijsassistenten’" in status
    assert _search(page, site_url, "xyzzyq") == []
    assert page.inner_text(".cg-search-status").startswith("Niets gevonden voor ‘xyzzyq’")
    # Typing on the search page itself searches as one types.
    page.fill("#cg-search-input", "Kentalis")
    page.wait_for_selector('.cg-search[data-state=done][data-query="Kentalis"]')
    first = page.locator(".cg-search-list a").first.get_attribute("href")
    assert urlsplit(first).path.endswith("organisaties/kentalis/")
    assert "q=Kentalis" in page.url
    assert page.errors == []


def test_search_shows_markup_from_yaml_as_text(page, site_url):
    hrefs = _search(page, site_url, "window.__xss")
    assert hrefs
    assert page.evaluate("typeof window.__xss") == "undefined"
    tags = page.eval_on_selector_all(
        ".cg-search-list *", "els => [...new Set(els.map(e => e.tagName))]"
    )
    assert set(tags) <= {"LI", "A", "P", "MARK"}, tags


@pytest.mark.parametrize("width", [390, 1280])
def test_every_page_has_no_accessibility_violation(browser, site_url, engine, width):
    """axe-core on every page at a phone's and a desktop's width: no violation at all."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    page = context.new_page()
    found = []
    pages = _all_pages_of(engine_site(engine))
    assert len(pages) > 30
    for path in pages:
        page.goto(site_url + path.lstrip("/"))
        result = Axe().run(page)
        found += [
            f"{path}: {v['id']} ({v['impact']}): "
            + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in result.response["violations"]
        ]
    context.close()
    assert found == []


@pytest.mark.parametrize("path", ["", "almere/maatregelen/zij-instroom/", "zoeken/?q=Almere"])
def test_closed_menu_takes_no_focus_and_focus_is_visible(browser, site_url, path):
    """At 390 px the menu is closed: tabbing through the page never lands in it, and every
    element that takes focus shows it (an outline)."""
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="nl-NL")
    page = context.new_page()
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    in_menu, invisible, seen = [], [], 0
    for _ in range(60):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => { const e = document.activeElement;
                if (!e || e === document.body) return null;
                const s = getComputedStyle(e);
                return { menu: !!e.closest('.md-sidebar--primary, .md-nav--primary'),
                         name: e.tagName + ' ' + (e.textContent || '').trim().slice(0, 30),
                         outline: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                                  || s.boxShadow !== 'none' }; }"""
        )
        if state is None:
            continue
        seen += 1
        if state["menu"]:
            in_menu.append(state["name"])
        if not state["outline"]:
            invisible.append(state["name"])
    context.close()
    assert seen > 5
    assert in_menu == []
    assert invisible == []


def test_search_on_a_phone_screenshot(browser, site_url, engine):
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="nl-NL")
    page = context.new_page()
    page.goto(site_url + "zoeken/?q=" + quote("zij-instromers"))
    page.wait_for_selector(".cg-search[data-state=done]", timeout=15000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"search-390-{engine}.png"
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000
    context.close()


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
