"""The signing package, built from PDFs that real LibreOffice made from small DOCX files.

The signature pages carry the markers the DOCX templates use (``sigfield:<party-id>`` in white
2 pt text); the tests check that each signatory gets one named /Sig field on the page of its
marker, next to bookmarks, page labels, metadata and reproducible bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt, RGBColor
from pypdf import PdfReader

from convenantgen.package import (
    PackageError,
    PackagePart,
    Signatory,
    build_signing_package,
)
from convenantgen.pdf import convert_to_pdf

SIGNATORIES = [
    Signatory("gemeente-almere", "Gemeente Almere"),
    Signatory("stichting-alfa", "Stichting Alfa"),
]


def marked_docx(path: Path, heading: str, signers: list[tuple[str, str]], size: float = 2) -> Path:
    """A document with one signature block per signer, one block per page."""
    document = Document()
    document.add_heading(heading, 1)
    for i, (party_id, name) in enumerate(signers):
        if i:
            document.add_page_break()
        document.add_paragraph(f"Namens {name}:")
        line = document.add_paragraph("Handtekening: ")
        marker = line.add_run(f"sigfield:{party_id}")
        marker.font.size = Pt(size)
        marker.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        document.add_paragraph("Naam: ______________________")
    document.save(path)
    return path


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    src = tmp_path_factory.mktemp("docx")
    addendum = Document()
    addendum.add_heading("Addendum bij het convenant", 1)
    addendum.add_paragraph("Artikel 1. De looptijd wordt verlengd.")
    addendum.add_page_break()
    addendum.add_paragraph("Artikel 2. Slotbepaling.")
    addendum.save(src / "addendum.docx")
    files = [
        src / "addendum.docx",
        marked_docx(
            src / "handtekeningen.docx",
            "Handtekeningpagina's",
            [("gemeente-almere", "Gemeente Almere"), ("stichting-alfa", "Stichting Alfa")],
        ),
        # 'stichting-alf' is a prefix of 'stichting-alfa': it must not match that marker.
        marked_docx(src / "toetreding.docx", "Verklaring van toetreding", [("stichting-alf", "X")]),
        # A marker in normal-sized text: found by the slower search over every page.
        marked_docx(src / "groot.docx", "Instemming", [("stichting-beta", "Beta")], size=11),
    ]
    out = convert_to_pdf(files, tmp_path_factory.mktemp("pdf"), jobs=1)
    return {p.stem: p.read_bytes() for p in out}


def parts(pdfs: dict[str, bytes]) -> list[PackagePart]:
    return [
        PackagePart("Addendum", pdfs["addendum"]),
        PackagePart("Handtekeningpagina's", pdfs["handtekeningen"], page_prefix="H-"),
    ]


def build(pdfs: dict[str, bytes], signatories=SIGNATORIES, the_parts=None) -> bytes:
    return build_signing_package(
        the_parts or parts(pdfs),
        title="Addendum lerarentekort Almere – ondertekening",
        subject="Ondertekeningspakket",
        author="Gemeente Almere",
        signatories=signatories,
        date=dt.date(2025, 6, 1),
    )


def signature_widgets(reader: PdfReader) -> list[tuple[int, str, list[float]]]:
    found = []
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig":
                found.append((index, str(annot["/T"]), [float(v) for v in annot["/Rect"]]))
    return found


def marker_position(reader: PdfReader, page: int, text: str) -> tuple[float, float]:
    spots = []

    def visit(chunk, cm, tm, font, size):
        if text in chunk:
            spots.append((tm[4], tm[5]))

    reader.pages[page].extract_text(visitor_text=visit)
    assert len(spots) == 1
    return spots[0]


def test_package_structure_and_metadata(pdfs: dict[str, bytes], tmp_path: Path):
    data = build(pdfs)
    reader = PdfReader(io.BytesIO(data))

    assert len(reader.pages) == 4  # addendum 2 pages, signature pages 2 pages
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == ["Addendum", "Handtekeningpagina's"]
    # The headings of each part stay available, one level down.
    nested = [[i.title for i in item] for item in reader.outline if isinstance(item, list)]
    assert nested == [["Addendum bij het convenant"], ["Handtekeningpagina's"]]
    assert reader.page_labels == ["Addendum 1", "Addendum 2", "H-1", "H-2"]
    assert reader.metadata.title == "Addendum lerarentekort Almere – ondertekening"
    assert reader.metadata.subject == "Ondertekeningspakket"
    assert reader.metadata.author == "Gemeente Almere"
    assert reader.metadata["/CreationDate"] == "D:20250601000000+00'00'"
    assert reader.trailer["/Root"]["/Lang"] == "nl-NL"
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    # Bookmarks point at the first page of their part.
    pages = [reader.get_destination_page_number(item) for item in top]
    assert pages == [0, 2]

    (tmp_path / "pakket.pdf").write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "pakket.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Artikel 2. Slotbepaling." in text
    assert "Namens Stichting Alfa:" in text


def test_one_signature_field_per_signatory_on_its_marker(pdfs: dict[str, bytes]):
    reader = PdfReader(io.BytesIO(build(pdfs)))

    widgets = signature_widgets(reader)
    assert [(page, name) for page, name, _ in widgets] == [
        (2, "handtekening-gemeente-almere"),
        (3, "handtekening-stichting-alfa"),
    ]
    fields = reader.get_fields()
    assert sorted(fields) == ["handtekening-gemeente-almere", "handtekening-stichting-alfa"]
    assert {f["/FT"] for f in fields.values()} == {"/Sig"}
    assert fields["handtekening-stichting-alfa"]["/TU"] == "Handtekening Stichting Alfa"
    assert all("/V" not in f for f in fields.values())  # empty: nobody has signed yet
    for page, name, rect in widgets:
        x, y = marker_position(reader, page, "sigfield:" + name.removeprefix("handtekening-"))
        assert rect == pytest.approx([x, y, x + 200, y + 50], abs=0.01)


def test_same_parts_give_the_same_bytes(pdfs: dict[str, bytes]):
    assert build(pdfs) == build(pdfs)


def test_accession_part_and_prefix_ids(pdfs: dict[str, bytes]):
    the_parts = [
        *parts(pdfs),
        PackagePart("Toetreding: Stichting Alf", pdfs["toetreding"]),
    ]
    signatories = [*SIGNATORIES, Signatory("stichting-alf", "Stichting Alf")]
    reader = PdfReader(io.BytesIO(build(pdfs, signatories, the_parts)))

    assert reader.page_labels[-1] == "Toetreding: Stichting Alf 1"
    assert [(p, n) for p, n, _ in signature_widgets(reader)] == [
        (2, "handtekening-gemeente-almere"),
        (3, "handtekening-stichting-alfa"),
        (4, "handtekening-stichting-alf"),
    ]


def test_marker_in_normal_sized_text_is_found_too(pdfs: dict[str, bytes]):
    the_parts = [*parts(pdfs), PackagePart("Instemming", pdfs["groot"])]
    signatories = [*SIGNATORIES, Signatory("stichting-beta", "Stichting Beta")]
    reader = PdfReader(io.BytesIO(build(pdfs, signatories, the_parts)))
    assert [(p, n) for p, n, _ in signature_widgets(reader)] == [
        (2, "handtekening-gemeente-almere"),
        (3, "handtekening-stichting-alfa"),
        (4, "handtekening-stichting-beta"),
    ]


def test_signatory_without_marker_is_reported(pdfs: dict[str, bytes]):
    with pytest.raises(PackageError) as caught:
        build(pdfs, [*SIGNATORIES, Signatory("stichting-gamma", "Stichting Gamma")])
    assert str(caught.value) == (
        "cannot place the signature fields: no signature line found for stichting-gamma "
        "(the signature pages have no marker 'sigfield:<party-id>' for them)"
    )


def test_party_signing_twice_gets_a_field_on_each_line(pdfs: dict[str, bytes]):
    twice = [*parts(pdfs), PackagePart("Nogmaals", pdfs["handtekeningen"])]
    reader = PdfReader(io.BytesIO(build(pdfs, SIGNATORIES[:1], twice)))
    assert [(p, n) for p, n, _ in signature_widgets(reader)] == [
        (2, "handtekening-gemeente-almere"),
        (4, "handtekening-gemeente-almere-2"),
    ]
    assert sorted(reader.get_fields()) == [
        "handtekening-gemeente-almere",
        "handtekening-gemeente-almere-2",
    ]


def test_unreadable_part_is_named(pdfs: dict[str, bytes]):
    with pytest.raises(PackageError, match="'Addendum' is not a readable PDF"):
        build(pdfs, [], [PackagePart("Addendum", b"geen pdf")])
    with pytest.raises(PackageError, match="the signing package has no documents"):
        build_signing_package([], title="t", subject="s", author="a", signatories=[])
