"""``convenantgen status``: stages, who still has to sign, deadlines and accessions waiting."""

from __future__ import annotations

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
