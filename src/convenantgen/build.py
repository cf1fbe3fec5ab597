"""The whole build: check → render DOCX/Markdown → PDF → signing package → site → swap.

Nothing is written to the output folder until every dossier has been read, checked and
rendered; artifacts are produced in a staging folder that replaces the output at the end
(see :mod:`convenantgen.outputs`), so a failing build leaves the previous output intact.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .context import DossierContext, build_context
from .domain import package_stem
from .errors import CheckFailed, Report
from .outputs import Artifact, StagingArea, staged_output
from .pipeline import Loaded, load_content
from .progress import Progress
from .project import Project
from .templating import Templates


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path
    pdf: bool = True
    site: bool = True
    strict: bool = False
    reference_date: dt.date | None = None
    jobs: int | None = None
    # Seconds LibreOffice may take for one document (start-up included) before it counts as
    # hung; a document of ours converts in a few seconds.
    timeout: float = 60.0
    dossiers: tuple[str, ...] = ()
    engine: str = "mkdocs"  # the site's engine: mkdocs or zensical


def run_build(
    content_dir: Path,
    options: BuildOptions,
    *,
    project: Project | None = None,
    progress: Progress | None = None,
    on_report: Callable[[Report], None] | None = None,
) -> list[Artifact]:
    """Build every dossier below ``content_dir`` into ``options.out_dir``.

    The project (settings, templates, site overrides) defaults to none: engine defaults only.
    """
    progress = progress or Progress(enabled=False)
    loaded = load_content(content_dir, list(options.dossiers) or None, project=project)
    if on_report is not None:
        on_report(loaded.report)
    if loaded.failed(options.strict):
        raise CheckFailed(
            f"check found {len(loaded.report.errors)} error(s)"
            + (f" and {len(loaded.report.warnings)} warning(s)" if options.strict else "")
            + "; nothing was written"
        )
    if options.pdf:
        from .pdf import find_soffice

        find_soffice()  # fail before any work when LibreOffice is missing
    # Derive once, render many: one context per dossier for every output.
    templates = Templates.of(project)
    wording = templates.wording(project)
    settings = project.settings if project is not None else None
    contexts = [build_context(d, wording, settings=settings) for d in loaded.dossiers]
    rendered = _render(contexts, templates, progress)
    protected = [content_dir, *([project.root] if project is not None else [])]
    with staged_output(options.out_dir, protected) as staging:
        _write_documents(staging, contexts, rendered)
        if options.pdf:
            _write_pdfs(staging, loaded, contexts, rendered, options, progress)
        if options.site:
            _write_site(staging, loaded, contexts, options, progress, project)
        staging.write_manifest()
        artifacts = list(staging.artifacts)
    progress.finish(f"{len(artifacts)} file(s) written to {options.out_dir}")
    return artifacts


@dataclass(frozen=True)
class _Rendered:
    dossier: str
    kind: str
    name: str
    title: str
    docx: bytes


def _render(
    contexts: list[DossierContext], templates: Templates, progress: Progress
) -> list[_Rendered]:
    from .render_docx import render_documents

    out: list[_Rendered] = []
    for i, ctx in enumerate(contexts, start=1):
        progress.step("docx", i, len(contexts), ctx.id)
        for doc in render_documents(ctx, templates):
            out.append(_Rendered(doc.dossier, doc.kind, doc.name, doc.title, doc.data))
    return out


def _write_documents(
    staging: StagingArea, contexts: list[DossierContext], rendered: list[_Rendered]
) -> None:
    from .render_markdown import agreement_markdown, agreement_text

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


def _write_pdfs(
    staging: StagingArea,
    loaded: Loaded,
    contexts: list[DossierContext],
    rendered: list[_Rendered],
    options: BuildOptions,
    progress: Progress,
) -> None:
    from .pdf import convert_to_pdf, normalize_pdf

    work = staging.work / "pdf"
    work.mkdir()
    sources = []
    for doc in rendered:
        path = work / f"{doc.name}.docx"
        path.write_bytes(doc.docx)
        sources.append(path)
    progress.step("pdf", 0, len(sources), "LibreOffice")
    pdfs = convert_to_pdf(sources, work / "pdf", jobs=options.jobs, timeout=options.timeout)
    by_name = {p.stem: p for p in pdfs}
    for i, doc in enumerate(rendered, start=1):
        progress.step("pdf", i, len(rendered), doc.name)
        data = normalize_pdf(by_name[doc.name].read_bytes(), _metadata(loaded, doc))
        staging.write(
            f"{doc.dossier}/{doc.name}.pdf",
            data,
            dossier=doc.dossier,
            kind=f"{doc.kind}-pdf",
            title=doc.title,
        )
    _write_packages(staging, loaded, contexts, rendered, options, progress)


def _metadata(loaded: Loaded, doc: _Rendered) -> dict:
    dossier = next(d for d in loaded.dossiers if d.id == doc.dossier)
    penvoerder = dossier.penvoerder
    return {
        "title": doc.title,
        "subject": dossier.title,
        "author": penvoerder.name if penvoerder else dossier.title,
        "date": _dossier_date(dossier),
    }


def _dossier_date(dossier) -> dt.date:
    """A date that belongs to the content, so PDF dates do not change from build to build."""
    for doc in dossier.agreements:
        if doc.signing and doc.signing.date:
            return doc.signing.date
    for doc in dossier.documents:
        if doc.in_force.start:
            return doc.in_force.start
    return dt.date(2000, 1, 1)


def _write_packages(
    staging: StagingArea,
    loaded: Loaded,
    contexts: list[DossierContext],
    rendered: list[_Rendered],
    options: BuildOptions,
    progress: Progress,
) -> None:
    from pypdf import PdfReader

    from .package import PackagePart, Signatory, build_signing_package

    for i, (dossier, ctx) in enumerate(zip(loaded.dossiers, contexts, strict=True), start=1):
        progress.step("package", i, len(loaded.dossiers), dossier.id)
        docs = [d for d in rendered if d.dossier == dossier.id]
        if not docs:
            continue
        # The package is composed from the Word documents and converted once; each part's
        # page count (from its own PDF) keeps "pagina 2 van 3" in its footer right.
        pages = {
            d.name: len(PdfReader(staging.root / f"{d.dossier}/{d.name}.pdf").pages) for d in docs
        }
        parts = [PackagePart(d.title, d.docx, pages=pages[d.name]) for d in docs]
        # Everyone who signs a line in the package: the agreement's signatories, and per
        # accession the joining party and each consenting party. Every signature line gets a
        # field; a party signing several lines gets numbered fields.
        people = [s for agreement in ctx.agreements for s in agreement.signatories]
        for accession in ctx.accessions:
            people.append(accession.party)
            people += [consent.signatory for consent in accession.consents]
        signatories = [
            Signatory(p.party_id, p.name) for p in {p.party_id: p for p in people}.values()
        ]
        penvoerder = dossier.penvoerder
        data = build_signing_package(
            parts,
            title=f"Ondertekenpakket {dossier.display_title}",
            subject=dossier.title,
            author=penvoerder.name if penvoerder else dossier.title,
            signatories=signatories,
            date=_dossier_date(dossier),
            work_dir=staging.work,
            timeout=options.timeout,
        )
        staging.write(
            f"{dossier.id}/{package_stem(dossier.id)}.pdf",
            data,
            dossier=dossier.id,
            kind="signing-package",
            title=f"Ondertekenpakket {dossier.display_title}",
        )


def _write_site(
    staging: StagingArea,
    loaded: Loaded,
    contexts: list[DossierContext],
    options: BuildOptions,
    progress: Progress,
    project: Project | None,
) -> None:
    from .site import build_site, write_site_sources

    progress.step("site", 0, 1, "Markdown")
    docs_dir = staging.work / "site-docs"
    downloads = [
        {
            "dossier": a.dossier,
            "kind": a.kind,
            "path": a.path,
            "sha256": a.sha256,
            "title": a.title,
        }
        for a in staging.artifacts
        # The Markdown copy is for review in git; the site shows that text as a page.
        if not a.path.endswith(".md")
    ]
    write_site_sources(
        loaded.dossiers,
        docs_dir,
        downloads=downloads,
        reference_date=options.reference_date or dt.date.today(),
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
        target = docs_dir / "downloads" / artifact.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(staging.root / artifact.path, target)
    build_site(docs_dir, site_dir, project=project, engine=options.engine)
    for artifact in [a for a in listed if not early(a.path)]:
        target = site_dir / "downloads" / artifact.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(staging.root / artifact.path, target)
