"""Stage 8, site: the public measures website, in Dutch, built with Material for MkDocs.

Two steps with a plain folder of Markdown between them, so the site builds under MkDocs and
under Zensical alike (no plugin generates pages):

1. :func:`write_site_sources` turns the model into Markdown pages, SVG charts, open data
   (JSON, CSV and a CSV for Dutch spreadsheets, :mod:`.opendata`), the downloads' checksums,
   the Atom feed (``feed.xml``, :mod:`convenantgen.site.feed`) and copies of the JSON
   Schemas, in an empty staging folder. Everything is
   rendered in memory first; files are written only once every page rendered.
2. :func:`build_site` runs ``mkdocs build --strict`` on that folder with a configuration
   derived from the top-level ``mkdocs.yml`` (docs_dir, site_dir and navigation filled in).

:func:`serve` regenerates the Markdown when the YAML changes and lets MkDocs' own dev server
rebuild and live-reload; on check errors it prints them and keeps serving the last good site.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ruamel.yaml import YAML

from ..cache import engine_fingerprint, folder_hashes
from ..context.about import (
    ABOUT_PAGE,
    ACCESSIBILITY_PAGE,
    AboutCovenant,
    site_about,
    site_accessibility,
)
from ..context.dossier import DossierContext, build_context
from ..context.publication import published_documents
from ..context.site import (
    DossierFacts,
    Download,
    DownloadGroup,
    OpenDataTable,
    SiteHome,
    site_dossier,
    site_downloads,
    site_organisations,
)
from ..errors import ConvenantgenError
from ..fingerprint import digest
from ..model.derive import SITE_FOLDERS, SITE_PATHS
from ..model.dossier import Dossier
from ..read.paths import confined_files
from ..read.project import Project, Settings
from ..read.templates import Templates
from ..render.markdown import agreement_markdown, consolidated_markdown
from ..resources import mkdocs_config, schema_dir
from ..text import formatting as fmt
from ..text.markdown import h
from ..text.wording import Wording
from .feed import FEED_FILE, site_feed
from .hooks import CACHE_VARIABLE
from .opendata import TABLES, open_data_files, spreadsheet_name
from .pages import Pages, link_citations
from .search import BUNDLE as SEARCH_BUNDLE
from .search import index_site
from .tables import stack_tables
from .woo import woo_files

_HERE = Path(__file__).resolve().parent
_PACKAGE = _HERE.parent
THEME_DIR = _HERE / "theme"  # Material template overrides
# Navigation and reference date for build_site. MkDocs skips dot files in docs_dir, so this
# never reaches the site.
SIDECAR = ".site.json"
# Up to this many dossiers every page's navigation lists them all; beyond it, a page lists its
# own dossier's pages and the home page (the register's overview) the rest. The key of the
# sidecar that tells site/hooks.py so.
DOSSIERS_IN_NAV = 20
OWN_DOSSIER_NAV = "own_dossier_nav"
RESERVED = SITE_FOLDERS


# ---------------------------------------------------------------------------------------------
# Step 1: sources


def _schema_files() -> list[Path]:
    """The JSON Schemas of the YAML format, when they have been generated."""
    try:
        folder = schema_dir() / "json"
    except FileNotFoundError:
        return []
    return sorted(folder.glob("*.schema.json")) if folder.is_dir() else []


def render_site_sources(
    dossiers: list[Dossier],
    *,
    downloads: Sequence[Download],
    reference_date: dt.date,
    contexts: list[DossierContext] | None = None,
    project: Project | None = None,
) -> tuple[dict[str, str | bytes], list]:
    """Every file of the docs folder (relative path -> content) and the navigation."""
    ids = [d.id for d in dossiers]
    if len(set(ids)) != len(ids):
        raise ConvenantgenError("two dossiers share an id; the site needs unique dossier ids")
    taken = sorted(set(ids) & RESERVED)
    if taken:
        raise ConvenantgenError(
            f"dossier id '{taken[0]}' is a folder of the site itself; rename the dossier "
            f"(reserved: {', '.join(sorted(RESERVED))})"
        )
    wording, templates_folder = Wording.default(), None
    if project is not None:
        wording = Templates.of(project).wording(project)
        templates_folder = project.templates_dir
    if contexts is None:
        contexts = [build_context(d, wording) for d in dossiers]
    p = SITE_PATHS

    def label(key: str) -> str:
        # Navigation labels go into mkdocs.yml and are printed as they are, like page titles.
        return str(h(wording.text(f"site.{key}")))

    render = Pages(templates_folder, project.root if project is not None else None).render
    facts = [DossierFacts.of(d, reference_date) for d in dossiers]
    # Grouped once: looking a dossier's files up in all downloads grows with the square.
    by_dossier: dict[str, list[Download]] = {}
    for item in downloads:
        by_dossier.setdefault(item.dossier, []).append(item)
    views = [
        site_dossier(
            f, ctx, by_dossier.get(f.id, []), _agreement_markdown, _in_force_markdown, wording
        )
        for f, ctx in zip(facts, contexts, strict=True)
    ]
    schemas = _schema_files()
    files: dict[str, str | bytes] = {}
    nav: list = [{label("home"): p.home}]
    for d in views:
        base = d.id
        measures = f"{base}/{p.measures}"
        files[f"{base}/{p.overview}"] = render("site/overview.md", d=d)
        files[f"{measures}/index.md"] = render("site/measures.md", d=d)
        measure_nav = [f"{measures}/index.md"]
        for m in d.measures:
            src = f"{measures}/{m.page}"
            files[src] = render("site/measure.md", d=d, m=m)
            for chart in m.charts:
                files[f"{measures}/{p.charts}/{chart.file}"] = str(chart.svg) + "\n"
            measure_nav.append(src)
        files[f"{base}/{p.parties}"] = render("site/parties.md", d=d)
        files[f"{base}/{p.timeline}"] = render("site/timeline.md", d=d)
        text_nav = []
        for text in d.texts:
            files[f"{base}/{text.page}"] = render("site/text.md", d=d, text=text)
            text_nav.append(f"{base}/{text.page}")
        text_nav += _consolidation_pages(files, d, render)
        files[f"{base}/{p.dossier_downloads}"] = render("site/downloads.md", d=d)
        nav.append(
            {
                str(h(d.display_title)): [
                    f"{base}/{p.overview}",
                    {label("measures"): measure_nav},
                    f"{base}/{p.parties}",
                    f"{base}/{p.timeline}",
                    *text_nav,
                    f"{base}/{p.dossier_downloads}",
                ]
            }
        )
    home = SiteHome(fmt.date_long(reference_date), tuple(views), bool(schemas))
    settings = project.settings if project is not None else Settings()
    feed = site_feed(
        facts,
        {d.id: d.display_title for d in views},
        site_name=settings.site_name,
        description=settings.site_description,
        author=settings.organisation or settings.site_name,
        site_url=settings.site_url,
        reference_date=reference_date,
    )
    files[FEED_FILE] = render("site/feed.xml", feed=feed)
    published = [
        p
        for d, c in zip(dossiers, contexts, strict=True)
        for p in published_documents(d, settings, c)
    ]
    files.update(woo_files(published, downloads, settings.site_url))
    names = {d.id: d.display_title for d in views}
    # Files of no dossier (none today) are listed under the wording's site.other_downloads.
    groups = tuple(
        DownloadGroup(
            names.get(key, key or wording.text("site.other_downloads")),
            site_downloads(by_dossier[key], ""),
        )
        for key in sorted(by_dossier, key=lambda k: (k not in names, k))
    )
    files[p.downloads] = render("site/all-downloads.md", site=home, groups=groups)
    # The register's organisations: one page each, across dossiers (linked from the parties).
    organisations = site_organisations(dossiers)
    org_nav = [f"{p.organisations}/index.md"]
    files[org_nav[0]] = render("site/organisations.md", organisations=organisations)
    for org in organisations:
        files[org.page] = render("site/organisation.md", o=org)
        org_nav.append(org.page)
    nav += [{label("organisations"): org_nav}, p.downloads, f"{p.open_data}/index.md"]

    for name, text in open_data_files(facts, wording).items():
        files[f"{p.open_data}/{name}"] = text
    for schema in schemas:
        files[f"{p.open_data}/schema/{schema.name}"] = schema.read_bytes()
    files[f"{p.open_data}/{p.checksums}"] = checksums(downloads)
    tables = tuple(OpenDataTable(t, f"{t}.csv", spreadsheet_name(t), f"{t}.json") for t in TABLES)
    files[f"{p.open_data}/index.md"] = render(
        "site/open-data.md",
        tables=tables,
        schemas=tuple(s.name for s in schemas),
        checksums=p.checksums,
    )
    files[ACCESSIBILITY_PAGE] = render(
        "site/accessibility.md", a=site_accessibility(settings, wording)
    )
    covenants = tuple(AboutCovenant(d.display_title, f"{d.id}/{p.overview}") for d in views)
    files[ABOUT_PAGE] = render(
        "site/about.md",
        a=site_about(
            settings, covenants, updated=reference_date, no_cookies=_sets_no_cookies(project)
        ),
    )
    nav += [ABOUT_PAGE, ACCESSIBILITY_PAGE, p.search]
    files[p.home] = render("site/home.md", site=home)
    files[p.search] = render("site/search.md")
    # Service pages (file lists, open data, the statement, search itself) are kept out of
    # the search index: lists of file names and hashes outranked the pages people look for.
    service = [p.downloads, f"{p.open_data}/index.md", ABOUT_PAGE, ACCESSIBILITY_PAGE, p.search]
    service += [f"{d.id}/{p.dossier_downloads}" for d in views]
    for rel in service:
        files[rel] = _search_meta(str(files[rel]), _SEARCH_EXCLUDE)
    # A dossier's overview is where its name should lead: its words weigh ten times (measured:
    # else the shorter timeline outranked it), and the search page puts a dossier whose title
    # holds every word of the query first (a "best bet"; see assets/convenantgen-search.js).
    for d in views:
        rel = f"{d.id}/{p.overview}"
        files[rel] = _search_meta(str(files[rel]), _SEARCH_BOOST)
    sidecar: dict = {"nav": nav, "reference_date": reference_date.isoformat()}
    if len(views) > DOSSIERS_IN_NAV:
        # A register: each page's navigation shows its own dossier only (site/hooks.py); the
        # home page lists them all. Every dossier on every page grows with the square.
        sidecar[OWN_DOSSIER_NAV] = [d.id for d in views]
    files[SIDECAR] = json.dumps(sidecar, indent=1, ensure_ascii=False) + "\n"
    return files, nav


def fill_download_facts(
    site_dir: Path, downloads: Sequence[Download], project: Project | None = None
) -> None:
    """Write the form, pages and size of each download that was still being written when the
    pages were built (``late``, its ``SiteDownload.token`` in the pages) into the built site,
    and the checksums file with every download's real hash (its copy among the sources was
    made before). Only the downloads pages hold tokens; the search index never did."""
    site_dir = Path(site_dir)
    root = project.root if project is not None else None
    render = Pages(project.templates_dir if project is not None else None, root).render
    facts = {
        d.token: render("site/download-facts.md", f=d).strip()
        for d in site_downloads(downloads, "")
    }
    marker = re.compile("\u2063[0-9a-f]{20}\u2063")
    for page in sorted(site_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if "\u2063" not in html:
            continue
        # A token of a file the build did not write stays visible as a gap, never as a guess.
        page.write_text(marker.sub(lambda m: facts.get(m.group(0), ""), html), encoding="utf-8")
    target = site_dir / SITE_PATHS.open_data / SITE_PATHS.checksums
    if target.parent.is_dir():
        target.write_text(checksums(downloads), encoding="utf-8")


def checksums(downloads: Sequence[Download]) -> str:
    """The SHA-256 of every download in ``sha256sum``'s format, by its path under the site's
    downloads folder: ``sha256sum -c`` there checks every file. The downloads pages name no
    hashes (they are for checking, not for reading)."""
    return "".join(f"{d.sha256}  {d.path}\n" for d in sorted(downloads, key=lambda d: d.path))


def _sets_no_cookies(project: Project | None) -> bool:
    """True when the site sets no cookies: the engine's theme sets none (a browser test
    checks every page), so only a page template or script among the project's theme
    overrides could."""
    return not [rel for rel, _ in _overrides(project) if rel.endswith((".html", ".js"))]


_SEARCH_EXCLUDE = "search:\n  exclude: true\n"
_SEARCH_BOOST = "search:\n  boost: 10\n  kind: dossier\n"


def _search_meta(page: str, meta: str) -> str:
    """The page with ``meta`` (``search: exclude`` or ``search: boost``) in its front matter,
    read by the theme's main.html: it leaves ``data-pagefind-body`` off an excluded page and
    gives a boosted one's words that weight (``data-pagefind-weight``)."""
    if page.startswith("---\n"):
        return "---\n" + meta + page[4:]
    return "---\n" + meta + "---\n" + page


