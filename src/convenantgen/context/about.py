"""What the site says about itself: its toegankelijkheidsverklaring (data only).

Government sites must meet WCAG 2.1 AA and publish a toegankelijkheidsverklaring, linked from
``/toegankelijkheid`` (Besluit digitale toegankelijkheid overheid). The page is built from the
project's settings (``accessibility:`` in convenantgen.yml); the words are the template's.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.dates import parse_iso_date
from ..model.derive import SITE_PATHS
from ..read.project import Settings
from ..states import AccessibilityStatus
from ..text import formatting as fmt
from ..text.wording import Wording

ACCESSIBILITY_PAGE = SITE_PATHS.accessibility


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
