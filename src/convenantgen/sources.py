"""Stage 1, load: read YAML files safely with ruamel.yaml round-trip, keeping line numbers.

Everything that can go wrong while reading a file becomes a :class:`Diagnostic` with the
file, line and column of the problem: undecodable bytes, tabs, duplicate keys, explicit tags
(``!!python/object``), alias bombs and oversized files. Dates stay strings here; the schema
validates them so that ``2025-02-31`` is reported, not raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import Diagnostic, Severity, Where

MAX_FILE_BYTES = 2 * 1024 * 1024  # a dossier file is hand-written text; 2 MiB is far beyond that
MAX_EXPANDED_NODES = 200_000  # aliases may not blow a document up beyond this many values

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
}


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that keeps timestamps as text (validated later, never raised)."""


def _timestamp_as_text(self: RoundTripConstructor, node: Any) -> str:
    return str(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def _new_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    return yaml


@dataclass(frozen=True)
class Source:
    """One loaded YAML file: its path and the round-trip data (maps carry ``.lc`` positions)."""

    path: Path
    data: Any


def _diag(path: Path, line: int, col: int, code: str, message: str) -> Diagnostic:
    where = Where(path, (), line, col)
    return Diagnostic(Severity.ERROR, code, message, where, line=line, col=col)


def _tag_of(node: Any) -> str:
    tag = node.tag
    return str(getattr(tag, "value", tag))


def _inspect_nodes(root: Any, path: Path) -> list[Diagnostic]:
    """Reject explicit tags and alias bombs before anything is constructed."""
    problems: list[Diagnostic] = []
    sizes: dict[int, int] = {}
    # Iterative post-order walk: each distinct node is visited once, aliases are counted by
    # their expanded size, so a billion-laughs document is measured without being expanded.
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[Any] = []
        if isinstance(node.value, list):
            for item in node.value:
                children.extend(item if isinstance(item, tuple) else (item,))
        if not done:
            tag = _tag_of(node)
            if tag not in _ALLOWED_TAGS and not problems:
                mark = node.start_mark
                problems.append(
                    _diag(
                        path,
                        mark.line + 1,
                        mark.column + 1,
                        "yaml-tag",
                        f"explicit YAML tag '{tag.replace('tag:yaml.org,2002:', '!!')}' is not "
                        "allowed; write plain text, numbers, lists and mappings only",
                    )
                )
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        sizes[id(node)] = 1 + sum(sizes.get(id(c), 1) for c in children)
        if sizes[id(node)] > MAX_EXPANDED_NODES:
            mark = node.start_mark
            problems.append(
                _diag(
                    path,
                    mark.line + 1,
                    mark.column + 1,
                    "yaml-aliases",
                    f"aliases expand this document to more than {MAX_EXPANDED_NODES:,} values "
                    "(an alias bomb?); write the values out or use fewer aliases",
                )
            )
            return problems
    return problems


def load_file(path: Path) -> tuple[Source | None, list[Diagnostic]]:
    """Read one YAML file. Returns the source, or None with the diagnostics explaining why."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [_diag(path, 1, 1, "file-unreadable", f"cannot read file: {exc.strerror}")]
    if size > MAX_FILE_BYTES:
        return None, [
            _diag(
                path,
                1,
                1,
                "file-too-large",
                f"file is {size / 1024 / 1024:.1f} MiB; dossier files may be at most "
                f"{MAX_FILE_BYTES // 1024 // 1024} MiB",
            )
        ]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [
            _diag(
                path,
                line,
                col,
                "file-encoding",
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return None, [_diag(path, 1, 1, "file-empty", "file is empty; expected a YAML mapping")]
    yaml = _new_yaml()
    try:
        node = yaml.compose(text)
        if node is None:
            return None, [_diag(path, 1, 1, "file-empty", "file is empty; expected a YAML mapping")]
        problems = _inspect_nodes(node, path)
        if problems:
            return None, problems
        data = yaml.constructor.construct_document(node)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [_diag(path, line, col, "yaml-syntax", _yaml_message(exc))]
    except (YAMLError, ValueError, RecursionError) as exc:
        return None, [_diag(path, 1, 1, "yaml-syntax", f"cannot parse YAML: {exc}")]
    if not isinstance(data, CommentedMap):
        kind = "a list" if isinstance(data, list) else "a single value"
        return None, [
            _diag(path, 1, 1, "yaml-structure", f"file holds {kind}; expected a mapping of keys")
        ]
    return Source(path, data), []


def _yaml_message(exc: MarkedYAMLError) -> str:
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    if "found character '\\t'" in problem or "\t" in problem:
        return "tab character; YAML indentation must use spaces"
    if "found duplicate key" in problem:
        key = problem.split('"')[1] if '"' in problem else ""
        return f"duplicate key '{key}'; each key may appear once in a mapping"
    context = (exc.context or "").strip()
    if context and context != problem:
        return f"{problem} ({context})"
    return problem


class Locator:
    """Resolves a :class:`Where` (file + key path) to a 1-based line and column."""

    def __init__(self, sources: dict[Path, Source] | None = None) -> None:
        self._sources = dict(sources or {})

    def add(self, source: Source) -> None:
        self._sources[source.path] = source

    def locate(self, where: Where) -> tuple[int, int]:
        if where.line is not None:
            return where.line, where.col or 1
        source = self._sources.get(where.file)
        if source is None:
            return 1, 1
        return position(source.data, where.path)

    def resolve(self, diagnostic: Diagnostic) -> Diagnostic:
        line, col = self.locate(diagnostic.where)
        return Diagnostic(
            diagnostic.severity,
            diagnostic.code,
            diagnostic.message,
            diagnostic.where,
            diagnostic.subject,
            diagnostic.reason,
            line,
            col,
        )


def position(data: Any, path: tuple) -> tuple[int, int]:
    """Line and column (1-based) of the deepest existing element along ``path``."""
    line, col = 0, 0
    if isinstance(data, (CommentedMap, CommentedSeq)):
        line, col = data.lc.line, data.lc.col
    node = data
    for key in path:
        if isinstance(node, CommentedMap) and key in node:
            child = node[key]
            if isinstance(child, (CommentedMap, CommentedSeq)):
                line, col = node.lc.key(key)
            else:
                line, col = node.lc.value(key)
            node = child
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            line, col = node.lc.item(key)
            node = node[key]
        else:
            break
    return line + 1, col + 1
