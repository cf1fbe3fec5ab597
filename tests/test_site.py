"""The public site, built for real: generated Markdown → ``mkdocs build --strict`` → HTML.

The site is built once per session (:func:`built_site`, also used by the browser tests) from
the bundled content plus a fixture dossier whose texts carry ``<script>`` and ``</title>``,
with fake download files placed where the build orchestrator puts the real ones.
"""

from __future__ import annotations

import atexit
import csv
import datetime as dt
import functools
import hashlib
import io
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from pypdf import PdfWriter

from convenantgen.build.run import site_download
from convenantgen.build.staging import Artifact
from convenantgen.context import site as site_context
from convenantgen.context.site import Download
from convenantgen.errors import ConvenantgenError
from convenantgen.model import derive as domain
from convenantgen.read.load import load_content
from convenantgen.site import engine as site
from convenantgen.site import opendata
from convenantgen.site.engine import build_site, write_site_sources
from convenantgen.site.search import page_words
from convenantgen.states import TermState
from convenantgen.text.markdown import md
from convenantgen.text.wording import Wording, check_entries

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
REFERENCE_DATE = dt.date(2025, 3, 1)
XSS_TITLE = "Zij-instroom </title><script>window.__xss = 'title'</script>"
XSS_TEXT = "<script>window.__xss = 'text'</script> & <b>vet</b> *geen nadruk*"
# Markdown syntax that HTML escaping does not stop: an attribute list and a javascript: link.
XSS_LABEL = "Behoud [x](#){: tabindex=1 autofocus onfocus=alert(9) }"
XSS_LINK = "Begeleiding [klik](javascript:alert(2)) <img src=x onerror=alert(3)>"


_STACK_RE = re.compile(
    r' (?:data-label="[^"]*"|data-cg-stack|role="(?:table|rowgroup|row|columnheader|cell)")(?=[ >])'
)


@dataclass(frozen=True)
class BuiltSite:
    content: Path
    docs: Path
    site: Path
    downloads: list[Download]

    def html(self, url_path: str) -> str:
        """The HTML of a page by its URL path (``almere/partijen/``), without the labels that
        stack a table on a phone (``site/tables.py``, tested in test_site_layout.py), so a
        test reads a cell as ``<td>…</td>``."""
        return _STACK_RE.sub("", self.raw_html(url_path))

    def raw_html(self, url_path: str) -> str:
        return (self.site / url_path / "index.html").read_text(encoding="utf-8")


def _xss_dossier(target: Path) -> None:
    """A copy of the Almere dossier under another id, with markup in titles and texts."""
    shutil.copytree(CONTENT / "almere", target)
    head = target / "dossier.yaml"
    head.write_text(
        head.read_text(encoding="utf-8")
        .replace("id: almere", "id: xss", 1)
        .replace("short_title: G5 Almere", 'short_title: "XSS <i>test</i>"', 1)
        .replace("label: Behoud", f"label: {json.dumps(XSS_LABEL)}", 1),
        encoding="utf-8",
    )
    measures = target / "maatregelen.yaml"
    text = measures.read_text(encoding="utf-8")
    text = text.replace("title: Zij-instroom", f"title: {json.dumps(XSS_TITLE)}", 1)
    text = text.replace("      - Begeleiding op maat.", f"      - {json.dumps(XSS_LINK)}", 1)
    text = text.replace(
        "      - Het aantrekken, opleiden en begeleiden van zij-instromers",
        f"      - {json.dumps(XSS_TEXT)}\n      - Het aantrekken, opleiden en begeleiden van"
        " zij-instromers",
        1,
    )
    measures.write_text(text, encoding="utf-8")


