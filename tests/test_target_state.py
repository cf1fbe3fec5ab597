"""How a target is doing on a date (``domain.target_state``): every state and its boundaries.

The rule: the latest result of a school year that has begun by the date decides; after the end
of the period it is measured against the target is met or missed, up to and including that
day it is on track or behind. The period is the result's school year for a target per school
year, else the target's own period, else the term of the agreement that lists its measure
(for Almere's measure A: the addendum, 1 August 2024 to 31 December 2025).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

import bundled
import pytest

from convenantgen.model import derive as domain
from convenantgen.model.dossier import Result


@functools.cache
def _almere():
    return next(d for d in bundled.bundled_loaded().dossiers if d.id == "almere")


def _target(target_id: str, *results: tuple[str, float, bool], **changes):
    dossier = _almere()
    target = next(t for m in dossier.measures for t in m.targets if t.id == target_id)
    where = target.where
    found = tuple(Result(year, value, where, illustrative=ill) for year, value, ill in results)
    return dossier, dataclasses.replace(target, results=found, **changes)


def _state(target_id, day, *results, **changes) -> domain.TargetState:
    dossier, target = _target(target_id, *results, **changes)
    return domain.target_state(dossier, target, day)


# a-uitval-starters: uitval "<" 10 (percent) over the addendum's term, ending 31 December 2025.
END = dt.date(2025, 12, 31)


@pytest.mark.parametrize(
    ("day", "value", "expected"),
    [
        (END, 8, domain.ON_TRACK),  # the last day of the period: still running
        (END, 12, domain.BEHIND),
        (END + dt.timedelta(days=1), 8, domain.MET),  # the day after: decided
        (END + dt.timedelta(days=1), 12, domain.MISSED),
        (END + dt.timedelta(days=1), 10, domain.MISSED),  # "<" 10: 10 itself does not meet it
        (END + dt.timedelta(days=1), 9.99, domain.MET),
    ],
)
def test_a_target_over_a_period_is_decided_after_its_end(day, value, expected):
    found = _state("a-uitval-starters", day, ("2024-2025", value, False))
    assert found.state == expected
    assert found.period_end == END
    assert found.result is not None and found.result.value == value
    assert found.illustrative is False


def test_the_latest_result_decides_not_the_best():
    found = _state(
        "a-uitval-starters",
        dt.date(2026, 3, 1),
        ("2024-2025", 8, False),
        ("2025-2026", 11, False),
    )
    assert found.state == domain.MISSED
    assert found.result.school_year == "2025-2026"


def test_a_result_of_a_school_year_not_yet_begun_does_not_count():
    results = (("2024-2025", 12, False), ("2025-2026", 8, False))
    before = _state("a-uitval-starters", dt.date(2025, 7, 31), *results)
    assert before.state == domain.BEHIND and before.result.school_year == "2024-2025"
    on_the_day = _state("a-uitval-starters", dt.date(2025, 8, 1), *results)
    assert on_the_day.state == domain.ON_TRACK and on_the_day.result.school_year == "2025-2026"
    only_future = _state("a-uitval-starters", dt.date(2024, 7, 31), ("2024-2025", 8, False))
    assert only_future.state == domain.UNMEASURED and only_future.result is None


def test_without_results_a_target_is_not_yet_measured():
    found = _state("a-uitval-starters", dt.date(2026, 6, 1))
    assert found == domain.TargetState(domain.UNMEASURED, None, False, None)


def test_without_a_norm_a_target_has_no_state_to_reach():
    # b-werkdruk is qualitative: no comparator, no value.
    found = _state("b-werkdruk", dt.date(2026, 6, 1), ("2024-2025", 3, True))
    assert found.state == domain.NO_NORM
    assert found.illustrative is True and found.period_end is None
    assert _state("b-werkdruk", dt.date(2026, 6, 1)).state == domain.NO_NORM


def test_a_target_per_school_year_is_measured_against_the_results_school_year():
    # e-zij-instromers: at least 40 per school year.
    results = (("2024-2025", 43, True),)
    assert _state("e-zij-instromers", dt.date(2025, 7, 31), *results).state == domain.ON_TRACK
    after = _state("e-zij-instromers", dt.date(2025, 8, 1), *results)
    assert after.state == domain.MET and after.period_end == dt.date(2025, 7, 31)
    short = (("2024-2025", 39, False),)
    assert _state("e-zij-instromers", dt.date(2025, 3, 1), *short).state == domain.BEHIND
    assert _state("e-zij-instromers", dt.date(2025, 8, 1), *short).state == domain.MISSED


def test_an_own_period_overrides_the_agreements_term():
    period = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    found = _state(
        "c-leraarondersteuners", dt.date(2025, 1, 1), ("2024-2025", 20, False), period=period
    )
    assert found.state == domain.MET and found.period_end == dt.date(2024, 12, 31)


def test_the_deciding_result_says_whether_the_state_is_illustrative():
    mixed = (("2024-2025", 12, False), ("2025-2026", 8, True))
    found = _state("a-uitval-starters", dt.date(2026, 1, 1), *mixed)
    assert (found.state, found.illustrative) == (domain.MET, True)
    found = _state("a-uitval-starters", dt.date(2025, 9, 1), ("2025-2026", 8, False))
    assert (found.state, found.illustrative) == (domain.ON_TRACK, False)


def test_equal_comparator_uses_a_tolerance():
    assert domain.meets(0.1 + 0.2, "=", 0.3) is True
    assert domain.meets(5, None, 4) is None
    assert domain.meets(5, ">", None) is None
