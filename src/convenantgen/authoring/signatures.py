"""The signatures of a signed signing package, judged field by field as a verifier would.

The signing package (``package.py``) has one empty signature field per signatory. Once signed,
:func:`read_signatures` judges every field with pyHanko's validation *including its difference
analysis* of the incremental updates after each signature: signed or not; by whom (subject and
issuer of the certificate); when (the time the signer states, and the time of an embedded
RFC 3161 timestamp); integrity (the signed bytes and the signature value); coverage (the whole
file, or revision k of n); what changed after signing (form filling and later signatures, or
validation data and document timestamps, are allowed; anything else is named with the pages
and objects it touched); trust (against the roots given with ``--trust``, or said plainly:
self-signed, unknown issuer, expired or not yet valid at signing time, revoked); and the PAdES
baseline level reached (B-B, B-T, B-LT, B-LTA). Bytes after the last revision, which no
signature covers and no PDF reader shows, are counted.

The result is typed (:class:`SignatureReport`, frozen); :func:`format_report` turns it into the
English lines of the command's report and is pure. pyHanko logs (with tracebacks) why it does
not trust a certificate; those records are kept in the report (``--verbose`` shows them) and
never reach the terminal.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import enum
import io
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from asn1crypto import crl, ocsp, pem, x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    DiffResult,
    ModificationLevel,
    SuspiciousModification,
)
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import (
    DocumentSecurityStore,
    EmbeddedPdfSignature,
    SignatureCoverageLevel,
    async_validate_pdf_signature,
    async_validate_pdf_timestamp,
)
from pyhanko.sign.validation.errors import NoDSSFoundError, SignatureValidationError
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathError, ValidationError

from ..errors import ConvenantgenError

FIELD_PREFIX = "handtekening-"  # as package.py names the fields
PADES_SUBFILTER = "/ETSI.CAdES.detached"
# Signing dates are the dates of the Dutch calendar the dossier records.
LOCAL = ZoneInfo("Europe/Amsterdam")
# How many changed objects a report names before it says "and N more".
NAMED_OBJECTS = 8
# How much of pyHanko's reason for refusing a change a report quotes.
REASON_LENGTH = 160
# Their records go to the report, not the terminal (fontTools: when a stamp font is subset).
LOGGERS = ("pyhanko", "pyhanko_certvalidator", "fontTools")


# What pyHanko raises for a signature it cannot evaluate.
UNREADABLE = (
    SignatureValidationError,
    PdfError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    PathError,
    ValidationError,
)


class SignatureReadError(ConvenantgenError):
    """The file cannot be read as a PDF with signature fields."""


class TrustRootError(ConvenantgenError):
    """A file given with ``--trust`` is not a certificate."""


class Verdict(enum.StrEnum):
    """The bottom line of one field."""

    VALID = "valid"
    INVALID = "invalid"
    UNSIGNED = "unsigned"


class Coverage(enum.StrEnum):
    """What of the file a signature's byte range covers (pyHanko's SignatureCoverageLevel)."""

    ENTIRE_FILE = "entire-file"
    ENTIRE_REVISION = "entire-revision"  # its revision; later revisions were added
    PARTIAL = "partial"  # a block from the start, but not its whole revision
    UNCLEAR = "unclear"  # a byte range with holes


class Changes(enum.StrEnum):
    """What was changed after a signature, in the terms of pyHanko's ModificationLevel."""

    NONE = "none"
    VALIDATION_DATA = "validation-data"  # DSS and document timestamps (LTA_UPDATES)
    FORM_FILLING = "form-filling"  # later signatures and form filling
    ANNOTATIONS = "annotations"  # comments added: not allowed for a signed package
    OTHER = "other"  # anything else: not allowed

    @property
    def allowed(self) -> bool:
        return self in (Changes.NONE, Changes.VALIDATION_DATA, Changes.FORM_FILLING)


class Trust(enum.StrEnum):
    """Whether the signer's certificate can be trusted, said plainly."""

    TRUSTED = "trusted"  # a chain to a root given with --trust
    SELF_SIGNED = "self-signed"
    UNKNOWN_ISSUER = "unknown-issuer"  # no chain to a given root (or no roots given)
    EXPIRED = "expired"  # at the time of signing
    NOT_YET_VALID = "not-yet-valid"  # at the time of signing
    REVOKED = "revoked"
    UNTRUSTED = "untrusted"  # a chain, but it fails for another reason (key usage, ...)


