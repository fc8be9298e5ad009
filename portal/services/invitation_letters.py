"""Placeholder replaced by the sign-in work: a real invitation link for a demo individual."""

from __future__ import annotations


def demo_invitation_link(base_url: str) -> str | None:
    return None
