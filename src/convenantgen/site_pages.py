"""The public site's pages as Markdown, generated from the model before MkDocs runs.

Every function returns the text of one page; :mod:`convenantgen.site` decides where they go.
All user text passes through :func:`md` (Markdown) or :func:`h` (raw HTML) so that a
``<script>`` in YAML shows as text. Page titles go into front matter (``title:``), already
HTML-escaped: Material prints ``page.meta.title`` as is into ``<title>`` and the navigation,
whereas a title taken from the H1 would go through ``striptags``, which un-escapes entities
(``&lt;/title&gt;`` would close the element).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape as _html_escape
from urllib.parse import quote

from . import formatting as fmt
from .charts import ChartPoint, met, results_chart
from .context import agreement_context, target_text
from .domain import Term, covenant, dossier_term, status, target_period
from .model import Agreement, Dossier, Measure, Party, Target
from .references import Index, build_index
from .render_markdown import agreement_markdown

# ---------------------------------------------------------------------------------------------
# Escaping

_INLINE_RE = re.compile(r"([\\`*_\[\]{}|#!])")
# What would turn the start of a paragraph into a list ("- ", "+ ", "1. ", "1) ").
_LINE_START_RE = re.compile(r"^(\s*)(?:([-+])|(\d+)([.)]))")


def md(text: object) -> str:
    """User text as inert Markdown inline text, on one line."""
    out = " ".join(str(text).split())
    out = _html_escape(out, quote=False)  # & < > become entities: never markup
    out = _INLINE_RE.sub(r"\\\1", out)
    return _LINE_START_RE.sub(_escape_line_start, out)


def _escape_line_start(m: re.Match) -> str:
    if m.group(2):
        return f"{m.group(1)}\\{m.group(2)}"
    return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"


def h(text: object) -> str:
    """User text for raw HTML (attributes included)."""
    return _html_escape(" ".join(str(text).split()), quote=True)


def front_matter(title: str) -> str:
    """YAML front matter with the page title; JSON strings are valid YAML scalars."""
    return f"---\ntitle: {json.dumps(h(title))}\n---\n\n"


def table(headers: list[str], rows: Iterable[list[str]], *, drop_empty: bool = False) -> list[str]:
    """A Markdown table; cells must already be escaped. ``drop_empty`` leaves out columns
    without any value (narrow tables read better than scrolling ones)."""
    rows = list(rows)
    if drop_empty and rows:
        keep = [i for i in range(len(headers)) if any(row[i] for row in rows)]
        headers = [headers[i] for i in keep]
        rows = [[row[i] for i in keep] for row in rows]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell or "—" for cell in row) + " |" for row in rows]
    return lines + [""]


def root_prefix(src: str) -> str:
    """Relative URL from the page built from ``src`` to the site root.

    The site uses directory URLs (``use_directory_urls: true`` in mkdocs.yml): ``a/b.md`` is
    served as ``a/b/``, ``a/index.md`` as ``a/``.
    """
    parts = src.removesuffix(".md").split("/")
    depth = len(parts) - 1 if parts[-1] == "index" else len(parts)
    return "../" * depth


# ---------------------------------------------------------------------------------------------
# Terms and status


def term_text(term: Term | None) -> str:
    if term is None:
        return "onbekend"
    return fmt.period_text(term.start, term.final_end)


# ---------------------------------------------------------------------------------------------
# Target data shared by pages and open data


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


def target_row(dossier: Dossier, target: Target, index: Index) -> TargetRow:
    indicator = dossier.indicator(target.indicator) if target.indicator else None
    unit = indicator.unit if indicator else ""
    counted = indicator.counted if indicator else None
    value = ""
    if target.value is not None and indicator is not None:
        value = fmt.indicator_quantity(target.value, indicator)
    if target.per_school_year:
        period = "per schooljaar"
    else:
        span = target_period(dossier, target)
        period = fmt.period_text(*span) if span else ""
    baseline = ""
    if target.baseline is not None:
        b = target.baseline
        if b.planned:
            baseline = "nulmeting gepland"
        elif b.value is not None:
            baseline = (
                fmt.indicator_quantity(b.value, indicator) if indicator else fmt.number(b.value)
            )
            if b.date:
                baseline += f" ({fmt.date_long(b.date)})"
    return TargetRow(
        target=target,
        text=target_text(dossier, target, index),
        indicator=indicator.label if indicator else "",
        unit=unit,
        counted=counted,
        decimals=indicator.decimals if indicator else None,
        comparator=fmt.COMPARATOR_WORDS.get(target.comparator or "", ""),
        value=value,
        period=period,
        baseline=baseline,
    )


def school_year_text(label: str) -> str:
    """``2024-2025`` as written in YAML becomes ``2024–2025``."""
    start, _, _ = label.partition("-")
    return fmt.school_year_label(int(start)) if start.isdigit() else label


def result_points(row: TargetRow) -> list[ChartPoint]:
    t = row.target
    return [
        ChartPoint(
            label=school_year_text(r.school_year),
            value=float(r.value),
            text=fmt.quantity(r.value, row.unit, row.counted, row.decimals)
            if row.unit
            else fmt.number(r.value),
            illustrative=r.illustrative,
            met=met(float(r.value), t.comparator, t.value),
        )
        for r in sorted(t.results, key=lambda r: r.school_year)
    ]


# ---------------------------------------------------------------------------------------------
# Pages


@dataclass(frozen=True)
class SiteDossier:
    """A dossier with what every page needs: index, letters, term, status, file names."""

    dossier: Dossier
    index: Index
    term: Term | None
    status: str
    reference_date: dt.date

    @classmethod
    def of(cls, dossier: Dossier, reference_date: dt.date) -> SiteDossier:
        index = build_index(dossier)
        term = dossier_term(dossier, index)
        return cls(dossier, index, term, status(term, reference_date), reference_date)

    @property
    def id(self) -> str:
        return self.dossier.id

    @property
    def measures(self) -> list[Measure]:
        letters = self.index.measure_letters
        return sorted(self.dossier.measures, key=lambda m: (len(letters[m.id]), letters[m.id]))

    def letter(self, measure: Measure) -> str:
        return self.index.measure_letters[measure.id]

    def measure_heading(self, measure: Measure) -> str:
        return f"Maatregel {self.letter(measure)}: {measure.title}"

    def text_pages(self) -> list[tuple[Agreement, str]]:
        return [(a, f"tekst-{a.id}.md") for a in self.dossier.agreements]


def _status_badge(status_text: str) -> str:
    return f'<span class="cg-status cg-status-{status_text.replace(" ", "-")}">{status_text}</span>'


def home_page(dossiers: list[SiteDossier], reference_date: dt.date, *, has_schema: bool) -> str:
    lines = [
        front_matter("Convenanten en maatregelen"),
        "# Convenanten en maatregelen",
        "",
        "Deze site toont per convenant de afspraken, de maatregelen met hun "
        "resultaatafspraken, de partijen en de tijdlijn. Alles is gegenereerd uit dezelfde "
        "gevalideerde gegevens als de ondertekende documenten.",
        "",
        f"Status op de peildatum, {fmt.date_long(reference_date)}:",
        "",
    ]
    rows = [
        [
            f"[{md(sd.dossier.display_title)}]({sd.id}/index.md)",
            _status_badge(sd.status),
            md(term_text(sd.term)),
            str(len(sd.dossier.measures)),
            str(len(sd.dossier.parties)),
        ]
        for sd in dossiers
    ]
    lines += table(["Dossier", "Status", "Looptijd", "Maatregelen", "Partijen"], rows)
    lines += [
        "## Open data",
        "",
        "Alle gegevens zijn ook beschikbaar als JSON en CSV: zie [Open data](open-data/index.md).",
        "",
    ]
    if has_schema:
        lines += ["Het YAML-formaat is beschreven in JSON Schema (zie dezelfde pagina).", ""]
    return "\n".join(lines)


def overview_page(sd: SiteDossier, downloads: list[dict]) -> str:
    d = sd.dossier
    base = covenant(d)
    lines = [
        front_matter(d.display_title),
        f"# {md(d.title)}",
        "",
        f"Status op {fmt.date_long(sd.reference_date)}: {_status_badge(sd.status)}",
        "",
    ]
    if d.summary:
        lines += [md(d.summary), ""]
    rows: list[list[str]] = []
    if base is not None:
        name = md(base.title or d.title)
        citation = (base.publication.citation if base.publication else None) or base.citation
        rows.append(["Convenant", name + (f" ({md(citation)})" if citation else "")])
        start = base.in_force.start
        looptijd = fmt.period_text(start, base.in_force.end)
        if start is None:
            looptijd += " (begindatum niet vastgelegd)"
        rows.append(["Oorspronkelijke looptijd", md(looptijd)])
    if sd.term:
        for ext in sd.term.extensions:
            rows.append(["Verlenging", md(fmt.period_text(ext.start, ext.end))])
    for doc in d.documents:
        if doc.kind == "addendum":
            name = _first_upper(_agreement_name(doc, d))
            rows.append([f"{md(name)} in werking", md(fmt.period_text(*_span(doc)))])
    pen = d.penvoerder
    if pen is None:
        rows.append(["Penvoerder", "niet vastgelegd"])
    else:
        rows.append(["Penvoerder", md(pen.name) + (" (illustratief)" if pen.illustrative else "")])
    members = sum(1 for p in d.parties if p.member_on(sd.reference_date))
    rows.append(["Partijen", f"{len(d.parties)} ({members} op {fmt.date_long(sd.reference_date)})"])
    rows.append(["Maatregelen", str(len(d.measures))])
    lines += table(["Gegeven", "Waarde"], rows)

    lines += ["## Onderdelen", ""]
    lines += [
        "- [Maatregelen](maatregelen/index.md)",
        "- [Partijen](partijen.md)",
        "- [Tijdlijn](tijdlijn.md)",
    ]
    for agreement, page in sd.text_pages():
        lines.append(f"- [Tekst {md(_agreement_name(agreement, d))}]({page})")
    files = "bestand" if len(downloads) == 1 else "bestanden"
    lines += [f"- [Downloads](downloads.md) ({len(downloads)} {files})", ""]

    lines += ["## Herkomst", ""]
    prov = d.provenance or {}
    sources = prov.get("sources") or []
    lines += ["### Uit de bronnen", ""]
    if sources:
        for src in sources:
            if isinstance(src, dict):
                ref = f" ({md(src['reference'])})" if src.get("reference") else ""
                lines.append(f"- {md(src.get('title', ''))}{ref}")
            else:
                lines.append(f"- {md(src)}")
        lines.append("")
    if prov.get("note"):
        lines += [md(prov["note"]), ""]
    if not sources and not prov.get("note"):
        lines += ["De bronnen zijn niet vastgelegd.", ""]
    illustrative = prov.get("illustrative") or []
    lines += ["### Illustratief", ""]
    if illustrative:
        lines += [
            "Deze gegevens staan niet in de bronnen en zijn ter illustratie toegevoegd; op de "
            "pagina's zijn ze gemarkeerd als *illustratief*:",
            "",
        ]
        lines += [f"- {md(item)}" for item in illustrative] + [""]
    else:
        lines += ["Geen illustratieve gegevens.", ""]
    return "\n".join(lines)


def _span(doc: Agreement) -> tuple[dt.date | None, dt.date]:
    return doc.in_force.start, doc.in_force.end


def _agreement_name(agreement: Agreement, dossier: Dossier | None = None) -> str:
    """Short name: the covenant's title, or "addendum 2024" (year it takes effect)."""
    if agreement.kind == "convenant":
        return agreement.title or (dossier.title if dossier else "convenant")
    start = agreement.in_force.start
    return f"addendum {start.year}" if start else f"addendum {agreement.id}"


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def measures_index_page(sd: SiteDossier) -> str:
    d = sd.dossier
    pillars = {p.id: p.label for p in d.pillars}
    lines = [
        front_matter(f"Maatregelen {d.display_title}"),
        f"# Maatregelen {md(d.display_title)}",
        "",
    ]
    rows = [
        [
            sd.letter(m),
            f"[{md(m.title)}]({m.id}.md)",
            md(", ".join(pillars.get(p, p) for p in m.pillars)),
            str(len(m.targets)),
            "ja" if any(t.results for t in m.targets) else "nee",
        ]
        for m in sd.measures
    ]
    lines += table(["Letter", "Maatregel", "Pijlers", "Resultaatafspraken", "Monitoring"], rows)
    if d.pillars:
        lines += ["## Pijlers", ""]
        for p in d.pillars:
            desc = f": {md(p.description)}" if p.description else ""
            lines.append(f"- **{md(p.label)}**{desc}")
        lines.append("")
    return "\n".join(lines)


