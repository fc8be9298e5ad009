"""A legal representative's decision ends before its end date (a new god man, the decision
lifted): whoever leads one of the individual's plans records it, and the representative's
access ends at once (ADR 0116). Each misuse is tried and fails: a colleague who only sees the
plan, staff who do not see it, a relative's own delegation, the representative and the
individual themselves, a forged or hostile decision, and ending it twice."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import (
    Account,
    AuditEvent,
    ContactPoint,
    Delegation,
    Individual,
    OutboxMessage,
    Plan,
)
from portal.models.audit_types import EventType
from portal.rules.vocabulary import DelegationKind
from portal.timeutil import now
from tests.conftest import Demo, sign_in
from tests.support.pages import Page, PageClient

DECISION = "Överförmyndarnämnden i Norrsund, beslut 2026-1207, nr 4411"


def _ids(app: Flask) -> tuple[int, int, int]:
    """Gunnel's plan, Per's delegation (god man for Gunnel) and Karin's (Astrid's relative)."""
    with app.app_context():
        session = db.session()
        gunnel = session.scalar(sa.select(Individual.id).where(Individual.given_name == "Gunnel"))
        plan = session.scalar(sa.select(Plan.id).where(Plan.individual_id == gunnel))
        per = session.scalar(
            sa.select(Delegation.id).where(
                Delegation.individual_id == gunnel,
                Delegation.kind == DelegationKind.REPRESENTATIVE,
            )
        )
        karin = session.scalar(
            sa.select(Delegation.id).join(Delegation.relative).where(sa.text("given_name='Karin'"))
        )
        return plan, per, karin


def _as(app: Flask, demo: Demo, name: str) -> PageClient:
    client = PageClient(app.test_client())
    sign_in(client, demo, name)
    return client


def _delegation(app: Flask, delegation_id: int) -> Delegation:
    with app.app_context():
        found = db.session().get(Delegation, delegation_id)
        db.session().expunge(found)
        return found


def _events(app: Flask, type_: EventType) -> list[AuditEvent]:
    with app.app_context():
        found = list(db.session().scalars(sa.select(AuditEvent).where(AuditEvent.type == type_)))
        db.session().expunge_all()
        return found


def _links(page: Page) -> set[str]:
    return {str(a.attrs.get("href")) for a in page.all("a")}


def _end_url(plan: int, delegation: int) -> str:
    return f"/staff/plans/{plan}/representatives/{delegation}/end"


def test_whoever_leads_the_plan_ends_the_representatives_access_at_once(
    app: Flask, demo: Demo
) -> None:
    plan, per, _karin = _ids(app)
    with app.app_context():  # both may be reached by e-mail, so both are told
        for name in ("per", "gunnel"):
            db.session().add(
                ContactPoint(
                    account_id=demo.account_id(name),
                    channel="email",
                    address=f"{name}@example.se",
                    confirmed_at=now(),
                )
            )
        db.session().commit()
    representative = _as(app, demo, "per")
    assert representative.get("/me/").status_code == 200  # acting for Gunnel, before
    fatima = _as(app, demo, "fatima")
    listed = fatima.get_page(f"/staff/plans/{plan}/representatives")
    assert "Per" in listed.text and "God man" in listed.text
    assert _end_url(plan, per) in _links(listed)
    assert _events(app, EventType.DELEGATIONS_READ)[-1].subject_individual_id is not None
    asked = fatima.get_page(_end_url(plan, per))
    assert "Beslutet som avslutade uppdraget" in asked.text

    # no decision typed: a plain error, nothing ended
    refused = fatima.post_form(_end_url(plan, per), {"decision": "  "})
    assert refused.status_code == 400
    assert "Skriv vilket beslut som avslutade uppdraget" in refused.get_data(as_text=True)
    assert _delegation(app, per).revoked_at is None

    done = fatima.post_form(_end_url(plan, per), {"decision": DECISION})
    assert done.status_code == 303
    assert done.headers["Location"].endswith(f"/staff/plans/{plan}/representatives")
    ended = _delegation(app, per)
    assert ended.revoked_at is not None and ended.ended_reference == DECISION
    (event,) = _events(app, EventType.REPRESENTATIVE_END)
    with app.app_context():
        by = db.session().get(Account, event.actor_account_id)
        assert by.staff is not None and by.staff.given_name == "Fatima"
        assert event.subject_individual_id == ended.individual_id
        assert event.object_type == "delegation" and event.object_id == per
        told = {
            (m.account_id, m.kind)
            for m in db.session().scalars(sa.select(OutboxMessage))
            if m.kind.startswith("delegation.")
        }
        per_account, gunnel_account = demo.account_id("per"), demo.account_id("gunnel")
        assert {(per_account, "delegation.revoked"), (gunnel_account, "delegation.ended")} <= told
    after = fatima.get_page(f"/staff/plans/{plan}/representatives")
    assert _end_url(plan, per) not in _links(after)
    assert "kan inte längre göra något i portalen" in after.text
    # Per was Gunnel's only representative: the page says none is in force, not none at all
    assert "ingen legal företrädare vars beslut gäller nu" in after.text
    # the representative's next request no longer acts for Gunnel
    for path in ("/me/", f"/me/plans/{plan}"):
        sent = representative.get(path)
        assert sent.status_code == 302 and sent.headers["Location"].endswith("/me/acting-for")


def test_ending_it_twice_records_it_once(app: Flask, demo: Demo) -> None:
    plan, per, _karin = _ids(app)
    fatima = _as(app, demo, "fatima")
    fatima.get_page(_end_url(plan, per))
    assert fatima.post_form(_end_url(plan, per), {"decision": DECISION}).status_code == 303
    again = fatima.post_form(_end_url(plan, per), {"decision": "another decision"})
    assert again.status_code == 303
    assert len(_events(app, EventType.REPRESENTATIVE_END)) == 1
    assert _delegation(app, per).ended_reference == DECISION
    assert fatima.get(_end_url(plan, per)).status_code == 303  # nothing left to end


HOSTILE_DECISIONS = {
    "too-long": "x" * 201,
    "ten-thousand": "x" * 10_000,
    "two-lines": "line one\nline two",
    "nul": "nul \x00 byte",
    "tabs-only": "\t\t",
    "unicode-spaces-only": "\u00a0\u3000\u2003",  # no-break, ideographic, em: nothing typed
    "crlf-only": "\r\n",
    "carriage-return": "a\rb",
    "del": "del \x7f char",
    "ansi-escape": "esc \x1b[31m red",
    # C1 controls; a one-line field's Unicode separators; a text that shows in another order
    # than it is stored (bidirectional override, isolate): portal.rules.text
    "c1-next-line": "next line \x85 C1",
    "c1-csi": "CSI \x9b[2J C1",
    "line-separator": "line\u2028separator",
    "paragraph-separator": "paragraph\u2029separator",
    "bidi": "bidi \u202egnalb\u202c override",
    "isolate": "isolate \u2066beslut\u2069",
}


@pytest.mark.parametrize("decision", HOSTILE_DECISIONS.values(), ids=HOSTILE_DECISIONS.keys())
def test_a_hostile_decision_is_refused_in_plain_words_and_kept(
    app: Flask, demo: Demo, decision: str
) -> None:
    plan, per, _karin = _ids(app)
    fatima = _as(app, demo, "fatima")
    fatima.get_page(_end_url(plan, per))
    refused = fatima.post_form(_end_url(plan, per), {"decision": decision})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert 'aria-invalid="true"' in text and "field-error" in text
    assert 'id="decision-error"' in text
    assert _delegation(app, per).revoked_at is None
    assert not _events(app, EventType.REPRESENTATIVE_END)


def test_a_colleague_who_only_sees_the_plan_cannot_end_it(app: Flask, demo: Demo) -> None:
    plan, per, _karin = _ids(app)
    peter = _as(app, demo, "peter")  # home help: sees Gunnel's plan, does not lead it
    listed = peter.get_page(f"/staff/plans/{plan}/representatives")
    assert "Per" in listed.text and _end_url(plan, per) not in _links(listed)
    assert peter.get(_end_url(plan, per)).status_code == 403
    assert peter.post_form(_end_url(plan, per), {"decision": DECISION}).status_code == 403
    assert _delegation(app, per).revoked_at is None
    assert not _events(app, EventType.REPRESENTATIVE_END)


def test_a_relatives_own_delegation_and_someone_elses_are_not_found(app: Flask, demo: Demo) -> None:
    plan, per, karin = _ids(app)
    fatima = _as(app, demo, "fatima")
    fatima.get_page(_end_url(plan, per))
    # Karin is Astrid's relative, chosen by Astrid: not a representative, and not Gunnel's
    assert fatima.get(_end_url(plan, karin)).status_code == 404
    assert fatima.post_form(_end_url(plan, karin), {"decision": DECISION}).status_code == 404
    assert fatima.post_form(_end_url(plan, 999_999), {"decision": DECISION}).status_code == 404
    assert _delegation(app, karin).revoked_at is None


def test_the_representative_and_the_individual_cannot_end_it_themselves(
    app: Flask, demo: Demo
) -> None:
    plan, per, _karin = _ids(app)
    for name in ("per", "gunnel"):
        client = _as(app, demo, name)
        client.get_page("/me/")
        assert client.get(f"/staff/plans/{plan}/representatives").status_code == 403
        assert client.post_form(_end_url(plan, per), {"decision": DECISION}).status_code == 403
    assert _delegation(app, per).revoked_at is None


ENDERS = 10


def test_ten_who_end_it_at_the_same_moment_end_it_once(app: Flask, demo: Demo) -> None:
    """Ten tabs (Fatima's, from the same page) send the end at once: one ends it, with one
    event and one decision; the other nine are told it had already ended."""
    plan, per, _karin = _ids(app)
    clients = []
    for _ in range(ENDERS):
        client = _as(app, demo, "fatima")
        client.get_page(_end_url(plan, per))
        clients.append(client)
    start = threading.Barrier(ENDERS)
    answers: dict[int, tuple[int, str]] = {}

    def end(n: int) -> None:
        start.wait()
        response = clients[n].post_form(_end_url(plan, per), {"decision": f"{DECISION} ({n})"})
        answers[n] = (response.status_code, response.headers.get("Location", ""))

    threads = [threading.Thread(target=end, args=(n,)) for n in range(ENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(status for status, _ in answers.values()) == [303] * ENDERS
    assert len(_events(app, EventType.REPRESENTATIVE_END)) == 1
    (event,) = _events(app, EventType.REPRESENTATIVE_END)
    ended = _delegation(app, per)
    assert ended.revoked_at is not None and ended.ended_reference.startswith(DECISION)
    with app.app_context():  # the one decision kept is the one whose end was recorded
        assert db.session().get(AuditEvent, event.id).actor_account_id == demo.account_id("fatima")


def test_staff_who_do_not_see_any_plan_of_hers_are_told_nothing(app: Flask, demo: Demo) -> None:
    plan, per, _karin = _ids(app)
    stranger = _as(app, demo, "maria")  # Bengt's plans; none of Gunnel's
    stranger.get_page("/staff/")
    assert stranger.get(f"/staff/plans/{plan}").status_code == 404
    assert stranger.get(f"/staff/plans/{plan}/representatives").status_code == 404
    assert stranger.get(_end_url(plan, per)).status_code == 404
    assert stranger.post_form(_end_url(plan, per), {"decision": DECISION}).status_code == 404
    assert _delegation(app, per).revoked_at is None
    assert not _events(app, EventType.REPRESENTATIVE_END)
