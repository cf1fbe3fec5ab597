"""A register built in shards equals the single build, byte for byte (issue 24, item 3).

Each shard and the join run as a separate ``convenantgen`` process in a project folder of
their own, as the jobs of a CI matrix do on runners of their own: the bundled content plus
generated dossiers, in three shards without PDFs; three small dossiers in two shards with
PDFs. The joined folder is compared with a single build file by file (the listing and every
file's bytes). Bad joins (a shard missing or given twice, a shard of other inputs or options,
a dossier in two shards, a file changed after the shard made it) exit 1 with a message and
write nothing.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import dossier_factory
import pytest

from convenantgen.build.shard import Member, members_of, parse_shard, partition
from convenantgen.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
DAY = "2026-12-01"
SHARDS = 3
GENERATED = 6  # dossiers beside the bundled ones


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "convenantgen.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=1800,
        check=False,
    )


def _start(cwd: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "convenantgen.cli", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def _finish(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        out, _ = proc.communicate(timeout=1800)
        assert proc.returncode == 0, f"{proc.args}: {out}"


def _generated(folder: Path, count: int) -> None:
    """``count`` dossiers from the rule tests' fixture, each with an id of its own."""
    for i in range(count):
        files = dossier_factory.replace(
            dossier_factory.base_files(), "dossier.yaml", "id: proef\n", f"id: gen-{i:02d}\n"
        )
        dossier_factory.write(folder / f"gen-{i:02d}", files)


def _project(folder: Path, *, bundled: bool, generated: int) -> Path:
    folder.mkdir(parents=True)
    shutil.copyfile(ROOT / "convenantgen.yml", folder / "convenantgen.yml")
    if bundled:
        shutil.copytree(ROOT / "content", folder / "content")
    _generated(folder / "content", generated)
    return folder


def _copies(template: Path, names: list[str]) -> dict[str, Path]:
    """One checkout per job: nothing is shared between them but what CI hands over."""
    out = {}
    for name in names:
        out[name] = template.parent / name
        shutil.copytree(template, out[name])
    return out


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _assert_same_tree(joined: Path, single: Path) -> None:
    a, b = _tree(joined), _tree(single)
    assert sorted(set(a) - set(b)) == [], "files only in the joined build"
    assert sorted(set(b) - set(a)) == [], "files only in the single build"
    assert sorted(p for p in a if a[p] != b[p]) == [], "files that differ"


