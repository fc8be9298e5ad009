"""Ending a legal representative's decision early (ADR 0116), tried the way an attacker or a
hostile script would, beyond what test_representative_end.py tries: ids of one individual
mixed with another's, a relative of the same individual, leaders of someone else's plan,
requests without a session or a CSRF token, ids that are no ids, hostile decision text, and
what the ended representative and the audit log see afterwards."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from markupsafe import escape

from portal import db
from portal.models import (
    Account,
    AccountInvitation,
    AuditEvent,
    Delegation,
    Individual,
    Plan,
    Relative,
)
from portal.models.audit_types import EventType
from portal.rules.vocabulary import DelegationKind
from portal.services.invitations import create_invitation
from portal.services.letters import LetterRefusedError, end_representative
from portal.timeutil import now, today_stockholm
from tests.conftest import Demo
from tests.support.hostile import BEYOND_64_BITS, BEYOND_IDS, FULLWIDTH, HUGE, NEGATIVE
from tests.support.pages import PageClient
from tests.web.test_representative_end import (
    DECISION,
    _as,
    _delegation,
    _end_url,
    _events,
    _ids,
    _links,
)


def _plan_of(app: Flask, given_name: str) -> int:
    with app.app_context():
        session = db.session()
        person = session.scalar(sa.select(Individual.id).where(Individual.given_name == given_name))
        return session.scalar(
            sa.select(Plan.id).where(Plan.individual_id == person).order_by(Plan.id.desc())
        )


def _add_delegation(
    app: Flask,
    demo: Demo,
    *,
    of: str,
    kind: DelegationKind,
    revoked: bool = False,
    given_name: str = "Olle",
) -> int:
    """A new delegation of `of` (a representative approved by Fatima, or a relative the
    individual chose), held by a new relative."""
    with app.app_context():
        session = db.session()
        person = session.scalar(sa.select(Individual).where(Individual.given_name == of))
        relative = Relative(given_name=given_name, family_name="Hostile", phone="070-222 22 22")
        today = today_stockholm()
        representative = kind is DelegationKind.REPRESENTATIVE
        delegation = Delegation(
            individual=person,
            relative=relative,
            kind=kind,
            scopes_text="" if representative else "view_plan",
            valid_from=today - timedelta(days=10),
            valid_until=today + timedelta(days=300),
            legal_reference="Tingsrätten, mål T 1-26" if representative else "",
            representative_kind="forvaltare" if representative else "",
            decision_date=today - timedelta(days=12) if representative else None,
            deciding_authority="Norrsunds tingsrätt" if representative else "",
            granted_by_account_id=demo.account_id("eva"),
            approved_by_account_id=demo.account_id("fatima") if representative else None,
            approved_at=now() if representative else None,
            revoked_at=now() if revoked else None,
            revoked_by_account_id=demo.account_id("eva") if revoked else None,
        )
        session.add_all([relative, delegation])
        session.commit()
        return delegation.id


def _nothing_ended(app: Flask, *delegation_ids: int) -> None:
    for delegation_id in delegation_ids:
        assert _delegation(app, delegation_id).revoked_at is None
    assert not _events(app, EventType.REPRESENTATIVE_END)


def test_a_plan_of_one_individual_and_a_representative_of_another_are_not_found(
    app: Flask, demo: Demo
) -> None:
    """Fatima leads Gunnel's plan; Astrid's förvaltare is not hers to end through it. Eva leads
    Astrid's plan; Per (Gunnel's god man) is not hers to end through it."""
    gunnel_plan, per, _karin = _ids(app)
    astrid_plan = _plan_of(app, "Astrid")
    astrids = _add_delegation(app, demo, of="Astrid", kind=DelegationKind.REPRESENTATIVE)
    fatima = _as(app, demo, "fatima")
    fatima.get_page("/staff/")
    assert fatima.get(_end_url(gunnel_plan, astrids)).status_code == 404
    assert (
        fatima.post_form(_end_url(gunnel_plan, astrids), {"decision": DECISION}).status_code == 404
    )
    eva = _as(app, demo, "eva")
    eva.get_page("/staff/")
    assert eva.get(_end_url(astrid_plan, per)).status_code == 404
    assert eva.post_form(_end_url(astrid_plan, per), {"decision": DECISION}).status_code == 404
    _nothing_ended(app, per, astrids)
    # and the leader of Astrid's plan may end Astrid's own representative (the control)
    eva.get_page(_end_url(astrid_plan, astrids))
    assert eva.post_form(_end_url(astrid_plan, astrids), {"decision": DECISION}).status_code == 303
    assert _delegation(app, astrids).revoked_at is not None
    assert _delegation(app, per).revoked_at is None


def test_the_leader_of_a_different_individuals_plan_cannot_end_gunnels_representative(
    app: Flask, demo: Demo
) -> None:
    """Maria leads Bengt's plan: his plan id with Per's delegation id is 404, as is Gunnel's."""
    gunnel_plan, per, _karin = _ids(app)
    bengt_plan = _plan_of(app, "Bengt")
    maria = _as(app, demo, "maria")
    maria.get_page(f"/staff/plans/{bengt_plan}/representatives")  # she leads it: may see it
    for plan in (bengt_plan, gunnel_plan):
        assert maria.get(_end_url(plan, per)).status_code == 404
        assert maria.post_form(_end_url(plan, per), {"decision": DECISION}).status_code == 404
    _nothing_ended(app, per)


