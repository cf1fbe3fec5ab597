"""An article without a title (issue 20): the published text has "Artikel 1" and no heading
after it, so ``title`` of a section may be left out. Its heading is then the number alone
(wording section_heading: "Artikel 3"), in Word (as Word shows it, with list numbering), in the
Markdown and text for review; its members keep their numbers, a reference to it by id still
reads "artikel 3", and an empty title is still a diagnostic where it stands.
"""

from __future__ import annotations

import io

import docx
from dossier_factory import base_files, line_of, replace
from test_parties import run

from convenantgen.context.dossier import build_context
from convenantgen.render.docx.numbering import shown_text
from convenantgen.render.docx.render import agreement_documents
from convenantgen.render.markdown import agreement_markdown, agreement_text


def _files() -> dict[str, str]:
    out = {k: v for k, v in base_files().items() if k not in {"toetredingen.yaml", "addendum.yaml"}}
    out = replace(out, "convenant.yaml", "    title: Toetreding\n", "")
    return replace(
        out,
        "convenant.yaml",
        "text: Het verzoek volgt {art:toetreding-regel}.",
        "text: Het verzoek volgt {art:toetreding-regel} van {art:toetreding}.",
    )


def _agreement(tmp_path):
    lines, loaded = run(tmp_path, _files())
    assert [ln for ln in lines if " error " in ln] == [], lines
    return build_context(loaded.dossiers[0]).agreements[0]


def test_an_article_without_a_title_is_headed_by_its_number(tmp_path):
    ctx = _agreement(tmp_path)
    assert [s.heading for s in ctx.sections] == [
        "1. Begripsbepalingen",
        "2. Maatregelen",
        "Artikel 3",
    ]
    # Its members keep their numbers, and a reference by id still gets the number.
    assert ctx.sections[2].clauses[1].number == "3.2"
    sentence = "Het verzoek volgt artikel 3.1 van artikel 3."
    assert sentence in ctx.sections[2].clauses[1].paragraphs[0]

    data = agreement_documents(ctx)[0].data
    shown = shown_text(data)  # as Word shows it, list numbers included
    assert "1. Begripsbepalingen" in shown and "Artikel 3" in shown
    heading = shown.index("Artikel 3")
    assert shown[heading + 1].startswith("3.1.")
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    assert paragraphs[heading].style.name.startswith("Heading")  # in the outline and the PDF's

    markdown = agreement_markdown(ctx)
    assert "\n## Artikel 3\n" in markdown and sentence in markdown
    assert "\nArtikel 3\n" in agreement_text(ctx)


def test_an_empty_article_title_is_reported_where_it_stands(tmp_path):
    bad = replace(_files(), "convenant.yaml", "    title: Maatregelen\n", '    title: ""\n')
    lines, _ = run(tmp_path, bad)
    row = line_of(bad["convenant.yaml"], 'title: ""')
    assert any(
        ln.startswith(f"convenant.yaml:{row}:") and "sections[1].title" in ln for ln in lines
    ), lines