class Level(enum.StrEnum):
    """The PAdES baseline level a signature reaches (ETSI EN 319 142-1)."""

    NONE = "none"  # not a PAdES signature (e.g. adbe.pkcs7.detached)
    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"
    B_LTA = "B-LTA"


@dataclass(frozen=True)
class Certificate:
    """What a certificate says about its holder and its issuer."""

    subject: str  # human-readable, as pyHanko writes it
    common_name: str
    organisation: str
    issuer: str
    serial: str  # hexadecimal
    not_before: dt.datetime
    not_after: dt.datetime
    self_signed: bool


@dataclass(frozen=True)
class FieldSignature:
    """One signature field of the package and what its signature, if any, is worth."""

    field: str
    signed: bool
    page: int | None = None  # 1-based page of the field's widget
    signer: Certificate | None = None
    signed_at: dt.datetime | None = None  # the time the signer states (/M or signing-time)
    timestamp: dt.datetime | None = None  # the signature timestamp's time, if it has one
    timestamp_valid: bool | None = None  # None: no signature timestamp
    intact: bool | None = None  # the signed bytes are unchanged
    valid: bool | None = None  # the signature value verifies
    coverage: Coverage | None = None
    revision: int | None = None  # 1-based revision the signature is in
    revisions: int | None = None  # revisions in the file
    changes: Changes | None = None
    change_details: tuple[str, ...] = ()  # what was changed, when not allowed
    trust: Trust | None = None
    trust_detail: str = ""
    level: Level | None = None
    problems: tuple[str, ...] = ()  # why the verdict is INVALID, in words

    @property
    def verdict(self) -> Verdict:
        if not self.signed:
            return Verdict.UNSIGNED
        return Verdict.INVALID if self.problems else Verdict.VALID

    @property
    def when(self) -> dt.datetime | None:
        """The best time of signing: the timestamp's, else the signer's own."""
        return self.timestamp or self.signed_at

    @property
    def party(self) -> str | None:
        """The party id of a ``handtekening-<party>`` field (without a ``-2``/``:2`` suffix)."""
        if not self.field.startswith(FIELD_PREFIX):
            return None
        rest = self.field[len(FIELD_PREFIX) :]
        return re.sub(r"(:\d+)?(-\d+)?$", "", rest)


@dataclass(frozen=True)
class DocumentTimestamp:
    """A document timestamp (PAdES B-LTA): when, by which authority, and whether it holds."""

    field: str
    time: dt.datetime
    authority: str
    revision: int
    revisions: int
    intact: bool
    trusted: bool
    coverage: Coverage
    changes: Changes | None
    change_details: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignatureReport:
    """Every signature field and document timestamp of one PDF, and what follows them."""

    path: str
    revisions: int
    fields: tuple[FieldSignature, ...]
    timestamps: tuple[DocumentTimestamp, ...] = ()
    uncovered_bytes: int = 0  # bytes after the end of the last revision
    validation_data: bool = False  # the file has a DSS
    trust_roots: int = 0  # how many roots were given
    log: tuple[str, ...] = field(default=(), compare=False)  # pyHanko's records, for --verbose

    @property
    def problems(self) -> tuple[str, ...]:
        """Everything that makes the file fail, one sentence each."""
        out = [f"{f.field}: {p}" for f in self.fields for p in f.problems]
        out += [f"{t.field}: {p}" for t in self.timestamps for p in t.problems]
        if self.uncovered_bytes:
            out.append(
                f"{self.uncovered_bytes} byte(s) after the last revision are covered by no "
                "signature"
            )
        return tuple(out)

    @property
    def failed(self) -> bool:
        return bool(self.problems)


# --------------------------------------------------------------------------------------------
# Reading


