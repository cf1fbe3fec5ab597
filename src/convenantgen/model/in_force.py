"""The text in force on a date: the base covenant with every amendment instruction applied.

An addendum's ``amendments:`` are data (:class:`~convenantgen.model.dossier.Amendment`): replace an
article or member ("Artikel 3 komt te luiden"), add members to an article ("Aan artikel 1
wordt toegevoegd"), insert a new article after another, remove an article or member
("vervalt"), and extend the term ("wordt verlengd tot en met"). Each takes effect on its own
date (default: the start of its addendum). :func:`compose` applies, in order, every
instruction in effect on a day to the covenant's sections and returns the covenant as it reads
that day, as an ordinary :class:`~convenantgen.model.dossier.Agreement`; numbers and labels are then
generated from it like for any text, as wetten.overheid.nl does for laws.

Everything here is pure: the checks (:mod:`convenantgen.checks.amendments`) replay the same
steps and report what cannot be applied, and the renderers compose the versions they show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from ..errors import did_you_mean
from ..text import formatting as fmt
from .derive import covenant
from .dossier import Agreement, Amendment, Dossier, Section


@dataclass(frozen=True)
class Step:
    """One instruction with the addendum it comes from and the day it takes effect."""

    amendment: Amendment
    addendum: Agreement
    effective: dt.date | None

    @property
    def order(self) -> tuple:
        return (self.effective or dt.date.max,)


@dataclass(frozen=True)
class Problem:
    """Why a step cannot be applied: a check code and a message (without the place)."""

    code: str
    message: str


@dataclass
class State:
    """The text while instructions are applied: sections, the term's end, and per article the
    steps that changed it (for the notes "Gewijzigd bij addendum van ...")."""

    sections: list[Section]
    end: dt.date
    terms: set[str]
    history: dict[str, list[Step]] = field(default_factory=dict)
    removed: dict[str, Step] = field(default_factory=dict)  # id -> the step that removed it

    def article(self, ident: str) -> int | None:
        return next((i for i, s in enumerate(self.sections) if s.id == ident), None)

    def member(self, ident: str) -> tuple[int, int] | None:
        for i, section in enumerate(self.sections):
            for j, clause in enumerate(section.clauses):
                if clause.id == ident:
                    return i, j
        return None

    def ids(self) -> set[str]:
        return {s.id for s in self.sections} | {c.id for s in self.sections for c in s.clauses}

    def touch(self, section_id: str, step: Step) -> None:
        self.history.setdefault(section_id, []).append(step)


def base_text(dossier: Dossier) -> Agreement | None:
    """The covenant the instructions amend, when its full text is recorded."""
    base = covenant(dossier)
    return base if base is not None and base.kind == "convenant" else None


def steps(dossier: Dossier) -> list[Step]:
    """Every instruction of every addendum, in the order it applies: by date, then as
    written (addenda in file order, instructions in YAML order)."""
    out = [
        Step(a, doc, a.effective or doc.in_force.start)
        for doc in dossier.documents
        if doc.kind == "addendum"
        for a in doc.amendments
    ]
    return sorted(out, key=lambda s: s.order)  # stable: ties keep the written order


def change_dates(dossier: Dossier) -> list[dt.date]:
    """The days on which the text in force changes (nothing when the base text is unknown)."""
    base = base_text(dossier)
    if base is None or not base.has_text:
        return []
    return sorted({s.effective for s in steps(dossier) if s.effective is not None})


def has_amendments(dossier: Dossier) -> bool:
    return any(doc.amendments for doc in dossier.documents)


def start_state(base: Agreement, dossier: Dossier) -> State:
    # The term may be extended by its id or by the id of an extension already made.
    terms = {base.in_force.id} | {
        doc.extension.id for doc in dossier.documents if doc.extension is not None
    }
    return State(list(base.sections), base.in_force.end, terms)


def apply(state: State, step: Step) -> Problem | None:
    """Apply one instruction to ``state`` in place; a :class:`Problem` when it cannot be."""
    a = step.amendment
    day = fmt.date_long(step.effective) if step.effective else "?"
    handler = _HANDLERS.get(a.action)
    if handler is None:
        written = " and ".join(a.actions)
        problem = f"names {written}: one action per instruction" if written else "names none"
        return Problem(
            "amend-incomplete",
            f"instruction '{a.id}' {problem} (replace, add_to, insert_after, remove or extend)",
        )
    return handler(state, step, a, day)


def _missing(a: Amendment, what: str, day: str, state: State) -> Problem:
    known = sorted(state.ids())
    gone = state.removed.get(a.target)
    if gone is not None and gone.effective is not None:
        hint = f" '{gone.amendment.id}' removed it on {fmt.date_long(gone.effective)}."
    else:
        hint = did_you_mean(a.target, known)
    return Problem(
        "amend-unknown",
        f"instruction '{a.id}' names '{a.target}', which is not {what} of the covenant on "
        f"{day}.{hint}",
    )


def _new_ids(
    state: State, a: Amendment, ids: list[str], day: str, keep: set[str]
) -> Problem | None:
    taken = (state.ids() - keep) & set(ids)
    dup = next((i for i in ids if i in taken or ids.count(i) > 1), None)
    if dup is None:
        return None
    return Problem(
        "id-duplicate",
        f"instruction '{a.id}' adds '{dup}', an id the covenant's text already has on {day}",
    )


def _lacks(a: Amendment, doing: str, what: str) -> Problem:
    return Problem(
        "amend-incomplete", f"instruction '{a.id}' {doing} '{a.target}' but gives no {what}"
    )


def _replace(state: State, step: Step, a: Amendment, day: str) -> Problem | None:
    i = state.article(a.target)
    if i is not None:
        if not a.clauses:
            return _lacks(a, "replaces article", "clauses")
        old = state.sections[i]
        problem = _new_ids(state, a, [c.id for c in a.clauses], day, {c.id for c in old.clauses})
        if problem:
            return problem
        state.sections[i] = replace(old, title=a.title or old.title, clauses=a.clauses)
        state.touch(old.id, step)
        return None
    at = state.member(a.target)
    if at is None:
        return _missing(a, "an article or member", day, state)
    if not a.text:
        return _lacks(a, "replaces member", "text")
    i, j = at
    section = state.sections[i]
    clauses = list(section.clauses)
    clauses[j] = replace(clauses[j], text=a.text, published=None)
    state.sections[i] = replace(section, clauses=tuple(clauses))
    state.touch(section.id, step)
    return None


def _into_article(
    state: State, a: Amendment, day: str, doing: str, what: str, ids: list[str] | None
) -> tuple[int, Problem | None]:
    """The index of the article an add_to or insert_after names, or the problem: it does not
    exist then, the instruction lacks its content (``ids`` is None), or a new id is taken."""
    i = state.article(a.target)
    if i is None:
        return -1, _missing(a, "an article", day, state)
    if ids is None:
        return i, _lacks(a, doing, what)
    return i, _new_ids(state, a, ids, day, set())


def _add_to(state: State, step: Step, a: Amendment, day: str) -> Problem | None:
    ids = [c.id for c in a.clauses] if a.clauses else None
    i, problem = _into_article(state, a, day, "adds to", "clauses", ids)
    if problem:
        return problem
    section = state.sections[i]
    state.sections[i] = replace(section, clauses=section.clauses + a.clauses)
    state.touch(section.id, step)
    return None


def _insert_after(state: State, step: Step, a: Amendment, day: str) -> Problem | None:
    new = a.section
    ids = [new.id, *(c.id for c in new.clauses)] if new else None
    i, problem = _into_article(state, a, day, "inserts after", "section", ids)
    if problem or new is None:
        return problem
    state.sections.insert(i + 1, new)
    state.touch(new.id, step)
    return None


def _remove(state: State, step: Step, a: Amendment, day: str) -> Problem | None:
    i = state.article(a.target)
    if i is not None:
        gone = state.sections.pop(i)
        state.removed.update({k: step for k in (gone.id, *(c.id for c in gone.clauses))})
        return None
    at = state.member(a.target)
    if at is None:
        return _missing(a, "an article or member", day, state)
    i, j = at
    section = state.sections[i]
    if len(section.clauses) == 1:
        return Problem(
            "amend-incomplete",
            f"instruction '{a.id}' removes '{a.target}', the only member of article "
            f"'{section.id}'; remove the article instead",
        )
    state.sections[i] = replace(section, clauses=section.clauses[:j] + section.clauses[j + 1 :])
    state.removed[a.target] = step
    state.touch(section.id, step)
    return None


def _extend(state: State, step: Step, a: Amendment, day: str) -> Problem | None:
    if a.target not in state.terms:
        return Problem(
            "amend-unknown",
            f"instruction '{a.id}' extends '{a.target}', which is not the covenant's term "
            f"({', '.join(sorted(state.terms))}).{did_you_mean(a.target, state.terms)}",
        )
    if a.end is None:
        return _lacks(a, "extends", "end")
    if a.end <= state.end:
        return Problem(
            "amend-shortens",
            f"instruction '{a.id}' extends the term to {fmt.date_long(a.end)}, but on {day} it "
            f"already runs until {fmt.date_long(state.end)}: an extension must end later",
        )
    state.end = a.end
    state.terms.add(a.id)
    for section in state.sections:
        if any(c.period in state.terms for c in section.clauses):
            state.touch(section.id, step)
    return None


_HANDLERS = {
    "replace": _replace,
    "add_to": _add_to,
    "insert_after": _insert_after,
    "remove": _remove,
    "extend": _extend,
}


# ---------------------------------------------------------------------------------------------
# Composing


@dataclass(frozen=True)
class Version:
    """The covenant as it reads on ``day``: an Agreement (sections and term as amended) and,
    per article id, the steps that changed it up to that day."""

    day: dt.date
    agreement: Agreement
    history: dict[str, tuple[Step, ...]]
    steps: tuple[Step, ...]  # the steps that take effect on ``day`` itself


def compose(dossier: Dossier, day: dt.date) -> Version | None:
    """The text in force on ``day``; ``None`` when the base covenant's text is not recorded.

    Instructions that cannot be applied are skipped (the checks report them)."""
    base = base_text(dossier)
    if base is None or not base.has_text:
        return None
    state = start_state(base, dossier)
    today: list[Step] = []
    for step in steps(dossier):
        if step.effective is None or step.effective > day:
            continue
        if apply(state, step) is None and step.effective == day:
            today.append(step)
    term = replace(base.in_force, end=state.end)
    agreement = replace(base, sections=tuple(state.sections), in_force=term)
    history = {k: tuple(v) for k, v in state.history.items()}
    return Version(day, agreement, history, tuple(today))


def as_dossier(dossier: Dossier, version: Version) -> Dossier:
    """The dossier with the composed covenant as its only document, so numbers, references
    and the term are generated from the text as it reads on that day."""
    return replace(dossier, documents=(version.agreement,), accessions=())
