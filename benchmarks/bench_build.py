"""Benchmark: DOCX → PDF for a large synthetic dossier, batched versus one LibreOffice per file.

The dossier is the Almere example grown to ``--parties`` parties (extra school boards that sign
through their representative) with ``--accessions`` accession requests. It must pass
``load_content`` without errors; it is rendered with ``render_docx.render_documents`` (one
consent per current party per request, so the number of documents grows with both numbers)
and converted with ``pdf.convert_to_pdf``.

The baseline is what a simple script does: one ``soffice --convert-to pdf`` call per document,
one after the other, with a warm, reused profile. Running it for thousands of documents takes
too long, so it is measured on ``--sample`` documents spread over the set and extrapolated;
the output says so.

Usage::

    .venv/bin/python benchmarks/bench_build.py [--parties 500] [--accessions 10]
        [--sample 20] [--jobs N] [--limit N]

Exits 1 when the targets are missed: batched at least 12x faster than one call per document
and under 90 ms per document.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from convenantgen.context import build_context
from convenantgen.errors import ConvenantgenError
from convenantgen.package import PackagePart, Signatory, build_signing_package
from convenantgen.pdf import PdfMetadata, convert_to_pdf, find_soffice, normalize_pdf
from convenantgen.pdfa import pdfa_problems
from convenantgen.pipeline import load_content

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content" / "almere"
TARGET_SPEEDUP = 12.0
TARGET_MS = 90.0
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
    parser.add_argument("--limit", type=int, default=None, help="convert only N documents")
    args = parser.parse_args(argv)
    try:
        from convenantgen.render_docx import render_documents
    except ImportError as exc:
        print(f"bench_build: convenantgen.render_docx is not available yet ({exc})")
        return 2
    program = find_soffice()
    cores = len(os.sched_getaffinity(0))

    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        write_dossier(work / "content" / "bench", args.parties, args.accessions)
        start = time.perf_counter()
        loaded = load_content(work / "content")
        if loaded.report.errors or len(loaded.dossiers) != 1:
            for d in loaded.report.sorted():
                print(d.format(work / "content"))
            print("bench_build: the synthetic dossier does not pass the checks")
            return 1
        dossier = loaded.dossiers[0]
        t_load = time.perf_counter() - start

        start = time.perf_counter()
        rendered = render_documents(dossier)
        t_render = time.perf_counter() - start
        if args.limit:
            rendered = rendered[: args.limit]
        src = work / "docx"
        src.mkdir()
        docs = []
        for doc in rendered:
            path = src / f"{doc.name}.docx"
            path.write_bytes(doc.data)
            docs.append(path)
        n = len(docs)

        start = time.perf_counter()
        try:
            pdfs = convert_to_pdf(docs, work / "pdf", jobs=args.jobs)
        except ConvenantgenError as exc:
            print(f"bench_build: {exc}")
            return 1
        t_batch = time.perf_counter() - start

        meta = PdfMetadata(dossier.title, "Benchmark", "Benchmark")
        start = time.perf_counter()
        for pdf in pdfs:
            normalize_pdf(pdf.read_bytes(), meta)
        t_norm = time.perf_counter() - start

        # The signing package as the build makes it: every document, a field per signatory.
        signatories = {
            person.party_id: Signatory(person.party_id, person.name)
            for agreement in build_context(dossier).agreements
            for person in agreement.signatories
        }
        parts = [
            PackagePart(d.title, d.data, pages=len(PdfReader(p).pages))
            for d, p in zip(rendered, pdfs, strict=True)
        ]
        start = time.perf_counter()
        package = build_signing_package(
            parts, title="t", subject="s", author="a", signatories=list(signatories.values())
        )
        t_package = time.perf_counter() - start
        package_problems = pdfa_problems(package)

        step = max(1, n // args.sample)
        sample = docs[::step][: args.sample]
        single = one_call_each(program, sample, work / "single", work / "profile")
        per_single = sum(single) / len(single)

    ms_batch = 1000 * t_batch / n
    speedup = per_single * n / t_batch
    print(
        f"dossier: {len(dossier.parties)} parties, {len(dossier.accessions)} accession requests "
        f"→ {n} documents; {cores} cores, {args.jobs or cores} LibreOffice processes"
    )
    print(f"load + check:            {t_load:8.2f} s")
    print(f"render DOCX:             {t_render:8.2f} s  ({1000 * t_render / n:.1f} ms/document)")
    print(f"normalise PDFs (pypdf):  {t_norm:8.2f} s  ({1000 * t_norm / n:.1f} ms/document)")
    package_mb = len(package) / 1e6
    print(
        f"signing package:         {t_package:8.2f} s  ({len(parts)} documents, "
        f"{len(signatories)} signature fields, {package_mb:.1f} MB, target ≤ "
        f"{TARGET_PACKAGE_MB:g} MB; PDF/A checks: "
        f"{'; '.join(package_problems) if package_problems else 'all passed'})"
    )
    print()
    print(f"{'DOCX → PDF':36} {'seconds':>9} {'docs/s':>8} {'ms/doc':>8}")
    for label, seconds in (
        ("batched convert_to_pdf (measured)", t_batch),
        ("one soffice call per document", per_single * n),
    ):
        print(f"{label:36} {seconds:9.1f} {n / seconds:8.2f} {1000 * seconds / n:8.1f}")
    print(
        f"  (one call per document: measured on {len(sample)} of the {n} documents, "
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
    )
    print("targets met" if met else "TARGETS MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
