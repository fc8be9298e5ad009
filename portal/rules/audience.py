"""Whom a page speaks to: staff, the individual, a relative, or someone not signed in. Pure.

Texts written for the individual ("din plan", "Hemma hos dig", "kontakta din
samordningsansvarige") are not shown to staff; shared partials and the error pages choose
their words by this (issue 13 point 7).
"""

from __future__ import annotations

from enum import StrEnum

from portal.rules.vocabulary import AccountKind


class Audience(StrEnum):
    STAFF = "staff"
    INDIVIDUAL = "individual"
    RELATIVE = "relative"
    PUBLIC = "public"


BY_KIND = {
    AccountKind.STAFF: Audience.STAFF,
    AccountKind.INDIVIDUAL: Audience.INDIVIDUAL,
    AccountKind.RELATIVE: Audience.RELATIVE,
}


def audience_of(kind: AccountKind | None, path: str) -> Audience:
    """The signed-in account's kind decides (an individual who opens a staff address is
    still spoken to as the individual); signed out, the staff pages speak to staff."""
    if kind is not None:
        return BY_KIND[kind]
    return Audience.STAFF if path == "/staff" or path.startswith("/staff/") else Audience.PUBLIC
