"""Split a tagged PDF into documents and join tagged PDFs, keeping the tag tree (pure pypdf).

The PDF stage converts many documents of one kind as one composed Word document (see
``compose.py``), so the batch PDF is split into one PDF per document, and the signing package
joins batch PDFs. pypdf copies pages but not the structure tree ("tags") that makes
LibreOffice's PDF/A accessible, so this module rebuilds it:

- Pages are cloned through one writer per result, so a font used on several of its pages is
  written once. Annotations are copied with their page; a link to a page that is not in the
  result loses its destination (named destinations become explicit ones).
- The structure tree keeps exactly the elements with content on the kept pages: a container
  keeps only its kept kids, marked content and annotation references follow their page, and an
  element without kept content is dropped. Every element gets a new ``/P`` (copying the old
  back-links would drag the whole tree, and every page, into each result).
- The ParentTree is rebuilt from the kept tree, with ``/StructParents`` of pages and
  ``/StructParent`` of annotations numbered from 0 in page order; RoleMap and ClassMap are
  copied and the IDTree is rebuilt from the kept elements.
- The catalog keeps what PDF/A and tagged PDF need: MarkInfo, Lang, OutputIntents, Metadata
  (to be replaced by :func:`pdf.apply_metadata`), ViewerPreferences.

:func:`split` keeps the outline items and named destinations that point into each range;
:func:`join` keeps neither (its caller makes its own outline). A tree is walked once per
reader; a range only visits the elements whose pages overlap it, so splitting a batch into many
parts costs about as much as the parts themselves.

Speed (see ``benchmarks/bench_pdfpages.py``): pypdf reads objects a few bytes at a time, so the
plain objects that make up most of a tagged batch are read here in one pass (``_preload``),
names are written as they were read, and the cycle collector is paused while the many objects
are made.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    Destination,
    DictionaryObject,
    Fit,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    TextStringObject,
    TreeObject,
)

# Catalog entries a split or joined PDF takes over from its (first) source.
CATALOG_KEYS = ("/Lang", "/MarkInfo", "/OutputIntents", "/Metadata", "/ViewerPreferences")
# Entries of a structure element that are rebuilt rather than copied.
REBUILT_KEYS = frozenset({"/P", "/K", "/Pg", "/Ref", "/Type"})
# Annotation entries that point to pages or other objects and are rebuilt or dropped.
ANNOT_SKIPPED = ["/P", "/Parent", "/StructParent", "/Dest", "/A", "/Popup", "/IRT"]
# Number-tree leaves hold at most this many entries (a flat /Nums array otherwise).
LEAF_SIZE = 512
# Nesting deeper than this is taken to be a loop in a damaged file.
MAX_DEPTH = 200
_NOWHERE = 1 << 60  # the "page" of an element without content
_SCALARS = (NameObject, NumberObject, FloatObject)


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """Python's cycle collector paused: split and join make hundreds of thousands of objects
    that all stay alive until the writers are written, and the collector would walk them all
    again and again (it took half the time of a join)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def split(reader: PdfReader, ranges: Sequence[range]) -> list[PdfWriter]:
    """One writer per range of page indices (ranges are consecutive, non-overlapping, cover
    parts of the document)."""
    with _no_collection():
        return _split(reader, ranges)


def join(readers: Sequence[PdfReader]) -> tuple[PdfWriter, list[int]]:
    """All pages of all readers in order; returns the writer and the index of each reader's
    first page."""
    with _no_collection():
        return _join(readers)


def page_count(data: bytes) -> int | None:
    """The number of pages of a PDF, or None when ``data`` is no readable PDF (the site then
    leaves the count out rather than print a wrong one)."""
    if not data.startswith(b"%PDF-"):
        return None  # not a PDF at all: pypdf would only log its complaints
    try:
        return len(PdfReader(io.BytesIO(data)).pages)
    except (PyPdfError, ValueError, OSError):
        return None


def prepare(reader: PdfReader) -> None:
    """Read and index ``reader`` now (its objects, pages and tag tree), so that a later
    :func:`join` with it has less to do: for work that can be done while waiting."""
    with _no_collection():
        _source(reader)


def _source(reader: PdfReader) -> _Source:
    source = getattr(reader, "_convenantgen_source", None)
    if source is None:
        source = _Source(reader)
        reader._convenantgen_source = source  # type: ignore[attr-defined]
    return source


