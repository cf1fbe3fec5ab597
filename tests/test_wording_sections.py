"""The wording sections that replaced Dutch in Python (documents, site, charts, references),
applied from a project's own wording: in a real build of a new project, and in the contexts.
The signing packages' titles and field labels are the `signing` section (tests/test_package*)."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from convenantgen.cli import main
from convenantgen.context.agreement import text_version
from convenantgen.context.charts import ChartPoint, results_chart
from convenantgen.context.dossier import build_context
from convenantgen.model.derive import (
    SITE_PATHS,
    ActKind,
    SitePaths,
    accession_stems,
    consent_stem,
    in_force_stem,
    package_stem,
    signatures_stem,
)
from convenantgen.model.references import build_index, render_text
from convenantgen.read.load import load_content
from convenantgen.text.wording import Wording

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"

OWN_WORDING = """\
documents:
  signatures_title: "Tekenvel bij {{ agreement }}"
agreement:
  footer: "Tekstversie {{ version }}"
site:
  home: "Begin"
  measures: "Afspraken"
"""


@pytest.mark.libreoffice
def test_a_project_words_its_titles_and_navigation(tmp_path, monkeypatch, capsys):
    project = tmp_path / "proj"
    assert main(["init", str(project)]) == 0
    (project / "templates" / "wording.yml").write_text(OWN_WORDING, "utf-8")
    monkeypatch.chdir(project)
    args = ["build", "--no-cache", "--quiet", "--reference-date", "2026-12-01"]
    assert main(args) == 0
    capsys.readouterr()
    out = project / "build" / "voorbeeld"

    (name,) = [p.name for p in out.glob("*ondertekenpakket*.pdf")]
    package = PdfReader(out / name)
    bookmarks = [item.title for item in package.outline if not isinstance(item, list)]
    assert bookmarks == ["Voorbeeldconvenant", "Tekenvel bij Voorbeeldconvenant"]

    signatures = PdfReader(out / "voorbeeld-handtekeningen-convenant.pdf")
    assert signatures.metadata.title == "Tekenvel bij Voorbeeldconvenant"
    # The comments property is the footer's version line, in the project's words.
    props = docx.Document(str(out / "voorbeeld-convenant.docx")).core_properties
    assert props.comments.startswith("Tekstversie ") and props.comments[12:] == props.identifier

    page = (project / "build" / "site" / "voorbeeld" / "index.html").read_text("utf-8")
    labels = set(re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', page, re.S))
    assert {"Begin", "Afspraken"} <= labels
    assert "Maatregelen" not in labels and "Start" not in labels


@pytest.fixture(scope="module")
def almere():
    return next(d for d in load_content(CONTENT).dossiers if d.id == "almere")


def test_titles_in_the_context_and_versions_unchanged(almere):
    """The signature pages' title follows the wording; the version ids (what a text shows)
    do not."""
    default = build_context(almere)
    own = build_context(
        almere,
        Wording.default().with_entries({"documents.signatures_title": "Tekenvel {{ agreement }}"}),
    )
    for before, after in zip(default.agreements, own.agreements, strict=True):
        assert before.signatures_title == f"Handtekeningen: {before.title}"
        assert after.signatures_title == f"Tekenvel {before.title}"
        assert after.version == before.version == text_version(before)


def test_chart_texts_are_wording():
    points = [ChartPoint("2024–2025", 43.0, "43 zij-instromers", False, True)]
    svg = results_chart(
        chart_id="c",
        title="T",
        points=points,
        target_value=40.0,
        target_text="ten minste 40",
        unit="count",
    )
    assert (
        "Resultaten per schooljaar: schooljaar 2024–2025: 43 zij-instromers, doel gehaald. "
        "Doel: ten minste 40." in svg
    )
    assert ">Doel: ten minste 40</text>" in svg
    words = Wording.default().with_entries(
        {"charts.target": "Norm: {{ target }}", "charts.point": "{{ year }} = {{ result }}"}
    )
    svg = results_chart(
        chart_id="c",
        title="T",
        points=points,
        target_value=40.0,
        target_text="ten minste 40",
        unit="count",
        words=words,
    )
    assert "Resultaten per schooljaar: 2024–2025 = 43 zij-instromers." in svg
    assert ">Norm: ten minste 40</text>" in svg
    # The label beside a made-up result is wording too.
    made_up = [ChartPoint("2024–2025", 43.0, "43 zij-instromers", True, True)]
    words = Wording.default().with_entries({"charts.illustrative": "voorbeeld"})
    for wording, label in ((None, "illustratief"), (words, "voorbeeld")):
        svg = results_chart(
            chart_id="c", title="T", points=made_up, target_value=40.0,
            target_text="ten minste 40", unit="count", words=wording,
        )  # fmt: skip
        assert f'font-style="italic">{label}</tspan>' in svg


def test_site_paths_table():
    assert SitePaths.load() == SITE_PATHS
    assert SITE_PATHS.text_page("addendum-2024") == "tekst-addendum-2024.md"
    assert SITE_PATHS.in_force_page("2017-05-01") == "geldende-tekst-2017-05-01.md"
    assert SitePaths.address(SITE_PATHS.timeline) == "tijdlijn/"
    assert SitePaths.address(f"{SITE_PATHS.measures}/index.md") == "maatregelen/"
    assert SitePaths.address(SITE_PATHS.home) == ""
    assert signatures_stem("almere", "addendum") == "almere-handtekeningen-addendum"
    assert package_stem("almere", "addendum", ActKind.AGREEMENT) == (
        "almere-ondertekenpakket-addendum"
    )
    assert package_stem("almere", "t1", ActKind.ACCESSION) == (
        "almere-ondertekenpakket-toetreding-t1"
    )
    assert accession_stems("almere", "t1") == (
        "almere-toetreding-t1-verklaring",
        "almere-toetreding-t1-begeleidende-brief",
        "almere-toetreding-t1-staatscourant",
    )
    assert consent_stem("almere", "t1", "asg") == "almere-toetreding-t1-instemming-asg"
    assert in_force_stem("almere", "2017-05-01") == "almere-geldende-tekst-2017-05-01"


def test_references_read_as_the_wording_says(almere):
    """{art:ID} and {maatregel:ID} in a text: the references entries, in the documents too."""
    index = build_index(almere)
    text = "{art:convenant-looptijd-artikel} en {maatregel:" + almere.measures[0].id + "}"
    assert render_text(text, index, almere) == "artikel 9 en Maatregel A"
    words = Wording.default().with_entries(
        {"references.article": "art. {{ number }}", "references.measure": "maatregel {{ letter }}"}
    )
    assert render_text(text, index, almere, words=words) == "art. 9 en maatregel A"
    considerations = [c for a in build_context(almere, words).agreements for c in a.considerations]
    assert any("in de zin van art. " in c for c in considerations)
