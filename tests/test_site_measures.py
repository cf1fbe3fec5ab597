"""A measure page answers first: who carries the measure out, how its targets stand, the next date.

On the site of ``test_site`` (the bundled content on 1 March 2025), built by MkDocs and by
Zensical: the answer block is the first thing after the page's heading, the verdict falls in
the first 60 words, the party's name and the next date (in Dutch) are there. The rule for the
next date (``derive.measure_next_date``) on the model; a measure without targets and an
unknown party in ``responsible:`` on copies of the bundled content; in Chromium, the block is
on a phone's first screen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from test_site import CONTENT, REFERENCE_DATE
from test_site_browser import ARTIFACTS, engine, engine_site, site_url  # noqa: F401 - fixtures

from convenantgen.errors import Where
from convenantgen.model.derive import measure_next_date
from convenantgen.model.dossier import Evaluation, Lifecycle
from convenantgen.model.references import build_index
from convenantgen.read.load import load_content
from convenantgen.site.engine import ENGINES, build_site, write_site_sources
from convenantgen.states import MeasureDate

# The words standing.md and glance.md say a verdict in.
VERDICTS = ("gehaald", "op koers", "loopt achter", "niet gehaald", "nog niet gemeten", "norm")


def _article(site: Path, url: str):
    html = (site / url / "index.html").read_text("utf-8")
    return lxml.html.fromstring(html).xpath("//article")[0]


def _answer(article):
    return article.xpath(".//div[contains(@class, 'cg-answer')]")[0]


def _words(element) -> list[str]:
    return " ".join(element.text_content().split()).split(" ")


@pytest.fixture(scope="module", params=ENGINES)
def site(request) -> Path:
    return engine_site(request.param)


@pytest.mark.parametrize(
    "url",
    [
        "almere/maatregelen/zij-instroom",
        "almere/maatregelen/ondersteuning-in-de-school",
        "onderwijsregio/maatregelen/werven",
        "vervangingspool-twente/maatregelen/pool-a-vteam",
    ],
)
def test_the_answer_block_comes_right_after_the_heading(site, url):
    article = _article(site, url)
    h1 = article.xpath(".//h1")[0]
    after = h1.getnext()
    assert after is not None and after.tag == "div" and "cg-answer" in after.get("class")
    # Nothing of the description or the pillars comes before it.
    assert "Pijler" not in after.text_content()
    words = _words(article)
    first = " ".join(words[:60])
    assert any(v in first for v in VERDICTS), first
    assert "Volgende datum" in " ".join(_words(after))


def test_the_block_names_who_the_targets_and_the_next_date(site):
    block = _answer(_article(site, "almere/maatregelen/zij-instroom"))
    text = " ".join(_words(block))
    # No party of its own: the parties together, with the penvoerder by its registry name.
    assert "Wie voert het uit: de partijen samen, met als penvoerder Almeerse Scholen Groep" in text
    assert "Stand op 1 maart 2025: 4 resultaatafspraken" in text
    assert [" ".join(li.text_content().split()) for li in block.xpath(".//li")] == [
        "1 doel op koers (illustratief resultaat)",
        "3 doelen nog niet gemeten",
    ]
    assert (
        "Laatste resultaat (Opgeleide en begeleide zij-instromers per schooljaar): op koers: "
        "43 zij-instromers in 2024–2025 (illustratief), doel ten minste 40 zij-instromers"
    ) in text
    # The target counts per school year: the next date is the end of the running one.
    assert "Volgende datum: 31 juli 2025, einde schooljaar 2024–2025" in text
    b = _article(site, "almere/maatregelen/ondersteuning-in-de-school")
    assert "Volgende datum: 31 december 2025, einde looptijd" in " ".join(_words(b))


def test_a_measure_that_names_its_party_shows_it_and_its_ended_term(site):
    text = " ".join(
        _words(_answer(_article(site, "vervangingspool-twente/maatregelen/pool-a-vteam")))
    )
    assert "Wie voert het uit: Stichting Attendiz" in text
    assert "Volgende datum: geen meer: de looptijd liep tot en met 31 juli 2018" in text


def test_the_measures_list_says_who_when_a_measure_names_its_party(site):
    rows = _article(site, "vervangingspool-twente/maatregelen").xpath(".//table//tr")
    head = [" ".join(c.text_content().split()) for c in rows[0]]
    assert head[2] == "Wie voert het uit"
    who = {r[0].text_content(): r[2].text_content() for r in rows[1:]}
    assert who == {
        "A": "Stichting Attendiz",
        "B": "Mobiliteitscentrum ObT",
        "C": "de partijen samen",
        "D": "de partijen samen",
    }
    # Almere's measures name no party: no column that would say the same four times.
    almere = _article(site, "almere/maatregelen").xpath(".//table//tr")[0]
    assert "Wie voert het uit" not in almere.text_content()


# ---------------------------------------------------------------------------------------------
# The next date


def _almere(bundled_loaded):
    return next(d for d in bundled_loaded.dossiers if d.id == "almere")


def test_next_date_is_the_first_of_evaluation_term_end_and_target_period(bundled_loaded):
    d = _almere(bundled_loaded)
    index = build_index(d)
    e, b = d.measure("zij-instroom"), d.measure("ondersteuning-in-de-school")
    assert measure_next_date(d, index, e, REFERENCE_DATE) == (
        MeasureDate.SCHOOL_YEAR_END,
        dt.date(2025, 7, 31),
    )
    assert measure_next_date(d, index, b, REFERENCE_DATE) == (
        MeasureDate.END_OF_TERM,
        dt.date(2025, 12, 31),
    )
    # The next school year's end once this one has passed; nothing after the term.
    assert measure_next_date(d, index, e, dt.date(2025, 8, 1))[1] == dt.date(2025, 12, 31)
    assert measure_next_date(d, index, e, dt.date(2026, 1, 1)) is None
    # A planned evaluation of the addendum comes first when it is earlier.
    planned = Lifecycle(
        "addendum-2024",
        Where(Path("x.yaml")),
        evaluation=Evaluation(Where(Path("x.yaml")), planned=dt.date(2025, 5, 1)),
    )
    with_evaluation = dataclasses.replace(d, lifecycles=(planned,))
    assert measure_next_date(with_evaluation, index, e, REFERENCE_DATE) == (
        MeasureDate.EVALUATION,
        dt.date(2025, 5, 1),
    )
    done = dataclasses.replace(
        planned, evaluation=dataclasses.replace(planned.evaluation, done=dt.date(2025, 4, 1))
    )
    assert measure_next_date(
        dataclasses.replace(d, lifecycles=(done,)), index, e, REFERENCE_DATE
    ) == (MeasureDate.SCHOOL_YEAR_END, dt.date(2025, 7, 31))


# ---------------------------------------------------------------------------------------------
# Copies of the bundled content


def _twente_copy(tmp_path: Path, old: str, new: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(CONTENT / "vervangingspool-twente", content / "vervangingspool-twente")
    measures = content / "vervangingspool-twente" / "maatregelen.yaml"
    text = measures.read_text("utf-8")
    assert old in text
    measures.write_text(text.replace(old, new, 1), "utf-8")
    return content


def test_a_measure_without_targets_says_so(tmp_path):
    text = (CONTENT / "vervangingspool-twente" / "maatregelen.yaml").read_text("utf-8")
    block = text[text.index("  - id: volgorde-vervanging") : text.index("  - id: vergoedingen")]
    targets = block[block.index("    targets:") :]
    content = _twente_copy(tmp_path, targets, "\n")
    loaded = load_content(content)
    assert not loaded.report.errors, [x.format() for x in loaded.report.errors]
    docs, out = tmp_path / "docs", tmp_path / "site"
    write_site_sources(loaded.dossiers, docs, downloads=[], reference_date=REFERENCE_DATE)
    build_site(docs, out)
    article = _article(out, "vervangingspool-twente/maatregelen/volgorde-vervanging")
    block = _answer(article)
    text = " ".join(_words(block))
    assert "Stand op 1 maart 2025: deze maatregel heeft geen resultaatafspraken." in text
    assert not block.xpath(".//ul")
    assert "Resultaatafspraken" not in " ".join(_words(article))


def test_an_unknown_party_in_responsible_is_an_error_at_its_place(tmp_path):
    content = _twente_copy(tmp_path, "responsible: [attendiz]", "responsible: [atendiz]")
    run = subprocess.run(
        [sys.executable, "-m", "convenantgen.cli", "check", str(content)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    line = next((ln for ln in (run.stdout + run.stderr).splitlines() if "[ref-unknown]" in ln), "")
    assert re.match(r".*maatregelen\.yaml:\d+:\d+: error \[ref-unknown\] ", line), line
    assert "'atendiz'" in line and "Did you mean 'attendiz'?" in line
    # The line and column of the id itself.
    row, col = (int(x) for x in re.search(r"\.yaml:(\d+):(\d+):", line).groups())
    source = (content / "vervangingspool-twente" / "maatregelen.yaml").read_text("utf-8")
    assert source.splitlines()[row - 1][col - 1 :].startswith("atendiz")


# ---------------------------------------------------------------------------------------------
# In Chromium


@pytest.mark.browser
@pytest.mark.parametrize(
    "url", ["almere/maatregelen/zij-instroom/", "vervangingspool-twente/maatregelen/pool-a-vteam/"]
)
def test_the_answer_is_on_a_phones_first_screen(browser, site_url, engine, url):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    page = context.new_page()
    page.goto(site_url + url)
    block = page.locator("article .cg-answer")
    assert block.is_visible()
    box = block.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    # Right under the heading, before the description.
    assert (
        page.evaluate("() => document.querySelector('article h1').nextElementSibling.className")
        == "cg-answer"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"measure-answer-390-{engine}.png"))
    context.close()
