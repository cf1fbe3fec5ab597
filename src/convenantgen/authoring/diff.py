"""``convenantgen diff REV1 REV2``: what changed in the dossiers between two git revisions.

The YAML of each revision is read with ``git show`` into a temporary folder and loaded with the
normal pipeline, so both sides are compared as models, not as text: a policy writer reads
"Maatregel E, doel e-zij-instromers: 40 → 50 zij-instromers" instead of a YAML diff. Changed
texts are shown as a word-level redline (``~~old~~ **new**`` in Markdown).
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..context.agreement import target_text
from ..context.in_force import segments
from ..errors import ConvenantgenError, ToolMissing, UsageError
from ..model.derive import dossier_term
from ..model.dossier import Dossier, Target
from ..model.references import build_index, render_text
from ..read.load import YAML_SUFFIXES, load_content
from ..text import formatting as fmt
from ..text.markdown import md
from ..text.wording import Wording


@dataclass(frozen=True)
class Change:
    """One change as a sentence; a text change also carries both texts for the redline."""

    sentence: str
    old: str | None = None
    new: str | None = None

    @property
    def is_text(self) -> bool:
        return self.old is not None or self.new is not None


@dataclass
class DossierChanges:
    id: str
    title: str
    changes: list[Change] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# git


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise ToolMissing("git is not installed; 'convenantgen diff' needs it") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConvenantgenError(
            f"git {' '.join(args[:2])} failed: {message[-1] if message else 'unknown error'}"
        )
    return result.stdout


def repo_root(cwd: Path) -> Path:
    try:
        return Path(_git(["rev-parse", "--show-toplevel"], cwd).decode().strip())
    except ToolMissing:
        raise
    except ConvenantgenError:
        raise UsageError(f"'{cwd}' is not inside a git repository") from None


def _verify(root: Path, rev: str) -> str:
    if rev.startswith("-"):
        raise UsageError(f"'{rev}' is not a revision")
    try:
        return (
            _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root).decode().strip()
        )
    except ConvenantgenError:
        raise UsageError(f"'{rev}' is not a revision in this repository") from None


def export(root: Path, rev: str, content_rel: str, dest: Path) -> Path:
    """Write the YAML files under ``content_rel`` at ``rev`` into ``dest``; returns the folder.

    Git accepts tree entries named ``..`` or with a slash-free absolute look (``git mktree``);
    every entry is checked before anything is written, and each file is written only when its
    path stays inside ``dest``. Only regular files are exported (no symbolic links)."""
    commit = _verify(root, rev)
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", commit, "--", content_rel], root)
    base = dest.resolve()
    plan: list[tuple[Path, str]] = []
    for entry in filter(None, listing.split(b"\0")):
        meta, _, raw_name = entry.partition(b"\t")
        mode, kind, sha = meta.decode("ascii", "replace").split(" ")
        name = raw_name.decode("utf-8", "replace")
        parts = name.split("/")
        if any(part in ("", ".", "..") or "\\" in part for part in parts):
            raise ConvenantgenError(
                f"{rev} has a file named '{name}' in its tree, which would leave the folder it "
                "is compared in; not comparing this revision"
            )
        if kind != "blob" or mode not in ("100644", "100755"):
            continue  # symbolic links and submodules are not content
        if Path(name).suffix not in YAML_SUFFIXES:
            continue
        target = (dest / Path(*parts)).resolve()
        if base not in target.parents:
            raise ConvenantgenError(f"{rev}: '{name}' would be written outside {dest}")
        plan.append((target, sha))
    for target, sha in plan:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_git(["cat-file", "blob", sha], root))
    return dest / content_rel


def _load(folder: Path, only: list[str] | None):
    """Dossiers by folder name, and the folders that could not be modelled (with errors)."""
    if not folder.is_dir():
        return {}, {}
    try:
        loaded = load_content(folder)
    except UsageError:  # no dossiers at all at this revision
        return {}, {}
    dossiers = {d.folder.name: d for d in loaded.dossiers}
    broken: dict[str, int] = {}
    for diag in loaded.report.errors:
        name = diag.where.file.parent.name
        if name not in dossiers:
            broken[name] = broken.get(name, 0) + 1
    if only:
        dossiers = {k: v for k, v in dossiers.items() if k in only}
        broken = {k: v for k, v in broken.items() if k in only}
    return dossiers, broken


# ---------------------------------------------------------------------------------------------
# comparing two models


class _Side:
    """A dossier with its index, for rendering texts and numbers."""

    def __init__(self, dossier: Dossier, words: Wording) -> None:
        self.dossier = dossier
        self.words = words
        self.index = build_index(dossier)
        self.term = dossier_term(dossier, self.index)

    def text(self, text: str) -> str:
        rendered = render_text(text, self.index, self.dossier, strict=False, words=self.words)
        return " ".join(rendered.split())

    def letter(self, measure_id: str) -> str:
        return self.index.measure_letters.get(measure_id, "?")

    def number(self, ref_id: str) -> str:
        ref = self.index.get(ref_id)
        return ref.number if ref is not None else ref_id

    def quantity(self, target: Target) -> str:
        indicator = self.dossier.indicator(target.indicator or "")
        if indicator is None or target.value is None:
            if target.value is None:
                return self.words.text("diff.no_value")
            return fmt.number(target.value)
        return fmt.indicator_quantity(target.value, indicator)

    def target_text(self, target: Target) -> str:
        return " ".join(target_text(self.dossier, target, self.index, self.words).split())

    def end(self):
        return self.term.final_end if self.term else None

    def start(self):
        return self.term.start if self.term else None


def _dates(words: Wording, key: str, old, new) -> list[Change]:
    if old is None or new is None or old == new:
        return []
    sentence = words.text(key, old=fmt.date_long(old), new=fmt.date_long(new), later=new > old)
    return [Change(sentence)]


def compare(old: Dossier, new: Dossier, words: Wording | None = None) -> list[Change]:
    """Every change from ``old`` to ``new``, in a fixed order: dossier, terms, parties,
    documents, measures, accessions; each sentence is an entry of the wording's ``diff``."""
    words = words or Wording.default()
    a, b = _Side(old, words), _Side(new, words)
    out: list[Change] = []
    if old.title != new.title:
        out.append(Change(words.text("diff.title_changed", old=old.title, new=new.title)))
    out += _dates(words, "diff.start_changed", a.start(), b.start())
    out += _dates(words, "diff.end_changed", a.end(), b.end())
    out += _parties(a, b)
    out += _documents(a, b)
    out += _measures(a, b)
    out += _accessions(a, b)
    return out


