"""Command line: ``convenantgen check`` and friends.

User errors print as one clear message (exit 1, usage problems exit 2); a traceback only
ever appears for a genuine bug, and then with a request to report it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
from pathlib import Path

from .. import __version__
from ..checks import CHECKS
from ..checks.aanwijzingen import PROFILES
from ..errors import ConvenantgenError, Report, Severity, UsageError
from ..read.load import load_content
from ..read.project import Project, content_dir, find_project


def _print_report(report: Report, root: Path, *, subjects: bool, quiet: bool, out) -> None:
    for diag in report.sorted():
        if quiet and diag.severity is Severity.ACKNOWLEDGED:
            continue
        line = diag.format(root)
        if subjects and diag.subject:
            line += f"  {{code: {diag.code}, subject: {diag.subject}}}"
        print(line, file=out)


def _summary(report: Report, dossiers: int) -> str:
    acknowledged = sum(1 for d in report.diagnostics if d.severity is Severity.ACKNOWLEDGED)
    return (
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s), "
        f"{acknowledged} acknowledged in {dossiers} dossier(s)"
    )


def project_of(args: argparse.Namespace) -> Project:
    """The project a command works on (``--project``, else found from the working folder)."""
    return find_project(getattr(args, "project", None), content=getattr(args, "content", None))


def content_of(args: argparse.Namespace, project: Project) -> Path:
    return content_dir(project, getattr(args, "content", None))


def cmd_check(args: argparse.Namespace) -> int:
    project = project_of(args)
    loaded = load_content(
        content_of(args, project),
        args.dossier or None,
        project=project,
        day=args.reference_date,
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
        _print_report(
            loaded.report, Path.cwd(), subjects=args.subjects, quiet=args.quiet, out=sys.stdout
        )
        sys.stdout.flush()
        print(_summary(loaded.report, len(loaded.dossiers)), file=sys.stderr)
    return 1 if loaded.failed(args.strict) else 0


def cmd_build(args: argparse.Namespace) -> int:
    from ..build.run import BuildOptions, open_cache, run_build
    from ..progress import Progress

    def show(report: Report) -> None:
        _print_report(report, Path.cwd(), subjects=False, quiet=True, out=sys.stderr)

    project = project_of(args)
    out = Path(args.out) if args.out else project.output_dir
    options = BuildOptions(
        out_dir=out,
        pdf=not args.no_pdf,
        site=not args.no_site,
        strict=args.strict,
        reference_date=args.reference_date,
        jobs=args.jobs,
        dossiers=tuple(args.dossier or ()),
        timeout=args.pdf_timeout or _env_seconds("CONVENANTGEN_PDF_TIMEOUT", 60.0),
        engine=args.engine,
        cache=not args.no_cache,
    )
    progress = Progress(enabled=None if not args.quiet else False)
    cache = open_cache(project) if options.cache else None
    artifacts = run_build(
        content_of(args, project),
        options,
        project=project,
        progress=progress,
        on_report=show,
        cache=cache,
    )
    if not progress.enabled and not args.quiet:
        reused = f"; {cache.stats.summary()}" if cache is not None else ""
        print(f"{len(artifacts)} file(s) written to {out} (see manifest.json){reused}")
    return 0


def cmd_cache(args: argparse.Namespace) -> int:
    from ..build.run import open_cache

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


# The reference date becomes SOURCE_DATE_EPOCH and the site's gzip timestamps (32-bit
# seconds since 1970): only dates in that range.
FIRST_REFERENCE_DATE, LAST_REFERENCE_DATE = "1970-01-01", "2106-02-06"


def reference_date_arg(text: str):
    """``--reference-date``: a real date between 1970 and 2106."""
    from ..read.schemas import parse_iso_date

    day, problem = parse_iso_date(text)
    if day is None:
        raise argparse.ArgumentTypeError(problem)
    if not FIRST_REFERENCE_DATE <= day.isoformat() <= LAST_REFERENCE_DATE:
        raise argparse.ArgumentTypeError(
            f"{text} is outside {FIRST_REFERENCE_DATE} – {LAST_REFERENCE_DATE}"
        )
    return day


def _env_seconds(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    try:
        seconds = float(value) if value else default
    except ValueError:
        raise UsageError(f"${name} is '{value}', not a number of seconds") from None
    if not 0 < seconds < 86400:
        raise UsageError(f"${name} must be between 0 and 86400 seconds")
    return seconds


def cmd_checks(args: argparse.Namespace) -> int:
    width = max(len(c) for c in CHECKS)
    for code, info in sorted(CHECKS.items()):
        print(f"{code:<{width}}  {info.severity.label:<7}  {info.summary}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="convenantgen",
        description="Covenants as validated YAML: check them, build documents and the site.",
    )
    parser.add_argument("--version", action="version", version=f"convenantgen {__version__}")
    add_project_option(parser, default=None)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

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

    build = sub.add_parser(
        "build", help="check, then write DOCX, PDF, signing packages and the site"
    )
    build.add_argument("content", nargs="?", help="content folder (default: the project's)")
    build.add_argument(
        "--out", help="output folder, replaced atomically (default: the project's, 'build')"
    )
    build.add_argument("--dossier", action="append", help="build only this dossier (repeatable)")
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
    add_no_cache_option(build)
    build.set_defaults(func=cmd_build)

    cache = sub.add_parser("cache", help="show or empty the build cache (.convenantgen-cache/)")
    cache.add_argument(
        "action", choices=["info", "clear"], help="info: size per kind; clear: remove everything"
    )
    cache.set_defaults(func=cmd_cache)

    checks = sub.add_parser("checks", help="list the check codes and their default severity")
    checks.set_defaults(func=cmd_checks)

    # schema --write/--check (editor support); parser and command live in jsonschema.py
    from ..read import jsonschema as _jsonschema

    _jsonschema.add_parser(sub)

    # new dossier|measure|accession (scaffolding); parser and command live in scaffold.py
    from ..authoring import scaffold as _scaffold

    _scaffold.add_parser(sub)

    # diff REV1 REV2 (changes between git revisions, in words); lives in diff.py
    from ..authoring import diff as _diff

    _diff.add_parser(sub)

    # serve (the public site with live reload); parser and command live in site.py
    from ..site import engine as _site

    _site.add_parser(sub)

    # signatures FILE.pdf (read a signed signing package) and status (what is outstanding)
    from ..authoring import signatures as _signatures

    _signatures.add_parser(sub)
    from ..authoring import status as _status

    _status.add_parser(sub)

    # init DIR (a new covenant project) and templates [copy NAME]; they live in scaffold.py and
    # templating.py
    _scaffold.add_init_parser(sub)
    from ..read import templates as _templating

    _templating.add_parser(sub)
    _add_project_everywhere(sub)
    return parser


def _add_project_everywhere(sub) -> None:
    """``--project`` after any command too (``convenantgen new dossier x --project p``)."""
    for choice in sub.choices.values():
        add_project_option(choice, default=argparse.SUPPRESS)
        for action in choice._actions:
            if isinstance(action, argparse._SubParsersAction):
                _add_project_everywhere(action)


def add_no_cache_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="render and convert everything afresh; neither read nor write the build cache",
    )


def add_project_option(parser: argparse.ArgumentParser, *, default) -> None:
    parser.add_argument(
        "--project",
        metavar="DIR",
        default=default,
        help="the covenant project (default: the nearest folder with convenantgen.yml)",
    )


def _terminate(signum, frame) -> None:
    # `kill` (SIGTERM) ends a build like Ctrl+C: staging folders and LibreOffice are cleaned up.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    # A terminal or pipe that cannot show every character gets escapes, never a traceback
    # (PYTHONIOENCODING=ascii); names stay intact in every file written.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.func(args)
    except ConvenantgenError as exc:
        print(f"convenantgen: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except MemoryError:
        print(
            "convenantgen: error: out of memory (a template that repeats without end?)",
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        # Full or read-only disk, a name too long, a folder we may not read: the system's
        # words and the file, on one line.
        where = f": {exc.filename}" if exc.filename else ""
        print(f"convenantgen: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("convenantgen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head`: stop quietly
        sys.stderr.close()
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
