"""References outside the covenant and quoted titles are not internal findings (issue 10).

Each rule keeps a failing case next to the false positives it must not report.
"""

from __future__ import annotations

import pytest
from dossier_factory import base_files, line_of, replace, write

from convenantgen.read.load import load_content

OLD_TEXT = "        text: De looptijd wordt verlengd tot en met {date:verlenging.end}.\n"


def run_with_text(tmp_path, text: str):
    files = replace(base_files(), "addendum.yaml", OLD_TEXT, f"        text: {text}\n")
    folder = write(tmp_path / "proef", files)
    loaded = load_content(folder)
    return files, [d.format(folder) for d in loaded.report.sorted()]


@pytest.mark.parametrize(
    "text",
    [
        # Articles of laws and of the amended covenant (which the data does not list).
        "Kosten komen uit het fonds bedoeld in artikel 95a van de Gezondheids- en welzijnswet "
        "voor dieren, gemachtigd op grond van artikel 176 Provinciewet en artikel 171 "
        "Gemeentewet; artikel 9 van het Convenant blijft van kracht tot en met "
        "{date:verlenging.end}.",
        # A capitalised word inside a quoted title.
        "Partijen volgen het rapport ‘Elke Starter Telt’ tot en met {date:verlenging.end}.",
    ],
    ids=["outside-articles", "quoted-title"],
)
def test_false_positives_are_not_reported(tmp_path, text):
    assert run_with_text(tmp_path, text)[1] == []


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        (
            "Zie artikel 1.1 voor de looptijd tot en met {date:verlenging.end}.",
            "Zie artikel 1.1",
            "warning [text-article-ref] text hard-codes 'artikel 1.1', which now points to 1.1 "
            "'Verlenging' and 1.1 'Begripsbepalingen'; write {art:ID} so the number follows "
            "the structure",
        ),
        (
            "Partijen volgen elke Starter tot en met {date:verlenging.end}.",
            "elke Starter",
            "warning [term-undefined] 'Starter' is capitalised like a defined term but is not "
            "defined (elsewhere written 'starter'); define it or write 'starter'",
        ),
    ],
    ids=["internal-article", "unquoted-capital"],
)
def test_the_real_findings_are_still_reported(tmp_path, text, needle, expected):
    files, lines = run_with_text(tmp_path, text)
    line = line_of(files["addendum.yaml"], needle)
    assert f"addendum.yaml:{line}:15: {expected}" in lines


CITES = """\
cites:
  - id: vorig-convenant
    title: Convenant financiering bestrijding besmettelijke dierziekten 2015–2019
    kamerstuk: {session: 2014/15, dossier: "29 683", number: "198"}
    predecessor: true
  - id: stcrt-convenant
    title: Convenant financiering bestrijding besmettelijke dierziekten 2020–2024
    staatscourant: {year: 2019, number: "39306"}
"""


def cite_files(text: str, session: str = "2014/15"):
    files = replace(base_files(), "addendum.yaml", OLD_TEXT, f"        text: {text}\n")
    return replace(
        files, "addendum.yaml", "sections:", CITES.replace("2014/15", session) + "sections:"
    )


def test_a_preceding_covenant_cited_by_kamerstuk_and_staatscourant(tmp_path):
    from convenantgen.context.dossier import build_context

    files = cite_files(
        "Dit vervangt het {cite:vorig-convenant}; zie ook het {cite:stcrt-convenant}."
    )
    folder = write(tmp_path / "proef", files)
    loaded = load_content(folder)
    assert [d.format(folder) for d in loaded.report.sorted()] == []
    addendum = next(a for a in build_context(loaded.dossiers[0]).agreements if a.id == "addendum-1")
    assert addendum.sections[0].clauses[0].paragraphs == (
        "Dit vervangt het Convenant financiering bestrijding besmettelijke dierziekten 2015–2019 "
        "(Kamerstukken II 2014/15, 29 683, nr. 198); zie ook het Convenant financiering "
        "bestrijding besmettelijke dierziekten 2020–2024 (Stcrt. 2019, 39306).",
    )


def _findings(tmp_path, files):
    folder = write(tmp_path / "proef", files)
    return [d.format(folder) for d in load_content(folder).report.sorted()]


@pytest.mark.parametrize(
    ("text", "session", "needle", "expected"),
    [
        (
            "Dit vervangt het {cite:vorig-convenant}.",
            "2014/16",
            "session: 2014/16",
            "26: error [citation-session] 'vorig-convenant': session '2014/16' does not run "
            "over two successive years; did you mean '2014/15'?",
        ),
        (
            "Dit vervangt het {cite:vorige-convenant}.",
            "2014/15",
            "{cite:vorige-convenant}",
            "15: error [ref-unknown] '{cite:vorige-convenant}' in text: 'vorige-convenant' is "
            "not the id of a cited document (cites:). Did you mean 'vorig-convenant'?",
        ),
    ],
    ids=["session", "unknown-cite"],
)
def test_bad_citations(tmp_path, text, session, needle, expected):
    files = cite_files(text, session=session)
    line = line_of(files["addendum.yaml"], needle)
    assert f"addendum.yaml:{line}:{expected}" in _findings(tmp_path, files)
