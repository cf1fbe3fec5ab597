"""Rules on dates: period order, contiguous terms, target periods, school years,
accessions and the publication deadline."""

from __future__ import annotations

import datetime as dt

from ..model.derive import (
    ONE_DAY,
    extended,
    last_signature,
    publication_of,
    school_years,
    target_period,
    term_of_measure,
)
from ..model.dossier import Dossier
from ..model.references import Index
from ..text import formatting as fmt
from .registry import Sink, days


def check_period_cycles(dossier: Dossier, index: Index, report: Sink) -> None:
    """'follows' must not loop back: each loop is reported once, at its first period.

    Linear: every period is walked once (thousands of chained periods check in milliseconds).
    """
    order = {pid: i for i, pid in enumerate(index.periods)}
    done: set[str] = set()
    for pid in index.periods:
        path: list[str] = []
        on_path: dict[str, int] = {}
        current: str | None = pid
        while current in index.periods and current not in done and current not in on_path:
            on_path[current] = len(path)
            path.append(current)
            current = index.periods[current].follows
        if current in on_path:
            loop = path[on_path[current] :]
            first = min(loop, key=order.__getitem__)
            at = loop.index(first)
            chain = loop[at:] + loop[:at]
            report(
                "period-cycle",
                f"period '{first}' follows itself ({' → '.join([*chain, first])}); remove one of "
                "the 'follows'",
                index.periods[first].where.child("follows"),
                first,
            )
        done.update(path)


def check_periods(dossier: Dossier, index: Index, report: Sink) -> None:
    for pid, period in index.periods.items():
        if period.start and period.start > period.end:
            report(
                "period-order",
                f"period '{pid}' ends on {fmt.date_long(period.end)}, before it starts on "
                f"{fmt.date_long(period.start)}",
                period.where.child("end"),
                pid,
            )
        if period.follows and period.follows in index.periods and period.start:
            before = index.periods[period.follows]
            expected = before.end + ONE_DAY
            if period.start < expected:
                report(
                    "term-overlap",
                    f"period '{pid}' starts {fmt.date_long(period.start)} but follows "
                    f"'{before.id}', which ends {fmt.date_long(before.end)}: they overlap by "
                    f"{days((expected - period.start).days)}",
                    period.where.child("start"),
                    pid,
                )
            elif period.start > expected:
                report(
                    "term-gap",
                    f"period '{pid}' starts {fmt.date_long(period.start)} but follows "
                    f"'{before.id}', which ends {fmt.date_long(before.end)}: a gap of "
                    f"{days((period.start - expected).days)}",
                    period.where.child("start"),
                    pid,
                )
    for add in dossier.documents:
        conv = dossier.document(add.amends or "")
        if conv is None:
            continue
        ends = [conv.in_force.end] + [
            index.periods[a.extension.id].end
            for a in dossier.documents
            if a.extension and a.extension.id in index.periods
        ]
        last = max(ends)
        if add.in_force.end > last:
            report(
                "term-outside",
                f"addendum '{add.id}' is in force until {fmt.date_long(add.in_force.end)}, "
                f"after the covenant's term ends ({fmt.date_long(last)}, extensions included)",
                add.in_force.where.child("end"),
                add.id,
            )
    for party in dossier.parties:
        if party.joined and party.left and party.left <= party.joined:
            report(
                "party-dates",
                f"party '{party.id}' leaves on {fmt.date_long(party.left)}, not after joining "
                f"on {fmt.date_long(party.joined)}",
                party.where.child("left"),
                party.id,
            )


