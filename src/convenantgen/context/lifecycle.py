"""The site's view of the lifecycle records: each agreement's stage, the accession steps, and
the recorded events for the timeline.

Facts only (stages from ``domain.agreement_stage``, counts, dates as Dutch text); the words
are in ``templates/site/lifecycle.md`` and ``templates/site/lifecycle-event.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model.derive import agreement_stage, current_parties
from ..model.dossier import Dossier
from ..model.finance import kamerstuk_citation
from ..model.references import Index
from ..states import AgreementStage
from ..text import formatting as fmt
from ..text.wording import Wording

# An event as site_context._events collects them:
# (date, order, kind, name, detail, pending, illustrative)
RawEvent = tuple[dt.date, int, str, str, str, bool, bool]


@dataclass(frozen=True)
class SiteStage:
    """One agreement's stage on the reference date."""

    name: str  # "addendum 2024"
    code: AgreementStage  # what templates compare: s.code == "for-signature"
    stage: str  # its name in the wording: "ter ondertekening"
    stage_class: str  # "ter-ondertekening": for the badge's CSS class
    signed: int
    signatories: int
    citation: str  # "Stcrt. 2024, 21836", or ""
    published: str  # the publication date, or ""
    end: str  # the last day of its term, or of its termination
    # The citation is made up (an illustrative lifecycle record): shown, never linked.
    illustrative: bool = False


@dataclass(frozen=True)
class SiteAccessionStatus:
    party: str
    status: str  # requested / consented / sent / published / in-effect
    status_name: str  # its name in the wording: "verzoek ingediend"
    consents: int  # consents recorded
    needed: int  # current parties whose consent is needed
    effective: str
    notice: str  # the Staatscourant reference of the notice, or ""
    illustrative: bool


@dataclass(frozen=True)
class SiteLifecycle:
    stages: tuple[SiteStage, ...]
    accessions: tuple[SiteAccessionStatus, ...]


# Stage names as the wording has them ("stages" in templates/wording.yml).
_WORDS = Wording.default()


def _party_name(dossier: Dossier, party_id: str) -> str:
    party = dossier.party(party_id)
    return party.name if party else party_id


def _illustrative_citation(dossier: Dossier, agreement_id: str, citation) -> bool:
    record = dossier.lifecycle(agreement_id)
    pub = record.publication if record else None
    return bool(record and record.illustrative and pub and citation == pub.citation)


def site_lifecycle(dossier: Dossier, index: Index, day: dt.date, name_of) -> SiteLifecycle:
    """Stages of every agreement and the state of every accession request on ``day``;
    ``name_of(agreement)`` gives an agreement's name as the site writes it."""
    stages = []
    for doc in dossier.documents:
        stage = agreement_stage(dossier, doc, index, day)
        stages.append(
            SiteStage(
                name=name_of(doc),
                code=stage.stage,
                stage=(label := _WORDS.text(f"stages.{stage.stage}")),
                stage_class=label.replace(" ", "-"),
                signed=len(stage.signed),
                signatories=len(stage.signed) + len(stage.unsigned),
                citation=str(stage.citation)
                if stage.citation
                else (kamerstuk_citation(doc.kamerstuk) if doc.kamerstuk else ""),
                published=fmt.date_long(stage.published) if stage.published else "",
                end=fmt.date_long(stage.end),
                illustrative=_illustrative_citation(dossier, doc.id, stage.citation),
            )
        )
    accessions = []
    for acc in dossier.accessions:
        agreement = dossier.document(acc.document)
        needed = (
            [p.id for p in current_parties(dossier, agreement, acc.requested) if p.id != acc.party]
            if agreement
            else []
        )
        accessions.append(
            SiteAccessionStatus(
                party=_party_name(dossier, acc.party),
                status=acc.status,
                status_name=_WORDS.text(f"accession_states.{acc.status}"),
                consents=sum(1 for c in acc.consents if c.party in needed),
                needed=len(needed),
                effective=fmt.date_long(acc.effective),
                notice=str(acc.notice.citation) if acc.notice else "",
                illustrative=acc.illustrative,
            )
        )
    return SiteLifecycle(tuple(stages), tuple(accessions))


def lifecycle_events(dossier: Dossier, name_of) -> list[RawEvent]:
    """The recorded events: signatures, publications, evaluations, withdrawals, terminations
    and the steps of accession requests."""
    raw: list[RawEvent] = []
    for record in dossier.lifecycles:
        doc = dossier.document(record.agreement)
        if doc is None:
            continue
        name, ill = name_of(doc), record.illustrative
        for sig in record.signatures or ():
            kind = f"signature-{sig.form}" if sig.form else "signature"
            who = _party_name(dossier, sig.party)
            raw.append((sig.date, 0, kind, who, name, False, ill or sig.illustrative))
        if record.publication and record.publication.date:
            pub = record.publication
            raw.append((pub.date, 1, "publication", name, str(pub.citation), False, ill))
        evaluation = record.evaluation
        if evaluation and evaluation.planned:
            raw.append((evaluation.planned, 4, "evaluation-planned", name, "", False, ill))
        if evaluation and evaluation.done:
            report = evaluation.report or ""
            raw.append((evaluation.done, 4, "evaluation-done", name, report, False, ill))
        for out in record.withdrawals:
            who = _party_name(dossier, out.party)
            raw.append((out.effective, 4, f"withdrawal-{out.kind}", who, name, False, ill))
        if record.terminated:
            reason = record.terminated_reason or ""
            raw.append((record.terminated, 6, "terminated", name, reason, False, ill))
    for acc in dossier.accessions:
        joining, ill = _party_name(dossier, acc.party), acc.illustrative
        for consent in acc.consents:
            who = _party_name(dossier, consent.party)
            raw.append((consent.date, 1, "accession-consent", who, joining, False, ill))
        if acc.sent:
            raw.append((acc.sent, 1, "accession-sent", joining, "", False, ill))
        if acc.notice and acc.notice.date:
            cite = str(acc.notice.citation)
            raw.append((acc.notice.date, 1, "accession-notice", joining, cite, False, ill))
    return raw
