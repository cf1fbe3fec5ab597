"""The bundled content builds to the same files, byte for byte, as recorded in
``tests/golden/build-tree.json`` (every file of the output: documents, PDFs, signing packages,
site). A change of output must be intended: rewrite the record with
``CONVENANTGEN_UPDATE_GOLDEN=1 pytest tests/test_golden_build.py`` and say why in the commit."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from convenantgen.cli import main

pytestmark = pytest.mark.libreoffice

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "build-tree.json"
# A fixed reference date: the site states each dossier's status on it.
DAY = "2026-12-01"


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_bundled_build_equals_the_golden_tree(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    args = ["build", "content", "--out", str(out), "--reference-date", DAY, "--no-cache"]
    assert main([*args, "--quiet"]) == 0
    tree = _tree(out)
    if os.environ.get("CONVENANTGEN_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(tree, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sorted(set(tree) - set(golden)) == [], "files the golden build does not have"
    assert sorted(set(golden) - set(tree)) == [], "files missing from the build"
    assert sorted(p for p in golden if golden[p] != tree[p]) == [], "files that changed"
    assert len(golden) > 300 and any(p.endswith(".pdf") for p in golden)
