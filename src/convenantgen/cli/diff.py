"""``convenantgen diff REV1 [REV2]``: what changed between two git revisions, in words."""

from __future__ import annotations

import sys
from pathlib import Path

from ..authoring.diff import diff_content, format_changes, repo_root
from ..errors import UsageError
from ..read.templates import Templates
from .common import content_of, project_of


def add_parser(sub) -> None:
    """Register ``convenantgen diff``."""
    parser = sub.add_parser(
        "diff",
        help="what changed in the dossiers between two git revisions, in words",
        description="Compare the dossiers at two git revisions (e.g. v1.0 HEAD) and describe "
        "the changes: targets, parties, dates, measures and a word-level redline of texts.",
    )
    parser.add_argument("rev1", help="the older revision (commit, tag or branch)")
    parser.add_argument(
        "rev2", nargs="?", help="the newer revision (default: the files in the work tree)"
    )
    parser.add_argument("--dossier", action="append", help="only this dossier (repeatable)")
    parser.add_argument("--format", choices=["text", "markdown"], default="text")
    parser.add_argument("--content", help="content folder (default: the project's)")
    parser.set_defaults(func=cmd_diff)


def cmd_diff(args) -> int:

    cwd = Path.cwd()
    root = repo_root(cwd)
    project = project_of(args)
    # The project's wording (templates/wording.yml, convenantgen.yml) writes the sentences.
    words = Templates.of(project).wording(project)
    content = (cwd / content_of(args, project)).resolve()
    try:
        content_rel = content.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"content folder '{content}' is not inside the repository") from None
    items = diff_content(root, args.rev1, args.rev2, content_rel, args.dossier, words)
    rev2 = args.rev2 or words.text("diff.worktree")
    sys.stdout.write(format_changes(items, args.rev1, rev2, args.format == "markdown", words))
    return 0
