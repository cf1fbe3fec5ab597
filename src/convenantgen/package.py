"""The signing package: one PDF/A with every document to sign and an empty signature field each.

The parts (addendum, signature pages, accession declarations, ...) are composed into one Word
document (:mod:`convenantgen.compose`) that LibreOffice converts once, as a tagged PDF/A-2: the
package keeps the structure tree of its documents and embeds each font once, however many
parts it has. pypdf then works on a clone of that PDF: a bookmark per part with the part's own
headings nested below it, page labels per part ("Addendum 3" rather than "17"), Dutch metadata
in Info and XMP, and a named, unsigned signature field (``/FT /Sig``) on each signature line.

Signature lines are found by the named destinations the composer's bookmarks become: the
template's marker text ``sigfield:<party-id>`` is replaced by a bookmark at the start of its
line, so no page's text is read, and the marker is in neither the text nor the tags of the
PDF. The same parts give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    Fit,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from .compose import Composed, ComposeError, ComposeInput, compose
from .errors import ConvenantgenError
from .pdf import PdfMetadata, archive_bytes, convert_to_pdf

MARKER = "sigfield:"
FIELD_PREFIX = "handtekening-"
# Size of the signature field in points. Its left edge is the start of the signature line and
# its lower edge LINE_DROP below the top of that line, so the line runs through the field's
# lower part and the signature is drawn just above it.
FIELD_WIDTH = 200.0
FIELD_HEIGHT = 40.0
LINE_DROP = 14.0
# LibreOffice converts a package of many parts in one go: it may take this many seconds per
# ten parts (on top of the usual limit) before it counts as hung.
SECONDS_PER_TEN_PARTS = 10.0


class PackageError(ConvenantgenError):
    """The signing package cannot be made (a signature place is missing or ambiguous)."""


@dataclass(frozen=True)
class PackagePart:
    """One document of the package: ``label`` is its bookmark, ``docx`` its Word document.

    ``pages`` is the number of pages the document has on its own (its PDF's), so that "pagina
    2 van 3" in its footer stays right inside the package. ``page_prefix`` goes before the page
    numbers of the part (default: the label and a space: "Addendum 1", "Addendum 2", ...).
    """

    label: str
    docx: bytes
    pages: int | None = None
    page_prefix: str | None = None


@dataclass(frozen=True)
class Signatory:
    """A party that signs: ``party_id`` matches the marker, ``name`` is shown as a tooltip."""

    party_id: str
    name: str

    @property
    def field_name(self) -> str:
        # A full stop separates levels in PDF field names, so it may not appear in one.
        return FIELD_PREFIX + self.party_id.replace(".", "-")


@dataclass(frozen=True)
class SignaturePlace:
    """A signature line: page index in the package and the top-left point of the line."""

    page: int
    x: float
    y: float


def build_signing_package(
    parts: Sequence[PackagePart],
    *,
    title: str,
    subject: str,
    author: str,
    signatories: Sequence[Signatory],
    date: dt.date | dt.datetime | None = None,
    work_dir: Path | None = None,
    timeout: float = 60.0,
    soffice: str | Path | None = None,
) -> bytes:
    """Compose ``parts``, convert them once, and finish the PDF (see :func:`finish_package`).

    ``author`` is the penvoerder; ``date`` (e.g. the signing date) becomes CreationDate and
    ModDate.
    LibreOffice works in ``work_dir`` (default: a temporary folder); ``timeout`` is the usual
    per-document limit, raised for the number of parts.
    """
    composed = compose_package(parts)
    with tempfile.TemporaryDirectory(prefix=".convenantgen-package-", dir=work_dir) as tmp:
        source = Path(tmp) / "ondertekenpakket.docx"
        source.write_bytes(composed.docx)
        limit = package_timeout(len(parts), timeout)
        (pdf,) = convert_to_pdf([source], Path(tmp) / "pdf", timeout=limit, soffice=soffice)
        data = pdf.read_bytes()
    metadata = PdfMetadata(title=title, subject=subject, author=author, date=date)
    return finish_package(data, composed, parts, metadata, signatories)


def package_timeout(parts: int, timeout: float) -> float:
    """Seconds LibreOffice may take for a package of ``parts`` documents."""
    return timeout + SECONDS_PER_TEN_PARTS * math.ceil(parts / 10)


def compose_package(parts: Sequence[PackagePart]) -> Composed:
    """The Word document of the whole package, with its bookmarks (see :mod:`.compose`)."""
    if not parts:
        raise PackageError("the signing package has no documents")
    for part in parts:
        if not part.docx.startswith(b"PK"):
            raise PackageError(f"'{part.label}' is not a Word document")
    try:
        return compose([ComposeInput(p.docx, p.pages) for p in parts])
    except ComposeError as exc:
        raise PackageError(f"the signing package cannot be composed: {exc}") from exc


def finish_package(
    pdf: bytes,
    composed: Composed,
    parts: Sequence[PackagePart],
    metadata: PdfMetadata,
    signatories: Sequence[Signatory],
) -> bytes:
    """Bookmarks, page labels, metadata and signature fields on LibreOffice's package PDF.

    ``metadata.author`` is the penvoerder; ``metadata.date`` (e.g. the signing date) becomes
    CreationDate and ModDate. Every signatory needs a ``sigfield:<party-id>`` marker somewhere
    in the parts, otherwise :class:`PackageError` lists who is missing. The field is named
    ``handtekening-<party-id>``; a party that signs on more than one line (two agreements in
    one package) gets a field on each, the later ones named ``handtekening-<party-id>-2``, ...
    """
    try:
        reader = PdfReader(io.BytesIO(pdf))
        writer = PdfWriter(clone_from=reader)
    except (PyPdfError, ValueError, KeyError) as exc:
        raise PackageError(f"the package PDF cannot be read: {exc}") from exc
    places = _destinations(reader)
    starts = []
    for part, mark in zip(parts, composed.parts, strict=True):
        if mark not in places:
            raise PackageError(f"the package PDF has no start for '{part.label}'")
        starts.append(places[mark].page)
    ends = [*starts[1:], len(writer.pages)]
    for part, first, end in zip(parts, starts, ends, strict=True):
        prefix = part.label + " " if part.page_prefix is None else part.page_prefix
        writer.set_page_label(first, end - 1, style="/D", prefix=prefix, start=1)
    _outline(reader, writer, parts, starts)
    found = locate_signatories(composed, places, signatories)
    for signatory in signatories:
        for n, place in enumerate(found[signatory.party_id], start=1):
            name = signatory.field_name + ("" if n == 1 else f"-{n}")
            _add_signature_field(writer, signatory, name, place)
    _drop_marks(writer)
    writer.page_mode = "/UseOutlines"
    return archive_bytes(writer, reader, metadata)


def _destinations(reader: PdfReader) -> dict[str, SignaturePlace]:
    """The named destinations of the package: page index and the point they show."""
    out = {}
    for name, dest in reader.named_destinations.items():
        try:
            page = reader.get_destination_page_number(dest)
        except (PyPdfError, ValueError, KeyError):
            continue
        left, top = dest.get("/Left"), dest.get("/Top")
        out[str(name).lstrip("/")] = SignaturePlace(
            page, float(left or 0), float(top if top is not None else 0)
        )
    return out


def locate_signatories(
    composed: Composed, places: dict[str, SignaturePlace], signatories: Sequence[Signatory]
) -> dict[str, list[SignaturePlace]]:
    """The signature lines of each signatory, in document order; each needs one."""
    wanted = {s.party_id for s in signatories}
    found: dict[str, list[SignaturePlace]] = {pid: [] for pid in wanted}
    for mark, party_id in composed.signatures:
        if party_id in found and mark in places:
            found[party_id].append(places[mark])
    missing = sorted(pid for pid, lines in found.items() if not lines)
    if missing:
        raise PackageError(
            "cannot place the signature fields: no signature line found for "
            + ", ".join(missing)
            + f" (the signature pages have no marker '{MARKER}<party-id>' for them)"
        )
    return found


def _outline(
    reader: PdfReader, writer: PdfWriter, parts: Sequence[PackagePart], starts: list[int]
) -> None:
    """A bookmark per part, with LibreOffice's bookmarks of its headings nested below."""
    headings = list(reader.outline)
    if "/Outlines" in writer.root_object:
        del writer.root_object[NameObject("/Outlines")]
    position = 0
    for i, (part, first) in enumerate(zip(parts, starts, strict=True)):
        end = starts[i + 1] if i + 1 < len(starts) else len(writer.pages)
        parent = writer.add_outline_item(title=part.label, page_number=first, fit=Fit.fit())
        while position < len(headings):
            item = headings[position]
            children = headings[position + 1] if position + 1 < len(headings) else None
            has_children = isinstance(children, list)
            page = reader.get_destination_page_number(item)
            if not first <= page < end:
                break
            _copy_item(reader, writer, item, children if has_children else [], parent)
            position += 2 if has_children else 1


def _copy_item(reader: PdfReader, writer: PdfWriter, item, children: list, parent) -> None:
    top = item.get("/Top")
    fit = Fit.xyz(left=item.get("/Left"), top=top) if top is not None else Fit.fit()
    ref = writer.add_outline_item(
        title=str(item.title),
        page_number=reader.get_destination_page_number(item),
        parent=parent,
        fit=fit,
    )
    i = 0
    while i < len(children):
        grand = children[i + 1] if i + 1 < len(children) else None
        nested = isinstance(grand, list)
        _copy_item(reader, writer, children[i], grand if nested else [], ref)
        i += 2 if nested else 1


def _drop_marks(writer: PdfWriter) -> None:
    """Remove the composer's destinations: they are of no use to a reader of the package."""
    dests = writer.root_object.get("/Dests")
    if dests is None:
        return
    dests = dests.get_object()
    for key in [k for k in dests if str(k).lstrip("/").startswith(("cgpart", "cgsig"))]:
        del dests[key]
    if not dests:
        del writer.root_object[NameObject("/Dests")]


def _add_signature_field(
    writer: PdfWriter, signatory: Signatory, name: str, place: SignaturePlace
) -> None:
    page = writer.pages[place.page]
    box = page.mediabox
    # On the line; moved inwards if the field would stick out of the page.
    x0 = min(max(place.x, float(box.left)), float(box.right) - FIELD_WIDTH)
    y0 = min(max(place.y - LINE_DROP, float(box.bottom)), float(box.top) - FIELD_HEIGHT)
    rect = ArrayObject(
        FloatObject(round(v, 2)) for v in (x0, y0, x0 + FIELD_WIDTH, y0 + FIELD_HEIGHT)
    )
    # An empty appearance: signing software draws its own, but PDF/A wants one.
    appearance = DecodedStreamObject()
    appearance.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                FloatObject(v) for v in (0, 0, FIELD_WIDTH, FIELD_HEIGHT)
            ),
        }
    )
    appearance.set_data(b"")
    widget = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Sig"),
            NameObject("/T"): TextStringObject(name),
            NameObject("/TU"): TextStringObject(f"Handtekening {signatory.name}"),
            NameObject("/Rect"): rect,
            NameObject("/F"): NumberObject(4),  # print the field
            NameObject("/P"): page.indirect_reference,
            NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(appearance)}),
        }
    )
    ref = writer._add_object(widget)
    annots = page.get("/Annots")
    if annots is None:
        page[NameObject("/Annots")] = ArrayObject([ref])
    else:
        annots.get_object().append(ref)
    root = writer.root_object
    if "/AcroForm" not in root:
        root[NameObject("/AcroForm")] = writer._add_object(
            DictionaryObject({NameObject("/Fields"): ArrayObject()})
        )
    form = root["/AcroForm"].get_object()
    if "/Fields" not in form:
        form[NameObject("/Fields")] = ArrayObject()
    form["/Fields"].get_object().append(ref)