def load_trust_roots(paths: Sequence[Path]) -> list[x509.Certificate]:
    """The certificates in ``paths`` (PEM, possibly several per file, or DER)."""
    roots: list[x509.Certificate] = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise TrustRootError(
                f"cannot read trust root '{path}': {exc.strerror or exc}"
            ) from None
        try:
            if pem.detect(data):
                roots += [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, True)]
            else:
                roots.append(x509.Certificate.load(data))
            for cert in roots:
                cert.native  # noqa: B018 -- parse now, so a bad file fails here
        except (ValueError, TypeError) as exc:
            raise TrustRootError(f"'{path}' is not a certificate (PEM or DER): {exc}") from None
    return roots


def read_signatures(
    path: Path, *, trust: Sequence[x509.Certificate] = (), now: dt.datetime | None = None
) -> SignatureReport:
    """Judge every signature field and document timestamp of the PDF at ``path``.

    ``trust`` are the trust roots; without them trust is reported but not judged. Nothing is
    fetched from the network: revocation data comes from the file's DSS.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SignatureReadError(f"cannot read '{path}': {exc.strerror or exc}") from None
    log: list[str] = []
    try:
        with capture_logs(log):
            return asyncio.run(_read(data, str(path), list(trust), now, log))
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise SignatureReadError(f"'{path}' is not a readable PDF: {exc}") from None


async def _read(
    data: bytes, name: str, trust: list, now: dt.datetime | None, log: list[str]
) -> SignatureReport:
    if not data.startswith(b"%PDF-"):
        raise SignatureReadError(f"'{name}' is not a PDF")
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    try:
        return await _judge(reader, data, name, trust, now, log)
    finally:
        _STEPS.pop(id(reader), None)


async def _judge(
    reader, data: bytes, name: str, trust: list, now: dt.datetime | None, log: list[str]
) -> SignatureReport:
    revisions = reader.xrefs.total_revisions
    dss = _dss(reader)
    pages = _page_numbers(reader)
    embedded: dict[str, EmbeddedPdfSignature] = {}
    unreadable: dict[str, Exception] = {}
    listed = list(enumerate_sig_fields(reader))
    for name_, value, ref in listed:
        if value is None:
            continue
        try:
            embedded[name_] = EmbeddedPdfSignature(reader, ref, name_)
        except UNREADABLE as exc:  # one damaged signature must not hide the others
            unreadable[name_] = exc
    stamps = sorted(
        (e for e in embedded.values() if e.sig_object_type == "/DocTimeStamp"),
        key=lambda e: e.signed_revision,
    )
    stamp_results: list[DocumentTimestamp] = []
    for emb in stamps:
        stamp_results.append(await _timestamp(emb, dss, trust, revisions, now))
    fields: list[FieldSignature] = []
    for name_, value, ref in listed:
        emb = embedded.get(name_)
        if emb is not None and emb.sig_object_type == "/DocTimeStamp":
            continue
        page = _field_page(ref, pages)
        if name_ in unreadable:
            fields.append(_unreadable(name_, page, unreadable[name_]))
            continue
        if value is None or emb is None:
            fields.append(FieldSignature(str(name_), False, page=page))
            continue
        try:
            judged = await _field(
                emb, reader, dss, trust, revisions, page, stamp_results, stamps, now
            )
        except UNREADABLE as exc:
            judged = _unreadable(name_, page, exc)
        fields.append(judged)
    return SignatureReport(
        path=name,
        revisions=revisions,
        fields=tuple(fields),
        timestamps=tuple(stamp_results),
        uncovered_bytes=uncovered_bytes(data, reader),
        validation_data=dss is not None,
        trust_roots=len(trust),
        log=tuple(log),
    )


def _unreadable(field_: str, page: int | None, exc: Exception) -> FieldSignature:
    """A signature pyHanko cannot even evaluate (a damaged or foreign CMS object) is invalid,
    and the report says why rather than stopping."""
    reason = f"the signature cannot be validated: {type(exc).__name__}: {exc}"
    return FieldSignature(str(field_), True, page=page, problems=(reason,))


def _dss(reader) -> DocumentSecurityStore | None:
    try:
        return DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return None


def _context(
    dss: DocumentSecurityStore | None, trust: list, moment: dt.datetime | None
) -> ValidationContext:
    """Trust only in ``trust``; revocation data only from the file; judged at ``moment``."""
    kwargs = {
        "trust_roots": trust,
        "allow_fetching": False,
        "revocation_mode": "soft-fail",
        "retroactive_revinfo": True,
    }
    if moment is not None:
        kwargs["moment"] = moment
    if dss is not None:
        return dss.as_validation_context(kwargs)
    return ValidationContext(**kwargs)


async def _timestamp(
    emb: EmbeddedPdfSignature,
    dss: DocumentSecurityStore | None,
    trust: list,
    revisions: int,
    now: dt.datetime | None,
) -> DocumentTimestamp:
    status = await async_validate_pdf_timestamp(emb, validation_context=_context(dss, trust, now))
    coverage = _coverage(status.coverage)
    changes = _changes(status.modification_level, coverage)
    problems = []
    details: tuple[str, ...] = ()
    if not (status.intact and status.valid):
        problems.append("the document timestamp does not verify (the file was changed)")
    if changes is not None and not changes.allowed:
        details = _changed_objects(emb.reader, emb.signed_revision, status.diff_result)
        revisions_ = [d.split(":")[0] for d in details if d.startswith("revision ")]
        problems.append(
            f"changed after the document timestamp: {_changes_words(changes)}"
            + (f" ({', '.join(revisions_)})" if revisions_ else "")
        )
    if trust and not status.trusted:
        problems.append("the time-stamping authority is not trusted")
    return DocumentTimestamp(
        field=str(emb.field_name),
        time=status.timestamp,
        authority=status.signing_cert.subject.human_friendly,
        revision=emb.signed_revision + 1,
        revisions=revisions,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        coverage=coverage,
        changes=changes,
        change_details=details,
        problems=tuple(problems),
    )


async def _field(
    emb: EmbeddedPdfSignature,
    reader,
    dss: DocumentSecurityStore | None,
    trust: list,
    revisions: int,
    page: int | None,
    stamps: list[DocumentTimestamp],
    stamp_sigs: list[EmbeddedPdfSignature],
    now: dt.datetime | None,
) -> FieldSignature:
    cert = emb.signer_cert
    reported = emb.self_reported_timestamp
    token_time = _token_time(emb)
    # Trust is judged at the time of signing: a certificate that expired since is no reason
    # to doubt a signature made while it was valid (that is what the validation data is for).
    moment = token_time or reported or now
    context = _context(dss, trust, moment)
    status = await async_validate_pdf_signature(
        emb, signer_validation_context=context, ts_validation_context=context
    )
    coverage = _coverage(status.coverage)
    changes = _changes(status.modification_level, coverage)
    details: tuple[str, ...] = ()
    problems: list[str] = []
    intact = bool(status.intact)
    valid = bool(status.valid)
    if not intact:
        problems.append("the signed bytes were changed after signing (integrity broken)")
    elif not valid:
        problems.append("the signature value does not verify")
    if coverage in (Coverage.PARTIAL, Coverage.UNCLEAR):
        problems.append(f"the signature does not cover its revision ({coverage} byte range)")
    if changes is not None and not changes.allowed:
        details = _changed_objects(reader, emb.signed_revision, status.diff_result)
        revisions_ = [d.split(":")[0] for d in details if d.startswith("revision ")]
        problems.append(
            f"changed after signing: {_changes_words(changes)}"
            + (f" ({', '.join(revisions_)})" if revisions_ else "")
        )
    ts_status = status.timestamp_validity
    ts_valid = None if ts_status is None else bool(ts_status.intact and ts_status.valid)
    if ts_valid is False:
        problems.append("the signature timestamp does not verify")
    when = (ts_status.timestamp if ts_status is not None else None) or reported
    verdict, detail = _trust(cert, status, when, bool(trust))
    if verdict in (Trust.EXPIRED, Trust.NOT_YET_VALID, Trust.REVOKED):
        problems.append(f"certificate {detail}")
    elif trust and verdict is not Trust.TRUSTED:
        problems.append(f"certificate not trusted: {detail}")
    level = _level(emb, reader, ts_valid, stamps, stamp_sigs, cert)
    return FieldSignature(
        field=str(emb.field_name),
        signed=True,
        page=page,
        signer=certificate(cert),
        signed_at=reported,
        timestamp=ts_status.timestamp if ts_status is not None else None,
        timestamp_valid=ts_valid,
        intact=intact,
        valid=valid,
        coverage=coverage,
        revision=emb.signed_revision + 1,
        revisions=revisions,
        changes=changes,
        change_details=details,
        trust=verdict,
        trust_detail=detail,
        level=level,
        problems=tuple(problems),
    )


def certificate(cert: x509.Certificate) -> Certificate:
    """The parts of ``cert`` a report and a name comparison need."""
    subject = cert.subject.native
    return Certificate(
        subject=cert.subject.human_friendly,
        common_name=str(subject.get("common_name", "")),
        organisation=str(subject.get("organization_name", "")),
        issuer=cert.issuer.human_friendly,
        serial=format(cert.serial_number, "x"),
        not_before=cert.not_valid_before,
        not_after=cert.not_valid_after,
        self_signed=cert.self_signed != "no",
    )


def _token_time(emb: EmbeddedPdfSignature) -> dt.datetime | None:
    """The time in the signature's timestamp token, read before validation (see _field)."""
    with contextlib.suppress(KeyError, ValueError, AttributeError, TypeError):
        for attr in emb.signer_info["unsigned_attrs"] or ():
            if attr["type"].native == "signature_time_stamp_token":
                token = attr["values"][0]["content"]
                return token["encap_content_info"]["content"].parsed["gen_time"].native
    return None


