"""The site's toegankelijkheidsverklaring from the project's settings, its footer link and a
Dutch 404 page."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from dossier_factory import base_files, write

from convenantgen.cli import main
from convenantgen.errors import CheckFailed
from convenantgen.read.load import load_content
from convenantgen.read.project import load_project
from convenantgen.site.engine import render_site_sources

ROOT = Path(__file__).resolve().parents[1]


def _page(accessibility: dict, organisation: str | None = None) -> str:
    project = load_project(ROOT / "convenantgen.yml")
    settings = dataclasses.replace(
        project.settings, accessibility=accessibility, organisation=organisation
    )
    project = dataclasses.replace(project, settings=settings)
    loaded = load_content(ROOT / "content", ["almere"])
    files, nav = render_site_sources(
        loaded.dossiers, downloads=[], reference_date=dt.date(2026, 12, 1), project=project
    )
    assert "toegankelijkheid.md" in nav
    return str(files["toegankelijkheid.md"])


def test_statement_from_the_settings():
    page = _page(
        {
            "status": "B",
            "tested": "2026-03-12",
            "contact": "toegankelijkheid@example.org",
            "statement": "https://www.toegankelijkheidsverklaring.nl/register/1234",
        },
        organisation="ministerie van Onderwijs, Cultuur en Wetenschap",
    )
    assert "ministerie van Onderwijs, Cultuur en Wetenschap wil dat iedereen" in page
    assert "Status: **voldoet gedeeltelijk** (status B in het register" in page
    assert "De site is het laatst op toegankelijkheid onderzocht op 12 maart 2026." in page
    assert '<a href="mailto:toegankelijkheid@example.org">toegankelijkheid@example.org</a>' in page
    assert 'href="https://www.toegankelijkheidsverklaring.nl/register/1234"' in page


def test_without_settings_the_page_says_there_is_no_statement_yet():
    page = _page({})
    assert "Voor deze site is nog geen toegankelijkheidsverklaring opgesteld." in page
    assert "Neem dan contact op met de beheerder van deze site." in page


def test_a_status_outside_the_register_is_an_error(tmp_path):
    file = tmp_path / "convenantgen.yml"
    file.write_text("accessibility: {status: F, tested: 2026-02-30}\n", encoding="utf-8")
    with pytest.raises(CheckFailed) as caught:
        load_project(file)
    message = str(caught.value)
    assert "convenantgen.yml:1:25: error [schema-value] accessibility.status: 'F'" in message
    assert "accessibility.tested" in message


def test_the_built_site_has_a_dutch_404_and_links_the_statement(tmp_path):
    project = write(
        tmp_path / "p",
        {"convenantgen.yml": "site: {name: Proef, url: 'https://proef.example.org/'}\n"},
    )
    write(project / "content" / "proef", base_files())
    out = tmp_path / "out"
    args = ["build", "--project", str(project), "--out", str(out), "--no-pdf", "--no-cache"]
    assert main([*args, "--quiet", "--reference-date", "2024-09-01"]) == 0
    site = out / "site"
    missing = (site / "404.html").read_text("utf-8")
    assert "<h1>Pagina niet gevonden</h1>" in missing and "Not found" not in missing
    assert '<a href="https://proef.example.org/">Naar de startpagina</a>' in missing
    home = (site / "index.html").read_text("utf-8")
    assert '<a href="toegankelijkheid/">Toegankelijkheid</a>' in home
    assert "Made with" not in home
    assert (site / "toegankelijkheid" / "index.html").is_file()
