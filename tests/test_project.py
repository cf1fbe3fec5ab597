"""A covenant project: init, finding the project, overriding templates, wording and formulas."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document

from convenantgen.build.templates import check_template, specs
from convenantgen.cli import main
from convenantgen.read.templates import default_path

ROOT = Path(__file__).resolve().parents[1]


def _docx_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def _edit_docx(path: Path, old: str, new: str) -> None:
    """Replace text in a Word file's body XML (a penvoerder editing the template in Word)."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    assert old in xml, old
    parts["word/document.xml"] = xml.replace(old, new, 1).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


@pytest.fixture
def project(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "mijn-convenant"
    assert main(["init", str(folder)]) == 0
    capsys.readouterr()
    monkeypatch.chdir(folder)
    return folder


def test_init_creates_a_project_that_checks_clean(project, capsys):
    for rel in (
        "convenantgen.yml",
        "content/voorbeeld/dossier.yaml",
        "templates/README.md",
        "overrides/README.md",
        ".pre-commit-config.yaml",
        ".github/workflows/site.yml",
        "schema/json/dossier.schema.json",
    ):
        assert (project / rel).is_file(), rel
    assert main(["check", "--strict"]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().err


def test_init_refuses_a_folder_with_files(tmp_path, capsys):
    (tmp_path / "bezet").mkdir()
    (tmp_path / "bezet" / "notities.txt").write_text("van mij", "utf-8")
    assert main(["init", str(tmp_path / "bezet")]) == 2
    assert "is not an empty folder" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "bezet").iterdir()) == ["notities.txt"]


def test_commands_find_the_project_from_a_subfolder(project, monkeypatch, capsys):
    monkeypatch.chdir(project / "content" / "voorbeeld")
    assert main(["check"]) == 0
    assert "in 1 dossier(s)" in capsys.readouterr().err