def _coverage(level: SignatureCoverageLevel | None) -> Coverage:
    return {
        SignatureCoverageLevel.ENTIRE_FILE: Coverage.ENTIRE_FILE,
        SignatureCoverageLevel.ENTIRE_REVISION: Coverage.ENTIRE_REVISION,
        SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START: Coverage.PARTIAL,
    }.get(level, Coverage.UNCLEAR)


def _changes(level: ModificationLevel | None, coverage: Coverage) -> Changes | None:
    if coverage in (Coverage.PARTIAL, Coverage.UNCLEAR):
        return Changes.OTHER
    return {
        ModificationLevel.NONE: Changes.NONE,
        ModificationLevel.LTA_UPDATES: Changes.VALIDATION_DATA,
        ModificationLevel.FORM_FILLING: Changes.FORM_FILLING,
        ModificationLevel.ANNOTATIONS: Changes.ANNOTATIONS,
        ModificationLevel.OTHER: Changes.OTHER,
    }.get(level)


def _changes_words(changes: Changes) -> str:
    return {
        Changes.NONE: "nothing",
        Changes.VALIDATION_DATA: "validation data and document timestamps only",
        Changes.FORM_FILLING: "later signatures and form filling only",
        Changes.ANNOTATIONS: "annotations were added",
        Changes.OTHER: "content or structure beyond signing and form filling",
    }[changes]


