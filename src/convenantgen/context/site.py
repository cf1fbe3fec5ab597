"""The public site's context: what each page shows, prepared once per dossier.

Built from the model, the derived domain facts (:mod:`convenantgen.model.derive`) and the
dossier's :class:`~convenantgen.context.dossier.DossierContext` (the same one the documents are
rendered from), so the site and the documents cannot disagree. Values are data: dates and
quantities already formatted in Dutch, names as typed. The wording and layout of every page are
in the Jinja Markdown templates ``templates/site/*.md`` (see :mod:`convenantgen.site.pages`),
which a project can replace one by one."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup

from ..model.derive import (
    SITE_PATHS,
    TARGET_STATES,
    Term,
    agreement_end,
    agreement_of_measure,
    bound_on,
    covenant,
    dossier_term,
    last_signature,
    measure_next_date,
    next_deadline,
    organisation_key,
    registry_id,
    status,
    target_period,
    target_state,
)
from ..model.dossier import Agreement, Dossier, Measure, Party, Target
from ..model.references import Index, build_index
from ..states import MeasureDate
from ..text import formatting as fmt
from ..text.wording import Wording
from .about import SiteAbout, SiteAccessibility
from .agreement import AgreementContext, target_text
from .charts import ChartPoint, met, results_chart
from .dossier import DossierContext
from .in_force import ConsolidatedContext, SiteConsolidation, SiteVersion, site_consolidation
from .lifecycle import SiteLifecycle, lifecycle_events, site_lifecycle

# ---------------------------------------------------------------------------------------------
# Derived target data, shared by the pages and open data


@dataclass(frozen=True)
class TargetRow:
    target: Target
    text: str
    indicator: str
    unit: str
    counted: str | None
    decimals: int | None
    comparator: str
    value: str
    period: str
    baseline: str
    baseline_planned: bool


def term_text(term: Term | None, words: Wording | None = None) -> str:
    if term is None:
        return (words or Wording.default()).text("site.unknown_term")
    return fmt.period_text(term.start, term.final_end)


def target_row(
    dossier: Dossier, target: Target, index: Index, words: Wording | None = None
) -> TargetRow:
    indicator = dossier.indicator(target.indicator) if target.indicator else None
    value = ""
    if target.value is not None and indicator is not None:
        value = fmt.indicator_quantity(target.value, indicator)
    if target.per_school_year:
        period = (words or Wording.default()).text("site.per_school_year")
    else:
        span = target_period(dossier, target)
        period = fmt.period_text(*span) if span else ""
    baseline, planned = "", False
    if target.baseline is not None:
        b = target.baseline
        if b.planned:
            planned = True
        elif b.value is not None:
            baseline = (
                fmt.indicator_quantity(b.value, indicator) if indicator else fmt.number(b.value)
            )
            if b.date:
                baseline += f" ({fmt.date_long(b.date)})"
    return TargetRow(
        target=target,
        text=target_text(dossier, target, index, words),
        indicator=indicator.label if indicator else "",
        unit=indicator.unit if indicator else "",
        counted=indicator.counted if indicator else None,
        decimals=indicator.decimals if indicator else None,
        comparator=fmt.COMPARATOR_WORDS.get(target.comparator or "", ""),
        value=value,
        period=period,
        baseline=baseline,
        baseline_planned=planned,
    )


def school_year_text(label: str) -> str:
    """``2024-2025`` as written in YAML becomes ``2024–2025``."""
    start, _, _ = label.partition("-")
    return fmt.school_year_label(int(start)) if start.isdigit() else label


def result_text(row: TargetRow, value: float) -> str:
    """A result in Dutch, with the indicator's unit: "43 zij-instromers", "9,5%"."""
    if row.unit:
        return fmt.quantity(value, row.unit, row.counted, row.decimals)
    return fmt.number(value)


def result_points(row: TargetRow) -> list[ChartPoint]:
    t = row.target
    return [
        ChartPoint(
            label=school_year_text(r.school_year),
            value=float(r.value),
            text=result_text(row, r.value),
            illustrative=r.illustrative,
            met=met(float(r.value), t.comparator, t.value),
        )
        for r in sorted(t.results, key=lambda r: r.school_year)
    ]


# ---------------------------------------------------------------------------------------------
# What the templates see