def _parties(a: _Side, b: _Side) -> list[Change]:
    say = b.words.text
    out: list[Change] = []
    old = {p.id: p for p in a.dossier.parties}
    new = {p.id: p for p in b.dossier.parties}
    for pid, party in new.items():
        if pid not in old:
            when = fmt.date_long(party.joined) if party.joined else ""
            out.append(Change(say("diff.party_joined", party=party.name, date=when)))
            continue
        before = old[pid]
        if before.name != party.name:
            out.append(Change(say("diff.party_renamed", old=before.name, new=party.name)))
        if party.left and party.left != before.left:
            left = fmt.date_long(party.left)
            out.append(Change(say("diff.party_left", party=party.name, date=left)))
        rep_old = before.representative.name if before.representative else ""
        rep_new = party.representative.name if party.representative else ""
        if rep_old != rep_new:
            sentence = say(
                "diff.representative_changed", party=party.name, old=rep_old, new=rep_new
            )
            out.append(Change(sentence))
    for pid, party in old.items():
        if pid not in new:
            out.append(Change(say("diff.party_removed", party=party.name)))
    pen_old, pen_new = a.dossier.penvoerder, b.dossier.penvoerder
    if (pen_old and pen_old.id) != (pen_new and pen_new.id):
        names = {"old": pen_old.name if pen_old else "", "new": pen_new.name if pen_new else ""}
        out.append(Change(say("diff.penvoerder_changed", **names)))
    return out


def _doc_label(words: Wording, doc) -> str:
    return words.text("diff.document", kind=doc.kind, title=doc.title or doc.id)


