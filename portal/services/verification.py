"""Public verification of a signed plan: by its code, or by the file someone holds.

Only what proves the document is told: that it is a signed plan, its version, when it was
signed, and the signer's profession and unit. Never a name, an identity number or a plan
number.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from portal import db
from portal.documents.keys import signing_material
from portal.documents.signatures import Finding, check_pdf
from portal.models import PlanVersion
from portal.rules.vocabulary import Profession, VersionStatus


@dataclass(frozen=True)
class SignedDocument:
    version_number: int
    signed_at: datetime
    profession: Profession
    unit: str
    newer_version_signed: bool


@dataclass(frozen=True)
class UploadVerdict:
    finding: Finding
    document: SignedDocument | None  # the stored version this file is exactly, if any

    @property
    def genuine(self) -> bool:
        return self.finding is Finding.VALID and self.document is not None


def _describe(version: PlanVersion) -> SignedDocument:
    assert version.signed_by is not None and version.signed_at is not None
    newer = db.session().scalar(
        sa.select(sa.func.count())
        .select_from(PlanVersion)
        .where(
            PlanVersion.plan_id == version.plan_id,
            PlanVersion.number > version.number,
            PlanVersion.status == VersionStatus.SIGNED,
        )
    )
    return SignedDocument(
        version_number=version.number,
        signed_at=version.signed_at,
        profession=version.signed_by.profession,
        unit=version.signed_by.unit.name,
        newer_version_signed=bool(newer),
    )


def _signed(condition: sa.ColumnElement[bool]) -> PlanVersion | None:
    return db.session().scalar(
        sa.select(PlanVersion).where(condition, PlanVersion.status == VersionStatus.SIGNED)
    )


def by_code(code: str) -> SignedDocument | None:
    version = _signed(PlanVersion.verification_code == code) if code else None
    return _describe(version) if version else None


def by_file(data: bytes) -> UploadVerdict:
    check = check_pdf(data, signing_material(current_app.config).trust_roots)
    version = _signed(PlanVersion.pdf_sha256 == hashlib.sha256(data).hexdigest())
    return UploadVerdict(check.finding, _describe(version) if version else None)
