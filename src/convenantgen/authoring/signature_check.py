"""The signed fields against the dossier: who was meant to sign each field, and when.

:class:`ExpectedSignatory` says, per signature field, which party signs it, which person (if
the dossier names one) with which mandate, for which act (the agreement or addendum, an
accession declaration or a consent), and the dates that act allows: the date the records
give, and a window (not before the request, not after the effective date, ...).
:func:`compare` is pure: it takes the fields' verdicts (:mod:`.signatures`) and the expected
signatories (:mod:`.expected_signatories` builds them from a dossier) and returns findings.

Names are compared as a person reads them: case, accents and diacritics, white space and
punctuation do not count, and initials match full given names ("R. Dijkgraaf" is "Robbert
Dijkgraaf"); the surname and its particles ("de", "van der") must be the same. An
organisation matches when most of its significant words are those of the party's name or
short name; it is compared when the dossier names no person or the person differs (a
minister signs with the ministry's certificate, not with the party's name).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .signatures import LOCAL, FieldSignature

# Surname particles: part of the surname, compared with it.
PARTICLES = frozenset(
    {"de", "der", "den", "van", "ten", "ter", "te", "het", "t", "in", "op", "onder"}
    | {"la", "le", "du", "von", "vande", "vander"}
)
# Words that say little about which organisation is meant.
STOPWORDS = frozenset(
    {"de", "het", "een", "van", "voor", "en", "der", "den", "in", "te", "op", "the", "of"}
    | {"stichting", "stg", "vereniging", "bv", "nv"}
)
# Share of significant words two organisation names must have in common.
ORGANISATION_OVERLAP = 0.5


@dataclass(frozen=True)
class ExpectedSignatory:
    """Who signs ``field``: a party, the person (None: not named) and their mandate, for act
    ``act``; ``recorded`` is the signing date the dossier records, ``earliest`` and
    ``latest`` the window the act allows (None: open)."""

    field: str  # unique within the act's package
    party_id: str
    party_name: str
    person: str | None
    role: str | None
    act: str
    act_kind: str  # "agreement", "declaration" or "consent"
    recorded: dt.date | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = None
    other_names: tuple[str, ...] = ()  # the party's short name and the like
    package: str = ""  # the file stem of the act's signing package


class Finding(enum.StrEnum):
    """What kind of difference between the signed package and the dossier."""

    PERSON_MISMATCH = "person-mismatch"
    ORGANISATION_MISMATCH = "organisation-mismatch"
    DATE_MISMATCH = "date-mismatch"  # not the date the records give
    OUTSIDE_WINDOW = "outside-window"  # before or after what the act allows
    NOT_SIGNED = "not-signed"  # still to sign
    RECORDED_NOT_SIGNED = "recorded-not-signed"  # the records say it was signed
    SIGNED_NOT_RECORDED = "signed-not-recorded"
    UNKNOWN_FIELD = "unknown-field"  # no signatory of the dossier has this field
    UNCONFIRMED = "unconfirmed"  # the certificate names neither a person nor an organisation

    @property
    def fails(self) -> bool:
        return self not in (Finding.NOT_SIGNED, Finding.UNCONFIRMED)


@dataclass(frozen=True)
class Difference:
    kind: Finding
    field: str
    party: str | None
    message: str


def compare(
    fields: Sequence[FieldSignature], expected: Sequence[ExpectedSignatory]
) -> list[Difference]:
    """Every difference between the signed ``fields`` and the ``expected`` signatories, in
    the order of the fields, then the expected signatories whose field is missing.
    ``expected`` are one package's: a field name means one signatory in it."""
    by_field = {e.field: e for e in expected}
    if len(by_field) != len(expected):
        raise ValueError("expected signatories of more than one package (a field name twice)")
    out: list[Difference] = []
    seen: set[str] = set()
    for sig in fields:
        exp = by_field.get(sig.field)
        if exp is None:
            out.append(
                Difference(
                    Finding.UNKNOWN_FIELD, sig.field, sig.party, "no signatory has this field"
                )
            )
            continue
        seen.add(sig.field)
        out += _one(sig, exp)
    for exp in expected:
        if exp.field not in seen:
            out.append(
                Difference(
                    Finding.RECORDED_NOT_SIGNED if exp.recorded else Finding.NOT_SIGNED,
                    exp.field,
                    exp.party_id,
                    f"the package has no field for {_who(exp)} ({exp.act})",
                )
            )
    return out