@dataclass(frozen=True)
class SiteResult:
    school_year: str
    result: str
    illustrative: bool
    met: bool | None  # None: the target has no norm to meet
    source: str


@dataclass(frozen=True)
class SiteChart:
    title: str  # indicator label, or the target's id
    norm: str  # "ten minste 40 zij-instromers", or ""
    period: str
    svg: str  # the chart as inline SVG markup (generated, safe)
    file: str  # "e-zij-instromers.svg", next to the page in charts/
    results: tuple[SiteResult, ...]


@dataclass(frozen=True)
class SiteStanding:
    """A target's latest result against it on the reference date (:func:`domain.target_state`).

    States: met, on-track, behind, missed, unmeasured, no-norm; the templates say them in
    words."""

    state: str
    norm: str  # "ten minste 40 zij-instromers", or "" without a norm
    result: str  # "43 zij-instromers", or "" without a result
    school_year: str  # "2024–2025", or ""
    illustrative: bool  # the result is illustrative


@dataclass(frozen=True)
class SiteCount:
    state: str  # one of domain.TARGET_STATES
    count: int  # targets in this state
    illustrative: int  # of which the deciding result is illustrative


@dataclass(frozen=True)
class SiteGlance:
    """How many targets are in each state (states without targets are left out)."""

    total: int
    counts: tuple[SiteCount, ...]


@dataclass(frozen=True)
class SiteTarget:
    id: str
    text: str
    indicator: str
    comparator: str
    value: str
    period: str
    baseline: str
    baseline_planned: bool
    standing: SiteStanding


@dataclass(frozen=True)
class SiteList:
    title: str
    ordered: bool
    items: tuple[str, ...]


@dataclass(frozen=True)
class SiteName:
    """A party by its name in the registry."""

    name: str
    illustrative: bool  # the registry marks the party (or its role here) as illustrative


@dataclass(frozen=True)
class SiteMeasure:
    id: str
    letter: str
    title: str
    heading: str  # as in the agreement text: "Maatregel E: Zij-instroom"
    page: str  # "zij-instroom.md", relative to the measures folder
    pillars: tuple[str, ...]
    description: tuple[str, ...]
    worked: tuple[str, ...]
    strengthen: tuple[str, ...]
    sections: tuple[SiteList, ...]
    targets: tuple[SiteTarget, ...]
    charts: tuple[SiteChart, ...]
    glance: SiteGlance
    # Who carries it out: the parties its ``responsible:`` names; () when it names none, the
    # parties then carry it out together, with ``penvoerder`` (None: none is registered).
    responsible: tuple[SiteName, ...] = ()
    penvoerder: SiteName | None = None
    # The next date that decides something for it (model.derive.measure_next_date), in words;
    # its kind (a MeasureDate: "school-year-end", ...) and, for a school year's end, that
    # school year ("2024–2025"); all "" when no date lies ahead.
    next_date: str = ""
    next_date_kind: str = ""
    next_date_school_year: str = ""
    # The last day of the term of its agreement once that has passed, else "".
    ended: str = ""

    @property
    def monitored(self) -> bool:
        return bool(self.charts)

    @property
    def measured(self) -> tuple[SiteTarget, ...]:
        """The targets with a result that counts on the reference date."""
        return tuple(t for t in self.targets if t.standing.result)


@dataclass(frozen=True)
class SitePillar:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class SiteParty:
    id: str
    name: str
    kind: str
    place: str
    representative: str  # "mevrouw A. Voorbeeld, voorzitter college van bestuur", or ""
    joined: str
    left: str
    penvoerder: bool
    illustrative: bool
    note: str
    organisation: str = ""  # the organisation's page, from the site's root


@dataclass(frozen=True)
class SiteColumns:
    """Which optional columns of a party table have any value (narrow tables read better)."""

    place: bool
    representative: bool
    joined: bool
    left: bool
    notes: bool


@dataclass(frozen=True)
class SiteGroup:
    id: str
    title: str
    capacity: str
    signed_by: str  # the party that signs for the group, or "" when every party signs
    parties: tuple[SiteParty, ...]
    columns: SiteColumns


