"""The consolidated texts' context and Markdown: the covenant as it reads on each date of change,
with what changed on that date marked.

Per date of change the text is composed (:func:`convenantgen.model.in_force.compose`) and turned
into the same :class:`~convenantgen.context.agreement.AgreementContext` as any agreement, then
compared with the text of the day before: a member that is new is *inserted*, one that is gone
is *deleted* (shown struck through where it stood), and a changed member carries a word-level
redline. Every article changed up to that date carries a note ("Gewijzigd bij addendum van 1 mei
2017"). The words are the wording's (``consolidated.*`` in ``wording.yml``); the DOCX template
``consolidated.docx`` and the site templates place them."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from ..model.derive import SITE_PATHS, covenant, in_force_stem
from ..model.dossier import Agreement, Dossier
from ..model.in_force import Step, Version, as_dossier, base_text, change_dates, compose
from ..text import formatting as fmt
from ..text.wording import Wording
from .agreement import (
    AgreementContext,
    ArticleContext,
    ClauseContext,
    DefinitionContext,
    agreement_context,
    covenant_title,
)

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Segment:
    """A run of words: ``kind`` is "same", "ins" (inserted) or "del" (deleted)."""

    kind: str
    text: str


@dataclass(frozen=True)
class MarkedClause:
    id: str
    label: str  # "3.1." as numbered on that date ("" in an unnumbered article)
    change: str  # "", "changed", "inserted" or "deleted"
    paragraphs: tuple[tuple[Segment, ...], ...]
    definitions: tuple[DefinitionContext, ...] = ()
    article: ArticleContext | None = None


@dataclass(frozen=True)
class MarkedSection:
    id: str
    heading: str  # "3. Coördinatie en evaluatie"
    change: str  # "", "changed", "inserted" or "deleted"
    heading_segments: tuple[Segment, ...]
    clauses: tuple[MarkedClause, ...]
    notes: tuple[str, ...]  # "Gewijzigd bij addendum van 1 mei 2017", one per change


@dataclass(frozen=True)
class ConsolidatedContext:
    """The covenant as it reads from ``day`` on."""

    dossier: str
    day: dt.date
    iso: str  # "2017-05-01": file and page names
    date_text: str  # "1 mei 2017"
    until_text: str  # the day before the next change, or the end of the term
    title: str  # "Geldende tekst op 1 mei 2017"
    covenant: str  # the covenant's title with its citation
    intro: str
    legend: str
    term: str  # "Looptijd: 1 augustus 2016 tot en met 31 juli 2018"
    considerations_heading: str
    considerations: tuple[str, ...]
    agreement_heading: str
    changes_heading: str  # "Wijzigingen op 1 mei 2017"
    changes: tuple[str, ...]  # one sentence per instruction that takes effect that day
    sections: tuple[MarkedSection, ...]
    page: str  # "geldende-tekst-2017-05-01.md"
    stem: str  # file stem of the documents
    version: str
    footer: str
    author: str
    subject: str = ""  # document properties, as the covenant's
    keywords: str = ""


@dataclass(frozen=True)
class ConsolidationContext:
    """Every consolidated text of a dossier, or why there is none."""

    heading: str  # "Geldende tekst"
    covenant: str
    intro: str  # above the choice of date
    unavailable: str  # why no text can be composed, or ""
    base_page: str  # the site page of the base text, or ""
    base_text: str  # "Oorspronkelijke tekst (vanaf 1 augustus 2016)"
    versions: tuple[ConsolidatedContext, ...]


def consolidated_stem(dossier_id: str, iso: str) -> str:
    return in_force_stem(dossier_id, iso)


def consolidated_page(iso: str) -> str:
    return SITE_PATHS.in_force_page(iso)


# ---------------------------------------------------------------------------------------------
# Words


def segments(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level difference of two texts as runs of same, deleted and inserted words."""
    a, b = old.split(), new.split()
    out: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Segment("del", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(Segment("ins", " ".join(b[j1:j2])))
    return tuple(out)


def _plain(kind: str, paragraphs: tuple[str, ...]) -> tuple[tuple[Segment, ...], ...]:
    return tuple((Segment(kind, p),) for p in paragraphs)


def _addendum_date(doc: Agreement) -> dt.date | None:
    return (doc.signing.date if doc.signing else None) or doc.in_force.start


def _note(step: Step, w: Wording) -> str:
    made = _addendum_date(step.addendum)
    return w.text(
        "consolidated.changed_note",
        action=step.amendment.action,
        date=fmt.date_long(made) if made else "",
        effective=fmt.date_long(step.effective) if step.effective else "",
    )


# ---------------------------------------------------------------------------------------------
# Building


def consolidation_context(
    dossier: Dossier, wording: Wording, version: str
) -> ConsolidationContext | None:
    """The consolidated texts of a dossier with addenda; ``None`` without addenda."""
    if not any(doc.kind == "addendum" for doc in dossier.documents):
        return None
    base = base_text(dossier) or covenant(dossier)
    w = wording
    name = covenant_title(dossier, base) if base is not None else dossier.title
    days = change_dates(dossier)
    usable = base_text(dossier)
    citation = ""
    if base is not None and base.citation is not None:
        citation = str(base.citation)
    unavailable = ""
    if usable is None or not usable.has_text:
        unavailable = w.text("consolidated.unavailable", covenant=name, citation=citation)
    elif not days:
        unavailable = w.text("consolidated.no_instructions", covenant=name)
    versions = tuple(
        _version(dossier, day, days[i + 1] if i + 1 < len(days) else None, w, version, name)
        for i, day in enumerate(days)
        if not unavailable
    )
    start = usable.in_force.start if usable is not None else None
    return ConsolidationContext(
        heading=w.text("consolidated.heading"),
        covenant=name,
        intro=w.text("consolidated.choice", covenant=name) if versions else "",
        unavailable=unavailable,
        base_page=(
            SITE_PATHS.text_page(usable.id) if usable is not None and usable.has_text else ""
        ),
        base_text=w.text("consolidated.base_version", date=fmt.date_long(start) if start else ""),
        versions=versions,
    )


def _context(dossier: Dossier, text: Version, w: Wording, version: str) -> AgreementContext:
    return agreement_context(as_dossier(dossier, text), text.agreement, version=version, wording=w)


def _version(
    dossier: Dossier,
    day: dt.date,
    following: dt.date | None,
    w: Wording,
    version: str,
    name: str,
) -> ConsolidatedContext:
    now = compose(dossier, day)
    before = compose(dossier, day - ONE_DAY)
    assert now is not None and before is not None  # change_dates only lists composable days
    new, old = _context(dossier, now, w, version), _context(dossier, before, w, version)
    date_text = fmt.date_long(day)
    agreement = now.agreement
    # The last text applies until the (extended) term ends.
    until = fmt.date_long(following - ONE_DAY if following else agreement.in_force.end)
    iso = day.isoformat()
    return ConsolidatedContext(
        dossier=dossier.id,
        day=day,
        iso=iso,
        date_text=date_text,
        until_text=until,
        title=w.text("consolidated.title", date=date_text),
        covenant=name,
        intro=w.text("consolidated.intro", covenant=name, date=date_text, until=until),
        legend=w.text("consolidated.legend"),
        term=w.text(
            "consolidated.term",
            period=fmt.period_text(agreement.in_force.start, agreement.in_force.end),
        ),
        considerations_heading=new.considerations_heading,
        considerations=new.considerations,
        agreement_heading=new.agreement_heading,
        changes_heading=w.text("consolidated.changes_heading", date=date_text),
        changes=tuple(_change(step, old, new, w) for step in now.steps),
        sections=_sections(new, old, now, w),
        page=consolidated_page(iso),
        stem=consolidated_stem(dossier.id, iso),
        version=version,
        footer=w.text(
            "agreement.footer",
            title=w.text("consolidated.footer_title", dossier=dossier.display_title),
            date=date_text,
            reference=new.citation,
            version=version,
        ),
        author=new.author,
        subject=new.subject,
        keywords=new.keywords,
    )


def _label(ctx: AgreementContext, ident: str, w: Wording) -> str:
    """'artikel 3' or 'artikel 2.2' for an article or member id in ``ctx``, else ''."""
    for s in ctx.sections:
        if s.id == ident:
            return w.text("references.article", number=s.number)
        for c in s.clauses:
            if c.id == ident:
                return w.text("references.article", number=c.number or s.number)
    return ""


def _change(step: Step, old: AgreementContext, new: AgreementContext, w: Wording) -> str:
    a = step.amendment
    added = [c.id for c in a.clauses] or ([a.section.id] if a.section else [])
    return w.text(
        f"consolidated.change_{a.action}",
        label=_label(old, a.target, w),
        added=", ".join(x for x in (_label(new, i, w) for i in added) if x),
        end=fmt.date_long(a.end) if a.end else "",
    )


def _clause(c: ClauseContext, change: str, paragraphs) -> MarkedClause:
    return MarkedClause(c.id, c.label, change, paragraphs, c.definitions, c.article)


def _sections(
    new: AgreementContext, old: AgreementContext, now: Version, w: Wording
) -> tuple[MarkedSection, ...]:
    old_clauses = {c.id: c for s in old.sections for c in s.clauses}
    new_ids = {c.id for s in new.sections for c in s.clauses} | {s.id for s in new.sections}
    old_sections = {s.id: s for s in old.sections}
    out: list[MarkedSection] = []
    for s in new.sections:
        prev = old_sections.get(s.id)
        clauses: list[MarkedClause] = []
        for c in s.clauses:
            was = old_clauses.get(c.id)
            if was is None:
                clauses.append(_clause(c, "inserted", _plain("ins", c.paragraphs)))
            elif was.paragraphs != c.paragraphs:
                marks = segments(" ".join(was.paragraphs), " ".join(c.paragraphs))
                clauses.append(_clause(c, "changed", (marks,)))
            else:
                clauses.append(_clause(c, "", _plain("same", c.paragraphs)))
        if prev is not None:
            _place_deleted(clauses, prev.clauses, new_ids)
        if prev is None:
            change, heading = "inserted", (Segment("ins", s.heading),)
        elif prev.title != s.title:
            change, heading = "changed", segments(prev.heading, s.heading)
        else:
            change = "changed" if any(c.change for c in clauses) else ""
            heading = (Segment("same", s.heading),)
        notes = tuple(_note(step, w) for step in now.history.get(s.id, ()))
        out.append(MarkedSection(s.id, s.heading, change, heading, tuple(clauses), notes))
    # Whole articles that are gone: struck through where they stood.
    for n, s in enumerate(old.sections):
        if s.id in new_ids:
            continue
        gone = MarkedSection(
            s.id,
            s.heading,
            "deleted",
            (Segment("del", s.heading),),
            tuple(_clause(c, "deleted", _plain("del", c.paragraphs)) for c in s.clauses),
            (),
        )
        after = next((p.id for p in reversed(old.sections[:n]) if p.id in new_ids), None)
        at = next((i + 1 for i, m in enumerate(out) if m.id == after), 0)
        out.insert(at, gone)
    return tuple(out)


def _place_deleted(clauses: list[MarkedClause], previous, new_ids: set[str]) -> None:
    """Members of the article that are gone, struck through after the member they followed."""
    for n, c in enumerate(previous):
        if c.id in new_ids:
            continue
        after = next((p.id for p in reversed(previous[:n]) if p.id in new_ids), None)
        at = next((i + 1 for i, m in enumerate(clauses) if m.id == after), 0)
        clauses.insert(at, _clause(c, "deleted", _plain("del", c.paragraphs)))


# ---------------------------------------------------------------------------------------------
# The site's view: a page per date of change and a page to choose the date


@dataclass(frozen=True)
class SiteVersion:
    date_text: str  # "1 mei 2017"
    until_text: str  # "31 juli 2017": the day before the next change, or the term's end
    title: str  # "Geldende tekst op 1 mei 2017"
    page: str  # "geldende-tekst-2017-05-01.md"
    changes: int  # how many instructions take effect that day
    markdown: str  # the marked text (generated Markdown, escaped)


@dataclass(frozen=True)
class SiteConsolidation:
    heading: str
    covenant: str
    intro: str
    unavailable: str  # why no text can be composed, or ""
    base_page: str
    base_text: str
    versions: tuple[SiteVersion, ...]


def site_consolidation(
    c: ConsolidationContext | None, markdown: Callable[[ConsolidatedContext], str]
) -> SiteConsolidation | None:
    """The site's view of the consolidated texts; ``markdown`` renders one (the render stage
    hands it in: contexts hold data, renderers make text)."""
    if c is None:
        return None
    return SiteConsolidation(
        heading=c.heading,
        covenant=c.covenant,
        intro=c.intro,
        unavailable=c.unavailable,
        base_page=c.base_page,
        base_text=c.base_text,
        versions=tuple(
            SiteVersion(
                v.date_text,
                v.until_text,
                v.title,
                v.page,
                len(v.changes),
                Markup(markdown(v)),
            )
            for v in c.versions
        ),
    )
