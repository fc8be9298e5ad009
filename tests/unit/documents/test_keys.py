"""The signing key as production configures it (PKCS#12, or PEM key and certificate), and the
development key made on first use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import weasyprint
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from portal.documents.keys import signing_material
from portal.documents.signatures import Finding, check_pdf, sign_pdf


def _issue(folder: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate, Path]:
    """A root (written as the trust root) and a signing certificate issued by it."""
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Region Norrsund rot-CA")])
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Region Norrsund SIP")]))
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    root_path = folder / "root.pem"
    root_path.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    return key, cert, root_path


def _pdf() -> bytes:
    return weasyprint.HTML(string="<html lang=sv><title>Plan</title><p>Plan</p></html>").write_pdf()


def test_pkcs12_key_signs_and_the_configured_root_trusts_it(tmp_path: Path) -> None:
    key, cert, root = _issue(tmp_path)
    bundle = tmp_path / "region.p12"
    bundle.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"sip", key, cert, None, serialization.BestAvailableEncryption(b"hemligt")
        )
    )
    material = signing_material(
        {
            "SIGNING_PKCS12": str(bundle),
            "SIGNING_PASSPHRASE": "hemligt",
            "SIGNING_TRUST_ROOTS": str(root),
        }
    )
    signed = sign_pdf(_pdf(), material, reason="test", location="test")
    assert check_pdf(signed, material.trust_roots).finding is Finding.VALID
    assert "Region Norrsund SIP" in check_pdf(signed, material.trust_roots).signer


def test_pem_key_and_certificate(tmp_path: Path) -> None:
    key, cert, root = _issue(tmp_path)
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    material = signing_material(
        {
            "SIGNING_KEY": str(tmp_path / "key.pem"),
            "SIGNING_CERT": str(tmp_path / "cert.pem"),
            "SIGNING_TRUST_ROOTS": str(root),
        }
    )
    signed = sign_pdf(_pdf(), material, reason="test", location="test")
    assert check_pdf(signed, material.trust_roots).finding is Finding.VALID


def test_development_key_is_made_once_under_instance(tmp_path: Path) -> None:
    first = signing_material({"DEV_SIGNING_KEY": True, "INSTANCE_DIR": tmp_path})
    key_file = tmp_path / "signing" / "signing-key.pem"
    assert key_file.exists() and oct(key_file.stat().st_mode)[-3:] == "600"
    made = key_file.read_bytes()
    signing_material.__globals__["_cache"].clear()  # a new worker process reads the same key
    again = signing_material({"DEV_SIGNING_KEY": True, "INSTANCE_DIR": tmp_path})
    assert key_file.read_bytes() == made
    assert again.signer.signing_cert.dump() == first.signer.signing_cert.dump()