def _one(sig: FieldSignature, exp: ExpectedSignatory) -> list[Difference]:
    def diff(kind: Finding, message: str) -> Difference:
        return Difference(kind, sig.field, exp.party_id, message)

    if not sig.signed:
        if exp.recorded:
            return [
                diff(
                    Finding.RECORDED_NOT_SIGNED,
                    f"not signed, but the records say {_who(exp)} signed {exp.act} on "
                    f"{exp.recorded.isoformat()}",
                )
            ]
        return [diff(Finding.NOT_SIGNED, f"not yet signed by {_who(exp)} ({exp.act})")]
    out: list[Difference] = []
    cert = sig.signer
    common = cert.common_name if cert else ""
    organisation = cert.organisation if cert else ""
    if exp.person and common and not person_matches(exp.person, common):
        out.append(
            diff(
                Finding.PERSON_MISMATCH,
                f"signed by '{common}', but {exp.act} is to be signed by '{exp.person}' for "
                f"{exp.party_name}",
            )
        )
    names = (exp.party_name, *exp.other_names)
    # A named person who matches settles it: a minister signs with the ministry's
    # certificate, whose organisation is not the party's name.
    person_ok = bool(exp.person and common) and not out
    if (
        organisation
        and not person_ok
        and not any(organisation_matches(n, organisation) for n in names)
    ):
        out.append(
            diff(
                Finding.ORGANISATION_MISMATCH,
                f"the certificate is of '{organisation}', but the field is "
                f"{exp.party_name}'s ({exp.party_id})",
            )
        )
    if not organisation and not (exp.person and common):
        out.append(
            diff(
                Finding.UNCONFIRMED,
                f"the certificate ({cert.subject if cert else '?'}) names no organisation to "
                f"compare with {exp.party_name}",
            )
        )
    when = sig.when
    if when is None:
        return out
    day = when.astimezone(LOCAL).date()
    if exp.recorded is None:
        out.append(
            diff(
                Finding.SIGNED_NOT_RECORDED,
                f"signed on {day.isoformat()}, but the dossier records no signature of "
                f"{exp.party_id} for {exp.act}",
            )
        )
    elif day != exp.recorded:
        out.append(
            diff(
                Finding.DATE_MISMATCH,
                f"signed on {day.isoformat()}, but the records say {exp.recorded.isoformat()} "
                f"({exp.act})",
            )
        )
    if exp.earliest and day < exp.earliest:
        out.append(
            diff(
                Finding.OUTSIDE_WINDOW,
                f"signed on {day.isoformat()}, before {exp.earliest.isoformat()}, the "
                f"earliest date of {exp.act}",
            )
        )
    if exp.latest and day > exp.latest:
        out.append(
            diff(
                Finding.OUTSIDE_WINDOW,
                f"signed on {day.isoformat()}, after {exp.latest.isoformat()}, the latest "
                f"date of {exp.act}",
            )
        )
    return out


def _who(exp: ExpectedSignatory) -> str:
    return f"{exp.person} ({exp.party_name})" if exp.person else exp.party_name


def normalise(text: str) -> str:
    """Lower case, without accents or punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def _parts(name: str) -> tuple[list[str], list[str], str]:
    """Given names (or initials), surname particles and the surname of a person's name."""
    words = normalise(name.replace(".", ". ")).split()
    if not words:
        return [], [], ""
    surname = words[-1]
    rest = words[:-1]
    particles: list[str] = []
    while rest and rest[-1] in PARTICLES:
        particles.insert(0, rest.pop())
    return rest, particles, surname


def person_matches(expected: str, actual: str) -> bool:
    """``actual`` (a certificate's common name) is the person ``expected`` names."""
    given_e, particles_e, surname_e = _parts(expected)
    given_a, particles_a, surname_a = _parts(actual)
    if not surname_e or surname_e != surname_a or particles_e != particles_a:
        return False
    for e, a in zip(given_e, given_a, strict=False):
        if e == a:
            continue
        if (len(e) == 1 and a.startswith(e)) or (len(a) == 1 and e.startswith(a)):
            continue
        return False
    return True


def organisation_matches(expected: str, actual: str) -> bool:
    """``actual`` (a certificate's organisation) is the organisation ``expected`` names."""
    e, a = normalise(expected), normalise(actual)
    if e == a or (a and a in e) or (e and e in a):
        return True
    words_e = {w for w in e.split() if w not in STOPWORDS}
    words_a = {w for w in a.split() if w not in STOPWORDS}
    if not words_e or not words_a:
        return False
    return len(words_e & words_a) / len(words_e | words_a) >= ORGANISATION_OVERLAP