def _blank_pdf(pages: int) -> bytes:
    """A real PDF of blank pages (the same bytes every time), so the page count is read."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# A Word file of this size shows as "2,5 MB": the size is the file's, formatted in Dutch.
LARGE = 2_500_000


def _fake_downloads(site: Path, dossiers: list[str]) -> list[dict]:
    """Manifest entries of the kinds a real build writes; the PDFs are real PDFs of 12 and 1
    pages (the page counts the site must show), the Word files stand-ins."""
    entries = []
    for dossier in dossiers:
        for name, kind, title, data in (
            (
                f"{dossier}-addendum.docx",
                "agreement-docx",
                f"Addendum {dossier}",
                b"x" * LARGE,
            ),
            (f"{dossier}-addendum.pdf", "agreement-pdf", f"Addendum {dossier}", _blank_pdf(12)),
            (
                f"handtekeningen-{dossier}.docx",
                "signature-pages-docx",
                "Ondertekening",
                f"fake {dossier}\n".encode(),
            ),
            (
                f"ondertekenpakket-{dossier}.pdf",
                "signing-package",
                "Ondertekenpakket",
                _blank_pdf(1),
            ),
        ):
            entries.append(
                {
                    "dossier": dossier,
                    "kind": kind,
                    "path": f"{dossier}/{name}",
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "title": title,
                    "_data": data,
                }
            )
    return entries


@functools.cache
def _build() -> BuiltSite:
    """Build once per process; both test modules share it (a session-wide cache)."""
    work = Path(tempfile.mkdtemp(prefix="convenantgen-test-site-"))
    atexit.register(shutil.rmtree, work, True)
    content = work / "content"
    shutil.copytree(CONTENT, content)
    _xss_dossier(content / "xss")
    loaded = load_content(content)
    assert not loaded.report.errors, [d.format() for d in loaded.report.errors]
    ids = [d.id for d in loaded.dossiers]
    entries = _fake_downloads(work, ids)
    # Read as the build reads its output files: size and page count from the file itself.
    files = work / "files"
    downloads = []
    for e in entries:
        (files / e["path"]).parent.mkdir(parents=True, exist_ok=True)
        (files / e["path"]).write_bytes(e["_data"])
        artifact = Artifact(**{k: v for k, v in e.items() if k != "_data"})
        downloads.append(site_download(artifact, files / e["path"]))
    docs, site = work / "docs", work / "site"
    write_site_sources(loaded.dossiers, docs, downloads=downloads, reference_date=REFERENCE_DATE)
    build_site(docs, site)
    # What the build orchestrator does after MkDocs: place the files under downloads/.
    for entry in entries:
        target = site / "downloads" / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(entry["_data"])
    return BuiltSite(content, docs, site, downloads)


@pytest.fixture(scope="session")
def built_site() -> BuiltSite:
    return _build()


# ---------------------------------------------------------------------------------------------
# Pages


def test_home_lists_every_dossier_with_its_status(built_site):
    html = built_site.html("")
    assert '<html lang="nl"' in html
    for dossier_id in ("almere", "onderwijsregio", "xss"):
        assert f'href="{dossier_id}/"' in html
    # Almere: covenant ended 31 August 2024, extended to 31 December 2025.
    row = re.search(r'<tr>\s*<td><a href="almere/">.*?</tr>', html, re.S).group(0)
    assert "verlengd" in row
    assert "tot en met 31 december 2025" in row


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (
            dt.date(2020, 1, 1),
            TermState.RUNNING,
        ),  # the covenant's start is unknown: not 'in voorbereiding'
        (dt.date(2024, 8, 31), TermState.RUNNING),
        (dt.date(2024, 9, 1), TermState.EXTENDED),
        (dt.date(2025, 12, 31), TermState.EXTENDED),
        (dt.date(2026, 1, 1), TermState.ENDED),
    ],
)
def test_status_follows_the_periods(day, expected, bundled_loaded):
    dossier = next(d for d in bundled_loaded.dossiers if d.id == "almere")
    assert site_context.DossierFacts.of(dossier, day).status == expected


def test_status_before_a_known_start_is_in_preparation():
    term = domain.Term(dt.date(2026, 8, 1), dt.date(2027, 7, 31), ())
    assert domain.status(term, dt.date(2026, 7, 31)) is TermState.PREPARATION
    assert domain.status(term, dt.date(2026, 8, 1)) is TermState.RUNNING
    assert domain.status(None, dt.date(2026, 8, 1)) is TermState.UNKNOWN


def test_overview_shows_citation_term_penvoerder_and_provenance(built_site):
    html = built_site.html("almere")
    assert "Stcrt. 2020, 38286" in html
    assert "tot en met 31 augustus 2024" in html
    assert "1 september 2024 tot en met 31 december 2025" in html  # the extension
    assert "Almeerse Scholen Groep (ASG - PO)" in html
    assert "16 (15 op 1 maart 2025)" in html
    assert "Uit de bronnen" in html and "Illustratief" in html
    # Provenance for readers: Dutch, without repository paths or the YAML's technical notes.
    assert "De gemeten resultaten bij de maatregelen." in html
    assert "Monitoring results" not in html and "maatregelen.yaml" not in html
    assert "shared/seeds" not in html and "toetredingen.yaml" not in html


def _download_links(html: str) -> dict[str, str]:
    """href -> link text of the page's download links."""
    return {
        href: re.sub(r"<[^>]+>", "", text)
        for href, text in re.findall(r'<a href="([^"]+)" download>(.*?)</a>', html, re.S)
    }


def test_downloads_are_labelled_by_title_type_pages_and_size(built_site):
    """The link says what the file is: its title, its form, a PDF's pages and its size, read
    from the files and in Dutch (decimal comma); the authoritative text is marked."""
    html = built_site.html("almere/downloads")
    links = _download_links(html)
    base = "../../downloads/almere/"
    # The blank PDFs are about 1 and 2 kB; the Word stand-in is 2.500.000 bytes.
    assert re.fullmatch(
        r"Addendum almere \(PDF, 12 pagina's, \d kB\)", links[base + "almere-addendum.pdf"]
    )
    assert re.fullmatch(
        r"Ondertekenpakket \(PDF, 1 pagina, \d kB\)", links[base + "ondertekenpakket-almere.pdf"]
    )
    assert links[base + "almere-addendum.docx"] == "Addendum almere (Word, 2,5 MB)"
    assert links[base + "handtekeningen-almere.docx"] == "Ondertekening (Word, 1 kB)"
    assert re.search(r" kB\)</a>: overeenkomst, <strong>gezaghebbende tekst</strong>", html)
    assert "(Word, 1 kB)</a>: handtekeningenpagina's" in html
    assert html.count("gezaghebbende tekst</strong>") == 1
    for english in ("agreement docx", "signing package", "signature pages"):
        assert english not in html


def test_one_page_per_measure_with_letter_and_targets(built_site):
    for measure_id, letter in [
        ("begeleidingsprogramma", "A"),
        ("ondersteuning-in-de-school", "B"),
        ("onderwijsassistenten", "C"),
        ("alternatieve-invulling", "D"),
        ("zij-instroom", "E"),
    ]:
        html = built_site.html(f"almere/maatregelen/{measure_id}")
        assert "<h1 id=" in html and f"Maatregel {letter}: " in html
    a = built_site.html("almere/maatregelen/begeleidingsprogramma")
    assert "<td>kleiner dan</td>" in a
    assert "<td>10%</td>" in a
    assert "Het percentage uitval is kleiner dan 10% bij startende leraren." in a
    assert 'class="cg-tag">Behoud</span>' in a
    assert "Wat heeft gewerkt" in a and "Wat wordt versterkt" in a
    b = built_site.html("almere/maatregelen/ondersteuning-in-de-school")
    assert "<td>nulmeting gepland</td>" in b
    assert "<td>7,0</td>" in b  # a grade, in Dutch notation
    c = built_site.html("almere/maatregelen/onderwijsassistenten")
    assert "1 januari 2024 tot en met 31 december 2025" in c
    e = built_site.html("almere/maatregelen/zij-instroom")
    assert "<td>per schooljaar</td>" in e
    assert "<td>40 zij-instromers</td>" in e


