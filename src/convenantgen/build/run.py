"""The whole build: check → render DOCX/Markdown → PDF → signing packages → site → swap.

Nothing is written to the output folder until every dossier has been read, checked and
rendered; artifacts are produced in a staging folder that replaces the output at the end
(see :mod:`convenantgen.build.staging`), so a failing build leaves the previous output intact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..cache import (
    Cache,
    engine_fingerprint,
    libreoffice_version,
    pack_folder,
    project_cache,
    unpack_folder,
)
from ..context.dossier import DossierContext, build_context
from ..context.packages import PackageContext
from ..context.site import Download
from ..errors import CheckFailed, Report, ToolMissing
from ..fingerprint import digest
from ..parallel import parallel_map
from ..progress import Progress
from ..read.load import Loaded
from ..read.project import Project
from ..read.templates import Templates
from ..render.docx.render import TEMPLATES, document_jobs, render_job
from ..render.markdown import agreement_markdown, agreement_text, consolidated_markdown
from ..render.pdf.batches import Converted, convert_batches, plan, split_documents
from ..render.pdf.convert import EXPORT_FILTER, PdfMetadata, convert_to_pdf, find_soffice
from ..render.pdf.package import PackagePart, Signatory, assemble_package
from ..render.pdf.pages import prepare as prepare_reader
from ..site.engine import build_site, site_key, write_site_sources
from .inputs import load_inputs
from .staging import Artifact, Staging, StagingArea, link_or_copy, staged_output

# Documents split per round of the worker pool: bounds the PDFs held in memory at once.
SPLIT_DOCUMENTS = 2000
# Fewer documents to convert than this go to one LibreOffice process (see _write_pdfs).
ONE_PROCESS = 30


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path
    pdf: bool = True
    site: bool = True
    strict: bool = False
    # The build's one reference date: checks, site and status all speak of this day. The CLI
    # resolves it once (--reference-date, else today); made today when none is given.
    reference_date: dt.date = field(default_factory=dt.date.today)
    jobs: int | None = None
    # Seconds LibreOffice may take for one document (start-up included) before it counts as
    # hung; a document of ours converts in a few seconds.
    timeout: float = 60.0
    dossiers: tuple[str, ...] = ()
    engine: str = "mkdocs"  # the site's engine: mkdocs or zensical
    # Reuse documents, PDFs, packages and the site from the project's cache (see cache.py).
    cache: bool = True


def run_build(
    content_dir: Path,
    options: BuildOptions,
    *,
    project: Project | None = None,
    progress: Progress | None = None,
    on_report: Callable[[Report], None] | None = None,
    cache: Cache | None = None,
) -> list[Artifact]:
    """Build every dossier below ``content_dir`` into ``options.out_dir``.

    The project (settings, templates, site overrides) defaults to none: engine defaults only.
    ``cache`` defaults to the project's (none outside a project, or with ``options.cache``
    off); what it reused is in ``cache.stats``.
    """
    progress = progress or Progress(enabled=False)
    if cache is None and options.cache:
        cache = open_cache(project)
    loaded = load_inputs(
        content_dir,
        list(options.dossiers) or None,
        project=project,
        day=options.reference_date,
        cache=cache,
    )
    if on_report is not None:
        on_report(loaded.report)
    if loaded.failed(options.strict):
        raise CheckFailed(
            f"check found {len(loaded.report.errors)} error(s)"
            + (f" and {len(loaded.report.warnings)} warning(s)" if options.strict else "")
            + "; nothing was written"
        )
    if options.pdf:
        find_soffice()  # fail before any work when LibreOffice is missing
    templates, contexts = _contexts(loaded, project)
    rendered = _render(contexts, templates, progress, cache, options.jobs)
    protected = [content_dir, *([project.root] if project is not None else [])]
    with staged_output(options.out_dir, protected) as staging:
        if cache is not None:
            # New entries wait in the staging folder: a failed build leaves the cache alone.
            cache.spool_in(staging.work / "cache")
        documents = partial(_write_documents, staging, contexts, rendered)
        if options.pdf:
            # The documents are written while LibreOffice converts.
            _write_pdfs(staging, loaded, contexts, rendered, options, progress, cache, documents)
        else:
            documents()
        if options.site:
            _write_site(staging, loaded, contexts, options, progress, project, cache)
        staging.write_manifest()
        artifacts = list(staging.artifacts)
        if cache is not None:
            cache.commit()
    summary = f"{len(artifacts)} file(s) written to {options.out_dir}"
    progress.finish(summary + (f"; {cache.stats.summary()}" if cache is not None else ""))
    return artifacts


def _contexts(loaded: Loaded, project: Project | None) -> tuple[Templates, list[DossierContext]]:
    """Derive once, render many: one context per dossier for every output."""
    templates = Templates.of(project)
    wording = templates.wording(project)
    settings = project.settings if project is not None else None
    return templates, [build_context(d, wording, settings=settings) for d in loaded.dossiers]


def open_cache(project: Project | None) -> Cache | None:
    """The project's cache; none outside a project (nothing is written beside the content)."""
    if project is None or project.file is None:
        return None
    return project_cache(project.root, limit_mb=project.settings.cache_mb)


