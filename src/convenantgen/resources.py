"""Where the bundled schemas and Word templates live.

In a source checkout (editable install) they are the repository's top-level ``schema/`` and
``templates/``; a wheel carries copies under ``convenantgen/_data/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder '{name}' not found next to {_PACKAGE}")


def schema_dir() -> Path:
    return _find("schema")


def templates_dir() -> Path:
    return _find("templates")
