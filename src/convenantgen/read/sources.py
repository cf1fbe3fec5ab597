"""Stage 1, load: read YAML files safely with ruamel.yaml round-trip, keeping line numbers.

Everything that can go wrong while reading a file becomes a :class:`Diagnostic` with the
file, line and column of the problem: undecodable bytes, tabs, duplicate keys, explicit tags
(``!!python/object``), alias bombs and oversized files. Dates stay strings here; the schema
validates them so that ``2025-02-31`` is reported, not raised.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from ..errors import Diagnostic, Severity, Where, one_line

MAX_FILE_BYTES = 2 * 1024 * 1024  # a dossier file is hand-written text; 2 MiB is far beyond that
MAX_EXPANDED_NODES = 200_000  # aliases may not blow a document up beyond this many values
MAX_EXPANDED_CHARS = 10_000_000  # ... nor beyond this much text (one long string, many aliases)
MAX_DEPTH = 64  # nesting of lists and mappings; the composer recurses, so deeper is refused

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
    yaml.Composer = _Composer
    yaml.allow_duplicate_keys = False
    return yaml


@dataclass(frozen=True)
class Source:
    """One loaded YAML file: its path and the round-trip data (maps carry ``.lc`` positions)."""

    path: Path
    data: Any
    sha256: str = ""  # of the file's bytes: what a cached validation result is keyed by


def _diag(path: Path, line: int, col: int, code: str, message: str) -> Diagnostic:
    where = Where(path, (), line, col)
    return Diagnostic(Severity.ERROR, code, one_line(message), where, line=line, col=col)


def _diag_at(path: Path, mark: Any, code: str, message: str) -> Diagnostic:
    """A diagnostic at a ruamel mark (0-based line and column)."""
    return _diag(path, mark.line + 1, mark.column + 1, code, message)


def _tag_of(node: Any) -> str:
    tag = node.tag
    return str(getattr(tag, "value", tag))


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _inspect_nodes(root: Any, path: Path) -> list[Diagnostic]:
    """Reject explicit tags and alias bombs before anything is constructed."""
    problems: list[Diagnostic] = []
    sizes: dict[int, int] = {}
    chars: dict[int, int] = {}
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
            if isinstance(node.value, str) and _SURROGATE_RE.search(node.value) and not problems:
                # "\ud800" in a double-quoted scalar: half a character, which no file, PDF
                # or page can hold.
                problems.append(
                    _diag_at(
                        path,
                        node.start_mark,
                        "yaml-character",
                        "text contains a lone surrogate escape (such as \\ud800), which is not a "
                        "character; write the character itself",
                    )
                )
            tag = _tag_of(node)
            if tag not in _ALLOWED_TAGS and not problems:
                mark = node.start_mark
                problems.append(
                    _diag_at(
                        path,
                        mark,
                        "yaml-tag",
                        f"explicit YAML tag '{tag.replace('tag:yaml.org,2002:', '!!')}' is not "
                        "allowed; write plain text, numbers, lists and mappings only",
                    )
                )
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        sizes[id(node)] = 1 + sum(sizes.get(id(c), 1) for c in children)
        own = len(node.value) if isinstance(node.value, str) else 0
        chars[id(node)] = own + sum(chars.get(id(c), 0) for c in children)
        if chars[id(node)] > MAX_EXPANDED_CHARS:
            mark = node.start_mark
            problems.append(
                _diag_at(
                    path,
                    mark,
                    "yaml-aliases",
                    f"aliases expand this document to more than {MAX_EXPANDED_CHARS:,} "
                    "characters of text (an alias bomb?); write the text out or use fewer aliases",
                )
            )
            return problems
        if sizes[id(node)] > MAX_EXPANDED_NODES:
            mark = node.start_mark
            problems.append(
                _diag_at(
                    path,
                    mark,
                    "yaml-aliases",
                    f"aliases expand this document to more than {MAX_EXPANDED_NODES:,} values "
                    "(an alias bomb?); write the values out or use fewer aliases",
                )
            )
            return problems
    return problems


class _TooDeep(Exception):
    """Raised by the composer when nesting passes MAX_DEPTH; carries the node's mark."""

    def __init__(self, mark: Any) -> None:
        super().__init__(mark)
        self.mark = mark


