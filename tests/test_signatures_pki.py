"""Signing as a signer and verifying as a lawyer or an archivist would, with a real PKI.

The Almere signing packages come from a real ``convenantgen build`` (LibreOffice, once per
module): one per signing act, the accession request's (16 fields) for the full run, the 2024
addendum's (5 fields) where a test needs the Minister's signature of 2024. certomancer
serves a root and intermediate CA, an OCSP responder, a CRL and an RFC 3161 time-stamping
authority on 127.0.0.1 (tests/pki/certomancer.yml, tests/signing_pki.py).
Every field is signed by its own signatory's certificate, one incremental pyHanko signature
after another, each with a timestamp of the local authority, then sealed (``convenantgen
seal``) and verified as PAdES B-LTA. Each tampered copy gets its verdict and exit code from the
real CLI; poppler's ``pdfsig`` is the second verifier where it can judge.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from asn1crypto import pem, x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import DocumentSecurityStore
from signing_pki import serve
from test_signatures import self_signed

from convenantgen.authoring.expected_signatories import expected_signatories
from convenantgen.authoring.seal import SealError, seal
from convenantgen.authoring.signatures import (
    Changes,
    Coverage,
    Level,
    Trust,
    Verdict,
    read_signatures,
)
from convenantgen.authoring.stamp import sign_field
from convenantgen.cli import main
from convenantgen.model.derive import signing_acts
from convenantgen.read.load import load_content
from convenantgen.read.project import find_project
from convenantgen.render.pdf.pdfa import pdfa_problems

# Every test signs a package built with PDF.
pytestmark = pytest.mark.libreoffice

REPO = Path(__file__).resolve().parents[1]
PDFSIG = "/usr/bin/pdfsig"


ACCESSION = "almere-ondertekenpakket-toetreding-soo-almere-poort-2025"
ADDENDUM = "almere-ondertekenpakket-addendum-2024"


def _label(field: str) -> str:
    """The certificate of a field's signatory: ``handtekening-asg-po:2`` -> ``asg-po``."""
    return re.sub(r":\d+$", "", field.removeprefix("handtekening-"))


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("pki")) as served:
        yield served


