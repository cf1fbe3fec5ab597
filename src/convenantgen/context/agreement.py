"""Stage 5, context: everything a document shows, already formatted in Dutch.

Pure functions from the model (:class:`~convenantgen.model.dossier.Dossier`) to frozen dataclasses.
Numbers and letters come from :mod:`convenantgen.model.references`, dates and quantities from
:mod:`convenantgen.text.formatting`; the templates (DOCX, Markdown, the site) only place these
strings, they format nothing and decide nothing. User text stays data: it is never turned into
template source here, and escaping is the renderer's job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from ..fingerprint import content_digest
from ..model.derive import (
    agreement_start,
    consenting_parties,
    members_on,
    signatories,
    signer_count,
    target_period,
)
from ..model.dossier import (
    Agreement,
    Clause,
    Dossier,
    Group,
    Measure,
    Party,
    Representative,
    Section,
    Target,
)
from ..model.finance import finance_paragraphs, obligation_text
from ..model.references import (
    TARGET_PLACEHOLDER_RE,
    Index,
    ReferenceSpan,
    article_label,
    build_index,
    render_text,
    render_text_spans,
)
from ..read.project import Settings
from ..text import formatting as fmt
from ..text.wording import Wording, capitalised, has_article, lower_article


@dataclass(frozen=True)
class ListItem:
    """One list entry; ``label`` is ``"1."`` in an ordered list, ``""`` for a bullet."""

    label: str
    text: str


@dataclass(frozen=True)
class ListContext:
    title: str
    items: tuple[ListItem, ...]
    ordered: bool = False


@dataclass(frozen=True)
class MeasureContext:
    id: str
    letter: str  # "A"
    title: str
    heading: str  # "Maatregel A: Opzetten ..."
    description: tuple[str, ...]
    lists: tuple[ListContext, ...]  # worked, strengthen, extra titled sections (non-empty only)
    result_heading: str
    targets: tuple[str, ...]  # target texts with {value} and {period} filled in


@dataclass(frozen=True)
class PartContext:
    id: str
    number: str  # "3.1"
    heading: str  # "Artikel 3.1" or "Artikel 3.2 Onderwijsregio Almere"
    paragraphs: tuple[str, ...]
    measures: tuple[MeasureContext, ...]


@dataclass(frozen=True)
class ArticleContext:
    heading: str  # "Artikel 3 Maatregelen en resultaten"
    parts: tuple[PartContext, ...]


@dataclass(frozen=True)
class ArticleAnchor:
    """The article a clause amends or gives (its ``article``): its id (the amended covenant's
    article, else the clause's own with ``-article``) and number, for the Word bookmark and
    list numbering. Apart from the text, so the text's version does not depend on them."""

    clause: str
    id: str
    number: str  # "3"


@dataclass(frozen=True)
class TextReferences:
    """A rendered text and where its references to articles and measures stand in it."""

    text: str
    spans: tuple[ReferenceSpan, ...]


@dataclass(frozen=True)
class DefinitionContext:
    id: str
    letter: str  # "g"
    label: str  # "g."
    term: str
    text: str


@dataclass(frozen=True)
class ClauseContext:
    id: str
    number: str  # "3.1"; "" in an unnumbered section
    label: str  # "3.1."; ""
    paragraphs: tuple[str, ...]  # the clause text, or the amendment instruction
    definitions: tuple[DefinitionContext, ...] = ()
    article: ArticleContext | None = None


@dataclass(frozen=True)
class SectionContext:
    id: str
    number: str  # "1"
    title: str
    heading: str  # "1. Definities"
    clauses: tuple[ClauseContext, ...]


@dataclass(frozen=True)
class PartyBlock:
    """One group in the parties block: intro line, listed member names, closing line."""

    group: str
    intro: str  # "" for a numbered group without a heading
    members: tuple[str, ...] = ()
    closing: str = ""
    # The line above the block ("En"); "" for the first block, or when party_list.separator
    # is run-in (then it starts the intro) or none.
    separator: str = ""


@dataclass(frozen=True)
class Signatory:
    party_id: str
    group: str
    organisation: str  # the party's name
    on_behalf_of: str  # "namens de schoolbesturen" for a group representative, else ""
    name: str  # the person signing, or BLANK
    title: str  # "mevrouw", "de heer" or ""
    role: str  # "de wethouder ...", or BLANK
    place: str  # or BLANK
    marker: str  # "sigfield:<party-id>": where the PDF stage puts the signature field


@dataclass(frozen=True)
class SignatureGroup:
    group: str
    intro: str  # as in the closing of the covenant text
    signatories: tuple[Signatory, ...]


@dataclass(frozen=True)
class AgreementContext:
    dossier: str
    id: str
    kind: str
    title: str
    short_title: str  # file-name friendly, e.g. "addendum-2024"
    parties_heading: str  # "Partijen,"
    parties: tuple[PartyBlock, ...]
    separator: str  # "En"
    considerations_heading: str  # "" when there are no considerations
    considerations: tuple[str, ...]
    agreement_heading: str  # "Spreken het volgende af:"
    sections: tuple[SectionContext, ...]
    closing: str  # "Aldus overeengekomen en in vijfvoud ondertekend, te Den Haag"
    signature_groups: tuple[SignatureGroup, ...]
    version: str  # text_version: a hash of what the text shows
    footer: str  # "Versie abcdef123456"
    date: dt.date  # for document metadata: signing date, else start of the term
    date_text: str
    author: str  # penvoerder name, for document metadata
    # The title of the signature pages' document (wording documents.signatures_title).
    signatures_title: str = ""
    # The signing date when it is recorded (then the closing states it too), else "": the
    # "Datum:" line of each signature block is left to fill in.
    signed_date: str = ""
    # Its reference where known (its own citation: "Stcrt. 2020, 38286"), else "".
    citation: str = ""
    # What the footer and the document properties say besides the title: the footer's short
    # title (wording agreement.footer_title), the subject (the covenant with its citation) and
    # the keywords (wording documents.keywords).
    footer_title: str = ""
    subject: str = ""
    keywords: str = ""
    # The Roman numeral above each part named in part_numerals ("I"), else "".
    parties_numeral: str = ""
    considerations_numeral: str = ""
    agreement_numeral: str = ""
    # Where the article and measure references stand in the texts above (each rendered text
    # that has one, once): the Word document makes them cross-reference fields.
    references: tuple[TextReferences, ...] = ()
    articles: tuple[ArticleAnchor, ...] = ()

    @property
    def signatories(self) -> tuple[Signatory, ...]:
        return tuple(s for g in self.signature_groups for s in g.signatories)


@dataclass(frozen=True)
class ConsentContext:
    """One 'verklaring van instemming tot toetreding' by a current party."""

    signatory: Signatory
    statement: str


@dataclass(frozen=True)
class AccessionContext:
    dossier: str
    id: str
    agreement_id: str
    agreement_title: str
    covenant_title: str  # the covenant joined, with its citation
    party: Signatory  # the joining party, as it signs its declaration
    party_name: str
    requested: str  # "15 mei 2025"
    effective: str  # "1 augustus 2025"
    clause_number: str  # "3.1"
    clause_label: str  # "artikel 3.1"
    clause_heading: str  # "Artikel 3.1 van het addendum"
    clause_text: str
    declaration_title: str
    declaration: tuple[str, ...]  # paragraphs of the joining party's declaration
    consent_title: str
    consents: tuple[ConsentContext, ...]  # one per current party at the request date
    penvoerder: Signatory | None
    send_to: str
    address: tuple[str, ...]
    # The letter's sender block (organisation, then its address lines), from the settings
    # (organisation:) or else the penvoerder's name; contact name, phone and email or "".
    sender: tuple[str, ...]
    contact_name: str
    contact_phone: str
    contact_email: str
    reference: str  # kenmerk: the request's own (reference:) or "<dossier>/<request>"
    letter_date: str  # the date it was sent (sent:), or "" for a line to fill in
    # The Staatscourant notice: who publishes it, and its date (notice: date) or "".
    notice_authority: str
    notice_date: str
    letter_subject: str
    letter: tuple[str, ...]  # paragraphs of the cover letter
    enclosures: tuple[str, ...]
    notice_title: str
    notice: tuple[str, ...]  # paragraphs of the Staatscourant notice
    illustrative: bool
    version: str
    footer: str
    date: dt.date
    author: str
    # As for an agreement: the footer's short title, the subject and keywords.
    footer_title: str = ""
    subject: str = ""
    keywords: str = ""


# ---------------------------------------------------------------------------------------------


def sources_hash(dossier: Dossier) -> str:
    """Short version id: SHA-256 over the dossier's files (name and bytes), sorted by name.

    Names are taken relative to the dossier folder so the id does not depend on where the
    content sits on disk.
    """
    digest = hashlib.sha256()
    for path in sorted(dossier.files, key=lambda p: _relative(p, dossier.folder)):
        digest.update(_relative(path, dossier.folder).encode() + b"\0")
        digest.update(Path(path).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def text_version(ctx: AgreementContext | AccessionContext) -> str:
    """The version id of a text: the first 12 hex digits of a SHA-256 over everything its
    documents show (the context without the version itself).

    An agreement's text and signature pages share it, as do an accession request's
    declaration, consents, letter and notice. A text that did not change keeps its id when
    something else in the dossier changes, so consents already signed stay valid when a
    target value is edited, and the build can reuse their documents."""
    # The signature pages' title repeats the title: it adds nothing to what the text shows.
    # Nor do the footer and the document properties, which only repeat what the text says,
    # nor where its references stand: the texts say it.
    skip = ("version", "footer", "signatures_title", "footer_title", "subject", "keywords")
    skip = (*skip, "references", "articles")
    return content_digest(ctx, skip=(*skip, "citation"))[:12]


_Text = TypeVar("_Text", AgreementContext, AccessionContext)


def _versioned(ctx: _Text, version: str | None, w: Wording) -> _Text:
    version = version or text_version(ctx)
    if isinstance(ctx, AgreementContext):
        date, reference = ctx.date_text, ctx.citation
    else:
        date, reference = ctx.requested, ctx.reference
    footer = w.text(
        "agreement.footer", version=version, title=ctx.footer_title, date=date, reference=reference
    )
    return replace(ctx, version=version, footer=footer)


def keywords(dossier: Dossier, reference: str, w: Wording) -> str:
    """The keywords property of a dossier's documents (wording documents.keywords): its short
    title, the document's reference and the dossier's themes."""
    return w.text(
        "documents.keywords",
        dossier=dossier.display_title,
        reference=reference,
        themes=[p.label for p in dossier.pillars],
    )


def _relative(path: Path, folder: Path) -> str:
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        return Path(path).name


# ---------------------------------------------------------------------------------------------
# Agreement


def agreement_title(dossier: Dossier, agreement: Agreement, wording: Wording | None = None) -> str:
    """The generated title; an agreement's own ``title`` overrides it for an addendum."""
    if agreement.kind != "addendum":
        return agreement.title or dossier.title
    if agreement.title:
        return agreement.title
    words = wording or Wording.default()
    return words.text("agreement.addendum_title", covenant=covenant_title(dossier, agreement))


def covenant_title(dossier: Dossier, agreement: Agreement) -> str:
    """Title of the covenant an agreement belongs to, with its citation when published."""
    base = dossier.document(agreement.amends) if agreement.amends else agreement
    if base is None:
        return dossier.title
    title = base.title or dossier.title
    return f"{title} ({base.citation})" if base.citation else title


def agreement_context(
    dossier: Dossier,
    agreement: Agreement,
    *,
    index: Index | None = None,
    version: str | None = None,
    wording: Wording | None = None,
    settings: Settings | None = None,
) -> AgreementContext:
    index = index or build_index(dossier)
    w = (wording or Wording.default()).formulas(agreement.formulas)

    references: dict[str, TextReferences] = {}

    def text(value: str) -> str:
        out, spans = render_text_spans(value, index, dossier, strict=False, words=w)
        # Only what this text itself numbers: an article of the covenant it amends is not in
        # it (its new text is, under the covenant's number, but the reference is to the old).
        spans = tuple(s for s in spans if (i := index.get(s.target)) and i.kind != "base-article")
        if spans:
            references.setdefault(out, TextReferences(out, spans))
        return out

    people = signatories(dossier, agreement)
    signing = agreement.signing
    # The collective place of the closing; each signature block names its party's own place.
    place = (signing.place if signing else "") or (settings.signing_place if settings else "") or ""
    closing = w.text(
        "agreement.closing",
        copies=fmt.copies_word(signer_count(people)),
        place=place,
        date=fmt.date_long(signing.date) if signing and signing.date else "",
    )
    day = (signing.date if signing else None) or agreement_start(agreement)
    penvoerder = dossier.penvoerder
    title = agreement_title(dossier, agreement, w)
    made = AgreementContext(
        dossier=dossier.id,
        id=agreement.id,
        kind=agreement.kind,
        title=title,
        short_title=agreement.id,
        parties_heading=w.text("agreement.parties_heading"),
        parties=tuple(_party_blocks(dossier, agreement, w)),
        separator=w.text("agreement.separator"),
        considerations_heading=(
            w.text("agreement.considerations_heading") if agreement.considerations else ""
        ),
        considerations=tuple(text(c.text) for c in agreement.considerations),
        agreement_heading=w.text("agreement.agreement_heading"),
        sections=tuple(
            _section(dossier, agreement, s, n, index, text, w)
            for n, s in enumerate(agreement.sections, start=1)
        ),
        closing=closing,
        signature_groups=tuple(_signature_groups(dossier, agreement, people, w)),
        version="",
        footer="",
        date=day,
        date_text=fmt.date_long(day),
        author=penvoerder.name if penvoerder else dossier.title,
        signatures_title=w.text("documents.signatures_title", agreement=title),
        signed_date=fmt.date_long(signing.date) if signing and signing.date else "",
        citation=str(agreement.citation) if agreement.citation else "",
        footer_title=w.text(
            "agreement.footer_title",
            dossier=dossier.display_title,
            addendum=agreement.kind == "addendum",
            accession=False,
        ),
        subject=covenant_title(dossier, agreement),
        keywords=keywords(dossier, str(agreement.citation or ""), w),
        **_numerals(agreement, w),
    )
    made = replace(
        made, references=tuple(references.values()), articles=_anchors(dossier, agreement, index)
    )
    return _versioned(made, version, w)


def _anchors(dossier: Dossier, agreement: Agreement, index: Index) -> tuple[ArticleAnchor, ...]:
    """The article of each clause that has one (see :class:`ArticleAnchor`), numbered as
    :func:`_clause` numbers its heading."""
    out = []
    for section in agreement.sections:
        for clause in section.clauses:
            if not clause.parts:
                continue
            base = dossier.article(clause.amend_article)
            ref = index.get(clause.id)
            own = ref.number if ref is not None and section.numbered else ""
            amended = _number(index, clause.amend_article) if clause.amend_article else ""
            number = base.number if base else amended or own
            # An article of the text itself: the clause's id names its first paragraph.
            ident = clause.amend_article or f"{clause.id}-article"
            out.append(ArticleAnchor(clause.id, ident, number))
    return tuple(out)


def _numerals(agreement: Agreement, w: Wording) -> dict[str, str]:
    """The numeral above each part the agreement numbers (part_numerals), in their order."""
    out = {}
    for n, part in enumerate(agreement.part_numerals, start=1):
        out[f"{part}_numeral"] = w.text("agreement.part_numeral", numeral=fmt.roman(n))
    return out


def _paragraphs(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(p.strip() for p in value.split("\n\n") if p.strip())


def _section(dossier, agreement, section: Section, number: int, index: Index, text, w: Wording):
    clauses = tuple(
        _clause(dossier, agreement, section, clause, index, text, w) for clause in section.clauses
    )
    return SectionContext(
        id=section.id,
        number=str(number),
        title=section.title,
        heading=w.text("agreement.section_heading", number=str(number), title=section.title),
        clauses=clauses,
    )


def _clause(dossier, agreement, section: Section, clause: Clause, index: Index, text, w: Wording):
    ref = index.get(clause.id)
    number = ref.number if ref is not None and section.numbered else ""
    paragraphs = tuple(text(p) for p in _paragraphs(clause.text))
    paragraphs += _money_and_duties(dossier, clause, text, w)
    if clause.amend_article:
        paragraphs = (_instruction(dossier, agreement, clause, index, w), *paragraphs)
    definitions = tuple(
        DefinitionContext(
            id=d.id,
            letter=(letter := _number(index, d.id)),
            label=f"{letter}.",
            term=d.term,
            text=text(d.text),
        )
        for d in clause.definitions
    )
    article = None
    if clause.parts:
        base = dossier.article(clause.amend_article)
        # The amended covenant's number: its listed article, or its section once its text is
        # recorded; an article of the text itself has its own number.
        amended = _number(index, clause.amend_article) if clause.amend_article else ""
        art_no = base.number if base else amended or number
        title = clause.article_title or (base.title if base else "")
        article = ArticleContext(
            heading=w.text("agreement.article_heading", number=art_no, title=title or ""),
            parts=tuple(_part(dossier, part, index, text, w) for part in clause.parts),
        )
    return ClauseContext(
        id=clause.id,
        number=number,
        label=f"{number}." if number else "",
        paragraphs=paragraphs,
        definitions=definitions,
        article=article,
    )


def _money_and_duties(dossier: Dossier, clause: Clause, text, w: Wording) -> tuple[str, ...]:
    """A clause's financial arrangement and obligations as plain article text."""
    out = finance_paragraphs(clause.finance, w) if clause.finance else ()
    for duty in clause.obligations:
        party, group = dossier.party(duty.owner), dossier.group(duty.owner)
        named = (group.designation or group.heading or "").rstrip(":,; ") if group else ""
        owner = party.name if party else named
        out += (text(obligation_text(duty, owner or duty.owner, w)),)
    return out


def _number(index: Index, ref_id: str) -> str:
    ref = index.get(ref_id)
    return ref.number if ref is not None else ""


def _amended_name(dossier: Dossier, agreement: Agreement, w: Wording) -> str:
    base = dossier.document(agreement.amends) if agreement.amends else None
    if base is None or base.kind == "convenant":
        return w.text("agreement.amended_covenant")
    return w.text("agreement.amended_addendum")


def _instruction(dossier, agreement, clause: Clause, index: Index, w: Wording) -> str:
    """``Aan artikel 1 van het Convenant wordt toegevoegd:`` / ``... komt te luiden:``."""
    base = dossier.article(clause.amend_article)
    number = base.number if base else _number(index, clause.amend_article or "")
    key = "add" if clause.amend_action == "add" else "replace"
    return w.text(
        f"agreement.instruction_{key}", number=number, amended=_amended_name(dossier, agreement, w)
    )


def _part(dossier: Dossier, part, index: Index, text, w: Wording) -> PartContext:
    number = _number(index, part.id)
    heading = w.text("agreement.article_heading", number=number, title=part.title or "")
    measures = tuple(
        _measure(dossier, m, index, text, w) for mid in part.measures if (m := dossier.measure(mid))
    )
    return PartContext(
        id=part.id,
        number=number,
        heading=heading,
        paragraphs=tuple(text(p) for p in _paragraphs(part.text)),
        measures=measures,
    )


def _measure(dossier: Dossier, measure: Measure, index: Index, text, w: Wording) -> MeasureContext:
    letter = index.measure_letters.get(measure.id, "")
    lists = []
    if measure.worked:
        lists.append(_list(w.text("agreement.worked_heading"), measure.worked, False, text))
    if measure.strengthen:
        lists.append(_list(w.text("agreement.strengthen_heading"), measure.strengthen, False, text))
    lists += [_list(s.title, s.items, s.ordered, text) for s in measure.sections]
    return MeasureContext(
        id=measure.id,
        letter=letter,
        title=measure.title,
        heading=w.text("agreement.measure_heading", letter=letter, title=measure.title),
        description=tuple(text(p) for p in measure.description),
        lists=tuple(lists),
        result_heading=w.text("agreement.result_heading"),
        targets=tuple(target_text(dossier, t, index, w) for t in measure.targets),
    )


def _list(title: str, items, ordered: bool, text) -> ListContext:
    return ListContext(
        title=title,
        items=tuple(
            ListItem(f"{n}." if ordered else "", text(item)) for n, item in enumerate(items, 1)
        ),
        ordered=ordered,
    )


def target_text(
    dossier: Dossier, target: Target, index: Index | None = None, words: Wording | None = None
) -> str:
    """The target's text with ``{value}``, ``{period}`` and ``{baseline}`` (the baseline's
    value, in the indicator's unit the Dutch way) filled in from its data."""
    index = index or build_index(dossier)
    indicator = dossier.indicator(target.indicator) if target.indicator else None

    def fill(match) -> str:
        if match.group(1) == "value":
            if target.value is None or indicator is None:
                return match.group(0)
            return fmt.indicator_quantity(target.value, indicator)
        if match.group(1) == "baseline":
            base = target.baseline.value if target.baseline else None
            if base is None or indicator is None:
                return match.group(0)
            return fmt.indicator_quantity(base, indicator)
        span = target_period(dossier, target)
        return fmt.period_text(*span) if span else match.group(0)

    filled = TARGET_PLACEHOLDER_RE.sub(fill, target.text)
    return render_text(filled, index, dossier, strict=False, words=words)


# ---------------------------------------------------------------------------------------------
# Parties and signatures


def _person_of(rep: Representative) -> str:
    return f"{rep.title} {rep.name}" if rep.title else rep.name


def _person(party: Party) -> str:
    return _person_of(party.representative) if party.representative else ""


def _and(items: list[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _and_signers(items: list[str], w: Wording) -> str:
    """The signers of one party joined by the wording (and_signers: "a en b", "a, en b")."""
    if len(items) == 1:
        return items[0]
    return w.text("agreement.and_signers", first=", ".join(items[:-1]), last=items[-1])


def the_role(role: str, article: str | None, w: Wording) -> str:
    """'voorzitter' -> 'de voorzitter' (or the registry's article, 'het bestuurslid'); a role
    that starts with an article of its own is written as it is."""
    if has_article(role):
        return role
    return w.text("agreement.the_role", role=role, article=article or "")


def _rep_role(rep: Representative, w: Wording) -> str:
    """The signer's role with its article, or "" when the registry gives none."""
    return the_role(rep.role, rep.role_article, w) if rep.role else ""


def _represented(party: Party, w: Wording, *, named: bool = False) -> str:
    """'te dezen vertegenwoordigd door <role>, <person> [en ...]' for every listed signer.

    ``named``: the party's name was written just before, so a signer without a role is
    written without one (the name is never repeated); otherwise the name stands in for it.
    Each signer is written by the agreement's ``representative`` formula, or by
    ``representative_role_first`` / ``representative_name_first`` when the registry sets the
    signer's ``order``.
    """
    people = [r for r in party.representatives if r.listed]
    if not people:
        return ""
    texts = []
    for r in people:
        role = r.role or ("" if named else party.name)
        key = f"agreement.representative_{r.order.replace('-', '_')}" if r.order else None
        texts.append(
            w.text(
                key or "agreement.representative",
                role=role,
                the_role=_rep_role(r, w) or role,
                person=_person_of(r),
                authority=r.authority or "",
            )
        )
    first = people[0]
    return w.text(
        "agreement.represented",
        people=_and_signers(texts, w),
        by=first.role or ("" if named else party.name),
        person=_person_of(first),
        also_for=party.also_on_behalf_of or "",
    )


def _member_phrase(
    party: Party, first: bool, w: Wording, *, designated: bool = True, form: str | None = None
) -> str:
    """The party as the parties block names it; ``designated``: with its own designation,
    written by the form of the party, else ``form`` (its group's), else party_designation."""
    name = party.name if first else lower_article(party.name)
    if party.capacity:
        name += f", {party.capacity}"
    rep = party.representative
    if party.kind == "minister" and not party.mandate:
        # Ministers act themselves: "De Minister van ..., mevrouw I. Jansen", with the title
        # (de heer, mevrouw) the registry gives the person.
        signers = _person_of(rep) if rep and rep.listed else ""
    else:
        signers = _represented(party, w, named=True)
    designation = ""
    if designated and party.designation:
        # One text may write "hierna: FNLI" and "hierna te noemen: de Minister van VWS".
        chosen = party.designation_form or form
        key = f"agreement.party_designation_{chosen}" if chosen else "agreement.party_designation"
        designation = w.text(key, designation=party.designation)
    # The order of name, signers and designation is wording: some texts write the designation
    # right after the name ("de FNLI (hierna: FNLI), te dezen vertegenwoordigd door ...").
    return w.text("agreement.party_member", name=name, signers=signers, designation=designation)


def _listed(group: Group) -> bool:
    """Members one per line: a group with a heading, numbered members or ``listed: true``."""
    return bool(group.heading or group.numbered or group.listed)


def _closing(group: Group, first: int, last: int, w: Wording) -> str:
    """The group's closing line: its designation, with its capacity in a listed group (one
    with a heading or numbered members; a group without either writes it after the names).
    ``first``/``last``: the numbers of a numbered group's members, for a range."""
    words = {"first": str(first), "last": str(last)} if first else {"first": "", "last": ""}
    capacity = group.capacity if group.capacity and _listed(group) else ""
    if group.designation:
        return w.text(
            "agreement.party_closing", designation=group.designation, capacity=capacity, **words
        )
    return w.text("agreement.listed_capacity", capacity=capacity, **words) if capacity else ""


def _party_blocks(dossier: Dossier, agreement: Agreement, w: Wording) -> list[PartyBlock]:
    day = agreement_start(agreement)
    groups = [g for gid in agreement.parties if (g := dossier.group(gid)) is not None]
    separator = w.text("agreement.separator")
    blocks = []
    counter = 0  # numbering continues over the numbered groups
    for n, group in enumerate(groups):
        members = members_on(dossier, group.id, day)
        start = counter + 1
        listed = _listed(group)
        if listed:
            rep = dossier.party(group.representative_party or "")
            intro = group.heading or ""
            if group.signing == "representative" and rep is not None and rep.representative:
                intro += ", " + _represented(rep, w)
            if intro and intro[-1] not in ":,;":
                intro += ","
            names = [
                p.name
                if group.signing == "representative"
                else _member_phrase(p, True, w, form=group.designation_form)
                for p in members
            ]
            if group.numbered:
                names = [
                    w.text("agreement.numbered_member", number=str(counter + i), member=name)
                    for i, name in enumerate(names, start=1)
                ]
                counter += len(names)
            else:
                names = [w.text("agreement.listed_member", member=name) for name in names]
            numbered = group.numbered and bool(members)
            closing = _closing(group, start if numbered else 0, counter, w)
            block = PartyBlock(group.id, intro, tuple(names))
        else:
            phrase = ", en ".join(
                _member_phrase(p, i == 0, w, form=group.designation_form)
                for i, p in enumerate(members)
            )
            if group.capacity:
                phrase += f", {group.capacity}"
            closing = _closing(group, 0, 0, w)
            block = PartyBlock(group.id, phrase)
        if agreement.collective_designation and n == len(groups) - 1:
            numbers = {"first": "1", "last": str(counter)} if counter else {"first": "", "last": ""}
            collective = w.text(
                "agreement.collective_closing",
                designation=agreement.collective_designation,
                **numbers,
            )
            closing = f"{closing} {collective}" if closing else collective
        if listed:
            block = replace(block, closing=closing)
        else:
            block = replace(
                block, intro=f"{block.intro}, {closing}" if closing else f"{block.intro};"
            )
        blocks.append(_separated(block, n, agreement.party_separator, separator))
    return blocks


def _separated(block: PartyBlock, n: int, how: str, separator: str) -> PartyBlock:
    """The block with the separator above it ("En"), or run into its first line."""
    if n == 0 or how == "none":
        return block
    if how == "run-in":
        if block.intro:
            return replace(block, intro=f"{separator} {lower_article(block.intro)}")
        # A numbered group without a heading: the separator runs into its first member.
        first, *rest = block.members or ("",)
        return replace(block, members=(f"{separator} {lower_article(first)}", *rest))
    return replace(block, separator=separator)


def signatory(
    party: Party,
    group: Group | None,
    place: str,
    *,
    on_behalf: bool,
    w: Wording,
    person: Representative | None = None,
    number: int = 1,
) -> Signatory:
    """One signature line: ``person`` (default: the party's first signer) signs for ``party``.

    The marker is ``sigfield:<party-id>`` for a party's first signer and
    ``sigfield:<party-id>:<n>`` for the n-th, so every signer gets a field of their own.
    """
    rep = person or party.representative
    # Unknown on paper: a dotted line the signatory fills in by hand.
    blank = w.text("agreement.blank")
    # No one named: the block still says for whom and in what role the line is signed.
    unnamed = w.text("signing.unnamed", party=party.name, role=unnamed_role(party, w))
    designation = (group.designation or group.heading or "").rstrip(":,; ") if group else None
    return Signatory(
        party_id=party.id,
        group=group.id if group else party.group,
        organisation=party.name,
        on_behalf_of=(
            w.text("agreement.on_behalf", designation=designation)
            if on_behalf and designation
            else ""
        ),
        name=rep.name if rep else unnamed,
        title=(rep.title or "") if rep else "",
        role=(rep.role if rep else None) or blank,
        place=place or blank,
        marker=f"sigfield:{party.id}" + (f":{number}" if number > 1 else ""),
    )


def unnamed_role(party: Party, w: Wording) -> str:
    """Who signs for a party that names no representative: the role of its kind."""
    key = f"signatory_roles.{party.kind}"
    return w.text(key if key in w.entries else "signatory_roles.other")


def _party_signatories(party: Party, group: Group | None, place: str, on_behalf: bool, w):
    people = party.representatives or (None,)
    return tuple(
        signatory(party, group, place, on_behalf=on_behalf, w=w, person=r, number=n)
        for n, r in enumerate(people, start=1)
    )


def _signature_groups(
    dossier: Dossier, agreement: Agreement, people, w: Wording
) -> list[SignatureGroup]:
    order: list[str] = []
    for gid, _ in people:
        if gid not in order:
            order.append(gid)
    out = []
    for gid in order:
        group = dossier.group(gid)
        parties = [p for g, p in people if g == gid]
        representative = group is not None and group.signing == "representative"
        # Each party signs where it is: its own place, or a line to fill in (not the closing's).
        sigs = [_party_signatories(p, group, p.place or "", representative, w) for p in parties]
        # Every block starts with a capital, whatever case the name has inside a sentence.
        if representative and group is not None:
            rep = parties[0]
            by = (_rep_role(rep.representative, w) if rep.representative else "") or rep.name
            heading = (group.heading or group.designation or "").rstrip(":,; ")
            intro = w.text("agreement.group_signature", group=heading, by=by)
            out.append(SignatureGroup(gid, capitalised(intro), tuple(s for ss in sigs for s in ss)))
        elif all(p.kind == "minister" and not p.mandate for p in parties):
            intro = ", en ".join(
                _member_phrase(p, i == 0, w, designated=False) for i, p in enumerate(parties)
            )
            if group is not None and group.capacity:
                intro += f", {group.capacity}"
            out.append(
                SignatureGroup(gid, capitalised(intro + ","), tuple(s for ss in sigs for s in ss))
            )
        else:
            # Every party signs for itself, as the gemeente does in the published text.
            for p, own in zip(parties, sigs, strict=True):
                if p.mandate:
                    intro = w.text("agreement.mandate_signature", party=p.name)
                else:
                    roles = [_rep_role(r, w) or _person_of(r) for r in p.representatives]
                    intro = w.text(
                        "agreement.party_signature", party=p.name, by=_and(roles or [p.name])
                    )
                out.append(SignatureGroup(gid, capitalised(intro), own))
    return out


# ---------------------------------------------------------------------------------------------
# Accession


def accession_context(
    dossier: Dossier,
    accession_id: str,
    *,
    index: Index | None = None,
    version: str | None = None,
    wording: Wording | None = None,
    settings: Settings | None = None,
) -> AccessionContext | None:
    """The documents of one accession request; ``None`` when its references do not resolve."""
    acc = next((a for a in dossier.accessions if a.id == accession_id), None)
    if acc is None:
        return None
    agreement = dossier.document(acc.document)
    party = dossier.party(acc.party)
    if agreement is None or party is None:
        return None
    index = index or build_index(dossier)
    w = wording or Wording.default()
    rule = agreement.accession
    clause_ref = index.get(rule.clause) if rule else None
    clause_number = clause_ref.number if clause_ref else ""
    clause_label = (
        article_label(clause_ref, w) if clause_ref else w.text("accession.default_clause")
    )
    clause = next((c for _, c in agreement.clauses() if rule and c.id == rule.clause), None)
    clause_text = (
        render_text(clause.text or "", index, dossier, strict=False, words=w) if clause else ""
    )
    title = agreement_title(dossier, agreement, w)
    covenant = covenant_title(dossier, agreement)
    of_agreement = w.text("accession.of_agreement", kind=agreement.kind)
    penvoerder = dossier.penvoerder

    def sign(p: Party) -> Signatory:
        # Declarations are signed by each party at home: no default place.
        return signatory(p, dossier.group(p.group), p.place or "", on_behalf=False, w=w)

    joining_by = _represented(party, w, named=True)
    consenting = consenting_parties(dossier, acc)
    words = {
        "party": party.name,
        "covenant": covenant,
        "effective": fmt.date_long(acc.effective),
        "requested": fmt.date_long(acc.requested),
        "clause": clause_label,
        "of_agreement": of_agreement,
        "kind": agreement.kind,
        "penvoerder": penvoerder.name if penvoerder else "",
        "consents": len(consenting),
        "agreement": title,
    }
    consents = tuple(
        ConsentContext(
            signatory=sign(p),
            statement=w.text("accession.consent", consenting=p.name, **words),
        )
        for p in consenting
    )
    joining = f"{party.name}, {joining_by}" if joining_by else party.name
    send_to = (rule.send_to if rule else None) or w.text("accession.send_to")
    address = tuple(rule.send_to_address) if rule else ()
    org = (settings.organisation if settings else None) or (penvoerder.name if penvoerder else "")
    contact = settings.organisation_contact if settings else {}
    notice_date = acc.notice.date if acc.notice else None
    made = AccessionContext(
        dossier=dossier.id,
        id=acc.id,
        agreement_id=agreement.id,
        agreement_title=title,
        covenant_title=covenant,
        party=sign(party),
        party_name=party.name,
        requested=words["requested"],
        effective=words["effective"],
        clause_number=clause_number,
        clause_label=clause_label,
        clause_heading=w.text(
            "accession.clause_heading", clause=clause_label, of_agreement=of_agreement
        ),
        clause_text=clause_text,
        declaration_title=w.text("accession.declaration_title"),
        declaration=w.paragraphs("accession.declaration", joining=joining, **words),
        consent_title=w.text("accession.consent_title"),
        consents=consents,
        penvoerder=sign(penvoerder) if penvoerder else None,
        send_to=send_to,
        address=address,
        sender=tuple(x for x in (org, *(settings.organisation_address if settings else ())) if x),
        contact_name=contact.get("name", ""),
        contact_phone=contact.get("phone", ""),
        contact_email=contact.get("email", ""),
        reference=acc.reference or f"{dossier.id}/{acc.id}",
        letter_date=fmt.date_long(acc.sent) if acc.sent else "",
        notice_authority=org,
        notice_date=fmt.date_long(notice_date) if notice_date else "",
        letter_subject=w.text("accession.letter_subject", **words),
        letter=w.paragraphs("accession.letter", **words),
        enclosures=(
            w.text("accession.enclosure_declaration", **words),
            *(
                w.text("accession.enclosure_consent", consenting=p.name, **words)
                for p in consenting
            ),
        ),
        notice_title=w.text("accession.notice_title", **words),
        notice=w.paragraphs("accession.notice", **words),
        illustrative=acc.illustrative,
        version="",
        footer="",
        date=acc.requested,
        author=penvoerder.name if penvoerder else dossier.title,
        footer_title=w.text(
            "agreement.footer_title",
            dossier=dossier.display_title,
            addendum=agreement.kind == "addendum",
            accession=True,
        ),
        subject=covenant,
        keywords=keywords(dossier, acc.reference or f"{dossier.id}/{acc.id}", w),
    )
    return _versioned(made, version, w)
