"""``convenantgen schema --write|--check``: JSON Schemas for editors."""

from __future__ import annotations

import sys
from pathlib import Path

from ..read.jsonschema import default_dir, stale, write_all


def add_parser(sub) -> None:
    """Register ``convenantgen schema`` on the CLI's sub-parsers."""
    parser = sub.add_parser(
        "schema",
        help="generate the JSON Schemas for editors (schema/json/*.schema.json)",
        description="Generate JSON Schema (draft 2020-12) from the Cerberus schemas, so editors "
        "complete keys and show descriptions in the dossier YAML files.",
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="(re)generate the files")
    mode.add_argument(
        "--check", action="store_true", help="exit 1 if a file is missing or out of date"
    )
    parser.add_argument("--out", help="folder of the files (default: schema/json)")
    parser.set_defaults(func=cmd_schema)


def cmd_schema(args) -> int:
    directory = Path(args.out) if args.out else default_dir()
    if args.check:
        outdated = stale(directory)
        for path in outdated:
            print(f"{path} is out of date; run: convenantgen schema --write", file=sys.stderr)
        return 1 if outdated else 0
    changed = write_all(directory)
    for path in changed:
        print(f"wrote {path}")
    if not changed:
        print(f"{directory}: up to date")
    return 0
