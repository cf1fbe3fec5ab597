"""Diagnostics and the small exception hierarchy that stops a run.

A :class:`Diagnostic` is a finding about the user's data; checks return them, they never raise.
A :class:`ConvenantgenError` stops the run (bad command line, LibreOffice missing, ...) and
carries a message meant for the user; the CLI prints it without a traceback.
"""

from __future__ import annotations

import contextlib
import difflib
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path


def did_you_mean(value: object, options: Iterable[str]) -> str:
    """`` Did you mean 'x'?`` for the closest of ``options``, or ``""``: the one hint used by
    the schema, the checks, the templates and the command line."""
    close = difflib.get_close_matches(str(value), sorted(set(options)), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def close_matches(value: object, options: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` options that look like ``value``, closest first."""
    return difflib.get_close_matches(str(value), sorted(set(options)), n=n, cutoff=0.5)


class Severity(enum.IntEnum):
    """How serious a finding is; ``OFF`` exists so a dossier can silence a check."""

    OFF = 0
    ACKNOWLEDGED = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


@dataclass(frozen=True, order=True)
class Where:
    """A place in a source file: the file and the key path inside its YAML document.

    Line and column are resolved late (see ``sources.Locator``) so that checks stay pure and
    only deal with ids and paths.
    """

    file: Path
    path: tuple = ()
    line: int | None = None  # 1-based, when known without a document (parse errors)
    col: int | None = None

    def child(self, *keys: object) -> Where:
        return Where(self.file, self.path + tuple(keys), None, None)


@dataclass(frozen=True)
class Diagnostic:
    """One finding. ``subject`` is a stable key (code + subject) used for acknowledgements."""

    severity: Severity
    code: str
    message: str
    where: Where
    subject: str = ""
    reason: str = ""  # the written reason, once acknowledged
    line: int = 0
    col: int = 0

    def format(self, root: Path | None = None) -> str:
        path = self.where.file
        if root is not None:
            with contextlib.suppress(ValueError):
                path = path.resolve().relative_to(root.resolve())
        # A place without a line (a Word template is XML inside a zip) is named by file only.
        at = f"{path}:{self.line}:{self.col}" if self.line else f"{path}"
        text = f"{at}: {self.severity.label} [{self.code}] {self.message}"
        if self.severity is Severity.ACKNOWLEDGED and self.reason:
            text += f" (acknowledged: {self.reason})"
        return text

    def with_severity(self, severity: Severity, reason: str = "") -> Diagnostic:
        return replace(self, severity=severity, reason=reason)


@dataclass
class Report:
    """All diagnostics of a run, sorted for stable output."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def extend(self, items) -> None:
        self.diagnostics.extend(items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(
            (d for d in self.diagnostics if d.severity is not Severity.OFF),
            key=lambda d: (str(d.where.file), d.line, d.col, d.code, d.message),
        )

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))


class ConvenantgenError(Exception):
    """A problem that stops the run; ``str()`` is the message for the user. What exit code it
    gives a command is the CLI's business (``convenantgen.cli.EXIT_CODES``)."""


class UsageError(ConvenantgenError):
    """The command line asks for something impossible."""


class CheckFailed(ConvenantgenError):
    """The content has errors; the report has already been printed."""


class ToolMissing(ConvenantgenError):
    """An external program (LibreOffice, git) is not installed."""


class ConversionError(ConvenantgenError):
    """LibreOffice failed to convert a document, even after a retry."""
