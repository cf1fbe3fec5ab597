"""``convenantgen diff``: changes between two commits of a small dossier, in exact sentences."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from convenantgen.authoring.diff import redline
from convenantgen.cli import main
from convenantgen.read.load import load_content

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

DOSSIER = """\
kind: dossier
id: proef
title: Proefconvenant
"""

PARTIES = """\
kind: parties
groups:
  - {id: besturen, designation: de besturen, signing: each}
parties:
  - id: alfa
    name: Stichting Alfa
    kind: schoolbestuur
    group: besturen
    representative: {name: A. Jansen}
    joined: 2024-08-01
    penvoerder: true
"""

BETA = """\
  - id: beta
    name: Stichting Beta
    kind: schoolbestuur
    group: besturen
    representative: {name: B. de Vries}
    joined: 2025-08-01
"""

CONVENANT = """\
kind: convenant
id: convenant
title: Proefconvenant
term: {id: looptijd, start: 2024-08-01, end: 2025-12-31}
parties: [besturen]
sections:
  - id: afspraken
    title: Afspraken
    clauses:
      - id: inzet
        text: Partijen zetten zich samen in voor goed onderwijs.
        article:
          title: Maatregelen
          parts:
            - id: lijst
              measures: [zij-instroom]
  - id: toetreding
    title: Toetreding
    clauses:
      - id: toetreding-besturen
        text: Andere schoolbesturen kunnen toetreden.
accession: {clause: toetreding-besturen, kinds: [schoolbestuur], before_school_year: true}
signing: {place: Utrecht, copies: 1}
"""

MEASURES = """\
kind: measures
indicators:
  - {id: zij-instromers, label: Opgeleide zij-instromers, unit: count, counted: zij-instromers}
measures:
  - id: zij-instroom
    title: Zij-instroom
    description: [Scholen leiden zij-instromers op.]
    targets:
      - id: e-zij-instromers
        indicator: zij-instromers
        comparator: ">="
        value: 40
        text: Opleiden van {value} per schooljaar.
"""

BEGELEIDING = """\
  - id: begeleiding
    title: Begeleiding van starters
    description: [Starters krijgen een coach.]
"""

ACCESSIONS = """\
kind: accessions
accessions:
  - id: toetreding-beta
    party: beta
    document: convenant
    requested: 2025-05-01
    effective: 2025-08-01
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _commit(repo: Path, files: dict[str, str], tag: str) -> None:
    folder = repo / "content" / "proef"
    folder.mkdir(parents=True, exist_ok=True)
    for name in list(folder.iterdir()):
        name.unlink()
    for name, text in files.items():
        (folder / name).write_text(text, "utf-8")
    _git(repo, "add", "-A", "content")
    _git(repo, "commit", "-q", "-m", tag)
    _git(repo, "tag", tag)


V1 = {
    "dossier.yaml": DOSSIER,
    "partijen.yaml": PARTIES,
    "convenant.yaml": CONVENANT,
    "maatregelen.yaml": MEASURES,
}
V2 = {
    "dossier.yaml": DOSSIER,
    "partijen.yaml": PARTIES + BETA,
    "convenant.yaml": CONVENANT.replace("end: 2025-12-31", "end: 2026-07-31")
    .replace("voor goed onderwijs", "voor veilig onderwijs")
    .replace("measures: [zij-instroom]", "measures: [zij-instroom, begeleiding]"),
    "maatregelen.yaml": MEASURES.replace("value: 40", "value: 50").replace(
        "leiden zij-instromers", "leiden samen zij-instromers"
    )
    + BEGELEIDING,
    "toetredingen.yaml": ACCESSIONS,
}


