"""The text in force on a date: each kind of amendment instruction composed before and after its
date, and each rule on instructions with a passing and a failing case (exact diagnostic)."""

from __future__ import annotations

import datetime as dt

import pytest
from dossier_factory import CONVENANT, base_files, line_of, replace, write

from convenantgen.context.agreement import agreement_context
from convenantgen.model.in_force import as_dossier, change_dates, compose
from convenantgen.read.load import load_content

D = dt.date

AMENDMENTS = """\
amendments:
  - id: nieuwe-begrippen
    replace: begrip-lijst
    text: In dit convenant wordt verstaan onder een starter een leraar in de eerste drie jaar.
  - id: extra-begrip
    add_to: begrippen
    clauses:
      - id: begrip-mentor
        text: Onder een mentor wordt verstaan een ervaren leraar die een starter begeleidt.
  - id: artikel-evaluatie
    insert_after: maatregelen
    effective: 2026-01-01
    section:
      id: evaluatie
      title: Evaluatie
      clauses:
        - id: evaluatie-regel
          text: Partijen evalueren het convenant jaarlijks.
  - id: vervallen-verwijzing
    remove: toetreding-verwijzing
  - id: verlenging
    extend: looptijd
    end: 2026-07-31
"""

EXTENSION = """\
extension:
  id: verlenging
  extends: looptijd
  end: 2026-07-31
"""


def amended_files() -> dict[str, str]:
    """The factory dossier whose addendum amends the covenant with one instruction of each
    kind; the extension is the extend instruction (no separate extension block)."""
    return replace(base_files(), "addendum.yaml", EXTENSION, AMENDMENTS)


def load(tmp_path, files):
    folder = write(tmp_path / "proef", files)
    loaded = load_content(folder)
    return loaded, [d.format(folder) for d in loaded.report.sorted()]


def test_amended_dossier_is_clean_and_changes_on_two_dates(tmp_path):
    loaded, lines = load(tmp_path, amended_files())
    assert lines == []
    (dossier,) = loaded.dossiers
    assert change_dates(dossier) == [D(2025, 8, 1), D(2026, 1, 1)]


def _texts(dossier, day):
    """(article heading, [(label, text)]) of the composed text, numbers generated."""
    version = compose(dossier, day)
    composed = as_dossier(dossier, version)
    ctx = agreement_context(composed, version.agreement)
    return {
        s.title: [(c.label, " ".join(c.paragraphs)) for c in s.clauses] for s in ctx.sections
    }, ctx


def test_each_instruction_before_and_after_its_date(tmp_path):
    loaded, _ = load(tmp_path, amended_files())
    (dossier,) = loaded.dossiers
    before, _ = _texts(dossier, D(2025, 7, 31))
    after, _ = _texts(dossier, D(2025, 8, 1))
    later, ctx = _texts(dossier, D(2026, 1, 1))
    # replace (a member): the new text from its date on.
    assert before["Begripsbepalingen"][0] == (
        "1.1.",
        "In dit convenant wordt verstaan onder een starter een leraar in de eerste twee jaar.",
    )
    assert after["Begripsbepalingen"][0][1].endswith("in de eerste drie jaar.")
    # add_to: a new member 1.2.
    assert len(before["Begripsbepalingen"]) == 1
    assert after["Begripsbepalingen"][1] == (
        "1.2.",
        "Onder een mentor wordt verstaan een ervaren leraar die een starter begeleidt.",
    )
    # remove: the member is gone from 1 August 2025.
    assert [label for label, _ in before["Toetreding"]] == ["3.1.", "3.2."]
    assert after["Toetreding"] == [
        ("3.1.", "Een schoolbestuur kan toetreden voor de start van een schooljaar.")
    ]
    # insert_after: a new article 3 from 1 January 2026; Toetreding becomes article 4.
    assert "Evaluatie" not in after
    assert later["Evaluatie"] == [("3.1.", "Partijen evalueren het convenant jaarlijks.")]
    assert [s.heading for s in ctx.sections] == [
        "1. Begripsbepalingen",
        "2. Maatregelen",
        "3. Evaluatie",
        "4. Toetreding",
    ]
    # extend: the term in force.
    assert compose(dossier, D(2025, 7, 31)).agreement.in_force.end == D(2025, 7, 31)
    assert compose(dossier, D(2025, 8, 1)).agreement.in_force.end == D(2026, 7, 31)


def test_reference_only_covenant_composes_nothing(tmp_path):
    files = amended_files()
    files = replace(files, "convenant.yaml", files["convenant.yaml"], _reference_only())
    files.pop("toetredingen.yaml")
    loaded, lines = load(tmp_path, files)
    assert compose(loaded.dossiers[0], D(2026, 1, 1)) is None
    assert change_dates(loaded.dossiers[0]) == []
    line = line_of(files["addendum.yaml"], "replace: begrip-lijst")
    assert (
        f"addendum.yaml:{line}:14: error [amend-unknown] instruction 'nieuwe-begrippen' amends "
        "the covenant 'basis', whose text is not recorded (only a reference): give the "
        "covenant its sections, or leave the instruction out"
    ) in lines


