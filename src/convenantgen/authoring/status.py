"""``convenantgen status``: per dossier, what is outstanding on the reference date.

For every agreement its stage and who still has to sign; deadlines coming up (publication
within the agreement's own term after the last signature, a planned evaluation, the end of the
term); and for every accession request the steps still to take (the consents of current
parties, sending, the Staatscourant notice). Everything comes from the lifecycle records and
``domain.py``; nothing here decides a fact of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model.derive import accession_step, agreement_stage, current_parties, last_signature
from ..model.dossier import ACCESSION_STEPS, Dossier
from ..model.references import build_index
from ..states import AgreementStage
from ..text import formatting as fmt
from ..text.wording import Wording

# How far ahead a deadline counts as "coming up".
HORIZON = dt.timedelta(days=90)


@dataclass(frozen=True)
class Item:
    """One outstanding matter: the id it is about and what is to be done (with its date)."""

    subject: str
    text: str
    due: dt.date | None = None


def _names(dossier: Dossier, ids) -> str:
    out = []
    for pid in ids:
        party = dossier.party(pid)
        out.append(party.short_name or party.name if party else pid)
    return ", ".join(out)


def _in(day: dt.date, due: dt.date) -> str:
    days = (due - day).days
    if days < 0:
        return f"{-days} day(s) overdue"
    return "today" if days == 0 else f"in {days} day(s)"


# The stages as the site names them (templates/wording.yml, "stages").
STAGE_NAMES = Wording.default()


def agreement_items(dossier: Dossier, day: dt.date) -> tuple[list[str], list[Item]]:
    """A stage line per agreement, and what is outstanding for them."""
    index = build_index(dossier)
    lines: list[str] = []
    items: list[Item] = []
    for agreement in dossier.documents:
        stage = agreement_stage(dossier, agreement, index, day)
        total = len(stage.signed) + len(stage.unsigned)
        detail = ""
        if stage.stage is AgreementStage.FOR_SIGNATURE:
            detail = ": " + STAGE_NAMES.text("status.signed", signed=len(stage.signed), total=total)
        elif stage.citation:
            detail = f": {stage.citation}"
        lines.append(f"{agreement.id}: {STAGE_NAMES.text(f'stages.{stage.stage}')}{detail}")
        if stage.unsigned and stage.rank < 2:
            items.append(Item(agreement.id, f"still to sign: {_names(dossier, stage.unsigned)}"))
        pub = agreement.publication
        signed = last_signature(dossier, agreement, day)
        if pub and pub.within_days and signed and not (stage.published or stage.citation):
            due = signed + dt.timedelta(days=pub.within_days)
            items.append(
                Item(
                    agreement.id,
                    f"publish in the Staatscourant by {fmt.date_long(due)} ({_in(day, due)})",
                    due,
                )
            )
        record = dossier.lifecycle(agreement.id)
        evaluation = record.evaluation if record else None
        due = evaluation.planned if evaluation and not evaluation.done else None
        if due and due <= day + HORIZON:
            items.append(
                Item(agreement.id, f"evaluation due {fmt.date_long(due)} ({_in(day, due)})", due)
            )
        if stage.stage is AgreementStage.IN_FORCE and stage.end <= day + HORIZON:
            items.append(
                Item(
                    agreement.id,
                    f"term ends {fmt.date_long(stage.end)} ({_in(day, stage.end)})",
                    stage.end,
                )
            )
    return lines, items


def accession_items(dossier: Dossier, day: dt.date) -> list[Item]:
    """The steps each accession request still has to take."""
    items: list[Item] = []
    for acc in dossier.accessions:
        if acc.status == "in-effect" or acc.requested > day:
            continue
        agreement = dossier.document(acc.document)
        if agreement is None:
            continue
        given = {c.party for c in acc.consents}
        waiting = [
            p.id
            for p in current_parties(dossier, agreement, acc.requested)
            if p.id != acc.party and p.id not in given
        ]
        who = _names(dossier, [acc.party])
        step = ACCESSION_STEPS[accession_step(acc.status)]
        if waiting:
            items.append(
                Item(
                    acc.id,
                    f"{who} ({step}): waiting for the consent of {len(waiting)} "
                    f"part{'y' if len(waiting) == 1 else 'ies'}: {_names(dossier, waiting)}",
                    acc.effective,
                )
            )
        elif acc.sent is None:
            items.append(Item(acc.id, f"{who}: every party consented; send the declarations"))
        elif acc.notice is None:
            items.append(Item(acc.id, f"{who}: sent; the Staatscourant notice is to follow"))
        else:
            items.append(
                Item(acc.id, f"{who}: published; in effect from {fmt.date_long(acc.effective)}")
            )
    return items


def report(dossiers: list[Dossier], day: dt.date) -> list[str]:
    out: list[str] = [f"Status on {fmt.date_long(day)}"]
    for dossier in dossiers:
        lines, items = agreement_items(dossier, day)
        items += accession_items(dossier, day)
        out.append("")
        out.append(f"{dossier.id} ({dossier.display_title})")
        out += [f"  {line}" for line in lines]
        if not items:
            out.append("  nothing outstanding")
        for item in sorted(items, key=lambda i: (i.due or dt.date.max, i.subject)):
            out.append(f"  - {item.subject}: {item.text}")
    return out
