"""Benchmark: the speed targets of a covenant register (issue 24), side by side in one run.

Every measurement runs the installed command line as a separate process in a fresh project
(``convenantgen init``, its example dossiers removed), timed by wall clock, with the CPU time
(user + system) and the peak resident memory of the process tree (``wait4``) beside it:

``dossier`` the Almere dossier grown to 150 parties and 3 accession requests
    (``bench_build.write_dossier``): a cold build with PDF, signing package and site; the same
    build into the same folder with nothing changed (target ≤ 0.5 s); the build after one
    measure's target value changed (target ≤ 3 s); then a cold build of the changed input
    without the cache, which the incremental output must equal byte for byte.
``register`` 50 and 500 dossiers of ``tests/dossier_factory`` (9 documents each): ``check``
    of 500 (target ≤ 20 s); ``build --no-pdf`` of 50 and of 500 with an empty cache (500
    within 120 s, and at most 11x the time of 50: linear in the number of dossiers); the
    same 500-dossier build with nothing changed (target ≤ 3 s).

The machine may be shared: the load average is printed before each case and CPU time next to
each wall time; targets are judged on wall time, as a user waits. The script prints one table
(measurement, target, wall, CPU, peak memory, verdict), then the peak memory of this process
and of all its children (``getrusage``), and exits 1 when any target is missed.

Usage::

    .venv/bin/python benchmarks/bench_speed.py [dossier] [register]
        [--parties 150] [--accessions 3] [--dossiers 50,500]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

import bench_build  # noqa: E402
import dossier_factory  # noqa: E402

CLI = Path(sys.executable).with_name("convenantgen")
REFERENCE = "2026-01-01"
TARGET_NO_CHANGE_DOSSIER = 0.5
TARGET_ONE_CHANGE = 3.0
TARGET_NO_CHANGE_REGISTER = 3.0
TARGET_REGISTER_BUILD = 120.0
TARGET_GROWTH = 11.0  # 500 / 50 dossiers: 10x the work, a tenth for noise
TARGET_CHECK = 20.0


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float  # user + system of the process and every child it waited for
    peak_mb: float  # largest resident set in the process tree
    output: str


@dataclass(frozen=True)
class Row:
    label: str
    target: str
    run: Run | None
    met: bool | None  # None: a figure without a target
    note: str = ""


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
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def project(root: Path) -> Path:
    """A fresh project without its example dossiers."""
    folder = root / "project"
    subprocess.run([str(CLI), "init", str(folder)], check=True, capture_output=True)
    for dossier in (folder / "content").iterdir():
        for f in dossier.iterdir():
            f.unlink()
        dossier.rmdir()
    return folder


def within(r: Run, seconds: float) -> bool:
    return r.wall <= seconds


def differences(a: Path, b: Path) -> list[str]:
    """Paths whose bytes differ between two output folders (or that only one has)."""

    def tree(p: Path) -> dict[str, bytes]:
        return {f.relative_to(p).as_posix(): f.read_bytes() for f in p.rglob("*") if f.is_file()}

    left, right = tree(a), tree(b)
    return sorted(n for n in set(left) | set(right) if left.get(n) != right.get(n))


def case_dossier(args) -> list[Row]:
    print(f"dossier: {args.parties} parties, {args.accessions} accession requests; {load()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as tmp:
        root = project(Path(tmp))
        bench_build.write_dossier(root / "content" / "bench", args.parties, args.accessions)
        build = ["build", "--quiet", "--reference-date", REFERENCE, "--out", "uit"]
        cold = run(build, root)
        files = sum(1 for f in (root / "uit").rglob("*") if f.is_file())
        rows.append(Row(f"{args.parties} parties: cold build ({files} files)", "—", cold, None))
        same = run(build, root)
        rows.append(
            Row(
                "  nothing changed (same --out)",
                f"≤ {TARGET_NO_CHANGE_DOSSIER:g} s",
                same,
                within(same, TARGET_NO_CHANGE_DOSSIER),
            )
        )
        measures = root / "content" / "bench" / "maatregelen.yaml"
        text = measures.read_text(encoding="utf-8")
        assert "value: 40\n" in text, "the example target to change is gone"
        measures.write_text(text.replace("value: 40\n", "value: 41\n", 1), encoding="utf-8")
        changed = run([a for a in build if a != "--quiet"], root)
        rows.append(
            Row(
                "  one target value changed",
                f"≤ {TARGET_ONE_CHANGE:g} s",
                changed,
                within(changed, TARGET_ONE_CHANGE),
                changed.output.rsplit("; ", 1)[-1] if "cache:" in changed.output else "",
            )
        )
        bare = ["build", "--quiet", "--reference-date", REFERENCE, "--out", "kaal", "--no-cache"]
        run(bare, root)
        differ = differences(root / "uit", root / "kaal")
        rows.append(
            Row(
                "  incremental output = cold build of the change",
                "identical",
                None,
                not differ,
                f"{len(differ)} file(s) differ {differ[:3]}" if differ else "byte for byte",
            )
        )
    return rows


def register(root: Path, count: int) -> None:
    for i in range(count):
        files = dossier_factory.replace(
            dossier_factory.base_files(), "dossier.yaml", "id: proef\n", f"id: p{i:04d}\n"
        )
        dossier_factory.write(root / "content" / f"p{i:04d}", files)


def case_register(args) -> list[Row]:
    counts = [int(n) for n in args.dossiers.split(",")]
    print(f"register: {', '.join(map(str, counts))} dossiers of 9 documents each; {load()}")
    rows: list[Row] = []
    builds: dict[int, Run] = {}
    for count in counts:
        with tempfile.TemporaryDirectory(prefix="bench-speed-") as tmp:
            root = project(Path(tmp))
            register(root, count)
            build = ["build", "--quiet", "--no-pdf", "--reference-date", REFERENCE, "--out", "uit"]
            biggest = count == max(counts)
            if biggest:
                check = run(["check", "--quiet"], root)
                rows.append(
                    Row(f"check, {count} dossiers", f"≤ {TARGET_CHECK:g} s", check,
                        within(check, TARGET_CHECK))
                )  # fmt: skip
            cold = run(build, root)
            builds[count] = cold
            rows.append(
                Row(
                    f"build --no-pdf, {count} dossiers (empty cache)",
                    f"≤ {TARGET_REGISTER_BUILD:g} s" if biggest else "—",
                    cold,
                    within(cold, TARGET_REGISTER_BUILD) if biggest else None,
                )
            )
            if biggest:
                same = run(build, root)
                rows.append(
                    Row(
                        f"  nothing changed, {count} dossiers",
                        f"≤ {TARGET_NO_CHANGE_REGISTER:g} s",
                        same,
                        within(same, TARGET_NO_CHANGE_REGISTER),
                    )
                )
    if len(builds) > 1:
        small, large = min(builds), max(builds)
        growth = builds[large].wall / builds[small].wall
        cpu_growth = builds[large].cpu / max(builds[small].cpu, 1e-9)
        rows.append(
            Row(
                f"  growth {small} → {large} dossiers ({large / small:g}x the dossiers)",
                f"≤ {TARGET_GROWTH:g}x",
                None,
                growth <= TARGET_GROWTH,
                f"{growth:.1f}x the wall time, {cpu_growth:.1f}x the CPU time",
            )
        )
    return rows


def table(rows: list[Row]) -> str:
    head = f"{'measurement':52} {'target':>10} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}  verdict"
    lines = [head, "-" * len(head)]
    for row in rows:
        verdict = "—" if row.met is None else ("met" if row.met else "MISSED")
        if row.run is None:
            figures = f"{'':>8} {'':>8} {'':>8}"
        else:
            r = row.run
            figures = f"{r.wall:8.2f} {r.cpu:8.2f} {r.peak_mb:8.0f}"
        note = f"  ({row.note})" if row.note else ""
        lines.append(f"{row.label:52} {row.target:>10} {figures}  {verdict}{note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # No choices= here: argparse checks an empty list of cases against them and refuses it.
    parser.add_argument("cases", nargs="*", help="dossier, register (default both)")
    parser.add_argument("--parties", type=int, default=150)
    parser.add_argument("--accessions", type=int, default=3)
    parser.add_argument("--dossiers", default="50,500", help="register: numbers of dossiers")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    unknown = sorted(set(args.cases) - {"dossier", "register"})
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)} (choose from dossier, register)")
    for case in args.cases or ["dossier", "register"]:
        rows += {"dossier": case_dossier, "register": case_register}[case](args)
    print()
    print(table(rows))
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak memory: this script {me:.0f} MB, its largest child process {children:.0f} MB")
    print(f"after the run: {load()}")
    ok = all(row.met is not False for row in rows)
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
