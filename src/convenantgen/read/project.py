"""Stage 0, project: where a covenant project lives and what it owns.

A covenant project is a folder with ``convenantgen.yml`` (settings: site, organisation, default
signing place, folders, wording), ``content/`` (the dossiers), ``templates/`` (Word, Markdown
and wording templates that replace the engine's defaults of the same name) and ``overrides/``
(Material for MkDocs template overrides and assets). The engine is installed apart from it,
as with MkDocs and Pelican.

Every command finds its project the way git and MkDocs do: ``--project DIR``, else the nearest
folder from the working directory upwards that holds ``convenantgen.yml``. A command that is
given a content folder explicitly also works outside a project, with the default settings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..checks import known_codes
from ..checks.characters import check_characters
from ..errors import CheckFailed, Diagnostic, Report, Severity, UsageError, Where, one_line
from ..text.wording import check_entries
from .locate import PROJECT_FILE, find_project_file
from .paths import problem
from .schemas import validate
from .sources import Locator, load_file

DEFAULT_PATHS = {
    "content": "content",
    "templates": "templates",
    "overrides": "overrides",
    "output": "build",
}


@dataclass(frozen=True)
class Settings:
    """The project's settings with the engine's defaults filled in."""

    site_name: str = "Convenanten en maatregelen"
    site_description: str = "Afspraken, maatregelen, partijen en resultaten van convenanten."
    site_url: str | None = None
    logo: str | None = None
    language: str = "nl"
    # How a visitor reaches the site's publisher (email, phone, form); "Over deze site".
    site_contact: Mapping[str, str] = field(default_factory=dict)
    primary: str = "indigo"
    accent: str = "indigo"
    organisation: str | None = None
    organisation_url: str | None = None
    organisation_tooi: str | None = None  # TOOI identifier of the publisher (Woo, Staatscourant)
    # The sender block of letters: postal address lines and a contact (name, phone, email).
    organisation_address: tuple[str, ...] = ()
    organisation_contact: Mapping[str, str] = field(default_factory=dict)
    organisation_visiting: tuple[str, ...] = ()  # visiting address lines ("Over deze site")
    signing_place: str | None = None
    # The toegankelijkheidsverklaring: status (A-E), date of the last test, contact, register.
    accessibility: Mapping[str, str] = field(default_factory=dict)
    paths: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_PATHS))
    # Section -> key -> Jinja text: replacements for single entries of the default wording.
    wording: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # Upper bound of the build cache (.convenantgen-cache/) in MB; None: the engine's default.
    cache_mb: int | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Settings:
        site = data.get("site") or {}
        colours = site.get("colours") or {}
        org = data.get("organisation") or {}
        signing = data.get("signing") or {}
        defaults = cls()
        return cls(
            site_name=str(site.get("name") or defaults.site_name),
            site_description=str(site.get("description") or defaults.site_description),
            site_url=site.get("url"),
            logo=site.get("logo"),
            language=str(site.get("language") or defaults.language),
            site_contact={str(k): str(v) for k, v in (site.get("contact") or {}).items()},
            primary=str(colours.get("primary") or defaults.primary),
            accent=str(colours.get("accent") or defaults.accent),
            organisation=org.get("name"),
            organisation_url=org.get("url"),
            organisation_tooi=org.get("tooi"),
            organisation_address=tuple(str(line) for line in org.get("address") or ()),
            organisation_contact={str(k): str(v) for k, v in (org.get("contact") or {}).items()},
            organisation_visiting=tuple(str(line) for line in org.get("visiting_address") or ()),
            signing_place=signing.get("place"),
            accessibility={str(k): str(v) for k, v in (data.get("accessibility") or {}).items()},
            paths={**DEFAULT_PATHS, **{k: str(v) for k, v in (data.get("paths") or {}).items()}},
            wording={
                str(section): {str(k): v for k, v in (entries or {}).items()}
                for section, entries in (data.get("wording") or {}).items()
            },
            cache_mb=(data.get("cache") or {}).get("size_mb"),
        )


@dataclass(frozen=True)
class Project:
    """A project folder (``root``) and its settings; ``file`` is None outside a project."""

    root: Path
    settings: Settings
    file: Path | None = None

    def _path(self, key: str) -> Path:
        return self.root / self.settings.paths[key]

    @property
    def content_dir(self) -> Path:
        return self._path("content")

    @property
    def templates_dir(self) -> Path | None:
        """The project's own templates; None outside a project (engine defaults only)."""
        return self._path("templates") if self.file is not None else None

    @property
    def overrides_dir(self) -> Path | None:
        return self._path("overrides") if self.file is not None else None

    @property
    def output_dir(self) -> Path:
        return self._path("output")


