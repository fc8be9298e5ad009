"""A real invitation for the demo individual who has no passkey yet (printed by `make run`)."""

from __future__ import annotations

import sqlalchemy as sa

from portal import db
from portal.models import Individual
from portal.services.demo_world import test_pin
from portal.services.invitations import create_invitation

DEMO_PERSON_PIN = test_pin("19460730", "983")  # Bengt Håkansson in the demo stories


def demo_invitation_link(base_url: str) -> str | None:
    """A fresh, single-use invitation link for Bengt; None when there is no demo data."""
    person = db.session().scalar(
        sa.select(Individual).where(Individual.personal_identity_number == DEMO_PERSON_PIN)
    )
    if person is None:
        return None
    issued = create_invitation(individual=person, by=None)
    return f"{base_url.rstrip('/')}/invitation#{issued.token}"
