"""Stage 3b, derive: the domain facts every later stage shares.

Computed from the model only, never from text or layout: the covenant's term with its
extensions, the status on a date, school years, the period a target applies to, how a target is
doing on a date (met, on track, behind, missed, not yet measured), who signs an agreement and
who is a party on a given day. The checks (stage 4), the context (stage 5) and
every renderer use these functions; none of them recomputes a fact on its own, so the
documents, the site, open data and ``diff`` cannot disagree about a date.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ruamel.yaml import YAML

from ..errors import Where
from ..states import AccessionStatus, AgreementStage, Deadline, MeasureDate, TermState
from .dossier import (
    AccessionRequest,
    Agreement,
    Citation,
    Dossier,
    Measure,
    Party,
    Period,
    Result,
    Target,
)
from .references import Index

ONE_DAY = dt.timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Terms


@dataclass(frozen=True)
class Term:
    """The covenant's term: start (may be unknown), original end, and its extensions."""

    start: dt.date | None
    end: dt.date
    extensions: tuple[Period, ...]

    @property
    def final_end(self) -> dt.date:
        return max([self.end, *(p.end for p in self.extensions)])


def covenant(dossier: Dossier) -> Agreement | None:
    """The dossier's own covenant, chosen by relation, never by file name: of its documents of
    kind ``convenant``, the one that is no other document's ``predecessor``, preferring the one
    its addenda amend, then one with text; without any covenant, the first document."""
    convenants = [d for d in dossier.documents if d.kind == "convenant"]
    if not convenants:
        return next(iter(dossier.documents), None)
    replaced = {d.predecessor for d in dossier.documents if d.predecessor}
    amended = {d.amends for d in dossier.documents if d.amends}
    own = [d for d in convenants if d.id not in replaced] or convenants
    # min() keeps file order among equals: the first amended covenant with text wins.
    return min(own, key=lambda d: (d.id not in amended, not d.has_text))


def predecessors(dossier: Dossier) -> frozenset[str]:
    """Ids of the documents another document of the dossier names as its predecessor."""
    return frozenset(d.predecessor for d in dossier.documents if d.predecessor)


def dossier_term(dossier: Dossier, index: Index) -> Term | None:
    """The covenant's term with every extension of it (extensions of extensions included),
    or ``None`` for a dossier without documents."""
    base = covenant(dossier)
    if base is None:
        return None
    # An extension names the period it extends; follow the chain from the covenant's term.
    by_base: dict[str, list[str]] = {}
    for doc in dossier.documents:
        if doc.extension and doc.extension.id in index.periods:
            by_base.setdefault(doc.extension.extends, []).append(doc.extension.id)
    chain: list[Period] = []
    queue, seen = [base.in_force.id], {base.in_force.id}
    while queue:
        for ext_id in by_base.get(queue.pop(0), ()):
            if ext_id not in seen:
                seen.add(ext_id)
                chain.append(index.periods[ext_id])
                queue.append(ext_id)
    return Term(base.in_force.start, base.in_force.end, tuple(chain))


def extended(period: Period, index: Index) -> Period:
    """The period as extended by the periods that follow directly on it (an extension, or an
    addendum's term that starts no later than the day after it ends)."""
    end = period.end
    for other in index.periods.values():
        follows_on = other.follows == period.id and other.id != period.id
        if follows_on and other.start is not None and other.start <= end + ONE_DAY:
            end = max(end, other.end)
    return Period(period.id, period.start, end, period.where, period.follows)


def status(term: Term | None, day: dt.date) -> TermState:
    """The term's state on ``day``: before it, running, extended or ended; unknown without one."""
    if term is None:
        return TermState.UNKNOWN
    if term.start is not None and day < term.start:
        return TermState.PREPARATION
    if day <= term.end:
        return TermState.RUNNING
    if day <= term.final_end:
        return TermState.EXTENDED
    return TermState.ENDED


# ---------------------------------------------------------------------------------------------
# School years and target periods


def school_years(start: dt.date, end: dt.date) -> list[tuple[int, dt.date, dt.date, bool]]:
    """School years (1 August - 31 July) meeting [start, end]: (year, from, to, complete)."""
    first = start.year if start.month >= 8 else start.year - 1
    out = []
    year = first
    while dt.date(year, 8, 1) <= end:
        sy_start, sy_end = dt.date(year, 8, 1), dt.date(year + 1, 7, 31)
        lo, hi = max(sy_start, start), min(sy_end, end)
        out.append((year, lo, hi, lo == sy_start and hi == sy_end))
        year += 1
    return out


