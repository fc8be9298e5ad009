"""Secret and key files are created readable by their owner only, from the first byte.

`write_text` then `chmod` leaves a moment in which the file has the umask's mode (often
0644); `os.open(..., 0o600)` never does.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_private(path: Path, data: bytes) -> None:
    """Create `path` with mode 0600 and write `data` (the file must not exist yet)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
