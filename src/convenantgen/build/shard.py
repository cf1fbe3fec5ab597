"""A register built over several machines: shards of dossiers, then one join.

``convenantgen build --shard K/N`` builds the K-th of N groups of dossiers: their documents,
PDFs, signing packages and Staatscourant records, through the same cache keys as a single
build (a CI cache filled by a shard serves a single build and the other way round), and
writes :data:`SHARD_MANIFEST` beside ``manifest.json``. ``convenantgen build --join DIR...``
checks the shards' manifests against each other and against the content it reads itself
(same inputs, options and tool versions; every shard once; every dossier in exactly one
shard; every file as listed), copies their files and builds what spans dossiers once: the
site with its register pages, sitemaps, feed and open data. The joined folder equals a single
build's, byte for byte.

The groups (:func:`partition`) depend on the dossiers' ids and sizes only, never on the order
in which the file system lists them: the dossiers sorted by id, cut into N runs of about equal
size, so that a new or grown dossier moves at most a few neighbours to another shard.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ..cache import Cache, engine_fingerprint, libreoffice_version
from ..errors import ConvenantgenError, Report, UsageError
from ..progress import Progress
from ..read.load import Loaded, discover
from ..read.project import Project
from ..read.sources import load_file
from ..render.pdf.convert import find_soffice
from .options import BuildOptions
from .run import (
    METADATA_KIND,
    checked_inputs,
    dossier_contexts,
    finish_site,
    make_site,
    open_cache,
    run_build,
)
from .staging import Artifact, StagingArea, link_or_copy, safe_relative, sha256, staged_output

SHARD_MANIFEST = "shard.json"
FORMAT = 1


class ShardMismatch(ConvenantgenError):
    """Shards that cannot be joined into one build: the message says which and why."""


# -- the groups ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A dossier as the partition sees it: its id, its folder's name (what ``--dossier``
    takes) and its size in bytes (its YAML: what its documents grow with)."""

    id: str
    folder: str
    size: int