def _trust(
    cert: x509.Certificate, status, when: dt.datetime | None, judged: bool
) -> tuple[Trust, str]:
    """The trust verdict and its words (``judged``: trust roots were given)."""
    if when is not None and when > cert.not_valid_after:
        return Trust.EXPIRED, (
            f"expired at signing time (valid until {_utc(cert.not_valid_after)}, "
            f"signed {_utc(when)})"
        )
    if when is not None and when < cert.not_valid_before:
        return Trust.NOT_YET_VALID, (
            f"not yet valid at signing time (valid from {_utc(cert.not_valid_before)}, "
            f"signed {_utc(when)})"
        )
    if status.revoked:
        return Trust.REVOKED, "revoked"
    if status.trusted:
        anchor = status.validation_path[0] if status.validation_path else None
        root = anchor.subject.human_friendly if hasattr(anchor, "subject") else "a given root"
        return Trust.TRUSTED, f"trusted (chain to {root})"
    if cert.self_signed != "no":
        return Trust.SELF_SIGNED, "self-signed"
    indication = status.trust_problem_indic
    if judged and indication not in (None, AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND):
        return Trust.UNTRUSTED, f"chain does not validate ({indication.name.lower()})"
    where = "none of the roots given with --trust" if judged else "no trust roots given"
    return Trust.UNKNOWN_ISSUER, f"unknown issuer ({where})"


