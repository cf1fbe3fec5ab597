"""``convenantgen init DIR``: a new covenant project."""

from __future__ import annotations

import sys
from pathlib import Path

from ..authoring.scaffold import init_project


def add_parser(sub) -> None:
    init = sub.add_parser(
        "init",
        help="create a covenant project: settings, an example dossier, templates and CI",
    )
    init.add_argument("dir", help="the new project folder (must not exist, or be empty)")
    init.add_argument("--title", help="title of the example covenant")
    init.set_defaults(func=cmd_init)


def cmd_init(args) -> int:
    init_project(Path(args.dir), sys.stdout, title=args.title)
    return 0
