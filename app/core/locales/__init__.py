"""Catalogs of messages in languages other than English (the templates' own)."""
