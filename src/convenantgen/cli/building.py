"""``convenantgen build`` and ``convenantgen cache`` when there is work: the project read,
then the build (or the shards, or the join). :mod:`.build` registers both commands and loads
this module only when the last build's records cannot tell that nothing changed."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from ..build.uptodate import (
    Request,
    inputs_fingerprint,
    known_hashes,
    manifest_count,
    open_cache,
    remember_entry,
    unchanged,
)
from ..errors import Report, UsageError
from ..progress import Progress
from .build import build_options, nothing_changed
from .common import content_of, print_report, project_of


def cmd_build(args: argparse.Namespace) -> int:

    def show(report: Report) -> None:
        print_report(report, Path.cwd(), subjects=False, quiet=True, out=sys.stderr)

    project = project_of(args)
    out = Path(args.out) if args.out else project.output_dir
    options = build_options(args, out)
    progress = Progress(enabled=None if not args.quiet else False)
    if args.shard and args.join:
        raise UsageError("--shard builds one shard, --join joins them: give one of the two")
    cache = open_cache(project) if options.cache else None
    content = content_of(args, project)
    plain = not args.shard and not args.join
    fingerprint = (
        inputs_fingerprint(content, options, project, known_hashes(out, cache))
        if cache is not None and plain
        else None
    )
    if fingerprint is not None and unchanged(fingerprint, out, cache):
        remember_entry(request(args), project, content, out)
        if not args.quiet:
            print(nothing_changed(out, manifest_count(out)))
        return 0
    # The build itself is loaded only now: its stack (python-docx, pypdf, the site engine)
    # takes longer to import than the whole no-change path above (as cli/__init__.py loads
    # one command's module only).
    common = {"project": project, "progress": progress, "on_report": show, "cache": cache}
    if plain:
        run = importlib.import_module("convenantgen.build.run")
        artifacts = run.run_build(content, options, fingerprint=fingerprint, **common)
        if fingerprint is not None:
            remember_entry(request(args), project, content, out)
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


def request(args: argparse.Namespace) -> Request:
    """What the command line names, for the records of "nothing changed"."""
    return Request(getattr(args, "project", None), args.content, args.out, Path.cwd())
