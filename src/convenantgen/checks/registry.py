"""The rule registry: every check code with its default severity, and the finding sink."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Diagnostic, Severity, Where


@dataclass(frozen=True)
class CheckInfo:
    severity: Severity
    summary: str
    # The rule profile (check --profile) the rule belongs to; None: it always runs.
    profile: str | None = None


E, W = Severity.ERROR, Severity.WARNING
# The profile of the Aanwijzingen voor convenanten (checks/aanwijzingen.py).
AW = "aanwijzingen-2025"

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
    # amendment instructions (the text in force on a date)
    "amend-unknown": CheckInfo(E, "an instruction names an article or term the text lacks then"),
    "amend-conflict": CheckInfo(E, "two instructions change the same article on the same date"),
    "amend-date": CheckInfo(E, "an instruction takes effect outside the covenant's term"),
    "amend-shortens": CheckInfo(E, "an extension does not end after the term in force"),
    "amend-incomplete": CheckInfo(E, "an instruction lacks what its action needs"),
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
    # publication under the Woo and in the Staatscourant
    "woo-responsible": CheckInfo(E, "the responsible party is unknown or has no TOOI identifier"),
    "woo-withheld-document": CheckInfo(E, "a withheld part names an agreement the dossier lacks"),
    "site-url-missing": CheckInfo(W, "no site URL: sitemaps and the Woo-index need absolute URLs"),
    "site-contact-missing": CheckInfo(W, "the site names no way to reach its publisher"),
    "penvoerder-missing": CheckInfo(E, "accession is allowed but no penvoerder is registered"),
    "penvoerder-multiple": CheckInfo(E, "more than one penvoerder"),
    "signatory-unnamed": CheckInfo(W, "a party signs an accession document without a named person"),
    # lifecycle (need the reference date)
    "lifecycle-unknown": CheckInfo(W, "a fact the agreement's stage requires is not recorded"),
    "publication-overdue": CheckInfo(E, "not published within the agreement's own term"),
    "signature-unknown": CheckInfo(E, "a signature is recorded for a party that does not sign"),
    "signed-after-leaving": CheckInfo(E, "a party signs after it left"),
    "withdrawal-left": CheckInfo(E, "a withdrawal differs from the registry's leaving date"),
    "accession-in-effect": CheckInfo(E, "an accession in effect lacks a consent or its notice"),
    "accession-consent-party": CheckInfo(E, "a consent comes from a party that is not current"),
    "accession-waiting": CheckInfo(W, "an accession is not in effect after its effective date"),
    "evaluation-overdue": CheckInfo(W, "a planned evaluation is past due"),
    # profile aanwijzingen-2025 (check --profile aanwijzingen-2025)
    "aw-parties": CheckInfo(E, "no party of the rijksoverheid, or fewer than two parties", AW),
    "aw-representation": CheckInfo(W, "a representative's authority (role) is not stated", AW),
    "aw-term": CheckInfo(E, "no start date or no article on the term", AW),
    "aw-extension": CheckInfo(E, "a fixed term without an extension rule", AW),
    "aw-termination": CheckInfo(W, "no article on termination (opzegging)", AW),
    "aw-accession": CheckInfo(W, "no article on accession", AW),
    "aw-amendment": CheckInfo(W, "no article on amendment", AW),
    "aw-evaluation": CheckInfo(W, "no article on evaluation", AW),
    "aw-enforceability": CheckInfo(W, "enforceability is not stated", AW),
    "aw-finance": CheckInfo(W, "money is involved but there is no financial paragraph", AW),
    "aw-publication": CheckInfo(E, "no publication in the Staatscourant", AW),
    # characters of names, titles and every text (checks/characters.py)
    "text-control": CheckInfo(E, "a text holds a control character (ESC, BEL, NUL, ...)"),
    "text-bidi": CheckInfo(E, "a text holds a bidirectional override or isolate"),
    "text-nfc": CheckInfo(E, "a name or title is not in Unicode normalisation form NFC"),
    "text-invisible": CheckInfo(E, "a name or title has no visible character"),
    "text-hidden-character": CheckInfo(W, "a name or title holds an invisible character"),
    "text-mixed-script": CheckInfo(W, "a word of a name or title mixes look-alike scripts"),
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
