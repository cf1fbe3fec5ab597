"""One Word document from many (a batch, see :mod:`.batches`), so LibreOffice converts it once.

Converted together, the parts make one tagged PDF/A with every font embedded once, and
LibreOffice pays its cost per opened document once per batch. Each part becomes a section of its
own that starts on a new page, restarts its page numbers and keeps its own headers and footers;
a ``NUMPAGES`` field in them ("pagina 2 van 3") becomes the part's own page count when it is
known, as a whole document would otherwise count the package's pages. A part that *continues*
the one before it (an agreement's signature pages: one document in two files) numbers its pages
on from there, and its count is that of the parts together.

Two kinds of Word bookmark are set, which LibreOffice exports as named destinations: ``cgpartN``
at the start of part N, and ``cgsigK`` at the start of the K-th signature line, where the
template had the marker text ``sigfield:<party-id>`` (the marker itself is removed, so it
appears neither in the PDF's text nor to screen readers). The package stage reads the pages and
positions of those destinations instead of searching the text of every page. The article
bookmarks and cross-reference fields of :mod:`.numbering` are frozen to their text here
(:func:`~.numbering.freeze_references`): the PDF says what the generator wrote.

The parts are expected to come from the same family of templates: a style the first part lacks
is copied from the part that has it, one of the same id keeps the first part's definition, and
list numbering of other parts is copied when it differs. Footnotes and comments of parts other
than the first are not carried over (the default templates have none).
"""

from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from .numbering import freeze_references
from .template import normalise_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
DOCUMENT = "word/document.xml"
# 'sigfield:<party-id>' or 'sigfield:<party-id>:<n>' for a party's n-th signer.
MARKER_RE = re.compile(r"^\s*sigfield:([a-z0-9][a-z0-9-]*(?::[0-9]+)?)\s*$")
PART_MARK = "cgpart"
SIGNATURE_MARK = "cgsig"
# The bookmark a signature line carries in a rendered document (see mark_signature_lines).
BOOKMARK_PREFIX = "sigfield_"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class ComposeInput:
    """A part: its .docx bytes and, when known, the count its ``NUMPAGES`` fields show: its
    number of pages, or for parts that make one document (``continues``) theirs together.
    ``continues``: the part goes on from the one before it, its page numbers too."""

    docx: bytes
    pages: int | None = None
    continues: bool = False


@dataclass(frozen=True)
class Composed:
    """The composed .docx and what its bookmarks stand for."""

    docx: bytes
    # Per part, in order: the bookmark at its start.
    parts: list[str]
    # Per signature line, in document order: its bookmark and the party id of its marker.
    signatures: list[tuple[str, str]] = field(default_factory=list)


class ComposeError(ValueError):
    """A part is not a Word document this module can compose."""


def compose(parts: Sequence[ComposeInput]) -> Composed:
    """Join ``parts`` into one .docx (see the module description)."""
    if not parts:
        raise ComposeError("nothing to compose")
    base = _Package(parts[0].docx)
    composer = _Composer(base)
    taken = [composer.take(base, 1, parts[0].pages, False)]  # before the body is emptied
    document = base.xml(DOCUMENT)
    body = document.find(w("body"))
    for child in list(body):
        body.remove(child)
    final = last = None
    for index, part in enumerate(parts, start=1):
        elements, sections = (
            taken.pop()
            if index == 1
            else composer.take(_Package(part.docx), index, part.pages, part.continues)
        )
        if final is not None:
            _end_section(body, last, final)
        for element in elements:
            body.append(element)
            last = element
        final = sections
    body.append(final)
    composer.save_shared()
    base.put_xml(DOCUMENT, document)
    return Composed(base.save(), composer.part_marks, composer.signatures)


def _end_section(
    body: etree._Element, last: etree._Element | None, section: etree._Element
) -> None:
    """Close the section of the part just added (``last`` is its last element, if it has
    any) with ``section``, its last ``sectPr``."""
    if last is None or last.tag != w("p") or last.find(f"{w('pPr')}/{w('sectPr')}") is not None:
        last = etree.SubElement(body, w("p"))
    ppr = last.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        last.insert(0, ppr)
    ppr.append(section)


