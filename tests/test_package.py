"""The signing package, composed from small DOCX files and converted by real LibreOffice.

The signature lines carry the marker the DOCX templates use (``sigfield:<party-id>`` in white
2 pt text, a run of its own); the tests check that each signatory gets one named /Sig field on
its signature line, that the marker is gone from the text, and that the package is a tagged
PDF/A with bookmarks, page labels, metadata, shared fonts and reproducible bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt, RGBColor
from pypdf import PdfReader

from convenantgen.render.pdf.convert import PdfMetadata, convert_to_pdf
from convenantgen.render.pdf.package import (
    PackageError,
    PackagePart,
    Signatory,
    build_signing_package,
    compose_package,
    finish_package,
)
from convenantgen.render.pdf.pdfa import pdfa_problems, structure_types

SIGNATORIES = [
    Signatory("gemeente-almere", "Gemeente Almere"),
    Signatory("stichting-alfa", "Stichting Alfa"),
]
LINE = "_" * 40
TITLE = "Addendum lerarentekort Almere – ondertekening"
META = PdfMetadata(TITLE, "Ondertekeningspakket", "Gemeente Almere", dt.date(2025, 6, 1))


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def page_footer(document, text: str) -> None:
    """A footer "<text> · pagina N van M" with Word fields, as the templates have."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.add_run(f"{text} · pagina ")
    fields = (
        f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>',
        f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> van </w:t></w:r>',
        f'<w:fldSimple {nsdecls("w")} w:instr="NUMPAGES"><w:r><w:t>1</w:t></w:r></w:fldSimple>',
    )
    for xml in fields:
        paragraph._p.append(parse_xml(xml))


def marked(heading: str, signers: list[tuple[str, str]], footer: str = "Handtekeningen") -> bytes:
    """A document with one signature block per signer, one block per page."""
    document = Document()
    page_footer(document, footer)
    document.add_heading(heading, 1)
    for i, (party_id, name) in enumerate(signers):
        if i:
            document.add_page_break()
        document.add_paragraph(f"Naam: {name}")
        document.add_paragraph("")
        line = document.add_paragraph(LINE)
        line.add_run(" ")
        marker = line.add_run(f"sigfield:{party_id}")
        marker.font.size = Pt(2)
        marker.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        document.add_paragraph("Datum: ______________")
    return docx_bytes(document)


@pytest.fixture(scope="module")
def docs() -> dict[str, bytes]:
    addendum = Document()
    page_footer(addendum, "Addendum")
    addendum.add_heading("Addendum bij het convenant", 1)
    addendum.add_paragraph("Artikel 1. De looptijd wordt verlengd.")
    addendum.add_heading("Looptijd", 2)
    addendum.add_page_break()
    addendum.add_paragraph("Artikel 2. Slotbepaling.")
    return {
        "addendum": docx_bytes(addendum),
        "handtekeningen": marked(
            "Handtekeningpagina's",
            [("gemeente-almere", "Gemeente Almere"), ("stichting-alfa", "Stichting Alfa")],
        ),
        # 'stichting-alf' is a prefix of 'stichting-alfa': it must not match that marker.
        "toetreding": marked("Verklaring van toetreding", [("stichting-alf", "Stichting Alf")]),
    }


def parts(docs: dict[str, bytes]) -> list[PackagePart]:
    return [
        PackagePart("Addendum", docs["addendum"], pages=2),
        PackagePart("Handtekeningpagina's", docs["handtekeningen"], pages=2, page_prefix="H-"),
        PackagePart("Toetreding: Stichting Alf", docs["toetreding"], pages=1),
    ]


def build(the_parts: list[PackagePart], signatories=SIGNATORIES) -> bytes:
    title, subject, author, date = META.title, META.subject, META.author, META.date
    return build_signing_package(
        the_parts, title=title, subject=subject, author=author, signatories=signatories, date=date
    )


@pytest.fixture(scope="module")
def converted(docs, tmp_path_factory) -> tuple[object, bytes]:
    """The composed package and LibreOffice's PDF of it, finished by each test as it needs."""
    composed = compose_package(parts(docs))
    folder = tmp_path_factory.mktemp("pakket")
    (folder / "pakket.docx").write_bytes(composed.docx)
    (pdf,) = convert_to_pdf([folder / "pakket.docx"], folder / "pdf")
    return composed, pdf.read_bytes()


def finish(docs, converted, signatories) -> bytes:
    composed, pdf = converted
    return finish_package(pdf, composed, parts(docs), META, signatories)


@pytest.fixture(scope="module")
def package(docs, converted) -> bytes:
    return finish(docs, converted, [*SIGNATORIES, Signatory("stichting-alf", "Stichting Alf")])