def agreement_of_measure(dossier: Dossier, measure_id: str) -> Agreement | None:
    """The agreement that lists the measure, else the first document."""
    for add in dossier.agreements:
        for _, clause in add.clauses():
            if any(measure_id in p.measures for p in clause.parts):
                return add
    return next(iter((*dossier.agreements, *dossier.documents)), None)


def term_of_measure(dossier: Dossier, measure_id: str) -> Period | None:
    """The term of the agreement that lists the measure, else of the first document."""
    agreement = agreement_of_measure(dossier, measure_id)
    return agreement.in_force if agreement is not None else None


def target_period(dossier: Dossier, target: Target) -> tuple[dt.date, dt.date] | None:
    """The target's own period, else the term of the agreement its measure belongs to."""
    if target.period:
        return target.period
    term = term_of_measure(dossier, target.measure)
    if term is None or term.start is None:
        return None
    return term.start, term.end


# ---------------------------------------------------------------------------------------------
# How a target is doing on a date


# The states of a target on a date; the site's templates say them in Dutch.
MET, ON_TRACK, BEHIND, MISSED, UNMEASURED, NO_NORM = (
    "met",
    "on-track",
    "behind",
    "missed",
    "unmeasured",
    "no-norm",
)
TARGET_STATES = (MET, ON_TRACK, BEHIND, MISSED, UNMEASURED, NO_NORM)


def school_year_span(label: str) -> tuple[dt.date, dt.date] | None:
    """``2024-2025`` -> 1 August 2024 to 31 July 2025; None for a label of another form."""
    start, _, _ = label.partition("-")
    if not start.isdigit():
        return None
    return dt.date(int(start), 8, 1), dt.date(int(start) + 1, 7, 31)


def meets(value: float, comparator: str | None, norm: float | None) -> bool | None:
    """Whether ``value`` meets the norm under the comparator; None when there is no norm."""
    if comparator is None or norm is None:
        return None
    return {
        "<": value < norm,
        "<=": value <= norm,
        ">": value > norm,
        ">=": value >= norm,
        "=": math.isclose(value, norm),
    }[comparator]


@dataclass(frozen=True)
class TargetState:
    """A target on a date: its state, and the result that decided it (None: no result)."""

    state: str  # one of TARGET_STATES
    result: Result | None
    illustrative: bool  # the deciding result is illustrative (made up)
    period_end: dt.date | None  # end of the period the deciding result is measured against


def target_state(dossier: Dossier, target: Target, day: dt.date) -> TargetState:
    """How ``target`` is doing on ``day``, from its latest result.

    The rule: only results of school years that have begun by ``day`` count, and the latest
    of those decides. A target without a norm (comparator and value) is ``no-norm``; one
    without a counting result is ``unmeasured``. Otherwise the result is measured against
    the end of its period: the school year of the result for a target per school year, else
    the target's period (its own, or the term of its agreement). After that end the target
    is ``met`` or ``missed``; up to and including that day it is ``on-track`` when the
    latest result already meets the norm and ``behind`` when it does not. A period whose
    end is unknown has not ended.
    """
    results = [
        r
        for r in target.results
        if (span := school_year_span(r.school_year)) is None or span[0] <= day
    ]
    latest = max(results, key=lambda r: r.school_year, default=None)
    if target.comparator is None or target.value is None:
        return TargetState(NO_NORM, latest, bool(latest and latest.illustrative), None)
    if latest is None:
        return TargetState(UNMEASURED, None, False, None)
    if target.per_school_year:
        span = school_year_span(latest.school_year)
        end = span[1] if span else None
    else:
        period = target_period(dossier, target)
        end = period[1] if period else None
    ok = meets(float(latest.value), target.comparator, target.value)
    ended = end is not None and day > end
    state = (MET if ok else MISSED) if ended else (ON_TRACK if ok else BEHIND)
    return TargetState(state, latest, latest.illustrative, end)


# ---------------------------------------------------------------------------------------------
# Parties and signatories


def bound_on(dossier: Dossier, party: Party, day: dt.date) -> bool:
    """Whether ``party`` is bound on ``day``: within its registry dates and, when it joins by an
    accession request, only once a request of it is in effect (a request still collecting
    consents does not make a party of it, whatever its ``joined`` date says)."""
    if not party.member_on(day):
        return False
    requests = [a for a in dossier.accessions if a.party == party.id]
    return not requests or any(a.status == AccessionStatus.IN_EFFECT for a in requests)


