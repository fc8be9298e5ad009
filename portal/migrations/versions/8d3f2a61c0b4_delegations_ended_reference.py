"""delegations: the decision that ended a representative's access early (ADR 0116)

Revision ID: 8d3f2a61c0b4
Revises: 5b1e0c7d2a90
Create Date: 2026-12-07 13:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "8d3f2a61c0b4"
down_revision = "5b1e0c7d2a90"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("delegations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ended_reference", sa.String(length=200), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("delegations", schema=None) as batch_op:
        batch_op.drop_column("ended_reference")
