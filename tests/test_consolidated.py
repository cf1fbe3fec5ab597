"""The text in force per date of change as built: Markdown, DOCX and PDF (real LibreOffice), the
site's "Geldende tekst" pages, the marks of each kind of change, and a project's own template.

The bundled Vervangingspool Twente dossier has an illustrative addendum of 2017 with one
instruction of each kind: four take effect on 1 May 2017, the inserted article on 1 August.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from docx import Document
from dossier_factory import replace
from pypdf import PdfReader
from test_consolidate import amended_files, load

from convenantgen.cli import main
from convenantgen.context.in_force import consolidation_context
from convenantgen.site.engine import render_site_sources
from convenantgen.text.wording import Wording

ROOT = Path(__file__).resolve().parents[1]
TWENTE = ROOT / "content" / "vervangingspool-twente"
STEM = "vervangingspool-twente/vervangingspool-twente-geldende-tekst"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("consolidated") / "out"
    code = main(
        ["build", str(TWENTE), "--out", str(out), "--quiet", "--reference-date", "2025-03-01"]
    )
    assert code == 0
    return out


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.mark.libreoffice
def test_one_text_per_date_of_change_in_three_formats(built):
    manifest = json.loads((built / "manifest.json").read_text("utf-8"))["artifacts"]
    kinds = {a["path"]: a["kind"] for a in manifest}
    for day in ("2017-05-01", "2017-08-01"):
        assert kinds[f"{STEM}-{day}.md"] == "consolidated-markdown"
        assert kinds[f"{STEM}-{day}.docx"] == "consolidated-docx"
        assert kinds[f"{STEM}-{day}.pdf"] == "consolidated-pdf"
    assert not any("geldende-tekst-2016" in path for path in kinds)


@pytest.mark.libreoffice
def test_markdown_marks_what_changes_that_day(built):
    may = (built / f"{STEM}-2017-05-01.md").read_text("utf-8")
    assert may.startswith("# Geldende tekst op 1 mei 2017\n")
    assert "- Artikel 3 komt te luiden.\n" in may
    assert "- Aan artikel 1 wordt artikel 1.3 toegevoegd.\n" in may
    assert "- Artikel 2.2 vervalt.\n" in may
    assert "- De looptijd wordt verlengd tot en met 31 juli 2018.\n" in may
    # replace: a word-level redline of the member that changed.
    assert (
        "**3.2.** De inzet van het vervangingsteam wordt <del>jaarlijks</del> <ins>twee keer per "
        "jaar geëvalueerd,</ins> in maart <del>geëvalueerd,</del> <ins>en in oktober,</ins> met"
    ) in may
    # add_to: the new member inserted; remove: the old one struck where it stood.
    assert "**1.3.** <ins>Partijen zetten waar mogelijk dezelfde vervanger in" in may
    assert "**2.2.** <del>De besturen kunnen medewerkers detacheren" in may
    # extend: the term and the article that states it.
    assert "Looptijd: 1 augustus 2016 tot en met 31 juli 2018" in may
    assert "31 juli <del>2017\\.</del> <ins>2018\\.</ins>" in may
    assert "## 3\\. Coördinatie en evaluatie\n\n*Gewijzigd bij addendum van 1 mei 2017*" in may
    assert "Scholing" not in may
    august = (built / f"{STEM}-2017-08-01.md").read_text("utf-8")
    # insert_after: a new article 4; Looptijd becomes article 5; earlier changes unmarked.
    assert "## <ins>4\\. Scholing</ins>\n\n*Ingevoegd bij addendum van 1 mei 2017, met" in august
    assert "## 5\\. Looptijd" in august
    assert "<del>" not in august
    assert "twee keer per jaar geëvalueerd, in maart en in oktober" in august
    assert "medewerkers detacheren naar het vervangingsteam" not in august


@pytest.mark.libreoffice
def test_docx_notes_and_marked_runs(built):
    doc = Document(str(built / f"{STEM}-2017-05-01.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Geldende tekst op 1 mei 2017"
    assert texts.count("Gewijzigd bij addendum van 1 mei 2017") == 4
    runs = [r for p in doc.paragraphs for r in p.runs]
    struck = [r.text for r in runs if r.font.strike]
    underlined = [r.text for r in runs if r.font.underline]
    assert "jaarlijks" in struck and "2017." in struck
    assert "twee keer per jaar geëvalueerd," in underlined and "2018." in underlined
    assert any(t.startswith("De besturen kunnen medewerkers detacheren") for t in struck)
    assert "3.2.\tDe inzet van het vervangingsteam wordt jaarlijks twee keer per jaar" in "\n".join(
        texts
    )


@pytest.mark.libreoffice
def test_pdf_holds_the_text_in_force(built):
    may = _pdf_text(built / f"{STEM}-2017-05-01.pdf")
    august = _pdf_text(built / f"{STEM}-2017-08-01.pdf")
    assert "Geldende tekst op 1 mei 2017" in may
    assert "Gewijzigd bij addendum van 1 mei 2017" in may
    assert "Scholing" not in may
    assert "Geldende tekst op 1 augustus 2017" in august
    assert "4. Scholing" in august and "5. Looptijd" in august
    assert "met ingang van 1 augustus 2017" in august
    # Read, not signed: no signing package holds a text in force.
    packages = sorted((built / "vervangingspool-twente").glob("*-ondertekenpakket-*.pdf"))
    assert packages
    for package in packages:
        assert "Geldende tekst" not in _pdf_text(package)


@pytest.mark.libreoffice
def test_site_offers_a_choice_of_date_and_marks_changes(built):
    site = built / "site" / "vervangingspool-twente"
    overview = (site / "index.html").read_text("utf-8")
    assert 'href="geldende-tekst/"' in overview
    choice = (site / "geldende-tekst" / "index.html").read_text("utf-8")
    assert 'href="../tekst-overeenkomst-vervangingspool/"' in choice
    assert 'href="../geldende-tekst-2017-05-01/"' in choice
    assert 'href="../geldende-tekst-2017-08-01/"' in choice
    assert "1 mei 2017" in choice and "31 juli 2017" in choice and "31 juli 2018" in choice
    may = (site / "geldende-tekst-2017-05-01" / "index.html").read_text("utf-8")
    assert "<del>jaarlijks</del>" in may
    assert "<ins>twee keer per jaar geëvalueerd,</ins>" in may
    assert 'href="../geldende-tekst-2017-08-01/"' in may
    august = (site / "geldende-tekst-2017-08-01" / "index.html").read_text("utf-8")
    assert "<ins>4. Scholing</ins>" in august


def test_a_covenant_known_only_by_reference_says_so(bundled_loaded):
    loaded = bundled_loaded
    files, _ = render_site_sources(
        loaded.dossiers, downloads=[], reference_date=dt.date(2025, 3, 1)
    )
    page = files["almere/geldende-tekst.md"]
    assert (
        "De oorspronkelijke tekst (Convenant Uitvoering Noodplannen personeelstekort G5: Almere "
        "(Stcrt. 2020, 38286)) is niet in de bronnen opgenomen"
    ) in page
    assert not any(name.startswith("almere/geldende-tekst-") for name in files)
    assert "[Geldende tekst](geldende-tekst.md)" in files["almere/index.md"]
    # A dossier without addenda has no such page and no link.
    assert "onderwijsregio/geldende-tekst.md" not in files
    assert "geldende-tekst" not in files["onderwijsregio/index.md"]


def test_whole_article_removed_and_retitled(tmp_path):
    files = replace(
        amended_files(),
        "addendum.yaml",
        "  - id: vervallen-verwijzing\n",
        "  - id: weg-met-toetreding\n    remove: toetreding\n    effective: 2026-01-01\n"
        "  - id: nieuwe-maatregelen\n    replace: maatregelen\n    title: Maatregelen en"
        " middelen\n    effective: 2026-01-01\n    clauses:\n      - id: maatregelen-lijst\n"
        "        text: Partijen zetten middelen in.\n  - id: vervallen-verwijzing\n",
    )
    loaded, lines = load(tmp_path, files)
    assert lines == []
    context = consolidation_context(loaded.dossiers[0], Wording.default(), "v")
    latest = context.versions[-1]
    marked = [(s.heading, s.change) for s in latest.sections]
    assert marked == [
        ("1. Begripsbepalingen", ""),
        ("2. Maatregelen en middelen", "changed"),
        # Struck where it stood (after article 2), then the article inserted there.
        ("3. Toetreding", "deleted"),
        ("3. Evaluatie", "inserted"),
    ]
    heading = [(x.kind, x.text) for x in latest.sections[1].heading_segments]
    assert heading == [("same", "2. Maatregelen"), ("ins", "en middelen")]
    gone = latest.sections[2].clauses[0]
    assert (gone.change, gone.paragraphs[0][0].kind) == ("deleted", "del")


def test_unknown_key_in_an_instruction(tmp_path):
    files = replace(
        amended_files(),
        "addendum.yaml",
        "    remove: toetreding-verwijzing\n",
        "    remove: toetreding-verwijzing\n    replce: begrip-lijst\n",
    )
    _, lines = load(tmp_path, files)
    assert lines == [
        "addendum.yaml:36:13: error [schema-unknown-key] unknown key 'replce' in "
        "amendments[3]. Did you mean 'replace'?"
    ]


def test_a_project_overrides_the_consolidated_template(tmp_path, monkeypatch, capsys):
    from test_project import _docx_text, _edit_docx

    folder = tmp_path / "project"
    assert main(["init", str(folder)]) == 0
    monkeypatch.chdir(folder)
    shutil.copytree(TWENTE, folder / "content" / "vervangingspool-twente")
    assert main(["templates", "copy", "consolidated.docx"]) == 0
    own = folder / "templates" / "consolidated.docx"
    _edit_docx(own, "{{ c.title }}", "{{ c.titel }}")
    capsys.readouterr()
    assert main(["build", "--no-pdf", "--no-site"]) == 1
    assert (
        "templates/consolidated.docx: error [template-variable] 'c' has no 'titel'. "
        "Did you mean 'title'"
    ) in capsys.readouterr().err
    _edit_docx(own, "{{ c.titel }}", "Tekst zoals gewijzigd, {{ c.date_text }}")
    assert main(["build", "--no-pdf", "--no-site"]) == 0
    text = _docx_text(folder / "build" / f"{STEM}-2017-08-01.docx")
    assert text.startswith("Tekst zoals gewijzigd, 1 augustus 2017\n")
