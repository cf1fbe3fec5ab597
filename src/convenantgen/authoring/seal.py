"""``convenantgen seal``: the archival seal of a signed package (PAdES B-LTA).

After the last signature, two incremental updates: the validation data of every signature and
document timestamp in the file (the certificate chains to the given trust roots and their OCSP
responses and CRLs, in the Document Security Store, DSS), then a document timestamp from an
RFC 3161 time-stamping authority over all of it; pyHanko adds the authority's own validation
data after the timestamp. Incremental updates leave the signed revisions as they were, so every
signature stays valid, and pyHanko keeps Info and the XMP packet (with the PDF/A-2
identification) saying the same.

A package whose signatures fail (changed after signing, bytes after the last revision, a
broken signature) is not sealed: a seal would make the damage look archived. The result is
checked again before it is written; it is written to a temporary file beside the output and
renamed, so a failure leaves nothing half-written, and the input is only replaced when asked.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import crl, ocsp, pem, x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import PdfTimeStamper
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.validation import DocumentSecurityStore, collect_validation_info
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import (
    CRLValidationError,
    OCSPValidationError,
    PathError,
    ValidationError,
)

from ..errors import ConvenantgenError, UsageError
from .signatures import Level, SignatureReport, capture_logs, read_signatures

DIGEST = "sha256"
# What `seal` puts after the input's name by default (FILE-sealed.pdf); `signatures
# --dossier` takes a file so named as the package it seals.
SEALED_SUFFIX = "-sealed"


class SealError(ConvenantgenError):
    """The package cannot be sealed (its signatures fail, the TSA or revocation data is not
    available, ...)."""


@dataclass(frozen=True)
class SealResult:
    """What was written: the file, and its signatures as read back after sealing."""

    path: Path
    report: SignatureReport
    log: tuple[str, ...] = ()


def load_revocation_files(
    ocsp_files: Sequence[Path] = (), crl_files: Sequence[Path] = ()
) -> tuple[list, list]:
    """OCSP responses and CRLs from files (DER, or PEM), for sealing without fetching."""

    def read(path: Path, kind) -> list:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read '{path}': {exc.strerror or exc}") from None
        try:
            ders = [d for _, _, d in pem.unarmor(data, True)] if pem.detect(data) else [data]
            items = [kind.load(d) for d in ders]
            for item in items:
                item.native  # noqa: B018 -- parse now, so a bad file fails here
        except (ValueError, TypeError) as exc:
            raise UsageError(f"'{path}' is not a {kind.__name__}: {exc}") from None
        return items

    ocsps = [r for p in ocsp_files for r in read(p, ocsp.OCSPResponse)]
    crls = [c for p in crl_files for c in read(p, crl.CertificateList)]
    return ocsps, crls


def seal(
    source: Path,
    out: Path,
    *,
    tsa_url: str,
    trust: Sequence[x509.Certificate],
    ocsps: Sequence = (),
    crls: Sequence = (),
    fetch: bool = True,
    timeout: float = 30.0,
) -> SealResult:
    """Seal the signed PDF ``source`` into ``out`` (B-LTA); ``out`` may be ``source`` itself."""
    if not trust:
        raise UsageError("sealing needs the trust roots of the signatures (--trust CERT)")
    before = read_signatures(source, trust=trust)
    signed = [f for f in before.fields if f.signed]
    if not signed:
        raise SealError(f"'{source}' has no signature to seal")
    if before.failed:
        raise SealError(
            f"'{source}' is not sealed: its signatures fail (" + "; ".join(before.problems) + ")"
        )
    log: list[str] = []
    try:
        with capture_logs(log):
            data = asyncio.run(
                _seal(source.read_bytes(), tsa_url, list(trust), ocsps, crls, fetch, timeout)
            )
    except TimestampRequestError as exc:
        raise SealError(f"the time-stamping authority {tsa_url} did not answer: {exc}") from None
    except (PathError, ValidationError, OCSPValidationError, CRLValidationError) as exc:
        raise SealError(f"the validation data cannot be gathered: {exc}") from None
    except (SigningError, PdfError, OSError, ValueError) as exc:
        raise SealError(f"'{source}' cannot be sealed: {exc}") from None
    _write_atomic(out, data)
    after = read_signatures(out, trust=trust)
    weak = [f.field for f in after.fields if f.signed and f.level is not Level.B_LTA]
    if after.failed or weak:
        # Not expected; the sealed file stays for inspection, but the command fails.
        raise SealError(
            f"'{out}' was sealed, but does not verify as B-LTA: "
            + "; ".join([*after.problems, *(f"{w}: not B-LTA" for w in weak)])
        )
    return SealResult(out, after, tuple(log))


async def _seal(
    data: bytes,
    tsa_url: str,
    trust: list,
    ocsps: Sequence,
    crls: Sequence,
    fetch: bool,
    timeout: float,
) -> bytes:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    kwargs = {
        "trust_roots": trust,
        "allow_fetching": fetch,
        # Every certificate below a root needs revocation data, or the archive cannot show
        # later that it was not revoked at signing time.
        "revocation_mode": "require",
        # Responses fetched now may be newer than the moment the context was made.
        "retroactive_revinfo": True,
        "ocsps": list(ocsps),
        "crls": list(crls),
    }
    try:
        context = DocumentSecurityStore.read_dss(reader).as_validation_context(kwargs)
    except NoDSSFoundError:
        context = ValidationContext(**kwargs)
    try:
        paths = []
        for emb in reader.embedded_signatures:
            paths += await collect_validation_info(emb, context)
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        DocumentSecurityStore.supply_dss_in_writer(
            writer, None, paths=paths, validation_context=context
        )
        with_dss = io.BytesIO()
        writer.write(with_dss)
        stamper = PdfTimeStamper(HTTPTimeStamper(tsa_url, timeout=timeout))
        sealed = io.BytesIO()
        await stamper.async_timestamp_pdf(
            IncrementalPdfFileWriter(with_dss, strict=False),
            DIGEST,
            validation_context=context,
            output=sealed,
        )
        return sealed.getvalue()
    finally:
        await context.aclose()  # the fetchers' HTTP session


def _write_atomic(path: Path, data: bytes) -> None:
    """``data`` into ``path`` through a temporary file in the same folder and a rename."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, name = tempfile.mkstemp(dir=folder, prefix=".convenantgen-seal-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
