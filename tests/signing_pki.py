"""A real test PKI on 127.0.0.1 for the signing tests: certomancer's configuration in
``tests/pki/certomancer.yml`` (root and intermediate CA, OCSP responder, CRL, time-stamping
authority, a certificate per Almere signatory), keys made here in a temporary folder, and
certomancer's Animator (a WSGI app) served by werkzeug in a thread on a free port.

:class:`TestPki` gives pyHanko signers and time-stampers for it; :func:`serve` is a context
manager that stops the server when the block ends.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import yaml
from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig, KeyLabel
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.sign import signers, timestamps
from pyhanko_certvalidator.registry import SimpleCertificateStore
from werkzeug.serving import make_server

CONFIG = Path(__file__).parent / "pki" / "certomancer.yml"
ARCH = ArchLabel("almere")


def make_keys(folder: Path) -> None:
    """An EC P-256 key per key of the configuration, in ``folder/keys``."""
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    keys = folder / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    for spec in config["keysets"]["testing"]["keys"].values():
        key = ec.generate_private_key(ec.SECP256R1())
        (keys / spec["path"]).write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )


class _Slot:
    """The WSGI app, set once the port (and so the URLs in the certificates) is known."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


class TestPki:
    """The PKI served at ``url``: certificates, signers and the time-stamping authority."""

    __test__ = False  # not a test class, for pytest

    def __init__(self, config: CertomancerConfig, url: str) -> None:
        self.arch = config.get_pki_arch(ARCH)
        self.url = url

    def cert(self, label: str):
        return self.arch.get_cert(CertLabel(label))

    @property
    def root(self):
        return self.cert("root")

    def signer(self, label: str, *, key: str | None = None) -> signers.SimpleSigner:
        """A signer with certificate ``label`` (and the key of ``key``, default its subject)."""
        cert = self.cert(label)
        subject = key or self.arch.get_cert_spec(CertLabel(label)).subject.value
        private = self.arch.key_set.get_private_key(KeyLabel(subject))
        return signers.SimpleSigner(
            signing_cert=cert,
            signing_key=private,
            cert_registry=SimpleCertificateStore.from_certs([cert, self.cert("interm")]),
        )

    @property
    def tsa_url(self) -> str:
        return f"{self.url}/almere/tsa/tsa"

    def timestamper(self) -> timestamps.HTTPTimeStamper:
        return timestamps.HTTPTimeStamper(self.tsa_url, timeout=10)


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[TestPki]:
    """The PKI of ``tests/pki`` with keys in ``folder``, served on 127.0.0.1 while in use."""
    make_keys(folder)
    # werkzeug logs every request on stderr; the tests judge the commands' own output.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    slot = _Slot()
    server = make_server("127.0.0.1", 0, slot, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    config = CertomancerConfig.from_file(
        str(CONFIG), key_search_dir=str(folder), external_url_prefix=url
    )
    slot.app = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield TestPki(config, url)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
