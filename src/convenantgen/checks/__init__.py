"""Stage 4, checks: cross-document consistency rules as pure functions returning Diagnostics.

Every rule is generic: it reads ids, dates and numbers from the model and never knows a
dossier's names. Each finding names a ``subject`` (the id it is about) so a dossier can
acknowledge an intentional finding with ``{code, subject, reason}`` in ``dossier.yaml``.
The rules live in one module per topic: texts (ids and references), dates, targets, signing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..errors import Diagnostic, Severity
from ..model.dossier import Dossier
from ..model.references import Index, build_index
from .aanwijzingen import PROFILES
from .amendments import check_amendments
from .dates import (
    check_accessions,
    check_period_cycles,
    check_periods,
    check_publication,
    check_target_periods,
)
from .finance import check_finance
from .lifecycle import check_accession_steps, check_records, check_stages
from .parties import check_representation, check_signing_twice
from .registry import CHECKS, CheckInfo, Sink, known_codes
from .signatories import check_unnamed_signatories
from .signing import check_signing
from .targets import check_targets
from .texts import (
    check_hardcoded_articles,
    check_ids,
    check_measure_responsible,
    check_measures_listed,
    check_output_names,
    check_published,
    check_references,
    check_terms,
)
from .woo import check_woo

__all__ = [
    "CHECKS",
    "CheckInfo",
    "RULES",
    "apply_policy",
    "known_codes",
    "run_checks",
]


def run_checks(
    dossier: Dossier,
    day: dt.date,
    profile: str | None = None,
    *,
    found: list[Diagnostic] | None = None,
) -> list[Diagnostic]:
    """All rules over one dossier on the reference date ``day``, with the rules of ``profile``
    when one is named; severities and acknowledgements are applied afterwards, also to the
    findings of rules that ran while the files were read (``found``: the Unicode policy)."""
    sink = Sink()
    sink.items.extend(found or ())
    index = build_index(dossier)
    for rule in RULES:
        rule(dossier, index, sink)
    for dated in DATED_RULES:
        dated(dossier, index, sink, day)
    for extra in PROFILES.get(profile or "", ()):
        extra(dossier, index, sink)
    # A rule applied to several documents may find the same thing twice (one party signing
    # both a covenant and its addendum): report it once.
    unique = list(dict.fromkeys(sink.items))
    return apply_policy(dossier, unique, profile)


def apply_policy(
    dossier: Dossier, findings: list[Diagnostic], profile: str | None = None
) -> list[Diagnostic]:
    """Per-dossier severity overrides, then acknowledgements (with unused ones reported).

    An acknowledgement of a rule of a profile that is not active (``profile``) is not unused:
    the rule did not run, so one dossier passes ``--strict`` with and without the profile."""
    out: list[Diagnostic] = []
    used: set[int] = set()
    for finding in findings:
        level = dossier.check_levels.get(finding.code)
        if level:
            finding = finding.with_severity(Severity.parse(level))
        for i, ack in enumerate(dossier.acknowledgements):
            if ack.code == finding.code and ack.subject == finding.subject:
                used.add(i)
                if finding.severity is not Severity.OFF:
                    finding = finding.with_severity(Severity.ACKNOWLEDGED, ack.reason)
        out.append(finding)
    for i, ack in enumerate(dossier.acknowledgements):
        info = CHECKS.get(ack.code)
        if info is not None and info.profile is not None and info.profile != profile:
            continue
        if i not in used:
            out.append(
                Diagnostic(
                    CHECKS["ack-unused"].severity,
                    "ack-unused",
                    f"acknowledgement of [{ack.code}] '{ack.subject}' matches no finding; "
                    "remove it, or correct the code or subject",
                    ack.where,
                    f"{ack.code}:{ack.subject}",
                )
            )
    return out


RULES: tuple[Callable[[Dossier, Index, Sink], None], ...] = (
    check_ids,
    check_output_names,
    check_references,
    check_hardcoded_articles,
    check_published,
    check_terms,
    check_measures_listed,
    check_measure_responsible,
    check_period_cycles,
    check_periods,
    check_target_periods,
    check_accessions,
    check_publication,
    check_targets,
    check_signing,
    check_representation,
    check_signing_twice,
    check_unnamed_signatories,
    check_finance,
    check_amendments,
    check_woo,
)

# Rules that depend on the reference date (lifecycle records).
DATED_RULES: tuple[Callable[[Dossier, Index, Sink, dt.date], None], ...] = (
    check_records,
    check_stages,
    check_accession_steps,
)
