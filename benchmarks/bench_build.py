"""Benchmark: the PDF stage of a large synthetic dossier, in batches versus one soffice per file.

The dossier is the Almere example grown to ``--parties`` parties (extra school boards that sign
through their representative) with ``--accessions`` accession requests. It must pass
``load_content`` without errors; its documents are rendered (one consent per current party per
request, so the number of documents grows with both numbers) and made into PDFs as the build
does (:mod:`convenantgen.render.pdf.batches`): composed per kind in batches, converted by
LibreOffice,
split into one PDF per document; then the signing package is joined from the batches. Each
stage's wall and CPU time (children included) is printed.

The baseline is what a simple script does: one ``soffice --convert-to pdf`` call per document,
one after the other, with a warm, reused profile. Running it for thousands of documents takes
too long, so it is measured on ``--sample`` documents spread over the set and extrapolated;
the output says so.

Usage::

    .venv/bin/python benchmarks/bench_build.py [--parties 500] [--accessions 10]
        [--sample 20] [--jobs N]

Exits 1 when a target is missed: DOCX → PDF (batches converted and split) at least 25x faster
than one call per document and under 30 ms per document, the signing package within 60 MB,
and the PDF/A checks passed by a document's PDF and by the package.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from convenantgen.context.dossier import build_context
from convenantgen.errors import ConvenantgenError
from convenantgen.parallel import parallel_map
from convenantgen.read.load import load_content
from convenantgen.render.docx.render import document_jobs, render_job
from convenantgen.render.pdf.batches import convert_batches, plan, split_documents
from convenantgen.render.pdf.convert import PdfMetadata, convert_to_pdf, find_soffice
from convenantgen.render.pdf.package import PackagePart, Signatory, assemble_package
from convenantgen.render.pdf.pdfa import pdfa_problems

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content" / "almere"
TARGET_SPEEDUP = 25.0
TARGET_MS = 30.0
# The signing package of 500 parties and 10 accession requests (issue 13).
TARGET_PACKAGE_MB = 60.0


def write_dossier(folder: Path, parties: int, accessions: int) -> None:
    """The Almere dossier with extra school boards and accession requests."""
    shutil.copytree(EXAMPLE, folder)
    registry = (folder / "partijen.yaml").read_text(encoding="utf-8")
    existing = len(re.findall(r"^  - id: ", registry.split("\nparties:", 1)[1], re.M))
    extra = parties - existing - accessions
    if extra < 0:
        raise SystemExit(f"--parties must be at least {existing + accessions}")
    lines = []
    for i in range(1, extra + 1):
        lines += [
            f"  - id: bench-bestuur-{i:04d}",
            f"    name: Stichting Proefonderwijs {i:04d}",
            "    kind: schoolbestuur",
            "    group: schoolbesturen",
            "    joined: 2024-08-01",
        ]
    entries = []
    for i in range(1, accessions + 1):
        lines += [
            f"  - id: bench-toetreder-{i:02d}",
            f"    name: Stichting Toetreder {i:02d}",
            "    kind: schoolbestuur",
            "    group: schoolbesturen",
            "    place: Almere",
            f"    representative: {{name: T. Toetreder {i:02d}, role: bestuurder}}",
            "    joined: 2025-08-01",
        ]
        entries += [
            f"  - id: bench-toetreding-{i:02d}",
            f"    party: bench-toetreder-{i:02d}",
            "    document: addendum-2024",
            f"    requested: 2025-05-{i:02d}",
            "    effective: 2025-08-01",
            "    status: requested",
        ]
    (folder / "partijen.yaml").write_text(registry + "\n".join(lines) + "\n", encoding="utf-8")
    (folder / "toetredingen.yaml").write_text(
        "kind: accessions\naccessions:\n" + "\n".join(entries) + "\n", encoding="utf-8"
    )


def one_call_each(program: Path, docs: list[Path], out: Path, profile: Path) -> list[float]:
    """Seconds per document when every document gets its own soffice call (warm profile)."""
    command = [
        str(program),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
    ]
    # The first call creates the profile; a script reusing one profile pays that only once.
    subprocess.run([*command, str(docs[0])], capture_output=True, check=True)
    times = []
    for doc in docs:
        start = time.perf_counter()
        subprocess.run([*command, str(doc)], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
        if not (out / f"{doc.stem}.pdf").is_file():
            raise SystemExit(f"baseline produced no PDF for {doc.name}")
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parties", type=int, default=500)
    parser.add_argument("--accessions", type=int, default=10)
    parser.add_argument("--sample", type=int, default=20, help="documents for the baseline")
    parser.add_argument("--jobs", type=int, default=None, help="parallel LibreOffice processes")
    args = parser.parse_args(argv)
    program = find_soffice()
    cores = len(os.sched_getaffinity(0))

    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        write_dossier(work / "content" / "bench", args.parties, args.accessions)
        clock = Clock()
        loaded = load_content(work / "content")
        if loaded.report.errors or len(loaded.dossiers) != 1:
            for d in loaded.report.sorted():
                print(d.format(work / "content"))
            print("bench_build: the synthetic dossier does not pass the checks")
            return 1
        dossier = loaded.dossiers[0]
        ctx = build_context(dossier)
        clock.lap("load, check, context")
        jobs = document_jobs(ctx)
        docx = parallel_map(render_job, jobs, args.jobs)
        n = len(docx)
        clock.lap("render DOCX", n)
        batches = plan([(j.dossier, j.kind, d) for j, d in zip(jobs, docx, strict=True)], ())

        def convert(sources: list[Path], out: Path) -> list[Path]:
            return convert_to_pdf(sources, out, jobs=args.jobs)

        try:
            converted = convert_batches(
                batches, docx, work / "batches", convert, partial(parallel_map, min_items=2)
            )
        except ConvenantgenError as exc:
            print(f"bench_build: {exc}")
            return 1
        t_convert = clock.lap(f"compose + LibreOffice ({len(batches)} batches)", n)
        meta = PdfMetadata(dossier.title, "Benchmark", "Benchmark")
        items = [
            (c, [meta] * len(b.members), [f"{i:032x}" for i in b.members])
            for b, c in zip(batches, converted, strict=True)
        ]
        pdfs = [pdf for group in parallel_map(split_documents, items, args.jobs, min_items=2)
                for pdf in group]  # fmt: skip
        t_split = clock.lap("split into documents", n)
        problems = pdfa_problems(pdfs[-1])

        signatories = {
            person.party_id: Signatory(person.party_id, person.name)
            for agreement in ctx.agreements
            for person in agreement.signatories
        }
        parts = [PackagePart(j.title, d) for j, d in zip(jobs, docx, strict=True)]
        package = assemble_package(converted, parts, meta, list(signatories.values()))
        clock.lap("signing package (joined)", n)
        package_problems = pdfa_problems(package)

        docs = []
        for job, data in list(zip(jobs, docx, strict=True))[:: max(1, n // args.sample)][
            : args.sample
        ]:
            path = work / "single-docx" / f"{job.name}.docx"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            docs.append(path)
        single = one_call_each(program, docs, work / "single", work / "profile")
        per_single = sum(single) / len(single)

    t_batch = t_convert + t_split
    ms_batch = 1000 * t_batch / n
    speedup = per_single * n / t_batch
    print(
        f"dossier: {len(dossier.parties)} parties, {len(dossier.accessions)} accession requests "
        f"→ {n} documents; {cores} cores, {args.jobs or cores} LibreOffice processes"
    )
    clock.report()
    package_mb = len(package) / 1e6
    print(
        f"signing package: {len(parts)} documents, {len(signatories)} signatories, "
        f"{package_mb:.1f} MB (target ≤ {TARGET_PACKAGE_MB:g} MB); PDF/A checks: "
        f"{'; '.join(package_problems) if package_problems else 'all passed'}"
    )
    print(f"a document's PDF: PDF/A checks {'; '.join(problems) if problems else 'all passed'}")
    print()
    print(f"{'DOCX → PDF':36} {'seconds':>9} {'docs/s':>8} {'ms/doc':>8}")
    for label, seconds in (
        ("in batches, split (measured)", t_batch),
        ("one soffice call per document", per_single * n),
    ):
        print(f"{label:36} {seconds:9.1f} {n / seconds:8.2f} {1000 * seconds / n:8.1f}")
    print(
        f"  (one call per document: measured on {len(docs)} of the {n} documents, "
        f"{sum(single):.1f} s, and extrapolated to all {n})"
    )
    print(
        f"speed-up: {speedup:.1f}x (target ≥ {TARGET_SPEEDUP:g}x); "
        f"{ms_batch:.1f} ms per document (target < {TARGET_MS:g} ms)"
    )
    met = (
        speedup >= TARGET_SPEEDUP
        and ms_batch < TARGET_MS
        and package_mb <= TARGET_PACKAGE_MB
        and not package_problems
        and not problems
    )
    print("targets met" if met else "TARGETS MISSED")
    return 0 if met else 1


class Clock:
    """Wall and CPU seconds (this process and its children) per stage."""

    def __init__(self) -> None:
        self.laps: list[tuple[str, float, float, int]] = []
        self.wall, self.cpu = time.perf_counter(), _cpu()

    def lap(self, label: str, documents: int = 0) -> float:
        wall, cpu = time.perf_counter(), _cpu()
        self.laps.append((label, wall - self.wall, cpu - self.cpu, documents))
        self.wall, self.cpu = wall, cpu
        return self.laps[-1][1]

    def report(self) -> None:
        for label, wall, cpu, documents in self.laps:
            per = f"  {1000 * wall / documents:6.1f} ms/document" if documents else ""
            print(f"{label:40} {wall:8.2f} s wall {cpu:8.2f} s CPU{per}")


def _cpu() -> float:
    own, children = os.times(), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.user + own.system + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    sys.exit(main())
