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
from portal.services.audit_verify import verify
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


# Long enough for two renderings on a loaded 2-core CI machine; a wait that runs out is a failure
# that says so, never a half-read outcome or a thread left writing while the tables are emptied.
WAIT = 120


def test_two_simultaneous_signings_give_one_signed_version(
    app: Flask, db: Session, demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both coordinators' sessions have rendered and signed their PDFs before either writes,
    so the database, not the threads' start-up, decides which one is first. The other is told
    "already signed" by the version's optimistic lock; anything else is a failure shown."""
    version_id = gunnel_version(db).id
    both_sealed = threading.Barrier(2, timeout=WAIT)
    seal, through = signing._seal, threading.local()

    def seal_then_wait(*args: object, **kwargs: object) -> None:
        seal(*args, **kwargs)  # type: ignore[arg-type]
        both_sealed.wait()  # neither has written anything yet
        through.barrier = True

    monkeypatch.setattr(signing, "_seal", seal_then_wait)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            with app.app_context():
                session = portal_db.session()
                version = session.get(PlanVersion, version_id)
                sign_as_previewed(version, staff_account(session, "Fatima"))
                outcomes.append("signed")
        except SigningRefusedError as refused:
            outcomes.append(",".join(refused.problems))
        except Exception as error:  # shown in the assertion, not lost in a thread's warning
            outcomes.append(f"{type(error).__name__}: {error}")
        finally:
            if not getattr(through, "barrier", False):
                both_sealed.abort()  # stopped short of it: the other attempt stops waiting

    threads = [threading.Thread(target=attempt, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert not any(thread.is_alive() for thread in threads), f"still signing: {outcomes}"
    assert sorted(outcomes) == ["already_signed", "signed"]
    db.expire_all()
    assert gunnel_version(db).status is VersionStatus.SIGNED and _signings(db) == 1
    assert verify(db, full=True).intact


def test_a_signing_begun_before_another_signed_is_refused(
    app: Flask, db: Session, demo: Demo
) -> None:
    """The other order of two signings, without threads: one coordinator's session holds the
    draft and its preview while another session signs; the first one's signing is then told
    "already signed" by the optimistic lock, not by a fresh read."""
    version, fatima = gunnel_version(db), staff_account(db, "Fatima")
    digest = signing.signing_preview(version, by=fatima).digest
    with app.app_context():  # another request, its own session
        session = portal_db.session()
        sign_as_previewed(session.get(PlanVersion, version.id), staff_account(session, "Fatima"))
    assert version.status is VersionStatus.DRAFT  # as this session last read it
    with pytest.raises(SigningRefusedError) as refused:
        signing.sign_version(version=version, by=fatima, previewed=digest)
    assert refused.value.problems == [SigningProblem.ALREADY_SIGNED]
    db.expire_all()
    assert gunnel_version(db).status is VersionStatus.SIGNED and _signings(db) == 1
    assert verify(db, full=True).intact


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
    assert signing_facts(draft, draft.plan).status is VersionStatus.DRAFT
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
