"""``convenantgen check`` (every problem at once) and ``convenantgen checks`` (the rule list)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..build.inputs import load_inputs
from ..checks import CHECKS
from ..checks.aanwijzingen import PROFILES
from .common import content_of, print_report, project_of, reference_date_arg, reference_day, summary


def cmd_check(args: argparse.Namespace) -> int:
    project = project_of(args)
    loaded = load_inputs(
        content_of(args, project),
        args.dossier or None,
        project=project,
        day=reference_day(args),
        profile=args.profile,
    )
    if args.format == "json":
        items = [
            {
                "file": str(d.where.file),
                "line": d.line,
                "column": d.col,
                "severity": d.severity.label,
                "code": d.code,
                "message": d.message,
                "subject": d.subject,
                "reason": d.reason,
            }
            for d in loaded.report.sorted()
        ]
        json.dump({"diagnostics": items}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_report(
            loaded.report, Path.cwd(), subjects=args.subjects, quiet=args.quiet, out=sys.stdout
        )
        sys.stdout.flush()
        print(summary(loaded.report, len(loaded.dossiers)), file=sys.stderr)
    return 1 if loaded.failed(args.strict) else 0


def cmd_checks(args: argparse.Namespace) -> int:
    width = max(len(c) for c in CHECKS)
    for code, info in sorted(CHECKS.items()):
        print(f"{code:<{width}}  {info.severity.label:<7}  {info.summary}")
    return 0


def add_parser(sub) -> None:
    check = sub.add_parser("check", help="validate all dossiers and report every problem")
    check.add_argument("content", nargs="?", help="content folder (default: the project's)")
    check.add_argument("--dossier", action="append", help="check only this dossier (repeatable)")
    check.add_argument("--strict", action="store_true", help="warnings also fail (exit 1)")
    check.add_argument(
        "--subjects",
        action="store_true",
        help="show code and subject of each finding, for acknowledgements",
    )
    check.add_argument("--quiet", action="store_true", help="hide acknowledged findings")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument(
        "--reference-date",
        type=reference_date_arg,
        help="date (YYYY-MM-DD) the lifecycle rules count from: deadlines, overdue evaluations "
        "(default: today)",
    )
    check.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        help="also apply a rule profile: aanwijzingen-2025 (the Aanwijzingen voor convenanten)",
    )
    check.set_defaults(func=cmd_check)

    checks = sub.add_parser("checks", help="list the check codes and their default severity")
    checks.set_defaults(func=cmd_checks)
