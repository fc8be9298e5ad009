"""Pages for everyone: landing, sign-in, locale, offline page, service worker, health."""

from flask import Blueprint

blueprint = Blueprint("public", __name__)

from portal.web.public import (  # noqa: E402, F401
    account,
    calendar_feed,
    demo,
    eid,
    invitations,
    notices,
    passkeys,
    verify,
    views,
)
