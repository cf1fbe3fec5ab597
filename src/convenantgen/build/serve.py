"""``serve``: the site regenerated on every change of the YAML, MkDocs rebuilds and reloads."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

from mkdocs.commands.serve import serve as mkdocs_serve

from ..cache import CacheStats
from ..context.site import Download
from ..errors import CheckFailed, ConvenantgenError, Severity
from ..read.paths import Skipped, walk
from ..read.project import Project
from ..site.engine import SIDECAR, render_site_sources, theme_dir, write_derived_config
from .inputs import load_inputs
from .run import preview_downloads, site_download

# ---------------------------------------------------------------------------------------------
# Serve: regenerate on YAML changes, MkDocs rebuilds and live-reloads


def _snapshot(content_dir: Path) -> dict[str, tuple[int, int]]:
    out = {}
    # walk, not rglob: a link loop inside the content is listed once, not followed for ever.
    for item in walk(content_dir, Path(os.path.realpath(content_dir)).parent):
        path = item.path if isinstance(item, Skipped) else item
        with contextlib.suppress(OSError):
            stat = path.lstat()
            out[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return out


def sync_folder(files: dict[str, str | bytes], docs_dir: Path) -> bool:
    """Make ``docs_dir`` hold exactly ``files``, touching only what changed,
    so MkDocs' watcher rebuilds once. Returns whether anything changed."""
    wanted: dict[str, bytes] = {
        rel: c.encode("utf-8") if isinstance(c, str) else c for rel, c in files.items()
    }
    changed = False
    for rel, data in sorted(wanted.items()):
        path = docs_dir / rel
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        changed = True
    for path in sorted(docs_dir.rglob("*"), reverse=True):
        rel = path.relative_to(docs_dir).as_posix()
        if path.is_file() and rel not in wanted:
            path.unlink()
            changed = True
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed


class SiteWatcher:
    """Regenerates the site's Markdown from ``content_dir`` into ``docs_dir`` on changes."""

    def __init__(
        self,
        content_dir: Path,
        docs_dir: Path,
        *,
        reference_date: dt.date,
        on_config=None,
        out=sys.stderr,
        project: Project | None = None,
        cache=None,
    ) -> None:
        self.project = project
        self.cache = cache  # the build cache: downloads of unchanged documents are reused
        self.content_dir = Path(content_dir)
        self.docs_dir = Path(docs_dir)
        self.reference_date = reference_date
        self.on_config = on_config
        self.out = out
        self.stop = threading.Event()
        self._seen = _snapshot(self.content_dir)

    def regenerate(self) -> bool:
        """Load, check and write the sources; on errors print them and leave docs_dir alone."""

        try:
            loaded = load_inputs(self.content_dir, project=self.project, day=self.reference_date)
        except ConvenantgenError as exc:
            print(f"convenantgen: error: {exc}", file=self.out)
            return False
        for diag in loaded.report.sorted():
            if diag.severity is not Severity.ACKNOWLEDGED:
                print(diag.format(Path.cwd()), file=self.out)
        if loaded.failed():
            print(
                f"convenantgen: {len(loaded.report.errors)} error(s); the site is not updated, "
                "the last good version stays online",
                file=self.out,
            )
            return False
        try:
            # The Markdown copy is for review in git; the site shows that text as a page.
            files_of = {
                d: data for d, data in self._downloads(loaded) if not d.path.endswith(".md")
            }
            files, _ = render_site_sources(
                loaded.dossiers,
                downloads=list(files_of),
                reference_date=self.reference_date,
                project=self.project,
            )
            files.update({f"downloads/{d.path}": data for d, data in files_of.items()})
        except ConvenantgenError as exc:
            print(f"convenantgen: error: {exc}", file=self.out)
            return False
        self.docs_dir.mkdir(parents=True, exist_ok=True)
        if self.on_config is not None:
            # The config first (navigation): MkDocs re-reads it on the rebuild.
            self.on_config(files[SIDECAR])
        sync_folder(files, self.docs_dir)
        return True

    def _downloads(self, loaded) -> list[tuple[Download, bytes]]:
        """The documents for the downloads pages: the agreements' text, and the DOCX, PDFs and
        signing packages of the current documents that an earlier build left in the cache."""

        if self.cache is not None:
            self.cache.stats = CacheStats()  # what this regeneration reused
        with tempfile.TemporaryDirectory(prefix="convenantgen-serve-") as tmp:
            artifacts = preview_downloads(loaded, self.project, self.cache, Path(tmp))
            items = [
                (site_download(a, Path(tmp) / a.path), (Path(tmp) / a.path).read_bytes())
                for a in artifacts
            ]
        if self.cache is not None:
            self.cache.commit()
            print(f"convenantgen: downloads: {self.cache.stats.summary()}", file=self.out)
        return items

    def poll(self) -> bool:
        """Regenerate if any YAML file changed since the last poll; return whether it did."""
        now = _snapshot(self.content_dir)
        if now == self._seen:
            return False
        self._seen = now
        print("convenantgen: content changed, regenerating the site", file=self.out)
        self.regenerate()
        return True

    def run(self, interval: float = 0.5) -> None:
        while not self.stop.wait(interval):
            self.poll()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(
    content_dir: Path,
    *,
    dev_addr: str = "127.0.0.1:8000",
    reference_date: dt.date,
    project: Project | None = None,
    cache=None,
) -> None:
    """Serve the site with live reload until interrupted (Ctrl+C)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

    work = Path(tempfile.mkdtemp(prefix="convenantgen-serve-"))
    docs_dir = work / "docs"
    cfg = work / "mkdocs.yml"
    theme = theme_dir(project, work)

    def on_config(sidecar: str) -> None:
        (docs_dir / SIDECAR).write_text(sidecar, encoding="utf-8")
        write_derived_config(docs_dir, work / "site", cfg, project=project, theme=theme)

    watcher = SiteWatcher(
        content_dir,
        docs_dir,
        reference_date=reference_date,
        on_config=on_config,
        project=project,
        cache=cache,
    )
    try:
        if not watcher.regenerate():
            raise CheckFailed("the content has errors; fix them and run serve again")
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        mk_log = logging.getLogger("mkdocs")
        mk_log.addHandler(handler)
        mk_log.setLevel(logging.INFO)
        thread = threading.Thread(target=watcher.run, name="convenantgen-watch", daemon=True)
        thread.start()
        if threading.current_thread() is threading.main_thread():
            # A plain `kill` stops the server like Ctrl+C does, so the temp folders go too.
            signal.signal(signal.SIGTERM, _interrupt)
        try:
            mkdocs_serve(config_file=str(cfg), livereload=True, dev_addr=dev_addr, strict=False)
        finally:
            watcher.stop.set()
            thread.join(timeout=5)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Command line: ``convenantgen serve``
