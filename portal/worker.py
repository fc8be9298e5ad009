"""The outbox worker (ADR 0090): claims due messages, delivers them, runs the scheduler.

`flask --app portal worker` runs it; `make run` starts one beside gunicorn. Several workers
(on one machine or many, against one database) share the work without sending twice.
"""

from __future__ import annotations

import time
from datetime import datetime

from flask import Flask

from portal import db
from portal.channels import DeliveryError, deliver
from portal.services import outbox, scheduler
from portal.timeutil import now


def deliver_due(worker: str, at: datetime, limit: int = 10) -> int:
    """One round: claim up to `limit` due messages and deliver each. Returns how many."""
    claimed = outbox.claim(worker, at, limit)
    for message in claimed:
        try:
            where = deliver(message)
        except DeliveryError as error:
            outbox.mark_failed(message, worker, str(error))
        except Exception as error:  # a bug in one message must not stop the others
            outbox.mark_failed(message, worker, f"{type(error).__name__}")
        else:
            outbox.mark_sent(message, worker, where)
    return len(claimed)


def run(
    app: Flask, *, poll: float = 2.0, schedule_every: float = 60.0, drain: bool = False
) -> None:
    """Deliver forever (or, with `drain`, until nothing is due), scheduling every minute."""
    worker = outbox.worker_name()
    last_schedule = 0.0
    while True:
        with app.app_context():
            if not drain and time.monotonic() - last_schedule >= schedule_every:
                scheduler.run(now())
                last_schedule = time.monotonic()
            handled = deliver_due(worker, now())
            db.session().close()
        if drain and handled == 0:
            return
        if handled == 0:
            time.sleep(poll)
