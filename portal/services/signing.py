"""Signing a plan version: freeze it, render it, apply the organisation's PAdES signature.

All or nothing: the PDF is rendered and signed before anything is written, and the version,
its PDF and the audit event are committed in one transaction. Two people signing at once
produce one signed version: the version row's optimistic lock lets only the first through.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.documents.content import (
    PlanContent,
    content_hash,
    coordinator_at,
    person,
    plan_content,
    preview_digest,
)
from portal.documents.keys import signing_material
from portal.documents.render import render_plan
from portal.documents.signatures import sign_pdf
from portal.models import Account, Plan, PlanVersion, Staff
from portal.models.audit_types import EventType
from portal.rules.participation import active_assignment
from portal.rules.signing import (
    SigningFacts,
    SigningProblem,
    preview_problem,
    signing_problems,
)
from portal.rules.vocabulary import VersionStatus
from portal.services import audit, reads
from portal.services.notifications import notify_individual_side
from portal.services.shown import PlanParts, VersionListed
from portal.timeutil import now

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U


class SigningRefusedError(Exception):
    def __init__(self, problems: list[SigningProblem]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


def new_verification_code() -> str:
    """Ten characters (50 bits) grouped for reading aloud: 7K2M-Q9XD-4T."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(typed: str) -> str:
    """What a person typed or a QR code carried, in the stored form ('' if it cannot be one)."""
    raw = typed.upper().translate(str.maketrans("OIL", "011", " -–"))
    if len(raw) != 10 or any(c not in CODE_ALPHABET for c in raw):
        return ""
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def signing_facts(version: PlanVersion | VersionListed, plan: Plan | PlanParts) -> SigningFacts:
    """What signing's rules ask of `version`, with its `plan`'s versions and coordinators."""
    coordinator = active_assignment(plan.coordinator_assignments)  # the one who signs [003]
    return SigningFacts(
        status=version.status,
        is_newest=version.number == max(v.number for v in plan.versions),
        plan_state=plan.state,
        coordinator_id=coordinator.staff_id if coordinator else None,
        goal_count=version.goal_count,
        has_follow_up=version.follow_up_on is not None,
    )


@dataclass(frozen=True)
class VersionRow:
    version: PlanVersion | VersionListed
    problems: list[SigningProblem]  # what stands in the way of this staff member signing it

    @property
    def may_sign(self) -> bool:
        return not self.problems


def signing_overview(plan: Plan | PlanParts, staff: Staff | None) -> list[VersionRow]:
    """The plan's versions, newest first, each with what keeps `staff` from signing it (the
    staff plan page: its `PlanParts`, portal.services.staff_plan_view)."""
    return [
        VersionRow(v, signing_problems(staff.id if staff else None, signing_facts(v, plan)))
        for v in reversed(plan.versions)
    ]


@dataclass(frozen=True)
class SigningPreview:
    """What signing would seal now, and the digest the confirmation must carry back."""

    content: PlanContent
    digest: str


def signing_preview(version: PlanVersion, *, by: Account) -> SigningPreview:
    """The document `by` would sign now, from the stored rows, as `_seal` builds it (a read of
    the individual's plan, audited)."""
    assert by.staff is not None
    content = plan_content(version, coordinator=by.staff, at=now())
    reads.read(
        type=EventType.PLAN_SIGN_PREVIEW,
        by=by,
        subject_individual_id=version.plan.individual_id,
        object_type="plan_version",
        object_id=version.id,
    )
    return SigningPreview(content, preview_digest(content))


def draft_preview(version: PlanVersion) -> bytes:
    """The PDF as it would be signed, marked as a draft and without a signature."""
    content = plan_content(version, coordinator=coordinator_at(version.plan, None), at=now())
    return render_plan(content, locale=version.plan.individual.language)


def signed_content(version: PlanVersion) -> PlanContent:
    assert version.signed_at is not None
    return plan_content(version, coordinator=version.signed_by, at=version.signed_at)


def _seal(version: PlanVersion, staff: Staff, when: datetime, previewed: str | None = None) -> None:
    """Render and sign first; only then write the version's fields (nothing half-done).

    With `previewed`, the content must still be what the signer was shown (else refused)."""
    content = plan_content(version, coordinator=staff, at=when)
    if previewed is not None and (problem := preview_problem(previewed, preview_digest(content))):
        raise SigningRefusedError([problem])
    code = new_verification_code()
    pdf = sign_pdf(
        render_plan(
            content,
            locale=version.plan.individual.language,
            signer=person(staff),
            signed_at=when,
            code=code,
        ),
        signing_material(current_app.config),
        reason=f"Samordnad individuell plan {content.plan_number}, version {version.number}",
        location=staff.unit.name,
    )
    version.content_hash = content_hash(content)
    version.pdf = pdf
    version.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    version.verification_code = code
    version.signed_at = when
    version.signed_by = staff
    version.status = VersionStatus.SIGNED


def sign_version(*, version: PlanVersion, by: Account, previewed: str) -> PlanVersion:
    """Sign what the coordinator previewed and confirmed (`previewed`: the preview's digest)."""
    staff = by.staff
    problems = signing_problems(staff.id if staff else None, signing_facts(version, version.plan))
    if not problems and not previewed:
        problems = [SigningProblem.NOT_PREVIEWED]
    if problems:
        raise SigningRefusedError(problems)
    assert staff is not None  # the coordinator is a staff member
    session = db.session()
    try:
        _seal(version, staff, now(), previewed)
        audit.record(
            session,
            type=EventType.PLAN_SIGN,
            by=by,
            subject_individual_id=version.plan.individual_id,
            object_type="plan_version",
            object_id=version.id,
            detail=f"version={version.number} sha256={version.pdf_sha256}",
        )
        notify_individual_side(version.plan, "plan.signed")
        session.commit()
    except StaleDataError as error:
        session.rollback()
        raise SigningRefusedError([SigningProblem.ALREADY_SIGNED]) from error
    except BaseException:
        session.rollback()
        raise
    return version


def sign_demo_versions(
    session: Session, signed: list[tuple[PlanVersion, Staff, datetime]], *, with_pdf: bool
) -> None:
    """Demo data: sign the versions the stories signed, the way signing does.

    Everything is stored and read back first, so each document is built from what the
    database holds (never from objects not yet flushed), through the same `_seal`. Tests
    that do not need the PDFs skip the rendering: the versions are then marked signed only.
    """
    session.flush()
    session.expire_all()
    for version, staff, when in sorted(signed, key=lambda item: item[2]):
        assert version.status is VersionStatus.DRAFT  # stored unsigned; loads the row again
        if with_pdf:
            _seal(version, staff, when)
        else:
            version.signed_by, version.signed_at = staff, when
            version.status = VersionStatus.SIGNED
        session.flush()
