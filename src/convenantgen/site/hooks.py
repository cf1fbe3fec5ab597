"""MkDocs hooks of the site build (``hooks:`` in the configuration convenantgen derives).

One hook: Material's Jinja templates are compiled to Python on every build (a fifth of a small
site's build time). With ``CONVENANTGEN_JINJA_CACHE`` set (by
:func:`convenantgen.site.engine.build_site`, to a folder in the project's build cache) the
compiled templates are kept there. Jinja keys each by the template's name and file and checks
the checksum of its source and its own and Python's versions before use, so an edited or
upgraded template is compiled again; the pages are the same bytes either way."""

from __future__ import annotations

import os

from jinja2 import FileSystemBytecodeCache

CACHE_VARIABLE = "CONVENANTGEN_JINJA_CACHE"


def on_env(env, config, files):
    folder = os.environ.get(CACHE_VARIABLE)
    if folder and os.path.isdir(folder) and not os.path.islink(folder):
        # A damaged cache costs the compile, never the build (convenantgen.cache).
        env.bytecode_cache = FileSystemBytecodeCache(folder)
    return env
