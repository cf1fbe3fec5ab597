"""``convenantgen serve``: the public site with live reload, rebuilt on every change."""

from __future__ import annotations

import argparse

from ..build.run import open_cache
from ..build.serve import serve
from ..errors import ConvenantgenError
from .common import add_no_cache_option, content_of, project_of, reference_date_arg, reference_day


def _addr_arg(text: str) -> str:

    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"'{text}' is not HOST:PORT, e.g. 127.0.0.1:8000")
    return text


def cmd_serve(args) -> int:

    project = project_of(args)
    content = content_of(args, project)
    if not content.is_dir():
        raise ConvenantgenError(f"content folder '{content}' does not exist")
    try:
        serve(
            content,
            dev_addr=args.dev_addr,
            reference_date=reference_day(args),
            project=project,
            cache=None if args.no_cache else open_cache(project),
        )
    except OSError as exc:  # the port is taken, or the address is not ours
        raise ConvenantgenError(f"cannot serve on {args.dev_addr}: {exc.strerror or exc}") from None
    return 0


def add_parser(sub) -> None:

    serve_cmd = sub.add_parser(
        "serve",
        help="serve the public site locally; rebuilds and reloads when the YAML changes",
    )
    serve_cmd.add_argument("content", nargs="?", help="content folder (default: the project's)")
    serve_cmd.add_argument(
        "--dev-addr",
        type=_addr_arg,
        default="127.0.0.1:8000",
        help="address to serve on (default: 127.0.0.1:8000)",
    )
    serve_cmd.add_argument(
        "--reference-date",
        type=reference_date_arg,
        help="date (YYYY-MM-DD) on which the site states each dossier's status (default: today)",
    )
    add_no_cache_option(serve_cmd)
    serve_cmd.set_defaults(func=cmd_serve)
