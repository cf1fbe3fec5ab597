"""``convenantgen status``: per dossier, what is outstanding on the reference date.

For every agreement its stage and who still has to sign; deadlines coming up (publication
within the agreement's own term after the last signature, a planned evaluation, the end of the
term); and for every accession request the steps still to take (the consents of current
parties, sending, the Staatscourant notice). Everything comes from the lifecycle records and
``domain.py``; nothing here decides a fact of its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass

from ..model.derive import (
    accession_step,
    agreement_deadlines,
    agreement_stage,
    current_parties,
    next_deadline,
)
from ..model.dossier import ACCESSION_STEPS, Dossier
from ..model.finance import kamerstuk_citation
from ..model.references import build_index
from ..states import AgreementStage, Deadline
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
        elif agreement.kamerstuk:
            detail = f": {kamerstuk_citation(agreement.kamerstuk)}"
        lines.append(f"{agreement.id}: {STAGE_NAMES.text(f'stages.{stage.stage}')}{detail}")
        if stage.unsigned and stage.stage in (
            AgreementStage.PREPARATION,
            AgreementStage.FOR_SIGNATURE,
        ):
            items.append(Item(agreement.id, f"still to sign: {_names(dossier, stage.unsigned)}"))
        for kind, due in agreement_deadlines(dossier, agreement, stage, day):
            if kind is Deadline.PUBLICATION:
                text = f"publish in the Staatscourant by {fmt.date_long(due)} ({_in(day, due)})"
            elif due > day + HORIZON:
                continue
            elif kind is Deadline.EVALUATION:
                text = f"evaluation due {fmt.date_long(due)} ({_in(day, due)})"
            else:
                text = f"term ends {fmt.date_long(due)} ({_in(day, due)})"
            items.append(Item(agreement.id, text, due))
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


@dataclass(frozen=True)
class RegisterRow:
    """One dossier of the register at a glance: who leads it, where its agreements stand, its
    next deadline, how many parties and measures it has."""

    dossier: str
    title: str
    penvoerder: str | None
    penvoerder_id: str | None
    stages: tuple[tuple[str, AgreementStage], ...]  # (agreement id, stage), in dossier order
    deadline: tuple[Deadline, dt.date, str] | None  # (kind, date, agreement id), the earliest
    parties: int
    measures: int
    outstanding: int  # the number of items ``status`` lists for the dossier

    def as_dict(self) -> dict:
        kind, due, subject = self.deadline or (None, None, None)
        return {
            "dossier": self.dossier,
            "title": self.title,
            "penvoerder": self.penvoerder,
            "penvoerder_id": self.penvoerder_id,
            "stages": {agreement: str(stage) for agreement, stage in self.stages},
            "next_deadline": None
            if kind is None
            else {"kind": str(kind), "date": due.isoformat(), "agreement": subject},
            "parties": self.parties,
            "measures": self.measures,
            "outstanding": self.outstanding,
        }


def register_row(dossier: Dossier, day: dt.date) -> RegisterRow:
    """The register's line for one dossier on ``day``."""
    index = build_index(dossier)
    stages = tuple((a.id, agreement_stage(dossier, a, index, day).stage) for a in dossier.documents)
    _, items = agreement_items(dossier, day)
    items += accession_items(dossier, day)
    lead = dossier.penvoerder
    first = next_deadline(dossier, index, day)
    return RegisterRow(
        dossier=dossier.id,
        title=dossier.display_title,
        penvoerder=(lead.short_name or lead.name) if lead else None,
        penvoerder_id=lead.id if lead else None,
        stages=stages,
        deadline=first,
        parties=len(dossier.parties),
        measures=len(dossier.measures),
        outstanding=len(items),
    )


def register(dossiers: list[Dossier], day: dt.date) -> list[RegisterRow]:
    """Every dossier's register line, sorted by dossier id."""
    return [register_row(d, day) for d in sorted(dossiers, key=lambda d: d.id)]


CSV_COLUMNS = (
    "dossier",
    "title",
    "penvoerder",
    "penvoerder_id",
    "stages",
    "next_deadline",
    "next_deadline_kind",
    "next_deadline_agreement",
    "parties",
    "measures",
    "outstanding",
)


def register_csv(rows: list[RegisterRow], out) -> None:
    """Machine CSV (UTF-8, comma, RFC 4180 quoting): one line per dossier; ``stages`` as
    ``agreement=stage`` pairs joined by ``;``."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        kind, due, subject = row.deadline or (None, None, None)
        writer.writerow(
            [
                row.dossier,
                row.title,
                row.penvoerder or "",
                row.penvoerder_id or "",
                ";".join(f"{a}={s}" for a, s in row.stages),
                due.isoformat() if due else "",
                str(kind) if kind else "",
                subject or "",
                row.parties,
                row.measures,
                row.outstanding,
            ]
        )


def register_json(rows: list[RegisterRow], day: dt.date) -> str:
    """JSON: the reference date and one object per dossier."""
    data = {"reference_date": day.isoformat(), "dossiers": [r.as_dict() for r in rows]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