def _documents(a: _Side, b: _Side) -> list[Change]:
    words, say = b.words, b.words.text
    out: list[Change] = []
    old = {d.id: d for d in a.dossier.documents}
    new = {d.id: d for d in b.dossier.documents}
    # Article numbers need the document only when more than one document has a text.
    several = max(len(a.dossier.agreements), len(b.dossier.agreements)) > 1
    for did, doc in new.items():
        if did not in old:
            out.append(Change(say("diff.added", label=_doc_label(words, doc))))
            continue
        before = old[did]
        where = did if several else ""
        out += _considerations(a, b, before, doc, where)
        old_clauses = {c.id: c for _, c in before.clauses()}
        new_clauses = {c.id: c for _, c in doc.clauses()}
        for cid, clause in new_clauses.items():
            label = say("diff.article", number=b.number(cid), document=where)
            if cid not in old_clauses:
                added = say("diff.added", label=label)
                out.append(Change(added, "", b.text(clause.text or "")))
                continue
            prev = old_clauses[cid]
            old_text, new_text = a.text(prev.text or ""), b.text(clause.text or "")
            if old_text != new_text:
                out.append(Change(say("diff.text_changed", label=label), old_text, new_text))
            old_parts = {p.id: p for p in prev.parts}
            for part in clause.parts:
                before_part = old_parts.get(part.id)
                old_text = a.text(before_part.text or "") if before_part else ""
                new_text = b.text(part.text or "")
                if old_text != new_text:
                    label = say("diff.article", number=b.number(part.id), document=where)
                    out.append(Change(say("diff.text_changed", label=label), old_text, new_text))
        for cid, clause in old_clauses.items():
            if cid not in new_clauses:
                label = say("diff.article", number=a.number(cid), document=where)
                out.append(Change(say("diff.removed", label=label), a.text(clause.text or ""), ""))
    for did, doc in old.items():
        if did not in new:
            out.append(Change(say("diff.removed", label=_doc_label(words, doc))))
    return out


def _considerations(a: _Side, b: _Side, before, doc, where: str) -> list[Change]:
    say = b.words.text
    out: list[Change] = []
    old = {c.id or str(i): c for i, c in enumerate(before.considerations)}
    for i, item in enumerate(doc.considerations):
        key = item.id or str(i)
        prev = old.get(key)
        label = say("diff.consideration", number=i + 1, document=where)
        if prev is None:
            out.append(Change(say("diff.added", label=label), "", b.text(item.text)))
        elif a.text(prev.text) != b.text(item.text):
            sentence = say("diff.text_changed", label=label)
            out.append(Change(sentence, a.text(prev.text), b.text(item.text)))
    keys = {c.id or str(i) for i, c in enumerate(doc.considerations)}
    for key, prev in old.items():
        if key not in keys:
            label = say("diff.consideration", number="", document=where)
            out.append(Change(say("diff.removed", label=label), a.text(prev.text), ""))
    return out


# The texts of a measure compared one by one; the wording's diff.measure_part_changed names them.
_MEASURE_TEXTS = ("description", "worked", "strengthen")


def _measure_texts(side: _Side, measure, key: str) -> str:
    return " ".join(side.text(t) for t in getattr(measure, key))


def _section_texts(side: _Side, measure) -> str:
    return " ".join(
        f"{s.title}: " + " ".join(side.text(i) for i in s.items) for s in measure.sections
    )


def _measures(a: _Side, b: _Side) -> list[Change]:
    say = b.words.text
    out: list[Change] = []
    old = {m.id: m for m in a.dossier.measures}
    new = {m.id: m for m in b.dossier.measures}
    for mid, measure in new.items():
        label = say("diff.measure", letter=b.letter(mid))
        if mid not in old:
            out.append(Change(say("diff.measure_added", measure=label, title=measure.title)))
            continue
        before = old[mid]
        if before.title != measure.title:
            titles = {"old": before.title, "new": measure.title}
            out.append(Change(say("diff.measure_retitled", measure=label, **titles)))
        texts = [
            (k, _measure_texts(a, before, k), _measure_texts(b, measure, k)) for k in _MEASURE_TEXTS
        ]
        texts.append(("sections", _section_texts(a, before), _section_texts(b, measure)))
        for part, old_text, new_text in texts:
            if old_text != new_text:
                sentence = say("diff.measure_part_changed", measure=label, part=part)
                out.append(Change(sentence, old_text, new_text))
        out += _targets(a, b, label, before, measure)
    for mid, measure in old.items():
        if mid not in new:
            label = say("diff.measure", letter=a.letter(mid))
            out.append(Change(say("diff.measure_removed", measure=label, title=measure.title)))
    return out


