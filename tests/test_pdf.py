"""DOCX → PDF with real LibreOffice: batching, private profiles, retries, timeouts, bytes.

Failure paths use small shell scripts in place of ``soffice``: one that hangs, one that fails
once and then runs the real LibreOffice, one that logs its arguments. Documents are tiny and
few, so the whole file needs a handful of LibreOffice starts.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader, PdfWriter

from convenantgen.errors import ConversionError, ToolMissing
from convenantgen.render.pdf.convert import (
    PdfMetadata,
    convert_to_pdf,
    find_soffice,
    normalize_pdf,
    pdf_date,
)

REAL_SOFFICE = shutil.which("soffice")
META = PdfMetadata(
    title="Addendum lerarentekort Almere",
    subject="Ondertekening addendum",
    author="Gemeente Almere",
    date=dt.date(2025, 6, 1),
)


def make_docx(path: Path, *paragraphs: str) -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


def make_script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def raw_bytes(value) -> bytes:
    """pypdf reads a hex string as text when it decodes; get the bytes back."""
    return getattr(value, "original_bytes", None) or bytes(value)


def alive(pid: int) -> bool:
    """True if the process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@pytest.fixture
def docs(tmp_path: Path) -> list[Path]:
    src = tmp_path / "src"
    src.mkdir()
    return [
        make_docx(src / "addendum.docx", "Addendum bij het convenant", "Artikel 1 Looptijd"),
        make_docx(src / "verklaring.docx", "Verklaring van toetreding – Stichting Één & Co"),
    ]


@pytest.mark.libreoffice
def test_same_docx_gives_identical_pdf_after_normalising(tmp_path: Path, docs: list[Path]):
    # Two separate runs, one with two parallel processes, one with a single process.
    first = convert_to_pdf(docs, tmp_path / "een", jobs=2)
    second = convert_to_pdf(docs, tmp_path / "twee", jobs=1)

    assert [p.name for p in first] == ["addendum.pdf", "verklaring.pdf"]
    assert [p.parent.name for p in second] == ["twee", "twee"]
    assert sorted(os.listdir(tmp_path / "een")) == ["addendum.pdf", "verklaring.pdf"]
    assert "Addendum bij het convenant" in pdf_text(first[0])
    assert "Stichting Één & Co" in pdf_text(first[1])
    for a, b in zip(first, second, strict=True):
        assert normalize_pdf(a.read_bytes(), META) == normalize_pdf(b.read_bytes(), META)


@pytest.mark.libreoffice
def test_normalised_pdf_has_fixed_dutch_metadata(tmp_path: Path, docs: list[Path]):
    (pdf,) = convert_to_pdf(docs[:1], tmp_path / "out")
    data = normalize_pdf(pdf.read_bytes(), META)

    reader = PdfReader(io.BytesIO(data))
    assert dict(reader.metadata) == {
        "/Title": "Addendum lerarentekort Almere",
        "/Subject": "Ondertekening addendum",
        "/Author": "Gemeente Almere",
        "/Creator": "convenantgen",
        "/Producer": "convenantgen",
        "/CreationDate": "D:20250601000000+00'00'",
        "/ModDate": "D:20250601000000+00'00'",
    }
    assert reader.trailer["/Root"]["/Lang"] == "nl-NL"
    ids = [raw_bytes(i) for i in reader.trailer["/ID"]]
    assert ids[0] == ids[1] and len(ids[0]) == 16 and ids[0] != bytes(16)
    # Another date gives other bytes and another identifier: the /ID follows the content.
    other = normalize_pdf(pdf.read_bytes(), PdfMetadata("t", "s", "a", dt.date(2025, 6, 2)))
    assert raw_bytes(PdfReader(io.BytesIO(other)).trailer["/ID"][0]) != ids[0]
    assert "Addendum bij het convenant" in reader.pages[0].extract_text()
    # The build passes the metadata as a plain mapping.
    assert normalize_pdf(pdf.read_bytes(), vars(META)) == data