def test_an_ordinary_relative_of_the_same_individual_is_not_found(app: Flask, demo: Demo) -> None:
    """A relative Gunnel chose herself, on Gunnel's own plan: not a representative, 404."""
    plan, per, _karin = _ids(app)
    chosen = _add_delegation(app, demo, of="Gunnel", kind=DelegationKind.RELATIVE)
    fatima = _as(app, demo, "fatima")
    listed = fatima.get_page(f"/staff/plans/{plan}/representatives")
    assert "Olle" not in listed.text and _end_url(plan, chosen) not in _links(listed)
    assert fatima.get(_end_url(plan, chosen)).status_code == 404
    assert fatima.post_form(_end_url(plan, chosen), {"decision": DECISION}).status_code == 404
    _nothing_ended(app, per, chosen)


def test_a_representative_already_ended_elsewhere_is_not_ended_again(
    app: Flask, demo: Demo
) -> None:
    """Revoked before the page was opened (by the individual, say): nothing is recorded and
    the decision typed is not written over the row."""
    plan, _per, _karin = _ids(app)
    gone = _add_delegation(app, demo, of="Gunnel", kind=DelegationKind.REPRESENTATIVE, revoked=True)
    fatima = _as(app, demo, "fatima")
    listed = fatima.get_page(f"/staff/plans/{plan}/representatives")
    assert _end_url(plan, gone) not in _links(listed)
    assert fatima.get(_end_url(plan, gone)).status_code == 303
    assert fatima.post_form(_end_url(plan, gone), {"decision": DECISION}).status_code == 303
    assert _delegation(app, gone).ended_reference == ""
    assert not _events(app, EventType.REPRESENTATIVE_END)


@pytest.mark.parametrize("name", ["karin", "astrid", "per"])
def test_relatives_and_individuals_posting_are_refused(app: Flask, demo: Demo, name: str) -> None:
    """Someone else's relative, another individual, and the representative themselves (with
    a valid CSRF token of their own session) are refused and nothing ends."""
    plan, per, _karin = _ids(app)
    client = _as(app, demo, name)
    client.get_page("/me/" if name != "karin" else "/me/acting-for")
    assert client.get(_end_url(plan, per)).status_code == 403
    assert client.post_form(_end_url(plan, per), {"decision": DECISION}).status_code == 403
    _nothing_ended(app, per)


def test_no_session_is_sent_to_sign_in_and_nothing_ends(app: Flask, demo: Demo) -> None:
    plan, per, _karin = _ids(app)
    fresh = PageClient(app.test_client())  # no one signed in, with a valid anonymous token
    for sent in (
        fresh.get(_end_url(plan, per)),
        fresh.get(f"/staff/plans/{plan}/representatives"),
        fresh.post_form(_end_url(plan, per), {"decision": DECISION}),
    ):
        assert sent.status_code in (302, 303), sent.status_code
        assert "/sign-in" in sent.headers["Location"]
        assert "Per" not in sent.get_data(as_text=True)
    _nothing_ended(app, per)


def test_a_post_without_or_with_a_foreign_csrf_token_is_refused(app: Flask, demo: Demo) -> None:
    plan, per, _karin = _ids(app)
    fatima = _as(app, demo, "fatima")
    fatima.get_page(_end_url(plan, per))
    peter = _as(app, demo, "peter")
    peters_token = peter.token()
    for data in (
        {"decision": DECISION},
        {"decision": DECISION, "csrf_token": ""},
        {"decision": DECISION, "csrf_token": "forged"},
        {"decision": DECISION, "csrf_token": peters_token},
    ):
        sent = fatima.client.post(_end_url(plan, per), data=data)
        assert sent.status_code == 400, (data, sent.status_code)
    json = fatima.client.post(_end_url(plan, per), json={"decision": DECISION})
    assert json.status_code == 400
    _nothing_ended(app, per)