@dataclass(frozen=True)
class SiteEvent:
    """One entry of the timeline; ``kind`` says what happened, the template says it in words.

    Kinds: signing, publication, in-force, extension, end-original, end-addendum, end,
    accession-request, accession, reference (the reference date itself)."""

    date: str  # "1 augustus 2024"
    kind: str
    name: str  # the agreement's or party's name
    detail: str  # the citation (publication), the new end date (extension), or ""
    pending: bool  # an accession that is requested, not yet in effect
    illustrative: bool


@dataclass(frozen=True)
class SiteUndated:
    name: str
    place: str


@dataclass(frozen=True)
class SiteDownload:
    title: str
    kind: str  # "agreement-docx", "signing-package", ...
    name: str  # the file name
    href: str  # relative URL from the page that lists it
    sha256: str
    size: str  # "245 kB", "1,2 MB"
    pages: int | None  # a PDF's number of pages; None for other files
    # A file the build writes while the site is made (a PDF LibreOffice is still converting):
    # its form, pages and size are filled in the built pages afterwards, at ``token``.
    late: bool = False
    token: str = ""


@dataclass(frozen=True)
class SiteAddendum:
    name: str  # "addendum 2024"
    span: str


@dataclass(frozen=True)
class SiteSource:
    title: str
    reference: str


@dataclass(frozen=True)
class SiteText:
    name: str  # "addendum 2024"
    page: str  # "tekst-addendum-2024.md"
    markdown: str  # the agreement text as Markdown (escaped, generated)


@dataclass(frozen=True)
class SiteDossier:
    """Everything a dossier's pages show."""

    id: str
    title: str
    display_title: str
    summary: str
    status: str
    status_class: str  # "in-voorbereiding": for the badge's CSS class
    reference_date: str
    term: str
    covenant: str  # the base covenant's name, or ""
    citation: str
    original_term: str
    start_known: bool
    extensions: tuple[str, ...]  # each as a period
    addenda: tuple[SiteAddendum, ...]
    penvoerder: str
    penvoerder_illustrative: bool
    parties_total: int
    parties_now: int
    pillars: tuple[SitePillar, ...]
    measures: tuple[SiteMeasure, ...]
    groups: tuple[SiteGroup, ...]
    other_parties: SiteGroup | None
    events: tuple[SiteEvent, ...]
    undated: tuple[SiteUndated, ...]
    texts: tuple[SiteText, ...]
    downloads: tuple[SiteDownload, ...]
    sources: tuple[SiteSource, ...]
    sources_note: str  # provenance.public.text: for readers, in Dutch
    illustrative: tuple[str, ...]  # provenance.public.illustrative
    has_illustrative: bool  # anything illustrative at all (also when only the notes say so)
    glance: SiteGlance  # every target of every measure
    # "Geldende tekst": the text in force per date of change; None without addenda.
    consolidation: SiteConsolidation | None = None
    # Stages of the agreements and accession steps (site_lifecycle.py, lifecycle.md).
    lifecycle: SiteLifecycle | None = None
    # The register's next deadline (model.derive.next_deadline): the date in words, as ISO
    # (for sorting), its kind in words and the agreement it is of; "" when there is none.
    next_deadline: str = ""
    next_deadline_iso: str = ""
    next_deadline_kind: str = ""
    next_deadline_agreement: str = ""

    @property
    def monitored(self) -> tuple[SiteMeasure, ...]:
        """The measures with a chart."""
        return tuple(m for m in self.measures if m.monitored)


@dataclass(frozen=True)
class SiteHome:
    reference_date: str
    dossiers: tuple[SiteDossier, ...]
    has_schema: bool


@dataclass(frozen=True)
class SiteMembership:
    """One covenant an organisation is party to."""

    dossier: str  # the dossier's id (its folder)
    title: str  # the dossier's display title
    name: str  # the party's name in that dossier
    penvoerder: bool
    joined: str
    left: str


@dataclass(frozen=True)
class SiteOrganisation:
    """An organisation of the register and every covenant it is party to, across dossiers."""

    key: str  # its page name
    registry_id: str  # its TOOI identifier, else its party id
    tooi: bool  # whether registry_id is a TOOI identifier
    name: str
    page: str  # from the site's root
    memberships: tuple[SiteMembership, ...]


@dataclass(frozen=True)
class DownloadGroup:
    title: str
    downloads: tuple[SiteDownload, ...]


