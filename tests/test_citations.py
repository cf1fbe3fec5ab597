"""Citations linked to their official page on zoek.officielebekendmakingen.nl.

The rule (:mod:`convenantgen.model.citations`) on the citations the bundled content really
has and on the forms the texts write; then the built site: every citation a page shows is a
link with the citation as its text, an illustrative (made-up) citation is not, and the
documents keep the plain citation.
"""

from __future__ import annotations

import re

import pytest
from test_site import _build

from convenantgen.context.dossier import build_context
from convenantgen.model.citations import find_citations, official_url
from convenantgen.model.finance import kamerstuk_citation
from convenantgen.render.markdown import agreement_markdown
from convenantgen.site.pages import cite, link_citations

KOOP = "https://zoek.officielebekendmakingen.nl"


@pytest.fixture(scope="module")
def built_site():
    return _build()  # the site of test_site, built once per session


@pytest.mark.parametrize(
    ("citation", "page"),
    [
        ("Stcrt. 2020, 38286", "stcrt-2020-38286"),
        ("Stcrt. 2019, 39306", "stcrt-2019-39306"),
        ("Stcrt. 2015, 31819", "stcrt-2015-31819"),
        ("Stcrt. 2019, nr. 39306", "stcrt-2019-39306"),
        ("Kamerstukken II 2018/19, 29 683, nr. 248", "kst-29683-248"),
        ("Kamerstukken II 2014/15, 29 683, nr. 198", "kst-29683-198"),
        ("Kamerstukken II 2019/20, 31293, nr. 123", "kst-31293-123"),
        ("Kamerstuk 24 480, nr. 2", "kst-24480-2"),
        ("Kamerstuk 29 683, nr. 198", "kst-29683-198"),
        ("Kamerstukken II 2019/20, 35 300-XV, nr. 3", "kst-35300-XV-3"),
        ("Kamerstukken I 2019/20, 31293-XV, nr. 12", "kst-31293-XV-12"),
        ("Stb. 2021, 123", "stb-2021-123"),
        ("Trb. 2020, 5", "trb-2020-5"),
    ],
)
def test_a_citation_leads_to_its_official_page(citation, page):
    assert official_url(citation) == f"{KOOP}/{page}.html"


@pytest.mark.parametrize(
    "text", ["", "Staatscourant", "Stcrt. 20, 1", "Kamerstukken II 2018/19, 29 683", "nr. 5"]
)
def test_what_is_no_citation_has_no_page(text):
    assert official_url(text) is None


def test_every_citation_of_the_bundled_content_has_a_page(bundled_loaded):
    found = set()
    for d in bundled_loaded.dossiers:
        for doc in d.documents:
            for c in (doc.citation, doc.publication and doc.publication.citation):
                if c:
                    found.add((str(c), f"stcrt-{c.year}-{c.number}"))
            if doc.kamerstuk:
                found.add((kamerstuk_citation(doc.kamerstuk), None))
            for cited in doc.cites:
                if cited.citation:
                    found.add((cited.citation, None))
    texts = {text for text, _ in found}
    assert {"Stcrt. 2020, 38286", "Kamerstukken II 2014/15, 29 683, nr. 198"} <= texts
    for text, page in found:
        url = official_url(text)
        assert url and url.startswith(f"{KOOP}/"), text
        if page:
            assert url == f"{KOOP}/{page}.html"
        else:
            assert re.fullmatch(rf"{KOOP}/kst-\d+(-[A-Z0-9]+)?-\d+\.html", url), (text, url)


def test_citations_in_a_sentence_are_found_in_order():
    text = "Zie het convenant (Stcrt. 2020, 38286) en de brief (Kamerstuk 29 683, nr. 198)."
    found = find_citations(text)
    assert [(f.text, f.url) for f in found] == [
        ("Stcrt. 2020, 38286", f"{KOOP}/stcrt-2020-38286.html"),
        ("Kamerstuk 29 683, nr. 198", f"{KOOP}/kst-29683-198.html"),
    ]
    assert [text[f.start : f.end] for f in found] == [f.text for f in found]


def test_a_link_has_the_citation_as_text_and_is_never_made_twice():
    linked = link_citations("(Stcrt. 2020, 38286)")
    assert linked == f"([Stcrt. 2020, 38286]({KOOP}/stcrt-2020-38286.html))"
    assert link_citations(linked) == linked
    # Not in a heading, where a link reads as the heading itself.
    heading = "# Addendum (Stcrt. 2020, 38286)\n\nZie Stcrt. 2020, 38286."
    assert link_citations(heading) == (
        "# Addendum (Stcrt. 2020, 38286)\n\n"
        f"Zie [Stcrt. 2020, 38286]({KOOP}/stcrt-2020-38286.html)."
    )
    # User text stays inert around the link.
    assert cite("<b>Stcrt. 2020, 38286</b>") == (
        f"&lt;b&gt;[Stcrt. 2020, 38286]({KOOP}/stcrt-2020-38286.html)&lt;/b&gt;"
    )


LINK = re.compile(r'<a href="(https://zoek\.officielebekendmakingen\.nl/[^"]+)">([^<]*)</a>')


def _links(html: str) -> list[tuple[str, str]]:
    return LINK.findall(html)


def test_the_almere_overview_links_the_covenants_citation(built_site):
    links = _links(built_site.html("almere"))
    assert (f"{KOOP}/stcrt-2020-38286.html", "Stcrt. 2020, 38286") in links
    # The addendum's Staatscourant number is illustrative: shown, marked, not linked.
    html = built_site.html("almere")
    assert "Stcrt. 2024, 21836 (illustratief)" in html
    assert not [u for u, _ in links if "21836" in u]
    assert "21836" not in str(_links(built_site.html("almere/tijdlijn")))


def test_text_pages_and_the_predecessor_link_their_citations(built_site):
    text = _links(built_site.html("almere/tekst-addendum-2024"))
    assert (f"{KOOP}/stcrt-2020-38286.html", "Stcrt. 2020, 38286") in text
    lnv = _links(built_site.html("dierziekten-lnv/tekst-convenant-dierziekten"))
    assert (f"{KOOP}/kst-29683-198.html", "Kamerstukken II 2014/15, 29 683, nr. 198") in lnv
    overview = _links(built_site.html("dierziekten-lnv"))
    assert (f"{KOOP}/stcrt-2019-39306.html", "Stcrt. 2019, 39306") in overview
    assert (f"{KOOP}/kst-29683-248.html", "Kamerstukken II 2018/19, 29 683, nr. 248") in overview
    # Never a bare address as link text.
    for page in ("almere", "dierziekten-lnv", "zoetwater-ijsselmeergebied"):
        assert all(not label.startswith("http") for _, label in _links(built_site.html(page)))


def test_the_documents_keep_the_plain_citation(almere_loaded):
    ctx = build_context(almere_loaded.dossiers[0])
    text = agreement_markdown(next(a for a in ctx.agreements if a.id == "addendum-2024"))
    assert "Stcrt. 2020, 38286" in text
    assert "officielebekendmakingen" not in text
