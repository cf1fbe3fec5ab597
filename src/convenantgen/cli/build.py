"""``convenantgen build`` and ``convenantgen cache``."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from ..build.options import BuildOptions
from ..build.uptodate import inputs_fingerprint, manifest_count, open_cache, unchanged
from ..errors import Report, UsageError
from ..progress import Progress
from .common import (
    add_no_cache_option,
    content_of,
    env_seconds,
    print_report,
    project_of,
    reference_date_arg,
    reference_day,
)


def cmd_build(args: argparse.Namespace) -> int:

    def show(report: Report) -> None:
        print_report(report, Path.cwd(), subjects=False, quiet=True, out=sys.stderr)

    project = project_of(args)
    out = Path(args.out) if args.out else project.output_dir
    options = BuildOptions(
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
    progress = Progress(enabled=None if not args.quiet else False)
    if args.shard and args.join:
        raise UsageError("--shard builds one shard, --join joins them: give one of the two")
    cache = open_cache(project) if options.cache else None
    content = content_of(args, project)
    plain = not args.shard and not args.join
    fingerprint = (
        inputs_fingerprint(content, options, project) if cache is not None and plain else None
    )
    if fingerprint is not None and unchanged(fingerprint, out, cache):
        if not args.quiet:
            print(f"nothing changed: the {manifest_count(out)} file(s) in {out} left as they are")
        return 0
    # The build itself is loaded only now: its stack (python-docx, pypdf, the site engine)
    # takes longer to import than the whole no-change path above (as cli/__init__.py loads
    # one command's module only).
    common = {"project": project, "progress": progress, "on_report": show, "cache": cache}
    if plain:
        run = importlib.import_module("convenantgen.build.run")
        artifacts = run.run_build(content, options, fingerprint=fingerprint, **common)
    else:
        shards = importlib.import_module("convenantgen.build.shard")
        if args.shard:
            artifacts, _ = shards.run_shard(
                content, options, shards.parse_shard(args.shard), **common
            )
        else:
            folders = [Path(f) for f in args.join]
            artifacts = shards.run_join(content, options, folders, **common)
    if not progress.enabled and not args.quiet:
        reused = f"; {cache.stats.summary()}" if cache is not None else ""
        print(f"{len(artifacts)} file(s) written to {out} (see manifest.json){reused}")
    return 0


def cmd_cache(args: argparse.Namespace) -> int:

    project = project_of(args)
    cache = open_cache(project)
    if cache is None:
        raise UsageError("the build cache belongs to a project; run this inside one")
    if args.action == "clear":
        count, size = cache.clear()
        entries = f"{count} entr{'y' if count == 1 else 'ies'}"
        print(f"removed {entries} ({size / 1e6:.1f} MB) from {cache.root}")
        return 0
    info = cache.info()
    total = sum(size for _, size in info.values())
    print(f"{cache.root}: {total / 1e6:.1f} MB of at most {cache.limit / 1e6:.0f} MB")
    for kind, (count, size) in info.items():
        print(f"  {kind:8} {count:6} entr{'y' if count == 1 else 'ies'}  {size / 1e6:9.1f} MB")
    return 0


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
