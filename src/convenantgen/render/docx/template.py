"""A Word template prepared once per process, then rendered per document from its parts.

docxtpl, as it is meant to be used, opens the whole template with python-docx for every
document, renders it and saves it again: every part (styles, theme, numbering, settings) is
parsed, re-serialised and compressed for each document, though only the body, the headers and
footers, the footnotes and the core properties differ between documents of one template.

:class:`PreparedTemplate` does docxtpl's work in two halves. Once per template: open it with
python-docx and docxtpl, take the Jinja source docxtpl would render from each templated part
(``patch_xml``), compile it, drop what no document can use (unused styles, Word-only parts:
:mod:`.lean`), and keep every other part as the bytes python-docx would write, already
compressed. Per document: render those sources with docxtpl's own post-processing
(``resolve_listing``, ``fix_tables``, ``docPr`` ids), serialise the changed parts as
python-docx would, set the core properties, and zip. The bytes are the same as those of
docxtpl's ``render`` and python-docx's ``save`` of the lean template (:func:`lean_docx`),
followed by a deterministic re-zip (:func:`render_with_docxtpl`).

What the engine never uses is not supported: images or sub-documents added from the context
(``InlineImage``, ``Subdoc``) and docxtpl's media replacement.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.oxml import serialize_part_xml
from docx.opc.parts.coreprops import CorePropertiesPart
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Environment
from jinja2.exceptions import TemplateError
from lxml import etree

from ...errors import TemplateFailed
from .bullets import plain_bullets
from .slim import slim

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
LEVEL = 9  # deflate level of every part (what zipfile's ZIP_DEFLATED with level 9 writes)
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_W_BODY = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body"
_DOC_PR = etree.XPath("//wp:docPr", namespaces={"wp": _WP})
_PARAGRAPH_RE = re.compile(r"<w:p([ >])")
_PARAGRAPH_NL_RE = re.compile(r"\n<w:p([ >])")
# The characters docxtpl's resolve_listing turns into tabs, breaks and paragraphs.
_LISTING_CHARS = ("\t", "\n", "\a", "\f")


# Sees a rendered body and the template's parts by name; returns the parts it changes.
PartHook = Callable[[etree._Element, dict[str, bytes]], dict[str, bytes]]


@dataclass(frozen=True)
class CoreProperties:
    """The core properties every rendered document gets (the template's others are kept)."""

    title: str
    author: str  # the penvoerder: creator, last modified by, and the company in app.xml
    moment: dt.datetime  # a date of the dossier (created and modified), never the build time
    comments: str
    identifier: str
    subject: str = ""
    keywords: str = ""


class PreparedTemplate:
    """One Word template, ready to render many documents (see the module's docstring)."""

    def __init__(self, data: bytes, env: Environment) -> None:
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.render_init()
        self._tpl = tpl
        package = tpl.docx.part.package
        self._core_name = package._core_properties_part.partname.membername  # made if missing
        body, hdrftr, footnotes = _sources(tpl)
        slim(tpl.docx, [body, *hdrftr.values(), *footnotes.values()])
        plain_bullets(tpl.docx)
        self._body = _compile(env, body)
        self._hdrftr = {name: _compile(env, source) for name, source in hdrftr.items()}
        self._footnotes = {name: _compile(env, source) for name, source in footnotes.items()}
        parts = _package_parts(tpl)
        self._core = parts[self._core_name]
        self._app = parts.get(APP_PART)
        self._main = tpl.docx.part.partname.membername  # word/document.xml, usually
        self._root = parse_xml(parts[self._main])
        self._current = self._root.find(_W_BODY)
        self._changing = {self._main, self._core_name, *self._hdrftr, *self._footnotes}
        if self._app is not None:
            self._changing.add(APP_PART)
        self._fixed = {
            name: _Entry.of(blob) for name, blob in parts.items() if name not in self._changing
        }
        self._lock = threading.Lock()  # the document tree is reused between renders
        # The parts as the template has them, for a part hook that changes one (numbering).
        self._parts = parts

    def render(
        self,
        context: dict[str, Any],
        core: CoreProperties,
        body_hook: Callable[[etree._Element], Any] | None = None,
        part_hook: PartHook | None = None,
    ) -> bytes:
        """The .docx of one document: ``context`` rendered into the template's parts.

        ``part_hook`` sees the rendered body after ``body_hook`` and the template's parts, and
        returns the parts it changes (the list numbering of the document's articles)."""
        tpl = self._tpl
        changed: dict[str, bytes] = {}
        body = tpl.fix_tables(_finish(tpl, self._body.render(context)))
        for number, element in enumerate(_DOC_PR(body), start=1001):
            element.attrib["id"] = str(number)  # docxtpl renumbers them from 1001
        for name, template in self._hdrftr.items():
            rendered = _finish(tpl, template.render(context)).encode("utf-8")
            changed[name] = serialize_part_xml(parse_xml(rendered))
        for name, template in self._footnotes.items():
            changed[name] = _finish(tpl, template.render(context)).encode("utf-8")
        changed[self._core_name] = _core_xml(self._core, core)
        if self._app is not None:
            changed[APP_PART] = app_xml(self._app, core)
        with self._lock:
            self._root.replace(self._current, body)
            self._current = body
            if body_hook is not None:
                body_hook(body)
            if part_hook is not None:
                changed.update(part_hook(body, self._parts))
            changed[self._main] = serialize_part_xml(self._root)
        entries = dict(self._fixed)
        entries.update((name, _Entry.of(blob, shared=False)) for name, blob in changed.items())
        return zip_entries(entries)


def lean_docx(data: bytes) -> bytes:
    """A template without what no document made from it can use (see :mod:`.lean`)."""
    tpl = DocxTemplate(io.BytesIO(data))
    tpl.render_init()
    body, hdrftr, footnotes = _sources(tpl)
    slim(tpl.docx, [body, *hdrftr.values(), *footnotes.values()])
    plain_bullets(tpl.docx)
    return zip_parts(_package_parts(tpl))


def _sources(tpl: DocxTemplate) -> tuple[str, dict[str, str], dict[str, str]]:
    """The Jinja sources docxtpl's render builds: of the body, and by part name of the headers
    and footers, and of the footnotes."""
    body = tpl.patch_xml(tpl.get_xml())
    hdrftr = {}
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            hdrftr[part.partname.membername] = tpl.patch_xml(tpl.get_part_xml(part))
    footnotes = {}
    for part in tpl.docx.part.package.parts:
        if part.content_type == CT.WML_FOOTNOTES:
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            footnotes[part.partname.membername] = tpl.patch_xml(blob)
    return body, hdrftr, footnotes


def _compile(env: Environment, source: str):
    # As docxtpl's render_xml_part: every paragraph on a line of its own, for Jinja's line
    # statements and error lines.
    return env.from_string(_PARAGRAPH_RE.sub(r"\n<w:p\1", source))


def _finish(tpl: DocxTemplate, xml: str) -> str:
    """docxtpl's post-processing of a rendered part (render_xml_part after Jinja)."""
    xml = _PARAGRAPH_NL_RE.sub(r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(c in xml for c in _LISTING_CHARS):  # else resolve_listing changes nothing
        xml = tpl.resolve_listing(xml)
    return xml


def _core_xml(blob: bytes, core: CoreProperties) -> bytes:
    part = CorePropertiesPart.load(None, CT.OPC_CORE_PROPERTIES, blob, None)
    _set_core(part.core_properties, core)
    return part.blob


def _set_core(props, core: CoreProperties) -> None:
    props.title = core.title
    props.author = core.author
    props.last_modified_by = core.author
    props.created = core.moment
    props.modified = core.moment
    props.revision = 1
    props.comments = core.comments
    props.identifier = core.identifier
    props.language = "nl-NL"
    props.subject = core.subject
    props.keywords = core.keywords
    props.category = ""


APP_PART = "docProps/app.xml"
_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
APPLICATION = "convenantgen"


_CORE_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}


def document_properties(data: bytes) -> dict[str, Any]:
    """Title, subject, author, keywords and date (``created``, as a date) of a rendered .docx,
    read back from its core properties: the PDF made from it says the same."""
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        root = etree.fromstring(docx.read("docProps/core.xml"))

    def text(path: str) -> str:
        return root.findtext(path, default="", namespaces=_CORE_NS).strip()

    created = text("dcterms:created")
    return {
        "title": text("dc:title"),
        "subject": text("dc:subject"),
        "author": text("dc:creator"),
        "keywords": text("cp:keywords") or None,
        "date": dt.date.fromisoformat(created[:10]) if created else None,
    }


def app_xml(blob: bytes, core: CoreProperties) -> bytes:
    """The extended properties (``docProps/app.xml``) of one document: the template's, with
    the engine as application, the penvoerder as company and the document's title as the
    title of its one part; the counts Word keeps (pages, words) are left out, as nobody
    counted them."""
    root = etree.fromstring(blob)
    for name in ("Template", "TotalTime", "Pages", "Words", "Characters", "Lines", "Paragraphs"):
        for element in root.findall(f"{{{_EP}}}{name}"):
            root.remove(element)
    for element in root.findall(f"{{{_EP}}}CharactersWithSpaces"):
        root.remove(element)
    values = {"Application": APPLICATION, "Company": core.author}
    for name, value in values.items():
        element = root.find(f"{{{_EP}}}{name}")
        if element is None:
            element = etree.SubElement(root, f"{{{_EP}}}{name}")
        element.text = value
    for title in root.iterfind(f"{{{_EP}}}TitlesOfParts/{{{_VT}}}vector/{{{_VT}}}lpstr"):
        title.text = core.title
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def render_with_docxtpl(
    data: bytes,
    context: dict[str, Any],
    env: Environment,
    core: CoreProperties,
    body_hook: Callable[[etree._Element], Any] | None = None,
    part_hook: PartHook | None = None,
) -> bytes:
    """The reference :meth:`PreparedTemplate.render` equals: docxtpl as it is meant to be used
    (the whole template opened, rendered and saved), then re-zipped deterministically. For
    tests and the benchmark."""
    tpl = DocxTemplate(io.BytesIO(data))
    tpl.render(context, env, autoescape=True)
    if body_hook is not None:
        body_hook(tpl.docx.element.body)
    _set_core(tpl.docx.core_properties, core)
    out = io.BytesIO()
    tpl.save(out)
    with zipfile.ZipFile(out) as docx:
        parts = {name: docx.read(name) for name in docx.namelist()}
    if part_hook is not None:
        parts.update(part_hook(tpl.docx.element.body, parts))
        parts[tpl.docx.part.partname.membername] = serialize_part_xml(tpl.docx.element)
    if APP_PART in parts:
        parts[APP_PART] = app_xml(parts[APP_PART], core)
    return zip_parts(parts)


class _Parts:
    """Stands in for python-docx's ZIP writer: keeps each part's bytes by name."""

    def __init__(self) -> None:
        self.parts: dict[str, bytes] = {}

    def write(self, uri, blob: bytes) -> None:
        self.parts[uri.membername] = blob


def _package_parts(tpl: DocxTemplate) -> dict[str, bytes]:
    """The parts python-docx would zip on save, by name."""
    package = tpl.docx.part.package
    for part in package.parts:
        part.before_marshal()
    collected = _Parts()
    PackageWriter._write_content_types_stream(collected, package.parts)
    PackageWriter._write_pkg_rels(collected, package.rels)
    PackageWriter._write_parts(collected, package.parts)
    return collected.parts


# Per process: each template file prepared once (by path, size and modification time).
_PREPARED: dict[tuple[str, int, int], PreparedTemplate] = {}


def prepared(path: Path, env: Environment) -> PreparedTemplate:
    """The template at ``path``, prepared once per process (again when the file changes)."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    template = _PREPARED.get(key)
    if template is None:
        if len(_PREPARED) >= 64:  # a long `serve` with edited templates
            _PREPARED.clear()
        data = path.read_bytes()
        declared = doctype_parts(data)
        if declared:
            raise TemplateFailed(f"the template {path.name}: {doctype_message(declared)}")
        try:
            template = PreparedTemplate(data, env)
        except TemplateError:
            raise
        except Exception as exc:  # lxml, zipfile and python-docx raise many kinds
            raise TemplateFailed(
                f"the template {path.name} is not a readable Word document "
                f"({type(exc).__name__}: {exc})"
            ) from None
        _PREPARED[key] = template
    return template


_DOCTYPES = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
_SCAN_LIMIT = 512 * 1024 * 1024  # uncompressed bytes looked at, over all parts
_CHUNK = 1024 * 1024


def doctype_parts(data: bytes) -> list[str]:
    """The parts of a .docx that declare a DOCTYPE. Word never writes one; it is how an XML
    file declares entities (an external one reads a file, many nested ones fill the memory),
    so a template with one is refused before any XML parser sees it. Parts are read in
    chunks (a DOCTYPE may follow a long comment); past the limit the rest counts as one."""
    found: list[str] = []
    budget = _SCAN_LIMIT
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                tail = b""
                with archive.open(info) as part:
                    while chunk := part.read(_CHUNK):
                        budget -= len(chunk)
                        window = tail + chunk
                        if budget < 0 or any(mark in window for mark in _DOCTYPES):
                            found.append(info.filename)
                            break
                        tail = window[-32:]
                if budget < 0:
                    break
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return found  # not a zip at all: reported as such where it is opened
    return found


def doctype_message(parts: list[str]) -> str:
    return (
        f"{', '.join(parts)} declares a DOCTYPE (XML entities), which Word never writes; "
        "save the template again from Word"
    )


# ---------------------------------------------------------------------------------------------
# Deterministic ZIP


@dataclass(frozen=True)
class _Entry:
    """A part compressed for the ZIP: its size, CRC and deflated bytes."""

    size: int
    crc: int
    packed: bytes

    @classmethod
    def of(cls, data: bytes, shared: bool = True) -> _Entry:
        return cls(len(data), *_deflated(data, shared))


def zip_parts(parts: dict[str, bytes]) -> bytes:
    """The parts as a ZIP, byte for byte what :mod:`zipfile` writes with fixed dates and
    level 9 compression."""
    return zip_entries({name: _Entry.of(data) for name, data in parts.items()})


def zip_entries(entries: dict[str, _Entry]) -> bytes:
    names = sorted(entries, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    central = []
    for name in names:
        entry = entries[name]
        encoded = name.encode("ascii")
        offset = out.tell()
        head = (20, 0, 0, zipfile.ZIP_DEFLATED, 0, _DOS_DATE, entry.crc, len(entry.packed))
        out.write(struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", *head, entry.size, len(encoded), 0))
        out.write(encoded)
        out.write(entry.packed)
        central.append(
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\x01\x02",
                20,
                0,
                *head,
                entry.size,
                len(encoded),
                0,
                0,
                0,
                0,
                _EXTERNAL_ATTR,
                offset,
            )
            + encoded
        )
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    count = len(central)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()


# What zipfile writes for an entry added with writestr (rw-------), kept so the bytes match.
_EXTERNAL_ATTR = 0o600 << 16
_DOS_DATE = (ZIP_EPOCH[0] - 1980) << 9 | ZIP_EPOCH[1] << 5 | ZIP_EPOCH[2]
# Compressed parts seen in this process, by content: a composed signing package repeats the
# large parts of its documents' template.
_DEFLATED: dict[bytes, tuple[int, bytes]] = {}
_SHARED_SIZE = 8192  # smaller parts are compressed each time


def _deflated(data: bytes, shared: bool = True) -> tuple[int, bytes]:
    key = b""
    if shared and len(data) >= _SHARED_SIZE:
        key = hashlib.sha1(data, usedforsecurity=False).digest()
    known = _DEFLATED.get(key) if key else None
    if known is None:
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        known = (zlib.crc32(data), compressor.compress(data) + compressor.flush())
        if key and len(_DEFLATED) < 256:
            _DEFLATED[key] = known
    return known


def normalise_docx(data: bytes) -> bytes:
    """Re-zip a .docx deterministically: fixed dates, sorted entries, fixed compression."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return zip_parts({name: source.read(name) for name in source.namelist()})
