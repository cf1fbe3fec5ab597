"""Stage "pdf": DOCX → PDF with headless LibreOffice, and reproducible PDF bytes.

``convert_to_pdf`` hands LibreOffice many documents per call (each start costs about a second)
and runs a few calls side by side. Every call gets its own throw-away user profile: two
LibreOffice processes that share a profile fail silently (exit 1, no PDF). LibreOffice's exit
code says little, so each expected PDF is checked; documents that failed get one more try with a
fresh profile before the run stops with :class:`ConversionError`.

``normalize_pdf`` rewrites a PDF through pypdf with fixed metadata and a file identifier taken
from a hash of the content, so the same DOCX gives the same PDF bytes on every run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import selectors
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)

from ...errors import ConversionError, ToolMissing
from .accessible import is_tagged, repair
from .streams import unambiguous_stream_ends

SOFFICE_ENV = "CONVENANTGEN_SOFFICE"
INSTALL_HINT = (
    "sudo apt-get install --no-install-recommends libreoffice-writer-nogui "
    "fonts-crosextra-carlito fonts-crosextra-caladea"
)
PRODUCER = "convenantgen"
# LibreOffice 7.4 silently ignores command-line arguments beyond about 255 (exit code 0, no
# PDF for the rest), so a call gets at most this many documents.
MAX_BATCH = 200
# Documents listed by name in an error message; the rest are counted.
MAX_LISTED = 20
# LibreOffice's PDF export options (the content cache keys on them). PDF/A-2b (archival: fonts
# embedded, sRGB output intent, XMP identification), tagged, so the structure (headings, lists,
# tables) stays available to screen readers, and Word bookmarks become named destinations (the
# signing package finds its parts and signature lines by them).
EXPORT_OPTIONS: dict[str, tuple[str, str]] = {
    "SelectPdfVersion": ("long", "2"),
    "UseTaggedPDF": ("boolean", "true"),
    "EmbedStandardFonts": ("boolean", "true"),
    "ExportBookmarksToPDFDestination": ("boolean", "true"),
}
EXPORT_FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {name: {"type": kind, "value": value} for name, (kind, value) in EXPORT_OPTIONS.items()},
    separators=(",", ":"),
)
# Used when neither the caller nor SOURCE_DATE_EPOCH gives a date: fixed, never "now".
FALLBACK_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def find_soffice(soffice: str | Path | None = None) -> Path:
    """The LibreOffice program: ``soffice`` if given, else $CONVENANTGEN_SOFFICE, else PATH."""
    wanted = soffice or os.environ.get(SOFFICE_ENV)
    if wanted:
        found = shutil.which(str(wanted))
        if found is None:
            raise ToolMissing(
                f"LibreOffice program '{wanted}' (from "
                f"{'the soffice option' if soffice else SOFFICE_ENV}) does not exist or is "
                "not executable"
            )
        return Path(found)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    raise ToolMissing(
        "LibreOffice is needed to make PDFs, but 'soffice' is not on the PATH. "
        f"Install it with: {INSTALL_HINT} "
        f"(or set {SOFFICE_ENV} to the soffice program)"
    )


@dataclass(frozen=True)
class _Outcome:
    """What one LibreOffice call did: PDFs that are fine, and why the others are missing."""

    done: dict[Path, Path]  # docx → staged pdf
    failed: dict[Path, str]  # docx → reason
    # The document a crashed or hung process was busy with (the first one missing, as
    # LibreOffice works in argument order); retried alone so it cannot take others down again.
    suspects: frozenset[Path] = frozenset()


def convert_to_pdf(
    docx_files: Sequence[Path],
    out_dir: Path,
    *,
    jobs: int | None = None,
    timeout: float = 120,
    soffice: str | Path | None = None,
    while_waiting: Callable[[], None] | None = None,
    profile_seed: Path | None = None,
    keep_profile: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Convert DOCX files to ``out_dir/<stem>.pdf``; returns the PDFs in input order.

    ``while_waiting`` is called once while the first LibreOffice processes run: other work
    that need not wait for them. ``profile_seed`` is a folder for a user profile that
    LibreOffice made on an earlier call (for this program's version): each process starts
    from a copy of it instead of making its profile from nothing (a third of a small batch's
    time); a call that finds it missing hands its profile to ``keep_profile`` (which copies
    it: the profile is removed afterwards).

    The files are split into ``jobs`` batches (default: the number of CPU cores; more batches
    if one would hold over ``MAX_BATCH`` documents), one LibreOffice process per batch, at
    most ``jobs`` at a time. ``timeout`` is how many seconds a process
    may go without finishing a document (start-up included) before it counts as hung and is
    killed with its children; a large batch may take longer than that in total. Failed
    documents are tried once more; if they fail again, :class:`ConversionError` names them.
    PDFs are moved into ``out_dir`` only after they were checked. Existing PDFs of the same
    name are replaced.
    """
    files = [Path(f) for f in docx_files]
    if not files:
        return []
    _check_inputs(files)
    program = find_soffice(soffice)
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(jobs or _cores(), len(files)))
    with tempfile.TemporaryDirectory(prefix=".convenantgen-pdf-", dir=out_dir) as staging:
        stage = Path(staging)
        seed = _Seed(profile_seed, keep_profile) if profile_seed is not None else None
        outcome = _run_batches(
            program, _batches(files, workers), stage / "try1", workers, timeout, while_waiting, seed
        )
        if outcome.failed:
            rest = [f for f in files if f in outcome.failed and f not in outcome.suspects]
            alone = [[f] for f in files if f in outcome.suspects]
            batches = _batches(rest, workers) + alone
            # The second try starts from nothing: a damaged seed may have been the cause.
            second = _run_batches(program, batches, stage / "try2", workers, timeout)
            outcome = _Outcome({**outcome.done, **second.done}, second.failed)
        if outcome.failed:
            raise ConversionError(_failure_message(outcome.failed))
        results = []
        for docx in files:
            target = out_dir / f"{docx.stem}.pdf"
            os.replace(outcome.done[docx], target)  # same file system: staging is in out_dir
            results.append(target)
    return results


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _check_inputs(files: list[Path]) -> None:
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise ConversionError(f"cannot convert to PDF, file not found: {', '.join(missing)}")
    by_stem: dict[str, list[Path]] = {}
    for f in files:
        by_stem.setdefault(f.stem, []).append(f)
    clashes = [paths for paths in by_stem.values() if len(paths) > 1]
    if clashes:
        names = "; ".join(" and ".join(str(p) for p in paths) for paths in clashes)
        raise ConversionError(f"documents would overwrite each other's PDF: {names}")


