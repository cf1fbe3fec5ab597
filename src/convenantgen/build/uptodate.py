"""Nothing changed: a build that finds the inputs of the build that made its output folder
leaves that folder as it is, without reading a dossier or starting a tool.

After a build succeeded it records in the project's cache (kind ``build``, keyed by the output
folder) the fingerprint of its inputs and a listing of the output folder it left (every
file's path, size, modification time and inode). The next build computes the fingerprint again
and compares; when both match it is done. The inputs are:

- every file below the content folder, the project file and the project's ``templates/`` and
  ``overrides/`` (by content: a ``git checkout`` that rewrites a file unchanged costs nothing);
- the options that shape the output (PDF, site, strict, reference date, dossiers, site engine);
- the engine: its version, the hash of its code and data, its libraries' versions
  (:func:`convenantgen.cache.engine_fingerprint`), the schemas and ``mkdocs.yml`` it reads;
- the tools: Python's version, LibreOffice's program (path, size, modification time; never
  started here) when PDFs are made, and ``$SOURCE_DATE_EPOCH``.

The listing catches an output folder changed by hand (a file edited, removed or added): then
the build runs. ``--no-cache`` always builds.

Only what changed is read: the record also keeps, per input file, its size, modification and
change time, inode and content hash; a file whose ``stat`` is the same is not read again (a
file changed less than :data:`RACY_SECONDS` before it was hashed is always hashed anew, as git
does with a racily clean index). And the command line decides without reading the project's
settings (:func:`quick_unchanged`): a second record per project file and ``--out``/content
argument (:func:`remember_entry`) holds the project file's hash and the folders its settings
name, so ``build`` with nothing changed loads neither the YAML reader, the schemas nor the
check registry. This module is loaded on every ``build`` before anything heavy (python-docx,
pypdf, MkDocs, ruamel.yaml, Jinja): it imports only the base modules and :mod:`..read.locate`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..cache import CACHE_FOLDER, Cache, engine_fingerprint, libreoffice_stamp, project_cache
from ..fingerprint import digest
from ..read.locate import PROJECT_FILE, find_project_file
from ..resources import mkdocs_config, schema_dir
from .options import BuildOptions

if TYPE_CHECKING:  # the reader of the settings is heavy; this module only names its type
    from ..read.project import Project

RECORD_KIND = "build"
# The variable and program names the PDF stage looks LibreOffice up by
# (convenantgen.render.pdf.convert.find_soffice; a test keeps the two the same).
SOFFICE_ENV = "CONVENANTGEN_SOFFICE"
SOFFICE_NAMES = ("soffice", "libreoffice")
_STAGING_PREFIX = ".convenantgen-staging-"
# A file modified this close to the moment it was hashed may change again within the same
# timestamp tick: its hash is not remembered, so the next build reads it again.
RACY_SECONDS = 2.0

# Hashes taken by this process: path -> [size, mtime_ns, ctime_ns, inode, sha256, when hashed].
# remember() keeps them in the build record for the next build's stat pre-check.
_SEEN: dict[str, list] = {}


class ProjectFolders(Protocol):
    """What the fingerprint needs of a project (a :class:`..read.project.Project` has it)."""

    @property
    def file(self) -> Path | None: ...
    @property
    def templates_dir(self) -> Path | None: ...
    @property
    def overrides_dir(self) -> Path | None: ...


@dataclass(frozen=True)
class Folders:
    """A project's folders as an earlier build recorded them (:func:`remember_entry`)."""

    file: Path | None
    templates_dir: Path | None
    overrides_dir: Path | None


def open_cache(project: Project | None) -> Cache | None:
    """The project's cache; none outside a project (nothing is written beside the content)."""
    if project is None or project.file is None:
        return None
    cache = project_cache(project.root, limit_mb=project.settings.cache_mb)
    if cache.damaged:
        # Damage costs a rebuild, never the build (convenantgen.cache).
        cache.stats.problem = f"{cache.root.name} was not a folder: nothing reused, made anew"
    return cache


