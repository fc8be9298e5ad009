"""The organisation's signing key and the roots that verification trusts.

Production configures a PKCS#12 file (SIGNING_PKCS12 + SIGNING_PASSPHRASE) or a PEM key and
certificate (SIGNING_KEY + SIGNING_CERT), and the trust roots (SIGNING_TRUST_ROOTS). With
DEV_SIGNING_KEY (demo and tests) a self-signed EC P-256 key is made on first use under
instance/signing/ and is its own trust root.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_cert_from_pemder
from pyhanko.sign import signers

DEV_NAME = "SIP Portal utvecklingsnyckel (inte för riktiga planer)"
_cache: dict[tuple[Any, ...], SigningMaterial] = {}
_lock = threading.Lock()


class SigningNotConfiguredError(RuntimeError):
    """No signing key is configured (and development keys are off)."""


@dataclass(frozen=True)
class SigningMaterial:
    signer: signers.SimpleSigner
    trust_roots: tuple[asn1_x509.Certificate, ...]


def _write_dev_key(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SIP Portal (utveckling)"),
            x509.NameAttribute(NameOID.COMMON_NAME, DEV_NAME),
        ]
    )
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path = folder / "signing-key.pem"
    from portal.private_files import write_private

    key_path.unlink(missing_ok=True)
    write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    (folder / "signing-cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _load(config: dict[str, Any]) -> SigningMaterial:
    passphrase = (config.get("SIGNING_PASSPHRASE") or "").encode() or None
    if config.get("SIGNING_PKCS12"):
        signer = signers.SimpleSigner.load_pkcs12(config["SIGNING_PKCS12"], passphrase=passphrase)
    elif config.get("SIGNING_KEY") and config.get("SIGNING_CERT"):
        signer = signers.SimpleSigner.load(
            config["SIGNING_KEY"], config["SIGNING_CERT"], key_passphrase=passphrase
        )
    elif config.get("DEV_SIGNING_KEY"):
        folder = Path(config["INSTANCE_DIR"]) / "signing"
        if not (folder / "signing-cert.pem").exists():
            _write_dev_key(folder)
        signer = signers.SimpleSigner.load(
            str(folder / "signing-key.pem"), str(folder / "signing-cert.pem")
        )
    else:
        raise SigningNotConfiguredError("Set SIGNING_PKCS12 or SIGNING_KEY and SIGNING_CERT.")
    if signer is None:
        raise SigningNotConfiguredError("The signing key could not be read.")
    roots_setting = config.get("SIGNING_TRUST_ROOTS")
    roots = (
        tuple(load_cert_from_pemder(path) for path in roots_setting.split(":") if path)
        if roots_setting
        else (signer.signing_cert,)
    )
    return SigningMaterial(signer=signer, trust_roots=roots)


def signing_material(config: dict[str, Any]) -> SigningMaterial:
    """Loaded once per process and configuration (the key files are read at first use)."""
    cache_key = tuple(
        str(config.get(name))
        for name in (
            "SIGNING_PKCS12",
            "SIGNING_KEY",
            "SIGNING_CERT",
            "SIGNING_TRUST_ROOTS",
            "DEV_SIGNING_KEY",
            "INSTANCE_DIR",
        )
    )
    with _lock:
        if cache_key not in _cache:
            _cache[cache_key] = _load(config)
        return _cache[cache_key]
