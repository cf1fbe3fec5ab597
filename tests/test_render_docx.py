"""Word documents: the text inside the generated DOCX, escaping, markers, reproducibility."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from dossier_factory import base_files, write
from jinja2.exceptions import SecurityError, UndefinedError
from lxml import etree

from convenantgen.context.dossier import build_context
from convenantgen.read.load import load_content
from convenantgen.render.docx.numbering import shown_text
from convenantgen.render.docx.render import (
    TEMPLATES,
    agreement_documents,
    jinja_env,
    render_documents,
)
from convenantgen.resources import templates_dir

CONTENT = Path(__file__).resolve().parents[1] / "content"
PRISMA = "Stg. Prisma, stg. prot. chr. & oecumen. onderwijs in Almere"
STEM = "almere-toetreding-toetreding-soo-almere-poort-2025"


def docx_text(data: bytes) -> str:
    """All text of a .docx: body paragraphs (with the numbers Word shows before them), tables,
    headers and footers."""
    document = docx.Document(io.BytesIO(data))
    parts = shown_text(data)
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in document.sections:
        for hf in (section.header, section.footer):
            parts += [p.text for p in hf.paragraphs]
    return "\n".join(parts)


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode("utf-8")


def load(folder: Path):
    loaded = load_content(folder)
    assert not loaded.failed(), [d.message for d in loaded.report.errors]
    return loaded.dossiers[0]


def edited_almere(tmp_path: Path, file: str, old: str, new: str):
    """A copy of the Almere dossier with one text replaced."""
    folder = tmp_path / "almere"
    shutil.copytree(CONTENT / "almere", folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load(folder)


@pytest.fixture(scope="module")
def almere(almere_loaded):
    assert not almere_loaded.failed(), [d.message for d in almere_loaded.report.errors]
    return almere_loaded.dossiers[0]


@pytest.fixture(scope="module")
def documents(almere):
    return {d.name: d for d in render_documents(almere)}


@pytest.fixture(scope="module")
def addendum_text(documents):
    return docx_text(documents["almere-addendum-2024"].data)


def test_document_names_and_kinds(documents):
    names = set(documents)
    assert {
        "almere-addendum-2024",
        "almere-handtekeningen-addendum-2024",
        f"{STEM}-verklaring",
        f"{STEM}-begeleidende-brief",
        f"{STEM}-staatscourant",
    } <= names
    consents = [d for d in documents.values() if d.kind == "accession-consent"]
    assert len(consents) == 15
    # Almere's covenant is known only by reference: no text in force is composed for it.
    assert {d.kind for d in documents.values()} == set(TEMPLATES) - {"consolidated"}
    assert all(d.dossier == "almere" for d in documents.values())


def test_every_party_name_appears_exactly(almere, addendum_text, documents):
    start = dt.date(2024, 8, 1)
    for party in almere.parties:
        if party.member_on(start):
            # The second Minister is named inside a sentence: "en de Minister voor ...".
            inside = party.name[0].lower() + party.name[1:]
            assert party.name in addendum_text or inside in addendum_text, party.name
    assert "Stichting Openbaar Onderwijs Almere-Poort" not in addendum_text
    # The ampersand survives both as XML (escaped once) and as text.
    xml = document_xml(documents["almere-addendum-2024"].data)
    assert PRISMA.replace("&", "&amp;") in xml
    assert "&amp;amp;" not in xml


@pytest.mark.parametrize(
    "expected",
    [
        "kleiner dan 10%",
        "minimaal een 7,0",
        "40 zij-instromers",
        "20 leraarondersteuners",
        "4 uur",
        "Deelname 50%",
        "handhaven van 75% tevredenheid",
        "1 januari 2024 tot en met 31 december 2025",
    ],
)
def test_target_values(addendum_text, expected):
    assert expected in addendum_text


def test_generated_numbers_and_closing(addendum_text):
    lines = addendum_text.split("\n")
    assert lines[0].startswith("ADDENDUM bij het Convenant Uitvoering Noodplannen")
    for heading in (
        "1. Definities",
        "Artikel 3 Maatregelen en resultaten",
        "Artikel 3.1",
        "Artikel 3.2 Onderwijsregio Almere",
        "Maatregel E: Zij-instroom",
        "Beoogd resultaat:",
    ):
        assert heading in lines, heading
    assert "2.1.\tArtikel 3 van het Convenant komt te luiden:" in lines
    assert "g.\tVersneld voor de Klas: traject waarbij" in addendum_text
    assert any(line.startswith("3.2.\tIndien een lerarenopleiding") for line in lines)
    assert "als beschreven in artikel 3.1;" in addendum_text
    assert "Aldus overeengekomen en in vijfvoud ondertekend, te Den Haag" in lines
    assert [line for line in lines if line in {"R. Dijkgraaf", "M. Paul", "S. Olivier"}] == [
        "R. Dijkgraaf",
        "M. Paul",
        "S. Olivier",
    ]
    # No template tag survives rendering.
    assert "{{" not in addendum_text and "{%" not in addendum_text


def test_footer_has_version_and_page_numbers(almere, documents):
    ctx = build_context(almere)
    (addendum,) = ctx.agreements
    (accession,) = ctx.accessions
    for name, doc in documents.items():
        data = doc.data
        document = docx.Document(io.BytesIO(data))
        footer = document.sections[0].footer
        # The version id of the text the document belongs to: the addendum's for its text and
        # signature pages, the accession request's for its declaration, consents, letter, notice.
        own = accession if accession.id in name else addendum
        text = footer.paragraphs[0].text
        # Short title, version date, reference where known (the request's kenmerk), version.
        if own is accession:
            expected = f"Toetreding tot G5 Almere · 15 mei 2025 · {accession.reference} · "
        else:
            expected = "Addendum G5 Almere · 1 augustus 2024 · "
        assert text.startswith(f"{expected}versie {own.version} · pagina ")
        footer_xml = footer._element.xml
        assert 'w:instr="PAGE"' in footer_xml and 'w:instr="NUMPAGES"' in footer_xml


def signature_marks(data: bytes) -> list[tuple[str, list[str]]]:
    """Per paragraph with bookmarks: its text and the names of its bookmarks."""
    return [
        (p.text, [b.get(qn("w:name")) for b in p._p.findall(qn("w:bookmarkStart"))])
        for p in docx.Document(io.BytesIO(data)).paragraphs
        if p._p.find(qn("w:bookmarkStart")) is not None
    ]


def test_signature_pages_have_blocks_and_markers(documents):
    data = documents["almere-handtekeningen-addendum-2024"].data
    text = docx_text(data)
    for name in ("R. Dijkgraaf", "M. Paul", "F. de Jonge", "S. Olivier", "H. Moukaddim"):
        assert f"Naam: {name}" in text
    assert "sigfield" not in text  # the markers are bookmarks, not text
    assert "namens de schoolbesturen" in text
    assert "Functie: de wethouder Onderwijs (primair en voortgezet)" in text
    assert text.count("Datum: ____") == 5
    marks = signature_marks(data)
    # One bookmark per signatory, on the signature line itself.
    assert [names for _, names in marks] == [
        ["sigfield_minister_ocw"],
        ["sigfield_minister_pvo"],
        ["sigfield_gemeente_almere"],
        ["sigfield_asg_po"],
        ["sigfield_windesheim_almere"],
    ]
    assert all(text.startswith("____") for text, _ in marks)


def test_accession_documents(documents):
    declaration = docx_text(documents[f"{STEM}-verklaring"].data)
    assert "Verklaring van instemming met de bepalingen in het convenant" in declaration
    assert "Stichting Openbaar Onderwijs Almere-Poort" in declaration
    assert "met ingang van 1 augustus 2025" in declaration
    assert signature_marks(documents[f"{STEM}-verklaring"].data) == [
        ("_" * 40 + " ", ["sigfield_soo_almere_poort"])
    ]
    prisma = docx_text(documents[f"{STEM}-instemming-prisma"].data)
    assert "Verklaring van instemming tot toetreding" in prisma
    # The statement, the signature block and its name line: Prisma names no representative,
    # so the line says who signs for it ("Naam: ____ (bestuurder van Stg. Prisma, ...)").
    assert prisma.count(PRISMA) == 3
    assert f"Naam: {'_' * 20} (bestuurder van {PRISMA})" in prisma
    assert [m for _, m in signature_marks(documents[f"{STEM}-instemming-prisma"].data)] == [
        ["sigfield_prisma"]
    ]
    letter = docx_text(documents[f"{STEM}-begeleidende-brief"].data)
    for line in (
        "Almeerse Scholen Groep (ASG - PO)",
        "Ministerie van Onderwijs, Cultuur en Wetenschap",
        "Postbus 16375",
        "2500 BJ Den Haag",
    ):
        assert line in letter.split("\n")
    assert "de 15 verklaringen van instemming tot toetreding" in letter
    assert f"Verklaring van instemming tot toetreding van {PRISMA}" in letter
    notice = docx_text(documents[f"{STEM}-staatscourant"].data)
    # The publishing authority (here the penvoerder: no organisation in the settings), then
    # the title.
    assert notice.startswith(
        "Almeerse Scholen Groep (ASG - PO)\n"
        "Mededeling van de toetreding van Stichting Openbaar Onderwijs Almere-Poort"
    )
    assert "Met ingang van 1 augustus 2025 is Stichting Openbaar Onderwijs Almere-Poort" in notice


def test_consent_per_current_party(almere, documents):
    consents = {
        d.name.rsplit("-instemming-", 1)[1]: docx_text(d.data)
        for d in documents.values()
        if d.kind == "accession-consent"
    }
    current = [p for p in almere.parties if p.member_on(dt.date(2025, 5, 15))]
    assert sorted(consents) == sorted(p.id for p in current)
    for party in current:
        assert party.name in consents[party.id]
        assert "sigfield" not in consents[party.id]


def test_two_renders_are_byte_identical(almere, documents):
    again = {d.name: d.data for d in render_documents(almere)}
    assert again == {name: d.data for name, d in documents.items()}


def test_package_is_normalised_and_metadata_fixed(documents):
    data = documents["almere-addendum-2024"].data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.author == "Almeerse Scholen Groep (ASG - PO)"
    assert props.title.startswith("ADDENDUM bij het Convenant")
    assert props.created.date() == dt.date(2024, 8, 1)
    assert props.modified == props.created
    # Subject and keywords from the YAML: the covenant with its citation, the dossier's short
    # title and its themes.
    assert props.subject == (
        "Convenant Uitvoering Noodplannen personeelstekort G5: Almere (Stcrt. 2020, 38286)"
    )
    assert props.keywords == "convenant; G5 Almere; Behoud; Instroom; Anders organiseren"
    assert props.last_modified_by == props.author


def test_extended_properties_name_the_engine_and_the_penvoerder(documents):
    for name in ("almere-addendum-2024", f"{STEM}-begeleidende-brief"):
        with zipfile.ZipFile(io.BytesIO(documents[name].data)) as z:
            app = etree.fromstring(z.read("docProps/app.xml"))
        ns = {
            "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
            "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
        }
        assert app.findtext("ep:Application", namespaces=ns) == "convenantgen"
        assert app.findtext("ep:Company", namespaces=ns) == "Almeerse Scholen Groep (ASG - PO)"
        assert app.findtext("ep:TitlesOfParts/vt:vector/vt:lpstr", namespaces=ns) == (
            documents[name].title
        )
        # Word's counts and template name were the template's, not this document's.
        assert app.find("ep:Template", ns) is None and app.find("ep:Pages", ns) is None


def test_special_characters_in_a_party_name_survive(tmp_path):
    name = 'Stichting <Viertaal> & "Zonen" \U0001f393'
    dossier = edited_almere(
        tmp_path, "partijen.yaml", "name: Stichting Viertaal", f"name: '{name}'"
    )
    docs = {d.name: d for d in render_documents(dossier)}
    text = docx_text(docs["almere-addendum-2024"].data)
    assert name in text.split("\n")
    consent = docx_text(docs[f"{STEM}-instemming-viertaal"].data)
    assert name in consent


def test_template_syntax_in_yaml_text_appears_literally(tmp_path):
    literal = "Partijen rekenen {{ 7*7 }} en {% if true %}ja{% endif %} {{ a.title }} {_{ x }_};"
    dossier = edited_almere(
        tmp_path,
        "addendum.yaml",
        "text: Partijen toetreding tot het Convenant mogelijk willen maken;",
        f"text: '{literal}'",
    )
    (addendum, _) = agreement_documents(build_context(dossier).agreements[0])
    text = docx_text(addendum.data)
    assert literal in text.split("\n")
    assert "49" not in text


def test_templates_are_word_files_with_tags():
    for name in TEMPLATES.values():
        document = docx.Document(str(templates_dir() / name))
        body = "\n".join(p.text for p in document.paragraphs)
        assert "{{" in body
        assert "{{ footer }}" in document.sections[0].footer.paragraphs[0].text


def test_environment_is_strict_sandboxed_and_escaping():
    env = jinja_env()
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render()
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__.__mro__ }}").render(x="")
    assert env.from_string("{{ x }}").render(x="a & <b>") == "a &amp; &lt;b&gt;"


def test_full_text_covenant_renders_with_the_same_template(tmp_path):
    dossier = load(write(tmp_path / "proef", base_files()))
    docs = {d.name: d for d in render_documents(dossier)}
    convenant = docx_text(docs["proef-basis"].data)
    assert convenant.startswith("Proefconvenant lerarentekort\n")
    assert "Stichting Beta & Co, te dezen vertegenwoordigd door de bestuurder," in convenant
    assert "Maatregel A: Begeleiding van starters" in convenant
    assert "in tweevoud ondertekend, te Utrecht, op 1 juni 2024" in convenant
    addendum = docx_text(docs["proef-addendum-1"].data)
    assert "Overwegende dat:" not in addendum
    assert "1.1.\tDe looptijd wordt verlengd tot en met 31 juli 2026." in addendum
