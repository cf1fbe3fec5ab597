"""The rule registry: every check code with its default severity, and the finding sink."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Diagnostic, Severity, Where


@dataclass(frozen=True)
class CheckInfo:
    severity: Severity
    summary: str


E, W = Severity.ERROR, Severity.WARNING

CHECKS: dict[str, CheckInfo] = {
    # references and ids
    "id-duplicate": CheckInfo(E, "an id is used twice in a dossier"),
    "output-name": CheckInfo(E, "ids that would give two outputs one file name"),
    "ref-unknown": CheckInfo(E, "a reference by id does not resolve"),
    "text-article-ref": CheckInfo(W, "text hard-codes an article number instead of {art:ID}"),
    "published-differs": CheckInfo(W, "the published text refers to another article or date"),
    "term-unused": CheckInfo(W, "a defined term is never used"),
    "term-undefined": CheckInfo(W, "a word is capitalised like a defined term but not defined"),
    "measure-unlisted": CheckInfo(W, "a measure is not listed in any article"),
    # dates and terms
    "period-order": CheckInfo(E, "a period ends before it starts"),
    "term-overlap": CheckInfo(E, "successive terms overlap"),
    "term-gap": CheckInfo(E, "successive terms leave a gap"),
    "period-cycle": CheckInfo(E, "periods follow each other in a loop"),
    "term-outside": CheckInfo(E, "an addendum is in force outside the covenant's term"),
    "target-period-early": CheckInfo(W, "a target period starts before the term in force"),
    "target-period-outside": CheckInfo(E, "a target period ends after the term in force"),
    "target-school-years": CheckInfo(W, "a per-school-year target meets partial school years"),
    "result-outside-term": CheckInfo(W, "a measured result is for a school year outside the term"),
    "accession-term": CheckInfo(E, "an accession takes effect outside the term"),
    "accession-school-year": CheckInfo(E, "an accession is not requested before its school year"),
    "accession-order": CheckInfo(E, "an accession is requested after it takes effect"),
    "accession-kind": CheckInfo(E, "a party of this kind cannot join"),
    "accession-not-allowed": CheckInfo(E, "the document has no accession clause"),
    "accession-joined": CheckInfo(E, "the registry's join date differs from the accession"),
    "party-dates": CheckInfo(E, "a party leaves before it joins"),
    "publication-late": CheckInfo(E, "publication after the deadline"),
    "publication-order": CheckInfo(E, "publication before signing"),
    # targets
    "target-incomplete": CheckInfo(E, "a target has part of indicator, comparator and value"),
    "target-range": CheckInfo(E, "a target value is impossible for its unit"),
    "target-comparator": CheckInfo(E, "a comparator does not fit the unit or direction"),
    "target-baseline": CheckInfo(E, "an increase or decrease has no baseline"),
    "target-conflict": CheckInfo(E, "one indicator has conflicting targets"),
    "target-components": CheckInfo(E, "component targets do not add up to the total"),
    "target-text-value": CheckInfo(W, "a target's text hard-codes its value"),
    # finance and obligations
    "finance-sum": CheckInfo(E, "amounts or shares do not add up to their total or whole"),
    "finance-share": CheckInfo(E, "a share is more than 100%"),
    "obligation-deadline": CheckInfo(E, "an obligation is due outside the agreement's term"),
    "citation-session": CheckInfo(E, "a Kamerstuk's session is not two successive years"),
    # signing
    "signatory-missing": CheckInfo(E, "a signatory has no registered representative"),
    "copies-mismatch": CheckInfo(E, "the number of copies differs from the signatories"),
    "group-empty": CheckInfo(E, "a party group has no members"),
    "signatory-twice": CheckInfo(E, "a party or person would sign one agreement twice"),
    "mandate-signers": CheckInfo(E, "a mandate's official is not the only signer, or is the party"),
    "penvoerder-missing": CheckInfo(E, "accession is allowed but no penvoerder is registered"),
    "penvoerder-multiple": CheckInfo(E, "more than one penvoerder"),
    # acknowledgements
    "ack-unused": CheckInfo(W, "an acknowledgement matches no finding"),
}


def known_codes() -> frozenset[str]:
    return frozenset(CHECKS)


class Sink:
    """Collects findings with the registry's default severity."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def __call__(self, code: str, message: str, where: Where, subject: str) -> None:
        self.items.append(Diagnostic(CHECKS[code].severity, code, message, where, subject))


def days(n: int) -> str:
    return f"{n} day" + ("s" if n != 1 else "")
