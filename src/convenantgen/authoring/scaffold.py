"""``convenantgen new``: scaffold a dossier, a measure or an accession request as valid YAML.

Every file starts with the ``# yaml-language-server: $schema=...`` line for editor support and
carries comments that say what to fill in. Nothing is overwritten: new files are written to a
temporary name and linked into place only if the name is still free. Before anything is written
the result is checked in a scratch copy of the dossier; if it would add an error, nothing is
written and the findings are shown instead.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConvenantgenError, UsageError
from ..model.dates import parse_iso_date
from ..read.jsonschema import write_all
from ..read.load import load_content
from ..read.project import PROJECT_FILE
from ..read.schemas import ID_RE
from ..read.sources import load_file
from .sector_example import sector_dossier_files

MAX_ID_LENGTH = 60


def validate_id(value: str, what: str) -> str:
    """An id as the schemas accept it; this also rules out paths ('../x', 'a/b')."""
    if not ID_RE.fullmatch(value) or len(value) > MAX_ID_LENGTH:
        raise UsageError(
            f"'{value}' is not a valid {what}: use lower-case letters, digits and hyphens, "
            f"starting with a letter or digit, at most {MAX_ID_LENGTH} characters "
            "(e.g. 'zij-instroom')"
        )
    return value


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def date_option(value: str | None, what: str) -> dt.date | None:
    if value is None:
        return None
    parsed, reason = parse_iso_date(value)
    if parsed is None:
        raise UsageError(f"--{what}: {reason}")
    return parsed


def _same_day_next_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return dt.date(day.year + 1, 3, 1)


def next_school_year(day: dt.date) -> dt.date:
    """The first 1 August after ``day``."""
    start = dt.date(day.year, 8, 1)
    return start if start > day else dt.date(day.year + 1, 8, 1)


# ---------------------------------------------------------------------------------------------
# writing


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _temp_file(path: Path, text: str) -> str:
    """Write ``text`` to a temporary file next to ``path``, with normal permissions."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~_umask())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def write_new(path: Path, text: str) -> None:
    """Write ``path`` atomically; refuse if it exists (also when it appears meanwhile)."""
    if path.exists():
        raise ConvenantgenError(f"'{path}' already exists; not overwriting it")
    tmp = _temp_file(path, text)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise ConvenantgenError(f"'{path}' already exists; not overwriting it") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def replace_file(path: Path, text: str) -> None:
    """Replace an existing file atomically (used to append a party to the registry)."""
    tmp = _temp_file(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass(frozen=True)
class Plan:
    """What a scaffold command will do: new files and replaced files (path -> text)."""

    new: dict[Path, str]
    replaced: dict[Path, str]


def _errors_of(folder: Path) -> list[str]:
    try:
        loaded = load_content(folder)
    except ConvenantgenError as exc:
        return [str(exc)]
    return [f"{d.where.file.name}:{d.line}:{d.col}: {d.message}" for d in loaded.report.errors]


def _preflight(folder: Path, plan: Plan) -> list[str]:
    """Apply the plan to a scratch copy of ``folder``; return the errors it would add."""
    with tempfile.TemporaryDirectory(prefix="convenantgen-new-") as scratch:
        copy = Path(scratch) / folder.name
        if folder.is_dir():
            shutil.copytree(folder, copy)
        else:
            copy.mkdir()
        before = _errors_of(copy) if folder.is_dir() else []
        for path, text in {**plan.new, **plan.replaced}.items():
            (copy / path.name).write_text(text, encoding="utf-8")
        after = _errors_of(copy)
    return [e for e in after if e not in before]


def _apply(folder: Path, plan: Plan, out) -> None:
    problems = _preflight(folder, plan)
    if problems:
        raise ConvenantgenError(
            "the scaffolded YAML would not pass 'convenantgen check'; nothing was written:\n  "
            + "\n  ".join(problems)
        )
    for path, text in plan.new.items():
        write_new(path, text)
        print(f"created {path}", file=out)
    for path, text in plan.replaced.items():
        replace_file(path, text)
        print(f"updated {path}", file=out)


# ---------------------------------------------------------------------------------------------
# new dossier


def dossier_files(name: str, title: str, start: dt.date) -> dict[str, str]:
    """The files of a new dossier: a covenant with its full text, parties and one measure."""
    # One year: the day before the same date next year (29 February: 28 February next year).
    end = _same_day_next_year(start) - dt.timedelta(days=1)
    return {
        "dossier.yaml": f"""\
# yaml-language-server: $schema=../../schema/json/dossier.schema.json
# The dossier: what it is, where its content comes from, and how its checks are tuned.
# Created by 'convenantgen new dossier'. Everything below is a starting point: replace it, and
# record in provenance which source each part comes from and what is illustrative.
kind: dossier
id: {name}
title: {_q(title)}
# short_title: a short name for navigation
summary: >-
  Beschrijf in een alinea wie samenwerken en wat zij afspreken.
provenance:
  # sources: one entry per source document, e.g.
  #   - {{title: "Convenant ... (Stcrt. 2025, 12345)", reference: "https://..."}}
  note: Generated by 'convenantgen new dossier'; no source yet.
  illustrative:
    - Everything in this dossier until it is replaced by content from a source.
pillars:
  # Pillars (pijlers) that measures can be tagged with.
  - id: behoud
    label: Behoud
    description: Leraren en ondersteunend personeel behouden voor het onderwijs.
# checks: severity per check code, e.g. {{term-undefined: "off"}}; list codes with
#   'convenantgen checks'.
# acknowledgements: findings that are intentional, each with a written reason:
#   - {{code: ..., subject: ..., reason: ...}}  (see 'convenantgen check --subjects')
""",
        "partijen.yaml": """\
# yaml-language-server: $schema=../../schema/json/parties.schema.json
# The party registry: groups in the order of the parties block, and every party with its
# representative. Party names here are placeholders (illustrative: true).
kind: parties
groups:
  - id: schoolbesturen
    heading: de schoolbesturen
    designation: de schoolbesturen
    # each: every party's representative signs; representative: one party signs for the group
    signing: each

parties:
  - id: voorbeeldbestuur
    name: Stichting Voorbeeldbestuur
    kind: schoolbestuur
    group: schoolbesturen
    representative: {name: A. Voorbeeld, title: mevrouw, role: voorzitter college van bestuur}
    # The party that handles accession requests.
    penvoerder: true
    illustrative: true
""",
        "convenant.yaml": f"""\
# yaml-language-server: $schema=../../schema/json/convenant.schema.json
# The covenant with its full text. Refer to articles, measures and dates by id
# ({{art:ID}}, {{maatregel:ID}}, {{date:looptijd.end}}): numbers and dates are generated.
kind: convenant
id: convenant
title: {_q(title)}
term:
  id: looptijd
  start: {start.isoformat()}
  end: {end.isoformat()}
parties: [schoolbesturen]

considerations:
  - text: Partijen samen willen werken aan voldoende en goed opgeleid onderwijspersoneel.

sections:
  - id: maatregelen-artikel
    title: Maatregelen
    clauses:
      - id: maatregelen-afspraak
        text: Partijen spreken de volgende maatregelen af.
        article:
          title: Maatregelen
          parts:
            # List every measure here (by id) so the document shows it.
            - id: maatregelen-lijst
              measures: [eerste-maatregel]
  - id: looptijd-artikel
    title: Looptijd
    clauses:
      - id: looptijd-periode
        period: looptijd
        text: Dit convenant geldt van {{period:looptijd}}.

signing:
  place: Voorbeeldstad
  # copies: the number in the text ('in tweevoud' = 2); checked against who signs.
  copies: 1
""",
        "maatregelen.yaml": """\
# yaml-language-server: $schema=../../schema/json/measures.schema.json
# Measures (maatregelen) with their targets. Letters (A, B, ...) are generated from the order in
# the covenant. In a target's text, {value} and {period} are filled in from the data.
kind: measures

indicators:
  # unit: percent, count, fte, hours, grade, euro or factor
  - {id: deelnemers, label: Deelnemers aan de maatregel, unit: count, counted: deelnemers}

measures:
  - id: eerste-maatregel
    title: Eerste maatregel
    pillars: [behoud]
    description:
      - Beschrijf wat partijen doen en waarom.
    targets:
      - id: eerste-maatregel-deelnemers
        indicator: deelnemers
        comparator: ">="
        value: 10
        text: Aan de maatregel doen ten minste {value} mee.
""",
    }


def new_dossier(
    content: Path, name: str, title: str | None, start: dt.date, out, kind: str = "onderwijs"
) -> Path:
    validate_id(name, "dossier name")
    if not content.is_dir():
        raise UsageError(f"content folder '{content}' does not exist")
    folder = content / name
    if folder.exists():
        raise ConvenantgenError(f"'{folder}' already exists; not overwriting it")
    title = title or f"Convenant {name}"
    files = dossier_files(name, title, start)
    if kind == "sector":
        end = _same_day_next_year(start) - dt.timedelta(days=1)
        files = sector_dossier_files(files, title, start, end)
    plan = Plan({folder / n: t for n, t in files.items()}, {})
    problems = _preflight(folder, plan)
    if problems:  # pragma: no cover - the template itself is tested
        raise ConvenantgenError(
            "the dossier template does not pass check:\n  " + "\n  ".join(problems)
        )
    write_folder(content, name, files)
    for file_name in files:
        print(f"created {folder / file_name}", file=out)
    return folder


def write_folder(content: Path, name: str, files: dict[str, str], *, replace: bool = False):
    """Write ``content/name`` with ``files`` as a whole: built under a hidden name ('check'
    skips it) and renamed into place, so the dossier appears complete or not at all. With
    ``replace`` an existing folder is swapped out only once the new one is complete."""
    folder = content / name
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=content))
    os.chmod(staging, 0o777 & ~_umask())
    old: Path | None = None
    try:
        for file_name, text in files.items():
            write_new(staging / file_name, text)
        if replace and folder.is_dir() and not folder.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{name}.replaced-", dir=content))
            os.rename(folder, old / name)
        try:
            os.rename(staging, folder)
        except OSError:
            if old is not None:
                os.rename(old / name, folder)
            raise ConvenantgenError(f"'{folder}' already exists; not overwriting it") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        if old is not None and old.exists():
            shutil.rmtree(old, ignore_errors=True)
    return folder