def not_a_project_message(where: Path) -> str:
    return (
        f"not inside a covenant project: no {PROJECT_FILE} in '{where}' or any folder above "
        "it. Create a project with 'convenantgen init DIR', or name one with --project DIR"
    )


def load_project(file: Path) -> Project:
    """Read and validate ``convenantgen.yml``; problems stop the run with file:line:col."""

    source, problems = load_file(file)
    report = Report()
    locator = Locator()
    if source is not None:
        locator.add(source)
        problems = problems + validate(source.data, "project", file, known_codes())
        problems += _path_problems(source.data, file)
        said = {d.where.path for d in problems}  # the schema's own word on a value is enough
        problems += [d for d in check_characters(source.data, file) if d.where.path not in said]
        if not problems and isinstance(source.data.get("wording"), Mapping):
            problems += check_entries(source.data["wording"], file, ("wording",))
    report.extend(locator.resolve(d) for d in problems)
    if report.errors or source is None:
        lines = "\n".join(d.format(Path.cwd()) for d in report.sorted())
        raise CheckFailed(f"the project settings have errors:\n{lines}")
    return Project(file.parent.resolve(), Settings.from_data(source.data), file.resolve())


def _path_problems(data: Mapping[str, Any], file: Path) -> list[Diagnostic]:
    """The settings' folders and the site's logo: inside the project, never through a link
    that leaves it (read/paths.py)."""
    root = Path(os.path.realpath(file.parent))
    out = []
    paths = {**DEFAULT_PATHS, **(data.get("paths") or {})}
    for key, value in paths.items():
        if not isinstance(value, str):
            continue
        if ".." in Path(value).parts:
            why = "leaves the project folder"
        elif key == "output":
            why = ""  # written, not read (the build's own rules guard it, as for --out)
        elif Path(value).is_absolute():
            why = "leaves the project folder"
        else:
            why = problem(root / value, root)
        if why:
            where = ("paths", key) if key in (data.get("paths") or {}) else ()
            out.append(_setting_problem(f"paths.{key} '{value}' {why}", file, where))
    logo = (data.get("site") or {}).get("logo") if isinstance(data.get("site"), Mapping) else None
    if isinstance(logo, str) and not logo.startswith(("https://", "http://")):
        overrides = root / str(paths.get("overrides") or DEFAULT_PATHS["overrides"])
        why = (
            "leaves the overrides folder"
            if ".." in Path(logo).parts or Path(logo).is_absolute()
            else problem(overrides / logo, root)
        )
        if not why and not (overrides / logo).is_file():
            why = f"is not a file in {overrides.relative_to(root).as_posix()}/"
        if why:
            out.append(_setting_problem(f"site.logo '{logo}' {why}", file, ("site", "logo")))
    return out


def _setting_problem(message: str, file: Path, where: tuple) -> Diagnostic:
    return Diagnostic(
        Severity.ERROR,
        "project-path",
        one_line(message) + ("; use a path inside the project" if "leaves" in message else ""),
        Where(file, where),
    )


def find_project(
    explicit: str | Path | None = None, *, content: str | Path | None = None
) -> Project:
    """The project a command works on.

    ``explicit`` (``--project``) must hold ``convenantgen.yml``. Otherwise the nearest one from
    the working directory upwards is used, then the nearest one above ``content``. With neither,
    a command that names its content folder runs with the default settings; one that does not
    gets a message that says how to create a project.
    """
    if explicit is not None:
        root = Path(explicit)
        if not root.is_dir():
            raise UsageError(f"--project '{root}' is not a folder")
        file = root / PROJECT_FILE
        if not file.is_file():
            raise UsageError(
                f"--project '{root}' holds no {PROJECT_FILE}; create a project there with "
                f"'convenantgen init {root}'"
            )
        return load_project(file)
    file = find_project_file(Path.cwd())
    if file is None and content is not None:
        file = find_project_file(Path(content))
    if file is not None:
        return load_project(file)
    if content is None:
        raise UsageError(not_a_project_message(Path.cwd()))
    return Project(Path.cwd().resolve(), Settings())


def content_dir(project: Project, content: str | Path | None) -> Path:
    """The content folder named on the command line, else the project's."""
    return Path(content) if content is not None else project.content_dir
