"""Finding templates: a project's ``templates/NAME`` first, the engine's default after.

Every output is rendered from a template with a name: the Word documents (``agreement.docx``,
``signature-pages.docx``, ``consolidated.docx``, the four accession documents), the wording
(``wording.yml``) and the public site's pages (``site/*.md``, Jinja Markdown). A project's
``templates/NAME`` replaces the engine's default of that name, as a theme's templates do in
Pelican and MkDocs. Checking them against their contexts is :mod:`convenantgen.build.templates`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from ..resources import templates_dir
from ..text.wording import WORDING_FILE, Wording, flatten
from .project import Project

# ---------------------------------------------------------------------------------------------
# Finding templates


@dataclass(frozen=True)
class Templates:
    """Where each template comes from: the project's folder first, the engine's defaults after."""

    project_dir: Path | None = None

    @classmethod
    def of(cls, project: Project | None) -> Templates:
        return cls(project.templates_dir if project is not None else None)

    def own(self, name: str) -> Path | None:
        """The project's own version of ``name``, if it has one."""
        if self.project_dir is None:
            return None
        path = self.project_dir / name
        return path if path.is_file() else None

    def path(self, name: str) -> Path:
        return self.own(name) or default_path(name)

    def wording(self, project: Project | None):
        """The wording in force: defaults, then templates/wording.yml, then convenantgen.yml."""
        words = Wording.default()
        own = self.own(WORDING_FILE)
        if own is not None:
            words = words.with_entries(flatten(YAML(typ="safe").load(own.read_text("utf-8"))))
        if project is not None and project.settings.wording:
            words = words.with_entries(flatten(project.settings.wording))
        return words


def default_path(name: str) -> Path:
    return templates_dir() / name
