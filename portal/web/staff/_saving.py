"""Saving a plan edit (meeting record, draft, follow-up): the answers the three forms share.

The service refuses the content (400: the page again, the problems beside the fields), or
finds that someone saved in between (409: the page again with what they saved beside the
input, which is kept — ADR 0012), or finds that the person may not (403).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort
from werkzeug.wrappers import Response

from portal.services.errors import NotAllowedError
from portal.services.meeting_records import RecordRefusedError, StaleEditError
from portal.web.staff._record_form import problem_messages

Saved = TypeVar("Saved")
Page = str | tuple[str, int] | Response


def save_edit(
    save: Callable[[], Saved],
    done: Callable[[Saved], Page],
    *,
    again: Callable[..., str],
    conflict: Callable[[StaleEditError], object],
    expected: int,
) -> Page:
    """`done(save())`; else `again(errors=…, row_version=expected)` for refused content, or
    `again(conflict=conflict(error))` (the rows as they are now) for a stale edit."""
    try:
        saved = save()
    except RecordRefusedError as error:
        return again(errors=problem_messages(error.problems), row_version=expected), 400
    except StaleEditError as error:
        return again(conflict=conflict(error)), 409
    except NotAllowedError:
        abort(403)
    return done(saved)
