"""Rules on what happened after the build: signatures, publication, accession steps, evaluation
and parties that left. They need the reference date ("today"), so each takes it as ``day``.

The principle every rule here follows: a fact that must exist at the stage an agreement has
reached (signed, published, in force) but is not recorded is reported as ``lifecycle-unknown``
(a warning, an error under ``--strict``); silence is never a pass.
"""

from __future__ import annotations

import datetime as dt

from ..model.derive import (
    accession_step,
    agreement_end,
    agreement_stage,
    current_parties,
    last_signature,
    left_on,
    signatories,
)
from ..model.dossier import Agreement, Dossier
from ..model.references import Index
from ..states import AccessionStatus, AgreementStage
from ..text import formatting as fmt
from .registry import Sink


def _ids(ids) -> str:
    return ", ".join(f"'{i}'" for i in ids)


def has_topic(dossier: Dossier, agreement: Agreement, topic: str) -> bool:
    """Whether the agreement (or an addendum amending it) has a part tagged with ``topic``."""
    docs = [agreement, *(d for d in dossier.documents if d.amends == agreement.id)]
    for doc in docs:
        if any(topic in a.topics for a in doc.articles):
            return True
        for section in doc.sections:
            if topic in section.topics or any(topic in c.topics for c in section.clauses):
                return True
    return False


def check_records(dossier: Dossier, index: Index, report: Sink, day: dt.date) -> None:
    """Records name agreements and parties that exist; signatures come from signatories who
    were still parties; a withdrawal agrees with the registry."""
    seen: set[str] = set()
    for record in dossier.lifecycles:
        if record.agreement in seen:
            report(
                "id-duplicate",
                f"a second lifecycle record for '{record.agreement}'; keep one per agreement",
                record.where.child("agreement"),
                record.agreement,
            )
            continue
        seen.add(record.agreement)
        agreement = dossier.document(record.agreement)
        if agreement is None:
            report(
                "ref-unknown",
                f"lifecycle record for agreement '{record.agreement}', which does not exist",
                record.where.child("agreement"),
                record.agreement,
            )
            continue
        people = {p.id for _, p in signatories(dossier, agreement)}
        for sig in record.signatures or ():
            if sig.party not in people:
                report(
                    "signature-unknown",
                    f"'{sig.party}' does not sign '{agreement.id}' (its signatories: "
                    f"{_ids(sorted(people)) or 'none'})",
                    sig.where.child("party"),
                    sig.party,
                )
                continue
            left = left_on(dossier, sig.party)
            if left is not None and sig.date >= left:
                report(
                    "signed-after-leaving",
                    f"'{sig.party}' signs '{agreement.id}' on {fmt.date_long(sig.date)}, but is "
                    f"no longer a party from {fmt.date_long(left)}",
                    sig.where.child("date"),
                    sig.party,
                )
        for out in record.withdrawals:
            party = dossier.party(out.party)
            if party is None:
                report(
                    "ref-unknown",
                    f"withdrawal of '{out.party}', which is not in the party registry",
                    out.where.child("party"),
                    out.party,
                )
            elif party.left != out.effective:
                left = fmt.date_long(party.left) if party.left else "no date"
                report(
                    "withdrawal-left",
                    f"'{party.id}' leaves by {out.kind} on {fmt.date_long(out.effective)}, but "
                    f"the registry gives left: {left}",
                    party.where.child("left") if party.left else party.where.child("id"),
                    party.id,
                )


