"""Nothing changed (convenantgen.build.uptodate): a build with the inputs of the build that made
its output folder leaves that folder as it is, without loading the build's stack; any change of
input or of the output folder builds, and an incremental build equals a cold one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dossier_factory import base_files, write

from convenantgen.build import uptodate
from convenantgen.build.options import BuildOptions
from convenantgen.cli import main
from convenantgen.read.project import find_project
from convenantgen.render.pdf.convert import SOFFICE_ENV

REFERENCE = "2026-01-01"
BUILD = ["build", "--quiet", "--no-pdf", "--reference-date", REFERENCE]


def _project(folder: Path) -> Path:
    assert main(["init", str(folder)]) == 0
    for old in (folder / "content").iterdir():
        for f in old.iterdir():
            f.unlink()
        old.rmdir()
    write(folder / "content" / "proef", base_files())
    return folder


def _stats(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _cli(project: Path, *args: str) -> str:
    # The program that checks which libraries were loaded: the no-change path must not load
    # the build's stack.
    code = (
        "import sys; from convenantgen.cli import main; rc = main(sys.argv[1:]); "
        "heavy = [m for m in ('pypdf', 'docx', 'docxtpl', 'mkdocs', 'pyhanko') "
        "if m in sys.modules]; "
        "print('loaded:', ','.join(heavy)); sys.exit(rc)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_nothing_changed_leaves_the_output_as_it_is(tmp_path):
    project = _project(tmp_path / "p")
    out = project / "uit"
    assert "loaded: " in _cli(project, *BUILD, "--out", "uit")
    before = _stats(out)
    said = _cli(project, *[a for a in BUILD if a != "--quiet"], "--out", "uit")
    assert "nothing changed" in said and "loaded: \n" in said  # nothing heavy imported
    assert _stats(out) == before  # the same files: not written again


def test_a_change_of_input_or_output_builds_and_equals_a_cold_build(tmp_path):
    project = _project(tmp_path / "p")
    out = project / "uit"
    assert main([*BUILD, "--project", str(project), "--out", str(out)]) == 0
    # An output file edited by hand: the next build makes the folder anew.
    victim = out / "manifest.json"
    victim.write_text("{}", encoding="utf-8")
    assert main([*BUILD, "--project", str(project), "--out", str(out)]) == 0
    assert victim.read_text(encoding="utf-8") != "{}"
    # One value of the content changed: built again, equal to a build without the cache.
    measures = project / "content" / "proef" / "maatregelen.yaml"
    text = measures.read_text(encoding="utf-8")
    assert "value: 10" in text
    measures.write_text(text.replace("value: 10", "value: 11", 1), encoding="utf-8")
    before = _stats(out)
    assert main([*BUILD, "--project", str(project), "--out", str(out)]) == 0
    assert _stats(out) != before
    cold = project / "kaal"
    assert main([*BUILD, "--project", str(project), "--out", str(cold), "--no-cache"]) == 0
    assert _tree(out) == _tree(cold)


def test_the_fingerprint_follows_options_and_files(tmp_path):
    project = _project(tmp_path / "p")
    proj = find_project(project)
    options = BuildOptions(out_dir=project / "uit", pdf=False)
    first = uptodate.inputs_fingerprint(proj.content_dir, options, proj)
    assert first == uptodate.inputs_fingerprint(proj.content_dir, options, proj)
    other = BuildOptions(out_dir=project / "uit", pdf=False, jobs=7, timeout=5.0)
    assert uptodate.inputs_fingerprint(proj.content_dir, other, proj) == first
    strict = BuildOptions(out_dir=project / "uit", pdf=False, strict=True)
    assert uptodate.inputs_fingerprint(proj.content_dir, strict, proj) != first
    os.utime(project / "content" / "proef" / "dossier.yaml", (1, 1))  # touched, not changed
    assert uptodate.inputs_fingerprint(proj.content_dir, options, proj) == first
    (project / "templates" / "extra.txt").write_text("x", encoding="utf-8")
    assert uptodate.inputs_fingerprint(proj.content_dir, options, proj) != first
    assert uptodate.SOFFICE_ENV == SOFFICE_ENV