@pytest.fixture(scope="module")
def root_pem(pki, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("roots") / "root.pem"
    path.write_bytes(pki.root.dump())  # DER: --trust takes either
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The Almere dossier's folder of a real build (LibreOffice)."""
    out = tmp_path_factory.mktemp("build")
    args = ["build", str(REPO / "content"), "--dossier", "almere", "--out", str(out)]
    args += ["--no-site", "--quiet", "--no-cache", "--project", str(REPO)]
    assert main(args) == 0
    return out / "almere"


@pytest.fixture(scope="module")
def package(built) -> bytes:
    """The accession request's package: the declaration and the 15 consents."""
    return (built / f"{ACCESSION}.pdf").read_bytes()


@pytest.fixture(scope="module")
def addendum(built) -> bytes:
    """The 2024 addendum's package: its text and signature pages."""
    return (built / f"{ADDENDUM}.pdf").read_bytes()


def dossier_check(path: Path, capsys, *extra: str) -> tuple[int, str, str]:
    """``signatures PATH`` compared with the Almere dossier (the act from the file name)."""
    argv = ["signatures", str(path), str(REPO / "content"), "--dossier", "almere"]
    return run([*argv, "--project", str(REPO), *extra], capsys)


@pytest.fixture(scope="module")
def field_names(package, tmp_path_factory) -> list[str]:
    path = tmp_path_factory.mktemp("empty") / "leeg.pdf"
    path.write_bytes(package)
    return [f.field for f in read_signatures(path).fields]


def sign_all(package: bytes, names: list[str], pki, *, cert_for=None, skip=()) -> bytes:
    """Every field signed in turn by its signatory (or ``cert_for[field]``), with a timestamp."""
    data = package
    for name in names:
        if name in skip:
            continue
        label = (cert_for or {}).get(name, _label(name))
        data = sign_field(data, name, pki.signer(label), timestamper=pki.timestamper())
    return data


@pytest.fixture(scope="module")
def signed(package, field_names, pki, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("signed") / f"{ACCESSION}.pdf"
    path.write_bytes(sign_all(package, field_names, pki))
    return path


@pytest.fixture(scope="module")
def one_signed(package, pki, tmp_path_factory) -> Path:
    """Only the Minister's consent signed: for the cases that need one signature."""
    path = tmp_path_factory.mktemp("one") / "een.pdf"
    path.write_bytes(sign_all(package, ["handtekening-minister-ocw"], pki))
    return path


@pytest.fixture(scope="module")
def one_sealed(one_signed, pki, root_pem) -> Path:
    out = one_signed.with_name("een-verzegeld.pdf")
    seal(one_signed, out, tsa_url=pki.tsa_url, trust=[_load(root_pem)])
    return out


@pytest.fixture(scope="module")
def sealed(signed, pki, root_pem) -> Path:
    out = signed.with_name(f"{ACCESSION}-sealed.pdf")
    argv = ["seal", str(signed), "--out", str(out), "--tsa", pki.tsa_url, "--trust"]
    assert main([*argv, str(root_pem)]) == 0
    return out


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def pdfsig(path: Path) -> str:
    done = subprocess.run(
        [PDFSIG, "-nocert", str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    return done.stdout + done.stderr


# --- the whole package, signed and sealed ---------------------------------------------------


def test_the_package_has_a_field_per_signatory(field_names, addendum, tmp_path):
    assert len(field_names) == 16
    assert field_names[:2] == ["handtekening-soo-almere-poort", "handtekening-minister-ocw"]
    (tmp_path / "addendum.pdf").write_bytes(addendum)
    in_addendum = [f.field for f in read_signatures(tmp_path / "addendum.pdf").fields]
    assert in_addendum == [
        "handtekening-minister-ocw",
        "handtekening-minister-pvo",
        "handtekening-gemeente-almere",
        "handtekening-asg-po",
        "handtekening-windesheim-almere",
    ]
    # The fields the comparison expects are those the build made, act by act.
    loaded = load_content(REPO / "content", ["almere"], project=find_project(REPO))
    (dossier,) = loaded.dossiers
    acts = {a.stem: a.id for a in signing_acts(dossier)}
    assert sorted(acts) == [ADDENDUM, ACCESSION]
    for stem, names in ((ACCESSION, field_names), (ADDENDUM, in_addendum)):
        expected = expected_signatories(dossier, acts=[acts[stem]])
        assert [e.field for e in expected] == names
        assert {e.package for e in expected} == {stem}


def test_every_field_signed_and_valid_as_b_t(signed, root_pem, field_names):
    report = read_signatures(signed, trust=[_load(root_pem)])
    assert [f.field for f in report.fields] == field_names
    assert {f.verdict for f in report.fields} == {Verdict.VALID}
    assert {f.level for f in report.fields} == {Level.B_T}
    assert {f.trust for f in report.fields} == {Trust.TRUSTED}
    last = report.fields[-1]
    assert last.coverage is Coverage.ENTIRE_FILE and last.changes is Changes.NONE
    first = next(f for f in report.fields if f.revision == 2)
    assert first.coverage is Coverage.ENTIRE_REVISION
    assert first.changes is Changes.FORM_FILLING
    assert (first.revision, first.revisions) == (2, 17)
    assert first.timestamp is not None and first.timestamp_valid
    # The field is on its signatory's line: each certificate's name is the field's party's.
    asg = next(f for f in report.fields if f.field == "handtekening-asg-po")
    assert asg.signer.common_name == "S. Olivier"
    assert not report.failed and report.uncovered_bytes == 0


def test_sealed_package_is_b_lta_and_still_pdfa(sealed, root_pem, capsys):
    code, out, err = run(["signatures", str(sealed), "--trust", str(root_pem)], capsys)
    assert code == 0, out
    assert out.count("PAdES level: PAdES B-LTA") == 16
    assert out.count(": VALID") == 16 + 1  # the fields and the document timestamp
    assert "validation data and document timestamps only (allowed)" in out
    assert "every signature is intact" in out
    assert err == ""
    assert pdfa_problems(sealed.read_bytes()) == []


def test_pdfsig_agrees_the_sealed_signatures_are_valid(sealed):
    text = pdfsig(sealed)
    assert text.count("Signature Validation: Signature is Valid.") == 16
    # poppler cannot judge a document timestamp (ETSI.RFC3161): it says so, nothing worse.
    assert "Unable to validate this type of signature" in text
    assert "Digest Mismatch" not in text and "Invalid" not in text


def test_sealing_twice_renews_the_timestamp_chain(one_sealed, pki, root_pem, tmp_path):
    twice = seal(one_sealed, tmp_path / "twee.pdf", tsa_url=pki.tsa_url, trust=[_load(root_pem)])
    assert len(twice.report.timestamps) == 2
    assert [f.level for f in twice.report.fields if f.signed] == [Level.B_LTA]
    assert pdfa_problems(twice.path.read_bytes()) == []


def test_seal_in_place_only_when_asked(one_signed, pki, root_pem, tmp_path, capsys):
    signed = one_signed
    copy = tmp_path / "kopie.pdf"
    copy.write_bytes(signed.read_bytes())
    argv = ["seal", str(copy), "--tsa", pki.tsa_url, "--trust", str(root_pem)]
    code, _, err = run([*argv, "--out", str(copy)], capsys)
    assert code == 2 and "use --in-place" in err
    assert copy.read_bytes() == signed.read_bytes()
    assert run([*argv, "--in-place"], capsys)[0] == 0
    assert copy.read_bytes().startswith(signed.read_bytes())  # incremental: appended to
    assert [p.name for p in tmp_path.iterdir()] == ["kopie.pdf"]  # no temporary file left


def test_seal_refuses_an_unreachable_tsa_and_leaves_nothing(one_signed, root_pem, tmp_path, capsys):
    out = tmp_path / "uit.pdf"
    argv = ["seal", str(one_signed), "--out", str(out), "--tsa", "http://127.0.0.1:9/tsa"]
    code, stdout, err = run([*argv, "--trust", str(root_pem), "--timeout", "2"], capsys)
    assert code == 1
    assert err.startswith("convenantgen: error: ") and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_seal_offline_with_revocation_files(one_signed, one_sealed, pki, root_pem, tmp_path):
    # The OCSP responses and CRLs of a sealed copy, given as files: no fetching needed.
    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(one_sealed.read_bytes())))
    argv = ["seal", str(one_signed), "--out", str(tmp_path / "uit.pdf"), "--tsa", pki.tsa_url]
    argv += ["--trust", str(root_pem), "--no-fetch"]
    assert main(argv) == 1  # nothing to go on: refused with the reason
    assert not (tmp_path / "uit.pdf").exists()
    for n, ref in enumerate(dss.ocsps):
        (tmp_path / f"{n}.ocsp").write_bytes(ref.get_object().data)
        argv += ["--ocsp", str(tmp_path / f"{n}.ocsp")]
    for n, ref in enumerate(dss.crls):
        (tmp_path / f"{n}.crl").write_bytes(ref.get_object().data)
        argv += ["--crl", str(tmp_path / f"{n}.crl")]
    assert dss.ocsps and dss.crls
    assert main(argv) == 0
    report = read_signatures(tmp_path / "uit.pdf", trust=[_load(root_pem)])
    assert [f.level for f in report.fields if f.signed] == [Level.B_LTA]


# --- tampering ------------------------------------------------------------------------------


def _overlay_page_one(data: bytes) -> bytes:
    """An incremental update that paints a white box over page 1 after signing."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    box = generic.StreamObject(stream_data=b"q 1 1 1 rg 0 0 600 850 re f Q")
    writer.add_stream_to_page(0, writer.add_object(box))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_page_overlaid_after_signing_is_refused(sealed, root_pem, tmp_path, capsys):
    tampered = tmp_path / "overschilderd.pdf"
    tampered.write_bytes(_overlay_page_one(sealed.read_bytes()))
    code, out, _ = run(["signatures", str(tampered), "--trust", str(root_pem)], capsys)
    assert code == 1
    assert "NOT ALLOWED: content or structure beyond signing and form filling" in out
    assert "revision 21 of 21: page 1 changed; " in out
    # Every field and the document timestamp are refused, each naming the revision (in the
    # summary, and in the timestamp's own lines).
    assert out.count("changes after signing: NOT ALLOWED") == 16
    assert out.count("beyond signing and form filling (revision 21 of 21)") == 16 + 2
    assert "REFUSED: 17 problem(s)" in out


def test_sealing_a_tampered_package_is_refused(one_signed, pki, root_pem, tmp_path):
    tampered = tmp_path / "overschilderd.pdf"
    tampered.write_bytes(_overlay_page_one(one_signed.read_bytes()))
    report = read_signatures(tampered, trust=[_load(root_pem)])
    assert [(f.verdict, f.changes) for f in report.fields if f.signed] == [
        (Verdict.INVALID, Changes.OTHER)
    ]
    with pytest.raises(SealError, match="its signatures fail"):
        seal(tampered, tmp_path / "uit.pdf", tsa_url=pki.tsa_url, trust=[_load(root_pem)])
    assert not (tmp_path / "uit.pdf").exists()


def test_bytes_appended_are_reported(one_sealed, root_pem, tmp_path, capsys):
    tampered = tmp_path / "aangevuld.pdf"
    tampered.write_bytes(one_sealed.read_bytes() + b"\nBijlage: niet ondertekend\n")
    code, out, _ = run(["signatures", str(tampered), "--trust", str(root_pem)], capsys)
    assert code == 1
    assert "UNCOVERED: 25 byte(s) after the last revision, covered by no signature" in out
    assert "VALID" in out and "INVALID" not in out  # the signatures themselves still hold


def test_one_byte_changed_in_the_signed_range(one_signed, root_pem, tmp_path, capsys):
    data = bytearray(one_signed.read_bytes())
    at = data.index(b"Ondertekenpakket")
    data[at] = ord("X")
    tampered = tmp_path / "gewijzigd.pdf"
    tampered.write_bytes(bytes(data))
    code, out, _ = run(["signatures", str(tampered), "--trust", str(root_pem)], capsys)
    assert code == 1
    assert out.count("integrity: BROKEN: the signed bytes were changed") == 1
    assert "Digest Mismatch" in pdfsig(tampered)


def test_a_damaged_signature_is_invalid_not_a_crash(one_signed, tmp_path, capsys):
    data = one_signed.read_bytes()
    byte_range = data.index(b"/ByteRange [0 ")
    at = data.rindex(b"/Contents <", 0, byte_range) + len(b"/Contents <")
    damaged = tmp_path / "beschadigd.pdf"
    damaged.write_bytes(data[:at] + b"0000" + data[at + 4 :])  # the CMS object's first bytes
    code, out, err = run(["signatures", str(damaged)], capsys)
    assert code == 1 and err == ""
    assert "handtekening-minister-ocw (page 2): INVALID" in out
    assert "the signature cannot be validated: " in out


def test_the_wrong_partys_certificate_is_named(addendum, pki, tmp_path, capsys):
    wrong = sign_all(
        addendum,
        ["handtekening-minister-ocw"],
        pki,
        cert_for={"handtekening-minister-ocw": "asg-po"},
    )
    path = tmp_path / f"{ADDENDUM}.pdf"
    path.write_bytes(wrong)
    code, out, _ = dossier_check(path, capsys)
    assert code == 1
    assert "dossier 'almere', act 'addendum-2024' (agreement): package " in out
    assert (
        "mismatch: handtekening-minister-ocw: signed by 'S. Olivier', but addendum-2024 is to be "
        "signed by 'R. Dijkgraaf' for De Minister van Onderwijs, Cultuur en Wetenschap"
    ) in out
    assert (
        "mismatch: handtekening-minister-ocw: the certificate is of 'Almeerse Scholen Groep "
        "(ASG - PO)', but the field is De Minister van Onderwijs, Cultuur en Wetenschap's "
        "(minister-ocw)"
    ) in out
    # The records say the Minister signed the 2024 addendum; the other fields are still open.
    assert "mismatch: handtekening-minister-pvo: not signed, but the records say" in out
    # Only the addendum's signatories: the consents are another package's.
    assert "handtekening-eduvier" not in out and "toetreding" not in out


def test_the_dossier_dates_are_those_of_the_act_of_each_field(
    package, addendum, pki, tmp_path, capsys
):
    # The Minister signs twice, in two packages, each a field handtekening-minister-ocw: the
    # 2024 addendum, and a consent to the 2025 accession. Each file's name says its act.
    name = "handtekening-minister-ocw"
    found = {}
    for stem, data in ((ADDENDUM, addendum), (ACCESSION, package)):
        signed = tmp_path / f"{stem}.pdf"
        signed.write_bytes(sign_all(data, [name], pki))
        code, out, _ = dossier_check(signed, capsys)
        assert code == 1  # signed today, not on the recorded dates
        lines = [line for line in out.splitlines() if line.startswith("mismatch: ")]
        assert not [line for line in lines if "signed by '" in line]  # the signer is right
        found[stem] = [line for line in lines if line.startswith(f"mismatch: {name}: signed on")]
    assert len(found[ADDENDUM]) == 1
    assert found[ADDENDUM][0].endswith("but the records say 2024-07-01 (addendum-2024)")
    accession = found[ACCESSION]
    assert len(accession) == 2
    assert accession[0].endswith(
        "but the records say 2025-05-26 (toetreding-soo-almere-poort-2025)"
    )
    assert accession[1].endswith(
        "after 2025-08-01, the latest date of toetreding-soo-almere-poort-2025"
    )
    # Named otherwise, the act is given: the accession's file judged as the addendum.
    other = tmp_path / "ondertekend.pdf"
    other.write_bytes((tmp_path / f"{ACCESSION}.pdf").read_bytes())
    code, out, err = dossier_check(other, capsys)
    assert code == 2 and out == ""
    assert f"its packages: {ADDENDUM}.pdf, {ACCESSION}.pdf; name the act with --act ID" in err
    code, out, _ = dossier_check(other, capsys, "--act", "addendum-2024")
    assert code == 1
    assert f"mismatch: {name}: signed on" in out and "(addendum-2024)" in out
    assert "mismatch: handtekening-soo-almere-poort: no signatory has this field" in out


def test_a_field_left_unsigned(addendum, pki, tmp_path, capsys):
    # The school boards' representative signs the addendum, Windesheim's does not.
    missing = "handtekening-windesheim-almere"
    path = tmp_path / f"{ADDENDUM}.pdf"
    path.write_bytes(sign_all(addendum, ["handtekening-asg-po"], pki))
    code, out, _ = run(["signatures", str(path)], capsys)
    assert code == 0  # unsigned is not broken: the package may still be going round
    assert f"{missing} (page 10): not signed" in out
    assert "1 of 5 signature field(s) signed" in out
    code, out, _ = dossier_check(path, capsys)
    assert code == 1
    assert (
        f"mismatch: {missing}: not signed, but the records say H. Moukaddim (Hogeschool "
        "Windesheim Almere) signed addendum-2024 on 2024-07-08"
    ) in out
    fields = read_signatures(path).fields
    assert next(f for f in fields if f.field == missing).verdict is Verdict.UNSIGNED


def test_a_certificate_expired_at_signing_time(package, pki, root_pem, tmp_path, capsys):
    path = tmp_path / "verlopen.pdf"
    name = "handtekening-minister-ocw"
    path.write_bytes(sign_all(package, [name], pki, cert_for={name: "minister-ocw-expired"}))
    code, out, _ = run(["signatures", str(path), "--trust", str(root_pem)], capsys)
    assert code == 1
    assert "certificate: expired at signing time (valid until 2021-01-01 00:00:00 UTC" in out
    field = next(f for f in read_signatures(path).fields if f.field == name)
    assert field.trust is Trust.EXPIRED and field.intact  # intact, but not a valid signature
    # Without trust roots it is still expired: that needs no root.
    assert run(["signatures", str(path)], capsys)[0] == 1


def test_untrusted_without_roots_is_said_plainly(one_signed, capsys):
    code, out, _ = run(["signatures", str(one_signed)], capsys)
    assert code == 0
    assert out.count("certificate: unknown issuer (no trust roots given)") == 1
    assert "trust not judged: no trust roots given (--trust CERT)" in out


def test_another_root_is_not_trusted(one_signed, tmp_path, capsys):
    other = tmp_path / "ander.pem"
    other.write_bytes(pem.armor("CERTIFICATE", self_signed("Iemand Anders").signing_cert.dump()))
    code, out, _ = run(["signatures", str(one_signed), "--trust", str(other)], capsys)
    assert code == 1
    assert "certificate not trusted: unknown issuer (none of the roots given" in out


def test_no_traceback_reaches_the_terminal(one_signed, tmp_path):
    tampered = tmp_path / "overschilderd.pdf"
    tampered.write_bytes(_overlay_page_one(one_signed.read_bytes()))
    code = "import sys; from convenantgen.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", code, "signatures", str(tampered)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == ""
    assert "Traceback" not in done.stdout and "REFUSED" in done.stdout
    verbose = subprocess.run(
        [sys.executable, "-c", code, "signatures", str(tampered), "--verbose"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "details (pyHanko's log):" in verbose.stdout and verbose.stderr == ""


# --- PDF/A after a visible stamp ------------------------------------------------------------


def test_pyhankos_default_stamp_breaks_pdfa_and_ours_keeps_it(package, pki):
    assert pdfa_problems(package) == []
    out = io.BytesIO()
    signers.PdfSigner(
        signers.PdfSignatureMetadata(
            field_name="handtekening-minister-ocw", subfilter=fields.SigSeedSubFilter.PADES
        ),
        signer=pki.signer("minister-ocw"),
    ).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(package), strict=False), output=out)
    assert "font /Courier is not embedded" in pdfa_problems(out.getvalue())
    ours = sign_field(package, "handtekening-minister-ocw", pki.signer("minister-ocw"))
    assert pdfa_problems(ours) == []


def _load(path: Path) -> x509.Certificate:
    return x509.Certificate.load(path.read_bytes())
