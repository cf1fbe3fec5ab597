"""The Aanwijzingen profile (``check --profile aanwijzingen-2025``): each rule passes on a
covenant that regulates its element and fails, with the exact diagnostic, when it does not."""

from __future__ import annotations

import pytest
from dossier_factory import base_files, line_of, replace, write

from convenantgen.cli import main
from convenantgen.read.load import load_content

PROFILE = "aanwijzingen-2025"
MINISTER = """\
  - id: ministers
    designation: de Minister
    capacity: handelend als bestuursorgaan
    signing: each
"""
SLOT = """\
  - id: slot
    title: Slotbepalingen
    clauses:
      - id: looptijd-regel
        topics: [term]
        text: Dit convenant treedt in werking op {date:looptijd.start}.
      - id: opzegging
        topics: [termination]
        text: Elke partij kan het convenant schriftelijk opzeggen met een termijn van drie maanden.
      - id: wijziging
        topics: [amendment]
        text: Een wijziging behoeft de schriftelijke instemming van alle partijen.
      - id: evaluatie
        topics: [evaluation]
        text: Partijen evalueren het convenant in het laatste jaar.
      - id: afdwingbaarheid
        topics: [enforceability]
        text: Partijen kunnen de nakoming van dit convenant niet in rechte afdwingen.
"""


def profile_files() -> dict[str, str]:
    """The base dossier made to regulate every element the profile asks for."""
    files = base_files()
    files = replace(files, "partijen.yaml", "groups:\n", "groups:\n" + MINISTER)
    files = replace(
        files,
        "partijen.yaml",
        "parties:\n",
        "parties:\n  - id: minister\n    name: De Minister van OCW\n    kind: minister\n"
        "    group: ministers\n    representative: {name: M. Minister, role: Minister van OCW}\n",
    )
    files = replace(
        files, "convenant.yaml", "parties: [besturen]", "parties: [ministers, besturen]"
    )
    files = replace(files, "convenant.yaml", "  copies: 2", "  copies: 3")
    files = replace(
        files,
        "convenant.yaml",
        "    title: Toetreding\n",
        "    title: Toetreding\n    topics: [accession]\n",
    )
    files = replace(files, "convenant.yaml", "accession:\n", SLOT + "accession:\n")
    files = replace(
        files, "addendum.yaml", "signing:\n", "publication: {within_days: 30}\nsigning:\n"
    )
    files = replace(files, "addendum.yaml", "parties: [besturen]", "parties: [ministers, besturen]")
    files = replace(files, "addendum.yaml", "  copies: 3", "  copies: 4")
    # The covenant provides for an evaluation, so its lifecycle must say when it is done.
    files["levensloop.yaml"] = (
        "kind: lifecycle\nagreements:\n  - agreement: basis\n"
        "    evaluation: {planned: 2025-06-30, done: 2025-06-15}\n"
    )
    return files


def run(tmp_path, files):
    folder = write(tmp_path / "proef", files)
    loaded = load_content(folder, profile=PROFILE)
    return [d.format(folder) for d in loaded.report.sorted()]


def test_profile_passes_a_covenant_that_regulates_every_element(tmp_path):
    assert run(tmp_path, profile_files()) == []


def drop(files, name):
    return {k: v for k, v in files.items() if k != name}


NO_ACCESSION = (
    "accession:\n  clause: toetreding-regel\n  kinds: [schoolbestuur]\n  before_school_year: true\n"
)

