"""Benchmark: splitting a tagged batch PDF into documents, and joining batch PDFs (pdfpages).

The batches are real LibreOffice output: the bundled content's consents (``*instemming*.docx``,
rendered without PDF), repeated to ``--parts`` one-page parts, composed into one Word document
(``compose.compose``) and converted once (``pdf.convert_to_pdf``); that set-up is not timed.
A second batch of ``--join-parts`` parts is what each of the ``--join`` joined PDFs is, as the
PDF stage joins its batches into the signing package.

Timed (CPU seconds of this process):

- split: read the batch, ``pdfpages.split`` at the ``cgpartN`` destinations, and write every
  result with ``pdf.archive_bytes`` and an identifier (one write each);
- join: read ``--join`` copies of the second batch (each parsed anew), ``pdfpages.join`` them
  and write the result with ``pdf.archive_bytes``.

Usage::

    .venv/bin/python benchmarks/bench_pdfpages.py [--parts 400] [--join 50] [--join-parts 100]

Exits 1 when a target is missed: split ≤ 4 s, join ≤ 10 s.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from convenantgen.build.run import BuildOptions, run_build
from convenantgen.render.docx.compose import ComposeInput, compose
from convenantgen.render.pdf import convert as pdf
from convenantgen.render.pdf import pages as pdfpages

ROOT = Path(__file__).resolve().parents[1]
SPLIT_TARGET = 4.0
JOIN_TARGET = 10.0
META = pdf.PdfMetadata(title="Benchmark", subject="pdfpages", author="convenantgen")


def make_batches(work: Path, sizes: list[int]) -> list[tuple[Path, list[str]]]:
    """Batch PDFs of ``sizes`` one-page parts each, with each part's start destination."""
    run_build(ROOT / "content", BuildOptions(out_dir=work / "out", pdf=False, site=False))
    consents = sorted((work / "out").rglob("*instemming*.docx"))
    if not consents:
        sys.exit("no consents in the bundled content")
    docx, marks = [], []
    for size in sizes:
        parts = [ComposeInput(consents[i % len(consents)].read_bytes(), 1) for i in range(size)]
        composed = compose(parts)
        path = work / f"batch-{size}.docx"
        path.write_bytes(composed.docx)
        docx.append(path)
        marks.append(composed.parts)
    return list(zip(pdf.convert_to_pdf(docx, work), marks, strict=True))


def ranges(reader: PdfReader, marks: list[str]) -> list[range]:
    starts = {
        str(n).lstrip("/"): reader.get_destination_page_number(d)
        for n, d in reader.named_destinations.items()
    }
    firsts = [starts[m] for m in marks]
    return [range(a, b) for a, b in zip(firsts, [*firsts[1:], len(reader.pages)], strict=True)]


def bench_split(data: bytes, marks: list[str]) -> tuple[float, int]:
    start = time.process_time()
    reader = PdfReader(io.BytesIO(data))
    written = 0
    for n, writer in enumerate(pdfpages.split(reader, ranges(reader, marks))):
        identifier = hashlib.md5(f"part{n}".encode(), usedforsecurity=False).digest()
        written += len(pdf.archive_bytes(writer, reader, META, identifier))
    return time.process_time() - start, written


def bench_join(data: bytes, copies: int) -> tuple[float, int, int]:
    start = time.process_time()
    readers = [PdfReader(io.BytesIO(data)) for _ in range(copies)]
    writer, _ = pdfpages.join(readers)
    out = pdf.archive_bytes(writer, readers[0], META, bytes(16))
    return time.process_time() - start, len(writer.pages), len(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parts", type=int, default=400)
    parser.add_argument("--join", type=int, default=50)
    parser.add_argument("--join-parts", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        (big, big_marks), (small, _) = make_batches(Path(tmp), [args.parts, args.join_parts])
        big_data, small_data = big.read_bytes(), small.read_bytes()
    split_s, written = bench_split(big_data, big_marks)
    join_s, pages, size = bench_join(small_data, args.join)
    print(
        f"split {args.parts} parts of a {len(big_data) / 1e6:.1f} MB batch and write them: "
        f"{split_s:.2f} s CPU ({1000 * split_s / args.parts:.1f} ms/part, "
        f"{written / 1e6:.1f} MB written; target {SPLIT_TARGET:g} s)"
    )
    print(
        f"join {args.join} batches of {args.join_parts} parts ({pages} pages) and write: "
        f"{join_s:.2f} s CPU ({1000 * join_s / pages:.2f} ms/page, {size / 1e6:.1f} MB; "
        f"target {JOIN_TARGET:g} s)"
    )
    missed = [
        name
        for name, took, target in (("split", split_s, SPLIT_TARGET), ("join", join_s, JOIN_TARGET))
        if took > target
    ]
    if missed:
        print("MISSED:", ", ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
