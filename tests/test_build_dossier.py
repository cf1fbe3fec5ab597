"""`build --dossier X` (issue 20): X is built, the other dossiers' output stays as the last
build made it, and the site still shows every dossier; the result is the full build's."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from convenantgen.cli import main

CONTENT = Path(__file__).resolve().parents[1] / "content"
CHOSEN, OTHER = "dierziekten-lnv", "zoetwater-ijsselmeergebied"


def _build(content: Path, out: Path, *extra: str) -> int:
    return main(["build", str(content), "--out", str(out), "--quiet", "--no-cache", "--no-pdf",
                 "--reference-date", "2026-12-01", *extra])  # fmt: skip


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_one_dossier_keeps_the_others_and_the_whole_site(tmp_path, capsys):
    content = tmp_path / "content"
    for name in (CHOSEN, OTHER):
        shutil.copytree(CONTENT / name, content / name)
    out = tmp_path / "out"
    assert _build(content, out) == 0
    before = _tree(out)
    other_files = {k: v for k, v in before.items() if k.startswith(f"{OTHER}/")}
    assert other_files and any(k.startswith(f"site/{OTHER}/") for k in before)

    # Change the chosen dossier, then build only it.
    dossier = content / CHOSEN / "dossier.yaml"
    text = dossier.read_text("utf-8")
    dossier.write_text(text.replace("short_title: Dierziekten 2020–2024", "short_title: DGF"))
    assert _build(content, out, "--dossier", CHOSEN) == 0
    after = _tree(out)
    assert {k: v for k, v in after.items() if k.startswith(f"{OTHER}/")} == other_files
    assert any(k.startswith(f"site/{OTHER}/") for k in after)
    assert after != before  # the chosen dossier was built anew
    # Byte for byte what a full build of the changed content makes.
    full = tmp_path / "full"
    assert _build(content, full) == 0
    assert after == _tree(full)

    # The site shows every dossier, so another dossier that fails its check stops the build,
    # and says so; without the site the chosen dossier builds.
    broken = content / OTHER / "dossier.yaml"
    broken.write_text(broken.read_text("utf-8").replace("kind: dossier", "kind: dossier\nfout: 1"))
    capsys.readouterr()
    assert _build(content, out, "--dossier", CHOSEN) != 0
    err = capsys.readouterr().err
    assert "the site shows every dossier" in err and "--no-site" in err
    assert _tree(out) == after  # nothing written
    assert _build(content, out, "--dossier", CHOSEN, "--no-site") == 0
    kept = _tree(out)
    assert {k: v for k, v in kept.items() if k.startswith(f"{OTHER}/")} == other_files
    assert not any(k.startswith("site/") for k in kept)