@dataclass(frozen=True)
class _Rendered:
    dossier: str
    kind: str
    name: str
    title: str
    docx: bytes
    act: str = ""  # the signing act whose package holds it ("": not signed)


def _render(
    contexts: list[DossierContext],
    templates: Templates,
    progress: Progress,
    cache: Cache | None,
    jobs: int | None,
) -> list[_Rendered]:
    """Every Word document; from the cache when its template and context are unchanged, the
    rest rendered over the cores."""

    todo = [job for ctx in contexts for job in document_jobs(ctx)]
    keys = _docx_keys(todo, templates, TEMPLATES) if cache is not None else []
    found = [cache.get("docx", key) for key in keys] if cache is not None else [None] * len(todo)
    missing = [i for i, data in enumerate(found) if data is None]
    progress.step("docx", 0, len(missing), f"{len(todo) - len(missing)} unchanged")
    made = parallel_map(partial(render_job, templates=templates), [todo[i] for i in missing], jobs)
    for i, data in zip(missing, made, strict=True):
        found[i] = data
        if cache is not None:
            cache.put("docx", keys[i], data)
    return [
        _Rendered(job.dossier, job.kind, job.name, job.title, data, job.act)
        for job, data in zip(todo, found, strict=True)
    ]


def _docx_keys(jobs: list, templates: Templates, names: dict[str, str]) -> list[str]:
    """A key per document: the engine, the template's bytes, what the template sees (each
    context object hashed once, though a thousand consents share one accession) and the
    metadata."""
    template_hash: dict[str, str] = {}
    object_hash: dict[int, str] = {}

    def of_template(kind: str) -> str:
        if kind not in template_hash:
            data = templates.path(names[kind]).read_bytes()
            template_hash[kind] = hashlib.sha256(data).hexdigest()
        return template_hash[kind]

    def of_object(value) -> str:
        if id(value) not in object_hash:
            object_hash[id(value)] = digest(value)
        return object_hash[id(value)]

    engine = engine_fingerprint()
    return [
        digest(
            "docx",
            engine,
            of_template(job.kind),
            job.kind,
            sorted((name, of_object(value)) for name, value in job.context.items()),
            job.title,
            job.author,
            job.day,
            job.version,
        )
        for job in jobs
    ]


def _write_documents(
    staging: StagingArea, contexts: list[DossierContext], rendered: list[_Rendered]
) -> None:

    for doc in rendered:
        staging.write(
            f"{doc.dossier}/{doc.name}.docx",
            doc.docx,
            dossier=doc.dossier,
            kind=f"{doc.kind}-docx",
            title=doc.title,
        )
    # The agreement text also as Markdown and plain text, for review in git.
    for ctx in contexts:
        _write_consolidated_markdown(staging, ctx)
        for agreement in ctx.agreements:
            stem = f"{ctx.id}/{ctx.id}-{agreement.short_title}"
            for suffix, render, kind in (
                ("md", agreement_markdown, "markdown"),
                ("txt", agreement_text, "text"),
            ):
                staging.write(
                    f"{stem}.{suffix}",
                    render(agreement).encode("utf-8"),
                    dossier=ctx.id,
                    kind=f"{agreement.kind}-{kind}",
                    title=agreement.title,
                )


def _write_consolidated_markdown(staging: StagingArea, ctx: DossierContext) -> None:
    """The text in force per date of change as Markdown, with its changes marked."""

    for c in ctx.consolidation.versions if ctx.consolidation else ():
        staging.write(
            f"{ctx.id}/{c.stem}.md",
            consolidated_markdown(c).encode("utf-8"),
            dossier=ctx.id,
            kind="consolidated-markdown",
            title=f"{c.title}: {c.covenant}",
        )


