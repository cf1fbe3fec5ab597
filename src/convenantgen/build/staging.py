"""Stage 7, write: everything goes to a staging folder, then replaces the output at once.

A build either leaves a complete new output folder or leaves the previous one untouched:
files are written into a staging folder next to the output (same file system), and only when
every artifact exists is the old folder swapped out with two renames.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import UsageError

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Artifact:
    """One file of a build, as listed in ``manifest.json``."""

    dossier: str
    kind: str
    path: str  # relative to the output folder, with forward slashes
    sha256: str
    title: str


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``; bytes from the build cache bring theirs along."""
    known = getattr(data, "sha256", None)
    return known if isinstance(known, str) else hashlib.sha256(data).hexdigest()


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` as a second name of ``source`` (a hard link) where the file system allows,
    else a copy. Either way a real file: outputs are written once and never changed in
    place, so two names of one file cannot drift apart."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def safe_relative(path: str) -> Path:
    """A relative path that cannot leave the output folder (ids are checked, this is a guard)."""
    rel = Path(path)
    if not rel.parts or rel.is_absolute() or ".." in rel.parts:
        raise UsageError(f"refusing to write outside the output folder: '{path}'")
    return rel


class Staging:
    """A staging folder that collects artifacts and the manifest before the swap."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.artifacts: list[Artifact] = []
        self._folders: set[Path] = set()  # made already: a thousand files share a few

    def write(self, rel: str, data: bytes, *, dossier: str, kind: str, title: str) -> Artifact:
        target = self.root / safe_relative(rel)
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        target.write_bytes(data)
        artifact = Artifact(dossier, kind, rel, sha256(data), title)
        self.artifacts.append(artifact)
        return artifact

    def carry(self, source_root: Path, artifact: Artifact) -> None:
        """An artifact of an earlier build, taken over unchanged (a second name of its file)."""
        rel = safe_relative(artifact.path)
        link_or_copy(source_root / rel, self.root / rel)
        self.artifacts.append(artifact)

    def write_manifest(self) -> None:
        items = sorted((asdict(a) for a in self.artifacts), key=lambda a: a["path"])
        text = json.dumps({"artifacts": items}, ensure_ascii=False, indent=2, sort_keys=True)
        (self.root / MANIFEST).write_text(text + "\n", encoding="utf-8")


# Written into every build output, and only there: the proof that a folder may be replaced.
MARKER = ".convenantgen-output"
MARKER_TEXT = "This folder is a build of convenantgen; the next build replaces it whole.\n"
# One folder per build next to the output: the new output, work files, the previous output.
STAGING_PREFIX = ".convenantgen-staging-"
PID_FILE = "pid"


def is_own_output(folder: Path) -> bool:
    """Only an empty folder, or one with convenantgen's marker, may be replaced."""
    marker = folder / MARKER
    if marker.is_symlink():
        return False
    try:
        if marker.is_file():
            return marker.read_text(encoding="utf-8") == MARKER_TEXT
        return not any(folder.iterdir())
    except (OSError, UnicodeDecodeError):
        return False


def previous_artifacts(out_dir: Path, keep: Callable[[str], bool]) -> list[Artifact]:
    """The artifacts of an earlier build in ``out_dir`` whose dossier ``keep`` accepts, as its
    manifest lists them and only where the file is still there with that content (a build of
    some dossiers carries the others over unchanged)."""
    manifest = out_dir / MANIFEST
    if not out_dir.is_dir() or not is_own_output(out_dir) or not manifest.is_file():
        return []
    try:
        items = json.loads(manifest.read_text(encoding="utf-8"))["artifacts"]
        listed = [Artifact(**{k: str(item[k]) for k in _ARTIFACT_FIELDS}) for item in items]
    except (OSError, ValueError, KeyError, TypeError):
        return []  # no readable manifest: nothing to carry over
    out = []
    for artifact in listed:
        if not keep(artifact.dossier):
            continue
        try:
            path = out_dir / safe_relative(artifact.path)
            if (
                path.is_file()
                and not path.is_symlink()
                and sha256(path.read_bytes()) == (artifact.sha256)
            ):
                out.append(artifact)
        except (OSError, UsageError):
            continue
    return out


_ARTIFACT_FIELDS = ("dossier", "kind", "path", "sha256", "title")


def check_output_folder(out_dir: Path, protected: list[Path]) -> Path:
    """The output folder resolved, or a UsageError when replacing it could lose user data."""
    out_dir = out_dir.resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"output '{out_dir}' exists and is not a folder")
    for keep in protected:
        keep = keep.resolve()
        if keep == out_dir or out_dir in keep.parents:
            raise UsageError(
                f"output folder '{out_dir}' holds '{keep}', which the build reads or owns; "
                "choose an --out outside it"
            )
    if out_dir.exists() and not is_own_output(out_dir):
        raise UsageError(
            f"output folder '{out_dir}' is not empty and is no convenantgen build (it has no "
            f"{MARKER} written by an earlier build), so it is left alone; choose another --out"
        )
    return out_dir


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(parent: Path) -> list[Path]:
    """Staging folders of builds that were killed: their processes (LibreOffice, started
    with a profile inside the folder) are ended and the folders removed."""
    removed = []
    try:
        candidates = [p for p in parent.iterdir() if p.name.startswith(STAGING_PREFIX)]
    except OSError:
        return removed
    for folder in candidates:
        try:
            pid = int((folder / PID_FILE).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            pid = 0
        if pid and _alive(pid):
            continue  # a build running now
        _kill_processes_using(folder)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _kill_processes_using(folder: Path) -> None:
    """End processes whose command line names ``folder`` (a killed build's LibreOffice)."""
    needle = str(folder).encode()
    proc = Path("/proc")
    if not proc.is_dir():
        return
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if needle in cmdline:
            pid = int(entry.name)
            with contextlib.suppress(OSError):
                # LibreOffice runs in a session of its own: end the whole group.
                group = os.getpgid(pid)
                if group != os.getpgid(0):
                    os.killpg(group, signal.SIGKILL)
                else:
                    os.kill(pid, signal.SIGKILL)


class StagingArea(Staging):
    """A staging folder with a work folder beside the new output, both in one build folder."""

    def __init__(self, build_dir: Path) -> None:
        super().__init__(build_dir / "out")
        self.work = build_dir / "work"


@contextmanager
def staged_output(out_dir: Path, protected: list[Path] | None = None) -> Iterator[StagingArea]:
    """Yield a staging area; on success it replaces ``out_dir``, on failure it is removed.

    Everything a build writes (the new output, LibreOffice's work, the site's sources, the
    previous output on its way out) lives in one folder next to the output, so an interrupted
    build leaves at most that folder, which the next build removes."""
    out_dir = check_output_folder(out_dir, protected or [])
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out_dir.parent)
    build_dir = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir.parent))
    try:
        (build_dir / PID_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")
        area = StagingArea(build_dir)
        area.root.mkdir()
        area.work.mkdir()
        yield area
        (area.root / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        # The output folder may have appeared meanwhile (another build): check again.
        out_dir = check_output_folder(out_dir, protected or [])
        if out_dir.exists():
            os.replace(out_dir, build_dir / "previous")
        try:
            os.replace(area.root, out_dir)
        except OSError:
            if (build_dir / "previous").exists():  # put the previous build back
                os.replace(build_dir / "previous", out_dir)
            raise
        os.chmod(out_dir, 0o755)  # mkdtemp makes 0700; an output folder is meant to be read
    finally:
        shutil.rmtree(build_dir, ignore_errors=True)