@pytest.mark.parametrize(
    "bad",
    [
        "abc",
        NEGATIVE,
        "0",
        "1.0",
        "1e3",
        FULLWIDTH,
        HUGE,
        BEYOND_64_BITS,
        BEYOND_IDS,
        "%20 1",
        "1;",
    ],
)
def test_ids_that_are_no_ids_are_not_found(app: Flask, demo: Demo, bad: str) -> None:
    plan, per, _karin = _ids(app)
    fatima = _as(app, demo, "fatima")
    fatima.get_page("/staff/")
    for path in (
        f"/staff/plans/{bad}/representatives",
        f"/staff/plans/{bad}/representatives/{per}/end",
        f"/staff/plans/{plan}/representatives/{bad}/end",
    ):
        assert fatima.get(path).status_code == 404, path
        assert fatima.post_form(path, {"decision": DECISION}).status_code == 404, path
    _nothing_ended(app, per)


def test_other_methods_are_not_allowed(app: Flask, demo: Demo) -> None:
    plan, per, _karin = _ids(app)
    fatima = _as(app, demo, "fatima")
    fatima.get_page("/staff/")
    for method in ("put", "delete", "patch"):
        sent = getattr(fatima.client, method)(_end_url(plan, per), data={"decision": DECISION})
        assert sent.status_code == 405, (method, sent.status_code)
    _nothing_ended(app, per)


@pytest.mark.parametrize(
    "decision",
    ["zero\u200bwidth", "\u200fقرار المحكمة\u200f 2026", "Tingsrätten 👩\u200d⚖️ T 1234-26"],
    ids=["zwsp", "rtl-marks", "zwj-emoji"],
)
def test_what_real_text_needs_is_kept_exactly(app: Flask, demo: Demo, decision: str) -> None:
    """Zero-width characters that real text uses (joiners in emoji and scripts, the direction
    marks of right-to-left text) are kept as typed."""
    plan, per, _karin = _ids(app)
    fatima = _as(app, demo, "fatima")
    fatima.get_page(_end_url(plan, per))
    sent = fatima.post_form(_end_url(plan, per), {"decision": decision})
    assert sent.status_code == 303, sent.status_code
    assert _delegation(app, per).ended_reference == decision
    assert fatima.get(sent.headers["Location"]).status_code == 200


def test_markup_in_the_decision_is_stored_as_typed_and_rendered_escaped(
    app: Flask, demo: Demo
) -> None:
    plan, per, _karin = _ids(app)
    fatima = _as(app, demo, "fatima")
    fatima.get_page(_end_url(plan, per))
    script = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    # too long: the page comes back with it kept in the field, escaped
    refused = fatima.post_form(_end_url(plan, per), {"decision": script + "x" * 200})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert str(escape(script)) in page
    # within the bound: stored verbatim (it is the recorder's text), never as markup
    done = fatima.post_form(_end_url(plan, per), {"decision": script})
    assert done.status_code == 303
    assert _delegation(app, per).ended_reference == script
    after = fatima.get(done.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)" not in after


def test_a_duplicated_decision_field_counts_once(app: Flask, demo: Demo) -> None:
    """A script sends the field twice, a harmless value first: the first one is what counts,
    the hostile second value is not smuggled into the row."""
    plan, per, _karin = _ids(app)
    fatima = _as(app, demo, "fatima")
    fatima.get_page(_end_url(plan, per))
    sent = fatima.client.post(
        _end_url(plan, per),
        data={"csrf_token": fatima.token(), "decision": [DECISION, "nul \x00 " + "y" * 300]},
    )
    assert sent.status_code == 303
    assert _delegation(app, per).ended_reference == DECISION


def test_invalid_utf8_in_the_body_is_no_server_error(app: Flask, demo: Demo) -> None:
    plan, per, _karin = _ids(app)
    fatima = _as(app, demo, "fatima")
    fatima.get_page(_end_url(plan, per))
    body = f"csrf_token={fatima.token()}&decision=%FF%FE%00%C0%AF".encode()
    sent = fatima.client.post(
        _end_url(plan, per), data=body, content_type="application/x-www-form-urlencoded"
    )
    assert sent.status_code == 400
    _nothing_ended(app, per)