@dataclass(frozen=True)
class OpenDataTable:
    """One table of the open data and its files (names in the open-data folder)."""

    table: str  # "doelen"
    csv: str  # "doelen.csv": for programs (comma, ISO dates, the YAML format's names)
    spreadsheet: str  # "doelen-spreadsheet.csv": for Excel or LibreOffice in Dutch
    json: str  # "doelen.json"


@dataclass(frozen=True)
class FeedEntry:
    """One change. Kinds: dossier, signing, publication, in-force, extension,
    accession-request, accession, targets, result; the template says each in words."""

    id: str  # tag URI
    kind: str
    updated: str  # RFC 3339: "2024-08-01T00:00:00Z"
    date: str  # "1 augustus 2024"
    dossier: str  # the dossier's display title
    name: str  # the agreement, party or measure (its title)
    detail: str  # citation, new end date, measure letters, result with its school year, or ""
    measure: str  # the measure's letter (a result), or ""
    href: str  # the page about it
    illustrative: bool


@dataclass(frozen=True)
class SiteFeed:
    id: str
    title: str  # the site's name
    subtitle: str
    author: str
    updated: str  # the newest entry's date (the reference date when there is none)
    site: str  # link to the site's home page
    self: str  # link to the feed itself
    entries: tuple[FeedEntry, ...]  # newest first


# template name -> (purpose, top-level variables and their types)
SITE_TEMPLATES: dict[str, tuple[str, dict]] = {
    "site/home.md": ("the home page: every dossier with its status", {"site": SiteHome}),
    "site/overview.md": ("a dossier's overview page", {"d": SiteDossier}),
    "site/organisations.md": (
        "every organisation of the register",
        {"organisations": tuple[SiteOrganisation, ...]},
    ),
    "site/organisation.md": (
        "one organisation and every covenant it is party to",
        {"o": SiteOrganisation},
    ),
    "site/measures.md": ("a dossier's list of measures", {"d": SiteDossier}),
    "site/measure.md": (
        "one measure with its targets and monitoring",
        {"d": SiteDossier, "m": SiteMeasure},
    ),
    "site/glance.md": (
        "how many targets are met, on track, ... (included by the home and overview pages)",
        {"glance": SiteGlance},
    ),
    "site/standing.md": (
        "a target's latest result against it (included by the measure pages)",
        {"standing": SiteStanding},
    ),
    "site/parties.md": ("a dossier's party registry", {"d": SiteDossier}),
    "site/timeline.md": ("a dossier's timeline", {"d": SiteDossier}),
    "site/lifecycle.md": (
        "the stage of each agreement and the accession steps (included by the overview)",
        {"d": SiteDossier},
    ),
    "site/lifecycle-event.md": (
        "the words of a recorded lifecycle event (included by the timeline)",
        {"e": SiteEvent},
    ),
    "site/text.md": ("the full text of an agreement", {"d": SiteDossier, "text": SiteText}),
    "site/consolidated-index.md": (
        "the choice of date of a dossier's text in force (geldende tekst)",
        {"d": SiteDossier, "c": SiteConsolidation},
    ),
    "site/consolidated.md": (
        "the text in force from one date of change, the changes marked",
        {"d": SiteDossier, "c": SiteConsolidation, "v": SiteVersion},
    ),
    "site/downloads.md": ("a dossier's downloads", {"d": SiteDossier}),
    "site/download-table.md": (
        "the list of downloads (included by the download pages)",
        {"downloads": tuple[SiteDownload, ...]},
    ),
    "site/download-facts.md": (
        "a download's form, pages and size, \"PDF, 12 pagina's, 245 kB\" (included by the list)",
        {"f": SiteDownload},
    ),
    "site/all-downloads.md": (
        "every download, by dossier",
        {"site": SiteHome, "groups": tuple[DownloadGroup, ...]},
    ),
    "site/feed.xml": ("the Atom feed of changes (feed.xml)", {"feed": SiteFeed}),
    "site/accessibility.md": (
        "the toegankelijkheidsverklaring (toegankelijkheid/), from the project's settings",
        {"a": SiteAccessibility},
    ),
    "site/about.md": (
        "the about page (over-deze-site/): publisher, contact, covenants, how it is made",
        {"a": SiteAbout},
    ),
    "site/open-data.md": (
        "the open-data page",
        {"tables": tuple[OpenDataTable, ...], "schemas": tuple[str, ...], "checksums": str},
    ),
}