def check_target_periods(dossier: Dossier, index: Index, report: Sink) -> None:
    for target in dossier.targets():
        term = term_of_measure(dossier, target.measure)
        if target.period:
            start, end = target.period
            if start > end:
                report(
                    "period-order",
                    f"target '{target.id}' period ends {fmt.date_long(end)}, before it starts "
                    f"{fmt.date_long(start)}",
                    target.where.child("period", "end"),
                    target.id,
                )
                continue
            if term and term.start and start < term.start:
                report(
                    "target-period-early",
                    f"target '{target.id}' period starts {fmt.date_long(start)}, before the "
                    f"term in force starts ({fmt.date_long(term.start)}, '{term.id}')",
                    target.where.child("period", "start"),
                    target.id,
                )
            if term and end > term.end:
                report(
                    "target-period-outside",
                    f"target '{target.id}' period ends {fmt.date_long(end)}, after the term in "
                    f"force ends ({fmt.date_long(term.end)}, '{term.id}')",
                    target.where.child("period", "end"),
                    target.id,
                )
        span = target_period(dossier, target)
        if span is None:
            continue
        years = school_years(*span)
        if target.per_school_year:
            if not years:
                report(
                    "target-school-years",
                    f"target '{target.id}' is per school year, but its period has none",
                    target.where.child("per_school_year"),
                    target.id,
                )
            partial = [y for y in years if not y[3]]
            if partial:
                described = "; ".join(
                    f"{fmt.school_year_label(y)} only {fmt.date_long(lo)} – {fmt.date_long(hi)}"
                    for y, lo, hi, _ in partial
                )
                full = ", ".join(fmt.school_year_label(y[0]) for y in years if y[3]) or "none"
                report(
                    "target-school-years",
                    f"target '{target.id}' applies per school year; the term gives full school "
                    f"years {full} and partial ones: {described}",
                    target.where.child("per_school_year"),
                    target.id,
                )
        labels = {f"{y}-{y + 1}" for y, *_ in years}
        for result in target.results:
            if result.school_year not in labels:
                report(
                    "result-outside-term",
                    f"result for school year {result.school_year} lies outside the target's "
                    f"period ({', '.join(sorted(labels)) or 'no school years'})",
                    result.where.child("school_year"),
                    target.id,
                )


def check_accessions(dossier: Dossier, index: Index, report: Sink) -> None:
    for acc in dossier.accessions:
        add = dossier.document(acc.document)
        party = dossier.party(acc.party)
        if add is None:
            continue
        if add.accession is None:
            report(
                "accession-not-allowed",
                f"'{add.id}' has no accession clause; '{acc.id}' cannot use it",
                acc.where.child("document"),
                acc.id,
            )
            continue
        term = extended(add.in_force, index)
        if acc.requested > acc.effective:
            report(
                "accession-order",
                f"accession '{acc.id}' is requested {fmt.date_long(acc.requested)}, after it "
                f"takes effect ({fmt.date_long(acc.effective)})",
                acc.where.child("requested"),
                acc.id,
            )
        if not term.contains(acc.effective):
            report(
                "accession-term",
                f"accession '{acc.id}' takes effect {fmt.date_long(acc.effective)}, outside "
                f"the term of '{add.id}' ({fmt.period_text(term.start, term.end)})",
                acc.where.child("effective"),
                acc.id,
            )
        if add.accession.before_school_year:
            if (acc.effective.month, acc.effective.day) != (8, 1):
                report(
                    "accession-school-year",
                    f"accession '{acc.id}' takes effect {fmt.date_long(acc.effective)}; under "
                    "the accession clause a party joins at the start of a school year (1 augustus)",
                    acc.where.child("effective"),
                    acc.id,
                )
            elif acc.requested >= acc.effective:
                report(
                    "accession-school-year",
                    f"accession '{acc.id}' must be requested before the school year starts "
                    f"({fmt.date_long(acc.effective)})",
                    acc.where.child("requested"),
                    acc.id,
                )
        if party is not None:
            if party.kind not in add.accession.kinds:
                report(
                    "accession-kind",
                    f"party '{party.id}' is a {party.kind}; the accession clause admits "
                    f"{', '.join(add.accession.kinds)}",
                    acc.where.child("party"),
                    acc.id,
                )
            if party.joined != acc.effective:
                joined = fmt.date_long(party.joined) if party.joined else "no date"
                report(
                    "accession-joined",
                    f"party '{party.id}' is registered as joined on {joined}, but accession "
                    f"'{acc.id}' takes effect {fmt.date_long(acc.effective)}",
                    party.where.child("joined"),
                    acc.id,
                )


def check_publication(dossier: Dossier, index: Index, report: Sink) -> None:
    for add in dossier.agreements:
        # The last signature and the publication, from the lifecycle records where kept.
        signed = last_signature(dossier, add)
        published, _ = publication_of(dossier, add)
        record = dossier.lifecycle(add.id)
        if record and record.publication:
            at = record.publication.where.child("date")
        elif add.publication:
            at = add.publication.where.child("published")
        if published is None or signed is None:
            continue
        within = add.publication.within_days if add.publication else None
        if published < signed:
            report(
                "publication-order",
                f"published {fmt.date_long(published)}, before signing on {fmt.date_long(signed)}",
                at,
                add.id,
            )
        elif within is not None:
            deadline = signed + dt.timedelta(days=within)
            if published > deadline:
                report(
                    "publication-late",
                    f"published {fmt.date_long(published)}, "
                    f"{days((published - deadline).days)} after the deadline of "
                    f"{fmt.date_long(deadline)} ({within} days after signing on "
                    f"{fmt.date_long(signed)})",
                    at,
                    add.id,
                )