def measure_page(sd: SiteDossier, measure: Measure) -> tuple[str, dict[str, str]]:
    """The measure's page and its charts (file name -> SVG), one per target with results."""
    d = sd.dossier
    pillars = {p.id: p.label for p in d.pillars}
    heading = sd.measure_heading(measure)
    lines = [front_matter(heading), f"# {md(heading)}", ""]
    if measure.pillars:
        tags = " ".join(
            f'<span class="cg-tag">{h(pillars.get(p, p))}</span>' for p in measure.pillars
        )
        label = "Pijler" if len(measure.pillars) == 1 else "Pijlers"
        lines += [f"{label}: {tags}", ""]
    for paragraph in measure.description:
        lines += [md(paragraph), ""]
    if measure.worked:
        lines += ["## Wat heeft gewerkt", ""]
        lines += [f"- {md(item)}" for item in measure.worked] + [""]
    if measure.strengthen:
        lines += ["## Wat wordt versterkt", ""]
        lines += [f"- {md(item)}" for item in measure.strengthen] + [""]
    for section in measure.sections:
        lines += [f"## {md(section.title)}", ""]
        marker = "1." if section.ordered else "-"
        lines += [f"{marker} {md(item)}" for item in section.items] + [""]

    charts: dict[str, str] = {}
    rows = [target_row(d, t, sd.index) for t in measure.targets]
    if rows:
        lines += ["## Resultaatafspraken", ""]
        lines += table(
            ["Resultaatafspraak", "Indicator", "Vergelijking", "Waarde", "Periode", "Nulmeting"],
            (
                [md(r.text), md(r.indicator), r.comparator, md(r.value), md(r.period), r.baseline]
                for r in rows
            ),
        )
    monitored = [r for r in rows if r.target.results]
    if monitored:
        lines += ["## Monitoring", ""]
    for r in monitored:
        t = r.target
        title = r.indicator or t.id
        norm = f"{r.comparator} {r.value}".strip()
        points = result_points(r)
        chart_name = f"{t.id}.svg"
        svg = results_chart(
            chart_id=f"chart-{t.id}",
            title=f"{title}: resultaten per schooljaar",
            points=points,
            target_value=t.value,
            target_text=norm,
            unit=r.unit,
        )
        charts[chart_name] = svg
        lines += [f"### {md(title)}", ""]
        if norm:
            lines += [f"Doel: {md(norm)} ({md(r.period)}).", ""]
        # Inline so the chart's <title>/<desc> reach assistive technology; one line, because a
        # blank line would end the raw HTML block.
        lines += [
            f'<figure class="cg-figure">{svg}<figcaption>{h(title)}; '
            f'<a href="../charts/{h(chart_name)}">grafiek als SVG-bestand</a></figcaption>'
            "</figure>",
            "",
        ]
        result_rows = []
        for point, result in zip(
            points, sorted(t.results, key=lambda x: x.school_year), strict=True
        ):
            verdict = "—" if point.met is None else ("ja" if point.met else "nee")
            note = " (illustratief)" if point.illustrative else ""
            result_rows.append(
                [md(point.label), md(point.text) + note, verdict, md(result.source or "")]
            )
        lines += table(["Schooljaar", "Resultaat", "Doel gehaald", "Bron"], result_rows)
    return "\n".join(lines), charts


