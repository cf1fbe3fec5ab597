"""The build cache: reuse what did not change, byte for byte, and survive damage and races.

The dossier is the small one of ``dossier_factory`` (a covenant, an addendum and one accession
request: 9 documents) in a project made by ``convenantgen init``. Builds go through
``run_build`` with a :class:`~convenantgen.cache.Cache`, whose stats say what was reused, or
through the real command line.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from dossier_factory import base_files, replace, write
from pypdf import PdfReader

import convenantgen.build.pdfs as pdfs_module
import convenantgen.build.run as run_module
from convenantgen.build.run import BuildOptions, run_build
from convenantgen.cache import CACHE_FOLDER, LAYOUT, Cache, _wrap
from convenantgen.cli import main
from convenantgen.errors import CheckFailed, ConvenantgenError
from convenantgen.read.project import find_project
from convenantgen.text.formatting import file_size

REFERENCE = "2026-01-01"
DOCUMENTS = 9  # 2 per agreement, 5 for the accession request (2 consents)
BATCHES = 6  # converted together: the two consents, each agreement with its signature pages
PACKAGES = 3  # one per signing act: the covenant, the addendum, the accession request
FILES = len(base_files())  # YAML files: each one's passed validation is remembered ("meta")


def _project(folder: Path) -> Path:
    assert main(["init", str(folder)]) == 0
    for old in (folder / "content").iterdir():
        for f in old.iterdir():
            f.unlink()
        old.rmdir()
    write(folder / "content" / "proef", base_files())
    return folder


def _build(project: Path, out: str, *, pdf: bool = True, site: bool = True, cache=True):
    """Build with the project's cache (or ``cache``); returns the Cache used."""
    proj = find_project(project)
    used = Cache(project / CACHE_FOLDER) if cache is True else cache
    options = BuildOptions(
        out_dir=project / out,
        pdf=pdf,
        site=site,
        reference_date=dt.date.fromisoformat(REFERENCE),
        cache=used is not None,
    )
    run_build(proj.content_dir, options, project=proj, cache=used)
    return used


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _same_trees(a: Path, b: Path) -> None:
    left, right = _tree(a), _tree(b)
    assert sorted(left) == sorted(right)
    different = [name for name in left if left[name] != right[name]]
    assert different == []


@pytest.fixture(scope="module")
def warm(tmp_path_factory) -> Path:
    """A project built once with PDFs and site: its cache is full, ``cold/`` is the output."""
    project = _project(tmp_path_factory.mktemp("cache") / "project")
    stats = _build(project, "cold").stats
    assert stats.hits == {}
    assert stats.misses == {
        "docx": DOCUMENTS,
        "batch": BATCHES,
        "pdf": DOCUMENTS,
        "package": PACKAGES,
        "site": 1,
        "site-frame": 1,
        "meta": 1 + FILES,
    }
    return project


@pytest.fixture
def project(warm, tmp_path) -> Path:
    """A copy of the warm project, cache included, for a test to change."""
    copy = tmp_path / "project"
    subprocess.run(["cp", "-a", str(warm), str(copy)], check=True)
    return copy


@pytest.mark.libreoffice
def test_rebuild_reuses_everything_and_equals_a_cold_build(project):
    stats = _build(project, "warm").stats
    assert stats.misses == {}
    assert stats.hits == {
        "docx": DOCUMENTS, "pdf": DOCUMENTS, "package": PACKAGES, "site": 1, "meta": 1 + FILES
    }  # fmt: skip
    _same_trees(project / "cold", project / "warm")
    # And a build that does not use the cache at all makes the same bytes.
    assert _build(project, "fresh", cache=None) is None
    _same_trees(project / "cold", project / "fresh")


