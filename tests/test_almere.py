"""The bundled Almere dossier: clean as published (with its acknowledgements), and every
date or target broken in a copy is caught at the right file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dossier_factory import line_of

from convenantgen.cli import main

ALMERE = Path(__file__).resolve().parents[1] / "content" / "almere"


def test_almere_checks_clean_with_its_acknowledgements(capsys):
    assert main(["check", str(ALMERE)]) == 0
    out = capsys.readouterr().out
    # The contradictions of the published text stay visible, as acknowledged findings.
    assert "acknowledged [term-overlap] period 'addendum-in-werking' starts 1 augustus 2024" in out
    assert "acknowledged [published-differs] the published text says 'artikel 4.1'" in out
    assert "error" not in out
    # The one open point: ten school boards name no one to sign their consent to the
    # accession request (the sources name none). It stays visible, acknowledged, so the
    # dossier passes --strict with and without the Aanwijzingen profile (issue 20).
    unnamed = [line for line in out.splitlines() if "acknowledged [signatory-unnamed]" in line]
    assert len(unnamed) == 10
    assert ": warning [" not in out
    assert main(["check", str(ALMERE), "--strict"]) == 0


def test_almere_has_every_party_measure_and_target(almere_loaded):
    loaded = almere_loaded
    (dossier,) = loaded.dossiers
    assert len([p for p in dossier.parties if not p.illustrative]) == 15
    assert "Stg. Prisma, stg. prot. chr. & oecumen. onderwijs in Almere" in {
        p.name for p in dossier.parties
    }
    assert [m.title.split()[0] for m in dossier.measures] == [
        "Opzetten", "Zorgen", "Specifieke", "Ondersteuning", "Zij-instroom"
    ]  # fmt: skip
    values = {t.id: t.value for t in dossier.targets()}
    assert values["e-zij-instromers"] == 40 and values["c-leraarondersteuners"] == 20
    assert values["b-tevredenheid-leraren"] == 7.0 and values["e-tevredenheid"] == 75


# (file, published value, broken value, text on the reported line, code that must report it)
BREAKS = [
    ("addendum.yaml", "  end: 2025-12-31\n  follows", "  end: 2023-12-31\n  follows",
     "end: 2023-12-31", "period-order"),
    ("addendum.yaml", "  extends: convenant-looptijd\n  end: 2025-12-31",
     "  extends: convenant-looptijd\n  end: 2025-06-31", "end: 2025-06-31", "date-invalid"),
    ("convenant.yaml", "end: 2024-08-31", "end: 2024-07-15", "addendum.yaml::start: 2024-08-01",
     "term-gap"),
    ("maatregelen.yaml", "value: 7.0", "value: 11", "value: 11", "target-range"),
    ("maatregelen.yaml", "        value: 75", "        value: 120", "value: 120", "target-range"),
    ("maatregelen.yaml", "        value: 20\n", "        value: -20\n", "value: -20",
     "target-range"),
    ("maatregelen.yaml", "period: {start: 2024-01-01, end: 2025-12-31}",
     "period: {start: 2024-01-01, end: 2026-06-30}", "end: 2026-06-30", "target-period-outside"),
    ("toetredingen.yaml", "effective: 2025-08-01", "effective: 2025-09-01",
     "effective: 2025-09-01", "accession-school-year"),
    ("partijen.yaml", "name: S. Olivier", "nam: S. Olivier", "nam: S. Olivier",
     "schema-unknown-key"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "old", "new", "needle", "code"), BREAKS, ids=[b[4] for b in BREAKS]
)
def test_breaking_a_copy_names_file_and_line(tmp_path, capsys, name, old, new, needle, code):
    copy = tmp_path / "almere"
    shutil.copytree(ALMERE, copy)
    text = (copy / name).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (copy / name).write_text(text.replace(old, new), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(copy)]) == 1
    out = capsys.readouterr().out
    reported, _, needle = needle.rpartition("::")
    reported = reported or name
    line = line_of((copy / reported).read_text(encoding="utf-8"), needle)
    hits = [row for row in out.splitlines() if f"error [{code}]" in row]
    assert any(row.startswith(f"{copy / reported}:{line}:") for row in hits), out
