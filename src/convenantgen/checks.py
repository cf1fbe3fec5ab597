"""Stage 4, checks: cross-document consistency rules as pure functions returning Diagnostics.

Every rule is generic: it reads ids, dates and numbers from the model and never knows a
dossier's names. Each finding names a ``subject`` (the id it is about) so a dossier can
acknowledge an intentional finding with ``{code, subject, reason}`` in ``dossier.yaml``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from . import formatting as fmt
from .errors import Diagnostic, Severity, Where
from .model import Agreement, Dossier, Period, Target
from .references import (
    ANY_PLACEHOLDER_RE,
    HARDCODED_ARTICLE_RE,
    PLACEHOLDER_RE,
    TARGET_PLACEHOLDER_RE,
    Index,
    UnresolvedReference,
    build_index,
    render_text,
)

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class CheckInfo:
    severity: Severity
    summary: str


E, W = Severity.ERROR, Severity.WARNING

CHECKS: dict[str, CheckInfo] = {
    # references and ids
    "id-duplicate": CheckInfo(E, "an id is used twice in a dossier"),
    "ref-unknown": CheckInfo(E, "a reference by id does not resolve"),
    "text-article-ref": CheckInfo(W, "text hard-codes an article number instead of {art:ID}"),
    "published-differs": CheckInfo(W, "the published text refers to another article or date"),
    "term-unused": CheckInfo(W, "a defined term is never used"),
    "term-undefined": CheckInfo(W, "a word is capitalised like a defined term but not defined"),
    "measure-unlisted": CheckInfo(W, "a measure is not listed in any article"),
    # dates and terms
    "period-order": CheckInfo(E, "a period ends before it starts"),
    "term-overlap": CheckInfo(E, "successive terms overlap"),
    "term-gap": CheckInfo(E, "successive terms leave a gap"),
    "term-outside": CheckInfo(E, "an addendum is in force outside the covenant's term"),
    "target-period-early": CheckInfo(W, "a target period starts before the term in force"),
    "target-period-outside": CheckInfo(E, "a target period ends after the term in force"),
    "target-school-years": CheckInfo(W, "a per-school-year target meets partial school years"),
    "result-outside-term": CheckInfo(W, "a measured result is for a school year outside the term"),
    "accession-term": CheckInfo(E, "an accession takes effect outside the term"),
    "accession-school-year": CheckInfo(E, "an accession is not requested before its school year"),
    "accession-order": CheckInfo(E, "an accession is requested after it takes effect"),
    "accession-kind": CheckInfo(E, "a party of this kind cannot join"),
    "accession-not-allowed": CheckInfo(E, "the document has no accession clause"),
    "accession-joined": CheckInfo(E, "the registry's join date differs from the accession"),
    "party-dates": CheckInfo(E, "a party leaves before it joins"),
    "publication-late": CheckInfo(E, "publication after the deadline"),
    "publication-order": CheckInfo(E, "publication before signing"),
    # targets
    "target-incomplete": CheckInfo(E, "a target has part of indicator, comparator and value"),
    "target-range": CheckInfo(E, "a target value is impossible for its unit"),
    "target-comparator": CheckInfo(E, "a comparator does not fit the unit or direction"),
    "target-baseline": CheckInfo(E, "an increase or decrease has no baseline"),
    "target-conflict": CheckInfo(E, "one indicator has conflicting targets"),
    "target-components": CheckInfo(E, "component targets do not add up to the total"),
    "target-text-value": CheckInfo(W, "a target's text hard-codes its value"),
    # signing
    "signatory-missing": CheckInfo(E, "a signatory has no registered representative"),
    "copies-mismatch": CheckInfo(E, "the number of copies differs from the signatories"),
    "group-empty": CheckInfo(E, "a party group has no members"),
    "penvoerder-missing": CheckInfo(E, "accession is allowed but no penvoerder is registered"),
    "penvoerder-multiple": CheckInfo(E, "more than one penvoerder"),
    # acknowledgements
    "ack-unused": CheckInfo(W, "an acknowledgement matches no finding"),
}

LOAD_CODES = {
    "file-unreadable",
    "file-too-large",
    "file-encoding",
    "file-empty",
    "yaml-tag",
    "yaml-aliases",
    "yaml-syntax",
    "yaml-structure",
    "schema",
    "schema-unknown-key",
    "schema-required",
    "schema-type",
    "schema-value",
    "schema-id",
    "date-invalid",
    "dossier-missing",
    "dossier-kind",
}


def known_codes() -> frozenset[str]:
    return frozenset(CHECKS)


class _Sink:
    """Collects findings with the registry's default severity."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def __call__(self, code: str, message: str, where: Where, subject: str) -> None:
        self.items.append(Diagnostic(CHECKS[code].severity, code, message, where, subject))


