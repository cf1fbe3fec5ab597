"""The format of party lists and signature blocks that real covenants use (issue 20, part B):
a designation per party, a minister's title, a group's capacity in a numbered list, each signer's
own order and the article of a role, ", en" between signers, a closing over a range of numbers,
signature blocks that start with a capital, part numerals and a separator run into a heading.

Each construct is read from YAML, rendered through the real DOCX template and checked in the
document's paragraphs; each bad value is a diagnostic at its file, line and column.
"""

from __future__ import annotations

import io

import docx
from dossier_factory import base_files, line_of, replace, write
from ruamel.yaml import YAML

from convenantgen.cli import main
from convenantgen.context.dossier import build_context
from convenantgen.read.load import load_content
from convenantgen.render.docx.render import agreement_documents
from convenantgen.render.markdown import agreement_markdown

# Three ministers in person, numbered, each with a designation of their own and one capacity
# for the three; then a numbered sector group run into "En" with a party written role first,
# a party with two signers, and a party whose name is written as it stands inside a sentence.
PARTIES = """\
kind: parties
groups:
  - id: rijk
    numbered: true
    capacity: handelend als bestuursorgaan en als vertegenwoordigers van de Staat der Nederlanden
    designation: het Rijk
    signing: each
  - id: sector
    heading: "De sectorpartijen:"
    numbered: true
    signing: each
parties:
  - id: ezk
    name: De Minister van Economische Zaken en Klimaat
    kind: minister
    group: rijk
    designation: EZK
    representative:
      name: M. Adriaansens
      title: mevrouw
      role: Minister van Economische Zaken en Klimaat
    joined: 2024-08-01
    penvoerder: true
  - id: bzk
    name: De Minister van Binnenlandse Zaken en Koninkrijksrelaties
    kind: minister
    group: rijk
    designation: BZK
    representative:
      name: H. Bruins Slot
      title: mevrouw
      role: Minister van Binnenlandse Zaken en Koninkrijksrelaties
    joined: 2024-08-01
  - id: lnv
    name: De Minister van Landbouw, Natuur en Voedselkwaliteit
    kind: minister
    group: rijk
    designation: LNV
    representative:
      name: P. Adema
      title: de heer
      role: "Minister van Landbouw, Natuur en Voedselkwaliteit"
    joined: 2024-08-01
  - id: kalf
    name: De stichting Brancheorganisatie Kalversector
    kind: brancheorganisatie
    group: sector
    representative:
      name: W. Thus
      title: de heer
      role: bestuurslid
      role_article: het
      order: role-first
    joined: 2024-08-01
  - id: pov
    name: De Producentenorganisatie Varkenshouderij
    kind: other
    group: sector
    representatives:
      - {name: L. Janssen-Verriet, title: mevrouw, role: voorzitter}
      - {name: E. Stiphout, title: de heer, role: vicevoorzitter}
    joined: 2024-08-01
  - id: platform
    name: het platform Kleinschalige Schapen- en Geitenhouders
    kind: other
    group: sector
    representative: {name: J. Niks, title: de heer, role: voorzitter}
    joined: 2024-08-01
"""

FORMULAS = """\
party_list: {designation: partijen, separator: run-in}
part_numerals: [parties, considerations, agreement]
formulas:
  representative: "{{ person }}{% if role %}, {{ role }}{% endif %}"
  represented: "vertegenwoordigd door {{ people }}"
  and_signers: "{{ first }}, en {{ last }}"
  party_designation: "hierna te noemen: {{ designation }}"
  party_closing: >-
    Partijen {{ first }} tot en met {{ last }}, {{ capacity }}, hierna gezamenlijk te noemen:
    {{ designation }};
  collective_closing: "Partijen 1 tot en met {{ last }}, verder te noemen: {{ designation }};"
considerations:"""


def files() -> dict[str, str]:
    out = {k: v for k, v in base_files().items() if k not in {"toetredingen.yaml", "addendum.yaml"}}
    out["partijen.yaml"] = PARTIES
    out = replace(out, "convenant.yaml", "parties: [besturen]", "parties: [rijk, sector]")
    out = replace(out, "convenant.yaml", "considerations:", FORMULAS)
    out = replace(out, "convenant.yaml", "kinds: [schoolbestuur]", "kinds: [other]")
    return replace(out, "convenant.yaml", "  copies: 2\n", "")


def run(tmp_path, files):
    folder = write(tmp_path / "proef", files)
    loaded = load_content(folder)
    return [d.format(folder) for d in loaded.report.sorted()], loaded


def _context(loaded):
    return build_context(loaded.dossiers[0]).agreements[0]