def _level(
    emb: EmbeddedPdfSignature,
    reader,
    ts_valid: bool | None,
    stamps: list[DocumentTimestamp],
    stamp_sigs: list[EmbeddedPdfSignature],
    cert: x509.Certificate,
) -> Level:
    """The PAdES baseline level: B-B needs the CAdES subfilter and the ESS signing-certificate
    attribute; B-T a signature timestamp (or a later document timestamp); B-LT validation data
    for the signer in the DSS; B-LTA a document timestamp over that DSS."""
    attrs = {a["type"].native for a in emb.signer_info["signed_attrs"]}
    if emb.sig_object.get("/SubFilter") != PADES_SUBFILTER or not (
        attrs & {"signing_certificate", "signing_certificate_v2"}
    ):
        return Level.NONE
    later = [
        (sig, ts)
        for sig, ts in zip(stamp_sigs, stamps, strict=True)
        if sig.signed_revision > emb.signed_revision and not ts.problems
    ]
    if not ts_valid and not later:
        return Level.B_B
    dss = _dss(reader)
    if dss is None or not _revocation_for(dss, cert):
        return Level.B_T
    for sig, _ in later:
        covered = _dss(reader.get_historical_resolver(sig.signed_revision))
        if covered is not None and _revocation_for(covered, cert):
            return Level.B_LTA
    return Level.B_LT


def _revocation_for(dss: DocumentSecurityStore, cert: x509.Certificate) -> bool:
    """The DSS holds an OCSP response about ``cert`` or a CRL of its issuer."""
    for ref in dss.ocsps:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            response = ocsp.OCSPResponse.load(ref.get_object().data)
            basic = response["response_bytes"]["response"].parsed
            for single in basic["tbs_response_data"]["responses"]:
                if single["cert_id"]["serial_number"].native == cert.serial_number:
                    return True
    for ref in dss.crls:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            if crl.CertificateList.load(ref.get_object().data).issuer == cert.issuer:
                return True
    return False


def _changed_objects(reader, signed_revision: int, diff) -> tuple[str, ...]:
    """What the revisions after ``signed_revision`` changed beyond what is allowed, in words:
    pyHanko's own reason first, then each revision that pyHanko's difference policy rejects
    on its own (a later signature's revision is not named), with the pages and objects it
    touched."""
    out: list[str] = []
    if diff is not None and not isinstance(diff, DiffResult):
        # Its first line, shortened: pyHanko may list every place an object is used.
        reason = (str(diff).strip().splitlines() or [""])[0]
        if len(reason) > REASON_LENGTH:
            reason = reason[:REASON_LENGTH].rstrip() + " …"
        out.append(f"pyHanko (revisions counted from 0): {reason}")
    old = _page_objects(reader.get_historical_resolver(signed_revision))
    total = reader.xrefs.total_revisions
    steps = _STEPS.setdefault(id(reader), {})
    for revision in range(signed_revision + 1, total):
        if revision not in steps:
            steps[revision] = _allowed_step(reader, revision)
        if steps[revision]:
            continue
        words = _revision_words(reader, revision, old)
        out.append(f"revision {revision + 1} of {total}: " + ("; ".join(words) or "changed"))
    return tuple(out)


# Per reader being read: whether each revision's own update is allowed (judged once, though
# every earlier signature asks).
_STEPS: dict[int, dict[int, bool]] = {}


def _allowed_step(reader, revision: int) -> bool:
    """The update from ``revision - 1`` to ``revision`` is allowed on its own."""
    try:
        result = DEFAULT_DIFF_POLICY.apply(
            reader.get_historical_resolver(revision - 1),
            reader.get_historical_resolver(revision),
        )
    except (SuspiciousModification, PdfError, KeyError, ValueError, TypeError):
        return False
    return _changes(result.modification_level, Coverage.ENTIRE_REVISION).allowed


