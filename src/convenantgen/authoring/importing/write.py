"""Write an imported dossier: round-trip YAML (ruamel) with a comment per recognised item.

Every file starts with the ``# yaml-language-server`` line, like the files of ``convenantgen
new``, and is written through the same scaffolding
(:func:`convenantgen.authoring.scaffold.write_folder`): the whole dossier is built in a hidden
folder inside the content folder and renamed into place, so it appears complete or not at all.
An existing dossier folder is refused unless ``force``; then the old folder is swapped out only
after the new one is complete."""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString

from ...errors import ConvenantgenError
from ..scaffold import validate_id, write_folder
from .structure import Draft

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/json/{schema}.schema.json"
LONG_TEXT = 80  # longer texts are written as folded blocks
FOLD_WIDTH = 80  # characters per line of a folded block (the indent comes on top)


@dataclass(frozen=True)
class Guess:
    """An uncertain guess, at its place in the written YAML (1-based line and column)."""

    file: str
    line: int
    col: int
    message: str


def _yaml() -> YAML:
    yaml = YAML()
    yaml.width = 4096  # folded blocks are broken by _folded; short values stay on one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    return yaml


def _commented(node, draft: Draft, source_name: str):
    """Plain data as ruamel nodes; items with a known source get a comment naming it."""
    if isinstance(node, dict):
        out = CommentedMap()
        for key, value in node.items():
            out[key] = _commented(value, draft, source_name)
        where = draft.origin.get(id(node))
        if where and out:
            first = next(iter(out))
            if not isinstance(out[first], dict | list | CommentedMap | CommentedSeq):
                out.yaml_add_eol_comment(where, first)
        return out
    if isinstance(node, list):
        seq = CommentedSeq()
        for value in node:
            seq.append(_commented(value, draft, source_name))
        return seq
    if isinstance(node, str) and (len(node) > LONG_TEXT or "\n" in node):
        # Long texts as folded blocks ('>-'), the way the bundled dossiers are written.
        return _folded(node)
    return node


def _folded(text: str) -> FoldedScalarString:
    """A folded block that breaks its lines at spaces, at most FOLD_WIDTH characters each."""
    out = FoldedScalarString(text)
    folds: list[int] = []
    line_start = 0
    for match in re.finditer(r"\S+", text):
        if "\n" in text[line_start : match.start()]:
            line_start = match.start()  # a new paragraph starts a new line
            continue
        if match.end() - line_start > FOLD_WIDTH and match.start() - 1 > line_start:
            folds.append(match.start() - 1)  # the space before the word
            line_start = match.start()
    out.fold_pos = folds
    return out


def _dump(header: list[str], data, draft: Draft, source_name: str) -> str:
    stream = io.StringIO()
    stream.write("\n".join(header) + "\n")
    _yaml().dump(_commented(data, draft, source_name), stream)
    # ruamel ends folded lines of long scalars with a space; YAML's line folding drops it, so
    # the value is the same without (checked in _locate).
    return "\n".join(line.rstrip() for line in stream.getvalue().split("\n"))


def _locate(text: str, data, draft: Draft, file_name: str) -> list[Guess]:
    """The YAML line of each guess in ``data``: walk the reloaded file alongside the data."""
    wanted = {id(obj): (key, message) for obj, key, message in draft.guesses}
    found: list[Guess] = []
    loaded = YAML().load(text)
    if YAML(typ="safe").load(text) != data:  # pragma: no cover - a bug, not bad input
        raise ConvenantgenError(f"internal error: {file_name} does not read back as written")

    def walk(original, node) -> None:
        if isinstance(original, dict) and isinstance(node, CommentedMap):
            hit = wanted.get(id(original))
            if hit:
                key, message = hit
                if key in node:
                    line, col = node.lc.key(key)
                else:
                    line, col = node.lc.line, node.lc.col
                found.append(Guess(file_name, line + 1, col + 1, message))
            for key, value in original.items():
                if key in node:
                    walk(value, node[key])
        elif isinstance(original, list) and isinstance(node, CommentedSeq):
            for a, b in zip(original, node, strict=False):
                walk(a, b)

    walk(data, loaded)
    return found


