"""Amounts and duties in article text: finance items and obligations, verified by rendering.

A run of lines such as "de rundveesector: € 23.500.000;" ... "Samen: € 43.220.000." at the end
of a clause becomes a ``finance:`` arrangement, and "<party> <action>, uiterlijk op <date>."
an obligation, but only when the engine's own renderer writes exactly the lines of the source
back from the data; otherwise the lines stay article text, verbatim.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ...errors import Where
from ...model.finance import build_finance, build_obligations, finance_paragraphs, obligation_text
from ...text.wording import Wording
from . import patterns as pt

_WHERE = Where(Path("import"))
_VALUE_RE = re.compile(
    r"€ ?(?P<number>[\d.]+(?:,\d+)?)(?P<millions> miljoen)?|(?P<pct>\d+(?:,\d+)?)%"
)
_PART_RE = re.compile(
    r"(?P<value>(?:circa )?€ ?[\d.]+(?:,\d+)?(?: miljoen)?|\d+(?:,\d+)?%) (?P<label>.+)$"
)
_OBLIGATION_RE = re.compile(
    r"^(?P<rest>.+?), (?:elk (?P<per>kalenderjaar|schooljaar) uiterlijk op (?P<yearly>\d{1,2} \w+)"
    r"|uiterlijk op (?P<deadline>\d{1,2} \w+ \d{4}))\.$"
)


def _amount(text: str) -> tuple[float, bool, str] | None:
    """(value, millions, unit) of '€ 23.500.000', '€ 4,7 miljoen' or '50%'."""
    m = _VALUE_RE.search(text)
    if not m:
        return None
    if m.group("pct"):
        return float(m.group("pct").replace(",", ".")), False, "percent"
    number = float(m.group("number").replace(".", "").replace(",", "."))
    if m.group("millions"):
        return round(number * 1_000_000, 2), True, "euro"
    return number, False, "euro"


def _clean_number(value: float):
    return int(value) if float(value).is_integer() else value


def finance_from(lines: list[str], w: Wording) -> tuple[dict, int] | None:
    """The finance of the trailing lines of a clause, and how many lines it covers."""
    best = None
    for start in range(len(lines)):
        run = lines[start:]
        data = _finance(run)
        if data is None:
            continue
        try:
            rendered = finance_paragraphs(build_finance(data, _WHERE), w)
        except (KeyError, ValueError, TypeError):
            continue
        if list(rendered) == run:
            best = (data, len(run))
            break
    return best


def _finance(run: list[str]) -> dict | None:
    if not run:
        return None
    items, total_line = run, None
    if re.match(r"^[^:]{1,40}: (?:circa )?(?:€|\d)", run[-1]) and run[-1].endswith("."):
        items, total_line = run[:-1], run[-1]
    if not items:
        return None
    data: dict = {"items": []}
    units, millions, pers = set(), set(), set()
    for line in items:
        m = pt.FINANCE_ITEM_RE.match(line)
        if not m or m.group("end") != ";":
            return None
        amount = _amount(m.group("value"))
        if amount is None:
            return None
        value, in_millions, unit = amount
        units.add(unit)
        millions.add(in_millions)
        pers.add(m.group("per"))
        label = m.group("label").strip()
        item: dict = {}
        if re.fullmatch(r"\d{4}", label):
            item["period"] = {"year": int(label)}
        else:
            item["label"] = label
        item["value"] = _clean_number(value)
        if m.group("approx"):
            item["approximate"] = True
        if m.group("parts"):
            parts = []
            for piece in re.split(r", | en (?=(?:circa )?€|\d)", m.group("parts")):
                pm = _PART_RE.match(piece.strip())
                if not pm or _amount(pm.group("value")) is None:
                    return None
                part = {
                    "label": pm.group("label"),
                    "value": _clean_number(_amount(pm.group("value"))[0]),
                }
                if pm.group("value").startswith("circa "):
                    part["approximate"] = True
                parts.append(part)
            item["parts"] = parts
            if abs(sum(p["value"] for p in parts) - item["value"]) > 0.005:
                item["complete"] = False
        data["items"].append(item)
    if len(units) != 1 or len(pers) != 1:
        return None
    unit = units.pop()
    if unit == "percent":
        data = {"unit": "percent", **data}
    if True in millions:
        data["millions"] = True
    per = pers.pop()
    if per:
        data["per"] = per.split()[-1]
    if total_line:
        label, _, rest = total_line.partition(": ")
        amount = _amount(rest)
        if amount is None:
            return None
        data["total"] = _clean_number(amount[0])
        if label != "Totaal":
            data["total_label"] = label
        if rest.startswith("circa "):
            data["approximate"] = True
            # Rounded amounts: sums may be off by half the last shown digit.
            data["tolerance"] = 50000 if data.get("millions") else 0.5
        elif sum(i["value"] for i in data["items"]) < data["total"] - 0.005:
            # The items stay below the total: a partial breakdown, as in the text.
            data["complete"] = False
    return data


def obligation_from(line: str, owners: dict[str, str], term_start: dt.date | None, w, ids):
    """An obligation when ``line`` renders back exactly; ``owners`` maps names to ids."""
    m = _OBLIGATION_RE.match(line)
    if not m:
        return None
    rest = m.group("rest")
    owner = next(
        (name for name in sorted(owners, key=len, reverse=True) if rest.startswith(name + " ")),
        None,
    )
    if owner is None:
        return None
    action = rest[len(owner) + 1 :]
    data = {
        "id": ids.make(f"{owners[owner]} {action}", 40),
        "owner": owners[owner],
        "action": action,
    }
    if m.group("deadline"):
        from_text = _date(m.group("deadline"))
        if from_text is None:
            return None
        data["deadline"] = from_text.isoformat()
    else:
        year = term_start.year if term_start else 2000
        day = _date(f"{m.group('yearly')} {year}")
        if day is None:
            return None
        if term_start and day < term_start:
            day = day.replace(year=year + 1)
        data["deadline"] = day.isoformat()
        data["per"] = m.group("per")
    (built,) = build_obligations([data], _WHERE)
    if obligation_text(built, owner, w) != line:
        return None
    return data


def _date(text: str) -> dt.date | None:
    m = pt.DATE_LONG_RE.fullmatch(text.strip())
    if not m:
        return None
    try:
        return dt.date(
            int(m.group("year")), pt.MONTHS.index(m.group("month")) + 1, int(m.group("day"))
        )
    except ValueError:
        return None
