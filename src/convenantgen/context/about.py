"""What the site says about itself: its toegankelijkheidsverklaring and "Over deze site".

Government sites must meet WCAG 2.1 AA and publish a toegankelijkheidsverklaring, linked from
``/toegankelijkheid`` (Besluit digitale toegankelijkheid overheid). The page is built from the
project's settings (``accessibility:`` in convenantgen.yml); the words are the template's.
"Over deze site" (``/over-deze-site/``) says who publishes the site and how to reach them
(``organisation:`` and ``site.contact``), which covenants it holds and how it is made; a site
without a way to reach its publisher gets the warning ``site-contact-missing``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..errors import Diagnostic, Severity, Where
from ..model.dates import parse_iso_date
from ..model.derive import SITE_PATHS
from ..read.project import Settings
from ..states import AccessibilityStatus
from ..text import formatting as fmt
from ..text.wording import Wording

ACCESSIBILITY_PAGE = SITE_PATHS.accessibility
ABOUT_PAGE = SITE_PATHS.about
# The ways to reach the publisher, in the order the page names them.
CONTACT_KEYS = ("email", "phone", "form")


@dataclass(frozen=True)
class SiteAccessibility:
    site_name: str
    organisation: str  # who is responsible for the site ("" when the settings name none)
    status: AccessibilityStatus | None  # None: no statement yet
    status_name: str  # "voldoet gedeeltelijk"
    tested: str  # "12 maart 2026", or ""
    contact: str  # e-mail or web address, or ""
    contact_is_email: bool
    statement: str  # the statement in the register, or ""


def site_accessibility(settings: Settings, wording: Wording | None = None) -> SiteAccessibility:
    wording = wording or Wording.default()
    own = settings.accessibility
    status = AccessibilityStatus(own["status"]) if own.get("status") else None
    day, _ = parse_iso_date(own.get("tested", "")) if own.get("tested") else (None, "")
    contact = own.get("contact", "")
    return SiteAccessibility(
        site_name=settings.site_name,
        organisation=settings.organisation or "",
        status=status,
        status_name=wording.text(f"accessibility_states.{status}") if status else "",
        tested=fmt.date_long(day) if day else "",
        contact=contact,
        contact_is_email="@" in contact and "://" not in contact,
        statement=own.get("statement", ""),
    )


@dataclass(frozen=True)
class AboutCovenant:
    title: str
    page: str  # the dossier's overview, relative to the site root ("almere/index.md")


@dataclass(frozen=True)
class SiteAbout:
    site_name: str
    site_description: str
    organisation: str  # who publishes the site ("" when the settings name none)
    organisation_url: str
    postal_address: tuple[str, ...]
    visiting_address: tuple[str, ...]
    email: str
    phone: str
    form: str  # a web form's address
    covenants: tuple[AboutCovenant, ...]
    updated: str  # the reference date of the build, "1 december 2026"
    # True when the site sets no cookies: the engine's theme sets none, and the project
    # brings no page template or script of its own that could.
    no_cookies: bool

    @property
    def has_contact(self) -> bool:
        return bool(self.email or self.phone or self.form)


def site_contact(settings: Settings) -> dict[str, str]:
    """The ways to reach the publisher: ``site.contact``, else the organisation's contact."""
    own = settings.site_contact or settings.organisation_contact
    return {key: own[key] for key in CONTACT_KEYS if own.get(key)}


def site_about(
    settings: Settings,
    covenants: tuple[AboutCovenant, ...],
    *,
    updated: dt.date,
    no_cookies: bool,
) -> SiteAbout:
    contact = site_contact(settings)
    return SiteAbout(
        site_name=settings.site_name,
        site_description=settings.site_description,
        organisation=settings.organisation or "",
        organisation_url=settings.organisation_url or "",
        postal_address=settings.organisation_address,
        visiting_address=settings.organisation_visiting,
        email=contact.get("email", ""),
        phone=contact.get("phone", ""),
        form=contact.get("form", ""),
        covenants=covenants,
        updated=fmt.date_long(updated),
        no_cookies=no_cookies,
    )


def about_diagnostics(settings: Settings, settings_file: Path | None) -> list[Diagnostic]:
    """A warning when the site names no way to reach its publisher (e-mail, phone or form)."""
    if site_contact(settings):
        return []
    return [
        Diagnostic(
            Severity.WARNING,
            "site-contact-missing",
            "the site names no way to reach its publisher: its about page and the "
            "footer's Contact link have no e-mail address, phone number or web form; set "
            "site.contact (email, phone or form) or organisation.contact",
            Where(settings_file or Path("convenantgen.yml"), ("site", "contact")),
            "site.contact",
        )
    ]
