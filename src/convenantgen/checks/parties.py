"""Rules on how parties are represented: mandates, several signers, and no one signing twice."""

from __future__ import annotations

from ..model.derive import signatories
from ..model.dossier import Dossier
from ..model.references import Index
from .registry import Sink


def check_representation(dossier: Dossier, index: Index, report: Sink) -> None:
    for party in dossier.parties:
        if not party.mandate:
            continue
        official, *others = party.representatives
        for extra in others:
            report(
                "mandate-signers",
                f"party '{party.id}' is represented under mandate by {official.name}; "
                f"'{extra.name}' cannot sign as well: remove them, or drop the mandate",
                extra.where.child("name"),
                party.id,
            )
        if official.role and _same_office(official.role, party.name):
            report(
                "mandate-signers",
                f"the official under mandate is given the role '{official.role}', which is the "
                f"party itself; give the official's own role (e.g. 'directeur-generaal ...')",
                official.where.child("role"),
                party.id,
            )


def _same_office(role: str, name: str) -> bool:
    def bare(text: str) -> str:
        words = text.lower().split()
        return " ".join(words[1:] if words and words[0] in {"de", "het"} else words)

    return bare(role) == bare(name)


def check_signing_twice(dossier: Dossier, index: Index, report: Sink) -> None:
    """A party or a person that would sign one agreement twice."""
    for agreement in dossier.agreements:
        seen: set[str] = set()
        for gid, party in signatories(dossier, agreement):
            if party.id in seen:
                where = (
                    agreement.signing.where.child("groups")
                    if agreement.signing and agreement.signing.groups
                    else agreement.where.child("parties")
                )
                report(
                    "signatory-twice",
                    f"party '{party.id}' would sign '{agreement.id}' twice (again for group "
                    f"'{gid}'); list each group once",
                    where,
                    f"{agreement.id}:{party.id}",
                )
            seen.add(party.id)
    for party in dossier.parties:
        names = [r.name for r in party.representatives]
        repeated = [r for i, r in enumerate(party.representatives) if r.name in names[:i]]
        for rep in repeated:
            message = f"{rep.name} is named twice as a signer of party '{party.id}'"
            report(
                "signatory-twice",
                message + "; each person signs once",
                rep.where.child("name"),
                f"{party.id}:{rep.name}",
            )
