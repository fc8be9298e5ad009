"""A private calendar subscription, read by the phone's calendar without a session.

The key travels in the query string (never in the logged path); the feed answers with the
meeting dates the account may see today, so a revoked delegation empties it at once.
"""

from __future__ import annotations

from flask import Response, abort, request

from portal import db
from portal.auth.permissions import PUBLIC, allow
from portal.extensions import limiter
from portal.models import Account
from portal.models.audit_types import EventType
from portal.services import calendar, reads
from portal.timeutil import now
from portal.web.fields import PortalForm, TextField, read
from portal.web.person.loaders import dated_plans
from portal.web.public import blueprint


class FeedForm(PortalForm):
    """`?key=`: the subscription's secret; one that breaks the bound is no key at all."""

    key = TextField(max=200, required=True)


@blueprint.get("/calendar/feed.ics")
@allow(PUBLIC)
@limiter.limit("60 per hour")
def calendar_feed() -> Response:
    asked = read(FeedForm, request.args)
    feed = None if asked.problems() else calendar.feed_for_token(asked.value("key"))
    account = db.session().get(Account, feed.account_id) if feed else None
    if feed is None or account is None:
        abort(404)
    plans = [found.plan for found in dated_plans(feed.individual_id, account=account)]
    reads.read(
        type=EventType.CALENDAR_FEED_READ,
        by=account,
        subject_individual_id=feed.individual_id,
        on_behalf_of=None if account.individual_id == feed.individual_id else feed.individual_id,
        object_type="calendar_feed",
        object_id=feed.id,
    )
    calendar.fetched(feed, now())
    response = Response(calendar.feed_ics(plans), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="sip.ics"'
    return response
