"""The same site built with Zensical (Material's successor).

The Markdown of ``test_site`` is built with ``build_site(..., engine="zensical")``: strict
mode with every download link in place and the navigation in the order convenantgen gives.
The browser tests (links, search, axe, keyboard, phones) are tests/test_site_browser.py, run
on both engines.
"""

from __future__ import annotations

import re

import pytest
from test_site import _build, misplaced_downloads, words_for_developers
from test_site_browser import zensical_site as built_with_zensical


@pytest.fixture(scope="module")
def zensical_site():
    return built_with_zensical()


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


def test_public_pages_have_no_developer_words_english_or_file_names(zensical_site):
    """Zensical's own words (its search box, its labels) are Dutch too; the check of
    tests/test_site.py on the same Markdown."""
    found = words_for_developers(zensical_site)
    assert not found, found[:40]


def test_download_links_work_under_a_sub_path(zensical_site):
    """Zensical resolves raw HTML links from the page's Markdown file, as the Markdown writes
    them: no link points above the site's root."""
    assert misplaced_downloads(zensical_site, _build().downloads) == []
