"""audit events: (object_type, object_id, type) replaces (object_type, object_id) (ADR 0110)

Revision ID: 5b1e0c7d2a90
Revises: 14785ecd59e4
Create Date: 2026-12-03 08:55:00
"""

from alembic import op

revision = "5b1e0c7d2a90"
down_revision = "14785ecd59e4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_events_object_type", ["object_type", "object_id", "type"], unique=False
        )
        batch_op.drop_index("ix_audit_events_object")


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_object", ["object_type", "object_id"], unique=False)
        batch_op.drop_index("ix_audit_events_object_type")