class _Package:
    """The files of a .docx, parsed on demand."""

    def __init__(self, data: bytes) -> None:
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError) as exc:
            raise ComposeError(f"not a Word document: {exc}") from exc
        self.names = set(self.archive.namelist())
        if DOCUMENT not in self.names:
            raise ComposeError("not a Word document: it has no word/document.xml")
        # Files are read when needed: most of a part (theme, fonts, settings) never is.
        self.files: dict[str, bytes] = {}
        self._parsed: dict[str, etree._Element] = {}
        self.types = self.xml("[Content_Types].xml")

    def data(self, name: str) -> bytes:
        if name not in self.files:
            self.files[name] = self.archive.read(name)
        return self.files[name]

    def has(self, name: str) -> bool:
        return name in self.names or name in self.files

    def xml(self, name: str) -> etree._Element:
        if name not in self._parsed:
            self._parsed[name] = etree.fromstring(self.data(name))
        return self._parsed[name]

    def put_xml(self, name: str, root: etree._Element) -> None:
        self.files[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        self._parsed[name] = root

    def rels(self, name: str) -> dict[str, etree._Element]:
        path = _rels_path(name)
        if not self.has(path):
            return {}
        return {rel.get("Id"): rel for rel in self.xml(path)}

    def content_type(self, name: str) -> str | None:
        for item in self.types:
            if item.get("PartName") == "/" + name:
                return item.get("ContentType")
        return None

    def save(self) -> bytes:
        out = io.BytesIO()
        # Stored: normalise_docx compresses, once.
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
            for name in sorted(self.names | set(self.files)):
                archive.writestr(name, self.data(name))
        return normalise_docx(out.getvalue())


def _rels_path(name: str) -> str:
    folder, base = posixpath.split(name)
    return posixpath.join(folder, "_rels", base + ".rels")


class _Composer:
    def __init__(self, base: _Package) -> None:
        self.base = base
        self.part_marks: list[str] = []
        self.signatures: list[tuple[str, str]] = []
        self.bookmark_id = 0
        self.drawing_id = 0
        self.styles = base.xml("word/styles.xml") if base.has("word/styles.xml") else None
        self.style_ids = (
            {s.get(w("styleId")) for s in self.styles.iter(w("style"))}
            if self.styles is not None
            else set()
        )
        self.numbering = base.xml("word/numbering.xml") if base.has("word/numbering.xml") else None
        self.doc_rels_path = _rels_path(DOCUMENT)
        self.doc_rels = base.xml(self.doc_rels_path)
        self.rel_count = len(self.doc_rels)

    def save_shared(self) -> None:
        """Write the package-wide files this composer changed in memory."""
        self.base.put_xml(self.doc_rels_path, self.doc_rels)
        self.base.put_xml("[Content_Types].xml", self.base.types)
        if self.styles is not None:
            self.base.put_xml("word/styles.xml", self.styles)
        if self.numbering is not None:
            self.base.put_xml("word/numbering.xml", self.numbering)

    def take(
        self, source: _Package, index: int, pages: int | None, continues: bool
    ) -> tuple[list[etree._Element], etree._Element]:
        """Body elements of part ``index`` (ready to append) and its final section; its page
        numbers start at 1 unless it ``continues`` the part before."""
        body = source.xml(DOCUMENT).find(w("body"))
        # Taken, not copied: a part's tree is read once and then thrown away.
        elements = [e for e in body if e.tag != w("sectPr")]
        final = body.find(w("sectPr"))
        final = final if final is not None else etree.Element(w("sectPr"))
        everything = [*elements, final]
        copied: dict[str, str] = {}
        rels = source.rels(DOCUMENT)
        for element in everything:
            self._relink(source, rels, index, element, copied, pages)
        if source is not self.base:
            self._merge_styles(source)
            self._merge_numbering(source, everything)
        self._renumber(everything)
        sections = [s for e in elements for s in e.iter(w("sectPr"))] + [final]
        for section in sections:
            kind = section.find(w("type"))
            if kind is not None:
                section.remove(kind)
        first = sections[0]
        start = first.find(w("pgNumType"))
        if continues:
            # No start value: Word and LibreOffice count on from the section before.
            if start is not None:
                start.attrib.pop(w("start"), None)
        else:
            if start is None:
                start = etree.SubElement(first, w("pgNumType"))
            start.set(w("start"), "1")
        self._mark_part(elements, index)
        for element in elements:
            self._mark_signatures(element)
            freeze_references(element)
        return elements, final

    # -- relationships -----------------------------------------------------------------------

    def _relink(
        self,
        source: _Package,
        rels: dict[str, etree._Element],
        index: int,
        element: etree._Element,
        copied: dict[str, str],
        pages: int | None,
    ) -> None:
        """Point the ``r:`` references of ``element`` at copies in the composed package."""
        for node in element.iter():
            for attr, rid in list(node.attrib.items()):
                if not attr.startswith(f"{{{R}}}") or rid not in rels:
                    continue
                if rid not in copied:
                    copied[rid] = self._copy_rel(source, index, rels[rid], pages)
                node.set(attr, copied[rid])

    def _copy_rel(self, source: _Package, index: int, rel: etree._Element, pages) -> str:
        self.rel_count += 1
        new_id = f"rIdCg{self.rel_count}"
        new = etree.SubElement(self.doc_rels, f"{{{PKG_RELS}}}Relationship")
        new.set("Id", new_id)
        new.set("Type", rel.get("Type"))
        if rel.get("TargetMode") == "External":
            new.set("Target", rel.get("Target"))
            new.set("TargetMode", "External")
        else:
            target = posixpath.normpath(posixpath.join("word", rel.get("Target")))
            name = self._copy_part(source, index, target, pages)
            new.set("Target", posixpath.relpath(name, "word"))
        return new_id

    def _copy_part(self, source: _Package, index: int, name: str, pages: int | None) -> str:
        folder, base = posixpath.split(name)
        new_name = posixpath.join(folder, f"cg{index}-{base}")
        data = source.data(name)
        if name.endswith(".xml") and pages is not None and b"NUMPAGES" in data:
            data = _fix_page_count(data, pages)
        self.base.files[new_name] = data
        kind = source.content_type(name)
        if kind is not None:
            item = etree.SubElement(self.base.types, f"{{{TYPES}}}Override")
            item.set("PartName", "/" + new_name)
            item.set("ContentType", kind)
        rels = source.rels(name)
        if rels:  # a header's logo, a footer's image: copied along
            own = copy.deepcopy(source.xml(_rels_path(name)))
            for rel in own:
                if rel.get("TargetMode") != "External":
                    target = posixpath.normpath(posixpath.join(folder, rel.get("Target")))
                    copied = self._copy_part(source, index, target, None)
                    rel.set("Target", posixpath.relpath(copied, folder))
            self.base.put_xml(_rels_path(new_name), own)
        return new_name

    # -- styles and numbering ----------------------------------------------------------------

    def _merge_styles(self, source: _Package) -> None:
        if self.styles is None or not source.has("word/styles.xml"):
            return
        if source.data("word/styles.xml") == self.base.data("word/styles.xml"):
            return
        for style in source.xml("word/styles.xml").iter(w("style")):
            if style.get(w("styleId")) not in self.style_ids:
                self.styles.append(copy.deepcopy(style))
                self.style_ids.add(style.get(w("styleId")))

    def _merge_numbering(self, source: _Package, elements: list[etree._Element]) -> None:
        name = "word/numbering.xml"
        if self.numbering is None or not source.has(name):
            return
        if source.data(name) == self.base.data(name):
            return
        theirs = source.xml(name)
        used = {
            n.get(w("val")) for e in elements for n in e.iter(w("numId")) if n.get(w("val")) != "0"
        }
        if not used:
            return
        abstract_next = 1 + max(
            (int(a.get(w("abstractNumId"))) for a in self.numbering.iter(w("abstractNum"))),
            default=0,
        )
        num_next = 1 + max(
            (int(n.get(w("numId"))) for n in self.numbering.iter(w("num"))), default=0
        )
        abstracts = {a.get(w("abstractNumId")): a for a in theirs.iter(w("abstractNum"))}
        mapping: dict[str, str] = {}
        for num in theirs.iter(w("num")):
            if num.get(w("numId")) not in used:
                continue
            ref = num.find(w("abstractNumId"))
            abstract = copy.deepcopy(abstracts[ref.get(w("val"))])
            abstract.set(w("abstractNumId"), str(abstract_next))
            new = copy.deepcopy(num)
            new.set(w("numId"), str(num_next))
            new.find(w("abstractNumId")).set(w("val"), str(abstract_next))
            # abstractNum elements come before num elements in numbering.xml.
            first_num = self.numbering.find(w("num"))
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                self.numbering.append(abstract)
            self.numbering.append(new)
            mapping[num.get(w("numId"))] = str(num_next)
            abstract_next += 1
            num_next += 1
        for element in elements:
            for node in element.iter(w("numId")):
                if node.get(w("val")) in mapping:
                    node.set(w("val"), mapping[node.get(w("val"))])

    # -- ids and bookmarks -------------------------------------------------------------------

    def _renumber(self, elements: list[etree._Element]) -> None:
        """Bookmark and drawing ids are unique in a document; each part counted from 1."""
        for element in elements:
            ids: dict[str, str] = {}
            for node in element.iter(w("bookmarkStart"), w("bookmarkEnd")):
                old = node.get(w("id"))
                if old not in ids:
                    self.bookmark_id += 1
                    ids[old] = str(self.bookmark_id)
                node.set(w("id"), ids[old])
            for node in element.iter(f"{{{WP}}}docPr"):
                self.drawing_id += 1
                node.set("id", str(self.drawing_id))

    def _bookmark(self, name: str) -> tuple[etree._Element, etree._Element]:
        self.bookmark_id += 1
        start = etree.Element(w("bookmarkStart"))
        start.set(w("id"), str(self.bookmark_id))
        start.set(w("name"), name)
        end = etree.Element(w("bookmarkEnd"))
        end.set(w("id"), str(self.bookmark_id))
        return start, end

    def _mark_part(self, elements: list[etree._Element], index: int) -> None:
        name = f"{PART_MARK}{index}"
        self.part_marks.append(name)
        start, end = self._bookmark(name)
        paragraph = next((e for e in elements if e.tag == w("p")), None)
        if paragraph is None:  # a part of tables only: mark before it
            paragraph = etree.Element(w("p"))
            elements.insert(0, paragraph)
        _insert_at_start(paragraph, start, end)

    def _mark_signatures(self, element: etree._Element) -> None:
        for paragraph in list(element.iter(w("p"))):
            for party_id, start, end in mark_signature_lines(paragraph):
                start.getparent().remove(start)
                end.getparent().remove(end)
                name = f"{SIGNATURE_MARK}{len(self.signatures) + 1}"
                self.signatures.append((name, party_id))
                _insert_at_start(paragraph, *self._bookmark(name))


def mark_signature_lines(
    element: etree._Element,
) -> list[tuple[str, etree._Element, etree._Element]]:
    """Turn the ``sigfield:<party-id>`` marker runs in ``element`` into bookmarks.

    Each marker run is replaced by a bookmark named ``sigfield_<party-id>`` (hyphens become
    underscores, as Word allows no hyphen in a bookmark name; ids have no underscore) at the
    start of its paragraph, the signature line's left edge. Returns the party id and the
    bookmark's start and end of every signature line in ``element``, those that already were
    bookmarks included.
    """
    found = []
    for paragraph in list(element.iter(w("p"))):
        for run in paragraph.findall(f".//{w('r')}"):
            text = "".join(t.text or "" for t in run.iter(w("t")))
            match = MARKER_RE.match(text) if "sigfield:" in text else None
            if match is None:
                continue
            run.getparent().remove(run)
            start = etree.Element(w("bookmarkStart"))
            start.set(w("id"), str(_free_bookmark_id(element)))
            start.set(w("name"), BOOKMARK_PREFIX + _bookmark_name(match.group(1)))
            end = etree.Element(w("bookmarkEnd"))
            end.set(w("id"), start.get(w("id")))
            _insert_at_start(paragraph, start, end)
    for start in list(element.iter(w("bookmarkStart"))):
        name = start.get(w("name")) or ""
        if not name.startswith(BOOKMARK_PREFIX):
            continue
        ends = [e for e in element.iter(w("bookmarkEnd")) if e.get(w("id")) == start.get(w("id"))]
        if ends:
            found.append((_signer_id(name.removeprefix(BOOKMARK_PREFIX)), start, ends[0]))
    return found


def _bookmark_name(signer: str) -> str:
    # Word allows letters, digits and '_' in a bookmark name. Ids are lower case, so the
    # signer number is set off by a capital: 'a-b:2' becomes 'a_b_S2'.
    party, _, number = signer.partition(":")
    return party.replace("-", "_") + (f"_S{number}" if number else "")


def _signer_id(name: str) -> str:
    party, _, number = name.partition("_S")
    return party.replace("_", "-") + (f":{number}" if number else "")


def _free_bookmark_id(element: etree._Element) -> int:
    root = element.getroottree().getroot()
    used = [int(b.get(w("id"), "0")) for b in root.iter(w("bookmarkStart"))]
    return max(used, default=0) + 1


def _insert_at_start(paragraph: etree._Element, *nodes: etree._Element) -> None:
    """Put ``nodes`` first in ``paragraph`` (after its properties): the line's left edge."""
    at = 1 if len(paragraph) and paragraph[0].tag == w("pPr") else 0
    for offset, node in enumerate(nodes):
        paragraph.insert(at + offset, node)


_FIELD_RE = re.compile(
    rb"<w:fldSimple\b[^>]*w:instr=\"\s*NUMPAGES[^\"]*\"[^>]*>(.*?)</w:fldSimple>", re.S
)
_RESULT_RE = re.compile(rb"(<w:t\b[^>]*>)[^<]*(</w:t>)")


def _fix_page_count(data: bytes, pages: int) -> bytes:
    """A simple ``NUMPAGES`` field becomes its run with the part's page count as text."""

    def literal(match: re.Match) -> bytes:
        runs = match.group(1)
        if b"<w:t" not in runs:
            return f"<w:r><w:t>{pages}</w:t></w:r>".encode()
        return _RESULT_RE.sub(lambda m: m.group(1) + str(pages).encode() + m.group(2), runs, 1)

    return _FIELD_RE.sub(literal, data)
