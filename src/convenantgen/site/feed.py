"""The site's Atom feed of changes (``feed.xml`` at the site root), for people who follow.

Every entry is a dated fact of the data, never the time of the build, so the same content and
reference date give the same bytes: a new dossier (dated by its earliest fact), an agreement
signed, published in the Staatscourant or in force, an extension that starts, an accession
requested or in effect, the targets an addendum sets, and a result with a ``date``. Only facts
dated on or before the reference date are news; later ones are still to come. Ids are ``tag:``
URIs built from the dossier, the kind of fact, its subject and its date, so a reader sees an
entry once. Links are absolute when the project has a site URL (``site.url`` in
``convenantgen.yml``), relative to the site root otherwise. The wording is the template
``site/feed.xml``.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from ..context.site import (
    DossierFacts,
    FeedEntry,
    SiteFeed,
    agreement_name,
    result_text,
    school_year_text,
    target_row,
)
from ..model.derive import SITE_PATHS, covenant, term_of_measure
from ..text import formatting as fmt

FEED_FILE = SITE_PATHS.feed
TAG = "tag:convenantgen,2026:"


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _letters(letters: list[str]) -> str:
    """A, B en C."""
    return letters[0] if len(letters) == 1 else f"{', '.join(letters[:-1])} en {letters[-1]}"


def dossier_entries(facts: DossierFacts, display_title: str, base: str) -> list[FeedEntry]:
    """The dated facts of one dossier up to the reference date, in no particular order."""
    d = facts.dossier
    root = f"{base}{quote(d.id)}/"
    timeline = root + SITE_PATHS.address(SITE_PATHS.timeline)
    entries: list[FeedEntry] = []

    def add(day, kind, subject, name="", detail="", href=timeline, ill=False, letter=""):
        if day is None or day > facts.reference_date:
            return  # undated, or still to come
        entries.append(
            FeedEntry(
                id=f"{TAG}{d.id}/{kind}/{subject}/{day.isoformat()}",
                kind=kind,
                updated=_stamp(day),
                date=fmt.date_long(day),
                dossier=display_title,
                name=name,
                detail=detail,
                measure=letter,
                href=href,
                illustrative=ill,
            )
        )

    base_doc = covenant(d)
    for doc in d.documents:
        name = agreement_name(doc, d)
        add(doc.signing.date if doc.signing else None, "signing", doc.id, name)
        pub = doc.publication
        if pub is not None:
            cite = str(pub.citation) if pub.citation else ""
            add(pub.published, "publication", doc.id, name, cite)
        add(doc.in_force.start, "in-force", doc.id, name)
        # An addendum sets the targets of the measures its articles list, from its start.
        letters = [
            facts.letter(m)
            for m in facts.measures
            if m.targets and term_of_measure(d, m.id) is doc.in_force
        ]
        if doc is not base_doc and letters:
            measures = root + SITE_PATHS.address(f"{SITE_PATHS.measures}/index.md")
            add(doc.in_force.start, "targets", doc.id, name, _letters(letters), measures)
    for ext in facts.term.extensions if facts.term else ():
        add(ext.start, "extension", ext.id, "", fmt.date_long(ext.end))
    for acc in d.accessions:
        party = d.party(acc.party)
        name = party.name if party else acc.party
        add(acc.requested, "accession-request", acc.id, name, ill=acc.illustrative)
        if acc.status != "requested":
            add(acc.effective, "accession", acc.id, name, ill=acc.illustrative)
    for m in facts.measures:
        page = f"{SITE_PATHS.measures}/{quote(m.id)}.md"
        href, letter = root + SITE_PATHS.address(page), facts.letter(m)
        for t in m.targets:
            row = target_row(d, t, facts.index)
            for r in t.results:
                detail = f"{result_text(row, r.value)} in {school_year_text(r.school_year)}"
                subject = f"{t.id}/{r.school_year}"
                add(r.date, "result", subject, m.title, detail, href, r.illustrative, letter)
    if entries:
        # A dossier is news from its earliest dated fact.
        first = min(dt.date.fromisoformat(e.updated[:10]) for e in entries)
        add(first, "dossier", d.id, href=root)
    return entries


def site_feed(
    facts: list[DossierFacts],
    titles: dict[str, str],
    *,
    site_name: str,
    description: str,
    author: str,
    site_url: str | None,
    reference_date: dt.date,
) -> SiteFeed:
    """The feed of every dossier, newest entry first (ties in a fixed order)."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    entries = [e for f in facts for e in dossier_entries(f, titles[f.id], base)]
    entries.sort(key=lambda e: e.id)
    entries.sort(key=lambda e: e.updated, reverse=True)
    updated = entries[0].updated if entries else _stamp(reference_date)
    return SiteFeed(
        id=base + FEED_FILE if base else f"{TAG}{quote(site_name)}/{FEED_FILE}",
        title=site_name,
        subtitle=description,
        author=author,
        updated=updated,
        site=base or "./",
        self=base + FEED_FILE if base else FEED_FILE,
        entries=tuple(entries),
    )
