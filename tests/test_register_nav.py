"""A register of many dossiers: each site page's navigation lists its own dossier's pages, not
every dossier (site/hooks.py), so the site grows linearly with the number of dossiers; a few
dossiers are all listed on every page, as before."""

from __future__ import annotations

import json
import re
from pathlib import Path

from dossier_factory import base_files, replace, write

from convenantgen.cli import main
from convenantgen.site import engine, hooks

REFERENCE = "2026-01-01"


def _register(folder: Path, count: int) -> Path:
    assert main(["init", str(folder)]) == 0
    for old in (folder / "content").iterdir():
        for f in old.iterdir():
            f.unlink()
        old.rmdir()
    for i in range(count):
        files = replace(base_files(), "dossier.yaml", "id: proef\n", f"id: p{i:04d}\n")
        write(folder / "content" / f"p{i:04d}", files)
    return folder


def _nav(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    # From the primary navigation to the table of contents (the nav elements nest).
    start = html.index('<nav class="md-nav md-nav--primary"')
    return html[start : html.index("md-sidebar--secondary", start)]


def _nav_links(page: Path) -> set[str]:
    """The other dossiers the page's primary navigation links to (its own are relative)."""
    return set(re.findall(r'href="(?:\.\./)+(p\d{4})/', _nav(page)))


def test_the_hook_and_the_engine_name_the_same_sidecar():
    assert hooks.SIDECAR == engine.SIDECAR
    assert hooks.OWN_DOSSIER_NAV == engine.OWN_DOSSIER_NAV


def test_a_register_page_lists_its_own_dossier_only(tmp_path):
    count = engine.DOSSIERS_IN_NAV + 1
    project = _register(tmp_path / "p", count)
    out = project / "uit"
    args = ["build", "--quiet", "--no-pdf", "--reference-date", REFERENCE, "--out", str(out)]
    assert main([*args, "--project", str(project), "--no-cache"]) == 0
    site = out / "site"
    page = site / "p0003" / "maatregelen" / "index.html"
    assert _nav_links(page) == set()
    assert 'href="../partijen/"' in _nav(page)  # its own dossier's pages are there
    # The home page lists every dossier (the register's overview), its navigation none.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert all(f"p{i:04d}/" in home for i in range(count))
    assert _nav_links(site / "index.html") == set()
    # Every page is still reachable and in the search index.
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    indexed = [p for p in site.rglob("index.html") if "data-pagefind-body" in p.read_text("utf-8")]
    assert entry["languages"]["nl"]["page_count"] == len(indexed)
    for i in range(count):
        assert "data-pagefind-body" in (site / f"p{i:04d}" / "index.html").read_text("utf-8")


def test_a_few_dossiers_are_listed_on_every_page(tmp_path):
    project = _register(tmp_path / "p", 2)
    out = project / "uit"
    args = ["build", "--quiet", "--no-pdf", "--reference-date", REFERENCE, "--out", str(out)]
    assert main([*args, "--project", str(project), "--no-cache"]) == 0
    page = out / "site" / "p0001" / "maatregelen" / "index.html"
    assert _nav_links(page) == {"p0000"} and 'href="../partijen/"' in _nav(page)
