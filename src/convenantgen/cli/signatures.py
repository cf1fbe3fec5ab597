"""``convenantgen signatures FILE.pdf``: the signatures of a signed signing package."""

from __future__ import annotations

import sys
from pathlib import Path

from ..authoring.signatures import compare, describe, read_signatures
from ..errors import UsageError
from ..read.load import load_content
from .common import content_of, project_of


def cmd_signatures(args) -> int:

    path = Path(args.pdf)
    fields = read_signatures(path)
    for sig in fields:
        print(describe(sig))
    signed = sum(1 for s in fields if s.signed)
    print(f"{signed} of {len(fields)} signature field(s) signed", file=sys.stderr)
    if not args.dossier:
        return 0 if all(s.intact for s in fields if s.signed) else 1
    project = project_of(args)
    loaded = load_content(content_of(args, project), [args.dossier], project=project)
    if not loaded.dossiers:
        raise UsageError(f"dossier '{args.dossier}' has errors; run convenantgen check first")
    problems = compare(loaded.dossiers[0], fields)
    for line in problems:
        print(f"mismatch: {line}")
    if not problems:
        print(f"the signatures agree with the records of dossier '{args.dossier}'")
    return 1 if problems else 0


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "signatures",
        help="read the signatures of a signed signing package (and compare with the records)",
    )
    parser.add_argument("pdf", help="the signed signing package (PDF)")
    parser.add_argument("content", nargs="?", help="content folder (default: the project's)")
    parser.add_argument(
        "--dossier",
        help="compare the signed fields with this dossier's lifecycle records; exit 1 on a "
        "mismatch",
    )
    parser.set_defaults(func=cmd_signatures)