# ---------------------------------------------------------------------------------------------
# new measure / new accession: both work on an existing, loadable dossier


def _dossier(content: Path, name: str):
    validate_id(name, "dossier name")
    folder = content / name
    if not (folder / "dossier.yaml").is_file():
        raise UsageError(f"no dossier '{name}' in '{content}' (no {folder / 'dossier.yaml'})")
    loaded = load_content(folder)
    if loaded.report.errors or not loaded.dossiers:
        raise ConvenantgenError(
            f"dossier '{name}' has {len(loaded.report.errors)} error(s); fix them first "
            f"(convenantgen check {folder})"
        )
    return folder, loaded.dossiers[0]


def _ids(dossier) -> set[str]:
    """Every value of an ``id`` key in the dossier's files (ids are unique per dossier)."""
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                found.add(node["id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in dossier.files:
        source, _ = load_file(path)
        if source is not None:
            walk(source.data)
    return found


def measure_file(measure_id: str, title: str, pillars: list[str]) -> str:
    pillar_line = f"    pillars: [{pillars[0]}]\n" if pillars else ""
    return f"""\
# yaml-language-server: $schema=../../schema/json/measures.schema.json
# Measure '{measure_id}', created by 'convenantgen new measure'. List its id under 'measures:' of
# an article part in the covenant or addendum so the document shows it (its letter follows
# from that order).
kind: measures
measures:
  - id: {measure_id}
    title: {_q(title)}
{pillar_line}    description:
      - Beschrijf wat partijen doen en waarom.
    # worked: what worked so far; strengthen: what the parties will strengthen.
    targets:
      # A qualitative target. For a measurable one add indicator, comparator and value, and
      # write {{value}} in the text.
      - id: {measure_id}-doel
        text: Beschrijf het beoogde resultaat.
"""


def new_measure(content: Path, name: str, measure_id: str, title: str | None, out) -> Path:
    validate_id(measure_id, "measure id")
    folder, dossier = _dossier(content, name)
    if measure_id in _ids(dossier) or f"{measure_id}-doel" in _ids(dossier):
        raise ConvenantgenError(f"id '{measure_id}' is already used in dossier '{name}'")
    path = folder / f"maatregel-{measure_id}.yaml"
    text = measure_file(
        measure_id,
        title or measure_id.replace("-", " ").capitalize(),
        [p.id for p in dossier.pillars],
    )
    _apply(folder, Plan({path: text}, {}), out)
    listed = any(p.measures for a in dossier.agreements for _, c in a.clauses() for p in c.parts)
    if listed:
        print(
            f"note: add '{measure_id}' to the measures of an article part, or check warns "
            "[measure-unlisted]",
            file=out,
        )
    return path


def _registry_with_party(path: Path, entry: dict[str, str]) -> str:
    """The registry text with a party appended to the ``parties:`` list (the last key)."""
    text = path.read_text("utf-8")
    lines = text.splitlines()
    keys = [(i, ln) for i, ln in enumerate(lines) if re.match(r"^[A-Za-z_][\w-]*\s*:", ln)]
    if not keys or not keys[-1][1].startswith("parties:"):
        raise ConvenantgenError(
            f"cannot add the party to {path}: 'parties:' is not its last key; add it by hand"
        )
    indent = "  "
    for ln in lines[keys[-1][0] + 1 :]:
        match = re.match(r"^(\s*)- ", ln)
        if match:
            indent = match.group(1)
            break
    block = [f"{indent}# Added by 'convenantgen new accession'."]
    first = True
    for key, value in entry.items():
        block.append(f"{indent}{'- ' if first else '  '}{key}: {value}")
        first = False
    return text.rstrip("\n") + "\n" + "\n".join(block) + "\n"


def new_accession(
    content: Path,
    name: str,
    party_id: str,
    *,
    party_name: str | None,
    kind: str | None,
    group: str | None,
    document: str | None,
    requested: dt.date,
    effective: dt.date | None,
    out,
) -> Path:
    validate_id(party_id, "party id")
    folder, dossier = _dossier(content, name)
    allowing = [a for a in dossier.agreements if a.accession]
    if document is not None:
        validate_id(document, "document id")
        doc = next((a for a in allowing if a.id == document), None)
        if doc is None:
            options = ", ".join(a.id for a in allowing) or "none"
            raise UsageError(
                f"'{document}' is not a document of '{name}' with an accession clause "
                f"(documents that allow accession: {options})"
            )
    elif len(allowing) == 1:
        doc = allowing[0]
    elif not allowing:
        raise ConvenantgenError(
            f"no document in dossier '{name}' allows accession; add an 'accession:' block "
            "naming the clause that allows it"
        )
    else:
        raise UsageError(
            "several documents allow accession; choose one with --document "
            f"({', '.join(a.id for a in allowing)})"
        )
    rule = doc.accession
    if effective is None:
        effective = next_school_year(requested) if rule.before_school_year else requested
    replaced: dict[Path, str] = {}
    party = dossier.party(party_id)
    if party is None:
        if not party_name or not kind:
            raise UsageError(
                f"'{party_id}' is not in the party registry of '{name}'; give --name and --kind "
                "to add it"
            )
        if group is None:
            groups = sorted({p.group for p in dossier.parties if p.kind == kind})
            if len(groups) != 1:
                names = ", ".join(g.id for g in dossier.groups)
                raise UsageError(f"give --group for the new party (groups: {names})")
            group = groups[0]
        validate_id(group, "group id")
        registry = next(
            (
                f
                for f in dossier.files
                if re.search(r"^kind:\s*parties\s*$", f.read_text("utf-8"), re.M)
            ),
            None,
        )
        if registry is None:  # pragma: no cover - a dossier with parties has a registry
            raise ConvenantgenError(f"dossier '{name}' has no party registry")
        entry = {
            "id": party_id,
            "name": _q(party_name),
            "kind": kind,
            "group": group,
            "joined": effective.isoformat(),
        }
        replaced[registry] = _registry_with_party(registry, entry)
    accession_id = f"toetreding-{party_id}-{effective.year}"
    if accession_id in _ids(dossier):
        raise ConvenantgenError(f"id '{accession_id}' is already used in dossier '{name}'")
    path = folder / f"toetreding-{party_id}.yaml"
    text = f"""\
# yaml-language-server: $schema=../../schema/json/accessions.schema.json
# Accession request of '{party_id}', created by 'convenantgen new accession'. Update status as
# the request proceeds: requested -> consented -> sent -> published.
kind: accessions
accessions:
  - id: {accession_id}
    party: {party_id}
    document: {doc.id}
    requested: {requested.isoformat()}
    effective: {effective.isoformat()}
    status: requested
"""
    _apply(folder, Plan({path: text}, replaced), out)
    return path


# ---------------------------------------------------------------------------------------------
# command line


# ---------------------------------------------------------------------------------------------
# init DIR: a new covenant project

PROJECT_TEMPLATE = Path(__file__).resolve().parents[1] / "project_template"
EXAMPLE_DOSSIER = "voorbeeld"


def init_project(target: Path, out, *, title: str | None = None) -> Path:
    """Write a covenant project into ``target`` (new or empty): settings, one valid dossier,
    template and override folders with their README, pre-commit and CI configuration, and the
    JSON Schemas for editors. The project appears complete or not at all."""

    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"'{target}' exists and is not an empty folder; choose a new one")
    parent = target.resolve().parent
    if not parent.is_dir():
        raise UsageError(f"'{parent}' does not exist; create it first")
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.init-", dir=parent))
    try:
        shutil.copytree(PROJECT_TEMPLATE, staging, dirs_exist_ok=True)
        start = next_school_year(dt.date.today())
        folder = staging / "content" / EXAMPLE_DOSSIER
        folder.mkdir(parents=True)
        files = dossier_files(EXAMPLE_DOSSIER, title or "Voorbeeldconvenant", start)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        write_all(staging / "schema" / "json")
        problems = _errors_of(staging / "content")
        if problems:  # pragma: no cover - the template itself is tested
            raise ConvenantgenError(
                "the example dossier does not pass check:\n  " + "\n  ".join(problems)
            )
        os.chmod(staging, 0o777 & ~_umask())
        if target.exists():
            target.rmdir()  # empty, checked above
        os.rename(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    print(f"created the covenant project {target}", file=out)
    print(f"  {target / PROJECT_FILE}: site name, organisation, signing place, wording", file=out)
    print(f"  {target / 'content' / EXAMPLE_DOSSIER}: an example dossier to replace", file=out)
    print(f"next: cd {target} && convenantgen check && convenantgen build", file=out)
    return target
