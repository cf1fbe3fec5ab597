"""End to end: `convenantgen build` on the bundled Almere dossier with real LibreOffice.

One full build (DOCX, PDF, signing package, site) is shared by the module; a second build
checks that DOCX and PDF bytes are reproducible, and failing builds leave the output alone.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from convenantgen.cli import main
from convenantgen.render.pdf.pdfa import pdfa_problems

ROOT = Path(__file__).resolve().parents[1]
ALMERE = ROOT / "content" / "almere"
PRISMA = "Stg. Prisma, stg. prot. chr. & oecumen. onderwijs in Almere"


def _build(content: Path, out: Path, *extra: str) -> int:
    # --no-cache: these tests are about what a fresh build makes (test_cache.py covers reuse).
    return main(["build", str(content), "--out", str(out), "--quiet", "--no-cache",
                 "--reference-date", "2025-03-01", *extra])  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "out"
    assert _build(ALMERE, out) == 0
    return out


@pytest.fixture(scope="module")
def manifest(built) -> list[dict]:
    return json.loads((built / "manifest.json").read_text(encoding="utf-8"))["artifacts"]


def _kinds(manifest) -> set[str]:
    return {a["kind"] for a in manifest}


@pytest.mark.libreoffice
def test_manifest_lists_every_artifact_with_its_hash(built, manifest):
    assert manifest, "empty manifest"
    for artifact in manifest:
        data = (built / artifact["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == artifact["sha256"], artifact["path"]
        assert artifact["dossier"] == "almere"
    files = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    listed = {a["path"] for a in manifest}
    assert listed <= files
    # Every document exists as DOCX and PDF, plus the signing package.
    docx = {a["path"][: -len(".docx")] for a in manifest if a["path"].endswith(".docx")}
    pdf = {a["path"][: -len(".pdf")] for a in manifest if a["path"].endswith(".pdf")}
    assert docx and docx <= pdf
    assert "signing-package" in _kinds(manifest)


@pytest.mark.libreoffice
def test_documents_cover_addendum_signatures_and_accession(manifest):
    names = " ".join(a["path"] for a in manifest)
    assert "almere/almere-addendum-2024.docx" in names
    assert "handtekening" in names
    assert "toetreding" in names
    assert "almere/almere-ondertekenpakket-addendum-2024.pdf" in names
    assert any(a["path"].endswith(".md") for a in manifest)


@pytest.mark.libreoffice
def test_addendum_pdf_text_keeps_names_numbers_and_targets(built):
    text = subprocess.run(
        ["pdftotext", "-layout", str(built / "almere" / "almere-addendum-2024.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(text.split())
    for expected in (
        PRISMA,
        "Stichting Vrijeschool Almere",
        "Artikel 3 Maatregelen en resultaten",
        "Maatregel E",
        "in vijfvoud ondertekend, te Den Haag",
        "40 zij-instromers",
        "31 december 2025",
    ):
        assert expected in flat, expected


@pytest.mark.libreoffice
def test_addendum_docx_escapes_ampersand_in_xml(built):
    document = Document(str(built / "almere" / "almere-addendum-2024.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert PRISMA in text


@pytest.mark.libreoffice
def test_signing_package_has_a_signature_field_on_every_signature_line(built):
    """The addendum's package: its text and signature pages, one field per signatory on the
    signature pages (the accession request has a package of its own, test_signing_packages)."""
    reader = PdfReader(str(built / "almere" / "almere-ondertekenpakket-addendum-2024.pdf"))
    fields = reader.get_fields() or {}
    signature_fields = sorted(name for name, f in fields.items() if f.get("/FT") == "/Sig")
    # Dijkgraaf, Paul, De Jonge, Olivier (for the school boards) and Moukaddim (Windesheim).
    signers = ["minister-ocw", "minister-pvo", "gemeente-almere", "asg-po", "windesheim-almere"]
    assert signature_fields == sorted(f"handtekening-{party}" for party in signers)
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert len(top) == 2
    assert top[0].title.startswith("ADDENDUM bij het Convenant")
    assert top[1].title.startswith("Handtekeningen")
    # Every field sits on the signature pages (the second bookmark to the end).
    start = reader.get_destination_page_number(top[1])
    found = {}
    for number, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            name = annot.get_object().get("/T")
            if name in fields:
                found[name] = number
    assert set(found) == set(signature_fields)
    assert all(start <= number for number in found.values()), (found, start)
    assert reader.metadata["/Author"] == "Almeerse Scholen Groep (ASG - PO)"
    assert reader.metadata["/CreationDate"].startswith("D:20240801")


@pytest.mark.libreoffice
def test_every_pdf_is_pdf_a_2_and_tagged(built, manifest):
    pdfs = [a["path"] for a in manifest if a["path"].endswith(".pdf")]
    assert len(pdfs) > 10
    for path in pdfs:
        assert pdfa_problems((built / path).read_bytes()) == [], path
        # The signature lines' markers are bookmarks: not in the text a reader copies.
        text = subprocess.run(
            ["pdftotext", str(built / path), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert "sigfield" not in text, path


@pytest.mark.libreoffice
def test_site_is_built_with_downloads(built, manifest):
    site = built / "site"
    assert (site / "index.html").is_file()
    for artifact in manifest:
        # The Markdown copy is for review in git: the site shows that text as a page. The
        # Staatscourant's metadata records are for delivery, not for the site's readers.
        listed = not artifact["path"].endswith(".md") and artifact["kind"] != (
            "staatscourant-metadata"
        )
        assert (site / "downloads" / artifact["path"]).is_file() == listed, artifact["path"]
    assert (site / "almere" / "tekst-addendum-2024" / "index.html").is_file()


@pytest.mark.libreoffice
def test_second_build_is_byte_identical(built, manifest, tmp_path):
    again = tmp_path / "again"
    assert _build(ALMERE, again, "--no-site") == 0
    for artifact in manifest:
        if artifact["path"].endswith((".docx", ".pdf", ".md", ".txt")):
            first = (built / artifact["path"]).read_bytes()
            second = (again / artifact["path"]).read_bytes()
            assert first == second, f"{artifact['path']} differs between two builds"


def _snapshot(folder: Path) -> dict:
    return {
        p.relative_to(folder): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_failed_check_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert _build(ALMERE, out, "--no-pdf", "--no-site") == 0
    before = _snapshot(out)
    broken = tmp_path / "almere"
    shutil.copytree(ALMERE, broken)
    target = broken / "maatregelen.yaml"
    target.write_text(target.read_text().replace("value: 7.0", "value: 11"), encoding="utf-8")
    capsys.readouterr()
    assert _build(broken, out, "--no-pdf", "--no-site") == 1
    err = capsys.readouterr().err
    assert "error [target-range]" in err and "nothing was written" in err
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["almere", "out"]


def test_missing_libreoffice_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CONVENANTGEN_SOFFICE", str(tmp_path / "geen-soffice"))
    out = tmp_path / "out"
    assert _build(ALMERE, out, "--no-site") == 1
    err = capsys.readouterr().err
    assert "LibreOffice" in err and "Traceback" not in err
    assert not out.exists()
    # --no-pdf does not need LibreOffice at all.
    assert _build(ALMERE, out, "--no-pdf", "--no-site") == 0
    assert not list(out.rglob("*.pdf"))
