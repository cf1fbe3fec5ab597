"""``convenantgen status``: per dossier, what is outstanding on the reference date."""

from __future__ import annotations

import sys

from ..authoring.status import register, register_csv, register_json, report
from ..build.inputs import load_inputs
from .common import content_of, project_of, reference_date_arg, reference_day


def cmd_status(args) -> int:

    project = project_of(args)
    day = reference_day(args)
    loaded = load_inputs(content_of(args, project), args.dossier or None, project=project, day=day)
    if args.format == "csv":
        register_csv(register(loaded.dossiers, day), sys.stdout)
    elif args.format == "json":
        sys.stdout.write(register_json(register(loaded.dossiers, day), day))
    else:
        for line in report(loaded.dossiers, day):
            print(line)
    errors = len(loaded.report.errors)
    if errors:
        # Overdue deadlines are errors too; status reports, check judges.
        print(
            f"{errors} error(s) in the content: see convenantgen check (a dossier that cannot "
            "be read is left out)",
            file=sys.stderr,
        )
    return 0


def add_parser(sub) -> None:

    parser = sub.add_parser(
        "status", help="per dossier: stages, who still has to sign, deadlines, accessions"
    )
    parser.add_argument("content", nargs="?", help="content folder (default: the project's)")
    parser.add_argument("--dossier", action="append", help="only this dossier (repeatable)")
    parser.add_argument(
        "--reference-date",
        type=reference_date_arg,
        help="date (YYYY-MM-DD) to report on (default: today)",
    )
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table (default: the lines per dossier), csv or json (one row/object per dossier)",
    )
    parser.set_defaults(func=cmd_status)
