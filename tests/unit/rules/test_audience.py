"""Whom a page speaks to (portal.rules.audience, issue 13 point 7)."""

from __future__ import annotations

from portal.rules.audience import Audience, audience_of
from portal.rules.vocabulary import AccountKind


def test_the_signed_in_kind_decides_whatever_the_address() -> None:
    assert audience_of(AccountKind.STAFF, "/me/") is Audience.STAFF
    assert audience_of(AccountKind.INDIVIDUAL, "/staff/") is Audience.INDIVIDUAL
    assert audience_of(AccountKind.RELATIVE, "/staff/plans/1") is Audience.RELATIVE


def test_signed_out_the_staff_pages_speak_to_staff() -> None:
    assert audience_of(None, "/staff/plans/1") is Audience.STAFF
    assert audience_of(None, "/staffing") is Audience.PUBLIC
    assert audience_of(None, "/") is Audience.PUBLIC
