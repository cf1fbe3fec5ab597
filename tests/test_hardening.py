"""Unit tests of issue 23's rules: path confinement (read/paths.py), the Unicode policy
(checks/characters.py), Word templates with a DOCTYPE and the cache's damage handling."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from convenantgen.cache import Cache
from convenantgen.checks.characters import check_characters
from convenantgen.errors import UnsafePath
from convenantgen.read.paths import Skipped, confined, confined_files, problem, walk
from convenantgen.render.docx.template import doctype_parts


def _codes(data) -> list[str]:
    return [d.code for d in check_characters(data, Path("x.yaml"))]


@pytest.mark.parametrize(
    ("text", "key", "codes"),
    [
        ("Stichting Voorbeeld", "name", []),
        ("Coöperatie Zuid 2025–2026", "name", []),
        ("Stichting Vооrbeeld", "name", ["text-mixed-script"]),
        ("Stichting \u202eVoorbeeld", "name", ["text-bidi"]),
        ("Tekst \u2066 met isolaat", "text", ["text-bidi"]),
        ("\u200b", "name", ["text-invisible"]),
        ("\u200b \u2060", "title", ["text-invisible"]),
        ("Voor\u200bbeeld", "title", ["text-hidden-character"]),
        ("Cre\u0301che", "name", ["text-nfc"]),
        ("Kort\x1b[31m\x07", "short_title", ["text-control"]),
        ("Regel een\nregel twee\tmet tab", "text", []),
        ("Cre\u0301che", "text", []),  # long texts: only control and bidi characters
    ],
)
def test_the_unicode_policy(text, key, codes):
    assert _codes({"parties": [{key: text}]}) == codes


def test_a_finding_names_its_place():
    (finding,) = check_characters({"parties": [{"name": "\u200b"}]}, Path("p.yaml"))
    assert finding.where.path == ("parties", 0, "name")
    assert finding.where.file == Path("p.yaml")
    assert "\\u200b" in finding.message  # shown, not hidden


def test_links_out_of_the_root_are_refused_by_name(tmp_path):
    root = tmp_path / "project"
    (root / "sub").mkdir(parents=True)
    (tmp_path / "outside.txt").write_text("x")
    (root / "inside.txt").write_text("y")
    (root / "sub" / "ok").symlink_to("../inside.txt")
    (root / "sub" / "out").symlink_to(tmp_path / "outside.txt")
    (root / "sub" / "broken").symlink_to("nowhere")
    (root / "sub" / "loop").symlink_to("loop")
    assert problem(root / "sub" / "ok", root) == ""
    assert "outside the project" in problem(root / "sub" / "out", root)
    assert "which does not exist" in problem(root / "sub" / "broken", root)
    assert problem(root / "sub" / "loop", root) == "is a symbolic link loop"
    assert problem(root / "missing", root) == ""
    with pytest.raises(UnsafePath, match="'sub/out' is a symbolic link to"):
        confined(root / "sub" / "out", root, "the file")
    items = list(walk(root / "sub", root))
    assert [p.name for p in items if isinstance(p, Path)] == ["ok"]
    assert sorted(s.path.name for s in items if isinstance(s, Skipped)) == [
        "broken",
        "loop",
        "out",
    ]
    with pytest.raises(UnsafePath, match=r"\(and 2 more\)"):
        confined_files(root / "sub", root, "the folder")


def test_a_link_loop_of_folders_is_walked_once(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f.txt").write_text("x")
    (tmp_path / "a" / "up").symlink_to("..")
    files = [p for p in walk(tmp_path, tmp_path) if isinstance(p, Path)]
    assert files == [tmp_path / "a" / "f.txt"]


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_doctype_is_found_in_any_part_and_encoding():
    clean = b'<?xml version="1.0"?><w:document/>'
    assert doctype_parts(_zip({"word/document.xml": clean})) == []
    entity = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x/>'
    assert doctype_parts(_zip({"a.xml": clean, "word/footer1.xml": entity})) == ["word/footer1.xml"]
    utf16 = entity.decode().encode("utf-16-le")
    assert doctype_parts(_zip({"word/document.xml": utf16})) == ["word/document.xml"]
    # After a long comment too: the whole part is read, in chunks.
    padded = b"<?xml version='1.0'?><!--" + b"x" * (3 * 1024 * 1024) + b"-->" + entity[21:]
    assert doctype_parts(_zip({"word/document.xml": padded})) == ["word/document.xml"]


def test_a_cache_folder_that_is_a_file_is_a_miss_and_replaced(tmp_path):
    root = tmp_path / ".convenantgen-cache"
    root.write_text("kapot")
    cache = Cache(root)
    assert cache.damaged
    assert cache.get("docx", "ab" * 32) is None
    assert cache.folder("jinja") is None
    cache.put("docx", "ab" * 32, b"inhoud")
    cache.commit()
    assert root.is_dir() and not cache.stats.problem
    assert Cache(root).get("docx", "ab" * 32) == b"inhoud"


def test_a_cache_link_is_removed_never_its_target(tmp_path):
    target = tmp_path / "elders"
    target.mkdir()
    (target / "v1").mkdir()
    (target / "v1" / "eigen.txt").write_text("van iemand anders")
    root = tmp_path / ".convenantgen-cache"
    root.symlink_to(target)
    cache = Cache(root)
    assert cache.entries() == []
    assert cache.clear() == (0, 0)
    cache.put("pdf", "cd" * 32, b"pdf")
    cache.commit()
    assert not root.is_symlink() and root.is_dir()
    assert (target / "v1" / "eigen.txt").read_text() == "van iemand anders"


def test_files_in_the_way_of_entries_are_removed(tmp_path):
    root = tmp_path / "cache"
    (root / "v1").mkdir(parents=True)
    (root / "v1" / "docx").write_text("in de weg")
    (root / "v1" / "jinja").write_text("in de weg")
    cache = Cache(root)
    assert cache.folder("jinja") is not None
    cache.put("docx", "ef" * 32, b"docx")
    cache.commit()
    assert not cache.stats.problem
    assert Cache(root).get("docx", "ef" * 32) == b"docx"


def test_stale_temporary_files_of_a_killed_build_are_removed(tmp_path):
    root = tmp_path / "cache"
    folder = root / "v1" / "pdf" / "ab"
    folder.mkdir(parents=True)
    stale, fresh = folder / ".tmp-oud", folder / ".tmp-nieuw"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(stale, (1, 1))
    Cache(root).prune()
    assert not stale.exists() and fresh.exists()
