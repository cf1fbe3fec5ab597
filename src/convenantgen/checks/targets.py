"""Rules on targets: values possible for their unit, meaningful comparators, baselines,
conflicting targets for one indicator, component sums and hard-coded values in text."""

from __future__ import annotations

import re

from ..model.derive import target_period
from ..model.dossier import Dossier, Target
from ..model.references import TARGET_PLACEHOLDER_RE, Index
from ..text import formatting as fmt
from .registry import Sink

DOMAINS: dict[str, tuple[float | None, float | None]] = {
    "percent": (0, 100),
    "count": (0, None),
    "fte": (0, None),
    "hours": (0, None),
    "grade": (1, 10),
    "euro": (0, None),
    "factor": (0, None),
}


def check_targets(dossier: Dossier, index: Index, report: Sink) -> None:
    by_id = {t.id: t for t in dossier.targets()}
    cycles: set[frozenset[str]] = set()
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
        if "baseline" in placeholders and (t.baseline is None or t.baseline.value is None):
            report(
                "target-incomplete",
                f"target '{t.id}' text uses {{baseline}} but the target has no baseline.value",
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
        base = t.baseline.value if t.baseline else None
        if (
            base is not None
            and base != t.value
            and "baseline" not in placeholders
            and re.search(rf"(?<![\d,]){re.escape(fmt.number(base))}(?![\d,])", t.text)
        ):
            report(
                "target-text-value",
                f"target '{t.id}' text hard-codes its baseline {fmt.number(base)}; write "
                "{baseline} so the text always shows the baseline in the data",
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
        if t.components and not _component_cycle(t, by_id, report, cycles):
            _check_components(t, by_id, dossier, report)
    _check_conflicts(dossier, list(by_id.values()), report)


def _check_value(t: Target, unit: str, report: Sink) -> None:
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


def _component_cycle(t: Target, by_id: dict, report: Sink, cycles: set) -> bool:
    """Report (once) when following ``components`` from ``t`` leads back to ``t``."""
    stack = [(c, [t.id, c]) for c in reversed(t.components)]
    seen: set[str] = set()
    while stack:
        current, path = stack.pop()
        if current == t.id:
            if frozenset(path) in cycles:  # the same loop, found from another member
                return True
            cycles.add(frozenset(path))
            report(
                "target-components",
                f"target '{t.id}' is made up of itself ({' → '.join(path)}); components may "
                "not refer back to the total",
                t.where.child("components"),
                t.id,
            )
            return True
        if current in seen or current not in by_id:
            continue
        seen.add(current)
        stack += [(c, [*path, c]) for c in reversed(by_id[current].components)]
    return False


def _check_components(t: Target, by_id: dict, dossier: Dossier, report: Sink) -> None:
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


def _check_conflicts(dossier: Dossier, targets: list[Target], report: Sink) -> None:
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