def _split(reader: PdfReader, ranges: Sequence[range]) -> list[PdfWriter]:
    source = _Source(reader)
    outline = _outline_items(reader, source)
    results = []
    for pages in ranges:
        writer = PdfWriter()
        writer.pdf_header = reader.pdf_header
        result = _Result(writer)
        result.add(source, pages)
        result.finish(source.root)
        _copy_outline(writer, result, source, outline)
        _copy_destinations(writer, result, source)
        results.append(writer)
    return results


def _join(readers: Sequence[PdfReader]) -> tuple[PdfWriter, list[int]]:
    writer = PdfWriter()
    if readers:
        writer.pdf_header = readers[0].pdf_header
    result = _Result(writer)
    starts = []
    for reader in readers:
        starts.append(len(writer.pages))
        result.add(_source(reader), range(len(reader.pages)))
    result.finish(readers[0].trailer["/Root"] if readers else DictionaryObject())
    return writer, starts


# ---------------------------------------------------------------------------------------------
# The source: its pages and its tag tree, indexed by page once


@dataclass(slots=True)
class _Elem:
    """A structure element of the source with its content in order and the pages it covers."""

    obj: DictionaryObject
    page: int | None  # its /Pg
    kids: list[_Kid] = field(default_factory=list)
    lo: int = _NOWHERE
    hi: int = -1
    # Per kid, the last page it covers, and whether kids come in page order (then a range
    # finds its first kid by bisection instead of visiting all).
    his: list[int] = field(default_factory=list)
    ordered: bool = True


@dataclass(slots=True)
class _Kid:
    """Marked content (``mcid``), an annotation (``annot``) or an element (``elem``)."""

    page: int  # the page (for an element: its first page)
    mcid: int | None = None
    direct: bool = False  # an integer kid (on the element's /Pg), not an MCR dictionary
    stream: PdfObject | None = None  # /Stm of an MCR: content of a form XObject
    annot: int | None = None  # object number of the annotation
    elem: _Elem | None = None

    @property
    def hi(self) -> int:
        return self.elem.hi if self.elem is not None else self.page