class _Composer(Composer):
    """The round-trip composer with a nesting limit.

    Composing recurses once per level, so a deeply nested document would end in a
    RecursionError (with a message that depends on the call stack); counting levels here
    stops it at MAX_DEPTH without parsing the document twice.
    """

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(self.parser.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _outside_folder(path: Path) -> bool:
    """Whether ``path`` is a symbolic link to a file outside its own folder."""
    if not path.is_symlink():
        return False
    try:
        path.resolve(strict=True).relative_to(path.parent.resolve())
    except (OSError, RuntimeError, ValueError):
        return True
    return False


def load_file(path: Path) -> tuple[Source | None, list[Diagnostic]]:
    """Read one YAML file. Returns the source, or None with the diagnostics explaining why."""
    if _outside_folder(path):
        return None, [
            _diag(
                path,
                1,
                1,
                "file-outside",
                "file is a symbolic link to a place outside the dossier folder; "
                "copy the file into the folder instead",
            )
        ]
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
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [_diag(path, 1, 1, "file-unreadable", f"cannot read file: {exc.strerror}")]
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
    except _TooDeep as exc:
        return None, [
            _diag_at(
                path,
                exc.mark,
                "yaml-structure",
                f"lists and mappings are nested more than {MAX_DEPTH} levels deep here; "
                "flatten the structure",
            )
        ]
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if _unclosed_quote(exc):
            mark = exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [_diag(path, line, col, "yaml-syntax", _yaml_message(exc))]
    except ReaderError as exc:
        return None, [_reader_problem(exc, text, path)]
    except (YAMLError, ValueError, RecursionError) as exc:
        return None, [_diag(path, 1, 1, "yaml-syntax", f"cannot parse YAML: {exc}")]
    if not isinstance(data, CommentedMap):
        kind = "a list" if isinstance(data, list) else "a single value"
        return None, [
            _diag(path, 1, 1, "yaml-structure", f"file holds {kind}; expected a mapping of keys")
        ]
    return Source(path, data, hashlib.sha256(raw).hexdigest()), []


def _reader_problem(exc: ReaderError, text: str, path: Path) -> Diagnostic:
    """A character YAML does not allow (NUL, other control characters), with its place."""
    position = exc.position if isinstance(exc.position, int) else 0
    before = text[:position]
    line = before.count("\n") + 1
    col = position - (before.rfind("\n") + 1) + 1
    char = exc.character if isinstance(exc.character, int) else 0
    return _diag(
        path,
        line,
        col,
        "yaml-syntax",
        f"character U+{char:04X} is not allowed in a YAML file; remove it",
    )


def _unclosed_quote(exc: MarkedYAMLError) -> bool:
    return bool(
        exc.context_mark
        and "quoted scalar" in (exc.context or "")
        and "end of stream" in (exc.problem or "")
    )


def _yaml_message(exc: MarkedYAMLError) -> str:
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    if "found character '\\t'" in problem or "\t" in problem:
        return "tab character; YAML indentation must use spaces"
    if "found duplicate key" in problem:
        key = problem.split('"')[1] if '"' in problem else ""
        return f"duplicate key '{key}'; each key may appear once in a mapping"
    if _unclosed_quote(exc):
        return "the quoted text that starts here is never closed; add the closing quote"
    if "found another document" in problem:
        return "a second YAML document starts here; a dossier file holds one document"
    if problem.startswith("expected <block end>"):
        return (
            "this line is not indented like the lines above it; keys of one mapping start "
            "in the same column and list items with the same '-' column"
        )
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
            # A missing value ("title:") has no position of its own: point at its key.
            if child is None or isinstance(child, (CommentedMap, CommentedSeq)):
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
