"""PDF/A-2: what LibreOffice exports and ``normalize_pdf`` keeps, checked part by part.

No PDF/A validator can be installed from the registries this project uses (veraPDF is Java and
in none of them), so :func:`convenantgen.render.pdf.pdfa.pdfa_problems` checks the required parts
explicitly; the last tests show that each check finds what it is there for.
"""

from __future__ import annotations

import datetime as dt
import io
from xml.etree import ElementTree

import pytest
from docx import Document
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from convenantgen.render.pdf.convert import (
    EXPORT_FILTER,
    PdfMetadata,
    convert_to_pdf,
    normalize_pdf,
)
from convenantgen.render.pdf.pdfa import pdfa_problems, structure_types, xmp_value

META = PdfMetadata(
    title="Verklaring van toetreding – Stichting Één & <Co>",
    subject="Addendum lerarentekort Almere",
    author="Gemeente Almere",
    date=dt.date(2025, 6, 1),
    keywords="convenant, toetreding",
)


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    src = tmp_path_factory.mktemp("docx")
    document = Document()
    document.add_heading("Verklaring van toetreding", 1)
    document.add_paragraph("Stichting Één & Co treedt toe.").add_run(" Vet.").bold = True
    document.add_paragraph("Eerste punt", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Partij", "Datum"
    document.save(src / "verklaring.docx")
    (pdf,) = convert_to_pdf([src / "verklaring.docx"], tmp_path_factory.mktemp("pdf"))
    return pdf.read_bytes()


@pytest.fixture(scope="module")
def normal(raw: bytes) -> bytes:
    return normalize_pdf(raw, META)


def xmp_of(data: bytes) -> ElementTree.Element:
    stream = PdfReader(io.BytesIO(data)).trailer["/Root"]["/Metadata"].get_object()
    return ElementTree.fromstring(stream.get_data())


def test_export_options_ask_for_tagged_pdf_a_2():
    assert '"SelectPdfVersion":{"type":"long","value":"2"}' in EXPORT_FILTER
    assert '"UseTaggedPDF":{"type":"boolean","value":"true"}' in EXPORT_FILTER


@pytest.mark.libreoffice
def test_libreoffice_exports_pdf_a_2b_tagged(raw: bytes):
    assert pdfa_problems(raw) == []
    assert xmp_value(xmp_of(raw), "pdfaid:part") == "2"
    assert xmp_value(xmp_of(raw), "pdfaid:conformance") == "B"


@pytest.mark.libreoffice
def test_normalised_pdf_keeps_pdf_a_and_tags(normal: bytes):
    assert pdfa_problems(normal) == []
    root = PdfReader(io.BytesIO(normal)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    # The structure LibreOffice tagged: document, heading, list, table.
    assert {"/Document", "/H1", "/L", "/LI", "/Table", "/TR", "/TD"} <= set(structure_types(root))
    assert root["/Lang"] == "nl-NL"
    (intent,) = root["/OutputIntents"]
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/DestOutputProfile"].get_object().get_data()[36:40] == b"acsp"


@pytest.mark.libreoffice
def test_xmp_mirrors_the_dutch_metadata(normal: bytes):
    xmp = xmp_of(normal)
    stream = PdfReader(io.BytesIO(normal)).trailer["/Root"]["/Metadata"].get_object()
    assert "/Filter" not in stream  # uncompressed, as PDF/A asks
    assert xmp_value(xmp, "pdfaid:part") == "2"
    assert xmp_value(xmp, "pdfaid:conformance") == "B"
    assert xmp_value(xmp, "dc:title") == "Verklaring van toetreding – Stichting Één & <Co>"
    assert xmp_value(xmp, "dc:description") == "Addendum lerarentekort Almere"
    assert xmp_value(xmp, "dc:creator") == "Gemeente Almere"
    assert xmp_value(xmp, "dc:language") == "nl-NL"
    assert xmp_value(xmp, "pdf:Keywords") == "convenant, toetreding"
    assert xmp_value(xmp, "pdf:Producer") == "convenantgen"
    assert xmp_value(xmp, "xmp:CreateDate") == "2025-06-01T00:00:00+00:00"
    assert xmp_value(xmp, "xmp:ModifyDate") == "2025-06-01T00:00:00+00:00"
    info = PdfReader(io.BytesIO(normal)).metadata
    assert info.title == xmp_value(xmp, "dc:title")
    assert info["/CreationDate"] == "D:20250601000000+00'00'"


@pytest.mark.libreoffice
def test_normalising_twice_gives_the_same_bytes(raw: bytes, normal: bytes):
    assert normalize_pdf(raw, META) == normal
    # A PDF without PDF/A identification is not made to claim it.
    plain = PdfWriter()
    plain.add_blank_page(595, 842)
    buffer = io.BytesIO()
    plain.write(buffer)
    xmp = xmp_of(normalize_pdf(buffer.getvalue(), META))
    assert xmp_value(xmp, "pdfaid:part") is None
    assert xmp_value(xmp, "dc:title") == META.title


def rewritten(data: bytes, change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def font(writer: PdfWriter, subtype: str, **extra) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject(subtype),
            NameObject("/BaseFont"): NameObject("/Carlito"),
            **{NameObject(f"/{k}"): v for k, v in extra.items()},
        }
    )


@pytest.mark.libreoffice
def test_checks_find_what_breaks_pdf_a(normal: bytes):
    def no_intent(w: PdfWriter) -> None:
        del w.root_object["/OutputIntents"]

    def untagged(w: PdfWriter) -> None:
        del w.root_object["/StructTreeRoot"]
        del w.root_object["/MarkInfo"]

    def other_title(w: PdfWriter) -> None:
        w.add_metadata({"/Title": "Iets anders"})

    def javascript(w: PdfWriter) -> None:
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("")}
        )
        w.root_object[NameObject("/OpenAction")] = w._add_object(action)

    def encrypted(w: PdfWriter) -> None:
        w.encrypt("geheim", algorithm="RC4-128")

    def unembedded(w: PdfWriter) -> None:
        # A Type0 font whose descendant has no font file: the descendant is checked too.
        cid = font(w, "/CIDFontType2", FontDescriptor=DictionaryObject())
        type0 = font(w, "/Type0", DescendantFonts=ArrayObject([w._add_object(cid)]))
        w.pages[0]["/Resources"]["/Font"][NameObject("/FX")] = w._add_object(type0)

    assert pdfa_problems(rewritten(normal, no_intent)) == [
        "no /OutputIntents entry with /S /GTS_PDFA1"
    ]
    assert pdfa_problems(rewritten(normal, untagged)) == [
        "not tagged: no /MarkInfo with /Marked true",
        "not tagged: no /StructTreeRoot",
    ]
    assert pdfa_problems(rewritten(normal, other_title)) == [
        "Info /Title 'Iets anders' differs from XMP dc:title "
        "'Verklaring van toetreding – Stichting Één & <Co>'"
    ]
    assert pdfa_problems(rewritten(normal, javascript)) == ["a /JavaScript action"]
    assert pdfa_problems(rewritten(normal, encrypted)) == ["the file is encrypted"]
    assert pdfa_problems(rewritten(normal, unembedded)) == ["font /Carlito is not embedded"]
