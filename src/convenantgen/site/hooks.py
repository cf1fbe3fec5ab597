"""MkDocs hooks of the site build (``hooks:`` in the configuration convenantgen derives).

Three hooks. A register of many dossiers (more than ``engine.DOSSIERS_IN_NAV``, named in the
sources' sidecar file) gives each page a navigation without the other dossiers' sections: the
home page lists every dossier, and a page that listed them all would make the site (and its
build time) grow with the square of their number. Second, Material's Jinja templates are
compiled to Python on every build (a fifth of a small site's build time). With
``CONVENANTGEN_JINJA_CACHE`` set (by :func:`convenantgen.site.engine.build_site`, to a folder
in the project's build cache) the compiled templates are kept there. Jinja keys each by the
template's name and file and checks the checksum of its source and its own and Python's
versions before use, so an edited or upgraded template is compiled again; the pages are the
same bytes either way."""

from __future__ import annotations

import copy
import json
import os

from jinja2 import FileSystemBytecodeCache

from convenantgen.site.tables import label_tables

CACHE_VARIABLE = "CONVENANTGEN_JINJA_CACHE"
# The engine's names (site/engine.py); MkDocs loads this file on its own, not as part of the
# package, so they are repeated here and a test keeps them the same.
SIDECAR = ".site.json"
OWN_DOSSIER_NAV = "own_dossier_nav"

_dossiers: set[str] = set()


def on_config(config):
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
    folder = os.environ.get(CACHE_VARIABLE)
    if folder and os.path.isdir(folder) and not os.path.islink(folder):
        # A damaged cache costs the compile, never the build (convenantgen.cache).
        env.bytecode_cache = FileSystemBytecodeCache(folder)
    return env


def on_post_page(output, page, config):
    return label_tables(output) if "<table>" in output else output
