"""Pages for everyone: landing, sign-in, locale, offline page, service worker, health."""

from flask import Blueprint

blueprint = Blueprint("public", __name__)

from portal.web.public import account, demo, invitations, passkeys, verify, views  # noqa: E402, F401