def _consolidation_pages(files: dict[str, str | bytes], d, render) -> list:
    """The dossier's "Geldende tekst": a page to choose the date, and a page per date."""
    c = d.consolidation
    if c is None:
        return []
    index = f"{d.id}/{SITE_PATHS.in_force}"
    files[index] = render("site/consolidated-index.md", d=d, c=c)
    pages = [index]
    for v in c.versions:
        files[f"{d.id}/{v.page}"] = render("site/consolidated.md", d=d, c=c, v=v)
        pages.append(f"{d.id}/{v.page}")
    return [{str(h(c.heading)): pages}]


def write_site_sources(
    dossiers: list[Dossier],
    docs_dir: Path,
    *,
    downloads: Sequence[Download],
    reference_date: dt.date,
    contexts: list[DossierContext] | None = None,
    project: Project | None = None,
) -> None:
    """Write the site's Markdown, charts, open data and schema copies into ``docs_dir``.

    ``downloads`` are manifest entries (dossier, kind, path, sha256, title); the files
    themselves are placed in ``<site_dir>/downloads/<path>`` by the build, after MkDocs ran.
    """
    docs_dir = Path(docs_dir)
    if docs_dir.exists() and any(docs_dir.iterdir()):
        raise ConvenantgenError(f"site sources folder '{docs_dir}' is not empty")
    files, _ = render_site_sources(
        dossiers,
        downloads=downloads,
        reference_date=reference_date,
        contexts=contexts,
        project=project,
    )
    _write_files(docs_dir, files)


