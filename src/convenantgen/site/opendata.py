"""Open data for the public site: dossiers, measures, targets, results and parties as JSON and CSV.

One table per file, the same records in every format: JSON keeps types (numbers, booleans,
lists), CSV joins lists with ``;``. Keys follow the YAML format's English names so the data
and the source files read alike. Output is deterministic: fixed column order, ``\\n`` line
ends, no timestamps (the reference date is the only date that is not from the content).

Beside each machine CSV a spreadsheet CSV for Excel and LibreOffice in Dutch
(:func:`to_spreadsheet_csv`): UTF-8 with a byte order mark (else Excel reads it as ANSI),
``;`` between cells (a Dutch spreadsheet's list separator; a comma is its decimal sign),
column headers from the wording (``spreadsheet``), numbers with a decimal comma and no
grouping, dates as dd-mm-jjjj, yes/no in words and CRLF line ends. The machine CSV stays as
it was: programs that read it do not change with the spreadsheet's needs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from numbers import Number

from ..context.charts import met
from ..context.site import DossierFacts, school_year_text, target_row
from ..model.derive import bound_on, covenant
from ..text import formatting as fmt
from ..text.wording import Wording

# The tables, in the order the open-data page lists them (its template describes each).
TABLES = ("dossiers", "maatregelen", "doelen", "resultaten", "partijen")


def _day(day: dt.date | None) -> dt.date | None:
    """A date of a record: kept as a date, so each format writes it its own way."""
    return day or None


# The states by their names in the wording ("lopend"), as the site shows them.
_WORDS = Wording.default()


def records(dossiers: list[DossierFacts]) -> dict[str, list[dict]]:
    """Every table as a list of flat records (values: str, number, bool, date, None or list)."""

    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    for sd in dossiers:
        d = sd.dossier
        base = covenant(d)
        citation = None
        if base is not None:
            cite = (base.publication.citation if base.publication else None) or base.citation
            citation = str(cite) if cite else None
        out["dossiers"].append(
            {
                "id": d.id,
                "title": d.title,
                "short_title": d.short_title,
                "citation": citation,
                "start": _day(sd.term.start) if sd.term else None,
                "end": _day(sd.term.end) if sd.term else None,
                "extended_end": _day(sd.term.final_end) if sd.term else None,
                "status": _WORDS.text(f"term_states.{sd.status}"),
                "reference_date": sd.reference_date,
                "penvoerder": d.penvoerder.id if d.penvoerder else None,
                "parties": len(d.parties),
                "measures": len(d.measures),
            }
        )
        for m in sd.measures:
            out["maatregelen"].append(
                {
                    "dossier": d.id,
                    "id": m.id,
                    "letter": sd.letter(m),
                    "title": m.title,
                    "pillars": list(m.pillars),
                    "description": "\n\n".join(m.description),
                    "targets": len(m.targets),
                }
            )
            for t in m.targets:
                row = target_row(d, t, sd.index)
                out["doelen"].append(
                    {
                        "dossier": d.id,
                        "measure": m.id,
                        "letter": sd.letter(m),
                        "id": t.id,
                        "text": row.text,
                        "indicator": t.indicator,
                        "indicator_label": row.indicator or None,
                        "unit": row.unit or None,
                        "comparator": t.comparator,
                        "value": t.value,
                        "value_text": row.value or None,
                        "period_start": _day(t.period[0]) if t.period else None,
                        "period_end": _day(t.period[1]) if t.period else None,
                        "period_text": row.period or None,
                        "per_school_year": t.per_school_year,
                        "baseline_value": t.baseline.value if t.baseline else None,
                        "baseline_date": _day(t.baseline.date) if t.baseline else None,
                        "baseline_planned": bool(t.baseline and t.baseline.planned),
                    }
                )
                for r in sorted(t.results, key=lambda r: r.school_year):
                    verdict = met(float(r.value), t.comparator, t.value)
                    out["resultaten"].append(
                        {
                            "dossier": d.id,
                            "measure": m.id,
                            "target": t.id,
                            "school_year": school_year_text(r.school_year),
                            "value": r.value,
                            "target_met": verdict,
                            "source": r.source,
                            "illustrative": r.illustrative,
                        }
                    )
        for p in d.parties:
            rep = p.representative
            out["partijen"].append(
                {
                    "dossier": d.id,
                    "id": p.id,
                    "name": p.name,
                    "short_name": p.short_name,
                    "kind": p.kind,
                    "group": p.group,
                    "place": p.place,
                    "representative_name": rep.name if rep else None,
                    "representative_title": rep.title if rep else None,
                    "representative_role": rep.role if rep else None,
                    "joined": _day(p.joined),
                    "left": _day(p.left),
                    "penvoerder": p.penvoerder,
                    "illustrative": p.illustrative,
                    "member_on_reference_date": bound_on(sd.dossier, p, sd.reference_date),
                }
            )
    return out


# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(text: str) -> str:
    # Text from YAML is data, never a formula: a leading quote keeps spreadsheets from
    # running it (OWASP's advice), and shows the text as typed.
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)  # numbers stay numbers, negative ones included
    if isinstance(value, dt.date):
        return value.isoformat()
    return _inert(";".join(str(v) for v in value) if isinstance(value, list) else str(value))


def to_csv(rows: list[dict]) -> str:
    if not rows:
        return ""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(rows[0]))
    for row in rows:
        writer.writerow([_csv_value(v) for v in row.values()])
    return buffer.getvalue()


def _spreadsheet_value(value, words: Wording) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return words.text("spreadsheet.yes" if value else "spreadsheet.no")
    if isinstance(value, Number):
        return fmt.plain_number(value)  # "17,5": a number to a Dutch spreadsheet
    if isinstance(value, dt.date):
        return fmt.date_numeric(value)
    return _inert(", ".join(str(v) for v in value) if isinstance(value, list) else str(value))


def to_spreadsheet_csv(table: str, rows: list[dict], words: Wording) -> str:
    """A table as a Dutch spreadsheet opens it (see the module's docstring); the headers are
    the wording's ``spreadsheet.<table>_<column>``."""
    if not rows:
        return ""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # the byte order mark: UTF-8 to Excel
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([words.text(f"spreadsheet.{table}_{column}") for column in rows[0]])
    for row in rows:
        writer.writerow([_spreadsheet_value(v, words) for v in row.values()])
    return buffer.getvalue()


def _json_value(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not a value of open data: {value!r}")


def to_json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2, default=_json_value) + "\n"


def spreadsheet_name(table: str) -> str:
    """The file name of a table's spreadsheet CSV (beside ``<table>.csv``)."""
    return f"{table}-spreadsheet.csv"


def open_data_files(dossiers: list[DossierFacts], words: Wording | None = None) -> dict[str, str]:
    """Every table as JSON, CSV and spreadsheet CSV: file name -> text, in the order of
    TABLES; ``words`` is the project's wording (the spreadsheet's headers and yes/no)."""
    words = words or _WORDS
    tables = records(dossiers)
    out: dict[str, str] = {}
    for name in TABLES:
        out[f"{name}.json"] = to_json(tables[name])
        out[f"{name}.csv"] = to_csv(tables[name])
        out[spreadsheet_name(name)] = to_spreadsheet_csv(name, tables[name], words)
    return out
