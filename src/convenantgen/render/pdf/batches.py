"""Stage "pdf" in batches: many Word documents converted as one, and split again.

LibreOffice spends most of its time per document it opens, not per page: a one-page consent
costs about as much as loading a whole template. So the documents of one kind (the consents of
an accession request, say) are composed into one Word document per batch (:mod:`.compose`:
each part a section of its own, starting on a new page, numbering its own pages), converted
once, and the batch's PDF is split into one PDF per document (:mod:`.pdfpages`, tags kept).
The signing package joins the batches' PDFs, so no document is converted twice.

A batch holds documents of one dossier, one kind and one signing act (so that each act's
signing package is made of whole batches), consecutive in the build's order, at most
:data:`BATCH_PARTS` of them; which documents share a batch depends only on the list of
documents, never on what the cache holds, so a build with a cache gives the same bytes as one
without. What a batch's PDF depends on (its key): the parts' Word documents, the engine,
LibreOffice's version and the export options. One changed document converts its batch again.

"pagina 2 van 3" needs a part's own page count, which a composed document does not know: the
composer writes the count in as text. A batch is composed with one page per part first; a part
that turns out longer makes the batch go once more with the counts the first round found (a
batch of one document keeps Word's own page-count field). The text of a footer does not move
the pages of a part, so the second round's counts are the first's.

A document that *continues* the one before it (an agreement's signature pages) is one document
with it in two files: the two share a batch, the second's page numbers go on from the first's
and both count their pages together ("pagina 9 van 10" on the first signature page after eight
pages of text). A batch that is just one such document keeps Word's page-count field.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, NameObject

from ...errors import ConversionError
from ...fingerprint import digest
from ..docx.compose import PART_MARK, SIGNATURE_MARK, Composed, ComposeInput, compose
from .convert import PdfMetadata, archive_bytes
from .pages import split

# At most this many documents in one batch. LibreOffice's time per part stays flat up to a
# few hundred parts and then grows; a smaller batch is converted again sooner after an edit.
BATCH_PARTS = 100
# Rounds of conversion before page counts that keep changing count as an error.
MAX_ROUNDS = 3


@dataclass(frozen=True)
class Batch:
    """Documents (indices into the build's list) converted together, and its cache key."""

    dossier: str
    kind: str
    members: tuple[int, ...]
    content: str  # the members' Word documents
    key: str  # the content with what converts it (engine, LibreOffice, export options)
    act: str = ""  # the signing act of its documents ("": documents nobody signs)
    # Per member: whether it continues the member before it (see the module description);
    # empty when none does.
    continues: tuple[bool, ...] = ()

    def groups(self) -> list[list[int]]:
        """Positions of the members, per document they make (a member and its continuations)."""
        out: list[list[int]] = []
        for n in range(len(self.members)):
            if out and self.continues and self.continues[n]:
                out[-1].append(n)
            else:
                out.append([n])
        return out


@dataclass(frozen=True)
class Converted:
    """A batch's PDF as LibreOffice made it, and where its parts and signature lines are.

    ``starts`` is the first page of each part (a part ends where the next starts, the last at
    the end); ``signatures`` the party id of each signature line with its page and point.
    """

    pdf: bytes
    starts: tuple[int, ...]
    pages: int
    signatures: tuple[tuple[str, int, float, float], ...]

    @cached_property
    def reader(self) -> PdfReader:
        """The PDF, read once (the package and :func:`.pdfpages.prepare` share it)."""
        return PdfReader(io.BytesIO(self.pdf))

    def ranges(self) -> list[range]:
        ends = [*self.starts[1:], self.pages]
        return [range(a, b) for a, b in zip(self.starts, ends, strict=True)]

    def pack(self) -> bytes:
        """The cache entry: a JSON line with the places, then the PDF."""
        head = {"starts": self.starts, "pages": self.pages, "signatures": self.signatures}
        return json.dumps(head, separators=(",", ":")).encode() + b"\n" + self.pdf

    @classmethod
    def unpack(cls, data: bytes) -> Converted | None:
        head, _, pdf = data.partition(b"\n")
        try:
            info = json.loads(head)
            return cls(
                pdf,
                tuple(info["starts"]),
                info["pages"],
                tuple(tuple(s) for s in info["signatures"]),
            )
        except (ValueError, KeyError, TypeError):
            return None  # an entry of another layout: convert again


def plan(
    documents: Sequence[tuple[str, str, bytes | None]],
    salt: Sequence[str],
    size: int = BATCH_PARTS,
    acts: Sequence[str] | None = None,
    continues: Sequence[bool] | None = None,
) -> list[Batch]:
    """Batches for ``documents`` (dossier, kind, Word bytes), in order; ``salt`` (engine,
    LibreOffice, export options) goes into every key. ``acts`` is each document's signing act
    (default: none): a batch never holds documents of two acts. ``continues``: whether each
    document continues the one before it (default: none does); it joins that one's batch,
    whatever its kind. A batch with a document whose bytes are not known (``None``) has an
    empty key and content."""
    act_of = list(acts) if acts is not None else [""] * len(documents)
    if len(act_of) != len(documents):
        raise ValueError("plan: one act per document")
    goes_on = list(continues) if continues is not None else [False] * len(documents)
    if len(goes_on) != len(documents) or (goes_on and goes_on[0]):
        raise ValueError("plan: one continues flag per document, the first one False")
    runs: list[list[int]] = []
    for i, (dossier, kind, _) in enumerate(documents):
        first = runs[-1][0] if runs else None
        if goes_on[i]:
            if (documents[i - 1][0], act_of[i - 1]) != (dossier, act_of[i]):
                raise ValueError("plan: a document continues one of another dossier or act")
            runs[-1].append(i)
        elif first is not None and (*documents[first][:2], act_of[first]) == (
            dossier,
            kind,
            act_of[i],
        ):
            runs[-1].append(i)
        else:
            runs.append([i])
    hashes = [hashlib.sha256(d).hexdigest() if d is not None else "" for _, _, d in documents]
    batches = []
    for run in runs:
        for members in _split_run(run, goes_on, size):
            dossier, kind, _ = documents[members[0]]
            flags = tuple(goes_on[m] for m in members) if any(goes_on[m] for m in members) else ()
            if all(hashes[m] for m in members):
                # The continuations change the conversion (page numbers), so they are content.
                content = digest("batch", [hashes[m] for m in members], *([flags] if flags else []))
                key = digest(list(salt), content)
            else:
                content = key = ""
            batches.append(Batch(dossier, kind, members, content, key, act_of[members[0]], flags))
    return batches


def _split_run(run: list[int], goes_on: list[bool], size: int) -> list[tuple[int, ...]]:
    """``run`` in batches of at most about ``size``, of even sizes (101 documents make 51 and
    50, not 100 and 1), never between a document and its continuation."""
    count = -(-len(run) // size)
    out = []
    start = 0
    for n in range(1, count + 1):
        end = n * len(run) // count
        while end < len(run) and goes_on[run[end]]:
            end += 1
        if end > start:
            out.append(tuple(run[start:end]))
            start = end
    return out


def _compose(item: tuple[list[bytes], list[int | None], tuple[bool, ...]]) -> Composed:
    docs, pages, continues = item
    flags = continues or (False,) * len(docs)
    return compose([ComposeInput(d, p, c) for d, p, c in zip(docs, pages, flags, strict=True)])


def shown_counts(batch: Batch, counts: Sequence[int | None]) -> list[int | None]:
    """What each member's ``NUMPAGES`` shows, from each member's own page count: the count of
    the document it is part of (itself and its continuations, or what it continues)."""
    shown: list[int | None] = [None] * len(batch.members)
    for group in batch.groups():
        own = [counts[n] for n in group]
        total = None if any(c is None for c in own) else sum(own)
        for n in group:
            shown[n] = total
    return shown


def convert_batches(
    batches: Sequence[Batch],
    documents: Sequence[bytes],
    work: Path,
    convert: Callable[[list[Path], Path], list[Path]],
    map_: Callable = map,
) -> list[Converted]:
    """Convert ``batches`` (Word bytes of every document in ``documents``) in ``work``.

    ``convert`` is :func:`.pdf.convert_to_pdf` with its options bound (files, folder → PDFs);
    ``map_`` spreads composing over the cores.
    """
    # A batch that is one document (one member, or one with its continuations) keeps Word's
    # page-count field; the others guess one page per member first.
    guesses = {
        i: [None if len(b.groups()) == 1 else 1] * len(b.members) for i, b in enumerate(batches)
    }
    done: dict[int, Converted] = {}
    for round_ in range(1, MAX_ROUNDS + 1):
        if not guesses:
            break
        # Largest first: LibreOffice's processes take the files in turn, so they end together.
        order = sorted(guesses, key=lambda i: (-len(batches[i].members), i))
        composed = list(
            map_(
                _compose,
                [
                    (
                        [documents[m] for m in batches[i].members],
                        shown_counts(batches[i], guesses[i]),
                        batches[i].continues,
                    )
                    for i in order
                ],
            )
        )
        folder = work / f"round{round_}"
        folder.mkdir(parents=True)
        sources = []
        for i, c in zip(order, composed, strict=True):
            path = folder / f"batch{i:05d}.docx"
            path.write_bytes(c.docx)
            sources.append(path)
        pdfs = convert(sources, folder / "pdf")
        again: dict[int, list[int | None]] = {}
        for i, c, path in zip(order, composed, pdfs, strict=True):
            batch = batches[i]
            result = places(path.read_bytes(), c, f"{batch.dossier}/{batch.kind}")
            counts = [len(r) for r in result.ranges()]
            wanted = guesses[i]
            if wanted[0] is None or counts == wanted:
                done[i] = result
            else:
                again[i] = counts
        guesses = again
    if guesses:
        names = ", ".join(f"{batches[i].dossier}/{batches[i].kind}" for i in sorted(guesses))
        raise ConversionError(f"the page counts of a batch do not settle: {names}")
    return [done[i] for i in range(len(batches))]


def places(pdf: bytes, composed: Composed, what: str) -> Converted:
    """Where the parts and signature lines of ``what``'s PDF are, by the composer's
    bookmarks."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        named = reader.named_destinations
        spots = {}
        for name, dest in named.items():
            page = reader.get_destination_page_number(dest)
            left, top = dest.get("/Left"), dest.get("/Top")
            spots[str(name).lstrip("/")] = (page, float(left or 0), float(top or 0))
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError) as exc:
        raise ConversionError(f"cannot read the PDF of {what}: {exc}") from exc
    missing = [mark for mark in composed.parts if mark not in spots]
    if missing:
        raise ConversionError(f"the PDF of {what} lost the start of {len(missing)} part(s)")
    starts = tuple(spots[mark][0] for mark in composed.parts)
    signatures = tuple(
        (party, *spots[mark]) for mark, party in composed.signatures if mark in spots
    )
    return Converted(pdf, starts, pages, signatures)


def first_numbers(batch: Batch, converted: Converted) -> list[int]:
    """The page number each member's first page has: 1, or for a continuation the number
    after the last page of what it continues."""
    counts = [len(r) for r in converted.ranges()]
    numbers = [1] * len(batch.members)
    for group in batch.groups():
        for before, n in zip(group, group[1:], strict=False):
            numbers[n] = numbers[before] + counts[before]
    return numbers


def split_documents(
    item: tuple[Converted, Sequence[PdfMetadata | dict], Sequence[str]]
    | tuple[Converted, Sequence[PdfMetadata | dict], Sequence[str], Sequence[int]],
) -> list[bytes]:
    """The PDF of each part of a converted batch, with its own metadata, reproducible: the
    file identifier comes from ``ids`` (a content digest per part), not from the bytes. An
    optional fourth item is each part's first page number (:func:`first_numbers`): a part
    that does not start at 1 gets page labels that say the numbers its footer prints."""

    converted, metadata, ids, *rest = item
    numbers = list(rest[0]) if rest else [1] * len(ids)
    metadata = [m if isinstance(m, PdfMetadata) else PdfMetadata(**m) for m in metadata]
    reader = PdfReader(io.BytesIO(converted.pdf))
    out = []
    parts = split(reader, converted.ranges())
    for writer, meta, ident, number in zip(parts, metadata, ids, numbers, strict=True):
        drop_marks(writer)
        if number != 1:
            writer.set_page_label(0, len(writer.pages) - 1, style="/D", start=number)
        out.append(archive_bytes(writer, reader, meta, identifier=bytes.fromhex(ident)[:16]))
    return out


# The composer's named destinations: where parts and signature lines are, for this stage only.
MARKS = (PART_MARK, SIGNATURE_MARK)


def drop_marks(writer: PdfWriter) -> None:
    """Remove the composer's destinations (``cgpartN``, ``cgsigK``): of no use to a reader."""
    root = writer.root_object
    dests = root.get("/Dests")
    if dests is not None:
        dests = dests.get_object()
        for key in [k for k in dests if str(k).lstrip("/").startswith(MARKS)]:
            del dests[key]
        if not dests:
            del root[NameObject("/Dests")]
    names = root.get("/Names")
    tree = names.get_object().get("/Dests") if names is not None else None
    if tree is not None:
        tree = tree.get_object()
        flat = tree.get("/Names") or []
        kept = ArrayObject()
        for i in range(0, len(flat) - 1, 2):
            if not str(flat[i]).startswith(MARKS):
                kept += [flat[i], flat[i + 1]]
        tree[NameObject("/Names")] = kept
