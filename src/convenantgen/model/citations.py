"""Official citations and their address on zoek.officielebekendmakingen.nl.

A citation as the texts write it ("Stcrt. 2020, 38286", "Kamerstukken II 2019/20, 31293,
nr. 123", "Kamerstuk 24 480, nr. 2", "Stb. 2020, 12", "Trb. 2020, 5") names one publication of
KOOP, whose page is ``https://zoek.officielebekendmakingen.nl/<id>.html``: ``stcrt-2020-38286``,
``kst-31293-123`` (the dossier number without spaces, a sub-number such as ``-XV`` kept),
``stb-2020-12``, ``trb-2020-5``. Pure functions on text: the public site links the citations it
shows (:mod:`convenantgen.site.pages`); the documents keep the plain citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BASE_URL = "https://zoek.officielebekendmakingen.nl"

# Staatscourant, Staatsblad, Tractatenblad: "Stcrt. 2020, 38286" (also "Stcrt. 2020, nr. 38286").
_GAZETTE = r"(?P<gazette>Stcrt|Stb|Trb)\.\s*(?P<year>\d{4}),?\s*(?:nr\.\s*)?(?P<number>\d{1,7})"
# Kamerstukken: an optional chamber and session, the dossier number (digits, spaces allowed
# between groups, "-XV" or another sub-number kept) and "nr. N".
_KAMERSTUK = (
    r"(?P<kst>Kamerstuk(?:ken)?)\s+(?:(?:I|II)\s+)?(?:\d{4}/\d{2,4},?\s+)?"
    r"(?P<dossier>\d{1,3}(?:\s?\d{3})*(?:-[A-Z0-9]{1,6})?),\s*nr\.\s*(?P<nr>\d{1,5})"
)
CITATION_RE = re.compile(rf"\b(?:{_GAZETTE}|{_KAMERSTUK})\b")
_PREFIX = {"Stcrt": "stcrt", "Stb": "stb", "Trb": "trb"}


@dataclass(frozen=True)
class Found:
    """A citation in a text: where it stands and its official page."""

    start: int
    end: int
    text: str
    url: str


def publication_id(match: re.Match) -> str:
    """KOOP's identifier of a matched citation: ``stcrt-2020-38286``, ``kst-31293-XV-123``."""
    if match.group("gazette"):
        prefix = _PREFIX[match.group("gazette")]
        return f"{prefix}-{match.group('year')}-{int(match.group('number'))}"
    dossier = re.sub(r"\s", "", match.group("dossier"))
    return f"kst-{dossier}-{int(match.group('nr'))}"


def official_url(citation: str) -> str | None:
    """The page of a citation that is the whole text (spaces around it aside), else None."""
    text = citation.strip()
    match = CITATION_RE.fullmatch(text)
    return f"{BASE_URL}/{publication_id(match)}.html" if match else None


def find_citations(text: str) -> list[Found]:
    """Every citation in a text, in order, with its official page."""
    return [
        Found(m.start(), m.end(), m.group(0), f"{BASE_URL}/{publication_id(m)}.html")
        for m in CITATION_RE.finditer(text)
    ]
