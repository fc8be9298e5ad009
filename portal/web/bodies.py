"""What a request carries besides a posted form, read through the same field contracts
(ADR 0051): a JSON body (a page's script posting what the browser made, such as a push
subscription), a JSON object in a hidden field (a WebAuthn credential), and an uploaded file.
Bounded before anything is parsed; a wrong type is refused beside its field, never coerced."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import Field
from wtforms.validators import StopValidation

from portal.web.fields import Message, PortalForm, TextField, _say


class FileField(Field):
    """One uploaded file (the first if several are sent), at most `most` bytes: its bytes. A
    browser never fills a file input again, so nothing is kept; the message says the bound."""

    def __init__(
        self,
        label: str | None = None,
        *,
        most: int,
        required: bool = False,
        missing: Message | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, **kwargs)
        self.most, self.required, self.missing = most, required, missing
        self.received = b""  # at most one byte beyond the bound: enough to know it is over
        self.data: bytes = b""

    def process_formdata(self, valuelist: list[Any]) -> None:
        upload = next((v for v in valuelist if callable(getattr(v, "read", None))), None)
        self.received = upload.read(self.most + 1) if upload is not None else b""

    def pre_validate(self, form: Any) -> None:
        self.data = b"" if len(self.received) > self.most else self.received
        if len(self.received) > self.most:
            megabytes = format_decimal(self.most / 1024 / 1024, format="#,##0.#")
            raise StopValidation(_("Filen får vara högst %(n)s MB.", n=megabytes))
        if not self.data and self.required:
            raise StopValidation(_say(self.missing, lambda: _("Välj en fil.")))


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _value in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key repeated")  # which one counts would be a guess
    return dict(pairs)


def _no_constant(name: str) -> None:
    raise ValueError(name)  # NaN, Infinity: not JSON


def _depth(value: object) -> int:
    """How deeply `value` nests lists and objects (counted without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            stack.extend(
                (inner, level + 1) for inner in (item.values() if isinstance(item, dict) else item)
            )
    return deepest


def json_object(text: str | bytes, *, depth: int) -> dict[str, Any] | None:
    """`text` as a JSON object nested at most `depth` deep, else None: not JSON (or not UTF-8),
    not an object, a repeated key, NaN, or nested deeper. Nested past Python's recursion limit
    the parser raises RecursionError, which no caller expects; that is None too."""
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict) or _depth(value) > depth:
        return None
    return value


def json_message(depth: int) -> str:
    return _("Skicka ett JSON-objekt, högst %(n)s nivåer djupt.", n=format_decimal(depth))


class JsonField(TextField):
    """A JSON object as text, as a page's script puts it in a hidden field (a WebAuthn
    credential): at most `max` characters and `depth` levels; kept as typed, for the library
    that reads it."""

    def __init__(self, label: str | None = None, *, max: int, depth: int, **kwargs: Any) -> None:
        super().__init__(label, max=max, lines=True, **kwargs)
        self.depth = depth

    def parse(self, text: str) -> str:
        text = super().parse(text)
        if json_object(text, depth=self.depth) is None:
            raise StopValidation(json_message(self.depth))
        return text


BODY = "body"  # the key of a problem with a JSON body as a whole


def _at(data: Mapping[str, Any], name: str) -> Any:
    """data["a"]["b"] for the field name "a.b"; None where a step is missing or not an object."""
    value: Any = data
    for step in name.split("."):
        value = value.get(step) if isinstance(value, dict) else None
    return value


def read_json(
    form_class: type[PortalForm], body: bytes, *, most: int, depth: int = 4
) -> PortalForm:
    """A request body of JSON read into a form class, the same contracts as a posted form: at
    most `most` bytes, an object at most `depth` deep (else a problem under BODY); a field named
    "a.b" reads data["a"]["b"] and must be text, or absent or null. A number, list or object
    there is refused beside that field, never turned into text."""
    refused: dict[str, str] = {}
    data: dict[str, Any] | None = None
    if len(body) > most:
        refused[BODY] = _(
            "Högst %(n)s byte. Nu är det %(now)s.",
            n=format_decimal(most),
            now=format_decimal(len(body)),
        )
    else:
        data = json_object(body, depth=depth)
        if data is None:
            refused[BODY] = json_message(depth)
    flat: MultiDict[str, str] = MultiDict()
    for key, field in form_class(formdata=None)._fields.items():  # key: as in problems()
        value = _at(data or {}, field.name)
        if isinstance(value, str):
            flat.add(field.name, value)
        elif value is not None:
            refused[key] = _("Här ska det stå text.")
    typed = form_class(formdata=flat)
    typed.refused = refused
    return typed