def test_measure_with_results_shows_an_accessible_chart(built_site):
    html = built_site.html("almere/maatregelen/zij-instroom")
    svg = re.search(r"<svg [^>]*class=\"cg-chart\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert "<title " in svg and "<desc " in svg
    assert "43 zij-instromers" in svg  # the value as a text label
    assert "illustratief" in svg
    assert "Doel: ten minste 40 zij-instromers" in svg
    # Met, since 43 >= 40, and marked as illustrative in the table too.
    assert re.search(r"<td>43 zij-instromers \(illustratief\)</td>\s*<td>ja</td>", html)
    chart = built_site.site / "almere/maatregelen/charts/e-zij-instromers.svg"
    assert chart.read_text(encoding="utf-8").startswith("<svg")


def test_chart_says_when_a_target_is_missed():
    from convenantgen.context.charts import ChartPoint, met, results_chart

    assert met(12, "<", 10) is False and met(8, "<", 10) is True
    assert met(4.0, "=", 4) is True and met(None or 0, None, 10) is None
    svg = results_chart(
        chart_id="t",
        title="Uitval <test>",
        points=[ChartPoint("2024–2025", 12, "12%", False, met(12, "<", 10))],
        target_value=10,
        target_text="kleiner dan 10%",
        unit="percent",
    )
    assert "doel niet gehaald" in svg
    assert "Uitval &lt;test&gt;" in svg
    assert "illustratief" not in svg


def _glance_after(html: str, heading: str) -> list[str]:
    """The items of the first at-a-glance list after ``heading`` (its text)."""
    start = html.index(heading)
    block = re.search(r'<ul class="cg-glance">(.*?)</ul>', html[start:], re.S).group(1)
    return re.findall(r"<li[^>]*>(.*?)</li>", block)


ALMERE_GLANCE = [
    "2 doelen op koers (illustratieve resultaten)",
    "10 doelen nog niet gemeten",
    "4 doelen zonder meetbare norm",
]


def test_home_shows_each_dossiers_targets_at_a_glance(built_site):
    html = built_site.html("")
    assert "Stand van de doelen" in html
    assert _glance_after(html, ">G5 Almere</h3>") == ALMERE_GLANCE
    assert _glance_after(html, ">Vervangingspool Twente</h3>") == [
        "11 doelen nog niet gemeten",
        "4 doelen zonder meetbare norm",
    ]


def test_overview_shows_the_targets_at_a_glance_next_to_the_charts(built_site):
    html = built_site.html("almere")
    assert _glance_after(html, "Stand van de doelen") == ALMERE_GLANCE
    assert 'class="cg-state-on-track"' in html
    charts = re.search(r"Grafieken van de resultaten: (.*?)</p>", html, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', charts) == [
        "maatregelen/begeleidingsprogramma/",
        "maatregelen/zij-instroom/",
    ]


def test_measures_list_shows_the_latest_result_against_the_target(built_site):
    html = built_site.html("almere/maatregelen")
    rows = {
        re.search(r"<td>([A-E])</td>", row).group(1): re.findall(r"<td>(.*?)</td>", row, re.S)[-1]
        for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
        if re.search(r"<td>[A-E]</td>", row)
    }
    assert rows["E"] == (
        "<strong>op koers</strong>: 43 zij-instromers in 2024–2025 (illustratief), "
        "doel ten minste 40 zij-instromers"
    )
    assert rows["A"] == (
        "<strong>op koers</strong>: 8% in 2024–2025 (illustratief), doel kleiner dan 10%"
    )
    assert rows["B"] == rows["C"] == rows["D"] == "nog geen resultaten"
    assert "Laatste resultaat (1 maart 2025)" in html


def test_measure_page_shows_each_targets_latest_result(built_site):
    html = built_site.html("almere/maatregelen/zij-instroom")
    assert "Stand op 1 maart 2025" in html
    cells = re.findall(r"<td>(.*?)</td>", html[html.index("Stand op 1 maart 2025</h2>") :], re.S)
    standing = cells[1:8:2]
    assert standing == [
        "<strong>op koers</strong>: 43 zij-instromers in 2024–2025 (illustratief), "
        "doel ten minste 40 zij-instromers",
        "nog niet gemeten",
        "nog niet gemeten",
        "nog niet gemeten",
    ]
    b = built_site.html("almere/maatregelen/ondersteuning-in-de-school")
    assert "<td>geen meetbare norm</td>" in b


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (
            [("met", 1, 0), ("missed", 3, 1), ("behind", 2, 2)],
            [
                "1 doel gehaald",
                "3 doelen niet gehaald (waarvan 1 op een illustratief resultaat)",
                "2 doelen lopen achter (illustratieve resultaten)",
            ],
        ),
        (
            [("on-track", 1, 1), ("behind", 1, 0), ("unmeasured", 1, 0), ("no-norm", 1, 0)],
            [
                "1 doel op koers (illustratief resultaat)",
                "1 doel loopt achter",
                "1 doel nog niet gemeten",
                "1 doel zonder meetbare norm",
            ],
        ),
        (
            [("met", 4, 2), ("unmeasured", 2, 0)],
            [
                "4 doelen gehaald (waarvan 2 op illustratieve resultaten)",
                "2 doelen nog niet gemeten",
            ],
        ),
    ],
)
def test_glance_words_agree_with_the_numbers(counts, expected):
    from convenantgen.site.pages import Pages

    glance = site_context.SiteGlance(
        sum(c[1] for c in counts), tuple(site_context.SiteCount(*c) for c in counts)
    )
    text = Pages().render("site/glance.md", glance=glance)
    assert re.findall(r"<li[^>]*>(.*?)</li>", text) == expected
    empty = Pages().render("site/glance.md", glance=site_context.SiteGlance(0, ()))
    assert "geen resultaatafspraken" in empty


