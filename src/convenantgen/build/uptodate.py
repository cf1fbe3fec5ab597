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
the build runs. ``--no-cache`` always builds. This module is loaded on every ``build`` before
anything heavy (python-docx, pypdf, MkDocs): it imports only the base modules.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from ..cache import CACHE_FOLDER, Cache, engine_fingerprint, libreoffice_stamp, project_cache
from ..fingerprint import digest
from ..read.project import Project
from ..resources import mkdocs_config, schema_dir
from .options import BuildOptions

RECORD_KIND = "build"
# The variable and program names the PDF stage looks LibreOffice up by
# (convenantgen.render.pdf.convert.find_soffice; a test keeps the two the same).
SOFFICE_ENV = "CONVENANTGEN_SOFFICE"
SOFFICE_NAMES = ("soffice", "libreoffice")
_STAGING_PREFIX = ".convenantgen-staging-"


def open_cache(project: Project | None) -> Cache | None:
    """The project's cache; none outside a project (nothing is written beside the content)."""
    if project is None or project.file is None:
        return None
    cache = project_cache(project.root, limit_mb=project.settings.cache_mb)
    if cache.damaged:
        # Damage costs a rebuild, never the build (convenantgen.cache).
        cache.stats.problem = f"{cache.root.name} was not a folder: nothing reused, made anew"
    return cache


def inputs_fingerprint(content_dir: Path, options: BuildOptions, project: Project | None) -> str:
    """One SHA-256 over everything the build's output depends on (see the module)."""
    trees = [("content", _tree(content_dir))]
    if project is not None and project.file is not None:
        trees.append(("project", [("file", _file_hash(project.file))]))
        for name, folder in (
            ("templates", project.templates_dir),
            ("overrides", project.overrides_dir),
        ):
            trees.append((name, _tree(folder) if folder is not None else []))
    config = mkdocs_config()
    return digest(
        "build-inputs",
        engine_fingerprint(),
        sys.version,
        _tree(schema_dir()),
        _file_hash(config) if config is not None else "",
        trees,
        _options(options),
        _soffice() if options.pdf else [],
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    )


def unchanged(fingerprint: str, out_dir: Path, cache: Cache | None) -> bool:
    """Whether ``out_dir`` is the output of a build with these inputs, untouched since."""
    if cache is None:
        return False
    data = cache.read_now(RECORD_KIND, _key(out_dir))
    if data is None:
        return False
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    return (
        isinstance(record, dict)
        and record.get("inputs") == fingerprint
        and record.get("files") == _listing(out_dir)
    )


def remember(fingerprint: str, out_dir: Path, cache: Cache | None) -> None:
    """Record, after a successful build, which inputs made ``out_dir`` and what it holds."""
    if cache is None:
        return
    record = {"inputs": fingerprint, "files": _listing(out_dir)}
    cache.keep_now(RECORD_KIND, _key(out_dir), json.dumps(record).encode("utf-8"))


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


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"unreadable: {exc.strerror}"


def _tree(folder: Path) -> list[tuple[str, str, str]]:
    """(path, link target, content hash) of every file below ``folder``, links followed
    (the reader decides whether a link may be followed; any change to one is a change)."""
    return sorted(
        (rel, os.readlink(path) if path.is_symlink() else "", _file_hash(path))
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
    out = []
    for top, _dirs, files in os.walk(out_dir):
        base = Path(top)
        for name in files:
            try:
                st = os.lstat(base / name)
            except OSError:
                continue
            out.append(
                [(base / name).relative_to(out_dir).as_posix(), st.st_size, st.st_mtime_ns,
                 st.st_ino]
            )  # fmt: skip
    out.sort()
    return out