def run_checks(dossier: Dossier) -> list[Diagnostic]:
    """All rules over one dossier; severities and acknowledgements are applied afterwards."""
    sink = _Sink()
    index = build_index(dossier)
    for rule in RULES:
        rule(dossier, index, sink)
    # A rule applied to several documents may find the same thing twice (one party signing
    # both a covenant and its addendum): report it once.
    unique = list(dict.fromkeys(sink.items))
    return apply_policy(dossier, unique)


def apply_policy(dossier: Dossier, findings: list[Diagnostic]) -> list[Diagnostic]:
    """Per-dossier severity overrides, then acknowledgements (with unused ones reported)."""
    out: list[Diagnostic] = []
    used: set[int] = set()
    for finding in findings:
        level = dossier.check_levels.get(finding.code)
        if level:
            finding = finding.with_severity(Severity.parse(level))
        for i, ack in enumerate(dossier.acknowledgements):
            if ack.code == finding.code and ack.subject == finding.subject:
                used.add(i)
                if finding.severity is not Severity.OFF:
                    finding = finding.with_severity(Severity.ACKNOWLEDGED, ack.reason)
        out.append(finding)
    for i, ack in enumerate(dossier.acknowledgements):
        if i not in used:
            out.append(
                Diagnostic(
                    CHECKS["ack-unused"].severity,
                    "ack-unused",
                    f"acknowledgement of [{ack.code}] '{ack.subject}' matches no finding; "
                    "remove it, or correct the code or subject",
                    ack.where,
                    f"{ack.code}:{ack.subject}",
                )
            )
    return out


