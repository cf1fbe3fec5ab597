"""The public site's pages: Jinja Markdown templates rendered from the site context.

The templates are ``templates/site/*.md`` (package defaults); a project's
``templates/site/NAME.md`` replaces one. They render in a sandboxed environment with
``StrictUndefined`` whose ``finalize`` passes every ``{{ value }}`` through
:func:`convenantgen.text.markdown.md`, so text from YAML is inert Markdown unless the engine marked
it as markup itself (the generated agreement text, charts). In raw HTML a template uses the
``h`` filter instead. Page titles go into front matter (``front_matter(title)``), already
HTML-escaped: Material prints ``page.meta.title`` as is into ``<title>`` and the navigation.
The ``cite`` filter is ``md`` that also links every official citation in the text ("Stcrt. 2020,
38286") to its page on zoek.officielebekendmakingen.nl (:mod:`convenantgen.model.citations`).
The one XML template, the Atom feed ``site/feed.xml``, renders with autoescape instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.exceptions import TemplateError, TemplateNotFound
from markupsafe import Markup

from ..errors import TemplateFailed
from ..model.citations import find_citations
from ..model.derive import SITE_PATHS
from ..read.templates import ConfinedLoader
from ..resources import templates_dir
from ..text.markdown import front_matter, h, md
from ..text.sandbox import Sandbox


def _env(project_templates: Path | None, root: Path | None = None, **options: Any) -> Sandbox:
    """A sandboxed environment over the project's templates first, then the engine's; a
    project template may not lead out of the project (``root``)."""
    loaders = [FileSystemLoader(str(templates_dir()))]
    if project_templates is not None:
        own = ConfinedLoader(project_templates, root or project_templates)
        loaders.insert(0, own)
    return Sandbox(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )


def markdown_env(project_templates: Path | None = None, root: Path | None = None) -> Sandbox:
    """The environment of the site's Markdown templates: the project's first, then defaults."""
    env = _env(project_templates, root, autoescape=False, finalize=md)
    env.filters["h"] = h
    env.filters["cite"] = cite
    env.globals["front_matter"] = front_matter
    # Where each page lives (model/site-paths.yml): templates link with paths.timeline, ...
    env.globals["paths"] = SITE_PATHS
    return env


def link_citations(markdown: str) -> str:
    """Generated Markdown with every citation in it a link, the citation its text. A citation
    that already is a link's text is left as it is, and so is one in a heading: a link there
    looks like the heading itself (axe: link-in-text-block), and the text cites it again."""
    out, at = [], 0
    for found in find_citations(markdown):
        line = markdown[markdown.rfind("\n", 0, found.start) + 1 : found.start]
        if line.lstrip().startswith("#") or (
            markdown[: found.start].endswith("[") and markdown[found.end :].startswith("](")
        ):
            continue
        out += [markdown[at : found.start], f"[{found.text}]({found.url})"]
        at = found.end
    return "".join(out) + markdown[at:]


def cite(text: object) -> Markup:
    """User text as inert Markdown (``md``), its citations linked to their official page."""
    return Markup(link_citations(md(text)))


def xml_env(project_templates: Path | None = None, root: Path | None = None) -> Sandbox:
    """The environment of the site's XML templates (the feed): autoescaped for XML."""
    return _env(project_templates, root, autoescape=True)


class Pages:
    """Renders the site's pages with one environment (templates are parsed once)."""

    def __init__(self, project_templates: Path | None = None, root: Path | None = None) -> None:
        self.env = markdown_env(project_templates, root)
        self.xml = xml_env(project_templates, root)

    def render(self, name: str, **values: Any) -> str:
        env = self.xml if name.endswith(".xml") else self.env
        try:
            return env.get_template(name).render(**values)
        except TemplateNotFound as exc:
            if exc.name == name:
                raise TemplateFailed(f"there is no site template '{name}'") from None
            raise TemplateFailed(
                f"the site template '{name}' includes '{exc.name}', which is no template"
            ) from None
        except TemplateError as exc:
            # Templates are checked before the build (templating.check_templates); this is the
            # last guard, for a value that only fails with some data.
            raise TemplateFailed(f"the site template '{name}' failed: {exc}") from None