# ---------------------------------------------------------------------------------------------
# Building it


@dataclass(frozen=True)
class DossierFacts:
    """A dossier with the facts the site and open data derive from it, computed once."""

    dossier: Dossier
    index: Index
    term: Term | None
    status: str
    reference_date: dt.date

    @classmethod
    def of(cls, dossier: Dossier, reference_date: dt.date) -> DossierFacts:
        index = build_index(dossier)
        term = dossier_term(dossier, index)
        return cls(dossier, index, term, status(term, reference_date), reference_date)

    @property
    def id(self) -> str:
        return self.dossier.id

    def letter(self, measure: Measure) -> str:
        return self.index.measure_letters[measure.id]

    @property
    def measures(self) -> list[Measure]:
        letters = self.index.measure_letters
        return sorted(self.dossier.measures, key=lambda m: (len(letters[m.id]), letters[m.id]))


def agreement_name(agreement: Agreement, dossier: Dossier | None = None) -> str:
    """Short name: the covenant's title, or "addendum 2024" (year it takes effect)."""
    if agreement.kind == "convenant":
        return agreement.title or (dossier.title if dossier else "convenant")
    start = agreement.in_force.start
    return f"addendum {start.year}" if start else f"addendum {agreement.id}"


def text_page(agreement: Agreement) -> str:
    return SITE_PATHS.text_page(agreement.id)


@dataclass(frozen=True)
class Download:
    """A file of the build offered on the site, as the manifest lists it."""

    dossier: str
    kind: str  # "agreement-pdf", "signing-package", ...
    path: str  # relative to the output folder (and to the site's downloads/)
    sha256: str
    title: str
    size: int = 0  # in bytes, of the file as written
    pages: int | None = None  # a PDF's page count, read from the file
    late: bool = False  # not written yet: size and pages come later (SiteDownload.token)


def site_downloads(items: Sequence[Download], prefix: str) -> tuple[SiteDownload, ...]:
    """The build's files as links from a page ``prefix`` (to the site root) away."""
    out = []
    for item in sorted(items, key=lambda x: x.path):
        name = item.path.rsplit("/", 1)[-1]
        out.append(
            SiteDownload(
                title=item.title or name,
                kind=item.kind,
                name=name,
                href=f"{prefix}{SITE_PATHS.downloads_folder}/{quote(item.path)}",
                sha256=item.sha256,
                size=fmt.file_size(item.size),
                pages=item.pages,
                late=item.late,
                token=download_token(item.path),
            )
        )
    return tuple(out)


def download_token(path: str) -> str:
    """What stands in a page for the facts of a download that is not written yet: the same for
    the same path in every build (the pages are reproducible), between two invisible
    separators (U+2063) that no text of ours holds."""
    return f"\u2063{hashlib.sha256(path.encode('utf-8')).hexdigest()[:20]}\u2063"