def _write_pdfs(
    staging: StagingArea,
    loaded: Loaded,
    contexts: list[DossierContext],
    rendered: list[_Rendered],
    options: BuildOptions,
    progress: Progress,
    cache: Cache | None,
    meanwhile: Callable[[], None],
) -> None:
    """Every document's PDF and each signing act's package, from batches (see
    :mod:`.batches`): from the cache what did not change, the rest converted and split.
    ``meanwhile`` is other work, done while LibreOffice runs (or first, when it need not)."""

    batches = plan(
        [(d.dossier, d.kind, d.docx) for d in rendered],
        _pdf_salt(cache),
        acts=[d.act for d in rendered],
    )
    metadata = _metadata(loaded, rendered)
    ids = _pdf_ids(batches, metadata)
    keys = _pdf_keys(batches, ids)
    found = {i: cache.get("pdf", keys[i]) for i in keys} if cache is not None else {}
    pdfs = {i: data for i, data in found.items() if data is not None}
    packages = _packages(loaded, contexts, rendered, batches)
    for package in packages:
        package.data = cache.get("package", package.key) if cache is not None else None
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
            meanwhile()
            for package in packages:
                for n in package.batches:
                    if package.data is None and n in converted:
                        prepare_reader(converted[n].reader)

        waiting = [while_converting]

        # Below ONE_PROCESS documents one LibreOffice is quicker than several: each start costs
        # about as much CPU as converting thirty documents.
        few = sum(len(batches[n].members) for n in todo) < ONE_PROCESS

        def convert(sources: list[Path], out: Path) -> list[Path]:
            hook = waiting.pop() if waiting else None
            return convert_to_pdf(
                sources,
                out,
                jobs=1 if few else options.jobs,
                timeout=limit,
                while_waiting=hook,
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
        meanwhile()

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
    _split(batches, converted, pdfs, metadata, ids, keys, options, progress, cache, assemble)
    for i, doc in enumerate(rendered):
        _write_pdf(staging, doc, pdfs.pop(i))
    for package in packages:
        _write_package(staging, package, package.data)


def _write_pdf(staging: StagingArea, doc: _Rendered, data: bytes) -> None:
    rel = f"{doc.dossier}/{doc.name}.pdf"
    staging.write(rel, data, dossier=doc.dossier, kind=f"{doc.kind}-pdf", title=doc.title)


def _write_package(staging: StagingArea, package: _Package, data: bytes) -> None:
    staging.write(
        f"{package.dossier}/{package.stem}.pdf",
        data,
        dossier=package.dossier,
        kind="signing-package",
        title=package.settings["metadata"].title,
    )


def _pdf_keys(batches: list, ids: dict[int, str]) -> dict[int, str]:
    """Each document's cache key: its batch's key and what else its PDF depends on."""
    return {i: digest("pdf", b.key, ids[i]) for b in batches for i in b.members}


def _split(
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


def _pdf_salt(cache: Cache | None) -> tuple[str, ...]:
    """What converts a batch besides its documents: the engine, LibreOffice's version and the
    export options (pdf.py). Only cache keys need it."""
    if cache is None:
        return ()

    return (engine_fingerprint(), libreoffice_version(find_soffice(), cache), EXPORT_FILTER)


def _pdf_ids(batches: list, metadata: list) -> dict[int, str]:
    """A digest per document of what its PDF's bytes depend on: its batch, its place in it and
    its metadata (the PDF's file identifier is made from it)."""
    return {
        i: digest("pdf", b.content, n, metadata[i])
        for b in batches
        for n, i in enumerate(b.members)
    }


@dataclass
class _Package:
    dossier: str
    act: str
    stem: str
    batches: list[int]
    settings: dict
    key: str
    data: bytes | None = None


def _packages(
    loaded: Loaded, contexts: list[DossierContext], rendered: list[_Rendered], batches: list
) -> list[_Package]:
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
            settings = _package_settings(dossier, package)
            parts = [
                PackagePart(rendered[i].title, rendered[i].docx)
                for n in own
                for i in batches[n].members
            ]
            metadata = PdfMetadata(
                **{k: settings[k] for k in ("title", "subject", "author", "date")}
            )
            key = digest("package", engine_fingerprint(), [batches[n].key for n in own], settings)
            content = digest("package", [batches[n].content for n in own], settings)
            arguments = {
                "parts": parts,
                "metadata": metadata,
                "signatories": settings["signatories"],
                "identifier": bytes.fromhex(content)[:16],
            }
            out.append(_Package(dossier.id, package.act, package.stem, own, arguments, key))
    return out


def _metadata(loaded: Loaded, docs: list[_Rendered]) -> list[dict]:
    """Each document's PDF metadata: its title, and its dossier's title, penvoerder, date."""
    common = {}
    for dossier in loaded.dossiers:
        penvoerder = dossier.penvoerder
        common[dossier.id] = {
            "subject": dossier.title,
            "author": penvoerder.name if penvoerder else dossier.title,
            "date": _dossier_date(dossier),
        }
    return [{"title": doc.title, **common[doc.dossier]} for doc in docs]


def _dossier_date(dossier) -> dt.date:
    """A date that belongs to the content, so PDF dates do not change from build to build."""
    for doc in dossier.agreements:
        if doc.signing and doc.signing.date:
            return doc.signing.date
    for doc in dossier.documents:
        if doc.in_force.start:
            return doc.in_force.start
    return dt.date(2000, 1, 1)


def _package_settings(dossier, package: PackageContext) -> dict:
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


def _write_site(
    staging: StagingArea,
    loaded: Loaded,
    contexts: list[DossierContext],
    options: BuildOptions,
    progress: Progress,
    project: Project | None,
    cache: Cache | None,
) -> None:

    progress.step("site", 0, 1, "Markdown")
    docs_dir = staging.work / "site-docs"
    downloads = [
        Download(a.dossier, a.kind, a.path, a.sha256, a.title)
        for a in staging.artifacts
        # The Markdown copy is for review in git; the site shows that text as a page.
        if not a.path.endswith(".md")
    ]
    write_site_sources(
        loaded.dossiers,
        docs_dir,
        downloads=downloads,
        reference_date=options.reference_date,
        contexts=contexts,
        project=project,
    )
    progress.step("site", 1, 1, "Zensical" if options.engine == "zensical" else "MkDocs")
    site_dir = staging.root / "site"

    # MkDocs gets the files after its build (it must not validate the raw-HTML download
    # links); Zensical checks those links too, so for it they are in place before.
    def early(path: str) -> bool:
        return options.engine == "zensical"

    listed = [a for a in staging.artifacts if not a.path.endswith(".md")]
    for artifact in [a for a in listed if early(a.path)]:
        link_or_copy(staging.root / artifact.path, docs_dir / "downloads" / artifact.path)
    key = site_key(docs_dir, project, options.engine) if cache is not None else ""
    archive = cache.get("site", key) if cache is not None else None
    if archive is not None:
        unpack_folder(archive, site_dir)
    else:
        bytecode = cache.folder("jinja") if cache is not None else None
        build_site(
            docs_dir, site_dir, project=project, engine=options.engine, bytecode_dir=bytecode
        )
        if cache is not None:
            cache.put("site", key, pack_folder(site_dir))
    for artifact in [a for a in listed if not early(a.path)]:
        link_or_copy(staging.root / artifact.path, site_dir / "downloads" / artifact.path)


def preview_downloads(
    loaded: Loaded, project: Project | None, cache: Cache | None, folder: Path
) -> list[Artifact]:
    """For ``serve``: the text of every agreement, and the DOCX, PDFs and signing packages of
    the current documents that an earlier build left in the cache, written into ``folder``.
    Nothing is rendered or converted (``serve`` stays quick); ``build`` makes the rest."""

    templates, contexts = _contexts(loaded, project)
    jobs = [job for ctx in contexts for job in document_jobs(ctx)]
    found = [None] * len(jobs)
    if cache is not None:
        keys = _docx_keys(jobs, templates, TEMPLATES)
        found = [cache.get("docx", key) for key in keys]
    everything = [
        _Rendered(job.dossier, job.kind, job.name, job.title, data or b"", job.act)
        for job, data in zip(jobs, found, strict=True)
    ]
    staging = Staging(folder)
    _write_documents(
        staging, contexts, [r for r, data in zip(everything, found, strict=True) if data]
    )
    try:
        find_soffice()
    except ToolMissing:
        return staging.artifacts
    if cache is None:
        return staging.artifacts
    # Keyed as build keys them; a batch with a document not in the cache has no key to look
    # for (the PDFs of all its documents depend on it), nor has its dossier's package.
    batches = plan(
        [(d.dossier, d.kind, data) for d, data in zip(everything, found, strict=True)],
        _pdf_salt(cache),
        acts=[d.act for d in everything],
    )
    metadata = _metadata(loaded, everything)
    keys = _pdf_keys([b for b in batches if b.key], _pdf_ids(batches, metadata))
    for i, key in keys.items():
        data = cache.get("pdf", key)
        if data is not None:
            _write_pdf(staging, everything[i], data)
    for package in _packages(loaded, contexts, everything, batches):
        if not all(batches[n].key for n in package.batches):
            continue
        data = cache.get("package", package.key)
        if data is not None:
            _write_package(staging, package, data)
    return staging.artifacts
