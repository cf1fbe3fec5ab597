"""The benchmarks' synthetic dossiers stay valid, so the figures keep measuring real work."""

from __future__ import annotations

import sys
from pathlib import Path

from convenantgen.read.load import load_content

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_build  # noqa: E402
import bench_check  # noqa: E402


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
