"""The open data's spreadsheet CSV, opened by LibreOffice Calc as a Dutch user opens it.

Calc converts each file to ODS headless, with the settings its Text Import dialog offers a
Dutch user for such a file: ``;`` between cells, UTF-8 (the byte order mark), the language
Dutch (decimal comma, dates as dd-mm-jjjj), special numbers recognised. The cells are read
back from the ODS (plain XML in a zip). The machine CSV, opened the same way, stays one
column: that is why the spreadsheet variant exists.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from convenantgen.context.site import DossierFacts
from convenantgen.render.pdf.convert import find_soffice
from convenantgen.site.opendata import open_data_files, spreadsheet_name

pytestmark = pytest.mark.libreoffice

# Separator 59 (;), text delimiter 34 ("), charset 76 (UTF-8), from line 1, default column
# types, language 1043 (Dutch), quoted fields not forced to text, special numbers detected.
DUTCH_IMPORT = "CSV:59,34,76,1,,1043,false,true"
NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}
VALUE_TYPE = f"{{{NS['office']}}}value-type"


def _cell(element) -> dict:
    return {
        "type": element.get(VALUE_TYPE),
        "value": element.get(f"{{{NS['office']}}}value"),
        "date": element.get(f"{{{NS['office']}}}date-value"),
        "text": "".join(element.itertext()),
    }


def _rows(ods: Path) -> list[list[dict]]:
    """The cells of the first sheet, row by row (repeated cells expanded, trailing empty
    cells dropped)."""
    with zipfile.ZipFile(ods) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    rows = []
    for row in root.iterfind(".//table:table-row", NS):
        cells = []
        for c in row.iterfind("table:table-cell", NS):
            repeat = int(c.get(f"{{{NS['table']}}}number-columns-repeated", "1"))
            cells += [_cell(c)] * min(repeat, 100)
        while cells and cells[-1]["type"] is None and not cells[-1]["text"]:
            cells.pop()
        rows.append(cells)
    return rows


@pytest.fixture(scope="module")
def opened(tmp_path_factory, bundled_loaded) -> dict[str, list[list[dict]]]:
    """Every spreadsheet CSV and the machine doelen.csv of the bundled content, as Calc
    reads them with Dutch settings: file name -> rows of cells."""
    work = tmp_path_factory.mktemp("spreadsheet")
    facts = [DossierFacts.of(d, dt.date(2026, 12, 1)) for d in bundled_loaded.dossiers]
    files = open_data_files(facts)
    names = [spreadsheet_name(t) for t in ("doelen", "dossiers", "resultaten")] + ["doelen.csv"]
    for name in names:
        (work / name).write_text(files[name], encoding="utf-8", newline="")
    out = work / "ods"
    proc = subprocess.run(
        [
            str(find_soffice()),
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            f"--infilter={DUTCH_IMPORT}",
            "--convert-to",
            "ods",
            "--outdir",
            str(out),
            *(str(work / n) for n in names),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "HOME": str(work)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {n: _rows(out / (n.rsplit(".", 1)[0] + ".ods")) for n in names}


def _table(rows: list[list[dict]]) -> list[dict[str, dict]]:
    header = [c["text"] for c in rows[0]]
    return [dict(zip(header, r, strict=False)) for r in rows[1:] if r]


def test_cells_are_in_separate_columns_under_dutch_headers(opened):
    rows = opened["doelen-spreadsheet.csv"]
    header = [c["text"] for c in rows[0]]
    assert header[:4] == ["Dossier", "Maatregel", "Letter", "Doel"]
    assert "Doelwaarde" in header and "Per schooljaar" in header
    assert len(header) == 18
    # No cell holds a separator: every row has as many columns as the header, or fewer
    # (trailing empty cells).
    assert all(len(r) <= len(header) for r in rows)
    assert not [c["text"] for r in rows for c in r if ";" in c["text"]]


def test_a_euro_amount_is_a_number(opened):
    targets = {r["Doel"]["text"]: r for r in _table(opened["doelen-spreadsheet.csv"])}
    ochtend = targets["toelage-per-ochtend"]
    assert ochtend["Eenheid"]["text"] == "euro"
    assert ochtend["Doelwaarde"]["type"] == "float"
    assert float(ochtend["Doelwaarde"]["value"]) == 17.5  # "17,5": the decimal comma
    assert targets["a-uitval-starters"]["Doelwaarde"]["type"] == "float"


def test_dates_are_dates_and_yes_no_in_words(opened):
    dossiers = {r["Dossier"]["text"]: r for r in _table(opened["dossiers-spreadsheet.csv"])}
    twente = dossiers["vervangingspool-twente"]
    # 01-08-2016 is 1 August (dd-mm-jjjj), not 8 January.
    assert twente["Begindatum"] == twente["Begindatum"] | {"type": "date", "date": "2016-08-01"}
    assert dossiers["almere"]["Aantal partijen"]["type"] == "float"
    results = _table(opened["resultaten-spreadsheet.csv"])
    assert {r["Doel gehaald"]["text"] for r in results if "Doel gehaald" in r} <= {"ja", "nee", ""}
    assert any(r["Doel gehaald"]["text"] == "ja" for r in results if "Doel gehaald" in r)


def test_the_machine_csv_is_one_column_in_a_dutch_spreadsheet(opened):
    """What the issue found: comma-separated, it opens as one column (so it stays for
    programs, and the spreadsheet CSV is offered beside it)."""
    rows = opened["doelen.csv"]
    assert rows[0][0]["text"].startswith("dossier,measure,letter,id")
    assert len(rows) > 40
    assert all(len(r) == 1 for r in rows)  # no ';' in the targets' texts: one cell per row
