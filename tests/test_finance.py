"""Articles that are not measures: financial arrangements and obligations (issue 10)."""

from __future__ import annotations

from dossier_factory import base_files, line_of, replace, write

from convenantgen.context.dossier import build_context
from convenantgen.read.load import load_content
from convenantgen.text import formatting as fmt

# An article with ceilings per sector (with a "waarvan" part), an article with shares, and an
# article with obligations, added to the base covenant.
ARTICLES = """\
  - id: financiering
    title: Financiering
    clauses:
      - id: plafonds
        text: De bijdrage van de sectoren aan de bestrijdingskosten is ten hoogste
        finance:
          id: plafond-sectoren
          per: kalenderjaar
          total: 43220000
          total_label: Samen
          items:
            - id: plafond-rund
              label: de rundveesector
              value: 23500000
              parts:
                - {label: voor de melkveehouderij, value: 20000000}
              complete: false
            - {id: plafond-varken, label: de varkenssector, value: 19720000}
      - id: per-jaar
        text: De bijdrage per sector en jaar is
        finance:
          items:
            - {label: de rundveesector, period: {year: 2024}, value: 1000000}
            - {label: de pluimveesector, period: {quarter: 2025-Q3}, value: 2000000}
      - id: verdeling
        text: De kosten van monitoring worden verdeeld.
        finance:
          unit: percent
          items:
            - {label: de sectoren, value: 50}
            - {label: de overheid, value: 50}
      - id: jaarbudget
        text: Het budget per jaar is
        finance:
          millions: true
          total: 9400000
          approximate: true
          tolerance: 50000
          items:
            - {period: {year: 2024}, value: 4700000, approximate: true}
            - {period: {quarter: 2025-Q1}, value: 4720000}
      - id: verplichtingen
        text: Partijen nemen de volgende verplichtingen op zich.
        obligations:
          - id: overzicht
            owner: bestuur-a
            action: stelt een financieel overzicht op
            deadline: 2025-04-01
            per: kalenderjaar
          - id: evaluatie
            owner: besturen
            action: evalueren het convenant
            deadline: 2025-06-30
"""


def finance_files() -> dict[str, str]:
    return replace(
        base_files(), "convenant.yaml", "  - id: toetreding\n", ARTICLES + "  - id: toetreding\n"
    )


def run(tmp_path, files):
    folder = write(tmp_path / "proef", files)
    loaded = load_content(folder)
    return [d.format(folder) for d in loaded.report.sorted()], loaded


def clause_text(loaded, clause_id: str) -> tuple[str, ...]:
    ctx = build_context(loaded.dossiers[0])
    for agreement in ctx.agreements:
        for section in agreement.sections:
            for clause in section.clauses:
                if clause.id == clause_id:
                    return clause.paragraphs
    raise AssertionError(clause_id)


def test_finance_and_obligations_render_as_article_text(tmp_path):
    lines, loaded = run(tmp_path, finance_files())
    assert lines == []
    assert clause_text(loaded, "plafonds") == (
        "De bijdrage van de sectoren aan de bestrijdingskosten is ten hoogste",
        "de rundveesector: € 23.500.000 per kalenderjaar, waarvan € 20.000.000 voor de "
        "melkveehouderij;",
        "de varkenssector: € 19.720.000 per kalenderjaar;",
        "Samen: € 43.220.000 per kalenderjaar.",
    )
    # A label does not hide the period (issue 20).
    assert clause_text(loaded, "per-jaar")[1:] == (
        "de rundveesector (2024): € 1.000.000;",
        "de pluimveesector (het derde kwartaal van 2025): € 2.000.000;",
    )
    assert clause_text(loaded, "verdeling")[1:] == ("de sectoren: 50%;", "de overheid: 50%;")
    assert clause_text(loaded, "jaarbudget")[1:] == (
        "2024: circa € 4,7 miljoen;",
        "het eerste kwartaal van 2025: € 4,72 miljoen;",
        "Totaal: circa € 9,4 miljoen.",
    )
    assert clause_text(loaded, "verplichtingen")[1:] == (
        "Stichting Alfa stelt een financieel overzicht op, elk kalenderjaar uiterlijk op 1 april.",
        "de schoolbesturen evalueren het convenant, uiterlijk op 30 juni 2025.",
    )