# (change to profile_files(), reported file, needle, expected text after "file:line:")
CASES = [
    pytest.param(
        lambda f: replace(
            replace(f, "convenant.yaml", "parties: [ministers, besturen]", "parties: [besturen]"),
            "convenant.yaml",
            "  copies: 3",
            "  copies: 2",
        ),
        "convenant.yaml",
        "parties: [besturen]",
        "1: error [aw-parties] no party of 'basis' is of the rijksoverheid (kind: minister); a "
        "covenant is an agreement between the rijksoverheid and one or more other parties "
        "(Aanwijzing 1, 2025)",
        id="aw-parties",
    ),
    pytest.param(
        lambda f: replace(
            f, "partijen.yaml", "{name: M. Minister, role: Minister van OCW}", "{name: M. Minister}"
        ),
        "partijen.yaml",
        "name: M. Minister",
        "5: warning [aw-representation] the representative of 'minister' (M. Minister) has no "
        "role: the capacity that shows the authority to bind the party must appear from the "
        "covenant (2003 A5 lid 3, representation)",
        id="aw-representation",
    ),
    pytest.param(
        lambda f: replace(f, "convenant.yaml", "        topics: [term]\n", ""),
        "convenant.yaml",
        "sections:",
        "1: error [aw-term] 'basis': no article is tagged topics: [term]; a covenant states when "
        "it takes effect and for how long (2003 A19 lid 1, term)",
        id="aw-term",
    ),
    pytest.param(
        lambda f: drop(drop(f, "addendum.yaml"), "toetredingen.yaml"),
        "convenant.yaml",
        "sections:",
        "1: error [aw-extension] 'basis': no article is tagged topics: [extension]; a covenant for "
        "a fixed term states whether and how it can be extended (2003 A19 lid 3, extension)",
        id="aw-extension",
    ),
    pytest.param(
        lambda f: replace(f, "convenant.yaml", "        topics: [termination]\n", ""),
        "convenant.yaml",
        "sections:",
        "1: warning [aw-termination] 'basis': no article is tagged topics: [termination]; grounds, "
        "form and notice period of termination are to be regulated (2003 A20, opzegging)",
        id="aw-termination",
    ),
    pytest.param(
        lambda f: drop(
            replace(
                replace(f, "convenant.yaml", NO_ACCESSION, ""),
                "convenant.yaml",
                "    topics: [accession]\n",
                "",
            ),
            "toetredingen.yaml",
        ),
        "convenant.yaml",
        "sections:",
        "1: warning [aw-accession] 'basis': no article is tagged topics: [accession]; whether, how "
        "and on what conditions others can join is to be considered (2003 A6 lid 1, accession)",
        id="aw-accession",
    ),
    pytest.param(
        lambda f: replace(f, "convenant.yaml", "        topics: [amendment]\n", ""),
        "convenant.yaml",
        "sections:",
        "1: warning [aw-amendment] 'basis': no article is tagged topics: [amendment]; how the "
        "agreements can be amended is to be considered (2003 A21 lid 4, amendment)",
        id="aw-amendment",
    ),
    pytest.param(
        lambda f: replace(f, "convenant.yaml", "        topics: [evaluation]\n", ""),
        "convenant.yaml",
        "sections:",
        "1: warning [aw-evaluation] 'basis': no article is tagged topics: [evaluation]; an "
        "evaluation clause says who evaluates and when (2003 A18, evaluation)",
        id="aw-evaluation",
    ),
    pytest.param(
        lambda f: replace(f, "convenant.yaml", "        topics: [enforceability]\n", ""),
        "convenant.yaml",
        "sections:",
        "1: warning [aw-enforceability] 'basis': no article is tagged topics: [enforceability]; "
        "whether the rights and obligations are enforceable in law must be stated expressly "
        "(2003 A16 lid 1, enforceability)",
        id="aw-enforceability",
    ),
    pytest.param(
        lambda f: replace(
            f, "convenant.yaml", "schriftelijk opzeggen", "tegen betaling van € 100 opzeggen"
        ),
        "convenant.yaml",
        "sections:",
        "1: warning [aw-finance] 'basis': money is involved (an amount in euro), but no article "
        "is tagged topics: [finance]; financial consequences belong in a financial paragraph "
        "(2003 A8, finance)",
        id="aw-finance",
    ),
    pytest.param(
        lambda f: replace(f, "addendum.yaml", "publication: {within_days: 30}\n", ""),
        "addendum.yaml",
        "id: addendum-1",
        "5: error [aw-publication] 'addendum-1' has no publication: a covenant, or its "
        "substance, and every amendment are published in the Staatscourant (2003 A25, "
        "publication)",
        id="aw-publication",
    ),
]


@pytest.mark.parametrize(("change", "name", "needle", "expected"), CASES)
def test_profile_rule_fails_without_its_element(tmp_path, change, name, needle, expected):
    files = change(profile_files())
    line = line_of(files[name], needle)
    col, _, rest = expected.partition(":")
    assert run(tmp_path, files) == [f"{name}:{line}:{col}:{rest}"]


def test_money_with_a_financial_paragraph_passes(tmp_path):
    files = replace(
        profile_files(),
        "convenant.yaml",
        "schriftelijk opzeggen",
        "tegen betaling van € 100 opzeggen",
    )
    files = replace(
        files,
        "convenant.yaml",
        "        topics: [termination]\n",
        "        topics: [termination, finance]\n",
    )
    assert run(tmp_path, files) == []


def test_profile_only_with_the_option(tmp_path, capsys):
    folder = write(
        tmp_path / "proef",
        replace(profile_files(), "addendum.yaml", "publication: {within_days: 30}\n", ""),
    )
    assert main(["check", str(folder)]) == 0
    assert main(["check", str(folder), "--profile", PROFILE]) == 1
    assert "[aw-publication]" in capsys.readouterr().out
