"""``convenantgen publication verify``: a published Staatscourant file (OP-XML) against the
signed text, and ``--record`` writing number and date into the lifecycle YAML.

The real file kept in tests/sources/staatscourant/ is read as it was published; the match
path uses a publication made here from a bundled agreement's signed text, in OP-XML form, with
the changes typesetting makes (typographic quotes, case, soft hyphens, other paragraph breaks).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest

from convenantgen.authoring.publication import read_publication, targets
from convenantgen.cli import main
from convenantgen.context.dossier import build_context
from convenantgen.context.publication import published_documents
from convenantgen.read.load import load_content
from convenantgen.render.staatscourant import metadata_fields, metadata_record

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "sources" / "staatscourant" / "stcrt-2015-47076.xml"


def _signed_text(dossier: str, document: str) -> str:
    loaded = load_content(ROOT / "content", [dossier])
    (d,) = loaded.dossiers
    (target,) = [t for t in targets(d, build_context(d)) if t.id == document]
    return target.text


def _op_xml(paragraphs: list[str], meta: dict[str, str]) -> str:
    """A publication as KOOP serves it: metadata, the masthead, the text as <al> blocks."""
    metas = "".join(
        f"<meta name={quoteattr(k)} scheme='' content={quoteattr(v)}/>" for k, v in meta.items()
    )
    body = "".join(f"<al>{escape(p)}</al>" for p in paragraphs)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<officiele-publicatie>'
        f"<metadata>{metas}</metadata>"
        "<kop><titel>STAATSCOURANT</titel><subtitel>Officiële uitgave van het Koninkrijk der "
        "Nederlanden sinds 1814.</subtitel></kop>"
        f"<staatscourant><zakelijke-mededeling><zakelijke-mededeling-tekst><tekst>{body}"
        "</tekst></zakelijke-mededeling-tekst></zakelijke-mededeling></staatscourant>"
        "</officiele-publicatie>\n"
    )


def _published(tmp_path: Path, text: str, meta: dict[str, str], name="stcrt.xml") -> Path:
    path = tmp_path / name
    path.write_text(_op_xml([p for p in text.split("\n\n") if p.strip()], meta), "utf-8")
    return path


def _typeset(text: str) -> str:
    """What typesetting does without changing the text: quotes, capitals, a soft hyphen,
    a paragraph split in two."""
    text = text.replace("'", "\u2019").replace("Convenant", "CONVENANT", 1)
    text = text.replace("schoolbesturen", "school\u00adbesturen", 1)
    return text.replace(". ", ".\n\n", 3)


def _content_copy(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    return content


# ---------------------------------------------------------------------------------------------
# The real file


def test_the_real_file_is_read_without_masthead_and_image_text():
    published = read_publication(REAL)
    assert (published.identifier, published.year, published.number) == (
        "stcrt-2015-47076",
        2015,
        "47076",
    )
    assert published.date is None  # the file names its metadata record, not the date
    text = " ".join(published.words)
    assert text.startswith("Ter inzage: omgevingsvergunning •Vennewatersweg 29, 1935 AS,")
    assert "Egmond-Binnen - bouw bedrijfswoning." in text
    assert text.endswith("Burgemeester en wethouders van Bergen (NH)")
    assert "STAATSCOURANT" not in text and "Logo" not in text and "Officiële" not in text


def test_the_real_file_against_an_agreement_lists_the_differences(capsys):
    args = ["publication", "verify", str(REAL), str(ROOT / "content"), "--dossier", "almere"]
    assert main([*args, "--agreement", "addendum-2024"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(
        f"{REAL}: stcrt-2015-47076; compared with almere/addendum-2024\n"
        "  word 1: 'ADDENDUM' became 'Ter inzage omgevingsvergunning Vennewatersweg 29 1935 … "
        "zienswijze kenbaar maken (41 words)'"
    )
    assert "only 1% of the words match: is this the publication of almere/addendum-2024?" in (
        captured.out
    )
    assert "the published text differs from the signed text in 4 place(s)" in captured.err


def test_without_a_document_named_the_candidates_are_listed(capsys):
    assert main(["publication", "verify", str(REAL), str(ROOT / "content")]) == 2
    err = capsys.readouterr().err
    assert "say which document was published: --dossier ID --agreement ID" in err
    assert "almere/addendum-2024" in err and "Traceback" not in err


# ---------------------------------------------------------------------------------------------
# Match and mismatch


def test_the_same_text_typeset_verifies(tmp_path, capsys):
    text = _signed_text("almere", "addendum-2024")
    path = _published(tmp_path, _typeset(text), {"DC.identifier": "stcrt-2024-21836"})
    # The number is the one the lifecycle records: no need to name the agreement.
    assert main(["publication", "verify", str(path), str(ROOT / "content")]) == 0
    out = capsys.readouterr().out
    assert "compared with almere/addendum-2024" in out
    assert "the published text is the signed text: 2726 words (1 word(s) differ in case only)" in (
        out
    )


def test_a_changed_and_a_dropped_word_fail_and_are_listed(tmp_path, capsys):
    text = _signed_text("almere", "addendum-2024")
    changed = text.replace("bij Flevowijs", "bij Flevoland", 1).replace(
        "in vijfvoud ondertekend", "ondertekend", 1
    )
    path = _published(tmp_path, changed, {"DC.identifier": "stcrt-2024-21836"})
    assert main(["publication", "verify", str(path), str(ROOT / "content")]) == 1
    out = capsys.readouterr().out
    assert (
        "word 1985: 'Flevowijs' became 'Flevoland' (… aanmelden voor een selectiegesprek bij [·] "
        "Deze centrale aanmelding en de …)" in out
    )
    assert (
        "word 2635: 'in vijfvoud' is missing (… de Staatscourant Aldus overeengekomen en [·] "
        "ondertekend te Den Haag De …)" in out
    )


# ---------------------------------------------------------------------------------------------
# Recording


def test_record_writes_number_and_date_keeping_comments(tmp_path, capsys):
    content = _content_copy(tmp_path)
    lifecycle = content / "vervangingspool-twente" / "levensloop.yaml"
    before = lifecycle.read_text("utf-8")
    text = _signed_text("vervangingspool-twente", "overeenkomst-vervangingspool")
    meta = {"DC.identifier": "stcrt-2016-40123", "DCTERMS.available": "2016-07-20"}
    path = _published(tmp_path, text, meta)
    args = ["publication", "verify", str(path), str(content), "--dossier"]
    args += ["vervangingspool-twente", "--agreement", "overeenkomst-vervangingspool", "--record"]
    assert main(args) == 0
    assert f"recorded Stcrt. 2016, 40123 of 2016-07-20 in {lifecycle}" in capsys.readouterr().out
    after = lifecycle.read_text("utf-8")
    # Every line that was there is still there, in order (comments included); the
    # publication is added to the agreement's record.
    old_lines, new_lines = before.splitlines(), after.splitlines()
    it = iter(new_lines)
    assert all(line in it for line in old_lines)
    added = [line for line in new_lines if line not in old_lines]
    assert added == [
        "    publication:",
        "      date: 2016-07-20",
        '      citation: {year: 2016, number: "40123"}',
    ]
    assert not [p for p in lifecycle.parent.iterdir() if p.name.endswith(".tmp")]
    # The dossier still checks, and knows its publication now.
    assert main(["check", str(content / "vervangingspool-twente")]) == 0
    loaded = load_content(content, ["vervangingspool-twente"])
    record = loaded.dossiers[0].lifecycle("overeenkomst-vervangingspool")
    assert (record.publication.citation.year, record.publication.citation.number) == (
        2016,
        "40123",
    )
    # Again: nothing to do, nothing changed.
    assert main(args) == 0
    assert "already recorded: Stcrt. 2016, 40123 of 2016-07-20" in capsys.readouterr().out
    assert lifecycle.read_text("utf-8") == after


def test_record_creates_the_lifecycle_file_when_there_is_none(tmp_path, capsys):
    content = _content_copy(tmp_path)
    folder = content / "dierziekten-lnv"
    assert not (folder / "levensloop.yaml").exists()
    text = _signed_text("dierziekten-lnv", "convenant-dierziekten")
    path = _published(tmp_path, text, {"DC.identifier": "stcrt-2019-39306"})
    args = ["publication", "verify", str(path), str(content), "--record", "--date", "2019-07-15"]
    assert main(args) == 0
    assert (folder / "levensloop.yaml").read_text("utf-8") == (
        "kind: lifecycle\n"
        "agreements:\n"
        "  - agreement: convenant-dierziekten\n"
        "    publication:\n"
        "      date: 2019-07-15\n"
        '      citation: {year: 2019, number: "39306"}\n'
    )
    assert main(["check", str(folder)]) == 0


def test_record_refuses_a_different_number_and_changes_nothing(tmp_path, capsys):
    content = _content_copy(tmp_path)
    lifecycle = content / "almere" / "levensloop.yaml"
    before = lifecycle.read_bytes()
    text = _signed_text("almere", "addendum-2024")
    path = _published(tmp_path, text, {"DC.identifier": "stcrt-2024-99999"})
    args = ["publication", "verify", str(path), str(content), "--dossier", "almere"]
    args += ["--agreement", "addendum-2024", "--record", "--date", "2024-07-26"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert (
        "'addendum-2024' already records publication on 2024-07-25 as Stcrt. 2024, 21836; "
        "correct or remove it by hand first" in err
    )
    assert lifecycle.read_bytes() == before


def test_record_is_refused_when_the_text_differs(tmp_path, capsys):
    content = _content_copy(tmp_path)
    lifecycle = content / "vervangingspool-twente" / "levensloop.yaml"
    before = lifecycle.read_bytes()
    text = _signed_text("vervangingspool-twente", "overeenkomst-vervangingspool") + " extra"
    path = _published(tmp_path, text, {"DC.identifier": "stcrt-2016-40123"})
    args = ["publication", "verify", str(path), str(content), "--dossier"]
    args += ["vervangingspool-twente", "--agreement", "overeenkomst-vervangingspool", "--record"]
    assert main([*args, "--date", "2016-07-20"]) == 1
    assert "nothing recorded" in capsys.readouterr().err
    assert lifecycle.read_bytes() == before


def test_record_needs_a_date(tmp_path, capsys):
    content = _content_copy(tmp_path)
    text = _signed_text("dierziekten-lnv", "convenant-dierziekten")
    path = _published(tmp_path, text, {"DC.identifier": "stcrt-2019-39306"})
    assert main(["publication", "verify", str(path), str(content), "--record"]) == 2
    assert "gives no publication date; give it with --date" in capsys.readouterr().err
    assert not (content / "dierziekten-lnv" / "levensloop.yaml").exists()


def test_an_accession_notice_is_recorded_in_its_request(tmp_path, capsys):
    content = _content_copy(tmp_path)
    text = _signed_text("almere", "toetreding-soo-almere-poort-2025")
    meta = {"DC.identifier": "stcrt-2025-20001", "DCTERMS.available": "2025-07-01"}
    path = _published(tmp_path, text, meta)
    args = ["publication", "verify", str(path), str(content), "--dossier", "almere"]
    assert main([*args, "--agreement", "toetreding-soo-almere-poort-2025", "--record"]) == 0
    loaded = load_content(content, ["almere"])
    (acc,) = loaded.dossiers[0].accessions
    assert (acc.notice.date.isoformat(), acc.notice.citation.number) == ("2025-07-01", "20001")


# ---------------------------------------------------------------------------------------------
# Bad files


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<officiele-publicatie><al>x</al>", "is not well-formed XML"),
        (b"<html><body>x</body></html>", "its root element is <html>, not <officiele-publicatie>"),
        (b"<officiele-publicatie><metadata/></officiele-publicatie>", "holds no published text"),
        (
            b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<officiele-publicatie><al>&x;</al></officiele-publicatie>",
            # The reader import uses too (read.opxml) refuses the declaration outright.
            "declares a document type or entities",
        ),
    ],
)
def test_bad_files_give_a_message(tmp_path, capsys, data, message):
    path = tmp_path / "stcrt.xml"
    path.write_bytes(data)
    assert main(["publication", "verify", str(path), str(ROOT / "content")]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and "root:" not in err


def test_a_missing_file_gives_a_message(tmp_path, capsys):
    assert main(["publication", "verify", str(tmp_path / "nope.xml")]) == 1
    assert "cannot read" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# The Staatscourant metadata record


def test_metadata_record_of_the_almere_addendum():
    loaded = load_content(ROOT / "content", ["almere"])
    (d,) = loaded.dossiers
    docs = {p.id: p for p in published_documents(d, None, build_context(d))}
    fields = metadata_fields(docs["addendum-2024"])
    names = [name for name, _, _ in fields]
    for required in (
        "DC.creator",
        "DC.identifier",
        "DC.title",
        "DC.type",
        "DCTERMS.available",
        "DCTERMS.language",
        "DCTERMS.publisher",
        "OVERHEID.category",
        "OVERHEID.organisationType",
        "OVERHEIDop.jaargang",
        "OVERHEIDop.publicationIssue",
        "OVERHEIDop.publicationName",
    ):
        assert required in names, required
    values = {(name, scheme): content for name, scheme, content in fields}
    assert values["DC.identifier", "OVERHEIDop.StcrtID"] == "stcrt-2024-21836"
    assert values["DC.creator", "OVERHEID.Ministerie"] == (
        "De Minister van Onderwijs, Cultuur en Wetenschap"
    )
    assert values["OVERHEID.organisationType", "OVERHEID.Organisatietype"] == "ministerie"
    assert values["OVERHEIDop.datumOndertekening", "DCTERMS.W3CDTF"] == "2024-07-08"
    assert values["DCTERMS.relation", ""] == "stcrt-2020-38286"
    assert values["DC.type", "OVERHEIDop.Staatscourant"] == "Convenanten"
    record = metadata_record(docs["addendum-2024"])
    assert record == metadata_record(docs["addendum-2024"])
    assert b'<metadata name="OVERHEIDop.publicationIssue" scheme="" content="21836" />' in record
    # The accession's notice has not appeared yet: our own identifier, no number.
    notice = dict(
        ((n, s), c) for n, s, c in metadata_fields(docs["toetreding-soo-almere-poort-2025"])
    )
    assert notice["DC.identifier", ""] == "almere-toetreding-soo-almere-poort-2025"
    assert ("OVERHEIDop.publicationIssue", "") not in notice
