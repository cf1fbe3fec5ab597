"""The Staatscourant's metadata record of a publishable document (OEP, document type
"Convenanten").

Written beside each covenant, addendum and accession notice as ``<stem>-metadata.xml``, in the
form of the records KOOP publishes (``<metadata_gegevens>`` with one ``<metadata name scheme
content>`` per field): DC.creator, DC.identifier, DC.title, DC.type, DCTERMS.available,
DCTERMS.language, DCTERMS.publisher, OVERHEID.category, OVERHEID.organisationType and the
OVERHEIDop fields, with the signing date and the relations (replaces, relation) where known.

Fields that only exist after publication (number, volume, date available) are written once the
lifecycle records them (``convenantgen publication verify --record``); before that the record
carries the document's own identifier. Scheme names and fixed values are the OEP vocabulary,
not wording.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..context.publication import ACCESSION_NOTICE, Organisation, PublishedDocument
from ..model.publication import TOOI_REGISTERS, tooi_register

METADATA_SUFFIX = "-metadata.xml"
PUBLICATION_NAME = "Staatscourant"
DOCUMENT_TYPE = "Convenanten"  # OEP documentsoort staatscourant/convenanten
INFORMATION_TYPE = "officiële publicatie"
W3CDTF = "DCTERMS.W3CDTF"
# The scheme that names an organisation, by TOOI register.
_SCHEMES = {
    "ministerie": "OVERHEID.Ministerie",
    "gemeente": "OVERHEID.Gemeente",
    "provincie": "OVERHEID.Provincie",
    "waterschap": "OVERHEID.Waterschap",
    "zbo": "OVERHEID.Zbo",
    "oorg": "OVERHEID.Overigeorganisatie",
    "so": "OVERHEID.Samenwerkingsorganisatie",
    "col": "OVERHEID.CaribischOpenbaarLichaam",
}


def metadata_name(doc: PublishedDocument) -> str:
    """The record's path in the output: beside the document (its notice)."""
    return f"{doc.dossier}/{doc.stem}{METADATA_SUFFIX}"


def _scheme(org: Organisation | None) -> str:
    if org is None or org.tooi is None:
        return ""
    return _SCHEMES[tooi_register(org.tooi)]


def metadata_fields(doc: PublishedDocument) -> list[tuple[str, str, str]]:
    """(name, scheme, content) of every field the record carries, in the record's order."""
    creator = doc.responsible or doc.publisher
    publisher = doc.publisher or doc.responsible
    fields: list[tuple[str, str, str]] = [("DC.title", "", doc.title)]
    if creator is not None:
        fields.append(("DC.creator", _scheme(creator), creator.name))
    fields += [
        ("DC.type", "OVERHEID.Informatietype", INFORMATION_TYPE),
        ("DC.type", "OVERHEIDop.Staatscourant", DOCUMENT_TYPE),
    ]
    if publisher is not None:
        fields.append(("DCTERMS.publisher", _scheme(publisher), publisher.name))
    if creator is not None and creator.tooi is not None:
        kind = TOOI_REGISTERS[tooi_register(creator.tooi)]
        fields.append(("OVERHEID.organisationType", "OVERHEID.Organisatietype", kind))
    if doc.themes:
        fields.append(
            ("OVERHEID.category", "OVERHEID.TaxonomieBeleidsagenda", " | ".join(doc.themes))
        )
    fields.append(("DCTERMS.language", "DCTERMS.RFC4646", "nl"))
    fields.append(("OVERHEIDop.publicationName", "", PUBLICATION_NAME))
    if doc.citation is not None:
        fields += [
            ("DC.identifier", "OVERHEIDop.StcrtID", doc.identifier),
            ("OVERHEIDop.jaargang", W3CDTF, str(doc.citation.year)),
            ("OVERHEIDop.publicationIssue", "", doc.citation.number),
        ]
    else:
        fields.append(("DC.identifier", "", doc.identifier))
    if doc.published is not None:
        fields.append(("DCTERMS.available", W3CDTF, doc.published.isoformat()))
    if doc.signed is not None and doc.kind != ACCESSION_NOTICE:
        fields.append(("OVERHEIDop.datumOndertekening", W3CDTF, doc.signed.isoformat()))
    if doc.predecessor is not None and doc.predecessor.identifier:
        fields.append(("DCTERMS.replaces", "", doc.predecessor.identifier))
    if doc.amends is not None and doc.amends.identifier:
        fields.append(("DCTERMS.relation", "", doc.amends.identifier))
    return fields


def metadata_record(doc: PublishedDocument) -> bytes:
    """The record as UTF-8 XML; the same document gives the same bytes."""
    root = ET.Element("metadata_gegevens")
    for name, scheme, content in metadata_fields(doc):
        ET.SubElement(root, "metadata", {"name": name, "scheme": scheme, "content": content})
    ET.indent(root, space=" ")
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
    return text.encode("utf-8")