def _expect(tmp_path, files, needle, expected, offset=0):
    lines, _ = run(tmp_path, files)
    line = line_of(files["convenant.yaml"], needle) + offset
    assert f"convenant.yaml:{line}:{expected}" in lines, "\n".join(lines)


def test_share_of_120_percent(tmp_path):
    files = replace(
        finance_files(),
        "convenant.yaml",
        "{label: de sectoren, value: 50}",
        "{label: de sectoren, value: 120}",
    )
    _expect(
        tmp_path,
        files,
        "value: 120}",
        "43: error [finance-share] share 120% of 'de sectoren' is more than 100%",
    )


def test_shares_not_adding_up_to_100(tmp_path):
    files = replace(
        finance_files(),
        "convenant.yaml",
        "{label: de overheid, value: 50}",
        "{label: de overheid, value: 40}",
    )
    _expect(
        tmp_path,
        files,
        "unit: percent",
        "11: error [finance-sum] the items add up to 90%, not 100% (10% short); set "
        "complete: false for a partial breakdown",
        offset=1,  # reported at 'items:', the line after the unit
    )


def test_waarvan_larger_than_its_whole(tmp_path):
    files = replace(finance_files(), "convenant.yaml", "value: 20000000}", "value: 25000000}")
    _expect(
        tmp_path,
        files,
        "value: 23500000",
        "22: error [finance-sum] the parts of 'de rundveesector' ('waarvan') add up to "
        "€ 25.000.000, more than the whole € 23.500.000 (by € 1.500.000)",
    )


def test_partial_waarvan_needs_complete_false(tmp_path):
    files = replace(finance_files(), "convenant.yaml", "              complete: false\n", "")
    _expect(
        tmp_path,
        files,
        "value: 23500000",
        "22: error [finance-sum] the parts of 'de rundveesector' ('waarvan') add up to "
        "€ 20.000.000, not € 23.500.000 (€ 3.500.000 short); set complete: false for a "
        "partial breakdown",
    )


def test_total_that_is_not_the_sum(tmp_path):
    files = replace(finance_files(), "convenant.yaml", "total: 43220000", "total: 43200000")
    _expect(
        tmp_path,
        files,
        "total: 43200000",
        "18: error [finance-sum] the items add up to € 43.220.000, more than the whole "
        "€ 43.200.000 (by € 20.000)",
    )


def test_rounded_amounts_beyond_their_tolerance(tmp_path):
    files = replace(finance_files(), "convenant.yaml", "tolerance: 50000", "tolerance: 10000")
    _expect(
        tmp_path,
        files,
        "total: 9400000",
        "18: error [finance-sum] the items add up to € 9.420.000, more than the whole "
        "€ 9.400.000 (by € 20.000, tolerance € 10.000)",
    )


def test_obligation_due_outside_the_term(tmp_path):
    files = replace(
        finance_files(), "convenant.yaml", "deadline: 2025-06-30", "deadline: 2026-06-30"
    )
    _expect(
        tmp_path,
        files,
        "deadline: 2026-06-30",
        "23: error [obligation-deadline] obligation 'evaluatie' is due 30 juni 2026, outside "
        "the term of 'basis' (1 augustus 2024 tot en met 31 juli 2025)",
    )


def test_obligation_owner_unknown(tmp_path):
    files = replace(finance_files(), "convenant.yaml", "owner: bestuur-a", "owner: bestuur-x")
    _expect(
        tmp_path,
        files,
        "owner: bestuur-x",
        "20: error [ref-unknown] 'bestuur-x' is not a party or party group id. Did you mean "
        "'bestuur-c'?",
    )


def test_euro_the_dutch_way():
    assert fmt.euro(43_220_000) == "€ 43.220.000"
    assert fmt.euro(4_700_000, millions=True) == "€ 4,7 miljoen"
    assert fmt.euro(27.5) == "€ 27,50"
