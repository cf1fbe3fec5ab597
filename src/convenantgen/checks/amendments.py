"""Rules on amendment instructions: each one must apply to the text as it reads on its date.

The instructions are replayed in order with :func:`convenantgen.model.in_force.apply`, the same
function that composes the text in force, so what the checks accept is what is rendered.
"""

from __future__ import annotations

import datetime as dt

from ..model.derive import ONE_DAY, dossier_term
from ..model.dossier import Dossier
from ..model.in_force import Step, apply, base_text, start_state, steps
from ..model.references import Index
from ..text import formatting as fmt
from .registry import Sink

# Actions that may name the same article on the same day: their order does not matter.
_COMPATIBLE = {
    frozenset({"add_to"}),
    frozenset({"insert_after", "replace"}),
    frozenset({"insert_after", "add_to"}),
}


def check_amendments(dossier: Dossier, index: Index, report: Sink) -> None:
    todo = steps(dossier)
    if not todo:
        return
    base = base_text(dossier)
    if base is None or not base.has_text:
        # A covenant recorded by reference lists the published articles addenda refer to: an
        # instruction naming one of them (or extending its term) is kept for the day the
        # covenant's text is recorded; nothing can be composed before then.
        listed = {art.id for art in base.articles} if base is not None else set()
        term = base.in_force.id if base is not None else None
        for step in todo:
            a = step.amendment
            if (a.action == "extend" and a.target == term) or (
                a.action not in ("extend", "") and a.target in listed
            ):
                continue
            name = f"'{base.id}'" if base is not None else "of this dossier"
            report(
                "amend-unknown",
                f"instruction '{a.id}' amends the covenant {name}, whose text is not recorded "
                "(only a reference): give the covenant its sections, or leave the instruction out",
                a.where.child(a.action or "id"),
                a.id,
            )
        return
    state = start_state(base, dossier)
    term = dossier_term(dossier, index)
    final_end = term.final_end if term is not None else base.in_force.end
    seen: dict[tuple[dt.date, str], list[Step]] = {}
    for step in todo:
        a = step.amendment
        when = a.where.child("effective") if a.effective else a.where.child("id")
        if step.effective is None:
            report(
                "amend-date",
                f"instruction '{a.id}' has no date: give it 'effective', or its addendum "
                f"'{step.addendum.id}' a start in in_force",
                when,
                a.id,
            )
            continue
        day = fmt.date_long(step.effective)
        start = base.in_force.start
        if start is not None and step.effective < start:
            report(
                "amend-date",
                f"instruction '{a.id}' takes effect on {day}, before the covenant starts on "
                f"{fmt.date_long(start)}",
                when,
                a.id,
            )
            continue
        # A change may take effect until the (finally extended) end; an extension may also start
        # the day after the end it continues, never after a lapse.
        end = state.end if a.action == "extend" else final_end
        if step.effective > end + (ONE_DAY if a.action == "extend" else dt.timedelta()):
            report(
                "amend-date",
                f"instruction '{a.id}' takes effect on {day}, after the covenant's term ends on "
                f"{fmt.date_long(end)}",
                when,
                a.id,
            )
            continue
        same = seen.setdefault((step.effective, a.target), [])
        clash = next(
            (p for p in same if frozenset({p.amendment.action, a.action}) not in _COMPATIBLE),
            None,
        )
        same.append(step)
        if clash is not None:
            report(
                "amend-conflict",
                f"instructions '{clash.amendment.id}' ({clash.amendment.action}) and '{a.id}' "
                f"({a.action}) both change '{a.target}' on {day}; give them different dates or "
                "merge them",
                a.where.child(a.action),
                a.id,
            )
            continue
        problem = apply(state, step)
        if problem is not None:
            field = {"amend-shortens": "end", "id-duplicate": "id"}.get(problem.code, a.action)
            report(problem.code, problem.message, a.where.child(field or "id"), a.id)
