"""Every Word document and PDF of the bundled build, checked for structure and accessibility.

One build of the bundled content (with PDFs, without the site) is made for the module; then,
for each DOCX: its properties come from the YAML (title, subject, the penvoerder as creator and
company, keywords, created = modified = a date of the dossier), headings go down one level at
a time, every bookmark is closed and every REF field names one, and the footer has the short
title, version and page fields. For each PDF (documents and signing packages): PDF/UA-1 and
PDF/A-2b by ``page`` (PyPI ``page-validation``, the best checker installable here; veraPDF is in
no registry), the PDF/A-1 checks of PDFBox Preflight (Debian ``libpdfbox2-java``: it knows only
PDF/A-1, so its one complaint, that the part is 2, is expected), and explicitly: the role map
remaps no standard type, headings in the structure tree without jumps, every signature widget
in a ``Form`` element with alternative text, the footer drawn as an artifact, language,
displayed title, PDF/UA identification, and Info that says what the DOCX's properties say.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import page
import pytest
from bundled import bundled_loaded
from lxml import etree
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject

from convenantgen.cli import main
from convenantgen.context.dossier import build_context
from convenantgen.model.derive import ActKind, agreement_stem, signatures_stem, signing_acts
from convenantgen.render.pdf.accessible import STANDARD_TYPES
from convenantgen.render.pdf.pdfa import pdfa_problems, xmp_value

pytestmark = pytest.mark.libreoffice

ROOT = Path(__file__).resolve().parents[1]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
}
# Below this height (points from the bottom of an A4 page: the bottom margin is 2.2 cm) only
# the footer is drawn.
FOOTER_TOP = 60.0
PREFLIGHT_JARS = ("preflight", "pdfbox2", "xmpbox", "fontbox2", "commons-logging")
PREFLIGHT_EXTRA = ("javax.activation", "jaxb-api")  # Java 11+ no longer ships these
# What PDFBox Preflight (PDF/A-1b only) says of a valid PDF/A-2b: nothing else may appear.
PREFLIGHT_EXPECTED = {"7.11.2 : Error on MetaData, part must be 1"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("structure") / "out"
    args = ["build", str(ROOT / "content"), "--out", str(out), "--no-site", "--no-cache"]
    assert main([*args, "--reference-date", "2026-12-01", "--quiet"]) == 0
    return out


def _files(out: Path, suffix: str) -> list[Path]:
    return sorted(p for p in out.rglob(f"*{suffix}") if p.is_file())


@cache
def _dossier_facts() -> dict[str, dict]:
    """Per dossier: its penvoerder's name, short title, and every date a document may carry
    (signing dates, starts of terms, accession requests, changes of the text in force)."""
    facts = {}
    for d in bundled_loaded().dossiers:
        days = {a.signing.date for a in d.agreements if a.signing and a.signing.date}
        days |= {doc.in_force.start for doc in d.documents if doc.in_force.start}
        days |= {a.requested for a in d.accessions}
        consolidation = build_context(d).consolidation
        days |= {c.day for c in consolidation.versions} if consolidation else set()
        penvoerder = d.penvoerder
        facts[d.id] = {
            "author": penvoerder.name if penvoerder else d.title,
            "short": d.display_title,
            "days": days,
        }
    return facts


# ---------------------------------------------------------------------------------------------
# Word


def _xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        return etree.fromstring(docx.read(name))


def _footers(data: bytes) -> list[etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        names = [n for n in docx.namelist() if re.fullmatch(r"word/footer\d*\.xml", n)]
        return [etree.fromstring(docx.read(n)) for n in names]


def _heading_level(paragraph: etree._Element, outline: dict[str, int]) -> int | None:
    style = paragraph.find("w:pPr/w:pStyle", NS)
    return outline.get(style.get(f"{{{W}}}val")) if style is not None else None


def _outline_levels(data: bytes) -> dict[str, int]:
    """Style id → heading level (1-based) for every style with an outline level."""
    levels = {}
    for style in _xml(data, "word/styles.xml").iterfind("w:style", NS):
        level = style.find("w:pPr/w:outlineLvl", NS)
        if level is not None:
            levels[style.get(f"{{{W}}}styleId")] = int(level.get(f"{{{W}}}val")) + 1
    return levels


def test_every_docx_has_its_properties_from_the_yaml(built):
    docs = _files(built, ".docx")
    assert len(docs) >= 40
    for path in docs:
        data = path.read_bytes()
        facts = _dossier_facts()[path.parent.name]
        core = _xml(data, "docProps/core.xml")
        value = {k: (core.findtext(k, namespaces=NS) or "").strip() for k in (
            "dc:title", "dc:subject", "dc:creator", "cp:keywords", "cp:lastModifiedBy",
            "dcterms:created", "dcterms:modified", "dc:identifier", "dc:language",
        )}  # fmt: skip
        assert value["dc:title"] and value["dc:subject"], path.name
        assert value["dc:creator"] == value["cp:lastModifiedBy"] == facts["author"], path.name
        assert value["cp:keywords"].startswith(f"convenant; {facts['short']}"), path.name
        assert value["dcterms:created"] == value["dcterms:modified"], path.name
        created = dt.date.fromisoformat(value["dcterms:created"][:10])
        assert created in facts["days"], (path.name, created)
        assert re.fullmatch(r"[0-9a-f]{12}", value["dc:identifier"]) and value["dc:language"]
        app = _xml(data, "docProps/app.xml")
        assert app.findtext("ep:Application", namespaces=NS) == "convenantgen"
        assert app.findtext("ep:Company", namespaces=NS) == facts["author"], path.name


def _shows_text(p) -> bool:
    """A heading shows something: its own text, or the number its Word list gives it (an
    untitled "Artikel 3.1" has no text of its own)."""
    return bool("".join(p.itertext()).strip()) or p.find("w:pPr/w:numPr", NS) is not None


def test_every_docx_has_headings_in_order_and_closed_bookmarks(built):
    for path in _files(built, ".docx"):
        data = path.read_bytes()
        outline = _outline_levels(data)
        body = _xml(data, "word/document.xml").find("w:body", NS)
        levels = [
            level
            for p in body.iter(f"{{{W}}}p")
            if (level := _heading_level(p, outline)) is not None and _shows_text(p)
        ]
        previous = 0
        for level in levels:
            assert level <= previous + 1, (path.name, levels)
            previous = level
        starts = {
            b.get(f"{{{W}}}id"): b.get(f"{{{W}}}name") for b in body.iter(f"{{{W}}}bookmarkStart")
        }
        ends = {b.get(f"{{{W}}}id") for b in body.iter(f"{{{W}}}bookmarkEnd")}
        assert set(starts) == ends, path.name
        assert len(set(starts.values())) == len(starts), path.name
        names = set(starts.values())
        for instr in body.iter(f"{{{W}}}instrText"):
            ref = re.match(r"\s*REF\s+(\S+)", instr.text or "")
            assert ref is None or ref.group(1) in names, (path.name, instr.text)


def test_every_docx_footer_has_title_version_and_page_fields(built):
    for path in _files(built, ".docx"):
        data = path.read_bytes()
        version = _xml(data, "docProps/core.xml").findtext("dc:identifier", namespaces=NS)
        short = _dossier_facts()[path.parent.name]["short"]
        (footer,) = _footers(data)
        text = "".join(footer.itertext())
        assert short in text and f"versie {version}" in text, (path.name, text)
        fields = {(i.text or "").strip() for i in footer.iter(f"{{{W}}}instrText")}
        fields |= {f.get(f"{{{W}}}instr", "").strip() for f in footer.iter(f"{{{W}}}fldSimple")}
        assert {"PAGE", "NUMPAGES"} <= fields, (path.name, fields)


# ---------------------------------------------------------------------------------------------
# PDF


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _elements(node, roles: dict) -> list[tuple[str, DictionaryObject]]:
    """The structure elements below ``node`` in document order, with their standard type."""
    out = []
    node = _resolve(node)
    if isinstance(node, ArrayObject):
        for kid in node:
            out += _elements(kid, roles)
    elif isinstance(node, DictionaryObject) and "/S" in node:
        kind = str(node["/S"])
        seen = set()
        while kind in roles and kind not in seen:  # the standard type it stands for
            seen.add(kind)
            kind = str(roles[kind])
        out.append((kind, node))
        out += _elements(node.get("/K"), roles)
    return out


def _parents(tree: DictionaryObject) -> dict[int, object]:
    found: dict[int, object] = {}
    stack = [tree.get("/ParentTree")]
    while stack:
        node = _resolve(stack.pop())
        if not isinstance(node, DictionaryObject):
            continue
        nums = node.get("/Nums") or []
        found.update((int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2))
        stack += list(node.get("/Kids") or [])
    return found


def _footer_outside_artifacts(reader: PdfReader) -> list[int]:
    """Pages where text below FOOTER_TOP is drawn outside an /Artifact sequence."""
    bad = []
    for number, pdf_page in enumerate(reader.pages):
        content = ContentStream(pdf_page.get_contents(), reader)
        marks: list[str] = []
        y = None
        for operands, op in content.operations:
            if op in (b"BDC", b"BMC"):
                marks.append(str(operands[0]))
            elif op == b"EMC" and marks:
                marks.pop()
            elif op == b"Td":
                y = float(operands[1])
            elif op == b"Tm":
                y = float(operands[5])
            elif (
                op in (b"Tj", b"TJ", b"'", b'"')
                and y is not None
                and y < FOOTER_TOP
                and "/Artifact" not in marks
            ):
                bad.append(number)
                break
    return bad


def test_every_pdf_is_tagged_for_pdf_ua(built):
    pdfs = _files(built, ".pdf")
    assert len(pdfs) >= 40 and any("ondertekenpakket" in p.name for p in pdfs)
    widgets = 0
    for path in pdfs:
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert str(root["/Lang"]).startswith("nl"), path.name
        assert root["/ViewerPreferences"]["/DisplayDocTitle"], path.name
        assert root["/MarkInfo"]["/Marked"], path.name
        xmp = etree.fromstring(root["/Metadata"].get_object().get_data())
        assert xmp_value_lxml(xmp, "http://www.aiim.org/pdfua/ns/id/", "part") == "1"
        tree = root["/StructTreeRoot"].get_object()
        roles = {str(k): v for k, v in (_resolve(tree.get("/RoleMap")) or {}).items()}
        assert not set(roles) & STANDARD_TYPES, (path.name, roles)
        elements = _elements(tree.get("/K"), roles)
        headings = [int(k[2]) for k, _ in elements if re.fullmatch(r"/H[1-6]", k)]
        # The letters and declarations have only a title; a document with headings starts at 1.
        assert not headings or headings[0] == 1, (path.name, headings)
        for before, after in zip(headings, headings[1:], strict=False):
            assert after <= before + 1, (path.name, headings)
        parents = _parents(tree)
        for pdf_page in reader.pages:
            for annot in pdf_page.get("/Annots") or []:
                annot = annot.get_object()
                if annot.get("/Subtype") != "/Widget":
                    continue
                widgets += 1
                assert pdf_page["/Tabs"] == "/S", path.name
                assert annot["/TU"], path.name
                form = _resolve(parents[int(annot["/StructParent"])])
                assert form["/S"] == "/Form" and str(form["/Alt"]) == str(annot["/TU"])
                # The object reference is the Form's /K itself: behind an array, pyHanko
                # counts a later signature's fill-in of the widget as a change beyond form
                # filling (tests/test_signatures_pki.py), and the earlier signatures fail.
                objr = form["/K"]
                assert isinstance(objr, DictionaryObject) and objr["/Type"] == "/OBJR"
                assert objr["/Obj"].get_object() is annot
                # In the document's element, after the text it signs, not at the tree's root.
                assert form["/P"].get_object()["/S"] == "/Document", path.name
        assert _footer_outside_artifacts(reader) == [], path.name
    assert widgets > 20  # every signatory of both signing packages of each dossier


def xmp_value_lxml(xmp: etree._Element, namespace: str, local: str) -> str | None:
    found = xmp.find(f".//{{{namespace}}}{local}")
    return found.text.strip() if found is not None and found.text else None


def test_every_pdf_says_what_its_docx_properties_say(built):
    for path in _files(built, ".pdf"):
        docx_path = path.with_suffix(".docx")
        if not docx_path.exists():
            continue  # a signing package: its first document's subject, its own title
        core = _xml(docx_path.read_bytes(), "docProps/core.xml")
        info = PdfReader(path).metadata
        assert info["/Title"] == core.findtext("dc:title", namespaces=NS), path.name
        assert info["/Subject"] == core.findtext("dc:subject", namespaces=NS), path.name
        assert info["/Author"] == core.findtext("dc:creator", namespaces=NS), path.name
        assert info["/Keywords"] == core.findtext("cp:keywords", namespaces=NS), path.name
        created = core.findtext("dcterms:created", namespaces=NS)
        assert info["/CreationDate"].startswith("D:" + created[:10].replace("-", "")), path.name


def _bullet_paragraphs(data: bytes) -> int:
    """How many paragraphs of a DOCX are list items with a bullet (a List Bullet style)."""
    body = _xml(data, "word/document.xml")
    return sum(
        1
        for style in body.iterfind(".//w:pPr/w:pStyle", NS)
        if style.get(f"{{{W}}}val", "").startswith("ListBullet")
    )


def test_every_pdf_bullet_is_real_text(built):
    """Bullets come out of the PDF as "•" (U+2022), never Word's Symbol-font U+F0B7, which
    text extraction and screen readers get as an unknown character (PDF/UA)."""
    with_bullets = 0
    for path in _files(built, ".pdf"):
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "\uf0b7" not in text, path.name
        docx_path = path.with_suffix(".docx")
        if docx_path.exists() and _bullet_paragraphs(docx_path.read_bytes()):
            with_bullets += 1
            assert re.search(r"^\u2022\s", text, re.M), path.name
    assert with_bullets  # the considerations of the bundled agreements are bulleted


def test_every_pdf_passes_the_pdf_ua_and_pdf_a_checkers(built):
    failed = {}
    for path in _files(built, ".pdf"):
        data = path.read_bytes()
        assert pdfa_problems(data) == [], path.name
        for profile in ("ua1", "2b"):
            report = page.validate_pdf_bytes(data, profile=profile)
            if not report.is_compliant:
                failed[f"{path.name} {profile}"] = [
                    f"{f.rule_id}: {f.message}" for f in report.failures
                ][:5]
    assert failed == {}, json.dumps(failed, indent=1)


def _preflight_classpath() -> str:
    folder = Path("/usr/share/java")
    jars = [folder / f"{name}.jar" for name in (*PREFLIGHT_JARS, *PREFLIGHT_EXTRA)]
    missing = [j.name for j in jars if not j.exists()]
    if missing or shutil.which("java") is None:
        pytest.fail(
            f"PDFBox Preflight needs Java and {', '.join(missing) or 'its jars'}: run "
            "scripts/system-deps.sh test",
            pytrace=False,
        )
    return ":".join(map(str, jars))


def test_pdfbox_preflight_finds_nothing_but_the_pdf_a_part(built):
    classpath = _preflight_classpath()
    # The first PDF of each kind (manifest.json) and every signing package: a Java start each.
    chosen: dict[str, Path] = {}
    for artifact in json.loads((built / "manifest.json").read_text())["artifacts"]:
        kind = artifact["kind"]
        if kind.endswith("-pdf") or kind == "signing-package":
            key = artifact["path"] if kind == "signing-package" else kind
            chosen.setdefault(key, built / artifact["path"])
    assert len(chosen) >= 6
    for path in chosen.values():
        result = subprocess.run(
            ["java", "-cp", classpath, "org.apache.pdfbox.preflight.Validator_A1b", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "not a valid PDF/A-1b file" in result.stdout, (path.name, result.stderr[-500:])
        errors = {line.strip() for line in result.stdout.splitlines()[1:] if line.strip()}
        assert errors <= PREFLIGHT_EXPECTED, (path.name, result.stdout)


def test_xmp_title_is_the_documents(built):
    # The title viewers show (DisplayDocTitle) is the document's own, in XMP as in Info.
    for path in _files(built, ".pdf"):
        reader = PdfReader(path)
        xmp = ElementTree.fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())
        assert xmp_value(xmp, "dc:title") == reader.metadata["/Title"], path.name


# ---------------------------------------------------------------------------------------------
# Page numbers, as the footers print them

PAGE_NUMBER = re.compile(r"pagina (\d+) van (\d+)")


def _printed_numbers(path: Path) -> list[tuple[int, int]]:
    """Per page of ``path``: the footer's "pagina X van Y", read from the text (pdftotext)."""
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    pages = done.stdout.split("\f")[: len(PdfReader(path).pages)]
    out = []
    for number, text in enumerate(pages, start=1):
        found = PAGE_NUMBER.findall(text)
        assert len(found) == 1, (path.name, number, found)
        out.append((int(found[0][0]), int(found[0][1])))
    return out


