"""Letters and notices an official sends unchanged: the cover letter's sender block, kenmerk,
date and contact; the Staatscourant notice's authority, date, signature and addendum; names
with their article in lower case mid-sentence; signature blocks that never break across pages
and name each party's own place."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from test_render_docx import CONTENT, STEM, docx_text, load

from convenantgen.cli import main
from convenantgen.context.dossier import build_context
from convenantgen.read.project import Settings
from convenantgen.render.docx.render import render_documents
from convenantgen.render.pdf.convert import convert_to_pdf
from convenantgen.text.wording import Wording

SETTINGS = Settings.from_data(
    {
        "organisation": {
            "name": "Ministerie van Onderwijs, Cultuur en Wetenschap",
            "address": ["Postbus 16375", "2500 BJ Den Haag"],
            "contact": {"name": "J. de Vries", "phone": "070 412 3456", "email": "jdv@example.nl"},
        }
    }
)
SIGNATURE_LINE = "_" * 40


def almere_copy(tmp_path: Path, old: str, new: str):
    """The Almere dossier with one text of toetredingen.yaml replaced."""
    folder = tmp_path / "almere"
    shutil.copytree(CONTENT / "almere", folder)
    path = folder / "toetredingen.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return load(folder)


@pytest.fixture(scope="module")
def documents(almere_loaded):
    ctx = build_context(almere_loaded.dossiers[0], settings=SETTINGS)
    return {d.name: d for d in render_documents(ctx)}


def lines(data: bytes) -> list[str]:
    return docx_text(data).split("\n")


def test_the_cover_letter_has_sender_contact_kenmerk_date_and_subject(documents):
    letter = lines(documents[f"{STEM}-begeleidende-brief"].data)
    # Sender block from the settings, in this order, before the recipient.
    assert letter[:5] == [
        "Ministerie van Onderwijs, Cultuur en Wetenschap",
        "Postbus 16375",
        "2500 BJ Den Haag",
        "Contactpersoon: J. de Vries",
        "Telefoon: 070 412 3456",
    ]
    assert "E-mail: jdv@example.nl" in letter
    # Not sent yet: a line to fill in; the default kenmerk is dossier/request.
    assert "Datum: ____________________" in letter
    assert f"Ons kenmerk: almere/{STEM.removeprefix('almere-toetreding-')}" in letter
    # The act named with its citation.
    assert (
        "Betreft: Toetreding van Stichting Openbaar Onderwijs Almere-Poort tot het Convenant "
        "Uitvoering Noodplannen personeelstekort G5: Almere (Stcrt. 2020, 38286)"
    ) in letter


def test_the_letter_takes_its_own_kenmerk_and_sent_date(tmp_path):
    dossier = almere_copy(
        tmp_path,
        "    illustrative: true\n",
        "    illustrative: true\n    reference: OCW/2025-0412\n    sent: 2025-06-20\n",
    )
    docs = {d.name: d for d in render_documents(build_context(dossier, settings=SETTINGS))}
    letter = lines(docs[f"{STEM}-begeleidende-brief"].data)
    assert "Ons kenmerk: OCW/2025-0412" in letter
    assert "Datum: 20 juni 2025" in letter


def test_names_take_a_lower_case_article_mid_sentence(documents):
    letter = docx_text(documents[f"{STEM}-begeleidende-brief"].data)
    assert "tot toetreding van de Minister van Onderwijs, Cultuur en Wetenschap" in letter
    assert "tot toetreding van het college van burgemeester en wethouders van Almere" in letter
    for doc in documents.values():
        text = docx_text(doc.data)
        assert "van De " not in text and "van Het " not in text, doc.name
    # The consent itself starts with the name: its article stays as written.
    consent = docx_text(documents[f"{STEM}-instemming-gemeente-almere"].data)
    assert "Het college van burgemeester en wethouders van Almere, partij bij" in consent


def test_the_mid_filter_works_in_a_projects_own_wording():
    w = Wording.default().with_entries({"accession.letter_subject": "Brief van {{ party | mid }}"})
    assert w.text("accession.letter_subject", party="De Minister van EZK") == (
        "Brief van de Minister van EZK"
    )
    assert w.text("accession.letter_subject", party="Deltares") == "Brief van Deltares"


def test_the_notice_has_authority_date_signature_and_the_addendum(documents):
    notice = lines(documents[f"{STEM}-staatscourant"].data)
    assert notice[0] == "Ministerie van Onderwijs, Cultuur en Wetenschap"
    assert notice[1].startswith("Mededeling van de toetreding van Stichting Openbaar Onderwijs")
    assert any(
        line.startswith("Deze toetreding betreft het convenant zoals gewijzigd bij: ADDENDUM bij")
        for line in notice
    )
    tail = notice[notice.index("Datum: ____________________") :]
    assert tail[1] == "Ministerie van Onderwijs, Cultuur en Wetenschap,"
    assert SIGNATURE_LINE in tail
    signer = tail.index(SIGNATURE_LINE) + 1
    assert tail[signer : signer + 2] == [
        "S. Olivier",
        "de voorzitter CvB van de Almeerse Scholen Groep (ASG)",
    ]


def signature_blocks(data: bytes) -> list[list]:
    """The paragraphs of each signature block: from a block's first 'Ondertekening' paragraph
    to the one with the signature line."""
    blocks, current = [], []
    for p in docx.Document(io.BytesIO(data)).paragraphs:
        if p.style.name == "Ondertekening" or current:
            current.append(p)
        if p.text.startswith(SIGNATURE_LINE):
            blocks.append(current)
            current = []
    return blocks


def test_every_paragraph_of_a_signature_block_is_kept_together(documents):
    for name in (
        "almere-handtekeningen-addendum-2024",
        f"{STEM}-verklaring",
        f"{STEM}-instemming-prisma",
    ):
        blocks = signature_blocks(documents[name].data)
        assert blocks, name
        for block in blocks:
            assert len(block) >= 8
            for p in block:
                # Set on the paragraph itself, not only through the style.
                assert p.paragraph_format.keep_together is True, (name, p.text)
            assert [p.paragraph_format.keep_with_next for p in block[:-1]] == [True] * (
                len(block) - 1
            ), name
            assert block[-1].paragraph_format.keep_with_next is False


def test_place_per_party_or_blank_and_no_fixed_date_above_blank_date_lines(tmp_path, documents):
    pages = lines(documents["almere-handtekeningen-addendum-2024"].data)
    # The ministers sign in Den Haag, the gemeente in Almere (partijen.yaml: place:).
    assert pages.count("Plaats: Almere") >= 1
    assert pages.count("Plaats: Den Haag") == 2
    # Unsigned: the closing names no date and every Datum: line is left to fill in.
    assert not any("op " in line for line in pages if line.startswith("Aldus overeengekomen"))
    assert all(line == "Datum: ____________________" for line in pages if line.startswith("Datum"))
    # A party without a place gets a line to fill in, not the project's default place.
    folder = tmp_path / "almere"
    shutil.copytree(CONTENT / "almere", folder)
    parties = folder / "partijen.yaml"
    text = parties.read_text("utf-8")
    parties.write_text(text.replace("    place: Almere\n", "", 1), "utf-8")
    docs = {d.name: d for d in render_documents(build_context(load(folder), settings=SETTINGS))}
    edited = lines(docs["almere-handtekeningen-addendum-2024"].data)
    assert edited.count("Plaats: Almere") == pages.count("Plaats: Almere") - 1
    assert "Plaats: " + Wording.default().text("agreement.blank") in edited


def test_bad_sender_settings_are_reported_with_file_and_line(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "project"
    assert main(["init", str(folder)]) == 0
    monkeypatch.chdir(folder)
    capsys.readouterr()
    (folder / "convenantgen.yml").write_text(
        "organisation:\n  name: Ministerie\n  address: []\n"
        "  contact: {name: J. de Vries, email: geen-adres}\n",
        "utf-8",
    )
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "convenantgen.yml:3:" in err and "organisation.address" in err
    assert "convenantgen.yml:4:" in err and "organisation.contact.email" in err


@pytest.mark.libreoffice
def test_signature_blocks_stay_on_one_page_in_the_pdf(tmp_path, documents):
    """Fifteen blocks on the signature pages: page breaks fall between blocks, never inside."""
    docx_file = tmp_path / "handtekeningen.docx"
    docx_file.write_bytes(documents["almere-handtekeningen-addendum-2024"].data)
    (pdf,) = convert_to_pdf([docx_file], tmp_path / "pdf", jobs=1)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 2  # more blocks than fit on one page, so the keeping is tested
    total = 0
    for number, page in enumerate(pages, start=1):
        names = page.count("Naam:")
        total += names
        # Every block that starts on a page ends there: its place, date and signature line.
        assert page.count("Plaats:") == names, number
        assert page.count("Datum:") == names, number
        assert page.count(SIGNATURE_LINE) == names, number
    assert total == len(signature_blocks(documents["almere-handtekeningen-addendum-2024"].data))


def test_a_projects_wording_may_use_mid_and_check_accepts_it(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "project"
    assert main(["init", str(folder)]) == 0
    monkeypatch.chdir(folder)
    settings = folder / "convenantgen.yml"
    settings.write_text(
        settings.read_text("utf-8")
        + "\nwording:\n  accession:\n    letter_subject: 'Brief van {{ party | mid }}'\n",
        "utf-8",
    )
    capsys.readouterr()
    assert main(["check", "--strict"]) == 0, capsys.readouterr().err