def test_the_ended_representative_cannot_act_or_use_an_unused_letter(
    app: Flask, demo: Demo
) -> None:
    """Per had a letter not yet used and an open session acting for Gunnel: after the end he
    cannot choose Gunnel again, the letter's code is refused, and the letter's revocation is
    in Gunnel's log too."""
    plan, per, _karin = _ids(app)
    with app.app_context():
        session = db.session()
        delegation = session.get(Delegation, per)
        issued = create_invitation(
            relative=delegation.relative,
            delegation=delegation,
            by=session.get(Account, demo.account_id("fatima")),
        )
        letter_id, code = issued.invitation.id, issued.code
        gunnel = delegation.individual_id
    representative = _as(app, demo, "per")
    representative.get_page("/me/")
    token = representative.token()
    fatima = _as(app, demo, "fatima")
    fatima.get_page(_end_url(plan, per))
    assert fatima.post_form(_end_url(plan, per), {"decision": DECISION}).status_code == 303

    chosen = representative.client.post(
        "/me/acting-for", data={"csrf_token": token, "individual": str(gunnel)}
    )
    assert chosen.status_code == 403
    assert representative.get(f"/me/plans/{plan}").status_code == 302
    assert "Gunnel" not in representative.get("/me/acting-for").get_data(as_text=True)
    with app.app_context():
        assert db.session().get(AccountInvitation, letter_id).revoked_at is not None
    (revoked,) = [e for e in _events(app, EventType.INVITATION_REVOKE) if e.object_id == letter_id]
    assert revoked.subject_individual_id == gunnel
    assert revoked.actor_account_id == demo.account_id("fatima")
    anonymous = PageClient(app.test_client())
    anonymous.get_page("/invitation")
    assert anonymous.post_form("/invitation", {"code": code}).status_code == 400


def test_the_audit_event_names_actor_and_subject_and_holds_no_free_text(
    app: Flask, demo: Demo
) -> None:
    plan, per, _karin = _ids(app)
    fatima = _as(app, demo, "fatima")
    fatima.get_page(_end_url(plan, per))
    secret = "Beslut 2026-12-07 nr 4411, se journal: diagnos X"
    assert fatima.post_form(_end_url(plan, per), {"decision": secret}).status_code == 303
    (event,) = _events(app, EventType.REPRESENTATIVE_END)
    ended = _delegation(app, per)
    assert event.actor_account_id == demo.account_id("fatima")
    assert event.subject_individual_id == ended.individual_id
    assert event.object_type == "delegation" and event.object_id == per
    assert ended.revoked_by_account_id == demo.account_id("fatima")
    with app.app_context():
        details = [str(e.detail or "") for e in db.session().scalars(sa.select(AuditEvent))]
    assert not any("4411" in d or "diagnos" in d for d in details)


def test_a_representatives_name_with_markup_is_shown_escaped_on_every_page(
    app: Flask, demo: Demo
) -> None:
    """The name was typed by staff from the decision: the list, the confirm page, the error
    page and the message after the end show it as text."""
    plan, _per, _karin = _ids(app)
    name = "<script>alert(3)</script>"
    hostile = _add_delegation(
        app, demo, of="Gunnel", kind=DelegationKind.REPRESENTATIVE, given_name=name
    )
    fatima = _as(app, demo, "fatima")
    pages = [
        fatima.get(f"/staff/plans/{plan}/representatives"),
        fatima.get(_end_url(plan, hostile)),
    ]
    fatima.get_page(_end_url(plan, hostile))
    pages.append(fatima.post_form(_end_url(plan, hostile), {"decision": ""}))
    done = fatima.post_form(_end_url(plan, hostile), {"decision": DECISION})
    assert done.status_code == 303
    pages.append(fatima.get(done.headers["Location"]))
    for page in pages:
        text = page.get_data(as_text=True)
        assert page.status_code in (200, 400)
        assert name not in text and str(escape(name)) in text


@pytest.mark.parametrize("decision", ["bidi \u202egnalb\u202c", "two\nlines", "nul \x00"])
def test_the_service_keeps_the_contract_without_the_form(
    app: Flask, demo: Demo, decision: str
) -> None:
    """A caller past the web layer gets the same refusal (ADR 0050: services keep their own
    checks), and nothing ends."""
    _plan, per, _karin = _ids(app)
    with app.app_context():
        delegation = db.session().get(Delegation, per)
        fatima = db.session().get(Account, demo.account_id("fatima"))
        with pytest.raises(LetterRefusedError):
            end_representative(delegation=delegation, decision=decision, by=fatima)
        db.session().rollback()
    _nothing_ended(app, per)
