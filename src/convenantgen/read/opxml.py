"""Read a Staatscourant publication in OP-XML (``<officiele-publicatie>``), once for every user.

KOOP serves each publication as OP-XML (``zoek.officielebekendmakingen.nl/stcrt-YYYY-N.xml``).
Two commands read it: ``import`` wants its paragraphs (the text as blocks, list items marked,
"Artikel 1 ..." headings joined), ``publication verify`` its number, date and printed words.
:func:`read_opxml` gives both from one parse.

A published file is data from outside: a document type declaration or an entity is refused
before parsing, and lxml runs without network, DTD loading or entity expansion, so nothing is
fetched and nothing expands. Every problem is an :class:`OpXmlError` naming the file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import ConvenantgenError
from ..model.dates import parse_iso_date

ROOT = "officiele-publicatie"
_STCRT_RE = re.compile(r"\bstcrt-(\d{4})-(\d+)\b")
_DATE_FIELDS = ("DCTERMS.available", "OVERHEIDop.datumPublicatie", "DCTERMS.issued")
_DECLARATION_RE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)

# Paragraph structure: elements whose text is one paragraph; "kop" joins label, number and
# title ("Artikel 1 Definities"). Notes and images are no part of the text.
_BLOCKS = {"al", "tussenkop", "titel", "kop", "tekstregel", "regel", "li"}
_SKIP_BLOCKS = {"metadata", "plaatje", "illustratie", "meta", "noot", "voetnoot"}
# Printed words: the metadata, and what describes an image (its alt text), are not printed.
_SKIP_WORDS = {"metadata", "meta", "illustratie", "plaatje"}
_NUMBERS = ("li.nr", "lidnr")
_UNMARKED = {"", "–", "-", "•", "—"}


class OpXmlError(ConvenantgenError):
    """The file cannot be read as a Staatscourant publication in OP-XML."""


@dataclass(frozen=True)
class Block:
    """One paragraph of the publication: its text, its place ("element 7") and whether it is
    an unnumbered list item."""

    text: str
    where: str
    bullet: bool = False


@dataclass(frozen=True)
class Publication:
    """What one OP-XML file says: its metadata, its Staatscourant number and date when the
    metadata names them, its paragraphs and its printed words (without the masthead)."""

    path: Path
    metadata: dict[str, str]
    identifier: str | None  # "stcrt-2015-47076"
    year: int | None
    number: str | None
    date: dt.date | None
    blocks: tuple[Block, ...]
    words: tuple[str, ...]


def read_opxml(path: Path) -> Publication:
    """Parse ``path`` safely; an :class:`OpXmlError` when it is no readable OP-XML."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OpXmlError(f"cannot read '{path}': {exc.strerror}") from None
    if _DECLARATION_RE.search(data):
        raise OpXmlError(
            f"'{path}' declares a document type or entities; Staatscourant XML has none"
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise OpXmlError(f"'{path}' is not well-formed XML: {exc}") from None
    if _local(root) != ROOT:
        raise OpXmlError(
            f"'{path}' is not a published Staatscourant file: its root element is "
            f"<{_local(root)}>, not <{ROOT}> (OP-XML)"
        )
    meta = _metadata(root)
    identifier, year, number = None, None, None
    for value in [meta.get("DC.identifier", ""), *meta.values()]:
        if match := _STCRT_RE.search(value):
            identifier, year, number = match.group(0), int(match.group(1)), match.group(2)
            break
    day = None
    for name in _DATE_FIELDS:
        if name in meta:
            day, _ = parse_iso_date(meta[name][:10])
            if day is not None:
                break
    found = root.find("staatscourant")  # the body without the paper's masthead
    body = found if found is not None else root
    words = tuple(w for text in _texts(body) for w in text.split())
    return Publication(path, meta, identifier, year, number, day, _blocks(root), words)


def _local(element) -> str:
    return etree.QName(element).localname


def clean(text: str) -> str:
    """White space as printed: no-break spaces and tabs are spaces, soft hyphens go."""
    text = text.replace("\u00a0", " ").replace("\u00ad", "").replace("\t", " ")
    return re.sub(r"\s+", " ", text).strip()


def _metadata(root) -> dict[str, str]:
    out: dict[str, str] = {}
    for element in root.iter("meta", "metadata"):
        name, content = element.get("name"), element.get("content")
        if name and content is not None:
            out.setdefault(name, content)
    return out


def _texts(element):
    if not isinstance(element.tag, str):  # comments, processing instructions
        return
    if _local(element) in _SKIP_WORDS:
        if element.tail:
            yield element.tail
        return
    if element.text:
        yield element.text
    for child in element:
        yield from _texts(child)
    # A block ends a word: <al>één</al><al>twee</al> are two words.
    yield " "
    if element.tail:
        yield element.tail


def _blocks(root) -> tuple[Block, ...]:
    out: list[Block] = []

    def emit(text: str, bullet: bool = False) -> None:
        out.append(Block(text, f"element {len(out) + 1}", bullet))

    def walk(element, top: bool) -> None:
        if not isinstance(element.tag, str):
            return
        tag = _local(element)
        if tag in _SKIP_BLOCKS or (top and tag == "kop"):  # the paper's own masthead
            return
        if tag in ("li", "lid"):
            number = next((c for c in _children(element) if _local(c) in _NUMBERS), None)
            label = clean("".join(number.itertext())) if number is not None else ""
            bullet = tag == "li" and label in _UNMARKED
            if tag == "lid" and label and not label.endswith("."):
                label += "."  # "1" -> "1." as the member number is printed
            first = True
            for child in _children(element):
                if _local(child) in _NUMBERS:
                    continue
                if _local(child) == "al" and first:
                    text = clean("".join(child.itertext()))
                    emit(text if bullet else f"{label} {text}", bullet)
                    first = False
                else:
                    walk(child, False)
            return
        if tag in _BLOCKS:
            if tag == "kop":
                text = " ".join(clean(t) for t in element.itertext() if clean(t))
            else:
                text = clean("".join(element.itertext()))
            emit(text)
            return
        if element.text and element.text.strip():
            emit(clean(element.text))  # loose text between blocks: kept, not dropped
        for child in _children(element):
            walk(child, tag == ROOT)

    walk(root, True)
    return tuple(out)


def _children(element):
    return [c for c in element if isinstance(c.tag, str)]
