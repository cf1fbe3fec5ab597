"""Parties of any kind: mandates, several signers per party, 'tevens handelend namens', list
styles, Dutch kind names, and the rules that keep them consistent (issue 10)."""

from __future__ import annotations

from dossier_factory import base_files, line_of, replace, write

from convenantgen.context.dossier import build_context
from convenantgen.read.load import load_content
from convenantgen.read.schemas import load_schemas
from convenantgen.text.wording import PARTY_KINDS, Wording

# A minister signing through an official under mandate, and a sector group in a numbered list
# with one designation for all parties; one party with a chair and a vice-chair, one that also
# acts for another body, one whose representative has no role.
PARTIES = """\
kind: parties
groups:
  - id: minister
    signing: each
  - id: sector
    heading: "de sectorpartijen:"
    numbered: true
    signing: each
parties:
  - id: minister-lnv
    name: De Minister van Landbouw, Natuur en Voedselkwaliteit
    kind: minister
    group: minister
    capacity: handelend als bestuursorgaan
    mandate:
      official: {name: M. Sonnema, role: Directeur-Generaal Agro}
    joined: 2024-08-01
  - id: zuivel
    name: De vereniging ZuivelNL
    kind: vereniging
    group: sector
    representative: {name: J. Jorritsma, title: de heer, role: voorzitter}
    joined: 2024-08-01
  - id: kalf
    name: De stichting Brancheorganisatie Kalversector
    kind: brancheorganisatie
    group: sector
    also_on_behalf_of: de Stichting DGF kalversector
    representative: {name: W. Thus, title: de heer, role: bestuurslid, role_article: het}
    joined: 2024-08-01
  - id: avined
    name: De stichting AVINED
    kind: stichting
    group: sector
    representatives:
      - {name: H. de Haan, title: mevrouw, role: voorzitter}
      - {name: E. Hubers, title: de heer, role: vicevoorzitter}
    joined: 2024-08-01
    penvoerder: true
  - id: schapen
    name: De vakgroep Schapenhouderij van LTO Nederland
    kind: other
    group: sector
    representative: {name: S. Duives-Cahuzak, title: mevrouw}
    joined: 2024-08-01
"""


def sector_files() -> dict[str, str]:
    files = {k: v for k, v in base_files().items() if k not in {"toetredingen.yaml"}}
    files["partijen.yaml"] = PARTIES
    files = replace(files, "convenant.yaml", "parties: [besturen]", "parties: [minister, sector]")
    files = replace(
        files,
        "convenant.yaml",
        "considerations:",
        "party_list: {designation: partijen}\nconsiderations:",
    )
    files = replace(files, "convenant.yaml", "kinds: [schoolbestuur]", "kinds: [vereniging]")
    # The minister's official and five people for four sector parties (AVINED signs twice).
    files = replace(files, "convenant.yaml", "  copies: 2", "  copies: 6")
    files = replace(files, "addendum.yaml", "parties: [besturen]", "parties: [minister, sector]")
    files = replace(files, "addendum.yaml", "  copies: 3", "  copies: 6")
    return files


def _agreement(loaded, agreement_id):
    return next(a for a in build_context(loaded.dossiers[0]).agreements if a.id == agreement_id)


def run(tmp_path, files):
    folder = write(tmp_path / "proef", files)
    loaded = load_content(folder)
    return [d.format(folder) for d in loaded.report.sorted()], loaded


def test_sector_parties_pass_check_and_read_as_written(tmp_path):
    lines, loaded = run(tmp_path, sector_files())
    assert lines == []
    ctx = _agreement(loaded, "basis")
    minister, sector = ctx.parties
    assert minister.intro == (
        "De Minister van Landbouw, Natuur en Voedselkwaliteit, handelend als bestuursorgaan, "
        "te dezen vertegenwoordigd door de Directeur-Generaal Agro, M. Sonnema;"
    )
    assert sector.intro == "de sectorpartijen:"
    assert sector.members == (
        "1. De vereniging ZuivelNL, te dezen vertegenwoordigd door de voorzitter, de heer "
        "J. Jorritsma;",
        "2. De stichting Brancheorganisatie Kalversector, te dezen vertegenwoordigd door "
        "het bestuurslid, de heer W. Thus, tevens handelend namens de Stichting DGF "
        "kalversector;",
        "3. De stichting AVINED, te dezen vertegenwoordigd door de voorzitter, mevrouw H. de "
        "Haan en de vicevoorzitter, de heer E. Hubers;",
        # No role: the person alone, never the party's name a second time.
        "4. De vakgroep Schapenhouderij van LTO Nederland, te dezen vertegenwoordigd door "
        "mevrouw S. Duives-Cahuzak;",
    )
    assert sector.closing == "verder te noemen: partijen;"
    assert ctx.closing.startswith("Aldus overeengekomen en in zesvoud ondertekend")
    # Every signer has a block and a marker of their own; the official is not the minister.
    signers = ctx.signatories
    assert [s.marker for s in signers] == [
        "sigfield:minister-lnv",
        "sigfield:zuivel",
        "sigfield:kalf",
        "sigfield:avined",
        "sigfield:avined:2",
        "sigfield:schapen",
    ]
    official = signers[0]
    assert (official.organisation, official.name, official.role) == (
        "De Minister van Landbouw, Natuur en Voedselkwaliteit",
        "M. Sonnema",
        "Directeur-Generaal Agro",
    )
    assert ctx.signature_groups[0].intro == (
        "De Minister van Landbouw, Natuur en Voedselkwaliteit, namens deze:"
    )
    avined = next(g for g in ctx.signature_groups if g.signatories[0].party_id == "avined")
    assert [s.name for s in avined.signatories] == ["H. de Haan", "E. Hubers"]
    assert avined.intro == (
        "De stichting AVINED, te dezen vertegenwoordigd door de voorzitter en de vicevoorzitter,"
    )