def _write_files(docs_dir: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in sorted(files.items()):
        path = docs_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)


# ---------------------------------------------------------------------------------------------
# Step 2: MkDocs


def config_file() -> Path:
    """The top-level mkdocs.yml (a source checkout) or the copy inside an installed package."""
    found = mkdocs_config()
    if found is not None:
        return found
    raise ConvenantgenError(f"mkdocs.yml not found next to {_PACKAGE}")


def theme_dir(project: Project | None, work: Path) -> Path:
    """Material's ``custom_dir``: the engine's overrides, with the project's ``overrides/``
    copied on top (MkDocs takes one folder, so the two layers are merged into ``work``)."""
    own = _overrides(project)
    if not own:
        return THEME_DIR
    merged = work / "theme"
    shutil.copytree(THEME_DIR, merged, dirs_exist_ok=True)
    _copy_overrides(own, merged)
    return merged


def _overrides(project: Project | None) -> list[tuple[str, Path]]:
    """The project's override files (the folder's README aside), each confined to the
    project: a link out of it is refused by name, never copied into the public site."""
    folder = project.overrides_dir if project is not None else None
    if folder is None or not (folder.is_dir() or folder.is_symlink()):
        return []
    files = confined_files(folder, project.root, "the overrides folder")
    return [(rel, path) for rel, path in files if not rel.startswith("README")]