def _clean_context(tmp_path, files):
    """The agreement of a dossier that loads without errors."""
    lines, loaded = run(tmp_path, files)
    assert [ln for ln in lines if " error " in ln] == []
    return _context(loaded)


def _paragraphs(ctx) -> list[str]:
    document = docx.Document(io.BytesIO(agreement_documents(ctx)[0].data))
    return [p.text for p in document.paragraphs if p.text.strip()]


def test_party_list_as_real_covenants_write_it(tmp_path):
    ctx = _clean_context(tmp_path, files())
    rijk, sector = ctx.parties
    assert rijk.intro == ""
    assert rijk.members == (
        # A designation per party; a minister signing in person keeps "mevrouw"/"de heer".
        "1. De Minister van Economische Zaken en Klimaat, mevrouw M. Adriaansens, hierna te "
        "noemen: EZK;",
        "2. De Minister van Binnenlandse Zaken en Koninkrijksrelaties, mevrouw H. Bruins Slot, "
        "hierna te noemen: BZK;",
        "3. De Minister van Landbouw, Natuur en Voedselkwaliteit, de heer P. Adema, hierna te "
        "noemen: LNV;",
    )
    # The group's capacity is not dropped in a numbered group; the closing names its range.
    assert rijk.closing == (
        "Partijen 1 tot en met 3, handelend als bestuursorgaan en als vertegenwoordigers van de "
        "Staat der Nederlanden, hierna gezamenlijk te noemen: het Rijk;"
    )
    # "En" runs into the heading; the numbering continues over the numbered groups.
    assert (sector.separator, sector.intro) == ("", "En de sectorpartijen:")
    assert sector.members == (
        # This signer is written role first, with the registry's article for the role.
        "4. De stichting Brancheorganisatie Kalversector, vertegenwoordigd door het "
        "bestuurslid, de heer W. Thus;",
        # ", en" before the second signer (and_signers).
        "5. De Producentenorganisatie Varkenshouderij, vertegenwoordigd door mevrouw "
        "L. Janssen-Verriet, voorzitter, en de heer E. Stiphout, vicevoorzitter;",
        "6. het platform Kleinschalige Schapen- en Geitenhouders, vertegenwoordigd door de heer "
        "J. Niks, voorzitter;",
    )
    assert sector.closing == "Partijen 1 tot en met 6, verder te noemen: partijen;"
    assert (ctx.parties_numeral, ctx.considerations_numeral, ctx.agreement_numeral) == (
        "I",
        "II",
        "III",
    )
    # The ministers sign together, with their titles and without their designations.
    intros = [g.intro for g in ctx.signature_groups]
    assert intros[0] == (
        "De Minister van Economische Zaken en Klimaat, mevrouw M. Adriaansens, en de Minister "
        "van Binnenlandse Zaken en Koninkrijksrelaties, mevrouw H. Bruins Slot, en de Minister "
        "van Landbouw, Natuur en Voedselkwaliteit, de heer P. Adema, handelend als "
        "bestuursorgaan en als vertegenwoordigers van de Staat der Nederlanden,"
    )
    # Every signature block starts with a capital; a role takes its article.
    assert intros[-1] == (
        "Het platform Kleinschalige Schapen- en Geitenhouders, te dezen vertegenwoordigd door "
        "de voorzitter,"
    )
    assert intros[1] == (
        "De stichting Brancheorganisatie Kalversector, te dezen vertegenwoordigd door het "
        "bestuurslid,"
    )
    assert all(i[:1].isupper() for i in intros)


def test_the_document_shows_numerals_and_the_run_in_heading_as_lines(tmp_path):
    _, loaded = run(tmp_path, files())
    ctx = _context(loaded)
    paragraphs = _paragraphs(ctx)
    start = paragraphs.index("I")
    assert paragraphs[start : start + 3] == [
        "I",
        "Partijen,",
        "1. De Minister van Economische Zaken en Klimaat, mevrouw M. Adriaansens, hierna te "
        "noemen: EZK;",
    ]
    # No "En" on a line of its own in the parties block: it starts the heading's line.
    considerations = paragraphs.index("Overwegende dat:")
    parties = paragraphs[start:considerations]
    assert "En" not in parties
    assert parties[5:7] == [
        "Partijen 1 tot en met 3, handelend als bestuursorgaan en als vertegenwoordigers van de "
        "Staat der Nederlanden, hierna gezamenlijk te noemen: het Rijk;",
        "En de sectorpartijen:",
    ]
    assert paragraphs[considerations - 1] == "II"
    assert paragraphs[paragraphs.index("Spreken het volgende af:") - 1] == "III"
    # The signature pages of the same document start every block with a capital.
    assert (
        "Het platform Kleinschalige Schapen- en Geitenhouders, te dezen vertegenwoordigd door "
        "de voorzitter," in paragraphs
    )
    markdown = agreement_markdown(ctx)
    assert "**I**\n\nPartijen," in markdown
    assert "\nEn de sectorpartijen:\n" in markdown