@pytest.fixture
def repo(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    # A covenant project: diff finds its content folder through convenantgen.yml.
    (repo / "convenantgen.yml").write_text("site: {name: Proef}\n", "utf-8")
    _git(repo, "init", "-q")
    _commit(repo, V1, "v1")
    _commit(repo, V2, "v2")
    monkeypatch.chdir(repo)
    return repo


def test_both_versions_are_clean_dossiers(tmp_path):
    for version in (V1, V2):
        folder = tmp_path / str(id(version)) / "proef"
        folder.mkdir(parents=True)
        for name, text in version.items():
            (folder / name).write_text(text, "utf-8")
        loaded = load_content(folder)
        assert [d.format() for d in loaded.report.sorted()] == []


def test_text_output_in_sentences(repo, capsys):
    assert main(["diff", "v1", "v2"]) == 0
    assert capsys.readouterr().out == (
        "Wijzigingen van v1 naar v2\n"
        "\n"
        "proef (Proefconvenant)\n"
        "  - Einddatum verlengd: 31 december 2025 → 31 juli 2026\n"
        "  - Partij toegetreden: Stichting Beta (per 1 augustus 2025)\n"
        "  - Artikel 1.1, tekst gewijzigd: Partijen zetten zich samen in voor [-goed-] "
        "{+veilig+} onderwijs.\n"
        "  - Maatregel A, beschrijving gewijzigd: Scholen leiden {+samen+} zij-instromers op.\n"
        "  - Maatregel A, doel e-zij-instromers: 40 → 50 zij-instromers\n"
        "  - Maatregel B toegevoegd: Begeleiding van starters\n"
        "  - Verzoek tot toetreding: Stichting Beta per 1 augustus 2025\n"
    )


def test_markdown_output_with_redline(repo, capsys):
    assert main(["diff", "v1", "v2", "--format", "markdown", "--dossier", "proef"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:4] == [
        "# Wijzigingen van `v1` naar `v2`",
        "",
        "## Proefconvenant (`proef`)",
        "",
    ]
    assert (
        "- Artikel 1.1, tekst gewijzigd: Partijen zetten zich samen in voor ~~goed~~ "
        "**veilig** onderwijs." in out.splitlines()
    )
    assert "- Maatregel A, doel e-zij-instromers: 40 → 50 zij-instromers" in out.splitlines()


def test_reverse_direction(repo, capsys):
    assert main(["diff", "v2", "v1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  - Einddatum vervroegd: 31 juli 2026 → 31 december 2025" in lines
    assert "  - Partij verwijderd: Stichting Beta" in lines
    assert "  - Maatregel B vervallen: Begeleiding van starters" in lines
    assert "  - Maatregel A, doel e-zij-instromers: 50 → 40 zij-instromers" in lines
    assert "  - Verzoek tot toetreding ingetrokken: Stichting Beta" in lines


def test_no_changes(repo, capsys):
    assert main(["diff", "v2", "HEAD"]) == 0
    assert (
        capsys.readouterr().out
        == "Wijzigingen van v2 naar HEAD\nGeen wijzigingen in de dossiers.\n"
    )


def test_dossier_added(repo, capsys):
    _git(repo, "checkout", "-q", "--orphan", "leeg")
    _git(repo, "rm", "-rq", "--cached", ".")
    (repo / "README").write_text("leeg\n", "utf-8")
    _git(repo, "add", "README")
    _git(repo, "commit", "-q", "-m", "leeg")
    assert main(["diff", "leeg", "v1"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "  - Dossier toegevoegd: Proefconvenant"


def test_a_broken_revision_is_named_not_compared(repo, capsys):
    broken = dict(V2, **{"maatregelen.yaml": MEASURES.replace("value: 40", "value: veertig")})
    _commit(repo, broken, "v3")
    assert main(["diff", "v2", "v3"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "  - Dossier is bij v3 niet te lezen: 1 fout(en); zie 'convenantgen check'"
    )


def test_bad_revision_and_unknown_dossier(repo, capsys):
    assert main(["diff", "v1", "nope"]) == 2
    assert capsys.readouterr().err == (
        "convenantgen: error: 'nope' is not a revision in this repository\n"
    )
    # An option smuggled in as a revision never reaches git as an option.
    assert main(["diff", "v1", "--", "--upload-pack=x"]) == 2
    assert capsys.readouterr().err == "convenantgen: error: '--upload-pack=x' is not a revision\n"
    assert main(["diff", "v1", "v2", "--dossier", "almere"]) == 2
    assert capsys.readouterr().err == "convenantgen: error: no dossier named almere at v1 or v2\n"


def test_outside_a_repository(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert main(["diff", "v1", "v2"]) == 2
    assert "is not inside a git repository" in capsys.readouterr().err


def test_redline():
    assert redline("a b c", "a x c", markdown=True) == "a ~~b~~ **x** c"
    assert redline("a b c", "a x c", markdown=False) == "a [-b-] {+x+} c"
    assert redline("", "nieuw *vet*", markdown=True) == "**nieuw \\*vet\\***"
    assert redline("weg", "", markdown=False) == "[-weg-]"


def test_work_tree_is_the_default_second_side(repo, capsys):
    path = repo / "content" / "proef" / "maatregelen.yaml"
    path.write_text(path.read_text("utf-8").replace("value: 50", "value: 55"), "utf-8")
    assert main(["diff", "v2"]) == 0
    assert capsys.readouterr().out == (
        "Wijzigingen van v2 naar werkmap\n"
        "\n"
        "proef (Proefconvenant)\n"
        "  - Maatregel A, doel e-zij-instromers: 50 → 55 zij-instromers\n"
    )


ROOT = Path(__file__).resolve().parents[1]


def test_almere_example_sentences(tmp_path, monkeypatch, capsys):
    """The reference dossier: a higher target and a longer extension, in words."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "content" / "almere", repo / "content" / "almere")
    (repo / "convenantgen.yml").write_text("site: {name: Almere}\n", "utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "content")
    _git(repo, "commit", "-q", "-m", "voor")
    measures = repo / "content" / "almere" / "maatregelen.yaml"
    text = measures.read_text("utf-8")
    assert text.count("        value: 40\n") == 1
    measures.write_text(text.replace("        value: 40\n", "        value: 50\n"), "utf-8")
    addendum = repo / "content" / "almere" / "addendum.yaml"
    text = addendum.read_text("utf-8")
    old = "  extends: convenant-looptijd\n  end: 2025-12-31\n"
    assert text.count(old) == 1
    addendum.write_text(text.replace(old, old.replace("2025-12-31", "2026-07-31")), "utf-8")
    monkeypatch.chdir(repo)
    assert main(["diff", "HEAD", "--dossier", "almere"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == ["Wijzigingen van HEAD naar werkmap", "", "almere (G5 Almere)"]
    assert "  - Einddatum verlengd: 31 december 2025 → 31 juli 2026" in lines
    assert "  - Maatregel E, doel e-zij-instromers: 40 → 50 zij-instromers" in lines
    # The extension clause refers to {date:verlenging.end}: its rendered text changes too.
    changed = [ln for ln in lines if ln.startswith("  - Artikel 4.1, tekst gewijzigd: ")]
    assert len(changed) == 1
    assert changed[0].endswith("tot en met 31 [-december 2025;-] {+juli 2026;+}")


def test_accession_steps_are_named_as_on_the_site(repo, capsys):
    """The steps of an accession are the wording's accession_states, the names the site's
    lifecycle table shows (a.status_name)."""
    consented = (
        ACCESSIONS + "    status: consented\n    consents: [{party: alfa, date: 2025-05-10}]\n"
    )
    _commit(repo, dict(V2, **{"toetredingen.yaml": consented}), "v3")
    assert main(["diff", "v2", "v3"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "  - Toetreding Stichting Beta: verzoek ingediend → alle partijen hebben ingestemd"
    )


def test_the_project_wording_writes_the_sentences(repo, capsys):
    """The project's templates/wording.yml and convenantgen.yml `wording:` replace entries."""
    (repo / "convenantgen.yml").write_text(
        "site: {name: Proef}\n"
        "wording:\n"
        "  diff:\n"
        "    heading: 'Changes from {{ rev1 }} to {{ rev2 }}'\n"
        "    accession_step: 'Accession of {{ party }}: {{ old }}, then {{ new }}'\n",
        "utf-8",
    )
    (repo / "templates").mkdir()
    (repo / "templates" / "wording.yml").write_text(
        "diff:\n"
        "  end_changed: 'End {% if later %}later{% else %}earlier{% endif %}:\n"
        "    {{ old }} to {{ new }}'\n"
        "  worktree: working tree\n"
        "accession_states: {consented: every party consented}\n",
        "utf-8",
    )
    path = repo / "content" / "proef" / "toetredingen.yaml"
    path.write_text(
        ACCESSIONS + "    status: consented\n    consents: [{party: alfa, date: 2025-05-10}]\n",
        "utf-8",
    )
    assert main(["diff", "v1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Changes from v1 to working tree"
    assert "  - End later: 31 december 2025 to 31 juli 2026" in lines
    assert "  - Verzoek tot toetreding: Stichting Beta per 1 augustus 2025" in lines
    assert main(["diff", "v2", "--format", "markdown"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "# Changes from `v2` to `working tree`"
    assert (
        lines[-1] == "- Accession of Stichting Beta: verzoek ingediend, then every party consented"
    )
