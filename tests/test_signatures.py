"""``convenantgen signatures``: a signing package made by ``package.py``, signed in the test by
pyHanko with a self-signed certificate generated here, read back field by field and compared
with the dossier; and the pure name and date comparison. The real PKI, sealing and the tamper
cases are in test_signatures_pki.py."""

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

from convenantgen.authoring.expected_signatories import expected_signatories
from convenantgen.authoring.signature_check import (
    ExpectedSignatory,
    Finding,
    compare,
    organisation_matches,
    person_matches,
)
from convenantgen.authoring.signatures import (
    LOCAL,
    Certificate,
    FieldSignature,
    SignatureReport,
    Trust,
    Verdict,
    format_report,
    read_signatures,
)
from convenantgen.cli import main
from convenantgen.context.dossier import build_context
from convenantgen.read.load import load_content
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
    report = read_signatures(signed_package)
    fields = report.fields
    assert [(f.field, f.signed, f.page) for f in fields] == [
        ("handtekening-bestuur-a", True, 1),
        ("handtekening-bestuur-b", False, 2),
    ]
    signed = fields[0]
    assert signed.signer.subject == "Organization: Stichting Alfa, Common Name: A. Jansen"
    assert signed.signed_at.date() == dt.datetime.now(dt.UTC).date()
    assert signed.intact is True and signed.verdict is Verdict.VALID
    assert signed.trust is Trust.SELF_SIGNED  # not chained to a trusted root
    assert signed.party == "bestuur-a"
    assert not report.failed


