"""``convenantgen signatures``: a signing package made by ``package.py``, signed in the test by
pyHanko with a self-signed certificate generated here, read back field by field and compared
with the dossier's lifecycle records."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from asn1crypto import keys, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from dossier_factory import base_files, write
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore
from test_package import marked

from convenantgen.authoring.signatures import read_signatures
from convenantgen.cli import main
from convenantgen.render.pdf.package import PackagePart, Signatory, build_signing_package


def signature_page() -> bytes:
    """A Word document with the markers of two signatories, as the templates set them."""
    return marked("Handtekeningen", [("bestuur-a", "A. Jansen"), ("bestuur-b", "B. de Vries")])


def self_signed(common_name: str) -> signers.SimpleSigner:
    """A signer with a fresh RSA key and a self-signed certificate."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = cx509.Name(
        [
            cx509.NameAttribute(NameOID.COMMON_NAME, common_name),
            cx509.NameAttribute(NameOID.ORGANIZATION_NAME, "Stichting Alfa"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            cx509.KeyUsage(True, True, False, False, False, False, False, False, False), True
        )
        .sign(key, hashes.SHA256())
    )
    certificate = x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    private = keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=private,
        cert_registry=SimpleCertificateStore.from_certs([certificate]),
    )


@pytest.fixture(scope="module")
def signed_package(tmp_path_factory) -> Path:
    """The package with bestuur-a's field signed and bestuur-b's left empty."""
    package = build_signing_package(
        [PackagePart("Handtekeningen", signature_page())],
        title="Proefconvenant",
        subject="ondertekening",
        author="Stichting Alfa",
        signatories=[Signatory("bestuur-a", "A. Jansen"), Signatory("bestuur-b", "B. de Vries")],
    )
    out = io.BytesIO()
    signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(package)),
        signers.PdfSignatureMetadata(field_name="handtekening-bestuur-a"),
        signer=self_signed("A. Jansen"),
        output=out,
    )
    path = tmp_path_factory.mktemp("signed") / "ondertekenpakket.pdf"
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.libreoffice
def test_reads_signed_and_unsigned_fields(signed_package):
    fields = read_signatures(signed_package)
    assert [(f.field, f.signed) for f in fields] == [
        ("handtekening-bestuur-a", True),
        ("handtekening-bestuur-b", False),
    ]
    signed = fields[0]
    assert signed.signer == "Organization: Stichting Alfa, Common Name: A. Jansen"
    assert signed.signed_at.date() == dt.datetime.now(dt.UTC).date()
    assert signed.intact is True
    assert signed.trusted is False  # self-signed: not chained to a trusted root


@pytest.mark.libreoffice
def test_cli_reports_per_field(signed_package, capsys):
    assert main(["signatures", str(signed_package)]) == 0
    out, err = capsys.readouterr()
    today = dt.datetime.now(dt.UTC).date()
    from convenantgen.text.formatting import date_long

    assert out.splitlines() == [
        "handtekening-bestuur-a: signed by Organization: Stichting Alfa, Common Name: A. Jansen, "
        f"{date_long(today)}; integrity valid; certificate not trusted here",
        "handtekening-bestuur-b: not signed",
    ]
    assert "1 of 2 signature field(s) signed" in err


@pytest.mark.libreoffice
def test_changed_after_signing_breaks_integrity(signed_package, tmp_path, capsys):
    data = bytearray(signed_package.read_bytes())
    at = data.index(b"Handtekeningen")
    data[at : at + 1] = b"X"  # one byte inside the signed range
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    assert main(["signatures", str(tampered)]) == 1
    assert "INTEGRITY BROKEN (changed after signing)" in capsys.readouterr().out


@pytest.mark.libreoffice
def test_compare_with_the_records(signed_package, tmp_path, capsys):
    today = dt.datetime.now(dt.UTC).date()
    records = (
        "kind: lifecycle\nagreements:\n  - agreement: basis\n    signatures:\n"
        f"      - {{party: bestuur-a, date: {today.isoformat()}}}\n"
    )
    folder = write(tmp_path / "proef", {**base_files(), "levensloop.yaml": records})
    assert main(["signatures", str(signed_package), str(folder), "--dossier", "proef"]) == 0
    assert "the signatures agree with the records of dossier 'proef'" in capsys.readouterr().out

    records = (
        "kind: lifecycle\nagreements:\n  - agreement: basis\n    signatures:\n"
        "      - {party: bestuur-a, date: 2024-06-01}\n"
        "      - {party: bestuur-b, date: 2024-06-02}\n"
    )
    folder = write(tmp_path / "tweede" / "proef", {**base_files(), "levensloop.yaml": records})
    assert main(["signatures", str(signed_package), str(folder), "--dossier", "proef"]) == 1
    from convenantgen.text.formatting import date_long

    assert [line for line in capsys.readouterr().out.splitlines() if "mismatch" in line] == [
        f"mismatch: handtekening-bestuur-a: signed on {date_long(today)}, but the records say "
        "1 juni 2024",
        "mismatch: handtekening-bestuur-b: not signed in the PDF, but the records say "
        "'bestuur-b' signed 'basis' on 2 juni 2024",
    ]


def test_not_a_pdf_is_one_line(tmp_path, capsys):
    bogus = tmp_path / "x.pdf"
    bogus.write_text("geen pdf")
    assert main(["signatures", str(bogus)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("convenantgen: error: ") and "Traceback" not in err


@pytest.mark.libreoffice
def test_no_validation_noise_on_stderr(signed_package, capfd):
    # pyHanko logs why a self-signed certificate is not trusted; that is the report's line
    # "certificate not trusted here", never a traceback.
    assert main(["signatures", str(signed_package)]) == 0
    err = capfd.readouterr().err
    assert err == "1 of 2 signature field(s) signed\n"
