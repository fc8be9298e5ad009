"""Where I want to be reached (every signed-in person): addresses confirmed with a code, the
channels switched on or off, this device's push subscription (ADR 0090)."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from portal import db
from portal.auth.permissions import allow
from portal.channels.push import application_server_key
from portal.extensions import limiter
from portal.models import ContactPoint
from portal.rules.vocabulary import Role
from portal.services import contacts
from portal.web.bodies import read_json
from portal.web.fields import ChoiceField, PhoneField, PortalForm, TextField, read
from portal.web.public import blueprint

SIGNED_IN = (Role.INDIVIDUAL, Role.RELATIVE, Role.STAFF)
REFUSALS = {
    "address": lambda: _("Skriv en e-postadress eller ett mobilnummer som går att använda."),
    "channel": lambda: _("Välj e-post eller sms."),
    "too_many": lambda: _("Du har redan så många adresser som går. Ta bort en först."),
    "locked": lambda: _("Koden har skrivits fel för många gånger. Be om en ny kod."),
    "expired": lambda: _("Koden gäller inte längre. Be om en ny kod."),
    "wrong": lambda: _("Koden stämmer inte. Försök igen."),
    "confirmed": lambda: _("Adressen är redan bekräftad."),
}


class AddressForm(PortalForm):
    """A new address: which channel, and the e-mail address or mobile number as typed."""

    channel = ChoiceField(
        ("email", "sms"), required=True, missing=lambda: _("Välj e-post eller sms.")
    )
    address = TextField(
        max=300,
        required=True,
        missing=lambda: _("Skriv en e-postadress eller ett mobilnummer som går att använda."),
    )


class MobileForm(PortalForm):
    """For the sms channel the address is a phone number (one contract: PhoneField)."""

    address = PhoneField(required=True)


class CodeForm(PortalForm):
    code = TextField(max=20, required=True, missing=lambda: _("Skriv koden vi skickade."))


class SwitchForm(PortalForm):
    """Each switch posts "0" or "1"; one switch per press."""

    details = ChoiceField(("0", "1"))
    on = ChoiceField(("0", "1"))


def _limit() -> str:
    return current_app.config["CODE_RATE_LIMIT"]


def _own(point_id: int) -> ContactPoint:
    point = db.session().get(ContactPoint, point_id)
    if point is None or point.account_id != current_user.id or not point.address:
        abort(404)
    return point


def _back() -> Response:
    return redirect(url_for("public.notices"), code=303)


def _page(values: object = None, errors: dict[str, str] | None = None) -> str:
    points = [p for p in contacts.points_of(current_user) if p.address]
    return render_template(
        "public/notices.html",
        points=points,
        vapid_key=application_server_key(current_app.config),
        values=values or {},
        errors=errors or {},
    )


@blueprint.get("/account/notices")
@allow(*SIGNED_IN)
def notices() -> str:
    return _page()


@blueprint.post("/account/notices/addresses")
@allow(*SIGNED_IN)
@limiter.limit(_limit)
def add_address() -> Response | tuple[str, int]:
    typed = read(AddressForm, request.form)
    errors = typed.problems()
    if not errors and typed.value("channel") == "sms":
        errors = read(MobileForm, request.form).problems()
    if errors:
        return _page(request.form, errors), 422
    try:
        contacts.add_address(
            account=current_user, channel=typed.value("channel"), address=typed.value("address")
        )
    except contacts.ContactError as error:
        if error.reason in ("address", "channel"):  # beside the field, with the input kept
            return _page(request.form, {error.reason: REFUSALS[error.reason]()}), 422
        flash(REFUSALS[error.reason](), "error")
        return _back()
    flash(_("Vi har skickat en kod. Skriv in den här för att börja använda adressen."), "success")
    return _back()


@blueprint.post("/account/notices/addresses/<int:point_id>/confirm")
@allow(*SIGNED_IN)
@limiter.limit(_limit)
def confirm_address(point_id: int) -> Response | tuple[str, int]:
    point = _own(point_id)
    typed = read(CodeForm, request.form)
    errors = typed.problems()
    if errors:
        return _page(request.form, {f"code-{point.id}": errors["code"]}), 422
    try:
        contacts.confirm(account=current_user, point=point, code=typed.value("code"))
    except contacts.ContactError as error:
        flash(REFUSALS[error.reason](), "error")
        return _back()
    flash(_("Adressen är bekräftad."), "success")
    return _back()


@blueprint.post("/account/notices/addresses/<int:point_id>/resend")
@allow(*SIGNED_IN)
@limiter.limit(_limit)
def resend_code(point_id: int) -> Response:
    try:
        contacts.resend_code(account=current_user, point=_own(point_id))
    except contacts.ContactError as error:
        flash(REFUSALS[error.reason](), "error")
        return _back()
    flash(_("Vi har skickat en ny kod."), "success")
    return _back()


@blueprint.post("/account/notices/addresses/<int:point_id>/switch")
@allow(*SIGNED_IN)
def switch_address(point_id: int) -> Response:
    point = _own(point_id)
    typed = read(SwitchForm, request.form)
    if typed.problems() or (typed.value("details") is None) == (typed.value("on") is None):
        abort(400)  # the page's buttons send exactly one switch with "0" or "1"
    if typed.value("details") is not None:
        contacts.set_details(account=current_user, point=point, show=typed.value("details") == "1")
    else:
        contacts.set_enabled(account=current_user, point=point, enabled=typed.value("on") == "1")
    flash(_("Ändringen är sparad."), "success")
    return _back()


class QuietHoursForm(PortalForm):
    """The one switch: quiet hours on ("1") or off ("0"); anything else is refused."""

    quiet = ChoiceField(("0", "1"), required=True)


@blueprint.post("/account/notices/quiet-hours")
@allow(*SIGNED_IN)
def quiet_hours() -> Response:
    form = read(QuietHoursForm, request.form)
    if form.problems():
        abort(400)
    contacts.set_quiet_hours(account=current_user, on=form.value("quiet") == "1")
    flash(_("Ändringen är sparad."), "success")
    return _back()


@blueprint.post("/account/notices/addresses/<int:point_id>/remove")
@allow(*SIGNED_IN)
def remove_address(point_id: int) -> Response:
    contacts.remove(account=current_user, point=_own(point_id))
    flash(_("Adressen är borttagen."), "success")
    return _back()


class PushForm(PortalForm):
    """What static/js/push.js posts: the browser's PushSubscription.toJSON(), whose
    `expirationTime` and any other member are not read."""

    endpoint = TextField(max=contacts.PUSH_ENDPOINT_MAX, required=True)
    p256dh = TextField(max=contacts.PUSH_P256DH_MAX, required=True, name="keys.p256dh")
    auth = TextField(max=contacts.PUSH_AUTH_MAX, required=True, name="keys.auth")


PUSH_MOST = 4096  # bytes of JSON: a subscription is some 300 to 700


@blueprint.post("/account/notices/push")
@allow(*SIGNED_IN)
def subscribe_push() -> tuple[Response, int]:
    """The service worker's subscription, posted by static/js/push.js (JSON, CSRF header).
    Refused: {"ok": false, "errors": {field: message}}, the message stating the bound."""
    typed = read_json(PushForm, request.get_data(), most=PUSH_MOST)
    errors = typed.problems()
    if not errors:
        try:
            contacts.subscribe_push(
                account=current_user,
                endpoint=typed.value("endpoint"),
                p256dh=typed.value("p256dh"),
                auth=typed.value("auth"),
            )
        except contacts.ContactError:
            errors = {"endpoint": _("Adressen till push-tjänsten går inte att använda.")}
    if errors:
        return jsonify(ok=False, errors=errors), 400
    return jsonify(ok=True), 201
