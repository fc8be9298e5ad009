"""Vem har tittat? Who outside me has read or changed my data, by day and person (ADR 0070)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import db
from portal.auth.permissions import allow
from portal.models import Individual
from portal.models.audit_types import EventType
from portal.presenters.audit import describe, role_words
from portal.rules.access_log import Cursor, group
from portal.rules.vocabulary import Role
from portal.services.access_log import LogQuery, log_extract, log_page
from portal.timeutil import now
from portal.web import nav
from portal.web.documents import drawing_a_pdf, pdf_response
from portal.web.fields import PAST_ONLY, DayField, FlagField, PortalForm, TextField, read
from portal.web.person import blueprint
from portal.web.person.loaders import Need, audit_read, load_individual

READERS = (Role.INDIVIDUAL, Role.REPRESENTATIVE)
nav.register("person.access_log", _l("Vem har tittat?"), 70, *READERS)


@dataclass(frozen=True)
class Filter:
    query: LogQuery
    values: dict[str, str]
    errors: dict[str, str]
    after: Cursor | None


def _individual() -> Individual | Response:
    return load_individual(Need.READ_ACCESS_LOG)


class LogFilterForm(PortalForm):
    """The period and the switch of the access log: what was logged lies in the past."""

    since = DayField(window=PAST_ONLY, name="from")
    until = DayField(window=PAST_ONLY, name="to")
    mine = FlagField(value="1")
    after = TextField(max=80)  # a cursor token (rules.access_log.Cursor); a bad one is page 1


def _filter(individual: Individual) -> Filter:
    form = read(LogFilterForm, request.args)
    args = {form[key].name: form[key].raw for key in ("since", "until", "mine")}
    errors = {form[key].name: text for key, text in form.problems().items()}
    since = None if "from" in errors else form.value("since")
    until = None if "to" in errors else form.value("until")
    if since and until and until < since:
        errors["to"] = _("Sista dagen kan inte vara före första dagen.")
        until = None
    query = LogQuery(
        individual_id=individual.id,
        viewer_account_id=current_user.id,
        include_mine="mine" not in errors and bool(form.value("mine")),
        since=since,
        until=until,
    )
    return Filter(query, args, errors, Cursor.parse(form.value("after")))


def _words() -> dict[str, object]:
    return {"describe": describe, "role_words": role_words}


@blueprint.get("/access-log")
@allow(*READERS)
def access_log() -> str | Response:
    individual = _individual()
    if isinstance(individual, Response):
        return individual
    chosen = _filter(individual)
    after = chosen.after
    page = log_page(db.session(), chosen.query, after=after)
    audit_read(individual, EventType.ACCESS_LOG_READ)
    return render_template(
        "person/access_log.html",
        individual=individual,
        days=group(page.entries),
        next_cursor=page.next_cursor,
        continued=after is not None,
        values=chosen.values,
        errors=chosen.errors,
        **_words(),
    )


@blueprint.get("/access-log/extract.pdf")
@allow(*READERS)
def access_log_pdf() -> Response:
    from portal.documents.render import html_to_pdf, log_html

    individual = _individual()
    if isinstance(individual, Response):
        return individual
    with drawing_a_pdf():  # refused (429) before anything is read or audited
        chosen = _filter(individual)
        entries, capped = log_extract(db.session(), chosen.query)
        audit_read(individual, EventType.ACCESS_LOG_PDF_READ)
        html = log_html(
            individual=individual,
            days=group(entries),
            query=chosen.query,
            capped=capped,
            made_at=now(),
            **_words(),
        )
        data = html_to_pdf(html)
    return pdf_response(data, "logg-utdrag.pdf")