def _targets(a: _Side, b: _Side, label: str, before, measure) -> list[Change]:
    say = b.words.text
    out: list[Change] = []
    old = {t.id: t for t in before.targets}
    for target in measure.targets:
        prev = old.get(target.id)
        head = say("diff.target", measure=label, target=target.id)
        if prev is None:
            text = b.target_text(target)
            out.append(Change(say("diff.target_added", measure=label, text=text)))
            continue
        if (prev.value, prev.comparator, prev.indicator) != (
            target.value,
            target.comparator,
            target.indicator,
        ):
            change = _value_change(a, b, prev, target)
            out.append(Change(say("diff.target_value", label=head, change=change)))
        if prev.period != target.period:
            old_period = fmt.period_text(*prev.period) if prev.period else ""
            new_period = fmt.period_text(*target.period) if target.period else ""
            sentence = say("diff.target_period", label=head, old=old_period, new=new_period)
            out.append(Change(sentence))
        if prev.text != target.text:
            sentence = say("diff.text_changed", label=head)
            out.append(Change(sentence, a.target_text(prev), b.target_text(target)))
        old_results = {r.school_year: r for r in prev.results}
        for result in target.results:
            year = result.school_year.replace("-", "–")
            value = _result_quantity(b, target, result.value)
            earlier = old_results.get(result.school_year)
            if earlier is None or earlier.value != result.value:
                was = _result_quantity(a, prev, earlier.value) if earlier is not None else ""
                sentence = say("diff.target_result", label=head, year=year, old=was, new=value)
                out.append(Change(sentence))
    for tid in old:
        if tid not in {t.id for t in measure.targets}:
            text = a.target_text(old[tid])
            out.append(Change(say("diff.target_removed", measure=label, text=text)))
    return out


def _result_quantity(side: _Side, target: Target, value: float) -> str:
    indicator = side.dossier.indicator(target.indicator or "")
    if indicator is None:
        return fmt.number(value)
    return fmt.indicator_quantity(value, indicator)


def _value_change(a: _Side, b: _Side, prev: Target, target: Target) -> str:
    old_q, new_q = a.quantity(prev), b.quantity(target)
    same_unit = prev.indicator == target.indicator
    if prev.comparator == target.comparator and same_unit:
        indicator = b.dossier.indicator(target.indicator or "")
        if indicator is not None and indicator.unit == "count" and prev.value is not None:
            old_q = fmt.number(prev.value)  # "40 → 50 zij-instromers"
        return f"{old_q} → {new_q}"
    old_c = fmt.COMPARATOR_WORDS.get(prev.comparator or "", "")
    new_c = fmt.COMPARATOR_WORDS.get(target.comparator or "", "")
    return f"{old_c} {old_q} → {new_c} {new_q}".strip().replace("  ", " ")


def _accessions(a: _Side, b: _Side) -> list[Change]:
    say = b.words.text
    out: list[Change] = []
    old = {r.id: r for r in a.dossier.accessions}

    def name(side: _Side, party_id: str) -> str:
        party = side.dossier.party(party_id)
        return party.name if party else party_id

    for request in b.dossier.accessions:
        prev = old.get(request.id)
        who = name(b, request.party)
        if prev is None:
            when = fmt.date_long(request.effective)
            out.append(Change(say("diff.accession_requested", party=who, date=when)))
        elif prev.status != request.status:
            # The steps as the site names them (accession_states, also in templates/site).
            steps = {"old": _step(b.words, prev.status), "new": _step(b.words, request.status)}
            out.append(Change(say("diff.accession_step", party=who, **steps)))
    new_ids = {r.id for r in b.dossier.accessions}
    for rid, request in old.items():
        if rid not in new_ids:
            out.append(Change(say("diff.accession_withdrawn", party=name(a, request.party))))
    return out


