"""What every command shares: finding the project and content, the reference date, options."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import Report, Severity
from ..read.project import Project, content_dir, find_project
from .options import (  # noqa: F401  (the commands import them from here too)
    FIRST_REFERENCE_DATE,
    LAST_REFERENCE_DATE,
    add_no_cache_option,
    add_project_option,
    env_seconds,
    reference_date_arg,
    reference_day,
)


def print_report(report: Report, root: Path, *, subjects: bool, quiet: bool, out) -> None:
    for diag in report.sorted():
        if quiet and diag.severity is Severity.ACKNOWLEDGED:
            continue
        line = diag.format(root)
        if subjects and diag.subject:
            line += f"  {{code: {diag.code}, subject: {diag.subject}}}"
        print(line, file=out)


def summary(report: Report, dossiers: int) -> str:
    acknowledged = sum(1 for d in report.diagnostics if d.severity is Severity.ACKNOWLEDGED)
    return (
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s), "
        f"{acknowledged} acknowledged in {dossiers} dossier(s)"
    )


def project_of(args: argparse.Namespace) -> Project:
    """The project a command works on (``--project``, else found from the working folder)."""
    return find_project(getattr(args, "project", None), content=getattr(args, "content", None))


def content_of(args: argparse.Namespace, project: Project) -> Path:
    return content_dir(project, getattr(args, "content", None))