def site_dossier(
    facts: DossierFacts,
    ctx: DossierContext,
    downloads: Sequence[Download],
    agreement_markdown: Callable[[AgreementContext], str],
    consolidated_markdown: Callable[[ConsolidatedContext], str],
    words: Wording | None = None,
) -> SiteDossier:
    """The site's view of one dossier, from its facts and its (document) context; measure
    headings and texts come from the context, so they read as in the agreement. The render
    stage hands in its Markdown renderers (contexts hold data, renderers make text);
    ``words`` is the project's wording (its ``site`` and ``charts`` entries)."""
    words = words or Wording.default()
    d = facts.dossier
    base = covenant(d)
    day = facts.reference_date
    citation = ""
    if base is not None:
        cite = (base.publication.citation if base.publication else None) or base.citation
        citation = str(cite) if cite else ""
    pillars = {p.id: p.label for p in d.pillars}
    by_id: dict[str, AgreementContext] = {a.id: a for a in ctx.agreements}
    headings = {
        m.id: m.heading
        for a in ctx.agreements
        for s in a.sections
        for c in s.clauses
        if c.article
        for part in c.article.parts
        for m in part.measures
    }
    prov = d.provenance or {}
    # The public page speaks to readers: Dutch text from provenance.public, and a source's
    # reference only when it is a web address (never a path in the repository).
    public = prov.get("public") or {}
    sources = tuple(
        SiteSource(str(s.get("title", "")), _web_address(s.get("reference")))
        if isinstance(s, dict)
        else SiteSource(str(s), "")
        for s in prov.get("sources") or []
    )
    pen = d.penvoerder
    deadline = next_deadline(d, facts.index, day)
    measures = tuple(_measure(facts, m, pillars, headings.get(m.id), words) for m in facts.measures)
    known = {g.id for g in d.groups}
    orphans = [p for p in d.parties if p.group not in known]
    return SiteDossier(
        id=d.id,
        title=d.title,
        display_title=d.display_title,
        summary=d.summary or "",
        status=(shown := Wording.default().text(f"term_states.{facts.status}")),
        status_class=shown.replace(" ", "-"),
        reference_date=fmt.date_long(day),
        term=term_text(facts.term, words),
        covenant=(base.title or d.title) if base is not None else "",
        citation=citation,
        original_term=fmt.period_text(base.in_force.start, base.in_force.end) if base else "",
        start_known=bool(base and base.in_force.start),
        extensions=tuple(
            fmt.period_text(e.start, e.end) for e in (facts.term.extensions if facts.term else ())
        ),
        addenda=tuple(
            SiteAddendum(
                agreement_name(doc, d), fmt.period_text(doc.in_force.start, doc.in_force.end)
            )
            for doc in d.documents
            if doc.kind == "addendum"
        ),
        penvoerder=pen.name if pen else "",
        penvoerder_illustrative=bool(pen and pen.illustrative),
        parties_total=len(d.parties),
        parties_now=sum(1 for p in d.parties if bound_on(d, p, day)),
        pillars=tuple(SitePillar(p.id, p.label, p.description or "") for p in d.pillars),
        measures=measures,
        groups=tuple(_group(d, g) for g in d.groups),
        other_parties=_orphans(orphans) if orphans else None,
        events=_events(facts),
        undated=tuple(
            SiteUndated(agreement_name(doc, d), doc.signing.place)
            for doc in d.documents
            if doc.signing is not None and not last_signature(d, doc)
        ),
        texts=tuple(
            SiteText(
                agreement_name(a, d),
                text_page(a),
                Markup(agreement_markdown(by_id[a.id])) if a.id in by_id else "",
            )
            for a in d.agreements
        ),
        # The dossier's downloads page is <id>/downloads/ (directory URLs).
        downloads=site_downloads(downloads, "../"),
        sources=sources,
        sources_note=str(public.get("text") or ""),
        illustrative=tuple(str(x) for x in public.get("illustrative") or []),
        has_illustrative=bool(prov.get("illustrative") or public.get("illustrative")),
        glance=glance(t.standing for m in measures for t in m.targets),
        consolidation=site_consolidation(ctx.consolidation, consolidated_markdown),
        lifecycle=site_lifecycle(d, facts.index, day, lambda a: agreement_name(a, d)),
        next_deadline=fmt.date_long(deadline[1]) if deadline else "",
        next_deadline_iso=deadline[1].isoformat() if deadline else "",
        next_deadline_kind=words.text(f"deadlines.{deadline[0]}") if deadline else "",
        next_deadline_agreement=(agreement_name(d.document(deadline[2]), d) if deadline else ""),
    )


def site_organisations(dossiers: Sequence[Dossier]) -> tuple[SiteOrganisation, ...]:
    """Every organisation of the register, by registry id (model.derive.registry_id), with the
    covenants it is party to; named as in the first dossier (by id) that lists it; sorted by
    name, then registry id."""
    found: dict[str, list[tuple[Dossier, Party]]] = {}
    for d in sorted(dossiers, key=lambda d: d.id):
        for p in d.parties:
            found.setdefault(registry_id(p), []).append((d, p))
    out = []
    for rid, seen in found.items():
        first = seen[0][1]
        out.append(
            SiteOrganisation(
                key=organisation_key(first),
                registry_id=rid,
                tooi=bool(first.tooi),
                name=first.name,
                page=f"{SITE_PATHS.organisations}/{organisation_key(first)}.md",
                memberships=tuple(
                    SiteMembership(
                        d.id,
                        d.display_title,
                        p.name,
                        p.penvoerder,
                        fmt.date_long(p.joined) if p.joined else "",
                        fmt.date_long(p.left) if p.left else "",
                    )
                    for d, p in seen
                ),
            )
        )
    return tuple(sorted(out, key=lambda o: (o.name.casefold(), o.registry_id)))


