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
    element with ``alt`` as its alternative text and an object reference to the widget as its
    one kid, and the ParentTree entry that leads from the widget back.

    The Form goes where the page's text ends in the tree (after the last element with content
    on ``page``, and after the page's earlier fields), so the fields are read and visited
    (``/Tabs /S``) after the lines they sign, in document order.

    The object reference is the Form's ``/K`` itself, not an array of one: a validator of
    signatures (pyHanko's difference analysis) accepts a later signature that fills the field
    only when the widget is reached from the tree as ``StructTreeRoot /K ... /K /Obj``; behind
    an array the widget counts as changed outside form filling, and every earlier signature
    of the package turns invalid."""
    if not is_tagged(writer):
        return
    tree = writer.root_object["/StructTreeRoot"].get_object()
    parent_ref, index = _place(tree, page)
    parent = parent_ref.get_object()
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
                NameObject("/P"): parent_ref,
                NameObject("/Pg"): page,
                NameObject("/Alt"): TextStringObject(alt),
                NameObject("/K"): objr,
            }
        )
    )
    _kids(parent).insert(index, form)
    key = _next_key(tree)
    widget.get_object()[NameObject("/StructParent")] = NumberObject(key)
    _add_parent(writer, tree, key, form)
    tree[NameObject("/ParentTreeNextKey")] = NumberObject(key + 1)


def _kids(elem: DictionaryObject) -> ArrayObject:
    """``elem``'s ``/K`` as an array (made one when it held a single kid or none)."""
    own = elem.get("/K")
    if isinstance(own, IndirectObject) and isinstance(own.get_object(), ArrayObject):
        return own.get_object()
    if isinstance(own, ArrayObject):
        return own
    elem[NameObject("/K")] = ArrayObject([] if own is None else [own])
    return elem["/K"]


def _place(tree: DictionaryObject, page: IndirectObject) -> tuple[IndirectObject, int]:
    """Where a Form for a field on ``page`` goes: a structure element and an index in its
    kids, after the top-level part (of the document element) that holds the page's last
    marked content, and after the Forms already placed there for this page. A page without
    tagged content: the end of the last top-level element, else of the tree."""
    root_ref = tree.indirect_reference
    top = tree.get("/K")
    top = top.get_object() if top is not None else None
    tops = list(top) if isinstance(top, ArrayObject) else [top] if top is not None else []
    tops = [t for t in tops if isinstance(t, IndirectObject)]
    row = _lookup(tree.get("/ParentTree"), page.get_object().get("/StructParents"))
    elems = [e for e in (row or []) if isinstance(e, IndirectObject)]
    if not elems:
        parent = tops[-1] if tops else root_ref
        return parent, len(_kids(parent.get_object()))
    # The last marked content's element, up to the child of a top-level element (or of the
    # tree, when the element is itself top-level).
    chain = [elems[-1]]
    while True:
        up = chain[-1].get_object().get("/P")
        if not isinstance(up, IndirectObject) or up.idnum == root_ref.idnum:
            break
        chain.append(up)
    if len(chain) >= 2:
        child, parent = chain[-2], chain[-1]
    else:
        child, parent = chain[-1], root_ref
    kids = _kids(parent.get_object())
    index = next(
        (i for i, k in enumerate(kids) if isinstance(k, IndirectObject) and k.idnum == child.idnum),
        len(kids) - 1,
    )
    index += 1
    while index < len(kids) and _is_form_on(kids[index], page):
        index += 1
    return parent, index


def _is_form_on(kid, page: IndirectObject) -> bool:
    elem = kid.get_object() if isinstance(kid, IndirectObject) else None
    if not isinstance(elem, DictionaryObject) or elem.get("/S") != "/Form":
        return False
    on = elem.raw_get("/Pg") if "/Pg" in elem else None
    return isinstance(on, IndirectObject) and on.idnum == page.idnum


def _lookup(node, key) -> ArrayObject | None:
    """The value for ``key`` in the number tree ``node`` (the ParentTree), else None."""
    if key is None:
        return None
    key = int(key)
    stack = [node]
    while stack:
        node = stack.pop()
        node = node.get_object() if node is not None else None
        if not isinstance(node, DictionaryObject):
            continue
        limits = node.get("/Limits")
        if limits is not None and not int(limits[0]) <= key <= int(limits[1]):
            continue
        nums = node.get("/Nums") or []
        for i in range(0, len(nums) - 1, 2):
            if int(nums[i]) == key:
                value = nums[i + 1].get_object()
                return value if isinstance(value, ArrayObject) else None
        stack.extend(node.get("/Kids") or [])
    return None


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