def test_party_registry(built_site):
    html = built_site.html("almere/partijen")
    assert "Stichting Openbaar Onderwijs Almere-Poort" in html
    assert "1 augustus 2025" in html  # its join date
    assert "mevrouw S. Olivier, de voorzitter CvB van de Almeerse Scholen Groep (ASG)" in html
    assert "penvoerder" in html and "illustratief" in html
    assert "De lerarenopleidingen" in html
    assert "Stg. Prisma, stg. prot. chr. &amp; oecumen. onderwijs in Almere" in html


def test_timeline_lists_the_periods_and_accessions_in_order(built_site):
    html = built_site.html("almere/tijdlijn")
    cells = re.findall(r"<td>(.*?)</td>", html)
    days = cells[0::2]
    # The recorded signatures and the publication (levensloop.yaml) come first.
    assert days[:8] == [
        "1 juli 2024",
        "1 juli 2024",
        "3 juli 2024",
        "4 juli 2024",
        "8 juli 2024",
        "25 juli 2024",
        "1 augustus 2024",
        "31 augustus 2024",
    ]
    text = " ".join(cells)
    assert (
        "Ondertekening addendum 2024 door Almeerse Scholen Groep (ASG - PO) (met de hand) "
        "(illustratief)"
    ) in text
    assert "Publicatie addendum 2024 in de Staatscourant (Stcrt. 2024, 21836)" in text
    assert (
        "Almeerse Scholen Groep (ASG - PO) stemt in met de toetreding van Stichting Openbaar "
        "Onderwijs Almere-Poort"
    ) in text
    assert "Addendum 2024 treedt in werking" in text
    assert "Verzoek tot toetreding van Stichting Openbaar Onderwijs Almere-Poort" in text
    assert "Einde looptijd convenant" in text
    assert "Peildatum" in text
    assert text.index("1 september 2024") < text.index("Peildatum") < text.index("15 mei 2025")


def test_overview_shows_the_stage_of_each_agreement_and_the_accessions(built_site):
    html = built_site.html("almere")
    assert "Stand van zaken" in html
    assert re.search(
        r'<td>Addendum 2024</td>\s*<td><span class="cg-tag cg-stage-in-werking">in werking</span>: '
        r"Stcrt\. 2024, 21836 \(illustratief\)</td>",
        html,
    )
    assert re.search(
        r"<td>Stichting Openbaar Onderwijs Almere-Poort \(illustratief\)</td>\s*"
        r"<td>verzoek ingediend</td>\s*<td>4 van 15</td>\s*<td>1 augustus 2025</td>",
        html,
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2024-06-15", "in voorbereiding</span> |"),
        ("2024-07-03", "ter ondertekening</span>: 3 van 5 getekend |"),
        ("2024-07-10", "getekend</span> |"),
        ("2024-07-26", "gepubliceerd</span>: Stcrt. 2024, 21836 (illustratief) |"),
        ("2024-08-01", "in werking</span>: Stcrt. 2024, 21836 (illustratief) |"),
        (
            "2026-01-01",
            "afgelopen</span>: Stcrt. 2024, 21836 (illustratief) (tot en met 31 december 2025) |",
        ),
    ],
)
def test_stage_of_the_addendum_on_a_date(day, expected, almere_loaded):
    loaded = almere_loaded
    files, _ = site.render_site_sources(
        loaded.dossiers, downloads=[], reference_date=dt.date.fromisoformat(day)
    )
    row = next(
        ln for ln in files["almere/index.md"].splitlines() if ln.startswith("| Addendum 2024 |")
    )
    assert row.endswith(expected), row


def test_full_text_page(built_site):
    html = built_site.html("almere/tekst-addendum-2024")
    assert "ADDENDUM bij het Convenant Uitvoering Noodplannen personeelstekort G5: Almere" in html
    assert "Toetreding Convenant" in html


def test_downloads_page_links_every_file_without_names_or_hashes(built_site):
    html = built_site.html("almere/downloads")
    links = _download_links(html)
    mine = [e for e in built_site.downloads if e.dossier == "almere"]
    assert set(links) == {f"../../downloads/{e.path}" for e in mine}
    for entry in mine:
        assert (built_site.site / "downloads" / entry.path).is_file()
        assert entry.sha256 not in html  # the checksums are on the open-data page
        assert entry.path.rsplit("/", 1)[1] not in links[f"../../downloads/{entry.path}"]
    assert "SHA-256" not in html and "sha256sum" not in html
    assert 'href="../../open-data/#controlegetallen"' in html


def misplaced_downloads(site: Path, downloads: list[Download]) -> list[tuple[str, str]]:
    """(page, href) of every download link of ``site``'s downloads pages that, on a site
    published under a sub-path, does not lead to its file in the site's downloads/ folder
    (also run on the Zensical build, tests/test_site_zensical.py)."""
    base = "https://example.org/convenanten/"
    wanted = {base + "downloads/" + d.path for d in downloads}
    pages = [site / "downloads" / "index.html"]
    pages += sorted(site.glob("*/downloads/index.html"))
    wrong, seen = [], set()
    for path in pages:
        url = base + path.parent.relative_to(site).as_posix() + "/"
        for href in re.findall(r'<a href="([^"]+)" download>', path.read_text("utf-8")):
            seen.add(urljoin(url, href))
            if urljoin(url, href) not in wanted:
                wrong.append((url, href))
    assert seen == wanted, "every download is linked"
    return wrong


def test_download_links_work_under_a_sub_path(built_site):
    """The links are written relative to the page's Markdown file and made relative to its
    address (site/hooks.py); an address one folder too high works only at a domain's root."""
    assert misplaced_downloads(built_site.site, built_site.downloads) == []


