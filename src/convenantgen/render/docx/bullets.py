"""Bullets as real text: list bullets a PDF's text and a screen reader read as "•".

Word's own templates (and python-docx's default, the start of the bundled ones) draw a bullet
as the character U+F0B7 in the Symbol font: a code point of the private use area that only
that font's glyph makes a dot of. LibreOffice exports it as it is, so text extraction, search
and screen readers of the PDF get an unknown character where a list item starts (PDF/UA wants
the real character). :func:`plain_bullets` rewrites, in a template's list numbering, every
bullet level whose text is such a private character (Symbol, Wingdings, ...) to "•" (U+2022)
in the template's body font, which has it. A bullet that is already a real character is kept.
"""

from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from .slim import _related, w

BULLET = "\u2022"
# Unicode's private use area (the BMP part): what symbol fonts map their glyphs to.
_PRIVATE = range(0xE000, 0xF900)
_FONT_ATTRS = ("ascii", "hAnsi", "cs", "eastAsia")


def _private(text: str) -> bool:
    return any(ord(c) in _PRIVATE for c in text)


def body_font(styles: etree._Element | None) -> str | None:
    """The font of the default paragraph style, else of the document defaults (None: none
    named, so a level without a font of its own takes the paragraph's)."""
    if styles is None:
        return None
    places = [
        s.find(f"{w('rPr')}/{w('rFonts')}")
        for s in styles.findall(w("style"))
        if s.get(w("type")) == "paragraph" and s.get(w("default")) in ("1", "true", "on")
    ]
    places.append(styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('rFonts')}"))
    for fonts in places:
        if fonts is not None and fonts.get(w("ascii")):
            return fonts.get(w("ascii"))
    return None


def plain_bullets(document) -> None:
    """Make every bullet of a python-docx ``Document``'s numbering a "•" in its body font."""
    part = document.part
    numbering = _related(part, RT.NUMBERING)
    if numbering is None:
        return
    styles = _related(part, RT.STYLES)
    font = body_font(styles.element if styles is not None else None)
    for lvl in numbering.element.iter(w("lvl")):
        fmt, text = lvl.find(w("numFmt")), lvl.find(w("lvlText"))
        if fmt is None or fmt.get(w("val")) != "bullet" or text is None:
            continue
        if not _private(text.get(w("val")) or ""):
            continue
        text.set(w("val"), BULLET)
        rpr = lvl.find(w("rPr"))
        fonts = rpr.find(w("rFonts")) if rpr is not None else None
        if fonts is None:
            continue
        if font is None:
            rpr.remove(fonts)  # the paragraph's font, which has "•"
            continue
        for attr in list(fonts.attrib):
            del fonts.attrib[attr]
        for attr in _FONT_ATTRS:
            fonts.set(w(attr), font)