def _copy_overrides(files: list[tuple[str, Path]], target: Path) -> None:
    for rel, path in files:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / rel)


def project_config(project: Project | None) -> dict:
    """Site settings of the project, as MkDocs configuration."""
    settings = project.settings if project is not None else Settings()
    config: dict = {
        "site_name": settings.site_name,
        "site_description": settings.site_description,
    }
    if settings.site_url:
        config["site_url"] = settings.site_url
    if settings.organisation:
        config["copyright"] = settings.organisation
    theme: dict = {
        "palette": {"primary": settings.primary, "accent": settings.accent},
        "language": settings.language,
    }
    if settings.logo:
        theme["logo"] = settings.logo
    config["theme"] = theme
    return config


def write_derived_config(
    docs_dir: Path,
    site_dir: Path,
    target: Path,
    *,
    project: Project | None = None,
    theme: Path | None = None,
) -> Path:
    """A config that inherits mkdocs.yml, takes the project's site settings and sets docs_dir,
    site_dir, the theme overrides and the navigation."""
    config: dict = {
        "INHERIT": str(config_file()),
        **project_config(project),
        "docs_dir": str(Path(docs_dir).resolve()),
        "site_dir": str(Path(site_dir).resolve()),
    }
    config["theme"]["custom_dir"] = str(theme or THEME_DIR)
    config["hooks"] = [str(_HERE / "hooks.py")]
    sidecar = _sidecar(Path(docs_dir))
    if "nav" in sidecar:
        config["nav"] = sidecar["nav"]
    # JSON is valid YAML; ensure_ascii keeps the file plain ASCII for any YAML loader.
    text = json.dumps(config, indent=1, ensure_ascii=True) + "\n"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target


