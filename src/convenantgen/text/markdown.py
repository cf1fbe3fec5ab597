"""The one way user text reaches Markdown: :func:`md`, and :func:`h` for raw HTML.

Every string from YAML that is placed in Markdown (the agreement text for review, every page of
the public site) passes through :func:`md`, which makes it inert: Markdown punctuation, the
attribute-list syntax ``{: ... }``, link and image brackets, table pipes and line starts that
would open a list, heading or quote are escaped, and ``<``/``>`` become entities, so ``<script>``,
``[x](javascript:...)`` and ``{: onfocus=... }`` show as the characters typed. The Jinja
environment of the site templates applies it to every ``{{ value }}`` (see
:func:`markdown_env`); what the engine itself builds as markup is marked with ``Markup``.
"""

from __future__ import annotations

import json
import re
from html import escape as _html_escape

from markupsafe import Markup

# Characters with a meaning in Markdown inline syntax (CommonMark, Python-Markdown, attr_list,
# tables); escaping one that has none is harmless.
_INLINE_RE = re.compile(r"([\\`*_\[\]{}|#!])")
# An '&' that would start an entity ("&amp;", "&#60;"); a plain '&' stays readable.
_ENTITY_RE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What would turn the start of a line into a list ("- ", "+ ", "1. ", "1) ").
_LINE_START_RE = re.compile(r"^(\s*)(?:([-+])|(\d+)([.)]))")


def md(text: object) -> str:
    """User text as inert Markdown inline text, on one line."""
    if isinstance(text, Markup):
        return str(text)
    out = " ".join(str(text).split())
    out = _ENTITY_RE.sub("&amp;", out)
    out = out.replace("<", "&lt;").replace(">", "&gt;")
    out = _INLINE_RE.sub(r"\\\1", out)
    return _LINE_START_RE.sub(_escape_line_start, out)


def _escape_line_start(m: re.Match) -> str:
    if m.group(2):
        return f"{m.group(1)}\\{m.group(2)}"
    # "1. tekst" must not become a list: escape the dot, not the digit.
    return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"


def h(text: object) -> Markup:
    """User text for raw HTML (element content and attribute values)."""
    return Markup(_html_escape(" ".join(str(text).split()), quote=True))


def front_matter(title: str) -> Markup:
    """YAML front matter with the page title, HTML-escaped: Material prints ``page.meta.title``
    as is into ``<title>`` and the navigation. JSON strings are valid YAML scalars."""
    return Markup(f"---\ntitle: {json.dumps(str(h(title)))}\n---\n")
