"""Splitting a batch PDF into documents and joining batch PDFs keep pages, text and tags.

The batch is real: the Almere dossier's consents and its addendum (several pages), rendered,
composed into one Word document and converted once by LibreOffice, as the PDF stage does.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    Fit,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from convenantgen.build.run import BuildOptions, run_build
from convenantgen.render.docx.compose import ComposeInput, compose
from convenantgen.render.pdf import convert as pdf
from convenantgen.render.pdf import pages as pdfpages
from convenantgen.render.pdf.pdfa import pdfa_problems, structure_types

ROOT = Path(__file__).resolve().parents[1]
PARTS = (
    "instemming-asg-po",
    "instemming-cordeo",
    "addendum-2024",
    "instemming-eduvier",
    "instemming-shon",
)
META = pdf.PdfMetadata(title="Deel", subject="Toetreding", author="Gemeente Almere")


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> tuple[bytes, list[range]]:
    """The batch PDF and each part's page range (from the ``cgpartN`` destinations)."""
    out = tmp_path_factory.mktemp("pdfpages")
    options = BuildOptions(out_dir=out / "build", pdf=False, site=False, cache=False)
    run_build(ROOT / "content", BuildOptions(**{**options.__dict__, "dossiers": ("almere",)}))
    docs = [next((out / "build" / "almere").glob(f"almere-*{name}.docx")) for name in PARTS]
    composed = compose(
        [ComposeInput(d.read_bytes(), pages=None if "addendum" in d.name else 1) for d in docs]
    )
    (out / "batch.docx").write_bytes(composed.docx)
    [made] = pdf.convert_to_pdf([out / "batch.docx"], out)
    data = made.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    places = {
        str(n).lstrip("/"): reader.get_destination_page_number(d)
        for n, d in reader.named_destinations.items()
    }
    starts = [places[mark] for mark in composed.parts]
    ranges = [range(a, b) for a, b in zip(starts, [*starts[1:], len(reader.pages)], strict=True)]
    assert len(ranges[2]) > 1, "the addendum should take several pages"
    return data, ranges


def texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def archived(writer: PdfWriter, source: PdfReader) -> PdfReader:
    data = pdf.archive_bytes(writer, source, META)
    assert pdfa_problems(data) == []
    return PdfReader(io.BytesIO(data))


def content_mcids(page) -> set[int]:
    """The marked-content ids in a page's content stream (what the tags must account for)."""
    return {int(m) for m in re.findall(rb"/MCID\s+(\d+)", page.get_contents().get_data())}


def check_tree(reader: PdfReader) -> list[str]:
    """Check that the tag tree and the ParentTree of ``reader`` agree and stay in its pages;
    returns the structure types of the elements that hold content directly."""
    root = reader.trailer["/Root"]
    tree = root["/StructTreeRoot"].get_object()
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    owner: dict[tuple[int, int], int] = {}  # (page index, mcid) → element object number
    annot_owner: dict[int, int] = {}
    leaves: list[str] = []
    stack = [(k, tree.indirect_reference.idnum) for k in tree["/K"]]
    while stack:
        ref, parent = stack.pop()
        assert isinstance(ref, IndirectObject)
        elem = ref.get_object()
        assert elem.raw_get("/P").idnum == parent
        own = (
            pages[elem.raw_get("/Pg").idnum] if "/Pg" in elem else None
        )  # KeyError: a foreign page
        direct = False
        for kid in elem["/K"]:
            if isinstance(kid, IndirectObject):
                stack.append((kid, ref.idnum))
            elif isinstance(kid, int):
                direct = True
                owner[(own, int(kid))] = ref.idnum
            elif kid["/Type"] == "/MCR":
                direct = True
                owner[(pages[kid.raw_get("/Pg").idnum], int(kid["/MCID"]))] = ref.idnum
            else:
                assert kid["/Type"] == "/OBJR"
                assert kid.raw_get("/Pg").idnum in pages
                annot_owner[kid.raw_get("/Obj").idnum] = ref.idnum
        if direct:
            leaves.append(str(elem["/S"]))
    entries = flatten(tree["/ParentTree"].get_object())
    assert sorted(entries) == list(range(tree["/ParentTreeNextKey"]))
    claimed = set()
    for index, page in enumerate(reader.pages):
        row = entries[page["/StructParents"]]
        for mcid, elem in enumerate(row):
            if isinstance(elem, IndirectObject):
                assert owner[(index, mcid)] == elem.idnum
                claimed.add((index, mcid))
        assert content_mcids(page) == {m for i, m in owner if i == index}
        for annot in page.get("/Annots", []):
            if "/StructParent" in annot.get_object():
                key = annot.get_object()["/StructParent"]
                assert entries[key].idnum == annot_owner[annot.idnum]
    assert claimed == set(owner)
    return leaves


