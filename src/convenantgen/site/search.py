"""Stage 8, site: the search index, made on the built site for either engine (Pagefind).

Both engines' own search (MkDocs Material's lunr, Zensical's) is switched off: measured on the
bundled site (docs/site.md, "Zoeken"), lunr put the downloads pages first for place names and
found nothing for Dutch stop words ("zij") or a typo, and Zensical's box spoke English.
Pagefind indexes the HTML that either engine wrote, offline, with the Dutch stemmer of the
pages' ``lang="nl"``:

- only the ``data-pagefind-body`` part of a page is indexed (the theme's ``main.html`` puts it
  on the article of every page but service pages: downloads, open data, about, accessibility,
  search, 404), so the navigation, header and footer never match and service pages never rank;
- ``data-search-exclude`` (the charts) stays out as it did for lunr;
- beside the bundle, :data:`WORDS_FILE` lists every word of the indexed text once, so the search
  page can correct a typo ("schoolbestuuren") to the nearest word that exists, fetched only when
  a query finds nothing.

The index is split in chunks (Pagefind fetches only those of the query's words), so a query
on a register of hundreds of dossiers transfers a small part of it
(``benchmarks/bench_search.py``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from ..errors import ConvenantgenError

BUNDLE = "pagefind"  # the bundle's folder at the site root
WORDS_FILE = f"{BUNDLE}/words.txt"
BODY = "data-pagefind-body"
IGNORED = ("data-search-exclude", "data-pagefind-ignore")
# Words shorter than this are never corrected (too many near neighbours).
MIN_WORD = 4
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)


def index_site(site_dir: Path) -> None:
    """Write the Pagefind bundle and the word list into ``site_dir`` (a built site)."""
    site_dir = Path(site_dir)
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        BUNDLE,
        "--exclude-selectors",
        ", ".join(f"[{a}]" for a in IGNORED),
        "--silent",
    ]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:  # pragma: no cover - the interpreter itself is missing
        raise ConvenantgenError(f"the search index could not be made: {exc}") from exc
    if proc.returncode != 0:
        if "No module named pagefind" in proc.stderr:
            raise ConvenantgenError(
                "Pagefind is not installed; install it with: pip install 'pagefind[bin]'"
            )
        detail = (proc.stderr + proc.stdout).strip().splitlines()[-10:]
        raise ConvenantgenError("the search index (Pagefind) failed:\n" + "\n".join(detail))
    # The ready-made interfaces Pagefind adds are not used (the search page has its own, in
    # Dutch): left out of the public site.
    for unused in sorted((site_dir / BUNDLE).glob("pagefind-*")):
        if unused.name.endswith(("ui.js", "ui.css", "highlight.js")):
            unused.unlink()
    words = site_words(site_dir)
    (site_dir / WORDS_FILE).write_text("".join(w + "\n" for w in words), encoding="utf-8")


def site_words(site_dir: Path) -> list[str]:
    """Every word (lower case, at least :data:`MIN_WORD` letters) of the indexed part of the
    site's pages, sorted: the vocabulary the search page corrects typos against."""
    words: set[str] = set()
    for page in sorted(Path(site_dir).rglob("*.html")):
        if BUNDLE in page.relative_to(site_dir).parts:
            continue
        words.update(page_words(page.read_text(encoding="utf-8")))
    return sorted(words)


def page_words(html: str) -> set[str]:
    """The words of the ``data-pagefind-body`` parts of one page."""
    first = html.find(BODY)
    if first < 0:
        return set()  # a service page: nothing of it is indexed
    # Parsing starts at the tag of the first body part: what comes before it (the header and
    # the navigation, most of a page on a register of hundreds of dossiers) is never indexed.
    parser = _BodyText()
    parser.feed(html[html.rfind("<", 0, first) :])
    parser.close()
    text = " ".join(parser.parts)
    return {w.lower() for w in _WORD_RE.findall(text) if len(w) >= MIN_WORD}


class _BodyText(HTMLParser):
    """Collects the text inside elements marked ``data-pagefind-body``, less the ignored ones
    and scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool, bool]] = []  # (tag, in body, ignored) per element

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        names = {name for name, _ in attrs}
        _, body, ignored = self._stack[-1] if self._stack else ("", False, False)
        body = body or BODY in names
        ignored = ignored or bool(names & set(IGNORED)) or tag in ("script", "style")
        self._stack.append((tag, body, ignored))

    def handle_endtag(self, tag):
        # An element left open (HTML allows it for p, li) closes with its parent.
        tags = [t for t, _, _ in self._stack]
        if tag in tags:
            del self._stack[len(tags) - 1 - tags[::-1].index(tag) :]

    def handle_data(self, data):
        if self._stack and self._stack[-1][1:] == (True, False):
            self.parts.append(data)
