"""What a command reads before it writes anything: the content and the project's templates,
all checked, in one report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..cache import Cache
from ..read.load import Loaded, load_content
from ..read.project import Project
from .templates import check_templates


def load_inputs(
    content_dir: Path,
    only: list[str] | None = None,
    *,
    project: Project | None = None,
    day: dt.date | None = None,
    profile: str | None = None,
    cache: Cache | None = None,
) -> Loaded:
    """Every dossier below ``content_dir`` (or the ids in ``only``) read and checked on the
    reference date ``day``, and the project's own templates checked against their contexts:
    a typo in a template is found before a single document is rendered."""
    template_report = check_templates(project) if project is not None else None
    loaded = load_content(content_dir, only, project=project, day=day, profile=profile, cache=cache)
    if template_report is not None:
        loaded.report.diagnostics[:0] = template_report.diagnostics
    return loaded