def _sidecar(docs_dir: Path) -> dict:
    path = docs_dir / SIDECAR
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _source_date_epoch(docs_dir: Path) -> str | None:
    """The reference date as SOURCE_DATE_EPOCH, so the sitemap's dates and the gzip header are
    the same in every build of the same content (MkDocs honours the variable)."""
    day = _sidecar(docs_dir).get("reference_date")
    if not day:
        return None
    return str(calendar.timegm(dt.date.fromisoformat(day).timetuple()))


_ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")


ENGINES = ("mkdocs", "zensical")


def build_site(
    docs_dir: Path,
    site_dir: Path,
    *,
    project: Project | None = None,
    engine: str = "mkdocs",
    bytecode_dir: Path | None = None,
    previous: dict[str, str] | None = None,
) -> None:
    """Build the site from ``docs_dir`` into ``site_dir`` with ``mkdocs build --strict`` or
    ``zensical build --strict`` (Material's successor).

    The engine runs in a subprocess: its logging, plugins and global state stay out of ours,
    and its messages come back as the error text when the build fails. MkDocs keeps the theme's
    compiled Jinja templates in ``bytecode_dir`` when one is given (see :mod:`.site_hooks`).

    ``previous`` (MkDocs only) says that ``site_dir`` already holds the site of sources with
    the same :func:`site_frame`, and maps each of their files to its SHA-256: MkDocs then
    makes again only the pages whose Markdown differs (``--dirty``), which is the same site
    as a full build (a test and ``benchmarks/bench_speed.py`` compare them byte for byte).
    """
    docs_dir, site_dir = Path(docs_dir), Path(site_dir)
    if not docs_dir.is_dir():
        raise ConvenantgenError(f"site sources folder '{docs_dir}' does not exist")
    if engine not in ENGINES:
        raise ConvenantgenError(
            f"unknown site engine '{engine}' (choose from {', '.join(ENGINES)})"
        )
    with tempfile.TemporaryDirectory(prefix="convenantgen-site-") as tmp:
        work = Path(tmp)
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
        epoch = _source_date_epoch(docs_dir)
        if epoch and "SOURCE_DATE_EPOCH" not in env:
            env["SOURCE_DATE_EPOCH"] = epoch
        env = {k: v for k, v in env.items() if k not in ("PYTHONPATH", CACHE_VARIABLE)}
        if bytecode_dir is not None:
            env[CACHE_VARIABLE] = str(bytecode_dir)
        if engine == "mkdocs":
            theme = theme_dir(project, work)
            cfg = write_derived_config(
                docs_dir, site_dir, work / "mkdocs.yml", project=project, theme=theme
            )
            # -P: the working folder is not put on the import path, so a markdown.py (or any
            # module) lying there is never imported; cwd: a folder of our own.
            command = [sys.executable, "-P", "-m", "mkdocs", "build", "--strict", "-f", str(cfg)]
            if previous is not None:
                _only_changed(docs_dir, site_dir, previous)
                command.append("--dirty")
        else:
            cfg = _zensical_project(docs_dir, work, project)
            command = [str(_zensical()), "build", "--strict", "--clean", "-f", str(cfg)]
        proc = subprocess.run(
            command, capture_output=True, text=True, env=env, cwd=work, check=False
        )
        if proc.returncode == 0 and engine == "zensical":
            if site_dir.exists():
                shutil.rmtree(site_dir)
            shutil.move(str(work / "site"), site_dir)
    output = proc.stderr + proc.stdout
    failed = proc.returncode != 0 or (engine == "zensical" and "No issues found" not in output)
    if failed:
        lines = [_ANSI_RE.sub("", x).rstrip() for x in output.splitlines()]
        problems = [x for x in lines if x.startswith(("WARNING", "ERROR", "Aborted", "Error"))]
        detail = "\n".join(problems or lines[-20:])
        name = "MkDocs" if engine == "mkdocs" else "Zensical"
        raise ConvenantgenError(f"the site build ({name}) failed:\n{detail}")
    # Tables that stack on a phone (convenantgen.site.tables): MkDocs' hook labels each page as
    # it is written; Zensical runs no hooks, so its pages are labelled here.
    if engine == "zensical":
        stack_tables(site_dir)
    # One search for both engines, made from the HTML they wrote (convenantgen.site.search).
    if previous is not None and engine == "mkdocs":
        for path in site_dir.rglob("*"):
            os.utime(path)  # the pages left as they were carry this build's time too
    index_site(site_dir)