def flatten(node: DictionaryObject) -> dict:
    found = {}
    nums = node.get("/Nums", [])
    for i in range(0, len(nums), 2):
        found[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", []):
        found.update(flatten(kid.get_object()))
    return found


def leaves_on(reader: PdfReader, pages: range) -> Counter:
    """Structure types of the batch's elements with direct content on ``pages``."""
    index = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    found: Counter = Counter()
    stack = list(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    while stack:
        elem = stack.pop().get_object()
        kids = elem.get("/K", [])
        stack += [k for k in kids if isinstance(k, IndirectObject)]
        if any(isinstance(k, int) for k in kids) and index[elem.raw_get("/Pg").idnum] in pages:
            found[str(elem["/S"])] += 1
    return found


def kinds_on(reader: PdfReader, pages: range) -> Counter:
    """Structure types of the batch's elements with any content on ``pages``."""
    index = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    found: Counter = Counter()

    def visit(elem: DictionaryObject) -> bool:
        kids = elem.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        here = any(isinstance(k, int) for k in kids) and index[elem.raw_get("/Pg").idnum] in pages
        for kid in kids:
            if isinstance(kid, IndirectObject):
                here = visit(kid.get_object()) or here
        if here:
            found[str(elem["/S"])] += 1
        return here

    for top in reader.trailer["/Root"]["/StructTreeRoot"]["/K"]:
        visit(top.get_object())
    return found


@pytest.mark.libreoffice
def test_split_parts_hold_their_own_pages_text_and_tags(batch):
    data, ranges = batch
    reader = PdfReader(io.BytesIO(data))
    whole = texts(reader)
    parts = [archived(w, reader) for w in pdfpages.split(reader, ranges)]
    # The consents name their party; none names another.
    consenting = {0: "asg", 1: "cordeo", 3: "eduvier", 4: "shon"}
    for n, (part, pages) in enumerate(zip(parts, ranges, strict=True)):
        assert len(part.pages) == len(pages)
        assert texts(part) == whole[pages.start : pages.stop]
        text = " ".join(texts(part)).lower()
        if n in consenting:
            assert [name for name in consenting.values() if name in text] == [consenting[n]]
        leaves = check_tree(part)
        assert Counter(leaves) == leaves_on(reader, pages)
        assert Counter(structure_types(part.trailer["/Root"])) == kinds_on(reader, pages)
    # A consent and the addendum are made of different kinds of paragraphs.
    assert set(check_tree(parts[0])) != set(check_tree(parts[2]))


@pytest.mark.libreoffice
def test_split_keeps_destinations_and_outline_into_its_pages(batch):
    data, ranges = batch
    reader = PdfReader(io.BytesIO(data))
    # The batch gets an outline: one item per part, the addendum with a nested item.
    writer = PdfWriter(clone_from=reader)
    for n, pages in enumerate(ranges, start=1):
        item = writer.add_outline_item(
            title=f"Deel {n}", page_number=pages.start, fit=Fit.xyz(10, 700, None)
        )
        if len(pages) > 1:
            writer.add_outline_item(
                title=f"Deel {n} vervolg", page_number=pages.start + 1, parent=item
            )
    marked = io.BytesIO()
    writer.write(marked)
    reader = PdfReader(marked)
    batch_items = outline_items(reader, reader.outline)
    parts = [archived(w, reader) for w in pdfpages.split(reader, ranges)]
    for n, (part, pages) in enumerate(zip(parts, ranges, strict=True), start=1):
        dests = {
            str(k): part.get_destination_page_number(d) for k, d in part.named_destinations.items()
        }
        assert dests[f"/cgpart{n}"] == 0
        assert not any(k.endswith(f"part{m}") for k in dests for m in range(1, 6) if m != n)
        items = outline_items(part, part.outline)
        assert items == [
            (title, page - pages.start, depth)
            for title, page, depth in batch_items
            if page in pages
        ]
        assert (f"Deel {n}", 0, 0) in items
        [own] = [i for i in part.outline if not isinstance(i, list) and i.title == f"Deel {n}"]
        assert (float(own["/Left"]), float(own["/Top"])) == (10, 700)
        if len(pages) > 1:
            assert (f"Deel {n} vervolg", 1, 1) in items
    # LibreOffice made outline items of the addendum's headings: they went with its pages.
    assert len(outline_items(parts[2], parts[2].outline)) > 2


def outline_items(reader: PdfReader, outline: list, depth: int = 0) -> list[tuple[str, int, int]]:
    """Title, page index and depth of each outline item, in order."""
    found = []
    for item in outline:
        if isinstance(item, list):
            found += outline_items(reader, item, depth + 1)
        else:
            found.append((str(item.title), reader.get_destination_page_number(item), depth))
    return found


@pytest.mark.libreoffice
def test_join_holds_every_page_with_one_consistent_tag_tree(batch):
    data, ranges = batch
    reader = PdfReader(io.BytesIO(data))
    singles = [
        PdfReader(io.BytesIO(pdf.archive_bytes(w, reader, META)))
        for w in pdfpages.split(reader, ranges)
    ]
    readers = [reader, *singles]
    writer, starts = pdfpages.join(readers)
    joined = archived(writer, reader)
    assert len(joined.pages) == 2 * len(reader.pages)
    assert starts == [0, *(len(reader.pages) + r.start for r in ranges)]
    assert texts(joined) == texts(reader) * 2
    leaves = check_tree(joined)
    assert Counter(leaves) == leaves_on(reader, range(len(reader.pages))) + leaves_on(
        reader, range(len(reader.pages))
    )
    root = joined.trailer["/Root"]
    assert len(root["/StructTreeRoot"]["/K"]) == 1 + len(ranges)
    assert "/Dests" not in root and "/Outlines" not in root and "/Names" not in root
    assert root["/MarkInfo"]["/Marked"]


@pytest.mark.libreoffice
def test_links_follow_their_page(batch):
    data, ranges = batch
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    first, last = ranges[0].start, ranges[-1].start
    target = writer.pages[last].indirect_reference
    for page, dest in ((first, [target]), (last, [target])):
        annot = DictionaryObject()
        annot.update(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([NumberObject(v) for v in (0, 0, 9, 9)]),
                NameObject("/F"): NumberObject(4),
                NameObject("/Dest"): ArrayObject([*dest, NameObject("/Fit")]),
            }
        )
        writer.pages[page][NameObject("/Annots")] = ArrayObject([writer._add_object(annot)])
    linked = io.BytesIO()
    writer.write(linked)
    reader = PdfReader(linked)
    parts = pdfpages.split(reader, [ranges[0], ranges[-1]])
    own = archived(parts[0], reader).pages[0]["/Annots"][0].get_object()
    assert "/Dest" not in own  # its target is in another part
    other = archived(parts[1], reader)
    dest = other.pages[0]["/Annots"][0].get_object()["/Dest"]
    assert dest[0].idnum == other.pages[0].indirect_reference.idnum
    joined, _ = pdfpages.join([reader])
    joined_reader = archived(joined, reader)
    dest = joined_reader.pages[first]["/Annots"][0].get_object()["/Dest"]
    assert dest[0].idnum == joined_reader.pages[last].indirect_reference.idnum


def test_untagged_pdf_is_split_without_a_tree():
    writer = PdfWriter()
    for width in (100, 200, 300):
        writer.add_blank_page(width, 100)
    data = io.BytesIO()
    writer.write(data)
    reader = PdfReader(data)
    parts = pdfpages.split(reader, [range(0, 1), range(1, 3)])
    widths = [[float(p.mediabox.width) for p in w.pages] for w in parts]
    assert widths == [[100.0], [200.0, 300.0]]
    assert all("/StructTreeRoot" not in w.root_object for w in parts)
    joined, starts = pdfpages.join([reader, reader])
    assert len(joined.pages) == 6 and starts == [0, 3]
    assert "/StructTreeRoot" not in joined.root_object


@pytest.mark.libreoffice
def test_same_input_gives_the_same_bytes(batch):
    data, ranges = batch

    def once(identifier: bytes | None) -> list[bytes]:
        reader = PdfReader(io.BytesIO(data))
        return [
            pdf.archive_bytes(w, reader, META, identifier) for w in pdfpages.split(reader, ranges)
        ]

    assert once(None) == once(None)
    given = once(b"0123456789abcdef")
    assert given == once(b"0123456789abcdef")
    assert all(
        PdfReader(io.BytesIO(d)).trailer["/ID"][0].original_bytes == b"0123456789abcdef"
        for d in given
    )
    assert given != once(None)


@pytest.mark.libreoffice
def test_shared_fonts_are_written_once_per_result(batch):
    data, ranges = batch
    reader = PdfReader(io.BytesIO(data))
    [writer] = pdfpages.split(reader, [ranges[2]])  # the addendum: several pages, same fonts
    out = PdfReader(io.BytesIO(pdf.archive_bytes(writer, reader, META)))
    files = []
    for page in out.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            font = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            files.append(font["/FontDescriptor"].raw_get("/FontFile2").idnum)
    assert len(files) > len(set(files))


@pytest.mark.libreoffice
def test_fast_reading_gives_the_objects_pypdf_reads(batch):
    data, _ = batch
    fast = PdfReader(io.BytesIO(data))
    pdfpages._preload(fast)
    slow = PdfReader(io.BytesIO(data))

    def plain(value):
        if isinstance(value, IndirectObject):
            return ("ref", value.idnum, value.generation)
        if isinstance(value, DictionaryObject):
            return {str(k): plain(value.raw_get(k)) for k in value}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, NameObject):  # written as read: a subclass
            return ("name", str(value))
        return (type(value).__name__, value)

    read = [idnum for generation, idnum in fast.resolved_objects if generation == 0]
    assert len(read) > 0.8 * len(fast.xref[0])  # all but streams and a few more
    for idnum in read:
        assert plain(fast.get_object(idnum)) == plain(slow.get_object(idnum)), idnum
    # What is not plain is left to pypdf.
    assert pdfpages._plain_object(b"1 0 obj <</T (tekst)>> endobj", 0, 1, fast) is None
    assert (
        pdfpages._plain_object(b"1 0 obj <</Length 1>> stream\nx\nendstream endobj", 0, 1, fast)
        is None
    )
    assert pdfpages._plain_object(b"1 0 obj <</K[1 2 0 R]/A[]/B/C>> endobj", 0, 1, fast) == {
        "/K": [1, IndirectObject(2, 0, fast)],
        "/A": [],
        "/B": "/C",
    }


