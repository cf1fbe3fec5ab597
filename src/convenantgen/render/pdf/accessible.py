"""PDF/UA-1 repairs of LibreOffice's tagged PDF/A, applied to every PDF the build writes.

LibreOffice 7.4 exports a tagged PDF/A-2 that an accessibility checker refuses on a few
points that need no change to the document itself; they are fixed here, in pypdf, before the
bytes are written (see :func:`.convert.archive_bytes`), so PDF/A stays valid and the bytes
reproducible:

- the RoleMap maps standard structure types to themselves (``/H3 /H3``, ``/Document
  /Document``), which ISO 14289-1 (7.1) forbids as a circular mapping: such entries are dropped,
  as is any entry that remaps a standard type;
- a page with annotations (the signing package's signature fields) says in which order they
  are visited: ``/Tabs /S``, the order of the structure tree;
- a signature field is a widget annotation, which must sit in the structure tree in a ``Form``
  element (with an ``/Alt`` text, the field's tooltip): :func:`tag_widget`;
- the XMP says the file claims PDF/UA-1 (``pdfuaid:part`` 1, with the PDF/A extension schema
  that declares that property): see :func:`.convert.xmp_packet`.

Headers and footers are already marked content of kind ``/Artifact`` in LibreOffice's output,
the language is set and the title is shown (``DisplayDocTitle``) by
:func:`.convert.apply_metadata`.
"""

from __future__ import annotations

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

# The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4): a RoleMap may not remap them.
_STANDARD = (
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private "
    "P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot "
    "Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP "
    "Figure Formula Form"
)
STANDARD_TYPES = frozenset("/" + name for name in _STANDARD.split(" "))


def is_tagged(writer: PdfWriter) -> bool:
    """Whether the document has a structure tree (LibreOffice's tagged export)."""
    return "/StructTreeRoot" in writer.root_object


def repair(writer: PdfWriter) -> None:
    """The document-wide PDF/UA fixes (see the module description) on a tagged document."""
    if not is_tagged(writer):
        return
    tree = writer.root_object["/StructTreeRoot"].get_object()
    roles = tree.get("/RoleMap")
    if roles is not None:
        roles = roles.get_object()
        for name in [n for n in roles if n in STANDARD_TYPES]:
            del roles[name]
        if not roles:
            del tree["/RoleMap"]
    for page in writer.pages:
        if page.get("/Annots"):
            page[NameObject("/Tabs")] = NameObject("/S")


def tag_widget(writer: PdfWriter, widget: IndirectObject, page: IndirectObject, alt: str) -> None:
    """Put the widget annotation ``widget`` (on ``page``) in the structure tree: a ``Form``
    element with an object reference to it and ``alt`` as its alternative text, appended to
    the document's top element, and the ParentTree entry that leads from the widget back."""
    if not is_tagged(writer):
        return
    tree = writer.root_object["/StructTreeRoot"].get_object()
    kids = tree.get("/K")
    kids = kids.get_object() if kids is not None else None
    top_ref = tree.indirect_reference
    top = tree
    if isinstance(kids, ArrayObject) and len(kids) == 1:
        kids = kids[0]
    if isinstance(kids, IndirectObject):
        top_ref, top = kids, kids.get_object()
    objr = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OBJR"),
            NameObject("/Obj"): widget,
            NameObject("/Pg"): page,
        }
    )
    form = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject("/Form"),
                NameObject("/P"): top_ref,
                NameObject("/Pg"): page,
                NameObject("/Alt"): TextStringObject(alt),
                NameObject("/K"): ArrayObject([objr]),
            }
        )
    )
    own = top.get("/K")
    if own is None:
        top[NameObject("/K")] = ArrayObject([form])
    elif isinstance(own.get_object(), ArrayObject):
        own.get_object().append(form)
    else:
        top[NameObject("/K")] = ArrayObject([own, form])
    key = _next_key(tree)
    widget.get_object()[NameObject("/StructParent")] = NumberObject(key)
    _add_parent(writer, tree, key, form)
    tree[NameObject("/ParentTreeNextKey")] = NumberObject(key + 1)


def _next_key(tree: DictionaryObject) -> int:
    """The first ParentTree key not in use (ParentTreeNextKey, or past the highest key)."""
    highest = -1
    stack = [tree.get("/ParentTree")]
    while stack:
        node = stack.pop()
        node = node.get_object() if node is not None else None
        if not isinstance(node, DictionaryObject):
            continue
        nums = node.get("/Nums") or []
        highest = max([highest, *(int(nums[i]) for i in range(0, len(nums), 2))])
        stack.extend(node.get("/Kids") or [])
    return max(highest + 1, int(tree.get("/ParentTreeNextKey", 0)))


def _add_parent(writer: PdfWriter, tree: DictionaryObject, key: int, elem) -> None:
    parents = tree.get("/ParentTree")
    parents = parents.get_object() if parents is not None else None
    if parents is None:
        parents = DictionaryObject({NameObject("/Nums"): ArrayObject()})
        tree[NameObject("/ParentTree")] = writer._add_object(parents)
    if "/Nums" in parents:
        parents["/Nums"].get_object().extend([NumberObject(key), elem])
        return
    # A tree of leaves: the new key is the highest, so it goes in a leaf of its own at the end.
    leaf = DictionaryObject(
        {
            NameObject("/Nums"): ArrayObject([NumberObject(key), elem]),
            NameObject("/Limits"): ArrayObject([NumberObject(key), NumberObject(key)]),
        }
    )
    parents["/Kids"].get_object().append(writer._add_object(leaf))
