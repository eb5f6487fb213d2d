"""Authentication (passwords, JWT access tokens, rotating refresh tokens, API keys) and the caller.

Roles and memberships are read from the database on every request, so a revoked role or a removed
member loses access on the very next request, whatever token they hold.
"""