@pytest.mark.libreoffice
def test_an_edit_remakes_only_the_documents_that_show_it(project):
    content = project / "content" / "proef"
    files = replace(base_files(), "maatregelen.yaml", "value: 40\n", "value: 45\n")
    write(content, files)
    stats = _build(project, "edited").stats
    # The target is in the covenant's text: its text and signature pages change (one version
    # id); the addendum and the five accession documents are reused.
    assert (stats.hits["docx"], stats.misses["docx"]) == (DOCUMENTS - 2, 2)
    assert (stats.hits["pdf"], stats.misses["pdf"]) == (DOCUMENTS - 2, 2)
    # The two changed documents are one batch (the signature pages number on from the text):
    # one conversion; the covenant's package takes it, the addendum's and the accession's
    # packages are reused whole (so no other batch is read).
    assert (stats.hits["batch"], stats.misses["batch"]) == (0, 1)
    assert (stats.hits["package"], stats.misses["package"]) == (PACKAGES - 1, 1)
    # The site is made from the last one (same navigation, titles and files): only the
    # changed pages again, and the same bytes as a full build (below).
    assert stats.misses["site"] == 1 and stats.hits["site-frame"] == 1
    # LibreOffice started from the profile the first build left (one per version), and the
    # PDFs are those of a build without the cache (below), which makes its profile anew.
    (seed,) = (project / CACHE_FOLDER / LAYOUT / "soffice-profile" / "files").iterdir()
    assert (seed / "user").is_dir()
    document = Document(project / "edited/proef/proef-basis.docx")
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Begeleiden van 45 starters." in [p.text for p in document.paragraphs] + cells
    _build(project, "fresh", cache=None)
    _same_trees(project / "edited", project / "fresh")


@pytest.mark.libreoffice
@pytest.mark.parametrize("plan_misses", [False, True])
def test_the_site_is_made_while_libreoffice_converts(project, monkeypatch, plan_misses):
    """The site is built before the PDFs are written, with their pages and sizes filled in
    afterwards; a plan that missed a file makes the site again from the files as written.
    Either way the output is a build without the cache, byte for byte."""
    calls: list[tuple[str, int]] = []
    make_site, write_pdf = run_module.make_site, pdfs_module.write_pdf

    def site(*args, **kwargs):
        planned = list(args[7] if len(args) > 7 else kwargs.get("planned", ()))
        calls.append(("site", len(planned)))
        return make_site(*args[:7], planned=planned[:-1] if plan_misses else planned)

    def pdf(*args):
        calls.append(("pdf", 0))
        return write_pdf(*args)

    monkeypatch.setattr(run_module, "make_site", site)
    monkeypatch.setattr(pdfs_module, "write_pdf", pdf)
    write(
        project / "content" / "proef",
        replace(base_files(), "maatregelen.yaml", "value: 40\n", "value: 46\n"),
    )
    _build(project, "while")
    sites = [n for kind, n in calls if kind == "site"]
    assert calls[0] == ("site", DOCUMENTS + PACKAGES)  # before any PDF was written
    assert sites == ([DOCUMENTS + PACKAGES, 0] if plan_misses else [DOCUMENTS + PACKAGES])
    page = (project / "while" / "site" / "proef" / "downloads" / "index.html").read_text("utf-8")
    assert "\u2063" not in page and re.search(r"\(PDF, \d+ pagina(?:&#39;s)?, [\d,]+ kB\)", page)
    monkeypatch.undo()
    _build(project, "fresh", cache=None)
    _same_trees(project / "while", project / "fresh")