def _kind_word(kind: str) -> str:
    return kind.replace("-", " ")


def _representative(p: Party) -> str:
    r = p.representative
    if r is None:
        return ""
    text = " ".join(x for x in (r.title, r.name) if x)
    return f"{text}, {r.role}" if r.role else text


def parties_page(sd: SiteDossier) -> str:
    d = sd.dossier
    day = sd.reference_date
    lines = [
        front_matter(f"Partijen {d.display_title}"),
        f"# Partijen {md(d.display_title)}",
        "",
        f"{len(d.parties)} partijen in het register; op {fmt.date_long(day)} zijn er "
        f"{sum(1 for p in d.parties if p.member_on(day))} partij.",
        "",
    ]
    if d.penvoerder:
        lines += [f"Penvoerder: **{md(d.penvoerder.name)}**.", ""]
    groups = list(d.groups) or []
    known = {g.id for g in groups}
    for group in groups:
        members = d.members(group.id)
        lines += [f"## {md((group.heading or group.designation).capitalize())}", ""]
        if group.capacity:
            lines += [f"Hoedanigheid: {md(group.capacity)}.", ""]
        if group.signing == "representative" and group.representative_party:
            rep = d.party(group.representative_party)
            name = rep.name if rep else group.representative_party
            lines += [f"Ondertekent namens de groep: {md(name)}.", ""]
        else:
            lines += ["Elke partij ondertekent zelf.", ""]
        lines += _party_table(members)
    orphans = [p for p in d.parties if p.group not in known]
    if orphans:
        lines += ["## Overige partijen", ""] + _party_table(orphans)
    return "\n".join(lines)


