"""Signing: only the coordinator, all or nothing, once; the signature holds and tampering shows."""

from __future__ import annotations

import hashlib
import tempfile
import threading

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from portal import db as portal_db
from portal.documents.content import content_hash, preview_digest
from portal.documents.keys import signing_material
from portal.documents.signatures import Finding, check_pdf
from portal.models import AuditEvent, Goal, PlanVersion
from portal.models.guards import SignedVersionIsImmutableError
from portal.rules.signing import SigningProblem
from portal.rules.vocabulary import VersionStatus
from portal.services import signing
from portal.services.plan_versions import draft_for_changes
from portal.services.signing import (
    SigningRefusedError,
    signed_content,
    signing_facts,
)
from tests.conftest import Demo
from tests.support.plans import (
    flip_one_byte,
    gunnel_version,
    pdf_text,
    sign_as_previewed,
    staff_account,
)


def _signings(db: Session) -> int:
    return db.scalar(
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.type == "plan.sign")
    )


def test_the_coordinator_signs_and_the_signature_is_intact_and_trusted(
    app: Flask, db: Session, demo: Demo
) -> None:
    version = sign_as_previewed(gunnel_version(db), staff_account(db, "Fatima"))
    db.expire_all()
    version = gunnel_version(db)
    assert version.status is VersionStatus.SIGNED and version.signed_by.given_name == "Fatima"
    assert version.pdf_sha256 == hashlib.sha256(version.pdf).hexdigest()
    assert version.content_hash == content_hash(signed_content(version))
    check = check_pdf(version.pdf, signing_material(app.config).trust_roots)
    assert check.finding is Finding.VALID
    text = pdf_text(version.pdf)
    assert "Fatima Al-Hassan" in text and f"Kontrollkod {version.verification_code}" in text
    assert _signings(db) == 1