@pytest.fixture(scope="module")
def no_pdf(tmp_path_factory):
    """The bundled content and generated dossiers: a single build, three shards, a join."""
    base = tmp_path_factory.mktemp("shard")
    template = _project(base / "template", bundled=True, generated=GENERATED)
    jobs = _copies(template, ["single", "join"] + [f"shard-{k}" for k in range(1, SHARDS + 1)])
    common = ["--no-pdf", "--reference-date", DAY, "--quiet"]
    procs = [
        _start(jobs["single"], "build", *common, "--no-cache", "--out", str(base / "single-out"))
    ]
    shard_outs = []
    for k in range(1, SHARDS + 1):
        out = base / "artifacts" / f"shard-{k}"
        shard_outs.append(out)
        procs.append(
            _start(
                jobs[f"shard-{k}"], "build", *common, "--shard", f"{k}/{SHARDS}", "--out", str(out)
            )
        )
    _finish(procs)
    joined = base / "joined"
    result = _cli(
        jobs["join"], "build", *common, "--join", *map(str, shard_outs), "--out", str(joined)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {
        "base": base,
        "jobs": jobs,
        "shards": shard_outs,
        "single": base / "single-out",
        "joined": joined,
        "common": common,
    }


def test_three_shards_joined_equal_the_single_build(no_pdf):
    _assert_same_tree(no_pdf["joined"], no_pdf["single"])
    tree = _tree(no_pdf["joined"])
    # The register's pages and the cross-dossier files are there, once.
    assert "site/index.html" in tree and "site/sitemap.xml" in tree
    assert any(p.startswith("site/open-data/") for p in tree)
    assert "shard.json" not in tree


def test_every_dossier_is_built_by_exactly_one_shard(no_pdf):
    records = [json.loads((s / "shard.json").read_text("utf-8")) for s in no_pdf["shards"]]
    ids = [d["id"] for r in records for d in r["dossiers"]]
    assert len(ids) == len(set(ids)) == 5 + GENERATED
    assert all(r["dossiers"] for r in records)
    # No shard builds a site: that is the join's.
    assert not any((s / "site").exists() for s in no_pdf["shards"])
    # A shard holds the files of its own dossiers only.
    for shard, record in zip(no_pdf["shards"], records, strict=True):
        own = {d["folder"] for d in record["dossiers"]}
        tops = {p.name for p in shard.iterdir() if p.is_dir()}
        assert tops == own


def test_a_shard_fills_the_cache_under_the_keys_of_a_single_build(no_pdf, tmp_path):
    """A single build in shard 1's checkout finds exactly shard 1's documents in the cache."""
    job = no_pdf["jobs"]["shard-1"]
    record = json.loads((no_pdf["shards"][0] / "shard.json").read_text("utf-8"))
    own = sum(1 for a in record["artifacts"] if a["kind"].endswith("-docx"))
    total = sum(1 for p in no_pdf["single"].rglob("*.docx") if "site" not in p.parts)
    result = _cli(job, "build", "--no-pdf", "--reference-date", DAY, "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    assert re.search(rf"cache: docx {own}/{total}\b", result.stdout), result.stdout
    assert 0 < own < total


def _refused(job: Path, args: list[str], out: Path, message: str) -> None:
    result = _cli(job, "build", *args, "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".convenantgen-staging-")]


def test_a_join_without_every_shard_is_refused(no_pdf, tmp_path):
    s1, s2, _ = map(str, no_pdf["shards"])
    job, common = no_pdf["jobs"]["join"], no_pdf["common"]
    _refused(job, [*common, "--join", s1, s2], tmp_path / "out", "shard(s) 3 of 3 missing")
    _refused(job, [*common, "--join", s1, s2, s1], tmp_path / "out", "shard 1/3 is given twice")


def test_a_shard_of_other_inputs_is_refused(no_pdf, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(no_pdf["jobs"]["shard-2"], other)
    head = other / "content" / "gen-01" / "dossier.yaml"
    text = head.read_text("utf-8")
    assert text.count("title: Proefconvenant lerarentekort\n") == 1
    # The title changed after the other shards were built (a later commit).
    head.write_text(text.replace("lerarentekort\n", "lerarentekort 2027\n"), "utf-8")
    out = tmp_path / "other-shard"
    common = no_pdf["common"]
    result = _cli(other, "build", *common, "--shard", f"2/{SHARDS}", "--out", str(out))
    assert result.returncode == 0, result.stderr
    s1, _, s3 = map(str, no_pdf["shards"])
    _refused(
        no_pdf["jobs"]["join"],
        [*common, "--join", s1, str(out), s3],
        tmp_path / "out",
        "was built from other inputs than the content here",
    )


def test_a_join_with_other_options_is_refused(no_pdf, tmp_path):
    shards = list(map(str, no_pdf["shards"]))
    _refused(
        no_pdf["jobs"]["join"],
        ["--no-pdf", "--reference-date", "2026-12-02", "--join", *shards],
        tmp_path / "out",
        "was built with other options (reference_date)",
    )


def test_a_dossier_in_two_shards_is_refused(no_pdf, tmp_path):
    s1, s2, s3 = no_pdf["shards"]
    copy = tmp_path / "shard-2"
    shutil.copytree(s2, copy)
    record = json.loads((copy / "shard.json").read_text("utf-8"))
    first = json.loads((s1 / "shard.json").read_text("utf-8"))["dossiers"][0]
    record["dossiers"].append(first)
    (copy / "shard.json").write_text(json.dumps(record), "utf-8")
    _refused(
        no_pdf["jobs"]["join"],
        [*no_pdf["common"], "--join", str(s1), str(copy), str(s3)],
        tmp_path / "out",
        f"dossier '{first['id']}' is in shard 1/3",
    )


def _edited_shard(source: Path, target: Path, edit) -> Path:
    shutil.copytree(source, target)
    record = json.loads((target / "shard.json").read_text("utf-8"))
    edit(record)
    (target / "shard.json").write_text(json.dumps(record), "utf-8")
    return target


def test_a_damaged_or_forged_shard_manifest_is_refused(no_pdf, tmp_path):
    s1, s2, s3 = no_pdf["shards"]
    job, common = no_pdf["jobs"]["join"], no_pdf["common"]

    def without_tools(record):
        del record["tools"]

    def into_the_site(record):
        record["artifacts"][0]["path"] = "site/index.html"

    def other_engine(record):
        record["tools"]["engine"] = "0" * 64

    def other_libreoffice(record):
        record["tools"]["libreoffice"] = "LibreOffice 7.0.0.0"

    damaged = _edited_shard(s2, tmp_path / "damaged", without_tools)
    forged = _edited_shard(s2, tmp_path / "forged", into_the_site)
    engine = _edited_shard(s2, tmp_path / "engine", other_engine)
    office = _edited_shard(s2, tmp_path / "office", other_libreoffice)
    for folder, message in (
        (damaged, "is no shard manifest of this version"),
        (forged, "outside its dossier's folder"),
        (engine, "was built by another version of convenantgen or of its libraries"),
        (office, "different LibreOffice versions"),
    ):
        _refused(job, [*common, "--join", str(s1), str(folder), str(s3)], tmp_path / "out", message)


def test_a_file_changed_after_its_shard_is_refused(no_pdf, tmp_path):
    s1, s2, s3 = no_pdf["shards"]
    copy = tmp_path / "shard-3"
    shutil.copytree(s3, copy)
    victim = next(p for p in sorted(copy.rglob("*.docx")))
    victim.write_bytes(victim.read_bytes() + b"\0")
    _refused(
        no_pdf["jobs"]["join"],
        [*no_pdf["common"], "--join", str(s1), str(s2), str(copy)],
        tmp_path / "out",
        "is not the file shard 3/3",
    )


def test_a_folder_that_is_no_shard_is_refused(no_pdf, tmp_path):
    s1, s2, _ = map(str, no_pdf["shards"])
    _refused(
        no_pdf["jobs"]["join"],
        [*no_pdf["common"], "--join", s1, s2, str(no_pdf["single"])],
        tmp_path / "out",
        "is not a shard's output",
    )


def test_more_shards_than_dossiers_join_equal_the_single_build(tmp_path):
    template = _project(tmp_path / "template", bundled=False, generated=2)
    jobs = _copies(template, ["single", "shards", "join"])
    common = ["--no-pdf", "--reference-date", DAY, "--quiet"]
    shards = [tmp_path / f"s{k}" for k in (1, 2, 3)]
    for k, out in enumerate(shards, start=1):
        result = _cli(jobs["shards"], "build", *common, "--shard", f"{k}/3", "--out", str(out))
        assert result.returncode == 0, result.stderr
    records = [json.loads((s / "shard.json").read_text("utf-8")) for s in shards]
    assert sorted(len(r["dossiers"]) for r in records) == [0, 1, 1]
    single = _cli(jobs["single"], "build", *common, "--no-cache", "--out", str(tmp_path / "one"))
    assert single.returncode == 0, single.stderr
    joined = tmp_path / "joined"
    result = _cli(jobs["join"], "build", *common, "--join", *map(str, shards), "--out", str(joined))
    assert result.returncode == 0, result.stderr
    _assert_same_tree(joined, tmp_path / "one")


@pytest.mark.libreoffice
def test_shards_with_pdfs_joined_equal_the_single_build(tmp_path):
    template = _project(tmp_path / "template", bundled=False, generated=3)
    jobs = _copies(template, ["single", "shard-1", "shard-2", "join"])
    common = ["--reference-date", DAY, "--quiet", "--no-cache"]
    shards = [tmp_path / "s1", tmp_path / "s2"]
    # Two at a time: the machine's two cores.
    _finish(
        [
            _start(jobs["shard-1"], "build", *common, "--shard", "1/2", "--out", str(shards[0])),
            _start(jobs["shard-2"], "build", *common, "--shard", "2/2", "--out", str(shards[1])),
        ]
    )
    _finish([_start(jobs["single"], "build", *common, "--out", str(tmp_path / "single-out"))])
    joined = tmp_path / "joined"
    result = _cli(jobs["join"], "build", *common, "--join", *map(str, shards), "--out", str(joined))
    assert result.returncode == 0, result.stdout + result.stderr
    _assert_same_tree(joined, tmp_path / "single-out")
    tree = _tree(joined)
    assert sum(p.endswith(".pdf") and not p.startswith("site/") for p in tree) >= 3 * 5
    kinds = [a["kind"] for a in json.loads(tree["manifest.json"])["artifacts"]]
    assert kinds.count("signing-package") >= 3
    # A join told to make no PDFs, of shards that made them, is refused.
    _refused(
        jobs["join"],
        ["--no-pdf", "--reference-date", DAY, "--join", *map(str, shards)],
        tmp_path / "no-pdf",
        "was built with other options (pdf)",
    )


# -- the partition ---------------------------------------------------------------------------


def _members(sizes: list[int]) -> list[Member]:
    return [Member(f"d{n:03d}", f"folder-{n:03d}", size) for n, size in enumerate(sizes)]


def test_the_partition_depends_on_ids_and_sizes_not_on_order():
    members = _members([random.Random(n).randint(100, 5000) for n in range(40)])
    groups = partition(members, 4)
    shuffled = members[:]
    random.Random(7).shuffle(shuffled)
    assert partition(shuffled, 4) == groups
    flat = [m for g in groups for m in g]
    assert flat == sorted(members, key=lambda m: m.id)  # every dossier once, runs by id


def test_the_partition_balances_by_size():
    sizes = [random.Random(n).randint(100, 5000) for n in range(60)]
    members = _members(sizes)
    for count in (2, 3, 5):
        loads = [sum(m.size for m in g) for g in partition(members, count)]
        # Within one dossier of an equal share.
        assert max(loads) - sum(sizes) / count <= max(sizes), (count, loads)
    # One large dossier and many small ones: the large one is a shard of its own.
    members = _members([10_000] + [100] * 20)
    groups = partition(members, 2)
    assert [m.id for m in groups[0]] == ["d000"]


def test_a_new_dossier_moves_few_others():
    members = _members([1000] * 30)
    before = {m.id: k for k, g in enumerate(partition(members, 3)) for m in g}
    after = {
        m.id: k
        for k, g in enumerate(partition([*members, Member("d015a", "new", 1000)], 3))
        for m in g
    }
    moved = [i for i in before if before[i] != after[i]]
    assert len(moved) <= 2, moved


def test_the_partition_goes_by_the_id_in_dossier_yaml_not_the_folder_name(tmp_path):
    for folder, ident in (("a-folder", "zeta"), ("z-folder", "alpha")):
        files = dossier_factory.replace(
            dossier_factory.base_files(), "dossier.yaml", "id: proef\n", f"id: {ident}\n"
        )
        dossier_factory.write(tmp_path / folder, files)
    members = members_of(tmp_path, None)
    assert {(m.id, m.folder) for m in members} == {("zeta", "a-folder"), ("alpha", "z-folder")}
    assert all(m.size > 1000 for m in members)
    assert [[m.folder for m in g] for g in partition(members, 2)] == [["z-folder"], ["a-folder"]]


def test_more_shards_than_dossiers_leaves_some_empty():
    groups = partition(_members([5, 5]), 3)
    assert sorted(len(g) for g in groups) == [0, 1, 1]


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "a/b", "1/0", "-1/2"])
def test_a_bad_shard_number_is_a_usage_error(text):
    with pytest.raises(UsageError, match="K/N"):
        parse_shard(text)
    assert parse_shard("2/3") == (2, 3)