# MkDocs --dirty makes a page again when its source is newer than its HTML. Fixed times, not
# the clock: unchanged sources are older than every page of the earlier site, changed newer.
_UNCHANGED, _BUILT, _CHANGED = 1_000_000_000, 1_100_000_000, 1_200_000_000


def _only_changed(docs_dir: Path, site_dir: Path, previous: dict[str, str]) -> None:
    """Prepare ``site_dir`` (the earlier site) and ``docs_dir`` for a --dirty build."""
    # The search bundle is made anew from the finished pages (its chunk names change).
    shutil.rmtree(site_dir / SEARCH_BUNDLE, ignore_errors=True)
    for path in site_dir.rglob("*"):
        os.utime(path, (_BUILT, _BUILT))
    for rel, sha in folder_hashes(docs_dir):
        stamp = _UNCHANGED if previous.get(rel) == sha else _CHANGED
        os.utime(docs_dir / rel, (stamp, stamp))


def site_frame(docs_dir: Path, project, engine: str) -> str:
    """What every page of the built site depends on besides its own Markdown: the list of
    source files, each page's front matter and headings (its title in the navigation, its
    anchors), the sidecar file (navigation, settings for the hooks) and what :func:`site_key`
    holds besides the sources. Two sites with the same frame differ only in the pages whose
    Markdown differs and in the static files MkDocs copies (open data, charts, feed)."""
    outline = []
    for path in sorted(docs_dir.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(docs_dir).as_posix()
        if rel == SIDECAR:
            outline.append((rel, path.read_text(encoding="utf-8")))
        elif path.suffix == ".md":
            outline.append((rel, _page_outline(path.read_text(encoding="utf-8"))))
        else:
            outline.append((rel, ""))
    return digest(
        "site-frame",
        engine_fingerprint(),
        engine,
        outline,
        config_file().read_bytes(),
        project_config(project),
        _override_hashes(project),
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    )


def _page_outline(markdown: str) -> list[str]:
    """The front matter and the heading lines of a page."""
    lines = markdown.splitlines()
    head: list[str] = []
    if lines and lines[0] == "---":
        end = lines.index("---", 1) if "---" in lines[1:] else 0
        head, lines = lines[: end + 1], lines[end + 1 :]
    return head + [line for line in lines if line.startswith("#")]


def _zensical() -> Path:
    program = Path(sys.executable).with_name("zensical")
    found = program if program.is_file() else shutil.which("zensical")
    if not found:
        raise ConvenantgenError("Zensical is not installed; install it with: pip install zensical")
    return Path(found)


def _not_for_zensical(folder: str, names: list[str]) -> list[str]:
    return ["search.html"] if Path(folder).name == "partials" else []


def _zensical_project(docs_dir: Path, work: Path, project: Project | None) -> Path:
    """A Zensical project in ``work``: the Markdown in docs/ beside one flat mkdocs.yml.

    Zensical reads mkdocs.yml, but not ``INHERIT`` and not a docs_dir outside the project's
    folder, so the engine's settings, the project's and the navigation are merged into one
    file with relative folders (the layout Zensical documents). Material's search partial of
    the engine is left out (the footer and the theme's words are kept), and Zensical's own
    search is off: the site searches with Pagefind
    (:mod:`.search`), the same under both engines."""

    shutil.copytree(docs_dir, work / "docs")
    base = YAML(typ="safe").load(config_file().read_text("utf-8"))
    own = project_config(project)
    theme_root = work / "theme"
    # Material's search partial is not Zensical's; the other partials (the footer, the theme's
    # words) serve both engines.
    shutil.copytree(THEME_DIR, theme_root, ignore=_not_for_zensical)
    _copy_overrides(_overrides(project), theme_root)
    # Zensical's navigation is one tree that its pages expand in the browser: pruning (for
    # MkDocs' page size) would leave every section empty.
    features = [f for f in base["theme"].get("features", []) if f != "navigation.prune"]
    config = {
        **base,
        **{k: v for k, v in own.items() if k != "theme"},
        "theme": {**base["theme"], **own["theme"], "custom_dir": "theme", "features": features},
        "docs_dir": "docs",
        "site_dir": "site",
        # Zensical turns its search on unless told otherwise.
        "plugins": {"search": {"enabled": False}},
    }
    sidecar = _sidecar(docs_dir)
    if "nav" in sidecar:
        config["nav"] = sidecar["nav"]
    target = work / "mkdocs.yml"
    target.write_text(json.dumps(config, indent=1, ensure_ascii=True) + "\n", encoding="utf-8")
    return target


def site_key(docs_dir: Path, project, engine: str) -> str:
    """What the built site depends on besides the engine: its sources (pages, charts, open
    data and, for Zensical, the downloads), MkDocs' configuration, the project's settings and
    theme overrides, the site engine and $SOURCE_DATE_EPOCH."""
    return digest(
        "site",
        engine_fingerprint(),
        engine,
        folder_hashes(docs_dir),
        config_file().read_bytes(),
        project_config(project),
        _override_hashes(project),
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    )


def _override_hashes(project) -> list[tuple[str, str]]:
    return [(rel, hashlib.sha256(p.read_bytes()).hexdigest()) for rel, p in _overrides(project)]


def _agreement_markdown(agreement) -> str:
    """An agreement's text as a site page shows it: its citations linked (not in documents)."""
    return link_citations(agreement_markdown(agreement))


def _in_force_markdown(version) -> str:
    """A text in force as a site page shows it: under the page's own title, citations linked."""
    return link_citations(consolidated_markdown(version, title=False))
