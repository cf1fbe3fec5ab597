"""Benchmark: CPU time to render one Word document, on the consents of a large dossier.

The dossier is ``bench_build.write_dossier``'s (default 500 parties, 10 accession requests:
almost 5,000 documents, nearly all one-page consents). Its consents are rendered one after the
other in this process with ``render_docx.render_job``, as a build's worker renders them, and
the CPU time per document is printed next to the baseline: the same documents made the way
docxtpl is used on its own (open the template, render, save, re-zip deterministically: what
``render_job`` did before templates were prepared once per process), on ``--sample`` of them.

The size of a rendered consent is printed too: LibreOffice parses all of its XML.

Usage::

    .venv/bin/python benchmarks/bench_docx.py [--parties 500] [--accessions 10]
        [--count 1000] [--sample 50]

Exits 1 when a consent costs more than 8 ms CPU (the first, which prepares the template, not
counted).
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from convenantgen.context.dossier import build_context
from convenantgen.read.load import load_content
from convenantgen.read.templates import Templates
from convenantgen.render.docx.compose import mark_signature_lines
from convenantgen.render.docx.render import (
    TEMPLATES,
    core_properties,
    document_jobs,
    jinja_env,
    render_job,
)
from convenantgen.render.docx.template import render_with_docxtpl

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_build  # noqa: E402

TARGET_MS = 8.0


def docxtpl_alone(job) -> bytes:
    """One document as plain docxtpl makes it: the whole template opened, rendered, saved."""
    core = core_properties(title=job.title, author=job.author, day=job.day, version=job.version)
    data = Templates().path(TEMPLATES[job.kind]).read_bytes()
    return render_with_docxtpl(data, job.context, jinja_env(), core, mark_signature_lines)


def per_document_ms(render, jobs) -> float:
    start = time.process_time()
    for job in jobs:
        render(job)
    return 1000 * (time.process_time() - start) / len(jobs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parties", type=int, default=500)
    parser.add_argument("--accessions", type=int, default=10)
    parser.add_argument("--count", type=int, default=1000, help="consents rendered")
    parser.add_argument("--sample", type=int, default=50, help="consents for the baseline")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-docx-") as tmp:
        content = Path(tmp) / "content"
        bench_build.write_dossier(content / "bench", args.parties, args.accessions)
        loaded = load_content(content)
        if loaded.report.errors or len(loaded.dossiers) != 1:
            print("bench_docx: the synthetic dossier does not pass the checks")
            return 1
        ctx = build_context(loaded.dossiers[0])

    jobs = [j for j in document_jobs(ctx) if j.kind == "accession-consent"]
    if len(jobs) < 2:
        print("bench_docx: the dossier has no consents")
        return 1
    start = time.process_time()
    first = render_job(jobs[0])
    first_ms = 1000 * (time.process_time() - start)
    rendered = jobs[1 : 1 + args.count]
    fast = per_document_ms(render_job, rendered)
    sample = rendered[:: max(1, len(rendered) // args.sample)][: args.sample]
    baseline = per_document_ms(docxtpl_alone, sample)
    if docxtpl_alone(sample[0]) != render_job(sample[0]):
        print("bench_docx: the baseline and render_job made different bytes")
        return 1
    with zipfile.ZipFile(io.BytesIO(first)) as docx:
        xml = sum(info.file_size for info in docx.infolist())

    met = fast <= TARGET_MS
    print(f"{len(jobs)} consents; one is {len(first) / 1024:.0f} KB ({xml / 1024:.0f} KB unzipped)")
    print(f"  first consent (prepares the template)  {first_ms:7.1f} ms CPU")
    print(
        f"  render_job, {len(rendered)} consents            {fast:7.2f} ms CPU per document"
        f"  target ≤ {TARGET_MS:g} ms: {'met' if met else 'MISSED'}"
    )
    print(
        f"  docxtpl alone, {len(sample)} consents          {baseline:7.2f} ms CPU per document"
        f"  ({baseline / fast:.1f}x slower)"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
