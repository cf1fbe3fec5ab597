"""The same site built with Zensical (Material's successor), in a real headless Chromium.

The Markdown of ``test_site`` is built with ``build_site(..., engine="zensical")``: strict
mode with every download link in place, the navigation in the order convenantgen gives, every
page reachable with no broken link, and Zensical's own search finding a measure page first.
"""

from __future__ import annotations

import http.server
import re
import shutil
import tempfile
import threading
from collections import deque
from functools import partial
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from test_site import _build, _fake_downloads
from test_site_browser import _is_page, _QuietHandler, _status

from convenantgen.site.engine import build_site


@pytest.fixture(scope="module")
def zensical_site():
    built = _build()
    work = Path(tempfile.mkdtemp(prefix="convenantgen-zensical-"))
    docs = work / "docs"
    shutil.copytree(built.docs, docs)
    # Zensical checks the download links too: the files are in place before it runs.
    for entry in _fake_downloads(work, list(dict.fromkeys(d.dossier for d in built.downloads))):
        target = docs / "downloads" / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(entry["_data"])
    build_site(docs, work / "site", engine="zensical")
    yield work / "site"
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="module")
def zensical_url(zensical_site):
    handler = partial(_QuietHandler, directory=str(zensical_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_built_by_zensical_with_the_project_assets(zensical_site):
    html = (zensical_site / "index.html").read_text("utf-8")
    assert re.search(r'<meta name="generator" content="zensical-[0-9.]+">', html)
    assert "assets/convenantgen.css" in html and "assets/convenantgen.js" in html
    assert (zensical_site / "assets" / "convenantgen.css").is_file()


def test_navigation_keeps_convenantgens_order(zensical_site):
    html = (zensical_site / "almere" / "index.html").read_text("utf-8")
    labels = [
        " ".join(x.split())
        for x in re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', html, re.S)
    ]
    wanted = [
        "Start",
        "G5 Almere",
        "Maatregelen",
        "Maatregel A:",
        "Maatregel E: Zij-instroom",
        "Partijen G5 Almere",
        "Tijdlijn G5 Almere",
        "Tekst addendum 2024",
        "Downloads G5 Almere",
        "Downloads",
        "Open data",
    ]
    start = labels.index("Start")  # the navigation begins after the header's titles
    position = start
    for want in wanted[1:]:
        following = [i for i, label in enumerate(labels) if i > position and label.startswith(want)]
        assert following, f"{want!r} does not follow in the navigation: {labels[start:]}"
        position = following[0]


@pytest.mark.browser
def test_every_page_loads_and_no_link_is_broken(browser, zensical_url, zensical_site):
    page = browser.new_page()
    seen, broken, checked = set(), [], {}
    queue = deque([zensical_url])
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            target = urldefrag(href).url
            if not target.startswith(zensical_url):
                broken.append(f"{url}: external link {href}")
            elif _is_page(target):
                queue.append(target)
            else:
                checked.setdefault(target, _status(target))
                if checked[target] != 200:
                    broken.append(f"{url}: {href} gives HTTP {checked[target]}")
    page.close()
    assert broken == []
    pages = {p.parent for p in zensical_site.rglob("index.html")}
    assert len(seen) >= len(pages) - 1 > 30  # every page but 404


@pytest.mark.browser
def test_zensical_search_finds_the_measure_page_first(browser, zensical_url):
    page = browser.new_page()
    page.goto(zensical_url)
    page.click(".md-search__button")
    page.keyboard.type("zij-instromers")
    page.get_by_text("results").first.wait_for(timeout=15000)
    hits = [
        href
        for href in page.locator("a").evaluate_all("els => els.map(e => e.href)")
        if "?h=" in href
    ]
    page.close()
    assert hits, "no search results"
    assert urlsplit(hits[0]).path == "/almere/maatregelen/zij-instroom/", hits[:5]