def _revision_words(reader, revision: int, pages: dict[int, int]) -> list[str]:
    """The pages, document parts and objects one revision updated, and how many it added."""
    xrefs = reader.xrefs
    refs = sorted(xrefs.explicit_refs_in_revision(revision), key=lambda r: r.idnum)
    added = [r for r in refs if xrefs.get_introducing_revision(r) == revision]
    changed = [r for r in refs if r not in added]
    root = reader.trailer_view.raw_get("/Root")
    info = reader.trailer_view.raw_get("/Info") if "/Info" in reader.trailer_view else None
    meta = reader.root.raw_get("/Metadata") if "/Metadata" in reader.root else None
    parts = {
        getattr(root, "idnum", None): "the catalog",
        getattr(info, "idnum", None): "the document information",
        getattr(meta, "idnum", None): "the XMP metadata",
    }
    on_pages = sorted({pages[r.idnum] for r in changed if r.idnum in pages})
    named = [parts[r.idnum] for r in changed if r.idnum in parts and r.idnum not in pages]
    others = [f"{r.idnum} {r.generation} R" for r in changed if r.idnum not in pages | parts.keys()]
    words = []
    if on_pages:
        words.append("page " + ", ".join(str(p) for p in on_pages) + " changed")
    if named:
        words.append(", ".join(named) + " updated")
    if others:
        more = len(others) - NAMED_OBJECTS
        listed = ", ".join(others[:NAMED_OBJECTS]) + (f" and {more} more" if more > 0 else "")
        words.append(f"object(s) {listed} changed")
    if added:
        words.append(f"{len(added)} object(s) added")
    return words


def _page_objects(resolver) -> dict[int, int]:
    """Object number -> 1-based page, for each page object and its content streams."""
    out: dict[int, int] = {}
    root = resolver.root
    for number, (ref, page) in enumerate(_walk_pages(root["/Pages"]), start=1):
        if ref is not None:
            out.setdefault(ref.idnum, number)
        contents = page.get_value_as_reference("/Contents", optional=True) if page else None
        if contents is not None:
            out.setdefault(contents.idnum, number)
        raw = page.raw_get("/Contents") if page is not None and "/Contents" in page else None
        if isinstance(raw, generic.ArrayObject):
            for item in raw:
                if isinstance(item, generic.IndirectObject):
                    out.setdefault(item.idnum, number)
    return out


def _walk_pages(node) -> Iterator[tuple]:
    """(reference, page dictionary) of every page under the page tree ``node``, in order."""
    stack = [node]
    while stack:
        item = stack.pop()
        ref = item.reference if isinstance(item, generic.IndirectObject) else None
        obj = item.get_object()
        if obj.get("/Type") == "/Pages":
            stack.extend(reversed(list(obj.raw_get("/Kids"))))
        else:
            yield ref, obj


def _page_numbers(reader) -> dict[int, int]:
    """Object number of each page -> its 1-based page number."""
    return {
        ref.idnum: n
        for n, (ref, _) in enumerate(_walk_pages(reader.root.raw_get("/Pages")), start=1)
        if ref is not None
    }


def _field_page(ref, pages: dict[int, int]) -> int | None:
    with contextlib.suppress(KeyError, AttributeError, TypeError):
        field_ = ref.get_object() if ref is not None else None
        page = field_.raw_get("/P") if field_ is not None and "/P" in field_ else None
        if isinstance(page, generic.IndirectObject):
            return pages.get(page.idnum)
    return None


def uncovered_bytes(data: bytes, reader) -> int:
    """The bytes after the ``%%EOF`` of the last revision pyHanko reads (white space aside):
    they belong to no revision, so no signature covers them and a reader does not show them."""
    start = reader.xrefs.get_xref_container_info(reader.xrefs.total_revisions - 1).end_location
    eof = data.find(b"%%EOF", start)
    if eof < 0:
        return 0
    rest = data[eof + len(b"%%EOF") :]
    return len(rest.strip(b"\r\n\t\f\0 "))