def test_checksums_file_checks_every_download(built_site):
    """open-data/controlegetallen.txt is in sha256sum's format, by the path under downloads/:
    every line matches the file the site offers, and every download has its line."""
    text = (built_site.site / "open-data" / "controlegetallen.txt").read_text("utf-8")
    lines = text.splitlines()
    assert len(lines) == len(built_site.downloads)
    for line in lines:
        digest, path = re.fullmatch(r"([0-9a-f]{64})  (\S+)", line).groups()
        data = (built_site.site / "downloads" / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, path
    page = built_site.html("open-data")
    assert '<a download="" href="controlegetallen.txt">' in page
    assert "zo kunt u controleren dat een bestand niet is veranderd" in page


def test_open_data_json_and_csv(built_site):
    folder = built_site.site / "open-data"
    measures = json.loads((folder / "maatregelen.json").read_text(encoding="utf-8"))
    almere = [m for m in measures if m["dossier"] == "almere"]
    assert [m["letter"] for m in almere] == ["A", "B", "C", "D", "E"]
    targets = list(csv.DictReader((folder / "doelen.csv").open(encoding="utf-8")))
    e = next(t for t in targets if t["dossier"] == "almere" and t["id"] == "e-zij-instromers")
    assert e["comparator"] == ">=" and e["value"] == "40" and e["per_school_year"] == "true"
    results = json.loads((folder / "resultaten.json").read_text(encoding="utf-8"))
    r = next(r for r in results if r["dossier"] == "almere" and r["target"] == "e-zij-instromers")
    assert r == r | {"school_year": "2024–2025", "value": 43, "target_met": True}
    parties = list(csv.DictReader((folder / "partijen.csv").open(encoding="utf-8")))
    assert sum(1 for p in parties if p["dossier"] == "almere") == 16
    dossiers = json.loads((folder / "dossiers.json").read_text(encoding="utf-8"))
    assert {d["id"]: d["status"] for d in dossiers}["almere"] == "verlengd"
    page = built_site.html("open-data")
    for name in ("dossiers", "maatregelen", "doelen", "partijen"):
        assert f'href="{name}.json"' in page and f'href="{name}.csv"' in page


def test_spreadsheet_csv_beside_the_machine_csv(built_site):
    """Each table also as a CSV for a Dutch spreadsheet (byte order mark, ';', Dutch headers,
    decimal comma, dd-mm-jjjj, CRLF); the machine CSV keeps its form. Calc reads it in
    tests/test_spreadsheet_csv.py."""
    folder = built_site.site / "open-data"
    data = (folder / "doelen-spreadsheet.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfDossier;Maatregel;Letter;Doel;")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    ochtend = next(r for r in rows if r["Doel"] == "toelage-per-ochtend")
    assert ochtend["Doelwaarde"] == "17,5" and ochtend["Per schooljaar"] == "nee"
    dossiers = list(csv.DictReader(io.StringIO(
        (folder / "dossiers-spreadsheet.csv").read_text("utf-8-sig"), newline=""
    ), delimiter=";"))  # fmt: skip
    twente = next(r for r in dossiers if r["Dossier"] == "vervangingspool-twente")
    assert twente["Begindatum"] == "01-08-2016" and twente["Peildatum"] == "01-03-2025"
    machine = (folder / "doelen.csv").read_bytes()
    assert machine.startswith(b"dossier,measure,letter,id,") and b"\r\n" not in machine
    row = next(
        r for r in csv.DictReader(io.StringIO(machine.decode())) if r["id"] == ochtend["Doel"]
    )
    assert row["value"] == "17.5" and row["per_school_year"] == "false"
    machine_dossiers = (folder / "dossiers.csv").read_text("utf-8")
    assert "2016-08-01" in machine_dossiers and "01-08-2016" not in machine_dossiers
    page = built_site.html("open-data")
    for name in ("dossiers", "maatregelen", "doelen", "resultaten", "partijen"):
        assert f'href="{name}-spreadsheet.csv"' in page
    assert "voor Excel of LibreOffice</a>" in page


def test_spreadsheet_headers_and_yes_no_are_the_wordings(almere_loaded):
    """A project renames a column (wording ``spreadsheet.<table>_<column>``) and yes/no; a
    misspelt column is a diagnostic, not a silent default."""
    words = Wording.default().with_entries(
        {"spreadsheet.doelen_value": "Norm", "spreadsheet.no": "neen"}
    )
    facts = [site_context.DossierFacts.of(d, REFERENCE_DATE) for d in almere_loaded.dossiers]
    text = opendata.open_data_files(facts, words)["doelen-spreadsheet.csv"]
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";"))
    assert "Norm" in rows[0] and "Doelwaarde" not in rows[0]
    assert {r["Per schooljaar"] for r in rows} >= {"neen"}
    found = check_entries({"spreadsheet": {"doelen_valeu": "x"}}, Path("wording.yml"))
    assert [d.code for d in found] == ["template-unknown"]
    assert "doelen_value" in found[0].message


def test_json_schemas_are_copied_when_they_exist(built_site):
    schemas = sorted((ROOT / "schema" / "json").glob("*.schema.json"))
    page = built_site.html("open-data")
    copied = sorted((built_site.site / "open-data" / "schema").glob("*.schema.json"))
    assert [p.name for p in copied] == [p.name for p in schemas]
    for schema in schemas:
        assert f'href="schema/{schema.name}"' in page


def test_schema_link_is_left_out_when_there_are_no_schemas(monkeypatch, bundled_loaded):
    from convenantgen.site import engine as site

    monkeypatch.setattr(site, "_schema_files", lambda: [])
    dossier = next(d for d in bundled_loaded.dossiers if d.id == "almere")
    files, _ = site.render_site_sources([dossier], downloads=[], reference_date=REFERENCE_DATE)
    assert not any(name.startswith("open-data/schema/") for name in files)
    assert "schema/" not in files["open-data/index.md"]