def check_stages(dossier: Dossier, index: Index, report: Sink, day: dt.date) -> None:
    """Facts each stage needs: signatures once published or in force, the publication within
    the agreement's own term, a planned evaluation where the agreement provides for one."""
    for agreement in dossier.documents:
        stage = agreement_stage(dossier, agreement, index, day)
        record = dossier.lifecycle(agreement.id)
        where = record.where if record else agreement.where.child("id")
        on = fmt.date_long(day)
        if stage.unsigned and (stage.published or stage.citation):
            report(
                "lifecycle-unknown",
                f"'{agreement.id}' is published "
                f"({stage.citation or fmt.date_long(stage.published)}), but no signature is "
                f"recorded for {_ids(stage.unsigned)}",
                where.child("signatures") if record else where,
                agreement.id,
            )
        elif (
            stage.unsigned
            and record is not None
            and record.signatures is not None
            and agreement.in_force.start is not None
            and agreement.in_force.start <= day
        ):
            total = len(stage.signed) + len(stage.unsigned)
            report(
                "lifecycle-unknown",
                f"the term of '{agreement.id}' started on "
                f"{fmt.date_long(agreement.in_force.start)}, but {len(stage.signed)} of {total} "
                f"signatures are recorded on {on}; missing: {_ids(stage.unsigned)}",
                where.child("signatures"),
                agreement.id,
            )
        pub = agreement.publication
        signed = last_signature(dossier, agreement, day)
        if pub and pub.within_days and signed and stage.published is None and not stage.citation:
            deadline = signed + dt.timedelta(days=pub.within_days)
            if day > deadline:
                report(
                    "publication-overdue",
                    f"'{agreement.id}' is not recorded as published; the deadline was "
                    f"{fmt.date_long(deadline)} ({pub.within_days} days after the last signature "
                    f"on {fmt.date_long(signed)})",
                    where.child("publication") if record else pub.where.child("within_days"),
                    agreement.id,
                )
        if stage.at_least(AgreementStage.IN_FORCE) and has_topic(dossier, agreement, "evaluation"):
            evaluation = record.evaluation if record else None
            if evaluation is None or (evaluation.planned is None and evaluation.done is None):
                report(
                    "lifecycle-unknown",
                    f"'{agreement.id}' is {stage.stage.replace('-', ' ')} and provides for an "
                    "evaluation, but no planned date is recorded; add evaluation: "
                    "{planned: YYYY-MM-DD}",
                    where.child("evaluation") if evaluation else where,
                    agreement.id,
                )
            elif evaluation.done is None and evaluation.planned and evaluation.planned < day:
                report(
                    "evaluation-overdue",
                    f"the evaluation of '{agreement.id}' was due on "
                    f"{fmt.date_long(evaluation.planned)} and is not recorded as done on {on}",
                    evaluation.where.child("planned"),
                    agreement.id,
                )


def check_accession_steps(dossier: Dossier, index: Index, report: Sink, day: dt.date) -> None:
    """Each step an accession's status claims needs its facts; in effect needs all of them; a
    request past its effective date and not in effect is still waiting."""
    for acc in dossier.accessions:
        agreement = dossier.document(acc.document)
        if agreement is None:
            continue
        needed = [p.id for p in current_parties(dossier, agreement, acc.requested)]
        needed = [p for p in needed if p != acc.party]
        given = {c.party for c in acc.consents}
        for consent in acc.consents:
            if consent.party not in needed:
                report(
                    "accession-consent-party",
                    f"'{consent.party}' consents to '{acc.id}' but is not a party of "
                    f"'{agreement.id}' on {fmt.date_long(acc.requested)}",
                    consent.where.child("party"),
                    acc.id,
                )
        step = accession_step(acc.status)
        # Once the agreement has ended a waiting request can no longer take effect: no finding.
        waiting = acc.status != AccessionStatus.IN_EFFECT and acc.effective < day
        if waiting and day <= agreement_end(dossier, agreement, index):
            report(
                "accession-waiting",
                f"accession '{acc.id}' was to take effect on {fmt.date_long(acc.effective)}, "
                f"but on {fmt.date_long(day)} it is still '{acc.status}' "
                f"({len(given & set(needed))} of {len(needed)} consents); '{acc.party}' is not "
                "counted as a party until it is in effect: record the steps reached, or a new "
                "effective date",
                acc.where.child("effective"),
                acc.id,
            )
        missing: list[str] = []
        if step >= accession_step(AccessionStatus.CONSENTED):
            lacking = [p for p in needed if p not in given]
            if lacking:
                missing.append(f"the consent of {_ids(lacking)}")
        if step >= accession_step(AccessionStatus.SENT) and acc.sent is None:
            missing.append("the date it was sent (sent:)")
        if step >= accession_step(AccessionStatus.PUBLISHED) and acc.notice is None:
            missing.append("the Staatscourant notice (notice:)")
        if not missing:
            continue
        if acc.status == "in-effect":
            report(
                "accession-in-effect",
                f"accession '{acc.id}' is in effect without {'; '.join(missing)}",
                acc.where.child("status"),
                acc.id,
            )
        else:
            report(
                "lifecycle-unknown",
                f"accession '{acc.id}' is '{acc.status}', but {'; '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not recorded",
                acc.where.child("status"),
                acc.id,
            )