def test_a_changed_title_or_file_list_builds_the_whole_site(project):
    """A page title (in every page's navigation) or a new page changes the frame: no page of
    the earlier site is kept, and the site equals a build without the cache."""
    content = project / "content" / "proef"
    files = replace(base_files(), "maatregelen.yaml", "value: 40\n", "value: 45\n")
    write(content, files)
    stats = _build(project, "value", pdf=False).stats
    assert stats.hits["site-frame"] == 1  # only the measure's pages: the same frame
    measures = (content / "maatregelen.yaml").read_text(encoding="utf-8")
    title = re.search(r"^    title: (.+)$", measures, re.M)
    assert title, "the factory's measure has a title"
    (content / "maatregelen.yaml").write_text(
        measures.replace(title.group(0), title.group(0) + " (herzien)", 1), encoding="utf-8"
    )
    stats = _build(project, "retitled", pdf=False).stats
    assert stats.misses["site-frame"] == 1 and stats.hits["site-frame"] == 0
    built = project / "retitled" / "site"
    pages = [p for p in built.rglob("*.html") if "(herzien)" in p.read_text("utf-8")]
    assert len(pages) >= 3  # the measure's page, the list of measures and the text
    _build(project, "fresh", pdf=False, cache=None)
    _same_trees(project / "retitled", project / "fresh")


@pytest.mark.libreoffice
def test_packages_whose_entries_are_gone_are_joined_from_the_cached_batches(project):
    for entry in (project / CACHE_FOLDER / LAYOUT / "package").glob("*/*"):
        entry.unlink()
    content = project / "content" / "proef"
    write(content, replace(base_files(), "maatregelen.yaml", "value: 40\n", "value: 45\n"))
    stats = _build(project, "edited", site=False).stats
    # The covenant's two documents (one batch) are converted again; while LibreOffice runs,
    # the batches of the addendum's (one) and the accession's documents are read from the
    # cache for their packages (the letter's and the notice's are not needed: their PDFs are
    # cached).
    assert (stats.hits["batch"], stats.misses["batch"]) == (3, 1)
    assert stats.misses["package"] == PACKAGES
    _build(project, "fresh", site=False, cache=None)
    _same_trees(project / "edited", project / "fresh")


