"""Explicit checks of the parts PDF/A-2 requires, for PDFs that claim it.

No PDF/A validator (veraPDF is Java and in none of the package registries this project installs
from) can be installed here, so the tests and the build benchmark check what the standard asks
of our documents one by one: the XMP identification (``pdfaid:part`` 2 and a conformance
letter), Info and XMP saying the same, an sRGB output intent with an embedded ICC profile,
every font embedded (Type0 descendants included), no encryption, no JavaScript, launch or other
forbidden actions, printable annotations with an appearance, and, for tagged PDF, ``MarkInfo``
``Marked``, a structure tree and a language. :func:`pdfa_problems` lists what is wrong, in
words; an empty list means every check passed. It reads every object reachable from the
catalog, so it is meant for tests and reports, not for every build.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from xml.etree import ElementTree

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}
# Actions PDF/A-2 (ISO 19005-2, 6.5.1) does not allow.
FORBIDDEN_ACTIONS = frozenset(
    {
        "/Launch",
        "/Sound",
        "/Movie",
        "/ResetForm",
        "/ImportData",
        "/Hide",
        "/SetOCGState",
        "/Rendition",
        "/Trans",
        "/GoTo3DView",
        "/JavaScript",
    }
)
# Info keys and the XMP property that must mirror each.
MIRRORS = {
    "/Title": "dc:title",
    "/Author": "dc:creator",
    "/Subject": "dc:description",
    "/Keywords": "pdf:Keywords",
    "/Creator": "xmp:CreatorTool",
    "/Producer": "pdf:Producer",
    "/CreationDate": "xmp:CreateDate",
    "/ModDate": "xmp:ModifyDate",
}


def pdfa_problems(data: bytes, *, tagged: bool = True) -> list[str]:
    """What keeps ``data`` from being the PDF/A-2 document it claims to be (empty: nothing)."""
    problems: list[str] = []
    header = data[:16]
    if not header.startswith(b"%PDF-1.") or header[7:8] not in b"01234567":
        problems.append(f"header {header[:8]!r} is not PDF 1.0–1.7")
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        return [*problems, "the file is encrypted"]  # nothing else can be read
    if "/ID" not in reader.trailer:
        problems.append("the trailer has no /ID")
    root = reader.trailer["/Root"]
    xmp = _xmp(root, problems)
    if xmp is not None:
        _identification(xmp, problems)
        _mirrors(reader, xmp, problems)
    _output_intent(root, problems)
    if tagged:
        mark = root.get("/MarkInfo")
        if mark is None or not mark.get_object().get("/Marked"):
            problems.append("not tagged: no /MarkInfo with /Marked true")
        if "/StructTreeRoot" not in root:
            problems.append("not tagged: no /StructTreeRoot")
        if not root.get("/Lang"):
            problems.append("the catalog has no /Lang")
    if "/AA" in root or "/JavaScript" in (root.get("/Names") or {}):
        problems.append("the catalog has JavaScript or additional actions")
    for obj in _objects(root):
        _check_object(obj, problems)
    return list(dict.fromkeys(problems))


def _xmp(root: DictionaryObject, problems: list[str]) -> ElementTree.Element | None:
    ref = root.get("/Metadata")
    if ref is None:
        problems.append("the catalog has no XMP /Metadata")
        return None
    stream = ref.get_object()
    if "/Filter" in stream:
        problems.append("the XMP stream is compressed")
    try:
        return ElementTree.fromstring(stream.get_data())
    except ElementTree.ParseError as exc:
        problems.append(f"the XMP cannot be parsed: {exc}")
        return None


def xmp_value(xmp: ElementTree.Element, name: str) -> str | None:
    """The text of property ``name`` (``prefix:local``), as element or attribute, else None."""
    prefix, local = name.split(":")
    key = f"{{{NS[prefix]}}}{local}"
    for description in xmp.iter(f"{{{NS['rdf']}}}Description"):
        if description.get(key) is not None:
            return description.get(key)
        element = description.find(key)
        if element is not None:
            # Alt, Seq and Bag hold their value(s) in rdf:li; a simple property holds text.
            items = [li.text or "" for li in element.iter(f"{{{NS['rdf']}}}li")]
            return "; ".join(items) if items else (element.text or "").strip()
    return None


def _identification(xmp: ElementTree.Element, problems: list[str]) -> None:
    part = xmp_value(xmp, "pdfaid:part")
    level = xmp_value(xmp, "pdfaid:conformance")
    if part != "2":
        problems.append(f"XMP pdfaid:part is {part!r}, not '2'")
    if level not in ("A", "B", "U"):
        problems.append(f"XMP pdfaid:conformance is {level!r}, not A, B or U")


def _mirrors(reader: PdfReader, xmp: ElementTree.Element, problems: list[str]) -> None:
    info = reader.metadata or {}
    for key, value in info.items():
        prop = MIRRORS.get(key)
        if prop is None:
            problems.append(f"Info {key} has no XMP counterpart")
            continue
        mirrored = xmp_value(xmp, prop)
        if key.endswith("Date"):
            same = mirrored is not None and _same_moment(str(value), mirrored)
        else:
            same = mirrored == str(value)
        if not same:
            problems.append(f"Info {key} {str(value)!r} differs from XMP {prop} {mirrored!r}")


def _same_moment(pdf_value: str, xmp_value_: str) -> bool:
    try:
        pdf = dt.datetime.strptime(pdf_value[2:16], "%Y%m%d%H%M%S")
        xmp = dt.datetime.fromisoformat(xmp_value_.replace("Z", "+00:00"))
    except ValueError:
        return False
    offset = xmp.utcoffset() or dt.timedelta()
    return (
        pdf_value[16:17] in ("+", "Z", "")
        and offset == dt.timedelta()
        and (pdf == xmp.replace(tzinfo=None))
    )


def _output_intent(root: DictionaryObject, problems: list[str]) -> None:
    intents = [i.get_object() for i in root.get("/OutputIntents") or []]
    pdfa = [i for i in intents if i.get("/S") == "/GTS_PDFA1"]
    if not pdfa:
        problems.append("no /OutputIntents entry with /S /GTS_PDFA1")
        return
    profile = pdfa[0].get("/DestOutputProfile")
    icc = profile.get_object().get_data() if profile is not None else b""
    if icc[36:40] != b"acsp":
        problems.append("the PDF/A output intent has no embedded ICC profile")


def _objects(root: DictionaryObject) -> Iterator[DictionaryObject]:
    """Every dictionary (and stream) reachable from the catalog, each once."""
    seen: set[tuple[int, int]] = set()
    stack: list = [root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # streams are dictionaries too
            yield obj
            stack.extend(v for k, v in obj.items() if k not in ("/Parent", "/P"))
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def _check_object(obj: DictionaryObject, problems: list[str]) -> None:
    if obj.get("/S") in FORBIDDEN_ACTIONS:
        problems.append(f"a {obj['/S']} action")
    if obj.get("/Type") == "/Font" or "/BaseFont" in obj:
        _check_font(obj, problems)
    if obj.get("/Type") == "/Annot" or ("/Subtype" in obj and "/Rect" in obj):
        flags = int(obj.get("/F", 0))
        if obj.get("/Subtype") != "/Popup" and (not flags & 4 or flags & 0b100011):
            problems.append(f"annotation {obj.get('/T', obj.get('/Subtype'))} is not printable")
        # ISO 19005-2, 6.3.3: Popup, Link and zero-size annotations (an invisible signature
        # field, such as a document timestamp's) need no appearance.
        if (
            obj.get("/Subtype") not in ("/Popup", "/Link")
            and not _zero_size(obj.get("/Rect"))
            and "/N" not in (obj.get("/AP") or {})
        ):
            problems.append(f"annotation {obj.get('/T', obj.get('/Subtype'))} has no appearance")
    if obj.get("/NeedAppearances"):
        problems.append("the form asks viewers to make appearances (/NeedAppearances)")
    if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Image" and "/Alternates" in obj:
        problems.append("an image has /Alternates")


def _zero_size(rect) -> bool:
    try:
        x0, y0, x1, y1 = (float(v) for v in rect.get_object())
    except (TypeError, ValueError, AttributeError):
        return False
    return x0 == x1 and y0 == y1


def _check_font(font: DictionaryObject, problems: list[str]) -> None:
    subtype = font.get("/Subtype")
    if subtype in ("/Type3", "/Type0"):
        return  # Type3 glyphs are content; a Type0's descendants are visited on their own
    descriptor = font.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
        problems.append(f"font {font.get('/BaseFont')} is not embedded")


def structure_types(root: DictionaryObject) -> list[str]:
    """The structure types of a catalog's tag tree (``/Document``, ``/H1``, ``/P``, ...)."""
    kinds: list[str] = []
    tree = root.get("/StructTreeRoot")
    stack = [tree.get_object().get("/K")] if tree is not None else []
    while stack:
        node = stack.pop()
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, ArrayObject):
            stack += node
        elif isinstance(node, DictionaryObject) and "/S" in node:
            kinds.append(str(node["/S"]))
            stack.append(node.get("/K"))
    return kinds
