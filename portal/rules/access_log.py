"""The individual's access log, grouped as people read it: by day, then by person.

Pure: the service loads events as `LogEntry` facts (newest first); this module groups them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from portal.rules.row_ids import names_a_row


@dataclass(frozen=True)
class Cursor:
    """Keyset position: the next page holds events strictly older than (at, id)."""

    at: datetime
    id: int

    def token(self) -> str:
        return f"{self.at.isoformat()}_{self.id}"

    @classmethod
    def parse(cls, token: str | None) -> Cursor | None:
        """The position a token names, in UTC as the times are stored (a hand-made token with
        another offset would otherwise be compared as written on SQLite, where times are
        text); None for anything else, a time past the calendar in UTC included."""
        if not token or "_" not in token:
            return None
        at, _, id_ = token.rpartition("_")
        try:
            parsed = datetime.fromisoformat(at)
            number = int(id_)
            if parsed.tzinfo is None:
                return None
            parsed = parsed.astimezone(UTC)
        except (ValueError, OverflowError):
            return None
        if not names_a_row(number) or not id_.isascii():
            return None
        return cls(parsed, number)


@dataclass(frozen=True)
class Actor:
    account_id: int | None
    name: str
    role: str
    unit: str
    for_individual: bool  # a relative acting on the individual's behalf


@dataclass(frozen=True)
class LogEntry:
    id: int
    at: datetime
    day: date  # in Europe/Stockholm
    actor: Actor
    type: str
    object_type: str
    mine: bool


@dataclass
class LogLine:
    type: str
    object_type: str
    latest: datetime
    earliest: datetime
    count: int = 1


@dataclass
class LogPerson:
    actor: Actor
    mine: bool
    lines: list[LogLine] = field(default_factory=list)


@dataclass
class LogDay:
    day: date
    people: list[LogPerson] = field(default_factory=list)


def group(entries: list[LogEntry]) -> list[LogDay]:
    """Days newest first; in a day, people by their latest event; for each, what they did."""
    days: list[LogDay] = []
    for entry in entries:
        if not days or days[-1].day != entry.day:
            days.append(LogDay(entry.day))
        today = days[-1]
        person = next((p for p in today.people if p.actor == entry.actor), None)
        if person is None:
            person = LogPerson(entry.actor, entry.mine)
            today.people.append(person)
        line = next(
            (x for x in person.lines if (x.type, x.object_type) == (entry.type, entry.object_type)),
            None,
        )
        if line is None:
            person.lines.append(LogLine(entry.type, entry.object_type, entry.at, entry.at))
        else:
            line.count += 1
            line.earliest = min(line.earliest, entry.at)
            line.latest = max(line.latest, entry.at)
    return days
