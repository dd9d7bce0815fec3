"""Every write of the annual forum, one function per change (see CONTRIBUTING.md)."""