@pytest.mark.libreoffice
def test_cli_reports_per_field(signed_package, capsys):
    assert main(["signatures", str(signed_package)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == "handtekening-bestuur-a (page 1): VALID"
    assert "  signed by: Organization: Stichting Alfa, Common Name: A. Jansen" in lines
    assert "  integrity: intact" in lines
    assert "  coverage: the whole file" in lines
    assert "  certificate: self-signed" in lines
    assert "  PAdES level: none (not a PAdES signature)" in lines  # adbe.pkcs7.detached
    assert "handtekening-bestuur-b (page 2): not signed" in lines
    assert "1 of 2 signature field(s) signed; 0 document timestamp(s); 2 revision(s); " in out
    assert err == ""


@pytest.mark.libreoffice
def test_changed_after_signing_breaks_integrity(signed_package, tmp_path, capsys):
    data = bytearray(signed_package.read_bytes())
    at = data.index(b"Proefconvenant")
    data[at : at + 1] = b"X"  # one byte inside the signed range
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    assert main(["signatures", str(tampered)]) == 1
    out = capsys.readouterr().out
    assert "integrity: BROKEN: the signed bytes were changed" in out
    assert "REFUSED: 1 problem(s)" in out


@pytest.mark.libreoffice
def test_compare_with_the_dossier(signed_package, tmp_path, capsys):
    # The factory's dossier has three signing acts, each with its own package: addendum-1
    # (bestuur-a, -b, -c sign), basis, and an accession request. The file named after
    # addendum-1's package holds two of its three lines; its fields are compared with that
    # act's signatories only. Signing dates are Dutch dates.
    today = dt.datetime.now(LOCAL).date()
    records = (
        "kind: lifecycle\nagreements:\n  - agreement: addendum-1\n    signatures:\n"
        f"      - {{party: bestuur-a, date: {today.isoformat()}}}\n"
    )
    folder = write(tmp_path / "proef", {**base_files(), "levensloop.yaml": records})
    package = tmp_path / "proef-ondertekenpakket-addendum-1.pdf"
    package.write_bytes(signed_package.read_bytes())
    assert main(["signatures", str(package), str(folder), "--dossier", "proef"]) == 0
    out = capsys.readouterr().out
    assert (
        "dossier 'proef', act 'addendum-1' (agreement): package "
        "proef-ondertekenpakket-addendum-1.pdf"
    ) in out
    assert "the signatures agree with dossier 'proef', act 'addendum-1'" in out
    notes = [line for line in out.splitlines() if line.startswith("note: ")]
    assert notes == [
        "note: handtekening-bestuur-b: not yet signed by B. de Vries (Stichting Beta & Co) "
        "(addendum-1)",
        "note: handtekening-bestuur-c: the package has no field for C. Smit (Stichting Gamma) "
        "(addendum-1)",
    ]

    # A sealed copy (`seal`'s default name) is the same act's package.
    sealed = tmp_path / "proef-ondertekenpakket-addendum-1-sealed.pdf"
    sealed.write_bytes(signed_package.read_bytes())
    assert main(["signatures", str(sealed), str(folder), "--dossier", "proef"]) == 0
    assert "act 'addendum-1' (agreement)" in capsys.readouterr().out

    # Any other name: a usage error naming the packages, before any report is printed...
    argv = ["signatures", str(signed_package), str(folder), "--dossier", "proef"]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "convenantgen: error: 'ondertekenpakket.pdf' is not the name of a signing package of "
        "dossier 'proef' (nor of a sealed copy, '...-sealed.pdf'); its packages: "
        "proef-ondertekenpakket-addendum-1.pdf, proef-ondertekenpakket-basis.pdf, "
        "proef-ondertekenpakket-toetreding-gamma.pdf; name the act with --act ID\n"
    )
    # ... or the act named: the same fields judged against basis, whose records say nothing.
    assert main([*argv, "--act", "basis"]) == 1
    assert [line for line in capsys.readouterr().out.splitlines() if "mismatch" in line] == [
        f"mismatch: handtekening-bestuur-a: signed on {today.isoformat()}, but the dossier "
        "records no signature of bestuur-a for basis",
    ]
    assert main([*argv, "--act", "basis-2"]) == 2
    assert "has no signing act 'basis-2'; its acts: addendum-1, basis, toetreding-gamma." in (
        capsys.readouterr().err
    )
    assert main(["signatures", str(signed_package), "--act", "basis"]) == 2
    assert "--act needs --dossier" in capsys.readouterr().err

    records = records.replace(today.isoformat(), "2024-06-01")
    folder = write(tmp_path / "tweede" / "proef", {**base_files(), "levensloop.yaml": records})
    assert main(["signatures", str(package), str(folder), "--dossier", "proef"]) == 1
    assert [line for line in capsys.readouterr().out.splitlines() if "mismatch" in line] == [
        f"mismatch: handtekening-bestuur-a: signed on {today.isoformat()}, but the records say "
        "2024-06-01 (addendum-1)",
    ]


def test_expected_signatories_are_the_fields_of_each_acts_package(tmp_path):
    # The build's packages (context) and the expected fields agree act by act; a party that
    # signs in two acts has the same field name in both packages, with each act's dates.
    (dossier,) = load_content(write(tmp_path / "proef", base_files())).dossiers
    packages = build_context(dossier).packages
    expected = expected_signatories(dossier)
    assert [(e.package, e.field) for e in expected] == [
        (p.stem, Signatory(f.key, f.label).field_name) for p in packages for f in p.fields
    ]
    for package in packages:
        own = expected_signatories(dossier, acts=[package.act])
        assert {e.act for e in own} == {package.act}
        assert [e.field for e in own] == [
            Signatory(f.key, f.label).field_name for f in package.fields
        ]
    accession = expected_signatories(dossier, acts=["toetreding-gamma"])
    assert [(e.field, e.act_kind) for e in accession] == [
        ("handtekening-bestuur-c", "declaration"),
        ("handtekening-bestuur-a", "consent"),
        ("handtekening-bestuur-b", "consent"),
    ]
    with pytest.raises(ValueError, match="more than one package"):
        compare([], expected)


def test_not_a_pdf_is_one_line(tmp_path, capsys):
    bogus = tmp_path / "x.pdf"
    bogus.write_text("geen pdf")
    assert main(["signatures", str(bogus)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("convenantgen: error: ") and "Traceback" not in err


@pytest.mark.libreoffice
def test_a_bad_trust_root_is_one_line(signed_package, tmp_path, capsys):
    bogus = tmp_path / "root.pem"
    bogus.write_text("geen certificaat")
    assert main(["signatures", str(signed_package), "--trust", str(bogus)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("convenantgen: error: ") and "is not a certificate" in err


@pytest.mark.libreoffice
def test_no_validation_noise_on_stderr(signed_package, capfd):
    # pyHanko logs why a self-signed certificate is not trusted; that is the report's line
    # "certificate: self-signed", never a traceback.
    assert main(["signatures", str(signed_package)]) == 0
    out, err = capfd.readouterr()
    assert err == ""
    assert "Traceback" not in out


# --- the pure comparison with the dossier ---------------------------------------------------


def _cert(common_name: str, organisation: str) -> Certificate:
    moment = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    return Certificate(
        subject=f"Common Name: {common_name}, Organization: {organisation}",
        common_name=common_name,
        organisation=organisation,
        issuer="Common Name: Proef CA",
        serial="1",
        not_before=moment,
        not_after=moment.replace(year=2040),
        self_signed=False,
    )


def _signed(field: str, cert: Certificate, day: dt.date) -> FieldSignature:
    # 23:30 UTC on 30 June is 1 July in the Netherlands: dates are compared in local time.
    moment = dt.datetime.combine(day, dt.time(23, 30), tzinfo=dt.UTC) - dt.timedelta(days=1)
    return FieldSignature(field=field, signed=True, signer=cert, timestamp=moment, intact=True)


MINISTER = ExpectedSignatory(
    field="handtekening-minister-ocw",
    party_id="minister-ocw",
    party_name="De Minister van Onderwijs, Cultuur en Wetenschap",
    person="R. Dijkgraaf",
    role="Minister van Onderwijs, Cultuur en Wetenschap",
    act="addendum-2024",
    act_kind="agreement",
    recorded=dt.date(2024, 7, 1),
)
CONSENT = ExpectedSignatory(
    field="handtekening-eduvier",
    party_id="eduvier",
    party_name="Stichting Eduvier Onderwijsgroep",
    person=None,
    role=None,
    act="toetreding-2025",
    act_kind="consent",
    earliest=dt.date(2025, 5, 15),
    latest=dt.date(2025, 8, 1),
    recorded=dt.date(2025, 5, 26),
)


def test_the_right_signers_on_the_right_dates_agree():
    fields = [
        _signed(
            MINISTER.field, _cert("Robbert Dijkgraaf", "Ministerie van OCW"), MINISTER.recorded
        ),
        _signed(
            CONSENT.field, _cert("A. Smit", "Stichting Eduvier Onderwijsgroep"), CONSENT.recorded
        ),
    ]
    assert compare(fields, [MINISTER, CONSENT]) == []


def test_a_wrong_signer_is_named_with_the_expected_one():
    cert = _cert("S. Olivier", "Almeerse Scholen Groep (ASG - PO)")
    found = compare([_signed(MINISTER.field, cert, MINISTER.recorded)], [MINISTER])
    assert [(d.kind, d.message) for d in found] == [
        (
            Finding.PERSON_MISMATCH,
            "signed by 'S. Olivier', but addendum-2024 is to be signed by 'R. Dijkgraaf' for "
            "De Minister van Onderwijs, Cultuur en Wetenschap",
        ),
        (
            Finding.ORGANISATION_MISMATCH,
            "the certificate is of 'Almeerse Scholen Groep (ASG - PO)', but the field is De "
            "Minister van Onderwijs, Cultuur en Wetenschap's (minister-ocw)",
        ),
    ]


def test_dates_are_checked_against_the_act_of_the_field():
    cert = _cert("A. Smit", "Stichting Eduvier Onderwijsgroep")
    found = compare([_signed(CONSENT.field, cert, dt.date(2024, 7, 1))], [CONSENT])
    assert [d.message for d in found] == [
        "signed on 2024-07-01, but the records say 2025-05-26 (toetreding-2025)",
        "signed on 2024-07-01, before 2025-05-15, the earliest date of toetreding-2025",
    ]
    assert all(d.kind.fails for d in found)


def test_missing_signatures_are_listed_by_party():
    unsigned = [FieldSignature(MINISTER.field, False), FieldSignature(CONSENT.field, False)]
    found = compare(unsigned, [MINISTER, CONSENT])
    assert [(d.kind, d.party, d.message) for d in found] == [
        (
            Finding.RECORDED_NOT_SIGNED,
            "minister-ocw",
            "not signed, but the records say R. Dijkgraaf (De Minister van Onderwijs, Cultuur "
            "en Wetenschap) signed addendum-2024 on 2024-07-01",
        ),
        (
            Finding.RECORDED_NOT_SIGNED,
            "eduvier",
            "not signed, but the records say Stichting Eduvier Onderwijsgroep signed "
            "toetreding-2025 on 2025-05-26",
        ),
    ]


@pytest.mark.parametrize(
    ("expected", "actual", "same"),
    [
        ("R. Dijkgraaf", "Robbert Dijkgraaf", True),
        ("R.H. Dijkgraaf", "robbert  hendrik DIJKGRAAF", True),
        ("F. de Jonge", "Femke de Jonge", True),
        ("F. de Jonge", "Femke Jonge", False),
        ("J. Ölçer", "Jan Olcer", True),
        ("R. Dijkgraaf", "S. Dijkgraaf", False),
        ("M. Paul", "Mariëlle Paul", True),
        ("M. Paul", "M. Pauw", False),
    ],
)
def test_person_names_are_normalised(expected, actual, same):
    assert person_matches(expected, actual) is same


@pytest.mark.parametrize(
    ("expected", "actual", "same"),
    [
        ("Stichting Eduvier Onderwijsgroep", "EDUVIER ONDERWIJSGROEP", True),
        ("De Minister van Onderwijs, Cultuur en Wetenschap", "Ministerie van OCW", False),
        (
            "De Minister van Onderwijs, Cultuur en Wetenschap",
            "Ministerie van Onderwijs, Cultuur en Wetenschap",
            True,
        ),
        ("Gemeente Almere", "Gemeente Lelystad", False),
    ],
)
def test_organisations_are_compared_by_their_words(expected, actual, same):
    assert organisation_matches(expected, actual) is same


def test_the_report_is_pure_and_says_what_fails():
    cert = _cert("A. Jansen", "Stichting Alfa")
    broken = FieldSignature(
        field="handtekening-a",
        signed=True,
        signer=cert,
        intact=False,
        valid=True,
        problems=("the signed bytes were changed after signing (integrity broken)",),
    )
    report = SignatureReport(path="x.pdf", revisions=2, fields=(broken,), uncovered_bytes=3)
    lines = format_report(report)
    assert lines == format_report(report)
    assert "REFUSED: 2 problem(s)" in lines
    assert (
        "  handtekening-a: the signed bytes were changed after signing (integrity broken)" in lines
    )
    assert "  3 byte(s) after the last revision are covered by no signature" in lines
