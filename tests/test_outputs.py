"""Atomic output: a failed build leaves the previous output exactly as it was."""

from __future__ import annotations

import hashlib
import json

import pytest

from convenantgen.build.staging import safe_relative, staged_output
from convenantgen.errors import UsageError


def _snapshot(folder):
    return {
        p.relative_to(folder): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_success_replaces_output_and_writes_manifest(tmp_path):
    out = tmp_path / "build"
    with staged_output(out) as staging:
        staging.write("d/a.txt", b"eerste", dossier="d", kind="text", title="A")
        staging.write_manifest()
    with staged_output(out) as staging:
        staging.write("d/b.txt", b"tweede", dossier="d", kind="text", title="B")
        staging.write_manifest()
    assert not (out / "d" / "a.txt").exists()
    assert (out / "d" / "b.txt").read_bytes() == b"tweede"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["artifacts"] == [
        {
            "dossier": "d",
            "kind": "text",
            "path": "d/b.txt",
            "sha256": hashlib.sha256((out / "d" / "b.txt").read_bytes()).hexdigest(),
            "title": "B",
        }
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["build"]  # no staging left behind


def test_failure_leaves_previous_output_untouched(tmp_path):
    out = tmp_path / "build"
    with staged_output(out) as staging:
        staging.write("d/a.txt", b"eerste", dossier="d", kind="text", title="A")
        staging.write_manifest()
    before = _snapshot(out)
    with pytest.raises(RuntimeError), staged_output(out) as staging:
        staging.write("d/a.txt", b"half", dossier="d", kind="text", title="A")
        raise RuntimeError("LibreOffice crashed")
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["build"]


def test_refuses_to_replace_a_folder_that_is_not_a_build(tmp_path):
    out = tmp_path / "documenten"
    out.mkdir()
    (out / "belangrijk.docx").write_bytes(b"eigen werk")
    with (
        pytest.raises(UsageError, match="is no convenantgen build"),
        staged_output(out),
    ):
        pass
    assert (out / "belangrijk.docx").read_bytes() == b"eigen werk"


@pytest.mark.parametrize("bad", ["../etc/passwd", "/etc/passwd", "d/../../x", ""])
def test_paths_cannot_leave_the_output(bad):
    with pytest.raises(UsageError):
        safe_relative(bad)