def hand_tagged() -> PdfReader:
    """Two pages tagged by hand in the forms LibreOffice does not use: marked-content
    references (MCR), a link annotation under a /Link element (OBJR), element ids (IDTree) and
    a ClassMap."""
    writer = PdfWriter()
    pages = []
    for text in (b"Eerste", b"Tweede"):
        page = writer.add_blank_page(200, 200)
        stream = DecodedStreamObject()
        stream.set_data(b"/P <</MCID 0>> BDC BT /F1 12 Tf 10 100 Td (" + text + b") Tj ET EMC")
        page[NameObject("/Contents")] = writer._add_object(stream)
        pages.append(page)
    link = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([NumberObject(v) for v in (0, 0, 9, 9)]),
                NameObject("/F"): NumberObject(4),
                NameObject("/StructParent"): NumberObject(1),
                NameObject("/Dest"): ArrayObject([pages[1].indirect_reference, NameObject("/Fit")]),
            }
        )
    )
    pages[0][NameObject("/Annots")] = ArrayObject([link])
    tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    tree_ref = writer._add_object(tree)
    doc = DictionaryObject({NameObject("/S"): NameObject("/Document")})
    doc_ref = writer._add_object(doc)

    def element(kind: str, ident: str, kids: list) -> IndirectObject:
        made = DictionaryObject(
            {
                NameObject("/S"): NameObject(kind),
                NameObject("/P"): doc_ref,
                NameObject("/ID"): TextStringObject(ident),
                NameObject("/C"): NameObject("/Rood"),
                NameObject("/K"): ArrayObject(kids),
            }
        )
        return writer._add_object(made)

    def mcr(page: int) -> DictionaryObject:
        return DictionaryObject(
            {
                NameObject("/Type"): NameObject("/MCR"),
                NameObject("/Pg"): pages[page].indirect_reference,
                NameObject("/MCID"): NumberObject(0),
            }
        )

    objr = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OBJR"),
            NameObject("/Obj"): link,
            NameObject("/Pg"): pages[0].indirect_reference,
        }
    )
    first = element("/P", "een", [mcr(0)])
    anchor = element("/Link", "link", [objr])
    second = element("/P", "twee", [mcr(1)])
    doc[NameObject("/P")] = tree_ref
    doc[NameObject("/K")] = ArrayObject([first, anchor, second])
    ids = [TextStringObject("een"), first, TextStringObject("link"), anchor]
    tree.update(
        {
            NameObject("/K"): ArrayObject([doc_ref]),
            NameObject("/ParentTree"): DictionaryObject(
                {
                    NameObject("/Nums"): ArrayObject(
                        [NumberObject(0), ArrayObject([first]), NumberObject(1), anchor]
                        + [NumberObject(2), ArrayObject([second])]
                    )
                }
            ),
            NameObject("/IDTree"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([*ids, TextStringObject("twee"), second])}
            ),
            NameObject("/ClassMap"): DictionaryObject(
                {NameObject("/Rood"): DictionaryObject({NameObject("/O"): NameObject("/Layout")})}
            ),
        }
    )
    pages[0][NameObject("/StructParents")] = NumberObject(0)
    pages[1][NameObject("/StructParents")] = NumberObject(2)
    writer.root_object[NameObject("/StructTreeRoot")] = tree_ref
    data = io.BytesIO()
    writer.write(data)
    return PdfReader(data)