def _did_you_mean(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, sorted(set(options)), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


# ---------------------------------------------------------------------------------------------
# ids and references


def _all_ids(dossier: Dossier) -> Iterator[tuple[str, str, Where]]:
    for g in dossier.groups:
        yield g.id, "party group", g.where
    for p in dossier.parties:
        yield p.id, "party", p.where
    for a in dossier.documents:
        yield a.id, "covenant" if a.kind == "convenant" else "addendum", a.where
        yield a.in_force.id, "period", a.in_force.where
        for art in a.articles:
            yield art.id, "article", art.where
        if a.extension:
            yield a.extension.id, "period", a.extension.where
        for s in a.sections:
            yield s.id, "section", s.where
            for c in s.clauses:
                yield c.id, "clause", c.where
                for d in c.definitions:
                    yield d.id, "definition", d.where
                for p in c.parts:
                    yield p.id, "article part", p.where
        for i, c in enumerate(a.considerations):
            if c.id:
                yield c.id, "consideration", a.where.child("considerations", i)
    for i in dossier.indicators:
        yield i.id, "indicator", i.where
    for m in dossier.measures:
        yield m.id, "measure", m.where
        for t in m.targets:
            yield t.id, "target", t.where
    for a in dossier.accessions:
        yield a.id, "accession", a.where
    for p in dossier.pillars:
        yield p.id, "pillar", p.where


def check_ids(dossier: Dossier, index: Index, report: _Sink) -> None:
    seen: dict[str, tuple[str, Where]] = {}
    for ident, kind, where in _all_ids(dossier):
        if ident in seen:
            first_kind, first = seen[ident]
            report(
                "id-duplicate",
                f"id '{ident}' of this {kind} is already used by a {first_kind} "
                f"in {first.file.name}; ids must be unique within a dossier",
                where.child("id"),
                ident,
            )
        else:
            seen[ident] = (kind, where)


def _ids_of(dossier: Dossier, kind: str) -> dict[str, Where]:
    return {i: w for i, k, w in _all_ids(dossier) if k == kind}


def check_references(dossier: Dossier, index: Index, report: _Sink) -> None:
    groups = _ids_of(dossier, "party group")
    parties = {p.id: p for p in dossier.parties}
    measures = _ids_of(dossier, "measure")
    indicators = _ids_of(dossier, "indicator")
    pillars = _ids_of(dossier, "pillar")
    targets = _ids_of(dossier, "target")
    articles = _ids_of(dossier, "article")
    convenants = _ids_of(dossier, "covenant")
    documents = {d.id: d.where for d in dossier.documents}
    clauses = _ids_of(dossier, "clause")

    def need(value: str | None, options, what: str, where: Where) -> None:
        if value is not None and value not in options:
            report(
                "ref-unknown",
                f"'{value}' is not a {what} id.{_did_you_mean(value, options)}",
                where,
                value,
            )

    for party in dossier.parties:
        need(party.group, groups, "party group", party.where.child("group"))
    for group in dossier.groups:
        need(
            group.representative_party,
            parties,
            "party",
            group.where.child("representative", "party"),
        )
    for add in dossier.documents:
        need(add.amends, convenants, "covenant", add.where.child("amends"))
        for i, gid in enumerate(add.parties):
            need(gid, groups, "party group", add.where.child("parties", i))
        for i, gid in enumerate(add.signing.groups or () if add.signing else ()):
            need(gid, groups, "party group", add.signing.where.child("groups", i))
        for _, clause in add.clauses():
            if clause.amend_article:
                need(
                    clause.amend_article,
                    articles,
                    "article",
                    clause.where.child("amend", "article"),
                )
            for part in clause.parts:
                for i, mid in enumerate(part.measures):
                    need(mid, measures, "measure", part.where.child("measures", i))
            if clause.period:
                need(clause.period, index.periods, "period", clause.where.child("period"))
        if add.in_force.follows:
            need(add.in_force.follows, index.periods, "period", add.in_force.where.child("follows"))
        if add.extension:
            need(
                add.extension.extends, index.periods, "period", add.extension.where.child("extends")
            )
        if add.accession:
            need(add.accession.clause, clauses, "clause", add.accession.where.child("clause"))
    for measure in dossier.measures:
        for i, pid in enumerate(measure.pillars):
            need(pid, pillars, "pillar", measure.where.child("pillars", i))
        for t in measure.targets:
            need(t.indicator, indicators, "indicator", t.where.child("indicator"))
            for i, cid in enumerate(t.components):
                need(cid, targets, "target", t.where.child("components", i))
    for acc in dossier.accessions:
        need(acc.party, parties, "party", acc.where.child("party"))
        need(acc.document, documents, "covenant or addendum", acc.where.child("document"))
    for text, where, subject in _texts(dossier):
        allowed = _TARGET_KINDS if subject in targets else set()
        for match in ANY_PLACEHOLDER_RE.finditer(text):
            if match.group(2) is None and match.group(1) in allowed:
                continue
            if PLACEHOLDER_RE.fullmatch(match.group(0)):
                continue
            report(
                "ref-unknown",
                f"'{match.group(0)}' in text is not a reference; write one of "
                + ", ".join(sorted(_KIND_HELP | ({"{value}", "{period}"} if allowed else set())))
                + " (to show braces literally, avoid the {word} or {word:id} form)",
                where,
                match.group(0),
            )
        for match in PLACEHOLDER_RE.finditer(text):
            try:
                render_text(match.group(0), index, dossier)
            except UnresolvedReference as exc:
                kind, ref, problem = exc.args
                options = _options_for(kind, index)
                hint = _did_you_mean(ref, options) if ref else ""
                report(
                    "ref-unknown",
                    f"'{{{match.group(1)}:{match.group(2) or ''}}}' in text: '{ref}' is "
                    f"{problem}.{hint}",
                    where,
                    ref or match.group(0),
                )


_TARGET_KINDS = {"value", "period"}
_KIND_HELP = {
    "{art:ID}",
    "{nr:ID}",
    "{maatregel:ID}",
    "{party:ID}",
    "{date:PERIOD.start}",
    "{date:PERIOD.end}",
    "{period:PERIOD}",
}


def _options_for(kind: str, index: Index) -> list[str]:
    if kind in {"date", "period"}:
        return list(index.periods)
    wanted = {"party": {"party"}, "maatregel": {"measure"}}.get(
        kind, {"section", "clause", "part", "base-article", "definition"}
    )
    return [r.id for r in index.items.values() if r.kind in wanted]


def _texts(dossier: Dossier) -> Iterator[tuple[str, Where, str]]:
    """Every authored text with its place and the id it belongs to."""
    for add in dossier.agreements:
        for i, c in enumerate(add.considerations):
            yield c.text, add.where.child("considerations", i, "text"), c.id or f"{add.id}:{i + 1}"
        for _, clause in add.clauses():
            if clause.text:
                yield clause.text, clause.where.child("text"), clause.id
            for d in clause.definitions:
                yield d.text, d.where.child("text"), d.id
            for p in clause.parts:
                if p.text:
                    yield p.text, p.where.child("text"), p.id
    for m in dossier.measures:
        for key, values in (
            ("description", m.description),
            ("worked", m.worked),
            ("strengthen", m.strengthen),
        ):
            for i, text in enumerate(values):
                yield text, m.where.child(key, i), m.id
        for s in m.sections:
            for text in s.items:
                yield text, m.where.child("sections"), m.id
        for t in m.targets:
            yield t.text, t.where.child("text"), t.id


def check_hardcoded_articles(dossier: Dossier, index: Index, report: _Sink) -> None:
    numbers = index.article_numbers()
    for text, where, subject in _texts(dossier):
        for match in HARDCODED_ARTICLE_RE.finditer(text):
            number = match.group("num")
            pointed = _pointed(numbers, number, bool(match.group("trail")))
            report(
                "text-article-ref",
                f"text hard-codes '{match.group(0).strip()}', which now points to {pointed}; "
                "write {art:ID} so the number follows the structure",
                where,
                subject,
            )


def _pointed(numbers: dict, number: str, of_base: bool) -> str:
    candidates = numbers.get(number, [])
    if of_base:
        candidates = [c for c in candidates if c.kind in {"base-article", "part"}]
    if not candidates:
        return "no article"
    return " and ".join(f"{c.number} '{c.title}'" if c.title else c.number for c in candidates)


_DUTCH_DATE_RE = re.compile(
    r"\b(\d{1,2})\s+(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
    r"november|december)\s+(\d{4})\b"
)


def check_published(dossier: Dossier, index: Index, report: _Sink) -> None:
    """Where the data keeps the published wording, show how it differs from the intent."""
    numbers = index.article_numbers()
    for add in dossier.agreements:
        pairs = [
            (c.text, c.published, add.where.child("considerations", i), c.id or f"{add.id}:{i + 1}")
            for i, c in enumerate(add.considerations)
        ]
        pairs += [(c.text or "", c.published, c.where, c.id) for _, c in add.clauses()]
        for text, published, where, subject in pairs:
            if not published:
                continue
            rendered = render_text(text, index, dossier, strict=False)
            intended = {m.group("num") for m in HARDCODED_ARTICLE_RE.finditer(rendered)}
            for match in HARDCODED_ARTICLE_RE.finditer(published):
                if match.group("num") not in intended:
                    meant = ", ".join(sorted(intended)) or "none"
                    pointed = _pointed(numbers, match.group("num"), bool(match.group("trail")))
                    report(
                        "published-differs",
                        f"the published text says '{match.group(0).strip()}' ({pointed}); "
                        f"the intended reference is artikel {meant}",
                        where.child("published"),
                        subject,
                    )
            dates = set(_DUTCH_DATE_RE.findall(rendered))
            for found in _DUTCH_DATE_RE.findall(published):
                if found not in dates:
                    report(
                        "published-differs",
                        f"the published text says '{' '.join(found)}', which the data does "
                        "not give here",
                        where.child("published"),
                        subject,
                    )


_WORD_RE = re.compile(r"[A-Za-zÀ-ÿ][\w'-]*")
_INLINE_DEF_RE = re.compile(r"(?:verder ook|hierna):\s*(?:de |het )?([^;,)]+)", re.IGNORECASE)


def check_terms(dossier: Dossier, index: Index, report: _Sink) -> None:
    texts = list(_texts(dossier))
    definitions = [d for a in dossier.agreements for _, c in a.clauses() for d in c.definitions]
    for definition in definitions:
        forms = [definition.term.lower(), *(f.lower() for f in definition.forms)]
        used = any(
            any(form in text.lower() for form in forms)
            for text, _, subject in texts
            if subject != definition.id
        )
        if not used:
            report(
                "term-unused",
                f"defined term '{definition.term}' (definition {index.get(definition.id).number}) "
                "is not used in any text",
                definition.where.child("term"),
                definition.id,
            )
    defined = {d.term.lower() for d in definitions}
    for text, _, _ in texts + [
        (c.text, None, "") for a in dossier.agreements for c in a.considerations
    ]:
        for match in _INLINE_DEF_RE.finditer(text):
            defined.add(match.group(1).strip().lower())
    lower_words: set[str] = set()
    for text, _, _ in texts:
        lower_words.update(w for w in _WORD_RE.findall(text) if w.islower())
    reported: set[str] = set()
    for text, where, _subject in texts:
        for sentence in re.split(r"(?<=[.:;!?])\s+|\n", text):
            words = _WORD_RE.findall(sentence)
            for pos in range(1, len(words)):
                word = words[pos]
                low = word.lower()
                if not (word[0].isupper() and word[1:].islower() and len(word) > 3):
                    continue
                if low not in lower_words or low in defined or low in reported:
                    continue
                if _in_proper_name(words, pos, defined):
                    continue
                reported.add(low)
                report(
                    "term-undefined",
                    f"'{word}' is capitalised like a defined term but is not defined "
                    f"(elsewhere written '{low}'); define it or write '{low}'",
                    where,
                    low,
                )


_LINKERS = {"van", "voor", "de", "der", "den", "het", "in", "en", "op", "tot", "'t", "aan"}


def _in_proper_name(words: list[str], pos: int, defined: set[str]) -> bool:
    """Whether the capitalised word at ``pos`` is part of a name such as 'Sterk in de Wijk'.

    A neighbour (across Dutch linking words) that is itself capitalised, not the first word of
    the sentence and not a defined term, makes the phrase a name rather than a term.
    """
    for step in (-1, 1):
        i = pos + step
        while 0 <= i < len(words) and words[i] in _LINKERS:
            i += step
        if not 0 < i < len(words):
            continue
        neighbour = words[i]
        if neighbour[0].isupper() and neighbour.lower() not in defined:
            return True
    return False


def check_measures_listed(dossier: Dossier, index: Index, report: _Sink) -> None:
    listed = {
        m for a in dossier.agreements for _, c in a.clauses() for p in c.parts for m in p.measures
    }
    if not listed:
        return
    for measure in dossier.measures:
        if measure.id not in listed:
            report(
                "measure-unlisted",
                f"measure '{measure.id}' is not listed in any article, so no document shows it",
                measure.where.child("id"),
                measure.id,
            )


# ---------------------------------------------------------------------------------------------
# dates and terms


def _days(n: int) -> str:
    return f"{n} day" + ("s" if n != 1 else "")


def check_periods(dossier: Dossier, index: Index, report: _Sink) -> None:
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
                    f"{_days((expected - period.start).days)}",
                    period.where.child("start"),
                    pid,
                )
            elif period.start > expected:
                report(
                    "term-gap",
                    f"period '{pid}' starts {fmt.date_long(period.start)} but follows "
                    f"'{before.id}', which ends {fmt.date_long(before.end)}: a gap of "
                    f"{_days((period.start - expected).days)}",
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


def _term_of_measure(dossier: Dossier, measure_id: str) -> Period | None:
    for add in dossier.agreements:
        for _, clause in add.clauses():
            if any(measure_id in p.measures for p in clause.parts):
                return add.in_force
    for doc in (*dossier.agreements, *dossier.documents):
        return doc.in_force
    return None


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


def target_period(dossier: Dossier, target: Target) -> tuple[dt.date, dt.date] | None:
    if target.period:
        return target.period
    term = _term_of_measure(dossier, target.measure)
    if term is None or term.start is None:
        return None
    return term.start, term.end


def check_target_periods(dossier: Dossier, index: Index, report: _Sink) -> None:
    for target in dossier.targets():
        term = _term_of_measure(dossier, target.measure)
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


def _extended(period: Period, index: Index) -> Period:
    """The period with every extension of it applied (a covenant's term as extended)."""
    end = period.end
    for other in index.periods.values():
        follows_on = other.follows == period.id and other.id != period.id
        if follows_on and other.start is not None and other.start <= end + ONE_DAY:
            end = max(end, other.end)
    return Period(period.id, period.start, end, period.where, period.follows)


def check_accessions(dossier: Dossier, index: Index, report: _Sink) -> None:
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
        term = _extended(add.in_force, index)
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


def check_publication(dossier: Dossier, index: Index, report: _Sink) -> None:
    for add in dossier.agreements:
        pub, signed = add.publication, add.signing.date if add.signing else None
        if pub is None or pub.published is None or signed is None:
            continue
        if pub.published < signed:
            report(
                "publication-order",
                f"published {fmt.date_long(pub.published)}, before signing on "
                f"{fmt.date_long(signed)}",
                pub.where.child("published"),
                add.id,
            )
        elif pub.within_days is not None:
            deadline = signed + dt.timedelta(days=pub.within_days)
            if pub.published > deadline:
                report(
                    "publication-late",
                    f"published {fmt.date_long(pub.published)}, "
                    f"{_days((pub.published - deadline).days)} after the deadline of "
                    f"{fmt.date_long(deadline)} ({pub.within_days} days after signing on "
                    f"{fmt.date_long(signed)})",
                    pub.where.child("published"),
                    add.id,
                )


# ---------------------------------------------------------------------------------------------
# targets

# unit -> (lowest possible, highest possible); None is unbounded
DOMAINS: dict[str, tuple[float | None, float | None]] = {
    "percent": (0, 100),
    "count": (0, None),
    "fte": (0, None),
    "hours": (0, None),
    "grade": (1, 10),
    "euro": (0, None),
    "factor": (0, None),
}


def check_targets(dossier: Dossier, index: Index, report: _Sink) -> None:
    by_id = {t.id: t for t in dossier.targets()}
    for t in by_id.values():
        parts = {"indicator": t.indicator, "comparator": t.comparator, "value": t.value}
        given = [k for k, v in parts.items() if v is not None]
        if given and len(given) < 3:
            missing = [k for k in parts if k not in given]
            report(
                "target-incomplete",
                f"target '{t.id}' has {', '.join(given)} but no {' or '.join(missing)}; a "
                "measurable target needs indicator, comparator and value (or none of them)",
                t.where.child(given[0]),
                t.id,
            )
            continue
        placeholders = set(TARGET_PLACEHOLDER_RE.findall(t.text))
        if "value" in placeholders and t.value is None:
            report(
                "target-incomplete",
                f"target '{t.id}' text uses {{value}} but the target has no value",
                t.where.child("text"),
                t.id,
            )
        if "period" in placeholders and t.period is None:
            report(
                "target-incomplete",
                f"target '{t.id}' text uses {{period}} but the target has no period",
                t.where.child("text"),
                t.id,
            )
        if t.value is None:
            if t.direction in {"increase", "decrease"} and t.baseline is None:
                report(
                    "target-baseline",
                    f"target '{t.id}' is an {t.direction} but has no baseline; add "
                    "baseline.value, or baseline.planned: true for a nulmeting still to do",
                    t.where.child("direction"),
                    t.id,
                )
            continue
        indicator = dossier.indicator(t.indicator or "")
        if indicator is None:
            continue
        _check_value(t, indicator.unit, report)
        if "value" not in placeholders and re.search(
            rf"(?<![\d,]){re.escape(fmt.number(t.value))}(?![\d,])", t.text
        ):
            report(
                "target-text-value",
                f"target '{t.id}' text hard-codes {fmt.number(t.value)}; write {{value}} so the "
                "text always shows the value in the data",
                t.where.child("text"),
                t.id,
            )
        if t.direction in {"increase", "decrease"} and (
            t.baseline is None or (t.baseline.value is None and not t.baseline.planned)
        ):
            report(
                "target-baseline",
                f"target '{t.id}' is an {t.direction} but has no baseline; add baseline.value, "
                "or baseline.planned: true for a nulmeting still to do",
                t.where.child("direction"),
                t.id,
            )
        if t.baseline and t.baseline.value is not None and t.direction in {"increase", "decrease"}:
            wrong = (t.direction == "increase" and t.value <= t.baseline.value) or (
                t.direction == "decrease" and t.value >= t.baseline.value
            )
            if wrong:
                report(
                    "target-comparator",
                    f"target '{t.id}' is an {t.direction} to {fmt.number(t.value)} from a "
                    f"baseline of {fmt.number(t.baseline.value)}",
                    t.where.child("value"),
                    t.id,
                )
        if t.components:
            _check_components(t, by_id, dossier, report)
    _check_conflicts(dossier, list(by_id.values()), report)


def _check_value(t: Target, unit: str, report: _Sink) -> None:
    low, high = DOMAINS[unit]
    value, comp = t.value, t.comparator
    unit_word = {"percent": "a percentage", "grade": "a grade"}.get(unit, f"a {unit} value")
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = (
            f"{fmt.number(low)} to {fmt.number(high)}"
            if high is not None
            else (f"at least {fmt.number(low)}")
        )
        report(
            "target-range",
            f"target '{t.id}' value {fmt.number(value)} is impossible for {unit_word} ({bounds})",
            t.where.child("value"),
            t.id,
        )
        return
    if unit == "count" and not float(value).is_integer():
        report(
            "target-range",
            f"target '{t.id}' counts {fmt.number(value)}; a count is a whole number",
            t.where.child("value"),
            t.id,
        )
        return
    if unit == "factor" and value == 0:
        report(
            "target-range",
            f"target '{t.id}' has factor 0, which multiplies to nothing",
            t.where.child("value"),
            t.id,
        )
        return
    unsatisfiable = (comp == "<" and low is not None and value <= low) or (
        comp == ">" and high is not None and value >= high
    )
    vacuous = (comp in {">=", ">"} and low is not None and value <= low and comp == ">=") or (
        comp in {"<=", "<"} and high is not None and value >= high and comp == "<="
    )
    if unsatisfiable:
        report(
            "target-comparator",
            f"target '{t.id}' asks for {comp} {fmt.number(value)}, which {unit_word} can "
            "never meet",
            t.where.child("comparator"),
            t.id,
        )
    elif vacuous:
        report(
            "target-comparator",
            f"target '{t.id}' asks for {comp} {fmt.number(value)}, which {unit_word} always "
            "meets; the target says nothing",
            t.where.child("comparator"),
            t.id,
        )
    if t.direction == "increase" and comp in {"<", "<="}:
        report(
            "target-comparator",
            f"target '{t.id}' is an increase but caps the value ({comp}); use >= or >",
            t.where.child("comparator"),
            t.id,
        )
    if t.direction == "decrease" and comp in {">", ">="}:
        report(
            "target-comparator",
            f"target '{t.id}' is a decrease but sets a floor ({comp}); use <= or <",
            t.where.child("comparator"),
            t.id,
        )


def _check_components(t: Target, by_id: dict, dossier: Dossier, report: _Sink) -> None:
    parts = [by_id[c] for c in t.components if c in by_id]
    if len(parts) != len(t.components):
        return  # unknown ids are reported by check_references
    unit = dossier.indicator(t.indicator or "")
    for part in parts:
        part_unit = dossier.indicator(part.indicator or "")
        if part.value is None or part_unit is None:
            report(
                "target-components",
                f"component '{part.id}' of '{t.id}' has no value",
                t.where.child("components"),
                t.id,
            )
            return
        if unit and part_unit.unit != unit.unit:
            report(
                "target-components",
                f"component '{part.id}' is in {part_unit.unit}, total '{t.id}' in {unit.unit}",
                t.where.child("components"),
                t.id,
            )
            return
    total = sum(p.value for p in parts)
    if abs(total - t.value) > 1e-9:
        terms = " + ".join(fmt.number(p.value) for p in parts)
        report(
            "target-components",
            f"components of '{t.id}' add up to {terms} = {fmt.number(total)}, not the declared "
            f"total {fmt.number(t.value)}",
            t.where.child("value"),
            t.id,
        )


def _check_conflicts(dossier: Dossier, targets: list[Target], report: _Sink) -> None:
    seen: dict[str, list[Target]] = {}
    for t in targets:
        if t.value is None or t.indicator is None:
            continue
        span = target_period(dossier, t)
        for other in seen.get(t.indicator, []):
            other_span = target_period(dossier, other)
            overlap = span and other_span and span[0] <= other_span[1] and other_span[0] <= span[1]
            if overlap and (t.comparator, t.value) != (other.comparator, other.value):
                report(
                    "target-conflict",
                    f"target '{t.id}' sets indicator '{t.indicator}' {t.comparator} "
                    f"{fmt.number(t.value)}, but target '{other.id}' (measure '{other.measure}') "
                    f"sets {other.comparator} {fmt.number(other.value)} for an overlapping period",
                    t.where.child("value"),
                    t.id,
                )
        seen.setdefault(t.indicator, []).append(t)


# ---------------------------------------------------------------------------------------------
# signing


def signatories(dossier: Dossier, add: Agreement) -> list[tuple[str, object]]:
    """(group id, Party) of every person who signs, in signing order."""
    out = []
    day = add.in_force.start or add.in_force.end
    for gid in (add.signing.groups if add.signing else None) or add.parties:
        group = dossier.group(gid)
        if group is None:
            continue
        members = [p for p in dossier.members(gid) if p.member_on(day)]
        if group.signing == "representative":
            rep = dossier.party(group.representative_party or "")
            if rep is not None:
                out.append((gid, rep))
        else:
            out.extend((gid, p) for p in members)
    return out


def check_signing(dossier: Dossier, index: Index, report: _Sink) -> None:
    for group in dossier.groups:
        members = dossier.members(group.id)
        if not members:
            report(
                "group-empty",
                f"party group '{group.id}' has no parties",
                group.where.child("id"),
                group.id,
            )
        if group.signing == "representative":
            rep = dossier.party(group.representative_party or "")
            if group.representative_party is None:
                report(
                    "signatory-missing",
                    f"group '{group.id}' signs through a representative but names none; add "
                    "representative.party",
                    group.where.child("signing"),
                    group.id,
                )
            elif rep is not None and rep.group != group.id:
                report(
                    "signatory-missing",
                    f"group '{group.id}' is represented by '{rep.id}', which is not a member "
                    "of the group",
                    group.where.child("representative", "party"),
                    group.id,
                )
    for add in dossier.agreements:
        people = signatories(dossier, add)
        for gid, party in people:
            if party.representative is None:
                report(
                    "signatory-missing",
                    f"party '{party.id}' signs for group '{gid}' but has no representative",
                    party.where.child("id"),
                    party.id,
                )
        if add.signing and add.signing.copies is not None and add.signing.copies != len(people):
            names = ", ".join(
                p.representative.name if p.representative else p.id for _, p in people
            )
            report(
                "copies-mismatch",
                f"the text says {add.signing.copies} copies (in "
                f"{fmt.copies_word(add.signing.copies)}), but {len(people)} people sign: {names}",
                add.signing.where.child("copies"),
                add.id,
            )
    if any(add.accession for add in dossier.agreements):
        penvoerders = [p for p in dossier.parties if p.penvoerder]
        if not penvoerders:
            report(
                "penvoerder-missing",
                "accession is allowed, but no party is the penvoerder; set penvoerder: true "
                "on the party that handles accession requests",
                next(a for a in dossier.agreements if a.accession).accession.where,
                dossier.id,
            )
        for extra in penvoerders[1:]:
            report(
                "penvoerder-multiple",
                f"'{extra.id}' is a second penvoerder (the first is '{penvoerders[0].id}')",
                extra.where.child("penvoerder"),
                extra.id,
            )


RULES: tuple[Callable[[Dossier, Index, _Sink], None], ...] = (
    check_ids,
    check_references,
    check_hardcoded_articles,
    check_published,
    check_terms,
    check_measures_listed,
    check_periods,
    check_target_periods,
    check_accessions,
    check_publication,
    check_targets,
    check_signing,
)
