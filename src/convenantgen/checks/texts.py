"""Rules on ids, references and wording: unique ids, resolvable references, hard-coded
article numbers, published wording that differs from the intent, and defined terms."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import Where, did_you_mean
from ..model.derive import MEASURE_PAGES_TAKEN, SITE_FOLDERS, output_stems
from ..model.dossier import Dossier
from ..model.references import (
    ANY_PLACEHOLDER_RE,
    HARDCODED_ARTICLE_RE,
    PLACEHOLDER_RE,
    Index,
    UnresolvedReference,
    render_text,
)
from .registry import Sink


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
                yield from _money_and_duty_ids(c)
        for cited in a.cites:
            yield cited.id, "cited document", cited.where
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


def _money_and_duty_ids(clause) -> Iterator[tuple[str, str, Where]]:
    for duty in clause.obligations:
        yield duty.id, "obligation", duty.where
    if clause.finance:
        if clause.finance.id:
            yield clause.finance.id, "financial arrangement", clause.finance.where
        for item in clause.finance.items:
            for entry in (item, *item.parts):
                if entry.id:
                    yield entry.id, "amount", entry.where


def check_ids(dossier: Dossier, index: Index, report: Sink) -> None:
    seen: dict[str, tuple[str, Where]] = {}
    for ident, kind, where in _all_ids(dossier):
        if ident in seen:
            first_kind, first = seen[ident]
            report(
                "id-duplicate",
                f"id '{ident}' of this {kind} is already used by {_a(first_kind)} "
                f"in {first.file.name}; ids must be unique within a dossier",
                where.child("id"),
                ident,
            )
        else:
            seen[ident] = (kind, where)


def check_output_names(dossier: Dossier, index: Index, report: Sink) -> None:
    """Ids that would make two outputs share a file name, or take a name the site uses."""
    if dossier.id in SITE_FOLDERS:
        report(
            "output-name",
            f"dossier id '{dossier.id}' is a folder of the public site itself; choose another "
            f"(taken: {', '.join(sorted(SITE_FOLDERS))})",
            dossier.where.child("id"),
            dossier.id,
        )
    for measure in dossier.measures:
        if measure.id in MEASURE_PAGES_TAKEN:
            report(
                "output-name",
                f"measure id '{measure.id}' is a page of the measures folder itself; choose "
                f"another (taken: {', '.join(sorted(MEASURE_PAGES_TAKEN))})",
                measure.where.child("id"),
                measure.id,
            )
    seen: dict[str, str] = {}
    for stem, ident, where in output_stems(dossier):
        if stem in seen and seen[stem] != ident:
            report(
                "output-name",
                f"'{ident}' and '{seen[stem]}' would both write {stem}.docx and .pdf; rename "
                f"one of them",
                where.child("id"),  # type: ignore[attr-defined]
                ident,
            )
        seen.setdefault(stem, ident)


def _ids_of(dossier: Dossier, kind: str) -> dict[str, Where]:
    return {i: w for i, k, w in _all_ids(dossier) if k == kind}


def check_references(dossier: Dossier, index: Index, report: Sink) -> None:
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
                f"'{value}' is not {_a(what)} id.{did_you_mean(value, options)}",
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
        need(add.predecessor, convenants, "covenant", add.where.child("predecessor"))
        for i, gid in enumerate(add.parties):
            need(gid, groups, "party group", add.where.child("parties", i))
        for i, gid in enumerate(add.signing.groups or () if add.signing else ()):
            need(gid, groups, "party group", add.signing.where.child("groups", i))
        # "Artikel 3 van het Convenant komt te luiden": an article the covenant lists by
        # reference, or one of its sections once its text is recorded.
        amended = dossier.document(add.amends) if add.amends else None
        amendable = articles | {s.id: s.where for s in (amended.sections if amended else ())}
        for _, clause in add.clauses():
            if clause.amend_article:
                need(
                    clause.amend_article,
                    amendable,
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
                + ", ".join(
                    sorted(
                        _KIND_HELP | ({"{value}", "{period}", "{baseline}"} if allowed else set())
                    )
                )
                + " (to show braces literally, avoid the {word} or {word:id} form)",
                where,
                match.group(0),
            )
        for match in PLACEHOLDER_RE.finditer(text):
            try:
                render_text(match.group(0), index, dossier)
            except UnresolvedReference as exc:
                kind, ref, problem = exc.args
                options = _options_for(kind, index, dossier)
                hint = did_you_mean(ref, options) if ref else ""
                report(
                    "ref-unknown",
                    f"'{{{match.group(1)}:{match.group(2) or ''}}}' in text: '{ref}' is "
                    f"{problem}.{hint}",
                    where,
                    ref or match.group(0),
                )


_TARGET_KINDS = {"value", "period", "baseline"}
_KIND_HELP = {
    "{art:ID}",
    "{nr:ID}",
    "{maatregel:ID}",
    "{party:ID}",
    "{date:PERIOD.start}",
    "{date:PERIOD.end}",
    "{period:PERIOD}",
    "{cite:ID}",
}


def _a(noun: str) -> str:
    """The noun with its English article: 'an indicator', 'a party'."""
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _options_for(kind: str, index: Index, dossier: Dossier) -> list[str]:
    if kind == "date":
        return [f"{p}.{which}" for p in index.periods for which in ("start", "end")]
    if kind == "period":
        return list(index.periods)
    if kind == "cite":
        return [c.id for d in dossier.documents for c in d.cites]
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


def check_hardcoded_articles(dossier: Dossier, index: Index, report: Sink) -> None:
    numbers = index.article_numbers()
    for text, where, subject in _texts(dossier):
        for match in HARDCODED_ARTICLE_RE.finditer(text):
            number = match.group("num")
            pointed = _pointed(numbers, number, bool(match.group("trail")))
            if match.group("trail") and pointed == "no article":
                # "artikel 9 van het Convenant": an article of the published covenant that the
                # data does not list; a reference outside this text, not a wrong one inside it.
                continue
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


def check_published(dossier: Dossier, index: Index, report: Sink) -> None:
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


_QUOTED_RE = re.compile(r"‘[^’]*’|“[^”]*”|\"[^\"]*\"|(?<!\w)'[^']*'(?!\w)")
_WORD_RE = re.compile(r"[A-Za-zÀ-ÿ][\w'-]*")
_INLINE_DEF_RE = re.compile(r"(?:verder ook|hierna):\s*(?:de |het )?([^;,)]+)", re.IGNORECASE)


def check_terms(dossier: Dossier, index: Index, report: Sink) -> None:
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
    if any(a.amends for a in dossier.agreements):
        # An addendum names what it amends "het Convenant", as the wording does.
        defined.add("convenant")
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
        # A capitalised word inside a quoted title ('Sterk Techniekonderwijs') is the title's.
        text = _QUOTED_RE.sub(" ", text)
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


def check_measures_listed(dossier: Dossier, index: Index, report: Sink) -> None:
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


def check_measure_responsible(dossier: Dossier, index: Index, report: Sink) -> None:
    """A measure's ``responsible`` names parties of the registry (the site shows their names)."""
    ids = [p.id for p in dossier.parties]
    for measure in dossier.measures:
        for i, party in enumerate(measure.responsible):
            if dossier.party(party) is None:
                report(
                    "ref-unknown",
                    f"measure '{measure.id}' names '{party}' as responsible, which is not a "
                    f"party of the registry.{did_you_mean(party, ids)}",
                    measure.where.child("responsible", i),
                    party,
                )