def members_on(dossier: Dossier, group_id: str, day: dt.date) -> list[Party]:
    """Members of a party group who are a party on ``day`` by the registry's dates (who signs
    and consents); :func:`bound_on` is what the site and open data count as bound."""
    return [p for p in dossier.members(group_id) if p.member_on(day)]


def agreement_start(agreement: Agreement) -> dt.date:
    """The day an agreement's parties are counted on: its start, else its end."""
    return agreement.in_force.start or agreement.in_force.end


def signatories(dossier: Dossier, agreement: Agreement) -> list[tuple[str, Party]]:
    """(group id, Party) of every party that signs, in signing order."""
    out: list[tuple[str, Party]] = []
    day = agreement_start(agreement)
    for gid in (agreement.signing.groups if agreement.signing else None) or agreement.parties:
        group = dossier.group(gid)
        if group is None:
            continue
        if group.signing == "representative":
            rep = dossier.party(group.representative_party or "")
            if rep is not None:
                out.append((gid, rep))
        else:
            out.extend((gid, p) for p in members_on(dossier, gid, day))
    return out


def signer_count(people: list[tuple[str, Party]]) -> int:
    """The people who sign (a party with a chair and a vice-chair counts twice): the N of
    "in N-voud"."""
    return sum(max(1, len(p.representatives)) for _, p in people)


def current_parties(dossier: Dossier, agreement: Agreement, day: dt.date) -> list[Party]:
    """Parties bound by the agreement on ``day``, in the order of its parties block."""
    out: list[Party] = []
    for gid in agreement.parties:
        out += members_on(dossier, gid, day)
    return out


def consenting_parties(dossier: Dossier, accession: AccessionRequest) -> list[Party]:
    """The parties that consent to an accession request: every party bound by the agreement
    on the day of the request, except the joining party."""
    agreement = dossier.document(accession.document)
    if agreement is None:
        return []
    return [
        p
        for p in current_parties(dossier, agreement, accession.requested)
        if p.id != accession.party
    ]


# ---------------------------------------------------------------------------------------------
# Signing acts: what is signed together, in one signing package


class ActKind(StrEnum):
    """What a signing act signs: an agreement (its text and signature pages), or an accession
    request (the joining party's declaration and the current parties' consents)."""

    AGREEMENT = "agreement"
    ACCESSION = "accession"


@dataclass(frozen=True)
class SigningAct:
    """One act of signing, sent out as one signing package.

    ``signers`` are the parties that sign a line in it, in document order: an agreement's
    signatories (a group that signs through a representative, by that party), or an
    accession request's joining party followed by each consenting party.
    """

    id: str  # the agreement's or the accession request's id
    kind: ActKind
    stem: str  # the file stem of its signing package
    signers: tuple[Party, ...]
    where: Where


def signing_acts(dossier: Dossier) -> list[SigningAct]:
    """Every signing act of a dossier: each agreement with a text, then each accession request
    whose agreement and party are known (the documents the build renders)."""
    d = dossier.id
    acts = [
        SigningAct(
            a.id,
            ActKind.AGREEMENT,
            package_stem(d, a.id, ActKind.AGREEMENT),
            tuple(p for _, p in signatories(dossier, a)),
            a.where,
        )
        for a in dossier.agreements
    ]
    for acc in dossier.accessions:
        party = dossier.party(acc.party)
        if party is None or dossier.document(acc.document) is None:
            continue
        acts.append(
            SigningAct(
                acc.id,
                ActKind.ACCESSION,
                package_stem(d, acc.id, ActKind.ACCESSION),
                (party, *consenting_parties(dossier, acc)),
                acc.where,
            )
        )
    return acts


# ---------------------------------------------------------------------------------------------
# Output names: one place, so a check can find collisions before a build overwrites anything


