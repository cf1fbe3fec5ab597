"""Stage 8, site: tables that stack on a phone, made on the built site for either engine.

On a phone (below 40em) a table of key facts becomes one block per row, each cell a
"label: value" line, so no column is hidden to the right (measured on the bundled site: 53 of
86 tables hid the target value, the representative or the file link at 390 px). The labels are
the column headers: this step gives every body cell of a Markdown table its header as
``data-label`` and the table ``data-cg-stack``; the theme's CSS (``convenantgen.css``) does the
rest, so the content needs no JavaScript. MkDocs' hook (``site/hooks.py``) labels each page as
it is written; for Zensical, which runs no hooks, :func:`stack_tables` labels the HTML it wrote
(the same tables under both); the register on the home page has its own
cards (``convenantgen.js``) and is left alone.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

STACK = "data-cg-stack"
# Python-Markdown writes a table as plain tags, one per line; a table of the theme or of a
# template that carries attributes of its own is not touched.
_TABLE_RE = re.compile(r"<table>(.*?)</table>", re.S)
_HEAD_RE = re.compile(r"<thead>(.*?)</thead>", re.S)
_BODY_RE = re.compile(r"<tbody>(.*?)</tbody>", re.S)
_TH_RE = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_ROW_RE = re.compile(r"<tr>(.*?)</tr>", re.S)
_TD_RE = re.compile(r"<td\b")
_TAG_RE = re.compile(r"<[^>]+>")
_ROLES = (
    ("thead", "rowgroup"),
    ("tbody", "rowgroup"),
    ("tr", "row"),
    ("th", "columnheader"),
    ("td", "cell"),
)
# The register's table follows this opening tag (templates/site/home.md).
_OWN_CARDS = '<div class="cg-register"'


def stack_tables(site_dir: Path) -> None:
    """Label the cells of every table of every page of ``site_dir`` (a built site)."""
    for page in sorted(Path(site_dir).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "<table>" not in text:
            continue
        labelled = label_tables(text)
        if labelled != text:
            page.write_bytes(labelled.encode("utf-8"))


def label_tables(page: str) -> str:
    """``page`` with ``data-label`` on each body cell of its Markdown tables."""
    out, last = [], 0
    for match in _TABLE_RE.finditer(page):
        out.append(page[last : match.start()])
        last = match.end()
        before = page[: match.start()]
        if before.rfind(_OWN_CARDS) > before.rfind("</table>"):
            out.append(match.group(0))
            continue
        out.append(_labelled(match.group(1)))
    out.append(page[last:])
    return "".join(out)


def _labelled(inner: str) -> str:
    head, body = _HEAD_RE.search(inner), _BODY_RE.search(inner)
    if head is None or body is None:
        return f"<table>{inner}</table>"
    labels = [_attribute(cell) for cell in _TH_RE.findall(head.group(1))]

    def row(match: re.Match) -> str:
        cells = iter(labels)

        def cell(_: re.Match) -> str:
            label = next(cells, "")
            return f'<td data-label="{label}"' if label else "<td"

        return "<tr>" + _TD_RE.sub(cell, match.group(1)) + "</tr>"

    rows = _ROW_RE.sub(row, body.group(1))
    inner = inner[: body.start(1)] + rows + inner[body.end(1) :]
    for tag, role in _ROLES:
        inner = re.sub(rf"<{tag}(?=[ >])", f'<{tag} role="{role}"', inner)
    return f'<table {STACK} role="table">{inner}</table>'


def _attribute(cell: str) -> str:
    """A header cell's text, as an attribute value."""
    text = " ".join(html.unescape(_TAG_RE.sub("", cell)).split())
    return html.escape(text, quote=True)
