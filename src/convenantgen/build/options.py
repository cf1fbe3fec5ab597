"""What a build is asked to do: the options of ``convenantgen build``, as one value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path
    pdf: bool = True
    site: bool = True
    strict: bool = False
    # The build's one reference date: checks, site and status all speak of this day. The CLI
    # resolves it once (--reference-date, else today); made today when none is given.
    reference_date: dt.date = field(default_factory=dt.date.today)
    jobs: int | None = None
    # Seconds LibreOffice may take for one document (start-up included) before it counts as
    # hung; a document of ours converts in a few seconds.
    timeout: float = 60.0
    dossiers: tuple[str, ...] = ()
    engine: str = "mkdocs"  # the site's engine: mkdocs or zensical
    # Reuse documents, PDFs, packages and the site from the project's cache (see cache.py).
    cache: bool = True