def test_references_links_and_ids_follow_their_page():
    reader = hand_tagged()
    first, second = pdfpages.split(reader, [range(0, 1), range(1, 2)])
    parts = [PdfReader(io.BytesIO(pdf.write_deterministic(w))) for w in (first, second)]
    assert [sorted(check_tree(p)) for p in parts] == [["/P"], ["/P"]]
    kinds = [structure_types(p.trailer["/Root"]) for p in parts]
    assert sorted(kinds[0]) == ["/Document", "/Link", "/P"]
    assert sorted(kinds[1]) == ["/Document", "/P"]
    ids = [p.trailer["/Root"]["/StructTreeRoot"]["/IDTree"]["/Names"][0::2] for p in parts]
    assert ids == [["een", "link"], ["twee"]]
    link = parts[0].pages[0]["/Annots"][0].get_object()
    assert link["/StructParent"] == 1 and "/Dest" not in link  # its target is the other part
    for part in parts:
        assert "/Rood" in part.trailer["/Root"]["/StructTreeRoot"]["/ClassMap"]
    writer, starts = pdfpages.join([reader, reader])
    joined = PdfReader(io.BytesIO(pdf.write_deterministic(writer)))
    assert starts == [0, 2] and len(joined.pages) == 4
    assert sorted(check_tree(joined)) == ["/P"] * 4
    assert joined.trailer["/Root"]["/StructTreeRoot"]["/ParentTreeNextKey"] == 6
    ids = joined.trailer["/Root"]["/StructTreeRoot"]["/IDTree"]["/Names"][0::2]
    assert ids == ["een", "link", "twee"]  # the second copy's ids would clash: the first wins
    links = [joined.pages[i]["/Annots"][0].get_object() for i in (0, 2)]
    assert [a["/Dest"][0].idnum for a in links] == [
        joined.pages[i].indirect_reference.idnum for i in (1, 3)
    ]