def test_outside_a_project_the_message_says_how_to_create_one(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "not inside a covenant project: no convenantgen.yml" in err
    assert "convenantgen init DIR" in err


def test_project_option_names_the_project(project, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--project", str(project)]) == 0
    assert main(["--project", str(tmp_path), "check"]) == 2
    assert "holds no convenantgen.yml" in capsys.readouterr().err


def test_bad_settings_are_reported_with_file_and_line(project, capsys):
    (project / "convenantgen.yml").write_text(
        "site:\n  colours: {primary: purpel}\n",
        "utf-8",
    )
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "convenantgen.yml:2:22: error [schema-value] site.colours.primary: 'purpel'" in err
    assert "Did you mean 'purple'?" in err


def test_wording_in_settings_is_checked_against_its_variables(project, capsys):
    (project / "convenantgen.yml").write_text(
        "wording:\n  agreement:\n    closing: 'In {{ kopies }} getekend'\n", "utf-8"
    )
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert (
        "convenantgen.yml:3:14: error [template-variable] agreement.closing uses 'kopies', "
        "which it does not have (available: copies, place, date). Did you mean 'copies'?"
    ) in err


def test_templates_lists_every_template_with_its_variables(project, capsys):
    assert main(["templates"]) == 0
    out = capsys.readouterr().out
    for name in specs():
        assert f"{name}  (default)" in out
    assert "    a.signature_groups[].signatories[].name  (text)" in out
    assert "    agreement.closing: copies, place, date" in out
    assert "    m.charts[].results[].school_year  (text)" in out


def test_copy_then_override_a_word_template(project, capsys):
    assert main(["templates", "copy", "agreement.docx"]) == 0
    own = project / "templates" / "agreement.docx"
    assert own.read_bytes() == default_path("agreement.docx").read_bytes()
    assert main(["templates", "copy", "agreement.docx"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["templates"]) == 0
    assert f"agreement.docx  (project: {own})" in capsys.readouterr().out


def test_unknown_variable_in_a_project_template_stops_the_build(project, capsys):
    assert main(["templates", "copy", "agreement.docx"]) == 0
    _edit_docx(project / "templates" / "agreement.docx", "{{ a.title }}", "{{ a.titel }}")
    capsys.readouterr()
    assert main(["build", "--no-pdf", "--no-site"]) == 1
    err = capsys.readouterr().err
    assert (
        "templates/agreement.docx: error [template-variable] 'a' has no 'titel'. "
        "Did you mean 'title'"
    ) in err
    assert "nothing was written" in err
    assert not (project / "build").exists()


def test_broken_jinja_in_a_project_template_is_reported(project, capsys):
    assert main(["templates", "copy", "signature-pages.docx"]) == 0
    _edit_docx(project / "templates" / "signature-pages.docx", "{{ a.closing }}", "{{ a.closing }")
    capsys.readouterr()
    assert main(["check"]) == 1
    err = capsys.readouterr().out
    assert (
        "templates/signature-pages.docx: error [template-syntax] '{{' is not closed with '}}' in "
        'the same paragraph: "{{ a.closing }"'
    ) in err


def test_corrupt_docx_and_unknown_template_names(project, capsys):
    (project / "templates" / "agreement.docx").write_bytes(b"geen zip")
    (project / "templates" / "agreemnt.docx").write_bytes(b"")
    assert main(["check"]) == 1
    err = capsys.readouterr().out
    assert "templates/agreement.docx: error [template-corrupt] not a readable Word document" in err
    assert (
        "templates/agreemnt.docx: error [template-unknown] 'agreemnt.docx' is not a template of "
        "convenantgen, so it is never used. Did you mean 'agreement.docx'?"
    ) in err


def test_site_template_variable_typo_has_a_line(project, capsys):
    assert main(["templates", "copy", "site/measure.md"]) == 0
    path = project / "templates" / "site" / "measure.md"
    path.write_text(path.read_text("utf-8").replace("{{ m.heading }}\n", "{{ m.kop }}\n"), "utf-8")
    assert main(["check"]) == 1
    err = capsys.readouterr().out
    assert "templates/site/measure.md:3:1: error [template-variable] 'm' has no 'kop'." in err


def test_every_default_template_checks_clean():
    for name, spec in specs().items():
        assert check_template(default_path(name), spec) == [], name


def test_formulas_of_an_agreement_and_project_wording_reach_the_documents(project, capsys):
    convenant = project / "content" / "voorbeeld" / "convenant.yaml"
    convenant.write_text(
        convenant.read_text("utf-8")
        + "formulas:\n  parties_heading: 'De ondergetekenden:'\n"
        + "  considerations_heading: 'In aanmerking nemende:'\n",
        "utf-8",
    )
    settings = project / "convenantgen.yml"
    settings.write_text(
        settings.read_text("utf-8")
        + "wording:\n  agreement:\n    agreement_heading: 'Komen het volgende overeen:'\n",
        "utf-8",
    )
    assert main(["build", "--no-pdf", "--no-site", "--quiet"]) == 0
    text = _docx_text(project / "build" / "voorbeeld" / "voorbeeld-convenant.docx")
    assert "De ondergetekenden:" in text and "Partijen," not in text
    assert "In aanmerking nemende:" in text
    assert "Komen het volgende overeen:" in text


def test_unknown_formula_key_has_file_and_line(project, capsys):
    convenant = project / "content" / "voorbeeld" / "convenant.yaml"
    convenant.write_text(
        convenant.read_text("utf-8") + "formulas:\n  partys_heading: 'De ondergetekenden:'\n",
        "utf-8",
    )
    assert main(["check"]) == 1
    err = capsys.readouterr().out
    assert (
        "convenant.yaml:40:19: error [template-unknown] 'partys_heading' is not an entry of the "
        "agreement wording. Did you mean 'parties_heading'?"
    ) in err


def test_the_repository_is_a_project_with_its_bundled_dossiers(monkeypatch, capsys):
    monkeypatch.chdir(ROOT / "content")
    assert main(["check", "--quiet"]) == 0
    assert "in 5 dossier(s)" in capsys.readouterr().err


def test_site_settings_and_overrides_reach_the_site(project, capsys):
    settings = project / "convenantgen.yml"
    settings.write_text(
        settings.read_text("utf-8").replace(
            "name: Convenanten en maatregelen", "name: Convenanten van de Regio"
        ),
        "utf-8",
    )
    (project / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}Proefomgeving{% endblock %}\n', "utf-8"
    )
    assert main(["templates", "copy", "site/home.md"]) == 0
    home = project / "templates" / "site" / "home.md"
    home.write_text(home.read_text("utf-8").replace("Status op de peildatum", "Stand op"), "utf-8")
    assert main(["build", "--no-pdf", "--quiet", "--reference-date", "2026-01-01"]) == 0
    index = (project / "build" / "site" / "index.html").read_text("utf-8")
    assert "Convenanten van de Regio" in index
    assert "Proefomgeving" in index
    assert "Stand op" in index and "Status op de peildatum" not in index


def test_a_project_without_overrides_shows_the_defaults(project):
    assert main(["build", "--no-pdf", "--quiet", "--reference-date", "2026-01-01"]) == 0
    index = (project / "build" / "site" / "index.html").read_text("utf-8")
    assert "Status op de peildatum" in index
    assert "Convenanten en maatregelen" in index
    shutil.rmtree(project / "build")
