"""The benchmarks' synthetic dossiers stay valid, so the figures keep measuring real work."""

from __future__ import annotations

import sys
from pathlib import Path

from convenantgen.read.load import load_content

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_build  # noqa: E402
import bench_check  # noqa: E402
import harness  # noqa: E402


def test_check_benchmark_dossier_is_clean(tmp_path):
    folder = bench_check.synthetic_dossier(tmp_path / "synthetisch", 25)
    loaded = load_content(folder)
    assert [d.format() for d in loaded.report.sorted()] == []
    assert len(loaded.dossiers[0].parties) == 25


def test_build_benchmark_dossier_is_clean(tmp_path):
    folder = tmp_path / "groot"
    bench_build.write_dossier(folder, 30, 2)
    loaded = load_content(folder)
    assert not loaded.failed(), [d.format() for d in loaded.report.sorted()]
    (dossier,) = loaded.dossiers
    assert len(dossier.accessions) == 2
    assert len(dossier.parties) >= 30


def test_the_harness_register_is_n_dossiers_that_pass_check(tmp_path):
    folders = harness.register(tmp_path, 3)
    assert [f.name for f in folders] == ["p0000", "p0001", "p0002"]
    loaded = load_content(tmp_path / "content")
    assert not loaded.failed(), [d.format() for d in loaded.report.sorted()]
    assert [d.id for d in loaded.dossiers] == ["p0000", "p0001", "p0002"]


def test_the_harness_tells_output_folders_apart(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        (folder / "sub").mkdir(parents=True)
        (folder / "sub" / "same.txt").write_bytes(b"x")
    (a / "only-a.txt").write_bytes(b"1")
    (b / "sub" / "same.txt").write_bytes(b"y")
    assert harness.differences(a, b) == ["only-a.txt", "sub/same.txt"]
    assert harness.differences(a, a) == []