def test_user_text_is_escaped_never_executed(built_site):
    html = built_site.html("xss/maatregelen/zij-instroom")
    assert "window.__xss" in html  # the text is there ...
    assert "<script>window.__xss" not in html  # ... but never as a script element
    assert "&lt;script&gt;window.__xss = 'text'&lt;/script&gt;" in html
    assert "<b>vet</b>" not in html and "<em>geen nadruk</em>" not in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "&lt;/title&gt;" in title
    for page in built_site.site.rglob("*.html"):
        assert "<script>window.__xss" not in page.read_text(encoding="utf-8"), page


def test_search_index_holds_the_articles_of_content_pages_only(built_site):
    """Pagefind's bundle is made on the built site; service pages and charts stay out, and the
    word list for typo correction holds the pages' words (not the menu's)."""
    site = built_site.site
    assert not (site / "search" / "search_index.json").exists()  # no lunr index any more
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text("utf-8"))
    pages = entry["languages"]["nl"]["page_count"]
    indexed = [p for p in site.rglob("index.html") if "data-pagefind-body" in p.read_text("utf-8")]
    assert pages == len(indexed) > 30
    for service in ("downloads", "almere/downloads", "open-data", "toegankelijkheid", "zoeken"):
        assert "data-pagefind-body" not in built_site.html(service + "/"), service
    assert "data-pagefind-body" not in (site / "404.html").read_text("utf-8")
    assert 'data-pagefind-weight="10" data-pagefind-meta="kind:dossier"' in built_site.html(
        "almere/"
    )
    words = (site / "pagefind/words.txt").read_text("utf-8").split()
    assert words == sorted(set(words))
    assert {"schoolbestuur", "schoolbesturen", "onderwijsassistenten"} <= set(words)
    # Chart labels ("illustratiefDoel") and file names of the downloads pages are not words.
    assert not [w for w in words if "illustratiefdoel" in w or w.endswith("docx")]
    assert 'action="../zoeken/"' in built_site.html("almere/")
    assert 'src="assets/convenantgen-search.js"' in built_site.html("")


def test_site_words_read_only_the_marked_body():
    html = (
        "<nav>Menuwoord</nav><div data-pagefind-body><p>Eerste alinea<p>Tweede"
        "<figure data-search-exclude>Grafiektekst</figure><br>na de grafiek"
        "<script>scriptwoord</script></div><footer>Voetwoord</footer>"
    )
    assert page_words(html) == {"eerste", "alinea", "tweede", "grafiek"}


def test_no_external_assets(built_site):
    asset = re.compile(
        r"<(?:link|script|img|iframe|source)\b[^>]*(?:src|href)=\"(https?:)?//", re.I
    )
    css_url = re.compile(r"url\(\s*['\"]?(https?:)?//", re.I)
    for page in built_site.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not asset.search(text), page
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
    for sheet in built_site.site.rglob("*.css"):
        assert not css_url.search(sheet.read_text(encoding="utf-8")), sheet


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_sources_and_site_are_reproducible(built_site, tmp_path):
    loaded = load_content(built_site.content)
    docs, site = tmp_path / "docs", tmp_path / "site"
    write_site_sources(
        loaded.dossiers, docs, downloads=built_site.downloads, reference_date=REFERENCE_DATE
    )
    assert _tree(docs) == _tree(built_site.docs)
    build_site(docs, site)
    placed = {f"downloads/{d.path}" for d in built_site.downloads}  # by the "orchestrator"
    first = {k: v for k, v in _tree(built_site.site).items() if k not in placed}
    second = _tree(site)
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == []


def test_sources_need_an_empty_folder(tmp_path):
    (tmp_path / "left-over.md").write_text("x", encoding="utf-8")
    with pytest.raises(ConvenantgenError, match="not empty"):
        write_site_sources([], tmp_path, downloads=[], reference_date=REFERENCE_DATE)


def test_a_failing_mkdocs_build_raises_with_its_message(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Start\n\n[kapot](bestaat-niet.md)\n", encoding="utf-8")
    with pytest.raises(ConvenantgenError) as info:
        build_site(docs, tmp_path / "site")
    assert "bestaat-niet.md" in str(info.value)


def test_markdown_escaping():
    assert md("a *b* [c](d) <e> & `f` |g|") == ("a \\*b\\* \\[c\\](d) &lt;e&gt; & \\`f\\` \\|g\\|")
    # '&' stays readable unless it would start an entity.
    assert md("&amp; &#60; R&D") == "&amp;amp; &amp;\\#60; R&D"
    # Attribute lists and links are inert (issue: a pillar label became a live element).
    assert md("x{: onfocus=alert(9) }") == "x\\{: onfocus=alert(9) \\}"
    assert md("# kop") == "\\# kop"
    assert md("- lijst") == "\\- lijst"
    assert md("1. lijst") == "1\\. lijst"
    assert md("twee\nregels") == "twee regels"


# ---------------------------------------------------------------------------------------------
# convenantgen serve


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def _wait_for(condition, timeout: float = 30.0):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    return condition()


def test_serve_rebuilds_on_yaml_changes_and_keeps_the_last_good_site(tmp_path):
    import subprocess
    import sys

    content = tmp_path / "content"
    shutil.copytree(CONTENT / "almere", content / "almere")
    port = _free_port()
    log = tmp_path / "serve.log"
    url = f"http://127.0.0.1:{port}/almere/maatregelen/zij-instroom/"
    code = "import sys; from convenantgen.cli import main; sys.exit(main(sys.argv[1:]))"
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, "serve", str(content), "--dev-addr",
             f"127.0.0.1:{port}", "--reference-date", "2025-03-01"],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            assert _wait_for(lambda: "Maatregel E: Zij-instroom<" in _get(url)[1]), log.read_text()
            measures = content / "almere" / "maatregelen.yaml"
            text = measures.read_text(encoding="utf-8")
            measures.write_text(
                text.replace("title: Zij-instroom", "title: Zij-instroom vernieuwd", 1),
                encoding="utf-8",
            )
            assert _wait_for(lambda: "Zij-instroom vernieuwd" in _get(url)[1]), log.read_text()
            measures.write_text(text.replace("kind: measures", "kind: measurez", 1), "utf-8")
            assert _wait_for(lambda: "last good version" in log.read_text(encoding="utf-8"))
            assert "kind 'measurez' is not one of" in log.read_text(encoding="utf-8")
            status, html = _get(url)
            assert status == 200 and "Zij-instroom vernieuwd" in html
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_serve_rejects_a_bad_address(capsys):
    from convenantgen.cli import main

    with pytest.raises(SystemExit) as info:
        main(["serve", str(CONTENT), "--dev-addr", "nergens"])
    assert info.value.code == 2
    assert "'nergens' is not HOST:PORT" in capsys.readouterr().err


