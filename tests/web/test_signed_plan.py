"""The signed plan over HTTP: the coordinator signs, the plan's people download, anyone verifies."""

from __future__ import annotations

import io
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.documents.content import preview_digest
from portal.models import Account, AuditEvent, Delegation, Individual, Plan, Relative
from portal.rules.vocabulary import AccountKind, DelegationKind, Scope, VersionStatus
from portal.services.signing import draft_preview, signed_content
from portal.timeutil import today_stockholm
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient
from tests.support.plans import flip_one_byte, gunnel_version, sign_as_previewed, staff_account

PERSONAL = ["Gunnel", "Ek ", "19381102", "SIP-2026-0004", "Fatima", "Al-Hassan", "Kyrkbacken"]


def _gunnel_plan_id(app: Flask) -> int:
    with app.app_context():
        return gunnel_version(db.session()).plan_id


def _signed(app: Flask) -> tuple[int, str, bytes]:
    """Fatima signs Gunnel's draft: (plan id, verification code, the signed PDF)."""
    with app.app_context():
        session = db.session()
        version = sign_as_previewed(gunnel_version(session), staff_account(session, "Fatima"))
        return version.plan_id, version.verification_code, version.pdf


def _upload(client: PageClient, data: bytes, name: str = "plan.pdf") -> object:
    client.get_page("/verify")
    return client.post_form(
        "/verify/file",
        {"document": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _confirmation(client: PageClient, plan_id: int) -> tuple[str, dict[str, str], object]:
    """From the plan page to the preview: the confirmation form's action and fields."""
    page = client.get_page(f"/staff/plans/{plan_id}")
    [link] = [a for a in page.all("a") if a.text.strip() == "Läs igenom och signera version 2"]
    preview = client.get_page(link.attrs["href"])
    form = next(f for f in preview.all("form") if f.attrs["action"].endswith("/sign"))
    fields = {"previewed": preview.one("input", name="previewed").attrs["value"]}
    return form.attrs["action"], fields, preview


def test_coordinator_reads_the_preview_and_confirms(signed_in, app: Flask, demo: Demo) -> None:
    plan_id = _gunnel_plan_id(app)
    client = signed_in("fatima")
    action, fields, preview = _confirmation(client, plan_id)
    assert preview.text_of("h1") == ["Läs igenom och signera version 2"]
    with app.app_context():
        version = gunnel_version(db.session())
        for goal in version.goals:  # the document itself, from the stored rows
            assert goal.text in preview.text
            for item in goal.interventions:
                assert item.what in preview.text and item.follow_up_by.name in preview.text
    response = client.post_form(action, {"previewed": fields["previewed"]})
    assert response.status_code == 303
    page = client.get_page(f"/staff/plans/{plan_id}")
    assert "Version 2 är signerad" in page.text
    assert "Läs igenom och signera version 2" not in page.text
    with app.app_context():
        signed = gunnel_version(db.session())
        assert signed.status is VersionStatus.SIGNED
        assert preview_digest(signed_content(signed)) == fields["previewed"]  # as previewed


def test_a_plan_changed_after_the_preview_is_not_signed(signed_in, app: Flask, demo: Demo) -> None:
    plan_id = _gunnel_plan_id(app)
    client = signed_in("fatima")
    action, fields, _preview = _confirmation(client, plan_id)
    with app.app_context():
        gunnel_version(db.session()).goals[0].text = "Ändrat av en kollega under tiden"
        db.session().commit()
    response = client.post_form(action, {"previewed": fields["previewed"]})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Planen har ändrats sedan du läste igenom den. Inget är signerat." in html
    assert "Ändrat av en kollega under tiden" in html  # the new content, to read again
    with app.app_context():
        assert gunnel_version(db.session()).status is VersionStatus.DRAFT


def test_signing_without_the_preview_is_refused(signed_in, app: Flask, demo: Demo) -> None:
    plan_id = _gunnel_plan_id(app)
    with app.app_context():
        version_id = gunnel_version(db.session()).id
    response = signed_in("fatima").post_form(f"/staff/plans/{plan_id}/versions/{version_id}/sign")
    assert response.status_code == 409
    assert "Läs igenom planen innan du signerar den." in response.get_data(as_text=True)
    with app.app_context():
        assert gunnel_version(db.session()).status is VersionStatus.DRAFT


def test_other_staff_see_who_signs_but_cannot(signed_in, app: Flask, demo: Demo) -> None:
    plan_id = _gunnel_plan_id(app)
    client = signed_in("eva")
    page = client.get_page(f"/staff/plans/{plan_id}")
    assert "Samordningsansvarig signerar planen." in page.text
    assert "signera version 2" not in page.text
    with app.app_context():
        version_id = gunnel_version(db.session()).id
    assert client.get(f"/staff/plans/{plan_id}/versions/{version_id}/sign").status_code == 403
    assert client.post_form(f"/staff/plans/{plan_id}/versions/{version_id}/sign").status_code == 403


def test_representative_downloads_the_original_and_it_is_audited(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, _code, pdf = _signed(app)
    client = signed_in("per")
    page = client.get_page(f"/me/plans/{plan_id}")
    assert "Ladda ner version 2 (PDF)" in page.text
    response = client.get(f"/me/plans/{plan_id}/versions/2/plan.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == pdf
    assert "attachment" in response.headers["Content-Disposition"]
    with app.app_context():
        event = db.session().scalar(sa.select(AuditEvent).where(AuditEvent.type == "plan_pdf.read"))
        assert event.actor_name == "Per Andersson" and event.on_behalf_of_individual_id
    log = client.get_page("/me/access-log?mine=1")  # his own downloads only with the switch
    assert "Laddade ner den signerade planen" in log.text
    assert "Laddade ner den signerade planen" not in client.get_page("/me/access-log").text


def test_the_individual_downloads_her_own_plan(signed_in, app: Flask, demo: Demo) -> None:
    plan_id, _code, pdf = _signed(app)
    client = signed_in("gunnel")
    assert client.get(f"/me/plans/{plan_id}/versions/2/plan.pdf").data == pdf
    assert (
        client.get(f"/me/plans/{plan_id}/versions/1/plan.pdf").status_code == 404
    )  # tests load the demo without PDFs


def test_a_draft_is_not_offered_to_the_individual(signed_in, app: Flask, demo: Demo) -> None:
    plan_id = _gunnel_plan_id(app)
    client = signed_in("per")
    assert client.get(f"/me/plans/{plan_id}/versions/2/plan.pdf").status_code == 404


def _relative_of_gunnel(app: Flask, scopes: str) -> int:
    with app.app_context():
        session = db.session()
        gunnel = session.scalar(sa.select(Individual).where(Individual.given_name == "Gunnel"))
        granted_by = session.scalar(sa.select(Account).where(Account.individual_id == gunnel.id))
        relative = Relative(given_name="Nils", family_name="Ek")
        account = Account(kind=AccountKind.RELATIVE, relative=relative)
        session.add_all(
            [
                account,
                Delegation(
                    individual=gunnel,
                    relative=relative,
                    kind=DelegationKind.RELATIVE,
                    scopes_text=scopes,
                    valid_from=today_stockholm() - timedelta(days=1),
                    granted_by=granted_by,
                ),
            ]
        )
        session.commit()
        return account.id


def test_a_relative_downloads_only_with_the_see_my_plan_scope(app: Flask, demo: Demo) -> None:
    plan_id, _code, _pdf = _signed(app)
    for scopes, status in [(Scope.MEETING_DATES.value, 403), (Scope.VIEW_PLAN.value, 200)]:
        demo.accounts["nils"] = _relative_of_gunnel(app, scopes)
        client = PageClient(app.test_client())
        sign_in(client, demo, "nils")
        assert client.get(f"/me/plans/{plan_id}/versions/2/plan.pdf").status_code == status
        with app.app_context():
            session = db.session()
            session.execute(
                sa.update(Delegation)
                .where(Delegation.scopes_text == scopes)
                .values(revoked_at=sa.func.now())
            )
            session.commit()


def test_verification_page_shows_only_what_proves_the_document(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    _plan_id, code, _pdf = _signed(app)
    page = client.get_page(f"/verify/{code}")
    assert page.text_of("h1") == ["Planen är äkta"]
    assert "Sjuksköterska, ÄlSa-teamet Norrsund" in page.text
    assert "2" in page.text_of("dd")
    html = client.get(f"/verify/{code}").get_data(as_text=True)
    for personal in PERSONAL:
        assert personal not in html, personal


def test_a_typed_code_is_forgiving_and_a_wrong_one_is_told(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    _plan_id, code, _pdf = _signed(app)
    client.get_page("/verify")
    typed = code.lower().replace("-", " ")
    response = client.post_form("/verify", {"code": typed})
    assert response.status_code == 303 and response.headers["Location"].endswith(code)
    wrong = client.post_form("/verify", {"code": "abc"})
    assert wrong.status_code == 422
    assert 'value="abc"' in wrong.get_data(as_text=True)  # what was typed is kept
    missing = client.get_page("/verify/0000-0000-00", status=404)
    assert missing.text_of("h1") == ["Vi hittar ingen plan med den koden"]


def test_uploaded_files_are_judged(client: PageClient, app: Flask, demo: Demo) -> None:
    _plan_id, _code, pdf = _signed(app)
    verdicts = {
        "original": (pdf, "Filen är äkta och oförändrad"),
        "one flipped byte": (
            flip_one_byte(pdf, len(pdf) // 2),
            "Filen är ändrad efter att den signerades",
        ),
        "a letter": ("Hej, det här är ingen plan.".encode(), "Filen är inte en PDF"),
    }
    with app.app_context():
        verdicts["draft"] = (
            draft_preview(gunnel_version(db.session(), 1)),
            "Filen har ingen underskrift",
        )
    for name, (data, heading) in verdicts.items():
        response = _upload(client, data)
        assert response.status_code == 200, name
        text = response.get_data(as_text=True)
        assert heading in text, name
        for personal in PERSONAL:
            assert personal not in text, (name, personal)


def test_no_file_is_a_clear_error(client: PageClient, app: Flask, demo: Demo) -> None:
    client.get_page("/verify")
    response = client.post_form("/verify/file", {}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Välj filen med planen (PDF)" in response.get_data(as_text=True)


def test_demo_plan_has_a_signed_version_and_a_draft_awaiting_signature(
    app: Flask, demo: Demo
) -> None:
    with app.app_context():
        session = db.session()
        plan = session.scalar(sa.select(Plan).where(Plan.number == "SIP-2026-0004"))
        assert [v.status for v in plan.versions] == [VersionStatus.SIGNED, VersionStatus.DRAFT]