def standing(facts: DossierFacts, row: TargetRow) -> SiteStanding:
    """The target's state on the reference date, with its latest result in Dutch."""
    found = target_state(facts.dossier, row.target, facts.reference_date)
    result, year = "", ""
    if found.result is not None:
        result = result_text(row, found.result.value)
        year = school_year_text(found.result.school_year)
    norm = f"{row.comparator} {row.value}".strip() if row.value else ""
    return SiteStanding(found.state, norm, result, year, found.illustrative)


def glance(standings) -> SiteGlance:
    """Counts per state, in the order of :data:`domain.TARGET_STATES`."""
    items = list(standings)
    counts = tuple(
        SiteCount(
            state,
            sum(1 for x in items if x.state == state),
            sum(1 for x in items if x.state == state and x.illustrative),
        )
        for state in TARGET_STATES
    )
    return SiteGlance(len(items), tuple(c for c in counts if c.count))


def _web_address(reference: object) -> str:
    text = str(reference or "")
    return text if text.startswith(("https://", "http://")) else ""


def _measure(
    facts: DossierFacts,
    measure: Measure,
    pillars: dict[str, str],
    heading: str | None,
    words: Wording,
) -> SiteMeasure:
    d = facts.dossier
    letter = facts.index.measure_letters[measure.id]
    rows = [target_row(d, t, facts.index, words) for t in measure.targets]
    charts = []
    for r in rows:
        t = r.target
        if not t.results:
            continue
        title = r.indicator or t.id
        norm = f"{r.comparator} {r.value}".strip()
        points = result_points(r)
        svg = results_chart(
            chart_id=f"chart-{t.id}",
            title=words.text("charts.title", indicator=title),
            points=points,
            target_value=t.value,
            target_text=norm,
            unit=r.unit,
            words=words,
        )
        results = tuple(
            SiteResult(p.label, p.text, p.illustrative, p.met, res.source or "")
            for p, res in zip(points, sorted(t.results, key=lambda x: x.school_year), strict=True)
        )
        charts.append(SiteChart(title, norm, r.period, Markup(svg), f"{t.id}.svg", results))
    targets = tuple(
        SiteTarget(
            r.target.id,
            r.text,
            r.indicator,
            r.comparator,
            r.value,
            r.period,
            r.baseline,
            r.baseline_planned,
            standing(facts, r),
        )
        for r in rows
    )
    day = facts.reference_date
    upcoming = measure_next_date(d, facts.index, measure, day)
    agreement = agreement_of_measure(d, measure.id)
    end = agreement_end(d, agreement, facts.index) if agreement is not None else None
    pen = d.penvoerder
    return SiteMeasure(
        id=measure.id,
        letter=letter,
        title=measure.title,
        heading=heading
        or Wording.default().text("agreement.measure_heading", letter=letter, title=measure.title),
        page=f"{measure.id}.md",
        pillars=tuple(pillars.get(p, p) for p in measure.pillars),
        description=tuple(measure.description),
        worked=tuple(measure.worked),
        strengthen=tuple(measure.strengthen),
        sections=tuple(SiteList(s.title, s.ordered, tuple(s.items)) for s in measure.sections),
        targets=targets,
        charts=tuple(charts),
        glance=glance(t.standing for t in targets),
        responsible=tuple(
            SiteName(p.name, p.illustrative)
            for p in (d.party(pid) for pid in measure.responsible)
            if p is not None
        ),
        penvoerder=SiteName(pen.name, pen.illustrative) if pen else None,
        next_date=fmt.date_long(upcoming[1]) if upcoming else "",
        next_date_kind=str(upcoming[0]) if upcoming else "",
        next_date_school_year=_school_year_of(upcoming[1])
        if upcoming and upcoming[0] is MeasureDate.SCHOOL_YEAR_END
        else "",
        ended=fmt.date_long(end) if end is not None and end < day else "",
    )


def _school_year_of(day: dt.date) -> str:
    """The school year (1 August - 31 July) a day falls in: "2024–2025"."""
    return fmt.school_year_label(day.year if day.month >= 8 else day.year - 1)


