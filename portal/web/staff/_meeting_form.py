"""The invitation form ([004]: whom, why, who convenes, who is called and invited, when,
where, how): reading what was posted, filling it from a saved meeting, and comparing the
two on a version conflict. Field names are the form's input names and the error keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal import labels
from portal.models import Account, Meeting, Plan, Preparation, Relative, Staff
from portal.rules.vocabulary import MeetingForm, MeetingKind
from portal.services import meetings
from portal.services.meetings import Invitation
from portal.timeutil import now, stockholm_moment, to_stockholm
from portal.web.fields import (
    COMING,
    ClockField,
    DayField,
    EnumField,
    IdField,
    IdListField,
    PortalForm,
    RowVersionField,
    TextField,
    skipped_clock_message,
)

TIME_FIELDS = ("day", "starts", "ends")


def staff_label(person: Staff) -> str:
    return f"{person.name}, {labels.of(person.profession).lower()} – {person.unit.name}"


class InvitationForm(PortalForm):
    """The contract of every field of the invitation form."""

    purpose = TextField(max=2000, lines=True)
    questions = TextField(max=4000, lines=True)
    convener = IdField(required=True, missing=lambda: _("Välj sammankallande."))
    called = IdListField()
    invited = IdListField()
    other_invited = TextField(max=2000, lines=True)
    day = DayField(window=COMING, required=True, missing=lambda: _("Skriv datum för mötet."))
    starts = ClockField(required=True, missing=lambda: _("Skriv när mötet börjar."))
    ends = ClockField(required=True, missing=lambda: _("Skriv när mötet slutar."))
    form = EnumField(MeetingForm, required=True, missing=lambda: _("Välj mötesform."))
    place = TextField(max=300)
    join_info = TextField(max=300)
    row_version = RowVersionField()


def _other_names(text: str, errors: dict[str, str]) -> list[str]:
    names = [n.strip() for n in text.splitlines() if n.strip()]
    if any(len(n) > 200 for n in names) or len(names) > 30:
        errors["other_invited"] = _("Högst 30 namn, ett på varje rad och högst 200 tecken vardera.")
        return []
    return names


def invitation_from(
    typed: PortalForm, plan: Plan, by: Account, conveners: list[Staff]
) -> tuple[Invitation | None, dict[str, str]]:
    """The invitation typed (an InvitationForm read from the post), or every problem with it
    by field (all shown at once)."""
    errors = typed.problems()
    times = None
    if not errors.keys() & set(TIME_FIELDS):
        day = typed.value("day")
        starts, ends = (stockholm_moment(day, typed.value(f)) for f in ("starts", "ends"))
        for field, moment in (("starts", starts), ("ends", ends)):
            if moment is None:  # the hour the clock skips: else read as an hour later
                errors[field] = skipped_clock_message()
        times = (starts, ends) if starts and ends else None
    convener = next((s for s in conveners if s.id == typed.value("convener")), None)
    if convener is None:
        errors["convener"] = _("Välj sammankallande.")
    meeting_form = typed.value("form")
    soon = now() + timedelta(days=1)
    stand_in = Invitation(  # the rest is checked even when time or form is missing
        purpose=typed.value("purpose") or "",
        questions=typed.value("questions") or "",
        convener=convener or by.staff,
        called_staff_ids=typed.value("called"),
        invited_relative_ids=typed.value("invited"),
        starts_at=times[0] if times else soon,
        ends_at=times[1] if times else soon + timedelta(hours=1),
        form=meeting_form or MeetingForm.HOME,
        place=typed.value("place") or "",
        join_info=typed.value("join_info") or "",
        other_invited=_other_names(typed.value("other_invited") or "", errors),
    )
    skip = set(errors) | ({"place", "join_info"} if meeting_form is None else set())
    if times is None:
        skip |= {"day", "ends"}
    for field, message in meetings.problems(plan, stand_in, by).items():
        if field not in skip:
            errors[field] = str(message)
    return (None if errors else stand_in), errors


def defaults(
    plan: Plan, kind: MeetingKind, by: Account, preparation: Preparation | None
) -> MultiDict[str, str]:
    """A new invitation: the one signing in convenes; form and place as the individual wished.
    The purpose is read by the individual and by relatives alike: it names no "du"; it is
    written in the individual's language, whatever the language of the staff member's pages
    (the text is stored as typed and shown to the individual as it is)."""
    with force_locale(plan.individual.language):
        purpose = _purpose(kind)
    wished = preparation.preferred_form if preparation else None
    form = wished or MeetingForm.HOME
    place = (preparation.preferred_place if preparation else "") or (
        plan.individual.registered_address if form is MeetingForm.HOME else ""
    )
    return MultiDict(
        {
            "purpose": purpose,
            "convener": str(by.staff_id or ""),
            "form": form.value,
            "place": place,
        }
    )


def _purpose(kind: MeetingKind) -> str:
    purposes = {
        MeetingKind.FIRST: _("Planera vård och omsorg tillsammans, nu efter sjukhuset."),
        MeetingKind.FOLLOW_UP: _("Följa upp målen och planen tillsammans."),
        MeetingKind.HOME_HEALTH_HANDOVER: _(
            "Planera överlämningen av ansvaret för hemsjukvården. Det är inte SIP-mötet."
        ),
    }
    return purposes[kind]


def filled_from(meeting: Meeting) -> MultiDict[str, str]:
    """A saved invitation as the form shows it."""
    starts = to_stockholm(meeting.starts_at)
    ends = to_stockholm(meeting.ends_at) if meeting.ends_at else None
    values = MultiDict(
        {
            "purpose": meeting.purpose,
            "questions": meeting.questions,
            "convener": str(meeting.convener_id),
            "other_invited": "\n".join(p.other_name for p in meeting.participants if p.other_name),
            "day": starts.date().isoformat(),
            "starts": starts.strftime("%H:%M"),
            "ends": ends.strftime("%H:%M") if ends else "",
            "form": meeting.form.value,
            "place": meeting.place,
            "join_info": meeting.join_info,
            "row_version": str(meeting.row_version),
        }
    )
    for participant in meeting.participants:
        if participant.staff_id and participant.staff_id != meeting.convener_id:
            values.add("called", str(participant.staff_id))
        if participant.relative_id:
            values.add("invited", str(participant.relative_id))
    return values


@dataclass(frozen=True)
class Difference:
    label: str
    saved: str
    mine: str

    @property
    def differs(self) -> bool:
        return self.mine != self.saved


def _shown(values: MultiDict[str, str], names: dict[str, str]) -> dict[str, str]:
    def chosen(field: str) -> str:
        return "; ".join(names.get(f"{field}:{v}", v) for v in values.getlist(field))

    form = values.get("form", "")
    return {
        "when": f"{values.get('day', '')} {values.get('starts', '')}–{values.get('ends', '')}",
        "form": labels.for_staff(MeetingForm(form)) if form in set(MeetingForm) else form,
        "place": values.get("place", ""),
        "join_info": values.get("join_info", ""),
        "purpose": values.get("purpose", ""),
        "questions": values.get("questions", ""),
        "convener": names.get(f"convener:{values.get('convener', '')}", ""),
        "called": chosen("called"),
        "invited": chosen("invited"),
        "other_invited": "; ".join(
            n.strip() for n in values.get("other_invited", "").splitlines() if n.strip()
        ),
    }


def differences(
    mine: MultiDict[str, str], saved: Meeting, people: list[Staff], relatives: list[Relative]
) -> list[Difference]:
    """Every field in both versions: what is saved now beside what this person typed."""
    names = {f"convener:{s.id}": s.name for s in people} | {
        f"called:{s.id}": s.name for s in people
    }
    names |= {f"invited:{r.id}": r.name for r in relatives}
    for participant in saved.participants:  # someone no longer on the lists still has a name
        if participant.staff:
            names.setdefault(f"called:{participant.staff_id}", participant.staff.name)
        if participant.relative:
            names.setdefault(f"invited:{participant.relative_id}", participant.relative.name)
    names.setdefault(f"convener:{saved.convener_id}", saved.convener.name)
    theirs, ours = _shown(filled_from(saved), names), _shown(mine, names)
    words = {
        "when": _("Datum och tid"),
        "form": _("Mötesform"),
        "place": _("Plats"),
        "join_info": _("Telefonnummer eller länk"),
        "purpose": _("Syfte"),
        "questions": _("Frågor som ska tas upp"),
        "convener": _("Sammankallande"),
        "called": _("Kallade"),
        "invited": _("Inbjudna närstående"),
        "other_invited": _("Andra inbjudna"),
    }
    return [Difference(words[key], theirs[key], ours[key]) for key in words]
