"""Finding templates: a project's ``templates/NAME`` first, the engine's default after.

Every output is rendered from a template with a name: the Word documents (``agreement.docx``,
``signature-pages.docx``, ``consolidated.docx``, the four accession documents), the wording
(``wording.yml``) and the public site's pages (``site/*.md``, Jinja Markdown). A project's
``templates/NAME`` replaces the engine's default of that name, as a theme's templates do in
Pelican and MkDocs. Checking them against their contexts is :mod:`convenantgen.build.templates`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from jinja2 import FileSystemLoader
from jinja2.loaders import split_template_path
from ruamel.yaml import YAML

from ..errors import UnsafePath
from ..resources import templates_dir
from ..text.wording import WORDING_FILE, Wording, flatten
from .paths import confined, shown
from .project import Project

# ---------------------------------------------------------------------------------------------
# Finding templates


@dataclass(frozen=True)
class Templates:
    """Where each template comes from: the project's folder first, the engine's defaults after."""

    project_dir: Path | None = None
    root: Path | None = None  # the project's folder, which every template must stay inside

    @classmethod
    def of(cls, project: Project | None) -> Templates:
        if project is None:
            return cls()
        return cls(project.templates_dir, project.root)

    def own(self, name: str) -> Path | None:
        """The project's own version of ``name``, if it has one. A project entry of that name
        that cannot be used (a folder, a broken link, a link out of the project) stops the
        run: using the default instead would hide that the project's template was ignored."""
        if self.project_dir is None:
            return None
        path = self.project_dir / name
        if not os.path.lexists(path):
            return None
        root = Path(os.path.realpath(self.root or self.project_dir))
        real = confined(path, root, "the template")
        if not real.is_file():
            raise UnsafePath(f"the template '{shown(path, root)}' is not a file")
        return path

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


class ConfinedLoader(FileSystemLoader):
    """Jinja's file loader over a project's templates folder that refuses, by name, a
    template reached through a link out of the project (Jinja would follow it)."""

    def __init__(self, folder: Path, root: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder
        self.root = Path(os.path.realpath(root))

    def get_source(self, environment, template):
        # As Jinja resolves the name ('..' refused, '/x' taken as 'x'), then confined.
        path = self.folder.joinpath(*split_template_path(template))
        if os.path.lexists(path):
            confined(path, self.root, "the template")
        return super().get_source(environment, template)
