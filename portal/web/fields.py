"""Every field's contract, declared once (ADR 0050): WTForms form classes through Flask-WTF
with a few strict field types of our own.

A field parses strictly (ASCII digits only, enums only from their vocabulary, booleans only
from their two values), states its bound in the message ("Högst 200 tecken", "Välj ett datum
mellan 1 december 2026 och 1 december 2028") and never changes what was typed: the page is
re-rendered from the posted form, so the person's own words stay.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field
from wtforms.validators import StopValidation

from portal.rules.phone import MIN_PHONE_DIGITS, PHONE_MAX, ascii_digits
from portal.rules.row_ids import MAX_ID as MAX_ID  # re-exported: the forms' bound
from portal.rules.row_ids import names_a_row
from portal.rules.text import storable

MAX_ROW_VERSION = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")  # as many as 2**63 has: more is no number we keep
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CLOCK = re.compile(r"[0-9]{2}:[0-9]{2}")

Message = str | Callable[[], str]


def _say(message: Message | None, default: Callable[[], str]) -> str:
    if message is None:
        return default()
    return message() if callable(message) else str(message)


def strict_id(raw: str | None) -> int | None:
    """An id as posted: ASCII digits only, 1 … MAX_ID (the id columns' range, 2**31-1);
    anything else is None."""
    text = (raw or "").strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if names_a_row(value) else None


class _Strict(Field):
    """The first posted value as text (a duplicated field counts once), kept as typed."""

    def __init__(
        self,
        label: str | None = None,
        *,
        required: bool = False,
        missing: Message | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, **kwargs)
        self.required = required
        self.missing = missing
        self.raw = ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw = str(valuelist[0]) if valuelist else ""
        self.data = None

    def _value(self) -> str:
        return self.raw

    def pre_validate(self, form: Any) -> None:
        if not self.raw.strip():
            self.data = self.empty()
            if self.required:
                raise StopValidation(_say(self.missing, lambda: _("Fyll i det här.")))
            raise StopValidation()
        self.data = self.parse(self.raw.strip())

    def empty(self) -> Any:
        return None

    def parse(self, text: str) -> Any:  # pragma: no cover - every field type overrides it
        raise NotImplementedError


class TextField(_Strict):
    """Text with a declared most number of characters; one line unless `lines`."""

    def __init__(
        self,
        label: str | None = None,
        *,
        max: int,
        lines: bool = False,
        required: bool = False,
        missing: Message | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, required=required, missing=missing, **kwargs)
        self.max = max
        self.lines = lines

    def empty(self) -> str:
        return ""

    def parse(self, text: str) -> str:
        if not storable(text, lines=self.lines):  # portal.rules.text
            raise StopValidation(
                # the character may be invisible (copied from elsewhere): say so, and what to do
                _(
                    "Texten innehåller ett tecken som inte går att spara. Det kan vara ett "
                    "osynligt tecken från en kopierad text: skriv texten själv och försök igen."
                )
                if self.lines
                else _(
                    "Skriv på en rad, utan tecken som inte går att spara (det kan vara osynliga "
                    "tecken från en kopierad text)."
                )
            )
        if len(text) > self.max:
            raise StopValidation(
                _(
                    "Högst %(n)s tecken. Nu är det %(now)s.",
                    n=format_decimal(self.max),
                    now=format_decimal(len(text)),
                )
            )
        return text


_PHONE = re.compile(r"\+?[0-9][0-9 \-]*")


class PhoneField(_Strict):
    """A phone number as typed: ASCII digits, spaces, a leading + and hyphens, at most
    PHONE_MAX characters (the columns' length too), at least six digits. Kept as typed; the
    SMS channel makes it E.164."""

    def empty(self) -> str:
        return ""

    def parse(self, text: str) -> str:
        if len(text) > PHONE_MAX:
            raise StopValidation(
                _(
                    "Högst %(n)s tecken. Nu är det %(now)s.",
                    n=format_decimal(PHONE_MAX),
                    now=format_decimal(len(text)),
                )
            )
        if not _PHONE.fullmatch(text) or ascii_digits(text) < MIN_PHONE_DIGITS:
            raise StopValidation(
                _("Skriv ett telefonnummer med siffror, till exempel 070-123 45 67.")
            )
        return text


class PinField(_Strict):
    """A Swedish personal identity number, kept as 12 ASCII digits (rules.identity)."""

    def parse(self, text: str) -> str:
        from portal.rules.identity import InvalidPinError, parse_pin
        from portal.timeutil import today_stockholm
        from portal.web.staff._start_form import pin_error

        try:
            return parse_pin(text, today_stockholm())
        except InvalidPinError as error:
            raise StopValidation(pin_error(error.reason)) from None


class IdField(_Strict):
    """A choice of a row by its id: ASCII digits, 1 … MAX_ID."""

    def parse(self, text: str) -> int:
        value = strict_id(text)
        if value is None:
            raise StopValidation(_say(self.missing, lambda: _("Välj i listan.")))
        return value


class IdListField(Field):
    """Several ids (checkboxes): every one strict, duplicates counted once, order kept."""

    def __init__(self, label: str | None = None, *, most: int = 200, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.most = most
        self.raw: list[str] = []
        self.data: list[int] = []

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw = [str(v) for v in valuelist]

    def pre_validate(self, form: Any) -> None:
        ids = [strict_id(v) for v in self.raw if v.strip()]
        if any(i is None for i in ids) or len(ids) > self.most:
            self.data = []
            raise StopValidation(_("Välj i listan."))
        self.data = list(dict.fromkeys(i for i in ids if i is not None))


class EnumField(_Strict):
    """One value of a vocabulary (an Enum), optionally only some of its members."""

    def __init__(
        self,
        kind: type[Enum],
        label: str | None = None,
        *,
        only: Iterable[Enum] | None = None,
        required: bool = False,
        missing: Message | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, required=required, missing=missing, **kwargs)
        self.kind = kind
        self.only = tuple(only) if only is not None else tuple(kind)

    def parse(self, text: str) -> Enum:
        chosen = next((m for m in self.only if m.value == text), None)
        if chosen is None:
            raise StopValidation(_say(self.missing, lambda: _("Välj i listan.")))
        return chosen


class EnumListField(Field):
    """Several values of a vocabulary (checkboxes): every one known, duplicates counted once."""

    def __init__(
        self,
        kind: type[Enum],
        label: str | None = None,
        *,
        required: bool = False,
        missing: Message | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, **kwargs)
        self.kind = kind
        self.required = required
        self.missing = missing
        self.raw: list[str] = []
        self.data: list[Enum] = []

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw = [str(v) for v in valuelist]

    def pre_validate(self, form: Any) -> None:
        known = {m.value: m for m in self.kind}
        chosen = [known.get(v) for v in self.raw if v.strip()]
        if any(m is None for m in chosen) or len(chosen) > len(known) * 2:
            self.data = []
            raise StopValidation(_say(self.missing, lambda: _("Välj i listan.")))
        self.data = list(dict.fromkeys(m for m in chosen if m is not None))
        if self.required and not self.data:
            raise StopValidation(_say(self.missing, lambda: _("Välj minst en.")))


class ChoiceField(_Strict):
    """One of a fixed set of words (a submit button's value, a radio without an Enum)."""

    def __init__(
        self,
        values: Iterable[str],
        label: str | None = None,
        *,
        required: bool = False,
        missing: Message | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, required=required, missing=missing, **kwargs)
        self.values = tuple(values)

    def parse(self, text: str) -> str:
        if text not in self.values:
            raise StopValidation(_say(self.missing, lambda: _("Välj i listan.")))
        return text


class FlagField(_Strict):
    """A checkbox: absent is False, its one value is True, anything else is refused."""

    def __init__(self, label: str | None = None, *, value: str = "yes", **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.value = value

    def empty(self) -> bool:
        return False

    def parse(self, text: str) -> bool:
        if text != self.value:
            raise StopValidation(_("Kryssa i rutan eller låt den vara tom."))
        return True


def years_from(day: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Window:
    """Dates from `back` years before today to `ahead` years after it (Stockholm)."""

    back: int
    ahead: int

    def bounds(self, today: date) -> tuple[date, date]:
        return years_from(today, -self.back), years_from(today, self.ahead)


PAST_ONLY = Window(back=10, ahead=0)  # what was said or happened: up to ten years back
COMING = Window(back=0, ahead=2)  # what is planned: today up to two years ahead
NEAR = Window(back=1, ahead=2)  # a day around now (a record, a start)


def window_message(low: date, high: date) -> str:
    from portal.web.dates import show_date

    return _(
        "Välj ett datum mellan %(low)s och %(high)s.",
        low=show_date(low, "long"),
        high=show_date(high, "long"),
    )


def skipped_clock_message() -> str:
    """For a time in the hour the clock skips in Stockholm (timeutil.stockholm_moment),
    which would otherwise be read, stored and shown as an hour later."""
    return _(
        "Klockslaget finns inte den dagen: natten till sommartid ställs klockan fram "
        "från 02.00 till 03.00. Välj en annan tid."
    )


class DayField(_Strict):
    """A date as ÅÅÅÅ-MM-DD within a window relative to today."""

    def __init__(
        self,
        label: str | None = None,
        *,
        window: Window,
        required: bool = False,
        missing: Message | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, required=required, missing=missing, **kwargs)
        self.window = window

    def parse(self, text: str) -> date:
        from portal.timeutil import today_stockholm

        try:
            day = date.fromisoformat(text) if _DAY.fullmatch(text) else None
        except ValueError:
            day = None
        if day is None:
            raise StopValidation(_("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-12-24."))
        low, high = self.window.bounds(today_stockholm())
        if not low <= day <= high:
            raise StopValidation(window_message(low, high))
        return day


class ClockField(_Strict):
    """A time of day as TT:MM."""

    def parse(self, text: str) -> time:
        clock = None
        if _CLOCK.fullmatch(text):
            try:
                clock = time.fromisoformat(text)
            except ValueError:
                clock = None
        if clock is None:
            raise StopValidation(_("Skriv tiden som TT:MM, till exempel 09:30."))
        return clock


_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")


class MomentField(_Strict):
    """A day and a time (ÅÅÅÅ-MM-DD TT:MM, as a datetime-local input sends it), Stockholm,
    with its day inside a window relative to today."""

    def __init__(
        self,
        label: str | None = None,
        *,
        window: Window,
        required: bool = False,
        missing: Message | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, required=required, missing=missing, **kwargs)
        self.window = window

    def parse(self, text: str) -> datetime:
        from portal.timeutil import STOCKHOLM, stockholm_clock_exists, today_stockholm

        moment = None
        if _MOMENT.fullmatch(text):
            try:
                moment = datetime.fromisoformat(text.replace(" ", "T")).replace(tzinfo=STOCKHOLM)
            except ValueError:
                moment = None
        if moment is None:
            raise StopValidation(_("Skriv datum och klockslag, till exempel 2026-03-02 10:30."))
        if not stockholm_clock_exists(moment.date(), moment.time()):
            raise StopValidation(skipped_clock_message())
        low, high = self.window.bounds(today_stockholm())
        if not low <= moment.date() <= high:
            raise StopValidation(window_message(low, high))
        return moment


class CountField(_Strict):
    """A small whole number from a hidden field (rows shown): out of range falls back."""

    def __init__(self, default: int, *, low: int, high: int, **kwargs: Any) -> None:
        super().__init__(None, **kwargs)
        self.fallback, self.low, self.high = default, low, high

    def empty(self) -> int:
        return self.fallback

    def parse(self, text: str) -> int:
        if not _DIGITS.fullmatch(text):
            return self.fallback
        return max(self.low, min(self.high, int(text)))


def small_number(raw: str | None, *, default: int, low: int, high: int) -> int:
    """A page number or a count from a query string: ASCII digits, clamped; else default."""
    text = (raw or "").strip()
    if not re.fullmatch(r"[0-9]{1,9}", text):
        return default
    return max(low, min(high, int(text)))


class RowVersionField(_Strict):
    """The version a page was made from. A missing or forged one never matches a real
    version, so the save is answered as a conflict, with what was typed kept."""

    NEVER = -1

    def empty(self) -> int:
        return self.NEVER

    def parse(self, text: str) -> int:
        if not _DIGITS.fullmatch(text) or int(text) > MAX_ROW_VERSION:
            return self.NEVER
        return int(text)


class PortalForm(FlaskForm):
    """A form class: its fields are the contract. CSRF is checked for every POST by
    CSRFProtect already, so the form itself does not check it a second time."""

    class Meta:
        csrf = False

    refused: Mapping[str, str] = {}  # what `read_json` refused before any field saw it

    def problems(self) -> dict[str, str]:
        """The first message per field, by the field's input name (the error keys pages use)."""
        self.validate()
        own = {name: str(errors[0]) for name, errors in self.errors.items() if errors}
        return {**own, **self.refused}

    def value(self, name: str) -> Any:
        return self._fields[name].data

    def value_if_valid(self, name: str) -> Any:
        """The field's value, or its empty value when it breaks its contract (validates
        the whole form first; for fields where a bad value means "not given")."""
        problems = self.problems()
        field = self._fields[name]
        if field.name in problems and isinstance(field, _Strict):
            return field.empty()
        return field.data


def read(form_class: type[PortalForm], data: Mapping[str, Any] | None = None) -> PortalForm:
    """The form class filled from `data` (a posted MultiDict), or from the request."""
    if data is None:
        return form_class()
    formdata = data if isinstance(data, MultiDict) else MultiDict(data)
    return form_class(formdata=formdata)


class VersionForm(PortalForm):
    row_version = RowVersionField()


def expected_version(data: Mapping[str, Any] | None = None) -> int:
    """The version the posted page was made from; a missing or forged one is -1."""
    typed = read(VersionForm, data)
    typed.validate()
    return int(typed.value("row_version"))


def form_class(name: str, fields: Mapping[str, Field]) -> type[PortalForm]:
    """A form class whose field names are known only from the page (goal-0-text, …)."""
    return type(name, (PortalForm,), dict(fields))
