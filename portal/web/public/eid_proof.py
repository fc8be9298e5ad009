"""What an e-legitimation proved, kept in the session for five minutes (ids only): a person
for enrolment or recovery, or that the holder of a letter is the one it names (ADR 0041)."""

from __future__ import annotations

from flask import session

from portal.timeutil import now

PROVEN = "eid_proven"  # {"kind": "individual" | "relative", "id": n, "at": ts}
FOR_INVITATION = "eid_for_invitation"  # set when the e-ID round trip is for a letter
INVITATION_PROVEN = "eid_invitation"  # {"invitation": n, "at": ts}
PROVEN_FOR_SECONDS = 300


def _fresh(kept: object) -> dict | None:
    if not isinstance(kept, dict):
        return None
    if now().timestamp() - float(kept.get("at", 0)) > PROVEN_FOR_SECONDS:
        return None
    return kept


def remember_person(kind: str, person_id: int) -> None:
    session[PROVEN] = {"kind": kind, "id": person_id, "at": now().timestamp()}


def proven_person() -> tuple[str, int] | None:
    kept = _fresh(session.get(PROVEN))
    if kept is None or kept.get("kind") not in {"individual", "relative"}:
        return None
    return str(kept["kind"]), int(kept["id"])


def remember_invitation(invitation_id: int) -> None:
    session[INVITATION_PROVEN] = {"invitation": invitation_id, "at": now().timestamp()}


def proven_for_invitation(invitation_id: int) -> bool:
    kept = _fresh(session.get(INVITATION_PROVEN))
    return kept is not None and int(kept.get("invitation", 0)) == invitation_id


def forget() -> None:
    for key in (PROVEN, FOR_INVITATION, INVITATION_PROVEN):
        session.pop(key, None)
