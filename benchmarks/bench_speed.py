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
each wall time. Each target is judged twice, on wall time (as a user waits on a quiet machine)
and on CPU time (user + system of the process tree: what a loaded machine cannot inflate much);
``--judge`` picks which verdict decides the exit code (default wall); the growth 50 → 500 is
judged on CPU time. The script prints one table (measurement, target, wall, CPU, peak memory,
both verdicts), then the peak memory of this process and of its largest child
(``getrusage``), and exits 1 when any target is missed. The shared parts (running a command,
a fresh project, the register of n dossiers, comparing outputs) are in ``harness.py``.

Usage::

    .venv/bin/python benchmarks/bench_speed.py [dossier] [register]
        [--parties 150] [--accessions 3] [--dossiers 50,500] [--judge wall|cpu]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import bench_build  # noqa: E402  (harness puts benchmarks/ and tests/ on the path)
from harness import (
    REFERENCE,
    Run,
    change_target_value,
    differences,
    file_count,
    load,
    project,
    register,
    reused,
    run,
)

TARGET_NO_CHANGE_DOSSIER = 0.5
TARGET_ONE_CHANGE = 3.0
TARGET_NO_CHANGE_REGISTER = 3.0
TARGET_REGISTER_BUILD = 120.0
TARGET_GROWTH = 11.0  # 500 / 50 dossiers: 10x the work, a tenth for noise
TARGET_CHECK = 20.0


@dataclass(frozen=True)
class Row:
    label: str
    target: str
    run: Run | None
    limit: float | None  # seconds; None: a figure without a time target
    met: bool | None = None  # rows without a run: the verdict itself
    note: str = ""

    def verdict(self, judge: str) -> bool | None:
        """Met, missed or no target, judged on wall or on CPU time."""
        if self.run is None or self.limit is None:
            return self.met
        return (self.run.wall if judge == "wall" else self.run.cpu) <= self.limit


def case_dossier(args) -> list[Row]:
    print(f"dossier: {args.parties} parties, {args.accessions} accession requests; {load()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as tmp:
        root = project(Path(tmp))
        bench_build.write_dossier(root / "content" / "bench", args.parties, args.accessions)
        build = ["build", "--quiet", "--reference-date", REFERENCE, "--out", "uit"]
        cold = run(build, root)
        files = file_count(root / "uit")
        rows.append(Row(f"{args.parties} parties: cold build ({files} files)", "—", cold, None))
        same = run(build, root)
        rows.append(
            Row(
                "  nothing changed (same --out)",
                f"≤ {TARGET_NO_CHANGE_DOSSIER:g} s",
                same,
                TARGET_NO_CHANGE_DOSSIER,
            )
        )
        change_target_value(root / "content" / "bench")
        changed = run([a for a in build if a != "--quiet"], root)
        rows.append(
            Row(
                "  one target value changed",
                f"≤ {TARGET_ONE_CHANGE:g} s",
                changed,
                TARGET_ONE_CHANGE,
                note=reused(changed),
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
                None,
                met=not differ,
                note=f"{len(differ)} file(s) differ {differ[:3]}" if differ else "byte for byte",
            )
        )
    return rows


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
                    Row(f"check, {count} dossiers", f"≤ {TARGET_CHECK:g} s", check, TARGET_CHECK)
                )
            cold = run(build, root)
            builds[count] = cold
            rows.append(
                Row(
                    f"build --no-pdf, {count} dossiers (empty cache)",
                    f"≤ {TARGET_REGISTER_BUILD:g} s" if biggest else "—",
                    cold,
                    TARGET_REGISTER_BUILD if biggest else None,
                )
            )
            if biggest:
                same = run(build, root)
                rows.append(
                    Row(
                        f"  nothing changed, {count} dossiers",
                        f"≤ {TARGET_NO_CHANGE_REGISTER:g} s",
                        same,
                        TARGET_NO_CHANGE_REGISTER,
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
                None,
                # Judged on CPU time: wall time of a loaded machine is noise (both are shown).
                met=cpu_growth <= TARGET_GROWTH,
                note=f"{growth:.1f}x the wall time, {cpu_growth:.1f}x the CPU time",
            )
        )
    return rows


def _mark(met: bool | None) -> str:
    return "—" if met is None else ("met" if met else "MISSED")


def table(rows: list[Row]) -> str:
    head = (
        f"{'measurement':52} {'target':>10} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}"
        f"  {'on wall':>7} {'on CPU':>7}"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        if row.run is None:
            figures = f"{'':>8} {'':>8} {'':>8}"
        else:
            r = row.run
            figures = f"{r.wall:8.2f} {r.cpu:8.2f} {r.peak_mb:8.0f}"
        note = f"  ({row.note})" if row.note else ""
        verdicts = f"{_mark(row.verdict('wall')):>7} {_mark(row.verdict('cpu')):>7}"
        lines.append(f"{row.label:52} {row.target:>10} {figures}  {verdicts}{note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # No choices= here: argparse checks an empty list of cases against them and refuses it.
    parser.add_argument("cases", nargs="*", help="dossier, register (default both)")
    parser.add_argument("--parties", type=int, default=150)
    parser.add_argument("--accessions", type=int, default=3)
    parser.add_argument("--dossiers", default="50,500", help="register: numbers of dossiers")
    parser.add_argument(
        "--judge",
        choices=["wall", "cpu"],
        default="wall",
        help="decide the exit code on wall time (default, a quiet machine) or on CPU time "
        "(user + system of the process tree: a machine shared with other work)",
    )
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
    ok = all(row.verdict(args.judge) is not False for row in rows)
    print(f"targets met (judged on {args.judge} time)" if ok else
          f"TARGETS MISSED (judged on {args.judge} time)")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
