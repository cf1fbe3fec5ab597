"""Word numbering of an agreement's articles: list numbering, bookmarks and REF fields.

The generated number stays the truth: for every numbered paragraph of every bundled agreement,
the number Word shows (computed from ``numbering.xml`` and the paragraph's ``numPr``) is the
number the model generated, and the paragraph reads as the typed text did. The PDF that
LibreOffice makes of the document says the same as the typed text.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from lxml import etree

from convenantgen.context.dossier import build_context
from convenantgen.read.load import load_content
from convenantgen.render.docx import render as docx_render
from convenantgen.render.docx.compose import ComposeInput, compose
from convenantgen.render.docx.numbering import (
    NUMBERING,
    W,
    bookmark_name,
    paragraph_text,
    plan,
    shown_labels,
    shown_numbers,
    shown_text,
)
from convenantgen.render.docx.render import agreement_documents
from convenantgen.render.pdf.convert import convert_to_pdf

CONTENT = Path(__file__).resolve().parents[1] / "content"
WORD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def parts_of(data: bytes) -> tuple[etree._Element, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml")), etree.fromstring(z.read(NUMBERING))


def bundled_agreements(loaded):
    assert not loaded.failed(), [d.message for d in loaded.report.errors]
    return [(d, a) for d in loaded.dossiers for a in build_context(d).agreements]


@pytest.fixture(scope="module")
def agreements(bundled_loaded):
    """(agreement context, its rendered .docx) for every agreement of the bundled dossiers."""
    return [(a, agreement_documents(a)[0].data) for _, a in bundled_agreements(bundled_loaded)]


@pytest.fixture(scope="module")
def almere_addendum(agreements):
    return next((a, data) for a, data in agreements if a.id == "addendum-2024")


def check_numbers(a, data: bytes) -> list:
    """Every item of the plan is numbered by Word with the generated number, and reads as the
    typed heading did; returns the plan."""
    document, numbering = parts_of(data)
    shown = shown_numbers(document, numbering)
    by_name = {}
    for p, label, suffix in shown_labels(document, numbering):
        for start in p.iter(q("bookmarkStart")):
            by_name.setdefault(start.get(q("name")), (p, label, suffix))
    items = plan(a)
    assert items
    for item in items:
        name = bookmark_name(item.id)
        assert name in shown, f"{a.id}: no bookmark for {item.id}"
        p, label, suffix = by_name[name]
        # The number Word shows contains the generated number, as the typed text had it...
        assert label, f"{a.id}: {item.text!r} is not numbered by Word"
        assert re.search(rf"(?<![\w.]){re.escape(item.number)}(?![\w]|\.\d)", label), (
            label,
            item.number,
        )
        assert item.text.startswith(label)
        # ...and number, separator and text read as the typed paragraph did (a clause's
        # first paragraph: "2.1.<tab>" and its text, references as their cached results).
        text = paragraph_text(p)
        assert label + (suffix if text else "") + text == item.text
        assert not text.startswith(label)  # the typed number is gone from the text itself
    return items


def test_every_bundled_article_is_numbered_by_word_with_the_generated_number(agreements):
    kinds = set()
    for a, data in agreements:
        items = check_numbers(a, data)
        kinds |= {(i.family, i.level) for i in items}
    # Sections, clauses, articles, members and measures all occur in the bundled dossiers.
    assert kinds == {
        ("sections", 0),
        ("sections", 1),
        ("articles", 0),
        ("articles", 1),
        ("measures", 0),
        ("definitions", 0),
    }


def test_paragraph_text_as_word_shows_it_is_the_typed_text(almere_addendum, agreements):
    a, data = almere_addendum
    lines = shown_text(data)
    for heading in (
        "1. Definities",
        "2. Hernieuwde maatregelen",
        "Artikel 3 Maatregelen en resultaten",
        "Artikel 3.1",
        "Artikel 3.2 Onderwijsregio Almere",
        "Maatregel A: Opzetten gezamenlijk begeleidingsprogramma voor nieuwe talenten binnen "
        "het onderwijs",
        "Maatregel E: Zij-instroom",
    ):
        assert heading in lines, heading
    assert "2.1.\tArtikel 3 van het Convenant komt te luiden:" in lines
    # python-docx, which knows no list numbering, sees the headings without their numbers.
    plain = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "Maatregelen en resultaten" in plain and "Definities" in plain
    assert "Artikel 3 Maatregelen en resultaten" not in plain


def test_headings_keep_their_heading_styles_and_articles_start_at_their_number(
    almere_addendum,
):
    a, data = almere_addendum
    document, numbering = parts_of(data)
    styles = {}
    nums = {}
    for p in document.iter(q("p")):
        names = [b.get(q("name")) for b in p.iter(q("bookmarkStart"))]
        style = p.find(f"{q('pPr')}/{q('pStyle')}")
        numpr = p.find(f"{q('pPr')}/{q('numPr')}")
        for name in names:
            styles[name] = style.get(q("val")) if style is not None else ""
            if numpr is not None:
                nums[name] = numpr.find(q("numId")).get(q("val"))
    assert styles[bookmark_name("hernieuwde-maatregelen")] == "Heading1"
    assert styles[bookmark_name("convenant-maatregelen")] == "Heading2"
    assert styles[bookmark_name("artikel-3-maatregelen")] == "Heading3"
    assert styles[bookmark_name("begeleidingsprogramma")] == "Heading4"
    # The addendum's article 3 (the covenant's number) is a list of its own that starts at 3:
    # an explicit w:num with a startOverride and a level text from the wording.
    num_id = nums[bookmark_name("convenant-maatregelen")]
    num = next(n for n in numbering.iter(q("num")) if n.get(q("numId")) == num_id)
    overrides = {
        o.get(q("ilvl")): o.find(q("startOverride")).get(q("val"))
        for o in num.iter(q("lvlOverride"))
    }
    assert overrides["0"] == "3"
    abstract_id = num.find(q("abstractNumId")).get(q("val"))
    abstract = next(
        x for x in numbering.iter(q("abstractNum")) if x.get(q("abstractNumId")) == abstract_id
    )
    texts = {
        lv.get(q("ilvl")): lv.find(q("lvlText")).get(q("val")) for lv in abstract.iter(q("lvl"))
    }
    assert texts["0"] == "Artikel %1" and texts["1"] == "Artikel %1.%2"
    # The member 3.1 is in the same list as its article.
    assert nums[bookmark_name("artikel-3-maatregelen")] == num_id
    # The definitions g. and h. added to the covenant's article 1 (a-f): a lowerLetter list
    # from 7.
    definition = nums[bookmark_name("versneld-voor-de-klas")]
    num = next(n for n in numbering.iter(q("num")) if n.get(q("numId")) == definition)
    assert num.find(f"{q('lvlOverride')}/{q('startOverride')}").get(q("val")) == "7"
    abstract_id = num.find(q("abstractNumId")).get(q("val"))
    abstract = next(
        x for x in numbering.iter(q("abstractNum")) if x.get(q("abstractNumId")) == abstract_id
    )
    level = abstract.find(q("lvl"))
    assert level.find(q("numFmt")).get(q("val")) == "lowerLetter"
    assert level.find(q("lvlText")).get(q("val")) == "%1."
    assert nums[bookmark_name("zij-instromer")] == definition
    lines = shown_text(data)
    assert any(line.startswith("g.\tVersneld voor de Klas: traject waarbij") for line in lines)
    assert any(line.startswith("h.\tZij-instromer: degene die") for line in lines)


def test_bookmarks_are_word_valid_and_unique(agreements):
    for _, data in agreements:
        document, _ = parts_of(data)
        names = [b.get(q("name")) for b in document.iter(q("bookmarkStart"))]
        ids = [b.get(q("id")) for b in document.iter(q("bookmarkStart"))]
        assert len(set(names)) == len(names) and len(set(ids)) == len(ids)
        for name in names:
            assert WORD_NAME.match(name), name
        ends = {e.get(q("id")) for e in document.iter(q("bookmarkEnd"))}
        assert set(ids) <= ends
    long = bookmark_name("een-heel-lang-artikel-id-dat-niet-in-veertig-tekens-past")
    assert WORD_NAME.match(long) and len(long) == 40
    assert long != bookmark_name("een-heel-lang-artikel-id-dat-niet-in-veertig-tekens-past-2")


def fields(document: etree._Element) -> list[tuple[str, str]]:
    """Each complex field of the body: its instruction and its cached result."""
    out = []
    for p in document.iter(q("p")):
        state, code, result = None, "", ""
        for run in p.iter(q("r")):
            char = run.find(q("fldChar"))
            kind = char.get(q("fldCharType")) if char is not None else None
            if kind == "begin":
                state, code, result = "code", "", ""
            elif kind == "separate":
                state = "result"
            elif kind == "end":
                out.append((code.strip(), result))
                state = None
            elif state == "code":
                code += "".join(t.text or "" for t in run.iter(q("instrText")))
            elif state == "result":
                result += "".join(t.text or "" for t in run.iter(q("t")))
    return out


def test_cross_references_are_ref_fields_with_the_generated_text(almere_addendum):
    a, data = almere_addendum
    document, _ = parts_of(data)
    found = fields(document)
    member = bookmark_name("artikel-3-maatregelen")
    clause = bookmark_name("toetreding-schoolbesturen")
    # "onder artikel 3.1": the reference reads as the member's number with its words, so
    # the field is the whole reference, lower case as the text has it.
    assert (f"REF {member} \\r \\h \\* Lower", "artikel 3.1") in found
    # "in artikel 3.1" to clause 3.1, whose number has no words: the field is the number.
    assert (f"REF {clause} \\r \\t \\h", "3.1") in found
    names = {b.get(q("name")) for b in document.iter(q("bookmarkStart"))}
    for code, _ in found:
        assert code.split()[1] in names  # every field points at a bookmark of the document
    # The texts read as generated, before any field is updated.
    text = "\n".join(shown_text(data))
    assert "De uitvoering van de onder artikel 3.1 genoemde maatregelen" in text
    assert "soortgelijk proces als beschreven in artikel 3.1;" in text
    spans = sum(len(r.spans) for r in a.references)
    assert len(found) == spans == 2


def test_references_to_another_document_stay_text(agreements):
    # The 2017 addendum refers to articles of the agreement it amends: no bookmark here.
    a, data = next((a, d) for a, d in agreements if a.id == "addendum-2017")
    assert sum(len(r.spans) for r in a.references) == 4
    document, _ = parts_of(data)
    assert fields(document) == []


def test_same_input_gives_identical_bytes(almere_addendum):
    a, data = almere_addendum
    assert agreement_documents(a)[0].data == data


def test_members_added_to_an_article_continue_its_numbering(tmp_path: Path):
    """An addendum that adds members to the covenant's article 3 (which has two, and letters
    four measures) numbers them 3.3 and 3.4 and its measures on from E: the lists start
    there."""
    folder = tmp_path / "almere"
    shutil.copytree(CONTENT / "almere", folder)
    covenant = folder / "convenant.yaml"
    text = covenant.read_text(encoding="utf-8")
    old = '    number: "3"\n    title: Maatregelen en resultaten\n'
    assert old in text
    covenant.write_text(text.replace(old, old + "    parts: 2\n    measures: 4\n"), "utf-8")
    addendum = folder / "addendum.yaml"
    text = addendum.read_text(encoding="utf-8")
    old = "amend: {article: convenant-maatregelen, action: replace}"
    assert old in text
    addendum.write_text(text.replace(old, old.replace("replace", "add")), "utf-8")
    loaded = load_content(folder)
    assert not loaded.failed(), [d.message for d in loaded.report.errors]
    (a,) = build_context(loaded.dossiers[0]).agreements
    data = agreement_documents(a)[0].data
    items = check_numbers(a, data)
    numbers = {i.id: i.number for i in items}
    assert numbers["artikel-3-maatregelen"] == "3.3"
    assert numbers["artikel-3-onderwijsregio"] == "3.4"
    assert numbers["begeleidingsprogramma"] == "E"
    lines = shown_text(data)
    assert "Artikel 3.3" in lines and "Artikel 3.4 Onderwijsregio Almere" in lines
    assert any(line.startswith("Maatregel E: Opzetten gezamenlijk") for line in lines)
    document, numbering = parts_of(data)
    starts = {
        (o.get(q("ilvl")), o.find(q("startOverride")).get(q("val")))
        for o in numbering.iter(q("lvlOverride"))
    }
    assert ("1", "3") in starts  # members from 3.3
    assert ("0", "5") in starts  # measures from E


def test_a_number_word_cannot_show_stays_typed(almere_addendum):
    """A number no list level can show ("3a", and so its members "3a.1") stays typed text
    with its bookmark; a reference to it stays text."""
    a, _ = almere_addendum
    sections = list(a.sections)
    second = sections[1]
    clause = second.clauses[0]
    article = replace(clause.article, heading="Artikel 3a Maatregelen en resultaten")
    parts = tuple(
        replace(p, number=p.number.replace("3.", "3a."), heading=p.heading.replace("3.", "3a."))
        for p in article.parts
    )
    article = replace(article, parts=parts)
    sections[1] = replace(second, clauses=(replace(clause, article=article), *second.clauses[1:]))
    anchors = tuple(replace(x, number="3a") if x.clause == clause.id else x for x in a.articles)
    changed = replace(a, sections=tuple(sections), articles=anchors)
    data = agreement_documents(changed)[0].data
    lines = shown_text(data)
    assert "Artikel 3a Maatregelen en resultaten" in lines
    assert "Artikel 3a.1" in lines
    document, numbering = parts_of(data)
    shown = shown_numbers(document, numbering)
    assert shown[bookmark_name("convenant-maatregelen")] == ""  # typed, not a list number
    assert shown[bookmark_name("artikel-3-maatregelen")] == ""
    assert shown[bookmark_name("hernieuwde-maatregelen")] == "2."
    # The reference to the typed member is no field: Word has no paragraph number for it.
    assert all("artikel_3_maatregelen" not in code for code, _ in fields(document))


def test_the_composed_document_for_the_pdf_has_the_text_and_no_fields(almere_addendum):
    a, data = almere_addendum
    composed = compose([ComposeInput(data)]).docx
    document, _ = parts_of(composed)
    assert fields(document) == []
    names = [b.get(q("name")) for b in document.iter(q("bookmarkStart"))]
    assert not [n for n in names if n.startswith("cv_")]
    text = "\n".join(shown_text(composed))
    assert "De uitvoering van de onder artikel 3.1 genoemde maatregelen" in text
    assert "Artikel 3.2 Onderwijsregio Almere" in text


def pdf_lines(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return [" ".join(line.split()) for line in out.stdout.decode("utf-8").splitlines()]


@pytest.mark.libreoffice
def test_libreoffice_pdf_reads_as_the_typed_text(
    tmp_path: Path, almere_addendum, agreements, monkeypatch
):
    """The PDF LibreOffice makes of the numbered documents (composed, as the build converts
    them) has the same text, numbers and references as that of the typed numbers."""
    names = ("addendum-2024", "samenwerkingsovereenkomst")
    numbered = [(a, d) for a, d in agreements if a.id in names]
    monkeypatch.setattr(docx_render, "agreement_hook", lambda a: None)
    typed = [agreement_documents(a)[0].data for a, _ in numbered]
    monkeypatch.undo()
    files = []
    for kind, docs in (("nummers", [d for _, d in numbered]), ("tekst", typed)):
        for (a, _), data in zip(numbered, docs, strict=True):
            # The typed version has no article bookmarks; the numbered one has.
            document, _ = parts_of(data)
            bookmarks = [b.get(q("name")) for b in document.iter(q("bookmarkStart"))]
            assert any(n.startswith("cv_") for n in bookmarks) == (kind == "nummers")
            path = tmp_path / f"{a.id}-{kind}.docx"
            path.write_bytes(compose([ComposeInput(data)]).docx)
            files.append(path)
    pdfs = convert_to_pdf(files, tmp_path / "pdf", jobs=1)
    numbered_pdfs, typed_pdfs = pdfs[: len(names)], pdfs[len(names) :]
    for new, old in zip(numbered_pdfs, typed_pdfs, strict=True):
        assert pdf_lines(new) == pdf_lines(old)
    lines = pdf_lines(numbered_pdfs[0])
    for expected in (
        "1. Definities",
        "Artikel 3 Maatregelen en resultaten",
        "Artikel 3.1",
        "Artikel 3.2 Onderwijsregio Almere",
        "Maatregel E: Zij-instroom",
    ):
        assert expected in lines, expected
    assert any(line.startswith("2.1. Artikel 3 van het Convenant komt te luiden") for line in lines)
    assert any("onder artikel 3.1 genoemde" in line for line in lines)
