"""The context layer on the Almere dossier: generated numbers, Dutch wording, party blocks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dossier_factory import base_files, replace, write

from convenantgen.context.agreement import sources_hash
from convenantgen.context.dossier import build_context
from convenantgen.read.load import load_content
from convenantgen.text.wording import Wording

BLANK = Wording.default().text("agreement.blank")

CONTENT = Path(__file__).resolve().parents[1] / "content"


@pytest.fixture(scope="module")
def almere(almere_loaded):
    loaded = almere_loaded
    assert not loaded.failed(), [d.message for d in loaded.report.errors]
    return loaded.dossiers[0]


@pytest.fixture(scope="module")
def ctx(almere):
    return build_context(almere)


@pytest.fixture(scope="module")
def addendum(ctx):
    (agreement,) = ctx.agreements
    return agreement


def test_title_from_amended_covenant_and_citation(addendum):
    assert addendum.title == (
        "ADDENDUM bij het Convenant Uitvoering Noodplannen personeelstekort G5: Almere "
        "(Stcrt. 2020, 38286)"
    )


def test_parties_block_in_published_shapes(addendum):
    ministers, gemeente, besturen, opleidingen = addendum.parties
    assert ministers.intro == (
        "De Minister van Onderwijs, Cultuur en Wetenschap, R. Dijkgraaf, en de Minister voor "
        "Primair en Voortgezet Onderwijs, M. Paul, handelend als bestuursorgaan en als "
        "vertegenwoordigers van de Staat der Nederlanden, hierna: de Ministers;"
    )
    assert gemeente.intro == (
        "Het college van burgemeester en wethouders van Almere, te dezen vertegenwoordigd door "
        "de wethouder Onderwijs (primair en voortgezet), mevrouw F. de Jonge, hierna: de gemeente;"
    )
    assert besturen.intro == (
        "de schoolbesturen, te dezen vertegenwoordigd door de voorzitter CvB van de Almeerse "
        "Scholen Groep (ASG), mevrouw S. Olivier,"
    )
    assert besturen.closing == "hierna: de schoolbesturen;"
    # Members at the start of the addendum: the school board joining in 2025 is not listed.
    assert len(besturen.members) == 11
    assert "Stg. Prisma, stg. prot. chr. & oecumen. onderwijs in Almere" in besturen.members
    assert "Stichting Openbaar Onderwijs Almere-Poort" not in besturen.members
    assert opleidingen.members == ("Hogeschool Windesheim Almere",)


def test_considerations_have_rendered_references(addendum):
    assert addendum.considerations[0].endswith("afloopt op 31 augustus 2024;")
    assert addendum.considerations[2] == (
        "Dit een voortzetting is in de zin van artikel 9 van het Convenant;"
    )


def test_sections_clauses_and_amendments(addendum):
    headings = [s.heading for s in addendum.sections]
    assert headings == [
        "1. Definities",
        "2. Hernieuwde maatregelen",
        "3. Toetreding Convenant",
        "4. Verlenging looptijd Convenant en inwerkingtreding addendum",
        "5. Publicatie in Staatscourant",
    ]
    (definitions,) = addendum.sections[0].clauses
    assert definitions.label == ""  # published without a clause number
    assert definitions.paragraphs == ("Aan artikel 1 van het Convenant wordt toegevoegd:",)
    assert [(d.label, d.term) for d in definitions.definitions] == [
        ("g.", "Versneld voor de Klas"),
        ("h.", "Zij-instromer"),
    ]
    (replace,) = addendum.sections[1].clauses
    assert replace.label == "2.1."
    assert replace.paragraphs == ("Artikel 3 van het Convenant komt te luiden:",)
    assert replace.article.heading == "Artikel 3 Maatregelen en resultaten"
    assert [p.heading for p in replace.article.parts] == [
        "Artikel 3.1",
        "Artikel 3.2 Onderwijsregio Almere",
    ]
    # 3.2 refers to the procedure of 3.1 by id: the number is generated, not typed.
    toetreding = addendum.sections[2].clauses
    assert [c.label for c in toetreding] == ["3.1.", "3.2.", "3.3.", "3.4."]
    assert toetreding[1].paragraphs[0].endswith("als beschreven in artikel 3.1;")


def test_measures_and_targets(addendum):
    part = addendum.sections[1].clauses[0].article.parts[0]
    assert [m.letter for m in part.measures] == ["A", "B", "C", "D", "E"]
    a, b, c, _, e = part.measures
    assert a.heading == (
        "Maatregel A: Opzetten gezamenlijk begeleidingsprogramma voor nieuwe talenten binnen "
        "het onderwijs"
    )
    assert [lst.title for lst in a.lists] == [
        "Wat heeft tot nu toe gewerkt en willen de convenantpartijen behouden:",
        "Wat gaan de convenantpartijen versterken:",
    ]
    assert a.targets[0].startswith("Het percentage uitval is kleiner dan 10% bij startende")
    assert "minimaal een 7,0." in b.targets[0]
    assert c.targets[0] == (
        "In de periode van 1 januari 2024 tot en met 31 december 2025 worden er nog eens "
        "20 leraarondersteuners opgeleid."
    )
    assert e.targets[0].startswith("Opleiden en begeleiden van 40 zij-instromers in beroep")
    assert "krijgen de zij-instromers 4 uur extra begeleiding" in e.targets[1]


def test_closing_and_signature_groups(addendum):
    assert addendum.closing == "Aldus overeengekomen en in vijfvoud ondertekend, te Den Haag"
    assert [g.group for g in addendum.signature_groups] == [
        "ministers",
        "gemeente",
        "schoolbesturen",
        "lerarenopleidingen",
    ]
    assert [s.name for s in addendum.signatories] == [
        "R. Dijkgraaf",
        "M. Paul",
        "F. de Jonge",
        "S. Olivier",
        "H. Moukaddim",
    ]
    olivier = addendum.signatories[3]
    assert olivier.on_behalf_of == "namens de schoolbesturen"
    assert olivier.marker == "sigfield:asg-po"
    assert addendum.signature_groups[1].intro == (
        "Het college van burgemeester en wethouders van Almere, te dezen vertegenwoordigd door "
        "de wethouder Onderwijs (primair en voortgezet),"
    )


def test_accession_has_one_consent_per_current_party(ctx):
    (acc,) = ctx.accessions
    assert acc.party_name == "Stichting Openbaar Onderwijs Almere-Poort"
    assert acc.effective == "1 augustus 2025"
    assert acc.clause_label == "artikel 3.1"
    assert len(acc.consents) == 15
    assert "soo-almere-poort" not in {c.signatory.party_id for c in acc.consents}
    assert acc.penvoerder.organisation == "Almeerse Scholen Groep (ASG - PO)"
    assert acc.address == (
        "Ministerie van Onderwijs, Cultuur en Wetenschap",
        "Postbus 16375",
        "2500 BJ Den Haag",
    )


def test_sources_hash_is_short_stable_and_follows_content(almere, tmp_path):
    version = sources_hash(almere)
    assert len(version) == 12 and int(version, 16) >= 0
    copy = tmp_path / "almere"
    shutil.copytree(CONTENT / "almere", copy)
    same = load_content(copy).dossiers[0]
    assert sources_hash(same) == version  # independent of where the content lives
    with (copy / "maatregelen.yaml").open("a", encoding="utf-8") as fh:
        fh.write("# a comment changes the version\n")
    changed = load_content(copy).dossiers[0]
    assert sources_hash(changed) != version


def test_a_text_keeps_its_version_id_when_something_it_does_not_show_changes(tmp_path):
    def versions(files):
        ctx = build_context(load_content(write(tmp_path / "proef", files)).dossiers[0])
        return {x.id: (x.version, x.footer) for x in (*ctx.agreements, *ctx.accessions)}

    before = versions(base_files())
    # The footer: short title, version date, the covenant's citation, version.
    assert before["basis"] == (
        before["basis"][0],
        f"Proefconvenant lerarentekort · 1 juni 2024 · Stcrt. 2024, 12345 · versie "
        f"{before['basis'][0]}",
    )
    assert len({v for v, _ in before.values()}) == 3 and all(
        len(v) == 12 for v, _ in before.values()
    )
    # A target value is shown in the covenant's text only.
    after = versions(replace(base_files(), "maatregelen.yaml", "value: 40\n", "value: 45\n"))
    assert after["basis"] != before["basis"]
    assert after["addendum-1"] == before["addendum-1"]
    assert after["toetreding-gamma"] == before["toetreding-gamma"]
    # A party's name is shown in every text that party signs or consents in.
    renamed = versions(replace(base_files(), "partijen.yaml", "Stichting Beta & Co", "Stichting B"))
    assert all(renamed[k] != before[k] for k in before)


def test_full_text_covenant_and_parties_that_each_sign(tmp_path):
    # The small inline dossier: a covenant with its own text, a group whose parties each sign.
    dossier = load_content(write(tmp_path / "proef", base_files())).dossiers[0]
    ctx = build_context(dossier)
    convenant = next(a for a in ctx.agreements if a.kind == "convenant")
    assert convenant.title == "Proefconvenant lerarentekort"
    (block,) = convenant.parties
    assert block.intro == "de schoolbesturen,"
    assert block.members == (
        "Stichting Alfa, te dezen vertegenwoordigd door de voorzitter college van bestuur, "
        "mevrouw A. Jansen",
        "Stichting Beta & Co, te dezen vertegenwoordigd door de bestuurder, de heer B. de Vries",
    )
    assert [g.intro for g in convenant.signature_groups] == [
        "Stichting Alfa, te dezen vertegenwoordigd door de voorzitter college van bestuur,",
        "Stichting Beta & Co, te dezen vertegenwoordigd door de bestuurder,",
    ]
    assert convenant.closing == (
        "Aldus overeengekomen en in tweevoud ondertekend, te Utrecht, op 1 juni 2024"
    )
    addendum = next(a for a in ctx.agreements if a.kind == "addendum")
    assert addendum.title == "ADDENDUM bij het Proefconvenant lerarentekort (Stcrt. 2024, 12345)"
    assert addendum.considerations == () and addendum.considerations_heading == ""


def test_consents_leave_unknown_places_and_roles_to_fill_in(ctx):
    (acc,) = ctx.accessions
    assert acc.clause_heading == "Artikel 3.1 van het addendum"
    by_party = {c.signatory.party_id: c.signatory for c in acc.consents}
    # No one named: the name line says for whom and in what role it is signed (wording
    # signing.unnamed, signatory_roles.schoolbestuur); the role and place stay to fill in.
    prisma = by_party["prisma"]
    assert prisma.place == BLANK and prisma.role == BLANK
    assert prisma.name == (
        "____________________ (bestuurder van Stg. Prisma, stg. prot. chr. & oecumen. onderwijs "
        "in Almere)"
    )
    assert by_party["gemeente-almere"].place == "Almere"
    assert by_party["gemeente-almere"].role == "de wethouder Onderwijs (primair en voortgezet)"


def test_parts_and_measures_added_to_an_article_continue_its_numbering(tmp_path):
    # issue 20: an addendum that adds to article 3 of a covenant known by reference, which
    # already has members 3.1-3.2 and measures A-E, continues with 3.3 and Maatregel F.
    folder = tmp_path / "almere"
    shutil.copytree(CONTENT / "almere", folder)
    convenant = folder / "convenant.yaml"
    text = convenant.read_text("utf-8")
    old = '    number: "3"\n    title: Maatregelen en resultaten\n'
    assert old in text
    convenant.write_text(text.replace(old, old + "    parts: 2\n    measures: 5\n"), "utf-8")
    addendum_file = folder / "addendum.yaml"
    text = addendum_file.read_text("utf-8")
    old = "amend: {article: convenant-maatregelen, action: replace}"
    assert old in text
    addendum_file.write_text(
        text.replace(old, "amend: {article: convenant-maatregelen, action: add}"), "utf-8"
    )
    loaded = load_content(folder)
    assert not loaded.failed(), [d.format(folder) for d in loaded.report.sorted()]
    (agreement,) = build_context(loaded.dossiers[0]).agreements
    (added,) = agreement.sections[1].clauses
    assert added.paragraphs == ("Aan artikel 3 van het Convenant wordt toegevoegd:",)
    assert added.article.heading == "Artikel 3 Maatregelen en resultaten"
    assert [p.heading for p in added.article.parts] == [
        "Artikel 3.3",
        "Artikel 3.4 Onderwijsregio Almere",
    ]
    assert [m.letter for m in added.article.parts[0].measures] == ["F", "G", "H", "I", "J"]
    assert added.article.parts[0].measures[0].heading.startswith("Maatregel F: ")
    # A bad count is a schema error at its place.
    convenant.write_text(
        convenant.read_text("utf-8").replace("    parts: 2\n", "    parts: -1\n"), "utf-8"
    )
    loaded = load_content(folder)
    line = convenant.read_text("utf-8").splitlines().index("    parts: -1") + 1
    assert any(
        d.format(folder).startswith(f"convenant.yaml:{line}:12: error")
        for d in loaded.report.sorted()
    ), [d.format(folder) for d in loaded.report.sorted()]
