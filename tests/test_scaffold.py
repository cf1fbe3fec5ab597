"""``convenantgen new``: scaffolded YAML passes check, nothing is overwritten, names are ids."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import jsonschema as js
import pytest

from convenantgen.authoring.scaffold import next_school_year, write_new
from convenantgen.cli import main
from convenantgen.errors import ConvenantgenError, Severity
from convenantgen.read.load import load_content
from convenantgen.read.schemas import _to_plain
from convenantgen.read.sources import load_file
from convenantgen.text import formatting as fmt

ROOT = Path(__file__).resolve().parents[1]


def _findings(content: Path) -> list[str]:
    loaded = load_content(content)
    return [
        f"{d.where.file.name}: {d.severity.label} [{d.code}] {d.message}"
        for d in loaded.report.sorted()
        if d.severity >= Severity.WARNING
    ]


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted(folder.iterdir())}


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    return folder


def _new_dossier(content: Path, *extra: str) -> int:
    return main(
        ["new", "dossier", "proef", "--content", str(content), "--start", "2025-08-01", *extra]
    )


def test_new_dossier_passes_check_unchanged(content, capsys):
    assert _new_dossier(content, "--title", "Proefconvenant: samen sterk") == 0
    folder = content / "proef"
    assert capsys.readouterr().out.splitlines() == [
        f"created {folder / name}"
        for name in ("dossier.yaml", "partijen.yaml", "convenant.yaml", "maatregelen.yaml")
    ]
    assert _findings(content) == []
    assert main(["check", str(content)]) == 0
    (dossier,) = load_content(content).dossiers
    assert dossier.id == "proef"
    assert dossier.title == "Proefconvenant: samen sterk"
    (agreement,) = dossier.agreements
    assert (agreement.in_force.start.isoformat(), agreement.in_force.end.isoformat()) == (
        "2025-08-01",
        "2026-07-31",
    )
    assert [p.name for p in content.iterdir()] == ["proef"]  # no staging folder left behind


def test_scaffolded_files_carry_the_schema_line_and_validate_against_it(content):
    assert _new_dossier(content) == 0
    for path in sorted((content / "proef").iterdir()):
        source, problems = load_file(path)
        assert problems == []
        kind = source.data["kind"]
        assert path.read_text("utf-8").startswith(
            f"# yaml-language-server: $schema=../../schema/json/{kind}.schema.json\n"
        )
        schema = json.loads((ROOT / "schema" / "json" / f"{kind}.schema.json").read_text("utf-8"))
        assert list(js.Draft202012Validator(schema).iter_errors(_to_plain(source.data))) == []


def test_new_dossier_twice_fails_cleanly(content, capsys):
    assert _new_dossier(content) == 0
    before = _snapshot(content / "proef")
    capsys.readouterr()
    assert _new_dossier(content, "--title", "Anders") == 1
    err = capsys.readouterr().err
    assert err == f"convenantgen: error: '{content / 'proef'}' already exists; not overwriting it\n"
    assert _snapshot(content / "proef") == before


@pytest.mark.parametrize("name", ["../buiten", "Almere", "a/b", "_x", "a\n", "", "x" * 61])
def test_names_must_be_ids(content, capsys, name):
    assert main(["new", "dossier", name, "--content", str(content)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"convenantgen: error: '{name}' is not a valid dossier name: ")
    assert list(content.iterdir()) == []
    assert not (content.parent / "buiten").exists()


def test_measure_and_party_ids_are_validated(content, capsys):
    assert _new_dossier(content) == 0
    capsys.readouterr()
    assert main(["new", "measure", "../x", "--dossier", "proef", "--content", str(content)]) == 2
    assert "'../x' is not a valid measure id" in capsys.readouterr().err
    argv = ["new", "accession", "--dossier", "proef", "--party", "A B", "--content", str(content)]
    assert main(argv) == 2
    assert "'A B' is not a valid party id" in capsys.readouterr().err


def test_new_dossier_needs_the_content_folder(tmp_path, capsys):
    assert main(["new", "dossier", "proef", "--content", str(tmp_path / "nergens")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_new_measure_adds_a_file_without_errors(content, capsys):
    assert _new_dossier(content) == 0
    argv = ["new", "measure", "zij-instroom", "--dossier", "proef", "--content", str(content)]
    assert main([*argv, "--title", "Zij-instroom"]) == 0
    path = content / "proef" / "maatregel-zij-instroom.yaml"
    out = capsys.readouterr().out
    assert f"created {path}" in out
    # The scaffolded covenant lists its measures in an article part, so the new one is flagged
    # until it is listed there too; the command says so.
    assert "add 'zij-instroom' to the measures of an article part" in out
    assert _findings(content) == [
        "maatregel-zij-instroom.yaml: warning [measure-unlisted] measure 'zij-instroom' is not "
        "listed in any article, so no document shows it"
    ]
    (dossier,) = load_content(content).dossiers
    assert dossier.measure("zij-instroom").title == "Zij-instroom"
    before = path.read_text("utf-8")
    assert main(argv) == 1
    assert "id 'zij-instroom' is already used in dossier 'proef'" in capsys.readouterr().err
    assert path.read_text("utf-8") == before


def test_new_measure_refuses_an_existing_file(content, capsys):
    assert _new_dossier(content) == 0
    existing = content / "proef" / "maatregel-later.yaml"
    kept = "kind: measures\nmeasures:\n  - {id: ander, title: Ander, description: [Tekst.]}\n"
    existing.write_text(kept, "utf-8")
    capsys.readouterr()
    argv = ["new", "measure", "later", "--dossier", "proef", "--content", str(content)]
    assert main(argv) == 1
    assert capsys.readouterr().err == (
        f"convenantgen: error: '{existing}' already exists; not overwriting it\n"
    )
    assert existing.read_text("utf-8") == kept


def test_new_measure_in_an_unknown_dossier(content, capsys):
    argv = ["new", "measure", "x", "--dossier", "geen", "--content", str(content)]
    assert main(argv) == 2
    assert "no dossier 'geen'" in capsys.readouterr().err


def _regio(content: Path) -> Path:
    folder = content / "onderwijsregio"
    shutil.copytree(ROOT / "content" / "onderwijsregio", folder)
    return folder


def test_new_accession_registers_the_party_and_the_request(content, capsys):
    folder = _regio(content)
    argv = ["new", "accession", "--dossier", "onderwijsregio", "--party", "stichting-nieuw"]
    argv += ["--name", "Stichting Nieuw & Co", "--kind", "schoolbestuur"]
    argv += ["--group", "schoolbesturen", "--requested", "2025-03-01", "--content", str(content)]
    assert main(argv) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"created {folder / 'toetreding-stichting-nieuw.yaml'}",
        f"updated {folder / 'partijen.yaml'}",
    ]
    # The new party names no one who signs its declaration yet: a warning, nothing else.
    assert _findings(content) == [
        "partijen.yaml: warning [signatory-unnamed] party 'stichting-nieuw' signs the "
        "declaration of accession request 'toetreding-stichting-nieuw-2025', but names no one "
        "who signs: its signature field and block name only the party and a role; add "
        "representative: {name: ..., role: ...}",
        # A new request past its effective date is still waiting (issue 20).
        f"toetreding-stichting-nieuw.yaml: warning [accession-waiting] accession "
        f"'toetreding-stichting-nieuw-2025' was to take effect on 1 augustus 2025, but on "
        f"{fmt.date_long(dt.date.today())} it is still 'requested' (0 of 6 consents); "
        "'stichting-nieuw' is not counted as a party until it is in effect: record the steps "
        "reached, or a new effective date",
    ]
    (dossier,) = load_content(content).dossiers
    party = dossier.party("stichting-nieuw")
    assert (party.name, party.group, party.joined.isoformat()) == (
        "Stichting Nieuw & Co",
        "schoolbesturen",
        "2025-08-01",
    )
    (request,) = [a for a in dossier.accessions if a.party == "stichting-nieuw"]
    assert (request.id, request.document, request.status) == (
        "toetreding-stichting-nieuw-2025",
        "samenwerkingsovereenkomst",
        "requested",
    )
    assert (request.requested.isoformat(), request.effective.isoformat()) == (
        "2025-03-01",
        "2025-08-01",
    )
    # The rest of the registry, comments included, is untouched.
    original = (ROOT / "content" / "onderwijsregio" / "partijen.yaml").read_text("utf-8")
    assert (folder / "partijen.yaml").read_text("utf-8").startswith(original)


def test_new_accession_that_would_fail_check_writes_nothing(content, capsys):
    folder = _regio(content)
    before = _snapshot(folder)
    argv = ["new", "accession", "--dossier", "onderwijsregio", "--party", "ministerie"]
    argv += ["--name", "De Minister", "--kind", "minister", "--group", "schoolbesturen"]
    argv += ["--requested", "2025-03-01", "--content", str(content)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "convenantgen: error: the scaffolded YAML would not pass 'convenantgen check'; "
        "nothing was written:\n"
    )
    assert "party 'ministerie' is a minister; the accession clause admits" in err
    assert _snapshot(folder) == before


def test_new_accession_needs_an_accession_clause(content, capsys):
    assert _new_dossier(content) == 0
    argv = ["new", "accession", "--dossier", "proef", "--party", "voorbeeldbestuur"]
    assert main([*argv, "--content", str(content)]) == 1
    assert "no document in dossier 'proef' allows accession" in capsys.readouterr().err


def test_write_new_never_overwrites(tmp_path):
    target = tmp_path / "a.yaml"
    write_new(target, "kind: x\n")
    with pytest.raises(ConvenantgenError, match="already exists; not overwriting it"):
        write_new(target, "kind: y\n")
    assert target.read_text("utf-8") == "kind: x\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]  # no temporary file left


def test_next_school_year():
    import datetime as dt

    assert next_school_year(dt.date(2025, 3, 1)) == dt.date(2025, 8, 1)
    assert next_school_year(dt.date(2025, 8, 1)) == dt.date(2026, 8, 1)
    assert next_school_year(dt.date(2025, 12, 31)) == dt.date(2026, 8, 1)


def test_new_sector_dossier_is_a_non_education_starting_point(content, capsys):
    assert _new_dossier(content, "--kind", "sector", "--start", "2027-01-01") == 0
    assert _findings(content) == []
    assert main(["check", "--strict", str(content)]) == 0
    (dossier,) = load_content(content).dossiers
    (agreement,) = dossier.agreements
    assert (agreement.in_force.start.isoformat(), agreement.in_force.end.isoformat()) == (
        "2027-01-01",
        "2027-12-31",
    )
    assert {p.kind for p in dossier.parties} == {"minister", "brancheorganisatie"}
    assert not dossier.measures
    clauses = {c.id: c for _, c in agreement.clauses()}
    assert clauses["bijdragen"].finance.per == "kalenderjaar"
    assert clauses["verplichtingen"].obligations[0].owner == "minister-voorbeeld"
    minister = dossier.party("minister-voorbeeld")
    assert minister.mandate and minister.representative.name == "A. Ambtenaar"
