"""Converting documents in batches: which documents share a batch, page counts that need a
second round, and the split PDFs, with real LibreOffice on the Almere dossier's documents."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from convenantgen.render.docx.render import render_documents
from convenantgen.render.pdf.batches import (
    Converted,
    convert_batches,
    first_numbers,
    plan,
    shown_counts,
    split_documents,
)
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


def test_a_continuation_joins_the_batch_of_what_it_continues_and_is_never_split_from_it():
    # An agreement (kind "agreement") and its signature pages ("signatures") are one document.
    docs = [("a", "agreement", b"1"), ("a", "signatures", b"2"), ("a", "agreement", b"3")]
    docs += [("a", "signatures", b"4"), ("a", "agreement", b"5"), ("a", "signatures", b"6")]
    goes_on = [False, True, False, True, False, True]
    batches = plan(docs, ("salt",), size=2, continues=goes_on)
    # Of another kind and still in the batch; size 2 splits between documents, not inside one.
    assert [b.members for b in batches] == [(0, 1), (2, 3), (4, 5)]
    assert [b.groups() for b in batches] == [[[0, 1]]] * 3
    assert batches[0].continues == (False, True)
    # At most four: the even cut after three members would cut a document, so it moves on.
    wide = plan(docs, ("salt",), size=4, continues=goes_on)
    assert [b.members for b in wide] == [(0, 1, 2, 3), (4, 5)]
    # Not continuing: each kind its own batch, and the page numbers convert differently.
    apart = plan(docs, ("salt",), size=2)
    assert [b.members for b in apart] == [(n,) for n in range(6)]
    same_kind = [(d, "agreement", b) for d, _, b in docs[:2]]
    assert (
        plan(same_kind, ("salt",)).pop().key
        != plan(same_kind, ("salt",), continues=[False, True]).pop().key
    )
    with pytest.raises(ValueError, match="first one False"):
        plan(docs, ("salt",), continues=[True, *goes_on[1:]])
    with pytest.raises(ValueError, match="another dossier"):
        plan([("a", "agreement", b"1"), ("b", "signatures", b"2")], ("s",), continues=[0, 1])


def test_shown_counts_and_first_numbers_count_a_document_in_two_parts_together():
    batch = plan(
        [("a", "agreement", b"1"), ("a", "signatures", b"2"), ("a", "agreement", b"3")],
        ("salt",),
        continues=[False, True, False],
    )[0]
    # The third begins a document of its own (one batch: it is of the first one's kind).
    assert batch.members == (0, 1, 2) and batch.groups() == [[0, 1], [2]]
    assert shown_counts(batch, [8, 2, 3]) == [10, 10, 3]
    assert shown_counts(batch, [8, None, 3]) == [None, None, 3]
    converted = Converted(b"", (0, 8, 10), 13, ())
    assert first_numbers(batch, converted) == [1, 9, 1]


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
