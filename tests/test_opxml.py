"""The one OP-XML reader (``convenantgen.read.opxml``) that ``import`` and ``publication
verify`` share: a real Staatscourant file read once gives both the paragraphs the importer
parses and the number, date and words the verification compares."""

from __future__ import annotations

from pathlib import Path

import pytest

from convenantgen.authoring.importing.sources import ImportSourceError, read_source
from convenantgen.authoring.publication import PublicationError, read_publication
from convenantgen.read.opxml import OpXmlError, read_opxml

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "sources" / "staatscourant" / "stcrt-2015-47076.xml"
SEED_XML = ROOT / "tests" / "sources" / "import" / "seed-000-almere-addendum.xml"


def test_a_real_publication_read_once_for_both_commands():
    p = read_opxml(REAL)
    assert (p.identifier, p.year, p.number) == ("stcrt-2015-47076", 2015, "47076")
    # The masthead ("STAATSCOURANT ...") and the logo's alt text are neither paragraph nor word.
    assert p.blocks[0].text == "Ter inzage: omgevingsvergunning"
    assert "STAATSCOURANT" not in p.words and "Logo" not in p.words
    assert p.words[:3] == ("Ter", "inzage:", "omgevingsvergunning")
    # What each command gets is exactly what the shared reader gives.
    published = read_publication(REAL)
    assert (published.identifier, published.date, published.words) == (
        p.identifier,
        p.date,
        p.words,
    )
    assert [x.text for x in read_source(REAL)] == [b.text for b in p.blocks]


def test_list_items_and_headings_become_paragraphs():
    blocks = read_opxml(SEED_XML).blocks
    texts = [b.text for b in blocks]
    assert texts[0].startswith("ADDENDUM bij het Convenant Uitvoering Noodplannen")
    assert "Spreken het volgende af:" in texts
    assert any(b.bullet for b in blocks)  # the unnumbered lists of the considerations


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<officiele-publicatie><al>x</al>", "is not well-formed XML"),
        (b"<html/>", "its root element is <html>, not <officiele-publicatie>"),
        (
            b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b"<officiele-publicatie><al>&e;</al></officiele-publicatie>",
            "declares a document type or entities",
        ),
    ],
)
def test_one_message_for_both_commands(tmp_path, data, message):
    path = tmp_path / "stcrt.xml"
    path.write_bytes(data)
    for call, error in (
        (read_opxml, OpXmlError),
        (read_publication, PublicationError),
        (read_source, ImportSourceError),
    ):
        with pytest.raises(error) as caught:
            call(path)
        assert message in str(caught.value)