@dataclass(frozen=True)
class SitePaths:
    """Where the public site's pages and the build's documents live: the table
    ``model/site-paths.yml``, shared by the site engine, the contexts, the renderers and (as
    ``paths``) the page templates, so no function spells an address of its own. Page names
    end in ``.md``; folders have none; file names are patterns without an extension."""

    home: str
    accessibility: str  # the toegankelijkheidsverklaring
    about: str  # "Over deze site": publisher, contact, how the site is made
    search: str  # the search page
    downloads: str
    downloads_folder: str
    open_data: str
    checksums: str  # in open_data: the downloads' SHA-256 in sha256sum's format
    feed: str
    organisations: str  # a folder: index.md and one page per organisation
    overview: str
    measures: str
    charts: str
    parties: str
    timeline: str
    dossier_downloads: str
    in_force: str
    in_force_version: str  # pattern with {date}
    text: str  # pattern with {agreement}
    # File names of the documents (patterns with ids): see the functions *_stem below.
    agreement_file: str
    signatures_file: str
    package_name: str
    accession_name: str
    declaration_file: str
    consent_file: str
    letter_file: str
    notice_file: str
    in_force_file: str

    @classmethod
    def load(cls) -> SitePaths:
        path = Path(__file__).with_name("site-paths.yml")
        return cls(**YAML(typ="safe").load(path.read_text("utf-8")))

    def text_page(self, agreement_id: str) -> str:
        return self.text.format(agreement=agreement_id)

    def in_force_page(self, iso: str) -> str:
        return self.in_force_version.format(date=iso)

    @staticmethod
    def address(page: str) -> str:
        """The address MkDocs gives a page (directory URLs): "tijdlijn.md" -> "tijdlijn/",
        "maatregelen/index.md" -> "maatregelen/", "index.md" -> ""."""
        stem = page.removesuffix(".md")
        if stem == "index":
            return ""
        return stem.removesuffix("/index") + "/"


SITE_PATHS = SitePaths.load()

# Top-level folders of the public site; a dossier id (its folder) must not take one.
# "site" is where the build puts the site beside the dossiers' folders; "index" is the home page.
SITE_FOLDERS = frozenset(
    {
        "assets",
        "search",
        "pagefind",  # the search index (convenantgen.site.search.BUNDLE)
        "index",
        "site",
        SITE_PATHS.downloads_folder,
        SITE_PATHS.open_data,
        SITE_PATHS.accessibility.removesuffix(".md"),
        SITE_PATHS.about.removesuffix(".md"),
        SITE_PATHS.search.removesuffix(".md"),
        SITE_PATHS.organisations,
    }
)
# Names of a dossier's measures folder that a measure id (its page) must not take.
MEASURE_PAGES_TAKEN = frozenset({"index", SITE_PATHS.charts})


def registry_id(party: Party) -> str:
    """How the register knows an organisation across dossiers: its TOOI identifier when given,
    else its party id (the same id in two dossiers is the same organisation)."""
    return party.tooi or party.id


def organisation_key(party: Party) -> str:
    """The organisation's page name (without ``.md``): the last part of its TOOI identifier
    (``mnre1130``), else its party id."""
    return party.tooi.rstrip("/").rsplit("/", 1)[-1] if party.tooi else party.id


def agreement_stem(dossier_id: str, agreement_id: str) -> str:
    return SITE_PATHS.agreement_file.format(dossier=dossier_id, agreement=agreement_id)


def signatures_stem(dossier_id: str, agreement_id: str) -> str:
    return SITE_PATHS.signatures_file.format(dossier=dossier_id, agreement=agreement_id)


def accession_stems(dossier_id: str, accession_id: str) -> tuple[str, str, str]:
    """The file stems of an accession's declaration, letter and Staatscourant notice."""
    ids = {"dossier": dossier_id, "accession": accession_id}
    return (
        SITE_PATHS.declaration_file.format(**ids),
        SITE_PATHS.letter_file.format(**ids),
        SITE_PATHS.notice_file.format(**ids),
    )


def consent_stem(dossier_id: str, accession_id: str, party_id: str) -> str:
    return SITE_PATHS.consent_file.format(
        dossier=dossier_id, accession=accession_id, party=party_id
    )


def in_force_stem(dossier_id: str, iso: str) -> str:
    return SITE_PATHS.in_force_file.format(dossier=dossier_id, date=iso)


# The words of a package's file name (model/site-paths.yml).
PACKAGE = SITE_PATHS.package_name
ACCESSION_PACKAGE = SITE_PATHS.accession_name


def package_stem(dossier_id: str, act_id: str, kind: ActKind) -> str:
    """The signing package of one act: ``<dossier>-ondertekenpakket-<agreement id>``, or
    ``<dossier>-ondertekenpakket-toetreding-<accession id>`` (the word once, when the id
    already starts with it). Ids are unique in a dossier; :func:`output_stems` lets the checks
    catch the rare id that would still collide."""
    if kind is ActKind.ACCESSION and not act_id.startswith(ACCESSION_PACKAGE + "-"):
        act_id = f"{ACCESSION_PACKAGE}-{act_id}"
    return f"{dossier_id}-{PACKAGE}-{act_id}"


