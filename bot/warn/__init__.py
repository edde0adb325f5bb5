"""WARN notices: reading the state's export (pure)."""
