"""``convenantgen new dossier|measure|accession``: scaffolding that passes check."""

from __future__ import annotations

import datetime as dt
import sys

from ..authoring.scaffold import (
    date_option,
    new_accession,
    new_dossier,
    new_measure,
    next_school_year,
)
from ..authoring.sector_example import next_calendar_year
from ..text.wording import PARTY_KINDS
from .common import content_of, project_of


def add_parser(sub) -> None:
    """Register ``convenantgen new dossier|measure|accession``."""
    new = sub.add_parser("new", help="scaffold a dossier, a measure or an accession request")
    kinds = new.add_subparsers(dest="what", required=True, metavar="WHAT")

    dossier = kinds.add_parser("dossier", help="a new dossier folder that passes check")
    dossier.add_argument("name", help="dossier id and folder name, e.g. 'almere'")
    dossier.add_argument("--title", help="title of the covenant")
    dossier.add_argument("--start", help="first day of the term (default: next 1 August)")
    dossier.add_argument("--content", help="content folder (default: the project's)")
    dossier.add_argument(
        "--kind",
        choices=("onderwijs", "sector"),
        default="onderwijs",
        help="starting point: onderwijs (school boards, measures with targets; the default) or "
        "sector (a minister under mandate, sector parties, finance and obligations; a "
        "calendar year from the next 1 January)",
    )
    dossier.set_defaults(func=cmd_new)

    measure = kinds.add_parser("measure", help="a measure in its own file")
    measure.add_argument("id", help="measure id, e.g. 'zij-instroom'")
    measure.add_argument("--dossier", required=True, help="dossier name")
    measure.add_argument("--title", help="title of the measure")
    measure.add_argument("--content", help="content folder (default: the project's)")
    measure.set_defaults(func=cmd_new)

    accession = kinds.add_parser("accession", help="an accession request (and the party)")
    accession.add_argument("--dossier", required=True, help="dossier name")
    accession.add_argument("--party", required=True, help="id of the joining party")
    accession.add_argument("--name", help="full name, when the party is not yet registered")
    accession.add_argument("--kind", choices=PARTY_KINDS, help="kind of a new party")
    accession.add_argument("--group", help="party group of a new party")
    accession.add_argument("--document", help="id of the document whose accession clause is used")
    accession.add_argument("--requested", help="date of the request (default: today)")
    accession.add_argument(
        "--effective", help="date the party is bound (default: the next 1 August)"
    )
    accession.add_argument("--content", help="content folder (default: the project's)")
    accession.set_defaults(func=cmd_new)


def cmd_new(args) -> int:

    content = content_of(args, project_of(args))
    out = sys.stdout
    if args.what == "dossier":
        first = next_calendar_year if args.kind == "sector" else next_school_year
        start = date_option(args.start, "start") or first(dt.date.today())
        new_dossier(content, args.name, args.title, start, out, kind=args.kind)
    elif args.what == "measure":
        new_measure(content, args.dossier, args.id, args.title, out)
    else:
        new_accession(
            content,
            args.dossier,
            args.party,
            party_name=args.name,
            kind=args.kind,
            group=args.group,
            document=args.document,
            requested=date_option(args.requested, "requested") or dt.date.today(),
            effective=date_option(args.effective, "effective"),
            out=out,
        )
    return 0
