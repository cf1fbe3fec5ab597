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


def _rendered(name: str, changes: dict, root: Path | None = None, dossiers=("almere",)) -> str:
    """The site page ``name`` with the bundled settings changed by ``changes``."""
    project = load_project(ROOT / "convenantgen.yml")
    project = dataclasses.replace(
        project,
        settings=dataclasses.replace(project.settings, **changes),
        root=root or project.root,
    )
    loaded = load_content(ROOT / "content", list(dossiers))
    files, nav = render_site_sources(
        loaded.dossiers, downloads=[], reference_date=dt.date(2026, 12, 1), project=project
    )
    assert name in nav
    return str(files[name])


def _page(accessibility: dict, organisation: str | None = None) -> str:
    return _rendered(
        "toegankelijkheid.md", {"accessibility": accessibility, "organisation": organisation}
    )


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


def _about(changes: dict, project_root: Path | None = None) -> str:
    return _rendered("over-deze-site.md", changes, project_root, ("almere", "onderwijsregio"))


def test_over_deze_site_from_the_settings():
    page = _about(
        {
            "organisation": "Ministerie van Onderwijs, Cultuur en Wetenschap",
            "organisation_url": "https://www.rijksoverheid.nl/",
            "organisation_address": ("Postbus 16375", "2500 BJ Den Haag"),
            "organisation_visiting": ("Rijnstraat 50", "2515 XP Den Haag"),
            "site_contact": {"phone": "070 412 34 56", "form": "https://example.org/contact"},
        }
    )
    assert (
        'Deze site wordt uitgegeven door <a href="https://www.rijksoverheid.nl/">Ministerie van '
        "Onderwijs, Cultuur en Wetenschap</a>." in page
    )
    assert "Postadres: Postbus 16375, 2500 BJ Den Haag" in page
    assert "Bezoekadres: Rijnstraat 50, 2515 XP Den Haag" in page
    assert '- telefoon: <a href="tel:0704123456">070 412 34 56</a>' in page
    assert '- <a href="https://example.org/contact">het contactformulier</a>' in page
    assert "mailto:" not in page  # site.contact replaces organisation.contact as a whole
    assert "Op deze site staan 2 convenanten:" in page
    assert "- [G5 Almere](almere/index.md)" in page
    assert "bijgewerkt tot 1 december 2026" in page
    assert "[toegankelijkheidsverklaring](toegankelijkheid.md)" in page
    assert "Deze site gebruikt geen cookies." in page


def test_over_deze_site_falls_back_to_the_organisations_contact():
    page = _about({"site_contact": {}, "organisation_contact": {"email": "vragen@example.org"}})
    assert '- e-mail: <a href="mailto:vragen@example.org">vragen@example.org</a>' in page
    page = _about({"site_contact": {}, "organisation_contact": {}})
    assert "Op deze site staat nog geen contactadres." in page


def test_no_cookie_claim_when_the_project_brings_its_own_scripts(tmp_path):
    """The theme sets no cookies (test_site_layout_browser); a page template or script of
    the project's own could, so the page no longer says so."""
    own = write(tmp_path / "overrides" / "assets", {"extra.css": "body {}\n"})
    assert "Deze site gebruikt geen cookies." in _about({}, project_root=tmp_path)
    write(own, {"extra.js": "document.cookie = 'x=1';\n"})
    assert "cookies" not in _about({}, project_root=tmp_path)


def test_a_site_without_contact_warns_at_the_setting(tmp_path, capsys):
    project = write(
        tmp_path / "p",
        {
            "convenantgen.yml": "# Proef\nsite:\n  name: Proef\n  url: 'https://proef.example.org/'\n"
        },
    )
    write(project / "content" / "proef", base_files())
    out = tmp_path / "out"
    args = ["build", "--project", str(project), "--out", str(out), "--no-pdf", "--no-cache"]
    assert main([*args, "--quiet", "--reference-date", "2024-09-01"]) == 0
    err = capsys.readouterr().err
    assert "convenantgen.yml:2:1: warning [site-contact-missing] the site names no way" in err
    home = (out / "site" / "index.html").read_text("utf-8")
    for href, text in (
        ("over-deze-site/", "Over deze site"),
        ("toegankelijkheid/", "Toegankelijkheid"),
        ("open-data/", "Open data"),
        ("over-deze-site/#contact", "Contact"),
    ):
        assert f'<li><a href="{href}">{text}</a></li>' in home
    (project / "convenantgen.yml").write_text(
        "site:\n  name: Proef\n  url: 'https://proef.example.org/'\n"
        "  contact: {email: vragen@example.org}\n",
        encoding="utf-8",
    )
    assert main([*args, "--quiet", "--reference-date", "2024-09-01"]) == 0
    assert "site-contact-missing" not in capsys.readouterr().err
