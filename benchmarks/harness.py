"""What the end-to-end benchmarks share: the installed command line run and measured as a
separate process, a fresh project, a register of generated dossiers, output folders compared.

``bench_speed.py`` and ``bench_end_to_end.py`` import this module (and a search benchmark may:
:func:`register` writes an n-dossier project). Every figure is the wall time of one command
with the CPU time (user + system) and peak resident memory of its process tree (``wait4``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
# bench_build (the grown Almere dossier) lives beside this file, dossier_factory in tests/.
for _folder in (HERE, HERE.parent / "tests"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

import dossier_factory  # noqa: E402

CLI = Path(sys.executable).with_name("convenantgen")
# The day every benchmark's build states its dossiers' status on (output independent of today).
REFERENCE = "2026-01-01"


@dataclass(frozen=True)
class Run:
    """One command: wall time, CPU time, peak memory and what it printed."""

    wall: float
    cpu: float  # user + system of the process and every child it waited for
    peak_mb: float  # largest resident set in the process tree
    output: str


def run(args: list[str], cwd: Path) -> Run:
    """Run the command line once; exit on failure (a benchmark of a failing build says nothing)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(CLI), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    out = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"convenantgen {' '.join(args)} failed ({code}):\n{out}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.strip())


def load() -> str:
    """The load average, to print before each case (a shared machine makes wall time noisy)."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def project(root: Path) -> Path:
    """A fresh project (``convenantgen init``) in ``root/project``, its example dossiers removed."""
    folder = root / "project"
    subprocess.run([str(CLI), "init", str(folder)], check=True, capture_output=True)
    for dossier in (folder / "content").iterdir():
        for f in dossier.iterdir():
            f.unlink()
        dossier.rmdir()
    return folder


def dossier_id(i: int) -> str:
    """The id (and folder name) of the ``i``-th dossier of :func:`register`."""
    return f"p{i:04d}"


def register(path: Path, n: int) -> list[Path]:
    """Write ``n`` dossiers of ``tests/dossier_factory`` (9 documents each, passing ``check``)
    into the content folder of the project at ``path``; their folders, in order."""
    base = dossier_factory.base_files()
    folders = []
    for i in range(n):
        files = dossier_factory.replace(
            base, "dossier.yaml", "id: proef\n", f"id: {dossier_id(i)}\n"
        )
        folder = path / "content" / dossier_id(i)
        dossier_factory.write(folder, files)
        folders.append(folder)
    return folders


def file_count(folder: Path) -> int:
    return sum(1 for f in folder.rglob("*") if f.is_file())


def differences(a: Path, b: Path) -> list[str]:
    """Paths whose bytes differ between two output folders (or that only one has)."""

    def tree(p: Path) -> dict[str, bytes]:
        return {f.relative_to(p).as_posix(): f.read_bytes() for f in p.rglob("*") if f.is_file()}

    left, right = tree(a), tree(b)
    return sorted(n for n in set(left) | set(right) if left.get(n) != right.get(n))


def reused(r: Run) -> str:
    """The build's cache summary (``cache: docx 447/449, ...``), if it printed one."""
    return r.output.rsplit("; ", 1)[-1] if "cache:" in r.output else ""


def change_target_value(dossier: Path, old: str = "value: 40\n", new: str = "value: 41\n") -> None:
    """Change one measure's target value of a ``bench_build.write_dossier`` dossier."""
    measures = dossier / "maatregelen.yaml"
    text = measures.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"the example target to change ({old.strip()}) is gone from {measures}")
    measures.write_text(text.replace(old, new, 1), encoding="utf-8")