def test_default_wording_without_the_new_keys(tmp_path):
    """Without part_numerals or a separator, the blocks are as before: "En" on its own line,
    no numerals; a role without an article gets "de" in the default wording."""
    plain = replace(files(), "convenant.yaml", FORMULAS, "considerations:")
    _, loaded = run(tmp_path, plain)
    ctx = _context(loaded)
    rijk, sector = ctx.parties
    assert sector.separator == "En"
    assert sector.intro == "De sectorpartijen:"
    assert (ctx.parties_numeral, ctx.considerations_numeral) == ("", "")
    assert rijk.closing == (
        "handelend als bestuursorgaan en als vertegenwoordigers van de Staat der Nederlanden, "
        "hierna: het Rijk;"
    )
    assert rijk.members[0] == (
        "1. De Minister van Economische Zaken en Klimaat, mevrouw M. Adriaansens, hierna: EZK;"
    )
    # The default representative formula writes the role first, with its article.
    assert sector.members[1] == (
        "5. De Producentenorganisatie Varkenshouderij, te dezen vertegenwoordigd door de "
        "voorzitter, mevrouw L. Janssen-Verriet en de vicevoorzitter, de heer E. Stiphout;"
    )
    pov = ctx.signature_groups[2]
    assert pov.intro == (
        "De Producentenorganisatie Varkenshouderij, te dezen vertegenwoordigd door de "
        "voorzitter en de vicevoorzitter,"
    )
    paragraphs = _paragraphs(ctx)
    assert paragraphs[paragraphs.index("En") + 1] == "De sectorpartijen:"


def test_name_first_signer_in_a_role_first_agreement(tmp_path):
    changed = replace(
        replace(files(), "convenant.yaml", FORMULAS, "considerations:"),
        "partijen.yaml",
        "      - {name: L. Janssen-Verriet, title: mevrouw, role: voorzitter}",
        "      - {name: L. Janssen-Verriet, title: mevrouw, role: voorzitter, order: name-first}",
    )
    _, loaded = run(tmp_path, changed)
    assert _context(loaded).parties[1].members[1] == (
        "5. De Producentenorganisatie Varkenshouderij, te dezen vertegenwoordigd door mevrouw "
        "L. Janssen-Verriet, voorzitter en de vicevoorzitter, de heer E. Stiphout;"
    )


def _expect(tmp_path, changed, name, needle, expected):
    lines, _ = run(tmp_path, changed)
    line = line_of(changed[name], needle)
    assert any(ln.startswith(f"{name}:{line}:") and expected in ln for ln in lines), "\n".join(
        lines
    )


def test_bad_signer_order_is_reported_where_it_stands(tmp_path):
    changed = replace(files(), "partijen.yaml", "order: role-first", "order: role-last")
    _expect(tmp_path, changed, "partijen.yaml", "order: role-last", "role-last")


def test_bad_role_article_is_reported_where_it_stands(tmp_path):
    changed = replace(files(), "partijen.yaml", "role_article: het", "role_article: een")
    _expect(tmp_path, changed, "partijen.yaml", "role_article: een", "een")


def test_empty_party_designation_is_reported_where_it_stands(tmp_path):
    changed = replace(files(), "partijen.yaml", "    designation: BZK", '    designation: ""')
    _expect(tmp_path, changed, "partijen.yaml", 'designation: ""', "designation")


def test_bad_separator_is_reported_where_it_stands(tmp_path):
    changed = replace(files(), "convenant.yaml", "separator: run-in", "separator: inline")
    _expect(tmp_path, changed, "convenant.yaml", "separator: inline", "inline")


def test_bad_part_numeral_is_reported_where_it_stands(tmp_path):
    changed = replace(
        files(),
        "convenant.yaml",
        "part_numerals: [parties, considerations, agreement]",
        "part_numerals: [parties, signatures]",
    )
    _expect(tmp_path, changed, "convenant.yaml", "part_numerals:", "signatures")


def test_unknown_variable_in_a_new_formula_is_reported(tmp_path):
    changed = replace(
        files(),
        "convenant.yaml",
        '  and_signers: "{{ first }}, en {{ last }}"',
        '  and_signers: "{{ first }}, en {{ laatste }}"',
    )
    _expect(tmp_path, changed, "convenant.yaml", "and_signers:", "laatste")


