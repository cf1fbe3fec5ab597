"""Rules on financial arrangements and obligations: sums, shares, "waarvan" parts, owners and
deadlines. Rounded amounts (``approximate``) may differ by the finance's ``tolerance``."""

from __future__ import annotations

from ..errors import did_you_mean
from ..model.dossier import Dossier
from ..model.finance import Finance, MoneyItem, session_problem, value_text
from ..model.references import Index
from ..text.formatting import date_long, period_text
from .registry import Sink


def check_finance(dossier: Dossier, index: Index, report: Sink) -> None:
    # A covenant known by a Kamerstuk may have no text: every document, not only agreements.
    for doc in dossier.documents:
        problem = session_problem(doc.kamerstuk[1]) if doc.kamerstuk else None
        if problem:
            where = doc.where.child("kamerstuk", "session")
            report("citation-session", f"'{doc.id}': {problem}", where, doc.id)
    for agreement in dossier.agreements:
        for _, clause in agreement.clauses():
            if clause.finance:
                _check_breakdown(clause.finance, clause.id, report)
            for duty in clause.obligations:
                for finding in _duty_findings(dossier, agreement, duty):
                    report(*finding)
        for cited in agreement.cites:
            problem = session_problem(cited.kamerstuk[1]) if cited.kamerstuk else None
            if problem:
                where = cited.where.child("kamerstuk", "session")
                report("citation-session", f"'{cited.id}': {problem}", where, cited.id)


def _duty_findings(dossier: Dossier, agreement, duty) -> list[tuple]:
    """(code, message, where, subject) of what is wrong with one obligation."""
    found = []
    if dossier.party(duty.owner) is None and dossier.group(duty.owner) is None:
        options = [p.id for p in dossier.parties] + [g.id for g in dossier.groups]
        hint = did_you_mean(duty.owner, options)
        message = f"'{duty.owner}' is not a party or party group id.{hint}"
        found.append(("ref-unknown", message, duty.where.child("owner"), duty.owner))
    term = agreement.in_force
    if duty.deadline and not duty.per and not term.contains(duty.deadline):
        message = (
            f"obligation '{duty.id}' is due {date_long(duty.deadline)}, outside the term of "
            f"'{agreement.id}' ({period_text(term.start, term.end)})"
        )
        found.append(("obligation-deadline", message, duty.where.child("deadline"), duty.id))
    return found


def _check_breakdown(finance: Finance, subject: str, report: Sink) -> None:
    def show(value: float) -> str:
        return value_text(value, finance.unit)

    for item in finance.items:
        for value_of in (item, *item.parts):
            if finance.unit == "percent" and value_of.value > 100:
                report(
                    "finance-share",
                    f"share {show(value_of.value)} of '{_name(value_of)}' is more than 100%",
                    value_of.where.child("value"),
                    value_of.id or subject,
                )
        if item.parts:
            total = sum(p.value for p in item.parts)
            _compare(
                total,
                item.value,
                item.complete,
                finance.tolerance,
                f"the parts of '{_name(item)}' ('waarvan')",
                show,
                report,
                item.where.child("value"),
                item.id or subject,
            )
    expected = finance.expected_total
    if expected is not None:
        _compare(
            sum(i.value for i in finance.items),
            expected,
            finance.complete,
            finance.tolerance,
            "the items",
            show,
            report,
            finance.where.child("total" if finance.total is not None else "items"),
            finance.id or subject,
        )


def _compare(total, whole, complete, tolerance, what, show, report, where, subject) -> None:
    off = total - whole
    if off > tolerance + 1e-9:
        report(
            "finance-sum",
            f"{what} add up to {show(total)}, more than the whole {show(whole)} (by "
            f"{show(off)}{_tolerance(tolerance, show)})",
            where,
            subject,
        )
    elif complete and -off > tolerance + 1e-9:
        report(
            "finance-sum",
            f"{what} add up to {show(total)}, not {show(whole)} ({show(-off)} short"
            f"{_tolerance(tolerance, show)}); set complete: false for a partial breakdown",
            where,
            subject,
        )


def _tolerance(tolerance: float, show) -> str:
    return f", tolerance {show(tolerance)}" if tolerance else ""


def _name(item: MoneyItem) -> str:
    return item.label or item.id or (item.period.label() if item.period else "")
