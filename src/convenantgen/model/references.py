"""Generated numbers and labels, and the ``{kind:id}`` references inside text.

Authors never type article numbers or measure letters: they write ``{art:toetreding}`` and the
number is generated from the order of sections and clauses. This module builds that index and
renders text; the checks use the same index to resolve references and to find hard-coded
numbers ("artikel 4.1") that point somewhere else than the author thinks.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from ..errors import Where
from ..text import formatting as fmt
from ..text.wording import Wording
from .dossier import Agreement, Dossier, Period

PLACEHOLDER_RE = re.compile(r"\{(art|nr|maatregel|date|period|party|cite):([^{}\s]+)\}")
# Anything shaped like a placeholder; those that are not valid ones are reported.
ANY_PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)(?::([^{}\s]*))?\}")
TARGET_PLACEHOLDER_RE = re.compile(r"\{(value|period|baseline)\}")
HARDCODED_ARTICLE_RE = re.compile(
    r"\b(?P<word>[Aa]rtikel|[Aa]rt\.)\s+(?P<num>\d+[a-z]?(?:\.\d+)*)(?![.\w]?\d)(?!\w)"
    # "artikel 171 van de Wet op het primair onderwijs", "artikel 95a van de Gezondheids- en
    # welzijnswet voor dieren" and "artikel 176 Provinciewet" are other texts: not ours to
    # number.
    r"(?!\s+van\s+(?:de|het)\s+(?!Convenant\b))"
    r"(?!,?\s+(?:[A-Z][\w-]*(?:wet|besluit|regeling|verordening|reglement)|Wet|Besluit)\b)"
    r"(?P<trail>\s+(?:van|uit)\s+het\s+Convenant)?"
)


@dataclass(frozen=True)
class Referable:
    """Something text can refer to by id: an article, clause, definition, measure, period."""

    id: str
    kind: str  # section | clause | part | base-article | definition | measure | period | party
    number: str  # "3.1", "9", "h", "A", "" for periods and parties
    title: str
    where: Where
    document: str = ""  # document id, for "van het Convenant"


@dataclass(frozen=True)
class Index:
    items: dict[str, Referable]
    periods: dict[str, Period]
    measure_letters: dict[str, str]

    def get(self, ref_id: str) -> Referable | None:
        return self.items.get(ref_id)

    def article_numbers(self) -> dict[str, list[Referable]]:
        """Number -> the referables that carry it (several: ambiguity worth reporting)."""
        by_number: dict[str, list[Referable]] = {}
        for item in self.items.values():
            if item.kind in {"section", "clause", "part", "base-article"}:
                by_number.setdefault(item.number, []).append(item)
        return by_number


def _letters(offset: int, count: int) -> list[str]:
    alphabet = string.ascii_lowercase
    out = []
    for i in range(offset, offset + count):
        out.append(alphabet[i] if i < 26 else alphabet[i // 26 - 1] + alphabet[i % 26])
    return out


def measure_letters(dossier: Dossier) -> dict[str, str]:
    """Measures get letters in the order the documents list them, then in file order; after
    the measures the published covenant letters itself (``measures:`` of an article of a
    covenant known by reference that no addendum replaces), so an added one continues them."""
    replaced = {
        c.amend_article
        for a in dossier.agreements
        for _, c in a.clauses()
        if c.amend_article and c.amend_action != "add"
    }
    offset = max(
        (art.measures for d in dossier.documents for art in d.articles if art.id not in replaced),
        default=0,
    )
    order: list[str] = []
    for agreement in dossier.agreements:
        for _, clause in agreement.clauses():
            for part in clause.parts:
                order += [m for m in part.measures if m not in order]
    order += [m.id for m in dossier.measures if m.id not in order]
    upper = string.ascii_uppercase
    return {
        mid: upper[i] if i < 26 else f"{upper[i // 26 - 1]}{upper[i % 26]}"
        for i, mid in enumerate(order, start=offset)
    }


def periods(dossier: Dossier) -> dict[str, Period]:
    out: dict[str, Period] = {}
    for doc in dossier.documents:
        out[doc.in_force.id] = doc.in_force
    for add in dossier.documents:
        if add.extension:
            ext = add.extension
            base = out.get(ext.extends)
            start = ext.start
            if start is None and base is not None:
                start = base.end + _ONE_DAY
            out[ext.id] = Period(ext.id, start, ext.end, ext.where, follows=ext.extends)
    return out


def build_index(dossier: Dossier) -> Index:
    items: dict[str, Referable] = {}

    def add(item: Referable) -> None:
        items.setdefault(item.id, item)

    for doc in dossier.documents:
        for art in doc.articles:
            add(Referable(art.id, "base-article", art.number, art.title, art.where, doc.id))
    letters = measure_letters(dossier)
    for agreement in dossier.agreements:
        _index_agreement(agreement, dossier, add)
    for measure in dossier.measures:
        add(Referable(measure.id, "measure", letters[measure.id], measure.title, measure.where))
    for party in dossier.parties:
        add(Referable(party.id, "party", "", party.name, party.where))
    period_map = periods(dossier)
    for pid, period in period_map.items():
        add(Referable(pid, "period", "", pid, period.where))
    return Index(items, period_map, letters)


def _index_agreement(agreement: Agreement, dossier: Dossier, add) -> None:
    for s_no, section in enumerate(agreement.sections, start=1):
        add(Referable(section.id, "section", str(s_no), section.title, section.where, agreement.id))
        for c_no, clause in enumerate(section.clauses, start=1):
            number = f"{s_no}.{c_no}" if section.numbered else str(s_no)
            add(Referable(clause.id, "clause", number, section.title, clause.where, agreement.id))
            base = dossier.article(clause.amend_article)
            if clause.definitions:
                offset = base.lettered_items if base else 0
                for letter, definition in zip(
                    _letters(offset, len(clause.definitions)), clause.definitions, strict=True
                ):
                    add(
                        Referable(
                            definition.id,
                            "definition",
                            letter,
                            definition.term,
                            definition.where,
                            agreement.id,
                        )
                    )
            # Members added to an existing article continue its numbering (3.3 after 3.2).
            first = base.parts + 1 if base and clause.amend_action == "add" else 1
            for p_no, part in enumerate(clause.parts, start=first):
                art_no = base.number if base else number
                add(
                    Referable(
                        part.id,
                        "part",
                        f"{art_no}.{p_no}",
                        part.title or "",
                        part.where,
                        agreement.amends or agreement.id,
                    )
                )


_ONE_DAY = __import__("datetime").timedelta(days=1)


class UnresolvedReference(Exception):
    """A ``{kind:id}`` in text that does not resolve; ``args = (kind, id, problem)``."""


def render_text(
    text: str,
    index: Index,
    dossier: Dossier,
    strict: bool = True,
    words: Wording | None = None,
) -> str:
    """Replace ``{kind:id}`` references by generated numbers, labels and Dutch dates.

    With ``strict`` an unresolvable reference raises :class:`UnresolvedReference`; otherwise it
    is left as written (the checks report it). Labels are the ``references`` entries of
    ``words`` (default: the engine's wording).
    """
    return render_text_spans(text, index, dossier, strict, words)[0]


@dataclass(frozen=True)
class ReferenceSpan:
    """Where a resolved ``{art:id}`` or ``{maatregel:id}`` stands in a rendered text:
    ``text[start:end]`` is its label ("artikel 3.1"), ``number`` the generated number in it
    ("3.1"), ``target`` the id it refers to. The Word renderer makes it a cross-reference."""

    start: int
    end: int
    target: str
    number: str


def render_text_spans(
    text: str,
    index: Index,
    dossier: Dossier,
    strict: bool = True,
    words: Wording | None = None,
) -> tuple[str, tuple[ReferenceSpan, ...]]:
    """:func:`render_text`, and where in the result each article or measure reference is."""
    words = words or Wording.default()
    out: list[str] = []
    spans: list[ReferenceSpan] = []
    size = last = 0
    for match in PLACEHOLDER_RE.finditer(text):
        kind, ref = match.group(1), match.group(2) or ""
        try:
            value = _resolve(kind, ref, index, dossier, words)
        except UnresolvedReference:
            if strict:
                raise
            value = match.group(0)
        else:
            item = index.get(ref)
            if kind in {"art", "maatregel"} and item is not None and item.number:
                start = size + match.start() - last
                spans.append(ReferenceSpan(start, start + len(value), ref, item.number))
        out += [text[last : match.start()], value]
        size += match.start() - last + len(value)
        last = match.end()
    out.append(text[last:])
    return "".join(out), tuple(spans)


def article_label(ref: Referable, words: Wording | None = None) -> str:
    """How a reference to an article or member reads: "artikel 3.1"."""
    return (words or Wording.default()).text("references.article", number=ref.number)


def _resolve(kind: str, ref: str, index: Index, dossier: Dossier, words: Wording) -> str:
    if kind in {"date", "period"}:
        pid, _, which = ref.partition(".")
        period = index.periods.get(pid)
        if period is None:
            raise UnresolvedReference(kind, pid, "not a period id")
        if kind == "period":
            return fmt.period_text(period.start, period.end)
        if which not in {"start", "end"}:
            raise UnresolvedReference(kind, ref, "not PERIOD.start or PERIOD.end")
        day = period.start if which == "start" else period.end
        if day is None:
            raise UnresolvedReference(kind, ref, "this period has no start date")
        return fmt.date_long(day)
    if kind == "cite":
        cited = next((c for d in dossier.documents for c in d.cites if c.id == ref), None)
        if cited is None:
            raise UnresolvedReference(kind, ref, "not the id of a cited document (cites:)")
        return cited.text()
    item = index.get(ref)
    if kind == "party":
        if item is None or item.kind != "party":
            raise UnresolvedReference(kind, ref, "not a party id")
        return item.title
    if kind == "maatregel":
        if item is None or item.kind != "measure":
            raise UnresolvedReference(kind, ref, "not a measure id")
        return words.text("references.measure", letter=item.number)
    if item is None or item.kind in {"party", "period"}:
        raise UnresolvedReference(kind, ref, "not an article, clause or definition id")
    if kind == "nr":
        return item.number
    if item.kind in {"definition", "measure"}:
        raise UnresolvedReference(
            kind, ref, f"a {item.kind} has no article number; use {{nr:{ref}}}"
        )
    return article_label(item, words)


def references_in(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2) or "") for m in PLACEHOLDER_RE.finditer(text)]