def partition(members: Sequence[Member], count: int) -> list[list[Member]]:
    """``count`` groups: the members sorted by id, cut where the running size comes closest
    to an equal share. Each group gets at least one member while there are enough."""
    if count < 1:
        raise UsageError("a build has at least one shard")
    ordered = sorted(members, key=lambda m: (m.id, m.folder))
    sums = [0]
    for member in ordered:
        sums.append(sums[-1] + max(member.size, 1))
    total = sums[-1]
    cuts = [0]
    for k in range(1, count):
        low = cuts[-1] + (1 if len(ordered) >= count else 0)
        high = len(ordered) - (count - k if len(ordered) >= count else 0)
        target = total * k / count
        at = bisect.bisect_left(sums, target, lo=low, hi=max(low, high))
        # The nearer of the two prefixes around the target (the earlier on a tie).
        if at > low and target - sums[at - 1] <= sums[min(at, high)] - target:
            at -= 1
        cuts.append(min(max(at, low), max(low, high)))
    cuts.append(len(ordered))
    return [ordered[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def members_of(content_dir: Path, project: Project | None) -> list[Member]:
    """Every dossier folder below ``content_dir`` with the id its dossier.yaml gives (the
    folder's name when it gives none: the check reports that, in whichever shard)."""
    root = project.root if project is not None and project.file is not None else None
    out = []
    for folder in discover(content_dir, root if _inside(content_dir, root) else None):
        source, _ = load_file(folder / "dossier.yaml")
        data = source.data if source is not None else None
        found = data.get("id") if isinstance(data, dict) else None
        size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
        out.append(Member(found if isinstance(found, str) else folder.name, folder.name, size))
    return out


def _inside(path: Path, root: Path | None) -> bool:
    if root is None:
        return False
    real = Path(os.path.realpath(path))
    return real == root or root in real.parents or path.is_symlink()


def parse_shard(text: str) -> tuple[int, int]:
    """``K/N`` (1 ≤ K ≤ N) as two numbers, or a UsageError."""
    k, slash, n = text.partition("/")
    if not slash or not k.isdigit() or not n.isdigit() or not 1 <= int(k) <= int(n):
        raise UsageError(f"--shard takes K/N with 1 <= K <= N, such as 2/3; got '{text}'")
    return int(k), int(n)


# -- what a shard's manifest vouches for -----------------------------------------------------


def inputs_fingerprint(content_dir: Path, project: Project | None) -> str:
    """A hash of everything a build reads: every file below the content folder (by its path
    relative to that folder), the project file and the project's templates and overrides.
    Absolute paths are left out: each CI job has a checkout of its own."""
    h = hashlib.sha256()
    folders = [("content", content_dir)]
    if project is not None and project.file is not None:
        h.update(b"project\0" + project.file.read_bytes() + b"\0")
        folders += [("templates", project.templates_dir), ("overrides", project.overrides_dir)]
    for name, folder in folders:
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if any(part.startswith(".") for part in rel.parts) or not path.is_file():
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            h.update(f"{name}/{rel.as_posix()}\0{digest}\0".encode())
    return h.hexdigest()


def options_record(options: BuildOptions) -> dict:
    """The options that change a shard's files; the join must be given the same."""
    return {
        "pdf": options.pdf,
        "strict": options.strict,
        "reference_date": options.reference_date.isoformat(),
    }


def tools_record(options: BuildOptions, cache: Cache | None) -> dict:
    """The programs whose version shows in a shard's files: the engine (its code and its
    libraries, see :func:`convenantgen.cache.engine_fingerprint`) and LibreOffice."""
    return {
        "engine": engine_fingerprint(),
        "libreoffice": libreoffice_version(find_soffice(), cache) if options.pdf else "",
    }


# -- one shard -------------------------------------------------------------------------------


def run_shard(
    content_dir: Path,
    options: BuildOptions,
    shard: tuple[int, int],
    *,
    project: Project | None = None,
    progress: Progress | None = None,
    on_report: Callable[[Report], None] | None = None,
    cache: Cache | None = None,
) -> tuple[list[Artifact], list[Member]]:
    """Build shard ``K/N`` into ``options.out_dir``: the dossiers of its group, no site."""
    if options.dossiers:
        raise UsageError("--shard chooses the dossiers itself; leave out --dossier")
    k, n = shard
    group = partition(members_of(content_dir, project), n)[k - 1]
    record = {
        "format": FORMAT,
        "shard": k,
        "of": n,
        "inputs": inputs_fingerprint(content_dir, project),
        "options": options_record(options),
        "tools": tools_record(options, cache),
    }

    def write_manifest(staging: StagingArea, loaded: Loaded) -> None:
        record["dossiers"] = [{"id": d.id, "folder": d.folder.name} for d in loaded.dossiers]
        # In the order they were written: the join lists them to the site in that order.
        record["artifacts"] = [asdict(a) for a in staging.artifacts]
        text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True)
        (staging.root / SHARD_MANIFEST).write_text(text + "\n", encoding="utf-8")

    if not group:
        # More shards than dossiers: this one has nothing to build, and says so.
        return _empty_shard(options, record, write_manifest), []
    shard_options = BuildOptions(
        **{**_fields(options), "site": False, "dossiers": tuple(m.folder for m in group)}
    )
    artifacts = run_build(
        content_dir,
        shard_options,
        project=project,
        progress=progress,
        on_report=on_report,
        cache=cache,
        before_swap=write_manifest,
    )
    return artifacts, group


def _fields(options: BuildOptions) -> dict:
    return {name: getattr(options, name) for name in options.__dataclass_fields__}


def _empty_shard(options: BuildOptions, record: dict, write_manifest) -> list[Artifact]:
    with staged_output(options.out_dir) as staging:
        write_manifest(staging, Loaded())
        staging.write_manifest()
    return []


# -- the join --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shard:
    folder: Path
    record: dict

    @property
    def name(self) -> str:
        return f"shard {self.record['shard']}/{self.record['of']} ({self.folder})"


def read_shard(folder: Path) -> Shard:
    """A shard's folder and its manifest, or a ShardMismatch saying what is wrong with it."""
    path = folder / SHARD_MANIFEST
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ShardMismatch(
            f"'{folder}' is not a shard's output: it has no {SHARD_MANIFEST} "
            "(build one with: convenantgen build --shard K/N --out FOLDER)"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ShardMismatch(f"'{path}' cannot be read: {exc}") from None
    if not _well_formed(record):
        raise ShardMismatch(f"'{path}' is no shard manifest of this version of convenantgen")
    return Shard(folder, record)


def _well_formed(record: object) -> bool:
    """The manifest has the shape :func:`run_shard` writes (a hand-edited or truncated one
    gets a message, not a traceback)."""

    def strings(value: object, keys: set[str]) -> bool:
        return (
            isinstance(value, dict)
            and set(value) == keys
            and all(isinstance(v, str) for v in value.values())
        )

    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return False
    k, n = record.get("shard"), record.get("of")
    options = record.get("options")
    return (
        isinstance(k, int)
        and isinstance(n, int)
        and 1 <= k <= n
        and isinstance(record.get("inputs"), str)
        and isinstance(options, dict)
        and set(options) == {"pdf", "strict", "reference_date"}
        and strings(record.get("tools"), {"engine", "libreoffice"})
        and isinstance(record.get("dossiers"), list)
        and all(strings(d, {"id", "folder"}) for d in record["dossiers"])
        and isinstance(record.get("artifacts"), list)
        and all(strings(a, set(Artifact.__dataclass_fields__)) for a in record["artifacts"])
    )


def check_shards(
    shards: list[Shard], inputs: str, options: BuildOptions, engine: str
) -> list[Shard]:
    """The shards in order 1..N, or a ShardMismatch naming the first problem: a shard twice
    or missing, built from other inputs, with other options or by other tools."""
    counts = {s.record["of"] for s in shards}
    if len(counts) != 1:
        raise ShardMismatch(
            "the shards come from builds of different sizes: "
            + ", ".join(f"{s.folder} is {s.record['shard']}/{s.record['of']}" for s in shards)
        )
    (count,) = counts
    seen: dict[int, Shard] = {}
    for s in shards:
        if s.record["shard"] in seen:
            raise ShardMismatch(
                f"shard {s.record['shard']}/{count} is given twice: "
                f"{seen[s.record['shard']].folder} and {s.folder}"
            )
        seen[s.record["shard"]] = s
    missing = [str(k) for k in range(1, count + 1) if k not in seen]
    if missing:
        raise ShardMismatch(
            f"shard(s) {', '.join(missing)} of {count} missing; a join needs all of them"
        )
    wanted = options_record(options)
    for s in shards:
        if s.record["inputs"] != inputs:
            raise ShardMismatch(
                f"{s.name} was built from other inputs than the content here (a different "
                "commit, or a changed file): build every shard from the same checkout"
            )
        if s.record["options"] != wanted:
            differ = sorted(k for k in wanted if s.record["options"].get(k) != wanted[k])
            raise ShardMismatch(
                f"{s.name} was built with other options ({', '.join(differ)}): "
                f"{_shown(s.record['options'], differ)} there, {_shown(wanted, differ)} here"
            )
        if s.record["tools"]["engine"] != engine:
            raise ShardMismatch(
                f"{s.name} was built by another version of convenantgen or of its libraries"
            )
    versions = {s.record["tools"]["libreoffice"] for s in shards}
    if len(versions) > 1:
        raise ShardMismatch(
            "the shards' PDFs come from different LibreOffice versions: "
            + "; ".join(f"{s.name}: {s.record['tools']['libreoffice']}" for s in shards)
        )
    return [seen[k] for k in range(1, count + 1)]


def _shown(record: dict, keys: list[str]) -> str:
    return ", ".join(f"{k}={record.get(k)}" for k in keys)


def check_dossiers(shards: list[Shard], loaded: Loaded) -> None:
    """Every dossier the content has in exactly one shard, and no shard with one it lacks."""
    where: dict[str, Shard] = {}
    for s in shards:
        for entry in s.record["dossiers"]:
            if entry["id"] in where:
                raise ShardMismatch(
                    f"dossier '{entry['id']}' is in {where[entry['id']].name} and in {s.name}"
                )
            where[entry["id"]] = s
    ids = [d.id for d in loaded.dossiers]
    absent = [i for i in ids if i not in where]
    if absent:
        raise ShardMismatch(f"dossier(s) {', '.join(absent)} in no shard")
    extra = sorted(set(where) - set(ids))
    if extra:
        raise ShardMismatch(f"{where[extra[0]].name} has dossier '{extra[0]}', which is not here")


# The build writes its files in phases, each dossier after dossier: the documents, their text
# for review, the PDFs, the signing packages, the Staatscourant records. The join hands them
# to the site in that order too (the pages sort them by path today; a later page that did
# not would still see what a single build shows). A kind unknown here goes last.
_PHASES = (("-docx",), ("-markdown", "-text"), ("-pdf",), ("signing-package",), (METADATA_KIND,))


def _phase(kind: str) -> int:
    return next((n for n, ends in enumerate(_PHASES) if kind.endswith(ends)), len(_PHASES))


def joined_artifacts(shards: list[Shard], loaded: Loaded) -> list[tuple[Path, Artifact]]:
    """Every shard's files (where each is, and its manifest entry) in the order of a single
    build; a ShardMismatch when one is missing, changed or outside its shard's dossiers."""
    position = {d.id: n for n, d in enumerate(loaded.dossiers)}
    out: list[tuple[tuple[int, int, int], Path, Artifact]] = []
    paths: set[str] = set()
    for s in shards:
        own = {entry["id"] for entry in s.record["dossiers"]}
        for n, entry in enumerate(s.record["artifacts"]):
            artifact = Artifact(**entry)
            if artifact.dossier not in own:
                raise ShardMismatch(
                    f"{s.name} lists '{artifact.path}' of dossier '{artifact.dossier}', "
                    "which is not one of its dossiers"
                )
            if artifact.path.split("/", 1)[0] != artifact.dossier:
                # Every file of a dossier is in its folder; the rest of the output (the site,
                # the manifest) is the join's own.
                raise ShardMismatch(
                    f"{s.name} lists '{artifact.path}' outside its dossier's folder"
                )
            if artifact.path in paths:
                raise ShardMismatch(f"'{artifact.path}' is in more than one shard")
            paths.add(artifact.path)
            source = s.folder / safe_relative(artifact.path)
            try:
                data = source.read_bytes()
            except OSError:
                raise ShardMismatch(f"{s.name} lists '{artifact.path}', which is missing") from None
            if sha256(data) != artifact.sha256:
                raise ShardMismatch(
                    f"'{source}' is not the file {s.name} made (its SHA-256 differs from "
                    f"{SHARD_MANIFEST})"
                )
            order = (_phase(artifact.kind), position[artifact.dossier], n)
            out.append((order, source, artifact))
    return [(source, artifact) for _, source, artifact in sorted(out, key=lambda t: t[0])]


def run_join(
    content_dir: Path,
    options: BuildOptions,
    folders: Sequence[Path],
    *,
    project: Project | None = None,
    progress: Progress | None = None,
    on_report: Callable[[Report], None] | None = None,
    cache: Cache | None = None,
) -> list[Artifact]:
    """Join the shards in ``folders`` into ``options.out_dir``: their files and, once, the
    site. Every check comes first: a join that fails writes nothing."""
    progress = progress or Progress(enabled=False)
    if options.dossiers:
        raise UsageError("--join takes every dossier from the shards; leave out --dossier")
    if not folders:
        raise UsageError("--join needs the output folders of the shards")
    if cache is None and options.cache:
        cache = open_cache(project)
    shards = check_shards(
        [read_shard(Path(f)) for f in folders],
        inputs_fingerprint(content_dir, project),
        options,
        engine_fingerprint(),
    )
    loaded = checked_inputs(content_dir, options, project, cache, on_report)
    check_dossiers(shards, loaded)
    files = joined_artifacts(shards, loaded)
    _, contexts = dossier_contexts(loaded, project)
    protected = [content_dir, *(s.folder for s in shards)]
    protected += [project.root] if project is not None else []
    with staged_output(options.out_dir, protected) as staging:
        if cache is not None:
            cache.spool_in(staging.work / "cache")
        progress.step("join", 0, len(files), f"{len(shards)} shard(s)")
        for source, artifact in files:
            link_or_copy(source, staging.root / artifact.path)
            staging.artifacts.append(artifact)
        if options.site:
            make_site(staging, loaded, contexts, options, progress, project, cache)
            finish_site(staging, options, project, cache)
        staging.write_manifest()
        artifacts = list(staging.artifacts)
        if cache is not None:
            cache.commit()
    progress.finish(
        f"{len(artifacts)} file(s) of {len(shards)} shard(s) joined in {options.out_dir}"
    )
    return artifacts
