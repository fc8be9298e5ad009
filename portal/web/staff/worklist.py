"""The staff worklist: where staff land after signing in, most urgent first.

Filters are a GET form with a real submit button; htmx sends the same form on change and
swaps only the list (the same URL answers with the fragment for htmx requests).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from flask import Response, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.auth.permissions import allow
from portal.models.audit_types import EventType
from portal.rules.vocabulary import Role
from portal.rules.worklist import KIND_ORDER, ItemKind, ItemRole
from portal.services import reads
from portal.services.worklist import Worklist, load_worklist
from portal.timeutil import now
from portal.web import nav
from portal.web.fields import ChoiceField, EnumField, PortalForm, read
from portal.web.htmx import render
from portal.web.staff import blueprint

nav.register("staff.worklist", _l("Arbetslista"), 10, Role.STAFF)

LIST_ID = "worklist-items"
E = TypeVar("E", bound=StrEnum)

KIND_LABELS: dict[ItemKind, Any] = {
    ItemKind.INVITATION_DUE: _l("Kalla till SIP-möte"),
    ItemKind.MEETING_ACKNOWLEDGEMENT: _l("Kvittera kallelse till möte"),
    ItemKind.REQUEST: _l("Fråga från den enskilde"),
    ItemKind.CONSENT_WITHDRAWN: _l("Återkallat samtycke"),
    ItemKind.HANDOVER: _l("Ta över som samordningsansvarig"),
    ItemKind.SHORT_TERM_REASSESSMENT: _l("Ompröva före hemgång från korttidsvistelse"),
    ItemKind.FOLLOW_UP_DUE: _l("Uppföljning"),
    ItemKind.COORDINATOR_WISH: _l("Önskemål om samordningsansvarig"),
}

ROLE_LABELS: dict[ItemRole, Any] = {
    ItemRole.LEADS: _l("Sammankallande eller samordningsansvarig"),
    ItemRole.CALLED: _l("Kallad till möte"),
    ItemRole.INCOMING: _l("Ny samordningsansvarig"),
    ItemRole.UNIT: _l("För enheten"),
}


_TRANSLATED: dict[str, tuple[dict[ItemKind, str], dict[ItemRole, str]]] = {}


def _labels() -> tuple[dict[ItemKind, str], dict[ItemRole, str]]:
    """The kinds' and roles' labels in the request's language, translated once per language
    (the catalogues do not change while the app runs; the languages are the configured few),
    instead of once per label shown on every request (ADR 0097)."""
    locale = str(get_locale())
    if locale not in _TRANSLATED:
        _TRANSLATED[locale] = (
            {kind: str(KIND_LABELS[kind]) for kind in KIND_ORDER},
            {role: str(label) for role, label in ROLE_LABELS.items()},
        )
    return _TRANSLATED[locale]


def _chosen(enum: type[E], value: str | None) -> frozenset[E] | None:
    """The one value chosen in a filter, or None (every value) when none or unknown."""
    try:
        return frozenset({enum(value)}) if value else None
    except ValueError:
        return None


class FilterForm(PortalForm):
    """The worklist's filters in the query string; a value outside its vocabulary is dropped
    (a filter, not a refusal: the list shows everything for it). The labels are the
    template's; naming them here (empty) spares WTForms loading its own message catalogue
    on every request to make a label nobody shows."""

    show = ChoiceField(("mine", "unit"), "")
    kind = EnumField(ItemKind, "")
    role = EnumField(ItemRole, "")


def filters() -> dict[str, str]:
    """The filters from the query string, unknown values dropped."""
    asked = read(FilterForm, request.args)
    problems = asked.problems()

    def chosen(name: str) -> str:
        value = None if name in problems else asked.value(name)
        return str(value.value if isinstance(value, StrEnum) else value or "")

    return {"show": chosen("show") or "mine", "kind": chosen("kind"), "role": chosen("role")}


def context(listed: Worklist, chosen: dict[str, str]) -> dict[str, Any]:
    """What the list and its rows need (also for a row swapped in after an action)."""
    kind_labels, role_labels = _labels()
    return {
        "worklist": listed,
        "filters": chosen,
        "kind_labels": kind_labels,
        "role_labels": role_labels,
        "list_id": LIST_ID,
        "me": current_user.staff_id,
    }


@blueprint.get("/")
@allow(Role.STAFF)
def worklist() -> Response:
    chosen = filters()
    listed = load_worklist(
        account=current_user,
        now=now(),
        kinds=_chosen(ItemKind, chosen["kind"]),
        roles=_chosen(ItemRole, chosen["role"]),
        whole_unit=chosen["show"] == "unit",
    )
    numbers = sorted({row.plan_number for row in listed.rows})
    # Everything read first, then the read recorded: its commit ends the only transaction
    # (ADR 0103).
    reads.read(
        type=EventType.WORKLIST_READ,
        by=current_user,
        subject_individual_id=None,
        detail=" ".join(numbers),  # plan numbers only: no personal data
    )
    return render(
        "staff/worklist.html",
        "staff/_worklist_items.html",
        news=listed.news,
        **context(listed, chosen),
    )
