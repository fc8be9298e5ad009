"""Reading the 'Start a SIP' form: every field checked at once, messages beside the fields.

`read_start` turns what was typed into the arguments of `services.plans.start_plan`, or into
errors keyed by the id of the field they belong to. Nothing typed is dropped: the view
re-renders the form from `request.form` itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import gettext as _

from portal import db
from portal.models import Individual, Organisation, Unit
from portal.rules.identity import InvalidReason
from portal.rules.start_dates import (
    DateProblem,
    consent_day_problem,
    needs_reassess_day,
    ready_problem,
    reassess_day_problem,
)
from portal.rules.vocabulary import ConsentStatus, PlanContext
from portal.services.plans import ConsentChoice, NewPerson
from portal.timeutil import now, stockholm_moment, stockholm_to_utc, today_stockholm
from portal.web.fields import (
    COMING,
    NEAR,
    PAST_ONLY,
    ChoiceField,
    ClockField,
    DayField,
    EnumField,
    FlagField,
    IdListField,
    PhoneField,
    PinField,
    PortalForm,
    TextField,
    skipped_clock_message,
)


class ConsentAnswer(StrEnum):
    """What the individual said about consent when the SIP started."""

    DIGITAL = "digital"  # answers in the portal later: asked, nothing shared yet
    VERBAL = "verbal"  # given verbally, recorded by staff with its date
    NOT_GIVEN = "not_given"  # refused: only name, pin, address, preliminary date [003]
    CANNOT = "cannot"  # cannot consent for health reasons: OSL 25:13 [004]


STATUS_OF = {
    ConsentAnswer.DIGITAL: ConsentStatus.REQUESTED,
    ConsentAnswer.VERBAL: ConsentStatus.GIVEN,
    ConsentAnswer.NOT_GIVEN: ConsentStatus.REFUSED,
    ConsentAnswer.CANNOT: ConsentStatus.CANNOT_CONSENT,
}


@dataclass
class StartInput:
    individual: Individual | None = None
    new_person: NewPerson | None = None
    context: PlanContext | None = None
    ready_for_discharge_at: datetime | None = None
    preliminary_discharge_on: date | None = None
    reassess_before_home_on: date | None = None
    consents: list[ConsentChoice] = field(default_factory=list)


def all_units() -> list[Unit]:
    return list(
        db.session().scalars(
            sa.select(Unit)
            .join(Organisation, Unit.organisation_id == Organisation.id)
            .order_by(Organisation.principal, Unit.name)
        )
    )


def pin_error(reason: InvalidReason) -> str:
    return {
        InvalidReason.FORMAT: _("Skriv personnumret som ÅÅÅÅMMDD-NNNN (12 siffror)."),
        InvalidReason.DATE: _("Datumet i personnumret finns inte. Kontrollera siffrorna."),
        InvalidReason.CHECKSUM: _("Sista siffran stämmer inte. Kontrollera personnumret."),
    }[reason]


def person_pin(typed: PortalForm, errors: dict[str, str]) -> str | None:
    """The identity number as 12 digits, or None with the reason in `errors`."""
    problem = typed.problems().get("personal_identity_number")
    pin = None if problem else typed.value("personal_identity_number")
    if not pin:
        errors["personal_identity_number"] = problem or pin_error(InvalidReason.FORMAT)
    return pin


def find_person(pin12: str) -> Individual | None:
    return db.session().scalar(
        sa.select(Individual).where(Individual.personal_identity_number == pin12)
    )


def _ready_at(typed: PortalForm, context: PlanContext, errors: dict[str, str]) -> datetime | None:
    problems = typed.problems()
    if "ready_on" in problems or "ready_at" in problems:
        return None  # the field's own message is shown beside the date
    day, clock = typed.value("ready_on"), typed.value("ready_at")
    moment = None if day is None or clock is None else stockholm_moment(day, clock)
    if day is not None and clock is not None and moment is None:  # the hour the clock skips
        errors["ready_at"] = skipped_clock_message()
        return None
    problem = ready_problem(context, moment, now())  # portal.rules.start_dates
    if problem is DateProblem.MISSING:
        errors["ready_on"] = _("Skriv datum och klockslag för utskrivningsklar.")
    elif problem is DateProblem.AHEAD:
        errors["ready_on"] = _("Efter utskrivning kan tiden för utskrivningsklar inte vara framåt.")
    return moment


def _person(typed: PortalForm, errors: dict[str, str], into: StartInput) -> None:
    pin = person_pin(typed, errors)
    if pin is None:
        return
    into.individual = find_person(pin)
    if into.individual is not None:
        return
    for name, message in (
        ("given_name", _("Skriv förnamnet.")),
        ("family_name", _("Skriv efternamnet.")),
    ):
        if not typed.value(name):
            errors[name] = message
    into.new_person = NewPerson(
        personal_identity_number=pin,
        given_name=typed.value("given_name") or "",
        family_name=typed.value("family_name") or "",
        registered_address=typed.value("registered_address") or "",
        phone=typed.value("phone") or "",
    )


def _when_consented(typed: PortalForm, errors: dict[str, str]) -> datetime | None:
    if "consent_on" in typed.problems():
        return None
    day = typed.value("consent_on")
    problem = consent_day_problem(day, today_stockholm())  # portal.rules.start_dates
    if problem is DateProblem.MISSING:
        errors["consent_on"] = _("Skriv datumet då personen gav sitt samtycke.")
    elif problem is DateProblem.AHEAD:
        errors["consent_on"] = _("Datumet kan inte vara framåt i tiden.")
    return None if problem is not None or day is None else consent_moment(day)


def consent_moment(day: date) -> datetime:
    """A consent given on a day: today means now, an earlier day its noon (Stockholm)."""
    if day == today_stockholm():
        return now()
    return stockholm_to_utc(day, time(12, 0))


def _consents(typed: PortalForm, units: list[int], errors: dict[str, str]) -> list[ConsentChoice]:
    answer = typed.value("consent")
    if answer is None:
        errors["consent"] = _("Välj vad personen har sagt om samtycke.")
        return []
    note = typed.value("consent_note") or ""
    when: datetime | None = now()
    if answer is ConsentAnswer.VERBAL:
        when = _when_consented(typed, errors)
    if answer is ConsentAnswer.CANNOT and not note:
        errors["consent_note"] = _(
            "Skriv varför personen inte kan lämna samtycke (OSL 25 kap. 13 §)."
        )
    if when is None:
        return []
    return [ConsentChoice(unit_id, STATUS_OF[answer], when, note) for unit_id in units]


def read_start(typed: PortalForm) -> tuple[StartInput, dict[str, str]]:
    """The start of a SIP as typed (a StartForm read from the post): (input, errors by field
    id). A field's own contract message wins over the domain's."""
    errors: dict[str, str] = {}
    found = StartInput()
    _person(typed, errors, found)
    found.context = typed.value("context")
    if found.context is None:
        errors["context"] = _("Välj hur SIP:en startar.")
    context = found.context or PlanContext.AT_HOME
    found.ready_for_discharge_at = _ready_at(typed, context, errors)
    found.preliminary_discharge_on = typed.value("preliminary_discharge_on")
    found.reassess_before_home_on = typed.value("reassess_before_home_on")
    if needs_reassess_day(context) and "reassess_before_home_on" not in typed.problems():
        problem = reassess_day_problem(found.reassess_before_home_on, today_stockholm())
        if problem is DateProblem.MISSING:
            errors["reassess_before_home_on"] = _("Skriv senaste dag för omprövning före hemgång.")
        elif problem is DateProblem.PASSED:
            errors["reassess_before_home_on"] = _("Dagen för omprövning kan inte ha passerat.")
    known = {u.id for u in all_units()}
    chosen = typed.value("units") or []
    units = sorted(u for u in chosen if u in known)
    if not units:
        errors["units"] = _("Välj minst en enhet som deltar.")
    elif len(units) != len(chosen):  # a unit the form does not offer is refused, not dropped
        errors["units"] = _("Välj bara enheter i listan.")
    found.consents = _consents(typed, units, errors)
    return found, errors | contract_problems(typed)


class StartForm(PortalForm):
    """Each field's contract; the domain's own checks (who, which context needs what) follow."""

    step = ChoiceField(("find", "start"))  # which button: look the person up, or start
    plan_fields = FlagField(value="1")  # the plan's fields were on the page already
    personal_identity_number = PinField()
    given_name = TextField(max=100)
    family_name = TextField(max=100)
    registered_address = TextField(max=300)
    phone = PhoneField()
    context = EnumField(PlanContext, missing=lambda: _("Välj hur SIP:en startar."))
    ready_on = DayField(window=NEAR)
    ready_at = ClockField()
    preliminary_discharge_on = DayField(window=NEAR)
    reassess_before_home_on = DayField(window=COMING)
    consent = EnumField(ConsentAnswer, missing=lambda: _("Välj vad personen har sagt om samtycke."))
    consent_on = DayField(window=PAST_ONLY)
    consent_note = TextField(max=2000, lines=True)
    units = IdListField()


def contract_problems(typed: PortalForm) -> dict[str, str]:
    """What breaks a field's contract, by the id of the field the message sits beside."""
    problems = typed.problems()
    if "ready_at" in problems:  # the clock's message sits beside the day (one error slot)
        problems.setdefault("ready_on", problems.pop("ready_at"))
    return problems
