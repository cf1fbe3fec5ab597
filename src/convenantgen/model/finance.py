"""Articles that are not measures: financial arrangements, obligations and cited documents.

A clause may carry ``finance`` (amounts or shares, a total, "waarvan" parts, per kalenderjaar
or per schooljaar, for a period of any kind) and ``obligations`` (who does what, by when).
This module holds their model (frozen dataclasses built from validated YAML) and the plain
article text they render to; the sums are checked in :mod:`convenantgen.checks.finance`.
Every sentence comes from the wording (``agreement.finance_*``, ``agreement.obligation``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import Where
from ..text import formatting as fmt
from .dates import parse_iso_date

# "per kalenderjaar": the units a recurring amount or deadline may be given per.
PER_UNITS = ("kalenderjaar", "schooljaar", "jaar", "kwartaal", "maand")
QUARTER_WORDS = ("eerste", "tweede", "derde", "vierde")


@dataclass(frozen=True)
class PeriodSpec:
    """A period of any kind: a calendar year, a quarter, a school year, or dates."""

    year: int | None = None
    quarter: int | None = None  # 1-4, with year
    school_year: int | None = None  # first calendar year: 2021 for 2021-2022
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def span(self) -> tuple[dt.date, dt.date] | None:
        """First and last day."""
        if self.quarter and self.year:
            first = dt.date(self.year, 3 * self.quarter - 2, 1)
            nxt = dt.date(self.year + (self.quarter == 4), (3 * self.quarter) % 12 + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        if self.year:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        if self.school_year:
            return dt.date(self.school_year, 8, 1), dt.date(self.school_year + 1, 7, 31)
        if self.start and self.end:
            return self.start, self.end
        return None

    def label(self) -> str:
        """'2021', 'het derde kwartaal van 2021', 'schooljaar 2021–2022', or the dates."""
        if self.quarter and self.year:
            return f"het {QUARTER_WORDS[self.quarter - 1]} kwartaal van {self.year}"
        if self.year:
            return str(self.year)
        if self.school_year:
            return f"schooljaar {fmt.school_year_label(self.school_year)}"
        if self.start and self.end:
            return fmt.period_text(self.start, self.end)
        return ""


@dataclass(frozen=True)
class MoneyItem:
    """One line of a breakdown: an amount (euro) or a share (percent), maybe with parts."""

    id: str | None
    label: str
    value: float
    where: Where
    approximate: bool = False
    period: PeriodSpec | None = None
    parts: tuple[MoneyItem, ...] = ()  # "waarvan ..."
    complete: bool = True  # the parts add up to the value (false: a partial breakdown)


@dataclass(frozen=True)
class Finance:
    """A financial arrangement: items that add up to a total (or, partially, stay below it)."""

    where: Where
    unit: str  # "euro" | "percent"
    items: tuple[MoneyItem, ...]
    id: str | None = None
    total: float | None = None  # percent: 100 when not given
    approximate: bool = False  # the total is rounded
    tolerance: float = 0.0  # how far rounded amounts may be off, in the unit
    complete: bool = True
    per: str | None = None  # "kalenderjaar", ...
    millions: bool = False  # "€ 4,7 miljoen" rather than "€ 4.700.000"
    total_label: str | None = None

    @property
    def expected_total(self) -> float | None:
        if self.total is not None:
            return self.total
        return 100.0 if self.unit == "percent" else None


@dataclass(frozen=True)
class Obligation:
    """Who does what, by when: '<owner> <action> uiterlijk <deadline>.'"""

    id: str
    owner: str  # a party or party group id
    action: str
    where: Where
    deadline: dt.date | None = None
    per: str | None = None  # recurring: "jaarlijks" for kalenderjaar


# ---------------------------------------------------------------------------------------------
# Building from validated data


def _date(value) -> dt.date | None:
    return parse_iso_date(str(value))[0] if value is not None else None


def build_period(data: Mapping | None) -> PeriodSpec | None:
    if not data:
        return None
    quarter = data.get("quarter")
    school = data.get("school_year")
    return PeriodSpec(
        year=int(str(quarter)[:4]) if quarter else data.get("year"),
        quarter=int(str(quarter)[-1]) if quarter else None,
        school_year=int(str(school)[:4]) if school else None,
        start=_date(data.get("start")),
        end=_date(data.get("end")),
    )


def _item(data: Mapping, where: Where) -> MoneyItem:
    return MoneyItem(
        id=data.get("id"),
        label=str(data.get("label") or ""),
        value=float(data["value"]),
        where=where,
        approximate=bool(data.get("approximate")),
        period=build_period(data.get("period")),
        parts=tuple(
            _item(p, where.child("parts", i)) for i, p in enumerate(data.get("parts") or [])
        ),
        complete=bool(data.get("complete", True)),
    )


def build_finance(data: Mapping | None, where: Where) -> Finance | None:
    if not data:
        return None
    return Finance(
        where=where,
        unit=str(data.get("unit") or "euro"),
        items=tuple(_item(d, where.child("items", i)) for i, d in enumerate(data["items"])),
        id=data.get("id"),
        total=data.get("total"),
        approximate=bool(data.get("approximate")),
        tolerance=float(data.get("tolerance") or 0),
        complete=bool(data.get("complete", True)),
        per=data.get("per"),
        millions=bool(data.get("millions")),
        total_label=data.get("total_label"),
    )


def build_obligations(data, where: Where) -> tuple[Obligation, ...]:
    return tuple(
        Obligation(
            id=str(o["id"]),
            owner=str(o["owner"]),
            action=str(o["action"]),
            where=where.child(i),
            deadline=_date(o.get("deadline")),
            per=o.get("per"),
        )
        for i, o in enumerate(data or [])
    )


# ---------------------------------------------------------------------------------------------
# Text


def value_text(value: float, unit: str, *, millions: bool = False) -> str:
    """'€ 43.220.000', '€ 4,7 miljoen', '50%'."""
    if unit == "percent":
        return f"{fmt.number(value)}%"
    return fmt.euro(value, millions=millions)


def item_value(item: MoneyItem, finance: Finance, w) -> str:
    shown = value_text(item.value, finance.unit, millions=finance.millions)
    return w.text("agreement.finance_approximate", value=shown) if item.approximate else shown


def finance_paragraphs(finance: Finance, w) -> tuple[str, ...]:
    """The breakdown as article text: one line per item, then the total."""
    per = w.text("agreement.finance_per", unit=finance.per) if finance.per else ""
    lines = []
    for item in finance.items:
        parts = [
            w.text("agreement.finance_part", label=p.label, value=item_value(p, finance, w))
            for p in item.parts
        ]
        # Both are passed: an item with a label and a period shows both ("de rundveesector
        # (2021)"), an item with only a period is labelled by it.
        lines.append(
            w.text(
                "agreement.finance_item",
                label=item.label,
                period=item.period.label() if item.period else "",
                value=item_value(item, finance, w),
                per=per,
                parts=_join(parts),
            )
        )
    total = finance.total
    if total is not None:
        shown = value_text(total, finance.unit, millions=finance.millions)
        if finance.approximate:
            shown = w.text("agreement.finance_approximate", value=shown)
        lines.append(
            w.text(
                "agreement.finance_total",
                label=finance.total_label or "",
                value=shown,
                per=per,
            )
        )
    return tuple(lines)


def _join(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def obligation_text(obligation: Obligation, owner: str, w) -> str:
    return w.text(
        "agreement.obligation",
        owner=owner,
        action=obligation.action,
        deadline=fmt.date_long(obligation.deadline) if obligation.deadline else "",
        yearly=fmt.day_month(obligation.deadline) if obligation.deadline and obligation.per else "",
        per=obligation.per or "",
    )


# ---------------------------------------------------------------------------------------------
# Cited documents: a preceding covenant in the Staatscourant or in the Kamerstukken


@dataclass(frozen=True)
class Cited:
    """A document the text cites by ``{cite:ID}``: its title and where it was published."""

    id: str
    title: str
    where: Where
    staatscourant: tuple[int, str] | None = None  # (year, number)
    kamerstuk: tuple[str, str, str, str] | None = None  # (chamber, session, dossier, number)
    predecessor: bool = False

    @property
    def citation(self) -> str:
        """'Stcrt. 2019, 39306' or 'Kamerstukken II 2018/19, 29 683, nr. 248'."""
        if self.kamerstuk:
            return kamerstuk_citation(self.kamerstuk)
        if self.staatscourant:
            return f"Stcrt. {self.staatscourant[0]}, {self.staatscourant[1]}"
        return ""

    def text(self) -> str:
        return f"{self.title} ({self.citation})" if self.citation else self.title


def build_kamerstuk(data: Mapping | None) -> tuple[str, str, str, str] | None:
    """(chamber, session, dossier, number) of a validated ``kamerstuk:`` block."""
    if not data:
        return None
    return (
        str(data.get("chamber") or "II"),
        str(data["session"]),
        str(data["dossier"]),
        str(data["number"]),
    )


def kamerstuk_citation(kamerstuk: tuple[str, str, str, str]) -> str:
    """'Kamerstukken II 2018/19, 29 683, nr. 248'."""
    chamber, session, dossier, number = kamerstuk
    return f"Kamerstukken {chamber} {session}, {dossier}, nr. {number}"


def build_cites(data, where: Where) -> tuple[Cited, ...]:
    out = []
    for i, c in enumerate(data or []):
        stcrt, kst = c.get("staatscourant"), c.get("kamerstuk")
        out.append(
            Cited(
                id=str(c["id"]),
                title=str(c["title"]),
                where=where.child(i),
                staatscourant=(int(stcrt["year"]), str(stcrt["number"])) if stcrt else None,
                kamerstuk=build_kamerstuk(kst),
                predecessor=bool(c.get("predecessor")),
            )
        )
    return tuple(out)


def session_problem(session: str) -> str | None:
    """Why a parliamentary session '2018/19' is impossible, or None."""
    first, _, second = session.partition("/")
    if int(second) != (int(first) + 1) % 100:
        return (
            f"session '{session}' does not run over two successive years; did you mean "
            f"'{first}/{(int(first) + 1) % 100:02d}'?"
        )
    return None
