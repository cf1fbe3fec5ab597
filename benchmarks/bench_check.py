"""Benchmark: `convenantgen check` on a synthetic dossier with 500 parties.

Target (issue 2): under one second. Prints the in-process time (best of 5) and the wall time
of the real command line, and exits 1 when the command line misses the target.
Run: .venv/bin/python benchmarks/bench_check.py [--parties N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 1.0


def synthetic_dossier(folder: Path, parties: int) -> Path:
    """A valid dossier: one group signing through a representative, N school boards."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dossier.yaml").write_text(
        "kind: dossier\nid: synthetisch\ntitle: Synthetisch convenant\n"
        "pillars:\n  - {id: behoud, label: Behoud}\n",
        encoding="utf-8",
    )
    rows = [
        "kind: parties",
        "groups:",
        "  - id: besturen",
        "    heading: de schoolbesturen",
        "    designation: de schoolbesturen",
        "    signing: representative",
        "    representative: {party: bestuur-0000}",
        "parties:",
    ]
    for i in range(parties):
        rows += [
            f"  - id: bestuur-{i:04d}",
            f"    name: Stichting Onderwijs {i:04d} & partners",
            "    kind: schoolbestuur",
            "    group: besturen",
            f"    representative: {{name: P. Persoon {i}, title: mevrouw, role: bestuurder}}",
            "    joined: 2024-08-01",
        ]
        if i == 0:
            rows.append("    penvoerder: true")
    (folder / "partijen.yaml").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "convenant.yaml").write_text(
        "kind: convenant\nid: basis\ntitle: Synthetisch convenant\n"
        "term: {id: looptijd, start: 2024-08-01, end: 2026-07-31}\n"
        "parties: [besturen]\n"
        "sections:\n"
        "  - id: maatregelen\n    title: Maatregelen\n    clauses:\n"
        "      - id: maatregelen-lijst\n        article:\n          title: Maatregelen\n"
        "          parts:\n            - id: deel\n              measures: [m1]\n"
        "      - id: toetreding\n        text: Schoolbesturen kunnen toetreden.\n"
        "accession: {clause: toetreding, kinds: [schoolbestuur], before_school_year: true}\n"
        "signing: {place: Utrecht, copies: 1}\n",
        encoding="utf-8",
    )
    (folder / "maatregelen.yaml").write_text(
        "kind: measures\nindicators:\n  - {id: uitval, label: Uitval, unit: percent}\n"
        "measures:\n  - id: m1\n    title: Begeleiding\n    pillars: [behoud]\n"
        "    description: [Begeleiding van starters.]\n    targets:\n"
        "      - {id: t1, indicator: uitval, comparator: '<', value: 10, "
        "text: 'Uitval kleiner dan {value}.'}\n",
        encoding="utf-8",
    )
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parties", type=int, default=500)
    args = parser.parse_args()
    from convenantgen.read.load import load_content

    with tempfile.TemporaryDirectory() as tmp:
        folder = synthetic_dossier(Path(tmp) / "synthetisch", args.parties)
        loaded = load_content(folder)
        if loaded.failed():
            for d in loaded.report.sorted():
                print(d.format(), file=sys.stderr)
            return 2
        times = []
        for _ in range(5):
            start = time.perf_counter()
            load_content(folder)
            times.append(time.perf_counter() - start)
        cli = Path(sys.executable).with_name("convenantgen")
        start = time.perf_counter()
        result = subprocess.run([str(cli), "check", str(folder)], capture_output=True)
        wall = time.perf_counter() - start
    print(f"parties: {args.parties}")
    print(f"check in-process (best of 5): {min(times) * 1000:.0f} ms")
    print(f"convenantgen check (command line, incl. start-up): {wall * 1000:.0f} ms")
    ok = result.returncode == 0 and wall < TARGET_SECONDS
    print(f"target < {TARGET_SECONDS:.0f} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
