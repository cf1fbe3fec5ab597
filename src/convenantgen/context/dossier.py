"""The context of one dossier: every agreement's and accession's context and the texts in
force, computed once per build and handed to every renderer."""

from __future__ import annotations

from dataclasses import dataclass

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
from .packages import PackageContext, package_contexts


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
    # One signing package per signing act (packages.py).
    packages: tuple[PackageContext, ...] = ()


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
    return DossierContext(
        id=dossier.id,
        title=dossier.title,
        display_title=dossier.display_title,
        version=version,
        agreements=agreements,
        accessions=accessions,
        consolidation=consolidation_context(dossier, wording, version),
        packages=package_contexts(dossier, agreements, accessions, wording),
    )
