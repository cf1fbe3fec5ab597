"""``convenantgen signatures FILE.pdf``: a verdict per signature field of a signed package.

It exits 1 when a signature is invalid, the file was changed beyond what is allowed after a
signature, bytes follow the last revision, a trust judgement fails (expired, revoked, or not
chained to a root given with ``--trust``), or, with ``--dossier``, the dossier disagrees. A
dossier has one package per signing act: the file's name says which (``--act`` names it), and
its fields are compared with that act's signatories and dates.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..authoring.expected_signatories import act_of_file, expected_signatories
from ..authoring.signature_check import compare
from ..authoring.signatures import format_report, load_trust_roots, read_signatures
from ..errors import UsageError
from ..read.load import load_content
from .common import content_of, project_of


def add_parser(sub) -> None:
    """Register ``signatures``."""
    parser = sub.add_parser(
        "signatures",
        help="verify the signatures of a signed signing package (and compare with the dossier)",
    )
    parser.add_argument("pdf", help="the signed signing package (PDF)")
    parser.add_argument("content", nargs="?", help="content folder (default: the project's)")
    parser.add_argument(
        "--dossier",
        help="compare signers and dates with this dossier; exit 1 on a difference",
    )
    parser.add_argument(
        "--act",
        metavar="ID",
        help="with --dossier: the agreement or accession request the package is for "
        "(default: from the file name)",
    )
    trust_option(parser)
    parser.add_argument(
        "--verbose", action="store_true", help="also show the validator's log for each field"
    )
    parser.set_defaults(func=cmd_signatures)


def trust_option(parser) -> None:
    parser.add_argument(
        "--trust",
        action="extend",
        nargs="+",
        default=[],
        type=Path,
        metavar="CERT",
        help="trust roots (PEM or DER certificate files); repeatable",
    )


def cmd_signatures(args) -> int:

    if args.act and not args.dossier:
        raise UsageError("--act needs --dossier (the dossier the act belongs to)")
    expected = None
    if args.dossier:
        # Which package the file is, before anything is printed: a wrong name stops here.
        project = project_of(args)
        loaded = load_content(content_of(args, project), [args.dossier], project=project)
        if not loaded.dossiers:
            raise UsageError(f"dossier '{args.dossier}' has errors; run convenantgen check first")
        dossier = loaded.dossiers[0]
        act = act_of_file(dossier, Path(args.pdf), args.act)
        expected = expected_signatories(dossier, acts=[act.id])
    roots = load_trust_roots(args.trust)
    report = read_signatures(Path(args.pdf), trust=roots)
    for line in format_report(report, verbose=args.verbose):
        print(line)
    failed = report.failed
    if expected is not None:
        print(f"dossier '{dossier.id}', act '{act.id}' ({act.kind}): package {act.stem}.pdf")
        differences = compare(report.fields, expected)
        for d in differences:
            label = "mismatch" if d.kind.fails else "note"
            print(f"{label}: {d.field}: {d.message}")
        if not any(d.kind.fails for d in differences):
            print(f"the signatures agree with dossier '{dossier.id}', act '{act.id}'")
        failed = failed or any(d.kind.fails for d in differences)
    sys.stdout.flush()
    return 1 if failed else 0