class _Source:
    """A reader, its pages by object number, its named destinations and its tag tree."""

    def __init__(self, reader: PdfReader) -> None:
        self.reader = reader
        _preload(reader)
        self.cache = reader.resolved_objects
        self.root = reader.trailer["/Root"]
        self.pages = list(reader.pages)
        self.page_of: dict[int, int] = {
            p.indirect_reference.idnum: i
            for i, p in enumerate(self.pages)
            if p.indirect_reference is not None
        }
        self.tree: DictionaryObject | None = _resolve(self.root.get("/StructTreeRoot"))
        # The tree root as an element without a type: its kids are the top-level elements.
        self.top = _Elem(self.tree or DictionaryObject(), None)
        if self.tree is not None:
            self._fill(self.top, self.tree.get("/K"), 0, set())
        self._names: dict[str, ArrayObject] | None = None
        self._names_on: dict[int, list[tuple[str, ArrayObject]]] = {}

    def page_index(self, ref: PdfObject | None) -> int | None:
        return self.page_of.get(ref.idnum) if isinstance(ref, IndirectObject) else None

    def destinations(self) -> dict[str, ArrayObject]:
        """Named destinations as explicit arrays ``[page, /Fit, ...]``, by name."""
        if self._names is None:
            self._names = {}
            try:
                found = self.reader.named_destinations
            except (PyPdfError, ValueError, KeyError):
                found = {}
            for name, dest in found.items():
                self._names[str(name)] = dest.dest_array
                page = self.page_index(dest.dest_array[0])
                if page is not None:
                    self._names_on.setdefault(page, []).append((str(name), dest.dest_array))
        return self._names

    def destinations_on(self, page: int) -> list[tuple[str, ArrayObject]]:
        """The named destinations on a page, with their names."""
        self.destinations()
        return self._names_on.get(page, [])

    def _kids(
        self, node: PdfObject | None, page: int | None, depth: int, seen: set[int]
    ) -> list[_Kid]:
        if depth > MAX_DEPTH:
            return []
        items = node if isinstance(node, ArrayObject) else [] if node is None else [node]
        kids = []
        for item in items:
            kid = self._kid(item, page, depth, seen)
            if kid is not None:
                kids.append(kid)
        return kids

    def _kid(self, item: PdfObject, page: int | None, depth: int, seen: set[int]) -> _Kid | None:
        if isinstance(item, IndirectObject):
            if item.idnum in seen:  # a loop or an element listed twice: kept once
                return None
            seen.add(item.idnum)
            # Straight from the cache that _preload filled, else through pypdf.
            value = self.cache.get((item.generation, item.idnum)) or item.get_object()
        else:
            value = item
        if isinstance(value, int):  # NumberObject: marked content on the element's page
            return _Kid(page, mcid=int(value), direct=True) if page is not None else None
        if not isinstance(value, DictionaryObject):
            return None
        kind = value.get("/Type")
        if kind == "/MCR":
            where = self.page_index(value.raw_get("/Pg")) if "/Pg" in value else page
            if where is None or "/MCID" not in value:
                return None
            stream = value.raw_get("/Stm") if "/Stm" in value else None
            return _Kid(where, mcid=int(value["/MCID"]), stream=stream)
        if kind == "/OBJR":
            where = self.page_index(value.raw_get("/Pg")) if "/Pg" in value else page
            obj = value.raw_get("/Obj")
            if where is None or not isinstance(obj, IndirectObject):
                return None
            return _Kid(where, annot=obj.idnum)
        if "/S" not in value:
            return None
        own = self.page_index(value.raw_get("/Pg")) if "/Pg" in value else page
        elem = _Elem(value, own)
        self._fill(elem, value.get("/K"), depth + 1, seen)
        return _Kid(elem.lo, elem=elem) if elem.kids else None  # no content: never kept

    def _fill(self, elem: _Elem, node: PdfObject | None, depth: int, seen: set[int]) -> None:
        elem.kids = self._kids(node, elem.page, depth, seen)
        for kid in elem.kids:
            elem.ordered = elem.ordered and (not elem.his or kid.page >= elem.his[-1])
            elem.his.append(kid.hi)
            elem.lo = min(elem.lo, kid.page)
            elem.hi = max(elem.hi, kid.hi)


def _resolve(value: PdfObject | None) -> DictionaryObject | None:
    value = value.get_object() if value is not None else None
    return value if isinstance(value, DictionaryObject) else None


# ---------------------------------------------------------------------------------------------
# Fast reading: pypdf reads an object a few bytes at a time, which for a batch's thousands of
# small objects (a structure element and its attributes per paragraph) costs more than all the
# rest. Objects in the plainest syntax (names without escapes, numbers, references, arrays,
# dictionaries, true/false/null) are read here with one regular expression and put into the
# reader's cache as the same pypdf objects; anything else (strings, streams, object streams)
# is left to pypdf.

_SPACE = rb"[\x00\t\n\f\r ]*"
_TOKEN = re.compile(
    _SPACE
    + rb"""(?:
    (?P<ref>(?P<num1>\d+)[\x00\t\n\f\r ]+(?P<gen>\d+)[\x00\t\n\f\r ]+R)(?=[\x00\t\n\f\r /\[\]<>])
    | (?P<number>[+-]?(?:\d+\.?\d*|\.\d+))(?=[\x00\t\n\f\r /\[\]<>])
    | (?P<name>/[A-Za-z0-9_.+\-:*,]*)(?=[\x00\t\n\f\r /\[\]<>])
    | (?P<open><<|\[)
    | (?P<close>>>|\])
    | (?P<word>true|false|null|endobj)(?![A-Za-z])
    )""",
    re.VERBOSE,
)
_HEADER = re.compile(_SPACE + rb"(\d+)[\x00\t\n\f\r ]+0[\x00\t\n\f\r ]+obj")
_WORDS = {b"true": BooleanObject(True), b"false": BooleanObject(False)}
# The commonest case, a dictionary whose values are names, numbers, references or arrays of
# those (structure elements, their attributes, fonts, pages), in one match.
_S = rb"[\x00\t\n\f\r ]"
_NAME = rb"/[A-Za-z0-9_.+\-:*,]*"
_NUMBER = rb"[+-]?(?:\d+\.?\d*|\.\d+)"
_REF = rb"\d+" + _S + rb"+\d+" + _S + rb"+R"
_ATOM = rb"(?:" + _REF + rb"|" + _NUMBER + rb"|" + _NAME + rb")"
_FLAT = re.compile(
    rb"<<(?:"
    + _S
    + rb"*"
    + _NAME
    + _S
    + rb"*(?:"
    + _ATOM
    + rb"|\[(?:"
    + _S
    + rb"*"
    + _ATOM
    + rb")*"
    + _S
    + rb"*\]))*"
    + _S
    + rb"*>>"
    + _S
    + rb"*endobj"
)
_ATOMS = re.compile(_ATOM)
_ENTRY = re.compile(
    _S
    + rb"*("
    + _NAME
    + rb")"
    + _S
    + rb"*(?:("
    + _NAME
    + rb")|(\d+)"
    + _S
    + rb"+(\d+)"
    + _S
    + rb"+R|("
    + _NUMBER
    + rb")|(\[[^\]]*\]))"
)
_REFS = re.compile(rb"(\d+)" + _S + rb"+(\d+)" + _S + rb"+R")
_ALL_REFS = re.compile(rb"(?:" + _S + rb"*" + _REF + rb")*" + _S + rb"*")
_ALL_INTS = re.compile(rb"(?:" + _S + rb"*\d+)*" + _S + rb"*")