def _step(words: Wording, status: str) -> str:
    key = f"accession_states.{status}"
    return words.text(key) if key in words.entries else status


# ---------------------------------------------------------------------------------------------
# the whole comparison and its output


def diff_content(
    root: Path,
    rev1: str,
    rev2: str | None,
    content_rel: str,
    only: list[str] | None = None,
    words: Wording | None = None,
) -> list[DossierChanges]:
    """Changes from ``rev1`` to ``rev2``; with ``rev2`` None, to the files in the work tree
    (named by the wording's ``diff.worktree``)."""
    words = words or Wording.default()
    with tempfile.TemporaryDirectory(prefix="convenantgen-diff-") as scratch:
        old_dir = export(root, rev1, content_rel, Path(scratch) / "old")
        if rev2 is None:
            new_dir, rev2 = root / content_rel, words.text("diff.worktree")
        else:
            new_dir = export(root, rev2, content_rel, Path(scratch) / "new")
        old, old_broken = _load(old_dir, only)
        new, new_broken = _load(new_dir, only)
        names = set(old) | set(new) | set(old_broken) | set(new_broken)
        if only and not names:
            raise UsageError(f"no dossier named {', '.join(only)} at {rev1} or {rev2}")
        out: list[DossierChanges] = []
        for name in sorted(names):
            before, after = old.get(name), new.get(name)
            shown = after or before
            item = DossierChanges(name, shown.display_title if shown else name)
            for rev, broken in ((rev1, old_broken), (rev2, new_broken)):
                if name in broken:
                    sentence = words.text("diff.unreadable", rev=rev, errors=broken[name])
                    item.changes.append(Change(sentence))
            if name in old_broken or name in new_broken:
                pass  # the models cannot be compared; the sentences above say why
            elif before is None and after is not None:
                item.changes.append(Change(words.text("diff.dossier_added", title=after.title)))
            elif after is None and before is not None:
                item.changes.append(Change(words.text("diff.dossier_removed", title=before.title)))
            else:
                item.changes = compare(before, after, words)
            if item.changes:
                out.append(item)
    return out


def redline(old: str, new: str, markdown: bool) -> str:
    """Word-level redline: ``~~old~~ **new**`` (Markdown) or ``[-old-] {+new+}`` (text)."""

    esc = md if markdown else (lambda s: s)
    marks = _MARKDOWN_MARKS if markdown else _TEXT_MARKS
    return " ".join(
        f"{marks[s.kind][0]}{esc(s.text)}{marks[s.kind][1]}" for s in segments(old, new)
    )


_MARKDOWN_MARKS = {"same": ("", ""), "del": ("~~", "~~"), "ins": ("**", "**")}
_TEXT_MARKS = {"same": ("", ""), "del": ("[-", "-]"), "ins": ("{+", "+}")}


def _line(change: Change, markdown: bool) -> str:
    sentence = md(change.sentence) if markdown else change.sentence
    if not change.is_text:
        return sentence
    return f"{sentence}: {redline(change.old or '', change.new or '', markdown)}"


def format_changes(
    items: list[DossierChanges],
    rev1: str,
    rev2: str,
    markdown: bool,
    words: Wording | None = None,
) -> str:
    """The report: a heading, then per dossier its sentences (``- ...`` in Markdown)."""
    words = words or Wording.default()
    none = words.text("diff.no_changes")
    if markdown:
        lines = [f"# {words.text('diff.heading', rev1=f'`{rev1}`', rev2=f'`{rev2}`')}", ""]
        if not items:
            lines.append(none)
        for item in items:
            lines += [f"## {md(item.title)} (`{item.id}`)", ""]
            lines += [f"- {_line(c, True)}" for c in item.changes]
            lines.append("")
        return "\n".join(lines).rstrip("\n") + "\n"
    lines = [words.text("diff.heading", rev1=rev1, rev2=rev2)]
    if not items:
        lines.append(none)
    for item in items:
        lines += ["", f"{item.id} ({item.title})"]
        lines += [f"  - {_line(c, False)}" for c in item.changes]
    return "\n".join(lines) + "\n"
