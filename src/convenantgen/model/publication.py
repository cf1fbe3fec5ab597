"""Identifiers that publication under the Woo and in the Staatscourant needs.

A TOOI identifier names a government organisation in the lists of identifier.overheid.nl
(``https://identifier.overheid.nl/tooi/id/<register>/<code>``); the Woo-index and the
Staatscourant's metadata refer to organisations by it. A Woo ground is the article of the Wet
open overheid that allows a part to be withheld, written ``5.1.<lid>.<letter>``.
"""

from __future__ import annotations

import re

# The registers of the TOOI organisation lists (DiWoo 0.9.8 value lists) and the
# organisation type the Staatscourant metadata (OVERHEID.organisationType) gives them.
TOOI_REGISTERS = {
    "ministerie": "ministerie",
    "gemeente": "gemeente",
    "provincie": "provincie",
    "waterschap": "waterschap",
    "zbo": "zelfstandig bestuursorgaan",
    "oorg": "overige overheidsorganisatie",
    "so": "samenwerkingsorganisatie",
    "col": "caribisch openbaar lichaam",
}
TOOI_RE = re.compile(
    r"https://identifier\.overheid\.nl/tooi/id/(" + "|".join(TOOI_REGISTERS) + r")/[a-z]+[0-9]+"
)

# Woo art. 5.1 lid 1 a-e (absolute grounds), lid 2 a-i (relative grounds), lid 5 (disproportionate
# harm) and art. 5.2 lid 1 (personal policy views).
WOO_GROUNDS = (
    *(f"5.1.1.{c}" for c in "abcde"),
    *(f"5.1.2.{c}" for c in "abcdefghi"),
    "5.1.5",
    "5.2.1",
)


def tooi_register(tooi: str) -> str:
    """The register of a valid TOOI identifier: ``ministerie``, ``gemeente``, ..."""
    match = TOOI_RE.fullmatch(tooi)
    if match is None:
        raise ValueError(f"not a TOOI identifier: {tooi!r}")
    return match.group(1)