def output_stems(dossier: Dossier) -> list[tuple[str, str, object]]:
    """(file stem, id it comes from, where that id is) of every document a build writes."""
    d = dossier.id
    out: list[tuple[str, str, object]] = []
    for a in dossier.agreements:
        out.append((package_stem(d, a.id, ActKind.AGREEMENT), a.id, a.where))
    for acc in dossier.accessions:
        out.append((package_stem(d, acc.id, ActKind.ACCESSION), acc.id, acc.where))
    for a in dossier.agreements:
        out.append((agreement_stem(d, a.id), a.id, a.where))
        out.append((signatures_stem(d, a.id), a.id, a.where))
    for acc in dossier.accessions:
        out += [(stem, acc.id, acc.where) for stem in accession_stems(d, acc.id)]
        agreement = dossier.document(acc.document)
        if agreement is not None:
            out += [
                (consent_stem(d, acc.id, p.id), acc.id, acc.where)
                for p in current_parties(dossier, agreement, acc.requested)
            ]
    return out


# ---------------------------------------------------------------------------------------------
# Lifecycle: where an agreement stands, from its recorded events and the calendar


@dataclass(frozen=True)
class Stage:
    """An agreement's stage on a day, with the facts it was derived from."""

    stage: AgreementStage
    signed: tuple[str, ...]  # ids of signatories with a recorded signature (or all, by date)
    unsigned: tuple[str, ...]  # ids of signatories still to sign
    last_signature: dt.date | None
    published: dt.date | None
    citation: Citation | None
    end: dt.date  # last day of its term (extensions included) or termination; once concluded

    @property
    def rank(self) -> int:
        return self.stage.rank

    def at_least(self, stage: AgreementStage) -> bool:
        return self.rank >= stage.rank


def last_signature(
    dossier: Dossier, agreement: Agreement, day: dt.date | None = None
) -> dt.date | None:
    """The day the last signatory signed (by ``day``, when given): from the signature
    records, else ``signing.date``; ``None`` while someone has still to sign."""
    record = dossier.lifecycle(agreement.id)
    if record and record.signatures:
        done = [s for s in record.signatures if day is None or s.date <= day]
        people = {p.id for _, p in signatories(dossier, agreement)}
        if not done or (people and not people <= {s.party for s in done}):
            return None  # not everyone has signed yet
        return max(s.date for s in done)
    signed = agreement.signing.date if agreement.signing else None
    return signed if signed is None or day is None or signed <= day else None


def publication_of(
    dossier: Dossier, agreement: Agreement
) -> tuple[dt.date | None, Citation | None]:
    """Date and Staatscourant reference of the agreement's publication, where known."""
    record = dossier.lifecycle(agreement.id)
    if record and record.publication:
        return record.publication.date, record.publication.citation
    pub = agreement.publication
    citation = (pub.citation if pub else None) or agreement.citation
    return (pub.published if pub else None), citation


def agreement_end(dossier: Dossier, agreement: Agreement, index: Index) -> dt.date:
    """Last day the agreement binds: its (extended) term, or the day before it was terminated."""
    record = dossier.lifecycle(agreement.id)
    if record and record.terminated:
        return record.terminated - ONE_DAY
    if agreement is covenant(dossier):
        term = dossier_term(dossier, index)
        if term is not None:
            return term.final_end
    return extended(agreement.in_force, index).end


def agreement_stage(dossier: Dossier, agreement: Agreement, index: Index, day: dt.date) -> Stage:
    """preparation → for signature → signed → published → in force → ended.

    Signing and publication come from the records; being in force and having ended come from
    the calendar once the agreement is signed or published. A covenant known only by its
    Staatscourant reference counts as published.
    """
    record = dossier.lifecycle(agreement.id)
    people = [p.id for _, p in signatories(dossier, agreement)]
    recorded = (
        {s.party: s.date for s in (record.signatures or ()) if s.date <= day} if record else {}
    )
    dated = bool(agreement.signing and agreement.signing.date and agreement.signing.date <= day)
    signed = tuple(p for p in people if p in recorded or dated)
    unsigned = tuple(p for p in people if p not in signed)
    published, citation = publication_of(dossier, agreement)
    if published is not None and published > day:
        published, citation = None, None
    last = last_signature(dossier, agreement, day)
    if published is not None or citation is not None:
        label = AgreementStage.PUBLISHED
    elif (people and not unsigned) or (not people and last is not None):
        label = AgreementStage.SIGNED
    elif signed or (record is not None and record.signatures == ()):
        # An empty list of signatures: sent out for signing, nobody has signed yet.
        label = AgreementStage.FOR_SIGNATURE
    elif agreement.kind == "convenant" and not agreement.has_text and record is None:
        # Known only by reference: a Kamerstuk that reports it says it was concluded (the
        # calendar then tells in force or ended); without one its stage cannot be told.
        label = AgreementStage.SIGNED if agreement.kamerstuk else AgreementStage.REFERENCE
    else:
        label = AgreementStage.PREPARATION
    # The (extended) end is looked up only once the agreement is concluded: with thousands of
    # unsigned documents the lookup per document would make the checks quadratic.
    end = agreement.in_force.end
    if label in (AgreementStage.SIGNED, AgreementStage.PUBLISHED):
        end = agreement_end(dossier, agreement, index)
        start = agreement.in_force.start
        if day > end:
            label = AgreementStage.ENDED
        elif start is None or day >= start:
            label = AgreementStage.IN_FORCE
    return Stage(label, signed, unsigned, last, published, citation, end)