def inputs_fingerprint(
    content_dir: Path,
    options: BuildOptions,
    project: ProjectFolders | None,
    known: Mapping[str, list] | None = None,
) -> str:
    """One SHA-256 over everything the build's output depends on (see the module). ``known``:
    the hashes of an earlier build (:func:`known_hashes`), reused for files whose stat is the
    same."""
    known = known or {}
    trees = [("content", _tree(content_dir, known))]
    if project is not None and project.file is not None:
        trees.append(("project", [("file", _file_hash(project.file, known))]))
        for name, folder in (
            ("templates", project.templates_dir),
            ("overrides", project.overrides_dir),
        ):
            trees.append((name, _tree(folder, known) if folder is not None else []))
    config = mkdocs_config()
    return digest(
        "build-inputs",
        engine_fingerprint(),
        sys.version,
        _tree(schema_dir(), known),
        _file_hash(config, known) if config is not None else "",
        trees,
        _options(options),
        _soffice() if options.pdf else [],
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    )


def known_hashes(out_dir: Path, cache: Cache | None) -> dict[str, list]:
    """The input hashes the build that made ``out_dir`` took, for the stat pre-check."""
    record = _record(cache, _key(out_dir))
    hashes = record.get("hashes") if record is not None else None
    return hashes if isinstance(hashes, dict) else {}


def unchanged(fingerprint: str, out_dir: Path, cache: Cache | None) -> bool:
    """Whether ``out_dir`` is the output of a build with these inputs, untouched since. When
    it is, and files were hashed that the record did not yet trust, the record learns them
    (a build right after an edit would otherwise hash them again every time)."""
    record = _record(cache, _key(out_dir))
    same = (
        record is not None
        and record.get("inputs") == fingerprint
        and record.get("files") == _listing(out_dir)
    )
    if same and cache is not None:
        trusted = _trusted_hashes()
        if trusted != record.get("hashes"):
            record["hashes"] = trusted
            cache.keep_now(RECORD_KIND, _key(out_dir), json.dumps(record).encode("utf-8"))
    return same


def remember(fingerprint: str, out_dir: Path, cache: Cache | None) -> None:
    """Record, after a successful build, which inputs made ``out_dir`` and what it holds."""
    if cache is None:
        return
    record = {"inputs": fingerprint, "files": _listing(out_dir), "hashes": _trusted_hashes()}
    cache.keep_now(RECORD_KIND, _key(out_dir), json.dumps(record).encode("utf-8"))


def remember_entry(request: Request, project: ProjectFolders, content_dir: Path, out_dir: Path):
    """After a build from the command line: which folders ``request`` meant, so that the next
    identical command decides "nothing changed" without reading the settings."""
    if project.file is None:
        return
    cache = project_cache(project.file.parent.resolve())
    if cache.damaged:
        return
    folders = [content_dir, project.templates_dir, project.overrides_dir]
    entry = {
        "project": _plain_hash(project.file),
        "file": str(project.file),
        "out": os.path.abspath(out_dir),
        "content": os.path.abspath(content_dir),
        "templates": str(project.templates_dir) if project.templates_dir else None,
        "overrides": str(project.overrides_dir) if project.overrides_dir else None,
        "real": [os.path.realpath(f) if f is not None else None for f in folders],
    }
    key = _entry_key(project.file, request)
    cache.keep_now(RECORD_KIND, key, json.dumps(entry).encode("utf-8"))


@dataclass(frozen=True)
class Request:
    """What the command line names: ``--project``, the content folder and ``--out`` (each
    None when not given), and the working folder they are relative to."""

    project: str | None
    content: str | None
    out: str | None
    cwd: Path


def quick_unchanged(
    request: Request, options_for: Callable[[Path], BuildOptions]
) -> tuple[Path, int] | None:
    """The output folder and its number of files when a build of ``request`` would find
    nothing changed, decided from the records of the last build alone; None when that cannot
    be told so quickly (no record, the project file changed, ...): then the build decides.
    ``options_for`` makes the build's options for an output folder."""
    file = _project_file(request)
    if file is None:
        return None
    cache = project_cache(file.parent.resolve())
    entry = _record(cache, _entry_key(file, request))
    if entry is None or entry.get("project") != _plain_hash(file):
        return None
    try:
        named = [entry["content"], entry["templates"], entry["overrides"]]
        if [os.path.realpath(f) if f is not None else None for f in named] != entry["real"]:
            return None  # a folder now reached through another link: the settings decide
        out = Path(entry["out"])
        folders = Folders(
            Path(entry["file"]),
            Path(entry["templates"]) if entry["templates"] else None,
            Path(entry["overrides"]) if entry["overrides"] else None,
        )
        content = Path(entry["content"])
    except (KeyError, TypeError):
        return None
    fingerprint = inputs_fingerprint(content, options_for(out), folders, known_hashes(out, cache))
    if not unchanged(fingerprint, out, cache):
        return None
    return out, manifest_count(out)


