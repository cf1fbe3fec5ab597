"""Benchmark: the real `convenantgen build` and `check` commands, end to end, on synthetic content.

Three cases, each run as separate processes of the installed command line in a fresh project
(``convenantgen init``), timed by wall clock, with the CPU time and peak memory of the process
tree (``wait4``) printed next to it:

``rebuild``  (default 150 parties, 3 accession requests; ``bench_build.write_dossier``)
    a cold build, the same build again with nothing changed (target ≤ 3 s) and the build after
    one target value changed (target ≤ 10 s); with ``--verify`` the last output is compared
    byte for byte with a build that does not use the cache.
``cold``     (default 500 parties, 10 accession requests)
    one cold build with DOCX, PDF, signing package and site (target ≤ 150 s), against one
    ``soffice`` call per document: that is measured on ``--sample`` documents of the build
    and extrapolated to all of them (target: the build ≥ 25x faster); the signing package's
    size is reported (target ≤ 60 MB).
``scale``    (50 and 200 dossiers, ``tests/dossier_factory``)
    ``check`` and ``build --no-pdf`` (DOCX and site) with time and peak memory, to show how
    cost grows with the number of dossiers.

The machine may be shared: the load average is printed before each case, and CPU time next
to each wall time, so a slow figure can be told apart from a busy machine. Targets are judged
on wall time. Exits 1 when any target is missed.

Usage::

    .venv/bin/python benchmarks/bench_end_to_end.py [rebuild] [cold] [scale]
        [--parties N] [--accessions N] [--dossiers 50,200] [--sample 20] [--verify]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import bench_build
from harness import (
    REFERENCE,
    Run,
    change_target_value,
    differences,
    dossier_factory,
    load,
    project,
    register,
    reused,
    run,
)

TARGET_NO_CHANGE = 3.0
TARGET_ONE_CHANGE = 10.0
TARGET_COLD = 150.0
TARGET_SPEEDUP = 25.0
TARGET_PACKAGE_MB = 60.0


def line(label: str, r: Run, target: float | None = None) -> bool:
    met = target is None or r.wall <= target
    goal = "" if target is None else f"  target ≤ {target:g} s: {'met' if met else 'MISSED'}"
    print(f"  {label:34} {r.wall:8.2f} s wall {r.cpu:8.2f} s CPU {r.peak_mb:7.0f} MB{goal}")
    return met


def case_rebuild(args) -> bool:
    print(f"rebuild: {args.parties} parties, {args.accessions} accession requests; {load()}")
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp:
        root = project(Path(tmp))
        bench_build.write_dossier(root / "content" / "bench", args.parties, args.accessions)
        build = ["build", "--reference-date", REFERENCE]
        cold = run([*build, "--out", "een"], root)
        line("cold build (empty cache)", cold)
        same = run([*build, "--out", "twee"], root)
        ok = line("no change", same, TARGET_NO_CHANGE)
        print(f"    {reused(same)}")
        change_target_value(root / "content" / "bench")
        changed = run([*build, "--out", "drie"], root)
        ok &= line("one target value changed", changed, TARGET_ONE_CHANGE)
        print(f"    {reused(changed)}")
        if args.verify:
            run([*build, "--quiet", "--out", "vier", "--no-cache"], root)
            differ = differences(root / "drie", root / "vier")
            print(f"  incremental output equals a build without cache: {not differ} {differ[:5]}")
            ok &= not differ
    return ok


def case_cold(args) -> bool:
    print(f"cold: {args.parties} parties, {args.accessions} accession requests; {load()}")
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp:
        root = project(Path(tmp))
        bench_build.write_dossier(root / "content" / "bench", args.parties, args.accessions)
        cold = run(["build", "--quiet", "--reference-date", REFERENCE, "--out", "uit"], root)
        ok = line("cold build: DOCX, PDF, package, site", cold, TARGET_COLD)
        # The dossier keeps the id of the example it grew from: find its folder by content.
        docs = sorted((root / "uit").glob("*/*.docx"))
        package = next((root / "uit").glob("*/*-ondertekenpakket.pdf"))
        step = max(1, len(docs) // args.sample)
        sample = docs[::step][: args.sample]
        from convenantgen.render.pdf.convert import find_soffice

        single = bench_build.one_call_each(
            find_soffice(), sample, Path(tmp) / "single", Path(tmp) / "profile"
        )
        per_doc = sum(single) / len(single)
        baseline = per_doc * len(docs)
        speedup = baseline / cold.wall
        print(
            f"  one soffice call per document:     {baseline:8.1f} s  (measured on {len(sample)} "
            f"of the {len(docs)} documents, {per_doc * 1000:.0f} ms each with a warm profile, "
            f"times {len(docs)})"
        )
        fast = speedup >= TARGET_SPEEDUP
        print(f"  speed-up {speedup:.1f}x (target ≥ {TARGET_SPEEDUP:g}x): {_met(fast)}")
        size = package.stat().st_size / 1e6
        small = size <= TARGET_PACKAGE_MB
        print(f"  signing package {size:.1f} MB (target ≤ {TARGET_PACKAGE_MB:g} MB): {_met(small)}")
    return ok and fast and small


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def case_scale(args) -> bool:
    counts = [int(n) for n in args.dossiers.split(",")]
    print(f"scale: {', '.join(map(str, counts))} dossiers of {len(dossier_factory.base_files())} "
          f"files each (9 documents); {load()}")  # fmt: skip
    figures = []
    for count in counts:
        with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp:
            root = project(Path(tmp))
            register(root, count)
            check = run(["check", "--quiet"], root)
            site = run(["build", "--quiet", "--no-pdf", "--no-cache", "--reference-date",
                        REFERENCE, "--out", "uit"], root)  # fmt: skip
            line(f"check, {count} dossiers", check)
            line(f"build --no-pdf (DOCX + site), {count}", site)
            figures.append((count, check, site))
    if len(figures) > 1:
        (n0, c0, s0), (n1, c1, s1) = figures[0], figures[-1]
        print(
            f"  {n1 / n0:.0f}x the dossiers: check {c1.wall / c0.wall:.1f}x the time, "
            f"{c1.peak_mb / c0.peak_mb:.1f}x the memory; build "
            f"{s1.wall / s0.wall:.1f}x the time, {s1.peak_mb / s0.peak_mb:.1f}x the memory"
        )
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", choices=["rebuild", "cold", "scale"], default=[])
    parser.add_argument("--parties", type=int, help="default 150 (rebuild), 500 (cold)")
    parser.add_argument("--accessions", type=int, help="default 3 (rebuild), 10 (cold)")
    parser.add_argument("--dossiers", default="50,200", help="scale: numbers of dossiers")
    parser.add_argument("--sample", type=int, default=20, help="cold: documents for soffice")
    parser.add_argument("--verify", action="store_true", help="rebuild: compare with no cache")
    args = parser.parse_args(argv)
    ok = True
    for case in args.cases or ["rebuild", "cold", "scale"]:
        defaults = {"rebuild": (150, 3), "cold": (500, 10)}.get(case, (0, 0))
        case_args = argparse.Namespace(
            **{
                **vars(args),
                "parties": args.parties or defaults[0],
                "accessions": args.accessions if args.accessions is not None else defaults[1],
            }
        )
        ok &= {"rebuild": case_rebuild, "cold": case_cold, "scale": case_scale}[case](case_args)
        print()
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