def test_one_flipped_byte_is_detected(app: Flask, db: Session, demo: Demo) -> None:
    version = sign_as_previewed(gunnel_version(db), staff_account(db, "Fatima"))
    roots = signing_material(app.config).trust_roots
    for at in (200, len(version.pdf) // 3, len(version.pdf) // 2):
        assert check_pdf(flip_one_byte(version.pdf, at), roots).finding is Finding.CHANGED


def test_another_organisations_key_is_not_trusted(app: Flask, db: Session, demo: Demo) -> None:
    version = sign_as_previewed(gunnel_version(db), staff_account(db, "Fatima"))
    stranger = signing_material({"DEV_SIGNING_KEY": True, "INSTANCE_DIR": tempfile.mkdtemp()})
    assert check_pdf(version.pdf, stranger.trust_roots).finding is Finding.UNTRUSTED


def test_only_the_appointed_coordinator_may_sign(app: Flask, db: Session, demo: Demo) -> None:
    for name in ("Eva", "Peter"):  # the convener, and a unit taking part
        with pytest.raises(SigningRefusedError) as refused:
            sign_as_previewed(gunnel_version(db), staff_account(db, name))
        assert refused.value.problems == [SigningProblem.NOT_COORDINATOR]
    assert gunnel_version(db).status is VersionStatus.DRAFT and _signings(db) == 0


def test_a_signed_version_is_frozen_and_earlier_ones_stay(
    app: Flask, db: Session, demo: Demo
) -> None:
    sign_as_previewed(gunnel_version(db), staff_account(db, "Fatima"))
    goal = db.scalar(sa.select(Goal).where(Goal.version_id == gunnel_version(db).id))
    goal.text = "Något annat"
    with pytest.raises(SignedVersionIsImmutableError):
        db.flush()
    db.rollback()
    with pytest.raises(SigningRefusedError) as refused:
        sign_as_previewed(gunnel_version(db), staff_account(db, "Fatima"))
    assert refused.value.problems == [SigningProblem.ALREADY_SIGNED]
    assert gunnel_version(db, 1).status is VersionStatus.SIGNED  # version 1 is still there


def test_a_failure_while_signing_leaves_the_draft_untouched(
    app: Flask, db: Session, demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_record(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    fatima = staff_account(db, "Fatima")
    digest = signing.signing_preview(gunnel_version(db), by=fatima).digest
    monkeypatch.setattr(signing.audit, "record", broken_record)  # fails after the PDF is made
    with pytest.raises(RuntimeError):
        signing.sign_version(version=gunnel_version(db), by=fatima, previewed=digest)
    db.expire_all()
    version = gunnel_version(db)
    assert version.status is VersionStatus.DRAFT
    assert version.pdf is None and version.verification_code is None and version.signed_at is None


def test_two_simultaneous_signings_give_one_signed_version(
    app: Flask, db: Session, demo: Demo
) -> None:
    version_id = gunnel_version(db).id
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        with app.app_context():
            session = portal_db.session()
            version = session.get(PlanVersion, version_id)
            fatima = staff_account(session, "Fatima")
            start.wait()
            try:
                sign_as_previewed(version, fatima)
                outcomes.append("signed")
            except SigningRefusedError as refused:
                outcomes.append(",".join(refused.problems))

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["already_signed", "signed"]
    db.expire_all()
    assert gunnel_version(db).status is VersionStatus.SIGNED and _signings(db) == 1


def test_a_later_change_is_a_new_draft_that_needs_a_new_signature(
    app: Flask, db: Session, demo: Demo
) -> None:
    fatima = staff_account(db, "Fatima")
    signed = sign_as_previewed(gunnel_version(db), fatima)
    signed_pdf = signed.pdf
    draft = draft_for_changes(plan=signed.plan, by=fatima, change_summary="Ny tid för hemtjänst")
    assert (draft.number, draft.status) == (3, VersionStatus.DRAFT)
    assert [g.text for g in draft.goals] == [g.text for g in signed.goals]
    assert draft.goals[0].interventions[1].what == "Hjälp morgon, lunch och kväll"
    assert draft_for_changes(plan=signed.plan, by=fatima) is draft  # one draft at a time
    draft.goals[0].interventions[1].frequency = "Tre gånger om dagen"
    db.commit()
    assert signing_facts(draft).status is VersionStatus.DRAFT
    sign_as_previewed(draft, fatima)
    db.expire_all()
    assert gunnel_version(db, 2).pdf == signed_pdf  # the earlier original is kept as it was
    assert gunnel_version(db, 3).status is VersionStatus.SIGNED


def test_the_signed_content_is_the_content_previewed(app: Flask, db: Session, demo: Demo) -> None:
    fatima = staff_account(db, "Fatima")
    preview = signing.signing_preview(gunnel_version(db), by=fatima)
    signed = signing.sign_version(version=gunnel_version(db), by=fatima, previewed=preview.digest)
    assert preview_digest(signing.signed_content(signed)) == preview.digest
    assert signed.content_hash == content_hash(signing.signed_content(signed))


def test_signing_without_a_preview_is_refused(app: Flask, db: Session, demo: Demo) -> None:
    with pytest.raises(SigningRefusedError) as refused:
        signing.sign_version(
            version=gunnel_version(db), by=staff_account(db, "Fatima"), previewed=""
        )
    assert refused.value.problems == [SigningProblem.NOT_PREVIEWED]
    assert gunnel_version(db).status is VersionStatus.DRAFT


def test_a_plan_changed_after_the_preview_is_not_signed(
    app: Flask, db: Session, demo: Demo
) -> None:
    fatima = staff_account(db, "Fatima")
    preview = signing.signing_preview(gunnel_version(db), by=fatima)
    gunnel_version(db).goals[0].text = "Ändrat efter förhandsgranskningen"
    db.commit()
    with pytest.raises(SigningRefusedError) as refused:
        signing.sign_version(version=gunnel_version(db), by=fatima, previewed=preview.digest)
    assert refused.value.problems == [SigningProblem.CHANGED_SINCE_PREVIEW]
    db.rollback()
    assert gunnel_version(db).status is VersionStatus.DRAFT
