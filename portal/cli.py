"""Flask commands: `flask --app portal <command>`."""

from __future__ import annotations

import click
from flask import Flask, current_app

from portal import db, migrate


def init_app(app: Flask) -> None:
    @app.cli.command("db-upgrade")
    def db_upgrade() -> None:
        """Migrate the database to the newest revision."""
        migrate.upgrade(db.engine())
        click.echo("database is at the newest revision")

    @app.cli.command("db-revision")
    @click.argument("message")
    def db_revision(message: str) -> None:
        """Autogenerate a migration from the models (development)."""
        migrate.revision(db.engine(), message)

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load the demo data (idempotent)."""
        from portal.services import demo_data

        loaded = demo_data.load(db.session())
        click.echo("demo data loaded" if loaded else "demo data already there: nothing changed")

    @app.cli.command("audit-verify")
    @click.option("--full", is_flag=True, help="From the first event, not the last checkpoint.")
    def audit_verify(full: bool) -> None:
        """Verify the audit log from its last good checkpoint; name the first broken event."""
        from portal.services.audit_verify import verify

        report = verify(db.session(), full=full)
        if report.intact:
            click.echo(
                f"audit log intact: {report.events} events "
                f"({report.checked} checked after event {report.since_id})"
            )
            return
        where = f" at event id {report.first_broken_id}" if report.first_broken_id else ""
        click.echo(f"audit log BROKEN{where}: {report.reason}", err=True)
        raise SystemExit(1)

    @app.cli.command("worker")
    @click.option("--drain", is_flag=True, help="Deliver what is due, then stop.")
    @click.option("--poll", default=2.0, help="Seconds to wait when nothing is due.")
    def worker(drain: bool, poll: float) -> None:
        """Deliver outbox messages and run the reminder scheduler (ADR 0090)."""
        from portal import worker as outbox_worker

        outbox_worker.run(current_app._get_current_object(), poll=poll, drain=drain)

    @app.cli.command("send-reminders")
    def send_reminders() -> None:
        """Write the reminders and staff notices whose moment has come (once each)."""
        from portal.services import scheduler
        from portal.timeutil import now

        click.echo(f"{scheduler.run(now())} messages written to the outbox")

    @app.cli.command("how-to-sign-in")
    @click.option("--url", default=None, help="Where the app is served.")
    def how_to_sign_in(url: str | None) -> None:
        """Print the URL and how to sign in (make run)."""
        base = url or current_app.config["PUBLIC_BASE_URL"]
        click.echo("")
        click.echo(f"  SIP Portal is at {base}/")
        click.echo(f"  Sign in with a demo account: {base}/sign-in  (one button per account)")
        click.echo(f"  Every message the portal sends (demo outbox): {base}/demo/outbox")
        from portal.services import invitation_letters

        link = invitation_letters.demo_invitation_link(base)
        if link:
            click.echo(f"  Try the passkey path as Bengt: {link}")
        click.echo("")
