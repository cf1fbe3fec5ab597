"""The engine installs and runs without the source tree.

Builds the wheel, installs it in a fresh virtual environment outside the repository, creates
two projects with ``convenantgen init``, overrides a Word template (a restyled title), the
wording and a site setting in one of them, and builds both with PDF: the first shows every
change, the second the defaults.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

# Both projects are built with PDF.
pytestmark = pytest.mark.libreoffice

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 0, f"{args}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("install")
    wheels = work / "wheels"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        cwd=work,
    )
    (wheel,) = wheels.glob("convenantgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for data in (
        "convenantgen/templates/agreement.docx",
        "convenantgen/templates/wording.yml",
        "convenantgen/templates/site/measure.md",
        "convenantgen/project_template/.github/workflows/site.yml",
        "convenantgen/project_template/.pre-commit-config.yaml",
        "convenantgen/_data/schema/project.yaml",
        "convenantgen/_data/mkdocs.yml",
    ):
        assert data in names, data
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    _run([*pip, str(wheel)], cwd=work)
    return env_dir / "bin" / "convenantgen"


def _clean_env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["HOME"] = str(tmp)
    return env


def _restyle_title(docx: Path) -> None:
    """A penvoerder restyles the title in Word: dark red, 20 pt."""
    with zipfile.ZipFile(docx) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    styles = parts["word/styles.xml"].decode("utf-8")
    start = styles.index('w:styleId="Title"')
    end = styles.index("</w:style>", start)
    block = styles[start:end]
    block = re.sub(r'<w:color w:val="[0-9A-Fa-f]{6}"/>', '<w:color w:val="8B0000"/>', block)
    block = re.sub(r'<w:sz w:val="\d+"/>', '<w:sz w:val="40"/>', block)
    parts["word/styles.xml"] = (styles[:start] + block + styles[end:]).encode("utf-8")
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_installed_engine_builds_projects_with_and_without_overrides(installed, tmp_path):
    cg = str(installed)
    env = _clean_env(tmp_path)
    own, plain = tmp_path / "eigen", tmp_path / "standaard"
    _run([cg, "init", str(own)], cwd=tmp_path, env=env)
    _run([cg, "init", str(plain)], cwd=tmp_path, env=env)

    _run([cg, "templates", "copy", "agreement.docx"], cwd=own, env=env)
    _restyle_title(own / "templates" / "agreement.docx")
    (own / "templates" / "wording.yml").write_text(
        "agreement:\n"
        "  closing: 'Zo afgesproken en in {{ copies }} getekend{% if place %} te {{ place }}"
        "{% endif %}'\n",
        "utf-8",
    )
    settings = own / "convenantgen.yml"
    settings.write_text(
        settings.read_text("utf-8").replace(
            "name: Convenanten en maatregelen", "name: Convenantenregister Eigen Regio"
        ),
        "utf-8",
    )
    for project in (own, plain):
        _run([cg, "build", "--quiet", "--reference-date", "2026-01-01"], cwd=project, env=env)

    own_pdf = _pdf_text(own / "build" / "voorbeeld" / "voorbeeld-convenant.pdf")
    plain_pdf = _pdf_text(plain / "build" / "voorbeeld" / "voorbeeld-convenant.pdf")
    assert "Zo afgesproken en in enkelvoud getekend te Voorbeeldstad" in own_pdf
    assert "Aldus overeengekomen" not in own_pdf
    assert "Aldus overeengekomen en in enkelvoud ondertekend, te Voorbeeldstad" in plain_pdf

    def title_style(project: Path) -> str:
        docx = project / "build" / "voorbeeld" / "voorbeeld-convenant.docx"
        styles = zipfile.ZipFile(docx).read("word/styles.xml").decode("utf-8")
        start = styles.index('w:styleId="Title"')
        return styles[start : styles.index("</w:style>", start)]

    assert '<w:color w:val="8B0000"/>' in title_style(own)
    assert '<w:sz w:val="40"/>' in title_style(own)
    assert '<w:color w:val="8B0000"/>' not in title_style(plain)

    own_site = (own / "build" / "site" / "index.html").read_text("utf-8")
    plain_site = (plain / "build" / "site" / "index.html").read_text("utf-8")
    assert "Convenantenregister Eigen Regio" in own_site
    assert "Convenantenregister Eigen Regio" not in plain_site
    assert "Convenanten en maatregelen" in plain_site
