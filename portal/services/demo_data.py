"""Demo data that tells real stories (fictional people, test identity numbers).

Identity numbers use serial numbers 980–999 with a computed Luhn check digit (the range
of Skatteverket's test identity numbers, never given to a real person). Dates are relative
to the day the data is loaded, so the story is always current. Loading is idempotent:
when the demo region exists, nothing is changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.labels import of
from portal.models import Account, Organisation
from portal.models.audit_types import EventType
from portal.rules.vocabulary import AccountKind
from portal.services import audit, demo_notices, demo_stories, signing
from portal.services.demo_world import REGION_NAME, World
from portal.timeutil import today_stockholm


def is_loaded(db: Session) -> bool:
    return db.scalar(sa.select(Organisation.id).where(Organisation.name == REGION_NAME)) is not None


def load(db: Session) -> bool:
    """Load the demo data unless it is there. Returns True when it loaded anything."""
    if is_loaded(db):
        demo_notices.refresh(db)
        return False
    world = World(db, today_stockholm())
    world.add_organisations()
    world.add_staff()
    for story in demo_stories.STORIES:
        story(world)
    signing.sign_demo_versions(
        db, world.signed, with_pdf=bool(current_app.config.get("DEMO_SIGNED_PDFS"))
    )
    audit.record(db, type=EventType.DEMO_LOAD, by=None, subject_individual_id=None)
    db.commit()
    return True


def describe_account(account: Account) -> str:
    """One line for the demo sign-in page: who this is."""
    if account.kind is AccountKind.STAFF and account.staff:
        return _(
            "%(profession)s, %(unit)s",
            profession=of(account.staff.profession),
            unit=account.staff.unit.name,
        )
    if account.kind is AccountKind.INDIVIDUAL:
        return _("Den enskilde (planen gäller mig)")
    return _("Närstående som hjälper någon")
