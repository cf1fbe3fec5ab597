"""Rules on what active publication under the Woo needs: a responsible body that the
Woo-index can identify, and withheld parts that belong to a document of the dossier."""

from __future__ import annotations

from ..errors import did_you_mean
from ..model.dossier import Dossier
from ..model.references import Index
from .registry import Sink


def check_woo(dossier: Dossier, index: Index, report: Sink) -> None:
    woo = dossier.woo
    if woo is None:
        return
    if woo.responsible is not None:
        party = dossier.party(woo.responsible)
        where = woo.where.child("responsible")
        if party is None:
            hint = did_you_mean(woo.responsible, (p.id for p in dossier.parties))
            report(
                "woo-responsible",
                f"woo.responsible '{woo.responsible}' is not a party of the registry.{hint}",
                where,
                woo.responsible,
            )
        elif party.tooi is None:
            report(
                "woo-responsible",
                f"the responsible party '{party.id}' has no tooi identifier; add it in the "
                "party registry (the Woo-index identifies organisations by TOOI URI)",
                where,
                woo.responsible,
            )
    agreements = [d.id for d in dossier.documents]
    for item in woo.withheld:
        if item.document is not None and item.document not in agreements:
            report(
                "woo-withheld-document",
                f"withheld part '{item.part}' names agreement '{item.document}', which the "
                f"dossier does not have.{did_you_mean(item.document, agreements)}",
                item.where.child("document"),
                item.document,
            )
