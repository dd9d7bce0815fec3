"""Every write of the topics app (see STYLE.md: services hold the writes)."""
