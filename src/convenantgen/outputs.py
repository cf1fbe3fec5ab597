"""Stage 7, write: everything goes to a staging folder, then replaces the output at once.

A build either leaves a complete new output folder or leaves the previous one untouched:
files are written into a staging folder next to the output (same file system), and only when
every artifact exists is the old folder swapped out with two renames.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import UsageError

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
    return hashlib.sha256(data).hexdigest()


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

    def write(self, rel: str, data: bytes, *, dossier: str, kind: str, title: str) -> Artifact:
        target = self.root / safe_relative(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        artifact = Artifact(dossier, kind, rel, sha256(data), title)
        self.artifacts.append(artifact)
        return artifact

    def write_manifest(self) -> None:
        items = sorted((asdict(a) for a in self.artifacts), key=lambda a: a["path"])
        text = json.dumps({"artifacts": items}, ensure_ascii=False, indent=2, sort_keys=True)
        (self.root / MANIFEST).write_text(text + "\n", encoding="utf-8")


def _is_previous_build(folder: Path) -> bool:
    return (folder / MANIFEST).is_file() or not any(folder.iterdir())


@contextmanager
def staged_output(out_dir: Path) -> Iterator[Staging]:
    """Yield a staging area; on success it replaces ``out_dir``, on failure it is removed."""
    out_dir = out_dir.resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"output '{out_dir}' exists and is not a folder")
    if out_dir.exists() and not _is_previous_build(out_dir):
        raise UsageError(
            f"output folder '{out_dir}' is not empty and holds no {MANIFEST}: it does not look "
            "like a convenantgen build, so it is left alone; choose another --out"
        )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    try:
        yield Staging(stage)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        os.replace(out_dir, old / "previous")
    try:
        os.replace(stage, out_dir)
    except OSError:
        if old is not None:  # put the previous build back
            os.replace(old / "previous", out_dir)
        shutil.rmtree(stage, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    os.chmod(out_dir, 0o755)  # mkdtemp makes 0700; an output folder is meant to be read
