"""The signing package: one PDF with every document to sign and an empty signature field each.

Parts (addendum, signature pages, accession declarations, ...) are merged in the given order.
Each part gets a bookmark and its own page labels, so a viewer shows "Addendum 3" rather than
"17". The signature pages carry, on every signature line, the invisible marker text
``sigfield:<party-id>`` (white, 2 pt); the position of that text is where the party's named,
unsigned signature field (``/FT /Sig``) is placed. The same parts give the same bytes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from .errors import ConvenantgenError
from .pdf import PdfMetadata, apply_metadata, write_deterministic

MARKER = "sigfield:"
FIELD_PREFIX = "handtekening-"
# Size of the signature field in points, with its lower-left corner on the marker.
FIELD_WIDTH = 200.0
FIELD_HEIGHT = 50.0
# Markers are set in 2 pt; body text is never this small. "/F3 2 Tf" sets font and size.
TINY_TEXT = 4.0
_FONT_SIZE_RE = re.compile(rb"\s(\d*\.?\d+)\s+Tf\b")
# ':' too: 'sigfield:avined' must not match inside 'sigfield:avined:2' (a party's second signer).
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:")


class PackageError(ConvenantgenError):
    """The signing package cannot be made (a signature place is missing or ambiguous)."""


@dataclass(frozen=True)
class PackagePart:
    """One document of the package: ``label`` is its bookmark, ``pdf`` its bytes.

    ``page_prefix`` goes before the page numbers of the part (default: the label and a space,
    so the pages read "Addendum 1", "Addendum 2", ...).
    """

    label: str
    pdf: bytes
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
    """Where a marker was found: page index in the package and the point of its text."""

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
) -> bytes:
    """Merge ``parts`` into one PDF with bookmarks, page labels, metadata and signature fields.

    ``author`` is the penvoerder; ``date`` (e.g. the signing date) becomes CreationDate and
    ModDate. Every signatory needs a ``sigfield:<party-id>`` marker somewhere in the parts,
    otherwise :class:`PackageError` lists who is missing. The field is named
    ``handtekening-<party-id>``; a party that signs on more than one line (two agreements in
    one package) gets a field on each, the later ones named ``handtekening-<party-id>-2``, ...
    """
    if not parts:
        raise PackageError("the signing package has no documents")
    writer = PdfWriter()
    texts: list[tuple[int, PageObject]] = []
    for part in parts:
        try:
            reader = PdfReader(io.BytesIO(part.pdf))
            pages = list(reader.pages)
        except (PyPdfError, ValueError, KeyError) as exc:
            raise PackageError(f"'{part.label}' is not a readable PDF: {exc}") from exc
        if not pages:
            raise PackageError(f"'{part.label}' has no pages")
        first = len(writer.pages)
        # The part's own outline (its headings) is kept, nested under the part's bookmark.
        writer.append(reader, outline_item=part.label)
        writer.set_page_label(
            first,
            first + len(pages) - 1,
            style="/D",
            prefix=part.label + " " if part.page_prefix is None else part.page_prefix,
            start=1,
        )
        texts += [(first + i, page) for i, page in enumerate(pages)]
    places = locate_signatories(texts, signatories)
    for signatory in signatories:
        for n, place in enumerate(places[signatory.party_id], start=1):
            name = signatory.field_name + ("" if n == 1 else f"-{n}")
            _add_signature_field(writer, signatory, name, place)
    apply_metadata(writer, PdfMetadata(title=title, subject=subject, author=author, date=date))
    writer.page_mode = "/UseOutlines"
    return write_deterministic(writer)


def text_chunks(page: PageObject) -> list[tuple[str, float, float]]:
    """Text chunks of ``page`` as pypdf reads them, each with the point where it starts."""
    chunks: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if not text:
            return
        # Text space → page space: the text matrix, then the current transformation.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        chunks.append((text, x, y))

    page.extract_text(visitor_text=visit)
    return chunks


def locate_signatories(
    pages: Sequence[tuple[int, PageObject]], signatories: Sequence[Signatory]
) -> dict[str, list[SignaturePlace]]:
    """The places of each signatory's markers, in page order; each signatory needs one.

    Reading the text of a page is slow (about 15 ms: fonts are decoded), so only pages with
    tiny text, as the markers are, are read first; the other pages only when someone is
    still missing.
    """
    wanted = {s.party_id for s in signatories}
    found: dict[str, list[SignaturePlace]] = {pid: [] for pid in wanted}
    if not wanted:
        return found
    likely = [(i, page) for i, page in pages if _has_tiny_text(page)]
    _search(likely, found)
    if any(not places for places in found.values()):
        seen = {i for i, _ in likely}
        _search([(i, page) for i, page in pages if i not in seen], found)
        for places in found.values():
            places.sort(key=lambda p: p.page)
    missing = sorted(pid for pid, places in found.items() if not places)
    if missing:
        raise PackageError(
            "cannot place the signature fields: no signature line found for "
            + ", ".join(missing)
            + f" (the signature pages have no marker '{MARKER}<party-id>' for them)"
        )
    return found


def _has_tiny_text(page: PageObject) -> bool:
    try:
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
    except (PyPdfError, ValueError, KeyError):
        return True  # cannot tell: read the text
    return any(float(size) < TINY_TEXT for size in _FONT_SIZE_RE.findall(data))


def _search(pages: Sequence[tuple[int, PageObject]], found: dict[str, list[SignaturePlace]]):
    for index, page in pages:
        chunks = text_chunks(page)
        text = "".join(c[0] for c in chunks)
        if MARKER not in text:
            continue
        starts, offset = [], 0
        for chunk, _, _ in chunks:
            starts.append(offset)
            offset += len(chunk)
        for pid in found:
            needle = MARKER + pid
            at = text.find(needle)
            while at >= 0:
                end = at + len(needle)
                # 'sigfield:bestuur-a' must not match inside 'sigfield:bestuur-ab', unless the
                # next character starts another chunk (text runs are joined without spaces).
                if end == len(text) or text[end] not in _ID_CHARS or end in starts:
                    chunk = chunks[bisect.bisect_right(starts, at) - 1]
                    found[pid].append(SignaturePlace(index, chunk[1], chunk[2]))
                at = text.find(needle, at + 1)


def _add_signature_field(
    writer: PdfWriter, signatory: Signatory, name: str, place: SignaturePlace
) -> None:
    page = writer.pages[place.page]
    box = page.mediabox
    # Lower-left corner on the marker, moved inwards if the field would stick out of the page.
    x0 = min(max(place.x, float(box.left)), float(box.right) - FIELD_WIDTH)
    y0 = min(max(place.y, float(box.bottom)), float(box.top) - FIELD_HEIGHT)
    rect = ArrayObject(
        FloatObject(round(v, 2)) for v in (x0, y0, x0 + FIELD_WIDTH, y0 + FIELD_HEIGHT)
    )
    # An empty appearance: signing software draws its own, but PDF/A checkers want one.
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