def _label_numbers(path: Path) -> list[int]:
    """The number at the end of each page's label (what a viewer shows as the page)."""
    return [int(re.search(r"(\d+)$", label).group(1)) for label in PdfReader(path).page_labels]


def _runs(numbers: list[tuple[int, int]]) -> list[int]:
    """The lengths of the documents a sequence of printed numbers is made of: each numbers
    its pages 1..Y "van Y"."""
    runs: list[list[tuple[int, int]]] = []
    for x, y in numbers:
        if x == 1 or not runs:
            runs.append([])
        runs[-1].append((x, y))
    for run in runs:
        total = run[0][1]
        assert run == [(n, total) for n in range(1, total + 1)], numbers
    return [len(run) for run in runs]


def test_an_agreement_and_its_signature_pages_number_their_pages_as_one_document(built):
    # The issue: "pagina 1 van 2" on the first signature page after "pagina 8 van 8".
    agreements = 0
    for dossier in bundled_loaded().dossiers:
        folder = built / dossier.id
        for act in signing_acts(dossier):
            package = folder / f"{act.stem}.pdf"
            in_package = _printed_numbers(package)
            # What a viewer calls each page is what its footer prints.
            assert _label_numbers(package) == [x for x, _ in in_package], package.name
            if act.kind is ActKind.ACCESSION:
                # The declaration (the joining party's) and each consent (one per other
                # signer) are documents of their own.
                assert len(_runs(in_package)) == len(act.signers), package.name
                continue
            agreements += 1
            text = _printed_numbers(folder / f"{agreement_stem(dossier.id, act.id)}.pdf")
            signatures_pdf = folder / f"{signatures_stem(dossier.id, act.id)}.pdf"
            signatures = _printed_numbers(signatures_pdf)
            total = len(text) + len(signatures)
            assert text + signatures == [(n, total) for n in range(1, total + 1)], act.stem
            assert _label_numbers(signatures_pdf) == [x for x, _ in signatures]
            assert in_package == text + signatures, act.stem
    assert agreements >= 4
