"""Who is to sign each field of a dossier's signing package, from the loaded dossier.

The build (``build._package_settings``) gives every signature line of the package a field: the
agreements' signatories first, then per accession request the joining party (its declaration)
and each consenting party, in document order. A line's marker is ``sigfield:<party>`` or
``sigfield:<party>:<n>`` (a party's n-th signer); ``package.py`` names the field
``handtekening-<marker id>`` and, when the same marker has a line in a later document too,
``handtekening-<marker id>-2``, ``-3``, ... So the n-th line of one marker belongs to the n-th
act in that order, and its dates are that act's: the signature the lifecycle records give for
the agreement; for an accession the request date (the declaration is signed by then) and the
consent recorded, between request and effective date.

Kept small and separate so it can follow the build when it changes: with one package per
signing act (issue 19, item 3), ``acts=`` gives the fields of the package of those acts.
"""

from __future__ import annotations

from collections.abc import Collection

from ..context.dossier import build_context
from ..model.dossier import Dossier
from ..render.pdf.package import Signatory as PackageSignatory
from ..text.wording import Wording
from .signature_check import ExpectedSignatory


def expected_signatories(
    dossier: Dossier, wording: Wording | None = None, *, acts: Collection[str] | None = None
) -> list[ExpectedSignatory]:
    """One :class:`ExpectedSignatory` per signature field of ``dossier``'s package; with
    ``acts`` (agreement and accession ids), of a package that holds only those acts (fields
    are numbered within a package)."""
    wording = wording or Wording.default()
    blank = wording.text("agreement.blank")
    ctx = build_context(dossier, wording)
    lines: list[tuple[object, str, str, dict]] = []  # (signatory, act, kind, dates)
    for agreement in ctx.agreements:
        model = dossier.document(agreement.id)
        record = dossier.lifecycle(agreement.id)
        signed = {s.party: s.date for s in (record.signatures or ())} if record else {}
        start = model.signing.date if model is not None and model.signing else None
        for s in agreement.signatories:
            dates = {"recorded": signed.get(s.party_id), "earliest": start}
            lines.append((s, agreement.id, "agreement", dates))
    requests = {a.id: a for a in dossier.accessions}
    for accession in ctx.accessions:
        request = requests.get(accession.id)
        requested = request.requested if request else None
        effective = request.effective if request else None
        consents = {c.party: c.date for c in request.consents} if request else {}
        lines.append((accession.party, accession.id, "declaration", {"latest": requested}))
        for consent in accession.consents:
            s = consent.signatory
            dates = {
                "recorded": consents.get(s.party_id),
                "earliest": requested,
                "latest": effective,
            }
            lines.append((s, accession.id, "consent", dates))
    if acts is not None:
        lines = [line for line in lines if line[1] in acts]
    out: list[ExpectedSignatory] = []
    count: dict[str, int] = {}
    for s, act, kind, dates in lines:
        marker = s.marker.removeprefix("sigfield:")
        count[marker] = n = count.get(marker, 0) + 1
        name = PackageSignatory(marker, s.name).field_name + ("" if n == 1 else f"-{n}")
        party = dossier.party(s.party_id)
        out.append(
            ExpectedSignatory(
                field=name,
                party_id=s.party_id,
                party_name=s.organisation,
                person=None if blank in s.name or not s.name.strip() else s.name,
                role=None if blank in s.role or not s.role.strip() else s.role,
                act=act,
                act_kind=kind,
                other_names=tuple(n for n in (party.short_name,) if n) if party else (),
                **dates,
            )
        )
    return out
