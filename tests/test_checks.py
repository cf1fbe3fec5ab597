"""Each consistency rule on an inline dossier: the valid base passes, one change breaks it.

Diagnostics are asserted word for word with file, line and column; the line is located from
the changed text so that the assertion really points at the broken value.
"""

from __future__ import annotations

import pytest
from dossier_factory import base_files, line_of, replace, write

from convenantgen.cli import main
from convenantgen.context.agreement import target_text
from convenantgen.read.load import load_content


def run(tmp_path, files):
    folder = write(tmp_path / "proef", files)
    loaded = load_content(folder)
    return folder, [d.format(folder) for d in loaded.report.sorted()], loaded


def test_base_dossier_is_clean(tmp_path):
    _, lines, loaded = run(tmp_path, base_files())
    assert lines == []
    assert [d.id for d in loaded.dossiers] == ["proef"]


# (file, old, new, needle locating the reported line, expected text after "file:line:");
# "other.yaml::needle" when the finding is reported in another file than the changed one.
CASES = [
    pytest.param(
        "convenant.yaml",
        "  start: 2024-08-01\n  end: 2025-07-31",
        "  start: 2024-08-01\n  end: 2023-07-31",
        "end: 2023-07-31",
        "8: error [period-order] period 'looptijd' ends on 31 juli 2023, before it starts on "
        "1 augustus 2024",
        id="period-order",
    ),
    pytest.param(
        "addendum.yaml",
        "start: 2025-08-01",
        "start: 2025-07-01",
        "start: 2025-07-01",
        "10: error [term-overlap] period 'addendum-looptijd' starts 1 juli 2025 but follows "
        "'looptijd', which ends 31 juli 2025: they overlap by 31 days",
        id="term-overlap",
    ),
    pytest.param(
        "addendum.yaml",
        "start: 2025-08-01",
        "start: 2025-09-01",
        "start: 2025-09-01",
        "10: error [term-gap] period 'addendum-looptijd' starts 1 september 2025 but follows "
        "'looptijd', which ends 31 juli 2025: a gap of 31 days",
        id="term-gap",
    ),
    pytest.param(
        "addendum.yaml",
        "  end: 2026-07-31\n  follows",
        "  end: 2026-12-31\n  follows",
        "end: 2026-12-31",
        "8: error [term-outside] addendum 'addendum-1' is in force until 31 december 2026, "
        "after the covenant's term ends (31 juli 2026, extensions included)",
        id="term-outside",
    ),
    pytest.param(
        "maatregelen.yaml",
        "        value: 10\n",
        "        value: 120\n",
        "value: 120",
        "16: error [target-range] target 'doel-uitval' value 120 is impossible for a percentage "
        "(0 to 100)",
        id="percent-120",
    ),
    pytest.param(
        "maatregelen.yaml",
        "        value: 40\n",
        "        value: -4\n",
        "value: -4",
        "16: error [target-range] target 'doel-starters' value -4 is impossible for a count "
        "value (at least 0)",
        id="negative-count",
    ),
    pytest.param(
        "maatregelen.yaml",
        '        comparator: "<"\n        value: 10',
        '        comparator: "<="\n        value: 100',
        'comparator: "<="',
        "21: error [target-comparator] target 'doel-uitval' asks for <= 100, which a percentage "
        "always meets; the target says nothing",
        id="vacuous-comparator",
    ),
    pytest.param(
        "maatregelen.yaml",
        "        baseline: {value: 6.5}\n",
        "",
        "direction: increase",
        "20: error [target-baseline] target 'doel-cijfer' is an increase but has no baseline; "
        "add baseline.value, or baseline.planned: true for a nulmeting still to do",
        id="increase-without-baseline",
    ),
    pytest.param(
        "maatregelen.yaml",
        "        value: 8\n",
        "        value: 9\n",
        "value: 24",
        "16: error [target-components] components of 'doel-formatie' add up to 16 + 9 = 25, "
        "not the declared total 24",
        id="components",
    ),
    pytest.param(
        "maatregelen.yaml",
        "De uitval is kleiner dan {value}.",
        "De uitval is kleiner dan 10%.",
        "kleiner dan 10%",
        "15: warning [target-text-value] target 'doel-uitval' text hard-codes 10; write {value} "
        "so the text always shows the value in the data",
        id="target-text-value",
    ),
    pytest.param(
        "maatregelen.yaml",
        "    pillars: [behoud]",
        "    pillars: [behod]",
        "pillars: [behod]",
        "15: error [ref-unknown] 'behod' is not a pillar id. Did you mean 'behoud'?",
        id="ref-unknown-pillar",
    ),
    pytest.param(
        "convenant.yaml",
        "Het verzoek volgt {art:toetreding-regel}.",
        "Het verzoek volgt {art:toetreding-regels}.",
        "toetreding-regels",
        "15: error [ref-unknown] '{art:toetreding-regels}' in text: 'toetreding-regels' is not "
        "an article, clause or definition id. Did you mean 'toetreding-regel'?",
        id="ref-unknown-text",
    ),
    pytest.param(
        "convenant.yaml",
        "Het verzoek volgt {art:toetreding-regel}.",
        "Het verzoek volgt artikel 2.1.",
        "volgt artikel 2.1",
        "15: warning [text-article-ref] text hard-codes 'artikel 2.1', which now points to 2.1 "
        "'Maatregelen'; write {art:ID} so the number follows the structure",
        id="text-article-ref",
    ),
    pytest.param(
        "convenant.yaml",
        "        text: Het verzoek volgt {art:toetreding-regel}.",
        "        text: Het verzoek volgt {art:toetreding-regel}.\n"
        "        published: Het verzoek volgt artikel 2.1.",
        "published: Het",
        "20: warning [published-differs] the published text says 'artikel 2.1' (2.1 "
        "'Maatregelen'); the intended reference is artikel 3.1",
        id="published-differs",
    ),
    pytest.param(
        "partijen.yaml",
        "    representative: {name: B. de Vries, title: de heer, role: bestuurder}\n",
        "",
        "id: bestuur-b",
        "9: error [signatory-missing] party 'bestuur-b' signs for group 'besturen' but has no "
        "representative",
        id="signatory-missing",
    ),
    pytest.param(
        "convenant.yaml",
        "  copies: 2",
        "  copies: 5",
        "copies: 5",
        "11: error [copies-mismatch] the text says 5 copies (in vijfvoud), but 2 people sign: "
        "A. Jansen, B. de Vries",
        id="copies-mismatch",
    ),
    pytest.param(
        "partijen.yaml",
        "    penvoerder: true\n",
        "",
        "convenant.yaml::accession:",
        "1: error [penvoerder-missing] accession is allowed, but no party is the penvoerder; set "
        "penvoerder: true on the party that handles accession requests",
        id="penvoerder-missing",
    ),
    pytest.param(
        "toetredingen.yaml",
        "effective: 2025-08-01",
        "effective: 2026-09-01",
        "effective: 2026-09-01",
        "16: error [accession-term] accession 'toetreding-gamma' takes effect 1 september 2026, "
        "outside the term of 'basis' (1 augustus 2024 tot en met 31 juli 2026)",
        id="accession-term",
    ),
    pytest.param(
        "toetredingen.yaml",
        "requested: 2025-05-01",
        "requested: 2025-08-01",
        "requested: 2025-08-01",
        "16: error [accession-school-year] accession 'toetreding-gamma' must be requested before "
        "the school year starts (1 augustus 2025)",
        id="accession-school-year",
    ),
    pytest.param(
        "partijen.yaml",
        "    joined: 2025-08-01",
        "    joined: 2025-09-01",
        "joined: 2025-09-01",
        "13: error [accession-joined] party 'bestuur-c' is registered as joined on "
        "1 september 2025, but accession 'toetreding-gamma' takes effect 1 augustus 2025",
        id="accession-joined",
    ),
    pytest.param(
        "convenant.yaml",
        "  within_days: 30",
        "  within_days: 30\n  published: 2024-07-15",
        "published: 2024-07-15",
        "14: error [publication-late] published 15 juli 2024, 14 days after the deadline of "
        "1 juli 2024 (30 days after signing on 1 juni 2024)",
        id="publication-late",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "needle", "expected"), CASES)