def _party_table(parties: list[Party]) -> list[str]:
    rows = []
    for p in parties:
        notes = []
        if p.penvoerder:
            notes.append("penvoerder")
        if p.illustrative:
            notes.append("illustratief")
        if p.note:
            notes.append(md(p.note))
        rows.append(
            [
                md(p.name),
                md(_kind_word(p.kind)),
                md(p.place or ""),
                md(_representative(p)),
                fmt.date_long(p.joined) if p.joined else "",
                fmt.date_long(p.left) if p.left else "",
                "; ".join(notes),
            ]
        )
    return table(
        [
            "Partij",
            "Soort",
            "Plaats",
            "Vertegenwoordiger",
            "Toegetreden",
            "Uitgetreden",
            "Opmerking",
        ],
        rows,
        drop_empty=True,
    )


@dataclass(frozen=True, order=True)
class Event:
    day: dt.date
    order: int
    text: str  # escaped Markdown


def timeline_events(sd: SiteDossier) -> tuple[list[Event], list[str]]:
    """Dated events in order, and undated ones (signing without a date) as text."""
    d = sd.dossier
    events: list[Event] = []
    undated: list[str] = []
    base = covenant(d)
    for doc in d.documents:
        name = md(_agreement_name(doc, d))
        if doc.signing is not None:
            if doc.signing.date:
                events.append(Event(doc.signing.date, 0, f"Ondertekening {name}"))
            else:
                undated.append(f"Ondertekening {name} te {md(doc.signing.place)}: datum nog open")
        pub = doc.publication
        if pub and pub.published:
            cite = f" ({md(pub.citation)})" if pub.citation else ""
            events.append(Event(pub.published, 1, f"Publicatie {name} in de Staatscourant{cite}"))
        if doc.in_force.start:
            events.append(Event(doc.in_force.start, 2, f"{_first_upper(name)} treedt in werking"))
        if doc is base and sd.term and sd.term.extensions:
            events.append(Event(doc.in_force.end, 5, "Einde oorspronkelijke looptijd"))
        elif doc is not base:
            events.append(Event(doc.in_force.end, 6, f"Einde werking {name}"))
    if sd.term:
        for ext in sd.term.extensions:
            if ext.start:
                events.append(
                    Event(
                        ext.start,
                        3,
                        f"Verlenging van de looptijd tot en met {fmt.date_long(ext.end)} gaat in",
                    )
                )
        events.append(Event(sd.term.final_end, 7, "Einde looptijd convenant"))
    for acc in d.accessions:
        party = d.party(acc.party)
        name = md(party.name if party else acc.party)
        mark = " (illustratief)" if acc.illustrative else ""
        events.append(Event(acc.requested, 1, f"Verzoek tot toetreding van {name}{mark}"))
        state = "treedt toe" if acc.status != "requested" else "treedt toe (verzoek ingediend)"
        events.append(Event(acc.effective, 4, f"{name} {state}{mark}"))
    return sorted(set(events)), undated


