"""Fixtures and hooks shared by test modules.

- One headless Chromium per test session: Playwright's sync API allows one running instance per
  thread, so every browser test module uses the ``browser`` fixture rather than starting its own.
- The bundled content read once per session (``bundled_loaded``, ``almere_loaded``; see
  tests/bundled.py).
- The markers ``libreoffice`` and ``browser`` (registered in pyproject.toml) on every test that
  runs LibreOffice or drives Chromium; ``make test-fast`` leaves those out. A test that uses the
  ``browser`` fixture without the mark stops the collection. With ``CONVENANTGEN_FORBID_TOOLS=1``
  (set by ``make test-fast``) neither program can start, in the test process and in the
  programs it runs: both are hidden from PATH, ``CONVENANTGEN_SOFFICE`` names a program that
  does not exist and the ``browser`` fixture fails. So a test that needs one of them but lacks
  its mark fails in the quick loop instead of slowing it down.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from pathlib import Path

import bundled
import pytest

from convenantgen.read.load import Loaded

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying to reach Google's hosts,
# which the closed network of CI refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

FORBID_ENV = "CONVENANTGEN_FORBID_TOOLS"
# find_soffice reports this path as missing, so the error says why.
FORBIDDEN_SOFFICE = f"/nonexistent/{FORBID_ENV}/soffice"
# The programs hidden from PATH under FORBID_ENV, besides anything that resolves into a
# LibreOffice or Chromium installation.
HIDDEN_PROGRAMS = {
    "soffice",
    "libreoffice",
    "loffice",
    "lowriter",
    "localc",
    "loimpress",
    "lodraw",
    "lomath",
    "lobase",
    "lofromtemplate",
    "unoconv",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "chrome",
}


def tools_forbidden() -> bool:
    return os.environ.get(FORBID_ENV) == "1"


def _hidden(program: Path) -> bool:
    real = os.path.realpath(program)
    return program.name in HIDDEN_PROGRAMS or "/libreoffice" in real or "/chromium" in real


def _path_without_tools(folder: Path) -> str:
    """A PATH of one folder holding a link to every program on PATH but LibreOffice's and
    Chromium's (the first of a name wins, as on PATH)."""
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        directory = Path(entry)
        if not entry or not directory.is_dir():
            continue
        for program in sorted(directory.iterdir()):
            link = folder / program.name
            if not os.path.lexists(link) and not _hidden(program):
                link.symlink_to(program)
    return str(folder)


def pytest_configure(config: pytest.Config) -> None:
    if not tools_forbidden():
        return
    folder = Path(tempfile.mkdtemp(prefix="convenantgen-no-tools-"))
    config.add_cleanup(functools.partial(shutil.rmtree, folder, True))
    patch = pytest.MonkeyPatch()
    config.add_cleanup(patch.undo)
    patch.setenv("PATH", _path_without_tools(folder))
    patch.setenv("CONVENANTGEN_SOFFICE", FORBIDDEN_SOFFICE)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unmarked = [
        item.nodeid
        for item in items
        if "browser" in getattr(item, "fixturenames", ())
        and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "these tests use the browser fixture but are not marked 'browser' "
            "(pytestmark = pytest.mark.browser): " + ", ".join(unmarked)
        )


@pytest.fixture(scope="session")
def browser():
    if tools_forbidden():
        pytest.fail(
            f"Chromium may not start with {FORBID_ENV}=1: mark the test 'browser'", pytrace=False
        )
    # heavy: Playwright loads its driver; only browser tests need it.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def bundled_loaded() -> Loaded:
    """``load_content(CONTENT)``: every bundled dossier, read once. Do not change it."""
    return bundled.bundled_loaded()


@pytest.fixture(scope="session")
def almere_loaded() -> Loaded:
    """``load_content(CONTENT, ["almere"])``, read once. Do not change it."""
    return bundled.almere_loaded()