def test_rule_reports_the_broken_value(tmp_path, name, old, new, needle, expected):
    files = replace(base_files(), name, old, new)
    _, lines, _ = run(tmp_path, files)
    reported, _, needle = needle.rpartition("::")
    reported = reported or name
    line = line_of(files[reported], needle)
    assert f"{reported}:{line}:{expected}" in lines, "\n".join(lines)
    assert len(lines) == len(set(lines)), "a finding is reported twice"


def test_school_years_partial_and_acknowledgement(tmp_path):
    whole_year = replace(
        base_files(),
        "maatregelen.yaml",
        "        text: Begeleiden van {value}.",
        "        text: Begeleiden van {value}.\n        per_school_year: true",
    )
    assert run(tmp_path / "a", whole_year)[1] == []  # the term is exactly one school year
    files = replace(
        base_files(),
        "maatregelen.yaml",
        "        text: Begeleiden van {value}.",
        "        text: Begeleiden van {value}.\n        per_school_year: true\n"
        "        period: {start: 2024-08-01, end: 2025-01-31}",
    )
    _, lines, _ = run(tmp_path, files)
    line = line_of(files["maatregelen.yaml"], "per_school_year: true")
    expected = (
        f"maatregelen.yaml:{line}:26: warning [target-school-years] target 'doel-starters' "
        "applies per school year; the term gives full school years none and partial ones: "
        "2024–2025 only 1 augustus 2024 – 31 januari 2025"
    )
    assert expected in lines
    acked = replace(
        files,
        "dossier.yaml",
        "pillars:",
        "acknowledgements:\n  - code: target-school-years\n    subject: doel-starters\n"
        "    reason: Half a school year on purpose.\npillars:",
    )
    _, lines, loaded = run(tmp_path / "b", acked)
    assert (
        expected.replace("warning", "acknowledged")
        + (" (acknowledged: Half a school year on purpose.)")
        in lines
    )
    assert not loaded.failed(strict=True)