@pytest.mark.libreoffice
def test_a_corrupted_and_a_half_written_entry_are_detected_and_made_again(project):
    entries = sorted((project / CACHE_FOLDER / LAYOUT / "pdf").glob("*/*"))
    assert len(entries) == DOCUMENTS
    flipped, cut = entries[0], entries[1]
    data = bytearray(flipped.read_bytes())
    data[-100] ^= 0xFF  # one bit pattern changed inside the PDF
    flipped.write_bytes(bytes(data))
    cut.write_bytes(cut.read_bytes()[: len(cut.read_bytes()) // 2])  # a copy that stopped
    stats = _build(project, "again", site=False).stats
    assert stats.broken["pdf"] == 2
    assert (stats.hits["pdf"], stats.misses["pdf"]) == (DOCUMENTS - 2, 2)
    # Split again from their batches' PDFs: LibreOffice is not needed.
    assert stats.hits["batch"] >= 1 and stats.misses["batch"] == 0
    for name, data in _tree(project / "again").items():
        assert data == (project / "cold" / name).read_bytes(), name
    # The two entries are sound again: the next build reuses all.
    assert _build(project, "third", site=False).stats.misses == {}


@pytest.mark.libreoffice
def test_a_file_that_passed_is_not_validated_again_and_an_error_always_is(project, monkeypatch):
    import convenantgen.read.load

    def no_validation(*args, **kwargs):
        raise AssertionError("validated again")

    with monkeypatch.context() as patched:
        patched.setattr(convenantgen.read.load, "validate", no_validation)
        stats = _build(project, "zelfde", pdf=False, site=False).stats
    assert stats.hits["meta"] == FILES
    # A schema error is found, and found again: findings are never taken from the cache.
    broken = replace(base_files(), "maatregelen.yaml", "value: 40\n", "value: veertig\n")
    write(project / "content" / "proef", broken)
    for attempt in ("een", "twee"):
        with pytest.raises(CheckFailed, match=r"check found 1 error\(s\)"):
            _build(project, attempt, pdf=False, site=False)


@pytest.mark.libreoffice
def test_downloads_in_the_site_are_the_build_s_own_files(warm):
    """The site's downloads are second names (or copies) of the build's files: real files
    with the same bytes, each listed in the manifest with its SHA-256."""
    import hashlib
    import json

    out = warm / "cold"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    assert len(manifest) > DOCUMENTS
    for item in manifest:
        data = (out / item["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == item["sha256"], item["path"]
        # Markdown is for review in git, the Staatscourant metadata records for delivery.
        if not item["path"].endswith(".md") and item["kind"] != "staatscourant-metadata":
            download = out / "site" / "downloads" / item["path"]
            assert download.is_file() and not download.is_symlink()
            assert download.read_bytes() == data


@pytest.mark.libreoffice
def test_downloads_page_gives_the_real_files_pages_and_size(warm):
    """Each download's link gives the number of pages and the size of the file the build
    wrote (read back here with pypdf and stat), in Dutch; the rebuild test above shows the
    page is byte-identical when the cache is used and when it is not."""
    out = warm / "cold"
    page = (out / "site" / "proef" / "downloads" / "index.html").read_text(encoding="utf-8")
    links = dict(re.findall(r'<a href="../../downloads/([^"]+)" download>(.*?)</a>', page))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    pdfs = [a for a in manifest if a["path"].endswith(".pdf")]
    assert len(pdfs) >= DOCUMENTS
    for item in pdfs:
        path = out / item["path"]
        pages = len(PdfReader(path).pages)
        words = f"{pages} pagina" if pages == 1 else f"{pages} pagina's"
        expected = f"{item['title']} (PDF, {words}, {file_size(path.stat().st_size)})"
        assert html.unescape(links[item["path"]]) == expected
    assert any(" MB)" in t or re.search(r"\d kB\)", t) for t in links.values())


@pytest.mark.libreoffice
def test_a_failed_build_leaves_the_cache_as_it_was(project):
    before = _tree(project / CACHE_FOLDER)
    edited = replace(base_files(), "maatregelen.yaml", "value: 40\n", "value: 41\n")
    write(project / "content" / "proef", edited)
    # The site step fails after two new documents were made: none of them reaches the cache.
    with pytest.raises(ConvenantgenError, match="the site failed"):
        _build(project, "kapot", pdf=False, cache=_FailingSite(project / CACHE_FOLDER))
    assert _tree(project / CACHE_FOLDER) == before
    assert not (project / "kapot").exists()


class _FailingSite(Cache):
    """A cache whose site step fails, as a site engine that breaks would."""

    def get(self, kind: str, key: str):
        if kind == "site":
            raise ConvenantgenError("the site failed")
        return super().get(kind, key)


def _cli(project: Path, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "convenantgen.cli", "build", "--quiet"]
    return subprocess.Popen(
        [*command, "--reference-date", REFERENCE, *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.libreoffice
def test_two_builds_at_once_share_one_cache(tmp_path):
    project = _project(tmp_path / "project")
    runs = [_cli(project, "--out", out, "--no-site") for out in ("een", "twee")]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    _same_trees(project / "een", project / "twee")
    # Both wrote whole entries: a third build finds every one sound and reuses it.
    stats = _build(project, "drie", site=False).stats
    assert sum(stats.broken.values()) == 0 and stats.misses == {}
    _same_trees(project / "een", project / "drie")


def test_no_cache_neither_reads_nor_writes_it(tmp_path):
    project = _project(tmp_path / "project")
    proc = _cli(project, "--out", "uit", "--no-pdf", "--no-site", "--no-cache")
    # The scaffold's example request still waits (accession-waiting): a warning, not a cache line.
    said = proc.communicate(timeout=300)[0]
    assert proc.returncode == 0 and "cache" not in said, said
    assert not (project / CACHE_FOLDER).exists()
    assert (project / "uit" / "proef" / "proef-basis.docx").is_file()


@pytest.mark.libreoffice
def test_the_build_reports_what_it_reused(project, capsys):
    assert main(["--project", str(project), "build", "--out", str(project / "nog"),
                 "--no-pdf", "--no-site", "--reference-date", REFERENCE]) == 0  # fmt: skip
    said = capsys.readouterr()
    assert f"cache: docx {DOCUMENTS}/{DOCUMENTS} reused" in said.out + said.err


@pytest.mark.libreoffice
def test_cache_clear_and_info(project, capsys):
    compiled = len(list((project / CACHE_FOLDER / LAYOUT / "jinja").rglob("*.cache")))
    assert compiled > 10
    assert main(["--project", str(project), "cache", "info"]) == 0
    info = capsys.readouterr().out
    assert f"  pdf      {DOCUMENTS:6} entries" in info
    assert main(["--project", str(project), "cache", "clear"]) == 0
    # docx, batch, pdf, packages, site and its frame record, the remembered LibreOffice
    # version, valid files, the site engine's compiled templates, LibreOffice's profile, each
    # PDF's page count (for the downloads list) and the record of the output folder the
    # fixture's build made (convenantgen.build.uptodate)
    pdfs = DOCUMENTS + PACKAGES  # each signing package is a PDF too
    removed = 2 * DOCUMENTS + BATCHES + PACKAGES + 3 + FILES + compiled + 1 + pdfs + 1
    assert capsys.readouterr().out.startswith(f"removed {removed} entries")
    assert (
        not list((project / CACHE_FOLDER).rglob("*.*"))
        and Cache(project / CACHE_FOLDER).info() == {}
    )
    stats = _build(project, "leeg", pdf=False, site=False).stats
    assert stats.hits == {} and stats.misses == {"docx": DOCUMENTS, "meta": FILES}


def test_eviction_removes_the_least_recently_used_entries(tmp_path):
    cache = Cache(tmp_path / "c", limit_mb=1)
    third = 400 * 1024
    for n, key in enumerate(["aa01", "aa02", "aa03"]):
        cache.put("pdf", key, bytes([n]) * third)
    cache.commit()  # 1.2 MB > 1 MB: the oldest goes
    assert sorted(p.name for p in (tmp_path / "c").rglob("aa0*")) == ["aa02", "aa03"]
    # A hit makes an entry recent: reading aa02, then adding aa04, evicts aa03.
    for age, key in ((300, "aa02"), (200, "aa03")):
        path = cache.path("pdf", key)
        os.utime(path, (path.stat().st_atime - age, path.stat().st_mtime - age))
    assert cache.get("pdf", "aa02") == bytes([1]) * third
    cache.put("pdf", "aa04", b"x" * third)
    cache.commit()
    assert sorted(p.name for p in (tmp_path / "c").rglob("aa0*")) == ["aa02", "aa04"]


def test_a_folder_entry_counts_its_files_and_is_evicted_whole(tmp_path):
    """LibreOffice's kept profile is a folder: its size is its files', and eviction removes
    it whole (a half profile would cost a failed conversion)."""
    cache = Cache(tmp_path / "c", limit_mb=1)
    seed = cache.folder("soffice-profile") / "versie"
    (seed / "user").mkdir(parents=True)
    (seed / "user" / "registrymodifications.xcu").write_bytes(b"p" * 700 * 1024)
    os.utime(seed, (1_000_000_000, 1_000_000_000))  # used long ago
    assert cache.info()["soffice-profile"] == (1, 700 * 1024)
    cache.put("pdf", "aa01", b"x" * 400 * 1024)
    cache.commit()  # 1.1 MB > 1 MB: the profile, the oldest, goes whole
    assert not seed.exists() and cache.get("pdf", "aa01") is not None


def test_an_entry_is_whole_and_verified(tmp_path):
    cache = Cache(tmp_path / "c")
    cache.put("docx", "ab12", b"inhoud")
    cache.commit()
    path = cache.path("docx", "ab12")
    assert path.read_bytes() == _wrap(b"inhoud")
    assert cache.get("docx", "ab12") == b"inhoud"
    path.write_bytes(_wrap(b"inhoud")[:-1])
    assert cache.get("docx", "ab12") is None and not path.exists()
    assert cache.stats.broken["docx"] == 1
    # No temporary file is left beside the entries.
    assert [p.name for p in path.parent.iterdir()] == []


@pytest.mark.libreoffice
def test_serve_offers_the_downloads_from_the_cache(project):
    from convenantgen.build.serve import SiteWatcher

    cache = Cache(project / CACHE_FOLDER)
    docs = project / "serve-docs"
    proj = find_project(project)
    watcher = SiteWatcher(
        proj.content_dir,
        docs,
        reference_date=dt.date.fromisoformat(REFERENCE),
        project=proj,
        cache=cache,
        out=open(os.devnull, "w"),  # noqa: SIM115
    )
    assert watcher.regenerate()
    assert cache.stats.misses == {} and cache.stats.hits["pdf"] == DOCUMENTS
    built = _tree(project / "cold")
    served = _tree(docs / "downloads")
    # Every document, PDF and the signing package, as the build made them; no LibreOffice ran.
    assert served == {k: v for k, v in built.items() if "/" in k and not k.startswith("site/")
                      and not k.endswith((".md", "-metadata.xml"))}  # fmt: skip
    page = (docs / "proef" / "downloads.md").read_text(encoding="utf-8")
    assert "proef-ondertekenpakket-basis.pdf" in page
    # After an edit the covenant's documents are not in the cache: serve leaves them (and its
    # package) out rather than rendering or converting them; the others stay.
    edited = replace(base_files(), "maatregelen.yaml", "value: 40\n", "value: 45\n")
    write(project / "content" / "proef", edited)
    assert watcher.regenerate()
    served = set(_tree(docs / "downloads"))
    assert "proef/proef-addendum-1.pdf" in served and "proef/proef-basis.txt" in served
    assert "proef/proef-ondertekenpakket-addendum-1.pdf" in served
    gone = {
        "proef/proef-basis.docx",
        "proef/proef-basis.pdf",
        "proef/proef-ondertekenpakket-basis.pdf",
    }
    assert not served & gone


def test_the_cache_size_is_a_project_setting(tmp_path):
    from convenantgen.build.run import open_cache
    from convenantgen.errors import CheckFailed

    folder = _project(tmp_path / "project")
    settings = folder / "convenantgen.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text + "cache:\n  size_mb: 64\n", encoding="utf-8")
    cache = open_cache(find_project(folder))
    assert (cache.root, cache.limit) == (folder.resolve() / CACHE_FOLDER, 64 * 1024 * 1024)
    settings.write_text(text + "cache:\n  size_mb: 0\n", encoding="utf-8")
    with pytest.raises(CheckFailed) as caught:
        find_project(folder)
    line = len(text.splitlines()) + 2
    expected = f"convenantgen.yml:{line}:12: error [schema-value] cache.size_mb is 0; it must be "
    expected += "at least 10"
    assert str(caught.value).endswith(expected)


def test_a_cache_that_cannot_be_written_does_not_fail_the_build(tmp_path):
    project = _project(tmp_path / "project")
    # /proc takes no new folders, not even from root.
    cache = _build(project, "uit", pdf=False, site=False, cache=Cache(Path("/proc/cg-cache")))
    assert cache.stats.problem.startswith("the cache was not written (")
    assert "the cache was not written" in cache.stats.summary()
    assert (project / "uit" / "proef" / "proef-basis.docx").is_file()


def test_a_plain_file_as_the_cache_folder_is_replaced_by_the_build(tmp_path):
    project = _project(tmp_path / "project")
    (project / CACHE_FOLDER).write_text("a file where the cache folder should be\n")
    first = _build(project, "uit", pdf=False, site=False)
    assert first.stats.hits.total() == 0
    assert (project / CACHE_FOLDER).is_dir()
    # Into another folder: into "uit" again nothing changed, and nothing is looked up.
    second = _build(project, "twee", pdf=False, site=False)
    assert second.stats.hits["docx"] > 0 and second.stats.misses["docx"] == 0
