"""Lean Word templates: only the styles in use, bundled or a project's, and nothing Word-only."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from lxml import etree
from test_render_docx import CONTENT, docx_text, load
from test_wordtemplate import render_project

from convenantgen.context.dossier import build_context
from convenantgen.render.docx.render import TEMPLATES, render_documents
from convenantgen.resources import templates_dir

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ROOT = Path(__file__).resolve().parents[1]
WORD_ONLY = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def styles_of(files: dict[str, bytes]) -> dict[str, etree._Element]:
    root = etree.fromstring(files["word/styles.xml"])
    return {s.get(w("styleId")): s for s in root.iter(w("style"))}


def references(files: dict[str, bytes]) -> set[str]:
    """Style ids the parts refer to: body, headers, footers, notes, numbering and settings."""
    found = set()
    for name, data in files.items():
        if name.startswith("word/") and name.endswith(".xml") and "styles" not in name:
            root = etree.fromstring(data)
            for tag in ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink"):
                found |= {e.get(w("val")) for e in root.iter(w(tag))}
    return found


def reachable(styles: dict[str, etree._Element], start: set[str]) -> set[str]:
    """``start``, the defaults, and every style they are based on, linked to or followed by."""
    todo = set(start) | {sid for sid, s in styles.items() if s.get(w("default")) == "1"}
    seen: set[str] = set()
    while todo:
        sid = todo.pop()
        if sid in seen or sid not in styles:
            continue
        seen.add(sid)
        for tag in ("basedOn", "link", "next"):
            todo |= {e.get(w("val")) for e in styles[sid].iter(w(tag))}
    return seen


@pytest.mark.parametrize("name", sorted(TEMPLATES.values()))
def test_a_bundled_template_carries_no_unused_style(name):
    files = parts((templates_dir() / name).read_bytes())
    styles = styles_of(files)
    used = reachable(styles, references(files))
    assert set(styles) == used, f"unused: {sorted(set(styles) - used)}"
    assert {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"} <= set(styles)
    assert b"latentStyles" not in files["word/styles.xml"]
    assert not [n for n in files if n in WORD_ONLY or n.startswith("customXml/")]
    assert sum(len(d) for d in files.values()) < 60_000  # was 830 KB


def test_the_bundled_templates_are_what_make_templates_makes(tmp_path):
    script = ROOT / "scripts" / "make_templates.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True)
    for name in TEMPLATES.values():
        assert (tmp_path / name).read_bytes() == (templates_dir() / name).read_bytes(), name


@pytest.fixture(scope="module")
def almere():
    return load(CONTENT / "almere")


def test_every_style_a_rendered_document_uses_is_defined(almere):
    documents = render_documents(almere)
    assert {d.kind for d in documents} >= {"agreement", "accession-consent", "signature-pages"}
    for document in documents:
        files = parts(document.data)
        styles = styles_of(files)
        used = references(files)
        assert used and used <= set(styles), (document.name, used - set(styles))
        for style in styles.values():
            for tag in ("basedOn", "link", "next"):
                for ref in style.iter(w(tag)):
                    assert ref.get(w("val")) in styles, (document.name, ref.get(w("val")))


def word_template(path: Path, *, extra: str = "") -> Path:
    """A notice template the way Word or python-docx starts one: ~170 styles, latentStyles,
    stylesWithEffects.xml, a thumbnail and a bibliography in customXml. It uses Title, a
    numbered list, a style of its own and, in a branch no document takes, Quote."""
    document = docx.Document()
    own = document.styles.add_style("Eigen", WD_STYLE_TYPE.PARAGRAPH)
    own.base_style = document.styles["Intense Quote"]
    document.add_paragraph("{{ acc.notice_title }}", style="Title")
    document.add_paragraph("{%p for text in acc.notice %}")
    document.add_paragraph("{{ text }}", style="List Number")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{{ footer }}", style="Eigen")
    document.add_paragraph("{%p if false %}")
    document.add_paragraph("nooit", style="Quote")
    document.add_paragraph("{%p endif %}")
    if extra:
        document.add_paragraph(extra)
    document.save(str(path))
    return path


def render_notice(folder: Path, almere) -> dict[str, bytes]:
    accession = build_context(almere).accessions[0]
    context = {"acc": accession, "footer": accession.footer}
    data = render_project(folder, "staatscourant-notice", context)
    text = docx_text(data)
    assert accession.notice_title in text and accession.notice[0] in text
    return parts(data)


def test_a_project_template_is_rendered_lean(tmp_path, almere):
    source = parts(word_template(tmp_path / "staatscourant-notice.docx").read_bytes())
    assert len(styles_of(source)) > 150 and b"latentStyles" in source["word/styles.xml"]
    assert all(n in source for n in WORD_ONLY) and "customXml/item1.xml" in source

    files = render_notice(tmp_path, almere)
    styles = styles_of(files)
    expected = {"Title", "ListNumber", "Eigen", "Quote"}  # Quote: in the template, if unused
    expected |= {"IntenseQuote"}  # Eigen is based on it
    expected |= {"TitleChar", "QuoteChar", "IntenseQuoteChar"}  # linked
    expected |= {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}  # defaults
    expected |= {f"List{kind}{n}" for kind in ("Bullet", "Number") for n in ("", "2", "3")}
    assert set(styles) == expected
    assert b"latentStyles" not in files["word/styles.xml"]
    assert not [n for n in files if n in WORD_ONLY or n.startswith("customXml/")]
    assert b"stylesWithEffects" not in files["word/_rels/document.xml.rels"]
    assert b"thumbnail" not in files["[Content_Types].xml"] + files["_rels/.rels"]
    # Numbering is kept whole (documents of one family share it), and the styles it names;
    # only its bullets become real text (test_bullets.py).
    kept, had = (etree.fromstring(f["word/numbering.xml"]) for f in (files, source))
    for tag in ("abstractNum", "num", "lvl", "pStyle"):
        assert len(kept.findall(f".//{w(tag)}")) == len(had.findall(f".//{w(tag)}")), tag


def test_styles_stay_when_the_template_code_names_them(tmp_path, almere):
    word_template(
        tmp_path / "staatscourant-notice.docx",
        extra="{{ '<w:pStyle w:val=\"Heading5\"/>' if false else '' }}",
    )
    styles = styles_of(render_notice(tmp_path, almere))
    assert len(styles) > 150 and "Heading5" in styles


def test_field_styles_stay_with_a_table_of_contents(tmp_path, almere):
    path = word_template(tmp_path / "staatscourant-notice.docx")
    document = docx.Document(str(path))
    paragraph = document.add_paragraph()
    field = etree.SubElement(paragraph._p, w("fldSimple"))
    field.set(w("instr"), 'TOC \\o "1-3"')
    document.save(str(path))
    styles = styles_of(render_notice(tmp_path, almere))
    assert {"TOCHeading", "Caption"} <= set(styles)  # (no "toc 1" in this template)
    assert "Heading5" not in styles


def test_a_bound_custom_xml_store_stays(tmp_path, almere):
    path = word_template(tmp_path / "staatscourant-notice.docx")
    document = docx.Document(str(path))
    sdt = etree.SubElement(document.add_paragraph()._p, w("sdt"))
    binding = etree.SubElement(etree.SubElement(sdt, w("sdtPr")), w("dataBinding"))
    binding.set(w("xpath"), "/b:Sources[1]/@StyleName")
    binding.set(w("storeItemID"), "{EF278816-EC6F-A645-907D-7F25AECB1D4A}")
    run = etree.SubElement(etree.SubElement(sdt, w("sdtContent")), w("r"))
    etree.SubElement(run, w("t")).text = "APA"
    document.save(str(path))
    files = render_notice(tmp_path, almere)
    assert "customXml/item1.xml" in files and "customXml/itemProps1.xml" in files
    assert "word/stylesWithEffects.xml" not in files
