"""Stage 3, model: frozen dataclasses built from validated YAML.

Every object keeps a :class:`Where` (file and key path) so checks can point at the exact line
of the value they complain about. Building the model assumes the schema passed: it does not
re-validate shapes, only converts (dates become ``datetime.date``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import Where
from ..states import AccessionStatus
from .dates import parse_iso_date
from .finance import (
    Cited,
    Finance,
    Obligation,
    build_cites,
    build_finance,
    build_kamerstuk,
    build_obligations,
)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    parsed, _ = parse_iso_date(str(value))
    return parsed


@dataclass(frozen=True)
class Period:
    id: str
    start: dt.date | None
    end: dt.date
    where: Where
    follows: str | None = None

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and day <= self.end


@dataclass(frozen=True)
class Representative:
    name: str
    title: str | None
    role: str | None
    where: Where
    # "handelend ter uitvoering van het besluit van ...": the authority the person signs on.
    authority: str | None = None
    # False: signs, but is not named in the parties block (a minister who signs in person).
    listed: bool = True
    # "role-first" | "name-first": this signer's own order in the parties block; None: the
    # agreement's representative formula decides.
    order: str | None = None
    role_article: str | None = None  # "de" | "het": the article the text writes before the role


@dataclass(frozen=True)
class Group:
    id: str
    heading: str | None
    designation: str | None  # None: the agreement's collective designation names the group
    capacity: str | None
    signing: str  # "each" | "representative"
    representative_party: str | None
    where: Where
    # Members are numbered in the parties block ("1. De vereniging ZuivelNL, ...").
    numbered: bool = False
    # Members one per line without a heading or numbers (a dash list), closed by a line of
    # their own (capacity, designation).
    listed: bool = False
    # "short" | "full": the wording entry of its members' own designations (party_designation_
    # short or _full); None: the agreement's party_designation.
    designation_form: str | None = None


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    kind: str
    group: str
    where: Where
    short_name: str | None = None
    place: str | None = None
    representative: Representative | None = None
    joined: dt.date | None = None
    left: dt.date | None = None
    penvoerder: bool = False
    illustrative: bool = False
    note: str | None = None
    # Everyone who signs for the party, in order (chair, vice-chair); ``representative`` is the
    # first of them. Under a mandate the one signer is the official, never the party itself.
    representatives: tuple[Representative, ...] = ()
    mandate: bool = False
    mandate_basis: str | None = None
    capacity: str | None = None  # "handelend als bestuursorgaan ...", after the party's name
    also_on_behalf_of: str | None = None  # "tevens handelend namens ..."
    tooi: str | None = None  # the organisation's TOOI identifier (Woo and Staatscourant metadata)
    designation: str | None = None  # the party's own "hierna: EZK" in the parties block
    designation_form: str | None = None  # "short" | "full"; None: its group's

    def member_on(self, day: dt.date) -> bool:
        return (self.joined is None or self.joined <= day) and (
            self.left is None or day < self.left
        )


@dataclass(frozen=True)
class Citation:
    year: int
    number: str

    def __str__(self) -> str:
        return f"Stcrt. {self.year}, {self.number}"


@dataclass(frozen=True)
class BaseArticle:
    id: str
    number: str
    title: str
    where: Where
    lettered_items: int = 0
    parts: int = 0  # numbered members (3.1, 3.2) it has; members added continue after them
    measures: int = 0  # measures it letters (A, B, ...); measures added continue after them
    summary: str | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Definition:
    id: str
    term: str
    text: str
    where: Where
    forms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticlePart:
    id: str
    where: Where
    title: str | None = None
    text: str | None = None
    measures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clause:
    id: str
    where: Where
    text: str | None = None
    published: str | None = None
    amend_article: str | None = None
    amend_action: str | None = None
    definitions: tuple[Definition, ...] = ()
    article_title: str | None = None
    parts: tuple[ArticlePart, ...] = ()
    period: str | None = None
    topics: tuple[str, ...] = ()
    # Articles that are not measures (see finance.py): amounts and shares, duties with deadlines.
    finance: Finance | None = None
    obligations: tuple[Obligation, ...] = ()


@dataclass(frozen=True)
class Section:
    id: str
    title: str  # "" when the text gives the article none ("Artikel 1" alone)
    numbered: bool
    clauses: tuple[Clause, ...]
    where: Where
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Consideration:
    text: str
    where: Where
    id: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class Extension:
    id: str
    extends: str
    start: dt.date | None
    end: dt.date
    where: Where


@dataclass(frozen=True)
class Amendment:
    """One amendment instruction of an addendum, as data (see :mod:`convenantgen.model.in_force`).

    ``action`` is replace, add_to, insert_after, remove or extend; ``target`` the id it names
    (an article or member of the covenant, or for extend the term's period id).
    """

    id: str
    action: str
    target: str
    where: Where
    effective: dt.date | None = None
    end: dt.date | None = None
    title: str | None = None
    text: str | None = None
    clauses: tuple[Clause, ...] = ()
    section: Section | None = None
    actions: tuple[str, ...] = ()  # every action key written; more or less than one is reported


AMENDMENT_ACTIONS = ("replace", "add_to", "insert_after", "remove", "extend")


@dataclass(frozen=True)
class AccessionRule:
    clause: str
    kinds: tuple[str, ...]
    before_school_year: bool
    send_to: str | None
    send_to_address: tuple[str, ...]
    where: Where


@dataclass(frozen=True)
class Publication:
    where: Where
    within_days: int | None = None
    published: dt.date | None = None
    citation: Citation | None = None


@dataclass(frozen=True)
class Signing:
    place: str
    where: Where
    date: dt.date | None = None
    copies: int | None = None
    groups: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Agreement:
    """A covenant or an addendum. ``in_force`` is its term (for an addendum: when it applies).

    A covenant may be only a reference to a published text (term and the articles addenda
    refer to); with ``sections`` it is a full text that is rendered like an addendum.
    """

    id: str
    kind: str  # "convenant" | "addendum"
    in_force: Period
    where: Where
    amends: str | None = None
    title: str | None = None
    citation: Citation | None = None
    articles: tuple[BaseArticle, ...] = ()
    parties: tuple[str, ...] = ()
    considerations: tuple[Consideration, ...] = ()
    sections: tuple[Section, ...] = ()
    signing: Signing | None = None
    extension: Extension | None = None
    accession: AccessionRule | None = None
    publication: Publication | None = None
    # The agreement's own formulas (wording keys of the agreement section), in YAML order.
    formulas: tuple[tuple[str, str], ...] = ()
    amendments: tuple[Amendment, ...] = ()
    # One designation for all parties ("verder te noemen: partijen"), from ``party_list``.
    collective_designation: str | None = None
    # How blocks of parties are separated (party_list.separator): "line", "run-in" or "none".
    party_separator: str = "line"
    # The parts numbered I, II, ... in order: "parties", "considerations", "agreement".
    part_numerals: tuple[str, ...] = ()
    cites: tuple[Cited, ...] = ()  # documents cited by {cite:ID}
    # Known by a Kamerstuk (chamber, session, dossier, number), besides or instead of citation.
    kamerstuk: tuple[str, str, str, str] | None = None
    predecessor: str | None = None  # id of the covenant of this dossier this one replaces

    @property
    def has_text(self) -> bool:
        return bool(self.sections)

    def clauses(self) -> Iterator[tuple[Section, Clause]]:
        for section in self.sections:
            for clause in section.clauses:
                yield section, clause


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    unit: str
    where: Where
    counted: str | None = None
    decimals: int | None = None


@dataclass(frozen=True)
class Baseline:
    where: Where
    value: float | None = None
    date: dt.date | None = None
    planned: bool = False
    note: str | None = None


@dataclass(frozen=True)
class Result:
    school_year: str
    value: float
    where: Where
    source: str | None = None
    illustrative: bool = False
    date: dt.date | None = None  # when it was published


@dataclass(frozen=True)
class Target:
    id: str
    text: str
    measure: str
    where: Where
    indicator: str | None = None
    comparator: str | None = None
    value: float | None = None
    direction: str | None = None
    period: tuple[dt.date, dt.date] | None = None
    per_school_year: bool = False
    baseline: Baseline | None = None
    components: tuple[str, ...] = ()
    results: tuple[Result, ...] = ()

    @property
    def quantitative(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class MeasureSection:
    title: str
    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    description: tuple[str, ...]
    where: Where
    pillars: tuple[str, ...] = ()
    worked: tuple[str, ...] = ()
    strengthen: tuple[str, ...] = ()
    sections: tuple[MeasureSection, ...] = ()
    targets: tuple[Target, ...] = ()
    responsible: tuple[str, ...] = ()  # party ids of who carries it out; (): the parties together


@dataclass(frozen=True)
class AccessionRequest:
    id: str
    party: str
    document: str
    requested: dt.date
    effective: dt.date
    where: Where
    status: str = "requested"
    illustrative: bool = False
    consents: tuple[Consent, ...] = ()
    sent: dt.date | None = None
    notice: Notice | None = None
    reference: str | None = None  # the cover letter's kenmerk


# The steps of an accession request, in order (its ``status`` names the last one reached).
ACCESSION_STEPS = tuple(AccessionStatus)


@dataclass(frozen=True)
class Consent:
    party: str
    date: dt.date
    where: Where


@dataclass(frozen=True)
class Notice:
    """A Staatscourant publication: of an agreement, an accession or a withdrawal."""

    date: dt.date | None
    citation: Citation
    where: Where


@dataclass(frozen=True)
class Signature:
    party: str
    date: dt.date
    where: Where
    place: str | None = None
    form: str | None = None  # "wet-ink" | "digital"
    illustrative: bool = False


@dataclass(frozen=True)
class Evaluation:
    where: Where
    planned: dt.date | None = None
    done: dt.date | None = None
    report: str | None = None


@dataclass(frozen=True)
class Withdrawal:
    party: str
    kind: str  # "opzegging" | "uittreding"
    effective: dt.date
    where: Where
    notified: dt.date | None = None
    citation: Citation | None = None


@dataclass(frozen=True)
class Lifecycle:
    """What happened to one agreement after it was generated (a ``kind: lifecycle`` entry).

    ``signatures`` is None when no signing is recorded at all, and ``()`` while the agreement is
    out for signing with no signature yet.
    """

    agreement: str
    where: Where
    signatures: tuple[Signature, ...] | None = None
    publication: Notice | None = None
    evaluation: Evaluation | None = None
    withdrawals: tuple[Withdrawal, ...] = ()
    terminated: dt.date | None = None
    terminated_reason: str | None = None
    illustrative: bool = False


@dataclass(frozen=True)
class Pillar:
    id: str
    label: str
    where: Where
    description: str | None = None


@dataclass(frozen=True)
class Acknowledgement:
    code: str
    subject: str
    reason: str
    where: Where


@dataclass(frozen=True)
class Withheld:
    """A part of a document not made public, and the Woo ground (art. 5.x) for it."""

    part: str
    ground: str
    where: Where
    document: str | None = None  # the agreement it belongs to; None: the dossier's documents


@dataclass(frozen=True)
class Woo:
    """What active publication under the Woo needs beyond the text (dossier.yaml ``woo:``)."""

    where: Where
    responsible: str | None = None  # party id of the verantwoordelijke
    themes: tuple[str, ...] = ()  # names of the TOOI 'top' list (model/themes.py)
    withheld: tuple[Withheld, ...] = ()


@dataclass(frozen=True)
class Dossier:
    id: str
    title: str
    folder: Path
    where: Where
    short_title: str | None = None
    summary: str | None = None
    provenance: Mapping[str, Any] = field(default_factory=dict)
    pillars: tuple[Pillar, ...] = ()
    check_levels: Mapping[str, str] = field(default_factory=dict)
    acknowledgements: tuple[Acknowledgement, ...] = ()
    groups: tuple[Group, ...] = ()
    parties: tuple[Party, ...] = ()
    documents: tuple[Agreement, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    measures: tuple[Measure, ...] = ()
    accessions: tuple[AccessionRequest, ...] = ()
    files: tuple[Path, ...] = ()
    lifecycles: tuple[Lifecycle, ...] = ()
    woo: Woo | None = None

    # Lookups used throughout checks and rendering.
    def party(self, party_id: str) -> Party | None:
        return next((p for p in self.parties if p.id == party_id), None)

    def group(self, group_id: str) -> Group | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def measure(self, measure_id: str) -> Measure | None:
        return next((m for m in self.measures if m.id == measure_id), None)

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def article(self, article_id: str | None) -> BaseArticle | None:
        """A published article (with its published number) of any document, by id."""
        return self._articles.get(article_id)

    def document(self, doc_id: str) -> Agreement | None:
        return self._documents.get(doc_id)

    # Lookups by id, built once: the checks ask per document, so a scan would be quadratic
    # in the number of addenda. The first of duplicate ids wins (check reports duplicates).
    @cached_property
    def _articles(self) -> dict[str | None, BaseArticle]:
        found: dict[str | None, BaseArticle] = {}
        for doc in self.documents:
            for art in doc.articles:
                found.setdefault(art.id, art)
        return found

    @cached_property
    def _documents(self) -> dict[str, Agreement]:
        found: dict[str, Agreement] = {}
        for doc in self.documents:
            found.setdefault(doc.id, doc)
        return found

    def lifecycle(self, agreement_id: str) -> Lifecycle | None:
        return next((r for r in self.lifecycles if r.agreement == agreement_id), None)

    @property
    def agreements(self) -> tuple[Agreement, ...]:
        """Documents with a full text: the ones that are rendered and signed."""
        return tuple(d for d in self.documents if d.has_text)

    def targets(self) -> Iterator[Target]:
        for measure in self.measures:
            yield from measure.targets

    def members(self, group_id: str) -> list[Party]:
        return [p for p in self.parties if p.group == group_id]

    @property
    def penvoerder(self) -> Party | None:
        return next((p for p in self.parties if p.penvoerder), None)

    @property
    def display_title(self) -> str:
        return self.short_title or self.title


# ---------------------------------------------------------------------------------------------
# Building from validated data


def _opt(data: Mapping, key: str) -> Any:
    value = data.get(key)
    return None if value is None else value


def _period(data: Mapping, where: Where, default_id: str) -> Period:
    return Period(
        id=str(data.get("id") or default_id),
        start=_date(data.get("start")),
        end=_date(data["end"]),
        where=where,
        follows=_opt(data, "follows"),
    )


def _citation(data: Mapping | None) -> Citation | None:
    if not data:
        return None
    return Citation(int(data["year"]), str(data["number"]))


def _rep(data: Mapping | None, where: Where) -> Representative | None:
    if not data:
        return None
    return Representative(
        str(data["name"]),
        _opt(data, "title"),
        _opt(data, "role"),
        where,
        authority=_opt(data, "authority"),
        listed=bool(data.get("listed", True)),
        order=_opt(data, "order"),
        role_article=_opt(data, "role_article"),
    )


def _reps(data: Mapping, where: Where) -> tuple[Representative, ...]:
    """The signers of a party: ``mandate.official``, ``representatives`` or ``representative``."""
    many = data.get("representatives") or ()
    out = [_rep(r, where.child("representatives", i)) for i, r in enumerate(many)]
    if data.get("representative"):
        out.insert(0, _rep(data["representative"], where.child("representative")))
    mandate = data.get("mandate")
    if mandate and mandate.get("official"):
        # The official comes first; anyone else named is reported by check (mandate-signers).
        out.insert(0, _rep(mandate["official"], where.child("mandate", "official")))
    return tuple(r for r in out if r is not None)


def _strs(values: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in (values or ()))


def _party(p: Mapping, where: Where) -> Party:
    reps = _reps(p, where)
    return Party(
        id=str(p["id"]),
        name=str(p["name"]),
        kind=str(p["kind"]),
        group=str(p["group"]),
        where=where,
        short_name=_opt(p, "short_name"),
        place=_opt(p, "place"),
        representative=reps[0] if reps else None,
        joined=_date(p.get("joined")),
        left=_date(p.get("left")),
        penvoerder=bool(p.get("penvoerder")),
        illustrative=bool(p.get("illustrative")),
        note=_opt(p, "note"),
        representatives=reps,
        mandate=bool(p.get("mandate")),
        mandate_basis=(p.get("mandate") or {}).get("basis"),
        capacity=_opt(p, "capacity"),
        also_on_behalf_of=_opt(p, "also_on_behalf_of"),
        tooi=_opt(p, "tooi"),
        designation=_opt(p, "designation"),
        designation_form=_opt(p, "designation_form"),
    )


def build_parties(data: Mapping, file: Path) -> tuple[tuple[Group, ...], tuple[Party, ...]]:
    root = Where(file)
    groups = tuple(
        Group(
            id=str(g["id"]),
            heading=_opt(g, "heading"),
            designation=_opt(g, "designation"),
            capacity=_opt(g, "capacity"),
            signing=str(g["signing"]),
            representative_party=(g.get("representative") or {}).get("party"),
            where=root.child("groups", i),
            numbered=bool(g.get("numbered")),
            listed=bool(g.get("listed")),
            designation_form=_opt(g, "designation_form"),
        )
        for i, g in enumerate(data.get("groups") or [])
    )
    parties = tuple(
        _party(p, root.child("parties", i)) for i, p in enumerate(data.get("parties") or [])
    )
    return groups, parties


def _clause(data: Mapping, where: Where) -> Clause:
    amend = data.get("amend") or {}
    article = data.get("article") or {}
    return Clause(
        id=str(data["id"]),
        where=where,
        text=_opt(data, "text"),
        published=_opt(data, "published"),
        amend_article=amend.get("article"),
        amend_action=amend.get("action"),
        definitions=tuple(
            Definition(
                id=str(d["id"]),
                term=str(d["term"]),
                text=str(d["text"]),
                where=where.child("definitions", i),
                forms=_strs(d.get("forms")),
            )
            for i, d in enumerate(data.get("definitions") or [])
        ),
        article_title=article.get("title"),
        parts=tuple(
            ArticlePart(
                id=str(p["id"]),
                where=where.child("article", "parts", i),
                title=_opt(p, "title"),
                text=_opt(p, "text"),
                measures=_strs(p.get("measures")),
            )
            for i, p in enumerate(article.get("parts") or [])
        ),
        period=_opt(data, "period"),
        topics=_strs(data.get("topics")),
        finance=build_finance(data.get("finance"), where.child("finance")),
        obligations=build_obligations(data.get("obligations"), where.child("obligations")),
    )


def _section(data: Mapping, where: Where) -> Section:
    return Section(
        id=str(data["id"]),
        title=str(data.get("title") or ""),  # "": an article without a title
        numbered=bool(data.get("numbered", True)),
        clauses=tuple(_clause(c, where.child("clauses", j)) for j, c in enumerate(data["clauses"])),
        where=where,
        topics=_strs(data.get("topics")),
    )


def _amendment(data: Mapping, where: Where) -> Amendment:
    # The schema allows each action key; the checks report an instruction with none or two.
    actions = tuple(a for a in AMENDMENT_ACTIONS if data.get(a))
    action = actions[0] if len(actions) == 1 else ""
    return Amendment(
        id=str(data["id"]),
        action=action,
        actions=actions,
        target=str(data.get(action) or ""),
        where=where,
        effective=_date(data.get("effective")),
        end=_date(data.get("end")),
        title=_opt(data, "title"),
        text=_opt(data, "text"),
        clauses=tuple(
            _clause(c, where.child("clauses", j)) for j, c in enumerate(data.get("clauses") or [])
        ),
        section=_section(data["section"], where.child("section")) if data.get("section") else None,
    )


def build_agreement(data: Mapping, file: Path, kind: str) -> Agreement:
    """A covenant or addendum; both share the text structure (parties, sections, signing)."""
    root = Where(file)
    term_key = "in_force" if kind == "addendum" else "term"
    sections = tuple(
        _section(s, root.child("sections", i)) for i, s in enumerate(data.get("sections") or [])
    )
    amendments = tuple(
        _amendment(a, root.child("amendments", i))
        for i, a in enumerate(data.get("amendments") or [])
    )
    ext = data.get("extension")
    acc = data.get("accession")
    pub = data.get("publication") or {}
    sig = data.get("signing")
    published = _date(pub.get("published") or data.get("published"))
    signed = _date((sig or {}).get("date") or data.get("signed"))
    extension = (
        Extension(
            id=str(ext["id"]),
            extends=str(ext["extends"]),
            start=_date(ext.get("start")),
            end=_date(ext["end"]),
            where=root.child("extension"),
        )
        if ext
        else _extension_of(amendments)
    )
    return Agreement(
        id=str(data["id"]),
        kind=kind,
        in_force=_period(data[term_key], root.child(term_key), f"{data['id']}-{term_key}"),
        where=root,
        amends=_opt(data, "amends"),
        title=_opt(data, "title"),
        formulas=tuple((str(k), str(v)) for k, v in (data.get("formulas") or {}).items()),
        collective_designation=(data.get("party_list") or {}).get("designation"),
        party_separator=str((data.get("party_list") or {}).get("separator") or "line"),
        part_numerals=_strs(data.get("part_numerals")),
        cites=build_cites(data.get("cites"), root.child("cites")),
        citation=_citation(data.get("citation")),
        kamerstuk=build_kamerstuk(data.get("kamerstuk")),
        predecessor=_opt(data, "predecessor"),
        articles=tuple(
            BaseArticle(
                id=str(a["id"]),
                number=str(a["number"]),
                title=str(a.get("title") or ""),
                where=root.child("articles", i),
                lettered_items=int(a.get("lettered_items") or 0),
                parts=int(a.get("parts") or 0),
                measures=int(a.get("measures") or 0),
                summary=_opt(a, "summary"),
                topics=_strs(a.get("topics")),
            )
            for i, a in enumerate(data.get("articles") or [])
        ),
        parties=_strs(data.get("parties")),
        sections=sections,
        signing=Signing(
            place=str(sig["place"]),
            where=root.child("signing"),
            date=signed,
            copies=sig.get("copies"),
            groups=_strs(sig["groups"]) if sig.get("groups") else None,
        )
        if sig
        else None,
        considerations=tuple(
            Consideration(
                text=str(c["text"]),
                where=root.child("considerations", i),
                id=_opt(c, "id"),
                published=_opt(c, "published"),
            )
            for i, c in enumerate(data.get("considerations") or [])
        ),
        extension=extension,
        amendments=amendments,
        accession=AccessionRule(
            clause=str(acc["clause"]),
            kinds=_strs(acc["kinds"]),
            before_school_year=bool(acc.get("before_school_year")),
            send_to=_opt(acc, "send_to"),
            send_to_address=_strs(acc.get("send_to_address")),
            where=root.child("accession"),
        )
        if acc
        else None,
        publication=Publication(
            where=root.child("publication"),
            within_days=pub.get("within_days"),
            published=published,
            citation=_citation(pub.get("citation")),
        )
        if pub or published
        else None,
    )


def _extension_of(amendments: tuple[Amendment, ...]) -> Extension | None:
    """An addendum without ``extension:`` whose instructions extend the term: that instruction
    is its extension (one fact, written once)."""
    for a in amendments:
        if a.action == "extend" and a.end is not None:
            return Extension(a.id, a.target, None, a.end, a.where)
    return None


def _target(data: Mapping, measure: str, where: Where) -> Target:
    period = data.get("period")
    base = data.get("baseline")
    return Target(
        id=str(data["id"]),
        text=str(data["text"]),
        measure=measure,
        where=where,
        indicator=_opt(data, "indicator"),
        comparator=_opt(data, "comparator"),
        value=data.get("value"),
        direction=_opt(data, "direction"),
        period=(_date(period["start"]), _date(period["end"])) if period else None,
        per_school_year=bool(data.get("per_school_year")),
        baseline=Baseline(
            where=where.child("baseline"),
            value=base.get("value"),
            date=_date(base.get("date")),
            planned=bool(base.get("planned")),
            note=_opt(base, "note"),
        )
        if base is not None
        else None,
        components=_strs(data.get("components")),
        results=tuple(
            Result(
                school_year=str(r["school_year"]),
                value=r["value"],
                where=where.child("results", i),
                source=_opt(r, "source"),
                illustrative=bool(r.get("illustrative")),
                date=_date(r.get("date")),
            )
            for i, r in enumerate(data.get("results") or [])
        ),
    )


def build_measures(data: Mapping, file: Path) -> tuple[tuple[Indicator, ...], tuple[Measure, ...]]:
    root = Where(file)
    indicators = tuple(
        Indicator(
            id=str(d["id"]),
            label=str(d["label"]),
            unit=str(d["unit"]),
            where=root.child("indicators", i),
            counted=_opt(d, "counted"),
            decimals=d.get("decimals"),
        )
        for i, d in enumerate(data.get("indicators") or [])
    )
    measures = tuple(
        Measure(
            id=str(m["id"]),
            title=str(m["title"]),
            description=_strs(m["description"]),
            where=root.child("measures", i),
            pillars=_strs(m.get("pillars")),
            responsible=_strs(m.get("responsible")),
            worked=_strs(m.get("worked")),
            strengthen=_strs(m.get("strengthen")),
            sections=tuple(
                MeasureSection(str(s["title"]), _strs(s["items"]), bool(s.get("ordered")))
                for s in m.get("sections") or []
            ),
            targets=tuple(
                _target(t, str(m["id"]), root.child("measures", i, "targets", j))
                for j, t in enumerate(m.get("targets") or [])
            ),
        )
        for i, m in enumerate(data["measures"])
    )
    return indicators, measures


def build_accessions(data: Mapping, file: Path) -> tuple[AccessionRequest, ...]:
    root = Where(file)
    return tuple(
        AccessionRequest(
            id=str(a["id"]),
            party=str(a["party"]),
            document=str(a["document"]),
            requested=_date(a["requested"]),
            effective=_date(a["effective"]),
            where=root.child("accessions", i),
            status=str(a.get("status") or "requested"),
            illustrative=bool(a.get("illustrative")),
            consents=tuple(
                Consent(
                    str(c["party"]), _date(c["date"]), root.child("accessions", i, "consents", j)
                )
                for j, c in enumerate(a.get("consents") or [])
            ),
            sent=_date(a.get("sent")),
            notice=_notice(a.get("notice"), root.child("accessions", i, "notice")),
            reference=str(a["reference"]) if a.get("reference") else None,
        )
        for i, a in enumerate(data.get("accessions") or [])
    )


def _notice(data: Mapping | None, where: Where) -> Notice | None:
    if not data:
        return None
    return Notice(_date(data.get("date")), _citation(data["citation"]), where)


def build_lifecycles(data: Mapping, file: Path) -> tuple[Lifecycle, ...]:
    root = Where(file)
    out = []
    for i, rec in enumerate(data.get("agreements") or []):
        at = root.child("agreements", i)
        sigs = rec.get("signatures")
        ev = rec.get("evaluation")
        end = rec.get("terminated") or {}
        out.append(
            Lifecycle(
                agreement=str(rec["agreement"]),
                where=at,
                signatures=None
                if sigs is None
                else tuple(
                    Signature(
                        party=str(s["party"]),
                        date=_date(s["date"]),
                        where=at.child("signatures", j),
                        place=_opt(s, "place"),
                        form=_opt(s, "form"),
                        illustrative=bool(s.get("illustrative")),
                    )
                    for j, s in enumerate(sigs)
                ),
                publication=_notice(rec.get("publication"), at.child("publication")),
                evaluation=Evaluation(
                    where=at.child("evaluation"),
                    planned=_date(ev.get("planned")),
                    done=_date(ev.get("done")),
                    report=_opt(ev, "report"),
                )
                if ev is not None
                else None,
                withdrawals=tuple(
                    Withdrawal(
                        party=str(w["party"]),
                        kind=str(w["kind"]),
                        effective=_date(w["effective"]),
                        where=at.child("withdrawals", j),
                        notified=_date(w.get("notified")),
                        citation=_citation(w.get("citation")),
                    )
                    for j, w in enumerate(rec.get("withdrawals") or [])
                ),
                terminated=_date(end.get("date")),
                terminated_reason=_opt(end, "reason"),
                illustrative=bool(rec.get("illustrative")),
            )
        )
    return tuple(out)


def build_dossier(folder: Path, docs: list[tuple[str, Path, Mapping]]) -> Dossier:
    """Assemble one dossier from its validated documents, given as (kind, file, data)."""
    head = next((f, d) for k, f, d in docs if k == "dossier")
    file, data = head
    root = Where(file)
    groups: list[Group] = []
    parties: list[Party] = []
    documents: list[Agreement] = []
    indicators: list[Indicator] = []
    measures: list[Measure] = []
    accessions: list[AccessionRequest] = []
    lifecycles: list[Lifecycle] = []
    for kind, path, doc in docs:
        if kind == "parties":
            g, p = build_parties(doc, path)
            groups += g
            parties += p
        elif kind in {"convenant", "addendum"}:
            documents.append(build_agreement(doc, path, kind))
        elif kind == "measures":
            i, m = build_measures(doc, path)
            indicators += i
            measures += m
        elif kind == "accessions":
            accessions += build_accessions(doc, path)
        elif kind == "lifecycle":
            lifecycles += build_lifecycles(doc, path)
    return Dossier(
        id=str(data["id"]),
        title=str(data["title"]),
        folder=folder,
        where=root,
        short_title=_opt(data, "short_title"),
        summary=_opt(data, "summary"),
        provenance=dict(data.get("provenance") or {}),
        pillars=tuple(
            Pillar(str(p["id"]), str(p["label"]), root.child("pillars", i), _opt(p, "description"))
            for i, p in enumerate(data.get("pillars") or [])
        ),
        check_levels={str(k): str(v) for k, v in (data.get("checks") or {}).items()},
        acknowledgements=tuple(
            Acknowledgement(
                str(a["code"]),
                str(a["subject"]),
                str(a["reason"]),
                root.child("acknowledgements", i),
            )
            for i, a in enumerate(data.get("acknowledgements") or [])
        ),
        groups=tuple(groups),
        parties=tuple(parties),
        documents=tuple(documents),
        indicators=tuple(indicators),
        measures=tuple(measures),
        accessions=tuple(accessions),
        files=tuple(sorted(p for _, p, _ in docs)),
        lifecycles=tuple(lifecycles),
        woo=_woo(data.get("woo"), root.child("woo")),
    )


def _woo(data: Mapping | None, where: Where) -> Woo | None:
    if not data:
        return None
    return Woo(
        where,
        responsible=_opt(data, "responsible"),
        themes=tuple(str(t) for t in data.get("themes") or ()),
        withheld=tuple(
            Withheld(
                str(w["part"]),
                str(w["ground"]),
                where.child("withheld", i),
                document=_opt(w, "document"),
            )
            for i, w in enumerate(data.get("withheld") or [])
        ),
    )
