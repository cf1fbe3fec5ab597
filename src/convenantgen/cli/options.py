"""The options several commands share, and their parsing: light enough for ``build`` to
decide "nothing changed" before the stages are imported (:mod:`.build`)."""

from __future__ import annotations

import argparse
import datetime as dt
import os

from ..errors import UsageError
from ..model.dates import parse_iso_date


def reference_day(args: argparse.Namespace) -> dt.date:
    """The command's reference date, resolved once: ``--reference-date``, else today. Every
    stage below gets this one date, so a run that crosses midnight speaks of one day."""
    return getattr(args, "reference_date", None) or dt.date.today()


# The reference date becomes SOURCE_DATE_EPOCH and the site's gzip timestamps (32-bit
# seconds since 1970): only dates in that range.
FIRST_REFERENCE_DATE, LAST_REFERENCE_DATE = "1970-01-01", "2106-02-06"


def reference_date_arg(text: str):
    """``--reference-date``: a real date between 1970 and 2106."""

    day, problem = parse_iso_date(text)
    if day is None:
        raise argparse.ArgumentTypeError(problem)
    if not FIRST_REFERENCE_DATE <= day.isoformat() <= LAST_REFERENCE_DATE:
        raise argparse.ArgumentTypeError(
            f"{text} is outside {FIRST_REFERENCE_DATE} – {LAST_REFERENCE_DATE}"
        )
    return day


def env_seconds(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    try:
        seconds = float(value) if value else default
    except ValueError:
        raise UsageError(f"${name} is '{value}', not a number of seconds") from None
    if not 0 < seconds < 86400:
        raise UsageError(f"${name} must be between 0 and 86400 seconds")
    return seconds


def add_no_cache_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="render and convert everything afresh; neither read nor write the build cache",
    )


def add_project_option(parser: argparse.ArgumentParser, *, default) -> None:
    parser.add_argument(
        "--project",
        metavar="DIR",
        default=default,
        help="the covenant project (default: the nearest folder with convenantgen.yml)",
    )
