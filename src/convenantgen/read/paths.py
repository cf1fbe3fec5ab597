"""Paths the engine reads from a project: resolved, confined to the project, named safely.

Every reader of a project (the settings' folders, content discovery, templates, the site's
``overrides/`` and logo) goes through this module, so one rule holds everywhere: a path is
resolved (symbolic links followed) and must stay inside the project's root; a symbolic link
that points outside it, a broken one and a loop are refused by name, never followed. A name is
shown through :func:`shown`, so a newline or control character in a file name cannot fake a
line of the output.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import UnsafePath, one_line


def shown(path: Path | str, root: Path | None = None) -> str:
    """``path`` for a message: relative to ``root`` when inside it, on one line."""
    text = str(path)
    if root is not None:
        with contextlib.suppress(ValueError):
            text = Path(path).relative_to(root).as_posix()
    return one_line(text)


def problem(path: Path, root: Path) -> str:
    """Why ``path`` may not be read from the project at ``root`` (resolved), or ``""``.

    Refused: a symbolic link loop, a broken link, anything whose real path leaves ``root``.
    A path that simply does not exist is no problem here (the caller says what it missed).
    """
    try:
        real = Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link loop"
        if os.path.lexists(path) or _link_on_the_way(path, root):
            return f"is a symbolic link to '{one_line(_target(path, root))}', which does not exist"
        return ""
    if real != root and root not in real.parents:
        if _link_on_the_way(path, root):
            return (
                f"is a symbolic link to '{one_line(str(real))}', outside the project; "
                "copy the file into the project instead"
            )
        return "is outside the project folder"
    return ""


def _link_on_the_way(path: Path, root: Path) -> bool:
    """Whether ``path`` or a folder between ``root`` and it is a symbolic link."""
    here = Path(path)
    while True:
        if here.is_symlink():
            return True
        if here == root or here.parent == here:
            return False
        here = here.parent


def _target(path: Path, root: Path) -> str:
    here = Path(path)
    while here != root and here.parent != here:
        if here.is_symlink():
            return os.readlink(here)
        here = here.parent
    return str(path)


def confined(path: Path, root: Path, what: str) -> Path:
    """``path`` resolved, or :class:`UnsafePath` naming ``what`` when it leaves ``root``."""
    found = problem(path, root)
    if found:
        raise UnsafePath(f"{what} '{shown(path, root)}' {found}")
    return Path(os.path.realpath(path))


@dataclass(frozen=True)
class Skipped:
    """An entry of a folder that is not read, and why (for a diagnostic)."""

    path: Path
    reason: str


def walk(folder: Path, root: Path) -> Iterator[Path | Skipped]:
    """Every regular file below ``folder`` (sorted, depth first), and each entry that cannot
    be read as a :class:`Skipped`: a link out of ``root``, broken or looping, a name with a
    control character. Folders reached through a link inside ``root`` are walked once."""
    seen: set[str] = set()
    yield from _walk(folder, root, seen)


def _walk(folder: Path, root: Path, seen: set[str]) -> Iterator[Path | Skipped]:
    real = os.path.realpath(folder)
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        yield Skipped(folder, f"cannot be read ({exc.strerror or exc})")
        return
    for entry in entries:
        why = problem(entry, root)
        if why:
            yield Skipped(entry, why)
        elif one_line(entry.name) != entry.name:
            yield Skipped(entry, "has a line break or control character in its name; rename it")
        elif entry.is_dir():
            yield from _walk(entry, root, seen)
        elif entry.is_file():
            yield entry
        else:
            yield Skipped(entry, "is not a regular file")


def confined_files(folder: Path, root: Path, what: str) -> list[tuple[str, Path]]:
    """Every file below ``folder`` as (relative name, path), for copying or hashing; an entry
    that cannot be read stops the run with :class:`UnsafePath` naming it (and the others)."""
    root = Path(os.path.realpath(root))
    confined(folder, root, what)
    files, refused = [], []
    for item in walk(folder, root):
        if isinstance(item, Skipped):
            refused.append(f"'{shown(item.path, root)}' {item.reason}")
        else:
            files.append((item.relative_to(folder).as_posix(), item))
    if refused:
        more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
        raise UnsafePath(f"{what}: {refused[0]}{more}")
    return files
