"""The Aanwijzingen voor convenanten as a rule profile (``check --profile aanwijzingen-2025``).

Each rule checks what the data can show of one aanwijzing and cites it by subject. The 2025
text (BWBR0051610) could be read only up to Aanwijzing 1 "Reikwijdte"; every other rule cites
the 2003 aanwijzing it comes from (BWBR0014609), whose number the 2025 text may have changed.
See docs/checking.md ("The Aanwijzingen profile") and research/aanwijzingen-research.md.

What an agreement regulates is data: an article, section or clause carries ``topics:`` (term,
extension, termination, accession, amendment, evaluation, finance, enforceability, ...); the
rules never guess it from the wording. A covenant counts together with the addenda that amend it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import Where
from ..model.derive import covenant, predecessors, signatories
from ..model.dossier import Agreement, Dossier
from ..model.references import Index
from .lifecycle import has_topic
from .registry import AW, Sink

PROFILE = AW

_MONEY_RE = re.compile(r"€\s?\d|\beuro\b", re.IGNORECASE)


def _at(agreement: Agreement) -> Where:
    """Where a missing element of an agreement is reported: its articles, else its id."""
    if agreement.sections:
        return agreement.where.child("sections")
    if agreement.articles:
        return agreement.where.child("articles")
    return agreement.where.child("id")


def _family(dossier: Dossier, base: Agreement) -> list[Agreement]:
    return [base, *(d for d in dossier.documents if d.amends == base.id)]


def check_aw_parties(dossier: Dossier, index: Index, report: Sink) -> None:
    """Aanwijzing 1 (2025, Reikwijdte; 2003: A1 lid 2): an agreement between the rijksoverheid
    and one or more other parties."""
    for agreement in dossier.agreements:
        people = [p for _, p in signatories(dossier, agreement)]
        parties = {p.id for p in people}
        if len(parties) < 2:
            report(
                "aw-parties",
                f"'{agreement.id}' has {len(parties)} signing "
                f"part{'y' if len(parties) == 1 else 'ies'}; a covenant is an agreement between "
                "the rijksoverheid and one or more other "
                "parties (Aanwijzing 1, 2025)",
                agreement.where.child("parties"),
                agreement.id,
            )
        elif not any(p.kind == "minister" for p in people):
            report(
                "aw-parties",
                f"no party of '{agreement.id}' is of the rijksoverheid (kind: minister); a "
                "covenant is an agreement between the rijksoverheid and one or more other parties "
                "(Aanwijzing 1, 2025)",
                agreement.where.child("parties"),
                agreement.id,
            )


def check_aw_representation(dossier: Dossier, index: Index, report: Sink) -> None:
    """2003 A5 lid 3: the authority of a representative must appear from the covenant."""
    for agreement in dossier.agreements:
        for _, party in signatories(dossier, agreement):
            rep = party.representative
            if rep is not None and not rep.role:
                report(
                    "aw-representation",
                    f"the representative of '{party.id}' ({rep.name}) has no role: the capacity "
                    "that shows the authority to bind the party must appear from the covenant "
                    "(2003 A5 lid 3, representation)",
                    rep.where,
                    party.id,
                )


def _require(
    dossier: Dossier, report: Sink, code: str, topic: str, message: str, *, unless=None
) -> None:
    base = covenant(dossier)
    if base is None or has_topic(dossier, base, topic) or (unless and unless(base)):
        return
    report(code, f"'{base.id}': {message}", _at(base), base.id)


def check_aw_elements(dossier: Dossier, index: Index, report: Sink) -> None:
    """The elements a covenant (with its addenda) must regulate, each tagged by a topic."""
    base = covenant(dossier)
    if base is None:
        return
    if base.in_force.start is None:
        report(
            "aw-term",
            f"'{base.id}' has no start date; a covenant states when it takes effect and for how "
            "long (2003 A19 lid 1, term)",
            base.in_force.where,
            base.id,
        )
    _require(
        dossier,
        report,
        "aw-term",
        "term",
        "no article is tagged topics: [term]; a covenant states when it takes effect and for "
        "how long (2003 A19 lid 1, term)",
    )
    family = _family(dossier, base)
    _require(
        dossier,
        report,
        "aw-extension",
        "extension",
        "no article is tagged topics: [extension]; a covenant for a fixed term states whether "
        "and how it can be extended (2003 A19 lid 3, extension)",
        unless=lambda b: any(d.extension for d in family),
    )
    _require(
        dossier,
        report,
        "aw-termination",
        "termination",
        "no article is tagged topics: [termination]; grounds, form and notice period of "
        "termination are to be regulated (2003 A20, opzegging)",
    )
    _require(
        dossier,
        report,
        "aw-accession",
        "accession",
        "no article is tagged topics: [accession]; whether, how and on what conditions others "
        "can join is to be considered (2003 A6 lid 1, accession)",
        unless=lambda b: any(d.accession for d in family),
    )
    _require(
        dossier,
        report,
        "aw-amendment",
        "amendment",
        "no article is tagged topics: [amendment]; how the agreements can be amended is to be "
        "considered (2003 A21 lid 4, amendment)",
    )
    _require(
        dossier,
        report,
        "aw-evaluation",
        "evaluation",
        "no article is tagged topics: [evaluation]; an evaluation clause says who evaluates and "
        "when (2003 A18, evaluation)",
    )
    _require(
        dossier,
        report,
        "aw-enforceability",
        "enforceability",
        "no article is tagged topics: [enforceability]; whether the rights and obligations are "
        "enforceable in law must be stated expressly (2003 A16 lid 1, enforceability)",
    )
    money = any(i.unit == "euro" for i in dossier.indicators) or any(
        _MONEY_RE.search(c.text or "") for d in family for _, c in d.clauses()
    )
    if money:
        _require(
            dossier,
            report,
            "aw-finance",
            "finance",
            "money is involved (an amount in euro), but no article is tagged topics: [finance]; "
            "financial consequences belong in a financial paragraph (2003 A8, finance)",
        )


def check_aw_publication(dossier: Dossier, index: Index, report: Sink) -> None:
    """2003 A25 lid 1 (and its toelichting: amendments too): published in the Staatscourant."""
    # A predecessor is another covenant's act, not one this dossier publishes.
    replaced = predecessors(dossier)
    for doc in dossier.documents:
        if doc.publication is None and doc.citation is None and doc.id not in replaced:
            report(
                "aw-publication",
                f"'{doc.id}' has no publication: a covenant, or its substance, and every "
                "amendment are published in the Staatscourant (2003 A25, publication)",
                doc.where.child("id"),
                doc.id,
            )


RULES: tuple[Callable[[Dossier, Index, Sink], None], ...] = (
    check_aw_parties,
    check_aw_representation,
    check_aw_elements,
    check_aw_publication,
)

PROFILES: dict[str, tuple[Callable[[Dossier, Index, Sink], None], ...]] = {PROFILE: RULES}
