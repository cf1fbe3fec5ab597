"""``convenantgen status``: stages, who still has to sign, deadlines and accessions waiting."""

from __future__ import annotations

import csv
import io
import json

from bundled import CONTENT
from dossier_factory import base_files, replace, write

from convenantgen.cli import main

RECORDS = (
    "kind: lifecycle\nagreements:\n  - agreement: basis\n    signatures:\n"
    "      - {party: bestuur-a, date: 2024-06-01}\n"
    "      - {party: bestuur-b, date: 2024-06-03}\n"
    "    evaluation: {planned: 2024-09-30}\n"
)


def dossier(tmp_path):
    files = replace(base_files(), "convenant.yaml", "  date: 2024-06-01\n", "")
    files = replace(files, "convenant.yaml", 'citation: {year: 2024, number: "12345"}\n', "")
    files = replace(
        files,
        "toetredingen.yaml",
        "    effective: 2025-08-01\n",
        "    effective: 2025-08-01\n    consents: [{party: bestuur-a, date: 2025-05-03}]\n",
    )
    return write(tmp_path / "proef", {**files, "levensloop.yaml": RECORDS})


def status(folder, day, capsys):
    assert main(["status", str(folder), "--reference-date", day]) == 0
    return capsys.readouterr().out.splitlines()


def test_out_for_signing(tmp_path, capsys):
    assert status(dossier(tmp_path), "2024-06-02", capsys) == [
        "Status on 2 juni 2024",
        "",
        "proef (Proefconvenant lerarentekort)",
        "  addendum-1: in voorbereiding",
        "  basis: ter ondertekening: 1 van 2 getekend",
        "  - addendum-1: still to sign: Stichting Alfa, Stichting Beta & Co, Stichting Gamma",
        "  - basis: still to sign: Stichting Beta & Co",
    ]


def test_deadlines_and_accessions(tmp_path, capsys):
    assert status(dossier(tmp_path), "2024-07-01", capsys)[4:] == [
        "  basis: getekend",
        "  - basis: publish in the Staatscourant by 3 juli 2024 (in 2 day(s))",
        # The evaluation (30 september, 91 days ahead) is beyond the 90-day horizon.
        "  - addendum-1: still to sign: Stichting Alfa, Stichting Beta & Co, Stichting Gamma",
    ]
    lines = status(dossier(tmp_path), "2025-05-10", capsys)
    assert "  basis: in werking" in lines
    assert "  - basis: evaluation due 30 september 2024 (222 day(s) overdue)" in lines
    assert (
        "  - toetreding-gamma: Stichting Gamma (requested): waiting for the consent of 1 party: "
        "Stichting Beta & Co"
    ) in lines


def test_csv_one_row_per_dossier(tmp_path, capsys):
    assert (
        main(
            ["status", str(dossier(tmp_path)), "--reference-date", "2024-07-01", "--format", "csv"]
        )
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows == [
        {
            "dossier": "proef",
            "title": "Proefconvenant lerarentekort",
            "penvoerder": "Stichting Alfa",
            "penvoerder_id": "bestuur-a",
            "stages": "addendum-1=preparation;basis=signed",
            "next_deadline": "2024-07-03",
            "next_deadline_kind": "publication",
            "next_deadline_agreement": "basis",
            "parties": "3",
            "measures": "1",
            "outstanding": "2",
        }
    ]


def test_json_next_deadline_beyond_the_horizon(tmp_path, capsys):
    # With its Staatscourant citation kept, the next deadline is the evaluation, 91 days ahead,
    # which the table leaves out (beyond its 90-day horizon) but the register still names.
    files = replace(base_files(), "convenant.yaml", "  date: 2024-06-01\n", "")
    folder = write(tmp_path / "proef", {**files, "levensloop.yaml": RECORDS})
    assert main(["status", str(folder), "--reference-date", "2024-07-01", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reference_date"] == "2024-07-01"
    [row] = data["dossiers"]
    assert row["stages"] == {"addendum-1": "preparation", "basis": "published"}
    assert row["next_deadline"] == {
        "kind": "evaluation",
        "date": "2024-09-30",
        "agreement": "basis",
    }


def test_register_of_the_bundled_content(capsys):
    assert main(["status", str(CONTENT), "--reference-date", "2025-01-15", "--format", "csv"]) == 0
    rows = {r["dossier"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert sorted(rows) == [
        "almere",
        "dierziekten-lnv",
        "onderwijsregio",
        "vervangingspool-twente",
        "zoetwater-ijsselmeergebied",
    ]
    assert rows["dierziekten-lnv"]["penvoerder_id"] == "minister-lnv"
    assert rows["dierziekten-lnv"]["stages"] == "convenant-dierziekten=ended"
    assert rows["dierziekten-lnv"]["next_deadline"] == ""
    assert rows["onderwijsregio"]["next_deadline"] == "2027-07-31"
    assert rows["onderwijsregio"]["next_deadline_kind"] == "end-of-term"
    assert rows["almere"]["parties"] == "16"
    assert rows["almere"]["measures"] == "5"
