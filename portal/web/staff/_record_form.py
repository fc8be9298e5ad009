"""The plan editor's posted form, as pure input (portal.rules.plan_content) and back again.

Works without JavaScript: the page always shows a number of rows (`goal_rows`,
`goal-N-item_rows`, `own_rows` travel as hidden fields), and an "add" submit button asks
for the same page again with one more row, keeping everything typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal.models import PlanVersion
from portal.rules.plan_content import (
    MAX_TEXT,
    ContentInput,
    ContentProblem,
    GoalInput,
    InterventionInput,
)
from portal.rules.vocabulary import GoalEvaluation, LegalBasis, MeetingForm
from portal.web import fields
from portal.web.fields import (
    NEAR,
    ChoiceField,
    CountField,
    DayField,
    EnumField,
    IdField,
    PortalForm,
    TextField,
    form_class,
)

ITEM_FIELDS = ("what", "unit", "responsible", "basis", "frequency", "follow_up_by")
MAX_ROWS = 30
E = TypeVar("E", LegalBasis, MeetingForm, GoalEvaluation)


@dataclass(frozen=True)
class Rows:
    """How many rows of each repeating group the page shows."""

    items_per_goal: tuple[int, ...]
    own: int

    @property
    def goals(self) -> range:
        return range(len(self.items_per_goal))


ADD_BUTTONS = ("goal", "own", *(f"item-{g}" for g in range(MAX_ROWS)))


def _shape_form(goals: int, items: int, own: int) -> type[PortalForm]:
    """The editor's shape: rows shown (hidden fields, out of range falls back) and the one
    "add" button pressed (only the page's own buttons)."""
    declared: dict[str, Any] = {
        "goal_rows": CountField(goals, low=1, high=MAX_ROWS),
        "own_rows": CountField(own, low=1, high=MAX_ROWS),
        "add": ChoiceField(ADD_BUTTONS),
    }
    for g in range(MAX_ROWS):
        declared[f"goal-{g}-item_rows"] = CountField(items, low=1, high=MAX_ROWS)
    return form_class("ShapeForm", declared)


def adding(form: Mapping[str, str]) -> bool:
    """Whether an "add" button was pressed (the page comes back with one more row)."""
    return bool(fields.read(_shape_form(2, 2, 2), form).value_if_valid("add"))


def rows(
    form: Mapping[str, str], *, goals: int = 2, items: int = 2, own: int = 2, add: bool = True
) -> Rows:
    """The rows to show, with one more where an "add" button was pressed."""
    typed = fields.read(_shape_form(goals, items, own), form)
    goal_rows = typed.value_if_valid("goal_rows")
    per_goal = [typed.value_if_valid(f"goal-{g}-item_rows") for g in range(goal_rows)]
    own_rows = typed.value_if_valid("own_rows")
    added = (typed.value_if_valid("add") or "") if add else ""
    if added == "goal" and goal_rows < MAX_ROWS:
        per_goal.append(items)
    elif added.startswith("item-"):
        index = int(added.removeprefix("item-"))
        if index < len(per_goal) and per_goal[index] < MAX_ROWS:
            per_goal[index] += 1
    elif added == "own" and own_rows < MAX_ROWS:
        own_rows += 1
    return Rows(tuple(per_goal), own_rows)


def content_form(shown: Rows) -> type[PortalForm]:
    """The contract of every field the editor shows (its names depend on the rows shown)."""
    declared: dict[str, Any] = {}
    for g, items in enumerate(shown.items_per_goal):
        declared[f"goal-{g}-text"] = TextField(max=MAX_TEXT, lines=True)
        for i in range(items):
            prefix = f"goal-{g}-item-{i}"
            declared[f"{prefix}-what"] = TextField(max=MAX_TEXT, lines=True)
            declared[f"{prefix}-unit"] = IdField()
            declared[f"{prefix}-responsible"] = IdField()
            declared[f"{prefix}-basis"] = EnumField(LegalBasis)
            declared[f"{prefix}-frequency"] = TextField(max=200)
            declared[f"{prefix}-follow_up_by"] = IdField()
    for n in range(shown.own):
        declared[f"own-{n}"] = TextField(max=MAX_TEXT, lines=True)
    declared["follow_up_on"] = DayField(window=NEAR)
    declared["follow_up_form"] = EnumField(MeetingForm)
    declared["follow_up_how"] = TextField(max=MAX_TEXT, lines=True)
    declared["change_summary"] = TextField(max=MAX_TEXT, lines=True)
    return form_class("ContentForm", declared)


def _intervention(typed: PortalForm, prefix: str) -> InterventionInput:
    return InterventionInput(
        what=typed.value(f"{prefix}-what") or "",
        unit_id=typed.value(f"{prefix}-unit"),
        responsible_id=typed.value(f"{prefix}-responsible"),
        legal_basis=typed.value(f"{prefix}-basis"),
        frequency=typed.value(f"{prefix}-frequency") or "",
        follow_up_by_id=typed.value(f"{prefix}-follow_up_by"),
    )


def parse_content(form: Mapping[str, str]) -> tuple[ContentInput, dict[str, str]]:
    """The typed content, and what could not even be read (a date, a choice, a bound)."""
    shown = rows(form, add=False)
    typed = fields.read(content_form(shown), form)
    errors = typed.problems()
    goals = tuple(
        GoalInput(
            text=typed.value(f"goal-{g}-text") or "",
            interventions=tuple(_intervention(typed, f"goal-{g}-item-{i}") for i in range(items)),
        )
        for g, items in enumerate(shown.items_per_goal)
    )
    content = ContentInput(
        goals=goals,
        own_responsibilities=tuple(typed.value(f"own-{n}") or "" for n in range(shown.own)),
        follow_up_on=typed.value("follow_up_on"),
        follow_up_form=typed.value("follow_up_form"),
        follow_up_how=typed.value("follow_up_how") or "",
        change_summary=typed.value("change_summary") or "",
    )
    return content, errors


def parse_evaluations(
    form: Mapping[str, str], goal_ids: list[int], errors: dict[str, str]
) -> tuple[dict[int, GoalEvaluation | None], dict[int, str]]:
    declared: dict[str, Any] = {}
    for goal_id in goal_ids:
        declared[f"evaluation-{goal_id}"] = EnumField(GoalEvaluation)
        declared[f"comment-{goal_id}"] = TextField(max=MAX_TEXT, lines=True)
    typed = fields.read(form_class("EvaluationForm", declared), form)
    errors |= typed.problems()
    evaluations = {goal_id: typed.value(f"evaluation-{goal_id}") for goal_id in goal_ids}
    comments = {goal_id: typed.value(f"comment-{goal_id}") or "" for goal_id in goal_ids}
    return evaluations, comments


class RecordForm(PortalForm):
    """The meeting record's own fields, beside the plan content."""

    notes = TextField(max=MAX_TEXT, lines=True)
    individual_present = ChoiceField(("yes", "no"))
    coordinator = IdField()
    coordinator_reason = TextField(max=2000, lines=True)
    wish_met = ChoiceField(("yes", "no"))


def yes_no(raw: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(raw or "")


def form_from_version(version: PlanVersion | None, *, with_summary: bool = True) -> MultiDict:
    """A version's content as the form would post it (to prefill the editor), plus empty rows."""
    data: MultiDict[str, str] = MultiDict()
    goals = version.goals if version else []
    for g, goal in enumerate(goals):
        data[f"goal-{g}-text"] = goal.text
        for i, item in enumerate(goal.interventions):
            prefix = f"goal-{g}-item-{i}"
            data[f"{prefix}-what"] = item.what
            data[f"{prefix}-unit"] = str(item.unit_id)
            data[f"{prefix}-responsible"] = str(item.responsible_id or "")
            data[f"{prefix}-basis"] = item.legal_basis.value
            data[f"{prefix}-frequency"] = item.frequency
            data[f"{prefix}-follow_up_by"] = str(item.follow_up_by_id or "")
        data[f"goal-{g}-item_rows"] = str(len(goal.interventions) + 1)
    data["goal_rows"] = str(len(goals) + 1)
    data[f"goal-{len(goals)}-item_rows"] = "2"
    own = version.own_responsibilities if version else []
    for n, item in enumerate(own):
        data[f"own-{n}"] = item.text
    data["own_rows"] = str(len(own) + 1)
    if version is not None:
        data["follow_up_on"] = version.follow_up_on.isoformat() if version.follow_up_on else ""
        data["follow_up_form"] = version.follow_up_form.value if version.follow_up_form else ""
        data["follow_up_how"] = version.follow_up_how
        if with_summary:
            data["change_summary"] = version.change_summary
    return data


def problem_messages(problems: Mapping[str, ContentProblem]) -> dict[str, str]:
    words = {
        ContentProblem.NO_GOALS: _("Skriv minst ett mål, med den enskildes egna ord."),
        ContentProblem.GOAL_TEXT_MISSING: _("Skriv målet som insatserna hör till."),
        ContentProblem.TOO_LONG: _("Högst %(n)s tecken.", n=format_decimal(MAX_TEXT)),
        ContentProblem.WHAT_MISSING: _("Skriv vad insatsen är."),
        ContentProblem.UNIT_NOT_TAKING_PART: _("Välj en enhet som deltar i planen."),
        ContentProblem.LEGAL_BASIS_MISSING: _("Välj lagrum (SoL, HSL, LSS eller LOS)."),
        ContentProblem.RESPONSIBLE_NOT_AT_UNIT: _("Den ansvariga ska arbeta på den valda enheten."),
        ContentProblem.FOLLOW_UP_BY_UNKNOWN: _("Välj någon från en enhet som deltar."),
        ContentProblem.FOLLOW_UP_BY_MISSING: _("Välj vem som följer upp insatsen."),
        ContentProblem.FOLLOW_UP_DATE_MISSING: _(
            "Skriv datum för uppföljning. En plan kan inte upprättas utan det."
        ),
        ContentProblem.FOLLOW_UP_DATE_TOO_EARLY: _("Uppföljningen ska vara efter mötet."),
        ContentProblem.FOLLOW_UP_FORM_MISSING: _("Välj hur uppföljningen ska ske."),
        ContentProblem.COORDINATOR_MISSING: _(
            "Utse en samordningsansvarig tillsammans med den enskilde."
        ),
        ContentProblem.COORDINATOR_NOT_PUBLIC: _(
            "Samordningsansvarig ska vara anställd i en region eller kommun."
        ),
        ContentProblem.COORDINATOR_NOT_TAKING_PART: _(
            "Välj samordningsansvarig bland personalen på enheterna som deltar."
        ),
        ContentProblem.EVALUATION_MISSING: _("Bedöm hur det har gått med målet."),
        ContentProblem.MEETING_NOT_BEGUN: _(
            "Mötet har inte börjat ännu. Det kan dokumenteras som genomfört först när det har börjat."
        ),
        ContentProblem.APPROVAL_MISSING: _(
            "Anteckna om den enskilde godkände ändringarna, inte godkände dem eller inte tillfrågades."
        ),
        ContentProblem.APPROVAL_REASON_MISSING: _("Skriv varför den enskilde inte tillfrågades."),
    }
    return {name: words[problem] for name, problem in problems.items()}


_ROW = re.compile(r"goal-(\d+)(?:-item-(\d+))?-|own-(\d+)$")


def summary_of(messages: Mapping[str, str]) -> dict[str, str]:
    """The error summary at the top of the record form says which goal, intervention or own
    responsibility each message is about ("Mål 1, insats 2: …"); beside the field it is plain."""
    placed = {}
    for name, message in messages.items():
        row = _ROW.match(name)
        if row is None:
            placed[name] = message
        elif row[3] is not None:
            placed[name] = _("Eget ansvar %(n)s: %(message)s", n=int(row[3]) + 1, message=message)
        elif row[2] is not None:
            placed[name] = _(
                "Mål %(goal)s, insats %(item)s: %(message)s",
                goal=int(row[1]) + 1,
                item=int(row[2]) + 1,
                message=message,
            )
        else:
            placed[name] = _("Mål %(goal)s: %(message)s", goal=int(row[1]) + 1, message=message)
    return placed
