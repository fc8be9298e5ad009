"""Web Push with VAPID (pywebpush): the payload is encrypted with aes128gcm for the device.

`VAPID_PRIVATE_KEY` (a PEM file) and `VAPID_SUBJECT` (mailto: or https:); in the demo a key
is made under `instance/vapid/` on first use.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from portal.message_text import Text
from portal.models import ContactPoint, OutboxMessage


def private_key_path(config: dict[str, Any]) -> Path | None:
    if config.get("VAPID_PRIVATE_KEY"):
        return Path(config["VAPID_PRIVATE_KEY"])
    if config.get("DEMO"):
        path = Path(config["INSTANCE_DIR"]) / "vapid" / "private.pem"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            key = ec.generate_private_key(ec.SECP256R1())
            path.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
            path.chmod(0o600)
        return path
    return None


def application_server_key(config: dict[str, Any]) -> str:
    """The public key the browser subscribes with (base64url, uncompressed point)."""
    path = private_key_path(config)
    if path is None:
        return ""
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def send(
    config: dict[str, Any], *, point: ContactPoint, text: Text, message: OutboxMessage
) -> None:
    from pywebpush import WebPushException, webpush

    from portal.channels import DeliveryError

    path = private_key_path(config)
    if path is None:
        raise DeliveryError("VAPID_PRIVATE_KEY is not configured")
    payload = json.dumps(
        {"title": text.subject, "body": text.body.split("\n")[0], "url": text.link}
    )
    try:
        webpush(
            subscription_info={
                "endpoint": point.address,
                "keys": {"p256dh": point.push_p256dh, "auth": point.push_auth},
            },
            data=payload,
            vapid_private_key=str(path),
            vapid_claims={"sub": config.get("VAPID_SUBJECT") or "mailto:no-reply@localhost"},
            content_encoding="aes128gcm",
            ttl=24 * 3600,
            timeout=20,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else "no answer"
        raise DeliveryError(f"push service answered {status}") from error
    except OSError as error:
        raise DeliveryError(f"push: {type(error).__name__}") from error
