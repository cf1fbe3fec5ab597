"""Who is to sign each field of a dossier's signing packages, and which package a file is.

The build makes one package per signing act (:func:`convenantgen.model.derive.signing_acts`):
an agreement with its signature pages, or an accession request with the joining party's
declaration and each current party's consent. Its fields are those of the act's
:class:`~convenantgen.context.packages.PackageContext` (``build._package_settings`` gives
each one to ``package.py`` as a ``Signatory``), named ``handtekening-<key>`` (``key`` is the
marker's party id, ``party:<n>`` for a party's n-th signer) within that package. The same
party signs a line in several packages under the same field name, so a field is known by its
package (act) and its name.

A field's dates are its act's: for an agreement, the signature the lifecycle records give and
the agreement's signing date; for an accession, the request date (the declaration is signed
by then) and the consent recorded, between request and effective date.

:func:`act_of_file` finds the act of a signed file from its name (the package's own, or a
sealed copy's ``-sealed`` after it), or from the act id given.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from ..context.agreement import Signatory, unnamed_role
from ..context.dossier import build_context
from ..context.packages import MARKER
from ..errors import UsageError, did_you_mean
from ..model.derive import SigningAct, signing_acts
from ..model.dossier import Dossier
from ..render.pdf.package import Signatory as PackageSignatory
from ..text.wording import Wording
from .seal import SEALED_SUFFIX
from .signature_check import ExpectedSignatory


def expected_signatories(
    dossier: Dossier, wording: Wording | None = None, *, acts: Collection[str] | None = None
) -> list[ExpectedSignatory]:
    """One :class:`ExpectedSignatory` per signature field of each of ``dossier``'s signing
    packages, package after package in the build's order; with ``acts`` (agreement and
    accession request ids), of those acts' packages only. Field names are unique within a
    package, not across packages: compare a signed file with one act's."""
    wording = wording or Wording.default()
    blank = wording.text("agreement.blank")
    ctx = build_context(dossier, wording)
    lines = _lines(dossier, ctx)
    out: list[ExpectedSignatory] = []
    for package in ctx.packages:
        if acts is not None and package.act not in acts:
            continue
        for field in package.fields:
            s, kind, dates = lines[(package.act, field.key)]
            party = dossier.party(s.party_id)
            # A party that names no one signs on a line that names only party and role.
            unnamed = (
                wording.text("signing.unnamed", party=party.name, role=unnamed_role(party, wording))
                if party
                else None
            )
            named = s.name.strip() and blank not in s.name and s.name != unnamed
            out.append(
                ExpectedSignatory(
                    # The name the build gives the field (build._package_settings).
                    field=PackageSignatory(field.key, field.label).field_name,
                    party_id=s.party_id,
                    party_name=s.organisation,
                    person=s.name if named else None,
                    role=None if blank in s.role or not s.role.strip() else s.role,
                    act=package.act,
                    act_kind=kind,
                    other_names=tuple(n for n in (party.short_name,) if n) if party else (),
                    package=package.stem,
                    **dates,
                )
            )
    return out


def _lines(dossier: Dossier, ctx) -> dict[tuple[str, str], tuple[Signatory, str, dict]]:
    """(act id, field key) -> (signatory, kind of line, dates the act allows), per signature
    line of the agreements and accession requests as the documents show them."""
    out: dict[tuple[str, str], tuple[Signatory, str, dict]] = {}

    def add(act: str, s: Signatory, kind: str, dates: dict) -> None:
        # The first line of a key is the one the package's field is labelled from.
        out.setdefault((act, s.marker.removeprefix(MARKER)), (s, kind, dates))

    for agreement in ctx.agreements:
        model = dossier.document(agreement.id)
        record = dossier.lifecycle(agreement.id)
        signed = {s.party: s.date for s in (record.signatures or ())} if record else {}
        start = model.signing.date if model is not None and model.signing else None
        for s in agreement.signatories:
            dates = {"recorded": signed.get(s.party_id), "earliest": start}
            add(agreement.id, s, "agreement", dates)
    requests = {a.id: a for a in dossier.accessions}
    for accession in ctx.accessions:
        request = requests.get(accession.id)
        requested = request.requested if request else None
        effective = request.effective if request else None
        consents = {c.party: c.date for c in request.consents} if request else {}
        add(accession.id, accession.party, "declaration", {"latest": requested})
        for consent in accession.consents:
            s = consent.signatory
            dates = {
                "recorded": consents.get(s.party_id),
                "earliest": requested,
                "latest": effective,
            }
            add(accession.id, s, "consent", dates)
    return out


def act_of_file(dossier: Dossier, path: Path, act_id: str | None = None) -> SigningAct:
    """The signing act whose package ``path`` is: the act ``act_id`` when given, else the one
    whose package file name it has (``<stem>.pdf``, or a sealed copy ``<stem>-sealed.pdf``).
    :class:`UsageError` for an unknown act or name, listing the dossier's acts or packages."""
    acts = signing_acts(dossier)
    if not acts:
        raise UsageError(f"dossier '{dossier.id}' has no signing act, so no signing package")
    if act_id is not None:
        for act in acts:
            if act.id == act_id:
                return act
        ids = [a.id for a in acts]
        raise UsageError(
            f"dossier '{dossier.id}' has no signing act '{act_id}'; its acts: "
            + ", ".join(ids)
            + "."
            + did_you_mean(act_id, ids)
        )
    stem = Path(path).stem
    # Sealing a sealed copy again gives "-sealed-sealed".
    while stem.endswith(SEALED_SUFFIX):
        stem = stem.removesuffix(SEALED_SUFFIX)
    for act in acts:
        if act.stem == stem:
            return act
    names = [f"{a.stem}.pdf" for a in acts]
    raise UsageError(
        f"'{Path(path).name}' is not the name of a signing package of dossier "
        f"'{dossier.id}' (nor of a sealed copy, '...{SEALED_SUFFIX}.pdf'); its packages: "
        + ", ".join(names)
        + "; name the act with --act ID"
    )
