"""The public site's pages: Jinja Markdown templates rendered from the site context.

The templates are ``templates/site/*.md`` (package defaults); a project's
``templates/site/NAME.md`` replaces one. They render in a sandboxed environment with
``StrictUndefined`` whose ``finalize`` passes every ``{{ value }}`` through
:func:`convenantgen.text.markdown.md`, so text from YAML is inert Markdown unless the engine marked
it as markup itself (the generated agreement text, charts). In raw HTML a template uses the
``h`` filter instead. Page titles go into front matter (``front_matter(title)``), already
HTML-escaped: Material prints ``page.meta.title`` as is into ``<title>`` and the navigation.
The one XML template, the Atom feed ``site/feed.xml``, renders with autoescape instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.exceptions import TemplateError

from ..errors import ConvenantgenError
from ..model.derive import SITE_PATHS
from ..resources import templates_dir
from ..text.markdown import front_matter, h, md
from ..text.sandbox import Sandbox


def _env(project_templates: Path | None, **options: Any) -> Sandbox:
    """A sandboxed environment over the project's templates first, then the engine's."""
    folders = [str(p) for p in (project_templates, templates_dir()) if p is not None]
    return Sandbox(
        loader=ChoiceLoader([FileSystemLoader(f) for f in folders]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )


def markdown_env(project_templates: Path | None = None) -> Sandbox:
    """The environment of the site's Markdown templates: the project's first, then defaults."""
    env = _env(project_templates, autoescape=False, finalize=md)
    env.filters["h"] = h
    env.globals["front_matter"] = front_matter
    # Where each page lives (model/site-paths.yml): templates link with paths.timeline, ...
    env.globals["paths"] = SITE_PATHS
    return env


def xml_env(project_templates: Path | None = None) -> Sandbox:
    """The environment of the site's XML templates (the feed): autoescaped for XML."""
    return _env(project_templates, autoescape=True)


class Pages:
    """Renders the site's pages with one environment (templates are parsed once)."""

    def __init__(self, project_templates: Path | None = None) -> None:
        self.env = markdown_env(project_templates)
        self.xml = xml_env(project_templates)

    def render(self, name: str, **values: Any) -> str:
        env = self.xml if name.endswith(".xml") else self.env
        try:
            return env.get_template(name).render(**values)
        except TemplateError as exc:
            # Templates are checked before the build (templating.check_templates); this is the
            # last guard, for a value that only fails with some data.
            raise ConvenantgenError(f"the site template '{name}' failed: {exc}") from None
