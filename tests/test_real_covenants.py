"""Proof on real text: two covenants of other ministries than OCW, encoded in content/ without
Python of their own, compared with the part of their published text that could be retrieved
(tests/sources/). The comparison is on the generated DOCX: its text from the title to the last
words of the source excerpt, normalised (whitespace, bullets), word by word. Every difference
is listed below with the reason; any other difference fails the test.
"""

from __future__ import annotations

import difflib
import io
import re
from pathlib import Path

import docx
import pytest

from convenantgen.context.dossier import build_context
from convenantgen.errors import Severity
from convenantgen.read.load import load_content
from convenantgen.render.docx.render import agreement_documents

ROOT = Path(__file__).resolve().parents[1]
SOURCES = Path(__file__).parent / "sources"

# dossier -> (the words the comparison ends with, the differences as (source, generated) word
# runs with why they differ).
EXPECTED = {
    "dierziekten-lnv": (
        "(9.2 Wet dieren);",
        [
            # "voorzitter, en de heer E. Stiphout": published once with a comma before "en"
            # (Producentenorganisatie Varkenshouderij), once without (AVINED); the agreement
            # joins both by its formula and_signers, with the comma.
            ("voorzitter", "voorzitter,"),
        ],
    ),
    "zoetwater-ijsselmeergebied": (
        "S. Poepjes, hiertoe",
        [
            # Published without the comma after the name, a typing error. The blocks follow
            # each other without "En" (party_list.separator: none); the provinces are written
            # role first (order: role-first), the water boards name first, as published.
            ("Noorderzijlvest", "Noorderzijlvest,"),
        ],
    ),
}


def _words(text: str) -> list[str]:
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    return re.sub(r"[•\s]+", " ", " ".join(lines)).split()


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


@pytest.fixture(scope="module")
def loaded():
    result = load_content(ROOT / "content", list(EXPECTED))
    assert not result.failed(), [d.message for d in result.report.errors]
    return result


@pytest.mark.parametrize("dossier_id", list(EXPECTED))
def test_generated_text_matches_the_published_source(loaded, dossier_id):
    end, explained = EXPECTED[dossier_id]
    dossier = next(d for d in loaded.dossiers if d.id == dossier_id)
    agreement = build_context(dossier).agreements[0]
    generated = _words(_docx_text(agreement_documents(agreement)[0].data))
    source = _words((SOURCES / f"{dossier_id}.txt").read_text("utf-8"))
    # Both up to (and including) the last words the source and the data share.
    end_words = end.split()

    def upto(words: list[str]) -> list[str]:
        for i in range(len(words)):
            if words[i : i + len(end_words)] == end_words:
                return words[: i + len(end_words)]
        raise AssertionError(f"'{end}' not found")

    source, generated = upto(source), upto(generated)
    matcher = difflib.SequenceMatcher(a=source, b=generated, autojunk=False)
    differences = [
        (" ".join(source[i1:i2]), " ".join(generated[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]
    assert differences == explained, repr(differences)
    assert matcher.ratio() > 0.95


def test_published_layout_of_the_parties_block(loaded):
    """Beyond the words: the lines as published. "I" and "II" on lines of their own, "En de
    sectorpartijen:" as one line (LNV); no "En" between the blocks of the IenM agreement."""

    def paragraphs(dossier_id: str) -> list[str]:
        dossier = next(d for d in loaded.dossiers if d.id == dossier_id)
        data = agreement_documents(build_context(dossier).agreements[0])[0].data
        return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.strip()]

    lnv = paragraphs("dierziekten-lnv")
    start = lnv.index("De ondergetekenden:")
    assert lnv[start - 1] == "I"
    assert "En de sectorpartijen:" in lnv[start:]
    assert lnv[lnv.index("In aanmerking nemende:") - 1] == "II"
    ienm = paragraphs("zoetwater-ijsselmeergebied")
    block = ienm[ienm.index("Partijen en mandateringen") : ienm.index("Overwegende dat:")]
    assert "En" not in block
    assert block[1].endswith("hierna te noemen ‘het Rijk’;")
    assert block[2] == "Waterschappen:"


@pytest.mark.libreoffice
def test_sector_covenant_builds_with_a_signature_field_for_every_signer(tmp_path):
    """The LNV covenant through the real build (DOCX, PDF, signing package): eleven people
    sign for nine parties, each on a field of their own; the finance articles are in the PDF."""
    from pypdf import PdfReader

    from convenantgen.cli import main

    out = tmp_path / "out"
    argv = ["build", str(ROOT / "content" / "dierziekten-lnv"), "--out", str(out), "--quiet"]
    assert main([*argv, "--no-site"]) == 0
    folder = out / "dierziekten-lnv"
    reader = PdfReader(str(folder / "dierziekten-lnv-ondertekenpakket-convenant-dierziekten.pdf"))
    fields = sorted(n for n, f in (reader.get_fields() or {}).items() if f.get("/FT") == "/Sig")
    assert fields == sorted(
        f"handtekening-{key}"
        for key in (
            "minister-lnv",
            "zuivelnl",
            "kalversector",
            "avined",
            "avined:2",
            "pov",
            "pov:2",
            "lto-schapen",
            "lto-melkgeiten",
            "lto-vleesvee",
            "platform-kleinschalig",
        )
    )
    pdf = PdfReader(str(folder / "dierziekten-lnv-convenant-dierziekten.pdf"))
    text = " ".join(page.extract_text() for page in pdf.pages)
    # The levy decree's ceilings: cattle alone, and the four sectors together (issue 20).
    assert "de rundveesector: € 43.220.000;" in text
    assert "Samen, voor de vier sectoren: € 188.262.740." in text
    assert "Aldus overeengekomen en in elfvoud ondertekend" in text
    assert "Kamerstukken II 2014/15, 29 683, nr. 198" in text


@pytest.mark.parametrize("dossier_id", list(EXPECTED))
def test_real_dossier_is_clean_and_says_where_it_comes_from(loaded, dossier_id):
    # Nothing to fix; what the source cannot give (such as the signing dates of a published
    # agreement) may be acknowledged, with its reason.
    assert [
        d.format(ROOT)
        for d in loaded.report.sorted()
        if d.where.file.parent.name == dossier_id and d.severity > Severity.ACKNOWLEDGED
    ] == []
    dossier = next(d for d in loaded.dossiers if d.id == dossier_id)
    sources = dossier.provenance["sources"]
    assert "(Stcrt. 20" in sources[0]["title"]
    # The address of the publication is in the file (the public site links no outside pages).
    assert "https://zoek.officielebekendmakingen.nl/stcrt-" in dossier.where.file.read_text("utf-8")
    assert dossier.provenance["illustrative"] and dossier.provenance["public"]["illustrative"]
    # Not an education covenant: no school boards, no measures with targets.
    assert not {p.kind for p in dossier.parties} & {"schoolbestuur", "lerarenopleiding"}
    assert not dossier.measures