def _preload(reader: PdfReader) -> None:
    """Read the reader's plain objects at once into its object cache (see above)."""
    stream = reader.stream
    data = stream.getvalue() if hasattr(stream, "getvalue") else None
    if data is None:
        here = stream.tell()
        stream.seek(0)
        data = stream.read()
        stream.seek(here)
    cache = reader.resolved_objects
    # The old ParentTree is rebuilt, never read: its nested arrays would take the slow way.
    tree = _resolve(reader.trailer["/Root"].get("/StructTreeRoot"))
    unused = tree.raw_get("/ParentTree") if tree is not None and "/ParentTree" in tree else None
    skip = unused.idnum if isinstance(unused, IndirectObject) else None
    refs = _Refs(reader)
    free = reader.xref_free_entry.get(0, {})
    for idnum, offset in reader.xref.get(0, {}).items():
        if (0, idnum) in cache or idnum in reader.xref_objStm or not isinstance(offset, int):
            continue
        if idnum == skip or free.get(idnum):
            continue
        value = _plain_object(data, offset, idnum, reader, refs)
        if value is not None:
            cache[(0, idnum)] = value
            value.indirect_reference = refs[idnum]


class _Refs(dict):
    """One reference object per object number of a reader, shared (pypdf never changes one):
    a batch refers to its pages and parent elements thousands of times."""

    def __init__(self, reader: PdfReader) -> None:
        super().__init__()
        self.reader = reader

    def __missing__(self, idnum: int) -> IndirectObject:
        made = self[idnum] = IndirectObject(idnum, 0, self.reader)
        return made


def _ref(num: bytes, gen: bytes, refs: _Refs) -> IndirectObject:
    return refs[int(num)] if gen == b"0" else IndirectObject(int(num), int(gen), refs.reader)


def _plain_object(
    data: bytes, offset: int, idnum: int, reader: PdfReader, refs: _Refs | None = None
) -> PdfObject | None:
    """Object ``idnum`` at ``offset`` when it is in plain syntax, else None."""
    refs = refs if refs is not None else _Refs(reader)
    head = _HEADER.match(data, offset)
    if head is None or int(head.group(1)) != idnum:
        return None
    pos = head.end()
    while data[pos : pos + 1] in b"\x00\t\n\f\r ":
        pos += 1
    flat = _FLAT.match(data, pos)
    if flat is not None:
        return _flat_dictionary(data[pos : flat.end()], refs)
    stack: list[list] = []  # open containers, each a list of the values read so far
    value: PdfObject | None = None
    while True:
        token = _TOKEN.match(data, pos)
        if token is None:
            return None
        pos = token.end()
        kind = token.lastgroup
        if kind == "word" and token.group(kind) == b"endobj":
            return value if not stack and value is not None else None
        if kind == "open":
            stack.append([token.group(kind)])
            continue
        if kind == "close":
            if not stack:
                return None
            items = stack.pop()
            opener, items = items[0], items[1:]
            if opener == b"[" and token.group(kind) == b"]":
                made: PdfObject = ArrayObject(items)
            elif opener == b"<<" and token.group(kind) == b">>" and len(items) % 2 == 0:
                keys = items[0::2]
                if not all(isinstance(k, NameObject) for k in keys):
                    return None
                made = DictionaryObject(zip(keys, items[1::2], strict=True))
            else:
                return None
        elif kind == "ref":
            made = _ref(token.group("num1"), token.group("gen"), refs)
        elif kind == "number":
            text = token.group(kind)
            made = FloatObject(text) if b"." in text else NumberObject(text)
        elif kind == "name":
            made = NameObject(token.group(kind).decode("ascii"))
        else:
            word = token.group(kind)
            made = _WORDS[word] if word in _WORDS else NullObject()
        if stack:
            stack[-1].append(made)
        elif value is None:
            value = made
        else:
            return None  # two values: not an object we understand


