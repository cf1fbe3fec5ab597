"""Converting documents in batches: which documents share a batch, page counts that need a
second round, and the split PDFs, with real LibreOffice on the Almere dossier's documents."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from convenantgen.render.docx.render import render_documents
from convenantgen.render.pdf.batches import Converted, convert_batches, plan, split_documents
from convenantgen.render.pdf.convert import PdfMetadata, convert_to_pdf
from convenantgen.render.pdf.pdfa import pdfa_problems

ROOT = Path(__file__).resolve().parent.parent
META = PdfMetadata("Proef", "Convenant", "Gemeente Almere")


@pytest.fixture(scope="module")
def documents(almere_loaded):
    (dossier,) = almere_loaded.dossiers
    return {d.name: d for d in render_documents(dossier)}


def _text(data: bytes, tmp_path: Path) -> str:
    (tmp_path / "doc.pdf").write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "doc.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_batches_are_runs_of_one_kind_split_evenly_and_keyed_by_their_documents():
    docs = [("a", "consent", bytes([n])) for n in range(5)]
    docs += [("a", "letter", b"x"), ("b", "consent", b"y"), ("b", "consent", b"z")]
    batches = plan(docs, ("salt",), size=2)
    # Five consents in batches of at most two: even sizes (1, 2, 2), not (2, 2, 1) or (2, 3).
    assert [b.members for b in batches] == [(0,), (1, 2), (3, 4), (5,), (6, 7)]
    assert [(b.dossier, b.kind) for b in batches][2:4] == [("a", "consent"), ("a", "letter")]
    changed = list(docs)
    changed[3] = ("a", "consent", b"anders")
    after = plan(changed, ("salt",), size=2)
    assert [b.key == c.key for b, c in zip(batches, after, strict=True)] == [
        True,
        True,
        False,
        True,
        True,
    ]
    # Another LibreOffice: other keys, the same content.
    other = plan(docs, ("other",), size=2)
    assert all(
        b.key != o.key and b.content == o.content for b, o in zip(batches, other, strict=True)
    )


@pytest.mark.libreoffice
def test_a_longer_document_in_a_batch_goes_twice_and_counts_its_own_pages(documents, tmp_path):
    addendum = documents["almere-addendum-2024"].data
    consent = next(d for name, d in documents.items() if "-instemming-" in name).data
    docs = [("almere", "proef", addendum), ("almere", "proef", consent)]
    (batch,) = plan(docs, ())
    rounds: list[int] = []

    def convert(sources, out):
        rounds.append(len(sources))
        return convert_to_pdf(sources, out)

    (converted,) = convert_batches([batch], [addendum, consent], tmp_path / "work", convert)
    assert rounds == [1, 1]  # the addendum has more than one page: a second round
    pages = [len(r) for r in converted.ranges()]
    assert pages[0] > 1 and pages[1] == 1
    assert Converted.unpack(converted.pack()) == converted
    first, second = split_documents((converted, [META, META], ["00" * 16, "11" * 16]))
    text = _text(first, tmp_path)
    assert f"pagina {pages[0]} van {pages[0]}" in text
    assert "pagina 1 van 1" not in text and "Verklaring van instemming" not in text
    own = _text(second, tmp_path)
    assert "Verklaring van instemming tot toetreding" in own and "pagina 1 van 1" in own
    assert "ADDENDUM" not in own
    for data in (first, second):
        assert pdfa_problems(data) == []
        reader = PdfReader(io.BytesIO(data))
        assert reader.metadata["/Title"] == "Proef"
        # The composer's bookmarks served their purpose: none is left.
        assert not [n for n in reader.named_destinations if n.lstrip("/").startswith("cg")]
    assert len(PdfReader(io.BytesIO(first)).pages) == pages[0]
