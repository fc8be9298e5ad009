"""The demo's e-legitimation users: one per demo individual, with their test identity numbers.
Prints `--user-claims JSON` arguments for oidc-provider-mock (no spaces in the JSON)."""

from __future__ import annotations

import json

from portal.services.demo_world import test_pin

PEOPLE = {
    "astrid": test_pin("19410312", "982"),
    "bengt": test_pin("19460730", "983"),
    "gunnel": test_pin("19381102", "984"),
}

print(
    " ".join(
        "--user-claims "
        + json.dumps({"sub": sub, "personal_identity_number": pin}, separators=(",", ":"))
        for sub, pin in PEOPLE.items()
    )
)
