"""The read-and-check half of the pipeline: discover → load → validate → model → checks.

Nothing here writes. ``load_content`` returns every dossier that could be modelled together
with one report of all findings, each resolved to file, line and column.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import Cache, engine_fingerprint
from ..checks import known_codes, run_checks
from ..checks.characters import check_characters
from ..errors import Diagnostic, Report, Severity, UsageError, Where, did_you_mean
from ..fingerprint import digest
from ..model.dossier import Dossier, build_dossier
from ..text.wording import check_entries
from .paths import confined, problem, shown
from .project import Project
from .schemas import KINDS, schema_fingerprint, validate
from .sources import Locator, Source, load_file, one_line

YAML_SUFFIXES = {".yaml", ".yml"}


@dataclass
class Loaded:
    """Result of reading a content folder: modelled dossiers and every finding."""

    dossiers: list[Dossier] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    locator: Locator = field(default_factory=Locator)
    content_dir: Path = Path()

    def failed(self, strict: bool = False) -> bool:
        return self.report.failed(strict)


def discover(content_dir: Path, root: Path | None = None) -> list[Path]:
    """Dossier folders: the folder itself if it holds dossier.yaml, else its sub-folders.

    ``content_dir`` must stay inside ``root`` (the project; default: the folder itself)."""
    folders, _ = discover_reporting(content_dir, root)
    return folders


def discover_reporting(
    content_dir: Path, root: Path | None = None
) -> tuple[list[Path], list[Diagnostic]]:
    """The dossier folders and a finding for every entry of the content folder that is not
    read although it looks like content (see :func:`_skipped_entry`)."""
    root = Path(os.path.realpath(root if root is not None else content_dir))
    if not os.path.lexists(content_dir):
        raise UsageError(f"content folder '{shown(content_dir)}' does not exist")
    confined(content_dir, root, "the content folder")
    if not content_dir.is_dir():
        raise UsageError(f"'{shown(content_dir)}' is not a folder")
    if (content_dir / "dossier.yaml").is_file():
        return [content_dir], []
    folders, skipped = [], []
    for entry in sorted(content_dir.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        why = problem(entry, root) or _bad_name(entry)
        if why:
            skipped.append(_skip(entry, why))
        elif entry.is_dir() and any(_looks_like_yaml(f.name) for f in entry.iterdir()):
            folders.append(entry)
    if not folders and not skipped:
        raise UsageError(
            f"no dossiers in '{shown(content_dir)}': expected sub-folders with a dossier.yaml "
            "(create one with: convenantgen new dossier NAME)"
        )
    return folders, skipped


def _bad_name(entry: Path) -> str:
    if one_line(entry.name) != entry.name:
        return "has a line break or control character in its name; rename it"
    return ""


def _looks_like_yaml(name: str) -> bool:
    """A YAML file's name, also when careless: ``X.YAML``, ``x.yaml `` (a trailing space)."""
    return Path(name.strip().rstrip(".").lower()).suffix in YAML_SUFFIXES


def _skip(path: Path, reason: str) -> Diagnostic:
    return Diagnostic(
        Severity.ERROR,
        "file-skipped",
        f"'{one_line(path.name)}' is not read: it {reason}",
        Where(path, (), 1, 1),
        one_line(path.name),
        line=1,
        col=1,
    )


def _skipped_entry(path: Path, root: Path) -> str:
    """Why an entry of a dossier folder that looks like YAML is not read, or ``""``."""
    outside = problem(path, root)
    if outside and os.path.isfile(path):
        return ""  # a link to a file outside: load_file refuses it by name ([file-outside])
    why = outside or _bad_name(path)
    if why:
        return why
    name = path.name
    if path.is_dir():
        return "is a folder; a dossier's YAML files are files directly in its folder"
    if not path.is_file():
        return "is not a regular file"
    if name != name.strip() or name.endswith("."):
        return "ends in a space or dot; rename it to end in .yaml"
    if path.suffix not in YAML_SUFFIXES:
        return "has an upper-case extension; rename it to end in .yaml"
    return ""


def _yaml_files(folder: Path, root: Path) -> tuple[list[Path], list[Diagnostic]]:
    """The YAML files of a dossier folder, and a finding for each that looks like one but
    is not read (never silently: a measure left out of a signed text is a real loss)."""
    found, skipped = [], []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not (
            _looks_like_yaml(path.name) or path.is_symlink() or _bad_name(path)
        ):
            continue
        why = _skipped_entry(path, root)
        if why:
            skipped.append(_skip(path, why))
        else:
            found.append(path)
    return found, skipped