def _project_file(request: Request) -> Path | None:
    """The project file the build would read (:func:`..read.project.find_project`'s order)."""
    if request.project is not None:
        file = request.cwd / request.project / PROJECT_FILE
        return file.resolve() if file.is_file() else None
    found = find_project_file(request.cwd)
    if found is None and request.content is not None:
        found = find_project_file(request.cwd / request.content)
    return found.resolve() if found is not None else None


def _entry_key(file: Path, request: Request) -> str:
    def resolved(arg: str | None) -> str:
        return str((request.cwd / arg).resolve()) if arg is not None else ""

    return digest(
        "build-entry", str(file.resolve()), resolved(request.content), resolved(request.out)
    )


def _record(cache: Cache | None, key: str) -> dict | None:
    if cache is None:
        return None
    data = cache.read_now(RECORD_KIND, key)
    if data is None:
        return None
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def manifest_count(out_dir: Path) -> int:
    """How many files the output folder's manifest lists."""
    try:
        data = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
        return len(data["artifacts"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def _key(out_dir: Path) -> str:
    return digest("build-record", str(out_dir.resolve()))


def _options(options: BuildOptions) -> list:
    # The number of jobs and the timeout change how fast, never what is written.
    return [
        options.pdf,
        options.site,
        options.strict,
        options.reference_date,
        list(options.dossiers),
        options.engine,
    ]


def _soffice() -> list[str]:
    wanted = os.environ.get(SOFFICE_ENV)
    for name in [wanted] if wanted else SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return libreoffice_stamp(Path(found))
    return ["missing", wanted or ""]


def _plain_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"unreadable: {exc.strerror}"


def _file_hash(path: Path, known: Mapping[str, list]) -> str:
    """The file's SHA-256; taken from ``known`` when its stat is the one recorded there."""
    name = str(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        return f"unreadable: {exc.strerror}"
    stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    before = known.get(name)
    if isinstance(before, list) and len(before) == 6 and before[:4] == stamp:
        _SEEN[name] = before
        return before[4]
    sha = _plain_hash(path)
    _SEEN[name] = [*stamp, sha, time.time_ns()]
    return sha


def _trusted_hashes() -> dict[str, list]:
    """The hashes of this process whose file had not changed just before it was hashed."""
    margin = int(RACY_SECONDS * 1e9)
    return {
        name: entry for name, entry in _SEEN.items() if max(entry[1], entry[2]) < entry[5] - margin
    }


def _tree(folder: Path, known: Mapping[str, list]) -> list[tuple[str, str, str]]:
    """(path, link target, content hash) of every file below ``folder``, links followed
    (the reader decides whether a link may be followed; any change to one is a change)."""
    return sorted(
        (rel, os.readlink(path) if path.is_symlink() else "", _file_hash(path, known))
        for rel, path in _files(folder)
    )


def _files(folder: Path) -> Iterator[tuple[str, Path]]:
    if not folder.is_dir():
        return
    seen: set[str] = set()
    for top, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:  # a link back up the tree
            dirs[:] = []
            continue
        seen.add(real)
        # Never the cache or a build's staging folder, should they lie inside.
        dirs[:] = [d for d in dirs if d != CACHE_FOLDER and not d.startswith(_STAGING_PREFIX)]
        base = Path(top)
        for name in files:
            path = base / name
            yield path.relative_to(folder).as_posix(), path


def _listing(out_dir: Path) -> list[list]:
    """Every file of the output folder with its size, modification time and inode."""
    out: list[list] = []
    _scan(str(out_dir), "", out)
    out.sort()
    return out


def _scan(folder: str, prefix: str, out: list[list]) -> None:
    # os.scandir with plain strings: a register's output holds tens of thousands of files.
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                _scan(entry.path, f"{prefix}{entry.name}/", out)
                continue
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        out.append([prefix + entry.name, st.st_size, st.st_mtime_ns, st.st_ino])
