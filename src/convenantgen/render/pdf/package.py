"""A signing package: one PDF/A with the documents of one signing act and an empty signature
field on each signature line.

The build makes one package per act (:mod:`convenantgen.context.packages`): an agreement with
its signature pages, or an accession request's declaration with the consents. The parts come
as converted batches
(:mod:`convenantgen.render.pdf.batches`: documents of one kind composed into one Word document,
converted once by LibreOffice as a tagged PDF/A-2): the package joins the batches' PDFs with
their structure trees (:mod:`convenantgen.render.pdf.pages`), each batch embedding its fonts
once. pypdf then adds a bookmark per part with the part's own headings nested below it, page
labels per part ("Addendum 3" rather than "17"), Dutch metadata in Info and XMP, and a named,
unsigned signature field (``/FT /Sig``) on each signature line. :func:`build_signing_package`
composes and converts a list of parts as one batch.

Signature lines are found by the named destinations the composer's bookmarks become: the
template's marker text ``sigfield:<party-id>`` is replaced by a bookmark at the start of its
line, so no page's text is read, and the marker is in neither the text nor the tags of the
PDF. The same parts give the same bytes.
"""

from __future__ import annotations

import datetime as dt
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

from ...errors import ConvenantgenError, ConversionError
from ..docx.compose import Composed, ComposeError, ComposeInput, compose
from .accessible import tag_widget
from .batches import Converted, places
from .convert import PdfMetadata, archive_bytes, convert_to_pdf
from .pages import join

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
# The composer's bookmark names (see compose.py).


class PackageError(ConvenantgenError):
    """The signing package cannot be made (a signature place is missing or ambiguous)."""


@dataclass(frozen=True)
class PackagePart:
    """One document of the package: ``label`` is its bookmark, ``docx`` its Word document.

    ``pages`` is the number of pages the document has on its own (its PDF's), so that "pagina
    2 van 3" in its footer stays right inside the package. ``page_prefix`` goes before the page
    numbers of the part (default: the label and a space: "Addendum 1", "Addendum 2", ...).
    ``continues``: the part goes on from the part before it, as one document (an agreement's
    signature pages): its page numbers, printed and in the page labels, count on from there.
    """

    label: str
    docx: bytes
    pages: int | None = None
    page_prefix: str | None = None
    continues: bool = False


