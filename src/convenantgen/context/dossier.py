"""The context of one dossier: every agreement's and accession's context and the texts in
force, computed once per build and handed to every renderer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model.dossier import Dossier
from ..model.references import build_index
from ..read.project import Settings
from ..text.wording import Wording
from .agreement import (
    AccessionContext,
    AgreementContext,
    accession_context,
    agreement_context,
    sources_hash,
)
from .in_force import ConsolidationContext, consolidation_context


@dataclass(frozen=True)
class DossierContext:
    id: str
    title: str
    display_title: str
    version: str
    agreements: tuple[AgreementContext, ...]
    accessions: tuple[AccessionContext, ...]
    # The text in force per date of change (consolidated.py); None for a dossier without addenda.
    consolidation: ConsolidationContext | None = None
    package_title: str = ""  # the signing package's title (wording documents.package_title)
    # The tooltip of each signer's field in the signing package, by the signer's marker
    # ("sigfield:<party-id>"; wording documents.signature_field).
    field_labels: Mapping[str, str] = field(default_factory=dict)


def build_context(
    dossier: Dossier, wording: Wording | None = None, *, settings: Settings | None = None
) -> DossierContext:
    """The context of one dossier, computed once per build and handed to every renderer."""
    wording = wording or Wording.default()
    index = build_index(dossier)
    version = sources_hash(dossier)
    # Each text gets the version id of what it shows (see text_version), not the dossier's.
    opts = {"index": index, "wording": wording, "settings": settings}
    agreements = tuple(agreement_context(dossier, a, **opts) for a in dossier.agreements)
    accessions = tuple(
        ctx
        for acc in dossier.accessions
        if (ctx := accession_context(dossier, acc.id, **opts)) is not None
    )
    signers = [s for a in agreements for s in a.signatories]
    for acc in accessions:
        signers += [acc.party, *(consent.signatory for consent in acc.consents)]
    labels = {
        s.marker: wording.text("documents.signature_field", name=s.name, party=s.organisation)
        for s in signers
    }
    return DossierContext(
        id=dossier.id,
        title=dossier.title,
        display_title=dossier.display_title,
        version=version,
        agreements=agreements,
        accessions=accessions,
        consolidation=consolidation_context(dossier, wording, version),
        package_title=wording.text("documents.package_title", dossier=dossier.display_title),
        field_labels=labels,
    )