def dossier_data(draft: Draft, dossier_id: str, source: Path, kind_label: str) -> dict:
    base_title = draft.base["title"] if draft.base else draft.agreement.get("title", draft.title)
    counts = ", ".join(f"{n} {what}" for what, n in sorted(draft.recognised.items()))
    data = {
        "kind": "dossier",
        "id": dossier_id,
        "title": base_title,
        "provenance": {
            "sources": [{"title": draft.title, "reference": source.name}],
            "note": (
                f"Imported by 'convenantgen import' from {source.name} ({kind_label}). "
                f"Recognised: {counts}. Each item's YAML comment names the paragraph of the "
                "source it comes from; read the items listed as illustrative before use."
            ),
        },
    }
    guesses = [message for _obj, _key, message in draft.guesses]
    if guesses:
        data["provenance"]["illustrative"] = guesses
    return data


def files_of(draft: Draft, dossier_id: str, source: Path, kind_label: str):
    """(file name, schema, header comment, data) of every file of the dossier."""
    name = source.name
    files = [
        (
            "dossier.yaml",
            "dossier",
            "The dossier, imported from " + name + ".",
            dossier_data(draft, dossier_id, source, kind_label),
        ),
        (
            "partijen.yaml",
            "parties",
            "The party registry, in the order of the parties block of " + name + ".",
            draft.parties,
        ),
    ]
    if draft.base is not None:
        files.append(
            (
                "convenant.yaml",
                "convenant",
                "The covenant the addendum amends: only what the addendum relies on.",
                draft.base,
            )
        )
        files.append(
            (
                "addendum.yaml",
                "addendum",
                "The addendum, imported from " + name + ". Numbers are generated; "
                "references are by id ({art:ID}).",
                draft.agreement,
            )
        )
    else:
        files.append(
            (
                "convenant.yaml",
                "convenant",
                "The covenant with its full text, imported from " + name + ". Numbers "
                "are generated; references are by id ({art:ID}).",
                draft.agreement,
            )
        )
    if draft.measures:
        files.append(
            (
                "maatregelen.yaml",
                "measures",
                "The measures and their targets, imported from " + name + ".",
                draft.measures,
            )
        )
    return files


def render_files(draft: Draft, dossier_id: str, source: Path, kind_label: str):
    """{file name: text} and the guesses at their YAML lines."""
    texts: dict[str, str] = {}
    guesses: list[Guess] = []
    for file_name, schema, comment, data in files_of(draft, dossier_id, source, kind_label):
        header = [SCHEMA_LINE.format(schema=schema)]
        comment += f" The comment after an item names its place in {source.name}."
        header += [f"# {line}" for line in textwrap.wrap(comment, 94, break_on_hyphens=False)]
        text = _dump(header, data, draft, source.name)
        texts[file_name] = text
        guesses += _locate(text, data, draft, file_name)
    return texts, guesses


def write_dossier(content: Path, dossier_id: str, texts: dict[str, str], *, force: bool) -> Path:
    """Write the files as ``content/dossier_id`` atomically; refuse an existing folder unless
    ``force``. Nothing is left behind when anything fails."""
    validate_id(dossier_id, "dossier name")
    if not content.is_dir():
        raise ConvenantgenError(f"content folder '{content}' does not exist")
    folder = content / dossier_id
    if (folder.exists() or folder.is_symlink()) and not force:
        raise ConvenantgenError(
            f"'{folder}' already exists; not overwriting it (use --force to replace the dossier)"
        )
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise ConvenantgenError(f"'{folder}' is not a dossier folder; not replacing it")
    return write_folder(content, dossier_id, texts, replace=force)
