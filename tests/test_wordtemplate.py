"""Word templates prepared once per process: the bytes docxtpl makes from the lean template,
every run."""

from __future__ import annotations

import datetime as dt
import io
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import Cm
from test_render_docx import CONTENT, docx_text

from convenantgen.context.dossier import build_context
from convenantgen.read.templates import Templates
from convenantgen.render.docx.compose import mark_signature_lines
from convenantgen.render.docx.render import (
    core_properties,
    jinja_env,
    render_documents,
    render_template,
)
from convenantgen.render.docx.template import PreparedTemplate, lean_docx, render_with_docxtpl
from convenantgen.resources import templates_dir

FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:id="1"><w:p><w:r><w:t>Noot: {{ a.short_title }}</w:t></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


def png() -> bytes:
    """A 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">2I5B", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def rich_template(path: Path) -> Path:
    """The default agreement template with what a penvoerder adds in Word: a header, a table
    with a row per signatory, a logo repeated in a loop, tabs and line breaks from a value,
    and a footnotes part with a tag."""
    document = docx.Document(str(templates_dir() / "agreement.docx"))
    document.sections[0].header.paragraphs[0].text = "{{ a.title }} ({{ a.date_text }})"
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for s in a.signatories %}"
    table.cell(1, 0).text = "{{ s.organisation }}"
    table.cell(1, 1).text = "{{ s.name }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    document.add_paragraph("{%p for i in range(2) %}")
    document.add_paragraph().add_run().add_picture(io.BytesIO(png()), width=Cm(1))
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{{ 'een\\ttwee\\ndrie' }}")
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, FOOTNOTES.encode(), None)
    part._package = document.part.package
    document.part.relate_to(part, RT.FOOTNOTES)
    document.save(str(path))
    return path


def render_project(folder: Path, kind: str, context: dict) -> bytes:
    """A document rendered from the templates in ``folder`` (else the defaults)."""
    meta = {"title": "T", "author": "P", "day": dt.date(2025, 1, 1), "version": "1"}
    return render_template(kind, context, templates=Templates(folder), **meta)


@pytest.fixture(scope="module")
def almere(almere_loaded):
    assert not almere_loaded.failed(), [d.message for d in almere_loaded.report.errors]
    return almere_loaded.dossiers[0]


def test_prepared_template_makes_the_bytes_docxtpl_makes(tmp_path, almere):
    path = rich_template(tmp_path / "agreement.docx")
    agreement = build_context(almere).agreements[-1]
    context = {"a": agreement, "footer": agreement.footer}
    core = core_properties(title="T", author="P", day=agreement.date, version=agreement.version)
    env = jinja_env()
    prepared = PreparedTemplate(path.read_bytes(), env)
    data = path.read_bytes()
    # docxtpl on the lean template (what the prepared template renders from)
    expected = render_with_docxtpl(lean_docx(data), context, env, core, mark_signature_lines)

    assert prepared.render(context, core, mark_signature_lines) == expected
    assert prepared.render(context, core, mark_signature_lines) == expected  # and again

    text = docx_text(expected)
    assert f"{agreement.title} ({agreement.date_text})" in text  # the header
    for signatory in agreement.signatories:
        assert signatory.organisation in text
    assert "een\ttwee\ndrie" in text  # a tab run and a line break
    with zipfile.ZipFile(io.BytesIO(expected)) as package:
        assert f"Noot: {agreement.short_title}".encode() in package.read("word/footnotes.xml")
        body = package.read("word/document.xml").decode()
    assert 'id="1001"' in body and 'id="1002"' in body  # the logo twice, ids renumbered


def test_a_project_template_renders_through_the_build_path(tmp_path, almere):
    templates = tmp_path / "templates"
    templates.mkdir()
    rich_template(templates / "agreement.docx")
    agreement = build_context(almere).agreements[-1]
    data = render_project(templates, "agreement", {"a": agreement, "footer": agreement.footer})
    assert f"{agreement.title} ({agreement.date_text})" in docx_text(data)


def test_a_changed_template_file_is_prepared_again(tmp_path, almere):
    templates = tmp_path / "templates"
    templates.mkdir()
    path = templates / "staatscourant-notice.docx"
    document = docx.Document(str(templates_dir() / "staatscourant-notice.docx"))
    document.add_paragraph("Eerste versie")
    document.save(str(path))
    accession = build_context(almere).accessions[0]
    context = {"acc": accession, "footer": accession.footer}
    first = render_project(templates, "staatscourant-notice", context)
    document.add_paragraph("Tweede versie, langer")
    document.save(str(path))
    second = render_project(templates, "staatscourant-notice", context)
    assert "Eerste versie" in docx_text(first) and "Tweede versie" not in docx_text(first)
    assert "Tweede versie, langer" in docx_text(second)


SCRIPT = """
import hashlib, sys
from convenantgen.read.load import load_content
from convenantgen.render.docx.render import render_documents
from pathlib import Path
for doc in render_documents(load_content(Path(sys.argv[1])).dossiers[0]):
    print(doc.name, hashlib.sha256(doc.data).hexdigest())
"""


def test_another_process_makes_the_same_bytes(almere):
    import hashlib

    here = {d.name: hashlib.sha256(d.data).hexdigest() for d in render_documents(almere)}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(CONTENT / "almere")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    there = dict(line.split() for line in out.splitlines())
    assert there == here
    assert len(here) > 5
