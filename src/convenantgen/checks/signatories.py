"""Rule on signing acts: every signature line belongs to a named person.

An accession request is signed by the joining party (its declaration) and by every current
party (a consent each), also by parties that signed the agreement through a group's
representative and so never named anyone. Such a line can still be signed (its field and block
name the party and the role of its kind), but whoever sends the package out must first know
who signs: a warning, an error under ``--strict``. An agreement's own signatories without a
representative are ``signatory-missing`` (an error, checks/signing.py).
"""

from __future__ import annotations

from ..model.derive import ActKind, signing_acts
from ..model.dossier import Dossier, Party
from ..model.references import Index
from .registry import Sink


def check_unnamed_signatories(dossier: Dossier, index: Index, report: Sink) -> None:
    """One finding per party that signs a line of an accession without a named person, at
    its entry in the registry, naming each document it signs."""
    unnamed: dict[str, tuple[Party, list[str]]] = {}
    for act in signing_acts(dossier):
        if act.kind is not ActKind.ACCESSION:
            continue
        joining, *consenting = act.signers
        for party, document in (
            (joining, f"the declaration of accession request '{act.id}'"),
            *((p, f"its consent to accession request '{act.id}'") for p in consenting),
        ):
            if not party.representatives:
                unnamed.setdefault(party.id, (party, []))[1].append(document)
    for party, documents in unnamed.values():
        report(
            "signatory-unnamed",
            f"party '{party.id}' signs {_and(documents)}, but names no one who signs: its "
            "signature field and block name only the party and a role; add "
            "representative: {name: ..., role: ...}",
            party.where.child("id"),
            party.id,
        )


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
