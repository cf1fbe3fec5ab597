"""The Atom feed of changes (``feed.xml``): valid Atom, dated facts only, stable ids, Dutch.

Parsed with ``xml.etree`` and checked for the elements RFC 4287 requires; the bundled Almere
dossier gives an exact list of entries on the test's reference date.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import bundled
import pytest
from test_site import REFERENCE_DATE, _build

from convenantgen.read.project import Project, Settings
from convenantgen.site.engine import render_site_sources

ATOM = "{http://www.w3.org/2005/Atom}"
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T00:00:00Z$")


@pytest.fixture(scope="module")
def built_site():
    return _build()  # the site of test_site, built once per session


def _feed(text: str) -> ET.Element:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    return root


def _entries(root: ET.Element) -> list[dict]:
    out = []
    for entry in root.findall(f"{ATOM}entry"):
        links = entry.findall(f"{ATOM}link")
        out.append(
            {
                "id": entry.findtext(f"{ATOM}id"),
                "title": entry.findtext(f"{ATOM}title"),
                "updated": entry.findtext(f"{ATOM}updated"),
                "summary": entry.findtext(f"{ATOM}summary"),
                "href": next(x.get("href") for x in links if x.get("rel") == "alternate"),
            }
        )
    return out


def _almere_feed(day: dt.date, project: Project | None = None) -> str:
    dossier = next(d for d in bundled.bundled_loaded().dossiers if d.id == "almere")
    files, _ = render_site_sources([dossier], downloads=[], reference_date=day, project=project)
    return files["feed.xml"]


def test_the_feed_is_valid_atom(built_site):
    text = (built_site.site / "feed.xml").read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<feed ')
    root = _feed(text)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "nl"
    for name in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), name
    assert root.findtext(f"{ATOM}author/{ATOM}name")
    rels = {x.get("rel"): x.get("href") for x in root.findall(f"{ATOM}link")}
    assert rels == {"alternate": "./", "self": "feed.xml"}  # no site URL: relative links
    entries = _entries(root)
    assert len(entries) > 5
    for e in entries:
        assert e["id"].startswith("tag:convenantgen,2026:")
        assert e["title"] and e["summary"] and e["href"]
        assert STAMP.match(e["updated"]), e
        # Every link leads to a page of the site.
        assert (built_site.site / e["href"] / "index.html").is_file(), e["href"]
    assert len({e["id"] for e in entries}) == len(entries)
    # The feed was updated at its newest entry (never the build time); newest first.
    updated = [e["updated"] for e in entries]
    assert root.findtext(f"{ATOM}updated") == max(updated) == "2025-02-14T00:00:00Z"
    assert updated == sorted(updated, reverse=True)


def test_almere_entries_on_the_reference_date():
    entries = _entries(_feed(_almere_feed(REFERENCE_DATE)))
    assert [(e["updated"][:10], e["title"]) for e in entries] == [
        (
            "2025-02-14",
            "Nieuw resultaat bij maatregel A: Opzetten gezamenlijk begeleidingsprogramma voor "
            "nieuwe talenten binnen het onderwijs (illustratief)",
        ),
        ("2025-02-14", "Nieuw resultaat bij maatregel E: Zij-instroom (illustratief)"),
        ("2024-09-01", "Looptijd verlengd tot en met 31 december 2025"),
        ("2024-08-01", "Nieuw dossier: G5 Almere"),
        ("2024-08-01", "Addendum 2024 treedt in werking"),
        ("2024-08-01", "Resultaatafspraken gewijzigd door addendum 2024"),
    ]
    by_title = {e["title"]: e for e in entries}
    result = by_title["Nieuw resultaat bij maatregel E: Zij-instroom (illustratief)"]
    assert result["summary"] == (
        "G5 Almere, 14 februari 2025: 43 zij-instromers in 2024–2025 (illustratief)."
    )
    assert result["href"] == "almere/maatregelen/zij-instroom/"
    assert result["id"] == (
        "tag:convenantgen,2026:almere/result/e-zij-instromers/2024-2025/2025-02-14"
    )
    targets = by_title["Resultaatafspraken gewijzigd door addendum 2024"]
    assert targets["summary"] == (
        "G5 Almere, 1 augustus 2024: addendum 2024 legt de resultaatafspraken vast van de "
        "maatregelen A, B, C, D en E."
    )
    assert targets["href"] == "almere/maatregelen/"


def test_only_facts_up_to_the_reference_date_are_news():
    request = "Verzoek tot toetreding van Stichting Openbaar Onderwijs Almere-Poort (illustratief)"
    before = _almere_feed(dt.date(2025, 5, 14))
    on_the_day = _almere_feed(dt.date(2025, 5, 15))
    assert request not in before and request in on_the_day
    root = _feed(on_the_day)
    assert root.findtext(f"{ATOM}updated") == "2025-05-15T00:00:00Z"
    # Requested, not yet consented: no entry for it taking effect, even after 1 August 2025.
    assert "treedt toe" not in _almere_feed(dt.date(2025, 9, 1))
    # Before anything happened the feed is empty and dated on the reference date.
    empty = _feed(_almere_feed(dt.date(2024, 1, 1)))
    assert empty.findall(f"{ATOM}entry") == []
    assert empty.findtext(f"{ATOM}updated") == "2024-01-01T00:00:00Z"


def test_the_same_input_gives_the_same_feed():
    assert _almere_feed(REFERENCE_DATE) == _almere_feed(REFERENCE_DATE)


def test_with_a_site_url_the_links_are_absolute(tmp_path):
    settings = Settings(site_url="https://example.org/convenanten", organisation="OCW")
    root = _feed(_almere_feed(REFERENCE_DATE, Project(tmp_path, settings)))
    assert root.findtext(f"{ATOM}id") == "https://example.org/convenanten/feed.xml"
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "OCW"
    rels = {x.get("rel"): x.get("href") for x in root.findall(f"{ATOM}link")}
    assert rels == {
        "alternate": "https://example.org/convenanten/",
        "self": "https://example.org/convenanten/feed.xml",
    }
    entries = _entries(root)
    assert all(e["href"].startswith("https://example.org/convenanten/almere/") for e in entries)
    # The ids do not depend on the site's address.
    assert {e["id"] for e in entries} == {e["id"] for e in _entries(_feed(_almere_feed(
        REFERENCE_DATE
    )))}  # fmt: skip


@pytest.mark.parametrize("page", ["", "almere/", "almere/maatregelen/zij-instroom/", "open-data/"])
def test_every_page_links_the_feed(built_site, page):
    html = built_site.html(page)
    link = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', html)
    assert link is not None
    href = re.search(r'href="([^"]+)"', link.group(0)).group(1)
    assert urljoin(f"https://x.test/{page}", href) == "https://x.test/feed.xml"
    assert "wijzigingen" in link.group(0)


def test_all_built_pages_link_the_feed_and_the_home_page_says_how_to_follow(built_site):
    pages = list(built_site.site.rglob("index.html"))
    assert len(pages) > 30
    for path in pages:
        assert 'type="application/atom+xml"' in path.read_text(encoding="utf-8"), path
    home = built_site.html("")
    assert '<a href="feed.xml" type="application/atom+xml">nieuwsfeed</a>' in home
    assert Path(built_site.site / "feed.xml").is_file()