def test_person_first_formula(tmp_path):
    files = replace(
        sector_files(),
        "convenant.yaml",
        "party_list:",
        'formulas:\n  representative: "{{ person }}{% if role %}, {{ role }}{% endif %}"\n'
        '  represented: "vertegenwoordigd door {{ people }}"\nparty_list:',
    )
    lines, loaded = run(tmp_path, files)
    assert lines == []
    sector = _agreement(loaded, "basis").parties[1]
    assert sector.members[2] == (
        "3. De stichting AVINED, vertegenwoordigd door mevrouw H. de Haan, voorzitter en "
        "de heer E. Hubers, vicevoorzitter;"
    )


def _expect(tmp_path, files, name, needle, expected):
    lines, _ = run(tmp_path, files)
    line = line_of(files[name], needle)
    assert f"{name}:{line}:{expected}" in lines, "\n".join(lines)
    return lines


def test_signatory_twice_group_listed_twice(tmp_path):
    files = replace(
        sector_files(),
        "convenant.yaml",
        "  copies: 6",
        "  copies: 6\n  groups: [minister, sector, sector]",
    )
    _expect(
        tmp_path,
        files,
        "convenant.yaml",
        "groups: [minister, sector, sector]",
        "3: error [signatory-twice] party 'zuivel' would sign 'basis' twice (again for group "
        "'sector'); list each group once",
    )


def test_signatory_twice_same_person(tmp_path):
    files = replace(
        sector_files(),
        "partijen.yaml",
        "      - {name: E. Hubers, title: de heer, role: vicevoorzitter}",
        "      - {name: H. de Haan, title: mevrouw, role: vicevoorzitter}",
    )
    _expect(
        tmp_path,
        files,
        "partijen.yaml",
        "- {name: H. de Haan, title: mevrouw, role: vice",
        "16: error [signatory-twice] H. de Haan is named twice as a signer of party 'avined'; "
        "each person signs once",
    )


def test_mandate_with_a_second_signer(tmp_path):
    files = replace(
        sector_files(),
        "partijen.yaml",
        "      official: {name: M. Sonnema, role: Directeur-Generaal Agro}",
        "      official: {name: M. Sonnema, role: Directeur-Generaal Agro}\n"
        "    representative: {name: C. Schouten}",
    )
    _expect(
        tmp_path,
        files,
        "partijen.yaml",
        "representative: {name: C. Schouten}",
        "28: error [mandate-signers] party 'minister-lnv' is represented under mandate by "
        "M. Sonnema; 'C. Schouten' cannot sign as well: remove them, or drop the mandate",
    )


def test_mandate_official_made_the_minister(tmp_path):
    files = replace(
        sector_files(),
        "partijen.yaml",
        "role: Directeur-Generaal Agro}",
        'role: "Minister van Landbouw, Natuur en Voedselkwaliteit"}',
    )
    _expect(
        tmp_path,
        files,
        "partijen.yaml",
        "official: {name: M. Sonnema",
        "42: error [mandate-signers] the official under mandate is given the role 'Minister van "
        "Landbouw, Natuur en Voedselkwaliteit', which is the party itself; give the official's "
        "own role (e.g. 'directeur-generaal ...')",
    )


def test_mandate_without_official(tmp_path):
    files = replace(
        sector_files(),
        "partijen.yaml",
        "    mandate:\n      official: {name: M. Sonnema, role: Directeur-Generaal Agro}",
        "    mandate:\n      basis: Mandaatbesluit LNV",
    )
    _expect(
        tmp_path,
        files,
        "partijen.yaml",
        "    mandate:",
        "5: error [schema-required] missing required key 'official'",
    )


def test_copies_count_every_signer(tmp_path):
    files = replace(sector_files(), "convenant.yaml", "  copies: 6", "  copies: 5")
    _expect(
        tmp_path,
        files,
        "convenant.yaml",
        "copies: 5",
        "11: error [copies-mismatch] the text says 5 copies (in vijfvoud), but 6 people sign: "
        "M. Sonnema, J. Jorritsma, W. Thus, H. de Haan, E. Hubers, S. Duives-Cahuzak",
    )


def test_every_kind_has_a_dutch_name_and_is_allowed():
    words = Wording.default()
    assert words.kind_name("cooperatie") == "coöperatie"
    assert words.kind_name("other") == "overig"
    assert all(words.kind_name(k) for k in PARTY_KINDS)
    schema = load_schemas().schemas["parties"]["parties"]["schema"]["schema"]["kind"]
    assert tuple(schema["allowed"]) == PARTY_KINDS
