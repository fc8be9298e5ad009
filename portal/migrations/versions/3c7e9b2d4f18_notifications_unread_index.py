"""notifications: a partial index of the unread by account and plan replaces the account's
index, which walked every message the account had ever read (ADR 0118)

Revision ID: 3c7e9b2d4f18
Revises: 8d3f2a61c0b4
Create Date: 2026-12-08 00:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "3c7e9b2d4f18"
down_revision = "8d3f2a61c0b4"
branch_labels = None
depends_on = None

UNREAD = sa.text("read_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notifications_unread",
            ["account_id", "plan_id"],
            unique=False,
            postgresql_where=UNREAD,
            sqlite_where=UNREAD,
        )
        batch_op.drop_index("ix_notifications_account_id")


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_account_id", ["account_id"], unique=False)
        batch_op.drop_index("ix_notifications_unread")
