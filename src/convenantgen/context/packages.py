"""The signing packages of a dossier: one per signing act, with its title and its fields.

An act (:func:`convenantgen.model.derive.signing_acts`) is an agreement, signed on its
signature pages, or an accession request, signed in the joining party's declaration and the
current parties' consents. Its package holds those documents and nothing else (the cover
letter and the Staatscourant notice are not signed). Every signature line of the act gets a
field labelled with the party, the signer's role and the person, from the wording
(``signing.field``); a party that names no representative is labelled with the role of its
kind (``signatory_roles``), never with a blank.

Data only: the build joins the documents' PDFs and places the fields (``render/pdf``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model.derive import ActKind, package_stem
from ..model.dossier import Dossier
from ..text.wording import Wording
from .agreement import AccessionContext, AgreementContext, Signatory, unnamed_role

# The marker a template writes on a signature line (see render/docx/compose.py).
MARKER = "sigfield:"


@dataclass(frozen=True)
class SignatureField:
    """One signature line of a package: ``key`` is its marker's party id (``party`` or
    ``party:2`` for a party's second signer), ``label`` what the field says it is for."""

    key: str
    party_id: str
    label: str


@dataclass(frozen=True)
class PackageContext:
    """One signing act's package: which act, its file stem, title, date and fields."""

    act: str  # the agreement's or the accession request's id
    kind: ActKind
    stem: str
    title: str
    date: dt.date  # the act's own date (signing, else start; the request's date)
    fields: tuple[SignatureField, ...]


def package_contexts(
    dossier: Dossier,
    agreements: tuple[AgreementContext, ...],
    accessions: tuple[AccessionContext, ...],
    wording: Wording,
) -> tuple[PackageContext, ...]:
    """A package per agreement, then one per accession request, in the build's order."""
    w = wording
    out = [
        PackageContext(
            act=a.id,
            kind=ActKind.AGREEMENT,
            stem=package_stem(dossier.id, a.id, ActKind.AGREEMENT),
            title=w.text("signing.agreement_package", title=a.title, dossier=dossier.display_title),
            date=a.date,
            fields=_fields(dossier, a.signatories, w),
        )
        for a in agreements
    ]
    for acc in accessions:
        title = w.text(
            "signing.accession_package",
            party=acc.party_name,
            covenant=acc.covenant_title,
            effective=acc.effective,
            requested=acc.requested,
            dossier=dossier.display_title,
        )
        people = (acc.party, *(c.signatory for c in acc.consents))
        out.append(
            PackageContext(
                act=acc.id,
                kind=ActKind.ACCESSION,
                stem=package_stem(dossier.id, acc.id, ActKind.ACCESSION),
                title=title,
                date=acc.date,
                fields=_fields(dossier, people, w),
            )
        )
    return tuple(out)


def _fields(
    dossier: Dossier, people: tuple[Signatory, ...], w: Wording
) -> tuple[SignatureField, ...]:
    """One field per signature line; a line that appears twice (the same marker) once."""
    out: dict[str, SignatureField] = {}
    for s in people:
        key = s.marker.removeprefix(MARKER)
        if key in out:
            continue
        party = dossier.party(s.party_id)
        _, _, number = key.partition(":")
        people_of = party.representatives if party is not None else ()
        n = int(number) if number.isdigit() else 1
        person = people_of[n - 1] if 0 < n <= len(people_of) else None
        if person is not None:
            role, name = person.role or "", person.name
        else:
            role = unnamed_role(party, w) if party is not None else ""
            name = ""
        label = w.text("signing.field", party=s.organisation, role=role, name=name)
        out[key] = SignatureField(key, s.party_id, label)
    return tuple(out.values())