@pytest.mark.libreoffice
def test_corrupt_docx_is_retried_once_then_named(tmp_path: Path, docs: list[Path]):
    bad = tmp_path / "src" / "kapot.docx"
    bad.write_bytes(b"PK\x03\x04 this is no zip archive")
    log = tmp_path / "calls.log"
    # A wrapper that records every call and then runs the real LibreOffice.
    wrapper = make_script(
        tmp_path / "soffice-log", f'echo "$@" >> "{log}"\nexec "{REAL_SOFFICE}" "$@"\n'
    )
    out = tmp_path / "out"

    with pytest.raises(ConversionError) as caught:
        convert_to_pdf([docs[0], bad], out, jobs=2, soffice=wrapper)

    message = str(caught.value)
    assert message.startswith(
        "LibreOffice could not convert 1 document to PDF, also not on a second try:"
    )
    assert f"{bad}: no PDF was produced" in message
    assert "source file could not be loaded" in message
    calls = log.read_text().splitlines()
    assert len(calls) == 3  # two batches in parallel, then one retry for the bad file
    assert calls[2].endswith(str(bad)) and str(docs[0]) not in calls[2]
    profiles = {next(a for a in c.split() if a.startswith("-env:UserInstallation=")) for c in calls}
    assert len(profiles) == 3, "every LibreOffice process needs a profile of its own"
    # The good document converted, but nothing is written when the run fails.
    assert os.listdir(out) == []


def test_hanging_libreoffice_is_killed_with_its_children(tmp_path: Path, docs: list[Path]):
    pids = tmp_path / "pids"
    hang = make_script(tmp_path / "soffice-hang", f'echo $$ >> "{pids}"\nsleep 60 &\n')
    hang.write_text(hang.read_text() + f'echo $! >> "{pids}"\nwait\n')

    with pytest.raises(ConversionError) as caught:
        convert_to_pdf(docs[:1], tmp_path / "out", timeout=1, soffice=hang)

    assert str(caught.value) == (
        "LibreOffice could not convert 1 document to PDF, also not on a second try:\n"
        f"  {docs[0]}: no PDF was produced; LibreOffice made no progress for 1 s and was stopped"
    )
    started = [int(p) for p in pids.read_text().split()]
    assert len(started) == 4  # shell and sleep, twice: the first try and the retry
    assert not [pid for pid in started if alive(pid)]


def fake_converter(tmp_path: Path, name: str, per_document: str) -> Path:
    """A stand-in for soffice that logs the documents of each call (a line per call) and
    "converts" each by copying a blank PDF, after running the shell snippet ``per_document``
    (which sees the document as $a)."""
    blank = tmp_path / "blank.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(blank)
    log = tmp_path / f"{name}.log"
    return make_script(
        tmp_path / name,
        'prev=""\nfor a in "$@"; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; done\n'
        'line=""; for a in "$@"; do case "$a" in *.docx) line="$line$(basename "$a") ";; esac\n'
        f'done; echo "$line" >> "{log}"  # one write: calls may run side by side\n'
        'for a in "$@"; do case "$a" in *.docx)\n'
        f"  {per_document}\n"
        f'  cp "{blank}" "$out/$(basename "$a" .docx).pdf"; echo "convert $a";;\n'
        "esac; done\n",
    )


def test_slow_batch_that_keeps_converting_is_not_stopped(tmp_path: Path, docs: list[Path]):
    # 0.6 s per document, 1.8 s for the batch, with a limit of 1 s: the limit is per
    # document, so the batch must finish, in one call.
    slow = fake_converter(tmp_path, "soffice-slow", "sleep 0.6")
    third = make_docx(tmp_path / "src" / "derde.docx", "derde")

    pdfs = convert_to_pdf([*docs, third], tmp_path / "out", jobs=1, timeout=1, soffice=slow)

    assert [p.name for p in pdfs] == ["addendum.pdf", "verklaring.pdf", "derde.pdf"]
    assert (tmp_path / "soffice-slow.log").read_text() == (
        "addendum.docx verklaring.docx derde.docx \n"
    )


def test_crash_is_blamed_on_its_document_only(tmp_path: Path, docs: list[Path]):
    # LibreOffice dies on boem.docx; derde.docx, after it in the same batch, is innocent.
    crash = fake_converter(
        tmp_path, "soffice-crash", '[ "$(basename "$a")" = boem.docx ] && kill -SEGV $$'
    )
    boom = make_docx(tmp_path / "src" / "boem.docx", "boem")
    third = make_docx(tmp_path / "src" / "derde.docx", "derde")

    with pytest.raises(ConversionError) as caught:
        convert_to_pdf([docs[0], boom, third], tmp_path / "out", jobs=1, soffice=crash)

    assert str(caught.value) == (
        "LibreOffice could not convert 1 document to PDF, also not on a second try:\n"
        f"  {boom}: no PDF was produced; LibreOffice stopped with exit code -11"
    )
    # First try: all three in one call; then the suspect alone and the rest in a batch.
    assert (tmp_path / "soffice-crash.log").read_text().splitlines() == [
        "addendum.docx boem.docx derde.docx ",
        "derde.docx ",
        "boem.docx ",
    ]


