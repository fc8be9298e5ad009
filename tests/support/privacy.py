"""What no message leaving the portal may carry (ADR 0093), collected from the database.

`Forbidden.found_in(text)` names what a text carries that it must not: a name of anyone in
the database, an identity number (any shape), a plan number, an address, a phone number, a
unit's or an organisation's name, any text staff or the person wrote about the plan (goals,
interventions, purposes, notes, requests and answers, reasons), or a health word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.models import (
    ConsentEvent,
    CoordinatorAssignment,
    CoordinatorWish,
    EvaluatedGoal,
    FollowUp,
    Goal,
    Individual,
    Intervention,
    Meeting,
    Organisation,
    OwnResponsibility,
    Plan,
    PlanRequest,
    PlanVersion,
    Preparation,
    Relative,
    Staff,
    Unit,
)

# Words that tell of a person's health or care, in Swedish and English (ADR 0093). Matched
# as the start of a word, case-insensitively ("höft" finds "höftoperationen").
HEALTH_WORDS = (
    "diagnos",
    "demens",
    "dementia",
    "diabetes",
    "stroke",
    "cancer",
    "höft",
    "hip",
    "fraktur",
    "fracture",
    "psykiatri",
    "psychiatr",
    "missbruk",
    "beroende",
    "addiction",
    "depression",
    "hjärt",
    "heart",
    "läkemedel",
    "medicin",
    "medication",
    "insulin",
    "dialys",
    "palliativ",
    "rehabilitering",
    "sjukhus",
    "hospital",
    "slutenvård",
    "utskriv",
    "discharge",
    "inskriv",
    "inlagd",
    "admitted",
    "sjuk",
    "ill",
    "hemsjukvård",
    "hemtjänst",
    "home help",
    "home care",
    "vårdcentral",
    "hälsocentral",
    "äldreomsorg",
    "operation",
    "symptom",
    "behandling",
    "treatment",
)

IDENTITY_NUMBER = re.compile(r"(?<!\d)(?:19|20)?\d{6}[-+]?\d{4}(?!\d)")
PLAN_NUMBER = re.compile(r"SIP-\d{4}-\d+", re.IGNORECASE)

# The plan's own texts: whatever staff or the person wrote about needs, goals and care.
FREE_TEXT = (
    Goal.text,
    Intervention.what,
    Intervention.frequency,
    OwnResponsibility.text,
    FollowUp.how,
    Meeting.purpose,
    Meeting.questions,
    Meeting.cancel_reason,
    Meeting.record_notes,
    Meeting.join_info,
    Preparation.needs_wishes,
    Preparation.how_i_want_it,
    Preparation.what_matters,
    Preparation.topics,
    Preparation.wanted_attendees,
    PlanRequest.message,
    PlanRequest.response,
    ConsentEvent.note,
    Plan.close_note,
    Plan.cannot_consent_note,
    CoordinatorAssignment.reason,
    CoordinatorWish.description,
    CoordinatorWish.reason,
    PlanVersion.change_summary,
    PlanVersion.follow_up_how,
    EvaluatedGoal.comment,
)
NAMES = (
    Individual.given_name,
    Individual.family_name,
    Relative.given_name,
    Relative.family_name,
    Staff.given_name,
    Staff.family_name,
)
CONTACT = (
    Individual.registered_address,
    Individual.phone,
    Individual.email,
    Relative.phone,
    Relative.email,
    Staff.phone,
    Staff.email,
    Staff.title,
    Unit.name,
    Unit.phone,
    Unit.email,
    Organisation.name,
)


def _values(db: Session, columns: tuple[sa.orm.InstrumentedAttribute, ...]) -> set[str]:
    found: set[str] = set()
    for column in columns:
        found |= {v.strip() for v in db.scalars(sa.select(column).distinct()) if v and v.strip()}
    return found


@dataclass(frozen=True)
class Forbidden:
    names: frozenset[str]
    texts: frozenset[str]  # whole values: a plan text, an address, a unit's name
    words: frozenset[str]  # the long words of the plan's texts (a part copied is a leak too)
    numbers: frozenset[str]  # identity numbers as stored, with their 10-digit forms

    def found_in(self, text: str) -> list[str]:
        lowered = text.lower()
        found = [
            n for n in self.names if re.search(rf"(?<!\w){re.escape(n.lower())}(?!\w)", lowered)
        ]
        found += [t for t in self.texts if t.lower() in lowered]
        found += [w for w in self.words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", lowered)]
        found += [n for n in self.numbers if n in re.sub(r"[-+ ]", "", text)]
        found += IDENTITY_NUMBER.findall(text) + PLAN_NUMBER.findall(text)
        found += [w for w in HEALTH_WORDS if re.search(rf"(?<!\w){re.escape(w)}", lowered)]
        return found


def forbidden(db: Session) -> Forbidden:
    """Everything in the database a message must not carry, as it stands now."""
    free = _values(db, FREE_TEXT)
    words = {
        w.lower()
        for text in free
        for w in re.findall(r"\w+", text)
        if len(w) >= 8 and not w.isdigit()
    }
    numbers = set()
    for pin in _values(db, (Individual.personal_identity_number,)) | {
        p for p in db.scalars(sa.select(Relative.personal_identity_number)) if p
    }:
        numbers |= {pin, pin[2:]}
    return Forbidden(
        names=frozenset(n for n in _values(db, NAMES) if len(n) >= 2),
        texts=frozenset(
            t for t in free | _values(db, CONTACT) | _values(db, (Plan.number,)) if len(t) >= 4
        ),
        words=frozenset(words),
        numbers=frozenset(numbers),
    )