@contextlib.contextmanager
def capture_logs(into: list[str]):
    """pyHanko's log records (it logs a traceback for every certificate it does not trust)
    go into ``into`` as one line each, never to the terminal."""

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            line = f"{record.levelname.lower()}: {record.name}: {record.getMessage()}"
            if record.exc_info and record.exc_info[1] is not None:
                exc = record.exc_info[1]
                line += f" ({type(exc).__name__}: {exc})"
            into.append(line)

    handler = Keep(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in LOGGERS]
    before = [(lg.propagate, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.propagate = False
        lg.setLevel(logging.INFO)
    try:
        yield into
    finally:
        for lg, (propagate, level) in zip(loggers, before, strict=True):
            lg.removeHandler(handler)
            lg.propagate = propagate
            lg.setLevel(level)


# --------------------------------------------------------------------------------------------
# The report


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def describe(sig: FieldSignature) -> list[str]:
    """The lines of one field: a headline and, when signed, one line per aspect."""
    where = f" (page {sig.page})" if sig.page else ""
    if not sig.signed:
        return [f"{sig.field}{where}: not signed"]
    head = "VALID" if sig.verdict is Verdict.VALID else "INVALID"
    if sig.signer is None:  # the signature could not be evaluated at all
        return [f"{sig.field}{where}: {head}", *(f"  {p}" for p in sig.problems)]
    lines = [f"{sig.field}{where}: {head}"]
    lines.append(f"  signed by: {sig.signer.subject}")
    lines.append(f"  issued by: {sig.signer.issuer}")
    when = []
    if sig.timestamp is not None:
        state = "" if sig.timestamp_valid else " (DOES NOT VERIFY)"
        when.append(f"{_utc(sig.timestamp)} by signature timestamp{state}")
    if sig.signed_at is not None:
        when.append(f"{_utc(sig.signed_at)} as the signer states")
    lines.append("  when: " + ("; ".join(when) if when else "no signing time"))
    integrity = (
        "intact"
        if sig.intact and sig.valid
        else "BROKEN: the signed bytes were changed"
        if not sig.intact
        else "BROKEN: the signature value does not verify"
    )
    lines.append(f"  integrity: {integrity}")
    if sig.coverage is Coverage.ENTIRE_FILE:
        coverage = "the whole file"
    elif sig.coverage is Coverage.ENTIRE_REVISION:
        coverage = f"revision {sig.revision} of {sig.revisions}"
    else:
        coverage = f"NOT its whole revision ({sig.coverage} byte range)"
    lines.append(f"  coverage: {coverage}")
    changes = sig.changes
    if changes is None:
        lines.append("  changes after signing: not analysed")
    elif changes.allowed:
        lines.append(f"  changes after signing: {_changes_words(changes)} (allowed)")
    else:
        lines.append(f"  changes after signing: NOT ALLOWED: {_changes_words(changes)}")
        lines += [f"    {d}" for d in sig.change_details]
    lines.append(f"  certificate: {sig.trust_detail}")
    level = sig.level or Level.NONE
    lines.append(
        "  PAdES level: "
        + ("none (not a PAdES signature)" if level is Level.NONE else f"PAdES {level}")
    )
    return lines


def format_report(report: SignatureReport, *, verbose: bool = False) -> list[str]:
    """The report of :func:`read_signatures`, in lines of English (pure)."""
    lines: list[str] = []
    for sig in report.fields:
        lines += describe(sig)
    for stamp in report.timestamps:
        state = "VALID" if not stamp.problems else "INVALID"
        lines.append(
            f"document timestamp {stamp.field}: {state}, {_utc(stamp.time)} by "
            f"{stamp.authority} (revision {stamp.revision} of {stamp.revisions})"
        )
        lines += [f"  {p}" for p in stamp.problems]
        lines += [f"    {d}" for d in stamp.change_details]
    signed = sum(1 for f in report.fields if f.signed)
    lines.append(
        f"{signed} of {len(report.fields)} signature field(s) signed; "
        f"{len(report.timestamps)} document timestamp(s); {report.revisions} revision(s); "
        + ("validation data (DSS) present" if report.validation_data else "no validation data")
    )
    if not report.trust_roots:
        lines.append("trust not judged: no trust roots given (--trust CERT)")
    if report.uncovered_bytes:
        lines.append(
            f"UNCOVERED: {report.uncovered_bytes} byte(s) after the last revision, covered by "
            "no signature"
        )
    unsigned = [f.field for f in report.fields if not f.signed]
    if unsigned:
        lines.append("not signed: " + ", ".join(unsigned))
    problems = report.problems
    if problems:
        lines.append(f"REFUSED: {len(problems)} problem(s)")
        lines += [f"  {p}" for p in problems]
    else:
        lines.append("every signature is intact and nothing was changed beyond what is allowed")
    if verbose and report.log:
        lines.append("details (pyHanko's log):")
        lines += [f"  {line}" for line in report.log]
    return lines
