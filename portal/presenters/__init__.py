"""Plain words for what the portal stores as codes (the individual never sees a code)."""