def timeline_page(sd: SiteDossier) -> str:
    d = sd.dossier
    events, undated = timeline_events(sd)
    lines = [
        front_matter(f"Tijdlijn {d.display_title}"),
        f"# Tijdlijn {md(d.display_title)}",
        "",
        f"Status op {fmt.date_long(sd.reference_date)}: {_status_badge(sd.status)}",
        "",
    ]
    rows = []
    marked = False
    for ev in events:
        if not marked and ev.day > sd.reference_date:
            rows.append([f"**{fmt.date_long(sd.reference_date)}**", "**Peildatum**"])
            marked = True
        rows.append([fmt.date_long(ev.day), ev.text])
    if not marked:
        rows.append([f"**{fmt.date_long(sd.reference_date)}**", "**Peildatum**"])
    lines += table(["Datum", "Gebeurtenis"], rows)
    if undated:
        lines += ["## Nog zonder datum", ""] + [f"- {u}" for u in undated] + [""]
    return "\n".join(lines)


def downloads_table(downloads: list[dict], prefix: str) -> list[str]:
    """Downloads as a table. The links are raw HTML on purpose: the files are placed in
    ``site/downloads/`` by the build after MkDocs ran, so MkDocs must not validate them (it
    validates Markdown links only, not inline HTML)."""
    if not downloads:
        return ["Er zijn (nog) geen downloads.", ""]
    rows = []
    for item in sorted(downloads, key=lambda x: str(x["path"])):
        path = str(item["path"])
        href = prefix + "downloads/" + quote(path)
        name = path.rsplit("/", 1)[-1]
        rows.append(
            [
                md(item.get("title") or name),
                md(str(item.get("kind", "")).replace("-", " ")),
                f'<a href="{h(href)}" download>{h(name)}</a>',
                f"<code>{h(item.get('sha256', ''))}</code>",
            ]
        )
    return table(["Document", "Soort", "Bestand", "SHA-256"], rows)