def test_import_reads_the_constructs_back(tmp_path):
    """`convenantgen import` of the generated DOCX recovers each construct as YAML, and the
    imported dossier builds the same parties block."""
    _, loaded = run(tmp_path, files())
    ctx = _context(loaded)
    source = tmp_path / "bron.docx"
    source.write_bytes(agreement_documents(ctx)[0].data)
    content = tmp_path / "content"
    content.mkdir()
    argv = ["import", str(source), "--dossier", "terug", "--content", str(content)]
    assert main(argv) == 0
    yaml = YAML(typ="safe")
    agreement = yaml.load((content / "terug" / "convenant.yaml").read_text("utf-8"))
    registry = yaml.load((content / "terug" / "partijen.yaml").read_text("utf-8"))
    assert agreement["part_numerals"] == ["parties", "considerations", "agreement"]
    assert agreement["party_list"] == {"designation": "partijen", "separator": "run-in"}
    assert agreement["formulas"]["and_signers"] == "{{ first }}, en {{ last }}"
    parties = {p["name"]: p for p in registry["parties"]}
    assert parties["De Minister van Economische Zaken en Klimaat"]["designation"] == "EZK"
    assert (
        parties["De Minister van Economische Zaken en Klimaat"]["representative"]["title"]
        == "mevrouw"
    )
    thus = parties["De stichting Brancheorganisatie Kalversector"]["representative"]
    assert (thus["role"], thus["role_article"], thus["order"]) == (
        "bestuurslid",
        "het",
        "role-first",
    )
    rijk = registry["groups"][0]
    assert rijk["numbered"] is True
    assert "heading" not in rijk
    assert rijk["capacity"].startswith("handelend als bestuursorgaan")
    again = load_content(content, ["terug"])
    rebuilt = build_context(again.dossiers[0]).agreements[0]

    # The whole parties block comes back as it was: numerals, members, closings, "En".
    def shown(blocks):
        return [(b.separator, b.intro, b.members, b.closing) for b in blocks]

    assert shown(rebuilt.parties) == shown(ctx.parties)
    assert (rebuilt.parties_numeral, rebuilt.considerations_numeral) == ("I", "II")


# Two ministers in lower case as they stand mid-list ("- de Minister van ...;"), one per line
# without heading or numbers, closed by the sentence they share; then a dash list of
# organisations whose designation stands in brackets right after the name (the VWS Convenant
# Overgewicht of 2005 writes its parties so).
DASH_PARTIES = """\
kind: parties
groups:
  - id: ministers
    listed: true
    capacity: als bestuursorgaan alsmede als vertegenwoordiger van de Staat der Nederlanden
    signing: each
  - id: organisaties
    listed: true
    signing: each
parties:
  - id: vws
    name: de Minister van Volksgezondheid, Welzijn en Sport
    kind: minister
    group: ministers
    capacity: mede namens de Staatssecretaris
    designation: de Minister van VWS
    representative: {name: J.F. Hoogervorst, title: de heer, listed: false}
    joined: 2024-08-01
    penvoerder: true
  - id: ocw
    name: de Minister van Onderwijs Cultuur en Wetenschap
    kind: minister
    group: ministers
    designation: de Minister van OCW
    representative: {name: M.J.A. van der Hoeven, title: mevrouw, listed: false}
    joined: 2024-08-01
  - id: fnli
    name: de Federatie Nederlandse Levensmiddelen Industrie
    kind: other
    group: organisaties
    designation: FNLI
    representative: {name: P. den Ouden, title: de heer}
    joined: 2024-08-01
"""

DASH_FORMULAS = """\
party_list: {separator: none}
formulas:
  party_member: >-
    {{ name }}{% if designation %} ({{ designation }}){% endif %}{% if signers %}, {{ signers
    }}{% endif %}
  listed_member: "{{ member }};"
  listed_capacity: "Bovengenoemde ministers handelen te dezen {{ capacity }};"
considerations:"""


def dash_files() -> dict[str, str]:
    out = replace(files(), "partijen.yaml", PARTIES, DASH_PARTIES)
    out = replace(out, "convenant.yaml", FORMULAS, DASH_FORMULAS)
    return replace(
        out, "convenant.yaml", "parties: [rijk, sector]", "parties: [ministers, organisaties]"
    )


