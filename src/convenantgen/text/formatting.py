"""Dutch formatting of dates, numbers, units and counts, all through Babel (never strftime)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal
from babel.units import format_unit

LOCALE = "nl_NL"

_CARDINALS = {
    1: "een",
    2: "twee",
    3: "drie",
    4: "vier",
    5: "vijf",
    6: "zes",
    7: "zeven",
    8: "acht",
    9: "negen",
    10: "tien",
    11: "elf",
    12: "twaalf",
    13: "dertien",
    14: "veertien",
    15: "vijftien",
    16: "zestien",
    17: "zeventien",
    18: "achttien",
    19: "negentien",
    20: "twintig",
}
_TENS = {
    2: "twintig",
    3: "dertig",
    4: "veertig",
    5: "vijftig",
    6: "zestig",
    7: "zeventig",
    8: "tachtig",
    9: "negentig",
}


def date_long(day: dt.date) -> str:
    """``31 december 2025``."""
    return format_date(day, "d MMMM y", locale=LOCALE)


def month_year(day: dt.date) -> str:
    return format_date(day, "MMMM y", locale=LOCALE)


def period_text(start: dt.date | None, end: dt.date) -> str:
    """``1 augustus 2024 tot en met 31 december 2025``."""
    if start is None:
        return f"tot en met {date_long(end)}"
    return f"{date_long(start)} tot en met {date_long(end)}"


def number(value: float | int, decimals: int | None = None) -> str:
    """Dutch decimal notation: ``7,0`` for a grade, ``1.000`` for thousands."""
    if decimals is not None:
        pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
        return format_decimal(value, format=pattern, locale=LOCALE)
    if float(value).is_integer():
        return format_decimal(int(value), locale=LOCALE)
    return format_decimal(value, locale=LOCALE)


def cardinal(n: int) -> str:
    """Dutch number word for 1..99 (used for 'in vijfvoud'); digits beyond that."""
    if n in _CARDINALS:
        return _CARDINALS[n]
    if 20 < n < 100:
        tens, unit = divmod(n, 10)
        if unit == 0:
            return _TENS[tens]
        joiner = "ën" if _CARDINALS[unit].endswith("e") else "en"
        return f"{_CARDINALS[unit]}{joiner}{_TENS[tens]}"
    return str(n)


def copies_word(n: int) -> str:
    """``vijfvoud``, ``tweevoud``; ``15-voud`` beyond the words."""
    word = cardinal(n)
    if word.isdigit():
        return f"{word}-voud"
    if n == 1:
        return "enkelvoud"
    return f"{word}voud"


UNIT_WORDS = {
    "percent": "%",
    "fte": "FTE",
    "hours": "uur",
    "euro": "euro",
    "grade": "",
    "factor": "x",
    "count": "",
}

COMPARATOR_WORDS = {
    "<": "kleiner dan",
    "<=": "ten hoogste",
    ">": "groter dan",
    ">=": "ten minste",
    "=": "gelijk aan",
}


def quantity(
    value: float | int, unit: str, counted: str | None = None, decimals: int | None = None
) -> str:
    """A value with its unit, Dutch style: ``10%``, ``24 FTE``, ``7,0``, ``€ 1.000``, ``1,5x``.

    ``decimals`` fixes the number of decimals (an indicator's ``decimals``: ``€ 10,00``).
    """
    shown = number(value, decimals) if decimals is not None else number(value)
    if unit == "percent":
        return f"{shown}%"
    if unit == "grade":
        return number(value, 1 if decimals is None else decimals)
    if unit == "euro":
        if decimals is None:
            shown = number(value, 2 if not float(value).is_integer() else 0)
        return f"€ {shown}"
    if unit == "factor":
        return f"{shown}x"
    if unit == "count":
        return f"{shown} {counted}" if counted else shown
    return f"{shown} {UNIT_WORDS.get(unit, unit)}".strip()


def indicator_quantity(value: float | int, indicator) -> str:
    """``quantity`` with the unit, counted noun and decimals of a model ``Indicator``."""
    return quantity(value, indicator.unit, indicator.counted, indicator.decimals)


def school_year_label(start_year: int) -> str:
    """``2024–2025`` (en dash, as in Dutch school-year notation)."""
    return f"{start_year}–{start_year + 1}"


def euro(value: float | int, *, millions: bool = False) -> str:
    """``€ 43.220.000``; with ``millions`` ``€ 4,7 miljoen`` (at most two decimals)."""
    if millions:
        return f"€ {format_decimal(value / 1_000_000, format='#,##0.##', locale=LOCALE)} miljoen"
    if float(value).is_integer():
        return f"€ {number(int(value))}"
    return f"€ {number(value, 2)}"


def day_month(day: dt.date) -> str:
    """``1 april``: a yearly deadline."""
    return format_date(day, "d MMMM", locale=LOCALE)


def roman(n: int) -> str:
    """1 -> 'I', 4 -> 'IV', 12 -> 'XII': the numeral of a part of the text."""
    out = ""
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        count, n = divmod(n, value)
        out += letters * count
    return out


def file_size(size: int) -> str:
    """A file's size as a reader knows it: ``245 kB``, ``1,2 MB`` (decimal units, at least
    ``1 kB``: a size in bytes tells a reader nothing more)."""
    kilobytes = max(1, round(size / 1000))
    if kilobytes < 1000:
        return format_unit(kilobytes, "digital-kilobyte", length="short", locale=LOCALE)
    megabytes = round(size / 1_000_000, 1)
    return format_unit(
        megabytes, "digital-megabyte", length="short", format="#,##0.#", locale=LOCALE
    )


def plain_number(value: float | int) -> str:
    """A number for a Dutch spreadsheet: decimal comma, no thousands separator (a ``.`` in
    ``1.234`` would be read as a decimal point by a spreadsheet in another language)."""
    if float(value).is_integer():
        return str(int(value))
    return format_decimal(value, format="0.##########", locale=LOCALE)


def date_numeric(day: dt.date) -> str:
    """``01-08-2024``: a date as a Dutch spreadsheet reads it (dd-mm-jjjj)."""
    return format_date(day, "dd-MM-yyyy", locale=LOCALE)
