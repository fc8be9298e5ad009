"""Secrets for one-time account invitations. Pure: generation and hashing only.

The letter carries a link token (long, for the QR code) and a short code to type
("ABCD-EFGH", 8 characters from an alphabet without look-alikes). Only hashes are stored.
"""

from __future__ import annotations

import hashlib
import secrets

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1
CODE_LENGTH = 8


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a person types, in any case, with spaces and dashes ignored."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def show_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
