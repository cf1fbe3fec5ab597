"""Composing the signing package's Word documents into one, without LibreOffice.

The composed document is read back with python-docx and lxml: one section per part with its
own footer and page numbers restarting, the part and signature-line bookmarks, styles and list
numbering carried over, and the same bytes for the same parts.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from convenantgen.render.docx.compose import ComposeError, ComposeInput, compose


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def part(title: str, footer: str, *, marker: str | None = None, style: str | None = None):
    document = Document()
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.add_run(f"{footer} · pagina ")
    paragraph._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r>'
            "</w:fldSimple>"
        )
    )
    document.add_heading(title, 1)
    if style:
        custom = document.styles.add_style(style, 1)
        custom.font.size = Pt(13)
        document.add_paragraph("Eigen stijl", style=style)
    document.add_paragraph("Eerste punt", style="List Number")
    if marker:
        line = document.add_paragraph("_" * 40)
        line.add_run(" ")
        line.add_run(f"sigfield:{marker}").font.size = Pt(2)
    return docx_bytes(document)


@pytest.fixture(scope="module")
def parts() -> list[ComposeInput]:
    return [
        ComposeInput(part("Addendum", "Versie A"), pages=3),
        ComposeInput(part("Handtekeningen", "Versie B", marker="gemeente-almere"), pages=2),
        ComposeInput(part("Instemming", "Versie C", marker="stichting-alfa", style="Eigen")),
    ]


def test_each_part_is_a_section_with_its_own_footer_and_page_count(parts):
    composed = compose(parts)
    document = Document(io.BytesIO(composed.docx))

    assert len(document.sections) == 3
    footers = [section.footer.paragraphs[0].text for section in document.sections]
    # The page count of a part replaces NUMPAGES; a part without one keeps the field.
    assert footers[0] == "Versie A · pagina 3"
    assert footers[1] == "Versie B · pagina 2"
    assert footers[2].startswith("Versie C · pagina ")
    footer_xml = document.sections[2].footer._element.xml
    assert "NUMPAGES" in footer_xml
    for section in document.sections:
        assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Addendum", "Handtekeningen", "Instemming"]


def test_parts_and_signature_lines_are_bookmarked_and_markers_removed(parts):
    composed = compose(parts)
    document = Document(io.BytesIO(composed.docx))

    assert composed.parts == ["cgpart1", "cgpart2", "cgpart3"]
    assert composed.signatures == [("cgsig1", "gemeente-almere"), ("cgsig2", "stichting-alfa")]
    marks = {
        b.get(qn("w:name")): p
        for p in document.paragraphs
        for b in p._p.findall(qn("w:bookmarkStart"))
    }
    assert [marks[f"cgpart{i}"].text for i in (1, 2, 3)] == [
        "Addendum",
        "Handtekeningen",
        "Instemming",
    ]
    # At the start of the signature line, its left edge.
    for name in ("cgsig1", "cgsig2"):
        assert marks[name].text.startswith("_" * 40)
        assert marks[name]._p.index(marks[name]._p.find(qn("w:bookmarkStart"))) <= 1
    assert not any("sigfield" in p.text for p in document.paragraphs)
    ids = [b.get(qn("w:id")) for b in document.element.body.iter(qn("w:bookmarkStart"))]
    assert len(ids) == len(set(ids))


def test_styles_of_later_parts_are_carried_over(parts):
    composed = compose(parts)
    document = Document(io.BytesIO(composed.docx))

    styled = [p for p in document.paragraphs if p.text == "Eigen stijl"]
    assert styled[0].style.name == "Eigen"
    assert styled[0].style.font.size == Pt(13)
    numbered = [p for p in document.paragraphs if p.text == "Eerste punt"]
    assert len(numbered) == 3


def test_same_parts_give_the_same_bytes(parts):
    assert compose(parts).docx == compose(parts).docx
    names = zipfile.ZipFile(io.BytesIO(compose(parts).docx)).namelist()
    assert "word/cg2-footer1.xml" in names and "word/cg3-footer1.xml" in names


def test_what_is_no_word_document_is_refused():
    with pytest.raises(ComposeError, match="nothing to compose"):
        compose([])
    with pytest.raises(ComposeError, match="not a Word document"):
        compose([ComposeInput(b"PK geen zip")])
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ComposeError, match="it has no word/document.xml"):
        compose([ComposeInput(empty.getvalue())])