def pdftotext(data: bytes, tmp_path: Path, *options: str) -> str:
    (tmp_path / "pakket.pdf").write_bytes(data)
    return subprocess.run(
        ["pdftotext", *options, str(tmp_path / "pakket.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def signature_widgets(reader: PdfReader) -> list[tuple[int, str, list[float]]]:
    found = []
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig":
                found.append((index, str(annot["/T"]), [float(v) for v in annot["/Rect"]]))
    return found


def text_positions(reader: PdfReader, page: int) -> list[tuple[str, float, float]]:
    """Text chunks of a page with the point where each starts (baseline, page space)."""
    chunks = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            chunks.append((text.strip(), x, y))

    reader.pages[page].extract_text(visitor_text=visit)
    return chunks


@pytest.mark.libreoffice
def test_package_is_tagged_pdf_a_with_bookmarks_labels_and_metadata(package, tmp_path):
    reader = PdfReader(io.BytesIO(package))

    assert pdfa_problems(package) == []
    assert len(reader.pages) == 5  # addendum 2, signature pages 2, accession 1
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == [
        "Addendum",
        "Handtekeningpagina's",
        "Toetreding: Stichting Alf",
    ]
    # The headings of each part stay available, one level down, with their own children.
    nested = [[i.title for i in item if not isinstance(i, list)] for item in reader.outline
              if isinstance(item, list)]  # fmt: skip
    assert nested == [
        ["Addendum bij het convenant"],
        ["Handtekeningpagina's"],
        ["Verklaring van toetreding"],
    ]
    assert reader.outline[1][1][0].title == "Looptijd"
    assert [reader.get_destination_page_number(item) for item in top] == [0, 2, 4]
    assert reader.page_labels == [
        "Addendum 1",
        "Addendum 2",
        "H-1",
        "H-2",
        "Toetreding: Stichting Alf 1",
    ]
    assert reader.metadata.title == TITLE
    assert reader.metadata.subject == "Ondertekeningspakket"
    assert reader.metadata.author == "Gemeente Almere"
    assert reader.metadata["/CreationDate"] == "D:20250601000000+00'00'"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl-NL"
    assert root["/PageMode"] == "/UseOutlines"
    assert "/Dests" not in root  # the composer's destinations are removed

    text = pdftotext(package, tmp_path)
    assert "Artikel 2. Slotbepaling." in text
    assert "Naam: Stichting Alfa" in text
    assert "sigfield" not in text  # the marker is gone, for screen readers too
    # Each part's footer counts its own pages.
    assert "Addendum · pagina 2 van 2" in text
    assert "Handtekeningen · pagina 1 van 2" in text
    assert "Handtekeningen · pagina 1 van 1" in text


@pytest.mark.libreoffice
def test_package_keeps_the_tags_and_embeds_each_font_once(package):
    reader = PdfReader(io.BytesIO(package))
    kinds = structure_types(reader.trailer["/Root"])
    # One H1 per part, the H2 of the addendum: the structure of every part is there.
    assert kinds.count("/H1") == 3 and kinds.count("/H2") == 1
    font_files = {
        (ref.idnum, ref.generation)
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        for descendant in [font.get_object(), *font.get_object().get("/DescendantFonts", [])]
        for ref in [descendant.get_object().get("/FontDescriptor", {}).get("/FontFile2")]
        if ref is not None
    }
    names = {
        font.get_object()["/BaseFont"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    # Shared by all parts: no more font files than fonts in use.
    assert 0 < len(font_files) <= len(names)


@pytest.mark.libreoffice
def test_one_signature_field_per_signature_line_on_that_line(package):
    reader = PdfReader(io.BytesIO(package))

    widgets = signature_widgets(reader)
    assert [(page, name) for page, name, _ in widgets] == [
        (2, "handtekening-gemeente-almere"),
        (3, "handtekening-stichting-alfa"),
        (4, "handtekening-stichting-alf"),
    ]
    fields = reader.get_fields()
    assert {f["/FT"] for f in fields.values()} == {"/Sig"}
    # The tooltip is the signatory's label as given (the build makes it from the wording).
    assert fields["handtekening-stichting-alfa"]["/TU"] == "Stichting Alfa"
    assert all("/V" not in f for f in fields.values())  # empty: nobody has signed yet
    for page, _, (x0, y0, x1, y1) in widgets:
        lines = [(x, y) for text, x, y in text_positions(reader, page) if text == LINE]
        assert len(lines) == 1
        ((x, y),) = lines
        # The field starts where the line starts and the line runs through its lower part.
        assert x0 == pytest.approx(x, abs=1)
        assert y0 < y < y0 + 15
        assert x1 - x0 == 200 and y1 - y0 == 40


@pytest.mark.libreoffice
def test_signatory_without_marker_is_reported(docs, converted):
    with pytest.raises(PackageError) as caught:
        finish(docs, converted, [*SIGNATORIES, Signatory("stichting-gamma", "Stichting Gamma")])
    assert str(caught.value) == (
        "cannot place the signature fields: no signature line found for stichting-gamma "
        "(the signature pages have no marker 'sigfield:<party-id>' for them)"
    )


@pytest.mark.libreoffice
def test_party_signing_twice_gets_a_field_on_each_line_and_bytes_repeat(docs):
    twice = [
        PackagePart("Handtekeningen", docs["handtekeningen"]),
        PackagePart("Nogmaals", docs["handtekeningen"]),
    ]
    data = build(twice, SIGNATORIES[:1])
    reader = PdfReader(io.BytesIO(data))
    assert [(p, n) for p, n, _ in signature_widgets(reader)] == [
        (0, "handtekening-gemeente-almere"),
        (2, "handtekening-gemeente-almere-2"),
    ]
    assert sorted(reader.get_fields()) == [
        "handtekening-gemeente-almere",
        "handtekening-gemeente-almere-2",
    ]
    assert build(twice, SIGNATORIES[:1]) == data


def test_unreadable_part_is_named():
    with pytest.raises(PackageError, match="'Addendum' is not a Word document"):
        build([PackagePart("Addendum", b"geen docx")], [])
    with pytest.raises(PackageError, match="the signing package has no documents"):
        build_signing_package([], title="t", subject="s", author="a", signatories=[])
