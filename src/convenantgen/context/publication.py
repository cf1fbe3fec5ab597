"""What the publication channels need to know of each publishable document: data only.

A covenant, an addendum and the Staatscourant notice of an accession are published documents.
The Woo sitemaps (:mod:`convenantgen.site.woo`) and the Staatscourant metadata records
(:mod:`convenantgen.render.staatscourant`) describe the same facts in two vocabularies, so the
facts are gathered once here: title, publisher and responsible body (TOOI URI and name), the
parties, the dates of creation, signing and publication, the Staatscourant number, the
predecessor and the parts withheld under the Woo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model.derive import accession_stems, agreement_stem, covenant
from ..model.dossier import Agreement, Citation, Dossier, Party
from ..model.finance import Cited
from ..read.project import Settings
from .dossier import DossierContext

# Kinds of published document.
COVENANT, ADDENDUM, ACCESSION_NOTICE = "convenant", "addendum", "accession-notice"


@dataclass(frozen=True)
class Organisation:
    name: str
    tooi: str | None = None


@dataclass(frozen=True)
class Signed:
    """One signature: who signed, on which day."""

    party: Organisation
    date: dt.date


@dataclass(frozen=True)
class Related:
    """Another published document this one refers to (the covenant amended, a predecessor)."""

    title: str
    citation: Citation | None = None
    kamerstuk: tuple[str, str] | None = None  # (dossier, number)

    @property
    def identifier(self) -> str | None:
        """The official publication's identifier: ``stcrt-2020-38286``, ``kst-29683-198``."""
        if self.citation:
            return stcrt_id(self.citation)
        if self.kamerstuk:
            dossier, number = self.kamerstuk
            return f"kst-{dossier.replace(' ', '')}-{number}"
        return None


@dataclass(frozen=True)
class WithheldPart:
    part: str
    ground: str  # "5.1.2.e"


@dataclass(frozen=True)
class PublishedDocument:
    dossier: str
    id: str  # the agreement's or the accession's id
    kind: str  # COVENANT | ADDENDUM | ACCESSION_NOTICE
    title: str
    stem: str  # file name of its documents, without extension (beside it: the notice's record)
    summary: str | None
    publisher: Organisation | None
    responsible: Organisation | None
    parties: tuple[Organisation, ...]
    created: dt.date | None  # the text's date: signing, else the start of its term
    signatures: tuple[Signed, ...]
    signed: dt.date | None  # the last signature
    published: dt.date | None
    citation: Citation | None  # Staatscourant year and number, once published
    in_force: tuple[dt.date | None, dt.date | None]
    amends: Related | None = None  # an addendum's covenant; an accession's agreement
    predecessor: Related | None = None
    withheld: tuple[WithheldPart, ...] = ()
    themes: tuple[str, ...] = ()
    illustrative: bool = False

    @property
    def identifier(self) -> str:
        """The Staatscourant identifier (``stcrt-2024-21836``) once published, else ours."""
        return stcrt_id(self.citation) if self.citation else f"{self.dossier}-{self.id}"


def stcrt_id(citation: Citation) -> str:
    return f"stcrt-{citation.year}-{citation.number}"


def _organisation(party: Party | None) -> Organisation | None:
    return Organisation(party.name, party.tooi) if party is not None else None


def publisher_of(settings: Settings | None) -> Organisation | None:
    if settings is None or not settings.organisation:
        return None
    return Organisation(settings.organisation, settings.organisation_tooi)


