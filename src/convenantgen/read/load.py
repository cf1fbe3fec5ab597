"""The read-and-check half of the pipeline: discover → load → validate → model → checks.

Nothing here writes. ``load_content`` returns every dossier that could be modelled together
with one report of all findings, each resolved to file, line and column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import Cache, engine_fingerprint
from ..checks import known_codes, run_checks
from ..errors import Diagnostic, Report, Severity, UsageError, Where, did_you_mean
from ..fingerprint import digest
from ..model.dossier import Dossier, build_dossier
from ..text.wording import check_entries
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


def discover(content_dir: Path) -> list[Path]:
    """Dossier folders: the folder itself if it holds dossier.yaml, else its sub-folders."""
    if not content_dir.exists():
        raise UsageError(f"content folder '{content_dir}' does not exist")
    if not content_dir.is_dir():
        raise UsageError(f"'{content_dir}' is not a folder")
    if (content_dir / "dossier.yaml").is_file():
        return [content_dir]
    folders = sorted(
        p
        for p in content_dir.iterdir()
        if p.is_dir()
        and not p.name.startswith((".", "_"))
        and any(f.suffix in YAML_SUFFIXES for f in p.iterdir())
    )
    if not folders:
        raise UsageError(
            f"no dossiers in '{content_dir}': expected sub-folders with a dossier.yaml "
            "(create one with: convenantgen new dossier NAME)"
        )
    return folders


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES)


def load_dossier(
    folder: Path,
    locator: Locator,
    day: dt.date | None = None,
    profile: str | None = None,
    cache: Cache | None = None,
) -> tuple[Dossier | None, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    docs: list[tuple[str, Path, object]] = []
    codes = known_codes()
    for path in _yaml_files(folder):
        source, problems = load_file(path)
        diagnostics += problems
        if source is None:
            continue
        locator.add(source)
        kind = source.data.get("kind")
        if kind not in KINDS:
            diagnostics.append(_kind_problem(source, kind))
            continue
        problems = _validated(source, kind, codes, cache)
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
    if any(d.severity is Severity.ERROR for d in diagnostics) or len(heads) != 1:
        # A dossier with load or schema errors is not modelled: later checks would only
        # repeat the same problem in other words.
        return None, diagnostics
    dossier = build_dossier(folder, docs)  # type: ignore[arg-type]
    return dossier, diagnostics + run_checks(dossier, day, profile)


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
    folders = discover(content_dir)
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
        dossier, diagnostics = load_dossier(folder, loaded.locator, day, profile, cache)
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
