"""What a person typed when their session had timed out, kept until they sign in again."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, created_at_column


class KeptInput(Base):
    __tablename__ = "kept_inputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"), index=True)
    path: Mapped[str] = mapped_column(sa.String(300))
    fields_json: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = created_at_column()