def _reference_only() -> str:
    """The factory's covenant cut to its reference: title, citation and term, no text."""
    return CONVENANT.split("parties:")[0]


# (old, new, needle locating the reported line, expected text after "addendum.yaml:line:")
CASES = [
    pytest.param(
        "replace: begrip-lijst",
        "replace: begrip-lijts",
        "replace: begrip-lijts",
        "14: error [amend-unknown] instruction 'nieuwe-begrippen' names 'begrip-lijts', which is "
        "not an article or member of the covenant on 1 augustus 2025. Did you mean "
        "'begrip-lijst'?",
        id="amend-unknown",
    ),
    pytest.param(
        "    remove: toetreding-verwijzing\n",
        "    remove: toetreding-verwijzing\n  - id: weer-weg\n    remove: toetreding-verwijzing\n"
        "    effective: 2026-01-01\n",
        "    remove: toetreding-verwijzing\n    effective",
        "13: error [amend-unknown] instruction 'weer-weg' names 'toetreding-verwijzing', which "
        "is not an article or member of the covenant on 1 januari 2026. "
        "'vervallen-verwijzing' removed it on 1 augustus 2025.",
        id="amend-unknown-at-date",
    ),
    pytest.param(
        "    remove: toetreding-verwijzing\n",
        "    remove: toetreding-verwijzing\n  - id: andere-tekst\n"
        "    replace: toetreding-verwijzing\n    text: Iets anders.\n",
        "replace: toetreding-verwijzing",
        "14: error [amend-conflict] instructions 'vervallen-verwijzing' (remove) and "
        "'andere-tekst' (replace) both change 'toetreding-verwijzing' on 1 augustus 2025; give "
        "them different dates or merge them",
        id="amend-conflict",
    ),
    pytest.param(
        "    effective: 2026-01-01",
        "    effective: 2024-07-01",
        "effective: 2024-07-01",
        "16: error [amend-date] instruction 'artikel-evaluatie' takes effect on 1 juli 2024, "
        "before the covenant starts on 1 augustus 2024",
        id="amend-date-before",
    ),
    pytest.param(
        "    effective: 2026-01-01",
        "    effective: 2026-08-01",
        "effective: 2026-08-01",
        "16: error [amend-date] instruction 'artikel-evaluatie' takes effect on 1 augustus "
        "2026, after the covenant's term ends on 31 juli 2026",
        id="amend-date-after",
    ),
    pytest.param(
        "    end: 2026-07-31\n",
        "    end: 2026-07-31\n  - id: korter\n    extend: verlenging\n    end: 2026-06-30\n"
        "    effective: 2026-01-01\n",
        "end: 2026-06-30",
        "10: error [amend-shortens] instruction 'korter' extends the term to 30 juni 2026, but "
        "on 1 januari 2026 it already runs until 31 juli 2026: an extension must end later",
        id="amend-shortens",
    ),
    pytest.param(
        "    text: In dit convenant wordt verstaan onder een starter een leraar in de eerste drie "
        "jaar.\n",
        "",
        "replace: begrip-lijst",
        "14: error [amend-incomplete] instruction 'nieuwe-begrippen' replaces member "
        "'begrip-lijst' but gives no text",
        id="amend-incomplete",
    ),
    pytest.param(
        "    remove: toetreding-verwijzing\n",
        "    remove: toetreding-verwijzing\n    replace: toetreding-regel\n",
        "  - id: vervallen-verwijzing",
        "9: error [amend-incomplete] instruction 'vervallen-verwijzing' names replace and "
        "remove: one action per instruction (replace, add_to, insert_after, remove or extend)",
        id="amend-two-actions",
    ),
    pytest.param(
        "    remove: toetreding-verwijzing\n",
        "",
        "  - id: vervallen-verwijzing",
        "9: error [amend-incomplete] instruction 'vervallen-verwijzing' names none (replace, "
        "add_to, insert_after, remove or extend)",
        id="amend-no-action",
    ),
    pytest.param(
        "      - id: begrip-mentor",
        "      - id: maatregelen-lijst",
        "  - id: extra-begrip",
        "9: error [id-duplicate] instruction 'extra-begrip' adds 'maatregelen-lijst', an id the "
        "covenant's text already has on 1 augustus 2025",
        id="amend-id-duplicate",
    ),
]


@pytest.mark.parametrize(("old", "new", "needle", "expected"), CASES)
def test_instruction_rule_reports_the_broken_value(tmp_path, old, new, needle, expected):
    files = replace(amended_files(), "addendum.yaml", old, new)
    _, lines = load(tmp_path, files)
    line = line_of(files["addendum.yaml"], needle.split("\n")[0])
    if "\n" in needle:  # the second of two equal lines: find the pair
        text = files["addendum.yaml"]
        line = text[: text.index(needle)].count("\n") + 1
    assert f"addendum.yaml:{line}:{expected}" in lines, "\n".join(lines)
