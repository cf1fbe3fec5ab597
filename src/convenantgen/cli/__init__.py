"""Command line: one thin module per command; this one parses and maps errors to exit codes.

User errors print as one clear message (exit 1, usage problems exit 2). :func:`main` is the
one handler of the command line: no traceback reaches it, not even for a bug in the engine
(that is one line with a request to report it; ``CONVENANTGEN_DEBUG=1`` shows the traceback),
nor from a library that logs one (log records are printed on one line, without it).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import re
import signal
import sys
import threading
import traceback

from .. import __version__
from ..errors import ConvenantgenError, UsageError, one_line
from .options import add_project_option

# Each command and the module of this package that registers and runs it, in --help order.
COMMANDS = {
    "check": "check",
    "checks": "check",
    "build": "build",
    "cache": "build",
    "schema": "schema",
    "new": "new",
    "diff": "diff",
    "serve": "serve",
    "signatures": "signatures",
    "seal": "seal",
    "status": "status",
    "init": "init",
    "templates": "templates",
    "import": "importing",
    "publication": "publication",
}


def _command_modules(argv: list[str]) -> list[str]:
    """The modules to load for ``argv``: the named command's alone, or all of them (help, a
    typo). One module per command keeps ``check`` from loading LibreOffice's, pyHanko's and
    MkDocs' stacks (half a second at every start)."""
    words = iter(argv)
    for word in words:
        if word == "--project":
            next(words, None)
        elif not word.startswith("-"):
            if word in COMMANDS:
                return [COMMANDS[word]]
            break
    return list(dict.fromkeys(COMMANDS.values()))


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="convenantgen",
        description="Covenants as validated YAML: check them, build documents and the site.",
    )
    parser.add_argument("--version", action="version", version=f"convenantgen {__version__}")
    add_project_option(parser, default=None)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _command_modules(sys.argv[1:] if argv is None else argv):
        importlib.import_module(f"{__name__}.{name}").add_parser(sub)
    _add_project_everywhere(sub)
    return parser


# Every error that stops a run, mapped to the exit code it gives, most specific first: usage
# errors exit 2 (as argparse does), every other problem of the user's input or machine 1.
EXIT_CODES: tuple[tuple[type[ConvenantgenError], int], ...] = (
    (UsageError, 2),
    (ConvenantgenError, 1),
)


def exit_code(exc: ConvenantgenError) -> int:
    return next(code for kind, code in EXIT_CODES if isinstance(exc, kind))


def _add_project_everywhere(sub) -> None:
    """``--project`` after any command too (``convenantgen new dossier x --project p``)."""
    for choice in sub.choices.values():
        add_project_option(choice, default=argparse.SUPPRESS)
        for action in choice._actions:
            if isinstance(action, argparse._SubParsersAction):
                _add_project_everywhere(action)


def _terminate(signum, frame) -> None:
    # `kill` (SIGTERM) ends a build like Ctrl+C: staging folders and LibreOffice are cleaned up.
    raise KeyboardInterrupt


class _OneLine(logging.Formatter):
    """A library's log record as one line, without the traceback it may carry."""

    def format(self, record: logging.LogRecord) -> str:
        message = one_line(record.getMessage())
        return f"convenantgen: {record.levelname.lower()} ({record.name}): {message}"

    def formatException(self, ei) -> str:  # noqa: N802 - logging's name
        return ""


def _quiet_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine())
    handler.setLevel(logging.ERROR)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.ERROR)


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _check_text(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Every argument is text: bytes that are not UTF-8 (``--title $'\\xff'``) arrive as
    lone surrogates, which no file can hold."""
    names = {a.dest: (a.option_strings or [a.dest])[-1] for a in _all_actions(parser)}
    for dest, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and _UNDECODABLE.search(item):
                shown = one_line(item.encode("utf-8", "replace").decode())
                raise UsageError(
                    f"{names.get(dest, dest)} '{shown}' is not valid UTF-8 text; write it in UTF-8"
                )


def _all_actions(parser: argparse.ArgumentParser):
    for action in parser._actions:
        yield action
        if isinstance(action, argparse._SubParsersAction):
            for choice in action.choices.values():
                yield from _all_actions(choice)


def main(argv: list[str] | None = None) -> int:
    # A terminal or pipe that cannot show every character gets escapes, never a traceback
    # (PYTHONIOENCODING=ascii); names stay intact in every file written.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")
    _quiet_logging()
    try:
        parser = build_parser(argv)
        args = parser.parse_args(argv)  # a usage error exits 2 here (SystemExit)
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _terminate)
        _check_text(parser, args)
        return args.func(args)
    except ConvenantgenError as exc:
        print(f"convenantgen: error: {exc}", file=sys.stderr)
        return exit_code(exc)
    except MemoryError:
        print(
            "convenantgen: error: out of memory (a template that repeats without end?)",
            file=sys.stderr,
        )
        return 1
    except RecursionError:
        print("convenantgen: error: the input is nested too deeply to process", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head`: stop quietly
        with contextlib.suppress(OSError):
            sys.stderr.close()
        return 1
    except OSError as exc:
        # Full or read-only disk, a name too long, a folder we may not read: the system's
        # words and the file, on one line.
        where = f": {one_line(str(exc.filename))}" if exc.filename else ""
        print(f"convenantgen: error: {one_line(exc.strerror or str(exc))}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("convenantgen: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        # A bug of the engine: one line and a request to report it, the traceback on demand.
        if os.environ.get("CONVENANTGEN_DEBUG"):
            traceback.print_exc()
        print(
            f"convenantgen: error: internal error ({type(exc).__name__}: {one_line(str(exc))}); "
            "please report it with the command that caused it (CONVENANTGEN_DEBUG=1 shows "
            "the details)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