@dataclass(frozen=True)
class Signatory:
    """A signature line's owner: ``party_id`` matches the marker (``party`` or ``party:2``),
    ``label`` is the field's tooltip (who signs, in what role, for which party: made from the
    wording by the context, so no text is written here)."""

    party_id: str
    label: str

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
    if parts[0].continues:
        raise PackageError(f"'{parts[0].label}' continues a document the package does not have")
    # NUMPAGES of parts that make one document: their pages together.
    shown: list[int | None] = []
    group: list[int] = []
    for n, part in enumerate([*parts, None]):
        if part is None or not part.continues:
            own = [parts[m].pages for m in group]
            total = None if any(c is None for c in own) else sum(own)
            shown += [total] * len(group)
            group = []
        if part is not None:
            group.append(n)
    try:
        return compose(
            [ComposeInput(p.docx, c, p.continues) for p, c in zip(parts, shown, strict=True)]
        )
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
    ``handtekening-<party-id>``; a marker found on more than one line (a party that signs two
    documents of one package) gets a field on each, the later ones named
    ``handtekening-<party-id>-2``, ...
    """

    try:
        piece = places(pdf, composed, "the package")
    except ConversionError as exc:
        raise PackageError(str(exc)) from exc
    return assemble_package([piece], parts, metadata, signatories)


def assemble_package(
    pieces: Sequence[Converted],
    parts: Sequence[PackagePart],
    metadata: PdfMetadata,
    signatories: Sequence[Signatory],
    identifier: bytes | None = None,
) -> bytes:
    """The package from converted batches of its parts, in order (see :mod:`.batches`): their
    pages joined with their tags, a bookmark and page labels per part, the fields, metadata.
    ``identifier`` (16 bytes, a digest of what the package is made of) saves writing the
    package twice to derive its file identifier from its bytes."""
    try:
        readers = [piece.reader for piece in pieces]
        writer, offsets = join(readers)
    except (PyPdfError, ValueError, KeyError) as exc:
        raise PackageError(f"the package PDF cannot be read: {exc}") from exc
    starts = [
        offset + s for piece, offset in zip(pieces, offsets, strict=True) for s in piece.starts
    ]
    if len(starts) != len(parts):
        raise PackageError(f"the package PDF has {len(starts)} parts, not {len(parts)}")
    ends = [*starts[1:], len(writer.pages)]
    number = 1
    for part, first, end in zip(parts, starts, ends, strict=True):
        prefix = part.label + " " if part.page_prefix is None else part.page_prefix
        # A continuing part's labels go on as its printed page numbers do.
        number = number if part.continues else 1
        writer.set_page_label(first, end - 1, style="/D", prefix=prefix, start=number)
        number += end - first
    spans = iter(zip(parts, starts, ends, strict=True))
    for reader, piece, offset in zip(readers, pieces, offsets, strict=True):
        _outline(reader, writer, [next(spans) for _ in piece.starts], offset)
    lines = [
        (party, SignaturePlace(offset + page, x, y))
        for piece, offset in zip(pieces, offsets, strict=True)
        for party, page, x, y in piece.signatures
    ]
    found = locate_signatories(lines, signatories)
    for signatory in signatories:
        for n, place in enumerate(found[signatory.party_id], start=1):
            name = signatory.field_name + ("" if n == 1 else f"-{n}")
            _add_signature_field(writer, signatory, name, place)
    writer.page_mode = "/UseOutlines"
    # No /Producer in Info: a signer (pyHanko) appends itself to Info's but sets XMP's to its
    # own name alone, and PDF/A wants the two the same; without it both become the signer's.
    return archive_bytes(writer, readers[0], metadata, identifier=identifier, info_producer=False)


def locate_signatories(
    lines: Sequence[tuple[str, SignaturePlace]], signatories: Sequence[Signatory]
) -> dict[str, list[SignaturePlace]]:
    """The signature lines (party id, place; in document order) of each signatory; each
    needs one."""
    wanted = {s.party_id for s in signatories}
    found: dict[str, list[SignaturePlace]] = {pid: [] for pid in wanted}
    for party_id, place in lines:
        if party_id in found:
            found[party_id].append(place)
    missing = sorted(pid for pid, places in found.items() if not places)
    if missing:
        raise PackageError(
            "cannot place the signature fields: no signature line found for "
            + ", ".join(missing)
            + f" (the signature pages have no marker '{MARKER}<party-id>' for them)"
        )
    return found


def _outline(
    reader: PdfReader,
    writer: PdfWriter,
    parts: Sequence[tuple[PackagePart, int, int]],
    offset: int,
) -> None:
    """A bookmark per part (with its first and end page in the package), with LibreOffice's
    bookmarks of its headings nested below; ``reader`` is the batch of ``parts``, its first
    page the package's page ``offset``."""
    headings = list(reader.outline)
    position = 0
    for part, first, end in parts:
        parent = writer.add_outline_item(title=part.label, page_number=first, fit=Fit.fit())
        while position < len(headings):
            item = headings[position]
            children = headings[position + 1] if position + 1 < len(headings) else None
            has_children = isinstance(children, list)
            page = offset + reader.get_destination_page_number(item)
            if not first <= page < end:
                break
            _copy_item(reader, writer, item, children if has_children else [], parent, offset)
            position += 2 if has_children else 1


def _copy_item(
    reader: PdfReader, writer: PdfWriter, item, children: list, parent, offset: int
) -> None:
    top = item.get("/Top")
    fit = Fit.xyz(left=item.get("/Left"), top=top) if top is not None else Fit.fit()
    ref = writer.add_outline_item(
        title=str(item.title),
        page_number=offset + reader.get_destination_page_number(item),
        parent=parent,
        fit=fit,
    )
    i = 0
    while i < len(children):
        grand = children[i + 1] if i + 1 < len(children) else None
        nested = isinstance(grand, list)
        _copy_item(reader, writer, children[i], grand if nested else [], ref, offset)
        i += 2 if nested else 1


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
            NameObject("/TU"): TextStringObject(signatory.label),
            NameObject("/Rect"): rect,
            NameObject("/F"): NumberObject(4),  # print the field
            NameObject("/P"): page.indirect_reference,
            NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(appearance)}),
        }
    )
    ref = writer._add_object(widget)
    # PDF/UA: a widget sits in a Form structure element, its tooltip as alternative text.
    tag_widget(writer, ref, page.indirect_reference, signatory.label)
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
