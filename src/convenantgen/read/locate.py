"""Where a project is, found without reading it: the nearest ``convenantgen.yml`` upwards.

Kept apart from :mod:`.project` (which validates the settings and so loads the schemas and the
check registry) because ``build`` decides "nothing changed" from this alone
(:mod:`convenantgen.build.uptodate`), before anything heavier is imported.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_FILE = "convenantgen.yml"


def find_project_file(start: Path) -> Path | None:
    """The nearest ``convenantgen.yml`` in ``start`` or a folder above it."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None
