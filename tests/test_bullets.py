"""Bullets as real text (issue 20): every bullet of every generated Word document is "•"
(U+2022) in the body font, never Word's Symbol-font U+F0B7, which a PDF's text and a screen
reader get as an unknown private character. The bundled templates and a project's own
template made the way Word or python-docx starts one (Symbol bullets) alike; the PDF side is
in test_document_structure.py and test_real_covenant_overgewicht_vws.py.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from lxml import etree
from test_lean import render_notice, word_template
from test_render_docx import CONTENT, load

from convenantgen.render.docx.render import TEMPLATES, render_documents
from convenantgen.resources import templates_dir

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _bullet_levels(numbering: bytes) -> list[tuple[str, str | None]]:
    """(lvlText, font) of every bullet level of a numbering part."""
    root = etree.fromstring(numbering)
    levels = []
    for lvl in root.iterfind(".//w:lvl", NS):
        fmt = lvl.find("w:numFmt", NS)
        if fmt is None or fmt.get(f"{{{W}}}val") != "bullet":
            continue
        fonts = lvl.find("w:rPr/w:rFonts", NS)
        font = fonts.get(f"{{{W}}}ascii") if fonts is not None else None
        levels.append((lvl.find("w:lvlText", NS).get(f"{{{W}}}val"), font))
    return levels


@pytest.fixture(scope="module")
def almere():
    return load(CONTENT / "almere")


def _numbering(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/numbering.xml")


def test_the_bundled_templates_have_real_bullets():
    for name in TEMPLATES.values():
        levels = _bullet_levels(_numbering((templates_dir() / name).read_bytes()))
        assert levels, name
        assert set(levels) == {("•", "Calibri")}, (name, set(levels))


def test_every_generated_docx_has_real_bullets(almere):
    documents = render_documents(almere)
    assert {d.kind for d in documents} >= {"agreement", "accession-consent", "signature-pages"}
    for document in documents:
        levels = _bullet_levels(_numbering(document.data))
        assert levels and set(levels) == {("•", "Calibri")}, (document.name, set(levels))
    # The considerations are such a list: List Bullet paragraphs, numbered by those levels.
    agreement = next(d for d in documents if d.kind == "agreement")
    styles = [p.style.name for p in docx.Document(io.BytesIO(agreement.data)).paragraphs]
    assert "List Bullet" in styles


def test_a_project_template_with_symbol_bullets_gets_real_ones(tmp_path, almere):
    source = _numbering(word_template(tmp_path / "staatscourant-notice.docx").read_bytes())
    assert ("\uf0b7", "Symbol") in _bullet_levels(source)  # as Word and python-docx make them
    files = render_notice(tmp_path, almere)
    levels = _bullet_levels(files["word/numbering.xml"])
    # The template's body font (python-docx's default names none, so the paragraph's).
    assert levels and {text for text, _ in levels} == {"•"}, levels
    assert "\uf0b7" not in files["word/numbering.xml"].decode("utf-8")
