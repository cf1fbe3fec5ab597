"""Where the engine's bundled data lives.

The default templates (Word, wording, site pages) are package data in ``convenantgen/templates``.
The schemas are the repository's top-level ``schema/`` in a source checkout (editable install);
a wheel carries a copy under ``convenantgen/_data/``.
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


def mkdocs_config() -> Path | None:
    """The top-level ``mkdocs.yml`` (a source checkout) or the copy inside an installed
    package; None when neither is there."""
    for candidate in (_PACKAGE / "_data" / "mkdocs.yml", _PACKAGE.parents[1] / "mkdocs.yml"):
        if candidate.is_file():
            return candidate
    return None


def templates_dir() -> Path:
    """The engine's default templates; a project's ``templates/`` overrides them by name."""
    return _PACKAGE / "templates"
