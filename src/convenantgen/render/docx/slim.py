"""Lean Word templates: drop what no document made from a template can use.

A Word file carries far more than its text needs: python-docx's default template (the start of
the bundled templates) and Word's own ``Normal.dotm`` hold about 170 style definitions and a
``latentStyles`` list of every built-in style (350 KB of ``styles.xml``), a second copy of the
styles for Word 2010 (``stylesWithEffects.xml``), a thumbnail and often a bibliography store in
``customXml``. Every rendered document repeats them, and LibreOffice parses them again for
each document it converts. :func:`slim` removes, from an opened template:

- every style that no part of the template refers to (its text, headers, footers, notes, list
  numbering, settings), keeping the default styles and the styles that the kept ones are based
  on, linked to or followed by;
- the ``latentStyles`` list (how Word's style gallery shows styles that are not defined);
- ``stylesWithEffects.xml``, the thumbnail, and ``customXml`` parts when nothing in the
  document is bound to them.

A style can only reach a rendered document from the template's XML: the context holds text,
which is escaped. Styles are kept as they are when a Jinja tag mentions a style or writes Word
markup itself, and styles that Word's fields fill in (a table of contents, an index, captions,
hyperlinks) are kept when the template has such a field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


VAL = w("val")
# Elements whose w:val names a style (in the text, numbering, settings and the styles).
# Numbering is kept whole: the signing package's composer expects the documents of one family
# of templates to share it.
_STYLE_REFS = frozenset(
    w(t)
    for t in (
        "pStyle",
        "rStyle",
        "tblStyle",
        "numStyleLink",
        "styleLink",
        "clickAndTypeStyle",
        "defaultTableStyle",
        "basedOn",
        "link",
        "next",
    )
)
_TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
# Fields whose results Word (re)builds with styles of its own choosing, and those styles.
_FIELD_RE = re.compile(r"^\s*(TOC|INDEX|TOA|HYPERLINK|SEQ|REF|NOTEREF|PAGEREF)\b")
_FIELD_STYLE_RE = re.compile(
    r"^(toc \d|toc heading|index \d|index heading|table of figures|table of authorities|"
    r"toa heading|caption|hyperlink|followedhyperlink)$"
)


def slim(document, sources: Iterable[str] = ()) -> None:
    """Remove from a python-docx ``Document`` what none of its documents can use (see the
    module's docstring); ``sources`` are the Jinja sources rendered from it."""
    part = document.part
    package = part.package
    for rels, kinds in ((part.rels, (STYLES_WITH_EFFECTS,)), (package.rels, (RT.THUMBNAIL,))):
        for rid in [rid for rid, rel in rels.items() if rel.reltype in kinds]:
            del rels[rid]
    styles_part = _related(part, RT.STYLES)
    content = [_element(p) for p in package.parts if p is not styles_part]
    content = [e for e in content if e is not None]
    # Content controls bound to a customXml store (w:dataBinding, w15:dataBinding) need it.
    if not any(next(e.iter("{*}dataBinding"), None) is not None for e in content):
        for rid in [rid for rid, rel in part.rels.items() if rel.reltype == RT.CUSTOM_XML]:
            del part.rels[rid]
    if styles_part is None:
        return
    styles = styles_part.element
    for latent in styles.findall(w("latentStyles")):
        styles.remove(latent)
    tags = [t for source in sources for t in _TAG_RE.findall(source)]
    if any("style" in t.lower() or "<w:" in t for t in tags):
        return  # styles chosen by the template's code: keep them all
    prune_styles(styles, content)


def _related(part, reltype: str):
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return rel.target_part
    return None


def _element(part) -> etree._Element | None:
    """The XML of a part (None when it is not XML)."""
    element = getattr(part, "element", None)
    if element is not None or not part.content_type.endswith("xml"):
        return element
    try:
        return etree.fromstring(part.blob)
    except etree.XMLSyntaxError:
        return None


def prune_styles(styles: etree._Element, content: list[etree._Element]) -> None:
    """Keep in ``styles`` what ``content`` (every other XML part) uses, directly or not."""
    defined = {s.get(w("styleId")): s for s in styles.findall(w("style"))}
    keep = {sid for sid, s in defined.items() if s.get(w("default")) in ("1", "true", "on")}
    for element in content:
        keep |= _refs(element)
    if any(_has_fields(element) for element in content):
        keep |= {sid for sid, s in defined.items() if _FIELD_STYLE_RE.match(_name(s))}
    todo = list(keep)
    while todo:  # what the kept styles are based on, linked to or followed by
        style = defined.get(todo.pop())
        if style is not None:
            new = _refs(style) - keep
            keep |= new
            todo += new
    for sid, style in defined.items():
        if sid not in keep:
            styles.remove(style)


def _refs(element: etree._Element) -> set[str]:
    return {e.get(VAL) for e in element.iter(*_STYLE_REFS) if e.get(VAL)}


def _name(style: etree._Element) -> str:
    name = style.find(w("name"))
    return (name.get(VAL) or "").lower() if name is not None else ""


def _has_fields(element: etree._Element) -> bool:
    instructions = [e.get(w("instr")) or "" for e in element.iter(w("fldSimple"))]
    instructions += [e.text or "" for e in element.iter(w("instrText"))]
    return any(_FIELD_RE.match(i) for i in instructions)