def test_a_dossier_id_may_not_take_a_folder_of_the_site(tmp_path, bundled_loaded):
    import dataclasses

    dossier = next(d for d in bundled_loaded.dossiers if d.id == "almere")
    clash = dataclasses.replace(dossier, id="downloads")
    with pytest.raises(ConvenantgenError, match="dossier id 'downloads' is a folder of the site"):
        write_site_sources([clash], tmp_path / "docs", downloads=[], reference_date=REFERENCE_DATE)
    assert not (tmp_path / "docs").exists()  # nothing written


MINIMAL = {
    "dossier.yaml": "kind: dossier\nid: klein\ntitle: Klein convenant\n",
    "partijen.yaml": (
        "kind: parties\ngroups:\n  - {id: alle, designation: de partijen, signing: each}\n"
        "parties:\n  - {id: een, name: Partij Een, kind: gemeente, group: alle}\n"
    ),
    "maatregelen.yaml": """kind: measures
indicators:
  - {id: uitval, label: Uitval, unit: percent}
measures:
  - id: eerste
    title: Eerste maatregel
    description: [Iets doen.]
    targets:
      - id: t1
        indicator: uitval
        comparator: "<"
        value: 10
        text: Uitval kleiner dan {value}.
        results:
          - {school_year: 2023-2024, value: 12}
          - {school_year: 2024-2025, value: 9.5, illustrative: true}
""",
}


def test_a_dossier_without_agreements_or_penvoerder_builds(tmp_path):
    folder = tmp_path / "content" / "klein"
    folder.mkdir(parents=True)
    for name, text in MINIMAL.items():
        (folder / name).write_text(text, encoding="utf-8")
    loaded = load_content(tmp_path / "content")
    assert not loaded.report.errors, [d.format() for d in loaded.report.errors]
    write_site_sources(
        loaded.dossiers, tmp_path / "docs", downloads=[], reference_date=REFERENCE_DATE
    )
    build_site(tmp_path / "docs", tmp_path / "site")
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "onbekend" in home
    overview = (tmp_path / "site" / "klein" / "index.html").read_text(encoding="utf-8")
    assert "niet vastgelegd" in overview
    page = (tmp_path / "site/klein/maatregelen/eerste/index.html").read_text(encoding="utf-8")
    page = _STACK_RE.sub("", page)
    assert "schooljaar 2023–2024: 12%, doel niet gehaald;" in page
    assert "schooljaar 2024–2025: 9,5%, doel gehaald, illustratief." in page
    assert re.search(r"<td>12%</td>\s*<td>nee</td>", page)
    # No agreement, so no end to the target's period: the latest result is on track.
    assert "<strong>op koers</strong>: 9,5% in 2024–2025 (illustratief)" in page
    assert '<li class="cg-state-on-track">1 doel op koers (illustratief resultaat)</li>' in overview


def test_sync_folder_touches_only_what_changed(tmp_path):
    from convenantgen.build.serve import sync_folder

    docs = tmp_path / "docs"
    assert sync_folder({"a.md": "A", "sub/b.md": "B"}, docs)
    before = (docs / "a.md").stat().st_mtime_ns
    assert not sync_folder({"a.md": "A", "sub/b.md": "B"}, docs)  # nothing to do
    assert sync_folder({"a.md": "A", "c.md": b"C"}, docs)
    assert (docs / "a.md").stat().st_mtime_ns == before
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")) == ["a.md", "c.md"]


# ---------------------------------------------------------------------------------------------
# The register: the home page's overview and the organisation pages


def _register_rows(html: str) -> dict[str, list[str]]:
    """The home page's register: dossier folder -> the cells' text."""
    table = re.search(r'<div class="cg-register".*?</table>', html, re.S).group(0)
    rows = {}
    for row in re.findall(r"<tr>\s*<td>.*?</tr>", table, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row)]
        rows[re.search(r'href="([^"/]+)/"', row).group(1)] = cells
    return rows


def test_register_lists_penvoerder_status_and_next_deadline(built_site):
    rows = _register_rows(built_site.html(""))
    assert sorted(rows) == [
        "almere",
        "dierziekten-lnv",
        "onderwijsregio",
        "vervangingspool-twente",
        "xss",
        "zoetwater-ijsselmeergebied",
    ]
    assert rows["onderwijsregio"] == [
        "Onderwijsregio Voorbeeldregio",
        "Stichting Primair Onderwijs Voorbeeldregio",
        "lopend",
        "31 juli 2027: einde looptijd (Samenwerkingsovereenkomst Onderwijsregio Voorbeeldregio"
        " (RATO))",
        "1 januari 2023 tot en met 31 juli 2027",
        "8",
        "6",
    ]
    assert rows["almere"][1:4] == [
        "Almeerse Scholen Groep (ASG - PO)",
        "verlengd",
        "31 december 2025: einde looptijd (addendum 2024)",
    ]
    # An ended covenant has no deadline left.
    assert rows["dierziekten-lnv"][1:4] == [
        "De Minister van Landbouw, Natuur en Voedselkwaliteit",
        "afgelopen",
        "—",
    ]
    # The machine-readable date the browser sorts by.
    assert '<time datetime="2027-07-31">31 juli 2027</time>' in built_site.html("")


