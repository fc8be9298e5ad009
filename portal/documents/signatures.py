"""PAdES signatures with pyHanko: sign a rendered plan, and check any PDF someone holds."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from portal.documents.keys import SigningMaterial

T = TypeVar("T")
FIELD = "SIP-underskrift"
# An organisation's e-seal certificate may carry either usage; a personal one non-repudiation.
SEAL_KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)


class Finding(StrEnum):
    VALID = "valid"  # intact, trusted, and nothing added after signing
    UNTRUSTED = "untrusted"  # intact, but not signed by a key we trust
    CHANGED = "changed"  # the signed bytes were altered, or content was added after signing
    UNSIGNED = "unsigned"  # a readable PDF without a signature
    NOT_A_PDF = "not_a_pdf"


@dataclass(frozen=True)
class SignatureCheck:
    finding: Finding
    signer: str = ""

    @property
    def valid(self) -> bool:
        return self.finding is Finding.VALID


def _outside_event_loop(call: Callable[[], T]) -> T:
    """pyHanko's sync API runs its own event loop; under a running one, use a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def sign_pdf(pdf: bytes, material: SigningMaterial, *, reason: str, location: str) -> bytes:
    """Apply a PAdES baseline signature (B-B) to the whole document."""
    return _outside_event_loop(lambda: _sign(pdf, material, reason=reason, location=location))


def _sign(pdf: bytes, material: SigningMaterial, *, reason: str, location: str) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    output = signers.sign_pdf(writer, metadata, signer=material.signer)
    return output.getvalue()


def check_pdf(data: bytes, trust_roots: tuple) -> SignatureCheck:
    """What a holder of this file may rely on."""
    return _outside_event_loop(lambda: _check(data, trust_roots))


def _check(data: bytes, trust_roots: tuple) -> SignatureCheck:
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        return SignatureCheck(Finding.NOT_A_PDF)
    was_signed = b"/ByteRange" in data
    try:
        embedded = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
        if not embedded:
            return SignatureCheck(Finding.CHANGED if was_signed else Finding.UNSIGNED)
        status = validate_pdf_signature(
            embedded[-1],
            ValidationContext(trust_roots=list(trust_roots), allow_fetching=False),
            key_usage_settings=SEAL_KEY_USAGE,
        )
    except Exception:  # any damage to a file's structure or signature: it is not as signed
        return SignatureCheck(Finding.CHANGED if was_signed else Finding.NOT_A_PDF)
    signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    if not (status.intact and status.valid):
        return SignatureCheck(Finding.CHANGED, signer)
    if status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureCheck(Finding.CHANGED, signer)
    if not status.trusted:
        return SignatureCheck(Finding.UNTRUSTED, signer)
    return SignatureCheck(Finding.VALID, signer)
