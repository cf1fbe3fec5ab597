"""The markers ``libreoffice`` and ``browser`` sit on every test that needs the program.

``make test-fast`` runs every other test with ``CONVENANTGEN_FORBID_TOOLS=1``, under which
tests/conftest.py hides LibreOffice and Chromium. These tests run pytest in a subprocess: on
sample tests in a sandbox (with a copy of the real conftest) to show that a missing mark fails
there, and on the unmarked tests of the PDF-stage modules, which mix both kinds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FAST = "not libreoffice and not browser"
# Modules with tests of both kinds: where a new LibreOffice test is most likely to go unmarked.
MIXED = [
    "test_batches.py",
    "test_build.py",
    "test_package.py",
    "test_pdf.py",
    "test_pdfa.py",
    "test_pdfpages.py",
    "test_signatures.py",
]

# Two tests that need LibreOffice without their mark, one with it, one that needs neither.
SAMPLE_LIBREOFFICE = """\
import subprocess

import pytest

from convenantgen.render.pdf.convert import find_soffice


def test_finds_libreoffice():
    assert find_soffice().name


def test_starts_soffice_by_name():
    subprocess.run(["soffice", "--version"], check=True, capture_output=True, timeout=120)


@pytest.mark.libreoffice
def test_finds_libreoffice_as_well():
    assert find_soffice().name


def test_needs_neither():
    assert subprocess.run(["sh", "-c", "exit 0"]).returncode == 0
"""

SAMPLE_BROWSER = """\
import pytest


{mark}
def test_opens_a_page(browser):
    browser.new_page().close()
"""


def _pytest(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """pytest with the project's settings and the programs forbidden, in ``cwd``."""
    env = {**os.environ, "CONVENANTGEN_FORBID_TOOLS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir",
         str(cwd), "-p", "no:cacheprovider", "-q", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def _sandbox(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    for helper in ("conftest.py", "bundled.py"):
        shutil.copy(TESTS / helper, folder / helper)
    (folder / name).write_text(text, "utf-8")
    return folder


def test_markers_are_registered_and_strict():
    pytest_settings = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["pytest"][
        "ini_options"
    ]
    assert "--strict-markers" in pytest_settings["addopts"].split()
    assert sorted(m.split(":")[0] for m in pytest_settings["markers"]) == [
        "browser",
        "libreoffice",
    ]


def test_make_test_fast_leaves_out_the_marked_tests_and_forbids_the_programs():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    recipe = re.search(r"^test-fast:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert f'CONVENANTGEN_FORBID_TOOLS=1 $(PY) -m pytest -q -m "{FAST}"' in recipe
    assert "lint-imports" in recipe and "ruff check" in recipe


def test_an_unmarked_libreoffice_test_fails_when_the_programs_are_forbidden(tmp_path):
    sandbox = _sandbox(tmp_path / "sandbox", "test_sample.py", SAMPLE_LIBREOFFICE)
    run = _pytest(sandbox, "-m", FAST, "test_sample.py")
    out = run.stdout + run.stderr
    assert run.returncode == pytest.ExitCode.TESTS_FAILED, out
    assert "2 failed, 1 passed, 1 deselected" in out, out
    # find_soffice names the forbidden program; the subprocess finds no soffice on PATH.
    assert "/nonexistent/CONVENANTGEN_FORBID_TOOLS/soffice" in out
    assert "No such file or directory: 'soffice'" in out


def test_an_unmarked_browser_test_stops_the_collection(tmp_path):
    sandbox = _sandbox(tmp_path / "sandbox", "test_page.py", SAMPLE_BROWSER.format(mark=""))
    run = _pytest(sandbox, "test_page.py")
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, run.stdout + run.stderr
    assert "not marked 'browser'" in run.stderr and "test_page.py::test_opens_a_page" in run.stderr
    marked = SAMPLE_BROWSER.format(mark="@pytest.mark.browser")
    (sandbox / "test_page.py").write_text(marked, "utf-8")
    # Even when asked for by its mark, Chromium does not start while it is forbidden.
    run = _pytest(sandbox, "-m", "browser", "test_page.py")
    assert (
        run.returncode == pytest.ExitCode.TESTS_FAILED and "Chromium may not start" in run.stdout
    ), run.stdout


def test_the_unmarked_tests_of_the_pdf_stage_pass_without_the_programs():
    if os.environ.get("CONVENANTGEN_FORBID_TOOLS") == "1":
        pytest.skip("make test-fast runs every unmarked test without the programs already")
    run = _pytest(TESTS, "-m", FAST, *MIXED)
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]
    assert " deselected" in run.stdout and " failed" not in run.stdout