def test_large_sets_are_split_into_calls_libreoffice_can_take(tmp_path: Path):
    # LibreOffice silently skips arguments beyond about 255; 450 documents need 3 calls.
    fake = fake_converter(tmp_path, "soffice-count", ":")
    src = tmp_path / "many"
    src.mkdir()
    files = []
    for i in range(450):
        (src / f"d{i:03d}.docx").write_bytes(b"")  # the stand-in does not read them
        files.append(src / f"d{i:03d}.docx")

    pdfs = convert_to_pdf(files, tmp_path / "out", jobs=2, soffice=fake)

    assert [p.name for p in pdfs] == [f"d{i:03d}.pdf" for i in range(450)]
    calls = [line.split() for line in (tmp_path / "soffice-count.log").read_text().splitlines()]
    assert sorted(len(c) for c in calls) == [150, 150, 150]
    assert sorted(sum(calls, [])) == [f.name for f in files]


@pytest.mark.libreoffice
def test_failure_on_first_try_is_retried_with_a_fresh_profile(
    tmp_path: Path, docs: list[Path], monkeypatch: pytest.MonkeyPatch
):
    flag = tmp_path / "failed-once"
    log = tmp_path / "calls.log"
    flaky = make_script(
        tmp_path / "soffice-flaky",
        f'echo "$@" >> "{log}"\n'
        f'if [ ! -e "{flag}" ]; then touch "{flag}"; echo "Error: profile locked" >&2; exit 1; fi\n'
        f'exec "{REAL_SOFFICE}" "$@"\n',
    )
    monkeypatch.setenv("CONVENANTGEN_SOFFICE", str(flaky))

    pdfs = convert_to_pdf(docs, tmp_path / "out", jobs=1)

    assert [p.name for p in pdfs] == ["addendum.pdf", "verklaring.pdf"]
    assert "Stichting Één & Co" in pdf_text(pdfs[1])
    calls = log.read_text().splitlines()
    # The failed call, then the rest, then the document it was busy with, alone.
    assert [c.rsplit("/", 1)[1] for c in calls] == [
        "verklaring.docx",
        "verklaring.docx",
        "addendum.docx",
    ]
    assert calls[0].split()[-2:] == [str(docs[0]), str(docs[1])]
    profiles = {c.split()[0] for c in calls}
    assert len(profiles) == 3
    assert all(p.startswith("-env:UserInstallation=file:///") for p in profiles)


def test_missing_libreoffice_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("CONVENANTGEN_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolMissing) as caught:
        find_soffice()
    assert "apt-get install" in str(caught.value)
    assert "libreoffice" in str(caught.value)

    monkeypatch.setenv("CONVENANTGEN_SOFFICE", str(tmp_path / "geen-soffice"))
    with pytest.raises(ToolMissing) as caught:
        convert_to_pdf([make_docx(tmp_path / "x.docx", "x")], tmp_path)
    assert str(caught.value) == (
        f"LibreOffice program '{tmp_path / 'geen-soffice'}' (from CONVENANTGEN_SOFFICE) "
        "does not exist or is not executable"
    )


def test_bad_input_lists_are_refused_before_libreoffice_starts(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = make_docx(tmp_path / "a" / "brief.docx", "een")
    two = make_docx(tmp_path / "b" / "brief.docx", "twee")
    never = tmp_path / "never-called"  # would fail with ToolMissing if it were looked up

    with pytest.raises(ConversionError, match="documents would overwrite each other's PDF"):
        convert_to_pdf([one, two], tmp_path / "out", soffice=never)
    with pytest.raises(ConversionError) as caught:
        convert_to_pdf([one, tmp_path / "weg.docx"], tmp_path / "out", soffice=never)
    assert str(caught.value) == f"cannot convert to PDF, file not found: {tmp_path / 'weg.docx'}"
    assert convert_to_pdf([], tmp_path / "out", soffice=never) == []


def test_normalize_refuses_bytes_that_are_no_pdf():
    with pytest.raises(ConversionError, match="cannot read the PDF to normalise it"):
        normalize_pdf(b"dit is geen pdf", META)


def test_pdf_date_never_uses_the_clock(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    assert pdf_date(None) == "D:20250101000000+00'00'"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert pdf_date(None) == "D:20000101000000+00'00'"
    tz = dt.timezone(dt.timedelta(hours=2))
    assert pdf_date(dt.datetime(2025, 6, 1, 12, 30, tzinfo=tz)) == "D:20250601103000+00'00'"
