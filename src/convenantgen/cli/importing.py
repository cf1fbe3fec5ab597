"""``convenantgen import SOURCE --dossier ID``: the command line of the importer.

The only module of the importer that knows the CLI: it finds the project's content folder,
runs read -> structure -> write -> report, and prints the guesses at their YAML lines, the
findings of ``check`` and the import report.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..authoring.importing.report import build_report
from ..authoring.importing.sources import read_source
from ..authoring.importing.structure import build_draft
from ..authoring.importing.write import render_files, write_dossier
from ..authoring.scaffold import validate_id
from ..errors import Severity
from .common import content_of, project_of

KIND_LABELS = {
    ".docx": "Word",
    ".pdf": "PDF text layer",
    ".txt": "plain text",
    ".xml": "Staatscourant OP-XML",
}


def import_source(
    source: Path, content: Path, dossier_id: str, *, kind: str | None, force: bool, out
) -> int:
    """Import ``source`` as ``content/dossier_id``; print what was found and the report."""
    source = Path(source)
    validate_id(dossier_id, "dossier name")
    paragraphs = read_source(source)
    draft, _regions = build_draft(paragraphs, kind=kind)
    label = KIND_LABELS.get(source.suffix.lower(), source.suffix)
    texts, guesses = render_files(draft, dossier_id, source, label)
    folder = write_dossier(content, dossier_id, texts, force=force)
    cwd = Path.cwd()
    for name in texts:
        print(f"created {_shown(folder / name, cwd)}", file=out)
    found = ", ".join(f"{n} {what}" for what, n in sorted(draft.recognised.items()))
    print(f"recognised ({draft.kind}): {found}", file=out)
    for g in guesses:
        shown = _shown(folder / g.file, cwd)
        print(f"{shown}:{g.line}:{g.col}: warning [import-guess] {g.message}", file=out)
    report = build_report(folder, draft.agreement["id"], paragraphs)
    shown = [d for d in report.diagnostics if d.severity >= Severity.WARNING]
    if shown:
        print("check:", file=out)
        for diag in shown:
            print(f"  {diag.format(cwd)}", file=out)
    errors = sum(1 for d in shown if d.severity is Severity.ERROR)
    print(f"check: {errors} error(s), {len(shown) - errors} warning(s)", file=out)
    for line in report.lines(cwd):
        print(line, file=out)
    print(
        f"next: look at the import-guess lines above, then convenantgen check --dossier "
        f"{dossier_id} and convenantgen build --dossier {dossier_id}",
        file=out,
    )
    return 0


def _shown(path: Path, cwd: Path) -> Path:
    """A path as the user would type it: relative to the working folder when inside it."""
    return path.relative_to(cwd) if path.is_relative_to(cwd) else path


def add_parser(sub) -> None:
    """Register ``convenantgen import``."""
    cmd = sub.add_parser(
        "import",
        help="bring an existing covenant in: a Word, PDF, text or Staatscourant XML file",
    )
    cmd.add_argument("source", help="the covenant: .docx, .pdf (with a text layer), .txt or .xml")
    cmd.add_argument("--dossier", required=True, help="id of the new dossier (its folder name)")
    cmd.add_argument(
        "--kind",
        choices=("convenant", "addendum"),
        help="what the source is (default: an addendum when its title says so)",
    )
    cmd.add_argument("--force", action="store_true", help="replace an existing dossier folder")
    cmd.add_argument("--content", help="content folder (default: the project's)")
    cmd.set_defaults(func=cmd_import)


def cmd_import(args) -> int:
    content = content_of(args, project_of(args))
    return import_source(
        Path(args.source), content, args.dossier, kind=args.kind, force=args.force, out=sys.stdout
    )
