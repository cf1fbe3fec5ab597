"""Active publication under the Woo: ``robots.txt``, a sitemap index and DiWoo sitemaps.

The Woo-index (open.overheid.nl) harvests an organisation's site from ``robots.txt`` to a
sitemap index to sitemaps whose ``<url>`` entries carry DiWoo metadata (standard 0.9.8,
namespace ``https://standaarden.overheid.nl/diwoo/metadata/``). One sitemap per dossier lists
its published documents (covenant, addenda, accession notices), each at the URL of its PDF on
the site, with the Woo category "convenanten", publisher and responsible body by TOOI URI,
official title, dates, the signatures as document actions, parties and related documents.

Sitemaps need absolute URLs, so without ``site.url`` in convenantgen.yml no sitemap is written
(``robots.txt`` still is) and :func:`woo_diagnostics` warns. URIs and labels below are values of
the DiWoo value lists (``diwoo-metadata-lijsten.xsd``), not wording: the standard fixes both.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import quote

from ..context.publication import ACCESSION_NOTICE, Organisation, PublishedDocument
from ..context.site import Download
from ..errors import Diagnostic, Severity, Where
from ..model.themes import THEMES

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
DIWOO_NS = "https://standaarden.overheid.nl/diwoo/metadata/"
ROBOTS_FILE = "robots.txt"
INDEX_FILE = "sitemapindex-woo.xml"

_THES = "https://identifier.overheid.nl/tooi/def/thes/kern/"
# Woo art. 3.3 lid 2 onder f: information category "convenanten" (scw_woo_informatiecategorieen).
CATEGORY = (_THES + "c_8fc2335c", "convenanten")
DOCUMENT_TYPE = (_THES + "c_386e74cb", "convenant")  # ccw_plooi_documentsoorten
SIGNING = (_THES + "c_e1ec050e", "ondertekening")  # ccw_plooi_documenthandelingen
RECEIPT = (_THES + "c_dfcee535", "ontvangst")
ESTABLISHED = (_THES + "c_641ecd76", "vaststelling")
REFERS_TO = (_THES + "c_75fac459", "verwijst naar")  # scw_documentrelatie
LANGUAGE = ("http://publications.europa.eu/resource/authority/language/NLD", "Nederlands")
FORMATS = {".pdf": ("http://publications.europa.eu/resource/authority/file-type/PDF", "PDF")}
# extraMetadata keys for what DiWoo 0.9.8 has no element for.
KEY_PARTY = "partij"
KEY_GROUND = "woo-weigeringsgrond"
KEY_PUBLISHED = "publicatiedatum-staatscourant"

ET.register_namespace("", SITEMAP_NS)
ET.register_namespace("diwoo", DIWOO_NS)


def sitemap_file(dossier_id: str) -> str:
    return f"sitemap-woo-{dossier_id}.xml"


def woo_diagnostics(site_url: str | None, settings_file: Path | None) -> list[Diagnostic]:
    """A warning when the site has no URL: its sitemaps and feed cannot be absolute."""
    if site_url:
        return []
    return [
        Diagnostic(
            Severity.WARNING,
            "site-url-missing",
            "site.url is not set: the site gets no Woo sitemaps and its feed links are "
            "relative; set site.url to the address where the site is published",
            Where(settings_file or Path("convenantgen.yml"), ("site",)),
            "site.url",
        )
    ]


def woo_files(
    documents: Iterable[PublishedDocument], downloads: Sequence[Download], site_url: str | None
) -> dict[str, str]:
    """``robots.txt``, and with a site URL the sitemap index and one sitemap per dossier.

    ``downloads`` are the build's manifest entries; a document is listed at its PDF, and a
    document without one (a build without PDFs) is left out: the Woo-index harvests files.
    """
    base = site_url.rstrip("/") + "/" if site_url else None
    robots = ["User-agent: *", "Allow: /"]
    if base is None:
        return {ROBOTS_FILE: "\n".join(robots) + "\n"}
    # The engine's own sitemap of the pages, and the Woo-index's entry point.
    robots += ["", f"Sitemap: {base}sitemap.xml", f"Sitemap: {base}{INDEX_FILE}"]
    files: dict[str, str] = {ROBOTS_FILE: "\n".join(robots) + "\n"}
    pdfs = {d.path for d in downloads if d.path.endswith(".pdf")}
    by_dossier: dict[str, list[tuple[PublishedDocument, str]]] = {}
    for doc in documents:
        path = f"{doc.dossier}/{doc.stem}.pdf"
        if path in pdfs and _actions(doc):  # DiWoo needs at least one dated action
            by_dossier.setdefault(doc.dossier, []).append((doc, base + "downloads/" + quote(path)))
    index = ET.Element(f"{{{SITEMAP_NS}}}sitemapindex")
    for dossier_id in sorted(by_dossier):
        entries = by_dossier[dossier_id]
        name = sitemap_file(dossier_id)
        files[name] = _xml(_urlset(entries))
        item = ET.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
        _text(item, f"{{{SITEMAP_NS}}}loc", base + name)
        last = max((_lastmod(doc) for doc, _ in entries), default=None)
        if last is not None:
            _text(item, f"{{{SITEMAP_NS}}}lastmod", last.isoformat())
    files[INDEX_FILE] = _xml(index)
    return files


def _xml(root: ET.Element) -> str:
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _text(parent: ET.Element, tag: str, text: str, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib)
    element.text = text
    return element


def _lastmod(doc: PublishedDocument) -> dt.date | None:
    return doc.published or doc.signed or doc.created


def _urlset(entries: list[tuple[PublishedDocument, str]]) -> ET.Element:
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for doc, loc in entries:
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        _text(url, f"{{{SITEMAP_NS}}}loc", loc)
        last = _lastmod(doc)
        if last is not None:
            _text(url, f"{{{SITEMAP_NS}}}lastmod", last.isoformat())
        url.append(diwoo_document(doc, loc))
    return urlset


def _d(name: str) -> str:
    return f"{{{DIWOO_NS}}}{name}"


def _organisation(parent: ET.Element, tag: str, org: Organisation) -> ET.Element:
    attrib = {"resource": org.tooi} if org.tooi else {}
    return _text(parent, _d(tag), org.name, **attrib)


def _coded(parent: ET.Element, tag: str, value: tuple[str, str]) -> ET.Element:
    return _text(parent, _d(tag), value[1], resource=value[0])


def _time(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00"


def diwoo_document(doc: PublishedDocument, loc: str) -> ET.Element:
    """The ``<diwoo:Document>`` of one published document at ``loc``."""
    document = ET.Element(_d("Document"))
    meta = ET.SubElement(document, _d("DiWoo"))
    ids = ET.SubElement(meta, _d("identifiers"))
    _text(ids, _d("identifier"), doc.identifier)
    _text(ids, _d("identifier"), loc)
    publisher = doc.publisher or doc.responsible or Organisation("")
    _organisation(meta, "publisher", publisher)
    if doc.responsible is not None:
        _organisation(meta, "verantwoordelijke", doc.responsible)
    # Government parties besides the responsible body share responsibility for the covenant.
    others = [
        p for p in doc.parties if p.tooi and (doc.responsible is None or p != doc.responsible)
    ]
    if others:
        group = ET.SubElement(meta, _d("medeverantwoordelijken"))
        for party in dict.fromkeys(others):
            _organisation(group, "medeverantwoordelijke", party)
    titles = ET.SubElement(meta, _d("titelcollectie"))
    _text(titles, _d("officieleTitel"), doc.title)
    if doc.summary:
        texts = ET.SubElement(meta, _d("omschrijvingen"))
        _text(texts, _d("omschrijving"), " ".join(doc.summary.split()))
    classes = ET.SubElement(meta, _d("classificatiecollectie"))
    _coded(ET.SubElement(classes, _d("informatiecategorieen")), "informatiecategorie", CATEGORY)
    if doc.kind != ACCESSION_NOTICE:
        _coded(ET.SubElement(classes, _d("documentsoorten")), "documentsoort", DOCUMENT_TYPE)
    if doc.themes:
        themes = ET.SubElement(classes, _d("themas"))
        for theme in doc.themes:
            _coded(themes, "thema", (THEMES[theme], theme))
    if doc.created is not None:
        _text(meta, _d("creatiedatum"), doc.created.isoformat())
    start, end = doc.in_force
    if start is not None or end is not None:
        valid = ET.SubElement(meta, _d("geldigheid"))
        if start is not None:
            _text(valid, _d("begindatum"), _time(start))
        if end is not None:
            _text(valid, _d("einddatum"), _time(end))
    _coded(meta, "language", LANGUAGE)
    _coded(meta, "format", FORMATS[".pdf"])
    actions = ET.SubElement(meta, _d("documenthandelingen"))
    for kind, day, who in _actions(doc):
        action = ET.SubElement(actions, _d("documenthandeling"))
        _coded(action, "soortHandeling", kind)
        _text(action, _d("atTime"), _time(day))
        if who is not None:
            _organisation(action, "wasAssociatedWith", who)
    related = [r for r in (doc.amends, doc.predecessor) if r is not None]
    if related:
        relations = ET.SubElement(meta, _d("documentrelaties"))
        for r in related:
            relation = ET.SubElement(relations, _d("documentrelatie"))
            _coded(relation, "role", REFERS_TO)
            attrib = {"resource": r.identifier} if r.identifier else {}
            _text(relation, _d("relation"), r.title, **attrib)
    extra = _extra(doc)
    if extra:
        block = ET.SubElement(document, _d("extraMetadata"))
        fields = ET.SubElement(block, _d("extraMetadatavelden"))
        for key, values in extra:
            field = ET.SubElement(fields, _d("extraMetadataveld"))
            _text(field, _d("key"), key)
            holder = ET.SubElement(field, _d("values"))
            for value in values:
                _text(holder, _d("value"), value)
    return document


def _actions(doc: PublishedDocument) -> list[tuple[tuple[str, str], dt.date, Organisation | None]]:
    """Signatures as 'ondertekening'; an accession notice starts with the request's receipt.
    DiWoo 0.9.8 has no action for publication: its date is extra metadata."""
    if doc.kind == ACCESSION_NOTICE and doc.created is not None:
        return [(RECEIPT, doc.created, doc.responsible)]
    if doc.signatures:
        return [(SIGNING, s.date, s.party) for s in doc.signatures]
    if doc.signed is not None:
        return [(SIGNING, doc.signed, None)]
    if doc.created is not None:
        return [(ESTABLISHED, doc.created, None)]
    return []


def _extra(doc: PublishedDocument) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    if doc.parties:
        out.append((KEY_PARTY, list(dict.fromkeys(p.name for p in doc.parties))))
    if doc.withheld:
        out.append((KEY_GROUND, [f"{w.ground}: {w.part}" for w in doc.withheld]))
    if doc.published is not None:
        out.append((KEY_PUBLISHED, [doc.published.isoformat()]))
    return out