def accession_step(status: str) -> int:
    """Position of an accession status among the steps (:class:`AccessionStatus`)."""
    return AccessionStatus(status).rank


def left_on(dossier: Dossier, party_id: str) -> dt.date | None:
    """The first day a party is no longer bound: registry ``left`` or a recorded withdrawal."""
    party = dossier.party(party_id)
    days = [party.left] if party and party.left else []
    days += [w.effective for r in dossier.lifecycles for w in r.withdrawals if w.party == party_id]
    return min(days) if days else None


def agreement_deadlines(
    dossier: Dossier, agreement: Agreement, stage: Stage, day: dt.date
) -> list[tuple[Deadline, dt.date]]:
    """The dates the agreement is still held to, whatever how far ahead: publication (signed,
    not yet published), a planned evaluation not done, the end of the term while in force."""
    out: list[tuple[Deadline, dt.date]] = []
    pub = agreement.publication
    signed = last_signature(dossier, agreement, day)
    if pub and pub.within_days and signed and not (stage.published or stage.citation):
        out.append((Deadline.PUBLICATION, signed + dt.timedelta(days=pub.within_days)))
    record = dossier.lifecycle(agreement.id)
    evaluation = record.evaluation if record else None
    if evaluation and evaluation.planned and not evaluation.done:
        out.append((Deadline.EVALUATION, evaluation.planned))
    if stage.stage is AgreementStage.IN_FORCE:
        out.append((Deadline.END_OF_TERM, stage.end))
    return out


def next_deadline(
    dossier: Dossier, index: Index, day: dt.date
) -> tuple[Deadline, dt.date, str] | None:
    """The dossier's earliest deadline (overdue ones included): (kind, date, agreement id)."""
    found = [
        (due, kind, agreement.id)
        for agreement in dossier.documents
        for kind, due in agreement_deadlines(
            dossier, agreement, agreement_stage(dossier, agreement, index, day), day
        )
    ]
    if not found:
        return None
    due, kind, subject = min(found)
    return kind, due, subject


def measure_next_date(
    dossier: Dossier, index: Index, measure: Measure, day: dt.date
) -> tuple[MeasureDate, dt.date] | None:
    """The first date on or after ``day`` that decides something for ``measure``: the planned
    evaluation or the end of the (extended) term of the agreement that lists it (its
    :func:`agreement_deadlines`, publication left out), the end of a target's period, or for a
    target per school year the end of the school year it is next measured for. None when no
    such date lies ahead."""
    found: list[tuple[dt.date, int, MeasureDate]] = []
    agreement = agreement_of_measure(dossier, measure.id)
    if agreement is not None:
        stage = agreement_stage(dossier, agreement, index, day)
        for kind, due in agreement_deadlines(dossier, agreement, stage, day):
            if kind is not Deadline.PUBLICATION:  # the other two share their values
                found.append((due, 0, MeasureDate(kind.value)))
    for target in measure.targets:
        period = target_period(dossier, target)
        if period is None or period[1] < day:
            continue
        if target.per_school_year:
            years = school_years(max(day, period[0]), period[1])
            if years:
                found.append((years[0][2], 1, MeasureDate.SCHOOL_YEAR_END))
        else:
            found.append((period[1], 1, MeasureDate.TARGET_END))
    ahead = [item for item in found if item[0] >= day]
    if not ahead:
        return None
    due, _, kind = min(ahead)
    return kind, due
