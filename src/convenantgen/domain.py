"""Stage 3b, derive: the domain facts every later stage shares.

Computed from the model only, never from text or layout: the covenant's term with its
extensions, the status on a date, school years, the period a target applies to, who signs an
agreement and who is a party on a given day. The checks (stage 4), the context (stage 5) and
every renderer use these functions; none of them recomputes a fact on its own, so the
documents, the site, open data and ``diff`` cannot disagree about a date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Agreement, Dossier, Party, Period, Target
from .references import Index

ONE_DAY = dt.timedelta(days=1)

# The states of a covenant on a date, in the order they occur.
STATUS_LABELS = ("in voorbereiding", "lopend", "verlengd", "afgelopen")


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
    """The base covenant of a dossier: its document of kind ``convenant``, else the first."""
    return next((d for d in dossier.documents if d.kind == "convenant"), None) or next(
        iter(dossier.documents), None
    )


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


def status(term: Term | None, day: dt.date) -> str:
    """in voorbereiding / lopend / verlengd / afgelopen on ``day``; "onbekend" without a term."""
    if term is None:
        return "onbekend"
    if term.start is not None and day < term.start:
        return "in voorbereiding"
    if day <= term.end:
        return "lopend"
    if day <= term.final_end:
        return "verlengd"
    return "afgelopen"


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


def term_of_measure(dossier: Dossier, measure_id: str) -> Period | None:
    """The term of the agreement that lists the measure, else of the first document."""
    for add in dossier.agreements:
        for _, clause in add.clauses():
            if any(measure_id in p.measures for p in clause.parts):
                return add.in_force
    for doc in (*dossier.agreements, *dossier.documents):
        return doc.in_force
    return None


def target_period(dossier: Dossier, target: Target) -> tuple[dt.date, dt.date] | None:
    """The target's own period, else the term of the agreement its measure belongs to."""
    if target.period:
        return target.period
    term = term_of_measure(dossier, target.measure)
    if term is None or term.start is None:
        return None
    return term.start, term.end


# ---------------------------------------------------------------------------------------------
# Parties and signatories


def members_on(dossier: Dossier, group_id: str, day: dt.date) -> list[Party]:
    """Members of a party group who are a party on ``day``."""
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


# ---------------------------------------------------------------------------------------------
# Output names: one place, so a check can find collisions before a build overwrites anything

# Top-level folders of the public site; a dossier id (its folder) must not take one.
# "site" is where the build puts the site beside the dossiers' folders.
SITE_FOLDERS = frozenset({"assets", "downloads", "open-data", "search", "index", "site"})
# Names of a dossier's measures folder that a measure id (its page) must not take.
MEASURE_PAGES_TAKEN = frozenset({"index", "charts"})


def agreement_stem(dossier_id: str, agreement_id: str) -> str:
    return f"{dossier_id}-{agreement_id}"


def signatures_stem(dossier_id: str, agreement_id: str) -> str:
    return f"{dossier_id}-handtekeningen-{agreement_id}"


def accession_stem(dossier_id: str, accession_id: str) -> str:
    return f"{dossier_id}-toetreding-{accession_id}"


ACCESSION_PARTS = ("verklaring", "begeleidende-brief", "staatscourant")


def package_stem(dossier_id: str) -> str:
    return f"{dossier_id}-ondertekenpakket"


def output_stems(dossier: Dossier) -> list[tuple[str, str, object]]:
    """(file stem, id it comes from, where that id is) of every document a build writes."""
    d = dossier.id
    out: list[tuple[str, str, object]] = [(package_stem(d), d, dossier.where)]
    for a in dossier.agreements:
        out.append((agreement_stem(d, a.id), a.id, a.where))
        out.append((signatures_stem(d, a.id), a.id, a.where))
    for acc in dossier.accessions:
        stem = accession_stem(d, acc.id)
        out += [(f"{stem}-{part}", acc.id, acc.where) for part in ACCESSION_PARTS]
        agreement = dossier.document(acc.document)
        if agreement is not None:
            out += [
                (f"{stem}-instemming-{p.id}", acc.id, acc.where)
                for p in current_parties(dossier, agreement, acc.requested)
            ]
    return out