def _party(p: Party) -> SiteParty:
    people = []
    for r in p.representatives:  # every signer: chair and vice-chair, or the official
        person = " ".join(x for x in (r.title, r.name) if x)
        people.append(f"{person}, {r.role}" if r.role else person)
    rep = "; ".join(people)
    return SiteParty(
        id=p.id,
        name=p.name,
        kind=Wording.default().kind_name(p.kind),
        place=p.place or "",
        representative=rep,
        joined=fmt.date_long(p.joined) if p.joined else "",
        left=fmt.date_long(p.left) if p.left else "",
        penvoerder=p.penvoerder,
        illustrative=p.illustrative,
        note=p.note or "",
        organisation=f"{SITE_PATHS.organisations}/{organisation_key(p)}.md",
    )


def _columns(parties: tuple[SiteParty, ...]) -> SiteColumns:
    return SiteColumns(
        place=any(p.place for p in parties),
        representative=any(p.representative for p in parties),
        joined=any(p.joined for p in parties),
        left=any(p.left for p in parties),
        notes=any(p.penvoerder or p.illustrative or p.note for p in parties),
    )


def _group(d: Dossier, group) -> SiteGroup:
    parties = tuple(_party(p) for p in d.members(group.id))
    signed_by = ""
    if group.signing == "representative" and group.representative_party:
        rep = d.party(group.representative_party)
        signed_by = rep.name if rep else group.representative_party
    # A group without heading or designation (one designation names all parties) is titled
    # by the Dutch names of its members' kinds.
    kinds = dict.fromkeys(Wording.default().kind_name(p.kind) for p in d.members(group.id))
    title = (group.heading or group.designation or ", ".join(kinds) or group.id).rstrip(":;, ")
    return SiteGroup(
        id=group.id,
        title=title[:1].upper() + title[1:],
        capacity=group.capacity or "",
        signed_by=signed_by,
        parties=parties,
        columns=_columns(parties),
    )


def _orphans(parties: list[Party]) -> SiteGroup:
    rows = tuple(_party(p) for p in parties)
    return SiteGroup("", "", "", "", rows, _columns(rows))


def _events(facts: DossierFacts) -> tuple[SiteEvent, ...]:
    """Dated events in order, with the reference date placed among them."""
    d = facts.dossier
    term = facts.term
    base = covenant(d)
    raw: list[tuple[dt.date, int, str, str, str, bool, bool]] = []
    for doc in d.documents:
        name = agreement_name(doc, d)
        if doc.signing is not None and doc.signing.date:
            raw.append((doc.signing.date, 0, "signing", name, "", False, False))
        pub = doc.publication
        if pub and pub.published:
            raw.append((pub.published, 1, "publication", name, pub.citation or "", False, False))
        if doc.in_force.start:
            raw.append((doc.in_force.start, 2, "in-force", name, "", False, False))
        if doc is base and term and term.extensions:
            raw.append((doc.in_force.end, 5, "end-original", name, "", False, False))
        elif doc is not base:
            raw.append((doc.in_force.end, 6, "end-addendum", name, "", False, False))
    if term:
        for ext in term.extensions:
            if ext.start:
                raw.append((ext.start, 3, "extension", "", fmt.date_long(ext.end), False, False))
        raw.append((term.final_end, 7, "end", "", "", False, False))
    for acc in d.accessions:
        party = d.party(acc.party)
        name = party.name if party else acc.party
        ill = acc.illustrative
        raw.append((acc.requested, 1, "accession-request", name, "", False, ill))
        pending = acc.status == "requested"
        raw.append((acc.effective, 4, "accession", name, "", pending, ill))
    raw += lifecycle_events(d, lambda a: agreement_name(a, d))
    events: list[SiteEvent] = []
    marked = False
    day = facts.reference_date
    for when, _, kind, name, detail, pending, ill in sorted(set(raw)):
        if not marked and when > day:
            events.append(SiteEvent(fmt.date_long(day), "reference", "", "", False, False))
            marked = True
        events.append(SiteEvent(fmt.date_long(when), kind, name, detail, pending, ill))
    if not marked:
        events.append(SiteEvent(fmt.date_long(day), "reference", "", "", False, False))
    return tuple(events)
