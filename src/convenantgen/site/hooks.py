"""MkDocs hooks of the site build (``hooks:`` in the configuration convenantgen derives).

Five hooks. A register of many dossiers (more than ``engine.DOSSIERS_IN_NAV``, named in the
sources' sidecar file) gives each page a navigation without the other dossiers' sections: the
home page lists every dossier, and a page that listed them all would make the site (and its
build time) grow with the square of their number. Second, Material's Jinja templates are
compiled to Python on every build (a fifth of a small site's build time). With
``CONVENANTGEN_JINJA_CACHE`` set (by :func:`convenantgen.site.engine.build_site`, to a folder
in the project's build cache) the compiled templates are kept there. Jinja keys each by the
template's name and file and checks the checksum of its source and its own and Python's
versions before use, so an edited or upgraded template is compiled again; the pages are the
same bytes either way. Third, a build that makes only the changed pages again (``--dirty``,
see :func:`convenantgen.site.engine.build_site`) reads the front matter of the pages it leaves
as they are, so their titles in the navigation of the pages it makes are those of a full build,
and its notice that such a build is meant for development (true of MkDocs' own use: ours
starts from a site of the same frame) does not fail the build under ``--strict``. Fourth, the
download links: raw HTML (MkDocs must not validate them, the
files arrive after its build), written relative to the page's Markdown file as every link is.
Zensical resolves raw HTML links that way; MkDocs leaves raw HTML alone, so here each is made
relative to the page's address (``almere/downloads.md`` is ``almere/downloads/``), else it
pointed one folder too high and broke on a site under a sub-path. Fifth, each page's tables
get their column headers as cell labels for the phone (``convenantgen.site.tables``), so
``serve`` shows them stacked too (under Zensical, which runs no hooks, the build labels the
written site)."""

from __future__ import annotations

import copy
import json
import logging
import os
import posixpath
import re

from jinja2 import FileSystemBytecodeCache

from convenantgen.site.tables import label_tables

CACHE_VARIABLE = "CONVENANTGEN_JINJA_CACHE"
# The engine's names (site/engine.py); MkDocs loads this file on its own, not as part of the
# package, so they are repeated here and a test keeps them the same.
SIDECAR = ".site.json"
OWN_DOSSIER_NAV = "own_dossier_nav"

_dossiers: set[str] = set()
# A download link of templates/site/download-table.md, with a relative address.
_DOWNLOAD_LINK = re.compile(r'<a href="(?![a-z][a-z0-9+.-]*:|/|#)([^"]+)" download>')


class _DirtyNotice(logging.Filter):
    def filter(self, record):
        return "'dirty' build" not in record.getMessage()


_NOTICE = _DirtyNotice()


def on_config(config):
    logging.getLogger("mkdocs.commands.build").addFilter(_NOTICE)  # added once: a set
    _dossiers.clear()
    path = os.path.join(config["docs_dir"], SIDECAR)
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            _dossiers.update(json.load(f).get(OWN_DOSSIER_NAV) or ())
    return config


def on_page_context(context, page, config, nav):
    if not _dossiers:
        return context
    own = page.file.src_uri.split("/", 1)[0]
    shown = copy.copy(nav)
    shown.items = [item for item in nav.items if _dossier_of(item) in ("", own)]
    context["nav"] = shown
    return context


def _dossier_of(item) -> str:
    """The dossier a top-level section of the navigation is ("" for any other item)."""
    for child in getattr(item, "children", None) or ():
        file = getattr(child, "file", None)
        if file is not None:
            folder = file.src_uri.split("/", 1)[0]
            return folder if folder in _dossiers else ""
        found = _dossier_of(child)
        if found:
            return found
    return ""


def on_env(env, config, files):
    for file in files.documentation_pages():
        if file.page is not None and file.page.markdown is None:
            file.page.read_source(config)  # left as it was by --dirty: its title for the nav
    folder = os.environ.get(CACHE_VARIABLE)
    if folder and os.path.isdir(folder) and not os.path.islink(folder):
        # A damaged cache costs the compile, never the build (convenantgen.cache).
        env.bytecode_cache = FileSystemBytecodeCache(folder)
    return env


def on_page_content(html, page, config, files):
    source = posixpath.dirname(page.file.src_uri)
    address = page.url if page.url.endswith("/") else posixpath.dirname(page.url)

    def from_page(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(source, match.group(1)))
        return f'<a href="{posixpath.relpath(target, address or ".")}" download>'

    return _DOWNLOAD_LINK.sub(from_page, html)


def on_post_page(output, page, config):
    return label_tables(output) if "<table>" in output else output