def _flat_dictionary(text: bytes, refs: _Refs) -> DictionaryObject:
    """The dictionary of a ``_FLAT`` match, entry by entry; arrays of references or of integers
    (the kids of structure elements, the ParentTree) are read in one go."""
    made = DictionaryObject()
    put = dict.__setitem__  # the keys and values are pypdf objects: no need to check them
    names = _NAMES
    for key, name, num, gen, number, array in _ENTRY.findall(text):
        value: PdfObject
        if name:
            value = names.get(name) or _name(name)
        elif num:
            value = _ref(num, gen, refs)
        elif number:
            value = FloatObject(number) if b"." in number else NumberObject(number)
        else:
            inner = array[1:-1]
            if _ALL_REFS.fullmatch(inner):
                items = [_ref(a, b, refs) for a, b in _REFS.findall(inner)]
            elif _ALL_INTS.fullmatch(inner):
                items = [_INTS.get(n) or NumberObject(n) for n in inner.split()]
            else:
                items = [_atom(m.group(), refs) for m in _ATOMS.finditer(inner)]
            value = ArrayObject(items)
        put(made, names.get(key) or _name(key), value)
    return made


class _Name(NameObject):
    """A name that writes the bytes it was read from (plain names need no escapes), instead of
    pypdf escaping it character by character on every write."""

    raw: bytes

    def write_to_stream(self, stream, encryption_key=None) -> None:  # noqa: ANN001, ARG002
        stream.write(self.raw)


def _name(text: bytes) -> NameObject:
    """Names recur thousands of times (``/Type``, ``/StructElem``, ``/K``): made once each."""
    made = _NAMES.get(text)
    if made is None:
        made = _Name(text.decode("ascii"))
        made.raw = text
        if len(_NAMES) < MAX_NAMES:  # font subset names differ per batch: keep the table small
            _NAMES[text] = made
    return made


_NAMES: dict[bytes, NameObject] = {}
MAX_NAMES = 10_000
# Marked-content ids, the kids of structure elements: numbers are immutable, so shared.
_INTS: dict[bytes | int, NumberObject] = {
    key: NumberObject(n) for n in range(1000) for key in (n, str(n).encode())
}
_TYPE, _STRUCT_ELEM, _P, _PG, _K = map(_name, (b"/Type", b"/StructElem", b"/P", b"/Pg", b"/K"))


def _atom(text: bytes, refs: _Refs) -> PdfObject:
    if text[:1] == b"/":
        return _name(text)
    if text[-1:] == b"R":
        number, generation = text[:-1].split()
        return _ref(number, generation, refs)
    return FloatObject(text) if b"." in text else NumberObject(text)


# ---------------------------------------------------------------------------------------------
# A result: pages and the tag tree for them


