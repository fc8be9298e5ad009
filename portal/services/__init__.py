"""Use cases: the only code that writes. Each runs in one transaction with its audit event."""
