"""Organizations, their members (by invitation or approved request), verification and API keys."""
