"""The build's PDF stage: the rendered Word documents made into PDF/A in batches through the
cache, split into one PDF per document, and joined into one signing package per signing act.

:func:`write_pdfs` is the stage; :func:`packages_of` and the key functions say what a batch
and a package depend on, so a build and ``serve``'s downloads look up the same cache entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NamedTuple

from ..cache import (
    Cache,
    engine_fingerprint,
    libreoffice_version,
)
from ..context.dossier import DossierContext
from ..context.packages import PackageContext
from ..fingerprint import digest
from ..parallel import parallel_map
from ..progress import Progress
from ..read.load import Loaded
from ..render.docx.template import document_properties
from ..render.pdf.batches import (
    Converted,
    convert_batches,
    first_numbers,
    plan,
    split_documents,
)
from ..render.pdf.convert import EXPORT_FILTER, PdfMetadata, convert_to_pdf, find_soffice
from ..render.pdf.package import PackagePart, Signatory, assemble_package
from ..render.pdf.pages import prepare as prepare_reader
from .options import BuildOptions
from .staging import StagingArea

# Documents split per round of the worker pool: bounds the PDFs held in memory at once.


# Documents split per round of the worker pool: bounds the PDFs held in memory at once.
SPLIT_DOCUMENTS = 2000


# Fewer documents to convert than this go to one LibreOffice process (see write_pdfs).
ONE_PROCESS = 30


@dataclass(frozen=True)
class Rendered:
    dossier: str
    kind: str
    name: str
    title: str
    docx: bytes
    act: str = ""  # the signing act whose package holds it ("": not signed)
    continues: bool = False  # goes on from the document before it (see DocumentJob)


def write_pdfs(
    staging: StagingArea,
    loaded: Loaded,
    contexts: list[DossierContext],
    rendered: list[Rendered],
    options: BuildOptions,
    progress: Progress,
    cache: Cache | None,
    meanwhile: Callable[[list[Planned]], None],
) -> None:
    """Every document's PDF and each signing act's package, from batches (see
    :mod:`.batches`): from the cache what did not change, the rest converted and split.
    ``meanwhile`` is other work, done while LibreOffice runs (or first, when it need not); it
    is told the files that will be written."""

    salt = pdf_salt(cache)
    batches = plan(
        [(d.dossier, d.kind, d.docx) for d in rendered],
        salt,
        acts=[d.act for d in rendered],
        continues=[d.continues for d in rendered],
    )
    metadata = metadata_of(loaded, rendered)
    ids = pdf_ids(batches, metadata)
    keys = pdf_keys(batches, ids)
    found = {i: cache.get("pdf", keys[i]) for i in keys} if cache is not None else {}
    pdfs = {i: data for i, data in found.items() if data is not None}
    packages = packages_of(loaded, contexts, rendered, batches)
    for package in packages:
        package.data = cache.get("package", package.key) if cache is not None else None
    planned = [_pdf_file(doc) for doc in rendered] + [_package_file(p) for p in packages]
    # The batches whose PDF is needed: for a document not in the cache, or for a package.
    wanted = sorted(
        {n for n, b in enumerate(batches) if any(i not in pdfs for i in b.members)}
        | {n for package in packages if package.data is None for n in package.batches}
    )
    converted: dict[int, Converted] = {}
    for n in wanted:
        entry = cache.get("batch", batches[n].key) if cache is not None else None
        if entry is not None and (hit := Converted.unpack(entry)) is not None:
            converted[n] = hit
    todo = [n for n in wanted if n not in converted]
    progress.step("pdf", 0, len(todo), f"LibreOffice ({len(rendered) - len(pdfs)} documents)")
    if todo:
        # The timeout is per document: a batch gets a second more per further document.
        limit = options.timeout + max(len(batches[n].members) for n in todo) - 1

        def while_converting() -> None:
            # While LibreOffice works: the other work, and reading the batches the packages
            # take from the cache.
            meanwhile(planned)
            for package in packages:
                for n in package.batches:
                    if package.data is None and n in converted:
                        prepare_reader(converted[n].reader)

        waiting = [while_converting]

        # Below ONE_PROCESS documents one LibreOffice is quicker than several: each start costs
        # about as much CPU as converting thirty documents.
        few = sum(len(batches[n].members) for n in todo) < ONE_PROCESS

        seed = _profile_seed(cache, salt)
        # Kept with the build's other new entries: in the cache only once the build succeeded.
        keep = partial(cache.put_folder, _PROFILES, seed.name) if seed is not None else None

        def convert(sources: list[Path], out: Path) -> list[Path]:
            hook = waiting.pop() if waiting else None
            return convert_to_pdf(
                sources,
                out,
                jobs=1 if few else options.jobs,
                timeout=limit,
                while_waiting=hook,
                profile_seed=seed,
                keep_profile=keep,
            )

        made = convert_batches(
            [batches[n] for n in todo],
            [d.docx for d in rendered],
            staging.work / "pdf",
            convert,
            partial(parallel_map, workers=options.jobs, min_items=2),
        )
        for n, result in zip(todo, made, strict=True):
            converted[n] = result
            if cache is not None:
                cache.put("batch", batches[n].key, result.pack())
    else:
        meanwhile(planned)

    def assemble() -> None:
        for step, package in enumerate(packages, start=1):
            progress.step("package", step, len(packages), f"{package.dossier}/{package.act}")
            if package.data is None:
                package.data = assemble_package(
                    [converted[n] for n in package.batches], **package.settings
                )
                if cache is not None:
                    cache.put("package", package.key, package.data)

    # The packages are joined in this process while the workers split the batches.
    split_pdfs(batches, converted, pdfs, metadata, ids, keys, options, progress, cache, assemble)
    for i, doc in enumerate(rendered):
        write_pdf(staging, doc, pdfs.pop(i))
    for package in packages:
        write_package(staging, package, package.data)


class Planned(NamedTuple):
    """A file :func:`write_pdfs` will write, known before LibreOffice made it."""

    dossier: str
    kind: str
    path: str
    title: str


def _pdf_file(doc: Rendered) -> Planned:
    return Planned(doc.dossier, f"{doc.kind}-pdf", f"{doc.dossier}/{doc.name}.pdf", doc.title)


def _package_file(package: Package) -> Planned:
    title = package.settings["metadata"].title
    return Planned(
        package.dossier, "signing-package", f"{package.dossier}/{package.stem}.pdf", title
    )


def _write(staging: StagingArea, file: Planned, data: bytes) -> None:
    staging.write(file.path, data, dossier=file.dossier, kind=file.kind, title=file.title)


def write_pdf(staging: StagingArea, doc: Rendered, data: bytes) -> None:
    _write(staging, _pdf_file(doc), data)


def write_package(staging: StagingArea, package: Package, data: bytes) -> None:
    _write(staging, _package_file(package), data)


def pdf_keys(batches: list, ids: dict[int, str]) -> dict[int, str]:
    """Each document's cache key: its batch's key and what else its PDF depends on."""
    return {i: digest("pdf", b.key, ids[i]) for b in batches for i in b.members}


def split_pdfs(
    batches: list,
    converted: dict,
    pdfs: dict[int, bytes],
    metadata: list,
    ids: dict[int, str],
    keys: dict[int, str],
    options: BuildOptions,
    progress: Progress,
    cache: Cache | None,
    while_waiting: Callable[[], None],
) -> None:
    """Split the converted batches that hold a document not in ``pdfs``; over the cores, in
    groups of at most SPLIT_DOCUMENTS documents (their PDFs are held in memory until written).
    ``while_waiting`` runs in this process during the first group."""

    todo = [n for n, b in enumerate(batches) if any(i not in pdfs for i in b.members)]
    groups: list[list[int]] = []
    for n in todo:
        if not groups or sum(len(batches[m].members) for m in groups[-1]) >= SPLIT_DOCUMENTS:
            groups.append([])
        groups[-1].append(n)
    if not groups:
        while_waiting()
    for number, group in enumerate(groups):
        progress.step("pdf", number, len(groups), "splitting")
        items = [
            (
                converted[n],
                [metadata[i] for i in batches[n].members],
                [ids[i] for i in batches[n].members],
                first_numbers(batches[n], converted[n]),
            )
            for n in group
        ]
        made = parallel_map(
            split_documents,
            items,
            options.jobs,
            min_items=2,
            while_waiting=while_waiting if number == 0 else None,
        )
        for n, datas in zip(group, made, strict=True):
            for i, data in zip(batches[n].members, datas, strict=True):
                pdfs[i] = data
                if cache is not None:
                    cache.put("pdf", keys[i], data)


_PROFILES = "soffice-profile"


def _profile_seed(cache: Cache | None, salt: tuple[str, ...]) -> Path | None:
    """Where LibreOffice's profile for the installed version is kept in the cache: one made
    by another version is never used (LibreOffice would migrate it, which costs the time
    saved). The PDFs are the same bytes with or without it (tests/test_cache.py)."""
    if cache is None:
        return None
    return cache.folder_entry(_PROFILES, digest("profile", salt[1])[:32])  # salt[1]: version


def pdf_salt(cache: Cache | None) -> tuple[str, ...]:
    """What converts a batch besides its documents: the engine, LibreOffice's version and the
    export options (pdf.py). Only cache keys need it."""
    if cache is None:
        return ()

    return (engine_fingerprint(), libreoffice_version(find_soffice(), cache), EXPORT_FILTER)


def pdf_ids(batches: list, metadata: list) -> dict[int, str]:
    """A digest per document of what its PDF's bytes depend on: its batch, its place in it and
    its metadata (the PDF's file identifier is made from it)."""
    return {
        i: digest("pdf", b.content, n, metadata[i])
        for b in batches
        for n, i in enumerate(b.members)
    }


@dataclass
class Package:
    dossier: str
    act: str
    stem: str
    batches: list[int]
    settings: dict
    key: str
    data: bytes | None = None


def packages_of(
    loaded: Loaded, contexts: list[DossierContext], rendered: list[Rendered], batches: list
) -> list[Package]:
    """One signing package per signing act with documents to sign: its batches (a batch holds
    documents of one act only, see :func:`.batches.plan`) and settings. The texts in force,
    cover letters and notices belong to no act, so to no package."""

    out = []
    of_act: dict[tuple[str, str], list[int]] = {}
    for n, b in enumerate(batches):
        if b.act:
            of_act.setdefault((b.dossier, b.act), []).append(n)
    for dossier, ctx in zip(loaded.dossiers, contexts, strict=True):
        for package in ctx.packages:
            own = of_act.get((dossier.id, package.act), [])
            if not own:
                continue
            settings = package_settings(dossier, package)
            # The package's subject and keywords are its first document's.
            # (Unknown bytes, as in serve: its batches have no key and the package is skipped.)
            data = rendered[batches[own[0]].members[0]].docx
            first = document_properties(data) if data else {"subject": "", "keywords": None}
            settings["subject"] = first["subject"] or dossier.title
            settings["keywords"] = first["keywords"]
            parts = [
                PackagePart(rendered[i].title, rendered[i].docx, continues=rendered[i].continues)
                for n in own
                for i in batches[n].members
            ]
            metadata = PdfMetadata(
                **{k: settings[k] for k in ("title", "subject", "author", "date", "keywords")}
            )
            key = digest("package", engine_fingerprint(), [batches[n].key for n in own], settings)
            content = digest("package", [batches[n].content for n in own], settings)
            arguments = {
                "parts": parts,
                "metadata": metadata,
                "signatories": settings["signatories"],
                "identifier": bytes.fromhex(content)[:16],
            }
            out.append(Package(dossier.id, package.act, package.stem, own, arguments, key))
    return out


def metadata_of(loaded: Loaded, docs: list[Rendered]) -> list[dict]:
    """Each document's PDF metadata: what its Word document's properties say (title, subject,
    the penvoerder as author, keywords, the dossier's date), so the DOCX and the PDF agree.
    A document whose Word bytes are not known (``serve`` without it in the cache) gets blank
    properties: its batch has no key, so nothing is looked up or converted with them."""
    fallback = {d.id: dossier_date(d) for d in loaded.dossiers}
    blank = {"title": "", "subject": "", "author": "", "keywords": None, "date": None}
    out = []
    for doc in docs:
        props = document_properties(doc.docx) if doc.docx else dict(blank)
        props["title"] = doc.title
        props["date"] = props["date"] or fallback[doc.dossier]
        out.append(props)
    return out


def dossier_date(dossier) -> dt.date:
    """A date that belongs to the content, so PDF dates do not change from build to build."""
    for doc in dossier.agreements:
        if doc.signing and doc.signing.date:
            return doc.signing.date
    for doc in dossier.documents:
        if doc.in_force.start:
            return doc.in_force.start
    return dt.date(2000, 1, 1)


def package_settings(dossier, package: PackageContext) -> dict:
    # One field per signature line of the act, labelled by the context (from the wording).
    signatories = [Signatory(f.key, f.label) for f in package.fields]
    penvoerder = dossier.penvoerder
    return {
        "title": package.title,
        "subject": dossier.title,
        "author": penvoerder.name if penvoerder else dossier.title,
        "signatories": signatories,
        "date": package.date,
    }
