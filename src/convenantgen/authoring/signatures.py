"""``convenantgen signatures FILE.pdf``: which fields of a signed signing package are signed.

The signing package (``package.py``) has one empty signature field per signatory, named
``handtekening-<party-id>``. Once parties have signed it digitally, pyHanko reads every field:
signed or not, by whom (the certificate's subject), when (the signing time the signature
states) and whether the signed bytes are intact. With ``--dossier ID`` the fields are compared
with the dossier's lifecycle records (``kind: lifecycle``) and every difference is reported, so
the records can be kept true to the signed PDF.

Trust in the certificate (a chain to a trusted root) is reported separately from integrity:
the package is usually signed with personal or organisation certificates this machine does
not know, and integrity is what says whether the document was changed after signing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from ..errors import ConvenantgenError
from ..render.pdf.package import FIELD_PREFIX
from ..text import formatting as fmt


class SignatureReadError(ConvenantgenError):
    """The file cannot be read as a PDF with signature fields."""


@dataclass(frozen=True)
class FieldSignature:
    """One signature field of the package and what its signature says, if it has one."""

    field: str
    signed: bool
    signer: str | None = None  # the certificate's subject, human-readable
    signed_at: dt.datetime | None = None  # the signing time the signature states
    intact: bool | None = None  # the signed bytes were not changed
    trusted: bool | None = None  # the certificate chains to a trusted root

    @property
    def party(self) -> str | None:
        """The party id the field belongs to (``handtekening-<id>`` or ``…-<id>-2``)."""
        if not self.field.startswith(FIELD_PREFIX):
            return None
        return self.field[len(FIELD_PREFIX) :]


def read_signatures(path: Path) -> list[FieldSignature]:
    """Every signature field of the PDF at ``path``, in the order of the document."""
    try:
        with _quiet("pyhanko", "pyhanko_certvalidator"), path.open("rb") as handle:
            reader = PdfFileReader(handle, strict=False)
            by_field = {emb.field_name: emb for emb in reader.embedded_signatures}
            out: list[FieldSignature] = []
            for name, value, _ in enumerate_sig_fields(reader):
                emb = by_field.get(name)
                if value is None or emb is None:
                    out.append(FieldSignature(str(name), False))
                    continue
                # No trust roots and no fetching: trust is the reader's business; the check
                # here is whether the bytes are intact and who signed.
                status = validate_pdf_signature(
                    emb, ValidationContext(trust_roots=[], allow_fetching=False)
                )
                out.append(
                    FieldSignature(
                        field=str(name),
                        signed=True,
                        signer=emb.signer_cert.subject.human_friendly,
                        signed_at=emb.self_reported_timestamp,
                        intact=bool(status.intact and status.valid),
                        trusted=bool(status.trusted),
                    )
                )
    except OSError as exc:
        raise SignatureReadError(f"cannot read '{path}': {exc.strerror or exc}") from None
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise SignatureReadError(f"'{path}' is not a readable PDF: {exc}") from None
    return out


@contextlib.contextmanager
def _quiet(*names: str):
    """pyHanko logs a traceback for every untrusted certificate; trust is reported per field,
    so its loggers are silenced while reading."""
    loggers = [logging.getLogger(n) for n in names]
    before = [lg.disabled for lg in loggers]
    for lg in loggers:
        lg.disabled = True
    try:
        yield
    finally:
        for lg, was in zip(loggers, before, strict=True):
            lg.disabled = was


def describe(sig: FieldSignature) -> str:
    """One line per field, for the report."""
    if not sig.signed:
        return f"{sig.field}: not signed"
    when = fmt.date_long(sig.signed_at.date()) if sig.signed_at else "no signing time"
    integrity = "integrity valid" if sig.intact else "INTEGRITY BROKEN (changed after signing)"
    trust = "certificate trusted" if sig.trusted else "certificate not trusted here"
    return f"{sig.field}: signed by {sig.signer}, {when}; {integrity}; {trust}"


def compare(dossier, fields: list[FieldSignature]) -> list[str]:
    """Differences between the signed package and the dossier's signature records."""
    recorded: dict[str, tuple[str, dt.date]] = {}
    for record in dossier.lifecycles:
        for s in record.signatures or ():
            recorded.setdefault(s.party, (record.agreement, s.date))
    problems: list[str] = []
    seen: set[str] = set()
    for sig in fields:
        party = sig.party
        if party is None or dossier.party(party) is None:
            base = party.rsplit("-", 1)[0] if party else None
            if base and dossier.party(base) is not None:
                party = base  # a second field of one party: handtekening-<id>-2
            else:
                problems.append(f"{sig.field}: no party of dossier '{dossier.id}' has this field")
                continue
        seen.add(party)
        record = recorded.get(party)
        if sig.signed and record is None:
            problems.append(
                f"{sig.field}: signed in the PDF, but no signature of '{party}' is recorded"
            )
        elif not sig.signed and record is not None:
            problems.append(
                f"{sig.field}: not signed in the PDF, but the records say '{party}' signed "
                f"'{record[0]}' on {fmt.date_long(record[1])}"
            )
        elif sig.signed and record and sig.signed_at and sig.signed_at.date() != record[1]:
            problems.append(
                f"{sig.field}: signed on {fmt.date_long(sig.signed_at.date())}, but the records "
                f"say {fmt.date_long(record[1])}"
            )
        if sig.signed and not sig.intact:
            problems.append(f"{sig.field}: the document was changed after this signature")
    return problems
