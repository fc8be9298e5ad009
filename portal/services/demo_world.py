"""Building blocks for the demo stories: organisations, staff, and small constructors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from portal.models import (
    Account,
    ConsentEvent,
    Individual,
    Meeting,
    MeetingParticipant,
    Organisation,
    Plan,
    PlanVersion,
    Staff,
    Unit,
)
from portal.rules.deadlines import acknowledgement_due
from portal.rules.vocabulary import (
    AccountKind,
    ConsentMethod,
    ConsentStatus,
    MeetingForm,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    Principal,
    Profession,
    UnitKind,
)
from portal.timeutil import stockholm_to_utc

REGION_NAME = "Region Norrsund"


def test_pin(birth: str, serial: str) -> str:
    """A 12-digit test identity number: birth YYYYMMDD + serial (980–999) + Luhn digit."""
    digits = birth[2:] + serial
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return birth + serial + str((10 - total % 10) % 10)


def weekday_after(day: date, days: int) -> date:
    """The first Monday–Friday at least `days` after `day` (meetings are held on weekdays)."""
    result = day + timedelta(days=days)
    while result.weekday() >= 5:
        result += timedelta(days=1)
    return result


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A Stockholm wall-clock time on `day`, as UTC."""
    return stockholm_to_utc(day, time(hour, minute))


@dataclass
class World:
    db: Session
    today: date
    units: dict[str, Unit] = field(default_factory=dict)
    staff: dict[str, Staff] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    # Versions the stories signed: (version, signer, when). Sealed once everything is stored.
    signed: list[tuple[PlanVersion, Staff, datetime]] = field(default_factory=list)

    def add_organisations(self) -> None:
        region = Organisation(name=REGION_NAME, principal=Principal.REGION)
        municipality = Organisation(name="Norrsunds kommun", principal=Principal.MUNICIPALITY)
        specs = [
            ("hc", region, "Hälsocentralen Björkhagen", UnitKind.HEALTH_CENTRE, "0601-12 34 00"),
            ("alsa", region, "ÄlSa-teamet Norrsund", UnitKind.ALSA_TEAM, "0601-12 35 00"),
            ("ward", region, "Norrsunds sjukhus, avdelning 3", UnitKind.HOSPITAL_WARD, ""),
            (
                "nas",
                municipality,
                "Biståndshandläggningen",
                UnitKind.NEEDS_ASSESSMENT,
                "0601-19 00 10",
            ),
            (
                "hhc",
                municipality,
                "Hemsjukvården Norrsund",
                UnitKind.HOME_HEALTH_CARE,
                "0601-19 00 20",
            ),
            ("hh", municipality, "Hemtjänst Centrum", UnitKind.HOME_HELP, "0601-19 00 30"),
            (
                "sts",
                municipality,
                "Korttidsboendet Lärkan",
                UnitKind.SHORT_TERM_STAY,
                "0601-19 00 40",
            ),
        ]
        for key, org, name, kind, phone in specs:
            self.units[key] = Unit(organisation=org, name=name, kind=kind, phone=phone)
            self.db.add(self.units[key])

    def add_staff(self) -> None:
        specs = [
            ("eva", "hc", "Eva", "Sjöberg", Profession.DISTRICT_NURSE),
            ("johan", "hc", "Johan", "Berg", Profession.PHYSICIAN),
            ("fatima", "alsa", "Fatima", "Al-Hassan", Profession.NURSE),
            ("maria", "nas", "Maria", "Lund", Profession.NEEDS_ASSESSOR),
            ("anders", "hhc", "Anders", "Öberg", Profession.OCCUPATIONAL_THERAPIST),
            ("sara", "hhc", "Sara", "Nyström", Profession.PHYSIOTHERAPIST),
            ("lena", "hhc", "Lena", "Holm", Profession.DISTRICT_NURSE),
            ("peter", "hh", "Peter", "Strand", Profession.UNIT_MANAGER),
            ("nina", "sts", "Nina", "Karlsson", Profession.NURSE),
        ]
        for key, unit_key, given, family, profession in specs:
            unit = self.units[unit_key]
            person = Staff(
                unit=unit,
                given_name=given,
                family_name=family,
                profession=profession,
                phone=unit.phone,
                email=f"{key}.{unit_key}@norrsund.example",
                is_care_contact=key == "eva",
                is_unit_admin=key == "peter",
            )
            self.staff[key] = person
            self.accounts[key] = Account(kind=AccountKind.STAFF, staff=person)
            self.db.add_all([person, self.accounts[key]])

    def individual(self, key: str, given: str, family: str, pin: str, address: str) -> Individual:
        person = Individual(
            personal_identity_number=pin,
            given_name=given,
            family_name=family,
            registered_address=address,
            phone="070-000 00 00",
        )
        self.accounts[key] = Account(kind=AccountKind.INDIVIDUAL, individual=person)
        self.db.add_all([person, self.accounts[key]])
        return person

    def consent(self, plan: Plan, unit_keys: list[str], when: datetime, by: str) -> None:
        for key in unit_keys:
            self.db.add(
                ConsentEvent(
                    plan=plan,
                    unit=self.units[key],
                    status=ConsentStatus.GIVEN,
                    method=ConsentMethod.RECORDED_BY_STAFF,
                    effective_at=when,
                    recorded_by=self.accounts[by],
                )
            )

    def meeting(
        self,
        plan: Plan,
        kind: MeetingKind,
        starts: datetime,
        form: MeetingForm,
        called: list[str],
        **kw: object,
    ) -> Meeting:
        held = kw.get("status") is MeetingStatus.HELD
        invited_at = kw.pop("invited_at", starts - timedelta(days=5))
        meeting = Meeting(
            plan=plan,
            kind=kind,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            form=form,
            convener=kw.pop("convener", plan.convener),
            invited_at=invited_at,
            individual_present=True if held else None,
            **kw,
        )
        for key in called:
            person = self.staff[key]
            own = person is meeting.convener
            meeting.participants.append(
                MeetingParticipant(
                    role=ParticipantRole.CALLED,
                    staff=person,
                    unit=person.unit,
                    # [003]: as the invitation service sets it; the convener's own is none
                    acknowledgement_due_at=None if own else acknowledgement_due(invited_at),
                    acknowledged_at=invited_at
                    if own
                    else invited_at + timedelta(hours=2)
                    if held
                    else None,
                    attended=True if held else None,
                )
            )
        self.db.add(meeting)
        return meeting