class _Result:
    """One writer being filled with page ranges of one or more sources."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        self._tree_ref: IndirectObject | None = None
        self.top: list[IndirectObject] = []
        self.tagged = False
        self.role_map = DictionaryObject()
        self.class_map = DictionaryObject()
        self.ids: dict[bytes, IndirectObject] = {}
        # Per result page: (its source, its index there, the new page object)
        self.pages: list[tuple[_Source, int, DictionaryObject]] = []
        # Per source and page index: the position in this result (a source may recur in join).
        self.position: dict[tuple[int, int], int] = {}
        self.annots: dict[tuple[int, int], IndirectObject] = {}  # (source, old idnum) → new
        self.content: dict[int, dict[int, IndirectObject]] = {}  # position → mcid → element
        self.annot_parent: dict[int, IndirectObject] = {}  # new annotation idnum → element
        self.copied: dict[tuple[int, int], IndirectObject] = {}  # (reader, idnum) → new object

    @property
    def tree_ref(self) -> IndirectObject:
        """The new StructTreeRoot, added to the writer when first needed."""
        if self._tree_ref is None:
            self._tree_ref = self.writer._add_object(self.tree)
        return self._tree_ref

    # Pages -----------------------------------------------------------------------------------

    def add(self, source: _Source, pages: range) -> None:
        """Add ``pages`` of ``source`` with their annotations and their part of the tree."""
        key = id(source)
        first = len(self.pages)
        for index in pages:
            page = self.writer.add_page(source.pages[index], excluded_keys=("/Annots", "/B"))
            self.position[(key, index)] = len(self.pages)
            self.pages.append((source, index, page))
        for position in range(first, len(self.pages)):
            self._add_annotations(source, position)
        if source.tree is None:
            return
        self.tagged = True
        for name in ("/RoleMap", "/ClassMap"):
            known = self.role_map if name == "/RoleMap" else self.class_map
            for role, value in (_resolve(source.tree.get(name)) or {}).items():
                if role not in known:
                    known[NameObject(role)] = value.clone(self.writer)
        lo, hi = pages.start, pages.stop
        for kid in _overlapping(source.top, lo, hi):
            if kid.elem is None:  # content directly under the root: not allowed, left out
                continue
            made = self._element(source, kid.elem, lo, hi)
            if made is not None:
                made.get_object()[NameObject("/P")] = self.tree_ref
                self.top.append(made)

    def _add_annotations(self, source: _Source, position: int) -> None:
        _, index, page = self.pages[position]
        made = ArrayObject()
        for ref in source.pages[index].get("/Annots") or []:
            annot = _resolve(ref)
            if annot is None or annot.get("/Subtype") == "/Popup":
                continue
            # A copy of its own even when a reader is joined twice: it gets its own /P and
            # /StructParent.
            copy = annot.clone(self.writer, True, ANNOT_SKIPPED)
            copy[NameObject("/P")] = page.indirect_reference
            if "/Dest" in annot:
                dest = self.destination(source, annot["/Dest"])
                if dest is not None:
                    copy[NameObject("/Dest")] = dest
            action = _resolve(annot.get("/A"))
            if action is not None and action.get("/S") == "/GoTo":
                dest = self.destination(source, action.get("/D"))
                if dest is not None:
                    copy[NameObject("/A")] = DictionaryObject(
                        {NameObject("/S"): NameObject("/GoTo"), NameObject("/D"): dest}
                    )
            elif action is not None:
                copy[NameObject("/A")] = action.clone(self.writer, False, ["/Next"])
            new = copy.indirect_reference or self.writer._add_object(copy)
            made.append(new)
            if isinstance(ref, IndirectObject):
                self.annots[(id(source), ref.idnum)] = new
        if made:
            page[NameObject("/Annots")] = made

    def destination(self, source: _Source, dest: PdfObject | None) -> ArrayObject | None:
        """An explicit destination in this result for ``dest`` (array or name), else None."""
        dest = dest.get_object() if dest is not None else None
        if isinstance(dest, DictionaryObject):  # a /Dests entry may be << /D [...] >>
            dest = dest.get("/D")
        if not isinstance(dest, ArrayObject):
            dest = source.destinations().get(str(dest)) if dest is not None else None
        if not dest:
            return None
        target = self.new_page(source, source.page_index(dest[0]))
        if target is None:
            return None
        return ArrayObject([target, *(v.clone(self.writer) for v in dest[1:])])

    def new_page(self, source: _Source, index: int | None) -> IndirectObject | None:
        position = self.position.get((id(source), index)) if index is not None else None
        return self.pages[position][2].indirect_reference if position is not None else None

    # The tag tree ----------------------------------------------------------------------------

    def _element(self, source: _Source, elem: _Elem, lo: int, hi: int) -> IndirectObject | None:
        """The copy of ``elem`` holding what it has on pages ``lo``..``hi - 1``, or None.

        Built bottom-up, so that an element without kept content is never added to the writer;
        the caller sets its ``/P``."""
        kept: list[IndirectObject | _Kid] = []
        for kid in _overlapping(elem, lo, hi):
            if kid.elem is not None:
                made = self._element(source, kid.elem, lo, hi)
                if made is not None:
                    kept.append(made)
            elif lo <= kid.page < hi and (kid.mcid is not None or self._annot(source, kid)):
                kept.append(kid)
        if not kept:
            return None
        new = DictionaryObject({_TYPE: _STRUCT_ELEM})
        for key, value in elem.obj.items():
            if key not in REBUILT_KEYS:
                new[key] = self._copy(value)
        ref = self.writer._add_object(new)
        page = self.new_page(source, elem.page)
        if page is not None:
            new[_PG] = page
        kids = ArrayObject()
        for item in kept:
            if isinstance(item, IndirectObject):
                item.get_object()[_P] = ref
                kids.append(item)
            else:
                kids.append(self._leaf(source, item, ref))
        new[_K] = kids
        ident = elem.obj.get("/ID")
        if isinstance(ident, (ByteStringObject, TextStringObject)):
            self.ids.setdefault(ident.original_bytes, ref)
        return ref

    def _copy(self, value: PdfObject) -> PdfObject:
        """``value`` for the writer: names and numbers as they are (they cannot change), an
        attribute dictionary of only such values copied directly, anything else cloned."""
        if isinstance(value, _SCALARS):
            return value
        if isinstance(value, IndirectObject) and value.pdf is not self.writer:
            key = (id(value.pdf), value.idnum)
            done = self.copied.get(key)
            if done is not None:
                return done
            target = value.get_object()
            if type(target) is DictionaryObject and all(
                isinstance(v, _SCALARS) for v in target.values()
            ):
                done = self.copied[key] = self.writer._add_object(DictionaryObject(target))
                return done
        return value.clone(self.writer)

    def _annot(self, source: _Source, kid: _Kid) -> IndirectObject | None:
        return self.annots.get((id(source), kid.annot))  # type: ignore[arg-type]

    def _leaf(self, source: _Source, kid: _Kid, owner: IndirectObject) -> PdfObject:
        """Marked content (an integer or MCR) or an annotation reference (OBJR) of ``owner``,
        recorded for the ParentTree."""
        position = self.position[(id(source), kid.page)]
        page = self.pages[position][2].indirect_reference
        if kid.mcid is None:
            annot = self._annot(source, kid)
            assert annot is not None
            self.annot_parent[annot.idnum] = owner
            return DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/OBJR"),
                    NameObject("/Obj"): annot,
                    NameObject("/Pg"): page,
                }
            )
        if kid.stream is None:
            self.content.setdefault(position, {})[kid.mcid] = owner
        if kid.direct:
            return _INTS.get(kid.mcid) or NumberObject(kid.mcid)
        mcr = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/MCR"),
                NameObject("/Pg"): page,
                NameObject("/MCID"): NumberObject(kid.mcid),
            }
        )
        if kid.stream is not None:
            mcr[NameObject("/Stm")] = kid.stream.clone(self.writer)
        return mcr

    def finish(self, catalog: DictionaryObject) -> None:
        """Write the catalog entries and, for tagged sources, the structure tree root."""
        root = self.writer.root_object
        for key in CATALOG_KEYS:
            if key in catalog:
                root[NameObject(key)] = catalog.raw_get(key).clone(self.writer)
        if not self.tagged:
            return
        nums: list[tuple[int, PdfObject]] = []
        for position, (_, _, page) in enumerate(self.pages):
            marked = self.content.get(position, {})
            row = ArrayObject(NullObject() for _ in range(max(marked, default=-1) + 1))
            for mcid, elem in marked.items():
                row[mcid] = elem
            page[NameObject("/StructParents")] = NumberObject(len(nums))
            nums.append((len(nums), row))
            for annot in page.get("/Annots") or []:
                elem = self.annot_parent.get(annot.idnum)
                if elem is not None:
                    annot.get_object()[NameObject("/StructParent")] = NumberObject(len(nums))
                    nums.append((len(nums), elem))
        tree = self.tree
        tree[NameObject("/K")] = ArrayObject(self.top)
        tree[NameObject("/ParentTree")] = self.writer._add_object(_number_tree(self.writer, nums))
        tree[NameObject("/ParentTreeNextKey")] = NumberObject(len(nums))
        if self.role_map:
            tree[NameObject("/RoleMap")] = self.role_map
        if self.class_map:
            tree[NameObject("/ClassMap")] = self.class_map
        if self.ids:
            names = ArrayObject()
            for ident in sorted(self.ids):
                names += [ByteStringObject(ident), self.ids[ident]]
            tree[NameObject("/IDTree")] = DictionaryObject({NameObject("/Names"): names})
        root[NameObject("/StructTreeRoot")] = self.tree_ref
        mark = _resolve(root.get("/MarkInfo")) or DictionaryObject()
        mark[NameObject("/Marked")] = BooleanObject(True)
        root[NameObject("/MarkInfo")] = mark


def _overlapping(elem: _Elem, lo: int, hi: int) -> Iterable[_Kid]:
    """The kids of ``elem`` whose pages overlap ``lo``..``hi - 1``."""
    kids = elem.kids
    if not elem.ordered:
        return (k for k, last in zip(kids, elem.his, strict=True) if last >= lo and k.page < hi)
    start = bisect.bisect_left(elem.his, lo)
    end = start
    while end < len(kids) and kids[end].page < hi:
        end += 1
    return kids[start:end]


def _number_tree(writer: PdfWriter, nums: list[tuple[int, PdfObject]]) -> DictionaryObject:
    """A number tree of ``nums`` (in key order): one leaf, or leaves under one root."""

    def leaf(entries: list[tuple[int, PdfObject]]) -> DictionaryObject:
        flat = ArrayObject()
        for key, value in entries:
            flat += [NumberObject(key), value]
        return DictionaryObject({NameObject("/Nums"): flat})

    if len(nums) <= LEAF_SIZE:
        return leaf(nums)
    kids = ArrayObject()
    for start in range(0, len(nums), LEAF_SIZE):
        chunk = nums[start : start + LEAF_SIZE]
        node = leaf(chunk)
        node[NameObject("/Limits")] = ArrayObject(
            [NumberObject(chunk[0][0]), NumberObject(chunk[-1][0])]
        )
        kids.append(writer._add_object(node))
    return DictionaryObject({NameObject("/Kids"): kids})


# ---------------------------------------------------------------------------------------------
# Outline and named destinations of a split


@dataclass
class _Item:
    """An outline item of the source: title, page, the rest of its destination, children."""

    title: str
    page: int | None
    fit: Fit
    children: list[_Item]


def _outline_items(reader: PdfReader, source: _Source) -> list[_Item]:
    try:
        outline = reader.outline
    except (PyPdfError, ValueError, KeyError):
        return []

    def convert(entries: list) -> list[_Item]:
        items: list[_Item] = []
        for entry in entries:
            if isinstance(entry, list):
                if items:
                    items[-1].children += convert(entry)
                continue
            if not isinstance(entry, Destination):
                continue
            dest = entry.dest_array
            page = source.page_index(dest[0]) if dest else None
            args = [None if isinstance(v, NullObject) else v for v in dest[2:]]
            items.append(_Item(str(entry.title), page, Fit(str(dest[1]), args), []))
        return items

    return convert(outline)


def _copy_outline(
    writer: PdfWriter,
    result: _Result,
    source: _Source,
    items: list[_Item],
    parent: TreeObject | None = None,
) -> None:
    """Add the items that point into the result, nesting kept; an item that points elsewhere is
    left out and its children move up to its parent."""
    for item in items:
        position = result.position.get((id(source), item.page))
        if position is None:
            _copy_outline(writer, result, source, item.children, parent)
            continue
        made = writer.add_outline_item(
            title=item.title, page_number=position, parent=parent, fit=item.fit
        )
        _copy_outline(writer, result, source, item.children, made)


def _copy_destinations(writer: PdfWriter, result: _Result, source: _Source) -> None:
    """The named destinations into the result's pages, as a /Dests dictionary (names kept)."""
    found = []
    for _, index, _ in result.pages:
        found += source.destinations_on(index)
    kept = DictionaryObject()
    for name, dest in sorted(found, key=lambda named: named[0]):
        made = result.destination(source, dest)
        if made is not None:
            kept[NameObject(name if name.startswith("/") else "/" + name)] = made
    if kept:
        writer.root_object[NameObject("/Dests")] = writer._add_object(kept)
