"""Nothing typed is lost to a timeout: a POST that arrives after the session ended is kept
server-side (never in the cookie) for its account and page, and given back once, after the
person has signed in again, to pre-fill the same form."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from portal import db
from portal.models import KeptInput
from portal.timeutil import now

KEEP_FOR = timedelta(days=1)
NEVER_KEPT = {"csrf_token", "credential"}


def keep(*, account_id: int, path: str, form: MultiDict[str, str]) -> None:
    fields = {k: form.getlist(k) for k in form if k not in NEVER_KEPT}
    if not fields:
        return
    session = db.session()
    session.execute(
        sa.delete(KeptInput).where(KeptInput.account_id == account_id, KeptInput.path == path)
    )
    session.add(KeptInput(account_id=account_id, path=path, fields_json=json.dumps(fields)))
    session.commit()


def take(*, account_id: int, path: str) -> MultiDict[str, str] | None:
    """The fields kept for this page, once; old ones are removed."""
    session = db.session()
    session.execute(sa.delete(KeptInput).where(KeptInput.created_at < now() - KEEP_FOR))
    kept = session.scalar(
        sa.select(KeptInput).where(KeptInput.account_id == account_id, KeptInput.path == path)
    )
    if kept is None:
        session.commit()
        return None
    fields = json.loads(kept.fields_json)
    session.delete(kept)
    session.commit()
    return MultiDict([(k, v) for k, values in fields.items() for v in values])
