"""The build cache: rendered DOCX, converted PDFs, signing packages and sites, by content.

An entry's key is a SHA-256 over everything its bytes depend on: for a DOCX the template's
bytes and the stable serialisation of the context the template sees (:mod:`.fingerprint`); for
a PDF the DOCX's bytes, the LibreOffice version, the export options of :mod:`.pdf` and the
metadata; for a signing package its parts; for the site its sources. Every key also holds the
engine's fingerprint (its version, the hash of its own code and the versions of the libraries
that shape the output), so a changed engine never reuses an old entry.

The cache lives in the project (``.convenantgen-cache/``, git-ignored). It is safe to share:

- every entry is written to a temporary file in its folder and moved into place with
  ``os.replace``, so a reader sees a whole entry or none, and two builds writing the same key
  write the same bytes;
- every entry starts with the SHA-256 and length of its content, checked on each read, so a
  corrupted or half-written entry (a disk error, a copy that stopped) is a miss: it is removed
  and made again;
- it is bounded: after each build the least recently used entries (by modification time, which
  a hit refreshes) are removed until it is under its limit;
- damage never fails a build, it costs a rebuild: a cache folder that is a plain file or a
  symbolic link is not read (every entry is a miss) and is replaced by a folder when the build
  succeeded; a file where a folder of the cache should be, or a folder where an entry should
  be, is removed when an entry is written there; the temporary files of a build killed while
  writing are removed after :data:`STALE_SECONDS`.

A build puts its new entries in its staging folder and moves them into the cache only when
everything else succeeded, so a failed build leaves the cache as it was.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import importlib.metadata
import io
import os
import shutil
import stat
import subprocess
import tempfile
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache as memoise
from pathlib import Path

from . import __version__
from .errors import ConvenantgenError
from .fingerprint import digest

CACHE_FOLDER = ".convenantgen-cache"
DEFAULT_LIMIT_MB = 2048
LAYOUT = "v1"  # the folder of this entry format inside the cache
_MAGIC = b"convenantgen-cache-1 "
KINDS = ("docx", "batch", "pdf", "package", "site", "site-frame", "meta", "build")
_TEMP_PREFIX = ".tmp-"
_FOLDERS = ".folders"  # folder entries waiting in the spool for commit
STALE_SECONDS = 3600  # a temporary file this old belongs to a build that was killed
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# Libraries whose version can change the bytes of an output.
_LIBRARIES = (
    "cerberus",  # and of what validation finds
    "docxtpl",
    "python-docx",
    "jinja2",
    "lxml",
    "pypdf",
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "pymdown-extensions",
    "zensical",
)


@dataclass
class CacheStats:
    """What a build got from the cache, per kind of entry (docx, batch, pdf, package, site)."""

    hits: Counter = field(default_factory=Counter)
    misses: Counter = field(default_factory=Counter)
    broken: Counter = field(default_factory=Counter)  # corrupted or half-written: rebuilt
    stored: Counter = field(default_factory=Counter)
    evicted: int = 0
    problem: str = ""  # why new entries could not be kept

    def summary(self) -> str:
        kinds = [k for k in KINDS if k in set(self.hits) | set(self.misses)]
        parts = [
            f"{kind} {self.hits[kind]}/{self.hits[kind] + self.misses[kind]}"
            for kind in kinds
            if kind not in ("site-frame", "meta", "build")
        ]
        text = "cache: " + (", ".join(parts) if parts else "nothing looked up") + " reused"
        if sum(self.broken.values()):
            text += f", {sum(self.broken.values())} damaged entr(y/ies) made again"
        return text + (f"; {self.problem}" if self.problem else "")


class Cache:
    """A content-addressed store of build outputs below ``root``, at most ``limit`` bytes."""

    def __init__(self, root: Path, *, limit_mb: int = DEFAULT_LIMIT_MB) -> None:
        self.root = Path(root)
        self.limit = limit_mb * 1024 * 1024
        self.stats = CacheStats()
        self._spool: Path | None = None  # where a build keeps new entries until it succeeded
        self._pending: dict[tuple[str, str], bytes] = {}  # new entries before the spool exists
        self._lock = threading.Lock()
        # A cache folder that is a file or a link (to anywhere) is damage: not read, replaced
        # by a folder of our own once the build succeeded.
        self.damaged = self.root.is_symlink() or (
            os.path.lexists(self.root) and not self.root.is_dir()
        )

    # -- reading --------------------------------------------------------------------------

    def path(self, kind: str, key: str) -> Path:
        return self.root / LAYOUT / kind / key[:2] / key

    def folder(self, kind: str) -> Path | None:
        """A folder that another cache manages in its own way inside this one (the site
        engine's compiled templates): counted, evicted and cleared with the entries. None when
        it cannot be made (a damaged cache): the caller works without it."""
        if self.damaged:
            return None
        path = self.root / LAYOUT / kind / "files"
        try:
            _clear_way(self.root, path, folder=True)
            path.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return path

    def get(self, kind: str, key: str, *, counted: bool = True) -> bytes | None:
        """The entry's content, or None (missing, or damaged: then it is removed). An entry
        looked up as the base of a partial rebuild (``counted`` false) is not in the stats."""
        data = self._pending.get((kind, key))
        if data is None and self._spool is not None:
            data = _read_entry(self._spool / kind / key)
        if data is None and not self.damaged:
            path = self.path(kind, key)
            try:
                raw = path.read_bytes()
            except OSError:
                raw = None
            data = _unwrap(raw) if raw is not None else None
            if raw is not None and data is None:
                with self._lock:
                    self.stats.broken[kind] += 1
                with contextlib.suppress(OSError):
                    path.unlink()
            elif data is not None:
                with contextlib.suppress(OSError):
                    os.utime(path)  # recently used: evicted last
        if counted:
            with self._lock:
                (self.stats.hits if data is not None else self.stats.misses)[kind] += 1
        return data

    # -- writing --------------------------------------------------------------------------

    def put(self, kind: str, key: str, data: bytes) -> None:
        """Keep a new entry; it reaches the cache with :meth:`commit`."""
        with self._lock:
            self.stats.stored[kind] += 1
        if self._spool is None:
            self._pending[(kind, key)] = data
        else:
            _write_atomic(self._spool / kind / key, _wrap(data))

    def folder_entry(self, kind: str, name: str) -> Path | None:
        """Where the folder entry ``name`` of a folder kind is (LibreOffice's kept profile),
        to read; nothing is made. None in a damaged cache."""
        return None if self.damaged else self.root / LAYOUT / kind / "files" / name

    def put_folder(self, kind: str, name: str, source: Path) -> None:
        """Keep a copy of the folder ``source`` (without links) as the entry ``name``; like
        :meth:`put`, it reaches the cache with :meth:`commit`, so a failed build leaves the
        cache as it was. Only while a build spools (elsewhere there is nothing to commit)."""
        if self._spool is None:
            return
        target = self._spool / _FOLDERS / kind / name
        with self._lock:
            if target.exists():
                return
            spare = target.with_name(f"{_TEMP_PREFIX}{name}")
            shutil.rmtree(spare, ignore_errors=True)
            shutil.copytree(source, spare, ignore=_links)
            os.rename(spare, target)
            self.stats.stored[kind] += 1

    def spool_in(self, folder: Path) -> None:
        """New entries go to ``folder`` (in the build's staging area) from now on."""
        self._spool = folder
        folder.mkdir(parents=True, exist_ok=True)
        for (kind, key), data in self._pending.items():
            _write_atomic(folder / kind / key, _wrap(data))
        self._pending.clear()

    def commit(self) -> None:
        """Move the new entries into the cache, then evict down to the limit. A cache that
        cannot be written (a read-only project, a full disk) costs the next build time, not
        this build: the problem is kept in ``stats.problem``."""
        try:
            self._commit()
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            self.stats.problem = f"the cache was not written ({exc.strerror or exc}{where})"

    def _commit(self) -> None:
        spooled, folders = [], []
        if self._spool is not None and self._spool.is_dir():
            spooled = [p for p in self._spool.glob("*/*") if p.is_file()]
            folders = sorted(
                p
                for p in (self._spool / _FOLDERS).glob("*/*")
                if p.is_dir() and not p.name.startswith(_TEMP_PREFIX)
            )
        if not spooled and not self._pending and not folders:
            return
        if self.damaged:
            # Ours to replace: only the link itself or the plain file goes, never its target.
            self.root.unlink()
            self.damaged = False
        for (kind, key), data in self._pending.items():
            _clear_way(self.root, self.path(kind, key))
            _write_atomic(self.path(kind, key), _wrap(data))
        self._pending.clear()
        for entry in spooled:
            target = self.path(entry.parent.name, entry.name)
            _clear_way(self.root, target)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(entry, target)
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                _write_atomic(target, entry.read_bytes())  # the cache is on another disk
        for entry in folders:
            target = self.root / LAYOUT / entry.parent.name / "files" / entry.name
            if target.exists():
                continue  # another build kept one first: the same program's profile
            _clear_way(self.root, target, folder=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            spare = target.with_name(f"{_TEMP_PREFIX}{entry.name}-{os.getpid()}")
            shutil.copytree(entry, spare, ignore=_links)  # the spool may be on another disk
            try:
                os.rename(spare, target)
            except OSError:
                shutil.rmtree(spare, ignore_errors=True)  # another build was quicker
        self.stats.evicted += self.prune()

    def read_now(self, kind: str, key: str) -> bytes | None:
        """One entry straight from the cache, outside the build's statistics (the record of
        an output folder: see :meth:`keep_now`)."""
        return None if self.damaged else _read_entry(self.path(kind, key))

    def keep_now(self, kind: str, key: str, data: bytes) -> None:
        """Write one entry straight into the cache, for what is known only after the build
        succeeded (the record of its output folder); a cache that cannot be written is left
        as it is."""
        if self.damaged:
            return
        try:
            path = self.path(kind, key)
            _clear_way(self.root, path)
            _write_atomic(path, _wrap(data))
        except OSError as exc:
            self.stats.problem = f"the cache was not written ({exc.strerror or exc})"

    # -- upkeep ---------------------------------------------------------------------------

    def entries(self) -> list[tuple[Path, os.stat_result]]:
        out = []
        base = self.root / LAYOUT
        if self.damaged or base.is_symlink() or not base.is_dir():
            return out  # never followed out of the cache
        for path in base.glob("*/*/*"):
            with contextlib.suppress(OSError):
                out.append((path, path.stat()))
        return out

    @staticmethod
    def _size(path: Path, st: os.stat_result) -> int:
        """An entry's bytes; a folder entry (LibreOffice's profile) counts its files."""
        if not stat.S_ISDIR(st.st_mode):
            return st.st_size
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())

    @staticmethod
    def _remove(path: Path) -> None:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()

    def prune(self) -> int:
        """Remove the least recently used entries until the cache is under its limit, and the
        temporary files of builds that were killed while writing."""
        entries = self.entries()
        stale = time.time() - STALE_SECONDS
        for path, st in entries:
            if path.name.startswith(_TEMP_PREFIX) and st.st_mtime < stale:
                with contextlib.suppress(OSError):
                    self._remove(path)
        sizes = {path: self._size(path, st) for path, st in entries}
        total = sum(sizes.values())
        removed = 0
        for path, _st in sorted(entries, key=lambda e: (e[1].st_mtime_ns, e[0].name)):
            if total <= self.limit:
                break
            with contextlib.suppress(OSError):
                self._remove(path)
                removed += 1
            total -= sizes[path]
        return removed

    def clear(self) -> tuple[int, int]:
        """Remove every entry; returns (entries, bytes) removed."""
        entries = [(p, st) for p, st in self.entries() if not p.name.startswith(_TEMP_PREFIX)]
        size = sum(self._size(p, st) for p, st in entries)
        if not self.damaged and self.root.is_dir():
            if (self.root / LAYOUT).is_symlink():
                (self.root / LAYOUT).unlink()
            else:
                shutil.rmtree(self.root / LAYOUT, ignore_errors=True)
        return len(entries), size

    def info(self) -> dict[str, tuple[int, int]]:
        """Per kind of entry: (count, bytes)."""
        out: dict[str, list[int]] = {}
        for path, st in self.entries():
            counts = out.setdefault(path.parent.parent.name, [0, 0])
            counts[0] += 1
            counts[1] += self._size(path, st)
        return {kind: (c[0], c[1]) for kind, c in sorted(out.items())}


def _links(folder: str, names: list[str]) -> list[str]:
    """Links are never copied into the cache (a folder entry holds plain files only)."""
    return [n for n in names if os.path.islink(os.path.join(folder, n))]


def _wrap(data: bytes) -> bytes:
    return _MAGIC + f"{hashlib.sha256(data).hexdigest()} {len(data)}\n".encode("ascii") + data


def _unwrap(raw: bytes) -> bytes | None:
    """The content of an entry, or None when it is not whole and exactly what was written."""
    head, sep, data = raw.partition(b"\n")
    if not sep or not head.startswith(_MAGIC):
        return None
    try:
        checksum, length = head[len(_MAGIC) :].decode("ascii").split(" ")
        if int(length) != len(data):
            return None
    except ValueError:
        return None
    return CheckedBytes(data, checksum) if hashlib.sha256(data).hexdigest() == checksum else None


class CheckedBytes(bytes):
    """An entry's content with the SHA-256 it was just verified against, so writing it into
    the output (whose manifest lists every file's SHA-256) does not hash it again."""

    sha256: str

    def __new__(cls, data: bytes, sha256: str) -> CheckedBytes:
        made = super().__new__(cls, data)
        made.sha256 = sha256
        return made


def _read_entry(path: Path) -> bytes | None:
    try:
        return _unwrap(path.read_bytes())
    except OSError:
        return None


def _clear_way(root: Path, path: Path, *, folder: bool = False) -> None:
    """Remove what blocks ``path`` inside the cache ``root``: a file or link where one of its
    folders should be, a folder (or, with ``folder``, a file) where it should be."""
    here = root
    for part in path.relative_to(root).parts[:-1]:
        here = here / part
        if here.is_symlink() or (os.path.lexists(here) and not here.is_dir()):
            here.unlink()
    if folder:
        if path.is_symlink() or (os.path.lexists(path) and not path.is_dir()):
            path.unlink()
    elif path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


# -- what keys are made of ---------------------------------------------------------------------


@memoise
def engine_fingerprint() -> str:
    """The engine's version, a hash of its own code and data files, and its libraries'
    versions: anything that could change the bytes of an output."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for path in sorted(_engine_files(package)):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{name}={version}\0".encode())
    return h.hexdigest()


def _engine_files(package: Path) -> Iterator[Path]:
    for path in package.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            yield path


def libreoffice_stamp(program: Path) -> list[str]:
    """What identifies an installed LibreOffice without starting it: the real path, size and
    modification time of its program and of its ``versionrc``."""
    real = Path(os.path.realpath(program))
    stamp = [str(real)]
    for candidate in (real, real.with_name("soffice.bin"), real.with_name("versionrc")):
        with contextlib.suppress(OSError):
            st = candidate.stat()
            stamp.append(f"{candidate.name}:{st.st_size}:{st.st_mtime_ns}")
    return stamp


def libreoffice_version(program: Path, cache: Cache | None) -> str:
    """``soffice --version`` (about a second), remembered in the cache per installed program:
    its path, size and modification time, and those of LibreOffice's ``versionrc``."""
    key = digest("libreoffice", libreoffice_stamp(program))
    if cache is not None:
        known = cache.get("meta", key)
        if known is not None:
            return known.decode("utf-8")
    try:
        proc = subprocess.run(
            [str(program), "--version"],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            # A real LibreOffice answers in about a second; one that hangs here would hang the
            # conversion too, which has its own timeout and message.
            timeout=20,
            check=False,
        )
        version = proc.stdout.decode("utf-8", "replace").strip() or "unknown"
    except (OSError, subprocess.TimeoutExpired):
        version = "unknown"
    if cache is not None and version != "unknown":
        cache.put("meta", key, version.encode("utf-8"))
    return version


def folder_hashes(folder: Path) -> list[tuple[str, str]]:
    return [
        (p.relative_to(folder).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    ]


def pack_folder(folder: Path) -> bytes:
    """A folder as one uncompressed ZIP, entries sorted, so it can be a cache entry."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            info = zipfile.ZipInfo(rel + "/" if path.is_dir() else rel, date_time=_ZIP_EPOCH)
            archive.writestr(info, b"" if path.is_dir() else path.read_bytes())
    return out.getvalue()


def unpack_folder(data: bytes, folder: Path) -> None:
    """Recreate a folder packed by :func:`pack_folder` (its entries are our own, and each is
    still checked to stay inside ``folder``)."""
    folder.mkdir(parents=True, exist_ok=True)
    base = folder.resolve()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            target = (folder / info.filename).resolve()
            if base != target and base not in target.parents:
                raise ConvenantgenError(f"cache entry leaves its folder: {info.filename}")
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(info))


def project_cache(project_root: Path, *, limit_mb: int | None = None) -> Cache:
    return Cache(project_root / CACHE_FOLDER, limit_mb=limit_mb or DEFAULT_LIMIT_MB)