def load_dossier(
    folder: Path,
    locator: Locator,
    day: dt.date | None = None,
    profile: str | None = None,
    cache: Cache | None = None,
    root: Path | None = None,
) -> tuple[Dossier | None, list[Diagnostic]]:
    docs: list[tuple[str, Path, object]] = []
    codes = known_codes()
    files, diagnostics = _yaml_files(folder, Path(os.path.realpath(root or folder)))
    characters: list[Diagnostic] = []  # the Unicode policy: rules like the others, see below
    for path in files:
        source, problems = load_file(path)
        diagnostics += problems
        if source is None:
            continue
        locator.add(source)
        kind = source.data.get("kind")
        if kind not in KINDS:
            diagnostics.append(_kind_problem(source, kind))
            characters += check_characters(source.data, path)
            continue
        problems = _validated(source, kind, codes, cache)
        # The Unicode policy, where the schema has not already said something of the value.
        said = {d.where.path for d in problems}
        characters += [d for d in check_characters(source.data, path) if d.where.path not in said]
        if not problems and isinstance(source.data.get("formulas"), dict):
            # An agreement's own formulas are wording: held against the same contract.
            problems = check_entries(
                source.data["formulas"], path, ("formulas",), section="agreement"
            )
        diagnostics += problems
        if not problems:
            docs.append((kind, path, source.data))
    heads = [path for kind, path, _ in docs if kind == "dossier"]
    if not (folder / "dossier.yaml").is_file():
        diagnostics.append(
            Diagnostic(
                Severity.ERROR,
                "dossier-missing",
                f"folder '{folder.name}' has YAML files but no dossier.yaml; add one with kind: "
                "dossier, id and title",
                Where(folder / "dossier.yaml", (), 1, 1),
            )
        )
    if len(heads) > 1:
        diagnostics.append(
            Diagnostic(
                Severity.ERROR,
                "dossier-kind",
                "more than one file has kind: dossier",
                Where(heads[1], ("kind",)),
            )
        )
    if any(d.severity is Severity.ERROR for d in diagnostics + characters) or len(heads) != 1:
        # A dossier with load or schema errors is not modelled: later checks would only
        # repeat the same problem in other words.
        return None, diagnostics + characters
    dossier = build_dossier(folder, docs)  # type: ignore[arg-type]
    return dossier, diagnostics + run_checks(dossier, day, profile, found=characters)


def _validated(source: Source, kind: str, codes: frozenset[str], cache: Cache | None) -> list:
    """The schema's findings for one file. A file whose very bytes passed before, under the
    same schemas, engine and check codes, passes again: the build cache remembers that, which
    spares loading the schemas into Cerberus (most of a no-change build's reading time).
    Findings are never cached: a file with errors is validated every time."""
    if cache is None or not source.sha256:
        return validate(source.data, kind, source.path, codes)
    key = digest("valid", engine_fingerprint(), schema_fingerprint(), kind, source.sha256, codes)
    if cache.get("meta", key) == _CLEAN:
        return []
    problems = validate(source.data, kind, source.path, codes)
    if not problems:
        cache.put("meta", key, _CLEAN)
    return problems


_CLEAN = b"valid"


def _kind_problem(source: Source, kind: object) -> Diagnostic:
    where = Where(source.path, ("kind",) if "kind" in source.data else ())
    if kind is None:
        message = f"missing 'kind'; the first key says what the file holds: {', '.join(KINDS)}"
    else:
        hint = did_you_mean(kind, KINDS)
        message = f"kind '{one_line(str(kind))}' is not one of {', '.join(KINDS)}.{hint}"
    return Diagnostic(Severity.ERROR, "dossier-kind", message, where)


def load_content(
    content_dir: Path,
    only: list[str] | None = None,
    *,
    project: Project | None = None,
    day: dt.date | None = None,
    profile: str | None = None,
    cache: Cache | None = None,
) -> Loaded:
    """Read and check every dossier below ``content_dir`` (or just the ids in ``only``) on
    ``day`` (default today) with the rules of ``profile`` (the project's templates are
    checked by :func:`convenantgen.build.inputs.load_inputs`);
    with ``cache``, files that passed the schemas before are not validated again."""
    loaded = Loaded(content_dir=content_dir)
    # The one default of the reference date, for callers that name none (tests, scripts);
    # every command resolves its own once and passes it down.
    day = day or dt.date.today()
    # Confined to the project; a content folder named on the command line outside any
    # project (or outside the one found) is confined to itself.
    root = None
    if project is not None and project.file is not None:
        real = Path(os.path.realpath(content_dir))
        if real == project.root or project.root in real.parents or content_dir.is_symlink():
            root = project.root
    folders, skipped = discover_reporting(content_dir, root)
    loaded.report.extend(skipped)
    if only:
        unknown = sorted(set(only) - {f.name for f in folders})
        if unknown:
            raise UsageError(
                f"no dossier named {', '.join(unknown)} in '{content_dir}' "
                f"(there are: {', '.join(f.name for f in folders)})"
            )
        folders = [f for f in folders if f.name in only]
    ids: dict[str, Path] = {}
    for folder in folders:
        dossier, diagnostics = load_dossier(
            folder, loaded.locator, day, profile, cache, root or content_dir
        )
        loaded.report.extend(loaded.locator.resolve(d) for d in diagnostics)
        if dossier is None:
            continue
        if dossier.id in ids:
            loaded.report.extend(
                [
                    loaded.locator.resolve(
                        Diagnostic(
                            Severity.ERROR,
                            "id-duplicate",
                            f"dossier id '{dossier.id}' is also used by {ids[dossier.id].name}",
                            dossier.where.child("id"),
                            dossier.id,
                        )
                    )
                ]
            )
            continue
        ids[dossier.id] = folder
        loaded.dossiers.append(dossier)
    return loaded
