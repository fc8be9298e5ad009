"""Four people, four rows of the coordinator table in SIP-DOMAIN.md.

- Astrid: just home after a hip fracture; first meeting soon; extensive home health.
  Her daughter Karin helps her. An earlier plan (2025) was closed when its goals were met.
- Bengt: on a short-term stay; his wish for a SIP is kept while it is deferred [002].
- Gunnel: connected to the ÄlSa team; signed plan in follow-up; has a god man (Per).
- Sture: home help and some home health; his plan was closed when the goals were met.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from portal.models import (
    CoordinatorAssignment,
    Delegation,
    EvaluatedGoal,
    FollowUp,
    Goal,
    Intervention,
    MeetingParticipant,
    OwnResponsibility,
    Plan,
    PlanVersion,
    Preparation,
    Relative,
)
from portal.models.people import Account
from portal.rules.vocabulary import (
    AccountKind,
    Approval,
    CloseReason,
    DelegationKind,
    GoalEvaluation,
    LegalBasis,
    MeetingForm,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    PlanContext,
    PlanState,
    Scope,
)
from portal.services.demo_world import World, at, test_pin, weekday_after


def _relative(w: World, key: str, given: str, family: str, pin: str | None = None) -> Relative:
    """A relative with an account; `pin` lets them recover with e-legitimation (ADR 0041)."""
    person = Relative(
        given_name=given, family_name=family, phone="070-111 11 11", personal_identity_number=pin
    )
    w.accounts[key] = Account(kind=AccountKind.RELATIVE, relative=person)
    w.db.add_all([person, w.accounts[key]])
    return person


def _version(w: World, plan: Plan, number: int, signed_by: str | None, **kw: object) -> PlanVersion:
    """A version; one `signed_by` someone is signed once it is stored (demo_data.load)."""
    version = PlanVersion(plan=plan, number=number, **kw)
    if signed_by:
        w.signed.append((version, w.staff[signed_by], kw["created_at"]))  # type: ignore[arg-type]
    w.db.add(version)
    return version


def _goal(version: PlanVersion, text: str, interventions: list[Intervention]) -> Goal:
    goal = Goal(text=text, position=len(version.goals), interventions=interventions)
    version.goals.append(goal)
    return goal


def _do(w: World, what: str, unit: str, who: str, basis: LegalBasis, often: str) -> Intervention:
    return Intervention(
        what=what,
        unit=w.units[unit],
        responsible=w.staff[who],
        follow_up_by=w.staff[who],
        legal_basis=basis,
        frequency=often,
    )


def _coordinator(w: World, plan: Plan, key: str, when: object, reason: str) -> None:
    w.db.add(
        CoordinatorAssignment(
            plan=plan,
            staff=w.staff[key],
            reason=reason,
            appointed_at=when,
            accepted_at=when,
            wish_met=True,
        )
    )


def astrid(w: World) -> None:
    person = w.individual(
        "astrid", "Astrid", "Lindqvist", test_pin("19410312", "982"), "Storgatan 14, Norrsund"
    )
    karin = _relative(w, "karin", "Karin", "Lindqvist", test_pin("19680415", "985"))
    w.db.add(
        Delegation(
            individual=person,
            relative=karin,
            kind=DelegationKind.RELATIVE,
            scopes_text=" ".join(sorted([Scope.VIEW_PLAN, Scope.PREPARE, Scope.MEETING_DATES])),
            valid_from=w.today - timedelta(days=2),
            granted_by=w.accounts["astrid"],
        )
    )
    earlier = Plan(
        number="SIP-2025-0031",
        individual=person,
        convener=w.staff["eva"],
        context=PlanContext.AT_HOME,
        state=PlanState.CLOSED,
        created_at=at(w.today - timedelta(days=420), 9),
        closed_at=at(w.today - timedelta(days=300), 14),
        close_reason=CloseReason.GOALS_MET,
    )
    w.db.add(earlier)
    w.consent(earlier, ["hc", "hhc"], at(w.today - timedelta(days=420), 9), "eva")
    w.meeting(
        earlier,
        MeetingKind.FIRST,
        at(w.today - timedelta(days=410), 9),
        MeetingForm.HEALTH_CENTRE,
        ["eva", "lena"],
        status=MeetingStatus.HELD,
        place="Hälsocentralen Björkhagen",
    )
    old = _version(
        w,
        earlier,
        1,
        "eva",
        created_at=at(w.today - timedelta(days=410), 11),
        follow_up_on=w.today - timedelta(days=320),
        follow_up_form=MeetingForm.PHONE,
    )
    _goal(
        old,
        "Jag vill klara min medicin själv.",
        [
            _do(
                w,
                "Genomgång av läkemedel och dosett",
                "hc",
                "eva",
                LegalBasis.HSL,
                "Varannan vecka i två månader",
            )
        ],
    )
    _coordinator(w, earlier, "eva", at(w.today - timedelta(days=410), 11), "Första mötet")

    ready = at(w.today - timedelta(days=2), 10, 30)
    plan = Plan(
        number="SIP-2026-0011",
        individual=person,
        convener=w.staff["eva"],
        context=PlanContext.AFTER_DISCHARGE,
        state=PlanState.INVITED,
        ready_for_discharge_at=ready,
        preliminary_discharge_on=w.today - timedelta(days=1),
        previous_plan=earlier,
    )
    w.db.add(plan)
    w.consent(plan, ["hc", "hhc", "hh"], ready - timedelta(hours=3), "eva")
    meeting = w.meeting(
        plan,
        MeetingKind.FIRST,
        at(weekday_after(w.today, 4), 10),
        MeetingForm.HOME,
        ["eva", "lena", "anders", "peter"],
        place="Storgatan 14, Norrsund",
        purpose="Planera vård och omsorg i hemmet efter höftoperationen.",
        questions="Hjälp i hemmet, träning, läkemedel, trygghetslarm.",
        invited_at=ready + timedelta(days=1),
    )
    meeting.participants.append(MeetingParticipant(role=ParticipantRole.INVITED, relative=karin))
    w.db.add(
        Preparation(
            plan=plan,
            meeting=meeting,
            needs_wishes="Jag behöver hjälp med duschen och att handla.",
            what_matters="Att jag kan sitta i trädgården igen till våren.",
            updated_by=w.accounts["astrid"],
        )
    )


def bengt(w: World) -> None:
    person = w.individual(
        "bengt", "Bengt", "Håkansson", test_pin("19460730", "983"), "Åsvägen 3, Norrsund"
    )
    ready = at(w.today - timedelta(days=6), 13)
    plan = Plan(
        number="SIP-2026-0012",
        individual=person,
        convener=w.staff["maria"],
        context=PlanContext.AFTER_SHORT_TERM_STAY,
        state=PlanState.DEFERRED,
        sip_wished=True,
        ready_for_discharge_at=ready,
        reassess_before_home_on=w.today + timedelta(days=5),
    )
    w.db.add(plan)
    w.consent(plan, ["nas", "sts", "hc"], ready - timedelta(hours=20), "maria")


def gunnel(w: World) -> None:
    person = w.individual(
        "gunnel", "Gunnel", "Ek", test_pin("19381102", "984"), "Kyrkbacken 7, Norrsund"
    )
    per = _relative(w, "per", "Per", "Andersson", test_pin("19590120", "986"))
    w.db.flush()  # the approver's account id
    w.db.add(
        Delegation(
            individual=person,
            relative=per,
            kind=DelegationKind.REPRESENTATIVE,
            valid_from=w.today - timedelta(days=200),
            valid_until=w.today + timedelta(days=530),
            legal_reference="Överförmyndarnämnden, beslut 2025-0412 (god man)",
            representative_kind="god_man",
            decision_date=w.today - timedelta(days=205),
            deciding_authority="Överförmyndarnämnden i Norrsund",
            granted_by=w.accounts["eva"],
            approved_by_account_id=w.accounts["fatima"].id,
            approved_at=at(w.today - timedelta(days=200), 10),
        )
    )
    first_day = w.today - timedelta(days=40)
    plan = Plan(
        number="SIP-2026-0004",
        individual=person,
        convener=w.staff["eva"],
        context=PlanContext.AFTER_DISCHARGE,
        state=PlanState.FOLLOWING_UP,
        ready_for_discharge_at=at(first_day - timedelta(days=2), 9),
        created_at=at(first_day - timedelta(days=3), 9),
    )
    w.db.add(plan)
    w.consent(plan, ["hc", "alsa", "hh", "hhc"], at(first_day - timedelta(days=3), 9), "eva")
    w.meeting(
        plan,
        MeetingKind.FIRST,
        at(first_day, 13),
        MeetingForm.HOME,
        ["eva", "fatima", "peter", "lena"],
        status=MeetingStatus.HELD,
        place="Kyrkbacken 7, Norrsund",
        purpose="Första SIP-mötet efter utskrivning.",
    )
    follow_up_day = weekday_after(w.today, 10)
    version = _version(
        w,
        plan,
        1,
        "fatima",
        created_at=at(first_day + timedelta(days=1), 10),
        follow_up_on=follow_up_day,
        follow_up_form=MeetingForm.HOME,
        follow_up_how="Möte hemma hos Gunnel med ÄlSa-teamet och hemtjänsten.",
    )
    _goal(
        version,
        "Jag vill kunna bo kvar hemma och känna mig trygg.",
        [
            _do(w, "Hembesök av ÄlSa-teamet", "alsa", "fatima", LegalBasis.HSL, "Varannan vecka"),
            _do(w, "Hjälp med morgon och kväll", "hh", "peter", LegalBasis.SOL, "Varje dag"),
            _do(w, "Hjälp med läkemedel", "hhc", "lena", LegalBasis.HSL, "Varje morgon"),
        ],
    )
    _goal(
        version,
        "Jag vill orka gå till affären själv.",
        [
            _do(
                w, "Gångträning med rollator", "hhc", "lena", LegalBasis.HSL, "Två gånger i veckan"
            ),
        ],
    )
    version.own_responsibilities.append(
        OwnResponsibility(text="Jag går en promenad med rollatorn varje dag.", position=0)
    )
    _coordinator(w, plan, "fatima", at(first_day, 14), "ÄlSa-teamet är bäst lämpat [000]")
    _gunnel_draft(w, plan, follow_up_day)
    w.db.add(FollowUp(plan=plan, due_on=follow_up_day, form=MeetingForm.HOME))
    w.meeting(
        plan,
        MeetingKind.FOLLOW_UP,
        at(follow_up_day, 14),
        MeetingForm.HOME,
        ["fatima", "peter"],
        convener=w.staff["fatima"],
        place="Kyrkbacken 7, Norrsund",
        purpose="Följa upp målen i planen.",
    )


def _gunnel_draft(w: World, plan: Plan, follow_up_day: date) -> None:
    """A changed plan that Fatima, the coordinator, has not signed yet."""
    draft = _version(
        w,
        plan,
        2,
        None,
        created_at=at(w.today - timedelta(days=2), 15),
        created_by=w.staff["fatima"],
        follow_up_on=follow_up_day,
        follow_up_form=MeetingForm.HOME,
        follow_up_how="Möte hemma hos Gunnel med ÄlSa-teamet och hemtjänsten.",
        change_summary="Hemtjänsten kommer också vid lunch, efter samtal med Gunnel och Per.",
    )
    _goal(
        draft,
        "Jag vill kunna bo kvar hemma och känna mig trygg.",
        [
            _do(w, "Hembesök av ÄlSa-teamet", "alsa", "fatima", LegalBasis.HSL, "Varannan vecka"),
            _do(w, "Hjälp morgon, lunch och kväll", "hh", "peter", LegalBasis.SOL, "Varje dag"),
            _do(w, "Hjälp med läkemedel", "hhc", "lena", LegalBasis.HSL, "Varje morgon"),
        ],
    )
    _goal(
        draft,
        "Jag vill orka gå till affären själv.",
        [
            _do(
                w, "Gångträning med rollator", "hhc", "lena", LegalBasis.HSL, "Två gånger i veckan"
            ),
        ],
    )
    draft.own_responsibilities.append(
        OwnResponsibility(text="Jag går en promenad med rollatorn varje dag.", position=0)
    )


def sture(w: World) -> None:
    person = w.individual(
        "sture", "Sture", "Nilsson", test_pin("19350521", "985"), "Sjögatan 22, Norrsund"
    )
    start = w.today - timedelta(days=120)
    plan = Plan(
        number="SIP-2026-0002",
        individual=person,
        convener=w.staff["eva"],
        context=PlanContext.AFTER_DISCHARGE,
        state=PlanState.CLOSED,
        ready_for_discharge_at=at(start - timedelta(days=2), 11),
        created_at=at(start - timedelta(days=3), 11),
        closed_at=at(w.today - timedelta(days=20), 15),
        close_reason=CloseReason.GOALS_MET,
    )
    w.db.add(plan)
    w.consent(plan, ["hc", "hh", "hhc"], at(start - timedelta(days=3), 11), "eva")
    w.meeting(
        plan,
        MeetingKind.FIRST,
        at(start, 10),
        MeetingForm.HEALTH_CENTRE,
        ["eva", "peter"],
        status=MeetingStatus.HELD,
        place="Hälsocentralen Björkhagen",
    )
    version = _version(
        w,
        plan,
        1,
        "peter",
        created_at=at(start + timedelta(days=1), 9),
        follow_up_on=w.today - timedelta(days=34),
        follow_up_form=MeetingForm.PHONE,
    )
    goal = _goal(
        version,
        "Jag vill klara vardagen hemma med lite hjälp.",
        [
            _do(
                w, "Hjälp med städning och inköp", "hh", "peter", LegalBasis.SOL, "En gång i veckan"
            ),
            _do(w, "Såromläggning", "hhc", "lena", LegalBasis.HSL, "Två gånger i veckan"),
        ],
    )
    _coordinator(w, plan, "peter", at(start, 11), "Hemtjänst och viss hemsjukvård [000]")
    _sture_follow_up(w, plan, goal)


def _sture_follow_up(w: World, plan: Plan, followed_up: Goal) -> None:
    """The follow-up that revised Sture's plan (version 2), then the one that closed it."""
    day = w.today - timedelta(days=34)
    w.meeting(
        plan,
        MeetingKind.FOLLOW_UP,
        at(day, 10),
        MeetingForm.PHONE,
        ["peter", "lena"],
        convener=w.staff["peter"],
        status=MeetingStatus.HELD,
        purpose="Följa upp målen i planen.",
    )
    w.db.add(FollowUp(plan=plan, due_on=day, form=MeetingForm.PHONE, done_at=at(day, 11, 30)))
    version = _version(
        w,
        plan,
        2,
        "peter",
        created_at=at(day, 11),
        created_by=w.staff["peter"],
        follow_up_on=w.today - timedelta(days=20),
        follow_up_form=MeetingForm.PHONE,
        change_summary="Såromläggningen fortsätter två veckor till, sedan en gång i veckan.",
        approval=Approval.APPROVED,
        approved_by_individual_at=at(day, 10, 40),
        approval_recorded_by=w.staff["peter"],
    )
    # The follow-up's evaluation of version 1 is part of version 2; version 1 stays as signed.
    version.evaluated_goals.append(
        EvaluatedGoal(
            goal=followed_up,
            position=0,
            evaluation=GoalEvaluation.PARTLY_MET,
            comment="Såret läker men behöver läggas om en tid till.",
        )
    )
    _goal(
        version,
        "Jag vill klara vardagen hemma med lite hjälp.",
        [
            _do(
                w, "Hjälp med städning och inköp", "hh", "peter", LegalBasis.SOL, "En gång i veckan"
            ),
            _do(w, "Såromläggning", "hhc", "lena", LegalBasis.HSL, "En gång i veckan"),
        ],
    )


def _notices(w: World) -> None:
    from portal.services.demo_notices import notices

    notices(w)


STORIES: list[Callable[[World], None]] = [astrid, bengt, gunnel, sture, _notices]