def test_one_page_per_organisation_across_dossiers(built_site):
    pages = sorted(p.name for p in (built_site.site / "organisaties").iterdir() if p.is_dir())
    # By the TOOI identifier's last part when there is one, else the party id.
    assert "mnre1109" in pages and "mnre1150" in pages and "asg-po" in pages
    index = built_site.html("organisaties")
    assert '<a href="mnre1109/">De Minister van Onderwijs, Cultuur en Wetenschap</a>' in index
    page = built_site.html("organisaties/mnre1109")
    html = re.search(r"<article.*?</article>", page, re.S).group(0)
    # The identifier as text: the site links to nothing outside itself.
    assert "<code>https://identifier.overheid.nl/tooi/id/ministerie/mnre1109</code>" in html
    # Two ministers of OCW share one TOOI identifier; in two dossiers (Almere and its copy).
    assert "Partij bij 4 convenanten" in html
    assert html.count('href="../../almere/"') == 2 and html.count('href="../../xss/"') == 2
    assert "De Minister voor Primair en Voortgezet Onderwijs" in html
    # A party without TOOI is known by its id, in every dossier that lists it.
    asg = built_site.html("organisaties/asg-po")
    assert "<code>asg-po</code>" in asg
    assert 'href="../../almere/partijen/"' in asg and 'href="../../xss/partijen/"' in asg


def test_parties_link_to_their_organisation_page(built_site):
    html = built_site.html("zoetwater-ijsselmeergebied/partijen")
    assert 'href="../../organisaties/mnre1130/"' in html
    assert 'href="../../organisaties/ws0653/"' in html


# ---------------------------------------------------------------------------------------------
# Words for citizens


# Developer words that have no place in what a citizen reads (issue 21); the open-data page
# names its formats in plain Dutch ("nieuwsfeed", "gegevens als tabel (CSV)").
DEVELOPER_WORDS = re.compile(
    r"(?i)Atom-feed|\bAtom\b|JSON[ -]?Schema|\bYAML\b|SHA-?256|sha256sum|SVG|convenantgen"
)
# English words that are no Dutch words; a page's text in Dutch has none of them.
ENGLISH_WORDS = re.compile(
    r"\b(?:the|and|with|for|from|this|that|results?|search|skip|previous|next|header|footer)\b",
    re.I,
)
# A file name as link text ("almere-addendum-2024.pdf").
FILE_NAME = re.compile(r"[\w.-]+\.(?:docx|pdf|txt|csv|json|xml|svg|md)\b", re.I)


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: element text and the labels of aria-label, alt,
    title and placeholder; the head, scripts, styles and <code> left out; and the text of
    every link on its own."""

    SKIPPED = frozenset({"head", "script", "style", "code", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts: list[str] = []
        self.links: list[str] = []
        self._link: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skip += 1
        if self.skip:
            return
        labels = [v for k, v in attrs if k in ("aria-label", "alt", "title", "placeholder")]
        self.parts += [v for v in labels if v]
        if tag == "a":
            self._link = []

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag == "a" and self._link is not None:
            self.links.append(" ".join("".join(self._link).split()))
            self._link = None

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)
            if self._link is not None:
                self._link.append(data)


def test_public_pages_have_no_developer_words_english_or_file_names(built_site):
    """No page shows Atom-feed, JSON Schema, YAML, SHA-256, sha256sum, SVG-bestand or
    convenantgen, nor English, nor a file name as link text: the feed, the checksums and the
    field descriptions are on the open-data page in plain Dutch (the generator's meta tag, in
    the head, is left out)."""
    found = words_for_developers(built_site.site)
    assert not found, found[:40]


def words_for_developers(site: Path) -> list[tuple[str, str]]:
    """(page, word) for every developer word, English word or file-name link of ``site``'s
    pages (also run on the Zensical build, tests/test_site_zensical.py)."""
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 30
    found = []
    for path in pages:
        reader = _VisibleText()
        reader.feed(path.read_text(encoding="utf-8"))
        text = " ".join(" ".join(reader.parts).split())
        where = str(path.relative_to(site))
        found += [(where, m.group(0)) for m in DEVELOPER_WORDS.finditer(text)]
        found += [(where, m.group(0)) for m in ENGLISH_WORDS.finditer(text)]
        found += [(where, link) for link in reader.links if FILE_NAME.search(link)]
    return sorted(set(found))


def test_every_table_cell_carries_its_column_header_for_the_phone(built_site):
    """site/tables.py: the cells of a Markdown table name their column (the phone stacks the
    rows as "label: value"); the register, which makes its own cards, is left alone."""
    page = built_site.raw_html("almere/maatregelen/zij-instroom")
    assert '<table data-cg-stack role="table">' in page
    assert '<td role="cell" data-label="Waarde">40 zij-instromers</td>' in page
    assert '<th role="columnheader">Waarde</th>' in page
    assert "<table>" not in page
    home = built_site.raw_html("")
    register = home[home.index('<div class="cg-register"') :]
    assert register[: register.index("</table>")].count("data-label") == 0
    parties = built_site.raw_html("almere/partijen")
    assert parties.count("<td ") == parties.count('<td role="cell" data-label=')
