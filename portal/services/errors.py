"""The project's own refusals: a service says no with one of these, never a built-in
exception (`PermissionError` is an `OSError`: a file-system error, not a domain answer).

Views translate them: `NotAllowedError` → 403. Refusals of input (beside a form field) keep
their own types (`PlanInputError`, `RecordRefusedError`, …).
"""

from __future__ import annotations


class DomainError(Exception):
    """A service refused: the base of the project's refusals."""


class NotAllowedError(DomainError):
    """This person may not do this to this object (the view answers 403). The reason is for
    the log and the tests; the person sees the 403 page."""
