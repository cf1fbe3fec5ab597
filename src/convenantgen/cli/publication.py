"""``convenantgen publication verify FILE.xml``: the published text against the signed text."""

from __future__ import annotations

import sys
from pathlib import Path

from ..authoring.publication import (
    MAX_LISTED,
    choose_target,
    compare_texts,
    read_publication,
    record_publication,
    targets,
)
from ..context.dossier import build_context
from ..errors import UsageError
from ..read.load import load_content
from ..read.templates import Templates
from .common import content_of, project_of, reference_date_arg


def cmd_verify(args) -> int:

    published = read_publication(Path(args.file))
    project = project_of(args)
    only = [args.dossier] if args.dossier else None
    loaded = load_content(content_of(args, project), only, project=project)
    if args.dossier and not loaded.dossiers:
        raise UsageError(f"dossier '{args.dossier}' has errors or does not exist; run check")
    wording = Templates.of(project).wording(project)
    found = [
        t
        for d in loaded.dossiers
        for t in targets(d, build_context(d, wording, settings=project.settings))
    ]
    target = choose_target(found, published, args.dossier, args.agreement)
    number = published.identifier or "no Staatscourant number in the file"
    print(f"{published.path}: {number}; compared with {target.dossier.id}/{target.id}")
    result = compare_texts(target.text, published.words)
    for diff in result.differences[:MAX_LISTED]:
        print(f"  {diff.describe()}")
    more = len(result.differences) - MAX_LISTED
    if more > 0:
        print(f"  ... and {more} more difference(s)")
    if not result.same:
        if result.matching < 0.5:
            print(
                f"  only {result.matching:.0%} of the words match: is this the publication of "
                f"{target.dossier.id}/{target.id}?"
            )
        print(
            f"the published text differs from the signed text in {len(result.differences)} "
            f"place(s) ({result.signed_words} signed, {result.published_words} published words)"
            + ("; nothing recorded" if args.record else ""),
            file=sys.stderr,
        )
        return 1
    cosmetic = f" ({result.cosmetic} word(s) differ in case only)" if result.cosmetic else ""
    print(f"the published text is the signed text: {result.signed_words} words{cosmetic}")
    if args.record:
        day = args.date or published.date
        if day is None:
            raise UsageError(f"'{args.file}' gives no publication date; give it with --date")
        if published.year is None or published.number is None:
            raise UsageError(f"'{args.file}' gives no Staatscourant number (stcrt-YYYY-N)")
        written = record_publication(target, day, published.year, published.number)
        if written is None:
            print(f"already recorded: Stcrt. {published.year}, {published.number} of {day}")
        else:
            print(f"recorded Stcrt. {published.year}, {published.number} of {day} in {written}")
    return 0


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "publication", help="check a Staatscourant publication against the signed text"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify",
        help="compare a published Staatscourant file (OP-XML) with the signed text; exit 1 "
        "on a difference of substance",
    )
    verify.add_argument("file", help="the published file, e.g. stcrt-2024-21836.xml")
    verify.add_argument("content", nargs="?", help="content folder (default: the project's)")
    verify.add_argument("--dossier", help="the dossier of the published document")
    verify.add_argument("--agreement", help="the agreement (or accession request) published")
    verify.add_argument(
        "--record",
        action="store_true",
        help="when the texts agree, write number and date into the dossier's lifecycle file",
    )
    verify.add_argument(
        "--date",
        type=reference_date_arg,
        help="publication date (YYYY-MM-DD), when the file does not give it",
    )
    verify.set_defaults(func=cmd_verify)
