"""A path parameter is parsed as strictly as a form field (ADR 0051): an id in a URL that is
not ASCII digits within the id columns' range names nothing and answers 404, never 500 (on
PostgreSQL an id beyond 32 bits was "integer out of range", on SQLite one beyond 64 bits an
OverflowError); a word in a URL
(a verification code, a language) outside its vocabulary is an ordinary answer too."""

from __future__ import annotations

import random
import re

import pytest
from flask import Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound

from portal.rules.row_ids import MAX_ID
from portal.web.converters import up_to
from tests.conftest import Demo
from tests.support.hostile import BEYOND_64_BITS, BEYOND_IDS, FULLWIDTH, HUGE, NEGATIVE, SUPERSCRIPT
from tests.support.meeting_forms import current_plan_id

# Not ids: 20 digits, one beyond 64 bits, one beyond the id columns, digits that are not ASCII
# (str.isdigit and \d take the fullwidth and Arabic-Indic ones, int() reads them), zero, below.
NOT_IDS = (
    HUGE,
    BEYOND_64_BITS,
    BEYOND_IDS,
    FULLWIDTH,
    "٣",
    SUPERSCRIPT,
    "0",
    NEGATIVE,
    "1\u202e",
)
_INT = re.compile(r"<int:[a-z_]+>")


def _int_rules(app: Flask) -> list[tuple[str, str]]:
    """(rule, a method it answers) for every rule with an id in its path."""
    return [
        (rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"})[0])
        for rule in app.url_map.iter_rules()
        if _INT.search(rule.rule)
    ]


def test_the_id_pattern_is_exactly_one_to_the_largest_id() -> None:
    pattern = re.compile(up_to(MAX_ID))
    draw = random.Random(12)
    edges = [0, 1, 9, 10, 10**9, MAX_ID - 1, MAX_ID, MAX_ID + 1, 2**63 - 1, 10**19]
    drawn = [draw.randrange(10 ** draw.randrange(1, 21)) for _ in range(20_000)]
    for value in edges + drawn:
        assert bool(pattern.fullmatch(str(value))) is (1 <= value <= MAX_ID), value
    for limit in (1, 9, 10, 205, 1000):
        small = re.compile(up_to(limit))
        assert [v for v in range(3 * limit + 20) if small.fullmatch(str(v))] == list(
            range(1, limit + 1)
        )
    assert not pattern.fullmatch("012") and not pattern.fullmatch("１２")


def test_every_id_in_a_url_is_ascii_digits_within_64_bits(app: Flask) -> None:
    rules = _int_rules(app)
    assert len(rules) > 40, "the int converter is on most staff and person pages"
    adapter = app.url_map.bind("portal.test")
    for rule, method in rules:
        assert adapter.match(_INT.sub("12", rule), method=method)[0]
        assert adapter.match(_INT.sub(str(MAX_ID), rule), method=method)[0]
        for value in NOT_IDS:
            with pytest.raises((NotFound, MethodNotAllowed)):
                adapter.match(_INT.sub(value, rule), method=method)


def test_ids_that_name_nothing_are_404_for_staff(signed_in, app: Flask, demo: Demo) -> None:
    client = signed_in("eva")
    plan_id = current_plan_id(app, "Astrid")
    assert client.get(f"/staff/plans/{plan_id}").status_code == 200
    for value in (*NOT_IDS, str(MAX_ID)):
        assert client.get(f"/staff/plans/{value}").status_code == 404, value
        assert client.get(f"/staff/plans/{plan_id}/versions/{value}").status_code == 404
        response = client.post_form(f"/staff/meetings/{value}/cancel", {"reason": "x"})
        assert response.status_code == 404, value


def test_ids_that_name_nothing_are_404_for_the_individual(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("astrid")
    for value in (*NOT_IDS, str(MAX_ID)):
        assert client.get(f"/me/plans/{value}").status_code == 404, value
        response = client.post_form(f"/me/relatives/{value}/revoke", {"confirmed": "yes"})
        assert response.status_code == 404, value


def test_a_word_in_a_url_outside_its_vocabulary_is_an_ordinary_answer(client) -> None:
    for word in ("７K2M-Q9XD-4T", "²³", "x" * 3000, "%00", "%E2%80%AE7K2M", "7K2M%0AQ9XD"):
        assert client.get(f"/verify/{word}").status_code == 404, word
        response = client.get(f"/language/{word}")
        assert response.status_code == 303 and response.headers["Location"] == "/", word