def _batches(files: list[Path], workers: int) -> list[list[Path]]:
    """One batch per worker, more if a batch would exceed ``MAX_BATCH``; dealt round-robin so
    that long and short documents (which come in runs of one kind) spread evenly."""
    count = max(workers, -(-len(files) // MAX_BATCH))
    return [files[i::count] for i in range(count) if files[i::count]]


def _run_batches(
    program: Path,
    batches: list[list[Path]],
    stage: Path,
    workers: int,
    timeout: float,
    while_waiting: Callable[[], None] | None = None,
    seed: _Seed | None = None,
) -> _Outcome:
    if not batches:
        if while_waiting is not None:
            while_waiting()
        return _Outcome({}, {})
    with ThreadPoolExecutor(max_workers=min(workers, len(batches))) as pool:
        try:
            running = pool.map(
                lambda ib: _convert_batch(program, ib[1], stage / f"batch{ib[0]}", timeout, seed),
                enumerate(batches),
            )
            if while_waiting is not None:
                while_waiting()
            outcomes = list(running)
        except BaseException:
            # Interrupted (Ctrl+C, SIGTERM): no LibreOffice outlives the build.
            with _LOCK:
                for proc in list(_RUNNING):
                    _kill_group(proc)
            raise
    done: dict[Path, Path] = {}
    failed: dict[Path, str] = {}
    suspects: set[Path] = set()
    for outcome in outcomes:
        done.update(outcome.done)
        failed.update(outcome.failed)
        suspects |= outcome.suspects
    return _Outcome(done, failed, frozenset(suspects))


def _convert_batch(
    program: Path, files: list[Path], work: Path, timeout: float, seed: _Seed | None = None
) -> _Outcome:
    """One LibreOffice process with a private throw-away profile (a copy of ``seed`` when
    there is one), converting ``files`` into ``work``."""
    out = work / "out"
    profile = work / "profile"
    out.mkdir(parents=True)
    seeded = seed is not None and seed.copy_to(profile)
    try:
        outcome = _run_soffice(program, files, out, profile, timeout)
        if seed is not None and not seeded and not outcome.failed:
            seed.keep(profile)
        return outcome
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _links(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if os.path.islink(os.path.join(folder, n))]


class _Seed:
    """A user profile LibreOffice made, kept to start the next processes from."""

    def __init__(self, folder: Path, keep: Callable[[Path], None] | None = None) -> None:
        self.folder = Path(folder)
        self._keep = keep

    def copy_to(self, profile: Path) -> bool:
        if self.folder.is_symlink() or not (self.folder / "user").is_dir():
            return False
        try:
            # Links are left out: a profile made by LibreOffice has none, and one planted in
            # the cache must not let LibreOffice write outside its profile.
            shutil.copytree(self.folder, profile, ignore=_links)
        except (OSError, shutil.Error):
            shutil.rmtree(profile, ignore_errors=True)
            return False  # a seed half removed by eviction: this process makes its own
        with contextlib.suppress(OSError):
            os.utime(self.folder)  # recently used: evicted last (convenantgen.cache)
        return True

    def keep(self, profile: Path) -> None:
        """Hand ``profile`` on to be kept, unless there is a seed already."""
        if self._keep is not None and not self.folder.exists():
            # A cache that cannot be written: the next build makes its profile again.
            with contextlib.suppress(OSError, shutil.Error):
                self._keep(profile)


def _run_soffice(
    program: Path, files: list[Path], out: Path, profile: Path, timeout: float
) -> _Outcome:
    command = [
        str(program),
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--convert-to",
        EXPORT_FILTER,
        "--outdir",
        str(out),
        *(str(f.resolve()) for f in files),
    ]
    try:
        # A session of its own, so a hang can be ended for the whole process group
        # (soffice is a wrapper script around oosplash and soffice.bin).
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        return _Outcome({}, {f: f"LibreOffice could not be started: {exc}" for f in files})
    with _LOCK:
        _RUNNING.add(proc)
    try:
        output, finished = _watch(proc, timeout, out, len(files))
    finally:
        with _LOCK:
            _RUNNING.discard(proc)
    if not finished:
        problem = f"LibreOffice made no progress for {timeout:g} s and was stopped"
    elif proc.returncode != 0:
        problem = f"LibreOffice stopped with exit code {proc.returncode}"
    else:
        problem = ""
    said = _errors_in(output)
    done: dict[Path, Path] = {}
    failed: dict[Path, str] = {}
    for docx in files:
        pdf = out / f"{docx.stem}.pdf"
        invalid = _invalid_pdf(pdf)
        if invalid is None:
            done[docx] = pdf
        else:
            failed[docx] = "; ".join(x for x in (invalid, problem, said) if x)
    suspect = next((f for f in files if f in failed), None) if problem else None
    return _Outcome(done, failed, frozenset([suspect] if suspect else []))


# LibreOffice processes running now, so an interrupted build can end them all.
_RUNNING: set[subprocess.Popen] = set()
_LOCK = threading.Lock()

# What is kept of LibreOffice's output (for error messages); a process that prints without
# end must not fill the memory.
MAX_OUTPUT = 1 << 20


def _watch(proc: subprocess.Popen, timeout: float, out: Path, documents: int) -> tuple[bytes, bool]:
    """Collect the output of ``proc``; kill its process group when it hangs.

    Progress is a new PDF in ``out``, not output: a LibreOffice that keeps printing but
    converts nothing is stopped like a silent one. A batch may take long, but never
    ``timeout`` seconds without finishing a document, and never more than ``timeout`` per
    document in all (a wall-clock limit, whatever the process prints).
    """
    output = bytearray()
    start = time.monotonic()
    hard_deadline = start + timeout * max(1, documents)
    deadline = start + timeout
    made = 0
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while True:
            now = time.monotonic()
            count = sum(1 for _ in out.glob("*.pdf"))
            if count > made:
                made, deadline = count, now + timeout
            left = min(deadline, hard_deadline) - now
            if left <= 0:
                _kill_group(proc)
                proc.wait()
                proc.stdout.close()
                return bytes(output), False
            if not selector.select(min(left, 0.25)):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:  # every process of the group closed its output: done
                break
            if len(output) < MAX_OUTPUT:
                output += chunk[: MAX_OUTPUT - len(output)]
    proc.stdout.close()
    try:
        proc.wait(timeout=max(0.1, min(deadline, hard_deadline) - time.monotonic()))
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.wait()
        return bytes(output), False
    return bytes(output), True


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(proc.pid, signal.SIGKILL)


def _errors_in(output: bytes) -> str:
    """LibreOffice's own error lines (it also prints harmless warnings, e.g. about Java)."""
    lines = output.decode("utf-8", "replace").splitlines()
    errors = [line.strip() for line in lines if line.strip().lower().startswith("error")]
    return f"LibreOffice said: {' / '.join(dict.fromkeys(errors))}" if errors else ""


def _invalid_pdf(path: Path) -> str | None:
    """``None`` for a readable PDF with pages, else why not."""
    if not path.is_file():
        return "no PDF was produced"
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        return "the PDF is incomplete"
    try:
        if len(PdfReader(io.BytesIO(data)).pages) == 0:
            return "the PDF has no pages"
    except (PyPdfError, ValueError, KeyError) as exc:
        return f"the PDF cannot be read ({exc})"
    return None


def _failure_message(failed: dict[Path, str]) -> str:
    count = len(failed)
    head = (
        f"LibreOffice could not convert {count} document{'s' if count > 1 else ''} to PDF, "
        "also not on a second try:"
    )
    lines = [f"  {docx}: {reason}" for docx, reason in sorted(failed.items())[:MAX_LISTED]]
    if count > MAX_LISTED:
        lines.append(f"  and {count - MAX_LISTED} more")
    return "\n".join([head, *lines])


# ---------------------------------------------------------------------------------------------
# Reproducible bytes


@dataclass(frozen=True)
class PdfMetadata:
    """Document information written into every PDF; Dutch texts, ``author`` is the penvoerder.

    ``date`` becomes both CreationDate and ModDate. Pass a date taken from the content (for
    example the signing date); without one, $SOURCE_DATE_EPOCH or a fixed date is used, never
    the current time.
    """

    title: str
    subject: str
    author: str
    date: dt.date | dt.datetime | None = None
    keywords: str | None = None
    lang: str = "nl-NL"


def pdf_date(day: dt.date | dt.datetime | None) -> str:
    """PDF date string in UTC (``D:20250601000000+00'00'``)."""
    if day is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch.isdigit() else None
        moment = moment or FALLBACK_DATE
    elif isinstance(day, dt.datetime):
        moment = day if day.tzinfo else day.replace(tzinfo=dt.UTC)
    else:
        moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def apply_metadata(writer: PdfWriter, metadata: PdfMetadata, *, info_producer: bool = True) -> None:
    """Replace document information, language and XMP of ``writer`` by ``metadata``.

    The Info dictionary and the XMP packet say the same (PDF/A requires it); the PDF/A
    identification of the input's XMP (part and conformance, as LibreOffice wrote them) is kept,
    and claimed only when the input made it. ``info_producer=False`` leaves /Producer out of
    Info (XMP keeps it): a signing package, whose signer rewrites both (see
    ``authoring/stamp.py``).
    """
    stamp = pdf_date(metadata.date)
    info = {
        "/Title": metadata.title,
        "/Subject": metadata.subject,
        "/Author": metadata.author,
        "/Creator": PRODUCER,
        "/Producer": PRODUCER,
        "/CreationDate": stamp,
        "/ModDate": stamp,
    }
    if metadata.keywords:
        info["/Keywords"] = metadata.keywords
    if not info_producer:
        del info["/Producer"]
    writer.metadata = info
    root = writer.root_object
    stream = DecodedStreamObject()
    stream.set_data(xmp_packet(metadata, pdfa_identification(root), ua=is_tagged(writer)))
    # Uncompressed, as PDF/A wants it: the packet stays readable to tools that scan for it.
    stream.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )
    old = root.get("/Metadata")
    if isinstance(old, IndirectObject) and old.pdf is writer:
        # In place: pypdf writes every object it holds, so a replaced packet would stay in the
        # file, with LibreOffice's dates in it.
        writer._replace_object(old, stream)
    else:
        root[NameObject("/Metadata")] = writer._add_object(stream)
    root[NameObject("/Lang")] = TextStringObject(metadata.lang)
    # Ask viewers to show the title rather than the file name.
    prefs = root.get("/ViewerPreferences")
    prefs = prefs.get_object() if prefs is not None else None
    if prefs is None:
        prefs = DictionaryObject()
        root[NameObject("/ViewerPreferences")] = writer._add_object(prefs)
    prefs[NameObject("/DisplayDocTitle")] = BooleanObject(True)


_PDFAID = "http://www.aiim.org/pdfa/ns/id/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def pdfa_identification(root: DictionaryObject) -> tuple[str, str] | None:
    """``(part, conformance)`` from the XMP of a document catalog, e.g. ``("2", "B")``."""
    ref = root.get("/Metadata")
    if ref is None:
        return None
    try:
        tree = ElementTree.fromstring(ref.get_object().get_data())
    except (ElementTree.ParseError, PyPdfError, ValueError):
        return None
    for description in tree.iter(f"{{{_RDF}}}Description"):
        # Either as elements or, equally valid XMP, as attributes of the description.
        part = description.findtext(f"{{{_PDFAID}}}part") or description.get(f"{{{_PDFAID}}}part")
        level = description.findtext(f"{{{_PDFAID}}}conformance") or description.get(
            f"{{{_PDFAID}}}conformance"
        )
        if part:
            return part.strip(), (level or "").strip()
    return None


def xmp_date(stamp: str) -> str:
    """The XMP form of a PDF date from :func:`pdf_date` (``2025-06-01T00:00:00+00:00``)."""
    moment = dt.datetime.strptime(stamp[2:16], "%Y%m%d%H%M%S")
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def xmp_packet(metadata: PdfMetadata, pdfa: tuple[str, str] | None, *, ua: bool = False) -> bytes:
    """An XMP packet that mirrors the Info dictionary :func:`apply_metadata` writes; ``ua``:
    it also claims PDF/UA-1 (a tagged document, see :mod:`.accessible`), with the extension
    schema PDF/A asks for a property outside its predefined schemas."""
    when = xmp_date(pdf_date(metadata.date))

    def alt(value: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt>'

    def one(kind: str, value: str) -> str:
        return f"<rdf:{kind}><rdf:li>{escape(value)}</rdf:li></rdf:{kind}>"

    lines = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        f' <rdf:RDF xmlns:rdf="{_RDF}">',
    ]
    if pdfa:
        lines += [
            f'  <rdf:Description rdf:about="" xmlns:pdfaid="{_PDFAID}">',
            f"   <pdfaid:part>{escape(pdfa[0])}</pdfaid:part>",
            *(
                [f"   <pdfaid:conformance>{escape(pdfa[1])}</pdfaid:conformance>"]
                if pdfa[1]
                else []
            ),
            "  </rdf:Description>",
        ]
    if ua:
        lines += _UA_IDENTIFICATION if pdfa else _UA_IDENTIFICATION[-3:]
    lines += [
        '  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "   <dc:format>application/pdf</dc:format>",
        f"   <dc:title>{alt(metadata.title)}</dc:title>",
        f"   <dc:description>{alt(metadata.subject)}</dc:description>",
        f"   <dc:creator>{one('Seq', metadata.author)}</dc:creator>",
        f"   <dc:language>{one('Bag', metadata.lang)}</dc:language>",
        "  </rdf:Description>",
        '  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
        f"   <pdf:Producer>{PRODUCER}</pdf:Producer>",
        *(
            [f"   <pdf:Keywords>{escape(metadata.keywords)}</pdf:Keywords>"]
            if metadata.keywords
            else []
        ),
        "  </rdf:Description>",
        '  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
        f"   <xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool>",
        f"   <xmp:CreateDate>{when}</xmp:CreateDate>",
        f"   <xmp:ModifyDate>{when}</xmp:ModifyDate>",
        f"   <xmp:MetadataDate>{when}</xmp:MetadataDate>",
        "  </rdf:Description>",
        " </rdf:RDF>",
        "</x:xmpmeta>",
        '<?xpacket end="w"?>',
    ]
    return "\n".join(lines).encode("utf-8")


_PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
# PDF/UA identification (ISO 14289-1, 5) and, for PDF/A (ISO 19005-2, 6.6.2.3.1), the
# extension schema that declares its one property.
_UA_IDENTIFICATION = [
    '  <rdf:Description rdf:about=""',
    '    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"',
    '    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"',
    '    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">',
    '   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">',
    f"    <pdfaSchema:namespaceURI>{_PDFUAID}</pdfaSchema:namespaceURI>",
    "    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>",
    "    <pdfaSchema:schema>PDF/UA identification schema</pdfaSchema:schema>",
    '    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">',
    "     <pdfaProperty:name>part</pdfaProperty:name>",
    "     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>",
    "     <pdfaProperty:category>internal</pdfaProperty:category>",
    "     <pdfaProperty:description>PDF/UA version identifier</pdfaProperty:description>",
    "    </rdf:li></rdf:Seq></pdfaSchema:property>",
    "   </rdf:li></rdf:Bag></pdfaExtension:schemas>",
    "  </rdf:Description>",
    f'  <rdf:Description rdf:about="" xmlns:pdfuaid="{_PDFUAID}">',
    "   <pdfuaid:part>1</pdfuaid:part>",
    "  </rdf:Description>",
]


def write_deterministic(writer: PdfWriter, identifier: bytes | None = None) -> bytes:
    """Serialise ``writer`` with a file identifier that is a hash of the content.

    pypdf keeps the identifier it copied (LibreOffice's random one) or writes none; a PDF
    should have one, so it is written twice: first with a zero identifier, then with the MD5
    of that first result (the identifier has a fixed length, so nothing else moves). A caller
    that already has a hash of what the PDF is made from passes it as ``identifier`` (16 bytes,
    like an MD5), and the PDF is written once.
    """
    if identifier is not None:
        given = ByteStringObject(identifier)
        writer._ID = ArrayObject([given, given])
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    zero = ByteStringObject(bytes(16))
    writer._ID = ArrayObject([zero, zero])  # no public setter in pypdf
    first = io.BytesIO()
    writer.write(first)
    digest = ByteStringObject(hashlib.md5(first.getvalue(), usedforsecurity=False).digest())
    writer._ID = ArrayObject([digest, digest])
    final = io.BytesIO()
    writer.write(final)
    return final.getvalue()


def normalize_pdf(data: bytes, metadata: PdfMetadata | Mapping[str, Any]) -> bytes:
    """The same PDF with fixed metadata, Dutch language tag and a content-derived /ID.

    ``metadata`` is a :class:`PdfMetadata` or a mapping with its field names (title, subject,
    author, date, ...). Two LibreOffice conversions of one DOCX differ only in dates and
    identifiers; after this they are byte-identical.
    """
    if isinstance(metadata, Mapping):
        metadata = PdfMetadata(**metadata)
    try:
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter(clone_from=reader)
    except (PyPdfError, ValueError, KeyError) as exc:
        raise ConversionError(f"cannot read the PDF to normalise it: {exc}") from exc
    return archive_bytes(writer, reader, metadata)


def archive_bytes(
    writer: PdfWriter,
    reader: PdfReader,
    metadata: PdfMetadata,
    identifier: bytes | None = None,
    *,
    info_producer: bool = True,
) -> bytes:
    """The bytes of ``writer`` (a clone of ``reader``) with ``metadata``, reproducible, and with
    the reader's PDF/A parts kept: version, identification, output intent, tags. ``identifier``:
    see :func:`write_deterministic`; ``info_producer``: see :func:`apply_metadata`."""
    writer.pdf_header = reader.pdf_header  # pypdf would write 1.3; LibreOffice's PDF/A is 1.6
    repair(writer)  # PDF/UA: role map, tab order (see accessible.py)
    apply_metadata(writer, metadata, info_producer=info_producer)
    fix_output_profiles(writer)
    unambiguous_stream_ends(writer)  # PDF/A: no stream data ending in CR before "endstream"
    return write_deterministic(writer, identifier)


# The date stamped into an ICC profile's header (bytes 24–35: year, month, day, hours, minutes,
# seconds). LibreOffice makes the sRGB profile of the output intent anew for every PDF and
# stamps it with the current time; the profile ID (bytes 84–99) is zero, so nothing else
# depends on the date.
ICC_DATE = struct.pack(">6H", 2000, 1, 1, 0, 0, 0)


def fix_output_profiles(writer: PdfWriter) -> None:
    """Give the ICC profiles of the output intents a fixed creation date."""
    for intent in writer.root_object.get("/OutputIntents") or []:
        ref = intent.get_object().get("/DestOutputProfile")
        if ref is None:
            continue
        profile = ref.get_object()
        data = profile.get_data()
        if len(data) >= 128 and data[36:40] == b"acsp" and data[24:36] != ICC_DATE:
            profile.set_data(data[:24] + ICC_DATE + data[36:])
