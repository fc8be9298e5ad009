"""The demo plan that tests of the signed plan use: Gunnel's draft version 2, Fatima signs it."""

from __future__ import annotations

import io

import sqlalchemy as sa
from pypdf import PdfReader
from sqlalchemy.orm import Session

from portal.models import Account, Individual, Plan, PlanVersion, Staff


def gunnel_version(db: Session, number: int = 2) -> PlanVersion:
    return db.scalar(
        sa.select(PlanVersion)
        .join(Plan)
        .join(Individual)
        .where(Individual.given_name == "Gunnel", PlanVersion.number == number)
    )


def staff_account(db: Session, given_name: str) -> Account:
    return db.scalar(sa.select(Account).join(Staff).where(Staff.given_name == given_name))


def pdf_text(data: bytes) -> str:
    """All pages' text, with line breaks inside table cells joined to spaces."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def flip_one_byte(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def sign_as_previewed(version: PlanVersion, by: Account) -> PlanVersion:
    """Sign as the coordinator does: preview first, then confirm with the preview's digest."""
    from portal.services.signing import sign_version, signing_preview

    digest = signing_preview(version, by=by).digest if by.staff else "none"
    return sign_version(version=version, by=by, previewed=digest)
