"""Nothing changed (convenantgen.build.uptodate): a build with the inputs of the build that made
its output folder leaves that folder as it is, without loading the build's stack; any change of
input or of the output folder builds, and an incremental build equals a cold one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
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


# Modules the no-change path must not load: the YAML reader, the schemas, the check registry,
# the dossier model, the template engine and the build's own stack (the decision is made from
# the records of the last build; python -X importtime showed these as most of its time).
STAGES = (
    "convenantgen.read.project",
    "convenantgen.read.load",
    "convenantgen.checks",
    "convenantgen.model.dossier",
    "convenantgen.build.run",
    "convenantgen.cli.building",
    "ruamel.yaml",
    "jinja2",
    "jsonschema",
)


def _loaded(project: Path, *args: str, cwd: Path | None = None) -> tuple[str, list[str]]:
    code = (
        "import sys; from convenantgen.cli import main; rc = main(sys.argv[2:]); "
        "print('loaded:', ','.join(m for m in sys.argv[1].split(',') if m in sys.modules)); "
        "sys.exit(rc)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, ",".join(STAGES), *args],
        cwd=cwd or project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    said, _, loaded = proc.stdout.rpartition("loaded: ")
    return said, [m for m in loaded.strip().split(",") if m]


def test_nothing_changed_loads_no_stage(tmp_path):
    project = _project(tmp_path / "p")
    said, loaded = _loaded(project, *BUILD)  # the project's own output folder
    assert "convenantgen.build.run" in loaded  # the probe sees a real build's imports
    before = _stats(project / "build")
    said, loaded = _loaded(project, *[a for a in BUILD if a != "--quiet"])
    assert "nothing changed" in said
    assert loaded == []
    assert _stats(project / "build") == before
    # From elsewhere, naming the project and the output folder: decided as quickly.
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    args = [*BUILD, "--project", str(project), "--out", str(project / "uit")]
    _loaded(project, *args, cwd=elsewhere)
    said, loaded = _loaded(project, *[a for a in args if a != "--quiet"], cwd=elsewhere)
    assert "nothing changed" in said and loaded == []


def test_the_stat_pre_check_still_sees_every_change(tmp_path):
    project = _project(tmp_path / "p")
    out = project / "uit"
    build = [*BUILD, "--out", "uit"]
    _loaded(project, *build)
    measures = project / "content" / "proef" / "maatregelen.yaml"
    # Wait out the racy margin, so that the next build trusts the recorded hashes.
    old = measures.stat()
    os.utime(measures, ns=(old.st_atime_ns, old.st_mtime_ns - 10**10))
    time.sleep(uptodate.RACY_SECONDS + 0.5)  # its change time (now) must be older than that
    _loaded(project, *build)
    said, loaded = _loaded(project, *[a for a in build if a != "--quiet"])
    assert "nothing changed" in said and loaded == []
    record = uptodate.known_hashes(out.resolve(), uptodate.project_cache(project.resolve()))
    assert str(measures.resolve()) in {str(Path(k).resolve()) for k in record}
    # Same size, the modification time put back: the change time still gives it away.
    text = measures.read_text(encoding="utf-8")
    assert "value: 10" in text
    stamp = measures.stat()
    measures.write_text(text.replace("value: 10", "value: 12", 1), encoding="utf-8")
    os.utime(measures, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert measures.stat().st_size == stamp.st_size
    said, loaded = _loaded(project, *[a for a in build if a != "--quiet"])
    assert "nothing changed" not in said and "convenantgen.cli.building" in loaded
    cold = project / "kaal"
    assert main([*BUILD, "--project", str(project), "--out", str(cold), "--no-cache"]) == 0
    assert _tree(out) == _tree(cold)


def test_a_changed_project_file_is_read_again(tmp_path):
    project = _project(tmp_path / "p")
    _loaded(project, *BUILD)
    settings = project / "convenantgen.yml"
    text = settings.read_text(encoding="utf-8")
    assert "output: build}" in text
    settings.write_text(text.replace("output: build}", "output: elders}"), encoding="utf-8")
    said, loaded = _loaded(project, *[a for a in BUILD if a != "--quiet"])
    assert "nothing changed" not in said and "convenantgen.read.project" in loaded
    assert (project / "elders" / "manifest.json").is_file()
    said, loaded = _loaded(project, *[a for a in BUILD if a != "--quiet"])
    assert "nothing changed" in said and "elders" in said and loaded == []


def test_a_file_changed_as_it_was_hashed_is_hashed_again(tmp_path):
    fresh = tmp_path / "fresh.txt"
    fresh.write_text("a", encoding="utf-8")
    settled = tmp_path / "settled.txt"
    settled.write_text("b", encoding="utf-8")
    st = settled.stat()
    os.utime(settled, ns=(st.st_atime_ns, st.st_mtime_ns - 10**10))
    uptodate._file_hash(fresh, {})
    uptodate._file_hash(settled, {})
    trusted = uptodate._trusted_hashes()
    # The change time of both is now; only a file settled for RACY_SECONDS is trusted, and
    # ctime cannot be set back: so neither is, until the files are older.
    assert str(fresh) not in trusted and str(settled) not in trusted
    seen = uptodate._SEEN[str(settled)]
    later = [*seen[:5], seen[5] + int((uptodate.RACY_SECONDS + 1) * 1e9)]
    uptodate._SEEN[str(settled)] = later
    assert uptodate._trusted_hashes()[str(settled)] == later
