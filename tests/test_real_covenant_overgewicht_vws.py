"""A new user's encoding of a real covenant of another ministry (issue 20): the VWS Convenant
Overgewicht of 2005 (Stcrt. 2005, 53, blz. 25), in tests/fixtures/real/overgewicht-vws/ with
its sources in BRON.md. The dossier passes ``check --strict`` with and without the
Aanwijzingen profile, builds, and its agreement text (DOCX, Markdown, and once the PDF) is
word for word close to the published text kept beside it (gepubliceerd.txt): the parties with
their designations in brackets, "de heer"/"mevrouw", the ministers' shared capacity on a line
of its own, and article 1 with its cross-reference from article 2.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from convenantgen.authoring.importing.report import similarity
from convenantgen.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "real" / "overgewicht-vws"
STEM = "overgewicht-vws-convenant-overgewicht"
# The generated text is compared from its title to the last words the published text has.
LAST_WORDS = "elkaar versterken."
PDF_FOOTER = re.compile(r" · versie [0-9a-f]{8,} · pagina \d+ van \d+$")


def _published() -> str:
    lines = FIXTURE.joinpath("gepubliceerd.txt").read_text("utf-8").splitlines()
    return "\n".join(ln for ln in lines if not ln.startswith("#"))


def _upto_last_words(text: str) -> str:
    end = text.index(LAST_WORDS) + len(LAST_WORDS)
    return text[:end]


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("echt") / "content"
    shutil.copytree(FIXTURE, folder / "overgewicht-vws", ignore=shutil.ignore_patterns("*.md"))
    return folder


@pytest.fixture(scope="module")
def built(content, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("uit") / "build"
    assert main(["build", str(content), "--out", str(out), "--no-pdf", "--no-site"]) == 0
    return out / "overgewicht-vws"


@pytest.mark.parametrize("profile", [[], ["--profile", "aanwijzingen-2025"]])
def test_check_strict_passes_with_and_without_the_profile(content, capsys, profile):
    assert main(["check", str(content), "--strict", *profile]) == 0
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert summary.startswith("0 error(s), 0 warning(s)"), summary


def test_the_agreement_text_is_the_published_text(built):
    paragraphs = docx.Document(io.BytesIO((built / f"{STEM}.docx").read_bytes())).paragraphs
    generated = _upto_last_words("\n".join(p.text for p in paragraphs))
    ratio = similarity(_published(), generated)
    assert ratio >= 0.95, ratio
    # The Markdown for review says the same.
    markdown = _upto_last_words((built / f"{STEM}.md").read_text("utf-8"))
    assert similarity(_published(), markdown.replace("\\", "")) >= 0.95


def test_parties_representatives_and_the_shared_capacity_as_published(built):
    lines = [
        p.text
        for p in docx.Document(io.BytesIO((built / f"{STEM}.docx").read_bytes())).paragraphs
        if p.text.strip()
    ]
    assert lines[1] == "Partijen:"
    # The designation in brackets right after the name, then the representative.
    assert (
        "de Federatie Nederlandse Levensmiddelen Industrie (hierna: FNLI), te dezen "
        "vertegenwoordigd door de heer P. den Ouden;"
    ) in lines
    assert (
        "Nederlands Olympisch Comité * Nederlandse Sport Federatie (hierna: NOC*NSF), te dezen "
        "vertegenwoordigd door mevrouw E.G. Terpstra en mr. drs. Th. Fledderus;"
    ) in lines
    assert (
        "de Koninklijke Vereniging MKB-Nederland (hierna: MKB-Nederland), te dezen "
        "vertegenwoordigd door drs. L.M.L.H.A. Hermans;"
    ) in lines
    # Two ministers one per line, then the sentence they share on a line of its own.
    vws = (
        "de Minister van Volksgezondheid, Welzijn en Sport, mede namens de Staatssecretaris "
        "(hierna te noemen: de Minister van VWS);"
    )
    shared = (
        "Bovengenoemde ministers handelen te dezen als bestuursorgaan alsmede als "
        "vertegenwoordiger van de Staat der Nederlanden;"
    )
    assert lines[lines.index(vws) + 2] == shared
    # The ministers' designations in the long form, the organisations' in the short one.
    assert lines[lines.index(vws) + 1] == (
        "de Minister van Onderwijs Cultuur en Wetenschap (hierna te noemen: de Minister van OCW);"
    )
    # Each item of article 1, second member, is a paragraph of its own (a blank line in YAML).
    assert "• te inventariseren welke factoren hieraan kunnen bijdragen;" in lines
    # The signature block of the ministers starts with a capital.
    assert any(
        ln.startswith("De Minister van Volksgezondheid, Welzijn en Sport, mede") for ln in lines
    )


def test_the_cross_reference_comes_out_as_an_article_number(built):
    text = (built / f"{STEM}.txt").read_text("utf-8")
    assert "de in artikel 1 genoemde doelen" in text


@pytest.mark.libreoffice
def test_the_pdf_says_the_same(content, tmp_path):
    out = tmp_path / "build"
    assert main(["build", str(content), "--out", str(out), "--no-site"]) == 0
    pdf = out / "overgewicht-vws" / f"{STEM}.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # The considerations' bullets are real text "•", not Word's Symbol-font U+F0B7.
    assert "\uf0b7" not in text
    assert re.search(r"^•\s+Dat overgewicht een explosief groeiend probleem is;", text, re.M)
    # Without the footer line of each page (not part of the text).
    lines = [ln for ln in text.replace("\f", "\n").splitlines() if not PDF_FOOTER.search(ln)]
    words = " ".join("\n".join(lines).split())
    assert similarity(_published(), _upto_last_words(words)) >= 0.95
