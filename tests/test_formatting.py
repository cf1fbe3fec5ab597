"""Dutch formatting through Babel: dates, numbers, units and 'in vijfvoud'."""

from __future__ import annotations

import datetime as dt

import pytest

from convenantgen.text import formatting as fmt


def test_dates_are_written_out_in_dutch():
    assert fmt.date_long(dt.date(2025, 12, 31)) == "31 december 2025"
    assert fmt.date_long(dt.date(2024, 8, 1)) == "1 augustus 2024"
    assert fmt.period_text(dt.date(2024, 8, 1), dt.date(2025, 12, 31)) == (
        "1 augustus 2024 tot en met 31 december 2025"
    )


@pytest.mark.parametrize(
    ("value", "unit", "counted", "decimals", "expected"),
    [
        (10, "percent", None, None, "10%"),
        (7.0, "grade", None, None, "7,0"),
        (24, "fte", None, None, "24 FTE"),
        (4, "hours", None, None, "4 uur"),
        (40, "count", "zij-instromers", None, "40 zij-instromers"),
        (1000, "euro", None, None, "€ 1.000"),
        (17.5, "euro", None, None, "€ 17,50"),
        (10, "euro", None, 2, "€ 10,00"),
        (1.5, "factor", None, None, "1,5x"),
    ],
)
def test_quantities(value, unit, counted, decimals, expected):
    assert fmt.quantity(value, unit, counted, decimals) == expected


COPIES = [
    (2, "tweevoud"),
    (5, "vijfvoud"),
    (15, "vijftienvoud"),
    (21, "eenentwintigvoud"),
    (23, "drieëntwintigvoud"),
    (150, "150-voud"),
]


@pytest.mark.parametrize(("n", "word"), COPIES)
def test_copies_words(n, word):
    assert fmt.copies_word(n) == word


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0, "1 kB"),  # never "0 kB": a file that is there has a size
        (245_400, "245 kB"),
        (999_499, "999 kB"),
        (999_600, "1 MB"),  # not "1.000 kB"
        (1_249_000, "1,2 MB"),
        (12_345_678, "12,3 MB"),
    ],
)
def test_file_sizes_in_dutch(size, expected):
    assert fmt.file_size(size) == expected


def test_numbers_and_dates_for_a_dutch_spreadsheet():
    assert fmt.plain_number(17.5) == "17,5"
    assert fmt.plain_number(1234567.25) == "1234567,25"  # no thousands separator
    assert fmt.plain_number(40) == "40" and fmt.plain_number(10.0) == "10"
    assert fmt.plain_number(-2.5) == "-2,5"
    assert fmt.date_numeric(dt.date(2016, 8, 1)) == "01-08-2016"
