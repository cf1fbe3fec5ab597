"""``convenantgen build`` and ``convenantgen cache``: their options, and "nothing changed".

A build whose inputs are those of the build that made its output folder ends here, decided
from the records that build left (:func:`convenantgen.build.uptodate.quick_unchanged`) without
reading the project's settings or importing the YAML reader, the checks or the build's stack;
that takes about as long as Python's start-up. Anything else is done by :mod:`.building`,
loaded only then (as ``cli/__init__.py`` loads one command's module only).
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from ..build.options import BuildOptions
from ..build.uptodate import Request, quick_unchanged
from .options import add_no_cache_option, env_seconds, reference_date_arg, reference_day

_WORK = "convenantgen.cli.building"


def cmd_build(args: argparse.Namespace) -> int:
    if not args.no_cache and not args.shard and not args.join:

        def options_for(out: Path) -> BuildOptions:
            return build_options(args, out)

        request = Request(getattr(args, "project", None), args.content, args.out, Path.cwd())
        quick = quick_unchanged(request, options_for)
        if quick is not None:
            out, count = quick
            if not args.quiet:
                print(nothing_changed(Path(args.out) if args.out else out, count))
            return 0
    return importlib.import_module(_WORK).cmd_build(args)


def nothing_changed(out: Path, count: int) -> str:
    return f"nothing changed: the {count} file(s) in {out} left as they are"


def cmd_cache(args: argparse.Namespace) -> int:
    return importlib.import_module(_WORK).cmd_cache(args)


def build_options(args: argparse.Namespace, out: Path) -> BuildOptions:
    """The build's options from the command line (the one place they are made)."""
    return BuildOptions(
        out_dir=out,
        pdf=not args.no_pdf,
        site=not args.no_site,
        strict=args.strict,
        reference_date=reference_day(args),
        jobs=args.jobs,
        dossiers=tuple(args.dossier or ()),
        timeout=args.pdf_timeout or env_seconds("CONVENANTGEN_PDF_TIMEOUT", 60.0),
        engine=args.engine,
        cache=not args.no_cache,
    )


def add_parser(sub) -> None:
    build = sub.add_parser(
        "build", help="check, then write DOCX, PDF, signing packages and the site"
    )
    build.add_argument("content", nargs="?", help="content folder (default: the project's)")
    build.add_argument(
        "--out", help="output folder, replaced atomically (default: the project's, 'build')"
    )
    build.add_argument(
        "--dossier",
        action="append",
        help="build only this dossier (repeatable); the others' output stays, the site shows all",
    )
    build.add_argument("--no-pdf", action="store_true", help="skip PDF (no LibreOffice needed)")
    build.add_argument("--no-site", action="store_true", help="skip the public site")
    build.add_argument(
        "--engine",
        choices=["mkdocs", "zensical"],
        default="mkdocs",
        help="build the site with Material for MkDocs (default) or Zensical, its successor",
    )
    build.add_argument("--strict", action="store_true", help="warnings also stop the build")
    build.add_argument("--jobs", type=int, help="parallel LibreOffice processes (default: cores)")
    build.add_argument(
        "--pdf-timeout",
        type=float,
        metavar="SECONDS",
        help="how long LibreOffice may take for one document before it counts as hung "
        "(default: 60, or $CONVENANTGEN_PDF_TIMEOUT)",
    )
    build.add_argument(
        "--reference-date",
        type=reference_date_arg,
        help="date (YYYY-MM-DD) on which the site states each dossier's status (default: today)",
    )
    build.add_argument("--quiet", action="store_true", help="no progress display or summary")
    build.add_argument(
        "--shard",
        metavar="K/N",
        help="build only the K-th of N groups of dossiers (no site), for --join to combine",
    )
    build.add_argument(
        "--join",
        nargs="+",
        metavar="DIR",
        help="join the output folders of shards 1..N into one build and make the site once",
    )
    add_no_cache_option(build)
    build.set_defaults(func=cmd_build)

    cache = sub.add_parser("cache", help="show or empty the build cache (.convenantgen-cache/)")
    cache.add_argument(
        "action", choices=["info", "clear"], help="info: size per kind; clear: remove everything"
    )
    cache.set_defaults(func=cmd_cache)