def test_unused_acknowledgement_and_severity_override(tmp_path):
    files = replace(
        base_files(),
        "dossier.yaml",
        "pillars:",
        "checks:\n  target-text-value: error\nacknowledgements:\n  - code: term-gap\n"
        "    subject: nothing-here\n    reason: Left over from an old finding.\npillars:",
    )
    files = replace(files, "maatregelen.yaml", "kleiner dan {value}.", "kleiner dan 10.")
    _, lines, loaded = run(tmp_path, files)
    assert any("error [target-text-value]" in line for line in lines)
    ack_line = line_of(files["dossier.yaml"], "- code: term-gap")
    assert (
        f"dossier.yaml:{ack_line}:5: warning [ack-unused] acknowledgement of [term-gap] "
        "'nothing-here' matches no finding; remove it, or correct the code or subject"
    ) in lines
    assert loaded.failed()


def test_conflicting_targets_for_one_indicator(tmp_path):
    files = replace(
        base_files(),
        "maatregelen.yaml",
        "      - id: doel-starters\n",
        '      - id: doel-uitval-2\n        indicator: uitval\n        comparator: "<"\n'
        "        value: 5\n        text: Uitval onder {value}.\n      - id: doel-starters\n",
    )
    _, lines, _ = run(tmp_path, files)
    line = line_of(files["maatregelen.yaml"], "value: 5")
    assert (
        f"maatregelen.yaml:{line}:16: error [target-conflict] target 'doel-uitval-2' sets "
        "indicator 'uitval' < 5, but target 'doel-uitval' (measure 'begeleiding') sets < 10 for "
        "an overlapping period"
    ) in lines


def test_defined_term_unused_and_capitalised_undefined(tmp_path):
    files = replace(
        base_files(),
        "convenant.yaml",
        "  - id: begrippen\n    title: Begripsbepalingen\n    clauses:\n      - id: begrip-lijst\n"
        "        text: In dit convenant wordt verstaan onder een starter een leraar in de eerste "
        "twee jaar.\n",
        "  - id: begrippen\n    title: Begripsbepalingen\n    clauses:\n      - id: begrip-lijst\n"
        "        definitions:\n          - id: def-mentor\n            term: Mentor\n"
        "            text: een ervaren leraar.\n"
        "        text: Elke Starter krijgt begeleiding; een starter is nieuw.\n",
    )
    _, lines, _ = run(tmp_path, files)
    text = files["convenant.yaml"]
    assert (
        f"convenant.yaml:{line_of(text, 'term: Mentor')}:19: warning [term-unused] defined term "
        "'Mentor' (definition a) is not used in any text"
    ) in lines
    assert (
        f"convenant.yaml:{line_of(text, 'Elke Starter')}:15: warning [term-undefined] 'Starter' "
        "is capitalised like a defined term but is not defined (elsewhere written 'starter'); "
        "define it or write 'starter'"
    ) in lines


