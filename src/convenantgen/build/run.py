"""The whole build: check → render DOCX/Markdown → PDF → signing packages → site → swap.

Nothing is written to the output folder until every dossier has been read, checked and
rendered; artifacts are produced in a staging folder that replaces the output at the end
(see :mod:`convenantgen.build.staging`), so a failing build leaves the previous output intact.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from ..cache import (
    Cache,
    engine_fingerprint,
    folder_hashes,
    pack_folder,
    unpack_folder,
)
from ..context.about import about_diagnostics
from ..context.dossier import DossierContext, build_context
from ..context.publication import published_documents
from ..context.site import Download
from ..errors import CheckFailed, Diagnostic, Report, ToolMissing
from ..fingerprint import digest
from ..parallel import parallel_map
from ..progress import Progress
from ..read.load import Loaded, discover
from ..read.project import Project, Settings
from ..read.sources import Locator, load_file
from ..read.templates import Templates
from ..render.docx.render import TEMPLATES, document_jobs, render_job
from ..render.markdown import agreement_markdown, agreement_text, consolidated_markdown
from ..render.pdf.batches import plan
from ..render.pdf.convert import find_soffice
from ..render.pdf.pages import page_count
from ..render.staatscourant import metadata_name, metadata_record
from ..site.engine import (
    build_site,
    fill_download_facts,
    site_frame,
    site_key,
    write_site_sources,
)
from ..site.woo import woo_diagnostics
from .inputs import load_inputs
from .options import BuildOptions
from .pdfs import (
    Planned,
    Rendered,
    metadata_of,
    packages_of,
    pdf_ids,
    pdf_keys,
    pdf_salt,
    write_package,
    write_pdf,
    write_pdfs,
)
from .staging import (
    MANIFEST,
    Artifact,
    Staging,
    StagingArea,
    link_or_copy,
    previous_artifacts,
    staged_output,
)
from .uptodate import inputs_fingerprint, known_hashes, open_cache, remember, unchanged

__all__ = ["BuildOptions", "open_cache", "preview_downloads", "run_build", "site_download"]

METADATA_KIND = "staatscourant-metadata"


def checked_inputs(
    content_dir: Path,
    options: BuildOptions,
    project: Project | None,
    cache: Cache | None,
    on_report: Callable[[Report], None] | None,
) -> Loaded:
    """Read and check the content (the site's own checks included when a site is built),
    hand the report over, and stop before anything is written when the check fails."""
    loaded = load_inputs(
        content_dir,
        list(options.dossiers) or None,
        project=project,
        day=options.reference_date,
        cache=cache,
    )
    if options.site:
        settings = project.settings if project is not None else Settings()
        file = project and project.file
        found = woo_diagnostics(settings.site_url, file) + about_diagnostics(settings, file)
        loaded.report.extend(_located(found, file))
    if on_report is not None:
        on_report(loaded.report)
    if loaded.failed(options.strict):
        raise CheckFailed(
            f"check found {len(loaded.report.errors)} error(s)"
            + (f" and {len(loaded.report.warnings)} warning(s)" if options.strict else "")
            + "; nothing was written"
        )
    return loaded


def _located(diagnostics: list[Diagnostic], file: Path | None) -> list[Diagnostic]:
    """The settings' diagnostics with the line and column of the setting they concern (the
    file is read again for their places only when there is something to say)."""
    source = load_file(file)[0] if file is not None and diagnostics else None
    if source is None:
        return diagnostics
    locator = Locator()
    locator.add(source)
    return [locator.resolve(d) for d in diagnostics]


def run_build(
    content_dir: Path,
    options: BuildOptions,
    *,
    project: Project | None = None,
    progress: Progress | None = None,
    on_report: Callable[[Report], None] | None = None,
    cache: Cache | None = None,
    fingerprint: str | None = None,
    before_swap: Callable[[StagingArea, Loaded], None] | None = None,
) -> list[Artifact]:
    """Build every dossier below ``content_dir`` into ``options.out_dir``.

    The project (settings, templates, site overrides) defaults to none: engine defaults only.
    ``cache`` defaults to the project's (none outside a project, or with ``options.cache``
    off); what it reused is in ``cache.stats``. ``before_swap`` may add files of its own to
    the staged output (a shard's manifest, see :mod:`.shard`). With a cache and without
    ``before_swap``, a build whose inputs are those of the build that made the output folder
    leaves it as it is (:mod:`.uptodate`); ``fingerprint`` is those inputs' when the caller
    has computed it already and found the output folder out of date.
    """
    progress = progress or Progress(enabled=False)
    if cache is None and options.cache:
        cache = open_cache(project)
    # A shard's own files (before_swap) are not among the inputs: a shard always builds.
    record = cache is not None and before_swap is None
    if record and fingerprint is None:
        known = known_hashes(options.out_dir, cache)
        fingerprint = inputs_fingerprint(content_dir, options, project, known)
        if unchanged(fingerprint, options.out_dir, cache):
            progress.finish(f"nothing changed: {options.out_dir} left as it is")
            return _manifest_artifacts(options.out_dir)
    loaded = checked_inputs(content_dir, options, project, cache, on_report)
    if options.pdf:
        find_soffice()  # fail before any work when LibreOffice is missing
    templates, contexts = dossier_contexts(loaded, project)
    rendered = _render(contexts, templates, progress, cache, options.jobs)
    protected = [content_dir, *([project.root] if project is not None else [])]
    # Building some dossiers (--dossier) leaves the others' output as the last build made it,
    # and the site still shows every dossier: the others are read for it, not rendered.
    site_loaded, site_contexts = loaded, contexts
    carried: list[Artifact] = []
    if options.dossiers:
        chosen = {d.id for d in loaded.dossiers}
        carried = previous_artifacts(options.out_dir, lambda d: d not in chosen)
        if options.site:
            site_loaded, site_contexts = _with_the_others(
                content_dir, loaded, contexts, options, project, cache
            )
    with staged_output(options.out_dir, protected) as staging:
        for artifact in carried:
            staging.carry(options.out_dir, artifact)
        if cache is not None:
            # New entries wait in the staging folder: a failed build leaves the cache alone.
            cache.spool_in(staging.work / "cache")
        documents = partial(_write_documents, staging, contexts, rendered)
        offered: frozenset[str] | None = None
        if options.pdf:

            def meanwhile(planned: Sequence[Planned]) -> None:
                # While LibreOffice converts: the documents, and the site (MkDocs), whose
                # pages get the PDFs' pages and sizes afterwards (finish_site).
                nonlocal offered
                documents()
                if options.site and options.engine == "mkdocs":
                    late = [
                        Download(p.dossier, p.kind, p.path, "", p.title, late=True) for p in planned
                    ]
                    offered = make_site(
                        staging, site_loaded, site_contexts, options, progress, project, cache, late
                    )

            write_pdfs(staging, loaded, contexts, rendered, options, progress, cache, meanwhile)
        else:
            documents()
        _write_metadata_records(staging, loaded, contexts, project)
        if options.site:
            if offered != {a.path for a in _offered(staging)}:
                # Zensical (it checks the files' links), no PDFs, or a file the plan did not
                # foresee: the site is made now, from the files as written.
                make_site(staging, site_loaded, site_contexts, options, progress, project, cache)
            finish_site(staging, options, project, cache)
        if before_swap is not None:
            before_swap(staging, loaded)
        staging.write_manifest()
        artifacts = list(staging.artifacts)
        if cache is not None:
            cache.commit()
    if record and fingerprint is not None:
        remember(fingerprint, options.out_dir, cache)
    summary = f"{len(artifacts)} file(s) written to {options.out_dir}"
    progress.finish(summary + (f"; {cache.stats.summary()}" if cache is not None else ""))
    return artifacts


def _manifest_artifacts(out_dir: Path) -> list[Artifact]:
    data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    return [Artifact(**item) for item in data["artifacts"]]


def dossier_contexts(
    loaded: Loaded, project: Project | None
) -> tuple[Templates, list[DossierContext]]:
    """Derive once, render many: one context per dossier for every output."""
    templates = Templates.of(project)
    wording = templates.wording(project)
    settings = project.settings if project is not None else None
    return templates, [build_context(d, wording, settings=settings) for d in loaded.dossiers]


def _with_the_others(
    content_dir: Path,
    loaded: Loaded,
    contexts: list[DossierContext],
    options: BuildOptions,
    project: Project | None,
    cache: Cache | None,
) -> tuple[Loaded, list[DossierContext]]:
    """Every dossier of the content folder for the site, in folder order: the ones being
    built, and the others read and checked as a full build would (a site of some dossiers
    would drop the others' pages), without rendering them."""
    chosen = {d.id for d in loaded.dossiers}
    others = [f.name for f in discover(content_dir) if f.name not in chosen]
    if not others:
        return loaded, contexts
    rest = load_inputs(
        content_dir, others, project=project, day=options.reference_date, cache=cache
    )
    if rest.failed(options.strict):
        first = (rest.report.errors or rest.report.warnings)[0]
        raise CheckFailed(
            f"the site shows every dossier, and another dossier does not pass check "
            f"({first.format(content_dir)}); fix it, or build with --no-site"
        )
    _, rest_contexts = dossier_contexts(rest, project)
    # The order of a full build: the dossier folders by name.
    pairs = sorted(
        [
            *zip(loaded.dossiers, contexts, strict=True),
            *zip(rest.dossiers, rest_contexts, strict=True),
        ],
        key=lambda pair: pair[0].folder.name,
    )
    combined = Loaded(
        dossiers=[d for d, _ in pairs], report=loaded.report, content_dir=loaded.content_dir
    )
    return combined, [c for _, c in pairs]


def _render(
    contexts: list[DossierContext],
    templates: Templates,
    progress: Progress,
    cache: Cache | None,
    jobs: int | None,
) -> list[Rendered]:
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
        Rendered(job.dossier, job.kind, job.name, job.title, data, job.act, job.continues)
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
    staging: StagingArea, contexts: list[DossierContext], rendered: list[Rendered]
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


def _write_metadata_records(
    staging: StagingArea, loaded: Loaded, contexts: list[DossierContext], project: Project | None
) -> None:
    """The Staatscourant metadata record beside each covenant, addendum and notice."""
    settings = project.settings if project is not None else None
    for dossier, ctx in zip(loaded.dossiers, contexts, strict=True):
        for doc in published_documents(dossier, settings, ctx):
            staging.write(
                metadata_name(doc),
                metadata_record(doc),
                dossier=dossier.id,
                kind=METADATA_KIND,
                title=doc.title,
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


def make_site(
    staging: StagingArea,
    loaded: Loaded,
    contexts: list[DossierContext],
    options: BuildOptions,
    progress: Progress,
    project: Project | None,
    cache: Cache | None,
    planned: Sequence[Download] = (),
) -> frozenset[str]:
    """The site's pages (MkDocs or Zensical, from the cache where it can), for the files in
    the staging area and the ``planned`` ones the build is still writing (PDFs that LibreOffice
    converts meanwhile). The pages hold a token for a planned file's form, pages and size;
    :func:`finish_site` fills them in and adds the downloads. Returns the paths offered."""

    progress.step("site", 0, 1, "Markdown")
    docs_dir = staging.work / "site-docs"
    shutil.rmtree(docs_dir, ignore_errors=True)  # a second try after a plan that missed
    written = [site_download(a, staging.root / a.path, cache) for a in _offered(staging)]
    downloads = [*written, *planned]
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
    shutil.rmtree(site_dir, ignore_errors=True)
    if options.engine == "zensical":
        # Zensical checks the download links too, so for it the files are in place before.
        for artifact in _offered(staging):
            link_or_copy(staging.root / artifact.path, docs_dir / "downloads" / artifact.path)
    key = site_key(docs_dir, project, options.engine) if cache is not None else ""
    archive = cache.get("site", key) if cache is not None else None
    if archive is not None:
        unpack_folder(archive, site_dir)
    elif cache is None:
        build_site(docs_dir, site_dir, project=project, engine=options.engine)
    else:
        # A site of the same frame (the navigation, titles, file list, settings) in the cache:
        # only the pages whose Markdown changed are made again.
        frame = site_frame(docs_dir, project, options.engine)
        previous = _earlier_site(cache, frame) if options.engine == "mkdocs" else None
        if previous is not None:
            unpack_folder(previous[0], site_dir)
        build_site(
            docs_dir,
            site_dir,
            project=project,
            engine=options.engine,
            bytecode_dir=cache.folder("jinja"),
            previous=previous[1] if previous is not None else None,
        )
        cache.put("site", key, pack_folder(site_dir))
        record = {"site": key, "sources": dict(folder_hashes(docs_dir))}
        cache.put("site-frame", frame, json.dumps(record, sort_keys=True).encode("utf-8"))
    return frozenset(d.path for d in downloads)


def finish_site(
    staging: StagingArea, options: BuildOptions, project: Project | None, cache: Cache | None
) -> None:
    """The downloads into the built site, and the facts of those that were planned."""
    site_dir = staging.root / "site"
    offered = list(_offered(staging))
    fill_download_facts(
        site_dir, [site_download(a, staging.root / a.path, cache) for a in offered], project
    )
    if options.engine != "zensical":
        # MkDocs gets the files after its build (it must not validate the raw-HTML links).
        for artifact in offered:
            link_or_copy(staging.root / artifact.path, site_dir / "downloads" / artifact.path)


def _offered(staging: StagingArea) -> list[Artifact]:
    # The Markdown copy is for review in git; the site shows that text as a page. The
    # Staatscourant's metadata records are for delivery, not for readers.
    return [a for a in staging.artifacts if not a.path.endswith(".md") and a.kind != METADATA_KIND]


def _earlier_site(cache: Cache, frame: str) -> tuple[bytes, dict[str, str]] | None:
    """The packed site of the last build with this frame, and its sources' hashes."""
    raw = cache.get("site-frame", frame)
    try:
        record = json.loads(raw) if raw is not None else None
        archive = cache.get("site", record["site"], counted=False) if record else None
        sources = dict(record["sources"]) if archive is not None else None
    except (ValueError, TypeError, KeyError):
        return None  # an entry of another version: a full build
    return (archive, sources) if archive is not None and sources is not None else None


def site_download(artifact: Artifact, path: Path, cache: Cache | None = None) -> Download:
    """A file of the build as the site offers it, with its size and (a PDF's) page count read
    from the file as written: a cached build gives the same bytes, so the same figures. The
    count is remembered in the cache by the file's SHA-256 (reading hundreds of PDFs with
    pypdf was a tenth of a second per hundred on every build)."""
    pages = _pages(path, artifact.sha256, cache) if path.suffix == ".pdf" else None
    return Download(
        artifact.dossier,
        artifact.kind,
        artifact.path,
        artifact.sha256,
        artifact.title,
        size=path.stat().st_size,
        pages=pages,
    )


def _pages(path: Path, sha256: str, cache: Cache | None) -> int | None:
    key = digest("pdf-pages", sha256)
    known = cache.get("meta", key, counted=False) if cache is not None and sha256 else None
    if known is not None and known.isdigit():
        return int(known)
    pages = page_count(path.read_bytes())
    if cache is not None and sha256 and pages is not None:
        cache.put("meta", key, str(pages).encode("ascii"))
    return pages


def preview_downloads(
    loaded: Loaded, project: Project | None, cache: Cache | None, folder: Path
) -> list[Artifact]:
    """For ``serve``: the text of every agreement, and the DOCX, PDFs and signing packages of
    the current documents that an earlier build left in the cache, written into ``folder``.
    Nothing is rendered or converted (``serve`` stays quick); ``build`` makes the rest."""

    templates, contexts = dossier_contexts(loaded, project)
    jobs = [job for ctx in contexts for job in document_jobs(ctx)]
    found = [None] * len(jobs)
    if cache is not None:
        keys = _docx_keys(jobs, templates, TEMPLATES)
        found = [cache.get("docx", key) for key in keys]
    everything = [
        Rendered(job.dossier, job.kind, job.name, job.title, data or b"", job.act, job.continues)
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
        pdf_salt(cache),
        acts=[d.act for d in everything],
        continues=[d.continues for d in everything],
    )
    metadata = metadata_of(loaded, everything)
    keys = pdf_keys([b for b in batches if b.key], pdf_ids(batches, metadata))
    for i, key in keys.items():
        data = cache.get("pdf", key)
        if data is not None:
            write_pdf(staging, everything[i], data)
    for package in packages_of(loaded, contexts, everything, batches):
        if not all(batches[n].key for n in package.batches):
            continue
        data = cache.get("package", package.key)
        if data is not None:
            write_package(staging, package, data)
    return staging.artifacts
