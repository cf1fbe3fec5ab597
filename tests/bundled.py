"""The bundled content (``content/``), read once per test session.

Reading all bundled dossiers takes seconds; tests that only look at the result share one read
through the session fixtures ``bundled_loaded`` and ``almere_loaded`` (tests/conftest.py) or,
in helpers that are not fixtures, through these cached functions. The model objects are frozen
dataclasses; a test that wants a changed dossier uses ``dataclasses.replace`` or reads a copy
of the files, never edits what these return.
"""

from __future__ import annotations

import functools
from pathlib import Path

from convenantgen.read.load import Loaded, load_content

CONTENT = Path(__file__).resolve().parents[1] / "content"


@functools.cache
def bundled_loaded() -> Loaded:
    """Every bundled dossier, read and checked as ``load_content(CONTENT)`` does."""
    return load_content(CONTENT)


@functools.cache
def almere_loaded() -> Loaded:
    """Only the Almere dossier: ``load_content(CONTENT, ["almere"])``."""
    return load_content(CONTENT, ["almere"])