def published_documents(
    dossier: Dossier, settings: Settings | None = None, ctx: DossierContext | None = None
) -> tuple[PublishedDocument, ...]:
    """Every publishable document of ``dossier``: its agreements, in order, then the
    Staatscourant notice of each accession request. With the dossier's context the titles
    are the rendered ones (an addendum's title is generated from its covenant's)."""
    titles: dict[str, str] = {}
    if ctx is not None:
        titles = {a.id: a.title for a in ctx.agreements}
        titles.update({f"accession:{a.id}": a.notice_title for a in ctx.accessions})
    publisher = publisher_of(settings)
    woo = dossier.woo
    responsible = publisher
    if woo is not None and woo.responsible is not None:
        responsible = _organisation(dossier.party(woo.responsible)) or publisher
    # Without a publishing organisation in the settings, the responsible body publishes.
    publisher = publisher or responsible
    out = [_agreement(dossier, a, publisher, responsible, titles) for a in dossier.agreements]
    base = covenant(dossier)
    for acc in dossier.accessions:
        party = dossier.party(acc.party)
        agreement = dossier.document(acc.document)
        notice = acc.notice
        joined = (agreement or base).title if (agreement or base) else dossier.title
        out.append(
            PublishedDocument(
                dossier=dossier.id,
                id=acc.id,
                kind=ACCESSION_NOTICE,
                title=titles.get(f"accession:{acc.id}")
                or f"{joined}: {party.name if party else acc.party}",
                stem=accession_stems(dossier.id, acc.id)[2],  # the notice's
                summary=None,
                publisher=publisher,
                responsible=responsible,
                parties=tuple(o for o in (_organisation(party),) if o is not None),
                created=acc.requested,
                signatures=(),
                signed=None,
                published=notice.date if notice else None,
                citation=notice.citation if notice else None,
                in_force=(acc.effective, None),
                amends=_related(agreement or base, titles),
                themes=woo.themes if woo else (),
                illustrative=acc.illustrative,
            )
        )
    return tuple(out)


def _cited(cited: Cited) -> Related:
    year_number = cited.staatscourant
    citation = Citation(year_number[0], year_number[1]) if year_number else None
    kamerstuk = (cited.kamerstuk[2], cited.kamerstuk[3]) if cited.kamerstuk else None
    return Related(cited.title, citation, kamerstuk)


def _related(agreement: Agreement | None, titles: dict[str, str]) -> Related | None:
    if agreement is None:
        return None
    cite = agreement.citation or (agreement.publication.citation if agreement.publication else None)
    return Related(titles.get(agreement.id) or agreement.title or agreement.id, cite)


def _agreement(
    dossier: Dossier,
    agreement: Agreement,
    publisher: Organisation | None,
    responsible: Organisation | None,
    titles: dict[str, str],
) -> PublishedDocument:
    record = dossier.lifecycle(agreement.id)
    signatures: tuple[Signed, ...] = ()
    if record is not None and record.signatures:
        signatures = tuple(
            Signed(
                _organisation(dossier.party(s.party)) or Organisation(s.party),
                s.date,
            )
            for s in sorted(record.signatures, key=lambda s: (s.date, s.party))
        )
    signed = signatures[-1].date if signatures else None
    if signed is None and agreement.signing is not None:
        signed = agreement.signing.date
    published, citation = None, None
    if record is not None and record.publication is not None:
        published, citation = record.publication.date, record.publication.citation
    elif agreement.publication is not None:
        published, citation = agreement.publication.published, agreement.publication.citation
    citation = citation or (agreement.citation if agreement.kind == COVENANT else None)
    members = [p for gid in agreement.parties for p in dossier.members(gid)]
    amends = _related(dossier.document(agreement.amends), titles) if agreement.amends else None
    withheld = tuple(
        WithheldPart(w.part, w.ground)
        for w in (dossier.woo.withheld if dossier.woo else ())
        if w.document in (None, agreement.id)
    )
    return PublishedDocument(
        dossier=dossier.id,
        id=agreement.id,
        kind=ADDENDUM if agreement.kind == ADDENDUM else COVENANT,
        title=titles.get(agreement.id) or agreement.title or dossier.title,
        stem=agreement_stem(dossier.id, agreement.id),
        summary=dossier.summary,
        publisher=publisher,
        responsible=responsible,
        parties=tuple(Organisation(p.name, p.tooi) for p in members),
        created=signed or agreement.in_force.start,
        signatures=signatures,
        signed=signed,
        published=published,
        citation=citation,
        in_force=(agreement.in_force.start, agreement.in_force.end),
        amends=amends,
        predecessor=next((_cited(c) for c in agreement.cites if c.predecessor), None),
        withheld=withheld,
        themes=dossier.woo.themes if dossier.woo else (),
        illustrative=bool(record is not None and record.illustrative),
    )
