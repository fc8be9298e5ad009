"""The demo's e-legitimation users: the demo individuals, and the relative (Karin) and the god
man (Per) who recover a lost phone with it, with their test identity numbers.
Prints `--user-claims JSON` arguments for oidc-provider-mock (no spaces in the JSON)."""

from __future__ import annotations

import json

from portal.services.demo_world import test_pin

PEOPLE = {
    "astrid": test_pin("19410312", "982"),
    "bengt": test_pin("19460730", "983"),
    "gunnel": test_pin("19381102", "984"),
    "karin": test_pin("19680415", "985"),  # Astrid's daughter
    "per": test_pin("19590120", "986"),  # Gunnel's god man
}

print(
    " ".join(
        "--user-claims "
        + json.dumps({"sub": sub, "personal_identity_number": pin}, separators=(",", ":"))
        for sub, pin in PEOPLE.items()
    )
)
