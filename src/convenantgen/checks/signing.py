"""Rules on signing: representatives, the number of copies, groups and the penvoerder."""

from __future__ import annotations

from ..model.derive import signatories, signer_count
from ..model.dossier import Dossier
from ..model.references import Index
from ..text import formatting as fmt
from .registry import Sink


def check_signing(dossier: Dossier, index: Index, report: Sink) -> None:
    for group in dossier.groups:
        members = dossier.members(group.id)
        if not members:
            report(
                "group-empty",
                f"party group '{group.id}' has no parties",
                group.where.child("id"),
                group.id,
            )
        if group.signing == "representative":
            rep = dossier.party(group.representative_party or "")
            if group.representative_party is None:
                report(
                    "signatory-missing",
                    f"group '{group.id}' signs through a representative but names none; add "
                    "representative.party",
                    group.where.child("signing"),
                    group.id,
                )
            elif rep is not None and rep.group != group.id:
                report(
                    "signatory-missing",
                    f"group '{group.id}' is represented by '{rep.id}', which is not a member "
                    "of the group",
                    group.where.child("representative", "party"),
                    group.id,
                )
    for add in dossier.agreements:
        people = signatories(dossier, add)
        for gid, party in people:
            if party.representative is None:
                report(
                    "signatory-missing",
                    f"party '{party.id}' signs for group '{gid}' but has no representative",
                    party.where.child("id"),
                    party.id,
                )
        count = signer_count(people)
        if add.signing and add.signing.copies is not None and add.signing.copies != count:
            names = ", ".join(
                ", ".join(r.name for r in p.representatives) or p.id for _, p in people
            )
            report(
                "copies-mismatch",
                f"the text says {add.signing.copies} copies (in "
                f"{fmt.copies_word(add.signing.copies)}), but {_people(count)}: {names}",
                add.signing.where.child("copies"),
                add.id,
            )
    if any(add.accession for add in dossier.agreements):
        penvoerders = [p for p in dossier.parties if p.penvoerder]
        if not penvoerders:
            report(
                "penvoerder-missing",
                "accession is allowed, but no party is the penvoerder; set penvoerder: true "
                "on the party that handles accession requests",
                next(a for a in dossier.agreements if a.accession).accession.where,
                dossier.id,
            )
        for extra in penvoerders[1:]:
            report(
                "penvoerder-multiple",
                f"'{extra.id}' is a second penvoerder (the first is '{penvoerders[0].id}')",
                extra.where.child("penvoerder"),
                extra.id,
            )


def _people(n: int) -> str:
    return "1 person signs" if n == 1 else f"{n} people sign"