def test_listed_groups_without_heading_and_the_designation_after_the_name(tmp_path):
    ctx = _clean_context(tmp_path, dash_files())
    ministers, organisaties = ctx.parties
    # listed: true: one member per line without heading or numbers, closed on a line of its own.
    assert ministers.intro == ""
    assert ministers.members == (
        "de Minister van Volksgezondheid, Welzijn en Sport, mede namens de Staatssecretaris "
        "(hierna: de Minister van VWS);",
        "de Minister van Onderwijs Cultuur en Wetenschap (hierna: de Minister van OCW);",
    )
    assert ministers.closing == (
        "Bovengenoemde ministers handelen te dezen als bestuursorgaan alsmede als "
        "vertegenwoordiger van de Staat der Nederlanden;"
    )
    # party_member: the designation in brackets before the representative.
    assert organisaties.members == (
        "de Federatie Nederlandse Levensmiddelen Industrie (hierna: FNLI), te dezen "
        "vertegenwoordigd door de heer P. den Ouden;",
    )
    # The ministers' signature block starts with a capital too.
    assert ctx.signature_groups[0].intro.startswith(
        "De Minister van Volksgezondheid, Welzijn en Sport, mede namens de Staatssecretaris, en "
        "de Minister van Onderwijs Cultuur en Wetenschap, als bestuursorgaan"
    )
    # The document has each member and the closing as a paragraph of its own.
    paragraphs = _paragraphs(ctx)
    first = paragraphs.index(ministers.members[0])
    assert paragraphs[first + 1 : first + 3] == [ministers.members[1], ministers.closing]
    assert organisaties.members[0] in paragraphs


def test_bad_listed_value_is_reported_where_it_stands(tmp_path):
    bad = replace(
        dash_files(),
        "partijen.yaml",
        "    listed: true\n    capacity",
        "    listed: ja\n    capacity",
    )
    lines, _ = run(tmp_path, bad)
    row = line_of(bad["partijen.yaml"], "listed: ja")
    assert any(
        f"partijen.yaml:{row}:" in ln and "[schema" in ln and "listed" in ln for ln in lines
    ), lines


def test_unknown_variable_in_party_member_is_reported(tmp_path):
    bad = replace(dash_files(), "convenant.yaml", "{{ signers\n    }}", "{{ ondertekenaars\n    }}")
    lines, _ = run(tmp_path, bad)
    assert any(
        "[template-variable] agreement.party_member uses 'ondertekenaars'" in ln
        and "available: name, signers, designation" in ln
        for ln in lines
    ), lines


def _forms(files: dict[str, str]) -> dict[str, str]:
    """The dash list with a designation form for the ministers' group, and one minister that
    keeps the short form of its own."""
    out = replace(
        files,
        "partijen.yaml",
        "  - id: ministers\n    listed: true\n",
        "  - id: ministers\n    listed: true\n    designation_form: full\n",
    )
    return replace(
        out,
        "partijen.yaml",
        "    designation: de Minister van OCW\n",
        "    designation: de Minister van OCW\n    designation_form: short\n",
    )


def test_a_designation_form_per_group_and_per_party(tmp_path):
    ctx = _clean_context(tmp_path, _forms(dash_files()))
    ministers, organisaties = ctx.parties
    # The group's form for its members, a party's own form before it, the agreement's default
    # (party_designation) for a group without one.
    assert ministers.members == (
        "de Minister van Volksgezondheid, Welzijn en Sport, mede namens de Staatssecretaris "
        "(hierna te noemen: de Minister van VWS);",
        "de Minister van Onderwijs Cultuur en Wetenschap (hierna: de Minister van OCW);",
    )
    assert organisaties.members[0].startswith(
        "de Federatie Nederlandse Levensmiddelen Industrie (hierna: FNLI), te dezen"
    )
    assert ministers.members[0] in _paragraphs(ctx)
    # The Markdown for review writes the same.
    assert "(hierna te noemen: de Minister van VWS)" in agreement_markdown(ctx)


def test_a_designation_form_is_wording_an_agreement_may_set(tmp_path):
    changed = replace(
        _forms(dash_files()),
        "convenant.yaml",
        "formulas:\n",
        'formulas:\n  party_designation_full: "verder te noemen: {{ designation }}"\n',
    )
    ministers = _clean_context(tmp_path, changed).parties[0]
    assert "(verder te noemen: de Minister van VWS);" in ministers.members[0]


def test_bad_designation_form_is_reported_where_it_stands(tmp_path):
    bad = replace(
        _forms(dash_files()), "partijen.yaml", "designation_form: full", "designation_form: lang"
    )
    _expect(tmp_path, bad, "partijen.yaml", "designation_form: lang", "'lang' is not one of")
