"""The bad-input corpus (``tests/bad_inputs/``): every broken dossier is rejected cleanly.

Each case must make ``convenantgen check`` print exactly the lines in its ``expected.txt``
(``file:line:col: severity [code] message``), exit 1, print no traceback and leave every file
as it was. ``ok-*`` cases are tricky but valid input that must pass and survive intact. The
corpus runner lives in ``benchmarks/bad_inputs_report.py`` so that the benchmark and these
tests judge the cases the same way.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from convenantgen.model.references import build_index, render_text
from convenantgen.read.load import load_content
from convenantgen.read.schemas import validate

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "bad_inputs_report", ROOT / "benchmarks" / "bad_inputs_report.py"
)
report = importlib.util.module_from_spec(_spec)
sys.modules["bad_inputs_report"] = report
_spec.loader.exec_module(report)

CASES = {case.name: case for case in report.cases()}

# Cases that check does not yet reject as expected.txt says. Each is a bug in a module this
# corpus does not own, described with its fix in the manual page docs/guarantees.md;
# test_no_known_failures below fails for as long as this list is not empty.
KNOWN_FAILURES: list[str] = []

# Run through the real executable as well (the rest run in-process through cli.main).
SUBPROCESS_SAMPLE = [
    "yaml-alias-bomb",
    "yaml-python-object-tag",
    "file-50-megabytes",
    "non-utf8-latin1",
    "date-february-31",
    "percent-120",
    "id-path-traversal-dossier",
    "symlink-to-etc-passwd",
    "ok-names-with-special-characters",
]


def _params(names):
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason="known failure"))
        if name in KNOWN_FAILURES
        else name
        for name in names
    ]


def test_corpus_is_large_and_complete():
    bad = [c for c in CASES.values() if not c.valid]
    assert len(bad) >= 40
    for case in bad:
        assert case.expected(), f"{case.name}: expected.txt names no diagnostic"
        for line in case.expected():
            assert line.startswith("re:") or report.LINE_RE.match(line), (case.name, line)
    assert set(KNOWN_FAILURES) <= set(CASES)
    assert set(SUBPROCESS_SAMPLE) <= set(CASES)
    assert set(report.GENERATORS) <= set(CASES)


def test_base_dossier_is_clean(tmp_path):
    outcome = report.run_in_process(report.BASE)
    assert outcome.exit_code == 0, outcome.stdout
    assert outcome.stdout == ""
    assert "0 error(s), 0 warning(s)" in outcome.stderr


@pytest.mark.parametrize("name", _params(sorted(CASES)))
def test_case_in_process(name, tmp_path):
    verdict = report.run_case(CASES[name], tmp_path)
    assert verdict.clean, "\n".join(verdict.problems)


@pytest.mark.parametrize("name", _params(SUBPROCESS_SAMPLE))
def test_case_through_the_executable(name, tmp_path):
    verdict = report.run_case(CASES[name], tmp_path, runner=report.run_cli)
    assert verdict.clean, "\n".join(verdict.problems)
    assert "Traceback" not in verdict.outcome.stderr
    summary = verdict.outcome.stderr.strip().splitlines()[-1]
    assert re.fullmatch(
        r"\d+ error\(s\), \d+ warning\(s\), \d+ acknowledged in [01] dossier\(s\)", summary
    )


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    """Shared by the build tests, so the previous build of the base dossier is made once."""
    return tmp_path_factory.mktemp("build")


@pytest.mark.parametrize("name", _params(sorted(n for n, c in CASES.items() if not c.valid)))
def test_build_of_case_fails_and_touches_nothing(name, build_dir):
    """build over a previous build: exit 1, the diagnostics, every old file untouched."""
    verdict = report.build_case(CASES[name], build_dir)
    assert verdict.clean, "\n".join(verdict.problems)
    assert "nothing was written" in verdict.outcome.stderr


@pytest.mark.parametrize("name", ["yaml-alias-bomb", "percent-120", "dossier-yaml-missing"])
def test_build_through_the_executable(name, build_dir):
    verdict = report.build_case(CASES[name], build_dir / "cli", runner=report.run_cli)
    assert verdict.clean, "\n".join(verdict.problems)


def test_previous_build_is_real(build_dir):
    """The "previous build" that bad builds must leave alone holds real documents."""
    out = report.previous_build(build_dir)
    assert (out / "manifest.json").is_file()
    assert len(list(out.rglob("*.docx"))) >= 3


def test_no_known_failures():
    """Fails while any corpus case is a known failure: fix the bug, then empty the list."""
    assert KNOWN_FAILURES == []


def test_folder_without_dossier_yaml_checked_directly(tmp_path):
    """Checked as a dossier itself, a folder without dossier.yaml is a usage error (exit 2)."""
    folder = report.materialize(CASES["dossier-yaml-missing"], tmp_path)
    outcome = report.run_cli(folder, ["check", "."])
    assert outcome.exit_code == 2
    assert outcome.stdout == ""
    assert outcome.stderr.startswith("convenantgen: error: no dossiers in '.'")
    assert "Traceback" not in outcome.stderr


def test_generated_inputs_are_what_they_claim(tmp_path):
    """The generators really write a 50 MB file, non-UTF-8 bytes, a NUL and a symlink."""
    big = report.materialize(CASES["file-50-megabytes"], tmp_path) / "maatregelen.yaml"
    assert big.stat().st_size >= 50 * 1024 * 1024
    latin = report.materialize(CASES["non-utf8-latin1"], tmp_path) / "partijen.yaml"
    with pytest.raises(UnicodeDecodeError):
        latin.read_bytes().decode("utf-8")
    nul = report.materialize(CASES["nul-byte"], tmp_path) / "dossier.yaml"
    assert b"\x00" in nul.read_bytes()
    link = report.materialize(CASES["symlink-to-etc-passwd"], tmp_path) / "extra.yaml"
    assert link.is_symlink()
    aliases = report.materialize(CASES["alias-bomb-long-string"], tmp_path) / "maatregelen.yaml"
    assert aliases.stat().st_size < 2 * 1024 * 1024  # not refused for its size
    assert aliases.read_text("utf-8").count("*lang") == 40


# ---------------------------------------------------------------------------------------------
# Valid but tricky input survives intact


def _load(name: str, tmp_path: Path):
    folder = report.materialize(CASES[name], tmp_path)
    loaded = load_content(folder)
    assert not loaded.report.diagnostics, [d.message for d in loaded.report.diagnostics]
    (dossier,) = loaded.dossiers
    return dossier


def test_special_characters_in_names_survive(tmp_path):
    dossier = _load("ok-names-with-special-characters", tmp_path)
    assert dossier.party("bestuur-a").name == 'Stichting "Alfa" & Zonen <BV>'
    assert dossier.party("bestuur-b").name == "L'École d'Øresund — 🎓 “Beta” ‘plus’ > 50%"
    assert dossier.party("bestuur-c").representative.name == "C. O'Brien-Smit 👩\u200d🏫"


def test_script_in_description_is_kept_as_text(tmp_path):
    dossier = _load("ok-script-in-description", tmp_path)
    assert dossier.measure("begeleiding").description == (
        '<script>alert("x")</script> krijgen begeleiding op maat.',
        'onclick="steal()" <img src=x onerror=alert(1)> &amp; &lt;',
    )


def test_jinja_syntax_in_text_stays_literal(tmp_path):
    dossier = _load("ok-jinja-in-text", tmp_path)
    index = build_index(dossier)
    description = dossier.measure("begeleiding").description
    assert description == (
        "starters krijgen {{ config.items() }} en {% include '/etc/passwd' %} en "
        "{# geen commentaar #}",
        "{{ 7 * 7 }} blijft letterlijk, net als {%- raw %}",
    )
    for text in description:
        assert render_text(text, index, dossier) == text
    clause = next(c for _, c in dossier.document("addendum").clauses() if c.id == "toetreding")
    assert render_text(clause.text, index, dossier) == (
        "Een schoolbestuur kan toetreden tot dit addendum, ook met {{ naam }} erin."
    )


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.valid))
def test_tricky_valid_input_builds(name, tmp_path):
    folder = report.materialize(CASES[name], tmp_path)
    out = tmp_path / "out"
    outcome = report.run_in_process(folder, ["build", ".", "--out", str(out), "--no-pdf"])
    assert outcome.exit_code == 0, outcome.traceback or outcome.stderr
    assert (out / "manifest.json").is_file()


def test_special_characters_reach_the_documents_intact(tmp_path):
    """The exact names come out in the plain text and the DOCX (escaping is tested elsewhere)."""
    from docx import Document

    folder = report.materialize(CASES["ok-names-with-special-characters"], tmp_path)
    out = tmp_path / "out"
    report.run_in_process(folder, ["build", ".", "--out", str(out), "--no-pdf", "--quiet"])
    text = (out / "proef" / "proef-addendum.txt").read_text("utf-8")
    docx = "\n".join(p.text for p in Document(out / "proef" / "proef-addendum.docx").paragraphs)
    for name in ('Stichting "Alfa" & Zonen <BV>', "L'École d'Øresund — 🎓 “Beta” ‘plus’ > 50%"):
        assert name in text
        assert name in docx


def test_utf8_bom_is_accepted(tmp_path):
    folder = report.materialize(CASES["ok-utf8-bom"], tmp_path)
    assert (folder / "dossier.yaml").read_bytes().startswith(b"\xef\xbb\xbf")
    assert _load("ok-utf8-bom", tmp_path / "again").title == "Proefconvenant lerarentekort"


# ---------------------------------------------------------------------------------------------
# Ids are the only names that reach output paths: they can never escape the output folder


@pytest.mark.parametrize(
    "bad_id",
    [
        "../../etc/passwd",
        "..",
        ".",
        "a/b",
        "/etc/passwd",
        "a\\b",
        "~root",
        "-x",
        "A",
        "a b",
        "",
        "a\n",
        "a\x00",
        "a\u2028",
    ],
)
def test_id_check_rejects_path_like_ids(bad_id):
    data = {"kind": "dossier", "id": bad_id, "title": "Proef"}
    (diag,) = validate(data, "dossier", Path("dossier.yaml"), frozenset())
    assert diag.code == "schema-id"
    shown = bad_id.replace("\n", "\\n").replace("\x00", "\\u0000").replace("\u2028", "\\u2028")
    assert diag.message == (
        f"id: '{shown}' is not a valid id: use lower-case letters, digits and hyphens, "
        "starting with a letter or digit"
    )


# ---------------------------------------------------------------------------------------------
# The benchmark script


def _run_report(*names: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bad_inputs_report.py"), *names],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_report_script():
    """The script's summary on a sample (every case is judged above by the same functions)."""
    sample = ["yaml-alias-bomb", "percent-120", "dossier-yaml-missing", "ok-jinja-in-text"]
    sample += KNOWN_FAILURES[:1]
    attacks = ["out-is-a-web-app", "lone-surrogate-in-title"]
    proc = _run_report(*sample, *attacks)
    bad = sum(1 for name in sample if not CASES[name].valid)
    clean = bad - len(KNOWN_FAILURES[:1])
    match = re.fullmatch(
        r"(\d+) bad inputs, (\d+) rejected cleanly, 0 tracebacks, (\d+) outputs touched\n"
        r"2 attacks, 2 handled cleanly, 0 tracebacks, 0 files touched outside --out\n",
        proc.stdout,
    )
    assert match, proc.stdout + proc.stderr
    assert (int(match[1]), int(match[2])) == (bad, clean)
    assert proc.returncode == (1 if KNOWN_FAILURES else 0)
    if not KNOWN_FAILURES:
        assert match[3] == "0"
    for name in KNOWN_FAILURES[:1]:
        assert f"--- {name}:" in proc.stderr


def test_report_script_rejects_unknown_case_names():
    proc = _run_report("no-such-case")
    assert proc.returncode == 2
    assert proc.stderr == "no such case: no-such-case\n"
