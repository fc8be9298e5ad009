"""WebAuthn ceremonies for passkeys (discoverable credentials: no user name to type).

The relying party and the expected origin come from configuration, never from the Host
header. The challenge is kept on the server (single use, five minutes); the browser's
session holds only its id. User verification (PIN or biometrics) is required and checked.
"""

from __future__ import annotations

import json
from base64 import urlsafe_b64decode
from dataclasses import dataclass

import webauthn
from flask import current_app, session
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

CHALLENGE = "webauthn_challenge"


class PasskeyError(Exception):
    """The browser's answer did not verify (or there was no ceremony under way)."""


@dataclass(frozen=True)
class NewCredential:
    credential_id: bytes
    public_key: bytes
    sign_count: int
    transports: str


def _config() -> tuple[str, str, str]:
    cfg = current_app.config
    return cfg["WEBAUTHN_RP_ID"], cfg["WEBAUTHN_RP_NAME"], cfg["WEBAUTHN_ORIGIN"]


def _keep_challenge(challenge: bytes, purpose: str) -> None:
    from portal.services.passkey_challenges import issue_challenge

    session[CHALLENGE] = issue_challenge(challenge=challenge, purpose=purpose)


def _take_challenge(purpose: str) -> bytes:
    from portal.services.passkey_challenges import take_challenge

    challenge = take_challenge(session.pop(CHALLENGE, None), purpose=purpose)
    if challenge is None:
        raise PasskeyError("no ceremony under way")
    return challenge


def registration_options(
    *, user_handle: bytes, user_name: str, display_name: str, existing: list[bytes]
) -> str:
    rp_id, rp_name, _ = _config()
    options = webauthn.generate_registration_options(
        rp_id=rp_id,
        rp_name=rp_name,
        user_id=user_handle,
        user_name=user_name,
        user_display_name=display_name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=c) for c in existing],
    )
    _keep_challenge(options.challenge, "register")
    return webauthn.options_to_json(options)


def verify_registration(credential_json: str) -> NewCredential:
    rp_id, _, origin = _config()
    try:
        verified = webauthn.verify_registration_response(
            credential=credential_json,
            expected_challenge=_take_challenge("register"),
            expected_rp_id=rp_id,
            expected_origin=origin,
            require_user_verification=True,
        )
        transports = json.loads(credential_json).get("response", {}).get("transports", [])
    # WebAuthnException: every refusal of the library, InvalidJSONStructure (an answer it
    # cannot parse, such as one without a response) as well as InvalidRegistrationResponse
    except (WebAuthnException, ValueError, TypeError, KeyError) as error:
        raise PasskeyError(str(error)) from error
    return NewCredential(
        verified.credential_id,
        verified.credential_public_key,
        verified.sign_count,
        " ".join(str(t) for t in transports),
    )


def authentication_options(
    purpose: str = "authenticate", allowed: list[bytes] | None = None
) -> str:
    """Options for an assertion: to sign in, or ("confirm") to prove presence again."""
    rp_id, _, _ = _config()
    options = webauthn.generate_authentication_options(
        rp_id=rp_id,
        user_verification=UserVerificationRequirement.REQUIRED,
        allow_credentials=[PublicKeyCredentialDescriptor(id=c) for c in allowed or []],
    )
    _keep_challenge(options.challenge, purpose)
    return webauthn.options_to_json(options)


def credential_id_of(credential_json: str) -> bytes:
    """The credential id the browser answered with (to find the stored public key)."""
    try:
        raw_id = json.loads(credential_json)["rawId"]
        return urlsafe_b64decode(raw_id + "=" * (-len(raw_id) % 4))
    except (ValueError, KeyError, TypeError) as error:
        raise PasskeyError("malformed credential") from error


def verify_authentication(
    credential_json: str, *, public_key: bytes, sign_count: int, purpose: str = "authenticate"
) -> int:
    """Verify an assertion; returns the new sign count."""
    rp_id, _, origin = _config()
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential_json,
            expected_challenge=_take_challenge(purpose),
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=public_key,
            credential_current_sign_count=sign_count,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError) as error:  # as above
        raise PasskeyError(str(error)) from error
    return verified.new_sign_count