SCHEMA_CASES = [
    pytest.param(
        "maatregelen.yaml",
        "    pillars: [behoud]",
        "    pilars: [behoud]",
        "pilars:",
        "5: error [schema-unknown-key] unknown key 'pilars' in measures[0]. Did you mean "
        "'pillars'?",
        id="unknown-key",
    ),
    pytest.param(
        "convenant.yaml",
        "  end: 2025-07-31",
        "  end: 2025-02-31",
        "end: 2025-02-31",
        "8: error [date-invalid] term.end: '2025-02-31' does not exist: 31 februari is past the "
        "end of the month (februari 2025 has 28 days)",
        id="31-februari",
    ),
    pytest.param(
        "maatregelen.yaml",
        "        value: 40\n",
        "        value: veertig\n",
        "value: veertig",
        "16: error [schema-type] measures[0].targets[1].value must be a number, got 'veertig' "
        "(text)",
        id="wrong-type",
    ),
    pytest.param(
        "dossier.yaml",
        "id: proef\n",
        "id: 01234\n",
        "id: 01234",
        "5: error [schema-type] id must be text, got 1234 (a number); put it in quotes: '1234'",
        id="id-not-a-string",
    ),
    pytest.param(
        "dossier.yaml",
        "title: Proefconvenant lerarentekort\n",
        "",
        "kind: dossier",
        "1: error [schema-required] missing required key 'title'",
        id="missing-required",
    ),
    pytest.param(
        "partijen.yaml",
        "    kind: schoolbestuur\n    group: besturen\n    representative: {name: A.",
        "    kind: schoolbestur\n    group: besturen\n    representative: {name: A.",
        "kind: schoolbestur",
        "11: error [schema-value] parties[0].kind: 'schoolbestur' is not one of minister, "
        "bestuursorgaan, provincie, gemeente, waterschap, vereniging, stichting, cooperatie, "
        "onderneming, brancheorganisatie, schoolbestuur, lerarenopleiding, samenwerkingsverband, "
        "other. Did you mean 'schoolbestuur'?",
        id="unallowed-value",
    ),
    pytest.param(
        "maatregelen.yaml",
        "measures:\n  - id: begeleiding",
        "measures:\n  - id: begeleiding\n    id: tweede",
        "id: tweede",
        "5: error [yaml-syntax] duplicate key 'id'; each key may appear once in a mapping",
        id="duplicate-key",
    ),
    pytest.param(
        "maatregelen.yaml",
        "    title: Begeleiding van starters",
        "\ttitle: Begeleiding van starters",
        "title: Begeleiding",
        "1: error [yaml-syntax] tab character; YAML indentation must use spaces",
        id="tab",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "needle", "expected"), SCHEMA_CASES)
def test_schema_and_syntax_errors(tmp_path, name, old, new, needle, expected):
    files = replace(base_files(), name, old, new)
    _, lines, loaded = run(tmp_path, files)
    line = line_of(files[name], needle)
    assert f"{name}:{line}:{expected}" in lines, "\n".join(lines)
    assert loaded.failed()