def downloads_page(sd: SiteDossier, downloads: list[dict], src: str) -> str:
    d = sd.dossier
    lines = [
        front_matter(f"Downloads {d.display_title}"),
        f"# Downloads {md(d.display_title)}",
        "",
        "De documenten als DOCX en PDF. Met het SHA-256-controlegetal kunt u nagaan dat een "
        "bestand ongewijzigd is (bijvoorbeeld met `sha256sum`).",
        "",
    ]
    return "\n".join(lines + downloads_table(downloads, root_prefix(src)))


def all_downloads_page(dossiers: list[SiteDossier], downloads: list[dict]) -> str:
    lines = [front_matter("Downloads"), "# Downloads", ""]
    names = {sd.id: sd.dossier.display_title for sd in dossiers}
    groups: dict[str, list[dict]] = {}
    for item in downloads:
        groups.setdefault(str(item.get("dossier") or ""), []).append(item)
    if not downloads:
        lines += ["Er zijn (nog) geen downloads.", ""]
    for key in sorted(groups, key=lambda k: (k not in names, k)):
        lines += [f"## {md(names.get(key, key or 'Overig'))}", ""]
        lines += downloads_table(groups[key], root_prefix("downloads.md"))
    return "\n".join(lines)


def text_page(sd: SiteDossier, agreement: Agreement) -> str:
    """The full text, as rendered for review in git (same words as the DOCX)."""
    title = f"Tekst {_agreement_name(agreement, sd.dossier)}"
    body = agreement_markdown(agreement_context(sd.dossier, agreement, index=sd.index))
    return front_matter(title) + body