def test_cli_exit_codes_and_strict(tmp_path, capsys):
    folder = write(tmp_path / "proef", base_files())
    assert main(["check", str(folder)]) == 0
    warn = replace(base_files(), "maatregelen.yaml", "kleiner dan {value}.", "kleiner dan 10.")
    write(folder, warn)
    assert main(["check", str(folder)]) == 0
    assert main(["check", str(folder), "--strict"]) == 1
    broken = replace(base_files(), "maatregelen.yaml", "value: 10\n", "value: 120\n")
    write(folder, broken)
    capsys.readouterr()
    assert main(["check", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert "error [target-range]" in out
    assert "1 error(s), 0 warning(s), 0 acknowledged in 1 dossier(s)" in err
    assert "Traceback" not in out + err


def test_cli_missing_folder_is_a_usage_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope")]) == 2
    assert "content folder" in capsys.readouterr().err


def test_acknowledged_profile_rule_passes_strict_with_and_without_the_profile(tmp_path):
    # The base dossier has no article tagged topics: [evaluation]: aw-evaluation under the
    # profile. Its acknowledgement is used with the profile and not "unused" without it.
    files = replace(
        base_files(),
        "dossier.yaml",
        "pillars:",
        "acknowledgements:\n  - code: aw-evaluation\n    subject: basis\n"
        "    reason: Evaluated under the regional agreement.\npillars:",
    )
    folder = write(tmp_path / "proef", files)
    plain = load_content(folder)
    with_profile = load_content(folder, profile="aanwijzingen-2025")
    assert [d.code for d in plain.report.sorted()] == []
    codes = [d.code for d in with_profile.report.sorted() if d.code != "aw-evaluation"]
    assert "ack-unused" not in codes
    assert any(
        d.code == "aw-evaluation" and d.severity.name == "ACKNOWLEDGED"
        for d in with_profile.report.sorted()
    )
    # An acknowledgement of a profile rule that matches nothing is unused under the profile.
    stale = replace(files, "dossier.yaml", "subject: basis", "subject: elders")
    folder = write(tmp_path / "stale", stale)
    lines = [d.code for d in load_content(folder, profile="aanwijzingen-2025").report.sorted()]
    assert "ack-unused" in lines
    assert "ack-unused" not in [d.code for d in load_content(folder).report.sorted()]


def test_target_text_refers_to_its_baseline(tmp_path):
    # issue 20: "van gemiddeld 6,5 naar 7" without typing the baseline twice.
    files = replace(
        base_files(),
        "maatregelen.yaml",
        "Tevredenheid minimaal {value}.",
        "Tevredenheid van gemiddeld {baseline} naar minimaal {value}.",
    )
    folder, lines, loaded = run(tmp_path / "a", files)
    assert lines == []
    target = next(t for t in loaded.dossiers[0].targets() if t.id == "doel-cijfer")
    assert target_text(loaded.dossiers[0], target) == (
        "Tevredenheid van gemiddeld 6,5 naar minimaal 7,0."
    )
    # Typed in the text as well as in baseline.value: written twice.
    typed = replace(
        base_files(), "maatregelen.yaml", "minimaal {value}.", "van 6,5 naar minimaal {value}."
    )
    _, lines, _ = run(tmp_path / "b", typed)
    line = line_of(typed["maatregelen.yaml"], "van 6,5 naar")
    assert lines == [
        f"maatregelen.yaml:{line}:15: warning [target-text-value] target 'doel-cijfer' text "
        "hard-codes its baseline 6,5; write {baseline} so the text always shows the baseline "
        "in the data"
    ]
    # {baseline} without a baseline value, and a placeholder that does not exist.
    missing = replace(
        files, "maatregelen.yaml", "baseline: {value: 6.5}", "baseline: {planned: true}"
    )
    _, lines, _ = run(tmp_path / "c", missing)
    line = line_of(missing["maatregelen.yaml"], "gemiddeld {baseline}")
    assert (
        f"maatregelen.yaml:{line}:15: error [target-incomplete] target 'doel-cijfer' text uses "
        "{baseline} but the target has no baseline.value"
    ) in lines
    unknown = replace(files, "maatregelen.yaml", "{baseline}", "{nulmeting}")
    _, lines, _ = run(tmp_path / "d", unknown)
    line = line_of(unknown["maatregelen.yaml"], "{nulmeting}")
    assert lines == [
        f"maatregelen.yaml:{line}:15: error [ref-unknown] '{{nulmeting}}' in text is not a "
        "reference; write one of {art:ID}, {baseline}, {cite:ID}, {date:PERIOD.end}, "
        "{date:PERIOD.start}, {maatregel:ID}, {nr:ID}, {party:ID}, {period:PERIOD}, {period}, "
        "{value} (to show braces literally, avoid the {word} or {word:id} form)"
    ]
